/// The routes of `thaiyyal serve` (spec 04 §1-§2, recommendations,
/// R-06; defects D-14, D-16, D-18, D-26, D-30): a function from Request to
/// Response, independent of the HTTP library. Executions use the library
/// directly (load, check, engine). Thread-safe: one Handler serves every
/// connection of a server.
///
/// Routes:
///   POST /api/v1/workflow/execute   run the posted workflow (JSON or YAML)
///   POST /api/v1/workflow/validate  every static check; diagnostics as JSON
///   *    /health, /health/ready     health with checks (ready: 503 while
///                                   draining or when every slot is busy)
///   *    /health/live               liveness, always 200
///   GET  /version                   service name and version
///   *    /metrics                   Prometheus text format (when metrics are on)
/// With a store (saved_routes.cpp):
///   POST   /api/v1/workflow/save            save a workflow (201; version 1)
///   GET    /api/v1/workflow/list            summaries of the saved workflows
///   GET    /api/v1/workflow/load/{id}       one, with its document
///   DELETE /api/v1/workflow/delete/{id}     remove it and its versions
///   POST   /api/v1/workflow/execute/{id}    run it (?version=N for an older one)
///   PUT    /api/v1/workflow/{id}            save a new version (GET = load)
///   GET    /api/v1/workflow/{id}/versions[/{n}]
///   POST   /api/v1/httpclient/register      a named client (secrets redacted)
///   GET    /api/v1/httpclient/list          their uids
///   GET|DELETE /api/v1/httpclient/{uid}
///   GET    /api/v1/executions[/{id}]        the history (workflow_id, status,
///                                           limit, cursor)
/// With an auth token, /api/* (and /metrics with auth_metrics) need
/// `Authorization: Bearer <token>`. With CORS origins, browsers' preflight
/// requests are answered and allowed origins get Access-Control-* headers.
/// Every error is one JSON envelope:
///   {"success": false, "error", "details", "code", "request_id"}
/// and every response carries X-Request-ID (the request's, when it is a
/// sensible id, else a generated one).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "thaiyyal/engine/engine.h"
#include "thaiyyal/http/clients.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/http/network_policy.h"
#include "thaiyyal/metrics/metrics.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/serve/compiled_cache.h"
#include "thaiyyal/serve/message.h"
#include "thaiyyal/store/store.h"
#include "thaiyyal/trace/trace.h"

namespace thaiyyal::store {
class HistoryWriter;
}

namespace thaiyyal::serve {

/// One answered request, for the access log.
struct AccessRecord {
  std::string_view method;
  std::string_view path;   ///< without the query string
  std::string_view route;  ///< the route template, or "unmatched"
  int status = 0;
  std::chrono::nanoseconds elapsed{0};
  std::string_view request_id;
  std::size_t bytes = 0;  ///< response body bytes
  std::string_view remote_addr;
};

/// Which routes a Handler answers: every route, or only /metrics and the
/// health routes (the admin listener of --metrics-addr).
enum class RouteSet : std::uint8_t { All, Admin };

/// What a Handler needs: the run settings and the server's own limits.
struct HandlerOptions {
  RouteSet routes = RouteSet::All;
  /// Limits of every load and run (the CLI's settings).
  Limits limits;
  /// The network policy of every outbound HTTP request of a run.
  http::NetworkPolicy network;
  /// Outbound HTTP client shared by the runs; created on first use when null.
  std::shared_ptr<http::HttpClient> http;
  /// Named HTTP clients; may be null.
  std::shared_ptr<const http::ClientRegistry> http_clients;
  /// Largest request body accepted (bytes); larger ones get 413.
  std::uint64_t max_body_bytes = 10u << 20;
  /// Executions running at once; more get 429 with Retry-After. 0 = no limit.
  std::uint64_t max_concurrent_executions = 0;
  /// Shown by /version and the health routes.
  std::string version = "0.1.0";
  /// Receives the text of unexpected internal errors (the client gets only
  /// a generic 500); may be empty.
  std::function<void(std::string_view message)> log_error;
  /// Receives one record per answered request; may be empty.
  std::function<void(const AccessRecord&)> log_access;
  /// Makes the observer that logs one execution's events (it sees the
  /// request id in RunInfo); may be empty.
  std::function<std::unique_ptr<engine::Observer>()> run_logger;
  /// The bearer token /api/* requests must present; empty = no auth.
  std::string auth_token;
  /// With auth_token: /metrics needs it too.
  bool auth_metrics = false;
  /// Origins allowed to call from a browser ("*" = any); empty = CORS off.
  std::vector<std::string> cors_origins;
  /// Records run and request metrics (and serves /metrics when
  /// metrics_route); may be null.
  std::shared_ptr<metrics::Metrics> metrics;
  bool metrics_route = true;
  /// Exports a server span per request and the spans of runs; may be null.
  std::shared_ptr<trace::Exporter> tracer;
  /// Saved workflows and the execution history; null = those routes answer
  /// 503 STORAGE_UNAVAILABLE.
  std::shared_ptr<store::Store> store;
  /// Saved workflows the store may hold (0 = no bound); more get 507.
  std::size_t max_saved_workflows = 10000;
  /// HTTP clients callers may register (0 = no bound); more get 507.
  std::size_t max_registered_clients = 1000;
  /// Records every run in the history (with a store).
  bool history = true;
  /// Largest result document kept in a history row (bytes); larger ones are
  /// dropped and the row marked result_truncated.
  std::size_t history_max_result_bytes = 64u << 10;
  /// Compiled workflows kept by their text for repeated executions
  /// (compiled_cache.h); 0 entries = none kept.
  std::size_t compiled_cache_entries = 256;
  std::size_t compiled_cache_bytes = 32u << 20;
};

class Handler {
 public:
  explicit Handler(HandlerOptions options);
  Handler(const Handler&) = delete;
  Handler& operator=(const Handler&) = delete;

  /// Answers one request. Never throws.
  Response handle(const Request& request);

  /// The envelope answer for a request the HTTP layer refused before it
  /// reached handle(): 413 (body over the limit), 400 (malformed request)...
  /// `details` says why.
  Response refused(const Request& request, int status, std::string details);

  /// From now on readiness reports 503 and new executions are refused (503).
  void start_draining();
  /// Blocks until no execution runs or `timeout` passes; true when idle.
  bool wait_idle(std::chrono::milliseconds timeout);
  /// Cancels every running execution (they end promptly as `cancelled`).
  void cancel_running();
  /// Executions running now.
  std::uint64_t running() const;
  /// Writes the history rows still queued and stops the history writer
  /// (after the last run; later runs are not recorded).
  void close_history();

  const HandlerOptions& options() const { return options_; }

  /// One request being answered (handler_context.h).
  struct Context;

 private:
  Response execute(Context& ctx);
  /// A saved workflow being run: its id, name and version.
  struct SavedRun {
    std::string id;
    std::string name;
    std::int64_t version = 1;
  };
  /// Loads, checks and runs a document, and answers with its result.
  Response run_text(Context& ctx, const std::string& text, const std::string* content_type,
                    const SavedRun* saved);
  /// Records a run in the history (when there is a store and history is
  /// on), waiting for its batch to be written; `result_json` is its result
  /// document, serialized ("" when it could not be). A storage failure is
  /// logged and counted, never fails the request.
  void record_history(const Context& ctx, const engine::RunResult& result, std::string result_json,
                      const SavedRun* saved, std::chrono::system_clock::time_point started,
                      std::chrono::microseconds elapsed);
  /// The saved-workflow and history routes (saved_routes.cpp).
  Response stored(Context& ctx, Response (Handler::*answer)(Context&));
  Response save_workflow(Context& ctx);
  Response list_workflows(Context& ctx);
  Response load_workflow(Context& ctx);
  Response delete_workflow(Context& ctx);
  Response execute_saved(Context& ctx);
  Response update_workflow(Context& ctx);
  Response list_versions(Context& ctx);
  Response get_version(Context& ctx);
  Response list_executions(Context& ctx);
  Response get_execution(Context& ctx);
  /// The named clients of a run of `wf`: the operator's, plus the
  /// registered clients its http nodes name (they may only narrow the
  /// network policy).
  std::shared_ptr<const http::ClientRegistry> clients_for(const Workflow& wf);
  Response register_client(Context& ctx);
  Response list_clients(Context& ctx);
  Response get_client(Context& ctx);
  Response delete_client(Context& ctx);
  Response validate(Context& ctx);
  Response health(Context& ctx, bool checks, bool readiness);
  Response version(Context& ctx);
  Response metrics(Context& ctx);
  Response refusal(Context& ctx, int status, std::string details);
  /// Counts an answered request and writes its access-log record.
  void record(const Context& ctx, std::string_view route_name, const Response& r,
              std::chrono::nanoseconds elapsed);
  Response route(Context& ctx, std::string_view& route_name);
  /// Access-Control-* headers for an allowed Origin (and Vary: Origin).
  void add_cors(const Request& request, Response& r) const;
  bool authorized(const Request& request) const;
  void watch();

  /// Registers a run (its token cancels it); false when every slot is busy
  /// (`refusal` = 429) or the server is draining (`refusal` = 503).
  bool acquire(const std::shared_ptr<engine::CancelToken>& token, std::function<bool()> client_gone,
               int& refusal);
  void release(const std::shared_ptr<engine::CancelToken>& token);
  /// Whether the run of `token` was cancelled because its client left.
  bool client_left(const std::shared_ptr<engine::CancelToken>& token) const;

  HandlerOptions options_;
  std::chrono::steady_clock::time_point started_;
  CompiledCache cache_;
  std::atomic<bool> draining_{false};
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  struct Slot {
    std::shared_ptr<engine::CancelToken> token;
    std::function<bool()> client_gone;
    bool client_left = false;
  };
  std::vector<Slot> runs_;
  /// Writes history rows in the background; null without store or history.
  std::unique_ptr<store::HistoryWriter> history_;
  /// Cancels runs whose client has gone (polled every 50 ms).
  bool stopping_ = false;
  std::condition_variable watch_cv_;
  std::thread watcher_;

 public:
  ~Handler();
};

}  // namespace thaiyyal::serve
