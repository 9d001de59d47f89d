"""tests/bhtest.py: what the Python end-to-end tests share.

The real browser (BULKHEAD_BUILDDIR/browser/browser) with WebDriver BiDi on a
port the kernel picked, a WebSocket client for it (Debian's python3-websockets
10.4: asyncio, no sync client), a loopback HTTP server for real pages, a
private D-Bus session bus for the GUI, process-tree helpers from /proc, a PNG
decoder from the standard library, and TAP output.
"""

import asyncio
import atexit
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import traceback
import zlib

import websockets

BUILDDIR = os.environ.get("BULKHEAD_BUILDDIR",
                          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build"))
BROWSER = os.path.join(BUILDDIR, "browser", "browser")
DOCS = "/usr/share/doc/debian-reference-en/docs"
TIMEOUT_S = 30


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, coroutine_function, *args, timeout_s=TIMEOUT_S * 3):
        self.n += 1
        start = time.monotonic()
        try:
            asyncio.get_event_loop().run_until_complete(
                asyncio.wait_for(coroutine_function(*args), timeout_s))
            print(f"# {time.monotonic() - start:.2f} s", flush=True)
            print(f"ok {self.n} - {name}", flush=True)
        except Exception:
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)

    def finish(self):
        print(f"1..{self.n}", flush=True)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def parent_of(pid):
    """The parent pid from /proc/PID/stat (proc(5)), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces.
    return int(stat[stat.rindex(")") + 2:].split()[1])


def descendants_of(pid):
    """Every process below @pid: renderers run under a sandbox's pid-1
    process, itself the browser's child."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parents[int(entry)] = parent_of(int(entry))
    found = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def is_running(pid):
    """True while the process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class HttpServer:
    """`python3 -m http.server` on a port the kernel picked. bind="" listens on
    every address, so 127.0.0.2 reaches it too (two sites, two addresses)."""

    def __init__(self, directory=DOCS, bind="127.0.0.1"):
        self.process = subprocess.Popen(
            ["/usr/bin/python3", "-u", "-m", "http.server", "--bind", bind, "0"],
            cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"port (\d+)", line)
        if match is None:
            raise RuntimeError(f"http.server said {line!r}")
        self.port = int(match.group(1))

    def url(self, host, page):
        return f"http://{host}:{self.port}/{page}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


class OwnXvfb:
    """An X server of the test's own, on a display number it picks itself
    (-displayfd), for a test that clicks with xdotool and reads the screen:
    no other test's window can take its clicks or cover its pixels. $DISPLAY
    points at it from then on.

    -noreset: without it the server resets whenever its last client leaves,
    as each xdotool and import run does, and a client that connects during
    the reset is dropped. The browser opens its display after it printed
    its BiDi port, while the test already polls with xdotool: under load it
    lost that race now and then and died before showing a window."""

    def __init__(self, geometry):
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", geometry, "-nolisten", "tcp",
             "-noreset"],
            pass_fds=(write_end,), stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as f:
            number = f.readline().strip()
        check(number.isdigit(), "Xvfb did not start")
        os.environ["DISPLAY"] = f":{number}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


class SessionBus:
    """A private D-Bus session bus for the GUI: without one GtkApplication
    warns "Unable to acquire session bus", which G_DEBUG=fatal-warnings (the
    suite's environment) turns into an abort."""

    def __init__(self):
        self.process = None
        self.address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if self.address or not os.path.exists("/usr/bin/dbus-daemon"):
            return
        self.process = subprocess.Popen(
            ["/usr/bin/dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.address = self.process.stdout.readline().strip()

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait()


def temp_profile_dir():
    """A fresh profile directory for one browser, removed at exit."""
    path = tempfile.mkdtemp(prefix="bh-test-profile-")
    atexit.register(shutil.rmtree, path, True)
    return path


def profile_arg():
    """--user-data-dir= a fresh directory: every browser a test starts passes one."""
    return f"--user-data-dir={temp_profile_dir()}"


def browser_environment(bus, gui):
    env = dict(os.environ)
    if gui:
        # As tests/test-ui.c sets them: X11 through Xvfb, software drawing,
        # no accessibility bus, no dconf.
        env.update(GDK_BACKEND="x11", GSK_RENDERER="cairo", GTK_A11Y="none", NO_AT_BRIDGE="1",
                   GSETTINGS_BACKEND="memory")
        if bus.address:
            env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        else:
            print("# no dbus-daemon: the browser runs without G_DEBUG=fatal-warnings", flush=True)
            env["G_DEBUG"] = "gc-friendly"
    return env


class Browser:
    """The browser with BiDi on a port the kernel picked, read from stderr."""

    def __init__(self, env=None, extra_args=(), gui=False, window_size=(800, 600),
                 host_rules="MAP *.test 127.0.0.1", urls=("about:blank",),
                 startup_timeout_s=TIMEOUT_S, user_data_dir=None):
        # A profile of its own (--user-data-dir), removed with the process:
        # no test writes to $HOME, no two browsers share a profile's lock.
        self.user_data_dir = user_data_dir or temp_profile_dir()
        args = [BROWSER, "--remote-debugging-port=0", f"--user-data-dir={self.user_data_dir}",
                f"--host-resolver-rules={host_rules}",
                f"--window-size={window_size[0]},{window_size[1]}"]
        if not gui:
            args.append("--headless")
        args += list(extra_args)
        args += list(urls)
        self.process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True, env=env)
        self.pid = self.process.pid
        self.stderr_lines = []
        self.port = None
        deadline = time.monotonic() + startup_timeout_s
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if line == "":
                break
            self.stderr_lines.append(line)
            match = re.match(r"BiDi listening on ws://127\.0\.0\.1:(\d+)/session$", line.strip())
            if match:
                self.port = int(match.group(1))
                break
        if self.port is None:
            raise RuntimeError("no BiDi line on stderr: " + "".join(self.stderr_lines))
        # Keep reading so that the pipe never fills and blocks the browser.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line)

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.port}/session"

    def alive(self):
        return self.process.poll() is None


class Client:
    """One WebSocket connection: commands by id, events kept in order."""

    def __init__(self, ws, timeout_s=TIMEOUT_S):
        self.ws = ws
        self.timeout_s = timeout_s  # how long call() and ok() wait by default
        self.next_id = 0
        self.pending = {}
        self.unmatched = asyncio.Queue()  # answers with id null
        self.events = []
        self.answer_order = []
        self.changed = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def connect(cls, browser, **kwargs):
        ws = await websockets.connect(browser.url, max_size=None, **kwargs)
        return cls(ws)

    async def _read(self):
        try:
            async for text in self.ws:
                message = json.loads(text)
                if message.get("type") == "event":
                    self.events.append(message)
                    self.changed.set()
                elif message.get("id") in self.pending:
                    self.answer_order.append(message["id"])
                    future = self.pending.pop(message["id"])
                    # A call that timed out has cancelled its future.
                    if not future.done():
                        future.set_result(message)
                else:
                    await self.unmatched.put(message)
        except websockets.ConnectionClosed:
            pass
        for future in self.pending.values():
            if not future.done():
                future.set_exception(ConnectionError("the connection closed"))

    def send(self, method, params=None):
        """Sends a command; returns a future for its answer."""
        self.next_id += 1
        future = asyncio.get_event_loop().create_future()
        self.pending[self.next_id] = future
        message = {"id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        asyncio.ensure_future(self.ws.send(json.dumps(message)))
        return future

    async def call(self, method, params=None, timeout=None):
        return await asyncio.wait_for(self.send(method, params if params is not None else {}),
                                      timeout if timeout is not None else self.timeout_s)

    async def ok(self, method, params=None, timeout=None):
        answer = await self.call(method, params, timeout)
        check(answer.get("type") == "success", f"{method} {params}: {answer}")
        return answer["result"]

    async def error(self, method, params, code):
        answer = await self.call(method, params)
        check(answer.get("type") == "error" and answer.get("error") == code,
              f"{method} {params}: expected error {code!r}, got {answer}")
        check(isinstance(answer.get("message"), str) and answer["message"],
              f"the error has no message: {answer}")
        return answer

    async def raw_error(self, text, code="invalid argument"):
        """Sends @text as it is; the answer must be an error with id null."""
        await self.ws.send(text)
        answer = await asyncio.wait_for(self.unmatched.get(), TIMEOUT_S)
        check(answer == {"type": "error", "id": None, "error": code,
                         "message": answer.get("message")} and answer["message"],
              f"{text[:60]!r}: {answer}")
        return answer

    def mark(self):
        return len(self.events)

    async def wait_event(self, method, since=0, timeout=TIMEOUT_S, **fields):
        """The first event @method after index @since whose params have @fields."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[since:]:
                if event["method"] == method and all(
                        event["params"].get(k) == v for k, v in fields.items()):
                    return event
            left = deadline - time.monotonic()
            check(left > 0, f"no {method} {fields} within {timeout} s; saw "
                  f"{[e['method'] for e in self.events[since:]][-20:]}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def close(self):
        await self.ws.close()
        await self.reader


def handshake(port, host="", path="/session", headers=(), address="127.0.0.1"):
    """A WebSocket opening handshake with exactly the headers given (besides
    the upgrade's own): (status code, the response's text up to 2 KiB).
    @host is the Host header, 127.0.0.1:@port when left out, none at all
    when None; @headers are (name, value) pairs, sent as they are, so an
    empty value makes an empty header."""
    if host == "":
        host = f"127.0.0.1:{port}"
    lines = [f"GET {path} HTTP/1.1"]
    if host is not None:
        lines.append(f"Host: {host}")
    lines += ["Upgrade: websocket", "Connection: Upgrade",
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    lines += [f"{name}: {value}".rstrip() for name, value in headers]
    with socket.create_connection((address, port), timeout=TIMEOUT_S) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while len(data) < 2048:
            chunk = s.recv(2048)
            if not chunk:
                break
            data += chunk
            if data.startswith(b"HTTP/1.1 101") and b"\r\n\r\n" in data:
                break
    text = data.decode("utf-8", "replace")
    match = re.match(r"HTTP/1\.[01] (\d+)", text)
    check(match is not None, f"not an HTTP response: {text!r}")
    return int(match.group(1)), text


def listening_sockets(pid):
    """The (family, address, port) every TCP socket of process @pid listens
    on, from /proc/net/tcp and /proc/net/tcp6 (proc(5)): the sockets whose
    inodes are among its fds, in state 0A (LISTEN). Addresses as the kernel
    prints them: "0100007F" is 127.0.0.1, 32 zeros are [::]."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for family in ("tcp", "tcp6"):
        with open(f"/proc/net/{family}") as f:
            next(f)
            for line in f:
                fields = line.split()
                address, port = fields[1].split(":")
                if fields[3] == "0A" and fields[9] in inodes:
                    found.append((family, address, int(port, 16)))
    return found


def png_decode(data):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB or RGBA PNG."""
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    offset = 8
    idat = b""
    width = height = color_type = None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            check(depth == 8 and color_type in (2, 6), f"PNG depth {depth} type {color_type}")
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    bpp = 4 if color_type == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        row = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 0xFF
        elif kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous))
        elif kind == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + predictor) & 0xFF
        rows.append(row)
        previous = row
    return width, height, bpp, rows


def count_red(bpp, rows):
    count = 0
    for row in rows:
        for i in range(0, len(row), bpp):
            if row[i] > 0xA0 and row[i + 1] < 0x60 and row[i + 2] < 0xA0:
                count += 1
    return count


def count_non_white(bpp, rows):
    count = 0
    for row in rows:
        for i in range(0, len(row), bpp):
            if row[i] < 0xF0 or row[i + 1] < 0xF0 or row[i + 2] < 0xF0:
                count += 1
    return count
