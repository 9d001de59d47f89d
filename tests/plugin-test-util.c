/* plugin-test-util.c: see plugin-test-util.h. */
#include "plugin-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct _PluginTestServer {
  GSubprocess *process;
  char *base_url;
};

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s: %s (it comes with a Debian package named in tools/debian-packages.txt)", path, error->message);
  return g_bytes_new_take (contents, length);
}

static void
write_file (const char *dir, const char *name, const void *data, gsize length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

/* The logo ships gzip-compressed; a server would inflate it on the way. */
static GBytes *
inflate_svgz (GBytes *compressed)
{
  g_autoptr (GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) raw = g_memory_input_stream_new_from_bytes (compressed);
  g_autoptr (GInputStream) inflated = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_output_stream_splice (out, inflated, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

char *
plugin_test_site_new (const char *fake_mode)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr (GDir) pages = NULL;
  g_autoptr (GBytes) pdf = read_file (PLUGIN_TEST_PDF_PATH);
  g_autoptr (GBytes) svgz = read_file (PLUGIN_TEST_SVG_PATH);
  g_autoptr (GBytes) svg = inflate_svgz (svgz);
  char *dir = g_dir_make_tmp ("bulkhead-plugin-site-XXXXXX", &error);
  const char *name;

  g_assert_no_error (error);
  pages = g_dir_open (data_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (pages)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr (GBytes) page = NULL;

      if (!g_str_has_prefix (name, "plugin-") || !g_str_has_suffix (name, ".html"))
        continue;
      path = g_build_filename (data_dir, name, NULL);
      page = read_file (path);
      write_file (dir, name, g_bytes_get_data (page, NULL), g_bytes_get_size (page));
    }
  write_file (dir, "spec.pdf", g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  write_file (dir, "spec.bin", g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  write_file (dir, "truncated.pdf", g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf) / 2);
  write_file (dir, "logo.svg", g_bytes_get_data (svg, NULL), g_bytes_get_size (svg));
  if (fake_mode != NULL)
    write_file (dir, "fake.pdf", fake_mode, strlen (fake_mode));
  return dir;
}

void
plugin_test_site_free (char *dir)
{
  g_autoptr (GDir) listing = NULL;
  const char *name;

  if (dir == NULL)
    return;
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

PluginTestServer *
plugin_test_server_start (const char *dir, const char *address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  PluginTestServer *server = g_new0 (PluginTestServer, 1);
  const char *port;

  /* -u: the "Serving HTTP on ... port N" line must not wait in a buffer. */
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                      "/usr/bin/python3", "-u", "-m", "http.server", "0", "--bind", address,
                                      "--directory", dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port = strstr (line, " port ");
  g_assert_nonnull (port);
  server->base_url = g_strdup_printf ("http://%s:%d/", address, atoi (port + strlen (" port ")));
  g_test_message ("serving %s at %s", dir, server->base_url);
  return server;
}

const char *
plugin_test_server_get_base_url (PluginTestServer *server)
{
  return server->base_url;
}

void
plugin_test_server_stop (PluginTestServer *server)
{
  if (server == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_free (server->base_url);
  g_free (server);
}

/* The parent pid, field 4 of /proc/PID/stat (after the command's last ')'). */
static int
parent_of (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *after_comm;
  int ppid = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (after_comm = strrchr (contents, ')')) == NULL)
    return 0;
  if (sscanf (after_comm + 1, " %*c %d", &ppid) != 1)
    return 0;
  return ppid;
}

static gboolean
descends_from_us (int pid)
{
  int self = getpid ();

  for (int depth = 0; pid > 1 && depth < 64; depth++)
    {
      pid = parent_of (pid);
      if (pid == self)
        return TRUE;
    }
  return FALSE;
}

guint
plugin_test_count_plugin_hosts (const char *plugin_type)
{
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autofree char *wanted_type = g_strdup_printf ("--plugin-type=%s", plugin_type);
  const char *name;
  guint count = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      g_autofree char *program = NULL;
      gsize length = 0;
      gboolean is_plugin = FALSE;
      gboolean is_type = FALSE;
      int pid = atoi (name);

      if (pid <= 0)
        continue;
      path = g_strdup_printf ("/proc/%d/cmdline", pid);
      if (!g_file_get_contents (path, &cmdline, &length, NULL) || length == 0)
        continue;
      program = g_path_get_basename (cmdline);
      if (!g_str_equal (program, "plugin-host"))
        continue;
      for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
        {
          is_plugin |= g_str_equal (arg, "--type=plugin");
          is_type |= g_str_equal (arg, wanted_type);
        }
      if (is_plugin && is_type && descends_from_us (pid))
        count++;
    }
  return count;
}

cairo_surface_t *
plugin_test_texture_to_surface (GdkTexture *texture)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gdk_texture_get_width (texture),
                                                         gdk_texture_get_height (texture));

  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}

static PluginTestRgba
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *row = cairo_image_surface_get_data (surface) + (gsize) y * (gsize) cairo_image_surface_get_stride (surface);
  guint32 p;

  memcpy (&p, row + (gsize) x * 4, 4);
  /* Pages and plugins paint opaque backgrounds: no unpremultiplying. */
  return (PluginTestRgba) { (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff, p >> 24 };
}

gsize
plugin_test_count_pixels (cairo_surface_t *surface, int x0, int y0, int x1, int y1, PluginTestPixelFunc test)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  gsize n = 0;

  x0 = CLAMP (x0, 0, width), x1 = CLAMP (x1, 0, width);
  y0 = CLAMP (y0, 0, height), y1 = CLAMP (y1, 0, height);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (test (pixel_at (surface, x, y)))
        n++;
  return n;
}

gboolean
plugin_test_is_white (PluginTestRgba p)
{
  return p.r > 245 && p.g > 245 && p.b > 245;
}

gboolean
plugin_test_is_dark (PluginTestRgba p)
{
  return p.r < 90 && p.g < 90 && p.b < 90;
}

gboolean
plugin_test_is_blue (PluginTestRgba p)
{
  return p.b > 110 && p.b > p.r + 50 && p.b > p.g + 50;
}

gboolean
plugin_test_is_placeholder_grey (PluginTestRgba p)
{
  return p.r == 0xbd && p.g == 0xc1 && p.b == 0xc6;
}

gboolean
plugin_test_is_renderer_grey (PluginTestRgba p)
{
  return p.r >= 0xe4 && p.r <= 0xe8 && p.g == p.r && p.b == p.r;
}

void
plugin_test_save (cairo_surface_t *surface, const char *output_dir, const char *name)
{
  g_autofree char *path = g_build_filename (output_dir, name, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("picture written to %s", path);
}

char *
plugin_test_output_dir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("bulkhead-plugin-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
plugin_test_output_dir_free (char *dir)
{
  if (dir == NULL)
    return;
  if (g_getenv ("BULKHEAD_KEEP_TEST_OUTPUT") != NULL)
    {
      g_test_message ("pictures kept in %s", dir);
      g_free (dir);
      return;
    }
  plugin_test_site_free (dir);
}
