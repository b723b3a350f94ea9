#!/usr/bin/env python3
"""Every command's help is clean text: no NUL or other control bytes, no
CLI11 internals (`ENUM:`, `value in {a->0,...}`), and every enumerated option
lists its values as {a,b,c}.

usage: check_help.py THAIYYAL
"""
import re
import subprocess
import sys

COMMANDS = ["execute", "run", "validate", "eval", "serve"]
ENUMERATED = {
    "execute": ["--log-level {debug,info,warn,error,off}", "--log-format {text,json}",
                "--color {auto,always,never}", "--output,--format {text,json,yaml}"],
    "validate": ["--color {auto,always,never}", "--format,--output {text,json}"],
    "serve": ["--log-level {debug,info,warn,error,off}", "--log-format {text,json}"],
}


def main():
    binary = sys.argv[1]
    failures = []
    runs = [["--help"], ["help"]]
    for cmd in COMMANDS:
        runs += [["help", cmd], [cmd, "--help"]]
    for args in runs:
        p = subprocess.run([binary] + args, capture_output=True)
        label = "thaiyyal " + " ".join(args)
        if p.returncode != 0:
            failures.append("%s: exit %d" % (label, p.returncode))
        text = p.stdout
        bad = sorted({b for b in text if b < 0x20 and b not in (0x0A,)} | ({0x7F} & set(text)))
        if bad:
            failures.append("%s: control bytes %s" % (label, bad))
        decoded = text.decode("utf-8", "replace")
        for pattern in (r"ENUM:", r"->", r"value in \{", r" OR \{"):
            if re.search(pattern, decoded):
                failures.append("%s: contains %r" % (label, pattern))
        for want in ENUMERATED.get(args[-1] if args[0] == "help" else args[0], []):
            if want not in decoded:
                failures.append("%s: lacks %r" % (label, want))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
