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

}  // namespace

extern const KindInfo kVariableKind{
    "variable",
    Category::State,
    "Sets a workflow variable to its first input, or gets one.",
    R"({"var_name": "total", "var_op": "set"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
