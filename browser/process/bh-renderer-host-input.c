/* bh-renderer-host-input.c: input to a renderer and what a page does with it
 * (bh-renderer-host-internal.h).
 *
 * Owns bh_renderer_host_send_input() and InputEventAck (the serials in flight
 * the hang monitor counts), user activation (HTML's transient activation: a
 * press or key gives one, a new tab or a clipboard write consumes it), and the
 * renderer's messages about using a page: OpenURL, HoverChanged,
 * SelectionChanged, ClipboardWrite, FindReply, HorizontalScrollChanged,
 * ShowPopupMenu and ShowContextMenu (each needs the user activation of the
 * click or key that asked for it), TooltipChanged.
 */
#include "bh-renderer-host-internal.h"

#include <string.h>

void
bh_renderer_host_send_input (BhRendererHost *self, guint view_id, BhMessageType type,
                             GVariant *payload)
{
  g_autoptr (GVariant) sunk = g_variant_ref_sink (payload);
  PendingInput *input;
  guint32 serial;

  g_return_if_fail (BH_IS_RENDERER_HOST (self));

  if (self->host.channel == NULL || bh_renderer_host_lookup_view (self, view_id) == NULL)
    return;
  serial = bh_channel_send (self->host.channel, type, sunk, NULL, 0);
  if (serial == 0)
    return;
  /* What gives user activation (HTML's "activation triggering input event"): a mouse
   * press or a key; a release after a press keeps an unused activation alive until it
   * is handled too, for links that open on release. */
  if (type == BH_MSG_KeyEvent || type == BH_MSG_MouseEvent)
    {
      View *view = bh_renderer_host_lookup_view (self, view_id);
      guint32 kind = 0;

      if (type == BH_MSG_MouseEvent)
        g_variant_get_child (sunk, 1, "u", &kind);
      if (type == BH_MSG_KeyEvent || kind == BH_MOUSE_EVENT_PRESS ||
          (kind == BH_MOUSE_EVENT_RELEASE && view->has_activation))
        {
          view->has_activation = TRUE;
          view->activation_serial = serial;
          view->activation_acked_us = 0;
        }
    }
  input = g_new0 (PendingInput, 1);
  input->view_id = view_id;
  input->serial = serial;
  input->sent_us = g_get_monotonic_time ();
  g_queue_push_tail (&self->pending_input, input);
  self->max_input_serial = MAX (self->max_input_serial, serial);
  bh_hang_monitor_update (self->hang_monitor);
}

/* Takes the view's user activation for a new tab: there is one if the press or key that
 * gave it is still being handled, or was acknowledged less than
 * BH_USER_ACTIVATION_LIFESPAN_MS ago. */
static gboolean
view_consume_activation (View *view)
{
  gboolean active = view->has_activation &&
                    (view->activation_acked_us == 0 ||
                     g_get_monotonic_time () - view->activation_acked_us <=
                       (gint64) BH_USER_ACTIVATION_LIFESPAN_MS * 1000);

  view->has_activation = FALSE;
  return active;
}

void
bh_renderer_host_handle_open_url (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *url;
  guint32 disposition;
  View *view;

  g_variant_get (message->payload, "(u&su)", &view_id, &url, &disposition);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (disposition != BH_DISPOSITION_CURRENT_TAB && disposition != BH_DISPOSITION_NEW_TAB &&
      disposition != BH_DISPOSITION_NEW_BACKGROUND_TAB)
    {
      bad_message (self, "OpenURL with disposition %u", disposition);
      return;
    }
  if (!g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL))
    {
      bad_message (self, "OpenURL for \"%s\", not an absolute URL", url);
      return;
    }
  view->client->open_url (view->owner, url, disposition,
                          disposition != BH_DISPOSITION_CURRENT_TAB && view_consume_activation (view));
}

void
bh_renderer_host_handle_hover_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *url;
  guint32 cursor;
  View *view;

  g_variant_get (message->payload, "(u&su)", &view_id, &url, &cursor);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (cursor > 2)
    {
      bad_message (self, "HoverChanged with cursor %u", cursor);
      return;
    }
  view->client->hover_changed (view->owner, url, cursor);
}

void
bh_renderer_host_handle_input_event_ack (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  guint32 serial;
  View *view;
  GList *l;

  g_variant_get (message->payload, "(uu)", &view_id, &serial);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (serial == 0 || serial > self->max_input_serial)
    {
      bad_message (self, "InputEventAck for serial %u, which was never sent", serial);
      return;
    }
  for (l = self->pending_input.head; l != NULL; l = l->next)
    {
      PendingInput *input = l->data;

      if (input->view_id == view_id && input->serial == serial)
        break;
    }
  if (l == NULL)
    return; /* already covered by a later ack */

  if (view->has_activation && view->activation_acked_us == 0 && serial >= view->activation_serial)
    view->activation_acked_us = g_get_monotonic_time ();

  /* Events are handled in order; an ack also covers older events of the
   * view that the renderer coalesced into it. */
  while (l != NULL)
    {
      GList *prev = l->prev;
      PendingInput *input = l->data;

      if (input->view_id == view_id)
        {
          g_queue_delete_link (&self->pending_input, l);
          g_free (input);
        }
      l = prev;
    }
  bh_hang_monitor_update (self->hang_monitor);
}

/* Using a page (issue 13): the selection, Copy and find. */

/* The text of SelectionChanged or ClipboardWrite: UTF-8 the renderer cut at
 * BH_MAX_SELECTION_BYTES, as an honest one does. */
static gboolean
checked_selection_text (BhRendererHost *self, const BhMessage *message, const char *text)
{
  gsize len = strlen (text);

  if (len > BH_MAX_SELECTION_BYTES)
    {
      bad_message (self, "%s of %" G_GSIZE_FORMAT " bytes, over %u", bh_message_type_name (message->type), len,
                   BH_MAX_SELECTION_BYTES);
      return FALSE;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      bad_message (self, "%s with text that is not UTF-8", bh_message_type_name (message->type));
      return FALSE;
    }
  return TRUE;
}

void
bh_renderer_host_handle_selection_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *text;
  View *view;

  g_variant_get (message->payload, "(u&s)", &view_id, &text);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL || !checked_selection_text (self, message, text))
    return;
  view->client->clipboard_text (view->owner, text, TRUE);
}

void
bh_renderer_host_handle_clipboard_write (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *text;
  View *view;

  g_variant_get (message->payload, "(u&s)", &view_id, &text);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL || !checked_selection_text (self, message, text))
    return;
  /* A page may not fill the clipboard behind the user's back: only the key
   * or click that asked for the copy lets it (Chromium: clipboard writes need
   * transient activation). Not a bad message: a page may try. */
  if (!view_consume_activation (view))
    {
      g_message ("renderer %d (%s): ClipboardWrite without user activation, ignored", bh_renderer_host_get_pid (self),
                 self->site);
      return;
    }
  view->client->clipboard_text (view->owner, text, FALSE);
}

void
bh_renderer_host_handle_find_reply (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id, request_id, matches, active;
  View *view;

  g_variant_get (message->payload, "(uuuu)", &view_id, &request_id, &matches, &active);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (request_id == 0 || request_id > view->last_find_request_id)
    {
      bad_message (self, "FindReply for find request %u, which was never sent", request_id);
      return;
    }
  if (matches > BH_MAX_FIND_MATCHES || active > matches)
    {
      bad_message (self, "FindReply with match %u of %u (at most %u)", active, matches, BH_MAX_FIND_MATCHES);
      return;
    }
  /* Replies to older requests are late: the find bar shows the latest. */
  if (request_id == view->last_find_request_id)
    view->client->find_reply (view->owner, matches, active);
}

void
bh_renderer_host_handle_horizontal_scroll_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  gint32 scroll_x;
  View *view;

  g_variant_get (message->payload, "(ui)", &view_id, &scroll_x);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (scroll_x < 0)
    {
      bad_message (self, "HorizontalScrollChanged to x %d", scroll_x);
      return;
    }
  view->client->scroll_x_changed (view->owner, scroll_x);
}

/* Forms' drop-downs, the context menu and tooltips: what the browser shows
 * over the page for the renderer. */

void
bh_renderer_host_handle_show_popup_menu (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id, popup_id;
  gint32 x, y, width, height, selected;
  g_autoptr (GVariantIter) iter = NULL;
  g_autoptr (GPtrArray) labels = NULL;
  g_autoptr (GArray) enabled = NULL;
  const char *label;
  gboolean item_enabled;
  View *view;

  g_variant_get (message->payload, "(uuiiiiia(sb))", &view_id, &popup_id, &x, &y, &width, &height, &selected, &iter);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (g_variant_iter_n_children (iter) == 0 || g_variant_iter_n_children (iter) > BH_MAX_POPUP_ITEMS)
    {
      bad_message (self, "ShowPopupMenu with %" G_GSIZE_FORMAT " items (1 to %u)", g_variant_iter_n_children (iter),
                   BH_MAX_POPUP_ITEMS);
      return;
    }
  if (selected < -1 || selected >= (gint32) g_variant_iter_n_children (iter) || width < 0 || height < 0)
    {
      bad_message (self, "ShowPopupMenu with item %d selected of %" G_GSIZE_FORMAT ", a box %d x %d", selected,
                   g_variant_iter_n_children (iter), width, height);
      return;
    }
  labels = g_ptr_array_new ();
  enabled = g_array_new (FALSE, FALSE, sizeof (gboolean));
  while (g_variant_iter_next (iter, "(&sb)", &label, &item_enabled))
    {
      if (strlen (label) > BH_MAX_POPUP_LABEL_BYTES)
        {
          bad_message (self, "ShowPopupMenu with a label of %" G_GSIZE_FORMAT " bytes (at most %u)", strlen (label),
                       BH_MAX_POPUP_LABEL_BYTES);
          return;
        }
      g_ptr_array_add (labels, (gpointer) label);
      g_array_append_val (enabled, item_enabled);
    }
  g_ptr_array_add (labels, NULL);
  /* Only a click or key on the page opens one (Chromium shows popups for user input). */
  if (!view_consume_activation (view))
    {
      g_message ("renderer %d (%s): ShowPopupMenu without user activation, ignored", bh_renderer_host_get_pid (self),
                 self->site);
      bh_renderer_host_send_to_view (self, view_id, BH_MSG_PopupMenuClosed, g_variant_new ("(uui)", view_id, popup_id, -1));
      return;
    }
  view->client->show_popup_menu (view->owner, popup_id, x, y, width, height, selected,
                                 (const char *const *) labels->pdata, (const gboolean *) enabled->data);
}

/* A context menu's URL: "" or an absolute URL of a sane length. */
static gboolean
checked_menu_url (BhRendererHost *self, const char *what, const char *url)
{
  if (*url == '\0')
    return TRUE;
  if (strlen (url) > BH_MAX_CONTEXT_MENU_URL_BYTES || !g_uri_is_valid (url, G_URI_FLAGS_ENCODED, NULL))
    {
      bad_message (self, "ShowContextMenu with a %s that is not an absolute URL of at most %u bytes", what,
                   BH_MAX_CONTEXT_MENU_URL_BYTES);
      return FALSE;
    }
  return TRUE;
}

void
bh_renderer_host_handle_show_context_menu (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  gint32 x, y;
  const char *link, *image, *selection;
  gboolean editable;
  View *view;

  g_variant_get (message->payload, "(uii&s&s&sb)", &view_id, &x, &y, &link, &image, &selection, &editable);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL ||
      !checked_menu_url (self, "link", link) || !checked_menu_url (self, "image", image) ||
      !checked_selection_text (self, message, selection))
    return;
  /* The menu answers the right-click that asked for it, never a page's whim. */
  if (!view_consume_activation (view))
    {
      g_message ("renderer %d (%s): ShowContextMenu without user activation, ignored",
                 bh_renderer_host_get_pid (self), self->site);
      return;
    }
  view->client->show_context_menu (view->owner, x, y, link, image, selection, editable);
}

void
bh_renderer_host_handle_tooltip_changed (BhRendererHost *self, const BhMessage *message)
{
  guint32 view_id;
  const char *text;
  View *view;

  g_variant_get (message->payload, "(u&s)", &view_id, &text);
  if ((view = bh_renderer_host_checked_view (self, message, view_id)) == NULL)
    return;
  if (g_utf8_strlen (text, -1) > BH_MAX_TOOLTIP_CHARS)
    {
      bad_message (self, "TooltipChanged of %ld characters (at most %u)", g_utf8_strlen (text, -1),
                   BH_MAX_TOOLTIP_CHARS);
      return;
    }
  view->client->tooltip_changed (view->owner, text);
}
