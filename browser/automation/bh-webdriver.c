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
#include "bh-webdriver.h"

#include <math.h>
#include <string.h>

#include <gdk/gdk.h>

#include "bh-bidi-message.h"
#include "bh-bidi-server-private.h"
#include "bh-message.h"
#include "bh-renderer-host.h"
#include "bh-webdriver-route.h"

/* The key of a web element reference (https://w3c.github.io/webdriver/#elements). */
#define ELEMENT_KEY "element-6066-11e4-a52e-4f735466cecf"
/* One HTTP write: a socket buffer's worth. */
#define WRITE_CHUNK_BYTES (64 * 1024)

#define ERROR_NO_SUCH_WINDOW "no such window"
#define ERROR_NO_SUCH_ALERT "no such alert"
#define ERROR_UNKNOWN_METHOD "unknown method"
#define ERROR_ELEMENT_NOT_INTERACTABLE "element not interactable"

typedef struct {
  char *id;
  char *context;            /* the current top-level browsing context (window handle) */
  gint64 implicit_ms, page_load_ms, script_ms;
} Session;

struct _BhWebDriver {
  BhBidiServer *server;     /* not a reference: the server owns us */
  GHashTable *sessions;     /* id -> Session */
  GPtrArray *requests;      /* BhWebDriverRequest, not references: those in flight */
};

struct _BhWebDriverRequest {
  grefcount ref_count;
  BhWebDriver *webdriver;   /* NULL once the server is gone */
  struct lws *wsi;          /* NULL once the connection closed */
  char *method;
  char *path;
  GByteArray *body;
  gboolean too_big;
  gboolean answered;
  guint status;
  GBytes *answer;
  gboolean headers_written;
  gsize offset;
};

/* One command being carried out: what the handlers pass along. */
typedef struct _Call Call;
struct _Call {
  grefcount ref_count;
  BhWebDriverRequest *request; /* a reference */
  BhWebDriverRoute route;
  JsonObject *body;         /* {} when there was none */
  /* Kept between the steps of a command. */
  BhTab *tab;               /* a reference */
  guint node;
  guint64 serial;
  double x, y, width, height;
  void (*func) (Call *call);  /* the command, run once the page has loaded */
};

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
static const char *
classic_error (const char *bidi_error)
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

static BhBidiServer *
call_server (Call *call)
{
  return call->request->webdriver != NULL ? call->request->webdriver->server : NULL;
}

static Session *
call_session (Call *call)
{
  BhWebDriver *webdriver = call->request->webdriver;

  if (webdriver == NULL || call->route.session_id == NULL)
    return NULL;
  return g_hash_table_lookup (webdriver->sessions, call->route.session_id);
}

static void
call_fail (Call *call, const char *error, const char *message)
{
  request_fail (call->request, error, message);
}

static void
call_answer (Call *call, JsonNode *value)
{
  request_answer (call->request, 200, value);
}

/* A node holding @array, whose reference it takes. */
static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

/* The session's current window, or NULL having answered "no such window". */
static BhTab *
current_tab (Call *call)
{
  Session *session = call_session (call);
  BhTab *tab = session != NULL && session->context != NULL
                 ? bh_bidi_server_find_tab (call_server (call), session->context)
                 : NULL;

  if (tab == NULL)
    call_fail (call, ERROR_NO_SUCH_WINDOW, "the current window was closed");
  return tab;
}

/* A BiDi command on the call's behalf; @reply gets the call as its data. */
static void
run_bidi (Call *call, const char *method, JsonObject *params, BhBidiReplyFunc reply)
{
  g_autoptr (JsonObject) owned = params;
  BhBidiCommandFunc func = bh_bidi_command_lookup (method);
  BhBidiCommand *command;

  g_assert (func != NULL);
  command = bh_bidi_command_new_for_reply (call_server (call), method, params, reply,
                                           call_ref (call), (GDestroyNotify) call_unref);
  func (command);
}

/* A carrier for the element helpers, which take a command. */
static BhBidiCommand *
carrier (Call *call, BhBidiReplyFunc reply)
{
  return bh_bidi_command_new_for_reply (call_server (call), "classic", NULL, reply,
                                        call_ref (call), (GDestroyNotify) call_unref);
}

/* The generic answer: a BiDi error as a classic one, a result as "value"
 * (null for {}). */
static void
reply_null_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    call_fail (call, classic_error (error), message);
  else
    call_answer (call, NULL);
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
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"capabilities\" must be an object");
      return;
    }
  if (always != NULL && JSON_NODE_HOLDS_OBJECT (always))
    browser_name = json_object_get_string_member_with_default (json_node_get_object (always),
                                                               "browserName", NULL);
  if (browser_name != NULL && !g_str_equal (browser_name, "bulkhead"))
    {
      g_autofree char *message = g_strdup_printf ("this is bulkhead, not %s", browser_name);

      call_fail (call, BH_BIDI_ERROR_SESSION_NOT_CREATED, message);
      return;
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
  call_answer (call, bh_bidi_node_take_object (value));
}

static void
delete_session (Call *call)
{
  /* The browser stays up: it is not the driver's child, as Chrome is
   * chromedriver's. */
  g_hash_table_remove (call->request->webdriver->sessions, call->route.session_id);
  call_answer (call, NULL);
}

static void
status (Call *call)
{
  JsonObject *value = json_object_new ();

  json_object_set_boolean_member (value, "ready", TRUE);
  json_object_set_string_member (value, "message", "Bulkhead is ready for new sessions");
  call_answer (call, bh_bidi_node_take_object (value));
}

static void
get_timeouts (Call *call)
{
  Session *session = call_session (call);
  JsonObject *value = json_object_new ();

  json_object_set_int_member (value, "implicit", session->implicit_ms);
  json_object_set_int_member (value, "pageLoad", session->page_load_ms);
  json_object_set_int_member (value, "script", session->script_ms);
  call_answer (call, bh_bidi_node_take_object (value));
}

static void
set_timeouts (Call *call)
{
  Session *session = call_session (call);
  static const char * const names[] = { "implicit", "pageLoad", "script" };
  gint64 *fields[] = { &session->implicit_ms, &session->page_load_ms, &session->script_ms };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = json_object_get_member (call->body, names[i]);

      if (node == NULL || (i == 2 && JSON_NODE_HOLDS_NULL (node)))
        continue;
      if (json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
        {
          call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT,
                     "timeouts must be whole numbers of milliseconds");
          return;
        }
      *fields[i] = json_node_get_int (node);
    }
  call_answer (call, NULL);
}

/* Navigation. */

static void
navigate_to (Call *call)
{
  BhTab *tab = current_tab (call);
  const char *url = json_object_get_string_member_with_default (call->body, "url", NULL);
  JsonObject *params;

  if (tab == NULL)
    return;
  if (url == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"url\" must be a string");
      return;
    }
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_string_member (params, "url", url);
  json_object_set_string_member (params, "wait", "complete");
  run_bidi (call, "browsingContext.navigate", params, reply_null_cb);
}

static void
get_current_url (Call *call)
{
  BhTab *tab = current_tab (call);
  const char *uri;

  if (tab == NULL)
    return;
  uri = bh_tab_get_uri (tab);
  call_answer (call, string_node (*uri != '\0' ? uri : "about:blank"));
}

static void
traversed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  /* Back with nothing behind is a no-op for WebDriver, not an error. */
  if (error != NULL && g_str_equal (error, BH_BIDI_ERROR_NO_SUCH_HISTORY_ENTRY))
    error = NULL;
  reply_null_cb (data, result, error, message);
}

static void
traverse (Call *call, int delta)
{
  JsonObject *params;

  if (current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_int_member (params, "delta", delta);
  run_bidi (call, "browsingContext.traverseHistory", params, traversed_cb);
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

  if (current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_string_member (params, "wait", "complete");
  run_bidi (call, "browsingContext.reload", params, reply_null_cb);
}

static void
get_title (Call *call)
{
  BhTab *tab = current_tab (call);

  if (tab != NULL)
    call_answer (call, string_node (bh_tab_get_title (tab)));
}

/* Windows: every tab is a top-level browsing context, its handle its
 * context id. */

static void
get_window_handle (Call *call)
{
  if (current_tab (call) != NULL)
    call_answer (call, string_node (call_session (call)->context));
}

static JsonNode *
window_handles (Call *call)
{
  GListModel *tabs = bh_browser_get_tabs (bh_bidi_server_get_browser (call_server (call)));
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);
      g_autofree char *context = bh_bidi_context_for_tab (tab);

      json_array_add_string_element (array, context);
    }
  return array_node (array);
}

static void
get_window_handles (Call *call)
{
  call_answer (call, window_handles (call));
}

static void
closed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    {
      call_fail (call, classic_error (error), message);
      return;
    }
  call_answer (call, window_handles (call));
}

static void
close_window (Call *call)
{
  JsonObject *params;

  if (current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  run_bidi (call, "browsingContext.close", params, closed_cb);
}

static void
switch_to_window (Call *call)
{
  const char *handle = json_object_get_string_member_with_default (call->body, "handle", NULL);
  Session *session = call_session (call);

  if (handle == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"handle\" must be a string");
      return;
    }
  if (bh_bidi_server_find_tab (call_server (call), handle) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("no window “%s”", handle);

      call_fail (call, ERROR_NO_SUCH_WINDOW, message);
      return;
    }
  g_free (session->context);
  session->context = g_strdup (handle);
  call_answer (call, NULL);
}

static void
created_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  JsonObject *value;
  const char *context;

  if (error != NULL)
    {
      call_fail (call, classic_error (error), message);
      return;
    }
  context = json_object_get_string_member (json_node_get_object (result), "context");
  value = json_object_new ();
  json_object_set_string_member (value, "handle", context);
  json_object_set_string_member (value, "type",
                                 json_object_get_string_member_with_default (call->body, "type",
                                                                             "tab"));
  call_answer (call, bh_bidi_node_take_object (value));
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
  run_bidi (call, "browsingContext.create", params, created_cb);
}

static void
switch_to_frame (Call *call)
{
  JsonNode *id = json_object_get_member (call->body, "id");

  if (current_tab (call) == NULL)
    return;
  /* Tabs have no child frames: only the top-level one can be chosen. */
  if (id == NULL || !JSON_NODE_HOLDS_NULL (id))
    {
      call_fail (call, BH_BIDI_ERROR_NO_SUCH_FRAME, "the page has no frames");
      return;
    }
  call_answer (call, NULL);
}

static void
switch_to_parent_frame (Call *call)
{
  if (current_tab (call) != NULL)
    call_answer (call, NULL);
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
  BhTab *tab = current_tab (call);

  if (tab != NULL)
    call_answer (call, window_rect (tab));
}

static void
resized_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  BhTab *tab;

  g_clear_pointer (&result, json_node_unref);
  if (error != NULL)
    {
      call_fail (call, classic_error (error), message);
      return;
    }
  tab = current_tab (call);
  if (tab != NULL)
    call_answer (call, window_rect (tab));
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

  if (current_tab (call) == NULL)
    return;
  if (width == NULL || height == NULL || JSON_NODE_HOLDS_NULL (width) ||
      JSON_NODE_HOLDS_NULL (height))
    {
      BhTab *tab = current_tab (call);

      if (tab != NULL)
        call_answer (call, window_rect (tab));
      return;
    }
  params = json_object_new ();
  viewport = json_object_new ();
  json_object_set_member (viewport, "width", json_node_copy (width));
  json_object_set_member (viewport, "height", json_node_copy (height));
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_object_member (params, "viewport", viewport);
  run_bidi (call, "browsingContext.setViewport", params, resized_cb);
}

/* Elements. */

static JsonNode *
element_node (BhTab *tab, guint node)
{
  g_autofree char *ref = bh_bidi_element_ref (tab, node);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, ELEMENT_KEY, ref);
  return bh_bidi_node_take_object (object);
}

static void
found_cb (BhBidiCommand *command, BhTab *tab, GArray *nodes, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;
  gboolean all = g_str_equal (call->route.command, "Find Elements");

  if (error != NULL)
    {
      call_fail (call, bh_bidi_query_error (error), error->message);
      return;
    }
  if (all)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < nodes->len; i++)
        json_array_add_element (array,
                                element_node (tab, g_array_index (nodes, BhLocatedNode, i).node));
      call_answer (call, array_node (array));
      return;
    }
  if (nodes->len == 0)
    {
      call_fail (call, BH_BIDI_ERROR_NO_SUCH_ELEMENT, "no element matches the selector");
      return;
    }
  call_answer (call, element_node (tab, g_array_index (nodes, BhLocatedNode, 0).node));
}

static void
find_element (Call *call)
{
  BhTab *tab = current_tab (call);
  const char *using = json_object_get_string_member_with_default (call->body, "using", NULL);
  const char *value = json_object_get_string_member_with_default (call->body, "value", NULL);
  gboolean all = g_str_equal (call->route.command, "Find Elements");

  if (tab == NULL)
    return;
  if (using == NULL || value == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"using\" and \"value\" must be strings");
      return;
    }
  if (!g_str_equal (using, "css selector") && !g_str_equal (using, "tag name"))
    {
      static const char * const strategies[] = { "link text", "partial link text", "xpath",
                                                 NULL };
      g_autofree char *message = g_strdup_printf ("the %s strategy is %s", using,
                                                  g_strv_contains (strategies, using)
                                                    ? "not supported (css selector and tag name are)"
                                                    : "not a location strategy");

      call_fail (call, g_strv_contains (strategies, using) ? BH_BIDI_ERROR_UNSUPPORTED_OPERATION
                                                           : BH_BIDI_ERROR_INVALID_ARGUMENT,
                 message);
      return;
    }
  bh_bidi_locate (carrier (call, reply_null_cb), tab, value, all ? BH_MAX_LOCATED_NODES : 1,
                  found_cb);
}

/* The element of the path, or NULL having answered why not. */
static BhTab *
path_element (Call *call)
{
  BhTab *current = current_tab (call);
  const char *error = NULL;
  BhTab *tab;

  if (current == NULL)
    return NULL;
  tab = bh_bidi_element_lookup (call_server (call), call->route.element_id, &call->node, &error);
  if (tab == NULL || tab != current)
    {
      call_fail (call,
                 tab == NULL && g_str_equal (error, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE)
                   ? BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE
                   : BH_BIDI_ERROR_NO_SUCH_ELEMENT,
                 "the element is not in the current window's document");
      return NULL;
    }
  g_set_object (&call->tab, tab);
  return tab;
}

static void
text_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;

  if (error != NULL)
    {
      call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  if (value == NULL && (g_str_equal (call->route.command, "Get Element Text") ||
                        g_str_equal (call->route.command, "Get Element Tag Name")))
    {
      call_fail (call, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE, "the element is gone");
      return;
    }
  call_answer (call, value != NULL ? string_node (value) : NULL);
}

static void
query_element (Call *call, const char *what)
{
  BhTab *tab = path_element (call);

  if (tab != NULL)
    bh_bidi_query (carrier (call, reply_null_cb), tab, call->node, what, text_cb);
}

static void
get_element_text (Call *call)
{
  query_element (call, "text");
}

static void
get_element_tag_name (Call *call)
{
  query_element (call, "tag");
}

static void
get_element_attribute (Call *call)
{
  g_autofree char *what = g_strconcat ("attribute:", call->route.name, NULL);

  query_element (call, what);
}

static void
get_element_property (Call *call)
{
  g_autofree char *what = g_strconcat ("property:", call->route.name, NULL);

  query_element (call, what);
}

/* The element's rectangle, then @next. */
typedef void (*RectFunc) (Call *call);

static void
rect_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;
  RectFunc next = command->state;

  if (call->request->webdriver == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
      return;
    }
  if (error != NULL)
    {
      call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  if (!bh_bidi_parse_rect (value, &call->x, &call->y, &call->width, &call->height))
    {
      call_fail (call, BH_BIDI_ERROR_STALE_ELEMENT_REFERENCE, "the element is gone");
      return;
    }
  next (call);
}

static void
with_rect (Call *call, RectFunc next)
{
  BhTab *tab = path_element (call);
  BhBidiCommand *command;

  if (tab == NULL)
    return;
  command = carrier (call, reply_null_cb);
  command->state = (gpointer) next;
  bh_bidi_query (command, tab, call->node, "rect", rect_cb);
}

static void
answer_rect (Call *call)
{
  JsonObject *value = json_object_new ();

  json_object_set_double_member (value, "x", call->x);
  json_object_set_double_member (value, "y", call->y);
  json_object_set_double_member (value, "width", call->width);
  json_object_set_double_member (value, "height", call->height);
  call_answer (call, bh_bidi_node_take_object (value));
}

static void
get_element_rect (Call *call)
{
  with_rect (call, answer_rect);
}

static void
answer_displayed (Call *call)
{
  call_answer (call, json_node_init_boolean (json_node_alloc (),
                                             call->width > 0 && call->height > 0));
}

static void
is_element_displayed (Call *call)
{
  with_rect (call, answer_displayed);
}

static void
is_element_enabled (Call *call)
{
  if (path_element (call) != NULL)
    call_answer (call, json_node_init_boolean (json_node_alloc (), TRUE));
}

static void
is_element_selected (Call *call)
{
  if (path_element (call) != NULL)
    call_answer (call, json_node_init_boolean (json_node_alloc (), FALSE));
}

/* After input: the renderer handles messages in order, so by the time it
 * answers a query sent after the input, whatever the input made it ask
 * (OpenURL for a link) has reached the browser, and a navigation it started
 * has begun. WebDriver then waits for that navigation to load. */
static void
settled_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  reply_null_cb (data, result, error, message);
}

static void
navigated_cb (BhBidiCommand *command, BhTab *tab, const char *navigation)
{
  bh_bidi_command_return (command, NULL);
}

static void
fence_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  Call *call = command->reply_data;
  BhBidiServer *server = call_server (call);

  if (server != NULL && bh_bidi_server_navigation_serial (server, tab) != call->serial)
    {
      bh_bidi_server_wait_navigation (server, command, tab, call->serial, BH_BIDI_WAIT_COMPLETE,
                                      navigated_cb);
      return;
    }
  bh_bidi_command_return (command, NULL);
}

static void
after_input (Call *call)
{
  bh_bidi_query (carrier (call, settled_cb), call->tab, call->node, "tag", fence_cb);
}

static void
click_at_rect (Call *call)
{
  if (call->width <= 0 && call->height <= 0)
    {
      call_fail (call, ERROR_ELEMENT_NOT_INTERACTABLE, "the element has no box on the page");
      return;
    }
  call->serial = bh_bidi_server_navigation_serial (call_server (call), call->tab);
  bh_bidi_click (call->tab, call->x + call->width / 2, call->y + call->height / 2, 1);
  after_input (call);
}

static void
element_click (Call *call)
{
  with_rect (call, click_at_rect);
}

static void
type_at_rect (Call *call)
{
  const char *text = json_object_get_string_member_with_default (call->body, "text", NULL);

  if (call->width <= 0 && call->height <= 0)
    {
      call_fail (call, ERROR_ELEMENT_NOT_INTERACTABLE, "the element has no box on the page");
      return;
    }
  call->serial = bh_bidi_server_navigation_serial (call_server (call), call->tab);
  /* Focus it as a click would, then one KeyEvent per character. */
  bh_bidi_click (call->tab, call->x + call->width / 2, call->y + call->height / 2, 1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      char one[8] = { 0 };
      guint keyval;

      g_unichar_to_utf8 (g_utf8_get_char (p), one);
      keyval = bh_bidi_keyval_for (one);
      if (keyval != 0 && keyval != GDK_KEY_VoidSymbol)
        bh_tab_send_key (call->tab, keyval, 0);
    }
  after_input (call);
}

static void
element_send_keys (Call *call)
{
  const char *text = json_object_get_string_member_with_default (call->body, "text", NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"text\" must be a string");
      return;
    }
  with_rect (call, type_at_rect);
}

static void
clear_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  g_autoptr (BhBidiCommand) owned = command;
  Call *call = command->reply_data;

  if (error != NULL)
    {
      call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, error->message);
      return;
    }
  /* Only form fields can be cleared; the renderer has no editing, so an
   * input's value is its value attribute and stays as it is. */
  if (value == NULL || (!g_str_equal (value, "input") && !g_str_equal (value, "textarea")))
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ELEMENT_STATE, "only a form field can be cleared");
      return;
    }
  call_answer (call, NULL);
}

static void
element_clear (Call *call)
{
  BhTab *tab = path_element (call);

  if (tab != NULL)
    bh_bidi_query (carrier (call, reply_null_cb), tab, call->node, "tag", clear_cb);
}

/* Screenshots. */

static void
screenshot_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;

  if (error != NULL)
    {
      call_fail (call, classic_error (error), message);
      return;
    }
  call_answer (call, string_node (json_object_get_string_member (json_node_get_object (result),
                                                                 "data")));
  json_node_unref (result);
}

static void
take_screenshot (Call *call)
{
  JsonObject *params;

  if (current_tab (call) == NULL)
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  run_bidi (call, "browsingContext.captureScreenshot", params, screenshot_cb);
}

static void
element_screenshot_at_rect (Call *call)
{
  JsonObject *params = json_object_new ();
  JsonObject *clip = json_object_new ();

  json_object_set_string_member (clip, "type", "box");
  json_object_set_double_member (clip, "x", call->x);
  json_object_set_double_member (clip, "y", call->y);
  json_object_set_double_member (clip, "width", call->width);
  json_object_set_double_member (clip, "height", call->height);
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_string_member (params, "origin", "document");
  json_object_set_object_member (params, "clip", clip);
  run_bidi (call, "browsingContext.captureScreenshot", params, screenshot_cb);
}

static void
take_element_screenshot (Call *call)
{
  with_rect (call, element_screenshot_at_rect);
}

/* Actions: classic's shape is BiDi's but for element origins, which are
 * web element references; they become BiDi's shared references. */
static void
perform_actions (Call *call)
{
  JsonNode *actions = json_object_get_member (call->body, "actions");
  JsonObject *params;
  JsonNode *copy;

  if (current_tab (call) == NULL)
    return;
  if (actions == NULL || !JSON_NODE_HOLDS_ARRAY (actions))
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"actions\" must be an array");
      return;
    }
  copy = json_node_copy (actions);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (copy)); i++)
    {
      JsonNode *source = json_array_get_element (json_node_get_array (copy), i);
      JsonNode *list = JSON_NODE_HOLDS_OBJECT (source)
                         ? json_object_get_member (json_node_get_object (source), "actions")
                         : NULL;

      for (guint j = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                        j < json_array_get_length (json_node_get_array (list));
           j++)
        {
          JsonNode *action = json_array_get_element (json_node_get_array (list), j);
          JsonNode *origin = JSON_NODE_HOLDS_OBJECT (action)
                               ? json_object_get_member (json_node_get_object (action), "origin")
                               : NULL;
          const char *ref;
          JsonObject *element;
          JsonObject *bidi_origin;

          if (origin == NULL || !JSON_NODE_HOLDS_OBJECT (origin))
            continue;
          ref = json_object_get_string_member_with_default (json_node_get_object (origin),
                                                            ELEMENT_KEY, NULL);
          if (ref == NULL)
            continue;
          element = json_object_new ();
          json_object_set_string_member (element, "sharedId", ref);
          bidi_origin = json_object_new ();
          json_object_set_string_member (bidi_origin, "type", "element");
          json_object_set_object_member (bidi_origin, "element", element);
          json_object_set_object_member (json_node_get_object (action), "origin", bidi_origin);
        }
    }
  params = json_object_new ();
  json_object_set_string_member (params, "context", call_session (call)->context);
  json_object_set_member (params, "actions", copy);
  run_bidi (call, "input.performActions", params, reply_null_cb);
}

static void
release_actions (Call *call)
{
  if (current_tab (call) != NULL)
    call_answer (call, NULL);
}

/* Cookies: those of the current page's URL, in the profile's jar (the
 * same one BiDi's storage module reads and the fetcher sends). */

static gboolean
page_cookie_filter (Call *call, BhCookieFilter *filter, BhCookieJar **out_jar)
{
  BhTab *tab = current_tab (call);
  const char *uri;
  const char *scheme;

  *filter = (BhCookieFilter) BH_COOKIE_FILTER_ALL;
  if (tab == NULL)
    return FALSE;
  uri = bh_tab_get_uri (tab);
  scheme = g_uri_peek_scheme (uri);
  if (scheme == NULL || (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https")))
    {
      call_fail (call, "invalid cookie domain", "the page is not an http or https page");
      return FALSE;
    }
  *out_jar = bh_bidi_server_get_cookie_jar (call_server (call));
  if (*out_jar == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION, "the browser has no cookie jar");
      return FALSE;
    }
  filter->url = uri;
  filter->name = call->route.name;
  return TRUE;
}

static void
get_cookies (Call *call)
{
  BhCookieFilter filter;
  BhCookieJar *jar;
  g_autoptr (GPtrArray) cookies = NULL;
  gboolean named = call->route.name != NULL;
  JsonArray *array;

  if (!page_cookie_filter (call, &filter, &jar))
    return;
  cookies = bh_cookie_jar_get_cookies (jar, &filter);
  if (named)
    {
      if (cookies->len == 0)
        {
          call_fail (call, BH_BIDI_ERROR_NO_SUCH_COOKIE, "the page has no cookie of that name");
          return;
        }
      call_answer (call, bh_bidi_node_take_object (
                           bh_bidi_cookie_to_json (g_ptr_array_index (cookies, 0), TRUE)));
      return;
    }
  array = json_array_new ();
  for (guint i = 0; i < cookies->len; i++)
    json_array_add_object_element (array,
                                   bh_bidi_cookie_to_json (g_ptr_array_index (cookies, i), TRUE));
  call_answer (call, array_node (array));
}

static void
add_cookie (Call *call)
{
  JsonNode *node = json_object_get_member (call->body, "cookie");
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  BhCookieFilter filter;
  BhCookieJar *jar;
  BhCookie cookie = { 0 };
  gboolean stored;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "\"cookie\" must be an object");
      return;
    }
  if (!page_cookie_filter (call, &filter, &jar))
    return;
  uri = g_uri_parse (filter.url, G_URI_FLAGS_NONE, NULL);
  stored = uri != NULL &&
           bh_bidi_cookie_from_json (json_node_get_object (node), TRUE, g_uri_get_host (uri),
                                     &cookie, &reason) &&
           bh_cookie_jar_set_cookie (jar, &cookie, &error);
  if (!stored)
    call_fail (call, reason != NULL ? BH_BIDI_ERROR_INVALID_ARGUMENT
                                    : BH_BIDI_ERROR_UNABLE_TO_SET_COOKIE,
               reason != NULL ? reason : error != NULL ? error->message : "not a page URL");
  else
    call_answer (call, NULL);
  g_free (cookie.name);
  g_free (cookie.value);
  g_free (cookie.domain);
  g_free (cookie.path);
}

static void
delete_cookies (Call *call)
{
  BhCookieFilter filter;
  BhCookieJar *jar;

  if (!page_cookie_filter (call, &filter, &jar))
    return;
  bh_cookie_jar_delete (jar, &filter);
  call_answer (call, NULL);
}

/* Execute Script: the body becomes a function called with the arguments,
 * through bh_bidi_script_call(); classic JSON goes in as BiDi LocalValues
 * and comes back from RemoteValues. */

static JsonNode *
local_value (JsonNode *node)
{
  JsonObject *value = json_object_new ();

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      json_object_set_string_member (value, "type", "null");
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *items = json_array_new ();
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (items, local_value (json_array_get_element (array, i)));
        json_object_set_string_member (value, "type", "array");
        json_object_set_array_member (value, "value", items);
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        const char *ref = json_object_get_string_member_with_default (object, ELEMENT_KEY, NULL);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        JsonArray *pairs;

        if (ref != NULL)
          {
            json_object_set_string_member (value, "sharedId", ref);
            break;
          }
        pairs = json_array_new ();
        json_object_iter_init (&iter, object);
        while (json_object_iter_next (&iter, &name, &member))
          {
            JsonArray *pair = json_array_new ();

            json_array_add_string_element (pair, name);
            json_array_add_element (pair, local_value (member));
            json_array_add_array_element (pairs, pair);
          }
        json_object_set_string_member (value, "type", "object");
        json_object_set_array_member (value, "value", pairs);
      }
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        json_object_set_string_member (value, "type",
                                       type == G_TYPE_STRING    ? "string"
                                       : type == G_TYPE_BOOLEAN ? "boolean"
                                                                : "number");
        json_object_set_member (value, "value", json_node_copy (node));
      }
      break;
    }
  return bh_bidi_node_take_object (value);
}

/* A RemoteValue as classic JSON (https://w3c.github.io/webdriver/#dfn-clone-an-object). */
static JsonNode *
classic_value (JsonObject *remote)
{
  const char *type = json_object_get_string_member_with_default (remote, "type", "undefined");
  JsonNode *value = json_object_get_member (remote, "value");

  if (g_str_equal (type, "string") || g_str_equal (type, "boolean") ||
      g_str_equal (type, "number") || g_str_equal (type, "date") || g_str_equal (type, "bigint"))
    return value != NULL ? json_node_copy (value) : json_node_init_null (json_node_alloc ());
  if ((g_str_equal (type, "array") || g_str_equal (type, "set") ||
       g_str_equal (type, "nodelist") || g_str_equal (type, "htmlcollection")) &&
      value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *items = json_array_new ();
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          json_array_add_element (items, JSON_NODE_HOLDS_OBJECT (item)
                                           ? classic_value (json_node_get_object (item))
                                           : json_node_init_null (json_node_alloc ()));
        }
      return array_node (items);
    }
  if ((g_str_equal (type, "object") || g_str_equal (type, "map")) && value != NULL &&
      JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonObject *object = json_object_new ();
      JsonArray *pairs = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (pairs); i++)
        {
          JsonNode *pair = json_array_get_element (pairs, i);
          JsonArray *kv = JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL;
          JsonNode *key = kv != NULL && json_array_get_length (kv) == 2
                            ? json_array_get_element (kv, 0)
                            : NULL;
          JsonNode *item = key != NULL ? json_array_get_element (kv, 1) : NULL;

          if (key == NULL || json_node_get_value_type (key) != G_TYPE_STRING ||
              !JSON_NODE_HOLDS_OBJECT (item))
            continue;
          json_object_set_member (object, json_node_get_string (key),
                                  classic_value (json_node_get_object (item)));
        }
      return bh_bidi_node_take_object (object);
    }
  if (g_str_equal (type, "node"))
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, ELEMENT_KEY,
                                     json_object_get_string_member_with_default (remote, "sharedId",
                                                                                 ""));
      return bh_bidi_node_take_object (object);
    }
  return json_node_init_null (json_node_alloc ());
}

static void
executed_cb (gpointer data, JsonNode *result, const char *error, const char *message)
{
  Call *call = data;
  JsonObject *object;
  const char *type;

  if (error != NULL)
    {
      call_fail (call, classic_error (error), message);
      return;
    }
  object = json_node_get_object (result);
  type = json_object_get_string_member_with_default (object, "type", "");
  if (g_str_equal (type, "success") && json_object_has_member (object, "result"))
    call_answer (call, classic_value (json_object_get_object_member (object, "result")));
  else
    {
      JsonObject *details = json_object_has_member (object, "exceptionDetails")
                              ? json_object_get_object_member (object, "exceptionDetails")
                              : NULL;

      call_fail (call, "javascript error",
                 details != NULL ? json_object_get_string_member_with_default (details, "text",
                                                                               "an exception")
                                 : "an exception");
    }
  json_node_unref (result);
}

static void
execute_script (Call *call)
{
  BhTab *tab = current_tab (call);
  const char *script = json_object_get_string_member_with_default (call->body, "script", NULL);
  JsonNode *args = json_object_get_member (call->body, "args");
  gboolean async = g_str_equal (call->route.command, "Execute Async Script");
  g_autoptr (JsonNode) locals = NULL;
  g_autoptr (GBytes) text = NULL;
  g_autofree char *arguments_json = NULL;
  g_autofree char *source = NULL;

  if (tab == NULL)
    return;
  if (script == NULL || args == NULL || !JSON_NODE_HOLDS_ARRAY (args))
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT,
                 "\"script\" must be a string and \"args\" an array");
      return;
    }
  locals = local_value (args);
  text = bh_bidi_to_bytes (json_object_get_member (json_node_get_object (locals), "value"));
  arguments_json = g_strndup (g_bytes_get_data (text, NULL), g_bytes_get_size (text));
  /* The spec's "execute a function body": the body with the arguments as
   * `arguments`; async, with a callback last that settles the answer. */
  source = async ? g_strdup_printf ("function () { const args = Array.prototype.slice.call (arguments); "
                                    "return new Promise ((resolve) => { args.push (resolve); "
                                    "(function () {\n%s\n}).apply (null, args); }); }",
                                    script)
                 : g_strdup_printf ("function () {\n%s\n}", script);
  bh_bidi_script_call (carrier (call, executed_cb), tab, source, arguments_json, TRUE, TRUE);
}

/* What Bulkhead does not have (yet). */

static void
no_alert (Call *call)
{
  /* Without JavaScript a page cannot open a prompt. */
  if (current_tab (call) != NULL)
    call_fail (call, ERROR_NO_SUCH_ALERT, "no prompt is open");
}

static void
unsupported (Call *call)
{
  g_autofree char *message = g_strdup_printf ("Bulkhead does not support “%s” yet",
                                              call->route.command);

  call_fail (call, BH_BIDI_ERROR_UNSUPPORTED_OPERATION, message);
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
  { "Find Element", find_element },
  { "Find Elements", find_element },
  { "Is Element Selected", is_element_selected },
  { "Get Element Attribute", get_element_attribute },
  { "Get Element Property", get_element_property },
  { "Get Element Text", get_element_text },
  { "Get Element Tag Name", get_element_tag_name },
  { "Get Element Rect", get_element_rect },
  { "Is Element Enabled", is_element_enabled },
  { "Is Element Displayed", is_element_displayed },
  { "Element Click", element_click },
  { "Element Clear", element_clear },
  { "Element Send Keys", element_send_keys },
  { "Perform Actions", perform_actions },
  { "Release Actions", release_actions },
  { "Take Screenshot", take_screenshot },
  { "Take Element Screenshot", take_element_screenshot },
  { "Execute Script", execute_script },
  { "Execute Async Script", execute_script },
  { "Get All Cookies", get_cookies },
  { "Get Named Cookie", get_cookies },
  { "Add Cookie", add_cookie },
  { "Delete Cookie", delete_cookies },
  { "Delete All Cookies", delete_cookies },
  { "Dismiss Alert", no_alert },
  { "Accept Alert", no_alert },
  { "Get Alert Text", no_alert },
  { "Send Alert Text", no_alert },
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
      call_fail (call, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
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
                                            "Switch To Window", "New Window", NULL };
  Session *session = call_session (call);
  BhBidiServer *server = call_server (call);
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
  bh_bidi_server_wait_navigation (server, carrier (call, page_loaded_cb), tab, serial - 1,
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

      call_fail (call, found == BH_WEBDRIVER_ROUTE_UNKNOWN_METHOD ? ERROR_UNKNOWN_METHOD
                                                                  : BH_BIDI_ERROR_UNKNOWN_COMMAND,
                 message);
      call_unref (call);
      return;
    }
  if (request->too_big)
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, "the body is longer than 1 MiB");
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
      call_fail (call, BH_BIDI_ERROR_INVALID_ARGUMENT, error->message);
      call_unref (call);
      return;
    }
  if (!g_str_equal (call->route.command, "New Session") &&
      !g_str_equal (call->route.command, "Status") && call_session (call) == NULL)
    {
      call_fail (call, BH_BIDI_ERROR_INVALID_SESSION_ID, "no such session");
      call_unref (call);
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].command, call->route.command))
      func = commands[i].func;
  call->func = func;
  if (!wait_for_page (call))
    func (call);
  call_unref (call);
}
