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
#include <vector>

#include "thaiyyal/engine/engine.h"
#include "thaiyyal/http/clients.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/http/network_policy.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/serve/message.h"

namespace thaiyyal::serve {

/// What a Handler needs: the run settings and the server's own limits.
struct HandlerOptions {
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

  const HandlerOptions& options() const { return options_; }

 private:
  struct Context;
  Response execute(Context& ctx);
  Response validate(Context& ctx);
  Response health(Context& ctx, bool checks, bool readiness);
  Response version(Context& ctx);

  /// Registers a run (its token cancels it); false when every slot is busy
  /// (`refusal` = 429) or the server is draining (`refusal` = 503).
  bool acquire(const std::shared_ptr<engine::CancelToken>& token, int& refusal);
  void release(const std::shared_ptr<engine::CancelToken>& token);

  HandlerOptions options_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> draining_{false};
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<std::shared_ptr<engine::CancelToken>> runs_;
};

}  // namespace thaiyyal::serve
