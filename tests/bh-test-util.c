/* bh-test-util.c: helpers shared by the C test programs (see bh-test-util.h). */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bh-test-util.h"

/* ---- the HTTP server ---- */

typedef struct {
  BhTestHttpHandler handler;
  BhTestHttpRequestHandler request_handler;
} Handlers;

static gboolean
handle_connection_cb (GThreadedSocketService *service, GSocketConnection *connection,
                      GObject *source, gpointer user_data)
{
  Handlers *handlers = user_data;
  g_autofree char *request_type = NULL;
  gsize content_length = 0;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr (GDataInputStream) data = g_data_input_stream_new (in);
  g_autofree char *request_line = NULL;
  g_autofree char *header = NULL;
  g_autoptr (GBytes) body = NULL;
  g_auto (GStrv) parts = NULL;
  const char *content_type = "text/html; charset=utf-8";
  char *line;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  request_line = g_data_input_stream_read_line (data, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  /* The headers are read to their end so that the client is not reset by a
   * close with unread data; Content-Length and Content-Type say what a
   * request's body is. */
  while ((line = g_data_input_stream_read_line (data, NULL, NULL, NULL)) != NULL)
    {
      gboolean end = line[0] == '\0' || g_str_equal (line, "\r");

      g_strchomp (line);
      if (g_ascii_strncasecmp (line, "content-length:", 15) == 0)
        content_length = (gsize) g_ascii_strtoull (line + 15, NULL, 10);
      else if (g_ascii_strncasecmp (line, "content-type:", 13) == 0)
        request_type = g_strstrip (g_strdup (line + 13));
      g_free (line);
      if (end)
        break;
    }
  parts = g_strsplit (request_line, " ", 3);
  if (g_strv_length (parts) < 2)
    return TRUE;
  if (handlers->request_handler != NULL)
    {
      g_autofree guint8 *request_body = g_malloc0 (MIN (content_length, 16u << 20) + 1);
      gsize got = 0;
      g_autoptr (GBytes) request_bytes = NULL;

      g_input_stream_read_all (G_INPUT_STREAM (data), request_body, MIN (content_length, 16u << 20), &got, NULL,
                               NULL);
      request_bytes = g_bytes_new (request_body, got);
      body = handlers->request_handler (parts[0], parts[1], request_type, request_bytes, &content_type);
    }
  else
    body = handlers->handler (parts[1], &content_type);
  header = g_strdup_printf ("HTTP/1.0 200 OK\r\nContent-Type: %s\r\n"
                            "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                            content_type, g_bytes_get_size (body));
  g_output_stream_write_all (out, header, strlen (header), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL,
                             NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/**
 * bh_test_http_server_start:
 * @max_threads: how many connections are served at once
 * @handler: makes each answer's body
 *
 * Starts an HTTP/1.0 server on every address (so that --host-resolver-rules
 * can map test hosts to 127.0.0.1, 127.0.0.2...) and a free port. Every GET
 * is answered "200 OK" with what @handler makes, then the connection is
 * closed. The server lives as long as the process; failing to listen fails
 * the test.
 *
 * Returns: the port it listens on.
 */
static guint16
start_server (int max_threads, Handlers *handlers)
{
  GSocketService *service = g_threaded_socket_service_new (max_threads); /* never freed */
  g_autoptr (GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (handle_connection_cb), handlers);
  g_socket_service_start (service);
  return port;
}

guint16
bh_test_http_server_start (int max_threads, BhTestHttpHandler handler)
{
  Handlers *handlers = g_new0 (Handlers, 1); /* as long as the server: never freed */

  handlers->handler = handler;
  return start_server (max_threads, handlers);
}

/**
 * bh_test_http_server_start_full:
 * @max_threads: how many connections are served at once
 * @handler: makes each answer's body, seeing the whole request
 *
 * As bh_test_http_server_start(), for any method: a request's body (as its
 * Content-Length says) is read and handed to @handler.
 *
 * Returns: the port it listens on.
 */
guint16
bh_test_http_server_start_full (int max_threads, BhTestHttpRequestHandler handler)
{
  Handlers *handlers = g_new0 (Handlers, 1);

  handlers->request_handler = handler;
  return start_server (max_threads, handlers);
}

/* ---- waiting ---- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * bh_test_wait_until:
 * @timeout_ms: how long to wait at most, in milliseconds
 * @done: the condition waited for
 * @data: what @done looks at
 * @what: what is waited for, in words, for the failure message
 *
 * Runs the default main context, blocking between events, until @done
 * holds. Fails the test (g_error()) when it does not within @timeout_ms.
 */
void
bh_test_wait_until (guint timeout_ms, BhTestCondition done, gpointer data, const char *what)
{
  bh_test_wait_until_full (timeout_ms, done, NULL, data, what);
}

/**
 * bh_test_wait_until_full:
 * @timeout_ms: how long to wait at most, in milliseconds
 * @done: the condition waited for
 * @describe: (nullable): says what @data shows when the wait times out
 * @data: what @done and @describe look at
 * @what: what is waited for, in words, for the failure message
 *
 * As bh_test_wait_until(); on a timeout the failure message also tells
 * what @describe saw then (say the title the page has at that moment), not
 * what was there when the wait began.
 */
void
bh_test_wait_until_full (guint timeout_ms, BhTestCondition done, BhTestDescribe describe, gpointer data,
                         const char *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    {
      g_autofree char *seen = describe != NULL ? describe (data) : NULL;

      if (seen != NULL)
        g_error ("timed out after %u ms waiting for %s (%s)", timeout_ms, what, seen);
      g_error ("timed out after %u ms waiting for %s", timeout_ms, what);
    }
  g_source_remove (id);
}

/**
 * bh_test_run_for:
 * @ms: how long, in milliseconds
 *
 * Runs the default main context for @ms whatever happens, blocking between
 * events.
 */
void
bh_test_run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, timeout_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * bh_test_spin:
 * @ms: how long, in milliseconds
 *
 * Runs the default main context for @ms without blocking in it, sleeping a
 * millisecond when idle: unlike bh_test_run_for(), this also serves sources
 * that poll no fd of this context, such as an X connection GDK reads late.
 */
void
bh_test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* ---- the X server ---- */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * bh_test_start_xvfb:
 * @geometry: the screen, as Xvfb's -screen takes it, e.g. "1400x1000x24"
 * @noreset: whether to pass -noreset (keep the server when its last client
 *   leaves)
 *
 * Starts an Xvfb of this test's own on a display number it picks itself
 * (-displayfd), so that parallel test runs do not collide, waits until it
 * accepts clients and points $DISPLAY at it. The server dies with this
 * process (PR_SET_PDEATHSIG). Failing to spawn an Xvfb that is installed
 * fails the test.
 *
 * Returns: (transfer full) (nullable): the server, or NULL when there is no
 *   Xvfb in $PATH.
 */
GSubprocess *
bh_test_start_xvfb (const char *geometry, gboolean noreset)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xvfb_path = g_find_program_in_path ("Xvfb");
  g_autoptr (GString) display = g_string_new (":");
  GSubprocess *xvfb;
  int fds[2];
  char c;

  if (xvfb_path == NULL)
    return NULL;
  g_assert_no_errno (pipe2 (fds, O_CLOEXEC));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, xvfb_path, "-displayfd", "3", "-screen",
                                      "0", geometry, "-nolisten", "tcp",
                                      noreset ? "-noreset" : NULL, NULL);
  g_assert_no_error (error);
  /* Xvfb writes the display number and a newline once it accepts clients. */
  while (read (fds[0], &c, 1) == 1 && c != '\n')
    g_string_append_c (display, c);
  close (fds[0]);
  g_assert_cmpuint (display->len, >, 1);
  g_setenv ("DISPLAY", display->str, TRUE);
  return xvfb;
}

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/**
 * bh_test_wait_for_paint:
 * @widget: a widget in a shown window
 * @timeout_s: how long to wait at most, in seconds
 *
 * Lets @widget's window draw what it has: a few frame clock cycles, then a
 * round trip so that the display server holds the pixels. Fails the test
 * (g_error()) when the frames do not come within @timeout_s.
 */
void
bh_test_wait_for_paint (GtkWidget *widget, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint frames = 0;
  guint id;

  gtk_widget_queue_draw (widget);
  id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  while (frames < 3)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u s waiting for a paint", timeout_s);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  gtk_widget_remove_tick_callback (widget, id);
  gdk_display_sync (gtk_widget_get_display (widget));
}
