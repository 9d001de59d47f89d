/* test-ui.c: the browser window as a person uses it, with a fake tab.
 *
 * Runs a real GTK window on an X server (its own Xvfb, started on a free
 * display number), types and clicks through XTest as a user would, and reads
 * what the X server shows (XGetImage) to check pixels. The tabs are the
 * stand-ins of ui-fake-tab.c, so what the window sends a tab is logged and
 * what a tab reports can be staged.
 */
#include <fcntl.h>
#include <math.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bh-application.h"
#include "bh-page-view.h"
#include "bh-tab-page.h"
#include "bh-window.h"
#include "ui-fake-tab.h"

#define WAIT_TIMEOUT_S 10

static GSubprocess *xvfb;
static BhBrowser *browser;
static BhApplication *application;

/* ---- the X server ---- */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts Xvfb on a display number it picks itself (-displayfd), so that
 * parallel test runs do not collide. Returns FALSE when there is no Xvfb;
 * then an existing $DISPLAY is used, if any. */
static gboolean
start_xvfb (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xvfb_path = g_find_program_in_path ("Xvfb");
  g_autofree char *display = NULL;
  GString *number = g_string_new (NULL);
  int fds[2];
  char c;

  if (xvfb_path == NULL)
    return FALSE;

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, xvfb_path,
                                      "-displayfd", "3",
                                      "-screen", "0", "1400x1000x24",
                                      "-nolisten", "tcp",
                                      "-noreset",
                                      NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);

  /* Xvfb writes the display number and a newline once it accepts clients. */
  while (read (fds[0], &c, 1) == 1 && c != '\n')
    g_string_append_c (number, c);
  close (fds[0]);
  g_assert_cmpuint (number->len, >, 0);

  display = g_strdup_printf (":%s", number->str);
  g_setenv ("DISPLAY", display, TRUE);
  g_string_free (number, TRUE);
  return TRUE;
}

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

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* Lets the window draw what it has: a few frame clock cycles, then a round
 * trip so that the X server holds the pixels. */
static void
wait_for_paint (GtkWidget *widget)
{
  guint frames = 0;
  guint id;

  gtk_widget_queue_draw (widget);
  id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  WAIT_FOR (frames >= 3);
  gtk_widget_remove_tick_callback (widget, id);
  XSync (xdisplay (), False);
}

static void
spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

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
  spin (50);
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
  spin (50);
}

static void
click (GtkWidget *widget, double x, double y, guint button)
{
  move_pointer (widget, x, y);
  XTestFakeButtonEvent (xdisplay (), button, True, CurrentTime);
  XTestFakeButtonEvent (xdisplay (), button, False, CurrentTime);
  XFlush (xdisplay ());
  spin (50);
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
  wait_for_paint (GTK_WIDGET (window));

  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  return window;
}

static void
close_window (BhWindow *window)
{
  if (window == NULL)
    return;

  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
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
  wait_for_paint (GTK_WIDGET (window));
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

static void
test_shortcuts_new_and_close_tab (void)
{
  BhWindow *window = open_window ("http://one.test/", NULL);
  BhTab *first = bh_window_get_current_tab (window);
  BhTab *second;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  /* Ctrl+T: a blank tab, current, with the address entry focused. */
  press_key (GDK_CONTROL_MASK, XK_t);
  WAIT_FOR (bh_window_get_n_tabs (window) == 2);
  second = bh_window_get_current_tab (window);
  g_assert_true (second != first);
  g_assert_cmpstr (bh_tab_get_uri (second), ==, "about:blank");
  g_assert_true (bh_window_get_tab (window, 1) == second);
  WAIT_FOR (has_focus_within (window, url_entry (window)));

  close_window (window);
}

static void
test_shortcuts_cycle_tabs (void)
{
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

  if (!start_xvfb () && g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("no X server: install Xvfb");
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

  status = g_test_run ();

  g_clear_object (&application);
  g_clear_object (&browser);
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  g_clear_object (&xvfb);
  return status;
}
