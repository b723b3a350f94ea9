// spawn_measure: runs a command N times in a row and prints the wall time and
// peak resident memory of each run, for the CLI benchmarks
// (tests/tools/measure_cli.py).
//
//   spawn_measure [-n N] COMMAND [ARGS...]
//
// Prints one line per run to stderr: "<wall ns> <peak RSS KiB> <exit code>";
// the command's stdin, stdout and stderr are /dev/null. The peak is the child's
// ru_maxrss, which includes the memory of the process that forked it: this
// small program forks it instead of a large interpreter, so the figure is
// the command's own.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

/// One run of argv; false when it could not be started or waited for.
bool run_once(char** argv) {
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    return false;
  }
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    ::execvp(argv[0], argv);
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) < 0) {
    std::perror("wait4");
    return false;
  }
  const auto wall = std::chrono::steady_clock::now() - started;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::fprintf(stderr, "%lld %ld %d\n",
               static_cast<long long>(std::chrono::nanoseconds(wall).count()), usage.ru_maxrss,
               code);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int first = 1;
  long runs = 1;
  if (argc > 2 && std::strcmp(argv[1], "-n") == 0) {
    runs = std::strtol(argv[2], nullptr, 10);
    first = 3;
  }
  if (argc <= first || runs < 1) {
    std::fputs("usage: spawn_measure [-n N] COMMAND [ARGS...]\n", stderr);
    return 2;
  }
  for (long i = 0; i < runs; ++i) {
    if (!run_once(argv + first)) return 2;
  }
  return 0;
}
