#include "thaiyyal/http/clients.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "thaiyyal/load/loader.h"

using namespace thaiyyal;
using namespace thaiyyal::http;

namespace {

using Env = std::map<std::string, std::string>;

struct Loaded {
  ClientRegistry registry;
  diag::Diagnostics diags;
};

/// Reads the clients of a YAML text: the whole document, or the list under
/// `key` when one is given (as in a settings file).
Loaded read_yaml(const std::string& yaml, const Env& env = {}, const std::string& key = "") {
  auto file = std::make_shared<diag::SourceFile>("clients.yaml", yaml);
  const load::Document doc = load::parse_document(file);
  const EnvLookup lookup = [&env](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  std::vector<PathStep> path;
  const Value* list = &doc.value;
  if (!key.empty()) {
    path.push_back(PathStep{key, std::nullopt});
    list = doc.value.find(key);
    REQUIRE(list != nullptr);
  }
  Loaded out;
  out.registry = read_clients(*list, path, doc.locator.get(), file, lookup, out.diags);
  return out;
}

/// Every diagnostic as "<line> <code>: <message>", one a line.
std::string report(const diag::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.all()) {
    if (!out.empty()) out += '\n';
    out += std::to_string(d.where.line) + " " + d.code + ": " + d.message;
  }
  return out;
}

/// The diagnostics of a configuration that must not load.
std::string problems(const std::string& yaml, const Env& env = {}) {
  const Loaded l = read_yaml(yaml, env);
  CHECK(l.registry.size() == 0);
  return report(l.diags);
}

const NamedClient& only(const Loaded& l) {
  REQUIRE_MESSAGE(l.diags.empty(), report(l.diags));
  REQUIRE(l.registry.size() == 1);
  return *l.registry.find(l.registry.uids().front());
}

std::string header(const Headers& headers, const std::string& name) {
  std::string out;
  for (const auto& [k, v] : headers) {
    if (k == name) out += (out.empty() ? "" : "|") + v;
  }
  return out;
}

NamedClient client_with_base(std::string base) {
  NamedClient c;
  c.uid = "api";
  c.base_url = std::move(base);
  return c;
}

}  // namespace

TEST_SUITE("http") {
  TEST_CASE("named clients: a full configuration reads") {
    const Loaded l = read_yaml(R"(- uid: github
  description: GitHub API
  base_url: https://api.github.example/v3/
  auth:
    type: bearer
    token:
      token: ${env:GH_TOKEN}
  network:
    timeout: 30s
    max_idle_conns: 5
    max_idle_conns_per_host: 2
    max_conns_per_host: 8
    idle_conn_timeout: 90000000000
    tls_handshake_timeout: 10s
    disable_keep_alives: false
  security:
    max_redirects: 3
    max_response_size: 1048576
    follow_redirects: false
    allow_http: false
    allow_localhost: true
    allowed_domains: [api.github.example, "*.cdn.example"]
  headers:
    - key: Accept
      value: application/json
    - key: X-Trace
      value: "on"
  query_params:
    - {key: per_page, value: "50"}
- uid: basic
  auth:
    type: basic
    basic_auth: {username: alice, password: s3cret}
  headers: {X-One: "1", X-Two: "2"}
  query_params: {lang: en}
  network: {timeout: 30000000000}
- uid: keyed
  auth:
    type: apikey
    api_key: {key: api_key, value: k-123, location: query}
- uid: plain
)",
                               {{"GH_TOKEN", "ghp_abc123"}});
    REQUIRE_MESSAGE(l.diags.empty(), report(l.diags));
    REQUIRE(l.registry.size() == 4);
    CHECK(l.registry.uids() == std::vector<std::string>{"basic", "github", "keyed", "plain"});
    CHECK(l.registry.allow_widening);

    const NamedClient& gh = *l.registry.find("github");
    CHECK(gh.uid == "github");
    CHECK(gh.description == "GitHub API");
    CHECK(gh.base_url == "https://api.github.example/v3/");
    CHECK(gh.auth == AuthType::Bearer);
    CHECK(gh.token == "ghp_abc123");
    CHECK(gh.unusable.empty());
    REQUIRE(gh.timeout.has_value());
    CHECK(gh.timeout->count() == 30000);
    CHECK(gh.max_redirects == 3);
    REQUIRE(gh.max_response_size.has_value());
    CHECK(*gh.max_response_size == 1048576);
    CHECK_FALSE(gh.follow_redirects);
    CHECK(gh.allow_http == std::optional<bool>(false));
    CHECK(gh.allow_localhost == std::optional<bool>(true));
    CHECK_FALSE(gh.allow_private_ips.has_value());
    CHECK_FALSE(gh.allow_link_local.has_value());
    CHECK_FALSE(gh.allow_cloud_metadata.has_value());
    CHECK(gh.allowed_domains == std::vector<std::string>{"api.github.example", "*.cdn.example"});
    CHECK(gh.headers == Headers{{"Accept", "application/json"}, {"X-Trace", "on"}});
    CHECK(gh.query_params == Headers{{"per_page", "50"}});
    // The token came from the environment: it is a secret.
    CHECK(gh.redact("token ghp_abc123.") == "token ***REDACTED***.");

    const NamedClient& basic = *l.registry.find("basic");
    CHECK(basic.auth == AuthType::Basic);
    CHECK(basic.username == "alice");
    CHECK(basic.password == "s3cret");
    CHECK(basic.headers == Headers{{"X-One", "1"}, {"X-Two", "2"}});
    CHECK(basic.query_params == Headers{{"lang", "en"}});
    REQUIRE(basic.timeout.has_value());
    CHECK(basic.timeout->count() == 30000);
    // Defaults.
    CHECK(basic.follow_redirects);
    CHECK(basic.max_redirects == 10);
    CHECK_FALSE(basic.max_response_size.has_value());
    CHECK(basic.base_url.empty());

    const NamedClient& keyed = *l.registry.find("keyed");
    CHECK(keyed.auth == AuthType::ApiKey);
    CHECK(keyed.api_key_name == "api_key");
    CHECK(keyed.api_key_value == "k-123");
    CHECK(keyed.api_key_location == ApiKeyLocation::Query);

    const NamedClient& plain = *l.registry.find("plain");
    CHECK(plain.auth == AuthType::None);
    CHECK_FALSE(plain.timeout.has_value());
    CHECK(plain.secrets().empty());
    CHECK(plain.headers.empty());

    CHECK(l.registry.find("nope") == nullptr);
  }

  TEST_CASE("named clients: durations are strings or integer nanoseconds") {
    CHECK(only(read_yaml("- {uid: a, network: {timeout: 30s}}")).timeout->count() == 30000);
    CHECK(only(read_yaml("- {uid: a, network: {timeout: 30000000000}}")).timeout->count() == 30000);
    CHECK(only(read_yaml("- {uid: a, network: {timeout: 1m30s}}")).timeout->count() == 90000);
    CHECK(only(read_yaml("- {uid: a, network: {timeout: 250ms}}")).timeout->count() == 250);
    // 0 means the default.
    CHECK_FALSE(only(read_yaml("- {uid: a, network: {timeout: 0}}")).timeout.has_value());
    CHECK(problems("- {uid: a, network: {timeout: soon}}") ==
          "1 invalid-value: network.timeout must be a duration such as \"30s\" or integer "
          "nanoseconds");
    CHECK(problems("- {uid: a, network: {timeout: \"-1s\"}}") ==
          "1 invalid-value: network.timeout cannot be negative");
    CHECK(problems("- {uid: a, network: {timeout: [1]}}") ==
          "1 wrong-type: network.timeout must be a duration (\"30s\" or integer nanoseconds), "
          "got array");
  }

  TEST_CASE("named clients: auth errors") {
    CHECK(problems(R"(- uid: a
  auth:
    type: x
)") == "3 invalid-value: invalid auth type: x (must be one of: none, basic, bearer, apikey)");
    // Case-sensitive, like the reference.
    CHECK(problems("- {uid: a, auth: {type: Bearer, token: {token: t}}}") ==
          "1 invalid-value: invalid auth type: Bearer (must be one of: none, basic, bearer, "
          "apikey)");
    CHECK(problems("- {uid: a, auth: {type: basic}}") ==
          "1 missing-key: basic_auth configuration is required for basic auth");
    CHECK(problems("- {uid: a, auth: {type: bearer}}") ==
          "1 missing-key: token configuration is required for bearer auth");
    CHECK(problems("- {uid: a, auth: {type: apikey}}") ==
          "1 missing-key: api_key configuration is required for apikey auth");
    CHECK(problems(R"(- uid: a
  auth:
    type: basic
    basic_auth:
      username: alice
)") == "5 missing-key: password is required for basic auth");
    CHECK(problems(R"(- uid: a
  auth:
    type: basic
    basic_auth:
      password: pw
)") == "5 missing-key: username is required for basic auth");
    // Present but empty is reported where it is written.
    CHECK(problems(R"(- uid: a
  auth:
    type: basic
    basic_auth:
      username: alice
      password: ""
)") == "6 missing-key: password is required for basic auth");
    CHECK(problems(R"(- uid: a
  auth:
    type: bearer
    token:
      token: ""
)") == "5 missing-key: token is required for bearer auth");
    CHECK(problems("- {uid: a, auth: {type: apikey, api_key: {value: v, location: header}}}") ==
          "1 missing-key: api_key.key is required for apikey auth");
    CHECK(problems("- {uid: a, auth: {type: apikey, api_key: {key: k, location: header}}}") ==
          "1 missing-key: api_key.value is required for apikey auth");
    CHECK(problems(R"(- uid: a
  auth:
    type: apikey
    api_key:
      key: X-Key
      value: v
      location: cookie
)") == "7 invalid-value: api_key.location must be 'header' or 'query'");
    CHECK(problems("- {uid: a, auth: {type: apikey, api_key: {key: k, value: v}}}") ==
          "1 invalid-value: api_key.location must be 'header' or 'query'");
    CHECK(problems(R"(- uid: a
  auth:
    type: bearer
    token:
      token: 42
)") == "5 wrong-type: auth.token.token must be a string, got number");
    CHECK(problems(R"(- uid: a
  auth: bearer
)") == "2 wrong-type: auth must be an object, got string");
  }

  TEST_CASE("named clients: unknown keys are reported with a suggestion") {
    CHECK(problems(R"(- uid: a
  auth:
    type: bearer
    token:
      token: t
    tokn: t
)") == "6 unknown-key: unknown key 'auth.tokn' (did you mean 'token'?)");
    CHECK(problems(R"(- uid: a
  base_ur: https://api.example.org
)") == "2 unknown-key: unknown key 'base_ur' (did you mean 'base_url'?)");
    CHECK(problems(R"(- uid: a
  security:
    follow_redirect: true
)") == "3 unknown-key: unknown key 'security.follow_redirect' (did you mean "
       "'follow_redirects'?)");
    CHECK(problems(R"(- uid: a
  colour: blue
)") == "2 unknown-key: unknown key 'colour'");
  }

  TEST_CASE("named clients: numbers, flags and lists are checked") {
    CHECK(problems(R"(- uid: a
  security:
    max_redirects: -1
)") == "3 invalid-value: security.max_redirects cannot be negative");
    CHECK(problems(R"(- uid: a
  security:
    max_response_size: -5
)") == "3 invalid-value: security.max_response_size cannot be negative");
    CHECK(problems(R"(- uid: a
  security:
    max_redirects: 2.5
)") == "3 wrong-type: security.max_redirects must be a whole number, got number");
    CHECK(problems(R"(- uid: a
  security:
    follow_redirects: "yes"
)") == "3 wrong-type: security.follow_redirects must be true or false, got string");
    CHECK(problems(R"(- uid: a
  security:
    allowed_domains: example.org
)") == "3 wrong-type: security.allowed_domains must be a list of domain names, got string");
    CHECK(problems(R"(- uid: a
  network:
    max_idle_conns: -1
)") == "3 invalid-value: network.max_idle_conns cannot be negative");
    CHECK(problems(R"(- uid: a
  headers:
    - key: Bad Name
      value: x
)") == "3 invalid-value: headers: invalid name 'Bad Name'");
    CHECK(problems(R"(- uid: a
  headers:
    X-Num: 5
)") == "3 wrong-type: headers.X-Num must be a string, got number");
    CHECK(problems(R"(- uid: a
  query_params:
    - just-a-string
)") == "3 wrong-type: query_params[0] must be an object with string \"key\" and \"value\"");
    CHECK(problems(R"(- uid: a
  headers: true
)") == "2 wrong-type: headers must be a list of {key, value} objects or a mapping, got "
       "boolean");
    CHECK(problems(R"(- uid: a
  base_url: "not a url"
)") == "2 invalid-value: base_url: invalid URL: URL contains a space or control character");
  }

  TEST_CASE("named clients: list shape, uids and duplicates") {
    CHECK(problems("uid: a\n") ==
          "1 wrong-type: HTTP clients must be a list of client objects, got object");
    CHECK(problems("- just-text\n") ==
          "1 wrong-type: an HTTP client must be an object, got string");
    CHECK(problems(R"(- description: no uid
)") == "1 missing-key: client UID is required (uid)");
    CHECK(problems("- {uid: \"\"}\n") == "1 missing-key: client UID is required (uid)");

    const Loaded dup = read_yaml(R"(- uid: a
  base_url: https://one.example
- uid: b
- uid: a
  base_url: https://two.example
)");
    CHECK(report(dup.diags) == "4 duplicate-id: duplicate HTTP client uid 'a'");
    CHECK(dup.registry.size() == 2);
    // The first one stays.
    CHECK(dup.registry.find("a")->base_url == "https://one.example");

    // A client with an error is left out; the others still load.
    const Loaded mixed = read_yaml(R"(- uid: good
- uid: bad
  auth: {type: nope}
)");
    CHECK(report(mixed.diags) ==
          "3 invalid-value: invalid auth type: nope (must be one of: none, basic, bearer, apikey)");
    CHECK(mixed.registry.uids() == std::vector<std::string>{"good"});
  }

  TEST_CASE("named clients: the http_clients section of a settings file") {
    const Loaded l = read_yaml(R"(max_http_calls: 5
http_clients:
  - uid: a
    security:
      max_redirects: -1
  - uid: b
    auth:
      type: bearer
      token: {token: t}
      tokn: t
)",
                               {}, "http_clients");
    CHECK(report(l.diags) ==
          "5 invalid-value: security.max_redirects cannot be negative\n"
          "10 unknown-key: unknown key 'auth.tokn' (did you mean 'token'?)");
    REQUIRE(l.diags.size() == 2);
    CHECK(l.diags.all()[0].where.json_path == "$.http_clients[0].security.max_redirects");
    CHECK(l.diags.all()[0].where.file->name() == "clients.yaml");
  }

  TEST_CASE("named clients: ${env:NAME} references") {
    const Env env{{"API_HOST", "api.example.org"}, {"TOKEN", "t0k3n"}, {"USER", "bob"}};
    const Loaded l = read_yaml(R"(- uid: a
  base_url: https://${env:API_HOST}/v1
  auth:
    type: bearer
    token:
      token: "pre-${env:TOKEN}-post"
  headers:
    X-User: ${env:USER}
    X-Static: static
)",
                               env);
    const NamedClient& c = only(l);
    CHECK(c.base_url == "https://api.example.org/v1");
    CHECK(c.token == "pre-t0k3n-post");
    CHECK(c.headers == Headers{{"X-User", "bob"}, {"X-Static", "static"}});
    CHECK(c.unusable.empty());
    // Expanded values are secrets; literal ones are not.
    CHECK(c.redact("bob pre-t0k3n-post static") == "***REDACTED*** ***REDACTED*** static");
    // The whole expanded text is the secret.
    CHECK(c.redact("https://api.example.org/v1/x") == "***REDACTED***/x");

    // A missing variable leaves the client loaded but unusable, naming the
    // variable and where it is needed, never a value.
    const Loaded missing = read_yaml(R"(- uid: a
  auth:
    type: bearer
    token:
      token: ${env:NOT_SET}
  headers:
    X-Other: ${env:ALSO_NOT_SET}
)");
    const NamedClient& m = only(missing);
    CHECK(m.unusable ==
          "environment variable NOT_SET is not set (needed by $[0].auth.token.token)");

    const Loaded missing_basic = read_yaml(R"(- uid: a
  auth:
    type: basic
    basic_auth: {username: u, password: "${env:PW}"}
)");
    CHECK(only(missing_basic).unusable ==
          "environment variable PW is not set (needed by $[0].auth.basic_auth.password)");

    // Malformed references are configuration errors.
    CHECK(problems(R"(- uid: a
  auth:
    type: bearer
    token:
      token: ${env:}
)") == "5 invalid-value: $[0].auth.token.token: malformed environment reference (use "
       "${env:NAME})");
    CHECK(problems("- {uid: a, base_url: \"https://${env:HOST\"}\n") ==
          "1 invalid-value: $[0].base_url: malformed environment reference (use ${env:NAME})");
    CHECK(problems("- {uid: a, headers: {X-A: \"${env:1ABC}\"}}\n") ==
          "1 invalid-value: $[0].headers[\"X-A\"]: malformed environment reference (use "
          "${env:NAME})");
    CHECK(problems("- {uid: a, headers: {X-A: \"${env:A-B}\"}}\n") ==
          "1 invalid-value: $[0].headers[\"X-A\"]: malformed environment reference (use "
          "${env:NAME})");
    // A value with a line break (from the environment) cannot be a header.
    CHECK(problems("- {uid: a, headers: {X-A: \"${env:NL}\"}}\n", {{"NL", "a\r\nX-Evil: 1"}}) ==
          "1 invalid-value: headers.X-A must not contain a line break");
  }

  TEST_CASE("named clients: resolve_url") {
    std::string error;
    const NamedClient c = client_with_base("https://api.example.org/v1/");
    CHECK(c.resolve_url("/items", &error) == "https://api.example.org/v1/items");
    CHECK(c.resolve_url("items", &error) == "https://api.example.org/v1/items");
    CHECK(c.resolve_url("//items?x=1", &error) == "https://api.example.org/v1/items?x=1");
    CHECK(client_with_base("https://api.example.org/v1").resolve_url("items", &error) ==
          "https://api.example.org/v1/items");
    CHECK(client_with_base("https://api.example.org").resolve_url("/items", &error) ==
          "https://api.example.org/items");
    // Query only, or nothing: the base URL as written.
    CHECK(c.resolve_url("?page=2", &error) == "https://api.example.org/v1/?page=2");
    CHECK(c.resolve_url("", &error) == "https://api.example.org/v1/");
    // Absolute URLs must stay on the base URL's origin.
    CHECK(c.resolve_url("https://api.example.org/other", &error) ==
          "https://api.example.org/other");
    CHECK(c.resolve_url("HTTPS://API.example.org:443/x", &error) ==
          "HTTPS://API.example.org:443/x");
    CHECK(error.empty());
    CHECK_FALSE(c.resolve_url("https://evil.example/steal", &error).has_value());
    CHECK(error == "URL https://evil.example is outside the base URL of HTTP client \"api\"");
    CHECK_FALSE(c.resolve_url("http://api.example.org/v1/items", &error).has_value());
    CHECK(error == "URL http://api.example.org is outside the base URL of HTTP client \"api\"");
    CHECK_FALSE(c.resolve_url("https://api.example.org:8443/", &error).has_value());
    CHECK_FALSE(c.resolve_url("https://api.example.org@evil.example/", &error).has_value());
    CHECK(error == "URL https://evil.example is outside the base URL of HTTP client \"api\"");
    // No base URL: absolute URLs pass, relative ones cannot be resolved.
    const NamedClient none = client_with_base("");
    CHECK(none.resolve_url("https://anywhere.example/x", &error) == "https://anywhere.example/x");
    CHECK_FALSE(none.resolve_url("/items", &error).has_value());
    CHECK(error == "relative URL needs a base_url: HTTP client \"api\" has none");
  }

  TEST_CASE("named clients: decorate") {
    const Loaded l = read_yaml(R"(- uid: q
  query_params:
    - {key: lang, value: en}
    - {key: "a b", value: "x&y=z/é"}
  headers:
    - {key: X-Client, value: thaiyyal}
- uid: qkey
  query_params: {api_key: from-params, keep: "1"}
  auth:
    type: apikey
    api_key: {key: api_key, value: "s3cr&t", location: query}
- uid: basic
  headers: {Authorization: "Token old"}
  auth:
    type: basic
    basic_auth: {username: Aladdin, password: "open sesame"}
- uid: bearer
  auth:
    type: bearer
    token: {token: tok}
- uid: hkey
  headers: {X-Trace: "1"}
  auth:
    type: apikey
    api_key: {key: X-API-Key, value: hk, location: header}
)");
    REQUIRE_MESSAGE(l.diags.empty(), report(l.diags));

    Request q;
    q.url = "https://api.example.org/items";
    q.headers = {{"Accept", "application/json"}};
    l.registry.find("q")->decorate(q);
    CHECK(q.url == "https://api.example.org/items?lang=en&a%20b=x%26y%3Dz%2F%C3%A9");
    CHECK(q.headers == Headers{{"Accept", "application/json"}, {"X-Client", "thaiyyal"}});
    CHECK(q.sensitive_headers.empty());

    Request q2;
    q2.url = "https://api.example.org/items?page=2#top";
    l.registry.find("q")->decorate(q2);
    CHECK(q2.url == "https://api.example.org/items?page=2&lang=en&a%20b=x%26y%3Dz%2F%C3%A9#top");

    // The api key replaces a parameter of the same name, wherever it came
    // from; other parameters stay in order.
    Request k;
    k.url = "https://api.example.org/items?api_key=from-node&page=2";
    l.registry.find("qkey")->decorate(k);
    CHECK(k.url == "https://api.example.org/items?page=2&keep=1&api_key=s3cr%26t");
    CHECK(k.headers.empty());

    Request b;
    b.url = "https://api.example.org/";
    b.headers = {{"authorization", "Bearer from-node"}};
    l.registry.find("basic")->decorate(b);
    CHECK(b.headers == Headers{{"Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="}});

    Request t;
    t.url = "https://api.example.org/";
    t.headers = {{"Accept", "*/*"}};
    l.registry.find("bearer")->decorate(t);
    CHECK(t.headers == Headers{{"Accept", "*/*"}, {"Authorization", "Bearer tok"}});
    CHECK(t.url == "https://api.example.org/");

    Request h;
    h.url = "https://api.example.org/";
    h.headers = {{"x-api-key", "from-node"}, {"Accept", "*/*"}};
    l.registry.find("hkey")->decorate(h);
    CHECK(h.headers == Headers{{"Accept", "*/*"}, {"X-Trace", "1"}, {"X-API-Key", "hk"}});
    CHECK(h.sensitive_headers == std::vector<std::string>{"x-api-key"});
    CHECK(header(h.headers, "X-API-Key") == "hk");
  }

  TEST_CASE("named clients: redact") {
    const Loaded l = read_yaml(R"(- uid: a
  auth:
    type: basic
    basic_auth: {username: user, password: "p@ss w\"rd"}
- uid: b
  auth:
    type: bearer
    token: {token: abc}
  headers:
    X-Long: ${env:LONG}
)",
                               {{"LONG", "abcdef"}});
    REQUIRE_MESSAGE(l.diags.empty(), report(l.diags));
    const NamedClient& a = *l.registry.find("a");
    CHECK(a.redact("raw p@ss w\"rd") == "raw ***REDACTED***");
    CHECK(a.redact("query pw=p%40ss%20w%22rd&x") == "query pw=***REDACTED***&x");
    CHECK(a.redact(R"({"password": "p@ss w\"rd"})") == R"({"password": "***REDACTED***"})");
    // base64("user:p@ss w\"rd")
    CHECK(a.redact("Basic dXNlcjpwQHNzIHcicmQ=") == "Basic ***REDACTED***");
    CHECK(a.redact("the user is user") == "the user is user");
    CHECK(a.redact("") == "");

    // Longer secrets first: "abcdef" is not left as "***REDACTED***def".
    const NamedClient& b = *l.registry.find("b");
    CHECK(b.redact("abcdef abc abcabc") ==
          "***REDACTED*** ***REDACTED*** ***REDACTED******REDACTED***");

    const Value v(Object{
        {"list", Value(Array{Value("x abc y"), Value(3), Value(Array{Value("abc")})})},
        {"abc", Value(Object{{"inner", Value("Bearer abc")}, {"flag", Value(true)}})},
        {"n", Value(nullptr)},
    });
    const Value want(Object{
        {"list", Value(Array{Value("x ***REDACTED*** y"), Value(3),
                             Value(Array{Value("***REDACTED***")})})},
        {"***REDACTED***",
         Value(Object{{"inner", Value("Bearer ***REDACTED***")}, {"flag", Value(true)}})},
        {"n", Value(nullptr)},
    });
    CHECK(b.redact_value(v) == want);
    CHECK(b.redact_value(Value("abc")) == Value("***REDACTED***"));
    CHECK(b.redact_value(Value(12)) == Value(12));

    // A client without secrets changes nothing.
    NamedClient none;
    CHECK(none.redact_value(v) == v);
    CHECK(none.redact("abc") == "abc");

    // add_secret: empty values are ignored, each form once.
    NamedClient manual;
    manual.add_secret("");
    CHECK(manual.secrets().empty());
    manual.add_secret("a/b");
    manual.add_secret("a/b");
    CHECK(manual.secrets() == std::vector<std::string>{"a%2Fb", "a/b"});
  }

  TEST_CASE("named clients: policy adjustments") {
    NetworkPolicy command;
    command.allow_http = true;
    command.allow_private_ips = true;
    command.allowed_domains = {"example.org"};

    // Absent settings inherit the command's.
    NamedClient inherit;
    NetworkPolicy p = inherit.policy(command, true);
    CHECK(p.allow_http);
    CHECK_FALSE(p.allow_localhost);
    CHECK(p.allow_private_ips);
    CHECK_FALSE(p.allow_link_local);
    CHECK_FALSE(p.allow_cloud_metadata);
    CHECK(p.allowed_domains == std::vector<std::string>{"example.org"});
    CHECK(p.client_domains.empty());

    // false narrows, whatever the registry allows.
    NamedClient narrow;
    narrow.allow_http = false;
    narrow.allow_private_ips = false;
    for (bool widening : {true, false}) {
      p = narrow.policy(command, widening);
      CHECK_FALSE(p.allow_http);
      CHECK_FALSE(p.allow_private_ips);
    }

    // true widens only when the registry allows it.
    NamedClient wide;
    wide.allow_localhost = true;
    wide.allow_link_local = true;
    wide.allow_cloud_metadata = true;
    wide.allow_http = true;
    p = wide.policy(NetworkPolicy{}, true);
    CHECK(p.allow_localhost);
    CHECK(p.allow_link_local);
    CHECK(p.allow_cloud_metadata);
    CHECK(p.allow_http);
    CHECK_FALSE(p.allow_private_ips);
    p = wide.policy(NetworkPolicy{}, false);
    CHECK_FALSE(p.allow_localhost);
    CHECK_FALSE(p.allow_link_local);
    CHECK_FALSE(p.allow_cloud_metadata);
    CHECK_FALSE(p.allow_http);

    // The client's allowed_domains become a second list; the command's stays.
    NamedClient domains;
    domains.allowed_domains = {"api.example.org", "*.cdn.example.org"};
    p = domains.policy(command, true);
    CHECK(p.allowed_domains == std::vector<std::string>{"example.org"});
    CHECK(p.client_domains == std::vector<std::string>{"api.example.org", "*.cdn.example.org"});
  }

  TEST_CASE("named clients: registry") {
    ClientRegistry r;
    CHECK(r.size() == 0);
    CHECK(r.uids().empty());
    NamedClient a;
    a.uid = "a";
    a.base_url = "https://one.example";
    CHECK(r.add(a));
    a.base_url = "https://two.example";
    CHECK_FALSE(r.add(a));
    CHECK(r.size() == 1);
    CHECK(r.find("a")->base_url == "https://one.example");
    CHECK(r.find("A") == nullptr);
  }
}

TEST_SUITE("http") {
  TEST_CASE("named clients: secrets cannot inject headers and are redacted piecewise") {
    // A line break in any secret field is refused (it would start a new header).
    CHECK(problems("- {uid: a, auth: {type: bearer, token: {token: \"${env:T}\"}}}",
                   {{"T", "abc\r\nX-Injected: yes"}}) ==
          "1 invalid-value: auth.token.token must not contain a line break");
    CHECK(problems("- {uid: a, auth: {type: apikey, api_key: {key: \"X Key\", value: v, "
                   "location: header}}}") ==
          "1 invalid-value: api_key.key: invalid header name 'X Key'");
    // The value of every referenced variable is a secret on its own, even
    // inside a longer string.
    const Loaded l = read_yaml("- {uid: a, base_url: \"https://${env:HOST}/v1\"}",
                               {{"HOST", "internal.example.org"}});
    const NamedClient& c = only(l);
    CHECK(c.base_url == "https://internal.example.org/v1");
    CHECK(c.redact("domain not in allowlist: internal.example.org") ==
          "domain not in allowlist: ***REDACTED***");
  }

  TEST_CASE("named clients: negative integer durations and redaction in one pass") {
    CHECK(problems("- {uid: a, network: {timeout: -1}}") ==
          "1 invalid-value: network.timeout cannot be negative");
    NamedClient c;
    c.add_secret("RED");
    c.add_secret("ACT");
    // Replacements are not searched again for other secrets.
    CHECK(c.redact("xREDyACTz") == "x***REDACTED***y***REDACTED***z");
    CHECK(c.redact("nothing here") == "nothing here");
  }
}
