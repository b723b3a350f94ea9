/// Internal to load/: YAML text -> Value with the position of every value.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "thaiyyal/model/value.h"

namespace thaiyyal::load::detail {

/// 0-based line/column of a value and of its key (for mapping values).
struct YamlSpan {
  int line = -1, column = -1;
  int key_line = -1, key_column = -1;
};

/// JSON path ("$.nodes[0].data") -> span. Filled only when requested.
using YamlMarks = std::unordered_map<std::string, YamlSpan>;

Value parse_yaml_document(std::string_view text, std::size_t max_depth, YamlMarks* marks);

}  // namespace thaiyyal::load::detail
