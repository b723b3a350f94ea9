#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class Strategy : std::uint8_t { All, Any, First };

constexpr Choice<Strategy> kStrategies[] = {
    {"all", Strategy::All},
    {"any", Strategy::Any},
    {"first", Strategy::First},
};

struct Config final : NodeConfig {
  std::string strategy_name = "all";
  /// nullopt: `unsupported join strategy: <s> (use all, any, or first)` at run time.
  std::optional<Strategy> strategy = Strategy::All;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto strategy = r.string("join_strategy");
  r.string("timeout");  // accepted and ignored, as in the reference
  if (!r.ok()) return nullptr;
  if (strategy) {
    c->strategy = find_choice(*strategy, kStrategies);
    if (!c->strategy) {
      r.warn_fails_when_run(
          "join_strategy",
          fmt::format("unsupported join strategy: {} (use all, any, or first)", *strategy),
          choice_names(kStrategies));
    }
    c->strategy_name = std::move(*strategy);
  }
  return c;
}

}  // namespace

extern const KindInfo kJoinKind{
    "join",
    Category::Flow,
    "Merges the inputs of converging branches: all of them, or the first one.",
    R"({"join_strategy": "all"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
