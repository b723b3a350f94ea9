// Static template checks (D12, D20): unknown, malformed and misplaced
// placeholders, located at the placeholder inside its string; and the
// `--set` read check (check_context_reads).
#include "thaiyyal/check/template_check.h"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/check/context_check.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/load/loader.h"

using namespace thaiyyal;

namespace {

struct Checked {
  diag::Diagnostics diags;
  std::shared_ptr<const check::CompiledWorkflow> compiled;

  /// The diagnostics with this code.
  std::vector<const diag::Diagnostic*> with(std::string_view code) const {
    std::vector<const diag::Diagnostic*> out;
    for (const auto& d : diags.all()) {
      if (d.code == code) out.push_back(&d);
    }
    return out;
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.push_back(d.code);
    return out;
  }
};

/// Loads `text` (JSON, or YAML when `name` ends in .yaml) and compiles it
/// with `constants` as the names given with --set (nullopt: not said).
Checked compile(std::string_view text,
                std::optional<std::vector<std::string>> constants = std::vector<std::string>{},
                std::string name = "flow.json") {
  Checked c;
  auto file = std::make_shared<diag::SourceFile>(std::move(name), std::string(text));
  auto wf = load::load_workflow(file, load::LoadOptions{}, c.diags);
  REQUIRE(wf.has_value());
  check::CheckOptions options;
  options.constants = std::move(constants);
  c.compiled = check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), c.diags,
                                       {}, options);
  return c;
}

constexpr std::string_view kConstants = R"(
  {"id": "cfg", "type": "context_constant",
   "data": {"context_values": [{"name": "name", "value": "x", "type": "string"},
                               {"name": "region", "value": "eu", "type": "string"}]}},
  {"id": "vars", "type": "context_variable",
   "data": {"context_values": [{"name": "attempt", "value": 1, "type": "number"}]}})";

std::string with_constants(std::string_view more) {
  return "{\"nodes\": [" + std::string(kConstants) + ",\n" + std::string(more) + "]}";
}

}  // namespace

TEST_SUITE("check") {
  TEST_CASE("an unknown {{ const.x }} is an error at the placeholder, with a did-you-mean") {
    auto c = compile(with_constants(
        R"({"id": "t", "type": "text_input", "data": {"text": "Hi {{ const.nme }}!"}})"));
    CHECK(c.compiled == nullptr);
    auto found = c.with("unknown-placeholder");
    REQUIRE(found.size() == 1);
    const auto& d = *found[0];
    CHECK(d.severity == diag::Severity::Error);
    CHECK(d.message ==
          "text: {{ const.nme }}: no context constant 'nme' is defined (by a context_constant "
          "node or --set)");
    CHECK(d.where.node_id == "t");
    CHECK(d.where.json_path == "$.nodes[2].data.text");
    CHECK(d.where.line == 7);
    // `{"id": "t", "type": "text_input", "data": {"text": "Hi ` is 55 bytes.
    CHECK(d.where.column == 56);
    CHECK(d.where.length == 15);
    REQUIRE(d.notes.size() == 1);
    CHECK(d.notes[0] == "did you mean 'name'?");
  }

  TEST_CASE("constants given with --set count as defined; without a list they only warn") {
    const std::string flow =
        R"({"nodes": [{"id": "t", "type": "text_input", "data": {"text": "{{ const.region }}"}}]})";
    auto given = compile(flow, std::vector<std::string>{"region"});
    CHECK(given.compiled != nullptr);
    CHECK(given.diags.empty());

    auto missing = compile(flow, std::vector<std::string>{"regoin"});
    CHECK(missing.compiled == nullptr);
    REQUIRE(missing.with("unknown-placeholder").size() == 1);
    CHECK(missing.with("unknown-placeholder")[0]->notes ==
          std::vector<std::string>{"did you mean 'regoin'?"});

    auto unsaid = compile(flow, std::nullopt);
    CHECK(unsaid.compiled != nullptr);
    REQUIRE(unsaid.with("unknown-placeholder").size() == 1);
    const auto& d = *unsaid.with("unknown-placeholder")[0];
    CHECK(d.severity == diag::Severity::Warning);
    CHECK(d.notes == std::vector<std::string>{
                         "it is left as written unless the run defines it (--set region=...)"});
  }

  TEST_CASE("{{ variable.x }} reads only context variables: an undefined one is an error") {
    auto ok = compile(with_constants(
        R"({"id": "t", "type": "text_input", "data": {"text": "try {{variable.attempt}}"}})"));
    CHECK(ok.compiled != nullptr);
    CHECK(ok.diags.empty());

    auto c = compile(with_constants(R"({"id": "t", "type": "text_input",
        "data": {"text": "{{ variable.region }} {{ variable.total }} {{ const.attempt }}"}})"));
    CHECK(c.compiled == nullptr);
    auto found = c.with("unknown-placeholder");
    REQUIRE(found.size() == 3);
    CHECK(found[0]->severity == diag::Severity::Error);
    CHECK(found[0]->message ==
          "text: {{ variable.region }}: no context variable 'region' is defined (by a "
          "context_variable node)");
    CHECK(found[0]->notes ==
          std::vector<std::string>{"'region' is a context constant: write {{ const.region }}"});
    CHECK(found[1]->notes ==
          std::vector<std::string>{
              "{{ variable.<name> }} reads context variables (context_variable nodes); workflow "
              "variables set by variable nodes are read in expressions as variables.<name>"});
    CHECK(found[2]->notes == std::vector<std::string>{
                                 "'attempt' is a context variable: write {{ variable.attempt }}"});
  }

  TEST_CASE("malformed placeholders warn with a hint") {
    auto c = compile(R"({"nodes": [{"id": "t", "type": "text_input", "data": {"text":
        "a {{ cnst.x }} b {{ const. }} c {{const.x} d {{ x }} e {{ var.y }} f {{ const.a.b }} g {{ }}"}}]})");
    CHECK(c.compiled != nullptr);  // warnings only
    auto found = c.with("malformed-placeholder");
    REQUIRE(found.size() == 7);
    std::vector<std::string> messages, hints;
    for (const auto* d : found) {
      CHECK(d->severity == diag::Severity::Warning);
      messages.push_back(d->message);
      REQUIRE(d->notes.size() == 1);
      hints.push_back(d->notes[0]);
    }
    CHECK(messages == std::vector<std::string>{
                          "text: '{{ cnst.x }}' is not a placeholder and is left as written: "
                          "unknown namespace 'cnst'",
                          "text: '{{ const. }}' is not a placeholder and is left as written: no "
                          "name after 'const.'",
                          "text: '{{const.x}' is not a placeholder and is left as written: the "
                          "placeholder is not closed with '}}'",
                          "text: '{{ x }}' is not a placeholder and is left as written: no "
                          "namespace before 'x'",
                          "text: '{{ var.y }}' is not a placeholder and is left as written: "
                          "unknown namespace 'var'",
                          "text: '{{ const.a.b }}' is not a placeholder and is left as written: "
                          "'const.a' is followed by '.': only a whole context value can be "
                          "inserted",
                          "text: '{{ }}' is not a placeholder and is left as written: the "
                          "placeholder is empty",
                      });
    CHECK(hints[0] == "did you mean '{{ const.x }}'?");
    CHECK(hints[1] == "write {{ const.<name> }}, where <name> is letters, digits and _");
    CHECK(hints[2] == "write {{ const.x }}");
    CHECK(hints[3] ==
          "write {{ const.x }} for a context constant or {{ variable.x }} for a context variable");
    CHECK(hints[4] == "did you mean '{{ variable.y }}'?");
    CHECK(hints[5] == "write {{ const.a }}");
    // The unclosed one: from its `{{` through the lone `}`.
    CHECK(found[2]->where.line == 2);
    CHECK(found[2]->where.length == 10);
  }

  TEST_CASE("a placeholder inside an expression warns: use context.x (D20)") {
    auto c = compile(with_constants(R"({"id": "c", "type": "condition",
        "data": {"condition": "input == '{{ const.region }}'"}})"));
    CHECK(c.compiled != nullptr);
    auto found = c.with("template-in-expression");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->severity == diag::Severity::Warning);
    CHECK(found[0]->message == "condition: the placeholder {{ const.region }} is left as written");
    CHECK(found[0]->notes == std::vector<std::string>{
                                 "templates are not expanded in expressions; use context.region"});
    CHECK(found[0]->where.json_path == "$.nodes[2].data.condition");
    CHECK(found[0]->where.length == 18);
    CHECK(c.with("placeholder-not-expanded").empty());
  }

  TEST_CASE("a placeholder in a field that is not a template warns") {
    auto c = compile(with_constants(R"({"id": "k", "type": "cache",
        "data": {"cache_op": "get", "cache_key": "k-{{ const.region }}"}})"));
    CHECK(c.compiled != nullptr);
    auto found = c.with("placeholder-not-expanded");
    REQUIRE(found.size() == 1);
    CHECK(found[0]->message ==
          "cache_key: the placeholder {{ const.region }} is left as written: this field of a "
          "cache node is not a template");
    CHECK(found[0]->where.json_path == "$.nodes[2].data.cache_key");
    CHECK(c.with("unknown-placeholder").empty());  // not a template: names are not checked
  }

  TEST_CASE("http url, headers, body (keys and strings at any depth) and query are templates") {
    auto c = compile(with_constants(R"({"id": "h", "type": "http", "data": {
        "url": "https://api.example.org/{{ const.region }}",
        "headers": {"X-Region": "{{ const.regio }}"},
        "body": {"items": [{"{{ const.nam }}": "{{ const.region }}"}]},
        "query": {"who": "{{ const.name }}", "q": "{{ const.nme }}"}}})"));
    CHECK(c.compiled == nullptr);
    auto found = c.with("unknown-placeholder");
    REQUIRE(found.size() == 3);
    CHECK(found[0]->message.rfind("headers.X-Region: {{ const.regio }}: ", 0) == 0);
    CHECK(found[0]->where.json_path == R"($.nodes[2].data.headers["X-Region"])");
    CHECK(found[1]->message.rfind("body.items[0].{{ const.nam }} (key): {{ const.nam }}: ", 0) ==
          0);
    CHECK(found[1]->where.line == 10);
    CHECK(found[1]->notes == std::vector<std::string>{"did you mean 'name'?"});
    CHECK(found[2]->message.rfind("query.q: {{ const.nme }}: ", 0) == 0);
    CHECK(c.with("placeholder-not-expanded").empty());
  }

  TEST_CASE("positions account for escapes in JSON strings and for YAML scalars") {
    auto json = compile(
        R"({"nodes": [{"id": "t", "type": "text_input", "data": {"text": "\u00e9\"\n {{ const.q }}"}}]})");
    REQUIRE(json.with("unknown-placeholder").size() == 1);
    // `{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "` is 63 bytes, then
    // \u00e9 \" \n and a space: 11 bytes of source before the placeholder.
    CHECK(json.with("unknown-placeholder")[0]->where.column == 64 + 11);
    CHECK(json.with("unknown-placeholder")[0]->where.length == 13);

    auto yaml = compile(
        "nodes:\n  - id: t\n    type: text_input\n    data:\n      text: 'it''s {{ const.q }}'\n",
        std::vector<std::string>{}, "flow.yaml");
    REQUIRE(yaml.with("unknown-placeholder").size() == 1);
    CHECK(yaml.with("unknown-placeholder")[0]->where.line == 5);
    CHECK(yaml.with("unknown-placeholder")[0]->where.column == 20);

    auto plain = compile(
        "nodes:\n  - id: t\n    type: text_input\n    data:\n      text: hi {{ const.q }}\n",
        std::vector<std::string>{}, "flow.yaml");
    REQUIRE(plain.with("unknown-placeholder").size() == 1);
    CHECK(plain.with("unknown-placeholder")[0]->where.column == 16);
  }

  TEST_CASE("check_context_reads: a --set name nothing reads is a warning") {
    auto c = compile(
        with_constants(R"(
        {"id": "t", "type": "text_input", "data": {"text": "{{ const.region }}"}},
        {"id": "c", "type": "condition", "data": {"condition": "input > context.limit"}},
        {"id": "e", "type": "expression", "data": {"expression": "context['mode'] ?? context?.level"}})"),
        std::vector<std::string>{"region", "limit", "mode", "level", "lmit", "unused", "unused"});
    REQUIRE(c.compiled != nullptr);
    diag::Diagnostics diags;
    check::check_context_reads(
        *c.compiled, {"region", "limit", "mode", "level", "lmit", "unused", "unused"}, diags);
    REQUIRE(diags.size() == 2);
    CHECK(diags.all()[0].code == "unused-set");
    CHECK(diags.all()[0].severity == diag::Severity::Warning);
    CHECK(diags.all()[0].message ==
          "--set lmit: no node reads this constant ({{ const.lmit }} or context.lmit)");
    CHECK(diags.all()[0].notes == std::vector<std::string>{"did you mean 'limit'?"});
    CHECK(diags.all()[1].message ==
          "--set unused: no node reads this constant ({{ const.unused }} or context.unused)");
    CHECK(diags.all()[1].notes.empty());
  }

  TEST_CASE("check_context_reads: a dynamic read of context may read any name") {
    for (const std::string expression : {"context[input.key]", "len(context)", "context"}) {
      CAPTURE(expression);
      auto c = compile(R"({"nodes": [{"id": "e", "type": "expression", "data": {"expression": ")" +
                       expression + R"("}}]})");
      REQUIRE(c.compiled != nullptr);
      diag::Diagnostics diags;
      check::check_context_reads(*c.compiled, {"region"}, diags);
      CHECK(diags.empty());
    }
    // A context_constant defining the name is not a read; a placeholder in an
    // expression (never expanded) is not one either.
    auto c = compile(with_constants(R"({"id": "c", "type": "condition",
        "data": {"condition": "input == '{{ const.region }}'"}})"),
                     std::vector<std::string>{"region"});
    REQUIRE(c.compiled != nullptr);
    diag::Diagnostics diags;
    check::check_context_reads(*c.compiled, {"region"}, diags);
    REQUIRE(diags.size() == 1);
    CHECK(diags.all()[0].code == "unused-set");
  }
}
