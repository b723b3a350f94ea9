#!/usr/bin/env bash
# Measures concurrent execution of independent waiting nodes (decision D7):
# N http nodes against the local fixture's /slow/<ms> route, and N delay nodes
# of the same duration, each joined by one join node, run with
# --parallelism 1 (strictly sequential) and with --parallelism N, then with
# the default. Prints the run's own duration (duration_ms of the result) and
# the wall time of the command, and fails when the results (node_results, in
# order, and final_output) of the runs differ.
#
#   tests/tools/measure_parallel_io.sh [BINARY] [N] [MS]
#
# BINARY defaults to build/thaiyyal, N to 8, MS to 200.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/thaiyyal}
n=${2:-8}
ms=${3:-200}
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 2; }

work=$(mktemp -d)
fixture_pid=""
cleanup() {
  if [ -n "$fixture_pid" ]; then kill "$fixture_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 "$root/tests/tools/http_fixture.py" >"$work/url" &
fixture_pid=$!
for _ in $(seq 50); do
  [ -s "$work/url" ] && break
  sleep 0.1
done
url=$(head -n1 "$work/url")
[ -n "$url" ] || { echo "the http fixture did not start" >&2; exit 1; }

python3 - "$url" "$n" "$ms" "$work" <<'EOF'
import json, sys
url, n, ms, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def joined(make):
    nodes = [make(i) for i in range(1, n + 1)]
    nodes.append({"id": "all", "type": "join", "data": {}})
    edges = [{"source": node["id"], "target": "all"} for node in nodes[:-1]]
    return {"nodes": nodes, "edges": edges}
http = joined(lambda i: {"id": "fetch%d" % i, "type": "http",
                         "data": {"url": "%s/slow/%d?n=%d" % (url, ms, i)}})
delay = joined(lambda i: {"id": "wait%d" % i, "type": "delay",
                          "data": {"duration": "%dms" % ms}})
json.dump(http, open(work + "/http.json", "w"))
json.dump(delay, open(work + "/delay.json", "w"))
EOF

net=(--allow-http --allow-localhost)
run() {  # run KIND PARALLELISM -> prints "duration_ms wall_s", keeps the result
  local kind=$1 p=$2 start end
  start=$(date +%s.%N)
  if [ "$p" = default ]; then
    "$bin" execute "$work/$kind.json" "${net[@]}" -o json >"$work/$kind-$p.out"
  else
    "$bin" execute "$work/$kind.json" "${net[@]}" --parallelism "$p" -o json >"$work/$kind-$p.out"
  fi
  end=$(date +%s.%N)
  python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["status"] == "succeeded", doc.get("errors")
print("%.1f ms (run), %.3f s (wall)" % (doc["duration_ms"], float(sys.argv[3]) - float(sys.argv[2])))
' "$work/$kind-$p.out" "$start" "$end"
}

same() {  # same KIND A B: the results of two runs agree
  python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
keys = lambda d: list(d["node_results"])
if a["node_results"] != b["node_results"] or keys(a) != keys(b) or a["final_output"] != b["final_output"]:
    sys.exit("results differ: %s vs %s" % (sys.argv[1], sys.argv[2]))
' "$work/$1-$2.out" "$work/$1-$3.out"
}

for kind in http delay; do
  echo "== $n $kind nodes of ${ms} ms, joined"
  for p in 1 "$n" default; do
    printf '  --parallelism %-8s %s\n' "$p" "$(run "$kind" "$p")"
  done
  same "$kind" 1 "$n"
  same "$kind" 1 default
  echo "  results identical"
done
