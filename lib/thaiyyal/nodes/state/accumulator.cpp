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
  c->op_name = std::move(*op);
  return c;
}

}  // namespace

extern const KindInfo kAccumulatorKind{
    "accumulator",
    Category::State,
    "Combines its first input into the run's accumulator (sum, product, concat, array, count).",
    R"({"accum_op": "sum", "initial_value": 0})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
