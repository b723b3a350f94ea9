#include "thaiyyal/nodes/state/context_config.h"

#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

constexpr Choice<ContextType> kContextTypes[] = {
    {"string", ContextType::String},
    {"number", ContextType::Number},
    {"boolean", ContextType::Boolean},
    {"time_string", ContextType::TimeString},
    {"epoch_second", ContextType::EpochSecond},
    {"epoch_ms", ContextType::EpochMs},
    {"null", ContextType::Null},
};

std::vector<PathStep> entry_path(std::size_t i, std::string_view key = {}) {
  std::vector<PathStep> p{PathStep{"context_values", std::nullopt}, PathStep{"", i}};
  if (!key.empty()) p.push_back(PathStep{std::string(key), std::nullopt});
  return p;
}

/// A string member of entry `i`: "" when absent or null, nullopt (reported)
/// when it has another type.
std::optional<std::string> entry_string(ConfigReader& r, const Object& obj, std::size_t i,
                                        std::string_view key) {
  const Value* v = obj.find(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) {
    r.fail_at(entry_path(i, key), "wrong-type",
              fmt::format("context_values[{}].{} must be a string, got {}", i, key,
                          kind_name(v->kind())));
    return std::nullopt;
  }
  return v->as_string();
}

}  // namespace

std::unique_ptr<const NodeConfig> parse_context_config(ConfigReader& r, bool constant) {
  auto c = std::make_unique<ContextConfig>();
  c->constant = constant;
  const std::string_view kind = constant ? "context_constant" : "context_variable";
  const Array* values = r.array("context_values");
  auto name = r.string("context_name");
  const Value* legacy_value = r.any("context_value");
  const bool values_mistyped = r.has("context_values") && !values;
  if (!values_mistyped && (!values || values->empty()) && !r.has("context_name")) {
    r.missing("context_values or context_name");
  }
  if (values) {
    for (std::size_t i = 0; i < values->size(); ++i) {
      const Value& item = (*values)[i];
      if (!item.is_object()) {
        r.fail_at(
            entry_path(i), "wrong-type",
            fmt::format("context_values[{}] must be an object, got {}", i, kind_name(item.kind())));
        continue;
      }
      const Object& obj = item.as_object();
      auto entry_name = entry_string(r, obj, i, "name");
      auto type = entry_string(r, obj, i, "type");
      if (!entry_name || !type) continue;
      ContextEntry e;
      e.name = std::move(*entry_name);
      if (const Value* v = obj.find("value")) e.value = *v;
      if (auto t = find_choice(*type, kContextTypes)) {
        e.type = *t;
      } else {
        r.fail_at(obj.find("type") ? entry_path(i, "type") : entry_path(i), "invalid-value",
                  fmt::format("{} node: error converting {} ({}): unsupported type \"{}\"", kind,
                              e.name, *type, *type));
      }
      e.type_name = std::move(*type);
      c->entries.push_back(std::move(e));
    }
  }
  if (name) c->legacy_name = std::move(*name);
  if (legacy_value) c->legacy_value = *legacy_value;
  if (!r.ok()) return nullptr;
  if (c->entries.empty() && !c->legacy_value) {
    r.warn_fails_when_run("context_name", fmt::format("{} node missing context_value", kind));
  }
  return c;
}

}  // namespace thaiyyal::nodes
