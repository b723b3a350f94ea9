#include "thaiyyal/load/loader.h"

namespace thaiyyal::load {

std::string infer_kind(const Object& d) {
  auto has = [&](std::string_view k) { return d.contains(k); };
  // Rules 1-29 of spec 01 §2, in order; presence (not value) decides, except
  // for `expression`.
  if (has("value")) return "number";
  if (has("text")) return "text_input";
  if (has("boolean_value")) return "boolean_input";
  if (has("date_value")) return "date_input";
  if (has("datetime_value")) return "datetime_input";
  if (has("mode")) return "visualization";
  if (has("op")) return "operation";
  if (has("text_op")) return "text_operation";
  if (has("url")) return "http";
  if (has("condition")) return has("true_path") ? "condition" : "filter";
  if (const Value* e = d.find("expression")) {
    if (has("initial_value")) return "reduce";
    if (e->is_string() && !e->as_string().empty()) return "expression";
  }
  if (has("var_name") && has("var_op")) return "variable";
  if (has("field") || has("fields")) return "extract";
  if (has("transform_type")) return "transform";
  if (has("accum_op")) return "accumulator";
  if (has("counter_op")) return "counter";
  if (has("cases")) return "switch";
  if (has("join_strategy")) return "join";
  if (has("paths")) return "split";
  if (has("duration")) return "delay";
  if (has("cache_op") && has("cache_key")) return "cache";
  if (has("context_name") || has("context_values")) return "context_variable";
  if (has("max_attempts") || has("backoff_strategy")) return "retry";
  if (has("fallback_value") || has("continue_on_error")) return "try_catch";
  if (has("timeout") && has("timeout_action")) return "timeout";
  return "";
}

}  // namespace thaiyyal::load
