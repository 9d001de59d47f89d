/* test-print.c: a document printed into a PDF by the engine
 * (renderer/engine/bh-document-print.c), read back as a person would read the
 * paper: pdfinfo's page count and size, pdftotext's words page by page. Every
 * line of the page must be whole on one page (none cut at a page's end), and
 * the page count follows the paper and its margins.
 */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "bh-document.h"

#define N_LINES 120

static BhDocument *
tall_document (void)
{
  GString *html = g_string_new ("<html><head><title>Printed</title><style>body { margin: 0; font-size: 16px }"
                                " p { margin: 0 0 3px 0 }</style></head><body>");
  g_autoptr (GBytes) body = NULL;
  BhDocument *doc;

  for (int i = 1; i <= N_LINES; i++)
    g_string_append_printf (html, "<p>Line %03d of the printed document</p>", i);
  g_string_append (html, "</body></html>");
  body = g_string_free_to_bytes (html);
  doc = bh_document_new ("http://a.test/printed", "text/html", "utf-8", body);
  bh_document_layout (doc, 800, 1.0);
  return doc;
}

/* What @tool (pdfinfo, pdftotext) says of @pdf, with @args before the file. */
static char *
run_on (GBytes *pdf, const char *tool, const char *args)
{
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *command = NULL;
  g_autoptr (GError) error = NULL;
  int fd = g_file_open_tmp ("bulkhead-print-XXXXXX.pdf", &path, &error);
  int status = -1;

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));
  command = g_strdup_printf ("%s %s %s%s", tool, args, path, g_str_equal (tool, "pdftotext") ? " -" : "");
  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_unlink (path);
  return g_steal_pointer (&out);
}

static void
test_pages (void)
{
  g_autoptr (BhDocument) doc = tall_document ();
  const double margins[4] = { 36, 36, 36, 36 };
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *info = NULL;
  guint pages = 0, seen = 0;

  pdf = bh_document_print_pdf (doc, 595.276, 841.89, margins, 1000, 64 << 20, &pages);
  g_assert_nonnull (pdf);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  /* 120 lines of about 22 px are about 2600 px; an A4 page holds 1026 px
   * between 0.5 in margins. */
  g_assert_cmpuint (pages, ==, 3);
  if (!g_find_program_in_path ("pdftotext") || !g_find_program_in_path ("pdfinfo"))
    {
      g_test_skip ("pdftotext and pdfinfo are missing (poppler-utils, tools/install-deps --test)");
      return;
    }
  info = run_on (pdf, "pdfinfo", "");
  g_assert_nonnull (strstr (info, "Pages:           3\n"));
  g_assert_nonnull (strstr (info, "Page size:       595.276 x 841.89 pts (A4)"));
  g_assert_nonnull (strstr (info, "Title:           Printed\n"));
  /* Each page holds whole lines, in order, and together all of them. */
  for (guint page = 1; page <= pages; page++)
    {
      g_autofree char *args = g_strdup_printf ("-f %u -l %u", page, page);
      g_autofree char *text = run_on (pdf, "pdftotext", args);
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *expected = g_strdup_printf ("Line %03u of the printed document", seen + 1);

          if (*lines[i] == '\0' || g_str_equal (lines[i], "\f"))
            continue;
          g_assert_cmpstr (lines[i], ==, expected);
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, N_LINES);

  /* Wider margins, more pages; a page too small for anything, no PDF; at most
   * as many pages as asked. */
  {
    const double wide[4] = { 300, 36, 300, 36 };
    const double all[4] = { 400, 300, 400, 300 };
    g_autoptr (GBytes) more = bh_document_print_pdf (doc, 595.276, 841.89, wide, 1000, 64 << 20, &pages);
    g_autoptr (GBytes) none = NULL;
    g_autoptr (GBytes) two = NULL;

    g_assert_nonnull (more);
    g_assert_cmpuint (pages, >=, 8); /* 322 px a page: 14 lines */
    none = bh_document_print_pdf (doc, 595.276, 841.89, all, 1000, 64 << 20, &pages);
    g_assert_null (none);
    g_assert_cmpuint (pages, ==, 0);
    two = bh_document_print_pdf (doc, 595.276, 841.89, margins, 2, 64 << 20, &pages);
    g_assert_nonnull (two);
    g_assert_cmpuint (pages, ==, 2);
    g_assert_null (bh_document_print_pdf (doc, 595.276, 841.89, margins, 1000, 1024, &pages));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bh_document_warm_up ();
  g_test_add_func ("/renderer/print/pages", test_pages);
  return g_test_run ();
}
