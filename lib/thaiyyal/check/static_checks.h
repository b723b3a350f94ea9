/// Whole-workflow checks of what the graph does with each configured node
/// (decision D17: a workflow that validates never fails for a structural
/// reason). They read what each kind says about a configured node through its
/// KindInfo::describe hook (nodes::NodeTraits), so no check knows which kind
/// has which keys; compile_workflow runs them once every node is parsed.
#pragma once

#include <memory>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/graph/dag.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/nodes/node_kind.h"

namespace thaiyyal::check {

/// Adds to `diags`:
///  * `unknown-handle` (error), at the edge's `sourceHandle` (or legacy
///    `condition`) key: an edge out of a routing node (condition, switch)
///    whose handle is none of those the node can route to, so the edge never
///    fires; the message lists the node's handles, with a did-you-mean;
///  * `handle-never-fires` (warning), at the same key: an edge with a handle
///    out of a node that does not route (spec 01 §3.4: it fires only if the
///    node's result happens to carry a matching `path`/`output_path`);
///  * `missing-input` (deferred error), at the node: a node with fewer
///    incoming edges than the inputs it needs, which fails whenever it runs
///    (`expression node needs at least 1 input`);
///  * `variable-not-set` (deferred error), at the key naming the variable: a
///    node that fails without a run variable (variable `get`) when no node
///    that stores it runs before it in the execution order (01 §3.2: the
///    order is fixed before the run, so a node that comes earlier has run,
///    or been skipped, by then), with a note on a store that runs later and
///    a did-you-mean over the names that are stored;
///  * `fails-when-run` (deferred error): each PendingFailure of a node, unless
///    its context constant is among `options.constants` (a warning instead
///    when options.constants is nullopt: the value may still be given at run
///    time).
/// Deferred errors do not stop a run (Diagnostic::deferred). `kinds` and
/// `configs` are indexed like wf.nodes; nodes whose configuration did not
/// parse (null kind) are left out.
void check_static(const Workflow& wf, const graph::Dag& dag,
                  const std::vector<const nodes::KindInfo*>& kinds,
                  const std::vector<std::unique_ptr<const nodes::NodeConfig>>& configs,
                  const CheckOptions& options, diag::Diagnostics& diags);

}  // namespace thaiyyal::check
