#include "thaiyyal/engine/value_limits.h"

#include <fmt/format.h>

namespace thaiyyal::engine {
namespace {

std::optional<std::string> check_sizes(const Value& v, const Limits& l) {
  if (const auto* s = v.if_string()) {
    if (l.max_string_length > 0 && s->size() > l.max_string_length) {
      return fmt::format("string too long: {} bytes (limit: {})", s->size(), l.max_string_length);
    }
    return std::nullopt;
  }
  if (const auto* a = v.if_array()) {
    if (l.max_array_length > 0 && a->size() > l.max_array_length) {
      return fmt::format("array too large: {} elements (limit: {})", a->size(), l.max_array_length);
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (auto inner = check_sizes((*a)[i], l)) {
        return fmt::format("array element {}: {}", i, *inner);
      }
    }
    return std::nullopt;
  }
  if (const auto* o = v.if_object()) {
    for (const auto& [key, member] : *o) {
      if (auto inner = check_sizes(member, l)) return fmt::format("field {}: {}", key, *inner);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_value_limits(const Value& v, const Limits& limits) {
  if (v.is_null()) return std::nullopt;
  if (limits.max_string_length > 0 || limits.max_array_length > 0) {
    if (auto size_error = check_sizes(v, limits)) return size_error;
  }
  if (limits.max_context_depth > 0) {
    const auto depth = nesting_depth(v);
    if (depth > limits.max_context_depth) {
      return fmt::format("value too deeply nested: {} levels (limit: {})", depth,
                         limits.max_context_depth);
    }
  }
  return std::nullopt;
}

std::uint64_t approximate_json_size(const Value& v, std::uint64_t stop) {
  switch (v.kind()) {
    case Kind::Null:
      return 4;
    case Kind::Bool:
      return 5;
    case Kind::Number:
      return 8;
    case Kind::String:
      return v.as_string().size() + 2;
    case Kind::Array: {
      std::uint64_t n = 2;
      for (const auto& e : v.as_array()) {
        n += approximate_json_size(e, stop) + 1;
        if (n > stop) return n;
      }
      return n;
    }
    case Kind::Object: {
      std::uint64_t n = 2;
      for (const auto& [k, e] : v.as_object()) {
        n += k.size() + 4 + approximate_json_size(e, stop);
        if (n > stop) return n;
      }
      return n;
    }
  }
  return 0;
}

}  // namespace thaiyyal::engine
