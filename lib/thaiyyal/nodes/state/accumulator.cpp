#include <fmt/format.h>

#include <cmath>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class AccumOp : std::uint8_t { Sum, Product, Concat, Array, Count };

constexpr Choice<AccumOp> kAccumOps[] = {
    {"sum", AccumOp::Sum},     {"product", AccumOp::Product}, {"concat", AccumOp::Concat},
    {"array", AccumOp::Array}, {"count", AccumOp::Count},
};

struct Config final : NodeConfig {
  std::string op_name;  ///< echoed as `operation`
  /// nullopt: the node still succeeds without inputs (value null) and fails
  /// with `unsupported accumulator operation: <op>` when it has one.
  std::optional<AccumOp> op;
  /// Seeds the run's single accumulator slot while it is empty; nullopt when
  /// absent or null (the op's own default applies).
  std::optional<Value> initial_value;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("accum_op", Presence::Required);
  if (const Value* init = r.any("initial_value")) c->initial_value = *init;
  if (!op || !r.ok()) return nullptr;
  c->op = find_choice(*op, kAccumOps);
  if (!c->op) {
    r.unknown_option(
        "accum_op", *op, choice_names(kAccumOps),
        ConfigReader::RunEffect::fails(fmt::format("unsupported accumulator operation: {}", *op),
                                       "when it receives an input"));
  }
  c->op_name = std::move(*op);
  return c;
}

/// The slot's value when an empty slot is first used by `op`.
Value op_default(std::optional<AccumOp> op) {
  if (!op) return Value();
  switch (*op) {
    case AccumOp::Sum:
    case AccumOp::Count:
      return Value(0);
    case AccumOp::Product:
      return Value(1);
    case AccumOp::Concat:
      return Value("");
    case AccumOp::Array:
      return Value(Array{});
  }
  return Value();
}

double finite(double d) {
  if (std::isnan(d)) throw NodeError("result is not a number");
  if (std::isinf(d)) throw NodeError("numeric overflow");
  return d;
}

/// The slot combined with `input` (spec 03 §5.2 table; slot checks first).
Value combine(const Config& c, const Value& slot, const Value& input) {
  auto slot_number = [&] {
    if (!slot.is_number()) throw NodeError("accumulator value is not a number");
    return slot.as_number();
  };
  auto input_number = [&](std::string_view op) {
    if (!input.is_number()) {
      throw NodeError(fmt::format("{} accumulator requires numeric input, got {}", op,
                                  kind_name(input.kind())));
    }
    return input.as_number();
  };
  if (!c.op) throw NodeError(fmt::format("unsupported accumulator operation: {}", c.op_name));
  switch (*c.op) {
    case AccumOp::Sum: {
      const double s = slot_number();
      return Value(finite(s + input_number("sum")));
    }
    case AccumOp::Product: {
      const double s = slot_number();
      return Value(finite(s * input_number("product")));
    }
    case AccumOp::Count:
      return Value(finite(slot_number() + 1));
    case AccumOp::Concat: {
      if (!slot.is_string()) throw NodeError("accumulator value is not a string");
      if (!input.is_string()) {
        throw NodeError(fmt::format("concat accumulator requires string input, got {}",
                                    kind_name(input.kind())));
      }
      return Value(slot.as_string() + input.as_string());
    }
    case AccumOp::Array: {
      if (!slot.is_array()) throw NodeError("accumulator value is not an array");
      Array out = slot.as_array();
      out.push_back(input);
      return Value(std::move(out));
    }
  }
  return Value();
}

/// One slot per run, shared by every accumulator node whatever its op (D15).
Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  Value& slot = ctx.accumulator();
  if (slot.is_null()) slot = c.initial_value ? *c.initial_value : op_default(c.op);
  if (!inputs.empty()) slot = combine(c, slot, inputs.front());
  return Value(Object{{"operation", Value(c.op_name)}, {"value", slot}});
}

}  // namespace

extern const KindInfo kAccumulatorKind{
    "accumulator",
    Category::State,
    "Combines its first input into the run's accumulator (sum, product, concat, array, count).",
    R"({"accum_op": "sum", "initial_value": 0})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
