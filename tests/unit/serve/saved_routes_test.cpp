// The saved-workflow and history routes of serve::Handler over a real
// SQLite store (in memory).
#include <doctest/doctest.h>

#include <string>

#include "thaiyyal/metrics/metrics.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/serve/handler.h"
#include "thaiyyal/store/store.h"

using namespace thaiyyal;

namespace {

constexpr const char* kSum =
    R"({"nodes":[{"id":"1","data":{"value":10}},{"id":"2","data":{"value":5}},)"
    R"({"id":"3","data":{"op":"add"}}],"edges":[{"source":"1","target":"3"},)"
    R"({"source":"2","target":"3"}]})";

serve::Request req(std::string method, std::string path, std::string body = {}) {
  return serve::Request{std::move(method), std::move(path), {}, std::move(body)};
}

struct Fixture {
  std::shared_ptr<store::Store> st = store::open_sqlite(":memory:");
  serve::Handler handler{[this] {
    serve::HandlerOptions o;
    o.store = st;
    o.max_saved_workflows = 3;
    return o;
  }()};

  Value call(const std::string& method, const std::string& path, const std::string& body,
             int status) {
    const serve::Response r = handler.handle(req(method, path, body));
    CHECK_MESSAGE(r.status == status, method, " ", path, " -> ", r.body);
    return parse_json(r.body);
  }
  std::string save(const std::string& extra = "") {
    const Value v = call("POST", "/api/v1/workflow/save",
                         std::string(R"({"name":"sum",)") + extra + R"("data":)" + kSum + "}", 201);
    return v.find("id")->as_string();
  }
};

std::string str(const Value& v, std::string_view key) {
  const Value* f = v.find(key);
  REQUIRE_MESSAGE(f, "missing ", std::string(key));
  return f->is_string() ? f->as_string() : to_json(*f);
}

}  // namespace

TEST_CASE("saved workflows: save, list, load, update, versions, execute, delete") {
  Fixture f;
  const std::string id = f.save(R"("description":"adds",)");
  CHECK(id.size() == 36);
  CHECK(id[14] == '4');

  Value list = f.call("GET", "/api/v1/workflow/list", "", 200);
  CHECK(str(list, "count") == "1");
  const Value& first = list.find("workflows")->as_array().at(0);
  CHECK(str(first, "id") == id);
  CHECK(str(first, "description") == "adds");
  CHECK(first.find("data") == nullptr);

  Value loaded = f.call("GET", "/api/v1/workflow/load/" + id, "", 200);
  CHECK(to_json(*loaded.find("workflow")->find("data")) == to_json(parse_json(kSum)));

  std::string v2 = kSum;
  v2.replace(v2.find("10"), 2, "90");
  Value updated =
      f.call("PUT", "/api/v1/workflow/" + id, std::string(R"({"data":)") + v2 + "}", 200);
  CHECK(str(updated, "version") == "2");
  Value versions = f.call("GET", "/api/v1/workflow/" + id + "/versions", "", 200);
  CHECK(str(versions, "count") == "2");
  Value one = f.call("GET", "/api/v1/workflow/" + id + "/versions/1", "", 200);
  CHECK(to_json(*one.find("workflow")->find("data")) == to_json(parse_json(kSum)));
  f.call("GET", "/api/v1/workflow/" + id + "/versions/3", "", 404);
  f.call("GET", "/api/v1/workflow/" + id + "/versions/zero", "", 400);

  Value run = f.call("POST", "/api/v1/workflow/execute/" + id, "", 200);
  CHECK(str(*run.find("results"), "final_output") == "95");
  CHECK(str(run, "workflow_id") == id);
  CHECK(str(run, "workflow_name") == "sum");
  Value old = f.call("POST", "/api/v1/workflow/execute/" + id + "?version=1", "", 200);
  CHECK(str(*old.find("results"), "final_output") == "15");

  Value gone = f.call("DELETE", "/api/v1/workflow/delete/" + id, "", 200);
  CHECK(str(gone, "message") == "Workflow deleted successfully");
  Value missing = f.call("GET", "/api/v1/workflow/load/" + id, "", 404);
  CHECK(str(missing, "error") == "workflow with ID " + id + " not found");
  CHECK(str(missing, "code") == "NOT_FOUND");
}

TEST_CASE("saved workflows: errors") {
  Fixture f;
  f.save(R"("id":"flow-1",)");
  Value conflict = f.call("POST", "/api/v1/workflow/save",
                          std::string(R"({"id":"flow-1","name":"x","data":)") + kSum + "}", 409);
  CHECK(str(conflict, "code") == "CONFLICT");
  CHECK(str(conflict, "details") == "workflow with ID flow-1 already exists");
  Value bad_id = f.call("POST", "/api/v1/workflow/save",
                        std::string(R"({"id":"list","name":"x","data":)") + kSum + "}", 400);
  CHECK(str(bad_id, "details") == "\"list\" is a route name and cannot be an id");
  Value invalid = f.call("POST", "/api/v1/workflow/save",
                         R"({"name":"x","data":{"nodes":[{"id":"a","type":"nope"}]}})", 400);
  CHECK(str(invalid, "code") == "WORKFLOW_INVALID");
  CHECK(!invalid.find("diagnostics")->as_array().empty());
  Value no_name = f.call("POST", "/api/v1/workflow/save", R"({"data":{}})", 400);
  CHECK(str(no_name, "error") == "Failed to save workflow: workflow name is required");
  Value no_data = f.call("POST", "/api/v1/workflow/save", R"({"name":"x"})", 400);
  CHECK(str(no_data, "error") == "Failed to save workflow: workflow data is required");
  f.call("POST", "/api/v1/workflow/save", "[1", 400);
  Value blank = f.call("GET", "/api/v1/workflow/load/", "", 400);
  CHECK(str(blank, "error") == "Workflow ID is required");
  Value exec404 = f.call("POST", "/api/v1/workflow/execute/nope", "", 404);
  CHECK(str(exec404, "error") == "Failed to load workflow");
  CHECK(str(exec404, "details") == "workflow with ID nope not found");
  f.call("DELETE", "/api/v1/workflow/delete/nope", "", 404);
  f.call("PUT", "/api/v1/workflow/nope", R"({"name":"y"})", 404);
  Value method = f.call("POST", "/api/v1/workflow/list", "", 405);
  CHECK(str(method, "code") == "METHOD_NOT_ALLOWED");
  // The bound of the registry (3 here): the fourth save is refused.
  f.save();
  f.save();
  Value full = f.call("POST", "/api/v1/workflow/save",
                      std::string(R"({"name":"x","data":)") + kSum + "}", 507);
  CHECK(str(full, "code") == "REGISTRY_FULL");
}

TEST_CASE("execution history: inline and saved runs, filters, paging") {
  Fixture f;
  const std::string id = f.save();
  for (int i = 0; i < 3; ++i) f.call("POST", "/api/v1/workflow/execute/" + id, "", 200);
  for (int i = 0; i < 2; ++i) f.call("POST", "/api/v1/workflow/execute", kSum, 200);
  Value all = f.call("GET", "/api/v1/executions", "", 200);
  CHECK(str(all, "count") == "5");
  CHECK(all.find("next_cursor")->is_null());
  const auto& rows = all.find("executions")->as_array();
  CHECK(str(rows.at(0), "trigger") == "inline");
  CHECK(rows.at(0).find("workflow_id")->is_null());
  CHECK(str(rows.at(4), "trigger") == "stored");
  CHECK(str(rows.at(4), "workflow_id") == id);
  CHECK(str(rows.at(4), "status") == "succeeded");

  Value stored = f.call("GET", "/api/v1/executions?workflow_id=" + id, "", 200);
  CHECK(str(stored, "count") == "3");
  Value page1 = f.call("GET", "/api/v1/executions?limit=2", "", 200);
  CHECK(str(page1, "count") == "2");
  const std::string cursor = str(page1, "next_cursor");
  Value page2 = f.call("GET", "/api/v1/executions?limit=2&cursor=" + cursor, "", 200);
  CHECK(str(page2.find("executions")->as_array().at(0), "id") == str(rows.at(2), "id"));
  f.call("GET", "/api/v1/executions?limit=5000", "", 400);
  f.call("GET", "/api/v1/executions?cursor=not-a-cursor", "", 400);

  Value one = f.call("GET", "/api/v1/executions/" + str(rows.at(4), "id"), "", 200);
  CHECK(str(*one.find("execution")->find("result"), "final_output") == "15");
  f.call("GET", "/api/v1/executions/nope", "", 404);

  Value ready = f.call("GET", "/health/ready", "", 200);
  CHECK(str(*ready.find("checks")->find("storage"), "status") == "healthy");
}

TEST_CASE("metrics report the store's sizes and the history writes") {
  auto st = std::shared_ptr<store::Store>(store::open_sqlite(":memory:"));
  metrics::MetricsOptions mo;
  mo.process = false;
  auto m = std::make_shared<metrics::Metrics>(mo);
  serve::HandlerOptions o;
  o.store = st;
  o.metrics = m;
  serve::Handler h{o};
  const auto metric = [&](std::string_view series) {
    const std::string text = h.handle(req("GET", "/metrics")).body;
    const std::string key = std::string(series) + " ";
    const auto at = text.find("\n" + key);
    REQUIRE_MESSAGE(at != std::string::npos, "no ", std::string(series), " in\n", text);
    const auto from = at + 1 + key.size();
    return text.substr(from, text.find('\n', from) - from);
  };
  CHECK(metric("thaiyyal_registry_workflows") == "0");
  CHECK(metric("thaiyyal_history_rows_written_total") == "0");
  CHECK(metric("thaiyyal_history_write_failures_total{reason=\"storage\"}") == "0");

  const serve::Response saved = h.handle(
      req("POST", "/api/v1/workflow/save", std::string(R"({"name":"sum","data":)") + kSum + "}"));
  REQUIRE(saved.status == 201);
  REQUIRE(
      h.handle(req("POST", "/api/v1/httpclient/register",
                   R"({"config":{"uid":"api","security":{"allowed_domains":["example.com"]}}})"))
          .status == 201);
  for (int i = 0; i < 3; ++i)
    REQUIRE(h.handle(req("POST", "/api/v1/workflow/execute", kSum)).status == 200);
  // Reading the history waits for the rows queued before it.
  CHECK(h.handle(req("GET", "/api/v1/executions")).body.find(R"("count":3)") != std::string::npos);
  CHECK(metric("thaiyyal_registry_workflows") == "1");
  CHECK(metric("thaiyyal_registry_http_clients") == "1");
  CHECK(metric("thaiyyal_history_rows_written_total") == "3");
  CHECK(metric("thaiyyal_history_write_failures_total{reason=\"queue_full\"}") == "0");
  CHECK(metric("thaiyyal_history_queue_rows") == "0");
}

TEST_CASE("the execute response carries the result document unchanged") {
  Fixture f;
  const serve::Response r = f.handler.handle(req("POST", "/api/v1/workflow/execute", kSum));
  REQUIRE(r.status == 200);
  const Value v = parse_json(r.body);
  const auto& o = v.as_object();
  REQUIRE(o.size() == 3);
  CHECK(o.begin()->first == "execution_time");
  CHECK(str(v, "success") == "true");
  CHECK(str(*v.find("results"), "final_output") == "15");
  CHECK(r.body.back() == '\n');
  const std::string id = f.save();
  const Value s = f.call("POST", "/api/v1/workflow/execute/" + id, "", 200);
  CHECK(str(s, "workflow_id") == id);
  CHECK(str(s, "workflow_name") == "sum");
  CHECK(str(s, "version") == "1");
  CHECK(str(*s.find("results"), "final_output") == "15");
}

TEST_CASE("without a store the storage routes answer 503") {
  serve::Handler h{serve::HandlerOptions{}};
  const serve::Response r = h.handle(req("GET", "/api/v1/workflow/list"));
  CHECK(r.status == 503);
  const Value body = parse_json(r.body);
  CHECK(str(body, "code") == "STORAGE_UNAVAILABLE");
  CHECK(str(body, "details") == "this server has no storage configured");
  // Inline execution needs no store.
  CHECK(h.handle(req("POST", "/api/v1/workflow/execute", kSum)).status == 200);
}

TEST_CASE("HTTP clients: register, list, get (redacted), delete") {
  Fixture f;
  const std::string config =
      R"({"config":{"uid":"api","auth":{"type":"bearer","token":{"token":"tok-123456"}},)"
      R"("security":{"allowed_domains":["example.com"]}}})";
  Value reg = f.call("POST", "/api/v1/httpclient/register", config, 201);
  CHECK(str(reg, "message") == "HTTP client registered successfully");
  CHECK(str(reg, "uid") == "api");
  CHECK(reg.find("config") == nullptr);
  Value again = f.call("POST", "/api/v1/httpclient/register", config, 409);
  CHECK(str(again, "error") ==
        "Failed to register HTTP client: client with UID \"api\" already exists");
  Value env_ref = f.call(
      "POST", "/api/v1/httpclient/register",
      R"({"config":{"uid":"env","auth":{"type":"bearer","token":{"token":"${env:API_TOKEN}"}}}})",
      201);
  CHECK(str(env_ref, "uid") == "env");

  Value list = f.call("GET", "/api/v1/httpclient/list", "", 200);
  CHECK(to_json(*list.find("clients")) == R"(["api","env"])");
  CHECK(str(list, "count") == "2");
  Value one = f.call("GET", "/api/v1/httpclient/api", "", 200);
  const std::string shown = to_json(*one.find("config"));
  CHECK(shown.find("tok-123456") == std::string::npos);
  CHECK(shown.find("***REDACTED***") != std::string::npos);
  Value env_one = f.call("GET", "/api/v1/httpclient/env", "", 200);
  CHECK(to_json(*env_one.find("config")).find("${env:API_TOKEN}") != std::string::npos);

  Value missing = f.call("POST", "/api/v1/httpclient/register", R"({"other":1})", 400);
  CHECK(str(missing, "error") == "config is required");
  Value invalid = f.call("POST", "/api/v1/httpclient/register",
                         R"({"config":{"uid":"x","auth":{"type":"magic"}}})", 400);
  CHECK(str(invalid, "error").rfind("Failed to create HTTP client: invalid config: ", 0) == 0);
  f.call("DELETE", "/api/v1/httpclient/api", "", 200);
  f.call("DELETE", "/api/v1/httpclient/api", "", 404);
  f.call("GET", "/api/v1/httpclient/api", "", 404);
}

TEST_CASE("a registered client with an inline secret is not usable by a run") {
  Fixture f;
  f.call("POST", "/api/v1/httpclient/register",
         R"({"config":{"uid":"api","auth":{"type":"bearer","token":{"token":"tok-123456"}}}})",
         201);
  const std::string wf =
      R"({"nodes":[{"id":"h","type":"http","data":{"url":"https://example.com/","http_client_uid":"api"}}]})";
  const serve::Response r = f.handler.handle(req("POST", "/api/v1/workflow/execute", wf));
  CHECK(r.status == 500);
  CHECK(r.body.find("its secret was given inline when it was registered") != std::string::npos);
  CHECK(r.body.find("tok-123456") == std::string::npos);
}
