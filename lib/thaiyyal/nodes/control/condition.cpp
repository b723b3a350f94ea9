#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string text;                              ///< echoed as `condition` in the output
  std::shared_ptr<const expr::Program> program;  ///< condition mode
  /// Only used by type inference; routing uses the `path` of the output.
  std::optional<std::string> true_path, false_path;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->program =
      r.required_expression("condition", expr::Mode::Condition, "condition: empty condition");
  c->true_path = r.string("true_path");
  c->false_path = r.string("false_path");
  if (!c->program || !r.ok()) return nullptr;
  c->text = expr::source_text(*c->program);
  return c;
}

/// The output carries the routing keys of spec 01 §1.5/§3.4: `path` selects
/// the "true"/"false" handle; `true_path`/`false_path` are booleans.
Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("condition node needs at least 1 input");
  const Value& input = inputs.front();
  bool met = false;
  try {
    met = expr::evaluate_condition(*c.program, ctx.env(&input));
  } catch (const expr::ExprError& e) {
    throw NodeError(std::string("condition evaluation failed: ") + e.what());
  }
  return Value(Object{
      {"value", input},
      {"condition_met", Value(met)},
      {"condition", Value(c.text)},
      {"path", Value(met ? "true" : "false")},
      {"true_path", Value(met)},
      {"false_path", Value(!met)},
  });
}

/// Routes to `true` or `false` through the `path` of its result (01 §3.4).
NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.routes = true;
  t.handles = {"true", "false"};
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("condition node needs at least 1 input");
  };
  return t;
}

}  // namespace

extern const KindInfo kConditionKind{
    "condition",
    Category::Control,
    "Tests its first input and routes it to the true or false handle.",
    R"({"condition": "input.age >= 18", "true_path": "adult", "false_path": "minor"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
