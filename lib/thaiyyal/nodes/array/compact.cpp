#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  bool remove_empty = false;  ///< also remove empty strings
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->remove_empty = r.boolean("remove_empty").value_or(false);
  if (!r.ok()) return nullptr;
  return c;
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "compact");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  Array compacted;
  compacted.reserve(elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    const Value& element = elements[i];
    // NaN cannot occur: values never hold it (D2).
    if (element.is_null()) continue;
    if (c.remove_empty) {
      if (const std::string* s = element.if_string(); s && s->empty()) continue;
    }
    compacted.push_back(element);
  }
  const std::size_t count = compacted.size();
  return Value(Object{{"compacted", Value(std::move(compacted))},
                      {"input_count", Value(elements.size())},
                      {"output_count", Value(count)},
                      {"removed", Value(elements.size() - count)}});
}

}  // namespace

extern const KindInfo kCompactKind{
    "compact",
    Category::Array,
    "Removes null elements (and, optionally, empty strings) from its array input.",
    R"({"remove_empty": true})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
