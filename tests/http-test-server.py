#!/usr/bin/python3
"""HTTP server for test-fetcher (tests/fetcher-test-util.c starts it).

Listens on 127.0.0.1, on a port the kernel picks, and prints that port on
the first line of stdout, followed by a second port for the same paths over
TLS, with a self-signed certificate for "alpha.test" made at start-up by the
openssl command (0 when openssl is missing), and a third port for the same
paths whose listen backlog is large (the first two keep Python's default of
5, as `python3 -m http.server` does). Run with Debian's /usr/bin/python3
(stdlib only).

Paths:
  /page                 200 text/html; charset=utf-8, a small known page
  /host                 200 text/plain: "Host: <the Host header it received>"
  /headers              200 text/plain: Accept-Encoding, User-Agent, Origin received
  /redirect/N           302 to /redirect/N-1 (odd N: absolute Location built
                        from the Host header; even N: relative); /redirect/0
                        is a page saying "redirects done"
  /redirect-301 ... 308 that status, Location: /page
  /redirect-to-file     302 to file:///etc/passwd
  /redirect-bad-authority  302 to "http://a;x/", which GLib's relaxed parser
                        splits into host "a" and path ";x/"
  /gzip                 the /page body gzip-compressed, Content-Encoding: gzip
  /gzip-bomb?bytes=N    N zero bytes once decompressed, a few KiB on the wire
  /slow                 headers and part of the body, then nothing for 60 s
  /slow-headers         nothing at all for 60 s after the request
  /status/N             status N with a short text/html body
  /large?bytes=N        N bytes of "x", with Content-Length
  /large-chunked?bytes=N   the same, chunked, no Content-Length
  /charset              text/html; charset="ISO-8859-1", body "caf\\xe9"
  /no-type              no Content-Type at all, an HTML body
  /close-delimited      no Content-Length, not chunked: ends with the connection
  /truncated            Content-Length 100, 10 bytes, then closes
  /tls-sni              the server names (SNI) TLS clients asked for, one a line
  /hold?ms=N            waits N ms, then 200 text/plain "held"
  /hold-peak            how many /hold requests were in progress at once, at
                        most, since the last /hold-peak (which resets it)
  /drip?parts=N&ms=M    text/html, chunked: a page in N parts (a coloured block
                        each, "part I of N"), one every M ms, the first at once
  /gated?id=X           text/html, chunked: the head and a red block "first
                        part", then nothing until /release?id=X, then a blue
                        block "second part" and the end (120 s at most)
  /release?id=X         lets /gated?id=X finish; text/plain "released"
  /subresources?images=N[&ms=M]   200 text/html: a page with one style
                        sheet (/style.css) and N images (/image/I.png?ms=M),
                        as a Debian Reference chapter has (1 + 6)
  /style.css            200 text/css
  /image/I.png[?ms=M]   200 image/png, a 16x16 PNG (any I), after M ms
  /script/NAME          a page of tests/data/script/ (test-browser-script.c),
                        by its extension: .html text/html, .js application/javascript
  /jquery.js            Debian's jQuery (libjs-jquery), application/javascript
  /cookie-page          a page that sets the cookies server=1 and, HttpOnly, secret=2
  /cors?key=K[&allow=V] (GET or POST) 200 text/plain "cors body K", with
                        Access-Control-Allow-Origin: V when given; remembers
                        the request's method, Origin and Cookie under K
  /cors-redirect?to=U[&allow=V]  302 to U, with Access-Control-Allow-Origin: V
                        when given
  /cors-seen?key=K      text/plain: what /cors?key=K received ("METHOD Origin:
                        O Cookie: C", "(none)" for a missing header), or
                        "not seen"
  /open-connections     how many connections this server has open now,
                        this one included
  /close-at-once        closes the connection without a byte of response
  /bad-status           "HTTP/1.1 abc OK": no status code
  /malformed-chunked    chunked, with a chunk size "zz"; the connection stays
                        open 3 s after that (the browser must close it)
  /big-headers?bytes=N  200 with an X-Padding header of N bytes
  /two-content-types    HTML with "Content-Type: image/png" and then
                        "Content-Type: text/html; charset=utf-8"
  /many?images=N&embeds=M&sheets=K
                        a page with K style sheets, N images (8x8 px, each its
                        own URL /many/image-I.png, a red PNG) and M <embed>s of
                        /many/tiny.svg
  /many/...             those subresources
  /many-served          "images I sheets S svgs V": how many distinct images and
                        style sheets, and how many SVG requests, were served
"""

import gzip
import http.server
import struct
import zlib
import os
import shutil
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib

SNI_SEEN = []

HOLD_LOCK = threading.Lock()

GATES_LOCK = threading.Lock()
GATES = {}

CORS_LOCK = threading.Lock()
CORS_SEEN = {}


def gate(name):
    with GATES_LOCK:
        return GATES.setdefault(name, threading.Event())
HOLD_NOW = 0
HOLD_PEAK = 0

MANY_LOCK = threading.Lock()
MANY_IMAGES = set()
MANY_SHEETS = set()
MANY_SVGS = 0


def png_1x1(r, g, b):
    def chunk(kind, data):
        return (len(data).to_bytes(4, "big") + kind + data +
                (zlib.crc32(kind + data) & 0xffffffff).to_bytes(4, "big"))
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(bytes([0, r, g, b]))) + chunk(b"IEND", b""))


RED_PNG = png_1x1(230, 20, 20)
TINY_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
            b'<rect width="8" height="8" fill="#1a7f37"/></svg>')

PAGE = b"<!DOCTYPE html><html><head><title>Test page</title></head><body>hello</body></html>"

OPEN_LOCK = threading.Lock()
OPEN_CONNECTIONS = 0


def make_png(width, height):
    """A solid blue RGB PNG, from the standard library alone."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\0" + b"\x20\x40\xc0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = make_png(16, 16)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BulkheadTest/1.0"

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def setup(self):
        global OPEN_CONNECTIONS
        super().setup()
        with OPEN_LOCK:
            OPEN_CONNECTIONS += 1

    def finish(self):
        global OPEN_CONNECTIONS
        try:
            super().finish()
        finally:
            with OPEN_LOCK:
                OPEN_CONNECTIONS -= 1

    def send_body(self, status, content_type, body, extra_headers=()):
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, status, location):
        self.send_body(status, "text/html", b"moved", [("Location", location)])

    def query_int(self, query, name, default):
        try:
            return int(urllib.parse.parse_qs(query).get(name, [default])[0])
        except ValueError:
            return default

    def hold(self, ms):
        global HOLD_NOW, HOLD_PEAK
        with HOLD_LOCK:
            HOLD_NOW += 1
            HOLD_PEAK = max(HOLD_PEAK, HOLD_NOW)
        try:
            time.sleep(ms / 1000)
        finally:
            with HOLD_LOCK:
                HOLD_NOW -= 1
        self.send_body(200, "text/plain", b"held")

    def hold_peak(self):
        global HOLD_PEAK
        with HOLD_LOCK:
            peak, HOLD_PEAK = HOLD_PEAK, 0
        self.send_body(200, "text/plain", str(peak).encode())

    def send_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def start_chunked_html(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def drip(self, parts, ms):
        self.start_chunked_html()
        try:
            self.send_chunk(b"<!DOCTYPE html><html><head><title>Drip</title></head><body>")
            for i in range(1, parts + 1):
                if i > 1:
                    time.sleep(ms / 1000)
                self.send_chunk(b'<div style="background:#c00000;color:white;padding:20px">part %d of %d</div>\n'
                                % (i, parts))
            self.send_chunk(b"</body></html>")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def gated(self, name):
        self.start_chunked_html()
        try:
            self.send_chunk(b"<!DOCTYPE html><html><head><title>Gated</title></head><body>"
                            b'<div style="background:#ff0000;color:white;padding:60px">first part</div>\n')
            gate(name).wait(120)
            self.send_chunk(b'<div style="background:#0000ff;color:white;padding:60px">second part</div>'
                            b"</body></html>")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
    def many(self, query):
        images = self.query_int(query, "images", 0)
        embeds = self.query_int(query, "embeds", 0)
        sheets = self.query_int(query, "sheets", 0)
        parts = ["<!DOCTYPE html><html><head><title>many</title>"]
        parts += ['<link rel="stylesheet" href="/many/sheet-%d.css">' % i for i in range(sheets)]
        parts.append("</head><body><p>%d images, %d embeds, %d style sheets</p><p>" %
                     (images, embeds, sheets))
        parts += ['<img src="/many/image-%d.png" width="8" height="8" alt="">' % i
                  for i in range(images)]
        parts.append("</p><p>")
        parts += ['<embed type="image/svg+xml" src="/many/tiny.svg" width="8" height="8">'
                  for _ in range(embeds)]
        parts.append("</p></body></html>")
        self.send_body(200, "text/html; charset=utf-8", "".join(parts).encode())

    def many_resource(self, name):
        global MANY_SVGS
        with MANY_LOCK:
            if name.startswith("image-"):
                MANY_IMAGES.add(name)
            elif name.startswith("sheet-"):
                MANY_SHEETS.add(name)
            elif name == "tiny.svg":
                MANY_SVGS += 1
        if name.startswith("image-"):
            self.send_body(200, "image/png", RED_PNG)
        elif name.startswith("sheet-"):
            self.send_body(200, "text/css", b"p { margin: 4px 0 }")
        elif name == "tiny.svg":
            self.send_body(200, "image/svg+xml", TINY_SVG)
        else:
            self.send_body(404, "text/plain", b"no such resource")

    def cors(self, query, body=b""):
        params = urllib.parse.parse_qs(query)
        key = params.get("key", [""])[0]
        with CORS_LOCK:
            CORS_SEEN[key] = "%s Origin: %s Cookie: %s" % (
                self.command, self.headers.get("Origin", "(none)"), self.headers.get("Cookie", "(none)"))
        extra = [("Access-Control-Allow-Origin", params["allow"][0])] if "allow" in params else []
        self.send_body(200, "text/plain", ("cors body %s" % key).encode() + body, extra)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, url.query

        if path == "/cors":
            self.cors(query)
        elif path == "/cors-redirect":
            params = urllib.parse.parse_qs(query)
            extra = [("Access-Control-Allow-Origin", params["allow"][0])] if "allow" in params else []
            self.send_body(302, "text/html", b"moved", [("Location", params["to"][0])] + extra)
        elif path == "/cors-seen":
            with CORS_LOCK:
                seen = CORS_SEEN.get(urllib.parse.parse_qs(query).get("key", [""])[0], "not seen")
            self.send_body(200, "text/plain", seen.encode())
        elif path == "/page":
            self.send_body(200, "text/html; charset=utf-8", PAGE)
        elif path.startswith("/script/") and "/" not in path[len("/script/"):] and ".." not in path:
            name = path[len("/script/"):]
            here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "script", name)
            kind = "application/javascript" if name.endswith(".js") else "text/html; charset=utf-8"
            try:
                with open(here, "rb") as f:
                    self.send_body(200, kind, f.read())
            except OSError:
                self.send_body(404, "text/plain", b"no such script page")
        elif path.startswith("/policy/"):
            # The Debian Policy manual (package debian-policy, built with Sphinx), whose
            # _static/ links to Debian's sphinxdoc scripts.
            root = "/usr/share/doc/debian-policy/policy.html"
            here = os.path.realpath(os.path.join(root, path[len("/policy/"):]))
            kinds = {".html": "text/html; charset=utf-8", ".js": "application/javascript", ".css": "text/css",
                     ".png": "image/png", ".svg": "image/svg+xml"}
            kind = kinds.get(os.path.splitext(here)[1], "application/octet-stream")
            try:
                if not here.startswith("/usr/share/"):
                    raise OSError("outside /usr/share")
                with open(here, "rb") as f:
                    self.send_body(200, kind, f.read())
            except OSError:
                self.send_body(404, "text/plain", b"no such policy page")
        elif path == "/cookie-page":
            self.send_body(200, "text/html; charset=utf-8", b"<title>cookies</title><p>Cookies set.</p>",
                           [("Set-Cookie", "server=1; Path=/"), ("Set-Cookie", "secret=2; Path=/; HttpOnly")])
        elif path == "/jquery.js":
            with open("/usr/share/javascript/jquery/jquery.min.js", "rb") as f:
                self.send_body(200, "application/javascript", f.read())
        elif path == "/host":
            host = self.headers.get("Host", "")
            self.send_body(200, "text/plain", ("Host: " + host).encode())
        elif path == "/headers":
            text = "Accept-Encoding: %s\nUser-Agent: %s\nOrigin: %s\n" % (
                self.headers.get("Accept-Encoding", ""), self.headers.get("User-Agent", ""),
                self.headers.get("Origin", "(none)"))
            self.send_body(200, "text/plain", text.encode())
        elif path.startswith("/redirect/"):
            n = int(path[len("/redirect/"):])
            if n <= 0:
                self.send_body(200, "text/plain", b"redirects done")
            elif n % 2 == 1:
                self.redirect(302, "http://%s/redirect/%d" % (self.headers["Host"], n - 1))
            else:
                self.redirect(302, "/redirect/%d" % (n - 1))
        elif path.startswith("/redirect-") and path[len("/redirect-"):].isdigit():
            self.redirect(int(path[len("/redirect-"):]), "/page")
        elif path == "/redirect-to-file":
            self.redirect(302, "file:///etc/passwd")
        elif path == "/redirect-bad-authority":
            self.redirect(302, "http://a;x/")
        elif path == "/gzip":
            self.send_body(200, "text/html; charset=utf-8", gzip.compress(PAGE),
                           [("Content-Encoding", "gzip")])
        elif path == "/gzip-bomb":
            n = self.query_int(query, "bytes", 1 << 20)
            self.send_body(200, "application/octet-stream", gzip.compress(b"\0" * n),
                           [("Content-Encoding", "gzip")])
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<html>partial")
            self.wfile.flush()
            time.sleep(60)
        elif path == "/slow-headers":
            time.sleep(60)
        elif path.startswith("/status/"):
            status = int(path[len("/status/"):])
            self.send_body(status, "text/html", ("<h1>status %d</h1>" % status).encode())
        elif path == "/large":
            n = self.query_int(query, "bytes", 1 << 20)
            self.send_body(200, "text/plain", b"x" * n)
        elif path == "/large-chunked":
            n = self.query_int(query, "bytes", 1 << 20)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            sent = 0
            try:
                while sent < n:
                    part = chunk[: min(len(chunk), n - sent)]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    sent += len(part)
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/charset":
            self.send_body(200, 'text/html; charset="ISO-8859-1"', "café".encode("latin-1"))
        elif path == "/no-type":
            self.send_body(200, None, PAGE)
        elif path == "/close-delimited":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"until the end")
            self.close_connection = True
        elif path == "/tls-sni":
            self.send_body(200, "text/plain", "".join(n + "\n" for n in SNI_SEEN).encode())
        elif path == "/hold":
            self.hold(self.query_int(query, "ms", 100))
        elif path == "/hold-peak":
            self.hold_peak()
        elif path == "/drip":
            self.drip(self.query_int(query, "parts", 8), self.query_int(query, "ms", 1000))
        elif path == "/gated":
            self.gated(urllib.parse.parse_qs(query).get("id", [""])[0])
        elif path == "/release":
            gate(urllib.parse.parse_qs(query).get("id", [""])[0]).set()
            self.send_body(200, "text/plain", b"released")
        elif path == "/subresources":
            n = self.query_int(query, "images", 6)
            ms = self.query_int(query, "ms", 0)
            images = "".join('<img src="/image/%d.png?ms=%d" alt="%d">' % (i, ms, i)
                             for i in range(n))
            body = ('<!DOCTYPE html><html><head><title>%d images</title>'
                    '<link rel="stylesheet" href="/style.css"></head>'
                    '<body><p>A style sheet and %d images.</p>%s</body></html>' % (n, n, images))
            self.send_body(200, "text/html; charset=utf-8", body.encode())
        elif path == "/style.css":
            self.send_body(200, "text/css", b"body { background: #ffe; } img { margin: 2px; }")
        elif path.startswith("/image/"):
            time.sleep(self.query_int(query, "ms", 0) / 1000)
            self.send_body(200, "image/png", PNG)
        elif path == "/open-connections":
            with OPEN_LOCK:
                count = OPEN_CONNECTIONS
            self.send_body(200, "text/plain", str(count).encode())
        elif path == "/close-at-once":
            self.close_connection = True
        elif path == "/bad-status":
            self.wfile.write(b"HTTP/1.1 abc OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 2\r\n\r\nhi")
            self.close_connection = True
        elif path == "/malformed-chunked":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
            self.wfile.flush()
            time.sleep(3)
            self.close_connection = True
        elif path == "/two-content-types":
            body = b"<html><body>not an image</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/big-headers":
            n = self.query_int(query, "bytes", 10000)
            self.send_body(200, "text/plain", b"big headers", [("X-Padding", "p" * n)])
        elif path == "/many":
            self.many(query)
        elif path.startswith("/many/"):
            self.many_resource(path[len("/many/"):])
        elif path == "/many-served":
            with MANY_LOCK:
                text = "images %d sheets %d svgs %d" % (len(MANY_IMAGES), len(MANY_SHEETS), MANY_SVGS)
            self.send_body(200, "text/plain", text.encode())
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.close_connection = True
        else:
            self.send_body(404, "text/plain", b"no such test path")

    def do_POST(self):
        """/echo answers "POST TYPE: BODY" (fetch() and XMLHttpRequest, issue 18)."""
        length = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(length) if length > 0 else b""
        if urllib.parse.urlsplit(self.path).path == "/cors":
            self.cors(urllib.parse.urlsplit(self.path).query, b": " + body)
        elif urllib.parse.urlsplit(self.path).path == "/echo":
            head = ("POST %s: " % self.headers.get("Content-Type", "(none)")).encode()
            self.send_body(200, "text/plain; charset=utf-8", head + body)
        else:
            self.send_body(404, "text/plain", b"no such test path")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The listen() backlog, Python's default, spelled out because the tests
    # depend on it: Linux then queues 6 connections the server has not
    # accepted yet and drops the SYN of a 7th, which the client resends only
    # a second later. Real small servers behave so; the browser must cope.
    request_queue_size = 5

    def handle_error(self, request, client_address):
        # A client that hangs up first (as the browser does on a response
        # it refuses) is part of the tests, not a server error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class WideServer(Server):
    """The same paths, with room for every connection a test makes at once,
    so that how many the browser opens is up to the browser alone."""
    request_queue_size = 128


def make_tls_server():
    """A TLS server whose certificate no client trusts; it records SNI."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    tmp = tempfile.mkdtemp(prefix="bh-test-tls-")
    key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=alpha.test",
                    "-addext", "subjectAltName=DNS:alpha.test"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    shutil.rmtree(tmp)

    def sni_callback(sock, server_name, ctx):
        SNI_SEEN.append(server_name if server_name is not None else "(none)")

    context.sni_callback = sni_callback
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def main():
    server = Server(("127.0.0.1", 0), Handler)
    tls_server = make_tls_server()
    wide_server = WideServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    print(tls_server.server_address[1] if tls_server else 0, flush=True)
    print(wide_server.server_address[1], flush=True)
    if tls_server:
        threading.Thread(target=tls_server.serve_forever, daemon=True).start()
    threading.Thread(target=wide_server.serve_forever, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
