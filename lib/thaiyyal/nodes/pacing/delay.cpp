#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Echoed as `duration`; a text that does not parse fails at run time with
  /// `invalid duration format: invalid duration format: <s> (...)`.
  DurationSetting duration;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto duration = r.duration("duration", Presence::Required);
  if (!duration || !r.ok()) return nullptr;
  if (!duration->value) {
    r.invalid_duration("duration", duration->text,
                       ConfigReader::RunEffect::fails(
                           fmt::format("invalid duration format: invalid duration format: {} (use "
                                       "formats like '5s', '10m', '1h')",
                                       duration->text)));
  }
  c->duration = std::move(*duration);
  return c;
}

/// The sleep is interruptible: the run deadline, the node's time budget and
/// cancellation end it early (D9).
Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (!c.duration.value) {
    throw NodeError(fmt::format(
        "invalid duration format: invalid duration format: {} (use formats like '5s', '10m', "
        "'1h')",
        c.duration.text));
  }
  ctx.sleep_for(*c.duration.value);  // zero or negative: no sleep
  return Value(Object{{"value", inputs.empty() ? Value() : inputs.front()},
                      {"duration", Value(c.duration.text)},
                      {"delayed", Value(true)}});
}

}  // namespace

extern const KindInfo kDelayKind{
    "delay",
    Category::Pacing,
    "Waits for a duration, then passes its first input along.",
    R"({"duration": "250ms"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
