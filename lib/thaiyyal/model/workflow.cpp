#include "thaiyyal/model/workflow.h"

namespace thaiyyal {

diag::Location Workflow::location(const std::vector<PathStep>& path, const NodeSpec* node,
                                  bool at_key) const {
  diag::Location loc;
  if (locator) loc = locator->locate(path, at_key);
  if (!loc.file) loc.file = source;
  loc.json_path = format_json_path(path);
  if (node) {
    loc.node_id = node->id;
    loc.has_node = true;
  }
  return loc;
}

diag::Location Workflow::node_location(const NodeSpec& n, std::string_view key, bool at_key) const {
  if (key.empty()) return location(node_path(n.index), &n);
  return location(node_data_path(n.index, key), &n, at_key);
}

std::vector<PathStep> node_path(std::size_t index) {
  return {PathStep{"nodes", std::nullopt}, PathStep{"", index}};
}

std::vector<PathStep> node_data_path(std::size_t index, std::string_view key) {
  auto p = node_path(index);
  p.push_back(PathStep{"data", std::nullopt});
  p.push_back(PathStep{std::string(key), std::nullopt});
  return p;
}

std::vector<PathStep> edge_path(std::size_t index, std::string_view key) {
  std::vector<PathStep> p{PathStep{"edges", std::nullopt}, PathStep{"", index}};
  if (!key.empty()) p.push_back(PathStep{std::string(key), std::nullopt});
  return p;
}

}  // namespace thaiyyal
