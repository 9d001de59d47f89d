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
  /* The tab started the escape self-test; it reports in a second or so. */
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    for (;;)
      {
        g_clear_pointer (&page, g_bytes_unref);
        page = bh_process_manager_render_sandbox_page (bh_browser_get_process_manager (browser));
        if (strstr (g_bytes_get_data (page, NULL), "id=\"self-test\"") != NULL ||
            strstr (g_bytes_get_data (page, NULL), "could not run") != NULL)
          break;
        if (g_get_monotonic_time () > deadline)
          g_error ("the escape self-test did not report in 60 s");
        g_main_context_iteration (NULL, FALSE);
        g_usleep (20000);
      }
  }
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

/* Every attempt of the escape self-test is on the page, and blocked. */
static void
assert_self_test_blocked (const char *html)
{
  static const char *const attempts[] = {
    "fds", "dumpable", "passwd", "home", "tmp", "socket", "environ", "maps", "mem", "connect", "connect-unix",
    "dgram", "dgram-path", "execve", "fork", "ptrace", "kill", "unshare", "reconnect",
  };

  g_assert_nonnull (strstr (html, "<table border=\"1\" cellspacing=\"0\" id=\"self-test\">"));
  for (gsize i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      g_autofree char *row = g_strdup_printf ("<tr><td>%s</td>", attempts[i]);

      g_assert_cmpuint (count (html, row), ==, 1);
    }
  g_assert_null (strstr (html, "ALLOWED"));
  g_assert_cmpuint (count (html, "<td class=\"yes\">blocked ("), >=, 16);
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
  g_assert_cmpuint (count (html, "<td class=\"yes\">2048 MiB; "), ==, 2);
  g_assert_cmpuint (count (html, "; files \xe2\x89\xa4 2048 MiB; \xe2\x89\xa4 "), ==, 2);
  g_assert_null (strstr (html, "Why a layer is missing"));
  g_assert_nonnull (strstr (html, "<li><b>Landlock:</b> not needed: the namespaces"));
  g_assert_nonnull (strstr (html, "<li><b>Memory limit:</b> 2048 MiB per child"));
  assert_self_test_blocked (html);
}

static void
test_seccomp_only_fallback (gconstpointer data)
{
  gboolean landlock = GPOINTER_TO_INT (data);
  g_autofree char *html = NULL;

  g_setenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES", "1", TRUE);
  if (!landlock)
    g_setenv ("BULKHEAD_SANDBOX_TEST_NO_LANDLOCK", "1", TRUE);
  bh_launcher_probe_reset ();
  if (landlock && bh_launcher_probe ()->landlock_abi == 0)
    {
      g_test_skip_printf ("no Landlock here: %s", bh_launcher_probe ()->landlock_cause);
      g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
      bh_launcher_probe_reset ();
      return;
    }
  html = render_page_with_two_renderers ();
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_LANDLOCK");
  bh_launcher_probe_reset ();
  g_test_message ("%s", html);
  /* Seccomp still holds, namespaces do not, and the page says why and what
   * to do, and what stands in for them. */
  if (landlock)
    {
      g_assert_nonnull (strstr (html, "This machine: seccomp + Landlock: "));
      g_assert_nonnull (strstr (html, "<li><b>Landlock:</b> Landlock ABI "));
      g_assert_cmpuint (count (html, "<td>seccomp + Landlock: namespaces turned off by "), ==, 2);
    }
  else
    {
      g_assert_nonnull (strstr (html, "This machine: seccomp only: "));
      g_assert_nonnull (strstr (html, "<li><b>Landlock:</b> not available: Landlock turned off by "
                                      "BULKHEAD_SANDBOX_TEST_NO_LANDLOCK=1"));
    }
  g_assert_nonnull (strstr (html, "<b>Why a layer is missing:</b> namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1"));
  g_assert_nonnull (strstr (html, "<b>How to fix it:</b> "));
  g_assert_cmpuint (count (html, "<td class=\"yes\">filter (2)</td>"), ==, 2);
  g_assert_cmpuint (count (html, "<td class=\"no\">none</td>"), ==, 2);
  assert_self_test_blocked (html);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sandbox/page/both-layers", test_both_layers);
  g_test_add_data_func ("/sandbox/page/seccomp-only-fallback", GINT_TO_POINTER (FALSE), test_seccomp_only_fallback);
  g_test_add_data_func ("/sandbox/page/seccomp-landlock-fallback", GINT_TO_POINTER (TRUE),
                        test_seccomp_only_fallback);
  return g_test_run ();
}
