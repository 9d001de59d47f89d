/* bh-bidi-preload.c: script.addPreloadScript and script.removePreloadScript
 * (https://w3c.github.io/webdriver-bidi/#command-script-addPreloadScript).
 *
 * A preload script is a function declaration the renderer calls in every
 * new document of the contexts it applies to (all, those listed, or those
 * of the user contexts listed), before the document's own scripts run
 * (bh_tab_set_preload_scripts(), SetPreloadScripts). It applies from the
 * next navigation on: the document on screen is left as it is, as the
 * spec says. Preload scripts belong to the connection that added them and
 * go when it closes. Bulkhead has no isolated worlds: a script with a
 * sandbox runs in the document's realm.
 */
#include "bh-bidi-server-private.h"

#include <string.h>

#include "bh-message.h"
#include "bh-tab-script.h"

struct _PreloadScript {
  char *id;
  char *source;
  GStrv contexts;                /* (nullable): every context */
  GStrv user_contexts;           /* (nullable): every user context */
  BhBidiConnection *connection;  /* not a reference: its closing removes us */
};

void
bh_bidi_preload_script_free (PreloadScript *script)
{
  g_free (script->id);
  g_free (script->source);
  g_strfreev (script->contexts);
  g_strfreev (script->user_contexts);
  g_free (script);
}

static gboolean
applies_to (BhBidiServer *self, const PreloadScript *script, BhTab *tab)
{
  g_autofree char *context = bh_bidi_context_for_tab (tab);

  if (script->contexts != NULL && !g_strv_contains ((const char *const *) script->contexts, context))
    return FALSE;
  return script->user_contexts == NULL ||
         g_strv_contains ((const char *const *) script->user_contexts,
                          bh_bidi_server_get_user_context (self, tab));
}

void
bh_bidi_server_apply_preload_scripts (BhBidiServer *self, BhTab *tab)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) sources = NULL;

  for (guint i = 0; i < self->preload_scripts->len; i++)
    {
      PreloadScript *script = g_ptr_array_index (self->preload_scripts, i);

      if (applies_to (self, script, tab))
        g_strv_builder_add (builder, script->source);
    }
  sources = g_strv_builder_end (builder);
  bh_tab_set_preload_scripts (tab, (const char *const *) sources);
}

static void
apply_to_all (BhBidiServer *self)
{
  GListModel *tabs = bh_browser_get_tabs (self->browser);

  for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);

      bh_bidi_server_apply_preload_scripts (self, tab);
    }
}

void
bh_bidi_server_connection_preload_scripts_gone (BhBidiServer *self, BhBidiConnection *connection)
{
  gboolean removed = FALSE;

  for (guint i = self->preload_scripts->len; i > 0; i--)
    if (((PreloadScript *) g_ptr_array_index (self->preload_scripts, i - 1))->connection == connection)
      {
        g_ptr_array_remove_index (self->preload_scripts, i - 1);
        removed = TRUE;
      }
  if (removed && self->browser != NULL)
    apply_to_all (self);
}

static void
script_add_preload_script (BhBidiCommand *command)
{
  JsonNode *arguments = json_object_get_member (command->params, "arguments");
  g_auto (GStrv) contexts = NULL;
  g_auto (GStrv) user_contexts = NULL;
  const char *source, *sandbox;
  PreloadScript *script;
  JsonObject *result;
  gsize total = 0;

  if (!bh_bidi_param_string (command, "functionDeclaration", TRUE, &source) ||
      !bh_bidi_param_string (command, "sandbox", FALSE, &sandbox) ||
      !bh_bidi_param_strings (command, "contexts", FALSE, &contexts) ||
      !bh_bidi_param_strings (command, "userContexts", FALSE, &user_contexts))
    return;
  if (contexts != NULL && user_contexts != NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"contexts\" and \"userContexts\" may not both be given");
      return;
    }
  if ((contexts != NULL && contexts[0] == NULL) || (user_contexts != NULL && user_contexts[0] == NULL))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "the context lists may not be empty");
      return;
    }
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”", contexts[i]);
        return;
      }
  for (guint i = 0; user_contexts != NULL && user_contexts[i] != NULL; i++)
    if (!bh_bidi_server_has_user_context (command->server, user_contexts[i]))
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_USER_CONTEXT, "no user context “%s”",
                              user_contexts[i]);
        return;
      }
  if (arguments != NULL && (!JSON_NODE_HOLDS_ARRAY (arguments) ||
                            json_array_get_length (json_node_get_array (arguments)) > 0))
    {
      /* Its arguments are channels (script.message): none here. */
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "preload scripts with channel arguments are not supported");
      return;
    }
  /* The renderer's budget: SetPreloadScripts is one message of at most 1 MiB. */
  for (guint i = 0; i < command->server->preload_scripts->len; i++)
    total += strlen (((PreloadScript *) g_ptr_array_index (command->server->preload_scripts, i))->source);
  if (command->server->preload_scripts->len >= BH_MAX_PRELOAD_SCRIPTS ||
      total + strlen (source) > BH_MAX_PAYLOAD_BYTES / 2)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "at most %u preload scripts of 512 KiB together", BH_MAX_PRELOAD_SCRIPTS);
      return;
    }
  script = g_new0 (PreloadScript, 1);
  script->id = g_uuid_string_random ();
  script->source = g_strdup (source);
  script->contexts = g_steal_pointer (&contexts);
  script->user_contexts = g_steal_pointer (&user_contexts);
  script->connection = command->connection;
  g_ptr_array_add (command->server->preload_scripts, script);
  apply_to_all (command->server);
  result = json_object_new ();
  json_object_set_string_member (result, "script", script->id);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
script_remove_preload_script (BhBidiCommand *command)
{
  const char *id;

  if (!bh_bidi_param_string (command, "script", TRUE, &id))
    return;
  for (guint i = 0; i < command->server->preload_scripts->len; i++)
    if (g_str_equal (((PreloadScript *) g_ptr_array_index (command->server->preload_scripts, i))->id, id))
      {
        g_ptr_array_remove_index (command->server->preload_scripts, i);
        apply_to_all (command->server);
        bh_bidi_command_return (command, NULL);
        return;
      }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_SCRIPT, "no preload script “%s”", id);
}

const BhBidiCommandEntry bh_bidi_preload_commands[] = {
  { "script.addPreloadScript", script_add_preload_script },
  { "script.removePreloadScript", script_remove_preload_script },
  { NULL, NULL }
};
