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
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"
#include "bh-plugin-instances.h"
#include "bh-plugin.h"
#include "bh-sandbox.h"

typedef struct {
  BhChannel *channel;
  GMainLoop *loop;
  const BhPluginInfo *plugin;
  BhPluginInstances *instances;
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

/* ---- the conversation ---------------------------------------------------- */

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;

  if (bh_child_handle_identity (channel, m, "plugin"))
    return;
  if (m->type == BH_MSG_Ping)
    bh_channel_reply (channel, m, BH_MSG_Pong, NULL, NULL, 0);
  else if (!bh_plugin_instances_handle_message (H.instances, m))
    log_line ("%s is not for a plugin host: ignored", bh_message_type_name (m->type));
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

  bh_plugin_paint_error (cr, 200, 60, "Bulkhead warm-up: fi ffl 0123");
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
  H.instances = bh_plugin_instances_new (H.plugin, H.channel);
  g_main_loop_run (H.loop);

  g_clear_pointer (&H.instances, bh_plugin_instances_free);
  g_clear_pointer (&H.channel, bh_channel_unref);
  g_clear_pointer (&H.loop, g_main_loop_unref);
  return H.exit_code;
}
