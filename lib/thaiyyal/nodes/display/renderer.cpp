#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::optional<std::string> mode;  ///< a display hint; the engine ignores it
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->mode = r.string("mode");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kRendererKind{
    "renderer",
    Category::Display,
    "Passes its first input through for viewers, or yields null without inputs.",
    R"({"mode": "json"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
