#!/usr/bin/env python3
"""`thaiyyal lint` never crashes on a corpus of workflows.

Writes the workflow of every case file under --cases (the conformance suite's
format: a "workflow" object or a "workflow_yaml" text; cases that expect a
load failure included) into a temporary folder, lints the folder once in
every output format, and checks that each run exits 0, 1 or 3 with output
that parses, that every file was linted, and that no rule failed
(lint-internal-error). --examples DIR lints a folder of workflow files as
they are, too. Prints how many findings each rule gave, to look for false
positives.

A --cases folder that does not exist is left out (the shared suite may be
absent from a checkout); exit 77 (skip) when nothing is left to lint.

usage: lint_corpus.py --bin build/thaiyyal --cases ../shared/conformance [--examples examples]
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def write_cases(folder, out):
    n = 0
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.json"), recursive=True)):
        try:
            with open(path, encoding="utf-8") as f:
                case = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if not isinstance(case, dict):
            continue
        if "workflow_yaml" in case and isinstance(case["workflow_yaml"], str):
            text, suffix = case["workflow_yaml"], ".yaml"
        elif "workflow" in case:
            text, suffix = json.dumps(case["workflow"], indent=2), ".json"
        else:
            continue
        name = os.path.relpath(path, folder).replace(os.sep, "__")[:-5] + suffix
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
        n += 1
    return n


def lint(binary, folder, fmt):
    p = subprocess.run([binary, "lint", "--color", "never", "--format", fmt, folder],
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check_folder(binary, folder, expected_files, failures):
    counts = collections.Counter()
    rc, out, err = lint(binary, folder, "json")
    if rc not in (0, 1, 3):
        failures.append("%s: lint --format json exits %d: %s" % (folder, rc, err.strip()))
        return counts
    try:
        report = json.loads(out)
    except json.JSONDecodeError as e:
        failures.append("%s: lint --format json prints no JSON: %s" % (folder, e))
        return counts
    if len(report["files"]) != expected_files:
        failures.append("%s: %d files linted, expected %d" %
                        (folder, len(report["files"]), expected_files))
    for f in report["files"]:
        for finding in f["findings"]:
            counts[finding["rule"]] += 1
            if finding["rule"] == "lint-internal-error":
                failures.append("%s: %s" % (f["file"], finding["message"]))
    for fmt in ("text", "sarif", "github", "junit", "checkstyle"):
        frc, fout, ferr = lint(binary, folder, fmt)
        if frc != rc:
            failures.append("%s: --format %s exits %d, --format json %d: %s" %
                            (folder, fmt, frc, rc, ferr.strip()))
        try:
            if fmt == "sarif":
                json.loads(fout)
            elif fmt in ("junit", "checkstyle"):
                ET.fromstring(fout)
        except (json.JSONDecodeError, ET.ParseError) as e:
            failures.append("%s: --format %s output does not parse: %s" % (folder, fmt, e))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--cases")
    ap.add_argument("--examples")
    args = ap.parse_args()
    if args.cases and not os.path.isdir(args.cases):
        print("no case folder at %s: only the examples are linted" % args.cases)
        args.cases = None
    if not args.cases and not args.examples:
        print("SKIP nothing to lint")
        return 77
    failures = []
    counts = collections.Counter()
    if args.cases:
        with tempfile.TemporaryDirectory() as tmp:
            n = write_cases(args.cases, tmp)
            counts += check_folder(args.bin, tmp, n, failures)
            print("%d conformance workflows linted" % n)
    if args.examples:
        n = len([p for p in glob.glob(os.path.join(args.examples, "**", "*"), recursive=True)
                 if p.endswith((".json", ".yaml", ".yml"))])
        counts += check_folder(args.bin, args.examples, n, failures)
    for rule, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print("%6d %s" % (n, rule))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
