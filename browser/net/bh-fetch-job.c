/* bh-fetch-job.c: the response, the options and the completion every fetch
 * shares (bh-fetch-job-private.h).
 *
 * Every fetch is a GTask completed from a main-loop source, never from
 * inside a libwebsockets callback: the caller's callback may start another
 * fetch or tear the network down, and lws must not be re-entered from its
 * own callback stack for that.
 */
#include "bh-fetch-job-private.h"

#include "bh-lws.h"

G_STATIC_ASSERT (BH_FETCH_MAX_TIMEOUT_MS < BH_LWS_BACKSTOP_TIMEOUT_S * 1000u);


void
bh_response_free (BhResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->final_url);
  g_free (response->content_type);
  g_free (response->charset);
  g_free (response->content_disposition);
  g_free (response->access_control_allow_origin);
  g_free (response->cors_origin);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

BhResponse *
bh_response_new (const char *final_url,
              guint       http_status,
              const char *content_type,
              const char *charset,
              GBytes     *body,
              guint       redirect_count)
{
  BhResponse *response = g_new0 (BhResponse, 1);

  response->final_url = g_strdup (final_url);
  response->http_status = http_status;
  response->content_type = g_strdup (content_type != NULL ? content_type
                                                          : "application/octet-stream");
  response->charset = g_strdup (charset);
  response->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  response->redirect_count = redirect_count;
  response->content_length = -1;
  return response;
}

void
bh_fetch_options_copy (BhFetchOptions       *dest,
              const BhFetchOptions *src)
{
  *dest = (BhFetchOptions) { 0 };
  if (src != NULL)
    *dest = *src;

  if (dest->timeout_ms == 0)
    dest->timeout_ms = BH_FETCH_DEFAULT_TIMEOUT_MS;
  if (dest->connect_timeout_ms == 0)
    dest->connect_timeout_ms = BH_FETCH_DEFAULT_CONNECT_TIMEOUT_MS;
  /* Our deadlines must come before lws's backstop, or lws closes first. */
  dest->timeout_ms = MIN (dest->timeout_ms, BH_FETCH_MAX_TIMEOUT_MS);
  dest->connect_timeout_ms = MIN (dest->connect_timeout_ms, BH_FETCH_MAX_TIMEOUT_MS);
  if (dest->max_bytes == 0)
    dest->max_bytes = BH_FETCH_DEFAULT_MAX_BYTES;
  if (dest->host_rules != NULL)
    bh_host_rules_ref (dest->host_rules);
  if (dest->upload_body != NULL)
    g_bytes_ref (dest->upload_body);
  dest->upload_content_type = g_strdup (dest->upload_body != NULL ? dest->upload_content_type : NULL);
  if (dest->profile != NULL)
    g_object_ref (dest->profile);
  /* The copy owns its strings (bh_fetch_options_clear() frees them). */
  dest->initiator_site = g_strdup (dest->initiator_site);
  dest->cors_origin = g_strdup (dest->cors_origin);
  dest->extra_headers = (const char *const *) g_strdupv ((GStrv) dest->extra_headers);
}

void
bh_fetch_options_clear (BhFetchOptions *opts)
{
  g_clear_pointer (&opts->host_rules, bh_host_rules_unref);
  g_clear_pointer (&opts->upload_body, g_bytes_unref);
  g_clear_pointer (&opts->upload_content_type, g_free);
  g_clear_object (&opts->profile);
  g_free ((char *) opts->initiator_site);
  opts->initiator_site = NULL;
  g_free ((char *) opts->cors_origin);
  opts->cors_origin = NULL;
  g_strfreev ((GStrv) opts->extra_headers);
  opts->extra_headers = NULL;
}

char *
bh_origin_serialize (const char *url)
{
  g_autofree char *serialized = NULL;
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL)
                                     : NULL;
  const char *scheme, *host;
  int port;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return g_strdup ("null");
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return g_strdup ("null");
  port = g_uri_get_port (uri);
  if (port < 0 || port == (g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80))
    serialized = g_strdup_printf ("%s://%s", scheme, host);
  else
    serialized = g_strdup_printf ("%s://%s:%d", scheme, host, port);
  return g_ascii_strdown (serialized, -1);
}

gboolean
bh_cors_check (const char *allow_origin, const char *origin)
{
  return allow_origin != NULL && (g_str_equal (allow_origin, "*") || g_str_equal (allow_origin, origin));
}

/* Completing a task later ------------------------------------------------ */

typedef struct {
  GTask *task;
  BhResponse *response;
  GError *error;
} DeferredReturn;

static gboolean
deferred_return_cb (gpointer user_data)
{
  DeferredReturn *deferred = user_data;

  if (deferred->error != NULL)
    g_task_return_error (deferred->task, g_steal_pointer (&deferred->error));
  else
    g_task_return_pointer (deferred->task, g_steal_pointer (&deferred->response),
                           (GDestroyNotify) bh_response_free);

  return G_SOURCE_REMOVE;
}

static void
deferred_return_free (gpointer user_data)
{
  DeferredReturn *deferred = user_data;

  g_clear_object (&deferred->task);
  bh_response_free (deferred->response);
  g_clear_error (&deferred->error);
  g_free (deferred);
}

/* Takes @task, @response and @error. Exactly one of @response and @error. */
void
bh_fetch_return_later (GTask      *task,
              BhResponse *response,
              GError     *error)
{
  DeferredReturn *deferred = g_new0 (DeferredReturn, 1);
  g_autoptr (GSource) idle = g_idle_source_new ();

  g_assert ((response == NULL) != (error == NULL));

  deferred->task = task;
  deferred->response = response;
  deferred->error = error;

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, deferred_return_cb, deferred, deferred_return_free);
  g_source_set_static_name (idle, "[bulkhead] fetch completion");
  g_source_attach (idle, g_task_get_context (task));
}


/* Content types ------------------------------------------------------------ */

/* When the server or the file system gives no type, guess from the name
 * and the first bytes, as browsers sniff (shared-mime-info's rules here). */
char *
bh_sniff_content_type (const char   *name_hint,
                    const guchar *data,
                    gsize         len)
{
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;

  type = g_content_type_guess (name_hint, data, MIN (len, 4096), NULL);
  if (type != NULL)
    mime = g_content_type_get_mime_type (type);
  if (mime == NULL)
    return g_strdup ("application/octet-stream");
  return g_ascii_strdown (mime, -1);
}

gboolean
bh_content_type_is_textual (const char *mime)
{
  return g_str_has_prefix (mime, "text/") || g_str_equal (mime, "image/svg+xml") ||
         g_str_equal (mime, "application/xhtml+xml") || g_str_equal (mime, "application/json");
}

