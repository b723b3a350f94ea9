/// Helpers for the nodes tests: load a workflow from inline JSON, compile it
/// and collect the diagnostics.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/load/loader.h"

namespace thaiyyal::nodes::testing {

/// The diagnostics and, when there were no errors, the compiled workflow.
struct Checked {
  diag::Diagnostics diags;
  std::shared_ptr<const check::CompiledWorkflow> compiled;

  /// Messages of the diagnostics of one severity, in report order.
  std::vector<std::string> messages(diag::Severity s) const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) {
      if (d.severity == s) out.push_back(d.message);
    }
    return out;
  }
  std::vector<std::string> errors() const { return messages(diag::Severity::Error); }
  /// The errors as a run result's `errors` word them (Diagnostic::result_text).
  std::vector<std::string> result_texts() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) {
      if (d.severity == diag::Severity::Error) out.push_back(d.result_text());
    }
    return out;
  }
  std::vector<std::string> warnings() const { return messages(diag::Severity::Warning); }
  /// The first diagnostic of a severity (REQUIREs that there is one).
  const diag::Diagnostic& first(diag::Severity s = diag::Severity::Error) const {
    for (const auto& d : diags.all()) {
      if (d.severity == s) return d;
    }
    FAIL("no diagnostic of the requested severity");
    return diags.all().front();
  }
};

/// Loads `text` as flow.json and compiles it.
inline Checked check_text(std::string_view text) {
  Checked c;
  auto file = std::make_shared<diag::SourceFile>("flow.json", std::string(text));
  auto wf = load::load_workflow(file, load::LoadOptions{}, c.diags);
  REQUIRE(wf.has_value());
  c.compiled = check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), c.diags);
  return c;
}

/// Node "n" of `type` with `data` (JSON text), fed by two number nodes
/// written after it (so that a kind that needs inputs has them, and n's data
/// is at the start of line 1).
inline Checked check_node(std::string_view type, std::string_view data) {
  return check_text(fmt::format(
      R"({{"nodes": [{{"id": "n", "type": "{}", "data": {}}}, )"
      R"({{"id": "in1", "type": "number", "data": {{"value": 1}}}}, )"
      R"({{"id": "in2", "type": "number", "data": {{"value": 2}}}}],)"
      "\n"
      R"("edges": [{{"source": "in1", "target": "n"}}, {{"source": "in2", "target": "n"}}]}})",
      type, data));
}

/// The load-error prefix for node "n" of `type`.
/// Configuration errors carry the problem alone as their message; the Go
/// engine's `failed to unmarshal data for node n (type <type>): ` prefix is
/// only in their reference text (see reference_prefix).
inline std::string prefix(std::string_view /*type*/) { return {}; }

/// The prefix of a configuration error's reference text (a run result's
/// `errors`).
inline std::string reference_prefix(std::string_view type) {
  return fmt::format("failed to unmarshal data for node n (type {}): ", type);
}

/// `prefix(type)` followed by each detail.
inline std::vector<std::string> expected(std::string_view type,
                                         const std::vector<std::string>& details) {
  std::vector<std::string> out;
  for (const auto& d : details) out.push_back(prefix(type) + d);
  return out;
}

}  // namespace thaiyyal::nodes::testing
