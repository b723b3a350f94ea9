#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  double value = 0;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto v = r.number("value", Presence::Required);
  if (!v) return nullptr;
  c->value = *v;
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value>) {
  return Value(static_cast<const Config&>(cfg).value);
}

}  // namespace

extern const KindInfo kNumberKind{
    "number", Category::Input, "A constant number.", R"({"value": 42})", parse, run,
};

}  // namespace thaiyyal::nodes
