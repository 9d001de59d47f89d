/* bh-bidi-network.c: the BiDi "network" module's events
 * (https://w3c.github.io/webdriver-bidi/#module-network):
 * beforeRequestSent, responseStarted, responseCompleted and fetchError for
 * every fetch a tab makes, its navigations and its subresources, from the
 * network layer's observer (browser/net/bh-net-observer.h). The observer is
 * registered only while a connection subscribes to a network event, so
 * that fetches cost nothing more otherwise.
 *
 * What the fetcher does not keep is not invented: a request's headers are
 * those the fetcher sends (bh-net-observer.h), a response's those the
 * browser keeps of it (Content-Type, Content-Length, Content-Disposition),
 * timings the fetch's start, its response's head and its end; redirects
 * are one request with its redirectCount (docs/automation.md). A request an
 * intercept holds (bh-bidi-intercept.c) is isBlocked in beforeRequestSent,
 * with the intercepts' ids.
 */
#include "bh-bidi-server-private.h"

#include <string.h>

#include "bh-net-error.h"
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

/* network.FetchTimingInfo, ms: timeOrigin since the epoch, the others
 * relative to it. What the observer sees: the fetch's start (requestTime,
 * fetchStart, requestStart), its response's head (responseStart) and its
 * end (responseEnd); the connection's own steps (DNS, TCP, TLS) are not
 * reported to it: 0, as the spec says for an unknown time. */
static JsonObject *
timings (const BhNetRequestInfo *request)
{
  static const char * const unknown[] = {
    "redirectStart", "redirectEnd", "dnsStart", "dnsEnd", "connectStart", "connectEnd", "tlsStart",
  };
  JsonObject *object = json_object_new ();
  double origin = request->start_time_us / 1000.0;

  json_object_set_double_member (object, "timeOrigin", origin);
  json_object_set_double_member (object, "requestTime", 0);
  json_object_set_double_member (object, "fetchStart", 0);
  json_object_set_double_member (object, "requestStart", 0);
  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    json_object_set_int_member (object, unknown[i], 0);
  json_object_set_double_member (object, "responseStart",
                                 request->response_start_us != 0
                                   ? (request->response_start_us - request->start_time_us) / 1000.0
                                   : 0);
  json_object_set_double_member (object, "responseEnd",
                                 request->end_time_us != 0
                                   ? (request->end_time_us - request->start_time_us) / 1000.0
                                   : 0);
  return object;
}

/* network.Header list from name, value, ... pairs. */
static JsonArray *
header_list (const char *const *pairs, gsize *out_size)
{
  JsonArray *headers = json_array_new ();
  gsize size = 0;

  for (guint i = 0; pairs != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      JsonObject *header = json_object_new ();
      JsonObject *value = json_object_new ();

      json_object_set_string_member (value, "type", "string");
      json_object_set_string_member (value, "value", pairs[i + 1]);
      json_object_set_string_member (header, "name", pairs[i]);
      json_object_set_object_member (header, "value", value);
      json_array_add_object_element (headers, header);
      /* "Name: value\r\n" */
      size += strlen (pairs[i]) + strlen (pairs[i + 1]) + 4;
    }
  if (out_size != NULL)
    *out_size = size;
  return headers;
}

/* network.Cookie list of the request's Cookie header ("a=1; b=2"). */
static JsonArray *
cookie_list (const char *const *pairs)
{
  JsonArray *cookies = json_array_new ();

  for (guint i = 0; pairs != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      g_auto (GStrv) items = NULL;

      if (g_ascii_strcasecmp (pairs[i], "Cookie") != 0)
        continue;
      items = g_strsplit (pairs[i + 1], "; ", -1);
      for (guint j = 0; items[j] != NULL; j++)
        {
          const char *equals = strchr (items[j], '=');
          JsonObject *cookie = json_object_new ();
          JsonObject *value = json_object_new ();
          g_autofree char *name = equals != NULL ? g_strndup (items[j], equals - items[j]) : g_strdup ("");

          json_object_set_string_member (value, "type", "string");
          json_object_set_string_member (value, "value", equals != NULL ? equals + 1 : items[j]);
          json_object_set_string_member (cookie, "name", name);
          json_object_set_object_member (cookie, "value", value);
          json_array_add_object_element (cookies, cookie);
        }
    }
  return cookies;
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
  json_object_set_string_member (data, "method", request->method != NULL ? request->method : "GET");
  {
    gsize headers_size;

    json_object_set_array_member (data, "headers", header_list (request->headers, &headers_size));
    json_object_set_array_member (data, "cookies", cookie_list (request->headers));
    json_object_set_int_member (data, "headersSize", (gint64) headers_size);
  }
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
  {
    g_autoptr (GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
    gsize headers_size;

    if (response->http_status != 0)
      {
        g_ptr_array_add (pairs, g_strdup ("Content-Type"));
        g_ptr_array_add (pairs, g_strdup (mime));
        if (response->content_length >= 0)
          {
            g_ptr_array_add (pairs, g_strdup ("Content-Length"));
            g_ptr_array_add (pairs, g_strdup_printf ("%" G_GINT64_FORMAT, response->content_length));
          }
        if (response->content_disposition != NULL)
          {
            g_ptr_array_add (pairs, g_strdup ("Content-Disposition"));
            g_ptr_array_add (pairs, g_strdup (response->content_disposition));
          }
      }
    g_ptr_array_add (pairs, NULL);
    json_object_set_array_member (data, "headers", header_list ((const char *const *) pairs->pdata,
                                                                &headers_size));
  }
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
  if (request->blocked)
    {
      GPtrArray *ids = bh_bidi_server_blocking_intercepts (self, request->request_id);
      JsonArray *intercepts = json_array_new ();

      for (guint i = 0; ids != NULL && i < ids->len; i++)
        json_array_add_string_element (intercepts, g_ptr_array_index (ids, i));
      json_object_set_boolean_member (params, "isBlocked", TRUE);
      json_object_set_array_member (params, "intercepts", intercepts);
    }
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

  g_hash_table_remove (self->blocked_requests, &request->request_id);
  if (watch != NULL && self->collectors->len > 0)
    bh_bidi_server_keep_network_data (self, watch->tab, request->request_id, request->request_body,
                                      request->response_body);
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
  g_hash_table_remove (self->blocked_requests, &request->request_id);
  if (params == NULL)
    return;
  /* Chromium's words: net::ERR_ABORTED for a cancelled request,
   * net::ERR_FAILED for one a client failed (failRequest), net::ERR_... */
  {
    g_autofree char *code = bh_net_error_code (error);
    g_autofree char *text = g_strdup_printf ("net::%s", code);

    json_object_set_string_member (params, "errorText", error->domain == BH_NET_ERROR ||
                                                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                                          ? text
                                                          : error->message);
  }
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
  /* Intercepts hold requests, collectors keep bodies, through the observer. */
  wanted |= self->intercepts->len > 0 || self->collectors->len > 0;
  if (wanted && self->network_observer_id == 0 && !self->closing)
    self->network_observer_id = bh_net_observer_add (&observer_funcs, self);
  else if (!wanted && self->network_observer_id != 0)
    {
      bh_net_observer_remove (self->network_observer_id);
      self->network_observer_id = 0;
    }
}
