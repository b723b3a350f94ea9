#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  bool value = false;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto v = r.boolean("boolean_value", Presence::Required);
  if (!v) return nullptr;
  c->value = *v;
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value>) {
  return Value(static_cast<const Config&>(cfg).value);
}

}  // namespace

extern const KindInfo kBooleanInputKind{
    "boolean_input",
    Category::Input,
    "A constant boolean.",
    R"({"boolean_value": true})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
