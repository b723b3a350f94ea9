#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  Value schema;         ///< a JSON Schema (an object, or true/false)
  bool strict = false;  ///< fail the node instead of reporting the errors
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const Value* schema = r.any("schema", Presence::Required);
  c->strict = r.boolean("strict").value_or(false);
  if (!schema || !r.ok()) return nullptr;
  c->schema = *schema;
  if (!schema->is_object() && !schema->is_bool()) {
    r.warn_fails_when_run("schema", "schema validation failed: schema is invalid");
  }
  return c;
}

}  // namespace

extern const KindInfo kSchemaValidatorKind{
    "schema_validator",
    Category::Data,
    "Validates its first input against a JSON Schema and reports the errors.",
    R"({"schema": {"type": "object", "required": ["name"], )"
    R"("properties": {"name": {"type": "string"}}}})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
