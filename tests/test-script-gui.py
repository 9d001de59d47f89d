#!/usr/bin/python3
"""tests/test-script-gui.py: JavaScript as a person meets it (issue 18).

The browser's window on an Xvfb of the test's own, pages from
tests/http-test-server.py (tests/data/script/):

  - a click with the mouse (XTest, through xdotool) on a page whose click
    handler paints the box green and sets the title: the window's title says
    so, and the green is on the X screen where the click was;
  - alert(), confirm() and prompt() as GTK dialogs, answered with the keyboard:
    the page's title shows the answers, and the tab never turned unresponsive
    while they were up;
  - a form validated by script: a click focuses the field (its focus handler
    tints the page), keys typed raise input events that judge the address, the
    submit event refuses an invalid one (Return does not navigate) and lets a
    valid one through (the next page names it).

Screenshots go to BUILDDIR/tests/script-gui-screenshots/. Prints TAP.
"""

import os
import subprocess
import sys
import time

from bhtest import (BUILDDIR, Browser, OwnXvfb, SessionBus, Tap, browser_environment, check, png_decode)

HERE = os.path.dirname(os.path.abspath(__file__))
SHOTS = os.path.join(BUILDDIR, "tests", "script-gui-screenshots")


class TestServer:
    def __init__(self):
        self.process = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "http-test-server.py")],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.process.stdout.readline())
        self.process.stdout.readline()
        self.process.stdout.readline()

    def url(self, name):
        return f"http://script.test:{self.port}/script/{name}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


def xdotool(*args):
    return subprocess.run(["xdotool", *args], check=True, timeout=30, stdout=subprocess.PIPE,
                          text=True).stdout.strip()


def wait_window(name, timeout_s=30, not_id=None):
    """The id of the first window whose title contains @name (other than @not_id)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], stdout=subprocess.PIPE,
                               text=True)
        ids = [w for w in found.stdout.split() if w != not_id] if found.returncode == 0 else []
        if ids:
            return ids[0]
        time.sleep(0.2)
    names = subprocess.run(["xdotool", "search", "--name", "."], stdout=subprocess.PIPE, text=True).stdout.split()
    titles = [subprocess.run(["xdotool", "getwindowname", w], stdout=subprocess.PIPE, text=True).stdout.strip()
              for w in names]
    raise AssertionError(f"no window titled \"{name}\"; windows: {titles}")


def screen(name):
    png = subprocess.run(["import", "-window", "root", "png:-"], check=True, stdout=subprocess.PIPE,
                         timeout=30).stdout
    os.makedirs(SHOTS, exist_ok=True)
    with open(os.path.join(SHOTS, name + ".png"), "wb") as f:
        f.write(png)
    return png_decode(png)


def pixel(shot, x, y):
    width, height, bpp, rows = shot
    return tuple(rows[y][x * bpp:x * bpp + 3])


def wait_pixel(name, x, y, colour, timeout_s=20):
    """The screen once the pixel at (@x, @y) is @colour, or at @timeout_s."""
    deadline = time.monotonic() + timeout_s
    while True:
        shot = screen(name)
        if pixel(shot, x, y) == colour or time.monotonic() > deadline:
            return shot
        time.sleep(0.2)


def visible(window):
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], stdout=subprocess.PIPE,
                           text=True)
    return window in found.stdout.split()


def answer(dialog, *keys, timeout_s=20):
    """Gives @dialog the keyboard, presses @keys and waits until it is gone.

    With no window manager, windowfocus returns before GTK has taken the focus:
    the keys are pressed once the dialog holds it. They are pressed again only
    if the dialog still holds the focus 5 s later (they were lost), never after
    it went, so a repeat cannot answer the next dialog."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        xdotool("windowfocus", "--sync", dialog)
        if xdotool("getwindowfocus") != dialog:
            time.sleep(0.1)
            continue
        for key in keys:
            if key.startswith("type:"):
                xdotool("type", key[5:])
            else:
                xdotool("key", key)
        pressed = time.monotonic()
        while time.monotonic() < min(deadline, pressed + 5):
            if not visible(dialog):
                return
            time.sleep(0.1)
        if not visible(dialog) or xdotool("getwindowfocus") != dialog:
            return
    raise AssertionError(f"the dialog {dialog} did not close after {keys}")


def geometry(window):
    out = xdotool("getwindowgeometry", "--shell", window)
    values = dict(line.split("=", 1) for line in out.splitlines())
    return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])


def report(browser):
    """What the browser said, for a failure's message."""
    state = "running" if browser.alive() else f"exited with {browser.process.returncode}"
    print(f"# the browser {state}; its stderr:", flush=True)
    for line in browser.stderr_lines[-30:]:
        print("#   " + line.rstrip(), flush=True)


def test_click_handler(server, bus):
    browser = Browser(env=browser_environment(bus, True), gui=True, window_size=(800, 600),
                      urls=[server.url("click.html")])
    try:
        window = wait_window("not clicked")
        x, y, w, h = geometry(window)
        # The grey box is the page's top 300 px; the toolbar is above it.
        click_x, click_y = x + w // 2, y + h // 2 - 60
        # The title comes with the commit; the first frame may come later.
        before = wait_pixel("click-before", click_x, click_y, (0x88, 0x88, 0x88))
        check(pixel(before, click_x, click_y) == (0x88, 0x88, 0x88),
              f"the box is grey before the click: {pixel(before, click_x, click_y)}")
        xdotool("mousemove", str(click_x), str(click_y))
        xdotool("click", "1")
        wait_window("clicked 1")
        after = wait_pixel("click-after", click_x, click_y, (0, 0xcc, 0))
        check(pixel(after, click_x, click_y) == (0, 0xcc, 0),
              f"the click handler painted the box green: {pixel(after, click_x, click_y)}")
    except BaseException:
        report(browser)
        raise
    finally:
        browser.process.terminate()
        browser.process.wait(timeout=30)


def test_dialogs(server, bus):
    browser = Browser(env=browser_environment(bus, True), gui=True, window_size=(800, 600),
                      extra_args=["--hang-timeout-ms=1000"], urls=[server.url("dialog.html")])
    try:
        window = wait_window("no dialog yet")
        dialog = wait_window("script.test says")
        time.sleep(2.5)  # longer than the hang timeout: the page waits on the user, not a hang
        x, y, w, h = geometry(window)
        shot = screen("alert")
        # Page Unresponsive would grey the page out: it stays white.
        check(pixel(shot, x + w // 2, y + h - 60) == (255, 255, 255),
              f"no hang dialog over the page: {pixel(shot, x + w // 2, y + h - 60)}")
        # No window manager here: the dialog gets the keyboard by windowfocus.
        answer(dialog, "Return")          # alert: OK
        dialog = wait_window("script.test says", not_id=dialog)
        answer(dialog, "Return")          # confirm: OK
        dialog = wait_window("script.test says", not_id=dialog)
        time.sleep(2.5)
        shot = screen("prompt")
        check(pixel(shot, x + w // 2, y + h - 60) == (255, 255, 255),
              f"no hang dialog over the page at the third dialog: {pixel(shot, x + w // 2, y + h - 60)}")
        answer(dialog, "ctrl+a", "type:Ada", "Return")   # prompt: OK with "Ada"
        wait_window("answers true Ada")
        screen("answered")
    except BaseException:
        report(browser)
        raise
    finally:
        browser.process.terminate()
        browser.process.wait(timeout=30)


def test_form_validation(server, bus):
    browser = Browser(env=browser_environment(bus, True), gui=True, window_size=(800, 600),
                      urls=[server.url("form.html")])
    try:
        window = wait_window("form: empty")
        time.sleep(1)
        x, y, w, h = geometry(window)
        # The field is the page's top 300 px, as click.html's box.
        click_x, click_y = x + w // 2, y + h // 2 - 60
        xdotool("mousemove", str(click_x), str(click_y))
        xdotool("click", "1")
        xdotool("windowfocus", "--sync", window)
        xdotool("type", "ada")
        wait_window("form: invalid ada")
        deadline = time.monotonic() + 20
        while True:
            shot = screen("form-invalid")
            tinted = pixel(shot, x + w // 2, y + h - 40)
            if tinted == (0xff, 0xff, 0xcc) or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        check(tinted == (0xff, 0xff, 0xcc), f"the focus handler tinted the page: {tinted}")
        xdotool("key", "Return")
        wait_window("form: refused ada")
        xdotool("type", "@example.test")
        wait_window("form: valid ada@example.test")
        screen("form-valid")
        xdotool("key", "Return")
        wait_window("form sent ada@example.test")
        screen("form-sent")
    finally:
        browser.process.terminate()
        browser.process.wait(timeout=30)


def main():
    tap = Tap()
    xvfb = OwnXvfb("1024x768x24")
    bus = SessionBus()
    server = TestServer()

    async def run(f):
        f(server, bus)

    try:
        tap.run("a click handler changes the page", run, test_click_handler)
        tap.run("alert, confirm and prompt as GTK dialogs", run, test_dialogs)
        tap.run("a form validated by script", run, test_form_validation)
    finally:
        server.stop()
        bus.stop()
        xvfb.stop()
    tap.finish()
    sys.exit(1 if tap.failed else 0)


if __name__ == "__main__":
    main()
