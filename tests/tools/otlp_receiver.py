#!/usr/bin/env python3
"""A minimal OTLP/HTTP JSON trace receiver for tests.

Usage: otlp_receiver.py PORT_FILE OUTPUT_FILE

Binds 127.0.0.1 on a free port and writes the port number to PORT_FILE (written
to a temporary name and renamed, so a reader never sees a partial number). Every
POST is answered 200 with `{}`; a body that parses as JSON (an
ExportTraceServiceRequest) is appended to OUTPUT_FILE as one line and flushed
before the answer is sent. Other bodies are answered 400. Stops on SIGTERM or
SIGINT.
"""

import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self.answer(400, b'{"error":"not JSON"}')
            return
        line = json.dumps(
            {
                "path": self.path,
                "content_type": self.headers.get("Content-Type", ""),
                "request": doc,
            },
            separators=(",", ":"),
        )
        with self.server.lock:
            self.server.out.write(line + "\n")
            self.server.out.flush()
        self.answer(200, b"{}")

    def answer(self, status, payload):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


def main():
    if len(sys.argv) != 3:
        print("usage: otlp_receiver.py PORT_FILE OUTPUT_FILE", file=sys.stderr)
        return 2
    port_file, output_file = sys.argv[1], sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.out = open(output_file, "a", encoding="utf-8")

    def stop(_signum, _frame):
        # shutdown() waits for serve_forever(), so call it from another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    tmp = port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, port_file)

    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
        server.out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
