#include <fmt/format.h>

#include <cmath>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class Op : std::uint8_t { Add, Subtract, Multiply, Divide };

constexpr Choice<Op> kOps[] = {
    {"add", Op::Add},
    {"subtract", Op::Subtract},
    {"multiply", Op::Multiply},
    {"divide", Op::Divide},
};

struct Config final : NodeConfig {
  std::string op_name;   ///< as written, for the run-time message
  std::optional<Op> op;  ///< nullopt: fails at run time with `unknown operation: <op>`
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("op", Presence::Required);
  if (!op) return nullptr;
  c->op = find_choice(*op, kOps);
  if (!c->op) {
    r.unknown_option("op", *op, choice_names(kOps),
                     ConfigReader::RunEffect::fails(fmt::format("unknown operation: {}", *op)));
  }
  c->op_name = std::move(*op);
  return c;
}

/// Checks in the reference's order (spec 03 §3.1): input count, operand
/// types, zero divisor, operation name; a non-finite result fails (D2).
Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.size() < 2) {
    throw NodeError(fmt::format("operation needs 2 inputs, got {}", inputs.size()));
  }
  if (!inputs[0].is_number() || !inputs[1].is_number()) {
    throw NodeError("operation inputs must be numbers");
  }
  const double a = inputs[0].as_number();
  const double b = inputs[1].as_number();
  if (c.op == Op::Divide && b == 0) throw NodeError("division by zero");
  if (!c.op) throw NodeError(fmt::format("unknown operation: {}", c.op_name));
  double r = 0;
  switch (*c.op) {
    case Op::Add:
      r = a + b;
      break;
    case Op::Subtract:
      r = a - b;
      break;
    case Op::Multiply:
      r = a * b;
      break;
    case Op::Divide:
      r = a / b;
      break;
  }
  if (std::isnan(r)) throw NodeError("result is not a number");
  if (std::isinf(r)) throw NodeError("numeric overflow");
  return Value(r);
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 2;
  t.too_few_inputs = [](std::size_t n) {
    return fmt::format("operation needs 2 inputs, got {}", n);
  };
  return t;
}

}  // namespace

extern const KindInfo kOperationKind{
    "operation",
    Category::Compute,
    "Adds, subtracts, multiplies or divides its first two inputs, in edge order.",
    R"({"op": "add"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
