/* bh-renderer-host-resources.c: the requests a renderer asks the browser to
 * make (bh-renderer-host-internal.h).
 *
 * Owns ResourceRequest (subresources: file: and about: refused before they are
 * read, Cross-Origin Read Blocking on the response, at most
 * BH_MAX_RESOURCE_REQUESTS_PER_VIEW in flight, each answered once) and
 * SubmitForm (a form's request, checked as a request would be).
 */
#include "bh-renderer-host-internal.h"

#include <unistd.h>

#include "bh-fetcher.h"
#include "bh-shm.h"
#include "bh-site.h"

/* Subresources a renderer may receive, over the network's own cap. */
#define MAX_SUBRESOURCE_BYTES ((gsize) 32 * 1024 * 1024)

typedef struct {
  BhRendererHost *host; /* a reference */
  guint view_id;
  guint request_id;
  char *url;
} ResourceFetch;

static void
resource_fetch_free (ResourceFetch *fetch)
{
  g_clear_object (&fetch->host);
  g_free (fetch->url);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResourceFetch, resource_fetch_free)

static void
send_resource_failed (BhRendererHost *self, guint view_id, guint request_id, const char *reason)
{
  if (self->host.channel == NULL)
    return;
  bh_channel_send (self->host.channel, BH_MSG_ResourceFailed,
                   g_variant_new ("(uus)", view_id, request_id, reason), NULL, 0);
}

static void
resource_fetch_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (ResourceFetch) fetch = data;
  BhRendererHost *self = fetch->host;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  const char *content_type;
  View *view;
  int fd;

  view = bh_renderer_host_lookup_view (self, fetch->view_id);
  if (view == NULL || self->host.channel == NULL)
    return;
  g_hash_table_remove (view->requests, GUINT_TO_POINTER (fetch->request_id));
  /* Cancelled when the view navigated: answered all the same, so that the renderer's
   * count of requests in flight is the browser's (BH_MAX_RESOURCE_REQUESTS_PER_VIEW). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      send_resource_failed (self, fetch->view_id, fetch->request_id, "cancelled: the page navigated away");
      return;
    }

  if (response == NULL)
    {
      send_resource_failed (self, fetch->view_id, fetch->request_id, error->message);
      return;
    }
  content_type = response->content_type != NULL ? response->content_type : "";
  /* Cross-Origin Read Blocking, on the final URL: a redirect may have led
   * to another site's document. Content-Type headers that disagree (or
   * none that parses) leave the type unknown to the rule: blocked unless
   * the renderer's own site's. */
  if (!bh_site_may_read (self->site, response->final_url,
                         *content_type != '\0' && !response->content_type_doubtful
                           ? content_type : NULL))
    {
      g_autofree char *reason =
        g_strdup_printf ("blocked: %s (%s%s) may not be read by a renderer of %s",
                         response->final_url, *content_type ? content_type : "no type",
                         response->content_type_doubtful ? ", conflicting Content-Type headers"
                                                         : "",
                         self->site);

      g_debug ("%s", reason);
      send_resource_failed (self, fetch->view_id, fetch->request_id, reason);
      return;
    }
  if (response->http_status >= 400)
    {
      g_autofree char *reason = g_strdup_printf ("HTTP status %u", response->http_status);

      send_resource_failed (self, fetch->view_id, fetch->request_id, reason);
      return;
    }

  {
    gsize size = 0;
    const void *bytes = g_bytes_get_data (response->body, &size);

    fd = bh_blob_new (bytes, size, "bulkhead-subresource", &error);
    if (fd < 0)
      {
        send_resource_failed (self, fetch->view_id, fetch->request_id, error->message);
        return;
      }
    bh_channel_send (self->host.channel, BH_MSG_ResourceResponse,
                     g_variant_new ("(uust)", fetch->view_id, fetch->request_id, content_type,
                                    (guint64) size),
                     &fd, 1);
    close (fd);
  }
}

void
bh_renderer_host_handle_resource_request (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 request_id;
  const char *url;
  g_autofree char *url_site = NULL;
  ResourceFetch *fetch;
  BhFetchOptions options = { 0 };
  View *view;

  g_variant_get (message->payload, "(uu&s)", &view_id, &request_id, &url);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (g_hash_table_contains (view->requests, GUINT_TO_POINTER (request_id)))
    {
      bad_message (self, "ResourceRequest %u is already in flight", request_id);
      return;
    }
  if (g_hash_table_size (view->requests) >= BH_MAX_RESOURCE_REQUESTS_PER_VIEW)
    {
      bad_message (self, "more than %u ResourceRequests in flight", BH_MAX_RESOURCE_REQUESTS_PER_VIEW);
      return;
    }

  /* Local data is refused before it is even read: Chromium never lets a web
   * page load file: or browser-internal resources. The rest is decided on
   * the response, by its type. */
  url_site = bh_site_for_url (url);
  if (url_site == NULL)
    {
      send_resource_failed (self, view_id, request_id, "invalid URL");
      return;
    }
  if ((g_str_equal (url_site, "file://") || g_str_equal (url_site, "about:")) &&
      g_strcmp0 (url_site, self->site) != 0)
    {
      g_autofree char *reason =
        g_strdup_printf ("blocked: a renderer of %s may not load %s", self->site, url);

      send_resource_failed (self, view_id, request_id, reason);
      return;
    }

  g_hash_table_add (view->requests, GUINT_TO_POINTER (request_id));
  fetch = g_new0 (ResourceFetch, 1);
  fetch->host = g_object_ref (self);
  fetch->view_id = view_id;
  fetch->request_id = request_id;
  fetch->url = g_strdup (url);
  options.max_bytes = MAX_SUBRESOURCE_BYTES;
  options.host_rules = self->host_rules;
  /* Its cookies as the renderer's site would send them (SameSite). */
  options.profile = self->profile;
  options.initiator_site = self->site;
  options.initiator = view->owner;
  /* The tab's choice for its document (Ctrl+Shift+R, network.setCacheBehavior):
   * bh_renderer_host_set_view_cache_mode(). */
  options.cache_mode = view->cache_mode;
  options.extra_headers = (const char *const *) view->extra_headers;
  bh_fetch (url, &options, view->cancellable, resource_fetch_cb, fetch);
}

void
bh_renderer_host_set_view_extra_headers (BhRendererHost *self, guint view_id, const char *const *headers)
{
  View *view = bh_renderer_host_lookup_view (self, view_id);

  if (view == NULL)
    return;
  g_strfreev (view->extra_headers);
  view->extra_headers = headers != NULL && headers[0] != NULL ? g_strdupv ((GStrv) headers) : NULL;
}

/* SubmitForm: the renderer built the form data set; the browser makes the
 * request of it, so everything in it is checked as a request would be. */
void
bh_renderer_host_handle_submit_form (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *url, *method, *content_type;
  g_autoptr (GVariant) body_value = NULL;
  g_autoptr (GBytes) body = NULL;
  View *view;

  g_variant_get (message->payload, "(u&s&s&s@ay)", &view_id, &url, &method, &content_type, &body_value);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  body = g_variant_get_data_as_bytes (body_value);
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "POST"))
    {
      bad_message (self, "SubmitForm with method \"%s\"", method);
      return;
    }
  if (!g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL) ||
      (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")))
    {
      bad_message (self, "SubmitForm to \"%s\", not an absolute http(s) URL", url);
      return;
    }
  if (g_str_equal (method, "GET") && (g_bytes_get_size (body) != 0 || *content_type != '\0'))
    {
      bad_message (self, "SubmitForm GET with a body");
      return;
    }
  if (g_str_equal (method, "POST") && !g_str_equal (content_type, "application/x-www-form-urlencoded") &&
      !g_str_has_prefix (content_type, "multipart/form-data; boundary="))
    {
      bad_message (self, "SubmitForm POST of type \"%s\"", content_type);
      return;
    }
  if (g_bytes_get_size (body) > BH_MAX_FORM_BODY_BYTES)
    {
      bad_message (self, "SubmitForm with a body of %" G_GSIZE_FORMAT " bytes, over %u", g_bytes_get_size (body),
                   BH_MAX_FORM_BODY_BYTES);
      return;
    }
  view->client->submit_form (view->owner, url, method, content_type, body);
}
