#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string text;  ///< echoed as `condition` in the output
  /// Condition mode, once per element (item, index, items and input bound).
  std::shared_ptr<const expr::Program> program;
  bool return_index = false;  ///< adds `index` to a match
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->program = r.required_expression("condition", expr::Mode::Condition,
                                     "find node missing required 'condition' string");
  c->return_index = r.boolean("return_index").value_or(false);
  if (!c->program || !r.ok()) return nullptr;
  c->text = expr::source_text(*c->program);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "find");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  ElementEnv env(ctx, input, items);
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    bool match = false;
    try {
      match = expr::evaluate_condition(*c.program, env.at(i, elements[i]));
    } catch (const expr::ExprError& e) {
      warn_element(ctx, i, e);  // no match; the scan goes on (02 §2.3)
    }
    if (!match) continue;
    Object out;
    out.append_unique("found", elements[i]);
    if (c.return_index) out.append_unique("index", Value(i));
    out.append_unique("condition", Value(c.text));
    return Value(std::move(out));
  }
  return Value(Object{{"found", Value()},
                      {"not_found", Value(true)},
                      {"condition", Value(c.text)},
                      {"input_count", Value(elements.size())}});
}

}  // namespace

extern const KindInfo kFindKind{
    "find",
    Category::Array,
    "Yields the first element of its array input for which the condition holds.",
    R"({"condition": "item.id == 42", "return_index": true})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
