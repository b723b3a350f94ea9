#include <string>

#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/ops.h"

namespace thaiyyal::expr::detail {

const char* binary_spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::StrictEq:
      return "===";
    case BinaryOp::StrictNe:
      return "!==";
    case BinaryOp::Less:
      return "<";
    case BinaryOp::LessEq:
      return "<=";
    case BinaryOp::Greater:
      return ">";
    case BinaryOp::GreaterEq:
      return ">=";
  }
  return "?";
}

const char* unary_spelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::Not:
      return "!";
    case UnaryOp::Negate:
      return "-";
    case UnaryOp::Plus:
      return "+";
  }
  return "?";
}

namespace {

const char* logical_spelling(LogicalOp op) {
  switch (op) {
    case LogicalOp::And:
      return "&&";
    case LogicalOp::Or:
      return "||";
    case LogicalOp::Coalesce:
      return "??";
  }
  return "?";
}

/// Wraps `inner` as the first operand of `(op inner rest)`.
std::string wrap(std::string_view op, const std::string& inner, const std::string& rest) {
  std::string out;
  out.reserve(op.size() + inner.size() + rest.size() + 4);
  out += '(';
  out += op;
  out += ' ';
  out += inner;
  out += rest;
  out += ')';
  return out;
}

/// " " followed by `text` (appending, not operator+, which trips g++ 12's
/// -Wrestrict false positive).
std::string spaced(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 1);
  out += ' ';
  out += text;
  return out;
}

std::string json(const Value& v) {
  std::string out;
  append_json_text(out, v, 1);
  return out;
}

}  // namespace

std::string dump_node(const Node& node) {
  switch (node.kind) {
    case NodeKind::Literal:
      return json(static_cast<const LiteralNode&>(node).value);
    case NodeKind::Root:
      return static_cast<const RootNode&>(node).name;
    case NodeKind::Name:
      return "(name " + static_cast<const NameNode&>(node).name + ")";
    case NodeKind::Chain: {
      const auto& n = static_cast<const ChainNode&>(node);
      std::string out = dump_node(*n.base);
      for (const Link& link : n.links) {
        const std::string q = link.optional ? "?." : "";
        switch (link.kind) {
          case Link::Kind::Member:
            out = wrap(q.empty() ? "." : q, out, spaced(link.name));
            break;
          case Link::Kind::Index:
            out = wrap(q + "[]", out, spaced(dump_node(*link.key)));
            break;
          case Link::Kind::Method: {
            std::string args;
            for (const auto& a : link.args) args += spaced(dump_node(*a));
            out = wrap((q.empty() ? "." : q) + link.name + "()", out, args);
            break;
          }
        }
      }
      return out;
    }
    case NodeKind::Unary: {
      const auto& n = static_cast<const UnaryNode&>(node);
      return wrap(unary_spelling(n.op), dump_node(*n.operand), "");
    }
    case NodeKind::Binary: {
      const auto& n = static_cast<const BinaryNode&>(node);
      std::string out = dump_node(*n.first);
      for (const auto& step : n.rest) {
        out = wrap(binary_spelling(step.op), out, spaced(dump_node(*step.rhs)));
      }
      return out;
    }
    case NodeKind::Logical: {
      const auto& n = static_cast<const LogicalNode&>(node);
      std::string out = dump_node(*n.operands.front());
      for (std::size_t i = 1; i < n.operands.size(); ++i) {
        out = wrap(logical_spelling(n.op), out, spaced(dump_node(*n.operands[i])));
      }
      return out;
    }
    case NodeKind::Conditional: {
      const auto& n = static_cast<const ConditionalNode&>(node);
      return wrap("?", dump_node(*n.condition),
                  spaced(dump_node(*n.then_branch) + " " + dump_node(*n.else_branch)));
    }
    case NodeKind::Array: {
      const auto& n = static_cast<const ArrayNode&>(node);
      std::string out = "(array";
      for (const auto& e : n.elements) out += spaced(dump_node(*e));
      return out + ")";
    }
    case NodeKind::Object: {
      const auto& n = static_cast<const ObjectNode&>(node);
      std::string out = "(object";
      for (const auto& [key, value] : n.entries) {
        out += " (";
        out += json(Value(key));
        out += spaced(dump_node(*value));
        out += ')';
      }
      return out + ")";
    }
    case NodeKind::Call: {
      const auto& n = static_cast<const CallNode&>(node);
      std::string out = "(call " + n.name;
      for (const auto& a : n.args) out += spaced(dump_node(*a));
      return out + ")";
    }
    case NodeKind::Shorthand: {
      const auto& n = static_cast<const ShorthandNode&>(node);
      return wrap(binary_spelling(n.op), "subject", spaced(dump_node(*n.rhs)));
    }
  }
  return "?";
}

}  // namespace thaiyyal::expr::detail
