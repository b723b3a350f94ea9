#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/state/context_config.h"

namespace thaiyyal::nodes {
namespace {

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  return parse_context_config(r, /*constant=*/false);
}

}  // namespace

extern const KindInfo kContextVariableKind{
    "context_variable",
    Category::State,
    "Defines context variables (context.<name> in expressions) from typed values.",
    R"({"context_values": [{"name": "region", "value": "eu-west", "type": "string"}]})",
    parse,
    run_context,
    /*declared_only=*/false,
    /*context_node=*/true,
    /*guard=*/nullptr,
    describe_context,
};

}  // namespace thaiyyal::nodes
