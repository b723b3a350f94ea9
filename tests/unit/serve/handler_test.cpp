#include "thaiyyal/serve/handler.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "thaiyyal/model/value_json.h"
#include "thaiyyal/serve/server.h"

using namespace thaiyyal;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSum =
    R"({"workflow_id":"wf-1","nodes":[{"id":"1","data":{"value":10}},{"id":"2","data":{"value":5}},)"
    R"({"id":"3","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},)"
    R"({"source":"2","target":"3"}]})";

serve::Request post(std::string path, std::string body, serve::Headers headers = {}) {
  return serve::Request{"POST", std::move(path), std::move(headers), std::move(body)};
}

serve::Request get(std::string path) { return serve::Request{"GET", std::move(path), {}, {}}; }

Value body_of(const serve::Response& r) {
  REQUIRE(r.header("Content-Type"));
  CHECK(*r.header("Content-Type") == "application/json");
  REQUIRE(!r.body.empty());
  CHECK(r.body.back() == '\n');
  return parse_json(r.body);
}

std::string text(const Value& v, std::string_view key) {
  const Value* found = v.find(key);
  REQUIRE_MESSAGE(found, "missing key ", std::string(key));
  REQUIRE(found->is_string());
  return found->as_string();
}

/// Checks the error envelope's fixed keys, in order, and returns the body.
Value envelope(const serve::Response& r, int status, std::string_view code) {
  CHECK(r.status == status);
  const Value body = body_of(r);
  REQUIRE(body.is_object());
  const auto& entries = body.as_object().entries();
  REQUIRE(entries.size() >= 5);
  CHECK(entries[0].first == "success");
  CHECK(entries[1].first == "error");
  CHECK(entries[2].first == "details");
  CHECK(entries[3].first == "code");
  CHECK(entries[4].first == "request_id");
  CHECK(*body.find("success") == Value(false));
  CHECK(text(body, "code") == code);
  REQUIRE(r.header("X-Request-ID"));
  CHECK(text(body, "request_id") == *r.header("X-Request-ID"));
  return body;
}

}  // namespace

TEST_SUITE("serve.handler") {
  TEST_CASE("execute runs the workflow and answers the reference's shape") {
    serve::Handler h({});
    const auto r = h.handle(post("/api/v1/workflow/execute", kSum));
    CHECK(r.status == 200);
    const Value body = body_of(r);
    const auto& entries = body.as_object().entries();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].first == "execution_time");
    CHECK(entries[1].first == "results");
    CHECK(entries[2].first == "success");
    CHECK(*body.find("success") == Value(true));
    const Value& results = *body.find("results");
    CHECK(text(results, "workflow_id") == "wf-1");
    CHECK(text(results, "execution_id").size() == 16);
    CHECK(to_json(*results.find("node_results")) == R"({"1":10,"2":5,"3":15})");
    CHECK(*results.find("final_output") == Value(15));
    CHECK(text(results, "status") == "succeeded");
    CHECK(results.find("errors") == nullptr);
    CHECK(text(body, "execution_time").find("s") != std::string::npos);
    CHECK(*r.header("X-Content-Type-Options") == "nosniff");
  }

  TEST_CASE("a YAML body runs when the Content-Type says YAML") {
    serve::Handler h({});
    const auto r = h.handle(post("/api/v1/workflow/execute",
                                 "nodes:\n  - id: a\n    data: {value: 4}\nedges: []\n",
                                 {{"content-type", "application/yaml; charset=utf-8"}}));
    CHECK(r.status == 200);
    CHECK(*body_of(r).find("results")->find("final_output") == Value(4));
  }

  TEST_CASE("YAML text sent as JSON is a JSON syntax error") {
    serve::Handler h({});
    const auto r = h.handle(
        post("/api/v1/workflow/execute", "nodes: []\n", {{"Content-Type", "application/json"}}));
    const Value body = envelope(r, 400, "INVALID_JSON");
    CHECK(text(body, "error") == "The request body is not valid JSON");
    CHECK(text(body, "details").rfind("<request>:1:1: failed to parse payload: ", 0) == 0);
  }

  TEST_CASE("bad JSON is 400 INVALID_JSON with the position") {
    serve::Handler h({});
    const auto r = h.handle(post("/api/v1/workflow/execute", R"({"nodes": [)"));
    const Value body = envelope(r, 400, "INVALID_JSON");
    CHECK(text(body, "details") ==
          "<request>:1:12: failed to parse payload: unexpected end of JSON input");
    const Value& diags = *body.find("diagnostics");
    REQUIRE(diags.as_array().size() == 1);
    CHECK(text(diags.as_array()[0], "code") == "json-syntax");
    CHECK(*diags.as_array()[0].find("line") == Value(1));
    CHECK(*diags.as_array()[0].find("column") == Value(12));
  }

  TEST_CASE("bad YAML is 400 INVALID_YAML") {
    serve::Handler h({});
    const auto r =
        h.handle(post("/api/v1/workflow/execute", "nodes: [\n", {{"Content-Type", "text/yaml"}}));
    const Value body = envelope(r, 400, "INVALID_YAML");
    CHECK(text(body, "error") == "The request body is not valid YAML");
    CHECK(text(body, "details") ==
          "<request>:2:1: failed to parse payload: invalid YAML: end of sequence flow not found");
  }

  TEST_CASE("an invalid workflow is 400 WORKFLOW_INVALID with its diagnostics") {
    serve::Handler h({});
    const auto r = h.handle(post("/api/v1/workflow/execute",
                                 R"({"nodes":[{"id":"1","type":"numbr","data":{"value":1}}]})"));
    const Value body = envelope(r, 400, "WORKFLOW_INVALID");
    CHECK(text(body, "error") == "The workflow is invalid");
    CHECK(text(body, "details") == "<request>:1:28: unknown node type 'numbr'");
    const Value& d = body.find("diagnostics")->as_array().at(0);
    CHECK(text(d, "code") == "unknown-kind");
    CHECK(text(d, "node_id") == "1");
    CHECK(to_json(*d.find("notes")) == R"(["did you mean 'number'?"])");
  }

  TEST_CASE("a failed run is 500 EXECUTION_FAILED with the partial results") {
    serve::Handler h({});
    const auto r =
        h.handle(post("/api/v1/workflow/execute",
                      R"({"nodes":[{"id":"1","data":{"value":10}},{"id":"2","data":{"value":0}},)"
                      R"({"id":"3","data":{"op":"divide"}}],"edges":[{"source":"1","target":"3"},)"
                      R"({"source":"2","target":"3"}]})"));
    const Value body = envelope(r, 500, "EXECUTION_FAILED");
    CHECK(text(body, "error") == "Workflow execution failed");
    CHECK(text(body, "details") == "error executing node 3: division by zero");
    const Value& results = *body.find("results");
    CHECK(to_json(*results.find("node_results")) == R"({"1":10,"2":0})");
    CHECK(to_json(*results.find("errors")) == R"(["error executing node 3: division by zero"])");
    CHECK(text(results, "status") == "failed");
  }

  TEST_CASE("the run limits apply") {
    serve::HandlerOptions o;
    o.limits.max_node_executions = 2;
    serve::Handler h(o);
    const auto r = h.handle(post("/api/v1/workflow/execute", kSum));
    const Value body = envelope(r, 500, "LIMIT_EXCEEDED");
    CHECK(text(body, "details") ==
          "error executing node 3: maximum node executions exceeded: 3 (limit: 2)");
  }

  TEST_CASE("validate lists diagnostics; a valid workflow is {valid: true}") {
    serve::Handler h({});
    auto r = h.handle(post("/api/v1/workflow/validate", kSum));
    CHECK(r.status == 200);
    CHECK(to_json(body_of(r)) == R"({"valid":true,"nodes":3,"edges":2,"diagnostics":[]})");

    r = h.handle(post("/api/v1/workflow/validate",
                      R"({"nodes":[{"id":"a","data":{"value":1}},{"id":"a","data":{"value":2}}],)"
                      R"("edges":[{"source":"a","target":"zz"}]})"));
    CHECK(r.status == 200);
    const Value body = body_of(r);
    CHECK(*body.find("valid") == Value(false));
    const auto& errors = body.find("errors")->as_array();
    REQUIRE(errors.size() >= 2);
    CHECK(*body.find("error") == errors[0]);
    const auto& diags = body.find("diagnostics")->as_array();
    REQUIRE(diags.size() >= 2);
    std::string codes;
    for (const auto& d : diags) codes += text(d, "code") + " ";
    CHECK(codes.find("duplicate-id") != std::string::npos);
    CHECK(codes.find("unknown-node") != std::string::npos);
  }

  TEST_CASE("validate reports a syntax error as invalid, with status 200") {
    serve::Handler h({});
    const auto r = h.handle(post("/api/v1/workflow/validate", "{"));
    CHECK(r.status == 200);
    const Value body = body_of(r);
    CHECK(*body.find("valid") == Value(false));
    CHECK(text(body, "error").rfind("<request>:1:2: failed to parse payload:", 0) == 0);
    CHECK(text(body.find("diagnostics")->as_array().at(0), "code") == "json-syntax");
  }

  TEST_CASE("unknown routes are JSON 404 with a did-you-mean") {
    serve::Handler h({});
    auto r = h.handle(post("/api/v1/workflow/execut", kSum));
    Value body = envelope(r, 404, "NOT_FOUND");
    CHECK(text(body, "error") == "Not found");
    CHECK(text(body, "details") ==
          "no route matches /api/v1/workflow/execut (did you mean /api/v1/workflow/execute?)");
    r = h.handle(get("/"));
    body = envelope(r, 404, "NOT_FOUND");
    CHECK(text(body, "details") == "no route matches /");
  }

  TEST_CASE("a wrong method is 405 with Allow") {
    serve::Handler h({});
    auto r = h.handle(get("/api/v1/workflow/execute"));
    const Value body = envelope(r, 405, "METHOD_NOT_ALLOWED");
    CHECK(text(body, "details") == "GET is not allowed on /api/v1/workflow/execute; use POST");
    REQUIRE(r.header("Allow"));
    CHECK(*r.header("Allow") == "POST, OPTIONS");

    r = h.handle(post("/version", ""));
    envelope(r, 405, "METHOD_NOT_ALLOWED");
    CHECK(*r.header("Allow") == "GET, HEAD, OPTIONS");

    r = h.handle(serve::Request{"OPTIONS", "/api/v1/workflow/validate", {}, {}});
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    CHECK(*r.header("Allow") == "POST, OPTIONS");
  }

  TEST_CASE("a body over the limit is 413 BODY_TOO_LARGE") {
    serve::HandlerOptions o;
    o.max_body_bytes = 100;
    serve::Handler h(o);
    const auto r = h.handle(post("/api/v1/workflow/execute", kSum));
    const Value body = envelope(r, 413, "BODY_TOO_LARGE");
    CHECK(text(body, "error") == "Request body too large");
    CHECK(text(body, "details") == "the body is " + std::to_string(std::string(kSum).size()) +
                                       " bytes; the limit is 100 bytes");
  }

  TEST_CASE("a workflow over the payload limit is 413 too") {
    serve::HandlerOptions o;
    o.limits.max_payload_size = 50;
    serve::Handler h(o);
    const Value body =
        envelope(h.handle(post("/api/v1/workflow/execute", kSum)), 413, "BODY_TOO_LARGE");
    CHECK(text(body, "error") == "Workflow too large");
    CHECK(text(body, "details").rfind("payload too large: ", 0) == 0);
  }

  TEST_CASE("X-Request-ID is echoed when sensible, generated otherwise") {
    serve::Handler h({});
    auto r = h.handle(post("/api/v1/workflow/execute", "[", {{"x-request-id", "req-42.a"}}));
    CHECK(*r.header("X-Request-ID") == "req-42.a");
    CHECK(text(envelope(r, 400, "INVALID_JSON"), "request_id") == "req-42.a");

    r = h.handle(post("/nowhere", "", {{"X-Request-ID", "bad id\r\nx: y"}}));
    const std::string generated = *r.header("X-Request-ID");
    CHECK(generated.size() == 16);
    CHECK(text(envelope(r, 404, "NOT_FOUND"), "request_id") == generated);

    r = h.handle(get("/health/live"));
    CHECK(r.header("X-Request-ID")->size() == 16);
  }

  TEST_CASE("health routes") {
    serve::HandlerOptions o;
    o.version = "9.8.7";
    serve::Handler h(o);
    auto r = h.handle(get("/health"));
    CHECK(r.status == 200);
    Value body = body_of(r);
    std::string keys;
    for (const auto& [k, v] : body.as_object()) keys += k + " ";
    CHECK(keys == "status service_name service_version uptime timestamp checks ");
    CHECK(text(body, "status") == "healthy");
    CHECK(text(body, "service_name") == "thaiyyal-workflow-engine");
    CHECK(text(body, "service_version") == "9.8.7");
    CHECK(text(body, "timestamp").size() == 24);  // 2024-01-15T10:30:00.000Z
    CHECK(text(*body.find("checks")->find("engine"), "status") == "healthy");

    r = h.handle(serve::Request{"POST", "/health/live?probe=1", {}, {}});
    CHECK(r.status == 200);
    body = body_of(r);
    CHECK(body.find("checks") == nullptr);
    CHECK(text(body, "status") == "healthy");

    r = h.handle(get("/health/ready"));
    CHECK(r.status == 200);
    CHECK(text(*body_of(r).find("checks")->find("executions"), "status") == "healthy");

    h.start_draining();
    r = h.handle(get("/health/ready"));
    CHECK(r.status == 503);
    body = body_of(r);
    CHECK(text(body, "status") == "unhealthy");
    CHECK(text(*body.find("checks")->find("executions"), "error") == "the server is shutting down");
    CHECK(h.handle(get("/health/live")).status == 200);
    // No new executions while draining.
    const Value refused =
        envelope(h.handle(post("/api/v1/workflow/execute", kSum)), 503, "UNAVAILABLE");
    CHECK(text(refused, "error") == "Server shutting down");
  }

  TEST_CASE("version") {
    serve::HandlerOptions o;
    o.version = "1.2.3";
    serve::Handler h(o);
    const auto r = h.handle(get("/version"));
    CHECK(r.status == 200);
    CHECK(to_json(body_of(r)) ==
          R"({"service_name":"thaiyyal-workflow-engine","version":"1.2.3","result_version":1})");
  }

  TEST_CASE("executions over the slot limit get 429 with Retry-After; cancel stops runs") {
    serve::HandlerOptions o;
    o.max_concurrent_executions = 1;
    o.limits.max_execution_time = std::chrono::milliseconds(0);
    serve::Handler h(o);
    const std::string slow =
        R"({"nodes":[{"id":"a","data":{"value":1}},{"id":"d","type":"delay","data":{"duration":"20s"}}],)"
        R"("edges":[{"source":"a","target":"d"}]})";
    serve::Response first;
    std::thread runner([&] { first = h.handle(post("/api/v1/workflow/execute", slow)); });
    for (int i = 0; i < 2000 && h.running() == 0; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(h.running() == 1);
    const auto busy = h.handle(post("/api/v1/workflow/execute", kSum));
    const Value body = envelope(busy, 429, "OVERLOADED");
    CHECK(text(body, "details") == "all 1 execution slots are busy; retry later");
    CHECK(*busy.header("Retry-After") == "1");
    CHECK(h.handle(get("/health/ready")).status == 503);

    CHECK_FALSE(h.wait_idle(10ms));
    const auto started = std::chrono::steady_clock::now();
    h.cancel_running();
    runner.join();
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(h.wait_idle(10ms));
    const Value cancelled = envelope(first, 503, "EXECUTION_CANCELLED");
    CHECK(text(*cancelled.find("results"), "status") == "cancelled");
    CHECK(to_json(*cancelled.find("results")->find("node_results")) == R"({"a":1})");
  }

  TEST_CASE("a bearer token guards /api/*; health stays open; /metrics with auth_metrics") {
    serve::HandlerOptions o;
    o.auth_token = "s3cret-token-0123456789";
    o.metrics = std::make_shared<metrics::Metrics>(metrics::MetricsOptions{"1.0", "abc", false});
    serve::Handler h(o);
    const auto missing = h.handle(post("/api/v1/workflow/execute", kSum));
    const Value body = envelope(missing, 401, "UNAUTHORIZED");
    CHECK(text(body, "details") == "this route needs an Authorization: Bearer token");
    CHECK(*missing.header("WWW-Authenticate") == "Bearer realm=\"thaiyyal\"");
    const auto wrong = h.handle(post("/api/v1/workflow/execute", kSum,
                                     {{"Authorization", "Bearer s3cret-token-0123456788"}}));
    CHECK(text(envelope(wrong, 401, "UNAUTHORIZED"), "details") == "the bearer token is not valid");
    const auto shorter =
        h.handle(post("/api/v1/workflow/execute", kSum, {{"Authorization", "Bearer s3cret"}}));
    CHECK(shorter.status == 401);
    const auto basic = h.handle(post("/api/v1/workflow/execute", kSum,
                                     {{"Authorization", "Basic s3cret-token-0123456789"}}));
    CHECK(basic.status == 401);
    const auto ok = h.handle(post("/api/v1/workflow/execute", kSum,
                                  {{"authorization", "bearer  s3cret-token-0123456789 "}}));
    CHECK(ok.status == 200);
    CHECK(h.handle(get("/health/live")).status == 200);
    CHECK(h.handle(get("/health/ready")).status == 200);
    CHECK(h.handle(get("/metrics")).status == 200);
    o.auth_metrics = true;
    serve::Handler strict(o);
    CHECK(strict.handle(get("/metrics")).status == 401);
    CHECK(strict.handle(get("/health")).status == 200);
  }

  TEST_CASE("CORS is off by default and answers allowed origins when on") {
    serve::Request preflight{
        "OPTIONS",
        "/api/v1/workflow/execute",
        {{"Origin", "https://a.example"}, {"Access-Control-Request-Method", "POST"}},
        {}};
    serve::Handler off({});
    const auto none = off.handle(preflight);
    CHECK_FALSE(none.header("Access-Control-Allow-Origin"));
    CHECK_FALSE(
        off.handle(post("/api/v1/workflow/execute", kSum, {{"Origin", "https://a.example"}}))
            .header("Access-Control-Allow-Origin"));

    serve::HandlerOptions o;
    o.cors_origins = {"https://a.example"};
    o.auth_token = "s3cret-token-0123456789";
    serve::Handler on(o);
    const auto pre = on.handle(preflight);  // no credentials needed
    CHECK(pre.status == 204);
    REQUIRE(pre.header("Access-Control-Allow-Origin"));
    CHECK(*pre.header("Access-Control-Allow-Origin") == "https://a.example");
    CHECK(*pre.header("Vary") == "Origin");
    CHECK(pre.header("Access-Control-Allow-Headers")->find("Authorization") != std::string::npos);
    preflight.headers[0].second = "https://evil.example";
    const auto other = on.handle(preflight);
    CHECK_FALSE(other.header("Access-Control-Allow-Origin"));
    const auto call = on.handle(post(
        "/api/v1/workflow/execute", kSum,
        {{"Origin", "https://a.example"}, {"Authorization", "Bearer s3cret-token-0123456789"}}));
    CHECK(call.status == 200);
    CHECK(*call.header("Access-Control-Allow-Origin") == "https://a.example");
  }

  TEST_CASE("metrics: /metrics serves the text format and counts runs and requests once") {
    serve::HandlerOptions o;
    o.metrics = std::make_shared<metrics::Metrics>(metrics::MetricsOptions{"1.0", "abc", false});
    std::vector<std::string> access;
    o.log_access = [&](const serve::AccessRecord& r) {
      access.push_back(std::string(r.method) + " " + std::string(r.route) + " " +
                       std::to_string(r.status) + " " + std::string(r.request_id));
    };
    serve::Handler h(o);
    CHECK(h.handle(post("/api/v1/workflow/execute", kSum, {{"X-Request-ID", "req-1"}})).status ==
          200);
    CHECK(h.handle(get("/nope/123")).status == 404);
    const auto m = h.handle(get("/metrics"));
    CHECK(m.status == 200);
    CHECK(*m.header("Content-Type") == metrics::kTextContentType);
    CHECK(m.body.find("workflow_executions_total{trigger=\"inline\"} 1\n") != std::string::npos);
    CHECK(m.body.find("node_executions_total{node_type=\"number\"} 2\n") != std::string::npos);
    CHECK(
        m.body.find(
            R"(thaiyyal_http_requests_total{code="200",method="POST",route="/api/v1/workflow/execute"} 1)") !=
        std::string::npos);
    // The raw path of an unknown route never becomes a label.
    CHECK(m.body.find("/nope/123") == std::string::npos);
    CHECK(m.body.find(R"(route="unmatched")") != std::string::npos);
    REQUIRE(access.size() == 3);
    CHECK(access[0] == "POST /api/v1/workflow/execute 200 req-1");
    CHECK(access[1].rfind("GET unmatched 404 ", 0) == 0);

    o.metrics_route = false;
    serve::Handler api_only(o);
    CHECK(api_only.handle(get("/metrics")).status == 404);
    o.metrics_route = true;
    o.routes = serve::RouteSet::Admin;
    serve::Handler admin(o);
    CHECK(admin.handle(get("/metrics")).status == 200);
    CHECK(admin.handle(get("/health/ready")).status == 200);
    CHECK(admin.handle(post("/api/v1/workflow/execute", kSum)).status == 404);
  }

  TEST_CASE("a client that goes away cancels its run") {
    serve::HandlerOptions o;
    o.limits.max_execution_time = std::chrono::milliseconds(0);
    serve::Handler h(o);
    const std::string slow =
        R"({"nodes":[{"id":"a","data":{"value":1}},{"id":"d","type":"delay","data":{"duration":"20s"}}],)"
        R"("edges":[{"source":"a","target":"d"}]})";
    std::atomic<bool> gone{false};
    serve::Request r = post("/api/v1/workflow/execute", slow);
    r.client_gone = [&] { return gone.load(); };
    serve::Response answer;
    std::thread runner([&] { answer = h.handle(r); });
    for (int i = 0; i < 2000 && h.running() == 0; ++i) std::this_thread::sleep_for(1ms);
    REQUIRE(h.running() == 1);
    const auto started = std::chrono::steady_clock::now();
    gone = true;
    runner.join();
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    const Value body = envelope(answer, 503, "EXECUTION_CANCELLED");
    CHECK(text(body, "error") == "Workflow execution cancelled (the client closed the connection)");
  }

  TEST_CASE("refused requests use the envelope") {
    serve::Handler h({});
    const auto r = h.refused(post("/api/v1/workflow/execute", ""), 413, "the limit is 5 bytes");
    const Value body = envelope(r, 413, "BODY_TOO_LARGE");
    CHECK(text(body, "details") == "the limit is 5 bytes");
  }
}

TEST_SUITE("serve.address") {
  TEST_CASE("listen addresses") {
    auto a = serve::parse_listen_address(":8080");
    REQUIRE(a);
    CHECK(a->host == "0.0.0.0");
    CHECK(a->port == 8080);
    a = serve::parse_listen_address("127.0.0.1:0");
    REQUIRE(a);
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 0);
    a = serve::parse_listen_address("[::1]:9000");
    REQUIRE(a);
    CHECK(a->host == "::1");
    std::string error;
    CHECK_FALSE(serve::parse_listen_address("8080", &error));
    CHECK(error == "'8080' is not an address: expected HOST:PORT or :PORT");
    CHECK_FALSE(serve::parse_listen_address("localhost:70000", &error));
    CHECK(error == "'localhost:70000': the port must be a number from 0 to 65535");
    CHECK_FALSE(serve::parse_listen_address("::1:80", &error));
    CHECK(error == "'::1:80': write an IPv6 host in brackets, e.g. [::1]:8080");
  }
}
