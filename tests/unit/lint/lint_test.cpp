// The lint framework: validate findings are lint findings, rule metadata,
// suppression (options, document, node).
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "lint_helpers.h"
#include "thaiyyal/lint/baseline.h"
#include "thaiyyal/lint/report.h"

using namespace thaiyyal;
using lint_test::dump;
using lint_test::lint_text;
using lint_test::with_code;

TEST_CASE("every rule has an id in kebab-case, a summary, an explanation and examples") {
  std::set<std::string_view> ids;
  REQUIRE(lint::all_rules().size() >= 2);
  for (const auto& r : lint::all_rules()) {
    CAPTURE(r.id);
    CHECK(ids.insert(r.id).second);
    CHECK_FALSE(r.id.empty());
    for (char c : r.id) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
    CHECK_FALSE(r.summary.empty());
    CHECK(r.explanation.size() > 40);
    CHECK_FALSE(r.bad.empty());
    CHECK_FALSE(r.good.empty());
    CHECK(lint::find_rule(r.id) == &r);
  }
  CHECK(lint::find_rule("no-such-rule") == nullptr);
}

TEST_CASE("the bad example of every rule triggers it and the good one does not") {
  for (const auto& r : lint::all_rules()) {
    CAPTURE(r.id);
    lint::LintOptions o;
    o.enabled.insert(std::string(r.id));
    const auto bad = lint_text(std::string(r.bad), o);
    CHECK_MESSAGE(!with_code(bad, r.id).empty(), dump(bad));
    const auto good = lint_text(std::string(r.good), o);
    CHECK_MESSAGE(with_code(good, r.id).empty(), dump(good));
  }
}

TEST_CASE("a document that does not load gives its load error and no rule runs") {
  const auto r = lint_text("nodes: [\n");
  CHECK_FALSE(r.loaded);
  REQUIRE_FALSE(r.findings.empty());
  CHECK(r.findings.front().severity == diag::Severity::Error);
}

TEST_CASE("validate findings are lint findings with the same codes") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: a\n"
      "    type: number\n"
      "    data: {value: 1, vlaue: 2}\n");
  CHECK(r.loaded);
  const auto unknown = with_code(r, "unknown-key");
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].where.line == 4);
  CHECK(unknown[0].where.column == 22);
}

TEST_CASE("inferred-type: position, message and note") {
  const auto r = lint_text(
      "nodes:\n"
      "  - id: n\n"
      "    data: {value: 3}\n");
  const auto f = with_code(r, "inferred-type");
  REQUIRE_MESSAGE(f.size() == 1, dump(r));
  CHECK(f[0].severity == diag::Severity::Warning);
  CHECK(f[0].message == "node n has no type; it runs as number because of its data keys");
  CHECK(f[0].where.line == 2);
  CHECK(f[0].where.column == 5);
  CHECK(f[0].where.node_id == "n");
}

TEST_CASE("suppression: --ignore, the document's lint.ignore, a node's lint_ignore") {
  const std::string doc =
      "nodes:\n"
      "  - id: a\n"
      "    data: {value: 3}\n"
      "  - id: b\n"
      "    data: {value: 4, lint_ignore: [inferred-type]}\n";
  auto r = lint_text(doc);
  CHECK(with_code(r, "inferred-type").size() == 1);
  CHECK(with_code(r, "unknown-key").empty());  // lint_ignore is no unknown key
  CHECK(r.suppressed == 1);

  lint::LintOptions o;
  o.disabled.insert("inferred-type");
  r = lint_text(doc, o);
  CHECK(with_code(r, "inferred-type").empty());
  CHECK(r.suppressed == 0);  // a disabled rule does not run

  r = lint_text("lint: {ignore: [inferred-type]}\n" + doc);
  CHECK(with_code(r, "inferred-type").empty());
  CHECK(r.suppressed == 2);
}

TEST_CASE("suppression lists are checked") {
  auto r = lint_text(
      "lint: {ignore: [infered-type, 3]}\n"
      "nodes:\n"
      "  - id: a\n"
      "    type: number\n"
      "    data: {value: 3, lint_ignore: inferred-type}\n");
  const auto f = with_code(r, "invalid-lint-ignore");
  REQUIRE_MESSAGE(f.size() == 3, dump(r));
  CHECK(f[0].message == "'infered-type' is not a lint rule");
  CHECK(f[0].notes.at(0) == "did you mean 'inferred-type'?");
  CHECK(f[0].where.line == 1);
  CHECK(f[0].where.column == 17);
  CHECK(f[1].message == "a rule id must be a string, got number");
  CHECK(f[2].message == "lint_ignore must be a list of rule ids, got string");
  CHECK(f[2].where.line == 5);

  r = lint_text("lint: [x]\nnodes: []\n");
  REQUIRE(with_code(r, "invalid-lint-ignore").size() == 1);
  CHECK(with_code(r, "invalid-lint-ignore")[0].message ==
        "lint must be an object such as {ignore: [rule-id]}, got array");
}

TEST_CASE("validate errors cannot be suppressed") {
  lint::LintOptions o;
  o.disabled.insert("unknown-kind");
  const auto r = lint_text(
      "lint: {ignore: [unknown-kind]}\n"
      "nodes:\n"
      "  - {id: a, type: nope, data: {}}\n",
      o);
  bool error = false;
  for (const auto& d : r.findings) error |= d.severity == diag::Severity::Error;
  CHECK_MESSAGE(error, dump(r));
}

TEST_CASE("a baseline from a JSON or SARIF report hides the findings it holds, and only those") {
  const std::string before =
      "nodes:\n"
      "  - id: a\n"
      "    data: {value: 3}\n";
  std::vector<lint::FileResult> old{lint_text(before)};
  REQUIRE(old[0].findings.size() == 1);
  lint::ReportOptions ro;
  const std::string json = lint::render(lint::Format::Json, old, ro);
  const std::string sarif = lint::render(lint::Format::Sarif, old, ro);

  // The finding moved two lines down, and a new one came.
  const std::string after =
      "# moved\n"
      "# down\n"
      "nodes:\n"
      "  - id: a\n"
      "    data: {value: 3}\n"
      "  - id: b\n"
      "    data: {value: 4}\n"
      "edges:\n"
      "  - {source: a, target: b}\n";
  for (const auto* text : {&json, &sarif}) {
    auto baseline = lint::Baseline::parse(*text);
    CHECK(baseline.size() == 1);
    std::vector<lint::FileResult> now{lint_text(after)};
    REQUIRE_MESSAGE(now[0].findings.size() == 2, dump(now[0]));
    CHECK(baseline.apply(now, "") == 1);
    REQUIRE(now[0].findings.size() == 1);
    CHECK(now[0].findings[0].where.node_id == "b");
    CHECK(now[0].suppressed == 1);
  }

  CHECK_THROWS_WITH_AS(lint::Baseline::parse("{\"x\":1}"),
                       "neither a thaiyyal lint JSON report (\"files\") nor a SARIF log (\"runs\")",
                       lint::BaselineError);
  CHECK_THROWS_AS(lint::Baseline::parse("not json"), lint::BaselineError);
  CHECK_THROWS_WITH_AS(lint::Baseline::parse(R"({"runs":[{"results":[{"ruleId":"x"}]}]})"),
                       "a SARIF result has no partialFingerprints[\"thaiyyal/v1\"]; make the "
                       "baseline with thaiyyal lint --format sarif or --write-baseline",
                       lint::BaselineError);
}
