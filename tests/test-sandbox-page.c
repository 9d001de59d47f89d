/* test-sandbox-page.c: about:sandbox reports each child's layers as /proc shows
 * them, and says why and how to fix it when namespaces cannot be had (#7). */
#include <string.h>

#include "bh-browser.h"
#include "bh-launcher.h"
#include "bh-sandbox-page.h"
#include "bh-tab.h"

static gboolean
expired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
load (BhTab *tab, const char *url)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (20000, expired_cb, &expired);

  bh_tab_navigate (tab, url);
  while (!expired && (bh_tab_get_state (tab) == BH_TAB_STATE_LOADING || bh_tab_get_frame (tab) == NULL))
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("timed out loading %s", url);
  g_source_remove (id);
  g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
}

static char *
render_page_with_two_renderers (void)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (BhBrowser) browser = NULL;
  g_autoptr (BhTab) data_tab = NULL;
  g_autoptr (BhTab) about_tab = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) page = NULL;

  options->renderer_path = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "renderer", "renderer", NULL);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  data_tab = bh_browser_new_tab (browser);
  about_tab = bh_browser_new_tab (browser);
  load (data_tab, "data:text/html,<p>a data: page, a site of its own");
  /* The tab shows the page a renderer drew; the test reads the same HTML. */
  load (about_tab, "about:sandbox");
  page = bh_process_manager_render_sandbox_page (bh_browser_get_process_manager (browser));
  bh_tab_close (data_tab);
  bh_tab_close (about_tab);
  bh_browser_shutdown (browser, 2000);
  return g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

static void
test_both_layers (void)
{
  g_autofree char *html = NULL;

  bh_launcher_probe_reset ();
  if (bh_launcher_probe ()->namespaces == BH_LAUNCHER_NAMESPACES_NONE)
    {
      g_test_skip ("this machine gives no namespaces");
      return;
    }
  html = render_page_with_two_renderers ();
  g_test_message ("%s", html);
  /* The browser, the data: renderer and the about: renderer that shows the page. */
  g_assert_cmpuint (count (html, "<tr><td>renderer</td>"), ==, 2);
  g_assert_cmpuint (count (html, "<tr><td>browser</td>"), ==, 1);
  g_assert_cmpuint (count (html, "<td class=\"yes\">filter (2)</td>"), ==, 2);
  g_assert_cmpuint (count (html, ">user,pid,net,ipc,uts,mnt"), ==, 2);
  g_assert_cmpuint (count (html, "<td class=\"yes\">2048 MiB</td>"), ==, 2);
  g_assert_null (strstr (html, "Why a layer is missing"));
}

static void
test_seccomp_only_fallback (void)
{
  g_autofree char *html = NULL;

  g_setenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES", "1", TRUE);
  bh_launcher_probe_reset ();
  html = render_page_with_two_renderers ();
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  bh_launcher_probe_reset ();
  g_test_message ("%s", html);
  /* Seccomp still holds, namespaces do not, and the page says why and what to do. */
  g_assert_nonnull (strstr (html, "This machine: seccomp only: "));
  g_assert_nonnull (strstr (html, "<b>Why a layer is missing:</b> namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1"));
  g_assert_nonnull (strstr (html, "<b>How to fix it:</b> "));
  g_assert_cmpuint (count (html, "<td class=\"yes\">filter (2)</td>"), ==, 2);
  g_assert_cmpuint (count (html, "<td class=\"no\">none</td>"), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sandbox/page/both-layers", test_both_layers);
  g_test_add_func ("/sandbox/page/seccomp-only-fallback", test_seccomp_only_fallback);
  return g_test_run ();
}
