#!/usr/bin/env python3
"""SIGINT and SIGTERM stop `thaiyyal execute` promptly with exit 128 + signal
(130, 143) and the partial result still printed.

usage: check_signals.py THAIYYAL WORKFLOW
"""
import json
import signal
import subprocess
import sys
import time


def interrupt(binary, workflow, sig, extra):
    proc = subprocess.Popen([binary, "execute", workflow, "--max-node-time", "0",
                             "--max-execution-time", "0"] + extra,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    started = time.monotonic()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err, time.monotonic() - started


def main():
    binary, workflow = sys.argv[1], sys.argv[2]
    failures = []

    code, out, err, took = interrupt(binary, workflow, signal.SIGINT, [])
    if code != 130:
        failures.append("SIGINT: exit %s, expected 130; stderr: %s" % (code, err))
    if "workflow cancelled" not in out or "a " not in out:
        failures.append("SIGINT: the partial summary is missing: %r" % out)
    if "error: workflow execution cancelled" not in err:
        failures.append("SIGINT: stderr lacks the cancellation: %r" % err)
    if took > 3:
        failures.append("SIGINT: took %.1f s to stop" % took)

    code, out, err, took = interrupt(binary, workflow, signal.SIGTERM, ["--output", "json"])
    if code != 143:
        failures.append("SIGTERM: exit %s, expected 143; stderr: %s" % (code, err))
    try:
        doc = json.loads(out)
        if doc.get("node_results", {}).get("a") != 7:
            failures.append("SIGTERM: node a's result is missing: %r" % doc)
        if doc.get("status") != "cancelled":
            failures.append("SIGTERM: status %r, expected cancelled" % doc.get("status"))
    except ValueError:
        failures.append("SIGTERM: stdout is not JSON: %r" % out)
    if took > 3:
        failures.append("SIGTERM: took %.1f s to stop" % took)

    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
