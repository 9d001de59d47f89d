/* bh-bidi-tabs.c: following the browser's tabs: their contexts, the steps of
 * their navigations as BiDi events, and the commands waiting for a
 * navigation or a frame.
 */
#include "bh-bidi-server-private.h"

#include <string.h>

#include "bh-net-error.h"

#include "bh-tab-plugins.h"

/* Browsing contexts. */

char *
bh_bidi_context_for_tab (BhTab *tab)
{
  return g_strdup_printf ("%u", bh_tab_get_id (tab));
}

JsonNode *
bh_bidi_server_context_info (BhBidiServer *self, BhTab *tab)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *context = bh_bidi_context_for_tab (tab);
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
  json_builder_add_string_value (builder, bh_bidi_server_get_user_context (self, tab));
  json_builder_set_member_name (builder, "originalOpener");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "clientWindow");
  json_builder_add_string_value (builder, BH_BIDI_CLIENT_WINDOW);
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
  json_builder_add_int_value (builder, bh_bidi_timestamp_ms ());
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, *uri != '\0' ? uri : "about:blank");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
emit_for_watch (TabWatch *watch, const char *method, JsonNode *params)
{
  const char *contexts[] = { watch->context, NULL };

  bh_bidi_server_emit_event (watch->server, method, contexts, params);
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
        {
          g_autofree char *code = bh_net_error_code (load_error);

          bh_bidi_command_fail (g_steal_pointer (&wait->command), BH_BIDI_ERROR_UNKNOWN_ERROR,
                                "net::%s: %s", code, load_error->message);
        }
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
emit_navigation_failed (TabWatch *watch)
{
  if (watch->navigation == NULL || watch->failed)
    return;
  watch->failed = TRUE;
  emit_for_watch (watch, "browsingContext.navigationFailed", navigation_info (watch));
}

static void
begin_navigation (TabWatch *watch, guint64 navigation_id, const char *url)
{
  g_autofree char *message = NULL;

  /* One still being fetched is replaced: aborted, in BiDi's words. */
  if (watch->navigation != NULL && !watch->committed && !watch->failed)
    emit_for_watch (watch, "browsingContext.navigationAborted", navigation_info (watch));

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
  watch->failed = FALSE;
  watch->frame_since_commit = FALSE;
  emit_for_watch (watch, "browsingContext.navigationStarted", navigation_info (watch));
}

/* history.pushState() / replaceState(): BiDi's historyUpdated. */
static void
tab_history_updated_cb (BhTab *tab, const char *url, gpointer data)
{
  TabWatch *watch = data;
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "context", watch->context);
  json_object_set_int_member (params, "timestamp", bh_bidi_timestamp_ms ());
  json_object_set_string_member (params, "url", url);
  emit_for_watch (watch, "browsingContext.historyUpdated", bh_bidi_node_take_object (params));
}

/* A console line of the page's script: log.entryAdded. An uncaught
 * exception (level 2, "Uncaught ...", bh-script-dom.js) is a "javascript"
 * entry, as Chromium reports one; the rest are "console" entries with the
 * line as their one argument. */
static void
tab_console_message_cb (BhTab *tab, guint level, const char *text, gpointer data)
{
  static const char * const levels[] = { "info", "warn", "error" };
  static const char * const methods[] = { "log", "warn", "error" };
  TabWatch *watch = data;
  JsonObject *params = json_object_new ();
  JsonObject *source = json_object_new ();
  JsonObject *stack = json_object_new ();
  g_autofree char *realm = bh_bidi_realm_for_tab (tab);
  gboolean uncaught = level == 2 && g_str_has_prefix (text, "Uncaught ");

  level = MIN (level, 2);
  json_object_set_string_member (source, "realm", realm);
  json_object_set_string_member (source, "context", watch->context);
  json_object_set_array_member (stack, "callFrames", json_array_new ());
  json_object_set_string_member (params, "type", uncaught ? "javascript" : "console");
  json_object_set_string_member (params, "level", levels[level]);
  json_object_set_object_member (params, "source", source);
  json_object_set_string_member (params, "text", uncaught ? text + strlen ("Uncaught ") : text);
  json_object_set_int_member (params, "timestamp", bh_bidi_timestamp_ms ());
  json_object_set_object_member (params, "stackTrace", stack);
  if (!uncaught)
    {
      JsonArray *args = json_array_new ();
      JsonObject *arg = json_object_new ();

      json_object_set_string_member (arg, "type", "string");
      json_object_set_string_member (arg, "value", text);
      json_array_add_object_element (args, arg);
      json_object_set_string_member (params, "method", methods[level]);
      json_object_set_array_member (params, "args", args);
    }
  emit_for_watch (watch, "log.entryAdded", bh_bidi_node_take_object (params));
}

/* Realms (script.realmCreated, script.realmDestroyed): the committed
 * document's, and one per sandbox a client used in the context
 * (bh-bidi-script.c). The old document's go first. */

static void
emit_realm_destroyed (TabWatch *watch, const char *realm)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "realm", realm);
  emit_for_watch (watch, "script.realmDestroyed", bh_bidi_node_take_object (params));
}

static void
announce_realms (TabWatch *watch)
{
  if (watch->realm != NULL)
    {
      emit_realm_destroyed (watch, watch->realm);
      for (guint i = 0; i < watch->sandboxes->len; i++)
        {
          g_autofree char *name = g_strdup_printf ("%s/%s", watch->realm,
                                                   (char *) g_ptr_array_index (watch->sandboxes, i));

          emit_realm_destroyed (watch, name);
        }
    }
  g_free (watch->realm);
  watch->realm = bh_bidi_realm_for_tab (watch->tab);
  emit_for_watch (watch, "script.realmCreated", bh_bidi_realm_info (watch->tab, NULL));
  for (guint i = 0; i < watch->sandboxes->len; i++)
    emit_for_watch (watch, "script.realmCreated",
                    bh_bidi_realm_info (watch->tab, g_ptr_array_index (watch->sandboxes, i)));
}

static gboolean
watch_has_sandbox (TabWatch *watch, const char *sandbox)
{
  for (guint i = 0; i < watch->sandboxes->len; i++)
    if (g_str_equal (g_ptr_array_index (watch->sandboxes, i), sandbox))
      return TRUE;
  return FALSE;
}

void
bh_bidi_server_note_sandbox (BhBidiServer *self, BhTab *tab, const char *sandbox)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (self, tab);

  if (watch == NULL || watch_has_sandbox (watch, sandbox))
    return;
  /* A context may name only so many: a client making up names without end
   * would make every navigation announce them all. */
  if (watch->sandboxes->len >= 64)
    return;
  g_ptr_array_add (watch->sandboxes, g_strdup (sandbox));
  emit_for_watch (watch, "script.realmCreated", bh_bidi_realm_info (tab, sandbox));
}

gboolean
bh_bidi_server_has_sandbox (BhBidiServer *self, BhTab *tab, const char *sandbox)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (self, tab);

  return watch != NULL && watch_has_sandbox (watch, sandbox);
}

GStrv
bh_bidi_server_list_sandboxes (BhBidiServer *self, BhTab *tab)
{
  TabWatch *watch = bh_bidi_server_lookup_watch (self, tab);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (watch == NULL || watch->sandboxes->len == 0)
    return NULL;
  for (guint i = 0; i < watch->sandboxes->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (watch->sandboxes, i));
  return g_strv_builder_end (builder);
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
  emit_for_watch (watch, "browsingContext.navigationCommitted", navigation_info (watch));
  announce_realms (watch);
}

/* A fragment link or a history step inside the document on screen: BiDi's
 * fragmentNavigated, a navigation of its own that is done at once. */
static void
tab_same_document_cb (BhTab *tab, const char *url, gpointer data)
{
  TabWatch *watch = data;
  g_autofree char *previous = g_steal_pointer (&watch->navigation);

  watch->navigation = g_uuid_string_random ();
  emit_for_watch (watch, "browsingContext.fragmentNavigated", navigation_info (watch));
  /* Later steps of the document's own navigation keep its id. */
  g_free (watch->navigation);
  watch->navigation = g_steal_pointer (&previous);
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
   * its timeout): bh-tab-plugins.h; one after a resize, for a frame of the
   * new size. */
  if (!bh_tab_has_pending_plugins (tab))
    {
      GdkTexture *frame = bh_tab_get_frame (tab);
      GList *waits = g_list_copy (watch->frame_waits);

      for (GList *l = waits; l != NULL; l = l->next)
        {
          FrameWait *wait = l->data;

          if (wait->want_width_px == 0 ||
              (gdk_texture_get_width (frame) == wait->want_width_px &&
               gdk_texture_get_height (frame) == wait->want_height_px))
            frame_wait_finish (wait);
        }
      g_list_free (waits);
    }
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
  /* The renderer parses the whole document before it reports the load:
   * DOMContentLoaded has happened by then (no scripts can delay it). */
  emit_for_watch (watch, "browsingContext.domContentLoaded", navigation_info (watch));
  /* An error page: the navigation failed (Chromium's BiDi says so). */
  if (bh_tab_get_load_error (tab) != NULL)
    emit_navigation_failed (watch);
  else
    emit_for_watch (watch, "browsingContext.load", navigation_info (watch));
  resolve_navigation_waits (watch, BH_BIDI_WAIT_COMPLETE);
}

static void
tab_state_cb (BhTab *tab, GParamSpec *pspec, gpointer data)
{
  TabWatch *watch = data;

  if (bh_tab_state_is_failure (bh_tab_get_state (tab)))
    {
      if (!watch->loaded)
        emit_navigation_failed (watch);
      fail_navigation_waits (watch, BH_BIDI_ERROR_UNKNOWN_ERROR, bh_tab_get_status_message (tab));
    }
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
  watch->context = bh_bidi_context_for_tab (tab);
  watch->sandboxes = g_ptr_array_new_with_free_func (g_free);
  if (bh_tab_get_committed_navigation_id (tab) != 0)
    watch->realm = bh_bidi_realm_for_tab (tab);
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
  g_signal_connect (tab, "same-document-navigation", G_CALLBACK (tab_same_document_cb), watch);
  g_signal_connect (tab, "frame-changed", G_CALLBACK (tab_frame_changed_cb), watch);
  g_signal_connect (tab, "load-finished", G_CALLBACK (tab_load_finished_cb), watch);
  g_signal_connect (tab, "notify::state", G_CALLBACK (tab_state_cb), watch);
  g_signal_connect (tab, "script-dialog-opened", G_CALLBACK (bh_bidi_prompt_opened_cb), watch);
  g_signal_connect (tab, "history-updated", G_CALLBACK (tab_history_updated_cb), watch);
  g_signal_connect (tab, "console-message", G_CALLBACK (tab_console_message_cb), watch);
  g_signal_connect (tab, "script-dialog-closed", G_CALLBACK (bh_bidi_prompt_closed_cb), watch);
  g_signal_connect (tab, "notify::renderer-pid", G_CALLBACK (tab_renderer_cb), watch);
  return watch;
}

void
bh_bidi_tab_watch_free (TabWatch *watch)
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
  g_free (watch->realm);
  g_free (watch->prompt_message);
  g_free (watch->prompt_text);
  g_ptr_array_unref (watch->sandboxes);
  g_free (watch);
}

TabWatch *
bh_bidi_server_lookup_watch (BhBidiServer *self, BhTab *tab)
{
  g_autofree char *context = bh_bidi_context_for_tab (tab);

  return g_hash_table_lookup (self->tabs, context);
}

/* The browser's tab list changed: events for the tabs that came and went. */
void
bh_bidi_tabs_changed_cb (GListModel *tabs, guint position, guint removed, guint added, gpointer data)
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
      char *context = bh_bidi_context_for_tab (tab);

      g_hash_table_add (present, context);
      if (!g_hash_table_contains (self->tabs, context))
        {
          g_hash_table_insert (self->tabs, g_strdup (context), tab_watch_new (self, tab));
          if (self->next_user_context != NULL)
            g_hash_table_insert (self->tab_user_contexts, g_strdup (context),
                                 g_strdup (self->next_user_context));
          if (self->bypass_cache)
            bh_tab_set_cache_bypass (tab, TRUE);
          if (self->extra_headers != NULL)
            bh_tab_set_extra_headers (tab, (const char *const *) self->extra_headers);
          /* Its documents get the preload scripts that apply to it. */
          if (self->preload_scripts->len > 0)
            bh_bidi_server_apply_preload_scripts (self, tab);
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
      g_hash_table_remove (self->tab_user_contexts, watch->context);
      g_hash_table_iter_remove (&iter);
    }

  for (guint i = 0; i < created->len; i++)
    {
      BhTab *tab = g_ptr_array_index (created, i);

      emit_for_watch (bh_bidi_server_lookup_watch (self, tab), "browsingContext.contextCreated",
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

  watch = bh_bidi_server_lookup_watch (self, tab);
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

  watch = bh_bidi_server_lookup_watch (self, tab);
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
  bh_bidi_server_wait_frame_size (self, command, tab, 0, 0, done);
}

void
bh_bidi_server_wait_frame_size (BhBidiServer *self, BhBidiCommand *command, BhTab *tab,
                                int width_px, int height_px, BhBidiFrameFunc done)
{
  GdkTexture *frame;

  TabWatch *watch;
  FrameWait *wait;

  g_return_if_fail (BH_IS_BIDI_SERVER (self));
  g_return_if_fail (command != NULL);

  watch = bh_bidi_server_lookup_watch (self, tab);
  if (watch == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME,
                            "the browsing context was closed");
      return;
    }
  frame = bh_tab_get_frame (tab);
  if (watch->frame_since_commit && frame != NULL && !bh_tab_has_pending_plugins (tab) &&
      (width_px == 0 ||
       (gdk_texture_get_width (frame) == width_px && gdk_texture_get_height (frame) == height_px)))
    {
      done (command, tab, bh_tab_get_frame (tab));
      return;
    }
  wait = g_new0 (FrameWait, 1);
  wait->watch = watch;
  wait->command = command;
  wait->done = done;
  wait->want_width_px = width_px;
  wait->want_height_px = height_px;
  wait->timeout_id = g_timeout_add (FRAME_WAIT_MS, frame_wait_timeout_cb, wait);
  watch->frame_waits = g_list_append (watch->frame_waits, wait);
}

void
bh_bidi_server_set_next_user_context (BhBidiServer *self, const char *id)
{
  g_return_if_fail (BH_IS_BIDI_SERVER (self));

  g_free (self->next_user_context);
  self->next_user_context = id != NULL && !g_str_equal (id, BH_BIDI_DEFAULT_USER_CONTEXT)
                              ? g_strdup (id)
                              : NULL;
}

