#!/usr/bin/env python3
"""The manual page is the binary's help, current and clean.

  check_man.py THAIYYAL MAN_PAGE

Checks that MAN_PAGE (man/thaiyyal.1) is exactly what tests/tools/gen_man.py
writes from THAIYYAL's help (so a new flag or changed text means
regenerating it), that `mandoc -Tlint -W warning` finds nothing in it, and
that every command and every long flag of every command's help is in it.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_completions as gc  # noqa: E402
import gen_man  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, page = sys.argv[1], sys.argv[2]
    failures = []
    with open(page) as f:
        committed = f.read()
    top = gc.load(binary)
    fresh = gen_man.generate(binary, top)
    if committed != fresh:
        failures.append("%s is not what gen_man.py writes from the help; regenerate it with "
                        "`python3 tests/tools/gen_man.py build/thaiyyal %s`" % (page, page))
    lint = subprocess.run(["mandoc", "-Tlint", "-W", "warning", page], capture_output=True,
                          text=True)
    if lint.returncode != 0 or lint.stdout.strip() or lint.stderr.strip():
        failures.append("mandoc -Tlint: " + (lint.stdout + lint.stderr).strip())
    plain = committed.replace("\\-", "-").replace("\\fB", "").replace("\\fP", "").replace(
        "\\fI", "")

    def walk(cmd):
        for opt in cmd.options:
            for name in opt.names:
                if name.startswith("--") and not re.search(
                        r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", plain):
                    failures.append("%s: %s is not in the page" % (" ".join(cmd.path), name))
        for sub in cmd.subcommands:
            if ".SS " + " ".join(sub.path) not in plain:
                failures.append("command %s has no section" % " ".join(sub.path))
            walk(sub)

    walk(top)
    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    print("ok: %s matches the help and is lint-clean" % page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
