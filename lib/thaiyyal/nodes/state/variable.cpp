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
    r.warn_fails_when_run(
        "var_op", fmt::format("unsupported variable operation: {} (use 'get' or 'set')", *op),
        choice_names(kVarOps));
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

}  // namespace

extern const KindInfo kVariableKind{
    "variable",
    Category::State,
    "Sets a workflow variable to its first input, or gets one.",
    R"({"var_name": "total", "var_op": "set"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
