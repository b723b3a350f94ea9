// Executors of the array and loop kinds (spec 03-control §3-§21 with its
// overrides, 02 §2): run through the engine with a fake `const` source kind,
// so each case states its input array literally.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "node_test_util.h"
#include "run_test_util.h"
#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/node_kind.h"

using namespace thaiyyal;
using nodes::testing::Ran;

namespace {

Ran run_workflow_text(const std::string& json, engine::RunOptions opts = {}) {
  return nodes::testing::run_with(nodes::testing::kConstKinds, json, std::move(opts));
}

/// Node "n" of `type` with `data`, fed by a `const` node holding `input`
/// (JSON text); no input at all when `input` is empty.
Ran run_node(std::string_view type, std::string_view data, std::string_view input,
             engine::RunOptions opts = {}) {
  if (input.empty()) {
    return run_workflow_text(
        fmt::format(R"({{"nodes":[{{"id":"n","type":"{}","data":{}}}]}})", type, data), opts);
  }
  return run_workflow_text(fmt::format(R"({{"nodes":[
      {{"id":"src","type":"const","data":{{"value":{}}}}},
      {{"id":"n","type":"{}","data":{}}}],
      "edges":[{{"source":"src","target":"n"}}]}})",
                                       input, type, data),
                           opts);
}

/// The result of node "n" as JSON text; the run must succeed.
std::string result_of(std::string_view type, std::string_view data, std::string_view input) {
  Ran r = run_node(type, data, input);
  INFO(r.error());
  REQUIRE(r.ok());
  return r.of("n");
}

/// The first error of the run; the run must fail.
std::string error_of(std::string_view type, std::string_view data, std::string_view input,
                     engine::RunOptions opts = {}) {
  Ran r = run_node(type, data, input, opts);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

std::string numbers(std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) out += (i ? "," : "") + std::to_string(i);
  return out + "]";
}

}  // namespace

TEST_SUITE("nodes.array") {
  TEST_CASE("filter keeps matching elements and binds item, index and items") {
    CHECK(result_of("filter", R"({"condition":"item > 2"})", "[1,2,3,4,5]") ==
          R"({"filtered":[3,4,5],"input_count":5,"output_count":3,"skipped_count":2,)"
          R"("error_count":0,"condition":"item > 2","is_array":true})");
    CHECK(
        result_of("filter", R"({"condition":"index < len(items) - 1 && input != 'b'"})",
                  R"(["a","b","c"])") ==
        R"({"filtered":["a"],"input_count":3,"output_count":1,"skipped_count":2,)"
        R"("error_count":0,"condition":"index < len(items) - 1 && input != 'b'","is_array":true})");
    CHECK(result_of("filter", R"({"condition":"item > 1"})", "[]") ==
          R"({"filtered":[],"input_count":0,"output_count":0,"skipped_count":0,)"
          R"("error_count":0,"condition":"item > 1","is_array":true})");
  }

  TEST_CASE("filter: evaluation errors are left out, counted and logged") {
    Ran r = run_node("filter", R"({"condition":"10 / item > 1"})", "[1,0,5,20]");
    REQUIRE(r.ok());
    CHECK(r.of("n") == R"({"filtered":[1,5],"input_count":4,"output_count":2,"skipped_count":2,)"
                       R"("error_count":1,"condition":"10 / item > 1","is_array":true})");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].starts_with("n: element 1: "));
    CHECK(r.warnings[0].find("division by zero") != std::string::npos);
  }

  TEST_CASE("D18: array nodes unwrap the first array-valued key of an object") {
    CHECK(result_of("filter", R"({"condition":"item > 1"})", R"({"data":"no","items":[1,5]})") ==
          R"({"filtered":[5],"input_count":2,"output_count":1,"skipped_count":1,)"
          R"("error_count":0,"condition":"item > 1","is_array":true})");
    // `filtered` and `results` come first, so filter -> map -> reduce composes.
    CHECK(result_of("map", R"({"expression":"item * 10"})", R"({"values":[9],"filtered":[1,2]})") ==
          R"({"results":[10,20],"input_count":2,"output_count":2,"successful":2,"failed":0})");
    CHECK(result_of("reduce", R"({"expression":"accumulator + item"})",
                    R"({"results":[1,2,3],"input_count":3})") ==
          R"({"result":6,"initial_value":null,"final_value":6,"input_count":3,"iterations":3,)"
          R"("successful":3,"failed":0})");
    CHECK(result_of("sort", "{}", R"({"range":[3,1,2]})") ==
          R"({"sorted":[1,2,3],"count":3,"field":"","order":"asc"})");
    CHECK(result_of("for_each", "{}", R"({"items":[1,2]})") ==
          R"({"input_count":2,"iterations":2,"successful":2,"failed":0})");
    CHECK(result_of("zip", "{}", R"({"array":[1,2]})") ==
          R"({"zipped":[[1],[2]],"array_count":1,"tuple_count":2,"max_length":2})");
    // No array-valued key: the old outcome.
    CHECK(result_of("reverse", "{}", R"({"items":"x"})") ==
          R"({"error":"input is not an array","input":{"items":"x"},"original_type":"object"})");
  }

  TEST_CASE("range -> filter -> map -> reduce just works") {
    Ran r = run_workflow_text(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":10}},
      {"id":"f","type":"filter","data":{"condition":"item % 2 == 0"}},
      {"id":"m","type":"map","data":{"expression":"item * item"}},
      {"id":"s","type":"reduce","data":{"expression":"accumulator + item","initial_value":0}}],
      "edges":[{"source":"r","target":"f"},{"source":"f","target":"m"},{"source":"m","target":"s"}]})");
    REQUIRE(r.ok());
    CHECK(r.of("s") ==
          R"({"result":220,"initial_value":0,"final_value":220,"input_count":5,"iterations":5,)"
          R"("successful":5,"failed":0})");
  }

  TEST_CASE("non-array inputs: soft error, pass-through or failure per kind") {
    const char* soft = R"({"error":"input is not an array","input":5,"original_type":"number"})";
    CHECK(result_of("slice", "{}", "5") == soft);
    CHECK(result_of("sort", "{}", "5") == soft);
    CHECK(result_of("find", R"({"condition":"item"})", "5") == soft);
    CHECK(result_of("flat_map", "{}", "5") == soft);
    CHECK(result_of("group_by", R"({"field":""})", "5") == soft);  // before the field check
    CHECK(result_of("unique", "{}", "5") == soft);
    CHECK(result_of("chunk", R"({"size":0})", "5") == soft);  // before the size check
    CHECK(result_of("reverse", "{}", "5") == soft);
    CHECK(result_of("partition", R"({"condition":"item"})", "5") == soft);
    CHECK(result_of("sample", R"({"count":0})", "5") == soft);  // before the count check
    CHECK(result_of("compact", "{}", "5") == soft);
    CHECK(result_of("transpose", "{}", "5") == soft);
    CHECK(
        result_of("filter", R"({"condition":"item"})", "true") ==
        R"({"input":true,"filtered":true,"is_array":false,)"
        R"("warning":"input is not an array, passed through unchanged","original_type":"boolean"})");
    CHECK(error_of("map", R"({"expression":"item"})", R"({"a":1})") ==
          "error executing node n: map node requires array input, got object");
    CHECK(error_of("reduce", R"({"expression":"item"})", "null") ==
          "error executing node n: reduce node requires array input, got null");
    CHECK(error_of("for_each", "{}", "4") ==
          "error executing node n: for_each node requires array input, got number");
  }

  TEST_CASE("a missing input fails with '<kind> node needs at least 1 input'") {
    for (const char* kind : {"filter", "map", "sort", "reverse", "for_each"}) {
      CAPTURE(kind);
      const std::string data = std::string(kind) == "filter" ? R"({"condition":"item"})" : "{}";
      CHECK(error_of(kind, data, "") ==
            fmt::format("error executing node n: {} node needs at least 1 input", kind));
    }
    CHECK(error_of("while_loop", R"({"condition":">1"})", "") ==
          "error executing node n: while_loop node needs at least 1 input");
  }

  TEST_CASE("map: expression, field and pass-through modes") {
    CHECK(
        result_of("map", R"({"expression":"item.name + '!'"})", R"([{"name":"A"},{"name":"B"}])") ==
        R"({"results":["A!","B!"],"input_count":2,"output_count":2,"successful":2,"failed":0})");
    CHECK(
        result_of("map", R"({"field":"name","expression":"1"})",
                  R"([{"name":"A","age":1},{"age":2},3])") ==
        R"({"results":["A",null,null],"input_count":3,"output_count":3,"successful":1,"failed":2})");
    CHECK(
        result_of("map", "{}", "[1,2]") ==
        R"({"results":[1,2],"input_count":2,"output_count":2,"warning":"no transformation specified"})");
    CHECK(result_of("map", R"j({"expression":"index * 100 + len(items)"})j", "[7,7]") ==
          R"({"results":[2,102],"input_count":2,"output_count":2,"successful":2,"failed":0})");
    CHECK(result_of("map", R"({"expression":"item"})", "[]") ==
          R"({"results":[],"input_count":0,"output_count":0,"successful":0,"failed":0})");
    Ran r = run_node("map", R"({"expression":"1 / item"})", "[1,0,4]");
    REQUIRE(r.ok());
    CHECK(
        r.of("n") ==
        R"({"results":[1,null,0.25],"input_count":3,"output_count":3,"successful":2,"failed":1})");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].starts_with("n: element 1: "));
  }

  TEST_CASE("reduce: accumulator, initial value and tolerated errors") {
    CHECK(result_of("reduce", R"({"expression":"accumulator * 10 + item"})", "[1,2,3]") ==
          R"({"result":123,"initial_value":null,"final_value":123,"input_count":3,"iterations":3,)"
          R"("successful":3,"failed":0})");
    CHECK(result_of("reduce", R"({"expression":"accumulator + item","initial_value":""})",
                    R"(["a","b"])") ==
          R"({"result":"ab","initial_value":"","final_value":"ab","input_count":2,"iterations":2,)"
          R"("successful":2,"failed":0})");
    CHECK(result_of("reduce", R"({"expression":"accumulator + item","initial_value":"5"})",
                    "[1,2]") ==
          R"({"result":"512","initial_value":"5","final_value":"512","input_count":2,)"
          R"("iterations":2,"successful":2,"failed":0})");
    CHECK(result_of("reduce", R"({"expression":"accumulator + item","initial_value":7})", "[]") ==
          R"({"result":7,"initial_value":7,"final_value":7,"input_count":0,"iterations":0,)"
          R"("successful":0,"failed":0})");
    Ran r = run_node("reduce", R"({"expression":"accumulator + 12 / item"})", "[1,0,3]");
    REQUIRE(r.ok());
    CHECK(r.of("n") ==
          R"({"result":16,"initial_value":null,"final_value":16,"input_count":3,"iterations":3,)"
          R"("successful":2,"failed":1})");
    CHECK(r.warnings.size() == 1);
  }

  TEST_CASE("slice normalises start, end and length") {
    const char* five = "[1,2,3,4,5]";
    CHECK(result_of("slice", R"({"start":1,"end":3})", five) ==
          R"({"sliced":[2,3],"input_count":5,"output_count":2,"start":1,"end":3})");
    CHECK(result_of("slice", R"({"start":-2})", five) ==
          R"({"sliced":[4,5],"input_count":5,"output_count":2,"start":3,"end":5})");
    CHECK(result_of("slice", R"({"start":1,"length":2,"end":null})", five) ==
          R"({"sliced":[2,3],"input_count":5,"output_count":2,"start":1,"end":3})");
    CHECK(result_of("slice", R"({"start":0,"length":-2})", five) ==
          R"({"sliced":[1,2,3],"input_count":5,"output_count":3,"start":0,"end":3})");
    CHECK(result_of("slice", R"({"start":1.9})", five) ==
          R"({"sliced":[2,3,4,5],"input_count":5,"output_count":4,"start":1,"end":5})");
    // A number written as a string would silently mean the default (D17).
    CHECK(nodes::testing::check_node("slice", R"({"start":1,"end":"3"})").errors() ==
          nodes::testing::expected("slice", {"end must be a number, got string"}));
    CHECK(result_of("slice", R"({"start":4,"end":1})", five) ==
          R"({"sliced":[],"input_count":5,"output_count":0,"start":1,"end":1})");
    CHECK(result_of("slice", R"({"start":-1e300,"end":1e300})", five) ==
          R"({"sliced":[1,2,3,4,5],"input_count":5,"output_count":5,"start":0,"end":5})");
    CHECK(result_of("slice", R"({"end":-1})", five) ==
          R"({"sliced":[1,2,3,4],"input_count":5,"output_count":4,"start":0,"end":4})");
  }

  TEST_CASE("sort: stable, null first, mixed types by text, descending reverses") {
    CHECK(result_of("sort", "{}", "[3,1,2]") ==
          R"({"sorted":[1,2,3],"count":3,"field":"","order":"asc"})");
    CHECK(result_of("sort", "{}", R"([3,"b",null,1,"a"])") ==
          R"({"sorted":[null,1,3,"a","b"],"count":5,"field":"","order":"asc"})");
    CHECK(result_of("sort", R"({"field":"age","order":"DESC"})",
                    R"([{"n":"a","age":30},{"n":"b","age":25},{"n":"c","age":35}])") ==
          R"({"sorted":[{"n":"c","age":35},{"n":"a","age":30},{"n":"b","age":25}],)"
          R"("count":3,"field":"age","order":"desc"})");
    // Equal keys: input order ascending, reverse input order descending.
    const char* pairs = R"([{"k":1,"i":0},{"k":2,"i":1},{"k":1,"i":2},{"k":2,"i":3}])";
    CHECK(result_of("sort", R"({"field":"k"})", pairs) ==
          R"({"sorted":[{"k":1,"i":0},{"k":1,"i":2},{"k":2,"i":1},{"k":2,"i":3}],)"
          R"("count":4,"field":"k","order":"asc"})");
    CHECK(result_of("sort", R"({"field":"k","order":"desc"})", pairs) ==
          R"({"sorted":[{"k":2,"i":3},{"k":2,"i":1},{"k":1,"i":2},{"k":1,"i":0}],)"
          R"("count":4,"field":"k","order":"desc"})");
    // Elements without the key (or not objects) have null keys and go first, in order.
    CHECK(result_of("sort", R"({"field":"k"})", R"([{"k":2},5,{"k":1},null])") ==
          R"({"sorted":[5,null,{"k":1},{"k":2}],"count":4,"field":"k","order":"asc"})");
    CHECK(result_of("sort", "{}", R"([true,false,"b","a"])") ==
          R"({"sorted":["a","b",false,true],"count":4,"field":"","order":"asc"})");
    // Number against string compares text: "10" < "9".
    CHECK(result_of("sort", "{}", R"(["9",10])") ==
          R"({"sorted":[10,"9"],"count":2,"field":"","order":"asc"})");
    CHECK(result_of("sort", R"({"order":"DESC"})", "[1,2]") ==
          R"({"sorted":[2,1],"count":2,"field":"","order":"desc"})");
    // Any other order would silently sort ascending (D17).
    CHECK(nodes::testing::check_node("sort", R"({"order":"foo"})").errors() ==
          nodes::testing::expected("sort", {"order: 'foo' is not one of asc, desc"}));
  }

  TEST_CASE("sort: large inputs stay stable, and a non-transitive mix never crashes") {
    // 1000 elements with 7 distinct keys: within each key, input order.
    std::string arr = "[";
    for (int i = 0; i < 1000; ++i)
      arr += fmt::format("{}{{\"k\":{},\"i\":{}}}", i ? "," : "", (i * 37) % 7, i);
    arr += "]";
    Ran r = run_node("sort", R"({"field":"k"})", arr);
    REQUIRE(r.ok());
    const Value* out = r.result.node_results.find("n")->find("sorted");
    REQUIRE(out);
    double last_k = -1, last_i = -1;
    for (const Value& e : out->as_array()) {
      const double k = e.find("k")->as_number(), i = e.find("i")->as_number();
      CHECK(k >= last_k);
      if (k == last_k) CHECK(i > last_i);
      last_k = k;
      last_i = i;
    }
    // Numbers and numeric strings: not a strict weak order.
    std::string mixed = "[";
    for (int i = 0; i < 500; ++i) {
      mixed += fmt::format(
          "{}{}", i ? "," : "",
          i % 2 ? std::to_string(i * 7919 % 1000) : "\"" + std::to_string(i * 31 % 1000) + "\"");
    }
    mixed += "]";
    Ran m = run_node("sort", "{}", mixed);
    REQUIRE(m.ok());
    CHECK(m.result.node_results.find("n")->find("count")->as_number() == 500);
  }

  TEST_CASE("find: first match, index, not found") {
    const char* ids = R"([{"id":1},{"id":2},{"id":3}])";
    CHECK(result_of("find", R"({"condition":"item.id >= 2","return_index":true})", ids) ==
          R"({"found":{"id":2},"index":1,"condition":"item.id >= 2"})");
    CHECK(result_of("find", R"({"condition":"item.id >= 2"})", ids) ==
          R"({"found":{"id":2},"condition":"item.id >= 2"})");
    CHECK(result_of("find", R"({"condition":"item.id > 5","return_index":true})", ids) ==
          R"({"found":null,"not_found":true,"condition":"item.id > 5","input_count":3})");
    CHECK(result_of("find", R"({"condition":"index == 1"})", "[1,null,3]") ==
          R"({"found":null,"condition":"index == 1"})");
    Ran r = run_node("find", R"({"condition":"6 / item == 3"})", "[0,2]");
    REQUIRE(r.ok());
    CHECK(r.of("n") == R"({"found":2,"condition":"6 / item == 3"})");
    CHECK(r.warnings.size() == 1);
  }

  TEST_CASE("flat_map flattens one level or expands a field") {
    CHECK(result_of("flat_map", "{}", "[[1,2],[3],4,[[5]]]") ==
          R"({"flattened":[1,2,3,4,[5]],"input_count":4,"output_count":5,"field":""})");
    CHECK(result_of("flat_map", R"({"field":"tags"})",
                    R"([{"tags":["x","y"]},{"tags":"z"},{"other":1},5])") ==
          R"({"flattened":["x","y","z"],"input_count":4,"output_count":3,"field":"tags"})");
    CHECK(result_of("flat_map", R"({"field":"."})", "[[1],[]]") ==
          R"({"flattened":[1],"input_count":2,"output_count":1,"field":"."})");
    CHECK(result_of("flat_map", R"({"expression":"item.values"})", "[]") ==
          R"({"flattened":[],"input_count":0,"output_count":0,"field":""})");
  }

  TEST_CASE("group_by: text keys and every aggregate") {
    const char* rows =
        R"([{"cat":"a","v":1},{"cat":"b","v":2},{"cat":"a","v":3},{"cat":"b","v":"x"}])";
    CHECK(result_of("group_by", R"({"field":"cat"})", R"([{"cat":"a"},{"cat":"b"},{"cat":"a"}])") ==
          R"({"groups":{"a":[{"cat":"a"},{"cat":"a"}],"b":[{"cat":"b"}]},"group_count":2,)"
          R"("input_count":3,"field":"cat","aggregate":"count","counts":{"a":2,"b":1}})");
    CHECK(result_of("group_by", R"({"field":"cat","aggregate":"sum","value_field":"v"})", rows)
              .ends_with(R"("aggregate":"sum","sums":{"a":4,"b":2}})"));
    CHECK(result_of("group_by", R"({"field":"cat","aggregate":"avg","value_field":"v"})", rows)
              .ends_with(R"("aggregate":"avg","averages":{"a":2,"b":2}})"));
    CHECK(result_of("group_by", R"({"field":"cat","aggregate":"min","value_field":"v"})", rows)
              .ends_with(R"("minimums":{"a":1,"b":2}})"));
    CHECK(result_of("group_by", R"({"field":"k","aggregate":"max","value_field":"k"})",
                    R"([{"k":1},{"k":1.5},{"x":0}])") ==
          R"({"groups":{"1":[{"k":1}],"1.5":[{"k":1.5}],"<missing>":[{"x":0}]},"group_count":3,)"
          R"("input_count":3,"field":"k","aggregate":"max",)"
          R"("maximums":{"1":1,"1.5":1.5,"<missing>":null}})");
    CHECK(result_of("group_by", R"({"field":"cat","aggregate":"values"})", R"([{"cat":"a"},7])") ==
          R"({"groups":{"a":[{"cat":"a"}],"7":[7]},"group_count":2,"input_count":2,"field":"cat",)"
          R"("aggregate":"values","values":{"a":[{"cat":"a"}],"7":[7]}})");
    CHECK(result_of("group_by", R"({"field":"cat","aggregate":"sum"})", R"([{"cat":"a","v":1}])")
              .ends_with(R"("sums":{"a":0}})"));
    // Numbers as JavaScript text (D2); non-objects by their own text.
    CHECK(result_of("group_by", R"({"field":"k"})",
                    R"([{"k":1000000},{"k":0.00001},1,"1",null,[1,2]])") ==
          R"({"groups":{"1000000":[{"k":1000000}],"0.00001":[{"k":0.00001}],"1":[1,"1"],)"
          R"("<nil>":[null],"[1 2]":[[1,2]]},"group_count":5,"input_count":6,"field":"k",)"
          R"("aggregate":"count","counts":{"1000000":1,"0.00001":1,"1":2,"<nil>":1,"[1 2]":1}})");
    CHECK(
        result_of("group_by", R"({"field":"k"})", "[]") ==
        R"({"groups":{},"group_count":0,"input_count":0,"field":"k","aggregate":"count","counts":{}})");
    CHECK(error_of("group_by", R"({"field":""})", "[1]") ==
          "error executing node n: group_by node requires 'field' string");
    CHECK(error_of("group_by", R"({"field":"k","aggregate":"median"})", "[1]") ==
          "error executing node n: unknown aggregate function: median");
  }

  TEST_CASE("unique keeps the first of each text identity") {
    CHECK(result_of("unique", "{}", "[1,2,1,3,2]") ==
          R"({"unique":[1,2,3],"input_count":5,"output_count":3,"removed":2})");
    CHECK(result_of("unique", "{}", R"([1,"1",true,"true"])") ==
          R"({"unique":[1,true],"input_count":4,"output_count":2,"removed":2})");
    CHECK(result_of(
              "unique", R"({"field":"id"})",
              R"([{"id":1,"n":"a"},{"id":1,"n":"b"},{"id":2,"n":"c"},{"n":"d"},{"n":"d"},1])") ==
          R"({"unique":[{"id":1,"n":"a"},{"id":2,"n":"c"},{"n":"d"},{"n":"d"}],)"
          R"("input_count":6,"output_count":4,"removed":2})");
    CHECK(result_of("unique", "{}", R"([{"a":1,"b":2},{"b":2,"a":1}])") ==
          R"({"unique":[{"a":1,"b":2}],"input_count":2,"output_count":1,"removed":1})");
    CHECK(result_of("unique", "{}", "[]") ==
          R"({"unique":[],"input_count":0,"output_count":0,"removed":0})");
  }

  TEST_CASE("chunk splits into runs of size") {
    CHECK(result_of("chunk", R"({"size":2})", "[1,2,3,4,5]") ==
          R"({"chunks":[[1,2],[3,4],[5]],"input_count":5,"chunk_count":3,"chunk_size":2})");
    CHECK(nodes::testing::check_node("chunk", R"({"size":"3"})").errors() ==
          nodes::testing::expected("chunk", {"size must be a number, got string"}));
    CHECK(result_of("chunk", R"({"size":2.9})", "[]") ==
          R"({"chunks":[],"input_count":0,"chunk_count":0,"chunk_size":2})");
    CHECK(result_of("chunk", R"({"size":1e300})", "[1,2]") ==
          R"({"chunks":[[1,2]],"input_count":2,"chunk_count":1,"chunk_size":4000000000000000000})");
    CHECK(error_of("chunk", R"({"size":0})", "[1]") ==
          "error executing node n: chunk size must be greater than 0, got 0");
    CHECK(error_of("chunk", R"({"size":0.5})", "[1]") ==
          "error executing node n: chunk size must be greater than 0, got 0");
    CHECK(error_of("chunk", R"({"size":-3})", "[1]") ==
          "error executing node n: chunk size must be greater than 0, got -3");
  }

  TEST_CASE("reverse, compact, partition") {
    CHECK(result_of("reverse", "{}", "[1,2,3]") == R"({"reversed":[3,2,1],"count":3})");
    CHECK(result_of("reverse", "{}", "[]") == R"({"reversed":[],"count":0})");
    CHECK(
        result_of("compact", "{}", R"([1,null,"",2,0,false,[],{},[null]])") ==
        R"({"compacted":[1,"",2,0,false,[],{},[null]],"input_count":9,"output_count":8,"removed":1})");
    CHECK(result_of("compact", R"({"remove_empty":true})", R"([1,null,"",2,0,false])") ==
          R"({"compacted":[1,2,0,false],"input_count":6,"output_count":4,"removed":2})");
    CHECK(result_of("compact", "{}", "[null,null]") ==
          R"({"compacted":[],"input_count":2,"output_count":0,"removed":2})");
    CHECK(result_of("partition", R"({"condition":"item > 2"})", "[1,2,3,4]") ==
          R"({"passed":[3,4],"failed":[1,2],"passed_count":2,"failed_count":2,"input_count":4,)"
          R"("condition":"item > 2"})");
    CHECK(result_of("partition", R"({"condition":"item > 1"})", "[]") ==
          R"({"passed":[],"failed":[],"passed_count":0,"failed_count":0,"input_count":0,)"
          R"("condition":"item > 1"})");
    Ran r = run_node("partition", R"({"condition":"4 / item > 1"})", "[1,0,8]");
    REQUIRE(r.ok());
    CHECK(r.of("n") ==
          R"({"passed":[1],"failed":[0,8],"passed_count":1,"failed_count":2,"input_count":3,)"
          R"("condition":"4 / item > 1"})");
    CHECK(r.warnings.size() == 1);
  }

  TEST_CASE("zip: first input, literal arrays, fill") {
    CHECK(result_of("zip", R"({"arrays":[["a","b"]],"fill_missing":"x"})", "[1,2,3]") ==
          R"({"zipped":[[1,"a"],[2,"b"],[3,"x"]],"array_count":2,"tuple_count":3,"max_length":3})");
    CHECK(result_of("zip", R"({"arrays":[[1,2],"skip",[true]]})", "") ==
          R"({"zipped":[[1,true],[2,null]],"array_count":2,"tuple_count":2,"max_length":2})");
    CHECK(result_of("zip", "{}", "[]") ==
          R"({"zipped":[],"array_count":1,"tuple_count":0,"max_length":0})");
    CHECK(result_of("zip", R"({"arrays":[[1]]})", "5") ==
          R"({"zipped":[[1]],"array_count":1,"tuple_count":1,"max_length":1})");
    CHECK(error_of("zip", "{}", "1") ==
          "error executing node n: zip node requires at least one array");
  }

  TEST_CASE("sample: first, last, random, seeds and errors") {
    CHECK(result_of("sample", R"({"count":3})", "[1,2,3]") ==
          R"({"sample":[1,2,3],"input_count":3,"output_count":3,"method":"random"})");
    CHECK(result_of("sample", R"({"count":2,"method":"last"})", "[1,2,3,4]") ==
          R"({"sample":[3,4],"input_count":4,"output_count":2,"method":"last"})");
    CHECK(result_of("sample", R"({"count":2.7,"method":"first"})", "[1,2,3,4]") ==
          R"({"sample":[1,2],"input_count":4,"output_count":2,"method":"first"})");
    CHECK(result_of("sample", R"({"count":9,"method":"last"})", "[1,2]") ==
          R"({"sample":[1,2],"input_count":2,"output_count":2,"method":"last"})");
    CHECK(nodes::testing::check_node("sample", R"({"count":"2"})").errors() ==
          nodes::testing::expected("sample", {"count must be a number, got string"}));
    CHECK(error_of("sample", R"({"count":0})", "[1]") ==
          "error executing node n: sample count must be greater than 0, got 0");
    CHECK(error_of("sample", R"({"count":1,"method":"Random"})", "[1]") ==
          "error executing node n: unknown sample method: Random (must be 'random', 'first', or "
          "'last')");

    // Random picks: distinct elements; the same seed gives the same picks.
    const std::string input = numbers(100);
    engine::RunOptions seeded;
    seeded.seed = 42;
    Ran a = run_node("sample", R"({"count":10})", input, seeded);
    Ran b = run_node("sample", R"({"count":10})", input, seeded);
    REQUIRE(a.ok());
    CHECK(a.of("n") == b.of("n"));
    const Value& picks = *a.result.node_results.find("n")->find("sample");
    REQUIRE(picks.as_array().size() == 10);
    std::vector<bool> seen(100, false);
    for (const Value& v : picks.as_array()) {
      const auto i = static_cast<std::size_t>(v.as_number());
      CHECK_FALSE(seen[i]);
      seen[i] = true;
    }
    // The node's own seed wins over --seed (and over no seed at all).
    Ran c = run_node("sample", R"({"count":10,"seed":7})", input, seeded);
    Ran d = run_node("sample", R"({"count":10,"seed":7})", input);
    REQUIRE(c.ok());
    CHECK(c.of("n") == d.of("n"));
    CHECK(c.of("n") != a.of("n"));
    // `seed` is an optional integer.
    using nodes::testing::check_node;
    CHECK(check_node("sample", R"({"count":1,"seed":"x"})").errors() ==
          nodes::testing::expected("sample", {"seed must be an integer, got string"}));
    CHECK(check_node("sample", R"({"count":1,"seed":1.5})").errors() ==
          nodes::testing::expected("sample", {"seed must be an integer, got 1.5"}));
    CHECK(check_node("sample", R"({"count":1,"seed":3})").errors().empty());
  }

  TEST_CASE("range adds step repeatedly and stops at 10000 values") {
    CHECK(result_of("range", R"({"start":1,"end":5})", "") ==
          R"({"range":[1,2,3,4,5],"count":5,"start":1,"end":5,"step":1})");
    CHECK(result_of("range", R"({"start":10,"end":0,"step":-5})", "") ==
          R"({"range":[10,5,0],"count":3,"start":10,"end":0,"step":-5})");
    CHECK(nodes::testing::check_node("range", R"({"start":"a","end":"b","step":"c"})").errors() ==
          nodes::testing::expected(
              "range", {"start must be a number, got string", "end must be a number, got string",
                        "step must be a number, got string"}));
    CHECK(result_of("range", R"({"start":0,"end":1,"step":0.1})", "")
              .find("0.7999999999999999,0.8999999999999999,0.9999999999999999]") !=
          std::string::npos);
    CHECK(result_of("range", R"({"start":2,"end":2})", "") ==
          R"({"range":[2],"count":1,"start":2,"end":2,"step":1})");
    CHECK(result_of("range", R"({"start":1,"end":9999})", "").find(R"("count":9999)") !=
          std::string::npos);
    CHECK(error_of("range", R"({"start":1,"end":10000})", "") ==
          "error executing node n: range would generate more than 10000 items, adjust "
          "start/end/step");
    CHECK(error_of("range", R"({"start":1e20,"end":2e20})", "") ==
          "error executing node n: range would generate more than 10000 items, adjust "
          "start/end/step");
    CHECK(error_of("range", R"({"start":5,"end":1})", "") ==
          "error executing node n: range with positive step requires start <= end, got start=5 "
          "end=1");
    CHECK(error_of("range", R"({"start":1,"end":5,"step":-1})", "") ==
          "error executing node n: range with negative step requires start >= end, got start=1 "
          "end=5");
    CHECK(error_of("range", R"({"start":1,"end":5,"step":0})", "") ==
          "error executing node n: range step cannot be 0");
  }

  TEST_CASE("transpose: matrix, empty and the error-shaped results") {
    CHECK(
        result_of("transpose", "{}", "[[1,2,3],[4,5,6]]") ==
        R"({"transposed":[[1,4],[2,5],[3,6]],"rows":2,"cols":3,"transposed_rows":3,"transposed_cols":2})");
    CHECK(result_of("transpose", "{}", "[]") == R"({"transposed":[],"rows":0,"cols":0})");
    CHECK(result_of("transpose", "{}", "[[]]") ==
          R"({"transposed":[],"rows":1,"cols":0,"transposed_rows":0,"transposed_cols":1})");
    CHECK(
        result_of("transpose", "{}", "[[1,2],[3]]") ==
        R"({"error":"all rows must have the same length","expected_cols":2,"row_index":1,"actual_cols":1})");
    CHECK(result_of("transpose", "{}", "[[1],2]") ==
          R"({"error":"row 1 is not an array","row_index":1,"row_value":2})");
    CHECK(
        result_of("transpose", "{}", "[1,[2]]") ==
        R"j({"error":"input is not a 2D array (array of arrays)","first_element":1,"expected":"array of arrays"})j");
  }
}

TEST_SUITE("nodes.loop") {
  TEST_CASE("for_each reports counts and rejects inputs over its cap") {
    CHECK(result_of("for_each", "{}", "[1,2,3]") ==
          R"({"input_count":3,"iterations":3,"successful":3,"failed":0})");
    CHECK(result_of("for_each", "{}", "[]") ==
          R"({"input_count":0,"iterations":0,"successful":0,"failed":0})");
    CHECK(result_of("for_each", R"({"max_iterations":0})", numbers(1000))
              .starts_with(R"({"input_count":1000,)"));
    Ran own = run_node("for_each", R"({"max_iterations":2})", "[1,2,3]");
    CHECK(own.result.status == engine::RunStatus::Failed);
    CHECK(own.error() == "error executing node n: for_each exceeds max iterations: 3 > 2");
    CHECK(error_of("for_each", "{}", numbers(1001)) ==
          "error executing node n: for_each exceeds max iterations: 1001 > 1000");
  }

  TEST_CASE("D9: --max-loop-iterations caps for_each (the lower wins)") {
    engine::RunOptions opts;
    opts.limits.max_loop_iterations = 5;
    Ran r = run_node("for_each", "{}", numbers(10), opts);
    CHECK(r.result.status == engine::RunStatus::LimitExceeded);
    CHECK(r.error() == "error executing node n: for_each exceeds max iterations: 10 > 5");
    // The node's own lower cap is an ordinary failure.
    Ran own = run_node("for_each", R"({"max_iterations":3})", numbers(10), opts);
    CHECK(own.result.status == engine::RunStatus::Failed);
    CHECK(own.error() == "error executing node n: for_each exceeds max iterations: 10 > 3");
    opts.limits.max_loop_iterations = 0;  // unlimited: the node's cap applies
    CHECK(run_node("for_each", R"({"max_iterations":5000})", numbers(2000), opts).ok());
  }

  TEST_CASE("while_loop: 0 iterations or its cap, evaluated with the language") {
    CHECK(result_of("while_loop", R"({"condition":">10"})", "5") ==
          R"({"final_value":5,"iterations":0,"condition":">10"})");
    CHECK(result_of("while_loop", R"({"condition":"<=3"})", "50") ==
          R"({"final_value":50,"iterations":0,"condition":"<=3"})");
    CHECK(error_of("while_loop", R"({"condition":">0","max_iterations":3})", "5") ==
          "error executing node n: while_loop exceeded max iterations: 3");
    CHECK(error_of("while_loop", R"({"condition":"input > 1"})", "5") ==
          "error executing node n: while_loop exceeded max iterations: 100");
    CHECK(
        error_of("while_loop", R"({"condition":"input.n > 3","max_iterations":3})", R"({"n":5})") ==
        "error executing node n: while_loop exceeded max iterations: 3");
    // The shorthand unwraps `value`.
    CHECK(error_of("while_loop", R"({"condition":">10","max_iterations":2})", R"({"value":50})") ==
          "error executing node n: while_loop exceeded max iterations: 2");
    const std::string err = error_of("while_loop", R"({"condition":"1 / input > 0"})", "0");
    CHECK(err.starts_with("error executing node n: while_loop condition evaluation failed: "));
    CHECK(err.find("division by zero") != std::string::npos);
  }

  TEST_CASE("D9: --max-loop-iterations caps while_loop") {
    engine::RunOptions opts;
    opts.limits.max_loop_iterations = 5;
    Ran r = run_node("while_loop", R"({"condition":">0"})", "5", opts);
    CHECK(r.result.status == engine::RunStatus::LimitExceeded);
    CHECK(r.error() == "error executing node n: while_loop exceeded max iterations: 5");
    Ran own = run_node("while_loop", R"({"condition":">0","max_iterations":4})", "5", opts);
    CHECK(own.result.status == engine::RunStatus::Failed);
    CHECK(own.error() == "error executing node n: while_loop exceeded max iterations: 4");
  }

  TEST_CASE("a deadline stops a long loop") {
    engine::RunOptions opts;
    opts.limits.max_loop_iterations = 0;
    opts.limits.max_execution_time = std::chrono::milliseconds(100);
    const auto start = std::chrono::steady_clock::now();
    Ran r = run_node("while_loop", R"({"condition":"input > 0","max_iterations":1000000000000})",
                     "1", opts);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.result.status == engine::RunStatus::TimedOut);
    CHECK(r.error().find("workflow execution timeout") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds(5));
  }
}
