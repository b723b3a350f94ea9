// Array composition (decision D18): every kind that needs an array takes it
// from the output object of every kind that produces one. Each producer runs
// on a literal input; each consumer then runs on the producer's result, and
// must give exactly what it gives on the producer's array stated literally.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "run_test_util.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/values.h"

using namespace thaiyyal;
using nodes::testing::Ran;

namespace {

Ran run_text(const std::string& json) {
  return nodes::testing::run_with(nodes::testing::kConstKinds, json);
}

/// A kind that yields an array under `key` of its output object.
struct Producer {
  std::string_view kind;
  std::string_view data;
  std::string_view input;  ///< JSON text fed to it; "" for no input
  std::string_view key;
  std::string_view array;  ///< the array it yields under `key`, as JSON text
};

// Inputs are unsorted, so that each producer's array differs from its input.
constexpr Producer kProducers[] = {
    // The seven keys of D18.
    {"filter", R"({"condition":"item > 1"})", "[3,1,2,4]", "filtered", "[3,2,4]"},
    {"map", R"({"expression":"item * 10"})", "[3,1,2,4]", "results", "[30,10,20,40]"},
    {"parallel", "{}", "[3,1]", "results", "[[3,1]]"},
    {"range", R"({"start":1,"end":4})", "", "range", "[1,2,3,4]"},
    {"schema_validator", R"({"schema":{"type":"array"}})", "[3,1,2]", "data", "[3,1,2]"},
    {"join", R"({"join_strategy":"all"})", "[3,1]", "values", "[[3,1]]"},
    // The other array kinds.
    {"slice", R"({"start":1})", "[3,1,2,4]", "sliced", "[1,2,4]"},
    {"sort", "{}", "[3,1,2,4]", "sorted", "[1,2,3,4]"},
    {"flat_map", "{}", "[[3],[1,2]]", "flattened", "[3,1,2]"},
    {"unique", "{}", "[3,1,3,2]", "unique", "[3,1,2]"},
    {"chunk", R"({"size":2})", "[3,1,2,4]", "chunks", "[[3,1],[2,4]]"},
    {"reverse", "{}", "[3,1,2,4]", "reversed", "[4,2,1,3]"},
    {"partition", R"({"condition":"item > 1"})", "[3,1,2,4]", "passed", "[3,2,4]"},
    {"zip", R"({"arrays":[["a","b"]]})", "[1,2]", "zipped", R"([[1,"a"],[2,"b"]])"},
    {"sample", R"({"count":2,"method":"first"})", "[3,1,2,4]", "sample", "[3,1]"},
    {"compact", "{}", "[3,null,1]", "compacted", "[3,1]"},
    {"transpose", "{}", "[[1,2],[3,4]]", "transposed", "[[1,3],[2,4]]"},
    {"reduce", R"j({"expression":"concat(accumulator, [item * 2])","initial_value":[]})j",
     "[3,1,2]", "result", "[6,2,4]"},
    {"expression", R"({"expression":""})", "[3,1,2]", "result", "[3,1,2]"},
    // Kinds that hand their (array) value on.
    {"condition", R"({"condition":"len(input) > 1"})", "[3,1,2]", "value", "[3,1,2]"},
    {"switch",
     R"({"cases":[{"when":"len(input) > 5","output_path":"big"},)"
     R"({"is_default":true,"output_path":"small"}]})",
     "[3,1,2]", "value", "[3,1,2]"},
    {"retry", "{}", "[3,1,2]", "value", "[3,1,2]"},
    {"try_catch", "{}", "[3,1,2]", "value", "[3,1,2]"},
    {"timeout", R"({"timeout":"5s"})", "[3,1,2]", "value", "[3,1,2]"},
    {"join", R"({"join_strategy":"first"})", "[3,1,2]", "value", "[3,1,2]"},
    {"split", R"({"paths":["a","b"]})", "[3,1,2]", "value", "[3,1,2]"},
    {"extract", R"({"field":"list"})", R"({"list":[3,1,2]})", "value", "[3,1,2]"},
    {"accumulator", R"({"accum_op":"array"})", "[3,1]", "value", "[[3,1]]"},
    {"variable", R"({"var_name":"v","var_op":"set"})", "[3,1,2]", "value", "[3,1,2]"},
    {"cache", R"({"cache_op":"set","cache_key":"k"})", "[3,1,2]", "value", "[3,1,2]"},
    {"delay", R"({"duration":"1ms"})", "[3,1,2]", "value", "[3,1,2]"},
    {"while_loop", R"({"condition":"false"})", "[3,1,2]", "final_value", "[3,1,2]"},
};

/// A kind that needs an array input, with a configuration whose result
/// depends on the elements and their order.
struct Consumer {
  std::string_view kind;
  std::string_view data;
};

constexpr Consumer kConsumers[] = {
    {"filter", R"({"condition":"index % 2 == 0"})"},
    {"map", R"({"expression":"[index, item]"})"},
    {"reduce", R"j({"expression":"concat(accumulator, [item])","initial_value":["start"]})j"},
    {"sort", R"({"order":"desc"})"},
    {"find", R"({"condition":"index == 1","return_index":true})"},
    {"flat_map", "{}"},
    {"group_by", R"({"field":"k"})"},
    {"partition", R"({"condition":"index < 1"})"},
    {"chunk", R"({"size":2})"},
    {"compact", "{}"},
    {"reverse", "{}"},
    {"sample", R"({"count":2,"method":"last"})"},
    {"slice", R"({"start":1})"},
    {"transpose", "{}"},
    {"unique", "{}"},
    {"zip", R"({"arrays":[["z"]]})"},
    {"for_each", "{}"},
    {"transform", R"({"transform_type":"flatten"})"},
};

/// `p` fed from its literal input, then `c` fed from `p`.
std::string pipeline(const Producer& p, const Consumer& c) {
  std::string nodes;
  std::string edges;
  if (!p.input.empty()) {
    nodes = fmt::format(R"({{"id":"src","type":"const","data":{{"value":{}}}}},)", p.input);
    edges = R"({"source":"src","target":"p"},)";
  }
  return fmt::format(
      R"({{"nodes":[{}{{"id":"p","type":"{}","data":{}}},)"
      R"({{"id":"c","type":"{}","data":{}}}],"edges":[{}{{"source":"p","target":"c"}}]}})",
      nodes, p.kind, p.data, c.kind, c.data, edges);
}

/// `c` fed from a literal array.
std::string direct(std::string_view array, const Consumer& c) {
  return fmt::format(
      R"({{"nodes":[{{"id":"src","type":"const","data":{{"value":{}}}}},)"
      R"({{"id":"c","type":"{}","data":{}}}],"edges":[{{"source":"src","target":"c"}}]}})",
      array, c.kind, c.data);
}

std::size_t length_of(std::string_view array_json) {
  return parse_json(array_json).as_array().size();
}

/// Runs `p -> c` and `c` on p's array stated literally; one failed pair
/// does not stop the others.
void check_pair(const Producer& p, const Consumer& c) {
  CAPTURE(p.kind);
  CAPTURE(p.data);
  CAPTURE(c.kind);
  Ran chained = run_text(pipeline(p, c));
  if (!chained.ok()) {
    FAIL_CHECK("chained run failed: ", chained.error());
    return;
  }
  // The producer yielded the array the case states.
  const Value* produced = chained.value("p");
  const Value* array = produced ? produced->find(p.key) : nullptr;
  if (!array || to_json(*array) != p.array) {
    FAIL_CHECK("producer result: ", chained.of("p"));
    return;
  }
  Ran literal = run_text(direct(p.array, c));
  if (!literal.ok()) {
    FAIL_CHECK("literal run failed: ", literal.error());
    return;
  }
  // The consumer worked on that array, not on the object around it.
  const Value* out = chained.value("c");
  if (!out) {
    FAIL_CHECK("no consumer result");
    return;
  }
  CHECK(chained.of("c") == literal.of("c"));
  CHECK(out->find("original_type") == nullptr);  // no soft error, no pass-through
  const std::size_t n = length_of(p.array);
  if (const Value* count = out->find("input_count")) CHECK(count->as_number() == n);
  // The kinds without `input_count` report the length under another key.
  std::string_view length_key;
  if (c.kind == "sort" || c.kind == "reverse") length_key = "count";
  if (c.kind == "zip") length_key = "max_length";
  if (!length_key.empty()) {
    const Value* length = out->find(length_key);
    CHECK(length != nullptr);
    if (length) CHECK(length->as_number() == n);
  }
}

}  // namespace

TEST_SUITE("nodes.array_composition") {
  TEST_CASE("every producer's array feeds every array consumer (D18)") {
    for (const Producer& p : kProducers) {
      for (const Consumer& c : kConsumers) check_pair(p, c);
    }
  }

  TEST_CASE("sort -> map and slice -> transform to_object compose") {
    Ran r = run_text(R"({"nodes":[
      {"id":"src","type":"const","data":{"value":[{"n":"b","v":2},{"n":"a","v":1},{"n":"c","v":3}]}},
      {"id":"s","type":"sort","data":{"field":"v","order":"desc"}},
      {"id":"m","type":"map","data":{"field":"n"}}],
      "edges":[{"source":"src","target":"s"},{"source":"s","target":"m"}]})");
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(
        r.of("m") ==
        R"({"results":["c","b","a"],"input_count":3,"output_count":3,"successful":3,"failed":0})");

    r = run_text(R"({"nodes":[
      {"id":"src","type":"const","data":{"value":[2,"b",1,"a"]}},
      {"id":"r","type":"reverse","data":{}},
      {"id":"t","type":"transform","data":{"transform_type":"to_object"}}],
      "edges":[{"source":"src","target":"r"},{"source":"r","target":"t"}]})");
    INFO(r.error());
    REQUIRE(r.ok());
    CHECK(r.of("t") == R"({"a":1,"b":2})");
  }

  TEST_CASE("the keys are tried in order: D18's seven first, then the others") {
    const auto keys = nodes::array_input_keys();
    const std::string_view d18[] = {"filtered", "results", "range", "array",
                                    "items",    "data",    "values"};
    REQUIRE(keys.size() > std::size(d18));
    for (std::size_t i = 0; i < std::size(d18); ++i) CHECK(keys[i] == d18[i]);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      CAPTURE(keys[i]);
      // Each key alone is unwrapped; a non-array value under it is skipped.
      Object alone{{std::string(keys[i]), Value(Array{Value(1.0)})}};
      REQUIRE(nodes::array_input(Value(alone)) != nullptr);
      CHECK(to_json(Value(*nodes::array_input(Value(alone)))) == "[1]");
      Object skipped{{std::string(keys[i]), Value("x")}};
      CHECK(nodes::array_input(Value(skipped)) == nullptr);
      // An earlier key wins over every later one, whatever the member order.
      for (std::size_t j = i + 1; j < keys.size(); ++j) {
        Object both{{std::string(keys[j]), Value(Array{Value(2.0)})},
                    {std::string(keys[i]), Value(Array{Value(1.0)})}};
        CHECK(to_json(Value(*nodes::array_input(Value(both)))) == "[1]");
      }
    }
    // The producers' keys are all in the table.
    for (const Producer& p : kProducers) {
      CAPTURE(p.key);
      CHECK(std::find(keys.begin(), keys.end(), p.key) != keys.end());
    }
    for (std::string_view other : {"groups", "found", "paths", "errors", "failed", "count"}) {
      CAPTURE(other);
      CHECK(std::find(keys.begin(), keys.end(), other) == keys.end());
    }
  }

  TEST_CASE("an object without an array keeps the old outcome and message") {
    const std::string not_array = R"({"sorted":"x","value":{"items":[1]},"count":3})";
    auto run_on = [&](std::string_view kind, std::string_view data) {
      return run_text(fmt::format(R"({{"nodes":[
        {{"id":"src","type":"const","data":{{"value":{}}}}},
        {{"id":"n","type":"{}","data":{}}}],"edges":[{{"source":"src","target":"n"}}]}})",
                                  not_array, kind, data));
    };
    Ran r = run_on("map", R"({"expression":"item"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "error executing node n: map node requires array input, got object");
    r = run_on("reduce", R"({"expression":"accumulator"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "error executing node n: reduce node requires array input, got object");
    r = run_on("for_each", "{}");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "error executing node n: for_each node requires array input, got object");
    r = run_on("transform", R"({"transform_type":"flatten"})");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "error executing node n: flatten requires array input, got object");
    r = run_on("sort", "{}");
    REQUIRE(r.ok());
    CHECK(r.of("n") == fmt::format(R"({{"error":"input is not an array","input":{},)"
                                   R"("original_type":"object"}})",
                                   not_array));
    r = run_on("filter", R"({"condition":"true"})");
    REQUIRE(r.ok());
    CHECK(r.of("n") == fmt::format(R"({{"input":{0},"filtered":{0},"is_array":false,)"
                                   R"("warning":"input is not an array, passed through unchanged",)"
                                   R"("original_type":"object"}})",
                                   not_array));
  }
}
