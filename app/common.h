/// Helpers shared by the commands: reading inputs, the limit flags, colour
/// detection, and the load-and-check stage every command starts with.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "thaiyyal/check/compiled_workflow.h"
#include "thaiyyal/diag/diagnostic.h"
#include "thaiyyal/diag/render.h"
#include "thaiyyal/model/limits.h"

namespace thaiyyal::app {

/// A file or stdin that could not be read; maps to exit code 4.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads `path` ("-" = stdin) into a SourceFile. Refuses directories and
/// anything larger than `hard_cap` bytes. Throws IoError.
std::shared_ptr<const diag::SourceFile> read_source(const std::string& path,
                                                    std::uint64_t hard_cap = 512ull << 20);

enum class ColorMode { Auto, Always, Never };
void add_color_flag(CLI::App& cmd, ColorMode& mode);
/// Whether to colour output written to `fd` (NO_COLOR and TERM=dumb respected).
bool use_color(ColorMode mode, int fd);

/// Writes every diagnostic of `diags`, compiler style, to `file`.
void print_diagnostics(std::FILE* file, const diag::Diagnostics& diags, bool color);

/// Loads and checks one source; every problem goes to `diags`. Returns the
/// compiled workflow, or nullptr when it has errors. `loaded` receives the
/// loaded document when loading got that far (for summaries).
std::shared_ptr<const check::CompiledWorkflow> load_and_check(
    const std::shared_ptr<const diag::SourceFile>& source, const Limits& limits,
    diag::Diagnostics& diags, std::shared_ptr<const Workflow>* loaded = nullptr);

}  // namespace thaiyyal::app
