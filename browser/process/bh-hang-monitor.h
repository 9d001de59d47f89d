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

typedef struct _BhRendererHost BhRendererHost;

#define BH_TYPE_HANG_MONITOR (bh_hang_monitor_get_type ())
G_DECLARE_FINAL_TYPE (BhHangMonitor, bh_hang_monitor, BH, HANG_MONITOR, GObject)

/*
 * Properties (read-only, with notify):
 *   "unresponsive"  gboolean  an answer is overdue
 *   "pings-sent"    guint64   Pings sent so far (to check that idle renderers get none)
 */

/**
 * bh_hang_monitor_new:
 * @host: (transfer none): the renderer to watch; it owns the monitor and
 *   must call bh_hang_monitor_stop() before it goes
 * @timeout_ms: how long an answer may take, in milliseconds (> 0)
 *
 * Returns: (transfer full): a monitor, idle until bh_hang_monitor_update().
 */
BhHangMonitor *bh_hang_monitor_new (BhRendererHost *host, guint timeout_ms);

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
