#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string value;  ///< emitted exactly as written; not checked (spec 03 §1.4)
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto v = r.string("datetime_value", Presence::Required);
  if (!v) return nullptr;
  c->value = std::move(*v);
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value>) {
  return Value(static_cast<const Config&>(cfg).value);
}

}  // namespace

extern const KindInfo kDatetimeInputKind{
    "datetime_input",
    Category::Input,
    "A constant date and time (ISO 8601) string, emitted as written.",
    R"({"datetime_value": "2024-01-15T10:30:00Z"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
