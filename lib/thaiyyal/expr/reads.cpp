#include "thaiyyal/expr/reads.h"

namespace thaiyyal::expr {

using namespace detail;

namespace {

/// The member a chain's first link names literally, if it does.
std::optional<std::string> literal_member(const Link& link) {
  if (link.kind == Link::Kind::Member) return link.name;
  if (link.kind == Link::Kind::Index && link.key && link.key->kind == NodeKind::Literal) {
    const Value& key = static_cast<const LiteralNode&>(*link.key).value;
    if (const std::string* s = key.if_string()) return *s;
    if (const double* d = key.if_number()) return number_to_string(*d);
  }
  return std::nullopt;
}

}  // namespace

std::vector<Read> reads(const Program& program) {
  std::vector<Read> out;
  // Children are pushed in reverse so that they pop in source order; the
  // walk uses its own stack, as the tree may be deep.
  std::vector<const Node*> stack{&program.root()};
  std::vector<const Node*> children;
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    children.clear();
    auto add = [&](const NodePtr& child) {
      if (child) children.push_back(child.get());
    };
    switch (n->kind) {
      case NodeKind::Literal:
      case NodeKind::Name:
        break;
      case NodeKind::Root: {
        const auto& r = static_cast<const RootNode&>(*n);
        out.push_back(Read{r.root, std::nullopt, r.column});
        break;
      }
      case NodeKind::Chain: {
        const auto& c = static_cast<const ChainNode&>(*n);
        if (c.base->kind == NodeKind::Root && !c.links.empty()) {
          const auto& r = static_cast<const RootNode&>(*c.base);
          out.push_back(Read{r.root, literal_member(c.links.front()), r.column});
        } else {
          add(c.base);
        }
        for (const auto& link : c.links) {
          add(link.key);
          for (const auto& arg : link.args) add(arg);
        }
        break;
      }
      case NodeKind::Unary:
        add(static_cast<const UnaryNode&>(*n).operand);
        break;
      case NodeKind::Binary: {
        const auto& b = static_cast<const BinaryNode&>(*n);
        add(b.first);
        for (const auto& step : b.rest) add(step.rhs);
        break;
      }
      case NodeKind::Logical:
        for (const auto& o : static_cast<const LogicalNode&>(*n).operands) add(o);
        break;
      case NodeKind::Conditional: {
        const auto& c = static_cast<const ConditionalNode&>(*n);
        add(c.condition);
        add(c.then_branch);
        add(c.else_branch);
        break;
      }
      case NodeKind::Array:
        for (const auto& e : static_cast<const ArrayNode&>(*n).elements) add(e);
        break;
      case NodeKind::Object:
        for (const auto& [key, value] : static_cast<const ObjectNode&>(*n).entries) add(value);
        break;
      case NodeKind::Call:
        for (const auto& a : static_cast<const CallNode&>(*n).args) add(a);
        break;
      case NodeKind::Shorthand:
        // `> 5` in condition mode compares the input as a whole.
        out.push_back(Read{RootKind::Input, std::nullopt, n->column});
        add(static_cast<const ShorthandNode&>(*n).rhs);
        break;
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return out;
}

}  // namespace thaiyyal::expr
