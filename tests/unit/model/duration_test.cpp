#include "thaiyyal/model/duration.h"

#include <doctest/doctest.h>

#include <limits>

using namespace thaiyyal;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

/// Nanoseconds as a number, or -1 when parsing fails (no test uses -1 ns).
std::int64_t go(std::string_view s) {
  auto d = parse_go_duration(s);
  return d ? d->count() : -1;
}

std::int64_t ns(Nanos d) { return d.count(); }

std::int64_t node(std::string_view s) {
  auto d = parse_node_duration(s);
  return d ? d->count() : -1;
}

}  // namespace

TEST_SUITE("model") {
  TEST_CASE("go durations: valid forms") {
    CHECK(go("0") == 0);
    CHECK(go("-0") == 0);
    CHECK(go("+0") == 0);
    CHECK(go("0s") == 0);
    CHECK(go("1ns") == 1);
    CHECK(go("1us") == 1000);
    CHECK(go("1\xC2\xB5s") == 1000);  // U+00B5 micro sign
    CHECK(go("1\xCE\xBCs") == 1000);  // U+03BC Greek mu
    CHECK(go("200ms") == ns(milliseconds(200)));
    CHECK(go("1.5s") == ns(milliseconds(1500)));
    CHECK(go(".5s") == ns(milliseconds(500)));
    CHECK(go("1.s") == ns(seconds(1)));
    CHECK(go("1m30s") == ns(seconds(90)));
    CHECK(go("2h45m") == ns(minutes(165)));
    CHECK(go("1h2m3.5s") == ns(milliseconds(3723500)));
    CHECK(go("1s1s") == ns(seconds(2)));  // Go allows repeated units
    CHECK(go("-5s") == -ns(seconds(5)));
    CHECK(go("+5s") == ns(seconds(5)));
    CHECK(go("1.000000001s") == 1000000001);
    CHECK(go("0.1ms") == ns(microseconds(100)));
    CHECK(go("9223372036854775807ns") == std::numeric_limits<std::int64_t>::max());
    CHECK(go("2562047h") == ns(hours(2562047)));
  }

  TEST_CASE("go durations: invalid forms") {
    CHECK(go("") == -1);
    CHECK(go("-") == -1);
    CHECK(go("5") == -1);  // a unit is required except for "0"
    CHECK(go("00") == -1);
    CHECK(go("s") == -1);
    CHECK(go(".s") == -1);
    CHECK(go("1d") == -1);
    CHECK(go("1S") == -1);
    CHECK(go("1h1") == -1);
    CHECK(go("1 s") == -1);
    CHECK(go(" 1s") == -1);
    CHECK(go("1e3s") == -1);
    CHECK(go("--1s") == -1);
    CHECK(go("9223372036854775808ns") == -1);  // overflow
    CHECK(go("2562048h") == -1);
    CHECK(go("99999999999999999999h") == -1);
  }

  TEST_CASE("node durations fall back to integer milliseconds") {
    CHECK(node("1500") == ns(milliseconds(1500)));
    CHECK(node("5") == ns(milliseconds(5)));
    CHECK(node("0") == 0);
    CHECK(node("00") == 0);
    CHECK(node("+5") == ns(milliseconds(5)));
    CHECK(node("-5") == -ns(milliseconds(5)));
    CHECK(node("2s") == ns(seconds(2)));  // Go syntax first
    CHECK(node("") == -1);
    CHECK(node("-") == -1);
    CHECK(node("1.5") == -1);
    CHECK(node("1d") == -1);
    CHECK(node("5 ") == -1);
    CHECK(node("1234567890123456") == -1);  // too long to be milliseconds
  }

  TEST_CASE("go durations: formatting") {
    CHECK(format_go_duration(Nanos(0)) == "0s");
    CHECK(format_go_duration(Nanos(2)) == "2ns");
    CHECK(format_go_duration(Nanos(1500)) == "1.5\xC2\xB5s");
    CHECK(format_go_duration(microseconds(1)) == "1\xC2\xB5s");
    CHECK(format_go_duration(milliseconds(100)) == "100ms");
    CHECK(format_go_duration(microseconds(1500)) == "1.5ms");
    CHECK(format_go_duration(Nanos(999999999)) == "999.999999ms");
    CHECK(format_go_duration(seconds(1)) == "1s");
    CHECK(format_go_duration(milliseconds(1500)) == "1.5s");
    CHECK(format_go_duration(seconds(90)) == "1m30s");
    CHECK(format_go_duration(minutes(5)) == "5m0s");
    CHECK(format_go_duration(hours(2)) == "2h0m0s");
    CHECK(format_go_duration(hours(1) + milliseconds(500)) == "1h0m0.5s");
    CHECK(format_go_duration(seconds(1) + Nanos(1)) == "1.000000001s");
    CHECK(format_go_duration(-milliseconds(1500)) == "-1.5s");
    CHECK(format_go_duration(Nanos(-1)) == "-1ns");
    CHECK(format_go_duration(Nanos(std::numeric_limits<std::int64_t>::max())) ==
          "2562047h47m16.854775807s");
    CHECK(format_go_duration(Nanos(std::numeric_limits<std::int64_t>::min())) ==
          "-2562047h47m16.854775808s");
  }

  TEST_CASE("go durations: format then parse round trips") {
    for (std::int64_t ns :
         {std::int64_t{1}, std::int64_t{1500}, std::int64_t{2500000}, std::int64_t{90000000000},
          std::int64_t{7200000000000}, std::int64_t{3600500000000}, std::int64_t{-1500000000}}) {
      INFO(ns);
      CHECK(go(format_go_duration(Nanos(ns))) == ns);
    }
  }
}
