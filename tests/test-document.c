/* test-document: the renderer's document engine, from bytes to pixels
 *
 * Each test paints into a cairo image surface and looks at the pixels, as a user would
 * look at the page: text is there (dark pixels), links are blue and lead where they
 * say, hidden things are not drawn, hostile input does not bring the engine down.
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <string.h>

#include "bh-css.h"
#include "bh-document.h"

#define DOC_DIR "/usr/share/doc/debian-reference-en/docs"

/* ---------------------------------------------------------------- helpers */

static cairo_surface_t *
paint (BhDocument *doc, int width, int height, int scroll_y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  bh_document_paint (doc, cr, scroll_y, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return ((const guint32 *) (data + (gsize) y * stride))[x] & 0xffffff;
}

typedef gboolean (*PixelTest) (guint32 rgb);

static gboolean
is_dark (guint32 rgb)
{
  guint r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
  return r < 120 && g < 120 && b < 120;
}

/* The UA link colour is #1a0dab: strongly blue, little red or green. */
static gboolean
is_link_blue (guint32 rgb)
{
  guint r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
  return b > 120 && r < 90 && g < 90 && b > r + 60;
}

static gboolean
is_red (guint32 rgb)
{
  guint r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
  return r > 180 && g < 90 && b < 90;
}

static gboolean
is_green (guint32 rgb)
{
  guint r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
  return g > 150 && r < 90 && b < 90;
}

static guint
count_pixels (cairo_surface_t *surface, int x0, int y0, int x1, int y1, PixelTest test, int *found_x, int *found_y)
{
  guint n = 0;

  x1 = MIN (x1, cairo_image_surface_get_width (surface));
  y1 = MIN (y1, cairo_image_surface_get_height (surface));
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (test (pixel_at (surface, x, y)))
        {
          if (n == 0 && found_x != NULL)
            {
              *found_x = x;
              *found_y = y;
            }
          n++;
        }
  return n;
}

static guint
count_all (cairo_surface_t *surface, PixelTest test)
{
  return count_pixels (surface, 0, 0, G_MAXINT, G_MAXINT, test, NULL, NULL);
}

/* Horizontal extent of the dark pixels between two rows. */
static int
ink_width (cairo_surface_t *surface, int y0, int y1)
{
  int min_x = G_MAXINT, max_x = -1;

  for (int y = y0; y < y1; y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if (is_dark (pixel_at (surface, x, y)))
        {
          min_x = MIN (min_x, x);
          max_x = MAX (max_x, x);
        }
  return max_x < 0 ? 0 : max_x - min_x + 1;
}

static BhDocument *
html_doc (const char *url, const char *html)
{
  g_autoptr(GBytes) body = g_bytes_new (html, strlen (html));
  return bh_document_new (url, "text/html", "utf-8", body);
}

static GBytes *
read_maybe_gz (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) in = G_INPUT_STREAM (g_file_read (file, NULL, NULL));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (in == NULL)
    return NULL;
  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *converted = g_converter_input_stream_new (in, G_CONVERTER (gunzip));
      g_object_unref (in);
      in = converted;
    }
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, NULL) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* A debian-reference chapter: docs/ch03.en.html, possibly gzipped. */
static char *
find_real_page (void)
{
  const char *candidates[] = {
    DOC_DIR "/ch03.en.html", DOC_DIR "/ch03.en.html.gz", DOC_DIR "/ch05.en.html", DOC_DIR "/ch05.en.html.gz",
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_EXISTS))
      return g_strdup (candidates[i]);
  return NULL;
}

static gsize
vm_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  p = strstr (status, field);
  if (p == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (p + strlen (field) + 1, NULL, 10);
}

static guint32
crc32_of (const guchar *data, gsize len)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static void
append_be32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (out, b, 4);
}

static void
append_chunk (GByteArray *out, const char *type, const guchar *data, guint32 len)
{
  g_autoptr(GByteArray) typed = g_byte_array_new ();

  append_be32 (out, len);
  g_byte_array_append (typed, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (typed, data, len);
  g_byte_array_append (out, typed->data, typed->len);
  append_be32 (out, crc32_of (typed->data, typed->len));
}

/* A well-formed PNG header announcing a @width x @height RGBA image, followed by a
 * scrap of image data and the end chunk: what a hostile server sends to make a
 * decoder allocate gigabytes. */
static GBytes *
png_with_header (guint32 width, guint32 height)
{
  GByteArray *out = g_byte_array_new ();
  guchar ihdr[13] = { 0 };
  const guchar idat[] = { 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 };

  g_byte_array_append (out, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;   /* bit depth */
  ihdr[9] = 6;   /* RGBA */
  append_chunk (out, "IHDR", ihdr, sizeof ihdr);
  append_chunk (out, "IDAT", idat, sizeof idat);
  append_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

static cairo_status_t
write_to_array_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
solid_png (int width, int height, double r, double g, double b)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  GByteArray *out = g_byte_array_new ();

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, write_to_array_cb, out);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

/* ---------------------------------------------------------------- tests */

static void
test_real_page (void)
{
  g_autofree char *path = find_real_page ();
  g_autofree char *url = NULL;
  g_autofree char *css_url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) css = NULL;
  g_autoptr(BhDocument) doc = NULL;
  cairo_surface_t *surface;
  double bg[4];
  gint64 t0, t1;
  guint n_dark;
  gboolean found_css = FALSE;

  if (path == NULL)
    {
      g_test_skip ("debian-reference-en is not installed");
      return;
    }
  body = read_maybe_gz (path);
  g_assert_nonnull (body);
  url = g_filename_to_uri (path, NULL, NULL);
  doc = bh_document_new (url, "text/html", NULL, body);

  /* the title, with its white space collapsed (the page has no-break spaces in it) */
  g_assert_true (g_str_has_prefix (bh_document_get_title (doc), "Chapter"));
  g_assert_true (g_str_has_suffix (bh_document_get_title (doc), "The system initialization") ||
                 g_str_has_suffix (bh_document_get_title (doc), "Network setup"));
  g_assert_null (strchr (bh_document_get_title (doc), '\n'));

  /* the style sheet and the navigation images, as absolute URLs */
  css_url = g_filename_to_uri (DOC_DIR "/debian-reference.css", NULL, NULL);
  for (guint i = 0; i < bh_document_get_n_resources (doc); i++)
    {
      const char *res = bh_document_get_resource_url (doc, i);
      g_assert_true (g_str_has_prefix (res, "file:///"));
      if (g_strcmp0 (res, css_url) == 0)
        found_css = TRUE;
    }
  g_assert_true (found_css);

  t0 = g_get_monotonic_time ();
  bh_document_layout (doc, 1280, 1.0);
  surface = paint (doc, 1280, 900, 0);
  t1 = g_get_monotonic_time ();
  g_test_message ("%s: layout and first paint in %.1f ms, height %d px", path, (t1 - t0) / 1000.0,
                  bh_document_get_height_px (doc));
  g_assert_cmpint (bh_document_get_height_px (doc), >, 900 * 4);

  /* without its style sheet the page is black on white */
  bh_document_get_background (doc, bg);
  g_assert_cmpfloat (bg[0], ==, 1.0);
  g_assert_cmphex (pixel_at (surface, 0, 0), ==, 0xffffff);
  g_assert_cmphex (pixel_at (surface, 1279, 899), ==, 0xffffff);
  n_dark = count_all (surface, is_dark);
  g_assert_cmpuint (n_dark, >, 5000);
  g_assert_cmpuint (count_all (surface, is_link_blue), >, 200);
  cairo_surface_destroy (surface);

  /* with it, the canvas takes the body's #EEEEEE */
  css = read_maybe_gz (DOC_DIR "/debian-reference.css");
  g_assert_nonnull (css);
  g_assert_true (bh_document_set_resource (doc, css_url, "text/css", css));
  g_assert_false (bh_document_set_resource (doc, css_url, "text/css", css));
  bh_document_layout (doc, 1280, 1.0);
  bh_document_get_background (doc, bg);
  g_assert_cmpint ((int) (bg[0] * 255 + 0.5), ==, 0xee);
  surface = paint (doc, 1280, 900, 0);
  g_assert_cmphex (pixel_at (surface, 0, 0), ==, 0xeeeeee);
  g_assert_cmpuint (count_all (surface, is_dark), >, 5000);
  cairo_surface_destroy (surface);

  /* further down, there is still text */
  surface = paint (doc, 1280, 900, bh_document_get_height_px (doc) / 2);
  g_assert_cmpuint (count_all (surface, is_dark), >, 2000);
  cairo_surface_destroy (surface);
}

static void
test_link (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://origin.test/a/b/page.html",
    "<html><head><base href='http://example.com/dir/sub/'></head>"
    "<body style='font-size: 30px'><p>plain words <a href='../page.html?q=1#frag'>LINKTEXT</a> more plain</p>"
    "<p><a href='/abs'>second</a></p></body></html>");
  cairo_surface_t *surface;
  int x = -1, y = -1;
  guint n;

  bh_document_layout (doc, 600, 1.0);
  surface = paint (doc, 600, 300, 0);
  n = count_all (surface, is_link_blue);
  g_assert_cmpuint (n, >, 100);

  /* a blue pixel of the first link: clicking there leads to the resolved URL */
  count_pixels (surface, 0, 0, 600, 80, is_link_blue, &x, &y);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpstr (bh_document_link_at (doc, x, y), ==, "http://example.com/dir/page.html?q=1#frag");

  /* the plain text before it is no link, nor is empty space */
  g_assert_null (bh_document_link_at (doc, 12, y));
  g_assert_null (bh_document_link_at (doc, 590, 290));

  /* the second paragraph's link, resolved against <base> */
  x = y = -1;
  count_pixels (surface, 0, 80, 600, 300, is_link_blue, &x, &y);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpstr (bh_document_link_at (doc, x, y), ==, "http://example.com/abs");
  cairo_surface_destroy (surface);
}

static void
test_plain_text (void)
{
  const char *text = "iiiiiiiiiiiiiiiiiiii\nWWWWWWWWWWWWWWWWWWWW\n<b>not markup</b>\n";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(BhDocument) doc = bh_document_new ("http://t.test/a.txt", "text/plain", NULL, body);
  g_autoptr(BhDocument) html = html_doc ("http://t.test/a.html",
    "<p style='margin:0'>iiiiiiiiiiiiiiiiiiii<br>WWWWWWWWWWWWWWWWWWWW</p>");
  cairo_surface_t *surface;
  int narrow, wide;

  g_assert_cmpstr (bh_document_get_title (doc), ==, "");
  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 0);

  /* monospace: twenty i's are as wide as twenty W's */
  bh_document_layout (doc, 800, 1.0);
  surface = paint (doc, 800, 200, 0);
  narrow = ink_width (surface, 8, 8 + 14);
  wide = ink_width (surface, 8 + 16, 8 + 30);
  g_assert_cmpint (narrow, >, 100);
  g_assert_cmpint (ABS (narrow - wide), <, 12);
  cairo_surface_destroy (surface);

  /* the same letters in HTML's default sans-serif are not */
  bh_document_layout (html, 800, 1.0);
  surface = paint (html, 800, 200, 0);
  narrow = ink_width (surface, 8, 8 + 18);
  wide = ink_width (surface, 8 + 19, 8 + 37);
  g_assert_cmpint (wide, >, 3 * narrow);
  cairo_surface_destroy (surface);
}

/* Past the first 512 KB of text, paragraph heights are estimated until painted: the
 * end of a long document must still be reachable and drawn. */
static void
test_long_text (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BhDocument) doc = NULL;
  cairo_surface_t *surface;
  int height;

  for (int i = 0; text->len < 3 * 1024 * 1024; i++)
    g_string_append_printf (text, "line %d: the quick brown fox jumps over the lazy dog %d times\n", i, i);
  g_string_append (text, "THE VERY LAST LINE\n");
  body = g_string_free_to_bytes (text);
  doc = bh_document_new ("http://t.test/log.txt", "text/plain", NULL, body);

  bh_document_layout (doc, 800, 1.0);
  height = bh_document_get_height_px (doc);
  g_assert_cmpint (height, >, 100000);

  /* the middle, then the end: text in both, and the end is still the end */
  surface = paint (doc, 800, 600, height / 2);
  g_assert_cmpuint (count_all (surface, is_dark), >, 2000);
  cairo_surface_destroy (surface);
  for (int i = 0; i < 3; i++)
    {
      height = bh_document_get_height_px (doc);
      surface = paint (doc, 800, 600, height - 600);
      if (height == bh_document_get_height_px (doc))
        break;
      cairo_surface_destroy (surface);
      surface = NULL;
    }
  g_assert_nonnull (surface);
  /* the last line is text, and below it only the 8px margin */
  g_assert_cmpuint (count_pixels (surface, 0, 560, 800, 590, is_dark, NULL, NULL), >, 50);
  g_assert_cmpuint (count_pixels (surface, 0, 593, 800, 600, is_dark, NULL, NULL), ==, 0);
  cairo_surface_destroy (surface);
}

/* The same with wide letters, whose estimated heights are too small: once painted,
 * paragraphs take their real height and nothing overlaps. */
static void
test_long_html (void)
{
  GString *html = g_string_new ("<style>p { margin: 0 } .last { color: #e00000 }</style>");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BhDocument) doc = NULL;
  cairo_surface_t *surface = NULL;
  int red_top = -1, red_bottom = -1;

  while (html->len < 3 * 1024 * 1024)
    {
      g_string_append (html, "<p>");
      for (int i = 0; i < 60; i++)
        g_string_append (html, "WWWWMMMM WMWMWM ");
      g_string_append (html, "</p>");
    }
  g_string_append (html, "<p class='last'>THE VERY LAST LINE</p>");
  body = g_string_free_to_bytes (html);
  doc = bh_document_new ("http://t.test/", "text/html", NULL, body);
  bh_document_layout (doc, 800, 1.0);

  for (int i = 0; i < 5; i++)
    {
      int height = bh_document_get_height_px (doc);
      g_clear_pointer (&surface, cairo_surface_destroy);
      surface = paint (doc, 800, 600, height - 600);
      if (height == bh_document_get_height_px (doc))
        break;
    }
  for (int y = 0; y < 600; y++)
    if (count_pixels (surface, 0, y, 800, y + 1, is_red, NULL, NULL) > 0)
      {
        if (red_top < 0)
          red_top = y;
        red_bottom = y;
      }
  g_assert_cmpint (red_top, >, 500);
  g_assert_cmpuint (count_pixels (surface, 0, 0, 800, red_top - 4, is_dark, NULL, NULL), >, 5000);
  /* no line of the paragraphs above runs into the last one */
  g_assert_cmpuint (count_pixels (surface, 0, red_top, 800, red_bottom + 1, is_dark, NULL, NULL), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_display_none (void)
{
  g_autoptr(BhDocument) hidden = html_doc ("http://t.test/",
    "<style>.gone { display: none } #x { display: none }</style>"
    "<p class='a gone'>HIDDEN WORDS</p><p style='display:none'>ALSO HIDDEN</p>"
    "<div id='x'><p>inside a hidden div</p></div><script>document.write('no')</script>");
  g_autoptr(BhDocument) shown = html_doc ("http://t.test/",
    "<style>.gone { color: black }</style><p class='a gone'>HIDDEN WORDS</p>");
  cairo_surface_t *surface;

  bh_document_layout (hidden, 400, 1.0);
  surface = paint (hidden, 400, 200, 0);
  g_assert_cmpuint (count_all (surface, is_dark), ==, 0);
  cairo_surface_destroy (surface);
  g_assert_cmpint (bh_document_get_height_px (hidden), <, 20);

  bh_document_layout (shown, 400, 1.0);
  surface = paint (shown, 400, 200, 0);
  g_assert_cmpuint (count_all (surface, is_dark), >, 50);
  cairo_surface_destroy (surface);
}

static void
test_css (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<style>\n"
    "  /* a comment */ .green, h6 { color: #00c000 }\n"
    "  #big { font-size: 40px; color: rgb(230, 20, 20) }\n"
    "  p:hover { color: rgb(230, 20, 20) !important }\n"
    "  @media print { p { display: none } }\n"
    "  p { unknown-property: 12; color: ; margin: 0 }\n"
    "  div > p.box { background-color: rgb(0, 200, 0); padding: 1em }\n"
    "  garbage {{{ ; } p { font-size: 16px }\n"
    "</style>"
    "<p class='green'>GREEN GREEN GREEN</p><p id='big'>RED</p><div><p class='box'>&nbsp;</p></div>");
  cairo_surface_t *surface;
  int x = -1, y = -1;

  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 400, 0);
  g_assert_cmpuint (count_all (surface, is_green), >, 100);
  g_assert_cmpuint (count_all (surface, is_red), >, 200);

  /* the padded box: a green area 400 - 16 px wide and at least 2em tall */
  count_pixels (surface, 0, 0, 400, 400, is_red, &x, &y);
  g_assert_cmpuint (count_pixels (surface, 8, y + 30, 392, 400, is_green, NULL, NULL), >, 384 * 30);
  cairo_surface_destroy (surface);
}

/* Issue 12: the three bytes "\\{}" crashed the renderer (the selector parser took the
 * backslash for the start of a name and dereferenced the name it did not read). It is
 * an escaped "{" (CSS Syntax 3): a rule without a block, dropped; a backslash before a
 * newline is no escape. The rest of the sheet applies, and real escapes name what they
 * escape. */
static void
test_css_escapes (void)
{
  g_autoptr(BhStyleSheet) lone = bh_style_sheet_parse ("\\{}", 3);
  g_autoptr(BhStyleSheet) newline = bh_style_sheet_parse ("\\\n{} a\\{}", 9);
  g_autoptr(BhStyleSheet) trailing = bh_style_sheet_parse ("a\\", 2);
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<style>\\{} p { color: blue }\n"
    "  .\\31 a { color: #00c000 }\n"          /* class "1a" */
    "  #r\\65 d { color: rgb(230, 20, 20) }\n" /* id "red" */
    "</style>"
    "<p class='1a'>GREEN GREEN GREEN</p><p id='red'>RED RED RED</p>");
  cairo_surface_t *surface;

  g_assert_cmpuint (bh_style_sheet_get_n_rules (lone), ==, 0);
  g_assert_cmpuint (bh_style_sheet_get_n_rules (newline), ==, 0);
  g_assert_cmpuint (bh_style_sheet_get_n_rules (trailing), ==, 0);

  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 200, 0);
  g_assert_cmpuint (count_all (surface, is_green), >, 100);
  g_assert_cmpuint (count_all (surface, is_red), >, 100);
  cairo_surface_destroy (surface);
}

/* Found by tests/fuzz/fuzz-document.c: GLib 2.74's relaxed URI parser reads
 * "http://a;x" as host "a" and path ";x", and resolving it raised a GLib critical in the
 * renderer. Such a reference is no URL: the text is no link, the image no request. */
static void
test_unparsable_authority (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/dir/page.html",
    "<p><a href='http://a;x'>NOT A LINK AT ALL</a> <img src='http://a;b/c.png' alt=ALT>"
    " <a href='ok.html'>fine</a></p>");

  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 0);
  bh_document_layout (doc, 400, 1.0);
  g_assert_null (bh_document_link_at (doc, 20, 18));
  cairo_surface_destroy (paint (doc, 400, 100, 0));
}

static void
test_broken_image_alt (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/dir/page.html",
    "<p><img src='pics/none.png' alt='ALTERNATIVE WORDS'></p>");
  g_autoptr(BhDocument) garbage = html_doc ("http://t.test/",
    "<p><img src='x.png' alt='ALT'></p>");
  g_autoptr(GBytes) junk = g_bytes_new_static ("this is not an image", 20);
  cairo_surface_t *surface;

  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 1);
  g_assert_cmpstr (bh_document_get_resource_url (doc, 0), ==, "http://t.test/dir/pics/none.png");

  /* while it loads, nothing */
  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 100, 0);
  g_assert_cmpuint (count_all (surface, is_dark), ==, 0);
  cairo_surface_destroy (surface);

  /* the load failed: its alt text */
  g_assert_true (bh_document_set_resource (doc, "http://t.test/dir/pics/none.png", NULL, NULL));
  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 100, 0);
  g_assert_cmpuint (count_all (surface, is_dark), >, 100);
  cairo_surface_destroy (surface);

  /* bytes that are no image count as broken too */
  g_assert_true (bh_document_set_resource (garbage, "http://t.test/x.png", "image/png", junk));
  bh_document_layout (garbage, 400, 1.0);
  surface = paint (garbage, 400, 100, 0);
  g_assert_cmpuint (count_all (surface, is_dark), >, 20);
  cairo_surface_destroy (surface);
}

static void
test_image (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<body style='margin:0'><img src='red.png'><p><a href='/go'><img src='red.png' width='40' height='20'></a></p>");
  g_autoptr(GBytes) png = solid_png (30, 30, 1, 0, 0);
  cairo_surface_t *surface;
  int x = -1, y = -1;

  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 1);
  g_assert_true (bh_document_set_resource (doc, "http://t.test/red.png", "image/png", png));
  bh_document_layout (doc, 300, 1.0);
  surface = paint (doc, 300, 200, 0);
  /* natural size 30x30 at the top left, then 40x20 as the attributes ask */
  g_assert_true (is_red (pixel_at (surface, 0, 0)));
  g_assert_true (is_red (pixel_at (surface, 29, 29)));
  g_assert_false (is_red (pixel_at (surface, 31, 5)));
  count_pixels (surface, 0, 34, 300, 200, is_red, &x, &y);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpuint (count_pixels (surface, 0, 34, 300, 200, is_red, NULL, NULL), ==, 40 * 20);
  /* an image inside a link is a link */
  g_assert_cmpstr (bh_document_link_at (doc, x + 20, y + 10), ==, "http://t.test/go");
  cairo_surface_destroy (surface);
}

/* A 1x1 GIF whose only pixel is red (palette entry 0 = #ff0000). */
static const guchar red_gif[] = {
  'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
  0xff, 0x00, 0x00, 0x00, 0x00, 0x00,
  ',', 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  0x02, 0x02, 0x44, 0x01, 0x00, ';',
};

static void
test_image_formats (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<body style='margin:0'><p style='margin:0'><img src='a.gif' width='20' height='20' alt='GIF FAILED'></p>"
    "<p style='margin:0'><img src='b.jpg' width='20' height='20' alt='JPEG FAILED'></p>"
    "<p style='margin:0'><img src='c.webp' width='20' height='20' alt='OTHER'></p></body>");
  g_autoptr(GBytes) gif = g_bytes_new_static (red_gif, sizeof red_gif);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 16);
  g_autofree char *jpeg_data = NULL;
  gsize jpeg_len = 0;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) other = g_bytes_new_static ("RIFF\0\0\0\0WEBPVP8 ", 16);
  cairo_surface_t *surface;

  gdk_pixbuf_fill (pixbuf, 0xff0000ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg_data, &jpeg_len, "jpeg", NULL, NULL));
  jpeg = g_bytes_new (jpeg_data, jpeg_len);

  g_assert_true (bh_document_set_resource (doc, "http://t.test/a.gif", "image/gif", gif));
  g_assert_true (bh_document_set_resource (doc, "http://t.test/b.jpg", "image/jpeg", jpeg));
  g_assert_true (bh_document_set_resource (doc, "http://t.test/c.webp", "image/webp", other));
  bh_document_layout (doc, 300, 1.0);
  surface = paint (doc, 300, 100, 0);
  /* GIF and JPEG drawn at the 20x20 the page asks for; other formats show their alt text */
  g_assert_true (is_red (pixel_at (surface, 10, 10)));
  g_assert_cmpuint (count_pixels (surface, 0, 0, 300, 20, is_red, NULL, NULL), ==, 400);
  g_assert_cmpuint (count_pixels (surface, 0, 20, 300, 40, is_red, NULL, NULL), >=, 360);
  g_assert_cmpuint (count_pixels (surface, 0, 0, 300, 40, is_dark, NULL, NULL), ==, 0);
  g_assert_cmpuint (count_pixels (surface, 0, 40, 300, 80, is_dark, NULL, NULL), >, 30);
  cairo_surface_destroy (surface);
}

static void
test_tables (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<body style='margin:0'><table cellspacing='0' cellpadding='0'>"
    "<tr><td rowspan='2' style='background-color: #ff0000; width: 50px'>&nbsp;</td>"
    "<td style='height: 30px'>a</td></tr>"
    "<tr><td style='height: 30px'>b</td></tr>"
    "<tr><td colspan='2' style='background-color: #00ff00; height: 10px'></td></tr></table>"
    "<table style='width: 100%' cellspacing='0'><tr><td style='background: #ff0000'>x</td>"
    "<td style='width: 50%; background: #00ff00'>y</td></tr></table></body>");
  cairo_surface_t *surface;

  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 200, 0);
  /* the spanning cell is as tall as both rows; "b" goes to the second column */
  g_assert_true (is_red (pixel_at (surface, 5, 2)));
  g_assert_true (is_red (pixel_at (surface, 5, 57)));
  g_assert_false (is_red (pixel_at (surface, 55, 45)));
  g_assert_cmpuint (count_pixels (surface, 50, 30, 80, 60, is_dark, NULL, NULL), >, 10);
  /* the last row's cell spans both columns */
  g_assert_true (is_green (pixel_at (surface, 5, 65)));
  g_assert_true (is_green (pixel_at (surface, 60, 65)));
  /* width: 100% fills the viewport, the 50% cell takes half of it */
  g_assert_true (is_red (pixel_at (surface, 30, 80)));
  g_assert_true (is_green (pixel_at (surface, 395, 80)));
  g_assert_true (is_green (pixel_at (surface, 205, 80)));
  g_assert_true (is_red (pixel_at (surface, 195, 80)));
  cairo_surface_destroy (surface);
}

static void
test_huge_png_refused (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<body style='margin:0'><p style='margin:0'><img src='huge.png' alt='TOO BIG'></p>"
    "<p style='margin:0'><img src='wide.png' alt='TOO WIDE'></p>");
  g_autoptr(GBytes) huge = png_with_header (100000, 100000);
  /* a valid image, small in bytes, over the 8192 px a side limit: refused, not shown */
  g_autoptr(GBytes) wide = solid_png (9000, 8, 1, 0, 0);
  gsize rss_before = vm_kib ("VmRSS:");
  cairo_surface_t *surface;

  g_assert_true (bh_document_set_resource (doc, "http://t.test/huge.png", "image/png", huge));
  g_assert_true (bh_document_set_resource (doc, "http://t.test/wide.png", "image/png", wide));
  /* refused from the header: no 40 GB buffer, not even a fraction of one */
  g_assert_cmpuint (vm_kib ("VmRSS:"), <, rss_before + 32 * 1024);

  bh_document_layout (doc, 400, 1.0);
  surface = paint (doc, 400, 100, 0);
  /* each shows its alt text, on a line of its own */
  g_assert_cmpuint (count_pixels (surface, 0, 0, 400, 18, is_dark, NULL, NULL), >, 30);
  g_assert_cmpuint (count_pixels (surface, 0, 19, 400, 37, is_dark, NULL, NULL), >, 30);
  g_assert_cmpuint (count_all (surface, is_red), ==, 0);
  cairo_surface_destroy (surface);
}

static void
check_survives (const char *what, const char *html)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/", html);
  cairo_surface_t *surface;

  bh_document_layout (doc, 800, 1.0);
  g_assert_cmpint (bh_document_get_height_px (doc), >, 0);
  surface = paint (doc, 800, 600, 0);
  g_test_message ("%s: height %d px", what, bh_document_get_height_px (doc));
  cairo_surface_destroy (surface);
  surface = paint (doc, 800, 600, MAX (0, bh_document_get_height_px (doc) - 600));
  g_assert_cmpuint (count_all (surface, is_dark), >, 0);
  cairo_surface_destroy (surface);
}

static void
test_deep_nesting (void)
{
  const struct { const char *open, *close; } kinds[] = {
    { "<div>", "</div>" }, { "<span>", "</span>" }, { "<b><i>", "</i></b>" },
    { "<ul><li>", "</li></ul>" }, { "<table><tr><td>", "</td></tr></table>" },
    { "<blockquote style='margin:0 0 0 1px'>", "</blockquote>" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      GString *html = g_string_new (NULL);
      g_autofree char *page = NULL;
      int levels = strstr (kinds[k].open, "table") ? 3000 : 10000;

      for (int i = 0; i < levels; i++)
        g_string_append (html, kinds[k].open);
      g_string_append (html, "DEEP TEXT");
      for (int i = 0; i < levels; i++)
        g_string_append (html, kinds[k].close);
      page = g_string_free (html, FALSE);
      check_survives (kinds[k].open, page);
    }
}

static void
test_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  const char *pieces[] = {
    "<div>", "</div>", "<p>", "<table>", "<tr>", "<td>", "</td>", "<a href='x'>", "</a>", "<b>",
    "<i>", "<", ">", "&amp;", "&#0;", "&#xD800;", "text ", "<pre>", "<!--", "-->", "<script>",
    "</script>", "<img src=a alt=b>", "<br>", "<style>p{color:red}</style>", "\xff\xfe", "\xc3",
    "<li>", "<ol start=-5>", "<sup>", "<font size=+100>", "<td colspan=99999>", "\0",
    "<svg><title>t</title>", "<math>", "<embed>", "<object data=x>", "<select><option>o",
  };

  /* random bytes, as HTML and as an unknown type */
  for (int round = 0; round < 2; round++)
    {
      gsize len = 1024 * 1024;
      guchar *bytes = g_malloc (len);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(BhDocument) doc = NULL;
      cairo_surface_t *surface;

      for (gsize i = 0; i < len; i++)
        bytes[i] = (guchar) g_rand_int_range (rand, 0, 256);
      body = g_bytes_new_take (bytes, len);
      doc = bh_document_new ("http://t.test/", round == 0 ? "text/html" : NULL, round == 0 ? "utf-8" : NULL, body);
      bh_document_layout (doc, 1024, 1.0);
      surface = paint (doc, 1024, 768, 0);
      g_assert_cmpuint (count_all (surface, is_dark), >, 0);
      cairo_surface_destroy (surface);
    }

  /* tag soup from the pieces above */
  {
    GString *soup = g_string_new (NULL);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(BhDocument) doc = NULL;
    cairo_surface_t *surface;

    while (soup->len < 2 * 1024 * 1024)
      {
        const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
        g_string_append_len (soup, piece, piece[0] == '\0' ? 1 : (gssize) strlen (piece));
      }
    body = g_string_free_to_bytes (soup);
    doc = bh_document_new ("http://t.test/", "text/html", NULL, body);
    bh_document_layout (doc, 1024, 2.0);
    surface = paint (doc, 1024, 768, 0);
    cairo_surface_destroy (surface);
    for (int i = 0; i < 20; i++)
      bh_document_link_at (doc, g_rand_int_range (rand, 0, 1024), g_rand_int_range (rand, 0, 4000));
  }
}

/* 20 MB of tag soup: parsed in part, with a note, and the process stays under 200 MB. */
static void
test_huge_garbage_memory (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const char *words[] = { "div", "p", "b", "i", "table", "tr", "td", "span class=q", "ul", "li", "em", "a href=x" };
  GString *soup = g_string_sized_new (21 * 1024 * 1024);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BhDocument) doc = NULL;
  cairo_surface_t *surface;
  gsize peak_kib;

  while (soup->len < 20 * 1024 * 1024)
    {
      const char *w = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0: g_string_append_printf (soup, "<%s>", w); break;
        case 1: g_string_append_printf (soup, "</%.*s>", (int) strcspn (w, " "), w); break;
        default: g_string_append_printf (soup, "%s words ", w); break;
        }
    }
  body = g_string_free_to_bytes (soup);
  doc = bh_document_new ("http://t.test/", "text/html", NULL, body);
  bh_document_layout (doc, 1280, 1.0);
  surface = paint (doc, 1280, 900, 0);
  g_assert_cmpuint (count_all (surface, is_dark), >, 1000);
  cairo_surface_destroy (surface);

  /* the end of the page says it was cut */
  surface = paint (doc, 1280, 900, bh_document_get_height_px (doc) - 900);
  g_assert_cmpuint (count_all (surface, is_dark), >, 100);
  cairo_surface_destroy (surface);

  peak_kib = vm_kib ("VmHWM:");
  g_test_message ("peak RSS %" G_GSIZE_FORMAT " KiB, height %d px", peak_kib, bh_document_get_height_px (doc));
  g_assert_cmpuint (peak_kib, <, 200 * 1024);
}

/* Issue #3: tag soup makes a hundred thousand paragraphs of a few words each. Their
 * memory, not the size of their text, decides what the engine may keep; the growth
 * of the peak RSS over the document's lifetime is measured from a reset high-water
 * mark, so that earlier tests do not count. */
static void
test_many_small_paragraphs_memory (void)
{
  static const char piece[] = "<div><p class=x>Tag <b>soup <i>without</b> end</i><table><tr><td>cell<li>item";
  GString *soup = g_string_sized_new (21 * 1024 * 1024);
  g_autoptr(GBytes) body = NULL;
  cairo_surface_t *surface;
  gsize base_kib, peak_kib;

  while (soup->len < 20 * 1024 * 1024)
    g_string_append_len (soup, piece, sizeof piece - 1);
  body = g_string_free_to_bytes (soup);

  /* "5" resets VmHWM to the current RSS (proc(5), /proc/pid/clear_refs) */
  {
    FILE *clear_refs = fopen ("/proc/self/clear_refs", "we");
    gboolean reset = clear_refs != NULL && fputs ("5", clear_refs) >= 0;
    if (clear_refs != NULL && fclose (clear_refs) != 0)
      reset = FALSE;
    if (!reset)
      {
        g_test_skip ("cannot reset VmHWM");
        return;
      }
  }
  base_kib = vm_kib ("VmRSS:");
  {
    g_autoptr(BhDocument) doc = bh_document_new ("http://t.test/", "text/html", NULL, body);
    bh_document_layout (doc, 1000, 1.0);
    surface = paint (doc, 1000, 700, 0);
    g_assert_cmpuint (count_all (surface, is_dark), >, 500);
    cairo_surface_destroy (surface);
    surface = paint (doc, 1000, 700, bh_document_get_height_px (doc) / 2);
    g_assert_cmpuint (count_all (surface, is_dark), >, 500);
    cairo_surface_destroy (surface);
  }
  peak_kib = vm_kib ("VmHWM:");
  g_test_message ("peak RSS grew by %" G_GSIZE_FORMAT " KiB", peak_kib - base_kib);
  g_assert_cmpuint (peak_kib - base_kib, <, 150 * 1024);
}

static void
test_charset (void)
{
  const char latin1[] = "<title>caf\xe9 cr\xe8me</title><p>x</p>";
  const char meta[] = "<meta charset=\"windows-1252\"><title>\x93quoted\x94</title>";
  const char bad_utf8[] = "<title>ok \xff\xfe broken</title>";
  g_autoptr(GBytes) b1 = g_bytes_new_static (latin1, sizeof latin1 - 1);
  g_autoptr(GBytes) b2 = g_bytes_new_static (meta, sizeof meta - 1);
  g_autoptr(GBytes) b3 = g_bytes_new_static (bad_utf8, sizeof bad_utf8 - 1);
  g_autoptr(BhDocument) d1 = bh_document_new ("http://t.test/", "text/html; charset=ISO-8859-1", NULL, b1);
  g_autoptr(BhDocument) d2 = bh_document_new ("http://t.test/", "text/html", "", b2);
  g_autoptr(BhDocument) d3 = bh_document_new ("http://t.test/", "text/html", "utf-8", b3);

  g_assert_cmpstr (bh_document_get_title (d1), ==, "caf\xc3\xa9 cr\xc3\xa8me");
  g_assert_cmpstr (bh_document_get_title (d2), ==, "\xe2\x80\x9cquoted\xe2\x80\x9d");
  g_assert_true (g_utf8_validate (bh_document_get_title (d3), -1, NULL));
  g_assert_true (g_str_has_prefix (bh_document_get_title (d3), "ok "));
}

static void
test_stylesheet_resource (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/a/",
    "<link rel='stylesheet' href='s.css'><link rel='alternate stylesheet' href='alt.css'>"
    "<link rel=stylesheet media=print href='print.css'><p>text</p>");
  const char *css = "body { background-color: #ff0000 } p { color: #00ff00 }";
  g_autoptr(GBytes) data = g_bytes_new_static (css, strlen (css));
  cairo_surface_t *surface;
  double bg[4];

  g_assert_cmpuint (bh_document_get_n_resources (doc), ==, 1);
  g_assert_cmpstr (bh_document_get_resource_url (doc, 0), ==, "http://t.test/a/s.css");
  g_assert_false (bh_document_set_resource (doc, "http://t.test/a/alt.css", "text/css", data));
  g_assert_true (bh_document_set_resource (doc, "http://t.test/a/s.css", "text/css", data));
  bh_document_layout (doc, 300, 1.0);
  bh_document_get_background (doc, bg);
  g_assert_cmpfloat (bg[0], ==, 1.0);
  g_assert_cmpfloat (bg[1], ==, 0.0);
  surface = paint (doc, 300, 100, 0);
  g_assert_true (is_red (pixel_at (surface, 299, 99)));
  g_assert_cmpuint (count_all (surface, is_green), >, 20);
  cairo_surface_destroy (surface);
}

static void
test_plugin_box (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/p/",
    "<body style='margin:10px'><p style='margin:0'>before</p>"
    "<embed src='clip.swf' type='application/x-shockwave-flash' width='200' height='100'>"
    "<object data='/doc.pdf' type='application/pdf'></object>"
    "<object><p>fallback content</p></object></body>");
  const char *url, *mime;
  int x, y, w, h;
  cairo_surface_t *surface;

  g_assert_cmpuint (bh_document_get_n_plugin_boxes (doc), ==, 2);
  bh_document_layout (doc, 800, 1.0);
  bh_document_get_plugin_box (doc, 0, &url, &mime, &x, &y, &w, &h);
  g_assert_cmpstr (url, ==, "http://t.test/p/clip.swf");
  g_assert_cmpstr (mime, ==, "application/x-shockwave-flash");
  g_assert_cmpint (w, ==, 200);
  g_assert_cmpint (h, ==, 100);
  g_assert_cmpint (x, ==, 10);
  g_assert_cmpint (y, >, 20);
  bh_document_get_plugin_box (doc, 1, &url, &mime, NULL, NULL, &w, &h);
  g_assert_cmpstr (url, ==, "http://t.test/doc.pdf");
  g_assert_cmpint (w, ==, 300);
  g_assert_cmpint (h, ==, 150);

  /* the placeholder is light grey, not the page's white */
  bh_document_get_plugin_box (doc, 0, NULL, NULL, &x, &y, &w, &h);
  surface = paint (doc, 800, 600, 0);
  g_assert_cmphex (pixel_at (surface, x + w / 2, y + h / 2), !=, 0xffffff);
  g_assert_false (is_dark (pixel_at (surface, x + w / 2, y + h / 2)));
  cairo_surface_destroy (surface);
}

static void
test_lists (void)
{
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/",
    "<body style='margin:0'><ul style='margin:0'><li>item</li></ul><ol style='margin:0'><li>x</li></ol></body>");
  g_autoptr(BhDocument) none = html_doc ("http://t.test/",
    "<body style='margin:0'><ul style='margin:0; list-style-type: none'><li>item</li></ul></body>");
  cairo_surface_t *surface;

  bh_document_layout (doc, 300, 1.0);
  surface = paint (doc, 300, 100, 0);
  /* markers sit in the 40px indent, left of the item text */
  g_assert_cmpuint (count_pixels (surface, 0, 0, 40, 19, is_dark, NULL, NULL), >, 4);
  g_assert_cmpuint (count_pixels (surface, 0, 19, 40, 38, is_dark, NULL, NULL), >, 10);
  g_assert_cmpuint (count_pixels (surface, 40, 0, 300, 19, is_dark, NULL, NULL), >, 10);
  cairo_surface_destroy (surface);

  bh_document_layout (none, 300, 1.0);
  surface = paint (none, 300, 100, 0);
  g_assert_cmpuint (count_pixels (surface, 0, 0, 40, 19, is_dark, NULL, NULL), ==, 0);
  cairo_surface_destroy (surface);
}

/* Automation's element queries (bh-document-query.c): numbering, matching,
 * text, attributes and the rectangle a click aims at. */
static void
test_query_nodes (void)
{
  static const char html[] =
    "<title>Q</title><body style='margin:0'><h1 id=top class='a b'>Head  line</h1>"
    "<p class=intro>Some <a id=next href='second.html'>linked text</a> here.</p>"
    "<p style='display:none'>hidden</p><div><p>deep</p></div>";
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/dir/page.html", html);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) link = NULL;
  g_autoptr(GArray) deep = NULL;
  g_autoptr(GArray) two = NULL;
  g_autofree char *text = NULL;
  g_autofree char *href = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *rect = NULL;
  BhNodeRect paragraph;
  const BhNodeRect *a;

  bh_document_layout (doc, 800, 1.0);
  all = bh_document_locate_nodes (doc, "p, h1", 100);
  g_assert_nonnull (all);
  g_assert_cmpuint (all->len, ==, 4); /* the hidden one too, with an empty box */
  g_assert_cmpuint (g_array_index (all, BhNodeRect, 0).node, <,
                    g_array_index (all, BhNodeRect, 1).node);
  deep = bh_document_locate_nodes (doc, "div > p", 100);
  g_assert_cmpuint (deep->len, ==, 1);
  two = bh_document_locate_nodes (doc, "p", 2);
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_null (bh_document_locate_nodes (doc, "a >", 10));

  link = bh_document_locate_nodes (doc, "#next", 10);
  g_assert_cmpuint (link->len, ==, 1);
  a = &g_array_index (link, BhNodeRect, 0);
  /* The link is a run inside the paragraph: its box is inside the
   * paragraph's and narrower than the line. */
  g_assert_true (bh_document_get_node_rect (doc, g_array_index (all, BhNodeRect, 1).node, &paragraph));
  g_assert_cmpfloat (a->width, >, 10);
  g_assert_cmpfloat (a->width, <, paragraph.width);
  g_assert_cmpfloat (a->x, >, paragraph.x);
  g_assert_cmpfloat (a->y, >=, paragraph.y);
  g_assert_cmpfloat (a->y + a->height, <=, paragraph.y + paragraph.height + 1);
  g_assert_cmpstr (bh_document_link_at (doc, a->x + a->width / 2, a->y + a->height / 2), ==,
                   "http://t.test/dir/second.html");

  text = bh_document_query_node (doc, g_array_index (all, BhNodeRect, 0).node, "text");
  g_assert_cmpstr (text, ==, "Head line");
  href = bh_document_query_node (doc, a->node, "property:href");
  g_assert_cmpstr (href, ==, "http://t.test/dir/second.html");
  g_free (href);
  href = bh_document_query_node (doc, a->node, "attribute:href");
  g_assert_cmpstr (href, ==, "second.html");
  tag = bh_document_query_node (doc, a->node, "tag");
  g_assert_cmpstr (tag, ==, "a");
  rect = bh_document_query_node (doc, a->node, "rect");
  g_assert_nonnull (rect);
  g_assert_null (bh_document_query_node (doc, a->node, "attribute:nope"));
  g_assert_null (bh_document_query_node (doc, 100000, "text"));
  g_assert_null (bh_document_query_node (doc, 0, "text"));
}

/* XPath and innerText locators (bh-document-xpath.c, bh-document-query.c):
 * each expression selects what the same CSS selector does, in document order. */
static guint
count_xpath (BhDocument *doc, const char *expression)
{
  g_autoptr(GArray) found = bh_document_locate_nodes_by_xpath (doc, expression, 100);

  return found != NULL ? found->len : G_MAXUINT;
}

static void
test_xpath_and_text (void)
{
  static const char html[] =
    "<!DOCTYPE html><title>T</title><h1 id=top>Head line</h1>"
    "<ul><li>one</li><li class='x y'>two</li><li>three <b>bold</b></li></ul>"
    "<p>First <a href='a.html'>Alpha link</a></p><p lang=en>Second</p><div><p>deep</p></div>";
  g_autoptr(BhDocument) doc = html_doc ("http://t.test/", html);
  g_autoptr(GArray) li = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) text = NULL;
  g_autoptr(GArray) link = NULL;

  bh_document_layout (doc, 800, 1.0);
  g_assert_cmpuint (count_xpath (doc, "//p"), ==, 3);
  g_assert_cmpuint (count_xpath (doc, "/html/body/p"), ==, 2);
  g_assert_cmpuint (count_xpath (doc, "//div/p | //h1"), ==, 2);
  g_assert_cmpuint (count_xpath (doc, "//li[2]"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[last()]/b"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[@class]"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[contains(@class, 'y')]"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[not(@class)]"), ==, 2);
  g_assert_cmpuint (count_xpath (doc, "//*[@id='top' or @lang='en']"), ==, 2);
  g_assert_cmpuint (count_xpath (doc, "//a[normalize-space(.)='Alpha link']/.."), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[starts-with(text(), 'th')]"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//li[. = 'three bold']"), ==, 1);
  g_assert_cmpuint (count_xpath (doc, "//h1/following-sibling::*"), ==, 4);
  g_assert_cmpuint (count_xpath (doc, "//section"), ==, 0);
  g_assert_cmpuint (count_xpath (doc, "//LI"), ==, 3);
  /* Outside the subset: not understood, never a crash. */
  g_assert_cmpuint (count_xpath (doc, "//a/@href"), ==, G_MAXUINT);
  g_assert_cmpuint (count_xpath (doc, "count(//p)"), ==, G_MAXUINT);
  g_assert_cmpuint (count_xpath (doc, "//p["), ==, G_MAXUINT);
  g_assert_cmpuint (count_xpath (doc, "//p]"), ==, G_MAXUINT);
  g_assert_cmpuint (count_xpath (doc, ""), ==, G_MAXUINT);
  g_assert_cmpuint (count_xpath (doc, "//li[not(not(not(not(not(not(not(not(not(@a)))))))))]"), ==, G_MAXUINT);
  li = bh_document_locate_nodes (doc, "li", 10);
  second = bh_document_locate_nodes_by_xpath (doc, "//ul/li[2]", 10);
  g_assert_cmpuint (g_array_index (second, BhNodeRect, 0).node, ==, g_array_index (li, BhNodeRect, 1).node);

  /* innerText: the deepest element whose text is (or contains) the text. */
  link = bh_document_locate_nodes (doc, "a", 10);
  text = bh_document_locate_nodes_by_text (doc, "alpha LINK", TRUE, FALSE, 0, 10);
  g_assert_cmpuint (text->len, ==, 1);
  g_assert_cmpuint (g_array_index (text, BhNodeRect, 0).node, ==, g_array_index (link, BhNodeRect, 0).node);
  g_array_unref (text);
  text = bh_document_locate_nodes_by_text (doc, "alpha LINK", FALSE, FALSE, 0, 10);
  g_assert_cmpuint (text->len, ==, 0);
  g_array_unref (text);
  text = bh_document_locate_nodes_by_text (doc, "e", FALSE, TRUE, 0, 100);
  g_assert_cmpuint (text->len, >=, 5); /* h1, li one, li three, p Second, p deep... */
  g_array_unref (text);
  /* A depth of 1 stops at the body. */
  text = bh_document_locate_nodes_by_text (doc, "deep", FALSE, TRUE, 1, 10);
  g_assert_cmpuint (text->len, ==, 1);
  g_assert_cmpuint (g_array_index (text, BhNodeRect, 0).node, <, g_array_index (li, BhNodeRect, 0).node);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/renderer/document/real-page", test_real_page);
  g_test_add_func ("/renderer/document/link", test_link);
  g_test_add_func ("/renderer/document/plain-text", test_plain_text);
  g_test_add_func ("/renderer/document/long-text", test_long_text);
  g_test_add_func ("/renderer/document/long-html", test_long_html);
  g_test_add_func ("/renderer/document/display-none", test_display_none);
  g_test_add_func ("/renderer/document/css", test_css);
  g_test_add_func ("/renderer/document/css-escapes", test_css_escapes);
  g_test_add_func ("/renderer/document/unparsable-authority", test_unparsable_authority);
  g_test_add_func ("/renderer/document/stylesheet-resource", test_stylesheet_resource);
  g_test_add_func ("/renderer/document/image", test_image);
  g_test_add_func ("/renderer/document/broken-image-alt", test_broken_image_alt);
  g_test_add_func ("/renderer/document/image-formats", test_image_formats);
  g_test_add_func ("/renderer/document/tables", test_tables);
  g_test_add_func ("/renderer/document/huge-png-refused", test_huge_png_refused);
  g_test_add_func ("/renderer/document/plugin-box", test_plugin_box);
  g_test_add_func ("/renderer/document/lists", test_lists);
  g_test_add_func ("/renderer/document/charset", test_charset);
  g_test_add_func ("/renderer/document/deep-nesting", test_deep_nesting);
  g_test_add_func ("/renderer/document/garbage", test_garbage);
  g_test_add_func ("/renderer/document/query-nodes", test_query_nodes);
  g_test_add_func ("/renderer/document/xpath-and-text", test_xpath_and_text);
  g_test_add_func ("/renderer/document/huge-garbage-memory", test_huge_garbage_memory);
  g_test_add_func ("/renderer/document/many-small-paragraphs-memory", test_many_small_paragraphs_memory);

  return g_test_run ();
}
