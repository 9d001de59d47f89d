/* bh-body-stream.h: a navigation's body on its way into the renderer's data pipe.
 *
 * The network hands the body over in pieces of its own size (bh_fetch_stream());
 * the data pipe (bh-data-pipe.h) takes what its ring has room for. A BhBodyStream
 * sits between them: it queues what the ring cannot take yet, writes on each time
 * the renderer frees space, and asks its owner to pause the network when more than
 * a ring's worth waits (backpressure, as Chromium's navigation body pipe holds the
 * URLLoader back) and to resume it once the queue has drained.
 */
#pragma once

#include <glib.h>

#include "bh-data-pipe.h"

G_BEGIN_DECLS

typedef struct _BhBodyStream BhBodyStream;

/**
 * BhBodyStreamFuncs:
 * @flow: (nullable): the source should pause (@wants_more %FALSE) or go on
 *   (%TRUE); called only when that changes
 * @failed: the pipe failed: the renderer closed it
 *   (%BH_DATA_PIPE_ERROR_PEER_CLOSED: it navigated on, or died) or broke its
 *   rules (%BH_DATA_PIPE_ERROR_BAD_PEER: a bad message). Called once; the
 *   stream then drops everything pushed to it.
 *
 * Called from the main loop; the stream may be freed from either.
 */
typedef struct {
  void (*flow) (BhBodyStream *stream, gboolean wants_more, gpointer user_data);
  void (*failed) (BhBodyStream *stream, const GError *error, gpointer user_data);
} BhBodyStreamFuncs;

/**
 * bh_body_stream_new:
 * @producer: (transfer full): the producer end of a data pipe whose consumer
 *   was sent to the renderer
 * @funcs: copied
 *
 * Returns: (transfer full): the stream, writing from the default main context.
 */
BhBodyStream *bh_body_stream_new (BhDataPipe *producer, const BhBodyStreamFuncs *funcs, gpointer user_data);

/**
 * bh_body_stream_push:
 * @chunk: (transfer none): the next bytes of the body
 *
 * Writes what the ring takes now and queues the rest (a reference, no copy).
 */
void bh_body_stream_push (BhBodyStream *stream, GBytes *chunk);

/**
 * bh_body_stream_end:
 * @complete: %TRUE when the whole body was pushed; %FALSE when it ends here,
 *   incomplete (the network failed, the user stopped the load)
 *
 * Once the queue is written, the pipe says "done" (or "failed") and the
 * renderer, having read the rest, parses its last.
 */
void bh_body_stream_end (BhBodyStream *stream, gboolean complete);

/**
 * bh_body_stream_get_pipe:
 *
 * Returns: (transfer none): the producer, for its counts.
 */
BhDataPipe *bh_body_stream_get_pipe (BhBodyStream *stream);

/**
 * bh_body_stream_free:
 * @stream: (nullable) (transfer full):
 *
 * A stream freed before its end has written everything leaves the renderer
 * with a failed pipe: it shows what it has.
 */
void bh_body_stream_free (BhBodyStream *stream);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBodyStream, bh_body_stream_free)

G_END_DECLS
