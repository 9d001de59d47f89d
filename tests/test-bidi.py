#!/usr/bin/python3
"""tests/test-bidi.py: WebDriver BiDi on --remote-debugging-port (issue #5).

Drives the real browser (BULKHEAD_BUILDDIR/browser/browser) the way an
automation client would: over a WebSocket, with real pages from
debian-reference-en served by `python3 -m http.server` on 127.0.0.1 and
two sites, alpha.test and beta.test, mapped there with
--host-resolver-rules. Prints TAP.

  test-bidi.py [--headless | --gui]
  test-bidi.py --flood WS-URL COUNT     (the flooding client test_flood starts)

--gui runs the browser with its window; it needs a display (`make check`
runs the suite under xvfb-run) and is skipped without one. It gets a
private D-Bus session bus when dbus-daemon is there: GTK warns without one,
and the suite's G_DEBUG=fatal-warnings would make that an abort.

Debian 12 has python3-websockets 10.4, which has no sync client
(websockets.sync arrived in 11): the client here is asyncio.
"""

import asyncio
import base64
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import websockets

from bhtest import (BROWSER, DOCS, TIMEOUT_S, Browser, Client, HttpServer, SessionBus, Tap, profile_arg,
                    browser_environment, check, count_non_white, count_red, descendants_of,
                    handshake, is_running, listening_sockets, png_decode)

MODE = "gui" if "--gui" in sys.argv[1:] else "headless"
WINDOW_SIZE = (800, 600)
# How long SlowPage takes to answer: long enough that a navigation to it is
# still being fetched when the test starts the next one.
SLOW_PAGE_S = 2


# The tests, in order, on one browser


class State:
    pass


async def test_session(s):
    c = s.client
    status = await c.ok("session.status")
    check(status["ready"] is True and isinstance(status["message"], str), status)
    result = await c.ok("session.new", {"capabilities": {}})
    check(isinstance(result["sessionId"], str) and result["sessionId"], result)
    check(result["capabilities"]["browserName"] == "bulkhead", result)
    check(isinstance(result["capabilities"]["browserVersion"], str), result)
    await c.error("session.new", {"capabilities": {}}, "session not created")
    # What puppeteer-core subscribes to on connect: whole modules, network
    # and script among them; each subscription has an id to unsubscribe by.
    extra = await c.ok("session.subscribe",
                       {"events": ["network", "log", "script", "input", "browsingContext.load"]})
    check(isinstance(extra["subscription"], str) and extra["subscription"], extra)
    await c.ok("session.unsubscribe", {"subscriptions": [extra["subscription"]]})
    await c.error("session.unsubscribe", {"subscriptions": [extra["subscription"]]},
                  "invalid argument")
    subscribed = await c.ok("session.subscribe",
                            {"events": ["browsingContext", "bulkhead:process"]})
    check(subscribed["subscription"] != extra["subscription"], subscribed)
    contexts = await c.ok("browser.getUserContexts")
    check(contexts == {"userContexts": [{"userContext": "default"}]}, contexts)
    windows = await c.ok("browser.getClientWindows")
    check(len(windows["clientWindows"]) == 1, windows)


async def test_loopback_only(s):
    """The port is 127.0.0.1's alone: no [::] (which lws 4.1 binds whatever
    interface it is given, while IPv6 is on), no other address."""
    sockets = listening_sockets(s.browser.pid)
    check(sockets == [("tcp", "0100007F", s.browser.port)],
          f"the browser listens on {sockets}, not on 127.0.0.1:{s.browser.port} alone")
    # 127.0.0.2 is loopback too: a socket bound to every interface takes it.
    try:
        socket.create_connection(("127.0.0.2", s.browser.port), timeout=TIMEOUT_S).close()
    except ConnectionRefusedError:
        pass
    else:
        raise AssertionError(f"127.0.0.2:{s.browser.port} accepted a connection")


async def test_refused_connections(s):
    port = s.browser.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, text = handshake(port, host=host)
        check(status == 101, f"Host {host}: {text}")
    # DNS rebinding: a page of evil.example whose name now resolves to
    # 127.0.0.1 sends its own name.
    for host, shown in ((f"evil.example:{port}", f"evil.example:{port}"),
                        ("127.0.0.1", "127.0.0.1"), (f"127.0.0.1:{port + 1}", None),
                        (None, "missing")):
        status, text = handshake(port, host=host)
        check(status == 403, f"Host {host}: {text}")
        check("Host header" in text and (shown is None or shown in text), text)
    # A web page's WebSocket always has an Origin; automation clients none.
    for origin in ("http://evil.example", "null", "", f"http://127.0.0.1:{port}"):
        status, text = handshake(port, headers=[("Origin", origin)])
        check(status == 403, f"Origin {origin!r}: {text}")
        check("--remote-allow-origins" in text, text)
    # The browser's stderr is read by a thread: give the line time to arrive.
    for _ in range(100):
        if any("refused a connection" in line and "evil.example" in line
               for line in s.browser.stderr_lines):
            break
        await asyncio.sleep(0.1)
    check(any("refused a connection" in line and "evil.example" in line
              for line in s.browser.stderr_lines), "no refusal on stderr")
    # The same through a real client library.
    try:
        ws = await websockets.connect(s.browser.url, origin="http://evil.example")
    except (websockets.InvalidStatusCode, websockets.InvalidHandshake, ConnectionError, OSError):
        pass
    else:
        await ws.close()
        raise AssertionError("a connection with an Origin header was accepted")
    status, text = handshake(port, path="/other")
    check(status != 101, f"/other: {text}")
    check((await s.client.ok("session.status"))["ready"], "status after refusals")


async def test_bad_input(s):
    c = s.client
    await c.raw_error("{not json")
    await c.raw_error("[1, 2, 3]")
    await c.raw_error('{"method": "session.status", "params": {}}')  # no id
    await c.raw_error('{"id": "7", "method": "session.status", "params": {}}')
    await c.raw_error('{"id": -1, "method": "session.status", "params": {}}')
    await c.raw_error("[" * 100000 + "]" * 100000)
    await c.raw_error("x" * (1024 * 1024 + 10))
    # json-glib reads a malformed \u escape as bytes that are not UTF-8
    # (found by tests/fuzz/fuzz-bidi.c): refused, not handed to a handler.
    await c.raw_error('{"id": 5, "method": "a\\udd\\83", "params": {}}')
    await c.ws.send(b"\x00\x01binary")
    answer = await asyncio.wait_for(c.unmatched.get(), TIMEOUT_S)
    check(answer["error"] == "invalid argument" and answer["id"] is None, answer)
    check((await c.ok("session.status"))["ready"], "status after bad JSON")

    await c.error("browsingContext.fly", {}, "unknown command")
    await c.error("browsingContext.navigate", {"url": "http://alpha.test/"}, "invalid argument")
    await c.error("browsingContext.navigate", {"context": 1, "url": "http://alpha.test/"},
                  "invalid argument")
    await c.error("browsingContext.navigate", {"context": s.first, "url": 5}, "invalid argument")
    await c.error("browsingContext.navigate", {"context": s.first, "url": "relative/path"},
                  "invalid argument")
    # Whoever reaches the port must not read local files with a screenshot.
    for url in ("file:///etc/passwd", "FILE:///etc/passwd", "file://localhost/etc/"):
        answer = await c.error("browsingContext.navigate", {"context": s.first, "url": url},
                               "invalid argument")
        check("file:" in answer["message"], answer)
    await c.error("browsingContext.navigate",
                  {"context": s.first, "url": "about:blank", "wait": "soon"}, "invalid argument")
    await c.error("browsingContext.navigate", {"context": "9999", "url": "about:blank"},
                  "no such frame")
    await c.error("browsingContext.captureScreenshot", {"context": "9999"}, "no such frame")
    await c.error("browsingContext.getTree", {"root": "9999"}, "no such frame")
    await c.error("browsingContext.close", {"context": "9999"}, "no such frame")
    await c.error("browsingContext.create", {"type": "popup"}, "invalid argument")
    await c.error("browsingContext.create", {}, "invalid argument")
    await c.error("browsingContext.traverseHistory", {"context": s.first}, "invalid argument")
    await c.error("browsingContext.traverseHistory", {"context": s.first, "delta": 2},
                  "no such history entry")
    await c.error("browsingContext.captureScreenshot",
                  {"context": s.first, "format": {"type": "image/webp"}}, "unsupported operation")
    await c.error("browsingContext.captureScreenshot",
                  {"context": s.first, "clip": {"type": "box", "x": 0}}, "invalid argument")
    await c.error("browsingContext.captureScreenshot",
                  {"context": s.first, "origin": "page"}, "invalid argument")
    # Commands the spec defines that Bulkhead does not carry out are
    # "unsupported operation", never "unknown command".
    for method in ("webExtension.install", "browser.setDownloadBehavior",
                   "emulation.setGeolocationOverride", "emulation.setTimezoneOverride"):
        await c.error(method, {}, "unsupported operation")
    await c.error("storage.setCookie", {"cookie": {"name": "a"}}, "unable to set cookie")
    await c.error("storage.getCookies", {"partition": {"type": "context", "context": "9999"}},
                  "no such frame")
    await c.error("session.unsubscribe", {"subscriptions": ["no-such-id"]}, "invalid argument")
    await c.error("browser.removeUserContext", {"userContext": "default"}, "invalid argument")
    await c.error("browser.removeUserContext", {"userContext": "nope"}, "no such user context")
    await c.error("session.subscribe", {"events": ["browsingContext.fly"]}, "invalid argument")
    await c.error("session.subscribe", {"events": "browsingContext"}, "invalid argument")
    await c.error("session.subscribe", {"events": ["browsingContext"], "contexts": ["9999"]},
                  "no such frame")
    await c.error("session.unsubscribe", {"events": ["bulkhead:ipc.message"]},
                  "invalid argument")
    await c.error("bulkhead:process.kill", {"pid": "12"}, "invalid argument")
    await c.error("bulkhead:process.kill", {"pid": s.browser.pid, "signal": "SIGNOPE"},
                  "invalid argument")
    answer = await c.call("session.status", None)  # no params at all is fine
    check(answer["type"] == "success", answer)
    check((await c.ok("session.status"))["ready"], "status after bad commands")


async def test_create_and_navigate(s):
    c = s.client
    mark = c.mark()
    s.alpha = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    s.beta = (await c.ok("browsingContext.create", {"type": "tab", "background": True}))["context"]
    check(s.alpha != s.beta and isinstance(s.alpha, str), (s.alpha, s.beta))
    for context in (s.alpha, s.beta):
        event = await c.wait_event("browsingContext.contextCreated", mark, context=context)
        check(event["params"]["parent"] is None, event)

    for context, host, page in ((s.alpha, "alpha.test", "index.en.html"),
                                (s.beta, "beta.test", "ch01.en.html")):
        mark = c.mark()
        url = s.http.url(host, page)
        result = await c.ok("browsingContext.navigate",
                            {"context": context, "url": url, "wait": "complete"})
        check(result["url"] == url and isinstance(result["navigation"], str), result)
        await c.wait_event("browsingContext.navigationStarted", mark, context=context,
                           navigation=result["navigation"], url=url)
        # "complete" answers after the load event went out.
        loads = [e for e in c.events[mark:] if e["method"] == "browsingContext.load"
                 and e["params"]["navigation"] == result["navigation"]]
        check(len(loads) == 1 and loads[0]["params"]["url"] == url, loads)


async def test_get_tree(s):
    tree = await s.client.ok("browsingContext.getTree")
    contexts = {info["context"]: info for info in tree["contexts"]}
    check({s.first, s.alpha, s.beta} <= set(contexts), contexts.keys())
    for context, site, page in ((s.alpha, "http://alpha.test", "index.en.html"),
                                (s.beta, "http://beta.test", "ch01.en.html")):
        info = contexts[context]
        check(info["url"].endswith(page), info)
        check(info["children"] == [] and info["parent"] is None, info)
        check(info["bulkhead:site"] == site, info)
        check(info["bulkhead:state"] == "complete", info)
        check(isinstance(info["bulkhead:rendererPid"], int) and info["bulkhead:rendererPid"] > 0,
              info)
    check(contexts[s.alpha]["bulkhead:rendererPid"] != contexts[s.beta]["bulkhead:rendererPid"],
          "two sites share a renderer")
    s.tree = contexts
    only = await s.client.ok("browsingContext.getTree", {"root": s.alpha})
    check([i["context"] for i in only["contexts"]] == [s.alpha], only)


async def test_process_list(s):
    result = await s.client.ok("bulkhead:process.list")
    processes = result["processes"]
    browser = [p for p in processes if p["type"] == "browser"]
    check(len(browser) == 1 and browser[0]["pid"] == s.browser.pid, browser)
    check(browser[0]["rssKiB"] > 1000, browser)
    check(browser[0]["messagesIn"] > 0 and browser[0]["messagesOut"] > 0, browser)
    renderers = {p["site"]: p for p in processes if p["type"] == "renderer"}
    for context, site in ((s.alpha, "http://alpha.test"), (s.beta, "http://beta.test")):
        row = renderers.get(site)
        check(row is not None, f"no renderer for {site}: {processes}")
        check(row["contexts"] == [context], row)
        check(row["pid"] == s.tree[context]["bulkhead:rendererPid"], (row, s.tree[context]))
        check(row["pid"] in descendants_of(s.browser.pid),
              f"renderer {row['pid']} is not a process of the browser")
        check(row["rssKiB"] > 0 and row["messagesIn"] > 0 and row["messagesOut"] > 0, row)
        check(isinstance(row["sandbox"], str), row)
    s.renderer_pids = {p["pid"] for p in processes if p["type"] == "renderer"}


async def test_screenshot(s):
    c = s.client
    result = await c.ok("browsingContext.captureScreenshot", {"context": s.alpha})
    png = base64.b64decode(result["data"], validate=True)
    width, height, bpp, rows = png_decode(png)
    if MODE == "headless":
        check((width, height) == WINDOW_SIZE, f"{width}x{height}, not --window-size")
    else:
        check(width >= 200 and height >= 100, f"{width}x{height}")
    non_white = count_non_white(bpp, rows)
    check(non_white > width * height // 200, f"only {non_white} non-white pixels")
    # activate: the window (GUI) switches to the tab; headless has nothing to do.
    await c.ok("browsingContext.activate", {"context": s.alpha})
    await c.ok("browsingContext.activate", {"context": s.beta})


async def test_history_and_reload(s):
    c = s.client
    first = s.http.url("alpha.test", "index.en.html")
    second = s.http.url("alpha.test", "ch02.en.html")
    await c.ok("browsingContext.navigate", {"context": s.alpha, "url": second, "wait": "complete"})
    await c.error("browsingContext.traverseHistory", {"context": s.alpha, "delta": 1},
                  "no such history entry")

    mark = c.mark()
    await c.ok("browsingContext.traverseHistory", {"context": s.alpha, "delta": -1})
    await c.wait_event("browsingContext.load", mark, context=s.alpha, url=first)
    tree = await c.ok("browsingContext.getTree", {"root": s.alpha})
    check(tree["contexts"][0]["url"] == first, tree)

    await c.ok("browsingContext.traverseHistory", {"context": s.alpha, "delta": 1})
    tree = await c.ok("browsingContext.getTree", {"root": s.alpha})
    check(tree["contexts"][0]["url"] == second, tree)

    mark = c.mark()
    result = await c.ok("browsingContext.reload", {"context": s.alpha, "wait": "complete"})
    check(result["url"] == second, result)
    await c.wait_event("browsingContext.navigationStarted", mark, context=s.alpha,
                       navigation=result["navigation"])
    await c.wait_event("browsingContext.load", mark, context=s.alpha,
                       navigation=result["navigation"])

    result = await c.ok("browsingContext.navigate",
                        {"context": s.alpha, "url": first, "wait": "interactive"})
    check(result["url"] == first, result)
    await c.wait_event("browsingContext.load", mark, context=s.alpha,
                       navigation=result["navigation"])

    # Several steps at once: first, second, first → two back is the index again.
    third = s.http.url("alpha.test", "ch03.en.html")
    await c.ok("browsingContext.navigate", {"context": s.alpha, "url": third, "wait": "complete"})
    await c.error("browsingContext.traverseHistory", {"context": s.alpha, "delta": -99},
                  "no such history entry")
    await c.ok("browsingContext.traverseHistory", {"context": s.alpha, "delta": -2})
    tree = await c.ok("browsingContext.getTree", {"root": s.alpha})
    check(tree["contexts"][0]["url"] == second, f"two steps back from ch03: {tree}")


class SlowPage(http.server.BaseHTTPRequestHandler):
    """Every GET is answered after SLOW_PAGE_S with a small page of its own."""

    def do_GET(self):
        time.sleep(SLOW_PAGE_S)
        body = b"<html><head><title>slow</title></head><body><p>slow page</p></body></html>"
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave the fetch up, as it should

    def log_message(self, *args):
        pass


async def test_replaced_navigation(s):
    """A navigation started while another is still being fetched is its own:
    its answer, its navigationStarted and its load carry its id, and the
    replaced one never loads."""
    c = s.client
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowPage)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        slow = f"http://alpha.test:{server.server_address[1]}/slow.html"
        fast = s.http.url("alpha.test", "ch04.en.html")
        mark = c.mark()
        a = await c.ok("browsingContext.navigate",
                       {"context": s.alpha, "url": slow, "wait": "none"})
        b = await c.ok("browsingContext.navigate",
                       {"context": s.alpha, "url": fast, "wait": "complete"})
        check(a["url"] == slow and b["url"] == fast, (a, b))
        check(a["navigation"] != b["navigation"], f"one id for two navigations: {a} {b}")
        await c.wait_event("browsingContext.navigationStarted", mark, context=s.alpha,
                           navigation=a["navigation"], url=slow)
        await c.wait_event("browsingContext.navigationStarted", mark, context=s.alpha,
                           navigation=b["navigation"], url=fast)

        def loads():
            return [e["params"] for e in c.events[mark:]
                    if e["method"] == "browsingContext.load" and e["params"]["context"] == s.alpha]

        # "complete" answers after B's load event went out.
        check([(e["navigation"], e["url"]) for e in loads()] == [(b["navigation"], fast)],
              loads())
        # The slow server answers A's request by now; the browser must have
        # dropped it.
        await asyncio.sleep(SLOW_PAGE_S + 1)
        check([e["navigation"] for e in loads()] == [b["navigation"]], loads())
        tree = await c.ok("browsingContext.getTree", {"root": s.alpha})
        check(tree["contexts"][0]["url"] == fast, tree)
    finally:
        server.shutdown()
        server.server_close()


async def ipc_trace_enabled(s):
    processes = (await s.client.ok("bulkhead:process.list"))["processes"]
    return [p for p in processes if p["type"] == "browser"][0]["ipcTraceEnabled"]


async def ipc_names_while_loading(s, params):
    """Subscribes a second client with @params, loads a page in beta, and
    returns the bulkhead:ipc.message events it saw."""
    # No subscriber, no trace sink: channels build no trace events at all.
    check(await ipc_trace_enabled(s) is False, "IPC tracing is on with nobody subscribed")
    watcher = await Client.connect(s.browser)
    try:
        await watcher.ok("session.subscribe", params)
        check(await ipc_trace_enabled(s) is True, "IPC tracing is off for a subscriber")
        url = s.http.url("beta.test", "ch03.en.html")
        await s.client.ok("browsingContext.navigate",
                          {"context": s.beta, "url": url, "wait": "complete"})
        await watcher.wait_event("bulkhead:ipc.message", 0, message="FrameReady")
        await watcher.ok("session.unsubscribe", {"events": params["events"]})
        check(await ipc_trace_enabled(s) is False, "IPC tracing stayed on after unsubscribe")
        return [e for e in watcher.events if e["method"] == "bulkhead:ipc.message"]
    finally:
        await watcher.close()


async def test_ipc_trace(s):
    events = await ipc_names_while_loading(s, {"events": ["bulkhead:ipc.message"]})
    names = {e["params"]["message"] for e in events}
    check({"CommitNavigation", "FrameReady", "DidFinishLoad", "DataPipe"} <= names, names)
    for event in events:
        p = event["params"]
        check(p["role"] == "browser" and p["pid"] == s.browser.pid, p)
        check(p["direction"] in ("send", "recv") and p["peerRole"] == "renderer", p)
        check(isinstance(p["time_us"], int), p)
        if p["message"] == "DataPipe":
            # The navigation body's pipe: the browser writes it.
            check(p["direction"] == "send" and p["what"] == "navigation body", p)
            check(p["event"] in ("wake", "full", "end", "failed") and isinstance(p["written"], int), p)
            continue
        check(isinstance(p["serial"], int), p)
        check(isinstance(p["bytes"], int) and isinstance(p["fds"], list), p)
        check(isinstance(p["payload"], dict), p)
    commit = [e["params"] for e in events if e["params"]["message"] == "CommitNavigation"]
    check(commit[0]["direction"] == "send" and commit[0]["peer"] == "http://beta.test", commit)
    # The payload by the catalogue's field names, the fds described.
    check(commit[0]["payload"]["url"].endswith("ch03.en.html"), commit[0])
    check(commit[0]["payload"]["content_type"] == "text/html", commit[0])
    check([fd["kind"] for fd in commit[0]["fds"]] == ["memfd", "socket"], commit[0])


async def test_ipc_trace_filter(s):
    events = await ipc_names_while_loading(
        s, {"events": ["bulkhead:ipc"], "bulkhead:filter": "Frame*,CommitNavigation"})
    names = {e["params"]["message"] for e in events}
    check({"CommitNavigation", "FrameReady"} <= names, names)
    check(all(n == "CommitNavigation" or n.startswith("Frame") for n in names), names)

    # A subscriber that hangs up without unsubscribing takes the sink along.
    watcher = await Client.connect(s.browser)
    await watcher.ok("session.subscribe", {"events": ["bulkhead:ipc.message"]})
    check(await ipc_trace_enabled(s) is True, "IPC tracing is off for a subscriber")
    await watcher.close()
    deadline = time.monotonic() + TIMEOUT_S
    while await ipc_trace_enabled(s) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    check(await ipc_trace_enabled(s) is False, "IPC tracing stayed on after the subscriber left")


async def test_process_kill(s):
    c = s.client
    await c.error("bulkhead:process.kill", {"pid": os.getpid(), "signal": "SIGKILL"},
                  "invalid argument")
    await c.error("bulkhead:process.kill", {"pid": 1, "signal": 9}, "invalid argument")
    await c.error("bulkhead:process.kill", {"pid": s.browser.pid, "signal": "SIGKILL"},
                  "invalid argument")
    check(is_running(os.getpid()), "we are still here")

    pid = s.tree[s.beta]["bulkhead:rendererPid"]
    mark = c.mark()
    await c.ok("bulkhead:process.kill", {"pid": pid, "signal": "SIGKILL"})
    event = await c.wait_event("bulkhead:process.terminated", mark, pid=pid)
    p = event["params"]
    check(p["type"] == "renderer" and p["site"] == "http://beta.test", p)
    check(p["status"] == "killed" and p["signal"] == 9, p)
    check(p["contexts"] == [s.beta], p)
    tree = await c.ok("browsingContext.getTree", {"root": s.beta})
    check(tree["contexts"][0]["bulkhead:state"] == "killed", tree)
    deadline = time.monotonic() + 10
    while is_running(pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    check(not is_running(pid), f"renderer {pid} still runs")
    # A killed renderer is not ours any more.
    await c.error("bulkhead:process.kill", {"pid": pid, "signal": "SIGKILL"}, "invalid argument")

    # The first tab's renderer too: headless, that is the tab the browser
    # opened itself, and losing it must not fail the run (browser.close still
    # exits 0, checked at the end). SIGTERM, by number this time.
    first_pid = (await c.ok("browsingContext.getTree", {"root": s.first}))["contexts"][0][
        "bulkhead:rendererPid"]
    mark = c.mark()
    await c.ok("bulkhead:process.kill", {"pid": first_pid, "signal": 15})
    event = await c.wait_event("bulkhead:process.terminated", mark, pid=first_pid)
    check(event["params"]["status"] == "killed" and event["params"]["signal"] == 15, event)
    check(s.first in event["params"]["contexts"], event)

    # Reloading the sad tab brings up a fresh renderer.
    await c.ok("browsingContext.reload", {"context": s.beta, "wait": "complete"})
    tree = await c.ok("browsingContext.getTree", {"root": s.beta})
    info = tree["contexts"][0]
    check(info["bulkhead:state"] == "complete" and info["bulkhead:rendererPid"] not in (None, pid),
          info)
    s.renderer_pids.add(info["bulkhead:rendererPid"])


async def test_plugin_host(s):
    """A PDF opens in a plugin host: listed with its plugin type and tab,
    and killing it reports a plugin termination."""
    c = s.client
    url = s.http.url("alpha.test", "debian-reference.en.pdf")
    await c.ok("browsingContext.navigate", {"context": s.alpha, "url": url, "wait": "complete"})
    row = None
    deadline = time.monotonic() + TIMEOUT_S
    while row is None and time.monotonic() < deadline:
        processes = (await c.ok("bulkhead:process.list"))["processes"]
        rows = [p for p in processes if p["type"] == "plugin" and p["alive"]]
        row = rows[0] if rows else None
        await asyncio.sleep(0.05)
    check(row is not None, "no plugin host was started for the PDF")
    check(row["pluginType"] == "application/pdf" and row["contexts"] == [s.alpha], row)
    check(row["pid"] in descendants_of(s.browser.pid), f"plugin host {row['pid']} is not ours")
    # The screenshot has the plugin's pixels composited over the page: the
    # PDF's cover, Debian's red swirl.
    result = await c.ok("browsingContext.captureScreenshot", {"context": s.alpha})
    width, height, bpp, rows = png_decode(base64.b64decode(result["data"]))
    red = count_red(bpp, rows)
    check(red > width * height // 100, f"only {red} red pixels in the PDF tab")

    mark = c.mark()
    await c.ok("bulkhead:process.kill", {"pid": row["pid"], "signal": "SIGKILL"})
    event = await c.wait_event("bulkhead:process.terminated", mark, pid=row["pid"])
    p = event["params"]
    check(p["type"] == "plugin" and p["pluginType"] == "application/pdf", p)
    check(p["status"] == "killed" and p["signal"] == 9 and p["contexts"] == [s.alpha], p)
    s.renderer_pids.add(row["pid"])
    await c.ok("browsingContext.navigate", {"context": s.alpha, "url": s.http.url(
        "alpha.test", "index.en.html"), "wait": "complete"})


FLOOD_COMMANDS = 100000


async def flood(url, count):
    """The flooding client (test-bidi.py --flood URL N, a process of its own
    so that its work does not slow the measuring one): sends @count commands
    as fast as it can and checks that every answer comes, in order."""
    async with websockets.connect(url, max_size=None) as ws:
        async def send_all():
            for i in range(count):
                await ws.send(json.dumps({"id": i, "method": "session.status", "params": {}}))

        sender = asyncio.ensure_future(send_all())
        for i in range(count):
            answer = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
            if answer.get("id") != i or answer.get("type") != "success":
                print(f"answer {i} is {answer}", file=sys.stderr)
                return 1
        await sender
    return 0


async def test_flood(s):
    """Commands sent faster than they are answered are answered in order,
    and the browser keeps serving everyone else meanwhile."""
    flooder = subprocess.Popen(["/usr/bin/python3", os.path.abspath(__file__), "--flood",
                                s.browser.url, str(FLOOD_COMMANDS)])
    latencies = []
    try:
        while flooder.poll() is None:
            start = time.monotonic()
            status = await s.client.ok("session.status")
            latencies.append(time.monotonic() - start)
            check(status["ready"], status)
            await asyncio.sleep(0.005)
    finally:
        if flooder.poll() is None:
            flooder.kill()
        flooder.wait()
    check(flooder.returncode == 0, "the flooding client saw answers missing or out of order")
    latencies.sort()
    print(f"# another client during the flood: {len(latencies)} answers, median "
          f"{latencies[len(latencies) // 2] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms",
          flush=True)
    check(len(latencies) >= 5, f"only {len(latencies)} answers to another client during the flood")
    # The median, not the maximum: one stall of a loaded 2-core CI machine
    # (where make check runs two suites at once) is not the browser's doing,
    # but a browser that drains one client's backlog before serving the next
    # makes every answer wait for it (0.5 s and more here), so the median
    # shows it. Unloaded the median is under 1 ms.
    median = latencies[len(latencies) // 2]
    check(median < 0.1 + 0.02 * os.getloadavg()[0],
          f"another client waited {median * 1000:.0f} ms (median) during the flood")


async def test_events_dropped(s):
    """A subscriber that does not read loses events, not the browser's memory,
    and learns how many it lost."""
    # Reads nothing until the end, with a small receive buffer, so that the
    # browser's queue for it fills (the browser caps its socket's send
    # buffer at 256 KiB; about:blank makes ~9 IPC messages of ~300 bytes).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", s.browser.port))
    # (close_timeout: its unread events keep websockets from seeing the
    # closing handshake's answer.)
    slow = await websockets.connect(s.browser.url, sock=sock, max_size=None, max_queue=1,
                                    read_limit=2 ** 12, write_limit=2 ** 12, close_timeout=1)
    await slow.send(json.dumps({"id": 1, "method": "session.subscribe",
                                "params": {"events": ["bulkhead:ipc.message"]}}))
    answer = json.loads(await asyncio.wait_for(slow.recv(), TIMEOUT_S))
    check(answer["type"] == "success", answer)
    slow.transport.pause_reading()
    try:
        c = s.client
        for _ in range(600):
            await c.ok("browsingContext.navigate",
                       {"context": s.first, "url": "about:blank?" + str(time.monotonic()),
                        "wait": "complete"})
        slow.transport.resume_reading()
        dropped = None
        received = 0
        try:
            while dropped is None:
                message = json.loads(await asyncio.wait_for(slow.recv(), 5))
                if message.get("method") == "bulkhead:eventsDropped":
                    dropped = message["params"]["count"]
                elif message.get("method") == "bulkhead:ipc.message":
                    received += 1
        except asyncio.TimeoutError:
            pass
        check(dropped is not None and dropped > 0, f"no bulkhead:eventsDropped ({received} events)")
        check(received >= 1000, f"only {received} events before the drop notice")
        # Then the events flow again.
        await c.ok("browsingContext.navigate",
                   {"context": s.first, "url": "about:blank?after", "wait": "complete"})
        while True:
            message = json.loads(await asyncio.wait_for(slow.recv(), TIMEOUT_S))
            if message.get("method") == "bulkhead:ipc.message" and \
                    "about:blank?after" in message["params"].get("payload", {}).get("url", ""):
                break
    finally:
        await slow.close()
    check((await s.client.ok("session.status"))["ready"], "status after the slow client")


async def test_close_tab(s):
    c = s.client
    mark = c.mark()
    await c.ok("browsingContext.close", {"context": s.alpha})
    await c.wait_event("browsingContext.contextDestroyed", mark, context=s.alpha)
    tree = await c.ok("browsingContext.getTree")
    check(s.alpha not in {i["context"] for i in tree["contexts"]}, tree)
    await c.error("browsingContext.navigate", {"context": s.alpha, "url": "about:blank"},
                  "no such frame")


async def test_browser_close(s):
    c = s.client
    s.renderer_pids |= descendants_of(s.browser.pid)
    check(s.renderer_pids, "the browser has no child processes to check")
    result = await c.ok("browser.close")
    check(result == {}, result)
    deadline = time.monotonic() + 15
    while s.browser.process.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    status = s.browser.process.poll()
    check(status == 0, f"the browser exited with {status}:\n" + "".join(s.browser.stderr_lines))
    left = [pid for pid in s.renderer_pids if is_running(pid)]
    check(not left, f"processes of the browser still run: {left}")
    await c.reader


# Smaller runs of their own


def test_allowed_origins():
    """--remote-allow-origins lets the named origins' pages in (Chromium's
    flag), "*" every one; a Host check still applies."""
    browser = Browser(extra_args=["--remote-allow-origins=http://localhost:8000/, https://A.test"])
    try:
        port = browser.port
        for origin in ("http://localhost:8000", "https://a.test"):
            status, text = handshake(port, headers=[("Origin", origin)])
            check(status == 101, f"Origin {origin}: {text}")
        for origin in ("http://localhost:8001", "", "https://a.test, http://evil.example"):
            status, text = handshake(port, headers=[("Origin", origin)])
            check(status == 403, f"Origin {origin!r}: {text}")
    finally:
        browser.process.terminate()
        browser.process.wait(TIMEOUT_S)
    browser = Browser(extra_args=["--remote-allow-origins=*"])
    try:
        for origin in ("http://evil.example", ""):
            status, text = handshake(browser.port, headers=[("Origin", origin)])
            check(status == 101, f"Origin {origin!r} with *: {text}")
        status, text = handshake(browser.port, host="evil.example",
                                 headers=[("Origin", "http://evil.example")])
        check(status == 403, f"Host evil.example with *: {text}")
    finally:
        browser.process.terminate()
        browser.process.wait(TIMEOUT_S)
    run = subprocess.run([BROWSER, "--headless", profile_arg(), "--remote-debugging-port=0",
                          "--remote-allow-origins=file:///etc", "about:blank"],
                         stderr=subprocess.PIPE, text=True, timeout=TIMEOUT_S)
    check(run.returncode == 1 and "--remote-allow-origins" in run.stderr, run.stderr)


def test_no_flag_no_server():
    """Without --remote-debugging-port nothing listens; with --screenshot the
    headless run still ends with its picture."""
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bidi-shot-{os.getpid()}.png")
    try:
        run = subprocess.run([BROWSER, "--headless", profile_arg(), "--screenshot=" + out, "about:blank"],
                             stderr=subprocess.PIPE, text=True, timeout=TIMEOUT_S)
        check(run.returncode == 0, run.stderr)
        check("BiDi" not in run.stderr, run.stderr)
        run = subprocess.run([BROWSER, "--headless", profile_arg(), "--remote-debugging-port=0",
                              "--screenshot=" + out, "about:blank"],
                             stderr=subprocess.PIPE, text=True, timeout=TIMEOUT_S)
        check(run.returncode == 0, run.stderr)
        check("BiDi listening on ws://127.0.0.1:" in run.stderr, run.stderr)
        check(os.path.getsize(out) > 0, "no screenshot")
    finally:
        if os.path.exists(out):
            os.unlink(out)


async def sync(function):
    function()


def main():
    if MODE == "gui" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("1..0 # SKIP the GUI variant needs a display (run under xvfb-run)")
        return 0
    if not os.path.isdir(DOCS):
        print(f"1..0 # SKIP {DOCS} is missing (package debian-reference-en)")
        return 0

    tap = Tap()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    s = State()
    s.http = HttpServer()
    s.bus = SessionBus() if MODE == "gui" else None
    s.browser = Browser(browser_environment(s.bus, MODE == "gui"), gui=MODE == "gui",
                        window_size=WINDOW_SIZE)
    try:
        s.client = loop.run_until_complete(Client.connect(s.browser))
        tree = loop.run_until_complete(s.client.ok("browsingContext.getTree"))
        s.first = tree["contexts"][0]["context"]
        s.renderer_pids = set()
        print(f"# {MODE}: browser {s.browser.pid} on port {s.browser.port}, "
              f"pages on port {s.http.port}", flush=True)
        tests = [
            ("session.status, session.new, session.subscribe", test_session),
            ("the port listens on 127.0.0.1 only; 127.0.0.2 is refused", test_loopback_only),
            ("a foreign Host, any Origin or another path is refused", test_refused_connections),
            ("bad input gets BiDi errors and the connection stays", test_bad_input),
            ("create two tabs on two sites, navigate with wait complete", test_create_and_navigate),
            ("getTree has the bulkhead fields", test_get_tree),
            ("process.list: browser and one renderer per site with its contexts",
             test_process_list),
            ("captureScreenshot is a PNG of the page; activate", test_screenshot),
            ("traverseHistory back and forward, reload", test_history_and_reload),
        ]
        if MODE == "headless":
            tests.append(("a navigation replacing one still fetched has its own id and load",
                          test_replaced_navigation))
        tests += [
            ("bulkhead:ipc.message shows CommitNavigation and FrameReady", test_ipc_trace),
            ("bulkhead:ipc.message with bulkhead:filter", test_ipc_trace_filter),
            ("process.kill: refused for others, terminated event for a renderer",
             test_process_kill),
            ("a PDF's plugin host: process.list, process.kill, terminated", test_plugin_host),
            ("a command flood is answered in order", test_flood),
            ("a subscriber that does not read gets bulkhead:eventsDropped", test_events_dropped),
            ("browsingContext.close", test_close_tab),
            ("browser.close exits 0 and leaves no renderer", test_browser_close),
        ]
        for name, function in tests:
            # 600 navigations: minutes, not seconds, on a machine that make
            # check shares with other builds (meson's own timeout still holds).
            tap.run(name, function, s,
                    timeout_s=TIMEOUT_S * 10 if function is test_events_dropped else TIMEOUT_S * 3)
        if MODE == "headless":
            tap.run("no flag, no server; --screenshot still ends the run", sync,
                    test_no_flag_no_server)
            tap.run("--remote-allow-origins lets the origins it names in", sync,
                    test_allowed_origins)
    finally:
        if s.browser.process.poll() is None:
            s.browser.process.send_signal(signal.SIGTERM)
            try:
                s.browser.process.wait(10)
            except subprocess.TimeoutExpired:
                s.browser.process.kill()
        s.http.stop()
        if s.bus is not None:
            s.bus.stop()
        if tap.failed:
            print("# browser stderr:", flush=True)
            for line in s.browser.stderr_lines[-80:]:
                print("#   " + line.rstrip(), flush=True)
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--flood"]:
        sys.exit(asyncio.run(flood(sys.argv[2], int(sys.argv[3]))))
    sys.exit(main())
