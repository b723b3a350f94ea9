#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Field mode: this top-level key of each element. Wins over the expression.
  std::string field;
  /// Value mode, once per element; null when the expression is absent or blank.
  std::shared_ptr<const expr::Program> program;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  // Parsed even when `field` wins, so a broken expression never goes unnoticed.
  c->program = r.expression("expression", expr::Mode::Value);
  if (!r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "map");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) fail_not_array("map", input);
  const Array& elements = *items;
  const std::size_t n = elements.size();
  if (c.field.empty() && !c.program) {
    return Value(Object{{"results", Value(items)},
                        {"input_count", Value(n)},
                        {"output_count", Value(n)},
                        {"warning", Value("no transformation specified")}});
  }
  Array results;
  results.reserve(n);
  std::size_t ok = 0;
  if (!c.field.empty()) {
    // Field mode: a non-object element or a missing key fails (null).
    for (std::size_t i = 0; i < n; ++i) {
      poll_cancel(ctx, i);
      const Value* member = elements[i].find(c.field);
      if (member) {
        results.push_back(*member);
        ++ok;
      } else {
        results.emplace_back();
      }
    }
  } else {
    ElementEnv env(ctx, input, items);
    for (std::size_t i = 0; i < n; ++i) {
      poll_cancel(ctx, i);
      try {
        results.push_back(expr::evaluate(*c.program, env.at(i, elements[i])));
        ++ok;
      } catch (const expr::ExprError& e) {
        // null at the element's position (02 §2.3).
        results.emplace_back();
        warn_element(ctx, i, e);
      }
    }
  }
  return Value(Object{{"results", Value(std::move(results))},
                      {"input_count", Value(n)},
                      {"output_count", Value(n)},
                      {"successful", Value(ok)},
                      {"failed", Value(n - ok)}});
}

}  // namespace

extern const KindInfo kMapKind{
    "map",
    Category::Array,
    "Transforms each element of its array input with an expression, or picks one field of each.",
    R"({"expression": "item.price * item.quantity"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
