#include <fmt/format.h>

#include <algorithm>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Case {
  std::string when;                              ///< echoed as `case` in the output
  std::shared_ptr<const expr::Program> program;  ///< condition mode; null for the default
  std::string output_path;                       ///< the handle; "default" for an unnamed default
  bool is_default = false;
};

struct Config final : NodeConfig {
  /// In document order; the last one is the single default case.
  std::vector<Case> cases;
};

std::vector<PathStep> case_path(std::size_t i) {
  return {PathStep{"cases", std::nullopt}, PathStep{"", i}};
}

std::vector<PathStep> case_key_path(std::size_t i, std::string_view key) {
  auto p = case_path(i);
  p.push_back(PathStep{std::string(key), std::nullopt});
  return p;
}

/// A member of case `i` that must have JSON kind `kind` when present; null
/// counts as absent. Reports a type mismatch and returns nullptr.
const Value* case_member(ConfigReader& r, const Object& obj, std::size_t i, std::string_view key,
                         Kind kind, std::string_view expected) {
  const Value* v = obj.find(key);
  if (!v || v->is_null()) return nullptr;
  if (v->kind() != kind) {
    r.fail_at(
        case_key_path(i, key), "wrong-type",
        fmt::format("cases[{}].{} must be {}, got {}", i, key, expected, kind_name(v->kind())));
    return nullptr;
  }
  return v;
}

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const Array* cases = r.array("cases");
  r.any("default_path");  // legacy; accepted and ignored, as in the reference
  if (!cases || cases->empty()) {
    if (!r.has("cases") || cases) r.missing("cases");
    return nullptr;
  }
  const std::size_t last = cases->size() - 1;
  std::size_t defaults = 0;
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const Value& item = (*cases)[i];
    if (!item.is_object()) {
      r.fail_at(case_path(i), "wrong-type",
                fmt::format("cases[{}] must be an object, got {}", i, kind_name(item.kind())));
      continue;
    }
    const Object& obj = item.as_object();
    const Value* when = case_member(r, obj, i, "when", Kind::String, "a string");
    const Value* output_path = case_member(r, obj, i, "output_path", Kind::String, "a string");
    const Value* is_default = case_member(r, obj, i, "is_default", Kind::Bool, "a boolean");
    Case k;
    k.is_default = is_default && is_default->as_bool();
    k.when = when ? when->as_string() : std::string();
    k.output_path = output_path ? output_path->as_string() : std::string();
    if (k.is_default) {
      // The default's `when` is never parsed (02 §2.2).
      ++defaults;
      if (i != last) {
        r.fail_at(case_path(i), "switch-case",
                  fmt::format("default case must be the last case in the array (found at index "
                              "{}, but last index is {})",
                              i, last));
      }
      if (k.output_path.empty()) k.output_path = "default";
    } else {
      if (k.output_path.empty()) {
        r.fail_at(case_path(i), "switch-case",
                  fmt::format("case at index {} must have output_path (non-default cases require "
                              "output_path)",
                              i));
      }
      const Value* raw_when = obj.find("when");
      const bool when_mistyped = raw_when && !raw_when->is_null() && !when;
      const auto label = fmt::format("cases[{}].when", i);
      if (when_mistyped) {
        // Already reported as a type error.
      } else if (ConfigReader::blank(k.when)) {
        r.fail_at(when ? case_key_path(i, "when") : case_path(i), "blank-expression",
                  label + ": empty condition");
      } else {
        k.program = r.expression_at(case_key_path(i, "when"), k.when, label, expr::Mode::Condition);
      }
    }
    c->cases.push_back(std::move(k));
  }
  if (defaults != 1) {
    r.fail("cases", "switch-case",
           fmt::format("switch node must have exactly one default case (found {})", defaults));
  }
  if (!r.ok()) return nullptr;
  return c;
}

/// Walks the cases in order; the first that holds wins, else the default
/// (always last). `output_path` selects the handle (spec 01 §3.4 rule 2).
Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("switch node requires at least one input");
  const Value& input = inputs.front();
  const auto env = ctx.env(&input);
  for (std::size_t i = 0; i < c.cases.size(); ++i) {
    const Case& k = c.cases[i];
    if (k.is_default) {
      return Value(Object{
          {"value", input},
          {"matched", Value(false)},
          {"case", Value("default")},
          {"output_path", Value(k.output_path)},
          {"case_index", Value(i)},
      });
    }
    bool holds = false;
    try {
      holds = expr::evaluate_condition(*k.program, env);
    } catch (const expr::ExprError& e) {
      throw NodeError(fmt::format("switch case {} evaluation failed: {}", i, e.what()));
    }
    if (holds) {
      return Value(Object{
          {"value", input},
          {"matched", Value(true)},
          {"case", Value(k.when)},
          {"output_path", Value(k.output_path)},
          {"case_index", Value(i)},
      });
    }
  }
  // Unreachable after load-time validation (exactly one default, last).
  throw NodeError("no case matched and no default case found");
}

/// Routes to the `output_path` of the case that wins (01 §3.4 rule 2):
/// every case's path, the default's included, in case order.
NodeTraits describe(const NodeConfig& cfg) {
  const auto& c = static_cast<const Config&>(cfg);
  NodeTraits t;
  t.routes = true;
  for (const auto& k : c.cases) {
    if (std::find(t.handles.begin(), t.handles.end(), k.output_path) == t.handles.end()) {
      t.handles.push_back(k.output_path);
    }
  }
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("switch node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kSwitchKind{
    "switch",
    Category::Control,
    "Routes its first input to the first case whose condition holds, or to the default case.",
    R"({"cases": [{"when": "input.status == 'active'", "output_path": "active"}, )"
    R"({"when": "input.status == 'banned'", "output_path": "blocked"}, )"
    R"({"is_default": true, "output_path": "other"}]})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
