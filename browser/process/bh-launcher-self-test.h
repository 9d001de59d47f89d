/* bh-launcher-self-test.h: the sandbox's escape self-test, run from the
 * browser's side: tests/test-sandbox.c runs it in every mode. The attempts
 * themselves are the child's (common/bh-sandbox-self-test.h). */
#pragma once

#include <glib.h>

#include "bh-launcher.h"

G_BEGIN_DECLS

/* One line of the escape self-test's report. */
typedef struct {
  char *name;     /* "passwd", "connect", "fds", ... */
  gboolean passed; /* the attempt was blocked (for "fds": only 0-3 were open) */
  char *detail;   /* "blocked (ENOENT)", "blocked (killed by SIGSYS)", "ALLOWED", "0,1,2,3" */
} BhSandboxCheck;

void bh_sandbox_check_free (BhSandboxCheck *check);

/**
 * bh_launcher_run_self_test:
 * @opts: how to start the child, as for a real launch (executable, args with
 *   --type, no_sandbox); ipc_fd and stdout_fd are ignored
 * @error: when a child could not be started or hung (10 s)
 *
 * Runs `CHILD --sandbox-self-test=...` through bh_launcher_spawn(): once for
 * every attempt the sandbox answers with an error (including connecting to a
 * loopback TCP listener and an abstract unix socket this function opens,
 * datagrams to an abstract and a path unix socket it binds, and reading this
 * process's /proc/PID/environ, maps and mem), then once per attempt the
 * sandbox answers by killing the process (execve, fork, ptrace, kill,
 * unshare, reconnect). A listener that received a connection or a datagram
 * fails its check whatever the child printed. Blocks: for tests and tools
 * (tests/test-sandbox.c), not for the browser's main loop.
 *
 * Returns: (transfer full) (element-type BhSandboxCheck): one check per
 *   attempt, or %NULL on error.
 */
GPtrArray *bh_launcher_run_self_test (const BhLaunchOptions *opts, GError **error);

G_END_DECLS
