#include "thaiyyal/nodes/values.h"

#include <algorithm>

namespace thaiyyal::nodes {

namespace {

/// The one table of array-carrying keys, in the order they are tried
/// (decision D18):
/// 1. D18's own seven keys, in D18's order (`filtered`: filter; `results`:
///    map, parallel; `range`: range; `values`: join `all`).
/// 2. The keys under which the other array kinds put their array, in the
///    order of their sections in spec 03-control: `sliced` (slice), `sorted`
///    (sort), `flattened` (flat_map), `unique`, `chunks` (chunk), `reversed`
///    (reverse), `passed` (partition: the elements that met the condition;
///    `failed` is not tried, it is a count in map, reduce and for_each),
///    `zipped` (zip), `sample`, `compacted` (compact), `transposed`
///    (transpose), then `result`, reduce's final accumulator (also
///    expression's pass-through without an expression).
/// 3. The generic carriers of a value handed on: `value` (condition, switch,
///    retry, try_catch, timeout, join `any`/`first`, split, extract, delay,
///    rate_limiter, throttle, variable, accumulator, counter, cache),
///    `final_value` (while_loop) and `body` (http with `response: "full"`).
/// Keys that hold no array data are not listed: group_by's `groups` (an
/// object of groups), find's `found` (one element), split's `paths` (names),
/// schema_validator's `errors` (its report; its `data` is in step 1).
constexpr std::string_view kArrayKeys[] = {
    // 1. D18, in its order.
    "filtered", "results", "range", "array", "items", "data", "values",
    // 2. The other array kinds' arrays.
    "sliced", "sorted", "flattened", "unique", "chunks", "reversed", "passed", "zipped", "sample",
    "compacted", "transposed", "result",
    // 3. Generic carriers.
    "value", "final_value", "body"};

}  // namespace

ArrayPtr array_input_ptr(const Value& input) {
  if (input.is_array()) return input.array_ptr();
  if (const Object* o = input.if_object()) {
    for (auto key : kArrayKeys) {
      const Value* v = o->find(key);
      if (v && v->is_array()) return v->array_ptr();
    }
  }
  return nullptr;
}

const Array* array_input(const Value& input) { return array_input_ptr(input).get(); }

std::span<const std::string_view> array_input_keys() { return kArrayKeys; }

Value not_an_array(const Value& input) {
  return Value(Object{{"error", Value("input is not an array")},
                      {"input", input},
                      {"original_type", Value(kind_name(input.kind()))}});
}

std::string go_text(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return "<nil>";
    case Kind::Bool:
      return v.as_bool() ? "true" : "false";
    case Kind::Number:
      return number_to_string(v.as_number());
    case Kind::String:
      return v.as_string();
    case Kind::Array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v.as_array()) {
        if (!first) out += ' ';
        first = false;
        out += go_text(e);
      }
      return out + "]";
    }
    case Kind::Object: {
      std::vector<const Object::Entry*> entries;
      for (const auto& e : v.as_object()) entries.push_back(&e);
      std::sort(entries.begin(), entries.end(),
                [](const auto* a, const auto* b) { return a->first < b->first; });
      std::string out = "map[";
      bool first = true;
      for (const auto* e : entries) {
        if (!first) out += ' ';
        first = false;
        out += e->first + ":" + go_text(e->second);
      }
      return out + "]";
    }
  }
  return "";
}

const Value* error_signal(const Value& v) { return v.find("error"); }

}  // namespace thaiyyal::nodes
