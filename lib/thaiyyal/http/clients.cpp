#include "thaiyyal/http/clients.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/model/duration.h"

namespace thaiyyal::http {
namespace {

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const auto n = (static_cast<unsigned char>(in[i]) << 16) |
                   (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += two ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

/// The JSON-escaped spelling of `s` (without quotes), as a secret would
/// appear inside JSON text.
std::string json_escaped(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += ch;
    }
  }
  return out;
}

void remove_header(Headers& headers, std::string_view name) {
  const std::string n = ascii_lower(name);
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return ascii_lower(h.first) == n; }),
                headers.end());
}

/// Adds `key=value` to the query of `url`; `replace` drops earlier parameters
/// named `key` first.
std::string with_query_param(const std::string& url, std::string_view key, std::string_view value,
                             bool replace) {
  const auto hash = url.find('#');
  std::string head = url.substr(0, hash);
  const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  const auto q = head.find('?');
  std::string base = head.substr(0, q);
  std::vector<std::string> params;
  if (q != std::string::npos) {
    std::string_view query = std::string_view(head).substr(q + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      std::string_view part = query.substr(0, amp);
      const std::string_view name = part.substr(0, part.find('='));
      if (!part.empty() && !(replace && name == percent_encode(key))) params.emplace_back(part);
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  params.push_back(percent_encode(key) + "=" + percent_encode(value));
  std::string out = base + "?";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i) out += '&';
    out += params[i];
  }
  return out + fragment;
}

bool has_scheme(std::string_view url) {
  const auto colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto u = static_cast<unsigned char>(url[i]);
    const bool ok =
        std::isalpha(u) || (i > 0 && (std::isdigit(u) || u == '+' || u == '-' || u == '.'));
    if (!ok) return false;
  }
  return true;
}

// ---- reading the configuration ----------------------------------------------------

class Reader {
 public:
  Reader(const SourceLocator* locator, std::shared_ptr<const diag::SourceFile> file,
         const EnvLookup& env, diag::Diagnostics& diags)
      : locator_(locator), file_(std::move(file)), env_(env), diags_(diags) {}

  /// The position of `path`, or of its nearest ancestor that has one (a
  /// missing key is reported at the object that lacks it).
  diag::Location where(const std::vector<PathStep>& path, bool at_key = false) const {
    diag::Location loc;
    if (locator_) {
      std::vector<PathStep> p = path;
      loc = locator_->locate(p, at_key);
      while (loc.line == 0 && !p.empty()) {
        p.pop_back();
        loc = locator_->locate(p, false);
      }
    }
    if (!loc.file) loc.file = file_;
    loc.json_path = format_json_path(path);
    return loc;
  }

  void error(const std::vector<PathStep>& path, std::string code, std::string message) {
    diags_.error(std::move(code), std::move(message), where(path));
    ++errors_;
  }
  std::size_t errors() const { return errors_; }

  /// Expands ${env:NAME} references. Sets `secret` when one was expanded;
  /// records a missing variable in `unusable`.
  std::optional<std::string> expand(const std::string& text, const std::vector<PathStep>& path,
                                    bool& secret, std::string& unusable) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      const auto start = text.find("${env:", pos);
      if (start == std::string::npos) break;
      const auto end = text.find('}', start);
      const std::string name =
          end == std::string::npos ? "" : text.substr(start + 6, end - start - 6);
      bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
      for (char c : name) {
        valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      }
      if (!valid) {
        error(path, "invalid-value",
              fmt::format("{}: malformed environment reference (use ${{env:NAME}})",
                          format_json_path(path)));
        return std::nullopt;
      }
      out.append(text, pos, start - pos);
      secret = true;
      if (auto value = env_(name)) {
        out += *value;
        values_.push_back(*value);
      } else if (unusable.empty()) {
        unusable = fmt::format("environment variable {} is not set (needed by {})", name,
                               format_json_path(path));
      }
      pos = end + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
  }

  /// Takes the values of the variables expanded since the last call.
  std::vector<std::string> take_values() { return std::exchange(values_, {}); }

 private:
  const SourceLocator* locator_;
  std::shared_ptr<const diag::SourceFile> file_;
  const EnvLookup& env_;
  diag::Diagnostics& diags_;
  std::size_t errors_ = 0;
  std::vector<std::string> values_;
};

/// One object of the configuration with its path; reports wrong types and
/// unknown keys.
class Section {
 public:
  /// `rel` names the object inside its client ("" for the client itself,
  /// "auth", "auth.token", ...), for messages.
  Section(Reader& r, const Object& o, std::vector<PathStep> path, NamedClient& client,
          std::string rel = {})
      : r_(r), o_(o), path_(std::move(path)), client_(client), rel_(std::move(rel)) {}

  std::vector<PathStep> at(std::string_view key) const {
    auto p = path_;
    p.push_back(PathStep{std::string(key), std::nullopt});
    return p;
  }
  std::string name(std::string_view key) const {
    return rel_.empty() ? std::string(key) : rel_ + "." + std::string(key);
  }

  const Value* get(std::string_view key) {
    known_.emplace_back(key);
    const Value* v = o_.find(key);
    return v && !v->is_null() ? v : nullptr;
  }

  void wrong_type(std::string_view key, std::string_view want, const Value& got) {
    r_.error(at(key), "wrong-type",
             fmt::format("{} must be {}, got {}", name(key), want, kind_name(got.kind())));
  }

  /// A string, with ${env:NAME} expanded; `secret` fields always count as
  /// secrets, others only when they reference the environment.
  std::optional<std::string> string(std::string_view key, bool secret_field = false) {
    const Value* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      wrong_type(key, "a string", *v);
      return std::nullopt;
    }
    bool secret = secret_field;
    auto text = r_.expand(v->as_string(), at(key), secret, client_.unusable);
    for (auto& value : r_.take_values()) client_.add_secret(std::move(value));
    if (!text) return text;
    if (key != "description" && text->find_first_of("\r\n") != std::string::npos) {
      r_.error(at(key), "invalid-value",
               fmt::format("{} must not contain a line break", name(key)));
      return std::nullopt;
    }
    if (secret) client_.add_secret(*text);
    return text;
  }

  std::optional<bool> boolean(std::string_view key) {
    const Value* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      wrong_type(key, "true or false", *v);
      return std::nullopt;
    }
    return v->as_bool();
  }

  std::optional<std::int64_t> count(std::string_view key) {
    const Value* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_number() ||
        v->as_number() != static_cast<double>(static_cast<std::int64_t>(v->as_number()))) {
      wrong_type(key, "a whole number", *v);
      return std::nullopt;
    }
    if (v->as_number() < 0) {
      r_.error(at(key), "invalid-value", fmt::format("{} cannot be negative", name(key)));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(v->as_number());
  }

  /// Integer nanoseconds (the reference's encoding) or a duration string.
  std::optional<std::chrono::milliseconds> duration(std::string_view key) {
    const Value* v = get(key);
    if (!v) return std::nullopt;
    std::optional<Nanos> d;
    if (v->is_number()) {
      if (v->as_number() < 0) {
        r_.error(at(key), "invalid-value", fmt::format("{} cannot be negative", name(key)));
        return std::nullopt;
      }
      if (v->as_number() < 9.2e18) d = Nanos(static_cast<std::int64_t>(v->as_number()));
    } else if (v->is_string()) {
      d = parse_go_duration(v->as_string());
    } else {
      wrong_type(key, "a duration (\"30s\" or integer nanoseconds)", *v);
      return std::nullopt;
    }
    if (!d) {
      r_.error(
          at(key), "invalid-value",
          fmt::format("{} must be a duration such as \"30s\" or integer nanoseconds", name(key)));
      return std::nullopt;
    }
    if (d->count() < 0) {
      r_.error(at(key), "invalid-value", fmt::format("{} cannot be negative", name(key)));
      return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }

  const Object* object(std::string_view key) {
    const Value* v = get(key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      wrong_type(key, "an object", *v);
      return nullptr;
    }
    return &v->as_object();
  }

  /// [{"key": ..., "value": ...}] (the reference's form) or a {name: value} mapping.
  Headers pairs(std::string_view key, bool header_names) {
    Headers out;
    const Value* v = get(key);
    if (!v) return out;
    auto add = [&](const std::string& k, const Value& value, std::vector<PathStep> p) {
      if (k.empty() || (header_names && k.find_first_of(" :\r\n\t") != std::string::npos)) {
        r_.error(p, "invalid-value", fmt::format("{}: invalid name '{}'", name(key), k));
        return;
      }
      if (!value.is_string()) {
        r_.error(
            p, "wrong-type",
            fmt::format("{}.{} must be a string, got {}", name(key), k, kind_name(value.kind())));
        return;
      }
      bool secret = false;
      auto text = r_.expand(value.as_string(), p, secret, client_.unusable);
      for (auto& secret_value : r_.take_values()) client_.add_secret(std::move(secret_value));
      if (!text) return;
      if (text->find_first_of("\r\n") != std::string::npos) {
        r_.error(p, "invalid-value",
                 fmt::format("{}.{} must not contain a line break", name(key), k));
        return;
      }
      if (secret) client_.add_secret(*text);
      out.emplace_back(k, std::move(*text));
    };
    if (const Object* o = v->if_object()) {
      for (const auto& [k, value] : *o) {
        auto p = at(key);
        p.push_back(PathStep{k, std::nullopt});
        add(k, value, std::move(p));
      }
    } else if (const Array* a = v->if_array()) {
      for (std::size_t i = 0; i < a->size(); ++i) {
        auto p = at(key);
        p.push_back(PathStep{"", i});
        const Object* e = (*a)[i].if_object();
        const Value* k = e ? e->find("key") : nullptr;
        const Value* value = e ? e->find("value") : nullptr;
        if (!k || !k->is_string() || !value) {
          r_.error(p, "wrong-type",
                   fmt::format("{}[{}] must be an object with string \"key\" and \"value\"",
                               name(key), i));
          continue;
        }
        add(k->as_string(), *value, std::move(p));
      }
    } else {
      wrong_type(key, "a list of {key, value} objects or a mapping", *v);
    }
    return out;
  }

  /// Reports keys that no getter asked for.
  void unknown_keys() {
    for (const auto& [k, v] : o_) {
      (void)v;
      if (std::find(known_.begin(), known_.end(), k) != known_.end()) continue;
      std::vector<std::string_view> names(known_.begin(), known_.end());
      const auto guess = diag::spellcheck(k, names);
      r_.error(at(k), "unknown-key",
               fmt::format("unknown key '{}'{}", name(k),
                           guess ? fmt::format(" (did you mean '{}'?)", *guess) : ""));
    }
  }

 private:
  Reader& r_;
  const Object& o_;
  std::vector<PathStep> path_;
  NamedClient& client_;
  std::string rel_;
  std::vector<std::string> known_;
};

void read_auth(Reader& r, Section& client_section, NamedClient& c) {
  const Object* auth = client_section.object("auth");
  if (!auth) return;
  Section s(r, *auth, client_section.at("auth"), c, "auth");
  const auto type = s.string("type").value_or("none");
  auto sub = [&](std::string_view key, std::string_view what) -> std::optional<Section> {
    const Object* o = s.object(key);
    if (!o) {
      r.error(s.at(key), "missing-key",
              fmt::format("{} configuration is required for {} auth", key, what));
      return std::nullopt;
    }
    return Section(r, *o, s.at(key), c, s.name(key));
  };
  auto required = [&](Section& sec, std::string_view key, bool secret, std::string_view message) {
    const Value* raw = sec.get(key);
    const bool present = raw != nullptr;
    const bool from_env =
        raw && raw->is_string() && raw->as_string().find("${env:") != std::string::npos;
    auto v = sec.string(key, secret);
    // An unset ${env:NAME} leaves the value empty; that is reported on use.
    if (v && (!v->empty() || from_env)) return *v;
    if (!present || v) r.error(sec.at(key), "missing-key", std::string(message));
    return std::string();
  };
  if (type == "none") {
    c.auth = AuthType::None;
  } else if (type == "basic") {
    c.auth = AuthType::Basic;
    if (auto b = sub("basic_auth", "basic")) {
      c.username = required(*b, "username", false, "username is required for basic auth");
      c.password = required(*b, "password", true, "password is required for basic auth");
      b->unknown_keys();
      if (!c.password.empty()) c.add_secret(base64(c.username + ":" + c.password));
    }
  } else if (type == "bearer") {
    c.auth = AuthType::Bearer;
    if (auto t = sub("token", "bearer")) {
      c.token = required(*t, "token", true, "token is required for bearer auth");
      t->unknown_keys();
    }
  } else if (type == "apikey") {
    c.auth = AuthType::ApiKey;
    if (auto k = sub("api_key", "apikey")) {
      c.api_key_name = required(*k, "key", false, "api_key.key is required for apikey auth");
      c.api_key_value = required(*k, "value", true, "api_key.value is required for apikey auth");
      const auto where = k->string("location");
      if (where == "header") {
        c.api_key_location = ApiKeyLocation::Header;
        if (!c.api_key_name.empty() &&
            c.api_key_name.find_first_of(" :\t\"(),/;<=>?@[\\]{}") != std::string::npos) {
          r.error(k->at("key"), "invalid-value",
                  fmt::format("api_key.key: invalid header name '{}'", c.api_key_name));
        }
      } else if (where == "query") {
        c.api_key_location = ApiKeyLocation::Query;
      } else {
        r.error(k->at("location"), "invalid-value", "api_key.location must be 'header' or 'query'");
      }
      k->unknown_keys();
    }
  } else {
    r.error(
        s.at("type"), "invalid-value",
        fmt::format("invalid auth type: {} (must be one of: none, basic, bearer, apikey)", type));
    for (const char* key : {"basic_auth", "token", "api_key"}) (void)s.get(key);
  }
  s.unknown_keys();
}

void read_network(Reader& r, Section& client_section, NamedClient& c) {
  const Object* net = client_section.object("network");
  if (!net) return;
  Section s(r, *net, client_section.at("network"), c, "network");
  if (auto t = s.duration("timeout"); t && t->count() > 0) c.timeout = *t;
  // Accepted for compatibility with the reference's schema; connection
  // pooling is the shared client's.
  for (const char* key : {"max_idle_conns", "max_idle_conns_per_host", "max_conns_per_host"}) {
    (void)s.count(key);
  }
  (void)s.duration("idle_conn_timeout");
  (void)s.duration("tls_handshake_timeout");
  (void)s.boolean("disable_keep_alives");
  s.unknown_keys();
}

void read_security(Reader& r, Section& client_section, NamedClient& c) {
  const Object* sec = client_section.object("security");
  if (!sec) return;
  Section s(r, *sec, client_section.at("security"), c, "security");
  if (auto n = s.count("max_redirects"))
    c.max_redirects = static_cast<int>(std::min<std::int64_t>(*n, 1000));
  if (auto n = s.count("max_response_size"); n && *n > 0) {
    c.max_response_size = static_cast<std::uint64_t>(*n);
  }
  if (auto f = s.boolean("follow_redirects")) c.follow_redirects = *f;
  c.allow_http = s.boolean("allow_http");
  c.allow_localhost = s.boolean("allow_localhost");
  c.allow_private_ips = s.boolean("allow_private_ips");
  c.allow_link_local = s.boolean("allow_link_local");
  c.allow_cloud_metadata = s.boolean("allow_cloud_metadata");
  if (const Value* d = s.get("allowed_domains")) {
    const Array* a = d->if_array();
    const bool all_strings =
        a && std::all_of(a->begin(), a->end(), [](const Value& v) { return v.is_string(); });
    if (!all_strings) {
      s.wrong_type("allowed_domains", "a list of domain names", *d);
    } else {
      for (const auto& v : *a) {
        if (!v.as_string().empty()) c.allowed_domains.push_back(v.as_string());
      }
    }
  }
  s.unknown_keys();
}

void read_client(Reader& r, const Value& v, std::vector<PathStep> path, ClientRegistry& out) {
  const Object* o = v.if_object();
  if (!o) {
    r.error(path, "wrong-type",
            fmt::format("an HTTP client must be an object, got {}", kind_name(v.kind())));
    return;
  }
  NamedClient c;
  Section s(r, *o, path, c);
  const std::size_t errors_before = r.errors();
  c.uid = s.string("uid").value_or("");
  if (c.uid.empty()) {
    r.error(path, "missing-key", "client UID is required (uid)");
  }
  c.description = s.string("description").value_or("");
  c.base_url = s.string("base_url").value_or("");
  if (!c.base_url.empty()) {
    std::string error;
    if (!parse_url(c.base_url, &error)) {
      r.error(s.at("base_url"), "invalid-value", fmt::format("base_url: invalid URL: {}", error));
    }
  }
  read_auth(r, s, c);
  read_network(r, s, c);
  read_security(r, s, c);
  c.headers = s.pairs("headers", true);
  c.query_params = s.pairs("query_params", false);
  s.unknown_keys();
  if (r.errors() != errors_before) return;
  const std::string uid = c.uid;
  if (!out.add(std::move(c))) {
    r.error(s.at("uid"), "duplicate-id", fmt::format("duplicate HTTP client uid '{}'", uid));
  }
}

}  // namespace

std::string percent_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || ch == '-' ||
        ch == '.' || ch == '_' || ch == '~') {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// ---- NamedClient --------------------------------------------------------------------

void NamedClient::add_secret(std::string value) {
  if (value.empty()) return;
  auto add = [&](std::string s) {
    if (std::find(secrets_.begin(), secrets_.end(), s) == secrets_.end()) {
      secrets_.push_back(std::move(s));
    }
  };
  add(percent_encode(value));
  add(json_escaped(value));
  add(std::move(value));
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string NamedClient::redact(std::string text) const {
  if (secrets_.empty()) return text;
  // One pass, longest secret first at each position, so a replacement is
  // never searched again.
  std::string out;
  std::size_t done = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::string* hit = nullptr;
    for (const auto& s : secrets_) {
      if (text.compare(i, s.size(), s) == 0) {
        hit = &s;
        break;
      }
    }
    if (!hit) {
      ++i;
      continue;
    }
    out.append(text, done, i - done);
    out += kRedacted;
    i += hit->size();
    done = i;
  }
  if (done == 0) return text;
  out.append(text, done, std::string::npos);
  return out;
}

Value NamedClient::redact_value(const Value& v) const {
  if (secrets_.empty()) return v;
  if (const auto* s = v.if_string()) return Value(redact(*s));
  if (const auto* a = v.if_array()) {
    Array out;
    out.reserve(a->size());
    for (const auto& e : *a) out.push_back(redact_value(e));
    return Value(std::move(out));
  }
  if (const auto* o = v.if_object()) {
    Object out;
    for (const auto& [k, e] : *o) out.set(redact(k), redact_value(e));
    return Value(std::move(out));
  }
  return v;
}

std::optional<std::string> NamedClient::resolve_url(std::string_view node_url,
                                                    std::string* error) const {
  if (has_scheme(node_url)) {
    if (base_url.empty()) return std::string(node_url);
    const auto base = parse_url(base_url);
    const auto target = parse_url(node_url);
    if (base && target &&
        (target->scheme != base->scheme || target->host != base->host ||
         target->effective_port() != base->effective_port())) {
      if (error) {
        *error = fmt::format("URL {}://{} is outside the base URL of HTTP client \"{}\"",
                             target->scheme, target->host, uid);
      }
      return std::nullopt;
    }
    return std::string(node_url);
  }
  if (base_url.empty()) {
    if (error) {
      *error = fmt::format("relative URL needs a base_url: HTTP client \"{}\" has none", uid);
    }
    return std::nullopt;
  }
  std::string out = base_url;
  if (node_url.empty() || node_url.front() == '?') return out + std::string(node_url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!node_url.empty() && node_url.front() == '/') node_url.remove_prefix(1);
  return out + "/" + std::string(node_url);
}

NetworkPolicy NamedClient::policy(const NetworkPolicy& command, bool allow_widening) const {
  NetworkPolicy p = command;
  auto adjust = [&](bool& field, const std::optional<bool>& setting) {
    if (!setting) return;
    if (!*setting)
      field = false;
    else if (allow_widening)
      field = true;
  };
  adjust(p.allow_http, allow_http);
  adjust(p.allow_localhost, allow_localhost);
  adjust(p.allow_private_ips, allow_private_ips);
  adjust(p.allow_link_local, allow_link_local);
  adjust(p.allow_cloud_metadata, allow_cloud_metadata);
  p.client_domains = allowed_domains;
  return p;
}

void NamedClient::decorate(Request& req) const {
  for (const auto& [k, v] : query_params) req.url = with_query_param(req.url, k, v, false);
  for (const auto& h : headers) req.headers.push_back(h);
  switch (auth) {
    case AuthType::None:
      break;
    case AuthType::Basic:
      remove_header(req.headers, "Authorization");
      req.headers.emplace_back("Authorization", "Basic " + base64(username + ":" + password));
      break;
    case AuthType::Bearer:
      remove_header(req.headers, "Authorization");
      req.headers.emplace_back("Authorization", "Bearer " + token);
      break;
    case AuthType::ApiKey:
      if (api_key_location == ApiKeyLocation::Header) {
        remove_header(req.headers, api_key_name);
        req.headers.emplace_back(api_key_name, api_key_value);
        req.sensitive_headers.push_back(ascii_lower(api_key_name));
      } else {
        req.url = with_query_param(req.url, api_key_name, api_key_value, true);
      }
      break;
  }
}

// ---- ClientRegistry -----------------------------------------------------------------

bool ClientRegistry::add(NamedClient client) {
  const std::string uid = client.uid;
  return clients_.emplace(uid, std::move(client)).second;
}

const NamedClient* ClientRegistry::find(std::string_view uid) const {
  const auto it = clients_.find(uid);
  return it == clients_.end() ? nullptr : &it->second;
}

std::vector<std::string> ClientRegistry::uids() const {
  std::vector<std::string> out;
  for (const auto& [uid, c] : clients_) out.push_back(uid);
  return out;
}

std::optional<std::string> process_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

ClientRegistry read_clients(const Value& list, std::vector<PathStep> path,
                            const SourceLocator* locator,
                            std::shared_ptr<const diag::SourceFile> file, const EnvLookup& env,
                            diag::Diagnostics& diags) {
  ClientRegistry out;
  Reader r(locator, std::move(file), env, diags);
  const Array* a = list.if_array();
  if (!a) {
    r.error(path, "wrong-type",
            fmt::format("HTTP clients must be a list of client objects, got {}",
                        kind_name(list.kind())));
    return out;
  }
  for (std::size_t i = 0; i < a->size(); ++i) {
    auto p = path;
    p.push_back(PathStep{"", i});
    read_client(r, (*a)[i], std::move(p), out);
  }
  return out;
}

}  // namespace thaiyyal::http
