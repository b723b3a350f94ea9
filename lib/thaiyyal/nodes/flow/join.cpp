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
      r.unknown_option("join_strategy", *strategy, choice_names(kStrategies),
                       ConfigReader::RunEffect::fails(fmt::format(
                           "unsupported join strategy: {} (use all, any, or first)", *strategy)));
    }
    c->strategy_name = std::move(*strategy);
  }
  return c;
}

/// Inputs arrive in edge order from the predecessors that ran; skipped
/// branches contribute nothing (spec 03-control §23).
Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (!c.strategy) {
    throw NodeError(
        fmt::format("unsupported join strategy: {} (use all, any, or first)", c.strategy_name));
  }
  switch (*c.strategy) {
    case Strategy::All:
      if (inputs.empty())
        throw NodeError("join node with 'all' strategy requires at least one input");
      return Value(Object{{"strategy", Value("all")},
                          {"values", Value(Array(inputs.begin(), inputs.end()))},
                          {"count", Value(inputs.size())}});
    case Strategy::Any:
      if (inputs.empty()) throw NodeError("join node with 'any' strategy has no inputs");
      return Value(Object{
          {"strategy", Value("any")}, {"value", inputs.front()}, {"count", Value(inputs.size())}});
    case Strategy::First:
      if (inputs.empty()) throw NodeError("join node with 'first' strategy has no inputs");
      return Value(Object{{"strategy", Value("first")}, {"value", inputs.front()}});
  }
  return Value();
}

/// Every strategy fails without an input (an unknown one fails anyway).
NodeTraits describe(const NodeConfig& cfg) {
  const auto& c = static_cast<const Config&>(cfg);
  NodeTraits t;
  if (!c.strategy) return t;
  t.min_inputs = 1;
  switch (*c.strategy) {
    case Strategy::All:
      t.too_few_inputs = [](std::size_t) {
        return std::string("join node with 'all' strategy requires at least one input");
      };
      break;
    case Strategy::Any:
      t.too_few_inputs = [](std::size_t) {
        return std::string("join node with 'any' strategy has no inputs");
      };
      break;
    case Strategy::First:
      t.too_few_inputs = [](std::size_t) {
        return std::string("join node with 'first' strategy has no inputs");
      };
      break;
  }
  return t;
}

}  // namespace

extern const KindInfo kJoinKind{
    "join",
    Category::Flow,
    "Merges the inputs of converging branches: all of them, or the first one.",
    R"({"join_strategy": "all"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
