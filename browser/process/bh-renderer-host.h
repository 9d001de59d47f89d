/* bh-renderer-host.h: the browser's side of one renderer process.
 *
 * A renderer host spawns one renderer locked to one site, owns the channel to
 * it, and is the trust boundary: every message from the renderer is checked
 * here (the view is one it hosts, the buffer one it shared, the committed URL
 * the one the browser sent) before a tab sees it. On a violation it logs
 * "bad message from renderer PID (SITE): REASON", kills the renderer with
 * SIGKILL (Chromium's bad_message::ReceivedBadMessage) and every tab it served
 * turns BAD_MESSAGE. It watches the process by its channel's hang-up and by
 * g_child_watch_add(), which also reaps it, and records a termination status.
 */
#pragma once

#include <glib-object.h>

#include "bh-hang-monitor.h"
#include "bh-termination-status.h"

G_BEGIN_DECLS

/* How long a user activation lasts once the renderer has handled the click or key
 * that gave it (HTML's transient activation; Chromium's lifespan is 5 s, issue 12 asks
 * for 1 s). While the renderer is still handling the event it lasts, however slow the
 * renderer. */
#define BH_USER_ACTIVATION_LIFESPAN_MS 1000

/* Mouse event kinds, as in MouseEvent's payload. */
typedef enum {
  BH_MOUSE_EVENT_MOTION = 0,
  BH_MOUSE_EVENT_PRESS = 1,
  BH_MOUSE_EVENT_RELEASE = 2,
} BhMouseEventKind;

/* Open-URL dispositions, as in OpenURL's payload: where a link the user
 * followed asks to open. */
typedef enum {
  BH_DISPOSITION_CURRENT_TAB = 0,
  BH_DISPOSITION_NEW_TAB = 1,            /* in front: Ctrl+Shift+click, a page's pop-up */
  BH_DISPOSITION_NEW_BACKGROUND_TAB = 2, /* behind: middle click, Ctrl+click (Chromium's) */
} BhDisposition;

#define BH_TYPE_RENDERER_HOST (bh_renderer_host_get_type ())
G_DECLARE_FINAL_TYPE (BhRendererHost, bh_renderer_host, BH, RENDERER_HOST, GObject)

/*
 * Properties (read-only, with notify):
 *   "site"               string  the site the renderer is locked to
 *   "pid"                gint    the process id (0 before spawn or after a failed launch)
 *   "ready"              gboolean ChildReady arrived
 *   "sandbox"            string  the sandbox summary from ChildReady ("" before)
 *   "alive"              gboolean spawned and not yet known to be dead
 *   "termination-status" BhTerminationStatus
 *   "termination-message" string plain words: "The renderer for http://a.test crashed (SIGSEGV)"
 *   "view-count"         guint   tabs it serves
 *
 * Signals:
 *   "closing" (BhTerminationStatus status)
 *        it takes no new view: %BH_TERMINATION_STATUS_STILL_RUNNING when its
 *        channel was closed or hung up, the final status when the process is
 *        known dead (then before the tabs it served learn of it). For its
 *        owner, the process manager.
 *   "terminated" (BhTerminationStatus status, char *message)
 *        once, when the process is known dead (channel closed or reaped).
 *   "reaped" ()
 *        once, after waitpid(); its owner then drops it from its list.
 */

/**
 * bh_renderer_host_get_site:
 *
 * Returns: (transfer none): the site this renderer is locked to for life.
 */
const char *bh_renderer_host_get_site (BhRendererHost *host);

/**
 * bh_renderer_host_get_pid:
 *
 * Returns: the renderer's own pid in the browser's pid namespace (under
 *   bubblewrap too: not the wrapper's), or 0 if it never started.
 */
int bh_renderer_host_get_pid (BhRendererHost *host);

/**
 * bh_renderer_host_is_alive:
 *
 * Returns: %TRUE from a successful spawn until the process is known dead.
 */
gboolean bh_renderer_host_is_alive (BhRendererHost *host);

/**
 * bh_renderer_host_is_ready:
 *
 * Returns: %TRUE once ChildReady has arrived.
 */
gboolean bh_renderer_host_is_ready (BhRendererHost *host);

/**
 * bh_renderer_host_get_sandbox_summary:
 *
 * Returns: (transfer none): what ChildReady said of the sandbox, or "".
 */
const char *bh_renderer_host_get_sandbox_summary (BhRendererHost *host);

/**
 * bh_renderer_host_describe_sandbox:
 *
 * The sandbox as the browser reads it from /proc, not as the renderer claims
 * it (bh_child_process_describe_sandbox()).
 *
 * Returns: (transfer full): e.g. "namespaces(user,pid,net,ipc,uts,mnt,cgroup)
 *   + seccomp-bpf", "seccomp only: CAUSE", or "unknown (process gone)".
 */
char *bh_renderer_host_describe_sandbox (BhRendererHost *host);

/**
 * bh_renderer_host_get_termination_status:
 *
 * Returns: %BH_TERMINATION_STATUS_STILL_RUNNING while alive.
 */
BhTerminationStatus bh_renderer_host_get_termination_status (BhRendererHost *host);

/**
 * bh_renderer_host_get_termination_message:
 *
 * Returns: (transfer none): why it ended, in plain words, or "" while alive.
 */
const char *bh_renderer_host_get_termination_message (BhRendererHost *host);

/**
 * bh_renderer_host_get_view_count:
 *
 * Returns: how many views (tabs) this renderer hosts now.
 */
guint bh_renderer_host_get_view_count (BhRendererHost *host);

/**
 * bh_renderer_host_get_rss_kib:
 *
 * Returns: the process's resident set size in KiB (VmRSS in /proc/PID/status,
 *   proc(5)), or 0 if it is not running.
 */
guint64 bh_renderer_host_get_rss_kib (BhRendererHost *host);

/**
 * bh_renderer_host_get_ipc_counts:
 * @out_received: (out) (optional): messages received from the renderer
 * @out_sent: (out) (optional): messages sent to it
 */
void bh_renderer_host_get_ipc_counts (BhRendererHost *host, guint64 *out_received,
                                      guint64 *out_sent);

/**
 * bh_renderer_host_get_unacked_input:
 * @out_count: (out) (optional): input events sent and not yet answered by InputEventAck
 * @out_oldest_us: (out) (optional): g_get_monotonic_time() when the oldest of
 *   them was sent, 0 if none
 *
 * For the hang monitor (Chromium's input-event ack timeout).
 */
void bh_renderer_host_get_unacked_input (BhRendererHost *host, guint *out_count,
                                         gint64 *out_oldest_us);

/**
 * bh_renderer_host_stop_view:
 * @view_id: a view of this renderer
 *
 * Sends Stop on the control lane: the renderer ends the view's body where it
 * is (what came is the page) and answers DidStop, however much waits on its
 * data lane. Nothing if the view is gone or the renderer has no control lane.
 */
void bh_renderer_host_stop_view (BhRendererHost *host, guint view_id);

/**
 * BhRendererPongFunc:
 * @host: the host
 * @ok: %TRUE if Pong came in time
 * @round_trip_us: the measured round trip, in microseconds (0 if not @ok)
 * @user_data: from bh_renderer_host_ping()
 */
typedef void (*BhRendererPongFunc) (BhRendererHost *host, gboolean ok, gint64 round_trip_us,
                                    gpointer user_data);

/**
 * bh_renderer_host_ping:
 * @timeout_ms: how long to wait for Pong; 0 waits for ever
 * @func: (nullable): called once with the outcome
 * @user_data: passed to @func
 *
 * Sends Ping as a request (bh_channel_call()). The host stays alive until
 * @func has run.
 */
void bh_renderer_host_ping (BhRendererHost *host, guint timeout_ms, BhRendererPongFunc func,
                            gpointer user_data);

/**
 * bh_renderer_host_kill:
 * @status: how to record the end: %BH_TERMINATION_STATUS_KILLED (task manager's End
 *   process), %BH_TERMINATION_STATUS_BAD_MESSAGE, %BH_TERMINATION_STATUS_OOM...
 * @message: (nullable): the plain-words reason shown on its tabs; %NULL
 *   derives it from @status
 *
 * Sends SIGKILL now and records @status instead of what waitpid() will say.
 * The tabs learn it at once; the process is reaped later by its child watch.
 */
void bh_renderer_host_kill (BhRendererHost *host, BhTerminationStatus status,
                            const char *message);

/**
 * bh_renderer_host_report_bad_message:
 * @reason: what the renderer did wrong, e.g. "FrameReady for unknown buffer 7"
 *
 * Logs "bad message from renderer PID (SITE): REASON" on stderr and, unless
 * --disable-kill-after-bad-ipc was given, kills the renderer with
 * %BH_TERMINATION_STATUS_BAD_MESSAGE (Chromium: content/browser/bad_message.cc).
 */
void bh_renderer_host_report_bad_message (BhRendererHost *host, const char *reason);

/**
 * bh_renderer_host_get_hang_monitor:
 *
 * While the monitor says "unresponsive", every tab of this renderer is in
 * %BH_TAB_STATE_UNRESPONSIVE; bh_hang_monitor_wait() is the dialog's Wait.
 *
 * Returns: (transfer none): the renderer's hang monitor (bh-hang-monitor.h).
 */
BhHangMonitor *bh_renderer_host_get_hang_monitor (BhRendererHost *host);

/* Automation's element queries (bh-renderer-host-query.c). */

/**
 * BhNodesLocatedFunc:
 * @nodes: (nullable): on success, the elements found: a GArray of
 *   #BhLocatedNode, in document order
 * @error: (nullable): G_IO_ERROR_INVALID_ARGUMENT for a selector the
 *   renderer does not understand, G_IO_ERROR_CLOSED when the renderer or
 *   the view went before answering, G_IO_ERROR_TIMED_OUT,
 *   G_IO_ERROR_BUSY with too many queries waiting
 */
typedef struct {
  guint node;
  double x, y, width, height; /* document px */
} BhLocatedNode;

typedef void (*BhNodesLocatedFunc) (GArray *nodes, const GError *error, gpointer user_data);

/**
 * BhNodeQueriedFunc:
 * @value: (nullable): the answer; %NULL with no @error when the element or
 *   what was asked of it does not exist
 * @error: (nullable): as for #BhNodesLocatedFunc
 */
typedef void (*BhNodeQueriedFunc) (const char *value, const GError *error, gpointer user_data);

/**
 * bh_renderer_host_locate_nodes:
 * @selectors: a CSS selector list
 * @max_nodes: at most this many (BH_MAX_LOCATED_NODES at most)
 * @callback: called once, from the main loop, never before this returns
 * @user_data: (transfer full): for @callback, freed with @notify after it
 *
 * Sends LocateNodes to the renderer for @view_id's document. An answer
 * that was not asked for, or lists more elements than asked, is a bad
 * message (the renderer is killed).
 */
void bh_renderer_host_locate_nodes (BhRendererHost *host, guint view_id, const char *selectors,
                                    guint max_nodes, BhNodesLocatedFunc callback,
                                    gpointer user_data, GDestroyNotify notify);

/**
 * bh_renderer_host_locate_nodes_by:
 * @kind: "xpath" or "innerText" (LocateNodesBy)
 * @value: the XPath expression or the text
 * @ignore_case: (innerText) compare without case
 * @partial: (innerText) the element's text contains @value, rather than is it
 * @max_depth: (innerText) levels below the document element, 0 for any
 *
 * As bh_renderer_host_locate_nodes(), for the other locators; an expression the
 * renderer does not understand is G_IO_ERROR_INVALID_ARGUMENT.
 */
void bh_renderer_host_locate_nodes_by (BhRendererHost *host, guint view_id, const char *kind,
                                       const char *value, gboolean ignore_case, gboolean partial,
                                       guint max_depth, guint max_nodes, BhNodesLocatedFunc callback,
                                       gpointer user_data, GDestroyNotify notify);

/**
 * bh_renderer_host_query_node:
 * @what: as in QueryNode: "text", "tag", "attribute:NAME", "property:NAME"
 *
 * As bh_renderer_host_locate_nodes(), for QueryNode.
 */
void bh_renderer_host_query_node (BhRendererHost *host, guint view_id, guint node,
                                  const char *what, BhNodeQueriedFunc callback,
                                  gpointer user_data, GDestroyNotify notify);

/* Printing (bh-renderer-host-print.c). */

/**
 * BhPrintSettings:
 *
 * What PrintToPdf asks (bh-messages.h), checked by the caller: lengths in PDF
 * points (1/72 in), a page with room inside its margins, @scale 0.1..2 of CSS px.
 * @page_ranges: @n_page_ranges pairs (first, last), 1-based and inclusive, last 0
 * for "to the end"; none means every page.
 */
typedef struct {
  double page_width_pt, page_height_pt;
  double margin_top_pt, margin_right_pt, margin_bottom_pt, margin_left_pt;
  double scale;
  gboolean background;
  gboolean shrink_to_fit;
  guint n_page_ranges;
  guint32 page_ranges[100][2]; /* BH_MAX_PRINT_PAGE_RANGES */
} BhPrintSettings;

/**
 * BhPdfPrintedFunc:
 * @pdf: (nullable): on success, the PDF (a read-only mapping of the renderer's
 *   sealed memfd, starting "%PDF-")
 * @pages: how many pages it has
 * @error: (nullable): G_IO_ERROR_INVALID_ARGUMENT with the renderer's reason when
 *   it could not print what was asked (the page ranges name no page, the PDF would
 *   be too large); G_IO_ERROR_CLOSED when the renderer or the view went,
 *   G_IO_ERROR_TIMED_OUT, G_IO_ERROR_BUSY with too many prints waiting
 */
typedef void (*BhPdfPrintedFunc) (GBytes *pdf, guint pages, const GError *error,
                                  gpointer user_data);

/**
 * bh_renderer_host_print_to_pdf:
 * @settings: (transfer none): copied
 * @callback: called once, from the main loop, never before this returns
 * @user_data: (transfer full): for @callback, freed with @notify after it
 *
 * Sends PrintToPdf to the renderer for @view_id's document. An answer that was
 * not asked for, a memfd without its seals or smaller than said, a PDF over
 * BH_MAX_PDF_BYTES or not a PDF, or more than BH_MAX_PRINT_PAGES pages is a bad
 * message (the renderer is killed).
 */
void bh_renderer_host_print_to_pdf (BhRendererHost *host, guint view_id,
                                    const BhPrintSettings *settings,
                                    BhPdfPrintedFunc callback, gpointer user_data,
                                    GDestroyNotify notify);

G_END_DECLS
