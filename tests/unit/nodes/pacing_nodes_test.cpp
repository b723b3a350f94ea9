// Executors of rate_limiter and throttle (spec 03 §7.2, §7.3; D9). Each node
// runs once per run, so the pacing is exercised by fake kinds that run the
// real executor three times in one execution (same node state, real sleeps).
#include <doctest/doctest.h>

#include <chrono>

#include "run_test_util.h"

using namespace thaiyyal;
using namespace std::chrono_literals;
using nodes::testing::Ran;

namespace {

template <const char* Kind>
Value run_thrice(const nodes::NodeConfig& c, nodes::RunContext& ctx, std::span<const Value> in) {
  const nodes::KindInfo* k = nodes::find_kind(Kind);
  Array out;
  for (int i = 0; i < 3; ++i) out.push_back(k->run(c, ctx, in));
  return Value(std::move(out));
}

constexpr char kRateLimiter[] = "rate_limiter";
constexpr char kThrottle[] = "throttle";

/// `rate_limiter3` / `throttle3`: the real kind's configuration, executed three times.
std::span<const nodes::KindInfo> fakes() {
  static const nodes::KindInfo kinds[] = {
      {"rate_limiter3", nodes::Category::Pacing, "x3", "{}",
       nodes::find_kind("rate_limiter")->parse, run_thrice<kRateLimiter>},
      {"throttle3", nodes::Category::Pacing, "x3", "{}", nodes::find_kind("throttle")->parse,
       run_thrice<kThrottle>},
  };
  return kinds;
}

Ran run(const std::string& json, engine::RunOptions opts = {}) {
  return nodes::testing::run_with(fakes(), json, std::move(opts));
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("rate_limiter: passes its input with the window metadata") {
    const Ran r = run(R"({"nodes": [{"id": "a", "data": {"text": "go"}},
        {"id": "r", "type": "rate_limiter", "data": {"max_requests": 5, "per_duration": "1m"}}],
      "edges": [{"source": "a", "target": "r"}]})");
    REQUIRE(r.ok());
    CHECK(
        r.of("r") ==
        R"({"value":"go","rate_limited":true,"requests_count":1,"max_requests":5,"window":"1m"})");
  }

  TEST_CASE("rate_limiter: run-time configuration errors, in order") {
    auto error_of = [](const char* data) {
      return run(std::string(R"({"nodes": [{"id": "r", "type": "rate_limiter", "data": )") + data +
                 "}]}")
          .error();
    };
    CHECK(error_of(R"({"max_requests": 0, "per_duration": "x", "strategy": "y"})") ==
          "error executing node r: invalid per_duration format: invalid duration format: x (use "
          "formats like '5s', '10m', '1h')");
    CHECK(error_of(R"({"max_requests": 0, "per_duration": "1s", "strategy": "token_bucket"})") ==
          "error executing node r: unsupported rate limit strategy: token_bucket (only "
          "fixed_window supported)");
    CHECK(error_of(R"({"max_requests": -1, "per_duration": "1s"})") ==
          "error executing node r: max_requests must be positive");
  }

  TEST_CASE("rate_limiter: a full window waits until its oldest request leaves it") {
    const auto start = std::chrono::steady_clock::now();
    const Ran r = run(R"({"nodes": [{"id": "r", "type": "rate_limiter3",
        "data": {"max_requests": 2, "per_duration": "150ms"}}]})");
    const double took = seconds_since(start);
    REQUIRE(r.ok());
    const Array& out = r.value("r")->as_array();
    CHECK(out[0].find("requests_count")->as_number() == 1);
    CHECK(out[1].find("requests_count")->as_number() == 2);
    // The third waited for the first to leave the window. The second, made
    // just after the first, has left too unless the wake-up came sooner than
    // the gap between the two (slow builds such as the sanitizers').
    const double third = out[2].find("requests_count")->as_number();
    CHECK((third == 1 || third == 2));
    CHECK(took >= 0.14);
    CHECK(took < 2.0);
  }

  TEST_CASE("rate_limiter: the wait is cut by the run deadline (D9)") {
    engine::RunOptions opts;
    opts.limits.max_execution_time = 100ms;
    const auto start = std::chrono::steady_clock::now();
    const Ran r = run(R"({"nodes": [{"id": "r", "type": "rate_limiter3",
        "data": {"max_requests": 1, "per_duration": "1h"}}]})",
                      opts);
    CHECK(seconds_since(start) < 2.0);
    CHECK(r.result.status == engine::RunStatus::TimedOut);
    CHECK(r.error() == "workflow execution timeout: exceeded 100ms");
  }

  TEST_CASE("throttle: the first execution never waits; later ones are spaced") {
    Ran r = run(R"({"nodes": [{"id": "a", "data": {"value": 3}},
        {"id": "th", "type": "throttle", "data": {"requests_per_second": 2.5}}],
      "edges": [{"source": "a", "target": "th"}]})");
    REQUIRE(r.ok());
    CHECK(r.of("th") == R"({"value":3,"throttled":true,"requests_per_second":2.5,"delay_ms":0})");

    const auto start = std::chrono::steady_clock::now();
    r = run(
        R"({"nodes": [{"id": "th", "type": "throttle3", "data": {"requests_per_second": 10}}]})");
    const double took = seconds_since(start);
    REQUIRE(r.ok());
    const Array& out = r.value("th")->as_array();
    CHECK(out[0].find("delay_ms")->as_number() == 0);
    CHECK(out[1].find("delay_ms")->as_number() >= 90);
    CHECK(out[2].find("delay_ms")->as_number() >= 90);
    CHECK(out[2].find("value")->is_null());
    CHECK(took >= 0.19);
    CHECK(took < 2.0);
  }

  TEST_CASE("throttle: a non-positive rate fails when run") {
    const Ran r = run(
        R"({"nodes": [{"id": "th", "type": "throttle", "data": {"requests_per_second": -1.5}}]})");
    CHECK(r.error() ==
          "error executing node th: requests_per_second must be positive, got -1.500000");
  }
}
