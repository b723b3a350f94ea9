/// The one way every command turns a source text into a runnable workflow:
/// load (syntax, document shape, limits on size), then every static check.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/model/limits.h"
#include "thaiyyal/model/workflow.h"

namespace thaiyyal::check {

/// Loads and checks one source; every problem goes to `diags`. Returns the
/// compiled workflow, or nullptr when it has blocking errors. `constants` are
/// the names given with --set: they count as defined for templates, and one
/// that nothing reads is a warning. `loaded` receives the loaded document
/// when loading got that far (for summaries).
std::shared_ptr<const check::CompiledWorkflow> load_and_check(
    const std::shared_ptr<const diag::SourceFile>& source, const Limits& limits,
    const std::vector<std::string>& constants, diag::Diagnostics& diags,
    std::shared_ptr<const Workflow>* loaded = nullptr);

}  // namespace thaiyyal::check
