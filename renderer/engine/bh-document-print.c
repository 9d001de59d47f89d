/* bh-document-print.c: a document printed: laid out at a page's width and
 * painted page after page into a PDF (cairo's PDF surface: text stays text,
 * images are embedded), as Chromium's renderer prints into a PDF the browser
 * hands to the printer. A page ends at the page height, or above it where a
 * line of text would be cut (CSS Fragmentation 3's class C break points
 * between line boxes, reduced: images and other boxes may still be cut).
 */
#include "bh-layout-private.h"

#include <cairo-pdf.h>
#include <math.h>

/* CSS px per PostScript point: 96 px to 72 pt an inch (CSS Values 4, 6.2). */
#define PX_PER_PT (96.0 / 72.0)

/* Where a page that may end at @limit_y ends: above the first line of text the
 * limit would cut, unless that leaves less than half a page after @top_y. */
static double
page_end (BhDocument *doc, double top_y, double limit_y)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  double end = limit_y;

  L.keep_layouts = bh_layout_keep_all_layouts (doc);
  for (guint i = 0; doc->boxes != NULL && i < doc->boxes->len; i++)
    {
      BhBox *box = g_ptr_array_index (doc->boxes, i);
      PangoLayoutIter *iter;
      PangoLayout *layout;

      if (box->kind != BH_BOX_PARAGRAPH || box->para == NULL || box->y >= limit_y || box->y + box->h <= limit_y)
        continue;
      layout = bh_layout_ensure_layout (&L, box, box->w);
      iter = pango_layout_get_iter (layout);
      do
        {
          int line_top, line_bottom;
          double top, bottom;

          pango_layout_iter_get_line_yrange (iter, &line_top, &line_bottom);
          top = box->y + (double) line_top / PANGO_SCALE;
          bottom = box->y + (double) line_bottom / PANGO_SCALE;
          if (top < limit_y && bottom > limit_y && top < end)
            end = top;
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
      if (!L.keep_layouts && !box->para->cached)
        bh_paragraph_drop_layout (box->para);
    }
  return end - top_y >= (limit_y - top_y) / 2 ? end : limit_y;
}

typedef struct {
  GByteArray *pdf;
  gsize max_bytes;
  gboolean too_big;
} PdfSink;

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  PdfSink *sink = closure;

  if (sink->pdf->len + (gsize) length > sink->max_bytes)
    {
      sink->too_big = TRUE;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  g_byte_array_append (sink->pdf, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * bh_document_print_pdf:
 * @doc: a document
 * @page_width_pt: the paper's width, PostScript points (1/72 in), 72..14400
 * @page_height_pt: its height
 * @margins_pt: (array fixed-size=4): top, right, bottom and left margins, pt
 * @max_pages: print at most this many pages; the rest are left out
 * @max_bytes: a PDF larger than this is not made
 * @n_pages: (out): how many pages the PDF has
 *
 * Lays @doc out at the width between the margins (in CSS px, 96 to the inch)
 * and paints it into a PDF, one page per page height between the margins
 * (the margins white, the content on the document's background). The document is left laid out at that
 * width: the caller lays it out again for its screen.
 *
 * Returns: (transfer full) (nullable): the PDF; %NULL when the page is too
 *   small for any content or the PDF would pass @max_bytes.
 */
GBytes *
bh_document_print_pdf (BhDocument *doc, double page_width_pt, double page_height_pt, const double margins_pt[4],
                       guint max_pages, gsize max_bytes, guint *n_pages)
{
  PdfSink sink = { g_byte_array_new (), max_bytes, FALSE };
  double content_w_pt, content_h_pt, content_w_px, content_h_px;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint pages = 0;
  double top_px = 0;
  int height_px;

  g_return_val_if_fail (doc != NULL && n_pages != NULL, NULL);

  *n_pages = 0;
  page_width_pt = CLAMP (page_width_pt, 72.0, 14400.0);
  page_height_pt = CLAMP (page_height_pt, 72.0, 14400.0);
  content_w_pt = page_width_pt - MAX (0.0, margins_pt[1]) - MAX (0.0, margins_pt[3]);
  content_h_pt = page_height_pt - MAX (0.0, margins_pt[0]) - MAX (0.0, margins_pt[2]);
  if (!(content_w_pt >= 36.0 && content_h_pt >= 36.0) || max_pages == 0)
    {
      g_byte_array_unref (sink.pdf);
      return NULL;
    }
  content_w_px = content_w_pt * PX_PER_PT;
  content_h_px = content_h_pt * PX_PER_PT;

  bh_document_layout (doc, (int) floor (content_w_px), 1.0);
  height_px = MAX (1, bh_document_get_height_px (doc));

  surface = cairo_pdf_surface_create_for_stream (write_cb, &sink, page_width_pt, page_height_pt);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bulkhead");
  if (doc->title != NULL && *doc->title != '\0')
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cr = cairo_create (surface);
  while ((pages == 0 || top_px < height_px) && pages < max_pages && !sink.too_big)
    {
      /* Whole px: the painter scrolls by them. */
      double end_px = floor (page_end (doc, top_px, top_px + content_h_px));

      if (end_px <= top_px)
        end_px = top_px + floor (content_h_px);
      cairo_save (cr);
      cairo_translate (cr, MAX (0.0, margins_pt[3]), MAX (0.0, margins_pt[0]));
      cairo_rectangle (cr, 0, 0, content_w_pt, (end_px - top_px) / PX_PER_PT);
      cairo_clip (cr);
      cairo_scale (cr, 1.0 / PX_PER_PT, 1.0 / PX_PER_PT);
      /* The same viewport each page, as media queries saw it; the clip ends the page. */
      bh_document_paint (doc, cr, (int) top_px, (int) floor (content_w_px), (int) ceil (content_h_px));
      cairo_restore (cr);
      cairo_show_page (cr);
      pages++;
      top_px = end_px;
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (sink.too_big || cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_byte_array_unref (sink.pdf);
      return NULL;
    }
  cairo_surface_destroy (surface);
  *n_pages = pages;
  return g_byte_array_free_to_bytes (sink.pdf);
}
