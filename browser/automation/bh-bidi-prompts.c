/* bh-bidi-prompts.c: a page's alert(), confirm() and prompt() under
 * automation: the unhandledPromptBehavior capability, the events
 * browsingContext.userPromptOpened and userPromptClosed, the command
 * browsingContext.handleUserPrompt, and what classic WebDriver's /alert
 * endpoints use (bh-bidi-private.h).
 *
 * The renderer waits on the dialog (RunDialog, a request it blocks on), so
 * while one is open that document answers nothing else. The tab tells us of
 * each dialog first ("script-dialog-opened", bh-tab-script.h): the session's
 * handler for its type decides. "accept" and "dismiss" answer it at once,
 * after userPromptOpened; "ignore" holds it open (headless: nothing shows
 * it; the window shows its dialog too) until handleUserPrompt or the person
 * at the window answers. Without a session the window's dialog (or
 * headless, an immediate dismissal) is all there is, as before automation.
 * The spec's default handler is "dismiss" (WebDriver BiDi, "get the prompt
 * handler"); classic sessions default to "dismiss and notify", which leaves
 * the dialog open for the next classic command to dismiss, with the error
 * "unexpected alert open" (WebDriver's "handle any user prompts"). The
 * handler of the newest session applies: prompts are the browser's, not a
 * connection's.
 */
#include "bh-bidi-server-private.h"

#include "bh-tab-script.h"

static const char *const prompt_types[] = { "alert", "confirm", "prompt" };

static const char *
handler_name (BhBidiPromptHandler handler)
{
  switch (handler)
    {
    case BH_BIDI_PROMPT_ACCEPT:
      return "accept";
    case BH_BIDI_PROMPT_DISMISS:
      return "dismiss";
    default:
      return "ignore";
    }
}

static gboolean
parse_handler (const char *text, gboolean classic_words, BhBidiPromptHandler *out, gboolean *notify)
{
  *notify = FALSE;
  if (g_str_equal (text, "accept"))
    *out = BH_BIDI_PROMPT_ACCEPT;
  else if (g_str_equal (text, "dismiss"))
    *out = BH_BIDI_PROMPT_DISMISS;
  else if (g_str_equal (text, "ignore"))
    *out = BH_BIDI_PROMPT_IGNORE;
  else if (classic_words && g_str_equal (text, "accept and notify"))
    {
      *out = BH_BIDI_PROMPT_ACCEPT;
      *notify = TRUE;
    }
  else if (classic_words && g_str_equal (text, "dismiss and notify"))
    {
      *out = BH_BIDI_PROMPT_DISMISS;
      *notify = TRUE;
    }
  else
    return FALSE;
  return TRUE;
}

gboolean
bh_bidi_prompt_behavior_parse (JsonNode *capability, gboolean classic, BhBidiPromptBehavior *out,
                               char **out_error)
{
  BhBidiPromptHandler fallback = BH_BIDI_PROMPT_DISMISS;
  gboolean notify = classic;

  *out = (BhBidiPromptBehavior) { .set = TRUE, .notify = classic };
  if (capability != NULL && JSON_NODE_HOLDS_VALUE (capability) &&
      json_node_get_value_type (capability) == G_TYPE_STRING)
    {
      if (!parse_handler (json_node_get_string (capability), TRUE, &fallback, &notify))
        goto invalid;
      out->notify = notify;
    }
  else if (capability != NULL && JSON_NODE_HOLDS_OBJECT (capability))
    {
      /* WebDriver BiDi's session.UserPromptHandler: {default?, alert?,
       * confirm?, prompt?, beforeUnload?, file?}, each "accept", "dismiss"
       * or "ignore". */
      JsonObject *object = json_node_get_object (capability);
      const char *const keys[] = { "alert", "confirm", "prompt" };
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &value))
        {
          BhBidiPromptHandler handler;
          gboolean unused;

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
              !parse_handler (json_node_get_string (value), FALSE, &handler, &unused) ||
              (!g_str_equal (name, "default") && !g_str_equal (name, "alert") &&
               !g_str_equal (name, "confirm") && !g_str_equal (name, "prompt") &&
               !g_str_equal (name, "beforeUnload") && !g_str_equal (name, "file")))
            goto invalid;
          if (g_str_equal (name, "default"))
            fallback = handler;
        }
      out->notify = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          const char *text = json_object_get_string_member_with_default (object, keys[i], NULL);
          gboolean unused;

          out->by_kind[i] = fallback;
          if (text != NULL)
            parse_handler (text, FALSE, &out->by_kind[i], &unused);
        }
      return TRUE;
    }
  else if (capability != NULL && !JSON_NODE_HOLDS_NULL (capability))
    goto invalid;
  for (guint i = 0; i < G_N_ELEMENTS (out->by_kind); i++)
    out->by_kind[i] = fallback;
  return TRUE;

invalid:
  *out_error = g_strdup ("\"unhandledPromptBehavior\" must be \"accept\", \"dismiss\", \"ignore\" (or, "
                         "classic, \"accept and notify\", \"dismiss and notify\"), or an object of "
                         "those words by prompt type");
  return FALSE;
}

void
bh_bidi_server_set_prompt_behavior (BhBidiServer *server, const BhBidiPromptBehavior *behavior,
                                    const char *session_id)
{
  server->prompts = *behavior;
  g_free (server->prompt_session);
  server->prompt_session = g_strdup (session_id);
}

const BhBidiPromptBehavior *
bh_bidi_server_get_prompt_behavior (BhBidiServer *server)
{
  return &server->prompts;
}

void
bh_bidi_server_session_ended (BhBidiServer *server, const char *session_id)
{
  if (session_id == NULL || g_strcmp0 (server->prompt_session, session_id) != 0)
    return;
  server->prompts = (BhBidiPromptBehavior) { 0 };
  g_clear_pointer (&server->prompt_session, g_free);
}

/* The tab's dialog signals (connected in bh-bidi-tabs.c). */

gboolean
bh_bidi_prompt_opened_cb (BhTab *tab, guint dialog_id, guint kind, const char *message,
                          const char *default_text, gpointer data)
{
  TabWatch *watch = data;
  BhBidiServer *server = watch->server;
  BhBidiPromptHandler handler = BH_BIDI_PROMPT_IGNORE;
  const char *contexts[] = { watch->context, NULL };
  JsonObject *params = json_object_new ();

  if (kind >= G_N_ELEMENTS (prompt_types))
    kind = 0;
  /* Classic's "... and notify" leaves the dialog open for the next command
   * to handle (bh-webdriver.c), as "ignore" does here. */
  if (server->prompts.set && !server->prompts.notify)
    handler = server->prompts.by_kind[kind];
  watch->prompt_id = dialog_id;
  watch->prompt_kind = kind;
  g_free (watch->prompt_message);
  watch->prompt_message = g_strdup (message);
  g_free (watch->prompt_text);
  watch->prompt_text = g_strdup (default_text);
  json_object_set_string_member (params, "context", watch->context);
  json_object_set_string_member (params, "handler", handler_name (handler));
  json_object_set_string_member (params, "message", message);
  json_object_set_string_member (params, "type", prompt_types[kind]);
  json_object_set_string_member (params, "userContext", bh_bidi_server_get_user_context (server, tab));
  if (kind == 2)
    json_object_set_string_member (params, "defaultValue", default_text);
  bh_bidi_server_emit_event (server, "browsingContext.userPromptOpened", contexts,
                             bh_bidi_node_take_object (params));
  if (handler == BH_BIDI_PROMPT_ACCEPT || handler == BH_BIDI_PROMPT_DISMISS)
    {
      bh_tab_answer_script_dialog (tab, dialog_id, handler == BH_BIDI_PROMPT_ACCEPT,
                                   kind == 2 ? default_text : NULL);
      return FALSE;
    }
  /* "ignore" under a session: open until a client (or the person) answers. */
  return server->prompts.set;
}

void
bh_bidi_prompt_closed_cb (BhTab *tab, guint dialog_id, guint kind, gboolean accepted,
                          const char *text, gpointer data)
{
  TabWatch *watch = data;
  const char *contexts[] = { watch->context, NULL };
  JsonObject *params;

  if (watch->prompt_id != dialog_id)
    return;
  watch->prompt_id = 0;
  g_clear_pointer (&watch->prompt_message, g_free);
  g_clear_pointer (&watch->prompt_text, g_free);
  params = json_object_new ();
  json_object_set_string_member (params, "context", watch->context);
  json_object_set_boolean_member (params, "accepted", accepted);
  json_object_set_string_member (params, "type", prompt_types[MIN (kind, 2)]);
  json_object_set_string_member (params, "userContext", bh_bidi_server_get_user_context (watch->server, tab));
  if (kind == 2 && accepted)
    json_object_set_string_member (params, "userText", text);
  bh_bidi_server_emit_event (watch->server, "browsingContext.userPromptClosed", contexts,
                             bh_bidi_node_take_object (params));
}

/* For the commands. */

gboolean
bh_bidi_server_get_prompt (BhBidiServer *server, BhTab *tab, guint *out_kind, const char **out_message,
                           const char **out_text)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (server, tab);

  if (watch == NULL || watch->prompt_id == 0)
    return FALSE;
  if (out_kind != NULL)
    *out_kind = watch->prompt_kind;
  if (out_message != NULL)
    *out_message = watch->prompt_message;
  if (out_text != NULL)
    *out_text = watch->prompt_text;
  return TRUE;
}

gboolean
bh_bidi_server_set_prompt_text (BhBidiServer *server, BhTab *tab, const char *text)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (server, tab);

  if (watch == NULL || watch->prompt_id == 0)
    return FALSE;
  g_free (watch->prompt_text);
  watch->prompt_text = g_strdup (text);
  return TRUE;
}

gboolean
bh_bidi_server_answer_prompt (BhBidiServer *server, BhTab *tab, gboolean accept, const char *text)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (server, tab);
  g_autofree char *answer = NULL;

  if (watch == NULL || watch->prompt_id == 0)
    return FALSE;
  answer = g_strdup (text != NULL ? text : watch->prompt_text);
  /* Answering emits "script-dialog-closed": userPromptClosed goes out
   * before the command's answer, as clients expect. */
  bh_tab_answer_script_dialog (tab, watch->prompt_id, accept,
                               watch->prompt_kind == 2 && accept ? answer : NULL);
  return TRUE;
}

/* browsingContext.handleUserPrompt {context, accept?: true, userText?} */
static void
browsing_context_handle_user_prompt (BhBidiCommand *command)
{
  const char *text;
  gboolean accept;
  BhTab *tab;

  if ((tab = bh_bidi_param_context (command, "context", TRUE)) == NULL ||
      !bh_bidi_param_boolean (command, "accept", TRUE, &accept) ||
      !bh_bidi_param_string (command, "userText", FALSE, &text))
    return;
  if (!bh_bidi_server_answer_prompt (command->server, tab, accept, text))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_ALERT, "no prompt is open in “%s”",
                            json_object_get_string_member (command->params, "context"));
      return;
    }
  bh_bidi_command_return (command, NULL);
}

const BhBidiCommandEntry bh_bidi_prompt_commands[] = {
  { "browsingContext.handleUserPrompt", browsing_context_handle_user_prompt },
  { NULL, NULL }
};
