// Tests of the rules in lib/thaiyyal/lint/rules_structure.cpp.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "lint_helpers.h"

using namespace thaiyyal;
using lint_test::dump;
using lint_test::lint_text;
using lint_test::with_code;

namespace {

/// The one finding of `result` with this code (fails the test otherwise).
diag::Diagnostic only(const lint::FileResult& result, std::string_view code) {
  const auto f = with_code(result, code);
  REQUIRE_MESSAGE(f.size() == 1, dump(result));
  return f[0];
}

/// Lints with one rule enabled (for the rules off by default).
lint::FileResult lint_enabled(const std::string& text, std::string_view rule,
                              lint::LintOptions o = {}) {
  o.enabled.insert(std::string(rule));
  return lint_text(text, o);
}

const char* const kStructureRules[] = {
    "unreachable-node",        "conditional-input-delivered",
    "multiple-terminals",      "switch-without-default",
    "duplicate-edge",          "target-handle-ignored",
    "extra-operation-inputs",  "numeric-ids",
    "context-node-with-edges", "duplicate-context-name",
    "shadowed-constant",       "unused-variable",
    "orphan-context-reader",   "delay-exceeds-timeout",
    "retry-cannot-fail",       "shared-accumulator",
};

}  // namespace

TEST_CASE("structure rules: the good examples give none of these rules' findings") {
  for (const char* id : kStructureRules) {
    CAPTURE(id);
    const auto* rule = lint::find_rule(id);
    REQUIRE(rule != nullptr);
    lint::LintOptions o;
    for (const char* other : kStructureRules) o.enabled.insert(other);
    const auto r = lint_text(std::string(rule->good), o);
    CHECK(r.loaded);
    for (const auto& d : r.findings) {
      for (const char* other : kStructureRules) CHECK_MESSAGE(d.code != other, dump(r));
    }
  }
}

TEST_CASE("unreachable-node: every node behind an edge that never fires, naming that edge") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: numbers, type: range, data: {start: 1, end: 6, step: 1}}\n"
      "  - {id: split, type: partition, data: {condition: \"item % 2 == 0\"}}\n"
      "  - {id: evens, type: visualization, data: {mode: text}}\n"
      "  - {id: shout, type: text_operation, data: {text_op: uppercase}}\n"
      "edges:\n"
      "  - {source: numbers, target: split}\n"
      "  - {id: to-evens, source: split, target: evens, sourceHandle: \"true\"}\n"
      "  - {source: evens, target: shout}\n");
  const auto f = with_code(r, "unreachable-node");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "node evens never runs: every path to it goes through edge to-evens (split -> evens, "
        "sourceHandle 'true'), which never fires");
  CHECK(f[0].where.line == 4);
  CHECK(f[0].where.column == 5);
  CHECK(f[0].where.node_id == "evens");
  REQUIRE(f[0].notes.size() == 1);
  CHECK(f[0].notes[0] ==
        "split (type partition) does not route, so edge to-evens never fires; remove its "
        "sourceHandle (or set it to null) to make it unconditional");
  // Downstream of the cut: the same edge is named.
  CHECK(f[1].message ==
        "node shout never runs: every path to it goes through edge to-evens (split -> evens, "
        "sourceHandle 'true'), which never fires");
  CHECK(f[1].where.line == 5);
}

TEST_CASE("unreachable-node: near misses") {
  // Both handles of a condition can fire; a node with one dead and one live
  // edge still runs.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: yes, type: text_input, data: {text: big}}\n"
      "  - {id: no, type: text_input, data: {text: small}}\n"
      "  - {id: both, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: x, target: c}\n"
      "  - {source: c, target: yes, sourceHandle: \"true\"}\n"
      "  - {source: c, target: no, sourceHandle: \"false\"}\n"
      "  - {source: x, target: both, sourceHandle: out}\n"
      "  - {source: yes, target: both}\n");
  CHECK_MESSAGE(with_code(r, "unreachable-node").empty(), dump(r));
  CHECK(with_code(r, "handle-never-fires").size() == 1);
}

TEST_CASE("conditional-input-delivered: at the conditional edge's handle") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: num, type: number, data: {value: 10}}\n"
      "  - {id: c, type: condition, data: {condition: \">100\"}}\n"
      "  - {id: j, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {id: e1, source: num, target: c}\n"
      "  - {id: e2, source: c, target: j, sourceHandle: \"true\"}\n"
      "  - {id: e3, source: num, target: j}\n");
  const auto d = only(r, "conditional-input-delivered");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "edge e2 (c -> j, sourceHandle 'true') gives j the result of c even when it does not "
        "fire: j also runs because of edge e3 (num -> j)");
  CHECK(d.where.line == 7);
  CHECK(d.where.column == 50);
  CHECK(d.where.node_id == "j");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[1] ==
        "to pass c's result only when it routes to 'true', put a node of its own in between "
        "(c -> new node -> j, the handle on the first edge): a skipped node delivers nothing");
}

TEST_CASE("conditional-input-delivered: conditional edges from two routing nodes") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: n, type: number, data: {value: 7}}\n"
      "  - {id: c1, type: condition, data: {condition: \">5\"}}\n"
      "  - {id: c2, type: condition, data: {condition: \">9\"}}\n"
      "  - {id: act, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: n, target: c1}\n"
      "  - {source: n, target: c2}\n"
      "  - {id: a, source: c1, target: act, sourceHandle: \"true\"}\n"
      "  - {id: b, source: c2, target: act, sourceHandle: \"true\"}\n");
  const auto f = with_code(r, "conditional-input-delivered");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].message ==
        "edge a (c1 -> act, sourceHandle 'true') gives act the result of c1 even when it does "
        "not fire: act also runs because of edge b (c2 -> act, sourceHandle 'true')");
  CHECK(f[1].where.line == 10);
}

TEST_CASE("conditional-input-delivered: near misses") {
  // The other input only arrives when the edge fires (it comes from the same
  // branch); one condition feeding both handles into one node; a single
  // conditional edge; a handle out of a node that does not route.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: n, type: number, data: {value: 7}}\n"
      "  - {id: c, type: condition, data: {condition: \">5\"}}\n"
      "  - {id: m, type: expression, data: {expression: \"input.value * 2\"}}\n"
      "  - {id: j, type: join, data: {join_strategy: all}}\n"
      "  - {id: k, type: join, data: {join_strategy: all}}\n"
      "  - {id: single, type: join, data: {join_strategy: all}}\n"
      "  - {id: plain, type: join, data: {join_strategy: all}}\n"
      "  - {id: out, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: n, target: c}\n"
      "  - {source: c, target: m, sourceHandle: \"true\"}\n"
      "  - {source: c, target: j, sourceHandle: \"true\"}\n"
      "  - {source: m, target: j}\n"
      "  - {source: c, target: k, sourceHandle: \"true\"}\n"
      "  - {source: c, target: k, sourceHandle: \"false\"}\n"
      "  - {source: c, target: single, sourceHandle: \"false\"}\n"
      "  - {source: n, target: plain, sourceHandle: x}\n"
      "  - {source: m, target: plain}\n"
      "  - {source: j, target: out}\n"
      "  - {source: k, target: out}\n"
      "  - {source: single, target: out}\n"
      "  - {source: plain, target: out}\n");
  CHECK_MESSAGE(with_code(r, "conditional-input-delivered").empty(), dump(r));
}

TEST_CASE("multiple-terminals: once, at the second terminal that can run with another") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"2\", type: number}\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: b, type: number, data: {value: 3}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "  - {id: doubled, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "  - {id: tripled, type: expression, data: {expression: \"input * 3\"}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: a, target: doubled}\n"
      "  - {source: b, target: tripled}\n");
  const auto d = only(r, "multiple-terminals");
  CHECK(d.severity == diag::Severity::Info);
  CHECK(d.message ==
        "nodes sum, doubled and tripled are all terminal: the final output is the result of the "
        "first of them, in document order, that runs");
  CHECK(d.where.line == 10);
  CHECK(d.where.column == 5);
  CHECK(d.where.node_id == "doubled");
}

TEST_CASE("multiple-terminals: near misses") {
  // Leaves of exclusive branches (a condition's two sides, a switch's
  // cases, nested below them), a context node and a node that never runs do
  // not compete.
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: limit, value: \"20\", type: number}\n"
      "  - {id: w, type: number, data: {value: 12}}\n"
      "  - {id: big, type: condition, data: {condition: \"input > context.limit\"}}\n"
      "  - id: tier\n"
      "    type: switch\n"
      "    data:\n"
      "      cases:\n"
      "        - {when: \"input.value < 2\", output_path: letter}\n"
      "        - {is_default: true}\n"
      "  - {id: freight, type: text_input, data: {text: freight}}\n"
      "  - {id: letter, type: text_input, data: {text: letter}}\n"
      "  - {id: parcel, type: text_input, data: {text: parcel}}\n"
      "  - {id: shout, type: text_operation, data: {text_op: uppercase}}\n"
      "  - {id: never, type: text_input, data: {text: never}}\n"
      "edges:\n"
      "  - {source: w, target: big}\n"
      "  - {source: big, target: freight, sourceHandle: \"true\"}\n"
      "  - {source: big, target: tier, sourceHandle: \"false\"}\n"
      "  - {source: tier, target: letter, sourceHandle: letter}\n"
      "  - {source: tier, target: parcel, sourceHandle: default}\n"
      "  - {source: parcel, target: shout}\n"
      "  - {source: w, target: never, sourceHandle: x}\n");
  CHECK_MESSAGE(with_code(r, "multiple-terminals").empty(), dump(r));
}

TEST_CASE("switch-without-default: at the default case, naming its handle") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: weight, type: number, data: {value: 40}}\n"
      "  - id: tier\n"
      "    type: switch\n"
      "    data:\n"
      "      cases:\n"
      "        - {when: \"input < 2\", output_path: letter}\n"
      "        - {is_default: true}\n"
      "  - {id: letter, type: text_input, data: {text: letter post}}\n"
      "edges:\n"
      "  - {source: weight, target: tier}\n"
      "  - {source: tier, target: letter, sourceHandle: letter}\n");
  const auto d = only(r, "switch-without-default");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "switch tier has no edge for its default case ('default'): when no case matches, none "
        "of its edges fire and the nodes after it are skipped");
  CHECK(d.where.line == 8);
  CHECK(d.where.column == 11);
  CHECK(d.where.node_id == "tier");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0] ==
        "add an edge from tier with sourceHandle: default for the values that match no case");
}

TEST_CASE("switch-without-default: near misses") {
  // An edge for the named default; an unconditional edge; no edges out.
  const std::string head =
      "nodes:\n"
      "  - {id: weight, type: number, data: {value: 40}}\n"
      "  - id: tier\n"
      "    type: switch\n"
      "    data:\n"
      "      cases:\n"
      "        - {when: \"input < 2\", output_path: letter}\n"
      "        - {is_default: true, output_path: other}\n"
      "  - {id: letter, type: text_input, data: {text: letter post}}\n"
      "  - {id: rest, type: text_input, data: {text: other}}\n"
      "edges:\n"
      "  - {source: weight, target: tier}\n";
  for (const std::string edges : {
           "  - {source: tier, target: letter, sourceHandle: letter}\n"
           "  - {source: tier, target: rest, sourceHandle: other}\n",
           "  - {source: tier, target: letter, sourceHandle: letter}\n"
           "  - {source: tier, target: rest}\n",
           "",
       }) {
    CAPTURE(edges);
    const auto r = lint_text(head + edges);
    CHECK_MESSAGE(with_code(r, "switch-without-default").empty(), dump(r));
  }
}

TEST_CASE("duplicate-edge: at the repeated edge") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 2}}\n"
      "  - {id: all, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {id: e1, source: a, target: all}\n"
      "  - {id: e2, source: a, target: all}\n");
  const auto d = only(r, "duplicate-edge");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message == "edge e2 (a -> all) repeats edge e1: all receives the result of a twice");
  CHECK(d.where.line == 6);
  CHECK(d.where.column == 5);
  CHECK(d.where.node_id == "all");
}

TEST_CASE("duplicate-edge: near misses") {
  // Same ends with different handles; same source and handle to other
  // targets.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 5}}\n"
      "  - {id: c, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: j, type: join, data: {join_strategy: all}}\n"
      "  - {id: k, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: x, target: c}\n"
      "  - {source: c, target: j, sourceHandle: \"true\"}\n"
      "  - {source: c, target: j, sourceHandle: \"false\"}\n"
      "  - {source: c, target: k, sourceHandle: \"true\"}\n"
      "  - {source: j, target: k}\n");
  CHECK_MESSAGE(with_code(r, "duplicate-edge").empty(), dump(r));
}

TEST_CASE("target-handle-ignored: at the key, with the real input order") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 10}}\n"
      "  - {id: b, type: number, data: {value: 4}}\n"
      "  - {id: diff, type: operation, data: {op: subtract}}\n"
      "edges:\n"
      "  - {id: e1, source: b, target: diff, targetHandle: right}\n"
      "  - {id: e2, source: a, target: diff}\n");
  const auto d = only(r, "target-handle-ignored");
  CHECK(d.severity == diag::Severity::Info);
  CHECK(d.message ==
        "edge e1 (b -> diff): targetHandle 'right' is ignored; diff receives its inputs in the "
        "order of its edges");
  CHECK(d.where.line == 6);
  CHECK(d.where.column == 53);
  CHECK(d.where.node_id == "diff");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[0] == "diff's inputs, in order: b (edge e1), a (edge e2)");
}

TEST_CASE("target-handle-ignored: a null targetHandle is no handle") {
  const auto r = lint_text(
      "{\"nodes\": [{\"id\": \"a\", \"type\": \"number\", \"data\": {\"value\": 1}},\n"
      "  {\"id\": \"v\", \"type\": \"visualization\", \"data\": {\"mode\": \"text\"}}],\n"
      " \"edges\": [{\"source\": \"a\", \"target\": \"v\", \"sourceHandle\": null, "
      "\"targetHandle\": null}]}\n",
      {}, "flow.json");
  CHECK(r.loaded);
  CHECK_MESSAGE(with_code(r, "target-handle-ignored").empty(), dump(r));
}

TEST_CASE("extra-operation-inputs: at the first ignored edge") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: number, data: {value: 2}}\n"
      "  - {id: c, type: number, data: {value: 3}}\n"
      "  - {id: d, type: number, data: {value: 4}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: c, target: sum}\n"
      "  - {source: d, target: sum}\n");
  const auto d = only(r, "extra-operation-inputs");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "operation sum has 4 incoming edges but uses only its first two inputs: the input of "
        "edges #2 (c -> sum) and #3 (d -> sum) is ignored");
  CHECK(d.where.line == 10);
  CHECK(d.where.column == 5);
  CHECK(d.where.node_id == "sum");
}

TEST_CASE("extra-operation-inputs: near misses") {
  // Two inputs; a join with three.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: number, data: {value: 1}}\n"
      "  - {id: b, type: number, data: {value: 2}}\n"
      "  - {id: sum, type: operation, data: {op: add}}\n"
      "  - {id: all, type: join, data: {join_strategy: all}}\n"
      "edges:\n"
      "  - {source: a, target: sum}\n"
      "  - {source: b, target: sum}\n"
      "  - {source: a, target: all}\n"
      "  - {source: b, target: all}\n"
      "  - {source: sum, target: all}\n");
  CHECK_MESSAGE(with_code(r, "extra-operation-inputs").empty(), dump(r));
}

TEST_CASE("numeric-ids: off by default; at the id that runs too early") {
  const std::string doc =
      "nodes:\n"
      "  - {id: \"2\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: \"10\", type: counter, data: {counter_op: increment}}\n"
      "  - {id: \"1\", type: counter, data: {counter_op: increment}}\n";
  CHECK(with_code(lint_text(doc), "numeric-ids").empty());
  const auto r = lint_enabled(doc, "numeric-ids");
  const auto d = only(r, "numeric-ids");
  CHECK(d.severity == diag::Severity::Info);
  CHECK(d.message == "node 10 runs before node 2: ids are compared as text, not as numbers");
  CHECK(d.where.line == 3);
  CHECK(d.where.column == 10);
  CHECK(d.where.node_id == "10");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[0] ==
        "the nodes without incoming edges run first, in the byte order of their ids (spec 01 "
        "§3.2): 1, 10, 2");

  // Numbers inside names count too.
  const auto named = lint_enabled(
      "nodes:\n"
      "  - {id: step9, type: counter, data: {counter_op: increment}}\n"
      "  - {id: step10, type: counter, data: {counter_op: increment}}\n",
      "numeric-ids");
  CHECK(only(named, "numeric-ids").message ==
        "node step10 runs before node step9: ids are compared as text, not as numbers");
}

TEST_CASE("numeric-ids: near misses") {
  // One width; only one node without incoming edges; leading zeros.
  for (const char* doc : {
           "nodes:\n"
           "  - {id: \"02\", type: counter, data: {counter_op: increment}}\n"
           "  - {id: \"10\", type: counter, data: {counter_op: increment}}\n",
           "nodes:\n"
           "  - {id: \"10\", type: number, data: {value: 1}}\n"
           "  - {id: \"2\", type: visualization, data: {mode: text}}\n"
           "edges:\n"
           "  - {source: \"10\", target: \"2\"}\n",
           "nodes:\n"
           "  - {id: \"007\", type: counter, data: {counter_op: increment}}\n"
           "  - {id: \"7\", type: counter, data: {counter_op: increment}}\n"
           "  - {id: \"b\", type: counter, data: {counter_op: increment}}\n",
       }) {
    CAPTURE(doc);
    const auto r = lint_enabled(doc, "numeric-ids");
    CHECK_MESSAGE(with_code(r, "numeric-ids").empty(), dump(r));
  }
}

TEST_CASE("context-node-with-edges: at the node, listing its edges") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {id: e1, source: price, target: settings}\n"
      "  - {id: e2, source: settings, target: tax}\n");
  const auto d = only(r, "context-node-with-edges");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "context node settings has edges: e1 (price -> settings) and e2 (settings "
        "-> tax)");
  CHECK(d.where.line == 2);
  CHECK(d.where.column == 5);
  CHECK(d.where.node_id == "settings");
  CHECK(d.notes.size() == 3);
}

TEST_CASE("context-node-with-edges: a context node without edges") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_variable\n"
      "    data: {context_name: rate, context_value: 0.2}\n"
      "  - {id: price, type: number, data: {value: 50}}\n"
      "  - {id: tax, type: expression, data: {expression: \"input * context.rate\"}}\n"
      "edges:\n"
      "  - {source: price, target: tax}\n");
  CHECK_MESSAGE(with_code(r, "context-node-with-edges").empty(), dump(r));
}

TEST_CASE("duplicate-context-name: at the second definition, in another node or the same") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: defaults\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "        - {name: region, value: eu, type: string}\n"
      "        - {name: region, value: us, type: string}\n"
      "  - id: overrides\n"
      "    type: context_constant\n"
      "    data: {context_name: rate, context_value: 0.25}\n");
  const auto f = with_code(r, "duplicate-context-name");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "context constant 'region' is defined again (first earlier in the same "
        "node)");
  CHECK(f[0].where.line == 8);
  CHECK(f[0].where.column == 18);
  CHECK(f[0].where.node_id == "defaults");
  CHECK(f[1].message == "context constant 'rate' is defined again (first by node defaults)");
  CHECK(f[1].where.line == 11);
  CHECK(f[1].where.column == 26);
  CHECK(f[1].where.node_id == "overrides");
}

TEST_CASE("duplicate-context-name: a constant and a variable of one name are another rule's") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.2\", type: number}\n"
      "        - {name: region, value: eu, type: string}\n"
      "  - id: state\n"
      "    type: context_variable\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.1\", type: number}\n");
  CHECK_MESSAGE(with_code(r, "duplicate-context-name").empty(), dump(r));
  CHECK(with_code(r, "shadowed-constant").size() == 1);
}

TEST_CASE("shadowed-constant: at the constant, naming the variable's node") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: state\n"
      "    type: context_variable\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: rate, value: \"0.1\", type: number}\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: region, value: eu, type: string}\n"
      "        - {name: rate, value: \"0.2\", type: number}\n");
  const auto d = only(r, "shadowed-constant");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "context constant 'rate' is shadowed by the context variable of the same name that node "
        "state defines: expressions read the variable as context.rate");
  CHECK(d.where.line == 12);
  CHECK(d.where.column == 18);
  CHECK(d.where.node_id == "settings");
}

TEST_CASE("shadowed-constant: different names") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: state\n"
      "    type: context_variable\n"
      "    data: {context_name: discount, context_value: 0.1}\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data: {context_name: rate, context_value: 0.2}\n");
  CHECK_MESSAGE(with_code(r, "shadowed-constant").empty(), dump(r));
}

TEST_CASE("unused-variable: at var_name") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: total, type: number, data: {value: 42}}\n"
      "  - id: remember\n"
      "    type: variable\n"
      "    data: {var_name: totl, var_op: set}\n"
      "  - {id: show, type: expression, data: {expression: \"input.value + variables.total\"}}\n"
      "edges:\n"
      "  - {source: total, target: remember}\n"
      "  - {source: remember, target: show}\n");
  const auto d = only(r, "unused-variable");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message == "node remember stores the variable 'totl', but no node reads it");
  CHECK(d.where.line == 5);
  CHECK(d.where.column == 22);
  CHECK(d.where.node_id == "remember");
}

TEST_CASE("unused-variable: read by a get, variables.NAME, a bare name or a computed key") {
  const std::string head =
      "nodes:\n"
      "  - {id: total, type: number, data: {value: 42}}\n"
      "  - {id: remember, type: variable, data: {var_name: total, var_op: set}}\n";
  const std::string edges =
      "edges:\n"
      "  - {source: total, target: remember}\n"
      "  - {source: remember, target: show}\n";
  for (const std::string reader : {
           "  - {id: show, type: variable, data: {var_name: total, var_op: get}}\n",
           "  - {id: show, type: expression, data: {expression: \"variables['total'] * 2\"}}\n",
           "  - {id: show, type: expression, data: {expression: \"total * 2\"}}\n",
           "  - {id: show, type: expression, data: {expression: \"variables[input.var_name]\"}}\n",
           "  - {id: show, type: expression, data: {expression: \"len(variables)\"}}\n",
       }) {
    CAPTURE(reader);
    const auto r = lint_text(head + reader + edges);
    CHECK_MESSAGE(with_code(r, "unused-variable").empty(), dump(r));
  }
}

TEST_CASE("orphan-context-reader: a template read, at the placeholder") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: user, value: Ada, type: string}\n"
      "  - {id: greeting, type: text_input, data: {text: \"Hello, {{ const.user }}\"}}\n");
  const auto d = only(r, "orphan-context-reader");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "node greeting has no edges and reads {{ const.user }}: only the node ids decide "
        "whether node settings, which defines it, runs before it");
  CHECK(d.where.line == 7);
  CHECK(d.where.column == 59);
  CHECK(d.where.node_id == "greeting");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[0] ==
        "today greeting runs first ('greeting' sorts before 'settings'), so it does not see the "
        "value");
}

TEST_CASE("orphan-context-reader: expression reads of context, variables and node results") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: cfg\n"
      "    type: context_variable\n"
      "    data: {context_name: min, context_value: 2}\n"
      "  - {id: keep, type: filter, data: {condition: \"item > context.min\"}}\n"
      "  - {id: n, type: number, data: {value: 5}}\n"
      "  - {id: s, type: variable, data: {var_name: seen, var_op: set}}\n"
      "  - {id: late, type: filter, data: {condition: \"item > variables.seen\"}}\n"
      "  - {id: peek, type: filter, data: {condition: \"item > node.s.value\"}}\n"
      "edges:\n"
      "  - {source: n, target: s}\n");
  const auto f = with_code(r, "orphan-context-reader");
  REQUIRE_MESSAGE(f.size() == 3, dump(r));
  CHECK(f[0].message ==
        "node keep has no edges and reads context.min: only the node ids decide whether node "
        "cfg, which defines it, runs before it");
  CHECK(f[0].where.line == 5);
  CHECK(f[0].where.column == 56);
  CHECK(f[0].notes.at(0) == "today cfg runs first, because 'cfg' sorts before 'keep'");
  CHECK(f[1].message ==
        "node late has no edges and reads variables.seen, but it runs before node s, which "
        "stores it: nodes without edges run first");
  CHECK(f[1].notes.at(0) == "add an edge from s to late so that it runs after it");
  CHECK(f[2].message ==
        "node peek has no edges and reads node.s, but it runs before node s: nodes without "
        "edges run first");
}

TEST_CASE("orphan-context-reader: near misses") {
  // A reader with an incoming edge; a constant given with --set; a name no
  // node defines.
  lint::LintOptions o;
  o.constants = {"user"};
  const auto r = lint_text(
      "nodes:\n"
      "  - id: settings\n"
      "    type: context_constant\n"
      "    data:\n"
      "      context_values:\n"
      "        - {name: user, value: Ada, type: string}\n"
      "        - {name: min, value: \"1\", type: number}\n"
      "  - {id: greeting, type: text_input, data: {text: \"Hello, {{ const.user }}\"}}\n"
      "  - {id: n, type: number, data: {value: 5}}\n"
      "  - {id: big, type: condition, data: {condition: \"input > context.min\"}}\n"
      "  - {id: other, type: filter, data: {condition: \"item > context.nothing\"}}\n"
      "edges:\n"
      "  - {source: n, target: big}\n",
      o);
  CHECK_MESSAGE(with_code(r, "orphan-context-reader").empty(), dump(r));
}

TEST_CASE("delay-exceeds-timeout: against the limit reached first") {
  const std::string doc =
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: wait, type: delay, data: {duration: 45s}}\n"
      "edges:\n"
      "  - {source: order, target: wait}\n";
  // Defaults: 5m for the run, 30s for a node.
  auto d = only(lint_text(doc), "delay-exceeds-timeout");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "delay wait waits 45s, longer than a node may run (30s): it fails with 'node execution "
        "timeout: exceeded 30s'");
  CHECK(d.where.line == 3);
  CHECK(d.where.column == 46);
  CHECK(d.where.node_id == "wait");
  CHECK(d.notes.at(0) ==
        "shorten the delay, or raise the limit with --max-node-time when running it");

  lint::LintOptions o;
  o.limits.max_execution_time = std::chrono::seconds(10);
  o.limits.max_node_execution_time = std::chrono::milliseconds(0);
  d = only(lint_text(doc, o), "delay-exceeds-timeout");
  CHECK(d.message ==
        "delay wait waits 45s, longer than the run may take (10s): the run times out during the "
        "wait");
}

TEST_CASE("delay-exceeds-timeout: near misses") {
  const std::string doc =
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: wait, type: delay, data: {duration: \"1500\"}}\n"
      "  - {id: long, type: delay, data: {duration: 10m}}\n"
      "edges:\n"
      "  - {source: order, target: wait}\n"
      "  - {source: order, target: long}\n";
  lint::LintOptions unlimited;
  unlimited.limits.max_execution_time = std::chrono::milliseconds(0);
  unlimited.limits.max_node_execution_time = std::chrono::milliseconds(0);
  auto r = lint_text(doc, unlimited);
  CHECK_MESSAGE(with_code(r, "delay-exceeds-timeout").empty(), dump(r));
  lint::LintOptions roomy;
  roomy.limits.max_execution_time = std::chrono::minutes(20);
  roomy.limits.max_node_execution_time = std::chrono::minutes(10);  // 10m is not longer
  r = lint_text(doc, roomy);
  CHECK_MESSAGE(with_code(r, "delay-exceeds-timeout").empty(), dump(r));
}

TEST_CASE("retry-cannot-fail: at the retry node") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: order, type: number, data: {value: 7}}\n"
      "  - {id: note, type: text_input, data: {text: hi}}\n"
      "  - {id: again, type: retry, data: {max_attempts: 3}}\n"
      "edges:\n"
      "  - {source: order, target: again}\n"
      "  - {source: note, target: again}\n");
  const auto d = only(r, "retry-cannot-fail");
  CHECK(d.severity == diag::Severity::Warning);
  CHECK(d.message ==
        "retry again has nothing to retry: its input comes only from order (type number) and "
        "note (type text_input), which never fail");
  CHECK(d.where.line == 4);
  CHECK(d.where.column == 5);
  CHECK(d.where.node_id == "again");
}

TEST_CASE("retry-cannot-fail: near misses") {
  // After a node that may fail, or after one that may among constants.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: fetch, type: http, data: {url: \"https://api.example.com/orders\"}}\n"
      "  - {id: again, type: retry, data: {max_attempts: 3}}\n"
      "  - {id: n, type: number, data: {value: 7}}\n"
      "  - {id: half, type: expression, data: {expression: \"input / 2\"}}\n"
      "  - {id: twice, type: retry, data: {max_attempts: 2}}\n"
      "edges:\n"
      "  - {source: fetch, target: again}\n"
      "  - {source: n, target: half}\n"
      "  - {source: n, target: twice}\n"
      "  - {source: half, target: twice}\n");
  CHECK_MESSAGE(with_code(r, "retry-cannot-fail").empty(), dump(r));
}

TEST_CASE("shared-accumulator: at the second op") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: price, type: number, data: {value: 5}}\n"
      "  - {id: total, type: accumulator, data: {accum_op: sum}}\n"
      "  - {id: orders, type: accumulator, data: {accum_op: count}}\n"
      "  - {id: more, type: accumulator, data: {accum_op: sum}}\n"
      "edges:\n"
      "  - {source: price, target: total}\n"
      "  - {source: total, target: orders}\n"
      "  - {source: orders, target: more}\n");
  const auto f = with_code(r, "shared-accumulator");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "accumulator total (sum) and accumulator orders (count) share the run's one accumulator "
        "value");
  CHECK(f[0].where.line == 4);
  CHECK(f[0].where.column == 54);
  CHECK(f[0].where.node_id == "orders");
  CHECK(f[1].message ==
        "accumulator orders (count) and accumulator more (sum) share the run's one accumulator "
        "value");
}

TEST_CASE("shared-accumulator: near misses") {
  // One op twice; different ops on branches that exclude each other.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: price, type: number, data: {value: 5}}\n"
      "  - {id: a, type: accumulator, data: {accum_op: sum}}\n"
      "  - {id: b, type: accumulator, data: {accum_op: sum}}\n"
      "  - {id: big, type: condition, data: {condition: \"input > 3\"}}\n"
      "  - {id: words, type: accumulator, data: {accum_op: concat}}\n"
      "  - {id: list, type: accumulator, data: {accum_op: array}}\n"
      "edges:\n"
      "  - {source: price, target: big}\n"
      "  - {source: big, target: a, sourceHandle: \"true\"}\n"
      "  - {source: a, target: b}\n"
      "  - {source: big, target: words, sourceHandle: \"false\"}\n"
      "  - {source: words, target: list, sourceHandle: \"x\"}\n");
  CHECK_MESSAGE(with_code(r, "shared-accumulator").empty(), dump(r));
}

TEST_CASE("multiple-terminals: leaves of a long chain of conditions exclude each other") {
  // c1 -true-> c2 -true-> ... c49, and a leaf on every false side: at most
  // one leaf runs.
  std::string nodes = "nodes:\n  - {id: n0, type: number, data: {value: 1}}\n";
  std::string edges = "edges:\n";
  for (int i = 1; i < 50; ++i) {
    const std::string k = std::to_string(i);
    nodes += "  - {id: c" + k + ", type: condition, data: {condition: \"input != " + k + "\"}}\n";
    nodes += "  - {id: t" + k + ", type: text_input, data: {text: \"" + k + "\"}}\n";
    edges += i == 1 ? std::string("  - {source: n0, target: c1}\n")
                    : "  - {source: c" + std::to_string(i - 1) + ", target: c" + k +
                          ", sourceHandle: \"true\"}\n";
    edges += "  - {source: c" + k + ", target: t" + k + ", sourceHandle: \"false\"}\n";
  }
  const auto r = lint_text(nodes + edges);
  CHECK(r.loaded);
  CHECK(r.nodes == 99);
  CHECK_MESSAGE(with_code(r, "multiple-terminals").empty(), dump(r));
  CHECK(with_code(r, "unreachable-node").empty());

  // One more leaf outside the chain competes with all of them.
  const auto more = lint_text(nodes + "  - {id: extra, type: number, data: {value: 2}}\n" + edges);
  CHECK(only(more, "multiple-terminals").message ==
        "nodes t1, t2, t3, t4, t5, t6 and 44 more are all terminal: the final output is the "
        "result of the first of them, in document order, that runs");
}
