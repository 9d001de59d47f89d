/* bh-body-stream.c: queue a body in front of a data pipe, with backpressure. */
#include "bh-body-stream.h"

struct _BhBodyStream {
  BhDataPipe *pipe;
  BhBodyStreamFuncs funcs;
  gpointer user_data;
  GQueue chunks;       /* GBytes, oldest first */
  gsize offset;        /* into the oldest */
  gsize queued_bytes;
  gboolean ending;     /* bh_body_stream_end() was called */
  gboolean complete;
  gboolean ended;      /* the pipe has said done or failed */
  gboolean failed;
  gboolean wants_more; /* as last told to the owner */
};

/* More than a ring's worth waiting in the browser: stop the network. Below a
 * quarter of it: read on. The gap keeps pause and resume from alternating on
 * every write. */
static gsize
high_water (BhBodyStream *self)
{
  return bh_data_pipe_get_capacity (self->pipe);
}

static void
set_wants_more (BhBodyStream *self, gboolean wants_more)
{
  if (self->wants_more == wants_more || self->failed)
    return;
  self->wants_more = wants_more;
  if (self->funcs.flow)
    self->funcs.flow (self, wants_more, self->user_data);
}

static void
fail (BhBodyStream *self, const GError *error)
{
  self->failed = TRUE;
  self->ended = TRUE;
  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  self->queued_bytes = 0;
  self->offset = 0;
  bh_data_pipe_set_callback (self->pipe, NULL, NULL, NULL);
  /* Last: the owner may free the stream. */
  self->funcs.failed (self, error, self->user_data);
}

/* Writes queued bytes until the ring is full. Returns FALSE if the stream
 * failed (and may be gone). */
static gboolean
flush (BhBodyStream *self)
{
  while (!g_queue_is_empty (&self->chunks))
    {
      g_autoptr (GError) error = NULL;
      GBytes *chunk = g_queue_peek_head (&self->chunks);
      gsize len, n = 0;
      const guint8 *data = g_bytes_get_data (chunk, &len);
      BhDataPipeResult r = bh_data_pipe_write (self->pipe, data + self->offset, len - self->offset, &n, &error);

      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        break;
      if (r == BH_DATA_PIPE_FAILED)
        {
          fail (self, error);
          return FALSE;
        }
      self->offset += n;
      self->queued_bytes -= n;
      if (self->offset == len)
        {
          g_bytes_unref (g_queue_pop_head (&self->chunks));
          self->offset = 0;
        }
    }
  if (g_queue_is_empty (&self->chunks) && self->ending && !self->ended)
    {
      self->ended = TRUE;
      if (self->complete)
        bh_data_pipe_finish (self->pipe);
      else
        bh_data_pipe_fail (self->pipe);
      /* All of it is in the ring: the renderer reads on from its own
       * mapping, and nothing it does now concerns the browser. */
      bh_data_pipe_set_callback (self->pipe, NULL, NULL, NULL);
    }
  return TRUE;
}

static void
pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  BhBodyStream *self = user_data;

  if (self->ended)
    return;
  if (!flush (self))
    return;
  if (self->queued_bytes < high_water (self) / 4)
    set_wants_more (self, TRUE);
}

BhBodyStream *
bh_body_stream_new (BhDataPipe *producer, const BhBodyStreamFuncs *funcs, gpointer user_data)
{
  BhBodyStream *self;

  g_return_val_if_fail (producer != NULL && funcs != NULL && funcs->failed != NULL, NULL);

  self = g_new0 (BhBodyStream, 1);
  self->pipe = producer;
  self->funcs = *funcs;
  self->user_data = user_data;
  self->wants_more = TRUE;
  g_queue_init (&self->chunks);
  bh_data_pipe_set_callback (self->pipe, NULL, pipe_cb, self);
  return self;
}

void
bh_body_stream_push (BhBodyStream *self, GBytes *chunk)
{
  g_return_if_fail (self != NULL && chunk != NULL);
  g_return_if_fail (!self->ending);

  if (self->failed || g_bytes_get_size (chunk) == 0)
    return;
  g_queue_push_tail (&self->chunks, g_bytes_ref (chunk));
  self->queued_bytes += g_bytes_get_size (chunk);
  if (!flush (self))
    return;
  if (self->queued_bytes > high_water (self))
    set_wants_more (self, FALSE);
}

void
bh_body_stream_end (BhBodyStream *self, gboolean complete)
{
  g_return_if_fail (self != NULL);

  if (self->ending || self->failed)
    return;
  self->ending = TRUE;
  self->complete = complete;
  flush (self);
}

BhDataPipe *
bh_body_stream_get_pipe (BhBodyStream *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pipe;
}

void
bh_body_stream_free (BhBodyStream *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  bh_data_pipe_free (self->pipe);
  g_free (self);
}
