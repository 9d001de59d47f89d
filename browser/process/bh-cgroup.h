/* bh-cgroup.h: a cgroup v2 per child, so that --renderer-memory-limit-mb
 * bounds everything a child makes the kernel hold: heap and mappings, but
 * also memfds it never maps, pipe and socket buffers (cgroups(7),
 * Documentation/admin-guide/cgroup-v2.rst "Memory").
 *
 * Only where the browser may: its own cgroup (the "0::" line of
 * /proc/self/cgroup, under the cgroup2 mount) must offer the memory
 * controller and be writable by it, i.e. delegated (systemd's Delegate=yes,
 * `systemd-run --user --scope -p Delegate=yes browser`, or root outside a
 * container). The cgroup v2 rule that a cgroup with processes cannot hand
 * controllers to its children means the browser moves itself into a leaf
 * "bulkhead-browser" first. Elsewhere the launcher's resource limits are
 * the only bound (bh-launcher.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_cgroup_prepare_parent:
 * @out_parent: (out) (transfer full): the cgroup directory children's
 *   cgroups go in, e.g. "/sys/fs/cgroup/user.slice/.../app.scope"
 * @out_cause: (out) (transfer full): when it fails, why, in words a user can
 *   act on
 *
 * Finds the browser's cgroup and makes it able to hold per-child cgroups with
 * a memory limit: checks that the memory controller is available and the
 * directory writable, and, unless its cgroup.subtree_control already has
 * "memory", moves the browser into "bulkhead-browser" beneath it and enables
 * "+memory" (moving back if that fails). Environment, for tests:
 * BULKHEAD_SANDBOX_TEST_NO_CGROUP=1 makes it fail.
 *
 * Returns: %TRUE when per-child cgroups can be made.
 */
gboolean bh_cgroup_prepare_parent (char **out_parent, char **out_cause);

/**
 * bh_cgroup_create_child:
 * @parent: from bh_cgroup_prepare_parent()
 * @name: the new cgroup's directory name
 * @memory_max_bytes: its memory.max
 * @error: a G_IO_ERROR from mkdir(2) or writing a control file
 *
 * Creates PARENT/NAME with memory.max = @memory_max_bytes, memory.swap.max
 * = 0 (so that shared memory is not swapped out instead of counted) where the
 * kernel has swap accounting, and memory.oom.group = 1 (the OOM killer ends
 * the whole sandbox: bubblewrap, its pid 1 and the child).
 *
 * Returns: (transfer full) (nullable): the cgroup's path.
 */
char *bh_cgroup_create_child (const char *parent, const char *name, guint64 memory_max_bytes, GError **error);

/**
 * bh_cgroup_add_process:
 * @cgroup: from bh_cgroup_create_child()
 * @pid: a process as the browser sees it; the whole process moves
 * @error: a G_IO_ERROR from writing cgroup.procs
 *
 * Returns: %TRUE when @pid is in @cgroup.
 */
gboolean bh_cgroup_add_process (const char *cgroup, GPid pid, GError **error);

/**
 * bh_cgroup_move_to_own:
 * @pid: a process the browser moved into a child's cgroup
 *
 * Moves @pid back into the browser's own cgroup, so that the child's can be
 * removed. Best effort.
 */
void bh_cgroup_move_to_own (GPid pid);

/**
 * bh_cgroup_was_oom_killed:
 * @cgroup: a child's cgroup
 *
 * Returns: %TRUE if the kernel's OOM killer ended a process in it ("oom_kill"
 *   in memory.events above 0).
 */
gboolean bh_cgroup_was_oom_killed (const char *cgroup);

/**
 * bh_cgroup_remove:
 * @cgroup: a child's cgroup, whose processes have all been reaped
 *
 * rmdir(2)s it; memory still charged to it (a memfd the browser maps) moves
 * to the parent. Best effort: a failure is only logged with g_debug().
 */
void bh_cgroup_remove (const char *cgroup);

G_END_DECLS
