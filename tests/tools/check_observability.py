#!/usr/bin/env python3
"""Metrics and tracing of `thaiyyal serve` and `thaiyyal execute` against real
components: promtool checks the exposition, a real Prometheus scrapes the
server, a real Pushgateway takes a push from execute, and a local OTLP/HTTP
receiver (otlp_receiver.py) collects the spans.

usage: check_observability.py THAIYYAL

Exits 77 (skip) when promtool, prometheus or prometheus-pushgateway is not
installed. Every listener is bound to 127.0.0.1.
"""
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
EXECUTE = "/api/v1/workflow/execute"

SUM = {
    "workflow_id": "wf-obs",
    "nodes": [
        {"id": "1", "data": {"value": 10}},
        {"id": "2", "data": {"value": 5}},
        {"id": "3", "data": {"op": "add"}},
    ],
    "edges": [{"source": "1", "target": "3"}, {"source": "2", "target": "3"}],
}
# Fails at run time: division by zero in node 3.
DIVIDE_BY_ZERO = {
    "workflow_id": "wf-bad",
    "nodes": [
        {"id": "1", "data": {"value": 1}},
        {"id": "2", "data": {"value": 0}},
        {"id": "3", "data": {"op": "divide"}},
    ],
    "edges": [{"source": "1", "target": "3"}, {"source": "2", "target": "3"}],
}

FAILURES = []
PROCS = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
    return cond


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, method="GET", body=None, headers=None, timeout=10):
    """(status, headers, raw body); status None on a connection failure."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except (OSError, urllib.error.URLError) as e:
        return None, {}, str(e).encode()


def spawn(args, tmp, name, env=None):
    err = open(os.path.join(tmp, name + ".stderr"), "w")
    out = open(os.path.join(tmp, name + ".stdout"), "w")
    proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)
    proc.log_files = (out, err)
    proc.err_path = err.name
    PROCS.append(proc)
    return proc


def tail(path, n=1500):
    try:
        with open(path) as f:
            return f.read()[-n:]
    except OSError:
        return ""


def stop(proc, timeout=10):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def wait_file(path, proc, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                text = f.read().strip()
            if text:
                return int(text)
        if proc is not None and proc.poll() is not None:
            return None
        time.sleep(0.02)
    return None


def start_serve(binary, tmp, name, args, env=None):
    pf = os.path.join(tmp, name + ".port")
    proc = spawn([binary, "serve", "--addr", "127.0.0.1:0", "--port-file", pf] + args, tmp,
                 name, env)
    port = wait_file(pf, proc)
    if port is None:
        check(False, "%s: serve did not start; exit %s, stderr %s"
              % (name, proc.poll(), tail(proc.err_path)))
        stop(proc)
        return None, None
    return proc, "http://127.0.0.1:%d" % port


# ---------------------------------------------------------------------------
# Prometheus text format

LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def parse_exposition(text):
    """[(name, {label: value}, float value)] of every sample line."""
    samples = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*?)\})?\s+(\S+)(\s+\S+)?$", line)
        if not m:
            samples.append(("<unparsable>", {"line": line}, 0.0))
            continue
        labels = {}
        rest = m.group(3) or ""
        pos = 0
        while pos < len(rest):
            lm = LABEL_RE.match(rest, pos)
            if not lm:
                break
            labels[lm.group(1)] = lm.group(2).encode().decode("unicode_escape")
            pos = lm.end()
        try:
            value = float(m.group(4))
        except ValueError:
            value = float("nan")
        samples.append((m.group(1), labels, value))
    return samples


def find(samples, name, **labels):
    return [(l, v) for n, l, v in samples
            if n == name and all(l.get(k) == val for k, val in labels.items())]


def value_of(samples, name, **labels):
    hits = find(samples, name, **labels)
    return hits[0][1] if len(hits) == 1 else (None if not hits else ("multiple", hits))


# Lint findings that the reference's family names cause on purpose: the
# duration histograms keep their `_milliseconds` names for compatibility.
KNOWN_LINT = re.compile(
    r'^(workflow|node|http_call)_(execution_|call_)?duration_milliseconds '
    r'use base unit "seconds" instead of "milliseconds"$')


def promtool_check(text, what):
    """promtool must parse the exposition (exit 0), or report only the known
    lint findings (exit 3, its code for lint problems)."""
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                       text=True, timeout=30)
    findings = [l.strip() for l in (r.stdout + r.stderr).splitlines() if l.strip()]
    unknown = [l for l in findings if not KNOWN_LINT.match(l)]
    ok = r.returncode == 0 or (r.returncode == 3 and not unknown)
    check(ok, "%s: promtool check metrics exit %s: %s"
          % (what, r.returncode, "; ".join(unknown or findings)[:2000]))
    if os.environ.get("CHECK_VERBOSE") and findings:
        print("%s: promtool exit %s: %s" % (what, r.returncode, "; ".join(findings)))
    return r


# ---------------------------------------------------------------------------

def test_metrics_and_prometheus(binary, tmp):
    proc, base = start_serve(binary, tmp, "serve-metrics", [])
    if not proc:
        return
    try:
        for wf, expected in ((SUM, 200), (SUM, 200), (DIVIDE_BY_ZERO, 500)):
            status, _, raw = request(base + EXECUTE, "POST", wf,
                                     {"Content-Type": "application/json"})
            check(status == expected, "metrics: execute %s: %s %r"
                  % (wf["workflow_id"], status, raw[:300]))
        status, hdrs, raw = request(base + "/metrics")
        text = raw.decode("utf-8", "replace")
        check(status == 200, "metrics: GET /metrics %s" % status)
        ctype = hdrs.get("Content-Type") or ""
        check(ctype.startswith("text/plain; version=0.0.4"),
              "metrics: Content-Type %r" % ctype)
        promtool_check(text, "serve /metrics")
        s = parse_exposition(text)
        check(not find(s, "<unparsable>"), "metrics: unparsable lines %r" % find(s, "<unparsable>"))
        check(value_of(s, "workflow_executions_total", trigger="inline") == 3,
              "metrics: workflow_executions_total{trigger=inline} %r"
              % (find(s, "workflow_executions_total"),))
        check(value_of(s, "workflow_executions_success_total", trigger="inline") == 2,
              "metrics: workflow_executions_success_total %r"
              % (find(s, "workflow_executions_success_total"),))
        check(value_of(s, "workflow_executions_failure_total", trigger="inline") == 1,
              "metrics: workflow_executions_failure_total %r"
              % (find(s, "workflow_executions_failure_total"),))
        for fam in ("workflow_executions_total", "workflow_executions_success_total",
                    "workflow_executions_failure_total"):
            keys = {k for l, _ in find(s, fam) for k in l}
            check(keys == {"trigger"}, "metrics: %s labels %r" % (fam, keys))
        wf_hist = find(s, "workflow_execution_duration_milliseconds_count", trigger="inline")
        check(wf_hist and wf_hist[0][1] == 3,
              "metrics: workflow_execution_duration_milliseconds_count %r" % wf_hist)
        for fam in ("node_executions_total", "node_executions_success_total",
                    "node_executions_failure_total", "node_execution_duration_milliseconds_bucket",
                    "node_execution_duration_milliseconds_count"):
            hits = find(s, fam)
            keys = {k for l, _ in hits for k in l if k != "le"}
            check(hits and keys == {"node_type"}, "metrics: %s labels %r" % (fam, keys))
        check(value_of(s, "node_executions_total", node_type="number") == 6
              and value_of(s, "node_executions_total", node_type="operation") == 3,
              "metrics: node_executions_total %r" % (find(s, "node_executions_total"),))
        check(value_of(s, "node_executions_failure_total", node_type="operation") == 1,
              "metrics: node_executions_failure_total %r"
              % (find(s, "node_executions_failure_total"),))
        reqs = find(s, "thaiyyal_http_requests_total", route=EXECUTE)
        by_code = {l.get("code"): v for l, v in reqs}
        check(by_code.get("200") == 2 and by_code.get("500") == 1
              and all(l.get("method") == "POST" for l, _ in reqs),
              "metrics: thaiyyal_http_requests_total for execute %r" % reqs)
        check(not any("/api/v1/nothing" in l.get("route", "") for _, l, _ in s),
              "metrics: raw paths as route labels")
        dur = find(s, "thaiyyal_http_request_duration_seconds_count", route=EXECUTE)
        check(dur and sum(v for _, v in dur) == 3,
              "metrics: thaiyyal_http_request_duration_seconds_count %r" % dur)
        build = find(s, "thaiyyal_build_info")
        check(len(build) == 1 and build[0][1] == 1 and build[0][0].get("version"),
              "metrics: thaiyyal_build_info %r" % build)
        rss = find(s, "process_resident_memory_bytes")
        check(rss and rss[0][1] > 1e6, "metrics: process_resident_memory_bytes %r" % rss)
        for fam in ("process_cpu_seconds_total", "process_start_time_seconds",
                    "process_open_fds", "thaiyyal_executions_in_flight"):
            check(find(s, fam), "metrics: %s missing" % fam)

        # A real Prometheus scrapes the server.
        if status != 200:
            FAILURES.append("prometheus: not started, /metrics does not answer")
            return
        prom_port = free_port()
        target = base[len("http://"):]
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: thaiyyal\n    static_configs:\n"
                    "      - targets: ['%s']\n" % target)
        prom = spawn(["prometheus", "--config.file=" + cfg,
                      "--storage.tsdb.path=" + os.path.join(tmp, "tsdb"),
                      "--web.listen-address=127.0.0.1:%d" % prom_port, "--log.level=warn"],
                     tmp, "prometheus")
        try:
            query = ("http://127.0.0.1:%d/api/v1/query?query=" % prom_port
                     + urllib.parse.quote('workflow_executions_total{trigger="inline"}'))
            got = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and prom.poll() is None:
                status, _, raw = request(query, timeout=3)
                if status == 200:
                    try:
                        result = json.loads(raw)["data"]["result"]
                    except (ValueError, KeyError):
                        result = []
                    got = result
                    if result and result[0]["value"][1] == "3":
                        break
                time.sleep(0.5)
            ok = got and got[0]["value"][1] == "3" and got[0]["metric"].get("job") == "thaiyyal"
            if not check(ok, "prometheus: query workflow_executions_total gave %r" % got):
                _, _, targets = request("http://127.0.0.1:%d/api/v1/targets" % prom_port,
                                        timeout=3)
                FAILURES.append("prometheus: targets %s; exit %s; stderr %s"
                                % (targets[:1000], prom.poll(), tail(prom.err_path)))
            else:
                status, _, raw = request("http://127.0.0.1:%d/api/v1/query?query=up" % prom_port,
                                         timeout=3)
                check(status == 200 and '"1"' in raw.decode(), "prometheus: up %r" % raw[:300])
        finally:
            stop(prom)
    finally:
        check(stop(proc) == 0, "metrics: serve exit %s" % proc.returncode)


def test_execute_metrics(binary, tmp):
    wf_ok = os.path.join(tmp, "sum.json")
    wf_bad = os.path.join(tmp, "bad.json")
    with open(wf_ok, "w") as f:
        json.dump(SUM, f)
    with open(wf_bad, "w") as f:
        json.dump(DIVIDE_BY_ZERO, f)

    # --metrics-file
    mf = os.path.join(tmp, "run.prom")
    r = subprocess.run([binary, "execute", wf_ok, "--quiet", "--metrics-file", mf],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 0, "--metrics-file: exit %s, stderr %r" % (r.returncode, r.stderr))
    if check(os.path.exists(mf), "--metrics-file: %s not written" % mf):
        with open(mf) as f:
            text = f.read()
        promtool_check(text, "--metrics-file")
        s = parse_exposition(text)
        check(value_of(s, "workflow_executions_total", trigger="cli") == 1,
              "--metrics-file: workflow_executions_total %r" % (find(s, "workflow_executions_total"),))
        check(value_of(s, "workflow_executions_success_total", trigger="cli") == 1,
              "--metrics-file: workflow_executions_success_total %r"
              % (find(s, "workflow_executions_success_total"),))
        check(not os.path.exists(mf + ".tmp") and
              not [n for n in os.listdir(tmp) if n.startswith("run.prom.")],
              "--metrics-file: a temporary file is left behind: %r" % os.listdir(tmp))
    r = subprocess.run([binary, "execute", wf_ok, "--quiet", "--metrics-file",
                        os.path.join(tmp, "no-such-dir", "run.prom")],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 4 and "--metrics-file" in r.stderr,
          "--metrics-file in a missing directory: exit %s, stderr %r" % (r.returncode, r.stderr))

    # --metrics-addr with --metrics-linger, for a passing and a failing run.
    for wf, expected_code, linger in ((wf_ok, 0, 3), (wf_bad, 1, 1)):
        port = free_port()
        bodies = []
        started = time.monotonic()
        proc = spawn([binary, "execute", wf, "--quiet", "--metrics-addr",
                      "127.0.0.1:%d" % port, "--metrics-linger", "%ds" % linger], tmp,
                     "execute-linger-%d" % expected_code)

        def scrape():
            while proc.poll() is None:
                status, hdrs, raw = request("http://127.0.0.1:%d/metrics" % port, timeout=2)
                if status == 200:
                    bodies.append((hdrs.get("Content-Type"), raw.decode("utf-8", "replace")))
                time.sleep(0.2)

        t = threading.Thread(target=scrape, daemon=True)
        t.start()
        try:
            proc.wait(linger + 15)
        except subprocess.TimeoutExpired:
            pass
        took = time.monotonic() - started
        t.join(5)
        what = "--metrics-addr --metrics-linger %ds (%s)" % (linger, os.path.basename(wf))
        check(proc.returncode == expected_code, "%s: exit %s, expected %s; stderr %s"
              % (what, proc.returncode, expected_code, tail(proc.err_path)))
        check(linger - 0.5 <= took <= linger + 5, "%s: took %.1f s" % (what, took))
        if check(bodies, "%s: /metrics never answered during the linger" % what):
            ctype, last = bodies[-1]
            check((ctype or "").startswith("text/plain; version=0.0.4"),
                  "%s: Content-Type %r" % (what, ctype))
            s = parse_exposition(last)
            check(value_of(s, "workflow_executions_total", trigger="cli") == 1,
                  "%s: workflow_executions_total %r" % (what, find(s, "workflow_executions_total")))
            fam = ("workflow_executions_success_total" if expected_code == 0
                   else "workflow_executions_failure_total")
            check(value_of(s, fam, trigger="cli") == 1, "%s: %s %r" % (what, fam, find(s, fam)))
        status, _, _ = request("http://127.0.0.1:%d/metrics" % port, timeout=2)
        check(status is None, "%s: the listener is still up after exit (%s)" % (what, status))


def test_pushgateway(binary, tmp):
    wf_ok = os.path.join(tmp, "push-sum.json")
    with open(wf_ok, "w") as f:
        json.dump(SUM, f)
    port = free_port()
    gw = spawn(["prometheus-pushgateway", "--web.listen-address=127.0.0.1:%d" % port,
                "--persistence.file=", "--log.level=warn"], tmp, "pushgateway")
    gw_url = "http://127.0.0.1:%d" % port
    try:
        deadline = time.monotonic() + 15
        up = False
        while time.monotonic() < deadline and gw.poll() is None:
            status, _, _ = request(gw_url + "/-/ready", timeout=2)
            if status == 200:
                up = True
                break
            time.sleep(0.1)
        if not check(up, "pushgateway did not start; exit %s, stderr %s"
                     % (gw.poll(), tail(gw.err_path))):
            return
        r = subprocess.run([binary, "execute", wf_ok, "--quiet", "--pushgateway", gw_url,
                            "--pushgateway-job", "healthcheck", "--pushgateway-instance", "box1"],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode == 0, "pushgateway: execute exit %s, stderr %r"
              % (r.returncode, r.stderr))
        status, _, raw = request(gw_url + "/metrics")
        s = parse_exposition(raw.decode("utf-8", "replace"))
        hits = find(s, "workflow_executions_total", job="healthcheck", instance="box1")
        check(len(hits) == 1 and hits[0][1] == 1 and hits[0][0].get("trigger") == "cli",
              "pushgateway: workflow_executions_total{job=healthcheck,instance=box1}: %r; "
              "gateway stderr %s" % (hits, tail(gw.err_path, 800)))
        pushed = find(s, "push_time_seconds", job="healthcheck", instance="box1")
        check(pushed and pushed[0][1] > 0, "pushgateway: push_time_seconds %r" % pushed)
        failed = find(s, "push_failure_time_seconds", job="healthcheck", instance="box1")
        check(not failed or failed[0][1] == 0,
              "pushgateway: the gateway recorded a push failure %r" % failed)
        # A second run replaces the group (PUT semantics): still 1.
        r = subprocess.run([binary, "execute", wf_ok, "--quiet", "--pushgateway", gw_url,
                            "--pushgateway-job", "healthcheck", "--pushgateway-instance", "box1"],
                           capture_output=True, text=True, timeout=30)
        status, _, raw = request(gw_url + "/metrics")
        s = parse_exposition(raw.decode("utf-8", "replace"))
        hits = find(s, "workflow_executions_total", job="healthcheck", instance="box1")
        check(r.returncode == 0 and len(hits) == 1 and hits[0][1] == 1,
              "pushgateway: second push: exit %s, %r" % (r.returncode, hits))
    finally:
        stop(gw)

    closed = free_port()
    started = time.monotonic()
    r = subprocess.run([binary, "execute", wf_ok, "--quiet", "--pushgateway",
                        "http://127.0.0.1:%d" % closed], capture_output=True, text=True,
                       timeout=30)
    check(r.returncode == 4 and "--pushgateway" in r.stderr,
          "pushgateway to a closed port: exit %s, stderr %r" % (r.returncode, r.stderr))
    check(time.monotonic() - started < 15, "pushgateway to a closed port took %.1f s"
          % (time.monotonic() - started))


# ---------------------------------------------------------------------------
# Tracing

class EchoHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def do_GET(self):  # noqa: N802
        EchoHandler.seen.append({k.lower(): v for k, v in self.headers.items()})
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def spans_of(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            req = doc.get("request", {})
            for rs in req.get("resourceSpans", []):
                for ss in rs.get("scopeSpans", []):
                    for sp in ss.get("spans", []):
                        sp = dict(sp)
                        sp["_resource"] = rs.get("resource", {})
                        sp["_path"] = doc.get("path")
                        out.append(sp)
    return out


def attr(span, key):
    for a in span.get("attributes", []):
        if a.get("key") == key:
            v = a.get("value", {})
            return next(iter(v.values()), None)
    return None


def start_receiver(tmp, name):
    receiver = os.path.join(HERE, "otlp_receiver.py")
    deadline = time.monotonic() + 300
    while not os.path.exists(receiver) and time.monotonic() < deadline:
        time.sleep(1)
    if not os.path.exists(receiver):
        check(False, "tracing: %s does not exist" % receiver)
        return None, None, None
    pf = os.path.join(tmp, name + ".port")
    out = os.path.join(tmp, name + ".jsonl")
    proc = spawn([sys.executable, receiver, pf, out], tmp, name)
    port = wait_file(pf, proc)
    if port is None:
        check(False, "tracing: the receiver did not start: %s" % tail(proc.err_path))
        stop(proc)
        return None, None, None
    return proc, "http://127.0.0.1:%d" % port, out


def test_tracing(binary, tmp):
    recv, endpoint, out = start_receiver(tmp, "otlp")
    if not recv:
        return
    echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    echo.daemon_threads = True
    threading.Thread(target=echo.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    echo_url = "http://127.0.0.1:%d/x" % echo.server_address[1]
    try:
        proc, base = start_serve(binary, tmp, "serve-otlp",
                                 ["--otlp-endpoint", endpoint, "--allow-http",
                                  "--allow-localhost"])
        if not proc:
            return
        trace_id = secrets.token_hex(16)
        parent_id = secrets.token_hex(8)
        status, _, raw = request(base + EXECUTE, "POST", SUM,
                                 {"Content-Type": "application/json",
                                  "traceparent": "00-%s-%s-01" % (trace_id, parent_id)})
        check(status == 200, "tracing: execute %s %r" % (status, raw[:200]))
        http_wf = {"workflow_id": "wf-http",
                   "nodes": [{"id": "h", "type": "http", "data": {"url": echo_url}}], "edges": []}
        status, _, raw = request(base + EXECUTE, "POST", http_wf,
                                 {"Content-Type": "application/json"})
        check(status == 200, "tracing: execute with an http node %s %r" % (status, raw[:300]))
        code = stop(proc)
        check(code == 0, "tracing: serve exit %s, stderr %s" % (code, tail(proc.err_path)))

        spans = spans_of(out)
        if not check(spans, "tracing: no spans received; serve stderr %s"
                     % tail(proc.err_path)):
            return
        server = [s for s in spans if s.get("traceId") == trace_id and s.get("kind") == 2]
        check(len(server) == 1 and server[0].get("parentSpanId") == parent_id,
              "tracing: server span of trace %s with parent %s: %r" % (trace_id, parent_id, server))
        if server:
            sv = server[0]
            check(attr(sv, "http.route") == EXECUTE and attr(sv, "http.response.status_code")
                  in (200, "200"), "tracing: server span attributes %r" % sv.get("attributes"))
            wf = [s for s in spans if s.get("name") == "workflow.execute"
                  and s.get("parentSpanId") == sv.get("spanId")]
            check(len(wf) == 1 and wf[0].get("traceId") == trace_id,
                  "tracing: workflow.execute child of the server span: %r"
                  % [s for s in spans if s.get("name") == "workflow.execute"])
            if wf:
                check(attr(wf[0], "workflow.id") == "wf-obs" and attr(wf[0], "execution.id"),
                      "tracing: workflow.execute attributes %r" % wf[0].get("attributes"))
                nodes = [s for s in spans if s.get("name") == "node.execute"
                         and s.get("parentSpanId") == wf[0].get("spanId")]
                check(len(nodes) == 3 and all(s.get("traceId") == trace_id for s in nodes)
                      and sorted(attr(s, "node.id") for s in nodes) == ["1", "2", "3"],
                      "tracing: node.execute children of workflow.execute: %r" % nodes)
        svc = [s["_resource"] for s in spans[:1]]
        check(svc and any(a.get("key") == "service.name" for a in svc[0].get("attributes", [])),
              "tracing: resource without service.name %r" % svc)
        check(all(p == "/v1/traces" for p in {s["_path"] for s in spans}),
              "tracing: export paths %r" % {s["_path"] for s in spans})

        # The http node's outbound request carries the run's trace context.
        check(len(EchoHandler.seen) == 1, "tracing: the http node made %d requests"
              % len(EchoHandler.seen))
        if EchoHandler.seen:
            tp = EchoHandler.seen[0].get("traceparent", "")
            m = re.match(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$", tp)
            if check(m, "tracing: outbound traceparent %r" % tp):
                run = [s for s in spans if s.get("name") == "workflow.execute"
                       and attr(s, "workflow.id") == "wf-http"]
                check(run and run[0].get("traceId") == m.group(1),
                      "tracing: outbound trace id %s vs the run's %r"
                      % (m.group(1), [s.get("traceId") for s in run]))
                check(any(s.get("spanId") == m.group(2) and s.get("traceId") == m.group(1)
                          for s in spans),
                      "tracing: the outbound parent span %s was not exported" % m.group(2))

        # execute continues the trace in TRACEPARENT.
        wf_file = os.path.join(tmp, "trace-sum.json")
        with open(wf_file, "w") as f:
            json.dump(SUM, f)
        cli_trace, cli_parent = secrets.token_hex(16), secrets.token_hex(8)
        env = dict(os.environ, TRACEPARENT="00-%s-%s-01" % (cli_trace, cli_parent))
        env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
        r = subprocess.run([binary, "execute", wf_file, "--quiet", "--otlp-endpoint", endpoint],
                           capture_output=True, text=True, timeout=30, env=env)
        check(r.returncode == 0, "tracing: execute --otlp-endpoint exit %s, stderr %r"
              % (r.returncode, r.stderr))
        spans = spans_of(out)
        run = [s for s in spans if s.get("name") == "workflow.execute"
               and s.get("traceId") == cli_trace]
        check(len(run) == 1 and run[0].get("parentSpanId") == cli_parent,
              "tracing: execute's workflow.execute in trace %s with parent %s: %r"
              % (cli_trace, cli_parent, run))
        if run:
            nodes = [s for s in spans if s.get("name") == "node.execute"
                     and s.get("parentSpanId") == run[0].get("spanId")]
            check(len(nodes) == 3, "tracing: execute's node.execute spans %r" % nodes)
    finally:
        echo.shutdown()
        echo.server_close()
        stop(recv)


def main():
    if len(sys.argv) != 2:
        print("usage: check_observability.py THAIYYAL", file=sys.stderr)
        return 2
    for tool in ("promtool", "prometheus", "prometheus-pushgateway"):
        if not shutil.which(tool):
            print("SKIP %s not installed" % tool)
            return 77
    binary = os.path.abspath(sys.argv[1])
    tests = [test_metrics_and_prometheus, test_execute_metrics, test_pushgateway, test_tracing]
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
                except Exception as e:  # one broken part must not hide the others
                    FAILURES.append("%s: %s: %s" % (t.__name__, type(e).__name__, e))
                if os.environ.get("CHECK_VERBOSE"):
                    print("%s: %s (%.1f s)" % (t.__name__, "ok" if len(FAILURES) == before
                                               else "FAILED", time.monotonic() - started))
        finally:
            for p in PROCS:
                if p.poll() is None:
                    p.kill()
                    try:
                        p.wait(5)
                    except subprocess.TimeoutExpired:
                        pass
                for f in p.log_files:
                    f.close()
    for f in FAILURES:
        print("FAIL", f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
