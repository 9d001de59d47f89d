/* bh-tab-navigation.c: a tab's navigations: starting one (the browser's,
 * a link's, a form's POST, reload and stop), its fetch, the response's
 * handling (a page, a full-tab plugin's data, a download, an error page) and
 * the commit to the renderer of the response's site, moving the tab when the
 * site changes; the body then streams to that renderer through a data pipe
 * as it arrives, as in Chromium. Error pages are committed like any page, in
 * the renderer of the "about:" site (Chromium likewise keeps error pages out
 * of the failed site's process), under the URL that failed, so that reload
 * retries it. about:crash, about:kill and about:hang are committed to the
 * tab's current renderer, which carries them out itself.
 */
#include "bh-tab-object-private.h"

#include <string.h>

#include "bh-error-page.h"
#include "bh-plugin-host.h"
#include "bh-profile-pages.h"
#include "bh-site.h"
#include "bh-tab-script-private.h"

/* The scheme of a page's source shown as text (Chromium's view-source:URL). */
#define VIEW_SOURCE_PREFIX "view-source:"

void
bh_tab_navigation_free (Navigation *navigation)
{
  if (navigation == NULL)
    return;
  g_free (navigation->url);
  g_clear_pointer (&navigation->post_body, g_bytes_unref);
  g_free (navigation->post_content_type);
  g_free (navigation->initiator_site);
  g_free (navigation);
}

/* Leaving a renderer: its view goes, the frame stays on screen until the
 * next renderer paints (the texture keeps its own mapping). */
void
bh_tab_leave_renderer (BhTab *self)
{
  if (self->host == NULL)
    return;
  bh_renderer_host_destroy_view (self->host, self->view_id);
  g_clear_object (&self->host);
  self->view_id = 0;
  bh_tab_interaction_set_view (self->interaction, NULL, 0);
  notify (self, PROP_RENDERER_PID);
}

gboolean
bh_tab_is_debug_url (const char *url)
{
  return g_str_equal (url, "about:crash") || g_str_equal (url, "about:kill") ||
         g_str_equal (url, "about:hang");
}

static void
fail_launch (BhTab *self, const char *site, const GError *error)
{
  g_autofree char *message =
    g_strdup_printf ("The renderer for %s could not be started: %s", site, error->message);

  bh_tab_navigation_free (g_steal_pointer (&self->pending));
  set_frame (self, NULL);
  set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
  set_loading (self, FALSE);
  set_progress (self, 0.0);
  set_state (self, BH_TAB_STATE_LAUNCH_FAILED);
}

/* Commits the pending navigation to the renderer of @site; its body follows
 * with bh_renderer_host_push_body(). Returns FALSE if it could not. */
static gboolean
commit (BhTab *self, const char *site, const char *url, const char *content_type,
        const char *charset)
{
  g_autoptr (GError) error = NULL;
  BhRendererHost *host;

  g_assert (self->pending != NULL);

  host = bh_process_manager_get_renderer_host_for_site (self->processes, site, &error);
  if (host == NULL)
    {
      fail_launch (self, site, error);
      return FALSE;
    }
  if (host != self->host)
    {
      bh_tab_leave_renderer (self);
      self->host = g_object_ref (host);
      self->view_id = bh_renderer_host_create_view (host, &bh_tab_view_client, G_OBJECT (self), (guint) self->width_px,
                                                    (guint) self->height_px, self->scale);
      set_string (self, &self->site, site, PROP_SITE);
      bh_tab_interaction_set_view (self->interaction, host, self->view_id);
      if (self->extra_headers != NULL)
        bh_renderer_host_set_view_extra_headers (host, self->view_id, (const char *const *) self->extra_headers);
      if (self->zoom != 1.0)
        bh_renderer_host_send_to_view (host, self->view_id, BH_MSG_SetZoom, g_variant_new ("(ud)", self->view_id, self->zoom));
      notify (self, PROP_RENDERER_PID);
    }
  /* Ctrl+Shift+R reloads the subresources too, as Chromium's
   * LOAD_BYPASS_CACHE reload does; a plain reload revalidates the document
   * only (Chromium since M54) and its subresources use the cache. Automation's
   * network.setCacheBehavior bypass holds for every document of the tab. */
  bh_renderer_host_set_view_cache_mode (host, self->view_id,
                                        self->pending->bypass_cache || self->bypass_cache ? BH_FETCH_CACHE_BYPASS
                                                                                          : BH_FETCH_CACHE_DEFAULT);
  /* Automation's preload scripts go first: the renderer runs them in the
   * document this commit makes. */
  if (bh_tab_script_get_preload_scripts (self) != NULL)
    bh_renderer_host_send_to_view (host, self->view_id, BH_MSG_SetPreloadScripts,
                                   g_variant_new ("(u^as)", self->view_id,
                                                  bh_tab_script_get_preload_scripts (self)));
  if (!bh_renderer_host_commit_navigation (host, self->view_id, self->pending->id, url,
                                           content_type, charset, &error))
    {
      g_autofree char *message = g_strdup_printf ("The page could not be handed to the renderer "
                                                  "for %s: %s", site, error->message);

      bh_tab_navigation_free (g_steal_pointer (&self->pending));
      set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
      set_loading (self, FALSE);
      set_state (self, BH_TAB_STATE_COMPLETE);
      return FALSE;
    }
  self->committed_navigation_id = self->pending->id;
  set_progress (self, PROGRESS_COMMITTED);
  /* Back or Forward to another document: it opens where the user left it. */
  if (self->pending->kind == NAVIGATION_HISTORY && self->pending->history_index >= 0 &&
      (guint) self->pending->history_index < self->history->len)
    {
      HistoryEntry *target = g_ptr_array_index (self->history, self->pending->history_index);

      if (target->scroll_y_px > 0)
        bh_renderer_host_send_to_view (host, self->view_id, BH_MSG_RestoreScrollPosition,
                                       g_variant_new ("(uti)", self->view_id, self->pending->id, target->scroll_y_px));
    }
  return TRUE;
}

/* Commits a document the browser has whole (an error page, about:sandbox, a
 * debug URL's empty body) through the same pipe. */
static void
commit_document (BhTab *self, const char *site, const char *url, const char *content_type,
                 const char *charset, GBytes *body)
{
  guint64 navigation_id = self->pending->id;

  if (!commit (self, site, url, content_type, charset))
    return;
  if (body != NULL)
    bh_renderer_host_push_body (self->host, self->view_id, navigation_id, body);
  bh_renderer_host_end_body (self->host, self->view_id, navigation_id, TRUE);
}

static void
commit_error_page (BhTab *self, const char *url, const GError *error, guint http_status)
{
  g_autofree char *code = error != NULL ? bh_net_error_code (error) : NULL;
  g_autoptr (GBytes) page = bh_error_page_render (url, code, error != NULL ? error->message : NULL, http_status);

  commit_document (self, ABOUT_SITE, url, "text/html", "utf-8", page);
}

/* Lets go of the pending navigation's fetch. A body that was streaming ends
 * there, incomplete, when @end_body: the renderer shows what it has. */
void
bh_tab_drop_fetch (BhTab *self, gboolean end_body)
{
  g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  g_clear_pointer (&self->fetch_stream, bh_fetch_stream_free);
  self->fetch_data = NULL; /* its callbacks still come, and free it */
  if (end_body && self->body_mode == BODY_STREAM && self->host != NULL && self->pending != NULL)
    bh_renderer_host_end_body (self->host, self->view_id, self->pending->id, FALSE);
  self->body_mode = BODY_NONE;
  g_clear_pointer (&self->held, bh_response_free);
  g_clear_pointer (&self->held_body, g_byte_array_unref);
}

typedef struct _FetchData {
  BhTab *tab; /* a reference */
  guint64 navigation_id;
  /* Once the response turned out to be a download: the fetch is the download's. */
  BhDownload *download;
  BhFetchStream *stream;
  GCancellable *cancellable;
} FetchData;

/* The response is saved, not shown (bh-download.h): the fetch goes on for the
 * download, and the tab stays on its page, as in Chromium. */
static void
start_download (BhTab *self, const BhResponse *response, gboolean complete)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhDownload) download = NULL;
  FetchData *fetch = self->fetch_data;
  HistoryEntry *entry = bh_tab_current_entry (self);

  download = bh_download_start (response->final_url, response->content_disposition, response->content_length, NULL,
                                complete ? NULL : self->fetch_cancellable, &error);
  if (download == NULL)
    {
      g_warning ("tab %u: %s cannot be downloaded: %s", self->id, response->final_url, error->message);
      bh_tab_drop_fetch (self, FALSE);
    }
  else
    {
      bh_download_write (download, response->body);
      if (complete)
        bh_download_finish (download, NULL);
      else if (fetch != NULL)
        {
          fetch->download = g_object_ref (download);
          fetch->stream = g_steal_pointer (&self->fetch_stream);
          fetch->cancellable = g_steal_pointer (&self->fetch_cancellable);
          self->fetch_data = NULL;
        }
    }
  bh_tab_navigation_free (g_steal_pointer (&self->pending));
  self->body_mode = BODY_NONE;
  set_uri (self, entry != NULL ? entry->url : "");
  set_loading (self, FALSE);
  set_progress (self, 0.0);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
  if (download != NULL)
    g_signal_emit (self, bh_tab_signals[SIGNAL_DOWNLOAD_STARTED], 0, download);
}

/* The pending navigation's response: its head while the body still arrives
 * (@complete FALSE, @response->body what came with it), or all of it. */
static void
handle_response (BhTab *self, const BhResponse *response, gboolean complete)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *site = NULL;
  guint64 navigation_id = self->pending->id;

  if (complete && response->http_status >= 400 && g_bytes_get_size (response->body) == 0)
    {
      /* Chromium shows the server's own error body, and its error page only
       * when there is none. */
      commit_error_page (self, response->final_url, NULL, response->http_status);
      return;
    }
  site = bh_site_for_url (response->final_url);
  if (site != NULL && self->pending->view_source)
    {
      /* view-source:URL (Chromium's): URL's own bytes, whatever their type,
       * as plain text in monospace, in URL's site's renderer (the source is
       * that site's data). */
      g_autofree char *url = g_strconcat (VIEW_SOURCE_PREFIX, response->final_url, NULL);

      if (!commit (self, site, url, "text/plain", response->charset))
        {
          if (!complete)
            bh_tab_drop_fetch (self, FALSE);
          return;
        }
      bh_renderer_host_push_body (self->host, self->view_id, navigation_id, response->body);
      if (complete)
        bh_renderer_host_end_body (self->host, self->view_id, navigation_id, TRUE);
      else
        self->body_mode = BODY_STREAM;
      return;
    }
  if (site == NULL)
    {
      g_autoptr (GError) invalid = g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                                "%s is not a URL that can be shown",
                                                response->final_url);

      if (!complete)
        bh_tab_drop_fetch (self, FALSE);
      self->load_error = g_error_copy (invalid);
      commit_error_page (self, response->final_url, invalid, 0);
      return;
    }
  /* What no renderer or plugin shows, or what the server marks an attachment,
   * is saved rather than shown as text (a .gz link never renders as garbage). */
  if (response->http_status < 400 &&
      (bh_download_is_attachment (response->content_disposition) ||
       (!bh_download_type_is_displayable (response->content_type) &&
        !bh_plugin_type_is_supported (response->content_type))))
    {
      start_download (self, response, complete);
      return;
    }
  if (response->http_status < 400 && bh_plugin_type_is_supported (response->content_type))
    {
      g_autoptr (GBytes) page = NULL;

      /* A PDF or an SVG image fills the tab through its plugin, which needs
       * all of it; the renderer gets a page that embeds it (bh-tab-plugins.h). */
      if (!complete)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (response->body, &len);

          self->body_mode = BODY_HOLD;
          self->held = g_new0 (BhResponse, 1);
          self->held->final_url = g_strdup (response->final_url);
          self->held->http_status = response->http_status;
          self->held->content_type = g_strdup (response->content_type);
          self->held->charset = g_strdup (response->charset);
          self->held->redirect_count = response->redirect_count;
          self->held_body = g_byte_array_sized_new ((guint) len);
          g_byte_array_append (self->held_body, data, (guint) len);
          return;
        }
      page = bh_tab_plugins_begin_full_tab (self->plugins, navigation_id, response->final_url,
                                            response->content_type, response->body, &error);
      if (page != NULL)
        {
          commit_document (self, site, response->final_url, "text/html", "utf-8", page);
          return;
        }
      g_warning ("tab %u: %s cannot be shown by its plugin: %s", self->id, response->final_url, error->message);
    }
  if (!commit (self, site, response->final_url, response->content_type, response->charset))
    {
      if (!complete)
        bh_tab_drop_fetch (self, FALSE);
      return;
    }
  bh_renderer_host_push_body (self->host, self->view_id, navigation_id, response->body);
  if (complete)
    bh_renderer_host_end_body (self->host, self->view_id, navigation_id, TRUE);
  else
    self->body_mode = BODY_STREAM;
}

/* Whether a callback of @fetch's fetch is still the tab's business. */
static gboolean
fetch_is_current (FetchData *fetch)
{
  BhTab *self = fetch->tab;

  return !self->closed && self->pending != NULL && self->pending->id == fetch->navigation_id;
}

static void
fetch_response_cb (BhFetchStream *stream, const BhResponse *head, gpointer data)
{
  FetchData *fetch = data;

  if (fetch_is_current (fetch) && fetch->tab->body_mode == BODY_NONE)
    handle_response (fetch->tab, head, FALSE);
}

static void
fetch_data_cb (BhFetchStream *stream, GBytes *chunk, gpointer data)
{
  FetchData *fetch = data;
  BhTab *self = fetch->tab;

  if (fetch->download != NULL)
    {
      bh_download_write (fetch->download, chunk);
      return;
    }
  if (!fetch_is_current (fetch))
    return;
  if (self->body_mode == BODY_STREAM && self->host != NULL)
    bh_renderer_host_push_body (self->host, self->view_id, fetch->navigation_id, chunk);
  else if (self->body_mode == BODY_HOLD)
    g_byte_array_append (self->held_body, g_bytes_get_data (chunk, NULL), (guint) g_bytes_get_size (chunk));
}

static void
fetch_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  FetchData *fetch = data;
  g_autoptr (BhTab) self = fetch->tab;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  gboolean current;
  BodyMode mode;

  if (fetch->download != NULL)
    {
      bh_download_finish (fetch->download, response != NULL ? NULL : error);
      g_clear_pointer (&fetch->stream, bh_fetch_stream_free);
      g_clear_object (&fetch->cancellable);
      g_object_unref (fetch->download);
      g_free (fetch);
      return;
    }
  current = fetch_is_current (fetch);
  if (self->fetch_data == fetch)
    self->fetch_data = NULL;
  g_free (fetch);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !current)
    return;
  g_clear_object (&self->fetch_cancellable);
  g_clear_pointer (&self->fetch_stream, bh_fetch_stream_free);
  mode = self->body_mode;
  self->body_mode = BODY_NONE;

  switch (mode)
    {
    case BODY_STREAM:
      /* Committed at its head: a failure now cuts the page where it is, as
       * Chromium shows what arrived of a truncated page. */
      if (self->host != NULL)
        bh_renderer_host_end_body (self->host, self->view_id, self->pending->id, response != NULL);
      if (response != NULL)
        return;
      g_message ("tab %u: the body of %s ended early: %s", self->id, self->pending->url, error->message);
      /* Over the size cap, the page is refused as a whole, as it was before
       * it streamed: its error page replaces what arrived. Any other cut
       * leaves the page as far as it came, loaded, as in Chromium. */
      if (g_error_matches (error, BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE))
        {
          g_clear_error (&self->load_error);
          self->load_error = g_error_copy (error);
          commit_error_page (self, self->pending->url, error, 0);
        }
      return;
    case BODY_HOLD:
      if (response != NULL)
        {
          g_autoptr (BhResponse) whole = g_steal_pointer (&self->held);

          g_bytes_unref (whole->body);
          whole->body = g_byte_array_free_to_bytes (g_steal_pointer (&self->held_body));
          handle_response (self, whole, TRUE);
          return;
        }
      g_clear_pointer (&self->held, bh_response_free);
      g_clear_pointer (&self->held_body, g_byte_array_unref);
      break;
    case BODY_NONE:
    default:
      if (response != NULL)
        {
          handle_response (self, response, TRUE);
          return;
        }
      break;
    }
  g_clear_error (&self->load_error);
  self->load_error = g_error_copy (error);
  commit_error_page (self, self->pending->url, error, 0);
}

static void
commit_sandbox_page (BhTab *self)
{
  g_autoptr (GBytes) page = NULL;

  bh_process_manager_start_sandbox_self_test (self->processes);
  page = bh_process_manager_render_sandbox_page (self->processes);

  commit_document (self, ABOUT_SITE, "about:sandbox", "text/html", "utf-8", page);
}

static void
sandbox_page_host_cb (BhRendererHost *host, GParamSpec *pspec, gpointer data)
{
  BhTab *self = data;

  if (bh_renderer_host_is_alive (host) && !bh_renderer_host_is_ready (host))
    return;
  g_signal_handlers_disconnect_by_func (host, sandbox_page_host_cb, self);
  if (!self->closed && self->pending != NULL && g_str_equal (self->pending->url, "about:sandbox"))
    commit_sandbox_page (self);
  g_object_unref (self);
}

/* about:sandbox is generated from /proc in the browser (bh-sandbox-page.c)
 * and shown by the about: renderer. That renderer is listed on the page too,
 * so the page waits until it has started and entered its sandbox (ChildReady);
 * read any earlier and it would show a process not yet confined. */
static void
start_sandbox_page (BhTab *self)
{
  BhRendererHost *host = bh_process_manager_get_renderer_host_for_site (self->processes, ABOUT_SITE, NULL);

  if (host == NULL || bh_renderer_host_is_ready (host))
    {
      commit_sandbox_page (self);
      return;
    }
  g_signal_connect (host, "notify::ready", G_CALLBACK (sandbox_page_host_cb), g_object_ref (self));
  g_signal_connect (host, "notify::alive", G_CALLBACK (sandbox_page_host_cb), self);
}

/* Starts the renderer of @url's site while the response is on its way, as
 * Chromium starts a speculative renderer: process start-up and the sandbox
 * then overlap the network. If the response commits elsewhere (a redirect to
 * another site, an error page), the unused renderer exits after its grace
 * period. Only for the network and file: a failed spawn is reported when the
 * commit asks again. */
static void
start_renderer_early (BhTab *self, const char *url)
{
  g_autofree char *site = NULL;

  if (!g_str_has_prefix (url, "http:") && !g_str_has_prefix (url, "https:") && !g_str_has_prefix (url, "file:"))
    return;
  site = bh_site_for_url (url);
  if (site != NULL)
    bh_process_manager_get_renderer_host_for_site (self->processes, site, NULL);
}

/* @post_content_type, @post_body: (nullable): a form's POST */
void
bh_tab_start_navigation_full (BhTab *self, const char *url, NavigationKind kind, int history_index,
                       const char *initiator_site, const char *post_content_type, GBytes *post_body)
{
  BhFetchOptions options = { 0 };
  FetchData *fetch;
  guint64 navigation_id;

  if (self->closed)
    return;
  if (post_body == NULL && bh_tab_navigate_same_document (self, url, kind, history_index))
    return;

  bh_tab_drop_fetch (self, TRUE);
  bh_tab_navigation_free (self->pending);
  self->pending = g_new0 (Navigation, 1);
  self->pending->id = bh_process_manager_next_navigation_id (self->processes);
  self->pending->url = g_strdup (url);
  self->pending->kind = kind;
  self->pending->history_index = history_index;
  if (post_body != NULL)
    {
      self->pending->post_body = g_bytes_ref (post_body);
      self->pending->post_content_type = g_strdup (post_content_type);
    }
  self->pending->initiator_site = g_strdup (initiator_site);
  self->pending->view_source = g_str_has_prefix (url, VIEW_SOURCE_PREFIX);
  self->pending->transition = kind == NAVIGATION_RELOAD ? BH_PAGE_TRANSITION_RELOAD
                              : initiator_site != NULL || kind == NAVIGATION_HISTORY ? BH_PAGE_TRANSITION_LINK
                              : BH_PAGE_TRANSITION_TYPED;
  g_clear_error (&self->load_error);

  set_uri (self, url);
  set_string (self, &self->status_message, "", PROP_STATUS_MESSAGE);
  set_string (self, &self->hovered_link, "", PROP_HOVERED_LINK);
  set_state (self, BH_TAB_STATE_LOADING);
  set_loading (self, TRUE);
  set_progress (self, PROGRESS_FETCH_STARTED);
  /* Before any commit below: about:sandbox and the debug URLs may commit,
   * or fail, within this call. */
  navigation_id = self->pending->id;
  g_signal_emit (self, bh_tab_signals[SIGNAL_NAVIGATION_STARTED], 0, navigation_id,
                 self->pending->url);
  /* A handler may have started another navigation, or closed the tab. */
  if (self->closed || self->pending == NULL || self->pending->id != navigation_id)
    return;

  if (g_str_equal (url, "about:sandbox"))
    {
      start_sandbox_page (self);
      return;
    }
  {
    /* about:history and about:bookmarks, from the profile (bh-profile-pages.c). */
    g_autoptr (GBytes) page = bh_profile_page_render (bh_process_manager_get_profile (self->processes),
                                                    url, initiator_site);

    if (page != NULL)
      {
        commit_document (self, ABOUT_SITE, url, "text/html", "utf-8", page);
        return;
      }
  }
  if (bh_tab_is_debug_url (url))
    {
      /* The renderer that serves the tab is the one to crash, be killed or
       * hang (Chromium: chrome://crash and friends). */
      const char *site = self->host != NULL ? bh_renderer_host_get_site (self->host) : ABOUT_SITE;

      commit_document (self, site, url, "text/html", "utf-8", NULL);
      return;
    }

  if (self->pending->view_source)
    {
      /* Only a page's source: http(s) and file, as Chromium allows (no
       * view-source:about: or view-source:view-source:). */
      const char *inner = url + strlen (VIEW_SOURCE_PREFIX);

      if (!g_str_has_prefix (inner, "http://") && !g_str_has_prefix (inner, "https://") &&
          !g_str_has_prefix (inner, "file:"))
        {
          g_autoptr (GError) invalid = g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                                    "%s is not a URL whose source can be shown", url);

          self->load_error = g_error_copy (invalid);
          commit_error_page (self, url, invalid, 0);
          return;
        }
      url = inner;
    }
  self->fetch_cancellable = g_cancellable_new ();
  fetch = g_new0 (FetchData, 1);
  fetch->tab = g_object_ref (self);
  fetch->navigation_id = self->pending->id;
  self->fetch_data = fetch;
  options.host_rules = bh_process_manager_get_host_rules (self->processes);
  options.upload_body = post_body;
  options.upload_content_type = (char *) post_content_type;
  options.profile = bh_process_manager_get_profile (self->processes);
  options.initiator_site = initiator_site;
  options.top_level_navigation = TRUE;
  /* Reload revalidates what the cache holds; Ctrl+Shift+R bypasses it. */
  options.extra_headers = (const char *const *) self->extra_headers;
  options.cache_mode = self->bypass_cache_once || self->bypass_cache ? BH_FETCH_CACHE_BYPASS
                       : kind == NAVIGATION_RELOAD ? BH_FETCH_CACHE_VALIDATE
                       : BH_FETCH_CACHE_DEFAULT;
  self->pending->bypass_cache = self->bypass_cache_once;
  self->bypass_cache_once = FALSE;
  options.initiator = G_OBJECT (self);
  options.destination = "document";
  {
    static const BhFetchStreamFuncs stream_funcs = { fetch_response_cb, fetch_data_cb };

    self->fetch_stream = bh_fetch_stream (url, &options, &stream_funcs, fetch, self->fetch_cancellable, fetch_cb,
                                          fetch);
  }
  start_renderer_early (self, url);
}

void
bh_tab_start_navigation (BhTab *self, const char *url, NavigationKind kind, int history_index, const char *initiator_site)
{
  bh_tab_start_navigation_full (self, url, kind, history_index, initiator_site, NULL, NULL);
}

/* A form's POST: a new navigation whose fetch sends @body (bh-fetch-job.h). */
void
bh_tab_start_post_navigation (BhTab *self, const char *url, const char *content_type, GBytes *body)
{
  g_autofree char *target_site = bh_site_for_url (url);

  if (target_site == NULL)
    return;
  /* The form's page asked: its site is the request's initiator (SameSite). */
  bh_tab_start_navigation_full (self, url, NAVIGATION_NEW, -1, self->site, content_type, body);
}

void
bh_tab_navigate (BhTab *self, const char *url)
{
  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (url != NULL);

  bh_tab_start_navigation (self, url, NAVIGATION_NEW, -1, NULL);
}

/* Chromium's omnibox, reduced: text with no scheme is an address when it has
 * no white space and its host part (before the first '/', '?' or '#', a
 * ":port" left off) has a dot, is "localhost" or is an IPv6 literal; anything
 * else is words to search for. */
static gboolean
looks_like_address (const char *text)
{
  g_autofree char *host = g_strndup (text, strcspn (text, "/?#"));
  char *colon;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return FALSE;
  if (host[0] == '[')
    return TRUE;
  if ((colon = strrchr (host, ':')) != NULL)
    *colon = '\0';
  return strchr (host, '.') != NULL || g_ascii_strcasecmp (host, "localhost") == 0;
}

/* The search template with @words in place of its %s, form-encoded (spaces as
 * '+', as search engines and Chromium write them). */
static char *
search_url_for (const char *template, const char *words)
{
  const char *at = strstr (template, "%s");
  GString *url = g_string_new_len (template, at != NULL ? at - template : (gssize) strlen (template));

  for (const guchar *p = (const guchar *) words; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append_c (url, '+');
      else if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL)
        g_string_append_c (url, (char) *p);
      else
        g_string_append_printf (url, "%%%02X", *p);
    }
  if (at != NULL)
    g_string_append (url, at + 2);
  return g_string_free (url, FALSE);
}

void
bh_tab_navigate_to_user_input (BhTab *self, const char *text)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *scheme = NULL;

  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (text != NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return;
  scheme = g_uri_parse_scheme (trimmed);
  /* "localhost:8000" parses as scheme "localhost": what follows a scheme's
   * colon is a URL's rest, never a port number. Any other scheme is taken as
   * typed, so an unsupported one gets its error page rather than a lookup of
   * a host called "gopher". */
  if (scheme != NULL && !g_ascii_isdigit (trimmed[strlen (scheme) + 1]))
    {
      bh_tab_navigate (self, trimmed);
      return;
    }
  if (!looks_like_address (trimmed))
    {
      const char *template = bh_process_manager_get_options (self->processes)->search_url;
      g_autofree char *url = search_url_for (template != NULL ? template : BH_DEFAULT_SEARCH_URL, trimmed);

      bh_tab_navigate (self, url);
      return;
    }
  {
    g_autofree char *url = g_strconcat ("http://", trimmed, NULL);

    bh_tab_navigate (self, url);
  }
}

void
bh_tab_reload (BhTab *self)
{
  HistoryEntry *entry;

  g_return_if_fail (BH_IS_TAB (self));

  entry = bh_tab_current_entry (self);
  if (entry != NULL)
    bh_tab_start_navigation_full (self, entry->url, NAVIGATION_RELOAD, self->history_index, NULL, entry->post_content_type,
                           entry->post_body);
  else if (self->uri != NULL && *self->uri != '\0')
    bh_tab_start_navigation (self, self->uri, NAVIGATION_NEW, -1, NULL);
}

void
bh_tab_reload_bypassing_cache (BhTab *self)
{
  g_return_if_fail (BH_IS_TAB (self));

  self->bypass_cache_once = TRUE;
  bh_tab_reload (self);
  /* A reload that did not start a fetch (nothing to reload) leaves no mark. */
  self->bypass_cache_once = FALSE;
}

void
bh_tab_stop (BhTab *self)
{
  HistoryEntry *entry;

  g_return_if_fail (BH_IS_TAB (self));

  if (self->pending == NULL && !self->loading)
    return;
  /* A body still streaming ends where it is: the page shows what came. The
   * renderer hears it first on its control lane, ahead of what it still has
   * to read. */
  if (self->host != NULL && self->pending != NULL && self->pending->id == self->committed_navigation_id)
    bh_renderer_host_stop_view (self->host, self->view_id);
  bh_tab_drop_fetch (self, TRUE);
  /* A navigation that had not committed leaves the tab on the page it was on. */
  if (self->pending != NULL && self->pending->id != self->committed_navigation_id)
    {
      entry = bh_tab_current_entry (self);
      set_uri (self, entry != NULL ? entry->url : "");
    }
  bh_tab_navigation_free (g_steal_pointer (&self->pending));
  set_loading (self, FALSE);
  set_progress (self, 0.0);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
}

typedef struct {
  BhTab *tab; /* a reference */
  char *url;
} SaveData;

static void
save_fetched_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SaveData *save = data;
  g_autoptr (BhTab) self = save->tab;
  g_autofree char *url = save->url;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  g_autoptr (BhDownload) download = NULL;

  g_free (save);
  if (response != NULL && response->http_status >= 400)
    error = g_error_new (BH_NET_ERROR, BH_NET_ERROR_FAILED, "the server answered %u", response->http_status);
  if (error == NULL)
    download = bh_download_start (response->final_url, response->content_disposition,
                                  (gint64) g_bytes_get_size (response->body), NULL, NULL, &error);
  if (download == NULL)
    {
      g_warning ("tab %u: %s cannot be saved: %s", self->id, url, error->message);
      return;
    }
  bh_download_write (download, response->body);
  bh_download_finish (download, NULL);
  if (!self->closed)
    g_signal_emit (self, bh_tab_signals[SIGNAL_DOWNLOAD_STARTED], 0, download);
}

void
bh_tab_save_url (BhTab *self, const char *url)
{
  BhFetchOptions options = { 0 };
  SaveData *save;

  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (url != NULL);

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    return;
  save = g_new0 (SaveData, 1);
  save->tab = g_object_ref (self);
  save->url = g_strdup (url);
  options.host_rules = bh_process_manager_get_host_rules (self->processes);
  options.profile = bh_process_manager_get_profile (self->processes);
  options.initiator_site = self->site;
  options.initiator = G_OBJECT (self);
  options.destination = "image";
  bh_fetch (url, &options, NULL, save_fetched_cb, save);
}

void
bh_tab_set_cache_bypass (BhTab *self, gboolean bypass)
{
  g_return_if_fail (BH_IS_TAB (self));

  self->bypass_cache = bypass;
  if (self->host != NULL && self->view_id != 0)
    bh_renderer_host_set_view_cache_mode (self->host, self->view_id,
                                          bypass ? BH_FETCH_CACHE_BYPASS : BH_FETCH_CACHE_DEFAULT);
}

void
bh_tab_set_extra_headers (BhTab *self, const char *const *headers)
{
  g_return_if_fail (BH_IS_TAB (self));

  g_strfreev (self->extra_headers);
  self->extra_headers = headers != NULL && headers[0] != NULL ? g_strdupv ((GStrv) headers) : NULL;
  if (self->host != NULL && self->view_id != 0)
    bh_renderer_host_set_view_extra_headers (self->host, self->view_id, headers);
}
