/* bh-bidi.c: the WebDriver BiDi server: WebSocket transport on the GLib
 * main loop, sessions and subscriptions, events, and the bookkeeping of tabs
 * and renderers that the commands (bh-bidi-commands.c) lean on.
 *
 * Flow control, both ways (a client must never be able to stall the UI):
 * - in: lws hands us a message in chunks; whole messages queue per
 *   connection and an idle handles at most COMMANDS_PER_DISPATCH of them per
 *   connection per main-loop iteration, in order. Past
 *   MAX_QUEUED_COMMANDS (or MAX_QUEUED_COMMAND_BYTES) the connection stops
 *   being read (lws rx flow control) until the queue drains to half, so the
 *   kernel's socket buffer, not our memory, absorbs a flood.
 * - out: answers and events queue per connection and are written only from
 *   LWS_CALLBACK_SERVER_WRITEABLE, a chunk at a time. Events beyond
 *   MAX_QUEUED_EVENTS or MAX_QUEUED_BYTES are dropped and counted; once
 *   the queue has drained to half, one bulkhead:eventsDropped {count} tells
 *   the client. Answers are never dropped: commands of a connection whose
 *   queue is full wait instead.
 */
#include "bh-bidi-private.h"
#include "bh-bidi-message.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "bh-lws.h"
#include "bh-plugin-host.h"
#include "bh-renderer-host.h"
#include "bh-tab-plugins.h"
#include "bh-trace.h"

#define MAX_QUEUED_COMMANDS 64
#define MAX_QUEUED_COMMAND_BYTES (4 * 1024 * 1024)
#define COMMANDS_PER_DISPATCH 8
#define MAX_QUEUED_EVENTS 1000
#define MAX_QUEUED_BYTES (8 * 1024 * 1024)
/* What one WRITEABLE callback hands lws: a socket buffer's worth, so that
 * lws rarely has to keep a truncated write of its own. */
#define WRITE_CHUNK_BYTES (64 * 1024)
/* The kernel's share of what a slow client has not read yet. Left to
 * autotuning it grows to tcp_wmem's maximum (4 MiB on Debian), which would
 * hide a stalled client from our own queue's limits for a long time. */
#define SOCKET_SEND_BUFFER_BYTES (256 * 1024)
/* How long a screenshot waits for the committed page's first frame and its
 * plugins' first frames before it takes what there is. */
#define FRAME_WAIT_MS 2000
/* The payload text in bulkhead:ipc.message, as --ipc-debug cuts it. */
#define IPC_PAYLOAD_CHARS 200

#define SESSION_PATH "/session"
#define IPC_EVENT "bulkhead:ipc.message"

/* Every event a client may subscribe to; a module name ("browsingContext",
 * "bulkhead:process") stands for all of its events. */
static const char * const known_events[] = {
  "browsingContext.contextCreated",
  "browsingContext.contextDestroyed",
  "browsingContext.navigationStarted",
  "browsingContext.load",
  "bulkhead:process.terminated",
  IPC_EVENT,
  NULL
};

/* Connections. */

typedef struct {
  GBytes *text;
  gboolean too_big; /* the message was cut: answer with an error */
} InMessage;

typedef struct {
  GBytes *text;
  gboolean is_event;      /* may be dropped when the queue is full */
  gboolean close_browser; /* browser.close's answer: close once it is out */
} OutMessage;

typedef struct {
  char *event;           /* a full event name */
  GStrv contexts;        /* NULL: every context */
  BhTraceFilter *filter; /* bulkhead:ipc.message only; NULL: every message */
} Subscription;

struct _BhBidiConnection {
  grefcount ref_count;
  BhBidiServer *server; /* NULL once the server or the socket is gone */
  struct lws *wsi;      /* NULL once closed */

  GByteArray *rx;       /* the message being received */
  gboolean rx_too_big;
  GQueue commands;      /* InMessage, whole messages in arrival order */
  gsize commands_bytes;
  gboolean rx_paused;

  GQueue out;           /* OutMessage */
  gsize out_offset;     /* bytes of the head message already written */
  gsize out_bytes;
  guint out_events;
  guint64 dropped_events;

  char *session_id;
  GPtrArray *subscriptions; /* Subscription */
};

/* Tabs and their navigations. */

typedef struct _TabWatch TabWatch;

typedef struct {
  BhBidiCommand *command;
  BhBidiWait wait;
  BhBidiNavigatedFunc done;
} NavigationWait;

typedef struct {
  TabWatch *watch;
  BhBidiCommand *command;
  BhBidiFrameFunc done;
  guint timeout_id;
} FrameWait;

struct _TabWatch {
  BhBidiServer *server;
  BhTab *tab;            /* a reference */
  char *context;
  BhRendererHost *host;  /* a reference: the last renderer seen serving the tab */
  guint64 serial;        /* navigations seen starting */
  guint64 navigation_id; /* the current navigation, as BhTab numbers it; 0: none */
  char *navigation;      /* its BiDi id, NULL before the first */
  gboolean committed;    /* DidCommitNavigation came for it */
  gboolean loaded;       /* DidFinishLoad came for it */
  gboolean frame_since_commit;
  GList *waits;          /* NavigationWait */
  GList *frame_waits;    /* FrameWait */
};

/* The vhost's user pointer. It outlives the server until lws says the
 * protocol is destroyed, so that a late lws callback finds NULL, not a
 * freed server. */
typedef struct {
  BhBidiServer *server;
} Listener;

struct _BhBidiServer {
  GObject parent_instance;

  BhBrowser *browser;        /* a reference */
  struct lws_vhost *vhost;
  Listener *listener;
  int port;
  GStrv allowed_origins;     /* --remote-allow-origins, or NULL */

  GPtrArray *connections;    /* BhBidiConnection, references: the open ones */
  GHashTable *tabs;          /* context -> TabWatch */
  GHashTable *hosts;         /* BhRendererHost -> itself, a reference: watched */
  GHashTable *plugin_hosts;  /* BhPluginHost -> PluginWatch */
  GHashTable *sent_signals;  /* pid -> signal number, from bulkhead:process.kill */
  guint process_id;          /* the idle handling queued commands */
  guint trace_sink_id;
  gboolean closing;          /* browser.close was asked for */
  guint close_id;
  gboolean close_emitted;
};

G_DEFINE_FINAL_TYPE (BhBidiServer, bh_bidi_server, G_TYPE_OBJECT)

enum {
  SIGNAL_TAB_CREATED,
  SIGNAL_ACTIVATE_TAB,
  SIGNAL_CLOSE_TAB,
  SIGNAL_CLOSE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connection_request_write (BhBidiConnection *connection);
static void schedule_processing (BhBidiServer *self);
static void update_trace_sink (BhBidiServer *self);
static void schedule_close (BhBidiServer *self);

/* Small helpers. */

static void
in_message_free (InMessage *message)
{
  g_clear_pointer (&message->text, g_bytes_unref);
  g_free (message);
}

static void
out_message_free (OutMessage *message)
{
  g_clear_pointer (&message->text, g_bytes_unref);
  g_free (message);
}

static void
subscription_free (Subscription *subscription)
{
  g_free (subscription->event);
  g_strfreev (subscription->contexts);
  g_clear_pointer (&subscription->filter, bh_trace_filter_free);
  g_free (subscription);
}

/* Connections: lifetime. */

static BhBidiConnection *
connection_new (BhBidiServer *server, struct lws *wsi)
{
  BhBidiConnection *self = g_new0 (BhBidiConnection, 1);

  g_ref_count_init (&self->ref_count);
  self->server = server;
  self->wsi = wsi;
  self->rx = g_byte_array_new ();
  g_queue_init (&self->commands);
  g_queue_init (&self->out);
  self->subscriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) subscription_free);
  return self;
}

static BhBidiConnection *
connection_ref (BhBidiConnection *self)
{
  g_ref_count_inc (&self->ref_count);
  return self;
}

static void
connection_unref (BhBidiConnection *self)
{
  if (self == NULL || !g_ref_count_dec (&self->ref_count))
    return;
  g_byte_array_unref (self->rx);
  g_queue_clear_full (&self->commands, (GDestroyNotify) in_message_free);
  g_queue_clear_full (&self->out, (GDestroyNotify) out_message_free);
  g_ptr_array_unref (self->subscriptions);
  g_free (self->session_id);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBidiConnection, connection_unref)

/* The socket is gone (or the server is): nothing more is read or written. */
static void
connection_closed (BhBidiConnection *self)
{
  BhBidiServer *server = self->server;
  gboolean had_close = FALSE;

  for (GList *l = self->out.head; l != NULL; l = l->next)
    had_close |= ((OutMessage *) l->data)->close_browser;

  self->wsi = NULL;
  self->server = NULL;
  g_queue_clear_full (&self->commands, (GDestroyNotify) in_message_free);
  self->commands_bytes = 0;
  g_queue_clear_full (&self->out, (GDestroyNotify) out_message_free);
  self->out_bytes = 0;
  self->out_events = 0;
  g_ptr_array_set_size (self->subscriptions, 0);

  if (server != NULL)
    {
      /* The client that asked for browser.close hung up before reading the
       * answer: close anyway. */
      if (had_close)
        schedule_close (server);
      update_trace_sink (server);
      g_ptr_array_remove (server->connections, self);
    }
}

/* Connections: the outgoing queue. */

static void
connection_push (BhBidiConnection *self, GBytes *text, gboolean is_event, gboolean close_browser)
{
  OutMessage *message = g_new0 (OutMessage, 1);

  message->text = g_bytes_ref (text);
  message->is_event = is_event;
  message->close_browser = close_browser;
  g_queue_push_tail (&self->out, message);
  self->out_bytes += g_bytes_get_size (text);
  if (is_event)
    self->out_events++;
  connection_request_write (self);
}

static gboolean
connection_has_room_for_event (BhBidiConnection *self, gsize size)
{
  return self->out_events < MAX_QUEUED_EVENTS && self->out_bytes + size <= MAX_QUEUED_BYTES;
}

static void
connection_queue_event (BhBidiConnection *self, GBytes *text)
{
  if (self->wsi == NULL)
    return;
  if (self->dropped_events > 0 || !connection_has_room_for_event (self, g_bytes_get_size (text)))
    {
      /* Once dropping, keep dropping until the notice has gone out, so that
       * the client can tell where the gap is. */
      self->dropped_events++;
      return;
    }
  connection_push (self, text, TRUE, FALSE);
}

static void
connection_queue_answer (BhBidiConnection *self, JsonNode *answer, gboolean close_browser)
{
  g_autoptr (GBytes) text = NULL;

  if (self->wsi == NULL)
    return;
  text = bh_bidi_to_bytes (answer);
  connection_push (self, text, FALSE, close_browser);
}

static void
connection_request_write (BhBidiConnection *self)
{
  if (self->wsi != NULL && !g_queue_is_empty (&self->out))
    lws_callback_on_writable (self->wsi);
}

/* After a message went out: the dropped-events notice, once there is room. */
static void
connection_maybe_report_drops (BhBidiConnection *self)
{
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GBytes) text = NULL;

  if (self->dropped_events == 0 || self->out_events > MAX_QUEUED_EVENTS / 2 ||
      self->out_bytes > MAX_QUEUED_BYTES / 2)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "event");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "bulkhead:eventsDropped");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, (gint64) self->dropped_events);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = bh_bidi_to_bytes (root);
  self->dropped_events = 0;
  /* Not itself an event that may be dropped. */
  connection_push (self, text, FALSE, FALSE);
}

/* LWS_CALLBACK_SERVER_WRITEABLE: up to WRITE_CHUNK_BYTES of queued
 * messages, small ones whole, a large one as fragments. Several small ones
 * per callback matter: each callback is a main-loop iteration, and lws's
 * socket sources run at default priority, above the idle that handles
 * commands, so draining a backlog of answers one per iteration would hold
 * every other client's commands back for as long. */
static int
connection_write (BhBidiConnection *self)
{
  /* Main thread only, like every lws callback here. lws copies what the
   * socket does not take at once, so the buffer can be reused at once. */
  static unsigned char buffer[LWS_PRE + WRITE_CHUNK_BYTES];
  gsize budget = WRITE_CHUNK_BYTES;

  while (!g_queue_is_empty (&self->out))
    {
      OutMessage *message = g_queue_peek_head (&self->out);
      const guint8 *data;
      gsize size;
      gsize chunk;
      int flags;

      data = g_bytes_get_data (message->text, &size);
      chunk = MIN (size - self->out_offset, (gsize) WRITE_CHUNK_BYTES);
      /* The next callback takes what does not fit, rather than a sliver. */
      if (chunk > budget)
        break;
      memcpy (buffer + LWS_PRE, data + self->out_offset, chunk);
      flags = lws_write_ws_flags (LWS_WRITE_TEXT, self->out_offset == 0,
                                  self->out_offset + chunk == size);
      if (lws_write (self->wsi, buffer + LWS_PRE, chunk, (enum lws_write_protocol) flags) < 0)
        return -1;
      self->out_offset += chunk;
      budget -= chunk;

      if (self->out_offset == size)
        {
          message = g_queue_pop_head (&self->out);
          self->out_offset = 0;
          self->out_bytes -= size;
          if (message->is_event)
            self->out_events--;
          if (message->close_browser && self->server != NULL)
            schedule_close (self->server);
          out_message_free (message);
          connection_maybe_report_drops (self);
          /* Commands held back by a full queue may go on. */
          if (self->server != NULL && !g_queue_is_empty (&self->commands))
            schedule_processing (self->server);
        }
      /* The socket took less than all: lws keeps the rest and calls back
       * once it is out (lws-write.h, "Truncated Writes"). */
      if (lws_partial_buffered (self->wsi))
        break;
    }

  connection_request_write (self);
  return 0;
}

/* Connections: the incoming side. */

static void
connection_receive (BhBidiConnection *self, const void *data, gsize length, gboolean binary)
{
  if (!self->rx_too_big)
    {
      if (binary || self->rx->len + length > BH_BIDI_MAX_MESSAGE_BYTES)
        {
          /* BiDi is text; either way the message is refused whole. */
          self->rx_too_big = TRUE;
          g_byte_array_set_size (self->rx, 0);
        }
      else
        g_byte_array_append (self->rx, data, (guint) length);
    }

  if (!lws_is_final_fragment (self->wsi) || lws_remaining_packet_payload (self->wsi) > 0)
    return;

  {
    InMessage *message = g_new0 (InMessage, 1);

    message->too_big = self->rx_too_big;
    message->text = g_byte_array_free_to_bytes (g_steal_pointer (&self->rx));
    self->rx = g_byte_array_new ();
    self->rx_too_big = FALSE;
    g_queue_push_tail (&self->commands, message);
    self->commands_bytes += g_bytes_get_size (message->text);
  }

  if ((g_queue_get_length (&self->commands) >= MAX_QUEUED_COMMANDS ||
       self->commands_bytes >= MAX_QUEUED_COMMAND_BYTES) && !self->rx_paused)
    {
      self->rx_paused = TRUE;
      lws_rx_flow_control (self->wsi, LWS_RXFLOW_REASON_APPLIES_DISABLE |
                                      LWS_RXFLOW_REASON_USER_BOOL);
    }
  schedule_processing (self->server);
}

static void
connection_refuse (BhBidiConnection *self, const JsonNode *id, const char *error,
                   const char *message)
{
  g_autoptr (JsonNode) answer = bh_bidi_error_answer (id, error, message);

  connection_queue_answer (self, answer, FALSE);
}

/* Reads one whole message and runs its command. Everything a client sends
 * is checked here: it is text from outside the browser. */
static void
connection_handle (BhBidiConnection *self, InMessage *message)
{
  BhBidiServer *server = self->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhBidiCommand) command = NULL;
  g_autoptr (BhBidiRequest) request = NULL;
  g_autoptr (JsonNode) id = NULL;
  BhBidiCommandFunc func;
  const char *text;
  gsize length;

  if (message->too_big)
    {
      connection_refuse (self, NULL, BH_BIDI_ERROR_INVALID_ARGUMENT,
                         "the message is not text, or longer than 1 MiB");
      return;
    }

  text = g_bytes_get_data (message->text, &length);
  request = bh_bidi_request_decode (text, length, &id, &error);
  if (request == NULL)
    {
      connection_refuse (self, id, BH_BIDI_ERROR_INVALID_ARGUMENT, error->message);
      return;
    }
  id = json_node_init_int (json_node_alloc (), request->id);

  func = bh_bidi_command_lookup (request->method);
  if (func == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("unknown command “%s”", request->method);

      connection_refuse (self, id, BH_BIDI_ERROR_UNKNOWN_COMMAND, reason);
      return;
    }
  if (server->closing)
    {
      connection_refuse (self, id, BH_BIDI_ERROR_UNKNOWN_ERROR, "the browser is closing");
      return;
    }

  command = g_new0 (BhBidiCommand, 1);
  command->server = server;
  command->connection = connection_ref (self);
  command->id = request->id;
  command->method = g_steal_pointer (&request->method);
  command->params = g_steal_pointer (&request->params);
  func (g_steal_pointer (&command));
}

static gboolean
process_cb (gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GPtrArray) connections = NULL;
  gboolean more = FALSE;

  /* A handler may close connections: work on a copy. */
  connections = g_ptr_array_new_full (self->connections->len,
                                      (GDestroyNotify) connection_unref);
  for (guint i = 0; i < self->connections->len; i++)
    g_ptr_array_add (connections, connection_ref (g_ptr_array_index (self->connections, i)));

  for (guint i = 0; i < connections->len; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (connections, i);

      for (guint n = 0; n < COMMANDS_PER_DISPATCH; n++)
        {
          InMessage *message;

          if (connection->server == NULL || connection->out_bytes >= MAX_QUEUED_BYTES)
            break;
          message = g_queue_pop_head (&connection->commands);
          if (message == NULL)
            break;
          connection->commands_bytes -= g_bytes_get_size (message->text);
          connection_handle (connection, message);
          in_message_free (message);
        }

      if (connection->wsi != NULL && connection->rx_paused &&
          g_queue_get_length (&connection->commands) <= MAX_QUEUED_COMMANDS / 2 &&
          connection->commands_bytes <= MAX_QUEUED_COMMAND_BYTES / 2)
        {
          connection->rx_paused = FALSE;
          lws_rx_flow_control (connection->wsi, LWS_RXFLOW_REASON_APPLIES_ENABLE |
                                                LWS_RXFLOW_REASON_USER_BOOL |
                                                LWS_RXFLOW_REASON_FLAG_PROCESS_NOW);
          /* Called from a GLib idle, not an lws callback: lws 4.1's GLib
           * event library would act on it only at its next pass (bh-lws.h). */
          bh_lws_wake ();
        }
      /* A connection waiting for its answers to be read is resumed by
       * connection_write(), not polled. */
      if (connection->server != NULL && !g_queue_is_empty (&connection->commands) &&
          connection->out_bytes < MAX_QUEUED_BYTES)
        more = TRUE;
    }

  if (more)
    return G_SOURCE_CONTINUE;
  self->process_id = 0;
  return G_SOURCE_REMOVE;
}

static void
schedule_processing (BhBidiServer *self)
{
  /* Below GTK's redraw and input priorities: a busy client slows itself,
   * not the window. */
  if (self->process_id == 0)
    self->process_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, process_cb, self, NULL);
}

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

/* Why the handshake is refused, or %NULL to accept it. */
static char *
handshake_refusal (BhBidiServer *self, struct lws *wsi)
{
  g_autofree char *host = NULL;
  g_autofree char *origin = NULL;
  char path[64];
  gboolean too_long = FALSE;
  int length;

  length = lws_hdr_copy (wsi, path, sizeof path, WSI_TOKEN_GET_URI);
  if (length <= 0 || !g_str_equal (path, SESSION_PATH))
    return g_strdup ("Only " SESSION_PATH " is served.");

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

/* Answers 403 with @reason (also on the browser's stderr, where the person
 * who started it with --remote-debugging-port looks). */
static void
refuse_handshake (struct lws *wsi, const char *reason)
{
  g_autofree char *body = g_markup_escape_text (reason, -1);

  g_printerr ("BiDi: refused a connection: %s\n", reason);
  lws_return_http_status (wsi, HTTP_STATUS_FORBIDDEN, body);
}

static int
bidi_callback (struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
               size_t len)
{
  BhBidiConnection **slot = user;
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
      /* Plain HTTP (Chromium's /json discovery) is not served. */
      if (lws_return_http_status (wsi, HTTP_STATUS_NOT_FOUND, NULL))
        return -1;
      return lws_http_transaction_completed (wsi) ? -1 : 0;

    case LWS_CALLBACK_ESTABLISHED:
      server = server_for_wsi (wsi);
      if (server == NULL)
        return -1;
      {
        int send_buffer_bytes = SOCKET_SEND_BUFFER_BYTES;

        /* Best effort: without it the limits still hold, only later. */
        setsockopt (lws_get_socket_fd (wsi), SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes,
                    sizeof send_buffer_bytes);
      }
      *slot = connection_new (server, wsi);
      g_ptr_array_add (server->connections, *slot);
      return 0;

    case LWS_CALLBACK_RECEIVE:
      if (*slot == NULL || (*slot)->server == NULL)
        return -1;
      connection_receive (*slot, in, len, lws_frame_is_binary (wsi));
      return 0;

    case LWS_CALLBACK_SERVER_WRITEABLE:
      if (*slot == NULL || (*slot)->server == NULL)
        return -1;
      return connection_write (*slot);

    case LWS_CALLBACK_CLOSED:
      if (*slot != NULL)
        {
          BhBidiConnection *connection = g_steal_pointer (slot);
          gboolean listed = connection->server != NULL;

          connection_closed (connection);
          /* The server's list held the reference taken in ESTABLISHED,
           * unless the server let go of it first. */
          if (!listed)
            connection_unref (connection);
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
    .per_session_data_size = sizeof (BhBidiConnection *),
    .rx_buffer_size = 0,
  },
  { NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* Sessions and subscriptions. */

const char *
bh_bidi_connection_new_session (BhBidiConnection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->session_id != NULL)
    return NULL;
  self->session_id = g_uuid_string_random ();
  return self->session_id;
}

static gboolean
is_known_event (const char *name)
{
  return g_strv_contains (known_events, name);
}

/* A module name stands for its events ("browsingContext" for
 * "browsingContext.load"...); an event name for itself. */
static GPtrArray *
expand_events (const char * const *names, GError **error)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new ();

  for (gsize i = 0; names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (is_known_event (names[i]))
        {
          if (!g_ptr_array_find_with_equal_func (events, names[i], g_str_equal, NULL))
            g_ptr_array_add (events, (gpointer) names[i]);
          continue;
        }
      for (gsize j = 0; known_events[j] != NULL; j++)
        {
          const char *dot = strrchr (known_events[j], '.');

          if ((gsize) (dot - known_events[j]) == strlen (names[i]) &&
              strncmp (known_events[j], names[i], (gsize) (dot - known_events[j])) == 0)
            {
              if (!g_ptr_array_find_with_equal_func (events, known_events[j], g_str_equal, NULL))
                g_ptr_array_add (events, (gpointer) known_events[j]);
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown event or module “%s”", names[i]);
          return NULL;
        }
    }
  return g_steal_pointer (&events);
}

static gboolean
same_contexts (const char * const *a, const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (g_strv_length ((GStrv) a) != g_strv_length ((GStrv) b))
    return FALSE;
  for (gsize i = 0; a[i] != NULL; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

gboolean
bh_bidi_connection_subscribe (BhBidiConnection *self, const char * const *names,
                              const char * const *contexts, const char *ipc_filter,
                              GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (self->server == NULL)
    return TRUE;
  events = expand_events (names, error);
  if (events == NULL)
    return FALSE;
  for (gsize i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (self->server, contexts[i]) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no browsing context “%s”",
                     contexts[i]);
        return FALSE;
      }

  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);
      Subscription *subscription = NULL;

      /* Subscribing again to the same event for the same contexts replaces
       * the subscription, so that a new "bulkhead:filter" takes effect. */
      for (guint j = 0; j < self->subscriptions->len; j++)
        {
          Subscription *existing = g_ptr_array_index (self->subscriptions, j);

          if (g_str_equal (existing->event, event) &&
              same_contexts ((const char * const *) existing->contexts, contexts))
            subscription = existing;
        }
      if (subscription == NULL)
        {
          subscription = g_new0 (Subscription, 1);
          subscription->event = g_strdup (event);
          subscription->contexts = contexts != NULL ? g_strdupv ((GStrv) contexts) : NULL;
          g_ptr_array_add (self->subscriptions, subscription);
        }
      g_clear_pointer (&subscription->filter, bh_trace_filter_free);
      if (g_str_equal (event, IPC_EVENT) && ipc_filter != NULL && *ipc_filter != '\0')
        subscription->filter = bh_trace_filter_new (ipc_filter);
    }
  update_trace_sink (self->server);
  return TRUE;
}

gboolean
bh_bidi_connection_unsubscribe (BhBidiConnection *self, const char * const *names,
                                const char * const *contexts, GError **error)
{
  g_autoptr (GPtrArray) events = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (self->server == NULL)
    return TRUE;
  events = expand_events (names, error);
  if (events == NULL)
    return FALSE;

  /* Check first, change after: a refused unsubscribe changes nothing. */
  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);
      gboolean found = FALSE;

      for (guint j = 0; j < self->subscriptions->len && !found; j++)
        {
          Subscription *s = g_ptr_array_index (self->subscriptions, j);

          if (!g_str_equal (s->event, event))
            continue;
          if (contexts == NULL)
            found = s->contexts == NULL;
          else if (s->contexts != NULL)
            for (gsize k = 0; contexts[k] != NULL && !found; k++)
              found = g_strv_contains ((const char * const *) s->contexts, contexts[k]);
        }
      if (!found)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "not subscribed to “%s”%s", event,
                       contexts != NULL ? " for those contexts" : "");
          return FALSE;
        }
    }

  for (guint i = 0; i < events->len; i++)
    {
      const char *event = g_ptr_array_index (events, i);

      for (guint j = self->subscriptions->len; j > 0; j--)
        {
          Subscription *s = g_ptr_array_index (self->subscriptions, j - 1);
          g_autoptr (GStrvBuilder) kept = NULL;

          if (!g_str_equal (s->event, event))
            continue;
          if (contexts == NULL)
            {
              if (s->contexts == NULL)
                g_ptr_array_remove_index (self->subscriptions, j - 1);
              continue;
            }
          if (s->contexts == NULL)
            continue;
          kept = g_strv_builder_new ();
          for (gsize k = 0; s->contexts[k] != NULL; k++)
            if (!g_strv_contains (contexts, s->contexts[k]))
              g_strv_builder_add (kept, s->contexts[k]);
          g_strfreev (s->contexts);
          s->contexts = g_strv_builder_end (kept);
          if (s->contexts[0] == NULL)
            g_ptr_array_remove_index (self->subscriptions, j - 1);
        }
    }
  update_trace_sink (self->server);
  return TRUE;
}

/* The subscription of @self that wants @event about @contexts, if any. */
static Subscription *
connection_subscription (BhBidiConnection *self, const char *event, const char * const *contexts)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      Subscription *s = g_ptr_array_index (self->subscriptions, i);

      if (!g_str_equal (s->event, event))
        continue;
      if (s->contexts == NULL)
        return s;
      for (gsize k = 0; contexts != NULL && contexts[k] != NULL; k++)
        if (g_strv_contains ((const char * const *) s->contexts, contexts[k]))
          return s;
    }
  return NULL;
}

/* Events. */

static GBytes *
event_to_bytes (const char *method, JsonNode *params)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "event");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_ref (params));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bh_bidi_to_bytes (root);
}

/* Sends @method to every connection subscribed to it for one of @contexts
 * (or globally). Consumes @params. */
static void
emit_event (BhBidiServer *self, const char *method, const char * const *contexts,
            JsonNode *params)
{
  g_autoptr (JsonNode) owned = params;
  g_autoptr (GBytes) text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);

      if (connection_subscription (connection, method, contexts) == NULL)
        continue;
      if (text == NULL)
        text = event_to_bytes (method, owned);
      connection_queue_event (connection, text);
    }
}

static gint64
timestamp_ms (void)
{
  return g_get_real_time () / 1000;
}

/* The live IPC trace: called for every message the browser sends or
 * receives, but registered only while someone subscribes. */
static gboolean
ipc_contexts_match (BhBidiServer *self, const Subscription *s, guint peer_pid)
{
  if (s->contexts == NULL)
    return TRUE;
  for (gsize i = 0; s->contexts[i] != NULL; i++)
    {
      BhTab *tab = bh_bidi_server_find_tab (self, s->contexts[i]);
      BhRendererHost *host = tab != NULL ? bh_tab_get_renderer_host (tab) : NULL;

      if (host != NULL && (guint) bh_renderer_host_get_pid (host) == peer_pid)
        return TRUE;
    }
  return FALSE;
}

static void
trace_sink (const BhTraceEvent *event, gpointer user_data)
{
  BhBidiServer *self = user_data;
  const char *name = bh_trace_event_name (event);
  g_autoptr (GBytes) text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);
      gboolean wanted = FALSE;

      for (guint j = 0; j < connection->subscriptions->len && !wanted; j++)
        {
          Subscription *s = g_ptr_array_index (connection->subscriptions, j);

          wanted = g_str_equal (s->event, IPC_EVENT) &&
                   bh_trace_filter_matches (s->filter, name) &&
                   ipc_contexts_match (self, s, event->peer_pid);
        }
      if (!wanted)
        continue;
      /* A full queue drops the event: do not even format it. */
      if (connection->dropped_events > 0 || !connection_has_room_for_event (connection, 0))
        {
          connection->dropped_events++;
          continue;
        }
      if (text == NULL)
        {
          /* The same fields as --ipc-debug-format=json, spliced in as they
           * are rather than parsed again. */
          g_autofree char *json = bh_trace_format_json (event, IPC_PAYLOAD_CHARS);
          char *whole = g_strdup_printf ("{\"type\":\"event\",\"method\":\"" IPC_EVENT
                                         "\",\"params\":%s}", json);

          text = g_bytes_new_take (whole, strlen (whole));
        }
      connection_queue_event (connection, text);
    }
}

/* Registers the trace sink while at least one connection subscribes to
 * bulkhead:ipc.message and removes it when none does, so that with no
 * subscriber bh_trace_is_enabled() stays as it was and channels build no
 * events for us. */
static void
update_trace_sink (BhBidiServer *self)
{
  gboolean wanted = FALSE;

  for (guint i = 0; i < self->connections->len && !wanted; i++)
    {
      BhBidiConnection *connection = g_ptr_array_index (self->connections, i);

      for (guint j = 0; j < connection->subscriptions->len && !wanted; j++)
        {
          Subscription *s = g_ptr_array_index (connection->subscriptions, j);

          wanted = g_str_equal (s->event, IPC_EVENT);
        }
    }

  if (wanted && self->trace_sink_id == 0 && !self->closing)
    {
      bh_trace_set_local ("browser", (guint) getpid ());
      self->trace_sink_id = bh_trace_add_sink (trace_sink, self);
    }
  else if (!wanted && self->trace_sink_id != 0)
    {
      bh_trace_remove_sink (self->trace_sink_id);
      self->trace_sink_id = 0;
    }
}

/* Browsing contexts. */

static char *
context_for_tab (BhTab *tab)
{
  return g_strdup_printf ("%u", bh_tab_get_id (tab));
}

JsonNode *
bh_bidi_server_context_info (BhBidiServer *self, BhTab *tab)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *context = context_for_tab (tab);
  g_autofree char *site = NULL;
  const char *uri = bh_tab_get_uri (tab);
  int pid = 0;

  g_object_get (tab, "site", &site, "renderer-pid", &pid, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "context");
  json_builder_add_string_value (builder, context);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, *uri != '\0' ? uri : "about:blank");
  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parent");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "userContext");
  json_builder_add_string_value (builder, "default");
  json_builder_set_member_name (builder, "originalOpener");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "clientWindow");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "bulkhead:site");
  if (site != NULL && *site != '\0')
    json_builder_add_string_value (builder, site);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "bulkhead:rendererPid");
  if (pid > 0)
    json_builder_add_int_value (builder, pid);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "bulkhead:state");
  json_builder_add_string_value (builder, bh_tab_state_to_string (bh_tab_get_state (tab)));
  json_builder_set_member_name (builder, "bulkhead:title");
  json_builder_add_string_value (builder, bh_tab_get_title (tab));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
navigation_info (TabWatch *watch)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const char *uri = bh_tab_get_uri (watch->tab);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "context");
  json_builder_add_string_value (builder, watch->context);
  json_builder_set_member_name (builder, "navigation");
  json_builder_add_string_value (builder, watch->navigation);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_int_value (builder, timestamp_ms ());
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, *uri != '\0' ? uri : "about:blank");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
emit_for_watch (TabWatch *watch, const char *method, JsonNode *params)
{
  const char *contexts[] = { watch->context, NULL };

  emit_event (watch->server, method, contexts, params);
}

static void
navigation_wait_free (NavigationWait *wait)
{
  g_clear_pointer (&wait->command, bh_bidi_command_free);
  g_free (wait);
}

/* Fails every navigation wait of @watch (all of them wait for the current
 * navigation: a new one fails the old ones first). */
static void
fail_navigation_waits (TabWatch *watch, const char *error, const char *message)
{
  GList *waits = g_steal_pointer (&watch->waits);

  for (GList *l = waits; l != NULL; l = l->next)
    {
      NavigationWait *wait = l->data;

      bh_bidi_command_fail (g_steal_pointer (&wait->command), error, "%s", message);
      navigation_wait_free (wait);
    }
  g_list_free (waits);
}

/* Answers the waits that @wait_reached satisfies. */
static void
resolve_navigation_waits (TabWatch *watch, BhBidiWait wait_reached)
{
  const GError *load_error = bh_tab_get_load_error (watch->tab);
  GList *waits = watch->waits;

  watch->waits = NULL;
  for (GList *l = waits; l != NULL; l = l->next)
    {
      NavigationWait *wait = l->data;

      if (wait->wait > wait_reached)
        {
          watch->waits = g_list_append (watch->waits, wait);
          continue;
        }
      /* Chromium's BiDi fails a navigation that ended on its error page
       * ("net::ERR_..."); a page with an HTTP error status is a success. */
      if (load_error != NULL)
        bh_bidi_command_fail (g_steal_pointer (&wait->command), BH_BIDI_ERROR_UNKNOWN_ERROR,
                              "%s", load_error->message);
      else
        wait->done (g_steal_pointer (&wait->command), watch->tab, watch->navigation);
      navigation_wait_free (wait);
    }
  g_list_free (waits);
}

static void
frame_wait_free (FrameWait *wait)
{
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_clear_pointer (&wait->command, bh_bidi_command_free);
  g_free (wait);
}

static void
frame_wait_finish (FrameWait *wait)
{
  TabWatch *watch = wait->watch;

  watch->frame_waits = g_list_remove (watch->frame_waits, wait);
  wait->done (g_steal_pointer (&wait->command), watch->tab, bh_tab_get_frame (watch->tab));
  frame_wait_free (wait);
}

static gboolean
frame_wait_timeout_cb (gpointer data)
{
  FrameWait *wait = data;

  wait->timeout_id = 0;
  frame_wait_finish (wait);
  return G_SOURCE_REMOVE;
}

static void
begin_navigation (TabWatch *watch, guint64 navigation_id, const char *url)
{
  g_autofree char *message = NULL;

  if (watch->waits != NULL)
    {
      message = g_strdup_printf ("the navigation was replaced by one to %s", url);
      fail_navigation_waits (watch, BH_BIDI_ERROR_UNKNOWN_ERROR, message);
    }
  watch->serial++;
  watch->navigation_id = navigation_id;
  g_free (watch->navigation);
  watch->navigation = g_uuid_string_random ();
  watch->committed = FALSE;
  watch->loaded = FALSE;
  watch->frame_since_commit = FALSE;
  emit_for_watch (watch, "browsingContext.navigationStarted", navigation_info (watch));
}

/* The tab's signals, each a step of a navigation that BhTab names by its
 * id: a step of any navigation but the current one (a page being left, a
 * navigation replaced while it was fetched) is not reported. */

static void
tab_navigation_started_cb (BhTab *tab, guint64 navigation_id, const char *url, gpointer data)
{
  begin_navigation (data, navigation_id, url);
}

static void
tab_navigation_committed_cb (BhTab *tab, guint64 navigation_id, const char *url, gpointer data)
{
  TabWatch *watch = data;

  /* A tab watched from the middle of a navigation: its id is the first to
   * commit. */
  if (watch->navigation_id == 0 && watch->navigation != NULL)
    watch->navigation_id = navigation_id;
  if (navigation_id != watch->navigation_id || watch->committed)
    return;
  watch->committed = TRUE;
  watch->frame_since_commit = FALSE;
}

static void
tab_frame_changed_cb (BhTab *tab, gpointer data)
{
  TabWatch *watch = data;

  if (!watch->committed || bh_tab_get_frame (tab) == NULL)
    return;
  watch->frame_since_commit = TRUE;
  resolve_navigation_waits (watch, BH_BIDI_WAIT_INTERACTIVE);
  /* A screenshot waits for the page's plugins' first frames too (or for
   * its timeout): bh-tab-plugins.h. */
  while (watch->frame_waits != NULL && !bh_tab_has_pending_plugins (tab))
    frame_wait_finish (watch->frame_waits->data);
}

static void
tab_load_finished_cb (BhTab *tab, gpointer data)
{
  TabWatch *watch = data;

  /* A DidFinishLoad of the page being left, arriving after the next
   * navigation started, is not this navigation's. */
  if (bh_tab_get_committed_navigation_id (tab) != watch->navigation_id || !watch->committed ||
      watch->loaded)
    return;
  watch->loaded = TRUE;
  emit_for_watch (watch, "browsingContext.load", navigation_info (watch));
  resolve_navigation_waits (watch, BH_BIDI_WAIT_COMPLETE);
}

static void
tab_state_cb (BhTab *tab, GParamSpec *pspec, gpointer data)
{
  TabWatch *watch = data;

  if (bh_tab_state_is_failure (bh_tab_get_state (tab)))
    fail_navigation_waits (watch, BH_BIDI_ERROR_UNKNOWN_ERROR, bh_tab_get_status_message (tab));
}

/* Which renderer served the tab last: the tabs a dead renderer served are
 * no longer linked to it when its "terminated" signal comes, so the link is
 * kept here, and replaced only by the next renderer. */
static void
tab_renderer_cb (BhTab *tab, GParamSpec *pspec, gpointer data)
{
  TabWatch *watch = data;
  BhRendererHost *host = bh_tab_get_renderer_host (tab);

  if (host != NULL)
    g_set_object (&watch->host, host);
}

static TabWatch *
tab_watch_new (BhBidiServer *server, BhTab *tab)
{
  TabWatch *watch = g_new0 (TabWatch, 1);

  watch->server = server;
  watch->tab = g_object_ref (tab);
  watch->context = context_for_tab (tab);
  if (bh_tab_get_renderer_host (tab) != NULL)
    watch->host = g_object_ref (bh_tab_get_renderer_host (tab));
  /* A tab already showing a page counts as having committed and loaded it. */
  if (!bh_tab_is_loading (tab) && *bh_tab_get_uri (tab) != '\0')
    {
      watch->navigation_id = bh_tab_get_committed_navigation_id (tab);
      watch->navigation = g_uuid_string_random ();
      watch->committed = TRUE;
      watch->loaded = TRUE;
      watch->frame_since_commit = bh_tab_get_frame (tab) != NULL;
    }
  else if (bh_tab_is_loading (tab))
    watch->navigation = g_uuid_string_random ();

  g_signal_connect (tab, "navigation-started", G_CALLBACK (tab_navigation_started_cb), watch);
  g_signal_connect (tab, "navigation-committed", G_CALLBACK (tab_navigation_committed_cb), watch);
  g_signal_connect (tab, "frame-changed", G_CALLBACK (tab_frame_changed_cb), watch);
  g_signal_connect (tab, "load-finished", G_CALLBACK (tab_load_finished_cb), watch);
  g_signal_connect (tab, "notify::state", G_CALLBACK (tab_state_cb), watch);
  g_signal_connect (tab, "notify::renderer-pid", G_CALLBACK (tab_renderer_cb), watch);
  return watch;
}

static void
tab_watch_free (TabWatch *watch)
{
  fail_navigation_waits (watch, BH_BIDI_ERROR_NO_SUCH_FRAME, "the browsing context was closed");
  /* A screenshot asked for just before the tab closed gets what there is. */
  while (watch->frame_waits != NULL)
    frame_wait_finish (watch->frame_waits->data);
  g_signal_handlers_disconnect_by_data (watch->tab, watch);
  g_clear_object (&watch->tab);
  g_clear_object (&watch->host);
  g_free (watch->context);
  g_free (watch->navigation);
  g_free (watch);
}

static TabWatch *
lookup_watch (BhBidiServer *self, BhTab *tab)
{
  g_autofree char *context = context_for_tab (tab);

  return g_hash_table_lookup (self->tabs, context);
}

/* The browser's tab list changed: events for the tabs that came and went. */
static void
tabs_changed_cb (GListModel *tabs, guint position, guint removed, guint added, gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;
  guint n = g_list_model_get_n_items (tabs);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);
      char *context = context_for_tab (tab);

      g_hash_table_add (present, context);
      if (!g_hash_table_contains (self->tabs, context))
        {
          g_hash_table_insert (self->tabs, g_strdup (context), tab_watch_new (self, tab));
          g_ptr_array_add (created, g_object_ref (tab));
        }
    }

  g_hash_table_iter_init (&iter, self->tabs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TabWatch *watch = value;

      if (g_hash_table_contains (present, watch->context))
        continue;
      emit_for_watch (watch, "browsingContext.contextDestroyed",
                      bh_bidi_server_context_info (self, watch->tab));
      g_hash_table_iter_remove (&iter);
    }

  for (guint i = 0; i < created->len; i++)
    {
      BhTab *tab = g_ptr_array_index (created, i);

      emit_for_watch (lookup_watch (self, tab), "browsingContext.contextCreated",
                      bh_bidi_server_context_info (self, tab));
    }
}

BhTab *
bh_bidi_server_find_tab (BhBidiServer *self, const char *context)
{
  TabWatch *watch;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), NULL);

  if (context == NULL)
    return NULL;
  watch = g_hash_table_lookup (self->tabs, context);
  return watch != NULL ? watch->tab : NULL;
}

guint64
bh_bidi_server_navigation_serial (BhBidiServer *self, BhTab *tab)
{
  TabWatch *watch;

  g_return_val_if_fail (BH_IS_BIDI_SERVER (self), 0);

  watch = lookup_watch (self, tab);
  return watch != NULL ? watch->serial : 0;
}

void
bh_bidi_server_wait_navigation (BhBidiServer *self, BhBidiCommand *command, BhTab *tab,
                                guint64 serial_before, BhBidiWait wait, BhBidiNavigatedFunc done)
{
  TabWatch *watch;
  NavigationWait *entry;

  g_return_if_fail (BH_IS_BIDI_SERVER (self));
  g_return_if_fail (command != NULL);

  watch = lookup_watch (self, tab);
  if (watch == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                            "the browsing context was closed");
      return;
    }
  /* BhTab starts no navigation in a tab that is closing. */
  if (watch->serial == serial_before)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                            "the browsing context was closed");
      return;
    }

  if (wait == BH_BIDI_WAIT_NONE)
    {
      done (command, tab, watch->navigation);
      return;
    }
  /* Failed before the call returned (a renderer that could not start). */
  if (!bh_tab_is_loading (tab) && bh_tab_state_is_failure (bh_tab_get_state (tab)))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "%s",
                            bh_tab_get_status_message (tab));
      return;
    }

  entry = g_new0 (NavigationWait, 1);
  entry->command = command;
  entry->wait = wait;
  entry->done = done;
  watch->waits = g_list_append (watch->waits, entry);
  if (watch->loaded)
    resolve_navigation_waits (watch, BH_BIDI_WAIT_COMPLETE);
  else if (watch->frame_since_commit)
    resolve_navigation_waits (watch, BH_BIDI_WAIT_INTERACTIVE);
}

void
bh_bidi_server_wait_frame (BhBidiServer *self, BhBidiCommand *command, BhTab *tab,
                           BhBidiFrameFunc done)
{
  TabWatch *watch;
  FrameWait *wait;

  g_return_if_fail (BH_IS_BIDI_SERVER (self));
  g_return_if_fail (command != NULL);

  watch = lookup_watch (self, tab);
  if (watch == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                            "the browsing context was closed");
      return;
    }
  if (watch->frame_since_commit && bh_tab_get_frame (tab) != NULL &&
      !bh_tab_has_pending_plugins (tab))
    {
      done (command, tab, bh_tab_get_frame (tab));
      return;
    }
  wait = g_new0 (FrameWait, 1);
  wait->watch = watch;
  wait->command = command;
  wait->done = done;
  wait->timeout_id = g_timeout_add (FRAME_WAIT_MS, frame_wait_timeout_cb, wait);
  watch->frame_waits = g_list_append (watch->frame_waits, wait);
}

/* Renderers. */

/* The "(SIGKILL)" at the end of a termination message, as a number. */
static int
signal_from_message (const char *message)
{
  const char *start = message != NULL ? strrchr (message, '(') : NULL;
  g_autofree char *name = NULL;
  const char *end;

  if (start == NULL || !g_str_has_prefix (start, "(SIG"))
    return 0;
  end = strchr (start, ')');
  if (end == NULL)
    return 0;
  name = g_strndup (start + 4, (gsize) (end - start - 4));
  for (int signo = 1; signo < NSIG; signo++)
    {
      const char *abbrev = sigabbrev_np (signo);

      if (abbrev != NULL && g_str_equal (abbrev, name))
        return signo;
    }
  return 0;
}

static int
exit_code_from_message (const char *message, gboolean *out_found)
{
  const char *at = message != NULL ? strstr (message, "exited with code ") : NULL;

  *out_found = at != NULL;
  return at != NULL ? atoi (at + strlen ("exited with code ")) : 0;
}

/* bulkhead:process.terminated for a renderer ("site") or a plugin host
 * ("pluginType"). BhRendererHost and BhPluginHost give the end as a status
 * and a sentence; the signal or the exit code is in the sentence. */
static void
emit_terminated (BhBidiServer *self, int pid, const char *type, const char *label_name,
                 const char *label, BhTerminationStatus status, const char *message,
                 const char * const *contexts)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  int signo = 0;
  int exit_code = 0;
  gboolean have_exit_code = FALSE;

  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      signo = signal_from_message (message);
      if (signo == 0)
        signo = GPOINTER_TO_INT (g_hash_table_lookup (self->sent_signals, GINT_TO_POINTER (pid)));
      if (signo == 0 && status != BH_TERMINATION_STATUS_CRASHED)
        signo = SIGKILL; /* the host's own kill, as for a bad message */
      break;
    case BH_TERMINATION_STATUS_NORMAL:
      have_exit_code = TRUE;
      break;
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
    case BH_TERMINATION_STATUS_OOM:
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      exit_code = exit_code_from_message (message, &have_exit_code);
      if (!have_exit_code)
        signo = signal_from_message (message);
      break;
    }
  g_hash_table_remove (self->sent_signals, GINT_TO_POINTER (pid));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, label_name);
  json_builder_add_string_value (builder, label);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bh_termination_status_to_string (status));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message != NULL ? message : "");
  if (signo != 0)
    {
      json_builder_set_member_name (builder, "signal");
      json_builder_add_int_value (builder, signo);
    }
  else if (have_exit_code)
    {
      json_builder_set_member_name (builder, "exitCode");
      json_builder_add_int_value (builder, exit_code);
    }
  json_builder_set_member_name (builder, "contexts");
  json_builder_begin_array (builder);
  for (gsize i = 0; contexts[i] != NULL; i++)
    json_builder_add_string_value (builder, contexts[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  /* Subscribed to the process module for one of its contexts, or globally. */
  emit_event (self, "bulkhead:process.terminated", contexts, json_builder_get_root (builder));
}

static void
host_terminated_cb (BhRendererHost *host, BhTerminationStatus status, const char *message,
                    gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GStrvBuilder) contexts_builder = g_strv_builder_new ();
  g_auto (GStrv) contexts = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tabs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TabWatch *watch = value;

      if (watch->host == host)
        {
          g_strv_builder_add (contexts_builder, watch->context);
          g_clear_object (&watch->host);
        }
    }
  contexts = g_strv_builder_end (contexts_builder);
  emit_terminated (self, bh_renderer_host_get_pid (host), "renderer", "site",
                   bh_renderer_host_get_site (host), status, message,
                   (const char * const *) contexts);
}

static void
watch_host (BhBidiServer *self, BhRendererHost *host)
{
  if (g_hash_table_contains (self->hosts, host))
    return;
  g_hash_table_add (self->hosts, g_object_ref (host));
  g_signal_connect (host, "terminated", G_CALLBACK (host_terminated_cb), self);
}

static void
host_added_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data)
{
  watch_host (data, host);
}

static void
host_removed_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data)
{
  BhBidiServer *self = data;

  if (g_hash_table_contains (self->hosts, host))
    {
      g_signal_handlers_disconnect_by_data (host, self);
      g_hash_table_remove (self->hosts, host);
    }
}

/* Plugin hosts. Like a renderer host, a plugin host has forgotten the tabs
 * it served by the time it says "terminated": they are remembered here,
 * refreshed whenever its instances change while it lives. */

typedef struct {
  BhBidiServer *server;
  BhPluginHost *host; /* a reference */
  GStrv contexts;     /* the tabs it served last, as contexts */
} PluginWatch;

static void
plugin_watch_snapshot (PluginWatch *watch)
{
  g_autoptr (GPtrArray) tabs = bh_plugin_host_get_tabs (watch->host);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < tabs->len; i++)
    {
      g_autofree char *context = context_for_tab (g_ptr_array_index (tabs, i));

      g_strv_builder_add (builder, context);
    }
  g_strfreev (watch->contexts);
  watch->contexts = g_strv_builder_end (builder);
}

static void
plugin_instances_cb (BhPluginHost *host, GParamSpec *pspec, gpointer data)
{
  PluginWatch *watch = data;

  /* While it dies its instances go first: keep the last live picture. */
  if (bh_plugin_host_is_alive (host))
    plugin_watch_snapshot (watch);
}

static void
plugin_terminated_cb (BhPluginHost *host, BhTerminationStatus status, const char *message,
                      gpointer data)
{
  PluginWatch *watch = data;

  emit_terminated (watch->server, bh_plugin_host_get_pid (host), "plugin", "pluginType",
                   bh_plugin_host_get_plugin_type (host), status, message,
                   (const char * const *) watch->contexts);
}

static void
plugin_watch_free (PluginWatch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->host, watch);
  g_clear_object (&watch->host);
  g_strfreev (watch->contexts);
  g_free (watch);
}

/* The browser's plugin host list changed: follow the hosts in it. */
static void
plugin_hosts_changed_cb (GListModel *hosts, guint position, guint removed, guint added,
                         gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GHashTable) present = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (hosts, i);

      g_hash_table_add (present, host);
      if (!g_hash_table_contains (self->plugin_hosts, host))
        {
          PluginWatch *watch = g_new0 (PluginWatch, 1);

          watch->server = self;
          watch->host = g_object_ref (host);
          plugin_watch_snapshot (watch);
          g_signal_connect (host, "notify::instance-count", G_CALLBACK (plugin_instances_cb),
                            watch);
          g_signal_connect (host, "terminated", G_CALLBACK (plugin_terminated_cb), watch);
          g_hash_table_insert (self->plugin_hosts, host, watch);
        }
    }
  g_hash_table_iter_init (&iter, self->plugin_hosts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
}

void
bh_bidi_server_note_signal (BhBidiServer *self, int pid, int signo)
{
  g_return_if_fail (BH_IS_BIDI_SERVER (self));

  g_hash_table_insert (self->sent_signals, GINT_TO_POINTER (pid), GINT_TO_POINTER (signo));
}

/* Commands. */

void
bh_bidi_command_free (BhBidiCommand *command)
{
  if (command == NULL)
    return;
  g_clear_pointer (&command->connection, connection_unref);
  g_clear_pointer (&command->params, json_object_unref);
  g_free (command->method);
  g_free (command);
}

void
bh_bidi_command_return (BhBidiCommand *command, JsonNode *result)
{
  g_autoptr (BhBidiCommand) owned = command;
  g_autoptr (JsonNode) answer = NULL;

  g_return_if_fail (command != NULL);

  answer = bh_bidi_success_answer (command->id, result);
  connection_queue_answer (command->connection, answer, FALSE);
}

void
bh_bidi_command_fail (BhBidiCommand *command, const char *error, const char *format, ...)
{
  g_autoptr (BhBidiCommand) owned = command;
  g_autoptr (JsonNode) id = NULL;
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (command != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  id = json_node_init_int (json_node_alloc (), command->id);
  answer = bh_bidi_error_answer (id, error, message);
  connection_queue_answer (command->connection, answer, FALSE);
}

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
static void
schedule_close (BhBidiServer *self)
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
  update_trace_sink (self);
  answer = bh_bidi_success_answer (command->id, NULL);
  if (command->connection->wsi != NULL)
    connection_queue_answer (command->connection, answer, TRUE);
  else
    schedule_close (self);
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
  g_signal_connect (tabs, "items-changed", G_CALLBACK (tabs_changed_cb), self);
  tabs_changed_cb (tabs, 0, 0, 0, self);
  hosts = bh_browser_get_renderer_hosts (browser);
  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);

      watch_host (self, host);
    }
  g_signal_connect (bh_browser_get_process_manager (browser), "renderer-host-added", G_CALLBACK (host_added_cb),
                    self);
  g_signal_connect (bh_browser_get_process_manager (browser), "renderer-host-removed",
                    G_CALLBACK (host_removed_cb), self);
  hosts = bh_browser_get_plugin_hosts (browser);
  g_signal_connect (hosts, "items-changed", G_CALLBACK (plugin_hosts_changed_cb), self);
  plugin_hosts_changed_cb (hosts, 0, 0, 0, self);

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

  /* The sockets close with the vhost; lws may call back while it closes
   * them, so the connections are cut off from the server first. */
  while (self->connections->len > 0)
    {
      BhBidiConnection *connection = g_ptr_array_steal_index (self->connections,
                                                              self->connections->len - 1);
      connection->server = NULL;
      connection_closed (connection);
      /* The reference stays with the lws session until LWS_CALLBACK_CLOSED. */
    }
  if (self->listener != NULL)
    {
      self->listener->server = NULL;
      self->listener = NULL; /* freed on LWS_CALLBACK_PROTOCOL_DESTROY */
    }
  g_clear_pointer (&self->vhost, lws_vhost_destroy);

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
  signals[SIGNAL_CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
bh_bidi_server_init (BhBidiServer *self)
{
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_unref);
  self->tabs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) tab_watch_free);
  self->hosts = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, NULL);
  self->plugin_hosts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                              (GDestroyNotify) plugin_watch_free);
  self->sent_signals = g_hash_table_new (g_direct_hash, g_direct_equal);
}
