/// Prometheus metrics of runs and of the server (spec 04 §3, decisions D16,
/// D-05, D-06, D-07, recommendation R-07), over prometheus-cpp's core
/// library, which stays inside this module. One Metrics object per process;
/// thread-safe.
///
/// Families (created on first use, so an idle process exposes none of the
/// run families):
///   workflow_executions_total{trigger}            counter, once per run
///   workflow_executions_success_total{trigger}    counter
///   workflow_executions_failure_total{trigger}    counter
///   workflow_execution_duration_milliseconds{trigger}  histogram, whole ms
///   workflow_nodes_executed{trigger}              histogram of nodes run
///   node_executions_total{node_type}              counter (and _success_,
///   node_executions_success_total{node_type}        _failure_ twins)
///   node_executions_failure_total{node_type}
///   node_execution_duration_milliseconds{node_type}    histogram, whole ms
///   http_calls_total{method,status_code,client_uid}    counter per attempt
///   http_call_duration_milliseconds{method,status_code,client_uid}
///   thaiyyal_execution_limit_exceeded_total{limit}
///   thaiyyal_ssrf_blocked_total{reason}
///   thaiyyal_executions_in_flight                 gauge
///   thaiyyal_http_requests_total{method,route,code}    serve requests
///   thaiyyal_http_request_duration_seconds{method,route}
///   thaiyyal_build_info{version,commit}           gauge, 1
///   thaiyyal_registry_workflows                   gauge, saved workflows
///   thaiyyal_registry_http_clients                gauge, registered clients
///   thaiyyal_history_queue_rows                   gauge, rows not yet written
///   thaiyyal_history_rows_written_total           counter
///   thaiyyal_history_write_failures_total{reason} counter of rows not
///                                                 recorded: storage, queue_full
///   process_cpu_seconds_total, process_resident_memory_bytes,
///   process_virtual_memory_bytes, process_open_fds, process_max_fds,
///   process_start_time_seconds                    read at each scrape
/// `trigger` is "inline" (serve, posted workflow), "stored" (serve, saved
/// workflow) or "cli" (thaiyyal execute). Millisecond histograms use the
/// reference's buckets 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500,
/// 5000, 7500, 10000; seconds ones 0.005 ... 60.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/engine/observer.h"

namespace thaiyyal::metrics {

struct MetricsOptions {
  std::string version;  ///< thaiyyal_build_info{version}
  std::string commit;   ///< thaiyyal_build_info{commit}; "unknown" when empty
  /// Include the process_* families (off in unit tests that compare text).
  bool process = true;
};

class Metrics {
 public:
  explicit Metrics(MetricsOptions options = {});
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// An observer recording the run, node and HTTP-call families of every
  /// run it sees, with this trigger label. Stateless between events, so one
  /// observer may serve concurrent runs. Lives as long as this object.
  engine::Observer& observer(std::string_view trigger);

  /// One answered serve request: `route` is the route template (never the
  /// raw path; "unmatched" for 404s).
  void record_request(std::string_view method, std::string_view route, int status,
                      std::chrono::nanoseconds elapsed);
  /// thaiyyal_executions_in_flight += delta.
  void add_in_flight(int delta);
  /// The store's sizes, as read for a scrape.
  void set_registry_sizes(std::size_t workflows, std::size_t http_clients);
  /// History rows: written, lost to a storage failure, dropped because the
  /// write queue was full; `queued` is the queue's length now.
  void record_history_rows(std::size_t written, std::size_t failed, std::size_t dropped);
  void set_history_queue(std::size_t queued);

  /// The text exposition format 0.0.4 of every family (process_* read now).
  std::string text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The Content-Type of text().
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Writes text() to `path` atomically (a temporary file in the same
/// directory, renamed over it), as node_exporter's textfile collector
/// expects. false with `error` set on failure.
bool write_text_file(const Metrics& metrics, const std::string& path, std::string& error);

/// Pushes text() to a Prometheus Pushgateway: PUT
/// <url>/metrics/job/<job>[/<label>/<value>...] (values URL-encoded, or in
/// the @base64 form when they contain '/'), replacing the group. `url` is
/// http(s)://host:port with an optional path prefix. false with `error` set
/// (the status and the gateway's message) on failure; never throws.
bool push_to_gateway(const Metrics& metrics, const std::string& url, const std::string& job,
                     const std::vector<std::pair<std::string, std::string>>& grouping,
                     std::chrono::milliseconds timeout, std::string& error);

}  // namespace thaiyyal::metrics
