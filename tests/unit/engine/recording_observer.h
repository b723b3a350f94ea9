/// Test support: an observer that records a run's events as text lines.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/engine/observer.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::test {

/// Records workflow and node events, in order, as lines such as
/// "node_success a 1" or "skipped b"; end_line() words the workflow's end.
class RecordingObserver : public engine::Observer {
 public:
  std::vector<std::string> events;

  void on_workflow_start(const engine::RunInfo&) override { events.push_back("start"); }
  void on_node_start(const engine::RunInfo&, const engine::NodeInfo& n) override {
    events.push_back("node_start " + std::string(n.node_id));
  }
  void on_node_success(const engine::RunInfo&, const engine::NodeInfo& n, std::chrono::nanoseconds,
                       const Value& v) override {
    events.push_back("node_success " + std::string(n.node_id) + " " + to_json(v));
  }
  void on_node_failure(const engine::RunInfo&, const engine::NodeInfo& n, std::chrono::nanoseconds,
                       std::string_view e) override {
    events.push_back("node_failure " + std::string(n.node_id) + " " + std::string(e));
  }
  void on_node_skipped(const engine::RunInfo&, std::string_view id) override {
    events.push_back("skipped " + std::string(id));
  }
  void on_workflow_end(const engine::RunInfo&, const engine::RunEnd& end) override {
    events.push_back(end_line(end));
  }

 protected:
  /// "end ok <final output>" or "end <error>".
  virtual std::string end_line(const engine::RunEnd& end) const {
    return std::string("end ") +
           (end.success ? "ok " + to_json(*end.final_output) : std::string(end.error));
  }
};

}  // namespace thaiyyal::test
