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

static BhFetchStream *
start_fetch (const char               *url,
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

  bh_net_observer_wrap (url, opts, &funcs, &funcs_data, &callback, &user_data, bh_fetch);
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

