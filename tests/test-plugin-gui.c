/* test-plugin-gui.c: plugins in the page view, as a person sees and uses them.
 *
 * A real GTK window on an X server (its own Xvfb, or $DISPLAY) shows a real
 * tab through BhPageView; the renderer and the plugin hosts are the real
 * ones, sandboxed, and the pages come from /usr/bin/python3 -m http.server
 * on 127.0.0.1. The pointer and the wheel are XTest's, and what is checked
 * is what the X server shows (XGetImage): the PDF composited over the page
 * at its box, moving with the page's scroll, the wheel over it going to the
 * PDF, the crash placeholder after a SIGKILL and a click on it bringing the
 * PDF back, a full-tab PDF following the window's size.
 *
 * Pictures of the screen go to a temporary directory named in the TAP
 * output; set BULKHEAD_KEEP_TEST_OUTPUT=1 to keep them.
 */
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "bh-browser.h"
#include "bh-page-view.h"
#include "bh-plugin-host.h"
#include "bh-tab-plugins.h"
#include "bh-test-util.h"
#include "bh-xtest-util.h"
#include "plugin-test-util.h"

#define WINDOW_WIDTH 900
#define WINDOW_HEIGHT 650
#define BUTTON_WHEEL_DOWN 5

static GSubprocess *xvfb;

typedef struct {
  char *site_dir;
  char *output_dir;
  PluginTestServer *server;
  BhBrowser *browser;
  BhTab *tab;
  GtkWidget *window;
  GtkWidget *view;
} Fixture;

static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

/* What the X server shows of @widget, as a cairo image. */
static cairo_surface_t *
screen_of (GtkWidget *widget)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  int root_x, root_y;
  XImage *image;

  bh_xtest_widget_to_root (widget, 0, 0, &root_x, &root_y);
  image = XGetImage (xdisplay (), DefaultRootWindow (xdisplay ()), root_x, root_y, (unsigned) width,
                     (unsigned) height, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  cairo_surface_flush (surface);
  for (int y = 0; y < height; y++)
    {
      guint32 *row = (guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < width; x++)
        row[x] = 0xff000000u | (guint32) (XGetPixel (image, x, y) & 0xffffff);
    }
  cairo_surface_mark_dirty (surface);
  XDestroyImage (image);
  return surface;
}

/* A press and release of X button @button (4 and 5 are the wheel). */
static void
press_button (guint button)
{
  bh_xtest_button (button, TRUE);
  bh_xtest_button (button, FALSE);
  bh_test_spin (50);
}

/* ---- the tab ---- */

static BhPluginFrame *
area_of (BhTab *tab, guint index)
{
  g_autoptr (GPtrArray) frames = bh_tab_get_plugin_frames (tab);

  return index < frames->len ? g_ptr_array_steal_index (frames, index) : NULL;
}

static gboolean
area_is (BhTab *tab, BhPluginAreaState state)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, 0);

  return area != NULL && area->state == state && area->texture != NULL;
}

static gboolean
tab_shows_plugin (BhTab *tab)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL &&
         area_is (tab, BH_PLUGIN_AREA_RUNNING);
}

static gboolean
texture_has_size (BhTab *tab, int width, int height)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, 0);

  return area != NULL && area->texture != NULL && gdk_texture_get_width (area->texture) == width &&
         gdk_texture_get_height (area->texture) == height;
}

/* The area shows a frame other than @shown (NULL once that one is freed). */
static gboolean
texture_is_not (BhTab *tab, GdkTexture *shown)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, 0);

  return area != NULL && area->texture != NULL && area->texture != shown;
}

static int
scroll_y_of (BhTab *tab)
{
  int scroll_y = 0;

  g_object_get (tab, "scroll-y", &scroll_y, NULL);
  return scroll_y;
}

/* The part of the area inside the view, in view px. */
static void
visible_rect (const BhPluginFrame *area, int *x0, int *y0, int *x1, int *y1)
{
  *x0 = MAX (area->x_px, 0);
  *y0 = MAX (area->y_px, 0);
  *x1 = area->x_px + area->width_px;
  *y1 = area->y_px + area->height_px;
}

/* The screen shows a PDF page in the area: white paper, dark text, not the
 * renderer's grey box beneath. */
static void
assert_screen_shows_pdf (cairo_surface_t *screen, const BhPluginFrame *area)
{
  int x0, y0, x1, y1;
  gsize all;

  visible_rect (area, &x0, &y0, &x1, &y1);
  all = (gsize) (x1 - x0) * (gsize) (y1 - y0);
  g_assert_cmpuint (plugin_test_count_pixels (screen, x0, y0, x1, y1, plugin_test_is_white), >, all / 4);
  g_assert_cmpuint (plugin_test_count_pixels (screen, x0, y0, x1, y1, plugin_test_is_dark), >, 200);
  g_assert_cmpuint (plugin_test_count_pixels (screen, x0, y0, x1, y1, plugin_test_is_renderer_grey), <, all / 100);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  BhBrowserOptions *options = bh_browser_options_new ();

  f->site_dir = plugin_test_site_new (NULL);
  f->output_dir = plugin_test_output_dir_new ();
  f->server = plugin_test_server_start (f->site_dir, "127.0.0.1");
  options->window_width_px = WINDOW_WIDTH;
  options->window_height_px = WINDOW_HEIGHT;
  f->browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  f->tab = bh_browser_new_tab (f->browser);
  f->view = bh_page_view_new (f->tab);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_set_decorated (GTK_WINDOW (f->window), FALSE);
  gtk_window_set_child (GTK_WINDOW (f->window), f->view);
  gtk_window_present (GTK_WINDOW (f->window));
  PLUGIN_TEST_WAIT_FOR (gtk_widget_get_mapped (f->view) && gtk_widget_get_width (f->view) > 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  bh_tab_close (f->tab);
  g_clear_object (&f->tab);
  bh_browser_shutdown (f->browser, 2000);
  g_clear_object (&f->browser);
  plugin_test_server_stop (f->server);
  plugin_test_site_free (f->site_dir);
  plugin_test_output_dir_free (f->output_dir);
}

static void
navigate (Fixture *f, const char *path)
{
  g_autofree char *url = g_strconcat (plugin_test_server_get_base_url (f->server), path, NULL);

  bh_tab_navigate (f->tab, url);
}

/* An embedded PDF on screen: composited at its box, scrolled with the page,
 * the wheel over it is its own, the crash placeholder and a click on it. */
static void
test_embedded_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr (BhPluginFrame) area = NULL;
  g_autoptr (BhPluginFrame) moved = NULL;
  g_autoptr (BhPluginFrame) crashed = NULL;
  g_autoptr (BhPluginFrame) back = NULL;
  cairo_surface_t *screen;
  BhPluginHost *host = NULL;
  GListModel *hosts;
  int scroll_y, old_pid;

  navigate (f, "plugin-embed-pdf.html");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (f->tab));
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  area = area_of (f->tab, 0);
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-embedded-pdf.png");
  assert_screen_shows_pdf (screen, area);
  /* The page's own text above the box is the renderer's frame. */
  g_assert_cmpuint (plugin_test_count_pixels (screen, 0, 0, WINDOW_WIDTH, area->y_px, plugin_test_is_dark), >, 200);
  cairo_surface_destroy (screen);

  /* The wheel outside the box scrolls the page; the PDF moves with it. */
  bh_xtest_move_pointer (f->view, WINDOW_WIDTH - 40, WINDOW_HEIGHT - 40);
  press_button (BUTTON_WHEEL_DOWN);
  press_button (BUTTON_WHEEL_DOWN);
  PLUGIN_TEST_WAIT_FOR (scroll_y_of (f->tab) >= 60);
  bh_test_spin (200);
  scroll_y = scroll_y_of (f->tab);
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  moved = area_of (f->tab, 0);
  g_assert_cmpint (moved->y_px, ==, area->y_px - scroll_y);
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-scrolled.png");
  assert_screen_shows_pdf (screen, moved);
  cairo_surface_destroy (screen);

  /* The wheel over the box scrolls the PDF, not the page. */
  {
    g_autoptr (BhPluginFrame) before = area_of (f->tab, 0);
    cairo_surface_t *first = plugin_test_texture_to_surface (before->texture);
    /* Not kept alive: a held frame is one the plugin host may not paint over. */
    GdkTexture *shown = before->texture;
    int x0, y0, x1, y1;
    gsize changed = 0;
    cairo_surface_t *after;

    g_object_add_weak_pointer (G_OBJECT (shown), (gpointer *) &shown);
    visible_rect (moved, &x0, &y0, &x1, &y1);
    g_clear_pointer (&before, bh_plugin_frame_free);
    bh_xtest_move_pointer (f->view, (x0 + x1) / 2.0, (y0 + y1) / 2.0);
    press_button (BUTTON_WHEEL_DOWN);
    press_button (BUTTON_WHEEL_DOWN);
    PLUGIN_TEST_WAIT_FOR (texture_is_not (f->tab, shown));
    if (shown != NULL)
      g_object_remove_weak_pointer (G_OBJECT (shown), (gpointer *) &shown);
    bh_test_spin (100);
    bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
    before = area_of (f->tab, 0);
    after = plugin_test_texture_to_surface (before->texture);
    for (int y = 0; y < cairo_image_surface_get_height (first); y++)
      {
        const guint32 *a = (const guint32 *) (cairo_image_surface_get_data (first) + y * cairo_image_surface_get_stride (first));
        const guint32 *b = (const guint32 *) (cairo_image_surface_get_data (after) + y * cairo_image_surface_get_stride (after));

        for (int x = 0; x < cairo_image_surface_get_width (first); x++)
          changed += a[x] != b[x];
      }
    g_assert_cmpuint (changed, >, 5000);
    g_assert_cmpint (scroll_y_of (f->tab), ==, scroll_y);
    cairo_surface_destroy (first);
    cairo_surface_destroy (after);
  }

  /* SIGKILL the plugin host: the placeholder, on screen. */
  hosts = bh_browser_get_plugin_hosts (f->browser);
  host = g_list_model_get_item (hosts, 0);
  old_pid = bh_plugin_host_get_pid (host);
  g_clear_object (&host);
  g_assert_no_errno (kill (old_pid, SIGKILL));
  PLUGIN_TEST_WAIT_FOR (area_is (f->tab, BH_PLUGIN_AREA_CRASHED));
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  crashed = area_of (f->tab, 0);
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-plugin-crashed.png");
  {
    int x0, y0, x1, y1;

    visible_rect (crashed, &x0, &y0, &x1, &y1);
    g_assert_cmpuint (plugin_test_count_pixels (screen, x0, y0, x1, y1, plugin_test_is_placeholder_grey), >,
                      (gsize) (x1 - x0) * (y1 - y0) / 2);
    g_assert_cmpuint (plugin_test_count_pixels (screen, x0, y0, x1, y1, plugin_test_is_dark), >, 50);
    cairo_surface_destroy (screen);

    /* A click on it reloads the plugin, in a new plugin host. */
    bh_xtest_move_pointer (f->view, (x0 + x1) / 2.0, (y0 + y1) / 2.0);
    press_button (1);
  }
  PLUGIN_TEST_WAIT_FOR (area_is (f->tab, BH_PLUGIN_AREA_RUNNING));
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  back = area_of (f->tab, 0);
  g_assert_cmpint (back->host_pid, >, 0);
  g_assert_cmpint (back->host_pid, !=, old_pid);
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-plugin-reloaded.png");
  assert_screen_shows_pdf (screen, back);
  cairo_surface_destroy (screen);
}

/* A full-tab PDF fills the view and follows the window's size. */
static void
test_full_tab_resize (Fixture *f, gconstpointer data)
{
  g_autoptr (BhPluginFrame) area = NULL;
  g_autoptr (BhPluginFrame) resized = NULL;
  cairo_surface_t *screen;
  int width, height;

  navigate (f, "spec.pdf");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (f->tab));
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  area = area_of (f->tab, 0);
  g_assert_true (area->full_tab);
  g_assert_cmpint (area->width_px, ==, gtk_widget_get_width (f->view));
  g_assert_cmpint (area->height_px, ==, gtk_widget_get_height (f->view));
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-full-tab.png");
  assert_screen_shows_pdf (screen, area);
  cairo_surface_destroy (screen);

  /* The window gets smaller, as a window manager would make it. */
  XResizeWindow (xdisplay (), gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f->window))), 600, 450);
  XFlush (xdisplay ());
  PLUGIN_TEST_WAIT_FOR (gtk_widget_get_width (f->view) == 600);
  width = gtk_widget_get_width (f->view);
  height = gtk_widget_get_height (f->view);
  PLUGIN_TEST_WAIT_FOR (texture_has_size (f->tab, width, height));
  resized = area_of (f->tab, 0);
  bh_test_wait_for_paint (f->view, PLUGIN_TEST_TIMEOUT_S);
  screen = screen_of (f->view);
  plugin_test_save (screen, f->output_dir, "gui-full-tab-resized.png");
  assert_screen_shows_pdf (screen, resized);
  cairo_surface_destroy (screen);
}

static void
test_no_x_server (void)
{
  g_test_skip ("no X server: install Xvfb (tools/debian-packages.txt)");
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  xvfb = bh_test_start_xvfb ("1200x900x24", TRUE);
  if (xvfb == NULL && g_getenv ("DISPLAY") == NULL)
    {
      g_test_add_func ("/gui/plugin/no-x-server", test_no_x_server);
      return g_test_run ();
    }
  /* XTest and XGetImage need the X11 backend; the rest keeps GTK off the
   * session bus and its settings, which a test machine may not have. */
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();

  g_test_add ("/gui/plugin/embedded-pdf", Fixture, NULL, fixture_set_up, test_embedded_pdf, fixture_tear_down);
  g_test_add ("/gui/plugin/full-tab-resize", Fixture, NULL, fixture_set_up, test_full_tab_resize,
              fixture_tear_down);
  result = g_test_run ();
  if (xvfb != NULL)
    g_subprocess_force_exit (xvfb);
  return result;
}
