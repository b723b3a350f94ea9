#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <thread>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "log_observer.h"
#include "observability.h"
#include "output.h"
#include "settings.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/serve/server.h"

namespace thaiyyal::app {
namespace {

struct ExecuteOptions {
  std::string file;
  std::string output = "text";
  bool raw = false;
  bool quiet = false;
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  LogLevel log_level = LogLevel::Warn;
  LogFormat log_format = LogFormat::Text;
  ColorMode color = ColorMode::Auto;
  bool insecure = false;
  Settings settings;
};

std::shared_ptr<engine::CancelToken> g_cancel;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_interrupt(int sig) {
  g_signal = sig;
  if (g_cancel) g_cancel->cancel();
}

int exit_code_for(engine::RunStatus s) {
  switch (s) {
    case engine::RunStatus::Ok:
      return kExitOk;
    case engine::RunStatus::Failed:
    case engine::RunStatus::Cancelled:
      return kExitRunFailed;
    case engine::RunStatus::LimitExceeded:
    case engine::RunStatus::TimedOut:
      return kExitLimit;
  }
  return kExitRunFailed;
}

/// Renders a result object in the chosen machine format, streaming it.
void print_result_value(const Value& v, const std::string& format) {
  if (format == "yaml") {
    write_yaml(stdout, v);
  } else {
    write_json(stdout, v, 2);
  }
}

/// `--raw`: a string as its text, anything else as JSON (as `jq -r`).
void print_raw(const Value& v) {
  if (const auto* s = v.if_string()) {
    std::fwrite(s->data(), 1, s->size(), stdout);
    std::fputc('\n', stdout);
    return;
  }
  write_json(stdout, v, v.is_array() || v.is_object() ? 2 : 0);
}

/// The result document of a workflow that did not load or check: the
/// reference's keys (D6: `errors` is never empty) plus the additive ones of
/// RunResult::to_document, with each error's code and node.
Value invalid_document(const diag::Diagnostics& diags) {
  Object o;
  o.append_unique("execution_id", Value(engine::new_execution_id()));
  o.append_unique("node_results", Value(Object{}));
  o.append_unique("final_output", Value());
  Array errors, details;
  for (const auto& d : diags.all()) {
    if (d.severity != diag::Severity::Error || d.deferred) continue;
    const auto& w = d.where;
    std::string text = w.file && w.line > 0 ? fmt::format("{}:{}:{}: {}", w.file->name(), w.line,
                                                          w.column, d.result_text())
                                            : d.result_text();
    Object detail;
    detail.append_unique("code", Value(d.code));
    detail.append_unique("node_id", w.has_node ? Value(w.node_id) : Value());
    detail.append_unique("message", Value(text));
    details.emplace_back(std::move(detail));
    errors.emplace_back(std::move(text));
  }
  o.append_unique("errors", Value(std::move(errors)));
  o.append_unique("result_version", Value(engine::kResultVersion));
  o.append_unique("status", Value("invalid"));
  o.append_unique("duration_ms", Value(0));
  o.append_unique("nodes", Value(Object{}));
  o.append_unique("error_details", Value(std::move(details)));
  return Value(std::move(o));
}

int run_execute(const ExecuteOptions& opts) {
  // --quiet: errors only, on stderr.
  const LogLevel level = opts.quiet ? std::max(opts.log_level, LogLevel::Error) : opts.log_level;
  Limits limits;
  http::NetworkPolicy network;
  ServiceSettings service;
  Object constants;
  std::shared_ptr<trace::Exporter> exporter;
  try {
    opts.settings.resolve(limits, &network, &service);
    constants = parse_sets(opts.sets);
    if (!service.metrics_addr.empty()) check_listen_address(service.metrics_addr, "--metrics-addr");
    if (!service.pushgateway.empty() && service.pushgateway.rfind("http://", 0) != 0 &&
        service.pushgateway.rfind("https://", 0) != 0) {
      throw SettingsError(
          fmt::format("--pushgateway: '{}' is not a URL (use e.g. http://127.0.0.1:9091)",
                      service.pushgateway));
    }
    if (service.pushgateway_job.empty()) throw SettingsError("--pushgateway-job must not be empty");
    exporter = make_exporter(service.otlp_endpoint, "--otlp-endpoint");
  } catch (const SettingsError& e) {
    std::fprintf(stderr, "thaiyyal execute: %s\n", e.what());
    return kExitUsage;
  }
  const bool color_err = use_color(opts.color, STDERR_FILENO);
  std::shared_ptr<const http::ClientRegistry> clients;
  {
    diag::Diagnostics client_diags;
    clients = load_http_clients(opts.settings.http_clients_file(), opts.settings.config_file(),
                                client_diags);
    if (client_diags.has_errors()) {
      print_diagnostics(stderr, client_diags, color_err);
      return kExitUsage;
    }
  }
  auto source = read_source(opts.file);
  diag::Diagnostics diags;
  auto compiled = load_and_check(source, limits, constant_names(constants), diags);
  diag::RenderOptions ro;
  ro.color = color_err;
  std::string rendered;
  for (const auto& d : diags.all()) {
    if (d.deferred) {
      // A certain run-time failure does not stop the run (D17, D6): the run
      // reports it, once, when the node fails (or a guard handles it), so
      // the static finding is shown only at --log-level info and below;
      // `validate` reports it as an error.
      if (level > LogLevel::Info) continue;
      diag::Diagnostic shown = d;
      shown.severity = diag::Severity::Warning;
      rendered += diag::render_text(shown, ro);
    } else if (d.severity == diag::Severity::Error || level <= LogLevel::Warn) {
      rendered += diag::render_text(d, ro);
    }
  }
  std::fwrite(rendered.data(), 1, rendered.size(), stderr);
  if (!compiled) {
    // Machine formats still get a result object listing the errors (D6).
    if (opts.output != "text" && !opts.raw && !opts.quiet) {
      print_result_value(invalid_document(diags), opts.output);
    }
    return kExitInvalid;
  }

  Logger logger(level, opts.log_format);
  LogObserver log_observer(logger);
  // The log and metrics observers follow nodes that run concurrently (they
  // relate nothing to the node started last); the tracer does not, so a
  // traced run stays sequential.
  engine::ObserverList observers;
  observers.add(&log_observer, /*concurrent=*/true);
  // Metrics of this one run: served while it lasts, written or pushed after.
  std::shared_ptr<metrics::Metrics> metrics;
  if (!service.metrics_addr.empty() || !service.metrics_file.empty() ||
      !service.pushgateway.empty()) {
    metrics = make_metrics();
    observers.add(&metrics->observer("cli"), /*concurrent=*/true);
  }
  std::unique_ptr<serve::Server> metrics_server;
  if (!service.metrics_addr.empty()) {
    serve::ServerOptions mo;
    mo.addr = service.metrics_addr;
    mo.handler = admin_handler_options(metrics);
    mo.idle_timeout = std::chrono::milliseconds(1000);
    mo.shutdown_timeout = std::chrono::milliseconds(0);
    metrics_server = std::make_unique<serve::Server>(std::move(mo));
    try {
      const int port = metrics_server->start();
      Logger::Fields f;
      f.emplace_back("addr", app::quoted(service.metrics_addr));
      f.emplace_back("port", std::to_string(port));
      logger.log(LogLevel::Info, "metrics listener started", f);
    } catch (const serve::ServerError& e) {
      std::fprintf(stderr, "thaiyyal execute: --metrics-addr: %s\n", e.what());
      return kExitRunFailed;
    }
  }
  // The run continues the trace of a caller that sets TRACEPARENT.
  std::optional<trace::RunTracer> tracer;
  if (exporter) {
    std::optional<trace::SpanContext> parent;
    if (const char* tp = std::getenv("TRACEPARENT"); tp && *tp)
      parent = trace::parse_traceparent(tp);
    tracer.emplace(*exporter, parent);
    observers.add(&*tracer);
  }
  engine::RunOptions run;
  run.limits = limits;
  run.constants = std::move(constants);
  run.seed = opts.seed;
  run.network = network;
  run.http = http::make_curl_client({}, opts.insecure);
  // Each worker of the run's pool gets a client (and connection cache) of its
  // own: libcurl does not support one connection cache shared by concurrent
  // transfers.
  run.make_http = [insecure = opts.insecure] { return http::make_curl_client({}, insecure); };
  run.http_clients = clients;
  run.observer = observers.get();
  run.cancel = std::make_shared<engine::CancelToken>();
  run.warn = [&logger](std::string_view node_id, std::string_view message) {
    logger.log(LogLevel::Warn, message, {{"node_id", quoted(node_id)}});
  };
  g_cancel = run.cancel;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  auto result = engine::run_workflow(*compiled, run);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_cancel.reset();

  if (opts.quiet) {
    // Nothing on success; on failure only the error, below.
  } else if (opts.raw) {
    if (result.ok()) {
      if (!encodable(result.final_output)) {
        std::fputs("thaiyyal execute: cannot encode the result: a number is not finite\n", stderr);
        return kExitRunFailed;
      }
      print_raw(result.final_output);
    }
  } else if (opts.output == "text") {
    write_run_text(stdout, *compiled, result, use_color(opts.color, STDOUT_FILENO));
  } else {
    Value doc = result.take_document();
    if (!encodable(doc)) {
      std::fputs("thaiyyal execute: cannot encode the result: a number is not finite\n", stderr);
      return kExitRunFailed;
    }
    print_result_value(doc, opts.output);
    keep_until_exit(std::move(doc));
  }
  // The run's failure, once, on stderr (logs carry the details at info level).
  for (const auto& e : result.errors) {
    std::fprintf(stderr, "%s %s\n", color_err ? "\x1b[1;31merror:\x1b[0m" : "error:", e.c_str());
  }
  // A signal ends the run as the shell expects: 128 + the signal number.
  int code = g_signal != 0 ? kExitSignal + g_signal : exit_code_for(result.status);
  if (exporter && !exporter->flush(std::chrono::milliseconds(3000))) {
    Logger::Fields f;
    f.emplace_back("endpoint", app::quoted(service.otlp_endpoint));
    f.emplace_back("failed", std::to_string(exporter->failed()));
    f.emplace_back("dropped", std::to_string(exporter->dropped()));
    logger.log(LogLevel::Warn, "trace spans not delivered", f);
  }
  if (metrics) {
    // A metrics failure is reported; it turns a success into exit 4, so that
    // a health check notices that nobody saw its result.
    std::string error;
    if (!service.metrics_file.empty() &&
        !metrics::write_text_file(*metrics, service.metrics_file, error)) {
      std::fprintf(stderr, "thaiyyal execute: --metrics-file: %s\n", error.c_str());
      if (code == kExitOk) code = kExitIo;
    }
    if (!service.pushgateway.empty()) {
      std::string instance = service.pushgateway_instance;
      if (instance.empty()) {
        char host[256] = {};
        instance = ::gethostname(host, sizeof(host) - 1) == 0 && host[0] ? host : "unknown";
      }
      if (!metrics::push_to_gateway(*metrics, service.pushgateway, service.pushgateway_job,
                                    {{"instance", instance}}, std::chrono::milliseconds(10000),
                                    error)) {
        std::fprintf(stderr, "thaiyyal execute: --pushgateway: %s\n", error.c_str());
        if (code == kExitOk) code = kExitIo;
      }
    }
  }
  if (metrics_server) {
    // Linger so that a scraper catches a short run; a signal ends it.
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    const auto until = std::chrono::steady_clock::now() + service.metrics_linger;
    while (g_signal == 0 && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    metrics_server->stop();
  }
  // The process exits next (a million-element result takes longer to free
  // than to sort).
  keep_until_exit(std::move(result));
  keep_until_exit(std::move(compiled));
  return code;
}

}  // namespace

void register_execute(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ExecuteOptions>();
  auto* cmd = app.add_subcommand("execute", "Run a workflow and print its result");
  cmd->alias("run");
  cmd->set_version_flag("-V,--version", std::string("thaiyyal ") + THAIYYAL_VERSION);
  cmd->footer(
      "The workflow is loaded and checked first (as `validate` does); nothing runs if it\n"
      "has errors. stdout carries only the result; logs, warnings and the run's error\n"
      "go to stderr.\n\n"
      "Output: text (a summary: one line per node and the final output), json or yaml\n"
      "(the result document: execution_id, workflow_id, node_results, final_output,\n"
      "errors as the Go engine writes them, then result_version, status, duration_ms,\n"
      "nodes {id: {status, duration_ms, error}} and error_details [{code, node_id,\n"
      "message}]), --raw (the final output alone; a string without quotes), --quiet\n"
      "(nothing on success: for cron jobs and scripts).\n\n"
      "Settings come from flags, then THAIYYAL_* environment variables (e.g.\n"
      "THAIYYAL_MAX_EXECUTION_TIME=30s), then the --config YAML file, then defaults.\n\n"
      "Observability of one run (for cron health checks): --metrics-addr serves\n"
      "/metrics and /health* while the run lasts (and --metrics-linger after it);\n"
      "--metrics-file writes the run's metrics for node_exporter's textfile collector;\n"
      "--pushgateway pushes them (grouping job=--pushgateway-job, instance=host name);\n"
      "--otlp-endpoint exports trace spans (the run continues the trace in TRACEPARENT).\n"
      "A metrics file or push that fails turns a successful run's exit code into 4.\n\n"
      "Examples:\n"
      "  thaiyyal execute flow.yaml\n"
      "  thaiyyal execute flow.json --output json --max-execution-time 30s\n"
      "  thaiyyal execute flow.json --set region=eu --set threshold=50\n"
      "  total=$(thaiyyal execute report.yaml --raw)\n"
      "  thaiyyal execute check.yaml --pushgateway http://127.0.0.1:9091\n"
      "  thaiyyal execute health.yaml --quiet || echo 'health check failed'\n"
      "  cat flow.json | thaiyyal execute - --output yaml\n"
      "  thaiyyal execute health.yaml --http-clients clients.yaml --allow-domain example.org\n\n"
      "HTTP: https only and no private, loopback or metadata addresses unless allowed by\n"
      "the network-policy flags; credentials belong in named clients (--http-clients),\n"
      "whose ${env:NAME} secrets are redacted from every output.\n\n"
      "Exit codes: 0 success; 1 a node failed; 2 usage error; 3 invalid workflow, also when\n"
      "a load-time limit rejects it (--max-nodes, --max-edges, --max-payload-size);\n"
      "4 unreadable file; 5 a run-time limit or the time budget stopped the run;\n"
      "130/143 interrupted by SIGINT/SIGTERM (the partial result is still printed).");
  cmd->add_option("file", opts->file, "Workflow file (JSON or YAML); - reads stdin")->required();
  add_choice_option(*cmd, "-o,--output,--format", opts->output, {"text", "json", "yaml"},
                    "Result format");
  cmd->add_flag("-r,--raw", opts->raw,
                "Print only the final output: a string as plain text, anything else as JSON");
  cmd->add_flag("-q,--quiet", opts->quiet,
                "Print nothing on success; on failure only the error (stderr)");
  cmd->add_option("--set", opts->sets,
                  "Define a context constant NAME=VALUE (VALUE is JSON when it parses, else "
                  "text); visible as {{ const.NAME }} and context.NAME, and it wins over a "
                  "context_constant node of the same name; repeatable")
      ->type_name("NAME=VALUE");
  cmd->add_option("--seed", opts->seed, "Seed for random choices (sample), for reproducible runs");
  add_log_options(*cmd, opts->log_level, opts->log_format, "warn");
  add_color_flag(*cmd, opts->color);
  cmd->add_flag("--insecure", opts->insecure,
                "Do not verify TLS certificates (for testing against self-signed servers)")
      ->group("Network policy");
  opts->settings.bind(
      *cmd, {Scope::Document, Scope::Run, Scope::Network, Scope::Observe, Scope::RunObserve});
  cmd->callback([opts, cmd, &exit_code] {
    try {
      log_options_from_env(*cmd, opts->log_level, opts->log_format);
    } catch (const SettingsError& e) {
      std::fprintf(stderr, "thaiyyal execute: %s\n", e.what());
      exit_code = kExitUsage;
      return;
    }
    exit_code = run_execute(*opts);
  });
}

}  // namespace thaiyyal::app
