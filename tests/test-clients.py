#!/usr/bin/python3
"""tests/test-clients.py: the off-the-shelf automation clients against
Bulkhead headless (issue 15).

Runs the real puppeteer-core script (over WebDriver BiDi) and the real
WebdriverIO script (classic WebDriver, then BiDi on its webSocketUrl) from
tests/clients/, installed there by tools/install-deps --test, against
`browser --headless --remote-debugging-port=0` and the pages of
tests/data/clients/ served by `python3 -m http.server` on 127.0.0.1. Each
step a script prints ("ok STEP", "not ok STEP: why") is one TAP line here;
the scripts assert what the client gets (titles, URLs, the HTTP status of
goto, screenshot sizes, element text, clicks that navigate). The same
scripts run against Chromium with tools/clients-vs-chromium, which is how
their expectations are known to be right.

A step that needs what Bulkhead does not have yet is skipped (SKIPPED
below), and says so; none is now.
"""

import os
import subprocess
import sys
import tempfile

from bhtest import Browser, HttpServer, Tap, check

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENTS = os.path.join(HERE, "clients")
PAGES = os.path.join(HERE, "data", "clients")
NODE = "/usr/bin/node"
SCRIPT_TIMEOUT_S = 240
# Steps a script skips on Bulkhead (BH_SKIP), comma-separated.
SKIPPED = {
    "puppeteer-script.mjs": "",
    "webdriverio-script.mjs": "",
}


def run_script(tap, name, args):
    env = dict(os.environ)
    env["BH_SKIP"] = SKIPPED[name]
    try:
        result = subprocess.run([NODE, os.path.join(CLIENTS, name)] + args, cwd=CLIENTS,
                                env=env, capture_output=True, text=True,
                                timeout=SCRIPT_TIMEOUT_S)
        output, errors, code = result.stdout, result.stderr, result.returncode
    except subprocess.TimeoutExpired as timeout:
        output = timeout.stdout.decode() if isinstance(timeout.stdout, bytes) else (timeout.stdout or "")
        errors, code = f"timed out after {SCRIPT_TIMEOUT_S} s", None
    steps = [line for line in output.splitlines() if line.startswith(("ok ", "not ok "))]
    for line in steps:
        tap.n += 1
        ok = line.startswith("ok ")
        if not ok:
            tap.failed += 1
        print(f"{'ok' if ok else 'not ok'} {tap.n} - {name}: {line.split(' ', 1 if ok else 2)[-1]}",
              flush=True)
    tap.n += 1
    finished = code == 0 and steps and all(line.startswith("ok ") for line in steps)
    if not finished:
        tap.failed += 1
        for line in (errors or "").splitlines()[-15:]:
            print(f"# {line}", flush=True)
    print(f"{'ok' if finished else 'not ok'} {tap.n} - {name} ran to its end (exit {code})",
          flush=True)


def main():
    tap = Tap()
    if not os.path.exists(os.path.join(CLIENTS, "node_modules", "puppeteer-core")):
        print("1..0 # SKIP tests/clients/node_modules is missing: run tools/install-deps --test")
        return 0
    server = HttpServer(directory=PAGES)
    base = f"http://127.0.0.1:{server.port}/"
    try:
        browser = Browser(window_size=(800, 600))
        try:
            run_script(tap, "puppeteer-script.mjs", [browser.url, base])
            check(browser.alive(), "the browser died")
        finally:
            browser.process.terminate()
            browser.process.wait()
        browser = Browser(window_size=(800, 600))
        try:
            with tempfile.TemporaryDirectory() as out:
                run_script(tap, "webdriverio-script.mjs",
                           ["127.0.0.1", str(browser.port), base, "bulkhead", out])
            check(browser.alive(), "the browser died")
        finally:
            browser.process.terminate()
            browser.process.wait()
    finally:
        server.stop()
    tap.finish()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
