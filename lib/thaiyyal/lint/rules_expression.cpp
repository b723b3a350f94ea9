// Rules about what expressions say, read from their compiled syntax trees
// (facts(i).expressions[k].program): conditions that cannot vary,
// comparisons that cannot hold, and reads of node results that cannot be
// there.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/expr/ast.h"
#include "thaiyyal/expr/expr.h"
#include "thaiyyal/expr/ops.h"
#include "thaiyyal/expr/program.h"
#include "thaiyyal/expr/reads.h"
#include "thaiyyal/expr/text.h"
#include "thaiyyal/lint/rules.h"

namespace thaiyyal::lint::detail {
namespace {

using diag::Severity;
namespace ast = expr::detail;

// ---- shared helpers --------------------------------------------------------------

/// The document path of an expression site (its path is below the node's data).
std::vector<PathStep> site_path(const NodeSpec& node, const nodes::ExpressionSite& site) {
  auto p = node_path(node.index);
  p.push_back(PathStep{"data", std::nullopt});
  p.insert(p.end(), site.path.begin(), site.path.end());
  return p;
}

/// Byte offset in `text` of code-point column `column` (1-based).
std::size_t offset_of_column(std::string_view text, int column) {
  return ast::byte_offset_of(text, column > 1 ? static_cast<std::size_t>(column - 1) : 0);
}

/// At most ~48 bytes of `s`, cut at a character boundary.
std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 48;
  if (s.size() <= kMax) return std::string(s);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

/// The children of an expression node, in source order.
void children_of(const ast::Node& n, std::vector<const ast::Node*>& out) {
  auto add = [&](const ast::NodePtr& child) {
    if (child) out.push_back(child.get());
  };
  switch (n.kind) {
    case ast::NodeKind::Literal:
    case ast::NodeKind::Root:
    case ast::NodeKind::Name:
      break;
    case ast::NodeKind::Chain: {
      const auto& c = static_cast<const ast::ChainNode&>(n);
      add(c.base);
      for (const auto& link : c.links) {
        add(link.key);
        for (const auto& arg : link.args) add(arg);
      }
      break;
    }
    case ast::NodeKind::Unary:
      add(static_cast<const ast::UnaryNode&>(n).operand);
      break;
    case ast::NodeKind::Binary: {
      const auto& b = static_cast<const ast::BinaryNode&>(n);
      add(b.first);
      for (const auto& step : b.rest) add(step.rhs);
      break;
    }
    case ast::NodeKind::Logical:
      for (const auto& o : static_cast<const ast::LogicalNode&>(n).operands) add(o);
      break;
    case ast::NodeKind::Conditional: {
      const auto& c = static_cast<const ast::ConditionalNode&>(n);
      add(c.condition);
      add(c.then_branch);
      add(c.else_branch);
      break;
    }
    case ast::NodeKind::Array:
      for (const auto& e : static_cast<const ast::ArrayNode&>(n).elements) add(e);
      break;
    case ast::NodeKind::Object:
      for (const auto& entry : static_cast<const ast::ObjectNode&>(n).entries) add(entry.second);
      break;
    case ast::NodeKind::Call:
      for (const auto& a : static_cast<const ast::CallNode&>(n).args) add(a);
      break;
    case ast::NodeKind::Shorthand:
      add(static_cast<const ast::ShorthandNode&>(n).rhs);
      break;
  }
}

/// Every node of the tree, parents before children (an explicit stack: trees
/// may be deep).
std::vector<const ast::Node*> preorder(const ast::Node& root) {
  std::vector<const ast::Node*> out;
  std::vector<const ast::Node*> stack{&root};
  std::vector<const ast::Node*> children;
  while (!stack.empty()) {
    const ast::Node* n = stack.back();
    stack.pop_back();
    out.push_back(n);
    children.clear();
    children_of(*n, children);
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return out;
}

/// ==, !=, ===, !==.
bool is_equality(ast::BinaryOp op) {
  return op == ast::BinaryOp::Eq || op == ast::BinaryOp::Ne || op == ast::BinaryOp::StrictEq ||
         op == ast::BinaryOp::StrictNe;
}
/// <, <=, >, >=.
bool is_ordering(ast::BinaryOp op) {
  return op == ast::BinaryOp::Less || op == ast::BinaryOp::LessEq || op == ast::BinaryOp::Greater ||
         op == ast::BinaryOp::GreaterEq;
}

// ---- constant-condition ----------------------------------------------------------

/// Whether the value of `program` can depend on anything: a root (input,
/// item, variables, context, node, ...), a bare name (a member of the input
/// or a variable), the shorthand (the input) or now().
bool reads_anything(const expr::Program& program) {
  for (const ast::Node* n : preorder(program.root())) {
    switch (n->kind) {
      case ast::NodeKind::Root:
      case ast::NodeKind::Name:
      case ast::NodeKind::Shorthand:
        return true;
      case ast::NodeKind::Call:
        if (static_cast<const ast::CallNode&>(*n).fn == ast::Fn::Now) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/// What a condition that is always `value` means for a node of this kind.
std::string fixed_outcome(std::string_view kind, bool value) {
  if (kind == "condition") {
    return value ? "only the true branch ever runs" : "only the false branch ever runs";
  }
  if (kind == "switch") {
    return value ? "this case always matches, so the cases after it never do"
                 : "this case never matches";
  }
  if (kind == "filter") return value ? "every element is kept" : "no element is kept";
  if (kind == "find") {
    return value ? "the first element is always the one found" : "no element is ever found";
  }
  if (kind == "partition") return "every element goes to the same side";
  if (kind == "while_loop") {
    return value ? "the node always fails after max_iterations"
                 : "the node always reports 0 iterations";
  }
  return value ? "it always holds" : "it never holds";
}

/// constant-condition: condition-mode expressions that read nothing.
void constant_condition(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    for (const auto& site : in.facts(node.index).expressions) {
      if (!site.program || site.program->mode() != expr::Mode::Condition) continue;
      if (reads_anything(*site.program)) continue;
      std::optional<bool> value;
      std::string error;
      try {
        value = expr::evaluate_condition(*site.program, expr::Env{});
      } catch (const expr::ExprError& e) {
        error = e.what();
      } catch (const std::exception& e) {
        error = e.what();
      }
      const std::string head = fmt::format(
          "{} node {}: {} \"{}\" reads no input, variable, context value or node "
          "result, so",
          node.type, node.id, site.label, shorten(site.text));
      auto& d =
          out.report(value ? fmt::format("{} it is always {}", head, *value)
                           : fmt::format("{} it fails whenever it is evaluated: {}", head, error),
                     in.wf.location(site_path(node, site), &node));
      if (value) {
        d.notes.push_back(fixed_outcome(in.kind(node.index), *value));
        d.notes.emplace_back(
            "test what the node is given (input, input.<field>), or remove the test if the "
            "outcome is meant to be fixed");
      }
    }
  }
}

// ---- incompatible-comparison -----------------------------------------------------

/// A JSON type, or not known before the run.
enum class Type : std::uint8_t { Unknown, Null, Bool, Number, String, Array, Object };

/// What is known of an expression's value before it runs.
struct Static {
  Type type = Type::Unknown;
  /// A string literal: whether it is a numeric string (02 §6.2).
  std::optional<bool> numeric;
  /// The boolean is the result of a comparison of the same chain (`a < b < c`).
  bool comparison = false;
};

/// A value known only by its type.
Static of_type(Type t) { return Static{t, std::nullopt, false}; }

/// What a literal is.
Static of_literal(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return of_type(Type::Null);
    case Kind::Bool:
      return of_type(Type::Bool);
    case Kind::Number:
      return of_type(Type::Number);
    case Kind::String: {
      double d = 0;
      return Static{Type::String, ast::parse_numeric_string(v.as_string(), d), false};
    }
    case Kind::Array:
      return of_type(Type::Array);
    case Kind::Object:
      return of_type(Type::Object);
  }
  return {};
}

/// The type a built-in function always returns when it returns (02 §8);
/// Unknown for those whose result depends on their arguments.
Type function_type(ast::Fn fn) {
  using F = ast::Fn;
  switch (fn) {
    case F::Sqrt:
    case F::Pow:
    case F::Min:
    case F::Max:
    case F::Sum:
    case F::Avg:
    case F::Len:
    case F::Number:
    case F::ToEpoch:
    case F::ToEpochMillis:
    case F::Year:
    case F::Month:
    case F::Day:
    case F::Hour:
    case F::Minute:
    case F::Second:
    case F::DateDiff:
      return Type::Number;
    case F::Upper:
    case F::Lower:
    case F::Trim:
    case F::Join:
    case F::Replace:
    case F::Substr:
    case F::Typeof:
    case F::String:
    case F::Date:
    case F::Now:
    case F::ParseDate:
    case F::FromEpoch:
    case F::FromEpochMillis:
    case F::DateAdd:
      return Type::String;
    case F::StartsWith:
    case F::EndsWith:
    case F::Contains:
    case F::Some:
    case F::Every:
    case F::IsArray:
    case F::IsBoolean:
    case F::IsNull:
    case F::IsNumber:
    case F::IsObject:
    case F::IsString:
      return Type::Bool;
    case F::Sort:
    case F::Reverse:
    case F::Unique:
    case F::Flatten:
    case F::Split:
    case F::Map:
    case F::Filter:
    case F::Sample:
    case F::Zip:
      return Type::Array;
    default:
      return Type::Unknown;
  }
}

/// The type a method always returns when it returns (02 §8.9).
Type method_type(ast::Method m) {
  using M = ast::Method;
  switch (m) {
    case M::ToUpperCase:
    case M::ToLowerCase:
    case M::Trim:
    case M::Replace:
    case M::ReplaceAll:
    case M::Join:
      return Type::String;
    case M::StartsWith:
    case M::EndsWith:
    case M::Includes:
      return Type::Bool;
    case M::IndexOf:
      return Type::Number;
    case M::Split:
      return Type::Array;
    default:
      return Type::Unknown;
  }
}

/// "a number", "null", ...; a string literal is "a non-numeric string" when
/// `against` (the other side) is a number, for which that matters.
std::string describe(const Static& s, const Static& against) {
  switch (s.type) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return s.comparison ? "the boolean result of a comparison" : "a boolean";
    case Type::Number:
      return "a number";
    case Type::String:
      return s.numeric && !*s.numeric && against.type == Type::Number ? "a non-numeric string"
                                                                      : "a string";
    case Type::Array:
      return "an array";
    case Type::Object:
      return "an object";
    case Type::Unknown:
      break;
  }
  return "a value";
}

/// A type that <, <=, > and >= never order (02 §7.4).
bool unordered_type(Type t) {
  return t == Type::Null || t == Type::Bool || t == Type::Array || t == Type::Object;
}

/// A comparison whose result is known from the operands' types alone.
struct Mismatch {
  bool result = false;  ///< what the comparison always gives
  std::string reason;   ///< the rule of 02 §7 that decides it
};

/// The fixed result of `l op r`, when the types alone decide it.
std::optional<Mismatch> mismatch(ast::BinaryOp op, const Static& l, const Static& r) {
  const bool negated = op == ast::BinaryOp::Ne || op == ast::BinaryOp::StrictNe;
  if (is_ordering(op)) {
    if (unordered_type(l.type) || unordered_type(r.type)) {
      return Mismatch{false,
                      "only numbers and strings are ordered; <, <=, > and >= with null, a "
                      "boolean, an array or an object are always false (02 §7.4)"};
    }
    const bool number_string = (l.type == Type::Number && r.type == Type::String) ||
                               (l.type == Type::String && r.type == Type::Number);
    const Static& str = l.type == Type::String ? l : r;
    if (number_string && str.numeric && !*str.numeric) {
      return Mismatch{false,
                      "a number is ordered only against a numeric string such as \"10\" (02 "
                      "§7.4)"};
    }
    return std::nullopt;
  }
  if (!is_equality(op) || l.type == Type::Unknown || r.type == Type::Unknown || l.type == r.type) {
    return std::nullopt;
  }
  if (op == ast::BinaryOp::StrictEq || op == ast::BinaryOp::StrictNe) {
    return Mismatch{negated, "=== and !== never equate values of different types (02 §7.3)"};
  }
  const bool number_string = (l.type == Type::Number && r.type == Type::String) ||
                             (l.type == Type::String && r.type == Type::Number);
  if (number_string) {
    const Static& str = l.type == Type::String ? l : r;
    if (!str.numeric || *str.numeric) return std::nullopt;  // '5' == 5 holds
    return Mismatch{negated,
                    "a number equals a string only when the string is numeric, such as \"5\" (02 "
                    "§7.3)"};
  }
  return Mismatch{negated,
                  "values of different types are never equal, except a number and a numeric "
                  "string (02 §7.3)"};
}

/// Finds the comparisons of one expression that cannot vary with their
/// operands' values, bottom-up over the tree.
class ComparisonScan {
 public:
  struct Finding {
    int column;
    ast::BinaryOp op;
    Static left, right;
    Mismatch why;
    bool shorthand = false;  ///< the left side is the shorthand's subject, the input
  };

  explicit ComparisonScan(const expr::Program& program) {
    const auto nodes = preorder(program.root());
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) types_[*it] = type_of(**it);
  }

  std::vector<Finding> findings;

 private:
  Static get(const ast::NodePtr& n) const {
    auto it = types_.find(n.get());
    return it == types_.end() ? Static{} : it->second;
  }

  Static type_of(const ast::Node& n) {
    switch (n.kind) {
      case ast::NodeKind::Literal:
        return of_literal(static_cast<const ast::LiteralNode&>(n).value);
      case ast::NodeKind::Array:
        return of_type(Type::Array);
      case ast::NodeKind::Object:
        return of_type(Type::Object);
      case ast::NodeKind::Unary:
        return of_type(static_cast<const ast::UnaryNode&>(n).op == ast::UnaryOp::Not
                           ? Type::Bool
                           : Type::Number);
      case ast::NodeKind::Call:
        return of_type(function_type(static_cast<const ast::CallNode&>(n).fn));
      case ast::NodeKind::Chain: {
        const auto& c = static_cast<const ast::ChainNode&>(n);
        // A method returns its type or fails; `?.` anywhere may give null.
        for (const auto& link : c.links) {
          if (link.optional) return {};
        }
        const auto& last = c.links.back();
        return last.kind == ast::Link::Kind::Method ? of_type(method_type(last.method)) : Static{};
      }
      case ast::NodeKind::Conditional: {
        const auto& c = static_cast<const ast::ConditionalNode&>(n);
        const Static a = get(c.then_branch), b = get(c.else_branch);
        return a.type == b.type ? of_type(a.type) : Static{};
      }
      case ast::NodeKind::Logical: {
        const auto& l = static_cast<const ast::LogicalNode&>(n);
        const Type t = get(l.operands.front()).type;
        for (const auto& o : l.operands) {
          if (get(o).type != t) return {};
        }
        return of_type(t);
      }
      case ast::NodeKind::Shorthand: {
        const auto& s = static_cast<const ast::ShorthandNode&>(n);
        // The subject (the input) is unknown: only an unordered operand decides.
        const Static r = get(s.rhs);
        if (is_ordering(s.op) && unordered_type(r.type)) {
          if (auto m = mismatch(s.op, Static{}, r)) {
            findings.push_back(Finding{s.column, s.op, Static{}, r, std::move(*m), true});
          }
        }
        return of_type(Type::Bool);
      }
      case ast::NodeKind::Binary:
        return binary(static_cast<const ast::BinaryNode&>(n));
      case ast::NodeKind::Root:
      case ast::NodeKind::Name:
        break;
    }
    return {};
  }

  Static binary(const ast::BinaryNode& b) {
    Static acc = get(b.first);
    for (const auto& step : b.rest) {
      const Static r = get(step.rhs);
      if (is_equality(step.op) || is_ordering(step.op)) {
        if (auto m = mismatch(step.op, acc, r)) {
          findings.push_back(Finding{step.column, step.op, acc, r, std::move(*m), false});
        }
        acc = Static{Type::Bool, std::nullopt, true};
      } else if (step.op == ast::BinaryOp::Add) {
        if (acc.type == Type::String || r.type == Type::String) {
          acc = of_type(Type::String);
        } else if (acc.type == Type::Number && r.type == Type::Number) {
          acc = of_type(Type::Number);
        } else {
          acc = {};
        }
      } else {
        acc = of_type(Type::Number);
      }
    }
    return acc;
  }

  std::unordered_map<const ast::Node*, Static> types_;
};

/// incompatible-comparison: comparisons decided by their operands' types.
void incompatible_comparison(const LintInput& in, Reporter& out) {
  for (const auto& node : in.wf.nodes) {
    for (const auto& site : in.facts(node.index).expressions) {
      if (!site.program) continue;
      ComparisonScan scan(*site.program);
      for (const auto& f : scan.findings) {
        const char* op = ast::binary_spelling(f.op);
        const std::string left = f.shorthand ? "the input" : describe(f.left, f.right);
        auto& d = out.report(
            fmt::format("{} node {}: {}: '{}' compares {} with {}, so it is always {}", node.type,
                        node.id, site.label, op, left, describe(f.right, f.left), f.why.result),
            in.wf.location_in_string(site_path(node, site),
                                     offset_of_column(site.program->text(), f.column),
                                     std::strlen(op), &node));
        d.notes.push_back(f.why.reason);
        if (f.left.comparison) {
          d.notes.emplace_back("a < b < c compares the boolean a < b with c; write a < b && b < c");
        }
      }
    }
  }
}

// ---- unknown-node-reference ------------------------------------------------------

/// Marks the ancestors of node `i` (every node with a path of edges to it).
void ancestors_of(const graph::Dag& dag, std::size_t i, std::vector<char>& mark) {
  mark.assign(dag.node_count(), 0);
  std::vector<std::size_t> stack{i};
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    for (auto e : dag.incoming(n)) {
      const std::size_t s = dag.edge_source(e);
      if (!mark[s]) {
        mark[s] = 1;
        stack.push_back(s);
      }
    }
  }
}

/// Bytes of the reference at `offset` of `text`: `node`, then `.id` or
/// `?.id` when the id is written that way, or `[...]`.
std::size_t reference_length(std::string_view text, std::size_t offset, const std::string& id) {
  const std::string_view rest = text.substr(offset);
  if (rest.substr(0, 4) != "node") return 1;
  std::size_t n = 4;
  const bool optional = rest.substr(n, 2) == "?.";
  if (optional) n += 2;
  if (rest.substr(n, 1) == "[") {
    const auto close = rest.find(']', n);
    return close == std::string_view::npos ? 4 : close + 1;
  }
  if (!optional) {
    if (rest.substr(n, 1) != ".") return 4;
    n += 1;
  }
  return rest.substr(n, id.size()) == id ? n + id.size() : 4;
}

/// unknown-node-reference: node.X where X is no node, the reader, or not
/// upstream of the reader.
void unknown_node_reference(const LintInput& in, Reporter& out) {
  const auto& dag = in.dag();
  std::vector<std::string_view> ids;
  std::vector<std::size_t> position(dag.node_count(), 0);
  bool prepared = false;
  std::vector<char> upstream;
  for (const auto& node : in.wf.nodes) {
    bool ancestors_known = false;
    for (const auto& site : in.facts(node.index).expressions) {
      if (!site.program) continue;
      std::vector<std::string> seen;  // one finding per id and expression
      for (const auto& r : expr::reads(*site.program)) {
        if (r.root != ast::RootKind::Node || !r.member) continue;
        const std::string& id = *r.member;
        if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
        if (!prepared) {
          for (const auto& n : in.wf.nodes) ids.push_back(n.id);
          const auto& order = dag.order();
          for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
          prepared = true;
        }
        const auto target = dag.index_of(id);
        std::string message;
        std::vector<std::string> notes;
        if (!target) {
          message = fmt::format(
              "{} node {}: {} reads node.{}, but no node has the id '{}', so it "
              "is always null",
              node.type, node.id, site.label, id, id);
          if (auto near = diag::spellcheck(id, ids)) {
            notes.push_back(fmt::format("did you mean '{}'?", *near));
          }
        } else if (*target == node.index) {
          message = fmt::format(
              "{} node {}: {} reads node.{}, its own result, which does not exist while it runs, "
              "so it is always null",
              node.type, node.id, site.label, id);
          notes.emplace_back("read the node's input as input instead");
        } else {
          if (!ancestors_known) {
            ancestors_of(dag, node.index, upstream);
            ancestors_known = true;
          }
          if (upstream[*target]) continue;
          if (position[*target] > position[node.index]) {
            message = fmt::format(
                "{} node {}: {} reads node.{}, which is not upstream of it and runs after it, so "
                "it is always null",
                node.type, node.id, site.label, id);
          } else {
            message = fmt::format(
                "{} node {}: {} reads node.{}, which is not upstream of it: its result is there "
                "only because {} comes first in the execution order, and it is null when {} is "
                "skipped",
                node.type, node.id, site.label, id, id, id);
          }
          notes.push_back(
              fmt::format("add an edge from {} to {} (directly or through other "
                          "nodes) so that {} runs first",
                          id, node.id, id));
        }
        seen.push_back(id);
        const std::string& text = site.program->text();
        const std::size_t offset = offset_of_column(text, r.column);
        auto& d = out.report(std::move(message),
                             in.wf.location_in_string(site_path(node, site), offset,
                                                      reference_length(text, offset, id), &node));
        d.notes = std::move(notes);
      }
    }
  }
}

// ---- the table -------------------------------------------------------------------

const Rule kRules[] = {
    {{"constant-condition", Severity::Warning, "Condition that does not depend on anything",
      "A condition (condition, a switch case's when, filter, find, partition, while_loop) that "
      "reads no root at all (no input, item, bare name, variables, context or node, and no "
      "now()) has the same value on every run: `true`, `1 > 2`, `\"a\" == \"a\"`. The branch it "
      "chooses, or the elements it keeps, are fixed, which is usually a placeholder left in or "
      "a test that lost its subject (`status == 'active'` with the input's member `status` "
      "reads the input and is not reported). The message says what the condition always gives.",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 5}\n"
      "  - id: check\n"
      "    type: condition\n"
      "    data: {condition: \"1 > 2\"}\n"
      "edges:\n"
      "  - {source: n, target: check}\n",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 5}\n"
      "  - id: check\n"
      "    type: condition\n"
      "    data: {condition: \"input > 2\"}\n"
      "edges:\n"
      "  - {source: n, target: check}\n"},
     constant_condition},
    {{"incompatible-comparison", Severity::Warning, "Comparison that always gives the same answer",
      "A comparison whose result is decided by its operands' types alone: both types are known "
      "before the run (literals, and expressions such as len(x), !x or a < b) and 02 §7 makes "
      "the answer fixed. `==` between different types is false except for a number and a "
      "numeric string (`5 == \"5\"` holds, `5 == \"five\"` never does); `===` between different "
      "types is always false; `<`, `<=`, `>`, `>=` with null, a boolean, an array or an object "
      "are always false, so `a < b < c` (a boolean compared with c) and `input.n > null` are "
      "reported even though one side is unknown. Ordering a number against a numeric string "
      "converts the string (02 §7.4: `\"10\" > 9` is true), so `input > \"10\"` is not reported; "
      "`input.count == \"3\"` is not either, because the input's type is not known.",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 5}\n"
      "  - id: check\n"
      "    type: condition\n"
      "    data: {condition: \"1 < input < 10\"}\n"
      "edges:\n"
      "  - {source: n, target: check}\n",
      "nodes:\n"
      "  - id: n\n"
      "    type: number\n"
      "    data: {value: 5}\n"
      "  - id: check\n"
      "    type: condition\n"
      "    data: {condition: \"1 < input && input < 10\"}\n"
      "edges:\n"
      "  - {source: n, target: check}\n"},
     incompatible_comparison},
    {{"unknown-node-reference", Severity::Warning,
      "Expression reads a node result that cannot "
      "be there",
      "`node.X` (or `node[\"X\"]`) reads the result of node X as the run has it when the reader "
      "starts (02 §5.1). When X is no node id, or the reader itself, or a node that is not "
      "upstream of the reader (no path of edges leads from X to it), the read is null: always, "
      "when X runs later in the execution order, or whenever X is skipped, when it happens to "
      "run earlier because of the order by id (01 §3.2). A missing result is null rather than "
      "an error (02 §5.2), so validate lets such a run go on and this is a warning. The "
      "position is that of the reference inside the expression.",
      "nodes:\n"
      "  - id: price\n"
      "    type: number\n"
      "    data: {value: 10}\n"
      "  - id: total\n"
      "    type: expression\n"
      "    data: {expression: \"input * node.prize\"}\n"
      "edges:\n"
      "  - {source: price, target: total}\n",
      "nodes:\n"
      "  - id: price\n"
      "    type: number\n"
      "    data: {value: 10}\n"
      "  - id: total\n"
      "    type: expression\n"
      "    data: {expression: \"input * node.price\"}\n"
      "edges:\n"
      "  - {source: price, target: total}\n"},
     unknown_node_reference},
};

}  // namespace

std::span<const Rule> expression_rules() { return kRules; }

}  // namespace thaiyyal::lint::detail
