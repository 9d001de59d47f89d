/* bh-fake-plugin-host.c: a plugin host that breaks the protocol on purpose.
 *
 * The browser runs it instead of plugin-host/plugin-host when
 * BULKHEAD_PLUGIN_HOST_PATH names it (tests/test-browser-plugins.c). It
 * starts like the real one (ChildReady "plugin"), then does what the data of
 * each PluginCreate says, one word:
 *
 *   good                      two sealed buffers, a magenta frame: behaves
 *   frame-for-unknown-buffer  PluginFrameReady for buffer 77, never created
 *   unsealed-bitmap           PluginBufferCreated with a memfd without seals
 *   oversized-bitmap          a bitmap larger than the area the browser asked for
 *   foreign-instance          PluginFrameReady for instance 999, never created
 *   frame-while-held          the same buffer in two PluginFrameReady, no release between
 *   renderer-message          FrameReady, which only renderers send
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"
#include "bh-shm.h"

static BhChannel *channel;
static GMainLoop *loop;
static guint32 next_buffer_id;

static guint32
send_buffer (guint32 instance, BhBitmap *bitmap)
{
  guint32 id = ++next_buffer_id;

  bh_channel_send (channel, BH_MSG_PluginBufferCreated,
                   g_variant_new ("(uuuuut)", instance, id, bitmap->width, bitmap->height, bitmap->stride_bytes,
                                  (guint64) bitmap->size_bytes),
                   &bitmap->fd, 1);
  return id;
}

static void
fill (BhBitmap *bitmap, double r, double g, double b)
{
  cairo_surface_t *surface = bh_bitmap_create_surface (bitmap);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
}

static void
misbehave (guint32 instance, guint32 width, guint32 height, const char *mode)
{
  g_autoptr (GError) error = NULL;

  if (g_str_equal (mode, "unsealed-bitmap"))
    {
      int fd = memfd_create ("fake-unsealed", MFD_CLOEXEC);
      guint32 stride = width * 4;

      g_assert (fd >= 0 && ftruncate (fd, (off_t) stride * height) == 0);
      bh_channel_send (channel, BH_MSG_PluginBufferCreated,
                       g_variant_new ("(uuuuut)", instance, ++next_buffer_id, width, height, stride,
                                      (guint64) stride * height),
                       &fd, 1);
      close (fd);
      return;
    }
  if (g_str_equal (mode, "oversized-bitmap"))
    {
      g_autoptr (BhBitmap) bitmap = bh_bitmap_new (width + 500, height, &error);

      g_assert_no_error (error);
      send_buffer (instance, bitmap);
      return;
    }
  if (g_str_equal (mode, "frame-for-unknown-buffer"))
    {
      bh_channel_send (channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", instance, 77), NULL, 0);
      return;
    }
  if (g_str_equal (mode, "foreign-instance"))
    {
      bh_channel_send (channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", 999, 1), NULL, 0);
      return;
    }
  if (g_str_equal (mode, "renderer-message"))
    {
      GVariantBuilder damage;

      g_variant_builder_init (&damage, G_VARIANT_TYPE ("a(iiii)"));
      bh_channel_send (channel, BH_MSG_FrameReady,
                       g_variant_new ("(uuiua(iiii))", instance, 1, 0, 0, &damage), NULL, 0);
      return;
    }

  /* "good" and "frame-while-held" start as the real host does. The bitmaps
   * live as long as the process: the browser maps them. */
  {
    BhBitmap *first = bh_bitmap_new (width, height, &error);
    BhBitmap *second = bh_bitmap_new (width, height, &error);
    guint32 first_id;

    g_assert_no_error (error);
    first_id = send_buffer (instance, first);
    send_buffer (instance, second);
    fill (first, 1.0, 0.0, 1.0);
    bh_channel_send (channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", instance, first_id), NULL, 0);
    if (g_str_equal (mode, "frame-while-held"))
      bh_channel_send (channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", instance, first_id), NULL, 0);
  }
}

static void
message_cb (BhChannel *ch, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;

  if (m->type == BH_MSG_Ping)
    bh_channel_reply (ch, m, BH_MSG_Pong, NULL, NULL, 0);
  else if (m->type == BH_MSG_PluginCreate)
    {
      guint32 instance, width, height;
      const char *type;
      guint64 size;
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) data = NULL;
      g_autofree char *mode = NULL;

      g_variant_get (m->payload, "(u&suut)", &instance, &type, &width, &height, &size);
      data = bh_blob_map (m->fds[0], size, &error);
      g_assert_no_error (error);
      mode = g_strstrip (g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data)));
      g_printerr ("bh-fake-plugin-host[%d]: instance %u: %s\n", getpid (), instance, mode);
      misbehave (instance, width, height, mode);
    }
}

static void
error_cb (BhChannel *ch, const GError *error, gpointer user_data)
{
  g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  g_auto (BhChildArgs) args;
  g_autoptr (GError) error = NULL;

  if (!bh_child_parse_args (&argc, &argv, &args, &error))
    {
      g_printerr ("bh-fake-plugin-host: %s\n", error->message);
      return 2;
    }
  bh_sandbox_set_undumpable ();
  bh_child_die_with_parent (args.browser_pid);
  channel = bh_child_connect (&args, "plugin", &error);
  if (channel == NULL)
    {
      g_printerr ("bh-fake-plugin-host: %s\n", error->message);
      return 2;
    }
  loop = g_main_loop_new (NULL, FALSE);
  bh_channel_set_handlers (channel, message_cb, error_cb, NULL);
  bh_channel_attach (channel, NULL);
  bh_channel_send (channel, BH_MSG_ChildReady, g_variant_new ("(uss)", (guint32) getpid (), "plugin", "none (fake)"),
                   NULL, 0);
  g_main_loop_run (loop);
  g_clear_pointer (&channel, bh_channel_unref);
  g_main_loop_unref (loop);
  return 0;
}
