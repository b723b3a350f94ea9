#include "thaiyyal/nodes/kinds.h"

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

}  // namespace

extern const KindInfo kFindKind{
    "find",
    Category::Array,
    "Yields the first element of its array input for which the condition holds.",
    R"({"condition": "item.id == 42", "return_index": true})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
