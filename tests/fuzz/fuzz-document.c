/* fuzz-document: libFuzzer target for the renderer's document engine (docs/fuzzing.md):
 * HTML (or text) -> style -> box tree -> layout -> paint, as a renderer runs it.
 *
 * The first input byte picks what the browser would have said about the body and the
 * view: bit 0 text/plain instead of text/html, bits 1-2 the viewport width (120, 400,
 * 800 or 1280 CSS px), bit 3 a device scale of 2, bit 4 whether image loads fail. The rest
 * is the body. Every subresource is answered as the browser answers a fetch: a URL
 * ending in ".css" gets the body itself as a style sheet, any other a small real PNG (or
 * a failed load). The document is laid out and painted into a cairo image surface at
 * the top and halfway down, links and plugin boxes are asked for, and it is laid out
 * again at another width. Fonts are whatever fontconfig finds, as in the renderer
 * before its sandbox closes; a run is deterministic for a given input.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "bh-document.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define VIEW_HEIGHT_PX 300

static GBytes *png;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 3, 2);
  gchar *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x3366ccff);
  g_assert (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
  png = g_bytes_new_take (buffer, len);
  bh_document_warm_up ();
  return 0;
}

static void
paint (BhDocument *doc, int width_px, double scale, int scroll_y_px)
{
  int device_w = (int) (width_px * scale), device_h = (int) (VIEW_HEIGHT_PX * scale);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, device_w, device_h);
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, scale, scale);
  bh_document_paint (doc, cr, scroll_y_px, width_px, VIEW_HEIGHT_PX);
  g_assert (cairo_status (cr) == CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const int widths[] = { 120, 400, 800, 1280 };
  g_autoptr (GBytes) body = NULL;
  g_autoptr (BhDocument) doc = NULL;
  gboolean plain, fail_images;
  int width_px, height_px;
  double scale, rgba[4];

  if (size < 1)
    return 0;
  plain = data[0] & 1;
  width_px = widths[(data[0] >> 1) & 3];
  scale = (data[0] & 8) ? 2.0 : 1.0;
  fail_images = (data[0] & 16) != 0;
  body = g_bytes_new (data + 1, size - 1);

  doc = bh_document_new ("http://fuzz.test/dir/page.html", plain ? "text/plain" : "text/html", NULL, body);
  (void) bh_document_get_title (doc);
  for (guint i = 0; i < bh_document_get_n_resources (doc); i++)
    {
      const char *url = bh_document_get_resource_url (doc, i);

      g_assert (url != NULL);
      if (g_str_has_suffix (url, ".css"))
        bh_document_set_resource (doc, url, "text/css", body);
      else
        bh_document_set_resource (doc, url, "image/png", fail_images ? NULL : png);
      /* The first layout may happen while the rest still load, as in the renderer. */
      if (i == 0 && !bh_document_has_pending_stylesheets (doc))
        bh_document_layout (doc, width_px, scale);
    }

  bh_document_layout (doc, width_px, scale);
  height_px = bh_document_get_height_px (doc);
  g_assert (height_px >= 0);
  bh_document_get_background (doc, rgba);
  paint (doc, width_px, scale, 0);
  if (height_px > VIEW_HEIGHT_PX)
    paint (doc, width_px, scale, height_px / 2);
  for (int y = 0; y < VIEW_HEIGHT_PX; y += 37)
    (void) bh_document_link_at (doc, width_px / 3.0, y);
  for (guint i = 0; i < bh_document_get_n_plugin_boxes (doc); i++)
    {
      const char *url, *mime_type;
      int x, y, w, h;

      bh_document_get_plugin_box (doc, i, &url, &mime_type, &x, &y, &w, &h);
      g_assert (w >= 0 && h >= 0);
    }
  /* A resize: the same document at another width. */
  bh_document_layout (doc, widths[((data[0] >> 1) + 1) & 3], scale);
  paint (doc, widths[((data[0] >> 1) + 1) & 3], scale, 0);
  return 0;
}
