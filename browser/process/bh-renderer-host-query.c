/* bh-renderer-host-query.c: automation's element queries to a renderer
 * (LocateNodes/NodesLocated, QueryNode/NodeQueried) and the checks on
 * their answers (bh-renderer-host-private.h).
 *
 * The queries waiting for an answer hang off the host (object data, so
 * that the host's own file stays as it was). Each is answered once: by the
 * renderer, by the host's end ("terminated"), or by its timeout, which
 * covers a view destroyed before its renderer answered.
 */
#include "bh-renderer-host-private.h"

#include <math.h>

#define QUERIES_KEY "bh-renderer-host-node-queries"
/* A renderer answers at once; this only ends a wait for a view that went. */
#define QUERY_TIMEOUT_MS 10000

typedef struct {
  BhRendererHost *host;       /* not a reference: the table is the host's */
  guint request_id;
  guint view_id;
  guint max_nodes;            /* LocateNodes; 0 for QueryNode */
  /* LocateNodesBy: the locator's kind ("xpath", "innerText") and options; NULL
   * kind for the others. */
  char *kind;
  gboolean ignore_case, partial;
  guint max_depth;
  BhNodesLocatedFunc located;
  BhNodeQueriedFunc queried;
  gpointer user_data;
  GDestroyNotify notify;
  guint timeout_id;
} Query;

typedef struct {
  GHashTable *queries;        /* request id -> Query */
  guint next_request_id;
  gulong terminated_id;
} Queries;

static void
query_free (Query *query)
{
  g_clear_handle_id (&query->timeout_id, g_source_remove);
  g_free (query->kind);
  if (query->notify != NULL)
    g_clear_pointer (&query->user_data, query->notify);
  g_free (query);
}

static void
query_fail (Query *query, GQuark domain, int code, const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (domain, code, message);

  if (query->located != NULL)
    query->located (NULL, error, query->user_data);
  else
    query->queried (NULL, error, query->user_data);
}

static void
terminated_cb (BhRendererHost *host, BhTerminationStatus status, const char *message,
               gpointer data)
{
  Queries *queries = data;
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GPtrArray) failed = g_ptr_array_new_with_free_func ((GDestroyNotify) query_free);

  g_hash_table_iter_init (&iter, queries->queries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (failed, value);
      g_hash_table_iter_steal (&iter);
    }
  for (guint i = 0; i < failed->len; i++)
    query_fail (g_ptr_array_index (failed, i), G_IO_ERROR, G_IO_ERROR_CLOSED,
                "the renderer is gone");
}

static void
queries_free (Queries *queries)
{
  g_hash_table_unref (queries->queries);
  g_free (queries);
}

static Queries *
queries_for (BhRendererHost *host)
{
  Queries *queries = g_object_get_data (G_OBJECT (host), QUERIES_KEY);

  if (queries != NULL)
    return queries;
  queries = g_new0 (Queries, 1);
  queries->queries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) query_free);
  queries->terminated_id = g_signal_connect (host, "terminated", G_CALLBACK (terminated_cb),
                                             queries);
  g_object_set_data_full (G_OBJECT (host), QUERIES_KEY, queries, (GDestroyNotify) queries_free);
  return queries;
}

static gboolean
timeout_cb (gpointer data)
{
  Query *query = data;
  Queries *queries = queries_for (query->host);

  query->timeout_id = 0;
  g_hash_table_steal (queries->queries, GUINT_TO_POINTER (query->request_id));
  query_fail (query, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
              "the renderer did not answer (the page was replaced or closed)");
  query_free (query);
  return G_SOURCE_REMOVE;
}

static gboolean
fail_later_cb (gpointer data)
{
  Query *query = data;

  query->timeout_id = 0;
  query_fail (query, G_IO_ERROR, G_IO_ERROR_CLOSED, "the page has no renderer");
  query_free (query);
  return G_SOURCE_REMOVE;
}

static void
start_query (BhRendererHost *host, Query *query, BhMessageType type, const char *text,
             guint node)
{
  Queries *queries = queries_for (host);
  guint waiting = 0;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, queries->queries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    waiting += ((Query *) value)->view_id == query->view_id;
  if (waiting >= BH_MAX_NODE_QUERIES_PER_VIEW)
    {
      /* Flow control: automation waits for each answer, so only a client
       * firing queries in parallel gets here. */
      query_fail (query, G_IO_ERROR, G_IO_ERROR_BUSY, "too many element queries are waiting");
      query_free (query);
      return;
    }
  query->host = host;
  query->request_id = ++queries->next_request_id;
  if (!bh_renderer_host_send_to_view (host, query->view_id, type,
                                      type == BH_MSG_LocateNodesBy
                                        ? g_variant_new ("(uuussbbu)", query->view_id, query->request_id,
                                                         query->max_nodes, query->kind, text,
                                                         query->ignore_case, query->partial,
                                                         query->max_depth)
                                      : type == BH_MSG_LocateNodes
                                        ? g_variant_new ("(uuus)", query->view_id,
                                                         query->request_id, query->max_nodes, text)
                                        : g_variant_new ("(uuus)", query->view_id,
                                                         query->request_id, node, text)))
    {
      /* Never before the caller's call returns. */
      query->timeout_id = g_idle_add (fail_later_cb, query);
      return;
    }
  query->timeout_id = g_timeout_add (QUERY_TIMEOUT_MS, timeout_cb, query);
  g_hash_table_insert (queries->queries, GUINT_TO_POINTER (query->request_id), query);
}

void
bh_renderer_host_locate_nodes (BhRendererHost *host, guint view_id, const char *selectors,
                               guint max_nodes, BhNodesLocatedFunc callback, gpointer user_data,
                               GDestroyNotify notify)
{
  Query *query;

  g_return_if_fail (BH_IS_RENDERER_HOST (host));
  g_return_if_fail (selectors != NULL && callback != NULL);

  query = g_new0 (Query, 1);
  query->view_id = view_id;
  query->max_nodes = CLAMP (max_nodes, 1, BH_MAX_LOCATED_NODES);
  query->located = callback;
  query->user_data = user_data;
  query->notify = notify;
  start_query (host, query, BH_MSG_LocateNodes, selectors, 0);
}

void
bh_renderer_host_locate_nodes_by (BhRendererHost *host, guint view_id, const char *kind, const char *value,
                                  gboolean ignore_case, gboolean partial, guint max_depth, guint max_nodes,
                                  BhNodesLocatedFunc callback, gpointer user_data, GDestroyNotify notify)
{
  Query *query;

  g_return_if_fail (BH_IS_RENDERER_HOST (host));
  g_return_if_fail (kind != NULL && value != NULL && callback != NULL);

  query = g_new0 (Query, 1);
  query->view_id = view_id;
  query->max_nodes = CLAMP (max_nodes, 1, BH_MAX_LOCATED_NODES);
  query->kind = g_strdup (kind);
  query->ignore_case = ignore_case;
  query->partial = partial;
  query->max_depth = max_depth;
  query->located = callback;
  query->user_data = user_data;
  query->notify = notify;
  start_query (host, query, BH_MSG_LocateNodesBy, value, 0);
}

void
bh_renderer_host_query_node (BhRendererHost *host, guint view_id, guint node, const char *what,
                             BhNodeQueriedFunc callback, gpointer user_data, GDestroyNotify notify)
{
  Query *query;

  g_return_if_fail (BH_IS_RENDERER_HOST (host));
  g_return_if_fail (what != NULL && callback != NULL);

  query = g_new0 (Query, 1);
  query->view_id = view_id;
  query->queried = callback;
  query->user_data = user_data;
  query->notify = notify;
  start_query (host, query, BH_MSG_QueryNode, what, node);
}

/* Everything in an answer is the renderer's word: it must answer a query
 * of that view that was asked and not yet answered, of the right kind,
 * with no more elements than asked and finite rectangles. */
void
bh_renderer_host_handle_node_answer (BhRendererHost *host, const BhMessage *message)
{
  Queries *queries = g_object_get_data (G_OBJECT (host), QUERIES_KEY);
  gboolean locate = message->type == BH_MSG_NodesLocated;
  guint32 view_id, request_id;
  Query *query;

  if (locate)
    g_variant_get (message->payload, "(uub@a(udddd))", &view_id, &request_id, NULL, NULL);
  else
    g_variant_get (message->payload, "(uub&s)", &view_id, &request_id, NULL, NULL);
  query = queries != NULL ? g_hash_table_lookup (queries->queries, GUINT_TO_POINTER (request_id))
                          : NULL;
  if (query == NULL || query->view_id != view_id || (query->located != NULL) != locate)
    {
      g_autofree char *reason = g_strdup_printf ("%s for request %u, which was not asked of "
                                                 "view %u",
                                                 bh_message_type_name (message->type),
                                                 request_id, view_id);

      bh_renderer_host_report_bad_message (host, reason);
      return;
    }
  g_hash_table_steal (queries->queries, GUINT_TO_POINTER (request_id));

  if (locate)
    {
      g_autoptr (GVariant) nodes = NULL;
      g_autoptr (GArray) found = NULL;
      gboolean understood;
      gsize n;

      g_variant_get (message->payload, "(uub@a(udddd))", NULL, NULL, &understood, &nodes);
      n = g_variant_n_children (nodes);
      if (n > query->max_nodes)
        {
          g_autofree char *reason = g_strdup_printf ("NodesLocated with %" G_GSIZE_FORMAT
                                                     " elements, %u asked for",
                                                     n, query->max_nodes);

          query_fail (query, G_IO_ERROR, G_IO_ERROR_CLOSED, "the renderer misbehaved");
          query_free (query);
          bh_renderer_host_report_bad_message (host, reason);
          return;
        }
      if (!understood)
        {
          query_fail (query, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                      "the selector is not one the renderer understands");
          query_free (query);
          return;
        }
      found = g_array_sized_new (FALSE, FALSE, sizeof (BhLocatedNode), (guint) n);
      for (gsize i = 0; i < n; i++)
        {
          BhLocatedNode node;

          g_variant_get_child (nodes, i, "(udddd)", &node.node, &node.x, &node.y, &node.width,
                               &node.height);
          if (node.node == 0 || !isfinite (node.x) || !isfinite (node.y) ||
              !isfinite (node.width) || !isfinite (node.height) || node.width < 0 ||
              node.height < 0)
            {
              query_fail (query, G_IO_ERROR, G_IO_ERROR_CLOSED, "the renderer misbehaved");
              query_free (query);
              bh_renderer_host_report_bad_message (host, "NodesLocated with a bad element or "
                                                         "rectangle");
              return;
            }
          g_array_append_val (found, node);
        }
      query->located (found, NULL, query->user_data);
    }
  else
    {
      const char *value;
      gboolean found;

      g_variant_get (message->payload, "(uub&s)", NULL, NULL, &found, &value);
      query->queried (found ? value : NULL, NULL, query->user_data);
    }
  query_free (query);
}
