/* bh-renderer-print.c: PrintToPdf, answered from the document
 * (bh-renderer-print.h).
 *
 * Units: the page and its margins come in PDF points (1/72 in), the document
 * is in CSS px (1/96 in), so one CSS px is 0.75 pt times the scale. The PDF
 * is built in memory (cairo's stream surface: the sandbox has no file to write
 * to) and crosses to the browser in a sealed memfd, as a subresource does the
 * other way.
 */
#include "bh-renderer-print.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>

#include "bh-message.h"
#include "bh-shm.h"

/* Points per CSS px: 72 / 96. */
#define PT_PER_CSS_PX 0.75

typedef struct {
  GByteArray *pdf;
  gboolean too_big;
} Sink;

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *sink = closure;

  if (sink->pdf->len + (gsize) length > BH_MAX_PDF_BYTES)
    {
      sink->too_big = TRUE;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  g_byte_array_append (sink->pdf, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
page_wanted (GVariant *ranges, guint page)
{
  GVariantIter iter;
  guint32 first, last;

  if (g_variant_n_children (ranges) == 0)
    return TRUE;
  g_variant_iter_init (&iter, ranges);
  while (g_variant_iter_next (&iter, "(uu)", &first, &last))
    if (page >= first && (last == 0 || page <= last))
      return TRUE;
  return FALSE;
}

static void
send_answer (BhChannel *channel, guint32 view_id, guint32 request_id, guint pages,
             const GByteArray *pdf, const char *error)
{
  g_autoptr (GError) shm_error = NULL;
  gsize size = error == NULL ? pdf->len : 0;
  int fd = bh_blob_new (size > 0 ? pdf->data : NULL, size, "bulkhead-pdf", &shm_error);

  if (fd < 0)
    {
      /* Without a memfd there is no message (its fd count is fixed): the
       * browser's wait ends with its timeout. */
      g_printerr ("renderer[%d]: cannot share a PDF of %" G_GSIZE_FORMAT " bytes: %s\n",
                  getpid (), size, shm_error->message);
      return;
    }
  bh_channel_send (channel, BH_MSG_PdfPrinted,
                   g_variant_new ("(uuuts)", view_id, request_id, error == NULL ? pages : 0,
                                  (guint64) size, error != NULL ? error : ""),
                   &fd, 1);
  close (fd);
}

void
bh_renderer_answer_print_to_pdf (BhChannel *channel, BhDocument *doc, GVariant *payload)
{
  g_autoptr (GVariant) ranges = NULL;
  g_autoptr (GByteArray) pdf = g_byte_array_new ();
  g_autofree char *error = NULL;
  Sink sink = { .pdf = pdf };
  guint32 view_id, request_id;
  double page_width, page_height, top, right, bottom, left, scale;
  gboolean background, shrink_to_fit;
  double content_width, content_height, factor;
  int layout_width, page_css_height;
  guint page = 0, printed = 0;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_variant_get (payload, "(uudddddddbb@a(uu))", &view_id, &request_id, &page_width, &page_height,
                 &top, &right, &bottom, &left, &scale, &background, &shrink_to_fit, &ranges);
  content_width = page_width - left - right;
  content_height = page_height - top - bottom;
  /* The browser checked these; a renderer trusts nothing either. */
  if (doc == NULL)
    error = g_strdup ("there is no document to print");
  else if (!(content_width >= 1 && content_height >= 1 && page_width <= 14400 &&
             page_height <= 14400 && scale >= 0.1 && scale <= 2))
    error = g_strdup ("the page has no room for content inside its margins");
  if (error != NULL)
    {
      send_answer (channel, view_id, request_id, 0, pdf, error);
      return;
    }

  factor = PT_PER_CSS_PX * scale;
  layout_width = MAX (1, (int) floor (content_width / factor));
  bh_document_set_print_backgrounds (doc, background);
  bh_document_layout (doc, layout_width, 1.0);
  if (shrink_to_fit && bh_document_get_width_px (doc) > layout_width)
    factor *= (double) layout_width / bh_document_get_width_px (doc);
  page_css_height = MAX (1, (int) floor (content_height / factor));

  surface = cairo_pdf_surface_create_for_stream (write_cb, &sink, page_width, page_height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bulkhead");
  if (bh_document_get_title (doc) != NULL && *bh_document_get_title (doc) != '\0')
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, bh_document_get_title (doc));
  cr = cairo_create (surface);
  /* The document's height is read again after each page: painting measures
   * paragraphs whose height was estimated (bh_document_paint()). */
  do
    {
      page++;
      if (!page_wanted (ranges, page))
        continue;
      cairo_save (cr);
      cairo_translate (cr, left, top);
      cairo_rectangle (cr, 0, 0, content_width, content_height);
      cairo_clip (cr);
      cairo_scale (cr, factor, factor);
      bh_document_paint (doc, cr, (int) (page - 1) * page_css_height,
                         (int) ceil (content_width / factor), page_css_height);
      cairo_restore (cr);
      cairo_show_page (cr);
      printed++;
    }
  while (!sink.too_big && page < BH_MAX_PRINT_PAGES &&
         (gint64) page * page_css_height < bh_document_get_height_px (doc));
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  bh_document_set_print_backgrounds (doc, TRUE);

  if (sink.too_big)
    error = g_strdup_printf ("the PDF would be larger than %u MiB", BH_MAX_PDF_BYTES >> 20);
  else if (printed == 0)
    error = g_strdup_printf ("the page ranges name no page of the document, which has %u", page);
  else if (status != CAIRO_STATUS_SUCCESS)
    error = g_strdup_printf ("cairo could not make the PDF: %s", cairo_status_to_string (status));
  send_answer (channel, view_id, request_id, printed, pdf, error);
}
