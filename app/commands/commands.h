/// One registration function per command (app/commands/<cmd>.cpp). Each binds
/// its flags into its own options struct and, when the command runs, stores the
/// process exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace thaiyyal::app {

void register_validate(CLI::App& app, int& exit_code);
void register_lint(CLI::App& app, int& exit_code);
void register_eval(CLI::App& app, int& exit_code);
void register_execute(CLI::App& app, int& exit_code);
void register_serve(CLI::App& app, int& exit_code);
void register_store_commands(CLI::App& app, int& exit_code);

}  // namespace thaiyyal::app
