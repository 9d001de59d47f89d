/* test-browser-core.c: the process manager, tabs and the renderer host's trust boundary.
 *
 * Tabs are driven without a window against bh-fake-renderer (which breaks the
 * protocol on request) and pages served by a small HTTP server in this
 * process, listening on every address so that --host-resolver-rules can map
 * alpha.test to 127.0.0.1 and beta.test to 127.0.0.2.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bh-browser.h"
#include "bh-cookie-jar.h"
#include "bh-renderer-host.h"
#include "bh-tab.h"
#include "bh-test-util.h"

#define WAIT_TIMEOUT_MS 10000

static guint16 server_port;

/* A 1x1 PNG, served for every path ending in ".png". */
static const guint8 test_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
  0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* The server: every path answers a small HTML page that names it, except
 * "*.png", which answers test_png, and "*.two-types", an HTML page sent with
 * two Content-Type headers, image/png and then text/html. */
static GBytes *
page_for (const char *path, const char **content_type)
{
  char *body;

  if (path != NULL && g_str_has_suffix (path, ".png"))
    {
      *content_type = "image/png";
      return g_bytes_new_static (test_png, sizeof test_png);
    }
  if (path != NULL && g_str_has_suffix (path, ".two-types"))
    {
      static const char secret[] = "<html><body>the secret</body></html>";

      *content_type = "image/png\r\nContent-Type: text/html";
      return g_bytes_new_static (secret, sizeof secret - 1);
    }
  *content_type = "text/html; charset=utf-8";
  body = g_strdup_printf ("<html><head><title>%s</title></head><body><p>%s</p></body></html>",
                          path != NULL ? path : "?", path != NULL ? path : "?");
  return g_bytes_new_take (body, strlen (body));
}

static void
start_server (void)
{
  if (server_port == 0)
    server_port = bh_test_http_server_start (4, page_for);
}

static char *
url_for (const char *host, const char *path)
{
  return g_strdup_printf ("http://%s:%u/%s", host, server_port, path);
}

static BhBrowser *
new_browser (void)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (GError) error = NULL;
  BhBrowser *browser;

  options->renderer_path = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP alpha.test 127.0.0.1, MAP beta.test 127.0.0.2, "
                                           "MAP *.test 127.0.0.1");
  options->window_width_px = 320;
  options->window_height_px = 200;
  g_free (options->search_url);
  options->search_url = g_strdup_printf ("http://beta.test:%u/search?q=%%s&from=bar", server_port);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  return browser;
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

  return state != BH_TAB_STATE_LOADING && state != BH_TAB_STATE_COMPLETE;
}

static gboolean
one_host (gpointer data)
{
  return g_list_model_get_n_items (bh_browser_get_renderer_hosts (data)) == 1;
}

static void
load (BhTab *tab, const char *url)
{
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, url);
}

static void
assert_loaded (BhTab *tab, const char *url)
{
  GdkTexture *frame = bh_tab_get_frame (tab);

  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  g_assert_cmpstr (bh_tab_get_uri (tab), ==, url);
  g_assert_nonnull (frame);
  g_assert_cmpint (gdk_texture_get_width (frame), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (frame), ==, 200);
  g_assert_true (bh_tab_get_progress (tab) == 1.0);
}

static int
tab_pid (BhTab *tab)
{
  int pid = 0;

  g_object_get (tab, "renderer-pid", &pid, NULL);
  return pid;
}

static char *
tab_site (BhTab *tab)
{
  char *site = NULL;

  g_object_get (tab, "site", &site, NULL);
  return site;
}

/* No child left, not even a zombie: waitpid(2) has nobody to wait for. */
static void
assert_no_children (void)
{
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

static void
shutdown_browser (BhBrowser *browser)
{
  bh_browser_shutdown (browser, 2000);
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_renderer_hosts (browser)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_tabs (browser)), ==, 0);
  assert_no_children ();
}

static void
test_site_per_process (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab1 = bh_browser_new_tab (browser);
  g_autoptr (BhTab) tab2 = bh_browser_new_tab (browser);
  g_autoptr (BhTab) tab3 = bh_browser_new_tab (browser);
  g_autofree char *a1 = url_for ("alpha.test", "one");
  g_autofree char *b1 = url_for ("beta.test", "two");
  g_autofree char *a2 = url_for ("www.alpha.test", "three");
  g_autofree char *b2 = url_for ("beta.test", "four");
  g_autofree char *site1 = NULL;
  g_autofree char *site2 = NULL;
  BhRendererHost *alpha;

  load (tab1, a1);
  load (tab2, b1);
  load (tab3, a2);
  assert_loaded (tab1, a1);
  assert_loaded (tab2, b1);
  assert_loaded (tab3, a2);
  g_assert_cmpstr (bh_tab_get_title (tab1), ==, "Fake one");

  /* Same site, same process, even through a subdomain; another site, another. */
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_renderer_hosts (browser)), ==, 2);
  g_assert_cmpint (tab_pid (tab1), >, 0);
  g_assert_cmpint (tab_pid (tab1), ==, tab_pid (tab3));
  g_assert_cmpint (tab_pid (tab1), !=, tab_pid (tab2));
  site1 = tab_site (tab1);
  site2 = tab_site (tab2);
  g_assert_cmpstr (site1, ==, "http://alpha.test");
  g_assert_cmpstr (site2, ==, "http://beta.test");
  alpha = bh_browser_find_renderer_host (browser, "http://alpha.test");
  g_assert_nonnull (alpha);
  g_assert_true (bh_renderer_host_is_ready (alpha));
  g_assert_cmpuint (bh_renderer_host_get_view_count (alpha), ==, 2);
  g_assert_cmpuint (bh_renderer_host_get_rss_kib (alpha), >, 0);
  {
    g_autofree char *sandbox = bh_renderer_host_describe_sandbox (alpha);

    g_assert_false (g_str_has_prefix (sandbox, "unknown"));
  }

  /* A cross-site navigation moves the tab. */
  load (tab3, b2);
  assert_loaded (tab3, b2);
  g_assert_cmpint (tab_pid (tab3), ==, tab_pid (tab2));
  g_assert_cmpuint (bh_renderer_host_get_view_count (alpha), ==, 1);

  /* The last tab of a site leaves: its renderer exits after the grace period. */
  g_object_ref (alpha);
  bh_tab_close (tab1);
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_tabs (browser)), ==, 2);
  /* Kept for a moment, in case the site comes back. */
  g_assert_true (bh_browser_find_renderer_host (browser, "http://alpha.test") == alpha);
  bh_test_wait_until (WAIT_TIMEOUT_MS, one_host, browser, "the idle renderer to exit");
  g_assert_false (bh_renderer_host_is_alive (alpha));
  g_assert_cmpint (bh_renderer_host_get_termination_status (alpha), ==, BH_TERMINATION_STATUS_NORMAL);
  g_object_unref (alpha);

  shutdown_browser (browser);
}

static void
test_history (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *a = url_for ("alpha.test", "a");
  g_autofree char *b = url_for ("beta.test", "b");
  g_autofree char *c = url_for ("alpha.test", "c");
  gboolean back, forward;

  g_assert_false (bh_tab_go_back (tab));
  load (tab, a);
  load (tab, b);
  g_object_get (tab, "can-go-back", &back, "can-go-forward", &forward, NULL);
  g_assert_true (back);
  g_assert_false (forward);

  g_assert_true (bh_tab_go_back (tab));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "back");
  assert_loaded (tab, a);
  g_object_get (tab, "can-go-back", &back, "can-go-forward", &forward, NULL);
  g_assert_false (back);
  g_assert_true (forward);

  g_assert_true (bh_tab_go_forward (tab));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "forward");
  assert_loaded (tab, b);

  /* Reload keeps the entry; a new navigation from the middle drops the forward list. */
  bh_tab_reload (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "reload");
  assert_loaded (tab, b);
  g_assert_true (bh_tab_go_back (tab));
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "back again");
  load (tab, c);
  g_object_get (tab, "can-go-back", &back, "can-go-forward", &forward, NULL);
  g_assert_true (back);
  g_assert_false (forward);

  /* Typed text without a scheme is http. */
  {
    g_autofree char *typed = g_strdup_printf ("beta.test:%u/typed", server_port);
    g_autofree char *expected = url_for ("beta.test", "typed");

    bh_tab_navigate_to_user_input (tab, typed);
    bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, typed);
    assert_loaded (tab, expected);
  }

  /* Words are a search: the --search-url template with them form-encoded. */
  {
    g_autofree char *expected = g_strdup_printf ("http://beta.test:%u/search?q=debian+manual%%3F&from=bar",
                                                 server_port);
    g_autofree char *single = g_strdup_printf ("http://beta.test:%u/search?q=bulkhead&from=bar", server_port);

    bh_tab_navigate_to_user_input (tab, "  debian manual?  ");
    bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the search");
    assert_loaded (tab, expected);
    bh_tab_navigate_to_user_input (tab, "bulkhead");
    bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the one-word search");
    assert_loaded (tab, single);
  }

  shutdown_browser (browser);
}

/* --search-url takes an http(s) URL with one %s; anything else is refused
 * with the flag's name, before a window opens. */
static void
test_search_url_option (void)
{
  static const struct {
    const char *arg;
    const char *search_url; /* NULL: refused */
  } cases[] = {
    { NULL, BH_DEFAULT_SEARCH_URL },
    { "--search-url=https://search.test/?q=%s&l=en", "https://search.test/?q=%s&l=en" },
    { "--search-url=ftp://search.test/%s", NULL },
    { "--search-url=https://search.test/", NULL },
    { "--search-url=https://search.test/%s/%s", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BhBrowserOptions *options = bh_browser_options_new ();
      char *args[] = { (char *) "bulkhead", (char *) cases[i].arg, NULL };
      char **argv = args;
      int argc = cases[i].arg != NULL ? 2 : 1;
      g_autoptr (GError) error = NULL;
      gboolean ok = bh_browser_options_parse (options, &argc, &argv, &error);

      if (cases[i].search_url != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (options->search_url, ==, cases[i].search_url);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
          g_assert_true (g_str_has_prefix (error->message, "--search-url: "));
        }
      bh_browser_options_unref (options);
    }
}

static void
test_crash_and_reload (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) other = bh_browser_new_tab (browser);
  g_autofree char *a = url_for ("alpha.test", "page");
  g_autofree char *b = url_for ("beta.test", "page");
  int pid, other_pid;

  load (tab, a);
  load (other, b);
  pid = tab_pid (tab);
  other_pid = tab_pid (other);

  bh_tab_navigate (tab, "about:crash");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the crash");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_CRASHED);
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                   "The renderer for http://alpha.test crashed (SIGSEGV)");
  g_assert_null (bh_tab_get_frame (tab));
  g_assert_cmpint (tab_pid (tab), ==, 0);
  /* The other site's tab did not notice. */
  g_assert_cmpint (bh_tab_get_state (other), ==, BH_TAB_STATE_COMPLETE);
  g_assert_cmpint (tab_pid (other), ==, other_pid);

  /* Reload spawns a fresh renderer for the page that was shown. */
  bh_tab_reload (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the reload");
  assert_loaded (tab, a);
  g_assert_cmpint (tab_pid (tab), >, 0);
  g_assert_cmpint (tab_pid (tab), !=, pid);

  /* Killed from outside. */
  pid = tab_pid (tab);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the kill");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_KILLED);
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                   "The renderer for http://alpha.test was killed (SIGKILL)");

  /* about:kill from a fresh renderer. */
  bh_tab_reload (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_idle, tab, "the second reload");
  bh_tab_navigate (tab, "about:kill");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "about:kill");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_KILLED);

  shutdown_browser (browser);
}

static void
test_launch_failed (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("noready.test", "x");

  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the launch failure");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_LAUNCH_FAILED);
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                   "The renderer for http://noready.test could not be started "
                   "(it exited with code 3)");
  shutdown_browser (browser);
}

static void
test_out_of_memory (void)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (BhBrowser) browser = NULL;
  g_autoptr (BhTab) tab = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = url_for ("alpha.test", "oom");

  options->renderer_path = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->renderer_memory_limit_mb = 256;
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  tab = bh_browser_new_tab (browser);

  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "running out of memory");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_OOM);
  g_assert_cmpstr (bh_tab_get_status_message (tab), ==,
                   "The renderer for http://alpha.test ran out of memory");
  shutdown_browser (browser);
}

typedef struct {
  const char *host;
  const char *path;
  const char *reason;
} BadCase;

static void
test_bad_message (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) good = bh_browser_new_tab (browser);
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) neighbour = bh_browser_new_tab (browser);
  g_autofree char *good_url = url_for ("alpha.test", "fine");
  g_autofree char *neighbour_url = url_for (bad->host, "fine");
  g_autofree char *url = url_for (bad->host, bad->path);
  BhRendererHost *host;
  int good_pid;

  load (good, good_url);
  good_pid = tab_pid (good);
  if (*bad->path != '\0')
    load (neighbour, neighbour_url);

  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the bad message");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_BAD_MESSAGE);
  g_assert_nonnull (strstr (bh_tab_get_status_message (tab), bad->reason));
  g_assert_null (bh_tab_get_frame (tab));

  /* Every tab of the offending renderer shows it; other renderers live on. */
  if (*bad->path != '\0')
    {
      g_assert_cmpint (bh_tab_get_state (neighbour), ==, BH_TAB_STATE_BAD_MESSAGE);
      g_assert_cmpstr (bh_tab_get_status_message (neighbour), ==,
                       bh_tab_get_status_message (tab));
    }
  g_assert_cmpint (bh_tab_get_state (good), ==, BH_TAB_STATE_COMPLETE);
  g_assert_cmpint (tab_pid (good), ==, good_pid);
  host = bh_browser_find_renderer_host (browser, "http://alpha.test");
  g_assert_nonnull (host);
  g_assert_true (bh_renderer_host_is_alive (host));

  /* The offender was SIGKILLed and reaped. */
  bh_test_wait_until (WAIT_TIMEOUT_MS, one_host, browser, "the offender to be reaped");
  shutdown_browser (browser);
}

static void
test_input_ack (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "input");
  BhRendererHost *host;
  guint unacked = 0;
  gint64 oldest_us = 0;

  load (tab, url);
  host = bh_tab_get_renderer_host (tab);
  bh_tab_send_mouse (tab, 0, 10, 10, 0, 0);
  bh_tab_send_key (tab, 0x20, 0);
  bh_tab_send_scroll (tab, 0, 40);
  bh_renderer_host_get_unacked_input (host, &unacked, &oldest_us);
  g_assert_cmpuint (unacked, ==, 3);
  g_assert_cmpint (oldest_us, >, 0);
  while (unacked > 0)
    {
      g_main_context_iteration (NULL, TRUE);
      bh_renderer_host_get_unacked_input (host, &unacked, &oldest_us);
    }
  g_assert_cmpint (oldest_us, ==, 0);
  shutdown_browser (browser);
}

static gboolean
title_is_budget_ok (gpointer data)
{
  /* The title comes before DidFinishLoad: wait for both. */
  return (g_str_has_prefix (bh_tab_get_title (data), "budget ok") &&
          bh_tab_get_state (data) != BH_TAB_STATE_LOADING) ||
         tab_failed (data);
}

/* Issue 12: the renderer queues subresource requests to stay within the browser's
 * in-flight budget, which only works if both count the same requests. The browser
 * answers every one, those it cancels when the view navigates included: a page that
 * spent the whole budget on a server that never answers, then navigated, gets the
 * budget back and spends it again, and is never a bad message. */
static void
test_request_budget_across_navigations (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (GSocket) hang = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *after = url_for ("alpha.test", "after-budget");
  g_autofree char *path = NULL;
  BhRendererHost *host;

  /* Connections complete in the backlog, and no byte ever comes back. */
  g_socket_set_listen_backlog (hang, 512);
  g_assert_true (g_socket_bind (hang, address, TRUE, &error));
  g_assert_true (g_socket_listen (hang, &error));
  bound = g_socket_get_local_address (hang, &error);
  g_assert_no_error (error);
  path = g_strdup_printf ("request-budget?hang=%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  first = url_for ("alpha.test", path);

  load (tab, first);
  host = bh_tab_get_renderer_host (tab);
  bh_tab_navigate (tab, after);
  bh_test_wait_until (WAIT_TIMEOUT_MS, title_is_budget_ok, tab, "the second round of requests");
  g_assert_cmpstr (bh_tab_get_title (tab), ==, "budget ok 256");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  g_assert_true (bh_renderer_host_is_alive (host));
  g_assert_true (bh_tab_get_renderer_host (tab) == host);
  shutdown_browser (browser);
}

static gboolean
frame_is_900_wide (gpointer data)
{
  GdkTexture *frame = bh_tab_get_frame (data);

  return frame != NULL && gdk_texture_get_width (frame) == 900;
}

/* Issue 12: buffers must have the view's size, but a renderer still working through
 * Resizes sent before shares buffers at the sizes asked for then: no bad message,
 * however many are in flight (more than the 16 the host keeps apart) and whatever
 * their order. */
static void
test_resizes_in_flight (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "resizing");
  BhRendererHost *host;

  load (tab, url);
  host = bh_tab_get_renderer_host (tab);
  for (int i = 0; i < 40; i++)
    bh_tab_set_viewport (tab, i % 2 ? 320 : 400 + 10 * i, i % 2 ? 200 : 300 + 5 * i, 1.0);
  bh_tab_set_viewport (tab, 900, 500, 1.0);
  bh_test_wait_until (WAIT_TIMEOUT_MS, frame_is_900_wide, tab, "a frame at the last size");
  g_assert_cmpint (gdk_texture_get_height (bh_tab_get_frame (tab)), ==, 500);
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  g_assert_true (bh_renderer_host_is_alive (host));
  g_assert_true (bh_tab_get_renderer_host (tab) == host);
  shutdown_browser (browser);
}

static void
pong_cb (BhRendererHost *host, gboolean ok, gint64 round_trip_us, gpointer data)
{
  int *result = data;

  *result = ok ? 1 : 2;
}

static gboolean
int_set (gpointer data)
{
  return *(int *) data != 0;
}

static void
test_ping (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "ping");
  int result = 0;

  load (tab, url);
  bh_renderer_host_ping (bh_tab_get_renderer_host (tab), 5000, pong_cb, &result);
  bh_test_wait_until (WAIT_TIMEOUT_MS, int_set, &result, "Pong");
  g_assert_cmpint (result, ==, 1);

  /* A renderer that stopped reading does not answer. */
  bh_tab_navigate (tab, "about:hang");
  result = 0;
  bh_renderer_host_ping (bh_tab_get_renderer_host (tab), 300, pong_cb, &result);
  bh_test_wait_until (WAIT_TIMEOUT_MS, int_set, &result, "the ping timeout");
  g_assert_cmpint (result, ==, 2);
  shutdown_browser (browser);
}

static void
count_open_url_cb (BhTab *tab, const char *url, guint disposition, gpointer data)
{
  GPtrArray *opened = data;

  g_assert_cmpuint (disposition, ==, BH_DISPOSITION_NEW_TAB);
  g_ptr_array_add (opened, g_strdup (url));
}

static gboolean
blocked_300 (gpointer data)
{
  return bh_tab_get_blocked_popup_count (data) >= 300;
}

static gboolean
input_acked (gpointer data)
{
  guint unacked = 0;
  gint64 oldest_us = 0;

  bh_renderer_host_get_unacked_input (bh_tab_get_renderer_host (data), &unacked, &oldest_us);
  return unacked == 0;
}

/* Issue 12: a compromised renderer opened 300 tabs in 6.6 s with no user gesture.
 * New tabs come only with user activation, one per click or key: the page's 300
 * requests on load open nothing and leave a "Pop-up blocked" notice; after a click
 * forwarded to it, 300 more open exactly one; Allow opens the first blocked one. The
 * browser answers the whole time and the renderer is no offender. */
static void
test_popups_need_user_activation (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) other = bh_browser_new_tab (browser);
  g_autoptr (GPtrArray) opened = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = url_for ("alpha.test", "popups");
  g_autofree char *first = g_strconcat (url, "-1", NULL);
  g_autofree char *beta = url_for ("beta.test", "meanwhile");
  BhRendererHost *host;
  int result = 0;

  g_signal_connect (tab, "open-url", G_CALLBACK (count_open_url_cb), opened);
  load (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, blocked_300, tab, "300 blocked pop-ups");
  g_assert_cmpuint (opened->len, ==, 0);
  g_assert_cmpuint (bh_tab_get_blocked_popup_count (tab), ==, 300);
  g_assert_cmpstr (bh_tab_get_blocked_popup_url (tab), ==, first);

  /* Responsive: another site loads, the page's renderer answers a ping. */
  host = bh_tab_get_renderer_host (tab);
  load (other, beta);
  assert_loaded (other, beta);
  bh_renderer_host_ping (host, 5000, pong_cb, &result);
  bh_test_wait_until (WAIT_TIMEOUT_MS, int_set, &result, "Pong");
  g_assert_cmpint (result, ==, 1);

  /* A click: one new tab out of the next 300 asked for. */
  bh_tab_send_mouse (tab, BH_MOUSE_EVENT_PRESS, 10, 10, 1, 0);
  bh_tab_send_mouse (tab, BH_MOUSE_EVENT_RELEASE, 10, 10, 1, 0);
  bh_test_wait_until (WAIT_TIMEOUT_MS, input_acked, tab, "the click's acknowledgement");
  g_assert_cmpuint (opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (opened, 0), ==, first);
  g_assert_cmpuint (bh_tab_get_blocked_popup_count (tab), ==, 300 + 299);

  /* Allow, on the notice: the first blocked one, and the notice goes. */
  bh_tab_open_blocked_popup (tab);
  g_assert_cmpuint (opened->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (opened, 1), ==, first);
  g_assert_cmpuint (bh_tab_get_blocked_popup_count (tab), ==, 0);
  g_assert_null (bh_tab_get_blocked_popup_url (tab));

  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  g_assert_true (bh_renderer_host_is_alive (host));
  shutdown_browser (browser);
}

/* Issue #7, escape via the protocol: a renderer of http://alpha.test asks
 * for what #4's rule keeps from it. bh-fake-renderer reports every answer it
 * got in its title, then finishes its load. */
static gboolean
title_is_fetch_failed (gpointer data)
{
  return g_str_has_prefix (bh_tab_get_title (data), "fetch failed: ") || tab_failed (data);
}

/* Issue 18: a cross-origin request that needs a CORS preflight (a POST of JSON)
 * is honest but refused by the browser, which has no preflight; the renderer
 * that asked lives on. */
static void
test_fetch_preflight_refused (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("beta.test", "fetch-preflight");

  /* The page never finishes its load: it waits for the answer. */
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, title_is_fetch_failed, tab, "the fetch's FetchFailed");
  g_assert_cmpstr (bh_tab_get_title (tab), ==,
                   "fetch failed: blocked by CORS: a POST of type \"application/json\" to http://alpha.test/x needs "
                   "a preflight (OPTIONS), and preflights are not supported");
  g_assert_true (bh_renderer_host_is_alive (bh_browser_find_renderer_host (browser, "http://beta.test")));
  shutdown_browser (browser);
}

/* document.cookie through the browser: a renderer reads and writes the
 * cookies of the URL its tab committed, never an HttpOnly one and never
 * another site's (the messages name no URL). */
static void
test_cookies_for_renderers (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "cookies");
  BhCookieJar *jar = bh_profile_get_cookie_jar (bh_browser_get_profile (browser));
  BhCookie secret = { "secret", "s", "alpha.test", "/", 0, 0, 0, TRUE, FALSE, TRUE, BH_COOKIE_SAME_SITE_LAX };
  BhCookie shown = { "shown", "v", "alpha.test", "/", 0, 0, 0, TRUE, FALSE, FALSE, BH_COOKIE_SAME_SITE_LAX };
  BhCookie beta = { "beta", "b", "beta.test", "/", 0, 0, 0, TRUE, FALSE, FALSE, BH_COOKIE_SAME_SITE_LAX };
  BhCookieFilter filter = BH_COOKIE_FILTER_ALL;
  g_autoptr (GPtrArray) http_only = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (bh_cookie_jar_set_cookie (jar, &secret, &error));
  g_assert_true (bh_cookie_jar_set_cookie (jar, &shown, &error));
  g_assert_true (bh_cookie_jar_set_cookie (jar, &beta, &error));

  load (tab, url);
  assert_loaded (tab, url);
  /* Its own site's, HttpOnly left out, its own js=1 in; not beta.test's. */
  g_assert_cmpstr (bh_tab_get_title (tab), ==, "cookies: shown=v; js=1");
  /* The script's "ho=1; HttpOnly" was refused. */
  filter.name = "ho";
  http_only = bh_cookie_jar_get_cookies (jar, &filter);
  g_assert_cmpuint (http_only->len, ==, 0);
  shutdown_browser (browser);
}

static void
test_cross_site_reads_refused (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("alpha.test", "cross-site-reads");
  g_autofree char *after = url_for ("alpha.test", "after");
  g_autofree char *png_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, test_png, sizeof test_png);
  g_autofree char *image_line =
    g_strdup_printf ("beta-image ok image/png %zu %s", sizeof test_png, png_sum);
  g_auto (GStrv) lines = NULL;
  BhRendererHost *host;
  int pid;

  load (tab, url);
  assert_loaded (tab, url);
  g_test_message ("the fake renderer got:\n%s", bh_tab_get_title (tab));
  lines = g_strsplit (bh_tab_get_title (tab), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);

  /* Another site's HTML is fetched (its type decides) but never handed over. */
  g_assert_true (g_str_has_prefix (lines[0], "beta-html failed blocked: "));
  /* file: and about: are refused before they are read: "may not load" is the
   * reason given before the fetch, not after it. */
  g_assert_true (g_str_has_prefix (lines[1], "file failed blocked: "));
  g_assert_nonnull (strstr (lines[1], "may not load file:///etc/passwd"));
  g_assert_true (g_str_has_prefix (lines[2], "about failed blocked: "));
  g_assert_nonnull (strstr (lines[2], "may not load about:start"));
  /* The control: another site's image crosses, bytes intact. */
  g_assert_cmpstr (lines[3], ==, image_line);
  /* Two Content-Type headers, "image/png" then "text/html": the last is the
   * type (the Fetch Standard's "extract a MIME type"), and types that
   * disagree are in doubt anyway. They used to read as the one type
   * "image/png,text/html", which passed as an image. */
  g_assert_true (g_str_has_prefix (lines[4], "beta-two-types failed blocked: "));
  g_assert_nonnull (strstr (lines[4], "conflicting Content-Type headers"));

  /* Asking is no bad message: the renderer lives on and keeps serving. */
  host = bh_tab_get_renderer_host (tab);
  pid = tab_pid (tab);
  g_assert_true (bh_renderer_host_is_alive (host));
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  load (tab, after);
  assert_loaded (tab, after);
  g_assert_cmpint (tab_pid (tab), ==, pid);
  g_assert_true (bh_tab_get_renderer_host (tab) == host);
  g_assert_true (bh_renderer_host_is_alive (host));
  shutdown_browser (browser);
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The open fds of this process as "N -> target" lines (proc(5),
 * /proc/self/fd; inode numbers left out), so that a leak names what leaked. */
static char *
describe_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%s", name);
      g_autofree char *target = g_file_read_link (path, NULL);

      /* The directory's own fd is gone by the next call. */
      if (target != NULL && g_str_has_prefix (target, "/proc/") && g_str_has_suffix (target, "/fd"))
        continue;
      /* "socket:[1234]": an fd closed and opened again for the same
       * job gets a new inode, which is not a leak. */
      if (target != NULL && strstr (target, ":[") != NULL)
        *strstr (target, ":[") = '\0';
      g_ptr_array_add (lines, g_strdup_printf ("%s -> %s", name, target ? target : "?"));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
browse_and_quit (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autoptr (BhTab) tab2 = bh_browser_new_tab (browser);
  g_autofree char *a = url_for ("alpha.test", "leak");
  g_autofree char *b = url_for ("beta.test", "leak");

  load (tab, a);
  load (tab2, b);
  load (tab2, a);
  bh_tab_navigate (tab, "about:crash");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the crash");
  shutdown_browser (browser);
}

static void
test_no_fd_leak (void)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  browse_and_quit (); /* the network layer's own fds open once */
  before = describe_fds ();
  browse_and_quit ();
  browse_and_quit ();
  after = describe_fds ();
  if (g_strcmp0 (before, after) != 0)
    g_test_message ("open fds before:\n%s\nafter:\n%s", before, after);
  g_assert_cmpstr (after, ==, before);
}

static const BadCase bad_view = { "beta.test", "bad-view", "TitleChanged for view" };
static const BadCase bad_url = { "beta.test", "bad-url",
                                 "DidCommitNavigation for http://evil.test/" };
static const BadCase bad_frame = { "beta.test", "bad-frame", "FrameReady for buffer 4242" };
static const BadCase redraw_held = { "beta.test", "redraw-held", "which the browser still holds" };
static const BadCase reused_buffer_id = { "beta.test", "reused-buffer-id", "BufferCreated reuses buffer id 1" };
/* Issue 12: a 1 GiB buffer for a 320x200 view. */
static const BadCase huge_buffer = { "beta.test", "huge-buffer",
                                     "BufferCreated of a 16384x16384 px buffer for a 320x200 px view" };
static const BadCase garbage = { "garbage.test", "", "sent a malformed message" };
static const BadCase bad_script_result = { "beta.test", "bad-script-result", "ScriptResult is not JSON" };
static const BadCase bad_dialog = { "beta.test", "bad-dialog", "RunDialog of kind 7, not a request" };
static const BadCase big_cookie = { "beta.test", "big-cookie", "CookieSet of 5000 bytes (at most 4096)" };
static const BadCase storage_bad_operation = { "beta.test", "storage-bad-operation",
                                               "StorageChange of area 0, operation 7" };
static const BadCase fetch_file_url = { "beta.test", "fetch-file-url",
                                        "FetchRequest for \"file:///etc/passwd\", not an absolute http(s) URL" };
static const BadCase selection_too_long = { "beta.test", "selection-too-long",
                                            "SelectionChanged of 524289 bytes, over 524288" };
static const BadCase submit_bad_method = { "beta.test", "submit-bad-method", "SubmitForm with method \"DELETE\"" };
static const BadCase submit_file_url = { "beta.test", "submit-file-url",
                                         "SubmitForm to \"file:///etc/passwd\", not an absolute http(s) URL" };
static const BadCase submit_get_with_body = { "beta.test", "submit-get-with-body", "SubmitForm GET with a body" };
static const BadCase submit_bad_type = { "beta.test", "submit-bad-type", "SubmitForm POST of type \"text/html\"" };
static const BadCase scroll_x_negative = { "beta.test", "scroll-x-negative", "HorizontalScrollChanged to x -5" };
static const BadCase popup_too_many = { "beta.test", "popup-too-many", "ShowPopupMenu with 1001 items (1 to 1000)" };
static const BadCase popup_bad_selected = { "beta.test", "popup-bad-selected",
                                            "ShowPopupMenu with item 3 selected of 3" };
static const BadCase context_menu_bad_link = { "beta.test", "context-menu-bad-link",
                                               "ShowContextMenu with a link that is not an absolute URL" };
static const BadCase tooltip_too_long = { "beta.test", "tooltip-too-long",
                                          "TooltipChanged of 1025 characters (at most 1024)" };
static const BadCase find_reply_unasked = { "beta.test", "find-reply-unasked",
                                            "FindReply for find request 7, which was never sent" };

/* A FindReply whose active match is past its count: the renderer is killed,
 * the find bar never shows "3 of 2". */
static void
find_reply_cb (BhTabInteraction *interaction, guint matches, guint active, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
clipboard_text_cb (BhTabInteraction *interaction, const char *text, gboolean primary, gpointer data)
{
  GPtrArray *texts = data;

  g_assert_false (primary);
  g_ptr_array_add (texts, g_strdup (text));
}

static gboolean
has_one (gpointer data)
{
  return ((GPtrArray *) data)->len >= 1;
}

/* A page may not write the clipboard on its own, only for the key that asked. */
static void
test_clipboard_needs_user_activation (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("beta.test", "clipboard");
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (bh_tab_get_interaction (tab), "clipboard-text", G_CALLBACK (clipboard_text_cb), texts);
  load (tab, url);
  bh_test_run_for (300);
  g_assert_cmpuint (texts->len, ==, 0);
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  bh_tab_send_key (tab, 'c', GDK_CONTROL_MASK);
  bh_test_wait_until (WAIT_TIMEOUT_MS, has_one, texts, "the copy");
  g_assert_cmpuint (texts->len, ==, 1);
  g_assert_cmpstr (texts->pdata[0], ==, "copied");
  shutdown_browser (browser);
}

static void
popup_shown_cb (BhTabInteraction *interaction, guint popup_id, int x, int y, int width, int height, int selected,
                GStrv labels, gpointer enabled, gpointer data)
{
  (*(guint *) data)++;
}

static void
context_menu_shown_cb (BhTabInteraction *interaction, int x, int y, const char *link_url, const char *image_url,
                       const char *selection, gboolean editable, gpointer data)
{
  (*(guint *) data)++;
}

/* A page may not pop up a <select>'s list or a context menu on its own: only
 * for the click that asked (the messages are well formed, so it lives on). */
static void
test_popup_needs_user_activation (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("beta.test", "popup-unasked");
  guint shown = 0;

  g_signal_connect (bh_tab_get_interaction (tab), "show-popup-menu", G_CALLBACK (popup_shown_cb), &shown);
  g_signal_connect (bh_tab_get_interaction (tab), "context-menu", G_CALLBACK (context_menu_shown_cb), &shown);
  load (tab, url);
  bh_test_run_for (300);
  g_assert_cmpuint (shown, ==, 0);
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
  shutdown_browser (browser);
}

static void
test_bad_find_reply (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("beta.test", "fine");
  gboolean replied = FALSE;

  load (tab, url);
  g_signal_connect (bh_tab_get_interaction (tab), "find-reply", G_CALLBACK (find_reply_cb), &replied);
  bh_tab_interaction_find (bh_tab_get_interaction (tab), "needle", TRUE, FALSE);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the bad FindReply");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_BAD_MESSAGE);
  g_assert_nonnull (strstr (bh_tab_get_status_message (tab), "FindReply with match 3 of 2"));
  g_assert_false (replied);
  shutdown_browser (browser);
}
/* Issue 15: automation's element queries are answered only when asked. */
static const BadCase unasked_nodes = { "beta.test", "unasked-nodes",
                                       "NodesLocated for request 77, which was not asked of view" };
/* Issue 14: favicons are the browser's to fetch and the renderer's to decode when asked. */
static const BadCase unasked_favicon = { "beta.test", "unasked-favicon", "FaviconDecoded 41 answers no DecodeFavicon" };
static const BadCase file_favicon = { "beta.test", "file-favicon",
                                      "UpdateFaviconURL names “file:///etc/passwd”, not an http(s) URL" };
static const BadCase unasked_pdf = { "beta.test", "unasked-pdf",
                                     "PdfPrinted for request 78, which was not asked of view" };

static void
printed_cb (GBytes *pdf, guint pages, const GError *error, gpointer user_data)
{
  GError **out = user_data;

  g_assert_null (pdf);
  *out = g_error_copy (error);
}

static gboolean
no_host (gpointer data)
{
  return g_list_model_get_n_items (bh_browser_get_renderer_hosts (data)) == 0;
}

static gboolean
have_error (gpointer data)
{
  return *(GError **) data != NULL;
}

/* A renderer that answers a print with something that is not a PDF is
 * killed, and the print fails: automation never hands a client what a
 * renderer made up. */
static void
test_not_a_pdf (void)
{
  g_autoptr (BhBrowser) browser = new_browser ();
  g_autoptr (BhTab) tab = bh_browser_new_tab (browser);
  g_autofree char *url = url_for ("beta.test", "fine");
  g_autoptr (GError) error = NULL;
  BhPrintSettings settings = { .page_width_pt = 612, .page_height_pt = 792, .scale = 1 };

  load (tab, url);
  bh_renderer_host_print_to_pdf (bh_tab_get_renderer_host (tab), bh_tab_get_view_id (tab), &settings,
                                 printed_cb, &error, NULL);
  bh_test_wait_until (WAIT_TIMEOUT_MS, have_error, &error, "the print to fail");
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_failed, tab, "the bad message");
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_BAD_MESSAGE);
  g_assert_nonnull (strstr (bh_tab_get_status_message (tab), "PdfPrinted with something that is not a PDF"));
  bh_test_wait_until (WAIT_TIMEOUT_MS, no_host, browser, "the offender to be reaped");
  shutdown_browser (browser);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  start_server ();

  g_test_add_func ("/browser/core/site-per-process", test_site_per_process);
  g_test_add_func ("/browser/core/history", test_history);
  g_test_add_func ("/browser/core/crash-and-reload", test_crash_and_reload);
  g_test_add_func ("/browser/core/launch-failed", test_launch_failed);
  g_test_add_func ("/browser/core/out-of-memory", test_out_of_memory);
  g_test_add_data_func ("/browser/core/bad-message/view", &bad_view, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/commit-url", &bad_url, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/frame", &bad_frame, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/redraw-held", &redraw_held, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/reused-buffer-id", &reused_buffer_id, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/huge-buffer", &huge_buffer, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/garbage", &garbage, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/script-result", &bad_script_result, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/dialog", &bad_dialog, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/cookie", &big_cookie, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/fetch-file-url", &fetch_file_url, test_bad_message);
  g_test_add_func ("/browser/core/fetch-preflight-refused", test_fetch_preflight_refused);
  g_test_add_data_func ("/browser/core/bad-message/storage-bad-operation", &storage_bad_operation, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/selection-too-long", &selection_too_long, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/find-reply-unasked", &find_reply_unasked, test_bad_message);
  g_test_add_func ("/browser/core/bad-message/find-reply-over-count", test_bad_find_reply);
  g_test_add_data_func ("/browser/core/bad-message/submit-bad-method", &submit_bad_method, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/submit-file-url", &submit_file_url, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/submit-get-with-body", &submit_get_with_body, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/submit-bad-type", &submit_bad_type, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/scroll-x-negative", &scroll_x_negative, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/popup-too-many", &popup_too_many, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/popup-bad-selected", &popup_bad_selected, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/context-menu-bad-link", &context_menu_bad_link, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/tooltip-too-long", &tooltip_too_long, test_bad_message);
  g_test_add_func ("/browser/core/popup-needs-user-activation", test_popup_needs_user_activation);
  g_test_add_func ("/browser/core/search-url-option", test_search_url_option);
  g_test_add_func ("/browser/core/clipboard-needs-user-activation", test_clipboard_needs_user_activation);
  g_test_add_data_func ("/browser/core/bad-message/unasked-nodes", &unasked_nodes, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/unasked-favicon", &unasked_favicon, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/file-favicon", &file_favicon, test_bad_message);
  g_test_add_data_func ("/browser/core/bad-message/unasked-pdf", &unasked_pdf, test_bad_message);
  g_test_add_func ("/browser/core/bad-message/not-a-pdf", test_not_a_pdf);
  g_test_add_func ("/browser/core/resizes-in-flight", test_resizes_in_flight);
  g_test_add_func ("/browser/core/request-budget-across-navigations", test_request_budget_across_navigations);
  g_test_add_func ("/browser/core/input-ack", test_input_ack);
  g_test_add_func ("/browser/core/ping", test_ping);
  g_test_add_func ("/browser/core/cross-site-reads-refused", test_cross_site_reads_refused);
  g_test_add_func ("/browser/core/cookies-for-renderers", test_cookies_for_renderers);
  g_test_add_func ("/browser/core/popups-need-user-activation", test_popups_need_user_activation);
  g_test_add_func ("/browser/core/no-fd-leak", test_no_fd_leak);
  return g_test_run ();
}
