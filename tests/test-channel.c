/* test-channel.c: two channel ends on real sockets, in one process and across two. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-frame.h"
#include "bh-shm.h"

static guint
count_open_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  struct dirent *e;
  guint n = 0;

  while ((e = readdir (d)))
    if (e->d_name[0] != '.')
      n++;
  closedir (d);
  return n - 1; /* the directory's own fd */
}

/* What one end saw, for the assertions. */
typedef struct {
  GPtrArray *messages; /* BhMessage */
  GError *error;
  guint expected;
  GMainLoop *loop;
} Sink;

static void
sink_init (Sink *s, guint expected)
{
  memset (s, 0, sizeof *s);
  s->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_message_free);
  s->expected = expected;
  s->loop = g_main_loop_new (NULL, FALSE);
}

static void
sink_clear (Sink *s)
{
  g_ptr_array_unref (s->messages);
  g_clear_error (&s->error);
  g_main_loop_unref (s->loop);
}

static void
sink_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  Sink *s = user_data;

  g_ptr_array_add (s->messages, message);
  if (s->messages->len == s->expected)
    g_main_loop_quit (s->loop);
}

static void
sink_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  Sink *s = user_data;

  g_assert_null (s->error);
  s->error = g_error_copy (error);
  g_main_loop_quit (s->loop);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("test timed out");
  return G_SOURCE_REMOVE;
}

static void
run_until_quit (Sink *s)
{
  guint id = g_timeout_add_seconds (20, timeout_cb, NULL);

  g_main_loop_run (s->loop);
  g_source_remove (id);
}

static void
make_pair (BhChannel **a, BhChannel **b)
{
  int fd;
  g_autoptr (GError) error = NULL;

  *a = bh_channel_new_pair (BH_BOTH, &fd, &error);
  g_assert_no_error (error);
  *b = bh_channel_new (fd, BH_BOTH);
}

/* A memfd whose content says which message it went with. */
static int
tagged_fd (guint tag)
{
  char text[32];
  g_autoptr (GError) error = NULL;
  int len = g_snprintf (text, sizeof text, "fd-%u", tag);
  int fd = bh_blob_new (text, (gsize) len, "tag", &error);

  g_assert_no_error (error);
  return fd;
}

static char *
read_tag (int fd)
{
  char text[32] = { 0 };

  g_assert_cmpint (pread (fd, text, sizeof text - 1, 0), >, 0);
  return g_strdup (text);
}

static void
test_interleaved_with_fds (void)
{
  g_autoptr (BhChannel) a = NULL;
  g_autoptr (BhChannel) b = NULL;
  guint before = count_open_fds ();
  const guint n = 200;
  Sink s;

  make_pair (&a, &b);
  sink_init (&s, n);
  bh_channel_set_handlers (b, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  bh_channel_attach (b, NULL);

  for (guint i = 0; i < n; i++)
    {
      /* A well-behaved sender lets the loop drain the queue before the cap. */
      while (bh_channel_get_queued_bytes (a) > BH_CHANNEL_DEFAULT_QUEUE_CAP_BYTES / 2)
        g_main_context_iteration (NULL, TRUE);
      if (i % 3 == 0)
        {
          int fds[2] = { tagged_fd (i), tagged_fd (i + 1000) };
          g_assert_cmpuint (bh_channel_send (a, BH_MSG_EchoFds, g_variant_new_uint32 (i), fds, 2), !=, 0);
          /* The channel sent dups: ours are still ours to close. */
          close (fds[0]);
          close (fds[1]);
        }
      else
        {
          /* Sizes from tiny to beyond one socket buffer, to force partial writes. */
          gsize size = (i * 7919u) % (300 * 1024);
          g_autofree guint8 *data = g_malloc (size + 1);
          memset (data, i & 0xff, size);
          g_assert_cmpuint (bh_channel_send (a, BH_MSG_Echo,
                                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1), NULL, 0),
                            !=, 0);
        }
    }

  run_until_quit (&s);
  g_assert_no_error (s.error);
  g_assert_cmpuint (s.messages->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      BhMessage *m = g_ptr_array_index (s.messages, i);
      g_assert_cmpuint (m->serial, ==, i + 1);
      if (i % 3 == 0)
        {
          g_autofree char *t0 = read_tag (m->fds[0]);
          g_autofree char *t1 = read_tag (m->fds[1]);
          g_autofree char *want0 = g_strdup_printf ("fd-%u", i);
          g_autofree char *want1 = g_strdup_printf ("fd-%u", i + 1000);
          g_assert_cmpint (m->type, ==, BH_MSG_EchoFds);
          g_assert_cmpuint (g_variant_get_uint32 (m->payload), ==, i);
          g_assert_cmpstr (t0, ==, want0);
          g_assert_cmpstr (t1, ==, want1);
          /* Received fds are close-on-exec (MSG_CMSG_CLOEXEC). */
          g_assert_true (fcntl (m->fds[0], F_GETFD) & FD_CLOEXEC);
        }
      else
        {
          gsize size;
          const guint8 *data = g_variant_get_fixed_array (m->payload, &size, 1);
          g_assert_cmpint (m->type, ==, BH_MSG_Echo);
          g_assert_cmpuint (size, ==, (i * 7919u) % (300 * 1024));
          if (size > 0)
            g_assert_cmpuint (data[size - 1], ==, i & 0xff);
        }
    }
  sink_clear (&s);
  g_clear_pointer (&a, bh_channel_unref);
  g_clear_pointer (&b, bh_channel_unref);
  /* Every fd sent, received, queued or dup'ed is closed again. */
  g_assert_cmpuint (count_open_fds (), ==, before);
}

static void
test_eof (void)
{
  g_autoptr (BhChannel) a = NULL;
  g_autoptr (BhChannel) b = NULL;
  Sink s;

  make_pair (&a, &b);
  sink_init (&s, 1);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  bh_channel_close (b);
  run_until_quit (&s);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED);
  g_assert_false (bh_channel_is_open (a));
  /* Sending on an ended channel fails quietly with serial 0. */
  g_assert_cmpuint (bh_channel_send (a, BH_MSG_Ping, NULL, NULL, 0), ==, 0);
  sink_clear (&s);
}

/* Writes raw bytes on the peer's fd, then closes it. */
static void
raw_then_close (const void *bytes, gsize len, Sink *s, BhDirection accepts)
{
  int sv[2];
  g_autoptr (BhChannel) a = NULL;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  a = bh_channel_new (sv[0], accepts);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, s);
  bh_channel_attach (a, NULL);
  g_assert_cmpint (write (sv[1], bytes, len), ==, (gssize) len);
  close (sv[1]);
  run_until_quit (s);
}

static void
test_frame_cut_by_eof (void)
{
  g_autoptr (GBytes) body = bh_frame_encode_payload (BH_MSG_Ping, NULL);
  BhFrameHeader h = { BH_FRAME_MAGIC, BH_FRAME_VERSION, BH_MSG_Ping, (guint32) g_bytes_get_size (body), 0, 0, 1, 0 };
  guint8 header[BH_FRAME_HEADER_BYTES];
  Sink s;

  bh_frame_header_encode (&h, header);
  sink_init (&s, 99);
  /* Half a header, then EOF. */
  raw_then_close (header, 10, &s, BH_BOTH);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (s.error->message, "stream ended inside a frame"));
  g_assert_cmpuint (s.messages->len, ==, 0);
  sink_clear (&s);
}

static void
test_protocol_error_reaches_owner (void)
{
  g_autoptr (GBytes) body = bh_frame_encode_payload (BH_MSG_CommitNavigation,
                                                     g_variant_new ("(utsssu)", 1, (guint64) 1, "http://a.test/",
                                                                    "text/html", "utf-8", 0u));
  BhFrameHeader h = { BH_FRAME_MAGIC, BH_FRAME_VERSION, BH_MSG_CommitNavigation, (guint32) g_bytes_get_size (body),
                      0, 1, 1, 0 };
  guint8 header[BH_FRAME_HEADER_BYTES];
  g_autoptr (GByteArray) frame = g_byte_array_new ();
  Sink s;

  /* A child tries to send the browser a browser -> child message. */
  bh_frame_header_encode (&h, header);
  g_byte_array_append (frame, header, sizeof header);
  g_byte_array_append (frame, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  sink_init (&s, 99);
  raw_then_close (frame->data, frame->len, &s, BH_TO_BROWSER);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL);
  g_assert_cmpstr (s.error->message, ==, "CommitNavigation may not be sent to the browser");
  g_assert_cmpuint (s.messages->len, ==, 0);
  sink_clear (&s);
}

static void
test_too_many_fds_cut (void)
{
  int sv[2];
  int fds[20];
  guint before = count_open_fds ();
  g_autoptr (BhChannel) a = NULL;
  char byte = 0;
  struct iovec iov = { &byte, 1 };
  union {
    struct cmsghdr align;
    char bytes[CMSG_SPACE (sizeof fds)];
  } control;
  struct msghdr msg = { 0 };
  struct cmsghdr *c;
  Sink s;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.bytes;
  msg.msg_controllen = sizeof control.bytes;
  c = CMSG_FIRSTHDR (&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof fds);
  memcpy (CMSG_DATA (c), fds, sizeof fds);
  g_assert_cmpint (sendmsg (sv[1], &msg, 0), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);

  sink_init (&s, 99);
  a = bh_channel_new (sv[0], BH_BOTH);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  run_until_quit (&s);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_FDS_CUT);
  sink_clear (&s);
  g_clear_pointer (&a, bh_channel_unref);
  close (sv[1]);
  /* The 8 fds that did arrive were closed with the channel; the kernel
   * closed the 12 it cut. */
  g_assert_cmpuint (count_open_fds (), ==, before);
}

/* A peer that sends fds no frame declares, again and again, to make the
 * receiver hold them open: the first such frame ends the channel. */
static void
test_undeclared_fds_end_the_channel (void)
{
  g_autoptr (GBytes) body = bh_frame_encode_payload (BH_MSG_Ping, NULL);
  BhFrameHeader h = { BH_FRAME_MAGIC, BH_FRAME_VERSION, BH_MSG_Ping, (guint32) g_bytes_get_size (body), 0, 0, 1, 0 };
  guint8 header[BH_FRAME_HEADER_BYTES];
  guint before = count_open_fds ();
  g_autoptr (BhChannel) a = NULL;
  int sv[2];
  Sink s;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  bh_frame_header_encode (&h, header);
  for (guint i = 0; i < 50; i++)
    {
      int fds[BH_MAX_FDS];
      union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE (sizeof fds)];
      } control;
      struct iovec iov[2] = { { header, sizeof header }, { (void *) g_bytes_get_data (body, NULL), g_bytes_get_size (body) } };
      struct msghdr msg = { 0 };
      struct cmsghdr *c;

      for (guint k = 0; k < BH_MAX_FDS; k++)
        fds[k] = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      msg.msg_iov = iov;
      msg.msg_iovlen = 2;
      msg.msg_control = control.bytes;
      msg.msg_controllen = sizeof control.bytes;
      c = CMSG_FIRSTHDR (&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof fds);
      memcpy (CMSG_DATA (c), fds, sizeof fds);
      g_assert_cmpint (sendmsg (sv[1], &msg, 0), >, 0);
      for (guint k = 0; k < BH_MAX_FDS; k++)
        close (fds[k]);
    }

  sink_init (&s, 99);
  a = bh_channel_new (sv[0], BH_BOTH);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  run_until_quit (&s);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL);
  g_assert_cmpstr (s.error->message, ==, "8 fds arrived that no frame declared");
  /* The first Ping was delivered before its stray fds were noticed; no more. */
  g_assert_cmpuint (s.messages->len, ==, 1);
  sink_clear (&s);
  g_clear_pointer (&a, bh_channel_unref);
  close (sv[1]);
  g_assert_cmpuint (count_open_fds (), ==, before);
}

static void
test_queue_cap (void)
{
  g_autoptr (BhChannel) a = NULL;
  g_autoptr (BhChannel) b = NULL;
  g_autofree guint8 *data = g_malloc0 (64 * 1024);
  guint sent = 0;
  Sink s;

  make_pair (&a, &b);
  sink_init (&s, 99);
  bh_channel_set_queue_cap (a, 1024 * 1024);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  /* b is never attached: a peer that stopped reading. */
  for (guint i = 0; i < 1000; i++)
    {
      if (bh_channel_send (a, BH_MSG_Echo, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, 64 * 1024, 1),
                           NULL, 0) == 0)
        break;
      sent++;
      g_assert_cmpuint (bh_channel_get_queued_bytes (a), <=, 1024 * 1024);
    }
  /* The socket took some; the cap stopped the rest long before 1000. */
  g_assert_cmpuint (sent, <, 1000);
  run_until_quit (&s);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_QUEUE_FULL);
  g_assert_cmpuint (bh_channel_get_queued_bytes (a), ==, 0);
  sink_clear (&s);
}

typedef struct {
  GMainLoop *loop;
  BhMessage *reply;
  GError *error;
} CallResult;

static void
reply_cb (BhChannel *channel, BhMessage *reply, const GError *error, gpointer user_data)
{
  CallResult *r = user_data;

  r->reply = reply;
  r->error = error ? g_error_copy (error) : NULL;
  g_main_loop_quit (r->loop);
}

static void
ignore_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  bh_message_free (message);
}

static void
test_call_timeout (void)
{
  g_autoptr (BhChannel) a = NULL;
  g_autoptr (BhChannel) b = NULL;
  g_autoptr (GError) error = NULL;
  BhMessage *reply = NULL;
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  gint64 start;

  make_pair (&a, &b);
  bh_channel_set_handlers (b, ignore_cb, NULL, NULL);
  bh_channel_attach (a, NULL);
  bh_channel_attach (b, NULL);

  start = g_get_monotonic_time ();
  bh_channel_call (a, BH_MSG_Ping, NULL, NULL, 0, 100, reply_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_null (r.reply);
  g_assert_error (r.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * 1000);

  g_assert_false (bh_channel_call_sync (a, BH_MSG_Ping, NULL, NULL, 0, 50, &reply, &error));
  g_assert_error (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_TIMED_OUT);
  g_assert_null (reply);
  g_clear_error (&r.error);
  g_main_loop_unref (r.loop);
}

static GPid
spawn_peer (const char *mode, BhChannel **out_channel)
{
  g_autofree char *peer = g_test_build_filename (G_TEST_BUILT, "ipc-peer", NULL);
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", mode);
  const char *argv[] = { peer, "--ipc-fd=3", mode_arg, NULL };
  g_autoptr (GError) error = NULL;
  int child_fd;
  int source_fds[1];
  int target_fds[1] = { 3 };
  GPid pid;

  *out_channel = bh_channel_new_pair (BH_BOTH, &child_fd, &error);
  g_assert_no_error (error);
  source_fds[0] = child_fd;
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, -1, -1,
                                    source_fds, target_fds, 1, &pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  close (child_fd);
  return pid;
}

typedef struct {
  GMainLoop *loop;
  guint echoes;
  guint echoes_at_pong;
  gboolean ponged;
} LaneRun;

static void
lane_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  LaneRun *run = user_data;

  if (message->type == BH_MSG_Echo)
    run->echoes++;
  bh_message_free (message);
}

static void
lane_pong_cb (BhChannel *channel, BhMessage *reply, const GError *error, gpointer user_data)
{
  LaneRun *run = user_data;

  g_assert_no_error (error);
  g_assert_cmpint (reply->type, ==, BH_MSG_Pong);
  run->ponged = TRUE;
  run->echoes_at_pong = run->echoes;
  bh_message_free (reply);
}

static void
lane_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
}

/* A peer working through a full data lane (100 frames of 64 KiB, 1 ms each)
 * answers a Ping on its control lane after a few of them, not after all: it
 * looks at the control lane between two reads of the data lane. Without the
 * lane the Pong comes after the last Echo, as a FIFO must. */
static guint
echoes_before_pong (gboolean use_control_lane)
{
  g_autofree char *peer = g_test_build_filename (G_TEST_BUILT, "ipc-peer", NULL);
  const char *argv[] = { peer, "--ipc-fd=3", "--mode=echo", "--busy-us=1000", "--control-fd=4", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (BhChannel) data = NULL;
  g_autoptr (BhChannel) control = NULL;
  g_autofree guint8 *frame = g_malloc0 (64 * 1024);
  LaneRun run = { g_main_loop_new (NULL, FALSE), 0, 0, FALSE };
  int source_fds[2], target_fds[2] = { 3, 4 };
  int status;
  GPid pid;

  data = bh_channel_new_pair (BH_BOTH, &source_fds[0], &error);
  g_assert_no_error (error);
  control = bh_channel_new_pair (BH_BOTH, &source_fds[1], &error);
  g_assert_no_error (error);
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, -1, -1,
                                    source_fds, target_fds, 2, &pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  close (source_fds[0]);
  close (source_fds[1]);
  bh_channel_set_handlers (data, lane_message_cb, lane_error_cb, &run);
  bh_channel_set_handlers (control, lane_message_cb, lane_error_cb, &run);
  bh_channel_attach (data, NULL);
  bh_channel_attach (control, NULL);

  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (bh_channel_send (data, BH_MSG_Echo,
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, frame, 64 * 1024, 1), NULL, 0),
                      !=, 0);
  bh_channel_call (use_control_lane ? control : data, BH_MSG_Ping, NULL, NULL, 0, 0, lane_pong_cb, &run);
  while (!run.ponged || run.echoes < 100)
    g_main_context_iteration (NULL, TRUE);

  bh_channel_close (data);
  bh_channel_close (control);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_main_loop_unref (run.loop);
  g_test_message ("Pong after %u of 100 frames (%s)", run.echoes_at_pong,
                  use_control_lane ? "control lane" : "data lane");
  return run.echoes_at_pong;
}

static void
test_control_lane (void)
{
  g_assert_cmpuint (echoes_before_pong (TRUE), <, 50);
  g_assert_cmpuint (echoes_before_pong (FALSE), ==, 100);
}

static void
test_two_processes (void)
{
  g_autoptr (BhChannel) a = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhMessage) reply = NULL;
  CallResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  GPid pid = spawn_peer ("echo", &a);
  int fds[2] = { tagged_fd (1), tagged_fd (2) };
  int status;

  bh_channel_attach (a, NULL);

  /* Synchronous, with a 1 MiB-class payload crossing real processes. */
  {
    gsize size = 900 * 1024;
    g_autofree guint8 *data = g_malloc (size);
    gsize got;
    const guint8 *back;
    for (gsize i = 0; i < size; i++)
      data[i] = (guint8) (i * 31);
    g_assert_true (bh_channel_call_sync (a, BH_MSG_Echo, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1),
                                         NULL, 0, 10000, &reply, &error));
    g_assert_no_error (error);
    back = g_variant_get_fixed_array (reply->payload, &got, 1);
    g_assert_cmpmem (back, got, data, size);
  }

  /* Asynchronous, with fds that make the round trip. */
  bh_channel_call (a, BH_MSG_EchoFds, g_variant_new_uint32 (42), fds, 2, 10000, reply_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.reply);
  {
    g_autofree char *t = read_tag (r.reply->fds[1]);
    g_assert_cmpstr (t, ==, "fd-2");
  }
  g_clear_pointer (&r.reply, bh_message_free);
  close (fds[0]);
  close (fds[1]);

  /* Closing our end is how the peer learns to exit. */
  bh_channel_close (a);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_main_loop_unref (r.loop);
}

static void
test_garbage_from_a_process (void)
{
  g_autoptr (BhChannel) a = NULL;
  GPid pid = spawn_peer ("garbage", &a);
  int status;
  Sink s;

  sink_init (&s, 99);
  bh_channel_set_handlers (a, sink_message_cb, sink_error_cb, &s);
  bh_channel_attach (a, NULL);
  run_until_quit (&s);
  g_assert_error (s.error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (s.error->message, "bad magic 0x5a5a5a5a"));
  /* The channel closed its fd, so the peer sees EOF and exits. */
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  sink_clear (&s);
}

int
main (int argc, char **argv)
{
  signal (SIGPIPE, SIG_DFL); /* MSG_NOSIGNAL must be what saves us */
  /* The default context opens its wake-up fd once; do it before any fd count. */
  g_main_context_default ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/channel/interleaved-with-fds", test_interleaved_with_fds);
  g_test_add_func ("/ipc/channel/eof", test_eof);
  g_test_add_func ("/ipc/channel/frame-cut-by-eof", test_frame_cut_by_eof);
  g_test_add_func ("/ipc/channel/protocol-error-reaches-owner", test_protocol_error_reaches_owner);
  g_test_add_func ("/ipc/channel/too-many-fds-cut", test_too_many_fds_cut);
  g_test_add_func ("/ipc/channel/undeclared-fds-end-the-channel", test_undeclared_fds_end_the_channel);
  g_test_add_func ("/ipc/channel/queue-cap", test_queue_cap);
  g_test_add_func ("/ipc/channel/call-timeout", test_call_timeout);
  g_test_add_func ("/ipc/channel/two-processes", test_two_processes);
  g_test_add_func ("/ipc/channel/control-lane", test_control_lane);
  g_test_add_func ("/ipc/channel/garbage-from-a-process", test_garbage_from_a_process);
  return g_test_run ();
}
