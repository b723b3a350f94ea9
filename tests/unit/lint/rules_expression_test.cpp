// Tests of the rules in lib/thaiyyal/lint/rules_expression.cpp.
#include <doctest/doctest.h>

#include <string>

#include "lint_helpers.h"

using namespace thaiyyal;
using lint_test::dump;
using lint_test::lint_text;
using lint_test::with_code;

namespace {

/// A number node `n` feeding `node` (one flow-style node line with id `id`).
std::string after_number(const std::string& node, const std::string& id = "c") {
  return "nodes:\n"
         "  - {id: n, type: number, data: {value: 5}}\n" +
         node + "edges:\n  - {source: n, target: " + id + "}\n";
}

/// The same, for a condition node with this condition.
std::string condition(const std::string& text) {
  return after_number("  - {id: c, type: condition, data: {condition: \"" + text + "\"}}\n");
}

}  // namespace

// ---- constant-condition ----------------------------------------------------------

TEST_CASE("constant-condition: position, message and notes") {
  const auto r = lint_text(condition("1 > 2"));
  const auto f = with_code(r, "constant-condition");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "condition node c: condition \"1 > 2\" reads no input, variable, context value or node "
        "result, so it is always false");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 48);
  CHECK(f[0].where.node_id == "c");
  REQUIRE(f[0].notes.size() == 2);
  CHECK(f[0].notes[0] == "only the false branch ever runs");
  CHECK(f[0].notes[1] ==
        "test what the node is given (input, input.<field>), or remove the test if the outcome "
        "is meant to be fixed");
}

TEST_CASE("constant-condition: switch cases, filters, while loops, failures") {
  auto r =
      lint_text(after_number("  - id: c\n"
                             "    type: switch\n"
                             "    data:\n"
                             "      cases:\n"
                             "        - {when: \"input > 3\", output_path: big}\n"
                             "        - {when: \"'a' == 'a'\", output_path: a}\n"
                             "        - {is_default: true, output_path: other}\n"));
  auto f = with_code(r, "constant-condition");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "switch node c: cases[1].when \"'a' == 'a'\" reads no input, variable, context value or "
        "node result, so it is always true");
  CHECK(f[0].where.line == 8);
  CHECK(f[0].where.column == 18);
  CHECK(f[0].notes.at(0) == "this case always matches, so the cases after it never do");

  r = lint_text(after_number("  - {id: c, type: filter, data: {condition: \"false\"}}\n"));
  f = with_code(r, "constant-condition");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].notes.at(0) == "no element is kept");

  r = lint_text(after_number("  - {id: c, type: while_loop, data: {condition: \"true\"}}\n"));
  f = with_code(r, "constant-condition");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].notes.at(0) == "the node always fails after max_iterations");

  r = lint_text(condition("1 / 0 > 1"));
  f = with_code(r, "constant-condition");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "condition node c: condition \"1 / 0 > 1\" reads no input, variable, context value or "
        "node result, so it fails whenever it is evaluated: math error at column 3: division by "
        "zero");
  CHECK(f[0].notes.empty());
}

TEST_CASE("constant-condition: anything read makes a condition vary") {
  for (const char* text :
       {"input > 2", "status == 'active'", "hour(now()) > 12", ">3", "variables.limit > 3",
        "context.mode == 'on'", "node.n > 1", "len(items) > 0"}) {
    CAPTURE(text);
    const auto r = lint_text(condition(text));
    CHECK_MESSAGE(with_code(r, "constant-condition").empty(), dump(r));
  }
  // Value-mode expressions are not conditions.
  const auto r =
      lint_text(after_number("  - {id: c, type: expression, data: {expression: \"1 + "
                             "2\"}}\n"));
  CHECK_MESSAGE(with_code(r, "constant-condition").empty(), dump(r));
}

// ---- incompatible-comparison -----------------------------------------------------

TEST_CASE("incompatible-comparison: a chained comparison") {
  const auto r = lint_text(condition("1 < input < 10"));
  const auto f = with_code(r, "incompatible-comparison");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "condition node c: condition: '<' compares the boolean result of a comparison with a "
        "number, so it is always false");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 59);
  CHECK(f[0].where.length == 1);
  REQUIRE(f[0].notes.size() == 2);
  CHECK(f[0].notes[0] ==
        "only numbers and strings are ordered; <, <=, > and >= with null, a boolean, an array "
        "or an object are always false (02 §7.4)");
  CHECK(f[0].notes[1] == "a < b < c compares the boolean a < b with c; write a < b && b < c");
}

TEST_CASE("incompatible-comparison: types known on both sides, or an unordered one") {
  const auto r = lint_text(
      condition("input.n > null || 5 == 'five' || true === 1 || len(input) != 'x' || 3 >= 'abc'"));
  const auto f = with_code(r, "incompatible-comparison");
  REQUIRE_MESSAGE(f.size() == 5, dump(r));
  CHECK(f[0].message ==
        "condition node c: condition: '>' compares a value with null, so it is always false");
  CHECK(f[0].where.column == 57);
  CHECK(f[1].message ==
        "condition node c: condition: '==' compares a number with a non-numeric string, so it "
        "is always false");
  CHECK(f[1].notes.at(0) ==
        "a number equals a string only when the string is numeric, such as \"5\" (02 §7.3)");
  CHECK(f[2].message ==
        "condition node c: condition: '===' compares a boolean with a number, so it is always "
        "false");
  CHECK(f[2].where.length == 3);
  CHECK(f[2].notes.at(0) == "=== and !== never equate values of different types (02 §7.3)");
  CHECK(f[3].message ==
        "condition node c: condition: '!=' compares a number with a non-numeric string, so it "
        "is always true");
  CHECK(f[4].message ==
        "condition node c: condition: '>=' compares a number with a non-numeric string, so it "
        "is always false");
  CHECK(f[4].notes.at(0) ==
        "a number is ordered only against a numeric string such as \"10\" (02 §7.4)");
}

TEST_CASE("incompatible-comparison: the shorthand against an unordered value") {
  const auto r = lint_text(condition("> true"));
  const auto f = with_code(r, "incompatible-comparison");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "condition node c: condition: '>' compares the input with a boolean, so it is always "
        "false");
  CHECK(f[0].where.column == 49);
}

TEST_CASE("incompatible-comparison: comparisons whose answer depends on the values") {
  for (const char* text :
       {"input > '10'", "input.count == '3'", "5 == '5'", "'a' < 'b'", "upper(input) != 3",
        "len(input) > '3'", "[1] == [1]", "input == null", "input.ok == true",
        "(input > 1) == true", "string(input) < 5", "input.a?.trim() == 3"}) {
    CAPTURE(text);
    const auto r = lint_text(condition(text));
    CHECK_MESSAGE(with_code(r, "incompatible-comparison").empty(), dump(r));
  }
}

// ---- unknown-node-reference ------------------------------------------------------

TEST_CASE("unknown-node-reference: an id that is no node, with a did-you-mean") {
  const auto r = lint_text(
      after_number("  - {id: c, type: expression, data: {expression: \"input * node.nn + 1\"}}\n"));
  const auto f = with_code(r, "unknown-node-reference");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "expression node c: expression reads node.nn, but no node has the id 'nn', so it is "
        "always null");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 59);
  CHECK(f[0].where.length == 7);
  CHECK(f[0].where.node_id == "c");
  REQUIRE(f[0].notes.size() == 1);
  CHECK(f[0].notes[0] == "did you mean 'n'?");
}

TEST_CASE("unknown-node-reference: nodes that are not upstream, and the reader itself") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: expression, data: {expression: \"node['z-last'] + node.side + "
      "node?.b\"}}\n"
      "  - {id: side, type: number, data: {value: 2}}\n"
      "  - {id: z-last, type: expression, data: {expression: \"input\"}}\n"
      "edges:\n"
      "  - {source: a, target: b}\n"
      "  - {source: b, target: z-last}\n");
  const auto f = with_code(r, "unknown-node-reference");
  REQUIRE_MESSAGE(f.size() == 3, dump(r));
  CHECK(f[0].message ==
        "expression node b: expression reads node.z-last, which is not upstream of it and runs "
        "after it, so it is always null");
  CHECK(f[0].where.column == 51);
  CHECK(f[0].where.length == 14);
  CHECK(f[0].notes.at(0) ==
        "add an edge from z-last to b (directly or through other nodes) so that z-last runs "
        "first");
  CHECK(f[1].message ==
        "expression node b: expression reads node.side, which is not upstream of it: its result "
        "is there only because side comes first in the execution order, and it is null when side "
        "is skipped");
  CHECK(f[1].where.column == 68);
  CHECK(f[1].where.length == 9);
  CHECK(f[2].message ==
        "expression node b: expression reads node.b, its own result, which does not exist while "
        "it runs, so it is always null");
  CHECK(f[2].where.column == 80);
  CHECK(f[2].where.length == 7);
  CHECK(f[2].notes.at(0) == "read the node's input as input instead");
}

TEST_CASE("unknown-node-reference: ancestors, computed keys and the whole root") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: expression, data: {expression: \"input + 1\"}}\n"
      "  - id: c\n"
      "    type: expression\n"
      "    data: {expression: \"node.a + node['b'] + node.a + node[input] + len(node)\"}\n"
      "edges:\n"
      "  - {source: a, target: b}\n"
      "  - {source: b, target: c}\n");
  CHECK_MESSAGE(with_code(r, "unknown-node-reference").empty(), dump(r));
  // One finding per id and expression.
  const auto twice = lint_text(
      after_number("  - {id: c, type: expression, data: {expression: \"node.x + node.x\"}}\n"));
  CHECK(with_code(twice, "unknown-node-reference").size() == 1);
}
