/* bh-channel.c: framed messages over a non-blocking socketpair, on a GMainContext.
 *
 * Reading: recvmsg(2) with MSG_CMSG_CLOEXEC into the frame decoder, which
 * checks every frame (bh-frame.c). Linux hands at most one sendmsg's fds to
 * one recvmsg on a stream socket (unix_stream_read_generic stops after an skb
 * that carried fds), and a sender here never attaches more than BH_MAX_FDS to
 * one sendmsg, so a control buffer for BH_MAX_FDS fds is enough; MSG_CTRUNC
 * means the peer sent more than any frame may carry.
 *
 * Writing: frames wait in a queue capped in bytes; the fds of a frame travel
 * with its first sendmsg, as the decoder expects.
 */
#include "bh-channel.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bh-frame.h"
#include "bh-trace.h"

G_DEFINE_QUARK (bh-channel-error-quark, bh_channel_error)

#define READ_CHUNK_BYTES (64u * 1024u)
/* Bytes read per dispatch before yielding to the rest of the main loop, so a
 * flooding peer cannot starve the UI. */
#define READ_BUDGET_BYTES (1024u * 1024u)

typedef struct {
  guint8 header[BH_FRAME_HEADER_BYTES];
  GBytes *payload;
  gsize offset; /* bytes of header + payload already taken by the socket */
  int fds[BH_MAX_FDS];
  guint n_fds;
} OutFrame;

typedef struct {
  BhChannel *channel;
  guint32 serial;
  BhChannelReplyFunc func;
  gpointer user_data;
  GSource *timeout; /* nullable */
} PendingCall;

typedef struct {
  GSource source;
  BhChannel *channel; /* not a reference: the channel owns the source */
  gpointer tag;
} ChannelSource;

struct _BhChannel {
  gatomicrefcount ref_count;
  int fd;
  BhDirection accepts;
  BhFrameDecoder *decoder;
  GMainContext *context;
  ChannelSource *source;

  GQueue out_queue; /* OutFrame */
  gsize queued_bytes;
  gsize queue_cap_bytes;
  guint32 next_serial;

  GHashTable *pending_calls; /* serial -> PendingCall */
  GQueue deferred;           /* BhMessage received during call_sync */
  GSource *deferred_idle;

  BhChannelMessageFunc message_func;
  BhChannelErrorFunc error_func;
  gpointer user_data;

  char *peer_role;
  guint peer_pid;
  char *peer_label;

  int priority;       /* the GSource's */
  char *lane;         /* NULL, or "control" */
  BhChannel *urgent;  /* (owned) (nullable) the control lane, read first */

  gboolean ended;
  gboolean in_send;      /* errors found now are delivered later */
  GError *pending_error; /* an error to deliver from the main loop */
  guint64 n_in, n_out;
};

static void channel_end (BhChannel *self, GError *error);
static void update_condition (BhChannel *self);

static void
out_frame_free (OutFrame *f)
{
  for (guint i = 0; i < f->n_fds; i++)
    if (f->fds[i] >= 0)
      close (f->fds[i]);
  g_bytes_unref (f->payload);
  g_free (f);
}

static void
pending_call_free (PendingCall *call)
{
  if (call->timeout)
    {
      g_source_destroy (call->timeout);
      g_source_unref (call->timeout);
    }
  g_free (call);
}

static void
trace (BhChannel *self, BhTraceDirection direction, const BhMessage *message, gsize payload_bytes)
{
  BhTraceEvent event = {
    .time_us = g_get_monotonic_time (),
    .direction = direction,
    .peer_role = self->peer_role ? self->peer_role : "peer",
    .peer_pid = self->peer_pid,
    .peer_label = self->peer_label,
    .message = message,
    .payload_bytes = payload_bytes,
    .lane = self->lane,
  };

  bh_trace_emit (&event);
}

/* ---- reading ---------------------------------------------------------- */

/* As dispatch_message() below, timing the handler for the trace: the event
 * is built from what is copied before the handler takes the message. */
static void
dispatch_message_timed (BhChannel *self, BhMessage *message, void (*dispatch) (BhChannel *, BhMessage *))
{
  g_autoptr (BhChannel) hold = bh_channel_ref (self);
  BhMessage shown = { .type = message->type, .serial = message->serial, .reply_serial = message->reply_serial };
  gint64 start = g_get_monotonic_time ();
  BhTraceEvent event = { .direction = BH_TRACE_HANDLED, .message = &shown };

  dispatch (self, message);
  event.time_us = start;
  event.handled_us = g_get_monotonic_time () - start;
  event.peer_role = self->peer_role ? self->peer_role : "peer";
  event.peer_pid = self->peer_pid;
  event.peer_label = self->peer_label;
  event.lane = self->lane;
  bh_trace_emit (&event);
}

static void dispatch_message_now (BhChannel *self, BhMessage *message);

static void
dispatch_message (BhChannel *self, BhMessage *message)
{
  if (G_UNLIKELY (bh_trace_wants_handled ()))
    dispatch_message_timed (self, message, dispatch_message_now);
  else
    dispatch_message_now (self, message);
}

static void
dispatch_message_now (BhChannel *self, BhMessage *message)
{
  PendingCall *call;

  self->n_in++;
  if (message->reply_serial != 0 &&
      (call = g_hash_table_lookup (self->pending_calls, GUINT_TO_POINTER (message->reply_serial))))
    {
      g_hash_table_steal (self->pending_calls, GUINT_TO_POINTER (message->reply_serial));
      call->func (self, message, NULL, call->user_data);
      pending_call_free (call);
      return;
    }
  if (self->message_func)
    self->message_func (self, message, self->user_data);
  else
    bh_message_free (message);
}

/* Takes complete frames off the decoder. @deliver: dispatch them now; else
 * keep them in the deferred queue. Returns FALSE once the channel ended. */
static gboolean
decode_frames (BhChannel *self, gboolean deliver, guint32 wanted_reply, BhMessage **out_reply)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      BhMessage *message = NULL;

      if (self->ended)
        return FALSE;
      if (!bh_frame_decoder_next (self->decoder, &message, &error))
        {
          if (error)
            {
              GError *e = g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL, "%s", error->message);
              channel_end (self, e);
              return FALSE;
            }
          return TRUE;
        }

      if (bh_trace_is_enabled ())
        trace (self, BH_TRACE_RECEIVED, message, g_variant_get_size (message->payload));

      if (out_reply && wanted_reply != 0 && message->reply_serial == wanted_reply)
        {
          self->n_in++;
          *out_reply = message;
          wanted_reply = 0;
        }
      else if (deliver && self->deferred.length == 0)
        dispatch_message (self, message);
      else
        g_queue_push_tail (&self->deferred, message);
    }
}

static gboolean read_and_decode (BhChannel *self, gsize budget, gboolean deliver, guint32 wanted_reply,
                                 BhMessage **out_reply, gboolean *out_eof);
static void handle_eof (BhChannel *self);
static void dispatch_deferred (BhChannel *self);

/* Reads and dispatches what the control lane holds now, if anything. */
static void
serve_urgent (BhChannel *urgent)
{
  g_autoptr (BhChannel) hold = bh_channel_ref (urgent);
  struct pollfd p = { .fd = urgent->fd, .events = POLLIN };
  gboolean eof = FALSE;

  if (urgent->ended || urgent->fd < 0 || urgent->source == NULL || poll (&p, 1, 0) <= 0)
    return;
  dispatch_deferred (urgent);
  if (read_and_decode (urgent, READ_BUDGET_BYTES, TRUE, 0, NULL, &eof) && eof)
    handle_eof (urgent);
}

/* Reads what the socket has, up to @budget bytes, and takes the frames off
 * the decoder after every recvmsg (as decode_frames() does with @deliver,
 * @wanted_reply and @out_reply): fds then never pile up beyond one frame's,
 * which is what lets the decoder refuse fds no frame declared. Stops early
 * once @out_reply is set. Returns FALSE once the channel has ended. */
static gboolean
read_and_decode (BhChannel *self, gsize budget, gboolean deliver, guint32 wanted_reply,
                 BhMessage **out_reply, gboolean *out_eof)
{
  guint8 buf[READ_CHUNK_BYTES];
  union {
    struct cmsghdr align;
    char bytes[CMSG_SPACE (sizeof (int) * BH_MAX_FDS)];
  } control;
  gsize total = 0;

  *out_eof = FALSE;
  while (total < budget)
    {
      struct iovec iov = { buf, sizeof buf };
      struct msghdr msg = { 0 };
      ssize_t n;

      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control.bytes;
      msg.msg_controllen = sizeof control.bytes;

      n = recvmsg (self->fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
      if (n < 0)
        {
          int e = errno;
          if (e == EINTR)
            continue;
          if (e == EAGAIN || e == EWOULDBLOCK)
            return TRUE;
          if (e == ECONNRESET)
            channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_RESET,
                                            "connection reset by the peer"));
          else
            channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_FAILED,
                                            "recvmsg: %s", g_strerror (e)));
          return FALSE;
        }

      /* Take the fds first, so that none leaks whatever happens next. */
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
          {
            guint n_fds = (c->cmsg_len - CMSG_LEN (0)) / sizeof (int);
            int fds[BH_MAX_FDS];
            memcpy (fds, CMSG_DATA (c), MIN (n_fds, BH_MAX_FDS) * sizeof (int));
            bh_frame_decoder_push_fds (self->decoder, fds, MIN (n_fds, BH_MAX_FDS));
          }
      if (msg.msg_flags & MSG_CTRUNC)
        {
          channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_FDS_CUT,
                                          "fds were cut on receipt (MSG_CTRUNC): the peer sent more "
                                          "than %u fds at once",
                                          BH_MAX_FDS));
          return FALSE;
        }
      if (n == 0)
        {
          *out_eof = TRUE;
          return TRUE;
        }
      bh_frame_decoder_push_bytes (self->decoder, buf, (gsize) n);
      total += (gsize) n;
      if (!decode_frames (self, deliver, wanted_reply, out_reply))
        return FALSE;
      if (out_reply != NULL && *out_reply != NULL)
        return TRUE;
      /* A short read drained the socket: skip the recvmsg that would only say
       * EAGAIN; poll wakes us for what comes next (and the control lane's
       * higher-priority source goes first then). */
      if ((gsize) n < sizeof buf)
        return TRUE;
      /* Between two reads of a busy data lane, whatever waits on the control
       * lane goes first: a Stop behind a megabyte of frames is still answered.
       * Only here, where another read follows, so an idle lane costs nothing. */
      if (deliver && self->urgent != NULL)
        serve_urgent (self->urgent);
    }
  return TRUE;
}

static void
handle_eof (BhChannel *self)
{
  g_autoptr (GError) truncated = NULL;

  if (!bh_frame_decoder_finish (self->decoder, &truncated))
    channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_PROTOCOL, "%s",
                                    truncated->message));
  else
    channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED,
                                    "the peer closed the channel"));
}

static void
dispatch_deferred (BhChannel *self)
{
  BhMessage *message;

  while (!self->ended && (message = g_queue_pop_head (&self->deferred)))
    dispatch_message (self, message);
}

/* ---- writing ---------------------------------------------------------- */

/* Writes queued frames until the socket would block. Returns FALSE once the
 * channel has ended. */
static gboolean
flush (BhChannel *self)
{
  OutFrame *f;

  while ((f = g_queue_peek_head (&self->out_queue)))
    {
      gsize payload_len;
      const guint8 *payload = g_bytes_get_data (f->payload, &payload_len);
      gsize len = BH_FRAME_HEADER_BYTES + payload_len;
      struct iovec iov[2];
      struct msghdr msg = { 0 };
      union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE (sizeof (int) * BH_MAX_FDS)];
      } control;
      ssize_t n;

      /* Header and payload go out in one sendmsg, without being copied together. */
      if (f->offset < BH_FRAME_HEADER_BYTES)
        {
          iov[0].iov_base = f->header + f->offset;
          iov[0].iov_len = BH_FRAME_HEADER_BYTES - f->offset;
          iov[1].iov_base = (void *) payload;
          iov[1].iov_len = payload_len;
          msg.msg_iovlen = payload_len > 0 ? 2 : 1;
        }
      else
        {
          iov[0].iov_base = (void *) (payload + (f->offset - BH_FRAME_HEADER_BYTES));
          iov[0].iov_len = len - f->offset;
          msg.msg_iovlen = 1;
        }
      msg.msg_iov = iov;
      if (f->offset == 0 && f->n_fds > 0)
        {
          struct cmsghdr *c;
          memset (&control, 0, sizeof control);
          msg.msg_control = control.bytes;
          msg.msg_controllen = CMSG_SPACE (sizeof (int) * f->n_fds);
          c = CMSG_FIRSTHDR (&msg);
          c->cmsg_level = SOL_SOCKET;
          c->cmsg_type = SCM_RIGHTS;
          c->cmsg_len = CMSG_LEN (sizeof (int) * f->n_fds);
          memcpy (CMSG_DATA (c), f->fds, sizeof (int) * f->n_fds);
        }

      n = sendmsg (self->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0)
        {
          int e = errno;
          if (e == EINTR)
            continue;
          if (e == EAGAIN || e == EWOULDBLOCK)
            break;
          if (e == EPIPE || e == ECONNRESET)
            channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_RESET,
                                            "the peer is gone (%s)", g_strerror (e)));
          else
            channel_end (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_FAILED,
                                            "sendmsg: %s", g_strerror (e)));
          return FALSE;
        }
      if (f->offset == 0 && f->n_fds > 0)
        {
          /* The kernel holds its own references now. */
          for (guint i = 0; i < f->n_fds; i++)
            {
              close (f->fds[i]);
              f->fds[i] = -1;
            }
        }
      f->offset += (gsize) n;
      self->queued_bytes -= (gsize) n;
      if (f->offset == len)
        out_frame_free (g_queue_pop_head (&self->out_queue));
    }
  update_condition (self);
  return TRUE;
}

/* ---- the GSource ------------------------------------------------------ */

static void
update_condition (BhChannel *self)
{
  GIOCondition cond = G_IO_IN;

  if (self->source == NULL || self->ended)
    return;
  if (self->out_queue.length > 0)
    cond |= G_IO_OUT;
  g_source_modify_unix_fd ((GSource *) self->source, self->source->tag, cond);
}

static gboolean
channel_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  ChannelSource *cs = (ChannelSource *) source;
  g_autoptr (BhChannel) self = bh_channel_ref (cs->channel);
  GIOCondition revents = g_source_query_unix_fd (source, cs->tag);
  gboolean eof = FALSE;

  dispatch_deferred (self);

  if (!self->ended && (revents & G_IO_OUT))
    flush (self);

  if (!self->ended && (revents & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
    {
      if (read_and_decode (self, READ_BUDGET_BYTES, TRUE, 0, NULL, &eof) && eof)
        handle_eof (self);
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs channel_source_funcs = {
  .dispatch = channel_source_dispatch,
};

static gboolean
deferred_idle_cb (gpointer data)
{
  BhChannel *self = data;
  GError *error;

  g_clear_pointer (&self->deferred_idle, g_source_unref);
  dispatch_deferred (self);
  error = g_steal_pointer (&self->pending_error);
  if (error)
    {
      if (self->error_func)
        self->error_func (self, error, self->user_data);
      g_error_free (error);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_deferred (BhChannel *self)
{
  if (self->deferred_idle)
    return;
  self->deferred_idle = g_idle_source_new ();
  /* As urgent as the socket they came from: at an idle's default priority,
   * a window that redraws every frame (a tab's spinner while it loads)
   * would hold them back for as long. */
  g_source_set_priority (self->deferred_idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->deferred_idle, deferred_idle_cb, bh_channel_ref (self),
                         (GDestroyNotify) bh_channel_unref);
  g_source_attach (self->deferred_idle, self->context);
}

/* ---- ending ----------------------------------------------------------- */

static void
fail_pending_calls (BhChannel *self, const GError *error)
{
  GHashTableIter iter;
  gpointer value;
  GList *calls = NULL;

  g_hash_table_iter_init (&iter, self->pending_calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      calls = g_list_prepend (calls, value);
      g_hash_table_iter_steal (&iter);
    }
  for (GList *l = calls; l; l = l->next)
    {
      PendingCall *call = l->data;
      call->func (self, NULL, error, call->user_data);
      pending_call_free (call);
    }
  g_list_free (calls);
}

static void
stop_io (BhChannel *self)
{
  self->ended = TRUE;
  if (self->source)
    {
      g_source_destroy ((GSource *) self->source);
      g_source_unref ((GSource *) self->source);
      self->source = NULL;
    }
  g_queue_clear_full (&self->out_queue, (GDestroyNotify) out_frame_free);
  self->queued_bytes = 0;
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

/* Ends the channel and tells the owner, now if it is safe to call back. */
static void channel_end_later (BhChannel *self, GError *error);

static void
channel_end (BhChannel *self, GError *error)
{
  g_autoptr (BhChannel) hold = bh_channel_ref (self);

  if (self->in_send)
    {
      channel_end_later (self, error);
      return;
    }
  if (self->ended)
    {
      g_error_free (error);
      return;
    }
  stop_io (self);
  fail_pending_calls (self, error);
  if (self->error_func)
    self->error_func (self, error, self->user_data);
  g_error_free (error);
}

/* For errors found inside a call from the owner (send): deliver from the
 * main loop, so the owner is never re-entered. */
static void
channel_end_later (BhChannel *self, GError *error)
{
  if (self->ended)
    {
      g_error_free (error);
      return;
    }
  stop_io (self);
  fail_pending_calls (self, error);
  self->pending_error = error;
  schedule_deferred (self);
}

/* ---- public API ------------------------------------------------------- */

BhChannel *
bh_channel_new (int fd, BhDirection accepts)
{
  BhChannel *self;
  int flags;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_new0 (BhChannel, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->fd = fd;
  self->accepts = accepts;
  self->decoder = bh_frame_decoder_new (accepts);
  self->queue_cap_bytes = BH_CHANNEL_DEFAULT_QUEUE_CAP_BYTES;
  self->next_serial = 1;
  self->pending_calls = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->out_queue);
  g_queue_init (&self->deferred);

  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags | O_NONBLOCK);
  fcntl (fd, F_SETFD, FD_CLOEXEC);
  return self;
}

BhChannel *
bh_channel_new_pair (BhDirection accepts, int *out_fd, GError **error)
{
  int sv[2];

  g_return_val_if_fail (out_fd != NULL, NULL);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "socketpair: %s", g_strerror (e));
      return NULL;
    }
  *out_fd = sv[1];
  return bh_channel_new (sv[0], accepts);
}

BhChannel *
bh_channel_ref (BhChannel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
bh_channel_unref (BhChannel *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  stop_io (self);
  g_clear_pointer (&self->pending_error, g_error_free);
  /* Pending calls hold no reference; with the last one gone, drop them quietly. */
  {
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init (&iter, self->pending_calls);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      pending_call_free (value);
  }
  g_hash_table_unref (self->pending_calls);
  g_queue_clear_full (&self->deferred, (GDestroyNotify) bh_message_free);
  bh_frame_decoder_free (self->decoder);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->urgent, bh_channel_unref);
  g_free (self->lane);
  g_free (self->peer_role);
  g_free (self->peer_label);
  g_free (self);
}

void
bh_channel_set_priority (BhChannel *self, int priority)
{
  g_return_if_fail (self != NULL);

  self->priority = priority;
  if (self->source)
    g_source_set_priority ((GSource *) self->source, priority);
}

void
bh_channel_set_urgent (BhChannel *self, BhChannel *urgent)
{
  g_return_if_fail (self != NULL && urgent != self);

  if (urgent && urgent->lane == NULL)
    urgent->lane = g_strdup ("control");
  if (urgent)
    bh_channel_ref (urgent);
  g_clear_pointer (&self->urgent, bh_channel_unref);
  self->urgent = urgent;
}

void
bh_channel_set_handlers (BhChannel *self, BhChannelMessageFunc message_func,
                         BhChannelErrorFunc error_func, gpointer user_data)
{
  g_return_if_fail (self != NULL);
  self->message_func = message_func;
  self->error_func = error_func;
  self->user_data = user_data;
}

void
bh_channel_set_peer (BhChannel *self, const char *role, guint pid, const char *label)
{
  g_return_if_fail (self != NULL);
  g_free (self->peer_role);
  g_free (self->peer_label);
  self->peer_role = g_strdup (role);
  self->peer_pid = pid;
  self->peer_label = g_strdup (label);
}

void
bh_channel_set_queue_cap (BhChannel *self, gsize cap_bytes)
{
  g_return_if_fail (self != NULL);
  self->queue_cap_bytes = cap_bytes;
}

void
bh_channel_attach (BhChannel *self, GMainContext *context)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->source == NULL);

  self->context = g_main_context_ref (context ? context : g_main_context_default ());
  if (self->ended)
    return;
  self->source = (ChannelSource *) g_source_new (&channel_source_funcs, sizeof (ChannelSource));
  self->source->channel = self;
  self->source->tag = g_source_add_unix_fd ((GSource *) self->source, self->fd, G_IO_IN);
  g_source_set_name ((GSource *) self->source, "BhChannel");
  g_source_set_priority ((GSource *) self->source, self->priority);
  g_source_attach ((GSource *) self->source, self->context);
  update_condition (self);
  if (self->deferred.length > 0)
    schedule_deferred (self);
}

static guint32
send_frame (BhChannel *self, BhMessageType type, GVariant *payload, const int *fds, guint n_fds,
            guint16 flags, guint32 reply_serial)
{
  const BhMessageInfo *info = bh_message_info_lookup (type);
  g_autoptr (GVariant) sunk = payload ? g_variant_ref_sink (payload) : NULL;
  g_autoptr (GBytes) body = NULL;
  BhFrameHeader h = { 0 };
  OutFrame *f;
  gsize body_len;

  g_return_val_if_fail (info != NULL, 0);
  g_return_val_if_fail (n_fds == info->n_fds, 0);
  g_return_val_if_fail (n_fds == 0 || fds != NULL, 0);

  if (self->ended)
    return 0;

  body = bh_frame_encode_payload (type, sunk);
  g_return_val_if_fail (body != NULL, 0);
  body_len = g_bytes_get_size (body);
  g_return_val_if_fail (body_len <= BH_MAX_PAYLOAD_BYTES, 0);

  if (self->queued_bytes + BH_FRAME_HEADER_BYTES + body_len > self->queue_cap_bytes)
    {
      channel_end_later (self, g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_QUEUE_FULL,
                                            "the peer stopped reading: %" G_GSIZE_FORMAT
                                            " bytes are queued (cap %" G_GSIZE_FORMAT ")",
                                            self->queued_bytes, self->queue_cap_bytes));
      return 0;
    }

  f = g_new0 (OutFrame, 1);
  for (guint i = 0; i < n_fds; i++)
    {
      f->fds[i] = fcntl (fds[i], F_DUPFD_CLOEXEC, 3);
      if (f->fds[i] < 0)
        {
          int e = errno;
          f->n_fds = i;
          out_frame_free (f);
          g_critical ("bh_channel_send: cannot dup fd %d: %s", fds[i], g_strerror (e));
          return 0;
        }
    }
  f->n_fds = n_fds;

  h.magic = BH_FRAME_MAGIC;
  h.version = BH_FRAME_VERSION;
  h.type = type;
  h.payload_len = body_len;
  h.flags = flags;
  h.n_fds = n_fds;
  h.serial = self->next_serial++;
  if (self->next_serial == 0)
    self->next_serial = 1;
  h.reply_serial = reply_serial;

  bh_frame_header_encode (&h, f->header);
  f->payload = g_bytes_ref (body);

  g_queue_push_tail (&self->out_queue, f);
  self->queued_bytes += BH_FRAME_HEADER_BYTES + body_len;
  self->n_out++;

  if (bh_trace_is_enabled ())
    {
      BhMessage m = { .type = type, .flags = flags, .serial = h.serial,
                      .reply_serial = reply_serial, .n_fds = n_fds };
      g_autoptr (GVariant) shown = sunk ? g_variant_ref (sunk) : g_variant_ref_sink (g_variant_new ("()"));
      m.payload = shown;
      /* Borrowed for the sinks, which describe the fds (the queued dups). */
      memcpy (m.fds, f->fds, sizeof (int) * n_fds);
      /* The value's own size, as the receiver reports it (not the "v" wrapper). */
      trace (self, BH_TRACE_SENT, &m, g_variant_get_size (shown));
    }

  /* Write now when nothing is ahead of us. An error found here is delivered
   * from the main loop: the owner is in the middle of a call to us. */
  if (self->out_queue.length == 1)
    {
      g_autoptr (BhChannel) hold = bh_channel_ref (self);

      self->in_send = TRUE;
      flush (self);
      self->in_send = FALSE;
    }
  else
    update_condition (self);
  return h.serial;
}

guint32
bh_channel_send (BhChannel *self, BhMessageType type, GVariant *payload, const int *fds, guint n_fds)
{
  g_return_val_if_fail (self != NULL, 0);
  return send_frame (self, type, payload, fds, n_fds, 0, 0);
}

guint32
bh_channel_reply (BhChannel *self, const BhMessage *request, BhMessageType type, GVariant *payload,
                  const int *fds, guint n_fds)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (request != NULL, 0);
  return send_frame (self, type, payload, fds, n_fds, 0, request->serial);
}

static gboolean
call_timeout_cb (gpointer data)
{
  PendingCall *call = data;
  BhChannel *self = call->channel;
  g_autoptr (GError) error = g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_TIMED_OUT,
                                          "no reply within the timeout");

  g_hash_table_steal (self->pending_calls, GUINT_TO_POINTER (call->serial));
  g_clear_pointer (&call->timeout, g_source_unref);
  call->func (self, NULL, error, call->user_data);
  pending_call_free (call);
  return G_SOURCE_REMOVE;
}

guint32
bh_channel_call (BhChannel *self, BhMessageType type, GVariant *payload, const int *fds, guint n_fds,
                 guint timeout_ms, BhChannelReplyFunc reply_func, gpointer user_data)
{
  PendingCall *call;
  guint32 serial;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (reply_func != NULL, 0);

  serial = send_frame (self, type, payload, fds, n_fds, BH_FRAME_FLAG_REQUEST, 0);
  if (serial == 0)
    {
      g_autoptr (GError) error = g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED,
                                              "the channel has ended");
      /* Keep the promise of one callback, from the main loop. */
      reply_func (self, NULL, error, user_data);
      return 0;
    }
  call = g_new0 (PendingCall, 1);
  call->channel = self;
  call->serial = serial;
  call->func = reply_func;
  call->user_data = user_data;
  if (timeout_ms > 0)
    {
      call->timeout = g_timeout_source_new (timeout_ms);
      g_source_set_callback (call->timeout, call_timeout_cb, call, NULL);
      g_source_attach (call->timeout, self->context ? self->context : g_main_context_default ());
    }
  g_hash_table_insert (self->pending_calls, GUINT_TO_POINTER (serial), call);
  return serial;
}

gboolean
bh_channel_call_sync (BhChannel *self, BhMessageType type, GVariant *payload, const int *fds,
                      guint n_fds, guint timeout_ms, BhMessage **out_reply, GError **error)
{
  gint64 deadline;
  guint32 serial;
  BhMessage *reply = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (timeout_ms > 0, FALSE);
  g_return_val_if_fail (out_reply != NULL, FALSE);

  serial = send_frame (self, type, payload, fds, n_fds, BH_FRAME_FLAG_REQUEST, 0);
  if (serial == 0)
    {
      g_set_error (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED, "the channel has ended");
      return FALSE;
    }

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (reply == NULL)
    {
      struct pollfd pfd = { self->fd, POLLIN, 0 };
      gint64 now = g_get_monotonic_time ();
      gboolean eof = FALSE;
      int r;

      if (self->ended)
        {
          g_set_error (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED, "the channel has ended");
          return FALSE;
        }
      if (now >= deadline)
        {
          g_set_error (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_TIMED_OUT,
                       "%s: no reply within %u ms", bh_message_type_name (type), timeout_ms);
          return FALSE;
        }
      if (self->out_queue.length > 0)
        pfd.events |= POLLOUT;
      r = poll (&pfd, 1, (int) MAX (1, (deadline - now + 999) / 1000));
      if (r < 0 && errno != EINTR)
        {
          int e = errno;
          g_set_error (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_FAILED, "poll: %s", g_strerror (e));
          return FALSE;
        }
      if (r <= 0)
        continue;
      if ((pfd.revents & POLLOUT) && !flush (self))
        continue;
      if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
        {
          if (!read_and_decode (self, G_MAXSIZE, FALSE, serial, &reply, &eof))
            continue;
          if (reply == NULL && eof)
            handle_eof (self);
        }
    }
  /* Whatever arrived meanwhile is delivered in order from the main loop. */
  if (self->deferred.length > 0 && self->context)
    schedule_deferred (self);
  *out_reply = reply;
  return TRUE;
}

void
bh_channel_close (BhChannel *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (self != NULL);
  if (self->ended)
    return;
  error = g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED, "the channel was closed");
  stop_io (self);
  fail_pending_calls (self, error);
}

gboolean
bh_channel_is_open (BhChannel *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return !self->ended;
}

gsize
bh_channel_get_queued_bytes (BhChannel *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->queued_bytes;
}

void
bh_channel_get_counts (BhChannel *self, guint64 *out_in, guint64 *out_out)
{
  g_return_if_fail (self != NULL);
  if (out_in)
    *out_in = self->n_in;
  if (out_out)
    *out_out = self->n_out;
}
