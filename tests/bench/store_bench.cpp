// The cost of recording one run in the execution history, per backend:
// SQLite in a temporary file (WAL) always; PostgreSQL when
// THAIYYAL_BENCH_DATABASE_URL names a server (e.g. one started by
// tests/tools/pg_fixture.py start DIR).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "thaiyyal/store/store.h"

namespace {

using thaiyyal::store::ExecutionRow;
using thaiyyal::store::Store;

ExecutionRow row(std::uint64_t n) {
  ExecutionRow r;
  r.id = "bench-" + std::to_string(n) + "-" + std::to_string(std::rand());
  r.trigger = "inline";
  r.status = "succeeded";
  r.started_at = "2026-01-01T00:00:00.000Z";
  r.finished_at = "2026-01-01T00:00:00.001Z";
  r.duration_us = 1000;
  // A small result document, as a 10-node run gives.
  r.result = std::string(R"({"execution_id":"x","node_results":{)") +
             std::string(600, 'a') + R"(},"final_output":42})";
  r.request_id = "req";
  return r;
}

void record(benchmark::State& state, Store& store) {
  static std::atomic<std::uint64_t> n{0};
  for (auto _ : state) store.record_execution(row(n++));
  state.SetItemsProcessed(state.iterations());
}

void BM_RecordSqlite(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "thaiyyal-store-bench";
  std::filesystem::remove_all(dir);
  auto store = thaiyyal::store::open_sqlite((dir / "thaiyyal.db").string());
  record(state, *store);
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RecordSqlite);

void BM_RecordPostgres(benchmark::State& state) {
  const char* url = std::getenv("THAIYYAL_BENCH_DATABASE_URL");
  if (!url) {
    state.SkipWithError("THAIYYAL_BENCH_DATABASE_URL is not set");
    return;
  }
  auto store = thaiyyal::store::open_postgres(url);
  record(state, *store);
}
BENCHMARK(BM_RecordPostgres);

}  // namespace

BENCHMARK_MAIN();
