/// Rendering of values and run results for the terminal: YAML and the text
/// summary of `execute`.
#pragma once

#include <string>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::app {

/// Block-style YAML (1.2 core schema) of a value; strings are quoted whenever
/// they would otherwise read as another type. Ends with a newline.
std::string to_yaml(const Value& v);

/// A readable summary: status, final output, one line per node, errors.
std::string render_run_text(const check::CompiledWorkflow& wf, const engine::RunResult& r,
                            bool color);

}  // namespace thaiyyal::app
