/// Visiting every string of a document: values and object keys.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "thaiyyal/model/value.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal {

/// Calls `fn(text, path, at_key)` for every string in `root`, depth first in
/// document order: each string value with its path below `root`, and each
/// object key with the path of its member and `at_key` set (the key before
/// the member's value). Uses an explicit stack, so deep documents are safe.
void for_each_string(const Value& root,
                     const std::function<void(const std::string& text,
                                              const std::vector<PathStep>& path, bool at_key)>& fn);

}  // namespace thaiyyal
