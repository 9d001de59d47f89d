/* test-page-menus-gui.c: a page's controls and the browser's menus over it,
 * used as a person does (issue 13).
 *
 * The real browser (BhApplication over a BhBrowser with real, sandboxed
 * renderers) in a GTK window on an X server of its own, every action made
 * through XTest: a <textarea> typed into over several lines, a <select>
 * opened and chosen from in the browser's popover, <label>s clicked, a
 * <button> pressed, a <fieldset disabled> left out; a field's text selected
 * (Shift+Home, a drag, a double-click) and copied and cut with Ctrl+C, Ctrl+X
 * and the context menu's Copy and Cut; the context menu's
 * Copy link address, Save image as…, Select all and View page source;
 * Ctrl+U, and Ctrl+P with "Print to File" in GTK's print dialog, on a Debian
 * manual served over loopback; the title= tooltip; the address bar's first
 * click. What is checked is what the person gets: the query the server
 * receives, what xclip reads from the clipboard and the primary selection,
 * the file in the download folder, the printed PDF's title and text
 * (poppler-utils), the tab the menu opens and the source it shows, the
 * address bar's selection. Screenshots go to
 * BUILDDIR/tests/page-menus-gui-screenshots/.
 */
#include <signal.h>
#include <string.h>

#include <gtk/gtk.h>
#include <gtk/gtkunixprint.h>
#include <X11/keysym.h>

#include "bh-application.h"
#include "bh-page-view.h"
#include "bh-tab-interaction.h"
#include "bh-tab-page.h"
#include "bh-test-util.h"
#include "bh-window.h"
#include "bh-xtest-util.h"

#define WAIT_FOR(condition) BH_XTEST_WAIT_FOR (condition)

/* A Debian manual, served as it is on disk. */
#define MANUAL_PATH "/usr/share/doc/bzip2/manual.html"

static BhBrowser *browser;
static BhApplication *application;
static guint16 server_port;
static char *screenshot_dir;

/* Each control on a line of its own, at places the screenshots show. */
static const char form_html[] =
  "<html><head><title>Controls</title><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 10px }"
  "</style></head><body><form action='/search' method='get'>"
  "<p><textarea name=t rows=3 cols=30 placeholder='Write here'></textarea></p>"
  "<p><select name=s><option value=a>Apple</option><optgroup label=More><option selected>Banana split</option>"
  "<option disabled>Cherry</option></optgroup><option value=d>Date</option></select></p>"
  "<p><label for=c1 style='font-size: 30px'>Check me</label> <input type=checkbox id=c1 name=c value=on1>"
  " <label style='font-size: 30px'><input type=radio name=r value=x> Radio X</label></p>"
  "<fieldset disabled><legend>Off</legend><input name=off value=no></fieldset>"
  "<p><button name=b value=pressed style='font-size: 20px'>Send <b>it</b></button>"
  " <button type=reset style='font-size: 20px'>Reset</button></p>"
  "</form></body></html>";

/* One-line fields, for their selection. */
static const char fields_html[] =
  "<html><head><title>Fields</title><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 10px }"
  "</style></head><body><form action='/search' method='get'>"
  "<p><input type=search name=q size=40></p><p><input type=submit value=Search></p></form></body></html>";

static const char menus_html[] =
  "<html><head><title>Menus</title><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 20px }"
  "</style></head><body>"
  "<p><a href='/controls' style='font-size: 40px' title='Go to the controls'>A link to the controls</a></p>"
  "<p style='font-size: 30px'>Plain words to select.</p>"
  "<p><img src='/files/picture.png' width=80 height=80 title='A picture'></p></body></html>";

static char *download_dir;
static char *documents_dir; /* where "Print to File" writes output.pdf */

/* A 4 x 4 PNG, made once, which the server sends and the download must equal. */
static GBytes *
picture_bytes (void)
{
  static GBytes *bytes;

  if (g_once_init_enter (&bytes))
    {
      g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 4);
      gchar *buffer = NULL;
      gsize len = 0;

      gdk_pixbuf_fill (pixbuf, 0x2080ffff);
      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", NULL, NULL));
      g_once_init_leave (&bytes, g_bytes_new_take (buffer, len));
    }
  return g_bytes_ref (bytes);
}

static GMutex requests_lock;
static GPtrArray *queries; /* the paths of /search requests */

static GBytes *
page_for (const char *method, const char *path, const char *request_type, GBytes *request_body,
          const char **content_type)
{
  *content_type = "text/html; charset=utf-8";
  if (g_str_equal (path, "/files/picture.png"))
    {
      *content_type = "image/png";
      return picture_bytes ();
    }
  if (g_str_equal (path, "/manual.html"))
    {
      g_autofree char *data = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (MANUAL_PATH, &data, &len, NULL));
      return g_bytes_new_take (g_steal_pointer (&data), len);
    }
  if (g_str_has_prefix (path, "/search"))
    {
      g_mutex_lock (&requests_lock);
      g_ptr_array_add (queries, g_strdup (path));
      g_mutex_unlock (&requests_lock);
      return g_bytes_new_static ("<html><head><title>Results</title></head><body>Results</body></html>", 67);
    }
  if (g_str_has_prefix (path, "/fields"))
    return g_bytes_new_static (fields_html, strlen (fields_html));
  if (g_str_has_prefix (path, "/menus"))
    return g_bytes_new_static (menus_html, strlen (menus_html));
  return g_bytes_new_static (form_html, strlen (form_html));
}

/* The latest /search the server saw, "" for none. */
static char *
last_query (void)
{
  char *query;

  g_mutex_lock (&requests_lock);
  query = g_strdup (queries->len > 0 ? (const char *) queries->pdata[queries->len - 1] : "");
  g_mutex_unlock (&requests_lock);
  return query;
}

static guint
n_queries (void)
{
  guint n;

  g_mutex_lock (&requests_lock);
  n = queries->len;
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

typedef struct {
  BhWindow *window;
  BhTab *tab;
  GtkWidget *view;
} Win;

static gboolean
tab_is_complete (BhTab *tab)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL;
}

static gboolean
tab_shows (BhTab *tab, const char *title)
{
  return tab_is_complete (tab) && g_str_equal (bh_tab_get_title (tab), title);
}

static GtkWidget *
page_view_of (BhWindow *window, BhTab *tab)
{
  return GTK_WIDGET (bh_tab_page_get_page_view (BH_TAB_PAGE (bh_window_get_tab_page (window, tab))));
}

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
  w->view = page_view_of (w->window, w->tab);
  bh_test_wait_for_paint (GTK_WIDGET (w->window), BH_XTEST_WAIT_TIMEOUT_S);
  gtk_widget_grab_focus (w->view);
  WAIT_FOR (gtk_widget_has_focus (w->view));
}

static void
close_window (Win *w)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  WAIT_FOR (gtk_application_get_windows (GTK_APPLICATION (application)) == NULL);
}

/* The first mapped descendant of @root (itself included) of @type with the CSS
 * class @css_class (or any, for NULL), or NULL. */
static GtkWidget *
find_mapped (GtkWidget *root, GType type, const char *css_class)
{
  if (gtk_widget_get_mapped (root) && G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The mapped GtkLabel showing @text under @root, or NULL. */
static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  if (gtk_widget_get_mapped (root) && GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
click_centre (GtkWidget *widget)
{
  /* A new popup surface takes a moment to be on screen. */
  bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_native (widget)), BH_XTEST_WAIT_TIMEOUT_S);
  bh_test_spin (200);
  bh_xtest_click (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0, 1, 0);
}

/* ---- form controls ---- */

static void
test_controls (void)
{
  g_autofree char *query = NULL;
  GtkWidget *popover, *row;
  Win w;

  open_window (&w, "/controls");

  /* Two lines typed into the <textarea>. */
  bh_xtest_click (w.view, 60, 30, 1, 0);
  bh_xtest_type_text ("line one");
  bh_xtest_press_key (0, XK_Return);
  bh_xtest_type_text ("line two");

  /* The <select> opens the browser's popover: its options, "Cherry" disabled. */
  bh_xtest_click (w.view, 60, 103, 1, 0);
  WAIT_FOR ((popover = find_mapped (w.view, GTK_TYPE_POPOVER, "bh-select-popup")) != NULL);
  g_assert_nonnull (find_label (popover, "Apple"));
  g_assert_false (gtk_widget_get_sensitive (gtk_widget_get_parent (find_label (popover, "Cherry"))));
  screenshot (GTK_WIDGET (w.window), "01-select-popover");
  row = gtk_widget_get_parent (find_label (popover, "Date"));
  click_centre (row);
  WAIT_FOR (find_mapped (w.view, GTK_TYPE_POPOVER, "bh-select-popup") == NULL);

  /* Each label clicked: the checkbox it names, the radio button inside it. */
  bh_test_wait_for_paint (GTK_WIDGET (w.window), BH_XTEST_WAIT_TIMEOUT_S);
  bh_xtest_click (w.view, 40, 145, 1, 0);
  bh_xtest_click (w.view, 230, 145, 1, 0);
  screenshot (GTK_WIDGET (w.window), "02-controls-filled");

  /* The <button> submits, with its name and value; the disabled fieldset's
   * field is left out; the textarea's newline goes as CRLF. */
  bh_xtest_click (w.view, 40, 268, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results"));
  query = last_query ();
  g_assert_cmpstr (query, ==, "/search?t=line+one%0D%0Aline+two&s=d&c=on1&r=x&b=pressed");
  g_clear_pointer (&query, g_free);

  /* Back: the controls start over. Up from "Date" skips the disabled
   * "Cherry"; Escape closes the popover without a choice; the reset button
   * empties the textarea again. */
  bh_xtest_press_key (GDK_ALT_MASK, XK_Left);
  WAIT_FOR (tab_shows (w.tab, "Controls"));
  bh_test_wait_for_paint (GTK_WIDGET (w.window), BH_XTEST_WAIT_TIMEOUT_S);
  bh_xtest_click (w.view, 60, 103, 1, 0);
  WAIT_FOR ((popover = find_mapped (w.view, GTK_TYPE_POPOVER, "bh-select-popup")) != NULL);
  bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_native (popover)), BH_XTEST_WAIT_TIMEOUT_S);
  bh_xtest_press_key (0, XK_Escape);
  WAIT_FOR (find_mapped (w.view, GTK_TYPE_POPOVER, "bh-select-popup") == NULL);
  gtk_widget_grab_focus (w.view);
  bh_xtest_press_key (0, XK_Down);
  bh_xtest_press_key (0, XK_Down);
  bh_xtest_press_key (0, XK_Up);
  bh_xtest_click (w.view, 60, 30, 1, 0);
  bh_xtest_type_text ("gone");
  bh_xtest_click (w.view, 150, 268, 1, 0);
  bh_xtest_click (w.view, 40, 268, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_queries () == 2);
  query = last_query ();
  g_assert_cmpstr (query, ==, "/search?t=&s=Banana+split&b=pressed");
  close_window (&w);
}

/* What another application copies: xclip owns the clipboard with @text. */
static void
xclip_copy (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) xclip = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, "xclip", "-selection",
                                                    "clipboard", "-i", NULL);

  g_assert_no_error (error);
  /* xclip forks to serve the selection; the parent exits once it has the text. */
  g_assert_true (g_subprocess_communicate_utf8 (xclip, text, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Paste: Ctrl+V and the context menu's Paste type the clipboard into the
 * focused field (a single-line field leaves the line break out). */
static void
test_paste (void)
{
  g_autofree char *query = NULL;
  GtkWidget *menu;
  guint before;
  Win w;

  open_window (&w, "/controls");
  xclip_copy ("pasted\ntext");
  bh_xtest_click (w.view, 60, 30, 1, 0);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_v);
  bh_xtest_click_button (w.view, 60, 30, 3);
  WAIT_FOR ((menu = find_mapped (w.view, GTK_TYPE_POPOVER_MENU, "bh-context-menu")) != NULL);
  bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_native (menu)), BH_XTEST_WAIT_TIMEOUT_S);
  g_assert_null (find_label (menu, "Back"));
  click_centre (find_label (menu, "Paste"));
  WAIT_FOR (find_mapped (w.view, GTK_TYPE_POPOVER_MENU, "bh-context-menu") == NULL);
  before = n_queries ();
  bh_xtest_click (w.view, 40, 268, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_queries () == before + 1);
  query = last_query ();
  g_assert_cmpstr (query, ==, "/search?t=pasted%0D%0Atextpasted%0D%0Atext&s=Banana+split&b=pressed");
  close_window (&w);
}

/* ---- the context menu, view source ---- */

/* Right-clicks at (x, y) of the page and waits for the menu. */
static GtkWidget *
context_menu_at (Win *w, double x, double y)
{
  GtkWidget *menu;

  bh_xtest_click_button (w->view, x, y, 3);
  WAIT_FOR ((menu = find_mapped (w->view, GTK_TYPE_POPOVER_MENU, "bh-context-menu")) != NULL);
  bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_native (menu)), BH_XTEST_WAIT_TIMEOUT_S);
  bh_test_spin (200);
  return menu;
}

static void
choose (Win *w, GtkWidget *menu, const char *item)
{
  GtkWidget *label = find_label (menu, item);

  g_assert_nonnull (label);
  click_centre (label);
  WAIT_FOR (find_mapped (w->view, GTK_TYPE_POPOVER_MENU, "bh-context-menu") == NULL);
}

static gboolean
file_equals (const char *path, GBytes *expected)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return len == g_bytes_get_size (expected) && memcmp (data, g_bytes_get_data (expected, NULL), len) == 0;
}

/* Waits until what xclip reads from @selection is no longer @before. */
static char *
changed_clipboard (const char *selection, const char *before)
{
  char *seen = NULL;

  WAIT_FOR ((g_free (seen), seen = bh_xtest_xclip_read (selection), !g_str_equal (seen, before)));
  return seen;
}

/* Ctrl+A, Ctrl+C in @tab's page and what the clipboard then holds. */
static char *changed_clipboard (const char *selection, const char *before);

static char *
copy_all (BhTab *tab)
{
  g_autofree char *before = bh_xtest_xclip_read ("clipboard");

  bh_xtest_press_key (GDK_CONTROL_MASK, XK_a);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  return changed_clipboard ("clipboard", before);
}

/* The selection inside a field: Shift+Home selects what was typed, drawn
 * highlighted; Ctrl+C puts it on the clipboard, the field keeps it; Shift+Left
 * selects the last word and Ctrl+X cuts it to the clipboard, out of the field
 * (the submitted query shows what is left); a double-click selects a word and
 * the context menu offers Copy and Cut of it; in a one-line field a drag
 * selects. */
static void
test_field_copy_cut (void)
{
  g_autofree char *seen = NULL;
  g_autofree char *query = NULL;
  GtkWidget *menu;
  guint before;
  Win w;

  open_window (&w, "/controls");
  xclip_copy ("nothing yet");
  bh_xtest_click (w.view, 60, 30, 1, 0);
  bh_xtest_type_text ("keep copy");
  bh_xtest_press_key (GDK_SHIFT_MASK, XK_Home);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  seen = changed_clipboard ("clipboard", "nothing yet");
  g_assert_cmpstr (seen, ==, "keep copy");
  bh_test_wait_for_paint (GTK_WIDGET (w.window), BH_XTEST_WAIT_TIMEOUT_S);
  screenshot (GTK_WIDGET (w.window), "12-field-selection");

  bh_xtest_press_key (0, XK_End);
  for (int i = 0; i < 4; i++)
    bh_xtest_press_key (GDK_SHIFT_MASK, XK_Left);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_x);
  g_free (seen);
  seen = changed_clipboard ("clipboard", "keep copy");
  g_assert_cmpstr (seen, ==, "copy");

  /* Typed over a double-clicked word; its Copy in the context menu. */
  bh_xtest_type_text ("more words");
  bh_xtest_click (w.view, 20, 20, 2, 0);
  menu = context_menu_at (&w, 20, 20);
  click_centre (find_label (menu, "Copy"));
  g_free (seen);
  seen = changed_clipboard ("clipboard", "copy");
  g_assert_cmpstr (seen, ==, "keep");

  /* The menu's Cut of the next word double-clicked. */
  bh_xtest_click (w.view, 75, 20, 2, 0);
  menu = context_menu_at (&w, 75, 20);
  click_centre (find_label (menu, "Cut"));
  g_free (seen);
  seen = changed_clipboard ("clipboard", "keep");
  g_assert_cmpstr (seen, ==, "more");

  before = n_queries ();
  bh_xtest_click (w.view, 40, 268, 1, 0);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_queries () == before + 1);
  query = last_query ();
  g_assert_cmpstr (query, ==, "/search?t=keep++words&s=Banana+split&b=pressed");
  close_window (&w);

  /* A one-line field: a drag from its left edge past its text selects all
   * of it, Ctrl+X cuts it; Shift+End after Home and Ctrl+C take the new text. */
  open_window (&w, "/fields");
  bh_xtest_click (w.view, 60, 22, 1, 0);
  bh_xtest_type_text ("drag the rest");
  bh_xtest_drag (w.view, 15, 22, 500, 22);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_x);
  g_free (seen);
  seen = changed_clipboard ("clipboard", "keep");
  g_assert_cmpstr (seen, ==, "drag the rest");
  bh_xtest_type_text ("one two");
  bh_xtest_press_key (0, XK_Home);
  bh_xtest_press_key (GDK_SHIFT_MASK, XK_End);
  bh_test_wait_for_paint (GTK_WIDGET (w.window), BH_XTEST_WAIT_TIMEOUT_S);
  screenshot (GTK_WIDGET (w.window), "13-input-selection");
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  g_free (seen);
  seen = changed_clipboard ("clipboard", "drag the rest");
  g_assert_cmpstr (seen, ==, "one two");
  before = n_queries ();
  bh_xtest_press_key (0, XK_Return);
  WAIT_FOR (tab_shows (w.tab, "Results") && n_queries () == before + 1);
  g_free (query);
  query = last_query ();
  g_assert_cmpstr (query, ==, "/search?q=one+two");
  close_window (&w);
}

static void
test_context_menu (void)
{
  g_autofree char *link = url_for ("/controls");
  g_autofree char *menus_url = url_for ("/menus");
  g_autofree char *source_url = g_strconcat ("view-source:", menus_url, NULL);
  g_autofree char *source = NULL;
  g_autofree char *seen = NULL;
  GtkWidget *menu;
  BhTab *source_tab;
  Win w;

  open_window (&w, "/menus");

  /* On a link: Open link in new tab and Copy link address; no Back. */
  menu = context_menu_at (&w, 100, 45);
  g_assert_nonnull (find_label (menu, "Open link in new tab"));
  g_assert_null (find_label (menu, "Back"));
  screenshot (GTK_WIDGET (w.window), "03-context-menu-link");
  choose (&w, menu, "Copy link address");
  seen = changed_clipboard ("clipboard", "");
  g_assert_cmpstr (seen, ==, link);

  /* On the page: Back, Forward, Reload; Select all selects the page's text,
   * for the primary selection. */
  menu = context_menu_at (&w, 400, 400);
  g_assert_nonnull (find_label (menu, "Reload"));
  g_assert_null (find_label (menu, "Copy link address"));
  screenshot (GTK_WIDGET (w.window), "04-context-menu-page");
  choose (&w, menu, "Select all");
  g_free (seen);
  seen = changed_clipboard ("primary", "");
  g_assert_cmpstr (seen, ==, "A link to the controls\nPlain words to select.\n");

  /* With a selection: Copy puts it on the clipboard. */
  menu = context_menu_at (&w, 400, 400);
  choose (&w, menu, "Copy");
  g_free (seen);
  seen = changed_clipboard ("clipboard", link);
  g_assert_cmpstr (seen, ==, "A link to the controls\nPlain words to select.\n");

  /* On the image: Save image as… puts the server's bytes in the download folder. */
  menu = context_menu_at (&w, 60, 240);
  g_assert_nonnull (find_label (menu, "Copy image address"));
  screenshot (GTK_WIDGET (w.window), "05-context-menu-image");
  choose (&w, menu, "Save image as\u2026");
  {
    g_autofree char *saved = g_build_filename (download_dir, "picture.png", NULL);
    g_autoptr (GBytes) expected = picture_bytes ();

    GtkWidget *downloads;

    WAIT_FOR (file_equals (saved, expected));
    /* The downloads list opens, as for every download; Escape closes it. */
    WAIT_FOR ((downloads = find_mapped (bh_window_get_downloads_button (w.window), GTK_TYPE_POPOVER, NULL)) != NULL);
    g_assert_nonnull (find_label (downloads, "picture.png"));
    bh_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_native (downloads)), BH_XTEST_WAIT_TIMEOUT_S);
    bh_xtest_press_key (0, XK_Escape);
    WAIT_FOR (find_mapped (bh_window_get_downloads_button (w.window), GTK_TYPE_POPOVER, NULL) == NULL);
  }

  /* View page source: a new tab in front, the page's bytes as text. */
  menu = context_menu_at (&w, 400, 400);
  choose (&w, menu, "View page source");
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 2);
  source_tab = bh_window_get_current_tab (w.window);
  g_assert_true (source_tab == bh_window_get_tab (w.window, 1));
  WAIT_FOR (tab_is_complete (source_tab));
  g_assert_cmpstr (bh_tab_get_uri (source_tab), ==, source_url);
  gtk_widget_grab_focus (page_view_of (w.window, source_tab));
  screenshot (GTK_WIDGET (w.window), "06-view-source");
  source = copy_all (source_tab);
  g_assert_cmpstr (source, ==, menus_html);
  close_window (&w);
}

/* Ctrl+U on a real manual: its source, byte for byte what the server sent. */
static void
test_view_source_shortcut (void)
{
  g_autofree char *manual = NULL;
  g_autofree char *source = NULL;
  BhTab *source_tab;
  Win w;

  g_assert_true (g_file_get_contents (MANUAL_PATH, &manual, NULL, NULL));
  open_window (&w, "/manual.html");
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_u);
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 2);
  source_tab = bh_window_get_current_tab (w.window);
  WAIT_FOR (tab_is_complete (source_tab));
  g_assert_true (g_str_has_prefix (bh_tab_get_uri (source_tab), "view-source:http://alpha.test:"));
  gtk_widget_grab_focus (page_view_of (w.window, source_tab));
  screenshot (GTK_WIDGET (w.window), "07-manual-source");
  source = copy_all (source_tab);
  /* The text view keeps every line; the clipboard holds the text shown. */
  g_assert_true (g_str_has_prefix (source, "<html>\n<head>\n"));
  g_assert_nonnull (strstr (source, "<title>bzip2 and libbzip2, version 1.0.8</title>"));
  g_assert_cmpuint (strlen (source), >=, strlen (manual) - 2);
  close_window (&w);
}

/* ---- printing ---- */

/* The mapped toplevel of @type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) top = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (top, type) && gtk_widget_get_mapped (top))
        return top;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (gtk_widget_get_mapped (root) && GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
run_tool (const char *command_format, const char *path)
{
  g_autofree char *command = g_strdup_printf (command_format, path);
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return out;
}

static gboolean
is_pdf_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  /* The file printer writes it as the job goes: whole once it ends with %%EOF. */
  if (!g_file_get_contents (path, &data, &len, NULL) || len < 12 || memcmp (data, "%PDF-", 5) != 0)
    return FALSE;
  while (len > 0 && g_ascii_isspace (data[len - 1]))
    len--;
  return len >= 5 && memcmp (data + len - 5, "%%EOF", 5) == 0;
}

/* Ctrl+P on a real manual, "Print to File" chosen and Print pressed in GTK's
 * dialog: a PDF of the manual's pages, its text in it. */
static void
test_print (void)
{
  g_autofree char *output = g_build_filename (documents_dir, "output.pdf", NULL);
  g_autofree char *info = NULL;
  g_autofree char *first_page = NULL;
  GtkWidget *dialog, *printer, *print;
  Win w;

  if (!g_find_program_in_path ("pdfinfo") || !g_find_program_in_path ("pdftotext"))
    {
      g_test_skip ("pdfinfo and pdftotext are missing (poppler-utils, tools/install-deps --test)");
      return;
    }
  open_window (&w, "/manual.html");
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_p);
  WAIT_FOR ((dialog = find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG)) != NULL);
  bh_test_wait_for_paint (dialog, BH_XTEST_WAIT_TIMEOUT_S);
  /* The printer list: its "Print to File" row (there is no other printer here). */
  WAIT_FOR ((printer = find_label (dialog, "Print to File")) != NULL);
  bh_test_spin (300);
  screenshot (GTK_WIDGET (w.window), "10-print-dialog");
  click_centre (printer);
  WAIT_FOR ((print = find_button (dialog, "_Print")) != NULL && gtk_widget_get_sensitive (print));
  screenshot (GTK_WIDGET (w.window), "11-print-to-file");
  click_centre (print);
  WAIT_FOR (is_pdf_file (output));
  info = run_tool ("pdfinfo %s", output);
  g_assert_nonnull (strstr (info, "Title:           bzip2 and libbzip2, version 1.0.8\n"));
  g_assert_nonnull (strstr (info, "Creator:         Bulkhead\n"));
  first_page = run_tool ("pdftotext -f 1 -l 1 %s -", output);
  g_assert_true (g_str_has_prefix (first_page, "bzip2 and libbzip2, version 1.0.8\n"));
  g_assert_nonnull (strstr (first_page, "Julian Seward"));
  g_test_message ("%s", info);
  close_window (&w);
}

/* ---- tooltips, the address bar ---- */

static void
test_tooltip_and_address_bar (void)
{
  BhLocationBar *bar;
  GtkWidget *entry, *tooltip;
  int start = -1, end = -1;
  Win w;

  open_window (&w, "/menus");

  /* The link's title= becomes the page view's tooltip, and goes off it. */
  bh_xtest_move_pointer (w.view, 90, 40);
  bh_xtest_move_pointer (w.view, 100, 45);
  WAIT_FOR (g_strcmp0 (gtk_widget_get_tooltip_text (w.view), "Go to the controls") == 0);
  /* GTK shows it once the pointer rests: its window under the toplevel. */
  WAIT_FOR ((tooltip = find_mapped (GTK_WIDGET (w.window), g_type_from_name ("GtkTooltipWindow"), NULL)) != NULL);
  g_assert_nonnull (find_label (tooltip, "Go to the controls"));
  screenshot (GTK_WIDGET (w.window), "08-tooltip");
  bh_xtest_move_pointer (w.view, 400, 400);
  WAIT_FOR (gtk_widget_get_tooltip_text (w.view) == NULL);

  /* A first click in the address bar selects all of it; typing replaces it;
   * a second click places the caret. */
  bar = bh_window_get_location_bar (w.window);
  g_assert_nonnull (bar);
  entry = find_mapped (gtk_window_get_titlebar (GTK_WINDOW (w.window)), GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (entry);
  bh_xtest_click (entry, gtk_widget_get_width (entry) / 2.0, gtk_widget_get_height (entry) / 2.0, 1, 0);
  WAIT_FOR (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1));
  screenshot (GTK_WIDGET (w.window), "09-address-bar-selected");
  /* The second click puts the cursor there: the selection goes. */
  bh_xtest_click (entry, 60, gtk_widget_get_height (entry) / 2.0, 1, 0);
  WAIT_FOR (!gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_l);
  WAIT_FOR (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  bh_xtest_type_text ("typed");
  WAIT_FOR (g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "typed"));
  close_window (&w);
}

int
main (int argc, char **argv)
{
  BhBrowserOptions *options;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) xvfb = NULL;
  const char *build_dir;
  int status;

  /* A download folder of the test's own, as xdg-user-dirs would name it;
   * before anything reads the user's directories. */
  {
    g_autofree char *config = g_dir_make_tmp ("bulkhead-page-menus-XXXXXX", NULL);
    g_autofree char *dirs = g_build_filename (config, "user-dirs.dirs", NULL);
    g_autofree char *line = NULL;

    download_dir = g_build_filename (config, "Downloads", NULL);
    documents_dir = g_build_filename (config, "Documents", NULL);
    g_assert_no_errno (g_mkdir_with_parents (documents_dir, 0700));
    line = g_strdup_printf ("XDG_DOWNLOAD_DIR=\"%s\"\nXDG_DOCUMENTS_DIR=\"%s\"\n", download_dir, documents_dir);
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

  if (!g_find_program_in_path ("xclip") || !g_file_test (MANUAL_PATH, G_FILE_TEST_EXISTS))
    {
      g_test_message ("xclip or %s is missing (tools/install-deps --test)", MANUAL_PATH);
      return 77;
    }
  if ((xvfb = bh_test_start_xvfb ("1280x1024x24", FALSE)) == NULL)
    {
      g_test_message ("no Xvfb");
      return 77;
    }
  build_dir = g_getenv ("BULKHEAD_BUILDDIR");
  g_assert_nonnull (build_dir);
  screenshot_dir = g_build_filename (build_dir, "tests", "page-menus-gui-screenshots", NULL);
  g_assert_no_errno (g_mkdir_with_parents (screenshot_dir, 0755));
  queries = g_ptr_array_new_with_free_func (g_free);
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

  g_test_add_func ("/page-menus/gui/controls", test_controls);
  g_test_add_func ("/page-menus/gui/paste", test_paste);
  g_test_add_func ("/page-menus/gui/context-menu", test_context_menu);
  g_test_add_func ("/page-menus/gui/view-source-shortcut", test_view_source_shortcut);
  g_test_add_func ("/page-menus/gui/tooltip-and-address-bar", test_tooltip_and_address_bar);
  g_test_add_func ("/page-menus/gui/print", test_print);
  g_test_add_func ("/page-menus/gui/field-copy-cut", test_field_copy_cut);
  status = g_test_run ();

  g_clear_object (&application);
  bh_browser_shutdown (browser, 2000);
  g_clear_object (&browser);
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  g_free (screenshot_dir);
  return status;
}
