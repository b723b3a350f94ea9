/// Static checks of `{{ const.x }}` / `{{ variable.x }}` templates (decisions
/// D12, D20), run by compile_workflow on what the kinds recorded while they
/// parsed (nodes/config_facts.h), so no check knows which kind has which field.
#pragma once

#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/workflow.h"
#include "thaiyyal/nodes/config_facts.h"

namespace thaiyyal::check {

/// Adds to `diags`, each located at the exact placeholder inside its string:
///  * `unknown-placeholder` (error): `{{ const.x }}` where no context_constant
///    node defines x and x is not among options.constants (a warning when
///    options.constants is nullopt: the value may still be given at run
///    time), and `{{ variable.x }}` where no context_variable node defines x
///    (context variables come only from those nodes, so always an error);
///    with a did-you-mean over the names that are defined;
///  * `malformed-placeholder` (warning): a `{{` in a template that does not
///    start a placeholder (`{{ cnst.x }}`, `{{ const. }}`, `{{const.x}`),
///    with a hint;
///  * `template-in-expression` (warning): a placeholder inside an expression
///    field, which is never expanded (D20: use context.x);
///  * `placeholder-not-expanded` (warning): a placeholder in any other string
///    of a node's data (a field that is not a template).
/// `facts` is indexed like wf.nodes.
void check_templates(const Workflow& wf, const std::vector<nodes::ConfigFacts>& facts,
                     const CheckOptions& options, diag::Diagnostics& diags);

}  // namespace thaiyyal::check
