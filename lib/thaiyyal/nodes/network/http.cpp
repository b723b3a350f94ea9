#include <fmt/format.h>

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

struct Config final : NodeConfig {
  TextTemplate url;  ///< templates filled in per run (D12); SSRF-checked per request
  Method method = Method::Get;
  std::vector<Header> headers;  ///< in document order
  /// A string body is sent as written (after templates); any other JSON value
  /// is sent as JSON text. Neither: no body.
  std::optional<TextTemplate> body_text;
  std::optional<Value> body_json;
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
    c.headers.push_back(Header{name, TextTemplate(value.as_string())});
  }
}

std::unique_ptr<const NodeConfig> parse(ConfigReader& r) {
  auto c = std::make_unique<Config>();
  if (auto url = r.string("url", Presence::Required)) c->url = TextTemplate(std::move(*url));
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
  if (const Value* body = r.any("body")) {
    if (body->is_string()) {
      c->body_text = TextTemplate(body->as_string());
    } else {
      c->body_json = *body;
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

}  // namespace

extern const KindInfo kHttpKind{
    "http",
    Category::Network,
    "Sends an HTTP request (GET by default) and yields the decoded response body.",
    R"({"url": "https://api.example.org/items?page=2", "headers": {"Accept": "application/json"}})",
    parse,
    run_not_implemented,
};

}  // namespace thaiyyal::nodes
