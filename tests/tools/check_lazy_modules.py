#!/usr/bin/env python3
"""Commands load only the libraries their work needs.

libcurl (and its ~30 dependencies), the HTTP server library and libpq are
opened at run time by the code that needs them. This test runs each command
under the dynamic loader's trace (LD_DEBUG=files) and checks which files were
loaded:

  - `--version`, `validate`, `eval`, `lint` and `execute` of a workflow
    without http nodes load none of them;
  - `execute` of a workflow with an http node loads the HTTP module and
    libcurl (the control that shows the trace sees a dynamic load at all).

usage: check_lazy_modules.py THAIYYAL EXAMPLES_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HEAVY = {
    "libcurl": re.compile(r"libcurl[^/\s]*\.so"),
    "the HTTP module": re.compile(r"thaiyyal-http-curl\.so"),
    "the HTTP server module": re.compile(r"thaiyyal-serve-http\.so"),
    "the metrics module": re.compile(r"thaiyyal-metrics\.so"),
    "libpq": re.compile(r"libpq\.so"),
    "GnuTLS": re.compile(r"libgnutls\.so"),
}

FILE_LINE = re.compile(r"file=(\S+)")


def traced_files(stderr):
    """The files named in a loader trace (LD_DEBUG=files on stderr), in order;
    a file the loader only tried is named too."""
    return FILE_LINE.findall(stderr)


def loaded(binary, args, stdin=None):
    """The files the loader opened for `binary args`, and the run's exit code."""
    env = dict(os.environ, LD_DEBUG="files")
    proc = subprocess.run([binary] + args, input=stdin, capture_output=True, text=True,
                          env=env, timeout=60)
    return set(traced_files(proc.stderr)), proc.returncode


def heavy_in(files):
    return sorted(name for name, pattern in HEAVY.items()
                  if any(pattern.search(f) for f in files))


def main():
    binary, examples = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(examples, "pipeline.yaml")
        http_flow = os.path.join(tmp, "http.json")
        with open(http_flow, "w") as f:
            # Port 9 on loopback (discard): nothing listens, so the request
            # fails fast, after the transport has been loaded.
            json.dump({"nodes": [{"id": "get", "type": "http",
                                  "data": {"url": "http://127.0.0.1:9/"}}],
                       "edges": []}, f)

        quiet = [
            (["--version"], 0),
            (["validate", plain], 0),
            (["validate", "--format", "json", plain], 0),
            (["eval", "1 + 2"], 0),
            (["lint", plain], 0),
            (["execute", plain], 0),
            (["execute", "--output", "json", plain], 0),
        ]
        for args, want in quiet:
            files, code = loaded(binary, args)
            if code != want:
                failures.append("%s: exit %d, expected %d" % (" ".join(args), code, want))
            if not files:
                failures.append("%s: the loader trace is empty" % " ".join(args))
            heavy = heavy_in(files)
            if heavy:
                failures.append("%s loaded %s" % (" ".join(args), ", ".join(heavy)))

        files, code = loaded(binary, ["execute", "--allow-http", "--allow-localhost",
                                      "--output", "json", http_flow])
        if code == 0:
            failures.append("execute of the http workflow succeeded against a closed port")
        heavy = heavy_in(files)
        for name in ("libcurl", "the HTTP module"):
            if name not in heavy:
                failures.append("execute of an http node did not load %s (loaded: %s)"
                                % (name, ", ".join(heavy) or "nothing heavy"))
        for name in ("the HTTP server module", "libpq"):
            if name in heavy:
                failures.append("execute of an http node loaded %s" % name)

    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    print("ok: %d commands load no heavy library; an http node loads libcurl" % len(quiet))
    return 0


if __name__ == "__main__":
    sys.exit(main())
