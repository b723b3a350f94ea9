#include <fmt/format.h>

#include <chrono>
#include <deque>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Requests allowed per window; <= 0 fails at run time with
  /// `max_requests must be positive` (the reference crashes, D-8).
  std::int64_t max_requests = 0;
  /// Echoed as `window`; a text that does not parse fails at run time.
  DurationSetting per_duration;
  std::string strategy = "fixed_window";  ///< anything else fails at run time
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto max_requests = r.integer("max_requests", Presence::Required);
  auto per_duration = r.duration("per_duration", Presence::Required);
  if (auto strategy = r.string("strategy")) c->strategy = std::move(*strategy);
  if (!max_requests || !per_duration || !r.ok()) return nullptr;
  c->max_requests = *max_requests;
  c->per_duration = std::move(*per_duration);
  // The run-time checks, in the node's order; each one fails every run.
  if (!c->per_duration.value) {
    r.invalid_duration("per_duration", c->per_duration.text,
                       ConfigReader::RunEffect::fails(
                           fmt::format("invalid per_duration format: invalid duration format: {} "
                                       "(use formats like '5s', '10m', '1h')",
                                       c->per_duration.text)));
  } else if (c->strategy != "fixed_window") {
    r.unknown_option(
        "strategy", c->strategy, {"fixed_window"},
        ConfigReader::RunEffect::fails(fmt::format(
            "unsupported rate limit strategy: {} (only fixed_window supported)", c->strategy)));
  } else if (c->max_requests <= 0) {
    r.fails_when_run("max_requests", "max_requests must be positive");
  }
  return c;
}

/// The node's request log within one run (spec 03 §7.2): times of the
/// executions still inside the window.
struct Window {
  std::deque<std::chrono::steady_clock::time_point> requests;
};

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  using Clock = std::chrono::steady_clock;
  const auto& c = static_cast<const Config&>(config);
  if (!c.per_duration.value) {
    throw NodeError(fmt::format(
        "invalid per_duration format: invalid duration format: {} (use formats like '5s', '10m', "
        "'1h')",
        c.per_duration.text));
  }
  if (c.strategy != "fixed_window") {
    throw NodeError(fmt::format("unsupported rate limit strategy: {} (only fixed_window supported)",
                                c.strategy));
  }
  if (c.max_requests <= 0) throw NodeError("max_requests must be positive");
  auto& slot = ctx.node_state();
  if (!slot) slot = std::make_shared<Window>();
  auto& log = static_cast<Window*>(slot.get())->requests;
  const auto window = std::chrono::duration_cast<Clock::duration>(*c.per_duration.value);
  // A sliding log: forget requests older than the window, and when the window
  // is full wait (interruptibly) until its oldest request leaves it.
  auto prune = [&] {
    const auto cutoff = Clock::now() - window;
    while (!log.empty() && log.front() < cutoff) log.pop_front();
  };
  prune();
  while (log.size() >= static_cast<std::uint64_t>(c.max_requests)) {
    ctx.sleep_for(std::chrono::duration_cast<Nanos>(log.front() + window - Clock::now()) +
                  Nanos(1));
    prune();
  }
  log.push_back(Clock::now());
  return Value(Object{{"value", inputs.empty() ? Value() : inputs[0]},
                      {"rate_limited", Value(true)},
                      {"requests_count", Value(log.size())},
                      {"max_requests", Value(c.max_requests)},
                      {"window", Value(c.per_duration.text)}});
}

}  // namespace

extern const KindInfo kRateLimiterKind{
    "rate_limiter",
    Category::Pacing,
    "Passes its first input along, waiting when max_requests per window were already made.",
    R"({"max_requests": 10, "per_duration": "1s"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
