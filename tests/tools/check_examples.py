#!/usr/bin/env python3
"""Every example says what it prints, and prints it.

Each workflow in examples/ (not its subfolders, which need a network) states
its final output: a YAML file in a comment line `# Output: <JSON>`, a JSON
file at the end of its "description" (`... Output: <JSON>`). A YAML comment
line `# Run: ARGS` gives extra arguments (e.g. `--set threshold=200`). The
example is run with `execute --output json` and its final_output compared.

usage: check_examples.py THAIYYAL EXAMPLES_DIR
"""
import json
import os
import shlex
import subprocess
import sys


def expectation(path):
    """(expected final output, extra args), or None when the file states none."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    args = []
    if path.endswith(".json"):
        desc = json.loads(text).get("description", "")
        if " Output: " not in desc:
            return None
        return json.loads(desc.rsplit(" Output: ", 1)[1]), args
    want = None
    for line in text.splitlines():
        if line.startswith("# Output: "):
            want = json.loads(line[len("# Output: "):])
        elif line.startswith("# Run: "):
            args = shlex.split(line[len("# Run: "):])
    return None if want is None else (want, args)


def main():
    binary, folder = sys.argv[1], sys.argv[2]
    failures = []
    names = sorted(n for n in os.listdir(folder)
                   if n.endswith((".json", ".yaml", ".yml")) and
                   os.path.isfile(os.path.join(folder, n)))
    for name in names:
        path = os.path.join(folder, name)
        exp = expectation(path)
        if exp is None:
            failures.append("%s: states no output (# Output: or description '... Output:')" % name)
            continue
        want, args = exp
        p = subprocess.run([binary, "execute", path, "--output", "json"] + args,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            failures.append("%s: exit %d: %s" % (name, p.returncode, p.stderr.strip()[:300]))
            continue
        if p.stderr.strip():
            failures.append("%s: unexpected stderr: %s" % (name, p.stderr.strip()[:300]))
        got = json.loads(p.stdout)["final_output"]
        if got != want:
            failures.append("%s: prints %s, its comment says %s" %
                            (name, json.dumps(got), json.dumps(want)))
    for f in failures:
        print("FAIL", f)
    print("%d examples checked, %d failures" % (len(names), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
