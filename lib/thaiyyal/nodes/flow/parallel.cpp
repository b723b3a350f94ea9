#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Echoed as `concurrency`. Values <= 0 hang or crash the reference; here
  /// the node completes normally and echoes the configured number.
  std::int64_t max_concurrency = 10;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->max_concurrency = r.integer("max_concurrency").value_or(10);
  r.string("timeout");  // accepted and ignored, as in the reference
  if (!r.ok()) return nullptr;
  return c;
}

/// A gather: the inputs, already computed, in edge order. Nothing runs here,
/// so `max_concurrency` is only echoed (any value, even <= 0, completes).
Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("parallel node requires at least one input");
  return Value(Object{{"results", Value(Array(inputs.begin(), inputs.end()))},
                      {"count", Value(inputs.size())},
                      {"concurrency", Value(c.max_concurrency)}});
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("parallel node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kParallelKind{
    "parallel",
    Category::Flow,
    "Gathers all its inputs, in edge order, into one results array.",
    R"({"max_concurrency": 4})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
