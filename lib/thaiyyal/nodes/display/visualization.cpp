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

Value run(const NodeConfig&, RunContext&, std::span<const Value> inputs) {
  if (inputs.empty()) throw NodeError("visualization needs at least 1 input");
  return inputs.front();
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("visualization needs at least 1 input");
  };
  return t;
}

}  // namespace

extern const KindInfo kVisualizationKind{
    "visualization",
    Category::Display,
    "Passes its first input through unchanged for viewers; needs at least one input.",
    R"({"mode": "table"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
