#include <fmt/format.h>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// The limit; a text that does not parse fails at run time with
  /// `invalid timeout duration: <text>` (before the input check).
  DurationSetting timeout;
  std::string action = "error";  ///< echoed; only "error" fails on a timeout
  bool fail_on_timeout = true;   ///< action == "error"; anything else continues
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto timeout = r.duration("timeout", Presence::Required);
  if (auto action = r.string("timeout_action")) c->action = std::move(*action);
  c->fail_on_timeout = c->action == "error";
  if (!timeout || !r.ok()) return nullptr;
  if (!timeout->value) {
    r.warn_fails_when_run("timeout", fmt::format("invalid timeout duration: {}", timeout->text));
  }
  c->timeout = std::move(*timeout);
  return c;
}

}  // namespace

extern const KindInfo kTimeoutKind{
    "timeout",
    Category::Resilience,
    "Bounds the execution time of its predecessor; fails or continues when it is exceeded.",
    R"({"timeout": "5s", "timeout_action": "error"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
