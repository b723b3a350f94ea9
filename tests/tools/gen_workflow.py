#!/usr/bin/env python3
"""Writes generated workflows and hostile inputs for robustness and performance tests.

  gen_workflow.py chain N [--format json|yaml] [-o FILE]
      N number nodes wired as a chain: n0 -> n1 -> ... -> n(N-1) (a number node
      ignores its inputs, so the chain is valid whatever its length).
  gen_workflow.py independent N [--format json|yaml] [-o FILE]
      N unconnected number nodes.
  gen_workflow.py mixed N [--format json|yaml] [-o FILE] [--files K]
      N nodes in groups of five, as a real workflow mixes them: a number, an
      expression reading it, a condition on that, and a visualization on each
      of its true/false handles. With --files K, writes K such workflows
      (mixed-0000.json ...) into the directory -o names.
  gen_workflow.py hostile KIND [-o FILE]
      KIND is one of: deep-json, deep-yaml-flow, deep-yaml-block, garbage,
      truncated-json, truncated-yaml, invalid-utf8-json, invalid-utf8-yaml,
      nul-yaml, alias-bomb, string-bomb, big-json (about 50 MB), wide-object.
      --depth D sets the nesting of the deep-* kinds (default 10000).

Output goes to stdout unless -o is given. The output is deterministic.
"""
import argparse
import json
import random
import sys


def chain_nodes(n):
    nodes, edges = [], []
    for i in range(n):
        nodes.append({"id": "n%d" % i, "type": "number", "data": {"value": i}})
        if i > 0:
            edges.append({"id": "e%d" % i, "source": "n%d" % (i - 1), "target": "n%d" % i})
    return nodes, edges


def independent_nodes(n):
    return [{"id": "n%d" % i, "type": "number", "data": {"value": i}} for i in range(n)], []


def mixed_nodes(n):
    nodes, edges = [], []
    for g in range(0, n, 5):
        ids = ["n%d" % (g + k) for k in range(5)]
        group = [
            {"id": ids[0], "type": "number", "data": {"value": g}},
            {"id": ids[1], "type": "expression", "data": {"expression": "input * 2 + %d" % g}},
            {"id": ids[2], "type": "condition", "data": {"condition": "input > %d" % (g + 10)}},
            {"id": ids[3], "type": "visualization", "data": {"mode": "text"}},
            {"id": ids[4], "type": "visualization", "data": {"mode": "text"}},
        ][: n - g]
        nodes += group
        wires = [(0, 1, None), (1, 2, None), (2, 3, "true"), (2, 4, "false")]
        for a, b, handle in wires:
            if b < len(group):
                e = {"id": "e%d-%d" % (g + a, g + b), "source": ids[a], "target": ids[b]}
                if handle:
                    e["sourceHandle"] = handle
                edges.append(e)
    return nodes, edges


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v)  # a JSON string is a valid YAML double-quoted scalar


def to_yaml(doc):
    out = ["workflow_id: %s" % yaml_scalar(doc["workflow_id"]), "nodes:"]
    for n in doc["nodes"]:
        out.append("  - id: %s" % yaml_scalar(n["id"]))
        out.append("    type: %s" % n["type"])
        out.append("    data:")
        for k, v in n["data"].items():
            out.append("      %s: %s" % (k, yaml_scalar(v)))
    out.append("edges:" if doc["edges"] else "edges: []")
    for e in doc["edges"]:
        handle = ", sourceHandle: %s" % yaml_scalar(e["sourceHandle"]) if "sourceHandle" in e else ""
        out.append("  - {id: %s, source: %s, target: %s%s}" % (
            yaml_scalar(e["id"]), yaml_scalar(e["source"]), yaml_scalar(e["target"]), handle))
    return "\n".join(out) + "\n"


def workflow(shape, n, fmt):
    shapes = {"chain": chain_nodes, "independent": independent_nodes, "mixed": mixed_nodes}
    nodes, edges = shapes[shape](n)
    doc = {"workflow_id": "%s-%d" % (shape, n), "nodes": nodes, "edges": edges}
    if fmt == "yaml":
        return to_yaml(doc).encode()
    # One node or edge per line, as an editor export pretty-printed by a person.
    lines = ['{"workflow_id": %s,' % json.dumps(doc["workflow_id"]), ' "nodes": [']
    lines += ["  %s," % json.dumps(n) for n in nodes]
    if nodes:
        lines[-1] = lines[-1][:-1]
    lines += [" ],", ' "edges": [']
    lines += ["  %s," % json.dumps(e) for e in edges]
    if edges:
        lines[-1] = lines[-1][:-1]
    lines += [" ]", "}"]
    return ("\n".join(lines) + "\n").encode()


def hostile(kind, depth):
    rng = random.Random(20240115)
    valid = b'{"workflow_id": "t", "nodes": [{"id": "a", "type": "number", "data": {"value": 1}}]}\n'
    if kind == "deep-json":
        return b'{"nodes": ' + b"[" * depth + b"]" * depth + b"}\n"
    if kind == "deep-yaml-flow":
        return b"nodes: " + b"[" * depth + b"]" * depth + b"\n"
    if kind == "deep-yaml-block":
        return b"".join(b"  " * i + b"k:\n" for i in range(depth))
    if kind == "garbage":
        return bytes(rng.randrange(256) for _ in range(4096))
    if kind == "truncated-json":
        return valid[: len(valid) // 2]
    if kind == "truncated-yaml":
        return b'nodes:\n  - id: a\n    type: number\n    data: {value: [1, 2\n'
    if kind == "invalid-utf8-json":
        return valid.replace(b'"a"', b'"a\xff"')
    if kind == "invalid-utf8-yaml":
        return b'nodes:\n  - id: "a\xff"\n    type: number\n    data: {value: 1}\n'
    if kind == "nul-yaml":
        return b"nodes: []\n\x00garbage\n"
    if kind == "alias-bomb":
        lines = [b'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
        for i in range(1, 10):
            refs = b",".join(b"*a%d" % (i - 1) for _ in range(10))
            lines.append(b"a%d: &a%d [%s]" % (i, i, refs))
        return b"\n".join(lines) + b"\n"
    if kind == "string-bomb":
        # 3000 references to one 1 MiB string: 3 GB once expanded.
        refs = b", ".join(b"*s" for _ in range(3000))
        return b'text: &s "' + b"x" * (1 << 20) + b'"\nnodes: [' + refs + b"]\n"
    if kind == "big-json":
        # About 50 MB: few nodes, one huge string value each.
        blob = "x" * (1 << 20)
        nodes = [{"id": "n%d" % i, "type": "number", "data": {"value": i, "label": blob}}
                 for i in range(50)]
        return (json.dumps({"workflow_id": "big", "nodes": nodes}) + "\n").encode()
    if kind == "wide-object":
        data = {"k%d" % i: i for i in range(100000)}
        data["value"] = 1
        return (json.dumps({"nodes": [{"id": "a", "type": "number", "data": data}]}) + "\n").encode()
    raise SystemExit("unknown hostile kind: " + kind)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("shape", choices=["chain", "independent", "mixed", "hostile"])
    p.add_argument("arg", help="node count, or the hostile kind")
    p.add_argument("--format", choices=["json", "yaml"], default="json")
    p.add_argument("--depth", type=int, default=10000)
    p.add_argument("-o", "--output")
    p.add_argument("--files", type=int, default=0)
    a = p.parse_args()
    if a.files:
        import os
        os.makedirs(a.output, exist_ok=True)
        data = workflow(a.shape, int(a.arg), a.format)
        for i in range(a.files):
            with open(os.path.join(a.output, "%s-%04d.%s" % (a.shape, i, a.format)), "wb") as f:
                f.write(data)
        return
    data = hostile(a.arg, a.depth) if a.shape == "hostile" else workflow(a.shape, int(a.arg), a.format)
    if a.output:
        with open(a.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
