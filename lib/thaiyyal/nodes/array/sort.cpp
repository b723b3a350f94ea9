#include <algorithm>

#include "thaiyyal/nodes/kinds.h"

namespace thaiyyal::nodes {
namespace {

struct Config final : NodeConfig {
  std::string field;          ///< top-level key of each element; "" sorts the elements
  std::string order = "asc";  ///< lower-cased, echoed in the output
  bool descending = false;    ///< only the exact text "desc" (after lower-casing)
};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  c->field = r.string("field").value_or("");
  if (auto order = r.string("order")) {
    // Any other text sorts ascending and is still echoed (spec 03-control §9).
    std::transform(order->begin(), order->end(), order->begin(), [](char ch) {
      return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    });
    c->order = std::move(*order);
  }
  c->descending = c->order == "desc";
  if (!r.ok()) return nullptr;
  return c;
}

}  // namespace

extern const KindInfo kSortKind{
    "sort",
    Category::Array,
    "Sorts its array input stably, by the elements or by one field, ascending or descending.",
    R"({"field": "price", "order": "desc"})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
