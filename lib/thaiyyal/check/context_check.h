/// Whole-workflow checks of context constants given from outside the
/// workflow (`--set NAME=VALUE`, decisions D12, D20).
#pragma once

#include <string>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"

namespace thaiyyal::check {

/// Adds a warning (code `unused-set`, no file location) for each name of
/// `set_names` that no node can read:
///   --set region: no node reads this constant ({{ const.region }} or context.region)
/// with a "did you mean" note when a name the workflow does read is close.
/// A name is read by a `{{ const.NAME }}` placeholder in a template field or
/// by an expression reading `context.NAME` (also `context?.NAME`,
/// `context["NAME"]`). An expression that uses `context` as a whole or with
/// a computed key (`context[k]`) may read any name, so then nothing is
/// reported. Each distinct name is reported once, in the order given.
void check_context_reads(const CompiledWorkflow& wf, const std::vector<std::string>& set_names,
                         diag::Diagnostics& diags);

}  // namespace thaiyyal::check
