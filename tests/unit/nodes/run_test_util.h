/// Helpers for executor tests: run a workflow given as inline JSON through the
/// engine, with test-only fake kinds (looked up first) on top of the registry.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/load/loader.h"
#include "thaiyyal/model/value_json.h"
#include "thaiyyal/nodes/config_reader.h"
#include "thaiyyal/nodes/node_kind.h"
#include "thaiyyal/nodes/run_context.h"

namespace thaiyyal::nodes::testing {

/// The outcome of one run, with shortcuts for assertions.
struct Ran {
  engine::RunResult result;
  std::vector<std::string> warnings;  ///< "<node id>: <message>"

  bool ok() const { return result.ok(); }
  /// A node's result as compact JSON text ("<none>" when it has none).
  std::string of(std::string_view id) const {
    const Value* v = result.node_results.find(id);
    return v ? to_json(*v) : std::string("<none>");
  }
  const Value* value(std::string_view id) const { return result.node_results.find(id); }
  std::string error() const { return result.errors.empty() ? "" : result.errors.front(); }
};

struct ConstConfig final : NodeConfig {
  Value value;
};

inline std::unique_ptr<const NodeConfig> parse_const(ConfigReader& r) {
  auto c = std::make_unique<ConstConfig>();
  if (const Value* v = r.any("value")) c->value = *v;
  return c;
}

inline Value run_const(const NodeConfig& c, RunContext&, std::span<const Value>) {
  return static_cast<const ConstConfig&>(c).value;
}

/// `const`: yields data.value (any JSON), ignoring its inputs, so a case can
/// state its input literally.
inline const KindInfo kConstKinds[] = {
    {"const", Category::Input, "constant", "{}", parse_const, run_const},
};

/// Compiles `json` with `fakes` taking precedence over the registry, and runs it.
inline Ran run_with(std::span<const KindInfo> fakes, const std::string& json,
                    engine::RunOptions opts = {}) {
  diag::Diagnostics diags;
  auto file = std::make_shared<diag::SourceFile>("test.json", json);
  auto wf = load::load_workflow(file, {}, diags);
  REQUIRE(wf.has_value());
  auto lookup = [fakes](std::string_view name) -> const KindInfo* {
    for (const auto& k : fakes) {
      if (k.name == name) return &k;
    }
    return find_kind(name);
  };
  auto compiled =
      check::compile_workflow(std::make_shared<const Workflow>(std::move(*wf)), diags, lookup);
  for (const auto& d : diags.all()) INFO(d.message);
  REQUIRE(compiled != nullptr);
  Ran ran;
  auto* warnings = &ran.warnings;
  opts.warn = [warnings](std::string_view id, std::string_view message) {
    warnings->push_back(std::string(id) + ": " + std::string(message));
  };
  ran.result = engine::run_workflow(*compiled, opts);
  return ran;
}

}  // namespace thaiyyal::nodes::testing
