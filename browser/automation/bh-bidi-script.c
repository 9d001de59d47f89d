/* bh-bidi-script.c: the BiDi "script" module
 * (https://w3c.github.io/webdriver-bidi/#module-script): evaluate,
 * callFunction, getRealms, disown, through the tab's script API
 * (browser/process/bh-tab-script.h), which has the renderer evaluate in the
 * document's realm and answers with the spec's RemoteValue serialisation.
 *
 * A realm is a tab's committed document: its id is "CONTEXT:NAVIGATION", so
 * that a realm of a document since replaced is told apart ("no such
 * frame"... the spec's "no such realm" is not an error code: invalid
 * argument). A sandbox (target {context, sandbox}) is named
 * "CONTEXT:NAVIGATION/SANDBOX" and announced with script.realmCreated the
 * first time a command names it, and again for every document the context
 * commits after (bh-bidi-tabs.c), as Chromium's mapper does; but it is the
 * document's own realm under another name: Bulkhead has no isolated worlds.
 * Objects a client owns (resultOwnership "root") get handles that live in the
 * renderer's realm until script.disown or the document goes. Classic
 * WebDriver's /execute/sync runs through bh_bidi_script_call() below.
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

char *
bh_bidi_origin_for_uri (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup ("null");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                            g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
}

JsonNode *
bh_bidi_realm_info (BhTab *tab, const char *sandbox)
{
  g_autofree char *realm = bh_bidi_realm_for_tab (tab);
  g_autofree char *context = bh_bidi_context_for_tab (tab);
  g_autofree char *origin = bh_bidi_origin_for_uri (bh_tab_get_uri (tab));
  JsonObject *info = json_object_new ();

  if (sandbox != NULL)
    {
      char *named = g_strdup_printf ("%s/%s", realm, sandbox);

      g_free (realm);
      realm = named;
    }
  json_object_set_string_member (info, "realm", realm);
  json_object_set_string_member (info, "origin", origin);
  json_object_set_string_member (info, "type", "window");
  json_object_set_string_member (info, "context", context);
  if (sandbox != NULL)
    json_object_set_string_member (info, "sandbox", sandbox);
  return bh_bidi_node_take_object (info);
}

/* The target parameter: {context, sandbox?} or {realm}; NULL having failed
 * @command. @out_sandbox: (transfer full): the sandbox named, or NULL. */
static BhTab *
target_tab_in (BhBidiCommand *command, char **out_sandbox)
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
  const char *sandbox = object != NULL ? json_object_get_string_member_with_default (
                                           object, "sandbox", NULL)
                                       : NULL;
  BhTab *tab;

  if (out_sandbox != NULL)
    *out_sandbox = NULL;
  if (context != NULL)
    {
      tab = bh_bidi_server_find_tab (command->server, context);
      if (tab == NULL)
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                              context);
      else if (sandbox != NULL && *sandbox != '\0' && out_sandbox != NULL)
        {
          *out_sandbox = g_strdup (sandbox);
          bh_bidi_server_note_sandbox (command->server, tab, sandbox);
        }
      return tab;
    }
  if (realm != NULL)
    {
      const char *colon = strchr (realm, ':');
      const char *slash = strchr (realm, '/');
      g_autofree char *tab_part = colon != NULL ? g_strndup (realm, (gsize) (colon - realm)) : NULL;
      g_autofree char *base = g_strndup (realm, slash != NULL ? (gsize) (slash - realm) : strlen (realm));
      g_autofree char *current = NULL;

      tab = tab_part != NULL ? bh_bidi_server_find_tab (command->server, tab_part) : NULL;
      current = tab != NULL ? bh_bidi_realm_for_tab (tab) : NULL;
      if (current == NULL || !g_str_equal (current, base) ||
          (slash != NULL && !bh_bidi_server_has_sandbox (command->server, tab, slash + 1)))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                                "no realm “%s” (its document was replaced, or never was)", realm);
          return NULL;
        }
      if (slash != NULL && out_sandbox != NULL)
        *out_sandbox = g_strdup (slash + 1);
      return tab;
    }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"target\" must be {context} or {realm}");
  return NULL;
}

static BhTab *
target_tab (BhBidiCommand *command)
{
  return target_tab_in (command, NULL);
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

/* @options_json: an array of LocalValues, or the object ScriptEvaluate
 * carries (bh-messages.h); @sandbox: the realm's name in the answer. */
static void
script_call_in (BhBidiCommand *command, BhTab *tab, const char *sandbox, const char *source,
                const char *options_json, gboolean function, gboolean await_promise)
{
  Evaluation *evaluation = g_new0 (Evaluation, 1);
  const char *arguments_json = options_json;

  evaluation->command = command;
  evaluation->realm = bh_bidi_realm_for_tab (tab);
  if (sandbox != NULL)
    {
      char *named = g_strdup_printf ("%s/%s", evaluation->realm, sandbox);

      g_free (evaluation->realm);
      evaluation->realm = named;
    }
  bh_tab_evaluate_script (tab, source, arguments_json,
                          (function ? BH_TAB_SCRIPT_FUNCTION : 0) |
                          (await_promise ? BH_TAB_SCRIPT_AWAIT_PROMISE : 0),
                          evaluated_cb, evaluation);
}

void
bh_bidi_script_call (BhBidiCommand *command, BhTab *tab, const char *source,
                     const char *arguments_json, gboolean function, gboolean await_promise)
{
  script_call_in (command, tab, NULL, source, arguments_json, function, await_promise);
}

/* The options object ScriptEvaluate carries: resultOwnership, and for
 * callFunction the arguments and this; FALSE having failed @command. */
static gboolean
script_options (BhBidiCommand *command, gboolean function, char **out_json)
{
  const char *ownership;
  g_autoptr (JsonObject) options = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GBytes) text = NULL;

  if (!bh_bidi_param_string (command, "resultOwnership", FALSE, &ownership))
    return FALSE;
  if (ownership != NULL && !g_str_equal (ownership, "root") && !g_str_equal (ownership, "none"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"resultOwnership\" must be \"root\" or \"none\"");
      return FALSE;
    }
  json_object_set_string_member (options, "resultOwnership", ownership != NULL ? ownership : "none");
  if (function)
    {
      JsonNode *arguments = json_object_get_member (command->params, "arguments");
      JsonNode *self = json_object_get_member (command->params, "this");

      if (arguments != NULL && !JSON_NODE_HOLDS_ARRAY (arguments))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"arguments\" must be an array of LocalValues");
          return FALSE;
        }
      if (self != NULL && !JSON_NODE_HOLDS_OBJECT (self))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"this\" must be a LocalValue");
          return FALSE;
        }
      if (arguments != NULL)
        json_object_set_member (options, "arguments", json_node_copy (arguments));
      if (self != NULL)
        json_object_set_member (options, "this", json_node_copy (self));
    }
  node = json_node_init_object (json_node_alloc (), options);
  text = bh_bidi_to_bytes (node);
  *out_json = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  return TRUE;
}

static void
script_evaluate (BhBidiCommand *command)
{
  g_autofree char *options = NULL;
  g_autofree char *sandbox = NULL;
  const char *expression;
  gboolean await_promise;
  BhTab *tab;

  if (!bh_bidi_param_string (command, "expression", TRUE, &expression) ||
      !bh_bidi_param_boolean (command, "awaitPromise", FALSE, &await_promise) ||
      !script_options (command, FALSE, &options) ||
      (tab = target_tab_in (command, &sandbox)) == NULL)
    return;
  script_call_in (command, tab, sandbox, expression, options, FALSE, await_promise);
}

static void
script_call_function (BhBidiCommand *command)
{
  g_autofree char *options = NULL;
  g_autofree char *sandbox = NULL;
  const char *declaration;
  gboolean await_promise;
  BhTab *tab;

  if (!bh_bidi_param_string (command, "functionDeclaration", TRUE, &declaration) ||
      !bh_bidi_param_boolean (command, "awaitPromise", FALSE, &await_promise) ||
      !script_options (command, TRUE, &options) ||
      (tab = target_tab_in (command, &sandbox)) == NULL)
    return;
  script_call_in (command, tab, sandbox, declaration, options, TRUE, await_promise);
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
      g_auto (GStrv) sandboxes = NULL;

      if ((only != NULL && tab != only) || bh_tab_get_committed_navigation_id (tab) == 0)
        continue;
      json_array_add_element (realms, bh_bidi_realm_info (tab, NULL));
      sandboxes = bh_bidi_server_list_sandboxes (command->server, tab);
      for (guint j = 0; sandboxes != NULL && sandboxes[j] != NULL; j++)
        json_array_add_element (realms, bh_bidi_realm_info (tab, sandboxes[j]));
    }
  result = json_object_new ();
  json_object_set_array_member (result, "realms", realms);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
disowned_cb (BhTab *tab, const char *result_json, const GError *error, gpointer user_data)
{
  BhBidiCommand *command = user_data;

  /* A document that went took its handles with it: nothing left to disown. */
  bh_bidi_command_return (command, NULL);
}

/* The handles go from the realm's table in the renderer (an evaluation of
 * nothing that carries them, ScriptEvaluate's "disown"). */
static void
script_disown (BhBidiCommand *command)
{
  g_autoptr (JsonObject) options = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GBytes) text = NULL;
  g_autofree char *json = NULL;
  g_auto (GStrv) handles = NULL;
  JsonArray *list = json_array_new ();
  BhTab *tab;

  if (!bh_bidi_param_strings (command, "handles", TRUE, &handles) ||
      (tab = target_tab (command)) == NULL)
    {
      json_array_unref (list);
      return;
    }
  for (guint i = 0; handles[i] != NULL; i++)
    json_array_add_string_element (list, handles[i]);
  json_object_set_array_member (options, "disown", list);
  node = json_node_init_object (json_node_alloc (), options);
  text = bh_bidi_to_bytes (node);
  json = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  bh_tab_evaluate_script (tab, "undefined", json, 0, disowned_cb, command);
}

const BhBidiCommandEntry bh_bidi_script_commands[] = {
  { "script.evaluate", script_evaluate },
  { "script.callFunction", script_call_function },
  { "script.getRealms", script_get_realms },
  { "script.disown", script_disown },
  { NULL, NULL }
};
