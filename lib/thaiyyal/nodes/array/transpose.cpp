#include "thaiyyal/nodes/array/elements.h"

namespace thaiyyal::nodes {
namespace {

/// No settings besides the generic label.
struct Config final : NodeConfig {};

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  if (!r.ok()) return nullptr;
  return std::make_unique<Config>();
}

Value run(const NodeConfig&, RunContext& ctx, std::span<const Value> inputs) {
  const Value& input = first_input(inputs, "transpose");
  const ArrayPtr items = array_input_ptr(input);
  if (!items) return not_an_array(input);
  const Array& rows = *items;
  // Every outcome is a successful result, the error-shaped ones included
  // (spec 03-control §21(d)).
  if (rows.empty()) {
    return Value(Object{{"transposed", Value(Array{})}, {"rows", Value(0)}, {"cols", Value(0)}});
  }
  const Array* first = rows.front().if_array();
  if (!first) {
    return Value(Object{{"error", Value("input is not a 2D array (array of arrays)")},
                        {"first_element", rows.front()},
                        {"expected", Value("array of arrays")}});
  }
  const std::size_t cols = first->size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Array* row = rows[i].if_array();
    if (!row) {
      return Value(Object{{"error", Value(fmt::format("row {} is not an array", i))},
                          {"row_index", Value(i)},
                          {"row_value", rows[i]}});
    }
    if (row->size() != cols) {
      return Value(Object{{"error", Value("all rows must have the same length")},
                          {"expected_cols", Value(cols)},
                          {"row_index", Value(i)},
                          {"actual_cols", Value(row->size())}});
    }
  }
  Array transposed;
  transposed.reserve(cols);
  for (std::size_t j = 0; j < cols; ++j) {
    poll_cancel(ctx, j);
    Array column;
    column.reserve(rows.size());
    for (const Value& row : rows) column.push_back(row.as_array()[j]);
    transposed.emplace_back(std::move(column));
  }
  return Value(Object{{"transposed", Value(std::move(transposed))},
                      {"rows", Value(rows.size())},
                      {"cols", Value(cols)},
                      {"transposed_rows", Value(cols)},
                      {"transposed_cols", Value(rows.size())}});
}

}  // namespace

extern const KindInfo kTransposeKind{
    "transpose", Category::Array, "Transposes its array-of-arrays input (rows become columns).",
    R"({})",     parse,           run,
};

}  // namespace thaiyyal::nodes
