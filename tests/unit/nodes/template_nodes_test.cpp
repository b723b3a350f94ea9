// Templates (D12, D20): TextTemplate and ValueTemplate rendering, malformed
// placeholder detection, the http node's templated url, headers, body and
// query, and context constants given from outside the workflow (--set),
// which win over a context_constant node's values.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "node_test_util.h"
#include "run_test_util.h"
#include "thaiyyal/http/http_client.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/text_template.h"

using namespace thaiyyal;
using nodes::testing::Ran;

namespace {

Ran run(const std::string& json, engine::RunOptions opts = {}) {
  return nodes::testing::run_with({}, json, std::move(opts));
}

/// Records every request and answers 200 with an empty JSON object; applies
/// the network policy to the requested URL as a real client does.
class RecordingClient final : public http::HttpClient {
 public:
  http::Response send(const http::Request& request, const http::NetworkPolicy& policy) override {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(request);
    }
    std::string error;
    auto url = http::parse_url(request.url, &error);
    if (!url) throw http::HttpError(error);
    auto admission = http::admit(*url, policy, [](const std::string&) {
      return std::vector<http::IpAddress>{*http::parse_ip("93.184.216.34")};
    });
    if (admission.error) throw http::HttpError(*admission.error, /*blocked=*/true);
    http::Response res;
    res.status = 200;
    res.headers.emplace_back("content-type", "application/json");
    res.body = "{}";
    return res;
  }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<http::Request> requests_;
};

/// Runs an http node "h" with `data`, constants region=eu-west and
/// who="Ann Lee & co", and the recording client.
struct HttpRun {
  Ran ran;
  std::vector<http::Request> requests;
};
HttpRun run_http(std::string_view data) {
  auto client = std::make_shared<RecordingClient>();
  engine::RunOptions opts;
  opts.http = client;
  opts.constants.set("region", Value("eu-west"));
  opts.constants.set("who", Value("Ann Lee & co"));
  opts.constants.set("n", Value(2.5));
  HttpRun out;
  out.ran = run(fmt::format(R"({{"nodes": [{{"id": "h", "type": "http", "data": {}}}]}})", data),
                std::move(opts));
  out.requests = client->requests();
  return out;
}

const std::string* header(const http::Request& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("TextTemplate: placeholders are found as the regular expression finds them") {
    const nodes::TextTemplate t("{{{ const.a }}} {{variable.b}} {{ const.missing }} {{ other.c }}");
    REQUIRE(t.placeholders().size() == 3);
    CHECK(t.spelling(t.placeholders()[0]) == "{{ const.a }}");
    CHECK(t.placeholders()[0].begin == 1);
    CHECK(t.spelling(t.placeholders()[1]) == "{{variable.b}}");
    const Object constants{{"a", Value(1.5)}};
    const Object variables{{"b", Value(Object{{"k", Value(true)}})}};
    std::vector<const nodes::Placeholder*> missing;
    CHECK(t.render(&constants, &variables, &missing) ==
          R"({1.5} {"k":true} {{ const.missing }} {{ other.c }})");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0]->name == "missing");
  }

  TEST_CASE("ValueTemplate: strings at any depth and object keys, literals shared") {
    auto body = parse_json(
        R"({"a": ["{{ const.x }}", 1, {"{{ const.k }}": "{{ variable.v }}-{{ const.x }}"}], "b": "plain"})");
    std::vector<std::string> sites;
    const nodes::ValueTemplate t(
        body, [&](const std::vector<PathStep>& path, bool at_key, const nodes::TextTemplate& text) {
          sites.push_back(format_json_path(path) + (at_key ? " key " : " ") + text.text());
        });
    CHECK(sites == std::vector<std::string>{
                       R"($.a[0] {{ const.x }})", R"($.a[2]["{{ const.k }}"] key {{ const.k }})",
                       R"($.a[2]["{{ const.k }}"] {{ variable.v }}-{{ const.x }})"});
    CHECK(t.has_placeholders());
    const Object constants{{"x", Value("X")}, {"k", Value("key")}};
    const Object variables{{"v", Value(7)}};
    CHECK(to_json(t.render(&constants, &variables)) ==
          R"({"a":["X",1,{"key":"7-X"}],"b":"plain"})");

    const nodes::ValueTemplate none(parse_json(R"({"a": [1, "b"]})"));
    CHECK_FALSE(none.has_placeholders());

    const nodes::ValueTemplate clash(parse_json(R"({"a": 1, "{{ const.k }}": 2})"));
    const Object k_is_a{{"k", Value("a")}};
    CHECK_THROWS_WITH_AS(clash.render(&k_is_a, nullptr),
                         R"(object key "{{ const.k }}" renders to "a", which is already a key)",
                         nodes::TemplateError);
  }

  TEST_CASE("malformed_placeholders: spans and reasons; valid placeholders are not listed") {
    auto issues = nodes::malformed_placeholders("ok {{ const.a }} {{ cnst.b }} {{ const.c");
    REQUIRE(issues.size() == 2);
    CHECK(issues[0].begin == 17);
    CHECK(issues[0].end == 29);
    CHECK(issues[0].reason == "unknown namespace 'cnst'");
    CHECK(issues[1].begin == 30);
    CHECK(issues[1].end == 40);  // the end of the text
    CHECK(issues[1].reason == "the placeholder is not closed with '}}'");
    CHECK(nodes::malformed_placeholders("no braces { here }").empty());
    CHECK(nodes::malformed_placeholders("{{{ const.a }}}").empty());
  }

  TEST_CASE("http: url, headers, every string of an object body and the query are templated") {
    auto r = run_http(R"({
        "url": "https://api.example.org/{{ const.region }}/items?page=1#top",
        "method": "POST",
        "headers": {"X-Who": "{{ const.who }}"},
        "body": {"user": {"name": "{{ const.who }}", "tags": ["{{ const.region }}", 3]},
                 "{{ const.region }}": true, "n": "{{ const.n }}"},
        "query": {"who": "{{ const.who }}", "size": 20, "flag": false, "skip": null,
                  "raw": "a/b?c=d"}})");
    REQUIRE(r.ran.ok());
    REQUIRE(r.requests.size() == 1);
    const auto& req = r.requests[0];
    CHECK(req.url ==
          "https://api.example.org/eu-west/items?page=1&who=Ann%20Lee%20%26%20co&size=20&"
          "flag=false&raw=a%2Fb%3Fc%3Dd#top");
    REQUIRE(header(req, "X-Who"));
    CHECK(*header(req, "X-Who") == "Ann Lee & co");
    CHECK(req.body ==
          R"({"user":{"name":"Ann Lee & co","tags":["eu-west",3]},"eu-west":true,"n":"2.5"})");
    REQUIRE(header(req, "Content-Type"));
    CHECK(*header(req, "Content-Type") == "application/json");
  }

  TEST_CASE("http: a query on a URL without one, and a string body") {
    auto r = run_http(R"({"url": "https://api.example.org/x", "method": "PUT",
                          "body": "region={{ const.region }}", "query": {"q": "ü"}})");
    REQUIRE(r.ran.ok());
    REQUIRE(r.requests.size() == 1);
    CHECK(r.requests[0].url == "https://api.example.org/x?q=%C3%BC");
    CHECK(r.requests[0].body == "region=eu-west");
  }

  TEST_CASE("http: the network policy checks the URL after templating") {
    auto client = std::make_shared<RecordingClient>();
    engine::RunOptions opts;
    opts.http = client;
    opts.constants.set("base", Value("http://api.example.org"));
    auto r = run(R"({"nodes": [{"id": "h", "type": "http",
                                "data": {"url": "{{ const.base }}/x", "query": {"a": "1"}}}]})",
                 std::move(opts));
    CHECK_FALSE(r.ok());
    REQUIRE(client->requests().size() == 1);
    CHECK(client->requests()[0].url == "http://api.example.org/x?a=1");
    CHECK(r.error() ==
          "error executing node h: URL scheme not allowed: http (allowed: https; use "
          "--allow-http to permit http)");
  }

  TEST_CASE("http: body keys that render alike fail the node") {
    auto r = run_http(R"({"url": "https://api.example.org/", "method": "POST",
                          "body": {"eu-west": 1, "{{ const.region }}": 2}})");
    CHECK_FALSE(r.ran.ok());
    CHECK(
        r.ran.error() ==
        R"(error executing node h: body: object key "{{ const.region }}" renders to "eu-west", which is already a key)");
  }

  TEST_CASE("http: query must be an object of strings, numbers or booleans") {
    auto c = nodes::testing::check_node(
        "http", R"({"url": "https://a.example/", "query": {"a": [1], "": "x"}})");
    CHECK(c.errors() == nodes::testing::expected("http", {"query.a must be a string, got array",
                                                          "query: a parameter name must not be "
                                                          "empty"}));
    auto wrong =
        nodes::testing::check_node("http", R"({"url": "https://a.example/", "query": "a=1"})");
    CHECK(wrong.errors() ==
          nodes::testing::expected("http", {"query must be an object, got string"}));
  }

  TEST_CASE("--set wins over a context_constant of the same name, converted to its type") {
    const std::string flow = R"({"nodes": [
        {"id": "cfg", "type": "context_constant", "data": {"context_values": [
            {"name": "region", "value": "eu", "type": "string"},
            {"name": "limit", "value": "25", "type": "number"},
            {"name": "keep", "value": "file", "type": "string"}]}},
        {"id": "t", "type": "text_input", "data": {"text": "{{ const.region }} {{ const.limit }} {{ const.keep }}"}},
        {"id": "e", "type": "expression", "data": {"expression": "[context.region, context.limit + 1]"}}],
      "edges": [{"source": "t", "target": "e"}]})";
    engine::RunOptions opts;
    opts.constants.set("region", Value("us"));
    opts.constants.set("limit", Value("30"));  // converted like the document's "25"
    auto r = run(flow, opts);
    REQUIRE(r.ok());
    // The node's result shows the values in effect.
    CHECK(r.of("cfg") ==
          R"({"type":"const","constants":{"region":"us","limit":30,"keep":"file"}})");
    CHECK(r.of("t") == R"("us 30 file")");
    CHECK(r.of("e") == R"(["us",31])");
    CHECK(r.warnings.empty());

    engine::RunOptions bad;
    bad.constants.set("limit", Value("lots"));
    auto failed = run(flow, bad);
    CHECK_FALSE(failed.ok());
    CHECK(failed.error() ==
          "error executing node cfg: context_constant node: error converting limit (number): "
          "cannot convert \"lots\" to number: not a number (the value given with --set)");
  }

  TEST_CASE("--set wins over the legacy context_name/context_value form too") {
    engine::RunOptions opts;
    opts.constants.set("mode", Value("fast"));
    auto r = run(R"({"nodes": [
        {"id": "cfg", "type": "context_constant", "data": {"context_name": "mode", "context_value": "slow"}},
        {"id": "t", "type": "text_input", "data": {"text": "{{ const.mode }}"}}]})",
                 opts);
    REQUIRE(r.ok());
    CHECK(r.of("cfg") == R"({"type":"const","name":"mode","value":"fast"})");
    CHECK(r.of("t") == R"("fast")");
  }

  TEST_CASE("a placeholder still undefined when its node runs is left as written, with a warning") {
    // Orphans run in id order: "a" runs before the context node "z".
    auto r = run(R"({"nodes": [
        {"id": "z", "type": "context_constant", "data": {"context_values": [
            {"name": "who", "value": "world", "type": "string"}]}},
        {"id": "a", "type": "text_input", "data": {"text": "hi {{ const.who }}"}}]})");
    REQUIRE(r.ok());
    CHECK(r.of("a") == R"("hi {{ const.who }}")");
    CHECK(r.warnings == std::vector<std::string>{
                            "a: {{ const.who }} is left as written: no context constant 'who' is "
                            "defined when this node runs"});
  }
}
