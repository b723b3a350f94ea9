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

}  // namespace

extern const KindInfo kConditionKind{
    "condition",
    Category::Control,
    "Tests its first input and routes it to the true or false handle.",
    R"({"condition": "input.age >= 18", "true_path": "adult", "false_path": "minor"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
