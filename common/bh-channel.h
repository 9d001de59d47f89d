/* bh-channel.h: one end of a framed message channel over a socketpair.
 *
 * A channel owns one end of socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC),
 * non-blocking. It runs on a GMainContext (the GTK main loop in the browser, a
 * GMainLoop in children) through a GSource on the fd. Messages are checked
 * against the catalogue on receipt (bh-frame.h); the first protocol error, the
 * peer's hang-up, or a full outgoing queue is reported once through the error
 * handler, and after that the channel neither reads nor writes.
 */
#pragma once

#include <glib.h>

#include "bh-message.h"

G_BEGIN_DECLS

typedef struct _BhChannel BhChannel;

/* What ended a channel, as delivered to the BhChannelErrorFunc. */
typedef enum {
  BH_CHANNEL_ERROR_CLOSED,     /* EOF between frames: the peer closed or died */
  BH_CHANNEL_ERROR_RESET,      /* ECONNRESET / EPIPE */
  BH_CHANNEL_ERROR_PROTOCOL,   /* a frame broke a rule; the GError carries BH_PROTOCOL_ERROR */
  BH_CHANNEL_ERROR_FDS_CUT,    /* MSG_CTRUNC: fds were lost on receipt */
  BH_CHANNEL_ERROR_QUEUE_FULL, /* the peer stopped reading; the outgoing cap was reached */
  BH_CHANNEL_ERROR_TIMED_OUT,  /* a synchronous call's timeout */
  BH_CHANNEL_ERROR_FAILED,     /* any other errno; the message names it */
} BhChannelError;

#define BH_CHANNEL_ERROR (bh_channel_error_quark ())
/* The GError domain of #BhChannelError. */
GQuark bh_channel_error_quark (void);

/* The default cap of the outgoing queue: bytes not yet accepted by the socket. */
#define BH_CHANNEL_DEFAULT_QUEUE_CAP_BYTES (8u * 1024u * 1024u)

/**
 * BhChannelMessageFunc:
 * @channel: the channel
 * @message: (transfer full): a checked message; take its fds with
 *   bh_message_steal_fd(), the rest is freed by the callee's bh_message_free()
 * @user_data: from bh_channel_set_handlers()
 */
typedef void (*BhChannelMessageFunc) (BhChannel *channel, BhMessage *message, gpointer user_data);

/**
 * BhChannelErrorFunc:
 * @channel: the channel, now closed for reading and writing
 * @error: a %BH_CHANNEL_ERROR; for %BH_CHANNEL_ERROR_PROTOCOL its message is
 *   the precise reason, e.g. "FrameReady: payload type (u), the catalogue says (uia(iiii))"
 * @user_data: from bh_channel_set_handlers()
 *
 * Called at most once per channel.
 */
typedef void (*BhChannelErrorFunc) (BhChannel *channel, const GError *error, gpointer user_data);

/**
 * BhChannelReplyFunc:
 * @reply: (nullable) (transfer full): the reply, or %NULL with @error set
 *   (%BH_CHANNEL_ERROR_TIMED_OUT, or the channel's end)
 */
typedef void (*BhChannelReplyFunc) (BhChannel *channel, BhMessage *reply, const GError *error,
                                    gpointer user_data);

/**
 * bh_channel_new_pair:
 * @out_fd: (out): the other end, for the child (close-on-exec, blocking mode
 *   is the child's business)
 * @error: errno from socketpair(2)
 *
 * Creates a socketpair and wraps one end.
 *
 * Returns: (transfer full) (nullable): the channel for this process.
 */
BhChannel *bh_channel_new_pair (BhDirection accepts, int *out_fd, GError **error);

/**
 * bh_channel_new:
 * @fd: (transfer full): a connected SOCK_STREAM AF_UNIX socket; it is made
 *   non-blocking and close-on-exec
 * @accepts: the direction of messages this side receives: %BH_TO_BROWSER in
 *   the browser, %BH_TO_CHILD in a child, %BH_BOTH in tests
 *
 * Returns: (transfer full): a channel, not yet attached to a main context.
 */
BhChannel *bh_channel_new (int fd, BhDirection accepts);

/**
 * bh_channel_set_handlers:
 * @message_func: called for each message that is not a reply to a call
 * @error_func: called once when the channel ends
 * @user_data: passed to both
 */
void bh_channel_set_handlers (BhChannel *channel, BhChannelMessageFunc message_func,
                              BhChannelErrorFunc error_func, gpointer user_data);

/**
 * bh_channel_set_peer:
 * @role: "browser", "renderer" or "plugin"
 * @pid: the peer's pid as this process sees it, or 0
 * @label: (nullable): the peer's site or plugin type
 *
 * Names the peer in trace events.
 */
void bh_channel_set_peer (BhChannel *channel, const char *role, guint pid, const char *label);

/**
 * bh_channel_set_priority:
 * @priority: the main-loop priority of the channel's source (G_PRIORITY_DEFAULT
 *   unless set; a control lane uses G_PRIORITY_HIGH)
 *
 * Whether this channel is read before others that are readable at once.
 */
void bh_channel_set_priority (BhChannel *channel, int priority);

/**
 * bh_channel_set_urgent:
 * @channel: a data lane
 * @urgent: (nullable) (transfer none): its control lane, a second channel to
 *   the same peer for the few messages that must not wait behind data (the
 *   hang monitor's Ping, Stop, Shutdown); %NULL to unlink
 *
 * While @channel delivers what it read, it looks at @urgent after every
 * recvmsg that filled its buffer, so that another read follows (poll(2), zero
 * timeout), and dispatches what waits there first; after a short read the
 * main loop runs @urgent's source first by its priority. So
 * that a peer busy working through a full data lane still answers the control
 * lane within one read's work. @channel keeps a reference on @urgent, whose
 * trace events say lane=control from then on.
 */
void bh_channel_set_urgent (BhChannel *channel, BhChannel *urgent);

/**
 * bh_channel_set_queue_cap:
 * @cap_bytes: the most outgoing bytes that may wait for the peer to read
 */
void bh_channel_set_queue_cap (BhChannel *channel, gsize cap_bytes);

/**
 * bh_channel_attach:
 * @context: (nullable): the main context, %NULL for the default one
 *
 * Starts reading and flushing on @context.
 */
void bh_channel_attach (BhChannel *channel, GMainContext *context);

/**
 * bh_channel_send:
 * @type: a catalogue type this side may send
 * @payload: (nullable): floating refs are sunk; of the catalogue's type
 * @fds: (array length=n_fds) (nullable): fds to send; they are dup'ed, the
 *   caller keeps its own
 * @n_fds: must equal the catalogue's fd count
 *
 * Queues a message and writes what the socket takes now (MSG_NOSIGNAL).
 *
 * Returns: the message's serial, or 0 if the channel has ended or the queue
 *   cap was reached (the error handler is then called from the main loop).
 */
guint32 bh_channel_send (BhChannel *channel, BhMessageType type, GVariant *payload, const int *fds,
                         guint n_fds);

/**
 * bh_channel_reply:
 * @request: the message being answered; its serial becomes the reply serial
 *
 * As bh_channel_send(), for a reply.
 */
guint32 bh_channel_reply (BhChannel *channel, const BhMessage *request, BhMessageType type,
                          GVariant *payload, const int *fds, guint n_fds);

/**
 * bh_channel_call:
 * @timeout_ms: how long to wait for the reply; 0 waits for ever
 * @reply_func: called once, with the reply or an error
 *
 * Sends a request (BH_FRAME_FLAG_REQUEST) and matches the reply by serial.
 *
 * Returns: the request's serial, or 0 if it could not be sent (@reply_func
 *   has then already been called, before this returns, with the error).
 */
guint32 bh_channel_call (BhChannel *channel, BhMessageType type, GVariant *payload, const int *fds,
                         guint n_fds, guint timeout_ms, BhChannelReplyFunc reply_func,
                         gpointer user_data);

/**
 * bh_channel_call_sync:
 * @timeout_ms: the most time to wait, in milliseconds (> 0)
 * @out_reply: (out) (transfer full): the reply
 * @error: %BH_CHANNEL_ERROR_TIMED_OUT, or why the channel ended
 *
 * Sends a request and blocks, polling only this channel's fd, until its reply
 * comes. Other messages that arrive meanwhile are delivered afterwards from
 * the main loop, in order. For the few places that cannot be asynchronous.
 */
gboolean bh_channel_call_sync (BhChannel *channel, BhMessageType type, GVariant *payload,
                               const int *fds, guint n_fds, guint timeout_ms, BhMessage **out_reply,
                               GError **error);

/**
 * bh_channel_close:
 *
 * Stops reading and writing and closes the fd now. Pending calls fail with
 * %BH_CHANNEL_ERROR_CLOSED; the error handler is not called.
 */
void bh_channel_close (BhChannel *channel);

/**
 * bh_channel_is_open:
 *
 * Returns: %FALSE once the channel has ended or been closed.
 */
gboolean bh_channel_is_open (BhChannel *channel);

/**
 * bh_channel_get_queued_bytes:
 *
 * Returns: outgoing bytes not yet taken by the socket.
 */
gsize bh_channel_get_queued_bytes (BhChannel *channel);

/**
 * bh_channel_get_counts:
 * @out_in: (out) (optional): messages received
 * @out_out: (out) (optional): messages sent
 */
void bh_channel_get_counts (BhChannel *channel, guint64 *out_in, guint64 *out_out);

/**
 * bh_channel_ref:
 *
 * Returns: (transfer full): @channel, with one more reference.
 */
BhChannel *bh_channel_ref (BhChannel *channel);

/**
 * bh_channel_unref:
 * @channel: (nullable) (transfer full):
 *
 * Drops a reference; the last one closes the fd, closes every fd still
 * queued or received and not taken, and drops pending calls without calling
 * their callbacks (call bh_channel_close() first to have them called).
 */
void bh_channel_unref (BhChannel *channel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhChannel, bh_channel_unref)

G_END_DECLS
