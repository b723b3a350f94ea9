#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

constexpr std::uint64_t kDefaultMaxIterations = 100;

struct Config final : NodeConfig {
  std::string text;                              ///< echoed as `condition` in the output
  std::shared_ptr<const expr::Program> program;  ///< condition mode (D11)
  /// The node's own cap; <= 0 or absent means the default, and
  /// --max-loop-iterations caps it in turn (D9).
  std::optional<std::int64_t> max_iterations;
  std::uint64_t default_max_iterations = kDefaultMaxIterations;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->program =
      r.required_expression("condition", expr::Mode::Condition, "condition: empty condition");
  c->max_iterations = r.integer("max_iterations");
  if (!c->program || !r.ok()) return nullptr;
  c->text = expr::source_text(*c->program);
  return c;
}

/// The node's own cap: its max_iterations when positive, else its default.
std::uint64_t own_limit(const Config& c) {
  return c.max_iterations && *c.max_iterations > 0 ? static_cast<std::uint64_t>(*c.max_iterations)
                                                   : c.default_max_iterations;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "while_loop");
  const std::uint64_t limit = ctx.loop_limit(c.max_iterations, c.default_max_iterations);
  // Nothing runs in the body, so the value never changes (D11); the condition
  // is still evaluated each time (it may read now()).
  const expr::Env env = ctx.env(&input);
  std::uint64_t iterations = 0;
  for (;;) {
    bool holds = false;
    try {
      holds = expr::evaluate_condition(*c.program, env);
    } catch (const expr::ExprError& e) {
      throw NodeError(fmt::format("while_loop condition evaluation failed: {}", e.what()));
    }
    if (!holds) break;
    if (++iterations >= limit) {
      const std::string message = fmt::format("while_loop exceeded max iterations: {}", limit);
      // Below the node's own cap, --max-loop-iterations decided: a run limit (D9).
      if (limit < own_limit(c)) throw LimitError(message);
      throw NodeError(message);
    }
    poll_cancel(ctx, iterations);
  }
  return Value(Object{
      {"final_value", input}, {"iterations", Value(iterations)}, {"condition", Value(c.text)}});
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("while_loop node needs at least 1 input");
  };
  return t;
}

}  // namespace

extern const KindInfo kWhileLoopKind{
    "while_loop",
    Category::Control,
    "Tests its condition on the input: reports 0 iterations if false, fails at max_iterations "
    "if true.",
    R"({"condition": "input < 10", "max_iterations": 50})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
