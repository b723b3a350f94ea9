/// Internal to load/: YAML text -> Value with the position of every value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "thaiyyal/model/value.h"

namespace thaiyyal::load::detail {

/// 0-based line/column of a value and of its key (for mapping values). For a
/// string value and for a key also what is needed to read it again from the
/// text (see string_source.h) and to check that reading gives the same string.
struct YamlSpan {
  int line = -1, column = -1;
  int key_line = -1, key_column = -1;
  std::size_t pos = 0;          ///< byte offset of the node, not counting a byte order mark
  int block_indent = -1;        ///< column of the enclosing block collection (-1: none)
  bool in_flow = false;         ///< inside a flow collection
  std::size_t string_size = 0;  ///< length of a string value
  std::size_t string_hash = 0;  ///< std::hash of a string value
  bool is_string = false;
  std::size_t key_pos = 0;   ///< the key's byte offset (when key_line >= 0)
  std::size_t key_size = 0;  ///< the key's length
  std::size_t key_hash = 0;  ///< std::hash of the key
};

/// JSON path ("$.nodes[0].data") -> span. Filled only when requested.
using YamlMarks = std::unordered_map<std::string, YamlSpan>;

Value parse_yaml_document(std::string_view text, std::size_t max_depth, YamlMarks* marks);

}  // namespace thaiyyal::load::detail
