/// The value-limit check of spec 01 §5.3 (string length in bytes, array
/// length, nesting depth), applied recursively through objects as well.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::engine {

/// The reference's message for the first violation (`string too long: <n>
/// bytes (limit: <m>)`, `array too large: ...`, `array element <i>: ...`,
/// `value too deeply nested: ...`), or nullopt when `v` is within limits.
std::optional<std::string> check_value_limits(const Value& v, const Limits& limits);

/// The size of `v` as compact JSON, approximately (numbers count 8 bytes),
/// counted only up to `stop` (the result is then > stop). O(size).
std::uint64_t approximate_json_size(const Value& v, std::uint64_t stop);

}  // namespace thaiyyal::engine
