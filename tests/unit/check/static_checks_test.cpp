// Whole-workflow checks of edge handles, inputs, run variables and context
// conversions (D17, spec 01 §3.4, §4.1, §6.3): exact messages, codes,
// severities, deferral, notes and positions.
#include "thaiyyal/check/static_checks.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/load/loader.h"

using thaiyyal::diag::Diagnostic;
using thaiyyal::diag::Severity;
using Strings = std::vector<std::string>;

namespace {

struct Checked {
  thaiyyal::diag::Diagnostics diags;
  std::shared_ptr<const thaiyyal::check::CompiledWorkflow> compiled;

  /// The diagnostics with this code, in report order.
  std::vector<const Diagnostic*> with_code(std::string_view code) const {
    std::vector<const Diagnostic*> out;
    for (const auto& d : diags.all()) {
      if (d.code == code) out.push_back(&d);
    }
    return out;
  }
  /// The one diagnostic with this code (REQUIREs that there is exactly one).
  const Diagnostic& only(std::string_view code) const {
    const auto found = with_code(code);
    REQUIRE(found.size() == 1);
    return *found.front();
  }
};

/// Loads `text` as flow.json and compiles it with `constants` as the names
/// given with --set (nullopt: not said).
Checked check(std::string_view text,
              std::optional<std::vector<std::string>> constants = std::vector<std::string>{}) {
  Checked c;
  auto file = std::make_shared<thaiyyal::diag::SourceFile>("flow.json", std::string(text));
  auto wf = thaiyyal::load::load_workflow(file, thaiyyal::load::LoadOptions{}, c.diags);
  REQUIRE(wf.has_value());
  thaiyyal::check::CheckOptions options;
  options.constants = std::move(constants);
  c.compiled = thaiyyal::check::compile_workflow(
      std::make_shared<const thaiyyal::Workflow>(std::move(*wf)), c.diags, {}, options);
  return c;
}

/// A condition `c` fed by a number, with one edge to `t` carrying `handle`.
std::string condition_edge(std::string_view handle) {
  return fmt::format(R"({{"nodes": [
  {{"id": "n", "type": "number", "data": {{"value": 5}}}},
  {{"id": "c", "type": "condition", "data": {{"condition": "input > 1"}}}},
  {{"id": "t", "type": "text_input", "data": {{"text": "big"}}}}
], "edges": [
  {{"id": "e0", "source": "n", "target": "c"}},
  {{"id": "e1", "source": "c", "target": "t", "sourceHandle": "{}"}}
]}})",
                     handle);
}

}  // namespace

TEST_SUITE("check") {
  TEST_CASE("a condition edge whose handle is neither true nor false is an error") {
    const auto r = check(condition_edge("ture"));
    const auto& d = r.only("unknown-handle");
    CHECK(d.severity == Severity::Error);
    CHECK_FALSE(d.deferred);
    CHECK(d.message ==
          "edge e1: sourceHandle 'ture' is not a handle of node c (type condition): its handles "
          "are true, false");
    CHECK(d.notes == Strings{"did you mean 'true'?", "the edge would never fire"});
    CHECK(d.where.json_path == "$.edges[1].sourceHandle");
    CHECK(d.where.line == 7);
    CHECK(d.where.column == 62);
    CHECK(d.where.length == 6);
    CHECK(r.compiled == nullptr);
    CHECK(r.diags.size() == 1);
    for (const char* ok : {"true", "false"}) {
      INFO(ok);
      CHECK(check(condition_edge(ok)).diags.empty());
    }
    // An empty handle makes the edge conditional too (01 §1.3).
    CHECK(check(condition_edge("")).only("unknown-handle").notes ==
          Strings{"the edge would never fire"});
  }

  TEST_CASE("a switch edge must name one of the case paths or the default's") {
    const std::string flow = R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 5}},
  {"id": "s", "type": "switch", "data": {"cases": [
    {"when": "input > 3", "output_path": "big"},
    {"when": "input > 1", "output_path": "medium"},
    {"is_default": true}]}},
  {"id": "a", "type": "text_input", "data": {"text": "a"}},
  {"id": "b", "type": "text_input", "data": {"text": "b"}},
  {"id": "c", "type": "text_input", "data": {"text": "c"}}
], "edges": [
  {"id": "e0", "source": "n", "target": "s"},
  {"id": "e1", "source": "s", "target": "a", "sourceHandle": "big"},
  {"id": "e2", "source": "s", "target": "b", "sourceHandle": "default"},
  {"source": "s", "target": "c", "sourceHandle": "meduim"}
]})";
    const auto r = check(flow);
    const auto& d = r.only("unknown-handle");
    CHECK(d.message ==
          "edge #3: sourceHandle 'meduim' is not a handle of node s (type switch): its handles "
          "are big, medium, default");
    CHECK(d.notes == Strings{"did you mean 'medium'?", "the edge would never fire"});
    CHECK(d.where.json_path == "$.edges[3].sourceHandle");
    CHECK(d.where.line == 14);
  }

  TEST_CASE("the legacy condition key of an edge is checked like sourceHandle") {
    const std::string flow = R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 5}},
  {"id": "c", "type": "condition", "data": {"condition": "input > 1"}},
  {"id": "t", "type": "text_input", "data": {"text": "big"}}
], "edges": [
  {"id": "e0", "source": "n", "target": "c"},
  {"id": "e1", "source": "c", "target": "t", "condition": "yes"}
]})";
    const auto r = check(flow);
    const auto& d = r.only("unknown-handle");
    CHECK(d.message ==
          "edge e1: condition 'yes' is not a handle of node c (type condition): its handles are "
          "true, false");
    CHECK(d.where.json_path == "$.edges[1].condition");
  }

  TEST_CASE("a handle on a node that does not route is a warning: the edge never fires") {
    const std::string flow = R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 5}},
  {"id": "s", "type": "split", "data": {"paths": ["a", "b"]}},
  {"id": "t", "type": "text_input", "data": {"text": "t"}}
], "edges": [
  {"id": "e0", "source": "n", "target": "s"},
  {"id": "e1", "source": "s", "target": "t", "sourceHandle": "a"}
]})";
    const auto r = check(flow);
    const auto& d = r.only("handle-never-fires");
    CHECK(d.severity == Severity::Warning);
    CHECK(d.message ==
          "edge e1: node s (type split) does not route, so this edge with sourceHandle 'a' never "
          "fires");
    CHECK(d.notes ==
          Strings{"an edge with a handle fires only when its source's result is an object whose "
                  "path or output_path equals the handle",
                  "node t runs only when another of its incoming edges fires; remove "
                  "\"sourceHandle\" (or set it to null) to make this edge unconditional"});
    CHECK(d.where.json_path == "$.edges[1].sourceHandle");
    CHECK(r.diags.size() == 1);
    CHECK(r.compiled != nullptr);
  }

  TEST_CASE("a node with fewer incoming edges than the inputs it needs fails when it runs") {
    const auto r = check(R"({"nodes": [
  {"id": "x", "type": "expression", "data": {"expression": "input * 2"}}
]})");
    const auto& d = r.only("missing-input");
    CHECK(d.severity == Severity::Error);
    CHECK(d.deferred);
    CHECK(d.message ==
          "node x (type expression) will fail when it runs: expression node needs at least 1 "
          "input");
    CHECK(d.notes == Strings{"no edge leads to it"});
    CHECK(d.where.json_path == "$.nodes[0]");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 3);
    CHECK(d.where.node_id == "x");
    // Deferred: the run still happens, and fails at that node with the
    // engine's message (D6).
    CHECK(r.compiled != nullptr);
    CHECK(r.diags.blocking_error_count() == 0);
    // Whatever the expression reads (spec 03 §3.3: `1 + 2` fails too).
    CHECK(
        check(R"({"nodes": [{"id": "x", "type": "expression", "data": {"expression": "1 + 2"}}]})")
            .only("missing-input")
            .deferred);

    const auto op = check(R"({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "p", "type": "operation", "data": {"op": "add"}}
], "edges": [{"source": "a", "target": "p"}]})");
    const auto& o = op.only("missing-input");
    CHECK(o.message ==
          "node p (type operation) will fail when it runs: operation needs 2 inputs, "
          "got 1");
    CHECK(o.notes == Strings{"only 1 edge leads to it"});
    // Inputs a kind does not need, or gets: nothing to say.
    CHECK(check(R"({"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                   {"id": "v", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
                   {"id": "g", "type": "variable", "data": {"var_name": "x", "var_op": "get"}}],
                   "edges": [{"source": "a", "target": "v"}, {"source": "v", "target": "g"}]})")
              .diags.empty());
    CHECK(check(R"({"nodes": [{"id": "r", "type": "renderer", "data": {}},
                   {"id": "c", "type": "cache", "data": {"cache_op": "get", "cache_key": "k"}}]})")
              .diags.empty());
    CHECK(check(R"({"nodes": [{"id": "s", "type": "cache",
                   "data": {"cache_op": "set", "cache_key": "k"}}]})")
              .only("missing-input")
              .message ==
          "node s (type cache) will fail when it runs: cache set operation "
          "requires an input value");
  }

  TEST_CASE("a failure a try_catch guard catches is a warning") {
    const std::string guarded = R"({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "op", "type": "operation", "data": {"op": "add"}},
  {"id": "tc", "type": "try_catch", "data": {"fallback_value": 0}}
], "edges": [{"source": "a", "target": "op"}, {"source": "op", "target": "tc"}]})";
    const auto r = check(guarded);
    const auto& d = r.only("missing-input");
    CHECK(d.severity == Severity::Warning);
    CHECK_FALSE(d.deferred);
    CHECK(d.notes == Strings{"only 1 edge leads to it",
                             "node tc (type try_catch) catches the failure, so the run goes on"});
    // With continue_on_error false the guard fails in turn: still an error.
    std::string strict = guarded;
    strict.replace(strict.find(R"("fallback_value": 0)"), 19, R"("continue_on_error": false)");
    const auto s = check(strict);
    const auto& e = s.only("missing-input");
    CHECK(e.severity == Severity::Error);
    CHECK(e.deferred);
  }

  TEST_CASE("a variable get that no earlier node sets fails when it runs") {
    const auto r = check(R"({"nodes": [
  {"id": "g", "type": "variable", "data": {"var_name": "total", "var_op": "get"}}
]})");
    const auto& d = r.only("variable-not-set");
    CHECK(d.severity == Severity::Error);
    CHECK(d.deferred);
    CHECK(d.message == "node g (type variable) will fail when it runs: variable 'total' not found");
    CHECK(d.notes == Strings{"no node that runs before it stores a variable 'total'"});
    CHECK(d.where.json_path == "$.nodes[0].data.var_name");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 56);
    CHECK(r.compiled != nullptr);
    CHECK(r.diags.size() == 1);
  }

  TEST_CASE("a set that runs earlier in the execution order counts, edge or not (01 §3.2)") {
    // Not the document order: "a" (set) has an edge, so it runs after every
    // orphan, "b" (get) included.
    CHECK(check(R"({"nodes": [
  {"id": "src", "type": "number", "data": {"value": 1}},
  {"id": "b", "type": "variable", "data": {"var_name": "x", "var_op": "get"}},
  {"id": "a", "type": "variable", "data": {"var_name": "x", "var_op": "set"}}
], "edges": [{"source": "src", "target": "a"}]})")
              .with_code("variable-not-set")
              .size() == 1);
    CHECK(check(R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "s", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
  {"id": "t", "type": "number", "data": {"value": 2}},
  {"id": "u", "type": "number", "data": {"value": 3}},
  {"id": "g", "type": "variable", "data": {"var_name": "x", "var_op": "get"}}
], "edges": [{"source": "n", "target": "s"}, {"source": "t", "target": "u"},
             {"source": "u", "target": "g"}]})")
              .diags.empty());  // s runs in the second wave, g in the third
  }

  TEST_CASE("a set that runs after the get is named, with the edge that fixes it") {
    const auto r = check(R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "s", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
  {"id": "g", "type": "variable", "data": {"var_name": "x", "var_op": "get"}}
], "edges": [{"source": "n", "target": "s"}]})");
    CHECK(r.only("variable-not-set").notes ==
          Strings{"node s stores 'x', but runs after this node; add an edge from s to g so that it "
                  "runs first"});
  }

  TEST_CASE("a variable name close to one that is set gets a did-you-mean") {
    const auto r = check(R"({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "s", "type": "variable", "data": {"var_name": "total", "var_op": "set"}},
  {"id": "g", "type": "variable", "data": {"var_name": "totl", "var_op": "get"}}
], "edges": [{"source": "n", "target": "s"}, {"source": "s", "target": "g"}]})");
    const auto& d = r.only("variable-not-set");
    CHECK(d.message == "node g (type variable) will fail when it runs: variable 'totl' not found");
    CHECK(d.notes == Strings{"did you mean 'total'?"});
  }

  TEST_CASE("a context value that cannot be its type fails the node when it runs") {
    const auto r = check(R"({"nodes": [
  {"id": "cv", "type": "context_variable", "data": {"context_values": [
    {"name": "ok", "value": "2", "type": "number"},
    {"name": "limit", "value": "lots", "type": "number"},
    {"name": "when", "value": "tomorrow", "type": "time_string"}]}}
]})");
    const auto found = r.with_code("fails-when-run");
    REQUIRE(found.size() == 2);
    const auto& d = *found[0];
    CHECK(d.severity == Severity::Error);
    CHECK(d.deferred);
    CHECK(d.message ==
          "node cv (type context_variable) will fail when it runs: context_variable node: error "
          "converting limit (number): cannot convert \"lots\" to number: not a number");
    CHECK(d.notes.empty());
    CHECK(d.where.json_path == "$.nodes[0].data.context_values[1].value");
    CHECK(d.where.line == 4);
    CHECK(d.where.column == 32);
    CHECK(found[1]->where.json_path == "$.nodes[0].data.context_values[2].value");
    CHECK(r.compiled != nullptr);
  }

  TEST_CASE("a context constant --set replaces cannot fail for its document value") {
    const std::string flow = R"({"nodes": [
  {"id": "cc", "type": "context_constant", "data": {"context_values": [
    {"name": "limit", "value": "CHANGE_ME", "type": "number"}]}}
]})";
    const auto r = check(flow);
    const auto& d = r.only("fails-when-run");
    CHECK(d.deferred);
    CHECK(d.notes == Strings{"unless the run gives the constant another value: --set limit=VALUE"});
    CHECK(check(flow, std::vector<std::string>{"limit"}).diags.empty());
    // Whether a value is given is not known: a warning.
    const auto unknown = check(flow, std::nullopt);
    CHECK(unknown.only("fails-when-run").severity == Severity::Warning);
  }
}
