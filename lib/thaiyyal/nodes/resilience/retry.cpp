#include <chrono>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class Backoff : std::uint8_t { Exponential, Linear, Constant };

constexpr Choice<Backoff> kBackoffs[] = {
    {"exponential", Backoff::Exponential},
    {"linear", Backoff::Linear},
    {"constant", Backoff::Constant},
};

struct Config final : NodeConfig {
  /// Attempts in all (D10: the predecessor is re-executed between them). The
  /// reference crashes on <= 0; the executor must not.
  std::int64_t max_attempts = 3;
  Backoff backoff = Backoff::Exponential;         ///< unknown names act as constant
  Nanos initial_delay = std::chrono::seconds(1);  ///< an unparseable text means 1s
  Nanos max_delay = std::chrono::seconds(30);     ///< caps each delay; unparseable: 30s
  double multiplier = 2.0;                        ///< exponential backoff factor
  /// Substrings of the error text worth retrying; empty means every error.
  std::vector<std::string> retry_on_errors;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->max_attempts = r.integer("max_attempts").value_or(3);
  if (auto backoff = r.string("backoff_strategy")) {
    c->backoff = find_choice(*backoff, kBackoffs).value_or(Backoff::Constant);
  }
  // Unparseable delays silently mean the defaults (spec 03-control §25).
  if (auto d = r.duration("initial_delay"); d && d->value) c->initial_delay = *d->value;
  if (auto d = r.duration("max_delay"); d && d->value) c->max_delay = *d->value;
  c->multiplier = r.number("multiplier").value_or(2.0);
  if (auto patterns = r.string_list("retry_on_errors")) c->retry_on_errors = std::move(*patterns);
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kRetryKind{
    "retry",
    Category::Resilience,
    "Re-executes a failing predecessor with exponential, linear or constant backoff.",
    R"({"max_attempts": 3, "backoff_strategy": "exponential", "initial_delay": "500ms"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
