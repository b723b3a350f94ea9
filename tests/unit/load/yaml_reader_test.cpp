#include "thaiyyal/load/yaml_reader.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"

using namespace thaiyyal;

namespace {

/// The document as compact JSON, or "<code>@<line>:<column>: <message>".
std::string yaml(std::string_view text, std::size_t max_depth = 512) {
  try {
    return to_json(load::parse_yaml(text, max_depth));
  } catch (const diag::Error& e) {
    const auto& d = e.diagnostic();
    return d.code + "@" + std::to_string(d.where.line) + ":" + std::to_string(d.where.column) +
           ": " + d.message;
  }
}

/// Loads YAML text as a workflow file and renders every diagnostic.
std::string load_yaml(std::string_view text, std::optional<Workflow>* out = nullptr) {
  auto file = std::make_shared<diag::SourceFile>("flow.yaml", std::string(text));
  diag::Diagnostics ds;
  auto wf = load::load_workflow(file, {}, ds);
  std::string rendered;
  for (const auto& d : ds.all()) rendered += diag::render_text(d);
  if (out) *out = std::move(wf);
  return rendered;
}

}  // namespace

TEST_SUITE("load") {
  TEST_CASE("yaml core schema: booleans and null") {
    CHECK(yaml("[true, false, True, FALSE]") == "[true,false,true,false]");
    // YAML 1.1 booleans stay strings (D19).
    CHECK(yaml("[yes, no, on, off, y, n, Yes, ON]") ==
          R"(["yes","no","on","off","y","n","Yes","ON"])");
    CHECK(yaml("a: ~\nb:\nc: null\nd: Null\ne: NULL\nf: nil\n") ==
          R"({"a":null,"b":null,"c":null,"d":null,"e":null,"f":"nil"})");
    CHECK(yaml("[tRuE, nULL]") == R"(["tRuE","nULL"])");
  }

  TEST_CASE("yaml core schema: numbers") {
    CHECK(yaml("[0, -0, 12, +12, -12, 1.5, .5, 5., 1e3, 1E-3, -2.5e+2]") ==
          "[0,0,12,12,-12,1.5,0.5,5,1000,0.001,-250]");
    CHECK(std::signbit(load::parse_yaml("-0").as_number()));
    CHECK(yaml("[0x1F, 0xff, 0o17, 0o0]") == "[31,255,15,0]");
    // Not core-schema numbers: strings.
    CHECK(yaml("[0b101, 017x, 1_000, 0x, 0o8, 0xG, 1e, 1.2.3, +, -, .]") ==
          R"(["0b101","017x","1_000","0x","0o8","0xG","1e","1.2.3","+","-","."])");
    // YAML 1.1 sexagesimal and upper-case prefixes are strings too.
    CHECK(yaml("[1:30, 0X1F, 0O17]") == R"(["1:30","0X1F","0O17"])");
    // Leading zeros are decimal in the core schema.
    CHECK(yaml("[017, 007.5]") == "[17,7.5]");
    CHECK(yaml("1e-400") == "0");
    CHECK(yaml("1e400") == "number-out-of-range@1:1: number out of range: 1e400");
    CHECK(yaml("v: 0x" + std::string(300, 'f')) == "number-out-of-range@1:4: number out of range");
  }

  TEST_CASE("yaml: infinities and NaN are rejected (D2)") {
    CHECK(yaml("v: .inf") ==
          "non-finite-number@1:4: '.inf' is not a finite number; infinities and NaN are not "
          "supported");
    CHECK(yaml("v: -.Inf") ==
          "non-finite-number@1:4: '-.Inf' is not a finite number; infinities and NaN are not "
          "supported");
    CHECK(yaml("- 1\n- .NaN") ==
          "non-finite-number@2:3: '.NaN' is not a finite number; infinities and NaN are not "
          "supported");
    CHECK(yaml("v: +.INF").rfind("non-finite-number@1:4: ", 0) == 0);
    // Quoted, they are strings.
    CHECK(yaml("v: '.inf'") == R"({"v":".inf"})");
    // Other spellings are plain strings in the core schema.
    CHECK(yaml("[inf, nan, .infinity]") == R"(["inf","nan",".infinity"])");
  }

  TEST_CASE("yaml: quoted and block scalars stay strings") {
    CHECK(yaml(R"(["true", 'null', "1", '0x1F', "~", ''])") ==
          R"(["true","null","1","0x1F","~",""])");
    CHECK(yaml("a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\nc: |\n  42\n") ==
          R"({"a":"line 1\nline 2\n","b":"folded text","c":"42\n"})");
    CHECK(yaml(R"(v: "tab\tnew\nline \u00e9")") == "{\"v\":\"tab\\tnew\\nline \xC3\xA9\"}");
  }

  TEST_CASE("yaml: explicit core tags") {
    CHECK(yaml("[!!str 1, !!str true, !!int 7, !!float 1.5, !!bool true, !!null ~]") ==
          R"(["1","true",7,1.5,true,null])");
    CHECK(yaml("v: !!int abc") == "yaml-unsupported@1:4: invalid number 'abc'");
    CHECK(yaml("v: !!bool yes") == "yaml-unsupported@1:4: invalid !!bool value 'yes'");
    CHECK(yaml("v: !!null x") == "yaml-unsupported@1:4: invalid !!null value 'x'");
    CHECK(yaml("v: !custom x") == "yaml-unsupported@1:4: unsupported YAML tag '!custom'");
    CHECK(yaml("v: !!binary aGk=") ==
          "yaml-unsupported@1:4: unsupported YAML tag 'tag:yaml.org,2002:binary'");
  }

  TEST_CASE("yaml: mappings, sequences and key order") {
    CHECK(yaml("b: 1\na: [x, {k: v}]\nc: {}\nd: []\n") ==
          R"({"b":1,"a":["x",{"k":"v"}],"c":{},"d":[]})");
    // Keys are scalars taken as text, whatever they look like.
    CHECK(yaml("1: a\ntrue: b\n'~': c\n") == R"({"1":"a","true":"b","~":"c"})");
    CHECK(yaml("a: 1\n~: c\n") == "yaml-syntax@2:1: mapping keys must be strings, got null");
    CHECK(yaml("? [a]\n: 1\n") == "yaml-syntax@1:3: mapping keys must be strings, got array");
    CHECK(yaml("{a: 1}: 1") == "yaml-syntax@1:1: mapping keys must be strings, got object");
  }

  TEST_CASE("yaml: duplicate keys are rejected") {
    CHECK(yaml("a: 1\nb: 2\na: 3\n") == R"(duplicate-key@3:1: duplicate key "a" in mapping)");
    CHECK(yaml("x:\n  k: 1\n  k: 2\n") == R"(duplicate-key@3:3: duplicate key "k" in mapping)");
    CHECK(yaml("{a: 1, a: 1}") == R"(duplicate-key@1:8: duplicate key "a" in mapping)");
    // Different spellings of the same text are the same key.
    CHECK(yaml("a: 1\n'a': 2\n") == R"(duplicate-key@2:1: duplicate key "a" in mapping)");
    CHECK(yaml("a: 1\nA: 2\n") == R"({"a":1,"A":2})");
  }

  TEST_CASE("yaml: multi-document files and empty input") {
    CHECK(yaml("a: 1\n---\nb: 2\n") ==
          "yaml-syntax@3:1: the file holds several YAML documents; a workflow file holds exactly "
          "one");
    CHECK(yaml("---\na: 1\n...\n") == R"({"a":1})");
    CHECK(yaml("---\na: 1\n") == R"({"a":1})");
    CHECK(yaml("") == "null");
    CHECK(yaml("# only a comment\n") == "null");
  }

  TEST_CASE("yaml: aliases expand, alias bombs fail fast") {
    CHECK(yaml("a: &x [1, 2]\nb: *x\n") == R"({"a":[1,2],"b":[1,2]})");
    CHECK(yaml("base: &b {k: 1}\nuse: *b\n") == R"({"base":{"k":1},"use":{"k":1}})");
    // "Billion laughs": 9 levels of 9 references would be 387 million values.
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
      bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
      for (int k = 0; k < 9; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
      bomb += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const std::string got = yaml(bomb);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(got.rfind("yaml-too-large@", 0) == 0);
    CHECK(got.find(": YAML document expands to too many values (aliases are limited to prevent "
                   "exponential expansion)") != std::string::npos);
    CHECK(took < std::chrono::seconds(5));
  }

  TEST_CASE("yaml: a long string repeated through aliases fails fast") {
    // 200 references to a 1 MiB string would be 200 MiB of text.
    std::string bomb = "a: &a \"" + std::string(1 << 20, 'x') + "\"\nb: [";
    for (int i = 0; i < 200; ++i) bomb += i ? ", *a" : "*a";
    bomb += "]\n";
    const auto start = std::chrono::steady_clock::now();
    CHECK(yaml(bomb) ==
          "yaml-too-large@1:4: YAML document expands to too many values (aliases are limited to "
          "prevent exponential expansion)");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    // A few references to a short anchor are fine.
    CHECK(yaml("d: &d {k: v}\nx: [*d, *d, *d]\n") ==
          R"({"d":{"k":"v"},"x":[{"k":"v"},{"k":"v"},{"k":"v"}]})");
  }

  TEST_CASE("yaml: nesting limit") {
    CHECK(yaml("[[[[1]]]]", 4) == "[[[[1]]]]");
    CHECK(yaml("[[[[[1]]]]]", 4) == "nesting-too-deep@1:5: nesting too deep: more than 4 levels");
    CHECK(yaml("a:\n  b:\n    c:\n      d:\n        e: 1\n", 4) ==
          "nesting-too-deep@5:9: nesting too deep: more than 4 levels");
    // Deeper than yaml-cpp's own guard allows: still a clear nesting error
    // (without a position: the parser gives none), no crash.
    CHECK(yaml("v: " + std::string(498, '[') + std::string(498, ']'), 0).size() == 2 * 498 + 6);
    const std::string flow = "v: " + std::string(10000, '[') + std::string(10000, ']');
    CHECK(yaml(flow) == "nesting-too-deep@0:0: nesting too deep: more than 499 levels");
    std::string block;
    for (int i = 0; i < 3000; ++i)
      block += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    CHECK(yaml(block) == "nesting-too-deep@0:0: nesting too deep: more than 499 levels");
  }

  TEST_CASE("yaml: syntax errors carry positions") {
    CHECK(yaml("a: [1, 2\n") == "yaml-syntax@2:1: invalid YAML: end of sequence flow not found");
    CHECK(yaml("a: b: c\n").rfind("yaml-syntax@1:5: invalid YAML: ", 0) == 0);
    CHECK(yaml("a:\n\t- 1\n").rfind("yaml-syntax@", 0) == 0);
    CHECK(yaml("*unknown\n").rfind("yaml-syntax@1:1: invalid YAML: ", 0) == 0);
  }

  TEST_CASE("yaml: an unterminated quoted scalar is an error, not the rest of the file") {
    // yaml-cpp alone would read these as "open " and "open c: 1 ".
    CHECK(yaml("a: 'open\n") == "yaml-syntax@1:4: invalid YAML: unterminated quoted string");
    CHECK(yaml("a: ok\nb: \"open\nc: 1\n") ==
          "yaml-syntax@2:4: invalid YAML: unterminated quoted string");
    CHECK(yaml("'open: 1\n") == "yaml-syntax@1:1: invalid YAML: unterminated quoted string");
    CHECK(yaml("a: \"x\\\"\n") == "yaml-syntax@1:4: invalid YAML: unterminated quoted string");
    // Escaped quotes, multi-line quoted scalars and quotes inside plain scalars are fine.
    CHECK(yaml("a: 'it''s'\nb: \"say \\\"hi\\\"\"\nc: don't\n") ==
          R"({"a":"it's","b":"say \"hi\"","c":"don't"})");
    CHECK(yaml("a: 'line\n  two'\n") == R"({"a":"line two"})");
    CHECK(yaml("\xEF\xBB\xBF"
               "a: 'x'\nb: \"y\"\n") == R"({"a":"x","b":"y"})");
  }

  TEST_CASE("yaml: text must be UTF-8 without control characters") {
    CHECK(yaml("a: \"x\xFFy\"\n") == "invalid-utf8@1:6: invalid UTF-8 (byte 0xFF)");
    CHECK(yaml("a: 1\nb: \xC3\n") == "invalid-utf8@2:4: invalid UTF-8 (byte 0xC3)");
    CHECK(yaml(std::string("a: 1\n\0b: 2\n", 11)) ==
          "control-character@2:1: control character 0x00 is not allowed in YAML");
    CHECK(yaml("a: \x1B[1m\n") ==
          "control-character@1:4: control character 0x1B is not allowed in YAML");
    CHECK(yaml("a: caf\xC3\xA9\n") == "{\"a\":\"caf\xC3\xA9\"}");
    CHECK(yaml("\xEF\xBB\xBF"
               "a: 1\n") == R"({"a":1})");
    CHECK(yaml("a:\t1\r\n") == R"({"a":1})");
  }

  TEST_CASE("workflow from yaml: typing follows D19") {
    std::optional<Workflow> wf;
    CHECK(load_yaml(R"(workflow_id: demo
nodes:
  - id: a
    type: number
    data: {value: 0x10}
  - id: b
    data:
      text: yes
  - id: c
    data:
      boolean_value: true
  - id: "1"
    type: ""
    data: {value: 1}
edges:
  - {source: a, target: b, sourceHandle: ~}
  - {source: b, target: c, sourceHandle: "true"}
)",
                    &wf) == "");
    REQUIRE(wf);
    CHECK(wf->workflow_id == "demo");
    REQUIRE(wf->nodes.size() == 4);
    CHECK(wf->nodes[0].data.find("value")->as_number() == 16);
    CHECK(wf->nodes[1].type == "text_input");
    CHECK(wf->nodes[1].data.find("text")->as_string() == "yes");
    CHECK(wf->nodes[2].data.find("boolean_value")->as_bool());
    CHECK(wf->nodes[3].id == "1");
    CHECK(wf->nodes[3].type == "number");
    REQUIRE(wf->edges.size() == 2);
    CHECK_FALSE(wf->edges[0].handle);
    CHECK(wf->edges[1].handle == std::optional<std::string>("true"));
  }

  TEST_CASE("workflow from yaml: load errors with positions and carets") {
    CHECK(load_yaml("nodes:\n  - id: 1\n    type: number\n") ==
          "flow.yaml:2:9: error[wrong-type]: node id must be a string, got number\n"
          "  at $.nodes[0].id\n"
          "    2 |   - id: 1\n"
          "      |         ^\n");
    CHECK(load_yaml("nodes:\n  - ~\n  - {id: a, data: [1, 2]}\n") ==
          "flow.yaml:2:5: error[invalid-node]: node must be an object, got null\n"
          "  at $.nodes[0]\n"
          "    2 |   - ~\n"
          "      |     ^\n"
          "flow.yaml:3:19: error[wrong-type]: data of node 'a' must be an object, got array\n"
          "  at $.nodes[1].data\n"
          "    3 |   - {id: a, data: [1, 2]}\n"
          "      |                   ^^^^^^\n");
    CHECK(load_yaml("workflow_id: [x]\nedges:\n  - {source: a, target: {b: 1}}\n") ==
          "flow.yaml:1:14: error[wrong-type]: workflow_id must be a string, got array\n"
          "  at $.workflow_id\n"
          "    1 | workflow_id: [x]\n"
          "      |              ^^^\n"
          "flow.yaml:3:25: error[wrong-type]: edge target must be a string, got object\n"
          "  at $.edges[0].target\n"
          "    3 |   - {source: a, target: {b: 1}}\n"
          "      |                         ^^^^^^\n");
    CHECK(load_yaml("Nodes: []\nedges: []\n") ==
          "flow.yaml:1:1: warning[unknown-key]: unknown top-level key 'Nodes' is ignored\n"
          "  at $.Nodes\n"
          "    1 | Nodes: []\n"
          "      | ^^^^^\n"
          "  note: did you mean 'nodes'? keys are case-sensitive\n");
  }

  TEST_CASE("workflow from yaml: columns after a byte order mark") {
    // yaml-cpp does not count the mark; the file's columns do.
    CHECK(load_yaml("\xEF\xBB\xBFworkflow_id: 5\nnodes: 1\n") ==
          "flow.yaml:1:17: error[wrong-type]: workflow_id must be a string, got number\n"
          "  at $.workflow_id\n"
          "    1 | workflow_id: 5\n"
          "      |              ^\n"
          "flow.yaml:2:8: error[wrong-type]: nodes must be an array, got number\n"
          "  at $.nodes\n"
          "    2 | nodes: 1\n"
          "      |        ^\n");
    CHECK(
        load_yaml("\xEF\xBB\xBF"
                  "a: .nan\n") ==
        "flow.yaml:1:7: error[non-finite-number]: failed to parse payload: '.nan' is not a finite "
        "number; infinities and NaN are not supported\n"
        "    1 | a: .nan\n"
        "      |    ^\n");
    CHECK(load_yaml("\xEF\xBB\xBF\x01") ==
          "flow.yaml:1:4: error[control-character]: failed to parse payload: control character "
          "0x01 is not allowed in YAML\n"
          "    1 | \xEF\xBF\xBD\n"
          "      | ^\n");
  }

  TEST_CASE("workflow from yaml: carets cover exactly the value") {
    CHECK(load_yaml("workflow_id: {a: 1}\n") ==
          "flow.yaml:1:14: error[wrong-type]: workflow_id must be a string, got object\n"
          "  at $.workflow_id\n"
          "    1 | workflow_id: {a: 1}\n"
          "      |              ^^^^^^\n");
    CHECK(load_yaml("workflow_id: 12 # a comment\n") ==
          "flow.yaml:1:14: error[wrong-type]: workflow_id must be a string, got number\n"
          "  at $.workflow_id\n"
          "    1 | workflow_id: 12 # a comment\n"
          "      |              ^^\n");
    CHECK(load_yaml("edges:\n  - {source: a, target: b, sourceHandle: 12}\n") ==
          "flow.yaml:2:42: error[wrong-type]: edge sourceHandle must be a string, got number\n"
          "  at $.edges[0].sourceHandle\n"
          "    2 |   - {source: a, target: b, sourceHandle: 12}\n"
          "      |                                          ^^\n");
    CHECK(load_yaml("edges:\n  - [source, a]\n") ==
          "flow.yaml:2:5: error[invalid-edge]: edge must be an object, got array\n"
          "  at $.edges[0]\n"
          "    2 |   - [source, a]\n"
          "      |     ^^^^^^^^^^^\n");
  }

  TEST_CASE("workflow from yaml: parse errors name the file position") {
    CHECK(
        load_yaml("nodes:\n  - id: a\n    data: {value: .nan}\n") ==
        "flow.yaml:3:19: error[non-finite-number]: failed to parse payload: '.nan' is not a finite "
        "number; infinities and NaN are not supported\n"
        "    3 |     data: {value: .nan}\n"
        "      |                   ^\n");
    CHECK(load_yaml("nodes:\n  - id: a\n    id: b\n") ==
          "flow.yaml:3:5: error[duplicate-key]: failed to parse payload: duplicate key \"id\" in "
          "mapping\n"
          "    3 |     id: b\n"
          "      |     ^\n");
    CHECK(load_yaml("nodes: []\n---\nedges: []\n") ==
          "flow.yaml:3:1: error[yaml-syntax]: failed to parse payload: the file holds several YAML "
          "documents; a workflow file holds exactly one\n"
          "    3 | edges: []\n"
          "      | ^\n");
    CHECK(load_yaml("- a\n- b\n") ==
          "flow.yaml:1:1: error[not-an-object]: workflow must be a JSON object, got array\n"
          "  at $\n"
          "    1 | - a\n"
          "      | ^\n");
    CHECK(load_yaml("~\n") ==
          "flow.yaml:1:1: error[not-an-object]: workflow must be a JSON object, got null\n"
          "  at $\n"
          "    1 | ~\n"
          "      | ^\n");
    CHECK(load_yaml("") ==
          "flow.yaml: error[not-an-object]: workflow must be a JSON object, got null\n"
          "  at $\n"
          "  note: the file is empty\n");
  }

  TEST_CASE("yaml marks map json paths to positions") {
    load::detail::YamlMarks marks;
    const Value v = load::detail::parse_yaml_document("a:\n  - x\n  - {k: 1}\nb: 2\n", 512, &marks);
    CHECK(to_json(v) == R"({"a":["x",{"k":1}],"b":2})");
    auto at = [&](const std::string& path) {
      auto it = marks.find(path);
      if (it == marks.end()) return std::string("<none>");
      const auto& s = it->second;
      return std::to_string(s.line) + ":" + std::to_string(s.column) + " key " +
             std::to_string(s.key_line) + ":" + std::to_string(s.key_column);
    };
    CHECK(at("$") == "0:0 key -1:-1");
    CHECK(at("$.a") == "1:2 key 0:0");
    CHECK(at("$.a[0]") == "1:4 key -1:-1");
    CHECK(at("$.a[1].k") == "2:8 key 2:5");
    CHECK(at("$.b") == "3:3 key 3:0");
    CHECK(at("$.c") == "<none>");
    CHECK(marks.size() == 6);
  }
}
