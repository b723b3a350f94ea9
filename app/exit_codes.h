/// Process exit codes, documented in `thaiyyal --help` and the man page.
#pragma once

namespace thaiyyal::app {

enum ExitCode : int {
  kExitOk = 0,         ///< success; the workflow is valid / the run succeeded
  kExitRunFailed = 1,  ///< a node failed, or an expression failed to evaluate
  kExitFindings = 1,   ///< validate --strict: warnings only; lint: findings at the failure level
  kExitUsage = 2,      ///< bad command line
  kExitInvalid = 3,    ///< the workflow failed to load or validate
  kExitIo = 4,         ///< a file could not be read, or an internal error
  kExitLimit = 5,      ///< a run-time limit or the time budget was exceeded
  kExitSignal = 128,   ///< + the signal number: interrupted (130 SIGINT, 143 SIGTERM)
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0    success (valid workflow, successful run)\n"
    "  1    the run failed (a node or an expression failed); validate --strict: warnings;\n"
    "       lint: findings at the failure level\n"
    "  2    usage error (unknown flag, bad value)\n"
    "  3    invalid workflow: load, validation or expression syntax error, or a load-time\n"
    "       limit (--max-nodes, --max-edges, --max-payload-size)\n"
    "  4    a file could not be read, or an internal error\n"
    "  5    a run-time limit stopped the run (time, node executions, HTTP calls, ...)\n"
    "  130  interrupted (SIGINT); 143 terminated (SIGTERM); the partial result is printed\n";

}  // namespace thaiyyal::app
