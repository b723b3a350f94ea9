#include <fmt/format.h>

#include "thaiyyal/nodes/data/json_schema.h"
#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::optional<JsonSchema> schema;  ///< nullopt when the schema is unusable
  std::string schema_error;          ///< then: why
  bool strict = false;               ///< fail the node instead of reporting the errors
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const Value* schema = r.any("schema", Presence::Required);
  c->strict = r.boolean("strict").value_or(false);
  if (!schema || !r.ok()) return nullptr;
  try {
    c->schema = JsonSchema::compile(*schema);
  } catch (const JsonSchemaError& e) {
    c->schema_error = e.what();
    r.fails_when_run("schema", std::string("schema validation failed: ") + e.what());
  }
  return c;
}

Value run(const NodeConfig& config, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(config);
  if (inputs.empty() || inputs[0].is_null()) throw NodeError("no input provided for validation");
  if (!c.schema) throw NodeError("schema validation failed: " + c.schema_error);
  const Value& input = inputs[0];
  std::vector<SchemaViolation> errors;
  try {
    errors = c.schema->validate(input, [&ctx] { ctx.check_cancelled(); });
  } catch (const JsonSchemaError& e) {
    throw NodeError(std::string("schema validation failed: ") + e.what());
  }
  if (errors.empty()) return Value(Object{{"valid", Value(true)}, {"data", input}});
  if (c.strict) throw NodeError(fmt::format("validation failed: {} errors found", errors.size()));
  Array list;
  list.reserve(errors.size());
  for (auto& e : errors) {
    list.emplace_back(Object{{"field", Value(std::move(e.field))},
                             {"type", Value(std::move(e.type))},
                             {"description", Value(std::move(e.description))},
                             {"value", std::move(e.value)}});
  }
  return Value(
      Object{{"valid", Value(false)}, {"data", input}, {"errors", Value(std::move(list))}});
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) { return std::string("no input provided for validation"); };
  return t;
}

}  // namespace

extern const KindInfo kSchemaValidatorKind{
    "schema_validator",
    Category::Data,
    "Validates its first input against a JSON Schema and reports the errors.",
    R"({"schema": {"type": "object", "required": ["name"], )"
    R"("properties": {"name": {"type": "string"}}}})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
