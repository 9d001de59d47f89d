/* test-interaction-gui.c: using a page as a person does (issue 13).
 *
 * The real browser (BhApplication over a BhBrowser with real, sandboxed
 * renderers) in a GTK window on an X server of its own, pages served over
 * loopback by a server that counts the requests it gets, and every action
 * made through XTest as a user's hands would: clicks, drags, keys. What is
 * checked is what the person sees or gets: the scroll position and the
 * pixels at the top of the page after a fragment link and Back/Forward, the
 * server seeing no second request, the text xclip reads back from the
 * primary selection and the clipboard, the find bar's "3 of 6". Screenshots
 * of the selection and the find bar go to
 * BUILDDIR/tests/interaction-gui-screenshots/ for a person to look at.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bh-application.h"
#include "bh-downloads-button.h"
#include "bh-find-bar.h"
#include "bh-page-view.h"
#include "bh-tab-page.h"
#include "bh-test-util.h"
#include "bh-window.h"
#include "bh-xtest-util.h"

#define WAIT_TIMEOUT_S BH_XTEST_WAIT_TIMEOUT_S

static GSubprocess *xvfb;
static BhBrowser *browser;
static BhApplication *application;
static guint16 server_port;
static char *screenshot_dir;

#define WAIT_FOR(condition) BH_XTEST_WAIT_FOR (condition)

/* ---- the pages, and what the server was asked ---- */

#define INTRO_TEXT "Alpha beta gamma delta. The word needle appears here."

static const char page_html[] =
  "<html><head><title>Interaction</title><style>"
  "body { margin: 0; font-family: sans-serif; font-size: 16px } p { margin: 0; padding: 20px }"
  ".tall { height: 1500px; background-color: #eeeeee } #target { height: 400px; background-color: #ff0000 }"
  "</style></head><body>"
  "<p id=intro>" INTRO_TEXT "</p>"
  "<p><a href='#target' style='font-size: 40px'>Jump to the target</a></p>"
  "<div class=tall>A filler needle block.</div>"
  "<div id=target>The target section, with a needle.</div>"
  "<div class=tall>More text after it: needle, Needle, NEEDLE.</div>"
  "</body></html>";

/* #deep at exactly 2000 px, its link 200 px into it. */
static const char other_html[] =
  "<html><head><title>Other</title><style>body { margin: 0; font-size: 16px } p { margin: 0 }"
  "#deep { height: 600px; background-color: #00ff00 } .tall { height: 2000px }</style></head><body>"
  "<div class=tall>Top of the other page</div>"
  "<div id=deep><p style='padding-top: 200px'><a href='/page' style='font-size: 40px'>Back to the page</a></p></div>"
  "<div class=tall>The end</div></body></html>";

/* A table wider than any window, its last cell blue. */
static const char wide_html[] =
  "<html><head><title>Wide</title><style>body { margin: 0 } td { white-space: nowrap; padding: 10px }"
  "</style></head><body><table><tr><td>"
  "A cell of words that may not wrap, so that the table is far wider than the window it is shown in, "
  "as about:sandbox's tables are with long namespace lists and summaries of each process's confinement"
  "</td><td style='background-color: #0000ff; width: 200px'>end</td></tr></table></body></html>";

/* Each control on a line of its own, at places render-page shows. */
static const char form_html[] =
  "<html><head><title>Form</title><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 10px }"
  "</style></head><body><form action='/search' method='get'>"
  "<p><input name=q size=20 placeholder='Search words'></p>"
  "<p><input type=checkbox name=c value=yes checked> <input type=radio name=r value=a checked> "
  "<input type=radio name=r value=b> <input type=hidden name=h value='x y'></p>"
  "<p><input type=password name=p maxlength=6></p>"
  "<p><input type=submit name=go value=Go> <input type=submit value=Post formaction='/submit' formmethod=post></p>"
  "</form><form action='/upload' method=post enctype='multipart/form-data'><p><input name=note value='a&amp;b'> "
  "<input type=submit value=Send></p></form></body></html>";

static const char downloads_html[] =
  "<html><head><title>Downloads</title><style>body { margin: 0 } p { margin: 0; padding: 20px }</style></head><body>"
  "<p><a href='/files/archive.tar.gz' style='font-size: 40px'>archive</a></p>"
  "<p><a href='/files/report' style='font-size: 40px'>report</a></p></body></html>";

/* An archive as a server sends one: gzip's magic, then bytes that are no text. */
static GBytes *
archive_bytes (void)
{
  static GBytes *bytes;

  if (g_once_init_enter (&bytes))
    {
      GByteArray *a = g_byte_array_new ();
      guint32 x = 12345;

      g_byte_array_append (a, (const guint8 *) "\x1f\x8b\x08\x00", 4);
      for (int i = 0; i < 300 * 1024; i++)
        {
          guint8 b;
          x = x * 1103515245u + 12345u;
          b = (guint8) (x >> 16);
          g_byte_array_append (a, &b, 1);
        }
      g_once_init_leave (&bytes, g_byte_array_free_to_bytes (a));
    }
  return g_bytes_ref (bytes);
}

/* A 40x30 PNG of one colour, 0x3366cc. */
static GBytes *
picture_bytes (void)
{
  static GBytes *bytes;

  if (g_once_init_enter (&bytes))
    {
      g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 40, 30);
      gchar *data = NULL;
      gsize len = 0;

      gdk_pixbuf_fill (pixbuf, 0x3366ccff);
      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "png", NULL, NULL));
      g_once_init_leave (&bytes, g_bytes_new_take (data, len));
    }
  return g_bytes_ref (bytes);
}

static const char links_html[] =
  "<html><head><title>Links</title><style>body { margin: 0 } p { margin: 0; padding: 20px }</style></head><body>"
  "<p><a href='/page' style='font-size: 40px'>page</a></p></body></html>";

/* A box 100 CSS px wide: its width on screen is the zoom. */
static const char zoom_html[] =
  "<html><head><title>Zoom</title></head><body style='margin: 0'>"
  "<div style='width: 100px; height: 50px; background-color: #ff0000'></div><p>Zoomed text</p></body></html>";

static const char results_html[] = "<html><head><title>Results</title></head><body><p>Results</p></body></html>";

static char *download_dir;

static GMutex requests_lock;
static GHashTable *requests; /* path -> count */
static GPtrArray *submissions; /* "METHOD PATH", then for a POST "TYPE\nBODY" */

static GBytes *
page_for (const char *method, const char *path, const char *request_type, GBytes *request_body,
          const char **content_type)
{
  if (g_str_equal (path, "/files/archive.tar.gz"))
    {
      *content_type = "application/gzip";
      return archive_bytes ();
    }
  if (g_str_equal (path, "/files/picture.png"))
    {
      g_mutex_lock (&requests_lock);
      g_hash_table_insert (requests, g_strdup (path),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (requests, path)) + 1));
      g_mutex_unlock (&requests_lock);
      *content_type = "image/png";
      return picture_bytes ();
    }
  if (g_str_equal (path, "/favicon.ico"))
    {
      /* The browser asks for it after each page (a favicon): not a submission. */
      *content_type = "image/png";
      return picture_bytes ();
    }
  if (g_str_equal (path, "/files/report"))
    {
      /* The test server writes this after "Content-Type: ": a second header line. */
      *content_type = "text/plain\r\nContent-Disposition: attachment; filename=\"report.txt\"";
      return g_bytes_new_static ("a report, as text", 17);
    }
  const char *html = g_str_has_prefix (path, "/other") ? other_html
                     : g_str_has_prefix (path, "/downloads") ? downloads_html
                     : g_str_has_prefix (path, "/links") ? links_html
                     : g_str_has_prefix (path, "/zoom") ? zoom_html
                     : g_str_has_prefix (path, "/wide") ? wide_html
                     : g_str_has_prefix (path, "/form") ? form_html
                     : g_str_has_prefix (path, "/page") ? page_html : results_html;

  g_mutex_lock (&requests_lock);
  g_hash_table_insert (requests, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (requests, path)) + 1));
  if (html == results_html)
    {
      g_ptr_array_add (submissions, g_strdup_printf ("%s %s", method, path));
      if (g_str_equal (method, "POST"))
        g_ptr_array_add (submissions, g_strdup_printf ("%s\n%.*s", request_type ? request_type : "(none)",
                                                       (int) g_bytes_get_size (request_body),
                                                       (const char *) g_bytes_get_data (request_body, NULL)));
    }
  g_mutex_unlock (&requests_lock);
  *content_type = "text/html; charset=utf-8";
  return g_bytes_new_static (html, strlen (html));
}

/* The submissions the server saw, one string. */
static char *
submissions_seen (void)
{
  GString *out = g_string_new ("");

  g_mutex_lock (&requests_lock);
  for (guint i = 0; i < submissions->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "\n" : "", (const char *) submissions->pdata[i]);
  g_mutex_unlock (&requests_lock);
  return g_string_free (out, FALSE);
}

static guint
n_submissions (void)
{
  guint n;

  g_mutex_lock (&requests_lock);
  n = submissions->len;
  g_mutex_unlock (&requests_lock);
  return n;
}

static void
clear_submissions (void)
{
  g_mutex_lock (&requests_lock);
  g_ptr_array_set_size (submissions, 0);
  g_mutex_unlock (&requests_lock);
}

static guint
requests_for (const char *path)
{
  guint n;

  g_mutex_lock (&requests_lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (requests, path));
  g_mutex_unlock (&requests_lock);
  return n;
}

static char *
url_for (const char *path)
{
  return g_strdup_printf ("http://alpha.test:%u%s", server_port, path);
}

static void
screenshot (GtkWidget *widget, const char *name)
{
  g_free (bh_xtest_screenshot (widget, screenshot_dir, name));
}

/* ---- the window ---- */

static gboolean
tab_is_complete (BhTab *tab)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL;
}

static int
scroll_y (BhTab *tab)
{
  int y = -1;

  g_object_get (tab, "scroll-y", &y, NULL);
  return y;
}

static const char *
hovered_link (BhTab *tab)
{
  static char *link;

  g_free (link);
  g_object_get (tab, "hovered-link", &link, NULL);
  return link;
}

typedef struct {
  BhWindow *window;
  BhTab *tab;
  BhTabPage *page;
  GtkWidget *view;
} Win;

static void
open_window (Win *w, const char *path)
{
  g_autofree char *url = url_for (path);
  const char *urls[] = { url, NULL };

  w->window = bh_application_open_window (application, urls);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (w->window)));
  bh_xtest_focus_window (GTK_WINDOW (w->window));
  w->tab = bh_window_get_tab (w->window, 0);
  WAIT_FOR (tab_is_complete (w->tab));
  w->page = BH_TAB_PAGE (bh_window_get_tab_page (w->window, w->tab));
  w->view = GTK_WIDGET (bh_tab_page_get_page_view (w->page));
  bh_test_wait_for_paint (GTK_WIDGET (w->window), WAIT_TIMEOUT_S);
  /* The page view takes the keys, as after a click on the page. */
  gtk_widget_grab_focus (w->view);
  WAIT_FOR (gtk_widget_has_focus (w->view));
}

static void
close_window (Win *w)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  WAIT_FOR (gtk_application_get_windows (GTK_APPLICATION (application)) == NULL);
}

/* ---- fragments and history ---- */

static void
test_fragments (void)
{
  g_autofree char *page_url = url_for ("/page");
  g_autofree char *target_url = url_for ("/page#target");
  g_autofree char *other_url = url_for ("/other#deep");
  Win w;
  int target_y, restored_y;

  open_window (&w, "/page");
  g_assert_cmpuint (requests_for ("/page"), ==, 1);
  g_assert_cmpint (scroll_y (w.tab), ==, 0);
  g_assert_cmphex (bh_xtest_screen_pixel (w.view, 400, 5), ==, 0xffffff);

  /* Click "Jump to the target" (40 px text, 20 px from the top and left). */
  bh_xtest_move_pointer (w.view, 100, 100);
  WAIT_FOR (g_strcmp0 (hovered_link (w.tab), target_url) == 0);
  bh_xtest_click (w.view, 100, 100, 1, 0);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), target_url));
  WAIT_FOR (scroll_y (w.tab) > 1500);
  target_y = scroll_y (w.tab);
  g_assert_cmpint (target_y, <, 1700);
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  /* What a person sees: the red target at the top of the page. */
  WAIT_FOR (bh_xtest_screen_pixel (w.view, 400, 5) == 0xff0000);
  /* Same document: nothing fetched again, and the page never reloaded. */
  g_assert_cmpuint (requests_for ("/page"), ==, 1);
  g_assert_cmpint (bh_tab_get_state (w.tab), ==, BH_TAB_STATE_COMPLETE);
  screenshot (GTK_WIDGET (w.window), "01-fragment-target");

  /* Alt+Left: back where the page was, at the top; Alt+Right: the target. */
  bh_xtest_press_key (GDK_ALT_MASK, XK_Left);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), page_url));
  WAIT_FOR (scroll_y (w.tab) == 0);
  WAIT_FOR (bh_xtest_screen_pixel (w.view, 400, 5) == 0xffffff);
  bh_xtest_press_key (GDK_ALT_MASK, XK_Right);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), target_url));
  WAIT_FOR (scroll_y (w.tab) == target_y);
  g_assert_cmpuint (requests_for ("/page"), ==, 1);

  /* Another document with a fragment: scrolled to once laid out. */
  bh_tab_navigate (w.tab, other_url);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), other_url) && tab_is_complete (w.tab));
  WAIT_FOR (scroll_y (w.tab) == 2000);
  WAIT_FOR (bh_xtest_screen_pixel (w.view, 400, 5) == 0x00ff00);
  g_assert_cmpuint (requests_for ("/other"), ==, 1);
  /* Two lines down by the keyboard, then the link to /page: a new document. */
  bh_xtest_press_key (0, XK_Down);
  bh_xtest_press_key (0, XK_Down);
  WAIT_FOR (scroll_y (w.tab) == 2080);
  bh_xtest_move_pointer (w.view, 100, 140);
  WAIT_FOR (g_strcmp0 (hovered_link (w.tab), page_url) == 0);
  bh_xtest_click (w.view, 100, 140, 1, 0);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), page_url) && tab_is_complete (w.tab));
  g_assert_cmpuint (requests_for ("/page"), ==, 2);
  WAIT_FOR (scroll_y (w.tab) == 0);
  /* Back to the other document: fetched again, and where the user left it,
   * not at its fragment. */
  bh_xtest_press_key (GDK_ALT_MASK, XK_Left);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), other_url) && tab_is_complete (w.tab));
  g_assert_cmpuint (requests_for ("/other"), ==, 2);
  WAIT_FOR (scroll_y (w.tab) == 2080);
  restored_y = scroll_y (w.tab);
  g_assert_cmpint (restored_y, ==, 2080);
  close_window (&w);
}

/* ---- selection and the clipboard ---- */

static gboolean
is_selection_blue (guint32 rgb)
{
  guint r = rgb >> 16, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

  return b > 200 && r > 120 && r < 200 && g > 150 && g < 230;
}

static guint
blue_pixels_in_row (GtkWidget *view, int y, int x0, int x1)
{
  guint n = 0;

  for (int x = x0; x < x1; x += 2)
    n += is_selection_blue (bh_xtest_screen_pixel (view, x, y));
  return n;
}

static void
test_selection_and_clipboard (void)
{
  Win w;
  char *text;

  open_window (&w, "/page?selection");

  /* A drag across the first line, from the left margin past its end. */
  bh_xtest_drag (w.view, 3, 30, 790, 30);
  WAIT_FOR ((text = bh_xtest_xclip_read ("primary")) != NULL && (g_str_equal (text, INTRO_TEXT) || (g_free (text), FALSE)));
  g_free (text);
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  WAIT_FOR (blue_pixels_in_row (w.view, 24, 20, 400) > 50);
  screenshot (GTK_WIDGET (w.window), "02-selection-drag");
  /* Ctrl+C: the clipboard too. */
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  WAIT_FOR ((text = bh_xtest_xclip_read ("clipboard")) != NULL && (g_str_equal (text, INTRO_TEXT) || (g_free (text), FALSE)));
  g_free (text);

  /* A double click on "Alpha": the word; a triple click: the paragraph. */
  bh_xtest_click (w.view, 30, 30, 2, 0);
  WAIT_FOR ((text = bh_xtest_xclip_read ("primary")) != NULL && (g_str_equal (text, "Alpha") || (g_free (text), FALSE)));
  g_free (text);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  WAIT_FOR ((text = bh_xtest_xclip_read ("clipboard")) != NULL && (g_str_equal (text, "Alpha") || (g_free (text), FALSE)));
  g_free (text);
  bh_test_spin (700); /* not a fourth click */
  bh_xtest_click (w.view, 30, 30, 3, 0);
  WAIT_FOR ((text = bh_xtest_xclip_read ("primary")) != NULL && (g_str_equal (text, INTRO_TEXT) || (g_free (text), FALSE)));
  g_free (text);

  /* A click, then Shift+click further on: from one to the other. */
  bh_test_spin (700);
  bh_xtest_click (w.view, 3, 30, 1, 0);
  bh_test_spin (700);
  bh_xtest_click (w.view, 790, 30, 1, GDK_SHIFT_MASK);
  WAIT_FOR ((text = bh_xtest_xclip_read ("primary")) != NULL && (g_str_equal (text, INTRO_TEXT) || (g_free (text), FALSE)));
  g_free (text);

  /* Ctrl+A, Ctrl+C: the whole page, a paragraph a line. */
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_a);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  WAIT_FOR ((text = bh_xtest_xclip_read ("clipboard")) != NULL &&
            (g_str_has_prefix (text, INTRO_TEXT "\nJump to the target\nA filler needle block.\n") ||
             (g_free (text), FALSE)));
  g_assert_true (g_str_has_suffix (text, "needle, Needle, NEEDLE."));
  g_free (text);
  screenshot (GTK_WIDGET (w.window), "03-select-all");

  /* A plain click on the page clears the selection's highlight. */
  bh_xtest_click (w.view, 600, 300, 1, 0);
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  WAIT_FOR (blue_pixels_in_row (w.view, 24, 20, 400) == 0);
  close_window (&w);
}

/* ---- find in page ---- */

static const char *
find_count (Win *w)
{
  return bh_find_bar_get_count_text (bh_tab_page_get_find_bar (w->page));
}

static void
test_find_in_page (void)
{
  BhFindBar *bar;
  Win w;
  char *text;

  open_window (&w, "/page?find");
  bar = bh_tab_page_get_find_bar (w.page);
  g_assert_false (bh_find_bar_is_open (bar));

  bh_xtest_press_key (GDK_CONTROL_MASK, XK_f);
  WAIT_FOR (bh_find_bar_is_open (bar));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  bh_xtest_type_text ("needle");
  /* Six, ignoring case; the first on screen is active. */
  WAIT_FOR (g_strcmp0 (find_count (&w), "1 of 6") == 0);
  g_assert_cmpint (scroll_y (w.tab), ==, 0);
  screenshot (GTK_WIDGET (w.window), "04-find-bar");
  bh_xtest_press_key (0, XK_Return);
  WAIT_FOR (g_strcmp0 (find_count (&w), "2 of 6") == 0);
  bh_xtest_press_key (0, XK_Return);
  WAIT_FOR (g_strcmp0 (find_count (&w), "3 of 6") == 0);
  /* The third is in the red target, far down: scrolled to. */
  WAIT_FOR (scroll_y (w.tab) > 1000);
  screenshot (GTK_WIDGET (w.window), "05-find-third-match");
  bh_xtest_press_key (GDK_SHIFT_MASK, XK_Return);
  WAIT_FOR (g_strcmp0 (find_count (&w), "2 of 6") == 0);
  bh_xtest_press_key (0, XK_F3);
  WAIT_FOR (g_strcmp0 (find_count (&w), "3 of 6") == 0);
  bh_xtest_press_key (GDK_SHIFT_MASK, XK_F3);
  WAIT_FOR (g_strcmp0 (find_count (&w), "2 of 6") == 0);

  /* Nothing found says so. */
  bh_xtest_press_key (0, XK_BackSpace);
  bh_xtest_type_text ("x");
  WAIT_FOR (g_strcmp0 (find_count (&w), "0 of 0") == 0);
  bh_xtest_press_key (0, XK_BackSpace);
  bh_xtest_type_text ("e");
  WAIT_FOR (g_str_has_suffix (find_count (&w), " of 6"));

  /* Escape closes the bar; the active match stays selected, for Ctrl+C. */
  bh_xtest_press_key (0, XK_Escape);
  WAIT_FOR (!bh_find_bar_is_open (bar));
  g_assert_cmpint (bh_tab_get_state (w.tab), ==, BH_TAB_STATE_COMPLETE);
  WAIT_FOR (gtk_widget_has_focus (w.view));
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  WAIT_FOR ((text = bh_xtest_xclip_read ("clipboard")) != NULL && (g_str_equal (text, "needle") || (g_free (text), FALSE)));
  g_free (text);

  /* Ctrl+F again: the same query, found again, in capitals too. */
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_f);
  WAIT_FOR (bh_find_bar_is_open (bar));
  bh_xtest_type_text ("NEEDLE");
  WAIT_FOR (g_str_has_suffix (find_count (&w), " of 6"));
  close_window (&w);
}

/* ---- forms ---- */

static gboolean
tab_shows (BhTab *tab, const char *title)
{
  return tab_is_complete (tab) && g_str_equal (bh_tab_get_title (tab), title);
}

static void
back_to_form (Win *w)
{
  bh_xtest_press_key (GDK_ALT_MASK, XK_Left);
  WAIT_FOR (tab_shows (w->tab, "Form"));
  bh_test_wait_for_paint (GTK_WIDGET (w->window), WAIT_TIMEOUT_S);
  clear_submissions ();
}

/* A button of a toplevel other than @window, by its label ("_Resend"), or NULL. */
static GtkWidget *
dialog_button (BhWindow *window, const char *label)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) top = g_list_model_get_item (toplevels, i);
      GPtrArray *stack;
      GtkWidget *found = NULL;

      if (top == GTK_WIDGET (window) || !gtk_widget_get_mapped (top))
        continue;
      stack = g_ptr_array_new ();
      g_ptr_array_add (stack, top);
      while (stack->len > 0 && found == NULL)
        {
          GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

          if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0 &&
              gtk_widget_get_mapped (w))
            found = w;
          for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
            g_ptr_array_add (stack, c);
        }
      g_ptr_array_unref (stack);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_forms (void)
{
  g_autofree char *seen = NULL;
  Win w;

  open_window (&w, "/form");
  clear_submissions ();

  /* Typed into the search field; Tab through the checkbox (Space unchecks it)
   * and the radios (Space checks "b"); a password cut at maxlength 6; Go. */
  bh_xtest_click (w.view, 90, 21, 1, 0);
  bh_xtest_type_text ("hello world");
  screenshot (GTK_WIDGET (w.window), "09-form-typed");
  bh_xtest_press_key (0, XK_Tab);
  bh_xtest_press_key (0, XK_space);
  bh_xtest_press_key (0, XK_Tab);
  bh_xtest_press_key (0, XK_Tab);
  bh_xtest_press_key (0, XK_space);
  bh_xtest_press_key (0, XK_Tab);
  bh_xtest_type_text ("secret7");
  screenshot (GTK_WIDGET (w.window), "10-form-filled");
  bh_xtest_click (w.view, 27, 150, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results"));
  seen = submissions_seen ();
  g_assert_cmpstr (seen, ==, "GET /search?q=hello+world&r=b&h=x+y&p=secret&go=Go");
  g_clear_pointer (&seen, g_free);

  /* Enter in a field submits without a submitter; Home, Delete and Backspace edit. */
  back_to_form (&w);
  bh_xtest_click (w.view, 90, 21, 1, 0);
  bh_xtest_type_text ("xa bz");
  bh_xtest_press_key (0, XK_BackSpace);
  bh_xtest_press_key (0, XK_Home);
  bh_xtest_press_key (0, XK_Delete);
  bh_xtest_press_key (0, XK_End);
  bh_xtest_type_text ("/");
  bh_xtest_press_key (0, XK_Return);
  WAIT_FOR (tab_shows (w.tab, "Results"));
  seen = submissions_seen ();
  g_assert_cmpstr (seen, ==, "GET /search?q=a+b%2F&c=yes&r=a&h=x+y&p=");
  g_clear_pointer (&seen, g_free);

  /* formaction and formmethod: a POST, urlencoded. */
  back_to_form (&w);
  bh_xtest_click (w.view, 90, 21, 1, 0);
  bh_xtest_type_text ("post me");
  bh_xtest_click (w.view, 77, 150, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_submissions () == 2);
  seen = submissions_seen ();
  g_assert_cmpstr (seen, ==, "POST /submit\napplication/x-www-form-urlencoded\nq=post+me&c=yes&r=a&h=x+y&p=");
  g_clear_pointer (&seen, g_free);

  /* F5 on a POST result asks first; Cancel sends nothing, Resend the same form. */
  clear_submissions ();
  bh_xtest_press_key (0, XK_F5);
  {
    GtkWidget *cancel, *resend;

    WAIT_FOR ((cancel = dialog_button (w.window, "_Cancel")) != NULL);
    /* The dialog is on screen before it is clicked (a new X window takes a moment). */
    bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (cancel)), WAIT_TIMEOUT_S);
    bh_test_spin (300);
    screenshot (GTK_WIDGET (w.window), "11-resend-the-form");
    bh_xtest_click (cancel, gtk_widget_get_width (cancel) / 2.0, gtk_widget_get_height (cancel) / 2.0, 1, 0);
    WAIT_FOR (dialog_button (w.window, "_Cancel") == NULL);
    bh_test_spin (500);
    g_assert_cmpuint (n_submissions (), ==, 0);
    g_assert_true (tab_shows (w.tab, "Results"));
    bh_xtest_press_key (0, XK_F5);
    WAIT_FOR ((resend = dialog_button (w.window, "_Resend")) != NULL);
    bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (resend)), WAIT_TIMEOUT_S);
    bh_test_spin (300);
    bh_xtest_click (resend, gtk_widget_get_width (resend) / 2.0, gtk_widget_get_height (resend) / 2.0, 1, 0);
  }
  WAIT_FOR (n_submissions () == 2 && tab_shows (w.tab, "Results"));
  seen = submissions_seen ();
  g_assert_cmpstr (seen, ==, "POST /submit\napplication/x-www-form-urlencoded\nq=post+me&c=yes&r=a&h=x+y&p=");
  g_clear_pointer (&seen, g_free);

  /* multipart/form-data. */
  back_to_form (&w);
  bh_xtest_click (w.view, 90, 204, 1, 0);
  bh_xtest_type_text ("/");
  bh_xtest_click (w.view, 210, 202, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_submissions () == 2);
  seen = submissions_seen ();
  {
    g_auto (GStrv) lines = g_strsplit (seen, "\n", 3);
    g_autofree char *boundary = NULL;
    g_autofree char *expected = NULL;

    g_assert_cmpstr (lines[0], ==, "POST /upload");
    g_assert_true (g_str_has_prefix (lines[1], "multipart/form-data; boundary="));
    boundary = g_strdup (lines[1] + strlen ("multipart/form-data; boundary="));
    expected = g_strdup_printf ("--%s\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\na&b/\r\n--%s--\r\n",
                                boundary, boundary);
    g_assert_cmpstr (lines[2], ==, expected);
  }
  close_window (&w);
}

/* ---- downloads ---- */

static gboolean
file_equals (const char *path, GBytes *expected)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len == g_bytes_get_size (expected) && memcmp (data, g_bytes_get_data (expected, NULL), len) == 0;
}

static void
test_downloads (void)
{
  g_autoptr (GBytes) archive = archive_bytes ();
  g_autoptr (GBytes) report = g_bytes_new_static ("a report, as text", 17);
  g_autofree char *first = g_build_filename (download_dir, "archive.tar.gz", NULL);
  g_autofree char *second = g_build_filename (download_dir, "archive (1).tar.gz", NULL);
  g_autofree char *report_path = g_build_filename (download_dir, "report.txt", NULL);
  g_autofree char *archive_url = url_for ("/files/archive.tar.gz");
  g_autofree char *report_url = url_for ("/files/report");
  g_autofree char *page_url = url_for ("/downloads");
  BhDownloadsButton *button;
  Win w;

  open_window (&w, "/downloads");
  button = BH_DOWNLOADS_BUTTON (bh_window_get_downloads_button (w.window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));

  /* A .gz link: saved byte for byte, never shown as text; the tab stays. */
  bh_xtest_move_pointer (w.view, 60, 45);
  WAIT_FOR (g_strcmp0 (hovered_link (w.tab), archive_url) == 0);
  bh_xtest_click (w.view, 60, 45, 1, 0);
  WAIT_FOR (gtk_widget_get_visible (GTK_WIDGET (button)));
  WAIT_FOR (g_str_has_prefix (bh_downloads_button_get_status_text (button, 0), "Done"));
  g_assert_true (file_equals (first, archive));
  g_assert_cmpstr (bh_tab_get_uri (w.tab), ==, page_url);
  g_assert_cmpstr (bh_tab_get_title (w.tab), ==, "Downloads");
  g_assert_cmpint (bh_tab_get_state (w.tab), ==, BH_TAB_STATE_COMPLETE);
  screenshot (GTK_WIDGET (w.window), "12-downloads-list");

  /* Again: a name of its own next to the first (Escape closes the list first). */
  bh_xtest_press_key (0, XK_Escape);
  bh_test_spin (300);
  bh_xtest_click (w.view, 60, 45, 1, 0);
  WAIT_FOR (bh_downloads_button_get_status_text (button, 1) != NULL &&
            g_str_has_prefix (bh_downloads_button_get_status_text (button, 0), "Done"));
  g_assert_true (file_equals (second, archive));
  g_assert_true (file_equals (first, archive));

  /* Text the server marks as an attachment is saved, not shown. */
  bh_xtest_press_key (0, XK_Escape);
  bh_test_spin (300);
  bh_xtest_move_pointer (w.view, 60, 130);
  WAIT_FOR (g_strcmp0 (hovered_link (w.tab), report_url) == 0);
  bh_xtest_click (w.view, 60, 130, 1, 0);
  WAIT_FOR (bh_downloads_button_get_status_text (button, 2) != NULL &&
            g_str_has_prefix (bh_downloads_button_get_status_text (button, 0), "Done"));
  g_assert_true (file_equals (report_path, report));
  g_assert_cmpstr (bh_tab_get_title (w.tab), ==, "Downloads");

  /* An image opened as a page is shown, not saved: centred on a dark page,
   * its size in the title, fetched once. */
  bh_xtest_press_key (0, XK_Escape);
  {
    g_autofree char *picture_url = url_for ("/files/picture.png");
    int width = gtk_widget_get_width (w.view);

    bh_tab_navigate (w.tab, picture_url);
    WAIT_FOR (tab_shows (w.tab, "picture.png (40 \xc3\x97 30)"));
    bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
    WAIT_FOR (bh_xtest_screen_pixel (w.view, width / 2.0, 15) == 0x3366cc);
    g_assert_cmphex (bh_xtest_screen_pixel (w.view, 5, 5), ==, 0x0e0e0e);
    g_assert_cmphex (bh_xtest_screen_pixel (w.view, width / 2.0 - 30, 15), ==, 0x0e0e0e);
    g_assert_cmpuint (requests_for ("/files/picture.png"), ==, 1);
    g_assert_null (bh_downloads_button_get_status_text (button, 3));
    screenshot (GTK_WIDGET (w.window), "13-image-document");
  }
  close_window (&w);
}

/* ---- habits from other browsers ---- */

static int
current_index (Win *w)
{
  BhTab *current = bh_window_get_current_tab (w->window);

  for (guint i = 0; i < bh_window_get_n_tabs (w->window); i++)
    if (bh_window_get_tab (w->window, i) == current)
      return (int) i;
  return -1;
}

static void
test_tab_habits (void)
{
  g_autofree char *page_url = url_for ("/page");
  g_autofree char *other_url = url_for ("/other");
  BhTab *first, *behind, *front, *reopened;
  Win w;

  open_window (&w, "/links");
  first = w.tab;
  bh_xtest_move_pointer (w.view, 60, 45);
  WAIT_FOR (g_strcmp0 (hovered_link (first), page_url) == 0);

  /* A middle click: a tab behind, next to this one. */
  bh_xtest_move_pointer (w.view, 60, 45);
  bh_xtest_button (2, TRUE);
  bh_xtest_button (2, FALSE);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 2);
  behind = bh_window_get_tab (w.window, 1);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (behind), page_url));
  g_assert_true (bh_window_get_current_tab (w.window) == first);

  /* Ctrl+click: behind too; Ctrl+Shift+click: in front. */
  bh_xtest_click (w.view, 60, 45, 1, GDK_CONTROL_MASK);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 3);
  g_assert_true (bh_window_get_current_tab (w.window) == first);
  bh_test_spin (700);
  bh_xtest_click (w.view, 60, 45, 1, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 4);
  front = bh_window_get_tab (w.window, 1);
  WAIT_FOR (bh_window_get_current_tab (w.window) == front);
  g_assert_true (front != behind);

  /* Ctrl+1 the first, Ctrl+9 the last, Ctrl+2 the second. */
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_1);
  WAIT_FOR (current_index (&w) == 0);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_9);
  WAIT_FOR (current_index (&w) == 3);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_2);
  WAIT_FOR (current_index (&w) == 1);
  g_assert_true (bh_window_get_current_tab (w.window) == front);

  /* Closing a tab behind keeps the current one. */
  bh_window_close_tab (w.window, bh_window_get_tab (w.window, 3));
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 3);
  g_assert_true (bh_window_get_current_tab (w.window) == front);

  /* The front tab goes on to /other, is closed with Ctrl+W, and Ctrl+Shift+T
   * brings it back where it was, with its Back. */
  WAIT_FOR (tab_is_complete (front));
  bh_tab_navigate (front, other_url);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (front), other_url) && tab_is_complete (front));
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_w);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 2);
  bh_xtest_press_key (GDK_CONTROL_MASK | GDK_SHIFT_MASK, XK_t);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 3);
  reopened = bh_window_get_tab (w.window, 1);
  WAIT_FOR (bh_window_get_current_tab (w.window) == reopened);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (reopened), other_url) && tab_is_complete (reopened));
  g_assert_true (bh_tab_can_go_to_offset (reopened, -1));

  /* The mouse's back and forward buttons (8 and 9) on the page. */
  w.tab = reopened;
  w.page = BH_TAB_PAGE (bh_window_get_tab_page (w.window, reopened));
  w.view = GTK_WIDGET (bh_tab_page_get_page_view (w.page));
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  bh_xtest_move_pointer (w.view, 300, 300);
  bh_xtest_button (8, TRUE);
  bh_xtest_button (8, FALSE);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (reopened), page_url) && tab_is_complete (reopened));
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  bh_xtest_move_pointer (w.view, 300, 300);
  bh_xtest_button (9, TRUE);
  bh_xtest_button (9, FALSE);
  WAIT_FOR (g_str_equal (bh_tab_get_uri (reopened), other_url) && tab_is_complete (reopened));
  close_window (&w);
}

/* ---- zoom ---- */

static int
red_width (GtkWidget *view)
{
  int n = 0;

  for (int x = 0; x < 300; x++)
    n += bh_xtest_screen_pixel (view, x, 10) == 0xff0000;
  return n;
}

static GtkWidget *
zoom_button (BhWindow *window)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GPtrArray *stack = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (stack, titlebar);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.zoom-reset") == 0)
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);
  return found;
}

static void
test_zoom (void)
{
  g_autofree char *url = url_for ("/zoom?second");
  GtkWidget *indicator;
  BhTab *second;
  Win w;

  open_window (&w, "/zoom");
  indicator = zoom_button (w.window);
  WAIT_FOR (red_width (w.view) == 100);
  g_assert_false (gtk_widget_get_visible (indicator));

  /* Ctrl+= (Ctrl+plus): 110 %, laid out larger, and said so. */
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_equal);
  WAIT_FOR (ABS (red_width (w.view) - 110) <= 1);
  WAIT_FOR (gtk_widget_get_visible (indicator));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (indicator)), ==, "110%");
  screenshot (GTK_WIDGET (w.window), "14-zoom-110");

  /* Ctrl+wheel down: back to 100 %; Ctrl+minus: 90 %. */
  bh_xtest_move_pointer (w.view, 300, 300);
  bh_xtest_modifiers (GDK_CONTROL_MASK, TRUE);
  bh_xtest_button (5, TRUE);
  bh_xtest_button (5, FALSE);
  bh_xtest_modifiers (GDK_CONTROL_MASK, FALSE);
  WAIT_FOR (red_width (w.view) == 100);
  WAIT_FOR (!gtk_widget_get_visible (indicator));
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_minus);
  WAIT_FOR (ABS (red_width (w.view) - 90) <= 1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (indicator)), ==, "90%");

  /* Per site: another tab of it opens at 90 %. */
  second = bh_window_open_url (w.window, url, -1, TRUE);
  WAIT_FOR (tab_is_complete (second) && bh_window_get_current_tab (w.window) == second);
  WAIT_FOR (bh_tab_get_zoom (second) == 0.9);
  {
    GtkWidget *view = GTK_WIDGET (bh_tab_page_get_page_view (BH_TAB_PAGE (bh_window_get_tab_page (w.window, second))));

    bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
    WAIT_FOR (ABS (red_width (view) - 90) <= 1);
    /* Ctrl+0: 100 % again, for the site. */
    bh_xtest_press_key (GDK_CONTROL_MASK, XK_0);
    WAIT_FOR (red_width (view) == 100);
    WAIT_FOR (bh_tab_get_zoom (w.tab) == 1.0);
  }
  close_window (&w);
}

/* ---- wide content scrolls sideways (issue 19's about:sandbox) ---- */

static int
tab_int (BhTab *tab, const char *property)
{
  int value = -1;

  g_object_get (tab, property, &value, NULL);
  return value;
}

static GtkWidget *
find_hscrollbar (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_SCROLLBAR (child) && gtk_orientable_get_orientation (GTK_ORIENTABLE (child)) == GTK_ORIENTATION_HORIZONTAL)
        return child;
      if ((found = find_hscrollbar (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_horizontal_scroll (void)
{
  GtkWidget *hscrollbar;
  GtkAdjustment *adjustment;
  int view_width, max_x;
  Win w;

  open_window (&w, "/wide");
  hscrollbar = find_hscrollbar (GTK_WIDGET (w.page));
  g_assert_nonnull (hscrollbar);
  view_width = gtk_widget_get_width (w.view);
  /* Wider than the view: a scrollbar to reach the rest, not a cut. */
  WAIT_FOR (tab_int (w.tab, "document-width") > view_width + 500);
  WAIT_FOR (gtk_widget_get_mapped (hscrollbar));
  view_width = gtk_widget_get_width (w.view);
  adjustment = gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (hscrollbar));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, tab_int (w.tab, "document-width"));
  g_assert_cmphex (bh_xtest_screen_pixel (w.view, view_width - 30, 20), !=, 0x0000ff);
  screenshot (GTK_WIDGET (w.window), "06-wide-left");

  /* The keyboard's Right arrow, to the end: the blue cell comes into view. */
  max_x = tab_int (w.tab, "document-width") - view_width;
  for (int i = 0; i < max_x / 40 + 2; i++)
    bh_xtest_press_key (0, XK_Right);
  WAIT_FOR (tab_int (w.tab, "scroll-x") == max_x);
  bh_test_wait_for_paint (GTK_WIDGET (w.window), WAIT_TIMEOUT_S);
  WAIT_FOR (bh_xtest_screen_pixel (w.view, view_width - 30, 20) == 0x0000ff);
  WAIT_FOR (gtk_adjustment_get_value (adjustment) == max_x);
  screenshot (GTK_WIDGET (w.window), "07-wide-right");

  /* The scrollbar itself, dragged back to the left end. */
  {
    int h = gtk_widget_get_height (hscrollbar);

    bh_xtest_move_pointer (hscrollbar, gtk_widget_get_width (hscrollbar) - 10, h / 2.0);
    bh_xtest_button (1, TRUE);
    for (int i = 1; i <= 10; i++)
      bh_xtest_move_pointer (hscrollbar, gtk_widget_get_width (hscrollbar) - 10 - i * 100, h / 2.0);
    bh_xtest_button (1, FALSE);
  }
  WAIT_FOR (tab_int (w.tab, "scroll-x") == 0);
  WAIT_FOR (bh_xtest_screen_pixel (w.view, view_width - 30, 20) != 0x0000ff);

  /* about:sandbox, in the same 800 px window: its process table is wider. */
  bh_tab_navigate (w.tab, "about:sandbox");
  WAIT_FOR (g_str_equal (bh_tab_get_uri (w.tab), "about:sandbox") && tab_is_complete (w.tab));
  WAIT_FOR (tab_int (w.tab, "document-width") > gtk_widget_get_width (w.view));
  WAIT_FOR (gtk_widget_get_mapped (hscrollbar));
  bh_xtest_press_key (0, XK_Right);
  WAIT_FOR (tab_int (w.tab, "scroll-x") == MIN (40, tab_int (w.tab, "document-width") - gtk_widget_get_width (w.view)));
  screenshot (GTK_WIDGET (w.window), "08-about-sandbox-scrolled");
  close_window (&w);
}

int
main (int argc, char **argv)
{
  BhBrowserOptions *options;
  g_autoptr (GError) error = NULL;
  const char *build_dir;
  int status;

  /* A download folder of the test's own, as xdg-user-dirs would name it;
   * before anything reads the user's directories. */
  {
    g_autofree char *config = g_dir_make_tmp ("bulkhead-interaction-XXXXXX", NULL);
    g_autofree char *dirs = g_build_filename (config, "user-dirs.dirs", NULL);
    g_autofree char *line = NULL;

    download_dir = g_build_filename (config, "Downloads", NULL);
    line = g_strdup_printf ("XDG_DOWNLOAD_DIR=\"%s\"\n", download_dir);
    g_assert_true (g_file_set_contents (dirs, line, -1, NULL));
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  }
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  if (!g_find_program_in_path ("xclip"))
    {
      g_test_message ("xclip is missing (tools/install-deps --test)");
      return 77;
    }
  /* An X server of its own: another test's window on top would take the clicks. */
  if ((xvfb = bh_test_start_xvfb ("1280x1024x24", FALSE)) == NULL)
    {
      g_test_message ("no Xvfb");
      return 77;
    }
  build_dir = g_getenv ("BULKHEAD_BUILDDIR");
  g_assert_nonnull (build_dir);
  screenshot_dir = g_build_filename (build_dir, "tests", "interaction-gui-screenshots", NULL);
  g_assert_no_errno (g_mkdir_with_parents (screenshot_dir, 0755));
  requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  submissions = g_ptr_array_new_with_free_func (g_free);
  server_port = bh_test_http_server_start_full (4, page_for);

  options = bh_browser_options_new ();
  options->renderer_path = g_build_filename (build_dir, "renderer", "renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->window_width_px = 800;
  options->window_height_px = 700;
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  application = bh_application_new (browser);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));

  g_test_add_func ("/interaction/gui/fragments", test_fragments);
  g_test_add_func ("/interaction/gui/selection-and-clipboard", test_selection_and_clipboard);
  g_test_add_func ("/interaction/gui/find-in-page", test_find_in_page);
  g_test_add_func ("/interaction/gui/horizontal-scroll", test_horizontal_scroll);
  g_test_add_func ("/interaction/gui/forms", test_forms);
  g_test_add_func ("/interaction/gui/downloads", test_downloads);
  g_test_add_func ("/interaction/gui/tab-habits", test_tab_habits);
  g_test_add_func ("/interaction/gui/zoom", test_zoom);
  status = g_test_run ();

  g_clear_object (&application);
  bh_browser_shutdown (browser, 2000);
  g_clear_object (&browser);
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  g_clear_object (&xvfb);
  g_free (screenshot_dir);
  return status;
}
