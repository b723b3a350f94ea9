// Concurrent execution of waiting nodes (D7, Limits::parallelism): whatever
// the parallelism, a run's results, errors, limits, skips and node events are
// those of the sequential order. Real node kinds (http, delay, state and
// control nodes) run against an in-process HttpClient whose requests can
// wait, fail, wait for each other and be aborted.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "recording_observer.h"
#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/node_kind.h"

using namespace thaiyyal;
using namespace std::chrono_literals;

namespace {

/// An HttpClient for https://api.test/<route>, safe for concurrent send():
///   /ok/<id>                  200 {"id": id}
///   /slow/<ms>/<id>           waits ms (aborted by should_abort), then 200 {"id": id}
///   /status/<code>            that status
///   /slow-status/<ms>/<code>  waits ms, then that status
///   /flaky/<id>               503 on its first request, 200 {"id", "attempt"} after
///   /barrier/<id>             waits until `barrier` requests wait together (at
///                             most 10 s, then 504), then 200 {"id": id}
class FakeHttp final : public http::HttpClient {
 public:
  explicit FakeHttp(int barrier = 0) : barrier_(barrier) {}

  http::Response send(const http::Request& req, const http::NetworkPolicy&) override {
    const std::string prefix = "https://api.test/";
    if (req.url.rfind(prefix, 0) != 0) return json(400, Object{});
    std::vector<std::string> parts;
    std::string rest = req.url.substr(prefix.size());
    for (std::size_t start = 0;;) {
      const auto slash = rest.find('/', start);
      parts.push_back(rest.substr(start, slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++sends_;
      peak_ = std::max(peak_, ++in_flight_);
      paths_.push_back(rest);
    }
    cv_.notify_all();
    struct Leave {
      FakeHttp& f;
      ~Leave() {
        std::lock_guard<std::mutex> lock(f.mu_);
        --f.in_flight_;
      }
    } leave{*this};
    const std::string& route = parts.at(0);
    if (route == "ok") return json(200, Object{{"id", Value(parts.at(1))}});
    if (route == "status") return json(std::stoi(parts.at(1)), Object{});
    if (route == "slow" || route == "slow-status") {
      wait(req, std::chrono::milliseconds(std::stoi(parts.at(1))));
      if (route == "slow-status") return json(std::stoi(parts.at(2)), Object{});
      return json(200, Object{{"id", Value(parts.at(2))}});
    }
    if (route == "flaky") {
      int attempt = 0;
      {
        std::lock_guard<std::mutex> lock(mu_);
        attempt = ++flaky_[parts.at(1)];
      }
      if (attempt == 1) return json(503, Object{});
      return json(200, Object{{"id", Value(parts.at(1))}, {"attempt", Value(attempt)}});
    }
    if (route == "barrier") {
      std::unique_lock<std::mutex> lock(mu_);
      const auto generation = generation_;
      if (++arrived_ == barrier_) {
        arrived_ = 0;
        ++generation_;
        cv_.notify_all();
      } else if (!cv_.wait_for(lock, 10s, [&] { return generation_ != generation; })) {
        return json(504, Object{});
      }
      return json(200, Object{{"id", Value(parts.at(1))}});
    }
    return json(404, Object{});
  }

  /// Waits until `n` requests are in flight at once (at most 10 s).
  bool wait_in_flight(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, 10s, [&] { return in_flight_ >= n; });
  }

  int sends() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sends_;
  }
  int peak() const {
    std::lock_guard<std::mutex> lock(mu_);
    return peak_;
  }
  int aborted() const { return aborted_; }
  int completed_waits() const { return completed_waits_; }
  std::vector<std::string> paths() const {
    std::lock_guard<std::mutex> lock(mu_);
    auto p = paths_;
    std::sort(p.begin(), p.end());
    return p;
  }

 private:
  static http::Response json(int status, Object body) {
    http::Response r;
    r.status = status;
    r.headers.emplace_back("content-type", "application/json");
    r.body = to_json(Value(std::move(body)));
    return r;
  }

  /// Waits `d`, polling should_abort as the curl client does.
  void wait(const http::Request& req, std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
      if (req.should_abort && req.should_abort()) {
        ++aborted_;
        throw http::HttpError("request aborted", false, true);
      }
      std::this_thread::sleep_for(1ms);
    }
    ++completed_waits_;
  }

  mutable std::mutex mu_;
  std::condition_variable cv_;
  int barrier_;
  int arrived_ = 0;
  int generation_ = 0;
  int sends_ = 0;
  int in_flight_ = 0;
  int peak_ = 0;
  std::atomic<int> aborted_{0};
  std::atomic<int> completed_waits_{0};
  std::map<std::string, int> flaky_;
  std::vector<std::string> paths_;
};

/// Records node and workflow events (in order) and HTTP events (as a set:
/// they come when requests are made); follows concurrent nodes.
class Recorder final : public test::RecordingObserver {
 public:
  std::vector<std::string> http_events;
  bool accepts_concurrent_nodes() const override { return accepts; }
  bool accepts = true;

  void on_http_request(const engine::RunInfo&, const engine::NodeInfo& n,
                       engine::OutboundHeaders&) override {
    std::lock_guard<std::mutex> lock(mu_);
    http_events.push_back("request " + std::string(n.node_id));
  }
  void on_http_call(const engine::RunInfo&, const engine::NodeInfo& n,
                    const engine::HttpCall& c) override {
    std::lock_guard<std::mutex> lock(mu_);
    http_events.push_back("call " + std::string(n.node_id) + " " + std::string(c.outcome) + " " +
                          std::to_string(c.status));
  }

 protected:
  /// "end <status> <nodes executed> <final output or error>".
  std::string end_line(const engine::RunEnd& end) const override {
    return std::string("end ") + std::string(end.status) + " " +
           std::to_string(end.nodes_executed) + " " +
           (end.success ? to_json(*end.final_output) : std::string(end.error));
  }

 private:
  std::mutex mu_;
};

std::shared_ptr<const check::CompiledWorkflow> compile(const std::string& json) {
  diag::Diagnostics diags;
  auto file = std::make_shared<diag::SourceFile>("test.json", json);
  auto wf = load::load_workflow(file, {}, diags);
  for (const auto& d : diags.all()) INFO(d.message);
  REQUIRE(wf.has_value());
  auto compiled = check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), diags);
  for (const auto& d : diags.all()) INFO(d.message);
  REQUIRE(compiled != nullptr);
  return compiled;
}

/// A run and what it showed.
struct Outcome {
  engine::RunResult result;
  Recorder recorder;
  std::vector<std::string> paths;  ///< requests made, sorted
  int peak = 0;                    ///< most requests in flight at once
  int aborted = 0;
};

/// Runs `wf` with `parallelism`, each pool worker using `fake` (no
/// make_http when `shared_only`); `tweak` adjusts the options.
void run_into(Outcome& out, const check::CompiledWorkflow& wf, std::uint64_t parallelism,
              FakeHttp& fake, const std::function<void(engine::RunOptions&)>& tweak = {},
              bool shared_only = false) {
  engine::RunOptions opts;
  opts.limits.parallelism = parallelism;
  std::shared_ptr<http::HttpClient> client(std::shared_ptr<void>(), &fake);
  opts.http = client;
  if (!shared_only) opts.make_http = [client] { return client; };
  opts.observer = &out.recorder;
  if (tweak) tweak(opts);
  out.result = engine::run_workflow(wf, opts);
  std::sort(out.recorder.http_events.begin(), out.recorder.http_events.end());
  out.paths = fake.paths();
  out.peak = fake.peak();
  out.aborted = fake.aborted();
}

std::vector<std::string> node_states(const engine::RunResult& r) {
  std::vector<std::string> out;
  for (const auto& n : r.nodes) {
    out.push_back(std::to_string(static_cast<int>(n.state)) + ":" + n.error);
  }
  return out;
}

/// Everything a sequential and a concurrent run must agree on.
void check_same(const Outcome& a, const Outcome& b) {
  CHECK(to_json(Value(a.result.node_results)) == to_json(Value(b.result.node_results)));
  CHECK(to_json(a.result.final_output) == to_json(b.result.final_output));
  CHECK(a.result.errors == b.result.errors);
  CHECK(a.result.status == b.result.status);
  CHECK(a.result.failed_node == b.result.failed_node);
  CHECK(node_states(a.result) == node_states(b.result));
  CHECK(a.recorder.events == b.recorder.events);
  CHECK(a.recorder.http_events == b.recorder.http_events);
  CHECK(a.paths == b.paths);
}

/// Waiting, pure, state, routing and guard nodes, interleaved in the order
/// (orphans run by id, then their successors).
const char* const kMixed = R"({"nodes":[
  {"id":"a_ctx","type":"context_constant",
   "data":{"context_values":[{"name":"region","value":"eu","type":"string"}]}},
  {"id":"b_http","type":"http","data":{"url":"https://api.test/slow/40/{{ const.region }}-b"}},
  {"id":"c_count","type":"counter","data":{"counter_op":"increment","delta":1}},
  {"id":"d_http","type":"http","data":{"url":"https://api.test/slow/60/d"}},
  {"id":"e_http","type":"http","data":{"url":"https://api.test/slow/20/e"}},
  {"id":"f_http","type":"http","data":{"url":"https://api.test/slow/50/f"}},
  {"id":"g_delay","type":"delay","data":{"duration":"30ms"}},
  {"id":"h_http","type":"http","data":{"url":"https://api.test/status/500"}},
  {"id":"k_num","type":"number","data":{"value":5}},
  {"id":"m_http","type":"http","data":{"url":"https://api.test/flaky/m"}},
  {"id":"p_peek","type":"expression","data":{"expression":"node.b_http.id + ':' + context.region"}},
  {"id":"q_http","type":"http","data":{"url":"https://api.test/slow/10/q"}},
  {"id":"h_catch","type":"try_catch","data":{"fallback_value":{"items":[]},"continue_on_error":true}},
  {"id":"m_retry","type":"retry",
   "data":{"max_attempts":3,"backoff_strategy":"constant","initial_delay":"1ms"}},
  {"id":"n_cond","type":"condition","data":{"condition":"input.id == 'd'"}},
  {"id":"o_true","type":"http","data":{"url":"https://api.test/slow/10/true"}},
  {"id":"o_false","type":"http","data":{"url":"https://api.test/slow/10/false"}},
  {"id":"s_switch","type":"switch","data":{"cases":[
    {"when":"input.id == 'x'","output_path":"x"},
    {"when":"input.id == 'e'","output_path":"e"},
    {"is_default":true}]}},
  {"id":"s_x","type":"delay","data":{"duration":"10ms"}},
  {"id":"s_e","type":"delay","data":{"duration":"10ms"}},
  {"id":"v_set","type":"variable","data":{"var_name":"f","var_op":"set"}},
  {"id":"w_expr","type":"expression","data":{"expression":"variables.f.id"}},
  {"id":"x_count","type":"counter","data":{"counter_op":"increment","delta":10}},
  {"id":"y_acc","type":"accumulator","data":{"accum_op":"sum","initial_value":0}},
  {"id":"z_join","type":"join","data":{}}],
 "edges":[
  {"source":"h_http","target":"h_catch"},
  {"source":"m_http","target":"m_retry"},
  {"source":"d_http","target":"n_cond"},
  {"source":"n_cond","target":"o_true","sourceHandle":"true"},
  {"source":"n_cond","target":"o_false","sourceHandle":"false"},
  {"source":"e_http","target":"s_switch"},
  {"source":"s_switch","target":"s_x","sourceHandle":"x"},
  {"source":"s_switch","target":"s_e","sourceHandle":"e"},
  {"source":"f_http","target":"v_set"},
  {"source":"v_set","target":"w_expr"},
  {"source":"g_delay","target":"x_count"},
  {"source":"k_num","target":"y_acc"},
  {"source":"k_num","target":"p_peek"},
  {"source":"b_http","target":"z_join"},
  {"source":"c_count","target":"z_join"},
  {"source":"o_true","target":"z_join"},
  {"source":"o_false","target":"z_join"},
  {"source":"s_e","target":"z_join"},
  {"source":"s_x","target":"z_join"},
  {"source":"w_expr","target":"z_join"},
  {"source":"x_count","target":"z_join"},
  {"source":"y_acc","target":"z_join"},
  {"source":"h_catch","target":"z_join"},
  {"source":"m_retry","target":"z_join"},
  {"source":"p_peek","target":"z_join"},
  {"source":"q_http","target":"z_join"}]})";

/// `n` http nodes h1..hn (in that order) requesting `route`/<i>.
std::string http_nodes(int n, const std::string& route) {
  std::string nodes;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) nodes += ",";
    nodes += R"({"id":"h)" + std::to_string(i) +
             R"(","type":"http","data":{"url":"https://api.test/)" + route + "/" +
             std::to_string(i) + R"("}})";
  }
  return R"({"nodes":[)" + nodes + "]}";
}

}  // namespace

TEST_SUITE("engine.parallel") {
  TEST_CASE("the kinds that may leave their turn are http and delay, and pure kinds") {
    auto of = [](std::string_view name) { return nodes::scheduling(*nodes::find_kind(name)); };
    CHECK(of("http") == nodes::Scheduling::Waiting);
    CHECK(of("delay") == nodes::Scheduling::Waiting);
    CHECK(of("number") == nodes::Scheduling::Pure);
    CHECK(of("join") == nodes::Scheduling::Pure);
    for (const char* in_turn :
         {"variable", "counter", "accumulator", "cache", "context_constant", "context_variable",
          "expression", "condition", "switch", "rate_limiter", "throttle", "retry", "timeout",
          "try_catch", "sample", "filter", "map", "for_each", "while_loop"}) {
      INFO(in_turn);
      CHECK(of(in_turn) == nodes::Scheduling::InTurn);
    }
  }

  TEST_CASE("a mixed workflow gives the sequential results, errors and events at parallelism 8") {
    auto wf = compile(kMixed);
    FakeHttp seq_http;
    Outcome seq;
    run_into(seq, *wf, 1, seq_http);
    INFO(to_json(seq.result.to_document()));
    REQUIRE(seq.result.ok());
    CHECK(seq.peak == 1);
    // What the sequential order implies.
    const Object& r = seq.result.node_results;
    CHECK(to_json(*r.find("p_peek")) == R"("eu-b:eu")");
    CHECK(to_json(*r.find("w_expr")) == R"("f")");
    CHECK(r.find("o_false") == nullptr);
    CHECK(r.find("s_x") == nullptr);
    CHECK(r.find("o_true") != nullptr);
    CHECK(r.find("s_e") != nullptr);
    for (int round = 0; round < 10; ++round) {
      INFO("round " << round);
      FakeHttp par_http;
      Outcome par;
      run_into(par, *wf, 8, par_http);
      check_same(seq, par);
      CHECK(par.peak > 1);
    }
  }

  TEST_CASE("waiting nodes overlap, at most `parallelism` at a time") {
    // Each request waits until 3 wait together: 9 requests pass only in
    // groups of 3 running at once.
    auto wf = compile(http_nodes(9, "barrier"));
    FakeHttp fake(3);
    Outcome out;
    run_into(out, *wf, 3, fake);
    REQUIRE(out.result.ok());
    CHECK(out.result.node_results.size() == 9);
    CHECK(out.peak == 3);
    // The result keeps the sequential order.
    std::vector<std::string> ids;
    for (const auto& [id, v] : out.result.node_results) ids.push_back(id);
    CHECK(ids == std::vector<std::string>{"h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9"});
  }

  TEST_CASE("an observer that does not follow concurrent nodes keeps the run sequential") {
    auto wf = compile(http_nodes(4, "slow/20"));
    FakeHttp fake;
    Outcome out;
    out.recorder.accepts = false;
    run_into(out, *wf, 8, fake);
    REQUIRE(out.result.ok());
    CHECK(out.peak == 1);

    engine::ObserverList list;
    Recorder plain;
    plain.accepts = false;
    list.add(&plain, /*concurrent=*/true);
    CHECK(list.accepts_concurrent_nodes());
    CHECK(list.get() == &list);
    engine::ObserverList strict;
    strict.add(&plain);
    strict.add(&out.recorder, true);
    CHECK_FALSE(strict.accepts_concurrent_nodes());
  }

  TEST_CASE("a shared client without per-worker clients gets one request at a time") {
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"http","data":{"url":"https://api.test/slow/20/a"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/slow/20/b"}},
      {"id":"c","type":"http","data":{"url":"https://api.test/slow/20/c"}},
      {"id":"d","type":"delay","data":{"duration":"20ms"}}]})");
    FakeHttp fake;
    Outcome out;
    run_into(out, *wf, 8, fake, {}, /*shared_only=*/true);
    REQUIRE(out.result.ok());
    CHECK(out.peak == 1);
    CHECK(out.result.node_results.size() == 4);
  }

  TEST_CASE("the HTTP-call limit fails the same node, with no request beyond the sequential ones") {
    auto wf = compile(http_nodes(6, "slow/10"));
    auto limit = [](engine::RunOptions& o) { o.limits.max_http_calls = 3; };
    FakeHttp seq_http, par_http;
    Outcome seq, par;
    run_into(seq, *wf, 1, seq_http, limit);
    run_into(par, *wf, 8, par_http, limit);
    CHECK(seq.result.status == engine::RunStatus::LimitExceeded);
    CHECK(seq.result.errors ==
          std::vector<std::string>{
              "error executing node h4: maximum HTTP calls per execution exceeded: 4 (limit: 3)"});
    check_same(seq, par);
    CHECK(par.paths.size() == 3);
  }

  TEST_CASE("retries count against the limits as sequentially") {
    // m needs two attempts (two calls); the 4th call is c's.
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"http","data":{"url":"https://api.test/slow/10/a"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/flaky/b"}},
      {"id":"c","type":"http","data":{"url":"https://api.test/slow/10/c"}},
      {"id":"d","type":"http","data":{"url":"https://api.test/slow/10/d"}},
      {"id":"r","type":"retry","data":{"max_attempts":3,"backoff_strategy":"constant",
                                       "initial_delay":"1ms"}}],
      "edges":[{"source":"b","target":"r"}]})");
    for (const auto& [calls, executions] : {std::pair<int, int>{3, 0}, {0, 4}, {0, 0}}) {
      INFO("max_http_calls " << calls << ", max_node_executions " << executions);
      auto limit = [&](engine::RunOptions& o) {
        o.limits.max_http_calls = static_cast<std::uint64_t>(calls);
        o.limits.max_node_executions = static_cast<std::uint64_t>(executions);
      };
      FakeHttp seq_http, par_http;
      Outcome seq, par;
      run_into(seq, *wf, 1, seq_http, limit);
      run_into(par, *wf, 8, par_http, limit);
      check_same(seq, par);
      if (calls == 3) {
        CHECK(seq.result.errors.at(0) ==
              "error executing node c: maximum HTTP calls per execution exceeded: 4 (limit: 3)");
      } else if (executions == 4) {
        CHECK(seq.result.errors.at(0) ==
              "error executing node d: maximum node executions exceeded: 5 (limit: 4)");
      } else {
        CHECK(seq.result.ok());
      }
    }
  }

  TEST_CASE("the node-execution limit fails the same node") {
    auto wf = compile(http_nodes(6, "slow/10"));
    auto limit = [](engine::RunOptions& o) { o.limits.max_node_executions = 4; };
    FakeHttp seq_http, par_http;
    Outcome seq, par;
    run_into(seq, *wf, 1, seq_http, limit);
    run_into(par, *wf, 8, par_http, limit);
    CHECK(seq.result.errors ==
          std::vector<std::string>{"error executing node h5: maximum node executions exceeded: 5 "
                                   "(limit: 4)"});
    check_same(seq, par);
    CHECK(par.paths.size() == 4);
  }

  TEST_CASE("the earliest failure in the order ends the run, whichever fails first in time") {
    // b fails at once, a after 80 ms; c would take 10 s.
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"http","data":{"url":"https://api.test/slow-status/80/500"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/status/404"}},
      {"id":"c","type":"http","data":{"url":"https://api.test/slow/10000/c"}},
      {"id":"d","type":"delay","data":{"duration":"10s"}}]})");
    FakeHttp fake;
    Outcome par;
    run_into(par, *wf, 8, fake);
    CHECK(par.result.status == engine::RunStatus::Failed);
    CHECK(par.result.errors ==
          std::vector<std::string>{
              "error executing node a: HTTP request returned error status: 500"});
    CHECK(par.result.node_results.size() == 0);
    // b and c ran ahead of their turn; nothing of them is kept, and c stopped.
    CHECK(par.paths.size() == 3);
    CHECK(par.aborted == 1);
    CHECK(fake.completed_waits() == 1);
    CHECK(par.recorder.events ==
          std::vector<std::string>{
              "start", "node_start a",
              "node_failure a error executing node a: HTTP request returned error status: 500",
              "end failed 1 error executing node a: HTTP request returned error status: 500"});
    CHECK(
        node_states(par.result) ==
        std::vector<std::string>{
            "3:error executing node a: HTTP request returned error status: 500", "0:", "0:", "0:"});
  }

  TEST_CASE("cancellation stops every node in flight") {
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"http","data":{"url":"https://api.test/slow/10000/a"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/slow/10000/b"}},
      {"id":"c","type":"http","data":{"url":"https://api.test/slow/10000/c"}},
      {"id":"d","type":"delay","data":{"duration":"10s"}},
      {"id":"e","type":"delay","data":{"duration":"10s"}}]})");
    FakeHttp fake;
    Outcome out;
    auto token = std::make_shared<engine::CancelToken>();
    std::thread canceller([&] {
      fake.wait_in_flight(3);
      token->cancel();
    });
    run_into(out, *wf, 8, fake, [&](engine::RunOptions& o) { o.cancel = token; });
    canceller.join();
    CHECK(out.result.status == engine::RunStatus::Cancelled);
    CHECK(out.result.errors == std::vector<std::string>{"workflow execution cancelled"});
    CHECK(out.aborted == 3);
    CHECK(fake.completed_waits() == 0);
    CHECK(out.result.node_results.size() == 0);
  }

  TEST_CASE("the run deadline stops concurrent nodes with the sequential error") {
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"delay","data":{"duration":"10s"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/slow/10000/b"}},
      {"id":"c","type":"delay","data":{"duration":"10s"}}]})");
    auto deadline = [](engine::RunOptions& o) { o.limits.max_execution_time = 200ms; };
    FakeHttp seq_http, par_http;
    Outcome seq, par;
    run_into(seq, *wf, 1, seq_http, deadline);
    run_into(par, *wf, 8, par_http, deadline);
    CHECK(seq.result.status == engine::RunStatus::TimedOut);
    CHECK(seq.result.errors ==
          std::vector<std::string>{"workflow execution timeout: exceeded 200ms"});
    CHECK(par.result.errors == seq.result.errors);
    CHECK(par.result.failed_node == seq.result.failed_node);
    CHECK(to_json(Value(par.result.node_results)) == "{}");
    CHECK(par_http.completed_waits() == 0);
  }

  TEST_CASE("warnings of a node run ahead of its turn are passed on at its turn") {
    // b's template names a constant that is never defined.
    auto wf = compile(R"({"nodes":[
      {"id":"a","type":"delay","data":{"duration":"30ms"}},
      {"id":"b","type":"http","data":{"url":"https://api.test/ok/b",
                                      "headers":{"X-Name":"{{ const.missing }}"}}},
      {"id":"c","type":"counter","data":{"counter_op":"increment"}}]})");
    std::vector<std::string> warnings;
    FakeHttp fake;
    Outcome out;
    run_into(out, *wf, 8, fake, [&](engine::RunOptions& o) {
      o.warn = [&](std::string_view node, std::string_view message) {
        warnings.push_back(std::string(node) + ": " + std::string(message));
      };
    });
    REQUIRE(out.result.ok());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].rfind("b: {{ const.missing }} is left as written", 0) == 0);
  }
}
