#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Target rate; <= 0 fails at run time with
  /// `requests_per_second must be positive, got <rate with six decimals>`.
  double requests_per_second = 0;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto rate = r.number("requests_per_second", Presence::Required);
  if (!rate || !r.ok()) return nullptr;
  c->requests_per_second = *rate;
  if (*rate <= 0) {
    r.warn_fails_when_run("requests_per_second",
                          fmt::format("requests_per_second must be positive, got {:.6f}", *rate));
  }
  return c;
}

}  // namespace

extern const KindInfo kThrottleKind{
    "throttle",
    Category::Pacing,
    "Passes its first input along, spacing executions to requests_per_second.",
    R"({"requests_per_second": 5})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
