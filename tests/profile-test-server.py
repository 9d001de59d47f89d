#!/usr/bin/python3
"""HTTP/1.1 server for tests/test-profile-browser.py: it says what it saw.

Listens on 127.0.0.1 on a port the kernel picks and prints the port on the
first line of stdout. Keeps connections alive (HTTP/1.1) and numbers them, so
that a test can count how many TCP connections the browser opened. Every
request is recorded with its connection's number and the headers a profile
changes (Cookie, If-None-Match, If-Modified-Since, Cache-Control).

Paths:
  /page?title=T            200 text/html, a page titled T (default "Page")
  /set?cookie=LINE[&cookie=LINE...][&title=T]
                           200 text/html with one Set-Cookie per LINE
  /redirect-set?cookie=LINE&to=PATH
                           302 to PATH, with Set-Cookie: LINE
  /image?id=N[&max-age=S]  200 image/png, a 1x1 PNG; no-store, or cacheable S seconds
  /images?n=N[&host=H][&max-age=S]
                           200 text/html with N images /image?id=I (on host H:port
                           when given, another site; cacheable S seconds when given)
  any path, &close=1       the response says Connection: close (no keep-alive)
  /icon-page?title=T       200 text/html declaring <link rel=icon href=/icon.png>
  /icon.png                200 image/png, 48x48 blue
  /favicon.ico             404 (a page without a declared icon has none)
  /cached?max-age=S&etag=E&tag=X[&vary=V]
                           200 text/plain with Cache-Control: max-age=S and
                           ETag E (and Vary: V): 304 when If-None-Match is E;
                           the body names the request's Cookie
  /seen                    200 application/json: the requests so far, as
                           [{"path", "conn", "cookie", "if_none_match",
                             "if_modified_since", "cache_control", "t", "done"}]
                           (t: when the request arrived, done: when its answer
                           was written, seconds on the server's monotonic clock),
                           this one left out; /seen?reset=1 forgets them after

--connect-delay-ms=N holds each new connection N ms before reading from it,
as a server N ms away costs a round trip for TCP's handshake (tools/bench-profile).
Run with Debian's /usr/bin/python3 (stdlib only).
"""
import http.server
import json
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import zlib

LOCK = threading.Lock()
SEEN = []
CONNECTIONS = [0]
CONNECT_DELAY_S = [0.0]


def png(side, rgb):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xffffffff)
    raw = (b"\x00" + bytes(rgb) * side) * side
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = png(1, (255, 0, 0))
ICON = png(48, (0, 0, 255))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY, as real servers set it: the head and the body are two
    # writes, and with Nagle's algorithm the body waits for the client's
    # delayed ACK (40 ms) on every request of a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        if CONNECT_DELAY_S[0]:
            time.sleep(CONNECT_DELAY_S[0])
        super().setup()
        with LOCK:
            CONNECTIONS[0] += 1
            self.conn_id = CONNECTIONS[0]

    def send(self, status, content_type, body, headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if "close=1" in self.path:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def page(self, title, extra=""):
        title = title.replace("<", "&lt;")
        return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>{extra}</body></html>"

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        record = None
        if url.path != "/seen":
            record = {"path": self.path, "conn": self.conn_id,
                      "cookie": self.headers.get("Cookie"),
                      "if_none_match": self.headers.get("If-None-Match"),
                      "if_modified_since": self.headers.get("If-Modified-Since"),
                      "cache_control": self.headers.get("Cache-Control"),
                      "t": time.monotonic(), "done": None}
            with LOCK:
                SEEN.append(record)
        try:
            self.answer(url, query)
        finally:
            if record is not None:
                record["done"] = time.monotonic()

    def answer(self, url, query):
        title = query.get("title", ["Page"])[0]
        if url.path == "/page":
            self.send(200, "text/html; charset=utf-8", self.page(title))
        elif url.path == "/set":
            headers = [("Set-Cookie", line) for line in query.get("cookie", [])]
            self.send(200, "text/html; charset=utf-8", self.page(title), headers)
        elif url.path == "/redirect-set":
            headers = [("Set-Cookie", line) for line in query.get("cookie", [])]
            headers.append(("Location", query.get("to", ["/page"])[0]))
            self.send(302, "text/plain", "redirect", headers)
        elif url.path == "/icon-page":
            self.send(200, "text/html; charset=utf-8",
                      self.page(title).replace("<title>", '<link rel="icon" href="/icon.png"><title>'))
        elif url.path == "/icon.png":
            self.send(200, "image/png", ICON, [("Cache-Control", "max-age=3600")])
        elif url.path == "/image":
            max_age = query.get("max-age", [None])[0]
            self.send(200, "image/png", PNG,
                      [("Cache-Control", f"max-age={max_age}" if max_age else "no-store")])
        elif url.path == "/images":
            n = int(query.get("n", ["1"])[0])
            host = query.get("host", [None])[0]
            base = f"http://{host}:{self.server.server_address[1]}" if host else ""
            extra = "&max-age=" + query["max-age"][0] if "max-age" in query else ""
            extra += "&close=1" if "close" in query else ""
            imgs = "".join(f'<img src="{base}/image?id={i}{extra}" width="8" height="8">' for i in range(n))
            self.send(200, "text/html; charset=utf-8", self.page(title, imgs))
        elif url.path == "/cached":
            etag = query.get("etag", ['"v1"'])[0]
            max_age = query.get("max-age", ["0"])[0]
            headers = [("Cache-Control", f"max-age={max_age}"), ("ETag", etag)]
            if "vary" in query:
                headers.append(("Vary", query["vary"][0]))
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send(200, "text/plain", f"cached body {query.get('tag', [''])[0]} "
                      f"cookie={self.headers.get('Cookie')}", headers)
        elif url.path == "/seen":
            with LOCK:
                body = json.dumps(SEEN)
                if "reset" in query:
                    SEEN.clear()
            self.send(200, "application/json", body, [("Cache-Control", "no-store")])
        else:
            self.send(404, "text/plain", "not found")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # A browser killed mid-load (the kill -9 test) resets its connections.
        if isinstance(sys.exc_info()[1], ConnectionResetError):
            return
        super().handle_error(request, client_address)


def main():
    for arg in sys.argv[1:]:
        if arg.startswith("--connect-delay-ms="):
            CONNECT_DELAY_S[0] = int(arg.split("=", 1)[1]) / 1000
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
