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
  const char *filter;

  if (!subscription_params (command, &events, &contexts) ||
      !bh_bidi_param_string (command, "bulkhead:filter", FALSE, &filter))
    return;
  if (!bh_bidi_connection_subscribe (command->connection, (const char * const *) events,
                                     (const char * const *) contexts, filter, &error))
    {
      bh_bidi_fail_with_error (command, error);
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
      bh_bidi_fail_with_error (command, error);
      return;
    }
  bh_bidi_command_return (command, NULL);
}


const BhBidiCommandEntry bh_bidi_session_commands[] = {
  { "session.status", session_status },
  { "session.new", session_new },
  { "session.subscribe", session_subscribe },
  { "session.unsubscribe", session_unsubscribe },
  { NULL, NULL }
};
