/* bh-bidi-commands.c: the BiDi command table and its handlers.
 *
 * Each handler owns its command and answers it once, now or when what it
 * waits for happens (bh-bidi-private.h). Parameters are checked before
 * anything is done: a missing or mistyped one is "invalid argument", a
 * context that is not an open tab "no such frame" (the BiDi spec's codes).
 * docs/automation.md shows an exchange for each command.
 */
#include "bh-bidi-private.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bh-config.h"
#include "bh-plugin-host.h"
#include "bh-process-list.h"
#include "bh-renderer-host.h"
#include "bh-tab-plugins.h"
#include "bh-trace.h"

/* Parameters. Each getter fails @command (which it then consumes) and
 * returns FALSE when the member is missing (if @required) or mistyped. */

static gboolean
param_string (BhBidiCommand *command, const char *name, gboolean required, const char **out)
{
  JsonNode *node = json_object_get_member (command->params, name);

  *out = NULL;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"%s\" must be a string%s",
                            name, node == NULL ? " and is missing" : "");
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
param_boolean (BhBidiCommand *command, const char *name, gboolean fallback, gboolean *out)
{
  JsonNode *node = json_object_get_member (command->params, name);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"%s\" must be a boolean",
                            name);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
param_integer (BhBidiCommand *command, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (command->params, name);

  *out = 0;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"%s\" must be an integer%s",
                            name, node == NULL ? " and is missing" : "");
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/* An array of strings, %NULL when absent and optional. */
static gboolean
param_strings (BhBidiCommand *command, const char *name, gboolean required, GStrv *out)
{
  JsonNode *node = json_object_get_member (command->params, name);
  g_autoptr (GStrvBuilder) builder = NULL;
  JsonArray *array;

  *out = NULL;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    goto invalid;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) != G_TYPE_STRING)
        goto invalid;
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;

invalid:
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"%s\" must be an array of strings%s", name,
                        node == NULL ? " and is missing" : "");
  return FALSE;
}

/* The tab named by the "context" parameter. */
static BhTab *
param_context (BhBidiCommand *command, const char *name, gboolean required)
{
  const char *context;
  BhTab *tab;

  if (!param_string (command, name, required, &context))
    return NULL;
  if (context == NULL)
    return NULL;
  tab = bh_bidi_server_find_tab (command->server, context);
  if (tab == NULL)
    bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                          context);
  return tab;
}

static gboolean
param_wait (BhBidiCommand *command, BhBidiWait *out)
{
  const char *wait;

  *out = BH_BIDI_WAIT_NONE;
  if (!param_string (command, "wait", FALSE, &wait))
    return FALSE;
  if (wait == NULL || g_str_equal (wait, "none"))
    *out = BH_BIDI_WAIT_NONE;
  else if (g_str_equal (wait, "interactive"))
    *out = BH_BIDI_WAIT_INTERACTIVE;
  else if (g_str_equal (wait, "complete"))
    *out = BH_BIDI_WAIT_COMPLETE;
  else
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"wait\" must be \"none\", \"interactive\" or \"complete\"");
      return FALSE;
    }
  return TRUE;
}

static char *
context_of (BhTab *tab)
{
  return g_strdup_printf ("%u", bh_tab_get_id (tab));
}

/* session */

static void
session_status (BhBidiCommand *command)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  /* Every connection gets its own session: a new one can always be made. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ready");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Bulkhead is ready for a new session");
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static void
session_new (BhBidiCommand *command)
{
  g_autoptr (JsonBuilder) builder = NULL;
  JsonNode *capabilities = json_object_get_member (command->params, "capabilities");
  const char *session_id;

  if (capabilities != NULL && !JSON_NODE_HOLDS_OBJECT (capabilities))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"capabilities\" must be an object");
      return;
    }
  session_id = bh_bidi_connection_new_session (command->connection);
  if (session_id == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_SESSION_NOT_CREATED,
                            "this connection has a session already");
      return;
    }

  /* Minimal capabilities: whatever was asked for, this is what there is. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessionId");
  json_builder_add_string_value (builder, session_id);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "browserName");
  json_builder_add_string_value (builder, "bulkhead");
  json_builder_set_member_name (builder, "browserVersion");
  json_builder_add_string_value (builder, BH_VERSION);
  json_builder_set_member_name (builder, "platformName");
  json_builder_add_string_value (builder, "linux");
  json_builder_set_member_name (builder, "acceptInsecureCerts");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "setWindowRect");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

static gboolean
subscription_params (BhBidiCommand *command, GStrv *out_events, GStrv *out_contexts)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;

  if (!param_strings (command, "events", TRUE, &events) ||
      !param_strings (command, "contexts", FALSE, &contexts))
    return FALSE;
  if (events[0] == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"events\" must name at least one event");
      return FALSE;
    }
  *out_events = g_steal_pointer (&events);
  *out_contexts = g_steal_pointer (&contexts);
  return TRUE;
}

static void
fail_with_error (BhBidiCommand *command, const GError *error)
{
  bh_bidi_command_fail (command,
                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                          ? BH_BIDI_ERROR_NO_SUCH_FRAME
                          : BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "%s", error->message);
}

static void
session_subscribe (BhBidiCommand *command)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;
  g_autoptr (GError) error = NULL;
  const char *filter;

  if (!subscription_params (command, &events, &contexts) ||
      !param_string (command, "bulkhead:filter", FALSE, &filter))
    return;
  if (!bh_bidi_connection_subscribe (command->connection, (const char * const *) events,
                                     (const char * const *) contexts, filter, &error))
    {
      fail_with_error (command, error);
      return;
    }
  bh_bidi_command_return (command, NULL);
}

static void
session_unsubscribe (BhBidiCommand *command)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;
  g_autoptr (GError) error = NULL;

  if (!subscription_params (command, &events, &contexts))
    return;
  if (!bh_bidi_connection_unsubscribe (command->connection, (const char * const *) events,
                                       (const char * const *) contexts, &error))
    {
      fail_with_error (command, error);
      return;
    }
  bh_bidi_command_return (command, NULL);
}

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
      root = param_context (command, "root", TRUE);
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
  g_autofree char *context = context_of (tab);

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

  if (!param_string (command, "type", TRUE, &type) ||
      !param_boolean (command, "background", FALSE, &background))
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
      param_context (command, "referenceContext", TRUE) == NULL)
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
  BhTab *tab = param_context (command, "context", TRUE);
  gboolean prompt_unload;

  if (tab == NULL || !param_boolean (command, "promptUnload", FALSE, &prompt_unload))
    return;
  /* There are no beforeunload handlers to prompt for. */
  if (!bh_bidi_server_close_tab (command->server, tab))
    bh_tab_close (tab);
  bh_bidi_command_return (command, NULL);
}

static void
browsing_context_activate (BhBidiCommand *command)
{
  BhTab *tab = param_context (command, "context", TRUE);

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
  BhTab *tab = param_context (command, "context", TRUE);
  g_autofree char *scheme = NULL;
  const char *url;
  BhBidiWait wait;
  guint64 serial;

  if (tab == NULL || !param_string (command, "url", TRUE, &url) || !param_wait (command, &wait))
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
  BhTab *tab = param_context (command, "context", TRUE);
  gboolean ignore_cache;
  BhBidiWait wait;
  guint64 serial;

  /* The browser has no HTTP cache: ignoreCache changes nothing. */
  if (tab == NULL || !param_boolean (command, "ignoreCache", FALSE, &ignore_cache) ||
      !param_wait (command, &wait))
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
  BhTab *tab = param_context (command, "context", TRUE);
  gint64 delta;
  guint64 serial;

  if (tab == NULL || !param_integer (command, "delta", &delta))
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
  BhTab *tab = param_context (command, "context", TRUE);
  JsonNode *format;
  const char *origin;

  if (tab == NULL || !param_string (command, "origin", FALSE, &origin))
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

/* browser */

static void
browser_close (BhBidiCommand *command)
{
  bh_bidi_server_close_browser (command->server, command);
}

/* bulkhead:process */

static void
add_strings (JsonBuilder *builder, const char *name, const char * const *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; strings != NULL && strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
}

static void
add_figures (JsonBuilder *builder, guint64 rss_kib, guint64 messages_in, guint64 messages_out,
             const char *sandbox, gboolean alive, const char *status)
{
  json_builder_set_member_name (builder, "rssKiB");
  json_builder_add_int_value (builder, (gint64) rss_kib);
  json_builder_set_member_name (builder, "messagesIn");
  json_builder_add_int_value (builder, (gint64) messages_in);
  json_builder_set_member_name (builder, "messagesOut");
  json_builder_add_int_value (builder, (gint64) messages_out);
  json_builder_set_member_name (builder, "sandbox");
  json_builder_add_string_value (builder, sandbox);
  json_builder_set_member_name (builder, "alive");
  json_builder_add_boolean_value (builder, alive);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
}

/* One row of the process list the task manager shows (bh-process-list.h). */
static void
add_process_info (JsonBuilder *builder, BhProcessInfo *info)
{
  BhProcessType type = bh_process_info_get_process_type (info);
  guint64 messages_in = 0;
  guint64 messages_out = 0;

  bh_process_info_get_message_counts (info, &messages_in, &messages_out);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, bh_process_info_get_pid (info));
  json_builder_set_member_name (builder, "type");
  switch (type)
    {
    case BH_PROCESS_TYPE_BROWSER:
      json_builder_add_string_value (builder, "browser");
      break;
    case BH_PROCESS_TYPE_PLUGIN_HOST:
      json_builder_add_string_value (builder, "plugin");
      json_builder_set_member_name (builder, "pluginType");
      json_builder_add_string_value (builder, bh_process_info_get_site (info));
      break;
    case BH_PROCESS_TYPE_RENDERER:
    default:
      json_builder_add_string_value (builder, "renderer");
      json_builder_set_member_name (builder, "site");
      json_builder_add_string_value (builder, bh_process_info_get_site (info));
      break;
    }
  add_strings (builder, "contexts", bh_process_info_get_tab_ids (info));
  add_figures (builder, bh_process_info_get_rss_kib (info), messages_in, messages_out,
               bh_process_info_get_sandbox (info), bh_process_info_is_alive (info),
               bh_process_info_get_status (info));
  json_builder_set_member_name (builder, "pssKiB");
  json_builder_add_int_value (builder, bh_process_info_get_pss_kib (info));
  json_builder_set_member_name (builder, "cpuPercent");
  json_builder_add_double_value (builder, bh_process_info_get_cpu_percent (info));
  json_builder_end_object (builder);
}

static void
process_list (BhBidiCommand *command)
{
  BhBrowser *browser = bh_bidi_server_get_browser (command->server);
  BhProcessList *list = bh_process_list_get_for_browser (browser);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  /* The same rows as the task manager's, read afresh: the browser itself
   * (with every context: it hosts them all), then each renderer and plugin
   * host. */
  bh_process_list_refresh (list);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "processes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (bh_process_info_get_process_type (info) != BH_PROCESS_TYPE_BROWSER)
        {
          add_process_info (builder, info);
          continue;
        }
      /* The browser's row lists no tabs in the task manager; here it has them all. */
      {
        GListModel *tabs = bh_browser_get_tabs (browser);
        g_autoptr (GStrvBuilder) contexts = g_strv_builder_new ();
        g_auto (GStrv) strings = NULL;
        guint64 messages_in = 0;
        guint64 messages_out = 0;

        for (guint j = 0; j < g_list_model_get_n_items (tabs); j++)
          {
            g_autoptr (BhTab) tab = g_list_model_get_item (tabs, j);
            g_autofree char *context = context_of (tab);

            g_strv_builder_add (contexts, context);
          }
        strings = g_strv_builder_end (contexts);
        bh_process_info_get_message_counts (info, &messages_in, &messages_out);
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "pid");
        json_builder_add_int_value (builder, bh_process_info_get_pid (info));
        json_builder_set_member_name (builder, "type");
        json_builder_add_string_value (builder, "browser");
        add_strings (builder, "contexts", (const char * const *) strings);
        add_figures (builder, bh_process_info_get_rss_kib (info), messages_in, messages_out,
                     "none (the browser process is trusted)", TRUE,
                     bh_process_info_get_status (info));
        json_builder_set_member_name (builder, "pssKiB");
        json_builder_add_int_value (builder, bh_process_info_get_pss_kib (info));
        json_builder_set_member_name (builder, "cpuPercent");
        json_builder_add_double_value (builder, bh_process_info_get_cpu_percent (info));
        /* Whether channels are building trace events (--ipc-debug or a
         * bulkhead:ipc.message subscriber): what tracing costs now. */
        json_builder_set_member_name (builder, "ipcTraceEnabled");
        json_builder_add_boolean_value (builder, bh_trace_is_enabled ());
        json_builder_end_object (builder);
      }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

/* "SIGKILL", "KILL", "sigkill" or 9. */
static gboolean
param_signal (BhBidiCommand *command, int *out)
{
  JsonNode *node = json_object_get_member (command->params, "signal");

  *out = SIGTERM; /* as kill(1) */
  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 number = json_node_get_int (node);

      if (number >= 1 && number < NSIG)
        {
          *out = (int) number;
          return TRUE;
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *name = g_ascii_strup (json_node_get_string (node), -1);
      const char *bare = g_str_has_prefix (name, "SIG") ? name + 3 : name;

      for (int signo = 1; signo < NSIG; signo++)
        {
          const char *abbrev = sigabbrev_np (signo);

          if (abbrev != NULL && g_str_equal (abbrev, bare))
            {
              *out = signo;
              return TRUE;
            }
        }
    }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"signal\" must be a signal number from 1 to %d or a name such as "
                        "\"SIGKILL\"", NSIG - 1);
  return FALSE;
}

static void
process_kill (BhBidiCommand *command)
{
  BhBrowser *browser = bh_bidi_server_get_browser (command->server);
  GListModel *hosts = bh_browser_get_renderer_hosts (browser);
  GListModel *plugin_hosts = bh_browser_get_plugin_hosts (browser);
  g_autoptr (BhRendererHost) target = NULL;
  g_autoptr (BhPluginHost) plugin_target = NULL;
  gint64 pid;
  int signo;

  if (!param_integer (command, "pid", &pid) || !param_signal (command, &signo))
    return;
  if (pid == getpid ())
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "%" G_GINT64_FORMAT " is the browser itself: use browser.close", pid);
      return;
    }
  /* Only processes the browser spawned and has not yet seen die: never a
   * pid that another process may have been given since. */
  for (guint i = 0; i < g_list_model_get_n_items (hosts) && target == NULL; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);

      if (bh_renderer_host_is_alive (host) && bh_renderer_host_get_pid (host) > 0 &&
          bh_renderer_host_get_pid (host) == pid)
        target = g_steal_pointer (&host);
    }
  for (guint i = 0; i < g_list_model_get_n_items (plugin_hosts) && target == NULL &&
                    plugin_target == NULL; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (plugin_hosts, i);

      if (bh_plugin_host_is_alive (host) && bh_plugin_host_get_pid (host) > 0 &&
          bh_plugin_host_get_pid (host) == pid)
        plugin_target = g_steal_pointer (&host);
    }
  if (target == NULL && plugin_target == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "%" G_GINT64_FORMAT " is not a live renderer or plugin host of this "
                            "browser", pid);
      return;
    }

  if (signo == SIGKILL && target != NULL)
    {
      /* The task manager's End process: the tabs learn it at once. */
      bh_renderer_host_kill (target, BH_TERMINATION_STATUS_KILLED, NULL);
    }
  else if (signo == SIGKILL)
    bh_plugin_host_kill (plugin_target, BH_TERMINATION_STATUS_KILLED, NULL);
  else
    {
      bh_bidi_server_note_signal (command->server, (int) pid, signo);
      if (kill ((pid_t) pid, signo) < 0)
        {
          int saved_errno = errno;

          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "kill: %s",
                                g_strerror (saved_errno));
          return;
        }
    }
  bh_bidi_command_return (command, NULL);
}

/* The table. */

static const struct {
  const char *method;
  BhBidiCommandFunc func;
} commands[] = {
  { "session.status", session_status },
  { "session.new", session_new },
  { "session.subscribe", session_subscribe },
  { "session.unsubscribe", session_unsubscribe },
  { "browsingContext.getTree", browsing_context_get_tree },
  { "browsingContext.create", browsing_context_create },
  { "browsingContext.close", browsing_context_close },
  { "browsingContext.activate", browsing_context_activate },
  { "browsingContext.navigate", browsing_context_navigate },
  { "browsingContext.reload", browsing_context_reload },
  { "browsingContext.traverseHistory", browsing_context_traverse_history },
  { "browsingContext.captureScreenshot", browsing_context_capture_screenshot },
  { "browser.close", browser_close },
  { "bulkhead:process.list", process_list },
  { "bulkhead:process.kill", process_kill },
};

BhBidiCommandFunc
bh_bidi_command_lookup (const char *method)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].method, method))
      return commands[i].func;
  return NULL;
}
