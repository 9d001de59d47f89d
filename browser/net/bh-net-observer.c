/* bh-net-observer.c: the fetch observers (bh-net-observer.h).
 *
 * A fetch is observed by standing between it and its caller: its stream
 * callbacks and its completion go through an ObservedFetch, which tells
 * the observers and hands everything on unchanged. The caller's completion
 * gets a GTask of its own with the same outcome, so bh_fetch_finish() works
 * as before.
 */
#include "bh-net-observer.h"

#include "bh-config.h"
#include "bh-http-cookies.h"

typedef struct {
  guint id;
  const BhNetObserverFuncs *funcs;
  gpointer data;
} Observer;

typedef struct {
  BhNetRequestInfo info;
  char *url;
  char *destination;
  GObject *initiator;          /* a reference */
  BhFetchStreamFuncs funcs;    /* the caller's; zero when it did not stream */
  gpointer funcs_data;
  GAsyncReadyCallback callback;
  gpointer user_data;
  gpointer source_tag;
  gboolean response_reported;
  guint64 bytes_received;
  GPtrArray *headers;          /* char *, name then value, NULL-terminated */
  GByteArray *body;            /* (nullable) what streamed, while bodies are kept */
  gboolean body_too_big;
} ObservedFetch;

static GArray *observers; /* Observer; main thread only */
static BhNetInterceptFunc interceptor;
static gpointer interceptor_data;
static gsize body_limit;

void
bh_net_observer_set_body_limit (gsize max_bytes)
{
  body_limit = max_bytes;
}
static guint next_observer_id = 1;
static guint64 next_request_id = 1;

guint
bh_net_observer_add (const BhNetObserverFuncs *funcs, gpointer data)
{
  Observer observer = { next_observer_id++, funcs, data };

  g_return_val_if_fail (funcs != NULL, 0);

  if (observers == NULL)
    observers = g_array_new (FALSE, FALSE, sizeof (Observer));
  g_array_append_val (observers, observer);
  return observer.id;
}

void
bh_net_observer_remove (guint id)
{
  for (guint i = 0; observers != NULL && i < observers->len; i++)
    if (g_array_index (observers, Observer, i).id == id)
      {
        g_array_remove_index (observers, i);
        return;
      }
}

void
bh_net_observer_set_interceptor (BhNetInterceptFunc func, gpointer data)
{
  interceptor = func;
  interceptor_data = data;
}

/* Each call looks the observers up afresh: one may go away in between. */
#define FOR_EACH_OBSERVER(o) \
  for (guint i_ = 0; observers != NULL && i_ < observers->len; i_++) \
    for (Observer *o = &g_array_index (observers, Observer, i_); o != NULL; o = NULL)

static void
report_response (ObservedFetch *fetch, const BhResponse *response)
{
  if (fetch->response_reported)
    return;
  fetch->response_reported = TRUE;
  fetch->info.response_start_us = g_get_real_time ();
  FOR_EACH_OBSERVER (o)
    if (o->funcs->response_started != NULL)
      o->funcs->response_started (&fetch->info, response, o->data);
}

static void
observed_fetch_free (ObservedFetch *fetch)
{
  g_clear_object (&fetch->initiator);
  g_ptr_array_unref (fetch->headers);
  if (fetch->body != NULL)
    g_byte_array_unref (fetch->body);
  g_clear_pointer (&fetch->info.request_body, g_bytes_unref);
  g_clear_pointer (&fetch->info.response_body, g_bytes_unref);
  g_free (fetch->url);
  g_free (fetch->destination);
  g_free (fetch);
}

/* Gathers a streamed body while bodies are kept, up to the limit. */
static void
keep_body (ObservedFetch *fetch, GBytes *piece)
{
  gsize size = piece != NULL ? g_bytes_get_size (piece) : 0;

  if (body_limit == 0 || fetch->body_too_big || size == 0)
    return;
  if (fetch->body == NULL)
    fetch->body = g_byte_array_new ();
  if (fetch->body->len + size > body_limit)
    {
      fetch->body_too_big = TRUE;
      g_clear_pointer (&fetch->body, g_byte_array_unref);
      return;
    }
  g_byte_array_append (fetch->body, g_bytes_get_data (piece, NULL), (guint) size);
}

static void
observed_response_cb (BhFetchStream *stream, const BhResponse *head, gpointer user_data)
{
  ObservedFetch *fetch = user_data;

  fetch->bytes_received += g_bytes_get_size (head->body);
  keep_body (fetch, head->body);
  report_response (fetch, head);
  fetch->funcs.response (stream, head, fetch->funcs_data);
}

static void
observed_data_cb (BhFetchStream *stream, GBytes *chunk, gpointer user_data)
{
  ObservedFetch *fetch = user_data;

  if (chunk != NULL)
    {
      fetch->bytes_received += g_bytes_get_size (chunk);
      keep_body (fetch, chunk);
    }
  if (fetch->funcs.data != NULL)
    fetch->funcs.data (stream, chunk, fetch->funcs_data);
}

static const BhFetchStreamFuncs observed_stream_funcs = {
  observed_response_cb,
  observed_data_cb,
};

static void
observed_done_cb (GObject *source_object, GAsyncResult *result, gpointer user_data)
{
  ObservedFetch *fetch = user_data;
  g_autoptr (GTask) outer = g_task_new (NULL, NULL, fetch->callback, fetch->user_data);
  g_autoptr (GError) error = NULL;
  BhResponse *response = g_task_propagate_pointer (G_TASK (result), &error);

  g_task_set_source_tag (outer, fetch->source_tag);
  if (response != NULL)
    {
      fetch->bytes_received += g_bytes_get_size (response->body);
      report_response (fetch, response);
      /* After the head's time: a fetch that did not stream has both now. */
      fetch->info.end_time_us = g_get_real_time ();
      /* The whole body: what streamed, or the response's own. */
      if (body_limit > 0 && !fetch->body_too_big)
        {
          if (fetch->body != NULL && fetch->body->len > 0)
            fetch->info.response_body = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->body));
          else if (g_bytes_get_size (response->body) <= body_limit)
            fetch->info.response_body = g_bytes_ref (response->body);
        }
      FOR_EACH_OBSERVER (o)
        if (o->funcs->completed != NULL)
          o->funcs->completed (&fetch->info, response, fetch->bytes_received, o->data);
      g_task_return_pointer (outer, response, (GDestroyNotify) bh_response_free);
    }
  else
    {
      fetch->info.end_time_us = g_get_real_time ();
      FOR_EACH_OBSERVER (o)
        if (o->funcs->failed != NULL)
          o->funcs->failed (&fetch->info, error, o->data);
      g_task_return_error (outer, g_steal_pointer (&error));
    }
  observed_fetch_free (fetch);
}

/* What bh-http-job.c sends (LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER), in its order. */
static GPtrArray *
request_headers (const char *url, const BhFetchOptions *opts)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func (g_free);
  const char *scheme = g_uri_peek_scheme (url);

  if (scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")))
    {
      g_autofree char *cookie = bh_http_cookies_for_request (opts, url);

      g_ptr_array_add (headers, g_strdup ("Accept-Encoding"));
      g_ptr_array_add (headers, g_strdup ("gzip"));
      g_ptr_array_add (headers, g_strdup ("Accept"));
      g_ptr_array_add (headers, g_strdup ("text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8"));
      g_ptr_array_add (headers, g_strdup ("User-Agent"));
      g_ptr_array_add (headers, g_strdup ("Mozilla/5.0 (X11; Linux x86_64) Bulkhead/" BH_VERSION));
      if (opts != NULL && opts->upload_body != NULL)
        {
          g_ptr_array_add (headers, g_strdup ("Content-Type"));
          g_ptr_array_add (headers, g_strdup (opts->upload_content_type != NULL
                                                ? opts->upload_content_type
                                                : "application/x-www-form-urlencoded"));
          g_ptr_array_add (headers, g_strdup ("Content-Length"));
          g_ptr_array_add (headers, g_strdup_printf ("%" G_GSIZE_FORMAT,
                                                     g_bytes_get_size (opts->upload_body)));
        }
      if (cookie != NULL)
        {
          g_ptr_array_add (headers, g_strdup ("Cookie"));
          g_ptr_array_add (headers, g_steal_pointer (&cookie));
        }
      for (guint i = 0; opts != NULL && opts->extra_headers != NULL && opts->extra_headers[i] != NULL &&
                        opts->extra_headers[i + 1] != NULL;
           i += 2)
        {
          g_ptr_array_add (headers, g_strdup (opts->extra_headers[i]));
          g_ptr_array_add (headers, g_strdup (opts->extra_headers[i + 1]));
        }
    }
  g_ptr_array_add (headers, NULL);
  return headers;
}

gboolean
bh_net_observer_wrap (const char *url, const BhFetchOptions *opts,
                      const BhFetchStreamFuncs **funcs, gpointer *funcs_data,
                      GAsyncReadyCallback *callback, gpointer *user_data,
                      gpointer source_tag, guint64 *out_request_id)
{
  ObservedFetch *fetch;

  *out_request_id = 0;
  if (observers == NULL || observers->len == 0)
    return FALSE;

  fetch = g_new0 (ObservedFetch, 1);
  fetch->url = g_strdup (url);
  fetch->destination = g_strdup (opts != NULL && opts->destination != NULL ? opts->destination : "");
  fetch->initiator = opts != NULL && opts->initiator != NULL ? g_object_ref (opts->initiator) : NULL;
  fetch->info.request_id = next_request_id++;
  fetch->info.url = fetch->url;
  fetch->info.initiator = fetch->initiator;
  fetch->info.destination = fetch->destination;
  fetch->info.start_time_us = g_get_real_time ();
  fetch->info.method = opts != NULL && opts->upload_body != NULL ? "POST" : "GET";
  fetch->headers = request_headers (url, opts);
  if (opts != NULL && opts->upload_body != NULL)
    fetch->info.request_body = g_bytes_ref (opts->upload_body);
  fetch->info.headers = (const char *const *) fetch->headers->pdata;
  fetch->callback = *callback;
  fetch->user_data = *user_data;
  fetch->source_tag = source_tag;
  *callback = observed_done_cb;
  *user_data = fetch;
  if (*funcs != NULL)
    {
      fetch->funcs = **funcs;
      fetch->funcs_data = *funcs_data;
      *funcs = &observed_stream_funcs;
      *funcs_data = fetch;
    }

  *out_request_id = fetch->info.request_id;
  fetch->info.blocked = interceptor != NULL && interceptor (&fetch->info, interceptor_data);
  FOR_EACH_OBSERVER (o)
    if (o->funcs->request_started != NULL)
      o->funcs->request_started (&fetch->info, o->data);
  return fetch->info.blocked;
}
