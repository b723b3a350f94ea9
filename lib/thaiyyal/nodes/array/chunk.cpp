#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

constexpr double kDefaultSize = 10;

struct Config final : NodeConfig {
  /// Typed *any* but required: a non-number means 10 (spec 03-control §14).
  /// Truncated when used; <= 0 fails at run time after the non-array check.
  double size = kDefaultSize;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  const bool given = r.has("size");
  c->size = number_if_given(r, "size", Presence::Required).value_or(kDefaultSize);
  if (!given || !r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kChunkKind{
    "chunk",
    Category::Array,
    "Splits its array input into consecutive chunks of size elements.",
    R"({"size": 3})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
