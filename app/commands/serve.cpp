#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "log_observer.h"
#include "settings.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/serve/server.h"

namespace thaiyyal::app {
namespace {

struct ServeOptions {
  std::string addr = "127.0.0.1:8080";
  std::string port_file;
  std::string max_concurrent;
  std::string max_body_size;
  LogLevel log_level = LogLevel::Info;
  LogFormat log_format = LogFormat::Text;
  Settings settings;
};

/// The default number of executions at once: four per CPU.
std::uint64_t default_concurrency() {
  const unsigned cpus = std::thread::hardware_concurrency();
  return 4ull * (cpus == 0 ? 1 : cpus);
}

/// The flag's value when given, else the first set environment variable of
/// `env`, else empty; `source` names where the value came from.
std::string setting_text(const std::string& flag_value, bool flag_given, const char* flag,
                         std::initializer_list<const char*> env, std::string& source) {
  if (flag_given) {
    source = flag;
    return flag_value;
  }
  for (const char* name : env) {
    if (const char* v = std::getenv(name); v && *v) {
      source = name;
      return v;
    }
  }
  return {};
}

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

int run_serve(const ServeOptions& opts, const CLI::App& cmd) {
  serve::ServerOptions server;
  Limits limits;
  http::NetworkPolicy network;
  try {
    opts.settings.resolve(limits, &network);
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitUsage;
  }
  std::string source;
  std::string addr = setting_text(opts.addr, cmd.count("--addr") > 0, "--addr",
                                  {"THAIYYAL_ADDR", "SERVER_ADDR"}, source);
  if (addr.empty()) addr = opts.addr;
  std::string error;
  if (!serve::parse_listen_address(addr, &error)) {
    std::fprintf(stderr, "thaiyyal serve: %s%s\n", source.empty() ? "" : (source + ": ").c_str(),
                 error.c_str());
    return kExitUsage;
  }
  server.addr = addr;

  server.handler.max_concurrent_executions = default_concurrency();
  const std::string concurrency =
      setting_text(opts.max_concurrent, cmd.count("--max-concurrent") > 0, "--max-concurrent",
                   {"THAIYYAL_MAX_CONCURRENT"}, source);
  if (!concurrency.empty()) {
    std::uint64_t n = 0;
    const auto res =
        std::from_chars(concurrency.data(), concurrency.data() + concurrency.size(), n);
    if (res.ec != std::errc() || res.ptr != concurrency.data() + concurrency.size()) {
      std::fprintf(stderr, "thaiyyal serve: %s: '%s' is not a non-negative whole number\n",
                   source.c_str(), concurrency.c_str());
      return kExitUsage;
    }
    server.handler.max_concurrent_executions = n;
  }
  const std::string body = setting_text(opts.max_body_size, cmd.count("--max-body-size") > 0,
                                        "--max-body-size", {"THAIYYAL_MAX_BODY_BYTES"}, source);
  if (!body.empty()) {
    const auto size = parse_size(body);
    if (!size || *size == 0) {
      std::fprintf(stderr,
                   "thaiyyal serve: %s: '%s' is not a size (bytes, or with a unit: 512K, 10MiB; "
                   "more than 0)\n",
                   source.c_str(), body.c_str());
      return kExitUsage;
    }
    server.handler.max_body_bytes = *size;
  }

  diag::Diagnostics client_diags;
  auto clients = load_http_clients(opts.settings.http_clients_file(), opts.settings.config_file(),
                                   client_diags);
  if (client_diags.has_errors()) {
    print_diagnostics(stderr, client_diags, use_color(ColorMode::Auto, STDERR_FILENO));
    return kExitUsage;
  }

  Logger logger(opts.log_level, opts.log_format);
  server.handler.limits = limits;
  server.handler.network = network;
  server.handler.http_clients = clients;
  // One outbound client for every execution: connections are reused across
  // runs (D-29).
  server.handler.http = http::make_curl_client();
  server.handler.version = THAIYYAL_VERSION;
  server.handler.log_error = [&logger](std::string_view message) {
    Logger::Fields fields;
    fields.emplace_back("error", app::quoted(message));
    logger.log(LogLevel::Error, "internal error", fields);
  };

  // SIGINT and SIGTERM are taken by this thread with sigwait(); blocked
  // before the server's threads start, so that they inherit the mask. A
  // client that goes away mid-response must not kill the process.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  serve::Server listener(std::move(server));
  int port = 0;
  try {
    port = listener.start();
  } catch (const serve::ServerError& e) {
    std::fprintf(stderr, "thaiyyal serve: %s\n", e.what());
    return kExitRunFailed;
  }
  if (!opts.port_file.empty() && !write_port_file(opts.port_file, port, error)) {
    std::fprintf(stderr, "thaiyyal serve: --port-file %s: %s\n", opts.port_file.c_str(),
                 error.c_str());
    listener.stop();
    return kExitIo;
  }
  const auto& handler = listener.handler().options();
  Logger::Fields started;
  started.emplace_back("addr", app::quoted(addr));
  started.emplace_back("port", std::to_string(port));
  started.emplace_back("max_concurrent", std::to_string(handler.max_concurrent_executions));
  started.emplace_back("max_body_bytes", std::to_string(handler.max_body_bytes));
  started.emplace_back("max_execution_time",
                       app::quoted(format_go_duration(
                           std::chrono::duration_cast<Nanos>(handler.limits.max_execution_time))));
  started.emplace_back("version", app::quoted(THAIYYAL_VERSION));
  logger.log(LogLevel::Info, "server started", started);

  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
  }
  Logger::Fields stopping;
  stopping.emplace_back("signal", app::quoted(sig == SIGTERM ? "SIGTERM" : "SIGINT"));
  logger.log(LogLevel::Info, "server stopping", stopping);
  listener.stop();
  logger.log(LogLevel::Info, "server stopped", {});
  if (!opts.port_file.empty()) std::remove(opts.port_file.c_str());
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
      "  GET  /version                   service name and version\n\n"
      "Errors are JSON: {\"success\": false, \"error\", \"details\", \"code\", \"request_id\"};\n"
      "codes: NOT_FOUND 404, METHOD_NOT_ALLOWED 405 (with Allow), INVALID_JSON or\n"
      "INVALID_YAML 400, WORKFLOW_INVALID 400, BODY_TOO_LARGE 413, OVERLOADED 429 (with\n"
      "Retry-After), EXECUTION_FAILED, LIMIT_EXCEEDED, EXECUTION_TIMEOUT 500, UNAVAILABLE\n"
      "and EXECUTION_CANCELLED 503 (shutting down), INTERNAL 500. Every response carries\n"
      "X-Request-ID: the request's own when it sends a sensible one, else a new id.\n\n"
      "Each execution has the limits and network policy of the Limits and Network\n"
      "policy flags (as for execute). SIGINT or SIGTERM stops accepting, lets running executions "
      "finish for\n"
      "up to 30s, cancels the rest and exits 0.\n\n"
      "Examples:\n"
      "  thaiyyal serve                              # http://127.0.0.1:8080\n"
      "  thaiyyal serve --addr :8080                 # every interface\n"
      "  thaiyyal serve --addr 127.0.0.1:0 --port-file port.txt\n"
      "  curl -s --data-binary @flow.json localhost:8080/api/v1/workflow/execute\n"
      "  curl -s -H 'Content-Type: application/yaml' --data-binary @flow.yaml \\\n"
      "       localhost:8080/api/v1/workflow/validate\n\n"
      "Exit codes: 0 stopped by SIGINT/SIGTERM; 1 the address could not be bound;\n"
      "2 usage error; 4 the port file could not be written.");
  cmd->add_option("--addr", opts->addr,
                  "Listen address HOST:PORT; :PORT listens on every interface, port 0 picks a "
                  "free port [default: 127.0.0.1:8080; env THAIYYAL_ADDR, SERVER_ADDR]")
      ->type_name("ADDR");
  cmd->add_option("--port-file", opts->port_file,
                  "Write the bound port to FILE once listening (removed at exit)")
      ->type_name("FILE");
  cmd->add_option("--max-concurrent,--max-concurrent-executions", opts->max_concurrent,
                  fmt::format("Executions at once; more get 429 (0 = unlimited) [default: {} "
                              "(4 per CPU); env THAIYYAL_MAX_CONCURRENT]",
                              default_concurrency()))
      ->type_name("N");
  cmd->add_option("--max-body-size,--max-body-bytes", opts->max_body_size,
                  "Largest request body, e.g. 10MiB; larger ones get 413 [default: 10MiB; env "
                  "THAIYYAL_MAX_BODY_BYTES]")
      ->type_name("SIZE");
  add_log_options(*cmd, opts->log_level, opts->log_format, "info");
  opts->settings.bind(*cmd, {Scope::Document, Scope::Run, Scope::Network});
  cmd->callback([opts, cmd, &exit_code] { exit_code = run_serve(*opts, *cmd); });
}

}  // namespace thaiyyal::app
