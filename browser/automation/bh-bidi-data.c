/* bh-bidi-data.c: network data collectors
 * (https://w3c.github.io/webdriver-bidi/#command-network-addDataCollector):
 * addDataCollector, removeDataCollector, getData, disownData.
 *
 * While a collector exists the network layer keeps bodies
 * (bh_net_observer_set_body_limit()): at each fetch's completion the server
 * keeps, for the collectors whose contexts the fetch's tab is in, its
 * request body (a POST's) and its response body, whole, when they are at
 * most the collector's maxEncodedDataSize. What is kept is bounded: at most
 * MAX_KEPT_BYTES in all, the oldest going first. Collectors belong to the
 * connection that added them and go when it closes.
 */
#include "bh-bidi-server-private.h"

#include "bh-net-observer.h"

#define BH_BIDI_ERROR_NO_SUCH_NETWORK_COLLECTOR "no such network collector"
#define BH_BIDI_ERROR_NO_SUCH_NETWORK_DATA "no such network data"
/* What all collectors keep together; past it the oldest data goes. */
#define MAX_KEPT_BYTES (64u * 1024u * 1024u)
/* One collector's size limit; a larger maxEncodedDataSize is this. */
#define MAX_COLLECTOR_BYTES (32u * 1024u * 1024u)
#define MAX_COLLECTORS 16

struct _DataCollector {
  char *id;
  gboolean request, response;   /* the data types it collects */
  gsize max_bytes;
  GStrv contexts;               /* (nullable): every context */
  GStrv user_contexts;          /* (nullable): every user context */
  BhBidiConnection *connection; /* not a reference */
};

typedef struct {
  guint64 request_id;
  GBytes *request;              /* (nullable) */
  GBytes *response;             /* (nullable) */
  GPtrArray *collectors;        /* char *: the ids that keep it */
} KeptData;

void
bh_bidi_data_collector_free (DataCollector *collector)
{
  g_free (collector->id);
  g_strfreev (collector->contexts);
  g_strfreev (collector->user_contexts);
  g_free (collector);
}

void
bh_bidi_kept_data_free (gpointer data)
{
  KeptData *kept = data;

  g_clear_pointer (&kept->request, g_bytes_unref);
  g_clear_pointer (&kept->response, g_bytes_unref);
  g_ptr_array_unref (kept->collectors);
  g_free (kept);
}

static gsize
kept_size (const KeptData *kept)
{
  return (kept->request != NULL ? g_bytes_get_size (kept->request) : 0) +
         (kept->response != NULL ? g_bytes_get_size (kept->response) : 0);
}

static void
update_body_limit (BhBidiServer *self)
{
  gsize limit = 0;

  for (guint i = 0; i < self->collectors->len; i++)
    limit = MAX (limit, ((DataCollector *) g_ptr_array_index (self->collectors, i))->max_bytes);
  bh_net_observer_set_body_limit (limit);
  if (self->collectors->len == 0)
    {
      g_hash_table_remove_all (self->kept_data);
      g_queue_clear_full (&self->kept_order, g_free);
      self->kept_bytes = 0;
    }
  bh_bidi_server_update_network_observer (self);
}

static void
forget (BhBidiServer *self, guint64 request_id)
{
  KeptData *kept = g_hash_table_lookup (self->kept_data, &request_id);

  if (kept == NULL)
    return;
  self->kept_bytes -= kept_size (kept);
  g_hash_table_remove (self->kept_data, &request_id);
}

void
bh_bidi_server_keep_network_data (BhBidiServer *self, BhTab *tab, guint64 request_id, GBytes *request,
                                  GBytes *response)
{
  g_autofree char *context = bh_bidi_context_for_tab (tab);
  KeptData *kept = NULL;

  for (guint i = 0; i < self->collectors->len; i++)
    {
      DataCollector *c = g_ptr_array_index (self->collectors, i);
      gboolean take_request = c->request && request != NULL && g_bytes_get_size (request) <= c->max_bytes;
      gboolean take_response = c->response && response != NULL && g_bytes_get_size (response) <= c->max_bytes;

      if ((c->contexts != NULL && !g_strv_contains ((const char *const *) c->contexts, context)) ||
          (c->user_contexts != NULL &&
           !g_strv_contains ((const char *const *) c->user_contexts, bh_bidi_server_get_user_context (self, tab))) ||
          (!take_request && !take_response))
        continue;
      if (kept == NULL)
        {
          kept = g_new0 (KeptData, 1);
          kept->request_id = request_id;
          kept->collectors = g_ptr_array_new_with_free_func (g_free);
        }
      if (take_request && kept->request == NULL)
        kept->request = g_bytes_ref (request);
      if (take_response && kept->response == NULL)
        kept->response = g_bytes_ref (response);
      g_ptr_array_add (kept->collectors, g_strdup (c->id));
    }
  if (kept == NULL)
    return;
  g_hash_table_insert (self->kept_data, &kept->request_id, kept);
  g_queue_push_tail (&self->kept_order, g_memdup2 (&request_id, sizeof request_id));
  self->kept_bytes += kept_size (kept);
  while (self->kept_bytes > MAX_KEPT_BYTES && !g_queue_is_empty (&self->kept_order))
    {
      g_autofree guint64 *oldest = g_queue_pop_head (&self->kept_order);

      forget (self, *oldest);
    }
}

void
bh_bidi_server_connection_collectors_gone (BhBidiServer *self, BhBidiConnection *connection)
{
  gboolean removed = FALSE;

  for (guint i = self->collectors->len; i > 0; i--)
    if (connection == NULL ||
        ((DataCollector *) g_ptr_array_index (self->collectors, i - 1))->connection == connection)
      {
        g_ptr_array_remove_index (self->collectors, i - 1);
        removed = TRUE;
      }
  if (removed)
    update_body_limit (self);
}

static void
network_add_data_collector (BhBidiCommand *command)
{
  g_auto (GStrv) types = NULL;
  g_auto (GStrv) contexts = NULL;
  g_auto (GStrv) user_contexts = NULL;
  JsonNode *max = json_object_get_member (command->params, "maxEncodedDataSize");
  const char *collector_type;
  DataCollector *collector;
  JsonObject *result;

  if (!bh_bidi_param_strings (command, "dataTypes", TRUE, &types) ||
      !bh_bidi_param_strings (command, "contexts", FALSE, &contexts) ||
      !bh_bidi_param_strings (command, "userContexts", FALSE, &user_contexts) ||
      !bh_bidi_param_string (command, "collectorType", FALSE, &collector_type))
    return;
  if (types[0] == NULL || max == NULL || !JSON_NODE_HOLDS_VALUE (max) ||
      json_node_get_value_type (max) != G_TYPE_INT64 || json_node_get_int (max) < 1 ||
      (collector_type != NULL && !g_str_equal (collector_type, "blob")) || (contexts != NULL && user_contexts != NULL))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "addDataCollector takes {dataTypes: [\"request\" | \"response\"], "
                            "maxEncodedDataSize: a whole number from 1, collectorType?: \"blob\", "
                            "contexts? or userContexts?}");
      return;
    }
  for (guint i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”", contexts[i]);
        return;
      }
  if (command->server->collectors->len >= MAX_COLLECTORS)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "at most %d data collectors", MAX_COLLECTORS);
      return;
    }
  collector = g_new0 (DataCollector, 1);
  for (guint i = 0; types[i] != NULL; i++)
    {
      if (g_str_equal (types[i], "request"))
        collector->request = TRUE;
      else if (g_str_equal (types[i], "response"))
        collector->response = TRUE;
      else
        {
          bh_bidi_data_collector_free (collector);
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "“%s” is not a network data type",
                                types[i]);
          return;
        }
    }
  collector->id = g_uuid_string_random ();
  collector->max_bytes = (gsize) MIN ((guint64) json_node_get_int (max), MAX_COLLECTOR_BYTES);
  collector->contexts = g_steal_pointer (&contexts);
  collector->user_contexts = g_steal_pointer (&user_contexts);
  collector->connection = command->connection;
  g_ptr_array_add (command->server->collectors, collector);
  update_body_limit (command->server);
  result = json_object_new ();
  json_object_set_string_member (result, "collector", collector->id);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static DataCollector *
find_collector (BhBidiServer *self, const char *id, guint *out_index)
{
  for (guint i = 0; i < self->collectors->len; i++)
    {
      DataCollector *collector = g_ptr_array_index (self->collectors, i);

      if (g_str_equal (collector->id, id))
        {
          if (out_index != NULL)
            *out_index = i;
          return collector;
        }
    }
  return NULL;
}

static void
network_remove_data_collector (BhBidiCommand *command)
{
  const char *id;
  guint index;

  if (!bh_bidi_param_string (command, "collector", TRUE, &id))
    return;
  if (find_collector (command->server, id, &index) == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NETWORK_COLLECTOR, "no data collector “%s”", id);
      return;
    }
  g_ptr_array_remove_index (command->server->collectors, index);
  update_body_limit (command->server);
  bh_bidi_command_return (command, NULL);
}

/* The kept data named by {dataType, request, collector?}; NULL having failed
 * @command. */
static KeptData *
lookup_data (BhBidiCommand *command, const char **out_collector, gboolean *out_response)
{
  const char *type, *request, *collector;
  guint64 request_id;
  KeptData *kept;

  if (!bh_bidi_param_string (command, "dataType", TRUE, &type) ||
      !bh_bidi_param_string (command, "request", TRUE, &request) ||
      !bh_bidi_param_string (command, "collector", FALSE, &collector))
    return NULL;
  if (!g_str_equal (type, "request") && !g_str_equal (type, "response"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "“%s” is not a network data type", type);
      return NULL;
    }
  if (collector != NULL && find_collector (command->server, collector, NULL) == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NETWORK_COLLECTOR, "no data collector “%s”",
                            collector);
      return NULL;
    }
  *out_response = g_str_equal (type, "response");
  *out_collector = collector;
  kept = g_ascii_string_to_unsigned (request, 10, 1, G_MAXUINT64, &request_id, NULL)
           ? g_hash_table_lookup (command->server->kept_data, &request_id)
           : NULL;
  if (kept != NULL && collector != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < kept->collectors->len && !found; i++)
        found = g_str_equal (g_ptr_array_index (kept->collectors, i), collector);
      if (!found)
        kept = NULL;
    }
  if (kept == NULL || (*out_response ? kept->response : kept->request) == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NETWORK_DATA, "no %s data kept for request “%s”",
                            type, request);
      return NULL;
    }
  return kept;
}

/* Drops @collector's hold on @kept, and @kept once nobody holds it. */
static void
disown (BhBidiServer *self, KeptData *kept, const char *collector, gboolean response)
{
  for (guint i = 0; i < kept->collectors->len; i++)
    if (g_str_equal (g_ptr_array_index (kept->collectors, i), collector))
      g_ptr_array_remove_index (kept->collectors, i--);
  if (kept->collectors->len == 0)
    forget (self, kept->request_id);
}

static void
network_get_data (BhBidiCommand *command)
{
  const char *collector;
  gboolean response, disown_after;
  g_autofree char *base64 = NULL;
  JsonObject *result, *bytes;
  KeptData *kept;
  GBytes *data;

  if (!bh_bidi_param_boolean (command, "disown", FALSE, &disown_after) ||
      (kept = lookup_data (command, &collector, &response)) == NULL)
    return;
  if (disown_after && collector == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"disown\" needs a \"collector\"");
      return;
    }
  data = response ? kept->response : kept->request;
  base64 = g_base64_encode (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  bytes = json_object_new ();
  json_object_set_string_member (bytes, "type", "base64");
  json_object_set_string_member (bytes, "value", base64);
  result = json_object_new ();
  json_object_set_object_member (result, "bytes", bytes);
  if (disown_after)
    disown (command->server, kept, collector, response);
  bh_bidi_command_return (command, bh_bidi_node_take_object (result));
}

static void
network_disown_data (BhBidiCommand *command)
{
  const char *collector;
  gboolean response;
  KeptData *kept;

  if (!json_object_has_member (command->params, "collector"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"collector\" must be a string and is missing");
      return;
    }
  if ((kept = lookup_data (command, &collector, &response)) == NULL)
    return;
  disown (command->server, kept, collector, response);
  bh_bidi_command_return (command, NULL);
}

const BhBidiCommandEntry bh_bidi_data_commands[] = {
  { "network.addDataCollector", network_add_data_collector },
  { "network.removeDataCollector", network_remove_data_collector },
  { "network.getData", network_get_data },
  { "network.disownData", network_disown_data },
  { NULL, NULL }
};
