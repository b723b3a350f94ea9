#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  /// Literal arrays zipped after the first input's array: the array members
  /// of `arrays`, in order (other members are ignored, spec 03-control §17).
  std::vector<Value> arrays;
  Value fill_missing;  ///< pads shorter arrays; null by default
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (const Value* arrays = r.any("arrays"); arrays && arrays->is_array()) {
    for (const Value& member : arrays->as_array()) {
      if (member.is_array()) c->arrays.push_back(member);
    }
  }
  if (const Value* fill = r.any("fill_missing")) c->fill_missing = *fill;
  r.boolean("remove_empty");  // accepted and ignored, as in the reference
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kZipKind{
    "zip",
    Category::Array,
    "Combines its array input and literal arrays element by element into tuples.",
    R"({"arrays": [["a", "b", "c"]], "fill_missing": null})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
