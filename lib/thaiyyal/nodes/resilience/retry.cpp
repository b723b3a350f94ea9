#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/values.h"

namespace thaiyyal::nodes {
namespace {

using Backoff = GuardPolicy::Backoff;

constexpr Choice<Backoff> kBackoffs[] = {
    {"exponential", Backoff::Exponential},
    {"linear", Backoff::Linear},
    {"constant", Backoff::Constant},
};

struct Config final : NodeConfig {
  /// Attempts in all, as configured (echoed in the exhausted-attempts error).
  /// The reference crashes on <= 0; here that means a single attempt.
  std::int64_t max_attempts = 3;
  /// What the engine applies to the predecessors (D10): re-execution with
  /// backoff (unknown backoff names act as constant; unparseable delays mean
  /// the defaults 1s and 30s), for errors matching retry_on_errors (substrings;
  /// empty means every error).
  GuardPolicy policy;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  GuardPolicy& p = c->policy;
  p.type = GuardPolicy::Type::Retry;
  c->max_attempts = r.integer("max_attempts").value_or(3);
  // The reference silently backs off as `constant` for an unknown strategy
  // and uses the default for an unparseable delay (spec 03-control §25):
  // here both are errors, as the node would run otherwise than written.
  if (auto backoff = r.string("backoff_strategy")) {
    if (auto b = find_choice(*backoff, kBackoffs)) {
      p.backoff = *b;
    } else {
      r.unknown_option("backoff_strategy", *backoff, choice_names(kBackoffs),
                       ConfigReader::RunEffect::ignored(
                           "the Go engine backs off as 'constant' for any other value"));
    }
  }
  if (auto d = r.duration("initial_delay")) {
    if (d->value) {
      p.initial_delay = *d->value;
    } else {
      r.invalid_duration(
          "initial_delay", d->text,
          ConfigReader::RunEffect::ignored("the Go engine silently waits the default 1s instead"));
    }
  }
  if (auto d = r.duration("max_delay")) {
    if (d->value) {
      p.max_delay = *d->value;
    } else {
      r.invalid_duration("max_delay", d->text,
                         ConfigReader::RunEffect::ignored(
                             "the Go engine silently caps delays at the default 30s instead"));
    }
  }
  p.multiplier = r.number("multiplier").value_or(2.0);
  if (auto patterns = r.string_list("retry_on_errors")) p.retry_on_errors = std::move(*patterns);
  if (!r.ok()) return nullptr;
  p.max_attempts = static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(c->max_attempts, 1, std::numeric_limits<std::uint32_t>::max()));
  return c;
}

const GuardPolicy* guard(const NodeConfig& config) {
  return &static_cast<const Config&>(config).policy;
}

/// The engine has already made every attempt (D10): the predecessor failed,
/// or still delivered an error signal (spec 03-control §0.4) after the last
/// one. This node reports the outcome; it never sleeps or retries itself.
Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (inputs.empty()) throw NodeError("retry node requires at least one input");
  const Value& input = inputs[0];
  const GuardOutcome* outcome = ctx.predecessor_outcome();
  std::optional<std::string> error;
  bool refused = false;
  if (outcome && outcome->failed) {
    error = outcome->error;
    refused = outcome->retry_refused;
  } else if (const Value* signal = error_signal(input)) {
    // retry reads a non-string error as "" (unlike try_catch).
    error = signal->is_string() ? signal->as_string() : std::string();
    refused = !c.policy.retries(*error);
  }
  if (!error) {
    return Value(
        Object{{"value", input},
               {"attempts", Value(static_cast<std::int64_t>(outcome ? outcome->attempts : 1))},
               {"success", Value(true)}});
  }
  if (refused) throw NodeError("error not in retry list: " + *error);
  throw NodeError(fmt::format("max retry attempts ({}) reached: {}", c.max_attempts, *error));
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("retry node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kRetryKind{
    "retry",
    Category::Resilience,
    "Re-executes a failing predecessor with exponential, linear or constant backoff.",
    R"({"max_attempts": 3, "backoff_strategy": "exponential", "initial_delay": "500ms"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    guard,
    describe,
};

}  // namespace thaiyyal::nodes
