/* bh-bidi-events.c: sessions and subscriptions, and sending events to the
 * connections that subscribed to them, the live IPC trace among them.
 */
#include "bh-bidi-server-private.h"
#include "bh-bidi-message.h"

#include <string.h>
#include <unistd.h>

/* Every event a client may subscribe to: every event the BiDi spec defines
 * (https://w3c.github.io/webdriver-bidi/, each module's "Events"), those
 * Bulkhead never emits included (a client such as puppeteer subscribes to
 * whole modules; they are accepted and never fire, docs/automation.md
 * says which), and Bulkhead's own. A module name ("browsingContext",
 * "bulkhead:process") stands for all of its events. */
static const char * const known_events[] = {
  "browsingContext.contextCreated",
  "browsingContext.contextDestroyed",
  "browsingContext.domContentLoaded",
  "browsingContext.downloadEnd",
  "browsingContext.downloadWillBegin",
  "browsingContext.fragmentNavigated",
  "browsingContext.historyUpdated",
  "browsingContext.load",
  "browsingContext.navigationAborted",
  "browsingContext.navigationCommitted",
  "browsingContext.navigationFailed",
  "browsingContext.navigationStarted",
  "browsingContext.userPromptClosed",
  "browsingContext.userPromptOpened",
  "input.fileDialogOpened",
  "log.entryAdded",
  "network.authRequired",
  "network.beforeRequestSent",
  "network.fetchError",
  "network.responseCompleted",
  "network.responseStarted",
  "script.message",
  "script.realmCreated",
  "script.realmDestroyed",
  "bulkhead:process.terminated",
  IPC_EVENT,
  NULL
};

void
bh_bidi_subscription_free (Subscription *subscription)
{
  g_free (subscription->id);
  g_free (subscription->event);
  g_strfreev (subscription->contexts);
  g_clear_pointer (&subscription->filter, bh_trace_filter_free);
  g_free (subscription);
}

/* Sessions and subscriptions. */

const char *
bh_bidi_connection_new_session (BhBidiConnection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->session_id != NULL)
    return NULL;
  self->session_id = g_uuid_string_random ();
  return self->session_id;
}

void
bh_bidi_connection_attach_session (BhBidiConnection *self, const char *session_id)
{
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
}

gboolean
bh_bidi_connection_end_session (BhBidiConnection *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->session_id == NULL)
    return FALSE;
  if (self->server != NULL)
    bh_bidi_server_session_ended (self->server, self->session_id);
  g_clear_pointer (&self->session_id, g_free);
  g_ptr_array_set_size (self->subscriptions, 0);
  if (self->server != NULL)
    bh_bidi_server_update_trace_sink (self->server);
  return TRUE;
}

static gboolean
is_known_event (const char *name)
{
  return g_strv_contains (known_events, name);
}

/* A module name stands for its events ("browsingContext" for
 * "browsingContext.load"...); an event name for itself. */
static GPtrArray *
expand_events (const char * const *names, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new ();

  for (gsize i = 0; names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (is_known_event (names[i]))
        {
          if (!g_ptr_array_find_with_equal_func (events, names[i], g_str_equal, NULL))
            g_ptr_array_add (events, (gpointer) names[i]);
          continue;
        }
      for (gsize j = 0; known_events[j] != NULL; j++)
        {
          const char *dot = strrchr (known_events[j], '.');

          if ((gsize) (dot - known_events[j]) == strlen (names[i]) &&
              strncmp (known_events[j], names[i], (gsize) (dot - known_events[j])) == 0)
            {
              if (!g_ptr_array_find_with_equal_func (events, known_events[j], g_str_equal, NULL))
                g_ptr_array_add (events, (gpointer) known_events[j]);
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown event or module “%s”", names[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&events);
}

static gboolean
same_contexts (const char * const *a, const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (g_strv_length ((GStrv) a) != g_strv_length ((GStrv) b))
    return FALSE;
  for (gsize i = 0; a[i] != NULL; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

char *
bh_bidi_connection_subscribe (BhBidiConnection *self, const char * const *names,
                              const char * const *contexts, const char *ipc_filter,
                              GError **error)
{
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  id = g_uuid_string_random ();
  if (self->server == NULL)
    return g_steal_pointer (&id);
  events = expand_events (names, error);
  if (events == NULL)
    return NULL;
  for (gsize i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (self->server, contexts[i]) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no browsing context “%s”",
                     contexts[i]);
        return NULL;
      }

  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);
      Subscription *subscription = NULL;

      /* Subscribing again to the same event for the same contexts replaces
       * the subscription, so that a new "bulkhead:filter" takes effect. */
      for (guint j = 0; j < self->subscriptions->len; j++)
        {
          Subscription *existing = g_ptr_array_index (self->subscriptions, j);

          if (g_str_equal (existing->event, event) &&
              same_contexts ((const char * const *) existing->contexts, contexts))
            subscription = existing;
        }
      if (subscription == NULL)
        {
          subscription = g_new0 (Subscription, 1);
          subscription->event = g_strdup (event);
          subscription->contexts = contexts != NULL ? g_strdupv ((GStrv) contexts) : NULL;
          g_ptr_array_add (self->subscriptions, subscription);
        }
      g_free (subscription->id);
      subscription->id = g_strdup (id);
      g_clear_pointer (&subscription->filter, bh_trace_filter_free);
      if (g_str_equal (event, IPC_EVENT) && ipc_filter != NULL && *ipc_filter != '\0')
        subscription->filter = bh_trace_filter_new (ipc_filter);
    }
  bh_bidi_server_update_trace_sink (self->server);
  return g_steal_pointer (&id);
}

gboolean
bh_bidi_connection_unsubscribe_by_id (BhBidiConnection *self, const char * const *ids,
                                      GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (self->server == NULL)
    return TRUE;
  /* Check first, change after: a refused unsubscribe changes nothing. */
  for (gsize i = 0; ids[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < self->subscriptions->len && !found; j++)
        found = g_str_equal (((Subscription *) g_ptr_array_index (self->subscriptions, j))->id,
                             ids[i]);
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "no subscription “%s”", ids[i]);
          return FALSE;
        }
    }
  for (guint j = self->subscriptions->len; j > 0; j--)
    {
      Subscription *s = g_ptr_array_index (self->subscriptions, j - 1);

      if (g_strv_contains (ids, s->id))
        g_ptr_array_remove_index (self->subscriptions, j - 1);
    }
  bh_bidi_server_update_trace_sink (self->server);
  return TRUE;
}

gboolean
bh_bidi_connection_unsubscribe (BhBidiConnection *self, const char * const *names,
                                const char * const *contexts, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (self->server == NULL)
    return TRUE;
  events = expand_events (names, error);
  if (events == NULL)
    return FALSE;

  /* Check first, change after: a refused unsubscribe changes nothing. */
  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);
      gboolean found = FALSE;

      for (guint j = 0; j < self->subscriptions->len && !found; j++)
        {
          Subscription *s = g_ptr_array_index (self->subscriptions, j);

          if (!g_str_equal (s->event, event))
            continue;
          if (contexts == NULL)
            found = s->contexts == NULL;
          else if (s->contexts != NULL)
            for (gsize k = 0; contexts[k] != NULL && !found; k++)
              found = g_strv_contains ((const char * const *) s->contexts, contexts[k]);
        }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "not subscribed to “%s”%s", event,
                       contexts != NULL ? " for those contexts" : "");
          return FALSE;
        }
    }

  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);

      for (guint j = self->subscriptions->len; j > 0; j--)
        {
          Subscription *s = g_ptr_array_index (self->subscriptions, j - 1);
          g_autoptr (GStrvBuilder) kept = NULL;

          if (!g_str_equal (s->event, event))
            continue;
          if (contexts == NULL)
            {
              if (s->contexts == NULL)
                g_ptr_array_remove_index (self->subscriptions, j - 1);
              continue;
            }
          if (s->contexts == NULL)
            continue;
          kept = g_strv_builder_new ();
          for (gsize k = 0; s->contexts[k] != NULL; k++)
            if (!g_strv_contains (contexts, s->contexts[k]))
              g_strv_builder_add (kept, s->contexts[k]);
          g_strfreev (s->contexts);
          s->contexts = g_strv_builder_end (kept);
          if (s->contexts[0] == NULL)
            g_ptr_array_remove_index (self->subscriptions, j - 1);
        }
    }
  bh_bidi_server_update_trace_sink (self->server);
  return TRUE;
}

/* The subscription of @self that wants @event about @contexts, if any. */
static Subscription *
connection_subscription (BhBidiConnection *self, const char *event, const char * const *contexts)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      Subscription *s = g_ptr_array_index (self->subscriptions, i);

      if (!g_str_equal (s->event, event))
        continue;
      if (s->contexts == NULL)
        return s;
      for (gsize k = 0; contexts != NULL && contexts[k] != NULL; k++)
        if (g_strv_contains ((const char * const *) s->contexts, contexts[k]))
          return s;
    }
  return NULL;
}

/* Events. */

static GBytes *
event_to_bytes (const char *method, JsonNode *params)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "event");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_ref (params));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bh_bidi_to_bytes (root);
}

/* Sends @method to every connection subscribed to it for one of @contexts
 * (or globally). Consumes @params. */
void
bh_bidi_server_emit_event (BhBidiServer *self, const char *method, const char * const *contexts,
            JsonNode *params)
{
  g_autoptr (JsonNode) owned = params;
  g_autoptr (GBytes) text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);

      if (connection_subscription (connection, method, contexts) == NULL)
        continue;
      if (text == NULL)
        text = event_to_bytes (method, owned);
      bh_bidi_connection_queue_event (connection, text);
    }
}

gint64
bh_bidi_timestamp_ms (void)
{
  return g_get_real_time () / 1000;
}

/* The live IPC trace: called for every message the browser sends or
 * receives, but registered only while someone subscribes. */
static gboolean
ipc_contexts_match (BhBidiServer *self, const Subscription *s, guint peer_pid)
{
  if (s->contexts == NULL)
    return TRUE;
  for (gsize i = 0; s->contexts[i] != NULL; i++)
    {
      BhTab *tab = bh_bidi_server_find_tab (self, s->contexts[i]);
      BhRendererHost *host = tab != NULL ? bh_tab_get_renderer_host (tab) : NULL;

      if (host != NULL && (guint) bh_renderer_host_get_pid (host) == peer_pid)
        return TRUE;
    }
  return FALSE;
}

static void
trace_sink (const BhTraceEvent *event, gpointer user_data)
{
  BhBidiServer *self = user_data;
  const char *name = bh_trace_event_name (event);
  g_autoptr (GBytes) text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);
      gboolean wanted = FALSE;

      for (guint j = 0; j < connection->subscriptions->len && !wanted; j++)
        {
          Subscription *s = g_ptr_array_index (connection->subscriptions, j);

          wanted = g_str_equal (s->event, IPC_EVENT) &&
                   bh_trace_filter_matches (s->filter, name) &&
                   ipc_contexts_match (self, s, event->peer_pid);
        }
      if (!wanted)
        continue;
      /* A full queue drops the event: do not even format it. */
      if (connection->dropped_events > 0 || !bh_bidi_connection_has_room_for_event (connection, 0))
        {
          connection->dropped_events++;
          continue;
        }
      if (text == NULL)
        {
          /* The same fields as --ipc-debug-format=json, spliced in as they
           * are rather than parsed again. */
          g_autofree char *json = bh_trace_format_json (event, IPC_PAYLOAD_CHARS);
          char *whole = g_strdup_printf ("{\"type\":\"event\",\"method\":\"" IPC_EVENT
                                         "\",\"params\":%s}", json);

          text = g_bytes_new_take (whole, strlen (whole));
        }
      bh_bidi_connection_queue_event (connection, text);
    }
}

/* Registers the trace sink while at least one connection subscribes to
 * bulkhead:ipc.message and removes it when none does, so that with no
 * subscriber bh_trace_is_enabled() stays as it was and channels build no
 * events for us. */
void
bh_bidi_server_update_trace_sink (BhBidiServer *self)
{
  gboolean wanted = FALSE;

  for (guint i = 0; i < self->connections->len && !wanted; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);

      for (guint j = 0; j < connection->subscriptions->len && !wanted; j++)
        {
          Subscription *s = g_ptr_array_index (connection->subscriptions, j);

          wanted = g_str_equal (s->event, IPC_EVENT);
        }
    }

  bh_bidi_server_update_network_observer (self);
  if (wanted && self->trace_sink_id == 0 && !self->closing)
    {
      bh_trace_set_local ("browser", (guint) getpid ());
      self->trace_sink_id = bh_trace_add_sink (trace_sink, self);
    }
  else if (!wanted && self->trace_sink_id != 0)
    {
      bh_trace_remove_sink (self->trace_sink_id);
      self->trace_sink_id = 0;
    }
}
