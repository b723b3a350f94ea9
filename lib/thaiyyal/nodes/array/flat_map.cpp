#include "thaiyyal/nodes/array/elements.h"

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

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "flat_map");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  const bool by_field = !c.field.empty() && c.field != ".";
  Array flattened;
  const auto append = [&flattened](const Value& v) {
    if (const Array* inner = v.if_array()) {
      flattened.insert(flattened.end(), inner->begin(), inner->end());  // one level only
    } else {
      flattened.push_back(v);
    }
  };
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    if (!by_field) {
      append(elements[i]);
    } else if (const Value* member = elements[i].find(c.field)) {
      append(*member);  // non-objects and objects without the key are skipped
    }
  }
  const std::size_t count = flattened.size();
  return Value(Object{{"flattened", Value(std::move(flattened))},
                      {"input_count", Value(elements.size())},
                      {"output_count", Value(count)},
                      {"field", Value(c.field)}});
}

}  // namespace

extern const KindInfo kFlatMapKind{
    "flat_map",
    Category::Array,
    "Flattens its array input one level, or concatenates one array field of each element.",
    R"({"field": "tags"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
