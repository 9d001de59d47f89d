/* bh-data-pipe.c: a single-producer single-consumer byte ring in a memfd.
 *
 * The memory model (C11 <stdatomic.h>, which works across processes for
 * lock-free atomics in shared memory):
 *
 *  - bytes in the ring are plain memory; the producer copies them in, then
 *    stores the write position with release order; the consumer loads it with
 *    acquire order, then copies them out. The read position is the mirror
 *    image, so the producer never overwrites bytes not yet copied out.
 *  - whether to wake the peer: after storing its own position a side issues a
 *    seq_cst fence, then loads the peer's position. The waiting side did the
 *    same (store, fence, load) before deciding to wait, so at least one of the
 *    two sees the other's store: either the waiter sees the new position and
 *    does not wait, or the signaller sees that the waiter may and sends a
 *    wake-up. A spare wake-up costs a poll round, never correctness.
 */
#include "bh-data-pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>

#include "bh-shm.h"
#include "bh-trace.h"

G_DEFINE_QUARK (bh-data-pipe-error-quark, bh_data_pipe_error)

#define PIPE_MAGIC 0x50444842u /* "BHDP" */
#define PIPE_VERSION 1u

enum { PRODUCER_OPEN = 0, PRODUCER_DONE = 1, PRODUCER_FAILED = 2 };
enum { CONSUMER_OPEN = 0, CONSUMER_CLOSED = 1 };

/* Each side's fields on their own cache line, so that the producer's stores
 * do not keep invalidating the line the consumer writes, and back. */
typedef struct {
  guint32 magic;
  guint32 version;
  guint64 capacity; /* informative: each side uses the capacity it was given */
  guint8 pad0[48];
  _Alignas (64) _Atomic guint64 write_pos; /* written by the producer only */
  _Atomic guint32 producer_state;
  guint8 pad1[52];
  _Alignas (64) _Atomic guint64 read_pos; /* written by the consumer only */
  _Atomic guint32 consumer_state;
} Header;

_Static_assert (ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_LLONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
                "shared-memory atomics must be lock-free");
_Static_assert (offsetof (Header, capacity) == 8, "header layout");
_Static_assert (offsetof (Header, write_pos) == 64, "header layout");
_Static_assert (offsetof (Header, producer_state) == 72, "header layout");
_Static_assert (offsetof (Header, read_pos) == 128, "header layout");
_Static_assert (offsetof (Header, consumer_state) == 136, "header layout");
_Static_assert (sizeof (Header) <= BH_DATA_PIPE_HEADER_BYTES, "header fits its page");

struct _BhDataPipe {
  gboolean producer;
  int memfd;
  int signal_fd;
  guint8 *map;
  gsize map_bytes;
  Header *header;
  guint8 *data;
  guint64 capacity;      /* as this side was told; never re-read from the header */
  guint64 position;      /* this side's own position: the truth, published to the header */
  guint64 peer_position; /* the peer's last position that passed the checks */
  gboolean ended;        /* producer: finished or failed; consumer: closed */
  guint producer_end;    /* consumer: the producer state once it left OPEN */
  guint64 final_write;   /* consumer: the write position at that moment */
  gboolean peer_gone;    /* the signal socket hung up */
  gboolean waiting;      /* the last call returned SHOULD_WAIT */
  GError *error;         /* once set, every call fails with it */

  GSource *source;
  BhDataPipeFunc func;
  gpointer user_data;

  BhDataPipeStats stats;
  char *trace_peer_role;
  guint trace_peer_pid;
  char *trace_peer_label;
  guint64 trace_id;
  char *trace_what;
};

static void
trace (BhDataPipe *self, const char *what)
{
  BhTracePipe pipe;
  BhTraceEvent event = { 0 };

  if (!bh_trace_is_enabled ())
    return;
  pipe = (BhTracePipe) {
    .id = self->trace_id,
    .event = what,
    .what = self->trace_what ? self->trace_what : "",
    .stats = self->stats,
  };
  event.time_us = g_get_monotonic_time ();
  event.direction = self->producer ? BH_TRACE_SENT : BH_TRACE_RECEIVED;
  event.peer_role = self->trace_peer_role ? self->trace_peer_role : "peer";
  event.peer_pid = self->trace_peer_pid;
  event.peer_label = self->trace_peer_label;
  event.pipe = &pipe;
  bh_trace_emit (&event);
}

static BhDataPipeResult
fail (BhDataPipe *self, GError **error, BhDataPipeError code, const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Makes the pipe's failure sticky and reports it. */
static BhDataPipeResult
fail (BhDataPipe *self, GError **error, BhDataPipeError code, const char *format, ...)
{
  va_list args;

  if (self->error == NULL)
    {
      va_start (args, format);
      self->error = g_error_new_valist (BH_DATA_PIPE_ERROR, code, format, args);
      va_end (args);
      trace (self, code == BH_DATA_PIPE_ERROR_BAD_PEER ? "bad-peer"
                   : code == BH_DATA_PIPE_ERROR_PEER_CLOSED ? "peer-closed"
                   : "producer-failed");
    }
  if (error)
    *error = g_error_copy (self->error);
  return BH_DATA_PIPE_FAILED;
}

/* A pipe that failed fails every later call the same way. */
static BhDataPipeResult
repeat_failure (BhDataPipe *self, GError **error)
{
  if (error)
    *error = g_error_copy (self->error);
  return BH_DATA_PIPE_FAILED;
}

/* One-byte wake-up. MSG_DONTWAIT is per call, so a peer that stops reading or
 * plays with its own end's flags cannot block us: a full socket means a
 * wake-up is pending already. */
static void
signal_peer (BhDataPipe *self)
{
  ssize_t n;

  if (self->peer_gone)
    return;
  do
    n = send (self->signal_fd, "w", 1, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n == 1)
    {
      self->stats.wakeups_sent++;
      trace (self, "wake");
    }
  else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    self->peer_gone = TRUE;
}

/* Takes every pending wake-up; notices the peer's hang-up. */
static void
drain_signals (BhDataPipe *self)
{
  guint8 buf[64];
  gboolean woken = FALSE;

  while (!self->peer_gone)
    {
      ssize_t n = recv (self->signal_fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0)
        woken = TRUE;
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      else
        self->peer_gone = TRUE; /* EOF (the peer's end is closed) or ECONNRESET */
    }
  if (woken)
    self->stats.wakeups_seen++;
}

static gboolean
signal_cb (int fd, GIOCondition condition, gpointer user_data)
{
  BhDataPipe *self = user_data;
  gboolean keep;

  if (condition & (G_IO_HUP | G_IO_ERR))
    self->peer_gone = TRUE;
  drain_signals (self);
  keep = !self->peer_gone;
  if (!keep)
    {
      /* POLLHUP stays set: watching on would spin. */
      GSource *source = g_steal_pointer (&self->source);
      g_source_destroy (source);
      g_source_unref (source);
    }
  /* Last: the callback may free the pipe. */
  if (self->func)
    self->func (self, self->user_data);
  return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
set_errno_error (GError **error, const char *what)
{
  int e = errno;

  g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_SYSTEM, "%s: %s", what, g_strerror (e));
  return FALSE;
}

static gboolean
map_ring (BhDataPipe *self, GError **error)
{
  self->map_bytes = BH_DATA_PIPE_HEADER_BYTES + self->capacity;
  self->map = mmap (NULL, self->map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, self->memfd, 0);
  if (self->map == MAP_FAILED)
    {
      self->map = NULL;
      return set_errno_error (error, "mmap");
    }
  /* The consumer only reads the data area: a stray write of ours cannot
   * corrupt the producer's bytes. The header stays writable on both sides,
   * for each side's own position and state. */
  if (!self->producer &&
      mprotect (self->map + BH_DATA_PIPE_HEADER_BYTES, self->capacity, PROT_READ) < 0)
    return set_errno_error (error, "mprotect");
  self->header = (Header *) self->map;
  self->data = self->map + BH_DATA_PIPE_HEADER_BYTES;
  return TRUE;
}

BhDataPipe *
bh_data_pipe_new (gsize capacity_bytes, int out_consumer_fds[2], GError **error)
{
  g_autoptr (BhDataPipe) self = NULL;
  int sv[2];

  g_return_val_if_fail (capacity_bytes > 0 && capacity_bytes <= BH_DATA_PIPE_MAX_CAPACITY_BYTES, NULL);
  g_return_val_if_fail (out_consumer_fds != NULL, NULL);

  self = g_new0 (BhDataPipe, 1);
  self->producer = TRUE;
  self->memfd = -1;
  self->signal_fd = -1;
  self->capacity = capacity_bytes;
  self->ended = TRUE; /* until set up: a half-built producer publishes nothing when freed */

  self->memfd = memfd_create ("bulkhead-data-pipe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (self->memfd < 0)
    {
      set_errno_error (error, "memfd_create");
      return NULL;
    }
  if (ftruncate (self->memfd, (off_t) (BH_DATA_PIPE_HEADER_BYTES + capacity_bytes)) < 0)
    {
      set_errno_error (error, "ftruncate");
      return NULL;
    }
  /* Not F_SEAL_WRITE: both sides write. The size seals keep the peer from
   * shrinking the file under our mapping (SIGBUS). */
  if (fcntl (self->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
    {
      set_errno_error (error, "F_ADD_SEALS");
      return NULL;
    }
  if (!map_ring (self, error))
    return NULL;
  self->header->magic = PIPE_MAGIC;
  self->header->version = PIPE_VERSION;
  self->header->capacity = capacity_bytes;
  atomic_init (&self->header->write_pos, 0);
  atomic_init (&self->header->read_pos, 0);
  atomic_init (&self->header->producer_state, PRODUCER_OPEN);
  atomic_init (&self->header->consumer_state, CONSUMER_OPEN);

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
    {
      set_errno_error (error, "socketpair");
      return NULL;
    }
  self->signal_fd = sv[0];
  out_consumer_fds[0] = fcntl (self->memfd, F_DUPFD_CLOEXEC, 3);
  if (out_consumer_fds[0] < 0)
    {
      set_errno_error (error, "F_DUPFD_CLOEXEC");
      close (sv[1]);
      return NULL;
    }
  out_consumer_fds[1] = sv[1];
  self->ended = FALSE;
  return g_steal_pointer (&self);
}

BhDataPipe *
bh_data_pipe_new_consumer (int memfd, int signal_fd, gsize capacity_bytes, GError **error)
{
  g_autoptr (BhDataPipe) self = g_new0 (BhDataPipe, 1);
  g_autoptr (GError) local_error = NULL;
  struct stat st;
  int type = 0, domain = 0;
  socklen_t len = sizeof type;

  self->producer = FALSE;
  self->memfd = memfd; /* owned from here on: closed on failure too */
  self->signal_fd = signal_fd;
  self->capacity = capacity_bytes;
  self->ended = TRUE;

  if (capacity_bytes == 0 || capacity_bytes > BH_DATA_PIPE_MAX_CAPACITY_BYTES)
    {
      g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER,
                   "data pipe capacity %" G_GSIZE_FORMAT " is outside 1..%u bytes", capacity_bytes,
                   BH_DATA_PIPE_MAX_CAPACITY_BYTES);
      return NULL;
    }
  if (!bh_shm_check_seals (memfd, BH_DATA_PIPE_HEADER_BYTES + capacity_bytes, FALSE, &local_error))
    {
      g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER, "data pipe memfd: %s",
                   local_error->message);
      return NULL;
    }
  if (fstat (memfd, &st) < 0 || (guint64) st.st_size != BH_DATA_PIPE_HEADER_BYTES + capacity_bytes)
    {
      g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER,
                   "data pipe memfd holds %" G_GINT64_FORMAT " bytes, not %u + %" G_GSIZE_FORMAT,
                   (gint64) st.st_size, BH_DATA_PIPE_HEADER_BYTES, capacity_bytes);
      return NULL;
    }
  if (getsockopt (signal_fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET ||
      (len = sizeof domain, getsockopt (signal_fd, SOL_SOCKET, SO_DOMAIN, &domain, &len)) < 0 ||
      domain != AF_UNIX)
    {
      g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER,
                   "data pipe signal fd is not an AF_UNIX SOCK_SEQPACKET socket");
      return NULL;
    }
  if (!map_ring (self, error))
    return NULL;
  if (self->header->magic != PIPE_MAGIC || self->header->version != PIPE_VERSION ||
      self->header->capacity != capacity_bytes)
    {
      g_set_error (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER,
                   "data pipe header: magic %#x version %u capacity %" G_GUINT64_FORMAT
                   ", expected %#x %u %" G_GSIZE_FORMAT,
                   self->header->magic, self->header->version, self->header->capacity, PIPE_MAGIC, PIPE_VERSION,
                   capacity_bytes);
      return NULL;
    }
  /* A consumer starts at 0 whatever the header says; the first read checks
   * the producer's position against that. */
  atomic_store_explicit (&self->header->read_pos, 0, memory_order_release);
  self->ended = FALSE;
  return g_steal_pointer (&self);
}

void
bh_data_pipe_free (BhDataPipe *self)
{
  if (self == NULL)
    return;
  if (self->source)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  if (self->header && !self->ended)
    {
      if (self->producer)
        atomic_store_explicit (&self->header->producer_state, PRODUCER_FAILED, memory_order_release);
      else
        atomic_store_explicit (&self->header->consumer_state, CONSUMER_CLOSED, memory_order_release);
      trace (self, self->producer ? "failed" : "closed");
      signal_peer (self);
    }
  if (self->map)
    munmap (self->map, self->map_bytes);
  if (self->memfd >= 0)
    close (self->memfd);
  if (self->signal_fd >= 0)
    close (self->signal_fd);
  g_clear_error (&self->error);
  g_free (self->trace_peer_role);
  g_free (self->trace_peer_label);
  g_free (self->trace_what);
  g_free (self);
}

void
bh_data_pipe_set_callback (BhDataPipe *self, GMainContext *context, BhDataPipeFunc func, gpointer user_data)
{
  g_return_if_fail (self != NULL);

  if (self->source)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  self->func = func;
  self->user_data = user_data;
  if (func == NULL)
    return;
  self->source = g_unix_fd_source_new (self->signal_fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (self->source, (GSourceFunc) (void (*) (void)) signal_cb, self, NULL);
  g_source_set_static_name (self->source, "[bulkhead] data pipe");
  g_source_attach (self->source, context);
}

/* The consumer's read position, checked: it only grows, never past what we wrote. */
static gboolean
load_read_position (BhDataPipe *self, guint64 *out, GError **error)
{
  guint64 r = atomic_load_explicit (&self->header->read_pos, memory_order_acquire);

  if (r < self->peer_position || r > self->position)
    {
      fail (self, error, BH_DATA_PIPE_ERROR_BAD_PEER,
            "data pipe: the consumer's read position %" G_GUINT64_FORMAT " is outside %" G_GUINT64_FORMAT
            "..%" G_GUINT64_FORMAT,
            r, self->peer_position, self->position);
      return FALSE;
    }
  self->peer_position = r;
  self->stats.bytes_read = r;
  *out = r;
  return TRUE;
}

BhDataPipeResult
bh_data_pipe_write (BhDataPipe *self, const void *data, gsize len, gsize *out_written, GError **error)
{
  guint64 r, used, space, offset, first, n, before;
  guint state;

  g_return_val_if_fail (self != NULL && self->producer, BH_DATA_PIPE_FAILED);
  g_return_val_if_fail (data != NULL && len > 0 && out_written != NULL, BH_DATA_PIPE_FAILED);
  g_return_val_if_fail (!self->ended, BH_DATA_PIPE_FAILED);

  *out_written = 0;
  if (self->error)
    return repeat_failure (self, error);
  state = atomic_load_explicit (&self->header->consumer_state, memory_order_acquire);
  if (state != CONSUMER_OPEN && state != CONSUMER_CLOSED)
    return fail (self, error, BH_DATA_PIPE_ERROR_BAD_PEER, "data pipe: the consumer's state %u is unknown",
                 state);
  if (state == CONSUMER_CLOSED)
    return fail (self, error, BH_DATA_PIPE_ERROR_PEER_CLOSED, "data pipe: the consumer closed it");
  if (self->peer_gone)
    return fail (self, error, BH_DATA_PIPE_ERROR_PEER_CLOSED, "data pipe: the consumer's process is gone");
  if (!load_read_position (self, &r, error))
    return BH_DATA_PIPE_FAILED;

  used = self->position - r;
  space = self->capacity - used;
  if (space == 0)
    {
      if (!self->waiting)
        {
          self->stats.full_count++;
          trace (self, "full");
        }
      self->waiting = TRUE;
      return BH_DATA_PIPE_SHOULD_WAIT;
    }
  self->waiting = FALSE;

  n = MIN ((guint64) len, space);
  offset = self->position % self->capacity;
  first = MIN (n, self->capacity - offset);
  memcpy (self->data + offset, data, first);
  memcpy (self->data, (const guint8 *) data + first, n - first);

  before = self->position;
  self->position += n;
  self->stats.bytes_written = self->position;
  atomic_store_explicit (&self->header->write_pos, self->position, memory_order_release);
  atomic_thread_fence (memory_order_seq_cst);
  if (!load_read_position (self, &r, error))
    return BH_DATA_PIPE_FAILED;
  /* The consumer had taken everything before these bytes: it may be asleep. */
  if (r == before)
    signal_peer (self);
  *out_written = n;
  return BH_DATA_PIPE_OK;
}

static void
end_producer (BhDataPipe *self, guint state)
{
  g_return_if_fail (self != NULL && self->producer && !self->ended);

  self->ended = TRUE;
  atomic_store_explicit (&self->header->producer_state, state, memory_order_release);
  trace (self, state == PRODUCER_DONE ? "end" : "failed");
  signal_peer (self);
}

void
bh_data_pipe_finish (BhDataPipe *self)
{
  end_producer (self, PRODUCER_DONE);
}

void
bh_data_pipe_fail (BhDataPipe *self)
{
  end_producer (self, PRODUCER_FAILED);
}

/* The producer's write position and state, checked: the position only grows,
 * never more than a ring ahead of ours, and not at all once it ended. */
static gboolean
load_write_position (BhDataPipe *self, guint *out_state, guint64 *out, GError **error)
{
  guint state = atomic_load_explicit (&self->header->producer_state, memory_order_acquire);
  guint64 w = atomic_load_explicit (&self->header->write_pos, memory_order_acquire);

  if (state != PRODUCER_OPEN && state != PRODUCER_DONE && state != PRODUCER_FAILED)
    {
      fail (self, error, BH_DATA_PIPE_ERROR_BAD_PEER, "data pipe: the producer's state %u is unknown", state);
      return FALSE;
    }
  if (w < self->peer_position || w - self->position > self->capacity)
    {
      fail (self, error, BH_DATA_PIPE_ERROR_BAD_PEER,
            "data pipe: the producer's write position %" G_GUINT64_FORMAT " is outside %" G_GUINT64_FORMAT
            "..%" G_GUINT64_FORMAT " (capacity %" G_GUINT64_FORMAT ")",
            w, self->peer_position, self->position + self->capacity, self->capacity);
      return FALSE;
    }
  if (self->producer_end != PRODUCER_OPEN && (state != self->producer_end || w != self->final_write))
    {
      fail (self, error, BH_DATA_PIPE_ERROR_BAD_PEER,
            "data pipe: the producer changed its state or position after it ended");
      return FALSE;
    }
  if (self->producer_end == PRODUCER_OPEN && state != PRODUCER_OPEN)
    {
      /* The state was loaded first: w holds at least the final position, and
       * an honest producer writes nothing after it. */
      self->producer_end = state;
      self->final_write = w;
    }
  self->peer_position = w;
  self->stats.bytes_written = w;
  *out_state = state;
  *out = w;
  return TRUE;
}

BhDataPipeResult
bh_data_pipe_read (BhDataPipe *self, void *buf, gsize len, gsize *out_read, GError **error)
{
  guint64 w, available, offset, first, n, before;
  guint state;

  g_return_val_if_fail (self != NULL && !self->producer, BH_DATA_PIPE_FAILED);
  g_return_val_if_fail (buf != NULL && len > 0 && out_read != NULL, BH_DATA_PIPE_FAILED);

  *out_read = 0;
  if (self->error)
    return repeat_failure (self, error);
  if (!load_write_position (self, &state, &w, error))
    return BH_DATA_PIPE_FAILED;

  available = w - self->position;
  if (available == 0)
    {
      if (state == PRODUCER_DONE)
        {
          if (!self->waiting)
            trace (self, "end");
          self->waiting = TRUE;
          /* Nothing to say when freed: the producer knows it ended. */
          self->ended = TRUE;
          return BH_DATA_PIPE_DONE;
        }
      if (state == PRODUCER_FAILED)
        {
          self->ended = TRUE;
          return fail (self, error, BH_DATA_PIPE_ERROR_PRODUCER_FAILED,
                       "data pipe: the producer failed after %" G_GUINT64_FORMAT " bytes", w);
        }
      if (self->peer_gone)
        return fail (self, error, BH_DATA_PIPE_ERROR_PEER_CLOSED,
                     "data pipe: the producer's process went away after %" G_GUINT64_FORMAT " bytes", w);
      if (!self->waiting)
        {
          self->stats.empty_count++;
          trace (self, "empty");
        }
      self->waiting = TRUE;
      return BH_DATA_PIPE_SHOULD_WAIT;
    }
  self->waiting = FALSE;

  n = MIN ((guint64) len, available);
  offset = self->position % self->capacity;
  first = MIN (n, self->capacity - offset);
  memcpy (buf, self->data + offset, first);
  memcpy ((guint8 *) buf + first, self->data, n - first);

  before = self->position;
  self->position += n;
  self->stats.bytes_read = self->position;
  atomic_store_explicit (&self->header->read_pos, self->position, memory_order_release);
  atomic_thread_fence (memory_order_seq_cst);
  if (!load_write_position (self, &state, &w, error))
    return BH_DATA_PIPE_FAILED;
  /* The ring was full as of our previous position: the producer may be
   * waiting for exactly the space we just freed. */
  if (w - before == self->capacity && state == PRODUCER_OPEN)
    signal_peer (self);
  *out_read = n;
  return BH_DATA_PIPE_OK;
}

gboolean
bh_data_pipe_wait (BhDataPipe *self, int timeout_ms)
{
  struct pollfd p = { .fd = self->signal_fd, .events = POLLIN };
  int n;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->peer_gone)
    return TRUE;
  do
    n = poll (&p, 1, timeout_ms);
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return FALSE;
  if (p.revents & (POLLHUP | POLLERR))
    self->peer_gone = TRUE;
  drain_signals (self);
  return TRUE;
}

gsize
bh_data_pipe_get_capacity (BhDataPipe *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->capacity;
}

void
bh_data_pipe_get_stats (BhDataPipe *self, BhDataPipeStats *out_stats)
{
  g_return_if_fail (self != NULL && out_stats != NULL);
  *out_stats = self->stats;
}

void
bh_data_pipe_set_trace (BhDataPipe *self, const char *peer_role, guint peer_pid, const char *peer_label,
                        guint64 id, const char *what)
{
  g_return_if_fail (self != NULL);

  g_free (self->trace_peer_role);
  self->trace_peer_role = g_strdup (peer_role);
  self->trace_peer_pid = peer_pid;
  g_free (self->trace_peer_label);
  self->trace_peer_label = g_strdup (peer_label);
  self->trace_id = id;
  g_free (self->trace_what);
  self->trace_what = g_strdup (what);
}
