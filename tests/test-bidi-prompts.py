#!/usr/bin/python3
"""tests/test-bidi-prompts.py: a page's alert(), confirm() and prompt() under
automation (issue 15): the unhandledPromptBehavior capability,
browsingContext.userPromptOpened / userPromptClosed,
browsingContext.handleUserPrompt, and classic WebDriver's /alert endpoints
with "handle any user prompts". The page's script opens the dialogs
(script.evaluate, which answers once the dialog is answered: the renderer
waits on it) and gets the answers back, as a person's page would.

  test-bidi-prompts.py [--headless | --gui]

--gui runs the browser with its window (the dialog shows there too, and goes
when automation answers it); it needs a display and is skipped without one.
Prints TAP.
"""

import asyncio
import json
import os
import sys
import urllib.error
import urllib.request

from bhtest import TIMEOUT_S, Browser, Client, HttpServer, SessionBus, Tap, browser_environment, check

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, "data", "clients")
MODE = "gui" if "--gui" in sys.argv[1:] else "headless"


class State:
    pass


async def new_session(s, behavior):
    """A connection of its own with a session asking for @behavior."""
    c = await Client.connect(s.browser)
    capabilities = {} if behavior is None else {"alwaysMatch": {"unhandledPromptBehavior": behavior}}
    result = await c.ok("session.new", {"capabilities": capabilities})
    await c.ok("session.subscribe", {"events": ["browsingContext.userPromptOpened",
                                                "browsingContext.userPromptClosed"]})
    return c, result


def evaluate(c, s, expression):
    """Starts an evaluation; the future answers once the dialog is answered."""
    return c.send("script.evaluate", {"expression": expression, "target": {"context": s.context},
                                      "awaitPromise": False})


async def answered(future):
    answer = await asyncio.wait_for(future, TIMEOUT_S)
    check(answer.get("type") == "success", answer)
    return answer["result"]["result"]


async def test_ignore_and_handle(s):
    c, result = await new_session(s, {"default": "ignore"})
    check(result["capabilities"]["unhandledPromptBehavior"] == {"default": "ignore"}, result)
    s.context = (await c.ok("browsingContext.getTree"))["contexts"][0]["context"]
    await c.ok("browsingContext.navigate", {"context": s.context, "url": s.pages + "index.html",
                                            "wait": "complete"})
    await c.error("browsingContext.handleUserPrompt", {"context": s.context}, "no such alert")

    mark = c.mark()
    pending = evaluate(c, s, "confirm('Proceed?')")
    opened = await c.wait_event("browsingContext.userPromptOpened", mark, context=s.context)
    check(opened["params"]["type"] == "confirm" and opened["params"]["message"] == "Proceed?" and
          opened["params"]["handler"] == "ignore", opened)
    # The dialog stays open: the evaluation has no answer yet.
    await asyncio.sleep(0.3)
    check(not pending.done(), "the confirm() returned before anyone answered it")
    mark = c.mark()
    await c.ok("browsingContext.handleUserPrompt", {"context": s.context, "accept": True})
    # userPromptClosed goes out before handleUserPrompt's answer.
    closed = [e for e in c.events[mark:] if e["method"] == "browsingContext.userPromptClosed"]
    check(len(closed) == 1 and closed[0]["params"]["accepted"] is True and
          closed[0]["params"]["type"] == "confirm", c.events[mark:])
    check(await answered(pending) == {"type": "boolean", "value": True}, "confirm() did not return true")

    mark = c.mark()
    pending = evaluate(c, s, "prompt('Name?', 'nobody')")
    opened = await c.wait_event("browsingContext.userPromptOpened", mark, context=s.context)
    check(opened["params"]["type"] == "prompt" and opened["params"]["defaultValue"] == "nobody", opened)
    await c.ok("browsingContext.handleUserPrompt", {"context": s.context, "userText": "Ada"})
    closed = await c.wait_event("browsingContext.userPromptClosed", mark)
    check(closed["params"]["userText"] == "Ada", closed)
    check(await answered(pending) == {"type": "string", "value": "Ada"}, "prompt() did not return Ada")

    mark = c.mark()
    pending = evaluate(c, s, "prompt('Name?', 'nobody')")
    await c.wait_event("browsingContext.userPromptOpened", mark, context=s.context)
    await c.ok("browsingContext.handleUserPrompt", {"context": s.context, "accept": False})
    check(await answered(pending) == {"type": "null"}, "a dismissed prompt() did not return null")

    mark = c.mark()
    pending = evaluate(c, s, "alert('Hello')")
    await c.wait_event("browsingContext.userPromptOpened", mark, context=s.context, type="alert")
    await c.ok("browsingContext.handleUserPrompt", {"context": s.context})
    check(await answered(pending) == {"type": "undefined"}, "alert() did not return")
    await c.error("browsingContext.handleUserPrompt", {"context": s.context, "accept": "yes"},
                  "invalid argument")
    await c.close()


async def test_accept_and_dismiss(s):
    c, _ = await new_session(s, {"confirm": "accept", "default": "dismiss"})
    mark = c.mark()
    check(await answered(evaluate(c, s, "confirm('Sure?')")) == {"type": "boolean", "value": True},
          "confirm() was not accepted")
    opened = await c.wait_event("browsingContext.userPromptOpened", mark, type="confirm")
    check(opened["params"]["handler"] == "accept", opened)
    await c.wait_event("browsingContext.userPromptClosed", mark, accepted=True)
    check(await answered(evaluate(c, s, "prompt('Name?', 'x')")) == {"type": "null"},
          "prompt() was not dismissed")
    await c.close()
    # A session without the capability: the spec's default, "dismiss".
    c, result = await new_session(s, None)
    check(result["capabilities"]["unhandledPromptBehavior"] == "dismiss", result)
    check(await answered(evaluate(c, s, "confirm('Sure?')")) == {"type": "boolean", "value": False},
          "the default handler did not dismiss")
    await c.close()
    c = await Client.connect(s.browser)
    for behavior in ("maybe", {"alert": "sometimes"}, {"colour": "accept"}, 3):
        await c.error("session.new", {"capabilities": {"alwaysMatch": {"unhandledPromptBehavior": behavior}}},
                      "invalid argument")
    await c.close()


def classic(s, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{s.browser.port}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_classic_alerts(s):
    status, answer = classic(s, "POST", "/session", {"capabilities": {}})
    check(status == 200 and answer["value"]["capabilities"]["unhandledPromptBehavior"] ==
          "dismiss and notify", answer)
    base = f"/session/{answer['value']['sessionId']}"
    status, answer = classic(s, "GET", base + "/alert/text")
    check(status == 404 and answer["value"]["error"] == "no such alert", answer)
    # A BiDi connection without a session of its own opens the dialog.
    c = await Client.connect(s.browser)
    pending = evaluate(c, s, "confirm('Delete?')")
    for _ in range(100):
        status, answer = classic(s, "GET", base + "/alert/text")
        if status == 200:
            break
        await asyncio.sleep(0.05)
    check(status == 200 and answer["value"] == "Delete?", answer)
    status, answer = classic(s, "POST", base + "/alert/text", {"text": "x"})
    check(status == 400 and answer["value"]["error"] == "element not interactable", answer)
    status, answer = classic(s, "POST", base + "/alert/accept", {})
    check(status == 200, answer)
    check(await answered(pending) == {"type": "boolean", "value": True}, "accept did not accept")
    # prompt(): Send Alert Text, then accept.
    pending = evaluate(c, s, "prompt('Name?')")
    for _ in range(100):
        status, answer = classic(s, "POST", base + "/alert/text", {"text": "Grace"})
        if status == 200:
            break
        await asyncio.sleep(0.05)
    classic(s, "POST", base + "/alert/accept", {})
    check(await answered(pending) == {"type": "string", "value": "Grace"}, "the prompt's text")
    # Another command with a dialog open: dismissed, and "unexpected alert open".
    pending = evaluate(c, s, "confirm('Leave?')")
    for _ in range(100):
        if classic(s, "GET", base + "/alert/text")[0] == 200:
            break
        await asyncio.sleep(0.05)
    status, answer = classic(s, "GET", base + "/title")
    check(status == 500 and answer["value"]["error"] == "unexpected alert open" and
          "Leave?" in answer["value"]["message"], answer)
    check(await answered(pending) == {"type": "boolean", "value": False}, "the dialog was not dismissed")
    status, answer = classic(s, "GET", base + "/title")
    check(status == 200 and answer["value"] == "Clients: first page", answer)
    classic(s, "DELETE", base)
    await c.close()


def main():
    if MODE == "gui" and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("1..0 # SKIP the GUI variant needs a display (run under xvfb-run)")
        return 0
    tap = Tap()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    s = State()
    server = HttpServer(directory=PAGES)
    s.pages = f"http://127.0.0.1:{server.port}/"
    s.bus = SessionBus() if MODE == "gui" else None
    s.browser = Browser(browser_environment(s.bus, MODE == "gui"), gui=MODE == "gui",
                        window_size=(800, 600))
    try:
        for name, test in (("ignore holds a dialog open until handleUserPrompt", test_ignore_and_handle),
                           ("accept and dismiss answer at once; the default dismisses",
                            test_accept_and_dismiss),
                           ("classic /alert endpoints and unexpected alert open", test_classic_alerts)):
            tap.run(name, test, s)
        tap.n += 1
        alive = s.browser.alive()
        print(f"{'ok' if alive else 'not ok'} {tap.n} - the browser is still up", flush=True)
        tap.failed += 0 if alive else 1
    finally:
        s.browser.process.terminate()
        s.browser.process.wait()
        server.stop()
        if s.bus is not None:
            s.bus.stop()
        if tap.failed:
            for line in s.browser.stderr_lines[-30:]:
                print("#   " + line.rstrip(), flush=True)
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
