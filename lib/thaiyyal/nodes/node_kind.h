/// The nodes module owns every node kind: its name, category, summary, a
/// worked example, the parsing of its `data` into a typed configuration
/// (at load, once) and its execution. `registry.cpp` holds the only table of
/// kinds; nothing registers itself, and the engine never branches on kind names.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "thaiyyal/model/value.h"
#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/guard.h"

namespace thaiyyal::nodes {

enum class Category : std::uint8_t {
  Input,       ///< constant values
  Display,     ///< pass-through for viewers
  Compute,     ///< arithmetic, text, expressions
  Control,     ///< routing and loops
  Array,       ///< array processing
  State,       ///< run-scoped state and context
  Data,        ///< extraction, reshaping, parse/format, validation
  Flow,        ///< fan-in/fan-out
  Pacing,      ///< delays and rate limits
  Resilience,  ///< retry, try/catch, timeout
  Network,     ///< HTTP
};

std::string_view category_name(Category c);

/// Base of every kind's typed configuration. Immutable after parse; shared by
/// concurrent runs of the same compiled workflow.
class NodeConfig {
 public:
  virtual ~NodeConfig() = default;
};

class RunContext;  // run-time services for a node (run_context.h)

/// Parses and checks a node's data; reports problems through the reader and
/// returns nullptr when the configuration is unusable.
using ParseFn = std::unique_ptr<const NodeConfig> (*)(ConfigReader& reader);
/// Executes a node. Throws on failure (the engine records the failure).
using RunFn = Value (*)(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs);
/// For guard kinds (D10): the policy the engine applies to the node's
/// predecessors; nullptr for every other kind.
using GuardFn = const GuardPolicy* (*)(const NodeConfig& config);

struct KindInfo {
  std::string_view name;
  Category category;
  std::string_view summary;  ///< one line, for `nodes list`, completions and man
  std::string_view example;  ///< a `data` object (JSON) that validates
  ParseFn parse;
  RunFn run;
  /// Declared by the reference with a data schema but no executor
  /// (`paginator`): it loads, and never runs.
  bool declared_only = false;
  /// A context node (context_variable, context_constant): its result is the
  /// final output only when no other terminal node ran (decision D5).
  bool context_node = false;
  GuardFn guard = nullptr;
};

/// Every kind, sorted by name.
std::span<const KindInfo* const> all_kinds();
/// The kind with this exact name, or nullptr.
const KindInfo* find_kind(std::string_view name);

}  // namespace thaiyyal::nodes
