#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

/// No settings besides the generic label.
struct Config final : NodeConfig {};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  if (!r.ok()) return nullptr;
  return std::make_unique<Config>();
}

}  // namespace

extern const KindInfo kTransposeKind{
    "transpose", Category::Array, "Transposes its array-of-arrays input (rows become columns).",
    R"({})",     parse,           run_not_implemented,
};

}  // namespace thaiyyal::nodes
