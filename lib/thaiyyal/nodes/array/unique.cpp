#include <unordered_set>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string field;  ///< identity from this top-level member; "" uses the element
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  if (!r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "unique");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  // Identity is text (spec 03-control §13(d)): 1 and "1" collide.
  std::unordered_set<std::string> seen;
  Array kept;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    const Value& element = elements[i];
    const Value* identity = &element;
    if (!c.field.empty() && element.is_object()) {
      identity = element.find(c.field);
      if (!identity) {
        kept.push_back(element);  // an object without the field is always kept
        continue;
      }
    }
    if (seen.insert(go_text(*identity)).second) kept.push_back(element);
  }
  const std::size_t count = kept.size();
  return Value(Object{{"unique", Value(std::move(kept))},
                      {"input_count", Value(elements.size())},
                      {"output_count", Value(count)},
                      {"removed", Value(elements.size() - count)}});
}

}  // namespace

extern const KindInfo kUniqueKind{
    "unique",
    Category::Array,
    "Keeps the first element of its array input for each distinct value (or field value).",
    R"({"field": "email"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
