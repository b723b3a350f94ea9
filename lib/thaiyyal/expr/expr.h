/// The expression language of spec 02 (decision D1): lexer -> parser -> AST ->
/// evaluator. Pure: no I/O, depends on the value model only. An expression is
/// compiled once (when the workflow loads) into an immutable `Program` that is
/// safe to evaluate from several threads, then evaluated many times against an
/// `Env` of borrowed pointers (cheap to build per element).
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "thaiyyal/model/value.h"

namespace thaiyyal::expr {

/// Value mode yields the expression's value; condition mode allows the
/// comparison shorthand (`>10`) and yields the truthiness as a boolean (§2.1).
enum class Mode : std::uint8_t { Value, Condition };

/// A load-time or run-time expression error (§10). what() is
/// "<category> error at column <C>: <detail>".
class ExprError : public std::runtime_error {
 public:
  ExprError(std::string category, int column, std::string detail, int length = 1);
  /// "syntax", "name", "arity", "limit", "type", "math" or "value".
  const std::string& category() const { return category_; }
  /// 1-based column in code points (§3.1).
  int column() const { return column_; }
  /// Span in code points, for carets (at least 1).
  int length() const { return length_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string category_;
  int column_;
  int length_;
  std::string detail_;
};

/// Results of completed nodes, by id, for the `node` root. Implemented by the
/// engine (and by `thaiyyal eval` over --nodes).
class NodeResults {
 public:
  virtual ~NodeResults() = default;
  /// The result of node `id`, or nullptr when it has none.
  virtual const Value* find(std::string_view id) const = 0;
  /// All results as one object (used only when `node` itself is a value).
  virtual Value all() const = 0;
};

/// The names an evaluation sees (§5). Pointers are borrowed and may be null:
/// a null root reads as JSON null (null `variables`/`context` as {}).
struct Env {
  const Value* input = nullptr;        ///< `input`; also `item` unless item is set
  const Value* item = nullptr;         ///< per-element nodes: the element
  const Value* index = nullptr;        ///< bound only by per-element nodes
  const Value* items = nullptr;        ///< bound only by per-element nodes
  const Value* accumulator = nullptr;  ///< bound only by reduce
  const Object* variables = nullptr;
  const Object* context = nullptr;
  const NodeResults* nodes = nullptr;
};

class Program;

/// Compiles `text` (lexing, parsing and the static checks of §4.6, limits of
/// §11). Throws ExprError on any load-time error. Thread-safe.
std::shared_ptr<const Program> compile(std::string_view text, Mode mode);

/// Evaluates a compiled program. In condition mode the result is a boolean.
/// Throws ExprError on run-time errors (type, math, value, limit).
Value evaluate(const Program& program, const Env& env);

/// Condition-mode convenience: truthiness of the result.
bool evaluate_condition(const Program& program, const Env& env);

/// The source text the program was compiled from.
const std::string& source_text(const Program& program);

/// A stable, readable rendering of the syntax tree, for golden tests.
std::string dump(const Program& program);

}  // namespace thaiyyal::expr
