/* test-crash.c: crash isolation with real renderers (issue #6).
 *
 * Tabs are driven without a window, as tests/test-browser-core.c does, but
 * against the real renderer in its real sandbox (bubblewrap when the
 * machine allows it), with pages from a small HTTP server in this process
 * that listens on every address, so that --host-resolver-rules can map the
 * sites to 127.0.0.1. What is checked is what a user would see: the tab's
 * state and its plain-words reason, frames that keep coming for the other
 * sites' tabs, a fresh renderer on reload, the hang monitor's "unresponsive"
 * within its timeout, and the browser killing a renderer that writes
 * garbage on its channel.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bh-browser.h"
#include "bh-hang-monitor.h"
#include "bh-launcher.h"
#include "bh-renderer-host.h"
#include "bh-tab.h"
#include "bh-process-list.h"
#include "bh-test-util.h"

#define WAIT_TIMEOUT_MS 20000
#define HANG_TIMEOUT_MS 1000u

static guint16 server_port;

/* ---- the HTTP server: every path is a page titled with the path, tall
 * enough to scroll ---- */

static GBytes *
page_for (const char *path, const char **content_type)
{
  GString *body = g_string_new (NULL);

  if (path == NULL)
    path = "?";
  g_string_append_printf (body, "<html><head><title>%s</title></head><body><h1>%s</h1>", path,
                          path);
  for (int i = 0; i < 150; i++)
    g_string_append_printf (body, "<p>Line %d of %s, to make the page taller than its tab.</p>",
                            i, path);
  g_string_append (body, "</body></html>");
  return g_string_free_to_bytes (body);
}

static void
start_server (void)
{
  if (server_port == 0)
    server_port = bh_test_http_server_start (8, page_for);
}

static char *
url_for (const char *host, const char *path)
{
  return g_strdup_printf ("http://%s:%u/%s", host, server_port, path);
}

/* ---- the browser ---- */

static char *
renderer_path (void)
{
  const char *build_dir = g_getenv ("BULKHEAD_BUILDDIR");

  g_assert_nonnull (build_dir);
  return g_build_filename (build_dir, "renderer", "renderer", NULL);
}

static BhBrowser *
new_browser_full (const char *cmd_prefix, const char *renderer, gboolean disable_kill)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (GError) error = NULL;
  BhBrowser *browser;

  options->renderer_path = renderer != NULL ? g_strdup (renderer) : renderer_path ();
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->window_width_px = 400;
  options->window_height_px = 300;
  options->hang_timeout_ms = HANG_TIMEOUT_MS;
  options->disable_kill_after_bad_ipc = disable_kill;
  if (cmd_prefix != NULL)
    options->renderer_cmd_prefix = g_strsplit (cmd_prefix, " ", -1);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  return browser;
}

static BhBrowser *
new_browser (void)
{
  return new_browser_full (NULL, NULL, FALSE);
}

static gboolean
tab_idle (gpointer data)
{
  BhTab *tab = data;

  return !bh_tab_is_loading (tab) && bh_tab_get_state (tab) != BH_TAB_STATE_LOADING &&
         (bh_tab_get_state (tab) != BH_TAB_STATE_COMPLETE || bh_tab_get_frame (tab) != NULL);
}

static gboolean
tab_failed (gpointer data)
{
  BhTabState state = bh_tab_get_state (data);

  return state != BH_TAB_STATE_LOADING && state != BH_TAB_STATE_COMPLETE &&
         state != BH_TAB_STATE_UNRESPONSIVE;
}

static gboolean
tab_complete (gpointer data)
{
  return bh_tab_get_state (data) == BH_TAB_STATE_COMPLETE;
}

static gboolean
tab_unresponsive (gpointer data)
{
  return bh_tab_get_state (data) == BH_TAB_STATE_UNRESPONSIVE;
}

static void
load (BhTab *tab, const char *url)
{
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, url);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  g_assert_cmpstr (bh_tab_get_uri (tab), ==, url);
  g_assert_nonnull (bh_tab_get_frame (tab));
}

static int
tab_pid (BhTab *tab)
{
  int pid = 0;

  g_object_get (tab, "renderer-pid", &pid, NULL);
  return pid;
}

static guint
n_hosts (BhBrowser *browser)
{
  return g_list_model_get_n_items (bh_browser_get_renderer_hosts (browser));
}

typedef struct {
  BhBrowser *browser;
  guint n;
} HostCount;

static gboolean
hosts_are (gpointer data)
{
  HostCount *count = data;

  return n_hosts (count->browser) == count->n;
}

static char *
describe_hosts (gpointer data)
{
  HostCount *count = data;

  return g_strdup_printf ("%u renderers, not %u", n_hosts (count->browser), count->n);
}

static void
wait_for_hosts (BhBrowser *browser, guint n, const char *what)
{
  HostCount count = { browser, n };

  bh_test_wait_until_full (WAIT_TIMEOUT_MS, hosts_are, describe_hosts, &count, what);
}

/* No child left, not even a zombie: waitpid(2) has nobody to wait for. */
static void
shutdown_browser (BhBrowser *browser)
{
  bh_browser_shutdown (browser, 2000);
  g_assert_cmpuint (n_hosts (browser), ==, 0);
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

/* ---- frames ---- */

typedef struct {
  BhTab *tab;
  guint frames;      /* frame-changed emissions with a frame */
  GdkTexture *first; /* the frame when counting started */
} FrameWatch;

static void
frame_changed_cb (BhTab *tab, FrameWatch *watch)
{
  if (bh_tab_get_frame (tab) != NULL && bh_tab_get_frame (tab) != watch->first)
    watch->frames++;
}

static gboolean
new_frame (gpointer data)
{
  return ((FrameWatch *) data)->frames > 0;
}

/* Scrolls @tab and waits for the frame its renderer paints for that: the
 * proof that the renderer and its channel still work. */
static void
assert_scroll_paints (BhTab *tab)
{
  FrameWatch watch = { tab, 0, bh_tab_get_frame (tab) };
  int scroll_y = 0;
  gulong id;

  g_assert_nonnull (watch.first);
  id = g_signal_connect (tab, "frame-changed", G_CALLBACK (frame_changed_cb), &watch);
  bh_tab_send_scroll (tab, 0, 120);
  bh_test_wait_until (WAIT_TIMEOUT_MS, new_frame, &watch, "a frame after scrolling");
  g_signal_handler_disconnect (tab, id);
  g_object_get (tab, "scroll-y", &scroll_y, NULL);
  g_assert_cmpint (scroll_y, >, 0);
}

/* ---- tests ---- */

static void
log_sandbox (void)
{
  g_autofree char *description = bh_launcher_probe_describe (bh_launcher_probe ());

  g_test_message ("%s", description);
}

/* Two sites, three tabs; SIGKILL one renderer from outside. */
static void
test_kill_one_of_two (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) a1 = bh_browser_new_tab (browser);
  g_autoptr (BhTab) a2 = bh_browser_new_tab (browser);
  g_autoptr (BhTab) b = bh_browser_new_tab (browser);
  g_autofree char *a1_url = url_for ("alpha.test", "one");
  g_autofree char *a2_url = url_for ("www.alpha.test", "two");
  g_autofree char *b_url = url_for ("beta.test", "three");
  BhRendererHost *alpha;
  int alpha_pid, beta_pid, new_pid;
  guint64 browser_in_before = 0, browser_out_before = 0;

  log_sandbox ();
  load (a1, a1_url);
  load (a2, a2_url);
  load (b, b_url);
  alpha_pid = tab_pid (a1);
  beta_pid = tab_pid (b);
  g_assert_cmpint (alpha_pid, >, 0);
  g_assert_cmpint (tab_pid (a2), ==, alpha_pid);
  g_assert_cmpint (beta_pid, !=, alpha_pid);
  alpha = g_object_ref (bh_tab_get_renderer_host (a1));
  {
    BhProcessList *list = bh_process_list_get_for_browser (browser);
    g_autoptr (BhProcessInfo) row = NULL;

    bh_process_list_refresh (list);
    row = g_list_model_get_item (G_LIST_MODEL (list), 0);
    bh_process_info_get_message_counts (row, &browser_in_before, &browser_out_before);
    g_assert_cmpuint (browser_in_before, >, 0);
  }

  g_assert_no_errno (kill (alpha_pid, SIGKILL));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, a1,
                      "the first alpha tab to notice the kill");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, a2,
                      "the second alpha tab to notice the kill");
  for (BhTab **t = (BhTab *[]) { a1, a2, NULL }; *t != NULL; t++)
    {
      g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (*t)), ==, "killed");
      g_assert_cmpstr (bh_tab_get_status_message (*t), ==,
                       "The renderer for http://alpha.test was killed (SIGKILL)");
      g_assert_null (bh_tab_get_frame (*t));
      g_assert_cmpint (tab_pid (*t), ==, 0);
    }
  /* Reaped: through bubblewrap's exit status the signal is still SIGKILL. */
  wait_for_hosts (browser, 1, "the killed renderer to be reaped");
  g_assert_cmpint (bh_renderer_host_get_termination_status (alpha), ==,
                   BH_TERMINATION_STATUS_KILLED);
  g_assert_false (bh_renderer_host_is_alive (alpha));
  g_clear_object (&alpha);
  /* The task manager's browser row counts every message of its life: the
   * dead renderer's do not leave it. */
  {
    BhProcessList *list = bh_process_list_get_for_browser (browser);
    g_autoptr (BhProcessInfo) row = NULL;
    guint64 in = 0, out = 0;

    bh_process_list_refresh (list);
    row = g_list_model_get_item (G_LIST_MODEL (list), 0);
    bh_process_info_get_message_counts (row, &in, &out);
    g_assert_cmpuint (in, >=, browser_in_before);
    g_assert_cmpuint (out, >=, browser_out_before);
  }

  /* The other site's tab did not notice, and its renderer still paints. */
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (b)), ==, "complete");
  g_assert_cmpint (tab_pid (b), ==, beta_pid);
  assert_scroll_paints (b);

  /* Reload: a fresh renderer, and both alpha tabs share it again. */
  bh_tab_reload (a1);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, a1, "the reload");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (a1)), ==, "complete");
  g_assert_cmpstr (bh_tab_get_status_message (a1), ==, "");
  g_assert_nonnull (bh_tab_get_frame (a1));
  new_pid = tab_pid (a1);
  g_assert_cmpint (new_pid, >, 0);
  g_assert_cmpint (new_pid, !=, alpha_pid);
  g_assert_cmpint (kill (alpha_pid, 0), ==, -1);
  bh_tab_reload (a2);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, a2, "the second reload");
  g_assert_cmpint (tab_pid (a2), ==, new_pid);
  assert_scroll_paints (a2);
  g_assert_cmpint (tab_pid (b), ==, beta_pid);

  shutdown_browser (browser);
}

static void
test_about_crash (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) other = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "crash-me");
  g_autofree char *other_url = url_for ("beta.test", "bystander");
  int other_pid;

  load (tab, url);
  load (other, other_url);
  other_pid = tab_pid (other);

  /* Three crashes of one site within the window: the third says so. */
  for (guint i = 1; i <= BH_REPEATED_CRASH_COUNT; i++)
    {
      int pid = tab_pid (tab);

      bh_tab_navigate (tab, "about:crash");
      bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "about:crash");
      g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "crashed");
      g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                       "The renderer for http://alpha.test crashed (SIGSEGV)");
      g_assert_null (bh_tab_get_frame (tab));
      g_assert_cmpuint (bh_tab_get_recent_crash_count (tab), ==, i);
      g_assert_cmpint (kill (pid, 0), ==, -1);

      /* Nothing reloads by itself. */
      bh_test_run_for (300);
      g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "crashed");

      bh_tab_reload (tab);
      bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the reload after the crash");
      g_assert_cmpstr (bh_tab_get_uri (tab), ==, url);
      g_assert_cmpint (tab_pid (tab), !=, pid);
    }

  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (other)), ==, "complete");
  g_assert_cmpint (tab_pid (other), ==, other_pid);
  /* Another site's crashes are not counted against it. */
  g_assert_cmpuint (bh_tab_get_recent_crash_count (other), ==, 0);
  shutdown_browser (browser);
}

/* about:hang busy-loops in the renderer: the hang monitor's Pings go
 * unanswered, and after --hang-timeout-ms the tab is unresponsive. */
static void
test_about_hang (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) other = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "hang-me");
  g_autofree char *other_url = url_for ("beta.test", "bystander");
  BhRendererHost *host;
  BhHangMonitor *monitor;
  guint interval_ms;
  gint64 start_us, elapsed_ms;
  int pid;

  load (tab, url);
  load (other, other_url);
  host = g_object_ref (bh_tab_get_renderer_host (tab));
  monitor = bh_renderer_host_get_hang_monitor (host);
  interval_ms = bh_hang_monitor_get_ping_interval_ms (monitor);
  g_assert_cmpuint (bh_hang_monitor_get_timeout_ms (monitor), ==, HANG_TIMEOUT_MS);
  pid = tab_pid (tab);

  /* A responsive renderer that is looked at is pinged, and answers. */
  bh_test_run_for (2 * interval_ms + 100);
  g_assert_cmpuint (bh_hang_monitor_get_pings_sent (monitor), >=, 2);
  g_assert_false (bh_hang_monitor_is_unresponsive (monitor));
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");

  start_us = g_get_monotonic_time ();
  bh_tab_navigate (tab, "about:hang");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_unresponsive, tab, "the tab to be unresponsive");
  elapsed_ms = (g_get_monotonic_time () - start_us) / 1000;
  g_test_message ("unresponsive after %" G_GINT64_FORMAT " ms (timeout %u ms, ping every %u ms)",
                  elapsed_ms, HANG_TIMEOUT_MS, interval_ms);
  /* Not before the timeout, and at worst one Ping interval after it. */
  g_assert_cmpint (elapsed_ms, >=, HANG_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <=, HANG_TIMEOUT_MS + interval_ms + 1000);
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                   "The renderer for http://alpha.test has not responded for 1 s");
  g_assert_true (bh_hang_monitor_is_unresponsive (monitor));
  g_assert_cmpint (tab_pid (tab), ==, pid);
  /* Another site is not held up. */
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (other)), ==, "complete");
  assert_scroll_paints (other);

  /* Wait: responsive again at once, then unresponsive again after a full
   * timeout, since the renderer still does not answer. */
  start_us = g_get_monotonic_time ();
  bh_tab_hang_wait (tab);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "loading");
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==, "");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_unresponsive, tab,
                      "the tab to be unresponsive again after Wait");
  elapsed_ms = (g_get_monotonic_time () - start_us) / 1000;
  g_assert_cmpint (elapsed_ms, >=, HANG_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <=, HANG_TIMEOUT_MS + 1000);

  /* Kill: the renderer ends, its tab shows the killed sad tab. */
  bh_tab_hang_kill (tab);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "killed");
  g_assert_nonnull (strstr (bh_tab_get_status_message (tab),
                            "The renderer for http://alpha.test was killed (SIGKILL)"));
  g_assert_cmpint (tab_pid (tab), ==, 0);
  wait_for_hosts (browser, 1, "the hung renderer to be reaped");
  g_assert_cmpint (bh_renderer_host_get_termination_status (host), ==,
                   BH_TERMINATION_STATUS_KILLED);
  g_assert_cmpint (kill (pid, 0), ==, -1);
  g_clear_object (&host);

  /* Reload brings the page back in a fresh, responsive renderer. */
  bh_tab_reload (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the reload after the kill");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  g_assert_cmpstr (bh_tab_get_uri (tab), ==, url);
  shutdown_browser (browser);
}

/* Hung while nobody looks and no input waits: the monitor says nothing and
 * sends nothing; input to it is what gets noticed. */
static void
test_hidden_renderer_costs_nothing (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "hidden");
  BhHangMonitor *monitor;
  guint64 pings;
  gint64 start_us, elapsed_ms;

  load (tab, url);
  monitor = bh_renderer_host_get_hang_monitor (bh_tab_get_renderer_host (tab));
  bh_tab_set_visible (tab, FALSE);
  bh_test_run_for (200); /* a Ping in flight comes back */
  pings = bh_hang_monitor_get_pings_sent (monitor);
  bh_test_run_for (3 * bh_hang_monitor_get_ping_interval_ms (monitor));
  g_assert_cmpuint (bh_hang_monitor_get_pings_sent (monitor), ==, pings);

  bh_tab_navigate (tab, "about:hang");
  bh_test_run_for (HANG_TIMEOUT_MS + 500);
  g_assert_cmpuint (bh_hang_monitor_get_pings_sent (monitor), ==, pings);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "loading");

  /* Input is owed an InputEventAck: unanswered, it makes the tab unresponsive. */
  start_us = g_get_monotonic_time ();
  bh_tab_send_key (tab, 0x20, 0);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_unresponsive, tab, "unanswered input");
  elapsed_ms = (g_get_monotonic_time () - start_us) / 1000;
  g_assert_cmpint (elapsed_ms, >=, HANG_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <=, HANG_TIMEOUT_MS + 1000);
  shutdown_browser (browser);
}

/* A renderer that answers late is responsive again, without Wait. */
static void
test_recovers_by_itself (void)
{
  g_autofree char *fake = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  g_autoptr (BhBrowser) browser = new_browser_full (NULL, fake, FALSE);
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "slow-ack");
  BhRendererHost *host;
  int pid;

  load (tab, url);
  host = bh_tab_get_renderer_host (tab);
  pid = tab_pid (tab);
  /* SIGSTOP: the process cannot answer until SIGCONT. */
  g_assert_no_errno (kill (pid, SIGSTOP));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_unresponsive, tab,
                      "a stopped renderer to be unresponsive");
  g_assert_true (bh_hang_monitor_is_unresponsive (bh_renderer_host_get_hang_monitor (host)));
  g_assert_no_errno (kill (pid, SIGCONT));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_complete, tab, "the renderer to answer again");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  g_assert_cmpint (tab_pid (tab), ==, pid);
  shutdown_browser (browser);
}

static char *
hostile_prefix (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "hostile-renderer.sh", NULL);

  g_assert_true (g_file_test (script, G_FILE_TEST_IS_EXECUTABLE));
  return g_steal_pointer (&script);
}

/* The renderer of evil.test writes garbage onto its channel instead of
 * speaking the protocol (tests/hostile-renderer.sh, through
 * --renderer-cmd-prefix). Run in a subprocess, to read its stderr. */
static void
hostile_renderer_body (void)
{
  g_autofree char *prefix = hostile_prefix ();
  g_autoptr (BhBrowser) browser = new_browser_full (prefix, NULL, FALSE);
  g_autoptr (BhTab) good = bh_browser_new_tab (browser);
  g_autoptr (BhTab) other = bh_browser_new_tab (browser);
  g_autoptr (BhTab) evil = bh_browser_new_tab (browser);
  g_autofree char *good_url = url_for ("alpha.test", "good");
  g_autofree char *other_url = url_for ("beta.test", "good");
  g_autofree char *evil_url = url_for ("evil.test", "page");
  BhRendererHost *host;
  int good_pid, other_pid;

  load (good, good_url);
  load (other, other_url);
  good_pid = tab_pid (good);
  other_pid = tab_pid (other);

  bh_tab_navigate (evil, evil_url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, evil, "the bad message");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (evil)), ==, "bad-message");
  g_assert_true (g_str_has_prefix (bh_tab_get_status_message (evil),
                                   "The renderer for http://evil.test was stopped because it "
                                   "sent a malformed message: "));
  host = bh_browser_find_renderer_host (browser, "http://evil.test");
  g_assert_null (host);
  /* Killed (it would have slept for a minute) and reaped. */
  wait_for_hosts (browser, 2, "the hostile renderer to be reaped");

  /* The browser and the other tabs carry on. */
  for (BhTab **t = (BhTab *[]) { good, other, NULL }; *t != NULL; t++)
    {
      g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (*t)), ==, "complete");
      g_assert_cmpstr (bh_tab_get_status_message (*t), ==, "");
      assert_scroll_paints (*t);
    }
  g_assert_cmpint (tab_pid (good), ==, good_pid);
  g_assert_cmpint (tab_pid (other), ==, other_pid);

  /* A reload asks the same renderer command again: bad message again, and
   * nothing else is touched. */
  bh_tab_reload (evil);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, evil, "the second bad message");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (evil)), ==, "bad-message");
  wait_for_hosts (browser, 2, "the second hostile renderer to be reaped");
  g_assert_cmpint (tab_pid (good), ==, good_pid);
  shutdown_browser (browser);
}

static void
test_hostile_renderer (void)
{
  if (g_test_subprocess ())
    {
      hostile_renderer_body ();
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*bad message from renderer * (http://evil.test): *");
}

/* --disable-kill-after-bad-ipc: logged, and the renderer lives on. The
 * fake renderer's "bad-view" page claims a view it does not host. */
static void
disable_kill_body (void)
{
  g_autofree char *fake = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  g_autoptr (BhBrowser) browser = new_browser_full (NULL, fake, TRUE);
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "bad-view");
  BhRendererHost *host;

  bh_tab_navigate (tab, url);
  bh_test_run_for (1000);
  host = bh_tab_get_renderer_host (tab);
  g_assert_nonnull (host);
  g_assert_true (bh_renderer_host_is_alive (host));
  g_assert_cmpint (kill (bh_renderer_host_get_pid (host), 0), ==, 0);
  g_assert_cmpint (bh_tab_get_state (tab), !=, BH_TAB_STATE_BAD_MESSAGE);
  shutdown_browser (browser);
}

/* --disable-kill-after-bad-ipc with a channel-level error: the channel ends
 * all the same, and the tab says why rather than "exited". */
static void
disable_kill_channel_error_body (void)
{
  g_autofree char *prefix = hostile_prefix ();
  g_autoptr (BhBrowser) browser = new_browser_full (prefix, NULL, TRUE);
  g_autoptr (BhTab) evil = bh_browser_new_tab (browser);
  g_autofree char *evil_url = url_for ("evil.test", "page");

  bh_tab_navigate (evil, evil_url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, evil, "the bad message");
  g_test_message ("%s", bh_tab_get_status_message (evil));
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (evil)), ==, "bad-message");
  g_assert_true (g_str_has_prefix (bh_tab_get_status_message (evil),
                                   "The renderer for http://evil.test was disconnected because it "
                                   "sent a malformed message: bad magic"));
  g_assert_true (g_str_has_suffix (bh_tab_get_status_message (evil),
                                   "(not killed: --disable-kill-after-bad-ipc)"));
  shutdown_browser (browser);
}

static void
test_disable_kill_channel_error (void)
{
  if (g_test_subprocess ())
    {
      disable_kill_channel_error_body ();
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*bad message from renderer * (http://evil.test): bad magic*");
}

static void
test_disable_kill (void)
{
  if (g_test_subprocess ())
    {
      disable_kill_body ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*bad message from renderer * (http://alpha.test): TitleChanged for "
                             "view *");
}

/* Buffers the browser must refuse to map: the fake renderer's
 * "unsealed-buffer" and "oversized-buffer" pages. */
typedef struct {
  const char *path;
  const char *reason;
} BadBuffer;

static void
test_bad_buffer (gconstpointer data)
{
  const BadBuffer *bad = data;
  g_autofree char *fake = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  g_autoptr (BhBrowser) browser = new_browser_full (NULL, fake, FALSE);
  g_autoptr (BhTab) good = bh_browser_new_tab (browser);
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *good_url = url_for ("alpha.test", "fine");
  g_autofree char *url = url_for ("beta.test", bad->path);
  g_autofree char *expected = g_strdup_printf ("The renderer for http://beta.test was stopped "
                                               "because it sent a malformed message: "
                                               "BufferCreated %%u: %s", bad->reason);
  int good_pid;

  load (good, good_url);
  good_pid = tab_pid (good);
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the bad buffer");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "bad-message");
  g_test_message ("%s", bh_tab_get_status_message (tab));
  {
    guint buffer_id = 0;
    g_autofree char *with_id = NULL;

    g_assert_cmpint (sscanf (strstr (bh_tab_get_status_message (tab), "BufferCreated "),
                             "BufferCreated %u", &buffer_id), ==, 1);
    with_id = g_strdup_printf (expected, buffer_id);
    g_assert_cmpstr (bh_tab_get_status_message (tab), ==, with_id);
  }
  wait_for_hosts (browser, 1, "the offender to be reaped");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (good)), ==, "complete");
  g_assert_cmpint (tab_pid (good), ==, good_pid);
  shutdown_browser (browser);
}

static const BadBuffer unsealed = { "unsealed-buffer", "memfd lacks seals: F_SEAL_SHRINK "
                                                       "F_SEAL_GROW" };
static const BadBuffer oversized = { "oversized-buffer",
                                     /* half of the 400x300 px view's 480000 bytes */
                                     "memfd holds 240000 bytes, 480000 were claimed" };

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  start_server ();

  g_test_add_func ("/crash/kill-one-of-two-sites", test_kill_one_of_two);
  g_test_add_func ("/crash/about-crash", test_about_crash);
  g_test_add_func ("/crash/hang/about-hang-wait-kill", test_about_hang);
  g_test_add_func ("/crash/hang/hidden-renderer-costs-nothing", test_hidden_renderer_costs_nothing);
  g_test_add_func ("/crash/hang/recovers-by-itself", test_recovers_by_itself);
  g_test_add_func ("/crash/bad-message/hostile-renderer", test_hostile_renderer);
  g_test_add_func ("/crash/bad-message/disable-kill", test_disable_kill);
  g_test_add_func ("/crash/bad-message/disable-kill-channel-error", test_disable_kill_channel_error);
  g_test_add_data_func ("/crash/bad-message/unsealed-buffer", &unsealed, test_bad_buffer);
  g_test_add_data_func ("/crash/bad-message/oversized-buffer", &oversized, test_bad_buffer);
  return g_test_run ();
}
