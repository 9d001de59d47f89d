/* fetcher-test-util.c: what the test-fetcher*.c files share (see
 * fetcher-test-util.h).
 *
 * The HTTP server is tests/http-test-server.py (Debian's /usr/bin/python3),
 * listening on 127.0.0.1; libwebsockets runs on the test's GMainLoop.
 */
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "bh-config.h"
#include "bh-lws.h"
#include "fetcher-test-util.h"

const char test_page[] =
  "<!DOCTYPE html><html><head><title>Test page</title></head><body>hello</body></html>";

static GSubprocess *server;
guint server_port;
guint tls_port;
guint wide_port;

void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  FetchResult *fetch = user_data;

  g_assert_false (fetch->done);
  fetch->response = bh_fetch_finish (result, &fetch->error);
  fetch->done = TRUE;
  if (fetch->loop != NULL)
    g_main_loop_quit (fetch->loop);
}

gboolean
guard_cb (gpointer user_data)
{
  g_error ("a fetch did not complete within %d seconds", GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the fetch completes. @elapsed_ms: (optional). */
BhResponse *
fetch_sync_full (const char           *url,
                 const BhFetchOptions *opts,
                 GCancellable         *cancellable,
                 gint64               *elapsed_ms,
                 GError              **error)
{
  FetchResult fetch = { 0 };
  gint64 start = g_get_monotonic_time ();
  guint guard;

  fetch.loop = g_main_loop_new (NULL, FALSE);
  guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, NULL);
  bh_fetch (url, opts, cancellable, fetch_done_cb, &fetch);
  /* Never complete in the caller's stack frame. */
  g_assert_false (fetch.done);
  g_main_loop_run (fetch.loop);
  g_source_remove (guard);
  g_main_loop_unref (fetch.loop);

  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_true ((fetch.response == NULL) != (fetch.error == NULL));
  if (fetch.error != NULL)
    g_propagate_error (error, fetch.error);
  return fetch.response;
}

BhResponse *
fetch_sync (const char           *url,
            const BhFetchOptions *opts,
            GError              **error)
{
  return fetch_sync_full (url, opts, NULL, NULL, error);
}

char *
server_url (const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", server_port, path);
}

void
assert_body (BhResponse *response,
             const char *expected)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_cmpmem (data, size, expected, strlen (expected));
}

gboolean
body_contains (BhResponse *response,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (response->body, &size);

  return g_strstr_len (data, size, needle) != NULL;
}

/* Fetches @url expecting a BH_NET_ERROR @code and a message that says it,
 * containing @message_part when that is not %NULL. */
void
assert_fetch_fails (const char           *url,
                    const BhFetchOptions *opts,
                    BhNetError            code,
                    const char           *message_part)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = fetch_sync (url, opts, &error);

  g_assert_null (response);
  g_assert_error (error, BH_NET_ERROR, (int) code);
  g_assert_cmpstr (error->message, !=, "");
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("%s: expected “%s” in “%s”", url, message_part, error->message);
}

/* Set-up -------------------------------------------------------------------- */

static char *
find_server_script (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "http-test-server.py", NULL);
  g_autofree char *source_root = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  /* Run by hand, outside meson test: BH_DATADIR is <source>/data. */
  source_root = g_path_get_dirname (BH_DATADIR);
  return g_build_filename (source_root, "tests", "http-test-server.py", NULL);
}

/* The server must not outlive a test that crashes or is killed. */
static void
server_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

void
fetcher_test_start_server (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *script = find_server_script ();
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  guint64 port = 0;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("%s did not print its port (got “%s”)", script, line != NULL ? line : "EOF");
  server_port = (guint) port;

  g_free (line);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 0, 65535, &port, NULL))
    g_error ("%s did not print its TLS port (got “%s”)", script, line != NULL ? line : "EOF");
  tls_port = (guint) port;

  g_free (line);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_ascii_string_to_unsigned (line, 10, 1, 65535, &port, NULL))
    g_error ("%s did not print its third port (got “%s”)", script,
             line != NULL ? line : "EOF");
  wide_port = (guint) port;
}

/* Ends what fetcher_test_start_server() and the fetches started. */
void
fetcher_test_stop_server (void)
{
  bh_lws_shutdown ();
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
}
