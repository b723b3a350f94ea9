#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/state/context_config.h"

namespace thaiyyal::nodes {
namespace {

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  return parse_context_config(r, /*constant=*/true);
}

}  // namespace

extern const KindInfo kContextConstantKind{
    "context_constant",
    Category::State,
    "Defines context constants (context.<name> in expressions) from typed values.",
    R"({"context_values": [{"name": "limit", "value": "25", "type": "number"}]})",
    parse,
    run_context,
    /*declared_only=*/false,
    /*context_node=*/true,
    /*guard=*/nullptr,
    describe_context,
};

}  // namespace thaiyyal::nodes
