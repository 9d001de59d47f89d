/* bh-fetcher.c: the entry points: which fetcher a URL's scheme goes to.
 *
 * http and https: bh-http-job.c (with bh-connection-queue.c and
 * bh-http-response.c); file:, data: and about:: bh-fetch-local.c; what
 * every fetch shares: bh-fetch-job.c.
 */
#include "bh-fetcher.h"

#include "bh-fetch-job-private.h"
#include "bh-fetch-local-private.h"
#include "bh-http-job.h"
#include "bh-net-observer.h"

/* Entry points -------------------------------------------------------------- */

static void hold (const char *url, const BhFetchOptions *opts, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data, guint64 request_id);

static BhFetchStream *
start_observed (const char               *url,
                const BhFetchOptions     *opts,
                const BhFetchStreamFuncs *funcs,
                gpointer                  funcs_data,
                GCancellable             *cancellable,
                GAsyncReadyCallback       callback,
                gpointer                  user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  BhResponse *response = NULL;
  const char *scheme;
  gsize max_bytes;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_fetch);
  g_task_set_name (task, "[bulkhead] bh_fetch");

  max_bytes = opts != NULL && opts->max_bytes != 0 ? opts->max_bytes : BH_FETCH_DEFAULT_MAX_BYTES;
  scheme = g_uri_peek_scheme (url);

  if (scheme == NULL)
    error = g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                         "“%s” is not a complete address (it has no scheme such as https:).", url);
  else if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    return bh_http_job_start (g_steal_pointer (&task), url, opts, funcs, funcs_data);
  else if (g_str_equal (scheme, "file"))
    {
      bh_fetch_file_url (g_steal_pointer (&task), url, max_bytes);
      return NULL;
    }
  else if (g_str_equal (scheme, "data"))
    response = bh_fetch_data_url (url, max_bytes, &error);
  else if (g_str_equal (scheme, "about"))
    response = bh_fetch_about_url (url, &error);
  else
    error = g_error_new (BH_NET_ERROR, BH_NET_ERROR_UNSUPPORTED_SCHEME,
                         "Bulkhead cannot open “%s:” addresses.", scheme);

  bh_fetch_return_later (g_steal_pointer (&task), response, g_steal_pointer (&error));
  return NULL;
}

static BhFetchStream *
start_fetch (const char               *url,
             const BhFetchOptions     *opts,
             const BhFetchStreamFuncs *funcs,
             gpointer                  funcs_data,
             GCancellable             *cancellable,
             GAsyncReadyCallback       callback,
             gpointer                  user_data)
{
  guint64 request_id;

  if (bh_net_observer_wrap (url, opts, &funcs, &funcs_data, &callback, &user_data, bh_fetch, &request_id))
    {
      hold (url, opts, cancellable, callback, user_data, request_id);
      return NULL;
    }
  return start_observed (url, opts, funcs, funcs_data, cancellable, callback, user_data);
}

/* Fetches an interceptor holds (bh-net-observer.h), by request id. Their
 * callback is the observer's already: whatever ends them is reported. */

typedef struct {
  guint64 request_id;
  char *url;
  BhFetchOptions opts;
  GCancellable *cancellable;   /* (nullable) a reference */
  gulong cancelled_id;
  GAsyncReadyCallback callback;
  gpointer user_data;
} HeldFetch;

static GHashTable *held_fetches; /* guint64 * request id -> HeldFetch; main thread only */

static void
held_fetch_free (HeldFetch *held)
{
  if (held->cancellable != NULL)
    {
      g_cancellable_disconnect (held->cancellable, held->cancelled_id);
      g_object_unref (held->cancellable);
    }
  bh_fetch_options_clear (&held->opts);
  g_free (held->url);
  g_free (held);
}

static HeldFetch *
take_held (guint64 request_id)
{
  HeldFetch *held = NULL;

  if (held_fetches != NULL &&
      g_hash_table_steal_extended (held_fetches, &request_id, NULL, (gpointer *) &held))
    return held;
  return NULL;
}

/* Ends @held now (from the main loop, never inside its caller's call). */
static void
finish_held (HeldFetch *held, BhResponse *response, GError *error)
{
  GTask *task = g_task_new (NULL, NULL, held->callback, held->user_data);

  g_task_set_source_tag (task, bh_fetch);
  bh_fetch_return_later (task, response, error);
  held_fetch_free (held);
}

static gboolean
held_cancelled_idle (gpointer data)
{
  guint64 *request_id = data;
  HeldFetch *held = take_held (*request_id);

  if (held != NULL)
    finish_held (held, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the fetch was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
held_cancelled_cb (GCancellable *cancellable, gpointer data)
{
  HeldFetch *held = data;

  /* Not from inside the cancellable's emission: g_cancellable_disconnect()
   * would wait for it. */
  g_idle_add_full (G_PRIORITY_DEFAULT, held_cancelled_idle, g_memdup2 (&held->request_id, sizeof (guint64)),
                   g_free);
}

static void
hold (const char *url, const BhFetchOptions *opts, GCancellable *cancellable,
      GAsyncReadyCallback callback, gpointer user_data, guint64 request_id)
{
  HeldFetch *held = g_new0 (HeldFetch, 1);

  held->request_id = request_id;
  held->url = g_strdup (url);
  bh_fetch_options_copy (&held->opts, opts);
  /* The observer reported these already; the restart is not observed again. */
  held->opts.initiator = NULL;
  held->opts.destination = NULL;
  held->callback = callback;
  held->user_data = user_data;
  if (held_fetches == NULL)
    held_fetches = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) held_fetch_free);
  g_hash_table_insert (held_fetches, &held->request_id, held);
  if (cancellable != NULL)
    {
      held->cancellable = g_object_ref (cancellable);
      held->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (held_cancelled_cb), held, NULL);
    }
}

gboolean
bh_fetch_intercepted_continue (guint64 request_id, const char *url)
{
  HeldFetch *held = take_held (request_id);

  if (held == NULL)
    return FALSE;
  /* Not streamed: the caller gets the whole response at its completion. */
  start_observed (url != NULL ? url : held->url, &held->opts, NULL, NULL, held->cancellable, held->callback,
                  held->user_data);
  held_fetch_free (held);
  return TRUE;
}

gboolean
bh_fetch_intercepted_fail (guint64 request_id)
{
  HeldFetch *held = take_held (request_id);

  if (held == NULL)
    return FALSE;
  finish_held (held, NULL,
               g_error_new (BH_NET_ERROR, BH_NET_ERROR_FAILED, "The request to %s was blocked by automation.",
                            held->url));
  return TRUE;
}

gboolean
bh_fetch_intercepted_respond (guint64 request_id, guint status, const char *content_type, const char *charset,
                              GBytes *body)
{
  HeldFetch *held = take_held (request_id);
  BhResponse *response;

  if (held == NULL)
    return FALSE;
  response = g_new0 (BhResponse, 1);
  response->final_url = g_strdup (held->url);
  response->http_status = status;
  response->content_type = g_ascii_strdown (content_type, -1);
  response->charset = charset != NULL ? g_ascii_strdown (charset, -1) : NULL;
  response->body = g_bytes_ref (body);
  response->content_length = (gint64) g_bytes_get_size (body);
  finish_held (held, response, NULL);
  return TRUE;
}

gboolean
bh_fetch_intercepted_is_held (guint64 request_id)
{
  return held_fetches != NULL && g_hash_table_contains (held_fetches, &request_id);
}

void
bh_fetch_set_ignore_certificate_errors (gboolean ignore)
{
  bh_http_job_set_ignore_certificate_errors (ignore);
}

void
bh_fetch (const char           *url,
          const BhFetchOptions *opts,
          GCancellable         *cancellable,
          GAsyncReadyCallback   callback,
          gpointer              user_data)
{
  BhFetchStream *job;

  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = start_fetch (url, opts, NULL, NULL, cancellable, callback, user_data);
  if (job != NULL)
    bh_http_job_unref (job);
}

BhFetchStream *
bh_fetch_stream (const char               *url,
                 const BhFetchOptions     *opts,
                 const BhFetchStreamFuncs *funcs,
                 gpointer                  funcs_data,
                 GCancellable             *cancellable,
                 GAsyncReadyCallback       callback,
                 gpointer                  user_data)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (funcs != NULL && funcs->response != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  /* The job's own reference becomes the caller's handle. */
  return start_fetch (url, opts, funcs, funcs_data, cancellable, callback, user_data);
}

void
bh_fetch_stream_set_paused (BhFetchStream *stream,
                            gboolean       paused)
{
  if (stream != NULL)
    bh_http_job_set_paused (stream, paused);
}

void
bh_fetch_stream_free (BhFetchStream *stream)
{
  if (stream != NULL)
    bh_http_job_unref (stream);
}

BhResponse *
bh_fetch_finish (GAsyncResult *result,
                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bh_fetch, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

