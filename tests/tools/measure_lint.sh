#!/usr/bin/env bash
# Measures `thaiyyal lint` on a directory of generated workflows: FILES files
# (default 1000) of NODES nodes (default 100), half JSON and half YAML, each
# mixing numbers, expressions, conditions and visualizations. Prints the wall
# and CPU time of linting the whole directory (best of RUNS, default 5) and
# checks that every file was linted.
#
#   tests/tools/measure_lint.sh [BINARY] [FILES] [NODES] [RUNS]
#
# BINARY defaults to build/thaiyyal.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/thaiyyal}
files=${2:-1000}
nodes=${3:-100}
runs=${4:-5}
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen="$root/tests/tools/gen_workflow.py"
python3 "$gen" mixed "$nodes" --format json --files $((files / 2)) -o "$work/flows/json"
python3 "$gen" mixed "$nodes" --format yaml --files $((files - files / 2)) -o "$work/flows/yaml"

count=$("$bin" lint "$work/flows" --format json | python3 -c \
  'import json,sys; print(len(json.load(sys.stdin)["files"]))')
[ "$count" = "$files" ] || { echo "FAIL linted $count files, expected $files" >&2; exit 1; }

best_wall=
best_cpu=
for _ in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" lint "$work/flows" --format json \
    >/dev/null || true
  read -r wall user sys <"$work/time"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN {exit !(a < b)}'; then
    best_wall=$wall
    best_cpu=$cpu
  fi
done
echo "lint: $files files x $nodes nodes: wall ${best_wall}s, cpu ${best_cpu}s (best of $runs)"
