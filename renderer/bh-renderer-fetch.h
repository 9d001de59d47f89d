/* bh-renderer-fetch.h: the renderer's side of fetch() and XMLHttpRequest
 * (FetchRequest, FetchResponse and FetchFailed in bh-messages.h).
 *
 * A realm's requests are numbered here, per process, so that the browser's
 * "already in flight" rule holds across a view's navigations, and kept within
 * BH_MAX_FETCH_REQUESTS_PER_VIEW in flight per view: further ones wait in a
 * queue and go as answers come back (flow control, never a kill). An answer
 * reaches the realm only if its view still shows the navigation that asked.
 */
#pragma once

#include "bh-channel.h"
#include "bh-script.h"

G_BEGIN_DECLS

/* The realm of @view_id when it still shows @navigation_id, else NULL. */
typedef BhScriptRealm *(*BhFetchRealmLookup) (guint32 view_id, guint64 navigation_id);

/**
 * bh_renderer_fetch_init:
 * @channel: (transfer none): the channel to the browser, for the process's life
 * @lookup: finds the realm an answer is for
 */
void bh_renderer_fetch_init (BhChannel *channel, BhFetchRealmLookup lookup);

/**
 * bh_renderer_fetch_start:
 * @realm_request_id: the realm's own id, given back in bh_script_realm_fetch_done()
 * @body: (transfer none): the request body (empty for GET)
 *
 * Sends FetchRequest now, or queues it while the view has its budget in flight.
 * A body over BH_MAX_FETCH_BODY_BYTES is answered at once as a failure.
 */
void bh_renderer_fetch_start (BhScriptRealm *realm, guint32 view_id, guint64 navigation_id, guint realm_request_id,
                              const char *method, const char *url, const char *content_type, GBytes *body);

/**
 * bh_renderer_fetch_handle_answer:
 * @message: a FetchResponse or FetchFailed, its type already checked
 *
 * Hands the answer to its realm (if it is still there) and sends the view's
 * next queued request.
 */
void bh_renderer_fetch_handle_answer (BhMessage *message);

/**
 * bh_renderer_fetch_forget_view:
 *
 * The view went (DestroyView): its queued requests are dropped; answers to
 * those in flight find nobody.
 */
void bh_renderer_fetch_forget_view (guint32 view_id);

G_END_DECLS
