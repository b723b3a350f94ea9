#include "thaiyyal/nodes/kinds.h"

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

}  // namespace

extern const KindInfo kPartitionKind{
    "partition",
    Category::Array,
    "Splits its array input into the elements that pass the condition and those that fail.",
    R"({"condition": "item.score >= 50"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
