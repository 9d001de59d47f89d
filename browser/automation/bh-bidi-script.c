/* bh-bidi-script.c: the BiDi "script" module
 * (https://w3c.github.io/webdriver-bidi/#module-script): evaluate,
 * callFunction, getRealms, disown, through the tab's script API
 * (browser/process/bh-tab-script.h), which has the renderer evaluate in the
 * document's realm and answers with the spec's RemoteValue serialisation.
 *
 * A realm is a tab's committed document: its id is "CONTEXT:NAVIGATION", so
 * that a realm of a document since replaced is told apart ("no such
 * frame"... the spec's "no such realm" is not an error code: invalid
 * argument). Classic WebDriver's /execute/sync runs through
 * bh_bidi_script_call() below.
 */
#include "bh-bidi-private.h"

#include <string.h>

#include "bh-bidi-message.h"
#include "bh-tab-script.h"

char *
bh_bidi_realm_for_tab (BhTab *tab)
{
  return g_strdup_printf ("%u:%" G_GUINT64_FORMAT, bh_tab_get_id (tab),
                          bh_tab_get_committed_navigation_id (tab));
}

/* The target parameter: {context} or {realm}; NULL having failed @command. */
static BhTab *
target_tab (BhBidiCommand *command)
{
  JsonNode *target = json_object_get_member (command->params, "target");
  JsonObject *object = target != NULL && JSON_NODE_HOLDS_OBJECT (target)
                         ? json_node_get_object (target)
                         : NULL;
  const char *context = object != NULL ? json_object_get_string_member_with_default (
                                           object, "context", NULL)
                                       : NULL;
  const char *realm = object != NULL ? json_object_get_string_member_with_default (
                                         object, "realm", NULL)
                                     : NULL;
  BhTab *tab;

  if (context != NULL)
    {
      tab = bh_bidi_server_find_tab (command->server, context);
      if (tab == NULL)
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                              context);
      return tab;
    }
  if (realm != NULL)
    {
      const char *colon = strchr (realm, ':');
      g_autofree char *tab_part = colon != NULL ? g_strndup (realm, (gsize) (colon - realm)) : NULL;
      g_autofree char *current = NULL;

      tab = tab_part != NULL ? bh_bidi_server_find_tab (command->server, tab_part) : NULL;
      current = tab != NULL ? bh_bidi_realm_for_tab (tab) : NULL;
      if (current == NULL || !g_str_equal (current, realm))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                                "no realm “%s” (its document was replaced, or never was)", realm);
          return NULL;
        }
      return tab;
    }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"target\" must be {context} or {realm}");
  return NULL;
}

typedef struct {
  BhBidiCommand *command;
  char *realm;
} Evaluation;

static void
evaluated_cb (BhTab *tab, const char *result_json, const GError *error, gpointer user_data)
{
  Evaluation *evaluation = user_data;
  BhBidiCommand *command = g_steal_pointer (&evaluation->command);
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;

  if (error != NULL)
    bh_bidi_command_fail (command, g_error_matches (error, BH_TAB_SCRIPT_ERROR,
                                                    BH_TAB_SCRIPT_ERROR_NAVIGATED)
                                     ? BH_BIDI_ERROR_UNKNOWN_ERROR
                                     : BH_BIDI_ERROR_NO_SUCH_FRAME,
                          "%s", error->message);
  else
    {
      /* The browser checked the JSON already (bh-tab-script.h). */
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, result_json, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                              "the renderer's answer is not an object");
      else
        {
          JsonObject *object = json_object_ref (json_node_get_object (root));

          json_object_set_string_member (object, "realm", evaluation->realm);
          bh_bidi_command_return (command, bh_bidi_node_take_object (object));
        }
    }
  g_free (evaluation->realm);
  g_free (evaluation);
}

void
bh_bidi_script_call (BhBidiCommand *command, BhTab *tab, const char *source,
                     const char *arguments_json, gboolean function, gboolean await_promise)
{
  Evaluation *evaluation = g_new0 (Evaluation, 1);

  evaluation->command = command;
  evaluation->realm = bh_bidi_realm_for_tab (tab);
  bh_tab_evaluate_script (tab, source, arguments_json,
                          (function ? BH_TAB_SCRIPT_FUNCTION : 0) |
                          (await_promise ? BH_TAB_SCRIPT_AWAIT_PROMISE : 0),
                          evaluated_cb, evaluation);
}

static void
script_evaluate (BhBidiCommand *command)
{
  const char *expression;
  gboolean await_promise;
  BhTab *tab;

  if (!bh_bidi_param_string (command, "expression", TRUE, &expression) ||
      !bh_bidi_param_boolean (command, "awaitPromise", FALSE, &await_promise) ||
      (tab = target_tab (command)) == NULL)
    return;
  bh_bidi_script_call (command, tab, expression, NULL, FALSE, await_promise);
}

static void
script_call_function (BhBidiCommand *command)
{
  JsonNode *arguments = json_object_get_member (command->params, "arguments");
  g_autofree char *arguments_json = NULL;
  const char *declaration;
  gboolean await_promise;
  BhTab *tab;

  if (!bh_bidi_param_string (command, "functionDeclaration", TRUE, &declaration) ||
      !bh_bidi_param_boolean (command, "awaitPromise", FALSE, &await_promise) ||
      (tab = target_tab (command)) == NULL)
    return;
  if (arguments != NULL && !JSON_NODE_HOLDS_ARRAY (arguments))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"arguments\" must be an array of LocalValues");
      return;
    }
  if (arguments != NULL)
    {
      g_autoptr (GBytes) text = bh_bidi_to_bytes (arguments);

      arguments_json = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
    }
  bh_bidi_script_call (command, tab, declaration, arguments_json, TRUE, await_promise);
}

static void
script_get_realms (BhBidiCommand *command)
{
  GListModel *tabs = bh_browser_get_tabs (bh_bidi_server_get_browser (command->server));
  BhTab *only = NULL;
  const char *type;
  JsonObject *result;
  JsonArray *realms;

  if (json_object_has_member (command->params, "context") &&
      (only = bh_bidi_param_context (command, "context", TRUE)) == NULL)
    return;
  if (!bh_bidi_param_string (command, "type", FALSE, &type))
    return;
  realms = json_array_new ();
  /* Only window realms: no workers, no worklets. */
  for (guint i = 0; (type == NULL || g_str_equal (type, "window")) &&
                    i < g_list_model_get_n_items (tabs);
       i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);
      g_autofree char *realm = NULL;
      g_autofree char *context = NULL;
      g_autoptr (GUri) uri = NULL;
      g_autofree char *origin = NULL;
      JsonObject *info;

      if ((only != NULL && tab != only) || bh_tab_get_committed_navigation_id (tab) == 0)
        continue;
      realm = bh_bidi_realm_for_tab (tab);
      context = bh_bidi_context_for_tab (tab);
      uri = g_uri_parse (bh_tab_get_uri (tab), G_URI_FLAGS_NONE, NULL);
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        origin = g_uri_get_port (uri) > 0
                   ? g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                                      g_uri_get_port (uri))
                   : g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
      info = json_object_new ();
      json_object_set_string_member (info, "realm", realm);
      json_object_set_string_member (info, "origin", origin != NULL ? origin : "null");
      json_object_set_string_member (info, "type", "window");
      json_object_set_string_member (info, "context", context);
      json_array_add_object_element (realms, info);
    }
  result = json_object_new ();
  json_object_set_array_member (result, "realms", realms);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
script_disown (BhBidiCommand *command)
{
  /* Nodes are named by sharedId, never by handle: there is nothing to
   * release. */
  if (target_tab (command) == NULL)
    return;
  bh_bidi_command_return (command, NULL);
}

const BhBidiCommandEntry bh_bidi_script_commands[] = {
  { "script.evaluate", script_evaluate },
  { "script.callFunction", script_call_function },
  { "script.getRealms", script_get_realms },
  { "script.disown", script_disown },
  { NULL, NULL }
};
