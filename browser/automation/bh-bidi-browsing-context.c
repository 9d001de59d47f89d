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
  const char *user_context;
  gboolean background;
  guint64 serial;

  if (!bh_bidi_param_string (command, "type", TRUE, &type) ||
      !bh_bidi_param_boolean (command, "background", FALSE, &background) ||
      !bh_bidi_param_string (command, "userContext", FALSE, &user_context))
    return;
  if (user_context != NULL && !bh_bidi_server_has_user_context (server, user_context))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_USER_CONTEXT,
                            "no user context “%s”", user_context);
      return;
    }
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
  /* In its user context from its contextCreated event on. */
  bh_bidi_server_set_next_user_context (server, user_context);
  tab = bh_browser_new_tab_in (browser, bh_bidi_server_get_user_context_processes (
                                          server, user_context != NULL
                                                    ? user_context
                                                    : BH_BIDI_DEFAULT_USER_CONTEXT));
  bh_bidi_server_set_next_user_context (server, NULL);
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

  /* ignoreCache: Ctrl+Shift+R, the HTTP cache bypassed. */
  if (tab == NULL || !bh_bidi_param_boolean (command, "ignoreCache", FALSE, &ignore_cache) ||
      !bh_bidi_param_wait (command, &wait))
    return;

  serial = bh_bidi_server_navigation_serial (command->server, tab);
  if (ignore_cache)
    bh_tab_reload_bypassing_cache (tab);
  else
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

const BhBidiCommandEntry bh_bidi_browsing_context_commands[] = {
  { "browsingContext.getTree", browsing_context_get_tree },
  { "browsingContext.create", browsing_context_create },
  { "browsingContext.close", browsing_context_close },
  { "browsingContext.activate", browsing_context_activate },
  { "browsingContext.navigate", browsing_context_navigate },
  { "browsingContext.reload", browsing_context_reload },
  { "browsingContext.traverseHistory", browsing_context_traverse_history },
  { NULL, NULL }
};
