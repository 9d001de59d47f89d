/* ipc-peer.c: a real second process for the IPC tests and the benchmark.
 *
 * ipc-peer --ipc-fd=N --mode=MODE
 *   echo     answer Echo with the same bytes, EchoFds with the same fds, Ping with Pong
 *   silent   answer nothing (request timeouts)
 *   raw      no framing: read a 4-byte length, then that many bytes, write them back
 *            (the benchmark's baseline)
 *   garbage  write bytes that are not a frame, then wait for the channel to close
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-trace.h"

static GMainLoop *loop;

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
    case BH_MSG_Echo:
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

int
main (int argc, char **argv)
{
  int fd = -1;
  g_autofree char *mode = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- IPC test peer");
  g_autoptr (GError) error = NULL;
  g_autoptr (BhChannel) channel = NULL;
  GOptionEntry entries[] = {
    { "ipc-fd", 0, 0, G_OPTION_ARG_INT, &fd, "channel fd", "N" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "echo, silent, raw or garbage", "MODE" },
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
  bh_channel_set_handlers (channel, echo_cb, error_cb, GINT_TO_POINTER (g_strcmp0 (mode, "silent") == 0));
  bh_channel_attach (channel, NULL);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  return 0;
}
