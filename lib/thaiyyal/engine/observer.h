/// Observer events of a run (spec 01 §7.1). Delivered synchronously, in
/// emission order, on the thread that runs the workflow; an observer that
/// throws has its exception swallowed. Progress output, logs, metrics and
/// tracing are observers.
#pragma once

#include <chrono>
#include <string_view>

#include "thaiyyal/model/value.h"

namespace thaiyyal::engine {

using SystemTime = std::chrono::system_clock::time_point;

struct RunInfo {
  std::string_view execution_id;
  std::string_view workflow_id;
  SystemTime start_time;
};

struct NodeInfo {
  std::string_view node_id;
  std::string_view node_type;  ///< the inferred type when inference was used
  SystemTime start_time;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_workflow_start(const RunInfo&) {}
  virtual void on_node_start(const RunInfo&, const NodeInfo&) {}
  virtual void on_node_success(const RunInfo&, const NodeInfo&,
                               std::chrono::nanoseconds /*elapsed*/, const Value& /*result*/) {}
  virtual void on_node_failure(const RunInfo&, const NodeInfo&,
                               std::chrono::nanoseconds /*elapsed*/, std::string_view /*error*/) {}
  /// A node not run because its conditional inputs did not fire (01 §3.3).
  virtual void on_node_skipped(const RunInfo&, std::string_view /*node_id*/) {}
  /// `final_output` on success; `error` (first failure) otherwise.
  virtual void on_workflow_end(const RunInfo&, std::chrono::nanoseconds /*elapsed*/,
                               bool /*success*/, const Value& /*final_output*/,
                               std::string_view /*error*/) {}
};

}  // namespace thaiyyal::engine
