/* bh-process-list.h: every process of the browser, as one list model.
 *
 * The task manager's rows and bulkhead:process.list are the same data: one
 * BhProcessList per browser (bh_process_list_get_for_browser()), a
 * GListModel of BhProcessInfo, first the browser process itself, then every
 * renderer not yet reaped (bh_browser_get_renderer_hosts()), in spawn order.
 * No widget: the automation server and --headless use it too.
 *
 * Nothing polls by itself. Whoever shows the list calls
 * bh_process_list_refresh() on its own timer (the task manager once a
 * second, while it is on screen; the automation server on each request),
 * which adds and removes rows and updates the figures in place, with
 * "notify" for what changed, so bound widgets follow.
 *
 * Plugin hosts (bh_browser_get_plugin_hosts()) follow the renderers, in rows
 * of type %BH_PROCESS_TYPE_PLUGIN_HOST with the plugin type in "site".
 */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>

#include "bh-browser.h"

G_BEGIN_DECLS

typedef enum {
  BH_PROCESS_TYPE_BROWSER,
  BH_PROCESS_TYPE_RENDERER,
  BH_PROCESS_TYPE_PLUGIN_HOST,
} BhProcessType;

GType bh_process_type_get_type (void);
#define BH_TYPE_PROCESS_TYPE (bh_process_type_get_type ())

/**
 * bh_process_type_to_string:
 *
 * Returns: (transfer none): "browser", "renderer" or "plugin-host".
 */
const char *bh_process_type_to_string (BhProcessType type);

#define BH_TYPE_PROCESS_INFO (bh_process_info_get_type ())
G_DECLARE_FINAL_TYPE (BhProcessInfo, bh_process_info, BH, PROCESS_INFO, GObject)

/*
 * BhProcessInfo properties (read-only, with notify when a refresh changes them):
 *   "process-type"  BhProcessType
 *   "pid"           gint     in the browser's pid namespace (the real
 *                            renderer, not its bubblewrap wrapper)
 *   "site"          string   the renderer's site, the plugin host's plugin
 *                            type, "" for the browser
 *   "tab-titles"    GStrv    the titles of the tabs it serves (none for the browser)
 *   "tab-ids"       GStrv    their bh_tab_get_id(), in decimal, in the same order
 *   "rss-kib"       guint64  VmRSS of /proc/PID/status (proc(5)), KiB; 0 when unreadable
 *   "pss-kib"       gint64   Pss of /proc/PID/smaps_rollup, KiB; -1 when unreadable
 *                            (another user's process, or a kernel before 4.14)
 *   "cpu-percent"   gdouble  utime + stime of /proc/PID/stat over the wall time
 *                            since the previous refresh, in % of one CPU (as
 *                            Chromium's task manager counts); -1 before two samples
 *   "messages-in"   guint64  IPC messages the browser received from it (the
 *                            browser's row: from all its children)
 *   "messages-out"  guint64  messages the browser sent to it (to all children)
 *   "sandbox"       string   what /proc says of its sandbox
 *                            (bh_renderer_host_describe_sandbox()); read once
 *   "alive"         gboolean not yet known to be dead (a dead renderer stays
 *                            listed until reaped)
 *   "status"        string   bh_termination_status_to_string(): "still-running",
 *                            "killed", "crashed"...
 *   "can-end"       gboolean End process applies: a live child, never the browser
 */

BhProcessType bh_process_info_get_process_type (BhProcessInfo *info);
int bh_process_info_get_pid (BhProcessInfo *info);
const char *bh_process_info_get_site (BhProcessInfo *info);
const char * const *bh_process_info_get_tab_titles (BhProcessInfo *info);
const char * const *bh_process_info_get_tab_ids (BhProcessInfo *info);
guint64 bh_process_info_get_rss_kib (BhProcessInfo *info);
gint64 bh_process_info_get_pss_kib (BhProcessInfo *info);
double bh_process_info_get_cpu_percent (BhProcessInfo *info);
void bh_process_info_get_message_counts (BhProcessInfo *info, guint64 *out_in, guint64 *out_out);
const char *bh_process_info_get_sandbox (BhProcessInfo *info);
gboolean bh_process_info_is_alive (BhProcessInfo *info);
const char *bh_process_info_get_status (BhProcessInfo *info);
gboolean bh_process_info_can_end (BhProcessInfo *info);

#define BH_TYPE_PROCESS_LIST (bh_process_list_get_type ())
G_DECLARE_FINAL_TYPE (BhProcessList, bh_process_list, BH, PROCESS_LIST, GObject)

/**
 * bh_process_list_get_for_browser:
 * @browser: the browser
 *
 * The browser's one process list, made and filled on first use. The
 * browser owns it (as object data): it goes when the browser goes.
 *
 * Returns: (transfer none): a #GListModel of #BhProcessInfo.
 */
BhProcessList *bh_process_list_get_for_browser (BhBrowser *browser);

/**
 * bh_process_list_refresh:
 *
 * Re-reads every row: which processes exist, their memory and CPU from
 * /proc, their IPC counts and tabs. A few small /proc reads per process;
 * call it about once a second at most while someone looks.
 */
void bh_process_list_refresh (BhProcessList *list);

/**
 * bh_process_list_find_pid:
 * @pid: a process id
 *
 * Returns: (transfer none) (nullable): the row of that process, as of the
 *   last refresh.
 */
BhProcessInfo *bh_process_list_find_pid (BhProcessList *list, int pid);

/**
 * bh_process_list_end_process:
 * @info: a row of @list
 * @error: %G_IO_ERROR_PERMISSION_DENIED for the browser's own row,
 *   %G_IO_ERROR_NOT_FOUND for a process already gone
 *
 * The task manager's End process: SIGKILL, recorded as
 * %BH_TERMINATION_STATUS_KILLED, so every tab of the process shows the
 * killed sad tab (Chromium's TaskManager::KillProcess, RESULT_CODE_KILLED).
 * The row stays, dead, until the process is reaped and the list refreshed.
 *
 * Returns: %TRUE when the process was killed.
 */
gboolean bh_process_list_end_process (BhProcessList *list, BhProcessInfo *info, GError **error);

G_END_DECLS
