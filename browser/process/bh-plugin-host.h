/* bh-plugin-host.h: the browser's side of one plugin host process.
 *
 * One plugin host runs per plugin type (MIME type), shared by every tab and
 * every site, as Chromium ran one PPAPI process per plugin: it is spawned on
 * first use through the same launcher and sandbox as renderers, serves
 * instances (one per <embed>/<object> area or full-tab plugin) and is closed
 * a short grace period after its last instance goes.
 *
 * Like a renderer host it is a trust boundary: every message from the
 * process is checked here (the instance is one the browser created in it,
 * the buffer one it shared for that instance, the bitmap sealed and of a
 * sane size, a frame only for a buffer the browser does not hold). A
 * violation is a bad message: "bad message from plugin host PID (TYPE):
 * REASON" on stderr, SIGKILL, and every area it served shows "Plugin
 * stopped: REASON". Any other death shows "Plugin crashed" there. Death is
 * noticed by the channel's hang-up and by a child watch, which also reaps
 * the process and records its termination status.
 */
#pragma once

#include <glib-object.h>

#include "bh-termination-status.h"

G_BEGIN_DECLS

/* Instances remember the tab they belong to, without calling it. */
typedef struct _BhTab BhTab;

/**
 * bh_plugin_type_is_supported:
 * @mime_type: (nullable): a MIME type without parameters, any case
 *
 * The plugin types this browser has a plugin for: application/pdf and
 * image/svg+xml (plugin-host/plugins/).
 *
 * Returns: %TRUE if @mime_type is one of them.
 */
gboolean bh_plugin_type_is_supported (const char *mime_type);

/**
 * bh_plugin_host_get_executable_path:
 *
 * The plugin host executable: ../plugin-host/plugin-host next to the running
 * executable (the build tree: browser/browser, tests/test-*), else
 * BH_LIBEXECDIR/plugin-host (the installed layout), as the renderer is found.
 * Looked up once per process. The environment variable
 * BULKHEAD_PLUGIN_HOST_PATH, when set, names another executable instead: for
 * tests (a plugin host that breaks the protocol on purpose) and debugging.
 *
 * Returns: (transfer none): a path, absolute unless the variable says otherwise.
 */
const char *bh_plugin_host_get_executable_path (void);

#define BH_TYPE_PLUGIN_HOST (bh_plugin_host_get_type ())
G_DECLARE_FINAL_TYPE (BhPluginHost, bh_plugin_host, BH, PLUGIN_HOST, GObject)

/*
 * Properties (read-only, with notify):
 *   "plugin-type"         string   the MIME type it shows, e.g. "application/pdf"
 *   "pid"                 gint     the process id (0 before spawn or after a failed launch)
 *   "ready"               gboolean ChildReady arrived
 *   "sandbox"             string   the sandbox summary from ChildReady ("" before)
 *   "alive"               gboolean spawned and not yet known to be dead
 *   "termination-status"  BhTerminationStatus
 *   "termination-message" string   "The plugin host for application/pdf crashed (SIGSEGV)"
 *   "instance-count"      guint    plugin instances it serves
 *
 * Signals:
 *   "terminated" (BhTerminationStatus status, char *message)
 *        once, when the process is known dead (channel closed or reaped).
 *   "reaped" ()
 *        once, after waitpid(); the host then leaves bh_browser_get_plugin_hosts().
 */

/**
 * bh_plugin_host_get_plugin_type:
 *
 * Returns: (transfer none): the MIME type this host shows, lower case.
 */
const char *bh_plugin_host_get_plugin_type (BhPluginHost *host);

/**
 * bh_plugin_host_get_pid:
 *
 * Returns: the plugin host's pid in the browser's pid namespace (the process
 *   itself, not its bubblewrap wrapper), or 0 if it never started.
 */
int bh_plugin_host_get_pid (BhPluginHost *host);

/**
 * bh_plugin_host_is_alive:
 *
 * Returns: %TRUE from a successful spawn until the process is known dead.
 */
gboolean bh_plugin_host_is_alive (BhPluginHost *host);

/**
 * bh_plugin_host_is_ready:
 *
 * Returns: %TRUE once ChildReady has arrived.
 */
gboolean bh_plugin_host_is_ready (BhPluginHost *host);

/**
 * bh_plugin_host_get_sandbox_summary:
 *
 * Returns: (transfer none): what ChildReady said of the sandbox, or "".
 */
const char *bh_plugin_host_get_sandbox_summary (BhPluginHost *host);

/**
 * bh_plugin_host_describe_sandbox:
 *
 * The sandbox as the browser reads it from /proc, not as the plugin host
 * claims it (bh_child_process_describe_sandbox()).
 *
 * Returns: (transfer full): e.g. "namespaces(user,pid,net,ipc,uts,mnt,cgroup)
 *   + seccomp-bpf", or "unknown (process gone)".
 */
char *bh_plugin_host_describe_sandbox (BhPluginHost *host);

/**
 * bh_plugin_host_get_termination_status:
 *
 * Returns: %BH_TERMINATION_STATUS_STILL_RUNNING while alive.
 */
BhTerminationStatus bh_plugin_host_get_termination_status (BhPluginHost *host);

/**
 * bh_plugin_host_get_termination_message:
 *
 * Returns: (transfer none): why it ended, in plain words, or "" while alive.
 */
const char *bh_plugin_host_get_termination_message (BhPluginHost *host);

/**
 * bh_plugin_host_get_instance_count:
 *
 * Returns: how many plugin instances it serves now.
 */
guint bh_plugin_host_get_instance_count (BhPluginHost *host);

/**
 * bh_plugin_host_get_tabs:
 *
 * The tabs whose plugin areas this host serves, each once, in no order (the
 * task manager's and bulkhead:process.list's "tabs" of a plugin host).
 *
 * Returns: (transfer container) (element-type BhTab): the tabs; the array
 *   holds no references, use them before returning to the main loop.
 */
GPtrArray *bh_plugin_host_get_tabs (BhPluginHost *host);

/**
 * bh_plugin_host_get_rss_kib:
 *
 * Returns: the process's resident set size in KiB (VmRSS in /proc/PID/status,
 *   proc(5)), or 0 if it is not running.
 */
guint64 bh_plugin_host_get_rss_kib (BhPluginHost *host);

/**
 * bh_plugin_host_get_ipc_counts:
 * @out_received: (out) (optional): messages received from the plugin host
 * @out_sent: (out) (optional): messages sent to it
 */
void bh_plugin_host_get_ipc_counts (BhPluginHost *host, guint64 *out_received, guint64 *out_sent);

/**
 * bh_plugin_host_kill:
 * @status: how to record the end: %BH_TERMINATION_STATUS_KILLED (the task
 *   manager's End process), %BH_TERMINATION_STATUS_BAD_MESSAGE...
 * @message: (nullable): the plain-words reason; %NULL derives it from @status
 *
 * Sends SIGKILL now and records @status instead of what waitpid() will say.
 * The plugin areas learn it at once ("Plugin crashed", or "Plugin stopped:
 * REASON" for a bad message); the process is reaped later by its child watch.
 */
void bh_plugin_host_kill (BhPluginHost *host, BhTerminationStatus status, const char *message);

/**
 * bh_plugin_host_report_bad_message:
 * @reason: what the plugin host did wrong, e.g. "PluginFrameReady for buffer 7,
 *   not one of instance 3"
 *
 * Logs "bad message from plugin host PID (TYPE): REASON" on stderr and,
 * unless --disable-kill-after-bad-ipc was given, kills the process with
 * %BH_TERMINATION_STATUS_BAD_MESSAGE (Chromium: content/browser/bad_message.cc).
 */
void bh_plugin_host_report_bad_message (BhPluginHost *host, const char *reason);

G_END_DECLS
