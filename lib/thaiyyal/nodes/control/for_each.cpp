#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

constexpr std::uint64_t kDefaultMaxIterations = 1000;

struct Config final : NodeConfig {
  /// The node's own cap on the input length; <= 0 or absent means the
  /// default, and --max-loop-iterations caps it in turn (D9).
  std::optional<std::int64_t> max_iterations;
  std::uint64_t default_max_iterations = kDefaultMaxIterations;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->max_iterations = r.integer("max_iterations");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kForEachKind{
    "for_each",
    Category::Control,
    "Checks that its array input is within max_iterations and reports the iteration counts.",
    R"({"max_iterations": 500})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
