#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Value mode, once per element; yields the next accumulator.
  std::shared_ptr<const expr::Program> program;
  /// The starting accumulator as written (any JSON value); nullopt when absent
  /// or null: the accumulator starts at 0 and the output echoes null.
  std::optional<Value> initial_value;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->program =
      r.required_expression("expression", expr::Mode::Value, "reduce node requires an expression");
  if (const Value* init = r.any("initial_value")) c->initial_value = *init;
  if (!c->program || !r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kReduceKind{
    "reduce",
    Category::Array,
    "Folds its array input into one value with an expression over accumulator and item.",
    R"({"expression": "accumulator + item.price", "initial_value": 0})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
