/* bh-renderer-host-favicon.c: a document's favicon (bh-renderer-host-internal.h).
 *
 * Owns UpdateFaviconURL and FaviconDecoded. The renderer names the icon its
 * document declares (<link rel=icon>); the browser fetches it, or
 * /favicon.ico when none is declared, as Chromium's FaviconDriver does, with
 * the profile's cookies and HTTP cache and as no page's request (no BiDi
 * network event, as Chromium's favicon fetches are the browser's); the
 * renderer, sandboxed, decodes it and sends back at most
 * BH_MAX_FAVICON_SIDE x BH_MAX_FAVICON_SIDE pixels, which the browser checks
 * and hands to the tab. No image decoder ever runs on a server's bytes in
 * the browser (Chromium's rule of two: untrusted input, an unsafe language,
 * no sandbox: pick two).
 */
#include "bh-renderer-host-internal.h"

#include <unistd.h>

#include "bh-fetcher.h"
#include "bh-shm.h"
#include "bh-site.h"

typedef struct {
  BhRendererHost *host; /* a reference */
  guint view_id;
  guint64 navigation_id;
  char *url;
} FaviconFetch;

static void
favicon_fetch_free (FaviconFetch *fetch)
{
  g_clear_object (&fetch->host);
  g_free (fetch->url);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FaviconFetch, favicon_fetch_free)

/* An absolute http(s) URL, or NULL. */
static gboolean
is_http_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https"));
}

/* /favicon.ico of @document_url's origin, for an http(s) document. */
static char *
default_favicon_url (const char *document_url)
{
  g_autoptr (GUri) uri = document_url != NULL ? g_uri_parse (document_url, G_URI_FLAGS_ENCODED, NULL) : NULL;
  g_autoptr (GUri) icon = NULL;

  if (uri == NULL || !is_http_url (document_url))
    return NULL;
  icon = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                      "/favicon.ico", NULL, NULL);
  return g_uri_to_string (icon);
}

static void
favicon_fetch_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (FaviconFetch) fetch = data;
  BhRendererHost *self = fetch->host;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  View *view = bh_renderer_host_lookup_view (self, fetch->view_id);
  gsize size = 0;
  const void *bytes;
  int fd;

  /* The document moved on, the icon is missing, or it is no icon's size. */
  if (view == NULL || self->host.channel == NULL || view->committing_id != fetch->navigation_id ||
      response == NULL || response->http_status != 200 || g_bytes_get_size (response->body) == 0 ||
      g_bytes_get_size (response->body) > BH_MAX_FAVICON_BYTES)
    return;
  bytes = g_bytes_get_data (response->body, &size);
  fd = bh_blob_new (bytes, size, "bulkhead-favicon", &error);
  if (fd < 0)
    return;
  view->favicon_request = ++self->favicon_serial;
  g_free (view->favicon_url);
  view->favicon_url = g_strdup (fetch->url);
  bh_channel_send (self->host.channel, BH_MSG_DecodeFavicon,
                   g_variant_new ("(uut)", fetch->view_id, view->favicon_request, (guint64) size), &fd, 1);
  close (fd);
}

void
bh_renderer_host_handle_update_favicon_url (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  const char *url;
  g_autofree char *icon_url = NULL;
  BhFetchOptions options = { 0 };
  FaviconFetch *fetch;
  View *view;

  g_variant_get (message->payload, "(ut&s)", &view_id, &navigation_id, &url);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (*url != '\0' && !is_http_url (url))
    {
      bad_message (self, "UpdateFaviconURL names “%s”, not an http(s) URL", url);
      return;
    }
  if (navigation_id > view->last_navigation_id)
    {
      bad_message (self, "UpdateFaviconURL for navigation %" G_GUINT64_FORMAT ", which was never committed",
                   navigation_id);
      return;
    }
  /* Only web pages have favicons: not an error page or a browser page (the
   * about: renderer's), nor a file:, as in Chromium. */
  if (!g_str_has_prefix (self->site, "http://") && !g_str_has_prefix (self->site, "https://"))
    return;
  /* An older document's, or a second one for this document: nothing to do. */
  if (navigation_id != view->committing_id || view->favicon_url != NULL || view->favicon_request != 0)
    return;
  icon_url = *url != '\0' ? g_strdup (url) : default_favicon_url (view->committing_url);
  if (icon_url == NULL)
    return;
  /* Marks the document as having asked, until the icon is decoded. */
  view->favicon_url = g_strdup (icon_url);

  fetch = g_new0 (FaviconFetch, 1);
  fetch->host = g_object_ref (self);
  fetch->view_id = view_id;
  fetch->navigation_id = navigation_id;
  fetch->url = g_steal_pointer (&icon_url);
  options.max_bytes = BH_MAX_FAVICON_BYTES;
  options.host_rules = self->host_rules;
  options.profile = self->profile;
  options.initiator_site = self->site;
  bh_fetch (fetch->url, &options, view->cancellable, favicon_fetch_cb, fetch);
}

void
bh_renderer_host_handle_favicon_decoded (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id, request_id, width, height;
  g_autoptr (GVariant) pixels_value = NULL;
  g_autoptr (GBytes) pixels = NULL;
  View *view;

  g_variant_get (message->payload, "(uuuu@ay)", &view_id, &request_id, &width, &height, &pixels_value);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (request_id == 0 || request_id > self->favicon_serial)
    {
      bad_message (self, "FaviconDecoded %u answers no DecodeFavicon", request_id);
      return;
    }
  if ((width == 0) != (height == 0) || width > BH_MAX_FAVICON_SIDE || height > BH_MAX_FAVICON_SIDE ||
      g_variant_get_size (pixels_value) != (gsize) width * height * 4)
    {
      bad_message (self, "FaviconDecoded with %u x %u px in %" G_GSIZE_FORMAT " bytes (at most %u px a side, 4 "
                   "bytes a pixel)", width, height, g_variant_get_size (pixels_value), BH_MAX_FAVICON_SIDE);
      return;
    }
  /* An answer for an icon since replaced (a new document) is dropped. */
  if (request_id != view->favicon_request)
    return;
  view->favicon_request = 0;
  if (width == 0 || view->client->favicon_changed == NULL)
    return;
  pixels = g_variant_get_data_as_bytes (pixels_value);
  view->client->favicon_changed (view->owner, view->committing_id, view->favicon_url, width, height, pixels);
}
