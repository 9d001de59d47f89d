#!/usr/bin/python3
"""tests/test-profile-browser.py: the profile end to end (issue 14).

The real browser (--headless, driven over WebDriver BiDi) against
tests/profile-test-server.py on loopback, which reports what it received.
Asserts what the server saw (Cookie headers), what the profile holds on disk
(SQLite, read beside the running browser as WAL allows), and that a browser
killed with SIGKILL mid-browsing comes back with its history and cookies and
a database that passes PRAGMA integrity_check. Prints TAP.
"""

import asyncio
import json
import shutil
import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.request

from bhtest import (BROWSER, TIMEOUT_S, Browser, Client, Tap, check, temp_profile_dir)

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = "MAP *.test 127.0.0.1"


class State:
    pass


def seen(s, reset=False):
    url = f"http://127.0.0.1:{s.port}/seen" + ("?reset=1" if reset else "")
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        return json.loads(response.read())


def last_request(s, prefix):
    matching = [r for r in seen(s) if r["path"].startswith(prefix)]
    check(matching, f"the server saw no request for {prefix}")
    return matching[-1]


def quote(text):
    return urllib.parse.quote(text, safe="")


async def start(s, user_data_dir, extra=()):
    s.browser = Browser(host_rules=RULES, user_data_dir=user_data_dir, extra_args=extra)
    s.client = await Client.connect(s.browser)
    tree = await s.client.ok("browsingContext.getTree")
    s.context = tree["contexts"][0]["context"]


async def go(s, url):
    await s.client.ok("browsingContext.navigate", {"context": s.context, "url": url, "wait": "complete"})
    tree = await s.client.ok("browsingContext.getTree", {"root": s.context})
    return tree["contexts"][0]


def db(path):
    """The profile's database, read-only, beside the browser that writes it."""
    return sqlite3.connect(f"file:{os.path.join(path, 'Bulkhead.sqlite')}?mode=ro", uri=True, timeout=10)


async def test_set_cookie_and_cookie_header(s):
    host = f"http://alpha.test:{s.port}"
    await go(s, f"{host}/set?cookie={quote('keep=1; Max-Age=3600')}&cookie={quote('session=1')}")
    await go(s, f"{host}/page?title=Second")
    check(last_request(s, "/page?title=Second")["cookie"] == "keep=1; session=1",
          f"Cookie: {last_request(s, '/page?title=Second')['cookie']}")
    # Host-only: not for a subdomain.
    await go(s, f"http://www.alpha.test:{s.port}/page?title=Sub")
    check(last_request(s, "/page?title=Sub")["cookie"] is None, "a host-only cookie went to www.")


async def test_public_suffix_and_domain(s):
    www = f"http://www.alpha.test:{s.port}"
    # Domain=test is a public suffix (the list's implicit * rule): refused.
    await go(s, f"{www}/set?cookie={quote('ps=1; Domain=test; Path=/')}"
                f"&cookie={quote('dom=1; Domain=alpha.test; Path=/')}")
    await go(s, f"http://beta.test:{s.port}/page?title=Beta")
    check(last_request(s, "/page?title=Beta")["cookie"] is None, "Domain=test reached beta.test")
    await go(s, f"http://alpha.test:{s.port}/page?title=Parent")
    cookie = last_request(s, "/page?title=Parent")["cookie"] or ""
    check("dom=1" in cookie and "ps=1" not in cookie, f"Cookie: {cookie}")


async def test_subresources_and_same_site(s):
    host = f"http://alpha.test:{s.port}"
    seen(s, reset=True)
    await go(s, f"{host}/images?n=2&title=Images")
    images = [r for r in seen(s) if r["path"].startswith("/image?")]
    check(len(images) == 2 and all("keep=1" in (r["cookie"] or "") for r in images),
          f"same-site images: {images}")
    # beta.test's page shows alpha.test's image: a cross-site subresource
    # carries no Lax (default) cookie.
    seen(s, reset=True)
    await go(s, f"http://beta.test:{s.port}/images?n=1&host=alpha.test&title=Cross")
    images = [r for r in seen(s) if r["path"].startswith("/image?")]
    check(len(images) == 1 and images[0]["cookie"] is None, f"cross-site image: {images}")


async def test_redirect_sets_cookie(s):
    host = f"http://alpha.test:{s.port}"
    await go(s, f"{host}/redirect-set?cookie={quote('hop=1; Path=/')}&to=/page%3Ftitle%3DAfter")
    cookie = last_request(s, "/page?title=After")["cookie"] or ""
    check("hop=1" in cookie, f"Cookie after the redirect: {cookie}")


async def test_history_recorded(s):
    await go(s, f"http://alpha.test:{s.port}/page?title=Remember%20me")
    with db(s.profile) as con:
        rows = con.execute("SELECT u.url, u.title, v.transition FROM visits v JOIN urls u "
                           "ON u.id = v.url_id ORDER BY v.id").fetchall()
    urls = [r[0] for r in rows]
    print(f"# {len(rows)} visits", flush=True)
    check(f"http://alpha.test:{s.port}/page?title=Remember%20me" in urls, urls)
    # The redirect's target is what was committed, not the redirecting URL.
    check(not any("/redirect-set" in u for u in urls), urls)
    titles = {r[0]: r[1] for r in rows}
    check(titles.get(f"http://alpha.test:{s.port}/page?title=Second") == "Second", titles)
    # BiDi's navigate is the browser's own, as typed (Chromium: TYPED).
    check(all(r[2] == 1 for r in rows), rows)
    # about:history is not itself history.
    context = await go(s, "about:history")
    check(context["url"] == "about:history", context)
    with db(s.profile) as con:
        check(con.execute("SELECT COUNT(*) FROM urls WHERE url LIKE 'about:%'").fetchone()[0] == 0,
              "about:history was recorded")


async def test_bookmark_editing(s):
    """about:bookmarks renames (its form, about:bookmarks?rename=URL&title=T)
    and removes a bookmark."""
    page = f"http://alpha.test:{s.port}/page?title=Keep"
    # Ctrl+D is the window's; here the bookmark is written as it would write it.
    with sqlite3.connect(os.path.join(s.profile, "Bulkhead.sqlite"), timeout=10) as con:
        con.execute("INSERT OR REPLACE INTO bookmarks (url, title, added_time) VALUES (?, 'Keep', 1)", (page,))
    await go(s, "about:bookmarks")
    found = await s.client.ok("browsingContext.locateNodes",
                              {"context": s.context, "locator": {"type": "css", "value": "input"}})
    # Per bookmark: the rename form (hidden URL, title field, button), no input otherwise.
    check(len(found["nodes"]) == 3, f"no rename form on about:bookmarks: {found}")
    await go(s, f"about:bookmarks?rename={quote(page)}&title={quote('Renamed page')}")
    with db(s.profile) as con:
        titles = con.execute("SELECT title FROM bookmarks WHERE url = ?", (page,)).fetchall()
    check(titles == [("Renamed page",)], f"after the rename: {titles}")
    await go(s, f"about:bookmarks?remove={quote(page)}")
    with db(s.profile) as con:
        left = con.execute("SELECT COUNT(*) FROM bookmarks WHERE url = ?", (page,)).fetchone()[0]
    check(left == 0, "the bookmark is still there after Remove")


async def test_second_browser_refused(s):
    run = subprocess.run([BROWSER, "--headless", f"--user-data-dir={s.profile}", "about:blank"],
                         stderr=subprocess.PIPE, text=True, timeout=TIMEOUT_S)
    print(f"# {run.stderr.strip()}", flush=True)
    check(run.returncode == 1, f"exit {run.returncode}")
    check("in use by another Bulkhead" in run.stderr and f"pid {s.browser.pid}" in run.stderr,
          run.stderr)


async def test_survives_sigkill(s):
    # Mid-browsing: a navigation under way when the browser dies.
    await s.client.ok("browsingContext.navigate",
                      {"context": s.context, "url": f"http://alpha.test:{s.port}/images?n=20", "wait": "none"})
    os.kill(s.browser.pid, signal.SIGKILL)
    s.browser.process.wait(TIMEOUT_S)
    await s.client.close()

    with db(s.profile) as con:
        check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check")
        names = [r[0] for r in con.execute("SELECT name FROM cookies")]
    check("keep" in names and "session" not in names, f"persisted cookies: {names}")

    await start(s, s.profile)
    seen(s, reset=True)
    await go(s, f"http://alpha.test:{s.port}/page?title=Back")
    cookie = last_request(s, "/page?title=Back")["cookie"] or ""
    check("keep=1" in cookie and "session=1" not in cookie,
          f"after the restart: Cookie: {cookie} (the session cookie must have died)")
    context = await go(s, "about:history")
    check(context["url"] == "about:history", context)
    with db(s.profile) as con:
        titles = [r[0] for r in con.execute("SELECT title FROM urls")]
    check("Remember me" in titles, titles)


async def test_incognito_writes_nothing(s):
    empty = temp_profile_dir()
    browser = Browser(host_rules=RULES, user_data_dir=empty, extra_args=("--incognito",))
    client = await Client.connect(browser)
    try:
        tree = await client.ok("browsingContext.getTree")
        context = tree["contexts"][0]["context"]
        host = f"http://alpha.test:{s.port}"
        await client.ok("browsingContext.navigate", {"context": context, "wait": "complete",
                        "url": f"{host}/set?cookie={quote('inc=1; Max-Age=60')}&title=Incognito"})
        seen(s, reset=True)
        await client.ok("browsingContext.navigate", {"context": context, "wait": "complete",
                        "url": f"{host}/page?title=Incognito2"})
        cookie = last_request(s, "/page?title=Incognito2")["cookie"] or ""
        # Its own cookie jar, in memory: the normal profile's cookies are not there.
        check(cookie == "inc=1", f"incognito Cookie: {cookie}")
    finally:
        await client.close()
        browser.process.terminate()
        browser.process.wait(TIMEOUT_S)
    check(os.listdir(empty) == [], f"incognito wrote {os.listdir(empty)}")


async def test_net_log(s):
    log = os.path.join(temp_profile_dir(), "net.log")
    browser = Browser(host_rules=RULES, user_data_dir=temp_profile_dir(), extra_args=(f"--net-log={log}",))
    client = await Client.connect(browser)
    try:
        tree = await client.ok("browsingContext.getTree")
        context = tree["contexts"][0]["context"]
        seen(s, reset=True)
        await client.ok("browsingContext.navigate", {"context": context, "wait": "complete",
                        "url": f"http://alpha.test:{s.port}/images?n=20"})
        # A navigation that fails is an error for BiDi; the log has its line.
        await client.call("browsingContext.navigate", {"context": context, "wait": "complete",
                          "url": "http://nowhere.invalid/"})
        server_saw = seen(s)
    finally:
        await client.close()
        browser.process.terminate()
        browser.process.wait(TIMEOUT_S)
    with open(log) as f:
        lines = [json.loads(line) for line in f]
    print(f"# {len(lines)} lines; first: {lines[0]}", flush=True)
    images = [entry for entry in lines if "/image?id=" in entry["url"]]
    check(len(images) == 20, f"{len(images)} image lines")
    for entry in images:
        check(entry["status"] == 200 and entry["bytes"] == 69 and entry["error"] is None, entry)
        ms = entry["ms"]
        check(ms["done"] >= ms["first_byte"] >= 0, entry)
        # A new connection took its time to connect; a reused one none.
        check((ms["connect"] is None) == entry["reused"] and entry["connection"] >= 1, entry)
        check(entry["cache"] == "miss", entry)
    failed = [entry for entry in lines if "nowhere.invalid" in entry["url"]]
    check(len(failed) == 1 and failed[0]["error"] == "ERR_NAME_NOT_RESOLVED" and failed[0]["status"] is None,
          failed)
    # One line that opened a connection per TCP connection the server saw,
    # and the log's connection numbers as many as the server's.
    conns = len(set(r["conn"] for r in server_saw))
    fresh = len([e for e in lines if not e["reused"] and "nowhere" not in e["url"]])
    numbers = len(set(e["connection"] for e in lines if e["connection"] is not None))
    check(conns == fresh == numbers, f"the server saw {conns} connections, the log {fresh} new ones, {numbers} numbers")
    check(conns <= 6 and len([e for e in lines if e["reused"]]) >= 15, f"{conns} connections for 21 requests")


async def test_vary_and_hard_reload(s):
    """Vary (RFC 9111 §4.1): a response stored for one Cookie is not served
    to a request with another; Vary: * is never served. Ctrl+Shift+R
    reloads a page's subresources too; a plain reload takes them from the
    cache."""
    host = f"http://alpha.test:{s.port}"
    varies = f"{host}/cached?max-age=3600&etag=%22vc%22&tag=vary&vary=Cookie"
    await go(s, f"{host}/set?cookie={quote('flavour=plain; Max-Age=3600')}")
    seen(s, reset=True)
    await go(s, varies)
    await go(s, varies)
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1, f"the same Cookie: {len(asked)} requests, not 1")
    await go(s, f"{host}/set?cookie={quote('flavour=mint; Max-Age=3600')}")
    seen(s, reset=True)
    await go(s, varies)
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1 and "flavour=mint" in asked[0]["cookie"] and asked[0]["if_none_match"] is None,
          f"another Cookie must miss the stored response: {asked}")
    star = f"{host}/cached?max-age=3600&etag=%22vs%22&tag=star&vary=*"
    seen(s, reset=True)
    await go(s, star)
    await go(s, star)
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 2, f"Vary: * answered {2 - len(asked)} visit from the cache")

    page = f"{host}/images?n=3&max-age=3600&title=Reloading"
    await go(s, page)
    seen(s, reset=True)
    await s.client.ok("browsingContext.reload", {"context": s.context, "wait": "complete"})
    images = [r for r in seen(s) if r["path"].startswith("/image?")]
    check(images == [], f"a plain reload asked for {len(images)} cached images")
    seen(s, reset=True)
    await s.client.ok("browsingContext.reload", {"context": s.context, "wait": "complete", "ignoreCache": True})
    images = [r for r in seen(s) if r["path"].startswith("/image?")]
    check(len(images) == 3 and all(r["cache_control"] == "no-cache" for r in images),
          f"Ctrl+Shift+R sent {images}")
    # The next visit uses the cache again.
    seen(s, reset=True)
    await go(s, page)
    images = [r for r in seen(s) if r["path"].startswith("/image?")]
    check(images == [], f"after the hard reload a visit asked for {len(images)} images")


def favicon_row(s, page_url):
    """The profile's favicon for @page_url, once the browser has stored it."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        with db(s.profile) as con:
            row = con.execute("SELECT icon_url, width, height, pixels FROM favicons WHERE page_url = ?",
                              (page_url,)).fetchone()
        if row is not None:
            return row
        time.sleep(0.05)
    return None


async def test_favicon(s):
    """The browser fetches the declared icon, the renderer decodes it to at
    most 32 px, the profile keeps it; a page without one has /favicon.ico
    asked for, and nothing stored when the server has none."""
    host = f"http://alpha.test:{s.port}"
    page = f"{host}/icon-page?title=Iconic"
    seen(s, reset=True)
    await go(s, page)
    row = favicon_row(s, page)
    check(row is not None, "no favicon stored for the page")
    icon_url, width, height, pixels = row
    check(icon_url == f"{host}/icon.png" and width == 32 and height == 32 and len(pixels) == 32 * 32 * 4,
          f"stored {icon_url} {width}x{height}, {len(pixels)} bytes")
    check(pixels[:4] == b"\xff\x00\x00\xff", f"the icon's first pixel is {pixels[:4]!r}, not blue (BGRA)")
    asked = [r["path"] for r in seen(s)]
    check("/icon.png" in asked and "/favicon.ico" not in asked, f"the server saw {asked}")
    plain = f"{host}/page?title=Iconless"
    seen(s, reset=True)
    await go(s, plain)
    deadline = time.monotonic() + TIMEOUT_S
    while "/favicon.ico" not in [r["path"] for r in seen(s)] and time.monotonic() < deadline:
        time.sleep(0.05)
    check("/favicon.ico" in [r["path"] for r in seen(s)], "no /favicon.ico asked for a page without an icon")
    with db(s.profile) as con:
        none = con.execute("SELECT COUNT(*) FROM favicons WHERE page_url = ?", (plain,)).fetchone()[0]
    check(none == 0, "a favicon stored from a 404")


async def test_keep_alive(s):
    """A page of 40 images from one server: they share at most 6
    connections (Chromium's limit per server), each carrying several; a
    server that says Connection: close gets a connection per request."""
    seen(s, reset=True)
    await go(s, f"http://alpha.test:{s.port}/images?n=40&title=Forty")
    requests = [r for r in seen(s) if r["path"].startswith("/image")]
    conns = {}
    for r in requests:
        conns[r["conn"]] = conns.get(r["conn"], 0) + 1
    print(f"# 41 requests on {len(conns)} connections: {sorted(conns.values())}", flush=True)
    check(len(requests) == 41, f"{len(requests)} requests")
    check(1 <= len(conns) <= 6, f"{len(conns)} connections")
    # A second visit starts on the idle connections the first left (how many
    # the first needed depends on how fast the renderer asked: under load all
    # 41 went one after another on one connection), within the same limit.
    before = set(conns)
    seen(s, reset=True)
    await go(s, f"http://alpha.test:{s.port}/images?n=10&title=Again")
    again = {r["conn"] for r in seen(s) if r["path"].startswith("/image")}
    check(again & before, f"the second visit used connections {again}, none of the first's {before}")
    check(len(again) <= 6, f"the second visit used {len(again)} connections")
    # Connection: close is honoured: one connection per request.
    seen(s, reset=True)
    await go(s, f"http://alpha.test:{s.port}/images?n=8&close=1&title=Closing")
    closing = [r for r in seen(s) if r["path"].startswith("/image?id=")]
    check(len(closing) == 8 and len({r["conn"] for r in closing}) == 8,
          f"Connection: close gave {len({r['conn'] for r in closing})} connections for {len(closing)} requests")


async def test_http_cache(s):
    url = f"http://alpha.test:{s.port}/cached?max-age=3600&etag=%22v1%22&tag=one"
    seen(s, reset=True)
    await go(s, url)
    await go(s, f"http://alpha.test:{s.port}/page?title=Between")
    # Fresh: the second visit asks the server nothing.
    await go(s, url)
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1, f"the server saw {len(asked)} requests for a fresh page")
    # Reload revalidates: If-None-Match, a 304, the page from the cache.
    seen(s, reset=True)
    await s.client.ok("browsingContext.reload", {"context": s.context, "wait": "complete"})
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1 and asked[0]["if_none_match"] == '"v1"', f"reload sent {asked}")
    tree = await s.client.ok("browsingContext.getTree", {"root": s.context})
    check(tree["contexts"][0]["url"] == url and tree["contexts"][0]["bulkhead:state"] == "complete",
          tree)
    # Ctrl+Shift+R (BiDi's ignoreCache): no validator, Cache-Control: no-cache.
    seen(s, reset=True)
    await s.client.ok("browsingContext.reload", {"context": s.context, "wait": "complete",
                                                 "ignoreCache": True})
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1 and asked[0]["if_none_match"] is None and asked[0]["cache_control"] == "no-cache",
          f"hard reload sent {asked}")
    # A stale entry (max-age=0) is revalidated on a plain visit.
    stale = f"http://alpha.test:{s.port}/cached?max-age=0&etag=%22s%22"
    await go(s, stale)
    seen(s, reset=True)
    await go(s, stale)
    asked = [r for r in seen(s) if r["path"].startswith("/cached")]
    check(len(asked) == 1 and asked[0]["if_none_match"] == '"s"', f"stale visit sent {asked}")
    with db(s.profile) as con:
        rows = con.execute("SELECT url, size FROM http_cache").fetchall()
    check(any("tag=one" in r[0] for r in rows), rows)


TLS_SERVER = """
import http.server, socketserver, ssl, sys, threading
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc000"
                    "00030101005ba0f4da0000000049454e44ae426082")
COUNTS = {"connections": 0, "requests": 0}
LOCK = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def setup(self):
        super().setup()
        with LOCK:
            COUNTS["connections"] += 1
    def do_GET(self):
        status, kind = 200, "text/html"
        if self.path == "/counts":
            # This request's own connection is left out.
            body = f"{COUNTS['connections'] - 1} {COUNTS['requests']}".encode()
            kind = "text/plain"
        elif self.path == "/favicon.ico":
            status, body, kind = 404, b"", "text/plain"
        else:
            with LOCK:
                COUNTS["requests"] += 1
            if self.path.startswith("/img"):
                body, kind = PNG, "image/png"
            elif self.path == "/images":
                body = ("<title>Secure images</title>" +
                        "".join(f'<img src="/img?{i}" width="8" height="8">' for i in range(12))).encode()
            else:
                body = b"<title>Secure</title><h1>secure page</h1>"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, ssl.SSLError):
            pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
server = S(("127.0.0.1", 0), H)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def tls_counts(port):
    """(connections, requests) the TLS server accepted so far."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(f"https://127.0.0.1:{port}/counts", timeout=TIMEOUT_S, context=context) as r:
        connections, requests = r.read().decode().split()
    return int(connections), int(requests)


def make_ca_and_server_cert(directory):
    """A CA of the test's own, and a certificate it signs for alpha.test."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True, timeout=60)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=Bulkhead Test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=alpha.test")
    with open(os.path.join(directory, "ext"), "w") as f:
        f.write("subjectAltName=DNS:alpha.test\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "1", "-extfile", "ext")


async def navigate_answer(client, context, url):
    return await client.call("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})


async def test_certificate_errors(s):
    if not shutil.which("openssl"):
        print("# skip: no openssl command", flush=True)
        return
    directory = temp_profile_dir()
    make_ca_and_server_cert(directory)
    server = subprocess.Popen(["/usr/bin/python3", "-c", TLS_SERVER, os.path.join(directory, "server.pem"),
                               os.path.join(directory, "server.key")], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        # 1. The system's CAs do not know the test's: refused, with the reason,
        # the certificate's subject and its issuer.
        answer = await navigate_answer(s.client, s.context, f"https://alpha.test:{port}/")
        message = answer.get("message", "")
        print(f"# {message}", flush=True)
        check(answer.get("type") == "error" and "is not private" in message, answer)
        check("not signed by an authority this computer trusts" in message, message)
        check("Certificate subject: CN=alpha.test" in message and "Issuer: CN=Bulkhead Test CA" in message,
              message)
        tree = await s.client.ok("browsingContext.getTree", {"root": s.context})

        # 2. A browser that trusts the CA (OpenSSL's SSL_CERT_FILE): the page
        # loads; the same certificate under another name is refused.
        env = dict(os.environ, SSL_CERT_FILE=os.path.join(directory, "ca.pem"))
        trusting = Browser(env=env, host_rules=RULES, user_data_dir=temp_profile_dir())
        client = await Client.connect(trusting)
        try:
            tree = await client.ok("browsingContext.getTree")
            context = tree["contexts"][0]["context"]
            answer = await navigate_answer(client, context, f"https://alpha.test:{port}/")
            check(answer.get("type") == "success", answer)
            # Keep-alive over TLS: a page of 12 images shares the connections.
            before = tls_counts(port)
            answer = await navigate_answer(client, context, f"https://alpha.test:{port}/images")
            check(answer.get("type") == "success", answer)
            after = tls_counts(port)
            print(f"# https: {after[1] - before[1]} requests on {after[0] - before[0]} new connections", flush=True)
            check(after[1] - before[1] == 13 and after[0] - before[0] <= 6,
                  f"https: {after[1] - before[1]} requests on {after[0] - before[0]} new connections")
            answer = await navigate_answer(client, context, f"https://beta.test:{port}/")
            check(answer.get("type") == "error" and "for another name than beta.test" in answer["message"],
                  answer)
        finally:
            await client.close()
            trusting.process.terminate()
            trusting.process.wait(TIMEOUT_S)

        # 3. --ignore-certificate-errors: loads, and says so on stderr.
        ignoring = Browser(host_rules=RULES, user_data_dir=temp_profile_dir(),
                           extra_args=("--ignore-certificate-errors",))
        client = await Client.connect(ignoring)
        try:
            tree = await client.ok("browsingContext.getTree")
            context = tree["contexts"][0]["context"]
            answer = await navigate_answer(client, context, f"https://beta.test:{port}/")
            check(answer.get("type") == "success", answer)
        finally:
            await client.close()
            ignoring.process.terminate()
            ignoring.process.wait(TIMEOUT_S)
        check(any("--ignore-certificate-errors" in line for line in ignoring.stderr_lines),
              ignoring.stderr_lines)
    finally:
        server.terminate()
        server.wait()


def main():
    tap = Tap()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "profile-test-server.py")],
                              stdout=subprocess.PIPE, text=True)
    s = State()
    s.port = int(server.stdout.readline())
    s.profile = temp_profile_dir()
    s.browser = None
    try:
        loop.run_until_complete(start(s, s.profile))
        tap.run("Set-Cookie is stored and sent back in Cookie", test_set_cookie_and_cookie_header, s)
        tap.run("a public-suffix Domain is refused, a parent domain is not", test_public_suffix_and_domain, s)
        tap.run("subresources carry same-site cookies only", test_subresources_and_same_site, s)
        tap.run("a redirect's Set-Cookie counts", test_redirect_sets_cookie, s)
        tap.run("committed navigations are in the history", test_history_recorded, s)
        tap.run("the HTTP cache: fresh hit, reload revalidates, Ctrl+Shift+R bypasses", test_http_cache, s)
        tap.run("keep-alive: a page's subresources share at most 6 connections", test_keep_alive, s)
        tap.run("Vary is honoured; Ctrl+Shift+R reloads subresources too", test_vary_and_hard_reload, s)
        tap.run("favicons: fetched by the browser, decoded by the renderer, kept in the profile", test_favicon, s)
        tap.run("about:bookmarks renames and removes a bookmark", test_bookmark_editing, s)
        tap.run("https: an untrusted or misnamed certificate is refused, with subject and issuer",
                test_certificate_errors, s)
        tap.run("a second browser on the profile is refused", test_second_browser_refused, s)
        tap.run("kill -9 mid-browsing: history and cookies survive, integrity_check ok",
                test_survives_sigkill, s)
        tap.run("--incognito writes nothing", test_incognito_writes_nothing, s)
        tap.run("--net-log: a JSON line per request with its timings", test_net_log, s)
        loop.run_until_complete(s.client.ok("browser.close"))
    finally:
        if s.browser is not None and s.browser.process.poll() is None:
            s.browser.process.terminate()
            s.browser.process.wait(TIMEOUT_S)
        server.terminate()
        server.wait()
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
