/* bh-bidi-browser.c: the BiDi "browser" module
 * (https://w3c.github.io/webdriver-bidi/#module-browser): closing the
 * browser, user contexts, client windows.
 *
 * User contexts are the server's (bh-bidi-user-contexts.c): "default" and
 * those createUserContext made, each a profile in memory with renderers of
 * its own.
 */
#include "bh-bidi-private.h"

static void
browser_close (BhBidiCommand *command)
{
  bh_bidi_server_close_browser (command->server, command);
}

static void
browser_get_user_contexts (BhBidiCommand *command)
{
  g_auto (GStrv) ids = bh_bidi_server_list_user_contexts (command->server);
  JsonObject *result = json_object_new ();
  JsonArray *array = json_array_new ();

  for (gsize i = 0; ids[i] != NULL; i++)
    {
      JsonObject *info = json_object_new ();

      json_object_set_string_member (info, "userContext", ids[i]);
      json_array_add_object_element (array, info);
    }
  json_object_set_array_member (result, "userContexts", array);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
browser_create_user_context (BhBidiCommand *command)
{
  JsonObject *result = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  /* acceptInsecureCerts, proxy and unhandledPromptBehavior are the
   * browser's; asking for another value is not supported. */
  if (json_object_has_member (command->params, "proxy") ||
      (json_object_has_member (command->params, "acceptInsecureCerts") &&
       json_object_get_boolean_member_with_default (command->params, "acceptInsecureCerts",
                                                    FALSE)))
    {
      json_object_unref (result);
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "a user context with its own proxy or certificate rules is not "
                            "supported");
      return;
    }
  id = bh_bidi_server_create_user_context (command->server, &error);
  if (id == NULL)
    {
      json_object_unref (result);
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "%s", error->message);
      return;
    }
  json_object_set_string_member (result, "userContext", id);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
browser_remove_user_context (BhBidiCommand *command)
{
  const char *id;

  if (!bh_bidi_param_string (command, "userContext", TRUE, &id))
    return;
  if (g_str_equal (id, BH_BIDI_DEFAULT_USER_CONTEXT))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "the default user context cannot be removed");
      return;
    }
  if (!bh_bidi_server_remove_user_context (command->server, id))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_USER_CONTEXT,
                            "no user context “%s”", id);
      return;
    }
  bh_bidi_command_return (command, NULL);
}

/* One client window: the browser's own (headless: the virtual one of
 * --window-size), as every context's "clientWindow" says. */
static JsonObject *
client_window_info (BhBidiServer *server)
{
  const BhBrowserOptions *options = bh_browser_get_options (bh_bidi_server_get_browser (server));
  JsonObject *info = json_object_new ();

  json_object_set_string_member (info, "clientWindow", BH_BIDI_CLIENT_WINDOW);
  json_object_set_boolean_member (info, "active", TRUE);
  json_object_set_string_member (info, "state", bh_bidi_server_get_window_state (server));
  json_object_set_int_member (info, "x", 0);
  json_object_set_int_member (info, "y", 0);
  json_object_set_int_member (info, "width", options->window_width_px);
  json_object_set_int_member (info, "height", options->window_height_px);
  return info;
}

static void
browser_get_client_windows (BhBidiCommand *command)
{
  JsonObject *result = json_object_new ();
  JsonArray *windows = json_array_new ();

  json_array_add_object_element (windows, client_window_info (command->server));
  json_object_set_array_member (result, "clientWindows", windows);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
browser_set_client_window_state (BhBidiCommand *command)
{
  const char *window;
  const char *state;

  if (!bh_bidi_param_string (command, "clientWindow", TRUE, &window) ||
      !bh_bidi_param_string (command, "state", TRUE, &state))
    return;
  if (!g_str_equal (window, BH_BIDI_CLIENT_WINDOW))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_CLIENT_WINDOW,
                            "no client window “%s”", window);
      return;
    }
  if (!g_str_equal (state, "normal") && !g_str_equal (state, "maximized") && !g_str_equal (state, "minimized") &&
      !g_str_equal (state, "fullscreen"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"state\" must be \"normal\", \"maximized\", \"minimized\" or \"fullscreen\"");
      return;
    }
  /* The window does it (the UI); headless, where the page area is
   * --window-size whatever the state, it is remembered. */
  bh_bidi_server_set_window_state (command->server, state);
  bh_bidi_command_return (command, bh_bidi_node_take_object (client_window_info (command->server)));
}

const BhBidiCommandEntry bh_bidi_browser_commands[] = {
  { "browser.close", browser_close },
  { "browser.getUserContexts", browser_get_user_contexts },
  { "browser.createUserContext", browser_create_user_context },
  { "browser.removeUserContext", browser_remove_user_context },
  { "browser.getClientWindows", browser_get_client_windows },
  { "browser.setClientWindowState", browser_set_client_window_state },
  { NULL, NULL }
};
