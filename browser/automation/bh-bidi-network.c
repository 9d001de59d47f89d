/* bh-bidi-network.c: the BiDi "network" module's events
 * (https://w3c.github.io/webdriver-bidi/#module-network):
 * beforeRequestSent, responseStarted, responseCompleted and fetchError for
 * every fetch a tab makes, its navigations and its subresources, from the
 * network layer's observer (browser/net/bh-net-observer.h). The observer is
 * registered only while a connection subscribes to a network event, so
 * that fetches cost nothing more otherwise.
 *
 * What the fetcher does not keep is not invented: headers and cookies are
 * reported empty, timings as 0, redirects as one request with its
 * redirectCount (docs/automation.md).
 */
#include "bh-bidi-server-private.h"

#include "bh-net-observer.h"

static const char *
status_text (guint status)
{
  /* RFC 9110 section 15's reason phrases of the common codes. */
  switch (status)
    {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "";
    }
}

static JsonObject *
timings (const BhNetRequestInfo *request)
{
  static const char * const names[] = {
    "requestTime", "redirectStart", "redirectEnd", "fetchStart", "dnsStart", "dnsEnd",
    "connectStart", "connectEnd", "tlsStart", "requestStart", "responseStart", "responseEnd",
  };
  JsonObject *object = json_object_new ();

  json_object_set_double_member (object, "timeOrigin", request->start_time_us / 1000.0);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    json_object_set_int_member (object, names[i], 0);
  return object;
}

static char *
request_id_string (const BhNetRequestInfo *request)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, request->request_id);
}

/* The network.BaseParameters of an event about @request, or %NULL when
 * no tab the server follows made it. */
static JsonObject *
base_parameters (BhBidiServer *self, const BhNetRequestInfo *request, guint redirect_count,
                 TabWatch **out_watch)
{
  TabWatch *watch = BH_IS_TAB (request->initiator)
                      ? bh_bidi_server_lookup_watch (self, BH_TAB (request->initiator))
                      : NULL;
  JsonObject *params;
  JsonObject *data;
  g_autofree char *id = NULL;
  gboolean navigation = g_str_equal (request->destination, "document");

  *out_watch = watch;
  if (watch == NULL)
    return NULL;
  params = json_object_new ();
  json_object_set_string_member (params, "context", watch->context);
  json_object_set_boolean_member (params, "isBlocked", FALSE);
  if (navigation && watch->navigation != NULL)
    json_object_set_string_member (params, "navigation", watch->navigation);
  else
    json_object_set_null_member (params, "navigation");
  json_object_set_int_member (params, "redirectCount", redirect_count);
  json_object_set_int_member (params, "timestamp", bh_bidi_timestamp_ms ());

  data = json_object_new ();
  id = request_id_string (request);
  json_object_set_string_member (data, "request", id);
  json_object_set_string_member (data, "url", request->url);
  json_object_set_string_member (data, "method", "GET");
  json_object_set_array_member (data, "headers", json_array_new ());
  json_object_set_array_member (data, "cookies", json_array_new ());
  json_object_set_int_member (data, "headersSize", 0);
  json_object_set_null_member (data, "bodySize");
  json_object_set_string_member (data, "destination", request->destination);
  json_object_set_null_member (data, "initiatorType");
  json_object_set_object_member (data, "timings", timings (request));
  json_object_set_object_member (params, "request", data);
  return params;
}

static JsonObject *
response_data (const BhResponse *response, guint64 bytes_received)
{
  JsonObject *data = json_object_new ();
  JsonObject *content = json_object_new ();
  g_autofree char *mime = response->charset != NULL
                            ? g_strdup_printf ("%s;charset=%s", response->content_type,
                                               response->charset)
                            : g_strdup (response->content_type);
  const char *scheme = g_uri_peek_scheme (response->final_url);

  json_object_set_string_member (data, "url", response->final_url);
  json_object_set_string_member (data, "protocol",
                                 scheme != NULL && (g_str_equal (scheme, "http") ||
                                                    g_str_equal (scheme, "https"))
                                   ? "http/1.1"
                                   : (scheme != NULL ? scheme : ""));
  /* file:, data: and about: have no status; Chromium says 200 for them. */
  json_object_set_int_member (data, "status", response->http_status != 0 ? response->http_status : 200);
  json_object_set_string_member (data, "statusText",
                                 status_text (response->http_status != 0 ? response->http_status
                                                                         : 200));
  json_object_set_boolean_member (data, "fromCache", FALSE);
  json_object_set_array_member (data, "headers", json_array_new ());
  json_object_set_string_member (data, "mimeType", mime);
  json_object_set_int_member (data, "bytesReceived", (gint64) bytes_received);
  json_object_set_null_member (data, "headersSize");
  json_object_set_null_member (data, "bodySize");
  json_object_set_int_member (content, "size", (gint64) bytes_received);
  json_object_set_object_member (data, "content", content);
  return data;
}

static void
emit (BhBidiServer *self, TabWatch *watch, const char *method, JsonObject *params)
{
  const char *contexts[] = { watch->context, NULL };

  bh_bidi_server_emit_event (self, method, contexts, bh_bidi_node_take_object (params));
}

static void
request_started_cb (const BhNetRequestInfo *request, gpointer data)
{
  BhBidiServer *self = data;
  TabWatch *watch;
  JsonObject *params = base_parameters (self, request, 0, &watch);
  JsonObject *initiator;

  if (params == NULL)
    return;
  initiator = json_object_new ();
  json_object_set_string_member (initiator, "type",
                                 g_str_equal (request->destination, "document") ? "other"
                                                                                : "parser");
  json_object_set_object_member (params, "initiator", initiator);
  emit (self, watch, "network.beforeRequestSent", params);
}

static void
response_started_cb (const BhNetRequestInfo *request, const BhResponse *response, gpointer data)
{
  BhBidiServer *self = data;
  TabWatch *watch;
  JsonObject *params = base_parameters (self, request, response->redirect_count, &watch);

  if (params == NULL)
    return;
  json_object_set_object_member (params, "response",
                                 response_data (response, g_bytes_get_size (response->body)));
  emit (self, watch, "network.responseStarted", params);
}

static void
completed_cb (const BhNetRequestInfo *request, const BhResponse *response,
              guint64 bytes_received, gpointer data)
{
  BhBidiServer *self = data;
  TabWatch *watch;
  JsonObject *params = base_parameters (self, request, response->redirect_count, &watch);

  if (params == NULL)
    return;
  json_object_set_object_member (params, "response", response_data (response, bytes_received));
  emit (self, watch, "network.responseCompleted", params);
}

static void
failed_cb (const BhNetRequestInfo *request, const GError *error, gpointer data)
{
  BhBidiServer *self = data;
  TabWatch *watch;
  JsonObject *params = base_parameters (self, request, 0, &watch);

  if (params == NULL)
    return;
  /* Chromium says net::ERR_ABORTED for a cancelled request. */
  json_object_set_string_member (params, "errorText",
                                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? "net::ERR_ABORTED"
                                   : error->message);
  emit (self, watch, "network.fetchError", params);
}

static const BhNetObserverFuncs observer_funcs = {
  request_started_cb,
  response_started_cb,
  completed_cb,
  failed_cb,
};

void
bh_bidi_server_update_network_observer (BhBidiServer *self)
{
  gboolean wanted = FALSE;

  for (guint i = 0; i < self->connections->len && !wanted; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);

      for (guint j = 0; j < connection->subscriptions->len && !wanted; j++)
        wanted = g_str_has_prefix (((Subscription *) g_ptr_array_index (connection->subscriptions,
                                                                        j))->event,
                                   "network.");
    }
  if (wanted && self->network_observer_id == 0 && !self->closing)
    self->network_observer_id = bh_net_observer_add (&observer_funcs, self);
  else if (!wanted && self->network_observer_id != 0)
    {
      bh_net_observer_remove (self->network_observer_id);
      self->network_observer_id = 0;
    }
}
