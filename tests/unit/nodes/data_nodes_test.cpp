// Executors of parse, format and schema_validator (spec 03 §6.3, §6.4, §8,
// §12 with its overrides; D2, D14, D19), run through the engine with a fake
// `const` source kind so each case states its input literally.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "run_test_util.h"

using namespace thaiyyal;
using nodes::testing::Ran;

namespace {

/// Runs `const` (value = `input`, JSON text) -> node "n" of `type` with `data`.
Ran run_node(std::string_view type, std::string_view data, std::string_view input) {
  return nodes::testing::run_with(
      nodes::testing::kConstKinds,
      fmt::format(R"({{"nodes": [{{"id": "in", "type": "const", "data": {{"value": {}}}}},
                                       {{"id": "n", "type": "{}", "data": {}}}],
                           "edges": [{{"source": "in", "target": "n"}}]}})",
                  input, type, data));
}

/// Parses `text` (a string input) with `input_type`; the result as JSON text.
std::string parsed(std::string_view input_type, const std::string& text) {
  const Ran r =
      run_node("parse", fmt::format(R"({{"input_type": "{}"}})", input_type), to_json(Value(text)));
  INFO(r.error());
  REQUIRE(r.ok());
  return r.of("n");
}

/// The error of parsing `text` with `input_type`.
std::string parse_error(std::string_view input_type, const std::string& text) {
  const Ran r =
      run_node("parse", fmt::format(R"({{"input_type": "{}"}})", input_type), to_json(Value(text)));
  REQUIRE_FALSE(r.ok());
  return r.error();
}

std::string formatted(std::string_view data, std::string_view input) {
  const Ran r = run_node("format", data, input);
  INFO(r.error());
  REQUIRE(r.ok());
  return r.value("n")->as_string();
}

}  // namespace

TEST_SUITE("nodes") {
  TEST_CASE("parse JSON: values, Go float literals, trailing text is an error (D14)") {
    CHECK(parsed("JSON", R"( {"b": [1, 2.5, "x"], "a": null} )") ==
          R"({"b":[1,2.5,"x"],"a":null})");
    CHECK(parsed("JSON", "true") == "true");
    CHECK(parsed("JSON", " null ") == "null");
    CHECK(parsed("JSON", "1_000") == "1000");
    CHECK(parsed("JSON", "+5") == "5");
    CHECK(parsed("JSON", ".5") == "0.5");
    CHECK(parsed("JSON", "0x1p4") == "16");
    CHECK(parsed("JSON", R"({"a": 1, "a": 2})") == R"({"a":2})");  // the last duplicate wins
    CHECK(parsed("JSON", "12345678901234567890") == "12345678901234567000");
    CHECK(parse_error("JSON", "1,2") ==
          "error executing node n: invalid JSON: unexpected ',' after the JSON value at line 1, "
          "column 2");
    CHECK(parse_error("JSON", R"({"a":1} trailing)").find("invalid JSON: ") != std::string::npos);
    CHECK(parse_error("JSON", "") ==
          "error executing node n: invalid JSON: unexpected end of JSON input");
    CHECK(parse_error("JSON", "NaN").find("invalid JSON: NaN is not a JSON number") !=
          std::string::npos);
    CHECK(parse_error("JSON", "-Infinity").find("invalid JSON") != std::string::npos);
  }

  TEST_CASE("parse: non-string inputs become text first (§12.1)") {
    Ran r = run_node("parse", R"({"input_type": "JSON"})", R"({"b": 1, "a": [true]})");
    CHECK(r.of("n") == R"({"a":[true],"b":1})");
    r = run_node("parse", "{}", "100000000");
    CHECK(r.of("n") == "100000000");
    r = run_node("parse", "{}", "null");
    CHECK(r.error() == "error executing node n: invalid JSON: unexpected end of JSON input");
  }

  TEST_CASE("parse: errors before parsing") {
    Ran r = nodes::testing::run_with(nodes::testing::kConstKinds,
                                     R"({"nodes": [{"id": "n", "type": "parse", "data": {}}]})");
    CHECK(r.error() == "error executing node n: parse node requires input");
    r = run_node("parse", R"({"input_type": "toml"})", R"("a")");
    CHECK(r.error() ==
          "error executing node n: unsupported input type: TOML (supported: AUTO, JSON, CSV, "
          "TSV, YAML, XML)");
  }

  TEST_CASE("parse CSV: typed cells, quoting, header rules (§12.4)") {
    CHECK(parsed("csv", "name, age,active,note\nAlice, 30,true,null\nBob,2.5e1,false,\"x, y\"") ==
          R"([{"name":"Alice","age":30,"active":true,"note":null},)"
          R"({"name":"Bob","age":25,"active":false,"note":"x, y"}])");
    // Quoting does not force a string; "" is one quote; line breaks inside quotes.
    CHECK(parsed("CSV", "a,b\n\"42\",\"say \"\"hi\"\"\nthere\"\r\n") ==
          R"([{"a":42,"b":"say \"hi\"\nthere"}])");
    // Header names keep trailing spaces; empty lines are skipped; the later duplicate wins.
    CHECK(parsed("CSV", "name ,x,x\n\n1,2,3\n") == R"([{"name ":1,"x":3}])");
    // Cell typing: Go float syntax, NaN/Inf and out-of-range stay text (D2, D-17).
    CHECK(parsed("CSV", "a,b,c,d,e,f,g\n1_000,0x10,NaN,-inf,1e400,True, \n") ==
          R"([{"a":1000,"b":"0x10","c":"NaN","d":"-inf","e":"1e400","f":"True","g":""}])");
    CHECK(parsed("CSV", "") == "[]");
    CHECK(parsed("CSV", "only,header\n") == "[]");
    // A line of spaces is a record with one empty field.
    CHECK(parse_error("CSV", "a,b\n   \n") ==
          "error executing node n: invalid CSV/TSV: record on line 2: wrong number of fields");
    CHECK(parse_error("CSV", "a,b\n1,x\"y\n") ==
          "error executing node n: invalid CSV/TSV: parse error on line 2, column 4: bare \" in "
          "non-quoted-field");
    CHECK(parse_error("CSV", "a,b\n\"x\" ,1\n") ==
          "error executing node n: invalid CSV/TSV: parse error on line 2, column 3: extraneous "
          "or missing \" in quoted-field");
    CHECK(parse_error("CSV", "a\n\"open\nstill open") ==
          "error executing node n: invalid CSV/TSV: record on line 2; parse error on line 3, "
          "column 11: extraneous or missing \" in quoted-field");
  }

  TEST_CASE("parse TSV: tabs separate, commas are ordinary") {
    CHECK(parsed("TSV", "a\tb\n1,5\tx y\n") == R"([{"a":"1,5","b":"x y"}])");
  }

  TEST_CASE("parse YAML: a real parser with the core schema (D14, D19)") {
    CHECK(parsed("YAML",
                 "name: Bob\ntags:\n  - a\n  - b\naddress:\n  city: Paris\n  zip: "
                 "\"75001\"\nflow: [1, 2]\nok: yes\nno_value:\n") ==
          R"({"name":"Bob","tags":["a","b"],"address":{"city":"Paris","zip":"75001"},)"
          R"("flow":[1,2],"ok":"yes","no_value":null})");
    CHECK(parsed("YAML", "- 1\n- two\n") == R"([1,"two"])");
    CHECK(parse_error("YAML", "") == "error executing node n: no valid YAML key-value pairs found");
    CHECK(parse_error("YAML", "just text") ==
          "error executing node n: invalid YAML: the document is a single string, not a "
          "mapping or a sequence");
    CHECK(parse_error("YAML", "a: [1, 2\n").rfind("error executing node n: invalid YAML: ", 0) ==
          0);
    CHECK(parse_error("YAML", "a: .inf\n").find("invalid YAML") != std::string::npos);
  }

  TEST_CASE("parse XML: nested objects, arrays, attributes, mixed text (D14)") {
    CHECK(parsed("XML", "<count>42</count>") == R"({"count":42})");
    CHECK(parsed("XML", "<user><name>Alice</name></user>") == R"({"user":{"name":"Alice"}})");
    CHECK(parsed("XML",
                 "<?xml version=\"1.0\"?><!-- c --><list id=\"7\" xmlns:x=\"u\">"
                 "<item>1</item><item>two</item><x:flag>true</x:flag><empty/></list>") ==
          R"({"list":{"@id":7,"item":[1,"two"],"flag":true,"empty":""}})");
    CHECK(parsed("XML", R"(<a x="1">  hi <b>x</b> there &amp; </a>)") ==
          R"({"a":{"@x":1,"b":"x","#text":"hi  there &"}})");
    CHECK(parsed("XML", "<a><![CDATA[ 7 ]]></a>") == R"({"a":7})");
    CHECK(parse_error("XML", "<unclosed>").rfind("error executing node n: invalid XML: ", 0) == 0);
    CHECK(parse_error("XML", "").rfind("error executing node n: invalid XML: ", 0) == 0);
  }

  TEST_CASE("parse AUTO: detection order (§12.2)") {
    CHECK(parsed("AUTO", R"( [1, {"a": 2}] )") == R"([1,{"a":2}])");
    CHECK(parsed("AUTO", "<n>5</n>") == R"({"n":5})");
    CHECK(parsed("AUTO", "# c\nname: Bob\nage: 42\nnested:\n  inner: yes") ==
          R"({"name":"Bob","age":42,"nested":{"inner":"yes"}})");
    CHECK(parsed("AUTO", "a\tb\n1\t2") == R"([{"a":1,"b":2}])");
    CHECK(parsed("AUTO", "a\tb,c\n1\t2,3") == R"([{"a\tb":"1\t2","c":3}])");
    CHECK(parsed("AUTO", "42") == "42");
    // A single key: value line is not YAML, and fails as JSON.
    CHECK(parse_error("AUTO", "name: Bob").find("invalid JSON") != std::string::npos);
    CHECK(parse_error("AUTO", "<a>1</a> trailing").find("invalid JSON") != std::string::npos);
  }

  TEST_CASE("format JSON: RefJSON, compact and pretty (§12.7)") {
    CHECK(formatted(R"({"output_type": "json"})", R"({"b": 1, "a": "x<y&z\u2028"})") ==
          R"({"a":"x\u003cy\u0026z\u2028","b":1})");
    CHECK(formatted(R"({"output_type": "JSON", "pretty_print": true})",
                    R"({"b": [1, {"c": null}], "a": "x", "e": {}, "f": []})") ==
          "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ],\n"
          "  \"e\": {},\n  \"f\": []\n}");
    CHECK(formatted(R"({"output_type": "JSON"})", "null") == "null");
    CHECK(formatted(R"({"output_type": "JSON"})", R"("a\u0001\n")") == R"("a\u0001\n")");
    CHECK(formatted(R"({"output_type": "JSON"})", "[1e21, 1e20, 1e-7, 123456789.5, -0.0]") ==
          "[1e+21,100000000000000000000,1e-7,123456789.5,0]");
  }

  TEST_CASE("format CSV and TSV: columns, cells, quoting (§12.8, D2)") {
    CHECK(
        formatted(R"({"output_type": "CSV"})",
                  R"([{"qty": 2, "price": 10.5, "name": "a,b"}, {"price": 20, "extra": true}])") ==
        "extra,name,price,qty\n,\"a,b\",10.5,2\ntrue,,20,\n");
    CHECK(formatted(R"({"output_type": "CSV", "include_headers": false})",
                    R"({"a": " lead", "b": "q\"uote", "c": "\\.", "d": [1, "<a>"], "e": null})") ==
          "\" lead\",\"q\"\"uote\",\"\\.\",\"[1,\"\"\\u003ca\\u003e\"\"]\",\n");
    CHECK(formatted(R"({"output_type": "csv", "delimiter": ";"})", R"([{"a": "1;2", "b": 0.1}])") ==
          "a;b\n\"1;2\";0.1\n");
    CHECK(formatted(R"({"output_type": "TSV"})", R"([{"a": "x\ty", "b": 1e-7}])") ==
          "a\tb\n\"x\ty\"\t1e-7\n");
    CHECK(formatted(R"({"output_type": "CSV", "delimiter": "\""})", "[]").empty());
  }

  TEST_CASE("format: errors") {
    Ran r = run_node("format", R"({"output_type": "CSV"})", "[1]");
    CHECK(r.error() ==
          "error executing node n: CSV formatting requires array of objects, got array element "
          "of type number");
    r = run_node("format", R"({"output_type": "CSV"})", R"("text")");
    CHECK(r.error() ==
          "error executing node n: CSV formatting requires array of objects or single object, "
          "got string");
    r = run_node("format", R"({"output_type": "CSV", "delimiter": "\""})", R"({"a": 1})");
    CHECK(r.error() ==
          "error executing node n: failed to write CSV headers: csv: invalid field or comment "
          "delimiter");
    r = run_node("format", R"({"output_type": "CSV", "delimiter": "\n", "include_headers": false})",
                 R"({"a": 1})");
    CHECK(r.error() ==
          "error executing node n: failed to write CSV row: csv: invalid field or comment "
          "delimiter");
    r = run_node("format", R"({"output_type": "XML"})", "1");
    CHECK(r.error() ==
          "error executing node n: unsupported output type: XML (supported: JSON, CSV, TSV)");
  }

  TEST_CASE("format then parse round-trips (§12.9)") {
    const Ran r = nodes::testing::run_with(nodes::testing::kConstKinds, R"({"nodes": [
        {"id": "in", "type": "const", "data": {"value": [{"a": 1, "b": "x, \"y\""}, {"a": 2.5, "b": "z"}]}},
        {"id": "f", "type": "format", "data": {"output_type": "CSV"}},
        {"id": "p", "type": "parse", "data": {"input_type": "CSV"}},
        {"id": "j", "type": "format", "data": {"output_type": "JSON"}},
        {"id": "q", "type": "parse", "data": {}}],
      "edges": [{"source": "in", "target": "f"}, {"source": "f", "target": "p"},
                {"source": "in", "target": "j"}, {"source": "j", "target": "q"}]})");
    REQUIRE(r.ok());
    CHECK(r.of("p") == R"([{"a":1,"b":"x, \"y\""},{"a":2.5,"b":"z"}])");
    CHECK(r.of("q") == r.of("in"));
  }

  TEST_CASE("schema_validator: valid input, strict failure, error entries (§8)") {
    const std::string schema =
        R"({"type": "object", "properties": {"name": {"type": "string"}, "email": {"format": "email"},
            "age": {"type": "integer", "minimum": 0}}, "additionalProperties": false,
            "required": ["name", "email"]})";
    Ran r = run_node("schema_validator", fmt::format(R"({{"schema": {}}})", schema),
                     R"({"name": "Ann", "email": "a@b.c", "age": 30.0})");
    CHECK(r.of("n") == R"({"valid":true,"data":{"name":"Ann","email":"a@b.c","age":30}})");
    r = run_node("schema_validator", fmt::format(R"({{"schema": {}}})", schema),
                 R"({"name": 5, "age": -1, "extra": true})");
    CHECK(
        r.of("n") ==
        R"({"valid":false,"data":{"name":5,"age":-1,"extra":true},"errors":[)"
        R"js({"field":"(root)","type":"required","description":"email is required",)js"
        R"("value":{"name":5,"age":-1,"extra":true}},)"
        R"js({"field":"(root)","type":"additional_property_not_allowed",)js"
        R"("description":"Additional property extra is not allowed","value":true},)"
        R"({"field":"age","type":"number_gte","description":"Must be greater than or equal to 0","value":-1},)"
        R"({"field":"name","type":"invalid_type","description":"Invalid type. Expected: string, given: integer","value":5}]})");
    r = run_node("schema_validator", fmt::format(R"({{"schema": {}, "strict": true}})", schema),
                 R"({"name": 5, "age": -1, "extra": true})");
    CHECK(r.error() == "error executing node n: validation failed: 4 errors found");
    r = run_node("schema_validator", R"({"schema": true})", "null");
    CHECK(r.error() == "error executing node n: no input provided for validation");
    r = run_node("schema_validator", R"({"schema": {"type": "nonsense"}})", "1");
    CHECK(r.error() ==
          "error executing node n: schema validation failed: has a primitive type that is NOT "
          "VALID -- given: /nonsense/ Expected valid values are:[array boolean integer number "
          "null object string]");
  }

  TEST_CASE("schema_validator: keyword codes, templates and paths") {
    struct Case {
      const char* schema;
      const char* input;
      const char* error;  // the first error as {field, type, description}
    };
    const Case cases[] = {
        {R"({"type": ["string", "null"]})", "1",
         R"((root)|invalid_type|Invalid type. Expected: [string,null], given: integer)"},
        {R"({"type": "number"})", R"("x")",
         "(root)|invalid_type|Invalid type. Expected: number, given: string"},
        {R"({"enum": ["a", 1]})", "2",
         R"((root)|enum|(root) must be one of the following: "a", 1)"},
        {R"({"properties": {"o": {"properties": {"z": {"const": {"k": 1}}}}}})",
         R"({"o": {"z": 2}})", R"(o.z|const|o.z does not match: {"k":1})"},
        {R"({"maximum": 3})", "4", "(root)|number_lte|Must be less than or equal to 3"},
        {R"({"exclusiveMinimum": 0.5})", "0.5", "(root)|number_gt|Must be greater than 0.5"},
        {R"({"exclusiveMaximum": 1})", "1", "(root)|number_lt|Must be less than 1"},
        {R"({"minimum": 1, "exclusiveMinimum": true})", "1",
         "(root)|number_gt|Must be greater than 1"},
        {R"({"multipleOf": 0.1})", "0.35", "(root)|multiple_of|Must be a multiple of 0.1"},
        {R"({"minLength": 3})", R"("éé")",
         "(root)|string_gte|String length must be greater than or equal to 3"},
        {R"({"maxLength": 1})", R"("ab")",
         "(root)|string_lte|String length must be less than or equal to 1"},
        {R"({"pattern": "^[a-z]+$"})", R"("abc1")",
         "(root)|pattern|Does not match pattern '^[a-z]+$'"},
        {R"({"format": "email"})", R"("nope")", "(root)|format|Does not match format 'email'"},
        {R"({"format": "date-time"})", R"("2024-02-30T10:00:00Z")",
         "(root)|format|Does not match format 'date-time'"},
        {R"({"properties": {"tags": {"items": {"type": "string"}, "minItems": 3}}})",
         R"({"tags": ["a", 2]})",
         "tags.1|invalid_type|Invalid type. Expected: string, given: integer"},
        {R"({"maxItems": 1})", "[1, 2]", "(root)|array_max_items|Array must have at most 1 items"},
        {R"({"uniqueItems": true})", R"([1, "a", {"b": 1}, {"b": 1.0}])",
         "(root)|unique|array items[2,3] must be unique"},
        {R"({"minProperties": 2})", R"({"a": 1})",
         "(root)|array_min_properties|Must have at least 2 properties"},
        {R"({"maxProperties": 0})", R"({"a": 1})",
         "(root)|array_max_properties|Must have at most 0 properties"},
        {R"({"anyOf": [{"type": "string"}, {"minimum": 5}]})", "1",
         "(root)|number_any_of|Must validate at least one schema (anyOf)"},
        {R"({"oneOf": [{"minimum": 0}, {"maximum": 5}]})", "1",
         "(root)|number_one_of|Must validate one and only one schema (oneOf)"},
        {R"({"allOf": [{"minimum": 0}, {"maximum": 5}]})", "9",
         "(root)|number_lte|Must be less than or equal to 5"},
        {R"({"not": {"type": "integer"}})", "1",
         "(root)|number_not|Must not validate the schema (not)"},
        {R"({"definitions": {"pos": {"minimum": 0}}, "items": {"$ref": "#/definitions/pos"}})",
         "[1, -2]", "1|number_gte|Must be greater than or equal to 0"},
        {"false", "1", "(root)|false|False always fails validation"},
    };
    for (const auto& c : cases) {
      INFO(c.schema, " ", c.input);
      const Ran r =
          run_node("schema_validator", fmt::format(R"({{"schema": {}}})", c.schema), c.input);
      REQUIRE(r.ok());
      const Value* errors = r.value("n")->find("errors");
      REQUIRE(errors != nullptr);
      const Value& e = errors->as_array().front();
      CHECK(fmt::format("{}|{}|{}", e.find("field")->as_string(), e.find("type")->as_string(),
                        e.find("description")->as_string()) == c.error);
    }
  }

  TEST_CASE("schema_validator: valid documents pass every keyword") {
    const Ran r = run_node("schema_validator", R"({"schema": {
        "type": "object", "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"},
                       "ip": {"anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
                       "when": {"format": "date-time"}, "n": {"type": "integer", "multipleOf": 0.5}},
        "patternProperties": {"^x-": {"type": "boolean"}}, "additionalProperties": false}})",
                           R"({"id": "123e4567-e89b-12d3-a456-426614174000", "ip": "::1",
            "when": "2024-01-15T10:30:00.000Z", "n": 3, "x-debug": true})");
    REQUIRE(r.ok());
    CHECK(r.value("n")->find("valid")->as_bool());
  }
}
