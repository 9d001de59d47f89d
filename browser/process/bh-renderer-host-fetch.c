/* bh-renderer-host-fetch.c: fetch() and XMLHttpRequest of a renderer's pages
 * (bh-renderer-host-internal.h).
 *
 * Owns FetchRequest (and StorageContents, the reply to StorageLoad, at the
 * end). The renderer has no network: a page's request is made here, checked
 * first. What an honest renderer never sends is a bad message: a method other
 * than GET or POST, a URL that is not absolute http(s), a body over
 * BH_MAX_FETCH_BODY_BYTES, more than BH_MAX_FETCH_REQUESTS_PER_VIEW in flight, a
 * request id already in flight, a navigation never committed.
 *
 * A URL of the committed document's origin (scheme, host, port) is fetched
 * with the profile's cookies; one redirected to another origin is refused.
 * Any other URL, of any site, is a CORS request, made here as Chromium's
 * network service makes it (CorsURLLoader) so that no byte the server did not
 * share reaches the renderer: its Origin header is the serialization of the
 * origin of the URL the browser committed (never the renderer's word), it
 * carries no cookies and stores none (credentials mode "same-origin": the
 * renderer refuses "include" and withCredentials itself), and the response is
 * handed over only if it passes the Fetch Standard's CORS check (§4.9):
 * Access-Control-Allow-Origin "*" or exactly that origin. Each redirect is
 * checked likewise by the fetcher before it is followed (BhFetchOptions.
 * cors_origin), which also taints the origin to "null" after a hop to a third
 * origin (Fetch Standard §4.4); the final check uses the Origin the last hop
 * went out with (BhResponse.cors_origin). There is no
 * OPTIONS preflight: a POST whose Content-Type is not CORS-safelisted (§3.2.3)
 * is refused "preflights are not supported" (the renderer refuses the other
 * preflight cases, methods and headers, before asking, since only Content-Type
 * travels). The only response header the renderer learns is Content-Type,
 * which is CORS-safelisted, so nothing needs Access-Control-Expose-Headers.
 * Every refusal is FetchFailed with its reason. A fetch for a navigation that is
 * no longer the view's is answered FetchFailed too, and so is every fetch the
 * view's next navigation cancels: each request is answered exactly once.
 */
#include "bh-renderer-host-internal.h"

#include <string.h>
#include <unistd.h>

#include "bh-fetcher.h"
#include "bh-shm.h"

typedef struct {
  BhRendererHost *host; /* a reference */
  guint view_id;
  guint request_id;
  char *cors_origin; /* (nullable): the serialized origin a cross-origin request
                      * went out with, in its Origin header; NULL when same-origin */
} PageFetch;

static void
page_fetch_free (PageFetch *fetch)
{
  g_clear_object (&fetch->host);
  g_free (fetch->cors_origin);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageFetch, page_fetch_free)

static void
send_fetch_failed (BhRendererHost *self, guint view_id, guint request_id, const char *reason)
{
  if (self->host.channel == NULL)
    return;
  bh_channel_send (self->host.channel, BH_MSG_FetchFailed, g_variant_new ("(uus)", view_id, request_id, reason),
                   NULL, 0);
}

/* scheme://host:port, with the scheme's default port spelt out; NULL for a URL
 * with no host (data:, about:, file: have opaque origins here). */
static char *
origin_of (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  const char *scheme, *host;
  int port;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/* Whether a POST with this Content-Type is a CORS "simple request" (Fetch
 * Standard §3.2.3, CORS-safelisted request-header): its essence is
 * application/x-www-form-urlencoded, multipart/form-data or text/plain. An empty
 * type is the browser's own text/plain default. */
static gboolean
content_type_is_safelisted (const char *content_type)
{
  g_autofree char *essence = NULL;
  const char *semicolon;

  if (*content_type == '\0')
    return TRUE;
  semicolon = strchr (content_type, ';');
  essence = g_ascii_strdown (content_type, semicolon != NULL ? semicolon - content_type : -1);
  g_strstrip (essence);
  return g_str_equal (essence, "application/x-www-form-urlencoded") || g_str_equal (essence, "multipart/form-data") ||
         g_str_equal (essence, "text/plain");
}

/* The Fetch Standard's "CORS check" (§4.9, bh_cors_check()) of the final
 * response, against the Origin its request went out with. Returns NULL when it
 * passes, else why not (free it). */
static char *
cors_check (const BhResponse *response)
{
  const char *allow = response->access_control_allow_origin;
  const char *origin = response->cors_origin != NULL ? response->cors_origin : "null";

  if (bh_cors_check (allow, origin))
    return NULL;
  if (allow == NULL)
    return g_strdup_printf ("blocked by CORS: %s has no Access-Control-Allow-Origin header (origin %s)",
                            response->final_url, origin);
  return g_strdup_printf ("blocked by CORS: %s allows origin \"%.200s\", not %s", response->final_url, allow, origin);
}

static void
page_fetch_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (PageFetch) fetch = data;
  BhRendererHost *self = fetch->host;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  g_autofree char *final_origin = NULL, *document_origin = NULL;
  View *view;
  gsize size = 0;
  const void *bytes;
  int fd;

  view = bh_renderer_host_lookup_view (self, fetch->view_id);
  if (view == NULL || self->host.channel == NULL)
    return;
  g_hash_table_remove (view->fetches, GUINT_TO_POINTER (fetch->request_id));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      send_fetch_failed (self, fetch->view_id, fetch->request_id, "cancelled: the page navigated away");
      return;
    }
  if (response == NULL)
    {
      send_fetch_failed (self, fetch->view_id, fetch->request_id, error->message);
      return;
    }
  if (fetch->cors_origin != NULL)
    {
      /* The fetcher checked each redirect (BhFetchOptions.cors_origin). */
      g_autofree char *reason = cors_check (response);

      if (reason != NULL)
        {
          send_fetch_failed (self, fetch->view_id, fetch->request_id, reason);
          return;
        }
    }
  else
    {
      /* A same-origin request redirected to another origin would hand the page a
       * response it may not read: it went out without an Origin header. */
      final_origin = origin_of (response->final_url);
      document_origin = view->committing_url != NULL ? origin_of (view->committing_url) : NULL;
      if (final_origin == NULL || g_strcmp0 (final_origin, document_origin) != 0)
        {
          g_autofree char *reason = g_strdup_printf ("blocked: redirected to %s, not of the page's origin",
                                                     response->final_url);

          send_fetch_failed (self, fetch->view_id, fetch->request_id, reason);
          return;
        }
    }
  bytes = g_bytes_get_data (response->body, &size);
  fd = bh_blob_new (bytes, size, "bulkhead-fetch", &error);
  if (fd < 0)
    {
      send_fetch_failed (self, fetch->view_id, fetch->request_id, error->message);
      return;
    }
  bh_channel_send (self->host.channel, BH_MSG_FetchResponse,
                   g_variant_new ("(uusust)", fetch->view_id, fetch->request_id, response->final_url,
                                  response->http_status, response->content_type != NULL ? response->content_type : "",
                                  (guint64) size),
                   &fd, 1);
  close (fd);
}

void
bh_renderer_host_handle_fetch_request (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id, request_id;
  guint64 navigation_id;
  const char *method, *url, *content_type;
  g_autoptr (GVariant) body_value = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *url_origin = NULL, *document_origin = NULL;
  const char *origin_header[] = { "Origin", NULL, NULL };
  gboolean cross_origin;
  BhFetchOptions options = { 0 };
  PageFetch *fetch;
  View *view;

  g_variant_get (message->payload, "(utu&s&s&s@ay)", &view_id, &navigation_id, &request_id, &method, &url,
                 &content_type, &body_value);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  body = g_variant_get_data_as_bytes (body_value);
  if (navigation_id == 0 || navigation_id > view->last_navigation_id)
    {
      bad_message (self, "FetchRequest for navigation %" G_GUINT64_FORMAT " never committed to view %u",
                   navigation_id, view_id);
      return;
    }
  if (g_hash_table_contains (view->fetches, GUINT_TO_POINTER (request_id)))
    {
      bad_message (self, "FetchRequest %u is already in flight", request_id);
      return;
    }
  if (g_hash_table_size (view->fetches) >= BH_MAX_FETCH_REQUESTS_PER_VIEW)
    {
      bad_message (self, "more than %u FetchRequests in flight", BH_MAX_FETCH_REQUESTS_PER_VIEW);
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      bad_message (self, "FetchRequest with method \"%s\"", method);
      return;
    }
  if (g_str_equal (method, "GET") && (g_bytes_get_size (body) != 0 || *content_type != '\0'))
    {
      bad_message (self, "FetchRequest GET with a body");
      return;
    }
  if (g_bytes_get_size (body) > BH_MAX_FETCH_BODY_BYTES || strlen (content_type) > 256)
    {
      bad_message (self, "FetchRequest with a body of %" G_GSIZE_FORMAT " bytes (at most %u) or a long type",
                   g_bytes_get_size (body), BH_MAX_FETCH_BODY_BYTES);
      return;
    }
  if (!g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL) ||
      (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")))
    {
      bad_message (self, "FetchRequest for \"%s\", not an absolute http(s) URL", url);
      return;
    }
  if (navigation_id != view->committing_id)
    {
      send_fetch_failed (self, view_id, request_id, "cancelled: the page navigated away");
      return;
    }
  url_origin = origin_of (url);
  document_origin = view->committing_url != NULL ? origin_of (view->committing_url) : NULL;
  cross_origin = url_origin == NULL || g_strcmp0 (url_origin, document_origin) != 0;
  if (cross_origin && !content_type_is_safelisted (content_type))
    {
      g_autofree char *reason = g_strdup_printf ("blocked by CORS: a POST of type \"%s\" to %s needs a "
                                                 "preflight (OPTIONS), and preflights are not supported",
                                                 content_type, url);

      send_fetch_failed (self, view_id, request_id, reason);
      return;
    }

  g_hash_table_add (view->fetches, GUINT_TO_POINTER (request_id));
  fetch = g_new0 (PageFetch, 1);
  fetch->host = g_object_ref (self);
  fetch->view_id = view_id;
  fetch->request_id = request_id;
  options.max_bytes = BH_MAX_FETCH_RESPONSE_BYTES;
  options.host_rules = self->host_rules;
  /* Credentials mode "same-origin" (fetch's default; XHR without
   * withCredentials): a cross-origin request carries no cookies, and its
   * Set-Cookie lines are dropped. */
  options.profile = cross_origin ? NULL : self->profile;
  options.initiator_site = self->site;
  if (cross_origin)
    {
      fetch->cors_origin = bh_origin_serialize (view->committing_url);
      origin_header[1] = fetch->cors_origin;
      options.extra_headers = origin_header;
      options.cors_origin = fetch->cors_origin;
    }
  options.initiator = view->owner;
  options.destination = "fetch";
  if (g_str_equal (method, "POST"))
    {
      options.upload_body = body;
      options.upload_content_type = (char *) (*content_type != '\0' ? content_type : "text/plain;charset=UTF-8");
    }
  bh_fetch (url, &options, view->cancellable, page_fetch_cb, fetch);
}

/* StorageContents, the reply to StorageLoad: the area (or an empty one) in a
 * sealed memfd, since an area may hold BH_MAX_STORAGE_BYTES_PER_ORIGIN, more than a
 * frame. */
void
bh_renderer_host_reply_storage (BhRendererHost *self, const BhMessage *request, GVariant *contents)
{
  g_autoptr (GVariant) empty = NULL;
  g_autoptr (GError) error = NULL;
  gsize size;
  int fd;

  if (self->host.channel == NULL)
    return;
  if (contents == NULL)
    contents = empty = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(ss)"), NULL, 0));
  size = g_variant_get_size (contents);
  {
    g_autofree guint8 *data = g_malloc (MAX (size, 1));

    g_variant_store (contents, data);
    fd = bh_blob_new (data, size, "bulkhead-storage", &error);
  }
  if (fd < 0)
    {
      /* No memfd to answer with (the browser is out of memory or fds): the renderer
       * stops waiting after its timeout and takes the area as empty. */
      g_warning ("StorageLoad of renderer %d not answered: %s", self->host.pid, error->message);
      return;
    }
  bh_channel_reply (self->host.channel, request, BH_MSG_StorageContents, g_variant_new ("(t)", (guint64) size), &fd, 1);
  close (fd);
}
