#include "thaiyyal/model/workflow.h"

#include <algorithm>

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

diag::Location SourceLocator::locate_in_string(const std::vector<PathStep>& path,
                                               std::size_t offset, std::size_t length,
                                               bool at_key) const {
  diag::Location loc = locate(path, at_key);
  if (loc.line > 0 && loc.file) {
    const auto text = loc.file->line_text(loc.line);
    const auto col = static_cast<std::size_t>(loc.column - 1);
    const int quote = col < text.size() && (text[col] == '"' || text[col] == '\'') ? 1 : 0;
    loc.column += quote + static_cast<int>(offset);
    loc.length = static_cast<int>(std::max<std::size_t>(1, length));
  }
  return loc;
}

diag::Location Workflow::location_in_string(const std::vector<PathStep>& path, std::size_t offset,
                                            std::size_t length, const NodeSpec* node,
                                            bool at_key) const {
  if (!locator) return location(path, node, at_key);
  diag::Location loc = locator->locate_in_string(path, offset, length, at_key);
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
