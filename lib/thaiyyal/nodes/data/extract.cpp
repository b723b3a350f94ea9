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

}  // namespace

extern const KindInfo kExtractKind{
    "extract",
    Category::Data,
    "Picks one field, or several fields, from its object input.",
    R"({"fields": ["id", "name", "email"]})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
