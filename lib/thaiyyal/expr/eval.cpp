#include "thaiyyal/expr/eval.h"

#include <cmath>
#include <cstdint>
#include <memory>

#include "thaiyyal/expr/builtins.h"
#include "thaiyyal/expr/text.h"

namespace thaiyyal::expr::detail {
namespace {

/// x % y with fmod's result (sign of x), computed exactly in integers when
/// both are whole numbers of safe size: fmod is slow on large operands.
double remainder_of(double x, double y) {
  constexpr double kSafe = 9007199254740991.0;  // 2^53 - 1
  if (x >= -kSafe && x <= kSafe && y >= -kSafe && y <= kSafe) {
    const auto xi = static_cast<std::int64_t>(x);
    const auto yi = static_cast<std::int64_t>(y);
    if (static_cast<double>(xi) == x && static_cast<double>(yi) == y && yi != 0) {
      const std::int64_t r = xi % yi;
      if (r == 0) return std::signbit(x) ? -0.0 : 0.0;
      return static_cast<double>(r);
    }
  }
  return std::fmod(x, y);
}

/// Far above what the nesting limit of the parser allows (about 10 tree
/// levels per nesting level); a second line of defence for the native stack.
constexpr int kMaxEvalDepth = 8192;

class DepthGuard {
 public:
  DepthGuard(int& depth, int column) : depth_(depth) {
    if (++depth_ > kMaxEvalDepth) raise("limit", column, "expression nested too deeply");
  }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

/// Argument storage for a call: a few inline slots, the heap beyond that.
class ArgList {
 public:
  explicit ArgList(std::size_t n) : n_(n) {
    if (n > kInline) {
      heap_tmp_ = std::make_unique<Value[]>(n);
      heap_ptr_ = std::make_unique<const Value*[]>(n);
    }
  }
  Value& tmp(std::size_t i) { return n_ > kInline ? heap_tmp_[i] : tmp_[i]; }
  const Value*& ptr(std::size_t i) { return n_ > kInline ? heap_ptr_[i] : ptr_[i]; }
  std::span<const Value* const> span() const { return {n_ > kInline ? heap_ptr_.get() : ptr_, n_}; }

 private:
  static constexpr std::size_t kInline = 4;
  std::size_t n_;
  Value tmp_[kInline];
  const Value* ptr_[kInline] = {};
  std::unique_ptr<Value[]> heap_tmp_;
  std::unique_ptr<const Value*[]> heap_ptr_;
};

/// `inner` lives inside `*cur`; if `*cur` is the temporary, keep a copy of
/// `inner` instead (the temporary is about to be replaced).
const Value* adopt(const Value* cur, const Value* inner, Value& tmp, Budget& budget, int column) {
  if (cur != &tmp) return inner;
  budget.charge_copy(*inner, column);
  Value copy = *inner;
  tmp = std::move(copy);
  return &tmp;
}

std::string operand_pair(const Value& a, const Value& b) {
  return describe(a) + " and " + describe(b);
}

}  // namespace

Evaluator::Evaluator(const Env& env) : env_(env) {
  input_ = env.input ? env.input : &kNullValue;
  item_ = env.item ? env.item : input_;
  index_ = env.index;
  subject_ = input_;
}

const Value& Evaluator::eval(const Node& n, Value& tmp) {
  budget_.step(n.column);
  switch (n.kind) {
    case NodeKind::Literal:
      return static_cast<const LiteralNode&>(n).value;
    case NodeKind::Root:
      return eval_root(static_cast<const RootNode&>(n));
    case NodeKind::Name:
      return bare_name(static_cast<const NameNode&>(n).name);
    default:
      break;
  }
  DepthGuard guard(depth_, n.column);
  switch (n.kind) {
    case NodeKind::Chain:
      return eval_chain(static_cast<const ChainNode&>(n), tmp);
    case NodeKind::Unary:
      return eval_unary(static_cast<const UnaryNode&>(n), tmp);
    case NodeKind::Binary:
      return eval_binary(static_cast<const BinaryNode&>(n), tmp);
    case NodeKind::Logical:
      return eval_logical(static_cast<const LogicalNode&>(n), tmp);
    case NodeKind::Conditional: {
      const auto& c = static_cast<const ConditionalNode&>(n);
      const bool yes = truthy(eval(*c.condition, tmp));
      return eval(yes ? *c.then_branch : *c.else_branch, tmp);
    }
    case NodeKind::Array:
      return eval_array(static_cast<const ArrayNode&>(n), tmp);
    case NodeKind::Object:
      return eval_object(static_cast<const ObjectNode&>(n), tmp);
    case NodeKind::Call:
      return eval_call(static_cast<const CallNode&>(n), tmp);
    case NodeKind::Shorthand:
      return eval_shorthand(static_cast<const ShorthandNode&>(n), tmp);
    default:
      break;
  }
  return kNullValue;
}

const Value& Evaluator::bare_name(const std::string& name) const {
  if (const Object* o = subject_->if_object()) {
    if (const Value* v = o->find(name)) return *v;
  }
  if (env_.variables) {
    if (const Value* v = env_.variables->find(name)) return *v;
  }
  return kNullValue;
}

const Value& Evaluator::eval_root(const RootNode& n) {
  switch (n.root) {
    case RootKind::Input:
      return *input_;
    case RootKind::Item:
      return *item_;
    case RootKind::Index:
      return index_ ? *index_ : bare_name(n.name);
    case RootKind::Items:
      return env_.items ? *env_.items : bare_name(n.name);
    case RootKind::Accumulator:
      return env_.accumulator ? *env_.accumulator : bare_name(n.name);
    case RootKind::Variables:
      if (!variables_value_) {
        variables_value_ = Value(env_.variables ? Object(*env_.variables) : Object());
      }
      return *variables_value_;
    case RootKind::Context:
      if (!context_value_) {
        context_value_ = Value(env_.context ? Object(*env_.context) : Object());
      }
      return *context_value_;
    case RootKind::Node:
      if (!nodes_value_) nodes_value_ = env_.nodes ? env_.nodes->all() : Value(Object());
      return *nodes_value_;
  }
  return kNullValue;
}

const Value* Evaluator::global_member(RootKind root, std::string_view key) const {
  const Value* v = nullptr;
  switch (root) {
    case RootKind::Variables:
      v = env_.variables ? env_.variables->find(key) : nullptr;
      break;
    case RootKind::Context:
      v = env_.context ? env_.context->find(key) : nullptr;
      break;
    case RootKind::Node:
      v = env_.nodes ? env_.nodes->find(key) : nullptr;
      break;
    default:
      break;
  }
  return v ? v : &kNullValue;
}

const Value& Evaluator::eval_chain(const ChainNode& n, Value& tmp) {
  const auto& links = n.links;
  std::size_t i = 0;
  const Value* cur = nullptr;
  // variables.x, context['k'], node.id: look the member up directly instead
  // of building the whole object first.
  if (n.base->kind == NodeKind::Root && links.front().kind != Link::Kind::Method) {
    const RootKind root = static_cast<const RootNode&>(*n.base).root;
    if (root == RootKind::Variables || root == RootKind::Context || root == RootKind::Node) {
      const Link& first = links.front();
      budget_.step(n.base->column);
      budget_.step(first.column);
      if (first.kind == Link::Kind::Member) {
        cur = global_member(root, first.name);
      } else {
        Value ktmp;
        const Value& key = eval(*first.key, ktmp);
        if (const std::string* s = key.if_string()) {
          cur = global_member(root, *s);
        } else if (const double* d = key.if_number()) {
          cur = global_member(root, number_to_string(*d));
        } else {
          raise("type", first.column,
                "cannot index with a value of type " + std::string(kind_name(key.kind())));
        }
      }
      i = 1;
    }
  }
  if (!cur) cur = &eval(*n.base, tmp);
  for (; i < links.size(); ++i) {
    const Link& link = links[i];
    if (link.optional && cur->is_null()) return kNullValue;
    budget_.step(link.column);
    switch (link.kind) {
      case Link::Kind::Member:
        cur = member(cur, link, tmp);
        break;
      case Link::Kind::Index:
        cur = index(cur, link, tmp);
        break;
      case Link::Kind::Method:
        cur = method(cur, link, tmp);
        break;
    }
  }
  return *cur;
}

const Value* Evaluator::member(const Value* cur, const Link& link, Value& tmp) {
  if (const Object* o = cur->if_object()) {
    const Value* m = o->find(link.name);
    return m ? adopt(cur, m, tmp, budget_, link.column) : &kNullValue;
  }
  if (link.is_length) {
    if (const std::string* s = cur->if_string()) {
      budget_.charge_bytes(s->size(), link.column);
      tmp = Value(code_point_count(*s));
      return &tmp;
    }
    if (const Array* a = cur->if_array()) {
      tmp = Value(a->size());
      return &tmp;
    }
  }
  return &kNullValue;
}

const Value* Evaluator::index(const Value* cur, const Link& link, Value& tmp) {
  Value ktmp;
  const Value& key = eval(*link.key, ktmp);
  if (cur->is_null()) return &kNullValue;
  switch (key.kind()) {
    case Kind::String: {
      const std::string& name = key.as_string();
      budget_.charge_bytes(name.size(), link.column);
      if (const Object* o = cur->if_object()) {
        const Value* m = o->find(name);
        return m ? adopt(cur, m, tmp, budget_, link.column) : &kNullValue;
      }
      if (name == "length") {
        if (const std::string* s = cur->if_string()) {
          budget_.charge_bytes(s->size(), link.column);
          tmp = Value(code_point_count(*s));
          return &tmp;
        }
        if (const Array* a = cur->if_array()) {
          tmp = Value(a->size());
          return &tmp;
        }
      }
      return &kNullValue;
    }
    case Kind::Number: {
      double k = key.as_number();
      if (const Object* o = cur->if_object()) {
        const Value* m = o->find(number_to_string(k));
        return m ? adopt(cur, m, tmp, budget_, link.column) : &kNullValue;
      }
      const Array* a = cur->if_array();
      const std::string* s = cur->if_string();
      if (!a && !s) return &kNullValue;
      if (k != std::trunc(k)) {
        raise("type", link.column, "index must be an integer, got " + number_to_string(k));
      }
      if (s) budget_.charge_bytes(s->size(), link.column);
      const std::size_t len = a ? a->size() : code_point_count(*s);
      if (k < 0) k += static_cast<double>(len);
      if (k < 0 || k >= static_cast<double>(len)) return &kNullValue;
      const auto pos = static_cast<std::size_t>(k);
      if (a) return adopt(cur, &(*a)[pos], tmp, budget_, link.column);
      std::size_t b = byte_offset_of(*s, pos);
      const std::size_t start = b;
      next_code_point(*s, b);
      Value ch(s->substr(start, b - start));
      tmp = std::move(ch);
      return &tmp;
    }
    default:
      raise("type", link.column,
            "cannot index with a value of type " + std::string(kind_name(key.kind())) +
                " (an index is a number or a string)");
  }
}

const Value* Evaluator::method(const Value* cur, const Link& link, Value& tmp) {
  ArgList args(link.args.size());
  for (std::size_t i = 0; i < link.args.size(); ++i) {
    args.ptr(i) = &eval(*link.args[i], args.tmp(i));
  }
  budget_.charge_value(*cur, link.column);
  for (const Value* a : args.span()) budget_.charge_value(*a, link.column);
  Value result;
  call_method(link.method, CallSite{link.name, link.column, budget_}, *cur, args.span(), result);
  budget_.charge_result(result, link.column);
  tmp = std::move(result);
  return &tmp;
}

const Value& Evaluator::eval_unary(const UnaryNode& n, Value& tmp) {
  const Value& x = eval(*n.operand, tmp);
  if (n.op == UnaryOp::Not) {
    const bool b = !truthy(x);
    tmp = Value(b);
    return tmp;
  }
  double d = 0;
  if (!to_number(x, d)) {
    raise("type", n.column,
          std::string("cannot apply unary '") + unary_spelling(n.op) + "' to " + describe(x) +
              " (it needs a number)");
  }
  tmp = Value(n.op == UnaryOp::Negate ? -d : d);
  return tmp;
}

bool Evaluator::compare(BinaryOp op, const Value& a, const Value& b, int column) {
  switch (op) {
    case BinaryOp::Eq:
      return loose_equal(a, b, budget_, column);
    case BinaryOp::Ne:
      return !loose_equal(a, b, budget_, column);
    case BinaryOp::StrictEq:
      return strict_equal(a, b, budget_, column);
    case BinaryOp::StrictNe:
      return !strict_equal(a, b, budget_, column);
    case BinaryOp::Less:
      return ordered(a, b, Order::Less, budget_, column);
    case BinaryOp::LessEq:
      return ordered(a, b, Order::LessEq, budget_, column);
    case BinaryOp::Greater:
      return ordered(a, b, Order::Greater, budget_, column);
    case BinaryOp::GreaterEq:
      return ordered(a, b, Order::GreaterEq, budget_, column);
    default:
      return false;
  }
}

const Value& Evaluator::eval_binary(const BinaryNode& n, Value& tmp) {
  const Value* acc = &eval(*n.first, tmp);
  Value rtmp;
  // A run of '+' that produces a string is built in place rather than
  // copying the growing string at every step.
  std::string text;
  bool in_text = false;
  for (const BinaryStep& step : n.rest) {
    const Value& rhs = eval(*step.rhs, rtmp);
    const int col = step.column;
    budget_.step(col);
    if (step.op == BinaryOp::Add) {
      if (in_text || acc->is_string() || rhs.is_string()) {
        if (!in_text) {
          text.clear();
          append_text(text, *acc, col);
          in_text = true;
        }
        append_text(text, rhs, col);
        budget_.charge(static_cast<std::int64_t>((text.size() + 1023) / 1024), col);
        continue;
      }
      if (!acc->is_number() || !rhs.is_number()) {
        raise("type", col,
              "cannot apply '+' to " + operand_pair(*acc, rhs) +
                  " (it adds two numbers or joins text to a string)");
      }
      tmp = Value(check_finite(acc->as_number() + rhs.as_number(), col));
      acc = &tmp;
      continue;
    }
    if (in_text) {
      tmp = Value(std::move(text));
      acc = &tmp;
      in_text = false;
    }
    switch (step.op) {
      case BinaryOp::Sub:
      case BinaryOp::Mul:
      case BinaryOp::Div:
      case BinaryOp::Mod: {
        double x = 0;
        double y = 0;
        if (!to_number(*acc, x) || !to_number(rhs, y)) {
          raise("type", col,
                std::string("cannot apply '") + binary_spelling(step.op) + "' to " +
                    operand_pair(*acc, rhs) + " (it needs two numbers)");
        }
        double r = 0;
        if (step.op == BinaryOp::Sub) {
          r = x - y;
        } else if (step.op == BinaryOp::Mul) {
          r = x * y;
        } else if (step.op == BinaryOp::Div) {
          if (y == 0) raise("math", col, "division by zero");
          r = x / y;
        } else {
          if (y == 0) raise("math", col, "modulo by zero");
          r = remainder_of(x, y);
        }
        tmp = Value(check_finite(r, col));
        break;
      }
      default: {
        const bool b = compare(step.op, *acc, rhs, col);
        tmp = Value(b);
        break;
      }
    }
    acc = &tmp;
  }
  if (in_text) {
    tmp = Value(std::move(text));
    return tmp;
  }
  return *acc;
}

const Value& Evaluator::eval_logical(const LogicalNode& n, Value& tmp) {
  const std::size_t last = n.operands.size() - 1;
  for (std::size_t i = 0;; ++i) {
    const Value& v = eval(*n.operands[i], tmp);
    if (i == last) return v;
    switch (n.op) {
      case LogicalOp::And:
        if (!truthy(v)) return v;
        break;
      case LogicalOp::Or:
        if (truthy(v)) return v;
        break;
      case LogicalOp::Coalesce:
        if (!v.is_null()) return v;
        break;
    }
  }
}

const Value& Evaluator::eval_array(const ArrayNode& n, Value& tmp) {
  Array out;
  out.reserve(n.elements.size());
  Value etmp;
  for (const auto& e : n.elements) {
    const Value& v = eval(*e, etmp);
    budget_.charge_copy(v, n.column);
    out.push_back(v);
  }
  tmp = Value(std::move(out));
  return tmp;
}

const Value& Evaluator::eval_object(const ObjectNode& n, Value& tmp) {
  Object out;
  out.reserve(n.entries.size());
  Value etmp;
  for (const auto& [key, value] : n.entries) {
    const Value& v = eval(*value, etmp);
    budget_.charge_copy(v, n.column);
    out.set(key, v);
  }
  tmp = Value(std::move(out));
  return tmp;
}

const Value& Evaluator::eval_call(const CallNode& n, Value& tmp) {
  switch (n.fn) {
    case Fn::Map:
    case Fn::Filter:
    case Fn::Find:
    case Fn::Some:
    case Fn::Every:
      return eval_per_element(n, tmp);
    case Fn::Coalesce:
      // Arguments are evaluated only until the first one that is not null.
      for (std::size_t i = 0; i < n.args.size(); ++i) {
        const Value& v = eval(*n.args[i], tmp);
        budget_.charge_value(v, n.column);
        if (!v.is_null() || i + 1 == n.args.size()) return v;
      }
      return kNullValue;
    default:
      break;
  }
  ArgList args(n.args.size());
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    args.ptr(i) = &eval(*n.args[i], args.tmp(i));
  }
  for (const Value* a : args.span()) budget_.charge_value(*a, n.column);
  Value result;
  call_function(n.fn, CallSite{n.name, n.column, budget_}, args.span(), result);
  budget_.charge_result(result, n.column);
  tmp = std::move(result);
  return tmp;
}

const Value& Evaluator::eval_per_element(const CallNode& n, Value& tmp) {
  Value atmp;
  const Value& av = eval(*n.args[0], atmp);
  if (!av.is_array()) {
    raise("type", n.column, n.name + "(): argument 1 must be an array, got " + describe(av));
  }
  const Array& arr = av.as_array();
  budget_.charge(static_cast<std::int64_t>(arr.size()), n.column);
  const Node& body = *n.args[1];

  // Rebind item, index and the bare-name subject for the body; restore them
  // afterwards (also when the body throws).
  struct Rebind {
    Evaluator& ev;
    const Value* item;
    const Value* index;
    const Value* subject;
    ~Rebind() {
      ev.item_ = item;
      ev.index_ = index;
      ev.subject_ = subject;
    }
  } rebind{*this, item_, index_, subject_};

  Value index_value;
  Value btmp;
  Array out;
  if (n.fn == Fn::Map) out.reserve(arr.size());
  Value result;
  bool decided = false;
  for (std::size_t i = 0; i < arr.size() && !decided; ++i) {
    index_value = Value(i);
    item_ = &arr[i];
    subject_ = &arr[i];
    index_ = &index_value;
    const Value& r = eval(body, btmp);
    switch (n.fn) {
      case Fn::Map:
        budget_.charge_copy(r, n.column);
        out.push_back(r);
        break;
      case Fn::Filter:
        if (truthy(r)) {
          budget_.charge_copy(arr[i], n.column);
          out.push_back(arr[i]);
        }
        break;
      case Fn::Find:
        if (truthy(r)) {
          budget_.charge_copy(arr[i], n.column);
          result = arr[i];
          decided = true;
        }
        break;
      case Fn::Some:
        if (truthy(r)) {
          result = Value(true);
          decided = true;
        }
        break;
      default:  // Every
        if (!truthy(r)) {
          result = Value(false);
          decided = true;
        }
        break;
    }
  }
  if (!decided) {
    switch (n.fn) {
      case Fn::Map:
      case Fn::Filter:
        result = Value(std::move(out));
        break;
      case Fn::Some:
        result = Value(false);
        break;
      case Fn::Every:
        result = Value(true);
        break;
      default:
        break;  // Find: null
    }
  }
  budget_.charge_value(result, n.column);
  tmp = std::move(result);
  return tmp;
}

const Value& Evaluator::eval_shorthand(const ShorthandNode& n, Value& tmp) {
  // The subject is the input, unwrapped from {"value": ...} as long as it is
  // an object with such a member (§4.4).
  const Value* subject = input_;
  while (const Object* o = subject->if_object()) {
    const Value* v = o->find("value");
    if (!v) break;
    subject = v;
  }
  const Value& rhs = eval(*n.rhs, tmp);
  const bool b = compare(n.op, *subject, rhs, n.column);
  tmp = Value(b);
  return tmp;
}

}  // namespace thaiyyal::expr::detail
