#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// "" or ".": flatten the elements one level; otherwise expand this
  /// top-level key of each element. Echoed in the output.
  std::string field;
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  // Written by the editor and ignored by the reference; neither parsed nor used.
  r.string("expression");
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kFlatMapKind{
    "flat_map",
    Category::Array,
    "Flattens its array input one level, or concatenates one array field of each element.",
    R"({"field": "tags"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
