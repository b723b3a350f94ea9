#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class TextOp : std::uint8_t {
  Uppercase,
  Lowercase,
  Titlecase,
  Camelcase,
  Inversecase,
  Concat,
  Repeat,
};

constexpr Choice<TextOp> kTextOps[] = {
    {"uppercase", TextOp::Uppercase},     {"lowercase", TextOp::Lowercase},
    {"titlecase", TextOp::Titlecase},     {"camelcase", TextOp::Camelcase},
    {"inversecase", TextOp::Inversecase}, {"concat", TextOp::Concat},
    {"repeat", TextOp::Repeat},
};

struct Config final : NodeConfig {
  std::string op_name;                 ///< as written, for the run-time message
  std::optional<TextOp> op;            ///< nullopt: `unknown text operation: <op>` at run time
  std::string separator;               ///< concat only
  std::optional<std::int64_t> repeat;  ///< repeat only; checked when the node runs
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto op = r.string("text_op", Presence::Required);
  c->separator = r.string("separator").value_or("");
  c->repeat = r.integer("repeat_n");
  if (!op) return nullptr;
  c->op = find_choice(*op, kTextOps);
  if (!c->op) {
    r.warn_fails_when_run("text_op", fmt::format("unknown text operation: {}", *op),
                          choice_names(kTextOps));
  } else if (*c->op == TextOp::Repeat && !r.has("repeat_n")) {
    r.warn_fails_when_run("text_op", "repeat operation requires repeat_n field");
  } else if (*c->op == TextOp::Repeat && c->repeat && *c->repeat < 0) {
    r.warn_fails_when_run("repeat_n",
                          fmt::format("repeat_n must be non-negative, got {}", *c->repeat));
  }
  c->op_name = std::move(*op);
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kTextOperationKind{
    "text_operation",
    Category::Compute,
    "Changes the case of, concatenates or repeats text inputs.",
    R"({"text_op": "titlecase"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
