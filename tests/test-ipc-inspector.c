/* test-ipc-inspector.c: the IPC inspector on screen, with a real renderer.
 *
 * It opens from about:ipc, lists a page load's messages with named fields,
 * filters with --ipc-debug's globs, pauses, shows a selected message's fields
 * and fds and a FrameReady's thumbnail, and costs nothing once closed (no
 * trace sink left). A screenshot goes to BUILDDIR/tests/ipc-inspector.png.
 */
#include <signal.h>
#include <string.h>

#include <gtk/gtk.h>

#include "bh-application.h"
#include "bh-ipc-inspector.h"
#include "bh-test-util.h"
#include "bh-trace.h"
#include "bh-window.h"

#define WAIT_TIMEOUT_S 30

static GSubprocess *xvfb;
static BhBrowser *browser;
static BhApplication *application;
static char *build_dir;

#define WAIT_FOR(condition) \
  G_STMT_START { \
    gint64 wait_deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > wait_deadline) \
          g_error ("timed out waiting for: %s", #condition); \
        if (!g_main_context_iteration (NULL, FALSE)) \
          g_usleep (1000); \
      } \
  } G_STMT_END

static BhIpcInspector *
find_inspector (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (BH_IS_IPC_INSPECTOR (window))
        return BH_IPC_INSPECTOR (window);
    }
  return NULL;
}

static gssize
find_row (BhIpcInspector *inspector, const char *needle)
{
  for (guint i = 0; i < bh_ipc_inspector_get_n_rows (inspector); i++)
    {
      g_autofree char *text = bh_ipc_inspector_get_row_text (inspector, i);

      if (strstr (text, needle))
        return i;
    }
  return -1;
}

static void
screenshot (GtkWidget *widget, const char *path)
{
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { "import", "-window", "root", path, NULL };

  bh_test_wait_for_paint (widget, WAIT_TIMEOUT_S);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
    g_test_message ("no screenshot %s: %s", path, error->message);
  else
    g_test_message ("screenshot: %s", path);
}

static void
test_inspector (void)
{
  const char *open_it[] = { "about:ipc", NULL };
  const char *page = "data:text/html,<title>Inspected</title><body style='background:%23c00'><h1>Hello</h1>";
  g_autofree char *shot = g_build_filename (build_dir, "tests", "ipc-inspector.png", NULL);
  g_autofree char *details = NULL;
  BhWindow *window;
  BhIpcInspector *inspector;
  BhTab *tab;
  gssize commit, frame;
  guint all;

  g_assert_false (bh_trace_is_enabled ());
  window = bh_application_open_window (application, open_it);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  /* about:ipc opened it. */
  WAIT_FOR ((inspector = find_inspector ()) != NULL);
  g_assert_true (bh_trace_is_enabled ());
  tab = bh_window_get_current_tab (window);
  bh_tab_navigate (tab, page);
  WAIT_FOR (bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL);
  WAIT_FOR (find_row (inspector, "] FrameReady(") >= 0 || find_row (inspector, " FrameReady(view=1") >= 0);

  commit = find_row (inspector, "CommitNavigation(view=1, navigation=2, url='data:text/html,");
  g_assert_cmpint (commit, >=, 0);
  /* The body went through the commit's data pipe: its traffic is listed too. */
  {
    int pipe_row = find_row (inspector, " DataPipe(id=2, event='");
    g_autofree char *details = NULL;

    g_assert_cmpint (pipe_row, >, commit);
    bh_ipc_inspector_select (inspector, pipe_row);
    details = bh_ipc_inspector_get_details (inspector);
    g_assert_nonnull (strstr (details, "what='navigation body'"));
    g_assert_nonnull (strstr (details, "no message crossed the socket"));
  }
  {
    g_autofree char *text = bh_ipc_inspector_get_row_text (inspector, commit);
    g_test_message ("%s", text);
    g_assert_true (g_str_has_prefix (text, "browser "));
    g_assert_nonnull (strstr (text, " -> renderer "));
    g_assert_nonnull (strstr (text, "content_type='text/html'"));
    g_assert_nonnull (strstr (text, "fds=[memfd 266240 B seals=shrink,grow, socket]"));
  }

  /* A selected frame: its fields by name and a thumbnail of its bitmap. */
  frame = find_row (inspector, " FrameReady(view=1");
  bh_ipc_inspector_select (inspector, frame);
  details = bh_ipc_inspector_get_details (inspector);
  g_test_message ("%s", details);
  g_assert_nonnull (strstr (details, "  damage (a(iiii)) = [(0, 0, "));
  g_assert_nonnull (strstr (details, "  buffer (u) = "));
  g_assert_nonnull (bh_ipc_inspector_get_thumbnail (inspector));
  g_assert_cmpint (gdk_texture_get_width (bh_ipc_inspector_get_thumbnail (inspector)), ==,
                   BH_IPC_INSPECTOR_THUMBNAIL_PX);
  gtk_window_present (GTK_WINDOW (inspector));
  screenshot (GTK_WIDGET (inspector), shot);

  /* The same filter syntax as --ipc-debug. */
  all = bh_ipc_inspector_get_n_rows (inspector);
  bh_ipc_inspector_set_filter (inspector, "*,-Ping,-Pong,-Frame*");
  g_assert_cmpuint (bh_ipc_inspector_get_n_rows (inspector), <, all);
  g_assert_cmpint (find_row (inspector, " FrameReady("), <, 0);
  g_assert_cmpint (find_row (inspector, " Ping("), <, 0);
  bh_ipc_inspector_set_filter (inspector, "");

  /* Paused, a new load adds no rows; resumed, they come. */
  bh_ipc_inspector_set_paused (inspector, TRUE);
  all = bh_ipc_inspector_get_n_rows (inspector);
  bh_tab_navigate (tab, "data:text/html,<p>again");
  WAIT_FOR (bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && g_str_has_suffix (bh_tab_get_uri (tab), "again"));
  g_assert_cmpuint (bh_ipc_inspector_get_n_rows (inspector), ==, all);
  bh_ipc_inspector_set_paused (inspector, FALSE);
  WAIT_FOR (find_row (inspector, "url='data:text/html,<p>again'") >= 0);

  /* Closed, nothing listens: channels build no events. */
  gtk_window_destroy (GTK_WINDOW (inspector));
  g_assert_false (bh_trace_is_enabled ());
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (gtk_application_get_windows (GTK_APPLICATION (application)) == NULL);
}

int
main (int argc, char **argv)
{
  BhBrowserOptions *options;
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  if (g_getenv ("DISPLAY") == NULL && (xvfb = bh_test_start_xvfb ("1600x1000x24", FALSE)) == NULL)
    {
      g_test_message ("no X server: neither $DISPLAY nor Xvfb");
      return 77;
    }
  build_dir = g_strdup (g_getenv ("BULKHEAD_BUILDDIR"));
  g_assert_nonnull (build_dir);

  options = bh_browser_options_new ();
  options->renderer_path = g_build_filename (build_dir, "renderer", "renderer", NULL);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  application = bh_application_new (browser);
  bh_ipc_inspector_attach (GTK_APPLICATION (application), browser);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));

  g_test_add_func ("/ipc/inspector", test_inspector);
  status = g_test_run ();

  g_clear_object (&application);
  bh_browser_shutdown (browser, 2000);
  g_clear_object (&browser);
  if (xvfb)
    {
      g_subprocess_force_exit (xvfb);
      g_clear_object (&xvfb);
    }
  g_free (build_dir);
  return status;
}
