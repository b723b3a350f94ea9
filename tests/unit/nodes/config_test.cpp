// Load-time checks of every node kind's configuration (spec 01 §6.1, the key
// tables of the 03 node specs, 02 §2.1-§2.2): exact messages, codes and
// positions, through the same path as `thaiyyal validate`.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node_test_util.h"

using thaiyyal::diag::Severity;
using namespace thaiyyal::nodes::testing;
using Strings = std::vector<std::string>;

namespace {

struct RequiredCase {
  const char* type;
  const char* data;
  Strings details;  ///< every error detail, in report order
};

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("required keys: exact missing-field texts for every kind that has one") {
    const RequiredCase cases[] = {
        {"number", "{}", {"missing required field: value"}},
        {"text_input", "{}", {"missing required field: text"}},
        {"boolean_input", "{}", {"missing required field: boolean_value"}},
        {"date_input", "{}", {"missing required field: date_value"}},
        {"datetime_input", "{}", {"missing required field: datetime_value"}},
        {"operation", "{}", {"missing required field: op"}},
        {"text_operation", "{}", {"missing required field: text_op"}},
        {"http", "{}", {"missing required field: url"}},
        {"expression", "{}", {"missing required field: expression"}},
        {"reduce", R"({"initial_value": 0})", {"missing required field: expression"}},
        {"condition", R"({"true_path": "x"})", {"missing required field: condition"}},
        {"while_loop", "{}", {"missing required field: condition"}},
        {"filter", "{}", {"missing required field: condition"}},
        {"find", R"({"expression": "item > 1"})", {"missing required field: condition"}},
        {"partition", "{}", {"missing required field: condition"}},
        {"group_by", R"({"key_field": "k"})", {"missing required field: field"}},
        {"chunk", "{}", {"missing required field: size"}},
        {"sample", "{}", {"missing required field: count"}},
        {"range", "{}", {"missing required field: start and end"}},
        {"range", R"({"start": 1})", {"missing required field: start and end"}},
        {"range", R"({"end": 1})", {"missing required field: start and end"}},
        {"variable", "{}", {"missing required field: var_name", "missing required field: var_op"}},
        {"variable", R"({"var_name": "x"})", {"missing required field: var_op"}},
        {"extract", "{}", {"missing required field: field or fields"}},
        {"extract", R"({"fields": []})", {"missing required field: field or fields"}},
        {"transform", "{}", {"missing required field: transform_type"}},
        {"accumulator", "{}", {"missing required field: accum_op"}},
        {"counter", "{}", {"missing required field: counter_op"}},
        {"format", R"({"pretty_print": true})", {"missing required field: output_type"}},
        {"split", "{}", {"missing required field: paths"}},
        {"split", R"({"paths": []})", {"missing required field: paths"}},
        {"delay", "{}", {"missing required field: duration"}},
        {"cache", "{}", {"missing required field: cache_op", "missing required field: cache_key"}},
        {"cache", R"({"cache_op": "get"})", {"missing required field: cache_key"}},
        {"timeout", R"({"timeout_action": "error"})", {"missing required field: timeout"}},
        {"rate_limiter",
         "{}",
         {"missing required field: max_requests", "missing required field: per_duration"}},
        {"rate_limiter", R"({"max_requests": 5})", {"missing required field: per_duration"}},
        {"throttle", "{}", {"missing required field: requests_per_second"}},
        {"schema_validator", R"({"strict": true})", {"missing required field: schema"}},
        {"context_variable", "{}", {"missing required field: context_values or context_name"}},
        {"context_variable",
         R"({"context_values": []})",
         {"missing required field: context_values or context_name"}},
        {"context_constant", "{}", {"missing required field: context_values or context_name"}},
        {"switch", "{}", {"missing required field: cases"}},
        {"switch", R"({"cases": []})", {"missing required field: cases"}},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      CHECK(r.errors() == expected(c.type, c.details));
      CHECK(r.compiled == nullptr);
    }
  }

  TEST_CASE("a missing field is located at the node and has code missing-field") {
    const auto r = check_text(R"({"nodes": [
  {"id": "n", "type": "number", "data": {"label": "x"}}
]})");
    const auto& d = r.first();
    CHECK(d.code == "missing-field");
    CHECK(d.message == prefix("number") + "missing required field: value");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 3);
    CHECK(d.where.node_id == "n");
  }

  TEST_CASE("null counts as absent; an empty string counts as present") {
    CHECK(check_node("number", R"({"value": null})").errors() ==
          expected("number", {"missing required field: value"}));
    CHECK(check_node("context_variable", R"({"context_name": null, "context_values": null})")
              .errors() ==
          expected("context_variable", {"missing required field: context_values or context_name"}));
    CHECK(check_node("text_input", R"({"text": ""})").errors().empty());
    CHECK(check_node("variable", R"({"var_name": "", "var_op": "set"})").errors().empty());
    CHECK(check_node("cache", R"({"cache_op": "get", "cache_key": ""})").errors().empty());
    CHECK(check_node("context_constant", R"({"context_name": "", "context_value": 1})")
              .errors()
              .empty());
    CHECK(check_node("extract", R"({"field": ""})").errors().empty());
  }

  TEST_CASE("keys match case-exactly (D8)") {
    const auto r = check_node("number", R"({"Value": 3})");
    CHECK(r.errors() == expected("number", {"missing required field: value"}));
    REQUIRE(r.warnings().size() == 1);
    CHECK(r.first(Severity::Warning).notes == Strings{"did you mean 'value'?"});
  }

  TEST_CASE("a node with several problems reports all of them") {
    const auto r =
        check_node("text_operation", R"({"text_op": 5, "repeat_n": 1.5, "separator": []})");
    CHECK(r.errors() == expected("text_operation", {"text_op must be a string, got number",
                                                    "separator must be a string, got array",
                                                    "repeat_n must be an integer, got 1.5"}));
    const auto h = check_node("http", R"({"method": "FETCH", "response": "all", "headers": 1})");
    CHECK(h.errors() ==
          expected("http", {"missing required field: url",
                            "unsupported method: FETCH (use GET, POST, PUT, PATCH, DELETE or HEAD)",
                            "headers must be an object, got number",
                            "unsupported response mode: all (use \"body\" or \"full\")"}));
  }

  TEST_CASE("switch: default case must be last, with its position") {
    const auto r = check_text(R"({"nodes": [
  {"id": "n", "type": "switch", "data": {"cases": [
    {"is_default": true},
    {"when": "input > 1", "output_path": "big"}
  ]}}
]})");
    CHECK(r.errors() == expected("switch", {"default case must be the last case in the array "
                                            "(found at index 0, but last index is 1)"}));
    const auto& d = r.first();
    CHECK(d.code == "switch-case");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 5);
    CHECK(d.where.json_path == "$.nodes[0].data.cases[0]");
  }

  TEST_CASE("switch: non-default cases require output_path") {
    CHECK(check_node("switch", R"({"cases": [{"when": "input > 1"}, {"is_default": true}]})")
              .errors() ==
          expected("switch", {"case at index 0 must have output_path (non-default cases require "
                              "output_path)"}));
    CHECK(check_node("switch",
                     R"({"cases": [{"when": "input > 1", "output_path": ""},
                                   {"is_default": true}]})")
              .errors() ==
          expected("switch", {"case at index 0 must have output_path (non-default cases require "
                              "output_path)"}));
  }

  TEST_CASE("switch: exactly one default case") {
    CHECK(check_node("switch", R"({"cases": [{"when": "input > 1", "output_path": "a"}]})")
              .errors() ==
          expected("switch", {"switch node must have exactly one default case (found 0)"}));
    CHECK(check_node("switch", R"({"cases": [{"is_default": true}, {"is_default": true}]})")
              .errors() ==
          expected("switch", {"default case must be the last case in the array (found at index "
                              "0, but last index is 1)",
                              "switch node must have exactly one default case (found 2)"}));
  }

  TEST_CASE("switch: every case problem is reported, in array order") {
    const auto r = check_node("switch", R"({"cases": [
      {"is_default": true, "output_path": "other"},
      {"when": "input > 1"},
      {"when": "  ", "output_path": "x"},
      {"output_path": "y"},
      {"when": 5, "output_path": "z", "is_default": "no"},
      7
    ]})");
    CHECK(r.errors() ==
          expected("switch",
                   {"default case must be the last case in the array (found at index 0, but last "
                    "index is 5)",
                    "case at index 1 must have output_path (non-default cases require "
                    "output_path)",
                    "cases[2].when: empty condition", "cases[3].when: empty condition",
                    "cases[4].when must be a string, got number",
                    "cases[4].is_default must be a boolean, got string",
                    "cases[5] must be an object, got number"}));
  }

  TEST_CASE("switch: the default case's when is never parsed") {
    const auto r = check_node("switch", R"({"cases": [
      {"when": "input.kind == 'a'", "output_path": "a"},
      {"when": "default ((( @@@", "is_default": true}
    ]})");
    CHECK(r.errors().empty());
    CHECK(r.compiled != nullptr);
  }

  TEST_CASE("switch: a case expression error names the case and points into the string") {
    const auto r = check_text(R"({"nodes": [
  {"id": "n", "type": "switch", "data": {"cases": [
    {"when": "input > > 1", "output_path": "a"},
    {"is_default": true}
  ]}}
]})");
    const auto& d = r.first();
    CHECK(d.code == "expression");
    CHECK(d.message ==
          prefix("switch") + "cases[0].when: syntax error at column 9: unexpected '>'");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 23);  // the second `>`, inside the string
    CHECK(d.where.json_path == "$.nodes[0].data.cases[0].when");
  }

  TEST_CASE("blank expression fields: each kind's own rule (02 §2.2)") {
    const RequiredCase cases[] = {
        {"condition", R"({"condition": ""})", {"condition: empty condition"}},
        {"condition", R"({"condition": " \t\n"})", {"condition: empty condition"}},
        {"while_loop", R"({"condition": ""})", {"condition: empty condition"}},
        {"switch",
         R"({"cases": [{"output_path": "a"}, {"is_default": true}]})",
         {"cases[0].when: empty condition"}},
        {"filter", R"({"condition": ""})", {"filter node missing condition expression"}},
        {"find", R"({"condition": " "})", {"find node missing required 'condition' string"}},
        {"partition",
         R"({"condition": ""})",
         {"partition node missing required 'condition' string"}},
        {"reduce", R"({"expression": ""})", {"reduce node requires an expression"}},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      CHECK(r.errors() == expected(c.type, c.details));
      CHECK(r.first().code == "blank-expression");
    }
    // Allowed blank: expression passes its input through; map has no transformation.
    CHECK(check_node("expression", R"({"expression": ""})").errors().empty());
    CHECK(check_node("map", R"({"expression": "  "})").errors().empty());
    CHECK(check_node("map", "{}").errors().empty());
  }

  TEST_CASE("expression syntax errors are load errors located in the string") {
    const auto r = check_text(R"json({"nodes": [
  {"id": "n", "type": "condition", "data": {"condition": "input > (1 + * 2)"}}
]})json");
    const auto& d = r.first();
    CHECK(d.code == "expression");
    CHECK(d.message ==
          prefix("condition") + "condition: syntax error at column 14: unexpected '*'");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 72);  // the opening quote is at 58; `*` is 14 characters on
    CHECK(d.where.json_path == "$.nodes[0].data.condition");

    for (const char* type : {"expression", "map", "reduce"}) {
      INFO(std::string(type));
      const auto e = check_node(type, R"({"expression": "@@@"})");
      REQUIRE(e.errors().size() == 1);
      CHECK(e.errors()[0].rfind(prefix(type) + "expression: syntax error at column 1: ", 0) == 0);
    }
    for (const char* type : {"filter", "find", "partition", "while_loop"}) {
      INFO(std::string(type));
      const auto e = check_node(type, R"({"condition": ">10abc"})");
      REQUIRE(e.errors().size() == 1);
      CHECK(e.errors()[0].rfind(prefix(type) + "condition: syntax error at column ", 0) == 0);
    }
  }

  TEST_CASE("fields that are not expressions are never parsed") {
    CHECK(check_node("flat_map", R"({"expression": "@@@"})").errors().empty());
    CHECK(check_node("condition", R"({"condition": ">10", "true_path": "@@@"})").errors().empty());
  }

  TEST_CASE("integer keys reject fractions and exponent literals") {
    CHECK(check_node("for_each", R"({"max_iterations": 2.5})").errors() ==
          expected("for_each", {"max_iterations must be an integer, got 2.5"}));
    CHECK(check_node("for_each", R"({"max_iterations": 2.0})").errors().size() == 1);
    CHECK(check_node("rate_limiter", R"({"max_requests": 1e3, "per_duration": "1s"})")
              .errors()
              .size() == 1);
    CHECK(check_node("for_each", R"({"max_iterations": 3})").errors().empty());
    CHECK(
        check_node("while_loop", R"({"condition": ">1", "max_iterations": -4})").errors().empty());
    for (const char* data : {R"({"pagination_strategy": "page", "page_size": 1.5})",
                             R"({"pagination_strategy": "page", "max_pages": "2"})"}) {
      INFO(std::string(data));
      const auto r = check_node("paginator", data);
      CHECK(r.errors().size() == 2);  // the bad key, then "cannot execute"
    }
    const auto r = check_node("retry", R"({"max_attempts": "3"})");
    CHECK(r.errors() == expected("retry", {"max_attempts must be an integer, got string"}));
  }

  TEST_CASE("typed keys reject other JSON types") {
    const RequiredCase cases[] = {
        {"number", R"({"value": "5"})", {"value must be a number, got string"}},
        {"number", R"({"value": true})", {"value must be a number, got boolean"}},
        {"text_input", R"({"text": 5})", {"text must be a string, got number"}},
        {"boolean_input",
         R"({"boolean_value": "true"})",
         {"boolean_value must be a boolean, got string"}},
        {"date_input", R"({"date_value": 20240101})", {"date_value must be a string, got number"}},
        {"number", R"({"value": 1, "label": 5})", {"label must be a string, got number"}},
        {"http", R"({"url": {"a": 1}})", {"url must be a string, got object"}},
        {"split", R"({"paths": ["a", 1]})", {"paths[1] must be a string, got number"}},
        {"extract", R"({"fields": "a"})", {"fields must be an array, got string"}},
        {"counter",
         R"({"counter_op": "increment", "delta": "2"})",
         {"delta must be a number, got string"}},
        {"compact", R"({"remove_empty": 1})", {"remove_empty must be a boolean, got number"}},
        {"sort", R"({"order": 1})", {"order must be a string, got number"}},
        {"find",
         R"({"condition": ">1", "return_index": "yes"})",
         {"return_index must be a boolean, got string"}},
        {"try_catch",
         R"({"continue_on_error": "false"})",
         {"continue_on_error must be a boolean, got string"}},
        {"retry",
         R"({"retry_on_errors": [1]})",
         {"retry_on_errors[0] must be a string, got number"}},
        {"cache",
         R"({"cache_op": "set", "cache_key": "k", "ttl": 60})",
         {"ttl must be a string, got number"}},
        {"condition", R"({"condition": true})", {"condition must be a string, got boolean"}},
        {"switch", R"({"cases": {"a": 1}})", {"cases must be an array, got object"}},
        {"zip", R"({"remove_empty": "no"})", {"remove_empty must be a boolean, got string"}},
        {"http",
         R"({"url": "https://x.test", "headers": {"X-N": 5}})",
         {"headers.X-N must be a string, got number"}},
        {"context_variable",
         R"({"context_values": [3]})",
         {"context_values[0] must be an object, got number"}},
        {"context_variable",
         R"({"context_values": [{"name": 1, "value": 1, "type": "number"}]})",
         {"context_values[0].name must be a string, got number"}},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      CHECK(r.errors() == expected(c.type, c.details));
      if (!r.errors().empty()) CHECK(r.first().code == "wrong-type");
    }
  }

  TEST_CASE("a type error is located at the key's value") {
    const auto r = check_text(R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": "5"}}
]})");
    const auto& d = r.first();
    CHECK(d.code == "wrong-type");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 51);
    CHECK(d.where.json_path == "$.nodes[0].data.value");
  }

  TEST_CASE("keys typed any accept every JSON value") {
    CHECK(check_node("slice", R"({"start": 1.9, "end": 3, "length": null})").errors().empty());
    CHECK(check_node("zip", R"({"arrays": [[1, 2], "x", [3]], "fill_missing": {"a": 1}})")
              .errors()
              .empty());
    CHECK(check_node("reduce", R"({"expression": "accumulator + item", "initial_value": "0"})")
              .errors()
              .empty());
    CHECK(check_node("schema_validator", R"({"schema": true})").errors().empty());
    CHECK(check_node("try_catch", R"({"fallback_value": [1, {"a": null}]})").errors().empty());
  }

  TEST_CASE("a number the reference would silently replace by the default is an error (D17)") {
    // The reference types these keys *any* and runs with the default for a
    // non-number (spec 03-control §0.1): `end: "ten"` would mean 10.
    const auto r = check_node("range", R"({"start": 1, "end": "ten"})");
    CHECK(r.errors() == expected("range", {"end must be a number, got string"}));
    CHECK(r.compiled == nullptr);
    const auto& d = r.first();
    CHECK(d.code == "wrong-type");
    CHECK_FALSE(d.deferred);
    CHECK(d.notes.empty());
    CHECK(d.where.json_path == "$.nodes[0].data.end");
    CHECK(d.where.line == 1);
    CHECK(d.where.column == 69);
    // A number written as a string: an error too (the reference would not
    // read it as 3), with the fix as a note.
    const auto quoted = check_node("range", R"({"start": 1, "end": "3"})");
    CHECK(quoted.errors() == expected("range", {"end must be a number, got string"}));
    CHECK(quoted.first().notes == Strings{"write the number without quotes: end: 3"});
    CHECK(
        check_node("range", R"({"start": [1], "end": {"x": 1}, "step": true})").errors() ==
        expected("range", {"start must be a number, got array", "end must be a number, got object",
                           "step must be a number, got boolean"}));
    CHECK(check_node("chunk", R"({"size": "3"})").errors() ==
          expected("chunk", {"size must be a number, got string"}));
    CHECK(check_node("sample", R"({"count": "2", "method": "last"})").errors() ==
          expected("sample", {"count must be a number, got string"}));
    CHECK(check_node("slice", R"({"length": "x"})").errors() ==
          expected("slice", {"length must be a number, got string"}));
    CHECK(check_node("counter", R"({"counter_op": "get", "initial_value": "5"})").errors() ==
          expected("counter", {"initial_value must be a number, got string"}));
    // Not numbers in the first place: these stay free.
    CHECK(check_node("range", R"({"start": 1, "end": 3, "step": null})").errors().empty());
    CHECK(
        check_node("counter", R"({"counter_op": "get", "initial_value": null})").errors().empty());
  }

  TEST_CASE("context entries: an unsupported or missing type is a load error (01 §6.3)") {
    const auto r = check_node("context_variable", R"({"context_values": [
      {"name": "a", "value": "1", "type": "number"},
      {"name": "b", "value": 1},
      {"name": "c", "value": 1, "type": "integer"}
    ]})");
    CHECK(r.errors() ==
          expected("context_variable",
                   {"context_variable node: error converting b (): unsupported type \"\"",
                    "context_variable node: error converting c (integer): unsupported type "
                    "\"integer\""}));
    CHECK(check_node("context_constant",
                     R"({"context_values": [{"name": "x", "value": 1, "type": "Number"}]})")
              .errors() ==
          expected("context_constant",
                   {"context_constant node: error converting x (Number): unsupported type "
                    "\"Number\""}));
    const auto& d = r.first();
    CHECK(d.where.json_path == "$.nodes[0].data.context_values[1]");
    CHECK(d.notes == Strings{"type must be one of string, number, boolean, time_string, "
                             "epoch_second, epoch_ms, null"});
    const auto& c = r.diags.all().at(1);
    CHECK(c.where.json_path == "$.nodes[0].data.context_values[2].type");
    CHECK(c.notes == Strings{"type must be one of string, number, boolean, time_string, "
                             "epoch_second, epoch_ms, null"});
    CHECK(check_node("context_constant",
                     R"({"context_values": [{"name": "x", "value": 1, "type": "Number"}]})")
              .first()
              .notes == Strings{"did you mean 'number'?",
                                "type must be one of string, number, boolean, time_string, "
                                "epoch_second, epoch_ms, null"});
    for (const auto& [type, value] :
         std::vector<std::pair<std::string, std::string>>{{"string", "1"},
                                                          {"number", "1"},
                                                          {"boolean", "1"},
                                                          {"time_string", "2024-01-15T10:30:00Z"},
                                                          {"epoch_second", "1"},
                                                          {"epoch_ms", "1"},
                                                          {"null", "1"}}) {
      INFO(type);
      const auto data = fmt::format(
          R"({{"context_values": [{{"name": "x", "value": "{}", "type": "{}"}}]}})", value, type);
      CHECK(check_node("context_constant", data).diags.empty());
    }
  }

  TEST_CASE("http: methods, headers and response modes (D13)") {
    for (const char* method : {"GET", "post", "Put", "PATCH", "DELETE", "HEAD"}) {
      INFO(std::string(method));
      const auto data =
          fmt::format(R"({{"url": "https://api.example.org", "method": "{}"}})", method);
      CHECK(check_node("http", data).errors().empty());
    }
    CHECK(check_node("http",
                     R"({"url": "https://api.example.org/{{ const.path }}", "response": "full",
                         "headers": {"Authorization": "Bearer {{ const.token }}", "X-Skip": null},
                         "body": {"a": [1, 2]}})")
              .errors()
              .empty());
    CHECK(check_node("http", R"({"url": "https://x.test", "headers": {"X-A": "a\r\nX-B: b"}})")
              .errors() == expected("http", {"headers.X-A must not contain a line break"}));
    CHECK(
        check_node("http", R"({"url": "https://x.test", "headers": {"Bad Name": "v"}})").errors() ==
        expected("http", {"headers: invalid header name 'Bad Name'"}));
  }

  TEST_CASE("configuration certain to fail when the node runs is a deferred error (D17)") {
    struct FailCase {
      const char* type;
      const char* data;
      const char* cause;
      const char* path;  ///< where it is reported
    };
    const FailCase cases[] = {
        {"text_operation", R"({"text_op": "repeat"})", "repeat operation requires repeat_n field",
         "$.nodes[0].data.text_op"},
        {"text_operation", R"({"text_op": "repeat", "repeat_n": -2})",
         "repeat_n must be non-negative, got -2", "$.nodes[0].data.repeat_n"},
        {"rate_limiter", R"({"max_requests": 0, "per_duration": "1s"})",
         "max_requests must be positive", "$.nodes[0].data.max_requests"},
        {"throttle", R"({"requests_per_second": -1.5})",
         "requests_per_second must be positive, got -1.500000",
         "$.nodes[0].data.requests_per_second"},
        {"range", R"({"start": 0, "end": 5, "step": 0})", "range step cannot be 0", "$.nodes[0]"},
        {"range", R"({"start": 5, "end": 1})",
         "range with positive step requires start <= end, got start=5 end=1", "$.nodes[0]"},
        {"range", R"({"start": 0.5, "end": 3, "step": -1})",
         "range with negative step requires start >= end, got start=0.5 end=3", "$.nodes[0]"},
        {"range", R"({"start": 1, "end": 10000})",
         "range would generate more than 10000 items, adjust start/end/step", "$.nodes[0]"},
        {"schema_validator", R"({"schema": "object"})",
         "schema validation failed: schema is invalid", "$.nodes[0].data.schema"},
        {"context_constant", R"({"context_name": "x"})",
         "context_constant node missing context_value", "$.nodes[0].data.context_name"},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      CHECK(r.errors() ==
            Strings{fmt::format("node n (type {}) will fail when it runs: {}", c.type, c.cause)});
      CHECK(r.warnings().empty());
      // Deferred: the workflow still compiles, so `execute` runs it (D6).
      CHECK(r.compiled != nullptr);
      CHECK(r.diags.blocking_error_count() == 0);
      if (r.errors().empty()) continue;
      CHECK(r.first().code == "fails-when-run");
      CHECK(r.first().deferred);
      CHECK(r.first().where.json_path == c.path);
    }
    // Not certain: these fail only for some inputs, or never.
    CHECK(check_node("range", R"({"start": 1, "end": 9999})").diags.empty());
    CHECK(check_node("chunk", R"({"size": 0})").diags.empty());
    CHECK(check_node("sample", R"({"count": 0, "method": "last"})").diags.empty());
    CHECK(check_node("cache", R"({"cache_op": "get", "cache_key": "k", "ttl": "soon"})")
              .diags.empty());
  }

  TEST_CASE("an unknown option value is a deferred error listing the values (D17)") {
    struct OptionCase {
      const char* type;
      const char* data;
      const char* key;
      const char* detail;  ///< after "node n (type <type>): "
      const char* run;     ///< the note on what the node does when it runs
    };
    const OptionCase cases[] = {
        {"operation", R"({"op": "plus"})", "op",
         "op: 'plus' is not one of add, subtract, multiply, divide",
         "when it runs, the node fails with: unknown operation: plus"},
        {"text_operation", R"({"text_op": "upcase"})", "text_op",
         "text_op: 'upcase' is not one of uppercase, lowercase, titlecase, camelcase, inversecase, "
         "concat, repeat",
         "when it runs, the node fails with: unknown text operation: upcase"},
        {"variable", R"({"var_name": "x", "var_op": "put"})", "var_op",
         "var_op: 'put' is not one of get, set",
         "when it runs, the node fails with: unsupported variable operation: put (use 'get' or "
         "'set')"},
        {"counter", R"({"counter_op": "double"})", "counter_op",
         "counter_op: 'double' is not one of increment, decrement, reset, get",
         "when it runs, the node fails with: unsupported counter operation: double (use "
         "increment, decrement, reset, or get)"},
        {"cache", R"({"cache_op": "purge", "cache_key": "k"})", "cache_op",
         "cache_op: 'purge' is not one of get, set, delete",
         "when it runs, the node fails with: unsupported cache operation: purge (use get, set, or "
         "delete)"},
        {"accumulator", R"({"accum_op": "median"})", "accum_op",
         "accum_op: 'median' is not one of sum, product, concat, array, count",
         "when it receives an input, the node fails with: unsupported accumulator operation: "
         "median"},
        {"transform", R"({"transform_type": "invert"})", "transform_type",
         "transform_type: 'invert' is not one of to_array, to_object, flatten, keys, values",
         "when it runs, the node fails with: unsupported transform type: invert"},
        {"parse", R"({"input_type": "toml"})", "input_type",
         "input_type: 'toml' is not one of AUTO, JSON, CSV, TSV, YAML, XML",
         "when it runs, the node fails with: unsupported input type: TOML (supported: AUTO, JSON, "
         "CSV, TSV, YAML, XML)"},
        {"parse", R"({"input_type": ""})", "input_type",
         "input_type: '' is not one of AUTO, JSON, CSV, TSV, YAML, XML",
         "when it runs, the node fails with: unsupported input type:  (supported: AUTO, JSON, "
         "CSV, TSV, YAML, XML)"},
        {"format", R"({"output_type": "xml"})", "output_type",
         "output_type: 'xml' is not one of JSON, CSV, TSV",
         "when it runs, the node fails with: unsupported output type: XML (supported: JSON, CSV, "
         "TSV)"},
        {"join", R"({"join_strategy": "race"})", "join_strategy",
         "join_strategy: 'race' is not one of all, any, first",
         "when it runs, the node fails with: unsupported join strategy: race (use all, any, or "
         "first)"},
        {"rate_limiter", R"({"max_requests": 1, "per_duration": "1s", "strategy": "token_bucket"})",
         "strategy", "strategy: 'token_bucket' is not one of fixed_window",
         "when it runs, the node fails with: unsupported rate limit strategy: token_bucket (only "
         "fixed_window supported)"},
        {"group_by", R"({"field": "k", "aggregate": "total"})", "aggregate",
         "aggregate: 'total' is not one of count, sum, avg, min, max, values",
         "when its input is an array, the node fails with: unknown aggregate function: total"},
        {"sample", R"({"count": 1, "method": "middle"})", "method",
         "method: 'middle' is not one of random, first, last",
         "when its input is an array, the node fails with: unknown sample method: middle (must be "
         "'random', 'first', or 'last')"},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      REQUIRE(r.errors().size() == 1);
      const auto& d = r.first();
      CHECK(d.message == fmt::format("node n (type {}): {}", c.type, c.detail));
      CHECK(d.code == "unknown-option");
      CHECK(d.deferred);
      CHECK(d.notes == Strings{c.run});
      CHECK(d.where.json_path == std::string("$.nodes[0].data.") + c.key);
      CHECK(r.compiled != nullptr);
      CHECK(r.warnings().empty());
    }
  }

  TEST_CASE("an unknown option value gets a did-you-mean note and is located at the value") {
    const auto r = check_node("operation", R"({"op": "ad"})");
    REQUIRE(r.errors().size() == 1);
    const auto& d = r.first();
    CHECK(d.message ==
          "node n (type operation): op: 'ad' is not one of add, subtract, multiply, "
          "divide");
    CHECK(d.notes == Strings{"did you mean 'add'?",
                             "when it runs, the node fails with: unknown operation: ad"});
    CHECK(d.where.json_path == "$.nodes[0].data.op");
    CHECK(d.where.line == 1);
    CHECK(d.where.column == 60);
    CHECK(d.where.length == 4);
    // Options matched case-insensitively suggest the table's spelling.
    CHECK(check_node("parse", R"({"input_type": "jsn"})").first().notes.front() ==
          "did you mean 'JSON'?");
    CHECK(check_node("text_operation", R"({"text_op": "upper_case"})").first().notes.front() ==
          "did you mean 'uppercase'?");
    CHECK(check_node("accumulator", R"({"accum_op": "summ"})").first().notes.front() ==
          "did you mean 'sum'?");
  }

  TEST_CASE("an option the reference would silently replace is an ordinary error (D17)") {
    struct RejectCase {
      const char* type;
      const char* data;
      const char* detail;  ///< after the load-error prefix
      Strings notes;
    };
    const RejectCase cases[] = {
        {"sort",
         R"({"order": "descending"})",
         "order: 'descending' is not one of asc, desc",
         {"the Go engine silently sorts in ascending order for any other value"}},
        {"retry",
         R"({"backoff_strategy": "linaer"})",
         "backoff_strategy: 'linaer' is not one of exponential, linear, constant",
         {"did you mean 'linear'?", "the Go engine backs off as 'constant' for any other value"}},
        {"retry",
         R"({"initial_delay": "soon"})",
         "initial_delay: 'soon' is not a duration",
         {"write a number with a unit (ns, us, ms, s, m, h), e.g. 500ms, 1.5s, 2m, 1h30m; a bare "
          "integer means milliseconds",
          "the Go engine silently waits the default 1s instead"}},
        {"retry",
         R"({"max_delay": "1 minute"})",
         "max_delay: '1 minute' is not a duration",
         {"write a number with a unit (ns, us, ms, s, m, h), e.g. 500ms, 1.5s, 2m, 1h30m; a bare "
          "integer means milliseconds",
          "the Go engine silently caps delays at the default 30s instead"}},
        {"timeout",
         R"({"timeout": "1s", "timeout_action": "eror"})",
         "timeout_action: 'eror' is not one of error, continue, continue_with_partial",
         {"did you mean 'error'?",
          "the Go engine continues with a partial result for any value but 'error'"}},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      CHECK(r.errors() == expected(c.type, {c.detail}));
      CHECK(r.compiled == nullptr);
      if (r.errors().empty()) continue;
      CHECK_FALSE(r.first().deferred);
      CHECK(r.first().notes == c.notes);
    }
    const auto delimiter = check_node("format", R"({"output_type": "csv", "delimiter": ";x"})");
    CHECK(delimiter.errors() == expected("format", {"delimiter: ';x' is not a single character"}));
    CHECK(delimiter.first().notes ==
          Strings{"the Go engine silently uses only its first character, ';'"});
    CHECK(delimiter.first().where.json_path == "$.nodes[0].data.delimiter");
    CHECK(check_node("format", R"({"output_type": "JSON", "delimiter": ";x"})").diags.empty());
    CHECK(check_node("format", R"({"output_type": "CSV", "delimiter": "é"})").diags.empty());
    CHECK(check_node("sort", R"({"order": "DESC"})").diags.empty());
    CHECK(check_node("timeout", R"({"timeout": "1s", "timeout_action": "continue_with_partial"})")
              .diags.empty());
    CHECK(check_node("retry", R"({"backoff_strategy": "linear", "initial_delay": "1500"})")
              .diags.empty());
  }

  TEST_CASE("a duration that does not parse fails the node that uses it (D17)") {
    struct DurationCase {
      const char* type;
      const char* data;
      const char* key;
      const char* text;
      const char* run;
    };
    const DurationCase cases[] = {
        {"timeout", R"({"timeout": "one second"})", "timeout", "one second",
         "invalid timeout duration: one second"},
        {"delay", R"({"duration": "1d"})", "duration", "1d",
         "invalid duration format: invalid duration format: 1d (use formats like '5s', '10m', "
         "'1h')"},
        {"cache", R"({"cache_op": "set", "cache_key": "k", "ttl": "soon"})", "ttl", "soon",
         "invalid TTL format: invalid duration format: soon (use formats like '5s', '10m', '1h')"},
        {"rate_limiter", R"({"max_requests": 1, "per_duration": "x"})", "per_duration", "x",
         "invalid per_duration format: invalid duration format: x (use formats like '5s', '10m', "
         "'1h')"},
    };
    for (const auto& c : cases) {
      const std::string what = std::string(c.type) + " " + c.data;
      INFO(what);
      const auto r = check_node(c.type, c.data);
      REQUIRE(r.errors().size() == 1);
      const auto& d = r.first();
      CHECK(d.message ==
            fmt::format("node n (type {}): {}: '{}' is not a duration", c.type, c.key, c.text));
      CHECK(d.code == "invalid-duration");
      CHECK(d.deferred);
      CHECK(d.notes ==
            Strings{"write a number with a unit (ns, us, ms, s, m, h), e.g. 500ms, 1.5s, 2m, "
                    "1h30m; a bare integer means milliseconds",
                    std::string("when it runs, the node fails with: ") + c.run});
      CHECK(d.where.json_path == std::string("$.nodes[0].data.") + c.key);
    }
  }

  TEST_CASE("unknown data keys are ignored, with a warning") {
    // A near-miss of a key the kind reads.
    const auto r = check_node("cache", R"({"cache_op": "get", "cache_key": "k", "tll": "5s"})");
    CHECK(r.errors().empty());
    CHECK(r.warnings() ==
          Strings{"unknown key 'tll' in the data of node n (type cache) is ignored"});
    CHECK(r.first(Severity::Warning).code == "unknown-key");
    CHECK(r.first(Severity::Warning).notes == Strings{"did you mean 'ttl'?"});
    // Any other key: the note lists the keys the kind reads.
    const auto p = check_node("parse", R"({"format": "JSON"})");
    CHECK(p.errors().empty());
    CHECK(p.warnings() ==
          Strings{"unknown key 'format' in the data of node n (type parse) is ignored"});
    const auto& w = p.first(Severity::Warning);
    CHECK(w.notes == Strings{"a parse node reads: input_type"});
    CHECK(w.where.json_path == "$.nodes[0].data.format");
    CHECK(w.where.line == 1);
    CHECK(w.where.column == 50);
    CHECK(w.where.length == 8);
    CHECK(check_node("reverse", R"({"order": "desc"})").first(Severity::Warning).notes ==
          Strings{"a reverse node reads no data keys"});
    // Keys the editor writes, and keys the reference accepts and ignores.
    CHECK(check_node("number", R"({"value": 1, "label": "n", "_executionData": {"x": 1}})")
              .diags.empty());
    CHECK(check_node("join", R"({"join_strategy": "all", "timeout": "5s"})").diags.empty());
    CHECK(check_node("variable", R"({"var_name": "x", "var_op": "set", "scope": "run"})")
              .diags.empty());
    // After an error not every key was read: only near-misses are reported.
    const auto e = check_node("number", R"({"vlue": 3, "other": 1})");
    CHECK(e.errors() == expected("number", {"missing required field: value"}));
    CHECK(e.warnings() ==
          Strings{"unknown key 'vlue' in the data of node n (type number) is ignored"});
  }

  TEST_CASE("errors in several nodes are all reported, in document order") {
    const auto r = check_text(R"({"nodes": [
  {"id": "a", "type": "number", "data": {}},
  {"id": "b", "type": "chunk", "data": {"size": null}},
  {"id": "c", "type": "filter", "data": {"condition": ""}}
]})");
    // People read the problem; a run result's `errors` keep the Go wording.
    CHECK(r.errors() == Strings{"missing required field: value", "missing required field: size",
                                "filter node missing condition expression"});
    CHECK(
        r.result_texts() ==
        Strings{"failed to unmarshal data for node a (type number): missing required field: value",
                "failed to unmarshal data for node b (type chunk): missing required field: size",
                "failed to unmarshal data for node c (type filter): filter node missing "
                "condition expression"});
  }

  TEST_CASE("inferred kinds are checked like explicit ones") {
    const auto r = check_text(R"({"nodes": [
  {"id": "a", "data": {"condition": ""}},
  {"id": "b", "data": {"cases": [{"is_default": true}, {"when": ">1", "output_path": "x"}]}}
]})");
    CHECK(r.result_texts() ==
          Strings{"failed to unmarshal data for node a (type filter): filter node missing "
                  "condition expression",
                  "failed to unmarshal data for node b (type switch): default case must be the "
                  "last case in the array (found at index 0, but last index is 1)"});
  }
}
