#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

enum class Method : std::uint8_t { Random, First, Last };

constexpr Choice<Method> kMethods[] = {
    {"random", Method::Random},
    {"first", Method::First},
    {"last", Method::Last},
};

constexpr double kDefaultCount = 1;

struct Config final : NodeConfig {
  /// Typed *any* but required: a non-number means 1 (spec 03-control §18).
  /// Truncated when used; <= 0 fails at run time after the non-array check.
  double count = kDefaultCount;
  std::string method_name = "random";  ///< as written, echoed in the output
  /// nullopt: `unknown sample method: <m> ...` at run time, after the
  /// non-array and count checks.
  std::optional<Method> method = Method::Random;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const bool given = r.has("count");
  c->count = number_if_given(r, "count", Presence::Required).value_or(kDefaultCount);
  if (auto method = r.string("method")) {
    c->method = find_choice(*method, kMethods);
    c->method_name = std::move(*method);
  }
  if (!given || !r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kSampleKind{
    "sample",
    Category::Array,
    "Picks count elements of its array input: at random, the first ones or the last ones.",
    R"({"count": 5, "method": "first"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
