/* bh-net-observer.h: watching the browser's fetches from outside the
 * network layer, for automation (WebDriver BiDi's network events).
 *
 * The fetcher's entry points (bh-fetcher.c) hand every fetch to
 * bh_net_observer_wrap() in one line; while nobody observes it does
 * nothing and costs nothing. While someone does, each fetch gets a request
 * id and the observers hear, from the main loop, in this order:
 * request-started once; response-started once the final response's head is
 * in (for a fetch that does not stream, together with its end); then either
 * completed or failed, once.
 *
 * An interceptor (one at most, automation's network.addIntercept) may hold
 * a fetch at its start, before anything is sent: it is then reported
 * blocked, and waits until bh_fetch_intercepted_continue(),
 * bh_fetch_intercepted_fail() or bh_fetch_intercepted_respond()
 * (bh-fetcher.h) names its request id, or its caller cancels it. A held
 * fetch that continues does not stream: its caller gets the whole response
 * at its completion, as for a data: URL.
 */
#pragma once

#include "bh-fetch-job.h"

G_BEGIN_DECLS

/**
 * BhNetRequestInfo:
 * @request_id: unique in the browser process, never reused, from 1
 * @url: the URL asked for
 * @initiator: (nullable): the #BhFetchOptions' initiator (a tab)
 * @destination: the options' destination ("document", "" for a
 *   subresource whose kind the fetcher does not know)
 * @start_time_us: g_get_real_time() when the fetch started
 */
typedef struct {
  guint64 request_id;
  const char *url;
  GObject *initiator;
  const char *destination;
  gint64 start_time_us;
  const char *method;        /* "GET" or "POST" */
  /* The request's headers as the fetcher sends them over http(s) (name, value,
   * name, value..., NULL-terminated; empty for other schemes): Accept,
   * Accept-Encoding, User-Agent, Content-Type for a POST, and the profile's
   * Cookie when it has one for the URL now. Cache validators are added later,
   * by the cache, and are not in it. */
  const char *const *headers;
  gint64 response_start_us;  /* g_get_real_time() when the response's head came, 0 before */
  gint64 end_time_us;        /* when it completed or failed, 0 before */
  gboolean blocked;          /* an interceptor holds it */
  GBytes *request_body;      /* (nullable): a POST's body */
  /* (nullable): at completion, while bodies are kept (bh_net_observer_set_body_limit()),
   * the whole decoded body when it was at most the limit, streamed or not */
  GBytes *response_body;
} BhNetRequestInfo;

/**
 * bh_net_observer_set_body_limit:
 * @max_bytes: keep response bodies up to this size for the observers, 0 for none
 *
 * While set, observed fetches gather what they stream (a navigation's body goes
 * to its renderer in pieces) so that #BhNetRequestInfo's response_body holds the
 * whole body at completion; a body that grows past @max_bytes is dropped (not
 * cut). Automation's network data collectors (network.addDataCollector).
 */
void bh_net_observer_set_body_limit (gsize max_bytes);

/**
 * BhNetInterceptFunc:
 * @request: the fetch about to start (not yet reported to the observers)
 *
 * Returns: %TRUE to hold the fetch until it is continued, failed or
 *   answered (bh-fetcher.h)
 */
typedef gboolean (*BhNetInterceptFunc) (const BhNetRequestInfo *request, gpointer data);

/**
 * bh_net_observer_set_interceptor:
 * @func: (nullable): %NULL for none
 *
 * Sets the one interceptor; it applies to fetches while an observer is added
 * too (an interceptor without an observer holds nothing). Fetches already
 * held stay held.
 */
void bh_net_observer_set_interceptor (BhNetInterceptFunc func, gpointer data);

/**
 * BhNetObserverFuncs:
 * @request_started: a fetch starts
 * @response_started: the final response's head (@response's body may be
 *   empty or partial); (transfer none)
 * @completed: the fetch ended with @response (its body whole when the
 *   fetch did not stream; @bytes_received counts the body either way)
 * @failed: the fetch failed: a network error, or G_IO_ERROR_CANCELLED
 *
 * Every pointer is valid for the call only.
 */
typedef struct {
  void (*request_started) (const BhNetRequestInfo *request, gpointer data);
  void (*response_started) (const BhNetRequestInfo *request, const BhResponse *response,
                            gpointer data);
  void (*completed) (const BhNetRequestInfo *request, const BhResponse *response,
                     guint64 bytes_received, gpointer data);
  void (*failed) (const BhNetRequestInfo *request, const GError *error, gpointer data);
} BhNetObserverFuncs;

/**
 * bh_net_observer_add:
 * @funcs: (transfer none): must outlive the observer (a static table)
 * @data: for @funcs
 *
 * Returns: an id for bh_net_observer_remove(), never 0
 */
guint bh_net_observer_add (const BhNetObserverFuncs *funcs, gpointer data);

/**
 * bh_net_observer_remove:
 * @id: from bh_net_observer_add()
 *
 * Fetches in flight are no longer reported to that observer.
 */
void bh_net_observer_remove (guint id);

/**
 * bh_net_observer_wrap:
 * @url: the fetch's URL
 * @opts: (nullable): its options (for the initiator and destination)
 * @funcs: (inout) (nullable): its stream callbacks; replaced by the
 *   observer's, which call the original ones
 * @funcs_data: (inout): their data, replaced likewise
 * @callback: (inout): its completion callback, replaced likewise
 * @user_data: (inout): the completion's data, replaced likewise
 * @source_tag: the GTask source tag the caller's finish function checks
 *
 * @out_request_id: (out): the fetch's request id (0 when not observed)
 *
 * Called by the fetcher's entry points for every fetch before it starts.
 * With no observer it changes nothing. Main thread only.
 *
 * Returns: %TRUE when the interceptor holds the fetch: the caller must not
 *   start it now (bh-fetcher.c keeps it)
 */
gboolean bh_net_observer_wrap (const char *url, const BhFetchOptions *opts,
                               const BhFetchStreamFuncs **funcs, gpointer *funcs_data,
                               GAsyncReadyCallback *callback, gpointer *user_data,
                               gpointer source_tag, guint64 *out_request_id);

G_END_DECLS
