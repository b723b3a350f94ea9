#!/usr/bin/env python3
"""`thaiyyal serve` with persistent state, over real HTTP on 127.0.0.1:

saved workflows (save, list, load, update with versions, execute, delete)
and the execution history on SQLite, kept across a restart; two serve
processes sharing one real PostgreSQL server (started from Debian's package
by pg_fixture.py); 4 clients saving, executing and deleting concurrently
against each backend with no lost or duplicated history row and no 500; a
PostgreSQL server killed mid-load (503 STORAGE_UNAVAILABLE, readiness false,
inline execute still working) and restarted (recovery without restarting
serve); the operator commands `workflows` and `history`.

usage: check_store.py THAIYYAL [--soak SECONDS]
       (THAIYYAL_STORE_SOAK_SECONDS also sets the concurrency run's length)
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_serve_security as common  # noqa: E402
import pg_fixture  # noqa: E402

from check_serve_security import Server, check, request  # noqa: E402

SUM = common.SUM
FAILING = {"nodes": [{"id": "a", "data": {"value": 1}}, {"id": "z", "data": {"value": 0}},
                     {"id": "d", "data": {"op": "divide"}}],
           "edges": [{"source": "a", "target": "d"}, {"source": "z", "target": "d"}]}


def serve(binary, tmp, store_args, name="serve", extra=None):
    s = Server(binary, tmp, store_args + (extra or []) + ["--log-level", "warn"], name=name)
    if not check(s.wait_ready(), "%s starts (stderr: %s)" % (name, s.stderr_text()[-500:])):
        return None
    return s


def save(base, name, data, **extra):
    body = {"name": name, "data": data}
    body.update(extra)
    return request(base, "POST", "/api/v1/workflow/save", body)


def all_executions(base, **filters):
    """Every history row, following next_cursor pages of 7."""
    rows, cursor = [], None
    for _ in range(10000):
        q = "&".join("%s=%s" % kv for kv in filters.items())
        path = "/api/v1/executions?limit=7" + ("&" + q if q else "")
        if cursor:
            path += "&cursor=" + cursor
        st, _, raw, body = request(base, "GET", path)
        if not check(st == 200, "executions page: %s %s" % (st, raw[:200])):
            return rows
        rows += body["executions"]
        cursor = body["next_cursor"]
        if not cursor:
            return rows
    return rows


def test_routes_and_restart(binary, tmp):
    data_dir = os.path.join(tmp, "data")
    s = serve(binary, tmp, ["--data-dir", data_dir])
    if not s:
        return
    b = s.base
    st, _, raw, body = save(b, "sum", SUM, description="adds two numbers")
    check(st == 201 and body["success"] and body["message"] == "Workflow saved successfully",
          "save: %s %s" % (st, raw))
    wid = body["id"]
    check(len(wid) == 36 and wid[14] == "4", "save: a UUID v4 id, not %r" % wid)
    st, _, raw, body = save(b, "mine", SUM, id="orders-v1")
    check(st == 201 and body["id"] == "orders-v1", "save with an id: %s %s" % (st, raw))
    st, _, raw, body = save(b, "again", SUM, id="orders-v1")
    check(st == 409 and body["code"] == "CONFLICT" and
          body["details"] == "workflow with ID orders-v1 already exists", "409: %s %s" % (st, raw))
    st, _, raw, body = save(b, "bad", {"nodes": [{"id": "x", "type": "no_such_type"}]})
    check(st == 400 and body["code"] == "WORKFLOW_INVALID" and body["diagnostics"],
          "invalid data is 400 with diagnostics: %s %s" % (st, raw[:300]))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/save", {"data": SUM})
    check(st == 400 and body["error"] == "Failed to save workflow: workflow name is required",
          "no name: %s %s" % (st, raw))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/save", {"name": "x"})
    check(st == 400 and body["error"] == "Failed to save workflow: workflow data is required",
          "no data: %s %s" % (st, raw))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/save", "{not json")
    check(st == 400 and body["code"] == "INVALID_JSON", "bad JSON: %s %s" % (st, raw))

    st, _, raw, body = request(b, "GET", "/api/v1/workflow/list")
    check(st == 200 and body["count"] == 2 and {w["id"] for w in body["workflows"]} ==
          {wid, "orders-v1"} and all("data" not in w for w in body["workflows"]),
          "list: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/load/" + wid)
    check(st == 200 and body["workflow"]["data"] == SUM and
          body["workflow"]["description"] == "adds two numbers", "load: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/load/nope")
    check(st == 404 and body["code"] == "NOT_FOUND" and
          body["error"] == "workflow with ID nope not found", "load 404: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/load/%20")
    check(st == 400 and body["error"] == "Workflow ID is required", "blank id: %s %s" % (st, raw))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/execute/")
    check(st == 400 and body["error"] == "Workflow ID is required",
          "execute with no id: %s %s" % (st, raw))

    # A new version, then both versions.
    v2 = json.loads(json.dumps(SUM))
    v2["nodes"][0]["data"]["value"] = 100
    st, _, raw, body = request(b, "PUT", "/api/v1/workflow/" + wid, {"data": v2})
    check(st == 200 and body["version"] == 2, "update: %s %s" % (st, raw))
    st, _, raw, body = request(b, "PUT", "/api/v1/workflow/nope", {"data": v2})
    check(st == 404, "update 404: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/%s/versions" % wid)
    check(st == 200 and [v["version"] for v in body["versions"]] == [1, 2],
          "versions: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/%s/versions/1" % wid)
    check(st == 200 and body["workflow"]["data"] == SUM, "version 1: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/workflow/%s/versions/9" % wid)
    check(st == 404, "version 9: %s %s" % (st, raw))

    st, _, raw, body = request(b, "POST", "/api/v1/workflow/execute/" + wid)
    check(st == 200 and body["workflow_id"] == wid and body["workflow_name"] == "sum" and
          body["results"]["final_output"] == 105 and body["version"] == 2,
          "execute saved: %s %s" % (st, raw))
    saved_run = body["results"]["execution_id"]
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/execute/%s?version=1" % wid)
    check(st == 200 and body["results"]["final_output"] == 15 and body["version"] == 1,
          "execute version 1: %s %s" % (st, raw))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/execute/nope")
    check(st == 404 and body["error"] == "Failed to load workflow" and
          body["details"] == "workflow with ID nope not found", "execute 404: %s %s" % (st, raw))
    st, _, raw, body = request(b, "POST", "/api/v1/workflow/execute", FAILING)
    check(st == 500, "inline failing run: %s %s" % (st, raw))

    rows = all_executions(b)
    check(len(rows) == 3, "three runs in the history, not %d" % len(rows))
    check([r["status"] for r in rows] == ["failed", "succeeded", "succeeded"],
          "history newest first: %s" % [r["status"] for r in rows])
    check(rows[0]["trigger"] == "inline" and rows[0]["workflow_id"] is None and
          "division by zero" in rows[0].get("error", ""),
          "inline failed row: %s" % rows[0])
    check(rows[2]["id"] == saved_run and rows[2]["workflow_version"] == 2, "saved row: %s" % rows[2])
    st, _, raw, body = request(b, "GET", "/api/v1/executions/" + saved_run)
    check(st == 200 and body["execution"]["result"]["final_output"] == 105,
          "execution with its result: %s %s" % (st, raw[:300]))
    st, _, raw, body = request(b, "GET", "/api/v1/executions?workflow_id=%s&status=succeeded" % wid)
    check(st == 200 and body["count"] == 2, "history filter: %s %s" % (st, raw[:300]))
    st, _, raw, body = request(b, "GET", "/api/v1/executions?cursor=zzz")
    check(st == 400 and body["code"] == "BAD_REQUEST", "bad cursor: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/executions?limit=0")
    check(st == 400, "limit 0: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/api/v1/executions/nope")
    check(st == 404, "execution 404: %s %s" % (st, raw))
    st, _, raw, body = request(b, "GET", "/health/ready")
    check(st == 200 and body["checks"]["storage"]["backend"] == "sqlite",
          "ready with storage: %s %s" % (st, raw))

    st, _, raw, body = request(b, "DELETE", "/api/v1/workflow/delete/orders-v1")
    check(st == 200 and body["message"] == "Workflow deleted successfully",
          "delete: %s %s" % (st, raw))
    st, _, raw, body = request(b, "DELETE", "/api/v1/workflow/delete/orders-v1")
    check(st == 404, "delete twice: %s %s" % (st, raw))
    check(s.stop() == 0, "serve exits 0")

    # A restart on the same directory keeps everything.
    s = serve(binary, tmp, ["--data-dir", data_dir], name="restarted")
    if not s:
        return
    st, _, raw, body = request(s.base, "GET", "/api/v1/workflow/list")
    check(st == 200 and [w["id"] for w in body["workflows"]] == [wid] and
          body["workflows"][0]["version"] == 2, "after restart: %s %s" % (st, raw))
    check(len(all_executions(s.base)) == 3, "history after restart")
    s.stop()

    # The operator's commands read the same store.
    out = subprocess.run([binary, "workflows", "list", "--data-dir", data_dir, "--format", "json"],
                         capture_output=True, text=True)
    check(out.returncode == 0 and [w["id"] for w in json.loads(out.stdout)] == [wid],
          "workflows list: %s %s" % (out.returncode, out.stdout + out.stderr))
    out = subprocess.run([binary, "workflows", "export", wid, "--version", "1",
                          "--data-dir", data_dir], capture_output=True, text=True)
    check(out.returncode == 0 and json.loads(out.stdout) == SUM, "workflows export: %s" % out)
    out = subprocess.run([binary, "workflows", "show", "nope", "--data-dir", data_dir],
                         capture_output=True, text=True)
    check(out.returncode == 1 and "workflow with ID nope not found" in out.stderr,
          "workflows show 404: %s" % out)
    out = subprocess.run([binary, "history", "--data-dir", data_dir, "--status", "failed",
                          "--format", "json"], capture_output=True, text=True)
    check(out.returncode == 0 and len(json.loads(out.stdout)) == 1, "history: %s" % out)

    # A data directory that cannot be created: exit 2 and one line.
    blocker = os.path.join(tmp, "file")
    open(blocker, "w").close()
    p = subprocess.run([binary, "serve", "--addr", "127.0.0.1:0", "--data-dir",
                        os.path.join(blocker, "sub")], capture_output=True, text=True, timeout=20)
    check(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and
          "cannot open the store" in p.stderr, "bad data dir: %s %r" % (p.returncode, p.stderr))


def load(bases, seconds, label):
    """4 clients for `seconds`: save, execute saved, execute inline, delete.
    Returns the execution ids the server answered with."""
    ids, statuses, lock = [], {}, threading.Lock()
    stop = time.monotonic() + seconds

    def client(n):
        i = 0
        while time.monotonic() < stop:
            base = bases[(n + i) % len(bases)]
            i += 1
            st, _, raw, body = save(base, "c%d-%d" % (n, i), SUM)
            got = [st]
            if st == 201:
                wid = body["id"]
                st2, _, _, b2 = request(base, "POST", "/api/v1/workflow/execute/" + wid)
                st3, _, _, b3 = request(base, "POST", "/api/v1/workflow/execute", SUM)
                st4, _, _, _ = request(base, "DELETE", "/api/v1/workflow/delete/" + wid)
                got += [st2, st3, st4]
                with lock:
                    for stx, bx in ((st2, b2), (st3, b3)):
                        if stx == 200:
                            ids.append(bx["results"]["execution_id"])
            with lock:
                for g in got:
                    statuses[g] = statuses.get(g, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(set(statuses) <= {200, 201}, "%s: only 200/201 under load, got %s" % (label, statuses))
    return ids


def check_history(base, ids, label):
    rows = all_executions(base)
    got = [r["id"] for r in rows]
    check(len(got) == len(set(got)), "%s: no duplicated history row" % label)
    check(set(got) == set(ids), "%s: every run recorded (%d runs, %d rows)" %
          (label, len(ids), len(got)))


def test_sqlite_concurrency(binary, tmp, seconds):
    s = serve(binary, tmp, ["--data-dir", os.path.join(tmp, "soak")], name="soak")
    if not s:
        return
    ids = load([s.base], seconds, "sqlite")
    check(len(ids) > 0, "sqlite: runs happened")
    check_history(s.base, ids, "sqlite")
    check(s.stop() == 0, "sqlite soak: serve exits 0")


def test_postgres(binary, tmp, seconds):
    with pg_fixture.postgres_server() as pg:
        a = serve(binary, tmp, ["--database", pg.url], name="pg-a")
        b = serve(binary, tmp, ["--database", pg.url], name="pg-b")
        if not a or not b:
            return
        # Saved through one, seen, executed and deleted through the other.
        st, _, raw, body = save(a.base, "shared", SUM)
        check(st == 201, "pg save: %s %s" % (st, raw))
        wid = body["id"]
        st, _, raw, body = request(b.base, "GET", "/api/v1/workflow/list")
        check(st == 200 and [w["id"] for w in body["workflows"]] == [wid],
              "pg: listed by the other replica: %s" % raw)
        st, _, raw, body = request(b.base, "POST", "/api/v1/workflow/execute/" + wid)
        check(st == 200 and body["results"]["final_output"] == 15,
              "pg: executed by the other replica: %s %s" % (st, raw))
        run_b = body["results"]["execution_id"]
        st, _, raw, body = request(a.base, "POST", "/api/v1/workflow/execute", SUM)
        run_a = body["results"]["execution_id"]
        st, _, raw, body = request(b.base, "DELETE", "/api/v1/workflow/delete/" + wid)
        check(st == 200, "pg: deleted by the other replica: %s" % raw)
        st, _, raw, body = request(a.base, "GET", "/api/v1/workflow/load/" + wid)
        check(st == 404, "pg: gone for the first replica too: %s" % raw)
        rows = all_executions(a.base)
        check({run_a, run_b} <= {r["id"] for r in rows}, "pg: history of both in one listing")
        st, _, raw, body = request(a.base, "GET", "/health/ready")
        check(st == 200 and body["checks"]["storage"]["backend"] == "postgres",
              "pg: ready: %s" % raw)

        ids = load([a.base, b.base], seconds, "postgres") + [run_a, run_b]
        check_history(a.base, ids, "postgres")

        # The server goes away mid-load: storage routes 503, readiness false,
        # inline execute still works; back again: recovery without a restart.
        pg.kill()
        st, _, raw, body = save(a.base, "while down", SUM)
        check(st == 503 and body["code"] == "STORAGE_UNAVAILABLE",
              "pg down: save is 503: %s %s" % (st, raw))
        st, _, raw, body = request(b.base, "GET", "/api/v1/workflow/list")
        check(st == 503 and body["code"] == "STORAGE_UNAVAILABLE",
              "pg down: list is 503: %s %s" % (st, raw))
        st, _, raw, body = request(a.base, "GET", "/health/ready")
        check(st == 503 and body["checks"]["storage"]["status"] == "unhealthy",
              "pg down: not ready: %s %s" % (st, raw))
        st, _, raw, body = request(a.base, "POST", "/api/v1/workflow/execute", SUM)
        check(st == 200, "pg down: inline execute works: %s %s" % (st, raw))
        pg.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            st, _, raw, body = request(a.base, "GET", "/health/ready")
            if st == 200:
                break
            time.sleep(0.2)
        check(st == 200, "pg back: ready again: %s %s" % (st, raw))
        st, _, raw, body = save(b.base, "after", SUM)
        check(st == 201, "pg back: save works: %s %s" % (st, raw))
        check(a.stop() == 0 and b.stop() == 0, "pg: both serve exit 0")

        # Starting against an unreachable database: exit 2 and one line.
        pg.kill()
        p = subprocess.run([binary, "serve", "--addr", "127.0.0.1:0", "--database", pg.url],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1,
              "unreachable database at start: %s %r" % (p.returncode, p.stderr))


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    binary = args[0]
    seconds = float(os.environ.get("THAIYYAL_STORE_SOAK_SECONDS", "5"))
    if "--soak" in args:
        seconds = float(args[args.index("--soak") + 1])
    with tempfile.TemporaryDirectory() as tmp:
        try:
            test_routes_and_restart(binary, tmp)
            test_sqlite_concurrency(binary, tmp, seconds)
            try:
                pg_fixture.find_bindir()
            except pg_fixture.NotAvailable as e:
                print("SKIP postgres part:", e)
            else:
                test_postgres(binary, tmp, seconds)
        finally:
            for s in Server.ALL:
                s.close()
    for f in common.FAILURES:
        print("FAIL:", f)
    print("%d failures" % len(common.FAILURES))
    return 1 if common.FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
