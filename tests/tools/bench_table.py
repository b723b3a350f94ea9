#!/usr/bin/env python3
"""Runs every benchmark and prints one table of the figures (`make bench`).

  bench_table.py BUILD_DIR [--quick] [--markdown]

BUILD_DIR is a Release build configured with -DTHAIYYAL_BUILD_BENCH=ON (make
bench builds build-bench). The table has one row per figure: area | workload |
median | peak RSS | notes. Its sources:

  * the Google Benchmark binaries in BUILD_DIR/tests/bench (load_bench,
    engine_bench, expr_bench, array_bench), run with --benchmark_format=json and
    repetitions; the median of the repetitions' wall times is shown;
  * the command line, timed run after run by tests/tools/measure_cli.py through
    BUILD_DIR/tests/bench/spawn_measure (median wall time and peak RSS of the
    process), each command first run once with its output checked;
  * `thaiyyal serve` under wrk (tests/tools/load_test.sh) at 1, 4 and 16
    connections; skipped, with a note, when wrk is not installed;
  * 8 http nodes of 200 ms each against a local server
    (tests/tools/measure_parallel_io.sh).

--quick runs fewer repetitions and shorter loads (a table in about a minute,
for development; figures are noisier). --markdown prints the table as
Markdown, ready to paste into the README. Progress goes to stderr, the table to
stdout. Exits 1 when any measurement failed (its row says FAILED).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import measure_cli  # noqa: E402

GEN_WORKFLOW = os.path.join(HERE, "gen_workflow.py")
LOAD_TEST = os.path.join(HERE, "load_test.sh")
PARALLEL_IO = os.path.join(HERE, "measure_parallel_io.sh")

# Document and value limits lifted for the large CLI inputs.
UNLIMITED_DOC = ["--max-nodes", "0", "--max-edges", "0", "--max-payload-size", "0"]


class Table:
    """The rows, and the measurements that failed."""

    def __init__(self):
        self.rows = []
        self.failures = []

    def add(self, area, workload, median, rss="", notes=""):
        self.rows.append([area, workload, median, rss, notes])

    def fail(self, area, workload, why):
        progress("FAIL %s / %s: %s" % (area, workload, why))
        self.failures.append("%s / %s: %s" % (area, workload, why))
        self.add(area, workload, "FAILED", "", why.splitlines()[0][:120] if why else "")

    def render(self, markdown):
        header = ["area", "workload", "median", "peak RSS", "notes"]
        if markdown:
            def cell(text):
                return str(text).replace("|", "\\|")
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in self.rows]
            return "\n".join(lines)
        widths = [max(len(str(r[i])) for r in [header] + self.rows) for i in range(len(header))]
        fmt = "  ".join("%%-%ds" % w for w in widths)
        lines = [fmt % tuple(header), fmt % tuple("-" * w for w in widths)]
        lines += [(fmt % tuple(row)).rstrip() for row in self.rows]
        return "\n".join(lines)


def progress(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def fmt_time(seconds):
    """A duration with a unit that keeps three significant figures or so."""
    if seconds < 1e-6:
        return "%.0f ns" % (seconds * 1e9) if seconds >= 1e-8 else "%.1f ns" % (seconds * 1e9)
    if seconds < 1e-3:
        return "%.1f µs" % (seconds * 1e6) if seconds < 1e-4 else "%.0f µs" % (seconds * 1e6)
    if seconds < 1:
        return "%.2f ms" % (seconds * 1e3) if seconds < 1e-1 else "%.0f ms" % (seconds * 1e3)
    return "%.2f s" % seconds


def fmt_mib(mib):
    return "%.1f MiB" % mib


def fmt_rate(per_second, unit):
    """A rate with a decimal prefix: "41.2 MB/s", "3.1M nodes/s"."""
    for scale, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if per_second >= scale:
            if len(unit) == 1:
                return "%.1f %s%s/s" % (per_second / scale, prefix, unit)
            return "%.1f%s %s/s" % (per_second / scale, prefix, unit)
    return "%.0f %s/s" % (per_second, unit)


def fmt_bytes(n):
    if n >= 1 << 20:
        return "%.1f MiB" % (n / float(1 << 20))
    if n >= 1 << 10:
        return "%.0f KiB" % (n / 1024.0)
    return "%d B" % n


# --- Google Benchmark -------------------------------------------------------

UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def gbench(binary, bench_filter, quick):
    """{name: median entry} of the benchmarks of `binary` matching the filter,
    with real_time converted to seconds (key "seconds"). Raises RuntimeError
    when the binary fails or a benchmark reports an error."""
    if not os.access(binary, os.X_OK):
        raise RuntimeError("no benchmark binary %s (configure with -DTHAIYYAL_BUILD_BENCH=ON)"
                           % binary)
    argv = [binary, "--benchmark_format=json", "--benchmark_filter=" + bench_filter,
            "--benchmark_repetitions=%d" % (3 if quick else 5),
            "--benchmark_report_aggregates_only=true"]
    if quick:
        argv.append("--benchmark_min_time=0.05")
    progress("running " + " ".join(os.path.basename(a) if i == 0 else a
                                   for i, a in enumerate(argv)))
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (os.path.basename(binary), proc.returncode,
                                                 proc.stderr.strip()[-500:]))
    try:
        doc = json.loads(proc.stdout)
    except ValueError as e:
        raise RuntimeError("%s: output is not JSON: %s" % (os.path.basename(binary), e))
    medians, errors = {}, []
    for b in doc.get("benchmarks", []):
        if b.get("error_occurred"):
            errors.append("%s: %s" % (b.get("run_name", b["name"]), b.get("error_message", "")))
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") == "median":
            b["seconds"] = b["real_time"] * UNIT_SECONDS[b["time_unit"]]
            medians[b["run_name"]] = b
    if errors:
        raise RuntimeError("; ".join(errors))
    if not medians:
        raise RuntimeError("%s: no benchmark matched %s" % (os.path.basename(binary),
                                                            bench_filter))
    return medians


def gbench_rows(table, area, binary, bench_filter, quick, rows):
    """Runs the benchmarks once and adds `rows`: (name, workload, describe),
    where describe(entry) returns (median, notes)."""
    try:
        results = gbench(binary, bench_filter, quick)
    except RuntimeError as e:
        for _, workload, _ in rows:
            table.fail(area, workload, str(e))
        return
    for name, workload, describe in rows:
        entry = results.get(name)
        if entry is None:
            table.fail(area, workload, "benchmark %s did not run" % name)
            continue
        median, notes = describe(entry)
        table.add(area, workload, median, "", notes)


# --- the command line -------------------------------------------------------

class Cli:
    """Runs and times thaiyyal commands."""

    def __init__(self, build_dir, quick, table):
        self.bin = os.path.join(build_dir, "thaiyyal")
        self.spawner = os.path.join(build_dir, "tests", "bench", "spawn_measure")
        self.runs, self.warmup = (9, 1) if quick else (21, 3)
        self.table = table

    def row(self, area, workload, argv, check, notes="", per=None):
        """Runs `thaiyyal argv` once and checks it (check(stdout) returns an
        error text or None; the exit code must be 0), then measures it and
        adds the row. per=(count, unit) adds the time per unit to the notes."""
        progress("measuring thaiyyal " + " ".join(argv))
        proc = subprocess.run([self.bin] + argv, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            self.table.fail(area, workload, "exit %d: %s" % (proc.returncode,
                                                             proc.stderr.strip()[-300:]))
            return
        problem = check(proc.stdout)
        if problem:
            self.table.fail(area, workload, problem)
            return
        try:
            m = measure_cli.measure(self.spawner, [self.bin] + argv, self.runs, self.warmup)
        except RuntimeError as e:
            self.table.fail(area, workload, str(e))
            return
        if m["exit"] != 0:
            self.table.fail(area, workload, "measured runs exited %d" % m["exit"])
            return
        extra = []
        if per:
            extra.append("%s per %s" % (fmt_time(m["median_ms"] / 1e3 / per[0]), per[1]))
        extra.append("%d runs, min %s" % (m["runs"], fmt_time(m["min_ms"] / 1e3)))
        if notes:
            extra.insert(0, notes)
        self.table.add(area, workload, fmt_time(m["median_ms"] / 1e3), fmt_mib(m["peak_rss_mib"]),
                       "; ".join(extra))


def gen_workflow(shape, n, fmt, path):
    subprocess.run([sys.executable, GEN_WORKFLOW, shape, str(n), "--format", fmt, "-o", path],
                   check=True)
    return path


def expect_in(text):
    return lambda out: None if text in out else "output lacks %r: %r" % (text, out[:200])


def expect_json(test):
    """check() for `-o json` output: test(doc) returns an error text or None."""
    def check(out):
        try:
            doc = json.loads(out)
        except ValueError as e:
            return "output is not JSON: %s" % e
        if doc.get("status") != "succeeded":
            return "status %r: %r" % (doc.get("status"), doc.get("errors"))
        return test(doc)
    return check


def range_pipeline(n):
    """range 1..n -> filter (even) -> map (times 3) -> reduce (sum), and the sum
    it must give."""
    kinds = [
        ("numbers", "range", {"start": 1, "end": n}),
        ("even", "filter", {"condition": "item % 2 == 0"}),
        ("triple", "map", {"expression": "item * 3"}),
        ("sum", "reduce", {"expression": "accumulator + item", "initial_value": 0}),
    ]
    nodes = [{"id": i, "type": t, "data": d} for i, t, d in kinds]
    edges = [{"id": "e%d" % k, "source": kinds[k - 1][0], "target": kinds[k][0]}
             for k in range(1, len(kinds))]
    expected = sum(3 * v for v in range(1, n + 1) if v % 2 == 0)
    return {"workflow_id": "range-filter-map-reduce", "nodes": nodes, "edges": edges}, expected


# --- serve and parallel I/O -------------------------------------------------

def serve_rows(table, thaiyyal, quick):
    area = "serve"
    if shutil.which("wrk") is None:
        table.add(area, "POST /api/v1/workflow/execute, 10-node workflow", "skipped", "",
                  "wrk is not installed")
        return
    duration = "2s" if quick else "5s"
    idle = None
    first = len(table.rows)
    # With the history store (each answered run is committed to SQLite before
    # the response), then without it (--no-history: the run alone).
    for history, conns in [(True, 1), (True, 4), (True, 16), (False, 1), (False, 4), (False, 16)]:
        workload = "execute a 10-node workflow, %d connection%s%s" % (
            conns, "" if conns == 1 else "s", "" if history else ", --no-history")
        progress("load test: %d connections for %s%s"
                 % (conns, duration, "" if history else " without history"))
        env = dict(os.environ, CONNS=str(conns))
        scratch = tempfile.mkdtemp(prefix="thaiyyal-bench-")
        if not history:
            env["SERVE_ARGS"] = "--no-history --data-dir " + os.path.join(scratch, "data")
        notes = ""
        if conns > 4 * (os.cpu_count() or 1):
            # More connections than the default slots (4 per CPU): the excess
            # would be answered 429, which load_test.sh counts as a failure.
            env["THAIYYAL_MAX_CONCURRENT_EXECUTIONS"] = str(conns)
            notes = "; --max-concurrent-executions %d (the default, 4 per CPU, answers the " \
                    "excess 429)" % conns
        proc = subprocess.run(["bash", LOAD_TEST, thaiyyal, duration], env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        shutil.rmtree(scratch, ignore_errors=True)
        out = proc.stdout
        if proc.returncode == 77:
            table.add(area, workload, "skipped", "", out.strip().splitlines()[-1])
            continue
        fields = dict(re.findall(r"^(req/s|latency p50|latency p99|VmRSS before|VmRSS after):"
                                 r"\s+([0-9.]+)", out, re.M))
        if proc.returncode != 0 or len(fields) != 5:
            fails = [l for l in out.splitlines() if l.startswith("FAIL")] or out.splitlines()[-3:]
            table.fail(area, workload, "load_test.sh exited %d: %s"
                       % (proc.returncode, " ".join(fails)))
            continue
        if idle is None and history:
            idle = float(fields["VmRSS before"]) / 1024.0
        table.add(area, workload, "%s ms p50" % fields["latency p50"],
                  fmt_mib(float(fields["VmRSS after"]) / 1024.0),
                  "%s req/s, p99 %s ms; wrk -t%d -c%d -d%s; VmRSS after the load%s"
                  % (fields["req/s"], fields["latency p99"], min(2, conns), conns, duration,
                     notes))
    if idle is not None:
        table.rows.insert(first, [area, "idle, after one request", "", fmt_mib(idle),
                                  "VmRSS before the load; runs recorded in an SQLite store"])


def parallel_io_row(table, thaiyyal):
    area = "parallel I/O"
    workload = "8 independent http nodes of 200 ms, joined"
    progress("measuring parallel I/O (measure_parallel_io.sh)")
    proc = subprocess.run(["bash", PARALLEL_IO, thaiyyal, "8", "200"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout
    section = out.split("== 8 http nodes", 1)[-1].split("==", 1)[0]
    runs = dict(re.findall(r"--parallelism (\S+)\s+([0-9.]+) ms \(run\)", section))
    if proc.returncode != 0 or "default" not in runs or "1" not in runs:
        table.fail(area, workload, "measure_parallel_io.sh exited %d: %s"
                   % (proc.returncode, " ".join(out.strip().splitlines()[-2:])))
        return
    table.add(area, workload, fmt_time(float(runs["default"]) / 1e3), "",
              "--parallelism default, one run (run duration_ms); --parallelism 1: %s"
              % fmt_time(float(runs["1"]) / 1e3))


# --- the table --------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--quick", action="store_true", help="fewer runs, shorter loads")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = ap.parse_args()
    build = os.path.abspath(args.build_dir)
    bench = os.path.join(build, "tests", "bench")
    thaiyyal = os.path.join(build, "thaiyyal")
    for needed in (thaiyyal, os.path.join(bench, "spawn_measure")):
        if not os.access(needed, os.X_OK):
            sys.exit("%s is missing: build %s with -DTHAIYYAL_BUILD_BENCH=ON" % (needed, build))

    table = Table()
    cli = Cli(build, args.quick, table)
    tmp = tempfile.mkdtemp(prefix="thaiyyal-bench-")
    try:
        # Cold start: one process per command, a small workflow.
        mixed10 = gen_workflow("mixed", 10, "json", os.path.join(tmp, "mixed10.json"))
        area = "cold start"
        cli.row(area, "`thaiyyal --version`", ["--version"], expect_in("thaiyyal"))
        cli.row(area, "`thaiyyal eval 1+2`", ["eval", "1+2"],
                lambda out: None if out.strip() == "3" else "printed %r" % out)
        cli.row(area, "`validate`, 10 nodes (mixed)", ["validate", mixed10],
                expect_in("valid (10 nodes, 8 edges)"))
        cli.row(area, "`execute`, 10 nodes (mixed)", ["execute", mixed10, "-o", "json"],
                expect_json(lambda doc: None if len(doc["nodes"]) == 10
                            else "%d nodes in the result" % len(doc["nodes"])))

        # Load and validate by size, in process, then the command line.
        area = "load + validate"

        def load_row(entry):
            return (fmt_time(entry["seconds"]),
                    "%s, %s; %s" % (fmt_rate(entry["bytes_per_second"], "B"),
                                    fmt_rate(entry["items_per_second"], "nodes"),
                                    fmt_bytes(entry["bytes"])))
        sizes = [(10, "10"), (100, "100"), (1000, "1k"), (10000, "10k")]
        gbench_rows(table, area, os.path.join(bench, "load_bench"), "BM_LoadValidate", args.quick,
                    [("BM_LoadValidate%s/%d" % (fmt.capitalize(), n),
                      "%s nodes (mixed), %s, in process" % (label, fmt.upper()), load_row)
                     for fmt in ("json", "yaml") for n, label in sizes])
        for fmt in ("json", "yaml"):
            chain = gen_workflow("chain", 10000, fmt, os.path.join(tmp, "chain10k." + fmt))
            cli.row(area, "`validate` 10k-node chain, %s" % fmt.upper(),
                    ["validate"] + UNLIMITED_DOC + [chain],
                    expect_in("valid (10000 nodes, 9999 edges)"),
                    "%s file" % fmt_bytes(os.path.getsize(chain)), per=(10000, "node"))

        # Execution overhead per node.
        area = "execute"
        gbench_rows(table, area, os.path.join(bench, "engine_bench"), "BM_RunChain/10000$",
                    args.quick,
                    [("BM_RunChain/10000", "chain of 10k nodes, per node, in process",
                      lambda e: (fmt_time(e["per_node"]), "number -> operation chain; %s per run"
                                 % fmt_time(e["seconds"])))])
        chain = gen_workflow("chain", 9999, "json", os.path.join(tmp, "chain9999.json"))
        cli.row(area, "`execute --output json`, 9,999-node chain", ["execute"] + UNLIMITED_DOC +
                [chain, "--output", "json"],
                expect_json(lambda doc: None if doc["final_output"] == 9998 and
                            len(doc["node_results"]) == 9999
                            else "final_output %r" % doc["final_output"]),
                "load, check, run, print", per=(9999, "node"))

        doc, expected = range_pipeline(9898)
        path = os.path.join(tmp, "range-pipeline.json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        cli.row(area, "range -> filter -> map -> reduce, 9,898 items",
                ["execute", path, "-o", "json"],
                expect_json(lambda d: None if d["final_output"].get("result") == expected
                            else "sum %r, expected %d" % (d["final_output"], expected)),
                "whole command; sum %d checked" % expected)

        # Expression evaluation.
        area = "expressions"
        per_element = lambda what: lambda e: (fmt_time(e["seconds"]), what)  # noqa: E731
        gbench_rows(table, area, os.path.join(bench, "expr_bench"), ".", args.quick, [
            ("BM_ConditionPerElement", "condition per element",
             per_element("`item.price * item.qty > 100 && item.tags.includes('x')`")),
            ("BM_ValuePerElement", "the same as a value per element",
             per_element("evaluate() returning a Value")),
            ("BM_MapObjectPerElement", "object literal per element (map body)",
             per_element("3 keys, toUpperCase, includes")),
            ("BM_Compile1000Chars", "compile a 1,000-character expression",
             lambda e: (fmt_time(e["seconds"]), "lex, parse, static checks; %s"
                        % fmt_rate(e["bytes_per_second"], "B"))),
        ])

        # Array nodes on 1M elements, in process.
        area = "arrays (1M elements)"

        def array_row(what):
            return lambda e: (fmt_time(e["seconds"]), "%s; %s" % (
                what, fmt_rate(e["items_per_second"], "items")))
        gbench_rows(table, area, os.path.join(bench, "array_bench"),
                    "(BM_HandOnArray|BM_Filter|BM_Map|BM_Reduce|BM_FilterMapReduce|"
                    "BM_SortObjectsByField)/1000000$", args.quick, [
                        ("BM_Filter/1000000", "filter `item % 2 == 0`", array_row("numbers")),
                        ("BM_Map/1000000", "map `item * 3`", array_row("numbers")),
                        ("BM_Reduce/1000000", "reduce `accumulator + item`", array_row("numbers")),
                        ("BM_SortObjectsByField/1000000", "sort objects by a field, desc",
                         array_row("{id, score, name} rows")),
                        ("BM_FilterMapReduce/1000000", "filter -> map -> reduce",
                         array_row("chained")),
                        ("BM_HandOnArray/1000000", "handing the array in (baseline)",
                         lambda e: (fmt_time(e["seconds"]),
                                    "context constant -> expression node; included in the "
                                    "rows above")),
                    ])

        serve_rows(table, thaiyyal, args.quick)
        parallel_io_row(table, thaiyyal)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(table.render(args.markdown))
    if table.failures:
        progress("%d measurement(s) failed:" % len(table.failures))
        for f in table.failures:
            progress("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
