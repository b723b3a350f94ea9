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

/// No input is not an error: the result is null.
Value run(const NodeConfig&, RunContext&, std::span<const Value> inputs) {
  return inputs.empty() ? Value() : inputs.front();
}

}  // namespace

extern const KindInfo kRendererKind{
    "renderer",
    Category::Display,
    "Passes its first input through for viewers, or yields null without inputs.",
    R"({"mode": "json"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
