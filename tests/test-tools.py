#!/usr/bin/python3
"""tests/test-tools.py: what a new user runs before the browser (issue #19).

tools/install-deps against stand-ins for apt-get, dpkg and dpkg-query on PATH
(another package manager holding the lock, a package left half-configured, an
interrupted dpkg), and tools/demo (make demo) with port 8000 taken, in
--headless mode with a screenshot. TAP on stdout; stdlib only.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
BUILDDIR = os.environ.get("BULKHEAD_BUILDDIR", os.path.join(SOURCE, "build"))

STUBS = {
    # Status from $STUB/status-PKG, else installed.
    "dpkg-query": r'''#!/bin/sh
pkg=$(eval echo \${$#})
if [ -f "$STUB/status-$pkg" ]; then cat "$STUB/status-$pkg"; else printf 'install ok installed'; fi
''',
    # Fails with apt's lock message while $STUB/locked-count > 0 (counting
    # down; "forever" never does), refuses to install while $STUB/interrupted
    # exists, and records every call that got through.
    "apt-get": r'''#!/bin/sh
if [ -f "$STUB/locked-count" ]; then
  n=$(cat "$STUB/locked-count")
  if [ "$n" = forever ] || [ "$n" -gt 0 ]; then
    [ "$n" = forever ] || echo $((n - 1)) > "$STUB/locked-count"
    echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2
    echo "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?" >&2
    exit 100
  fi
fi
case " $* " in
  *" install "*)
    if [ -f "$STUB/interrupted" ]; then
      echo "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem." >&2
      exit 100
    fi ;;
esac
echo "apt-get $*" >> "$STUB/calls"
''',
    "dpkg": r'''#!/bin/sh
echo "dpkg $*" >> "$STUB/calls"
rm -f "$STUB/interrupted"
[ -f "$STUB/configure-fails" ] && { echo "dpkg: error processing package pkg-b (--configure)" >&2; exit 1; }
exit 0
''',
    "sudo": '#!/bin/sh\nexec "$@"\n',
    "fc-cache": "#!/bin/sh\nexit 0\n",
}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def run(self, name, function):
        self.n += 1
        try:
            function()
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


class Sandbox:
    """A copy of tools/install-deps with its own package list, and the stubs."""

    def __init__(self, statuses=None):
        self.dir = tempfile.mkdtemp(prefix="bulkhead-install-deps-")
        self.stub = os.path.join(self.dir, "stub")
        self.bin = os.path.join(self.dir, "bin")
        tools = os.path.join(self.dir, "tools")
        for d in (self.stub, self.bin, tools):
            os.makedirs(d)
        shutil.copy(os.path.join(SOURCE, "tools", "install-deps"), tools)
        with open(os.path.join(tools, "debian-packages.txt"), "w") as f:
            f.write("# test list\npkg-a\npkg-b\ntest pkg-t\n")
        for name, text in STUBS.items():
            path = os.path.join(self.bin, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        for pkg, status in (statuses or {}).items():
            self.write(f"status-{pkg}", status)

    def write(self, name, text):
        with open(os.path.join(self.stub, name), "w") as f:
            f.write(text)

    def calls(self):
        try:
            with open(os.path.join(self.stub, "calls")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def run(self, *args, lock_wait_s="600"):
        env = dict(os.environ, PATH=self.bin + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
                   STUB=self.stub, BULKHEAD_APT_LOCK_WAIT_S=lock_wait_s, BULKHEAD_APT_RETRY_S="0")
        p = subprocess.run([os.path.join(self.dir, "tools", "install-deps"), *args], env=env,
                           capture_output=True, text=True, timeout=120)
        print(f"# exit {p.returncode}; stdout: {p.stdout!r}; stderr: {p.stderr!r}", flush=True)
        print(f"# calls: {self.calls()}", flush=True)
        return p

    def close(self):
        shutil.rmtree(self.dir)


def test_nothing_missing():
    s = Sandbox()
    try:
        p = s.run()
        check(p.returncode == 0, "exit 0")
        check(s.calls() == [], "neither apt-get nor dpkg ran")
    finally:
        s.close()


def test_waits_for_the_lock():
    s = Sandbox({"pkg-b": "unknown ok not-installed"})
    s.write("locked-count", "3")
    try:
        p = s.run()
        check(p.returncode == 0, "exit 0 once the other apt is done")
        check(p.stdout.count("waiting for another apt or dpkg") == 1, "said once that it waits")
        installs = [c for c in s.calls() if " install " in c]
        check(len(installs) == 1 and installs[0].endswith(" pkg-b"), "installed pkg-b, and only it")
        check("DPkg::Lock::Timeout=600" in installs[0], "apt waits for the lock itself too")
    finally:
        s.close()


def test_gives_up_on_a_lock_that_stays():
    s = Sandbox({"pkg-a": "unknown ok not-installed"})
    s.write("locked-count", "forever")
    try:
        p = s.run(lock_wait_s="0")
        check(p.returncode != 0, "fails")
        check("still holds the dpkg lock" in p.stderr, "says why")
    finally:
        s.close()


def test_half_configured_is_configured_not_reinstalled():
    s = Sandbox({"pkg-b": "install ok half-configured", "pkg-a": "install ok unpacked"})
    try:
        p = s.run()
        check(p.returncode == 0, "exit 0")
        check(s.calls() == ["dpkg --configure -a"], "dpkg finished the configuration; apt-get did not run")
        check("pkg-a pkg-b" in p.stdout, "named the packages")
    finally:
        s.close()


def test_configure_failure_does_not_stop_the_build():
    s = Sandbox({"pkg-b": "install ok half-configured"})
    s.write("configure-fails", "")
    try:
        p = s.run()
        check(p.returncode == 0, "exit 0: the files are there")
        check("their files are installed" in p.stderr, "warned")
    finally:
        s.close()


def test_triggers_pending_is_installed():
    s = Sandbox({"pkg-a": "install ok triggers-pending", "pkg-b": "install ok triggers-awaited"})
    try:
        p = s.run()
        check(p.returncode == 0 and s.calls() == [], "nothing to do")
    finally:
        s.close()


def test_interrupted_dpkg_is_finished_first():
    s = Sandbox({"pkg-a": "unknown ok not-installed"})
    s.write("interrupted", "")
    try:
        p = s.run()
        check(p.returncode == 0, "exit 0")
        calls = s.calls()
        check("dpkg --configure -a" in calls, "ran dpkg --configure -a")
        check(calls[-1].startswith("apt-get") and calls[-1].endswith(" install -y -qq --no-install-recommends pkg-a"),
              "then installed pkg-a")
    finally:
        s.close()


def test_test_packages_only_with_test():
    s = Sandbox({"pkg-t": "unknown ok not-installed"})
    try:
        p = s.run()
        check(p.returncode == 0 and s.calls() == [], "pkg-t is not needed by make run")
        p = s.run("--test")
        check(any(c.endswith(" pkg-t") for c in s.calls()), "--test installs it")
    finally:
        s.close()


def test_demo_picks_a_free_port():
    browser = os.path.join(BUILDDIR, "browser", "browser")
    if not os.access(os.path.join(BUILDDIR, "renderer", "renderer"), os.X_OK):
        print("# skip: the renderer is not built", flush=True)
        return
    # Port 8000 taken, as by a user's own server.
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        blocker.bind(("127.0.0.1", 8000))
        blocker.listen(1)
    except OSError:
        pass  # someone else has it: all the better
    shot = tempfile.mktemp(prefix="bulkhead-demo-", suffix=".png")
    try:
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("G_DEBUG", None)
        p = subprocess.run([os.path.join(SOURCE, "tools", "demo"), BUILDDIR, "--headless",
                            f"--screenshot={shot}", "--ipc-debug=DidCommitNavigation", "--incognito"],
                           env=env, capture_output=True, text=True, timeout=120)
        print(f"# exit {p.returncode}; stdout: {p.stdout!r}", flush=True)
        print("# " + p.stderr[-2000:].replace("\n", "\n# "), flush=True)
        check(p.returncode == 0, "the demo ran")
        line = [x for x in p.stdout.splitlines() if "served on http://127.0.0.1:" in x]
        check(len(line) == 1, "printed where it serves")
        port = int(line[0].split("http://127.0.0.1:")[1].split("/")[0])
        check(port != 8000, "not the taken port 8000")
        # Each of the three tabs committed its .test site, served from that port.
        for url in ("http://alpha.test/", "http://beta.test/", "http://www.alpha.test/"):
            check(f"'{url}'" in p.stderr, f"{url} committed")
        with open(shot, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "a PNG")
    finally:
        blocker.close()
        if os.path.exists(shot):
            os.unlink(shot)


def main():
    tap = Tap()
    tap.run("install-deps: nothing missing, nothing run", test_nothing_missing)
    tap.run("install-deps: waits for another apt's lock", test_waits_for_the_lock)
    tap.run("install-deps: gives up on a lock that stays, saying why", test_gives_up_on_a_lock_that_stays)
    tap.run("install-deps: half-configured is configured, not reinstalled", test_half_configured_is_configured_not_reinstalled)
    tap.run("install-deps: a failed configure does not stop the build", test_configure_failure_does_not_stop_the_build)
    tap.run("install-deps: triggers pending counts as installed", test_triggers_pending_is_installed)
    tap.run("install-deps: an interrupted dpkg is finished first", test_interrupted_dpkg_is_finished_first)
    tap.run("install-deps: test packages only with --test", test_test_packages_only_with_test)
    tap.run("make demo: a free port, printed", test_demo_picks_a_free_port)
    tap.finish()
    sys.exit(1 if tap.failed else 0)


if __name__ == "__main__":
    main()
