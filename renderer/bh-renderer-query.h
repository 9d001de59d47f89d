/* bh-renderer-query.h: the renderer's answers to LocateNodes and QueryNode
 * (bh-messages.h), from the view's current document (engine/bh-document.h).
 */
#pragma once

#include "bh-channel.h"
#include "bh-document.h"

G_BEGIN_DECLS

/**
 * bh_renderer_answer_locate_nodes:
 * @doc: (nullable): the view's document; none is answered with no element
 * @payload: LocateNodes' payload, its type already checked
 *
 * Sends NodesLocated.
 */
void bh_renderer_answer_locate_nodes (BhChannel *channel, BhDocument *doc, GVariant *payload);

/**
 * bh_renderer_answer_locate_nodes_by:
 *
 * As bh_renderer_answer_locate_nodes(), for LocateNodesBy (an XPath or an
 * innerText locator): sends NodesLocated.
 */
void bh_renderer_answer_locate_nodes_by (BhChannel *channel, BhDocument *doc, GVariant *payload);

/**
 * bh_renderer_answer_query_node:
 *
 * As bh_renderer_answer_locate_nodes(), for QueryNode: sends NodeQueried.
 */
void bh_renderer_answer_query_node (BhChannel *channel, BhDocument *doc, GVariant *payload);

G_END_DECLS
