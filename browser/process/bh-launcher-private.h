/* bh-launcher-private.h: what the launcher's files share (bh-launcher.c,
 * bh-launcher-probe.c, bh-launcher-self-test.c). */
#pragma once

#include <glib.h>

#include "bh-launcher.h"

G_BEGIN_DECLS

/* Closes *@fd if it is open and sets it to -1. */
void bh_launcher_close_fd (int *fd);

/* SIGKILLs @pid and waits for it (it is the caller's child). */
void bh_launcher_kill_and_reap (GPid pid);

/* The contents of the file at @path (a /proc/sys entry), stripped, or NULL
 * if it cannot be read. (transfer full) */
char *bh_launcher_read_sysctl (const char *path);

/* Appends to @argv (of g_strdup'ed strings) the bubblewrap options every
 * child gets: new user, pid, net, ipc, uts and cgroup namespaces, no
 * capabilities, --die-with-parent, and --new-session if @new_session. */
void bh_launcher_bwrap_add_namespace_args (GPtrArray *argv, gboolean new_session);

/* Spawns the child @opts describes with @namespaces (through bubblewrap at
 * @bwrap_path when BH_LAUNCHER_NAMESPACES_BWRAP) and Landlock @landlock_abi
 * (0: none). On failure returns FALSE with @error set and *@out_errno the
 * errno of the step that failed (0 if none). bh_launcher_spawn() is the
 * public entry; the probe calls this to try a way of sandboxing. */
gboolean bh_launcher_spawn_internal (const BhLaunchOptions *opts, BhLauncherNamespaces namespaces,
                                     const char *bwrap_path, int landlock_abi, BhChildProcess **out,
                                     int *out_errno, GError **error);

G_END_DECLS
