#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string text;  ///< echoed as `condition` in the output
  /// Condition mode, once per element (item, index, items and input bound).
  std::shared_ptr<const expr::Program> program;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->program = r.required_expression("condition", expr::Mode::Condition,
                                     "partition node missing required 'condition' string");
  if (!c->program || !r.ok()) return nullptr;
  c->text = expr::source_text(*c->program);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "partition");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  ElementEnv env(ctx, input, items);
  Array passed, failed;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    const Value& element = elements[i];
    bool pass = false;
    try {
      pass = expr::evaluate_condition(*c.program, env.at(i, element));
    } catch (const expr::ExprError& e) {
      warn_element(ctx, i, e);  // goes to `failed` (02 §2.3)
    }
    (pass ? passed : failed).push_back(element);
  }
  const std::size_t passed_count = passed.size(), failed_count = failed.size();
  return Value(Object{{"passed", Value(std::move(passed))},
                      {"failed", Value(std::move(failed))},
                      {"passed_count", Value(passed_count)},
                      {"failed_count", Value(failed_count)},
                      {"input_count", Value(elements.size())},
                      {"condition", Value(c.text)}});
}

}  // namespace

extern const KindInfo kPartitionKind{
    "partition",
    Category::Array,
    "Splits its array input into the elements that pass the condition and those that fail.",
    R"({"condition": "item.score >= 50"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
