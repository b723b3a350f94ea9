#include <fmt/format.h>

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
    r.warn_fails_when_run("op", fmt::format("unknown operation: {}", *op), choice_names(kOps));
  }
  c->op_name = std::move(*op);
  return c;
}

}  // namespace

extern const KindInfo kOperationKind{
    "operation",
    Category::Compute,
    "Adds, subtracts, multiplies or divides its first two inputs, in edge order.",
    R"({"op": "add"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
