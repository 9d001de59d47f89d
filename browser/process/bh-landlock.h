/* bh-landlock.h: Landlock (landlock(7)) as layer 1 where namespaces cannot
 * be had.
 *
 * In seccomp-only mode the launcher puts each child, between fork and exec,
 * in a Landlock domain that allows reading (and executing) only what the
 * namespace modes bind into their sandbox (/usr, fontconfig's files, the
 * executable's directory, /proc/self, a few /dev nodes) and writing only
 * /dev/null; with ABI 4 it forbids binding and connecting TCP sockets, with
 * ABI 6 connecting to abstract unix sockets and signalling processes outside
 * the domain. Unlike the seccomp filter, which the child enters after its
 * start-up, this holds from the child's first instruction. Raw system calls:
 * Debian 12's libc has no wrappers, and its <linux/landlock.h> knows ABI 2.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_landlock_probe:
 * @out_cause: (out) (transfer full) (optional): when Landlock is unusable,
 *   why, with the fix where there is one
 *
 * Asks the kernel for its Landlock ABI (landlock_create_ruleset() with
 * LANDLOCK_CREATE_RULESET_VERSION). For tests,
 * BULKHEAD_SANDBOX_TEST_NO_LANDLOCK=1 makes it answer 0.
 *
 * Returns: the ABI version (1 for Linux 5.13, 7 for 6.15), or 0.
 */
int bh_landlock_probe (char **out_cause);

/**
 * bh_landlock_describe:
 * @abi: from bh_landlock_probe(), > 0
 *
 * Returns: (transfer full): what a domain of that ABI restricts, e.g.
 *   "Landlock ABI 7: files, TCP, abstract unix sockets, signals".
 */
char *bh_landlock_describe (int abi);

typedef struct {
  const char *path;   /* absolute; a missing path is skipped */
  gboolean directory; /* the rule covers everything beneath it */
  gboolean writable;  /* also WRITE_FILE (/dev/null) */
} BhLandlockPath;

/**
 * bh_landlock_ruleset_new:
 * @abi: from bh_landlock_probe(), > 0
 * @paths: (array length=n_paths): what a child may read and execute
 * @n_paths: how many
 * @error: a G_IO_ERROR from the kernel
 *
 * Builds, in the browser, a ruleset that handles every access right @abi
 * knows and allows @paths (read, execute, list for directories).
 *
 * Returns: the ruleset's fd (close-on-exec), or -1.
 */
int bh_landlock_ruleset_new (int abi, const BhLandlockPath *paths, guint n_paths, GError **error);

/**
 * bh_landlock_restrict_self:
 * @ruleset_fd: from bh_landlock_ruleset_new(), inherited by fork()
 * @abi: the ABI it was built for
 *
 * Between fork and exec (async-signal-safe): allows /proc/self too (this
 * process's own /proc directory, known only now), sets PR_SET_NO_NEW_PRIVS
 * and enters the domain.
 *
 * Returns: 0, or a negative errno.
 */
int bh_landlock_restrict_self (int ruleset_fd, int abi);

G_END_DECLS
