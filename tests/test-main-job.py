#!/usr/bin/python3
"""tests/test-main-job.py: Bulkhead's main job, as a person does it (issue #4).

A real HTTP server on loopback serves the HTML manual of debian-reference-en,
under two names: alpha.test on 127.0.0.1 and beta.test on 127.0.0.2
(--host-resolver-rules). The browser runs with its window on an Xvfb of the test's
own, so that no other test's window can take its clicks:

  - three tabs on the two sites: exactly two renderer processes, one per site;
  - each tab shows its own page, checked on the X screen (what a person sees)
    against the tab's own frame;
  - a link followed by clicking it with the mouse (XTest, through xdotool),
    then Alt+Left to go back, both through the window's real input path.

Then, headless, the same pages as screenshots and each error page: name not
resolved, connection refused, HTTP 404 and 500, unsupported scheme, too large
and timed out. Tabs and state are read through WebDriver BiDi. Prints TAP.
"""

import asyncio
import base64
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from bhtest import (BROWSER, DOCS, Browser, Client, HttpServer, OwnXvfb, SessionBus, Tap, browser_environment,
                    profile_arg, check, count_non_white, descendants_of, png_decode)

WINDOW = (1000, 700)


def renderer_sites(browser_pid):
    """The --site= of every renderer below the browser, from /proc."""
    sites = []
    for pid in descendants_of(browser_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        # Under bubblewrap, bwrap and its pid-1 carry the same command line:
        # count the renderer executable itself.
        if os.path.basename(argv[0]) == b"renderer" and b"--type=renderer" in argv:
            sites += [a.decode()[len("--site="):] for a in argv if a.startswith(b"--site=")]
    return sorted(sites)


def screen_png():
    """The X screen, as a person sees it (ImageMagick's import)."""
    return subprocess.run(["import", "-window", "root", "png:-"], check=True,
                          stdout=subprocess.PIPE, timeout=30).stdout


def xdotool(*args):
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def pixel(bpp, rows, x, y):
    return tuple(rows[y][x * bpp:x * bpp + 3])


def find_frame_on_screen(frame, screen):
    """Where the tab's frame (the renderer's pixels) sits on the screen: the
    offset at which a band of the frame's rows matches, or None."""
    fw, fh, fbpp, frows = frame
    sw, sh, sbpp, srows = screen
    probe_y = min(fh - 1, 120)
    probe = [pixel(fbpp, frows, x, probe_y) for x in range(0, min(fw, 400), 4)]
    for oy in range(0, sh - fh + 1):
        for ox in range(0, min(sw - fw + 1, 40)):
            if all(pixel(sbpp, srows, ox + 4 * i, oy + probe_y) == p for i, p in enumerate(probe[:25])):
                # Confirm on more rows before believing it.
                ok = all(pixel(sbpp, srows, ox + x, oy + y) == pixel(fbpp, frows, x, y)
                         for y in range(0, fh, 37) for x in range(0, fw, 53))
                if ok:
                    return ox, oy
    return None


async def wait_frame_on_screen(frame, timeout_s=20):
    """Where @frame is on the screen once GTK has put it there, or None at
    @timeout_s: an activated tab's frame reaches the screen a few main loop
    turns later, longer on a loaded machine."""
    deadline = time.monotonic() + timeout_s
    while True:
        where = find_frame_on_screen(frame, png_decode(screen_png()))
        if where is not None or time.monotonic() > deadline:
            return where
        await asyncio.sleep(0.2)


def link_pixel(frame):
    """A pixel of link text in the frame: debian-reference's links are blue."""
    w, h, bpp, rows = frame
    for y in range(150, h - 20):
        row = rows[y]
        for x in range(80, w // 2):
            r, g, b = row[x * bpp:x * bpp + 3]
            if b > 150 and r < 60 and g < 110:
                return x, y
    return None


class State:
    pass


def url(host, page):
    return f"http://{host}/{page}"


async def screenshot(c, context):
    result = await c.ok("browsingContext.captureScreenshot", {"context": context})
    return png_decode(base64.b64decode(result["data"]))


async def url_of(c, context):
    tree = await c.ok("browsingContext.getTree", {})
    return next(x["url"] for x in tree["contexts"] if x["context"] == context)


async def test_three_tabs_two_sites(s):
    c = s.client
    await c.ok("session.subscribe", {"events": ["browsingContext"]})
    tree = await c.ok("browsingContext.getTree", {})
    s.tabs = [tree["contexts"][0]["context"]]
    await c.ok("browsingContext.navigate", {"context": s.tabs[0], "wait": "complete",
                                            "url": url("alpha.test", "index.en.html")})
    for host, page in (("alpha.test", "ch01.en.html"), ("beta.test", "ch02.en.html")):
        context = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
        await c.ok("browsingContext.navigate", {"context": context, "wait": "complete",
                                                "url": url(host, page)})
        s.tabs.append(context)
    # The first tab started on about:blank; its about: renderer exits once
    # its grace period after losing its last tab is over.
    deadline = time.monotonic() + 10
    while (sites := renderer_sites(s.browser.pid)) != ["http://alpha.test", "http://beta.test"]:
        check(time.monotonic() < deadline, f"renderers in the process table: {sites}")
        await asyncio.sleep(0.2)
    # The kernel drops a dead renderer's cmdline at once, but the browser lists it
    # until its child watch has reaped it, on a later turn of its main loop.
    while True:
        listed = await c.ok("bulkhead:process.list", {})
        renderers = [p for p in listed["processes"] if p["type"] == "renderer"]
        if sorted(p["site"] for p in renderers) == sites:
            break
        check(time.monotonic() < deadline, f"process.list: {renderers}")
        await asyncio.sleep(0.2)
    alpha = next(p for p in renderers if p["site"] == "http://alpha.test")
    check(sorted(alpha["contexts"]) == sorted(s.tabs[:2]), f"alpha's contexts: {alpha}")


async def test_each_tab_shows_its_page(s):
    c = s.client
    frames = []
    for context in s.tabs:
        await c.ok("browsingContext.activate", {"context": context})
        frame = await screenshot(c, context)
        check(count_non_white(frame[2], frame[3]) > 5000, "the tab's frame has no text")
        where = await wait_frame_on_screen(frame)
        check(where is not None, f"tab {context}'s page is not on the screen")
        frames.append(frame)
    s.frame_offset = where
    # Three different pages, not one frame shown three times.
    check(len({bytes(f[3][200]) + bytes(f[3][400]) for f in frames}) == 3, "two tabs show the same page")


async def test_click_a_link_then_go_back(s):
    c = s.client
    context = s.tabs[0]
    await c.ok("browsingContext.activate", {"context": context})
    frame = await screenshot(c, context)
    before = await url_of(c, context)
    link = link_pixel(frame)
    check(link is not None, "no link-coloured pixel on the index page")
    where = await wait_frame_on_screen(frame)
    check(where is not None, "the index page is not on the screen")
    x, y = where[0] + link[0], where[1] + link[1]
    mark = c.mark()
    xdotool("mousemove", str(x), str(y))
    await asyncio.sleep(0.2)
    xdotool("click", "1")
    await c.wait_event("browsingContext.load", since=mark, context=context)
    after = await url_of(c, context)
    check(after != before and after.startswith("http://alpha.test/"), f"clicked {before} -> {after}")
    check(renderer_sites(s.browser.pid) == ["http://alpha.test", "http://beta.test"],
          "following a same-site link started another renderer")
    # Back, as a person does it: Alt+Left in the window.
    mark = c.mark()
    xdotool("key", "alt+Left")
    await c.wait_event("browsingContext.load", since=mark, context=context)
    check(await url_of(c, context) == before, "Alt+Left did not go back to the index")


def headless(s, address, out, extra=()):
    run = subprocess.run([BROWSER, "--headless", profile_arg(), f"--screenshot={out}", "--window-size=800,600",
                          f"--host-resolver-rules={s.rules}", *extra, address],
                         stderr=subprocess.PIPE, text=True, timeout=120)
    return run.returncode, run.stderr


async def test_headless_pages(s):
    for host, page in (("alpha.test", "index.en.html"), ("beta.test", "ch02.en.html")):
        out = os.path.join(s.tmp, f"{host}.png")
        code, err = headless(s, url(host, page), out)
        check(code == 0, f"{host}: exit {code}: {err}")
        w, h, bpp, rows = png_decode(open(out, "rb").read())
        check((w, h) == (800, 600) and count_non_white(bpp, rows) > 5000, f"{host}: {w}x{h}, blank?")


class Misbehaving(http.server.BaseHTTPRequestHandler):
    """/slow never answers; /huge is larger than the browser's size cap;
    /status/N answers N with an empty body, so the browser shows its own
    error page (with a body, the server's own page is shown, as in Chromium)."""

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(60)
            return
        if self.path.startswith("/status/"):
            self.send_response(int(self.path[len("/status/"):]))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65536
        try:
            for _ in range(1200):  # 78 MiB, over the 50 MiB cap
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


async def test_error_pages(s):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    port = server.server_address[1]
    cases = [
        ("name not resolved", "http://nowhere.invalid/", "ERR_NAME_NOT_RESOLVED", ()),
        ("connection refused", f"http://127.0.0.1:{closed_port}/", "ERR_CONNECTION_REFUSED", ()),
        ("HTTP 404", f"http://127.0.0.1:{port}/status/404", None, ()),
        ("HTTP 500", f"http://127.0.0.1:{port}/status/500", None, ()),
        ("unsupported scheme", "gopher://example.org/", "ERR_UNKNOWN_URL_SCHEME", ()),
        ("too large", f"http://127.0.0.1:{port}/huge", "ERR_FILE_TOO_BIG", ()),
        ("timed out", f"http://127.0.0.1:{port}/slow", "time", ("--timeout=3000",)),
    ]
    try:
        for name, address, code_text, extra in cases:
            out = os.path.join(s.tmp, name.replace(" ", "-") + ".png")
            code, err = headless(s, address, out, extra)
            print(f"# {name}: exit {code}: " + err.strip()[:200].replace("\n", " | "), flush=True)
            if code_text is None:
                # A server's answer, even an error status, is a page: exit 0,
                # as Chromium's headless mode does.
                check(code == 0, f"{name}: exit {code}: {err}")
            else:
                check(code != 0, f"{name}: exit 0")
                check(code_text in err, f"{name}: stderr lacks {code_text!r}: {err}")
            if name != "timed out":
                # The error page itself, rendered by a renderer like any page.
                w, h, bpp, rows = png_decode(open(out, "rb").read())
                check(count_non_white(bpp, rows) > 1000, f"{name}: the error page is blank")
    finally:
        server.shutdown()


def main():
    tap = Tap()
    if not os.path.isdir(DOCS) or not all(shutil.which(t) for t in ("Xvfb", "xdotool", "import")):
        print("1..0 # SKIP needs debian-reference-en, Xvfb, xdotool and imagemagick (tools/install-deps --test)")
        return 0
    xvfb = OwnXvfb("1280x1024x24")
    s = State()
    s.tmp = tempfile.mkdtemp(prefix="bulkhead-main-job-")
    # One server per address; the rules map each name to its address and port,
    # so the pages' URLs carry no port: http://alpha.test/index.en.html.
    s.servers = {"alpha.test": HttpServer(bind="127.0.0.1"), "beta.test": HttpServer(bind="127.0.0.2")}
    s.rules = (f"MAP alpha.test 127.0.0.1:{s.servers['alpha.test'].port}, "
               f"MAP beta.test 127.0.0.2:{s.servers['beta.test'].port}")
    s.bus = SessionBus()
    env = browser_environment(s.bus, True)
    s.browser = Browser(env, gui=True, window_size=WINDOW, host_rules=s.rules)
    loop = asyncio.get_event_loop()
    s.client = loop.run_until_complete(Client.connect(s.browser))
    try:
        tap.run("three tabs on two sites: two renderers, one per site", test_three_tabs_two_sites, s)
        tap.run("each tab shows its own page on the screen", test_each_tab_shows_its_page, s)
        tap.run("click a link with the mouse, then Alt+Left goes back", test_click_a_link_then_go_back, s)
        tap.run("headless screenshots of the same pages", test_headless_pages, s)
        tap.run("each error page, headless", test_error_pages, s)
    finally:
        try:
            loop.run_until_complete(s.client.ok("browser.close", {}))
        except Exception:
            pass
        try:
            s.browser.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            s.browser.process.kill()
        for server in s.servers.values():
            server.stop()
        s.bus.stop()
        xvfb.stop()
        shutil.rmtree(s.tmp, ignore_errors=True)
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
