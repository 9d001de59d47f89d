/* bh-document-images.c: decoding images, for bh-document.c
 *
 * Images are decoded in memory, never from a file, within limits that keep a hostile
 * page from taking the renderer down: PNG, JPEG and GIF (the first frame) through
 * GdkPixbufLoader, at most BH_MAX_IMAGE_SIDE px a side and BH_MAX_IMAGE_PIXELS in
 * area, refused from their header before any pixel is decoded; at most
 * BH_MAX_IMAGE_BYTES of decoded pixels per document. SVG through librsvg, kept as its
 * document and drawn at the size it is painted; the handle has no base URL, so it loads
 * nothing from outside (no file, no network: librsvg refuses references it cannot
 * resolve; data: URLs inside the image are its own).
 */
#include "bh-document-private.h"

#include <string.h>
#include <math.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>

#define BH_MAX_IMAGE_SIDE     8192
#define BH_MAX_IMAGE_PIXELS   (16 * 1024 * 1024)
#define BH_MAX_IMAGE_BYTES    (96 * 1024 * 1024)  /* decoded, per document */
/* an SVG background tile is rendered to pixels at most this big a side */
#define BH_MAX_SVG_TILE_SIDE  2048

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
  /* ICONDIR: reserved 0, type 1 (an icon; 2 is a cursor). */
  if (len >= 4 && memcmp (data, "\0\0\1\0", 4) == 0)
    return "ico";
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

/* The whole image, through gdk-pixbuf's loader for its sniffed type, refused
 * past BH_MAX_IMAGE_SIDE or BH_MAX_IMAGE_PIXELS before the pixels are made. */
static GdkPixbuf *
load_pixbuf (GBytes *data)
{
  gsize len;
  const guchar *bytes = g_bytes_get_data (data, &len);
  const char *type = sniff_image_type (bytes, len);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  SizeCheck check = { FALSE };
  GdkPixbuf *pixbuf;
  gsize offset = 0;
  gboolean ok = TRUE;

  if (type == NULL || (loader = gdk_pixbuf_loader_new_with_type (type, NULL)) == NULL)
    return NULL;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);
  while (offset < len && ok && !check.too_big)
    {
      gsize chunk = MIN (len - offset, (gsize) 65536);
      ok = gdk_pixbuf_loader_write (loader, bytes + offset, chunk, NULL);
      offset += chunk;
    }
  gdk_pixbuf_loader_close (loader, NULL);
  if (check.too_big || (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    return NULL;
  return g_object_ref (pixbuf);
}

GBytes *
bh_document_decode_favicon (GBytes *data, guint side_px, guint *out_width, guint *out_height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  cairo_surface_t *surface;
  GByteArray *pixels;
  int width, height, stride;
  const guchar *src;

  g_return_val_if_fail (data != NULL && side_px > 0, NULL);

  if ((pixbuf = load_pixbuf (data)) == NULL)
    return NULL;
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  /* Fit in the square, the aspect kept (a wide icon is drawn short). */
  if ((guint) width > side_px || (guint) height > side_px)
    {
      double factor = (double) side_px / MAX (width, height);

      width = MAX (1, (int) (width * factor + 0.5));
      height = MAX (1, (int) (height * factor + 0.5));
      scaled = gdk_pixbuf_scale_simple (pixbuf, width, height, GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        return NULL;
    }
  surface = surface_from_pixbuf (scaled != NULL ? scaled : pixbuf);
  if (surface == NULL)
    return NULL;
  /* Cairo's ARGB32 is a native-endian word: B, G, R, A in memory here. */
  src = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  pixels = g_byte_array_sized_new ((guint) (width * height * 4));
  for (int y = 0; y < height; y++)
    g_byte_array_append (pixels, src + (gsize) y * stride, (guint) width * 4);
  cairo_surface_destroy (surface);
  *out_width = (guint) width;
  *out_height = (guint) height;
  return g_byte_array_free_to_bytes (pixels);
}

/* An XML document whose first element is <svg>: the start of it is markup, and "<svg"
 * comes within the first 4 KB (after a declaration, comments, a doctype). */
static gboolean
looks_like_svg (const guchar *data, gsize len)
{
  gsize i = 0, n = MIN (len, (gsize) 4096);

  if (n >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < n && g_ascii_isspace (data[i]))
    i++;
  return i < n && data[i] == '<' && memmem (data + i, n - i, "<svg", 4) != NULL;
}

/* The natural size of an SVG (HTML "the natural dimensions" of an image; CSS Images 3
 * section 4.1): width and height when absolute, else 300 px wide at the viewBox's
 * ratio, else CSS's default object size 300x150. */
static void
svg_natural_size (RsvgHandle *handle, double *w, double *h)
{
  gboolean has_w, has_h, has_box;
  RsvgLength lw, lh;
  RsvgRectangle box;

  if (rsvg_handle_get_intrinsic_size_in_pixels (handle, w, h) && *w > 0 && *h > 0)
    return;
  rsvg_handle_get_intrinsic_dimensions (handle, &has_w, &lw, &has_h, &lh, &has_box, &box);
  *w = 300;
  *h = has_box && box.width > 0 && box.height > 0 ? 300 * box.height / box.width : 150;
}

static gboolean
decode_svg (BhResource *res, const guchar *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;
  RsvgHandle *handle = rsvg_handle_new_from_data (bytes, len, &error);
  double w, h;

  if (handle == NULL)
    return FALSE;
  rsvg_handle_set_dpi (handle, 96);
  svg_natural_size (handle, &w, &h);
  res->svg = G_OBJECT (handle);
  res->width = (int) CLAMP (ceil (w), 1, BH_MAX_IMAGE_SIDE);
  res->height = (int) CLAMP (ceil (h), 1, BH_MAX_IMAGE_SIDE);
  return TRUE;
}

/**
 * bh_document_decode_svg: (skip)
 * @doc: the document
 * @res: an image resource without an image yet
 * @data: SVG markup
 * @color: what currentColor is in it, 0xAARRGGBB (an inline <svg>'s color)
 *
 * Returns: %TRUE when @res now holds the SVG.
 */
gboolean
bh_document_decode_svg (BhDocument *doc, BhResource *res, GBytes *data, guint32 color)
{
  gsize len;
  const guchar *bytes = g_bytes_get_data (data, &len);
  g_autofree char *css = g_strdup_printf ("svg { color: #%06x }", color & 0xffffff);

  if (!decode_svg (res, bytes, len))
    return FALSE;
  /* a user style sheet: the document's own rules win over it */
  rsvg_handle_set_stylesheet (RSVG_HANDLE (res->svg), (const guint8 *) css, strlen (css), NULL);
  return TRUE;
}

/**
 * bh_image_is_ready: (skip)
 */
gboolean
bh_image_is_ready (const BhResource *res)
{
  return res != NULL && (res->surface != NULL || res->svg != NULL);
}

/**
 * bh_image_paint: (skip)
 * @res: a decoded image
 * @cr: where to paint
 * @x: left, document px
 * @y: top, document px
 * @w: width, document px
 * @h: height, document px
 *
 * Paints @res scaled into the rectangle: a raster image stretched (its edges kept, not
 * faded into transparency), an SVG drawn as its preserveAspectRatio says.
 */
void
bh_image_paint (const BhResource *res, cairo_t *cr, double x, double y, double w, double h)
{
  if (w <= 0 || h <= 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  if (res->svg != NULL)
    {
      RsvgRectangle viewport = { x, y, w, h };
      rsvg_handle_render_document (RSVG_HANDLE (res->svg), cr, &viewport, NULL);
    }
  else if (res->surface != NULL)
    {
      cairo_translate (cr, x, y);
      cairo_scale (cr, w / res->width, h / res->height);
      cairo_set_source_surface (cr, res->surface, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
      cairo_paint (cr);
    }
  cairo_restore (cr);
}

/**
 * bh_image_pattern: (skip)
 * @res: a decoded image
 * @tile_w: the tile's width, px
 * @tile_h: the tile's height, px
 * @device_scale: device px per px, for the resolution an SVG tile is drawn at
 *
 * Returns: (transfer full) (nullable): a surface pattern whose one tile is the image
 *   scaled to @tile_w x @tile_h with its top left corner at the origin; extend none.
 */
cairo_pattern_t *
bh_image_pattern (const BhResource *res, double tile_w, double tile_h, double device_scale)
{
  cairo_pattern_t *pattern;
  cairo_matrix_t m;
  int sw, sh;

  if (tile_w < 0.01 || tile_h < 0.01)
    return NULL;
  if (res->svg != NULL)
    {
      cairo_surface_t *tile;
      cairo_t *cr;
      RsvgRectangle viewport;

      sw = (int) CLAMP (ceil (tile_w * device_scale), 1, BH_MAX_SVG_TILE_SIDE);
      sh = (int) CLAMP (ceil (tile_h * device_scale), 1, BH_MAX_SVG_TILE_SIDE);
      tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sw, sh);
      cr = cairo_create (tile);
      viewport = (RsvgRectangle) { 0, 0, sw, sh };
      rsvg_handle_render_document (RSVG_HANDLE (res->svg), cr, &viewport, NULL);
      cairo_destroy (cr);
      pattern = cairo_pattern_create_for_surface (tile);
      cairo_surface_destroy (tile);
    }
  else if (res->surface != NULL)
    {
      sw = res->width;
      sh = res->height;
      pattern = cairo_pattern_create_for_surface (res->surface);
    }
  else
    return NULL;
  cairo_matrix_init_scale (&m, sw / tile_w, sh / tile_h);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
  return pattern;
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

  if (type == NULL && looks_like_svg (bytes, len))
    return decode_svg (res, bytes, len);
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
