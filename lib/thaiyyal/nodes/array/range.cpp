#include <fmt/format.h>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

constexpr std::size_t kMaxItems = 10000;

/// Keys typed *any*: a non-number means the default (spec 03-control §19).
struct Config final : NodeConfig {
  double start = 0;
  double end = 10;  ///< inclusive
  double step = 1;
};

/// The run-time error the configuration is certain to raise, if any (the node
/// ignores its inputs). Counts by repeated addition, as the node does; the
/// count goes to `count` when given.
std::optional<std::string> certain_failure(const Config& c, std::size_t* count_out = nullptr) {
  if (c.step == 0) return std::string("range step cannot be 0");
  if (c.step > 0 && c.start > c.end) {
    return fmt::format("range with positive step requires start <= end, got start={} end={}",
                       number_to_string(c.start), number_to_string(c.end));
  }
  if (c.step < 0 && c.start < c.end) {
    return fmt::format("range with negative step requires start >= end, got start={} end={}",
                       number_to_string(c.start), number_to_string(c.end));
  }
  std::size_t count = 0;
  for (double v = c.start; c.step > 0 ? v <= c.end : v >= c.end; v += c.step) {
    if (++count >= kMaxItems) {
      return std::string("range would generate more than 10000 items, adjust start/end/step");
    }
  }
  if (count_out != nullptr) *count_out = count;
  return std::nullopt;
}

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  // One message for either key missing (spec 01 §6.1).
  if (!r.has("start") || !r.has("end")) r.missing("start and end");
  c->start = number_if_given(r, "start").value_or(0);
  c->end = number_if_given(r, "end").value_or(10);
  c->step = number_if_given(r, "step").value_or(1);
  if (!r.ok()) return nullptr;
  if (auto failure = certain_failure(*c)) r.fails_when_run("", *failure);
  return c;
}

Value run(const NodeConfig& cfg, RunContext&, std::span<const Value>) {
  const auto& c = static_cast<const Config&>(cfg);
  // The checks in the reference's order; also counts the values (at most 10000).
  std::size_t expected = 0;
  if (auto failure = certain_failure(c, &expected)) throw NodeError(*failure);
  Array values;
  values.reserve(expected);
  for (double v = c.start; c.step > 0 ? v <= c.end : v >= c.end; v += c.step) {
    values.emplace_back(v);  // repeated addition, as the reference (§19(d))
  }
  const std::size_t count = values.size();
  return Value(Object{{"range", Value(std::move(values))},
                      {"count", Value(count)},
                      {"start", Value(c.start)},
                      {"end", Value(c.end)},
                      {"step", Value(c.step)}});
}

}  // namespace

extern const KindInfo kRangeKind{
    "range",
    Category::Array,
    "Generates the numbers from start to end (inclusive) by step; ignores its inputs.",
    R"({"start": 1, "end": 10, "step": 1})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
