#include "thaiyyal/engine/engine.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "recording_observer.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/run_context.h"

using namespace thaiyyal;
using namespace std::chrono_literals;

namespace {

/// Test kinds. Each keeps its whole `data` object as configuration.
struct DataConfig final : nodes::NodeConfig {
  Value data;
  nodes::TextTemplate text;
};

std::unique_ptr<const nodes::NodeConfig> keep_data(nodes::ConfigReader& r) {
  auto c = std::make_unique<DataConfig>();
  c->data = r.node().data;
  if (auto t = r.string("text")) c->text = nodes::TextTemplate(*t);
  return c;
}

const Value& data_of(const nodes::NodeConfig& c) { return static_cast<const DataConfig&>(c).data; }
const Value* key(const nodes::NodeConfig& c, std::string_view k) { return data_of(c).find(k); }

// const: returns data.value.
Value run_const(const nodes::NodeConfig& c, nodes::RunContext&, std::span<const Value>) {
  const Value* v = key(c, "value");
  return v ? *v : Value();
}
// collect: returns its inputs as an array (shows input order).
Value run_collect(const nodes::NodeConfig&, nodes::RunContext&, std::span<const Value> in) {
  return Value(Array(in.begin(), in.end()));
}
// fail: throws data.message.
Value run_fail(const nodes::NodeConfig& c, nodes::RunContext&, std::span<const Value>) {
  throw nodes::NodeError(key(c, "message")->as_string());
}
// sleep: sleeps data.ms milliseconds, then returns "woke".
Value run_sleep(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  ctx.sleep_for(std::chrono::milliseconds(static_cast<long>(key(c, "ms")->as_number())));
  return Value("woke");
}
// route: returns {"path": data.path}.
Value run_route(const nodes::NodeConfig& c, nodes::RunContext&, std::span<const Value>) {
  return Value(Object{{"path", *key(c, "path")}});
}
// setvar: sets variable data.name to its first input.
Value run_setvar(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value> in) {
  ctx.set_variable(key(c, "name")->as_string(), in.empty() ? Value() : in[0]);
  return Value(true);
}
// text: interpolates data.text.
Value run_text(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  return Value(ctx.interpolate(static_cast<const DataConfig&>(c).text));
}
// ctx: defines context constant/variable data.name = data.value.
Value run_ctx(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  if (key(c, "constant")) {
    ctx.set_context_constant(key(c, "name")->as_string(), *key(c, "value"));
  } else {
    ctx.set_context_variable(key(c, "name")->as_string(), *key(c, "value"));
  }
  return Value(Object{{"type", Value("ctx")}});
}
// cache: put / get data.key.
Value run_cache(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  const auto& k = key(c, "key")->as_string();
  if (const Value* v = key(c, "put")) {
    const Value* ttl = key(c, "ttl_ms");
    ctx.cache_set(
        k, *v,
        ttl ? std::optional<Nanos>(std::chrono::milliseconds(static_cast<long>(ttl->as_number())))
            : std::nullopt);
    return *v;
  }
  const Value* hit = ctx.cache_get(k);
  return hit ? *hit : Value("miss");
}
// busy: spins for data.ms checking cancellation (a CPU-bound node).
Value run_busy(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<long>(key(c, "ms")->as_number()));
  while (std::chrono::steady_clock::now() < end) ctx.check_cancelled();
  return Value("done");
}

const nodes::KindInfo kKinds[] = {
    {"busy", nodes::Category::Compute, "spin", "{}", keep_data, run_busy},
    {"cache", nodes::Category::State, "cache", "{}", keep_data, run_cache},
    {"collect", nodes::Category::Flow, "inputs", "{}", keep_data, run_collect},
    {"const", nodes::Category::Input, "constant", "{}", keep_data, run_const},
    {"ctx", nodes::Category::State, "context", "{}", keep_data, run_ctx, false, true},
    {"fail", nodes::Category::Compute, "fails", "{}", keep_data, run_fail},
    {"route", nodes::Category::Control, "routes", "{}", keep_data, run_route},
    {"setvar", nodes::Category::State, "variable", "{}", keep_data, run_setvar},
    {"sleep", nodes::Category::Pacing, "sleeps", "{}", keep_data, run_sleep},
    {"text", nodes::Category::Input, "template", "{}", keep_data, run_text},
};

const nodes::KindInfo* lookup(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::shared_ptr<const check::CompiledWorkflow> compile(const std::string& json) {
  diag::Diagnostics diags;
  auto file = std::make_shared<diag::SourceFile>("test.json", json);
  auto wf = load::load_workflow(file, {}, diags);
  REQUIRE(wf.has_value());
  auto compiled =
      check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), diags, lookup);
  for (const auto& d : diags.all()) INFO(d.message);
  REQUIRE(compiled != nullptr);
  return compiled;
}

engine::RunResult run(const std::string& json, engine::RunOptions opts = {}) {
  return engine::run_workflow(*compile(json), opts);
}

std::string results_json(const engine::RunResult& r) { return to_json(Value(r.node_results)); }

using test::RecordingObserver;

}  // namespace

TEST_SUITE("engine") {
  TEST_CASE("inputs arrive in edge order and orphans run by id") {
    auto r = run(R"({"nodes":[
      {"id":"b","type":"const","data":{"value":2}},
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"c","type":"collect"}],
      "edges":[{"source":"b","target":"c"},{"source":"a","target":"c"},{"source":"a","target":"c"}]})");
    REQUIRE(r.ok());
    CHECK(results_json(r) == R"({"a":1,"b":2,"c":[2,1,1]})");
    CHECK(to_json(r.final_output) == "[2,1,1]");
    CHECK(r.errors.empty());
  }

  TEST_CASE("conditional edges fire on path and skipping spreads") {
    auto r = run(R"({"nodes":[
      {"id":"r","type":"route","data":{"path":"left"}},
      {"id":"l","type":"const","data":{"value":"L"}},
      {"id":"x","type":"const","data":{"value":"X"}},
      {"id":"after_x","type":"collect"},
      {"id":"join","type":"collect"}],
      "edges":[{"source":"r","target":"l","sourceHandle":"left"},
               {"source":"r","target":"x","sourceHandle":"right"},
               {"source":"x","target":"after_x"},
               {"source":"l","target":"join"},{"source":"x","target":"join"}]})");
    REQUIRE(r.ok());
    CHECK(r.node_results.find("x") == nullptr);
    CHECK(r.node_results.find("after_x") == nullptr);
    CHECK(to_json(*r.node_results.find("join")) == R"(["L"])");
    CHECK(r.nodes[2].state == engine::NodeRecord::State::Skipped);
    CHECK(to_json(r.final_output) == R"(["L"])");
  }

  TEST_CASE("an unsatisfied conditional edge still delivers its input when the node runs") {
    auto r = run(R"({"nodes":[
      {"id":"r","type":"route","data":{"path":"p"}},
      {"id":"n","type":"const","data":{"value":1}},
      {"id":"j","type":"collect"}],
      "edges":[{"source":"n","target":"j"},{"source":"r","target":"j","sourceHandle":"q"}]})");
    REQUIRE(r.ok());
    CHECK(to_json(*r.node_results.find("j")) == R"([1,{"path":"p"}])");
  }

  TEST_CASE("legacy condition key and true/false handles") {
    auto r = run(R"({"nodes":[
      {"id":"c","type":"const","data":{"value":{"condition_met":false}}},
      {"id":"t","type":"const","data":{"value":"T"}},
      {"id":"f","type":"const","data":{"value":"F"}}],
      "edges":[{"source":"c","target":"t","condition":"true"},
               {"source":"c","target":"f","sourceHandle":"false"}]})");
    REQUIRE(r.ok());
    CHECK(r.node_results.find("t") == nullptr);
    CHECK(r.node_results.find("f")->as_string() == "F");
  }

  TEST_CASE("final output is the first executed terminal node in document order") {
    auto r = run(R"({"nodes":[
      {"id":"z","type":"collect"},
      {"id":"a","type":"const","data":{"value":"orphan"}},
      {"id":"src","type":"const","data":{"value":5}}],
      "edges":[{"source":"src","target":"z"}]})");
    CHECK(to_json(r.final_output) == "[5]");
  }

  TEST_CASE("context nodes are the final output only when nothing else ran") {
    auto r = run(R"({"nodes":[
      {"id":"cfg","type":"ctx","data":{"name":"m","value":1,"constant":true}},
      {"id":"n","type":"const","data":{"value":1}},
      {"id":"t","type":"const","data":{"value":"never"}}],
      "edges":[{"source":"n","target":"t","sourceHandle":"yes"}]})");
    REQUIRE(r.ok());
    CHECK(to_json(r.final_output) == R"({"type":"ctx"})");
  }

  TEST_CASE("a failure keeps completed results and lists the error") {
    auto r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"f","type":"fail","data":{"message":"boom"}},
      {"id":"z","type":"const","data":{"value":2}}],
      "edges":[{"source":"a","target":"f"},{"source":"f","target":"z"}]})");
    CHECK(r.status == engine::RunStatus::Failed);
    CHECK(results_json(r) == R"({"a":1})");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0] == "error executing node f: boom");
    CHECK(r.final_output.is_null());
    CHECK(r.nodes[2].state == engine::NodeRecord::State::NotReached);
    CHECK(to_json(r.to_value()).find(R"("errors":["error executing node f: boom"])") !=
          std::string::npos);
  }

  TEST_CASE("node-execution limit counts the failing node and not skipped ones") {
    engine::RunOptions opts;
    opts.limits.max_node_executions = 2;
    auto r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"b","type":"const","data":{"value":2}},
      {"id":"c","type":"const","data":{"value":3}}]})",
                 opts);
    CHECK(r.status == engine::RunStatus::LimitExceeded);
    CHECK(r.errors.at(0) ==
          "error executing node c: maximum node executions exceeded: 3 (limit: 2)");
    CHECK(results_json(r) == R"({"a":1,"b":2})");
  }

  TEST_CASE("the run deadline interrupts a sleeping node promptly") {
    engine::RunOptions opts;
    opts.limits.max_execution_time = 200ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"d","type":"sleep","data":{"ms":10000}},
      {"id":"b","type":"collect"}],
      "edges":[{"source":"a","target":"d"},{"source":"d","target":"b"}]})",
                 opts);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < 2s);
    CHECK(r.status == engine::RunStatus::TimedOut);
    CHECK(r.errors.at(0) == "workflow execution timeout: exceeded 200ms");
    CHECK(results_json(r) == R"({"a":1})");
    CHECK(r.nodes[2].state == engine::NodeRecord::State::NotReached);
  }

  TEST_CASE("a time limit of zero means no deadline") {
    engine::RunOptions opts;
    opts.limits.max_execution_time = 0ms;
    auto r = run(R"({"nodes":[{"id":"d","type":"sleep","data":{"ms":5}}]})", opts);
    CHECK(r.ok());
  }

  TEST_CASE("the per-node time budget stops a busy node") {
    engine::RunOptions opts;
    opts.limits.max_node_execution_time = 50ms;
    auto r = run(R"({"nodes":[{"id":"spin","type":"busy","data":{"ms":5000}}]})", opts);
    CHECK(r.status == engine::RunStatus::TimedOut);
    CHECK(r.errors.at(0) == "error executing node spin: node execution timeout: exceeded 50ms");
  }

  TEST_CASE("cancellation from another thread stops the run") {
    engine::RunOptions opts;
    opts.cancel = std::make_shared<engine::CancelToken>();
    std::thread canceller([token = opts.cancel] {
      std::this_thread::sleep_for(50ms);
      token->cancel();
    });
    auto r = run(R"({"nodes":[{"id":"d","type":"sleep","data":{"ms":10000}}]})", opts);
    canceller.join();
    CHECK(r.status == engine::RunStatus::Cancelled);
    CHECK(r.errors.at(0) == "workflow execution cancelled");
  }

  TEST_CASE("observer events are synchronous and ordered") {
    RecordingObserver obs;
    engine::RunOptions opts;
    opts.observer = &obs;
    run(R"({"nodes":[
      {"id":"r","type":"route","data":{"path":"a"}},
      {"id":"s","type":"const","data":{"value":1}},
      {"id":"f","type":"fail","data":{"message":"no"}}],
      "edges":[{"source":"r","target":"s","sourceHandle":"b"},{"source":"r","target":"f"}]})",
        opts);
    CHECK(obs.events == std::vector<std::string>{
                            "start", "node_start r", R"(node_success r {"path":"a"})", "skipped s",
                            "node_start f", "node_failure f error executing node f: no",
                            "end error executing node f: no"});
  }

  TEST_CASE("variables are limited by count and value size") {
    engine::RunOptions opts;
    opts.limits.max_variables = 1;
    auto r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"s1","type":"setvar","data":{"name":"x"}},
      {"id":"s2","type":"setvar","data":{"name":"y"}}],
      "edges":[{"source":"a","target":"s1"},{"source":"s1","target":"s2"}]})",
                 opts);
    CHECK(r.status == engine::RunStatus::LimitExceeded);
    CHECK(r.errors.at(0) == "error executing node s2: maximum variables exceeded: 1 (limit: 1)");

    engine::RunOptions small;
    small.limits.max_string_length = 3;
    r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":"abc"}},
      {"id":"b","type":"const","data":{"value":"abcd"}},
      {"id":"set","type":"setvar","data":{"name":"x"}}],
      "edges":[{"source":"a","target":"set"}]})",
            small);
    CHECK(r.errors.at(0) ==
          "error executing node b: node result validation failed: string too long: 4 bytes "
          "(limit: 3)");
  }

  TEST_CASE("templates read context constants, --set constants and context variables") {
    engine::RunOptions opts;
    opts.constants.set("who", Value("world"));
    auto r = run(R"({"nodes":[
      {"id":"c","type":"ctx","data":{"name":"n","value":7}},
      {"id":"t","type":"text","data":{"text":"{{ const.who }} {{variable.n}} {{ const.nope }}"}}]})",
                 opts);
    REQUIRE(r.ok());
    CHECK(r.final_output.as_string() == "world 7 {{ const.nope }}");
  }

  TEST_CASE("cache entries expire and the cache is bounded") {
    engine::RunOptions opts;
    opts.limits.max_cache_size = 1;
    auto r = run(R"({"nodes":[
      {"id":"p1","type":"cache","data":{"key":"a","put":1}},
      {"id":"p2","type":"cache","data":{"key":"b","put":2}},
      {"id":"g1","type":"cache","data":{"key":"a"}},
      {"id":"g2","type":"cache","data":{"key":"b"}}],
      "edges":[{"source":"p1","target":"p2"},{"source":"p2","target":"g1"},{"source":"g1","target":"g2"}]})",
                 opts);
    REQUIRE(r.ok());
    CHECK(r.node_results.find("g1")->as_string() == "miss");
    CHECK(r.node_results.find("g2")->as_number() == 2);

    r = run(R"({"nodes":[
      {"id":"p","type":"cache","data":{"key":"a","put":1,"ttl_ms":20}},
      {"id":"d","type":"sleep","data":{"ms":40}},
      {"id":"g","type":"cache","data":{"key":"a"}}],
      "edges":[{"source":"p","target":"d"},{"source":"d","target":"g"}]})");
    CHECK(r.node_results.find("g")->as_string() == "miss");

    // A zero or negative time to live stores an entry that has already
    // expired; no time to live means the default (5 minutes).
    r = run(R"({"nodes":[
      {"id":"z","type":"cache","data":{"key":"zero","put":1,"ttl_ms":0}},
      {"id":"n","type":"cache","data":{"key":"neg","put":1,"ttl_ms":-5}},
      {"id":"k","type":"cache","data":{"key":"kept","put":1}},
      {"id":"gz","type":"cache","data":{"key":"zero"}},
      {"id":"gn","type":"cache","data":{"key":"neg"}},
      {"id":"gk","type":"cache","data":{"key":"kept"}}],
      "edges":[{"source":"z","target":"n"},{"source":"n","target":"k"},{"source":"k","target":"gz"},
               {"source":"gz","target":"gn"},{"source":"gn","target":"gk"}]})");
    REQUIRE(r.ok());
    CHECK(r.node_results.find("gz")->as_string() == "miss");
    CHECK(r.node_results.find("gn")->as_string() == "miss");
    CHECK(r.node_results.find("gk")->as_number() == 1);
  }

  TEST_CASE("one compiled workflow runs on several threads at once") {
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":1}},
      {"id":"s","type":"setvar","data":{"name":"x"}},
      {"id":"c","type":"collect"}],
      "edges":[{"source":"a","target":"s"},{"source":"s","target":"c"}]})");
    for (int workers : {1, 2, 4}) {
      std::vector<std::thread> threads;
      std::atomic<int> ok{0};
      for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&] {
          for (int i = 0; i < 50; ++i) {
            auto r = engine::run_workflow(*wf, {});
            if (r.ok() && to_json(r.final_output) == "[true]") ++ok;
          }
        });
      }
      for (auto& t : threads) t.join();
      CHECK(ok == workers * 50);
    }
  }
}

TEST_SUITE("engine") {
  TEST_CASE("inputs larger than --max-input-size fail the consuming node") {
    engine::RunOptions opts;
    opts.limits.max_input_size = 10;
    auto r = run(R"({"nodes":[
      {"id":"a","type":"const","data":{"value":"a long string value"}},
      {"id":"c","type":"collect"}],
      "edges":[{"source":"a","target":"c"}]})",
                 opts);
    CHECK(r.status == engine::RunStatus::LimitExceeded);
    CHECK(r.errors.at(0) ==
          "error executing node c: input too large: more than 10 bytes (limit: 10)");
  }
}
