#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "log_observer.h"
#include "observability.h"
#include "settings.h"
#include "storage.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/serve/server.h"

namespace thaiyyal::app {
namespace {

struct ServeOptions {
  std::string port_file;
  bool check_config = false;
  LogLevel log_level = LogLevel::Info;
  LogFormat log_format = LogFormat::Json;
  Settings settings;
};

/// Writes the port to `path` atomically (a temporary file renamed over it),
/// so that a reader never sees a partial number.
bool write_port_file(const std::string& path, int port, std::string& error) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) {
    error = std::strerror(errno);
    return false;
  }
  const bool written = std::fprintf(f, "%d\n", port) > 0;
  if (std::fclose(f) != 0 || !written || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

/// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> split_origins(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    const auto last = item.find_last_not_of(" \t");
    std::string origin = item.substr(first, last - first + 1);
    while (origin.size() > 1 && origin.back() == '/') origin.pop_back();
    out.push_back(std::move(origin));
  }
  return out;
}

/// The bearer token: THAIYYAL_AUTH_TOKEN, else the first line of
/// --auth-token-file. Empty when neither is set. Throws SettingsError.
std::string auth_token(const ServiceSettings& service) {
  if (service.auth_token_file.empty()) {
    const char* env = std::getenv("THAIYYAL_AUTH_TOKEN");
    const std::string token = env ? env : "";
    if (!token.empty() && token.size() < 16) {
      throw SettingsError("THAIYYAL_AUTH_TOKEN: the token must be at least 16 characters");
    }
    return token;
  }
  std::ifstream in(service.auth_token_file, std::ios::binary);
  if (!in) {
    throw SettingsError(
        fmt::format("--auth-token-file {}: {}", service.auth_token_file, std::strerror(errno)));
  }
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) {
    token.pop_back();
  }
  if (token.size() < 16) {
    throw SettingsError(fmt::format(
        "--auth-token-file {}: the token must be at least 16 characters on the first line",
        service.auth_token_file));
  }
  return token;
}

std::string duration_text(Limits::Millis d) {
  return format_go_duration(std::chrono::duration_cast<Nanos>(d));
}

/// The write timeout in effect: the setting, else max-execution-time + 10s,
/// else none (0).
Limits::Millis write_timeout(const ServiceSettings& s, const Limits& limits) {
  if (s.write_timeout.count() > 0) return s.write_timeout;
  const auto exec = limits.max_execution_time;
  return exec.count() > 0 ? exec + Limits::Millis(10000) : Limits::Millis(0);
}

struct Resolved {
  Limits limits;
  http::NetworkPolicy network;
  ServiceSettings service;
  std::string token;
  std::shared_ptr<const http::ClientRegistry> clients;
};

/// Every setting checked; throws SettingsError (exit 2) with a one-line
/// reason.
void resolve(const ServeOptions& opts, Resolved& r) {
  opts.settings.resolve(r.limits, &r.network, &r.service);
  auto& s = r.service;
  check_listen_address(s.addr, "--addr");
  if (!s.metrics_addr.empty()) check_listen_address(s.metrics_addr, "--metrics-addr");
  const auto exec = r.limits.max_execution_time;
  if (exec.count() < 0) {
    throw SettingsError(
        "--max-execution-time must not be negative (0 means no limit on the server)");
  }
  if (s.write_timeout.count() > 0 && exec.count() > 0 && s.write_timeout <= exec) {
    throw SettingsError(fmt::format(
        "--write-timeout {} must be longer than --max-execution-time {} (or 0 for automatic)",
        duration_text(s.write_timeout), duration_text(exec)));
  }
  if (s.read_timeout.count() == 0 || s.read_header_timeout.count() == 0) {
    throw SettingsError("--read-timeout and --read-header-timeout must be more than 0");
  }
  if (s.max_body_bytes == 0) throw SettingsError("--max-body-bytes must be more than 0");
  for (const auto& origin : split_origins(s.cors_origins)) {
    if (origin != "*" && origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
      throw SettingsError(fmt::format(
          "--cors-origins: '{}' is not an origin (use e.g. https://app.example.com, or *)",
          origin));
    }
  }
  r.token = auth_token(s);
  if (s.auth_metrics && r.token.empty()) {
    throw SettingsError("--auth-metrics needs a token (--auth-token-file or THAIYYAL_AUTH_TOKEN)");
  }
}

/// The effective configuration as log fields (no secret: the token shows
/// only whether one is set).
Logger::Fields config_fields(const Resolved& r, const std::string& addr) {
  const auto& s = r.service;
  const auto exec = r.limits.max_execution_time;
  const auto write = write_timeout(s, r.limits);
  Logger::Fields f;
  f.emplace_back("addr", app::quoted(addr));
  f.emplace_back("max_concurrent_executions", std::to_string(s.max_concurrent));
  f.emplace_back("max_body_bytes", std::to_string(s.max_body_bytes));
  f.emplace_back("max_execution_time", app::quoted(duration_text(exec)));
  f.emplace_back("max_node_executions", std::to_string(r.limits.max_node_executions));
  f.emplace_back("max_http_calls", std::to_string(r.limits.max_http_calls));
  f.emplace_back("max_loop_iterations", std::to_string(r.limits.max_loop_iterations));
  f.emplace_back("read_header_timeout", app::quoted(duration_text(s.read_header_timeout)));
  f.emplace_back("read_timeout", app::quoted(duration_text(s.read_timeout)));
  f.emplace_back("write_timeout", app::quoted(write.count() > 0 ? duration_text(write) : "none"));
  f.emplace_back("idle_timeout", app::quoted(duration_text(s.idle_timeout)));
  f.emplace_back("shutdown_timeout", app::quoted(duration_text(s.shutdown_timeout)));
  f.emplace_back("auth", app::quoted(r.token.empty()  ? "off"
                                     : s.auth_metrics ? "api+metrics"
                                                      : "api"));
  f.emplace_back("cors_origins", app::quoted(s.cors_origins.empty() ? "off" : s.cors_origins));
  f.emplace_back("metrics_addr", app::quoted(s.metrics_addr.empty() ? "same" : s.metrics_addr));
  f.emplace_back("tracing", app::quoted(s.otlp_endpoint.empty() ? "off" : "otlp"));
  f.emplace_back("database",
                 app::quoted(s.database.empty() ? "sqlite" : store::redact_url(s.database)));
  f.emplace_back("history", app::quoted(s.no_history ? "off" : "on"));
  f.emplace_back("version", app::quoted(THAIYYAL_VERSION));
  return f;
}

int run_serve(const ServeOptions& opts) {
  // SIGINT and SIGTERM are taken by this thread with sigwait(); blocked
  // before any other thread starts (the trace exporter's, the store's, the
  // server's), so that every one inherits the mask. A client that goes away
  // mid-response must not kill the process.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  Resolved r;
  std::shared_ptr<trace::Exporter> exporter;
  try {
    resolve(opts, r);
    exporter = make_exporter(r.service.otlp_endpoint, "--otlp-endpoint");
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitUsage;
  } catch (const IoError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitIo;
  }
  diag::Diagnostics client_diags;
  r.clients = load_http_clients(opts.settings.http_clients_file(), opts.settings.config_file(),
                                client_diags);
  if (client_diags.has_errors()) {
    print_diagnostics(stderr, client_diags, use_color(ColorMode::Auto, STDERR_FILENO));
    return kExitUsage;
  }
  const auto& s = r.service;
  Logger logger(opts.log_level, opts.log_format);
  if (opts.check_config) {
    // The effective settings and where each came from, on stdout.
    Logger out(LogLevel::Info, opts.log_format, stdout);
    auto fields = config_fields(r, s.addr);
    out.log(LogLevel::Info, "configuration is valid", fields);
    return kExitOk;
  }

  // The store: an unreachable database ends the start with exit 2.
  std::shared_ptr<store::Store> store;
  try {
    store = open_store(s);
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitUsage;
  } catch (const store::Unavailable& e) {
    std::fprintf(stderr, "thaiyyal serve: cannot open the store: %s\n", e.what());
    return kExitUsage;
  }

  auto metrics = make_metrics();
  serve::ServerOptions server;
  server.addr = s.addr;
  server.read_timeout = std::min(s.read_timeout, s.read_header_timeout);
  const auto write = write_timeout(s, r.limits);
  server.write_timeout = write.count() > 0 ? write : Limits::Millis(24 * 3600 * 1000);
  server.idle_timeout = s.idle_timeout;
  server.shutdown_timeout = s.shutdown_timeout;
  auto& h = server.handler;
  h.limits = r.limits;
  h.network = r.network;
  h.http_clients = r.clients;
  // One outbound client for every execution: connections are reused across
  // runs (D-29).
  h.http = http::make_curl_client();
  h.version = THAIYYAL_VERSION;
  h.max_body_bytes = s.max_body_bytes;
  h.max_concurrent_executions = s.max_concurrent;
  h.auth_token = r.token;
  h.auth_metrics = s.auth_metrics;
  h.cors_origins = split_origins(s.cors_origins);
  h.metrics = metrics;
  h.metrics_route = s.metrics_addr.empty();
  h.tracer = exporter;
  h.store = store;
  h.history = !s.no_history;
  h.max_saved_workflows = static_cast<std::size_t>(s.max_saved_workflows);
  h.log_error = [&logger](std::string_view message) {
    Logger::Fields fields;
    fields.emplace_back("error", app::quoted(message));
    logger.log(LogLevel::Error, "internal error", fields);
  };
  log_requests(h, logger);


  serve::Server listener(std::move(server));
  std::unique_ptr<serve::Server> admin;
  int port = 0;
  try {
    port = listener.start();
    if (!s.metrics_addr.empty()) {
      serve::ServerOptions admin_options;
      admin_options.addr = s.metrics_addr;
      admin_options.handler = admin_handler_options(metrics);
      admin_options.handler.auth_token = r.token;
      admin_options.handler.auth_metrics = s.auth_metrics;
      admin_options.idle_timeout = std::chrono::milliseconds(2000);
      admin = std::make_unique<serve::Server>(std::move(admin_options));
      admin->start();
    }
  } catch (const serve::ServerError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitRunFailed;
  }
  std::string error;
  if (!opts.port_file.empty() && !write_port_file(opts.port_file, port, error)) {
    std::fprintf(stderr, "thaiyyal serve: --port-file %s: %s\n", opts.port_file.c_str(),
                 error.c_str());
    listener.stop();
    return kExitIo;
  }
  // Pruned once a minute (and at start): by count and by age.
  HistoryPruner pruner(store, s.history_max_runs, s.history_max_age, std::chrono::minutes(1),
                       [&logger](std::string_view message) {
                         Logger::Fields fields;
                         fields.emplace_back("error", app::quoted(message));
                         logger.log(LogLevel::Warn, "history pruning failed", fields);
                       });
  auto started = config_fields(r, s.addr);
  started.emplace_back("store",
                       app::quoted(fmt::format("{} {}", store->backend(), store->location())));
  started.emplace_back("port", std::to_string(port));
  if (admin) started.emplace_back("metrics_port", std::to_string(admin->port()));
  logger.log(LogLevel::Info, "server started", started);

  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
  }
  Logger::Fields stopping;
  stopping.emplace_back("signal", app::quoted(sig == SIGTERM ? "SIGTERM" : "SIGINT"));
  stopping.emplace_back("running", std::to_string(listener.handler().running()));
  logger.log(LogLevel::Info, "server stopping", stopping);
  listener.begin_stop();
  if (admin) admin->begin_stop();
  // A second signal while draining ends the process at once.
  std::atomic<bool> finished{false};
  std::thread second([&stop_signals, &logger, &finished, port_file = opts.port_file] {
    int again = 0;
    while (sigwait(&stop_signals, &again) != 0) {
    }
    if (finished.load()) return;  // woken by the main thread: shutdown is over
    Logger::Fields f;
    f.emplace_back("signal", app::quoted(again == SIGTERM ? "SIGTERM" : "SIGINT"));
    logger.log(LogLevel::Warn, "second signal: exiting without waiting", f);
    if (!port_file.empty()) std::remove(port_file.c_str());
    std::_Exit(kExitSignal + again);
  });
  listener.stop();
  if (admin) admin->stop();
  if (exporter) exporter->flush(std::chrono::milliseconds(2000));
  logger.log(LogLevel::Info, "server stopped", {});
  if (!opts.port_file.empty()) std::remove(opts.port_file.c_str());
  finished.store(true);
  pthread_kill(second.native_handle(), SIGTERM);
  second.join();
  return kExitOk;
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ServeOptions>();
  auto* cmd =
      app.add_subcommand("serve", "Run the HTTP API server (execute and validate over HTTP)");
  cmd->set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  cmd->footer(
      "Routes:\n"
      "  POST /api/v1/workflow/execute   run the workflow in the body (JSON, or YAML with\n"
      "                                  Content-Type: application/yaml); 200 with\n"
      "                                  {execution_time, results, success}\n"
      "  POST /api/v1/workflow/validate  every static check; 200 with {valid, error?,\n"
      "                                  errors?, diagnostics}\n"
      "  GET  /health, /health/ready     health with checks (ready is 503 while shutting\n"
      "                                  down or when every execution slot is busy)\n"
      "  GET  /health/live               liveness, always 200\n"
      "  GET  /metrics                   Prometheus text format (on --metrics-addr when set)\n"
      "  GET  /version                   service name and version\n\n"
      "Errors are JSON: {\"success\": false, \"error\", \"details\", \"code\", \"request_id\"};\n"
      "codes: NOT_FOUND 404, METHOD_NOT_ALLOWED 405 (with Allow), INVALID_JSON or\n"
      "INVALID_YAML 400, WORKFLOW_INVALID 400, UNAUTHORIZED 401, BODY_TOO_LARGE 413,\n"
      "OVERLOADED 429 (with Retry-After), EXECUTION_FAILED, LIMIT_EXCEEDED,\n"
      "EXECUTION_TIMEOUT 500, UNAVAILABLE and EXECUTION_CANCELLED 503 (shutting down, or\n"
      "the client closed the connection), INTERNAL 500. Every response carries\n"
      "X-Request-ID: the request's own when it sends a sensible one, else a new id; log\n"
      "lines of the request and of its execution carry it as request_id.\n\n"
      "Security: the server listens on 127.0.0.1 unless --addr says otherwise. With\n"
      "--auth-token-file (or THAIYYAL_AUTH_TOKEN), /api/* needs 'Authorization: Bearer\n"
      "TOKEN' (/metrics too with --auth-metrics; /health* stays open). CORS is off unless\n"
      "--cors-origins lists the origins allowed.\n\n"
      "Each execution has the limits and network policy of the Limits and Network policy\n"
      "flags (as for execute). Settings come from flags, then THAIYYAL_* variables, then the\n"
      "reference's variables (SERVER_ADDR, MAX_EXECUTION_TIME, MAX_NODE_EXECUTIONS,\n"
      "MAX_HTTP_CALLS, MAX_LOOP_ITERATIONS), then --config, then the defaults. The\n"
      "reference's single-dash spellings (-addr :8080) are accepted.\n\n"
      "SIGINT or SIGTERM: readiness turns 503 and new executions get 503 at once, running\n"
      "executions finish for up to --shutdown-timeout (then they are cancelled), and the\n"
      "server exits 0. A second signal exits at once with 130 (SIGINT) or 143 (SIGTERM).\n\n"
      "Examples:\n"
      "  thaiyyal serve                              # http://127.0.0.1:8080\n"
      "  thaiyyal serve --addr :8080                 # every interface\n"
      "  thaiyyal serve --addr 127.0.0.1:0 --port-file port.txt\n"
      "  thaiyyal serve --check-config --config serve.yaml\n"
      "  curl -s --data-binary @flow.json localhost:8080/api/v1/workflow/execute\n"
      "  curl -s -H 'Content-Type: application/yaml' --data-binary @flow.yaml \\\n"
      "       localhost:8080/api/v1/workflow/validate\n"
      "  curl -s localhost:8080/metrics\n\n"
      "Exit codes: 0 stopped by SIGINT/SIGTERM, or --check-config found no problem;\n"
      "1 the address could not be bound; 2 a bad setting; 4 a file could not be read or\n"
      "written; 130/143 a second signal while shutting down.");
  cmd->add_option("--port-file", opts->port_file,
                  "Write the bound port to FILE once listening (removed at exit)")
      ->type_name("FILE")
      ->group("Server");
  cmd->add_flag("--check-config", opts->check_config,
                "Check every setting, print the effective configuration and exit (0 when valid, "
                "2 otherwise)")
      ->group("Server");
  add_log_options(*cmd, opts->log_level, opts->log_format, "info", "json");
  opts->settings.bind(*cmd, {Scope::Document, Scope::Run, Scope::Network, Scope::Serve,
                             Scope::Observe, Scope::Store, Scope::History});
  cmd->callback([opts, cmd, &exit_code] {
    try {
      log_options_from_env(*cmd, opts->log_level, opts->log_format);
    } catch (const SettingsError& e) {
      std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_serve(*opts);
  });
}

}  // namespace thaiyyal::app
