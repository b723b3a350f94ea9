#include "thaiyyal/nodes/array/elements.h"

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

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "reduce");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) fail_not_array("reduce", input);
  const Array& elements = *items;
  const std::size_t n = elements.size();
  Value acc = c.initial_value ? *c.initial_value : Value(0);
  ElementEnv env(ctx, input, items);
  env.bind_accumulator(&acc);
  std::size_t ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    poll_cancel(ctx, i);
    try {
      Value next = expr::evaluate(*c.program, env.at(i, elements[i]));
      acc = std::move(next);
      ++ok;
    } catch (const expr::ExprError& e) {
      // The accumulator keeps its value (02 §2.3).
      warn_element(ctx, i, e);
    }
  }
  return Value(Object{{"result", acc},
                      {"initial_value", c.initial_value ? *c.initial_value : Value()},
                      {"final_value", acc},
                      {"input_count", Value(n)},
                      {"iterations", Value(n)},
                      {"successful", Value(ok)},
                      {"failed", Value(n - ok)}});
}

}  // namespace

extern const KindInfo kReduceKind{
    "reduce",
    Category::Array,
    "Folds its array input into one value with an expression over accumulator and item.",
    R"({"expression": "accumulator + item.price", "initial_value": 0})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
