#include <fmt/format.h>

#include <cmath>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class CounterOp : std::uint8_t { Increment, Decrement, Reset, Get };

constexpr Choice<CounterOp> kCounterOps[] = {
    {"increment", CounterOp::Increment},
    {"decrement", CounterOp::Decrement},
    {"reset", CounterOp::Reset},
    {"get", CounterOp::Get},
};

struct Config final : NodeConfig {
  std::string op_name;  ///< echoed as `operation`
  /// nullopt: `unsupported counter operation: <op> (...)` at run time.
  std::optional<CounterOp> op;
  double delta = 1;
  /// Overwrites the run's counter on every execution when it is a JSON
  /// number; other values are ignored (spec 03 §5.3).
  std::optional<double> initial_value;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("counter_op", Presence::Required);
  c->delta = r.number("delta").value_or(1);
  c->initial_value = number_if_given(r, "initial_value");
  if (!op || !r.ok()) return nullptr;
  c->op = find_choice(*op, kCounterOps);
  if (!c->op) {
    r.unknown_option(
        "counter_op", *op, choice_names(kCounterOps),
        ConfigReader::RunEffect::fails(fmt::format(
            "unsupported counter operation: {} (use increment, decrement, reset, or get)", *op)));
  }
  c->op_name = std::move(*op);
  return c;
}

/// One counter per run, shared by every counter node (D15).
Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value>) {
  const auto& c = static_cast<const Config&>(cfg);
  double& counter = ctx.counter();
  if (c.initial_value) counter = *c.initial_value;  // overwrites on every execution
  if (!c.op) {
    throw NodeError(fmt::format(
        "unsupported counter operation: {} (use increment, decrement, reset, or get)", c.op_name));
  }
  double next = counter;
  switch (*c.op) {
    case CounterOp::Increment:
      next = counter + c.delta;
      break;
    case CounterOp::Decrement:
      next = counter - c.delta;
      break;
    case CounterOp::Reset:
      next = c.initial_value.value_or(0);
      break;
    case CounterOp::Get:
      break;
  }
  if (!std::isfinite(next)) throw NodeError("numeric overflow");  // D2
  counter = next;
  return Value(Object{{"operation", Value(c.op_name)}, {"value", Value(counter)}});
}

}  // namespace

extern const KindInfo kCounterKind{
    "counter",
    Category::State,
    "Increments, decrements, resets or reads the run's counter.",
    R"({"counter_op": "increment", "delta": 1})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
