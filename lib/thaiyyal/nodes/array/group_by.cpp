#include "thaiyyal/nodes/kinds.h"

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
    c->aggregate_name = std::move(*aggregate);
  }
  c->value_field = r.string("value_field").value_or("");
  if (!field || !r.ok()) return nullptr;
  c->field = std::move(*field);
  return c;
}

}  // namespace

extern const KindInfo kGroupByKind{
    "group_by",
    Category::Array,
    "Groups the elements of its array input by a field and aggregates each group.",
    R"({"field": "category", "aggregate": "sum", "value_field": "amount"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
