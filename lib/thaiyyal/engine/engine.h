/// The engine module runs a CompiledWorkflow (spec 01 §3-§5, decisions
/// D5-D9, D12): topological order, conditional routing, skip propagation,
/// per-run state, limits with cooperative cancellation, and the result object.
/// A CompiledWorkflow may be run by several threads at once; each run has its
/// own state and nothing outlives it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/observer.h"
#include "thaiyyal/http/clients.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::engine {

/// Lets another thread stop a run (signal handler, HTTP client gone). The run
/// notices at the next node boundary, sleep or check_cancelled().
class CancelToken {
 public:
  void cancel();
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  friend class Run;
  std::atomic<bool> cancelled_{false};
};

struct RunOptions {
  Limits limits;
  /// Context constants defined outside the workflow (`--set name=value`).
  Object constants;
  /// Seed for nodes that draw random numbers (sample); nullopt = random.
  std::optional<std::uint64_t> seed;
  Observer* observer = nullptr;  ///< not owned; may be null
  std::shared_ptr<CancelToken> cancel;
  /// Outbound HTTP: the client (shared, thread-safe; created on first use
  /// when null) and the network policy every request must pass.
  std::shared_ptr<http::HttpClient> http;
  http::NetworkPolicy network;
  /// Named HTTP clients (`http_client_uid`); may be null (none configured).
  std::shared_ptr<const http::ClientRegistry> http_clients;
  /// Receives warnings (per-element expression errors, ...) with the node id.
  std::function<void(std::string_view node_id, std::string_view message)> warn;
};

enum class RunStatus : std::uint8_t {
  Ok,
  Failed,         ///< a node failed
  LimitExceeded,  ///< a limit (node executions, HTTP calls, loops, values) was hit
  TimedOut,       ///< the run's deadline or a node's time budget passed
  Cancelled,
};

/// What happened to one node, for summaries.
struct NodeRecord {
  enum class State : std::uint8_t { NotReached, Skipped, Succeeded, Failed };
  State state = State::NotReached;
  std::chrono::nanoseconds elapsed{0};
};

/// The result object (spec 01 §3.9) plus run metadata.
struct RunResult {
  std::string execution_id;
  std::string workflow_id;
  /// Executed nodes' results, in execution order.
  Object node_results;
  Value final_output;
  std::vector<std::string> errors;
  RunStatus status = RunStatus::Ok;
  std::vector<NodeRecord> nodes;  ///< by node index
  std::chrono::nanoseconds elapsed{0};

  bool ok() const { return status == RunStatus::Ok; }
  /// {execution_id, workflow_id?, node_results, final_output, errors?}.
  /// Throws JsonWriteError if a value cannot be encoded.
  Value to_value() const;
};

/// Runs `wf` to completion or first failure. Never throws for workflow
/// problems (they are in the result); throws only on internal errors.
RunResult run_workflow(const check::CompiledWorkflow& wf, const RunOptions& options);

/// A fresh execution id: 16 lowercase hex characters.
std::string new_execution_id();

}  // namespace thaiyyal::engine
