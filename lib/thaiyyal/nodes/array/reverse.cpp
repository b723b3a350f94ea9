#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

/// No settings besides the generic label.
struct Config final : NodeConfig {};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  if (!r.ok()) return nullptr;
  return std::make_unique<Config>();
}

Value run(const NodeConfig&, RunContext&, std::span<const Value> inputs) {
  const Value& input = first_input(inputs, "reverse");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  return Value(Object{{"reversed", Value(Array(items->rbegin(), items->rend()))},
                      {"count", Value(items->size())}});
}

}  // namespace

extern const KindInfo kReverseKind{
    "reverse", Category::Array, "Reverses its array input.", R"({})", parse, run,
};

}  // namespace thaiyyal::nodes
