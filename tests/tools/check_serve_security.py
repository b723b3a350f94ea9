#!/usr/bin/env python3
"""`thaiyyal serve` security and operations over real HTTP on 127.0.0.1:

bearer-token authentication (--auth-token-file, THAIYYAL_AUTH_TOKEN,
--auth-metrics), CORS (off by default, --cors-origins allowlist), the
execution-slot limit (429 OVERLOADED, readiness 503), cancellation when the
client disconnects, graceful shutdown (SIGTERM drains, a second signal exits
143 at once), single-dash flags, --check-config, the legacy SERVER_ADDR
variable, the JSON access log with request ids, and the 413/404/405 envelopes.

usage: check_serve_security.py THAIYYAL
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

TOKEN = "s3cret-token-0123456789abcdef"
EXECUTE = "/api/v1/workflow/execute"

SUM = {
    "workflow_id": "wf-sec",
    "nodes": [
        {"id": "1", "data": {"value": 10}},
        {"id": "2", "data": {"value": 5}},
        {"id": "3", "data": {"op": "add"}},
    ],
    "edges": [{"source": "1", "target": "3"}, {"source": "2", "target": "3"}],
}


def slow(duration):
    """A workflow whose delay node sleeps for `duration` (e.g. "2s")."""
    return {"nodes": [{"id": "a", "data": {"value": 1}},
                      {"id": "d", "type": "delay", "data": {"duration": duration}}],
            "edges": [{"source": "a", "target": "d"}]}


FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
    return cond


def request(base, method, path, body=None, headers=None, timeout=10):
    """(status, headers, raw body bytes, parsed JSON or None); status None and
    the error text in place of the body when the connection failed."""
    data = body.encode() if isinstance(body, str) else body
    if isinstance(body, dict):
        data = json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            status, hdrs, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, e.headers, e.read()
    except (OSError, urllib.error.URLError) as e:
        return None, {}, str(e).encode(), None
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, hdrs, raw, parsed


class Server:
    """A `thaiyyal serve` child on 127.0.0.1 with a free port; stdout and
    stderr go to files so that the logs can be read while it runs."""

    ALL = []

    def __init__(self, binary, tmp, args, env=None, addr_args=None, name="serve"):
        self.dir = tempfile.mkdtemp(dir=tmp, prefix=name + "-")
        self.port_file = os.path.join(self.dir, "port")
        self.err_path = os.path.join(self.dir, "stderr")
        self.out_path = os.path.join(self.dir, "stdout")
        if addr_args is None:
            addr_args = ["--addr", "127.0.0.1:0", "--port-file", self.port_file]
        full_env = dict(os.environ)
        for k in ("THAIYYAL_AUTH_TOKEN", "THAIYYAL_ADDR", "SERVER_ADDR"):
            full_env.pop(k, None)
        full_env.update(env or {})
        self.err = open(self.err_path, "w")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen([binary, "serve"] + addr_args + args, stdout=self.out,
                                     stderr=self.err, env=full_env)
        Server.ALL.append(self)
        self.port = None
        self.base = None

    def wait_ready(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = int(text)
                    self.base = "http://127.0.0.1:%d" % self.port
                    return True
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        return False

    def stderr_text(self):
        with open(self.err_path) as f:
            return f.read()

    def log_lines(self):
        out = []
        for line in self.stderr_text().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def wait_log(self, pred, timeout):
        """The first JSON log line matching `pred` within `timeout` s, or None."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.log_lines():
                if pred(line):
                    return line
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    def stop(self, timeout=15):
        """SIGTERM and wait; the exit code (None when it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass

    def close(self):
        self.kill()
        self.err.close()
        self.out.close()


def start(binary, tmp, args, what, **kw):
    s = Server(binary, tmp, args, **kw)
    if not s.wait_ready():
        s.kill()
        check(False, "%s: the server did not start; exit %s, stderr: %s"
              % (what, s.proc.returncode, s.stderr_text()[-2000:]))
        return None
    return s


def is_envelope(body, code, hdrs):
    return (isinstance(body, dict) and body.get("success") is False and body.get("code") == code
            and isinstance(body.get("error"), str) and "details" in body
            and body.get("request_id") == hdrs.get("X-Request-ID"))


def write_token_file(tmp, name, token):
    path = os.path.join(tmp, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    return path


# ---------------------------------------------------------------------------

def test_auth(binary, tmp):
    token_file = write_token_file(tmp, "token", TOKEN)
    s = start(binary, tmp, ["--auth-token-file", token_file], "auth (file)")
    if not s:
        return
    b = s.base
    status, hdrs, _, body = request(b, "POST", EXECUTE, SUM)
    check(status == 401 and is_envelope(body, "UNAUTHORIZED", hdrs),
          "auth: no token: %s %r" % (status, body))
    check((hdrs.get("WWW-Authenticate") or "").startswith("Bearer"),
          "auth: no token: WWW-Authenticate %r" % hdrs.get("WWW-Authenticate"))
    check((hdrs.get("Content-Type") or "").startswith("application/json"),
          "auth: 401 Content-Type %r" % hdrs.get("Content-Type"))
    for bad in ("Bearer wrong-token-0123456789abcdef", "Bearer " + TOKEN[:-1],
                "Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN):
        status, hdrs, _, body = request(b, "POST", EXECUTE, SUM, {"Authorization": bad})
        check(status == 401 and is_envelope(body, "UNAUTHORIZED", hdrs)
              and (hdrs.get("WWW-Authenticate") or "").startswith("Bearer"),
              "auth: Authorization %r: %s %r" % (bad, status, body))
    status, _, _, body = request(b, "POST", EXECUTE, SUM, {"Authorization": "Bearer " + TOKEN})
    check(status == 200 and body and body.get("success") is True,
          "auth: valid token: %s %r" % (status, body))
    status, _, _, body = request(b, "POST", EXECUTE, SUM, {"Authorization": "bearer " + TOKEN})
    check(status == 200, "auth: lower-case scheme 'bearer': %s %r" % (status, body))
    status, hdrs, _, body = request(b, "POST", "/api/v1/workflow/validate", SUM)
    check(status == 401 and is_envelope(body, "UNAUTHORIZED", hdrs),
          "auth: validate without token: %s %r" % (status, body))
    for path in ("/health", "/health/live", "/health/ready"):
        status, _, _, body = request(b, "GET", path)
        check(status == 200 and body and body.get("status") == "healthy",
              "auth: %s without token: %s %r" % (path, status, body))
    status, _, raw, _ = request(b, "GET", "/metrics")
    check(status == 200 and b"workflow_executions_total" in raw,
          "auth: /metrics without --auth-metrics: %s %r" % (status, raw[:200]))
    code = s.stop()
    check(code == 0, "auth: exit %s after SIGTERM" % code)
    check(TOKEN not in s.stderr_text(), "auth: the token appears in the log")
    s.close()

    # Token from the environment, /metrics protected too.
    s = start(binary, tmp, ["--auth-metrics"], "auth (env)", env={"THAIYYAL_AUTH_TOKEN": TOKEN})
    if not s:
        return
    b = s.base
    status, hdrs, _, body = request(b, "POST", EXECUTE, SUM)
    check(status == 401 and is_envelope(body, "UNAUTHORIZED", hdrs),
          "auth env: no token: %s %r" % (status, body))
    status, _, _, body = request(b, "POST", EXECUTE, SUM, {"Authorization": "Bearer " + TOKEN})
    check(status == 200, "auth env: valid token: %s %r" % (status, body))
    status, hdrs, _, body = request(b, "GET", "/metrics")
    check(status == 401 and is_envelope(body, "UNAUTHORIZED", hdrs)
          and (hdrs.get("WWW-Authenticate") or "").startswith("Bearer"),
          "auth env --auth-metrics: /metrics without token: %s %r" % (status, body))
    status, _, raw, _ = request(b, "GET", "/metrics", headers={"Authorization": "Bearer " + TOKEN})
    check(status == 200 and b"workflow_executions_total" in raw,
          "auth env --auth-metrics: /metrics with token: %s %r" % (status, raw[:200]))
    status, _, _, body = request(b, "GET", "/health/ready")
    check(status == 200, "auth env: /health/ready without token: %s %r" % (status, body))
    code = s.stop()
    check(code == 0, "auth env: exit %s after SIGTERM" % code)
    check(TOKEN not in s.stderr_text(), "auth env: the token appears in the log")
    s.close()

    # A short token is refused at startup.
    short = write_token_file(tmp, "short-token", "abc123")
    r = subprocess.run([binary, "serve", "--addr", "127.0.0.1:0", "--auth-token-file", short],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode == 2 and r.stderr.strip() and len(r.stderr.strip().splitlines()) == 1,
          "auth: short token file: exit %s, stderr %r" % (r.returncode, r.stderr))
    r = subprocess.run([binary, "serve", "--addr", "127.0.0.1:0", "--auth-token-file",
                        os.path.join(tmp, "missing-token")],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode in (2, 4) and r.stderr.strip(),
          "auth: missing token file: exit %s, stderr %r" % (r.returncode, r.stderr))


def test_cors(binary, tmp):
    preflight = {"Origin": "https://a.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    s = start(binary, tmp, [], "cors off")
    if s:
        status, hdrs, _, _ = request(s.base, "GET", "/health", headers={"Origin": "https://a.example"})
        check(status == 200 and hdrs.get("Access-Control-Allow-Origin") is None,
              "cors off: GET with Origin: %s ACAO %r" % (status, hdrs.get("Access-Control-Allow-Origin")))
        status, hdrs, _, _ = request(s.base, "POST", EXECUTE, SUM, {"Origin": "https://a.example"})
        check(status == 200 and hdrs.get("Access-Control-Allow-Origin") is None,
              "cors off: POST with Origin: %s ACAO %r" % (status, hdrs.get("Access-Control-Allow-Origin")))
        status, hdrs, _, _ = request(s.base, "OPTIONS", EXECUTE, headers=preflight)
        check(status is not None and hdrs.get("Access-Control-Allow-Origin") is None,
              "cors off: preflight: %s ACAO %r" % (status, hdrs.get("Access-Control-Allow-Origin")))
        s.stop()
        s.close()

    s = start(binary, tmp, ["--cors-origins", "https://a.example"], "cors on",
              env={"THAIYYAL_AUTH_TOKEN": TOKEN})
    if not s:
        return
    status, hdrs, _, _ = request(s.base, "OPTIONS", EXECUTE, headers=preflight)
    check(status == 204, "cors on: preflight status %s (expected 204, without a token)" % status)
    check(hdrs.get("Access-Control-Allow-Origin") == "https://a.example",
          "cors on: preflight ACAO %r" % hdrs.get("Access-Control-Allow-Origin"))
    check("origin" in (hdrs.get("Vary") or "").lower(),
          "cors on: preflight Vary %r" % hdrs.get("Vary"))
    check("POST" in (hdrs.get("Access-Control-Allow-Methods") or ""),
          "cors on: preflight Access-Control-Allow-Methods %r"
          % hdrs.get("Access-Control-Allow-Methods"))
    allow_headers = (hdrs.get("Access-Control-Allow-Headers") or "").lower()
    check("authorization" in allow_headers and "content-type" in allow_headers,
          "cors on: Access-Control-Allow-Headers %r" % allow_headers)
    other = dict(preflight, Origin="https://b.example")
    status, hdrs, _, _ = request(s.base, "OPTIONS", EXECUTE, headers=other)
    check(hdrs.get("Access-Control-Allow-Origin") is None,
          "cors on: other origin preflight: %s ACAO %r"
          % (status, hdrs.get("Access-Control-Allow-Origin")))
    status, hdrs, _, _ = request(s.base, "POST", EXECUTE, SUM,
                                 {"Origin": "https://a.example",
                                  "Authorization": "Bearer " + TOKEN})
    check(status == 200 and hdrs.get("Access-Control-Allow-Origin") == "https://a.example"
          and "origin" in (hdrs.get("Vary") or "").lower(),
          "cors on: POST from allowed origin: %s ACAO %r Vary %r"
          % (status, hdrs.get("Access-Control-Allow-Origin"), hdrs.get("Vary")))
    status, hdrs, _, _ = request(s.base, "POST", EXECUTE, SUM,
                                 {"Origin": "https://b.example",
                                  "Authorization": "Bearer " + TOKEN})
    check(status == 200 and hdrs.get("Access-Control-Allow-Origin") is None,
          "cors on: POST from other origin: %s ACAO %r"
          % (status, hdrs.get("Access-Control-Allow-Origin")))
    status, hdrs, _, body = request(s.base, "POST", EXECUTE, SUM, {"Origin": "https://a.example"})
    check(status == 401 and hdrs.get("Access-Control-Allow-Origin") == "https://a.example",
          "cors on: 401 to allowed origin carries ACAO (so the page can read it): %s ACAO %r"
          % (status, hdrs.get("Access-Control-Allow-Origin")))
    s.stop()
    s.close()


def test_concurrency(binary, tmp):
    s = start(binary, tmp, ["--max-concurrent-executions", "1"], "concurrency")
    if not s:
        return
    answers = []
    t = threading.Thread(target=lambda: answers.append(
        request(s.base, "POST", EXECUTE, slow("3s"), timeout=20)), daemon=True)
    t.start()
    ready = None
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        ready = request(s.base, "GET", "/health/ready")
        if ready[0] == 503:
            break
        time.sleep(0.05)
    check(ready and ready[0] == 503 and ready[3] and ready[3].get("status") == "unhealthy",
          "concurrency: /health/ready with the only slot busy: %s %r"
          % (ready and ready[0], ready and ready[3]))
    status, hdrs, _, body = request(s.base, "POST", EXECUTE, SUM)
    check(status == 429 and is_envelope(body, "OVERLOADED", hdrs),
          "concurrency: second execute: %s %r" % (status, body))
    check(hdrs.get("Retry-After") not in (None, ""),
          "concurrency: 429 without Retry-After: %r" % dict(hdrs))
    status, _, _, body = request(s.base, "GET", "/health/live")
    check(status == 200, "concurrency: /health/live while busy: %s" % status)
    t.join(20)
    check(answers and answers[0][0] == 200,
          "concurrency: the slow run: %r" % ((answers and (answers[0][0], answers[0][3])),))
    status, _, _, _ = request(s.base, "GET", "/health/ready")
    check(status == 200, "concurrency: /health/ready after the run: %s" % status)
    status, _, _, _ = request(s.base, "POST", EXECUTE, SUM)
    check(status == 200, "concurrency: execute after the run: %s" % status)
    s.stop()
    s.close()


def test_disconnect(binary, tmp):
    s = start(binary, tmp, ["--log-format", "json", "--log-level", "info"], "disconnect")
    if not s:
        return
    body = json.dumps(slow("20s")).encode()
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
            "X-Request-ID: disc-1\r\nContent-Length: %d\r\n\r\n" % (EXECUTE, s.port, len(body)))
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    try:
        sock.sendall(head.encode() + body)
        started = s.wait_log(lambda l: l.get("msg") == "workflow execution started"
                             and l.get("request_id") == "disc-1", 3)
        check(started is not None, "disconnect: no 'workflow execution started' line with "
              "request_id disc-1")
        time.sleep(0.5)
    finally:
        sock.close()
    closed = time.monotonic()
    failed = s.wait_log(lambda l: l.get("msg") == "workflow execution failed"
                        and l.get("request_id") == "disc-1", 4)
    took = time.monotonic() - closed
    check(failed is not None and "workflow execution cancelled" in str(failed.get("error")),
          "disconnect: 'workflow execution failed' with the cancellation: %r" % failed)
    check(failed is None or took <= 2.5,
          "disconnect: the run ended %.1f s after the client left" % took)
    access = s.wait_log(lambda l: l.get("msg") == "http request"
                        and l.get("request_id") == "disc-1", 2)
    check(access is not None and access.get("status") == 503,
          "disconnect: access line: %r" % access)
    if failed is None or access is None:
        FAILURES.append("disconnect: log tail: %s" % s.stderr_text()[-1500:])
    status, _, _, body = request(s.base, "POST", EXECUTE, SUM)
    check(status == 200, "disconnect: the next request: %s %r" % (status, body))
    s.stop(timeout=5)
    s.close()


def test_sigterm_drain(binary, tmp):
    s = start(binary, tmp, ["--log-format", "json"], "drain")
    if not s:
        return
    answers = []
    t = threading.Thread(target=lambda: answers.append(
        request(s.base, "POST", EXECUTE, slow("2s"), {"X-Request-ID": "drain-1"}, timeout=20)),
        daemon=True)
    t.start()
    check(s.wait_log(lambda l: l.get("msg") == "workflow execution started", 3) is not None,
          "drain: the slow run did not start")
    s.proc.send_signal(signal.SIGTERM)
    t0 = time.monotonic()
    time.sleep(0.2)
    status, _, raw, body = request(s.base, "GET", "/health/ready", timeout=3)
    check(status == 503, "drain: /health/ready while draining: %s %r" % (status, body or raw))
    status, hdrs, raw, body = request(s.base, "POST", EXECUTE, SUM, timeout=3)
    check(status == 503 and is_envelope(body, "UNAVAILABLE", hdrs),
          "drain: new execute while draining: %s %r" % (status, body or raw))
    t.join(15)
    ok = answers and answers[0][0] == 200 and answers[0][3] \
        and answers[0][3].get("results", {}).get("node_results", {}).get("d", {}).get("delayed")
    check(ok, "drain: the running execution: %r" % ((answers and (answers[0][0], answers[0][2][:300])),))
    try:
        s.proc.wait(15)
    except subprocess.TimeoutExpired:
        pass
    check(s.proc.returncode == 0, "drain: exit %s" % s.proc.returncode)
    check(time.monotonic() - t0 < 6, "drain: took %.1f s to stop" % (time.monotonic() - t0))
    check(not os.path.exists(s.port_file), "drain: the port file is left behind")
    s.close()

    # A second signal during the drain exits at once with 143.
    s = start(binary, tmp, ["--shutdown-timeout", "60s"], "second signal")
    if not s:
        return
    t = threading.Thread(target=lambda: request(s.base, "POST", EXECUTE, slow("30s"), timeout=40),
                         daemon=True)
    t.start()
    check(s.wait_log(lambda l: l.get("msg") == "workflow execution started", 3) is not None,
          "second signal: the slow run did not start")
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    check(s.proc.poll() is None, "second signal: exited after the first SIGTERM already (%s)"
          % s.proc.returncode)
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    try:
        s.proc.wait(5)
    except subprocess.TimeoutExpired:
        pass
    check(s.proc.returncode == 143 and time.monotonic() - t0 < 2,
          "second signal: exit %s after %.1f s" % (s.proc.returncode, time.monotonic() - t0))
    s.close()


def test_flags_and_config(binary, tmp):
    # Single-dash (reference) spellings.
    pf = os.path.join(tmp, "dash-port")
    s = Server(binary, tmp, [], addr_args=["-addr", "127.0.0.1:0", "-port-file", pf],
               name="dash")
    s.port_file = pf
    if check(s.wait_ready(), "single-dash flags: no port file; exit %s, stderr %s"
             % (s.proc.returncode, s.stderr_text()[-500:])):
        status, _, _, _ = request(s.base, "GET", "/health")
        check(status == 200, "single-dash flags: /health %s" % status)
        check(s.stop() == 0, "single-dash flags: exit %s" % s.proc.returncode)
    s.close()

    # Legacy SERVER_ADDR.
    pf = os.path.join(tmp, "legacy-port")
    s = Server(binary, tmp, [], addr_args=["--port-file", pf], env={"SERVER_ADDR": "127.0.0.1:0"},
               name="legacy")
    s.port_file = pf
    if check(s.wait_ready(), "SERVER_ADDR: no port file; exit %s, stderr %s"
             % (s.proc.returncode, s.stderr_text()[-500:])):
        check(s.port != 8080, "SERVER_ADDR=127.0.0.1:0 ignored: port %s" % s.port)
        status, _, _, _ = request(s.base, "GET", "/health")
        check(status == 200, "SERVER_ADDR: /health %s" % status)
        s.stop()
    s.close()

    # --check-config.
    token_file = write_token_file(tmp, "cc-token", TOKEN)
    env = dict(os.environ, THAIYYAL_AUTH_TOKEN=TOKEN)
    for args in (["--auth-token-file", token_file], []):
        r = subprocess.run([binary, "serve", "--check-config", "--addr", "127.0.0.1:0"] + args,
                           capture_output=True, text=True, timeout=10,
                           env=env if not args else None)
        what = "--check-config %s" % ("with a token file" if args else "with THAIYYAL_AUTH_TOKEN")
        check(r.returncode == 0, "%s: exit %s, stderr %r" % (what, r.returncode, r.stderr))
        check("max_execution_time" in r.stdout and "127.0.0.1:0" in r.stdout,
              "%s: stdout lacks the configuration: %r" % (what, r.stdout))
        check(TOKEN not in r.stdout + r.stderr, "%s: the token is printed" % what)
    r = subprocess.run([binary, "serve", "--check-config", "--log-format", "json"],
                       capture_output=True, text=True, timeout=10)
    try:
        doc = json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        doc = None
    check(r.returncode == 0 and isinstance(doc, dict) and "max_execution_time" in doc,
          "--check-config --log-format json: exit %s stdout %r" % (r.returncode, r.stdout))
    for bad in (["--write-timeout", "5s"], ["--cors-origins", "foo"],
                ["--max-execution-time", "-1s"], ["--addr", "127.0.0.1:99999"]):
        r = subprocess.run([binary, "serve", "--check-config"] + bad, capture_output=True,
                           text=True, timeout=10)
        lines = r.stderr.strip().splitlines()
        check(r.returncode == 2 and len(lines) == 1,
              "--check-config %s: exit %s, stderr %r" % (" ".join(bad), r.returncode, r.stderr))
    # The same bad value without --check-config also stops the start.
    r = subprocess.run([binary, "serve", "--addr", "127.0.0.1:0", "--write-timeout", "5s"],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1,
          "serve --write-timeout 5s: exit %s, stderr %r" % (r.returncode, r.stderr))


def test_access_log(binary, tmp):
    s = start(binary, tmp, ["--log-format", "json", "--log-level", "info",
                            "--max-body-bytes", "64KiB"], "access log")
    if not s:
        return
    b = s.base
    status, hdrs, raw, _ = request(b, "GET", "/health?probe=1", headers={"X-Request-ID": "acc-1"})
    check(status == 200 and hdrs.get("X-Request-ID") == "acc-1",
          "access: X-Request-ID echo %r" % hdrs.get("X-Request-ID"))
    line = s.wait_log(lambda l: l.get("msg") == "http request" and l.get("request_id") == "acc-1", 2)
    check(line is not None, "access: no 'http request' line for acc-1")
    if line:
        check(line.get("method") == "GET" and line.get("path") == "/health"
              and line.get("route") == "/health" and line.get("status") == 200,
              "access: fields of acc-1: %r" % line)
        check(isinstance(line.get("duration_ms"), (int, float)) and line["duration_ms"] >= 0,
              "access: duration_ms %r" % line.get("duration_ms"))
        check(line.get("bytes") == len(raw),
              "access: bytes %r, body had %d" % (line.get("bytes"), len(raw)))
        check(line.get("level") == "INFO" and "time" in line, "access: level/time %r" % line)

    status, hdrs, raw, _ = request(b, "POST", EXECUTE, SUM, {"X-Request-ID": "acc-2"})
    check(status == 200, "access: execute %s" % status)
    line = s.wait_log(lambda l: l.get("msg") == "http request" and l.get("request_id") == "acc-2", 2)
    check(line is not None and line.get("route") == EXECUTE and line.get("method") == "POST"
          and line.get("status") == 200 and line.get("bytes") == len(raw),
          "access: execute line %r" % line)
    engine = [l for l in s.log_lines() if l.get("msg", "").startswith(("workflow execution",
                                                                          "node execution"))]
    mine = [l for l in engine if l.get("request_id") == "acc-2"]
    check(any(l.get("msg") == "workflow execution started" for l in mine)
          and any(l.get("msg") == "workflow execution completed successfully" for l in mine)
          and sum(1 for l in mine if l.get("msg") == "node execution completed successfully") == 3,
          "access: engine lines with request_id acc-2: %r" % mine)
    check(all(l.get("request_id") for l in engine),
          "access: engine lines without request_id: %r"
          % [l for l in engine if not l.get("request_id")])

    # No X-Request-ID (and a bad one): a new id, the same in the log.
    for given in (None, "bad id with spaces", "x" * 200):
        status, hdrs, _, _ = request(b, "GET", "/version",
                                     headers={"X-Request-ID": given} if given else {})
        rid = hdrs.get("X-Request-ID")
        check(status == 200 and rid and rid != given, "access: generated X-Request-ID %r for %r"
              % (rid, given))
        line = s.wait_log(lambda l, rid=rid: l.get("msg") == "http request"
                          and l.get("request_id") == rid, 2)
        check(line is not None and line.get("path") == "/version",
              "access: log line for generated id %r: %r" % (rid, line))

    # Errors: 413, 404, 405, each JSON and logged.
    status, hdrs, _, body = request(b, "POST", EXECUTE, "x" * 70000, {"X-Request-ID": "acc-413"})
    check(status == 413 and is_envelope(body, "BODY_TOO_LARGE", hdrs),
          "413: %s %r" % (status, body))
    status, hdrs, _, body = request(b, "GET", "/api/v1/nothing", headers={"X-Request-ID": "acc-404"})
    check(status == 404 and is_envelope(body, "NOT_FOUND", hdrs)
          and (hdrs.get("Content-Type") or "").startswith("application/json"),
          "404: %s %r" % (status, body))
    status, hdrs, _, body = request(b, "DELETE", EXECUTE, headers={"X-Request-ID": "acc-405"})
    check(status == 405 and is_envelope(body, "METHOD_NOT_ALLOWED", hdrs)
          and "POST" in (hdrs.get("Allow") or ""),
          "405: %s Allow %r %r" % (status, hdrs.get("Allow"), body))
    for rid, code in (("acc-413", 413), ("acc-404", 404), ("acc-405", 405)):
        lines = [l for l in s.log_lines()
                 if l.get("msg") == "http request" and l.get("request_id") == rid]
        check(len(lines) == 1 and lines[0].get("status") == code,
              "access: %s lines %r" % (rid, lines))
    # Exactly one access line per request.
    for rid in ("acc-1", "acc-2"):
        n = sum(1 for l in s.log_lines()
                if l.get("msg") == "http request" and l.get("request_id") == rid)
        check(n == 1, "access: %d 'http request' lines for %s" % (n, rid))
    # Every stderr line is JSON.
    bad = [l for l in s.stderr_text().splitlines() if l.strip() and not l.startswith("{")]
    check(not bad, "access: non-JSON lines on stderr: %r" % bad[:3])
    s.stop()
    s.close()


def main():
    if len(sys.argv) != 2:
        print("usage: check_serve_security.py THAIYYAL", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    tests = [test_auth, test_cors, test_concurrency, test_disconnect, test_sigterm_drain,
             test_flags_and_config, test_access_log]
    only = os.environ.get("CHECK_ONLY")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for t in tests:
                if only and t.__name__ not in only.split(","):
                    continue
                before = len(FAILURES)
                started = time.monotonic()
                try:
                    t(binary, tmp)
                except Exception as e:  # a crash of one part must not hide the others
                    FAILURES.append("%s: %s: %s" % (t.__name__, type(e).__name__, e))
                if os.environ.get("CHECK_VERBOSE"):
                    print("%s: %s (%.1f s)" % (t.__name__, "ok" if len(FAILURES) == before
                                               else "FAILED", time.monotonic() - started))
        finally:
            for s in Server.ALL:
                s.close()
    for f in FAILURES:
        print("FAIL", f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
