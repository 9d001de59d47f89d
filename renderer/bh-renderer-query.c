/* bh-renderer-query.c: LocateNodes and QueryNode, answered from the
 * document (bh-renderer-query.h). What goes back stays inside the
 * catalogue's limits: at most BH_MAX_LOCATED_NODES elements, and a value cut
 * to fit a message.
 */
#include "bh-renderer-query.h"

#include <string.h>

#include "bh-message.h"

/* A value leaves room in BH_MAX_PAYLOAD_BYTES for the rest of the message. */
#define MAX_VALUE_BYTES (BH_MAX_PAYLOAD_BYTES / 2)

void
bh_renderer_answer_locate_nodes (BhChannel *channel, BhDocument *doc, GVariant *payload)
{
  g_autoptr (GArray) found = NULL;
  GVariantBuilder nodes;
  guint32 view_id, request_id, max_nodes;
  const char *selectors;
  gboolean understood = TRUE;

  g_variant_get (payload, "(uuu&s)", &view_id, &request_id, &max_nodes, &selectors);
  max_nodes = MIN (max_nodes, BH_MAX_LOCATED_NODES);
  if (doc != NULL)
    {
      found = bh_document_locate_nodes (doc, selectors, max_nodes);
      understood = found != NULL;
    }
  g_variant_builder_init (&nodes, G_VARIANT_TYPE ("a(udddd)"));
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      const BhNodeRect *r = &g_array_index (found, BhNodeRect, i);

      g_variant_builder_add (&nodes, "(udddd)", r->node, r->x, r->y, r->width, r->height);
    }
  bh_channel_send (channel, BH_MSG_NodesLocated,
                   g_variant_new ("(uuba(udddd))", view_id, request_id, understood, &nodes), NULL, 0);
}

void
bh_renderer_answer_locate_nodes_by (BhChannel *channel, BhDocument *doc, GVariant *payload)
{
  g_autoptr (GArray) found = NULL;
  GVariantBuilder nodes;
  guint32 view_id, request_id, max_nodes, max_depth;
  const char *kind, *value;
  gboolean ignore_case, partial, understood = TRUE;

  g_variant_get (payload, "(uuu&s&sbbu)", &view_id, &request_id, &max_nodes, &kind, &value, &ignore_case,
                 &partial, &max_depth);
  max_nodes = MIN (max_nodes, BH_MAX_LOCATED_NODES);
  if (doc != NULL && g_str_equal (kind, "xpath"))
    {
      found = bh_document_locate_nodes_by_xpath (doc, value, max_nodes);
      understood = found != NULL;
    }
  else if (doc != NULL && g_str_equal (kind, "innerText"))
    found = bh_document_locate_nodes_by_text (doc, value, ignore_case, partial, max_depth, max_nodes);
  else if (doc != NULL)
    understood = FALSE;
  g_variant_builder_init (&nodes, G_VARIANT_TYPE ("a(udddd)"));
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      const BhNodeRect *r = &g_array_index (found, BhNodeRect, i);

      g_variant_builder_add (&nodes, "(udddd)", r->node, r->x, r->y, r->width, r->height);
    }
  bh_channel_send (channel, BH_MSG_NodesLocated,
                   g_variant_new ("(uuba(udddd))", view_id, request_id, understood, &nodes), NULL, 0);
}

void
bh_renderer_answer_query_node (BhChannel *channel, BhDocument *doc, GVariant *payload)
{
  g_autofree char *value = NULL;
  guint32 view_id, request_id, node;
  const char *what;

  g_variant_get (payload, "(uuu&s)", &view_id, &request_id, &node, &what);
  if (doc != NULL)
    value = bh_document_query_node (doc, node, what);
  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      char *valid = g_utf8_make_valid (value, -1);

      g_free (value);
      value = valid;
    }
  if (value != NULL && strlen (value) > MAX_VALUE_BYTES)
    {
      const char *end = g_utf8_find_prev_char (value, value + MAX_VALUE_BYTES);

      value[end != NULL ? end - value : 0] = '\0';
    }
  bh_channel_send (channel, BH_MSG_NodeQueried,
                   g_variant_new ("(uubs)", view_id, request_id, value != NULL,
                                  value != NULL ? value : ""),
                   NULL, 0);
}
