#!/usr/bin/python3
"""tests/test-kill-storm.py: renderers killed ten times a second for 30 s (issue #6).

Drives the real browser (BULKHEAD_BUILDDIR/browser/browser --headless) over
WebDriver BiDi (--remote-debugging-port=0): 20 tabs over 10 sites
(s0.test ... s9.test, mapped to 127.0.0.1 with --host-resolver-rules, pages
from one `python3 -m http.server`). Then, every 100 ms for 30 s, a random
live renderer is SIGKILLed, by turns with kill(2) from here and with
bulkhead:process.kill, while the tabs it left dead are reloaded without
waiting, so renderers are also killed while they start. Afterwards:

  - the browser is alive and still answers;
  - every tab reloads to "complete";
  - no child of the browser is a zombie (state Z in /proc/PID/stat);
  - the browser's open fds (/proc/PID/fd) are back to what they were before
    the storm, give or take FD_SLACK;
  - browser.close ends it with status 0 and no renderer left behind.

Prints TAP. Run with Debian's /usr/bin/python3 (python3-websockets 10.4,
asyncio client). Suite 'slow'.
"""

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

import websockets

from bhtest import Browser, Client, HttpServer, check

SITES = 10
TABS_PER_SITE = 2
STORM_S = float(os.environ.get("BULKHEAD_STORM_S", "30"))
KILL_EVERY_S = 0.1
TIMEOUT_S = 60
# Fds that may come and go with the moment: a connection of the fetcher
# being set up or torn down, a renderer's channel whose close is queued.
FD_SLACK = 6

results = []


def tap(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}", flush=True)
    for line in detail.splitlines():
        print(f"# {line}", flush=True)


# /proc


def stat_of(pid):
    """(state, ppid) from /proc/PID/stat (proc(5)), or None when gone. The
    command name is in parentheses and may hold spaces."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def zombie_children(pid):
    zombies = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = stat_of(int(entry))
            if stat is not None and stat[1] == pid and stat[0] == "Z":
                zombies.append(int(entry))
    return zombies


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


# The pages and the browser


class StormPages(HttpServer):
    """bhtest's http.server over a temporary directory of TABS_PER_SITE pages,
    addressed by site number (s0.test, s1.test...) and page number."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="bulkhead-storm-")
        for i in range(TABS_PER_SITE):
            with open(os.path.join(self.dir.name, f"page{i}.html"), "w") as f:
                f.write(f"<html><head><title>Storm page {i}</title></head><body>"
                        f"<h1>Page {i}</h1>" + "<p>Some text to lay out.</p>" * 40 +
                        "</body></html>")
        super().__init__(directory=self.dir.name)

    def url(self, site, page):
        return super().url(f"s{site}.test", f"page{page}.html")

    def stop(self):
        super().stop()
        self.dir.cleanup()


async def states(client):
    tree = await client.ok("browsingContext.getTree")
    return {c["context"]: c.get("bulkhead:state") for c in tree["contexts"]}


async def renderer_pids(client):
    """The live renderers of the storm's sites. The about:blank tab the
    browser opened with is left alone: --headless reports its fate in its
    exit status."""
    processes = (await client.ok("bulkhead:process.list"))["processes"]
    return [p["pid"] for p in processes
            if p["type"] == "renderer" and p["alive"] and p["pid"] > 0
            and re.fullmatch(r"http://s\d+\.test", p.get("site", ""))]


async def storm(client, browser, contexts):
    kills = {"kill(2)": 0, "process.kill": 0}
    reloads = 0
    rng = random.Random(6)
    deadline = time.monotonic() + STORM_S
    tick = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        check(browser.alive(), "the browser died during the storm")
        pids = await renderer_pids(client)
        if pids:
            pid = rng.choice(pids)
            if tick % 2 == 0:
                try:
                    os.kill(pid, signal.SIGKILL)
                    kills["kill(2)"] += 1
                except ProcessLookupError:
                    pass
            else:
                # It may be dead already: then "invalid argument", which is fine.
                answer = await client.call("bulkhead:process.kill",
                                           {"pid": pid, "signal": "SIGKILL"})
                if answer.get("type") == "success":
                    kills["process.kill"] += 1
        # Dead tabs come back, to be killed again, also while they start.
        for context, state in (await states(client)).items():
            if state not in ("loading", "complete", "unresponsive"):
                client.send("browsingContext.reload", {"context": context, "wait": "none"})
                reloads += 1
        tick += 1
        await asyncio.sleep(max(0.0, KILL_EVERY_S - (time.monotonic() - started)))
    return kills, reloads


async def reload_all(client, contexts):
    """Every tab reloaded to complete, a few at a time. Returns the failures."""
    failures = []
    for i in range(0, len(contexts), 5):
        batch = contexts[i:i + 5]
        answers = await asyncio.gather(*[
            client.call("browsingContext.reload", {"context": c, "wait": "complete"})
            for c in batch])
        for context, answer in zip(batch, answers):
            if answer.get("type") != "success":
                failures.append((context, answer))
    return failures


async def main():
    server = StormPages()
    browser = Browser(window_size=(400, 300), startup_timeout_s=TIMEOUT_S)
    client = None
    try:
        ws = await websockets.connect(f"ws://127.0.0.1:{browser.port}/session", max_size=None)
        client = Client(ws, timeout_s=TIMEOUT_S)
        await client.ok("session.new", {"capabilities": {}})

        # 20 tabs over 10 sites.
        contexts = []
        for site in range(SITES):
            for page in range(TABS_PER_SITE):
                context = (await client.ok("browsingContext.create",
                                           {"type": "tab", "background": True}))["context"]
                await client.ok("browsingContext.navigate",
                                {"context": context, "url": server.url(site, page),
                                 "wait": "complete"})
                contexts.append(context)
        pids = await renderer_pids(client)
        tap(len(set(pids)) == SITES,
            f"{len(contexts)} tabs over {SITES} sites: one renderer per site",
            f"renderers: {sorted(pids)}")
        await asyncio.sleep(0.5)
        fds_before = fd_count(browser.pid)

        kills, reloads = await storm(client, browser, contexts)
        tap(browser.alive(),
            f"alive after {STORM_S:.0f} s of a SIGKILL every {KILL_EVERY_S * 1000:.0f} ms",
            f"kills: {kills}, reloads sent: {reloads}")

        # Whatever was reloading settles; then every tab reloads to complete.
        await asyncio.sleep(1.0)
        failures = await reload_all(client, contexts)
        final = await states(client)
        not_complete = {c: s for c, s in final.items() if c in contexts and s != "complete"}
        tap(not failures and not not_complete, "every tab reloads to complete",
            f"failures: {failures}\nnot complete: {not_complete}")

        pids = await renderer_pids(client)
        tap(len(set(pids)) == SITES, "one live renderer per site again",
            f"renderers: {sorted(pids)}")

        # Renderers are reaped as they die; give the last ones a moment.
        deadline = time.monotonic() + 5
        zombies = zombie_children(browser.pid)
        while zombies and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            zombies = zombie_children(browser.pid)
        tap(not zombies, "no zombie child of the browser", f"zombies: {zombies}")

        deadline = time.monotonic() + 5
        fds_after = fd_count(browser.pid)
        while abs(fds_after - fds_before) > FD_SLACK and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            fds_after = fd_count(browser.pid)
        tap(abs(fds_after - fds_before) <= FD_SLACK,
            f"the browser's fds are back where they were (within {FD_SLACK})",
            f"before the storm: {fds_before}, after: {fds_after}")

        await client.ok("browser.close")
        try:
            status = browser.process.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            status = None
        leftovers = [p for p in pids if stat_of(p) is not None]
        tap(status == 0 and not leftovers, "browser.close: exit status 0, no renderer left",
            f"status: {status}, renderers still there: {leftovers}")
    except Exception as error:  # noqa: BLE001 - reported as a failed test
        import traceback
        tap(False, "the storm ran to its end", traceback.format_exc())
    finally:
        if client is not None:
            await client.ws.close()
        if browser.alive():
            browser.process.kill()
            browser.process.wait()
        server.stop()
        if not all(results):
            for line in browser.stderr_lines[-40:]:
                print(f"# browser: {line.rstrip()}", flush=True)
    print(f"1..{len(results)}", flush=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.get_event_loop().run_until_complete(main()))
