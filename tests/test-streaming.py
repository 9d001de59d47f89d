#!/usr/bin/python3
"""tests/test-streaming.py: pages render as they arrive (issue #19).

A page whose server sends its first half and then holds the rest back
(tests/http-test-server.py /gated) must show that first half, in the tab's
frame, while the tab is still loading; when the rest comes, the whole page.
The body travels through the renderer's data pipe, and the pipe's traffic is
visible as bulkhead:ipc.message events named DataPipe. A body cut short by the
server shows what arrived. Drives the real browser over WebDriver BiDi, with
its window (--gui, under the Xvfb `make check` provides) or --headless.
Prints TAP.
"""

import asyncio
import base64
import os
import subprocess
import sys
import time
import urllib.request

from bhtest import (Browser, Client, SessionBus, Tap, browser_environment, check, png_decode)

MODE = "gui" if "--gui" in sys.argv[1:] else "headless"
HERE = os.path.dirname(os.path.abspath(__file__))


def count_colour(bpp, rows, colour):
    """Pixels close to @colour, (r, g, b)."""
    n = 0
    for row in rows:
        for i in range(0, len(row), bpp):
            if abs(row[i] - colour[0]) < 40 and abs(row[i + 1] - colour[1]) < 40 and abs(row[i + 2] - colour[2]) < 40:
                n += 1
    return n


async def screenshot(c, context):
    result = await c.ok("browsingContext.captureScreenshot", {"context": context})
    width, height, bpp, rows = png_decode(base64.b64decode(result["data"]))
    return bpp, rows


async def state_of(c, context):
    tree = await c.ok("browsingContext.getTree", {"root": context})
    return tree["contexts"][0]["bulkhead:state"]


async def test_paints_before_the_last_byte(s):
    c = s.client
    gate = f"{MODE}-{os.getpid()}"
    url = f"http://alpha.test:{s.port}/gated?id={gate}"
    await c.ok("session.subscribe", {"events": ["browsingContext.load"]})
    await c.ok("session.subscribe", {"events": ["bulkhead:ipc.message"], "bulkhead:filter": "DataPipe,CommitNavigation"})
    mark = c.mark()
    nav = await c.ok("browsingContext.navigate", {"context": s.context, "url": url, "wait": "none"})

    # The server holds the second half back until we release it: whatever
    # the tab shows meanwhile was painted from part of the body.
    # Well short of the server's own 120 s, after which it sends the rest anyway.
    deadline = time.monotonic() + 45
    red = blue = 0
    while time.monotonic() < deadline:
        bpp, rows = await screenshot(c, s.context)
        red = count_colour(bpp, rows, (255, 0, 0))
        blue = count_colour(bpp, rows, (0, 0, 255))
        if red > 1000:
            break
        await asyncio.sleep(0.2)
    print(f"# before the rest: {red} red, {blue} blue pixels", flush=True)
    check(red > 1000, "the first half never showed")
    check(blue == 0, "the second half showed before it was sent")
    state = await state_of(c, s.context)
    check(state == "loading", f"the tab is {state}, not loading")

    urllib.request.urlopen(f"http://127.0.0.1:{s.port}/release?id={gate}", timeout=30).read()
    await c.wait_event("browsingContext.load", mark, context=s.context, navigation=nav["navigation"], timeout=60)
    bpp, rows = await screenshot(c, s.context)
    red = count_colour(bpp, rows, (255, 0, 0))
    blue = count_colour(bpp, rows, (0, 0, 255))
    print(f"# after: {red} red, {blue} blue pixels", flush=True)
    check(red > 1000 and blue > 1000, "the whole page is not shown")

    # The body went through the data pipe: a wake-up for the first half,
    # another for the second, and its end.
    ipc = [e["params"] for e in c.events[mark:] if e["method"] == "bulkhead:ipc.message"]
    commits = [p for p in ipc if p["message"] == "CommitNavigation" and p["payload"]["url"] == url]
    check(len(commits) == 1, f"CommitNavigation of {url}: {commits}")
    navigation_id = commits[0]["payload"]["navigation"]
    pipe = [p for p in ipc if p["message"] == "DataPipe" and p["id"] == navigation_id]
    print(f"# DataPipe events: {[(p['event'], p['written']) for p in pipe]}", flush=True)
    wakes = [p for p in pipe if p["event"] == "wake"]
    check(len(wakes) >= 2, "fewer than two wake-ups")
    check(wakes[0]["written"] < wakes[-1]["written"], "the body did not arrive in two steps")
    check(any(p["event"] == "end" for p in pipe), "no end of the body")
    await c.ok("session.unsubscribe", {"events": ["bulkhead:ipc.message"]})


async def test_truncated_body_shows_what_came(s):
    c = s.client
    url = f"http://alpha.test:{s.port}/truncated"
    await c.ok("browsingContext.navigate", {"context": s.context, "url": url, "wait": "complete"})
    tree = await c.ok("browsingContext.getTree", {"root": s.context})
    context = tree["contexts"][0]
    # Committed at its head: the page, cut where the server stopped, not an
    # error page (whose title would say the address could not be loaded).
    check(context["url"] == url, context)
    check(context["bulkhead:state"] == "complete", context)
    check(context["bulkhead:site"] == "http://alpha.test", context)


def main():
    if MODE == "gui" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("1..0 # SKIP the GUI variant needs a display (run under xvfb-run)")
        return 0
    tap = Tap()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "http-test-server.py")],
                              stdout=subprocess.PIPE, text=True)
    bus = SessionBus() if MODE == "gui" else None

    class State:
        pass

    s = State()
    s.port = int(server.stdout.readline())
    s.browser = Browser(browser_environment(bus, MODE == "gui"), gui=MODE == "gui", window_size=(640, 480))
    try:
        s.client = loop.run_until_complete(Client.connect(s.browser))
        tree = loop.run_until_complete(s.client.ok("browsingContext.getTree"))
        s.context = tree["contexts"][0]["context"]
        tap.run("a page shows its first half while the rest is held back", test_paints_before_the_last_byte, s)
        tap.run("a body cut short shows what came", test_truncated_body_shows_what_came, s)
        loop.run_until_complete(s.client.ok("browser.close"))
    finally:
        if s.browser.process.poll() is None:
            s.browser.process.terminate()
        s.browser.process.wait(30)
        server.terminate()
        server.wait()
        if bus:
            bus.stop()
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
