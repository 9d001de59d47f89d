/* bh-renderer-host.c: one renderer process, seen from the browser.
 *
 * Life of a host: launch (socketpair, spawn with the child's end as fd 3) ->
 * ChildReady -> views come and go -> either the last view leaves and, after a
 * grace period, the host closes the channel (the renderer exits on EOF), or
 * the process dies / is killed. Death is noticed twice, by the channel's
 * hang-up and by the child watch; the termination is recorded once, and only
 * the child watch's waitpid() ends the host's life in the browser's list.
 *
 * This file owns that life, the views, navigation and its body, script
 * messages and the switch over a renderer's messages; the rest of the
 * renderer's messages are checked in bh-renderer-host-frames.c (buffers,
 * frames), bh-renderer-host-input.c (input, user activation, selection, find),
 * bh-renderer-host-resources.c (subresources, forms),
 * bh-renderer-host-plugins.c (plugin boxes) and bh-renderer-host-query.c
 * (automation's element queries). Their shared state is in
 * bh-renderer-host-internal.h.
 */
#include "bh-trace-record.h"
#include "bh-renderer-host.h"

#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bh-body-stream.h"
#include "bh-channel.h"
#include "bh-child-host.h"
#include "bh-frame.h"
#include "bh-host-rules.h"
#include "bh-renderer-host-internal.h"
#include "bh-renderer-host-script.h"

/* The longest title a renderer may send; longer ones are cut. */
#define MAX_TITLE_CHARS 4096

G_DEFINE_FINAL_TYPE (BhRendererHost, bh_renderer_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SITE,
  PROP_PID,
  PROP_READY,
  PROP_SANDBOX,
  PROP_ALIVE,
  PROP_TERMINATION_STATUS,
  PROP_TERMINATION_MESSAGE,
  PROP_VIEW_COUNT,
  N_PROPS
};

enum {
  SIGNAL_CLOSING,
  SIGNAL_TERMINATED,
  SIGNAL_REAPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Views. */

static void
view_free (View *view)
{
  if (view == NULL)
    return;
  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  g_clear_pointer (&view->buffers, g_hash_table_unref);
  g_clear_pointer (&view->requests, g_hash_table_unref);
  g_clear_pointer (&view->fetches, g_hash_table_unref);
  g_clear_pointer (&view->body, bh_body_stream_free);
  g_clear_pointer (&view->sizes, g_array_unref);
  g_free (view->committing_url);
  g_free (view->favicon_url);
  g_strfreev (view->extra_headers);
  g_free (view);
}

View *
bh_renderer_host_lookup_view (BhRendererHost *self, guint view_id)
{
  return g_hash_table_lookup (self->views, GUINT_TO_POINTER (view_id));
}

static void
drop_pending_input (BhRendererHost *self, guint view_id)
{
  GList *l = self->pending_input.head;

  while (l != NULL)
    {
      GList *next = l->next;
      PendingInput *input = l->data;

      if (view_id == 0 || input->view_id == view_id)
        {
          g_queue_delete_link (&self->pending_input, l);
          g_free (input);
        }
      l = next;
    }
}

/* Termination. */

/* The renderer's end is recorded: every tab it served learns it. */
static void
terminated_cb (GObject *owner, BhTerminationStatus status, const char *message)
{
  BhRendererHost *self = BH_RENDERER_HOST (owner);
  g_autoptr (GList) views = NULL;

  bh_hang_monitor_stop (self->hang_monitor);
  drop_pending_input (self, 0);
  /* The owner hears it before the tabs: it stops giving the host new views
   * and counts a crash, since the sad tab says when a site keeps crashing,
   * and a user who reloads it over and over should know. */
  g_signal_emit (self, signals[SIGNAL_CLOSING], 0, status);

  /* The tabs learn it with the host already out of their way, so that a
   * reload from a handler gets a fresh renderer. */
  views = g_hash_table_get_values (self->views);
  g_hash_table_steal_all (self->views);
  for (GList *l = views; l != NULL; l = l->next)
    {
      View *view = l->data;
      const BhRendererViewClient *client = view->client;
      g_autoptr (GObject) owner = view->owner != NULL ? g_object_ref (view->owner) : NULL;

      view->owner = NULL;
      view_free (view);
      if (owner != NULL)
        client->gone (owner, self, status, message);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINATION_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINATION_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_COUNT]);
  g_signal_emit (self, signals[SIGNAL_TERMINATED], 0, status, message);
}

static void
reaped_cb (GObject *owner)
{
  BhRendererHost *self = BH_RENDERER_HOST (owner);

  g_signal_emit (self, signals[SIGNAL_REAPED], 0);
}

/* Hangs. */

static char *
unresponsive_message (BhRendererHost *self)
{
  guint timeout_ms = bh_hang_monitor_get_timeout_ms (self->hang_monitor);

  if (timeout_ms % 1000 == 0)
    return g_strdup_printf ("The renderer for %s has not responded for %u s", self->site,
                            timeout_ms / 1000);
  return g_strdup_printf ("The renderer for %s has not responded for %.1f s", self->site,
                          timeout_ms / 1000.0);
}

/* Every tab of the renderer shows it: they share its one main thread. */
static void
unresponsive_changed_cb (BhHangMonitor *monitor, GParamSpec *pspec, BhRendererHost *self)
{
  g_autoptr (BhRendererHost) keep = g_object_ref (self);
  g_autofree char *message = unresponsive_message (self);
  gboolean unresponsive = bh_hang_monitor_is_unresponsive (monitor);
  g_autoptr (GPtrArray) owners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) clients = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  if (self->host.terminated)
    return;
  g_debug ("renderer %d (%s) is %s", (int) self->host.pid, self->site,
           unresponsive ? "unresponsive" : "responsive again");
  /* The tabs, not the views: a handler of the tab's state may kill the
   * renderer (the dialog's Kill), which frees the views. */
  g_hash_table_iter_init (&iter, self->views);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      View *view = value;

      if (view->owner != NULL)
        {
          g_ptr_array_add (owners, g_object_ref (view->owner));
          g_ptr_array_add (clients, (gpointer) view->client);
        }
    }
  for (guint i = 0; i < owners->len; i++)
    {
      const BhRendererViewClient *client = g_ptr_array_index (clients, i);

      client->unresponsive (g_ptr_array_index (owners, i), self, unresponsive, message);
    }
}

/* Bad messages. */

void
bh_renderer_host_report_bad_message (BhRendererHost *self, const char *reason)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));
  g_return_if_fail (reason != NULL);

  bh_child_host_report_bad_message (&self->host, "%s", reason);
}

void
bh_renderer_host_kill (BhRendererHost *self, BhTerminationStatus status, const char *message)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));
  g_return_if_fail (status != BH_TERMINATION_STATUS_STILL_RUNNING);

  bh_child_host_kill (&self->host, status, message);
}

/* Messages from the renderer. */

/* Returns the view, or NULL. A view the browser destroyed a moment ago may
 * still be named by messages the renderer sent before DestroyView reached it
 * (Chromium drops messages for a routing id that is gone): those are dropped.
 * An id the browser never gave out is a bad message. */
View *
bh_renderer_host_checked_view (BhRendererHost *self, const BhMessage *message, guint view_id)
{
  View *view = bh_renderer_host_lookup_view (self, view_id);

  if (view == NULL && (view_id == 0 || view_id > self->next_view_id))
    bad_message (self, "%s for view %u, which it does not host",
                 bh_message_type_name (message->type), view_id);
  return view;
}

/* A navigation id the renderer names must be one the browser sent to that
 * view; an older one is a late message from a navigation since replaced. */
static gboolean
checked_navigation (BhRendererHost *self, const BhMessage *message, View *view,
                    guint64 navigation_id, gboolean *out_current)
{
  if (navigation_id == 0 || navigation_id > view->last_navigation_id)
    {
      bad_message (self, "%s for navigation %" G_GUINT64_FORMAT " never committed to view %u",
                   bh_message_type_name (message->type), navigation_id, view->id);
      return FALSE;
    }
  *out_current = navigation_id == view->committing_id;
  return TRUE;
}

static void
ready_cb (GObject *owner)
{
  g_object_notify_by_pspec (owner, properties[PROP_READY]);
  g_object_notify_by_pspec (owner, properties[PROP_SANDBOX]);
}

static void
handle_did_commit_navigation (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  const char *url;
  gboolean current;
  View *view;

  g_variant_get (message->payload, "(ut&s)", &view_id, &navigation_id, &url);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_navigation (self, message, view, navigation_id, &current))
    return;
  if (!current)
    return;
  if (view->commit_acked)
    {
      bad_message (self, "DidCommitNavigation sent twice for navigation %" G_GUINT64_FORMAT,
                   navigation_id);
      return;
    }
  /* The site lock: the renderer may only claim the document it was given. */
  if (g_strcmp0 (url, view->committing_url) != 0)
    {
      bad_message (self, "DidCommitNavigation for %s, but the browser committed %s", url,
                   view->committing_url);
      return;
    }
  view->commit_acked = TRUE;
  view->client->did_commit_navigation (view->owner, navigation_id, url);
}

static void
handle_title_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  const char *title;
  gboolean current;
  View *view;

  g_variant_get (message->payload, "(ut&s)", &view_id, &navigation_id, &title);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_navigation (self, message, view, navigation_id, &current))
    return;
  if (!current)
    return;
  /* Chromium cuts titles at content::kMaxTitleChars. */
  if (g_utf8_strlen (title, MAX_TITLE_CHARS + 1) > MAX_TITLE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (title, 0, MAX_TITLE_CHARS);

      view->client->title_changed (view->owner, navigation_id, cut);
      return;
    }
  view->client->title_changed (view->owner, navigation_id, title);
}

static void
handle_load_progress (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  double progress;
  gboolean current;
  View *view;

  g_variant_get (message->payload, "(utd)", &view_id, &navigation_id, &progress);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_navigation (self, message, view, navigation_id, &current))
    return;
  if (!isfinite (progress) || progress < 0.0 || progress > 1.0)
    {
      bad_message (self, "LoadProgress of %g, outside 0..1", progress);
      return;
    }
  if (current)
    view->client->load_progress (view->owner, navigation_id, progress);
}

static void
handle_did_finish_load (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  gboolean current;
  View *view;

  g_variant_get (message->payload, "(ut)", &view_id, &navigation_id);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_navigation (self, message, view, navigation_id, &current))
    return;
  if (current)
    view->client->did_finish_load (view->owner, navigation_id);
}

static void
handle_document_size (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint64 navigation_id;
  guint32 width_px;
  guint32 height_px;
  gboolean current;
  View *view;

  g_variant_get (message->payload, "(utuu)", &view_id, &navigation_id, &width_px, &height_px);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_navigation (self, message, view, navigation_id, &current))
    return;
  if (width_px > G_MAXINT || height_px > G_MAXINT)
    {
      bad_message (self, "DocumentSize of %ux%u px", width_px, height_px);
      return;
    }
  if (current)
    view->client->document_size (view->owner, navigation_id, width_px, height_px);
}

/**
 * bh_renderer_host_send_to_view:
 * @type: a browser -> renderer message of the catalogue that is not input
 *   (CommitSameDocumentNavigation, RestoreScrollPosition, Find, StopFinding,
 *   LocateNodes, QueryNode)
 * @payload: (transfer floating): of the catalogue's type, view id first
 *
 * Sends a message about one view. A Find's request id (its second field) is
 * remembered: FindReply may name only ids sent.
 *
 * Returns: %FALSE when the renderer or the view is gone (nothing sent)
 */
gboolean
bh_renderer_host_send_to_view (BhRendererHost *self, guint view_id, BhMessageType type, GVariant *payload)
{
  g_autoptr (GVariant) sunk = g_variant_ref_sink (payload);
  View *view;

  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);

  if (self->host.channel == NULL || (view = bh_renderer_host_lookup_view (self, view_id)) == NULL)
    return FALSE;
  if (type == BH_MSG_Find)
    g_variant_get_child (sunk, 1, "u", &view->last_find_request_id);
  return bh_channel_send (self->host.channel, type, sunk, NULL, 0) != 0;
}

/* Script (bh-renderer-host-script.c has the value checks). */

static void
handle_script_message (BhRendererHost *self, const BhMessage *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) first = g_variant_get_child_value (message->payload, 0);
  View *view = bh_renderer_host_checked_view (self, message, g_variant_get_uint32 (first));
  gboolean current = TRUE;

  if (view == NULL)
    {
      /* A dialog or cookie read for a view that is gone is answered all the same:
       * the renderer waits. */
      if (message->type == BH_MSG_RunDialog && self->host.channel != NULL)
        bh_channel_reply (self->host.channel, message, BH_MSG_DialogClosed, g_variant_new ("(bs)", FALSE, ""), NULL, 0);
      if (message->type == BH_MSG_CookieGet && self->host.channel != NULL)
        bh_channel_reply (self->host.channel, message, BH_MSG_CookieValue, g_variant_new ("(s)", ""), NULL, 0);
      if (message->type == BH_MSG_StorageLoad)
        bh_renderer_host_reply_storage (self, message, NULL);
      return;
    }
  if (message->type != BH_MSG_ScriptResult)
    {
      g_autoptr (GVariant) second = g_variant_get_child_value (message->payload, 1);
      if (!checked_navigation (self, message, view, g_variant_get_uint64 (second), &current))
        return;
    }
  switch (message->type)
    {
    case BH_MSG_ConsoleMessage:
      {
        guint32 level;
        const char *text;
        g_autofree char *cut = NULL;

        g_variant_get (message->payload, "(utu&s)", NULL, NULL, &level, &text);
        if (level > 2)
          {
            bad_message (self, "ConsoleMessage with level %u (0 to 2)", level);
            return;
          }
        if (!current || view->owner == NULL)
          return;
        cut = bh_renderer_script_cut_text (text, BH_MAX_CONSOLE_MESSAGE_CHARS);
        if (self->host.options->enable_logging != NULL)
          {
            static const char *const levels[] = { "INFO", "WARNING", "ERROR" };
            g_autofree char *escaped = g_strescape (cut, NULL);

            g_printerr ("[%s:CONSOLE] \"%s\", renderer %d (%s)\n", levels[level], escaped,
                        self->host.pid, self->site);
          }
        view->client->console_message (view->owner, level, cut);
      }
      break;
    case BH_MSG_ScriptResult:
      {
        guint32 request_id;
        const char *json;

        g_variant_get (message->payload, "(uu&s)", NULL, &request_id, &json);
        if (!bh_renderer_script_check_result (json, &error))
          {
            bad_message (self, "%s", error->message);
            return;
          }
        if (view->owner != NULL)
          view->client->script_result (view->owner, request_id, json);
      }
      break;
    case BH_MSG_RunDialog:
      {
        guint32 kind;
        const char *text, *default_text;
        g_autofree char *cut = NULL, *cut_default = NULL;

        g_variant_get (message->payload, "(utu&s&s)", NULL, NULL, &kind, &text, &default_text);
        if (!(message->flags & BH_FRAME_FLAG_REQUEST) || kind > 2 || self->dialog_serial != 0)
          {
            bad_message (self, "RunDialog of kind %u%s%s", kind,
                         (message->flags & BH_FRAME_FLAG_REQUEST) ? "" : ", not a request",
                         self->dialog_serial != 0 ? ", while a dialog is open" : "");
            return;
          }
        self->dialog_serial = message->serial;
        self->dialog_view_id = view->id;
        /* The renderer waits on the user, not on a bug: no hang while it is up. */
        bh_hang_monitor_set_paused (self->hang_monitor, TRUE);
        if (!current || view->owner == NULL)
          {
            bh_renderer_host_answer_dialog (self, message->serial, FALSE, NULL);
            return;
          }
        cut = bh_renderer_script_cut_text (text, BH_MAX_DIALOG_TEXT_CHARS);
        cut_default = bh_renderer_script_cut_text (default_text, BH_MAX_DIALOG_TEXT_CHARS);
        view->client->run_dialog (view->owner, message->serial, kind, cut, cut_default);
      }
      break;
    case BH_MSG_ScriptNavigate:
      {
        guint32 kind;
        const char *url;
        gint32 delta;

        g_variant_get (message->payload, "(utu&si)", NULL, NULL, &kind, &url, &delta);
        if (kind > 5 || ((kind <= 1 || kind >= 4) && !g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL)) ||
            (kind == 2 || kind == 3) != (*url == '\0'))
          {
            bad_message (self, "ScriptNavigate of kind %u to \"%s\"", kind, url);
            return;
          }
        if (!current || view->owner == NULL)
          return;
        view->client->script_navigate (view->owner, kind, url, delta);
      }
      break;
    case BH_MSG_CookieGet:
      {
        g_autofree char *cookies = NULL;

        if (!(message->flags & BH_FRAME_FLAG_REQUEST))
          {
            bad_message (self, "CookieGet that is not a request");
            return;
          }
        if (current && view->owner != NULL)
          cookies = view->client->get_cookie (view->owner);
        if (self->host.channel != NULL)
          bh_channel_reply (self->host.channel, message, BH_MSG_CookieValue,
                            g_variant_new ("(s)", cookies != NULL ? cookies : ""), NULL, 0);
      }
      break;
    case BH_MSG_CookieSet:
      {
        const char *cookie;

        g_variant_get (message->payload, "(ut&s)", NULL, NULL, &cookie);
        if (strlen (cookie) > BH_MAX_SCRIPT_COOKIE_BYTES)
          {
            bad_message (self, "CookieSet of %" G_GSIZE_FORMAT " bytes (at most %u)", strlen (cookie),
                         BH_MAX_SCRIPT_COOKIE_BYTES);
            return;
          }
        if (current && view->owner != NULL)
          view->client->set_cookie (view->owner, cookie);
      }
      break;
    case BH_MSG_StorageLoad:
      {
        guint32 area;
        g_autoptr (GVariant) contents = NULL;

        g_variant_get (message->payload, "(utu)", NULL, NULL, &area);
        if (!(message->flags & BH_FRAME_FLAG_REQUEST) || area > 1)
          {
            bad_message (self, "StorageLoad of area %u%s", area,
                         (message->flags & BH_FRAME_FLAG_REQUEST) ? "" : ", not a request");
            return;
          }
        if (current && view->owner != NULL && view->client->storage_load != NULL)
          contents = view->client->storage_load (view->owner, area == 1);
        if (contents != NULL)
          g_variant_ref_sink (contents);
        bh_renderer_host_reply_storage (self, message, contents);
      }
      break;
    case BH_MSG_StorageChange:
      {
        guint32 area, operation;
        const char *key, *value;

        g_variant_get (message->payload, "(utuu&s&s)", NULL, NULL, &area, &operation, &key, &value);
        if (area > 1 || operation > 2 || strlen (key) + strlen (value) > BH_MAX_STORAGE_ITEM_BYTES ||
            (operation != 0 && *value != '\0') || (operation == 2 && *key != '\0'))
          {
            bad_message (self, "StorageChange of area %u, operation %u, %" G_GSIZE_FORMAT " bytes", area, operation,
                         strlen (key) + strlen (value));
            return;
          }
        if (current && view->owner != NULL && view->client->storage_change != NULL)
          view->client->storage_change (view->owner, area == 1, operation, key, value);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
bh_renderer_host_evaluate_script (BhRendererHost *self, guint view_id, guint32 request_id, const char *source,
                                  const char *arguments_json, guint flags)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));
  g_return_if_fail (source != NULL && arguments_json != NULL);

  if (self->host.channel == NULL || bh_renderer_host_lookup_view (self, view_id) == NULL)
    return;
  bh_channel_send (self->host.channel, BH_MSG_ScriptEvaluate,
                   g_variant_new ("(uussu)", view_id, request_id, source, arguments_json, flags & 3u), NULL, 0);
}

void
bh_renderer_host_answer_dialog (BhRendererHost *self, guint32 dialog_id, gboolean accepted, const char *text)
{
  BhMessage request = { 0 };

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (dialog_id == 0 || dialog_id != self->dialog_serial)
    return;
  self->dialog_serial = 0;
  self->dialog_view_id = 0;
  request.serial = dialog_id;
  if (self->host.channel != NULL)
    bh_channel_reply (self->host.channel, &request, BH_MSG_DialogClosed,
                      g_variant_new ("(bs)", accepted, text != NULL ? text : ""), NULL, 0);
  /* The time the renderer spent waiting on the user does not count against the
   * input and Ping it could not answer meanwhile: a fresh timeout, as Wait gives. */
  bh_hang_monitor_set_paused (self->hang_monitor, FALSE);
}

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  BhRendererHost *self = user_data;
  g_autoptr (BhMessage) owned = message;
  g_autoptr (BhRendererHost) keep = g_object_ref (self);

  if (bh_child_host_handle_message (&self->host, message))
    return;
  switch (message->type)
    {
    case BH_MSG_DidCommitNavigation:
      handle_did_commit_navigation (self, message);
      break;
    case BH_MSG_TitleChanged:
      handle_title_changed (self, message);
      break;
    case BH_MSG_LoadProgress:
      handle_load_progress (self, message);
      break;
    case BH_MSG_DidFinishLoad:
      handle_did_finish_load (self, message);
      break;
    case BH_MSG_DocumentSize:
      handle_document_size (self, message);
      break;
    case BH_MSG_OpenURL:
      bh_renderer_host_handle_open_url (self, message);
      break;
    case BH_MSG_HoverChanged:
      bh_renderer_host_handle_hover_changed (self, message);
      break;
    case BH_MSG_ResourceRequest:
      bh_renderer_host_handle_resource_request (self, message);
      break;
    case BH_MSG_BufferCreated:
      bh_renderer_host_handle_buffer_created (self, message);
      break;
    case BH_MSG_BufferDestroyed:
      bh_renderer_host_handle_buffer_destroyed (self, message);
      break;
    case BH_MSG_FrameReady:
      bh_renderer_host_handle_frame_ready (self, message);
      break;
    case BH_MSG_InputEventAck:
      bh_renderer_host_handle_input_event_ack (self, message);
      break;
    case BH_MSG_PluginBoxChanged:
      bh_renderer_host_handle_plugin_box_changed (self, message);
      break;
    case BH_MSG_PluginBoxRemoved:
      bh_renderer_host_handle_plugin_box_removed (self, message);
      break;
    case BH_MSG_ConsoleMessage:
    case BH_MSG_ScriptResult:
    case BH_MSG_RunDialog:
    case BH_MSG_ScriptNavigate:
    case BH_MSG_CookieGet:
    case BH_MSG_CookieSet:
    case BH_MSG_StorageLoad:
    case BH_MSG_StorageChange:
      handle_script_message (self, message);
      break;
    case BH_MSG_SelectionChanged:
      bh_renderer_host_handle_selection_changed (self, message);
      break;
    case BH_MSG_ClipboardWrite:
      bh_renderer_host_handle_clipboard_write (self, message);
      break;
    case BH_MSG_FindReply:
      bh_renderer_host_handle_find_reply (self, message);
      break;
    case BH_MSG_HorizontalScrollChanged:
      bh_renderer_host_handle_horizontal_scroll_changed (self, message);
      break;
    case BH_MSG_SubmitForm:
      bh_renderer_host_handle_submit_form (self, message);
      break;
    case BH_MSG_ShowPopupMenu:
      bh_renderer_host_handle_show_popup_menu (self, message);
      break;
    case BH_MSG_ShowContextMenu:
      bh_renderer_host_handle_show_context_menu (self, message);
      break;
    case BH_MSG_TooltipChanged:
      bh_renderer_host_handle_tooltip_changed (self, message);
      break;
    case BH_MSG_NodesLocated:
    case BH_MSG_NodeQueried:
      bh_renderer_host_handle_node_answer (self, message);
      break;
    case BH_MSG_FetchRequest:
      bh_renderer_host_handle_fetch_request (self, message);
      break;
    case BH_MSG_UpdateFaviconURL:
      bh_renderer_host_handle_update_favicon_url (self, message);
      break;
    case BH_MSG_FaviconDecoded:
      bh_renderer_host_handle_favicon_decoded (self, message);
      break;
    case BH_MSG_PdfPrinted:
      bh_renderer_host_handle_pdf_printed (self, message);
      break;
    default:
      bad_message (self, "%s is not a message a renderer sends",
                   bh_message_type_name (message->type));
      break;
    }
}

static void
channel_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  BhRendererHost *self = user_data;

  self->hung_up = TRUE;
  bh_child_host_channel_error (&self->host, error);
}

/* No new tab goes to it: its owner forgets it as its site's renderer. */
static void
closing_cb (GObject *owner)
{
  g_signal_emit (owner, signals[SIGNAL_CLOSING], 0, BH_TERMINATION_STATUS_STILL_RUNNING);
}

static void idle_cb (GObject *owner);

static const BhChildHostHooks child_host_hooks = {
  .message = message_cb,
  .channel_error = channel_error_cb,
  .ready = ready_cb,
  .terminated = terminated_cb,
  .reaped = reaped_cb,
  .idle = idle_cb,
  .closing = closing_cb,
};

/* Launching. */

gboolean
bh_renderer_host_launch (BhRendererHost *self, GError **error)
{
  g_autofree char *site_arg = NULL;

  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);
  g_return_val_if_fail (!self->host.launched, FALSE);

  site_arg = g_strdup_printf ("--site=%s", self->site);
  {
    const char *const role_args[] = { "--type=renderer", site_arg,
                                      self->host.options->disable_javascript ? "--disable-javascript" : NULL, NULL };

    if (!bh_child_host_launch (&self->host, self->renderer_path, role_args, TRUE,
                               error))
      return FALSE;
  }
  /* Started ahead of a response that may end up elsewhere (a redirect to
   * another site, an error page): unused, it goes away like an idle one. */
  if (g_hash_table_size (self->views) == 0)
    bh_child_host_start_idle_grace (&self->host, BH_RENDERER_SPARE_GRACE_MS);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
  return TRUE;
}

/* For the browser and the tabs. */

/* What the hang monitor reads of its renderer. */
static gboolean
hang_monitor_get_owed (gpointer owner, guint *out_unacked, gint64 *out_oldest_us)
{
  BhRendererHost *self = owner;

  bh_renderer_host_get_unacked_input (self, out_unacked, out_oldest_us);
  return bh_renderer_host_is_alive (self) && (*out_unacked > 0 || bh_renderer_host_has_visible_view (self));
}

static void
hang_monitor_pong_cb (BhRendererHost *host, gboolean ok, gint64 round_trip_us, gpointer data)
{
  g_autoptr (BhHangMonitor) monitor = data;

  bh_hang_monitor_pong (monitor, ok);
}

static void
hang_monitor_ping (gpointer owner, BhHangMonitor *monitor)
{
  bh_renderer_host_ping (owner, 0, hang_monitor_pong_cb, g_object_ref (monitor));
}

static const BhHangMonitorClient hang_monitor_client = {
  .get_owed = hang_monitor_get_owed,
  .ping = hang_monitor_ping,
};

BhRendererHost *
bh_renderer_host_new (const char *site, BhBrowserOptions *options, const char *renderer_path,
                      BhHostRules *host_rules, BhProfile *profile)
{
  BhRendererHost *self;

  g_return_val_if_fail (site != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (renderer_path != NULL, NULL);

  self = g_object_new (BH_TYPE_RENDERER_HOST, NULL);
  self->site = g_strdup (site);
  self->renderer_path = g_strdup (renderer_path);
  self->host_rules = host_rules != NULL ? bh_host_rules_ref (host_rules) : NULL;
  self->profile = profile != NULL ? g_object_ref (profile) : NULL;
  bh_child_host_init (&self->host, G_OBJECT (self), options, &child_host_hooks, "renderer", "renderer",
                      "was stopped because it sent a malformed message", site);
  self->hang_monitor = bh_hang_monitor_new (&hang_monitor_client, self, options->hang_timeout_ms);
  g_signal_connect (self->hang_monitor, "notify::unresponsive",
                    G_CALLBACK (unresponsive_changed_cb), self);
  return self;
}

gboolean
bh_renderer_host_is_closing (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), TRUE);

  return bh_child_host_is_closing (&self->host);
}

void
bh_renderer_host_close (BhRendererHost *self)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (self->host.closing)
    return;
  bh_child_host_close (&self->host);
}

static void
idle_cb (GObject *owner)
{
  BhRendererHost *self = BH_RENDERER_HOST (owner);

  if (g_hash_table_size (self->views) == 0)
    {
      g_debug ("renderer %d (%s) has no view left: closing", (int) self->host.pid, self->site);
      bh_renderer_host_close (self);
    }
}

guint
bh_renderer_host_create_view (BhRendererHost *self, const BhRendererViewClient *client, GObject *owner,
                              guint width_px, guint height_px, double scale)
{
  View *view;

  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), 0);
  g_return_val_if_fail (!bh_renderer_host_is_closing (self), 0);

  bh_child_host_cancel_idle_grace (&self->host);
  view = g_new0 (View, 1);
  view->id = ++self->next_view_id;
  view->host = self;
  view->client = client;
  view->owner = owner;
  view->buffers = bh_renderer_host_new_buffer_table ();
  view->requests = g_hash_table_new (NULL, NULL);
  view->fetches = g_hash_table_new (NULL, NULL);
  view->cancellable = g_cancellable_new ();
  view->sizes = g_array_new (FALSE, FALSE, sizeof (ViewSize));
  bh_renderer_host_view_size_sent (view, width_px, height_px);
  g_hash_table_insert (self->views, GUINT_TO_POINTER (view->id), view);
  bh_channel_send (self->host.channel, BH_MSG_CreateView,
                   g_variant_new ("(uuud)", view->id, width_px, height_px, scale), NULL, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_COUNT]);
  bh_hang_monitor_update (self->hang_monitor);
  return view->id;
}

void
bh_renderer_host_destroy_view (BhRendererHost *self, guint view_id)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (!g_hash_table_remove (self->views, GUINT_TO_POINTER (view_id)))
    return;
  drop_pending_input (self, view_id);
  if (self->dialog_view_id == view_id)
    bh_renderer_host_answer_dialog (self, self->dialog_serial, FALSE, NULL);
  if (self->host.channel != NULL)
    bh_channel_send (self->host.channel, BH_MSG_DestroyView, g_variant_new ("(u)", view_id), NULL, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_COUNT]);
  bh_hang_monitor_update (self->hang_monitor);
  if (g_hash_table_size (self->views) == 0)
    bh_child_host_start_idle_grace (&self->host, BH_RENDERER_IDLE_GRACE_MS);
}

static void
body_flow_cb (BhBodyStream *stream, gboolean wants_more, gpointer user_data)
{
  View *view = user_data;

  view->client->body_flow (view->owner, view->committing_id, wants_more);
}

static void
body_failed_cb (BhBodyStream *stream, const GError *error, gpointer user_data)
{
  View *view = user_data;
  BhRendererHost *self = view->host;
  guint64 navigation_id = view->committing_id;
  /* The renderer read positions it was never given, or claims a state the
   * pipe does not have: as bad as a malformed message. */
  if (g_error_matches (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_BAD_PEER))
    {
      bh_child_host_report_bad_message (&self->host, "navigation body: %s", error->message);
      return;
    }
  /* It closed the pipe (it navigated on, or its process is going): nobody
   * reads the rest. */
  view->client->body_refused (view->owner, navigation_id);
}

void
bh_renderer_host_set_view_cache_mode (BhRendererHost *self, guint view_id, BhFetchCacheMode mode)
{
  View *view;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  view = bh_renderer_host_lookup_view (self, view_id);
  g_return_if_fail (view != NULL);
  view->cache_mode = mode;
}

gboolean
bh_renderer_host_commit_navigation (BhRendererHost *self, guint view_id, guint64 navigation_id,
                                    const char *url, const char *content_type,
                                    const char *charset, GError **error)
{
  static const BhBodyStreamFuncs body_funcs = { body_flow_cb, body_failed_cb };
  g_autoptr (GError) pipe_error = NULL;
  BhDataPipe *producer;
  View *view;
  int fds[BH_DATA_PIPE_N_FDS];

  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  view = bh_renderer_host_lookup_view (self, view_id);
  g_return_val_if_fail (view != NULL, FALSE);

  producer = bh_data_pipe_new (BH_DATA_PIPE_DEFAULT_CAPACITY_BYTES, fds, &pipe_error);
  if (producer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", pipe_error->message);
      return FALSE;
    }
  bh_data_pipe_set_trace (producer, "renderer", (guint) self->host.pid, self->site,
                          navigation_id, "navigation body");

  /* Subresources of the document being replaced are of no more use, nor is
   * the rest of its body. */
  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  view->cancellable = g_cancellable_new ();
  g_clear_pointer (&view->body, bh_body_stream_free);

  view->last_navigation_id = MAX (view->last_navigation_id, navigation_id);
  view->committing_id = navigation_id;
  g_free (view->committing_url);
  view->committing_url = g_strdup (url);
  view->commit_acked = FALSE;
  view->favicon_request = 0;
  g_clear_pointer (&view->favicon_url, g_free);
  if (self->host.channel != NULL)
    bh_channel_send (self->host.channel, BH_MSG_CommitNavigation,
                     g_variant_new ("(utsssu)", view_id, navigation_id, url,
                                    content_type != NULL ? content_type : "",
                                    charset != NULL ? charset : "",
                                    (guint32) bh_data_pipe_get_capacity (producer)),
                     fds, BH_DATA_PIPE_N_FDS);
  /* The channel sends duplicates; with ours closed, the renderer holds the
   * only other end of the signal socket, whose hang-up then means it died. */
  close (fds[0]);
  close (fds[1]);
  view->body = bh_body_stream_new (producer, &body_funcs, view);
  /* Navigating does not revive a hung renderer: the tab, back in
   * "loading", is unresponsive again at once. */
  if (bh_hang_monitor_is_unresponsive (self->hang_monitor))
    {
      g_autofree char *message = unresponsive_message (self);

      view->client->unresponsive (view->owner, self, TRUE, message);
    }
  return TRUE;
}

/* The view's body stream, if it is still @navigation_id's. */
static BhBodyStream *
lookup_body (BhRendererHost *self, guint view_id, guint64 navigation_id)
{
  View *view = bh_renderer_host_lookup_view (self, view_id);

  if (view == NULL || view->committing_id != navigation_id)
    return NULL;
  return view->body;
}

void
bh_renderer_host_push_body (BhRendererHost *self, guint view_id, guint64 navigation_id, GBytes *chunk)
{
  BhBodyStream *body;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  body = lookup_body (self, view_id, navigation_id);
  if (body != NULL)
    {
      /* --ipc-record: the body travels in the pipe, not in a message. */
      bh_trace_record_body ((guint) self->host.pid, navigation_id, g_bytes_get_data (chunk, NULL),
                            g_bytes_get_size (chunk));
      bh_body_stream_push (body, chunk);
    }
}

void
bh_renderer_host_end_body (BhRendererHost *self, guint view_id, guint64 navigation_id, gboolean complete)
{
  BhBodyStream *body;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  body = lookup_body (self, view_id, navigation_id);
  if (body != NULL)
    {
      bh_trace_record_body_end ((guint) self->host.pid, navigation_id, complete);
      bh_body_stream_end (body, complete);
    }
}

void
bh_renderer_host_resize_view (BhRendererHost *self, guint view_id, guint width_px,
                              guint height_px, double scale)
{
  View *view;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (self->host.channel == NULL || (view = bh_renderer_host_lookup_view (self, view_id)) == NULL)
    return;
  bh_renderer_host_view_size_sent (view, width_px, height_px);
  bh_channel_send (self->host.channel, BH_MSG_Resize,
                   g_variant_new ("(uuud)", view_id, width_px, height_px, scale), NULL, 0);
}

gboolean
bh_renderer_host_has_visible_view (BhRendererHost *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);

  g_hash_table_iter_init (&iter, self->views);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      View *view = value;

      if (view->owner != NULL && view->client->is_visible (view->owner))
        return TRUE;
    }
  return FALSE;
}

void
bh_renderer_host_view_visibility_changed (BhRendererHost *self)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  bh_hang_monitor_update (self->hang_monitor);
}

BhHangMonitor *
bh_renderer_host_get_hang_monitor (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), NULL);
  return self->hang_monitor;
}

/* Public accessors. */

const char *
bh_renderer_host_get_site (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), NULL);
  return self->site;
}

int
bh_renderer_host_get_pid (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), 0);
  return (int) self->host.pid;
}

gboolean
bh_renderer_host_is_alive (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);
  return bh_child_host_is_alive (&self->host);
}

gboolean
bh_renderer_host_is_ready (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), FALSE);
  return self->host.ready;
}

const char *
bh_renderer_host_get_sandbox_summary (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), NULL);
  return self->host.sandbox_summary != NULL ? self->host.sandbox_summary : "";
}

char *
bh_renderer_host_describe_sandbox (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), NULL);

  return bh_child_host_describe_sandbox (&self->host);
}

BhTerminationStatus
bh_renderer_host_get_termination_status (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), BH_TERMINATION_STATUS_STILL_RUNNING);
  return self->host.termination_status;
}

const char *
bh_renderer_host_get_termination_message (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), NULL);
  return self->host.termination_message != NULL ? self->host.termination_message : "";
}

guint
bh_renderer_host_get_view_count (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), 0);
  return g_hash_table_size (self->views);
}

guint64
bh_renderer_host_get_rss_kib (BhRendererHost *self)
{
  g_return_val_if_fail (BH_IS_RENDERER_HOST (self), 0);
  return bh_child_host_get_rss_kib (&self->host);
}

void
bh_renderer_host_get_ipc_counts (BhRendererHost *self, guint64 *out_received, guint64 *out_sent)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));
  bh_child_host_get_ipc_counts (&self->host, out_received, out_sent);
}

void
bh_renderer_host_get_unacked_input (BhRendererHost *self, guint *out_count,
                                    gint64 *out_oldest_us)
{
  PendingInput *oldest;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  oldest = g_queue_peek_head (&self->pending_input);
  if (out_count != NULL)
    *out_count = g_queue_get_length (&self->pending_input);
  if (out_oldest_us != NULL)
    *out_oldest_us = oldest != NULL ? oldest->sent_us : 0;
}

typedef struct {
  BhRendererHost *host; /* a reference */
  BhRendererPongFunc func;
  gpointer user_data;
  gint64 sent_us;
  guint timeout_ms;
} PingCall;

static void
pong_cb (BhChannel *channel, BhMessage *reply, const GError *error, gpointer data)
{
  PingCall *call = data;
  gboolean ok = reply != NULL && reply->type == BH_MSG_Pong;
  gint64 round_trip_us = ok ? g_get_monotonic_time () - call->sent_us : 0;
  BhChannel *data_lane = call->host->host.channel;

  /* A child that dropped its control lane (one that does not know it) is
   * asked again on the data lane. */
  if (!ok && reply == NULL && !g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_TIMED_OUT) &&
      channel != data_lane && data_lane != NULL && bh_channel_is_open (data_lane))
    {
      bh_channel_call (data_lane, BH_MSG_Ping, g_variant_new ("()"), NULL, 0, call->timeout_ms, pong_cb, call);
      return;
    }

  if (call->func != NULL)
    call->func (call->host, ok, round_trip_us, call->user_data);
  bh_message_free (reply);
  g_object_unref (call->host);
  g_free (call);
}

void
bh_renderer_host_ping (BhRendererHost *self, guint timeout_ms, BhRendererPongFunc func,
                       gpointer user_data)
{
  PingCall *call;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (self->host.channel == NULL)
    {
      if (func != NULL)
        func (self, FALSE, 0, user_data);
      return;
    }
  call = g_new0 (PingCall, 1);
  call->host = g_object_ref (self);
  call->func = func;
  call->user_data = user_data;
  call->sent_us = g_get_monotonic_time ();
  call->timeout_ms = timeout_ms;
  /* On the control lane: a renderer busy with a full data lane still answers. */
  bh_channel_call (self->host.control && bh_channel_is_open (self->host.control) ? self->host.control
                                                                                 : self->host.channel,
                   BH_MSG_Ping,
                   g_variant_new ("()"), NULL, 0, timeout_ms, pong_cb, call);
}

void
bh_renderer_host_stop_view (BhRendererHost *self, guint view_id)
{
  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (self->host.control == NULL || bh_renderer_host_lookup_view (self, view_id) == NULL)
    return;
  bh_channel_send (self->host.control, BH_MSG_Stop, g_variant_new ("(u)", view_id), NULL, 0);
}

/* GObject. */

static void
bh_renderer_host_dispose (GObject *object)
{
  BhRendererHost *self = BH_RENDERER_HOST (object);

  if (self->hang_monitor != NULL)
    {
      bh_hang_monitor_stop (self->hang_monitor);
      g_signal_handlers_disconnect_by_data (self->hang_monitor, self);
      g_clear_object (&self->hang_monitor);
    }
  bh_child_host_dispose (&self->host);
  G_OBJECT_CLASS (bh_renderer_host_parent_class)->dispose (object);
}

static void
bh_renderer_host_finalize (GObject *object)
{
  BhRendererHost *self = BH_RENDERER_HOST (object);

  bh_child_host_finalize (&self->host);
  g_hash_table_unref (self->views);
  drop_pending_input (self, 0);
  g_clear_pointer (&self->host_rules, bh_host_rules_unref);
  g_clear_object (&self->profile);
  g_free (self->renderer_path);
  g_free (self->site);
  G_OBJECT_CLASS (bh_renderer_host_parent_class)->finalize (object);
}

static void
bh_renderer_host_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhRendererHost *self = BH_RENDERER_HOST (object);

  switch (prop_id)
    {
    case PROP_SITE:
      g_value_set_string (value, self->site);
      break;
    case PROP_PID:
      g_value_set_int (value, (int) self->host.pid);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->host.ready);
      break;
    case PROP_SANDBOX:
      g_value_set_string (value, bh_renderer_host_get_sandbox_summary (self));
      break;
    case PROP_ALIVE:
      g_value_set_boolean (value, bh_renderer_host_is_alive (self));
      break;
    case PROP_TERMINATION_STATUS:
      g_value_set_enum (value, self->host.termination_status);
      break;
    case PROP_TERMINATION_MESSAGE:
      g_value_set_string (value, bh_renderer_host_get_termination_message (self));
      break;
    case PROP_VIEW_COUNT:
      g_value_set_uint (value, g_hash_table_size (self->views));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_renderer_host_class_init (BhRendererHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_renderer_host_dispose;
  object_class->finalize = bh_renderer_host_finalize;
  object_class->get_property = bh_renderer_host_get_property;

  properties[PROP_SITE] = g_param_spec_string ("site", NULL, NULL, NULL, flags);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  properties[PROP_SANDBOX] = g_param_spec_string ("sandbox", NULL, NULL, "", flags);
  properties[PROP_ALIVE] = g_param_spec_boolean ("alive", NULL, NULL, FALSE, flags);
  properties[PROP_TERMINATION_STATUS] =
    g_param_spec_enum ("termination-status", NULL, NULL, BH_TYPE_TERMINATION_STATUS,
                       BH_TERMINATION_STATUS_STILL_RUNNING, flags);
  properties[PROP_TERMINATION_MESSAGE] =
    g_param_spec_string ("termination-message", NULL, NULL, "", flags);
  properties[PROP_VIEW_COUNT] = g_param_spec_uint ("view-count", NULL, NULL, 0, G_MAXUINT, 0,
                                                   flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLOSING] =
    g_signal_new ("closing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_TERMINATION_STATUS);
  signals[SIGNAL_TERMINATED] =
    g_signal_new ("terminated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, BH_TYPE_TERMINATION_STATUS, G_TYPE_STRING);
  signals[SIGNAL_REAPED] = g_signal_new ("reaped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bh_renderer_host_init (BhRendererHost *self)
{
  self->views = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) view_free);
  self->host.termination_status = BH_TERMINATION_STATUS_STILL_RUNNING;
  g_queue_init (&self->pending_input);
}
