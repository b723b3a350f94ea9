#include "thaiyyal/nodes/kinds.h"

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

}  // namespace

extern const KindInfo kMapKind{
    "map",
    Category::Array,
    "Transforms each element of its array input with an expression, or picks one field of each.",
    R"({"expression": "item.price * item.quantity"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
