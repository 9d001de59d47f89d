/* test-crash-gui.c: the sad tab, the hang dialog and the task manager, on screen.
 *
 * The real browser (BhApplication over a BhBrowser with real, sandboxed
 * renderers) in a real GTK window on an X server: $DISPLAY when set (make
 * check runs the suite under xvfb-run), else an Xvfb of its own. What is
 * checked is what the window shows (labels' text, the rows of the task
 * manager, which page of a tab is up), and each state is saved as a
 * screenshot of the whole screen (import -window root) into
 * BUILDDIR/tests/crash-gui-screenshots/, for a person to look at.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gtk/gtk.h>

#include "bh-application.h"
#include "bh-process-list.h"
#include "bh-renderer-host.h"
#include "bh-tab-page.h"
#include "bh-task-manager.h"
#include "bh-test-util.h"
#include "bh-window.h"

#define WAIT_TIMEOUT_S 20
#define HANG_TIMEOUT_MS 1000u

static GSubprocess *xvfb;
static BhBrowser *browser;
static BhApplication *application;
static guint16 server_port;
static char *screenshot_dir;

/* ---- waiting ---- */

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

/* ---- the screen ---- */

/* The whole screen, as a person would see it, into SCREENSHOT_DIR/NAME.png. */
static void
screenshot (GtkWidget *widget, const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (screenshot_dir, file, NULL);
  g_autoptr (GError) error = NULL;
  int status = 0;
  const char *argv[] = { "import", "-window", "root", path, NULL };

  bh_test_wait_for_paint (widget, WAIT_TIMEOUT_S);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error))
    {
      g_test_message ("no screenshot %s: %s", path, error->message);
      return;
    }
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s", path);
}

/* ---- the pages: an HTTP server in a thread ---- */

static GBytes *
page_for (const char *path, const char **content_type)
{
  char *body = g_strdup_printf ("<html><head><title>Page %s</title></head><body><h1>Page %s</h1>"
                                "<p>A page of its own site, in a renderer of its own.</p>"
                                "</body></html>",
                                path, path);

  return g_bytes_new_take (body, strlen (body));
}

static char *
url_for (const char *host, const char *path)
{
  return g_strdup_printf ("http://%s:%u/%s", host, server_port, path);
}

/* ---- widgets ---- */

/* A GtkLabel or GtkButton under @root whose text is @text (a prefix when
 * @prefix), or NULL; with @mapped, only one that is on screen (the sad tab
 * and the hang dialog both carry the tab's status message). */
static GtkWidget *
find_text_full (GtkWidget *root, GType type, const char *text, gboolean prefix, gboolean mapped)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *label = NULL;
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          if (GTK_IS_LABEL (child))
            label = gtk_label_get_label (GTK_LABEL (child));
          else if (GTK_IS_BUTTON (child))
            label = gtk_button_get_label (GTK_BUTTON (child));
          if (label != NULL &&
              (prefix ? g_str_has_prefix (label, text) : g_str_equal (label, text)) &&
              (!mapped || gtk_widget_get_mapped (child)))
            return child;
        }
      found = find_text_full (child, type, text, prefix, mapped);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_text (GtkWidget *root, GType type, const char *text, gboolean prefix)
{
  return find_text_full (root, type, text, prefix, FALSE);
}

static gboolean
shows_text (GtkWidget *root, const char *text)
{
  return find_text_full (root, GTK_TYPE_LABEL, text, FALSE, TRUE) != NULL;
}

static gboolean
shows_prefix (GtkWidget *root, const char *prefix)
{
  return find_text_full (root, GTK_TYPE_LABEL, prefix, TRUE, TRUE) != NULL;
}

static gboolean
tab_is_complete (BhTab *tab)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL;
}

static int
tab_pid (BhTab *tab)
{
  int pid = 0;

  g_object_get (tab, "renderer-pid", &pid, NULL);
  return pid;
}

static BhTabPage *
page_of (BhWindow *window, BhTab *tab)
{
  return BH_TAB_PAGE (bh_window_get_tab_page (window, tab));
}

static void
select_tab (BhWindow *window, guint index)
{
  GtkNotebook *notebook = GTK_NOTEBOOK (gtk_widget_get_ancestor (
    bh_window_get_tab_page (window, bh_window_get_tab (window, index)), GTK_TYPE_NOTEBOOK));

  gtk_notebook_set_current_page (notebook, (int) index);
  WAIT_FOR (bh_window_get_current_tab (window) == bh_window_get_tab (window, index));
}

static void
crash (BhTab *tab)
{
  bh_tab_navigate (tab, "about:crash");
  WAIT_FOR (bh_tab_get_state (tab) == BH_TAB_STATE_CRASHED);
}

static BhTaskManager *
find_task_manager (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (BH_IS_TASK_MANAGER (window))
        return BH_TASK_MANAGER (window);
    }
  return NULL;
}

/* ---- the test ---- */

static void
test_sad_tab_hang_and_task_manager (void)
{
  g_autofree char *alpha_url = url_for ("alpha.test", "one");
  g_autofree char *beta_url = url_for ("beta.test", "two");
  const char *urls[] = { alpha_url, beta_url, NULL };
  BhWindow *window;
  BhTab *alpha;
  BhTab *beta;
  BhTabPage *page;
  BhTaskManager *task_manager;
  BhProcessList *list;
  GtkWidget *reload;
  GtkWidget *end;
  g_autofree char *beta_pid_text = NULL;
  int pid;
  int beta_pid;

  window = bh_application_open_window (application, urls);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  alpha = bh_window_get_tab (window, 0);
  beta = bh_window_get_tab (window, 1);
  WAIT_FOR (tab_is_complete (alpha) && tab_is_complete (beta));
  page = page_of (window, alpha);
  g_assert_true (bh_tab_is_visible (alpha));
  g_assert_false (bh_tab_is_visible (beta));
  screenshot (GTK_WIDGET (window), "01-page");

  /* about:crash: the sad tab, with the reason in plain words. */
  pid = tab_pid (alpha);
  crash (alpha);
  WAIT_FOR (bh_tab_page_is_showing_sad_tab (page));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_true (shows_text (GTK_WIDGET (page), "Aw, Snap!"));
  g_assert_true (shows_text (GTK_WIDGET (page),
                             "The renderer for http://alpha.test crashed (SIGSEGV)"));
  g_assert_false (shows_prefix (GTK_WIDGET (page), "This site's renderer"));
  screenshot (GTK_WIDGET (window), "02-sad-tab-crashed");

  /* Reload, clicked: a fresh renderer, the page back. */
  reload = find_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Reload", FALSE);
  g_assert_nonnull (reload);
  gtk_widget_activate (reload);
  WAIT_FOR (tab_is_complete (alpha));
  WAIT_FOR (!bh_tab_page_is_showing_sad_tab (page));
  g_assert_cmpint (tab_pid (alpha), >, 0);
  g_assert_cmpint (tab_pid (alpha), !=, pid);

  /* Twice more: the third crash in 30 s is said so. */
  crash (alpha);
  gtk_widget_activate (find_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Reload", FALSE));
  WAIT_FOR (tab_is_complete (alpha));
  crash (alpha);
  WAIT_FOR (bh_tab_page_is_showing_sad_tab (page));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_true (shows_text (GTK_WIDGET (page),
                             "This site's renderer has crashed 3 times in the last 30 seconds."));
  screenshot (GTK_WIDGET (window), "03-sad-tab-crashed-3-times");
  gtk_widget_activate (find_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Reload", FALSE));
  WAIT_FOR (tab_is_complete (alpha));

  /* about:hang: "Page Unresponsive" within the timeout; Exit page kills. */
  bh_tab_navigate (alpha, "about:hang");
  WAIT_FOR (bh_tab_get_state (alpha) == BH_TAB_STATE_UNRESPONSIVE);
  WAIT_FOR (bh_tab_page_is_showing_hang_dialog (page));
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_true (shows_text (GTK_WIDGET (page), "Page Unresponsive"));
  g_assert_true (shows_prefix (GTK_WIDGET (page), "The renderer for http://alpha.test has not responded for "));
  screenshot (GTK_WIDGET (window), "04-page-unresponsive");
  /* The seconds count up while the dialog is shown (it was 1 s, the
   * timeout, when it appeared). */
  WAIT_FOR (shows_text (GTK_WIDGET (page), "The renderer for http://alpha.test has not responded for 3 s"));
  WAIT_FOR (shows_text (GTK_WIDGET (page), "The renderer for http://alpha.test has not responded for 4 s"));
  pid = tab_pid (alpha);
  gtk_widget_activate (find_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Exit page", FALSE));
  WAIT_FOR (bh_tab_get_state (alpha) == BH_TAB_STATE_KILLED);
  WAIT_FOR (bh_tab_page_is_showing_sad_tab (page));
  WAIT_FOR (kill (pid, 0) != 0);
  bh_test_wait_for_paint (GTK_WIDGET (window), WAIT_TIMEOUT_S);
  g_assert_true (shows_text (GTK_WIDGET (page), "The renderer for http://alpha.test was killed "
                                                "(SIGKILL) after it stopped responding"));
  g_assert_false (bh_tab_page_is_showing_hang_dialog (page));
  /* Killed, not crashed: the crash count is not this tab's story. */
  g_assert_false (shows_prefix (GTK_WIDGET (page), "This site's renderer"));
  screenshot (GTK_WIDGET (window), "05-sad-tab-killed-after-hang");
  gtk_widget_activate (find_text (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Reload", FALSE));
  WAIT_FOR (tab_is_complete (alpha));

  /* The task manager, from the window's menu action (Shift+Esc). */
  {
    g_auto (GStrv) accels =
      gtk_application_get_accels_for_action (GTK_APPLICATION (application), "app.task-manager");

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Shift>Escape"));
  }
  g_action_group_activate_action (G_ACTION_GROUP (application), "task-manager", NULL);
  WAIT_FOR ((task_manager = find_task_manager ()) != NULL);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (task_manager)));
  list = bh_task_manager_get_process_list (task_manager);
  g_assert_true (list == bh_process_list_get_for_browser (browser));
  /* Every process: the browser and one renderer per site. */
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (list)) ==
            1 + g_list_model_get_n_items (bh_browser_get_renderer_hosts (browser)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  beta_pid = tab_pid (beta);
  beta_pid_text = g_strdup_printf ("%d", beta_pid);
  bh_test_spin (BH_TASK_MANAGER_REFRESH_MS + 200); /* a second sample: CPU % */
  bh_test_wait_for_paint (GTK_WIDGET (task_manager), WAIT_TIMEOUT_S);
  g_assert_true (shows_text (GTK_WIDGET (task_manager), "Browser"));
  g_assert_true (shows_text (GTK_WIDGET (task_manager), "http://beta.test"));
  g_assert_true (shows_text (GTK_WIDGET (task_manager), "Page /two"));
  g_assert_true (shows_text (GTK_WIDGET (task_manager), beta_pid_text));
  g_assert_true (shows_prefix (GTK_WIDGET (task_manager), "3 processes, "));
  {
    BhProcessInfo *info = bh_process_list_find_pid (list, beta_pid);

    g_assert_nonnull (info);
    g_assert_cmpuint (bh_process_info_get_rss_kib (info), >, 0);
    g_assert_cmpfloat (bh_process_info_get_cpu_percent (info), >=, 0.0);
    /* Read from /proc by the browser, not the renderer's own claim. */
    g_assert_cmpstr (bh_process_info_get_sandbox (info), !=, "");
    g_assert_cmpstr (bh_process_info_get_sandbox (info), !=, "starting");
    g_assert_true (shows_text (GTK_WIDGET (task_manager), bh_process_info_get_sandbox (info)));
  }
  screenshot (GTK_WIDGET (task_manager), "06-task-manager");

  /* End process on beta's renderer: its tab is killed, alpha's is not. */
  end = find_text (GTK_WIDGET (task_manager), GTK_TYPE_BUTTON, "_End process", FALSE);
  g_assert_nonnull (end);
  g_assert_true (bh_task_manager_select_pid (task_manager, (int) getpid ()));
  g_assert_false (gtk_widget_get_sensitive (end));
  g_assert_true (bh_task_manager_select_pid (task_manager, beta_pid));
  g_assert_true (gtk_widget_get_sensitive (end));
  gtk_widget_activate (end);
  WAIT_FOR (bh_tab_get_state (beta) == BH_TAB_STATE_KILLED);
  g_assert_cmpstr (bh_tab_get_status_message (beta), ==,
                   "The renderer for http://beta.test was killed (SIGKILL)");
  g_assert_cmpint (bh_tab_get_state (alpha), ==, BH_TAB_STATE_COMPLETE);
  /* Reaped, and gone from the rows at the next refresh. */
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (list)) == 2);
  WAIT_FOR (!shows_text (GTK_WIDGET (task_manager), beta_pid_text));
  screenshot (GTK_WIDGET (task_manager), "07-task-manager-after-end-process");
  g_assert_true (shows_prefix (GTK_WIDGET (task_manager), "2 processes, "));

  /* Alpha's renderer ended as well: the browser alone, in the singular, and
   * its message counts keep what the dead renderers exchanged. */
  {
    g_autoptr (BhProcessInfo) browser_row = g_list_model_get_item (G_LIST_MODEL (list), 0);
    guint64 in_before = 0, in_after = 0;

    bh_process_info_get_message_counts (browser_row, &in_before, NULL);
    g_assert_true (bh_task_manager_select_pid (task_manager, tab_pid (alpha)));
    gtk_widget_activate (end);
    WAIT_FOR (bh_tab_get_state (alpha) == BH_TAB_STATE_KILLED);
    WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (list)) == 1);
    WAIT_FOR (shows_prefix (GTK_WIDGET (task_manager), "1 process, "));
    bh_process_info_get_message_counts (browser_row, &in_after, NULL);
    g_assert_cmpuint (in_after, >=, in_before);
    screenshot (GTK_WIDGET (task_manager), "07b-task-manager-browser-alone");
  }

  select_tab (window, 1);
  WAIT_FOR (bh_tab_page_is_showing_sad_tab (page_of (window, beta)));
  g_assert_true (shows_text (GTK_WIDGET (page_of (window, beta)),
                             "The renderer for http://beta.test was killed (SIGKILL)"));
  gtk_window_destroy (GTK_WINDOW (task_manager));
  screenshot (GTK_WIDGET (window), "08-sad-tab-killed-from-task-manager");

  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (gtk_application_get_windows (GTK_APPLICATION (application)) == NULL);
}

int
main (int argc, char **argv)
{
  BhBrowserOptions *options;
  g_autoptr (GError) error = NULL;
  const char *build_dir;
  int status;

  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  if (g_getenv ("DISPLAY") == NULL &&
      (xvfb = bh_test_start_xvfb ("1400x1000x24", FALSE)) == NULL)
    {
      g_test_message ("no X server: neither $DISPLAY nor Xvfb");
      return 77;
    }
  build_dir = g_getenv ("BULKHEAD_BUILDDIR");
  g_assert_nonnull (build_dir);
  screenshot_dir = g_build_filename (build_dir, "tests", "crash-gui-screenshots", NULL);
  g_assert_no_errno (g_mkdir_with_parents (screenshot_dir, 0755));
  server_port = bh_test_http_server_start (4, page_for);

  options = bh_browser_options_new ();
  options->renderer_path = g_build_filename (build_dir, "renderer", "renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->hang_timeout_ms = HANG_TIMEOUT_MS;
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  application = bh_application_new (browser);
  bh_task_manager_attach (GTK_APPLICATION (application), browser);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));

  g_test_add_func ("/crash/gui/sad-tab-hang-task-manager", test_sad_tab_hang_and_task_manager);
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
