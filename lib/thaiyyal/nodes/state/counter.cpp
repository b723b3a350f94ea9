#include <fmt/format.h>

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
    r.warn_fails_when_run(
        "counter_op",
        fmt::format("unsupported counter operation: {} (use increment, decrement, reset, or get)",
                    *op),
        choice_names(kCounterOps));
  }
  c->op_name = std::move(*op);
  return c;
}

}  // namespace

extern const KindInfo kCounterKind{
    "counter",
    Category::State,
    "Increments, decrements, resets or reads the run's counter.",
    R"({"counter_op": "increment", "delta": 1})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
