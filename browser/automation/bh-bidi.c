/* bh-bidi.c: the WebDriver BiDi server: the GObject, the lws protocol with
 * its handshake checks, and closing the browser. What it is made of is
 * listed in bh-bidi-server-private.h.
 */
#include "bh-bidi-server-private.h"
#include "bh-bidi-message.h"

#include <string.h>
#include <sys/socket.h>

#include "bh-lws.h"
#include "bh-net-observer.h"
#include "bh-webdriver.h"
#include "bh-webdriver-route.h"

G_DEFINE_FINAL_TYPE (BhBidiServer, bh_bidi_server, G_TYPE_OBJECT)

enum {
  SIGNAL_TAB_CREATED,
  SIGNAL_ACTIVATE_TAB,
  SIGNAL_CLOSE_TAB,
  SIGNAL_CLOSE_REQUESTED,
  SIGNAL_SET_WINDOW_STATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The lws protocol. */

static BhBidiServer *
server_for_wsi (struct lws *wsi)
{
  Listener *listener = lws_vhost_user (lws_get_vhost (wsi));

  return listener != NULL ? listener->server : NULL;
}

/* Handshakes: DNS-rebinding and cross-site defences, as Chromium's DevTools
 * server has them (content/browser/devtools/devtools_http_handler.cc).
 * Whatever can reach the port may drive the browser, so a handshake is
 * refused unless it is plainly a local automation client's. */

/* The Host header a client that connected to this port itself sends. A
 * page whose name an attacker's DNS rebinds to 127.0.0.1 sends its own. */
static gboolean
host_is_loopback (const char *host, int port)
{
  g_autofree char *ipv4 = g_strdup_printf ("127.0.0.1:%d", port);
  g_autofree char *name = g_strdup_printf ("localhost:%d", port);
  g_autofree char *ipv6 = g_strdup_printf ("[::1]:%d", port);

  return g_str_equal (host, ipv4) || g_ascii_strcasecmp (host, name) == 0 ||
         g_str_equal (host, ipv6);
}

/* An Origin header is what a web page's WebSocket carries, an automation
 * client's none. Present (an empty one too), it must be allowed by name or
 * by "*". lws joins repeated headers with commas, so two Origin headers
 * never match one allowed origin. */
static gboolean
origin_is_allowed (BhBidiServer *self, const char *origin)
{
  g_autofree char *lower = g_ascii_strdown (origin, -1);

  if (self->allowed_origins == NULL)
    return FALSE;
  return g_strv_contains ((const char * const *) self->allowed_origins, "*") ||
         (*lower != '\0' && g_strv_contains ((const char * const *) self->allowed_origins, lower));
}

/* Copies a request header whole; %NULL when it is absent, "" when it is
 * there but empty (lws_hdr_copy() cannot tell those apart), and %NULL with
 * *too_long when it does not fit @max_bytes. */
static char *
copy_request_header (struct lws *wsi, enum lws_token_indexes token, gsize max_bytes,
                     gboolean *too_long)
{
  g_autofree char *value = g_malloc (max_bytes + 1);
  int length;

  *too_long = FALSE;
  /* An empty header has a fragment of length 0; an absent one none. */
  if (lws_hdr_copy_fragment (wsi, value, (int) max_bytes + 1, token, 0) < 0 &&
      lws_hdr_total_length (wsi, token) == 0)
    return NULL;
  length = lws_hdr_copy (wsi, value, (int) max_bytes + 1, token);
  if (length < 0)
    {
      *too_long = TRUE;
      return NULL;
    }
  value[length] = '\0';
  return g_steal_pointer (&value);
}

/* Why a request (a WebSocket handshake or a classic WebDriver request) is
 * refused, or %NULL to take it: the Host and Origin checks. */
static char *
request_refusal (BhBidiServer *self, struct lws *wsi)
{
  g_autofree char *host = NULL;
  g_autofree char *origin = NULL;
  gboolean too_long = FALSE;

  host = copy_request_header (wsi, WSI_TOKEN_HOST, 256, &too_long);
  if (host == NULL || !host_is_loopback (host, self->port))
    {
      g_autofree char *shown = host != NULL ? g_strescape (host, NULL) : NULL;

      return g_strdup_printf ("The Host header is %s%s%s, not 127.0.0.1:%d, localhost:%d or "
                              "[::1]:%d (a page whose name resolves to this machine cannot "
                              "drive the browser).",
                              shown != NULL ? "“" : "", shown != NULL ? shown : "missing",
                              shown != NULL ? "”" : "", self->port, self->port, self->port);
    }

  origin = copy_request_header (wsi, WSI_TOKEN_ORIGIN, 1024, &too_long);
  if (too_long)
    return g_strdup ("The Origin header is longer than any origin.");
  if (origin != NULL && !origin_is_allowed (self, origin))
    {
      g_autofree char *shown = g_strescape (origin, NULL);

      if (*origin == '\0')
        return g_strdup ("Rejected an incoming WebSocket connection with an empty Origin header. "
                         "Use the command line flag --remote-allow-origins=* to allow "
                         "connections from every origin.");
      /* Chromium's words, so that a user who has seen them knows the cure. */
      return g_strdup_printf ("Rejected an incoming WebSocket connection from the %s origin. "
                              "Use the command line flag --remote-allow-origins=%s to allow "
                              "connections from this origin or --remote-allow-origins=* to "
                              "allow all origins.",
                              shown, shown);
    }
  return NULL;
}

/* The path of a WebSocket handshake: /session, or /session/ID for the
 * BiDi connection of classic session ID (its webSocketUrl). */
static char *
handshake_refusal (BhBidiServer *self, struct lws *wsi)
{
  char path[128];
  int length;

  length = lws_hdr_copy (wsi, path, sizeof path, WSI_TOKEN_GET_URI);
  if (length <= 0 ||
      (!g_str_equal (path, SESSION_PATH) &&
       !(g_str_has_prefix (path, SESSION_PATH "/") &&
         bh_webdriver_has_session (self->webdriver, path + strlen (SESSION_PATH "/")))))
    return g_strdup ("Only " SESSION_PATH " and the webSocketUrl of a WebDriver session are "
                     "served.");
  return request_refusal (self, wsi);
}

/* Answers 403 with @reason (also on the browser's stderr, where the person
 * who started it with --remote-debugging-port looks). */
static void
refuse_handshake (struct lws *wsi, const char *reason)
{
  g_autofree char *body = g_markup_escape_text (reason, -1);

  g_printerr ("BiDi: refused a connection: %s\n", reason);
  lws_return_http_status (wsi, HTTP_STATUS_FORBIDDEN, body);
}

/* What an lws session of the protocol holds: a WebSocket connection, or
 * the classic WebDriver request being answered on a plain HTTP one. */
typedef struct {
  BhBidiConnection *connection;
  BhWebDriverRequest *request;
} Slot;

/* The request's method as lws parsed it, and its path. */
static const char *
http_method (struct lws *wsi, char *path, gsize path_size)
{
  static const struct {
    enum lws_token_indexes token;
    const char *method;
  } methods[] = {
    { WSI_TOKEN_GET_URI, "GET" },       { WSI_TOKEN_POST_URI, "POST" },
    { WSI_TOKEN_DELETE_URI, "DELETE" }, { WSI_TOKEN_PUT_URI, "PUT" },
    { WSI_TOKEN_PATCH_URI, "PATCH" },   { WSI_TOKEN_OPTIONS_URI, "OPTIONS" },
    { WSI_TOKEN_HEAD_URI, "HEAD" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++)
    if (lws_hdr_total_length (wsi, methods[i].token) > 0)
      {
        if (lws_hdr_copy (wsi, path, (int) path_size, methods[i].token) < 0)
          path[0] = '\0';
        return methods[i].method;
      }
  path[0] = '\0';
  return "";
}

static int
http_request (BhBidiServer *server, struct lws *wsi, Slot *slot)
{
  char path[BH_WEBDRIVER_MAX_PATH_BYTES + 2];
  const char *method = http_method (wsi, path, sizeof path);
  g_autofree char *refusal = NULL;

  g_clear_pointer (&slot->request, bh_webdriver_request_closed);
  slot->request = bh_webdriver_request_new (server->webdriver, wsi, method, path);
  /* The same defences as a handshake: whoever reaches the port drives the
   * browser through this side too. */
  refusal = request_refusal (server, wsi);
  if (refusal != NULL)
    {
      g_printerr ("WebDriver: refused a request: %s\n", refusal);
      bh_webdriver_request_refuse (slot->request, HTTP_STATUS_FORBIDDEN,
                                   BH_BIDI_ERROR_UNKNOWN_ERROR, refusal);
      return 0;
    }
  if (g_str_equal (method, "POST"))
    return 0; /* the body follows */
  bh_webdriver_request_run (slot->request);
  return 0;
}

static int
bidi_callback (struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
               size_t len)
{
  Slot *slot = user;
  BhBidiServer *server;

  switch (reason)
    {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
      server = server_for_wsi (wsi);
      if (server == NULL || server->closing)
        return -1;
      {
        g_autofree char *refusal = handshake_refusal (server, wsi);

        if (refusal == NULL)
          return 0;
        refuse_handshake (wsi, refusal);
        return -1;
      }

    case LWS_CALLBACK_HTTP:
      server = server_for_wsi (wsi);
      if (server == NULL || server->closing)
        return -1;
      return http_request (server, wsi, slot);

    case LWS_CALLBACK_HTTP_BODY:
      if (slot->request != NULL)
        bh_webdriver_request_receive (slot->request, in, len);
      return 0;

    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      if (slot->request != NULL)
        bh_webdriver_request_run (slot->request);
      return 0;

    case LWS_CALLBACK_HTTP_WRITEABLE:
      if (slot->request == NULL)
        return 0;
      return bh_webdriver_request_write (slot->request);

    case LWS_CALLBACK_CLOSED_HTTP:
      g_clear_pointer (&slot->request, bh_webdriver_request_closed);
      return 0;

    case LWS_CALLBACK_ESTABLISHED:
      server = server_for_wsi (wsi);
      if (server == NULL)
        return -1;
      {
        int send_buffer_bytes = SOCKET_SEND_BUFFER_BYTES;
        char path[128];

        /* Best effort: without it the limits still hold, only later. */
        setsockopt (lws_get_socket_fd (wsi), SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes,
                    sizeof send_buffer_bytes);
        slot->connection = bh_bidi_connection_new (server, wsi);
        g_ptr_array_add (server->connections, slot->connection);
        /* A classic session's webSocketUrl: the connection is in it. */
        if (lws_hdr_copy (wsi, path, sizeof path, WSI_TOKEN_GET_URI) > 0 &&
            g_str_has_prefix (path, SESSION_PATH "/"))
          bh_bidi_connection_attach_session (slot->connection, path + strlen (SESSION_PATH "/"));
      }
      return 0;

    case LWS_CALLBACK_RECEIVE:
      if (slot->connection == NULL || slot->connection->server == NULL)
        return -1;
      bh_bidi_connection_receive (slot->connection, in, len, lws_frame_is_binary (wsi));
      return 0;

    case LWS_CALLBACK_SERVER_WRITEABLE:
      if (slot->connection == NULL || slot->connection->server == NULL)
        return -1;
      return bh_bidi_connection_write (slot->connection);

    case LWS_CALLBACK_CLOSED:
      if (slot->connection != NULL)
        {
          BhBidiConnection *connection = g_steal_pointer (&slot->connection);
          gboolean listed = connection->server != NULL;

          bh_bidi_connection_closed (connection);
          /* The server's list held the reference taken in ESTABLISHED,
           * unless the server let go of it first. */
          if (!listed)
            bh_bidi_connection_unref (connection);
        }
      return 0;

    case LWS_CALLBACK_PROTOCOL_DESTROY:
      {
        Listener *listener = lws_vhost_user (lws_get_vhost (wsi));

        if (listener != NULL && listener->server == NULL)
          g_free (listener);
      }
      return 0;

    default:
      return lws_callback_http_dummy (wsi, reason, user, in, len);
    }
}

static const struct lws_protocols bidi_protocols[] = {
  {
    .name = "webdriver-bidi",
    .callback = bidi_callback,
    .per_session_data_size = sizeof (Slot),
    .rx_buffer_size = 0,
  },
  { NULL, NULL, 0, 0, 0, NULL, 0 }
};

BhBrowser *
bh_bidi_server_get_browser (BhBidiServer *self)
{
  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);
  return self->browser;
}

void
bh_bidi_server_tab_created (BhBidiServer *self, BhTab *tab, gboolean new_window,
                            gboolean background)
{
  g_signal_emit (self, signals[SIGNAL_TAB_CREATED], 0, tab, new_window, background);
}

gboolean
bh_bidi_server_activate_tab (BhBidiServer *self, BhTab *tab)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[SIGNAL_ACTIVATE_TAB], 0, tab, &handled);
  return handled;
}

gboolean
bh_bidi_server_set_window_state (BhBidiServer *self, const char *state)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[SIGNAL_SET_WINDOW_STATE], 0, state, &handled);
  g_free (self->window_state);
  g_strfreev (self->extra_headers);
  self->window_state = g_strdup (state);
  return handled;
}

const char *
bh_bidi_server_get_window_state (BhBidiServer *self)
{
  return self->window_state != NULL ? self->window_state : "normal";
}

gboolean
bh_bidi_server_close_tab (BhBidiServer *self, BhTab *tab)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[SIGNAL_CLOSE_TAB], 0, tab, &handled);
  return handled;
}

static gboolean
close_cb (gpointer data)
{
  BhBidiServer *self = data;

  self->close_id = 0;
  if (!self->close_emitted)
    {
      self->close_emitted = TRUE;
      g_signal_emit (self, signals[SIGNAL_CLOSE_REQUESTED], 0);
    }
  return G_SOURCE_REMOVE;
}

/* Not from inside an lws callback: the owner may tear lws down. */
void
bh_bidi_server_schedule_close (BhBidiServer *self)
{
  if (self->close_id == 0 && !self->close_emitted)
    self->close_id = g_idle_add (close_cb, self);
}

void
bh_bidi_server_close_browser (BhBidiServer *self, BhBidiCommand *command)
{
  g_autoptr (BhBidiCommand) owned = command;
  g_autoptr (JsonNode) answer = NULL;

  g_return_if_fail (BH_IS_BIDI_SERVER (self));

  self->closing = TRUE;
  bh_bidi_server_update_trace_sink (self);
  answer = bh_bidi_success_answer (command->id, NULL);
  if (command->connection->wsi != NULL)
    bh_bidi_connection_queue_answer (command->connection, answer, TRUE);
  else
    bh_bidi_server_schedule_close (self);
}

/* GObject. */

BhBidiServer *
bh_bidi_server_new (BhBrowser *browser, int port, const char * const *allowed_origins,
                    GError **error)
{
  g_autoptr (BhBidiServer) self = NULL;
  GListModel *tabs;
  GListModel *hosts;

  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);
  g_return_val_if_fail (port >= 0 && port <= 65535, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BH_TYPE_BIDI_SERVER, NULL);
  self->browser = g_object_ref (browser);
  self->allowed_origins = g_strdupv ((GStrv) allowed_origins);
  self->listener = g_new0 (Listener, 1);
  self->listener->server = self;
  self->vhost = bh_lws_create_vhost ("bidi", "127.0.0.1", port, bidi_protocols,
                                     self->listener, FALSE, error);
  if (self->vhost == NULL)
    {
      g_prefix_error (error, "--remote-debugging-port: ");
      return NULL;
    }
  self->port = lws_get_vhost_listen_port (self->vhost);

  tabs = bh_browser_get_tabs (browser);
  g_signal_connect (tabs, "items-changed", G_CALLBACK (bh_bidi_tabs_changed_cb), self);
  bh_bidi_tabs_changed_cb (tabs, 0, 0, 0, self);
  hosts = bh_browser_get_renderer_hosts (browser);
  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);

      bh_bidi_watch_host (self, host);
    }
  g_signal_connect (bh_browser_get_process_manager (browser), "renderer-host-added", G_CALLBACK (bh_bidi_host_added_cb),
                    self);
  g_signal_connect (bh_browser_get_process_manager (browser), "renderer-host-removed",
                    G_CALLBACK (bh_bidi_host_removed_cb), self);
  hosts = bh_browser_get_plugin_hosts (browser);
  g_signal_connect (hosts, "items-changed", G_CALLBACK (bh_bidi_plugin_hosts_changed_cb), self);
  bh_bidi_plugin_hosts_changed_cb (hosts, 0, 0, 0, self);

  g_printerr ("BiDi listening on ws://127.0.0.1:%d" SESSION_PATH "\n", self->port);
  return g_steal_pointer (&self);
}

int
bh_bidi_server_get_port (BhBidiServer *self)
{
  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), 0);
  return self->port;
}

static void
bh_bidi_server_dispose (GObject *object)
{
  BhBidiServer *self = BH_BIDI_SERVER (object);
  GHashTableIter iter;
  gpointer key;

  self->closing = TRUE;
  g_clear_handle_id (&self->process_id, g_source_remove);
  g_clear_handle_id (&self->close_id, g_source_remove);
  if (self->trace_sink_id != 0)
    {
      bh_trace_remove_sink (self->trace_sink_id);
      self->trace_sink_id = 0;
    }
  /* Held requests go on before the observer goes; nothing is kept. */
  bh_bidi_server_connection_intercepts_gone (self, NULL);
  bh_bidi_server_connection_collectors_gone (self, NULL);
  if (self->network_observer_id != 0)
    {
      bh_net_observer_remove (self->network_observer_id);
      self->network_observer_id = 0;
    }

  /* The sockets close with the vhost; lws may call back while it closes
   * them, so the connections are cut off from the server first. */
  while (self->connections->len > 0)
    {
      BhBidiConnection *connection = g_ptr_array_steal_index (self->connections,
                                                              self->connections->len - 1);
      connection->server = NULL;
      bh_bidi_connection_closed (connection);
      /* The reference stays with the lws session until LWS_CALLBACK_CLOSED. */
    }
  if (self->listener != NULL)
    {
      self->listener->server = NULL;
      self->listener = NULL; /* freed on LWS_CALLBACK_PROTOCOL_DESTROY */
    }
  g_clear_pointer (&self->vhost, lws_vhost_destroy);
  g_clear_pointer (&self->webdriver, bh_webdriver_free);

  if (self->browser != NULL)
    {
      g_signal_handlers_disconnect_by_data (bh_browser_get_tabs (self->browser), self);
      g_signal_handlers_disconnect_by_data (bh_browser_get_plugin_hosts (self->browser), self);
      g_signal_handlers_disconnect_by_data (bh_browser_get_process_manager (self->browser), self);
    }
  g_hash_table_iter_init (&iter, self->hosts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_signal_handlers_disconnect_by_data (key, self);
  g_hash_table_remove_all (self->hosts);
  g_hash_table_remove_all (self->plugin_hosts);
  g_hash_table_remove_all (self->tabs);
  /* Their renderers end with them. */
  g_ptr_array_set_size (self->user_contexts, 0);
  g_clear_object (&self->browser);

  G_OBJECT_CLASS (bh_bidi_server_parent_class)->dispose (object);
}

static void
bh_bidi_server_finalize (GObject *object)
{
  BhBidiServer *self = BH_BIDI_SERVER (object);

  g_ptr_array_unref (self->connections);
  g_hash_table_unref (self->tabs);
  g_hash_table_unref (self->hosts);
  g_hash_table_unref (self->plugin_hosts);
  g_hash_table_unref (self->sent_signals);
  g_ptr_array_unref (self->user_contexts);
  g_hash_table_unref (self->tab_user_contexts);
  g_ptr_array_unref (self->intercepts);
  g_ptr_array_unref (self->preload_scripts);
  g_ptr_array_unref (self->collectors);
  g_hash_table_unref (self->kept_data);
  g_queue_clear_full (&self->kept_order, g_free);
  g_hash_table_unref (self->blocked_requests);
  g_free (self->next_user_context);
  g_free (self->prompt_session);
  g_free (self->window_state);
  g_strfreev (self->allowed_origins);
  G_OBJECT_CLASS (bh_bidi_server_parent_class)->finalize (object);
}

static void
bh_bidi_server_class_init (BhBidiServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_bidi_server_dispose;
  object_class->finalize = bh_bidi_server_finalize;

  signals[SIGNAL_TAB_CREATED] =
    g_signal_new ("tab-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, BH_TYPE_TAB, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
  signals[SIGNAL_ACTIVATE_TAB] =
    g_signal_new ("activate-tab", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, BH_TYPE_TAB);
  signals[SIGNAL_CLOSE_TAB] =
    g_signal_new ("close-tab", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, BH_TYPE_TAB);
  signals[SIGNAL_SET_WINDOW_STATE] =
    g_signal_new ("set-window-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
bh_bidi_server_init (BhBidiServer *self)
{
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_connection_unref);
  self->tabs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) bh_bidi_tab_watch_free);
  self->hosts = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->plugin_hosts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify) bh_bidi_plugin_watch_free);
  self->sent_signals = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->user_contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_user_context_free);
  self->intercepts = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_intercept_free);
  self->preload_scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_preload_script_free);
  self->collectors = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_data_collector_free);
  self->kept_data = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, bh_bidi_kept_data_free);
  g_queue_init (&self->kept_order);
  self->blocked_requests = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                  bh_bidi_blocked_request_free);
  self->webdriver = bh_webdriver_new (self);
  self->tab_user_contexts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
