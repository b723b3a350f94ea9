#!/usr/bin/env python3
"""`validate` accepts every workflow the engine runs successfully (D17).

For each workflow case of a conformance folder (the shared suite's
`conformance/` tree, or any folder of case files in its format), the case's
"workflow" (or "workflow_yaml") is written to a temporary file and checked
with `thaiyyal validate`. The flags of the case that validate also takes
(--set and the load-time limits) are passed on. Reported:

  * cases whose expect.ok is true that fail validation (exit 3): a workflow
    the engine runs must validate, so each one is a false error;
  * with --warnings, also every warning validate prints for such cases, to
    look for false positives among them.

Not part of `make test`: the shared suite may be absent from a checkout.

usage: validate_conformance.py --bin build/thaiyyal --cases ../shared/conformance [--warnings]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

# Flags of `execute` that `validate` also accepts, and whether they take a value.
SHARED_FLAGS = {"--set": True, "--max-nodes": True, "--max-edges": True,
                "--max-payload-size": True}


def validate_flags(flags):
    """The subset of a case's execute flags that validate takes."""
    out = []
    i = 0
    while i < len(flags):
        flag = flags[i]
        name = flag.split("=", 1)[0]
        takes_value = SHARED_FLAGS.get(name)
        if takes_value is None:
            # An execute-only flag; skip its value when it is a separate word.
            if "=" not in flag and i + 1 < len(flags) and not flags[i + 1].startswith("--"):
                i += 1
            i += 1
            continue
        out.append(flag)
        if takes_value and "=" not in flag and i + 1 < len(flags):
            out.append(flags[i + 1])
            i += 1
        i += 1
    return out


def case_files(folder):
    return sorted(glob.glob(os.path.join(folder, "**", "*.json"), recursive=True))


def check(binary, path, show_warnings):
    """A list of report lines for one case file."""
    with open(path, encoding="utf-8") as f:
        try:
            case = json.load(f)
        except json.JSONDecodeError:
            return []
    if not isinstance(case, dict) or ("workflow" not in case and "workflow_yaml" not in case):
        return []
    if not case.get("expect", {}).get("ok"):
        return []
    if "workflow_yaml" in case:
        text, suffix = case["workflow_yaml"], ".yaml"
    else:
        text, suffix = json.dumps(case["workflow"], indent=2), ".json"
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8") as tf:
        tf.write(text)
        wf = tf.name
    try:
        p = subprocess.run([binary, "validate", "--color", "never", wf] +
                           validate_flags(case.get("flags", [])),
                           capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(wf)
    name = os.path.relpath(path)
    output = (p.stdout + p.stderr).replace(wf, "flow" + suffix).rstrip()
    if p.returncode != 0:
        return ["%s: validate exits %d on a workflow the engine runs:\n%s" %
                (name, p.returncode, indent(output))]
    if show_warnings and "warning[" in output:
        return ["%s: warnings:\n%s" % (name, indent(output))]
    return []


def indent(text):
    return "\n".join("    " + line for line in text.splitlines())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the thaiyyal binary")
    ap.add_argument("--cases", required=True, help="folder of conformance case files")
    ap.add_argument("--warnings", action="store_true", help="also list warnings of passing cases")
    args = ap.parse_args()
    files = case_files(args.cases)
    if not files:
        print("no case files under %s" % args.cases, file=sys.stderr)
        return 2
    failures = warned = 0
    for path in files:
        for line in check(args.bin, path, args.warnings):
            print(line)
            if "validate exits" in line:
                failures += 1
            else:
                warned += 1
    print("%d case files, %d ok cases fail validation%s" %
          (len(files), failures, ", %d with warnings" % warned if args.warnings else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
