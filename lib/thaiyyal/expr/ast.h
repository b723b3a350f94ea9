/// The syntax tree of an expression (spec 02 §4). Built once by the parser,
/// immutable afterwards, and walked by the evaluator and dump(). Binary
/// operator chains of one precedence level and postfix chains (members,
/// indexes, method calls) are flat lists, so that long chains are evaluated
/// in loops rather than by native recursion (§4.5). Function and method names
/// are resolved to enums at load time; every node that can fail keeps the
/// code-point column of the construct that reports the error (§10.2).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "thaiyyal/expr/builtins.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::expr::detail {

enum class NodeKind : std::uint8_t {
  Literal,      ///< a constant (number, string, true, false, null)
  Root,         ///< input, item, index, items, accumulator, variables, context, node
  Name,         ///< a bare name (§5.2)
  Chain,        ///< a base followed by members, indexes and method calls
  Unary,        ///< ! - +
  Binary,       ///< a left-associative chain of arithmetic or comparison operators
  Logical,      ///< a chain of one of &&, ||, ??
  Conditional,  ///< c ? a : b
  Array,        ///< [a, b]
  Object,       ///< {k: v}
  Call,         ///< a built-in function call
  Shorthand,    ///< condition-mode comparison with the input (§4.4)
};

enum class RootKind : std::uint8_t {
  Input,
  Item,
  Index,
  Items,
  Accumulator,
  Variables,
  Context,
  Node
};

enum class UnaryOp : std::uint8_t { Not, Negate, Plus };

enum class BinaryOp : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  StrictEq,
  StrictNe,
  Less,
  LessEq,
  Greater,
  GreaterEq,
};

enum class LogicalOp : std::uint8_t { And, Or, Coalesce };

struct Node;
using NodePtr = std::unique_ptr<const Node>;

struct Node {
  explicit Node(NodeKind k, int col) : kind(k), column(col) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  NodeKind kind;
  int column;  ///< where errors of this node are reported
};

struct LiteralNode final : Node {
  LiteralNode(int col, Value v) : Node(NodeKind::Literal, col), value(std::move(v)) {}
  Value value;
};

struct RootNode final : Node {
  RootNode(int col, RootKind r, std::string n)
      : Node(NodeKind::Root, col), root(r), name(std::move(n)) {}
  RootKind root;
  std::string name;  ///< the spelling, for the bare-name fallback of index/items/accumulator
};

struct NameNode final : Node {
  NameNode(int col, std::string n) : Node(NodeKind::Name, col), name(std::move(n)) {}
  std::string name;
};

/// One step of a postfix chain.
struct Link {
  enum class Kind : std::uint8_t { Member, Index, Method };
  Kind kind = Kind::Member;
  bool optional = false;      ///< written with ?.
  bool is_length = false;     ///< a Member named "length"
  int column = 0;             ///< the name (member, method) or the '[' (index)
  std::string name;           ///< member or method name
  Method method{};            ///< resolved method
  NodePtr key;                ///< index expression
  std::vector<NodePtr> args;  ///< method arguments
};

struct ChainNode final : Node {
  ChainNode(int col, NodePtr b) : Node(NodeKind::Chain, col), base(std::move(b)) {}
  NodePtr base;
  std::vector<Link> links;
};

struct UnaryNode final : Node {
  UnaryNode(int col, UnaryOp o, NodePtr x)
      : Node(NodeKind::Unary, col), op(o), operand(std::move(x)) {}
  UnaryOp op;
  NodePtr operand;
};

/// One operator and its right operand in a binary chain.
struct BinaryStep {
  BinaryOp op;
  int column;  ///< the operator
  NodePtr rhs;
};

struct BinaryNode final : Node {
  BinaryNode(int col, NodePtr f) : Node(NodeKind::Binary, col), first(std::move(f)) {}
  NodePtr first;
  std::vector<BinaryStep> rest;
};

struct LogicalNode final : Node {
  LogicalNode(int col, LogicalOp o) : Node(NodeKind::Logical, col), op(o) {}
  LogicalOp op;
  std::vector<NodePtr> operands;  ///< at least two
};

struct ConditionalNode final : Node {
  ConditionalNode(int col, NodePtr c, NodePtr t, NodePtr e)
      : Node(NodeKind::Conditional, col),
        condition(std::move(c)),
        then_branch(std::move(t)),
        else_branch(std::move(e)) {}
  NodePtr condition, then_branch, else_branch;
};

struct ArrayNode final : Node {
  explicit ArrayNode(int col) : Node(NodeKind::Array, col) {}
  std::vector<NodePtr> elements;
};

struct ObjectNode final : Node {
  explicit ObjectNode(int col) : Node(NodeKind::Object, col) {}
  std::vector<std::pair<std::string, NodePtr>> entries;  ///< in source order
};

struct CallNode final : Node {
  CallNode(int col, Fn f, std::string n) : Node(NodeKind::Call, col), fn(f), name(std::move(n)) {}
  Fn fn;
  std::string name;
  std::vector<NodePtr> args;
};

struct ShorthandNode final : Node {
  ShorthandNode(int col, BinaryOp o, NodePtr r)
      : Node(NodeKind::Shorthand, col), op(o), rhs(std::move(r)) {}
  BinaryOp op;  ///< a comparison
  NodePtr rhs;
};

/// The spelling of an operator ("+", "===", ...).
const char* binary_spelling(BinaryOp op);
const char* unary_spelling(UnaryOp op);

/// Renders a tree as an S-expression (see expr::dump).
std::string dump_node(const Node& node);

}  // namespace thaiyyal::expr::detail
