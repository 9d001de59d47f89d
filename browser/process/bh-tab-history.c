/* bh-tab-history.c: a tab's session history: its entries (URL, title, where
 * the user left the page, a form POST's data for Resend), Back and Forward,
 * the entries a commit adds or replaces, same-document navigations
 * (fragments, history.pushState()/replaceState()) and the history a session
 * restore hands back. Navigations themselves are bh-tab-navigation.c's.
 */
#include "bh-tab-object-private.h"

#include <string.h>

#include "bh-tab-script-private.h"

void
bh_tab_history_entry_free (HistoryEntry *entry)
{
  g_free (entry->url);
  g_free (entry->title);
  g_clear_pointer (&entry->post_body, g_bytes_unref);
  g_free (entry->post_content_type);
  g_free (entry);
}

void
bh_tab_notify_history (BhTab *self)
{
  notify (self, PROP_CAN_GO_BACK);
  notify (self, PROP_CAN_GO_FORWARD);
}

HistoryEntry *
bh_tab_current_entry (BhTab *self)
{
  if (self->history_index < 0)
    return NULL;
  return g_ptr_array_index (self->history, self->history_index);
}

/* Whether @url is @document_url with another fragment, or with one added:
 * HTML's "navigate to a fragment" (the URLs equal excluding fragments, and
 * @url has one). */
static gboolean
is_fragment_of (const char *url, const char *document_url)
{
  const char *hash = strchr (url, '#');
  const char *doc_hash = strchr (document_url, '#');
  gsize len = doc_hash != NULL ? (gsize) (doc_hash - document_url) : strlen (document_url);

  return hash != NULL && (gsize) (hash - url) == len && strncmp (url, document_url, len) == 0;
}

/* A navigation within the document on screen: a fragment link, or Back and
 * Forward between its entries. No fetch: the history moves, the renderer
 * scrolls (CommitSameDocumentNavigation), the page stays. Returns FALSE when
 * @url needs a navigation of its own. */
gboolean
bh_tab_navigate_same_document (BhTab *self, const char *url, NavigationKind kind, int history_index)
{
  HistoryEntry *current = bh_tab_current_entry (self);
  HistoryEntry *entry;
  int scroll_y = -1;

  if (current == NULL || self->host == NULL || bh_tab_state_is_failure (self->state) ||
      current->document_id == 0 || current->document_id != self->committed_navigation_id)
    return FALSE;
  if (kind == NAVIGATION_NEW)
    {
      if (!is_fragment_of (url, current->url))
        return FALSE;
    }
  else if (kind == NAVIGATION_HISTORY)
    {
      entry = g_ptr_array_index (self->history, history_index);
      if (entry->document_id != current->document_id)
        return FALSE;
      scroll_y = MAX (entry->scroll_y_px, 0);
    }
  else
    return FALSE;

  /* A navigation to another document not yet committed is given up, as
   * HTML's navigate does; a committed one still loading goes on. */
  if (self->pending != NULL && self->pending->id != self->committed_navigation_id)
    {
      bh_tab_drop_fetch (self, FALSE);
      bh_tab_navigation_free (g_steal_pointer (&self->pending));
      set_loading (self, FALSE);
      set_progress (self, 0.0);
      if (self->state == BH_TAB_STATE_LOADING)
        set_state (self, BH_TAB_STATE_COMPLETE);
    }
  current->scroll_y_px = self->scroll_y_px;
  /* The fragment shown again: scrolled to, no new entry (HTML: "replace"). */
  if (kind == NAVIGATION_NEW && !g_str_equal (url, current->url))
    {
      if (self->history_index + 1 < (int) self->history->len)
        g_ptr_array_remove_range (self->history, self->history_index + 1,
                                  self->history->len - (self->history_index + 1));
      entry = g_new0 (HistoryEntry, 1);
      entry->url = g_strdup (url);
      entry->title = g_strdup (current->title);
      entry->document_id = current->document_id;
      g_ptr_array_add (self->history, entry);
      self->history_index = self->history->len - 1;
    }
  else
    self->history_index = history_index;
  set_uri (self, url);
  bh_tab_notify_history (self);
  bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_CommitSameDocumentNavigation,
                                 g_variant_new ("(usi)", self->view_id, url, scroll_y));
  g_signal_emit (self, bh_tab_signals[SIGNAL_SAME_DOCUMENT_NAVIGATION], 0, url);
  return TRUE;
}

gboolean
bh_tab_can_go_to_offset (BhTab *self, int offset)
{
  gint64 target;

  g_return_val_if_fail (BH_IS_TAB (self), FALSE);

  target = (gint64) self->history_index + offset;
  return self->history_index >= 0 && offset != 0 && target >= 0 && target < (gint64) self->history->len;
}

gboolean
bh_tab_go_to_offset (BhTab *self, int offset)
{
  HistoryEntry *entry;
  int target;

  g_return_val_if_fail (BH_IS_TAB (self), FALSE);

  if (!bh_tab_can_go_to_offset (self, offset))
    return FALSE;
  target = self->history_index + offset;
  entry = g_ptr_array_index (self->history, target);
  bh_tab_start_navigation_full (self, entry->url, NAVIGATION_HISTORY, target, NULL, entry->post_content_type,
                         entry->post_body);
  return TRUE;
}

char **
bh_tab_get_history_urls (BhTab *self, int *out_current_index)
{
  GStrvBuilder *builder;

  g_return_val_if_fail (BH_IS_TAB (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->history->len; i++)
    g_strv_builder_add (builder, ((HistoryEntry *) g_ptr_array_index (self->history, i))->url);
  if (out_current_index != NULL)
    *out_current_index = self->history_index;
  {
    char **urls = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return urls;
  }
}

void
bh_tab_restore_history (BhTab *self, const char *const *urls, int current_index)
{
  guint n;

  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (urls != NULL);

  n = g_strv_length ((char **) urls);
  g_return_if_fail (current_index >= 0 && (guint) current_index < n);
  g_ptr_array_set_size (self->history, 0);
  for (guint i = 0; i < n; i++)
    {
      HistoryEntry *entry = g_new0 (HistoryEntry, 1);

      entry->url = g_strdup (urls[i]);
      g_ptr_array_add (self->history, entry);
    }
  self->history_index = current_index;
  bh_tab_notify_history (self);
  bh_tab_start_navigation (self, urls[current_index], NAVIGATION_HISTORY, current_index, NULL);
}

gboolean
bh_tab_history_entry_has_post_data (BhTab *self, int offset)
{
  gint64 target;

  g_return_val_if_fail (BH_IS_TAB (self), FALSE);

  target = (gint64) self->history_index + offset;
  if (self->history_index < 0 || target < 0 || target >= (gint64) self->history->len)
    return FALSE;
  return ((HistoryEntry *) g_ptr_array_index (self->history, target))->post_body != NULL;
}

gboolean
bh_tab_go_back (BhTab *self)
{
  return bh_tab_go_to_offset (self, -1);
}

gboolean
bh_tab_go_forward (BhTab *self)
{
  return bh_tab_go_to_offset (self, 1);
}

gboolean
bh_tab_set_same_document_url (BhTab *self, const char *url, gboolean push)
{
  HistoryEntry *entry = bh_tab_current_entry (self);
  g_autoptr (GUri) from = self->uri != NULL ? g_uri_parse (self->uri, G_URI_FLAGS_ENCODED, NULL) : NULL;
  g_autoptr (GUri) to = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  /* HTML's pushState(): a URL of the document's origin only (scheme, host, port). */
  if (from == NULL || to == NULL || g_strcmp0 (g_uri_get_scheme (from), g_uri_get_scheme (to)) != 0 ||
      g_strcmp0 (g_uri_get_host (from), g_uri_get_host (to)) != 0 || g_uri_get_port (from) != g_uri_get_port (to))
    return FALSE;
  if (push && entry != NULL)
    {
      HistoryEntry *added = g_new0 (HistoryEntry, 1);

      added->url = g_strdup (url);
      added->title = g_strdup (entry->title);
      /* Entries after the current one are dropped, as a new navigation does. */
      g_ptr_array_set_size (self->history, self->history_index + 1);
      g_ptr_array_add (self->history, added);
      self->history_index++;
    }
  else if (entry != NULL)
    {
      g_free (entry->url);
      entry->url = g_strdup (url);
    }
  set_string (self, &self->uri, url, PROP_URI);
  g_signal_emit (self, bh_tab_signals[SIGNAL_HISTORY_UPDATED], 0, url);
  return TRUE;
}

void
bh_tab_history_commit (BhTab *self, const Navigation *navigation, const char *url)
{
  HistoryEntry *entry;

  /* The entry being left keeps where the user was (the renderer's last frame
   * of it), for Back and Forward. */
  if ((entry = bh_tab_current_entry (self)) != NULL)
    entry->scroll_y_px = self->scroll_y_px;
  switch (navigation->kind)
    {
    case NAVIGATION_HISTORY:
      if (navigation->history_index >= 0 && (guint) navigation->history_index < self->history->len)
        {
          self->history_index = navigation->history_index;
          break;
        }
      G_GNUC_FALLTHROUGH;
    case NAVIGATION_NEW:
      entry = bh_tab_current_entry (self);
      /* Navigating to the page shown is a reload, as in Chromium. */
      if (entry != NULL && g_str_equal (entry->url, url))
        break;
      if (self->history_index + 1 < (int) self->history->len)
        g_ptr_array_remove_range (self->history, self->history_index + 1,
                                  self->history->len - (self->history_index + 1));
      entry = g_new0 (HistoryEntry, 1);
      g_ptr_array_add (self->history, entry);
      self->history_index = self->history->len - 1;
      break;
    case NAVIGATION_RELOAD:
    default:
      if (self->history_index < 0)
        {
          g_ptr_array_add (self->history, g_new0 (HistoryEntry, 1));
          self->history_index = 0;
        }
      break;
    }
  entry = bh_tab_current_entry (self);
  g_free (entry->url);
  entry->url = g_strdup (url);
  g_clear_pointer (&entry->title, g_free);
  entry->document_id = navigation->id;
  /* A POST result keeps its form data, for a reload (after the UI asked). */
  g_clear_pointer (&entry->post_body, g_bytes_unref);
  g_clear_pointer (&entry->post_content_type, g_free);
  if (navigation->post_body != NULL)
    {
      entry->post_body = g_bytes_ref (navigation->post_body);
      entry->post_content_type = g_strdup (navigation->post_content_type);
    }
}
