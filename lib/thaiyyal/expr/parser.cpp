#include "thaiyyal/expr/parser.h"

#include <optional>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/expr/lexer.h"
#include "thaiyyal/expr/ops.h"

namespace thaiyyal::expr::detail {
namespace {

bool is_comparison(Tok t) {
  switch (t) {
    case Tok::EqEq:
    case Tok::BangEq:
    case Tok::EqEqEq:
    case Tok::BangEqEq:
    case Tok::Less:
    case Tok::LessEq:
    case Tok::Greater:
    case Tok::GreaterEq:
      return true;
    default:
      return false;
  }
}

BinaryOp comparison_op(Tok t) {
  switch (t) {
    case Tok::EqEq:
      return BinaryOp::Eq;
    case Tok::BangEq:
      return BinaryOp::Ne;
    case Tok::EqEqEq:
      return BinaryOp::StrictEq;
    case Tok::BangEqEq:
      return BinaryOp::StrictNe;
    case Tok::Less:
      return BinaryOp::Less;
    case Tok::LessEq:
      return BinaryOp::LessEq;
    case Tok::Greater:
      return BinaryOp::Greater;
    default:
      return BinaryOp::GreaterEq;
  }
}

/// The precedence levels parsed as flat chains, lowest first.
enum class Level : std::uint8_t { Equality, Relational, Additive, Multiplicative };

std::optional<BinaryOp> level_op(Level level, Tok t) {
  switch (level) {
    case Level::Equality:
      if (t == Tok::EqEq || t == Tok::BangEq || t == Tok::EqEqEq || t == Tok::BangEqEq) {
        return comparison_op(t);
      }
      break;
    case Level::Relational:
      if (t == Tok::Less || t == Tok::LessEq || t == Tok::Greater || t == Tok::GreaterEq) {
        return comparison_op(t);
      }
      break;
    case Level::Additive:
      if (t == Tok::Plus) return BinaryOp::Add;
      if (t == Tok::Minus) return BinaryOp::Sub;
      break;
    case Level::Multiplicative:
      if (t == Tok::Star) return BinaryOp::Mul;
      if (t == Tok::Slash) return BinaryOp::Div;
      if (t == Tok::Percent) return BinaryOp::Mod;
      break;
  }
  return std::nullopt;
}

std::optional<RootKind> root_kind(std::string_view name) {
  if (name == "input") return RootKind::Input;
  if (name == "item") return RootKind::Item;
  if (name == "index") return RootKind::Index;
  if (name == "items") return RootKind::Items;
  if (name == "accumulator") return RootKind::Accumulator;
  if (name == "variables") return RootKind::Variables;
  if (name == "context") return RootKind::Context;
  if (name == "node") return RootKind::Node;
  return std::nullopt;
}

class Parser {
 public:
  Parser(std::string_view source, Mode mode) : lex_(source), mode_(mode) { advance(); }

  NodePtr parse_all() {
    if (at(Tok::End)) raise("syntax", 1, "empty expression");
    NodePtr root = parse_expression();
    if (!at(Tok::End)) unexpected();
    if (static_error_) throw *static_error_;
    return root;
  }

 private:
  /// Opens one nesting level (§4.5) for the lifetime of the guard.
  class Nest {
   public:
    Nest(Parser& p, int column) : p_(p) {
      if (++p_.depth_ > kMaxNesting) {
        raise("limit", column,
              "expression nested too deeply (max " + std::to_string(kMaxNesting) + ")");
      }
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };

  /// Disables the comparison shorthand inside argument lists, literals and
  /// index brackets (§4.4).
  class NoShorthand {
   public:
    explicit NoShorthand(Parser& p) : p_(p) { ++p_.no_shorthand_; }
    ~NoShorthand() { --p_.no_shorthand_; }
    NoShorthand(const NoShorthand&) = delete;
    NoShorthand& operator=(const NoShorthand&) = delete;

   private:
    Parser& p_;
  };

  void advance() { cur_ = lex_.next(); }
  bool at(Tok k) const { return cur_.kind == k; }

  std::string describe_current() const {
    switch (cur_.kind) {
      case Tok::End:
        return "end of expression";
      case Tok::Name:
        return "name '" + cur_.text + "'";
      case Tok::NodeId:
        return "node id '" + cur_.text + "'";
      case Tok::Number:
        return "number " + number_to_string(cur_.number);
      case Tok::String:
        return "string";
      default:
        return "'" + std::string(token_spelling(cur_.kind)) + "'";
    }
  }

  [[noreturn]] void unexpected() const {
    if (is_comparison(cur_.kind)) {
      std::string d = "unexpected " + describe_current();
      if (mode_ == Mode::Value) {
        d += ": a comparison needs a left operand (the shorthand form is allowed only in "
             "conditions)";
      } else if (no_shorthand_ > 0) {
        d += ": the comparison shorthand is not allowed inside argument lists, literals or "
             "index brackets";
      }
      raise("syntax", cur_.column, std::move(d));
    }
    raise("syntax", cur_.column, "unexpected " + describe_current());
  }

  [[noreturn]] void expected(std::string_view what) const {
    raise("syntax", cur_.column,
          "expected " + std::string(what) + " but found " + describe_current());
  }

  void record(ExprError error) {
    if (!static_error_ || error.column() < static_error_->column())
      static_error_ = std::move(error);
  }

  NodePtr parse_expression() { return parse_conditional(); }

  NodePtr parse_conditional() {
    NodePtr condition = parse_short_circuit();
    if (!at(Tok::Question)) return condition;
    const int qcol = cur_.column;
    advance();
    NodePtr then_branch;
    NodePtr else_branch;
    {
      Nest nest(*this, qcol);
      then_branch = parse_conditional();
    }
    if (!at(Tok::Colon)) expected("':'");
    advance();
    {
      Nest nest(*this, qcol);
      else_branch = parse_conditional();
    }
    return std::make_unique<ConditionalNode>(qcol, std::move(condition), std::move(then_branch),
                                             std::move(else_branch));
  }

  [[noreturn]] void mixed_nullish() const {
    raise("syntax", cur_.column,
          "unexpected '" + std::string(token_spelling(cur_.kind)) +
              "': '\?\?' cannot be mixed with '||' or '&&' without parentheses");
  }

  NodePtr parse_short_circuit() {
    NodePtr first = parse_equality();
    if (at(Tok::QuestionQuestion)) {
      auto node = std::make_unique<LogicalNode>(cur_.column, LogicalOp::Coalesce);
      node->operands.push_back(std::move(first));
      while (at(Tok::QuestionQuestion)) {
        advance();
        node->operands.push_back(parse_equality());
      }
      if (at(Tok::AndAnd) || at(Tok::OrOr)) mixed_nullish();
      return node;
    }
    NodePtr left = parse_and_chain(std::move(first));
    if (at(Tok::OrOr)) {
      auto node = std::make_unique<LogicalNode>(cur_.column, LogicalOp::Or);
      node->operands.push_back(std::move(left));
      while (at(Tok::OrOr)) {
        advance();
        node->operands.push_back(parse_and_chain(parse_equality()));
      }
      left = std::move(node);
    }
    if (at(Tok::QuestionQuestion)) mixed_nullish();
    return left;
  }

  NodePtr parse_and_chain(NodePtr first) {
    if (!at(Tok::AndAnd)) return first;
    auto node = std::make_unique<LogicalNode>(cur_.column, LogicalOp::And);
    node->operands.push_back(std::move(first));
    while (at(Tok::AndAnd)) {
      advance();
      node->operands.push_back(parse_equality());
    }
    return node;
  }

  NodePtr parse_equality() {
    if (mode_ == Mode::Condition && no_shorthand_ == 0 && is_comparison(cur_.kind)) {
      const int col = cur_.column;
      const BinaryOp op = comparison_op(cur_.kind);
      advance();
      NodePtr rhs = parse_level(Level::Additive);
      return std::make_unique<ShorthandNode>(col, op, std::move(rhs));
    }
    return parse_level(Level::Equality);
  }

  NodePtr parse_level(Level level) {
    NodePtr first = level == Level::Multiplicative
                        ? parse_unary()
                        : parse_level(static_cast<Level>(static_cast<int>(level) + 1));
    auto op = level_op(level, cur_.kind);
    if (!op) return first;
    auto node = std::make_unique<BinaryNode>(cur_.column, std::move(first));
    while (op) {
      const int col = cur_.column;
      advance();
      NodePtr rhs = level == Level::Multiplicative
                        ? parse_unary()
                        : parse_level(static_cast<Level>(static_cast<int>(level) + 1));
      node->rest.push_back(BinaryStep{*op, col, std::move(rhs)});
      op = level_op(level, cur_.kind);
    }
    return node;
  }

  NodePtr parse_unary() {
    UnaryOp op;
    switch (cur_.kind) {
      case Tok::Bang:
        op = UnaryOp::Not;
        break;
      case Tok::Minus:
        op = UnaryOp::Negate;
        break;
      case Tok::Plus:
        op = UnaryOp::Plus;
        break;
      default:
        return parse_postfix();
    }
    const int col = cur_.column;
    advance();
    Nest nest(*this, col);
    NodePtr operand = parse_unary();
    return std::make_unique<UnaryNode>(col, op, std::move(operand));
  }

  NodePtr parse_postfix() {
    NodePtr base = parse_primary();
    if (!at(Tok::Dot) && !at(Tok::QuestionDot) && !at(Tok::LBracket) && !at(Tok::LParen)) {
      return base;
    }
    auto chain = std::make_unique<ChainNode>(base->column, std::move(base));
    for (;;) {
      if (at(Tok::Dot)) {
        advance();
        chain->links.push_back(parse_member(false, "'.'"));
      } else if (at(Tok::QuestionDot)) {
        advance();
        if (at(Tok::LBracket)) {
          chain->links.push_back(parse_index(true));
        } else {
          chain->links.push_back(parse_member(true, "'?.'"));
        }
      } else if (at(Tok::LBracket)) {
        chain->links.push_back(parse_index(false));
      } else if (at(Tok::LParen)) {
        raise("syntax", cur_.column,
              "unexpected '(': only names can be called (functions) and members with "
              "'.name(...)' (methods)");
      } else {
        break;
      }
    }
    return chain;
  }

  Link parse_member(bool optional, std::string_view after) {
    if (!at(Tok::Name) && !at(Tok::NodeId)) {
      expected("a property name after " + std::string(after));
    }
    Link link;
    link.optional = optional;
    link.column = cur_.column;
    link.name = std::move(cur_.text);
    advance();
    if (!at(Tok::LParen)) {
      link.kind = Link::Kind::Member;
      link.is_length = link.name == "length";
      return link;
    }
    link.kind = Link::Kind::Method;
    link.args = parse_arguments();
    const int got = static_cast<int>(link.args.size());
    if (const MethodInfo* m = find_method(link.name)) {
      link.method = m->id;
      if (got < m->min_args || (m->max_args >= 0 && got > m->max_args)) {
        record(ExprError("arity", link.column,
                         arity_message(link.name, m->min_args, m->max_args, got)));
      }
    } else {
      std::string detail = "unknown method '" + link.name + "'";
      if (link.name == "length") {
        detail += " (length is a property: write .length without parentheses)";
      } else if (find_function(link.name)) {
        detail += " (" + link.name + " is a function: write " + link.name + "(value, ...))";
      } else if (auto near = diag::spellcheck(link.name, method_names())) {
        detail += "; did you mean '" + *near + "'?";
      }
      record(ExprError("name", link.column, std::move(detail)));
    }
    return link;
  }

  Link parse_index(bool optional) {
    Link link;
    link.kind = Link::Kind::Index;
    link.optional = optional;
    link.column = cur_.column;
    advance();
    Nest nest(*this, link.column);
    NoShorthand no_shorthand(*this);
    link.key = parse_expression();
    if (!at(Tok::RBracket)) expected("']'");
    advance();
    return link;
  }

  std::vector<NodePtr> parse_arguments() {
    const int col = cur_.column;  // the '('
    advance();
    Nest nest(*this, col);
    NoShorthand no_shorthand(*this);
    std::vector<NodePtr> args;
    while (!at(Tok::RParen)) {
      args.push_back(parse_expression());
      if (at(Tok::Comma)) {
        advance();
      } else if (!at(Tok::RParen)) {
        expected("',' or ')'");
      }
    }
    advance();
    return args;
  }

  NodePtr parse_primary() {
    const int col = cur_.column;
    switch (cur_.kind) {
      case Tok::Number: {
        auto node = std::make_unique<LiteralNode>(col, Value(cur_.number));
        advance();
        return node;
      }
      case Tok::String: {
        auto node = std::make_unique<LiteralNode>(col, Value(std::move(cur_.text)));
        advance();
        return node;
      }
      case Tok::Name:
        return parse_name();
      case Tok::LParen: {
        advance();
        Nest nest(*this, col);
        NodePtr inner = parse_expression();
        if (!at(Tok::RParen)) expected("')'");
        advance();
        return inner;
      }
      case Tok::LBracket:
        return parse_array();
      case Tok::LBrace:
        return parse_object();
      default:
        unexpected();
    }
  }

  NodePtr parse_name() {
    const int col = cur_.column;
    std::string name = std::move(cur_.text);
    advance();
    if (name == "true") return std::make_unique<LiteralNode>(col, Value(true));
    if (name == "false") return std::make_unique<LiteralNode>(col, Value(false));
    if (name == "null") return std::make_unique<LiteralNode>(col, Value());
    if (!at(Tok::LParen)) {
      if (auto root = root_kind(name))
        return std::make_unique<RootNode>(col, *root, std::move(name));
      return std::make_unique<NameNode>(col, std::move(name));
    }
    const FunctionInfo* info = find_function(name);
    auto call = std::make_unique<CallNode>(col, info ? info->id : Fn::Abs, name);
    call->args = parse_arguments();
    const int got = static_cast<int>(call->args.size());
    if (!info) {
      std::string detail = "unknown function '" + name + "'";
      if (find_method(name)) {
        detail += " (" + name + " is a method: write value." + name + "(...))";
      } else if (auto near = diag::spellcheck(name, function_names())) {
        detail += "; did you mean '" + *near + "'?";
      }
      record(ExprError("name", col, std::move(detail)));
    } else if (got < info->min_args || (info->max_args >= 0 && got > info->max_args)) {
      record(ExprError("arity", col, arity_message(name, info->min_args, info->max_args, got)));
    }
    return call;
  }

  NodePtr parse_array() {
    const int col = cur_.column;
    advance();
    Nest nest(*this, col);
    NoShorthand no_shorthand(*this);
    auto node = std::make_unique<ArrayNode>(col);
    while (!at(Tok::RBracket)) {
      node->elements.push_back(parse_expression());
      if (at(Tok::Comma)) {
        advance();
      } else if (!at(Tok::RBracket)) {
        expected("',' or ']'");
      }
    }
    advance();
    return node;
  }

  NodePtr parse_object() {
    const int col = cur_.column;
    advance();
    Nest nest(*this, col);
    NoShorthand no_shorthand(*this);
    auto node = std::make_unique<ObjectNode>(col);
    while (!at(Tok::RBrace)) {
      if (!at(Tok::Name) && !at(Tok::String)) {
        expected("a property name (a name or a quoted string)");
      }
      std::string key = std::move(cur_.text);
      advance();
      if (!at(Tok::Colon)) expected("':' after the property name");
      advance();
      node->entries.emplace_back(std::move(key), parse_expression());
      if (at(Tok::Comma)) {
        advance();
      } else if (!at(Tok::RBrace)) {
        expected("',' or '}'");
      }
    }
    advance();
    return node;
  }

  Lexer lex_;
  Token cur_;
  Mode mode_;
  int depth_ = 0;
  int no_shorthand_ = 0;
  std::optional<ExprError> static_error_;
};

}  // namespace

NodePtr parse(std::string_view source, Mode mode) { return Parser(source, mode).parse_all(); }

}  // namespace thaiyyal::expr::detail
