#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "commands/commands.h"
#include "common.h"
#include "exit_codes.h"
#include "http_clients.h"
#include "log_observer.h"
#include "output.h"
#include "settings.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

struct ExecuteOptions {
  std::string file;
  std::string output = "text";
  std::vector<std::string> sets;
  std::optional<std::uint64_t> seed;
  LogLevel log_level = LogLevel::Warn;
  LogFormat log_format = LogFormat::Text;
  ColorMode color = ColorMode::Auto;
  bool insecure = false;
  Settings settings;
};

std::shared_ptr<engine::CancelToken> g_cancel;

extern "C" void on_interrupt(int) {
  if (g_cancel) g_cancel->cancel();
}

/// `--set NAME=VALUE`: VALUE is JSON when it parses, else the text itself.
Object parse_sets(const std::vector<std::string>& sets) {
  Object constants;
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw SettingsError(fmt::format("--set '{}': expected NAME=VALUE", s));
    }
    const std::string name = s.substr(0, eq);
    const std::string text = s.substr(eq + 1);
    Value v;
    try {
      v = parse_json(text);
    } catch (const JsonParseError&) {
      v = Value(text);
    }
    constants.set(name, std::move(v));
  }
  return constants;
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

int run_execute(const ExecuteOptions& opts) {
  Limits limits;
  http::NetworkPolicy network;
  Object constants;
  try {
    opts.settings.resolve(limits, &network);
    constants = parse_sets(opts.sets);
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
  auto compiled = load_and_check(source, limits, diags);
  diag::RenderOptions ro;
  ro.color = color_err;
  std::string rendered;
  for (const auto& d : diags.all()) {
    if (d.severity == diag::Severity::Error || opts.log_level <= LogLevel::Warn) {
      rendered += diag::render_text(d, ro);
    }
  }
  std::fwrite(rendered.data(), 1, rendered.size(), stderr);
  if (!compiled) {
    if (opts.output != "text") {
      // Machine formats still get a result object listing the errors (D6).
      Object o;
      o.append_unique("execution_id", Value(engine::new_execution_id()));
      o.append_unique("node_results", Value(Object{}));
      o.append_unique("final_output", Value());
      Array errors;
      for (const auto& d : diags.all()) {
        if (d.severity != diag::Severity::Error) continue;
        const auto& w = d.where;
        errors.emplace_back(w.file && w.line > 0 ? fmt::format("{}:{}:{}: {}", w.file->name(),
                                                               w.line, w.column, d.message)
                                                 : d.message);
      }
      o.append_unique("errors", Value(std::move(errors)));
      print_result_value(Value(std::move(o)), opts.output);
    }
    return kExitInvalid;
  }

  Logger logger(opts.log_level, opts.log_format);
  LogObserver observer(logger);
  engine::RunOptions run;
  run.limits = limits;
  run.constants = std::move(constants);
  run.seed = opts.seed;
  run.network = network;
  run.http = http::make_curl_client({}, opts.insecure);
  run.http_clients = clients;
  run.observer = &observer;
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

  if (opts.output == "text") {
    write_run_text(stdout, *compiled, result, use_color(opts.color, STDOUT_FILENO));
  } else {
    Value doc;
    try {
      doc = result.to_value();
    } catch (const JsonWriteError& e) {
      std::fprintf(stderr, "thaiyyal execute: cannot encode the result: %s\n", e.what());
      return kExitRunFailed;
    }
    if (!encodable(doc)) {
      std::fprintf(stderr, "thaiyyal execute: cannot encode the result: a number is not finite\n");
      return kExitRunFailed;
    }
    print_result_value(doc, opts.output);
  }
  const int code = exit_code_for(result.status);
  // The process exits next: leave a large result to the operating system
  // rather than run a destructor for each of its values (a million-element
  // result takes longer to free than to sort). Still reachable, so leak
  // checkers stay quiet.
  [[maybe_unused]] static engine::RunResult* kept = nullptr;
  kept = new engine::RunResult(std::move(result));
  return code;
}

}  // namespace

void register_execute(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ExecuteOptions>();
  auto* cmd = app.add_subcommand("execute", "Run a workflow and print its result");
  cmd->alias("run");
  cmd->footer(
      "The workflow is loaded and checked first (as `validate` does); nothing runs if it\n"
      "has errors. Logs go to stderr; stdout carries only the result.\n\n"
      "Settings come from flags, then THAIYYAL_* environment variables (e.g.\n"
      "THAIYYAL_MAX_EXECUTION_TIME=30s), then the --config YAML file, then defaults.\n\n"
      "Examples:\n"
      "  thaiyyal execute flow.yaml\n"
      "  thaiyyal execute flow.json --output json --max-execution-time 30s\n"
      "  thaiyyal execute flow.json --set region=eu --set threshold=50\n"
      "  cat flow.json | thaiyyal execute - --output yaml\n"
      "  thaiyyal execute health.yaml --http-clients clients.yaml --allow-domain example.org\n\n"
      "HTTP: https only and no private, loopback or metadata addresses unless allowed by\n"
      "the network-policy flags; credentials belong in named clients (--http-clients),\n"
      "whose ${env:NAME} secrets are redacted from every output.\n\n"
      "Exit codes: 0 success, 1 a node failed, 2 usage error, 3 invalid workflow,\n"
      "            4 unreadable file, 5 a limit or the time budget was exceeded.");
  cmd->add_option("file", opts->file, "Workflow file (JSON or YAML); - reads stdin")->required();
  cmd->add_option("-o,--output", opts->output, "Result format: text, json or yaml")
      ->check(CLI::IsMember({"text", "json", "yaml"}))
      ->default_str("text");
  cmd->add_option("--set", opts->sets,
                  "Define a context constant NAME=VALUE (VALUE is JSON when it parses, else "
                  "text); visible as {{ const.NAME }} and context.NAME; repeatable")
      ->type_name("NAME=VALUE");
  cmd->add_option("--seed", opts->seed, "Seed for random choices (sample), for reproducible runs");
  cmd->add_option("--log-level", opts->log_level,
                  "Log level on stderr: debug, info, warn, error, off")
      ->transform(
          CLI::CheckedTransformer(std::map<std::string, LogLevel>{{"debug", LogLevel::Debug},
                                                                  {"info", LogLevel::Info},
                                                                  {"warn", LogLevel::Warn},
                                                                  {"error", LogLevel::Error},
                                                                  {"off", LogLevel::Off}},
                                  CLI::ignore_case))
      ->default_str("warn");
  cmd->add_option("--log-format", opts->log_format, "Log format: text or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, LogFormat>{{"text", LogFormat::Text}, {"json", LogFormat::Json}},
          CLI::ignore_case))
      ->default_str("text");
  add_color_flag(*cmd, opts->color);
  cmd->add_flag("--insecure", opts->insecure,
                "Do not verify TLS certificates (for testing against self-signed servers)")
      ->group("Network policy");
  opts->settings.bind(*cmd, {Scope::Document, Scope::Run, Scope::Network});
  cmd->callback([opts, &exit_code] { exit_code = run_execute(*opts); });
}

}  // namespace thaiyyal::app
