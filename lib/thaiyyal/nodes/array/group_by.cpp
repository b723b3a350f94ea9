#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

enum class Aggregate : std::uint8_t { Count, Sum, Avg, Min, Max, Values };

constexpr Choice<Aggregate> kAggregates[] = {
    {"count", Aggregate::Count}, {"sum", Aggregate::Sum}, {"avg", Aggregate::Avg},
    {"min", Aggregate::Min},     {"max", Aggregate::Max}, {"values", Aggregate::Values},
};

struct Config final : NodeConfig {
  std::string field;                     ///< "" fails at run time, after the non-array check
  std::string aggregate_name = "count";  ///< as written, echoed and used in messages
  /// nullopt: `unknown aggregate function: <x>` at run time, after the
  /// non-array check (so not certain to fail).
  std::optional<Aggregate> aggregate = Aggregate::Count;
  std::string value_field;  ///< read by the numeric aggregates
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  auto field = r.string("field", Presence::Required);
  if (auto aggregate = r.string("aggregate")) {
    c->aggregate = find_choice(*aggregate, kAggregates);
    if (!c->aggregate) {
      r.unknown_option(
          "aggregate", *aggregate, choice_names(kAggregates),
          ConfigReader::RunEffect::fails(fmt::format("unknown aggregate function: {}", *aggregate),
                                         "when its input is an array"));
    }
    c->aggregate_name = std::move(*aggregate);
  }
  c->value_field = r.string("value_field").value_or("");
  if (!field || !r.ok()) return nullptr;
  c->field = std::move(*field);
  return c;
}

/// One group: its elements in input order and the numeric values of
/// `value_field` seen so far.
struct Group {
  std::string key;
  Array elements;
  double sum = 0;
  std::size_t numeric = 0;
  double min = 0, max = 0;  ///< valid when numeric > 0
};

/// The per-group value of a numeric aggregate or count (spec 03-control
/// §12(d)); `values` is the group's element array itself.
Value aggregate_of(Aggregate a, const Group& g, const Value& members) {
  switch (a) {
    case Aggregate::Count:
      return Value(members.as_array().size());
    case Aggregate::Sum:
      return Value(g.sum);
    case Aggregate::Avg:
      return Value(g.numeric ? g.sum / static_cast<double>(g.numeric) : 0.0);
    case Aggregate::Min:
      return g.numeric ? Value(g.min) : Value();
    case Aggregate::Max:
      return g.numeric ? Value(g.max) : Value();
    case Aggregate::Values:
      break;
  }
  return members;
}

/// The output key of each aggregate, in enumerator order.
constexpr std::string_view kOutputKeys[] = {"counts",   "sums",     "averages",
                                            "minimums", "maximums", "values"};

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value> inputs) {
  const auto& c = static_cast<const Config&>(cfg);
  const Value& input = first_input(inputs, "group_by");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  if (c.field.empty()) throw NodeError("group_by node requires 'field' string");
  if (!c.aggregate)
    throw NodeError(fmt::format("unknown aggregate function: {}", c.aggregate_name));
  const Aggregate aggregate = *c.aggregate;
  const bool numeric = aggregate == Aggregate::Sum || aggregate == Aggregate::Avg ||
                       aggregate == Aggregate::Min || aggregate == Aggregate::Max;

  const Array& elements = *items;
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    poll_cancel(ctx, i);
    const Value& element = elements[i];
    // Text keys (spec 03-control §12(d), numbers as in D2).
    std::string key;
    if (element.is_object()) {
      const Value* member = element.find(c.field);
      key = member ? go_text(*member) : std::string("<missing>");
    } else {
      key = go_text(element);
    }
    auto [it, inserted] = index.try_emplace(std::move(key), groups.size());
    if (inserted) groups.push_back(Group{it->first, {}, 0, 0, 0, 0});
    Group& g = groups[it->second];
    g.elements.push_back(element);
    if (!numeric) continue;
    const Value* v = element.find(c.value_field);
    if (!v || !v->is_number()) continue;  // JSON numbers only
    const double d = v->as_number();
    g.sum += d;
    g.min = g.numeric ? std::min(g.min, d) : d;
    g.max = g.numeric ? std::max(g.max, d) : d;
    ++g.numeric;
    if (!std::isfinite(g.sum)) {
      throw NodeError(fmt::format("numeric overflow in the sum of group \"{}\"", g.key));
    }
  }

  Object grouped, aggregated;
  grouped.reserve(groups.size());
  aggregated.reserve(groups.size());
  for (Group& g : groups) {
    const Value members(std::move(g.elements));  // shared by both outputs
    aggregated.append_unique(g.key, aggregate_of(aggregate, g, members));
    grouped.append_unique(std::move(g.key), members);
  }
  const std::size_t count = groups.size();
  return Value(Object{{"groups", Value(std::move(grouped))},
                      {"group_count", Value(count)},
                      {"input_count", Value(elements.size())},
                      {"field", Value(c.field)},
                      {"aggregate", Value(c.aggregate_name)},
                      {std::string(kOutputKeys[static_cast<std::size_t>(aggregate)]),
                       Value(std::move(aggregated))}});
}

}  // namespace

extern const KindInfo kGroupByKind{
    "group_by",
    Category::Array,
    "Groups the elements of its array input by a field and aggregates each group.",
    R"({"field": "category", "aggregate": "sum", "value_field": "amount"})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
