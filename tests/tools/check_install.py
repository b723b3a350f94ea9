#!/usr/bin/env python3
"""`cmake --install` (what `make install` runs) gives a working layout.

  check_install.py BUILD_DIR

Installs BUILD_DIR with DESTDIR into a temporary directory under the prefix
/usr/local, then checks the files (the binary, its modules, the manual page,
the bash, zsh and fish completions) and that the installed binary works on
its own: --version, and an http node against the local test server, whose
transport module must be the installed one (found as ../lib/thaiyyal/ from
the binary), as the dynamic loader's trace shows.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_lazy_modules  # noqa: E402
import http_fixture  # noqa: E402

EXPECTED = [
    "bin/thaiyyal",
    "lib/thaiyyal/thaiyyal-http-curl.so",
    "lib/thaiyyal/thaiyyal-serve-http.so",
    "lib/thaiyyal/thaiyyal-metrics.so",
    "share/man/man1/thaiyyal.1",
    "share/bash-completion/completions/thaiyyal",
    "share/zsh/site-functions/_thaiyyal",
    "share/fish/vendor_completions.d/thaiyyal.fish",
]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as dest:
        env = dict(os.environ, DESTDIR=dest)
        env.pop("THAIYYAL_MODULE_DIR", None)
        env.pop("THAIYYAL_HTTP_MODULE", None)
        p = subprocess.run(["cmake", "--install", build, "--prefix", "/usr/local"], env=env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            print("FAIL cmake --install: " + p.stderr.strip())
            return 1
        root = os.path.join(dest, "usr", "local")
        for rel in EXPECTED:
            if not os.path.isfile(os.path.join(root, rel)):
                failures.append("not installed: " + rel)
        binary = os.path.join(root, "bin", "thaiyyal")
        if os.path.isfile(binary):
            v = subprocess.run([binary, "--version"], capture_output=True, text=True, env=env)
            if v.returncode != 0 or not v.stdout.startswith("thaiyyal "):
                failures.append("installed --version: exit %d, %r" % (v.returncode, v.stdout))
            url = http_fixture.start()
            try:
                flow = os.path.join(dest, "flow.json")
                with open(flow, "w") as f:
                    json.dump({"nodes": [{"id": "get", "type": "http",
                                          "data": {"url": url + "/json"}}], "edges": []}, f)
                run_env = dict(env, LD_DEBUG="files")
                r = subprocess.run([binary, "execute", "--allow-http", "--allow-localhost",
                                    "--output", "json", flow], capture_output=True, text=True,
                                   env=run_env)
                if r.returncode != 0:
                    failures.append("installed execute of an http node: exit %d: %s"
                                    % (r.returncode, r.stderr[-500:]))
                else:
                    doc = json.loads(r.stdout)
                    if doc["node_results"]["get"].get("message") != "hello":
                        failures.append("installed execute: unexpected result %r" % doc)
                module = os.path.join(root, "bin", "..", "lib", "thaiyyal",
                                      "thaiyyal-http-curl.so")
                loaded = [path for path in check_lazy_modules.traced_files(r.stderr)
                          if path.endswith("thaiyyal-http-curl.so")]
                # The loader also names the places tried first (beside the
                # binary); the one it opened is the installed module, and no
                # module comes from outside the installation.
                real = [os.path.realpath(path) for path in loaded]
                if (os.path.realpath(module) not in real or
                        any(not path.startswith(os.path.realpath(dest)) for path in real)):
                    failures.append("the transport module was not the installed one: %r"
                                    % loaded)
            finally:
                http_fixture.stop(url)
    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    print("ok: %d files installed; the installed binary runs an http node" % len(EXPECTED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
