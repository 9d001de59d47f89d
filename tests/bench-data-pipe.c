/* bench-data-pipe: throughput of a body streamed to another process, through
 * the data pipe (common/bh-data-pipe.c) against a socketpair and a pipe(2).
 *
 *   build/tests/bench-data-pipe [--cross-core] [--capacity=BYTES] [--runs=N]
 *
 * The consumer is tests/ipc-peer --mode=sink, a second process. Each transfer
 * starts with its size on a control socket and ends when the consumer has read
 * every byte and answered on it; the producer writes 64 KiB at a time (what lws
 * hands the fetcher). Four transports, each in its own peer process:
 *
 *   socket         the bytes over the control socketpair itself (AF_UNIX SOCK_STREAM)
 *   pipe           a pipe(2) (64 KiB of kernel buffer by default)
 *   datapipe       the data pipe, both sides in a blocking loop (bh_data_pipe_wait)
 *   datapipe-loop  the data pipe, both sides in a GLib main loop, as the browser
 *                  and the renderer use it
 *
 * One line per body size, MB/s (10^6 bytes per second), best of --runs
 * alternating runs:
 *
 *   body=65536 socket=1234 pipe=1100 datapipe=2100 datapipe-loop=1900
 *
 * Both processes share CPU 0 by default (as bench-ipc); --cross-core puts the
 * consumer on CPU 1. Figures: docs/performance.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-data-pipe.h"

#define CHUNK_BYTES 65536u

static gboolean cross_core = FALSE;
static gint64 capacity = BH_DATA_PIPE_DEFAULT_CAPACITY_BYTES;
static int runs = 3;

static const char *const transports[] = { "socket", "pipe", "datapipe", "datapipe-loop" };

static void
pin_peer_cb (gpointer data)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cross_core ? 1 : 0, &set);
  sched_setaffinity (0, sizeof set, &set);
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
        g_error ("%s: %s", writing ? "write" : "read", n == 0 ? "EOF" : g_strerror (errno));
      p += n;
      len -= (gsize) n;
    }
}

typedef struct {
  const char *transport;
  GPid pid;
  int control;
  int data_fd;      /* pipe: the write end */
  BhDataPipe *pipe; /* datapipe */
  GMainLoop *loop;
  const guint8 *body;
  gsize size;
  gsize written;
} Peer;

static void
peer_start (Peer *peer, const char *transport)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);
  g_autofree char *path = g_build_filename (dir, "ipc-peer", NULL);
  g_autofree char *transport_arg = g_strdup_printf ("--transport=%s", transport);
  g_autofree char *capacity_arg = g_strdup_printf ("--capacity=%" G_GINT64_FORMAT, capacity);
  const char *argv[] = { path, "--ipc-fd=3", "--mode=sink", transport_arg, capacity_arg, NULL };
  g_autoptr (GError) error = NULL;
  int sv[2], source_fds[3], target_fds[3] = { 3, 4, 5 };
  guint n_fds = 1;
  int close_after[2] = { -1, -1 };

  memset (peer, 0, sizeof *peer);
  peer->transport = transport;
  peer->data_fd = -1;
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    g_error ("socketpair: %s", g_strerror (errno));
  peer->control = sv[0];
  source_fds[0] = sv[1];
  if (g_str_equal (transport, "pipe"))
    {
      int p[2];
      if (pipe2 (p, O_CLOEXEC) < 0)
        g_error ("pipe2: %s", g_strerror (errno));
      peer->data_fd = p[1];
      source_fds[n_fds++] = close_after[0] = p[0];
    }
  else if (g_str_has_prefix (transport, "datapipe"))
    {
      int fds[2];
      peer->pipe = bh_data_pipe_new ((gsize) capacity, fds, &error);
      if (peer->pipe == NULL)
        g_error ("%s", error->message);
      source_fds[n_fds++] = close_after[0] = fds[0];
      source_fds[n_fds++] = close_after[1] = fds[1];
      if (g_str_equal (transport, "datapipe-loop"))
        peer->loop = g_main_loop_new (NULL, FALSE);
    }
  if (!g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, pin_peer_cb, NULL, -1, -1, -1,
                                         source_fds, target_fds, n_fds, &peer->pid, NULL, NULL, NULL, &error))
    g_error ("cannot start %s: %s", path, error->message);
  close (sv[1]);
  for (guint i = 0; i < 2; i++)
    if (close_after[i] >= 0)
      close (close_after[i]);
}

static void
peer_stop (Peer *peer)
{
  int status;

  close (peer->control);
  if (peer->data_fd >= 0)
    close (peer->data_fd);
  g_clear_pointer (&peer->pipe, bh_data_pipe_free);
  g_clear_pointer (&peer->loop, g_main_loop_unref);
  while (waitpid (peer->pid, &status, 0) < 0 && errno == EINTR)
    ;
}

/* Writes what the ring takes; TRUE once the whole body is in. */
static gboolean
pipe_fill (Peer *peer)
{
  while (peer->written < peer->size)
    {
      g_autoptr (GError) error = NULL;
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_write (peer->pipe, peer->body + peer->written,
                                               MIN (CHUNK_BYTES, peer->size - peer->written), &n, &error);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return FALSE;
      if (r != BH_DATA_PIPE_OK)
        g_error ("data pipe: %s", error->message);
      peer->written += n;
    }
  return TRUE;
}

static void
pipe_space_cb (BhDataPipe *pipe, gpointer user_data)
{
  Peer *peer = user_data;

  if (pipe_fill (peer))
    g_main_loop_quit (peer->loop);
}

/* One transfer of @size bytes, in seconds. */
static double
transfer (Peer *peer, const guint8 *body, gsize size)
{
  guint64 size64 = size, ack = 0;
  gint64 start = g_get_monotonic_time ();

  io_full (TRUE, peer->control, &size64, 8);
  if (peer->pipe == NULL)
    {
      int fd = peer->data_fd >= 0 ? peer->data_fd : peer->control;
      for (gsize off = 0; off < size; off += CHUNK_BYTES)
        io_full (TRUE, fd, (guint8 *) body + off, MIN (CHUNK_BYTES, size - off));
    }
  else
    {
      peer->body = body;
      peer->size = size;
      peer->written = 0;
      if (peer->loop)
        {
          bh_data_pipe_set_callback (peer->pipe, NULL, pipe_space_cb, peer);
          if (!pipe_fill (peer))
            g_main_loop_run (peer->loop);
          bh_data_pipe_set_callback (peer->pipe, NULL, NULL, NULL);
        }
      else
        while (!pipe_fill (peer))
          bh_data_pipe_wait (peer->pipe, -1);
    }
  io_full (FALSE, peer->control, &ack, 8);
  if (ack != size64)
    g_error ("the consumer acknowledged %" G_GUINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes", ack, size);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* MB/s over enough transfers to move 64 MiB (at least 4), after one warm-up. */
static double
measure (const char *transport, const guint8 *body, gsize size)
{
  Peer peer;
  guint n = MAX (4u, (guint) ((64u << 20) / size));
  double seconds = 0;

  peer_start (&peer, transport);
  transfer (&peer, body, size);
  for (guint i = 0; i < n; i++)
    seconds += transfer (&peer, body, size);
  peer_stop (&peer);
  return (double) size * n / seconds / 1e6;
}

int
main (int argc, char **argv)
{
  static const gsize sizes[] = { 64u << 10, 256u << 10, 1u << 20, 4u << 20, 16u << 20 };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- data pipe throughput against a socketpair and a pipe");
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *body = NULL;
  GOptionEntry entries[] = {
    { "cross-core", 0, 0, G_OPTION_ARG_NONE, &cross_core, "Run the consumer on CPU 1", NULL },
    { "capacity", 0, 0, G_OPTION_ARG_INT64, &capacity, "The data pipe's ring, bytes", "BYTES" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Keep the best of N runs", "N" },
    { NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("bench-data-pipe: %s\n", error->message);
      return 2;
    }
  {
    cpu_set_t set;
    CPU_ZERO (&set);
    CPU_SET (0, &set);
    sched_setaffinity (0, sizeof set, &set);
  }
  body = g_malloc (sizes[G_N_ELEMENTS (sizes) - 1]);
  for (gsize i = 0; i < sizes[G_N_ELEMENTS (sizes) - 1]; i++)
    body[i] = (guint8) (i * 7 + 3);

  g_print ("# MB/s, best of %d; ring %" G_GINT64_FORMAT " bytes; %s\n", runs, capacity,
           cross_core ? "consumer on CPU 1" : "both on CPU 0");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      double best[G_N_ELEMENTS (transports)] = { 0 };

      /* Alternate the transports, so that a burst of other load on this
       * 2-core machine does not favour one. */
      for (int run = 0; run < runs; run++)
        for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
          best[t] = MAX (best[t], measure (transports[t], body, sizes[i]));
      g_print ("body=%" G_GSIZE_FORMAT, sizes[i]);
      for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
        g_print (" %s=%.0f", transports[t], best[t]);
      g_print ("\n");
    }
  return 0;
}
