#include "log_observer.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "common.h"
#include "thaiyyal/diag/render.h"

namespace thaiyyal::app {

void add_log_options(CLI::App& cmd, LogLevel& level, LogFormat& format,
                     const std::string& default_level) {
  add_enum_option(cmd, "--log-level", level,
                  {{"debug", LogLevel::Debug},
                   {"info", LogLevel::Info},
                   {"warn", LogLevel::Warn},
                   {"error", LogLevel::Error},
                   {"off", LogLevel::Off}},
                  "Log level on stderr", default_level);
  add_enum_option(cmd, "--log-format", format,
                  {{"text", LogFormat::Text}, {"json", LogFormat::Json}}, "Log line format",
                  "text");
}

std::string quoted(std::string_view s) {
  std::string out;
  diag::append_json_string(out, s);
  return out;
}

namespace {
const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::Debug:
      return "DEBUG";
    case LogLevel::Info:
      return "INFO";
    case LogLevel::Warn:
      return "WARN";
    case LogLevel::Error:
      return "ERROR";
    case LogLevel::Off:
      break;
  }
  return "OFF";
}

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     static_cast<int>(ms.count()));
}

std::string millis(std::chrono::nanoseconds d) {
  return fmt::format("{:.3f}", std::chrono::duration<double, std::milli>(d).count());
}
}  // namespace

void Logger::log(LogLevel level, std::string_view msg, const Fields& fields) const {
  if (!enabled(level)) return;
  std::string line;
  if (format_ == LogFormat::Json) {
    line = fmt::format("{{\"time\":\"{}\",\"level\":\"{}\",\"msg\":{}", timestamp(),
                       level_name(level), quoted(msg));
    for (const auto& [k, v] : fields) line += fmt::format(",{}:{}", quoted(k), v);
    line += "}\n";
  } else {
    line = fmt::format("{} {:<5} {}", timestamp(), level_name(level), msg);
    for (const auto& [k, v] : fields) line += fmt::format(" {}={}", k, v);
    line += '\n';
  }
  std::fwrite(line.data(), 1, line.size(), out_);
}

Logger::Fields LogObserver::base(const engine::RunInfo& run) const {
  return {{"workflow_id", quoted(run.workflow_id)}, {"execution_id", quoted(run.execution_id)}};
}

void LogObserver::on_workflow_start(const engine::RunInfo& run) {
  executed_ = 0;
  log_.log(LogLevel::Info, "workflow execution started", base(run));
}

void LogObserver::on_node_start(const engine::RunInfo& run, const engine::NodeInfo& node) {
  if (!log_.enabled(LogLevel::Debug)) return;
  auto f = base(run);
  f.emplace_back("node_id", quoted(node.node_id));
  f.emplace_back("node_type", quoted(node.node_type));
  log_.log(LogLevel::Debug, "node execution started", f);
}

void LogObserver::on_node_success(const engine::RunInfo& run, const engine::NodeInfo& node,
                                  std::chrono::nanoseconds elapsed, const Value&) {
  ++executed_;
  if (!log_.enabled(LogLevel::Info)) return;
  auto f = base(run);
  f.emplace_back("node_id", quoted(node.node_id));
  f.emplace_back("node_type", quoted(node.node_type));
  f.emplace_back("duration_ms", millis(elapsed));
  log_.log(LogLevel::Info, "node execution completed successfully", f);
}

void LogObserver::on_node_failure(const engine::RunInfo& run, const engine::NodeInfo& node,
                                  std::chrono::nanoseconds elapsed, std::string_view error) {
  auto f = base(run);
  f.emplace_back("node_id", quoted(node.node_id));
  f.emplace_back("node_type", quoted(node.node_type));
  f.emplace_back("duration_ms", millis(elapsed));
  f.emplace_back("error", quoted(error));
  // Info, not error: a retry or try_catch guard may handle the failure, and a
  // failure that ends the run is reported once by the command itself.
  log_.log(LogLevel::Info, "node execution failed", f);
}

void LogObserver::on_node_skipped(const engine::RunInfo& run, std::string_view node_id) {
  if (!log_.enabled(LogLevel::Debug)) return;
  auto f = base(run);
  f.emplace_back("node_id", quoted(node_id));
  log_.log(LogLevel::Debug, "node skipped due to conditional edge", f);
}

void LogObserver::on_workflow_end(const engine::RunInfo& run, std::chrono::nanoseconds elapsed,
                                  bool success, const Value&, std::string_view error) {
  auto f = base(run);
  f.emplace_back("duration_ms", millis(elapsed));
  if (success) {
    f.emplace_back("nodes_executed", std::to_string(executed_));
    log_.log(LogLevel::Info, "workflow execution completed successfully", f);
  } else {
    f.emplace_back("error", quoted(error));
    log_.log(LogLevel::Info, "workflow execution failed", f);
  }
}

}  // namespace thaiyyal::app
