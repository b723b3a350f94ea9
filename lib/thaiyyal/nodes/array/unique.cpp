#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string field;  ///< identity from this top-level member; "" uses the element
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kUniqueKind{
    "unique",
    Category::Array,
    "Keeps the first element of its array input for each distinct value (or field value).",
    R"({"field": "email"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
