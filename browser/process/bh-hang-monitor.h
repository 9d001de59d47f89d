/* bh-hang-monitor.h: notices when a renderer stops answering.
 *
 * One monitor per renderer host (core side, no widget). A renderer owes the
 * browser two kinds of answer: an InputEventAck for every input event
 * (Chromium's input-event ack timeout, content/browser/renderer_host/
 * input/input_router_impl.cc) and, while one of its tabs is visible or has
 * input pending, a Pong for the Ping the monitor sends every
 * bh_hang_monitor_get_ping_interval_ms(). When the oldest unanswered one is
 * older than the timeout (--hang-timeout-ms, 5000 by default; Chromium's
 * kHungRendererDelay is 15 s) the monitor turns "unresponsive", and the host
 * marks its tabs BH_TAB_STATE_UNRESPONSIVE; the first answer turns it back.
 *
 * An idle renderer (no visible tab, nothing pending) costs nothing: no timer
 * runs and no Ping is sent.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BH_TYPE_HANG_MONITOR (bh_hang_monitor_get_type ())
G_DECLARE_FINAL_TYPE (BhHangMonitor, bh_hang_monitor, BH, HANG_MONITOR, GObject)

/**
 * BhHangMonitorClient:
 * @get_owed: what the renderer owes now: sets *@out_unacked to the input
 *   events sent and not yet answered and *@out_oldest_us to
 *   g_get_monotonic_time() when the oldest of them was sent (0 if none);
 *   returns whether the renderer is worth watching (alive, and one of its
 *   tabs visible or input pending)
 * @ping: send the renderer a Ping; its owner calls bh_hang_monitor_pong()
 *   once, when the Pong comes or the channel ends
 *
 * How the monitor reads its renderer: the renderer host (its owner) answers,
 * so the monitor never calls up into it.
 */
typedef struct {
  gboolean (*get_owed) (gpointer owner, guint *out_unacked, gint64 *out_oldest_us);
  void (*ping) (gpointer owner, BhHangMonitor *monitor);
} BhHangMonitorClient;

/*
 * Properties (read-only, with notify):
 *   "unresponsive"  gboolean  an answer is overdue
 *   "pings-sent"    guint64   Pings sent so far (to check that idle renderers get none)
 */

/**
 * bh_hang_monitor_new:
 * @client: (transfer none): static callbacks into the renderer's host
 * @owner: (transfer none): the renderer host, passed to @client; it owns the
 *   monitor and must call bh_hang_monitor_stop() before it goes
 * @timeout_ms: how long an answer may take, in milliseconds (> 0)
 *
 * Returns: (transfer full): a monitor, idle until bh_hang_monitor_update().
 */
BhHangMonitor *bh_hang_monitor_new (const BhHangMonitorClient *client, gpointer owner, guint timeout_ms);

/**
 * bh_hang_monitor_pong:
 * @ok: %TRUE if the Pong came; %FALSE if the channel ended first
 *
 * The answer to the Ping @client's ping asked for.
 */
void bh_hang_monitor_pong (BhHangMonitor *monitor, gboolean ok);

/**
 * bh_hang_monitor_update:
 *
 * Re-reads what the host owes (its unacknowledged input, whether one of its
 * tabs is visible) and arms or disarms the timers. The host calls it when
 * it sends input, gets an InputEventAck, or a view comes, goes or changes
 * visibility. Cheap: no system call unless a timer has to move.
 */
void bh_hang_monitor_update (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_wait:
 *
 * The user chose Wait in the "Page unresponsive" dialog: the monitor turns
 * responsive and gives whatever is outstanding a fresh @timeout_ms from
 * now (Chromium's RenderWidgetHostImpl::RestartInputEventAckTimeoutIfNecessary).
 * If nothing is answered by then it turns unresponsive again.
 */
void bh_hang_monitor_wait (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_stop:
 *
 * The renderer is gone or going: no more timers and Pings, for good.
 */
void bh_hang_monitor_stop (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_set_paused:
 * @paused: %TRUE while the renderer waits on the user (a page's alert(),
 *   confirm() or prompt(): HTML's "pause"), not on a bug
 *
 * While paused nothing is owed: no Ping, no deadline, never unresponsive. When
 * it resumes, what was owed gets a fresh timeout, as Wait gives.
 */
void bh_hang_monitor_set_paused (BhHangMonitor *monitor, gboolean paused);

/**
 * bh_hang_monitor_is_unresponsive:
 *
 * Returns: the "unresponsive" property.
 */
gboolean bh_hang_monitor_is_unresponsive (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_get_timeout_ms:
 *
 * Returns: the timeout given to bh_hang_monitor_new(), in milliseconds.
 */
guint bh_hang_monitor_get_timeout_ms (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_get_ping_interval_ms:
 *
 * Returns: the time between a Pong and the next Ping, in milliseconds:
 *   half the timeout, at most 1000 and at least 10, so that a renderer that
 *   hangs between two Pings is noticed within 1.5 timeouts at worst.
 */
guint bh_hang_monitor_get_ping_interval_ms (BhHangMonitor *monitor);

/**
 * bh_hang_monitor_get_pings_sent:
 *
 * Returns: the "pings-sent" property.
 */
guint64 bh_hang_monitor_get_pings_sent (BhHangMonitor *monitor);

G_END_DECLS
