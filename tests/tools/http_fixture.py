#!/usr/bin/env python3
"""A small local HTTP/1.1 server for tests (standard library only).

  http_fixture.py        prints its base URL ("http://127.0.0.1:PORT") and
                         serves until it is killed

or, imported: start() serves from a background thread and returns the base
URL; stop(url) shuts that instance down.

It listens on 127.0.0.1 with an ephemeral port. Routes:
  /json               a JSON object
  /text               plain text
  /status/<code>      answers with that status (and a small JSON body)
  /slow/<ms>          waits that many milliseconds, then answers with JSON
  /redirect/<n>       302 to /redirect/<n-1>; /redirect/1 redirects to /echo,
                      so the chain ends at /echo after n redirects
  /redirect-to?url=U  302 to U (status=<code> picks another 3xx status)
  /big/<bytes>        a plain-text body of that many bytes
  /echo               any method: JSON {method, path, query (the raw query
                      string), headers (names lower-cased), body}
  /peer               JSON {"port": the client's source port}: requests on one
                      kept-alive connection report the same port
Anything else is a 404 with a JSON body.

Every response (status line, headers, body) is written with a single write on
a socket with TCP_NODELAY set, so keep-alive requests never wait on Nagle's
algorithm and delayed ACKs.
"""
import http.server
import json
import socket
import sys
import threading
import time
import urllib.parse

_REASONS = {code: phrase for code, (phrase, _) in
            http.server.BaseHTTPRequestHandler.responses.items()}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "http-fixture"
    sys_version = ""

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def __getattr__(self, name):
        # do_GET, do_POST, do_WHATEVER: every method goes to the router.
        if name.startswith("do_"):
            return self.route
        raise AttributeError(name)

    # ---- request and response plumbing ------------------------------------------

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def reply(self, status, body=b"", content_type="application/json", extra=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        lines = ["HTTP/1.1 %d %s" % (status, _REASONS.get(status, "Status"))]
        lines.append("Server: http-fixture")
        lines.append("Content-Type: " + content_type)
        for name, value in extra:
            lines.append("%s: %s" % (name, value))
        no_body = self.command == "HEAD" or status in (204, 304) or 100 <= status < 200
        lines.append("Content-Length: %d" % (0 if status in (204, 304) else len(body)))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if no_body else head + body)

    def reply_json(self, status, value, extra=()):
        self.reply(status, json.dumps(value, sort_keys=True), "application/json", extra)

    # ---- routes ------------------------------------------------------------------

    def route(self):
        body = self.read_body()
        parts = urllib.parse.urlsplit(self.path)
        path, query = parts.path, parts.query
        segments = path.strip("/").split("/")
        head, arg = segments[0], (segments[1] if len(segments) > 1 else "")
        try:
            if path == "/json":
                self.reply_json(200, {"message": "hello", "items": [1, 2, 3], "ok": True})
            elif path == "/text":
                self.reply(200, "hello, world\n", "text/plain; charset=utf-8")
            elif head == "status" and arg.isdigit():
                code = int(arg)
                self.reply_json(code, {"status": code})
            elif head == "slow" and arg.isdigit():
                time.sleep(int(arg) / 1000.0)
                self.reply_json(200, {"slept_ms": int(arg)})
            elif head == "redirect" and arg.isdigit():
                n = int(arg)
                target = "/echo" if n <= 1 else "/redirect/%d" % (n - 1)
                self.reply_json(302, {"location": target}, [("Location", target)])
            elif path == "/redirect-to":
                params = urllib.parse.parse_qs(query)
                target = params.get("url", [""])[0]
                status = int(params.get("status", ["302"])[0])
                self.reply_json(status, {"location": target}, [("Location", target)])
            elif head == "big" and arg.isdigit():
                self.reply(200, b"x" * int(arg), "text/plain")
            elif path == "/peer":
                self.reply_json(200, {"port": self.client_address[1]})
            elif path == "/echo":
                headers = {}
                for name, value in self.headers.items():
                    name = name.lower()
                    headers[name] = headers[name] + ", " + value if name in headers else value
                self.reply_json(200, {
                    "method": self.command,
                    "path": path,
                    "query": query,
                    "headers": headers,
                    "body": body.decode("utf-8", "replace"),
                })
            else:
                self.reply_json(404, {"error": "not found", "path": path})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a burst of
    # concurrent connections, which the client then retries after 1 s.
    request_queue_size = 128


_servers = {}


def start():
    """Serves from a background thread; returns the base URL."""
    server = Server(("127.0.0.1", 0), Handler)
    url = "http://127.0.0.1:%d" % server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="http-fixture", daemon=True)
    thread.start()
    _servers[url] = (server, thread)
    return url


def stop(url):
    """Shuts down the instance start() returned `url` for."""
    server, thread = _servers.pop(url)
    server.shutdown()
    server.server_close()
    thread.join()


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
