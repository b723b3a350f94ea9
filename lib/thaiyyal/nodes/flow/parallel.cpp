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

}  // namespace

extern const KindInfo kParallelKind{
    "parallel",
    Category::Flow,
    "Gathers all its inputs, in edge order, into one results array.",
    R"({"max_concurrency": 4})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
