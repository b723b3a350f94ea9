#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/values.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  Value fallback_value;           ///< reported as `value` when an error is caught
  bool continue_on_error = true;  ///< false: a caught error still fails the node
  /// Echoed in the output when non-empty; no routing effect.
  std::string error_output_path;
  GuardPolicy policy;  ///< Catch: the run goes on past a predecessor's failure (D10)
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (const Value* fallback = r.any("fallback_value")) c->fallback_value = *fallback;
  c->continue_on_error = r.boolean("continue_on_error").value_or(true);
  c->error_output_path = r.string("error_output_path").value_or("");
  if (!r.ok()) return nullptr;
  c->policy.type = GuardPolicy::Type::Catch;
  return c;
}

const GuardPolicy* guard(const NodeConfig& config) {
  return &static_cast<const Config&>(config).policy;
}

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (inputs.empty()) throw NodeError("try-catch node requires at least one input");
  const Value& input = inputs[0];
  std::optional<std::string> error;
  if (const GuardOutcome* outcome = ctx.predecessor_outcome(); outcome && outcome->failed) {
    error = outcome->error;  // a failure the engine caught (D10)
  } else if (const Value* signal = error_signal(input)) {
    // try_catch reads a non-string error as its Go text ({"error": null} -> "<nil>").
    error = signal->is_string() ? signal->as_string() : go_text(*signal);
  }
  if (!error) return Value(Object{{"value", input}, {"error_caught", Value(false)}});
  if (!c.continue_on_error) throw NodeError("error caught: " + *error);
  Object out{
      {"value", c.fallback_value}, {"error_caught", Value(true)}, {"error_message", Value(*error)}};
  if (!c.error_output_path.empty())
    out.append_unique("error_output_path", Value(c.error_output_path));
  return Value(std::move(out));
}

NodeTraits describe(const NodeConfig& cfg) {
  NodeTraits t;
  // With continue_on_error false a caught failure still fails the node.
  t.absorbs_failures = static_cast<const Config&>(cfg).continue_on_error;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) {
    return std::string("try-catch node requires at least one input");
  };
  return t;
}

}  // namespace

extern const KindInfo kTryCatchKind{
    "try_catch",
    Category::Resilience,
    "Turns a failure of its predecessor into a fallback value so the run continues.",
    R"({"fallback_value": {"items": []}, "continue_on_error": true})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    guard,
    describe,
};

}  // namespace thaiyyal::nodes
