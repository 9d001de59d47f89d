/* bh-data-pipe.h: a byte stream between two processes through a shared-memory ring.
 *
 * Chromium streams a navigation's body to the renderer through a Mojo data
 * pipe; this is Bulkhead's: one producer, one consumer, a ring of bytes in a
 * memfd and a small signal for "data ready" and "space free".
 *
 *   memfd:  | header (one page)                    | data area (capacity bytes) |
 *           | magic, version, capacity             |                            |
 *           | write position, producer state  (P)  |                            |
 *           | read position, consumer state   (C)  |                            |
 *
 * Positions are byte counts since the start, 64-bit C11 atomics that only
 * grow: the producer stores the write position with release order after
 * copying bytes in, the consumer loads it with acquire order before copying
 * them out, and the other way round for the read position. Each side keeps its
 * own position privately and only publishes it; what it loads from the peer is
 * validated against what it knows (the capacity it was given, its own
 * position, the peer's last value) on every load, because the peer is another
 * process and, for the browser, an untrusted one. A position that goes
 * backwards or claims more than the capacity is %BH_DATA_PIPE_ERROR_BAD_PEER:
 * the owner treats it as a bad message.
 *
 * Both sides map the header read-write (each writes its own position and
 * state there); the consumer maps the data area read-only and copies bytes
 * out before it uses them, so a producer that rewrites the ring cannot change
 * what was already taken.
 *
 * Readiness: a SOCK_SEQPACKET socketpair, one end per side, carries one-byte
 * wake-ups. A side sends one only when the peer may be asleep: the producer
 * when it wrote into a ring the consumer had emptied, the consumer when it
 * read from a ring the producer had found full (a seq_cst fence between
 * publishing one's own position and loading the peer's makes that decision
 * race-free). Each side sleeps in its GLib main loop on its end; the end also
 * reports the peer's death (POLLHUP). Not an eventfd: an eventfd's counter and
 * its O_NONBLOCK flag belong to one open file shared by both holders, so an
 * untrusted peer could make the other side's write(2) or read(2) block for
 * ever, and an eventfd never says that its peer died.
 *
 * End of data and failure are states in the header, stored with release order
 * after the last write position and followed by a wake-up.
 */
#pragma once

#include <glib.h>

#include "bh-data-pipe-stats.h"

G_BEGIN_DECLS

typedef struct _BhDataPipe BhDataPipe;

typedef enum {
  BH_DATA_PIPE_ERROR_SYSTEM,          /* memfd, socketpair or mmap failed: errno in the message */
  BH_DATA_PIPE_ERROR_BAD_PEER,        /* the peer broke the pipe's rules (a position, a state, the header) */
  BH_DATA_PIPE_ERROR_PEER_CLOSED,     /* the consumer stopped reading, or the peer's process is gone */
  BH_DATA_PIPE_ERROR_PRODUCER_FAILED, /* the producer ended in its failure state: the data is incomplete */
} BhDataPipeError;

#define BH_DATA_PIPE_ERROR (bh_data_pipe_error_quark ())
/* The GError domain of #BhDataPipeError. */
GQuark bh_data_pipe_error_quark (void);

/* What a read or a write did. */
typedef enum {
  BH_DATA_PIPE_OK,          /* some bytes moved */
  BH_DATA_PIPE_SHOULD_WAIT, /* the ring is full (write) or empty (read): wait for the callback */
  BH_DATA_PIPE_DONE,        /* read: the producer finished and every byte has been read */
  BH_DATA_PIPE_FAILED,      /* the error is set; the pipe will not move again */
} BhDataPipeResult;

/* The fds a consumer needs: the memfd, then its end of the signal socket. */
#define BH_DATA_PIPE_N_FDS 2u
/* A ring smaller than the largest read lws hands over in one go (64 KiB) would
 * wake the consumer several times per network read. */
#define BH_DATA_PIPE_DEFAULT_CAPACITY_BYTES (256u * 1024u)
/* The consumer refuses larger rings: it maps the whole data area. */
#define BH_DATA_PIPE_MAX_CAPACITY_BYTES (64u * 1024u * 1024u)
/* Bytes before the data area: the header, one page. */
#define BH_DATA_PIPE_HEADER_BYTES 4096u

/**
 * BhDataPipeFunc:
 * @pipe: the pipe
 * @user_data: from bh_data_pipe_set_callback()
 *
 * Called from the main context when the peer signalled or hung up: for a
 * producer, space may be free or the consumer is gone; for a consumer, data,
 * the end or a failure may be there. Call bh_data_pipe_write() or
 * bh_data_pipe_read() to find out. The pipe may be freed from the callback.
 */
typedef void (*BhDataPipeFunc) (BhDataPipe *pipe, gpointer user_data);

/**
 * bh_data_pipe_new:
 * @capacity_bytes: size of the ring, 1..%BH_DATA_PIPE_MAX_CAPACITY_BYTES
 * @out_consumer_fds: (out) (array fixed-size=2) (transfer full): the memfd and the
 *   consumer's end of the signal socket, close-on-exec, for
 *   bh_data_pipe_new_consumer() in the peer; send them (SCM_RIGHTS) and close them
 * @error: %BH_DATA_PIPE_ERROR_SYSTEM
 *
 * Creates a ring (a memfd sealed against shrinking and growing, mapped
 * read-write) and its signal socket; this side is the producer.
 *
 * Returns: (transfer full) (nullable): the producer.
 */
BhDataPipe *bh_data_pipe_new (gsize capacity_bytes, int out_consumer_fds[2], GError **error);

/**
 * bh_data_pipe_new_consumer:
 * @memfd: (transfer full): the ring, closed on failure too
 * @signal_fd: (transfer full): the consumer's end of the signal socket
 * @capacity_bytes: the capacity the producer announced in its message
 * @error: %BH_DATA_PIPE_ERROR_BAD_PEER if the memfd lacks the size seals,
 *   is not exactly header + @capacity_bytes long, its header disagrees, or
 *   @signal_fd is not a SOCK_SEQPACKET socket; %BH_DATA_PIPE_ERROR_SYSTEM
 *
 * Checks and maps the producer's ring; this side is the consumer. The header
 * is read for its magic, version and capacity only here: afterwards the
 * consumer relies on @capacity_bytes alone.
 *
 * Returns: (transfer full) (nullable): the consumer.
 */
BhDataPipe *bh_data_pipe_new_consumer (int memfd, int signal_fd, gsize capacity_bytes, GError **error);

/**
 * bh_data_pipe_free:
 * @pipe: (nullable) (transfer full):
 *
 * Ends this side: a consumer publishes "closed", a producer that had not
 * called bh_data_pipe_finish() publishes "failed"; the peer is woken. Unmaps
 * and closes everything.
 */
void bh_data_pipe_free (BhDataPipe *pipe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhDataPipe, bh_data_pipe_free)

/**
 * bh_data_pipe_set_callback:
 * @context: (nullable): the main context, %NULL for the default one
 * @func: (nullable): called when the peer signals; %NULL stops watching
 * @user_data: for @func
 *
 * Watches this side's end of the signal socket on @context.
 */
void bh_data_pipe_set_callback (BhDataPipe *pipe, GMainContext *context, BhDataPipeFunc func,
                                gpointer user_data);

/**
 * bh_data_pipe_write:
 * @data: (array length=len): bytes to add
 * @len: bytes, > 0
 * @out_written: (out): bytes taken, 1..@len on %BH_DATA_PIPE_OK, else 0
 * @error: %BH_DATA_PIPE_ERROR_PEER_CLOSED, %BH_DATA_PIPE_ERROR_BAD_PEER
 *
 * Producer only. Copies as much of @data as the ring has room for and wakes
 * the consumer if it may be asleep. Never blocks: on a full ring it returns
 * %BH_DATA_PIPE_SHOULD_WAIT and the callback comes when the consumer frees
 * space (backpressure: stop reading your source until then).
 *
 * Returns: what happened.
 */
BhDataPipeResult bh_data_pipe_write (BhDataPipe *pipe, const void *data, gsize len, gsize *out_written,
                                     GError **error);

/**
 * bh_data_pipe_finish:
 *
 * Producer only: there is no more data. The consumer reads what is left and
 * then gets %BH_DATA_PIPE_DONE.
 */
void bh_data_pipe_finish (BhDataPipe *pipe);

/**
 * bh_data_pipe_fail:
 *
 * Producer only: the data ends here, incomplete (the network failed, a cap was
 * reached). The consumer reads what is left and then gets
 * %BH_DATA_PIPE_ERROR_PRODUCER_FAILED.
 */
void bh_data_pipe_fail (BhDataPipe *pipe);

/**
 * bh_data_pipe_read:
 * @buf: (array length=len): where to copy the bytes
 * @len: bytes, > 0
 * @out_read: (out): bytes copied, 1..@len on %BH_DATA_PIPE_OK, else 0
 * @error: %BH_DATA_PIPE_ERROR_BAD_PEER, %BH_DATA_PIPE_ERROR_PEER_CLOSED
 *   (the producer's process went away before the end),
 *   %BH_DATA_PIPE_ERROR_PRODUCER_FAILED
 *
 * Consumer only. Copies out what has arrived, up to @len bytes, frees that
 * space and wakes the producer if it was waiting for space.
 *
 * Returns: what happened; %BH_DATA_PIPE_SHOULD_WAIT when the ring is empty and
 *   the producer has not finished.
 */
BhDataPipeResult bh_data_pipe_read (BhDataPipe *pipe, void *buf, gsize len, gsize *out_read, GError **error);

/**
 * bh_data_pipe_wait:
 * @timeout_ms: the most to wait, -1 for ever
 *
 * Blocks in poll(2) until the peer signals or hangs up, for code without a
 * main loop (tests, benchmarks). Consumes the wake-ups like the callback does.
 *
 * Returns: %FALSE if @timeout_ms passed first.
 */
gboolean bh_data_pipe_wait (BhDataPipe *pipe, int timeout_ms);

/**
 * bh_data_pipe_get_capacity:
 *
 * Returns: the ring's capacity in bytes.
 */
gsize bh_data_pipe_get_capacity (BhDataPipe *pipe);

/**
 * bh_data_pipe_get_stats:
 * @out_stats: (out): the counts so far
 */
void bh_data_pipe_get_stats (BhDataPipe *pipe, BhDataPipeStats *out_stats);

/**
 * bh_data_pipe_set_trace:
 * @peer_role: "browser", "renderer"...
 * @peer_pid: the peer's pid as this process sees it, or 0
 * @peer_label: (nullable): the peer's site
 * @id: what names the pipe in traces, e.g. the navigation id
 * @what: (nullable): what flows, e.g. "navigation body"
 *
 * Names the pipe in its trace events (bh-trace.h, message name "DataPipe"):
 * wake-ups sent, full and empty rings, the end, failures.
 */
void bh_data_pipe_set_trace (BhDataPipe *pipe, const char *peer_role, guint peer_pid, const char *peer_label,
                             guint64 id, const char *what);

G_END_DECLS
