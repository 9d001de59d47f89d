/* bh-bidi-browsing-context.c: the BiDi "browsingContext" module
 * (https://w3c.github.io/webdriver-bidi/#module-browsingContext): contexts
 * are tabs.
 */
#include "bh-bidi-private.h"

#include "bh-tab-plugins.h"

/* browsingContext */

static void
browsing_context_get_tree (BhBidiCommand *command)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  GListModel *tabs = bh_browser_get_tabs (bh_bidi_server_get_browser (command->server));
  BhTab *root = NULL;

  /* Tabs have no child frames: maxDepth changes nothing. */
  if (json_object_has_member (command->params, "root"))
    {
      root = bh_bidi_param_context (command, "root", TRUE);
      if (root == NULL)
        return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contexts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);

      if (root == NULL || tab == root)
        json_builder_add_value (builder, bh_bidi_server_context_info (command->server, tab));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static void
created_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *context = bh_bidi_context_for_tab (tab);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "context");
  json_builder_add_string_value (builder, context);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static void
browsing_context_create (BhBidiCommand *command)
{
  BhBidiServer *server = command->server;
  BhBrowser *browser = bh_bidi_server_get_browser (server);
  const BhBrowserOptions *options = bh_browser_get_options (browser);
  g_autoptr (BhTab) tab = NULL;
  const char *type;
  gboolean background;
  guint64 serial;

  if (!bh_bidi_param_string (command, "type", TRUE, &type) ||
      !bh_bidi_param_boolean (command, "background", FALSE, &background))
    return;
  if (!g_str_equal (type, "tab") && !g_str_equal (type, "window"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"type\" must be \"tab\" or \"window\"");
      return;
    }
  if (json_object_has_member (command->params, "referenceContext") &&
      json_node_get_node_type (json_object_get_member (command->params, "referenceContext")) !=
        JSON_NODE_NULL &&
      bh_bidi_param_context (command, "referenceContext", TRUE) == NULL)
    return;

  /* The contextCreated event goes out from here, before the answer. */
  tab = bh_browser_new_tab (browser);
  /* The window gives the tab its size when it shows it; without one the
   * tab has --window-size, as the headless tab has. */
  bh_tab_set_viewport (tab, options->window_width_px, options->window_height_px, 1.0);
  bh_bidi_server_tab_created (server, tab, g_str_equal (type, "window"), background);

  /* As in Chromium, the answer comes once the initial about:blank is in. */
  serial = bh_bidi_server_navigation_serial (server, tab);
  bh_tab_navigate (tab, "about:blank");
  bh_bidi_server_wait_navigation (server, command, tab, serial, BH_BIDI_WAIT_COMPLETE,
                                  created_cb);
}

static void
browsing_context_close (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  gboolean prompt_unload;

  if (tab == NULL || !bh_bidi_param_boolean (command, "promptUnload", FALSE, &prompt_unload))
    return;
  /* There are no beforeunload handlers to prompt for. */
  if (!bh_bidi_server_close_tab (command->server, tab))
    bh_tab_close (tab);
  bh_bidi_command_return (command, NULL);
}

static void
browsing_context_activate (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);

  if (tab == NULL)
    return;
  /* Without a window there is nothing to bring forward. */
  bh_bidi_server_activate_tab (command->server, tab);
  bh_bidi_command_return (command, NULL);
}

static void
navigated_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const char *uri = bh_tab_get_uri (tab);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "navigation");
  json_builder_add_string_value (builder, navigation);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, *uri != '\0' ? uri : "about:blank");
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static void
browsing_context_navigate (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  g_autofree char *scheme = NULL;
  const char *url;
  BhBidiWait wait;
  guint64 serial;

  if (tab == NULL || !bh_bidi_param_string (command, "url", TRUE, &url) || !bh_bidi_param_wait (command, &wait))
    return;
  scheme = g_uri_parse_scheme (url);
  if (scheme == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"%s\" is not an absolute URL", url);
      return;
    }
  /* Whoever reaches the port (any local user can connect to 127.0.0.1)
   * must not read this user's files by opening them and taking a
   * screenshot. docs/automation.md. */
  if (g_ascii_strcasecmp (scheme, "file") == 0)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "automation may not open file: URLs (serve the files over http "
                            "instead, e.g. python3 -m http.server --bind 127.0.0.1)");
      return;
    }

  serial = bh_bidi_server_navigation_serial (command->server, tab);
  bh_tab_navigate (tab, url);
  bh_bidi_server_wait_navigation (command->server, command, tab, serial, wait, navigated_cb);
}

static void
browsing_context_reload (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  gboolean ignore_cache;
  BhBidiWait wait;
  guint64 serial;

  /* The browser has no HTTP cache: ignoreCache changes nothing. */
  if (tab == NULL || !bh_bidi_param_boolean (command, "ignoreCache", FALSE, &ignore_cache) ||
      !bh_bidi_param_wait (command, &wait))
    return;

  serial = bh_bidi_server_navigation_serial (command->server, tab);
  bh_tab_reload (tab);
  if (!bh_tab_is_loading (tab))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "there is no page to reload");
      return;
    }
  bh_bidi_server_wait_navigation (command->server, command, tab, serial, wait, navigated_cb);
}

static void
traversed_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  bh_bidi_command_return (command, NULL);
}

static void
browsing_context_traverse_history (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  gint64 delta;
  guint64 serial;

  if (tab == NULL || !bh_bidi_param_integer (command, "delta", &delta))
    return;
  if (delta < G_MININT || delta > G_MAXINT || !bh_tab_can_go_to_offset (tab, (int) delta))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_HISTORY_ENTRY,
                            "there is no history entry %" G_GINT64_FORMAT " steps from the current one",
                            delta);
      return;
    }

  serial = bh_bidi_server_navigation_serial (command->server, tab);
  bh_tab_go_to_offset (tab, (int) delta);
  /* Answered once the entry has loaded, so that the next command sees it. */
  bh_bidi_server_wait_navigation (command->server, command, tab, serial, BH_BIDI_WAIT_COMPLETE,
                                  traversed_cb);
}

/* PNG and base64 encoding take tens of milliseconds for a 1280x800 frame:
 * on a worker thread, so that a client taking screenshots in a loop does
 * not make the window stutter. A GdkTexture is immutable, and the reference
 * the task holds keeps the renderer's shared memory mapped. */
static void
encode_screenshot_thread (GTask *task, gpointer source_object, gpointer task_data,
                          GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autoptr (GBytes) png = gdk_texture_save_to_png_bytes (texture);
  const guchar *data;
  gsize size;

  if (png == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the frame could not be encoded as PNG");
      return;
    }
  data = g_bytes_get_data (png, &size);
  g_task_return_pointer (task, g_base64_encode (data, size), g_free);
}

static void
screenshot_encoded_cb (GObject *source_object, GAsyncResult *result, gpointer user_data)
{
  BhBidiCommand *command = user_data;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base64 = g_task_propagate_pointer (G_TASK (result), &error);

  if (base64 == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "%s", error->message);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, base64);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static void
screenshot_cb (BhBidiCommand *command, BhTab *tab, GdkTexture *frame)
{
  g_autoptr (GPtrArray) plugins = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GTask) task = NULL;

  if (frame == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "the tab has no frame (nothing painted yet, or its renderer is gone)");
      return;
    }
  /* A page alone is the renderer's shared bitmap itself, encoded without a
   * copy; plugin areas are composited over it as the window shows them,
   * which takes one copy (bh_tab_snapshot()). */
  plugins = bh_tab_get_plugin_frames (tab);
  texture = plugins->len == 0 ? g_object_ref (frame) : bh_tab_snapshot (tab);
  if (texture == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "the tab has no frame (nothing painted yet, or its renderer is gone)");
      return;
    }
  /* No source object: the answer needs only the command's connection,
   * which the command holds. */
  task = g_task_new (NULL, NULL, screenshot_encoded_cb, command);
  g_task_set_source_tag (task, screenshot_cb);
  g_task_set_task_data (task, g_steal_pointer (&texture), g_object_unref);
  g_task_run_in_thread (task, encode_screenshot_thread);
}

static void
browsing_context_capture_screenshot (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  JsonNode *format;
  const char *origin;

  if (tab == NULL || !bh_bidi_param_string (command, "origin", FALSE, &origin))
    return;
  if (origin != NULL && !g_str_equal (origin, "viewport"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "only the viewport can be captured (origin \"viewport\")");
      return;
    }
  format = json_object_get_member (command->params, "format");
  if (format != NULL)
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (format) ? json_node_get_object (format) : NULL;
      const char *type = object != NULL ? json_object_get_string_member_with_default (
                                            object, "type", NULL)
                                        : NULL;

      if (type == NULL)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"format\" must be an object with a \"type\" string");
          return;
        }
      if (!g_str_equal (type, "image/png"))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                                "only image/png is supported, not %s", type);
          return;
        }
    }
  if (json_object_has_member (command->params, "clip"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "\"clip\" is not supported");
      return;
    }
  bh_bidi_server_wait_frame (command->server, command, tab, screenshot_cb);
}


const BhBidiCommandEntry bh_bidi_browsing_context_commands[] = {
  { "browsingContext.getTree", browsing_context_get_tree },
  { "browsingContext.create", browsing_context_create },
  { "browsingContext.close", browsing_context_close },
  { "browsingContext.activate", browsing_context_activate },
  { "browsingContext.navigate", browsing_context_navigate },
  { "browsingContext.reload", browsing_context_reload },
  { "browsingContext.traverseHistory", browsing_context_traverse_history },
  { "browsingContext.captureScreenshot", browsing_context_capture_screenshot },
  { NULL, NULL }
};
