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
      --max-string-length 0 --max-depth 0 --max-payload-size 0 >/dev/null

Output goes to stdout unless -o is given.
"""
import argparse
import json
import random
import sys


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
    sys.stderr.write("expected sum: %d\n" % expected)
    return {"workflow_id": "array-bench-pipeline-%d" % n, "nodes": nodes, "edges": edges}


def sort_workflow(n, rng):
    rows = [{"id": i, "score": rng.randrange(0, 1000000), "name": "n%d" % i} for i in range(n)]
    nodes, edges = source(json.dumps(rows, separators=(",", ":")))
    chain(nodes, edges, "arr", [
        {"id": "sorted", "type": "sort", "data": {"field": "score", "order": "desc"}},
    ])
    return {"workflow_id": "array-bench-sort-%d" % n, "nodes": nodes, "edges": edges}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("kind", choices=["pipeline", "sort"])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    doc = pipeline(args.n, rng) if args.kind == "pipeline" else sort_workflow(args.n, rng)
    text = json.dumps(doc, separators=(",", ":"))
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
