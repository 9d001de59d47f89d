/* test-browser-headless.c: `browser --headless --screenshot`, end to end.
 *
 * Runs the built browser (with the real renderer) with no display, against
 * /usr/bin/python3 -m http.server on 0.0.0.0, and looks at what a user gets:
 * the exit status, stderr and the PNG.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bh-test-profile.h"

#define DEBIAN_REFERENCE_DIR "/usr/share/debian-reference"

typedef struct {
  GSubprocess *process;
  guint16 port;
} Server;

static char *browser_path;

static void server_stop (Server *server);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_stop)

static void
server_stop (Server *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

/* Starts python's http.server on a port the kernel picks and reads it back
 * from its "Serving HTTP on 0.0.0.0 port N" line. */
static void
server_start (Server *server, const char *directory)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *port;

  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                      &error, "/usr/bin/python3", "-u", "-m", "http.server", "0",
                                      "--bind", "0.0.0.0", "--directory", directory, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port = strstr (line, " port ");
  g_assert_nonnull (port);
  server->port = (guint16) g_ascii_strtoull (port + strlen (" port "), NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

typedef struct {
  int exit_status;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Python runs the browser and reports its peak RSS (ru_maxrss of its one child) on
 * stderr, for run_browser_measured(). */
static const char measure_script[] =
  "import resource, subprocess, sys\n"
  "code = subprocess.call(sys.argv[1:])\n"
  "sys.stderr.write('test-browser-headless: peak RSS %d KiB\\n' % "
  "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
  "sys.exit(code)\n";

static void run_argv (Run *run, GPtrArray *argv);

/* Runs the browser with no display at all and the given arguments. */
static void
run_browser (Run *run, const char *first_arg, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, browser_path);
  g_ptr_array_add (argv, (char *) bh_test_user_data_dir_arg ());
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  run_argv (run, argv);
}

/* The same, and the browser process's peak resident memory, in KiB. */
static guint64
run_browser_measured (Run *run, const char *first_arg, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *line;
  va_list args;

  g_ptr_array_add (argv, "/usr/bin/python3");
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, (char *) measure_script);
  g_ptr_array_add (argv, browser_path);
  g_ptr_array_add (argv, (char *) bh_test_user_data_dir_arg ());
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  run_argv (run, argv);
  line = strstr (run->err, "test-browser-headless: peak RSS ");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("test-browser-headless: peak RSS "), NULL, 10);
}

static void
run_argv (Run *run, GPtrArray *argv)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d, stderr:\n%s", run->exit_status, run->err);
}

/* Every renderer pid the browser's --ipc-debug lines name ("-> renderer[PID
 * SITE]"); the renderer's own lines give its pid inside its namespace. */
static GArray *
renderer_pids (const char *err)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  const char *p = err;

  while ((p = strstr (p, "-> renderer[")) != NULL)
    {
      int pid = (int) g_ascii_strtoll (p + strlen ("-> renderer["), NULL, 10);
      gboolean seen = FALSE;

      for (guint i = 0; i < pids->len; i++)
        seen = seen || g_array_index (pids, int, i) == pid;
      if (pid > 0 && !seen)
        g_array_append_val (pids, pid);
      p += strlen ("-> renderer[");
    }
  return pids;
}

/* The browser exited; none of its renderers may outlive it. */
static void
assert_renderers_gone (GArray *pids)
{
  for (guint i = 0; i < pids->len; i++)
    {
      int pid = g_array_index (pids, int, i);

      g_assert_cmpint (kill (pid, 0), ==, -1);
      g_assert_cmpint (errno, ==, ESRCH);
    }
}

typedef struct {
  guint dark;  /* luminance < 96: text */
  guint light; /* luminance > 200: background */
  guint red;   /* clearly red: the test image */
  guint total;
} PixelCounts;

static GdkPixbuf *
load_png (const char *path, int width, int height, PixelCounts *counts)
{
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);
  int channels, stride;
  const guint8 *pixels;

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  memset (counts, 0, sizeof *counts);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;
        guint luminance = (p[0] * 299u + p[1] * 587u + p[2] * 114u) / 1000u;

        counts->total++;
        if (luminance < 96)
          counts->dark++;
        else if (luminance > 200)
          counts->light++;
        if (p[0] > 180 && p[1] < 80 && p[2] < 80)
          counts->red++;
      }
  return pixbuf;
}

static char *
temp_png (const char *name)
{
  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

static gboolean
have_renderer (void)
{
  g_autofree char *dir = g_path_get_dirname (browser_path);
  g_autofree char *renderer = g_build_filename (dir, "..", "renderer", "renderer", NULL);

  if (g_file_test (renderer, G_FILE_TEST_IS_EXECUTABLE))
    return TRUE;
  g_test_skip ("the renderer is not built");
  return FALSE;
}

static void
test_screenshot (void)
{
  g_auto (Server) server = { 0 };
  g_auto (Run) run = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-screenshot.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autofree char *url = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GArray) pids = NULL;
  PixelCounts counts;

  if (!have_renderer ())
    return;
  if (!g_file_test (DEBIAN_REFERENCE_DIR "/index.en.html", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("debian-reference-en is not installed");
      return;
    }

  server_start (&server, DEBIAN_REFERENCE_DIR);
  url = g_strdup_printf ("http://127.0.0.1:%u/index.en.html", server.port);
  unlink (png);
  run_browser (&run, "--headless", screenshot, "--window-size=800,600",
               "--ipc-debug=CommitNavigation", url, NULL);
  server_stop (&server);

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_null (strstr (run.err, "bad message"));
  g_assert_nonnull (strstr (run.err, "CommitNavigation"));
  pixbuf = load_png (png, 800, 600, &counts);
  /* A page of text: mostly light background, and text in a dark colour. */
  g_assert_cmpuint (counts.light, >, counts.total / 2);
  g_assert_cmpuint (counts.dark, >, 500);
  pids = renderer_pids (run.err);
  g_assert_cmpuint (pids->len, ==, 1);
  assert_renderers_gone (pids);
  unlink (png);
}

static void
test_connection_refused (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-refused.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  if (!have_renderer ())
    return;
  /* A port that was free a moment ago and on which nothing listens. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  unlink (png);
  run_browser (&run, "--headless", screenshot, "--window-size=400,300", url, NULL);
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bulkhead: could not load http://127.0.0.1:"));
  g_assert_nonnull (strstr (run.err, "ERR_CONNECTION_REFUSED"));
  /* The error page is still written, so the reason can be seen. */
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  unlink (png);
}

static void
write_red_png (const char *path)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 64);
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0xff0000ff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

/* alpha.test's page shows an image from beta.test: two sites through
 * --host-resolver-rules, one of them on 127.0.0.2. */
static void
test_two_sites (void)
{
  g_auto (Server) server = { 0 };
  g_auto (Run) run = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *page_path = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *page = NULL;
  g_autofree char *url = NULL;
  g_autofree char *image_url = NULL;
  g_autofree char *png = temp_png ("bulkhead-test-two-sites.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autoptr (GArray) pids = NULL;
  g_autoptr (GError) error = NULL;
  PixelCounts counts;

  if (!have_renderer ())
    return;
  dir = g_dir_make_tmp ("bulkhead-test-XXXXXX", &error);
  g_assert_no_error (error);
  image_path = g_build_filename (dir, "red.png", NULL);
  write_red_png (image_path);
  server_start (&server, dir);

  image_url = g_strdup_printf ("http://beta.test:%u/red.png", server.port);
  page = g_strdup_printf ("<!DOCTYPE html><html><head><title>Two sites</title></head><body>"
                          "<p>An image from another site:</p><img src=\"%s\" width=64 height=64>"
                          "</body></html>",
                          image_url);
  page_path = g_build_filename (dir, "page.html", NULL);
  g_file_set_contents (page_path, page, -1, &error);
  g_assert_no_error (error);

  url = g_strdup_printf ("http://alpha.test:%u/page.html", server.port);
  unlink (png);
  run_browser (&run, "--headless", screenshot, "--window-size=400,300",
               "--host-resolver-rules=MAP alpha.test 127.0.0.1, MAP beta.test 127.0.0.2",
               "--ipc-debug=CommitNavigation,Resource*", url, NULL);
  server_stop (&server);
  unlink (page_path);
  unlink (image_path);
  rmdir (dir);

  g_assert_cmpint (run.exit_status, ==, 0);
  /* The page was committed to alpha.test's renderer, which asked the browser
   * for beta.test's image and got it. */
  g_assert_nonnull (strstr (run.err, "http://alpha.test]"));
  g_assert_nonnull (strstr (run.err, "ResourceRequest"));
  g_assert_nonnull (strstr (run.err, "ResourceResponse"));
  g_assert_null (strstr (run.err, "ResourceFailed"));
  pixbuf = load_png (png, 400, 300, &counts);
  g_assert_cmpuint (counts.red, >=, 64 * 64 / 2);
  pids = renderer_pids (run.err);
  g_assert_cmpuint (pids->len, ==, 1);
  assert_renderers_gone (pids);
  unlink (png);
}

/* Several URLs: a tab each (Chromium's headless mode), the screenshot of the
 * first, and a failure in any tab is the run's. */
static void
test_several_urls (void)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) failing = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-several.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  PixelCounts counts;
  guint commits = 0;

  if (!have_renderer ())
    return;
  unlink (png);
  run_browser (&run, "--headless", screenshot, "--window-size=200,100", "--ipc-debug=CommitNavigation",
               "data:text/html,<body style='background:red'><p>first",
               "data:text/html,<body style='background:blue'><p>second",
               "about:blank", NULL);
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_null (strstr (run.err, "ignoring"));
  /* Each URL was committed, in a tab of its own. */
  for (const char *p = run.err; (p = strstr (p, "-> renderer[")) != NULL; p++)
    if (strstr (p, "CommitNavigation") < strchr (p, '\n'))
      commits++;
  g_assert_cmpuint (commits, ==, 3);
  g_assert_nonnull (strstr (run.err, "first"));
  g_assert_nonnull (strstr (run.err, "second"));
  g_assert_nonnull (strstr (run.err, "'about:blank'"));
  /* The picture is the first tab's: red. */
  pixbuf = load_png (png, 200, 100, &counts);
  g_assert_cmpuint (counts.red, >=, counts.total * 3 / 4);
  unlink (png);

  /* The second tab's failure fails the run, and names its URL. */
  run_browser (&failing, "--headless", "about:blank", "http://127.0.0.1:1/", NULL);
  g_assert_cmpint (failing.exit_status, ==, 1);
  g_assert_nonnull (strstr (failing.err, "bulkhead: could not load http://127.0.0.1:1/"));
}

static void
test_renderer_crash (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-crash.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);

  if (!have_renderer ())
    return;
  run_browser (&run, "--headless", screenshot, "about:crash", NULL);
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bulkhead: The renderer for about: crashed (SIG"));
}

static void
test_timeout (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-hang.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  gint64 start = g_get_monotonic_time ();

  if (!have_renderer ())
    return;
  run_browser (&run, "--headless", screenshot, "--timeout=1500", "about:hang", NULL);
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "bulkhead: timed out after 1500 ms loading about:hang"));
  /* The hung renderer does not keep the browser from exiting. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_no_display (void)
{
  g_auto (Run) run = { 0 };
  g_auto (GStrv) lines = NULL;

  run_browser (&run, "about:blank", NULL);
  g_assert_cmpint (run.exit_status, ==, 1);
  lines = g_strsplit (g_strchomp (run.err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "bulkhead: no display found"));
}

static void
test_bad_option (void)
{
  g_auto (Run) run = { 0 };

  run_browser (&run, "--headless", "--window-size=12", "about:blank", NULL);
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--window-size"));
}

/* Starts tests/http-test-server.py and reads its first port back. */
static void
test_server_start (Server *server)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "http-test-server.py", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                      "/usr/bin/python3", script, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = (guint16) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  /* Its other two ports: read them, or the server dies writing to a closed pipe. */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *other = g_data_input_stream_read_line (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (other);
    }
}

/* The body of a GET of @path on 127.0.0.1:@port. */
static char *
http_get (guint16 port, const char *path)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
  g_autoptr (GOutputStream) body = g_memory_output_stream_new_resizable ();
  const char *text;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request, strlen (request),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_splice (body, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write (body, "", 1, NULL, NULL);
  text = strstr (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (body)), "\r\n\r\n");
  g_assert_nonnull (text);
  return g_strdup (text + 4);
}

/* Issue 12: a page with more than 256 images, style sheets or <embed>s made the real
 * renderer go over the browser's in-flight budget, and the browser killed it as a bad
 * message. The renderer now queues its requests within the budget, and reports no more
 * plugin boxes than the browser takes: 600 images, 10 style sheets and 300 embeds
 * load, and nothing is killed. */
static void
test_many_subresources (void)
{
  g_auto (Server) server = { 0 };
  g_auto (Run) run = { 0 };
  g_autofree char *png = temp_png ("bulkhead-test-many.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autofree char *url = NULL;
  g_autofree char *served = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  PixelCounts counts;
  guint images = 0, sheets = 0, svgs = 0;

  if (!have_renderer ())
    return;
  test_server_start (&server);
  url = g_strdup_printf ("http://127.0.0.1:%u/many?images=600&embeds=300&sheets=10", server.port);
  unlink (png);
  run_browser (&run, "--headless", screenshot, "--window-size=800,600", "--timeout=120000", url, NULL);
  served = http_get (server.port, "/many-served");
  server_stop (&server);
  g_test_message ("served: %s", served);

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_null (strstr (run.err, "bad message"));
  g_assert_cmpint (sscanf (served, "images %u sheets %u svgs %u", &images, &sheets, &svgs), ==, 3);
  g_assert_cmpuint (images, ==, 600);
  g_assert_cmpuint (sheets, ==, 10);
  g_assert_cmpuint (svgs, >, 0);
  /* Every image on screen: 600 red squares of 8x8 px, in lines that overlap them by a
   * pixel row at most. */
  pixbuf = load_png (png, 800, 600, &counts);
  g_assert_cmpuint (counts.red, >=, 600 * 56);
  unlink (png);
}

/* Issue 12: a renderer shared a 16384x16384 px (1 GiB) buffer for an 800x600 view,
 * and the browser took it: it grew past 1 GB and wrote a 16384 px PNG. Now it is a
 * bad message: the renderer is killed before the buffer is mapped, the run fails
 * saying why, and the browser stays small. */
static void
test_huge_buffer (void)
{
  g_auto (Server) server = { 0 };
  g_auto (Run) run = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("bh-headless-XXXXXX", NULL);
  g_autofree char *page = g_build_filename (dir, "huge-buffer.html", NULL);
  g_autofree char *png = temp_png ("bulkhead-test-huge-buffer.png");
  g_autofree char *screenshot = g_strconcat ("--screenshot=", png, NULL);
  g_autofree char *fake = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "tests", "bh-fake-renderer", NULL);
  g_autofree char *subprocess = g_strconcat ("--browser-subprocess-path=", fake, NULL);
  g_autofree char *url = NULL;
  guint64 peak_kib;

  g_assert_true (g_file_set_contents (page, "<p>a page", -1, NULL));
  server_start (&server, dir);
  url = g_strdup_printf ("http://127.0.0.1:%u/huge-buffer.html", server.port);
  unlink (png);
  peak_kib = run_browser_measured (&run, "--headless", screenshot, "--window-size=800,600", "--timeout=60000",
                                   subprocess, url, NULL);
  server_stop (&server);

  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "BufferCreated of a 16384x16384 px buffer for a 800x600 px view"));
  if (g_file_test (png, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GdkPixbuf) shot = gdk_pixbuf_new_from_file (png, NULL);

      g_assert_nonnull (shot);
      g_assert_cmpint (gdk_pixbuf_get_width (shot), ==, 800);
      g_assert_cmpint (gdk_pixbuf_get_height (shot), ==, 600);
    }
  g_test_message ("browser peak RSS %" G_GUINT64_FORMAT " KiB", peak_kib);
  g_assert_cmpuint (peak_kib, <, 300 * 1024);
  unlink (png);
  unlink (page);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  const char *build_dir;
  int status;

  g_test_init (&argc, &argv, NULL);
  build_dir = g_getenv ("BULKHEAD_BUILDDIR");
  if (build_dir == NULL)
    build_dir = ".";
  browser_path = g_build_filename (build_dir, "browser", "browser", NULL);

  g_test_add_func ("/browser/headless/screenshot", test_screenshot);
  g_test_add_func ("/browser/headless/connection-refused", test_connection_refused);
  g_test_add_func ("/browser/headless/two-sites", test_two_sites);
  g_test_add_func ("/browser/headless/several-urls", test_several_urls);
  g_test_add_func ("/browser/headless/renderer-crash", test_renderer_crash);
  g_test_add_func ("/browser/headless/timeout", test_timeout);
  g_test_add_func ("/browser/headless/no-display", test_no_display);
  g_test_add_func ("/browser/headless/bad-option", test_bad_option);
  g_test_add_func ("/browser/headless/huge-buffer", test_huge_buffer);
  g_test_add_func ("/browser/headless/many-subresources", test_many_subresources);
  status = g_test_run ();
  g_free (browser_path);
  return status;
}
