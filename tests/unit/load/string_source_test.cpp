#include "thaiyyal/load/string_source.h"

#include <doctest/doctest.h>

#include <string>

#include "thaiyyal/diag/render.h"
#include "thaiyyal/load/loader.h"

using namespace thaiyyal;

namespace {

/// Loads `text` as file `name` (its suffix picks the format) and renders a
/// diagnostic located at the first occurrence of `needle` in the string value
/// of node 0's data key `key`, through Workflow::location_in_string. An empty
/// needle locates the end of the value.
std::string at(std::string_view name, std::string_view text, std::string_view needle,
               std::string_view key = "expression") {
  auto file = std::make_shared<diag::SourceFile>(std::string(name), std::string(text));
  diag::Diagnostics ds;
  auto wf = load::load_workflow(file, {}, ds);
  REQUIRE(wf.has_value());
  REQUIRE(!ds.has_errors());
  REQUIRE(!wf->nodes.empty());
  const Value* v = wf->nodes[0].data.as_object().find(key);
  REQUIRE(v != nullptr);
  REQUIRE(v->is_string());
  const std::string& s = v->as_string();
  const std::size_t offset = needle.empty() ? s.size() : s.find(needle);
  REQUIRE(offset != std::string::npos);
  const auto loc = wf->location_in_string(node_data_path(0, key), offset,
                                          std::max<std::size_t>(1, needle.size()), &wf->nodes[0]);
  diag::Diagnostic d;
  d.code = "expression";
  d.message = "here";
  d.where = loc;
  return diag::render_text(d);
}

std::string yaml_at(std::string_view text, std::string_view needle) {
  return at("flow.yaml", text, needle);
}

std::string json_at(std::string_view text, std::string_view needle) {
  return at("flow.json", text, needle);
}

/// A YAML workflow whose one node has `expression:` followed by `value_text`
/// (at column 7 of line 4, so that block scalar lines start on line 5).
std::string node_yaml(std::string_view value_text) {
  return "nodes:\n  - id: e\n    data:\n      expression: " + std::string(value_text);
}

}  // namespace

TEST_SUITE("load") {
  TEST_CASE("string positions: yaml literal block scalars") {
    const std::string clip = node_yaml("|\n        input.a +\n          * 2\n");
    CHECK(yaml_at(clip, "*") ==
          "flow.yaml:6:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |           * 2\n"
          "      |           ^\n");
    // The end of the value is just after its last character, not on the
    // line after the block.
    CHECK(yaml_at(clip, "") ==
          "flow.yaml:6:14: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |           * 2\n"
          "      |              ^\n");
    CHECK(yaml_at(node_yaml("|-\n        a +\n\n        b + c\n"), "c") ==
          "flow.yaml:7:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    7 |         b + c\n"
          "      |             ^\n");
    CHECK(yaml_at(node_yaml("|+\n        a +\n          b\n\n\nnext: 1\n"), "b") ==
          "flow.yaml:6:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |           b\n"
          "      |           ^\n");
    // Kept final line breaks do not move the end off the last line of text.
    CHECK(yaml_at(node_yaml("|+\n        a +\n\n\n"), "") ==
          "flow.yaml:5:12: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    5 |         a +\n"
          "      |            ^\n");
    // An indentation indicator: the value keeps the spaces past it.
    CHECK(yaml_at(node_yaml("|2\n          input.a\n          + * 7\n"), "* 7") ==
          "flow.yaml:6:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |           + * 7\n"
          "      |             ^^^\n");
    CHECK(yaml_at(node_yaml("|-2  # the expression\n          x\n          y\n"), "y") ==
          "flow.yaml:6:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |           y\n"
          "      |           ^\n");
  }

  TEST_CASE("string positions: yaml folded block scalars") {
    // Lines fold into spaces; a blank line is a line break of the value.
    const std::string folded =
        node_yaml(">-\n        input.a +\n        input.b\n\n        + * 3\n");
    CHECK(yaml_at(folded, "input.b") ==
          "flow.yaml:6:9: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         input.b\n"
          "      |         ^^^^^^^\n");
    CHECK(yaml_at(folded, "*") ==
          "flow.yaml:8:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    8 |         + * 3\n"
          "      |           ^\n");
    // More-indented lines keep their line breaks and spaces.
    CHECK(yaml_at(node_yaml(">\n        a\n\n          b\n        c + * 1\n"), "*") ==
          "flow.yaml:8:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    8 |         c + * 1\n"
          "      |             ^\n");
    CHECK(yaml_at(node_yaml(">\n        a\n\n          b\n        c + * 1\n"), "b") ==
          "flow.yaml:7:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    7 |           b\n"
          "      |           ^\n");
    CHECK(yaml_at(node_yaml(">+\n        a\n        b\n\n"), "b") ==
          "flow.yaml:6:9: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         b\n"
          "      |         ^\n");
  }

  TEST_CASE("string positions: yaml tags, anchors, CRLF and a byte order mark") {
    CHECK(yaml_at(node_yaml("!!str &x |\n        a\n        b + * 2\n"), "*") ==
          "flow.yaml:6:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         b + * 2\n"
          "      |             ^\n");
    // Anchors and tags on the enclosing collections do not move the indentation.
    CHECK(yaml_at("nodes: &n\n  - id: e\n    data: !!map\n      expression: |\n        a\n"
                  "        b + * 2\n",
                  "*") ==
          "flow.yaml:6:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         b + * 2\n"
          "      |             ^\n");
    CHECK(yaml_at("\xEF\xBB\xBF" + node_yaml("|\r\n        a\r\n        b + * 2\r\n"), "*") ==
          "flow.yaml:6:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         b + * 2\n"
          "      |             ^\n");
    CHECK(yaml_at("\xEF\xBB\xBFnodes: [{id: e, data: {expression: a + * 2}}]\n", "*") ==
          "flow.yaml:1:43: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    1 | nodes: [{id: e, data: {expression: a + * 2}}]\n"
          "      |                                        ^\n");
  }

  TEST_CASE("string positions: yaml quoted and plain multi-line scalars") {
    CHECK(yaml_at(node_yaml("\"input.a +\\n  \\u00e9 +\n        * 4\"\n"), "\xC3\xA9") ==
          "flow.yaml:4:33: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    4 |       expression: \"input.a +\\n  \\u00e9 +\n"
          "      |                                 ^^^^^^\n");
    CHECK(yaml_at(node_yaml("\"input.a +\\n  \\u00e9 +\n        * 4\"\n"), "*") ==
          "flow.yaml:5:9: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    5 |         * 4\"\n"
          "      |         ^\n");
    // An escaped line break joins the lines without a space.
    CHECK(yaml_at(node_yaml("\"input.\\\n        a + * 1\"\n"), "*") ==
          "flow.yaml:5:13: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    5 |         a + * 1\"\n"
          "      |             ^\n");
    CHECK(yaml_at(node_yaml("'it''s\n\n        + ''x'' + * 5'\n"), "*") ==
          "flow.yaml:6:19: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         + ''x'' + * 5'\n"
          "      |                   ^\n");
    CHECK(yaml_at(node_yaml("'it''s\n\n        + ''x'' + * 5'\n"), "'x'") ==
          "flow.yaml:6:11: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    6 |         + ''x'' + * 5'\n"
          "      |           ^^^^^\n");
    CHECK(yaml_at(node_yaml("input.a +   \n        input.b + * 6  # comment\n"), "*") ==
          "flow.yaml:5:19: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    5 |         input.b + * 6  # comment\n"
          "      |                   ^\n");
    CHECK(yaml_at(node_yaml("input.a +   \n        input.b + * 6  # comment\n"), "") ==
          "flow.yaml:5:22: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    5 |         input.b + * 6  # comment\n"
          "      |                      ^\n");
    // Inside a flow collection.
    CHECK(yaml_at("nodes: [{id: e, data: {expression: \"a +\n    b + * 3\"}}]\n", "*") ==
          "flow.yaml:2:9: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |     b + * 3\"}}]\n"
          "      |         ^\n");
    CHECK(yaml_at("nodes: [{id: e, data: {expression: a +\n    b + * 3}}]\n", "*") ==
          "flow.yaml:2:9: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |     b + * 3}}]\n"
          "      |         ^\n");
  }

  TEST_CASE("string positions: json escapes and multi-byte characters") {
    const std::string text =
        "{\"nodes\": [{\"id\": \"e\", \"data\": {\n"
        "  \"expression\": \"\\\"a\\\"\\n+ \\u00e9 + \\ud83d\\ude00 + \xC3\xA9 + * 2\"}}]}\n";
    CHECK(json_at(text, "*") ==
          "flow.json:2:56: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |   \"expression\": \"\\\"a\\\"\\n+ \\u00e9 + \\ud83d\\ude00 + \xC3\xA9 + * "
          "2\"}}]}\n"
          "      |                                                       ^\n");
    CHECK(json_at(text, "\xC3\xA9") ==
          "flow.json:2:27: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |   \"expression\": \"\\\"a\\\"\\n+ \\u00e9 + \\ud83d\\ude00 + \xC3\xA9 + * "
          "2\"}}]}\n"
          "      |                           ^^^^^^\n");
    CHECK(json_at(text, "\xF0\x9F\x98\x80") ==
          "flow.json:2:36: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |   \"expression\": \"\\\"a\\\"\\n+ \\u00e9 + \\ud83d\\ude00 + \xC3\xA9 + * "
          "2\"}}]}\n"
          "      |                                    ^^^^^^^^^^^^\n");
    CHECK(json_at(text, "") ==
          "flow.json:2:59: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    2 |   \"expression\": \"\\\"a\\\"\\n+ \\u00e9 + \\ud83d\\ude00 + \xC3\xA9 + * "
          "2\"}}]}\n"
          "      |                                                          ^\n");
  }

  TEST_CASE("string positions: json after a byte order mark") {
    CHECK(json_at(
              "\xEF\xBB\xBF{\"nodes\": [{\"id\": \"e\", \"data\": {\"expression\": \"a\\t+ *\"}}]}",
              "*") ==
          "flow.json:1:56: error[expression]: here\n"
          "  in node 'e' at $.nodes[0].data.expression\n"
          "    1 | {\"nodes\": [{\"id\": \"e\", \"data\": {\"expression\": \"a\\t+ *\"}}]}\n"
          "      |                                                     ^\n");
  }

  TEST_CASE("string positions: inside keys") {
    auto key_at = [](std::string_view name, std::string_view text, std::string_view key,
                     std::string_view needle) {
      auto file = std::make_shared<diag::SourceFile>(std::string(name), std::string(text));
      diag::Diagnostics ds;
      auto wf = load::load_workflow(file, {}, ds);
      REQUIRE(wf.has_value());
      const auto loc = wf->location_in_string(node_data_path(0, key), key.find(needle),
                                              needle.size(), &wf->nodes[0], true);
      return std::to_string(loc.line) + ":" + std::to_string(loc.column) + "+" +
             std::to_string(loc.length);
    };
    CHECK(key_at("flow.json", "{\"nodes\": [{\"id\": \"e\", \"data\": {\"a\\u00e9 {{x}}\": 1}}]}",
                 "a\xC3\xA9 {{x}}", "{{x}}") == "1:42+5");
    CHECK(key_at("flow.yaml", "nodes:\n  - id: e\n    data:\n      'it''s {{x}}': 1\n",
                 "it's {{x}}", "{{x}}") == "4:14+5");
    CHECK(key_at("flow.yaml", "nodes:\n  - id: e\n    data: {\"k\\t{{x}}\": 1}\n", "k\t{{x}}",
                 "{{x}}") == "3:16+5");
  }

  TEST_CASE("string positions: the decoded value of each source") {
    // The re-read value matches the parser's, so its positions can be trusted.
    const auto src = load::detail::yaml_scalar_source("a: >\n  x\n\n   y\n  z\n", 3, {0, false});
    REQUIRE(src.has_value());
    CHECK(src->value == "x\n\n y\nz\n");
    CHECK(src->bytes.size() == src->value.size());
    CHECK(src->range(0, 1) == std::pair<std::size_t, std::size_t>{7, 8});
    const auto js = load::detail::json_string_source(R"("a\u00e9b")", 0);
    REQUIRE(js.has_value());
    CHECK(js->value ==
          "a\xC3\xA9"
          "b");
    CHECK(js->range(1, 2) == std::pair<std::size_t, std::size_t>{2, 8});
    CHECK(js->range(3, 1) == std::pair<std::size_t, std::size_t>{8, 9});
    CHECK(js->range(4, 1) == std::pair<std::size_t, std::size_t>{9, 10});
    CHECK(!load::detail::json_string_source(R"("abc)", 0).has_value());
    CHECK(!load::detail::json_string_source("12", 0).has_value());
  }
}
