// Executors of the input, display, compute, control (condition, switch),
// state, data-shaping (extract, transform), flow and delay kinds (spec 03-io
// §1-§3, §5, §6.1-§6.2, §7.1; 03-control §1, §2, §22-§24; 02 §2.3; D2, D9,
// D12, D15, D21). Each test runs a small workflow through the engine.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>

#include "run_test_util.h"

using namespace thaiyyal;
using namespace std::chrono_literals;
using nodes::testing::Ran;

namespace {

Ran run(const std::string& json, engine::RunOptions opts = {}) {
  return nodes::testing::run_with({}, json, std::move(opts));
}

/// A workflow whose node "src" yields `value` (any JSON) and feeds node "n"
/// of `type` with `data`.
std::string fed(std::string_view value, std::string_view type, std::string_view data) {
  return fmt::format(
      R"({{"nodes": [{{"id": "src", "type": "renderer", "data": {{}}}},
                     {{"id": "lit", "type": "expression", "data": {{"expression": "{}"}}}},
                     {{"id": "n", "type": "{}", "data": {}}}],
          "edges": [{{"source": "src", "target": "lit"}}, {{"source": "lit", "target": "n"}}]}})",
      value, type, data);
}

/// One node "n" without inputs.
std::string alone(std::string_view type, std::string_view data) {
  return fmt::format(R"({{"nodes": [{{"id": "n", "type": "{}", "data": {}}}]}})", type, data);
}

}  // namespace

TEST_CASE("input kinds emit their constant; text_input fills in templates (D12)") {
  engine::RunOptions opts;
  opts.constants.set("who", Value("world"));
  auto r = run(R"({"nodes": [
      {"id": "t", "type": "text_input", "data": {"text": "hi {{ const.who }} {{ const.nope }}"}},
      {"id": "b", "type": "boolean_input", "data": {"boolean_value": false}},
      {"id": "d", "type": "date_input", "data": {"date_value": "2024-02-30"}},
      {"id": "dt", "type": "datetime_input", "data": {"datetime_value": "not a date"}}]})",
               opts);
  REQUIRE(r.ok());
  CHECK(r.of("t") == R"("hi world {{ const.nope }}")");
  CHECK(r.of("b") == "false");
  CHECK(r.of("d") == R"("2024-02-30")");
  CHECK(r.of("dt") == R"("not a date")");
}

TEST_CASE("display kinds pass the first input through") {
  CHECK(run(alone("renderer", "{}")).of("n") == "null");
  auto v = run(alone("visualization", "{}"));
  CHECK_FALSE(v.ok());
  CHECK(v.error() == "error executing node n: visualization needs at least 1 input");
  CHECK(run(fed("[1, 2]", "visualization", "{}")).of("n") == "[1,2]");
}

TEST_CASE("operation: edge order, checks in order, non-finite results fail (D2)") {
  auto two = [](double a, double b, std::string_view op) {
    return run(fmt::format(R"({{"nodes": [
        {{"id": "a", "type": "number", "data": {{"value": {}}}}},
        {{"id": "b", "type": "number", "data": {{"value": {}}}}},
        {{"id": "n", "type": "operation", "data": {{"op": "{}"}}}}],
        "edges": [{{"source": "b", "target": "n"}}, {{"source": "a", "target": "n"}}]}})",
                           a, b, op));
  };
  CHECK(two(5, 3, "subtract").of("n") == "-2");
  CHECK(two(5, 3, "multiply").of("n") == "15");
  CHECK(two(0, 3, "divide").error() == "error executing node n: division by zero");
  CHECK(two(-0.0, 3, "divide").error() == "error executing node n: division by zero");
  CHECK(two(0, 3, "modulo").error() == "error executing node n: unknown operation: modulo");
  CHECK(two(10, 1e308, "multiply").error() == "error executing node n: numeric overflow");
  CHECK(two(1e308, -1e308, "subtract").error() == "error executing node n: numeric overflow");
  CHECK(run(fed("1", "operation", R"({"op": "add"})")).error() ==
        "error executing node n: operation needs 2 inputs, got 1");
}

TEST_CASE("text_operation: case mappings of spec 03 §3.2") {
  auto op = [](std::string_view text, std::string_view data) {
    return run(fmt::format(
                   R"({{"nodes": [{{"id": "a", "type": "text_input", "data": {{"text": "{}"}}}},
                                          {{"id": "n", "type": "text_operation", "data": {}}}],
                               "edges": [{{"source": "a", "target": "n"}}]}})",
                   text, data))
        .of("n");
  };
  CHECK(op("3rd o'neil hello-world foo_bar a.b x:y ÉCOLE élan", R"({"text_op": "titlecase"})") ==
        R"("3Rd O'neil Hello-World Foo_bar A.b X:y École Élan")");
  CHECK(op("hello BIG world", R"({"text_op": "titlecase"})") == R"("Hello Big World")");
  CHECK(op("ǆemal ﬁsh a''b", R"({"text_op": "titlecase"})") == R"("ǅemal Fish A''B")");
  CHECK(op("  Hello\\tWORLD  x ", R"({"text_op": "camelcase"})") == R"("helloWorldX")");
  CHECK(op("hello-world foo_bar", R"({"text_op": "camelcase"})") == R"("hello-worldFoo_bar")");
  CHECK(op("le ÉCOLE", R"({"text_op": "camelcase"})") == R"("leÉcole")");  // D-14
  CHECK(op("   ", R"({"text_op": "camelcase"})") == R"("   ")");
  CHECK(op("Hello ǅ ß", R"({"text_op": "inversecase"})") == R"("hELLO ǅ ß")");
  CHECK(op("straße ﬁ", R"({"text_op": "uppercase"})") == R"("STRAßE ﬁ")");
  CHECK(op("ÀB", R"({"text_op": "lowercase"})") == R"("àb")");
  CHECK(op("ab", R"({"text_op": "repeat", "repeat_n": 3})") == R"("ababab")");
  CHECK(op("ab", R"({"text_op": "repeat", "repeat_n": 0})") == R"("")");
}

TEST_CASE("text_operation: checks and the repeat bound (D-13)") {
  CHECK(run(alone("text_operation", R"({"text_op": "uppercase"})")).error() ==
        "error executing node n: text operation needs at least 1 input");
  // An unknown operation on a non-string input reports the input first.
  CHECK(run(fed("1", "text_operation", R"({"text_op": "trim"})")).error() ==
        "error executing node n: text operation input must be text/string");
  CHECK(run(fed("'x'", "text_operation", R"({"text_op": "trim"})")).error() ==
        "error executing node n: unknown text operation: trim");
  CHECK(run(fed("1", "text_operation", R"({"text_op": "concat"})")).error() ==
        "error executing node n: concat operation input 0 must be text/string");
  CHECK(run(fed("'x'", "text_operation", R"({"text_op": "repeat", "repeat_n": -1})")).error() ==
        "error executing node n: repeat_n must be non-negative, got -1");
  engine::RunOptions opts;
  opts.limits.max_string_length = 10;
  auto r = run(fed("'abcd'", "text_operation", R"({"text_op": "repeat", "repeat_n": 3})"), opts);
  CHECK(r.error().find("repeat result too long") != std::string::npos);
}

TEST_CASE("expression: value mode, pass-through when blank, errors wrapped (02 §2.3)") {
  CHECK(run(fed("4", "expression", R"({"expression": "input * 2 + item"})")).of("n") == "12");
  CHECK(run(fed("4", "expression", R"({"expression": "  "})")).of("n") ==
        R"({"result":4,"warning":"no expression specified"})");
  CHECK(run(alone("expression", R"({"expression": "1 + 2"})")).error() ==
        "error executing node n: expression node needs at least 1 input");
  CHECK(run(fed("4", "expression", R"({"expression": "input / 0"})")).error() ==
        "error executing node n: expression evaluation failed: math error at column 7: division "
        "by zero");
}

TEST_CASE("condition: routing keys and evaluation failures") {
  auto r = run(fed("15", "condition", R"({"condition": "input > 10"})"));
  CHECK(r.of("n") == R"({"value":15,"condition_met":true,"condition":"input > 10","path":"true",)"
                     R"("true_path":true,"false_path":false})");
  CHECK(run(fed("5", "condition", R"({"condition": ">10"})")).of("n") ==
        R"({"value":5,"condition_met":false,"condition":">10","path":"false",)"
        R"("true_path":false,"false_path":true})");
  auto bad = run(fed("'abc'", "condition", R"({"condition": "input * 2 > 1"})"));
  CHECK(bad.error().rfind("error executing node n: condition evaluation failed: type error at "
                          "column 7: ",
                          0) == 0);
  CHECK(run(alone("condition", R"({"condition": "true"})")).error() ==
        "error executing node n: condition node needs at least 1 input");
}

TEST_CASE("switch: first match, default, and a failing case stops the walk") {
  const std::string cases = R"({"cases": [
      {"when": "input == 1", "output_path": "one"},
      {"when": "input.x > 1", "output_path": "big"},
      {"when": "default", "is_default": true}]})";
  CHECK(run(fed("1", "switch", cases)).of("n") ==
        R"({"value":1,"matched":true,"case":"input == 1","output_path":"one","case_index":0})");
  CHECK(
      run(fed("{x: 5}", "switch", cases)).of("n") ==
      R"({"value":{"x":5},"matched":true,"case":"input.x > 1","output_path":"big","case_index":1})");
  CHECK(
      run(fed("{x: 0}", "switch", cases)).of("n") ==
      R"({"value":{"x":0},"matched":false,"case":"default","output_path":"default","case_index":2})");
  const std::string failing = R"({"cases": [
      {"when": "input * 2 > 1", "output_path": "a"},
      {"when": "true", "output_path": "b"},
      {"is_default": true, "output_path": "d"}]})";
  CHECK(run(fed("'s'", "switch", failing))
            .error()
            .rfind("error executing node n: switch case 0 evaluation failed: type error", 0) == 0);
  CHECK(run(alone("switch", cases)).error() ==
        "error executing node n: switch node requires at least one input");
}

TEST_CASE("variable: set stores the first input, get reads it, limits apply") {
  auto r = run(R"({"nodes": [
      {"id": "a", "type": "number", "data": {"value": 10}},
      {"id": "s", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
      {"id": "g", "type": "variable", "data": {"var_name": "x", "var_op": "get"}},
      {"id": "e", "type": "expression", "data": {"expression": "x + variables.x"}}],
      "edges": [{"source": "a", "target": "s"}, {"source": "s", "target": "g"},
                {"source": "g", "target": "e"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("s") == R"({"var_name":"x","operation":"set","value":10})");
  CHECK(r.of("g") == R"({"var_name":"x","operation":"get","value":10})");
  CHECK(r.of("e") == "20");
  CHECK(run(alone("variable", R"({"var_name": "nope", "var_op": "get"})")).error() ==
        "error executing node n: variable 'nope' not found");
  CHECK(run(alone("variable", R"({"var_name": "x", "var_op": "set"})")).error() ==
        "error executing node n: variable set operation requires input value");
  CHECK(run(alone("variable", R"({"var_name": "x", "var_op": "put"})")).error() ==
        "error executing node n: unsupported variable operation: put (use 'get' or 'set')");
  engine::RunOptions opts;
  opts.limits.max_variables = 1;
  auto limited = run(R"({"nodes": [
      {"id": "a", "type": "number", "data": {"value": 1}},
      {"id": "s1", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
      {"id": "s2", "type": "variable", "data": {"var_name": "y", "var_op": "set"}}],
      "edges": [{"source": "a", "target": "s1"}, {"source": "s1", "target": "s2"}]})",
                     opts);
  CHECK(limited.error() == "error executing node s2: maximum variables exceeded: 1 (limit: 1)");
}

TEST_CASE("extract: literal top-level keys") {
  const std::string obj = "{a: 1, 'user.name': 'd', n: null}";
  CHECK(run(fed(obj, "extract", R"({"field": "user.name"})")).of("n") ==
        R"({"field":"user.name","value":"d"})");
  CHECK(run(fed(obj, "extract", R"({"field": "n"})")).of("n") == R"({"field":"n","value":null})");
  CHECK(run(fed(obj, "extract", R"({"fields": ["n", "zzz", "a", "a"]})")).of("n") ==
        R"({"n":null,"a":1})");
  CHECK(run(fed(obj, "extract", R"({"field": "c"})")).error() ==
        "error executing node n: field 'c' not found in input object");
  CHECK(run(fed("[1]", "extract", R"({"field": "c"})")).error() ==
        "error executing node n: extract node requires object input, got array");
  CHECK(run(alone("extract", R"({"field": "c"})")).error() ==
        "error executing node n: extract node requires input");
}

TEST_CASE("transform: shapes, key order (D15) and empty flatten (D3)") {
  CHECK(run(fed("{b: 1, a: 2, c: 3}", "transform", R"({"transform_type": "keys"})")).of("n") ==
        R"(["a","b","c"])");
  CHECK(run(fed("{b: 1, a: 2, c: 3}", "transform", R"({"transform_type": "values"})")).of("n") ==
        "[2,1,3]");
  CHECK(run(fed("[[], [[]]]", "transform", R"({"transform_type": "flatten"})")).of("n") == "[]");
  CHECK(run(fed("[1, [2, [3]], 'x']", "transform", R"({"transform_type": "flatten"})")).of("n") ==
        R"([1,2,3,"x"])");
  CHECK(run(fed("['a', 1, 'a', 2, 'b']", "transform", R"({"transform_type": "to_object"})"))
            .of("n") == R"({"a":2})");
  CHECK(run(fed("[1, 2]", "transform", R"({"transform_type": "to_object"})")).error() ==
        "error executing node n: to_object requires string keys at index 0");
  CHECK(run(fed("5", "transform", R"({"transform_type": "to_array"})")).of("n") == "[5]");
  CHECK(run(fed("5", "transform", R"({"transform_type": "keys"})")).error() ==
        "error executing node n: keys transform requires object input, got number");
  CHECK(run(fed("5", "transform", R"({"transform_type": "pivot"})")).error() ==
        "error executing node n: unsupported transform type: pivot");
  CHECK(run(alone("transform", R"({"transform_type": "pivot"})")).error() ==
        "error executing node n: transform node requires input");
}

TEST_CASE("accumulator: one shared slot per run") {
  auto r = run(R"({"nodes": [
      {"id": "a", "type": "text_input", "data": {"text": "x"}},
      {"id": "acc0", "type": "accumulator", "data": {"accum_op": "array", "initial_value": [0]}},
      {"id": "acc1", "type": "accumulator", "data": {"accum_op": "array", "initial_value": [9]}}],
      "edges": [{"source": "a", "target": "acc1"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("acc0") == R"({"operation":"array","value":[0]})");
  CHECK(r.of("acc1") == R"({"operation":"array","value":[0,"x"]})");
  CHECK(run(fed("1", "accumulator", R"({"accum_op": "sum", "initial_value": "5"})")).error() ==
        "error executing node n: accumulator value is not a number");
  CHECK(run(fed("'5'", "accumulator", R"({"accum_op": "product"})")).error() ==
        "error executing node n: product accumulator requires numeric input, got string");
  CHECK(run(fed("'5'", "accumulator", R"({"accum_op": "count"})")).of("n") ==
        R"({"operation":"count","value":1})");
  CHECK(run(fed("1", "accumulator", R"({"accum_op": "median"})")).error() ==
        "error executing node n: unsupported accumulator operation: median");
  CHECK(run(alone("accumulator", R"({"accum_op": "median"})")).of("n") ==
        R"({"operation":"median","value":null})");
  CHECK(
      run(fed("1e308", "accumulator", R"({"accum_op": "product", "initial_value": 10})")).error() ==
      "error executing node n: numeric overflow");
}

TEST_CASE("counter: initial_value overwrites on every execution") {
  auto r = run(R"({"nodes": [
      {"id": "c1", "type": "counter", "data": {"counter_op": "increment", "delta": 2.5}},
      {"id": "c2", "type": "counter", "data": {"counter_op": "decrement", "initial_value": 10}},
      {"id": "c3", "type": "counter", "data": {"counter_op": "get", "initial_value": null}},
      {"id": "c4", "type": "counter", "data": {"counter_op": "reset", "initial_value": 7}}],
      "edges": [{"source": "c1", "target": "c2"}, {"source": "c2", "target": "c3"},
                {"source": "c3", "target": "c4"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("c1") == R"({"operation":"increment","value":2.5})");
  CHECK(r.of("c2") == R"({"operation":"decrement","value":9})");
  CHECK(r.of("c3") == R"({"operation":"get","value":9})");
  CHECK(r.of("c4") == R"({"operation":"reset","value":7})");
}

TEST_CASE("cache: set/get/delete, TTL expiry (D15)") {
  auto r = run(R"({"nodes": [
      {"id": "a", "type": "number", "data": {"value": 5}},
      {"id": "s", "type": "cache", "data": {"cache_op": "set", "cache_key": "k", "ttl": "1h"}},
      {"id": "z", "type": "cache", "data": {"cache_op": "set", "cache_key": "z", "ttl": "0"}},
      {"id": "g", "type": "cache", "data": {"cache_op": "get", "cache_key": "k"}},
      {"id": "gz", "type": "cache", "data": {"cache_op": "get", "cache_key": "z"}},
      {"id": "d", "type": "cache", "data": {"cache_op": "delete", "cache_key": "k"}},
      {"id": "g2", "type": "cache", "data": {"cache_op": "get", "cache_key": "k"}}],
      "edges": [{"source": "a", "target": "s"}, {"source": "a", "target": "z"},
                {"source": "s", "target": "g"}, {"source": "z", "target": "gz"},
                {"source": "g", "target": "d"}, {"source": "d", "target": "g2"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("s") == R"({"operation":"set","key":"k","value":5,"ttl":"1h"})");
  CHECK(r.of("g") == R"({"operation":"get","key":"k","found":true,"value":5})");
  CHECK(r.of("gz") == R"({"operation":"get","key":"z","found":false,"value":null})");
  CHECK(r.of("d") == R"({"operation":"delete","key":"k","deleted":true})");
  CHECK(r.of("g2") == R"({"operation":"get","key":"k","found":false,"value":null})");
  CHECK(run(fed("1", "cache", R"({"cache_op": "set", "cache_key": "k", "ttl": "soon"})")).error() ==
        "error executing node n: invalid TTL format: invalid duration format: soon (use formats "
        "like '5s', '10m', '1h')");
  CHECK(run(alone("cache", R"({"cache_op": "set", "cache_key": "k"})")).error() ==
        "error executing node n: cache set operation requires an input value");
}

TEST_CASE("context nodes: conversions (spec 03 §5.5, D2, D21)") {
  auto r = run(R"({"nodes": [{"id": "cv", "type": "context_variable", "data": {"context_values": [
      {"name": "n", "value": "1_000", "type": "number"},
      {"name": "h", "value": "0x1p4", "type": "number"},
      {"name": "b", "value": "F", "type": "boolean"},
      {"name": "b2", "value": 2, "type": "boolean"},
      {"name": "s", "value": [1e21, "x", null, {"k": 1e-7}], "type": "string"},
      {"name": "ms", "value": -1500, "type": "epoch_ms"},
      {"name": "sec", "value": "1700000000", "type": "epoch_second"},
      {"name": "ts", "value": "2024-01-02T03:04:05.5+05:30", "type": "time_string"},
      {"name": "z", "value": 1, "type": "null"}]}},
      {"id": "one", "type": "number", "data": {"value": 1}},
      {"id": "x", "type": "expression", "data": {"expression": "context.ms"}}],
      "edges": [{"source": "one", "target": "x"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("cv") ==
        R"({"type":"variable","variables":{"n":1000,"h":16,"b":false,"b2":true,)"
        R"("s":"[1e+21 x <nil> map[k:1e-7]]","ms":"1969-12-31T23:59:58.500Z",)"
        R"("sec":"2023-11-14T22:13:20.000Z","ts":"2024-01-02T03:04:05.5+05:30","z":null}})");
  CHECK(r.of("x") == R"("1969-12-31T23:59:58.500Z")");

  auto fails = [](std::string_view value, std::string_view type) {
    return run(fmt::format(R"({{"nodes": [{{"id": "n", "type": "context_constant", "data": {{
        "context_values": [{{"name": "q", "value": {}, "type": "{}"}}]}}}}]}})",
                           value, type))
        .error();
  };
  CHECK(fails(R"("abc")", "number") ==
        "error executing node n: context_constant node: error converting q (number): cannot "
        "convert \"abc\" to number: not a number");
  CHECK(fails(R"("NaN")", "number").find("not a finite number") != std::string::npos);
  CHECK(fails("true", "number").find("cannot convert type boolean to number") != std::string::npos);
  CHECK(fails(R"("yes")", "boolean")
            .find("cannot convert \"yes\" to boolean: use true, false, 1 or 0") !=
        std::string::npos);
  CHECK(fails(R"("2024-02-30T00:00:00Z")", "time_string").find("invalid time string") !=
        std::string::npos);
  CHECK(fails(R"("2024-01-02t00:00:00Z")", "time_string").find("invalid time string") !=
        std::string::npos);
  CHECK(fails(R"("1.5")", "epoch_second")
            .find("cannot convert \"1.5\" to epoch seconds: not a whole number") !=
        std::string::npos);
  CHECK(fails("{}", "epoch_ms").find("cannot convert type object to epoch milliseconds") !=
        std::string::npos);
}

TEST_CASE("context nodes: legacy form and what expressions see") {
  auto r = run(R"({"nodes": [
      {"id": "c1", "type": "context_constant", "data": {"context_name": "env", "context_value": "prod"}},
      {"id": "c2", "type": "context_variable", "data": {"context_values": [
          {"name": "env", "value": "dev", "type": "string"}]}},
      {"id": "one", "type": "number", "data": {"value": 1}},
      {"id": "x", "type": "expression", "data": {"expression": "context.env"}}],
      "edges": [{"source": "one", "target": "x"}]})");
  REQUIRE(r.ok());
  CHECK(r.of("c1") == R"({"type":"const","name":"env","value":"prod"})");
  CHECK(r.of("x") == R"("dev")");  // a context variable shadows a constant
  CHECK(run(alone("context_variable", R"({"context_name": "env"})")).error() ==
        "error executing node n: context_variable node missing context_value");
}

TEST_CASE("delay: wraps the first input; the run deadline interrupts it (D9)") {
  CHECK(run(fed("3", "delay", R"({"duration": "5"})")).of("n") ==
        R"({"value":3,"duration":"5","delayed":true})");
  CHECK(run(alone("delay", R"({"duration": "-1s"})")).of("n") ==
        R"({"value":null,"duration":"-1s","delayed":true})");
  CHECK(run(alone("delay", R"({"duration": "soon"})")).error() ==
        "error executing node n: invalid duration format: invalid duration format: soon (use "
        "formats like '5s', '10m', '1h')");
  engine::RunOptions opts;
  opts.limits.max_execution_time = 100ms;
  const auto started = std::chrono::steady_clock::now();
  auto r = run(alone("delay", R"({"duration": "1m"})"), opts);
  CHECK_FALSE(r.ok());
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(r.error().find("workflow execution timeout") != std::string::npos);
}

TEST_CASE("join, split and parallel gather and copy their inputs") {
  const std::string two = R"({"nodes": [
      {"id": "a", "type": "number", "data": {"value": 1}},
      {"id": "b", "type": "number", "data": {"value": 2}},
      {"id": "n", "type": "%s", "data": %s}],
      "edges": [{"source": "b", "target": "n"}, {"source": "a", "target": "n"}]})";
  auto with = [&](std::string_view type, std::string_view data) {
    std::string s = two;
    s.replace(s.find("%s"), 2, type);
    s.replace(s.find("%s"), 2, data);
    return run(s).of("n");
  };
  CHECK(with("join", "{}") == R"({"strategy":"all","values":[2,1],"count":2})");
  CHECK(with("join", R"({"join_strategy": "any"})") == R"({"strategy":"any","value":2,"count":2})");
  CHECK(with("join", R"({"join_strategy": "first"})") == R"({"strategy":"first","value":2})");
  CHECK(with("parallel", R"({"max_concurrency": 0})") ==
        R"({"results":[2,1],"count":2,"concurrency":0})");
  CHECK(with("split", R"({"paths": ["p", "q", "p"]})") ==
        R"({"value":2,"paths":["p","q","p"],"outputs":{"p":2,"q":2}})");
  CHECK(run(alone("join", R"({"join_strategy": "first"})")).error() ==
        "error executing node n: join node with 'first' strategy has no inputs");
  CHECK(run(alone("join", R"({"join_strategy": "last"})")).error() ==
        "error executing node n: unsupported join strategy: last (use all, any, or first)");
  CHECK(run(alone("parallel", "{}")).error() ==
        "error executing node n: parallel node requires at least one input");
  CHECK(run(alone("split", R"({"paths": ["a"]})")).error() ==
        "error executing node n: split node requires at least one input");
}
