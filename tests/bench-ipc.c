/* bench-ipc: request/reply round trips through BhChannel against a raw socketpair.
 *
 *   build/tests/bench-ipc [--iterations-scale=F]
 *
 * Every run uses two real processes (this one and tests/ipc-peer, or this
 * program started again as the peer). The channel run has a GLib main loop on
 * both sides, framing, GVariant checks and fds machinery; the raw run is a
 * blocking write/read loop with a 4-byte length, the least any IPC can do; the
 * poll run is the same on non-blocking fds, waiting in poll() whenever a call
 * would block (the floor for any event-loop channel). One line per payload size:
 *
 *   rtt size=64 channel_us=12.3 raw_us=10.1 ratio=1.22
 *
 * Then, for 64-byte round trips, the others in the same run, each as a ratio
 * to the raw loop: the raw poll() loop, the channel with a trace sink that
 * formats nothing (what switching tracing on costs; off, it is one branch),
 * ZeroMQ REQ/REP over ipc:// and GDBus peer-to-peer over a socketpair (both
 * linked into this benchmark only):
 *
 *   rtt64 raw_us=10.1 poll_us=11.0 (1.09) channel_us=12.3 (1.22) traced_us=12.9 (1.28)
 *         zeromq_us=40.2 (3.98) gdbus_us=171.0 (16.93)
 *
 * Then a Stop's latency while the peer works through a full data lane (100
 * frames of 64 KiB queued, 0.5 ms of work each), sent on the data lane behind
 * them and on the control lane (bh_channel_set_urgent()):
 *
 *   stop frames=100 data_lane_ms=61.2 control_lane_ms=0.9
 *
 * Both processes are pinned to one CPU (the child inherits the mask): on a
 * 2-vCPU VM, whether the two land on the same core or not changes a round
 * trip by 5x (../shared/design-notes.md), which would swamp the comparison.
 * --cross-core pins the peer to another CPU instead.
 *
 * Figures and how to read them: docs/performance.md.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <poll.h>
#ifdef BH_BENCH_ZEROMQ
#include <zmq.h>
#endif

#include "bh-channel.h"
#include "bh-trace.h"

static double iterations_scale = 1.0;
static gboolean cross_core = FALSE;

static void
pin_peer_cb (gpointer data)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (1, &set);
  sched_setaffinity (0, sizeof set, &set);
}

static char *
peer_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);

  return g_build_filename (dir, "ipc-peer", NULL);
}

static GPid
spawn_peer (const char *mode, int *out_fd)
{
  g_autofree char *peer = peer_path ();
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", mode);
  const char *argv[] = { peer, "--ipc-fd=3", mode_arg, NULL };
  g_autoptr (GError) error = NULL;
  int sv[2];
  int target_fds[1] = { 3 };
  GPid pid = 0;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    g_error ("socketpair: %s", g_strerror (errno));
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                         cross_core ? pin_peer_cb : NULL, NULL, -1, -1, -1,
                                         &sv[1], target_fds, 1, &pid, NULL, NULL, NULL, &error))
    g_error ("cannot start %s: %s", peer, error->message);
  close (sv[1]);
  *out_fd = sv[0];
  return pid;
}

static void
reap (GPid pid)
{
  int status;

  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
}

typedef struct {
  BhChannel *channel;
  GMainLoop *loop;
  GBytes *payload;
  guint remaining;
} ChannelRun;

static void send_one (ChannelRun *run);

static void
reply_cb (BhChannel *channel, BhMessage *reply, const GError *error, gpointer user_data)
{
  ChannelRun *run = user_data;

  if (reply == NULL)
    g_error ("echo failed: %s", error->message);
  bh_message_free (reply);
  if (--run->remaining == 0)
    g_main_loop_quit (run->loop);
  else
    send_one (run);
}

static void
send_one (ChannelRun *run)
{
  GVariant *v = g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, run->payload, TRUE);

  bh_channel_call (run->channel, BH_MSG_Echo, v, NULL, 0, 0, reply_cb, run);
}

/* Mean round trip in microseconds, after a warm-up. */
static double
measure_channel (gsize size, guint iterations)
{
  int fd;
  GPid pid = spawn_peer ("echo", &fd);
  g_autofree guint8 *data = g_malloc0 (size);
  ChannelRun run = { bh_channel_new (fd, BH_BOTH), g_main_loop_new (NULL, FALSE), g_bytes_new (data, size), 0 };
  gint64 start;
  double us;

  bh_channel_attach (run.channel, NULL);
  run.remaining = MAX (10u, iterations / 10);
  send_one (&run);
  g_main_loop_run (run.loop);

  run.remaining = iterations;
  start = g_get_monotonic_time ();
  send_one (&run);
  g_main_loop_run (run.loop);
  us = (g_get_monotonic_time () - start) / (double) iterations;

  bh_channel_close (run.channel);
  bh_channel_unref (run.channel);
  g_main_loop_unref (run.loop);
  g_bytes_unref (run.payload);
  reap (pid);
  return us;
}

static void
io_full (gboolean writing, int fd, void *buf, gsize len)
{
  guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = writing ? write (fd, p, len) : read (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("raw %s: %s", writing ? "write" : "read", n == 0 ? "EOF" : g_strerror (errno));
      p += n;
      len -= (gsize) n;
    }
}

static double
measure_raw (gsize size, guint iterations)
{
  int fd;
  GPid pid = spawn_peer ("raw", &fd);
  g_autofree guint8 *data = g_malloc0 (size);
  guint32 len = (guint32) size;
  gint64 start = 0;
  double us;

  for (guint i = 0; i < iterations + MAX (10u, iterations / 10); i++)
    {
      guint32 back;
      if (i == MAX (10u, iterations / 10))
        start = g_get_monotonic_time ();
      io_full (TRUE, fd, &len, 4);
      io_full (TRUE, fd, data, size);
      io_full (FALSE, fd, &back, 4);
      io_full (FALSE, fd, data, back);
    }
  us = (g_get_monotonic_time () - start) / (double) iterations;
  close (fd);
  reap (pid);
  return us;
}

/* ---- the raw loop on non-blocking fds, waiting in poll() -------------------- */

static void
poll_io (gboolean writing, int fd, void *buf, gsize len)
{
  guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = writing ? write (fd, p, len) : read (fd, p, len);

      if (n > 0)
        {
          p += n;
          len -= (gsize) n;
          continue;
        }
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
          struct pollfd pfd = { .fd = fd, .events = writing ? POLLOUT : POLLIN };
          poll (&pfd, 1, -1);
          continue;
        }
      g_error ("poll %s: %s", writing ? "write" : "read", n == 0 ? "EOF" : g_strerror (errno));
    }
}

static double
measure_poll (gsize size, guint iterations)
{
  int fd;
  GPid pid = spawn_peer ("raw-poll", &fd);
  g_autofree guint8 *data = g_malloc0 (size);
  guint32 len = (guint32) size;
  guint warm = MAX (10u, iterations / 10);
  gint64 start = 0;
  double us;

  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);
  for (guint i = 0; i < iterations + warm; i++)
    {
      guint32 back;
      if (i == warm)
        start = g_get_monotonic_time ();
      poll_io (TRUE, fd, &len, 4);
      poll_io (TRUE, fd, data, size);
      poll_io (FALSE, fd, &back, 4);
      poll_io (FALSE, fd, data, back);
    }
  us = (g_get_monotonic_time () - start) / (double) iterations;
  close (fd);
  reap (pid);
  return us;
}

/* ---- the channel, traced by a sink that does nothing ------------------------ */

static void
null_sink (const BhTraceEvent *event, gpointer user_data)
{
}

static double
measure_channel_traced (gsize size, guint iterations)
{
  guint sink = bh_trace_add_sink (null_sink, NULL);
  double us = measure_channel (size, iterations);

  bh_trace_remove_sink (sink);
  return us;
}

/* ---- this program again, as a ZeroMQ or GDBus peer -------------------------- */

static GPid
spawn_self_peer (const char *peer, const char *arg, int fd)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *peer_arg = g_strdup_printf ("--peer=%s", peer);
  const char *argv[] = { self, peer_arg, arg, NULL };
  g_autoptr (GError) error = NULL;
  int target_fds[1] = { 3 };
  GPid pid = 0;

  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                         cross_core ? pin_peer_cb : NULL, NULL, -1, -1, -1, fd >= 0 ? &fd : NULL,
                                         fd >= 0 ? target_fds : NULL, fd >= 0 ? 1 : 0, &pid, NULL, NULL, NULL,
                                         &error))
    g_error ("cannot start %s as a peer: %s", self, error->message);
  return pid;
}

#ifdef BH_BENCH_ZEROMQ
static int
run_zmq_peer (const char *endpoint)
{
  void *context = zmq_ctx_new ();
  void *rep = zmq_socket (context, ZMQ_REP);
  static guint8 buf[BH_MAX_PAYLOAD_BYTES];

  if (zmq_bind (rep, endpoint) != 0)
    g_error ("zmq_bind %s: %s", endpoint, zmq_strerror (zmq_errno ()));
  for (;;)
    {
      int n = zmq_recv (rep, buf, sizeof buf, 0);
      if (n < 0 || n == 0)
        break;
      zmq_send (rep, buf, (size_t) n, 0);
    }
  zmq_close (rep);
  zmq_ctx_term (context);
  return 0;
}

static double
measure_zmq (gsize size, guint iterations)
{
  g_autofree char *path = g_strdup_printf ("%s/bench-ipc-%d.zmq", g_get_tmp_dir (), (int) getpid ());
  g_autofree char *endpoint = g_strdup_printf ("ipc://%s", path);
  g_autofree char *endpoint_arg = g_strdup_printf ("--endpoint=%s", endpoint);
  GPid pid = spawn_self_peer ("zmq", endpoint_arg, -1);
  void *context = zmq_ctx_new ();
  void *req = zmq_socket (context, ZMQ_REQ);
  g_autofree guint8 *data = g_malloc0 (size);
  g_autofree guint8 *back = g_malloc0 (size);
  guint warm = MAX (10u, iterations / 10);
  gint64 start = 0;
  double us;

  /* ZeroMQ connects in the background and retries until the peer has bound. */
  if (zmq_connect (req, endpoint) != 0)
    g_error ("zmq_connect: %s", zmq_strerror (zmq_errno ()));
  for (guint i = 0; i < iterations + warm; i++)
    {
      if (i == warm)
        start = g_get_monotonic_time ();
      if (zmq_send (req, data, size, 0) < 0 || zmq_recv (req, back, size, 0) < 0)
        g_error ("zmq: %s", zmq_strerror (zmq_errno ()));
    }
  us = (g_get_monotonic_time () - start) / (double) iterations;
  /* An empty message tells the peer to stop. */
  zmq_send (req, "", 0, 0);
  zmq_close (req);
  zmq_ctx_term (context);
  reap (pid);
  unlink (path);
  return us;
}

#endif

static const char gdbus_xml[] = "<node><interface name='org.bulkhead.Bench'>"
                                "<method name='Echo'><arg type='ay' direction='in'/>"
                                "<arg type='ay' direction='out'/></method></interface></node>";

static void
gdbus_method_cb (GDBusConnection *connection, const char *sender, const char *path, const char *interface,
                 const char *method, GVariant *parameters, GDBusMethodInvocation *invocation, gpointer user_data)
{
  g_dbus_method_invocation_return_value (invocation, g_variant_ref (parameters));
}

static void
gdbus_closed_cb (GDBusConnection *connection, gboolean remote_peer_vanished, GError *error, gpointer loop)
{
  g_main_loop_quit (loop);
}

static GDBusConnection *
gdbus_connection_on_fd (int fd, gboolean server)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);
  g_autoptr (GSocketConnection) stream = NULL;
  g_autofree char *guid = server ? g_dbus_generate_guid () : NULL;
  GDBusConnection *connection;

  if (socket == NULL)
    g_error ("GSocket: %s", error->message);
  stream = g_socket_connection_factory_create_connection (socket);
  connection = g_dbus_connection_new_sync (G_IO_STREAM (stream), guid,
                                           server ? G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER
                                                  : G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                           NULL, NULL, &error);
  if (connection == NULL)
    g_error ("GDBus peer-to-peer: %s", error->message);
  return connection;
}

static int
run_gdbus_peer (int fd)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (gdbus_xml, NULL);
  GDBusInterfaceVTable vtable = { gdbus_method_cb, NULL, NULL, { 0 } };
  g_autoptr (GDBusConnection) connection = gdbus_connection_on_fd (fd, TRUE);

  g_dbus_connection_register_object (connection, "/org/bulkhead/Bench", info->interfaces[0], &vtable, NULL, NULL,
                                     NULL);
  g_signal_connect (connection, "closed", G_CALLBACK (gdbus_closed_cb), loop);
  g_main_loop_run (loop);
  return 0;
}

static double
measure_gdbus (gsize size, guint iterations)
{
  int sv[2];
  GPid pid;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autofree guint8 *data = g_malloc0 (size);
  guint warm = MAX (10u, iterations / 10);
  gint64 start = 0;
  double us;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    g_error ("socketpair: %s", g_strerror (errno));
  pid = spawn_self_peer ("gdbus", "--fd=3", sv[1]);
  close (sv[1]);
  connection = gdbus_connection_on_fd (sv[0], FALSE);
  for (guint i = 0; i < iterations + warm; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) reply = NULL;

      if (i == warm)
        start = g_get_monotonic_time ();
      reply = g_dbus_connection_call_sync (connection, NULL, "/org/bulkhead/Bench", "org.bulkhead.Bench", "Echo",
                                           g_variant_new ("(@ay)", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                                               data, size, 1)),
                                           G_VARIANT_TYPE ("(ay)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      if (reply == NULL)
        g_error ("GDBus Echo: %s", error->message);
    }
  us = (g_get_monotonic_time () - start) / (double) iterations;
  g_dbus_connection_close_sync (connection, NULL, NULL);
  reap (pid);
  return us;
}

typedef struct {
  gboolean stopped;
  gint64 stopped_us;
  guint echoes;
} StopRun;

static void
stop_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  StopRun *run = user_data;

  if (message->type == BH_MSG_Echo)
    run->echoes++;
  bh_message_free (message);
}

static void
stop_reply_cb (BhChannel *channel, BhMessage *reply, const GError *error, gpointer user_data)
{
  StopRun *run = user_data;

  if (reply == NULL)
    g_error ("Stop failed: %s", error->message);
  run->stopped = TRUE;
  run->stopped_us = g_get_monotonic_time ();
  bh_message_free (reply);
}

static void
ignore_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
}

/* Milliseconds from sending Stop to its DidStop while @frames frames of 64 KiB
 * wait on the data lane, each costing the peer @busy_us of work. */
static double
measure_stop (gboolean control_lane, guint frames, guint busy_us)
{
  g_autofree char *peer = peer_path ();
  g_autofree char *busy = g_strdup_printf ("--busy-us=%u", busy_us);
  const char *argv[] = { peer, "--ipc-fd=3", "--mode=echo", busy, "--control-fd=4", NULL };
  g_autoptr (GError) error = NULL;
  int data_fd[2], control_fd[2];
  int source_fds[2], target_fds[2] = { 3, 4 };
  g_autofree guint8 *frame = g_malloc0 (64 * 1024);
  StopRun run = { 0 };
  BhChannel *data, *control;
  gint64 start;
  GPid pid;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, data_fd) < 0 ||
      socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control_fd) < 0)
    g_error ("socketpair: %s", g_strerror (errno));
  source_fds[0] = data_fd[1];
  source_fds[1] = control_fd[1];
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                         cross_core ? pin_peer_cb : NULL, NULL, -1, -1, -1, source_fds, target_fds,
                                         2, &pid, NULL, NULL, NULL, &error))
    g_error ("cannot start %s: %s", peer, error->message);
  close (data_fd[1]);
  close (control_fd[1]);
  data = bh_channel_new (data_fd[0], BH_BOTH);
  control = bh_channel_new (control_fd[0], BH_BOTH);
  bh_channel_set_handlers (data, stop_message_cb, ignore_error_cb, &run);
  bh_channel_set_handlers (control, stop_message_cb, ignore_error_cb, &run);
  bh_channel_attach (data, NULL);
  bh_channel_attach (control, NULL);

  for (guint i = 0; i < frames; i++)
    bh_channel_send (data, BH_MSG_Echo, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, frame, 64 * 1024, 1), NULL,
                     0);
  start = g_get_monotonic_time ();
  bh_channel_call (control_lane ? control : data, BH_MSG_Stop, g_variant_new ("(u)", 1), NULL, 0, 0, stop_reply_cb,
                   &run);
  while (!run.stopped || run.echoes < frames)
    g_main_context_iteration (NULL, TRUE);

  bh_channel_close (data);
  bh_channel_close (control);
  bh_channel_unref (data);
  bh_channel_unref (control);
  reap (pid);
  return (run.stopped_us - start) / 1000.0;
}

int
main (int argc, char **argv)
{
  static const gsize sizes[] = { 64, 4096, 65536 };
  static const guint iterations[] = { 20000, 10000, 2000 };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- IPC round-trip benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *endpoint = NULL;
  int peer_fd = -1;
  GOptionEntry entries[] = {
    { "iterations-scale", 0, 0, G_OPTION_ARG_DOUBLE, &iterations_scale, "Multiply the iteration counts", "F" },
    { "peer", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &peer, "Run as the zmq or gdbus peer", "KIND" },
    { "endpoint", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &endpoint, "The zmq peer's endpoint", "URL" },
    { "fd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &peer_fd, "The gdbus peer's socket", "N" },
    { "cross-core", 0, 0, G_OPTION_ARG_NONE, &cross_core, "Run the peer on another CPU", NULL },
    { NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("bench-ipc: %s\n", error->message);
      return 2;
    }
#ifdef BH_BENCH_ZEROMQ
  if (g_strcmp0 (peer, "zmq") == 0)
    return run_zmq_peer (endpoint);
#endif
  if (g_strcmp0 (peer, "gdbus") == 0)
    return run_gdbus_peer (peer_fd);
  {
    cpu_set_t set;
    CPU_ZERO (&set);
    CPU_SET (0, &set);
    sched_setaffinity (0, sizeof set, &set);
  }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint n = MAX (100u, (guint) (iterations[i] * iterations_scale));
      double raw = G_MAXDOUBLE, channel = G_MAXDOUBLE;

      /* Alternate the two and keep the best of three runs each, so a burst of
       * other load on this 2-core machine does not favour one side. */
      for (guint run = 0; run < 3; run++)
        {
          raw = MIN (raw, measure_raw (sizes[i], n));
          channel = MIN (channel, measure_channel (sizes[i], n));
        }
      g_print ("rtt size=%" G_GSIZE_FORMAT " channel_us=%.1f raw_us=%.1f ratio=%.2f\n", sizes[i], channel, raw,
               channel / raw);
    }
  {
    guint n = MAX (100u, (guint) (20000 * iterations_scale));
    double raw = G_MAXDOUBLE, polled = G_MAXDOUBLE, channel = G_MAXDOUBLE, traced = G_MAXDOUBLE;
    double zeromq = G_MAXDOUBLE, gdbus = G_MAXDOUBLE;

    for (guint run = 0; run < 3; run++)
      {
        raw = MIN (raw, measure_raw (64, n));
        polled = MIN (polled, measure_poll (64, n));
        channel = MIN (channel, measure_channel (64, n));
        traced = MIN (traced, measure_channel_traced (64, n));
#ifdef BH_BENCH_ZEROMQ
        zeromq = MIN (zeromq, measure_zmq (64, n));
#endif
        gdbus = MIN (gdbus, measure_gdbus (64, MAX (100u, n / 4)));
      }
    g_print ("rtt64 raw_us=%.1f poll_us=%.1f (%.2f) channel_us=%.1f (%.2f) traced_us=%.1f (%.2f) ", raw, polled,
             polled / raw, channel, channel / raw, traced, traced / raw);
    if (zeromq < G_MAXDOUBLE)
      g_print ("zeromq_us=%.1f (%.2f) ", zeromq, zeromq / raw);
    else
      g_print ("zeromq_us=none (built without libzmq) ");
    g_print ("gdbus_us=%.1f (%.2f)\n", gdbus, gdbus / raw);
  }
  {
    double on_data = G_MAXDOUBLE, on_control = G_MAXDOUBLE;

    for (guint run = 0; run < 3; run++)
      {
        on_data = MIN (on_data, measure_stop (FALSE, 100, 500));
        on_control = MIN (on_control, measure_stop (TRUE, 100, 500));
      }
    g_print ("stop frames=100 frame_bytes=65536 work_us=500 data_lane_ms=%.1f control_lane_ms=%.1f ratio=%.0f\n",
             on_data, on_control, on_data / on_control);
  }
  return 0;
}
