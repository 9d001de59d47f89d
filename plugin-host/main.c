/* plugin-host: the untrusted process that shows one kind of plugin content.
 *
 *   plugin-host --type=plugin --plugin-type=MIME --ipc-fd=N [--ipc-debug[=FILTER]] [--no-sandbox]
 *
 * One process per plugin type serves every instance of that type (every
 * <embed>/<object> box, in every tab); the browser chooses the instance ids.
 * The content arrives in a sealed memfd with PluginCreate and leaves as pixels
 * in shared-memory bitmaps, so after start-up the process needs no file and no
 * socket, which is what lets the sandbox shut both away.
 *
 * The plugin itself is a module (bh-plugin.h) named after the MIME type, loaded
 * with GModule from plugins/ beside this executable (the build tree) or from
 * the installed plugin directory, and warmed up, before the sandbox.
 *
 * The conversation for one instance:
 *
 *   browser                                           plugin host (one MIME type)
 *                                            <------  ChildReady(pid, "plugin", sandbox)
 *   PluginCreate(inst, mime, w, h, size) + sealed memfd  ------>
 *                                            <------  PluginError(inst, message)   (data unusable)
 *                                            <------  PluginBufferCreated(inst, buf 1, w, h, stride, size) + memfd
 *                                            <------  PluginBufferCreated(inst, buf 2, ...) + memfd
 *                                            <------  PluginFrameReady(inst, buf 1)
 *   PluginInput(inst, kind, x, y, code, mods)  ------>
 *                                            <------  PluginFrameReady(inst, buf 2)  (if the view changed)
 *   PluginReleaseBuffer(inst, buf 1)  ------>         (buf 1 may be painted again)
 *   PluginResize(inst, w, h)  ------>
 *                                            <------  PluginBufferDestroyed(inst, buf 1), (inst, buf 2)
 *                                            <------  PluginBufferCreated(inst, buf 3 and 4), PluginFrameReady
 *   PluginDestroy(inst)  ------>
 *
 * Double buffering as in the renderer: a frame is painted only into a buffer
 * the browser does not hold; when both are held, the paint waits for a
 * PluginReleaseBuffer. Whatever the browser sends is checked (ids, sizes,
 * seals, the MIME type); a failure is logged on stderr and ignored, since the
 * browser is trusted and such a message is its bug (docs/architecture.md,
 * "Trust rules").
 */
#include <gio/gio.h>
#include <gmodule.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"
#include "bh-plugin.h"
#include "bh-sandbox.h"
#include "bh-shm.h"

typedef struct {
  guint32 id;    /* unique in this process */
  BhBitmap *bitmap;
  gboolean held; /* the browser has it (named in PluginFrameReady, not yet released) */
} Buffer;

typedef struct {
  guint32 id; /* chosen by the browser */
  guint width_px;
  guint height_px;
  Buffer buffers[2];
  BhPluginInstance *plugin_instance; /* NULL when the data could not be shown */
  char *error_message;               /* shown instead, when plugin_instance is NULL */
  gboolean needs_paint;              /* a paint waits for a released buffer */
} Instance;

typedef struct {
  BhChannel *channel;
  GMainLoop *loop;
  const BhPluginInfo *plugin;
  GHashTable *instances; /* id -> Instance */
  guint32 next_buffer_id;
  int exit_code;
} PluginHost;

static PluginHost H;

static void G_GNUC_PRINTF (1, 2)
log_line (const char *format, ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("plugin-host[%d]: %s\n", getpid (), line);
}

/* ---- loading the plugin ------------------------------------------------ */

/* "application/pdf" -> "application-pdf.so", as freedesktop.org icon names
 * spell MIME types. Anything but one type/subtype pair of the characters RFC
 * 6838 allows (lower-cased) is refused, so the name can never be a path. */
static char *
module_file_name (const char *mime_type, GError **error)
{
  g_autofree char *lower = g_ascii_strdown (mime_type, -1);
  const char *slash = strchr (lower, '/');
  gsize len = strlen (lower);

  if (len == 0 || len > 127 || slash == NULL || slash == lower || slash[1] == '\0' ||
      strchr (slash + 1, '/') != NULL || lower[0] == '.')
    goto invalid;
  for (const char *p = lower; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/.+-_!#$&^", *p) == NULL)
      goto invalid;
  lower[slash - lower] = '-';
  return g_strconcat (lower, ".", G_MODULE_SUFFIX, NULL);

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "\"%s\" is not a MIME type", mime_type);
  return NULL;
}

/* plugins/ beside the executable when it runs from the build tree, else the
 * installed directory. */
static char *
find_plugin_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (exe);
      g_autofree char *dir = g_build_filename (exe_dir, "plugins", NULL);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&dir);
    }
  return g_strdup (BH_PLUGIN_DIR);
}

static const BhPluginInfo *
load_plugin (const char *mime_type, GError **error)
{
  g_autofree char *file = module_file_name (mime_type, error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GModule *module;
  BhPluginGetInfoFunc get_info = NULL;
  const BhPluginInfo *info;

  if (file == NULL)
    return NULL;
  dir = find_plugin_dir ();
  path = g_build_filename (dir, file, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no plugin for %s (%s does not exist)", mime_type,
                   path);
      return NULL;
    }
  /* Every symbol bound now (no lazy binding): nothing left to resolve later. */
  module = g_module_open_full (path, G_MODULE_BIND_LOCAL, error);
  if (module == NULL)
    return NULL;
  if (!g_module_symbol (module, BH_PLUGIN_ENTRY_SYMBOL, (gpointer *) &get_info) || get_info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s has no %s()", path, BH_PLUGIN_ENTRY_SYMBOL);
      g_module_close (module);
      return NULL;
    }
  info = get_info ();
  if (info == NULL || info->abi_version != BH_PLUGIN_ABI_VERSION || info->mime_type == NULL ||
      g_ascii_strcasecmp (info->mime_type, mime_type) != 0 || info->kind_name == NULL ||
      info->create == NULL || info->resize == NULL || info->input == NULL || info->paint == NULL ||
      info->destroy == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s is not a plugin for %s of interface version %u", path, mime_type, BH_PLUGIN_ABI_VERSION);
      g_module_close (module);
      return NULL;
    }
  /* Libraries such as librsvg cannot be unloaded safely; the host never unloads anyway. */
  g_module_make_resident (module);
  return info;
}

/* ---- buffers and painting ---------------------------------------------- */

static void
instance_drop_buffers (Instance *instance, gboolean tell_browser)
{
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    {
      Buffer *b = &instance->buffers[i];

      if (b->bitmap == NULL)
        continue;
      if (tell_browser)
        bh_channel_send (H.channel, BH_MSG_PluginBufferDestroyed, g_variant_new ("(uu)", instance->id, b->id),
                         NULL, 0);
      g_clear_pointer (&b->bitmap, bh_bitmap_free);
      b->held = FALSE;
    }
}

/* New bitmaps at the instance's size, each shared with the browser once. */
static gboolean
instance_allocate_buffers (Instance *instance, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    {
      Buffer *b = &instance->buffers[i];

      b->bitmap = bh_bitmap_new (instance->width_px, instance->height_px, error);
      if (b->bitmap == NULL)
        {
          instance_drop_buffers (instance, TRUE);
          return FALSE;
        }
      b->id = ++H.next_buffer_id;
      b->held = FALSE;
      bh_channel_send (H.channel, BH_MSG_PluginBufferCreated,
                       g_variant_new ("(uuuuut)", instance->id, b->id, b->bitmap->width, b->bitmap->height,
                                      b->bitmap->stride_bytes, (guint64) b->bitmap->size_bytes),
                       &b->bitmap->fd, 1);
    }
  return TRUE;
}

/* What the area shows when the data could not be: the message, centred. */
static void
paint_error (cairo_t *cr, guint width_px, guint height_px, const char *message)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 11");
  int text_w, text_h;

  cairo_set_source_rgb (cr, 0xf1 / 255.0, 0xf3 / 255.0, 0xf4 / 255.0);
  cairo_paint (cr);
  cairo_rectangle (cr, 0.5, 0.5, width_px - 1.0, height_px - 1.0);
  cairo_set_source_rgb (cr, 0xda / 255.0, 0xdc / 255.0, 0xe0 / 255.0);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, MAX (1, (int) width_px - 32) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  /* A small area shows as much of the message as fits, then "…". */
  pango_layout_set_height (layout, MAX (1, (int) height_px - 8) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, message, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  cairo_set_source_rgb (cr, 0x3c / 255.0, 0x40 / 255.0, 0x43 / 255.0);
  cairo_move_to (cr, 16, MAX (4.0, (height_px - text_h) / 2.0));
  pango_cairo_show_layout (cr, layout);
}

/* Paints into a buffer the browser does not hold, or remembers to paint when
 * one comes back (PluginReleaseBuffer). */
static void
instance_paint (Instance *instance)
{
  Buffer *b = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    if (instance->buffers[i].bitmap != NULL && !instance->buffers[i].held)
      {
        b = &instance->buffers[i];
        break;
      }
  if (b == NULL)
    {
      instance->needs_paint = TRUE;
      return;
    }
  instance->needs_paint = FALSE;

  surface = bh_bitmap_create_surface (b->bitmap);
  cr = cairo_create (surface);
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_rectangle (cr, 0, 0, instance->width_px, instance->height_px);
  cairo_clip (cr);
  if (instance->plugin_instance != NULL)
    H.plugin->paint (instance->plugin_instance, cr);
  else
    paint_error (cr, instance->width_px, instance->height_px, instance->error_message);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);

  b->held = TRUE;
  bh_channel_send (H.channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", instance->id, b->id), NULL, 0);
}

/* ---- instances ----------------------------------------------------------- */

static void
instance_free (Instance *instance)
{
  if (instance == NULL)
    return;
  /* The browser forgets the buffers of an instance it destroys by itself. */
  instance_drop_buffers (instance, FALSE);
  if (instance->plugin_instance != NULL)
    H.plugin->destroy (instance->plugin_instance);
  g_free (instance->error_message);
  g_free (instance);
}

static Instance *
lookup_instance (BhMessage *m)
{
  guint32 id;
  Instance *instance;

  /* Every plugin message the host accepts starts with the instance id. */
  g_variant_get_child (m->payload, 0, "u", &id);
  instance = g_hash_table_lookup (H.instances, GUINT_TO_POINTER (id));
  if (instance == NULL)
    log_line ("%s for instance %u, which does not exist: ignored", bh_message_type_name (m->type), id);
  return instance;
}

static gboolean
size_is_valid (guint32 width_px, guint32 height_px)
{
  return width_px >= 1 && height_px >= 1 && width_px <= BH_BITMAP_MAX_DIMENSION &&
         height_px <= BH_BITMAP_MAX_DIMENSION;
}

/* The instance shows @reason instead of its content; the browser hears it too. */
static void
instance_fail (Instance *instance, const char *reason)
{
  g_free (instance->error_message);
  instance->error_message = g_strdup_printf ("This %s could not be opened: %s", H.plugin->kind_name, reason);
  log_line ("instance %u: %s", instance->id, instance->error_message);
  bh_channel_send (H.channel, BH_MSG_PluginError, g_variant_new ("(us)", instance->id, instance->error_message),
                   NULL, 0);
}

static void
handle_create (BhMessage *m)
{
  guint32 id, width_px, height_px;
  const char *mime_type;
  guint64 size;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  Instance *instance;

  g_variant_get (m->payload, "(u&suut)", &id, &mime_type, &width_px, &height_px, &size);
  if (g_hash_table_contains (H.instances, GUINT_TO_POINTER (id)))
    {
      log_line ("PluginCreate for instance %u, which already exists: ignored", id);
      return;
    }
  if (!size_is_valid (width_px, height_px))
    {
      g_autofree char *message = g_strdup_printf ("a plugin area of %ux%u px cannot be shown", width_px, height_px);

      log_line ("PluginCreate for instance %u: %s", id, message);
      bh_channel_send (H.channel, BH_MSG_PluginError, g_variant_new ("(us)", id, message), NULL, 0);
      return;
    }

  instance = g_new0 (Instance, 1);
  instance->id = id;
  instance->width_px = width_px;
  instance->height_px = height_px;
  g_hash_table_insert (H.instances, GUINT_TO_POINTER (id), instance);

  if (g_ascii_strcasecmp (mime_type, H.plugin->mime_type) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("this plugin host shows %s, not %s", H.plugin->mime_type, mime_type);
      instance_fail (instance, reason);
    }
  else if ((data = bh_blob_map (m->fds[0], size, &error)) == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("the browser sent unusable data (%s)", error->message);
      instance_fail (instance, reason);
    }
  else if ((instance->plugin_instance = H.plugin->create (width_px, height_px, data, &error)) == NULL)
    instance_fail (instance, error ? error->message : "unknown error");

  g_clear_error (&error);
  if (!instance_allocate_buffers (instance, &error))
    {
      g_autofree char *message = g_strdup_printf ("no memory for a %ux%u px frame: %s", width_px, height_px,
                                                  error->message);
      log_line ("instance %u: %s", id, message);
      bh_channel_send (H.channel, BH_MSG_PluginError, g_variant_new ("(us)", id, message), NULL, 0);
      return;
    }
  instance_paint (instance);
}

static void
handle_resize (BhMessage *m, Instance *instance)
{
  guint32 width_px, height_px;
  g_autoptr (GError) error = NULL;

  g_variant_get (m->payload, "(uuu)", NULL, &width_px, &height_px);
  if (!size_is_valid (width_px, height_px))
    {
      log_line ("PluginResize of instance %u to %ux%u px: ignored", instance->id, width_px, height_px);
      return;
    }
  if (width_px == instance->width_px && height_px == instance->height_px)
    return;
  instance_drop_buffers (instance, TRUE);
  instance->width_px = width_px;
  instance->height_px = height_px;
  if (instance->plugin_instance != NULL)
    H.plugin->resize (instance->plugin_instance, width_px, height_px);
  if (!instance_allocate_buffers (instance, &error))
    {
      g_autofree char *message = g_strdup_printf ("no memory for a %ux%u px frame: %s", width_px, height_px,
                                                  error->message);
      log_line ("instance %u: %s", instance->id, message);
      bh_channel_send (H.channel, BH_MSG_PluginError, g_variant_new ("(us)", instance->id, message), NULL, 0);
      return;
    }
  instance_paint (instance);
}

static void
handle_input (BhMessage *m, Instance *instance)
{
  guint32 kind, code, modifiers;
  double x, y;

  g_variant_get (m->payload, "(uudduu)", NULL, &kind, &x, &y, &code, &modifiers);
  if (kind > BH_PLUGIN_INPUT_LAST || !isfinite (x) || !isfinite (y))
    {
      log_line ("PluginInput for instance %u: kind %u at (%g, %g): ignored", instance->id, kind, x, y);
      return;
    }
  if (instance->plugin_instance == NULL)
    return;
  if (H.plugin->input (instance->plugin_instance, (BhPluginInputKind) kind, x, y, code, modifiers))
    instance_paint (instance);
}

static void
handle_release (BhMessage *m, Instance *instance)
{
  guint32 buffer_id;
  Buffer *b = NULL;

  g_variant_get (m->payload, "(uu)", NULL, &buffer_id);
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    if (instance->buffers[i].bitmap != NULL && instance->buffers[i].id == buffer_id)
      b = &instance->buffers[i];
  /* A buffer dropped by a resize may still be released by a browser that had
   * not yet seen PluginBufferDestroyed: not worth a line. */
  if (b == NULL)
    return;
  if (!b->held)
    {
      log_line ("PluginReleaseBuffer of buffer %u of instance %u, which the browser does not hold: ignored",
                buffer_id, instance->id);
      return;
    }
  b->held = FALSE;
  if (instance->needs_paint)
    instance_paint (instance);
}

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  Instance *instance;

  if (bh_child_handle_identity (channel, m, "plugin"))
    return;
  switch (m->type)
    {
    case BH_MSG_Ping:
      bh_channel_reply (channel, m, BH_MSG_Pong, NULL, NULL, 0);
      return;
    case BH_MSG_PluginCreate:
      handle_create (m);
      return;
    case BH_MSG_PluginResize:
    case BH_MSG_PluginInput:
    case BH_MSG_PluginDestroy:
    case BH_MSG_PluginReleaseBuffer:
      break;
    default:
      log_line ("%s is not for a plugin host: ignored", bh_message_type_name (m->type));
      return;
    }

  instance = lookup_instance (m);
  if (instance == NULL)
    return;
  switch (m->type)
    {
    case BH_MSG_PluginResize:
      handle_resize (m, instance);
      break;
    case BH_MSG_PluginInput:
      handle_input (m, instance);
      break;
    case BH_MSG_PluginReleaseBuffer:
      handle_release (m, instance);
      break;
    case BH_MSG_PluginDestroy:
      g_hash_table_remove (H.instances, GUINT_TO_POINTER (instance->id));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* EOF or a reset is how the browser says goodbye (or died); anything else
   * means the browser broke the protocol, and is worth a line. */
  if (g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED) ||
      g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_RESET))
    H.exit_code = 0;
  else
    {
      log_line ("channel ended: %s", error->message);
      H.exit_code = 1;
    }
  g_main_loop_quit (H.loop);
}

/* ---- start-up ------------------------------------------------------------ */

/* What must be loaded before the sandbox closes the filesystem: fontconfig
 * and a font for the error frame, then whatever the plugin itself needs. */
static void
warm_up_before_sandbox (const BhChildArgs *args)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 60);
  cairo_t *cr = cairo_create (surface);

  paint_error (cr, 200, 60, "Bulkhead warm-up: fi ffl 0123");
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (H.plugin->warm_up != NULL)
    H.plugin->warm_up ();
}

static gboolean
prepare (const BhChildArgs *args, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (g_strcmp0 (args->type, "plugin") != 0 || args->plugin_type == NULL)
    {
      g_set_error_literal (error, BH_CHILD_ERROR, BH_CHILD_ERROR_USAGE,
                           "started by the browser with --type=plugin --plugin-type=MIME --ipc-fd=N");
      return FALSE;
    }
  H.plugin = load_plugin (args->plugin_type, &local_error);
  if (H.plugin == NULL)
    {
      g_set_error_literal (error, BH_CHILD_ERROR, BH_CHILD_ERROR_SETUP, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static const BhChildStart plugin_host_start = {
  .role = "plugin",
  .policy = BH_SANDBOX_POLICY_PLUGIN,
  .prepare = prepare,
  .warm_up = warm_up_before_sandbox,
  .message = message_cb,
  .channel_error = error_cb,
};

int
main (int argc, char **argv)
{
  g_auto (BhChildArgs) args;
  g_autoptr (GError) error = NULL;
  int exit_code;

  if (!bh_child_start (&plugin_host_start, &argc, &argv, &args, &H.channel, &exit_code, &error))
    {
      if (error != NULL)
        {
          g_autofree char *line = bh_child_format_failure ("plugin-host", error);

          g_printerr ("%s\n", line);
        }
      return exit_code;
    }

  H.loop = g_main_loop_new (NULL, FALSE);
  H.instances = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) instance_free);
  g_main_loop_run (H.loop);

  g_clear_pointer (&H.instances, g_hash_table_unref);
  g_clear_pointer (&H.channel, bh_channel_unref);
  g_clear_pointer (&H.loop, g_main_loop_unref);
  return H.exit_code;
}
