/* ipc-peer.c: a real second process for the IPC tests and the benchmark.
 *
 * ipc-peer --ipc-fd=N --mode=MODE
 *   echo     answer Echo with the same bytes, EchoFds with the same fds, Ping with Pong,
 *            Stop with DidStop; with --busy-us=N, work N µs on each Echo and answer it
 *            empty (a renderer busy painting); with --control-fd=M, a control lane on
 *            fd M with the same handler (bh_channel_set_urgent())
 *   silent   answer nothing (request timeouts)
 *   raw      no framing: read a 4-byte length, then that many bytes, write them back
 *            (the benchmark's baseline)
 *   raw-poll the same on a non-blocking fd, waiting in poll() whenever it would block
 *            (the floor for any event-loop channel)
 *   garbage  write bytes that are not a frame, then wait for the channel to close
 *
 * Data pipes (bh-data-pipe.h), offered or asked for with EchoFds (capacity;
 * memfd, signal socket):
 *   pipe-consumer       take the pipe it is sent and read it to the end in its
 *                       main loop, then send Echo "sha256=HEX bytes=N", or
 *                       "error=CODE MESSAGE" if the pipe failed
 *   pipe-slow-consumer  the same, 4 KiB per 2 ms
 *   pipe-stall          take the pipe and never read it
 *   pipe-producer       create a 64 KiB pipe, send it, write --bytes=N bytes
 *                       (byte i is i * 7 + 3), with --finish end it; then wait
 *   sink                the benchmark's consumer, without a main loop: see bench-ipc.c
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"
#include "bh-trace.h"

static GMainLoop *loop;
static char *mode;
static gint64 producer_bytes;
static gboolean producer_finish;
static char *transport;
static gint64 capacity_arg;
static gint busy_us;

/* ---- data pipes ---------------------------------------------------------- */

typedef struct {
  BhChannel *channel;
  BhDataPipe *pipe;
  GChecksum *checksum;
  guint64 bytes;
  gboolean slow;
  guint timer;
  gint64 written; /* producer */
} PipeRun;

static PipeRun pipe_run;

static void
send_text (BhChannel *channel, const char *text)
{
  bh_channel_send (channel, BH_MSG_Echo,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, text, strlen (text), 1), NULL, 0);
}

static gboolean consume_timer_cb (gpointer user_data);

static void
consume (PipeRun *run)
{
  guint8 buf[65536];
  gsize chunk = run->slow ? 4096 : sizeof buf;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_read (run->pipe, buf, chunk, &n, &error);

      if (r == BH_DATA_PIPE_OK)
        {
          g_checksum_update (run->checksum, buf, n);
          run->bytes += n;
          if (run->slow)
            {
              if (run->timer == 0)
                run->timer = g_timeout_add (2, consume_timer_cb, run);
              return;
            }
          continue;
        }
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return;
      {
        g_autofree char *text =
          r == BH_DATA_PIPE_DONE
            ? g_strdup_printf ("sha256=%s bytes=%" G_GUINT64_FORMAT, g_checksum_get_string (run->checksum), run->bytes)
            : g_strdup_printf ("error=%d %s", error->code, error->message);
        send_text (run->channel, text);
      }
      g_clear_pointer (&run->pipe, bh_data_pipe_free);
      g_clear_handle_id (&run->timer, g_source_remove);
      return;
    }
}

static gboolean
consume_timer_cb (gpointer user_data)
{
  PipeRun *run = user_data;

  run->timer = 0;
  consume (run);
  return G_SOURCE_REMOVE;
}

static void
consumer_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  PipeRun *run = user_data;

  /* A slow consumer reads on its own clock; the wake-up only restarts it. */
  if (run->timer == 0)
    consume (run);
}

static void
produce (PipeRun *run)
{
  guint8 buf[65536];

  while (run->written < producer_bytes)
    {
      g_autoptr (GError) error = NULL;
      gsize len = (gsize) MIN ((gint64) sizeof buf, producer_bytes - run->written);
      gsize n = 0;
      BhDataPipeResult r;

      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) ((run->written + (gint64) i) * 7 + 3);
      r = bh_data_pipe_write (run->pipe, buf, len, &n, &error);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return;
      if (r == BH_DATA_PIPE_FAILED)
        {
          g_printerr ("ipc-peer: %s\n", error->message);
          g_main_loop_quit (loop);
          return;
        }
      run->written += (gint64) n;
    }
  if (producer_finish)
    {
      bh_data_pipe_finish (run->pipe);
      producer_finish = FALSE;
    }
}

static void
producer_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  produce (user_data);
}

static void
start_producer (BhChannel *channel)
{
  g_autoptr (GError) error = NULL;
  int fds[2];

  pipe_run.channel = channel;
  pipe_run.pipe = bh_data_pipe_new (64 * 1024, fds, &error);
  g_assert_no_error (error);
  bh_channel_send (channel, BH_MSG_EchoFds, g_variant_new_uint32 (64 * 1024), fds, 2);
  /* Ours closed: the other end's only holder is then the consumer. */
  close (fds[0]);
  close (fds[1]);
  bh_data_pipe_set_callback (pipe_run.pipe, NULL, producer_pipe_cb, &pipe_run);
  produce (&pipe_run);
}

static void
pipe_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  g_autoptr (GError) error = NULL;
  int memfd, signal_fd;

  if (m->type != BH_MSG_EchoFds || pipe_run.pipe != NULL)
    return;
  memfd = bh_message_steal_fd (m, 0);
  signal_fd = bh_message_steal_fd (m, 1);
  pipe_run.channel = channel;
  pipe_run.checksum = g_checksum_new (G_CHECKSUM_SHA256);
  pipe_run.slow = g_strcmp0 (mode, "pipe-slow-consumer") == 0;
  pipe_run.pipe = bh_data_pipe_new_consumer (memfd, signal_fd, g_variant_get_uint32 (m->payload), &error);
  if (pipe_run.pipe == NULL)
    {
      g_autofree char *text = g_strdup_printf ("error=%d %s", error->code, error->message);
      send_text (channel, text);
      return;
    }
  if (g_strcmp0 (mode, "pipe-stall") == 0)
    return;
  bh_data_pipe_set_callback (pipe_run.pipe, NULL, consumer_pipe_cb, &pipe_run);
  consume (&pipe_run);
}

static void
echo_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  gboolean silent = GPOINTER_TO_INT (user_data);

  if (silent)
    return;
  switch (m->type)
    {
    case BH_MSG_Ping:
      bh_channel_reply (channel, m, BH_MSG_Pong, NULL, NULL, 0);
      break;
    case BH_MSG_Stop:
      bh_channel_reply (channel, m, BH_MSG_DidStop, g_variant_ref (m->payload), NULL, 0);
      break;
    case BH_MSG_Echo:
      if (busy_us > 0)
        {
          /* Busy, not asleep: as a renderer that lays out and paints. */
          gint64 until = g_get_monotonic_time () + busy_us;
          while (g_get_monotonic_time () < until)
            ;
          bh_channel_reply (channel, m, BH_MSG_Echo, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                            NULL, 0);
          break;
        }
      bh_channel_reply (channel, m, BH_MSG_Echo, g_variant_ref (m->payload), NULL, 0);
      break;
    case BH_MSG_EchoFds:
      bh_channel_reply (channel, m, BH_MSG_EchoFds, g_variant_ref (m->payload), m->fds, m->n_fds);
      break;
    default:
      break;
    }
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  g_main_loop_quit (loop);
}

static gboolean
read_full (int fd, void *buf, gsize len)
{
  guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = read (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gboolean
write_full (int fd, const void *buf, gsize len)
{
  const guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* The benchmark's consumer: fd 3 is the control socket, on which each transfer
 * starts with its size (8 bytes) and ends with our 8-byte acknowledgement; the
 * bytes come over fd 3 itself (socket), fd 4 (pipe), or the data pipe in fds 4
 * and 5 (datapipe: blocking loop; datapipe-loop: a GLib main loop). */
typedef struct {
  BhDataPipe *pipe;
  guint64 left;
  int control;
  GMainLoop *loop;
  guint8 *buf;
} SinkRun;

static void sink_pipe_cb (BhDataPipe *pipe, gpointer user_data);

static gboolean
sink_drain (SinkRun *run)
{
  while (run->left > 0)
    {
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_read (run->pipe, run->buf, MIN (run->left, 65536u), &n, NULL);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return FALSE;
      if (r != BH_DATA_PIPE_OK)
        exit (1);
      run->left -= n;
    }
  return TRUE;
}

static void
sink_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  SinkRun *run = user_data;

  if (sink_drain (run))
    g_main_loop_quit (run->loop);
}

static gboolean read_full (int fd, void *buf, gsize len);
static gboolean write_full (int fd, const void *buf, gsize len);

static int
run_sink (int control)
{
  g_autofree guint8 *buf = g_malloc (65536);
  SinkRun run = { .control = control, .buf = buf };
  gboolean datapipe = g_str_has_prefix (transport, "datapipe");
  gboolean use_loop = g_strcmp0 (transport, "datapipe-loop") == 0;
  int data_fd = g_strcmp0 (transport, "socket") == 0 ? control : 4;
  guint64 size;

  if (datapipe)
    {
      g_autoptr (GError) error = NULL;
      run.pipe = bh_data_pipe_new_consumer (4, 5, (gsize) capacity_arg, &error);
      if (run.pipe == NULL)
        {
          g_printerr ("ipc-peer: %s\n", error->message);
          return 1;
        }
      if (use_loop)
        {
          run.loop = g_main_loop_new (NULL, FALSE);
          bh_data_pipe_set_callback (run.pipe, NULL, sink_pipe_cb, &run);
        }
    }
  while (read_full (control, &size, 8))
    {
      if (!datapipe)
        {
          guint64 left = size;
          while (left > 0)
            {
              ssize_t n = read (data_fd, buf, MIN (left, 65536u));
              if (n < 0 && errno == EINTR)
                continue;
              if (n <= 0)
                return 1;
              left -= (guint64) n;
            }
        }
      else
        {
          run.left = size;
          if (!sink_drain (&run))
            {
              if (use_loop)
                g_main_loop_run (run.loop);
              else
                while (!sink_drain (&run))
                  bh_data_pipe_wait (run.pipe, -1);
            }
        }
      if (!write_full (control, &size, 8))
        return 1;
    }
  bh_data_pipe_free (run.pipe);
  g_clear_pointer (&run.loop, g_main_loop_unref);
  return 0;
}

static int
run_raw (int fd)
{
  g_autofree guint8 *buf = g_malloc (BH_MAX_PAYLOAD_BYTES + 4);
  guint32 len;

  while (read_full (fd, &len, 4) && len <= BH_MAX_PAYLOAD_BYTES && read_full (fd, buf, len))
    if (!write_full (fd, &len, 4) || !write_full (fd, buf, len))
      break;
  return 0;
}

/* As read_full/write_full on a non-blocking fd, waiting in poll(). */
static gboolean
poll_io (int fd, void *buf, gsize len, gboolean writing)
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
      return FALSE;
    }
  return TRUE;
}

static int
run_raw_poll (int fd)
{
  g_autofree guint8 *buf = g_malloc (BH_MAX_PAYLOAD_BYTES + 4);
  guint32 len;

  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);
  while (poll_io (fd, &len, 4, FALSE) && len <= BH_MAX_PAYLOAD_BYTES && poll_io (fd, buf, len, FALSE))
    if (!poll_io (fd, &len, 4, TRUE) || !poll_io (fd, buf, len, TRUE))
      break;
  return 0;
}

int
main (int argc, char **argv)
{
  int fd = -1;
  int control_fd = -1;
  g_autoptr (BhChannel) control = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- IPC test peer");
  g_autoptr (GError) error = NULL;
  g_autoptr (BhChannel) channel = NULL;
  GOptionEntry entries[] = {
    { "ipc-fd", 0, 0, G_OPTION_ARG_INT, &fd, "channel fd", "N" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "echo, silent, raw, garbage, pipe-*, sink", "MODE" },
    { "bytes", 0, 0, G_OPTION_ARG_INT64, &producer_bytes, "pipe-producer: bytes to write", "N" },
    { "finish", 0, 0, G_OPTION_ARG_NONE, &producer_finish, "pipe-producer: end the data", NULL },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &transport, "sink: socket, pipe, datapipe, datapipe-loop", "T" },
    { "capacity", 0, 0, G_OPTION_ARG_INT64, &capacity_arg, "sink: the data pipe's capacity", "BYTES" },
    { "busy-us", 0, 0, G_OPTION_ARG_INT, &busy_us, "echo: work this long on each Echo", "US" },
    { "control-fd", 0, 0, G_OPTION_ARG_INT, &control_fd, "echo: a control lane", "M" },
    { NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || fd < 0)
    {
      g_printerr ("ipc-peer: %s\n", error ? error->message : "--ipc-fd is required");
      return 2;
    }
  if (g_strcmp0 (mode, "raw") == 0)
    return run_raw (fd);
  if (g_strcmp0 (mode, "raw-poll") == 0)
    return run_raw_poll (fd);
  if (g_strcmp0 (mode, "sink") == 0)
    return run_sink (fd);
  if (g_strcmp0 (mode, "garbage") == 0)
    {
      char junk[4096];
      memset (junk, 'Z', sizeof junk);
      write_full (fd, junk, sizeof junk);
      /* Stay until the other side hangs up on us. */
      while (read (fd, junk, sizeof junk) > 0)
        ;
      return 0;
    }

  bh_trace_set_local ("peer", getpid ());
  loop = g_main_loop_new (NULL, FALSE);
  channel = bh_channel_new (fd, BH_BOTH);
  if (g_str_has_prefix (mode, "pipe-"))
    bh_channel_set_handlers (channel, pipe_message_cb, error_cb, NULL);
  else
    bh_channel_set_handlers (channel, echo_cb, error_cb, GINT_TO_POINTER (g_strcmp0 (mode, "silent") == 0));
  bh_channel_attach (channel, NULL);
  if (control_fd >= 0)
    {
      control = bh_channel_new (control_fd, BH_BOTH);
      bh_channel_set_handlers (control, echo_cb, error_cb, NULL);
      bh_channel_set_priority (control, G_PRIORITY_HIGH);
      bh_channel_attach (control, NULL);
      bh_channel_set_urgent (channel, control);
    }
  if (g_strcmp0 (mode, "pipe-producer") == 0)
    start_producer (channel);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  bh_data_pipe_free (pipe_run.pipe);
  if (pipe_run.checksum)
    g_checksum_free (pipe_run.checksum);
  g_free (mode);
  g_free (transport);
  return 0;
}
