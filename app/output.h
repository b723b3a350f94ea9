/// Rendering of values and run results for the terminal: YAML and the text
/// summary of `execute`.
#pragma once

#include <cstdio>
#include <string>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/engine/engine.h"
#include "thaiyyal/model/value.h"

namespace thaiyyal::app {

/// Block-style YAML (1.2 core schema) of a value; strings are quoted whenever
/// they would otherwise read as another type. Ends with a newline.
std::string to_yaml(const Value& v);
/// The same, written to `file` as it is produced.
void write_yaml(std::FILE* file, const Value& v);

/// JSON (`indent` spaces, 0 = compact) and a newline, written to `file` as it
/// is produced. Throws JsonWriteError for a value JSON cannot encode (text
/// already written stays written).
void write_json(std::FILE* file, const Value& v, int indent);

/// Whether JSON can encode `v` (no NaN or infinity anywhere in it).
bool encodable(const Value& v);

/// A readable summary: status, one line per node, final output (the run's
/// errors are the caller's to print, on stderr).
void write_run_text(std::FILE* file, const check::CompiledWorkflow& wf, const engine::RunResult& r,
                    bool color);

}  // namespace thaiyyal::app
