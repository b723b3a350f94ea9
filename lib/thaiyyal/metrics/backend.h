/// The registry under metrics::Metrics. The implementation over
/// prometheus-cpp lives in a separate module (thaiyyal-metrics.so, beside the
/// executable) that the first Metrics object loads, so that commands that
/// keep no metrics never load prometheus-cpp.
///
/// This header is shared by the executable and the module. The module may
/// run on its own copy of the C++ runtime (the executable links it
/// statically), so no exception crosses the boundary: every method of the
/// backend and of its observers catches what it throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "thaiyyal/engine/observer.h"
#include "thaiyyal/metrics/metrics.h"

namespace thaiyyal::metrics {

/// The families and their series. Thread-safe; no method throws.
class MetricsBackend {
 public:
  virtual ~MetricsBackend() = default;
  /// See Metrics::observer(); lives as long as the backend.
  virtual engine::Observer& observer(std::string_view trigger) = 0;
  /// See Metrics::record_request().
  virtual void record_request(std::string_view method, std::string_view route, int status,
                              std::chrono::nanoseconds elapsed) = 0;
  /// See Metrics::add_in_flight().
  virtual void add_in_flight(int delta) = 0;
  /// See Metrics::set_registry_sizes().
  virtual void set_registry_sizes(std::size_t workflows, std::size_t http_clients) = 0;
  /// See Metrics::record_history_rows().
  virtual void record_history_rows(std::size_t written, std::size_t failed,
                                   std::size_t dropped) = 0;
  /// See Metrics::set_history_queue().
  virtual void set_history_queue(std::size_t queued) = 0;
  /// The exposition text in `out`; false with `error` set when it cannot be
  /// produced.
  virtual bool text(std::string& out, std::string& error) const = 0;
};

/// The table a metrics module exports through its entry point.
struct MetricsModule {
  int abi;  ///< kMetricsAbi of the module's build
  /// A new backend; null when it cannot be created.
  MetricsBackend* (*make_backend)(const MetricsOptions& options);
};

/// Bumped whenever MetricsBackend, MetricsModule, MetricsOptions or the
/// engine's Observer interface change.
inline constexpr int kMetricsAbi = 1;
/// The module's file name and entry point, and the variable naming its path.
inline constexpr const char* kMetricsModuleFile = "thaiyyal-metrics.so";
inline constexpr const char* kMetricsModuleEntry = "thaiyyal_metrics_module";
inline constexpr const char* kMetricsModuleEnv = "THAIYYAL_METRICS_MODULE";

}  // namespace thaiyyal::metrics
