/* test-data-pipe.c: the shared-memory ring (common/bh-data-pipe.c) as each
 * side sees it: bytes in order across wrap-arounds, full and empty rings and
 * their wake-ups, the end and failure states, a slow consumer and killed
 * peers in another process (tests/ipc-peer), and a peer that writes hostile
 * positions into the shared header. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"

/* The header's layout (docs/architecture.md, "Data pipes"): what a hostile
 * peer scribbles on. */
#define OFF_MAGIC 0
#define OFF_CAPACITY 8
#define OFF_WRITE_POS 64
#define OFF_PRODUCER_STATE 72
#define OFF_READ_POS 128
#define OFF_CONSUMER_STATE 136

static guint8
pattern (guint64 i)
{
  return (guint8) (i * 7 + 3);
}

typedef struct {
  BhDataPipe *producer;
  BhDataPipe *consumer;
  guint8 *hostile; /* a third mapping of the header, as a hostile peer has */
} Pair;

static void
pair_init (Pair *pair, gsize capacity)
{
  g_autoptr (GError) error = NULL;
  int fds[2];

  pair->producer = bh_data_pipe_new (capacity, fds, &error);
  g_assert_no_error (error);
  pair->hostile = mmap (NULL, BH_DATA_PIPE_HEADER_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
  g_assert_true (pair->hostile != MAP_FAILED);
  pair->consumer = bh_data_pipe_new_consumer (fds[0], fds[1], capacity, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bh_data_pipe_get_capacity (pair->consumer), ==, capacity);
}

static void
pair_clear (Pair *pair)
{
  g_clear_pointer (&pair->producer, bh_data_pipe_free);
  g_clear_pointer (&pair->consumer, bh_data_pipe_free);
  munmap (pair->hostile, BH_DATA_PIPE_HEADER_BYTES);
}

static void
poke64 (Pair *pair, gsize offset, guint64 value)
{
  atomic_store ((_Atomic guint64 *) (pair->hostile + offset), value);
}

static void
poke32 (Pair *pair, gsize offset, guint32 value)
{
  atomic_store ((_Atomic guint32 *) (pair->hostile + offset), value);
}

static void
write_all (BhDataPipe *producer, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  gsize n = 0;

  g_assert_cmpint (bh_data_pipe_write (producer, data, len, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, len);
}

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir))
    n++;
  return n;
}

static void
test_round_trip (void)
{
  Pair pair;
  g_autoptr (GError) error = NULL;
  char buf[64];
  gsize n = 0;
  BhDataPipeStats stats;

  pair_init (&pair, 1024);
  /* Nothing yet: the consumer waits, and no wake-up is pending for it. */
  g_assert_false (bh_data_pipe_wait (pair.consumer, 0));
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_SHOULD_WAIT);
  write_all (pair.producer, "hello, ", 7);
  /* The ring was empty: the write woke the consumer. */
  g_assert_true (bh_data_pipe_wait (pair.consumer, 0));
  write_all (pair.producer, "world", 5);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpmem (buf, n, "hello, world", 12);
  bh_data_pipe_finish (pair.producer);
  g_assert_true (bh_data_pipe_wait (pair.consumer, 0));
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_DONE);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_DONE);
  g_assert_no_error (error);

  bh_data_pipe_get_stats (pair.producer, &stats);
  g_assert_cmpuint (stats.bytes_written, ==, 12);
  /* One wake-up for the empty ring, the second write found it not empty,
   * and one for the end. */
  g_assert_cmpuint (stats.wakeups_sent, ==, 2);
  pair_clear (&pair);
}

static void
test_empty (void)
{
  Pair pair;
  g_autoptr (GError) error = NULL;
  guint8 buf[8];
  gsize n = 0;
  BhDataPipeStats stats;

  pair_init (&pair, 64);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_SHOULD_WAIT);
  g_assert_cmpuint (n, ==, 0);
  bh_data_pipe_get_stats (pair.consumer, &stats);
  /* Three reads of one empty ring are one transition to empty. */
  g_assert_cmpuint (stats.empty_count, ==, 1);
  g_assert_cmpuint (stats.wakeups_sent, ==, 0);
  g_assert_false (bh_data_pipe_wait (pair.producer, 0));

  write_all (pair.producer, "x", 1);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_SHOULD_WAIT);
  bh_data_pipe_get_stats (pair.consumer, &stats);
  g_assert_cmpuint (stats.empty_count, ==, 2);
  g_assert_no_error (error);
  pair_clear (&pair);
}

static void
test_full (void)
{
  Pair pair;
  g_autoptr (GError) error = NULL;
  guint8 data[20], buf[32];
  gsize n = 0;
  BhDataPipeStats stats;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = pattern (i);
  pair_init (&pair, 16);
  /* A write takes what fits, no more. */
  g_assert_cmpint (bh_data_pipe_write (pair.producer, data, 20, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpuint (n, ==, 16);
  g_assert_cmpint (bh_data_pipe_write (pair.producer, data + 16, 4, &n, &error), ==, BH_DATA_PIPE_SHOULD_WAIT);
  g_assert_cmpint (bh_data_pipe_write (pair.producer, data + 16, 4, &n, &error), ==, BH_DATA_PIPE_SHOULD_WAIT);
  g_assert_cmpuint (n, ==, 0);
  bh_data_pipe_get_stats (pair.producer, &stats);
  g_assert_cmpuint (stats.full_count, ==, 1);
  g_assert_false (bh_data_pipe_wait (pair.producer, 0));

  /* Reading from a full ring wakes the producer; from a ring that is no
   * longer full, it does not. */
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, 3, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (bh_data_pipe_wait (pair.producer, 0));
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf + 3, 1, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_false (bh_data_pipe_wait (pair.producer, 0));

  g_assert_cmpint (bh_data_pipe_write (pair.producer, data + 16, 4, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf + 4, sizeof buf - 4, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpuint (n, ==, 16);
  g_assert_cmpmem (buf, 20, data, 20);
  g_assert_no_error (error);
  pair_clear (&pair);
}

static void
test_wrap_around (void)
{
  Pair pair;
  g_autoptr (GError) error = NULL;
  guint64 written = 0, read = 0;
  GRand *rand = g_rand_new_with_seed (19);

  /* A capacity that divides nothing, chunks of every size: positions wrap
   * about 3000 times, and every byte comes out in order. */
  pair_init (&pair, 7);
  while (read < 20000)
    {
      guint8 chunk[16], buf[16];
      gsize want = (gsize) g_rand_int_range (rand, 1, 16), n = 0;
      BhDataPipeResult r;

      for (gsize i = 0; i < want; i++)
        chunk[i] = pattern (written + i);
      r = bh_data_pipe_write (pair.producer, chunk, want, &n, &error);
      g_assert_no_error (error);
      g_assert_true (r == BH_DATA_PIPE_OK || r == BH_DATA_PIPE_SHOULD_WAIT);
      written += n;
      g_assert_cmpuint (written - read, <=, 7);

      want = (gsize) g_rand_int_range (rand, 1, 16);
      r = bh_data_pipe_read (pair.consumer, buf, want, &n, &error);
      g_assert_no_error (error);
      g_assert_true (r == BH_DATA_PIPE_OK || r == BH_DATA_PIPE_SHOULD_WAIT);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpuint (buf[i], ==, pattern (read + i));
      read += n;
    }
  g_rand_free (rand);
  pair_clear (&pair);
}

static void
test_end_states (void)
{
  Pair pair;
  g_autoptr (GError) error = NULL;
  guint8 buf[16];
  gsize n = 0;

  /* Failure: what was written is still read, then the failure. */
  pair_init (&pair, 64);
  write_all (pair.producer, "partial", 7);
  bh_data_pipe_fail (pair.producer);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpmem (buf, n, "partial", 7);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PRODUCER_FAILED);
  g_clear_error (&error);
  pair_clear (&pair);

  /* A producer freed before its end is a failure, not an end. */
  pair_init (&pair, 64);
  write_all (pair.producer, "abc", 3);
  g_clear_pointer (&pair.producer, bh_data_pipe_free);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PRODUCER_FAILED);
  g_clear_error (&error);
  pair_clear (&pair);

  /* A consumer that goes away stops the producer, which is woken to learn it. */
  pair_init (&pair, 64);
  write_all (pair.producer, "abc", 3);
  g_clear_pointer (&pair.consumer, bh_data_pipe_free);
  g_assert_true (bh_data_pipe_wait (pair.producer, 0));
  g_assert_cmpint (bh_data_pipe_write (pair.producer, "d", 1, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PEER_CLOSED);
  g_clear_error (&error);
  pair_clear (&pair);
}

static void
expect_bad_read (Pair *pair, const char *what)
{
  g_autoptr (GError) error = NULL;
  guint8 buf[16];
  gsize n = 1;

  g_assert_cmpint (bh_data_pipe_read (pair->consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER);
  g_test_message ("%s: %s", what, error->message);
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);
  /* Sticky: nothing moves any more. */
  g_assert_cmpint (bh_data_pipe_read (pair->consumer, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER);
}

static void
expect_bad_write (Pair *pair, const char *what)
{
  g_autoptr (GError) error = NULL;
  gsize n = 1;

  g_assert_cmpint (bh_data_pipe_write (pair->producer, "z", 1, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER);
  g_test_message ("%s: %s", what, error->message);
  g_assert_cmpuint (n, ==, 0);
}

static void
test_hostile_producer (void)
{
  Pair pair;
  guint8 buf[16];
  gsize n;

  /* More than the capacity ahead of us: the consumer would read bytes the
   * producer is still overwriting. */
  pair_init (&pair, 64);
  poke64 (&pair, OFF_WRITE_POS, 65);
  expect_bad_read (&pair, "beyond the capacity");
  pair_clear (&pair);

  pair_init (&pair, 64);
  poke64 (&pair, OFF_WRITE_POS, G_MAXUINT64);
  expect_bad_read (&pair, "near 2^64");
  pair_clear (&pair);

  /* Backwards. */
  pair_init (&pair, 64);
  write_all (pair.producer, "0123456789", 10);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, NULL), ==, BH_DATA_PIPE_OK);
  poke64 (&pair, OFF_WRITE_POS, 5);
  expect_bad_read (&pair, "backwards");
  pair_clear (&pair);

  /* A state the pipe does not have. */
  pair_init (&pair, 64);
  poke32 (&pair, OFF_PRODUCER_STATE, 7);
  expect_bad_read (&pair, "unknown state");
  pair_clear (&pair);

  /* Writing on after the end it announced. */
  pair_init (&pair, 64);
  write_all (pair.producer, "0123456789", 10);
  bh_data_pipe_finish (pair.producer);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, 4, &n, NULL), ==, BH_DATA_PIPE_OK);
  poke64 (&pair, OFF_WRITE_POS, 12);
  expect_bad_read (&pair, "after the end");
  pair_clear (&pair);
}

static void
test_hostile_consumer (void)
{
  Pair pair;
  guint8 buf[16];
  gsize n;

  /* Claims to have read what was never written. */
  pair_init (&pair, 64);
  write_all (pair.producer, "0123456789", 10);
  poke64 (&pair, OFF_READ_POS, 100);
  expect_bad_write (&pair, "read past the write position");
  pair_clear (&pair);

  /* Backwards. */
  pair_init (&pair, 64);
  write_all (pair.producer, "0123456789", 10);
  g_assert_cmpint (bh_data_pipe_read (pair.consumer, buf, sizeof buf, &n, NULL), ==, BH_DATA_PIPE_OK);
  write_all (pair.producer, "a", 1);
  poke64 (&pair, OFF_READ_POS, 3);
  expect_bad_write (&pair, "backwards");
  pair_clear (&pair);

  pair_init (&pair, 64);
  poke32 (&pair, OFF_CONSUMER_STATE, 9);
  expect_bad_write (&pair, "unknown state");
  pair_clear (&pair);
}

static void
expect_refused (int memfd, int signal_fd, gsize capacity, const char *what)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (bh_data_pipe_new_consumer (memfd, signal_fd, capacity, &error));
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER);
  g_test_message ("%s: %s", what, error->message);
  /* Both fds were taken and closed. */
  g_assert_cmpint (fcntl (memfd, F_GETFD), ==, -1);
  g_assert_cmpint (fcntl (signal_fd, F_GETFD), ==, -1);
}

static void
test_hostile_offer (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhDataPipe) producer = NULL;
  guint fds_before = count_fds ();
  int fds[2], sv[2];

  /* A capacity that disagrees with the memfd. */
  producer = bh_data_pipe_new (4096, fds, &error);
  g_assert_no_error (error);
  expect_refused (fds[0], fds[1], 8192, "capacity larger than the memfd");
  g_clear_pointer (&producer, bh_data_pipe_free);

  producer = bh_data_pipe_new (4096, fds, &error);
  expect_refused (fds[0], fds[1], 0, "capacity 0");
  g_clear_pointer (&producer, bh_data_pipe_free);

  producer = bh_data_pipe_new (4096, fds, &error);
  expect_refused (fds[0], fds[1], (gsize) BH_DATA_PIPE_MAX_CAPACITY_BYTES + 1, "capacity over the cap");
  g_clear_pointer (&producer, bh_data_pipe_free);

  /* A header that is not a data pipe's. */
  producer = bh_data_pipe_new (4096, fds, &error);
  {
    guint32 junk = 0xdeadbeef;
    g_assert_cmpint (pwrite (fds[0], &junk, 4, OFF_MAGIC), ==, 4);
  }
  expect_refused (fds[0], fds[1], 4096, "magic");
  g_clear_pointer (&producer, bh_data_pipe_free);

  /* A memfd without the size seals: the producer could shrink it under the
   * consumer's mapping. */
  {
    int memfd = memfd_create ("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    g_assert_cmpint (ftruncate (memfd, BH_DATA_PIPE_HEADER_BYTES + 4096), ==, 0);
    g_assert_cmpint (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), ==, 0);
    close (sv[0]);
    expect_refused (memfd, sv[1], 4096, "unsealed");
  }

  /* A signal fd that is a stream socket. */
  producer = bh_data_pipe_new (4096, fds, &error);
  close (fds[1]);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  close (sv[0]);
  expect_refused (fds[0], sv[1], 4096, "stream socket");
  g_clear_pointer (&producer, bh_data_pipe_free);

  g_assert_cmpuint (count_fds (), ==, fds_before);
}

/* ---- in a main loop ----------------------------------------------------- */

typedef struct {
  Pair pair;
  GMainLoop *loop;
  const guint8 *source;
  gsize source_len;
  gsize written;
  GByteArray *received;
  gboolean done;
} LoopRun;

static void
loop_produce (LoopRun *run)
{
  while (run->written < run->source_len)
    {
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_write (run->pair.producer, run->source + run->written,
                                               run->source_len - run->written, &n, NULL);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return;
      g_assert_cmpint (r, ==, BH_DATA_PIPE_OK);
      run->written += n;
    }
  bh_data_pipe_finish (run->pair.producer);
  bh_data_pipe_set_callback (run->pair.producer, NULL, NULL, NULL);
}

static void
loop_producer_cb (BhDataPipe *pipe, gpointer user_data)
{
  loop_produce (user_data);
}

static void
loop_consumer_cb (BhDataPipe *pipe, gpointer user_data)
{
  LoopRun *run = user_data;
  guint8 buf[1000];

  for (;;)
    {
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_read (pipe, buf, sizeof buf, &n, NULL);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return;
      if (r == BH_DATA_PIPE_DONE)
        {
          run->done = TRUE;
          g_main_loop_quit (run->loop);
          return;
        }
      g_assert_cmpint (r, ==, BH_DATA_PIPE_OK);
      g_byte_array_append (run->received, buf, (guint) n);
    }
}

static void
test_main_loop (void)
{
  LoopRun run = { 0 };
  g_autofree guint8 *source = g_malloc (1024 * 1024);
  BhDataPipeStats p, c;

  for (gsize i = 0; i < 1024 * 1024; i++)
    source[i] = pattern (i);
  pair_init (&run.pair, 4096);
  run.loop = g_main_loop_new (NULL, FALSE);
  run.source = source;
  run.source_len = 1024 * 1024;
  run.received = g_byte_array_new ();
  bh_data_pipe_set_callback (run.pair.producer, NULL, loop_producer_cb, &run);
  bh_data_pipe_set_callback (run.pair.consumer, NULL, loop_consumer_cb, &run);
  loop_produce (&run);
  g_main_loop_run (run.loop);

  g_assert_true (run.done);
  g_assert_cmpmem (run.received->data, run.received->len, source, 1024 * 1024);
  bh_data_pipe_get_stats (run.pair.producer, &p);
  bh_data_pipe_get_stats (run.pair.consumer, &c);
  g_test_message ("producer: %" G_GUINT64_FORMAT " wake-ups sent, %" G_GUINT64_FORMAT " seen, full %" G_GUINT64_FORMAT
                  "; consumer: %" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT " seen, empty %" G_GUINT64_FORMAT,
                  p.wakeups_sent, p.wakeups_seen, p.full_count, c.wakeups_sent, c.wakeups_seen, c.empty_count);
  /* 1 MiB through 4 KiB: the producer waited for space, and only the
   * transitions cost a wake-up, not every write. */
  g_assert_cmpuint (p.full_count, >, 0);
  g_assert_cmpuint (p.wakeups_seen, >, 0);
  g_assert_cmpuint (c.wakeups_seen, >, 0);
  g_assert_cmpuint (c.wakeups_sent, <=, p.full_count);
  g_byte_array_unref (run.received);
  g_main_loop_unref (run.loop);
  pair_clear (&run.pair);
}

/* ---- across processes ----------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  BhChannel *channel;
  BhDataPipe *pipe;
  char *text;           /* the peer's Echo */
  gboolean pipe_called; /* the pipe's callback ran */
  const guint8 *source;
  gsize source_len;
  gsize written;
  gsize max_outstanding;
  gboolean finished;
} PeerRun;

static GPid
spawn_peer (const char *mode, const char *extra, BhChannel **out_channel)
{
  g_autofree char *peer = g_test_build_filename (G_TEST_BUILT, "ipc-peer", NULL);
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", mode);
  const char *argv[] = { peer, "--ipc-fd=3", mode_arg, extra, NULL };
  g_autoptr (GError) error = NULL;
  int child_fd;
  int target_fds[1] = { 3 };
  GPid pid;

  *out_channel = bh_channel_new_pair (BH_BOTH, &child_fd, &error);
  g_assert_no_error (error);
  g_spawn_async_with_pipes_and_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, -1, -1, -1,
                                    &child_fd, target_fds, 1, &pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  close (child_fd);
  return pid;
}

static void
peer_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  PeerRun *run = user_data;

  if (m->type == BH_MSG_Echo)
    {
      gsize len;
      const char *p = g_variant_get_fixed_array (m->payload, &len, 1);
      g_free (run->text);
      run->text = g_strndup (p, len);
      g_main_loop_quit (run->loop);
    }
  else if (m->type == BH_MSG_EchoFds && run->pipe == NULL)
    {
      g_autoptr (GError) error = NULL;
      int memfd = bh_message_steal_fd (m, 0);
      int signal_fd = bh_message_steal_fd (m, 1);
      run->pipe = bh_data_pipe_new_consumer (memfd, signal_fd, g_variant_get_uint32 (m->payload), &error);
      g_assert_no_error (error);
      g_main_loop_quit (run->loop);
    }
}

static void
peer_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("timed out waiting for the peer");
  return G_SOURCE_REMOVE;
}

/* Runs the loop until something quits it, with a deadline far above any
 * honest delay: a hang fails the test instead of the suite's timeout. */
static void
run_loop (PeerRun *run)
{
  guint id = g_timeout_add_seconds (60, deadline_cb, NULL);

  g_main_loop_run (run->loop);
  g_source_remove (id);
}

static void
offer_pipe (PeerRun *run, gsize capacity)
{
  g_autoptr (GError) error = NULL;
  int fds[2];

  run->pipe = bh_data_pipe_new (capacity, fds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bh_channel_send (run->channel, BH_MSG_EchoFds, g_variant_new_uint32 ((guint32) capacity), fds, 2),
                    !=, 0);
  close (fds[0]);
  close (fds[1]);
}

static void
peer_produce (PeerRun *run)
{
  BhDataPipeStats stats;

  while (run->written < run->source_len)
    {
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_write (run->pipe, run->source + run->written,
                                               MIN (65536, run->source_len - run->written), &n, NULL);
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        return;
      g_assert_cmpint (r, ==, BH_DATA_PIPE_OK);
      run->written += n;
      bh_data_pipe_get_stats (run->pipe, &stats);
      run->max_outstanding = MAX (run->max_outstanding, stats.bytes_written - stats.bytes_read);
    }
  if (!run->finished)
    bh_data_pipe_finish (run->pipe);
  run->finished = TRUE;
}

static void
peer_producer_cb (BhDataPipe *pipe, gpointer user_data)
{
  peer_produce (user_data);
}

static void
test_slow_consumer (void)
{
  PeerRun run = { g_main_loop_new (NULL, FALSE) };
  gsize size = 2 * 1024 * 1024;
  g_autofree guint8 *source = g_malloc (size);
  g_autofree char *expected = NULL;
  GPid pid = spawn_peer ("pipe-slow-consumer", NULL, &run.channel);
  BhDataPipeStats stats;
  int status;

  for (gsize i = 0; i < size; i++)
    source[i] = pattern (i);
  {
    g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, source, size);
    expected = g_strdup_printf ("sha256=%s bytes=%" G_GSIZE_FORMAT, sum, size);
  }
  bh_channel_set_handlers (run.channel, peer_message_cb, peer_error_cb, &run);
  bh_channel_attach (run.channel, NULL);
  offer_pipe (&run, 64 * 1024);
  run.source = source;
  run.source_len = size;
  bh_data_pipe_set_callback (run.pipe, NULL, peer_producer_cb, &run);
  peer_produce (&run);
  run_loop (&run);

  /* Every byte arrived, in order, and the producer was held back: it waited
   * on a full ring and never ran more than the ring ahead of the reader. */
  g_assert_cmpstr (run.text, ==, expected);
  bh_data_pipe_get_stats (run.pipe, &stats);
  g_test_message ("full %" G_GUINT64_FORMAT " times, %" G_GUINT64_FORMAT " wake-ups seen", stats.full_count,
                  stats.wakeups_seen);
  g_assert_cmpuint (stats.full_count, >, 1);
  g_assert_cmpuint (stats.wakeups_seen, >, 1);
  g_assert_cmpuint (run.max_outstanding, <=, 64 * 1024);

  bh_data_pipe_free (run.pipe);
  bh_channel_close (run.channel);
  bh_channel_unref (run.channel);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_free (run.text);
  g_main_loop_unref (run.loop);
}

static void
quit_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  PeerRun *run = user_data;

  run->pipe_called = TRUE;
  g_main_loop_quit (run->loop);
}

static void
test_killed_consumer (void)
{
  PeerRun run = { g_main_loop_new (NULL, FALSE) };
  g_autoptr (GError) error = NULL;
  guint fds_before = count_fds ();
  GPid pid = spawn_peer ("pipe-stall", NULL, &run.channel);
  guint8 chunk[4096] = { 0 };
  gsize n = 0;
  BhDataPipeResult r;
  int status;

  bh_channel_set_handlers (run.channel, peer_message_cb, peer_error_cb, &run);
  bh_channel_attach (run.channel, NULL);
  offer_pipe (&run, 64 * 1024);
  while ((r = bh_data_pipe_write (run.pipe, chunk, sizeof chunk, &n, &error)) == BH_DATA_PIPE_OK)
    ;
  g_assert_cmpint (r, ==, BH_DATA_PIPE_SHOULD_WAIT);

  /* The producer waits on a full ring when its consumer dies: it is woken,
   * and learns that nobody will read. */
  bh_data_pipe_set_callback (run.pipe, NULL, quit_pipe_cb, &run);
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  run_loop (&run);
  g_assert_true (run.pipe_called);
  g_assert_cmpint (bh_data_pipe_write (run.pipe, chunk, sizeof chunk, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PEER_CLOSED);

  bh_data_pipe_free (run.pipe);
  bh_channel_close (run.channel);
  bh_channel_unref (run.channel);
  g_main_loop_unref (run.loop);
  g_assert_cmpuint (count_fds (), ==, fds_before);
}

static void
test_killed_producer (void)
{
  PeerRun run = { g_main_loop_new (NULL, FALSE) };
  g_autoptr (GError) error = NULL;
  guint fds_before = count_fds ();
  GPid pid = spawn_peer ("pipe-producer", "--bytes=100000", &run.channel);
  guint8 buf[8192];
  gsize n = 0, got = 0;
  BhDataPipeResult r;
  int status;

  bh_channel_set_handlers (run.channel, peer_message_cb, peer_error_cb, &run);
  bh_channel_attach (run.channel, NULL);
  run_loop (&run); /* until its EchoFds */
  g_assert_nonnull (run.pipe);
  bh_data_pipe_set_callback (run.pipe, NULL, quit_pipe_cb, &run);
  while (got < 100000)
    {
      while ((r = bh_data_pipe_read (run.pipe, buf, sizeof buf, &n, &error)) == BH_DATA_PIPE_OK)
        {
          for (gsize i = 0; i < n; i++)
            g_assert_cmpuint (buf[i], ==, pattern (got + i));
          got += n;
        }
      g_assert_no_error (error);
      g_assert_cmpint (r, ==, BH_DATA_PIPE_SHOULD_WAIT);
      if (got < 100000)
        run_loop (&run);
    }

  /* All its bytes are in; it dies before saying the data ended: that is not
   * an end, and the consumer is woken to learn it. */
  run.pipe_called = FALSE;
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  run_loop (&run);
  g_assert_true (run.pipe_called);
  g_assert_cmpint (bh_data_pipe_read (run.pipe, buf, sizeof buf, &n, &error), ==, BH_DATA_PIPE_FAILED);
  g_assert_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PEER_CLOSED);
  g_test_message ("%s", error->message);

  bh_data_pipe_free (run.pipe);
  bh_channel_close (run.channel);
  bh_channel_unref (run.channel);
  g_main_loop_unref (run.loop);
  g_assert_cmpuint (count_fds (), ==, fds_before);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/data-pipe/round-trip", test_round_trip);
  g_test_add_func ("/ipc/data-pipe/empty", test_empty);
  g_test_add_func ("/ipc/data-pipe/full", test_full);
  g_test_add_func ("/ipc/data-pipe/wrap-around", test_wrap_around);
  g_test_add_func ("/ipc/data-pipe/end-states", test_end_states);
  g_test_add_func ("/ipc/data-pipe/hostile-producer", test_hostile_producer);
  g_test_add_func ("/ipc/data-pipe/hostile-consumer", test_hostile_consumer);
  g_test_add_func ("/ipc/data-pipe/hostile-offer", test_hostile_offer);
  g_test_add_func ("/ipc/data-pipe/main-loop", test_main_loop);
  g_test_add_func ("/ipc/data-pipe/slow-consumer", test_slow_consumer);
  g_test_add_func ("/ipc/data-pipe/killed-consumer", test_killed_consumer);
  g_test_add_func ("/ipc/data-pipe/killed-producer", test_killed_producer);
  return g_test_run ();
}
