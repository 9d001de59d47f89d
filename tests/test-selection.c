/* test-selection.c: fragments, the selection and find in page, in the
 * document engine (renderer/engine/bh-selection.c), without a renderer:
 * where a fragment scrolls, what a click, double and triple click, drag and
 * Ctrl+A select and copy, what find counts, and the highlights as pixels.
 */
#include <string.h>

#include "bh-document.h"

#define PAGE \
  "<html><head><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 20px }" \
  " .tall { height: 1500px } #target { height: 400px }</style></head><body>" \
  "<p id=intro>Alpha beta gamma delta. The word needle appears here.</p>" \
  "<p>Second <a name=named>paragraph</a> with <img src=x.png width=10 height=10> an image.</p>" \
  "<div class=tall>A filler needle block.</div>" \
  "<div id=target>The target section, with a needle.</div>" \
  "<div class=tall>More: needle, Needle, NEEDLE, n\xc3\xa9\x65\x64le.</div></body></html>"

static BhDocument *
page (void)
{
  g_autoptr (GBytes) body = g_bytes_new_static (PAGE, strlen (PAGE));
  BhDocument *doc = bh_document_new ("http://a.test/page", "text/html", "utf-8", body);

  bh_document_layout (doc, 800, 1.0);
  return doc;
}

static void
test_fragment (void)
{
  g_autoptr (BhDocument) doc = page ();
  int y = -7, named = -7;

  g_assert_true (bh_document_get_fragment_y (doc, "target", &y));
  /* intro (~59 px) + second paragraph + 1500 px of filler */
  g_assert_cmpint (y, >, 1500);
  g_assert_cmpint (y, <, 1700);
  g_assert_true (bh_document_get_fragment_y (doc, "named", &named));
  g_assert_cmpint (named, >, 40);
  g_assert_cmpint (named, <, 140);
  g_assert_true (bh_document_get_fragment_y (doc, "", &y));
  g_assert_cmpint (y, ==, 0);
  g_assert_true (bh_document_get_fragment_y (doc, "TOP", &y));
  g_assert_cmpint (y, ==, 0);
  y = -7;
  g_assert_false (bh_document_get_fragment_y (doc, "nowhere", &y));
  g_assert_false (bh_document_get_fragment_y (doc, "Target", &y)); /* ids are case-sensitive */
  g_assert_cmpint (y, ==, -7);
}

static void
test_select_all_and_copy (void)
{
  g_autoptr (BhDocument) doc = page ();
  g_autofree char *text = NULL;
  g_autofree char *cut = NULL;

  g_assert_false (bh_document_has_selection (doc));
  text = bh_document_get_selected_text (doc, 1 << 20);
  g_assert_cmpstr (text, ==, "");
  g_free (g_steal_pointer (&text));

  bh_document_select_all (doc);
  g_assert_true (bh_document_has_selection (doc));
  text = bh_document_get_selected_text (doc, 1 << 20);
  /* One line per paragraph; the image's U+FFFC left out. */
  g_assert_true (g_str_has_prefix (text, "Alpha beta gamma delta. The word needle appears here.\n"
                                         "Second paragraph with  an image.\nA filler needle block.\n"));
  g_assert_true (g_str_has_suffix (text, "NEEDLE, n\xc3\xa9\x65\x64le."));
  /* Cut at a character, never inside one. */
  cut = bh_document_get_selected_text (doc, strlen (text) - 6);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_true (g_str_has_suffix (cut, "NEEDLE, n"));
  bh_document_clear_selection (doc);
  g_assert_false (bh_document_has_selection (doc));
}

static void
test_mouse_selection (void)
{
  g_autoptr (BhDocument) doc = page ();
  char *text;

  /* A double click on "Alpha", the first word. */
  bh_document_select_at (doc, 30, 28, BH_SELECT_WORD, FALSE);
  text = bh_document_get_selected_text (doc, 1024);
  g_assert_cmpstr (text, ==, "Alpha");
  g_free (text);
  /* A triple click: the paragraph. */
  bh_document_select_at (doc, 30, 28, BH_SELECT_PARAGRAPH, FALSE);
  text = bh_document_get_selected_text (doc, 1024);
  g_assert_cmpstr (text, ==, "Alpha beta gamma delta. The word needle appears here.");
  g_free (text);
  /* A press left of the text and a drag into the next paragraph's padding. */
  bh_document_select_at (doc, 2, 28, BH_SELECT_CARET, FALSE);
  g_assert_false (bh_document_has_selection (doc));
  bh_document_select_at (doc, 790, 28, BH_SELECT_CARET, TRUE);
  text = bh_document_get_selected_text (doc, 1024);
  g_assert_cmpstr (text, ==, "Alpha beta gamma delta. The word needle appears here.");
  g_free (text);
  /* Backwards works the same. */
  bh_document_select_at (doc, 790, 28, BH_SELECT_CARET, FALSE);
  bh_document_select_at (doc, 2, 28, BH_SELECT_CARET, TRUE);
  text = bh_document_get_selected_text (doc, 1024);
  g_assert_cmpstr (text, ==, "Alpha beta gamma delta. The word needle appears here.");
  g_free (text);
}

static void
test_find (void)
{
  g_autoptr (BhDocument) doc = page ();
  int y = -1, h = -1, target = 0;

  g_assert_cmpuint (bh_document_find (doc, "needle", 1000), ==, 6);
  g_assert_cmpuint (bh_document_get_find_match_count (doc), ==, 6);
  /* The first match at or below the top of the viewport becomes active. */
  g_assert_true (bh_document_get_fragment_y (doc, "target", &target));
  g_assert_cmpuint (bh_document_find_step (doc, TRUE, target), ==, 3);
  g_assert_true (bh_document_get_find_active_rect (doc, &y, &h));
  g_assert_cmpint (y, >=, target);
  g_assert_cmpint (h, >, 10);
  g_assert_cmpuint (bh_document_find_step (doc, TRUE, 0), ==, 4);
  g_assert_cmpuint (bh_document_find_step (doc, FALSE, 0), ==, 3);
  for (int i = 0; i < 3; i++)
    bh_document_find_step (doc, TRUE, 0);
  g_assert_cmpuint (bh_document_find_step (doc, TRUE, 0), ==, 1); /* wraps around */
  /* Case-insensitive beyond ASCII. */
  g_assert_cmpuint (bh_document_find (doc, "N\xc3\x89\x45\x44LE", 1000), ==, 1);
  g_assert_cmpuint (bh_document_find (doc, "needle", 2), ==, 2);
  g_assert_cmpuint (bh_document_find (doc, "", 1000), ==, 0);
  g_assert_cmpuint (bh_document_find (doc, "absent", 1000), ==, 0);
  g_assert_cmpuint (bh_document_find_step (doc, TRUE, 0), ==, 0);
  /* Closing the bar selects the active match. */
  bh_document_find (doc, "gamma", 1000);
  bh_document_find_step (doc, TRUE, 0);
  bh_document_stop_finding (doc);
  g_assert_false (bh_document_is_finding (doc));
  {
    g_autofree char *text = bh_document_get_selected_text (doc, 100);
    g_assert_cmpstr (text, ==, "gamma");
  }
}

/* The highlights are painted: blue under the selection, yellow and orange
 * under matches, nothing where there is neither. */
static guint
count_colour (BhDocument *doc, int height, gboolean (*is) (guint8 r, guint8 g, guint8 b))
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, height);
  cairo_t *cr = cairo_create (surface);
  guint n = 0;

  bh_document_paint (doc, cr, 0, 800, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < 800; x++)
      {
        guint32 p = ((guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface)))[x];
        n += is ((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
      }
  cairo_surface_destroy (surface);
  return n;
}

static gboolean
is_selection_blue (guint8 r, guint8 g, guint8 b)
{
  return b > 200 && r < 200 && r > 120 && g > 150 && g < 230;
}

static gboolean
is_find_yellow (guint8 r, guint8 g, guint8 b)
{
  return r > 240 && g > 240 && b < 30;
}

static gboolean
is_find_orange (guint8 r, guint8 g, guint8 b)
{
  return r > 240 && g > 130 && g < 170 && b > 30 && b < 70;
}

static void
test_highlights_painted (void)
{
  g_autoptr (BhDocument) doc = page ();

  g_assert_cmpuint (count_colour (doc, 120, is_selection_blue), ==, 0);
  g_assert_cmpuint (count_colour (doc, 120, is_find_yellow), ==, 0);
  bh_document_select_at (doc, 30, 28, BH_SELECT_WORD, FALSE);
  g_assert_cmpuint (count_colour (doc, 120, is_selection_blue), >, 200);
  bh_document_clear_selection (doc);
  bh_document_find (doc, "needle", 1000);
  bh_document_find_step (doc, TRUE, 0);
  g_assert_cmpuint (count_colour (doc, 120, is_find_orange), >, 200); /* the active one, in the intro */
  bh_document_find_step (doc, TRUE, 0);
  /* the intro's match, now yellow; the active one is below, in the filler */
  g_assert_cmpuint (count_colour (doc, 100, is_find_yellow), >, 200);
  g_assert_cmpuint (count_colour (doc, 100, is_find_orange), ==, 0);
}

/* Content wider than the layout reports its width, for horizontal scrolling. */
static void
test_content_width (void)
{
  static const char wide[] = "<table><tr><td style='white-space: nowrap'>words that may not wrap, many of them, "
                             "far more than fit in three hundred pixels</td><td>end</td></tr></table>";
  g_autoptr (GBytes) body = g_bytes_new_static (wide, strlen (wide));
  g_autoptr (BhDocument) doc = bh_document_new ("http://a.test/wide", "text/html", "utf-8", body);
  g_autoptr (BhDocument) narrow = page ();

  bh_document_layout (doc, 300, 1.0);
  g_assert_cmpint (bh_document_get_width_px (doc), >, 400);
  g_assert_cmpint (bh_document_get_width_px (narrow), ==, 800);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/selection/fragment", test_fragment);
  g_test_add_func ("/renderer/selection/select-all-and-copy", test_select_all_and_copy);
  g_test_add_func ("/renderer/selection/mouse", test_mouse_selection);
  g_test_add_func ("/renderer/selection/find", test_find);
  g_test_add_func ("/renderer/selection/highlights-painted", test_highlights_painted);
  g_test_add_func ("/renderer/selection/content-width", test_content_width);
  return g_test_run ();
}
