/* bh-document-images.c: decoding images, for bh-document.c
 *
 * Images are decoded in memory, never from a file, within limits that keep a hostile
 * page from taking the renderer down: PNG, JPEG and GIF (the first frame) through
 * GdkPixbufLoader, at most BH_MAX_IMAGE_SIDE px a side and BH_MAX_IMAGE_PIXELS in
 * area, refused from their header before any pixel is decoded; at most
 * BH_MAX_IMAGE_BYTES of decoded pixels per document.
 */
#include "bh-document-private.h"

#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#define BH_MAX_IMAGE_SIDE     8192
#define BH_MAX_IMAGE_PIXELS   (16 * 1024 * 1024)
#define BH_MAX_IMAGE_BYTES    (96 * 1024 * 1024)  /* decoded, per document */

typedef struct {
  gboolean too_big;
} SizeCheck;

static void
size_prepared_cb (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  SizeCheck *check = user_data;

  if (width <= 0 || height <= 0 || width > BH_MAX_IMAGE_SIDE || height > BH_MAX_IMAGE_SIDE ||
      (gint64) width * height > BH_MAX_IMAGE_PIXELS)
    {
      check->too_big = TRUE;
      /* A zero size makes the loaders fail before they allocate the pixel buffer
       * ("Transformed PNG has zero width or height"). */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static const char *
sniff_image_type (const guchar *data, gsize len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpeg";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  return NULL;
}

static cairo_surface_t *
surface_from_pixbuf (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  const guchar *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface = cairo_image_surface_create (alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24,
                                                         width, height);
  guchar *dst;
  int dst_stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guchar *s = src + (gsize) y * src_stride;
      guint32 *d = (guint32 *) (dst + (gsize) y * dst_stride);
      for (int x = 0; x < width; x++, s += channels)
        {
          guint a = alpha ? s[3] : 255;
          guint r = (s[0] * a + 127) / 255;
          guint g = (s[1] * a + 127) / 255;
          guint bl = (s[2] * a + 127) / 255;
          d[x] = (a << 24) | (r << 16) | (g << 8) | bl;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/**
 * bh_document_decode_image: (skip)
 * @doc: the document, whose decoded-image budget it counts against
 * @res: an image resource without a surface yet
 * @data: the resource's body
 *
 * Decodes @data into @res's surface and natural size.
 *
 * Returns: %TRUE when @res now holds the image, %FALSE when it is not one this
 *   engine reads or is over a limit (the image is then broken).
 */
gboolean
bh_document_decode_image (BhDocument *doc, BhResource *res, GBytes *data)
{
  gsize len;
  const guchar *bytes = g_bytes_get_data (data, &len);
  const char *type = sniff_image_type (bytes, len);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  SizeCheck check = { FALSE };
  GdkPixbuf *pixbuf;
  gsize offset = 0;
  gboolean ok = TRUE;

  if (type == NULL)
    return FALSE;
  loader = gdk_pixbuf_loader_new_with_type (type, NULL);
  if (loader == NULL)
    return FALSE;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);

  /* Small writes, so that a refused header stops us before the bulk of the data. */
  while (offset < len && ok && !check.too_big)
    {
      gsize chunk = MIN (len - offset, (gsize) 65536);
      ok = gdk_pixbuf_loader_write (loader, bytes + offset, chunk, NULL);
      offset += chunk;
    }
  gdk_pixbuf_loader_close (loader, NULL);
  if (check.too_big)
    return FALSE;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    return FALSE;
  if (doc->decoded_image_bytes + (gsize) gdk_pixbuf_get_width (pixbuf) * gdk_pixbuf_get_height (pixbuf) * 4 >
      BH_MAX_IMAGE_BYTES)
    return FALSE;
  res->surface = surface_from_pixbuf (pixbuf);
  if (res->surface == NULL)
    return FALSE;
  res->width = gdk_pixbuf_get_width (pixbuf);
  res->height = gdk_pixbuf_get_height (pixbuf);
  doc->decoded_image_bytes += (gsize) res->width * res->height * 4;
  return TRUE;
}
