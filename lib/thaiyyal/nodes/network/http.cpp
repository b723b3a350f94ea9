#include <fmt/format.h>

#include "thaiyyal/diag/spellcheck.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/kinds.h"
#include "thaiyyal/nodes/text_template.h"

namespace thaiyyal::nodes {
namespace {

enum class Method : std::uint8_t { Get, Post, Put, Patch, Delete, Head };

constexpr Choice<Method> kMethods[] = {
    {"GET", Method::Get},     {"POST", Method::Post},     {"PUT", Method::Put},
    {"PATCH", Method::Patch}, {"DELETE", Method::Delete}, {"HEAD", Method::Head},
};

/// What the node yields (D13): the decoded body, failing on a non-2xx status,
/// or `{status, headers, body, duration_ms}` for every status.
enum class ResponseMode : std::uint8_t { Body, Full };

constexpr Choice<ResponseMode> kResponseModes[] = {
    {"body", ResponseMode::Body},
    {"full", ResponseMode::Full},
};

struct Header {
  std::string name;
  TextTemplate value;
};

/// One `query` parameter: the name as written, the value a template.
struct QueryParam {
  std::string name;
  TextTemplate value;
};

struct Config final : NodeConfig {
  TextTemplate url;  ///< templates filled in per run (D12); SSRF-checked per request
  Method method = Method::Get;
  std::vector<Header> headers;  ///< in document order
  /// A string body is sent as written (after templates); any other JSON value
  /// is sent as JSON text, every string in it (object keys included, at any
  /// depth) a template. Neither: no body.
  std::optional<TextTemplate> body_text;
  std::optional<ValueTemplate> body_json;
  /// `query`: parameters appended to the URL's query in document order,
  /// names and values percent-encoded (RFC 3986 unreserved characters kept).
  std::vector<QueryParam> query;
  ResponseMode response = ResponseMode::Body;
  std::optional<std::string> client_uid;  ///< a named client; never bypasses SSRF checks
};

/// RFC 9110 token characters, the only ones allowed in a header name.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    const bool ok = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

void parse_headers(ConfigReader& r, Config& c) {
  const Object* headers = r.object("headers");
  if (!headers) return;
  for (const auto& [name, value] : *headers) {
    const std::vector<PathStep> path{PathStep{"headers", std::nullopt},
                                     PathStep{name, std::nullopt}};
    if (!is_token(name)) {
      r.fail_at(path, "invalid-value", fmt::format("headers: invalid header name '{}'", name));
      continue;
    }
    if (value.is_null()) continue;
    if (!value.is_string()) {
      r.fail_at(path, "wrong-type",
                fmt::format("headers.{} must be a string, got {}", name, kind_name(value.kind())));
      continue;
    }
    if (value.as_string().find_first_of("\r\n") != std::string::npos) {
      r.fail_at(path, "invalid-value",
                fmt::format("headers.{} must not contain a line break", name));
      continue;
    }
    c.headers.push_back(Header{name, r.templated_at(path, value.as_string())});
  }
}

/// `query`: an object of parameter name -> string (a template); numbers and
/// booleans are taken as their text, null omits the parameter.
void parse_query(ConfigReader& r, Config& c) {
  const Object* query = r.object("query");
  if (!query) return;
  for (const auto& [name, value] : *query) {
    const std::vector<PathStep> path{PathStep{"query", std::nullopt}, PathStep{name, std::nullopt}};
    if (name.empty()) {
      r.fail_at(path, "invalid-value", "query: a parameter name must not be empty");
      continue;
    }
    if (value.is_null()) continue;
    if (value.is_string()) {
      c.query.push_back(QueryParam{name, r.templated_at(path, value.as_string())});
    } else if (value.is_number() || value.is_bool()) {
      c.query.push_back(QueryParam{name, TextTemplate(template_text(value))});
    } else {
      r.fail_at(path, "wrong-type",
                fmt::format("query.{} must be a string, got {}", name, kind_name(value.kind())));
    }
  }
}

/// `url` with `params` (already rendered) appended to its query, before any
/// fragment.
std::string with_query(const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  if (params.empty()) return url;
  const auto hash = url.find('#');
  std::string out = url.substr(0, hash);
  const auto q = out.find('?');
  char sep = q == std::string::npos ? '?' : (q + 1 == out.size() || out.back() == '&' ? '\0' : '&');
  for (const auto& [name, value] : params) {
    if (sep) out += sep;
    out += http::percent_encode(name);
    out += '=';
    out += http::percent_encode(value);
    sep = '&';
  }
  if (hash != std::string::npos) out.append(url, hash, std::string::npos);
  return out;
}

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (auto url = r.templated("url", Presence::Required)) c->url = std::move(*url);
  c->client_uid = r.string("http_client_uid");
  if (auto method = r.string("method")) {
    if (auto m = find_choice(*method, kMethods, /*ignore_case=*/true)) {
      c->method = *m;
    } else {
      r.fail("method", "invalid-value",
             fmt::format("unsupported method: {} (use GET, POST, PUT, PATCH, DELETE or HEAD)",
                         *method));
    }
  }
  parse_headers(r, *c);
  parse_query(r, *c);
  if (const Value* body = r.any("body")) {
    const std::vector<PathStep> path{PathStep{"body", std::nullopt}};
    if (body->is_string()) {
      c->body_text = r.templated_at(path, body->as_string());
    } else {
      c->body_json = r.templated_value(path, *body);
    }
  }
  if (auto response = r.string("response")) {
    if (auto mode = find_choice(*response, kResponseModes)) {
      c->response = *mode;
    } else {
      r.fail("response", "invalid-value",
             fmt::format("unsupported response mode: {} (use \"body\" or \"full\")", *response));
    }
  }
  if (!r.ok()) return nullptr;
  return c;
}

constexpr std::string_view kMethodNames[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};

/// Whether a Content-Type declares JSON (spec 03-io §4.3).
bool declares_json(const std::string* content_type) {
  if (!content_type) return false;
  std::string t = content_type->substr(0, content_type->find(';'));
  for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  return t == "application/json" ||
         (t.rfind("application/", 0) == 0 && t.size() > 5 && t.substr(t.size() - 5) == "+json");
}

/// The body as a value: decoded JSON (numbers are numbers, D13) or text.
Value decode_body(const http::Response& res) {
  const std::string* ctype = res.header("content-type");
  JsonParseOptions opts;
  opts.reject_duplicate_keys = false;
  if (declares_json(ctype)) {
    try {
      return parse_json(res.body, opts);
    } catch (const JsonParseError& e) {
      throw NodeError(fmt::format("failed to parse JSON response: {}", e.what()));
    }
  }
  if (!ctype || ctype->empty()) {
    const auto first = res.body.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (res.body[first] == '{' || res.body[first] == '[')) {
      try {
        return parse_json(res.body, opts);
      } catch (const JsonParseError&) {
      }
    }
  }
  return Value(res.body);
}

/// The URL as it may appear in messages: no user-info, no query.
std::string safe_url(const std::string& url) {
  auto parsed = http::parse_url(url);
  if (!parsed) return "<invalid URL>";
  std::string text = parsed->text();
  const auto q = text.find('?');
  return q == std::string::npos ? text : text.substr(0, q);
}

/// The named client a node selects, or nullptr for none. An unknown or
/// unusable one fails the node: it is never a way around the network policy
/// (D13).
const http::NamedClient* select_client(const Config& c, RunContext& ctx) {
  if (!c.client_uid || c.client_uid->empty()) return nullptr;
  const http::ClientRegistry* registry = ctx.http_clients();
  const http::NamedClient* client = registry ? registry->find(*c.client_uid) : nullptr;
  if (!client) {
    std::string message = fmt::format("unknown HTTP client \"{}\"", *c.client_uid);
    if (!registry || registry->size() == 0) {
      message += " (no HTTP clients are configured; see --http-clients)";
    } else {
      std::vector<std::string> uids = registry->uids();
      std::vector<std::string_view> names(uids.begin(), uids.end());
      if (auto guess = diag::spellcheck(*c.client_uid, names)) {
        message += fmt::format(" (did you mean \"{}\"?)", *guess);
      }
    }
    throw NodeError(message);
  }
  if (!client->unusable.empty()) {
    throw NodeError(fmt::format("HTTP client \"{}\": {}", client->uid, client->unusable));
  }
  return client;
}

Value send(const Config& c, RunContext& ctx, const http::NamedClient* client) {
  http::Request req;
  req.method = std::string(kMethodNames[static_cast<int>(c.method)]);
  req.url = ctx.interpolate(c.url);
  if (client) {
    std::string error;
    auto url = client->resolve_url(req.url, &error);
    if (!url) throw NodeError(error);
    req.url = std::move(*url);
  }
  if (!c.query.empty()) {
    // Appended after templating (and a named client's base URL), so the
    // network policy checks the URL that is actually requested.
    std::vector<std::pair<std::string, std::string>> params;
    params.reserve(c.query.size());
    for (const auto& p : c.query) params.emplace_back(p.name, ctx.interpolate(p.value));
    req.url = with_query(req.url, params);
  }
  for (const auto& h : c.headers) req.headers.emplace_back(h.name, ctx.interpolate(h.value));
  if (c.body_text) {
    req.body = ctx.interpolate(*c.body_text);
    req.has_body = true;
  } else if (c.body_json) {
    try {
      req.body = to_json(ctx.interpolate(*c.body_json));
    } catch (const TemplateError& e) {
      throw NodeError(fmt::format("body: {}", e.what()));
    }
    req.has_body = true;
    const bool has_type = std::any_of(c.headers.begin(), c.headers.end(), [](const Header& h) {
      std::string n = h.name;
      for (auto& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return n == "content-type";
    });
    if (!has_type) req.headers.emplace_back("Content-Type", "application/json");
  }
  const std::string shown_url = safe_url(req.url);  // before secrets join the query
  const auto& limits = ctx.limits();
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(limits.http_timeout);
  if (client && client->timeout) timeout = *client->timeout;
  if (timeout.count() <= 0) timeout = std::chrono::hours(24);
  if (auto left = ctx.time_left()) {
    timeout = std::min(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(*left) +
                                    std::chrono::milliseconds(1));
  }
  req.timeout = timeout;
  std::uint64_t max_size =
      limits.max_response_size > 0 ? limits.max_response_size : std::uint64_t{1} << 40;
  if (client && client->max_response_size)
    max_size = std::min(max_size, *client->max_response_size);
  req.max_response_size = static_cast<std::size_t>(max_size);
  req.max_redirects = static_cast<int>(std::min<std::uint64_t>(limits.max_http_redirects, 1000));
  if (client) {
    req.max_redirects = std::min(req.max_redirects, client->max_redirects);
    req.follow_redirects = client->follow_redirects;
    client->decorate(req);
  }
  req.should_abort = [&ctx] {
    try {
      ctx.check_cancelled();
      return false;
    } catch (const Interrupted&) {
      return true;
    }
  };
  http::NetworkPolicy client_policy;
  if (client) {
    const http::ClientRegistry* registry = ctx.http_clients();
    client_policy =
        client->policy(ctx.network_policy(), registry->allow_widening && client->may_widen);
  }
  const http::NetworkPolicy& policy = client ? client_policy : ctx.network_policy();
  ctx.count_http_call();
  ctx.before_http_request(req.headers);
  engine::HttpCall call;
  call.method = req.method;
  if (client) call.client_uid = client->uid;
  const auto sent = std::chrono::steady_clock::now();
  http::Response res;
  try {
    res = ctx.http_client().send(req, policy);
  } catch (const http::HttpError& e) {
    const std::string_view what = e.what();
    call.outcome =
        e.blocked()   ? "blocked"
        : e.aborted() ? "aborted"
        : what.find("timed out") != std::string::npos || what.find("timeout") != std::string::npos
            ? "timeout"
            : "error";
    if (e.blocked()) call.error = what;
    call.elapsed = std::chrono::steady_clock::now() - sent;
    ctx.after_http_request(call);
    ctx.check_cancelled();  // a deadline or cancellation reports itself
    if (e.blocked()) {
      if (!client) throw NodeError(e.what());
      throw NodeError(fmt::format("{} (under the network policy of HTTP client \"{}\")", e.what(),
                                  client->uid));
    }
    throw NodeError(fmt::format("HTTP request failed: {} {}: {}", req.method, shown_url, e.what()));
  }
  call.outcome = "ok";
  call.status = res.status;
  call.elapsed = std::chrono::steady_clock::now() - sent;
  ctx.after_http_request(call);
  if (c.response == ResponseMode::Full) {
    Object headers;
    for (const auto& [k, v] : res.headers) {
      if (!headers.contains(k)) headers.append_unique(k, Value(v));
    }
    return Value(Object{
        {"status", Value(res.status)},
        {"headers", Value(std::move(headers))},
        {"body", decode_body(res)},
        {"duration_ms", Value(std::chrono::duration<double, std::milli>(res.duration).count())},
    });
  }
  if (res.status < 200 || res.status > 299) {
    throw NodeError(fmt::format("HTTP request returned error status: {}", res.status));
  }
  return decode_body(res);
}

Value run(const NodeConfig& cfg, RunContext& ctx, std::span<const Value>) {
  const auto& c = static_cast<const Config&>(cfg);
  const http::NamedClient* client = select_client(c, ctx);
  if (!client) return send(c, ctx, nullptr);
  // Nothing a named client's secrets reach leaves the node unredacted: an
  // echoing server, an error naming the URL.
  try {
    return client->redact_value(send(c, ctx, client));
  } catch (const NodeError& e) {
    throw NodeError(client->redact(std::string(e.what())));
  }
}

}  // namespace

extern const KindInfo kHttpKind{
    "http",
    Category::Network,
    "Sends an HTTP request (GET by default) and yields the decoded response body.",
    R"({"url": "https://api.example.org/items?page=2", "headers": {"Accept": "application/json"}})",
    parse,
    run,
};

}  // namespace thaiyyal::nodes
