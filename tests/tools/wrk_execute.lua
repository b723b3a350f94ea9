-- wrk script for load_test.sh: POSTs a 10-node workflow (five numbers summed by
-- four add operations, doubled by an expression; final output 30) to
-- /api/v1/workflow/execute, and prints machine-readable totals at the end.
wrk.method = "POST"
wrk.path = "/api/v1/workflow/execute"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"workflow_id":"load-10","nodes":[{"id":"n1","data":{"value":1}},{"id":"n2","data":{"value":2}},{"id":"n3","data":{"value":3}},{"id":"n4","data":{"value":4}},{"id":"n5","data":{"value":5}},{"id":"a1","data":{"op":"add"}},{"id":"a2","data":{"op":"add"}},{"id":"a3","data":{"op":"add"}},{"id":"a4","data":{"op":"add"}},{"id":"out","type":"expression","data":{"expression":"input * 2"}}],"edges":[{"source":"n1","target":"a1"},{"source":"n2","target":"a1"},{"source":"a1","target":"a2"},{"source":"n3","target":"a2"},{"source":"a2","target":"a3"},{"source":"n4","target":"a3"},{"source":"a3","target":"a4"},{"source":"n5","target":"a4"},{"source":"a4","target":"out"}]}]]

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("RESULT req_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
