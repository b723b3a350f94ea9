#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

/// Every key is typed *any*; only JSON numbers count (truncated toward zero
/// when applied), anything else means "not given".
struct Config final : NodeConfig {
  std::optional<double> start;   ///< default 0; negative counts from the end
  std::optional<double> end;     ///< exclusive; wins over length; default the length
  std::optional<double> length;  ///< used only without end
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->start = number_if_given(r, "start");
  c->end = number_if_given(r, "end");
  c->length = number_if_given(r, "length");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kSliceKind{
    "slice",
    Category::Array,
    "Takes the elements of its array input from start up to end (or length) elements.",
    R"({"start": 0, "end": 10})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
