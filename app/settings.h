/// Run settings (limits today; network policy later) gathered from four
/// sources with one precedence: command-line flags > THAIYYAL_* environment
/// variables > the --config YAML file > built-in defaults. One table describes
/// every setting once; commands bind the subset they use.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/http/network_policy.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::app {

/// Which commands a setting applies to: Document (every command that loads
/// a workflow), Run and Network (execute, serve), Serve (the HTTP server),
/// Observe (metrics and tracing of execute and serve), RunObserve (metrics
/// of one-shot runs: execute only).
/// Store (where saved workflows and the history live: serve, workflows,
/// history), History (serve's recording of runs).
enum class Scope : std::uint8_t {
  Document,
  Run,
  Network,
  Serve,
  Observe,
  RunObserve,
  Store,
  History
};

/// The settings of the server and of observability (spec 04 §5.4).
struct ServiceSettings {
  ServiceSettings();
  std::string addr = "127.0.0.1:8080";
  Limits::Millis read_header_timeout{10000};
  Limits::Millis read_timeout{30000};
  Limits::Millis write_timeout{0};  ///< 0 = max-execution-time + 10s
  Limits::Millis idle_timeout{60000};
  Limits::Millis shutdown_timeout{30000};
  std::uint64_t max_body_bytes = 10u << 20;
  std::uint64_t max_concurrent = 0;  ///< default: 4 per CPU
  std::string cors_origins;          ///< comma list or *; empty = CORS off
  std::string auth_token_file;
  bool auth_metrics = false;
  std::string metrics_addr;  ///< separate listener for /metrics and /health*
  std::string otlp_endpoint;
  Limits::Millis metrics_linger{0};
  std::string metrics_file;
  std::string pushgateway;
  std::string pushgateway_job = "thaiyyal";
  std::string pushgateway_instance;  ///< default: the host name
  std::string data_dir;              ///< "" = the per-user data directory
  std::string database;              ///< postgres://... ; "" = SQLite in data_dir
  bool no_history = false;
  std::uint64_t history_max_runs = 100000;
  Limits::Millis history_max_age{30LL * 24 * 3600 * 1000};
  std::uint64_t max_saved_workflows = 10000;
};

/// The default number of executions at once: four per CPU.
std::uint64_t default_concurrency();

/// A bad value in a flag, the environment or the config file; exit code 2.
class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Settings {
 public:
  /// Adds the flags of every setting whose scope is within `scopes` to `cmd`,
  /// plus --config FILE.
  void bind(CLI::App& cmd, std::vector<Scope> scopes);

  /// Resolves every bound setting into `limits`. Throws SettingsError naming
  /// the source (flag, variable or file:key) of a bad value.
  void resolve(Limits& limits, http::NetworkPolicy* network = nullptr,
               ServiceSettings* service = nullptr) const;

  /// The values of every bound setting and where each came from ("default",
  /// a flag, a variable or file:key), for `serve --check-config`; secrets
  /// (the auth token file's contents) are never read here.
  std::vector<std::pair<std::string, std::string>> sources() const;

  /// The --config file, if one was given.
  const std::string& config_file() const { return config_file_; }
  /// The named HTTP clients file: --http-clients, else THAIYYAL_HTTP_CLIENTS.
  std::string http_clients_file() const;

 private:
  struct Bound {
    std::size_t index;  ///< into the settings table
    std::string flag_value;
    bool flag_set = false;
    CLI::Option* option = nullptr;
    mutable std::string source = "default";
  };
  std::vector<std::string> allowed_domains_;
  CLI::Option* domains_option_ = nullptr;
  std::vector<Bound> bound_;
  std::string config_file_;
  std::string http_clients_file_;
  bool serve_ = false;  ///< the serve command: legacy variables apply
};

/// `--set NAME=VALUE` options as context constants: VALUE is JSON when it
/// parses, else the text itself. Throws SettingsError for a malformed one.
Object parse_sets(const std::vector<std::string>& sets);

/// Parses a size: a whole number of bytes with an optional unit K, M or G,
/// also written KB/KiB (any letter case, an optional space before it), all
/// powers of 1024. nullopt on bad input.
std::optional<std::uint64_t> parse_size(std::string_view s);

}  // namespace thaiyyal::app
