/* test-plugin-host.c: the real plugin-host binary driven by a fake browser.
 *
 * Each test spawns plugin-host with its channel at fd 3 (as the browser's
 * launcher does) and plays the browser's part: PluginCreate with a sealed
 * memfd, imports the shared bitmaps it is given (checking their seals),
 * releases a buffer when a newer frame replaces it, and looks at the pixels.
 * The input is real: a PDF shipped by shared-mime-info (a dependency of GLib
 * and GTK) and ImageMagick's SVG logo (imagemagick, a "test" package).
 *
 * Frames are written as PNG files into a temporary directory, named in the
 * TAP output; set BULKHEAD_KEEP_TEST_OUTPUT=1 to keep them.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-shm.h"

#define PDF_PATH "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"
#define PDF_PACKAGE "shared-mime-info"
#define PDF_PAGES 17
#define SVG_PATH "/usr/share/icons/hicolor/scalable/apps/display-im6.q16.svgz"
#define SVG_PACKAGE "imagemagick"

#define KEY_Page_Down 0xff56
#define KEY_End 0xff57
#define MOD_CONTROL (1u << 2)

#define INPUT_SCROLL 3u
#define INPUT_KEY 4u
#define ANY_INSTANCE G_MAXINT64
#define TIMEOUT_MS 10000

static char *output_dir;

/* ---- the fake browser ------------------------------------------------- */

typedef struct {
  GPid pid;
  gint64 started_us;      /* when it was spawned */
  BhChannel *channel;
  GQueue messages;        /* BhMessage *, in arrival order, not yet taken */
  GHashTable *buffers;    /* buffer id -> BhBitmap (imported, read-only) */
  GHashTable *shown;      /* instance id -> buffer id on screen */
  gboolean ended;
} Host;

typedef struct {
  guint32 instance;
  guint32 buffer;
  cairo_surface_t *pixels; /* a copy, owned */
  gint64 arrived_us;
} Frame;

static void
frame_free (Frame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->pixels, cairo_surface_destroy);
  g_free (frame);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Frame, frame_free)

static void
host_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  Host *host = user_data;

  /* Buffers are imported when they arrive, as the browser must: the check
   * of seals and geometry is part of what the host is tested for. */
  if (message->type == BH_MSG_PluginBufferCreated)
    {
      guint32 instance, buffer, width, height, stride;
      guint64 size;
      g_autoptr (GError) error = NULL;
      BhBitmap *bitmap;

      g_variant_get (message->payload, "(uuuuut)", &instance, &buffer, &width, &height, &stride, &size);
      bitmap = bh_bitmap_import (bh_message_steal_fd (message, 0), width, height, stride, size, &error);
      g_assert_no_error (error);
      g_assert_false (g_hash_table_contains (host->buffers, GUINT_TO_POINTER (buffer)));
      g_hash_table_insert (host->buffers, GUINT_TO_POINTER (buffer), bitmap);
    }
  g_queue_push_tail (&host->messages, message);
}

static void
host_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  Host *host = user_data;

  g_test_message ("plugin host channel ended: %s", error->message);
  host->ended = TRUE;
}

static Host *
host_start (const char *mime_type, gboolean sandbox)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  Host *host = g_new0 (Host, 1);
  int child_fd = -1;
  int target_fd = 3;

  host->channel = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &error);
  g_assert_no_error (error);
  g_ptr_array_add (argv, g_strdup (PLUGIN_HOST_PATH));
  g_ptr_array_add (argv, g_strdup ("--type=plugin"));
  g_ptr_array_add (argv, g_strdup_printf ("--plugin-type=%s", mime_type));
  g_ptr_array_add (argv, g_strdup ("--ipc-fd=3"));
  if (!sandbox)
    g_ptr_array_add (argv, g_strdup ("--no-sandbox"));
  g_ptr_array_add (argv, NULL);

  g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                    NULL, -1, -1, -1, &child_fd, &target_fd, 1, &host->pid, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  close (child_fd);
  host->started_us = g_get_monotonic_time ();

  g_queue_init (&host->messages);
  host->buffers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) bh_bitmap_free);
  host->shown = g_hash_table_new (NULL, NULL);
  bh_channel_set_handlers (host->channel, host_message_cb, host_error_cb, host);
  bh_channel_attach (host->channel, NULL);
  return host;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint32
message_instance (BhMessage *m)
{
  guint32 id;

  g_variant_get_child (m->payload, 0, "u", &id);
  return id;
}

/* The first queued message of @type (for @instance, unless ANY_INSTANCE),
 * waiting for it up to @timeout_ms; NULL if it does not come. */
static BhMessage *
host_take (Host *host, BhMessageType type, gint64 instance, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);
  BhMessage *found = NULL;

  for (;;)
    {
      for (GList *l = host->messages.head; l != NULL; l = l->next)
        {
          BhMessage *m = l->data;

          if (m->type == type && (instance == ANY_INSTANCE || message_instance (m) == (guint32) instance))
            {
              found = m;
              g_queue_delete_link (&host->messages, l);
              break;
            }
        }
      if (found != NULL || timed_out || host->ended)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (timeout_id);
  return found;
}

static void
host_send (Host *host, BhMessageType type, GVariant *payload, const int *fds, guint n_fds)
{
  g_assert_cmpuint (bh_channel_send (host->channel, type, payload, fds, n_fds), !=, 0);
}

/* Ping and wait for the Pong: everything the host sent before it has arrived. */
static void
host_sync (Host *host)
{
  g_autoptr (BhMessage) pong = NULL;

  host_send (host, BH_MSG_Ping, NULL, NULL, 0);
  pong = host_take (host, BH_MSG_Pong, ANY_INSTANCE, TIMEOUT_MS);
  g_assert_nonnull (pong);
}

static guint
host_count_queued (Host *host, BhMessageType type, guint32 instance)
{
  guint n = 0;

  for (GList *l = host->messages.head; l != NULL; l = l->next)
    {
      BhMessage *m = l->data;
      if (m->type == type && message_instance (m) == instance)
        n++;
    }
  return n;
}

/* Forgets every message not yet taken: later counts see only what comes next. */
static void
host_forget_queued (Host *host)
{
  g_queue_clear_full (&host->messages, (GDestroyNotify) bh_message_free);
}

static void
host_expect_ready (Host *host, const char *sandbox_summary)
{
  g_autoptr (BhMessage) ready = host_take (host, BH_MSG_ChildReady, ANY_INSTANCE, TIMEOUT_MS);
  guint32 pid;
  const char *role, *summary;

  g_assert_nonnull (ready);
  g_variant_get (ready->payload, "(u&s&s)", &pid, &role, &summary);
  g_assert_cmpuint (pid, ==, (guint32) host->pid);
  g_assert_cmpstr (role, ==, "plugin");
  g_assert_cmpstr (summary, ==, sandbox_summary);
  g_test_message ("MEASURE spawn -> ChildReady (%s): %.1f ms", summary,
                  (g_get_monotonic_time () - host->started_us) / 1000.0);
}

static void
host_create (Host *host, guint32 instance, const char *mime_type, guint width, guint height, GBytes *data)
{
  g_autoptr (GError) error = NULL;
  gsize size = 0;
  const void *bytes = g_bytes_get_data (data, &size);
  int fd = bh_blob_new (bytes, size, "test-plugin-data", &error);

  g_assert_no_error (error);
  host_send (host, BH_MSG_PluginCreate, g_variant_new ("(usuut)", instance, mime_type, width, height, (guint64) size),
             &fd, 1);
  close (fd);
}

static void
host_input (Host *host, guint32 instance, guint kind, double x, double y, guint code, guint modifiers)
{
  host_send (host, BH_MSG_PluginInput, g_variant_new ("(uudduu)", instance, kind, x, y, code, modifiers), NULL, 0);
}

/* Waits for the next frame of @instance, copies its pixels and, as the
 * browser does once a newer frame is on screen, releases the one before. */
static Frame *
host_next_frame (Host *host, guint32 instance)
{
  g_autoptr (BhMessage) ready = host_take (host, BH_MSG_PluginFrameReady, instance, TIMEOUT_MS);
  Frame *frame;
  BhBitmap *bitmap;
  gpointer previous;
  cairo_surface_t *surface;

  g_assert_nonnull (ready);
  frame = g_new0 (Frame, 1);
  frame->arrived_us = g_get_monotonic_time ();
  g_variant_get (ready->payload, "(uu)", &frame->instance, &frame->buffer);
  bitmap = g_hash_table_lookup (host->buffers, GUINT_TO_POINTER (frame->buffer));
  g_assert_nonnull (bitmap);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) bitmap->width, (int) bitmap->height);
  cairo_surface_flush (surface);
  for (guint y = 0; y < bitmap->height; y++)
    memcpy (cairo_image_surface_get_data (surface) + (gsize) y * (gsize) cairo_image_surface_get_stride (surface),
            bitmap->data + (gsize) y * bitmap->stride_bytes, (gsize) bitmap->width * 4);
  cairo_surface_mark_dirty (surface);
  frame->pixels = surface;

  if (g_hash_table_lookup_extended (host->shown, GUINT_TO_POINTER (instance), NULL, &previous) &&
      GPOINTER_TO_UINT (previous) != frame->buffer)
    host_send (host, BH_MSG_PluginReleaseBuffer, g_variant_new ("(uu)", instance, GPOINTER_TO_UINT (previous)), NULL,
               0);
  g_hash_table_insert (host->shown, GUINT_TO_POINTER (instance), GUINT_TO_POINTER (frame->buffer));
  return frame;
}

/* Closes the channel as the browser does and returns how the host ended
 * (a wait status); kills it if it does not exit within the timeout. */
static int
host_stop (Host *host)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  int status = 0;
  pid_t r;

  bh_channel_close (host->channel);
  while ((r = waitpid (host->pid, &status, WNOHANG)) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  if (r == 0)
    {
      kill (host->pid, SIGKILL);
      waitpid (host->pid, &status, 0);
      g_test_message ("plugin host %d did not exit after EOF: killed", host->pid);
    }
  g_spawn_close_pid (host->pid);
  g_clear_pointer (&host->channel, bh_channel_unref);
  g_queue_clear_full (&host->messages, (GDestroyNotify) bh_message_free);
  g_clear_pointer (&host->buffers, g_hash_table_unref);
  g_clear_pointer (&host->shown, g_hash_table_unref);
  g_free (host);
  return status;
}

static void
assert_exited_cleanly (int status)
{
  if (WIFSIGNALED (status))
    g_error ("the plugin host was killed by signal %d (%s)%s", WTERMSIG (status), g_strsignal (WTERMSIG (status)),
             WTERMSIG (status) == SIGSYS ? ": the seccomp policy refused a system call; rerun with "
                                           "BULKHEAD_SECCOMP_DEBUG=1 to have it named on stderr"
                                         : "");
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* ---- input and pixels ---------------------------------------------------- */

static GBytes *
load_file (const char *path, const char *package)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    g_test_message ("%s comes with the Debian package %s (tools/debian-packages.txt)", path, package);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GBytes *
load_pdf (void)
{
  return load_file (PDF_PATH, PDF_PACKAGE);
}

/* The logo ships gzip-compressed (.svgz); a server would send it with
 * Content-Encoding: gzip and the browser's network layer would inflate it. */
static GBytes *
load_svg (void)
{
  g_autoptr (GBytes) compressed = load_file (SVG_PATH, SVG_PACKAGE);
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

typedef struct {
  guint8 r, g, b, a;
} Rgba;

static Rgba
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *row = cairo_image_surface_get_data (surface) + (gsize) y * (gsize) cairo_image_surface_get_stride (surface);
  guint32 p;

  memcpy (&p, row + (gsize) x * 4, 4);
  /* Every frame paints an opaque background: no unpremultiplying needed. */
  return (Rgba) { (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff, p >> 24 };
}

typedef gboolean (*PixelTest) (Rgba p);

static gsize
count_pixels (cairo_surface_t *surface, int x0, int y0, int x1, int y1, PixelTest test)
{
  gsize n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (test (pixel_at (surface, x, y)))
        n++;
  return n;
}

static gboolean is_opaque (Rgba p) { return p.a == 255; }
static gboolean is_white (Rgba p) { return p.r > 245 && p.g > 245 && p.b > 245; }
static gboolean is_dark (Rgba p) { return p.r < 90 && p.g < 90 && p.b < 90; }
static gboolean is_blue (Rgba p) { return p.b > 110 && p.b > p.r + 50 && p.b > p.g + 50; }
static gboolean is_red (Rgba p) { return p.r > 170 && p.g < 90 && p.b < 90; }
/* The PDF viewer's background, #525659. */
static gboolean is_viewer_grey (Rgba p) { return p.r == 0x52 && p.g == 0x56 && p.b == 0x59; }

static gsize
count_differences (cairo_surface_t *a, cairo_surface_t *b)
{
  int w = cairo_image_surface_get_width (a), h = cairo_image_surface_get_height (a);
  gsize n = 0;

  g_assert_cmpint (w, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (h, ==, cairo_image_surface_get_height (b));
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        Rgba p = pixel_at (a, x, y), q = pixel_at (b, x, y);
        if (p.r != q.r || p.g != q.g || p.b != q.b)
          n++;
      }
  return n;
}

static void
save_frame (const Frame *frame, const char *name)
{
  g_autofree char *path = g_build_filename (output_dir, name, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (frame->pixels, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("frame written to %s", path);
}

/* A frame shows a rendered PDF page: white paper, dark text, the viewer's grey around. */
static void
assert_pdf_page (const Frame *frame)
{
  int w = cairo_image_surface_get_width (frame->pixels), h = cairo_image_surface_get_height (frame->pixels);
  gsize all = (gsize) w * h;

  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, w, h, is_opaque), ==, all);
  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, w, h, is_white), >, all / 3);
  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, w, h, is_dark), >, 500);
  /* The margin left of the page. */
  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, 4, h, is_viewer_grey), >, (gsize) h);
}

static guint64
read_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static int
read_seccomp_mode (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nSeccomp:");
  g_assert_nonnull (line);
  return (int) g_ascii_strtoll (line + strlen ("\nSeccomp:"), NULL, 10);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_ready_and_ping (void)
{
  Host *host = host_start ("application/pdf", FALSE);

  host_expect_ready (host, "none (--no-sandbox)");
  host_sync (host);
  assert_exited_cleanly (host_stop (host));
}

static void
test_unknown_type_refused (void)
{
  /* No module for the type: the host says so and exits with 2 before any IPC. */
  Host *host = host_start ("application/x-no-such-plugin", FALSE);
  int status = host_stop (host);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);

  host = host_start ("../../etc/passwd", FALSE);
  status = host_stop (host);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
}

static void
test_pdf (void)
{
  g_autoptr (GBytes) pdf = load_pdf ();
  Host *host = host_start ("application/pdf", FALSE);
  g_autoptr (Frame) first = NULL;
  g_autoptr (Frame) second = NULL;
  g_autoptr (Frame) zoomed = NULL;
  g_autoptr (Frame) resized = NULL;
  g_autoptr (BhMessage) created = NULL;
  guint32 old_buffers[2];
  gint64 sent_us;

  host_expect_ready (host, "none (--no-sandbox)");

  sent_us = g_get_monotonic_time ();
  host_create (host, 7, "application/pdf", 600, 800, pdf);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (BhMessage) m = host_take (host, BH_MSG_PluginBufferCreated, 7, TIMEOUT_MS);
      guint32 width, height;

      g_assert_nonnull (m);
      g_variant_get (m->payload, "(uuuuut)", NULL, &old_buffers[i], &width, &height, NULL, NULL);
      g_assert_cmpuint (width, ==, 600);
      g_assert_cmpuint (height, ==, 800);
    }
  first = host_next_frame (host, 7);
  g_test_message ("MEASURE pdf PluginCreate -> first PluginFrameReady (no sandbox): %.1f ms",
                  (first->arrived_us - sent_us) / 1000.0);
  save_frame (first, "pdf-page-1.png");
  assert_pdf_page (first);

  /* Page Down: the next page's top. */
  host_input (host, 7, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  second = host_next_frame (host, 7);
  g_assert_cmpuint (second->buffer, !=, first->buffer);
  save_frame (second, "pdf-page-2.png");
  assert_pdf_page (second);
  g_assert_cmpuint (count_differences (first->pixels, second->pixels), >, 5000);

  /* Ctrl+wheel up zooms in: a different frame again. */
  host_input (host, 7, INPUT_SCROLL, 0, -1, 0, MOD_CONTROL);
  zoomed = host_next_frame (host, 7);
  save_frame (zoomed, "pdf-zoomed.png");
  g_assert_cmpuint (count_differences (second->pixels, zoomed->pixels), >, 5000);

  /* A resize replaces both buffers, says so, and paints at the new size. */
  host_send (host, BH_MSG_PluginResize, g_variant_new ("(uuu)", 7, 300, 200), NULL, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (BhMessage) m = host_take (host, BH_MSG_PluginBufferDestroyed, 7, TIMEOUT_MS);
      guint32 buffer;

      g_assert_nonnull (m);
      g_variant_get (m->payload, "(uu)", NULL, &buffer);
      g_assert_true (buffer == old_buffers[0] || buffer == old_buffers[1]);
      g_hash_table_remove (host->buffers, GUINT_TO_POINTER (buffer));
    }
  g_hash_table_remove (host->shown, GUINT_TO_POINTER (7));
  created = host_take (host, BH_MSG_PluginBufferCreated, 7, TIMEOUT_MS);
  g_assert_nonnull (created);
  resized = host_next_frame (host, 7);
  g_assert_cmpint (cairo_image_surface_get_width (resized->pixels), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (resized->pixels), ==, 200);
  save_frame (resized, "pdf-resized.png");

  host_send (host, BH_MSG_PluginDestroy, g_variant_new ("(u)", 7), NULL, 0);
  host_sync (host);
  assert_exited_cleanly (host_stop (host));
}

/* Both buffers held: the next paint waits for a release, and then comes. */
static void
test_pdf_waits_for_release (void)
{
  g_autoptr (GBytes) pdf = load_pdf ();
  Host *host = host_start ("application/pdf", FALSE);
  g_autoptr (BhMessage) a = NULL;
  g_autoptr (BhMessage) b = NULL;
  g_autoptr (BhMessage) c = NULL;
  guint32 buffer_a, buffer_c;

  host_expect_ready (host, "none (--no-sandbox)");
  host_create (host, 1, "application/pdf", 200, 150, pdf);
  a = host_take (host, BH_MSG_PluginFrameReady, 1, TIMEOUT_MS);
  g_assert_nonnull (a);
  host_input (host, 1, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  b = host_take (host, BH_MSG_PluginFrameReady, 1, TIMEOUT_MS);
  g_assert_nonnull (b);
  host_input (host, 1, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  host_sync (host);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginFrameReady, 1), ==, 0);

  g_variant_get (a->payload, "(uu)", NULL, &buffer_a);
  host_send (host, BH_MSG_PluginReleaseBuffer, g_variant_new ("(uu)", 1, buffer_a), NULL, 0);
  c = host_take (host, BH_MSG_PluginFrameReady, 1, TIMEOUT_MS);
  g_assert_nonnull (c);
  g_variant_get (c->payload, "(uu)", NULL, &buffer_c);
  g_assert_cmpuint (buffer_c, ==, buffer_a);
  assert_exited_cleanly (host_stop (host));
}

static void
test_svg (void)
{
  g_autoptr (GBytes) svg = load_svg ();
  Host *host = host_start ("image/svg+xml", FALSE);
  g_autoptr (Frame) frame = NULL;
  int w = 400, h = 300;
  gsize column_px = (gsize) 50 * h;

  host_expect_ready (host, "none (--no-sandbox)");
  host_create (host, 3, "image/svg+xml", (guint) w, (guint) h, svg);
  frame = host_next_frame (host, 3);
  save_frame (frame, "svg.png");

  /* The logo is 684x708: scaled to 290x300 and centred, so a 55 px band on
   * each side is the white background. */
  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, w, h, is_opaque), ==, (gsize) w * h);
  g_assert_cmpuint (count_pixels (frame->pixels, 0, 0, 50, h, is_white), ==, column_px);
  g_assert_cmpuint (count_pixels (frame->pixels, w - 50, 0, w, h, is_white), ==, column_px);
  /* Inside: the wizard's blue robe and the red "Image Magick" lettering. */
  g_assert_cmpuint (count_pixels (frame->pixels, 55, 0, w - 55, h, is_blue), >, 3000);
  g_assert_cmpuint (count_pixels (frame->pixels, 55, 0, w - 55, h, is_red), >, 100);
  g_assert_cmpuint (count_pixels (frame->pixels, 55, 0, w - 55, h, is_dark), >, 500);

  /* Not an SVG: PluginError, and an error frame instead. */
  {
    g_autoptr (GBytes) junk = g_bytes_new_static ("<svg", 4);
    g_autoptr (BhMessage) error = NULL;
    g_autoptr (Frame) error_frame = NULL;
    const char *message;

    host_create (host, 4, "image/svg+xml", 300, 100, junk);
    error = host_take (host, BH_MSG_PluginError, 4, TIMEOUT_MS);
    g_assert_nonnull (error);
    g_variant_get (error->payload, "(u&s)", NULL, &message);
    g_assert_true (g_str_has_prefix (message, "This SVG image could not be opened: "));
    error_frame = host_next_frame (host, 4);
    save_frame (error_frame, "svg-error.png");
    g_assert_cmpuint (count_pixels (error_frame->pixels, 0, 0, 300, 100, is_dark), >, 50);
  }
  assert_exited_cleanly (host_stop (host));
}

/* Two instances in one host, a truncated PDF beside them, and the host's size. */
static void
test_two_instances_and_truncated (void)
{
  g_autoptr (GBytes) pdf = load_pdf ();
  g_autoptr (GBytes) truncated = g_bytes_new_from_bytes (pdf, 0, g_bytes_get_size (pdf) / 2);
  Host *host = host_start ("application/pdf", FALSE);
  g_autoptr (Frame) a1 = NULL;
  g_autoptr (Frame) b1 = NULL;
  g_autoptr (Frame) a2 = NULL;
  g_autoptr (Frame) b2 = NULL;
  g_autoptr (Frame) error_frame = NULL;
  g_autoptr (BhMessage) error = NULL;
  g_autoptr (Frame) b3 = NULL;
  const char *message;
  guint64 rss_idle_kib, rss_two_kib;

  host_expect_ready (host, "none (--no-sandbox)");
  host_sync (host);
  rss_idle_kib = read_rss_kib (host->pid);

  host_create (host, 10, "application/pdf", 500, 400, pdf);
  host_create (host, 11, "application/pdf", 400, 500, pdf);
  a1 = host_next_frame (host, 10);
  b1 = host_next_frame (host, 11);
  assert_pdf_page (a1);
  assert_pdf_page (b1);
  host_sync (host);
  rss_two_kib = read_rss_kib (host->pid);
  g_test_message ("MEASURE plugin host VmRSS: %" G_GUINT64_FORMAT " KiB after start-up, %" G_GUINT64_FORMAT
                  " KiB with two PDF instances (500x400 and 400x500) open",
                  rss_idle_kib, rss_two_kib);

  /* Each instance keeps its own place: End moves only the first. */
  host_input (host, 10, INPUT_KEY, 0, 0, KEY_End, 0);
  a2 = host_next_frame (host, 10);
  save_frame (a2, "pdf-end.png");
  g_assert_cmpuint (count_differences (a1->pixels, a2->pixels), >, 1000);
  host_sync (host);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginFrameReady, 11), ==, 0);

  /* The truncated copy: an error for that instance and a frame that says so. */
  host_create (host, 12, "application/pdf", 400, 200, truncated);
  error = host_take (host, BH_MSG_PluginError, 12, TIMEOUT_MS);
  g_assert_nonnull (error);
  g_variant_get (error->payload, "(u&s)", NULL, &message);
  g_test_message ("truncated PDF: %s", message);
  g_assert_true (g_str_has_prefix (message, "This PDF could not be opened: "));
  g_assert_cmpuint (strlen (message), >, strlen ("This PDF could not be opened: "));
  error_frame = host_next_frame (host, 12);
  save_frame (error_frame, "pdf-truncated.png");
  g_assert_cmpuint (count_pixels (error_frame->pixels, 0, 0, 400, 200, is_dark), >, 50);
  g_assert_cmpuint (count_pixels (error_frame->pixels, 0, 0, 400, 200, is_opaque), ==, 400u * 200u);

  /* Still alive, still serving the other instance. */
  host_sync (host);
  host_input (host, 11, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  b2 = host_next_frame (host, 11);
  g_assert_cmpuint (count_differences (b1->pixels, b2->pixels), >, 1000);
  /* Input to the failed instance changes nothing and harms nothing. */
  host_input (host, 12, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  host_sync (host);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginFrameReady, 12), ==, 0);

  /* Destroying one leaves the other working. */
  host_send (host, BH_MSG_PluginDestroy, g_variant_new ("(u)", 10), NULL, 0);
  host_input (host, 11, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  b3 = host_next_frame (host, 11);
  g_assert_cmpuint (count_differences (b2->pixels, b3->pixels), >, 1000);
  assert_exited_cleanly (host_stop (host));
}

static int
unsealed_memfd (GBytes *data)
{
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);
  int fd = memfd_create ("test-unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, bytes, size), ==, (gssize) size);
  return fd;
}

/* Whatever the browser gets wrong is refused without a crash. */
static void
test_bad_input_refused (void)
{
  g_autoptr (GBytes) pdf = load_pdf ();
  Host *host = host_start ("application/pdf", FALSE);
  g_autoptr (Frame) good = NULL;
  g_autoptr (Frame) after = NULL;
  int pipe_fds[2];
  struct {
    guint32 instance;
    int fd;
    guint64 claimed_size;
    const char *what;
  } bad_data[3];

  host_expect_ready (host, "none (--no-sandbox)");
  host_create (host, 1, "application/pdf", 300, 300, pdf);
  good = host_next_frame (host, 1);
  host_sync (host);
  host_forget_queued (host);

  /* Data memfds: unsealed, claiming more than it holds, not a memfd at all. */
  g_assert_no_errno (pipe2 (pipe_fds, O_CLOEXEC));
  bad_data[0].instance = 20, bad_data[0].fd = unsealed_memfd (pdf);
  bad_data[0].claimed_size = g_bytes_get_size (pdf), bad_data[0].what = "unsealed";
  bad_data[1].instance = 21, bad_data[1].fd = bh_blob_new ("%PDF-1.4", 8, "short", NULL);
  bad_data[1].claimed_size = 1 << 20, bad_data[1].what = "shorter than claimed";
  bad_data[2].instance = 22, bad_data[2].fd = pipe_fds[0];
  bad_data[2].claimed_size = 100, bad_data[2].what = "a pipe";
  for (guint i = 0; i < G_N_ELEMENTS (bad_data); i++)
    {
      g_autoptr (BhMessage) error = NULL;
      const char *message;

      host_send (host, BH_MSG_PluginCreate,
                 g_variant_new ("(usuut)", bad_data[i].instance, "application/pdf", 200, 100, bad_data[i].claimed_size),
                 &bad_data[i].fd, 1);
      close (bad_data[i].fd);
      error = host_take (host, BH_MSG_PluginError, bad_data[i].instance, TIMEOUT_MS);
      g_assert_nonnull (error);
      g_variant_get (error->payload, "(u&s)", NULL, &message);
      g_test_message ("%s data memfd: %s", bad_data[i].what, message);
      g_assert_true (g_str_has_prefix (message, "This PDF could not be opened: the browser sent unusable data"));
    }
  close (pipe_fds[1]);

  /* A MIME type this host does not show. */
  {
    g_autoptr (BhMessage) error = NULL;
    const char *message;

    host_create (host, 30, "image/svg+xml", 100, 100, pdf);
    error = host_take (host, BH_MSG_PluginError, 30, TIMEOUT_MS);
    g_assert_nonnull (error);
    g_variant_get (error->payload, "(u&s)", NULL, &message);
    g_assert_nonnull (strstr (message, "image/svg+xml"));
  }

  /* Impossible sizes: an error, no buffers. */
  {
    g_autoptr (BhMessage) e1 = NULL;
    g_autoptr (BhMessage) e2 = NULL;

    host_create (host, 31, "application/pdf", 0, 100, pdf);
    host_create (host, 32, "application/pdf", 100, BH_BITMAP_MAX_DIMENSION + 1, pdf);
    e1 = host_take (host, BH_MSG_PluginError, 31, TIMEOUT_MS);
    e2 = host_take (host, BH_MSG_PluginError, 32, TIMEOUT_MS);
    g_assert_nonnull (e1);
    g_assert_nonnull (e2);
    host_sync (host);
    g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginBufferCreated, 31), ==, 0);
    g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginBufferCreated, 32), ==, 0);
  }

  /* A second PluginCreate for a live instance is ignored, not obeyed. */
  host_create (host, 1, "application/pdf", 50, 50, pdf);
  /* Unknown instances, unknown buffers, bad input and sizes. */
  host_send (host, BH_MSG_PluginResize, g_variant_new ("(uuu)", 999, 100, 100), NULL, 0);
  host_send (host, BH_MSG_PluginResize, g_variant_new ("(uuu)", 1, 0, 0), NULL, 0);
  host_send (host, BH_MSG_PluginResize, g_variant_new ("(uuu)", 1, 100000, 10), NULL, 0);
  host_send (host, BH_MSG_PluginInput, g_variant_new ("(uudduu)", 999, INPUT_KEY, 0.0, 0.0, KEY_Page_Down, 0), NULL, 0);
  host_send (host, BH_MSG_PluginInput, g_variant_new ("(uudduu)", 1, 77, 0.0, 0.0, 0, 0), NULL, 0);
  host_send (host, BH_MSG_PluginInput, g_variant_new ("(uudduu)", 1, INPUT_SCROLL, 0.0, (double) NAN, 0, 0), NULL, 0);
  host_send (host, BH_MSG_PluginInput, g_variant_new ("(uudduu)", 1, INPUT_SCROLL, 0.0, (double) INFINITY, 0, 0), NULL, 0);
  host_send (host, BH_MSG_PluginReleaseBuffer, g_variant_new ("(uu)", 1, 123456), NULL, 0);
  host_send (host, BH_MSG_PluginReleaseBuffer, g_variant_new ("(uu)", 999, 1), NULL, 0);
  host_send (host, BH_MSG_PluginDestroy, g_variant_new ("(u)", 999), NULL, 0);
  host_sync (host);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginBufferCreated, 1), ==, 0);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginBufferDestroyed, 1), ==, 0);
  g_assert_cmpuint (host_count_queued (host, BH_MSG_PluginFrameReady, 1), ==, 0);

  /* Huge wheel deltas are clamped, not trusted. */
  host_input (host, 1, INPUT_SCROLL, 1e300, 1e300, 0, 0);
  after = host_next_frame (host, 1);
  assert_pdf_page (after);
  g_assert_cmpuint (count_differences (good->pixels, after->pixels), >, 1000);
  assert_exited_cleanly (host_stop (host));
}

/* Three 100x100 squares: a PNG and a JPEG embedded as data: URLs (2x2 px of
 * #00ff00, made with ImageMagick), and a file on this machine. */
static const char svg_with_images[] =
  "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
  "width='300' height='100'>"
  "<image x='0' y='0' width='100' height='100' preserveAspectRatio='none' xlink:href='data:image/png;base64,"
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACAQMAAABIeJ9nAAAAA1BMVEUA/wA0XsCoAAAADElEQVQI12NgYGAAAAAEAAEnNCcKAAAAAElFTkSuQmCC'/>"
  "<image x='100' y='0' width='100' height='100' preserveAspectRatio='none' xlink:href='data:image/jpeg;base64,"
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwS"
  "ExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAAR"
  "CAACAAIDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAABv/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAVAQEBAAAAAAAAAAAAAAAAAAAI"
  "Cf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AHYPpxP/2Q=='/>"
  "<image x='200' y='0' width='100' height='100' preserveAspectRatio='none' "
  "xlink:href='file://" SVG_PATH "'/>"
  "</svg>";

static gboolean is_green (Rgba p) { return p.g > 200 && p.r < 60 && p.b < 60; }

/* The same work under the seccomp filter the host applies to itself. */
static void
test_sandboxed (void)
{
  g_autoptr (GBytes) pdf = load_pdf ();
  g_autoptr (GBytes) truncated = g_bytes_new_from_bytes (pdf, 0, 4096);
  g_autoptr (GBytes) svg = load_svg ();
  Host *host = host_start ("application/pdf", TRUE);
  g_autoptr (Frame) first = NULL;
  g_autoptr (Frame) next = NULL;
  g_autoptr (Frame) zoomed = NULL;
  g_autoptr (Frame) error_frame = NULL;
  g_autoptr (Frame) svg_frame = NULL;
  g_autoptr (BhMessage) error = NULL;
  gint64 sent_us;

  host_expect_ready (host, "seccomp-bpf");
  g_assert_cmpint (read_seccomp_mode (host->pid), ==, 2);
  sent_us = g_get_monotonic_time ();
  host_create (host, 1, "application/pdf", 600, 800, pdf);
  first = host_next_frame (host, 1);
  g_test_message ("MEASURE pdf PluginCreate -> first PluginFrameReady (seccomp): %.1f ms",
                  (first->arrived_us - sent_us) / 1000.0);
  save_frame (first, "sandboxed-pdf.png");
  assert_pdf_page (first);
  host_input (host, 1, INPUT_KEY, 0, 0, KEY_Page_Down, 0);
  next = host_next_frame (host, 1);
  g_assert_cmpuint (count_differences (first->pixels, next->pixels), >, 5000);
  host_input (host, 1, INPUT_KEY, 0, 0, '+', 0);
  zoomed = host_next_frame (host, 1);
  g_assert_cmpuint (count_differences (next->pixels, zoomed->pixels), >, 5000);
  host_create (host, 2, "application/pdf", 300, 100, truncated);
  error = host_take (host, BH_MSG_PluginError, 2, TIMEOUT_MS);
  g_assert_nonnull (error);
  error_frame = host_next_frame (host, 2);
  g_assert_cmpuint (count_pixels (error_frame->pixels, 0, 0, 300, 100, is_dark), >, 50);
  host_sync (host);
  assert_exited_cleanly (host_stop (host));

  host = host_start ("image/svg+xml", TRUE);
  host_expect_ready (host, "seccomp-bpf");
  host_create (host, 1, "image/svg+xml", 400, 300, svg);
  svg_frame = host_next_frame (host, 1);
  save_frame (svg_frame, "sandboxed-svg.png");
  g_test_message ("MEASURE SVG plugin host VmRSS with one 400x300 instance: %" G_GUINT64_FORMAT " KiB",
                  read_rss_kib (host->pid));
  g_assert_cmpuint (count_pixels (svg_frame->pixels, 55, 0, 345, 300, is_blue), >, 3000);
  host_send (host, BH_MSG_PluginResize, g_variant_new ("(uuu)", 1, 800, 600), NULL, 0);
  g_clear_pointer (&svg_frame, frame_free);
  svg_frame = host_next_frame (host, 1);
  g_assert_cmpint (cairo_image_surface_get_width (svg_frame->pixels), ==, 800);
  g_assert_cmpuint (count_pixels (svg_frame->pixels, 110, 0, 690, 600, is_blue), >, 12000);

  /* Embedded images decode under the filter; a reference to a file is never
   * followed (the handle has no base file), so its square stays white. */
  {
    g_autoptr (GBytes) images = g_bytes_new_static (svg_with_images, sizeof svg_with_images - 1);
    g_autoptr (Frame) frame = NULL;

    host_create (host, 2, "image/svg+xml", 300, 100, images);
    frame = host_next_frame (host, 2);
    save_frame (frame, "sandboxed-svg-images.png");
    g_assert_cmpuint (count_pixels (frame->pixels, 10, 10, 90, 90, is_green), ==, 80u * 80u);
    g_assert_cmpuint (count_pixels (frame->pixels, 110, 10, 190, 90, is_green), ==, 80u * 80u);
    g_assert_cmpuint (count_pixels (frame->pixels, 200, 0, 300, 100, is_white), ==, 100u * 100u);
  }
  host_sync (host);
  assert_exited_cleanly (host_stop (host));
}

static void
remove_output_dir (void)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_getenv ("BULKHEAD_KEEP_TEST_OUTPUT") != NULL)
    {
      g_test_message ("frames kept in %s", output_dir);
      return;
    }
  dir = g_dir_open (output_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (output_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (output_dir);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  output_dir = g_dir_make_tmp ("test-plugin-host-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/plugin/host/ready-and-ping", test_ready_and_ping);
  g_test_add_func ("/plugin/host/unknown-type-refused", test_unknown_type_refused);
  g_test_add_func ("/plugin/pdf/render-navigate-zoom-resize", test_pdf);
  g_test_add_func ("/plugin/pdf/waits-for-release", test_pdf_waits_for_release);
  g_test_add_func ("/plugin/svg/render", test_svg);
  g_test_add_func ("/plugin/host/two-instances-and-truncated-pdf", test_two_instances_and_truncated);
  g_test_add_func ("/plugin/host/bad-input-refused", test_bad_input_refused);
  g_test_add_func ("/plugin/sandbox/pdf-and-svg", test_sandboxed);

  result = g_test_run ();
  remove_output_dir ();
  g_free (output_dir);
  return result;
}
