#include <algorithm>

#include "thaiyyal/nodes/array/elements.h"

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

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "slice");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& elements = *items;
  // Spec 03-control §8(d); counts are clamped well inside int64.
  const auto n = static_cast<std::int64_t>(elements.size());
  const auto clamp = [n](std::int64_t v) { return std::min(std::max<std::int64_t>(v, 0), n); };
  std::int64_t s = c.start ? truncate_count(*c.start) : 0;
  if (s < 0) s += n;
  s = clamp(s);
  std::int64_t e = n;
  if (c.end) {
    e = truncate_count(*c.end);
  } else if (c.length) {
    e = s + truncate_count(*c.length);
  }
  if (e < 0) e += n;
  e = clamp(e);
  if (s > e) s = e;
  // The whole array is shared, not copied.
  Value sliced =
      s == 0 && e == n ? Value(items) : Value(Array(elements.begin() + s, elements.begin() + e));
  return Value(Object{{"sliced", std::move(sliced)},
                      {"input_count", Value(n)},
                      {"output_count", Value(e - s)},
                      {"start", Value(s)},
                      {"end", Value(e)}});
}

}  // namespace

extern const KindInfo kSliceKind{
    "slice",
    Category::Array,
    "Takes the elements of its array input from start up to end (or length) elements.",
    R"({"start": 0, "end": 10})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
