#include "log_observer.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "common.h"
#include "settings.h"
#include "thaiyyal/diag/render.h"

namespace thaiyyal::app {

void add_log_options(CLI::App& cmd, LogLevel& level, LogFormat& format,
                     const std::string& default_level, const std::string& default_format) {
  add_enum_option(cmd, "--log-level", level,
                  {{"debug", LogLevel::Debug},
                   {"info", LogLevel::Info},
                   {"warn", LogLevel::Warn},
                   {"error", LogLevel::Error},
                   {"off", LogLevel::Off}},
                  "Log level on stderr", default_level);
  add_enum_option(cmd, "--log-format", format,
                  {{"text", LogFormat::Text}, {"json", LogFormat::Json}}, "Log line format",
                  default_format);
}

void log_options_from_env(const CLI::App& cmd, LogLevel& level, LogFormat& format) {
  auto env = [](std::initializer_list<const char*> names) -> std::pair<std::string, std::string> {
    for (const char* name : names) {
      if (const char* v = std::getenv(name); v && *v) return {name, v};
    }
    return {};
  };
  if (cmd.count("--log-level") == 0) {
    const auto [name, value] = env({"THAIYYAL_LOG_LEVEL", "LOG_LEVEL"});
    if (!name.empty()) {
      std::string v = value;
      for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (v == "warning") v = "warn";
      static const std::pair<const char*, LogLevel> kLevels[] = {{"debug", LogLevel::Debug},
                                                                 {"info", LogLevel::Info},
                                                                 {"warn", LogLevel::Warn},
                                                                 {"error", LogLevel::Error},
                                                                 {"off", LogLevel::Off}};
      bool known = false;
      for (const auto& [text, l] : kLevels) {
        if (v == text) {
          level = l;
          known = true;
        }
      }
      if (!known) {
        throw SettingsError(fmt::format(
            "{}: '{}' is not a log level (debug, info, warn, error or off)", name, value));
      }
    }
  }
  if (cmd.count("--log-format") == 0) {
    const auto [name, value] = env({"THAIYYAL_LOG_FORMAT"});
    if (value == "json") {
      format = LogFormat::Json;
    } else if (value == "text") {
      format = LogFormat::Text;
    } else if (!name.empty()) {
      throw SettingsError(fmt::format("{}: '{}' is not a log format (text or json)", name, value));
    }
  }
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
  Logger::Fields f{{"workflow_id", quoted(run.workflow_id)},
                   {"execution_id", quoted(run.execution_id)}};
  if (!run.request_id.empty()) f.emplace_back("request_id", quoted(run.request_id));
  return f;
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

void LogObserver::on_workflow_end(const engine::RunInfo& run, const engine::RunEnd& end) {
  auto f = base(run);
  f.emplace_back("duration_ms", millis(end.elapsed));
  if (end.success) {
    f.emplace_back("nodes_executed", std::to_string(executed_));
    log_.log(LogLevel::Info, "workflow execution completed successfully", f);
  } else {
    f.emplace_back("error", quoted(end.error));
    log_.log(LogLevel::Info, "workflow execution failed", f);
  }
}

}  // namespace thaiyyal::app
