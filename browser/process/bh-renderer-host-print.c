/* bh-renderer-host-print.c: printing a view's document to PDF for automation
 * (PrintToPdf/PdfPrinted) and the checks on the renderer's answer
 * (bh-renderer-host.h).
 *
 * As the element queries (bh-renderer-host-query.c), the prints waiting for an
 * answer hang off the host as object data, and each is answered once: by the
 * renderer, by the host's end ("terminated"), or by its timeout.
 */
#include "bh-renderer-host-private.h"

#include <string.h>

#include "bh-shm.h"

#define PRINTS_KEY "bh-renderer-host-prints"
/* Paging a long document (a few thousand px a page) takes the renderer well
 * under a second; this only ends a wait for a view that went. */
#define PRINT_TIMEOUT_MS 60000
/* Prints of one host waiting for their answer: automation waits for each. */
#define MAX_WAITING_PRINTS 8u
/* The renderer's reason when it has no PDF, in bytes. */
#define MAX_REASON_BYTES 1024

G_STATIC_ASSERT (G_N_ELEMENTS (((BhPrintSettings *) NULL)->page_ranges) == BH_MAX_PRINT_PAGE_RANGES);

typedef struct {
  BhRendererHost *host;       /* not a reference: the table is the host's */
  guint request_id;
  guint view_id;
  BhPdfPrintedFunc callback;
  gpointer user_data;
  GDestroyNotify notify;
  guint timeout_id;
} Print;

typedef struct {
  GHashTable *prints;         /* request id -> Print */
  guint next_request_id;
} Prints;

static void
print_free (Print *print)
{
  g_clear_handle_id (&print->timeout_id, g_source_remove);
  if (print->notify != NULL)
    g_clear_pointer (&print->user_data, print->notify);
  g_free (print);
}

/* Answers and frees @print. */
static void
print_fail (Print *print, int code, const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, code, message);

  print->callback (NULL, 0, error, print->user_data);
  print_free (print);
}

static void
prints_free (Prints *prints)
{
  g_hash_table_unref (prints->prints);
  g_free (prints);
}

static void
terminated_cb (BhRendererHost *host, BhTerminationStatus status, const char *message,
               gpointer data)
{
  Prints *prints = data;
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GPtrArray) failed = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, prints->prints);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (failed, value);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < failed->len; i++)
    print_fail (g_ptr_array_index (failed, i), G_IO_ERROR_CLOSED, "the renderer is gone");
}

static Prints *
prints_for (BhRendererHost *host)
{
  Prints *prints = g_object_get_data (G_OBJECT (host), PRINTS_KEY);

  if (prints != NULL)
    return prints;
  prints = g_new0 (Prints, 1);
  prints->prints = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          (GDestroyNotify) print_free);
  g_signal_connect (host, "terminated", G_CALLBACK (terminated_cb), prints);
  g_object_set_data_full (G_OBJECT (host), PRINTS_KEY, prints, (GDestroyNotify) prints_free);
  return prints;
}

static gboolean
timeout_cb (gpointer data)
{
  Print *print = data;

  print->timeout_id = 0;
  g_hash_table_steal (prints_for (print->host)->prints, GUINT_TO_POINTER (print->request_id));
  print_fail (print, G_IO_ERROR_TIMED_OUT,
              "the renderer did not answer (the page was replaced or closed)");
  return G_SOURCE_REMOVE;
}

static gboolean
fail_later_cb (gpointer data)
{
  Print *print = data;

  print->timeout_id = 0;
  print_fail (print, G_IO_ERROR_CLOSED, "the page has no renderer");
  return G_SOURCE_REMOVE;
}

static gboolean
busy_later_cb (gpointer data)
{
  Print *print = data;

  print->timeout_id = 0;
  print_fail (print, G_IO_ERROR_BUSY, "too many prints are waiting");
  return G_SOURCE_REMOVE;
}

void
bh_renderer_host_print_to_pdf (BhRendererHost *host, guint view_id, const BhPrintSettings *settings,
                               BhPdfPrintedFunc callback, gpointer user_data, GDestroyNotify notify)
{
  Prints *prints;
  Print *print;
  GVariantBuilder ranges;

  g_return_if_fail (BH_IS_RENDERER_HOST (host));
  g_return_if_fail (settings != NULL && callback != NULL);
  g_return_if_fail (settings->n_page_ranges <= BH_MAX_PRINT_PAGE_RANGES);

  prints = prints_for (host);
  print = g_new0 (Print, 1);
  print->host = host;
  print->view_id = view_id;
  print->callback = callback;
  print->user_data = user_data;
  print->notify = notify;
  if (g_hash_table_size (prints->prints) >= MAX_WAITING_PRINTS)
    {
      /* Never before the caller's call returns. */
      print->timeout_id = g_idle_add (busy_later_cb, print);
      return;
    }
  print->request_id = ++prints->next_request_id;
  g_variant_builder_init (&ranges, G_VARIANT_TYPE ("a(uu)"));
  for (guint i = 0; i < settings->n_page_ranges; i++)
    g_variant_builder_add (&ranges, "(uu)", settings->page_ranges[i][0], settings->page_ranges[i][1]);
  if (!bh_renderer_host_send_to_view (host, view_id, BH_MSG_PrintToPdf,
                                      g_variant_new ("(uudddddddbba(uu))", view_id, print->request_id,
                                                     settings->page_width_pt, settings->page_height_pt,
                                                     settings->margin_top_pt, settings->margin_right_pt,
                                                     settings->margin_bottom_pt,
                                                     settings->margin_left_pt, settings->scale,
                                                     settings->background, settings->shrink_to_fit,
                                                     &ranges)))
    {
      print->timeout_id = g_idle_add (fail_later_cb, print);
      return;
    }
  print->timeout_id = g_timeout_add (PRINT_TIMEOUT_MS, timeout_cb, print);
  g_hash_table_insert (prints->prints, GUINT_TO_POINTER (print->request_id), print);
}

/* Everything in the answer is the renderer's word: a print of that view that
 * was asked and not yet answered; a reason and no PDF, or a sealed PDF of the
 * size it says, within the caps, that starts as a PDF does. */
void
bh_renderer_host_handle_pdf_printed (BhRendererHost *host, BhMessage *message)
{
  Prints *prints = g_object_get_data (G_OBJECT (host), PRINTS_KEY);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *reason = NULL;
  guint32 view_id, request_id, pages;
  guint64 size;
  const char *failure;
  Print *print;

  g_variant_get (message->payload, "(uuut&s)", &view_id, &request_id, &pages, &size, &failure);
  print = prints != NULL ? g_hash_table_lookup (prints->prints, GUINT_TO_POINTER (request_id)) : NULL;
  if (print == NULL || print->view_id != view_id)
    {
      reason = g_strdup_printf ("PdfPrinted for request %u, which was not asked of view %u",
                                request_id, view_id);
      bh_renderer_host_report_bad_message (host, reason);
      return;
    }
  g_hash_table_steal (prints->prints, GUINT_TO_POINTER (request_id));

  if (*failure != '\0')
    {
      if (size != 0 || pages != 0 || strlen (failure) > MAX_REASON_BYTES)
        reason = g_strdup_printf ("PdfPrinted with a reason and %u pages of %" G_GUINT64_FORMAT
                                  " bytes, or a reason over %d bytes",
                                  pages, size, MAX_REASON_BYTES);
      else
        {
          print_fail (print, G_IO_ERROR_INVALID_ARGUMENT, failure);
          return;
        }
    }
  else if (size > BH_MAX_PDF_BYTES || pages == 0 || pages > BH_MAX_PRINT_PAGES)
    reason = g_strdup_printf ("PdfPrinted with %u pages of %" G_GUINT64_FORMAT " bytes (at most %u "
                              "pages, %u bytes)",
                              pages, size, BH_MAX_PRINT_PAGES, BH_MAX_PDF_BYTES);
  else if ((pdf = bh_blob_map (message->fds[0], size, &error)) == NULL)
    reason = g_strdup_printf ("PdfPrinted's memfd: %s", error->message);
  else if (size < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0)
    reason = g_strdup ("PdfPrinted with something that is not a PDF");
  if (reason != NULL)
    {
      print_fail (print, G_IO_ERROR_CLOSED, "the renderer misbehaved");
      bh_renderer_host_report_bad_message (host, reason);
      return;
    }
  print->callback (pdf, pages, NULL, print->user_data);
  print_free (print);
}
