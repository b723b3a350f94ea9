#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  TextTemplate text;  ///< `{{ const.x }}` / `{{ variable.x }}` are filled in per run (D12)
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto text = r.templated("text", Presence::Required);
  if (!text) return nullptr;
  c->text = std::move(*text);
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value>) {
  return Value(ctx.interpolate(static_cast<const Config&>(cfg).text));
}

}  // namespace

extern const KindInfo kTextInputKind{
    "text_input",
    Category::Input,
    "A constant string; {{ const.name }} and {{ variable.name }} placeholders are filled in.",
    R"({"text": "Hello, world"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
