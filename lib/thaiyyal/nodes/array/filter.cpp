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
                                     "filter node missing condition expression");
  if (!c->program || !r.ok()) return nullptr;
  c->text = expr::source_text(*c->program);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "filter");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) {
    // Not an error: the input passes through (spec 03-control §5(d)).
    return Value(Object{{"input", input},
                        {"filtered", input},
                        {"is_array", Value(false)},
                        {"warning", Value("input is not an array, passed through unchanged")},
                        {"original_type", Value(kind_name(input.kind()))}});
  }
  const Array& elements = *items;
  ElementEnv env(ctx, input, items);
  Array kept;
  // Room for every element: the pages of the part left unused are never
  // touched, so never resident, and no element is copied twice.
  kept.reserve(elements.size());
  std::size_t errors = 0;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    const Value& element = elements[i];
    try {
      if (expr::evaluate_condition(*c.program, env.at(i, element))) kept.push_back(element);
    } catch (const expr::ExprError& e) {
      // Left out, counted as an error and as skipped (02 §2.3).
      ++errors;
      warn_element(ctx, i, e);
    }
  }
  const std::size_t n = elements.size();
  const std::size_t kept_count = kept.size();
  return Value(Object{{"filtered", Value(std::move(kept))},
                      {"input_count", Value(n)},
                      {"output_count", Value(kept_count)},
                      {"skipped_count", Value(n - kept_count)},
                      {"error_count", Value(errors)},
                      {"condition", Value(c.text)},
                      {"is_array", Value(true)}});
}

}  // namespace

extern const KindInfo kFilterKind{
    "filter",
    Category::Array,
    "Keeps the elements of its array input for which the condition holds.",
    R"({"condition": "item.price < 100"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
