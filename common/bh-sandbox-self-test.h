/* bh-sandbox-self-test.h: a child tries to break out of its own sandbox.
 *
 * `renderer --sandbox-self-test[=WHAT]` (and the plugin host, and
 * tests/sandbox-child) enters the sandbox exactly as for real work, then
 * makes each attempt once and reports it on a line. The browser's side, which
 * starts one child per attempt that gets killed and reads the reports, is
 * bh_launcher_run_self_test() (browser/bh-launcher.h); tests/test-sandbox.c
 * runs it in every sandbox mode.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_sandbox_self_test:
 * @which: (nullable): comma-separated attempts, each `name` or `name:ARG`;
 *   %NULL, "" or "inline" mean every attempt that does not get the process
 *   killed and needs no argument. Names:
 *   - reading files: passwd (/etc/passwd), home (listing $HOME), and, aimed at
 *     the browser, environ[:PID], maps[:PID], mem[:PID] (/proc/PID/...);
 *   - writing: tmp (creating a file in /tmp), exe-write (/proc/self/exe);
 *   - the network: socket (an AF_INET socket), connect:PORT (127.0.0.1),
 *     connect-unix:NAME (an abstract unix socket), dgram:NAME (a datagram
 *     socketpair, then sendmsg() with the abstract address NAME as msg_name),
 *     dgram-path:PATH (the same to a unix socket file);
 *   - what the process holds: fds (the descriptors it has, expected 0-3),
 *     dumpable (PR_GET_DUMPABLE, expected 0);
 *   - each expected to be killed by SIGSYS, so run one per process: execve,
 *     fork, ptrace[:PID], kill[:PID], unshare, reconnect[:NAME].
 *   PID is the browser's as the browser sees it; without it @browser_pid is used
 * @browser_pid: the browser's pid from --browser-pid, or 0 for getppid()
 * @out_fd: where the report lines go, normally STDOUT_FILENO
 *
 * Tries to break out of the sandbox the caller is in, once per attempt, and
 * writes one line per attempt: "passwd: blocked (ENOENT)" or
 * "passwd: ALLOWED"; "fds: 0,1,2,3" for the descriptors the process holds,
 * "dumpable: 0" for its PR_GET_DUMPABLE. The caller enters the sandbox first,
 * exactly as it does for real work (bh_sandbox_enter_seccomp() unless
 * --no-sandbox). The attempts never harm the browser: the signal sent is 0,
 * ptrace uses PTRACE_SEIZE (no stop) and exits right away, a file created in
 * /tmp is removed, exe-write opens /proc/self/exe for writing but writes
 * nothing, mem opens /proc/PID/mem and reads nothing, a datagram carries one
 * byte the listener reads and drops.
 *
 * Returns: an exit code: 0 when every attempt was blocked, 1 when one was
 *   allowed, 2 for an unknown attempt name.
 */
int bh_sandbox_self_test (const char *which, guint browser_pid, int out_fd);

G_END_DECLS
