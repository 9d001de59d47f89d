/* bh-bidi-commands.c: looking a method up in the modules' command tables,
 * and the parameter getters every handler uses.
 *
 * Each handler owns its command and answers it once, now or when what it
 * waits for happens (bh-bidi-private.h). Parameters are checked before
 * anything is done: a missing or mistyped one is "invalid argument", a
 * context that is not an open tab "no such frame" (the BiDi spec's codes).
 * docs/automation.md shows an exchange for each command. The handlers live
 * one file per BiDi module: bh-bidi-session.c, bh-bidi-browsing-context.c,
 * bh-bidi-browser.c, bh-bidi-bulkhead.c.
 */
#include "bh-bidi-private.h"

/* Parameters. Each getter fails @command (which it then consumes) and
 * returns FALSE when the member is missing (if @required) or mistyped. */

gboolean
bh_bidi_param_string (BhBidiCommand *command, const char *name, gboolean required, const char **out)
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

gboolean
bh_bidi_param_boolean (BhBidiCommand *command, const char *name, gboolean fallback, gboolean *out)
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

gboolean
bh_bidi_param_integer (BhBidiCommand *command, const char *name, gint64 *out)
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
gboolean
bh_bidi_param_strings (BhBidiCommand *command, const char *name, gboolean required, GStrv *out)
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
BhTab *
bh_bidi_param_context (BhBidiCommand *command, const char *name, gboolean required)
{
  const char *context;
  BhTab *tab;

  if (!bh_bidi_param_string (command, name, required, &context))
    return NULL;
  if (context == NULL)
    return NULL;
  tab = bh_bidi_server_find_tab (command->server, context);
  if (tab == NULL)
    bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                          context);
  return tab;
}

gboolean
bh_bidi_param_wait (BhBidiCommand *command, BhBidiWait *out)
{
  const char *wait;

  *out = BH_BIDI_WAIT_NONE;
  if (!bh_bidi_param_string (command, "wait", FALSE, &wait))
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

void
bh_bidi_fail_with_error (BhBidiCommand *command, const GError *error)
{
  bh_bidi_command_fail (command,
                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                          ? BH_BIDI_ERROR_NO_SUCH_FRAME
                          : BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "%s", error->message);
}


JsonNode *
bh_bidi_node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

static const BhBidiCommandEntry * const modules[] = {
  bh_bidi_session_commands,
  bh_bidi_browsing_context_commands,
  bh_bidi_screenshot_commands,
  bh_bidi_element_commands,
  bh_bidi_storage_commands,
  bh_bidi_script_commands,
  bh_bidi_browser_commands,
  bh_bidi_bulkhead_commands,
  bh_bidi_print_commands,
  bh_bidi_prompt_commands,
  bh_bidi_intercept_commands,
  bh_bidi_preload_commands,
  bh_bidi_data_commands,
};

/* Commands the BiDi spec defines that Bulkhead does not carry out (yet):
 * "unsupported operation", as the spec answers what a remote end does not
 * support, never "unknown command" (which says the spec has no such
 * command). docs/automation.md lists them. */
static const char * const unsupported[] = {
  "browser.setDownloadBehavior",
  "emulation.setForcedColorsModeThemeOverride",
  "emulation.setGeolocationOverride",
  "emulation.setLocaleOverride",
  "emulation.setNetworkConditions",
  "emulation.setScreenSettingsOverride",
  "emulation.setScriptingEnabled",
  "emulation.setScrollbarTypeOverride",
  "emulation.setTimezoneOverride",
  "emulation.setTouchOverride",
  "emulation.setUserAgentOverride",
  "input.setFiles",
  "webExtension.install",
  "webExtension.uninstall",
  NULL
};

static void
unsupported_command (BhBidiCommand *command)
{
  bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                        "Bulkhead does not support “%s” yet", command->method);
}

BhBidiCommandFunc
bh_bidi_command_lookup (const char *method)
{
  for (gsize i = 0; i < G_N_ELEMENTS (modules); i++)
    for (const BhBidiCommandEntry *entry = modules[i]; entry->method != NULL; entry++)
      if (g_str_equal (entry->method, method))
        return entry->func;
  if (g_strv_contains (unsupported, method))
    return unsupported_command;
  return NULL;
}
