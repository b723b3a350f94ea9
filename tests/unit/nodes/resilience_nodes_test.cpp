// Executors of retry, try_catch and timeout (spec 03-control §25-§27 as
// changed by D10): the engine runs a guard node's predecessors under its
// policy, and the node reports the outcome. The predecessors are fake kinds
// that fail a set number of times, return soft errors, or are slow.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "run_test_util.h"

using namespace thaiyyal;
using namespace std::chrono_literals;
using nodes::testing::Ran;

namespace {

struct FakeConfig final : nodes::NodeConfig {
  Value data;
};

std::unique_ptr<const nodes::NodeConfig> keep_data(nodes::ConfigReader& r) {
  auto c = std::make_unique<FakeConfig>();
  c->data = r.node().data;
  return c;
}

const Value& data(const nodes::NodeConfig& c) { return static_cast<const FakeConfig&>(c).data; }

double number(const nodes::NodeConfig& c, std::string_view key, double fallback = 0) {
  const Value* v = data(c).find(key);
  return v && v->is_number() ? v->as_number() : fallback;
}

/// Counts this node's executions within the run (1-based).
int next_attempt(nodes::RunContext& ctx) {
  auto& slot = ctx.node_state();
  if (!slot) slot = std::make_shared<int>(0);
  return ++*static_cast<int*>(slot.get());
}

// flaky: throws "boom <attempt>" for its first data.failures executions, then
// returns {"attempt": <attempt>}.
Value run_flaky(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  const int attempt = next_attempt(ctx);
  if (attempt <= number(c, "failures")) throw nodes::NodeError("boom " + std::to_string(attempt));
  return Value(Object{{"attempt", Value(attempt)}});
}

// soft: returns the soft error {"error": "soft <attempt>"} for its first
// data.failures executions, then {"attempt": <attempt>}.
Value run_soft(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  const int attempt = next_attempt(ctx);
  if (attempt <= number(c, "failures")) {
    return Value(Object{{"error", Value("soft " + std::to_string(attempt))}});
  }
  return Value(Object{{"attempt", Value(attempt)}});
}

// slow: sleeps data.ms (interruptibly), then returns "woke".
Value run_slow(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value>) {
  ctx.sleep_for(std::chrono::milliseconds(static_cast<long>(number(c, "ms"))));
  return Value("woke");
}

// spin: busy for data.ms without ever checking for cancellation.
Value run_spin(const nodes::NodeConfig& c, nodes::RunContext&, std::span<const Value>) {
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<long>(number(c, "ms")));
  while (std::chrono::steady_clock::now() < end) {
  }
  return Value("spun");
}

const nodes::KindInfo kFakes[] = {
    {"flaky", nodes::Category::Compute, "fails N times", "{}", keep_data, run_flaky},
    {"slow", nodes::Category::Pacing, "sleeps", "{}", keep_data, run_slow},
    {"soft", nodes::Category::Compute, "soft errors N times", "{}", keep_data, run_soft},
    {"spin", nodes::Category::Compute, "busy", "{}", keep_data, run_spin},
};

Ran run(const std::string& json, engine::RunOptions opts = {}) {
  return nodes::testing::run_with(kFakes, json, std::move(opts));
}

/// `src` (kind/data as JSON) -> guard node `g` (kind/data) -> extract `x` of all keys.
std::string chain(std::string_view src, std::string_view guard) {
  return std::string(R"({"nodes": [{"id": "src", )") + std::string(src) + R"(}, {"id": "g", )" +
         std::string(guard) + R"(}], "edges": [{"source": "src", "target": "g"}]})";
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("retry: a predecessor that fails twice succeeds on attempt 3, after the backoff") {
    const auto start = std::chrono::steady_clock::now();
    const Ran r = run(chain(R"("type": "flaky", "data": {"failures": 2})",
                            R"("type": "retry", "data": {"max_attempts": 3,
                               "initial_delay": "20ms", "multiplier": 2})"));
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(r.of("src") == R"({"attempt":3})");
    CHECK(r.of("g") == R"({"value":{"attempt":3},"attempts":3,"success":true})");
    CHECK(seconds_since(start) >= 0.055);  // 20ms + 40ms of exponential backoff
  }

  TEST_CASE("retry: a healthy predecessor runs once") {
    const Ran r = run(chain(R"("type": "flaky", "data": {})", R"("data": {"max_attempts": 2})"));
    REQUIRE(r.ok());
    CHECK(r.of("g") == R"({"value":{"attempt":1},"attempts":1,"success":true})");
  }

  TEST_CASE("retry: exhausting the attempts fails with the last error") {
    Ran r = run(chain(R"("type": "flaky", "data": {"failures": 9})",
                      R"("type": "retry", "data": {"max_attempts": 3, "initial_delay": "1ms",
                         "backoff_strategy": "constant"})"));
    CHECK_FALSE(r.ok());
    CHECK(r.result.errors == std::vector<std::string>{
                                 "error executing node g: max retry attempts (3) reached: boom 3"});
    CHECK(r.value("src") == nullptr);

    // max_attempts <= 0 means one attempt (the reference crashed).
    r = run(chain(R"("type": "flaky", "data": {"failures": 9})",
                  R"("type": "retry", "data": {"max_attempts": 0})"));
    CHECK(r.error() == "error executing node g: max retry attempts (0) reached: boom 1");
  }

  TEST_CASE("retry: an error outside retry_on_errors is not retried") {
    const Ran r = run(chain(R"("type": "flaky", "data": {"failures": 9})",
                            R"("type": "retry", "data": {"max_attempts": 5, "initial_delay": "1ms",
                               "retry_on_errors": ["timeout", "503"]})"));
    CHECK(r.error() == "error executing node g: error not in retry list: boom 1");
  }

  TEST_CASE("retry: soft-error objects are re-executed too") {
    Ran r = run(chain(R"("type": "soft", "data": {"failures": 1})",
                      R"("type": "retry", "data": {"max_attempts": 3, "initial_delay": "1ms"})"));
    REQUIRE(r.ok());
    CHECK(r.of("g") == R"({"value":{"attempt":2},"attempts":2,"success":true})");

    r = run(chain(R"("type": "soft", "data": {"failures": 9})",
                  R"("type": "retry", "data": {"max_attempts": 2, "initial_delay": "1ms"})"));
    CHECK(r.error() == "error executing node g: max retry attempts (2) reached: soft 2");

    r = run(chain(R"("type": "soft", "data": {"failures": 9})",
                  R"("type": "retry", "data": {"max_attempts": 4, "initial_delay": "1ms",
                     "retry_on_errors": ["hard"]})"));
    CHECK(r.error() == "error executing node g: error not in retry list: soft 1");
  }

  TEST_CASE("retry: the run deadline cuts the backoff (D9)") {
    engine::RunOptions opts;
    opts.limits.max_execution_time = 150ms;
    const auto start = std::chrono::steady_clock::now();
    const Ran r =
        run(chain(R"("type": "flaky", "data": {"failures": 9})",
                  R"("type": "retry", "data": {"max_attempts": 5, "initial_delay": "10s"})"),
            opts);
    CHECK(seconds_since(start) < 2.0);
    CHECK(r.result.status == engine::RunStatus::TimedOut);
  }

  TEST_CASE("try_catch: a failing predecessor becomes the fallback and the run goes on") {
    const Ran r = run(R"({"nodes": [{"id": "src", "type": "flaky", "data": {"failures": 1}},
        {"id": "tc", "type": "try_catch", "data": {"fallback_value": {"items": []},
                                                   "error_output_path": "err"}},
        {"id": "x", "type": "extract", "data": {"field": "value"}}],
      "edges": [{"source": "src", "target": "tc"}, {"source": "tc", "target": "x"}]})");
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(
        r.of("tc") ==
        R"({"value":{"items":[]},"error_caught":true,"error_message":"boom 1","error_output_path":"err"})");
    CHECK(r.of("x") == R"({"field":"value","value":{"items":[]}})");
    CHECK(r.value("src") == nullptr);
    CHECK(r.result.errors.empty());
  }

  TEST_CASE("try_catch: pass-through, soft errors, continue_on_error false") {
    Ran r = run(chain(R"("type": "flaky", "data": {})", R"("data": {"fallback_value": 0})"));
    CHECK(r.of("g") == R"({"value":{"attempt":1},"error_caught":false})");

    r = run(
        chain(R"("type": "soft", "data": {"failures": 1})", R"("type": "try_catch", "data": {})"));
    CHECK(r.of("g") == R"({"value":null,"error_caught":true,"error_message":"soft 1"})");

    r = run(chain(
        R"("type": "flaky", "data": {"failures": 1})",
        R"("type": "try_catch", "data": {"fallback_value": "fb", "continue_on_error": false})"));
    CHECK(r.error() == "error executing node g: error caught: boom 1");
  }

  TEST_CASE("try_catch after retry: the exhausted retry is caught") {
    const Ran r = run(R"({"nodes": [{"id": "src", "type": "flaky", "data": {"failures": 9}},
        {"id": "r", "type": "retry", "data": {"max_attempts": 2, "initial_delay": "1ms"}},
        {"id": "tc", "type": "try_catch", "data": {"fallback_value": "gave up"}}],
      "edges": [{"source": "src", "target": "r"}, {"source": "r", "target": "tc"}]})");
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(
        r.of("tc") ==
        R"({"value":"gave up","error_caught":true,"error_message":"max retry attempts (2) reached: boom 2"})");
  }

  TEST_CASE("timeout: a slow predecessor is cut at the limit (continue)") {
    const auto start = std::chrono::steady_clock::now();
    const Ran r = run(chain(R"("type": "slow", "data": {"ms": 3000})",
                            R"("type": "timeout", "data": {"timeout": "100ms",
                               "timeout_action": "continue_with_partial"})"));
    const double took = seconds_since(start);
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(took < 1.0);
    const Value& g = *r.value("g");
    CHECK(g.find("value")->is_null());
    CHECK(g.find("timeout_duration")->as_string() == "100ms");
    CHECK(g.find("timed_out")->as_bool());
    CHECK(g.find("timeout_exceeded")->as_bool());
    CHECK(g.find("partial_result")->as_bool());
    const auto exec = parse_go_duration(g.find("execution_time")->as_string());
    REQUIRE(exec.has_value());
    CHECK(*exec >= 100ms);
    CHECK(*exec < 1s);
  }

  TEST_CASE("timeout: action error fails promptly") {
    const auto start = std::chrono::steady_clock::now();
    const Ran r = run(chain(R"("type": "slow", "data": {"ms": 3000})",
                            R"("type": "timeout", "data": {"timeout": "100ms"})"));
    CHECK(seconds_since(start) < 1.0);
    CHECK(r.error().rfind("error executing node g: operation timed out after ", 0) == 0);
    CHECK(r.error().find("(limit: 100ms)") != std::string::npos);
  }

  TEST_CASE("timeout: a fast predecessor passes; its execution_time member is data") {
    const Ran r = run(chain(R"("type": "slow", "data": {"ms": 1})",
                            R"("data": {"timeout": "1500", "timeout_action": "error"})"));
    REQUIRE(r.ok());
    const Value& g = *r.value("g");
    CHECK(g.find("value")->as_string() == "woke");
    CHECK(g.find("timeout_duration")->as_string() == "1.5s");
    CHECK_FALSE(g.find("timed_out")->as_bool());
    CHECK(g.find("timeout_exceeded") == nullptr);
  }

  TEST_CASE("timeout: a predecessor that overruns without checking is reported") {
    const Ran r = run(chain(R"("type": "spin", "data": {"ms": 60})",
                            R"("type": "timeout", "data": {"timeout": "10ms",
                               "timeout_action": "continue"})"));
    REQUIRE(r.ok());
    CHECK(r.of("g").find(R"("value":"spun")") != std::string::npos);
    CHECK(r.value("g")->find("timed_out")->as_bool());
    CHECK(r.value("g")->find("partial_result")->as_bool());
  }

  TEST_CASE("timeout: an unparseable limit fails the node and guards nothing") {
    const Ran r = run(chain(R"("type": "slow", "data": {"ms": 50})",
                            R"("type": "timeout", "data": {"timeout": "abc"})"));
    CHECK(r.of("src") == R"("woke")");
    CHECK(r.error() == "error executing node g: invalid timeout duration: abc");
  }
}
