/* bh-renderer-host-frames.c: a renderer's frames (bh-renderer-host-internal.h).
 *
 * Owns the shared buffers a renderer paints in (BufferCreated, BufferDestroyed)
 * and the checks on them: ids that only grow, at most MAX_BUFFERS_PER_VIEW a
 * view, bitmaps of a size the browser asked for (the view's sizes in flight);
 * FrameReady (damage inside the buffer, no buffer the browser still holds) and
 * the ReleaseBuffer sent once GTK lets go of a frame's texture.
 */
#include "bh-renderer-host-internal.h"

#include "bh-shm.h"

/* Limits on what a renderer may make the browser hold for one view. */
#define MAX_BUFFERS_PER_VIEW 8u
#define MAX_DAMAGE_RECTS 1024u

/* Resizes a renderer may lag behind before the oldest sizes are merged into one
 * "at most" size: a window dragged wider sends dozens. */
#define MAX_SIZES_IN_FLIGHT 16u

/* A bitmap the renderer shared, referenced by the host's buffer table and by
 * every texture built over it, so a BufferDestroyed for the buffer on screen
 * only unmaps it once GTK lets go of the texture. */
typedef struct {
  int ref_count;        /* main thread only */
  BhBitmap *bitmap;
  GWeakRef host;
  guint view_id;
  guint buffer_id;
  gboolean held;        /* FrameReady sent it to the browser; ReleaseBuffer not yet sent */
} SharedBuffer;

static SharedBuffer *
shared_buffer_ref (SharedBuffer *buffer)
{
  buffer->ref_count++;
  return buffer;
}

static void
shared_buffer_unref (SharedBuffer *buffer)
{
  if (buffer == NULL || --buffer->ref_count > 0)
    return;
  bh_bitmap_free (buffer->bitmap);
  g_weak_ref_clear (&buffer->host);
  g_free (buffer);
}

static gboolean
release_buffer_in_main_context (gpointer data)
{
  SharedBuffer *buffer = data;
  g_autoptr (BhRendererHost) self = g_weak_ref_get (&buffer->host);
  View *view;

  buffer->held = FALSE;
  if (self == NULL || self->host.terminated || self->host.channel == NULL)
    return G_SOURCE_REMOVE;
  view = g_hash_table_lookup (self->views, GUINT_TO_POINTER (buffer->view_id));
  /* A buffer the renderer already destroyed, or of a view that left, is not
   * the renderer's to draw in any more: there is nothing to release. */
  if (view == NULL ||
      g_hash_table_lookup (view->buffers, GUINT_TO_POINTER (buffer->buffer_id)) != buffer)
    return G_SOURCE_REMOVE;
  bh_channel_send (self->host.channel, BH_MSG_ReleaseBuffer,
                   g_variant_new ("(uu)", buffer->view_id, buffer->buffer_id), NULL, 0);
  return G_SOURCE_REMOVE;
}

/* The GBytes under a frame texture is freed: GTK no longer needs the pixels. */
static void
frame_bytes_free_cb (gpointer data)
{
  /* Textures are normally dropped on the main thread; if GTK ever drops one
   * elsewhere, the channel is still only touched from the main context. */
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, release_buffer_in_main_context, data,
                              (GDestroyNotify) shared_buffer_unref);
}

GHashTable *
bh_renderer_host_new_buffer_table (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) shared_buffer_unref);
}

/* A CreateView or Resize to this size is on its way to the renderer. */
void
bh_renderer_host_view_size_sent (View *view, guint width_px, guint height_px)
{
  ViewSize size = { width_px, height_px, FALSE };

  g_array_append_val (view->sizes, size);
  if (view->sizes->len > MAX_SIZES_IN_FLIGHT)
    {
      ViewSize *a = &g_array_index (view->sizes, ViewSize, 0);
      ViewSize *b = &g_array_index (view->sizes, ViewSize, 1);

      b->width_px = MAX (a->width_px, b->width_px);
      b->height_px = MAX (a->height_px, b->height_px);
      b->at_most = TRUE;
      g_array_remove_index (view->sizes, 0);
    }
}

/* Whether a buffer may be @width_px x @height_px: one of the sizes in flight. The
 * renderer handles messages in order, so the sizes before the one it matches are
 * behind it and are forgotten. */
static gboolean
view_size_accepts (View *view, guint width_px, guint height_px)
{
  for (guint i = 0; i < view->sizes->len; i++)
    {
      const ViewSize *size = &g_array_index (view->sizes, ViewSize, i);

      if ((width_px == size->width_px && height_px == size->height_px) ||
          (size->at_most && width_px <= size->width_px && height_px <= size->height_px))
        {
          g_array_remove_range (view->sizes, 0, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
bh_renderer_host_handle_buffer_created (BhRendererHost *self, BhMessage *message)
{
  guint32 view_id;
  guint32 buffer_id;
  guint32 width_px;
  guint32 height_px;
  guint32 stride_bytes;
  guint64 size_bytes;
  g_autoptr (GError) error = NULL;
  SharedBuffer *buffer;
  BhBitmap *bitmap;
  View *view;

  g_variant_get (message->payload, "(uuuuut)", &view_id, &buffer_id, &width_px, &height_px,
                 &stride_bytes, &size_bytes);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  /* The renderer numbers its buffers upwards (renderer/main.c), so one
   * number says which ids were ever used, however many resizes there were. */
  if (buffer_id <= self->last_buffer_id)
    {
      bad_message (self, "BufferCreated reuses buffer id %u (the last was %u)", buffer_id,
                   self->last_buffer_id);
      return;
    }
  if (g_hash_table_size (view->buffers) >= MAX_BUFFERS_PER_VIEW)
    {
      bad_message (self, "more than %u buffers for view %u", MAX_BUFFERS_PER_VIEW, view_id);
      return;
    }
  /* A renderer paints at the size the browser asked for (Chromium's viz refuses a
   * frame whose size is not its surface's), or, while Resizes are in flight, at a
   * size asked for before. */
  if (!view_size_accepts (view, width_px, height_px))
    {
      ViewSize *now = &g_array_index (view->sizes, ViewSize, view->sizes->len - 1);

      bad_message (self, "BufferCreated of a %ux%u px buffer for a %ux%u px view", width_px,
                   height_px, now->width_px, now->height_px);
      return;
    }
  if (size_bytes > G_MAXSIZE)
    {
      bad_message (self, "BufferCreated of %" G_GUINT64_FORMAT " bytes", size_bytes);
      return;
    }
  bitmap = bh_bitmap_import (bh_message_steal_fd (message, 0), width_px, height_px, stride_bytes,
                             (gsize) size_bytes, &error);
  if (bitmap == NULL)
    {
      bad_message (self, "BufferCreated %u: %s", buffer_id, error->message);
      return;
    }

  buffer = g_new0 (SharedBuffer, 1);
  buffer->ref_count = 1;
  buffer->bitmap = bitmap;
  g_weak_ref_init (&buffer->host, self);
  buffer->view_id = view_id;
  buffer->buffer_id = buffer_id;
  g_hash_table_insert (view->buffers, GUINT_TO_POINTER (buffer_id), buffer);
  self->last_buffer_id = buffer_id;
}

void
bh_renderer_host_handle_buffer_destroyed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 buffer_id;
  View *view;

  g_variant_get (message->payload, "(uu)", &view_id, &buffer_id);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  /* The texture on screen keeps its own reference: unmapping waits for GTK. */
  if (!g_hash_table_remove (view->buffers, GUINT_TO_POINTER (buffer_id)))
    bad_message (self, "BufferDestroyed for buffer %u, not one of view %u", buffer_id, view_id);
}

void
bh_renderer_host_handle_frame_ready (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 buffer_id;
  gint32 scroll_y_px;
  guint32 document_height_px;
  g_autoptr (GVariantIter) damage = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GBytes) bytes = NULL;
  SharedBuffer *buffer;
  BhBitmap *bitmap;
  gint32 x, y, w, h;
  View *view;

  g_variant_get (message->payload, "(uuiua(iiii))", &view_id, &buffer_id, &scroll_y_px,
                 &document_height_px, &damage);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  buffer = g_hash_table_lookup (view->buffers, GUINT_TO_POINTER (buffer_id));
  if (buffer == NULL)
    {
      bad_message (self, "FrameReady for buffer %u, not one of view %u", buffer_id, view_id);
      return;
    }
  /* Double buffering: the renderer may draw in a buffer again only after
   * ReleaseBuffer; one the browser still holds was painted under its eyes. */
  if (buffer->held)
    {
      bad_message (self, "FrameReady for buffer %u, which the browser still holds", buffer_id);
      return;
    }
  bitmap = buffer->bitmap;
  if (g_variant_iter_n_children (damage) > MAX_DAMAGE_RECTS)
    {
      bad_message (self, "FrameReady with %" G_GSIZE_FORMAT " damage rectangles",
                   g_variant_iter_n_children (damage));
      return;
    }
  while (g_variant_iter_next (damage, "(iiii)", &x, &y, &w, &h))
    {
      if (x < 0 || y < 0 || w < 0 || h < 0 || (guint64) x + (guint64) w > bitmap->width ||
          (guint64) y + (guint64) h > bitmap->height)
        {
          bad_message (self, "FrameReady damage %d,%d %dx%d outside the %ux%u buffer", x, y, w, h,
                       bitmap->width, bitmap->height);
          return;
        }
    }
  if (document_height_px > G_MAXINT)
    {
      bad_message (self, "FrameReady with document height %u", document_height_px);
      return;
    }

  buffer->held = TRUE;
  bytes = g_bytes_new_with_free_func (bitmap->data, (gsize) bitmap->stride_bytes * bitmap->height,
                                      frame_bytes_free_cb, shared_buffer_ref (buffer));
  /* cairo's ARGB32 is native-endian premultiplied: B,G,R,A bytes on
   * little-endian machines. */
  texture = gdk_memory_texture_new (bitmap->width, bitmap->height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                    GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                    GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                    bytes, bitmap->stride_bytes);
  g_clear_pointer (&bytes, g_bytes_unref);
  /* The tab keeps its own reference while it shows the frame; the last
   * unref releases the buffer (frame_bytes_free_cb). */
  view->client->frame_ready (view->owner, texture, scroll_y_px, document_height_px);
}
