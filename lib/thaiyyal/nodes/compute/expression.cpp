#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string text;
  /// Null when the expression is blank: the node then passes its first input
  /// through with a warning (spec 03 §3.3).
  std::shared_ptr<const expr::Program> program;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto text = r.string("expression", Presence::Required);
  if (!text) return nullptr;
  if (!ConfigReader::blank(*text)) {
    c->program = r.expression_at({PathStep{"expression", std::nullopt}}, *text, "expression",
                                 expr::Mode::Value);
    if (!c->program) return nullptr;
  }
  c->text = std::move(*text);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("expression node needs at least 1 input");
  const Value& input = inputs.front();
  if (!c.program) {
    return Value(Object{{"result", input}, {"warning", Value("no expression specified")}});
  }
  try {
    return expr::evaluate(*c.program, ctx.env(&input));
  } catch (const expr::ExprError& e) {
    throw NodeError(std::string("expression evaluation failed: ") + e.what());
  }
}

/// The node fails without an input, whatever its expression reads (spec 03
/// §3.3: `1 + 2` with no input fails too).
NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("expression node needs at least 1 input");
  };
  return t;
}

}  // namespace

extern const KindInfo kExpressionKind{
    "expression",
    Category::Compute,
    "Evaluates an expression over its first input (bound as input and item).",
    R"({"expression": "input * 2 + 1"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
