#!/usr/bin/env python3
"""Writes the array-node performance workflows (deterministic output).

  gen_array_bench.py pipeline N [-o FILE]
      text_input (a JSON array of N numbers) -> parse -> filter (even numbers)
      -> map (times 3) -> reduce (sum); the expected sum goes to stderr.
  gen_array_bench.py sort N [-o FILE]
      text_input (a JSON array of N objects {"id", "score", "name"}) -> parse
      -> sort by "score", descending.

The input array travels as the text of a text_input node and becomes an array
in the parse node, so the measured time includes parsing it. Run a Release
build with the value limits raised, e.g.

  gen_array_bench.py pipeline 1000000 -o /tmp/pipeline.json
  time build-array-rel/thaiyyal execute /tmp/pipeline.json --max-array-length 0 \\
      --max-string-length 0 --max-depth 0 --max-payload-size 0 --max-input-size 0 >/dev/null

(--max-input-size 0 is needed for inputs over 10 MB of JSON, e.g. sort 1000000.)

  gen_array_bench.py measure BIN [N] [--runs R] [--output text|json]
      Writes both workflows for N elements (default 1000000) to a temporary
      folder, runs `BIN execute` on each R times (default 3) with the limits
      above raised, checks the results and prints the best wall-clock and CPU
      (user + system) times.

Output goes to stdout unless -o is given.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

LIMIT_FLAGS = ["--max-array-length", "0", "--max-string-length", "0", "--max-depth", "0",
               "--max-payload-size", "0", "--max-input-size", "0"]


def source(text):
    return [
        {"id": "src", "type": "text_input", "data": {"text": text}},
        {"id": "arr", "type": "parse", "data": {"input_type": "JSON"}},
    ], [{"id": "e0", "source": "src", "target": "arr"}]


def chain(nodes, edges, first, rest):
    prev = first
    for i, node in enumerate(rest):
        nodes.append(node)
        edges.append({"id": "e%d" % (i + 1), "source": prev, "target": node["id"]})
        prev = node["id"]


def pipeline(n, rng):
    values = [rng.randrange(0, 1000000) for _ in range(n)]
    nodes, edges = source(json.dumps(values, separators=(",", ":")))
    chain(nodes, edges, "arr", [
        {"id": "even", "type": "filter", "data": {"condition": "item % 2 == 0"}},
        {"id": "triple", "type": "map", "data": {"expression": "item * 3"}},
        {"id": "sum", "type": "reduce",
         "data": {"expression": "accumulator + item", "initial_value": 0}},
    ])
    expected = sum(v * 3 for v in values if v % 2 == 0)
    return {"workflow_id": "array-bench-pipeline-%d" % n, "nodes": nodes, "edges": edges}, expected


def sort_workflow(n, rng):
    rows = [{"id": i, "score": rng.randrange(0, 1000000), "name": "n%d" % i} for i in range(n)]
    nodes, edges = source(json.dumps(rows, separators=(",", ":")))
    chain(nodes, edges, "arr", [
        {"id": "sorted", "type": "sort", "data": {"field": "score", "order": "desc"}},
    ])
    expected = max(r["score"] for r in rows) if rows else None
    return {"workflow_id": "array-bench-sort-%d" % n, "nodes": nodes, "edges": edges}, expected


def run_once(binary, path, output):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run([binary, "execute", path, "--output", output] + LIMIT_FLAGS,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit("%s failed (exit %d): %s" % (path, proc.returncode, proc.stderr.decode()[-2000:]))
    return wall, cpu, proc.stdout


def measure(binary, n, runs, output):
    with tempfile.TemporaryDirectory() as tmp:
        for kind, make in (("pipeline", pipeline), ("sort", sort_workflow)):
            doc, expected = make(n, random.Random(1))
            path = os.path.join(tmp, kind + ".json")
            with open(path, "w") as f:
                json.dump(doc, f, separators=(",", ":"))
            best_wall = best_cpu = None
            for _ in range(runs):
                wall, cpu, out = run_once(binary, path, output)
                best_wall = wall if best_wall is None else min(best_wall, wall)
                best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
            if output == "json":
                result = json.loads(out)
                if kind == "pipeline":
                    got = result["final_output"]["result"]
                else:
                    got = result["final_output"]["sorted"][0]["score"] if n else None
                if got != expected:
                    sys.exit("%s: expected %r, got %r" % (kind, expected, got))
            print("%-8s n=%d output=%s: best of %d: %.3f s wall, %.3f s cpu" %
                  (kind, n, output, runs, best_wall, best_cpu))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        ap = argparse.ArgumentParser(prog="gen_array_bench.py measure")
        ap.add_argument("binary")
        ap.add_argument("n", type=int, nargs="?", default=1000000)
        ap.add_argument("--runs", type=int, default=3)
        ap.add_argument("--output", choices=["text", "json"], default="text")
        args = ap.parse_args(sys.argv[2:])
        measure(args.binary, args.n, args.runs, args.output)
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("kind", choices=["pipeline", "sort"])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    make = pipeline if args.kind == "pipeline" else sort_workflow
    doc, expected = make(args.n, rng)
    if args.kind == "pipeline":
        sys.stderr.write("expected sum: %d\n" % expected)
    text = json.dumps(doc, separators=(",", ":"))
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
