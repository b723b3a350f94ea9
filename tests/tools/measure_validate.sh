#!/usr/bin/env bash
# Measures `thaiyyal validate` on generated chain workflows of 10k, 50k and 100k
# nodes (JSON, and YAML up to 50k), with the document limits lifted, then checks
# that the default limits reject the big ones with a "too many nodes" error.
#
#   tests/tools/measure_validate.sh [BINARY] [SIZES...]
#
# BINARY defaults to build-release/thaiyyal (configure it with
# `cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release`). Uses
# hyperfine when installed, else bash's `time` over a few runs. Wall time on a
# shared machine includes waiting for a CPU, so the CPU time (user + sys) is
# printed as well.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build-release/thaiyyal}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 50000 100000)
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen="$root/tests/tools/gen_workflow.py"
unlimited=(--max-nodes 0 --max-edges 0 --max-payload-size 0)

cpu_seconds() {  # user + sys of one run, in seconds
  /usr/bin/time -f "%U %S" -o "$work/cpu" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.3f", $1 + $2}' "$work/cpu"
}

for n in "${sizes[@]}"; do
  for fmt in json yaml; do
    # yaml-cpp is several times slower than the JSON path; 100k YAML adds little.
    if [ "$fmt" = yaml ] && [ "$n" -gt 50000 ]; then continue; fi
    file="$work/chain$n.$fmt"
    python3 "$gen" chain "$n" --format "$fmt" -o "$file"
    size=$(du -h "$file" | cut -f1)
    out=$("$bin" validate "${unlimited[@]}" "$file")
    case "$out" in
      *"valid ($n nodes, $((n - 1)) edges)"*) ;;
      *) echo "unexpected output for $file: $out" >&2; exit 1 ;;
    esac
    echo "== $n nodes, $fmt, $size"
    if command -v hyperfine >/dev/null; then
      hyperfine --style basic -N --warmup 1 --runs 5 \
        "$bin validate ${unlimited[*]} $file" 2>&1 | grep -E "Time|Range"
    else
      for _ in 1 2 3; do
        { time "$bin" validate "${unlimited[@]}" "$file" >/dev/null; } 2>&1 | grep real
      done
      if [ -x /usr/bin/time ]; then
        echo "   cpu (user+sys): $(cpu_seconds "$bin" validate "${unlimited[@]}" "$file") s"
      fi
    fi
    if [ "$n" -gt 1000 ] && [ "$fmt" = json ]; then
      # The default limits (1000 nodes, 10000 edges, 1 MiB) must reject it clearly.
      set +e
      default_out=$("$bin" validate "$file")
      status=$?
      set -e
      if [ $status -ne 3 ] || ! grep -q "error\[too-many-nodes\]: too many nodes: $n (limit: 1000)" <<<"$default_out"; then
        echo "default limits did not reject $file (exit $status):" >&2
        echo "$default_out" >&2
        exit 1
      fi
      echo "   default limits: exit 3, too many nodes: $n (limit: 1000)"
    fi
  done
done
