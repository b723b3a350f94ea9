#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// One literal top-level key (dots are part of the key); wins over `fields`.
  std::optional<std::string> field;
  std::vector<std::string> fields;  ///< several top-level keys; missing ones are skipped
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field");
  auto fields = r.string_list("fields");
  if (fields) c->fields = std::move(*fields);
  // Fails when `field` is absent and `fields` is absent or empty (spec 01 §6.1);
  // a key of the wrong type was reported already.
  const bool mistyped = (r.has("field") && !c->field) || (r.has("fields") && !fields);
  if (!mistyped && !r.has("field") && c->fields.empty()) r.missing("field or fields");
  if (!r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  if (inputs.empty()) throw NodeError("extract node requires input");
  const Object* obj = inputs.front().if_object();
  if (!obj) {
    throw NodeError(fmt::format("extract node requires object input, got {}",
                                kind_name(inputs.front().kind())));
  }
  if (c.field) {
    const Value* v = obj->find(*c.field);  // a literal top-level key; null counts as present
    if (!v) throw NodeError(fmt::format("field '{}' not found in input object", *c.field));
    return Value(Object{{"field", Value(*c.field)}, {"value", *v}});
  }
  Object out;
  for (const auto& name : c.fields) {
    if (out.contains(name)) continue;
    if (const Value* v = obj->find(name)) out.append_unique(name, *v);
  }
  return Value(std::move(out));
}

NodeTraits describe(const NodeConfig&) {
  NodeTraits t;
  t.min_inputs = 1;
  t.too_few_inputs = [](std::size_t) { return std::string("extract node requires input"); };
  return t;
}

}  // namespace

extern const KindInfo kExtractKind{
    "extract",
    Category::Data,
    "Picks one field, or several fields, from its object input.",
    R"({"fields": ["id", "name", "email"]})",
    parse,
    run,
    /*declared_only=*/false,
    /*context_node=*/false,
    /*guard=*/nullptr,
    describe,
};

}  // namespace thaiyyal::nodes
