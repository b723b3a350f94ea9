/// Structured run logs on stderr (spec 01 §7.2 message texts and fields), as
/// text lines or JSON lines, filtered by level. An engine Observer.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thaiyyal/engine/observer.h"

namespace thaiyyal::app {

enum class LogLevel : std::uint8_t { Debug, Info, Warn, Error, Off };
enum class LogFormat : std::uint8_t { Text, Json };

class Logger {
 public:
  Logger(LogLevel level, LogFormat format, std::FILE* out = stderr)
      : level_(level), format_(format), out_(out) {}
  using Fields = std::vector<std::pair<std::string_view, std::string>>;
  /// Fields values are pre-rendered JSON (numbers, quoted strings, arrays).
  void log(LogLevel level, std::string_view msg, const Fields& fields) const;
  bool enabled(LogLevel level) const { return level >= level_ && level_ != LogLevel::Off; }

 private:
  LogLevel level_;
  LogFormat format_;
  std::FILE* out_;
};

/// Logs workflow and node events through a Logger. Failures are logged at
/// info level: the command reports the error that ends a run itself, once.
class LogObserver final : public engine::Observer {
 public:
  explicit LogObserver(const Logger& logger) : log_(logger) {}
  void on_workflow_start(const engine::RunInfo& run) override;
  void on_node_start(const engine::RunInfo& run, const engine::NodeInfo& node) override;
  void on_node_success(const engine::RunInfo& run, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, const Value& result) override;
  void on_node_failure(const engine::RunInfo& run, const engine::NodeInfo& node,
                       std::chrono::nanoseconds elapsed, std::string_view error) override;
  void on_node_skipped(const engine::RunInfo& run, std::string_view node_id) override;
  void on_workflow_end(const engine::RunInfo& run, const engine::RunEnd& end) override;

 private:
  Logger::Fields base(const engine::RunInfo& run) const;
  const Logger& log_;
  std::size_t executed_ = 0;
};

/// Adds --log-level {debug,info,warn,error,off} (default `default_level`) and
/// --log-format {text,json} to `cmd`.
void add_log_options(CLI::App& cmd, LogLevel& level, LogFormat& format,
                     const std::string& default_level, const std::string& default_format = "text");

/// Applies THAIYYAL_LOG_LEVEL (or LOG_LEVEL) and THAIYYAL_LOG_FORMAT where
/// the flags were not given. Throws SettingsError for a bad value.
void log_options_from_env(const CLI::App& cmd, LogLevel& level, LogFormat& format);

/// A JSON string literal (for Fields).
std::string quoted(std::string_view s);

}  // namespace thaiyyal::app
