#!/usr/bin/env python3
"""`thaiyyal serve` over real HTTP: binds 127.0.0.1 on a free port, writes it
to --port-file (a second server cannot take that port), answers execute (JSON and YAML), validate, health, version
and errors as JSON, and exits 0 on SIGTERM.

usage: check_serve.py THAIYYAL
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

SUM = {
    "workflow_id": "wf-1",
    "nodes": [
        {"id": "1", "data": {"value": 10}},
        {"id": "2", "data": {"value": 5}},
        {"id": "3", "data": {"op": "add"}},
    ],
    "edges": [{"source": "1", "target": "3"}, {"source": "2", "target": "3"}],
}


def request(base, method, path, body=None, headers=None):
    """(status, headers, parsed JSON body or None)."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return resp.status, resp.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, e.headers, json.loads(raw) if raw else None


def main():
    binary = sys.argv[1]
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        port_file = os.path.join(tmp, "port")
        proc = subprocess.Popen([binary, "serve", "--addr", "127.0.0.1:0", "--port-file",
                                 port_file, "--max-body-size", "64KiB"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file) and time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                time.sleep(0.02)
            if not os.path.exists(port_file):
                proc.kill()
                out, err = proc.communicate()
                print("FAIL the port file was not written; exit %s, stderr: %s"
                      % (proc.returncode, err))
                return 1
            with open(port_file) as f:
                port = int(f.read().strip())
            check(0 < port < 65536, "port %r" % port)
            base = "http://127.0.0.1:%d" % port

            # A second server cannot take the port.
            second = subprocess.run([binary, "serve", "--addr", "127.0.0.1:%d" % port],
                                    capture_output=True, text=True, timeout=10)
            check(second.returncode == 1 and second.stderr ==
                  "thaiyyal serve: cannot listen on 127.0.0.1:%d: Address already in use\n" % port,
                  "port in use: exit %s, stderr %r" % (second.returncode, second.stderr))

            status, headers, body = request(base, "POST", "/api/v1/workflow/execute",
                                            json.dumps(SUM),
                                            {"Content-Type": "application/json",
                                             "X-Request-ID": "e2e-1"})
            check(status == 200, "execute: status %s %r" % (status, body))
            check(headers.get("X-Request-ID") == "e2e-1",
                  "execute: X-Request-ID %r" % headers.get("X-Request-ID"))
            check(body and body.get("success") is True, "execute: success %r" % body)
            results = (body or {}).get("results", {})
            check(results.get("node_results") == {"1": 10, "2": 5, "3": 15},
                  "execute: node_results %r" % results)
            check(results.get("final_output") == 15 and results.get("workflow_id") == "wf-1",
                  "execute: final_output/workflow_id %r" % results)
            check(isinstance(body.get("execution_time"), str), "execute: execution_time")

            yaml_body = "nodes:\n  - id: a\n    data: {value: 4}\nedges: []\n"
            status, _, body = request(base, "POST", "/api/v1/workflow/execute", yaml_body,
                                      {"Content-Type": "application/yaml"})
            check(status == 200 and body["results"]["final_output"] == 4,
                  "execute YAML: %s %r" % (status, body))

            status, headers, body = request(base, "POST", "/api/v1/workflow/execute",
                                            '{"nodes": [', {"Content-Type": "application/json"})
            check(status == 400 and body.get("code") == "INVALID_JSON",
                  "bad JSON: %s %r" % (status, body))
            check(body and body.get("request_id") == headers.get("X-Request-ID"),
                  "bad JSON: request_id %r vs %r" % (body, headers.get("X-Request-ID")))

            status, _, body = request(base, "POST", "/api/v1/workflow/validate",
                                      json.dumps(SUM))
            check(status == 200 and body.get("valid") is True, "validate: %s %r" % (status, body))
            bad = {"nodes": [{"id": "1", "type": "numbr", "data": {"value": 1}}], "edges": []}
            status, _, body = request(base, "POST", "/api/v1/workflow/validate", json.dumps(bad))
            check(status == 200 and body.get("valid") is False
                  and body["diagnostics"][0]["code"] == "unknown-kind"
                  and body["diagnostics"][0]["notes"] == ["did you mean 'number'?"],
                  "validate invalid: %s %r" % (status, body))

            status, headers, body = request(base, "GET", "/api/v1/workflow/execute")
            check(status == 405 and headers.get("Allow") == "POST, OPTIONS"
                  and body.get("code") == "METHOD_NOT_ALLOWED", "405: %s %r" % (status, body))
            status, _, body = request(base, "GET", "/api/v1/nothing")
            check(status == 404 and body.get("code") == "NOT_FOUND", "404: %s %r" % (status, body))
            status, _, body = request(base, "POST", "/api/v1/workflow/execute", "x" * 70000)
            check(status == 413 and body.get("code") == "BODY_TOO_LARGE",
                  "413: %s %r" % (status, body))

            for path in ("/health", "/health/live", "/health/ready"):
                status, _, body = request(base, "GET", path)
                check(status == 200 and body.get("status") == "healthy",
                      "%s: %s %r" % (path, status, body))
                check(body.get("service_name") == "thaiyyal-workflow-engine",
                      "%s: service_name %r" % (path, body))
            status, _, body = request(base, "GET", "/version")
            check(status == 200 and body.get("version"), "version: %s %r" % (status, body))

            # An execution running at SIGTERM finishes and gets its answer.
            slow = {"nodes": [{"id": "a", "data": {"value": 1}},
                              {"id": "d", "type": "delay", "data": {"duration": "1s"}}],
                    "edges": [{"source": "a", "target": "d"}]}
            answers = []
            runner = threading.Thread(target=lambda: answers.append(
                request(base, "POST", "/api/v1/workflow/execute", json.dumps(slow))))
            runner.start()
            time.sleep(0.3)
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            runner.join(15)
            check(answers and answers[0][0] == 200
                  and answers[0][2]["results"]["status"] == "succeeded"
                  and answers[0][2]["results"]["node_results"]["d"]["delayed"] is True,
                  "running execution at SIGTERM: %r" % answers)
            out, err = proc.communicate(timeout=15)
            check(proc.returncode == 0, "SIGTERM: exit %s, stderr: %s" % (proc.returncode, err))
            check(time.monotonic() - started < 5, "SIGTERM: took too long to stop")
            check("server started" in err and "server stopped" in err,
                  "logs lack start/stop: %r" % err)
            check(not os.path.exists(port_file), "the port file is left behind")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
