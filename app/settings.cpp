#include "settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "common.h"
#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/duration.h"
#include "thaiyyal/model/value_json.h"

namespace thaiyyal::app {
namespace {

enum class Type : std::uint8_t { Count, Size, Duration, Flag };

struct Setting {
  const char* flag;  ///< without the leading dashes; the YAML key and the
                     ///< THAIYYAL_ variable derive from it
  Type type;
  Scope scope;
  const char* help;
  std::uint64_t Limits::*count = nullptr;
  Limits::Millis Limits::*duration = nullptr;
  bool http::NetworkPolicy::*network_flag = nullptr;
};

const Setting kSettings[] = {
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
  if (s.type == Type::Flag) return "off";
  if (s.type == Type::Duration) {
    return format_go_duration(std::chrono::duration_cast<Nanos>(d.*(s.duration)));
  }
  return std::to_string(d.*(s.count));
}

void apply(const Setting& s, std::string_view text, const std::string& source, Limits& limits,
           http::NetworkPolicy* network) {
  switch (s.type) {
    case Type::Flag: {
      bool on = false;
      if (text == "1" || text == "true" || text == "yes" || text == "on") {
        on = true;
      } else if (!(text == "0" || text == "false" || text == "no" || text == "off")) {
        throw SettingsError(fmt::format("{}: '{}' is not a boolean (true or false)", source, text));
      }
      if (network) network->*(s.network_flag) = on;
      return;
    }
    case Type::Count: {
      std::uint64_t v = 0;
      auto res = std::from_chars(text.data(), text.data() + text.size(), v);
      if (res.ec != std::errc() || res.ptr != text.data() + text.size()) {
        throw SettingsError(
            fmt::format("{}: '{}' is not a non-negative whole number", source, text));
      }
      limits.*(s.count) = v;
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
      limits.*(s.count) = *v;
      return;
    }
    case Type::Duration: {
      auto d = parse_go_duration(text);
      if (!d) {
        throw SettingsError(fmt::format(
            "{}: '{}' is not a duration (use e.g. 200ms, 30s, 5m, 1h30m)", source, text));
      }
      // A negative or zero time limit means "no limit" (D9).
      limits.*(s.duration) = std::chrono::duration_cast<Limits::Millis>(*d);
      if (d->count() > 0 && limits.*(s.duration) == Limits::Millis(0)) {
        limits.*(s.duration) = Limits::Millis(1);
      }
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
  bool network = false;
  for (auto& b : bound_) {
    const auto& s = kSettings[b.index];
    if (s.type == Type::Flag) {
      network = true;
      b.option = cmd.add_flag(std::string("--") + s.flag, b.flag_set,
                              fmt::format("{} [env {}]", s.help, env_name(s)))
                     ->group("Network policy");
      continue;
    }
    b.option = cmd.add_option(
                      std::string("--") + s.flag, b.flag_value,
                      fmt::format("{} [default: {}; env {}]", s.help, default_text(s), env_name(s)))
                   ->type_name(s.type == Type::Duration ? "DURATION"
                               : s.type == Type::Size   ? "SIZE"
                                                        : "N")
                   ->group("Limits");
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

void Settings::resolve(Limits& limits, http::NetworkPolicy* network) const {
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
        apply(kSettings[found->index], text, fmt::format("{}: {}", config_file_, key), limits,
              network);
      }
    }
  }
  // 2. The environment, 3. flags.
  for (const auto& b : bound_) {
    const auto& s = kSettings[b.index];
    const auto env = env_name(s);
    if (const char* v = std::getenv(env.c_str()); v && *v) apply(s, v, env, limits, network);
    if (b.option && b.option->count() > 0) {
      apply(s, s.type == Type::Flag ? "true" : b.flag_value, std::string("--") + s.flag, limits,
            network);
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

std::string Settings::http_clients_file() const {
  if (!http_clients_file_.empty()) return http_clients_file_;
  if (const char* v = std::getenv("THAIYYAL_HTTP_CLIENTS"); v && *v) return v;
  return {};
}

}  // namespace thaiyyal::app
