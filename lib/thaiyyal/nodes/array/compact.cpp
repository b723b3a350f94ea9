#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  bool remove_empty = false;  ///< also remove empty strings
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->remove_empty = r.boolean("remove_empty").value_or(false);
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kCompactKind{
    "compact",
    Category::Array,
    "Removes null elements (and, optionally, empty strings) from its array input.",
    R"({"remove_empty": true})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
