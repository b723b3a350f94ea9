#!/usr/bin/env bash
# Load test of `thaiyyal serve` with wrk (not part of `make test`).
#
# Starts serve on 127.0.0.1 with a free port, checks one execute of the
# workflow in wrk_execute.lua, then runs wrk with CONNS connections (default
# 4; -t is the smaller of 2 and CONNS) for DURATION (default 30s) and prints
# requests per second, p50/p99 latency, the non-2xx count (must be 0) and the
# server's resident memory (VmRSS) before and after.
#
# usage: [SERVE_ARGS=...] [CONNS=N] load_test.sh THAIYYAL [DURATION]
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: load_test.sh THAIYYAL [DURATION]" >&2
  exit 2
fi
THAIYYAL=$1
DURATION=${2:-30s}
HERE=$(cd "$(dirname "$0")" && pwd)
LUA="$HERE/wrk_execute.lua"
CONNS=${CONNS:-4}
if ! [[ "$CONNS" =~ ^[0-9]+$ ]] || [ "$CONNS" -lt 1 ]; then
  echo "FAIL CONNS '$CONNS' is not a positive whole number" >&2
  exit 2
fi
THREADS=$(( CONNS < 2 ? CONNS : 2 ))

if ! command -v wrk >/dev/null 2>&1; then
  echo "SKIP wrk not installed"
  exit 77
fi

# DURATION in whole seconds, for the outer timeout (wrk takes 30s, 2m, 1h).
case "$DURATION" in
  *h) secs=$(( ${DURATION%h} * 3600 )) ;;
  *m) secs=$(( ${DURATION%m} * 60 )) ;;
  *s) secs=${DURATION%s} ;;
  *) secs=$DURATION ;;
esac
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
  echo "FAIL duration '$DURATION' is not a whole number of seconds, minutes or hours" >&2
  exit 2
fi

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# SERVE_ARGS: more serve flags (default: a store in the temporary directory),
# e.g. SERVE_ARGS="--data-dir /tmp/d --no-history" or "--database postgres://...".
# shellcheck disable=SC2086
"$THAIYYAL" serve --addr 127.0.0.1:0 --port-file "$tmp/port" --log-level warn \
  ${SERVE_ARGS:---data-dir $tmp/data} >"$tmp/stdout" 2>"$tmp/stderr" &
server_pid=$!

for _ in $(seq 1 200); do
  [ -s "$tmp/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.05
done
if [ ! -s "$tmp/port" ]; then
  echo "FAIL serve did not start; stderr:"
  cat "$tmp/stderr"
  exit 1
fi
port=$(tr -d '[:space:]' <"$tmp/port")
base="http://127.0.0.1:$port"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }

# One request first: the workflow must run and give 30.
if ! python3 - "$base" "$LUA" <<'EOF'
import json, re, sys, urllib.request
base, lua = sys.argv[1], sys.argv[2]
body = re.search(r"wrk\.body = \[\[(.*)\]\]", open(lua).read(), re.S).group(1)
req = urllib.request.Request(base + "/api/v1/workflow/execute", data=body.encode(),
                             headers={"Content-Type": "application/json"}, method="POST")
with urllib.request.urlopen(req, timeout=10) as r:
    doc = json.load(r)
if r.status != 200 or doc["results"]["final_output"] != 30 or len(doc["results"]["node_results"]) != 10:
    print("FAIL the load workflow gave %s %r" % (r.status, doc))
    sys.exit(1)
EOF
then
  echo "FAIL the check request before the load failed"
  exit 1
fi

rss_before=$(rss_kib)
echo "serve pid $server_pid on $base; VmRSS before: ${rss_before} kB"
echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency (10-node workflow per request)"

timeout --kill-after=5 $(( secs + 30 )) \
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 10s -s "$LUA" "$base" >"$tmp/wrk" 2>&1
wrk_rc=$?
cat "$tmp/wrk"
rss_after=$(rss_kib)

if [ "$wrk_rc" -ne 0 ]; then
  echo "FAIL wrk exited $wrk_rc"
  exit 1
fi
result=$(grep '^RESULT' "$tmp/wrk" | sed 's/^RESULT //' | tr '\n' ' ')
get() { echo "$result" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
requests=$(get requests)
non2xx=$(get non2xx)
errors=$(( $(get connect_errors) + $(get read_errors) + $(get write_errors) + $(get timeouts) ))

echo "---"
echo "requests:       $requests"
echo "req/s:          $(get req_per_s)"
echo "latency p50:    $(get p50_ms) ms"
echo "latency p99:    $(get p99_ms) ms"
echo "non-2xx:        $non2xx"
echo "socket errors:  $errors"
echo "VmRSS before:   ${rss_before} kB"
echo "VmRSS after:    ${rss_after} kB (+$(( rss_after - rss_before )) kB)"

status=0
# A 10-node run takes well under a millisecond; a median near 40 ms is the
# signature of Nagle's algorithm meeting delayed ACKs (a response written in
# several pieces on a socket without TCP_NODELAY).
if awk -v p="$(get p50_ms)" 'BEGIN { exit !(p >= 35 && p <= 50) }'; then
  echo "WARN p50 is $(get p50_ms) ms: keep-alive responses stall (TCP_NODELAY off and the response sent in more than one write?)"
fi
if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
  echo "FAIL no requests completed"
  status=1
fi
if [ "${non2xx:-1}" -ne 0 ]; then
  echo "FAIL $non2xx responses were not 2xx"
  status=1
fi
if [ "$errors" -ne 0 ]; then
  echo "FAIL $errors socket errors (connect/read/write/timeout)"
  status=1
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "FAIL serve is no longer running; stderr:"
  tail -20 "$tmp/stderr"
  status=1
fi
if grep -q '"level":"ERROR"' "$tmp/stderr"; then
  echo "FAIL serve logged errors:"
  grep '"level":"ERROR"' "$tmp/stderr" | head -5
  status=1
fi
exit $status
