// Expression benchmarks: evaluating a compiled condition per element (the
// per-element nodes' hot path) and compiling a long expression.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "thaiyyal/expr/expr.h"
#include "thaiyyal/model/value_json.h"

namespace {

using thaiyyal::Value;
namespace expr = thaiyyal::expr;

constexpr const char* kCondition = "item.price * item.qty > 100 && item.tags.includes('x')";

std::vector<Value> elements() {
  std::vector<Value> out;
  for (int i = 0; i < 1000; ++i) {
    out.push_back(thaiyyal::parse_json(R"({"id": )" + std::to_string(i) + R"(, "name": "item )" +
                                       std::to_string(i) + R"(", "price": )" +
                                       std::to_string(10 + i % 90) + R"(, "qty": )" +
                                       std::to_string(1 + i % 7) + R"(, "tags": ["a", ")" +
                                       (i % 3 == 0 ? "x" : "b") + R"(", "c"], "active": true})"));
  }
  return out;
}

/// One element per iteration, in condition mode, as filter/find/partition do.
void BM_ConditionPerElement(benchmark::State& state) {
  const auto program = expr::compile(kCondition, expr::Mode::Condition);
  const auto items = elements();
  const Value index(0);
  std::size_t i = 0;
  std::size_t matched = 0;
  for (auto _ : state) {
    expr::Env env;
    env.input = &items[i];
    env.item = &items[i];
    env.index = &index;
    matched += expr::evaluate_condition(*program, env) ? 1 : 0;
    i = i + 1 == items.size() ? 0 : i + 1;
  }
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ConditionPerElement);

/// The same through evaluate(), which returns the result as a Value.
void BM_ValuePerElement(benchmark::State& state) {
  const auto program = expr::compile(kCondition, expr::Mode::Value);
  const auto items = elements();
  std::size_t i = 0;
  for (auto _ : state) {
    expr::Env env;
    env.input = &items[i];
    Value v = expr::evaluate(*program, env);
    benchmark::DoNotOptimize(v);
    i = i + 1 == items.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ValuePerElement);

/// A map body that builds an object per element.
void BM_MapObjectPerElement(benchmark::State& state) {
  const auto program = expr::compile(
      "{name: item.name.toUpperCase(), total: item.price * item.qty, x: item.tags.includes('x')}",
      expr::Mode::Value);
  const auto items = elements();
  std::size_t i = 0;
  for (auto _ : state) {
    expr::Env env;
    env.input = &items[i];
    Value v = expr::evaluate(*program, env);
    benchmark::DoNotOptimize(v);
    i = i + 1 == items.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MapObjectPerElement);

std::string long_expression() {
  std::string text;
  int k = 0;
  while (text.size() < 1000) {
    if (!text.empty()) text += " || ";
    text += "(item.price * item.qty > " + std::to_string(100 + k) +
            " && item.tags.includes('x') && contains(item.name, 'item'))";
    ++k;
  }
  return text;
}

/// Compiling (lexing, parsing, static checks) a 1,000-character expression.
void BM_Compile1000Chars(benchmark::State& state) {
  const std::string text = long_expression();
  for (auto _ : state) {
    auto program = expr::compile(text, expr::Mode::Condition);
    benchmark::DoNotOptimize(program);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["chars"] = static_cast<double>(text.size());
}
BENCHMARK(BM_Compile1000Chars);

}  // namespace

BENCHMARK_MAIN();
