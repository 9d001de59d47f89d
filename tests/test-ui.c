/* test-ui.c: the browser window as a person uses it, with a fake tab.
 *
 * Runs a real GTK window on an X server (its own Xvfb, started on a free
 * display number), types and clicks through XTest as a user would, and reads
 * what the X server shows (XGetImage) to check pixels. The tabs are the
 * stand-ins of ui-fake-tab.c, so what the window sends a tab is logged and
 * what a tab reports can be staged.
 */
#include <math.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bh-application.h"
#include "bh-history.h"
#include "bh-page-view.h"
#include "bh-tab-page.h"
#include "bh-test-profile.h"
#include "bh-test-util.h"
#include "bh-window.h"
#include "ui-fake-tab.h"

#define WAIT_TIMEOUT_S 10

static GSubprocess *xvfb;
static BhBrowser *browser;
static BhApplication *application;

/* ---- the X server ---- */

static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

/* ---- waiting ---- */

#define WAIT_FOR(condition)                                                         \
  G_STMT_START                                                                      \
  {                                                                                 \
    gint64 wait_deadline_ = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition) && g_get_monotonic_time () < wait_deadline_)                \
      if (!g_main_context_iteration (NULL, FALSE))                                  \
        g_usleep (1000);                                                            \
    g_assert_true (condition);                                                      \
  }                                                                                 \
  G_STMT_END

/* ---- where things are on screen ---- */

static void
widget_to_root (GtkWidget *widget, double x, double y, int *root_x, int *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double surface_x;
  double surface_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (xdisplay (),
                         gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (xdisplay ()),
                         (int) (point.x + surface_x), (int) (point.y + surface_y),
                         root_x, root_y, &child);
}

/* The colour the X server shows at (x, y) of @widget, as 0xRRGGBB. */
static guint32
screen_pixel (GtkWidget *widget, double x, double y)
{
  int root_x;
  int root_y;
  XImage *image;
  unsigned long pixel;

  widget_to_root (widget, x, y, &root_x, &root_y);
  image = XGetImage (xdisplay (), DefaultRootWindow (xdisplay ()), root_x, root_y, 1, 1,
                     AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  pixel = XGetPixel (image, 0, 0);
  XDestroyImage (image);

  return (guint32) (pixel & 0xffffff);
}

/* ---- a user's hands ---- */

static void
press_key (guint modifiers, guint keysym)
{
  Display *display = xdisplay ();
  KeyCode control = XKeysymToKeycode (display, XK_Control_L);
  KeyCode shift = XKeysymToKeycode (display, XK_Shift_L);
  KeyCode alt = XKeysymToKeycode (display, XK_Alt_L);
  KeyCode key = XKeysymToKeycode (display, keysym);

  g_assert_cmpuint (key, !=, 0);

  if (modifiers & GDK_CONTROL_MASK)
    XTestFakeKeyEvent (display, control, True, CurrentTime);
  if (modifiers & GDK_SHIFT_MASK)
    XTestFakeKeyEvent (display, shift, True, CurrentTime);
  if (modifiers & GDK_ALT_MASK)
    XTestFakeKeyEvent (display, alt, True, CurrentTime);
  XTestFakeKeyEvent (display, key, True, CurrentTime);
  XTestFakeKeyEvent (display, key, False, CurrentTime);
  if (modifiers & GDK_ALT_MASK)
    XTestFakeKeyEvent (display, alt, False, CurrentTime);
  if (modifiers & GDK_SHIFT_MASK)
    XTestFakeKeyEvent (display, shift, False, CurrentTime);
  if (modifiers & GDK_CONTROL_MASK)
    XTestFakeKeyEvent (display, control, False, CurrentTime);
  XFlush (display);
  bh_test_spin (50);
}

static void
type_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guint keysym = *p == '.' ? XK_period : *p == '/' ? XK_slash : (guint) *p;

      press_key (0, keysym);
    }
}

static void
move_pointer (GtkWidget *widget, double x, double y)
{
  int root_x;
  int root_y;

  widget_to_root (widget, x, y, &root_x, &root_y);
  XTestFakeMotionEvent (xdisplay (), -1, root_x, root_y, CurrentTime);
  XFlush (xdisplay ());
  bh_test_spin (50);
}

static void
click (GtkWidget *widget, double x, double y, guint button)
{
  move_pointer (widget, x, y);
  XTestFakeButtonEvent (xdisplay (), button, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay (), button, False, CurrentTime);
  XFlush (xdisplay ());
  bh_test_spin (50);
}

static void
click_center (GtkWidget *widget)
{
  click (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0, 1);
}

/* ---- the window ---- */

static BhTabPage *
tab_page (BhWindow *window, BhTab *tab)
{
  return BH_TAB_PAGE (bh_window_get_tab_page (window, tab));
}

static GtkWidget *
page_view (BhWindow *window, BhTab *tab)
{
  return GTK_WIDGET (bh_tab_page_get_page_view (tab_page (window, tab)));
}

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          const char *text = NULL;

          if (GTK_IS_LABEL (child))
            text = gtk_label_get_label (GTK_LABEL (child));
          else if (GTK_IS_BUTTON (child))
            text = gtk_button_get_label (GTK_BUTTON (child));
          else if (GTK_IS_EDITABLE (child))
            text = "";

          if (label == NULL || g_strcmp0 (text, label) == 0)
            return child;
        }

      found = find_widget (child, type, label);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
url_entry (BhWindow *window)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *entry = find_widget (titlebar, GTK_TYPE_ENTRY, NULL);

  g_assert_nonnull (entry);
  return entry;
}

static gboolean
has_focus_within (BhWindow *window, GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
tab_is_complete (BhTab *tab)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL;
}

/* Opens a window as the application does on activation and waits until it
 * is on screen, focused, and its current tab has painted. */
static BhWindow *
open_window (const char *first_url, ...)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new ();
  BhWindow *window;
  BhTab *tab;
  va_list args;

  va_start (args, first_url);
  for (const char *url = first_url; url != NULL; url = va_arg (args, const char *))
    g_ptr_array_add (urls, (gpointer) url);
  va_end (args);
  g_ptr_array_add (urls, NULL);

  window = bh_application_open_window (application, (const char * const *) urls->pdata);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  /* There is no window manager to give the window the keyboard. */
  XSetInputFocus (xdisplay (),
                  gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  WAIT_FOR (gtk_window_is_active (GTK_WINDOW (window)));

  tab = bh_window_get_current_tab (window);
  WAIT_FOR (tab_is_complete (tab));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);

  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  return window;
}

static void
close_window (BhWindow *window)
{
  if (window == NULL)
    return;

  gtk_window_destroy (GTK_WINDOW (window));
  bh_test_spin (50);
}

/* ---- tests ---- */

static void
test_page_view_shows_frame (void)
{
  BhWindow *window = open_window ("http://frame.test/#ff00ff", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  GtkWidget *view = page_view (window, tab);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  int scale = gtk_widget_get_scale_factor (view);
  int width = gtk_widget_get_width (view);
  int height = gtk_widget_get_height (view);

  /* The viewport the tab was given is the view's size in device px. */
  g_assert_cmpint (log->viewport_width_px, ==, width * scale);
  g_assert_cmpint (log->viewport_height_px, ==, height * scale);
  g_assert_cmpfloat (log->viewport_scale, ==, scale);
  g_assert_cmpint (width, >, 400);
  g_assert_cmpint (height, >, 300);

  /* A window opens with the keyboard on its page. */
  g_assert_true (gtk_widget_has_focus (view));

  /* What the X server shows: the frame's colour over the whole view, and
   * its black box at (10, 10)-(110, 60), unscaled, from the top left. */
  g_assert_cmphex (screen_pixel (view, width / 2.0, height / 2.0), ==, 0xff00ff);
  g_assert_cmphex (screen_pixel (view, 1, 1), ==, 0xff00ff);
  g_assert_cmphex (screen_pixel (view, width - 1, height - 1), ==, 0xff00ff);
  g_assert_cmphex (screen_pixel (view, 12, 12), ==, 0x000000);
  g_assert_cmphex (screen_pixel (view, 108, 58), ==, 0x000000);
  g_assert_cmphex (screen_pixel (view, 112, 30), ==, 0xff00ff);
  g_assert_cmphex (screen_pixel (view, 30, 62), ==, 0xff00ff);

  /* A new frame (another page) replaces it on screen. */
  bh_tab_navigate (tab, "http://frame.test/#00ff00");
  WAIT_FOR (tab_is_complete (tab));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_cmphex (screen_pixel (view, width / 2.0, height / 2.0), ==, 0x00ff00);

  close_window (window);
}

static void
test_page_view_input (void)
{
  BhWindow *window = open_window ("http://input.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  GtkWidget *view = page_view (window, tab);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  int scale = gtk_widget_get_scale_factor (view);
  guint n;

  /* Pointer motion, in device px. */
  move_pointer (view, 200, 150);
  WAIT_FOR (log->mouse_kind == 0 && fabs (log->mouse_x_px - 200 * scale) < 0.5);
  g_assert_cmpfloat_with_epsilon (log->mouse_y_px, 150 * scale, 0.5);

  /* Press and release of the left, middle and right buttons, with the
   * button number, and Ctrl held as a modifier. */
  click (view, 220, 170, 1);
  WAIT_FOR (log->n_mouse_releases == 1);
  g_assert_cmpuint (log->n_mouse_presses, ==, 1);
  g_assert_cmpuint (log->mouse_button, ==, 1);
  g_assert_cmpfloat_with_epsilon (log->mouse_x_px, 220 * scale, 0.5);
  g_assert_cmpfloat_with_epsilon (log->mouse_y_px, 170 * scale, 0.5);
  g_assert_true (gtk_widget_has_focus (view));
  g_assert_true (log->focused);

  click (view, 220, 170, 2);
  WAIT_FOR (log->n_mouse_releases == 2);
  g_assert_cmpuint (log->mouse_button, ==, 2);

  XTestFakeKeyEvent (xdisplay (), XKeysymToKeycode (xdisplay (), XK_Control_L), True, 0);
  click (view, 220, 170, 1);
  XTestFakeKeyEvent (xdisplay (), XKeysymToKeycode (xdisplay (), XK_Control_L), False, 0);
  XFlush (xdisplay ());
  WAIT_FOR (log->n_mouse_releases == 3);
  g_assert_true (log->mouse_modifiers & GDK_CONTROL_MASK);

  click (view, 220, 170, 3);
  WAIT_FOR (log->n_mouse_releases == 4);
  g_assert_cmpuint (log->mouse_button, ==, 3);

  /* A wheel notch down (X button 5) is about 50 px down. */
  n = log->n_scrolls;
  click (view, 220, 170, 5);
  WAIT_FOR (log->n_scrolls > n);
  g_assert_cmpfloat (log->scroll_dy_px, ==, BH_PAGE_VIEW_WHEEL_STEP_PX * scale);
  n = log->n_scrolls;
  click (view, 220, 170, 4);
  WAIT_FOR (log->n_scrolls > n);
  g_assert_cmpfloat (log->scroll_dy_px, ==, -BH_PAGE_VIEW_WHEEL_STEP_PX * scale);

  /* Keys typed into the focused page go to the page... */
  press_key (0, XK_a);
  WAIT_FOR (log->last_keyval == GDK_KEY_a);
  press_key (0, XK_Tab);
  WAIT_FOR (log->last_keyval == GDK_KEY_Tab);
  g_assert_true (gtk_widget_has_focus (view));

  /* ...but the window's shortcuts stay the window's: Ctrl+T opens a tab
   * and the page sees only the Control key going down (as a web page
   * does), never the T. */
  press_key (GDK_CONTROL_MASK, XK_t);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  g_assert_cmpuint (log->last_keyval, ==, GDK_KEY_Control_L);

  /* Focus leaving the page is reported. */
  g_assert_false (log->focused);

  close_window (window);
}

static void
test_page_view_scrollbar (void)
{
  BhWindow *window = open_window ("http://scroll.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  BhPageView *view = BH_PAGE_VIEW (page_view (window, tab));
  GtkAdjustment *adjustment = bh_page_view_get_vadjustment (view);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  GtkWidget *scrollbar = find_widget (GTK_WIDGET (tab_page (window, tab)), GTK_TYPE_SCROLLBAR,
                                      NULL);

  g_assert_nonnull (scrollbar);
  g_assert_true (gtk_widget_get_mapped (scrollbar));
  g_assert_true (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (scrollbar)) == adjustment);

  /* The document's height and the viewport's, in device px. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, BH_FAKE_DOCUMENT_HEIGHT_PX);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adjustment), ==, log->viewport_height_px);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);

  /* Clicking the trough below the slider pages down: the tab is asked to
   * scroll there. */
  click (scrollbar, gtk_widget_get_width (scrollbar) / 2.0,
         gtk_widget_get_height (scrollbar) - 5, 1);
  WAIT_FOR (log->n_scroll_tos > 0);
  g_assert_cmpint (log->last_scroll_to_px, >, 0);

  /* The tab's own scrolling moves the scrollbar without echoing back. */
  {
    guint n = log->n_scroll_tos;

    bh_tab_scroll_to (tab, 1000);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 1000);
    g_assert_cmpuint (log->n_scroll_tos, ==, n + 1);
  }

  close_window (window);
}

static GtkWidget *
find_by_class (GtkWidget *root, const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (gtk_widget_has_css_class (child, css_class))
        return child;

      found = find_by_class (child, css_class);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
status_text (BhWindow *window)
{
  GtkWidget *bar = find_by_class (GTK_WIDGET (window), "status-bar");

  g_assert_nonnull (bar);
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (bar)));
}

/* The widget whose action is @action_name ("win.reload"), depth first. */
static GtkWidget *
find_actionable (GtkWidget *root, const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;

      found = find_actionable (child, action_name);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The one Reload / Stop button of the header bar. */
static GtkWidget *
reload_button (BhWindow *window)
{
  GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *button = find_actionable (titlebar, "win.reload");

  if (button == NULL)
    button = find_actionable (titlebar, "win.stop");
  g_assert_nonnull (button);
  return button;
}

static void
test_shortcuts_new_and_close_tab (void)
{
  BhWindow *window = open_window ("http://one.test/", NULL);
  g_autoptr(BhTab) first = g_object_ref (bh_window_get_current_tab (window));
  BhTab *second;
  GtkWidget *label;
  GtkWidget *close_button;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  /* Ctrl+T: a blank tab at the end, current, with the address entry
   * focused for typing. */
  press_key (GDK_CONTROL_MASK, XK_t);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  second = bh_window_get_current_tab (window);
  g_assert_true (second != first);
  g_assert_true (bh_window_get_tab (window, 1) == second);
  g_assert_cmpstr (bh_tab_get_uri (second), ==, "about:blank");
  WAIT_FOR (has_focus_within (window, url_entry (window)));

  /* Ctrl+W closes the current tab, and the tab is told. */
  g_object_ref (second);
  press_key (GDK_CONTROL_MASK, XK_w);
  WAIT_FOR (bh_window_get_n_tabs (window) == 1);
  g_assert_true (bh_window_get_current_tab (window) == first);
  g_assert_cmpuint (bh_fake_tab_get_log (second)->n_closes, ==, 1);
  g_object_unref (second);

  /* The close button on a tab closes that tab. */
  press_key (GDK_CONTROL_MASK, XK_t);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  second = bh_window_get_tab (window, 1);
  label = gtk_notebook_get_tab_label (
    GTK_NOTEBOOK (gtk_widget_get_ancestor (bh_window_get_tab_page (window, second),
                                           GTK_TYPE_NOTEBOOK)),
    bh_window_get_tab_page (window, second));
  close_button = find_widget (label, GTK_TYPE_BUTTON, NULL);
  g_assert_nonnull (close_button);
  click_center (close_button);
  WAIT_FOR (bh_window_get_n_tabs (window) == 1);

  /* Closing the last tab closes the window. */
  press_key (GDK_CONTROL_MASK, XK_w);
  WAIT_FOR (window == NULL);
  g_assert_cmpuint (bh_fake_tab_get_log (first)->n_closes, ==, 1);
}

static void
test_shortcuts_cycle_tabs (void)
{
  BhWindow *window = open_window ("http://a.test/", "http://b.test/", "http://c.test/", NULL);
  GtkNotebook *notebook;

  notebook = GTK_NOTEBOOK (gtk_widget_get_ancestor (
    bh_window_get_tab_page (window, bh_window_get_current_tab (window)), GTK_TYPE_NOTEBOOK));
  g_assert_cmpuint (bh_window_get_n_tabs (window), ==, 3);
  g_assert_cmpint (gtk_notebook_get_current_page (notebook), ==, 0);

  press_key (GDK_CONTROL_MASK, XK_Tab);
  WAIT_FOR (gtk_notebook_get_current_page (notebook) == 1);
  press_key (GDK_CONTROL_MASK, XK_Tab);
  WAIT_FOR (gtk_notebook_get_current_page (notebook) == 2);
  /* It wraps around. */
  press_key (GDK_CONTROL_MASK, XK_Tab);
  WAIT_FOR (gtk_notebook_get_current_page (notebook) == 0);
  press_key (GDK_CONTROL_MASK | GDK_SHIFT_MASK, XK_Tab);
  WAIT_FOR (gtk_notebook_get_current_page (notebook) == 2);
  press_key (GDK_CONTROL_MASK, XK_Page_Up);
  WAIT_FOR (gtk_notebook_get_current_page (notebook) == 1);

  /* The chrome follows the current tab. */
  WAIT_FOR (tab_is_complete (bh_window_get_current_tab (window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url_entry (window))), ==,
                   "http://b.test/");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Fake http://b.test/ — Bulkhead");

  close_window (window);
}

static void
test_shortcuts_navigation (void)
{
  BhWindow *window = open_window ("http://a.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  GtkWidget *button = reload_button (window);

  bh_tab_navigate (tab, "http://b.test/");
  WAIT_FOR (tab_is_complete (tab));
  gtk_widget_grab_focus (page_view (window, tab));

  /* Alt+Left / Alt+Right: back and forward. */
  press_key (GDK_ALT_MASK, XK_Left);
  WAIT_FOR (g_strcmp0 (bh_tab_get_uri (tab), "http://a.test/") == 0);
  WAIT_FOR (tab_is_complete (tab));
  press_key (GDK_ALT_MASK, XK_Right);
  WAIT_FOR (g_strcmp0 (bh_tab_get_uri (tab), "http://b.test/") == 0);
  WAIT_FOR (tab_is_complete (tab));

  /* F5 and Ctrl+R reload. */
  press_key (0, XK_F5);
  WAIT_FOR (log->n_reloads == 1);
  WAIT_FOR (tab_is_complete (tab));
  press_key (GDK_CONTROL_MASK, XK_r);
  WAIT_FOR (log->n_reloads == 2);
  WAIT_FOR (tab_is_complete (tab));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "view-refresh-symbolic");

  /* While loading, the one button is Stop, and Escape stops. */
  bh_tab_navigate (tab, "http://slow.test/");
  WAIT_FOR (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (button)), "process-stop-symbolic") == 0);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.stop");
  g_assert_cmpstr (status_text (window), ==, "Loading http://slow.test/…");
  press_key (0, XK_Escape);
  WAIT_FOR (log->n_stops == 1);
  WAIT_FOR (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (button)), "view-refresh-symbolic") == 0);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.reload");

  /* Not loading, Escape is the page's. */
  press_key (0, XK_Escape);
  WAIT_FOR (log->last_keyval == GDK_KEY_Escape);
  g_assert_cmpuint (log->n_stops, ==, 1);

  /* The button itself, clicked. */
  click_center (button);
  WAIT_FOR (log->n_reloads == 3);

  close_window (window);
}

/* The address bar's suggestions come from the profile's history and
 * bookmarks, best first; typing on completes the best address inline; the
 * arrows pick a suggestion and Enter goes there; Ctrl+D fills the star;
 * Ctrl+H opens about:history. */
static void
test_location_suggestions (void)
{
  BhHistory *history = bh_profile_get_history (bh_browser_get_profile (browser));
  BhWindow *window = NULL;
  BhTab *tab;
  GtkWidget *entry;
  GListModel *suggestions;
  gint64 now = g_get_real_time ();
  int start, end;

  bh_history_add_visit (history, "http://alpha.test/one", "One", BH_PAGE_TRANSITION_TYPED, now);
  bh_history_add_visit (history, "http://alpha.test/one", "One", BH_PAGE_TRANSITION_TYPED, now);
  bh_history_add_visit (history, "http://alpha.test/two", "Two", BH_PAGE_TRANSITION_LINK, now);
  bh_history_add_visit (history, "http://beta.test/", "alpha, in the title", BH_PAGE_TRANSITION_LINK, now);
  /* The first page's favicon, as its renderer decoded it: 2 x 2 blue (BGRA). */
  {
    static const guint8 blue[16] = { 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255 };
    g_autoptr (GBytes) pixels = g_bytes_new_static (blue, sizeof blue);

    bh_history_set_favicon (history, "http://alpha.test/one", "http://alpha.test/favicon.ico", 2, 2, pixels);
  }

  window = open_window ("http://start.test/", NULL);
  tab = bh_window_get_current_tab (window);
  entry = url_entry (window);
  suggestions = bh_location_bar_get_suggestions (bh_window_get_location_bar (window));

  press_key (GDK_CONTROL_MASK, XK_l);
  WAIT_FOR (has_focus_within (window, entry));
  type_text ("alp");
  WAIT_FOR (g_list_model_get_n_items (suggestions) == 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (suggestions), 0), ==, "http://alpha.test/one");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (suggestions), 2), ==, "http://beta.test/");
  /* The page with a favicon shows it; the others the history's icon. */
  {
    GdkPaintable *favicon =
      bh_location_bar_get_suggestion_favicon (bh_window_get_location_bar (window), 0);

    g_assert_true (GDK_IS_TEXTURE (favicon));
    g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (favicon)), ==, 2);
    g_assert_null (bh_location_bar_get_suggestion_favicon (bh_window_get_location_bar (window), 1));
  }
  /* Inline: the best address, the completed part selected. */
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "alpha.test/one") == 0);
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 3);

  /* Down, Down: the second suggestion; Enter goes there. */
  press_key (0, XK_Down);
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "http://alpha.test/one") == 0);
  press_key (0, XK_Down);
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "http://alpha.test/two") == 0);
  press_key (0, XK_Return);
  WAIT_FOR (g_strcmp0 (bh_tab_get_uri (tab), "http://alpha.test/two") == 0);
  WAIT_FOR (g_list_model_get_n_items (suggestions) == 0);
  WAIT_FOR (tab_is_complete (tab));

  /* Ctrl+D: bookmarked, the star filled; again: removed. */
  g_assert_cmpstr (gtk_entry_get_icon_name (GTK_ENTRY (entry), GTK_ENTRY_ICON_SECONDARY), ==,
                   "non-starred-symbolic");
  press_key (GDK_CONTROL_MASK, XK_d);
  WAIT_FOR (bh_history_is_bookmarked (history, "http://alpha.test/two"));
  g_assert_cmpstr (gtk_entry_get_icon_name (GTK_ENTRY (entry), GTK_ENTRY_ICON_SECONDARY), ==,
                   "starred-symbolic");
  press_key (GDK_CONTROL_MASK, XK_d);
  WAIT_FOR (!bh_history_is_bookmarked (history, "http://alpha.test/two"));

  /* Ctrl+H: about:history in a new tab. */
  press_key (GDK_CONTROL_MASK, XK_h);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  WAIT_FOR (g_strcmp0 (bh_tab_get_uri (bh_window_get_current_tab (window)), "about:history") == 0);

  close_window (window);
}

static void
test_location_navigates (void)
{
  BhWindow *window = open_window ("http://start.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  GtkWidget *entry = url_entry (window);
  int start;
  int end;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://start.test/");

  /* Ctrl+L focuses the entry with all of it selected, so typing replaces
   * it; Enter navigates the tab to what was typed. */
  gtk_widget_grab_focus (page_view (window, tab));
  press_key (GDK_CONTROL_MASK, XK_l);
  WAIT_FOR (has_focus_within (window, entry));
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (entry), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, (int) strlen ("http://start.test/"));

  type_text ("example.test/a");
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "example.test/a") == 0);
  press_key (0, XK_Return);
  WAIT_FOR (log->last_user_input != NULL);
  g_assert_cmpstr (log->last_user_input, ==, "example.test/a");
  g_assert_cmpstr (bh_tab_get_uri (tab), ==, "http://example.test/a");
  WAIT_FOR (tab_is_complete (tab));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://example.test/a");
  /* The page gets the keyboard back. */
  g_assert_true (gtk_widget_has_focus (page_view (window, tab)));

  /* The entry follows the tab (a link followed, a redirect)... */
  bh_tab_navigate (tab, "http://elsewhere.test/");
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "http://elsewhere.test/") == 0);

  /* ...except while the user is typing in it. */
  press_key (GDK_CONTROL_MASK, XK_l);
  type_text ("typing");
  bh_tab_navigate (tab, "http://late.test/");
  WAIT_FOR (tab_is_complete (tab));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "typing");

  /* Escape drops the edit. */
  press_key (0, XK_Escape);
  WAIT_FOR (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "http://late.test/") == 0);

  close_window (window);
}

static void
check_sad_tab_for_state (BhWindow *window, BhTab *tab, BhTabState state, const char *message)
{
  GtkWidget *page = bh_window_get_tab_page (window, tab);
  GtkWidget *label;

  bh_fake_tab_set_state (tab, state, message);
  WAIT_FOR (bh_tab_page_is_showing_sad_tab (BH_TAB_PAGE (page)));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);

  /* On screen: the headline and the reason in plain words, in the page's
   * place, and the same reason in the status bar. */
  label = find_widget (page, GTK_TYPE_LABEL, "Aw, Snap!");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  label = find_widget (page, GTK_TYPE_LABEL, message);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_false (gtk_widget_get_mapped (page_view (window, tab)));
  g_assert_cmpstr (status_text (window), ==, message);
}

static void
test_sad_tab (void)
{
  BhWindow *window = open_window ("http://sad.test/#ff00ff", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  GtkWidget *page = bh_window_get_tab_page (window, tab);
  GtkWidget *view = page_view (window, tab);
  GtkWidget *reload;
  int x = gtk_widget_get_width (view) / 2;
  int y = gtk_widget_get_height (view) / 2;
  const struct {
    BhTabState state;
    const char *message;
  } failures[] = {
    { BH_TAB_STATE_CRASHED, "The renderer for http://sad.test crashed (SIGSEGV)" },
    { BH_TAB_STATE_KILLED, "The renderer for http://sad.test was killed (SIGKILL)" },
    { BH_TAB_STATE_OOM, "The renderer for http://sad.test ran out of memory" },
    { BH_TAB_STATE_BAD_MESSAGE, "The renderer for http://sad.test sent a bad message" },
    { BH_TAB_STATE_LAUNCH_FAILED, "The renderer for http://sad.test could not be started" },
  };

  g_assert_cmphex (screen_pixel (view, x, y), ==, 0xff00ff);

  for (gsize i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      check_sad_tab_for_state (window, tab, failures[i].state, failures[i].message);
      /* The page's pixels are gone from the screen. */
      g_assert_cmphex (screen_pixel (page, x, y), !=, 0xff00ff);
    }

  /* Reload, clicked, asks the tab to reload; the page comes back. */
  reload = find_widget (page, GTK_TYPE_BUTTON, "_Reload");
  g_assert_nonnull (reload);
  click_center (reload);
  WAIT_FOR (log->n_reloads == 1);
  WAIT_FOR (tab_is_complete (tab));
  WAIT_FOR (!bh_tab_page_is_showing_sad_tab (BH_TAB_PAGE (page)));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_cmphex (screen_pixel (view, x, y), ==, 0xff00ff);
  g_assert_cmpstr (status_text (window), ==, "Done");

  close_window (window);
}

static void
hang_signal_cb (BhWindow *window, BhTab *tab, gpointer user_data)
{
  *(BhTab **) user_data = tab;
}

static void
test_hang_dialog (void)
{
  BhWindow *window = open_window ("http://hang.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  const BhFakeTabLog *log = bh_fake_tab_get_log (tab);
  BhTabPage *page = BH_TAB_PAGE (bh_window_get_tab_page (window, tab));
  GtkWidget *view = page_view (window, tab);
  BhTab *waited = NULL;
  BhTab *killed = NULL;
  guint presses;

  g_signal_connect (window, "hang-wait", G_CALLBACK (hang_signal_cb), &waited);
  g_signal_connect (window, "hang-kill", G_CALLBACK (hang_signal_cb), &killed);

  bh_fake_tab_set_state (tab, BH_TAB_STATE_UNRESPONSIVE, "The page has not answered for 5 s");
  WAIT_FOR (bh_tab_page_is_showing_hang_dialog (page));
  g_assert_false (bh_tab_page_is_showing_sad_tab (page));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_true (gtk_widget_get_mapped (find_widget (GTK_WIDGET (page), GTK_TYPE_LABEL,
                                                     "Page Unresponsive")));

  /* The hung page gets no clicks while the dialog is up. */
  presses = log->n_mouse_presses;
  click (view, 20, 20, 1);
  g_assert_cmpuint (log->n_mouse_presses, ==, presses);

  click_center (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Exit page"));
  WAIT_FOR (killed == tab);
  g_assert_null (waited);

  click_center (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Wait"));
  WAIT_FOR (waited == tab);
  WAIT_FOR (!bh_tab_page_is_showing_hang_dialog (page));

  /* It comes back if the page hangs again. */
  bh_fake_tab_set_state (tab, BH_TAB_STATE_COMPLETE, "");
  bh_fake_tab_set_state (tab, BH_TAB_STATE_UNRESPONSIVE, "Again");
  WAIT_FOR (bh_tab_page_is_showing_hang_dialog (page));

  close_window (window);
}

static void
test_tab_requests (void)
{
  BhWindow *window = open_window ("http://a.test/", "http://b.test/", NULL);
  BhTab *a = bh_window_get_tab (window, 0);
  BhTab *opened;

  /* A page asking for a new tab gets one right after its own, in front. */
  bh_fake_tab_request_open_url (a, "http://opened.test/", BH_DISPOSITION_NEW_TAB);
  WAIT_FOR (bh_window_get_n_tabs (window) == 3);
  opened = bh_window_get_tab (window, 1);
  g_assert_cmpstr (bh_tab_get_uri (opened), ==, "http://opened.test/");
  g_assert_true (bh_window_get_current_tab (window) == opened);

  /* A page asking to be closed is closed. */
  bh_fake_tab_request_close (opened);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  g_assert_cmpstr (bh_tab_get_uri (bh_window_get_tab (window, 1)), ==, "http://b.test/");

  close_window (window);
}

/* Issue 12: a page's new tab without user activation is blocked, and the user sees it:
 * a "Pop-up blocked" bar over the page, whose Allow opens it next to the page and whose
 * close button only closes the bar. */
static void
test_popup_blocked_notice (void)
{
  BhWindow *window = open_window ("http://popups.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  GtkWidget *page = bh_window_get_tab_page (window, tab);
  GtkWidget *view = page_view (window, tab);
  int view_height = gtk_widget_get_height (view);
  GtkWidget *label;
  GtkWidget *allow;

  g_assert_null (find_widget (page, GTK_TYPE_LABEL, "Pop-up blocked: http://popups.test/ad"));
  bh_fake_tab_block_popup (tab, "http://popups.test/ad");
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  label = find_widget (page, GTK_TYPE_LABEL, "Pop-up blocked: http://popups.test/ad");
  g_assert_nonnull (label);
  WAIT_FOR (gtk_widget_get_mapped (label));
  /* Above the page, which gives it room. */
  WAIT_FOR (gtk_widget_get_height (view) < view_height);

  bh_fake_tab_block_popup (tab, "http://popups.test/ad2");
  g_assert_nonnull (find_widget (page, GTK_TYPE_LABEL, "2 pop-ups blocked: http://popups.test/ad and 1 more"));

  allow = find_widget (page, GTK_TYPE_BUTTON, "_Allow");
  g_assert_nonnull (allow);
  click_center (allow);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  g_assert_cmpstr (bh_tab_get_uri (bh_window_get_tab (window, 1)), ==, "http://popups.test/ad");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (label, GTK_TYPE_BOX)));

  /* Closing the bar opens nothing. */
  gtk_notebook_set_current_page (GTK_NOTEBOOK (find_widget (GTK_WIDGET (window), GTK_TYPE_NOTEBOOK, NULL)), 0);
  WAIT_FOR (bh_window_get_current_tab (window) == tab);
  bh_fake_tab_block_popup (tab, "http://popups.test/ad3");
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  WAIT_FOR (gtk_widget_get_mapped (label));
  click_center (gtk_widget_get_last_child (gtk_widget_get_parent (label)));
  WAIT_FOR (!gtk_widget_get_mapped (label));
  g_assert_cmpuint (bh_tab_get_blocked_popup_count (tab), ==, 0);
  g_assert_cmpuint (bh_window_get_n_tabs (window), ==, 2);

  close_window (window);
}

static void
test_title_and_status (void)
{
  BhWindow *window = open_window ("http://title.test/", NULL);
  BhTab *tab = bh_window_get_current_tab (window);
  GtkWidget *view = page_view (window, tab);
  GdkCursor *cursor;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   "Fake http://title.test/ — Bulkhead");
  g_assert_cmpstr (status_text (window), ==, "Done");

  /* Over a link: the link in the status bar, a pointing hand. */
  bh_fake_tab_set_hover (tab, "http://title.test/next.html", 1);
  g_assert_cmpstr (status_text (window), ==, "http://title.test/next.html");
  cursor = gtk_widget_get_cursor (view);
  g_assert_nonnull (cursor);
  g_assert_cmpstr (gdk_cursor_get_name (cursor), ==, "pointer");

  bh_fake_tab_set_hover (tab, "", 0);
  g_assert_cmpstr (status_text (window), ==, "Done");
  g_assert_null (gtk_widget_get_cursor (view));

  close_window (window);
}

static void
test_sandbox_warning (void)
{
  BhBrowserOptions *options = bh_fake_browser_get_options (browser);
  BhWindow *window;
  GtkWidget *bar;

  options->no_sandbox = TRUE;
  window = open_window ("http://nosandbox.test/", NULL);
  bar = find_by_class (GTK_WIDGET (window), "warning-bar");
  g_assert_nonnull (bar);
  g_assert_true (gtk_widget_get_mapped (bar));
  g_assert_nonnull (find_widget (bar, GTK_TYPE_LABEL, NULL));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_widget (bar, GTK_TYPE_LABEL, NULL))),
                            "--no-sandbox"));
  close_window (window);

  options->no_sandbox = FALSE;
  window = open_window ("http://sandbox.test/", NULL);
  bar = find_by_class (GTK_WIDGET (window), "warning-bar");
  g_assert_false (gtk_widget_get_mapped (bar));
  close_window (window);
}

static int
tab_width (BhWindow *window, guint index)
{
  GtkWidget *page = bh_window_get_tab_page (window, bh_window_get_tab (window, index));
  GtkNotebook *notebook = GTK_NOTEBOOK (gtk_widget_get_ancestor (page, GTK_TYPE_NOTEBOOK));

  /* The notebook's tab node around the label. */
  return gtk_widget_get_width (gtk_widget_get_parent (gtk_notebook_get_tab_label (notebook, page)));
}

static void
test_tab_strip (void)
{
  BhWindow *window = open_window ("http://a.test/", "http://b.test/", NULL);
  int window_width = gtk_widget_get_width (GTK_WIDGET (window));
  int total;

  /* Few tabs: Chromium's width, not stretched across the window. */
  g_assert_cmpint (tab_width (window, 0), <=, 240);
  g_assert_cmpint (tab_width (window, 0), >=, 200);
  g_assert_cmpint (tab_width (window, 0), ==, tab_width (window, 1));

  /* Many: they shrink alike and the window keeps its width. */
  for (int i = 0; i < 14; i++)
    bh_window_open_url (window, "http://many.test/", -1, FALSE);
  WAIT_FOR (bh_window_get_n_tabs (window) == 16);
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  bh_test_spin (100);
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), ==, window_width);
  total = 0;
  for (guint i = 0; i < 16; i++)
    {
      g_assert_cmpint (tab_width (window, i), <, 200);
      total += tab_width (window, i);
    }
  g_assert_cmpint (total, <=, window_width);

  close_window (window);
}

static void
test_quit (void)
{
  BhWindow *first = open_window ("http://one.test/", NULL);
  BhWindow *second = open_window ("http://two.test/", NULL);

  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);

  press_key (GDK_CONTROL_MASK, XK_q);
  WAIT_FOR (first == NULL && second == NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));
}

/* How many pixels of the whole screen have @rgb. */
static gsize
count_screen_pixels (guint32 rgb)
{
  Display *display = xdisplay ();
  Window root = DefaultRootWindow (display);
  XWindowAttributes attributes;
  XImage *image;
  gsize count = 0;

  XGetWindowAttributes (display, root, &attributes);
  image = XGetImage (display, root, 0, 0, attributes.width, attributes.height, AllPlanes,
                     ZPixmap);
  g_assert_nonnull (image);
  for (int y = 0; y < attributes.height; y += 2)
    for (int x = 0; x < attributes.width; x += 2)
      if ((XGetPixel (image, x, y) & 0xffffff) == rgb)
        count++;
  XDestroyImage (image);

  return count;
}

static void
test_real_browser (void)
{
  const char *build_dir = g_getenv ("BULKHEAD_BUILDDIR");
  g_autofree char *browser_path = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (build_dir == NULL)
    {
      g_test_skip ("BULKHEAD_BUILDDIR is not set: run through meson test");
      return;
    }
  browser_path = g_build_filename (build_dir, "browser", "browser", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));

  /* The real thing: the browser process, a renderer, its frame in shared
   * memory, on this X server. --no-sandbox keeps it independent of what
   * the machine allows; the sandbox has tests of its own. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, browser_path, "--no-sandbox",
                              bh_test_user_data_dir_arg (),
                              "data:text/html,<body bgcolor=ff00ff><p>Bulkhead</p></body>",
                              NULL);
  g_assert_no_error (error);

  /* Its page, magenta, fills most of a 1200x800 window. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_screen_pixels (0xff00ff) < 100000 && g_get_monotonic_time () < deadline)
    bh_test_spin (100);
  g_assert_cmpuint (count_screen_pixels (0xff00ff), >=, 100000);

  /* Ctrl+W on its only tab closes the window, and the browser exits
   * cleanly. */
  press_key (GDK_CONTROL_MASK, XK_w);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    bh_test_spin (50);
  if (g_subprocess_get_identifier (process) != NULL)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      g_assert_not_reached ();
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpuint (count_screen_pixels (0xff00ff), ==, 0);
}

static void
test_no_x_server (void)
{
  g_test_skip ("no X server: install Xvfb (tools/debian-packages.txt)");
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (&argc, &argv, NULL);

  xvfb = bh_test_start_xvfb ("1400x1000x24", TRUE);
  if (xvfb == NULL && g_getenv ("DISPLAY") == NULL)
    {
      g_test_add_func ("/ui/no-x-server", test_no_x_server);
      return g_test_run ();
    }

  browser = bh_fake_browser_new ();
  application = bh_application_new (browser);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));

  g_test_add_func ("/ui/page-view/shows-frame", test_page_view_shows_frame);
  g_test_add_func ("/ui/page-view/input", test_page_view_input);
  g_test_add_func ("/ui/page-view/scrollbar", test_page_view_scrollbar);
  g_test_add_func ("/ui/shortcuts/new-and-close-tab", test_shortcuts_new_and_close_tab);
  g_test_add_func ("/ui/shortcuts/cycle-tabs", test_shortcuts_cycle_tabs);
  g_test_add_func ("/ui/shortcuts/navigation", test_shortcuts_navigation);
  g_test_add_func ("/ui/location/navigates", test_location_navigates);
  g_test_add_func ("/ui/location/suggestions", test_location_suggestions);
  g_test_add_func ("/ui/sad-tab/failed-states", test_sad_tab);
  g_test_add_func ("/ui/hang-dialog/wait-and-kill", test_hang_dialog);
  g_test_add_func ("/ui/window/tab-requests", test_tab_requests);
  g_test_add_func ("/ui/window/popup-blocked-notice", test_popup_blocked_notice);
  g_test_add_func ("/ui/window/title-and-status", test_title_and_status);
  g_test_add_func ("/ui/window/sandbox-warning", test_sandbox_warning);
  g_test_add_func ("/ui/window/tab-strip", test_tab_strip);
  g_test_add_func ("/ui/application/quit", test_quit);
  g_test_add_func ("/ui/real-browser/page-and-close", test_real_browser);

  status = g_test_run ();

  g_clear_object (&application);
  g_clear_object (&browser);
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  g_clear_object (&xvfb);
  return status;
}
