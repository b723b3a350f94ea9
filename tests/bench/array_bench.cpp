// Array nodes on large in-memory inputs: the array arrives as a context
// constant (no JSON parsing in the measured time), an expression node (fed by
// a number node, as expression nodes need an input) hands it on, and the
// array nodes under test run on it.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/load/loader.h"

namespace {

using namespace thaiyyal;

std::shared_ptr<const check::CompiledWorkflow> compile(const std::string& text) {
  diag::Diagnostics diags;
  load::LoadOptions opts;
  auto wf =
      load::load_workflow(std::make_shared<diag::SourceFile>("bench.json", text), opts, diags);
  if (!wf) return nullptr;
  return check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), diags);
}

engine::RunOptions unlimited(Object constants) {
  engine::RunOptions opts;
  opts.limits = Limits{};
  opts.limits.max_array_length = 0;
  opts.limits.max_string_length = 0;
  opts.limits.max_context_depth = 0;
  opts.limits.max_input_size = 0;
  opts.limits.max_execution_time = std::chrono::milliseconds(0);
  opts.constants = std::move(constants);
  return opts;
}

void run(benchmark::State& state, const std::string& workflow, Object constants) {
  auto wf = compile(workflow);
  if (!wf) {
    state.SkipWithError("workflow did not compile");
    return;
  }
  const auto opts = unlimited(std::move(constants));
  for (auto _ : state) {
    auto r = engine::run_workflow(*wf, opts);
    if (!r.ok()) state.SkipWithError(r.errors.front().c_str());
    benchmark::DoNotOptimize(r.final_output);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// {"id", "score", "name"} rows with random scores (fixed seed).
Array rows(std::int64_t n) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> score(0, 999999);
  Array out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    std::string name = "n";
    name += std::to_string(i);
    out.emplace_back(Object{{"id", Value(i)}, {"score", Value(score(rng))}, {"name", Value(name)}});
  }
  return out;
}

void BM_SortObjectsByField(benchmark::State& state) {
  run(state,
      R"({"nodes":[{"id":"seed","type":"number","data":{"value":0}},)"
      R"({"id":"rows","type":"expression","data":{"expression":"context.rows"}},)"
      R"({"id":"sorted","type":"sort","data":{"field":"score","order":"desc"}}],)"
      R"("edges":[{"source":"seed","target":"rows"},{"source":"rows","target":"sorted"}]})",
      Object{{"rows", Value(rows(state.range(0)))}});
}
BENCHMARK(BM_SortObjectsByField)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// n random integers in [0, 999999] (fixed seed).
Array numbers(std::int64_t n) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(0, 999999);
  Array out;
  out.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) out.emplace_back(value(rng));
  return out;
}

/// context.xs handed on by an expression node to one node of `kind` with the
/// given `data` (a JSON object).
std::string one_array_node(const std::string& kind, const std::string& data) {
  return R"({"nodes":[{"id":"seed","type":"number","data":{"value":0}},)"
         R"({"id":"xs","type":"expression","data":{"expression":"context.xs"}},)"
         R"({"id":"node","type":")" +
         kind + R"(","data":)" + data +
         R"(}],"edges":[{"source":"seed","target":"xs"},{"source":"xs","target":"node"}]})";
}

/// The array handed on and nothing else: the part of the figures below that
/// is not the array node itself.
void BM_HandOnArray(benchmark::State& state) {
  run(state,
      R"({"nodes":[{"id":"seed","type":"number","data":{"value":0}},)"
      R"({"id":"xs","type":"expression","data":{"expression":"context.xs"}}],)"
      R"("edges":[{"source":"seed","target":"xs"}]})",
      Object{{"xs", Value(numbers(state.range(0)))}});
}
BENCHMARK(BM_HandOnArray)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// filter: the even numbers (about half).
void BM_Filter(benchmark::State& state) {
  run(state, one_array_node("filter", R"({"condition":"item % 2 == 0"})"),
      Object{{"xs", Value(numbers(state.range(0)))}});
}
BENCHMARK(BM_Filter)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// map: every number times 3.
void BM_Map(benchmark::State& state) {
  run(state, one_array_node("map", R"({"expression":"item * 3"})"),
      Object{{"xs", Value(numbers(state.range(0)))}});
}
BENCHMARK(BM_Map)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// reduce: the sum.
void BM_Reduce(benchmark::State& state) {
  run(state, one_array_node("reduce", R"({"expression":"accumulator + item","initial_value":0})"),
      Object{{"xs", Value(numbers(state.range(0)))}});
}
BENCHMARK(BM_Reduce)->Arg(1000000)->Unit(benchmark::kMillisecond);

/// filter -> map -> reduce chained: the sum of the even numbers times 3.
void BM_FilterMapReduce(benchmark::State& state) {
  run(state,
      R"({"nodes":[{"id":"seed","type":"number","data":{"value":0}},)"
      R"({"id":"xs","type":"expression","data":{"expression":"context.xs"}},)"
      R"({"id":"even","type":"filter","data":{"condition":"item % 2 == 0"}},)"
      R"({"id":"triple","type":"map","data":{"expression":"item * 3"}},)"
      R"({"id":"sum","type":"reduce","data":{"expression":"accumulator + item","initial_value":0}}],)"
      R"("edges":[{"source":"seed","target":"xs"},{"source":"xs","target":"even"},{"source":"even","target":"triple"},)"
      R"({"source":"triple","target":"sum"}]})",
      Object{{"xs", Value(numbers(state.range(0)))}});
}
BENCHMARK(BM_FilterMapReduce)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
