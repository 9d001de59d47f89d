/* test-css-layout: the CSS that documentation sites use, checked by pixels
 *
 * Each test lays a small page out in the document engine, paints it into an image
 * surface and looks at pixels whose colour the CSS decides exactly: a flex row's
 * items, a float beside text, an absolutely positioned box, a gradient's end colours,
 * rules in @media blocks, @import-ed sheets and var() values. Pages have body margins
 * of 0 so that positions are round numbers.
 */
#include <gio/gio.h>
#include <string.h>

#include "bh-css.h"
#include "bh-document.h"

static cairo_surface_t *
paint_at (BhDocument *doc, int width, int height, int scroll_y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  bh_document_layout (doc, width, 1.0);
  bh_document_paint (doc, cr, scroll_y, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
px (cairo_surface_t *surface, int x, int y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((const guint32 *) (data + (gsize) y * stride))[x] & 0xffffff;
}

static gboolean
is_dark (guint32 rgb)
{
  return ((rgb >> 16) & 0xff) < 120 && ((rgb >> 8) & 0xff) < 120 && (rgb & 0xff) < 120;
}

/* Dark (text) pixels in a rectangle. */
static guint
count_dark (cairo_surface_t *surface, int x0, int y0, int x1, int y1)
{
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (is_dark (px (surface, x, y)))
        n++;
  return n;
}

/* Whether every pixel of a rectangle has one colour. */
static gboolean
all_of (cairo_surface_t *surface, int x0, int y0, int x1, int y1, guint32 rgb)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (px (surface, x, y) != rgb)
        {
          g_test_message ("(%d,%d) is %06x, not %06x", x, y, px (surface, x, y), rgb);
          return FALSE;
        }
  return TRUE;
}

static BhDocument *
page (const char *html)
{
  g_autoptr(GString) full = g_string_new ("<!doctype html><style>body { margin: 0 }</style>");
  g_autoptr(GBytes) body = NULL;

  g_string_append (full, html);
  body = g_bytes_new (full->str, full->len);
  return bh_document_new ("http://css.test/", "text/html", "utf-8", body);
}

#define RED   0xff0000
#define LIME  0x00ff00
#define BLUE  0x0000ff
#define WHITE 0xffffff

/* ---------------------------------------------------------------- flex */

static void
test_flex_row (void)
{
  /* a fixed item, a growing one; then justify-content, align-items, order and gap */
  g_autoptr(BhDocument) doc = page (
    "<div style='display: flex; width: 300px'>"
    "<div style='width: 100px; height: 50px; background: red'></div>"
    "<div style='flex-grow: 1; height: 50px; background: lime'></div></div>"
    "<div style='display: flex; justify-content: space-between; align-items: center; height: 60px; width: 300px'>"
    "<div style='order: 2; width: 50px; height: 20px; background: blue'></div>"
    "<div style='order: 1; width: 50px; height: 20px; background: red'></div></div>"
    "<div style='display: flex; gap: 10px; flex-wrap: wrap; width: 100px'>"
    "<div style='width: 60px; height: 10px; background: lime'></div>"
    "<div style='width: 60px; height: 10px; background: blue'></div></div>");
  cairo_surface_t *s = paint_at (doc, 400, 300, 0);

  /* side by side on one row, the second taking the rest of the 300 px */
  g_assert_true (all_of (s, 0, 0, 100, 50, RED));
  g_assert_true (all_of (s, 100, 0, 300, 50, LIME));
  g_assert_true (all_of (s, 300, 0, 400, 50, WHITE));
  /* order puts red first; space-between puts blue at the right end; centred in 60 px */
  g_assert_true (all_of (s, 0, 50 + 20, 50, 50 + 40, RED));
  g_assert_true (all_of (s, 250, 50 + 20, 300, 50 + 40, BLUE));
  g_assert_true (all_of (s, 0, 50, 300, 50 + 20, WHITE));
  g_assert_true (all_of (s, 60, 50 + 20, 240, 50 + 40, WHITE));
  /* 60 + 10 + 60 > 100: the second wraps, 10 px below */
  g_assert_true (all_of (s, 0, 110, 60, 120, LIME));
  g_assert_true (all_of (s, 0, 120, 100, 130, WHITE));
  g_assert_true (all_of (s, 0, 130, 60, 140, BLUE));
  cairo_surface_destroy (s);
}

static void
test_flex_shrink_and_column (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='display: flex; width: 200px'>"
    "<div style='flex: 0 1 200px; height: 10px; background: red'></div>"
    "<div style='flex: 0 3 200px; height: 10px; background: lime'></div></div>"
    "<div style='display: flex; flex-direction: column; align-items: flex-end; width: 200px'>"
    "<div style='width: 50px; height: 10px; background: blue'></div>"
    "<div style='margin-top: 5px; width: 80px; height: 10px; background: red'></div></div>");
  cairo_surface_t *s = paint_at (doc, 300, 100, 0);

  /* 200 px too much, taken 1:3 weighted by the base sizes: 150 and 50 */
  g_assert_true (all_of (s, 0, 0, 150, 10, RED));
  g_assert_true (all_of (s, 150, 0, 200, 10, LIME));
  /* a column: stacked, at the end of the cross axis */
  g_assert_true (all_of (s, 150, 10, 200, 20, BLUE));
  g_assert_true (all_of (s, 0, 10, 150, 20, WHITE));
  g_assert_true (all_of (s, 120, 25, 200, 35, RED));
  cairo_surface_destroy (s);
}

static void
test_flex_freeze_at_max (void)
{
  /* gi-docgen's three columns: a sidebar at its min-width, a main column whose long
   * content and max-width make it shrink, a table of contents at its min-width. The
   * row must fit its 600 px (CSS Flexbox 1 section 9.7: items are frozen round by
   * round, min or max violations as their sum says, not all at once) */
  g_autoptr(GString) html = g_string_new ("<div style='display: flex; width: 600px; font-size: 10px; line-height: 1'>"
    "<div style='min-width: 150px; height: 10px; background: red; color: red'>a</div>"
    "<div style='flex-grow: 1; max-width: 500px; height: 10px; overflow: hidden; background: lime; color: lime'>");
  g_autoptr(BhDocument) doc = NULL;
  cairo_surface_t *s;

  for (int i = 0; i < 200; i++)
    g_string_append (html, "word ");
  g_string_append (html, "</div><div style='min-width: 100px; height: 10px; background: blue; color: blue'>b</div></div>");
  doc = page (html->str);
  s = paint_at (doc, 700, 50, 0);
  g_assert_true (all_of (s, 0, 0, 150, 10, RED));
  g_assert_true (all_of (s, 150, 0, 500, 10, LIME));
  g_assert_true (all_of (s, 500, 0, 600, 10, BLUE));
  g_assert_true (all_of (s, 600, 0, 700, 10, WHITE));
  cairo_surface_destroy (s);
}

static void
test_inline_block (void)
{
  /* an inline-block is a box of its own in the line: text goes on after it */
  g_autoptr(BhDocument) doc = page (
    "<div style='font-size: 20px; line-height: 1'><span style='display: inline-block; width: 40px; height: 30px;"
    " background: red'></span>XXXX<span style='display: inline-block; padding: 5px; background: lime'>"
    "<div style='width: 10px; height: 10px; background: blue'></div></span></div>");
  cairo_surface_t *s = paint_at (doc, 400, 100, 0);
  int x;

  g_assert_true (all_of (s, 0, 0, 40, 30, RED));
  /* the text right of it, on its line */
  g_assert_cmpuint (count_dark (s, 40, 0, 400, 30), >, 50);
  g_assert_cmpuint (count_dark (s, 0, 30, 400, 100), ==, 0);
  /* the second one shrinks to its content: 10 px and 5 px of padding all round (its
   * place follows the text, so its edges may fall between pixels) */
  {
    int x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;
    for (int y = 0; y < 100; y++)
      for (x = 40; x < 400; x++)
        if (px (s, x, y) == LIME || px (s, x, y) == BLUE)
          x0 = MIN (x0, x), y0 = MIN (y0, y), x1 = MAX (x1, x), y1 = MAX (y1, y);
    g_test_message ("inline-block at %d,%d..%d,%d", x0, y0, x1, y1);
    g_assert_cmpint (x0, >, 60);
    g_assert_cmpint (x1 - x0 + 1, >=, 19);
    g_assert_cmpint (x1 - x0 + 1, <=, 20);
    g_assert_cmpint (y1 - y0 + 1, >=, 19);
    g_assert_cmpint (y1 - y0 + 1, <=, 20);
    g_assert_true (all_of (s, x0 + 6, y0 + 6, x0 + 14, y0 + 14, BLUE));
    /* on the line: its bottom is the baseline, within the red box's 30 px */
    g_assert_cmpint (y1, <, 30);
  }
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- floats */

static void
test_float (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='float: left; width: 100px; height: 100px; background: red'></div>"
    "<div style='float: right; width: 50px; height: 50px; background: blue'></div>"
    "<p style='margin: 0'>text text text text text text text text</p>"
    "<div style='clear: both; height: 10px; background: lime'></div>");
  cairo_surface_t *s = paint_at (doc, 400, 200, 0);

  g_assert_true (all_of (s, 0, 0, 100, 100, RED));
  g_assert_true (all_of (s, 350, 0, 400, 50, BLUE));
  /* the line beside the floats is shortened: text between them, none under them */
  g_assert_cmpuint (count_dark (s, 100, 0, 350, 40), >, 100);
  /* clear: below both floats */
  g_assert_true (all_of (s, 0, 100, 400, 110, LIME));
  cairo_surface_destroy (s);
}

static void
test_float_negative_margin_sidebar (void)
{
  /* the Sphinx layout: a 100% float, then a float pulled over it by margin-left: -100% */
  g_autoptr(BhDocument) doc = page (
    "<div style='float: left; width: 100%'><div style='margin-left: 100px; height: 40px; background: lime'></div></div>"
    "<div style='float: left; width: 100px; margin-left: -100%; height: 60px; background: red'></div>"
    "<div style='clear: both; height: 10px; background: blue'></div>");
  cairo_surface_t *s = paint_at (doc, 400, 100, 0);

  g_assert_true (all_of (s, 0, 0, 100, 60, RED));
  g_assert_true (all_of (s, 100, 0, 400, 40, LIME));
  g_assert_true (all_of (s, 0, 60, 400, 70, BLUE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- positioning */

static void
test_position (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='position: relative; margin: 50px; height: 100px'>"
    "<div style='position: absolute; left: 10px; top: 20px; width: 30px; height: 30px; background: red'></div>"
    "<div style='position: absolute; right: 0; bottom: 0; width: 20px; height: 10px; background: blue; z-index: 2'></div>"
    "<div style='position: absolute; right: 0; bottom: 0; width: 20px; height: 10px; background: red; z-index: 1'></div>"
    "</div>"
    "<div style='position: relative; left: 5px; top: 5px; width: 10px; height: 10px; background: lime'></div>"
    "<div style='position: fixed; top: 0; left: 300px; width: 10px; height: 10px; background: lime'></div>"
    "<div style='height: 2000px'></div>");
  cairo_surface_t *s = paint_at (doc, 400, 300, 0);

  g_assert_true (all_of (s, 60, 70, 90, 100, RED));
  g_assert_true (all_of (s, 59, 70, 60, 100, WHITE));
  /* the containing block is the relative box's padding box: 50..350 x 50..150;
   * z-index 2 over z-index 1 */
  g_assert_true (all_of (s, 330, 140, 350, 150, BLUE));
  /* relative: shifted from where the flow put it (0, 200 after the 50 px margin) */
  g_assert_true (all_of (s, 5, 205, 15, 215, LIME));
  g_assert_true (all_of (s, 300, 0, 310, 10, LIME));
  cairo_surface_destroy (s);

  /* scrolled: the fixed box stays at the top of the viewport */
  s = paint_at (doc, 400, 300, 500);
  g_assert_true (all_of (s, 300, 0, 310, 10, LIME));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- decoration */

static void
test_gradient_radius_shadow_overflow (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='height: 100px; width: 100px; background: linear-gradient(to bottom, red, blue)'></div>"
    "<div style='height: 100px; width: 100px; background-image: linear-gradient(90deg, lime, red)'></div>"
    "<div style='margin: 20px; width: 50px; height: 50px; background: red; border-radius: 20px'></div>"
    "<div style='margin: 20px; width: 50px; height: 50px; background: lime; box-shadow: 10px 10px 0 blue'></div>"
    "<div style='overflow: hidden; width: 50px; height: 20px'><div style='width: 200px; height: 200px; background: red'></div></div>"
    "<div style='height: 10px'></div>");
  cairo_surface_t *s = paint_at (doc, 200, 500, 0);
  guint32 top = px (s, 50, 0), bottom = px (s, 50, 99), left = px (s, 0, 150), right = px (s, 99, 150);

  /* the end colours at the ends */
  g_assert_cmpuint ((top >> 16) & 0xff, >, 245);
  g_assert_cmpuint (top & 0xff, <, 10);
  g_assert_cmpuint (bottom & 0xff, >, 245);
  g_assert_cmpuint ((bottom >> 16) & 0xff, <, 10);
  g_assert_cmpuint ((left >> 8) & 0xff, >, 245);
  g_assert_cmpuint ((left >> 16) & 0xff, <, 10);
  g_assert_cmpuint ((right >> 16) & 0xff, >, 245);
  /* rounded: the corner is the page's, the middle the box's */
  g_assert_cmphex (px (s, 21, 221), ==, WHITE);
  g_assert_cmphex (px (s, 45, 245), ==, RED);
  /* the shadow: offset by 10 px, outside the box only */
  g_assert_cmphex (px (s, 75, 345), ==, BLUE);
  g_assert_cmphex (px (s, 65, 335), ==, LIME);
  g_assert_cmphex (px (s, 25, 345), ==, WHITE);
  /* overflow: hidden clips the 200 px child to 50x20 (after the 20 px margin) */
  g_assert_true (all_of (s, 0, 360, 50, 380, RED));
  g_assert_true (all_of (s, 50, 360, 200, 380, WHITE));
  g_assert_true (all_of (s, 0, 380, 50, 390, WHITE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- cascade */

static void
test_media_queries (void)
{
  /* evaluated against the viewport, again when it changes */
  g_autoptr(BhDocument) doc = page (
    "<style>div { height: 10px; background: blue }"
    " @media screen and (max-width: 500px) { div { background: red } }"
    " @media (min-width: 501px) and (orientation: landscape) { div { background: lime } }"
    " @media print { div { background: white } }"
    " @media (prefers-color-scheme: dark) { div { background: white } }"
    " @media (width >= 2000px), (min-width: 1500px) { div { background: white } }</style><div></div>");
  cairo_surface_t *s = paint_at (doc, 400, 100, 0);

  g_assert_cmphex (px (s, 0, 0), ==, RED);
  cairo_surface_destroy (s);
  s = paint_at (doc, 800, 100, 0);
  g_assert_cmphex (px (s, 0, 0), ==, LIME);
  cairo_surface_destroy (s);
  s = paint_at (doc, 400, 100, 0);
  g_assert_cmphex (px (s, 0, 0), ==, RED);
  cairo_surface_destroy (s);

  g_assert_true (bh_media_query_matches ("", 100, 100));
  g_assert_true (bh_media_query_matches ("not print", 100, 100));
  g_assert_false (bh_media_query_matches ("(min-width: 40em)", 600, 100));
  g_assert_true (bh_media_query_matches ("(min-width: 40em)", 640, 100));
  g_assert_false (bh_media_query_matches ("(unknown-feature: 1)", 640, 100));
  g_assert_true (bh_media_query_matches ("only screen and (max-width: 1023px)", 1000, 100));
}

static void
test_custom_properties_and_calc (void)
{
  g_autoptr(BhDocument) doc = page (
    "<style>:root { --w: 100px; --fill: rgb(255, 0, 0); --twice: calc(var(--w) * 2) }"
    " .a { width: var(--w); height: 10px; background: var(--fill) }"
    " .b { width: var(--missing, 50px); height: 10px; background: var(--none, lime) }"
    " .c { --fill: blue; width: calc(50% - 10px); height: 10px; background: var(--fill) }"
    " .d { width: var(--twice); height: 10px; background: var(--fill); margin-left: 1rem }"
    " .e { width: 10vw; height: 1ch; background: var(--broken) lime }</style>"
    "<div class='a'></div><div class='b'></div><div class='c'></div><div class='d'></div>");
  cairo_surface_t *s = paint_at (doc, 400, 100, 0);

  g_assert_true (all_of (s, 0, 0, 100, 10, RED));
  g_assert_cmphex (px (s, 100, 5), ==, WHITE);
  g_assert_true (all_of (s, 0, 10, 50, 20, LIME));
  g_assert_cmphex (px (s, 50, 15), ==, WHITE);
  /* calc(50% - 10px) of 400 px, var() inherited and overridden */
  g_assert_true (all_of (s, 0, 20, 190, 30, BLUE));
  g_assert_cmphex (px (s, 190, 25), ==, WHITE);
  /* a var() inside a custom property; rem is 16 px */
  g_assert_true (all_of (s, 16, 30, 216, 40, RED));
  g_assert_cmphex (px (s, 15, 35), ==, WHITE);
  cairo_surface_destroy (s);
}

static void
test_import (void)
{
  g_autoptr(BhDocument) doc = page (
    "<style>@import url(\"a.css\") screen; @import 'print.css' print; p { margin: 0 }</style>"
    "<p>&nbsp;</p>");
  static const char a_css[] = "@import \"sub/b.css\"; p { background: red; height: 20px }";
  static const char b_css[] = "@import '../a.css'; p { background: blue; width: 10px }";
  g_autoptr(GBytes) a = g_bytes_new_static (a_css, strlen (a_css));
  g_autoptr(GBytes) b = g_bytes_new_static (b_css, strlen (b_css));
  cairo_surface_t *s;
  guint n;

  /* imports are fetched like any style sheet, relative to the sheet */
  n = bh_document_get_n_resources (doc);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (bh_document_get_resource_url (doc, 0), ==, "http://css.test/a.css");
  g_assert_cmpstr (bh_document_get_resource_url (doc, 1), ==, "http://css.test/print.css");
  g_assert_true (bh_document_has_pending_stylesheets (doc));
  bh_document_set_resource (doc, "http://css.test/a.css", "text/css", a);
  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 3);
  g_assert_cmpstr (bh_document_get_resource_url (doc, 2), ==, "http://css.test/sub/b.css");
  /* b.css imports a.css again: a cycle, which adds nothing and ends */
  bh_document_set_resource (doc, "http://css.test/sub/b.css", "text/css", b);
  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 3);
  bh_document_set_resource (doc, "http://css.test/print.css", "text/css", b);

  /* b.css comes before a.css's own rules: its blue loses to a's red; width stays */
  s = paint_at (doc, 200, 100, 0);
  g_assert_true (all_of (s, 0, 0, 10, 20, RED));
  g_assert_true (all_of (s, 10, 0, 200, 20, WHITE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- selectors */

/* The colour of row @i of 10 px rows, sampled in its middle. */
static guint32
row (cairo_surface_t *s, int i)
{
  return px (s, 5, i * 10 + 5);
}

static void
test_selectors (void)
{
  g_autoptr(BhDocument) doc = page (
    "<style>div, li, p { height: 10px; margin: 0 } ul { margin: 0; padding: 0; list-style: none }"
    " li:first-child { background: red } li:nth-child(2n+3) { background: lime } li:last-child { background: blue }"
    " .a ~ p { background: blue } .a + p { background: red }"
    " [data-x] { background: red } [data-x=v] { background: lime } [data-x~=w] { background: blue }"
    " [lang|=en] { background: lime } a[href^='http:'] { background: red } [href$='.pdf'] { background: blue }"
    " [href*=doc] { background: lime } [data-y='V' i] { background: blue }"
    " :where(#w) { background: red } div.q { background: lime }"
    " :is(#i) { background: blue } div.q.r { background: red }"
    " div:not(.q, .a, [data-x], [data-y], [lang]) { background: red }"
    " .gen::before { content: 'I' } .gen2:after { content: attr(data-t) '!' }"
    " .none::before { content: none }</style>"
    "<ul><li></li><li></li><li></li><li></li><li></li><li></li></ul>"
    "<p class='a'></p><p></p><p></p>"
    "<div data-x></div><div data-x='v'></div><div data-x='u w'></div>"
    "<div lang='en-GB'></div><a href='http://x/' style='display: block; height: 10px'></a>"
    "<div><a href='file.pdf' style='display: block; height: 10px'></a></div>"
    "<div lang='x'><a href='/doc/' style='display: block; height: 10px'></a></div><div data-y='v'></div>"
    "<div id='w' class='q'></div><div id='i' class='q r'></div><div></div>"
    "<div class='q' style='height: auto; font-size: 20px'><span class='gen'></span></div>"
    "<div class='q' style='height: auto; font-size: 20px'><span class='gen2' data-t='WWW'></span></div>"
    "<div class='q' style='height: auto; font-size: 20px'><span class='none'></span>&nbsp;</div>");
  cairo_surface_t *s = paint_at (doc, 200, 400, 0);
  static const guint32 want[] = {
    RED, WHITE, LIME, WHITE, LIME, BLUE,          /* structural */
    WHITE, RED, BLUE,                             /* + and ~ */
    RED, LIME, BLUE, LIME, RED, BLUE, LIME, BLUE, /* attributes (the last two: a div holding the link) */
    LIME, BLUE, RED,                              /* :where() adds nothing, :is() its argument, :not() */
  };

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_test_message ("row %u", i);
      g_assert_cmphex (row (s, (int) i), ==, want[i]);
    }
  /* ::before and ::after with content: text in the line; content: none makes none */
  {
    int top = (int) G_N_ELEMENTS (want) * 10;
    guint before = count_dark (s, 0, top, 200, top + 25);
    guint after = count_dark (s, 0, top + 25, 200, top + 50);
    g_test_message ("generated text: %u and %u dark pixels", before, after);
    g_assert_cmpuint (before, >, 15);
    g_assert_cmpuint (after, >, before);  /* "WWW!" is wider than "I" */
    g_assert_cmpuint (count_dark (s, 0, top + 50, 200, top + 80), ==, 0);
  }
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- visual effects and text */

/* Whether two surfaces have the same pixels in a rectangle. */
static gboolean
same_pixels (cairo_surface_t *a, cairo_surface_t *b, int x0, int y0, int x1, int y1)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (px (a, x, y) != px (b, x, y))
        return FALSE;
  return TRUE;
}

/* Whether rows [y, y + h) and [y2, y2 + h) of @s are the same between x0 and x1. */
static gboolean
same_band (cairo_surface_t *s, int y, int y2, int h, int x0, int x1)
{
  for (int dy = 0; dy < h; dy++)
    for (int x = x0; x < x1; x++)
      if (px (s, x, y + dy) != px (s, x, y2 + dy))
        return FALSE;
  return TRUE;
}

static cairo_surface_t *
paint_page (const char *html, int width, int height)
{
  g_autoptr(BhDocument) doc = page (html);
  return paint_at (doc, width, height, 0);
}

/* The rightmost column with a pixel of @rgb in rows [y0, y1), -1 if none. */
static int
right_edge_of (cairo_surface_t *s, int y0, int y1, guint32 rgb)
{
  int w = cairo_image_surface_get_width (s);

  for (int x = w - 1; x >= 0; x--)
    for (int y = y0; y < y1; y++)
      if (px (s, x, y) == rgb)
        return x;
  return -1;
}

static void
test_radial_gradient (void)
{
  cairo_surface_t *s = paint_page (
    "<div style='width: 100px; height: 100px; background: radial-gradient(circle at center, lime, blue)'></div>"
    "<div style='width: 200px; height: 50px; background-image: radial-gradient(red 0%, blue 100%)'></div>", 200, 150);
  guint32 centre = px (s, 50, 50), corner = px (s, 0, 0), middle = px (s, 100, 125), end = px (s, 199, 149);

  /* the first stop in the centre, the last at the farthest corner */
  g_test_message ("circle %06x .. %06x, ellipse %06x .. %06x", centre, corner, middle, end);
  g_assert_cmpuint ((centre >> 8) & 0xff, >, 245);
  g_assert_cmpuint (corner & 0xff, >, 235);
  g_assert_cmpuint ((corner >> 8) & 0xff, <, 20);
  g_assert_cmpuint ((middle >> 16) & 0xff, >, 245);
  g_assert_cmpuint (end & 0xff, >, 235);
  /* an ellipse of the box's proportions: halfway along either axis, the same colour */
  g_assert_cmpint (ABS ((int) ((px (s, 100 + 50, 125) >> 16) & 0xff) - (int) ((px (s, 100, 125 + 12) >> 16) & 0xff)), <=, 4);
  cairo_surface_destroy (s);
}

static void
test_visibility_and_opacity (void)
{
  cairo_surface_t *s = paint_page (
    "<div style='visibility: hidden; height: 40px; background: red; border: 5px solid red'>"
    "<div style='visibility: visible; width: 20px; height: 20px; background: lime'></div>"
    "<span style='font-size: 30px'>XXXX</span></div>"
    "<div style='opacity: 0.5; width: 50px; height: 20px; background: blue'>"
    "<div style='position: absolute; width: 10px; height: 10px; background: red'></div></div>"
    "<div style='opacity: 0; width: 50px; height: 20px; background: red'></div>"
    "<div style='width: 50px; height: 20px; background: lime; visibility: collapse'></div>", 200, 200);
  guint32 half = px (s, 30, 55);

  /* hidden: no background, border or text, but its room is kept; a visible child shows */
  g_assert_true (all_of (s, 5, 5, 25, 25, LIME));
  g_assert_true (all_of (s, 0, 0, 5, 50, WHITE));
  g_assert_true (all_of (s, 25, 5, 200, 50, WHITE));
  /* opacity 0.5 over white: half blue; the positioned child is in the group too */
  g_test_message ("opacity 0.5 blue over white: %06x", half);
  g_assert_cmpuint ((half >> 16) & 0xff, >=, 120);
  g_assert_cmpuint ((half >> 16) & 0xff, <=, 135);
  g_assert_cmpuint (half & 0xff, ==, 0xff);
  g_assert_cmpuint ((px (s, 5, 55) >> 16) & 0xff, ==, 0xff);
  g_assert_cmpuint ((px (s, 5, 55) >> 8) & 0xff, >=, 120);
  /* opacity 0 and visibility: collapse paint nothing */
  g_assert_true (all_of (s, 0, 70, 200, 110, WHITE));
  cairo_surface_destroy (s);
}

static void
test_text_transform_and_spacing (void)
{
  const char *style = "<style>p { font-size: 20px; margin: 0; height: 30px }</style>";
  g_autofree char *transformed = g_strconcat (style,
    "<p style='text-transform: uppercase'>xbox <b>and</b> wii</p>"
    "<p style='text-transform: capitalize'>hello <i>world</i> it's</p>"
    "<p style='text-transform: lowercase'>QUIET</p>", NULL);
  g_autofree char *written = g_strconcat (style,
    "<p>XBOX <b>AND</b> WII</p><p>Hello <i>World</i> It's</p><p>quiet</p>", NULL);
  g_autofree char *untransformed = g_strconcat (style,
    "<p>xbox <b>and</b> wii</p><p>hello <i>world</i> it's</p><p>QUIET</p>", NULL);
  cairo_surface_t *a = paint_page (transformed, 300, 100);
  cairo_surface_t *b = paint_page (written, 300, 100);
  cairo_surface_t *c = paint_page (untransformed, 300, 100);
  cairo_surface_t *spaced = paint_page (
    "<span style='background: lime; font-size: 20px'>iiii</span><br>"
    "<span style='background: lime; font-size: 20px; letter-spacing: 0.5em'>iiii</span>", 300, 60);
  int plain_w, spaced_w;

  /* text-transform paints what the transformed text would */
  for (int i = 0; i < 3; i++)
    {
      g_test_message ("line %d", i);
      g_assert_true (same_pixels (a, b, 0, i * 30, 300, i * 30 + 30));
      g_assert_false (same_pixels (a, c, 0, i * 30, 300, i * 30 + 30));
    }
  /* letter-spacing: 0.5em = 10 px between the four letters (Chromium adds it after the
   * last one too, Pango not at the ends of a run) */
  plain_w = right_edge_of (spaced, 0, 20, LIME);
  spaced_w = right_edge_of (spaced, 30, 50, LIME);
  g_test_message ("letter-spacing: %d px, then %d px", plain_w, spaced_w);
  g_assert_cmpint (spaced_w - plain_w, >=, 28);
  g_assert_cmpint (spaced_w - plain_w, <=, 44);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  cairo_surface_destroy (c);
  cairo_surface_destroy (spaced);
}

static void
test_text_overflow_ellipsis (void)
{
  const char *box = "<div style='width: 100px; overflow: hidden; white-space: nowrap; font-size: 16px; height: 30px;";
  g_autofree char *html = g_strconcat (
    box, " text-overflow: ellipsis'>MMMMMMMMMMMMMMMMMMMM</div>",
    box, "'>MMMMMMMMMMMMMMMMMMMM</div>",
    box, " text-overflow: ellipsis'>MM</div>", box, "'>MM</div>", NULL);
  cairo_surface_t *s = paint_page (html, 300, 120);

  /* a line too long ends in an ellipsis, so the box's end differs from a clipped line;
   * nothing shows past the box either way; a line that fits is left alone */
  g_assert_false (same_band (s, 0, 30, 30, 0, 100));
  g_assert_cmpuint (count_dark (s, 100, 0, 300, 60), ==, 0);
  g_assert_cmpuint (count_dark (s, 85, 0, 100, 30), <, count_dark (s, 85, 30, 100, 60));
  g_assert_true (same_band (s, 60, 90, 30, 0, 300));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- images */

static cairo_status_t
append_png_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A 10x10 PNG: red on its left half, blue on its right. */
static GBytes *
red_blue_png (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_rectangle (cr, 0, 0, 5, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 1);
  cairo_rectangle (cr, 5, 0, 5, 10);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png_cb, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

static const char lime_svg[] =
  "<?xml version='1.0'?>\n<!-- a comment -->\n<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
  "<rect width='40' height='20' fill='#00ff00'/>"
  /* nothing from outside: neither a file nor the network is read */
  "<image href='file:///etc/hostname' width='40' height='20'/>"
  "<image href='http://css.test/t.png' width='40' height='20'/></svg>";

static gboolean
has_resource (BhDocument *doc, const char *url)
{
  for (guint i = 0; i < bh_document_get_n_resources (doc); i++)
    if (strcmp (bh_document_get_resource_url (doc, i), url) == 0)
      return TRUE;
  return FALSE;
}

static void
test_svg_images (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='line-height: 0'><img src='a.svg'></div>"
    "<div style='line-height: 0'><img src='a.svg' width='80'></div>"
    "<div style='width: 100px; height: 50px; background: url(\"a.svg\") no-repeat; background-size: contain'></div>");
  g_autoptr(GBytes) svg = g_bytes_new_static (lime_svg, sizeof lime_svg - 1);
  cairo_surface_t *s;

  g_assert_true (bh_document_set_resource (doc, "http://css.test/a.svg", "image/svg+xml", svg));
  s = paint_at (doc, 200, 200, 0);
  /* its natural size, 40x20; then 80 wide at its ratio, 40 tall */
  g_assert_true (all_of (s, 0, 0, 40, 20, LIME));
  g_assert_true (all_of (s, 40, 0, 200, 20, WHITE));
  g_assert_true (all_of (s, 0, 20, 80, 60, LIME));
  g_assert_true (all_of (s, 80, 20, 200, 60, WHITE));
  /* contain in 100x50: 100 wide, 50 tall */
  g_assert_true (all_of (s, 0, 60, 100, 110, LIME));
  g_assert_true (all_of (s, 100, 60, 200, 110, WHITE));
  /* the SVG's own references asked for nothing */
  g_assert_false (has_resource (doc, "http://css.test/t.png"));
  cairo_surface_destroy (s);
}

static void
test_inline_svg (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='line-height: 0; color: #00ff00'><svg width='40' height='20'>"
    "<rect width='40' height='20' fill='currentColor'/></svg></div>"
    "<div style='line-height: 0'><svg viewBox='0 0 4 2' style='width: 80px; display: block'>"
    "<linearGradient id='g'><stop offset='0' stop-color='blue'/></linearGradient>"
    "<rect width='4' height='2' fill='url(#g)'/></svg></div>"
    "<p style='margin: 0'>after</p>");
  cairo_surface_t *s = paint_at (doc, 200, 200, 0);

  /* an image of its subtree: its size, currentColor the element's colour */
  g_assert_true (all_of (s, 0, 0, 40, 20, LIME));
  g_assert_true (all_of (s, 40, 0, 200, 20, WHITE));
  /* a CSS width and the viewBox's ratio; camelCase elements and url(#id) references */
  g_assert_true (all_of (s, 0, 20, 80, 60, BLUE));
  g_assert_true (all_of (s, 80, 20, 200, 60, WHITE));
  g_assert_cmpuint (count_dark (s, 0, 60, 200, 90), >, 0);
  cairo_surface_destroy (s);
}

static void
test_background_image (void)
{
  g_autoptr(BhDocument) doc = page (
    "<link rel='stylesheet' href='css/s.css'>"
    "<div style='height: 10px; width: 100px; background: url(t.png) no-repeat 50% 0'></div>"
    "<div style='height: 30px; width: 100px; background-image: url(t.png); background-repeat: repeat-x'></div>"
    "<div style='height: 20px; width: 100px; background: white url(t.png) repeat-y right top / 20px 20px'></div>"
    "<div class='s'></div>");
  static const char css[] = ".s { height: 10px; width: 30px; background: url(../img/t.png) }";
  g_autoptr(GBytes) sheet = g_bytes_new_static (css, sizeof css - 1);
  g_autoptr(GBytes) png = red_blue_png ();
  cairo_surface_t *s;

  /* a url() is fetched like an image, relative to the sheet it is in */
  g_assert_true (bh_document_set_resource (doc, "http://css.test/css/s.css", "text/css", sheet));
  cairo_surface_destroy (paint_at (doc, 200, 200, 0));
  g_assert_true (has_resource (doc, "http://css.test/t.png"));
  g_assert_true (has_resource (doc, "http://css.test/img/t.png"));
  bh_document_set_resource (doc, "http://css.test/t.png", "image/png", png);
  bh_document_set_resource (doc, "http://css.test/img/t.png", "image/png", png);
  s = paint_at (doc, 200, 200, 0);

  /* no-repeat at 50% 0: one tile in the middle */
  g_assert_true (all_of (s, 0, 0, 45, 10, WHITE));
  g_assert_true (all_of (s, 45, 0, 50, 10, RED));
  g_assert_true (all_of (s, 50, 0, 55, 10, BLUE));
  g_assert_true (all_of (s, 55, 0, 100, 10, WHITE));
  /* repeat-x: a row of tiles from the left, nothing under it */
  g_assert_true (all_of (s, 0, 10, 5, 20, RED));
  g_assert_true (all_of (s, 5, 10, 10, 20, BLUE));
  g_assert_true (all_of (s, 90, 10, 95, 20, RED));
  g_assert_true (all_of (s, 0, 20, 100, 40, WHITE));
  /* 20x20 tiles down the right edge (scaled up: the inside of each half is exact) */
  g_assert_true (all_of (s, 82, 40, 88, 60, RED));
  g_assert_true (all_of (s, 92, 40, 98, 60, BLUE));
  g_assert_true (all_of (s, 0, 40, 80, 60, WHITE));
  /* repeated both ways from the sheet's image */
  g_assert_true (all_of (s, 20, 60, 25, 70, RED));
  g_assert_true (all_of (s, 25, 60, 30, 70, BLUE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- :hover and :focus */

static void
test_hover_and_focus (void)
{
  g_autoptr(BhDocument) doc = page (
    "<style>p, a { display: block; height: 20px; margin: 0 } a:hover { background: lime }"
    " .menu .sub { display: none; height: 20px; background: blue } .menu:hover .sub { display: block }"
    " .form:focus-within { background: red }</style>"
    "<p>plain</p><a href='#x'>link</a><p>plain</p>"
    "<div class='menu' style='height: 20px'>menu<div class='sub'></div></div>"
    "<div style='height: 40px'></div><div class='form' style='height: 30px'><input></div>");
  double damage[4];
  cairo_surface_t *s = paint_at (doc, 300, 300, 0);

  g_assert_true (all_of (s, 150, 20, 300, 40, WHITE));
  cairo_surface_destroy (s);
  /* over a paragraph: no rule's :hover can match it, nothing to do */
  bh_document_set_hover_point (doc, 150, 5);
  g_assert_false (bh_document_restyle_states (doc, damage));
  /* over the link: it is restyled, and only its box is damaged */
  bh_document_set_hover_point (doc, 150, 25);
  g_assert_true (bh_document_restyle_states (doc, damage));
  g_test_message ("damage %g,%g - %g,%g", damage[0], damage[1], damage[2], damage[3]);
  g_assert_cmpfloat (damage[1], >=, 18);
  g_assert_cmpfloat (damage[3], <=, 42);
  g_assert_cmpfloat (damage[2], <, 1e6);
  s = paint_at (doc, 300, 300, 0);
  g_assert_true (all_of (s, 150, 20, 300, 40, LIME));
  g_assert_true (all_of (s, 150, 0, 300, 20, WHITE));
  cairo_surface_destroy (s);
  /* moving within the link changes nothing; leaving it restores it */
  bh_document_set_hover_point (doc, 10, 30);
  g_assert_false (bh_document_restyle_states (doc, damage));
  bh_document_set_hover_point (doc, 150, 45);
  g_assert_true (bh_document_restyle_states (doc, damage));
  s = paint_at (doc, 300, 300, 0);
  g_assert_true (all_of (s, 150, 20, 300, 40, WHITE));
  cairo_surface_destroy (s);
  /* a hovered menu shows its submenu: layout moves, the whole page is damaged */
  bh_document_set_hover_point (doc, 150, 65);
  g_assert_true (bh_document_restyle_states (doc, damage));
  g_assert_cmpfloat (damage[2], >=, G_MAXDOUBLE);
  s = paint_at (doc, 300, 300, 0);
  g_assert_true (all_of (s, 0, 82, 300, 96, BLUE));
  cairo_surface_destroy (s);
  bh_document_set_hover_point (doc, -1, -1);
  g_assert_true (bh_document_restyle_states (doc, damage));
  /* focus in the field makes its form :focus-within */
  s = paint_at (doc, 300, 300, 0);
  g_assert_true (all_of (s, 250, 120, 300, 150, WHITE));
  cairo_surface_destroy (s);
  g_assert_true (bh_document_form_click (doc, 20, 130));
  g_assert_true (bh_document_restyle_states (doc, damage));
  s = paint_at (doc, 300, 300, 0);
  g_assert_true (all_of (s, 250, 120, 300, 150, RED));
  cairo_surface_destroy (s);
}

static void
test_target (void)
{
  static const char html[] =
    "<!doctype html><style>body { margin: 0 } p { height: 20px; margin: 0 } :target { background: lime }</style>"
    "<p id='one'></p><p id='two%20x'></p><p><a name='three'></a></p>";
  g_autoptr(GBytes) body = g_bytes_new_static (html, sizeof html - 1);
  g_autoptr(BhDocument) doc = bh_document_new ("http://css.test/page.html#one", "text/html", "utf-8", body);
  double damage[4];
  cairo_surface_t *s = paint_at (doc, 100, 80, 0);

  /* the URL's fragment names the :target element */
  g_assert_true (all_of (s, 0, 0, 100, 20, LIME));
  g_assert_true (all_of (s, 0, 20, 100, 60, WHITE));
  cairo_surface_destroy (s);
  /* a fragment navigation moves it (percent-decoded; only its box is damaged) */
  bh_document_set_target_url (doc, "http://css.test/page.html#two%2520x");
  g_assert_true (bh_document_restyle_states (doc, damage));
  g_assert_cmpfloat (damage[1], <=, 1);
  g_assert_cmpfloat (damage[3], <=, 42);
  s = paint_at (doc, 100, 80, 0);
  g_assert_true (all_of (s, 0, 0, 100, 20, WHITE));
  g_assert_true (all_of (s, 0, 20, 100, 40, LIME));
  cairo_surface_destroy (s);
  /* no fragment, no target */
  bh_document_set_target_url (doc, "http://css.test/page.html");
  g_assert_true (bh_document_restyle_states (doc, damage));
  s = paint_at (doc, 100, 80, 0);
  g_assert_true (all_of (s, 0, 0, 100, 60, WHITE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- scroll boxes and sticky */

static void
test_scroll_box (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='overflow: auto; height: 50px; width: 100px'>"
    "<div style='height: 50px; background: red'></div><div style='height: 50px; background: lime'></div></div>"
    "<div style='height: 20px; background: blue'></div>"
    "<div style='overflow: hidden; height: 20px; width: 100px'><div style='height: 80px'></div></div>");
  double damage[4];
  cairo_surface_t *s = paint_at (doc, 200, 200, 0);

  /* clipped to its 50 px; the bar shows it can scroll */
  g_assert_true (all_of (s, 0, 0, 90, 50, RED));
  g_assert_true (all_of (s, 0, 50, 100, 70, BLUE));
  g_assert_false (all_of (s, 90, 0, 100, 50, RED));
  cairo_surface_destroy (s);
  /* the wheel over it scrolls its content, not the page: only its box is damaged */
  g_assert_true (bh_document_scroll_box_at (doc, 20, 20, 0, 30, damage));
  g_assert_cmpfloat (damage[0], ==, 0);
  g_assert_cmpfloat (damage[1], ==, 0);
  g_assert_cmpfloat (damage[2], ==, 100);
  g_assert_cmpfloat (damage[3], ==, 50);
  s = paint_at (doc, 200, 200, 0);
  g_assert_true (all_of (s, 0, 0, 90, 20, RED));
  g_assert_true (all_of (s, 0, 20, 90, 50, LIME));
  g_assert_true (all_of (s, 0, 50, 100, 70, BLUE));
  cairo_surface_destroy (s);
  /* to its end and no further; then the scroll is the page's */
  g_assert_true (bh_document_scroll_box_at (doc, 20, 20, 0, 100, damage));
  g_assert_false (bh_document_scroll_box_at (doc, 20, 20, 0, 10, damage));
  g_assert_true (bh_document_scroll_box_at (doc, 20, 20, 0, -10, damage));
  g_assert_true (bh_document_scroll_box_at (doc, 20, 20, 0, 10, damage));
  /* overflow: hidden clips but does not scroll; nor does the page outside boxes */
  g_assert_false (bh_document_scroll_box_at (doc, 20, 80, 0, 10, damage));
  g_assert_false (bh_document_scroll_box_at (doc, 150, 20, 0, 10, damage));
  /* the offset belongs to the element: a new box tree keeps it */
  s = paint_at (doc, 150, 200, 0);
  g_assert_true (all_of (s, 0, 0, 90, 50, LIME));
  cairo_surface_destroy (s);
}

static void
test_sticky (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='height: 300px'><div style='height: 30px'></div>"
    "<div style='position: sticky; top: 5px; height: 20px; background: lime'></div>"
    "<div style='height: 100px; background: blue'></div></div><div style='height: 800px'></div>");
  cairo_surface_t *s = paint_at (doc, 100, 100, 0);

  /* in its place while the page is not scrolled past it */
  g_assert_true (all_of (s, 0, 30, 100, 50, LIME));
  g_assert_true (all_of (s, 0, 50, 100, 100, BLUE));
  cairo_surface_destroy (s);
  /* scrolled by 100: 5 px below the top, over the blue that scrolls under it */
  s = paint_at (doc, 100, 100, 100);
  g_assert_true (all_of (s, 0, 5, 100, 25, LIME));
  g_assert_true (all_of (s, 0, 25, 100, 50, BLUE));
  cairo_surface_destroy (s);
  /* no lower than its containing block's end (300) */
  s = paint_at (doc, 100, 100, 290);
  g_assert_true (all_of (s, 0, 0, 100, 10, LIME));
  g_assert_true (all_of (s, 0, 10, 100, 100, WHITE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- counters and ::marker */

/* Whether a rectangle holds a pixel of a colour close to @rgb. */
static gboolean
has_colour (cairo_surface_t *s, int x0, int y0, int x1, int y1, guint32 rgb)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 p = px (s, x, y);
        if (ABS ((int) ((p >> 16) & 0xff) - (int) ((rgb >> 16) & 0xff)) < 40 &&
            ABS ((int) ((p >> 8) & 0xff) - (int) ((rgb >> 8) & 0xff)) < 40 &&
            ABS ((int) (p & 0xff) - (int) (rgb & 0xff)) < 40)
          return TRUE;
      }
  return FALSE;
}

static void
test_counters_and_marker (void)
{
  const char *style = "<style>ol { list-style: none; margin: 0 } li { line-height: 20px }"
                      " .t { counter-reset: sec } .t li { counter-increment: sec }"
                      " .t li::before { content: counters(sec, '.') ' ' }"
                      " .n { counter-reset: sec 4 } .n li { counter-increment: sec } .n li::before { content: counter(sec, upper-roman) ') ' }"
                      " .m { list-style: decimal } .m li::marker { color: red }"
                      " .c { list-style: disc } .c li::marker { content: '>> ' }</style>";
  g_autofree char *generated = g_strconcat (style,
    "<ol class='t'><li>a<ol class='t'><li>b</li><li>c</li></ol></li><li>d</li></ol>"
    "<ol class='n'><li>x</li><li>y</li></ol>", NULL);
  g_autofree char *written = g_strconcat (style,
    "<ol><li>1 a<ol><li>1.1 b</li><li>1.2 c</li></ol></li><li>2 d</li></ol>"
    "<ol><li>V) x</li><li>VI) y</li></ol>", NULL);
  g_autofree char *markers = g_strconcat (style,
    "<ol class='m'><li>one</li></ol><ol class='c'><li>two</li></ol><ol style='list-style: disc'><li>two</li></ol>",
    NULL);
  cairo_surface_t *a = paint_page (generated, 300, 140);
  cairo_surface_t *b = paint_page (written, 300, 140);
  cairo_surface_t *m = paint_page (markers, 300, 60);

  /* counters(), nested and reset in each list, and counter() in a style, paint as
   * their values written out would */
  g_assert_true (same_pixels (a, b, 0, 0, 300, 120));
  /* ::marker's colour paints the marker; its content replaces the bullet */
  g_assert_true (has_colour (m, 0, 0, 40, 20, RED));
  g_assert_false (has_colour (m, 40, 0, 300, 20, RED));
  g_assert_false (same_band (m, 20, 40, 20, 0, 40));
  g_assert_true (same_band (m, 20, 40, 20, 40, 300));
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  cairo_surface_destroy (m);
}

/* ---------------------------------------------------------------- grid */

static void
test_grid (void)
{
  g_autoptr(BhDocument) doc = page (
    "<div style='display: grid; grid-template-columns: 100px 1fr 2fr; gap: 10px; width: 400px'>"
    "<div style='height: 20px; background: red'></div><div style='background: lime'></div>"
    "<div style='height: 30px; background: blue'></div>"
    "<div style='grid-column: 1 / -1; height: 10px; background: red'></div>"
    "<div style='height: 10px; background: lime'></div><div style='grid-column: span 2; height: 10px; background: blue'></div></div>"
    "<div style='display: grid; grid-template-columns: repeat(auto-fill, minmax(100px, 1fr)); width: 350px'>"
    "<div style='height: 10px; background: red'></div><div style='height: 10px; background: lime'></div>"
    "<div style='height: 10px; background: blue'></div><div style='height: 10px; background: red'></div></div>");
  cairo_surface_t *s = paint_at (doc, 500, 200, 0);

  /* 100 px, then 1fr and 2fr of the 280 px left after the gaps: 93.3 and 186.7 */
  g_assert_true (all_of (s, 0, 0, 100, 20, RED));
  g_assert_true (all_of (s, 100, 0, 110, 30, WHITE));
  /* an item of auto height stretches to its row (the blue one's 30 px) */
  g_assert_true (all_of (s, 111, 0, 203, 30, LIME));
  g_assert_true (all_of (s, 215, 0, 400, 30, BLUE));
  g_assert_true (all_of (s, 0, 20, 100, 30, WHITE));
  /* a row gap, then an item across all columns, then one and one spanning two */
  g_assert_true (all_of (s, 0, 30, 400, 40, WHITE));
  g_assert_true (all_of (s, 0, 40, 400, 50, RED));
  g_assert_true (all_of (s, 0, 60, 100, 70, LIME));
  g_assert_true (all_of (s, 111, 60, 400, 70, BLUE));
  /* auto-fill: three 100 px columns fit in 350, sharing it; the fourth item wraps */
  g_assert_true (all_of (s, 0, 70, 116, 80, RED));
  g_assert_true (all_of (s, 118, 70, 232, 80, LIME));
  g_assert_true (all_of (s, 235, 70, 350, 80, BLUE));
  g_assert_true (all_of (s, 0, 80, 116, 90, RED));
  g_assert_true (all_of (s, 118, 80, 350, 90, WHITE));
  cairo_surface_destroy (s);
}

/* ---------------------------------------------------------------- known defects */

static void
test_nested_dl_and_image_line (void)
{
  /* a nested <dl> has no vertical margins (HTML section 15.3.8), as nested lists */
  g_autoptr(BhDocument) doc = page (
    "<dl style='margin: 0'><dt style='height: 10px; background: red'></dt><dd><dl>"
    "<dt style='height: 10px; background: lime'></dt></dl></dd></dl>"
    "<div style='line-height: 10px; font-size: 10px'>x<br><img width='30' height='30'"
    " src='data:,'>x</div><div style='height: 10px; background: blue'></div>");
  cairo_surface_t *s = paint_at (doc, 200, 200, 0);
  int y;

  g_assert_true (all_of (s, 0, 0, 10, 10, RED));
  g_assert_true (all_of (s, 40, 10, 50, 20, LIME));
  /* the line with the 30 px image is at least 30 px tall: the block after it starts
   * below the image, not 10 px under the first line */
  for (y = 20; y < 200 && px (s, 0, y) != BLUE; y++)
    ;
  g_assert_cmpint (y, >=, 20 + 10 + 30);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/css/flex/row", test_flex_row);
  g_test_add_func ("/css/flex/shrink-and-column", test_flex_shrink_and_column);
  g_test_add_func ("/css/flex/freeze-at-max", test_flex_freeze_at_max);
  g_test_add_func ("/css/inline-block", test_inline_block);
  g_test_add_func ("/css/float", test_float);
  g_test_add_func ("/css/float/negative-margin-sidebar", test_float_negative_margin_sidebar);
  g_test_add_func ("/css/position", test_position);
  g_test_add_func ("/css/gradient-radius-shadow-overflow", test_gradient_radius_shadow_overflow);
  g_test_add_func ("/css/media-queries", test_media_queries);
  g_test_add_func ("/css/custom-properties-and-calc", test_custom_properties_and_calc);
  g_test_add_func ("/css/import", test_import);
  g_test_add_func ("/css/nested-dl-and-image-line", test_nested_dl_and_image_line);
  g_test_add_func ("/css/selectors", test_selectors);
  g_test_add_func ("/css/visibility-and-opacity", test_visibility_and_opacity);
  g_test_add_func ("/css/radial-gradient", test_radial_gradient);
  g_test_add_func ("/css/text-transform-and-spacing", test_text_transform_and_spacing);
  g_test_add_func ("/css/text-overflow-ellipsis", test_text_overflow_ellipsis);
  g_test_add_func ("/css/svg-images", test_svg_images);
  g_test_add_func ("/css/inline-svg", test_inline_svg);
  g_test_add_func ("/css/background-image", test_background_image);
  g_test_add_func ("/css/hover-and-focus", test_hover_and_focus);
  g_test_add_func ("/css/target", test_target);
  g_test_add_func ("/css/scroll-box", test_scroll_box);
  g_test_add_func ("/css/sticky", test_sticky);
  g_test_add_func ("/css/counters-and-marker", test_counters_and_marker);
  g_test_add_func ("/css/grid", test_grid);
  return g_test_run ();
}
