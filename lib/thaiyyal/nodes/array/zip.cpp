#include <algorithm>

#include "thaiyyal/nodes/array/elements.h"

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

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  // The first input's array (if any) comes first; later inputs are ignored
  // (spec 03-control §17(c)).
  std::vector<const Array*> arrays;
  arrays.reserve(c.arrays.size() + 1);
  if (!inputs.empty()) {
    if (const Array* first = array_input(inputs.front())) arrays.push_back(first);
  }
  for (const Value& a : c.arrays) arrays.push_back(&a.as_array());
  if (arrays.empty()) throw NodeError("zip node requires at least one array");
  std::size_t longest = 0;
  for (const Array* a : arrays) longest = std::max(longest, a->size());
  Array zipped;
  zipped.reserve(longest);
  for (std::size_t i = 0; i < longest; ++i) {
    poll_cancel(ctx, i);
    Array tuple;
    tuple.reserve(arrays.size());
    for (const Array* a : arrays) tuple.push_back(i < a->size() ? (*a)[i] : c.fill_missing);
    zipped.emplace_back(std::move(tuple));
  }
  return Value(Object{{"zipped", Value(std::move(zipped))},
                      {"array_count", Value(arrays.size())},
                      {"tuple_count", Value(longest)},
                      {"max_length", Value(longest)}});
}

}  // namespace

extern const KindInfo kZipKind{
    "zip",
    Category::Array,
    "Combines its array input and literal arrays element by element into tuples.",
    R"({"arrays": [["a", "b", "c"]], "fill_missing": null})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
