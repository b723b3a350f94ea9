#!/usr/bin/env python3
"""Runs one CLI golden test case on the built binary.

A case is a directory holding:
  args     the command-line arguments, one per line (after the program name);
           the token @DIR@ is replaced by the case directory's absolute path
  stdin    optional: fed to standard input
  env      optional: NAME=VALUE lines added to the environment (@DIR@ is replaced
           as in args)
  stdout   optional: the exact expected standard output
  stderr   optional: the exact expected standard error
  stdout_contains / stderr_contains
           optional: lines that must each appear somewhere in that stream
  stdout_not_contains / stderr_not_contains
           optional: lines that must not appear anywhere in that stream
  exit     the expected exit status (default 0)
  server   optional: starts the local HTTP test server (tests/tools/http_fixture.py)
           for the duration of the case. The token @SERVER@ is then replaced by
           its base URL ("http://127.0.0.1:PORT") in the text of every file of
           the case (args, stdin, env, expected output, workflows, ...): the case
           runs in a temporary copy made with the substitutions, and @DIR@ is
           that copy. When the file contains the word "two", a second server is
           started too and @SECOND_SERVER@ is its base URL (another origin).
The command runs with the case directory as its working directory, NO_COLOR set.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return f.read()


def copy_with_substitutions(case, dest, substitutions):
    """Copies the case directory to `dest`, replacing tokens in every text file."""
    shutil.copytree(case, dest)
    for root, _, files in os.walk(dest):
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    text = f.read()
            except UnicodeDecodeError:
                continue  # binary files are copied as they are
            replaced = text
            for token, value in substitutions.items():
                replaced = replaced.replace(token, value)
            if replaced != text:
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(replaced)


def run_case(binary, case, name):
    args = [a.replace("@DIR@", case) for a in read(os.path.join(case, "args"), "").splitlines()]
    stdin = read(os.path.join(case, "stdin"))
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    for line in read(os.path.join(case, "env"), "").splitlines():
        if "=" in line:
            var, value = line.split("=", 1)
            env[var] = value.replace("@DIR@", case)
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
        not_contains = read(os.path.join(case, stream + "_not_contains"))
        if not_contains is not None:
            for line in not_contains.splitlines():
                if line and line in got:
                    failures.append("%s has %r; got:\n%s" % (stream, line, got))
    if failures:
        print("FAIL %s\n%s" % (name, "\n".join(failures)))
        return 1
    return 0


def main():
    binary, case = sys.argv[1], os.path.abspath(sys.argv[2])
    name = os.path.basename(case)
    server = read(os.path.join(case, "server"))
    if server is None:
        return run_case(binary, case, name)
    import http_fixture  # noqa: E402 - only cases with a server need it
    urls = {"@SERVER@": http_fixture.start()}
    if "two" in server.split():
        urls["@SECOND_SERVER@"] = http_fixture.start()
    try:
        with tempfile.TemporaryDirectory(prefix="cli-case-") as tmp:
            copy = os.path.join(tmp, name)
            copy_with_substitutions(case, copy, urls)
            return run_case(binary, copy, name)
    finally:
        for url in urls.values():
            http_fixture.stop(url)


if __name__ == "__main__":
    sys.exit(main())
