#include "thaiyyal/nodes/kinds.h"

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

}  // namespace

extern const KindInfo kWhileLoopKind{
    "while_loop",
    Category::Control,
    "Tests its condition on the input: reports 0 iterations if false, fails at max_iterations "
    "if true.",
    R"({"condition": "input < 10", "max_iterations": 50})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
