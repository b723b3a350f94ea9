// Tests of the report formats (lib/thaiyyal/lint/report.cpp).
#include "thaiyyal/lint/report.h"

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lint_helpers.h"

namespace {

using thaiyyal::diag::Diagnostic;
using thaiyyal::diag::Location;
using thaiyyal::diag::Severity;
using thaiyyal::diag::SourceFile;
using thaiyyal::lint::FileResult;
using thaiyyal::lint::Format;
using thaiyyal::lint::ReportOptions;
using Json = nlohmann::json;

std::string render(Format f, const std::vector<FileResult>& files, const ReportOptions& o = {}) {
  return thaiyyal::lint::render(f, files, o);
}

Location at(const std::shared_ptr<const SourceFile>& file, int line, int column, int length,
            std::string node = {}, std::string path = {}) {
  Location w;
  w.file = file;
  w.line = line;
  w.column = column;
  w.length = length;
  w.has_node = !node.empty();
  w.node_id = std::move(node);
  w.json_path = std::move(path);
  return w;
}

/// Three files: one with an info finding without a position, a warning
/// with a note and an error (one more suppressed); one clean; one that
/// could not be read.
std::vector<FileResult> fixture() {
  auto src = std::make_shared<SourceFile>(
      "flows/a.yaml", "nodes:\n  - id: n\n    data: {value: 3}\n  - id: t\n    type: nope\n");
  FileResult a;
  a.name = "flows/a.yaml";
  a.loaded = true;
  a.nodes = 2;
  a.suppressed = 1;
  a.findings.push_back(
      Diagnostic::make(Severity::Info, "no-edges", "workflow has no edges", at(src, 0, 0, 0)));
  auto& w = a.findings.emplace_back(Diagnostic::make(Severity::Warning, "inferred-type",
                                                     "node n has no type",
                                                     at(src, 2, 5, 2, "n", "$.nodes[0]")));
  w.notes.push_back("add type: number");
  a.findings.push_back(Diagnostic::make(Severity::Error, "unknown-kind", "unknown node type 'nope'",
                                        at(src, 5, 11, 4, "t", "$.nodes[1].type")));
  FileResult b;
  b.name = "flows/b.yaml";
  b.loaded = true;
  b.nodes = 1;
  FileResult c =
      thaiyyal::lint::unreadable("flows/c.yaml", "cannot read flows/c.yaml: No such file");
  return {a, b, c};
}

}  // namespace

TEST_CASE("parse_format and format_name round-trip every format") {
  for (auto f : {Format::Text, Format::Json, Format::Sarif, Format::Github, Format::Junit,
                 Format::Checkstyle}) {
    const auto name = thaiyyal::lint::format_name(f);
    REQUIRE(thaiyyal::lint::parse_format(name).has_value());
    CHECK(*thaiyyal::lint::parse_format(name) == f);
  }
  CHECK(thaiyyal::lint::format_name(Format::Checkstyle) == "checkstyle");
  CHECK_FALSE(thaiyyal::lint::parse_format("xml").has_value());
  CHECK_FALSE(thaiyyal::lint::parse_format("SARIF").has_value());
  CHECK_FALSE(thaiyyal::lint::parse_format("").has_value());
}

TEST_CASE("text: every finding compiler style, then the summary") {
  const std::string expected =
      "flows/a.yaml: info[no-edges]: workflow has no edges\n"
      "flows/a.yaml:2:5: warning[inferred-type]: node n has no type\n"
      "  in node 'n' at $.nodes[0]\n"
      "    2 |   - id: n\n"
      "      |     ^^\n"
      "  note: add type: number\n"
      "flows/a.yaml:5:11: error[unknown-kind]: unknown node type 'nope'\n"
      "  in node 't' at $.nodes[1].type\n"
      "    5 |     type: nope\n"
      "      |           ^^^^\n"
      "flows/c.yaml: error[io]: cannot read flows/c.yaml: No such file\n"
      "3 files linted: 2 errors, 1 warning, 1 info (1 suppressed)\n";
  CHECK(render(Format::Text, fixture()) == expected);

  ReportOptions color;
  color.color = true;
  const auto painted = render(Format::Text, fixture(), color);
  CHECK(painted.find("\x1b[1;31m2 errors\x1b[0m") != std::string::npos);
  CHECK(painted.find("\x1b[1;33mwarning[inferred-type]\x1b[0m") != std::string::npos);
}

TEST_CASE("text: the summary counts in the singular and says when nothing was found") {
  FileResult clean;
  clean.name = "x.yaml";
  clean.loaded = true;
  CHECK(render(Format::Text, {clean}) == "1 file linted: no findings\n");
  CHECK(render(Format::Text, {clean, clean}) == "2 files linted: no findings\n");
  clean.suppressed = 2;
  CHECK(render(Format::Text, {clean}) == "1 file linted: no findings (2 suppressed)\n");
  CHECK(render(Format::Text, {}) == "0 files linted: no findings\n");

  FileResult one;
  one.name = "y.yaml";
  one.findings.push_back(Diagnostic::make(Severity::Error, "e", "m"));
  one.findings.push_back(Diagnostic::make(Severity::Warning, "w", "m"));
  one.findings.push_back(Diagnostic::make(Severity::Warning, "w", "m"));
  CHECK(render(Format::Text, {one}).ends_with("\n1 file linted: 1 error, 2 warnings, 0 info\n"));
}

TEST_CASE("github: one workflow command per finding, positions only when known") {
  const std::string expected =
      "::notice file=flows/a.yaml,title=no-edges::workflow has no edges\n"
      "::warning file=flows/a.yaml,line=2,col=5,endLine=2,endColumn=7,title=inferred-type::"
      "node n has no type%0Aadd type: number\n"
      "::error file=flows/a.yaml,line=5,col=11,endLine=5,endColumn=15,title=unknown-kind::"
      "unknown node type 'nope'\n"
      "::error file=flows/c.yaml,title=io::cannot read flows/c.yaml: No such file\n";
  CHECK(render(Format::Github, fixture()) == expected);
}

TEST_CASE("github: names are made relative to the base directory") {
  auto files = fixture();
  files.resize(1);
  files[0].name = "/srv/repo/flows/a.yaml";
  ReportOptions o;
  o.base_dir = "/srv/repo";
  CHECK(render(Format::Github, files, o).starts_with("::notice file=flows/a.yaml,title=no-edges"));
}

TEST_CASE("checkstyle: one file element per file, one error per finding") {
  const std::string expected =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<checkstyle version=\"4.3\">\n"
      "  <file name=\"flows/a.yaml\">\n"
      "    <error severity=\"info\" message=\"workflow has no edges\" "
      "source=\"thaiyyal.no-edges\"/>\n"
      "    <error line=\"2\" column=\"5\" severity=\"warning\" "
      "message=\"node n has no type&#10;add type: number\" source=\"thaiyyal.inferred-type\"/>\n"
      "    <error line=\"5\" column=\"11\" severity=\"error\" "
      "message=\"unknown node type &apos;nope&apos;\" source=\"thaiyyal.unknown-kind\"/>\n"
      "  </file>\n"
      "  <file name=\"flows/b.yaml\"/>\n"
      "  <file name=\"flows/c.yaml\">\n"
      "    <error severity=\"error\" message=\"cannot read flows/c.yaml: No such file\" "
      "source=\"thaiyyal.io\"/>\n"
      "  </file>\n"
      "</checkstyle>\n";
  CHECK(render(Format::Checkstyle, fixture()) == expected);
}

TEST_CASE("junit: failures at the failure level, output below it, a passing case when clean") {
  const std::string expected =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"thaiyyal lint\" tests=\"5\" failures=\"2\">\n"
      "  <testsuite name=\"flows/a.yaml\" tests=\"3\" failures=\"1\">\n"
      "    <testcase classname=\"flows/a.yaml\" name=\"no-edges\">\n"
      "      <system-out>flows/a.yaml: info[no-edges]: workflow has no edges\n"
      "</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"flows/a.yaml\" name=\"inferred-type at 2:5\">\n"
      "      <system-out>flows/a.yaml:2:5: warning[inferred-type]: node n has no type\n"
      "  in node 'n' at $.nodes[0]\n"
      "    2 |   - id: n\n"
      "      |     ^^\n"
      "  note: add type: number\n"
      "</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"flows/a.yaml\" name=\"unknown-kind at 5:11\">\n"
      "      <failure message=\"unknown node type &apos;nope&apos;\" type=\"error\">"
      "flows/a.yaml:5:11: error[unknown-kind]: unknown node type 'nope'\n"
      "  in node 't' at $.nodes[1].type\n"
      "    5 |     type: nope\n"
      "      |           ^^^^\n"
      "</failure>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "  <testsuite name=\"flows/b.yaml\" tests=\"1\" failures=\"0\">\n"
      "    <testcase classname=\"flows/b.yaml\" name=\"lint\"/>\n"
      "  </testsuite>\n"
      "  <testsuite name=\"flows/c.yaml\" tests=\"1\" failures=\"1\">\n"
      "    <testcase classname=\"flows/c.yaml\" name=\"io\">\n"
      "      <failure message=\"cannot read flows/c.yaml: No such file\" type=\"error\">"
      "flows/c.yaml: error[io]: cannot read flows/c.yaml: No such file\n"
      "</failure>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "</testsuites>\n";
  CHECK(render(Format::Junit, fixture()) == expected);

  ReportOptions strict;
  strict.fail_level = Severity::Warning;
  const auto out = render(Format::Junit, fixture(), strict);
  CHECK(out.find("<testsuites name=\"thaiyyal lint\" tests=\"5\" failures=\"3\">") !=
        std::string::npos);
  CHECK(
      out.find("<failure message=\"node n has no type&#10;add type: number\" type=\"warning\">") !=
      std::string::npos);
  CHECK(out.find("<system-out>flows/a.yaml: info[no-edges]") != std::string::npos);
}

TEST_CASE("json: files with their counts and findings, and a summary") {
  const auto doc = Json::parse(render(Format::Json, fixture()));
  CHECK(doc["version"] == 1);
  REQUIRE(doc["files"].size() == 3);
  const auto& a = doc["files"][0];
  CHECK(a["file"] == "flows/a.yaml");
  CHECK(a["loaded"] == true);
  CHECK(a["nodes"] == 2);
  CHECK(a["edges"] == 0);
  CHECK(a["suppressed"] == 1);
  REQUIRE(a["findings"].size() == 3);

  const auto& info = a["findings"][0];
  CHECK(info["rule"] == "no-edges");
  CHECK(info["severity"] == "info");
  for (const char* key : {"line", "column", "end_line", "end_column", "node_id", "json_path"}) {
    CHECK_MESSAGE(!info.contains(key), key);
  }
  CHECK(info["notes"] == Json::array());

  const auto& warning = a["findings"][1];
  CHECK(warning["rule"] == "inferred-type");
  CHECK(warning["severity"] == "warning");
  CHECK(warning["message"] == "node n has no type");
  CHECK(warning["line"] == 2);
  CHECK(warning["column"] == 5);
  CHECK(warning["end_line"] == 2);
  CHECK(warning["end_column"] == 7);
  CHECK(warning["node_id"] == "n");
  CHECK(warning["json_path"] == "$.nodes[0]");
  CHECK(warning["notes"] == Json::array({"add type: number"}));
  CHECK(warning["fingerprint"] ==
        thaiyyal::lint::fingerprint("flows/a.yaml", fixture()[0].findings[1]));

  const auto& c = doc["files"][2];
  CHECK(c["loaded"] == false);
  CHECK(c["findings"][0]["rule"] == "io");
  CHECK_FALSE(c["findings"][0].contains("line"));

  CHECK(doc["summary"] ==
        Json{{"files", 3}, {"errors", 2}, {"warnings", 1}, {"infos", 1}, {"suppressed", 1}});
}

TEST_CASE("json: a column without a length ends where it starts") {
  auto src = std::make_shared<SourceFile>("f.yaml", "abc\n");
  FileResult f;
  f.name = "f.yaml";
  f.findings.push_back(Diagnostic::make(Severity::Error, "x", "m", at(src, 1, 2, 0)));
  const auto doc = Json::parse(render(Format::Json, {f}));
  const auto& d = doc["files"][0]["findings"][0];
  CHECK(d["column"] == 2);
  CHECK(d["end_column"] == 2);
}

TEST_CASE("sarif: rules, results that point at them, regions in code points") {
  // A validate warning (unknown-key) after multi-byte characters on its line,
  // and a lint rule finding (inferred-type).
  const std::string text =
      "nodes:\n"
      "  - {id: \"\xC3\xB1"
      "and\xC3\xBA\", type: number, data: {value: 3, bogus: 1}}\n"
      "  - id: untyped\n"
      "    data: {value: 4}\n";
  const auto linted = lint_test::lint_text(text, {}, "flows/utf8.yaml");
  REQUIRE_MESSAGE(lint_test::with_code(linted, "unknown-key").size() == 1, lint_test::dump(linted));
  REQUIRE_MESSAGE(lint_test::with_code(linted, "inferred-type").size() == 1,
                  lint_test::dump(linted));
  const auto unknown = lint_test::with_code(linted, "unknown-key")[0];
  const auto line2 = std::string(text.substr(7, text.find('\n', 7) - 7));
  const int byte_column = static_cast<int>(line2.find("bogus")) + 1;
  REQUIRE(unknown.where.line == 2);
  REQUIRE(unknown.where.column == byte_column);
  REQUIRE(unknown.where.length == 5);

  auto bad = lint_test::lint_text("{\"nodes\": [}", {}, "flows/bad.json");
  REQUIRE_FALSE(bad.loaded);
  FileResult io = thaiyyal::lint::unreadable("flows/gone.yaml", "cannot read it");

  ReportOptions o;
  o.tool_version = "1.2.3";
  o.base_dir = "/srv/repo";
  std::vector<FileResult> files{linted, bad, io};
  for (auto& f : files) f.name = "/srv/repo/" + f.name;
  const auto log = Json::parse(render(Format::Sarif, files, o));

  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(log["version"] == "2.1.0");
  REQUIRE(log["runs"].size() == 1);
  const auto& run = log["runs"][0];
  const auto& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "thaiyyal");
  CHECK(driver["informationUri"] == "https://github.com/yesoreyeram/thaiyyal");
  CHECK(driver["version"] == "1.2.3");
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///srv/repo/");

  // Every lint rule, in order, with its documentation.
  const auto rules = thaiyyal::lint::all_rules();
  REQUIRE(driver["rules"].size() > rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = driver["rules"][i];
    CHECK(r["id"] == std::string(rules[i].id));
    CHECK(r["shortDescription"]["text"] == std::string(rules[i].summary));
    CHECK(r["fullDescription"]["text"] == std::string(rules[i].explanation));
    CHECK(r["help"]["text"].get<std::string>().starts_with(std::string(rules[i].explanation) +
                                                           "\n\nBad:\n"));
    CHECK(r["help"]["markdown"].get<std::string>().find("```yaml\n" + std::string(rules[i].bad)) !=
          std::string::npos);
    CHECK(r["properties"]["tags"].is_array());
  }
  const auto inferred = thaiyyal::lint::find_rule("inferred-type");
  REQUIRE(inferred != nullptr);
  const auto index_of = [&](std::string_view id) {
    for (std::size_t i = 0; i < driver["rules"].size(); ++i) {
      if (driver["rules"][i]["id"] == std::string(id)) return static_cast<int>(i);
    }
    return -1;
  };
  const auto& inferred_rule = driver["rules"][index_of("inferred-type")];
  CHECK(inferred_rule["name"] == "InferredType");
  CHECK(inferred_rule["help"]["text"] == std::string(inferred->explanation) + "\n\nBad:\n" +
                                             std::string(inferred->bad) + "\nGood:\n" +
                                             std::string(inferred->good));
  CHECK(inferred_rule["help"]["markdown"] ==
        std::string(inferred->explanation) + "\n\nBad:\n\n```yaml\n" + std::string(inferred->bad) +
            "```\n\nGood:\n\n```yaml\n" + std::string(inferred->good) + "```\n");
  CHECK(inferred_rule["properties"]["tags"] == Json::array({"workflow", "lint"}));
  CHECK(driver["rules"][index_of("unknown-key")]["properties"]["tags"] ==
        Json::array({"workflow", "validate"}));
  CHECK(inferred_rule["defaultConfiguration"]["level"] == "warning");
  // Codes that are not rules get a minimal descriptor.
  const int syntax = index_of("json-syntax");
  REQUIRE(syntax >= static_cast<int>(rules.size()));
  CHECK(driver["rules"][syntax]["shortDescription"]["text"] ==
        "thaiyyal validate check json-syntax");
  CHECK(driver["rules"][syntax]["name"] == "JsonSyntax");

  // Artifacts: one per file, relative to %SRCROOT%.
  REQUIRE(run["artifacts"].size() == 3);
  CHECK(run["artifacts"][0]["location"]["uri"] == "flows/utf8.yaml");
  CHECK(run["artifacts"][0]["location"]["uriBaseId"] == "%SRCROOT%");
  CHECK(run["artifacts"][2]["location"]["uri"] == "flows/gone.yaml");

  const auto& results = run["results"];
  REQUIRE(results.size() == linted.findings.size() + bad.findings.size() + 1);
  for (const auto& r : results) {
    const int index = r["ruleIndex"].get<int>();
    REQUIRE(index >= 0);
    REQUIRE(index < static_cast<int>(driver["rules"].size()));
    CHECK(driver["rules"][index]["id"] == r["ruleId"]);
    CHECK(r["partialFingerprints"]["thaiyyal/v1"].get<std::string>().size() == 16);
  }

  const auto find_result = [&](std::string_view id) -> const Json& {
    for (const auto& r : results) {
      if (r["ruleId"] == std::string(id)) return r;
    }
    FAIL("no result for " << id);
    return results[0];
  };
  const auto& u = find_result("unknown-key");
  CHECK(u["level"] == "warning");
  CHECK(u["message"]["text"] == unknown.message + "\n" + unknown.notes.at(0));
  const auto& loc = u["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "flows/utf8.yaml");
  CHECK(loc["artifactLocation"]["index"] == 0);
  // ñ and ú take two bytes each and one column.
  CHECK(loc["region"]["startLine"] == 2);
  CHECK(loc["region"]["startColumn"] == byte_column - 2);
  CHECK(loc["region"]["endLine"] == 2);
  CHECK(loc["region"]["endColumn"] == byte_column - 2 + 5);
  CHECK(u["partialFingerprints"]["thaiyyal/v1"] ==
        thaiyyal::lint::fingerprint("flows/utf8.yaml", unknown));

  const auto& s = find_result("json-syntax");
  CHECK(s["level"] == "error");
  CHECK(s["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK(s["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1);

  const auto& gone = find_result("io");
  CHECK_FALSE(gone["locations"][0]["physicalLocation"].contains("region"));
  CHECK(gone["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "flows/gone.yaml");
}

TEST_CASE("sarif: code-point columns skip a byte order mark and count bad bytes once each") {
  auto src = std::make_shared<SourceFile>("b.yaml", "\xEF\xBB\xBFk: \xE2\x82\xAC x\n\xFF\xFEz\n");
  FileResult f;
  f.name = "b.yaml";
  // Line 1: BOM (3 bytes), "k: " then the euro sign (3 bytes), " x".
  f.findings.push_back(Diagnostic::make(Severity::Warning, "x", "m", at(src, 1, 11, 1)));
  // Line 2: two invalid bytes, then z.
  f.findings.push_back(Diagnostic::make(Severity::Warning, "x", "m", at(src, 2, 3, 1)));
  const auto log = Json::parse(render(Format::Sarif, {f}));
  const auto& results = log["runs"][0]["results"];
  CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 6);
  CHECK(results[0]["locations"][0]["physicalLocation"]["region"]["endColumn"] == 7);
  CHECK(results[1]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 3);
}

TEST_CASE("sarif: a file outside the base directory gets an absolute file URI") {
  FileResult f = thaiyyal::lint::unreadable("/other place/a#b.yaml", "cannot read it");
  ReportOptions o;
  o.base_dir = "/srv/repo";
  const auto log = Json::parse(render(Format::Sarif, {f}, o));
  const auto& location = log["runs"][0]["artifacts"][0]["location"];
  CHECK(location["uri"] == "file:///other%20place/a%23b.yaml");
  CHECK_FALSE(location.contains("uriBaseId"));
  CHECK(
      log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
      "file:///other%20place/a%23b.yaml");
}

TEST_CASE("hostile messages are escaped in every format") {
  const std::string message =
      "bad\nline %0A 100% \"q\" <tag> & 'x' \x01\x1b[31m end\r\n::error::forged \xFF";
  auto src = std::make_shared<SourceFile>("we,ird:name.yaml", "key: value\n");
  FileResult f;
  f.name = "we,ird:name.yaml";
  f.loaded = true;
  auto& d = f.findings.emplace_back(
      Diagnostic::make(Severity::Error, "hostile", message, at(src, 1, 6, 5, "n<1>", "$.a")));
  d.notes.push_back("note\n::warning::two");
  const std::vector<FileResult> files{f};

  SUBCASE("github") {
    const auto out = render(Format::Github, files);
    CHECK(out ==
          "::error file=we%2Cird%3Aname.yaml,line=1,col=6,endLine=1,endColumn=11,title=hostile::"
          "bad%0Aline %250A 100%25 \"q\" <tag> & 'x' \x01\x1b[31m end%0D%0A::error::forged "
          "\xEF\xBF\xBD%0Anote%0A::warning::two\n");
    // One command: nothing the message holds starts a line of its own.
    CHECK(out.find('\n') == out.size() - 1);
    CHECK(out.find('\r') == std::string::npos);
  }
  SUBCASE("json and sarif keep the text, escaped") {
    const auto doc = Json::parse(render(Format::Json, files));
    const std::string replaced =
        std::string(message.substr(0, message.size() - 1)) + "\xEF\xBF\xBD";
    CHECK(doc["files"][0]["findings"][0]["message"] == replaced);
    CHECK(doc["files"][0]["findings"][0]["node_id"] == "n<1>");
    const auto log = Json::parse(render(Format::Sarif, files));
    CHECK(log["runs"][0]["results"][0]["message"]["text"] == replaced + "\nnote\n::warning::two");
  }
  SUBCASE("xml") {
    for (auto fmt : {Format::Junit, Format::Checkstyle}) {
      const auto out = render(fmt, files);
      CAPTURE(out);
      CHECK(out.find('\x01') == std::string::npos);
      CHECK(out.find('\x1b') == std::string::npos);
      CHECK(out.find('\r') == std::string::npos);
      CHECK(out.find("\xFF") == std::string::npos);
      CHECK(out.find("<tag>") == std::string::npos);
      CHECK(out.find(
                "message=\"bad&#10;line %0A 100% &quot;q&quot; &lt;tag&gt; &amp; &apos;x&apos; "
                "[31m end&#13;&#10;::error::forged \xEF\xBF\xBD&#10;note&#10;::warning::two\"") !=
            std::string::npos);
    }
    CHECK(render(Format::Checkstyle, files).find("<file name=\"we,ird:name.yaml\">") !=
          std::string::npos);
    // The failure body is the text rendering (control characters shown as
    // escapes), XML-escaped.
    CHECK(render(Format::Junit, files)
              .find("error[hostile]: bad\\nline %0A 100% \"q\" &lt;tag&gt; &amp; 'x' "
                    "\\x01\\x1B[31m end\\r\\n::error::forged") != std::string::npos);
  }
  SUBCASE("text") {
    const auto out = render(Format::Text, files);
    CHECK(out.find('\x01') == std::string::npos);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.starts_with("we,ird:name.yaml:1:6: error[hostile]: bad\\nline"));
  }
}

TEST_CASE("fingerprints survive a move and change with the message, rule, node or file") {
  const std::string yaml = "nodes:\n  - id: n\n    data: {value: 3}\n";
  const auto a = lint_test::lint_text(yaml);
  const auto moved = lint_test::lint_text("# a comment\n\n" + yaml);
  REQUIRE(lint_test::with_code(a, "inferred-type").size() == 1);
  REQUIRE(lint_test::with_code(moved, "inferred-type").size() == 1);
  const auto d = lint_test::with_code(a, "inferred-type")[0];
  const auto m = lint_test::with_code(moved, "inferred-type")[0];
  REQUIRE(d.where.line != m.where.line);
  const auto fp = thaiyyal::lint::fingerprint("flow.yaml", d);
  CHECK(fp == thaiyyal::lint::fingerprint("flow.yaml", m));
  CHECK(fp.size() == 16);
  CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);

  auto changed = d;
  changed.message += "!";
  CHECK(thaiyyal::lint::fingerprint("flow.yaml", changed) != fp);
  changed = d;
  changed.code = "other-rule";
  CHECK(thaiyyal::lint::fingerprint("flow.yaml", changed) != fp);
  changed = d;
  changed.where.node_id = "m";
  CHECK(thaiyyal::lint::fingerprint("flow.yaml", changed) != fp);
  CHECK(thaiyyal::lint::fingerprint("other.yaml", d) != fp);
  // The separators keep fields apart: moving text between them changes it.
  auto left = Diagnostic::make(Severity::Error, "ab", "c");
  auto right = Diagnostic::make(Severity::Error, "a", "bc");
  CHECK(thaiyyal::lint::fingerprint("f", left) != thaiyyal::lint::fingerprint("f", right));
  // A known value, so that baselines written by older builds keep matching.
  CHECK(thaiyyal::lint::fingerprint("", Diagnostic{}) == "d94d12186c0f2fb7");
}

TEST_CASE("relative_name") {
  using thaiyyal::lint::relative_name;
  CHECK(relative_name("/base/dir/a.yaml", "/base") == "dir/a.yaml");
  CHECK(relative_name("/base/a.yaml", "/base/") == "a.yaml");
  CHECK(relative_name("/base/x/../a.yaml", "/base") == "a.yaml");
  CHECK(relative_name("/other/a.yaml", "/base") == "/other/a.yaml");
  CHECK(relative_name("/basement/a.yaml", "/base") == "/basement/a.yaml");
  CHECK(relative_name("/base/../other/a.yaml", "/base") == "/base/../other/a.yaml");
  CHECK(relative_name("/base", "/base") == "/base");
  CHECK(relative_name("<stdin>", "/base") == "<stdin>");
  CHECK(relative_name("<stdin>", "") == "<stdin>");
  CHECK(relative_name("./x/y.yaml", "") == "x/y.yaml");
  CHECK(relative_name("x//y.yaml", "") == "x/y.yaml");
  CHECK(relative_name("../x.yaml", "") == "../x.yaml");
  CHECK(relative_name("sub/a.yaml", "sub") == "a.yaml");
  CHECK(relative_name("sub/a.yaml", "./sub/") == "a.yaml");
  CHECK(relative_name("", "/base") == "");
}
