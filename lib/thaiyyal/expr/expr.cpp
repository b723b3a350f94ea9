#include "thaiyyal/expr/expr.h"

#include "thaiyyal/expr/eval.h"
#include "thaiyyal/expr/ops.h"
#include "thaiyyal/expr/parser.h"
#include "thaiyyal/expr/program.h"

namespace thaiyyal::expr {

ExprError::ExprError(std::string category, int column, std::string detail, int length)
    : std::runtime_error(category + " error at column " + std::to_string(column) + ": " + detail),
      category_(std::move(category)),
      column_(column),
      length_(length < 1 ? 1 : length),
      detail_(std::move(detail)) {}

std::shared_ptr<const Program> compile(std::string_view text, Mode mode) {
  if (text.size() > detail::kMaxSourceBytes) {
    throw ExprError("limit", 1,
                    "expression longer than " + std::to_string(detail::kMaxSourceBytes) + " bytes");
  }
  detail::NodePtr root = detail::parse(text, mode);
  return std::make_shared<const Program>(std::string(text), mode, std::move(root));
}

Value evaluate(const Program& program, const Env& env) {
  detail::Evaluator evaluator(env);
  Value tmp;
  const Value& result = evaluator.eval(program.root(), tmp);
  if (program.mode() == Mode::Condition) return Value(truthy(result));
  if (&result == &tmp) return tmp;
  return result;
}

bool evaluate_condition(const Program& program, const Env& env) {
  detail::Evaluator evaluator(env);
  Value tmp;
  return truthy(evaluator.eval(program.root(), tmp));
}

const std::string& source_text(const Program& program) { return program.text(); }

std::string dump(const Program& program) { return detail::dump_node(program.root()); }

}  // namespace thaiyyal::expr
