/// The engine module runs a CompiledWorkflow (spec 01 §3-§5, decisions
/// D5-D9, D12): topological order, conditional routing, skip propagation,
/// per-run state, limits with cooperative cancellation, and the result object.
/// A CompiledWorkflow may be run by several threads at once; each run has its
/// own state and nothing outlives it.
///
/// Within a run, nodes whose kind waits (http, delay: nodes::Scheduling) may
/// run concurrently on a bounded pool (Limits::parallelism), with everything
/// observable as in the sequential order (D7): node_results and their order,
/// the final output, errors, skips and routing, the node-execution and
/// HTTP-call limits (the same node fails), node events. A node that reads or
/// writes run state always runs at its turn, alone.
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
  /// The request that started the run (serve); observers see it in RunInfo.
  std::string request_id;
  /// Context constants defined outside the workflow (`--set name=value`).
  Object constants;
  /// Seed for nodes that draw random numbers (sample); nullopt = random.
  std::optional<std::uint64_t> seed;
  Observer* observer = nullptr;  ///< not owned; may be null
  std::shared_ptr<CancelToken> cancel;
  /// Outbound HTTP: the client (created on first use when null) and the
  /// network policy every request must pass.
  std::shared_ptr<http::HttpClient> http;
  /// Creates the HTTP client of one worker of the run's pool (nodes running
  /// concurrently, Limits::parallelism > 1); each worker keeps its client,
  /// and so its open connections, for every node it runs in the run. Unset:
  /// workers get default clients of their own when `http` is null, and
  /// otherwise share `http` one request at a time (a client is not assumed
  /// to allow concurrent send()). It may return the same client every time
  /// when that client allows concurrent requests.
  std::function<std::shared_ptr<http::HttpClient>()> make_http;
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
  std::string error;  ///< the failure message when state is Failed
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
  /// The node whose failure ended the run (its error is errors.front()).
  std::optional<std::size_t> failed_node;
  /// The document that ran (node ids for `nodes`); set by run_workflow.
  std::shared_ptr<const Workflow> workflow;

  bool ok() const { return status == RunStatus::Ok; }
  /// The reference's result object:
  /// {execution_id, workflow_id?, node_results, final_output, errors?}.
  Value to_value() const;
  /// The result document of `--output json|yaml` and serve, version
  /// kResultVersion: to_value()'s keys, unchanged, followed by
  ///   result_version  kResultVersion
  ///   status          run_status_name(status)
  ///   duration_ms     the run's wall time
  ///   nodes           {<id>: {status, duration_ms?, error?}} in execution
  ///                   order; status is succeeded, failed, skipped or not_run
  ///   error_details   [{code, node_id, message}] for each entry of errors;
  ///                   node_id is null for run-level errors
  Value to_document() const;
  /// to_document(), moving node_results into the document instead of copying
  /// them (node_results is left empty).
  Value take_document();

 private:
  /// to_value()'s members, with `results` as node_results.
  Object fields_with(Value results) const;
  Value document_with(Value results) const;
};

/// Version of the additive keys of RunResult::to_document(); bumped when one
/// changes meaning (adding a key does not bump it).
inline constexpr int kResultVersion = 1;

/// "succeeded", "failed", "limit_exceeded", "timed_out" or "cancelled".
std::string_view run_status_name(RunStatus s);
/// The error code of a run's errors: "node-failed", "limit-exceeded",
/// "timeout" or "cancelled".
std::string_view run_error_code(RunStatus s);

/// The limit that stopped a run (status LimitExceeded or TimedOut): "time",
/// "node_time", "node_executions", "http_calls", "loop_iterations",
/// "input_size" or "values" (a value, variable or cache over its limit);
/// empty for other runs.
std::string_view limit_name(const RunResult& r);

/// The number of nodes that may wait at once in a run with these limits:
/// Limits::parallelism, or four per CPU when it is 0.
std::size_t effective_parallelism(const Limits& limits);

/// Runs `wf` to completion or first failure. Never throws for workflow
/// problems (they are in the result); throws only on internal errors.
RunResult run_workflow(const check::CompiledWorkflow& wf, const RunOptions& options);

/// A fresh execution id: 16 lowercase hex characters.
std::string new_execution_id();

}  // namespace thaiyyal::engine
