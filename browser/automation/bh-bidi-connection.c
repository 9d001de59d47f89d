/* bh-bidi-connection.c: one client's WebSocket connection: its queues both
 * ways, decoding and dispatching its commands, and their answers.
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
#include "bh-bidi-server-private.h"
#include "bh-bidi-message.h"

#include <string.h>

#include "bh-lws.h"

static void connection_request_write (BhBidiConnection *connection);

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

/* Connections: lifetime. */

BhBidiConnection *
bh_bidi_connection_new (BhBidiServer *server, struct lws *wsi)
{
  BhBidiConnection *self = g_new0 (BhBidiConnection, 1);

  g_ref_count_init (&self->ref_count);
  self->server = server;
  self->wsi = wsi;
  self->rx = g_byte_array_new ();
  g_queue_init (&self->commands);
  g_queue_init (&self->out);
  self->subscriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bidi_subscription_free);
  return self;
}

BhBidiConnection *
bh_bidi_connection_ref (BhBidiConnection *self)
{
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
bh_bidi_connection_unref (BhBidiConnection *self)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBidiConnection, bh_bidi_connection_unref)

/* The socket is gone (or the server is): nothing more is read or written. */
void
bh_bidi_connection_closed (BhBidiConnection *self)
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
        bh_bidi_server_schedule_close (server);
      /* Its session ends with it: prompts are the window's again, and the
       * requests its intercepts held go on. */
      bh_bidi_server_session_ended (server, self->session_id);
      bh_bidi_server_connection_intercepts_gone (server, self);
      bh_bidi_server_connection_preload_scripts_gone (server, self);
      bh_bidi_server_connection_collectors_gone (server, self);
      bh_bidi_server_update_trace_sink (server);
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

gboolean
bh_bidi_connection_has_room_for_event (BhBidiConnection *self, gsize size)
{
  return self->out_events < MAX_QUEUED_EVENTS && self->out_bytes + size <= MAX_QUEUED_BYTES;
}

void
bh_bidi_connection_queue_event (BhBidiConnection *self, GBytes *text)
{
  if (self->wsi == NULL)
    return;
  if (self->dropped_events > 0 || !bh_bidi_connection_has_room_for_event (self, g_bytes_get_size (text)))
    {
      /* Once dropping, keep dropping until the notice has gone out, so that
       * the client can tell where the gap is. */
      self->dropped_events++;
      return;
    }
  connection_push (self, text, TRUE, FALSE);
}

void
bh_bidi_connection_queue_answer (BhBidiConnection *self, JsonNode *answer, gboolean close_browser)
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
int
bh_bidi_connection_write (BhBidiConnection *self)
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
            bh_bidi_server_schedule_close (self->server);
          out_message_free (message);
          connection_maybe_report_drops (self);
          /* Commands held back by a full queue may go on. */
          if (self->server != NULL && !g_queue_is_empty (&self->commands))
            bh_bidi_server_schedule_processing (self->server);
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

void
bh_bidi_connection_receive (BhBidiConnection *self, const void *data, gsize length, gboolean binary)
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
  bh_bidi_server_schedule_processing (self->server);
}

static void
connection_refuse (BhBidiConnection *self, const JsonNode *id, const char *error,
                   const char *message)
{
  g_autoptr (JsonNode) answer = bh_bidi_error_answer (id, error, message);

  bh_bidi_connection_queue_answer (self, answer, FALSE);
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
  command->connection = bh_bidi_connection_ref (self);
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
                                      (GDestroyNotify) bh_bidi_connection_unref);
  for (guint i = 0; i < self->connections->len; i++)
    g_ptr_array_add (connections, bh_bidi_connection_ref (g_ptr_array_index (self->connections, i)));

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
       * bh_bidi_connection_write(), not polled. */
      if (connection->server != NULL && !g_queue_is_empty (&connection->commands) &&
          connection->out_bytes < MAX_QUEUED_BYTES)
        more = TRUE;
    }

  if (more)
    return G_SOURCE_CONTINUE;
  self->process_id = 0;
  return G_SOURCE_REMOVE;
}

void
bh_bidi_server_schedule_processing (BhBidiServer *self)
{
  /* Below GTK's redraw and input priorities: a busy client slows itself,
   * not the window. */
  if (self->process_id == 0)
    self->process_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, process_cb, self, NULL);
}

/* Commands. */

void
bh_bidi_command_free (BhBidiCommand *command)
{
  if (command == NULL)
    return;
  if (command->state_free != NULL)
    g_clear_pointer (&command->state, command->state_free);
  if (command->reply_data_free != NULL)
    g_clear_pointer (&command->reply_data, command->reply_data_free);
  g_clear_pointer (&command->connection, bh_bidi_connection_unref);
  g_clear_pointer (&command->params, json_object_unref);
  g_free (command->method);
  g_free (command);
}

BhBidiCommand *
bh_bidi_command_new_for_reply (BhBidiServer *server, const char *method, JsonObject *params,
                               BhBidiReplyFunc reply, gpointer reply_data,
                               GDestroyNotify reply_data_free)
{
  BhBidiCommand *command = g_new0 (BhBidiCommand, 1);

  command->server = server;
  command->method = g_strdup (method);
  command->params = params != NULL ? json_object_ref (params) : json_object_new ();
  command->reply = reply;
  command->reply_data = reply_data;
  command->reply_data_free = reply_data_free;
  return command;
}

void
bh_bidi_command_return (BhBidiCommand *command, JsonNode *result)
{
  g_autoptr (BhBidiCommand) owned = command;
  g_autoptr (JsonNode) answer = NULL;

  g_return_if_fail (command != NULL);

  if (command->reply != NULL)
    {
      command->reply (command->reply_data, result, NULL, NULL);
      return;
    }
  answer = bh_bidi_success_answer (command->id, result);
  bh_bidi_connection_queue_answer (command->connection, answer, FALSE);
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
  if (command->reply != NULL)
    {
      command->reply (command->reply_data, NULL, error, message);
      return;
    }
  id = json_node_init_int (json_node_alloc (), command->id);
  answer = bh_bidi_error_answer (id, error, message);
  bh_bidi_connection_queue_answer (command->connection, answer, FALSE);
}
