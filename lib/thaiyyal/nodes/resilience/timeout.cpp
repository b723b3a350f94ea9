#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// The limit; a text that does not parse fails at run time with
  /// `invalid timeout duration: <text>` (before the input check).
  DurationSetting timeout;
  std::string action = "error";  ///< echoed; only "error" fails on a timeout
  bool fail_on_timeout = true;   ///< action == "error"; anything else continues
  /// Timeout: the engine bounds each predecessor execution by `timeout` (D10).
  /// Unused when the timeout does not parse (the node then fails when run).
  GuardPolicy policy;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto timeout = r.duration("timeout", Presence::Required);
  if (auto action = r.string("timeout_action")) {
    // The reference continues for any text but "error" (spec 03-control
    // §27): a misspelt "error" must not silently mean "continue".
    if (*action != "error" && *action != "continue" && *action != "continue_with_partial") {
      r.unknown_option(
          "timeout_action", *action, {"error", "continue", "continue_with_partial"},
          ConfigReader::RunEffect::ignored(
              "the Go engine continues with a partial result for any value but 'error'"));
    }
    c->action = std::move(*action);
  }
  c->fail_on_timeout = c->action == "error";
  if (!timeout || !r.ok()) return nullptr;
  if (!timeout->value) {
    r.invalid_duration(
        "timeout", timeout->text,
        ConfigReader::RunEffect::fails(fmt::format("invalid timeout duration: {}", timeout->text)));
  }
  c->timeout = std::move(*timeout);
  c->policy.type = GuardPolicy::Type::Timeout;
  if (c->timeout.value) c->policy.timeout = *c->timeout.value;
  return c;
}

const GuardPolicy* guard(const NodeConfig& config) {
  const auto& c = static_cast<const Config&>(config);
  return c.timeout.value ? &c.policy : nullptr;
}

/// Reports how long the predecessor really ran (D10): an `execution_time`
/// member of the input is plain data. A predecessor that the engine cut at
/// the limit delivers an error signal, so the value is then null.
Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (!c.timeout.value) throw NodeError("invalid timeout duration: " + c.timeout.text);
  if (inputs.empty()) throw NodeError("timeout node requires at least one input");
  const Nanos limit = *c.timeout.value;
  const GuardOutcome* outcome = ctx.predecessor_outcome();
  const Nanos elapsed = outcome ? outcome->elapsed : Nanos(0);
  // Cut by the engine, or finished but later than the limit (a predecessor
  // that never checks for cancellation cannot be cut).
  const bool cut = outcome && outcome->timed_out;
  const bool timed_out = cut || (outcome && !outcome->failed && elapsed > limit);
  const std::string exec_text = format_go_duration(elapsed);
  const std::string limit_text = format_go_duration(limit);
  if (timed_out && c.fail_on_timeout) {
    throw NodeError(fmt::format("operation timed out after {} (limit: {})", exec_text, limit_text));
  }
  Object out{{"value", cut ? Value() : inputs[0]},
             {"timeout_duration", Value(limit_text)},
             {"execution_time", Value(exec_text)},
             {"timed_out", Value(timed_out)}};
  if (timed_out) {
    out.append_unique("timeout_exceeded", Value(true));
    out.append_unique("partial_result", Value(true));
  }
  return Value(std::move(out));
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("timeout node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kTimeoutKind{
    "timeout",
    Category::Resilience,
    "Bounds the execution time of its predecessor; fails or continues when it is exceeded.",
    R"({"timeout": "5s", "timeout_action": "error"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    guard,
    describe,
};

}  // namespace thaiyyal::nodes
