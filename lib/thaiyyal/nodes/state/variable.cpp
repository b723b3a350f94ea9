#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class VarOp : std::uint8_t { Get, Set };

constexpr Choice<VarOp> kVarOps[] = {
    {"get", VarOp::Get},
    {"set", VarOp::Set},
};

struct Config final : NodeConfig {
  std::string name;  ///< any string, "" included
  std::string op_name;
  /// nullopt: `unsupported variable operation: <op> (use 'get' or 'set')` at run time.
  std::optional<VarOp> op;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto name = r.string("var_name", Presence::Required);
  auto op = r.string("var_op", Presence::Required);
  r.string("scope");  // accepted and ignored, as in the reference
  if (!name || !op || !r.ok()) return nullptr;
  c->name = std::move(*name);
  c->op = find_choice(*op, kVarOps);
  if (!c->op) {
    r.unknown_option("var_op", *op, choice_names(kVarOps),
                     ConfigReader::RunEffect::fails(fmt::format(
                         "unsupported variable operation: {} (use 'get' or 'set')", *op)));
  }
  c->op_name = std::move(*op);
  return c;
}

Value result(const Config& c, std::string_view op, Value v) {
  return Value(
      Object{{"var_name", Value(c.name)}, {"operation", Value(op)}, {"value", std::move(v)}});
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (!c.op) {
    throw NodeError(
        fmt::format("unsupported variable operation: {} (use 'get' or 'set')", c.op_name));
  }
  switch (*c.op) {
    case VarOp::Set:
      if (inputs.empty()) throw NodeError("variable set operation requires input value");
      ctx.set_variable(c.name, inputs.front());  // value-limit and count checks (01 §4.1)
      return result(c, "set", inputs.front());
    case VarOp::Get:
      if (const Value* v = ctx.variable(c.name)) return result(c, "get", *v);
      throw NodeError(fmt::format("variable '{}' not found", c.name));
  }
  return Value();
}

/// A `set` stores a run variable and needs an input; a `get` fails when no
/// earlier node stored its variable (01 §4.1).
NodeTraits describe(const NodeConfig& cfg) {
  const auto& c = static_cast<const Config&>(cfg);
  NodeTraits t;
  if (c.op == VarOp::Set) {
    t.sets_variable = c.name;
    t.min_inputs = 1;
    t.too_few_inputs = [](std::size_t) {
      return std::string("variable set operation requires input value");
    };
  } else if (c.op == VarOp::Get) {
    t.needs_variable = c.name;
    t.needs_variable_key = "var_name";
    t.variable_missing_error = fmt::format("variable '{}' not found", c.name);
  }
  return t;
}

}  // namespace

extern const KindInfo kVariableKind{
    "variable",
    Category::State,
    "Sets a workflow variable to its first input, or gets one.",
    R"({"var_name": "total", "var_op": "set"})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
