/// Process exit codes, documented in `thaiyyal --help` and the man page.
#pragma once

namespace thaiyyal::app {

enum ExitCode : int {
  kExitOk = 0,         ///< success; the workflow is valid / the run succeeded
  kExitRunFailed = 1,  ///< a node failed, or an expression failed to evaluate
  kExitUsage = 2,      ///< bad command line
  kExitInvalid = 3,    ///< the workflow failed to load or validate
  kExitIo = 4,         ///< a file could not be read, or an internal error
  kExitLimit = 5,      ///< a limit or the time budget was exceeded
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success (valid workflow, successful run)\n"
    "  1  the run failed (a node or expression failed)\n"
    "  2  usage error (unknown flag, bad value)\n"
    "  3  invalid workflow (load, validation or expression syntax error)\n"
    "  4  a file could not be read, or an internal error\n"
    "  5  a limit was exceeded (time, node executions, HTTP calls, ...)\n";

}  // namespace thaiyyal::app
