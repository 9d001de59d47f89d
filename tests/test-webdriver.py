#!/usr/bin/python3
"""tests/test-webdriver.py: what issue 15 added to --remote-debugging-port,
seen from a client: classic WebDriver's HTTP side (JSON errors with the
spec's status, never HTML; the Host and Origin checks; element references
shared with BiDi) and BiDi's newer commands and events (locateNodes,
performActions, the navigation and network events, screenshot options).
The browser runs headless on the pages of tests/data/clients/ served on
127.0.0.1. Prints TAP.
"""

import asyncio
import base64
import http.client
import http.server
import json
import socket
import sys
import threading

import os
import struct

from bhtest import Browser, Client, HttpServer, Tap, check

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, "data", "clients")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class State:
    pass


def png_size(data):
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    return struct.unpack(">II", data[16:24])


def request(s, method, path, body=None, headers=None, raw_body=None):
    """One classic request; returns (status, content type, decoded JSON)."""
    connection = http.client.HTTPConnection("127.0.0.1", s.browser.port, timeout=60)
    data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    text = response.read()
    content_type = response.getheader("Content-Type", "")
    connection.close()
    check(content_type.startswith("application/json"), f"{method} {path}: {content_type} {text[:200]!r}")
    return response.status, json.loads(text)


def expect_error(s, method, path, status, error, body=None, **kwargs):
    got_status, answer = request(s, method, path, body, **kwargs)
    check(got_status == status and answer["value"]["error"] == error and answer["value"]["message"],
          f"{method} {path}: expected {status} {error}, got {got_status} {answer}")
    return answer


async def test_classic_errors(s):
    expect_error(s, "GET", "/nope", 404, "unknown command")
    expect_error(s, "PUT", "/session", 405, "unknown method")
    expect_error(s, "GET", "/session/no-such-session/url", 404, "invalid session id")
    expect_error(s, "POST", "/session", 400, "invalid argument", raw_body=b"{oops")
    expect_error(s, "POST", "/session", 400, "invalid argument", raw_body=b"[1, 2]")
    expect_error(s, "POST", "/session", 400, "invalid argument",
                 raw_body=b'{"a": "' + b"x" * (1024 * 1024 + 10) + b'"}')
    expect_error(s, "POST", "/session", 500, "session not created",
                 body={"capabilities": {"alwaysMatch": {"browserName": "firefox"}}})
    # The DNS-rebinding and cross-site defences hold on the HTTP side too.
    answer = expect_error(s, "GET", "/status", 403, "unknown error", headers={"Host": "evil.example"})
    check("evil.example" in answer["value"]["message"], answer)
    answer = expect_error(s, "GET", "/status", 403, "unknown error",
                          headers={"Origin": "http://evil.example"})
    check("--remote-allow-origins" in answer["value"]["message"], answer)
    status, answer = request(s, "GET", "/status")
    check(status == 200 and answer["value"]["ready"] is True, answer)


async def test_classic_session(s):
    status, answer = request(s, "POST", "/session",
                          {"capabilities": {"alwaysMatch": {"webSocketUrl": True}}})
    check(status == 200, answer)
    s.session = answer["value"]["sessionId"]
    url = answer["value"]["capabilities"]["webSocketUrl"]
    check(url == f"ws://127.0.0.1:{s.browser.port}/session/{s.session}", url)
    base = f"/session/{s.session}"
    status, answer = request(s, "POST", base + "/url", {"url": s.pages + "index.html"})
    check(status == 200 and answer == {"value": None}, answer)
    status, answer = request(s, "POST", base + "/element", {"using": "css selector", "value": "#next"})
    s.element = answer["value"][ELEMENT]
    status, answer = request(s, "GET", base + f"/element/{s.element}/text")
    check(answer["value"] == "Go to the second page", answer)
    status, answer = request(s, "GET", base + f"/element/{s.element}/property/href")
    check(answer["value"] == s.pages + "second.html", answer)
    status, answer = request(s, "GET", base + f"/element/{s.element}/rect")
    check(answer["value"]["width"] > 0 and answer["value"]["height"] > 0, answer)
    status, answer = request(s, "POST", base + "/elements", {"using": "tag name", "value": "blink"})
    check(status == 200 and answer["value"] == [], answer)
    expect_error(s, "POST", base + "/element", 404, "no such element",
                 {"using": "css selector", "value": "#nothing-here"})
    # xpath and the link text strategies find the same element as css.
    for using, value in (("xpath", "//p/a[@id='next']"), ("link text", "Go to the second page"),
                         ("partial link text", "second page")):
        status, answer = request(s, "POST", base + "/element", {"using": using, "value": value})
        check(status == 200 and answer["value"][ELEMENT] == s.element, (using, answer))
    expect_error(s, "POST", base + "/element", 400, "invalid selector",
                 {"using": "xpath", "value": "//a/@href"})
    expect_error(s, "POST", base + "/element", 400, "invalid argument",
                 {"using": "by magic", "value": "a"})
    expect_error(s, "GET", base + "/alert/text", 404, "no such alert")
    # Script: the body called with the arguments, the result cloned to JSON.
    status, answer = request(s, "POST", base + "/execute/sync",
                             {"script": "return [document.title, arguments[0] + arguments[1], {a: 1}]",
                              "args": [2, 3]})
    check(answer["value"] == ["Clients: first page", 5, {"a": 1}], answer)
    # From an element: its descendants only.
    status, answer = request(s, "POST", base + "/element", {"using": "css selector", "value": "p.intro"})
    intro = answer["value"][ELEMENT]
    status, answer = request(s, "POST", base + f"/element/{intro}/elements", {"using": "css selector", "value": "a"})
    check(status == 200 and answer["value"] == [], answer)
    status, answer = request(s, "POST", base + "/element", {"using": "css selector", "value": "body"})
    body = answer["value"][ELEMENT]
    status, answer = request(s, "POST", base + f"/element/{body}/element", {"using": "tag name", "value": "a"})
    check(status == 200 and answer["value"][ELEMENT] == s.element, answer)
    expect_error(s, "POST", base + f"/element/{intro}/element", 404, "no such element",
                 {"using": "css selector", "value": "a"})
    # Window states: the rect back; BiDi's client window says the state.
    status, answer = request(s, "POST", base + "/window/maximize", {})
    check(status == 200 and answer["value"]["width"] > 0 and answer["value"]["height"] > 0, answer)
    c = await Client.connect(s.browser)
    windows = (await c.ok("browser.getClientWindows"))["clientWindows"]
    check(windows[0]["state"] == "maximized", windows)
    await c.ok("browser.setClientWindowState", {"clientWindow": windows[0]["clientWindow"], "state": "normal"})
    check((await c.ok("browser.getClientWindows"))["clientWindows"][0]["state"] == "normal", "not normal")
    await c.error("browser.setClientWindowState", {"clientWindow": windows[0]["clientWindow"], "state": "huge"},
                  "invalid argument")
    await c.close()
    status, answer = request(s, "GET", base + "/source")
    check(status == 200 and answer["value"].startswith("<html") and "Hello, automation" in answer["value"],
          answer)
    # An element reference of /element, handed to script: that element.
    status, answer = request(s, "POST", base + "/execute/sync",
                             {"script": "return arguments[0].id + ' ' + arguments[0].tagName",
                              "args": [{ELEMENT: s.element}]})
    check(answer["value"] == "next A", answer)
    status, answer = request(s, "POST", base + "/execute/async",
                             {"script": "arguments[0](42)", "args": []})
    check(answer["value"] == 42, answer)
    answer = expect_error(s, "POST", base + "/execute/sync", 500, "javascript error",
                          {"script": "throw new Error('boom')", "args": []})
    check("boom" in answer["value"]["message"], answer)
    # The screenshot of one element is its box.
    status, answer = request(s, "GET", base + f"/element/{s.element}/screenshot")
    width, height = png_size(base64.b64decode(answer["value"]))
    status, rect = request(s, "GET", base + f"/element/{s.element}/rect")
    check(abs(width - rect["value"]["width"]) <= 2 and abs(height - rect["value"]["height"]) <= 2,
          f"{width}x{height} for {rect}")


async def test_shared_references(s):
    """An element found through classic WebDriver clicked through BiDi's
    performActions: the same reference; then it is stale."""
    c = await Client.connect(s.browser)
    tree = await c.ok("browsingContext.getTree")
    context = tree["contexts"][0]["context"]
    await c.ok("session.subscribe", {"events": ["browsingContext"]})
    mark = c.mark()
    await c.ok("input.performActions", {"context": context, "actions": [
        {"type": "pointer", "id": "mouse", "actions": [
            {"type": "pointerMove", "x": 0, "y": 0,
             "origin": {"type": "element", "element": {"sharedId": s.element}}},
            {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})
    loaded = await c.wait_event("browsingContext.load", mark, context=context)
    check(loaded["params"]["url"] == s.pages + "second.html", loaded)
    expect_error(s, "GET", f"/session/{s.session}/element/{s.element}/text", 404,
                 "stale element reference")
    status, answer = request(s, "GET", f"/session/{s.session}/url")
    check(answer["value"] == s.pages + "second.html", answer)
    await c.close()


async def test_navigation_events(s):
    c = await Client.connect(s.browser)
    await c.ok("session.subscribe", {"events": ["browsingContext", "network"]})
    context = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    mark = c.mark()
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "missing.html",
                                            "wait": "complete"})
    order = [e["method"] for e in c.events[mark:]
             if e["params"].get("context") == context and e["method"].startswith("browsingContext.")]
    check(order == ["browsingContext.navigationStarted", "browsingContext.navigationCommitted",
                    "browsingContext.domContentLoaded", "browsingContext.load"], order)
    started = await c.wait_event("network.beforeRequestSent", mark, context=context)
    completed = await c.wait_event("network.responseCompleted", mark, context=context)
    navigation = c.events[mark]["params"]["navigation"]
    check(started["params"]["navigation"] == navigation, (started, navigation))
    check(started["params"]["request"]["url"] == s.pages + "missing.html", started)
    check(completed["params"]["response"]["status"] == 404, completed)
    check(completed["params"]["request"]["request"] == started["params"]["request"]["request"],
          completed)
    # A refused connection: the navigation fails, with its own event.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    mark = c.mark()
    await c.error("browsingContext.navigate", {"context": context,
                                               "url": f"http://127.0.0.1:{port}/",
                                               "wait": "complete"}, "unknown error")
    await c.wait_event("browsingContext.navigationFailed", mark, context=context)
    await c.wait_event("network.fetchError", mark, context=context)
    await c.ok("browsingContext.close", {"context": context})
    await c.close()


async def test_locate_and_screenshots(s):
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "index.html",
                                            "wait": "complete"})
    found = await c.ok("browsingContext.locateNodes",
                       {"context": context, "locator": {"type": "css", "value": "h1, p"}})
    check(len(found["nodes"]) == 3 and all(n["type"] == "node" for n in found["nodes"]), found)
    found = await c.ok("browsingContext.locateNodes",
                       {"context": context, "locator": {"type": "css", "value": "p"},
                        "maxNodeCount": 1})
    check(len(found["nodes"]) == 1, found)
    await c.error("browsingContext.locateNodes",
                  {"context": context, "locator": {"type": "css", "value": "a >"}},
                  "invalid selector")
    # XPath: the same elements in document order, predicates, unions.
    css = await c.ok("browsingContext.locateNodes",
                     {"context": context, "locator": {"type": "css", "value": "h1, p"}})
    for expression, expected in (("//h1 | //p", [n["sharedId"] for n in css["nodes"]]),
                                 ("/html/body/p[2]", [css["nodes"][2]["sharedId"]]),
                                 ("//p[@class='intro']", [css["nodes"][1]["sharedId"]]),
                                 ("//*[contains(text(), 'automation')]", [css["nodes"][0]["sharedId"]]),
                                 ("//p[last()]/..", None), ("//section", [])):
        found = await c.ok("browsingContext.locateNodes",
                           {"context": context, "locator": {"type": "xpath", "value": expression}})
        ids = [n["sharedId"] for n in found["nodes"]]
        check(ids == expected if expected is not None else len(ids) == 1, (expression, ids, expected))
    for bad in ("//a/@href", "count(//p)", "//p[", "//p/text()"):
        await c.error("browsingContext.locateNodes",
                      {"context": context, "locator": {"type": "xpath", "value": bad}}, "invalid selector")
    # innerText: the deepest elements whose text matches.
    found = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {
        "type": "innerText", "value": "go to the SECOND page", "ignoreCase": True}})
    link = await c.ok("browsingContext.locateNodes",
                      {"context": context, "locator": {"type": "css", "value": "#next"}})
    check([n["sharedId"] for n in found["nodes"]] == [link["nodes"][0]["sharedId"]], found)
    found = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {
        "type": "innerText", "value": "automation", "matchType": "partial"}})
    check([n["sharedId"] for n in found["nodes"]] == [css["nodes"][0]["sharedId"]], found)  # the h1
    found = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {
        "type": "innerText", "value": "Go to the second page"}})
    check(len(found["nodes"]) == 1, found)
    await c.error("browsingContext.locateNodes",
                  {"context": context, "locator": {"type": "accessibility", "value": {"role": "link"}}},
                  "unsupported operation")
    # startNodes: one start node's descendants.
    body = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {"type": "css", "value": "body"}})
    inside = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {"type": "css", "value": "a, p"},
                                                        "startNodes": [{"sharedId": body["nodes"][0]["sharedId"]}]})
    check(len(inside["nodes"]) == 3, inside)  # two paragraphs and the link
    paragraph = css["nodes"][1]["sharedId"]
    none = await c.ok("browsingContext.locateNodes", {"context": context, "locator": {"type": "css", "value": "a"},
                                                      "startNodes": [{"sharedId": paragraph}]})
    check(none["nodes"] == [], none)
    # An element clip: the picture is the element's box.
    shot = await c.ok("browsingContext.captureScreenshot", {"context": context, "clip": {
        "type": "element", "element": {"sharedId": link["nodes"][0]["sharedId"]}}})
    width, height = png_size(base64.b64decode(shot["data"]))
    rect = link["nodes"][0]
    check(10 < width < 400 and 10 < height < 60, (width, height))
    await c.error("browsingContext.captureScreenshot", {"context": context, "clip": {
        "type": "element", "element": {"sharedId": "node-999-1-1"}}}, "no such node")
    await c.ok("browsingContext.setViewport", {"context": context,
                                               "viewport": {"width": 400, "height": 300}})
    shot = await c.ok("browsingContext.captureScreenshot", {"context": context})
    width, height = png_size(base64.b64decode(shot["data"]))
    check((width, height) == (400, 300), (width, height))
    shot = await c.ok("browsingContext.captureScreenshot", {"context": context, "origin": "document"})
    width, height = png_size(base64.b64decode(shot["data"]))
    check(width == 400 and height > 1500, (width, height))
    shot = await c.ok("browsingContext.captureScreenshot",
                      {"context": context, "format": {"type": "image/jpeg", "quality": 0.5}})
    check(base64.b64decode(shot["data"])[:3] == b"\xff\xd8\xff", "not a JPEG")
    await c.error("browsingContext.captureScreenshot",
                  {"context": context, "clip": {"type": "box", "x": 5000, "y": 5000,
                                                "width": 10, "height": 10}},
                  "unable to capture screen")
    await c.ok("browsingContext.close", {"context": context})
    await c.close()


async def test_user_contexts(s):
    """A user context is a profile of its own: its tabs get renderers of
    their own for the same site, and cookies of their own; removing it
    closes its tabs and ends its renderers."""
    c = await Client.connect(s.browser)
    await c.ok("session.subscribe", {"events": ["browsingContext"]})
    made = await c.ok("browser.createUserContext")
    user_context = made["userContext"]
    listed = await c.ok("browser.getUserContexts")
    check({"userContext": user_context} in listed["userContexts"], listed)
    ours = (await c.ok("browsingContext.create", {"type": "tab", "userContext": user_context}))["context"]
    theirs = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    for context in (ours, theirs):
        await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "index.html",
                                                "wait": "complete"})
    tree = {entry["context"]: entry for entry in (await c.ok("browsingContext.getTree"))["contexts"]}
    check(tree[ours]["userContext"] == user_context and tree[theirs]["userContext"] == "default",
          tree)
    ours_pid = tree[ours]["bulkhead:rendererPid"]
    check(ours_pid and ours_pid != tree[theirs]["bulkhead:rendererPid"],
          f"one renderer for both profiles: {tree}")
    await c.ok("storage.setCookie", {"cookie": {"name": "who", "value": {"type": "string", "value": "uc"},
                                                "domain": "127.0.0.1"},
                                     "partition": {"type": "context", "context": ours}})
    in_ours = await c.ok("storage.getCookies", {"partition": {"type": "storageKey",
                                                               "userContext": user_context}})
    check([x["name"] for x in in_ours["cookies"]] == ["who"], in_ours)
    check(in_ours["partitionKey"]["userContext"] == user_context, in_ours)
    in_default = await c.ok("storage.getCookies", {"filter": {"name": "who"}})
    check(in_default["cookies"] == [], in_default)
    mark = c.mark()
    await c.ok("browser.removeUserContext", {"userContext": user_context})
    await c.wait_event("browsingContext.contextDestroyed", mark, context=ours)
    await c.error("browsingContext.navigate", {"context": ours, "url": "about:blank"}, "no such frame")
    await c.error("browsingContext.create", {"type": "tab", "userContext": user_context},
                  "no such user context")
    gone = False
    for _ in range(100):
        try:
            os.kill(ours_pid, 0)
        except ProcessLookupError:
            gone = True
            break
        await asyncio.sleep(0.1)
    check(gone, f"the user context's renderer {ours_pid} is still there")
    await c.ok("browsingContext.close", {"context": theirs})
    await c.close()


async def test_typing_into_fields(s):
    """Classic Element Send Keys and Clear, and BiDi key actions, change the
    field's value as the page's script and /property/value see it."""
    base = f"/session/{s.session}"
    request(s, "POST", base + "/url", {"url": s.pages + "index.html"})
    status, answer = request(s, "POST", base + "/element", {"using": "css selector", "value": "#name"})
    field = answer["value"][ELEMENT]
    status, answer = request(s, "POST", base + f"/element/{field}/value", {"text": "Ada"})
    check(status == 200, answer)
    status, answer = request(s, "GET", base + f"/element/{field}/property/value")
    check(answer["value"] == "Ada", answer)
    status, answer = request(s, "POST", base + "/execute/sync",
                             {"script": "return document.getElementById('name').value", "args": []})
    check(answer["value"] == "Ada", answer)
    # The attribute is the default value: typing leaves it.
    status, answer = request(s, "GET", base + f"/element/{field}/attribute/value")
    check(answer["value"] == "", answer)
    status, answer = request(s, "POST", base + f"/element/{field}/clear", {})
    check(status == 200, answer)
    status, answer = request(s, "GET", base + f"/element/{field}/property/value")
    check(answer["value"] == "", answer)
    status, answer = request(s, "POST", base + "/element", {"using": "css selector", "value": "h1"})
    expect_error(s, "POST", base + f"/element/{answer['value'][ELEMENT]}/clear", 400,
                 "invalid element state", {})
    # BiDi: script focuses the field, key actions type into it.
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("script.evaluate", {"expression": "document.getElementById('name').focus()",
                                   "target": {"context": context}, "awaitPromise": False})
    keys = [{"type": t, "value": ch} for ch in "Hopper" for t in ("keyDown", "keyUp")]
    await c.ok("input.performActions", {"context": context, "actions": [
        {"type": "key", "id": "keyboard", "actions": keys}]})
    result = await c.ok("script.evaluate", {"expression": "document.getElementById('name').value",
                                            "target": {"context": context}, "awaitPromise": False})
    check(result["result"] == {"type": "string", "value": "Hopper"}, result)
    await c.close()


async def test_script_handles_and_realms(s):
    """resultOwnership root gives a handle that later calls pass as an
    argument or as this; disown ends it; each new document is a new realm
    (script.realmCreated), sandboxes too."""
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("session.subscribe", {"events": ["script"]})
    target = {"context": context}
    result = await c.ok("script.evaluate", {"expression": "({n: 41, add (x) { return this.n + x; }})",
                                            "target": target, "awaitPromise": False,
                                            "resultOwnership": "root"})
    handle = result["result"].get("handle")
    check(isinstance(handle, str) and result["result"]["type"] == "object", result)
    result = await c.ok("script.callFunction", {
        "functionDeclaration": "function (x) { return this.add (x); }", "target": target,
        "this": {"handle": handle}, "arguments": [{"type": "number", "value": 1}], "awaitPromise": False})
    check(result["result"] == {"type": "number", "value": 42}, result)
    result = await c.ok("script.callFunction", {
        "functionDeclaration": "(o) => o.n", "target": target,
        "arguments": [{"handle": handle}], "awaitPromise": False})
    check(result["result"] == {"type": "number", "value": 41}, result)
    check("handle" not in result["result"], result)
    await c.ok("script.disown", {"handles": [handle], "target": target})
    result = await c.ok("script.callFunction", {
        "functionDeclaration": "(o) => o.n", "target": target,
        "arguments": [{"handle": handle}], "awaitPromise": False})
    check(result["type"] == "exception" and "no such handle" in result["exceptionDetails"]["text"], result)
    await c.error("script.evaluate", {"expression": "1", "target": target, "awaitPromise": False,
                                      "resultOwnership": "mine"}, "invalid argument")
    # A sandbox: created when first named, then again with every document.
    mark = c.mark()
    result = await c.ok("script.evaluate", {"expression": "document.title", "awaitPromise": False,
                                            "target": {"context": context, "sandbox": "tools"}})
    created = await c.wait_event("script.realmCreated", mark, sandbox="tools")
    check(created["params"]["realm"] == result["realm"] and created["params"]["context"] == context,
          (created, result))
    realms = (await c.ok("script.getRealms", {"context": context}))["realms"]
    check(result["realm"] in [r["realm"] for r in realms], realms)
    old_realm = result["realm"].split("/")[0]
    mark = c.mark()
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "second.html",
                                            "wait": "complete"})
    await c.wait_event("script.realmDestroyed", mark, realm=old_realm)
    await c.wait_event("script.realmDestroyed", mark, realm=old_realm + "/tools")
    window = await c.wait_event("script.realmCreated", mark, context=context, type="window")
    check(window["params"]["realm"] != old_realm and window["params"]["origin"] == s.pages.rstrip("/"),
          window)
    sandbox = await c.wait_event("script.realmCreated", mark, sandbox="tools")
    check(sandbox["params"]["realm"] == window["params"]["realm"] + "/tools", sandbox)
    await c.error("script.evaluate", {"expression": "1", "awaitPromise": False,
                                      "target": {"realm": old_realm + "/tools"}}, "no such frame")
    result = await c.ok("script.evaluate", {"expression": "document.title", "awaitPromise": False,
                                            "target": {"realm": sandbox["params"]["realm"]}})
    check(result["result"]["value"] == "Clients: second page" and result["realm"] == sandbox["params"]["realm"],
          result)
    await c.close()


async def test_interception(s):
    """network.addIntercept holds a tab's requests; continueRequest,
    provideResponse and failRequest decide them; the events carry the
    request's headers and timings; a client that goes away lets its held
    requests go on."""
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("session.subscribe", {"events": ["network", "browsingContext"]})
    await c.error("network.addIntercept", {"phases": []}, "invalid argument")
    await c.error("network.addIntercept", {"phases": ["responseStarted"]}, "unsupported operation")
    await c.error("network.addIntercept", {"phases": ["beforeRequestSent"], "contexts": ["4242"]},
                  "no such frame")
    await c.error("network.removeIntercept", {"intercept": "nope"}, "no such intercept")
    await c.error("network.continueRequest", {"request": "999999"}, "no such request")
    intercept = (await c.ok("network.addIntercept", {
        "phases": ["beforeRequestSent"], "contexts": [context],
        "urlPatterns": [{"type": "pattern", "pathname": "/second.html"},
                        {"type": "string", "pattern": s.pages + "index.html"}]}))["intercept"]

    async def blocked_request(url):
        mark = c.mark()
        await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "none"})
        event = await c.wait_event("network.beforeRequestSent", mark, context=context, isBlocked=True)
        check(event["params"]["intercepts"] == [intercept] and event["params"]["request"]["url"] == url, event)
        return mark, event["params"]["request"]

    # Held, then continued: the page loads; the events have headers and timings.
    mark, request = await blocked_request(s.pages + "second.html")
    headers = {h["name"]: h["value"]["value"] for h in request["headers"]}
    check(headers.get("User-Agent", "").startswith("Mozilla/5.0") and "Accept" in headers, request)
    check(request["method"] == "GET" and request["headersSize"] > 0, request)
    await c.ok("network.continueRequest", {"request": request["request"]})
    await c.error("network.continueRequest", {"request": request["request"]}, "no such request")
    done = await c.wait_event("network.responseCompleted", mark, context=context)
    response = done["params"]["response"]
    check(response["status"] == 200 and
          any(h["name"] == "Content-Type" and h["value"]["value"].startswith("text/html")
              for h in response["headers"]), response)
    t = done["params"]["request"]["timings"]
    check(t["timeOrigin"] > 0 and 0 <= t["responseStart"] <= t["responseEnd"] and t["responseEnd"] > 0, t)
    await c.wait_event("browsingContext.load", mark, context=context)
    # Answered by the client instead of the server.
    mark, request = await blocked_request(s.pages + "index.html")
    await c.ok("network.provideResponse", {
        "request": request["request"], "statusCode": 200,
        "headers": [{"name": "Content-Type", "value": {"type": "string", "value": "text/html; charset=utf-8"}}],
        "body": {"type": "string", "value": "<title>From the client</title><p>made up"}})
    await c.wait_event("browsingContext.load", mark, context=context)
    title = await c.ok("script.evaluate", {"expression": "document.title", "target": {"context": context},
                                           "awaitPromise": False})
    check(title["result"]["value"] == "From the client", title)
    # Failed by the client: the navigation fails, as with a network error.
    mark, request = await blocked_request(s.pages + "second.html")
    await c.ok("network.failRequest", {"request": request["request"]})
    error = await c.wait_event("network.fetchError", mark, context=context)
    check(error["params"]["errorText"] == "net::ERR_FAILED", error)
    await c.wait_event("browsingContext.navigationFailed", mark, context=context)
    # Removed: requests are no longer held.
    await c.ok("network.removeIntercept", {"intercept": intercept})
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "second.html",
                                            "wait": "complete"})
    # Another client's intercept holds a request; that client goes: it goes on.
    other = await Client.connect(s.browser)
    await other.ok("network.addIntercept", {"phases": ["beforeRequestSent"]})
    mark = c.mark()
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "index.html", "wait": "none"})
    await c.wait_event("network.beforeRequestSent", mark, context=context, isBlocked=True)
    await other.close()
    await c.wait_event("browsingContext.load", mark, context=context)
    await c.close()


async def test_preload_scripts(s):
    """script.addPreloadScript runs in each new document before its own
    scripts, in the contexts it names; removePreloadScript stops it."""
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    other = (await c.ok("browsingContext.create", {"type": "tab"}))["context"]
    page = "data:text/html,<title>t</title><script>document.title = typeof window.early + ' ' + window.early</script>"
    await c.error("script.addPreloadScript", {"functionDeclaration": "() => {}", "contexts": ["4242"]},
                  "no such frame")
    await c.error("script.removePreloadScript", {"script": "nope"}, "no such script")
    script = (await c.ok("script.addPreloadScript", {
        "functionDeclaration": "() => { window.early = document.readyState; }",
        "contexts": [context]}))["script"]

    async def title(ctx):
        await c.ok("browsingContext.navigate", {"context": ctx, "url": page, "wait": "complete"})
        answer = await c.ok("script.evaluate", {"expression": "document.title", "target": {"context": ctx},
                                                "awaitPromise": False})
        return answer["result"]["value"]

    # Before the page's own script, which saw it; not in the other tab.
    check(await title(context) == "string loading", "the preload script did not run first")
    check(await title(other) == "undefined undefined", "the preload script ran in another context")
    await c.ok("script.removePreloadScript", {"script": script})
    check(await title(context) == "undefined undefined", "a removed preload script still ran")
    # A client's preload scripts go with its connection.
    await c.ok("script.addPreloadScript", {"functionDeclaration": "() => { window.early = 1; }"})
    await c.close()
    c = await Client.connect(s.browser)
    check(await title(context) == "undefined undefined", "a closed connection's preload script ran")
    await c.ok("browsingContext.close", {"context": other})
    await c.close()


async def test_log_and_history(s):
    """log.entryAdded for console lines and uncaught errors;
    browsingContext.historyUpdated for pushState()."""
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "index.html",
                                            "wait": "complete"})
    await c.ok("session.subscribe", {"events": ["log.entryAdded", "browsingContext.historyUpdated"]})
    mark = c.mark()
    await c.ok("script.evaluate", {"expression": "console.warn('low', 42); setTimeout(() => { throw new "
                                                 "TypeError('bad') }, 0); history.pushState({}, '', 'pushed.html')",
                                   "target": {"context": context}, "awaitPromise": False})
    warn = await c.wait_event("log.entryAdded", mark, type="console")
    check(warn["params"]["level"] == "warn" and warn["params"]["text"] == "low 42" and
          warn["params"]["method"] == "warn" and warn["params"]["source"]["context"] == context, warn)
    error = await c.wait_event("log.entryAdded", mark, type="javascript")
    check(error["params"]["level"] == "error" and "TypeError: bad" in error["params"]["text"], error)
    pushed = await c.wait_event("browsingContext.historyUpdated", mark, context=context)
    check(pushed["params"]["url"] == s.pages + "pushed.html", pushed)
    await c.close()


async def test_data_collectors(s):
    """network.addDataCollector keeps response bodies; getData hands them
    over; removing the collector drops them."""
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("session.subscribe", {"events": ["network.responseCompleted"]})
    for bad in ({"dataTypes": ["response"]}, {"dataTypes": ["sound"], "maxEncodedDataSize": 10},
                {"dataTypes": [], "maxEncodedDataSize": 10}, {"dataTypes": ["response"], "maxEncodedDataSize": 0}):
        await c.error("network.addDataCollector", bad, "invalid argument")
    collector = (await c.ok("network.addDataCollector", {"dataTypes": ["response"],
                                                        "maxEncodedDataSize": 1000000}))["collector"]
    small = (await c.ok("network.addDataCollector", {"dataTypes": ["response"], "maxEncodedDataSize": 10,
                                                    "contexts": [context]}))["collector"]
    mark = c.mark()
    await c.ok("browsingContext.navigate", {"context": context, "url": s.pages + "second.html", "wait": "complete"})
    done = await c.wait_event("network.responseCompleted", mark, context=context)
    request = done["params"]["request"]["request"]
    data = await c.ok("network.getData", {"dataType": "response", "request": request})
    with open(os.path.join(PAGES, "second.html"), "rb") as f:
        check(base64.b64decode(data["bytes"]["value"]) == f.read(), data)
    # The 10-byte collector kept nothing of it; an unknown one is an error.
    await c.error("network.getData", {"dataType": "response", "request": request, "collector": small},
                  "no such network data")
    await c.error("network.getData", {"dataType": "response", "request": request, "collector": "nope"},
                  "no such network collector")
    await c.error("network.getData", {"dataType": "request", "request": request}, "no such network data")
    # Disowned by its one collector: gone.
    await c.ok("network.getData", {"dataType": "response", "request": request, "collector": collector,
                                   "disown": True})
    await c.error("network.getData", {"dataType": "response", "request": request}, "no such network data")
    await c.ok("network.removeDataCollector", {"collector": collector})
    await c.ok("network.removeDataCollector", {"collector": small})
    await c.error("network.removeDataCollector", {"collector": small}, "no such network collector")
    await c.close()


class CountingPage(http.server.BaseHTTPRequestHandler):
    """One page, cacheable for an hour, counting the requests that reach it."""
    hits = 0
    last_headers = {}

    def do_GET(self):
        if self.path != "/cached.html":
            # The browser's favicon request after each page: not the page's.
            self.send_error(404)
            return
        CountingPage.hits += 1
        CountingPage.last_headers = dict(self.headers)
        body = b"<title>cached</title><p>a page the HTTP cache keeps"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Cache-Control", "max-age=3600")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


async def test_cache_behavior(s):
    """network.setCacheBehavior bypass: the HTTP cache is not read; default:
    it is again."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/cached.html"
    c = await Client.connect(s.browser)
    context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    try:
        await c.error("network.setCacheBehavior", {"cacheBehavior": "never"}, "invalid argument")
        await c.error("network.setCacheBehavior", {"cacheBehavior": "bypass", "contexts": ["4242"]}, "no such frame")
        for _ in range(2):
            await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        check(CountingPage.hits == 1, f"{CountingPage.hits} requests: the second was not from the cache")
        await c.ok("network.setCacheBehavior", {"cacheBehavior": "bypass", "contexts": [context]})
        await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        check(CountingPage.hits == 2, f"{CountingPage.hits} requests with the cache bypassed")
        await c.ok("network.setCacheBehavior", {"cacheBehavior": "default"})
        await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        check(CountingPage.hits == 2, f"{CountingPage.hits} requests with the cache back")
        # Extra headers, sent with every request of the tab; checked first.
        for bad in ({"name": "X Bad", "value": {"type": "string", "value": "1"}},
                    {"name": "X-Split", "value": {"type": "string", "value": "1\r\nHost: evil"}}):
            await c.error("network.setExtraHeaders", {"headers": [bad]}, "invalid argument")
        await c.ok("network.setCacheBehavior", {"cacheBehavior": "bypass"})
        await c.ok("network.setExtraHeaders", {"headers": [
            {"name": "X-Bulkhead-Test", "value": {"type": "string", "value": "yes"}}], "contexts": [context]})
        await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        check(CountingPage.last_headers.get("X-Bulkhead-Test") == "yes", CountingPage.last_headers)
        await c.ok("network.setExtraHeaders", {"headers": []})
        await c.ok("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})
        check("X-Bulkhead-Test" not in CountingPage.last_headers, CountingPage.last_headers)
        await c.ok("network.setCacheBehavior", {"cacheBehavior": "default"})
    finally:
        server.shutdown()
        await c.close()


def main():
    tap = Tap()
    server = HttpServer(directory=PAGES)
    s = State()
    s.pages = f"http://127.0.0.1:{server.port}/"
    s.browser = Browser(window_size=(800, 600))
    try:
        for name, test in [
                ("classic WebDriver errors are JSON with the spec's status", test_classic_errors),
                ("a classic session navigates and reads elements", test_classic_session),
                ("classic and BiDi share element references", test_shared_references),
                ("navigation and network events", test_navigation_events),
                ("locateNodes, setViewport and screenshot options", test_locate_and_screenshots),
                ("user contexts have their own renderers and cookies", test_user_contexts),
                ("typing into a field: send keys, clear, key actions", test_typing_into_fields),
                ("script handles, this, disown; realms per document and sandbox",
                 test_script_handles_and_realms),
                ("network interception: continue, provide, fail; headers and timings",
                 test_interception),
                ("preload scripts run first in new documents of their contexts", test_preload_scripts),
                ("log.entryAdded and historyUpdated", test_log_and_history),
                ("network data collectors keep response bodies", test_data_collectors),
                ("network.setCacheBehavior bypasses the HTTP cache; setExtraHeaders", test_cache_behavior)]:
            tap.run(name, test, s)
        tap.n += 1
        alive = s.browser.alive()
        print(f"{'ok' if alive else 'not ok'} {tap.n} - the browser is still up", flush=True)
        tap.failed += 0 if alive else 1
    finally:
        s.browser.process.terminate()
        s.browser.process.wait()
        server.stop()
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
