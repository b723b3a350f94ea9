#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  Value fallback_value;           ///< reported as `value` when an error is caught
  bool continue_on_error = true;  ///< false: a caught error still fails the node
  /// Echoed in the output when non-empty; no routing effect.
  std::string error_output_path;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (const Value* fallback = r.any("fallback_value")) c->fallback_value = *fallback;
  c->continue_on_error = r.boolean("continue_on_error").value_or(true);
  c->error_output_path = r.string("error_output_path").value_or("");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kTryCatchKind{
    "try_catch",
    Category::Resilience,
    "Turns a failure of its predecessor into a fallback value so the run continues.",
    R"({"fallback_value": {"items": []}, "continue_on_error": true})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
