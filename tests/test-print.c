/* test-print.c: where the engine ends a printed page (renderer/engine/
 * bh-document-pages.c): above a line of text the page's height would cut, as a
 * reader of the paper expects; the lines' places are what a click finds
 * (bh_document_locate_nodes()).
 */
#include <string.h>

#include "bh-document.h"

#define N_LINES 120

static void
test_page_breaks (void)
{
  GString *html = g_string_new ("<html><head><style>body { margin: 0; font-size: 16px }"
                                " p { margin: 0 0 3px 0 }</style></head><body>");
  g_autoptr (GBytes) body = NULL;
  g_autoptr (BhDocument) doc = NULL;
  g_autoptr (GArray) lines = NULL;
  int top = 0, pages = 0, height;

  for (int i = 1; i <= N_LINES; i++)
    g_string_append_printf (html, "<p>Line %03d of the printed document</p>", i);
  g_string_append (html, "</body></html>");
  body = g_string_free_to_bytes (html);
  doc = bh_document_new ("http://a.test/printed", "text/html", "utf-8", body);
  bh_document_layout (doc, 700, 1.0);
  height = bh_document_get_height_px (doc);
  lines = bh_document_locate_nodes (doc, "p", N_LINES);
  g_assert_cmpuint (lines->len, ==, N_LINES);

  /* Pages of 1000 px, the height of an A4 page's content at 96 px an inch;
   * the lines are about 22 px apart, so a cut at 1000 px would split one. */
  while (top < height)
    {
      int end = bh_document_page_break (doc, top, top + 1000);

      g_assert_cmpint (end, >, top + 500);
      g_assert_cmpint (end, <=, top + 1000);
      for (guint i = 0; i < lines->len; i++)
        {
          const BhNodeRect *line = &g_array_index (lines, BhNodeRect, i);

          if (line->y < end && line->y + line->height > end)
            g_error ("page %d ends at %d px, inside line %u (%.1f to %.1f px)", pages + 1, end, i + 1, line->y,
                     line->y + line->height);
        }
      top = end;
      pages++;
    }
  g_assert_cmpint (pages, ==, 3);
  /* A page too short for any line is cut where it must be. */
  g_assert_cmpint (bh_document_page_break (doc, 0, 10), ==, 10);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bh_document_warm_up ();
  g_test_add_func ("/renderer/print/page-breaks", test_page_breaks);
  return g_test_run ();
}
