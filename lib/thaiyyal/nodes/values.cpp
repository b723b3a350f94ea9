#include "thaiyyal/nodes/values.h"

#include <algorithm>

namespace thaiyyal::nodes {

namespace {
constexpr std::string_view kArrayKeys[] = {"filtered", "results", "range", "array",
                                           "items",    "data",    "values"};
}

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
