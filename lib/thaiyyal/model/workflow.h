/// The workflow document as loaded: nodes (with their inferred kind) and edges
/// in document order. Plain, immutable-after-load data; the graph module builds
/// the adjacency, the nodes module the typed configurations.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/value.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal {

/// One node object. `type` is the given type, or the inferred one when the
/// document gave none (empty when it could not be inferred).
struct NodeSpec {
  std::string id;
  std::string type;
  bool type_inferred = false;  ///< type came from inference (spec 01 §2)
  Value data;                  ///< always an object (missing/null data is {})
  std::size_t index = 0;       ///< position in the `nodes` array
};

/// One edge object. `handle` is `sourceHandle`, else the legacy `condition`;
/// absent means an unconditional edge.
struct EdgeSpec {
  std::string id;
  std::string source;
  std::string target;
  std::optional<std::string> handle;
  bool handle_from_condition = false;  ///< handle came from the legacy `condition` key
  std::optional<std::string> target_handle;
  std::size_t index = 0;  ///< position in the `edges` array
};

/// Maps a JSON path inside the document to a file position. Implemented by the
/// loader for JSON and YAML sources; thread-safe.
class SourceLocator {
 public:
  virtual ~SourceLocator() = default;
  /// Position of the value at `path` (or of its key when `at_key`), with the
  /// span length when known. line == 0 when unknown.
  virtual diag::Location locate(const std::vector<PathStep>& path, bool at_key) const = 0;
  /// Position of byte `offset` of the string value at `path` (or of its key
  /// when `at_key`), an offset into the decoded string, spanning `length`
  /// bytes of it: exact through escapes and multi-line strings (YAML block,
  /// folded and quoted scalars). An offset at the end of the string points
  /// just after its last character. The base version adds the offset to the
  /// value's column, which is right only for a quoted or plain string on one
  /// line without escapes.
  virtual diag::Location locate_in_string(const std::vector<PathStep>& path, std::size_t offset,
                                          std::size_t length, bool at_key = false) const;
};

struct Workflow {
  std::string workflow_id;
  /// The top-level `lint` member as written (null when absent): settings for
  /// `thaiyyal lint` (`{ignore: [rule, ...]}`), which nothing else reads.
  Value lint;
  std::vector<NodeSpec> nodes;
  std::vector<EdgeSpec> edges;
  std::shared_ptr<const diag::SourceFile> source;  ///< may be null (built in code)
  std::shared_ptr<const SourceLocator> locator;    ///< may be null

  /// Location of `path` in the source, with node id and formatted JSON path set.
  /// `node` is the node the problem belongs to, if any.
  diag::Location location(const std::vector<PathStep>& path, const NodeSpec* node = nullptr,
                          bool at_key = false) const;
  /// Location of byte `offset` (spanning `length` bytes) of the string value at
  /// `path`, or of its key when `at_key`, as SourceLocator::locate_in_string;
  /// the value's location when the source is unknown.
  diag::Location location_in_string(const std::vector<PathStep>& path, std::size_t offset,
                                    std::size_t length, const NodeSpec* node = nullptr,
                                    bool at_key = false) const;
  /// Location of node `n`'s data key (or of the node itself when key is empty).
  diag::Location node_location(const NodeSpec& n, std::string_view key = {},
                               bool at_key = false) const;
};

/// Path helpers: `$.nodes[i]`, `$.nodes[i].data.<key>`, `$.edges[i].<key>`.
std::vector<PathStep> node_path(std::size_t index);
std::vector<PathStep> node_data_path(std::size_t index, std::string_view key);
std::vector<PathStep> edge_path(std::size_t index, std::string_view key = {});

}  // namespace thaiyyal
