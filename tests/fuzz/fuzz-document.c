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
 * again at another width. Then a user works its form controls: presses down the page
 * (each one focusing, toggling, submitting or opening a <select>'s drop-down, which is
 * answered with an option the input picks), keys (letters, Enter, arrows, Home, End,
 * Backspace, Tab), and the context menu's and tooltips' hit tests at each press. Fonts are whatever fontconfig finds, as in the renderer
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

static void paint (BhDocument *doc, int width_px, double scale, int scroll_y_px);

/* Presses and keys a person might give the page's controls, painting between them. */
static void
use_controls (BhDocument *doc, const guint8 *data, size_t size, int width_px, double scale)
{
  static const guint keys[] = { 'a', 'Z', 0xe9, 0x20ac | 0x01000000, 0xff0d, 0xff52, 0xff54, 0xff51, 0xff53, 0xff50,
                                0xff57, 0xff08, 0xffff, 0xff09, 0x20 };

  for (int i = 0; i < 12; i++)
    {
      double x = (i * 53) % width_px, y = i * 31.0;
      g_autoptr (BhFormPopup) popup = NULL;
      g_autoptr (BhFormSubmission) submission = NULL;
      g_autofree char *image = bh_document_image_at (doc, x, y);

      (void) bh_document_title_at (doc, x, y);
      (void) bh_document_editable_at (doc, x, y);
      (void) bh_document_form_click (doc, x, y);
      if ((popup = bh_document_take_form_popup (doc)) != NULL)
        {
          g_assert (popup->labels->len == popup->enabled->len && popup->selected < (int) popup->labels->len);
          (void) bh_document_form_popup_chosen (doc, popup->id, (int) (data[i % size] % (popup->labels->len + 1)) - 1);
        }
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        (void) bh_document_form_key (doc, keys[(k + data[(i + k) % size]) % G_N_ELEMENTS (keys)], 0);
      if ((submission = bh_document_take_form_submission (doc)) != NULL)
        g_assert (submission->url != NULL && submission->body != NULL);
      bh_document_layout (doc, width_px, scale);
      if (i % 4 == 0)
        paint (doc, width_px, scale, 0);
    }
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
  use_controls (doc, data, size, widths[((data[0] >> 1) + 1) & 3], scale);
  return 0;
}
