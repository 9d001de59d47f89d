/* bh-webdriver.c: classic WebDriver over HTTP (bh-webdriver.h): requests,
 * their answers, sessions, and the commands.
 *
 * A request's path goes through the spec's endpoint table
 * (bh-webdriver-route.c) and its body through the same JSON checks as a
 * BiDi message (bh_bidi_json_object_decode()). A command either answers
 * from what the browser knows (titles, window handles) or runs the BiDi
 * handler for the same thing with its answer coming back here
 * (bh_bidi_command_new_for_reply()).
 */
#include "bh-webdriver-private.h"

#include <math.h>
#include <string.h>

#include <gdk/gdk.h>

#include "bh-bidi-message.h"
#include "bh-bidi-server-private.h"
#include "bh-message.h"
#include "bh-renderer-host.h"
#include "bh-webdriver-route.h"

/* Requests. */

static BhWebDriverRequest *
request_ref (BhWebDriverRequest *request)
{
  g_ref_count_inc (&request->ref_count);
  return request;
}

static void
request_unref (BhWebDriverRequest *request)
{
  if (request == NULL || !g_ref_count_dec (&request->ref_count))
    return;
  if (request->webdriver != NULL)
    g_ptr_array_remove_fast (request->webdriver->requests, request);
  g_free (request->method);
  g_free (request->path);
  g_byte_array_unref (request->body);
  g_clear_pointer (&request->answer, g_bytes_unref);
  g_free (request);
}

/* The spec's table of error codes and their HTTP status
 * (https://w3c.github.io/webdriver/#errors). */
static guint
status_for_error (const char *error)
{
  static const struct {
    const char *error;
    guint status;
  } table[] = {
    { "element click intercepted", 400 }, { "element not interactable", 400 },
    { "insecure certificate", 400 },      { "invalid argument", 400 },
    { "invalid cookie domain", 400 },     { "invalid element state", 400 },
    { "invalid selector", 400 },          { "invalid session id", 404 },
    { "javascript error", 500 },          { "move target out of bounds", 500 },
    { "no such alert", 404 },             { "no such cookie", 404 },
    { "no such element", 404 },           { "no such frame", 404 },
    { "no such window", 404 },            { "no such shadow root", 404 },
    { "script timeout", 500 },            { "session not created", 500 },
    { "stale element reference", 404 },   { "detached shadow root", 404 },
    { "timeout", 500 },                   { "unable to set cookie", 500 },
    { "unable to capture screen", 500 },  { "unexpected alert open", 500 },
    { "unknown command", 404 },           { "unknown error", 500 },
    { "unknown method", 405 },            { "unsupported operation", 500 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (table[i].error, error))
      return table[i].status;
  return 500;
}

/* BiDi's codes where classic has its own words for the same thing. */
const char *
bh_webdriver_classic_error (const char *bidi_error)
{
  if (g_str_equal (bidi_error, BH_BIDI_ERROR_NO_SUCH_FRAME))
    return ERROR_NO_SUCH_WINDOW;
  if (g_str_equal (bidi_error, BH_BIDI_ERROR_NO_SUCH_NODE))
    return BH_BIDI_ERROR_NO_SUCH_ELEMENT;
  return bidi_error;
}

static void
request_answer (BhWebDriverRequest *request, guint status, JsonNode *value)
{
  g_autoptr (JsonObject) object = json_object_new ();
  g_autoptr (JsonNode) root = NULL;

  if (request->answered)
    {
      g_clear_pointer (&value, json_node_unref);
      return;
    }
  request->answered = TRUE;
  json_object_set_member (object, "value",
                          value != NULL ? value : json_node_init_null (json_node_alloc ()));
  root = json_node_init_object (json_node_alloc (), object);
  request->answer = bh_bidi_to_bytes (root);
  request->status = status;
  if (request->wsi != NULL)
    lws_callback_on_writable (request->wsi);
}

static void
request_fail (BhWebDriverRequest *request, const char *error, const char *message)
{
  JsonObject *value = json_object_new ();
  g_autofree char *valid = g_utf8_make_valid (message != NULL ? message : "", -1);

  json_object_set_string_member (value, "error", error);
  json_object_set_string_member (value, "message", valid);
  json_object_set_string_member (value, "stacktrace", "");
  request_answer (request, status_for_error (error), bh_bidi_node_take_object (value));
}

void
bh_webdriver_request_refuse (BhWebDriverRequest *request, guint status, const char *error,
                             const char *message)
{
  request_fail (request, error, message);
  request->status = status;
}

BhWebDriverRequest *
bh_webdriver_request_new (BhWebDriver *webdriver, struct lws *wsi, const char *method,
                          const char *path)
{
  BhWebDriverRequest *request = g_new0 (BhWebDriverRequest, 1);

  g_ref_count_init (&request->ref_count);
  request->webdriver = webdriver;
  request->wsi = wsi;
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->body = g_byte_array_new ();
  g_ptr_array_add (webdriver->requests, request);
  return request;
}

void
bh_webdriver_request_receive (BhWebDriverRequest *request, const void *data, gsize length)
{
  if (request->too_big)
    return;
  if (request->body->len + length > BH_BIDI_MAX_MESSAGE_BYTES)
    {
      request->too_big = TRUE;
      g_byte_array_set_size (request->body, 0);
      return;
    }
  g_byte_array_append (request->body, data, (guint) length);
}

int
bh_webdriver_request_write (BhWebDriverRequest *request)
{
  static unsigned char buffer[LWS_PRE + WRITE_CHUNK_BYTES];
  const guint8 *data;
  gsize size;
  gsize chunk;

  if (request->answer == NULL)
    return 0;
  data = g_bytes_get_data (request->answer, &size);
  if (!request->headers_written)
    {
      unsigned char *start = buffer + LWS_PRE;
      unsigned char *p = start;
      unsigned char *end = buffer + sizeof buffer - 1;

      if (lws_add_http_common_headers (request->wsi, request->status,
                                       "application/json; charset=utf-8", size, &p, end) ||
          lws_add_http_header_by_token (request->wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                        (const unsigned char *) "no-cache", 8, &p, end) ||
          lws_finalize_write_http_header (request->wsi, start, &p, end))
        return -1;
      request->headers_written = TRUE;
      lws_callback_on_writable (request->wsi);
      return 0;
    }
  chunk = MIN (size - request->offset, (gsize) WRITE_CHUNK_BYTES);
  memcpy (buffer + LWS_PRE, data + request->offset, chunk);
  if (lws_write (request->wsi, buffer + LWS_PRE, chunk,
                 request->offset + chunk == size ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) !=
      (int) chunk)
    return -1;
  request->offset += chunk;
  if (request->offset < size)
    {
      lws_callback_on_writable (request->wsi);
      return 0;
    }
  /* Keep-alive: the connection takes the next request. */
  return lws_http_transaction_completed (request->wsi) ? -1 : 0;
}

void
bh_webdriver_request_closed (BhWebDriverRequest *request)
{
  request->wsi = NULL;
  request_unref (request);
}

/* Calls. */

static Call *
call_ref (Call *call)
{
  g_ref_count_inc (&call->ref_count);
  return call;
}

static void
call_unref (Call *call)
{
  if (call == NULL || !g_ref_count_dec (&call->ref_count))
    return;
  request_unref (call->request);
  bh_webdriver_route_clear (&call->route);
  g_clear_pointer (&call->body, json_object_unref);
  g_clear_object (&call->tab);
  g_free (call);
}

BhBidiServer *
bh_webdriver_call_server (Call *call)
{
  return call->request->webdriver != NULL ? call->request->webdriver->server : NULL;
}

Session *
bh_webdriver_call_session (Call *call)
{
  BhWebDriver *webdriver = call->request->webdriver;

  if (webdriver == NULL || call->route.session_id == NULL)
    return NULL;
  return g_hash_table_lookup (webdriver->sessions, call->route.session_id);
}

void
bh_webdriver_call_fail (Call *call, const char *error, const char *message)
{
  request_fail (call->request, error, message);
}

void
bh_webdriver_call_answer (Call *call, JsonNode *value)
{
  request_answer (call->request, 200, value);
}

/* A node holding @array, whose reference it takes. */
JsonNode *
bh_webdriver_array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

JsonNode *
bh_webdriver_string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

/* The session's current window, or NULL having answered "no such window". */
BhTab *
bh_webdriver_current_tab (Call *call)
{
  Session *session = bh_webdriver_call_session (call);
  BhTab *tab = session != NULL && session->context != NULL
                 ? bh_bidi_server_find_tab (bh_webdriver_call_server (call), session->context)
                 : NULL;

  if (tab == NULL)
    bh_webdriver_call_fail (call, ERROR_NO_SUCH_WINDOW, "the current window was closed");
  return tab;
}

/* A BiDi command on the call's behalf; @reply gets the call as its data. */
void
bh_webdriver_run_bidi (Call *call, const char *method, JsonObject *params, BhBidiReplyFunc reply)
{
  g_autoptr (JsonObject) owned = params;
  BhBidiCommandFunc func = bh_bidi_command_lookup (method);
  BhBidiCommand *command;

  g_assert (func != NULL);
  command = bh_bidi_command_new_for_reply (bh_webdriver_call_server (call), method, params, reply,
                                           call_ref (call), (GDestroyNotify) call_unref);
  func (command);
}

/* A bh_webdriver_carrier for the element helpers, which take a command. */
BhBidiCommand *
bh_webdriver_carrier (Call *call, BhBidiReplyFunc reply)
{
  return bh_bidi_command_new_for_reply (bh_webdriver_call_server (call), "classic", NULL, reply,
                                        call_ref (call), (GDestroyNotify) call_unref);
}

/* The generic answer: a BiDi error as a classic one, a result as "value"
 * (null for {}). */
void
bh_webdriver_reply_null_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
  else
    bh_webdriver_call_answer (call, NULL);
}

/* Sessions. */

static void
session_free (Session *session)
{
  g_free (session->id);
  g_free (session->context);
  g_free (session);
}

BhWebDriver *
bh_webdriver_new (BhBidiServer *server)
{
  BhWebDriver *webdriver = g_new0 (BhWebDriver, 1);

  webdriver->server = server;
  webdriver->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) session_free);
  webdriver->requests = g_ptr_array_new ();
  return webdriver;
}

void
bh_webdriver_free (BhWebDriver *webdriver)
{
  if (webdriver == NULL)
    return;
  /* Requests still answering outlive us: they answer "the browser is
   * closing" or what their command gives, without a server. */
  for (guint i = 0; i < webdriver->requests->len; i++)
    ((BhWebDriverRequest *) g_ptr_array_index (webdriver->requests, i))->webdriver = NULL;
  g_ptr_array_unref (webdriver->requests);
  g_hash_table_unref (webdriver->sessions);
  g_free (webdriver);
}

gboolean
bh_webdriver_has_session (BhWebDriver *webdriver, const char *session_id)
{
  return webdriver != NULL && session_id != NULL &&
         g_hash_table_contains (webdriver->sessions, session_id);
}

static void
new_session (Call *call)
{
  BhWebDriver *webdriver = call->request->webdriver;
  JsonNode *capabilities = json_object_get_member (call->body, "capabilities");
  JsonObject *requested = capabilities != NULL && JSON_NODE_HOLDS_OBJECT (capabilities)
                            ? json_node_get_object (capabilities)
                            : NULL;
  JsonNode *always = requested != NULL ? json_object_get_member (requested, "alwaysMatch") : NULL;
  const char *browser_name = NULL;
  GListModel *tabs = bh_browser_get_tabs (bh_bidi_server_get_browser (webdriver->server));
  Session *session;
  JsonObject *value;

  if (requested == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"capabilities\" must be an object");
      return;
    }
  if (always != NULL && JSON_NODE_HOLDS_OBJECT (always))
    browser_name = json_object_get_string_member_with_default (json_node_get_object (always),
                                                               "browserName", NULL);
  if (browser_name != NULL && !g_str_equal (browser_name, "bulkhead"))
    {
      g_autofree char *message = g_strdup_printf ("this is bulkhead, not %s", browser_name);

      bh_webdriver_call_fail (call, BH_BIDI_ERROR_SESSION_NOT_CREATED, message);
      return;
    }
  {
    g_autofree char *error = NULL;

    if (!bh_bidi_session_check_capabilities (requested, TRUE, &error))
      {
        bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, error);
        return;
      }
  }
  session = g_new0 (Session, 1);
  session->id = g_uuid_string_random ();
  session->page_load_ms = 300000;
  session->script_ms = 30000;
  /* The current window is the browser's first tab, as chromedriver's is
   * the window it started with. */
  if (g_list_model_get_n_items (tabs) > 0)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, 0);

      session->context = bh_bidi_context_for_tab (tab);
    }
  g_hash_table_insert (webdriver->sessions, session->id, session);

  value = json_object_new ();
  json_object_set_string_member (value, "sessionId", session->id);
  json_object_set_object_member (value, "capabilities",
                                 bh_bidi_session_capabilities (webdriver->server, requested,
                                                               session->id, TRUE));
  bh_webdriver_call_answer (call, bh_bidi_node_take_object (value));
}

static void
delete_session (Call *call)
{
  /* The browser stays up: it is not the driver's child, as Chrome is
   * chromedriver's. */
  bh_bidi_server_session_ended (call->request->webdriver->server, call->route.session_id);
  g_hash_table_remove (call->request->webdriver->sessions, call->route.session_id);
  bh_webdriver_call_answer (call, NULL);
}

static void
status (Call *call)
{
  JsonObject *value = json_object_new ();

  json_object_set_boolean_member (value, "ready", TRUE);
  json_object_set_string_member (value, "message", "Bulkhead is ready for new sessions");
  bh_webdriver_call_answer (call, bh_bidi_node_take_object (value));
}

static void
get_timeouts (Call *call)
{
  Session *session = bh_webdriver_call_session (call);
  JsonObject *value = json_object_new ();

  json_object_set_int_member (value, "implicit", session->implicit_ms);
  json_object_set_int_member (value, "pageLoad", session->page_load_ms);
  json_object_set_int_member (value, "script", session->script_ms);
  bh_webdriver_call_answer (call, bh_bidi_node_take_object (value));
}

static void
set_timeouts (Call *call)
{
  Session *session = bh_webdriver_call_session (call);
  static const char * const names[] = { "implicit", "pageLoad", "script" };
  gint64 *fields[] = { &session->implicit_ms, &session->page_load_ms, &session->script_ms };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (call->body, names[i]);

      if (node == NULL || (i == 2 && JSON_NODE_HOLDS_NULL (node)))
        continue;
      if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
        {
          bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT,
                     "timeouts must be whole numbers of milliseconds");
          return;
        }
      *fields[i] = json_node_get_int (node);
    }
  bh_webdriver_call_answer (call, NULL);
}

/* Navigation. */

static void
navigate_to (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *url = json_object_get_string_member_with_default (call->body, "url", NULL);
  JsonObject *params;

  if (tab == NULL)
    return;
  if (url == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"url\" must be a string");
      return;
    }
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_string_member (params, "url", url);
  json_object_set_string_member (params, "wait", "complete");
  bh_webdriver_run_bidi (call, "browsingContext.navigate", params, bh_webdriver_reply_null_cb);
}

static void
get_current_url (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *uri;

  if (tab == NULL)
    return;
  uri = bh_tab_get_uri (tab);
  bh_webdriver_call_answer (call, bh_webdriver_string_node (*uri != '\0' ? uri : "about:blank"));
}

static void
traversed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  /* Back with nothing behind is a no-op for WebDriver, not an error. */
  if (error != NULL && g_str_equal (error, BH_BIDI_ERROR_NO_SUCH_HISTORY_ENTRY))
    error = NULL;
  bh_webdriver_reply_null_cb (data, result, error, message);
}

static void
traverse (Call *call, int delta)
{
  JsonObject *params;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_int_member (params, "delta", delta);
  bh_webdriver_run_bidi (call, "browsingContext.traverseHistory", params, traversed_cb);
}

static void
back (Call *call)
{
  traverse (call, -1);
}

static void
forward (Call *call)
{
  traverse (call, 1);
}

static void
refresh (Call *call)
{
  JsonObject *params;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_string_member (params, "wait", "complete");
  bh_webdriver_run_bidi (call, "browsingContext.reload", params, bh_webdriver_reply_null_cb);
}

static void
get_title (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);

  if (tab != NULL)
    bh_webdriver_call_answer (call, bh_webdriver_string_node (bh_tab_get_title (tab)));
}

/* Windows: every tab is a top-level browsing context, its handle its
 * context id. */

static void
get_window_handle (Call *call)
{
  if (bh_webdriver_current_tab (call) != NULL)
    bh_webdriver_call_answer (call, bh_webdriver_string_node (bh_webdriver_call_session (call)->context));
}

static JsonNode *
window_handles (Call *call)
{
  GListModel *tabs = bh_browser_get_tabs (bh_bidi_server_get_browser (bh_webdriver_call_server (call)));
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);
      g_autofree char *context = bh_bidi_context_for_tab (tab);

      json_array_add_string_element (array, context);
    }
  return bh_webdriver_array_node (array);
}

static void
get_window_handles (Call *call)
{
  bh_webdriver_call_answer (call, window_handles (call));
}

static void
closed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
      return;
    }
  bh_webdriver_call_answer (call, window_handles (call));
}

static void
close_window (Call *call)
{
  JsonObject *params;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  bh_webdriver_run_bidi (call, "browsingContext.close", params, closed_cb);
}

static void
switch_to_window (Call *call)
{
  const char *handle = json_object_get_string_member_with_default (call->body, "handle", NULL);
  Session *session = bh_webdriver_call_session (call);

  if (handle == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"handle\" must be a string");
      return;
    }
  if (bh_bidi_server_find_tab (bh_webdriver_call_server (call), handle) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("no window “%s”", handle);

      bh_webdriver_call_fail (call, ERROR_NO_SUCH_WINDOW, message);
      return;
    }
  g_free (session->context);
  session->context = g_strdup (handle);
  bh_webdriver_call_answer (call, NULL);
}

static void
created_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  JsonObject *value;
  const char *context;

  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
      return;
    }
  context = json_object_get_string_member (json_node_get_object (result), "context");
  value = json_object_new ();
  json_object_set_string_member (value, "handle", context);
  json_object_set_string_member (value, "type",
                                 json_object_get_string_member_with_default (call->body, "type",
                                                                             "tab"));
  bh_webdriver_call_answer (call, bh_bidi_node_take_object (value));
  json_node_unref (result);
}

static void
new_window (Call *call)
{
  const char *type = json_object_get_string_member_with_default (call->body, "type", "tab");
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "type",
                                 g_str_equal (type, "window") ? "window" : "tab");
  /* WebDriver's new window does not take the focus from the current one. */
  json_object_set_boolean_member (params, "background", TRUE);
  bh_webdriver_run_bidi (call, "browsingContext.create", params, created_cb);
}

static void
switch_to_frame (Call *call)
{
  JsonNode *id = json_object_get_member (call->body, "id");

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  /* Tabs have no child frames: only the top-level one can be chosen. */
  if (id == NULL || !JSON_NODE_HOLDS_NULL (id))
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_NO_SUCH_FRAME, "the page has no frames");
      return;
    }
  bh_webdriver_call_answer (call, NULL);
}

static void
switch_to_parent_frame (Call *call)
{
  if (bh_webdriver_current_tab (call) != NULL)
    bh_webdriver_call_answer (call, NULL);
}

static JsonNode *
window_rect (BhTab *tab)
{
  JsonObject *value = json_object_new ();
  int width_px, height_px;
  double scale;

  bh_tab_get_viewport (tab, &width_px, &height_px, &scale);
  json_object_set_int_member (value, "x", 0);
  json_object_set_int_member (value, "y", 0);
  json_object_set_int_member (value, "width", (gint64) lround (width_px / scale));
  json_object_set_int_member (value, "height", (gint64) lround (height_px / scale));
  return bh_bidi_node_take_object (value);
}

static void
get_window_rect (Call *call)
{
  BhTab *tab = bh_webdriver_current_tab (call);

  if (tab != NULL)
    bh_webdriver_call_answer (call, window_rect (tab));
}

static void
resized_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  BhTab *tab;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    {
      bh_webdriver_call_fail (call, bh_webdriver_classic_error (error), message);
      return;
    }
  tab = bh_webdriver_current_tab (call);
  if (tab != NULL)
    bh_webdriver_call_answer (call, window_rect (tab));
}

/* The window is the page area (headless there is nothing else): its size
 * is the viewport's, through browsingContext.setViewport. */
static void
set_window_rect (Call *call)
{
  JsonNode *width = json_object_get_member (call->body, "width");
  JsonNode *height = json_object_get_member (call->body, "height");
  JsonObject *params;
  JsonObject *viewport;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  if (width == NULL || height == NULL || JSON_NODE_HOLDS_NULL (width) ||
      JSON_NODE_HOLDS_NULL (height))
    {
      BhTab *tab = bh_webdriver_current_tab (call);

      if (tab != NULL)
        bh_webdriver_call_answer (call, window_rect (tab));
      return;
    }
  params = json_object_new ();
  viewport = json_object_new ();
  json_object_set_member (viewport, "width", json_node_copy (width));
  json_object_set_member (viewport, "height", json_node_copy (height));
  json_object_set_string_member (params, "context", bh_webdriver_call_session (call)->context);
  json_object_set_object_member (params, "viewport", viewport);
  bh_webdriver_run_bidi (call, "browsingContext.setViewport", params, resized_cb);
}

/* Maximize, Minimize and Fullscreen Window: browser.setClientWindowState,
 * then the window's rect. */
static void
set_window_state (Call *call)
{
  JsonObject *params;
  const char *command = call->route.command;

  if (bh_webdriver_current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "clientWindow", BH_BIDI_CLIENT_WINDOW);
  json_object_set_string_member (params, "state", g_str_equal (command, "Maximize Window")   ? "maximized"
                                                  : g_str_equal (command, "Minimize Window") ? "minimized"
                                                                                             : "fullscreen");
  bh_webdriver_run_bidi (call, "browser.setClientWindowState", params, resized_cb);
}

/* User prompts (bh-bidi-prompts.c has the dialogs). */

static void
alert_command (Call *call)
{
  BhBidiServer *server = bh_webdriver_call_server (call);
  BhTab *tab = bh_webdriver_current_tab (call);
  const char *message, *command = call->route.command;
  guint kind;

  if (tab == NULL)
    return;
  if (!bh_bidi_server_get_prompt (server, tab, &kind, &message, NULL))
    {
      bh_webdriver_call_fail (call, ERROR_NO_SUCH_ALERT, "no prompt is open");
      return;
    }
  if (g_str_equal (command, "Get Alert Text"))
    bh_webdriver_call_answer (call, bh_webdriver_string_node (message));
  else if (g_str_equal (command, "Send Alert Text"))
    {
      const char *text = json_object_get_string_member_with_default (call->body, "text", NULL);

      if (text == NULL)
        bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"text\" must be a string");
      else if (kind != 2)
        bh_webdriver_call_fail (call, ERROR_ELEMENT_NOT_INTERACTABLE,
                                "only a prompt() takes text, not an alert() or confirm()");
      else
        {
          bh_bidi_server_set_prompt_text (server, tab, text);
          bh_webdriver_call_answer (call, NULL);
        }
    }
  else
    {
      bh_bidi_server_answer_prompt (server, tab, g_str_equal (command, "Accept Alert"), NULL);
      bh_webdriver_call_answer (call, NULL);
    }
}

/* WebDriver's "handle any user prompts", run before every command that
 * works on the current window: with a dialog open, the session's handler
 * answers it, and with "... and notify" (the default) or "ignore" the
 * command fails with "unexpected alert open". FALSE when it answered. */
static gboolean
handle_user_prompts (Call *call)
{
  static const char * const exempt[] = { "New Session", "Delete Session", "Status", "Get Timeouts",
                                         "Set Timeouts", "Get Window Handle", "Get Window Handles",
                                         "Switch To Window", "Dismiss Alert", "Accept Alert",
                                         "Get Alert Text", "Send Alert Text", NULL };
  BhBidiServer *server = bh_webdriver_call_server (call);
  Session *session = bh_webdriver_call_session (call);
  BhTab *tab = session != NULL && session->context != NULL
                 ? bh_bidi_server_find_tab (server, session->context)
                 : NULL;
  const BhBidiPromptBehavior *behavior = bh_bidi_server_get_prompt_behavior (server);
  g_autofree char *text = NULL;
  const char *message;
  guint kind;

  if (tab == NULL || g_strv_contains (exempt, call->route.command) ||
      !bh_bidi_server_get_prompt (server, tab, &kind, &message, NULL))
    return TRUE;
  text = g_strdup_printf ("a %s is open: %s", kind == 0 ? "alert" : kind == 1 ? "confirm" : "prompt",
                          message);
  if (behavior->set && behavior->by_kind[kind] != BH_BIDI_PROMPT_IGNORE)
    {
      bh_bidi_server_answer_prompt (server, tab, behavior->by_kind[kind] == BH_BIDI_PROMPT_ACCEPT, NULL);
      if (!behavior->notify)
        return TRUE;
    }
  bh_webdriver_call_fail (call, ERROR_UNEXPECTED_ALERT_OPEN, text);
  return FALSE;
}

static void
unsupported (Call *call)
{
  g_autofree char *message = g_strdup_printf ("Bulkhead does not support “%s” yet",
                                              call->route.command);

  bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION, message);
}

static const struct {
  const char *command;
  void (*func) (Call *call);
} commands[] = {
  { "New Session", new_session },
  { "Delete Session", delete_session },
  { "Status", status },
  { "Get Timeouts", get_timeouts },
  { "Set Timeouts", set_timeouts },
  { "Navigate To", navigate_to },
  { "Get Current URL", get_current_url },
  { "Back", back },
  { "Forward", forward },
  { "Refresh", refresh },
  { "Get Title", get_title },
  { "Get Window Handle", get_window_handle },
  { "Close Window", close_window },
  { "Switch To Window", switch_to_window },
  { "Get Window Handles", get_window_handles },
  { "New Window", new_window },
  { "Switch To Frame", switch_to_frame },
  { "Switch To Parent Frame", switch_to_parent_frame },
  { "Get Window Rect", get_window_rect },
  { "Set Window Rect", set_window_rect },
  { "Maximize Window", set_window_state },
  { "Minimize Window", set_window_state },
  { "Fullscreen Window", set_window_state },
  { "Find Element", bh_webdriver_find_element },
  { "Find Elements", bh_webdriver_find_element },
  { "Find Element From Element", bh_webdriver_find_element_from_element },
  { "Find Elements From Element", bh_webdriver_find_element_from_element },
  { "Is Element Selected", bh_webdriver_is_element_selected },
  { "Get Element Attribute", bh_webdriver_get_element_attribute },
  { "Get Element Property", bh_webdriver_get_element_property },
  { "Get Element Text", bh_webdriver_get_element_text },
  { "Get Element Tag Name", bh_webdriver_get_element_tag_name },
  { "Get Element Rect", bh_webdriver_get_element_rect },
  { "Is Element Enabled", bh_webdriver_is_element_enabled },
  { "Is Element Displayed", bh_webdriver_is_element_displayed },
  { "Element Click", bh_webdriver_element_click },
  { "Element Clear", bh_webdriver_element_clear },
  { "Element Send Keys", bh_webdriver_element_send_keys },
  { "Perform Actions", bh_webdriver_perform_actions },
  { "Release Actions", bh_webdriver_release_actions },
  { "Take Screenshot", bh_webdriver_take_screenshot },
  { "Take Element Screenshot", bh_webdriver_take_element_screenshot },
  { "Execute Script", bh_webdriver_execute_script },
  { "Get Page Source", bh_webdriver_get_page_source },
  { "Execute Async Script", bh_webdriver_execute_script },
  { "Get All Cookies", bh_webdriver_get_cookies },
  { "Get Named Cookie", bh_webdriver_get_cookies },
  { "Add Cookie", bh_webdriver_add_cookie },
  { "Delete Cookie", bh_webdriver_delete_cookies },
  { "Delete All Cookies", bh_webdriver_delete_cookies },
  { "Dismiss Alert", alert_command },
  { "Accept Alert", alert_command },
  { "Get Alert Text", alert_command },
  { "Send Alert Text", alert_command },
  { "Print Page", bh_webdriver_print_page },
};

/* WebDriver's page load strategy "normal": a command waits for a navigation
 * still loading in the current window (one a BiDi navigate with wait "none"
 * or a link started), as chromedriver does, so that a title or a URL read
 * right after is the new page's. However that navigation ends, the command
 * then runs. */
static void
page_loaded_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  g_clear_pointer (&result, json_node_unref);
  if (call->request->webdriver == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
      return;
    }
  call->func (call);
}

static void
page_waited_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  bh_bidi_command_return (command, NULL);
}

static gboolean
wait_for_page (Call *call)
{
  static const char * const immediate[] = { "New Session", "Delete Session", "Status",
                                            "Get Timeouts", "Set Timeouts", "Get Window Handles",
                                            "Switch To Window", "New Window", "Dismiss Alert",
                                            "Accept Alert", "Get Alert Text", "Send Alert Text",
                                            NULL };
  Session *session = bh_webdriver_call_session (call);
  BhBidiServer *server = bh_webdriver_call_server (call);
  BhTab *tab;
  guint64 serial;

  if (g_strv_contains (immediate, call->route.command) || session == NULL ||
      session->context == NULL)
    return FALSE;
  tab = bh_bidi_server_find_tab (server, session->context);
  if (tab == NULL || !bh_tab_is_loading (tab))
    return FALSE;
  serial = bh_bidi_server_navigation_serial (server, tab);
  if (serial == 0)
    return FALSE;
  bh_bidi_server_wait_navigation (server, bh_webdriver_carrier (call, page_loaded_cb), tab, serial - 1,
                                  BH_BIDI_WAIT_COMPLETE, page_waited_cb);
  return TRUE;
}

void
bh_webdriver_request_run (BhWebDriverRequest *request)
{
  g_autoptr (GError) error = NULL;
  Call *call;
  void (*func) (Call *call) = unsupported;
  BhWebDriverRouteResult found;

  if (request->answered)
    return;
  if (request->webdriver == NULL)
    {
      request_fail (request, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
      return;
    }
  call = g_new0 (Call, 1);
  g_ref_count_init (&call->ref_count);
  call->request = request_ref (request);
  found = bh_webdriver_route_parse (request->method, request->path, &call->route);
  if (found != BH_WEBDRIVER_ROUTE_FOUND)
    {
      g_autofree char *message = g_strdup_printf ("%s %s is not a WebDriver command",
                                                  request->method, request->path);

      bh_webdriver_call_fail (call, found == BH_WEBDRIVER_ROUTE_UNKNOWN_METHOD ? ERROR_UNKNOWN_METHOD
                                                                  : BH_BIDI_ERROR_UNKNOWN_COMMAND,
                 message);
      call_unref (call);
      return;
    }
  if (request->too_big)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "the body is longer than 1 MiB");
      call_unref (call);
      return;
    }
  if (request->body->len == 0)
    call->body = json_object_new ();
  else
    call->body = bh_bidi_json_object_decode ((const char *) request->body->data,
                                             request->body->len, &error);
  if (call->body == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, error->message);
      call_unref (call);
      return;
    }
  if (!g_str_equal (call->route.command, "New Session") &&
      !g_str_equal (call->route.command, "Status") && bh_webdriver_call_session (call) == NULL)
    {
      bh_webdriver_call_fail (call, BH_BIDI_ERROR_INVALID_SESSION_ID, "no such session");
      call_unref (call);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].command, call->route.command))
      func = commands[i].func;
  call->func = func;
  if (handle_user_prompts (call) && !wait_for_page (call))
    func (call);
  call_unref (call);
}
