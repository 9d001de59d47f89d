/* bh-hang-monitor.c: the timers and Pings behind "Page unresponsive".
 *
 * The monitor keeps no queue of its own: the host already remembers every
 * input event until its InputEventAck, and at most one Ping is in flight.
 * The deadline is the oldest of those, plus the timeout; after Wait, nothing
 * counts from earlier than the moment Wait was chosen.
 */
#include "bh-hang-monitor.h"


#define MAX_PING_INTERVAL_MS 1000u
#define MIN_PING_INTERVAL_MS 10u

struct _BhHangMonitor {
  GObject parent_instance;

  const BhHangMonitorClient *client;
  gpointer owner; /* the renderer host: not a reference, it owns the monitor */
  guint timeout_ms;
  guint ping_interval_ms;
  gboolean stopped;
  gboolean unresponsive;

  gint64 ping_sent_us;  /* the Ping in flight, 0 when there is none */
  gint64 waited_us;     /* when Wait was chosen, 0 if never */
  gboolean paused;      /* the renderer waits on the user (a page's dialog) */
  gint64 deadline_us;   /* what deadline_id is armed for, 0 when it is not */
  guint deadline_id;
  guint ping_id;        /* the next Ping, while a tab is visible or input pending */
  guint64 pings_sent;
};

G_DEFINE_FINAL_TYPE (BhHangMonitor, bh_hang_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UNRESPONSIVE,
  PROP_PINGS_SENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void send_ping (BhHangMonitor *self);

static void
set_unresponsive (BhHangMonitor *self, gboolean unresponsive)
{
  if (self->unresponsive == unresponsive)
    return;
  self->unresponsive = unresponsive;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNRESPONSIVE]);
}

static void
disarm_deadline (BhHangMonitor *self)
{
  g_clear_handle_id (&self->deadline_id, g_source_remove);
  self->deadline_us = 0;
}

static gboolean
deadline_cb (gpointer data)
{
  BhHangMonitor *self = data;

  self->deadline_id = 0;
  self->deadline_us = 0;
  bh_hang_monitor_update (self);
  return G_SOURCE_REMOVE;
}

static gboolean
ping_timeout_cb (gpointer data)
{
  BhHangMonitor *self = data;

  self->ping_id = 0;
  send_ping (self);
  /* The Ping now in flight has a deadline. */
  bh_hang_monitor_update (self);
  return G_SOURCE_REMOVE;
}

/* Whether the renderer is worth watching now: Chromium only shows the hung
 * renderer dialog for what the user looks at or is typing into. */
static gboolean
is_watched (BhHangMonitor *self, guint *out_unacked, gint64 *out_oldest_us)
{
  return self->client->get_owed (self->owner, out_unacked, out_oldest_us);
}

void
bh_hang_monitor_pong (BhHangMonitor *self, gboolean ok)
{
  g_return_if_fail (BH_IS_HANG_MONITOR (self));

  self->ping_sent_us = 0;
  /* Not ok: the channel ended, and the host is about to record why. */
  if (self->stopped || !ok)
    return;
  bh_hang_monitor_update (self);
}

static void
send_ping (BhHangMonitor *self)
{
  if (self->stopped || self->ping_sent_us != 0)
    return;
  self->ping_sent_us = g_get_monotonic_time ();
  self->pings_sent++;
  /* The host sends it with no timeout of its own: the deadline below covers
   * it, and a renderer that answers late is responsive again. */
  self->client->ping (self->owner, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINGS_SENT]);
}

void
bh_hang_monitor_update (BhHangMonitor *self)
{
  guint unacked = 0;
  gint64 oldest_input_us = 0;
  gint64 oldest_us = 0;
  gint64 deadline_us;
  gint64 now_us;
  gboolean watched;

  g_return_if_fail (BH_IS_HANG_MONITOR (self));

  if (self->stopped)
    return;
  if (self->paused)
    {
      g_clear_handle_id (&self->ping_id, g_source_remove);
      disarm_deadline (self);
      set_unresponsive (self, FALSE);
      return;
    }
  watched = is_watched (self, &unacked, &oldest_input_us);

  /* Pings: the first at once, then one an interval after each Pong. */
  if (!watched)
    g_clear_handle_id (&self->ping_id, g_source_remove);
  else if (self->ping_id == 0)
    {
      if (self->ping_sent_us == 0 && self->pings_sent == 0)
        send_ping (self);
      else if (self->ping_sent_us == 0)
        self->ping_id = g_timeout_add (self->ping_interval_ms, ping_timeout_cb, self);
    }

  if (self->ping_sent_us != 0)
    oldest_us = self->ping_sent_us;
  if (unacked > 0 && (oldest_us == 0 || oldest_input_us < oldest_us))
    oldest_us = oldest_input_us;
  if (oldest_us == 0)
    {
      disarm_deadline (self);
      set_unresponsive (self, FALSE);
      return;
    }

  deadline_us = MAX (oldest_us, self->waited_us) + (gint64) self->timeout_ms * 1000;
  now_us = g_get_monotonic_time ();
  if (now_us >= deadline_us)
    {
      disarm_deadline (self);
      set_unresponsive (self, TRUE);
      return;
    }
  set_unresponsive (self, FALSE);
  if (self->deadline_us != deadline_us)
    {
      disarm_deadline (self);
      self->deadline_us = deadline_us;
      /* Rounded up: the timer never fires before the deadline. */
      self->deadline_id = g_timeout_add ((guint) ((deadline_us - now_us + 999) / 1000),
                                         deadline_cb, self);
    }
}

void
bh_hang_monitor_wait (BhHangMonitor *self)
{
  g_return_if_fail (BH_IS_HANG_MONITOR (self));

  if (self->stopped)
    return;
  self->waited_us = g_get_monotonic_time ();
  bh_hang_monitor_update (self);
}

void
bh_hang_monitor_set_paused (BhHangMonitor *self, gboolean paused)
{
  g_return_if_fail (BH_IS_HANG_MONITOR (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  if (paused)
    bh_hang_monitor_update (self);
  else
    bh_hang_monitor_wait (self);
}

void
bh_hang_monitor_stop (BhHangMonitor *self)
{
  g_return_if_fail (BH_IS_HANG_MONITOR (self));

  self->stopped = TRUE;
  disarm_deadline (self);
  g_clear_handle_id (&self->ping_id, g_source_remove);
}

gboolean
bh_hang_monitor_is_unresponsive (BhHangMonitor *self)
{
  g_return_val_if_fail (BH_IS_HANG_MONITOR (self), FALSE);
  return self->unresponsive;
}

guint
bh_hang_monitor_get_timeout_ms (BhHangMonitor *self)
{
  g_return_val_if_fail (BH_IS_HANG_MONITOR (self), 0);
  return self->timeout_ms;
}

guint
bh_hang_monitor_get_ping_interval_ms (BhHangMonitor *self)
{
  g_return_val_if_fail (BH_IS_HANG_MONITOR (self), 0);
  return self->ping_interval_ms;
}

guint64
bh_hang_monitor_get_pings_sent (BhHangMonitor *self)
{
  g_return_val_if_fail (BH_IS_HANG_MONITOR (self), 0);
  return self->pings_sent;
}

BhHangMonitor *
bh_hang_monitor_new (const BhHangMonitorClient *client, gpointer owner, guint timeout_ms)
{
  BhHangMonitor *self;

  g_return_val_if_fail (client != NULL && owner != NULL, NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);

  self = g_object_new (BH_TYPE_HANG_MONITOR, NULL);
  self->client = client;
  self->owner = owner;
  self->timeout_ms = timeout_ms;
  self->ping_interval_ms = CLAMP (timeout_ms / 2, MIN_PING_INTERVAL_MS, MAX_PING_INTERVAL_MS);
  return self;
}

static void
bh_hang_monitor_dispose (GObject *object)
{
  bh_hang_monitor_stop (BH_HANG_MONITOR (object));
  G_OBJECT_CLASS (bh_hang_monitor_parent_class)->dispose (object);
}

static void
bh_hang_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhHangMonitor *self = BH_HANG_MONITOR (object);

  switch (prop_id)
    {
    case PROP_UNRESPONSIVE:
      g_value_set_boolean (value, self->unresponsive);
      break;
    case PROP_PINGS_SENT:
      g_value_set_uint64 (value, self->pings_sent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_hang_monitor_class_init (BhHangMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_hang_monitor_dispose;
  object_class->get_property = bh_hang_monitor_get_property;

  properties[PROP_UNRESPONSIVE] = g_param_spec_boolean ("unresponsive", NULL, NULL, FALSE, flags);
  properties[PROP_PINGS_SENT] = g_param_spec_uint64 ("pings-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                                                     flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_hang_monitor_init (BhHangMonitor *self)
{
}
