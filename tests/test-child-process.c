/* test-child-process.c: what a child can do to the browser and the machine
 * outside its channel (issue 12, section 3): its stdout and stderr, and its
 * memory by routes the address-space limit does not see.
 *
 * Tabs are driven without a window against tests/bh-fake-renderer, whose
 * pages "stderr-attack" and "memfd-hog" misbehave on purpose, served by the
 * loopback HTTP server of bh-test-util.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bh-browser.h"
#include "bh-child-output.h"
#include "bh-tab.h"
#include "bh-test-util.h"

#define WAIT_TIMEOUT_MS 20000

static guint16 server_port;

static GBytes *
page_for (const char *path, const char **content_type)
{
  char *body = g_strdup_printf ("<html><body><p>%s</p></body></html>", path != NULL ? path : "?");

  *content_type = "text/html; charset=utf-8";
  return g_bytes_new_take (body, strlen (body));
}

static char *
url_for (const char *host, const char *path)
{
  if (server_port == 0)
    server_port = bh_test_http_server_start (4, page_for);
  return g_strdup_printf ("http://%s:%u/%s", host, server_port, path);
}

static BhBrowser *
new_browser (guint memory_limit_mb)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (GError) error = NULL;
  BhBrowser *browser;

  options->renderer_path = g_test_build_filename (G_TEST_BUILT, "bh-fake-renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->window_width_px = 320;
  options->window_height_px = 200;
  if (memory_limit_mb > 0)
    options->renderer_memory_limit_mb = memory_limit_mb;
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  return browser;
}

static gboolean
tab_done (gpointer data)
{
  BhTabState state = bh_tab_get_state (data);

  return state != BH_TAB_STATE_LOADING && (state != BH_TAB_STATE_COMPLETE || bh_tab_get_frame (data) != NULL);
}

static int
tab_pid (BhTab *tab)
{
  int pid = 0;

  g_object_get (tab, "renderer-pid", &pid, NULL);
  return pid;
}

/* ------------------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *needle;
} FileWait;

static gboolean
file_contains (gpointer data)
{
  const FileWait *wait = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (wait->path, &contents, NULL, NULL) && strstr (contents, wait->needle) != NULL;
}

/* The browser's stderr is a file, as with `browser 2>log`. A renderer that
 * writes to its stderr shows up there, prefixed, its escape defused; its
 * ftruncate() and lseek() on fd 2 hit its pipe, not the file. */
static void
output_body (void)
{
  g_autofree char *log_path = g_build_filename (g_get_tmp_dir (), "bulkhead-test-child-output-XXXXXX", NULL);
  g_autoptr (BhBrowser) browser = NULL;
  g_autoptr (BhTab) tab = NULL;
  g_autofree char *url = url_for ("alpha.test", "stderr-attack");
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *overwritten = NULL;
  FileWait wait;
  int fd, pid;

  fd = g_mkstemp (log_path);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (fd);
  g_printerr ("the browser's first line\n");

  browser = new_browser (0);
  tab = bh_browser_new_tab (browser);
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_done, tab, "the page");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  pid = tab_pid (tab);
  line = g_strdup_printf ("[renderer http://alpha.test %d] a line from the renderer\n", pid);
  escaped = g_strdup_printf ("[renderer http://alpha.test %d] \\x1b[2Jan escape\n", pid);
  overwritten = g_strdup_printf ("[renderer http://alpha.test %d] OVERWRITTEN\n", pid);
  wait.path = log_path;
  wait.needle = overwritten;
  bh_test_wait_until (WAIT_TIMEOUT_MS, file_contains, &wait, "the renderer's lines in the browser's stderr");
  bh_tab_close (tab);
  bh_browser_shutdown (browser, 2000);

  g_assert_true (g_file_get_contents (log_path, &contents, NULL, NULL));
  unlink (log_path);
  g_assert_true (g_str_has_prefix (contents, "the browser's first line\n"));
  g_assert_nonnull (strstr (contents, line));
  g_assert_nonnull (strstr (contents, escaped));
  /* No raw escape reached the terminal, and every line of the renderer is
   * its own, after the prefix. */
  g_assert_null (strchr (contents, '\033'));
  g_assert_null (strstr (contents, "\nOVERWRITTEN"));
}

static void
test_output (void)
{
  if (g_test_subprocess ())
    {
      output_body ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
}

/* bh_child_output_format_line(): what reaches the terminal. */
static void
test_output_format (void)
{
  static const struct {
    const char *line;
    gssize len;
    const char *expected;
  } cases[] = {
    { "plain text", -1, "[r x 1] plain text" },
    { "tab\there", -1, "[r x 1] tab\there" },
    { "\033]0;title\007", -1, "[r x 1] \\x1b]0;title\\x07" },
    { "caf\xc3\xa9 \xe2\x9c\x93", -1, "[r x 1] caf\xc3\xa9 \xe2\x9c\x93" },
    { "bad \xff\xfe utf-8", -1, "[r x 1] bad \\xff\\xfe utf-8" },
    { "c1 \xc2\x9b csi", -1, "[r x 1] c1 \\xc2\\x9b csi" },
    { "cut \xe2\x9c", -1, "[r x 1] cut \\xe2\\x9c" },
    { "nul\0inside", 10, "[r x 1] nul\\x00inside" },
    { "\r", -1, "[r x 1] \\x0d" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len >= 0 ? (gsize) cases[i].len : strlen (cases[i].line);
      g_autofree char *text = bh_child_output_format_line ("r x 1", cases[i].line, len);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
collect_line_cb (const char *line, gsize len, gpointer data)
{
  g_ptr_array_add (data, g_strndup (line, len));
}

/* The reader splits lines, cuts a line longer than the cap into pieces, and
 * hands over a last line without a newline at EOF. */
static void
test_output_reader (void)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *long_line = g_strnfill (BH_CHILD_OUTPUT_MAX_LINE_BYTES + 10, 'a');
  BhChildOutput *output;
  int fds[2];

  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  output = bh_child_output_new (fds[0], collect_line_cb, lines, NULL);
  g_assert_cmpint (write (fds[1], "one\ntwo\n", 8), ==, 8);
  g_assert_cmpint (write (fds[1], long_line, strlen (long_line)), ==, (gssize) strlen (long_line));
  g_assert_cmpint (write (fds[1], "\nlast", 5), ==, 5);
  close (fds[1]);
  while (!bh_child_output_is_closed (output))
    g_main_context_iteration (NULL, TRUE);
  bh_child_output_free (output);

  g_assert_cmpuint (lines->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "one");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "two");
  g_assert_cmpuint (strlen (g_ptr_array_index (lines, 2)), ==, BH_CHILD_OUTPUT_MAX_LINE_BYTES);
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "aaaaaaaaaa");
  g_assert_cmpstr (g_ptr_array_index (lines, 4), ==, "last");
}

/* ------------------------------------------------------------------------- */

/* A renderer writes 512 MiB into a memfd it never maps, four times its
 * limit: it is stopped with the status oom, its tab shows the out-of-memory
 * sad tab, the browser and another site's tab carry on. */
static void
test_memfd_hog (void)
{
  g_autoptr (BhBrowser) browser = new_browser (128);
  g_autoptr (BhTab) good = bh_browser_new_tab (browser);
  g_autoptr (BhTab) hog = bh_browser_new_tab (browser);
  g_autofree char *good_url = url_for ("alpha.test", "good");
  g_autofree char *hog_url = url_for ("beta.test", "memfd-hog");
  int good_pid;

  bh_tab_navigate (good, good_url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_done, good, "the good page");
  good_pid = tab_pid (good);

  bh_tab_navigate (hog, hog_url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_done, hog, "the memfd hog's end");
  g_test_message ("%s: %s", bh_tab_state_to_string (bh_tab_get_state (hog)), bh_tab_get_status_message (hog));
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (hog)), ==, "oom");
  g_assert_cmpstr (bh_tab_get_status_message (hog), ==, "The renderer for http://beta.test ran out of memory");

  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (good)), ==, "complete");
  g_assert_cmpint (tab_pid (good), ==, good_pid);
  /* Reload spawns a fresh renderer, which is stopped the same way. */
  bh_tab_reload (hog);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_done, hog, "the second hog's end");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (hog)), ==, "oom");
  bh_tab_close (good);
  bh_tab_close (hog);
  bh_browser_shutdown (browser, 2000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/child/output/format", test_output_format);
  g_test_add_func ("/child/output/reader", test_output_reader);
  g_test_add_func ("/child/output/prefixed-and-untruncatable", test_output);
  g_test_add_func ("/child/memory/memfd-hog", test_memfd_hog);
  return g_test_run ();
}
