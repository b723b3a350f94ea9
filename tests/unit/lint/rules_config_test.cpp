// Tests of the rules in lib/thaiyyal/lint/rules_config.cpp.
#include <doctest/doctest.h>

#include <string>

#include "lint_helpers.h"

using namespace thaiyyal;
using lint_test::dump;
using lint_test::lint_text;
using lint_test::with_code;

namespace {

/// Options for documents whose templates name these context constants.
lint::LintOptions with_constants(std::vector<std::string> names) {
  lint::LintOptions o;
  o.constants = std::move(names);
  return o;
}

/// A one-node workflow: an http node with this flow-style data.
std::string http_node(const std::string& data) {
  return "nodes:\n  - id: api\n    type: http\n    data: " + data + "\n";
}

}  // namespace

// ---- insecure-http-url -----------------------------------------------------------

TEST_CASE("insecure-http-url: position, message and note") {
  const auto r = lint_text(http_node("{url: \"http://api.example.com/items\"}"));
  const auto f = with_code(r, "insecure-http-url");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "http node api: url uses plain http://, so the request and the response travel "
        "unencrypted");
  CHECK(f[0].where.line == 4);
  CHECK(f[0].where.column == 18);
  CHECK(f[0].where.length == 7);
  CHECK(f[0].where.node_id == "api");
  REQUIRE(f[0].notes.size() == 1);
  CHECK(f[0].notes[0] ==
        "use https:// (plain http:// URLs are refused unless the run allows them with "
        "--allow-http)");
}

TEST_CASE("insecure-http-url: the scheme of a template and the host of a name") {
  const auto o = with_constants({"host", "base"});
  // Plain http whatever the template gives the host.
  CHECK(with_code(lint_text(http_node("{url: \"HTTP://{{ const.host }}/x\"}"), o),
                  "insecure-http-url")
            .size() == 1);
  // A name that starts like localhost is not loopback.
  CHECK(with_code(lint_text(http_node("{url: \"http://localhost.example.com/\"}")),
                  "insecure-http-url")
            .size() == 1);
  // Not decided by the literal text: no finding.
  CHECK(with_code(lint_text(http_node("{url: \"{{ const.base }}/x\"}"), o), "insecure-http-url")
            .empty());
}

TEST_CASE("insecure-http-url: https and loopback hosts are not reported") {
  for (const char* url :
       {"https://api.example.com/", "http://localhost:8080/x", "http://LOCALHOST/",
        "http://app.localhost/", "http://127.0.0.1/", "http://127.8.9.10:81/x",
        "http://[::1]:8080/", "http://user@127.0.0.1/", "/relative/path"}) {
    CAPTURE(url);
    const auto r = lint_text(http_node(std::string("{url: \"") + url + "\"}"));
    CHECK_MESSAGE(with_code(r, "insecure-http-url").empty(), dump(r));
  }
}

// ---- hardcoded-credential --------------------------------------------------------

TEST_CASE("hardcoded-credential: a header, without repeating the value") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: api\n"
      "    type: http\n"
      "    data:\n"
      "      url: https://api.example.com/items\n"
      "      headers: {Accept: json, Authorization: \"Bearer abc123\"}\n");
  const auto f = with_code(r, "hardcoded-credential");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message == "http node api: header Authorization holds a literal credential");
  CHECK(f[0].message.find("abc123") == std::string::npos);
  CHECK(f[0].where.line == 6);
  CHECK(f[0].where.column == 46);
  CHECK(f[0].where.node_id == "api");
  REQUIRE(f[0].notes.size() == 1);
  CHECK(f[0].notes[0] ==
        "keep secrets out of the document: select a named HTTP client that adds the credential "
        "(http_client_uid, the clients given with --http-clients FILE, the secret written "
        "${env:NAME}), or write {{ const.NAME }} and run with --set NAME=...");
}

TEST_CASE("hardcoded-credential: the url's user-info and query, the query and the body") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: api\n"
      "    type: http\n"
      "    data:\n"
      "      url: \"https://me:s3cret@example.com/x?page=2&api_key=k9&token={{ const.t }}\"\n"
      "      method: POST\n"
      "      headers: {X-API-Key: kkk, X-Auth-Token: ttt}\n"
      "      query: {access_token: tok, page_token: p2, q: x}\n"
      "      body: {user: me, password: hunter2, auth: {client_secret: cs}, token_type: bearer}\n",
      with_constants({"t"}));
  const auto f = with_code(r, "hardcoded-credential");
  REQUIRE_MESSAGE(f.size() == 7, dump(r));
  CHECK(f[0].message == "http node api: url has a password in its user-info (user:password@host)");
  CHECK(f[0].where.line == 5);
  CHECK(f[0].where.column == 24);
  CHECK(f[0].where.length == 6);
  CHECK(f[1].message == "http node api: url query parameter api_key holds a literal credential");
  CHECK(f[1].where.column == 60);
  CHECK(f[1].where.length == 2);
  CHECK(f[2].message == "http node api: header X-API-Key holds a literal credential");
  CHECK(f[3].message == "http node api: header X-Auth-Token holds a literal credential");
  CHECK(f[4].message == "http node api: query parameter access_token holds a literal credential");
  CHECK(f[4].where.line == 8);
  CHECK(f[5].message == "http node api: body.password holds a literal credential");
  CHECK(f[5].where.line == 9);
  CHECK(f[5].where.column == 34);
  CHECK(f[6].message == "http node api: body.auth.client_secret holds a literal credential");
  for (const auto& d : f) {
    for (const char* secret : {"s3cret", "k9", "kkk", "ttt", "tok", "hunter2", "cs"}) {
      CHECK(d.message.find(std::string(" ") + secret) == std::string::npos);
    }
  }
}

TEST_CASE("hardcoded-credential: form and JSON text bodies") {
  auto r =
      lint_text(http_node("{url: \"https://example.com/token\", method: POST, body: "
                          "\"grant_type=password&username=u&password=pw\"}"));
  auto f = with_code(r, "hardcoded-credential");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message == "http node api: body form field password holds a literal credential");
  CHECK(f[0].where.column == 107);
  CHECK(f[0].where.length == 2);

  r = lint_text(
      http_node("{url: \"https://example.com/\", method: POST, body: '{\"api_key\": \"zz\"}'}"));
  f = with_code(r, "hardcoded-credential");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message == "http node api: body.api_key holds a literal credential");
}

TEST_CASE("hardcoded-credential: templates, references and names about credentials") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: api\n"
      "    type: http\n"
      "    data:\n"
      "      url: \"https://example.com/x?api_key={{ const.k }}&page_token=abc&key=\"\n"
      "      method: POST\n"
      "      headers:\n"
      "        Authorization: \"Bearer {{ const.t }}\"\n"
      "        X-API-Key: \"${env:API_KEY}\"\n"
      "        Proxy-Authorization: \"Basic \"\n"
      "        X-Token-Type: bearer\n"
      "        Accept: application/json\n"
      "      query: {token: \"{{ const.t }}\", next_page_token: abc, max_tokens: \"100\"}\n"
      "      body: {token_type: bearer, secret_name: db, password: \"<password>\", tokens: 5,\n"
      "             use_token: \"true\", password_hint: pet}\n",
      with_constants({"k", "t"}));
  CHECK_MESSAGE(with_code(r, "hardcoded-credential").empty(), dump(r));
  // Other kinds are not looked at.
  const auto other = lint_text(
      "nodes:\n"
      "  - {id: t, type: text_input, data: {text: \"password=hunter2\"}}\n");
  CHECK(with_code(other, "hardcoded-credential").empty());
}

// ---- reduce-without-initial ------------------------------------------------------

TEST_CASE("reduce-without-initial: position, message and note") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: src, type: extract, data: {field: prices}}\n"
      "  - id: total\n"
      "    type: reduce\n"
      "    data: {expression: \"accumulator + item\"}\n"
      "edges:\n"
      "  - {source: src, target: total}\n");
  const auto f = with_code(r, "reduce-without-initial");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "reduce node total: no initial_value: the accumulator starts at 0, so an empty input "
        "array gives result 0 whatever the expression computes");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 5);
  CHECK(f[0].where.node_id == "total");
  REQUIRE(f[0].notes.size() == 1);
  CHECK(f[0].notes[0] ==
        "set initial_value to what an empty array should give (0 for a sum, \"\" for text, [] "
        "for a list); the first element is combined with it too");
}

TEST_CASE("reduce-without-initial: an initial_value of null is none") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: src, type: extract, data: {field: names}}\n"
      "  - {id: all, type: reduce, data: {expression: \"accumulator + item\", initial_value: "
      "null}}\n"
      "edges:\n"
      "  - {source: src, target: all}\n");
  const auto f = with_code(r, "reduce-without-initial");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "reduce node all: initial_value is null: the accumulator starts at 0, so an empty input "
        "array gives result 0 whatever the expression computes");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 85);
}

TEST_CASE("reduce-without-initial: an initial value, or inputs that are never an empty array") {
  const std::string reduce =
      "  - {id: r, type: reduce, data: {expression: \"accumulator + item\"}}\n";
  for (const std::string& source :
       {std::string("  - {id: src, type: range, data: {start: 1, end: 3}}\n"),
        std::string("  - {id: src, type: number, data: {value: 3}}\n"),
        std::string("  - {id: src, type: expression, data: {expression: \"[1, 2, 3]\"}}\n")}) {
    CAPTURE(source);
    const auto r =
        lint_text("nodes:\n" + source + reduce + "edges:\n  - {source: src, target: r}\n");
    CHECK_MESSAGE(with_code(r, "reduce-without-initial").empty(), dump(r));
  }
  // An expression that can be an empty array, next to a range: reported.
  auto r = lint_text(
      "nodes:\n"
      "  - {id: a, type: range, data: {start: 1, end: 3}}\n"
      "  - {id: b, type: expression, data: {expression: \"[]\"}}\n" +
      reduce + "edges:\n  - {source: a, target: r}\n  - {source: b, target: r}\n");
  CHECK_MESSAGE(with_code(r, "reduce-without-initial").size() == 1, dump(r));
  // With an initial value, or without any input (it fails when it runs).
  r = lint_text(
      "nodes:\n"
      "  - {id: src, type: extract, data: {field: prices}}\n"
      "  - {id: r, type: reduce, data: {expression: \"accumulator + item\", initial_value: 0}}\n"
      "  - {id: lone, type: reduce, data: {expression: \"accumulator + item\"}}\n"
      "edges:\n  - {source: src, target: r}\n");
  CHECK_MESSAGE(with_code(r, "reduce-without-initial").empty(), dump(r));
}

// ---- editor-default --------------------------------------------------------------

namespace {

/// `node` (one flow-style node line) fed by an array source.
std::string fed(const std::string& node, const std::string& id) {
  return "nodes:\n"
         "  - {id: src, type: extract, data: {field: items}}\n" +
         node + "edges:\n  - {source: src, target: " + id + "}\n";
}

}  // namespace

TEST_CASE("editor-default: unique's by_field, beside validate's unknown-key") {
  const auto r = lint_text(fed("  - {id: u, type: unique, data: {by_field: email}}\n", "u"));
  const auto f = with_code(r, "editor-default");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "unique node u: by_field is not read (the visual editor writes it); the node reads "
        "field, so whole elements are compared");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 34);
  CHECK(f[0].notes.at(0) == "write field: email instead");
  CHECK(with_code(r, "unknown-key").size() == 1);

  const auto both =
      lint_text(fed("  - {id: u, type: unique, data: {field: id, by_field: email}}\n", "u"));
  REQUIRE(with_code(both, "editor-default").size() == 1);
  CHECK(with_code(both, "editor-default")[0].message ==
        "unique node u: by_field is not read (the visual editor writes it); the node reads "
        "field, so elements are compared by their member 'id'");
  CHECK(with_code(both, "editor-default")[0].notes.at(0) == "remove by_field");
}

TEST_CASE("editor-default: flat_map's expression, slice's end -1, group_by's key_field") {
  auto r = lint_text(
      fed("  - {id: fm, type: flat_map, data: {field: tags, expression: \"item.tags\"}}\n", "fm"));
  auto f = with_code(r, "editor-default");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "flat_map node fm: expression is ignored (the visual editor writes it); the node expands "
        "the member 'tags' of each element");
  CHECK(f[0].where.column == 50);
  CHECK(with_code(r, "unknown-key").empty());  // flat_map accepts the key

  r = lint_text(fed("  - {id: s, type: slice, data: {start: 0, end: -1}}\n", "s"));
  f = with_code(r, "editor-default");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "slice node s: end: -1 drops the last element (end is exclusive and counts from the "
        "end); the visual editor writes it to mean \"to the end\"");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 48);
  CHECK(f[0].notes.at(0) == "remove end to keep the elements up to the end of the array");

  r = lint_text(fed("  - {id: g, type: group_by, data: {field: kind, key_field: kind}}\n", "g"));
  f = with_code(r, "editor-default");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].message ==
        "group_by node g: key_field is not read (the visual editor writes it); the node groups "
        "by field 'kind'");
  CHECK(f[0].notes.at(0) == "remove key_field");
}

TEST_CASE("editor-default: find and partition with the test in expression") {
  for (const char* kind : {"find", "partition"}) {
    CAPTURE(kind);
    const auto r = lint_text(fed(std::string("  - {id: f, type: ") + kind +
                                     ", data: {condition: \"item.ok\", expression: \"item.ok\"}}\n",
                                 "f"));
    const auto f = with_code(r, "editor-default");
    REQUIRE_MESSAGE(f.size() == 1, dump(r));
    CHECK(f[0].message == std::string(kind) +
                              " node f: expression is not read (the visual editor writes the test "
                              "there); the node tests its condition");
    CHECK(with_code(r, "unknown-key").size() == 1);
  }
  // Without a condition validate fails the workflow; the rule adds nothing.
  const auto r = lint_text(fed("  - {id: f, type: find, data: {expression: \"item.ok\"}}\n", "f"));
  CHECK(with_code(r, "editor-default").empty());
  bool error = false;
  for (const auto& d : r.findings) error |= d.severity == diag::Severity::Error;
  CHECK_MESSAGE(error, dump(r));
}

TEST_CASE("editor-default: reduce's acc + item with initial_value \"0\"") {
  const auto r = lint_text(
      fed("  - {id: r, type: reduce, data: {expression: \"acc + item\", initial_value: \"0\"}}\n",
          "r"));
  const auto f = with_code(r, "editor-default");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].message ==
        "reduce node r: expression reads acc, which is not the accumulator (the visual editor "
        "writes acc + item): it is the element's member acc, or null");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 47);
  CHECK(f[0].where.length == 3);
  CHECK(f[0].notes.at(0) == "write accumulator");
  CHECK(f[1].message ==
        "reduce node r: initial_value is the string \"0\", so + concatenates text (\"0\" + 1 is "
        "\"01\") instead of adding");
  CHECK(f[1].where.column == 75);
  CHECK(f[1].notes.at(0) == "write initial_value: 0 (a number)");
}

TEST_CASE("editor-default: near misses") {
  for (const std::string& node : {
           std::string("  - {id: n, type: unique, data: {field: email}}\n"),
           std::string("  - {id: n, type: flat_map, data: {field: tags}}\n"),
           std::string("  - {id: n, type: slice, data: {start: 0, end: -2}}\n"),
           std::string("  - {id: n, type: slice, data: {start: -1}}\n"),
           std::string("  - {id: n, type: group_by, data: {field: kind}}\n"),
           std::string("  - {id: n, type: find, data: {condition: \"item.ok\"}}\n"),
           // A number, and a string that is not numeric, are meant.
           std::string("  - {id: n, type: reduce, data: {expression: \"accumulator + item\", "
                       "initial_value: 0}}\n"),
           std::string("  - {id: n, type: reduce, data: {expression: \"accumulator + item\", "
                       "initial_value: \"\"}}\n"),
           // No +: "0" converts in - * / %.
           std::string("  - {id: n, type: reduce, data: {expression: \"accumulator * item\", "
                       "initial_value: \"1\"}}\n"),
       }) {
    CAPTURE(node);
    const auto r = lint_text(fed(node, "n"));
    CHECK_MESSAGE(with_code(r, "editor-default").empty(), dump(r));
  }
  // acc is a workflow variable here.
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: src, type: extract, data: {field: items}}\n"
      "  - {id: set, type: variable, data: {var_name: acc, var_op: set}}\n"
      "  - {id: r, type: reduce, data: {expression: \"acc + item\", initial_value: 0}}\n"
      "edges:\n  - {source: src, target: set}\n  - {source: set, target: r}\n");
  CHECK_MESSAGE(with_code(r, "editor-default").empty(), dump(r));
}

// ---- uninterpolated-template -----------------------------------------------------

TEST_CASE("uninterpolated-template: position, message and note") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 1}}\n"
      "  - id: show\n"
      "    type: visualization\n"
      "    data: {mode: text, label: \"Total: {{ node.x }} for {{ variables.user }}\"}\n"
      "edges:\n"
      "  - {source: x, target: show}\n");
  const auto f = with_code(r, "uninterpolated-template");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].severity == diag::Severity::Info);
  CHECK(f[0].message ==
        "visualization node show: label: {{ node.x }} is never filled in and stays as written");
  CHECK(f[0].where.line == 5);
  CHECK(f[0].where.column == 39);
  CHECK(f[0].where.length == 12);
  CHECK(f[0].where.node_id == "show");
  CHECK(f[0].notes.at(0) == "node results are read in expressions as node.x");
  CHECK(f[1].message ==
        "visualization node show: label: {{ variables.user }} is never filled in and stays as "
        "written");
  CHECK(f[1].where.column == 56);
  CHECK(f[1].notes.at(0) == "workflow variables are read in expressions as variables.user");
}

TEST_CASE("uninterpolated-template: inside an expression's string literal, and in keys") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 1}}\n"
      "  - {id: e, type: expression, data: {expression: \"'Hi {{ input.name }}'\"}}\n"
      "  - id: s\n"
      "    type: schema_validator\n"
      "    data: {schema: {type: object, properties: {\"{{ context.field }}\": {type: string}}}}\n"
      "edges:\n"
      "  - {source: x, target: e}\n"
      "  - {source: x, target: s}\n");
  const auto f = with_code(r, "uninterpolated-template");
  REQUIRE_MESSAGE(f.size() == 2, dump(r));
  CHECK(f[0].message ==
        "expression node e: expression: {{ input.name }} is never filled in and stays as "
        "written");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 55);
  CHECK(f[0].notes.at(0) ==
        "the input is read in expressions as input.name; this field is an expression, so write "
        "the read outside the quotes");
  CHECK(f[1].message ==
        "schema_validator node s: schema.properties.{{ context.field }} (key): {{ context.field "
        "}} is never filled in and stays as written");
  CHECK(f[1].notes.at(0) ==
        "context values are read in expressions as context.field, and filled into template "
        "fields as {{ const.field }} or {{ variable.field }}");
}

TEST_CASE("uninterpolated-template: what validate reports, and text that is no template") {
  // {{ const.k }} outside a template field: validate's placeholder-not-expanded.
  auto r = lint_text(
      "nodes:\n"
      "  - {id: k, type: context_constant, data: {context_values: [{name: k, value: a, type: "
      "string}]}}\n"
      "  - {id: x, type: number, data: {value: 1, label: \"{{ const.k }}\"}}\n");
  CHECK(with_code(r, "placeholder-not-expanded").size() == 1);
  CHECK_MESSAGE(with_code(r, "uninterpolated-template").empty(), dump(r));
  // {{ variables.x }} in a template field: validate's malformed-placeholder.
  r = lint_text(http_node("{url: \"https://example.com/{{ variables.x }}\"}"));
  CHECK(with_code(r, "malformed-placeholder").size() == 1);
  CHECK_MESSAGE(with_code(r, "uninterpolated-template").empty(), dump(r));
  // Braces that are not a `{{ name }}`.
  r = lint_text(
      "nodes:\n"
      "  - {id: x, type: number, data: {value: 1, label: \"{{ }} {{1}} {x} {{ a b }} {{ a.\"}}\n");
  CHECK_MESSAGE(with_code(r, "uninterpolated-template").empty(), dump(r));
}

// ---- while-loop-legacy-threshold -------------------------------------------------

TEST_CASE("while-loop-legacy-threshold: position, message and notes") {
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: n, type: number, data: {value: 3}}\n"
      "  - {id: loop, type: while_loop, data: {condition: \">0\", max_iterations: 20}}\n"
      "edges:\n"
      "  - {source: n, target: loop}\n");
  const auto f = with_code(r, "while-loop-legacy-threshold");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message ==
        "while_loop node loop: condition \">0\" is the legacy threshold test '> ...' of an input "
        "that never changes: the node either stops at once with 0 iterations or fails after "
        "max_iterations");
  CHECK(f[0].where.line == 3);
  CHECK(f[0].where.column == 53);
  CHECK(f[0].where.length == 1);
  REQUIRE(f[0].notes.size() == 2);
  CHECK(f[0].notes[0] ==
        "it compares the input (or its member value) each time; when that holds, the node fails "
        "with 'while_loop exceeded max iterations: 20'");
  CHECK(f[0].notes[1] ==
        "nothing runs between two tests (spec 03 §28 #1); to branch on the value, use a "
        "condition node with condition: input > 0");
}

TEST_CASE("while-loop-legacy-threshold: a shorthand inside, and the run's loop limit") {
  lint::LintOptions o;
  o.limits.max_loop_iterations = 7;
  const auto r = lint_text(
      "nodes:\n"
      "  - {id: n, type: number, data: {value: 3}}\n"
      "  - {id: loop, type: while_loop, data: {condition: \"input.n > 1 || <= 10\"}}\n"
      "edges:\n"
      "  - {source: n, target: loop}\n",
      o);
  const auto f = with_code(r, "while-loop-legacy-threshold");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].where.column == 68);
  CHECK(f[0].where.length == 2);
  CHECK(f[0].notes.at(0) ==
        "it compares the input (or its member value) each time; when that holds, the node fails "
        "with 'while_loop exceeded max iterations: 7'");
  CHECK(f[0].notes.at(1) ==
        "nothing runs between two tests (spec 03 §28 #1); to branch on the value, use a "
        "condition node with condition: input > 0");
}

TEST_CASE("while-loop-legacy-threshold: expressions, and shorthands of other nodes") {
  for (const std::string& node : {
           std::string("  - {id: w, type: while_loop, data: {condition: \"input > 1\"}}\n"),
           std::string("  - {id: w, type: while_loop, data: {condition: \"input.count < 10\"}}\n"),
           std::string("  - {id: w, type: condition, data: {condition: \">0\"}}\n"),
       }) {
    CAPTURE(node);
    const auto r = lint_text("nodes:\n  - {id: n, type: number, data: {value: 3}}\n" + node +
                             "edges:\n  - {source: n, target: w}\n");
    CHECK_MESSAGE(with_code(r, "while-loop-legacy-threshold").empty(), dump(r));
  }
}
