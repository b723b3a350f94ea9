/// The load module turns workflow text (JSON or YAML) into a `Workflow`: it
/// parses, checks the document's shape (spec 01 §1, decision D8), applies type
/// inference (01 §2) and enforces the document limits. It is the only module
/// that includes yaml-cpp. It does not check node configuration (nodes/) or the
/// graph (graph/): those run on the loaded Workflow.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/workflow.h"

namespace thaiyyal::load {

enum class Format { Auto, Json, Yaml };

struct LoadOptions {
  Format format = Format::Auto;
  std::uint64_t max_payload_size = Limits{}.max_payload_size;  ///< 0 = unlimited
  std::uint64_t max_nodes = Limits{}.max_nodes;                ///< 0 = unlimited
  std::uint64_t max_edges = Limits{}.max_edges;                ///< 0 = unlimited
  /// When the payload is over its limit: false reports it and still parses (so
  /// every problem is listed); true stops there (servers).
  bool stop_on_oversize = false;
  std::size_t max_depth = 512;  ///< nesting limit of the document
};

/// Format from the file name (.json, .yaml, .yml) or, failing that, from the
/// first non-blank character ('{' or '[' means JSON).
Format detect_format(std::string_view name, std::string_view text);

/// Loads a workflow. Every problem is added to `diags`; returns nullopt when the
/// document could not be turned into a Workflow at all: a syntax error, a
/// document that is not an object, or an object that is some other kind of
/// document (`not-a-workflow`: keys, but none of `nodes`, `edges` and
/// `workflow_id`). A returned Workflow may still have errors in `diags` (e.g. a
/// bad edge) that later phases skip over.
std::optional<Workflow> load_workflow(std::shared_ptr<const diag::SourceFile> file,
                                      const LoadOptions& opts, diag::Diagnostics& diags);

/// Parses YAML text (YAML 1.2 core schema, decision D19) into a Value. Throws
/// diag::Error (kind Load) with a position on syntax errors, unsupported values
/// (.inf, .nan), duplicate keys and alias bombs.
Value parse_yaml(std::string_view text, std::size_t max_depth = 512);

/// A JSON or YAML document that is not a workflow (configuration files), with
/// the position of every value for diagnostics.
struct Document {
  Value value;
  std::shared_ptr<const SourceLocator> locator;
};

/// Parses `file` as JSON or YAML (Format::Auto: by name, then by content).
/// Throws diag::Error (kind Load) carrying the file and position of a syntax
/// error.
Document parse_document(std::shared_ptr<const diag::SourceFile> file, Format format = Format::Auto,
                        std::size_t max_depth = 512);

/// The kind type inference gives `data` (spec 01 §2), or "" when none applies.
std::string infer_kind(const Object& data);

}  // namespace thaiyyal::load
