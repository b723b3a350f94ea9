// Engine overhead: chains of number -> operation nodes, run end to end.
#include <benchmark/benchmark.h>

#include <string>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/load/loader.h"

namespace {

using namespace thaiyyal;

/// n nodes: a number seed, then operation nodes each adding a constant number
/// node to the previous result (so every operation has two inputs).
std::string chain(int n) {
  std::string nodes = R"({"id":"seed","type":"number","data":{"value":1}},)"
                      R"({"id":"one","type":"number","data":{"value":1}})";
  std::string edges;
  std::string prev = "seed";
  for (int i = 0; i < n - 2; ++i) {
    const std::string id = "op" + std::to_string(i);
    nodes += R"(,{"id":")" + id + R"(","type":"operation","data":{"op":"add"}})";
    if (!edges.empty()) edges += ',';
    edges += R"({"source":")" + prev + R"(","target":")" + id + R"("},{"source":"one","target":")" +
             id + R"("})";
    prev = id;
  }
  return R"({"nodes":[)" + nodes + R"(],"edges":[)" + edges + "]}";
}

std::shared_ptr<const check::CompiledWorkflow> compile(const std::string& text) {
  diag::Diagnostics diags;
  load::LoadOptions opts;
  opts.max_nodes = opts.max_edges = opts.max_payload_size = 0;
  auto wf =
      load::load_workflow(std::make_shared<diag::SourceFile>("bench.json", text), opts, diags);
  return check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), diags);
}

void BM_RunChain(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto wf = compile(chain(n));
  if (!wf) {
    state.SkipWithError("workflow did not compile");
    return;
  }
  engine::RunOptions opts;
  opts.limits.max_node_executions = 0;
  opts.limits.max_execution_time = std::chrono::milliseconds(0);
  for (auto _ : state) {
    auto r = engine::run_workflow(*wf, opts);
    if (!r.ok()) state.SkipWithError(r.errors.front().c_str());
    benchmark::DoNotOptimize(r.final_output);
  }
  // Seconds per node (shown with a unit suffix, e.g. 450n = 450 ns).
  state.counters["per_node"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * n,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_RunChain)->Arg(10000)->Arg(50000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LoadAndCompileChain(benchmark::State& state) {
  const std::string text = chain(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(compile(text));
}
BENCHMARK(BM_LoadAndCompileChain)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
