/// Internal to nodes/: value helpers shared by several kinds' executors.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "thaiyyal/model/value.h"

namespace thaiyyal::nodes {

/// The array an array-consuming node works on (decision D18): the input
/// itself when it is an array; for an object, the first array-valued member
/// among D18's `filtered`, `results`, `range`, `array`, `items`, `data`,
/// `values`, then the keys the other array-producing kinds emit (`sorted`,
/// `unique`, `chunks`, ... and the generic `value`; the table in values.cpp
/// lists them in order); otherwise nullptr (the caller's non-array outcome).
/// Only one level is looked at. Every kind that needs an array uses this.
const Array* array_input(const Value& input);
/// Same, returning the shared pointer (no copy of the elements).
ArrayPtr array_input_ptr(const Value& input);
/// The keys array_input() tries, in order.
std::span<const std::string_view> array_input_keys();

/// The soft-error object of spec 03-control §0.4 for a non-array input:
/// {"error": "input is not an array", "input": <input>, "original_type": <json type>}.
Value not_an_array(const Value& input);

/// Go's %v text of a value with JavaScript number text (spec 03-control §0.5
/// GoText, as amended by D2): strings raw, null `<nil>`, arrays `[a b]`,
/// objects `map[k:v]` with sorted keys.
std::string go_text(const Value& v);

/// The error text of an error signal (an object with an `error` member), or
/// nullptr when `v` is not one (spec 03-control §0.4, §25, §26).
const Value* error_signal(const Value& v);

}  // namespace thaiyyal::nodes
