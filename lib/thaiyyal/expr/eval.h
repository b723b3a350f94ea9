/// The evaluator (spec 02 §5-§8, §11): walks a syntax tree against an Env.
/// One Evaluator per evaluation; it holds the per-evaluation state (step
/// budget, the `item`/`index` bindings of per-element bodies) and nothing
/// else, so a Program can be evaluated from several threads with one
/// Evaluator each.
///
/// Results are returned by reference to avoid copying values: eval(node, tmp)
/// returns either `tmp` (a value it computed) or a value that outlives the
/// evaluation of the caller's expression (a literal in the tree, data of the
/// Env, the shared null, or an element of an array that an enclosing call
/// keeps alive). It never returns a reference *into* `tmp`.
#pragma once

#include <optional>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/expr/ops.h"

namespace thaiyyal::expr::detail {

class Evaluator {
 public:
  explicit Evaluator(const Env& env);

  /// Evaluates `node`; see the file comment for the lifetime of the result.
  /// Throws ExprError on run-time errors.
  const Value& eval(const Node& node, Value& tmp);

 private:
  const Value& eval_root(const RootNode& n);
  const Value& bare_name(const std::string& name) const;
  const Value* global_member(RootKind root, std::string_view key) const;
  const Value& eval_chain(const ChainNode& n, Value& tmp);
  const Value* member(const Value* cur, const Link& link, Value& tmp);
  const Value* index(const Value* cur, const Link& link, Value& tmp);
  const Value* method(const Value* cur, const Link& link, Value& tmp);
  const Value& eval_unary(const UnaryNode& n, Value& tmp);
  const Value& eval_binary(const BinaryNode& n, Value& tmp);
  const Value& eval_logical(const LogicalNode& n, Value& tmp);
  const Value& eval_array(const ArrayNode& n, Value& tmp);
  const Value& eval_object(const ObjectNode& n, Value& tmp);
  const Value& eval_call(const CallNode& n, Value& tmp);
  const Value& eval_per_element(const CallNode& n, Value& tmp);
  const Value& eval_shorthand(const ShorthandNode& n, Value& tmp);
  bool compare(BinaryOp op, const Value& a, const Value& b, int column);

  const Env& env_;
  Budget budget_;
  const Value* input_;    ///< never null
  const Value* item_;     ///< never null
  const Value* index_;    ///< null when unbound
  const Value* subject_;  ///< what bare names read first (§5.2); never null
  int depth_ = 0;
  // `variables`, `context` and `node` as whole values, built at most once
  // per evaluation (they are read in place for member access).
  std::optional<Value> variables_value_;
  std::optional<Value> context_value_;
  std::optional<Value> nodes_value_;
};

}  // namespace thaiyyal::expr::detail
