/// Run and load limits (spec 01 §5, decision D9). One struct shared by every
/// command; defaults are the reference's DefaultConfig. For counts 0 means
/// unlimited; for durations a value <= 0 means no limit.
#pragma once

#include <chrono>
#include <cstdint>

namespace thaiyyal {

struct Limits {
  using Millis = std::chrono::milliseconds;

  // Document (checked at load).
  std::uint64_t max_payload_size = 1u << 20;  ///< bytes of workflow text
  std::uint64_t max_nodes = 1000;
  std::uint64_t max_edges = 10000;

  // Run.
  Millis max_execution_time = std::chrono::minutes(5);
  Millis max_node_execution_time = std::chrono::seconds(30);
  std::uint64_t max_node_executions = 10000;
  std::uint64_t max_loop_iterations = 1000;
  std::uint64_t max_http_calls = 100;
  /// Nodes that wait (http, delay) running at once within one run, on a
  /// bounded pool; results are those of the sequential order either way
  /// (D7). 1 = strictly sequential; 0 = four per CPU.
  std::uint64_t parallelism = 0;

  // Values.
  std::uint64_t max_string_length = 1u << 20;  ///< bytes
  std::uint64_t max_array_length = 10000;
  std::uint64_t max_variables = 1000;
  std::uint64_t max_context_depth = 32;
  std::uint64_t max_input_size = 10u << 20;  ///< bytes of one node input
  std::uint64_t max_cache_size = 1000;       ///< entries in the run's cache

  // HTTP.
  Millis http_timeout = std::chrono::seconds(30);
  std::uint64_t max_http_redirects = 10;
  std::uint64_t max_response_size = 10u << 20;
};

}  // namespace thaiyyal
