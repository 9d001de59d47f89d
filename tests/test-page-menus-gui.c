/* test-page-menus-gui.c: a page's controls and the browser's menus over it,
 * used as a person does (issue 13).
 *
 * The real browser (BhApplication over a BhBrowser with real, sandboxed
 * renderers) in a GTK window on an X server of its own, every action made
 * through XTest: a <textarea> typed into over several lines, a <select>
 * opened and chosen from in the browser's popover, <label>s clicked, a
 * <button> pressed, a <fieldset disabled> left out; the context menu's
 * Copy link address, Select all and View page source; Ctrl+U on a Debian
 * manual served over loopback; the title= tooltip; the address bar's first
 * click. What is checked is what the person gets: the query the server
 * receives, what xclip reads from the clipboard and the primary selection,
 * the tab the menu opens and the source it shows, the address bar's
 * selection. Screenshots go to BUILDDIR/tests/page-menus-gui-screenshots/.
 */
#include <signal.h>
#include <string.h>

#include <gtk/gtk.h>
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

static const char menus_html[] =
  "<html><head><title>Menus</title><style>body { margin: 0; font-size: 16px } p { margin: 0; padding: 20px }"
  "</style></head><body>"
  "<p><a href='/controls' style='font-size: 40px' title='Go to the controls'>A link to the controls</a></p>"
  "<p style='font-size: 30px'>Plain words to select.</p></body></html>";

static GMutex requests_lock;
static GPtrArray *queries; /* the paths of /search requests */

static GBytes *
page_for (const char *method, const char *path, const char *request_type, GBytes *request_body,
          const char **content_type)
{
  *content_type = "text/html; charset=utf-8";
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
clipboard_is (const char *selection, const char *text)
{
  g_autofree char *seen = bh_xtest_xclip_read (selection);

  return g_str_equal (seen, text);
}

/* Ctrl+A, Ctrl+C in @tab's page and what the clipboard then holds. */
static char *
copy_all (BhTab *tab)
{
  g_autofree char *before = bh_xtest_xclip_read ("clipboard");
  char *after = NULL;

  bh_xtest_press_key (GDK_CONTROL_MASK, XK_a);
  bh_xtest_press_key (GDK_CONTROL_MASK, XK_c);
  WAIT_FOR ((g_free (after), after = bh_xtest_xclip_read ("clipboard"), !g_str_equal (after, before)));
  return after;
}

static void
test_context_menu (void)
{
  g_autofree char *link = url_for ("/controls");
  g_autofree char *menus_url = url_for ("/menus");
  g_autofree char *source_url = g_strconcat ("view-source:", menus_url, NULL);
  g_autofree char *source = NULL;
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
  WAIT_FOR (clipboard_is ("clipboard", link));

  /* On the page: Back, Forward, Reload; Select all selects the page's text,
   * for the primary selection. */
  menu = context_menu_at (&w, 400, 400);
  g_assert_nonnull (find_label (menu, "Reload"));
  g_assert_null (find_label (menu, "Copy link address"));
  screenshot (GTK_WIDGET (w.window), "04-context-menu-page");
  choose (&w, menu, "Select all");
  WAIT_FOR (clipboard_is ("primary", "A link to the controls\nPlain words to select."));

  /* With a selection: Copy puts it on the clipboard. */
  menu = context_menu_at (&w, 400, 400);
  choose (&w, menu, "Copy");
  WAIT_FOR (clipboard_is ("clipboard", "A link to the controls\nPlain words to select."));

  /* View page source: a new tab in front, the page's bytes as text. */
  menu = context_menu_at (&w, 400, 400);
  choose (&w, menu, "View page source");
  WAIT_FOR (bh_window_get_n_tabs (w.window) == 2);
  source_tab = bh_window_get_current_tab (w.window);
  g_assert_true (source_tab == bh_window_get_tab (w.window, 1));
  WAIT_FOR (tab_is_complete (source_tab));
  g_assert_cmpstr (bh_tab_get_uri (source_tab), ==, source_url);
  gtk_widget_grab_focus (page_view_of (w.window, source_tab));
  screenshot (GTK_WIDGET (w.window), "05-view-source");
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
  screenshot (GTK_WIDGET (w.window), "06-manual-source");
  source = copy_all (source_tab);
  /* The text view keeps every line; the clipboard holds the text shown. */
  g_assert_true (g_str_has_prefix (source, "<html>\n<head>\n"));
  g_assert_nonnull (strstr (source, "<title>bzip2 and libbzip2, version 1.0.8</title>"));
  g_assert_cmpuint (strlen (source), >=, strlen (manual) - 2);
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
  screenshot (GTK_WIDGET (w.window), "07-tooltip");
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
  screenshot (GTK_WIDGET (w.window), "08-address-bar-selected");
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
  g_test_add_func ("/page-menus/gui/context-menu", test_context_menu);
  g_test_add_func ("/page-menus/gui/view-source-shortcut", test_view_source_shortcut);
  g_test_add_func ("/page-menus/gui/tooltip-and-address-bar", test_tooltip_and_address_bar);
  status = g_test_run ();

  g_clear_object (&application);
  bh_browser_shutdown (browser, 2000);
  g_clear_object (&browser);
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  g_free (screenshot_dir);
  return status;
}
