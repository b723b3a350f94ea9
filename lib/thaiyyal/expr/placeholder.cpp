// Temporary: replaced by the real lexer/parser/evaluator.
#include "thaiyyal/expr/expr.h"

namespace thaiyyal::expr {
class Program {
 public:
  std::string text;
};
ExprError::ExprError(std::string category, int column, std::string detail, int length)
    : std::runtime_error(category + " error at column " + std::to_string(column) + ": " + detail),
      category_(std::move(category)), column_(column), length_(length), detail_(std::move(detail)) {}
std::shared_ptr<const Program> compile(std::string_view text, Mode) {
  auto p = std::make_shared<Program>();
  p->text = std::string(text);
  return p;
}
Value evaluate(const Program&, const Env&) { throw ExprError("syntax", 1, "not available"); }
bool evaluate_condition(const Program& p, const Env& e) { return truthy(evaluate(p, e)); }
const std::string& source_text(const Program& p) { return p.text; }
std::string dump(const Program& p) { return p.text; }
}  // namespace thaiyyal::expr
