/* bh-xtest-util.c: a user's hands on a GTK window under Xvfb (bh-xtest-util.h). */
#include "bh-xtest-util.h"

#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bh-test-util.h"


static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

void
bh_xtest_widget_to_root (GtkWidget *widget, double x, double y, int *root_x, int *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double surface_x, surface_y;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &surface_x, &surface_y);
  XTranslateCoordinates (xdisplay (), gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (xdisplay ()), (int) (point.x + surface_x), (int) (point.y + surface_y),
                         root_x, root_y, &child);
}

/* The colour the X server shows at (x, y) of @widget, 0xRRGGBB. */
guint32
bh_xtest_screen_pixel (GtkWidget *widget, double x, double y)
{
  int root_x, root_y;
  XImage *image;
  unsigned long pixel;

  bh_xtest_widget_to_root (widget, x, y, &root_x, &root_y);
  image = XGetImage (xdisplay (), DefaultRootWindow (xdisplay ()), root_x, root_y, 1, 1, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  pixel = XGetPixel (image, 0, 0);
  XDestroyImage (image);
  return (guint32) (pixel & 0xffffff);
}

void
bh_xtest_modifiers (guint modifiers, gboolean down)
{
  Display *display = xdisplay ();

  if (modifiers & GDK_CONTROL_MASK)
    XTestFakeKeyEvent (display, XKeysymToKeycode (display, XK_Control_L), down, CurrentTime);
  if (modifiers & GDK_SHIFT_MASK)
    XTestFakeKeyEvent (display, XKeysymToKeycode (display, XK_Shift_L), down, CurrentTime);
  if (modifiers & GDK_ALT_MASK)
    XTestFakeKeyEvent (display, XKeysymToKeycode (display, XK_Alt_L), down, CurrentTime);
}

void
bh_xtest_press_key (guint modifiers, guint keysym)
{
  Display *display = xdisplay ();
  KeyCode key = XKeysymToKeycode (display, keysym);

  g_assert_cmpuint (key, !=, 0);
  bh_xtest_modifiers (modifiers, True);
  XTestFakeKeyEvent (display, key, True, CurrentTime);
  XTestFakeKeyEvent (display, key, False, CurrentTime);
  bh_xtest_modifiers (modifiers, False);
  XFlush (display);
  bh_test_spin (100);
}

void
bh_xtest_type_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    bh_xtest_press_key (g_ascii_isupper (*p) ? GDK_SHIFT_MASK : 0, (guint) g_ascii_tolower (*p));
}

void
bh_xtest_move_pointer (GtkWidget *widget, double x, double y)
{
  int root_x, root_y;

  bh_xtest_widget_to_root (widget, x, y, &root_x, &root_y);
  XTestFakeMotionEvent (xdisplay (), -1, root_x, root_y, CurrentTime);
  XFlush (xdisplay ());
  bh_test_spin (50);
}

void
bh_xtest_button (guint number, gboolean down)
{
  XTestFakeButtonEvent (xdisplay (), number, down, CurrentTime);
  XFlush (xdisplay ());
}

/* @count quick clicks of button 1 (a double or triple click), with
 * @modifiers held. */
void
bh_xtest_click (GtkWidget *widget, double x, double y, guint count, guint modifiers)
{
  bh_xtest_move_pointer (widget, x, y);
  bh_xtest_modifiers (modifiers, True);
  for (guint i = 0; i < count; i++)
    {
      bh_xtest_button (1, TRUE);
      bh_xtest_button (1, FALSE);
    }
  bh_xtest_modifiers (modifiers, False);
  XFlush (xdisplay ());
  bh_test_spin (100);
}

void
bh_xtest_drag (GtkWidget *widget, double x0, double y0, double x1, double y1)
{
  bh_xtest_move_pointer (widget, x0, y0);
  bh_xtest_button (1, TRUE);
  bh_test_spin (50);
  for (int i = 1; i <= 8; i++)
    bh_xtest_move_pointer (widget, x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8);
  bh_xtest_button (1, FALSE);
  bh_test_spin (100);
}

static void
communicated_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* What another X client reads from a selection ("primary" or "clipboard"):
 * xclip asks the X server, which asks the browser, so the loop runs meanwhile. */
char *
bh_xtest_xclip_read (const char *selection)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) xclip =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, "xclip", "-o",
                      "-selection", selection, NULL);
  g_autoptr (GBytes) out = NULL;
  GAsyncResult *result = NULL;
  gsize len;
  const char *data;

  g_assert_no_error (error);
  g_subprocess_communicate_async (xclip, NULL, NULL, communicated_cb, &result);
  BH_XTEST_WAIT_FOR (result != NULL);
  g_subprocess_communicate_finish (xclip, result, &out, NULL, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  data = g_bytes_get_data (out, &len);
  return g_strndup (data != NULL ? data : "", len);
}

void
bh_xtest_focus_window (GtkWindow *window)
{
  XSetInputFocus (xdisplay (), gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  XFlush (xdisplay ());
  BH_XTEST_WAIT_FOR (gtk_window_is_active (window));
}

void
bh_xtest_click_button (GtkWidget *widget, double x, double y, guint number)
{
  bh_xtest_move_pointer (widget, x, y);
  bh_xtest_button (number, TRUE);
  bh_xtest_button (number, FALSE);
  bh_test_spin (100);
}

char *
bh_xtest_screenshot (GtkWidget *widget, const char *directory, const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  char *path = g_build_filename (directory, file, NULL);
  int status = 0;
  const char *argv[] = { "import", "-window", "root", path, NULL };

  bh_test_wait_for_paint (widget, BH_XTEST_WAIT_TIMEOUT_S);
  bh_test_spin (200);
  if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL))
    g_test_message ("screenshot: %s", path);
  return path;
}
