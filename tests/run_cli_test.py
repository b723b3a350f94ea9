#!/usr/bin/env python3
"""Runs one CLI golden test case on the built binary.

A case is a directory holding:
  args     the command-line arguments, one per line (after the program name);
           the token @DIR@ is replaced by the case directory's absolute path
  stdin    optional: fed to standard input
  env      optional: NAME=VALUE lines added to the environment
  stdout   optional: the exact expected standard output
  stderr   optional: the exact expected standard error
  stdout_contains / stderr_contains
           optional: lines that must each appear somewhere in that stream
  exit     the expected exit status (default 0)
The command runs with the case directory as its working directory, NO_COLOR set.
"""
import os
import subprocess
import sys


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    binary, case = sys.argv[1], os.path.abspath(sys.argv[2])
    args = [a.replace("@DIR@", case) for a in read(os.path.join(case, "args"), "").splitlines()]
    stdin = read(os.path.join(case, "stdin"))
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    for line in read(os.path.join(case, "env"), "").splitlines():
        if "=" in line:
            name, value = line.split("=", 1)
            env[name] = value
    try:
        proc = subprocess.run([binary] + args, cwd=case, input=stdin, capture_output=True,
                              text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        print("FAIL: timed out after 60 s")
        return 1
    failures = []
    want_exit = int((read(os.path.join(case, "exit"), "0").strip() or "0"))
    if proc.returncode != want_exit:
        failures.append("exit status %d, expected %d" % (proc.returncode, want_exit))
    for stream, got in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        want = read(os.path.join(case, stream))
        if want is not None and got != want:
            failures.append("%s differs:\n--- expected\n%s--- got\n%s" % (stream, want, got))
        contains = read(os.path.join(case, stream + "_contains"))
        if contains is not None:
            for line in contains.splitlines():
                if line and line not in got:
                    failures.append("%s lacks %r; got:\n%s" % (stream, line, got))
    if failures:
        print("FAIL %s\n%s" % (os.path.basename(case), "\n".join(failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
