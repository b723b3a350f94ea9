#include <fmt/format.h>

#include <chrono>
#include <cmath>

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
    r.fails_when_run("requests_per_second",
                     fmt::format("requests_per_second must be positive, got {:.6f}", *rate));
  }
  return c;
}

/// The time of the node's previous execution within the run (spec 03 §7.3).
struct LastRun {
  std::chrono::steady_clock::time_point at;
};

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  using Clock = std::chrono::steady_clock;
  const auto& c = static_cast<const Config&>(config);
  if (c.requests_per_second <= 0) {
    throw NodeError(
        fmt::format("requests_per_second must be positive, got {:.6f}", c.requests_per_second));
  }
  auto& slot = ctx.node_state();
  Nanos waited{0};
  if (slot) {
    const double spacing_ns = 1e9 / c.requests_per_second;
    const auto next = static_cast<LastRun*>(slot.get())->at +
                      std::chrono::duration_cast<Clock::duration>(
                          Nanos(static_cast<std::int64_t>(std::min(spacing_ns, 9e18))));
    const auto start = Clock::now();
    if (next > start) {
      ctx.sleep_for(std::chrono::duration_cast<Nanos>(next - start));
      waited = std::chrono::duration_cast<Nanos>(Clock::now() - start);
    }
  } else {
    slot = std::make_shared<LastRun>();
  }
  static_cast<LastRun*>(slot.get())->at = Clock::now();
  return Value(Object{
      {"value", inputs.empty() ? Value() : inputs[0]},
      {"throttled", Value(true)},
      {"requests_per_second", Value(c.requests_per_second)},
      {"delay_ms", Value(static_cast<std::int64_t>(
                       std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()))},
  });
}

}  // namespace

extern const KindInfo kThrottleKind{
    "throttle",
    Category::Pacing,
    "Passes its first input along, spacing executions to requests_per_second.",
    R"({"requests_per_second": 5})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
