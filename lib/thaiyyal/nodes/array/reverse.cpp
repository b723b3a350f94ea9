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

extern const KindInfo kReverseKind{
    "reverse", Category::Array, "Reverses its array input.", R"({})", parse, run_not_implemented,
};

}  // namespace thaiyyal::nodes
