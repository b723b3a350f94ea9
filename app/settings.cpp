#include "settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <thread>

#include "common.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

enum class Type : std::uint8_t { Count, Size, Duration, Flag, Text };

struct Setting {
  const char* flag;  ///< without the leading dashes; the YAML key and the
                     ///< THAIYYAL_ variable derive from it
  Type type;
  Scope scope;
  const char* help;
  std::uint64_t Limits::*count = nullptr;
  Limits::Millis Limits::*duration = nullptr;
  bool http::NetworkPolicy::*network_flag = nullptr;
  // Service settings (Serve, Observe and RunObserve scopes).
  std::uint64_t ServiceSettings::*svc_count = nullptr;
  Limits::Millis ServiceSettings::*svc_duration = nullptr;
  bool ServiceSettings::*svc_flag = nullptr;
  std::string ServiceSettings::*svc_text = nullptr;
  /// Environment variables read after THAIYYAL_*, in order (the reference's
  /// deployment files set these).
  std::vector<const char*> legacy_env = {};
  /// The variable instead of the derived THAIYYAL_ name, when set.
  const char* env = nullptr;
};

/// A Setting of the service settings.
Setting svc(const char* flag, Type type, Scope scope, const char* help,
            std::vector<const char*> legacy = {}, const char* env = nullptr) {
  Setting s{flag, type, scope, help};
  s.legacy_env = std::move(legacy);
  s.env = env;
  return s;
}
Setting svc_count(const char* flag, Type type, Scope scope, const char* help,
                  std::uint64_t ServiceSettings::*member, std::vector<const char*> legacy = {}) {
  Setting s = svc(flag, type, scope, help, std::move(legacy));
  s.svc_count = member;
  return s;
}
Setting svc_duration(const char* flag, Scope scope, const char* help,
                     Limits::Millis ServiceSettings::*member) {
  Setting s = svc(flag, Type::Duration, scope, help);
  s.svc_duration = member;
  return s;
}
Setting svc_text(const char* flag, Scope scope, const char* help,
                 std::string ServiceSettings::*member, std::vector<const char*> legacy = {},
                 const char* env = nullptr) {
  Setting s = svc(flag, Type::Text, scope, help, std::move(legacy), env);
  s.svc_text = member;
  return s;
}
Setting svc_flag(const char* flag, Scope scope, const char* help, bool ServiceSettings::*member) {
  Setting s = svc(flag, Type::Flag, scope, help);
  s.svc_flag = member;
  return s;
}

const std::vector<Setting> kSettings = {
    {"max-nodes", Type::Count, Scope::Document, "Maximum nodes in a workflow (0 = unlimited)",
     &Limits::max_nodes},
    {"max-edges", Type::Count, Scope::Document, "Maximum edges in a workflow (0 = unlimited)",
     &Limits::max_edges},
    {"max-payload-size", Type::Size, Scope::Document,
     "Maximum workflow size, e.g. 1MiB (0 = unlimited)", &Limits::max_payload_size},
    {"max-execution-time", Type::Duration, Scope::Run,
     "Time budget of the whole run, e.g. 200ms, 30s, 5m (0 = none)", nullptr,
     &Limits::max_execution_time},
    {"max-node-time", Type::Duration, Scope::Run, "Time budget of one node (0 = none)", nullptr,
     &Limits::max_node_execution_time},
    {"max-node-executions", Type::Count, Scope::Run, "Node executions per run (0 = unlimited)",
     &Limits::max_node_executions},
    {"max-loop-iterations", Type::Count, Scope::Run,
     "Iterations of a loop node; caps a node's own max_iterations (0 = unlimited)",
     &Limits::max_loop_iterations},
    {"max-http-calls", Type::Count, Scope::Run, "HTTP requests per run (0 = unlimited)",
     &Limits::max_http_calls},
    {"parallelism", Type::Count, Scope::Run,
     "Nodes that wait (http, delay) running at once in a run; results, errors and their order "
     "stay those of the sequential run (1 = strictly sequential, 0 = 4 per CPU)",
     &Limits::parallelism},
    {"max-string-length", Type::Size, Scope::Run, "Longest string value (0 = unlimited)",
     &Limits::max_string_length},
    {"max-array-length", Type::Count, Scope::Run, "Longest array value (0 = unlimited)",
     &Limits::max_array_length},
    {"max-depth", Type::Count, Scope::Run, "Deepest nesting of a value (0 = unlimited)",
     &Limits::max_context_depth},
    {"max-variables", Type::Count, Scope::Run, "Workflow variables per run (0 = unlimited)",
     &Limits::max_variables},
    {"max-cache-size", Type::Count, Scope::Run, "Entries in the run's cache (0 = unlimited)",
     &Limits::max_cache_size},
    {"max-input-size", Type::Size, Scope::Run, "Largest single node input (0 = unlimited)",
     &Limits::max_input_size},
    {"http-timeout", Type::Duration, Scope::Run, "Timeout of one HTTP request", nullptr,
     &Limits::http_timeout},
    {"max-redirects", Type::Count, Scope::Run, "HTTP redirects followed per request",
     &Limits::max_http_redirects},
    {"max-response-size", Type::Size, Scope::Run, "Largest HTTP response body",
     &Limits::max_response_size},
    {"allow-http", Type::Flag, Scope::Network, "Allow plain http:// URLs (https only by default)",
     nullptr, nullptr, &http::NetworkPolicy::allow_http},
    {"allow-localhost", Type::Flag, Scope::Network, "Allow loopback addresses (127.0.0.0/8, ::1)",
     nullptr, nullptr, &http::NetworkPolicy::allow_localhost},
    {"allow-private-ips", Type::Flag, Scope::Network,
     "Allow private addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10)", nullptr, nullptr,
     &http::NetworkPolicy::allow_private_ips},
    {"allow-link-local", Type::Flag, Scope::Network,
     "Allow link-local addresses (169.254/16, fe80::/10)", nullptr, nullptr,
     &http::NetworkPolicy::allow_link_local},
    {"allow-cloud-metadata", Type::Flag, Scope::Network,
     "Allow cloud metadata endpoints (169.254.169.254, metadata.google.internal, ...)", nullptr,
     nullptr, &http::NetworkPolicy::allow_cloud_metadata},
    // The server (spec 04 §5.4).
    svc_text("addr", Scope::Serve,
             "Listen address HOST:PORT; :PORT listens on every interface, port 0 picks a free "
             "port",
             &ServiceSettings::addr, {"SERVER_ADDR"}),
    svc_duration("read-header-timeout", Scope::Serve,
                 "Longest wait for each part of a request's headers (slowloris guard)",
                 &ServiceSettings::read_header_timeout),
    svc_duration("read-timeout", Scope::Serve, "Longest wait for each part of a request body",
                 &ServiceSettings::read_timeout),
    svc_duration("write-timeout", Scope::Serve,
                 "Longest wait for the client to take each part of a response (0 = "
                 "max-execution-time + 10s; when set, it must exceed max-execution-time)",
                 &ServiceSettings::write_timeout),
    svc_duration("idle-timeout", Scope::Serve, "How long an idle keep-alive connection stays open",
                 &ServiceSettings::idle_timeout),
    svc_duration("shutdown-timeout", Scope::Serve,
                 "On SIGTERM/SIGINT: how long running executions may take to finish before "
                 "they are cancelled",
                 &ServiceSettings::shutdown_timeout),
    svc_count("max-body-bytes", Type::Size, Scope::Serve,
              "Largest request body, e.g. 10MiB; larger ones get 413",
              &ServiceSettings::max_body_bytes),
    svc_count("max-concurrent-executions", Type::Count, Scope::Serve,
              "Executions at once; more get 429 with Retry-After (0 = unlimited)",
              &ServiceSettings::max_concurrent, {"THAIYYAL_MAX_CONCURRENT"}),
    svc_text("cors-origins", Scope::Serve,
             "Origins allowed to call the API from a browser: a comma list, or * (CORS is off "
             "when empty)",
             &ServiceSettings::cors_origins),
    svc_text("auth-token-file", Scope::Serve,
             "File holding the bearer token that /api/* requests must send (Authorization: "
             "Bearer TOKEN); THAIYYAL_AUTH_TOKEN gives the token itself",
             &ServiceSettings::auth_token_file),
    svc_flag("auth-metrics", Scope::Serve, "Require the bearer token on /metrics too",
             &ServiceSettings::auth_metrics),
    // Observability of execute and serve.
    svc_text("metrics-addr", Scope::Observe,
             "Serve /metrics and /health* on this address (execute: while the run lasts; "
             "serve: a separate admin listener)",
             &ServiceSettings::metrics_addr),
    svc_text("otlp-endpoint", Scope::Observe,
             "Export trace spans as OTLP/HTTP JSON to this collector, e.g. "
             "http://127.0.0.1:4318",
             &ServiceSettings::otlp_endpoint, {"OTEL_EXPORTER_OTLP_ENDPOINT"}),
    svc_duration("metrics-linger", Scope::RunObserve,
                 "Keep the --metrics-addr listener up this long after the run, so a scraper "
                 "catches a short run",
                 &ServiceSettings::metrics_linger),
    svc_text("metrics-file", Scope::RunObserve,
             "Write the run's metrics to FILE atomically (node_exporter textfile collector "
             "format)",
             &ServiceSettings::metrics_file),
    svc_text("pushgateway", Scope::RunObserve,
             "Push the run's metrics to this Prometheus Pushgateway URL, e.g. "
             "http://127.0.0.1:9091",
             &ServiceSettings::pushgateway),
    svc_text("pushgateway-job", Scope::RunObserve, "The job label of the push",
             &ServiceSettings::pushgateway_job),
    svc_text("pushgateway-instance", Scope::RunObserve,
             "The instance label of the push (default: the host name)",
             &ServiceSettings::pushgateway_instance),
    // Where saved workflows and the execution history live.
    svc_text("data-dir", Scope::Store,
             "Directory of the SQLite database (default: $XDG_DATA_HOME/thaiyyal or "
             "~/.local/share/thaiyyal)",
             &ServiceSettings::data_dir),
    svc_text("database", Scope::Store,
             "PostgreSQL URL (postgres://user@host:5432/db) shared by several serve "
             "replicas; overrides --data-dir",
             &ServiceSettings::database, {}, "THAIYYAL_DATABASE_URL"),
    svc_flag("no-history", Scope::History, "Do not record runs in the execution history",
             &ServiceSettings::no_history),
    svc_count("history-max-runs", Type::Count, Scope::History,
              "Runs kept in the history; older ones are pruned (0 = any number)",
              &ServiceSettings::history_max_runs),
    svc_duration("history-max-age", Scope::History,
                 "How long a run stays in the history, e.g. 720h (0 = forever)",
                 &ServiceSettings::history_max_age),
    svc_count("max-saved-workflows", Type::Count, Scope::History,
              "Saved workflows the store may hold; more get 507 (0 = unlimited)",
              &ServiceSettings::max_saved_workflows),
};

/// Where a setting's legacy environment names apply: the reference's
/// run-limit variables, read by serve (its deployment files set them).
const std::vector<std::pair<const char*, const char*>> kLegacyLimitEnv = {
    {"max-execution-time", "MAX_EXECUTION_TIME"},
    {"max-node-executions", "MAX_NODE_EXECUTIONS"},
    {"max-http-calls", "MAX_HTTP_CALLS"},
    {"max-loop-iterations", "MAX_LOOP_ITERATIONS"},
};

/// "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    if (end > start) out.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string env_name(const Setting& s) {
  if (s.env) return s.env;
  std::string n = "THAIYYAL_";
  for (const char* p = s.flag; *p; ++p) n += *p == '-' ? '_' : static_cast<char>(std::toupper(*p));
  return n;
}

std::string yaml_key(const Setting& s) {
  std::string k = s.flag;
  for (auto& c : k) {
    if (c == '-') c = '_';
  }
  return k;
}

std::string default_text(const Setting& s) {
  const Limits d;
  const ServiceSettings sd;
  if (s.type == Type::Flag) return "off";
  if (s.svc_text) return sd.*(s.svc_text);
  if (s.type == Type::Duration) {
    const auto v = s.svc_duration ? sd.*(s.svc_duration) : d.*(s.duration);
    return format_go_duration(std::chrono::duration_cast<Nanos>(v));
  }
  const auto v = s.svc_count ? sd.*(s.svc_count) : d.*(s.count);
  if (s.type == Type::Size && v > 0 && v % (1u << 20) == 0) {
    return std::to_string(v >> 20) + "MiB";
  }
  return std::to_string(v);
}

void apply(const Setting& s, std::string_view text, const std::string& source, Limits& limits,
           http::NetworkPolicy* network, ServiceSettings* service) {
  switch (s.type) {
    case Type::Text:
      if (service) service->*(s.svc_text) = std::string(text);
      return;
    case Type::Flag: {
      bool on = false;
      if (text == "1" || text == "true" || text == "yes" || text == "on") {
        on = true;
      } else if (!(text == "0" || text == "false" || text == "no" || text == "off")) {
        throw SettingsError(fmt::format("{}: '{}' is not a boolean (true or false)", source, text));
      }
      if (s.network_flag && network) network->*(s.network_flag) = on;
      if (s.svc_flag && service) service->*(s.svc_flag) = on;
      return;
    }
    case Type::Count: {
      std::uint64_t v = 0;
      auto res = std::from_chars(text.data(), text.data() + text.size(), v);
      if (res.ec != std::errc() || res.ptr != text.data() + text.size()) {
        throw SettingsError(
            fmt::format("{}: '{}' is not a non-negative whole number", source, text));
      }
      if (s.svc_count) {
        if (service) service->*(s.svc_count) = v;
      } else {
        limits.*(s.count) = v;
      }
      return;
    }
    case Type::Size: {
      auto v = parse_size(text);
      if (!v) {
        throw SettingsError(
            fmt::format("{}: '{}' is not a size (bytes, or with a unit: 512K, 1MB, 2GiB; units are "
                        "powers of 1024)",
                        source, text));
      }
      if (s.svc_count) {
        if (service) service->*(s.svc_count) = *v;
      } else {
        limits.*(s.count) = *v;
      }
      return;
    }
    case Type::Duration: {
      auto d = parse_go_duration(text);
      if (!d) {
        throw SettingsError(fmt::format(
            "{}: '{}' is not a duration (use e.g. 200ms, 30s, 5m, 1h30m)", source, text));
      }
      if (s.svc_duration && d->count() < 0) {
        throw SettingsError(fmt::format("{}: '{}' must not be negative", source, text));
      }
      // A negative or zero time limit means "no limit" (D9).
      if (s.svc_duration && !service) return;
      auto& target = s.svc_duration ? service->*(s.svc_duration) : limits.*(s.duration);
      target = std::chrono::duration_cast<Limits::Millis>(*d);
      if (d->count() > 0 && target == Limits::Millis(0)) target = Limits::Millis(1);
      return;
    }
  }
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::uint64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr == s.data()) return std::nullopt;
  std::string suffix(res.ptr, static_cast<std::size_t>(s.data() + s.size() - res.ptr));
  if (!suffix.empty() && suffix.front() == ' ') suffix.erase(0, 1);
  for (auto& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Sizes count in powers of 1024, however the unit is spelled: 1k = 1kb =
  // 1KB = 1KiB = 1024 bytes.
  std::uint64_t mult = 0;
  if (suffix.empty() || suffix == "b") {
    mult = 1;
  } else if (suffix == "k" || suffix == "kb" || suffix == "kib") {
    mult = 1ull << 10;
  } else if (suffix == "m" || suffix == "mb" || suffix == "mib") {
    mult = 1ull << 20;
  } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
    mult = 1ull << 30;
  } else {
    return std::nullopt;
  }
  if (v > UINT64_MAX / mult) return std::nullopt;
  return v * mult;
}

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

void Settings::bind(CLI::App& cmd, std::vector<Scope> scopes) {
  for (std::size_t i = 0; i < std::size(kSettings); ++i) {
    const auto& s = kSettings[i];
    if (std::find(scopes.begin(), scopes.end(), s.scope) == scopes.end()) continue;
    bound_.push_back(Bound{i, {}, false, nullptr});
  }
  serve_ = std::find(scopes.begin(), scopes.end(), Scope::Serve) != scopes.end();
  bool network = false;
  for (auto& b : bound_) {
    const auto& s = kSettings[b.index];
    const char* group = s.scope == Scope::Serve                                ? "Server"
                        : s.scope == Scope::Store || s.scope == Scope::History ? "Storage"
                        : s.scope == Scope::Observe || s.scope == Scope::RunObserve
                            ? "Observability"
                        : s.scope == Scope::Network ? "Network policy"
                                                    : "Limits";
    std::string env = env_name(s);
    for (const char* legacy : s.legacy_env) env += fmt::format(", {}", legacy);
    if (serve_) {
      for (const auto& [flag, legacy] : kLegacyLimitEnv) {
        if (std::string_view(flag) == s.flag) env += fmt::format(", {}", legacy);
      }
    }
    std::string names = std::string("--") + s.flag;
    // Shorter spellings kept for the flags' first users.
    if (std::string_view(s.flag) == "max-concurrent-executions") names += ",--max-concurrent";
    if (std::string_view(s.flag) == "max-body-bytes") names += ",--max-body-size";
    if (s.type == Type::Flag) {
      if (s.scope == Scope::Network) network = true;
      b.option =
          cmd.add_flag(names, b.flag_set, fmt::format("{} [env {}]", s.help, env))->group(group);
      continue;
    }
    std::string shown_default = default_text(s);
    if (std::string_view(s.flag) == "max-concurrent-executions" ||
        std::string_view(s.flag) == "parallelism") {
      shown_default = fmt::format("{} (4 per CPU)", default_concurrency());
    }
    const std::string help =
        shown_default.empty() ? fmt::format("{} [env {}]", s.help, env)
                              : fmt::format("{} [default: {}; env {}]", s.help, shown_default, env);
    const char* type_name =
        s.type == Type::Duration                                          ? "DURATION"
        : s.type == Type::Size                                            ? "SIZE"
        : s.type == Type::Count                                           ? "N"
        : std::string_view(s.flag).find("file") != std::string_view::npos ? "FILE"
        : std::string_view(s.flag).find("addr") != std::string_view::npos ? "ADDR"
        : std::string_view(s.flag) == "cors-origins"                      ? "ORIGINS"
        : std::string_view(s.flag).find("pushgateway-") == 0              ? "NAME"
                                                                          : "URL";
    b.option = cmd.add_option(names, b.flag_value, help)->type_name(type_name)->group(group);
  }
  if (network) {
    domains_option_ = cmd.add_option("--allow-domain", allowed_domains_,
                                     "Only allow these host names and their subdomains "
                                     "(repeatable) [env THAIYYAL_ALLOW_DOMAIN, comma-separated]")
                          ->type_name("DOMAIN")
                          ->group("Network policy");
    cmd.add_option("--http-clients", http_clients_file_,
                   "YAML or JSON file of named HTTP clients (base URL, headers, auth with "
                   "${env:NAME} secrets) that http nodes select with http_client_uid "
                   "[env THAIYYAL_HTTP_CLIENTS]")
        ->type_name("FILE")
        ->group("Network policy");
  }
  cmd.add_option("--config", config_file_,
                 "YAML file of settings (keys as the flags, with _ for -, e.g. "
                 "max_execution_time: 30s); flags and THAIYYAL_* variables override it")
      ->type_name("FILE");
}

void Settings::resolve(Limits& limits, http::NetworkPolicy* network,
                       ServiceSettings* service) const {
  std::vector<std::string> config_domains;
  // 1. The config file.
  if (!config_file_.empty()) {
    std::shared_ptr<const diag::SourceFile> source;
    try {
      source = read_source(config_file_);
    } catch (const IoError& e) {
      throw IoError(std::string("--config ") + e.what());
    }
    Value doc;
    try {
      doc = load::parse_yaml(source->text());
    } catch (const diag::Error& e) {
      throw SettingsError(
          fmt::format("{}:{}: {}", config_file_, e.diagnostic().where.line, e.what()));
    }
    if (!doc.is_null() && !doc.is_object()) {
      throw SettingsError(config_file_ + ": the settings file must be a YAML mapping");
    }
    if (const Object* o = doc.if_object()) {
      for (const auto& [key, value] : *o) {
        // One settings file serves every command: keys of settings a command
        // does not use are skipped, not refused.
        if (key == "http_clients") continue;  // read by load_http_clients
        if (key == "allowed_domains" || key == "allow_domain") {
          if (!domains_option_) continue;
          if (const auto* list = value.if_array()) {
            for (const auto& d : *list) {
              if (!d.is_string()) {
                throw SettingsError(
                    fmt::format("{}: {} must be a list of domain names", config_file_, key));
              }
              config_domains.push_back(d.as_string());
            }
          } else if (const auto* text = value.if_string()) {
            config_domains = split_list(*text);
          } else {
            throw SettingsError(
                fmt::format("{}: {} must be a list of domain names", config_file_, key));
          }
          continue;
        }
        const Bound* found = nullptr;
        for (const auto& b : bound_) {
          if (yaml_key(kSettings[b.index]) == key) found = &b;
        }
        if (!found) {
          std::vector<std::string> names{"http_clients", "allowed_domains"};
          for (const auto& setting : kSettings) names.push_back(yaml_key(setting));
          if (std::find(names.begin(), names.end(), key) != names.end()) continue;  // not ours
          std::vector<std::string_view> views(names.begin(), names.end());
          auto near = diag::spellcheck(key, views);
          throw SettingsError(fmt::format("{}: unknown setting '{}'{}", config_file_, key,
                                          near ? fmt::format("; did you mean '{}'?", *near) : ""));
        }
        std::string text;
        if (const auto* str = value.if_string()) {
          text = *str;
        } else if (const auto* num = value.if_number()) {
          text = number_to_string(*num);
        } else if (const auto* flag = value.if_bool()) {
          text = *flag ? "true" : "false";
        } else {
          throw SettingsError(fmt::format("{}: {} must be a number or a string, got {}",
                                          config_file_, key, kind_name(value.kind())));
        }
        found->source = fmt::format("{}: {}", config_file_, key);
        apply(kSettings[found->index], text, found->source, limits, network, service);
      }
    }
  }
  // 2. The environment, 3. flags.
  for (const auto& b : bound_) {
    const auto& s = kSettings[b.index];
    std::vector<std::string> envs;  // lowest precedence first
    if (serve_) {
      for (const auto& [flag, legacy] : kLegacyLimitEnv) {
        if (std::string_view(flag) == s.flag) envs.emplace_back(legacy);
      }
    }
    for (auto it = s.legacy_env.rbegin(); it != s.legacy_env.rend(); ++it) envs.emplace_back(*it);
    envs.push_back(env_name(s));
    for (const auto& env : envs) {
      if (const char* v = std::getenv(env.c_str()); v && *v) {
        b.source = env;
        apply(s, v, env, limits, network, service);
      }
    }
    if (b.option && b.option->count() > 0) {
      b.source = std::string("--") + s.flag;
      apply(s, s.type == Type::Flag ? "true" : b.flag_value, b.source, limits, network, service);
    }
  }
  if (network) {
    if (domains_option_ && domains_option_->count() > 0) {
      network->allowed_domains = allowed_domains_;
    } else if (const char* v = std::getenv("THAIYYAL_ALLOW_DOMAIN"); v && *v) {
      network->allowed_domains = split_list(v);
    } else {
      network->allowed_domains = config_domains;
    }
  }
}

std::vector<std::pair<std::string, std::string>> Settings::sources() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& b : bound_) out.emplace_back(kSettings[b.index].flag, b.source);
  return out;
}

ServiceSettings::ServiceSettings() : max_concurrent(default_concurrency()) {}

std::uint64_t default_concurrency() {
  // Read once: hardware_concurrency() reads /sys on every call, and every
  // command that registers these settings asks.
  static const std::uint64_t value = [] {
    const unsigned cpus = std::thread::hardware_concurrency();
    return 4ull * (cpus == 0 ? 1 : cpus);
  }();
  return value;
}

std::string Settings::http_clients_file() const {
  if (!http_clients_file_.empty()) return http_clients_file_;
  if (const char* v = std::getenv("THAIYYAL_HTTP_CLIENTS"); v && *v) return v;
  return {};
}

}  // namespace thaiyyal::app
