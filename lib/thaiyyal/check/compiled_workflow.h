/// The check module runs every static check on a loaded workflow (graph,
/// node kinds, node configuration, expressions) and produces the immutable,
/// runnable `CompiledWorkflow`. It collects every diagnostic instead of
/// stopping at the first, and never runs a node.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/graph/dag.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/nodes/config_facts.h"
#include "thaiyyal/nodes/node_kind.h"

namespace thaiyyal::check {

/// A workflow that passed every check: the document, its graph, and for each
/// node its kind and parsed configuration (same index as `workflow->nodes`).
/// Immutable; safe to share between concurrent runs.
struct CompiledWorkflow {
  std::shared_ptr<const Workflow> workflow;
  graph::Dag dag;
  std::vector<const nodes::KindInfo*> kinds;
  std::vector<std::unique_ptr<const nodes::NodeConfig>> configs;
  /// For each node, its templates, expressions and context definitions
  /// (what whole-workflow checks such as check_context_reads look at).
  std::vector<nodes::ConfigFacts> facts;
};

/// What the checks cannot see in the document itself.
struct CheckOptions {
  /// The names of the context constants given from outside the workflow
  /// (`--set NAME=VALUE`, engine::RunOptions::constants); they count as
  /// defined for `{{ const.NAME }}`. nullopt when the caller does not say (a
  /// library user compiling once to run with various constants): a
  /// `{{ const.x }}` that no context_constant node defines is then a warning
  /// instead of an error.
  std::optional<std::vector<std::string>> constants;
};

/// Finds the kind for a type name; the default is the built-in registry.
/// Tests substitute their own to add fake kinds.
using KindLookup = std::function<const nodes::KindInfo*(std::string_view)>;

/// Checks `wf` and adds every problem to `diags`. Returns the compiled form
/// when there are no blocking errors (warnings and deferred errors, which are
/// certain run-time failures, do not prevent it), else nullptr.
std::shared_ptr<const CompiledWorkflow> compile_workflow(std::shared_ptr<const Workflow> wf,
                                                         diag::Diagnostics& diags,
                                                         const KindLookup& lookup = {},
                                                         const CheckOptions& options = {});

}  // namespace thaiyyal::check
