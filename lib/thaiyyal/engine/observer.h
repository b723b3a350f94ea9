/// Observer events of a run (spec 01 §7.1). Delivered synchronously, one at a
/// time, in emission order; an observer that throws has its exception
/// swallowed. Workflow and node events come from the thread that runs the
/// workflow, in the sequential order of the run (01 §3), also when nodes run
/// concurrently (see Observer::accepts_concurrent_nodes). Progress output,
/// logs, metrics and tracing are observers.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/model/value.h"

namespace thaiyyal::engine {

using SystemTime = std::chrono::system_clock::time_point;

struct RunInfo {
  std::string_view execution_id;
  std::string_view workflow_id;
  SystemTime start_time;
  /// The id of the request that started the run (serve), or empty.
  std::string_view request_id;
};

struct NodeInfo {
  std::string_view node_id;
  std::string_view node_type;  ///< the inferred type when inference was used
  SystemTime start_time;
};

/// How a run ended.
struct RunEnd {
  std::chrono::nanoseconds elapsed{0};
  bool success = false;
  /// run_status_name(): ok, failed, limit_exceeded, timed_out, cancelled.
  std::string_view status;
  /// The limit that stopped the run (status limit_exceeded or timed_out):
  /// time, node_time, node_executions, http_calls, loop_iterations,
  /// input_size, values; empty otherwise.
  std::string_view limit;
  /// Nodes that ran (succeeded or failed); skipped ones are not counted.
  std::size_t nodes_executed = 0;
  const Value* final_output = nullptr;  ///< set on success
  std::string_view error;               ///< the first failure, otherwise
};

/// One outbound HTTP request attempt of an http node.
struct HttpCall {
  std::string_view method;      ///< GET, POST, ...
  std::string_view client_uid;  ///< the named client, or empty
  /// The response status; 0 when there was no response (see outcome).
  int status = 0;
  /// "ok" (a response arrived, whatever its status), "blocked" (the network
  /// policy refused it), "timeout", "aborted" (cancelled) or "error".
  std::string_view outcome;
  /// For "blocked": why, in a few words (the policy's message).
  std::string_view error;
  std::chrono::nanoseconds elapsed{0};
};

/// Header fields of an outbound request that an observer may extend.
using OutboundHeaders = std::vector<std::pair<std::string, std::string>>;

class Observer {
 public:
  virtual ~Observer() = default;
  /// Whether the run may execute nodes concurrently (Limits::parallelism > 1)
  /// while this observer watches. Node events keep the sequential order
  /// either way: a node that ran concurrently reports node_start and then its
  /// node_success/node_failure together, at its turn, with its real start
  /// time and elapsed time; a node started ahead of its turn and abandoned
  /// because an earlier node ended the run reports no node event. What
  /// differs is the HTTP events of such a node: they come when its requests
  /// are made, from the thread making them (still never two events at once),
  /// so they precede that node's node_start and may fall between other
  /// nodes' events. An observer that relates HTTP events to the node started
  /// last must return false (the default), which keeps the runs it watches
  /// sequential.
  virtual bool accepts_concurrent_nodes() const { return false; }
  virtual void on_workflow_start(const RunInfo&) {}
  virtual void on_node_start(const RunInfo&, const NodeInfo&) {}
  virtual void on_node_success(const RunInfo&, const NodeInfo&,
                               std::chrono::nanoseconds /*elapsed*/, const Value& /*result*/) {}
  virtual void on_node_failure(const RunInfo&, const NodeInfo&,
                               std::chrono::nanoseconds /*elapsed*/, std::string_view /*error*/) {}
  /// A node not run because its conditional inputs did not fire (01 §3.3).
  virtual void on_node_skipped(const RunInfo&, std::string_view /*node_id*/) {}
  virtual void on_workflow_end(const RunInfo&, const RunEnd&) {}
  /// Before an http node sends a request: `headers` may gain fields (trace
  /// context). Called once per attempt.
  virtual void on_http_request(const RunInfo&, const NodeInfo&, OutboundHeaders& /*headers*/) {}
  /// After each attempt, whatever its outcome.
  virtual void on_http_call(const RunInfo&, const NodeInfo&, const HttpCall&) {}
};

/// Forwards every event to several observers, in the order added; each
/// one's exceptions are swallowed on its own.
class ObserverList final : public Observer {
 public:
  /// `concurrent`: the caller knows that `o` accepts concurrent nodes (see
  /// accepts_concurrent_nodes) even though `o` does not say so itself.
  void add(Observer* o, bool concurrent = false) {
    if (!o) return;
    list_.push_back(o);
    vouched_.push_back(concurrent);
  }
  /// True when every observer in the list accepts concurrent nodes.
  bool accepts_concurrent_nodes() const override {
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (!vouched_[i] && !list_[i]->accepts_concurrent_nodes()) return false;
    }
    return true;
  }
  bool empty() const { return list_.empty(); }
  /// The only observer when there is one (and the list says nothing more
  /// about it), this list otherwise, nullptr when there is none.
  Observer* get() {
    if (list_.empty()) return nullptr;
    const bool alone = list_.size() == 1 && (!vouched_[0] || list_[0]->accepts_concurrent_nodes());
    return alone ? list_.front() : this;
  }

  void on_workflow_start(const RunInfo& r) override {
    each([&](Observer& o) { o.on_workflow_start(r); });
  }
  void on_node_start(const RunInfo& r, const NodeInfo& n) override {
    each([&](Observer& o) { o.on_node_start(r, n); });
  }
  void on_node_success(const RunInfo& r, const NodeInfo& n, std::chrono::nanoseconds e,
                       const Value& v) override {
    each([&](Observer& o) { o.on_node_success(r, n, e, v); });
  }
  void on_node_failure(const RunInfo& r, const NodeInfo& n, std::chrono::nanoseconds e,
                       std::string_view err) override {
    each([&](Observer& o) { o.on_node_failure(r, n, e, err); });
  }
  void on_node_skipped(const RunInfo& r, std::string_view id) override {
    each([&](Observer& o) { o.on_node_skipped(r, id); });
  }
  void on_workflow_end(const RunInfo& r, const RunEnd& end) override {
    each([&](Observer& o) { o.on_workflow_end(r, end); });
  }
  void on_http_request(const RunInfo& r, const NodeInfo& n, OutboundHeaders& h) override {
    each([&](Observer& o) { o.on_http_request(r, n, h); });
  }
  void on_http_call(const RunInfo& r, const NodeInfo& n, const HttpCall& c) override {
    each([&](Observer& o) { o.on_http_call(r, n, c); });
  }

 private:
  template <typename F>
  void each(F&& f) {
    for (Observer* o : list_) {
      try {
        f(*o);
      } catch (...) {
      }
    }
  }
  std::vector<Observer*> list_;
  std::vector<bool> vouched_;  ///< by index: add(o, true)
};

}  // namespace thaiyyal::engine
