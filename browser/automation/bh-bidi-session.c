/* bh-bidi-session.c: the BiDi "session" module: status, new, subscribe,
 * unsubscribe (https://w3c.github.io/webdriver-bidi/#module-session).
 */
#include "bh-bidi-private.h"

#include "bh-config.h"

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

/* The capability @name the client asked for, in alwaysMatch or in the first
 * firstMatch entry (WebDriver's "process capabilities", in short: Bulkhead
 * matches every firstMatch entry, so the first one is the one merged). */
static JsonNode *
requested_capability (JsonObject *capabilities, const char *name)
{
  JsonNode *always;
  JsonNode *first;

  if (capabilities == NULL)
    return NULL;
  always = json_object_get_member (capabilities, "alwaysMatch");
  if (always != NULL && JSON_NODE_HOLDS_OBJECT (always) &&
      json_object_has_member (json_node_get_object (always), name))
    return json_object_get_member (json_node_get_object (always), name);
  first = json_object_get_member (capabilities, "firstMatch");
  if (first != NULL && JSON_NODE_HOLDS_ARRAY (first) &&
      json_array_get_length (json_node_get_array (first)) > 0)
    {
      JsonNode *entry = json_array_get_element (json_node_get_array (first), 0);

      if (JSON_NODE_HOLDS_OBJECT (entry))
        return json_object_get_member (json_node_get_object (entry), name);
    }
  return NULL;
}

gboolean
bh_bidi_session_check_capabilities (JsonObject *requested, gboolean classic, char **out_error)
{
  BhBidiPromptBehavior prompts;

  return bh_bidi_prompt_behavior_parse (requested_capability (requested, "unhandledPromptBehavior"),
                                        classic, &prompts, out_error);
}

JsonObject *
bh_bidi_session_capabilities (BhBidiServer *server, JsonObject *requested,
                              const char *session_id, gboolean classic)
{
  BhBidiPromptBehavior behavior;
  g_autofree char *error = NULL;
  JsonObject *capabilities = json_object_new ();
  JsonNode *web_socket_url = requested_capability (requested, "webSocketUrl");
  JsonNode *prompts = requested_capability (requested, "unhandledPromptBehavior");
  JsonObject *proxy = json_object_new ();

  json_object_set_string_member (capabilities, "browserName", "bulkhead");
  json_object_set_string_member (capabilities, "browserVersion", BH_VERSION);
  json_object_set_string_member (capabilities, "platformName", "linux");
  /* The fetcher checks every certificate; there is no switch. */
  json_object_set_boolean_member (capabilities, "acceptInsecureCerts", FALSE);
  json_object_set_boolean_member (capabilities, "setWindowRect", FALSE);
  json_object_set_string_member (capabilities, "userAgent", BH_USER_AGENT);
  json_object_set_object_member (capabilities, "proxy", proxy);
  json_object_set_string_member (capabilities, "pageLoadStrategy", "normal");
  json_object_set_boolean_member (capabilities, "strictFileInteractability", FALSE);
  json_object_set_object_member (capabilities, "timeouts", bh_bidi_session_timeouts ());
  /* The newest session's prompt handlers are the browser's
   * (bh-bidi-prompts.c); checked by bh_bidi_session_check_capabilities(). */
  if (bh_bidi_prompt_behavior_parse (prompts, classic, &behavior, &error))
    bh_bidi_server_set_prompt_behavior (server, &behavior, session_id);
  if (prompts != NULL)
    json_object_set_member (capabilities, "unhandledPromptBehavior", json_node_copy (prompts));
  else
    json_object_set_string_member (capabilities, "unhandledPromptBehavior",
                                   classic ? "dismiss and notify" : "dismiss");
  if (web_socket_url != NULL && json_node_get_value_type (web_socket_url) == G_TYPE_BOOLEAN &&
      json_node_get_boolean (web_socket_url))
    {
      /* A classic session's BiDi connection attaches to it by the path
       * (bh-webdriver.c); a BiDi session is its own connection already. */
      g_autofree char *url = classic
        ? g_strdup_printf ("ws://127.0.0.1:%d/session/%s", bh_bidi_server_get_port (server),
                           session_id)
        : g_strdup_printf ("ws://127.0.0.1:%d/session", bh_bidi_server_get_port (server));

      json_object_set_string_member (capabilities, "webSocketUrl", url);
    }
  return capabilities;
}

JsonObject *
bh_bidi_session_timeouts (void)
{
  JsonObject *timeouts = json_object_new ();

  json_object_set_int_member (timeouts, "implicit", 0);
  json_object_set_int_member (timeouts, "pageLoad", 300000);
  json_object_set_int_member (timeouts, "script", 30000);
  return timeouts;
}

static void
session_new (BhBidiCommand *command)
{
  JsonNode *capabilities = json_object_get_member (command->params, "capabilities");
  JsonObject *result;
  const char *session_id;

  if (capabilities == NULL || !JSON_NODE_HOLDS_OBJECT (capabilities))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"capabilities\" must be an object%s",
                            capabilities == NULL ? " and is missing" : "");
      return;
    }
  {
    g_autofree char *error = NULL;

    if (!bh_bidi_session_check_capabilities (json_node_get_object (capabilities), FALSE, &error))
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "%s", error);
        return;
      }
  }
  session_id = bh_bidi_connection_new_session (command->connection);
  if (session_id == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_SESSION_NOT_CREATED,
                            "this connection has a session already");
      return;
    }

  result = json_object_new ();
  json_object_set_string_member (result, "sessionId", session_id);
  json_object_set_object_member (result, "capabilities",
                                 bh_bidi_session_capabilities (command->server,
                                                               json_node_get_object (capabilities),
                                                               session_id, FALSE));
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

/* session.end: the session ends, and with it the connection's
 * subscriptions; the connection stays open for a new session.new. */
static void
session_end (BhBidiCommand *command)
{
  if (!bh_bidi_connection_end_session (command->connection))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_SESSION_ID,
                            "this connection has no session");
      return;
    }
  bh_bidi_command_return (command, NULL);
}

static gboolean
subscription_params (BhBidiCommand *command, GStrv *out_events, GStrv *out_contexts)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;

  if (!bh_bidi_param_strings (command, "events", TRUE, &events) ||
      !bh_bidi_param_strings (command, "contexts", FALSE, &contexts))
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
session_subscribe (BhBidiCommand *command)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  JsonObject *result;
  const char *filter;

  if (!subscription_params (command, &events, &contexts) ||
      !bh_bidi_param_string (command, "bulkhead:filter", FALSE, &filter))
    return;
  id = bh_bidi_connection_subscribe (command->connection, (const char * const *) events,
                                     (const char * const *) contexts, filter, &error);
  if (id == NULL)
    {
      bh_bidi_fail_with_error (command, error);
      return;
    }
  result = json_object_new ();
  json_object_set_string_member (result, "subscription", id);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
session_unsubscribe (BhBidiCommand *command)
{
  g_auto (GStrv) events = NULL;
  g_auto (GStrv) contexts = NULL;
  g_auto (GStrv) ids = NULL;
  g_autoptr (GError) error = NULL;

  /* By subscription id (the spec's way), or by event names. */
  if (json_object_has_member (command->params, "subscriptions"))
    {
      if (!bh_bidi_param_strings (command, "subscriptions", TRUE, &ids))
        return;
      if (!bh_bidi_connection_unsubscribe_by_id (command->connection,
                                                 (const char * const *) ids, &error))
        {
          bh_bidi_fail_with_error (command, error);
          return;
        }
      bh_bidi_command_return (command, NULL);
      return;
    }
  if (!subscription_params (command, &events, &contexts))
    return;
  if (!bh_bidi_connection_unsubscribe (command->connection, (const char * const *) events,
                                       (const char * const *) contexts, &error))
    {
      bh_bidi_fail_with_error (command, error);
      return;
    }
  bh_bidi_command_return (command, NULL);
}


const BhBidiCommandEntry bh_bidi_session_commands[] = {
  { "session.status", session_status },
  { "session.new", session_new },
  { "session.end", session_end },
  { "session.subscribe", session_subscribe },
  { "session.unsubscribe", session_unsubscribe },
  { NULL, NULL }
};
