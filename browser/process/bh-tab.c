/* bh-tab.c: one tab: its history, its navigation, and the renderer serving it.
 *
 * A navigation is fetched by the browser and committed, at the response's
 * headers, to the renderer of the response's site (site-per-process), moving
 * the tab when the site changes; the body then streams to that renderer
 * through a data pipe as it arrives, as in Chromium. Error pages are committed like any page, in the renderer of the
 * "about:" site (Chromium likewise keeps error pages out of the failed site's
 * process: they live in an error-page process of their own), under the URL
 * that failed, so that reload retries it. about:crash, about:kill and
 * about:hang are committed to the tab's current renderer, which carries them
 * out itself.
 */
#include "bh-tab.h"

#include <math.h>

#include "bh-error-page.h"
#include "bh-fetcher.h"
#include "bh-hang-monitor.h"
#include "bh-history.h"
#include "bh-plugin-host.h"
#include "bh-process-manager.h"
#include "bh-profile-pages.h"
#include "bh-renderer-host-private.h"
#include "bh-site.h"
#include "bh-tab-plugins-private.h"
#include "bh-tab-interaction-private.h"
#include "bh-tab-private.h"
#include "bh-tab-script-private.h"

/* Browser-side share of the progress bar: the fetch, then the renderer's load. */
#define PROGRESS_FETCH_STARTED 0.1
#define PROGRESS_COMMITTED 0.3
/* The error pages' and debug URLs' renderer when the tab has none. */
#define ABOUT_SITE "about:"

/* What the tab's renderer host tells it (below). */
static const BhRendererViewClient view_client;

G_DEFINE_ENUM_TYPE (BhTabState, bh_tab_state,
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_CRASHED, "crashed"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_KILLED, "killed"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_OOM, "oom"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_UNRESPONSIVE, "unresponsive"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_BAD_MESSAGE, "bad-message"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_LAUNCH_FAILED, "launch-failed"))

const char *
bh_tab_state_to_string (BhTabState state)
{
  GEnumClass *klass = g_type_class_ref (BH_TYPE_TAB_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

gboolean
bh_tab_state_is_failure (BhTabState state)
{
  switch (state)
    {
    case BH_TAB_STATE_CRASHED:
    case BH_TAB_STATE_KILLED:
    case BH_TAB_STATE_OOM:
    case BH_TAB_STATE_BAD_MESSAGE:
    case BH_TAB_STATE_LAUNCH_FAILED:
      return TRUE;
    case BH_TAB_STATE_LOADING:
    case BH_TAB_STATE_COMPLETE:
    case BH_TAB_STATE_UNRESPONSIVE:
    default:
      return FALSE;
    }
}

typedef struct {
  char *url;
  char *title;
  guint64 document_id; /* entries of one document (fragments) share it */
  int scroll_y_px;     /* where the user left it, restored by a history step */
  GBytes *post_body;   /* the form POST that made it, sent again on reload; NULL for GET */
  char *post_content_type;
} HistoryEntry;

static void
history_entry_free (HistoryEntry *entry)
{
  g_free (entry->url);
  g_free (entry->title);
  g_clear_pointer (&entry->post_body, g_bytes_unref);
  g_free (entry->post_content_type);
  g_free (entry);
}

typedef enum {
  NAVIGATION_NEW,     /* adds an entry, drops the forward list */
  NAVIGATION_RELOAD,  /* replaces the current entry */
  NAVIGATION_HISTORY, /* moves to an existing entry */
} NavigationKind;

typedef struct {
  guint64 id;
  char *url;
  NavigationKind kind;
  int history_index; /* the target for NAVIGATION_HISTORY */
  /* A form's POST (bh_tab_renderer_submit_form()): the body and its type; NULL for GET. */
  GBytes *post_body;
  char *post_content_type;
  BhPageTransition transition; /* for the profile's history */
  char *initiator_site;        /* the page's that asked (a link), NULL: the browser's */
} Navigation;

/* Where the pending navigation's body goes while it arrives. */
typedef enum {
  BODY_NONE,    /* no head yet (or nothing streams) */
  BODY_STREAM,  /* committed at the head: into the renderer's data pipe */
  BODY_HOLD,    /* a full-tab plugin's data: gathered here, the commit waits for all of it */
} BodyMode;

static void
navigation_free (Navigation *navigation)
{
  if (navigation == NULL)
    return;
  g_free (navigation->url);
  g_clear_pointer (&navigation->post_body, g_bytes_unref);
  g_free (navigation->post_content_type);
  g_free (navigation->initiator_site);
  g_free (navigation);
}

struct _BhTab {
  GObject parent_instance;

  BhProcessManager *processes; /* a reference */
  guint id;
  char *uri;
  char *title;
  BhTabState state;
  gboolean loading;
  double progress;
  char *hovered_link;
  guint cursor;
  char *status_message;
  int document_height_px;
  int scroll_y_px;
  int document_width_px; /* the content's, wider than the viewport when it scrolls sideways */
  int scroll_x_px;
  GdkTexture *frame;
  GError *load_error;

  BhRendererHost *host; /* a reference; NULL when no renderer serves the tab */
  gboolean bypass_cache_once; /* the next navigation skips the HTTP cache (Ctrl+Shift+R) */
  guint view_id;
  char *site;

  int width_px;
  int height_px;
  double scale;

  GPtrArray *history; /* HistoryEntry */
  int history_index;  /* -1 while empty */

  Navigation *pending;   /* fetched or being committed; NULL when idle */
  GCancellable *fetch_cancellable;
  BhFetchStream *fetch_stream; /* the pending navigation's fetch, to pause */
  BodyMode body_mode;
  BhResponse *held;            /* BODY_HOLD: the head, its body growing */
  GByteArray *held_body;
  guint64 committed_navigation_id; /* the renderer's messages of this one are shown */
  gboolean closed;
  gint64 unresponsive_since_us; /* when its renderer stopped answering, while unresponsive */
  BhTabPlugins *plugins; /* the document's plugin areas (bh-tab-plugins.h) */
  BhTabInteraction *interaction; /* find in page, copied text (bh-tab-interaction.h) */
  struct _FetchData *fetch_data; /* the pending navigation's fetch's callback data, or NULL */
  gboolean visible;
  guint recent_crash_count;
  /* New tabs the page asked for without user activation, since its commit: how many,
   * and the first one's URL (what Allow opens). */
  guint blocked_popup_count;
  char *blocked_popup_url;
};

G_DEFINE_FINAL_TYPE (BhTab, bh_tab, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URI,
  PROP_TITLE,
  PROP_STATE,
  PROP_LOADING,
  PROP_PROGRESS,
  PROP_HOVERED_LINK,
  PROP_CURSOR,
  PROP_SITE,
  PROP_RENDERER_PID,
  PROP_DOCUMENT_HEIGHT,
  PROP_SCROLL_Y,
  PROP_CAN_GO_BACK,
  PROP_CAN_GO_FORWARD,
  PROP_STATUS_MESSAGE,
  PROP_VISIBLE,
  PROP_RECENT_CRASH_COUNT,
  PROP_BLOCKED_POPUP_COUNT,
  PROP_DOCUMENT_WIDTH,
  PROP_SCROLL_X,
  N_PROPS
};

enum {
  SIGNAL_FRAME_CHANGED,
  SIGNAL_OPEN_URL,
  SIGNAL_LOAD_FINISHED,
  SIGNAL_CLOSE_REQUESTED,
  SIGNAL_NAVIGATION_STARTED,
  SIGNAL_NAVIGATION_COMMITTED,
  SIGNAL_CLOSED,
  SIGNAL_SAME_DOCUMENT_NAVIGATION,
  SIGNAL_DOWNLOAD_STARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
notify (BhTab *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (BhTab *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

/* The title falls back to the URL: it changes with the URL while empty. */
static void
set_uri (BhTab *self, const char *uri)
{
  if (g_strcmp0 (self->uri, uri) == 0)
    return;
  g_free (self->uri);
  self->uri = g_strdup (uri);
  notify (self, PROP_URI);
  if (self->title == NULL || *self->title == '\0')
    notify (self, PROP_TITLE);
}

static void
set_state (BhTab *self, BhTabState state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
}

static void
clear_blocked_popups (BhTab *self)
{
  g_clear_pointer (&self->blocked_popup_url, g_free);
  if (self->blocked_popup_count == 0)
    return;
  self->blocked_popup_count = 0;
  notify (self, PROP_BLOCKED_POPUP_COUNT);
}

static void
set_loading (BhTab *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  notify (self, PROP_LOADING);
}

static void
set_progress (BhTab *self, double progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  notify (self, PROP_PROGRESS);
}

static void
set_int (BhTab *self, int *field, int value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
set_frame (BhTab *self, GdkTexture *frame)
{
  if (self->frame == frame)
    return;
  /* Dropping the old frame may release its buffer to the renderer. */
  g_set_object (&self->frame, frame);
  g_signal_emit (self, signals[SIGNAL_FRAME_CHANGED], 0);
}

static void
notify_history (BhTab *self)
{
  notify (self, PROP_CAN_GO_BACK);
  notify (self, PROP_CAN_GO_FORWARD);
}

static HistoryEntry *
current_entry (BhTab *self)
{
  if (self->history_index < 0)
    return NULL;
  return g_ptr_array_index (self->history, self->history_index);
}

/* Leaving a renderer: its view goes, the frame stays on screen until the
 * next renderer paints (the texture keeps its own mapping). */
static void
leave_renderer (BhTab *self)
{
  if (self->host == NULL)
    return;
  bh_renderer_host_destroy_view (self->host, self->view_id);
  g_clear_object (&self->host);
  self->view_id = 0;
  bh_tab_interaction_set_view (self->interaction, NULL, 0);
  notify (self, PROP_RENDERER_PID);
}

static gboolean
is_debug_url (const char *url)
{
  return g_str_equal (url, "about:crash") || g_str_equal (url, "about:kill") ||
         g_str_equal (url, "about:hang");
}

static void
fail_launch (BhTab *self, const char *site, const GError *error)
{
  g_autofree char *message =
    g_strdup_printf ("The renderer for %s could not be started: %s", site, error->message);

  navigation_free (g_steal_pointer (&self->pending));
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
      leave_renderer (self);
      self->host = g_object_ref (host);
      self->view_id = bh_renderer_host_create_view (host, &view_client, G_OBJECT (self), (guint) self->width_px,
                                                    (guint) self->height_px, self->scale);
      set_string (self, &self->site, site, PROP_SITE);
      bh_tab_interaction_set_view (self->interaction, host, self->view_id);
      notify (self, PROP_RENDERER_PID);
    }
  if (!bh_renderer_host_commit_navigation (host, self->view_id, self->pending->id, url,
                                           content_type, charset, &error))
    {
      g_autofree char *message = g_strdup_printf ("The page could not be handed to the renderer "
                                                  "for %s: %s", site, error->message);

      navigation_free (g_steal_pointer (&self->pending));
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
static void
drop_fetch (BhTab *self, gboolean end_body)
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
  HistoryEntry *entry = current_entry (self);

  download = bh_download_start (response->final_url, response->content_disposition, response->content_length, NULL,
                                complete ? NULL : self->fetch_cancellable, &error);
  if (download == NULL)
    {
      g_warning ("tab %u: %s cannot be downloaded: %s", self->id, response->final_url, error->message);
      drop_fetch (self, FALSE);
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
  navigation_free (g_steal_pointer (&self->pending));
  self->body_mode = BODY_NONE;
  set_uri (self, entry != NULL ? entry->url : "");
  set_loading (self, FALSE);
  set_progress (self, 0.0);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
  if (download != NULL)
    g_signal_emit (self, signals[SIGNAL_DOWNLOAD_STARTED], 0, download);
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
  if (site == NULL)
    {
      g_autoptr (GError) invalid = g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                                "%s is not a URL that can be shown",
                                                response->final_url);

      if (!complete)
        drop_fetch (self, FALSE);
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
        drop_fetch (self, FALSE);
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
static gboolean
navigate_same_document (BhTab *self, const char *url, NavigationKind kind, int history_index)
{
  HistoryEntry *current = current_entry (self);
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
      drop_fetch (self, FALSE);
      navigation_free (g_steal_pointer (&self->pending));
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
  notify_history (self);
  bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_CommitSameDocumentNavigation,
                                 g_variant_new ("(usi)", self->view_id, url, scroll_y));
  g_signal_emit (self, signals[SIGNAL_SAME_DOCUMENT_NAVIGATION], 0, url);
  return TRUE;
}

/* @post_content_type, @post_body: (nullable): a form's POST */
static void
start_navigation_full (BhTab *self, const char *url, NavigationKind kind, int history_index,
                       const char *initiator_site, const char *post_content_type, GBytes *post_body)
{
  BhFetchOptions options = { 0 };
  FetchData *fetch;
  guint64 navigation_id;

  if (self->closed)
    return;
  if (post_body == NULL && navigate_same_document (self, url, kind, history_index))
    return;

  drop_fetch (self, TRUE);
  navigation_free (self->pending);
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
  g_signal_emit (self, signals[SIGNAL_NAVIGATION_STARTED], 0, navigation_id,
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
  if (is_debug_url (url))
    {
      /* The renderer that serves the tab is the one to crash, be killed or
       * hang (Chromium: chrome://crash and friends). */
      const char *site = self->host != NULL ? bh_renderer_host_get_site (self->host) : ABOUT_SITE;

      commit_document (self, site, url, "text/html", "utf-8", NULL);
      return;
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
  options.cache_mode = self->bypass_cache_once ? BH_FETCH_CACHE_BYPASS
                       : kind == NAVIGATION_RELOAD ? BH_FETCH_CACHE_VALIDATE
                       : BH_FETCH_CACHE_DEFAULT;
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

static void
start_navigation (BhTab *self, const char *url, NavigationKind kind, int history_index, const char *initiator_site)
{
  start_navigation_full (self, url, kind, history_index, initiator_site, NULL, NULL);
}

/* A form's POST: a new navigation whose fetch sends @body (bh-fetch-job.h). */
static void
start_post_navigation (BhTab *self, const char *url, const char *content_type, GBytes *body)
{
  g_autofree char *target_site = bh_site_for_url (url);

  if (target_site == NULL)
    return;
  /* The form's page asked: its site is the request's initiator (SameSite). */
  start_navigation_full (self, url, NAVIGATION_NEW, -1, self->site, content_type, body);
}

/* Public API. */

BhTab *
bh_tab_new_in (BhProcessManager *processes, guint tab_id)
{
  const BhBrowserOptions *options;
  BhTab *self;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (processes), NULL);

  options = bh_process_manager_get_options (processes);
  self = g_object_new (BH_TYPE_TAB, NULL);
  self->processes = g_object_ref (processes);
  self->id = tab_id;
  self->width_px = options->window_width_px;
  self->height_px = options->window_height_px;
  self->plugins = bh_tab_plugins_new (self, processes);
  self->interaction = bh_tab_interaction_new ();
  bh_tab_plugins_set_viewport (self->plugins, self->width_px, self->height_px, self->scale);
  return self;
}

void
bh_tab_navigate (BhTab *self, const char *url)
{
  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (url != NULL);

  start_navigation (self, url, NAVIGATION_NEW, -1, NULL);
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

  entry = current_entry (self);
  if (entry != NULL)
    start_navigation_full (self, entry->url, NAVIGATION_RELOAD, self->history_index, NULL, entry->post_content_type,
                           entry->post_body);
  else if (self->uri != NULL && *self->uri != '\0')
    start_navigation (self, self->uri, NAVIGATION_NEW, -1, NULL);
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
  drop_fetch (self, TRUE);
  /* A navigation that had not committed leaves the tab on the page it was on. */
  if (self->pending != NULL && self->pending->id != self->committed_navigation_id)
    {
      entry = current_entry (self);
      set_uri (self, entry != NULL ? entry->url : "");
    }
  navigation_free (g_steal_pointer (&self->pending));
  set_loading (self, FALSE);
  set_progress (self, 0.0);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
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
  start_navigation_full (self, entry->url, NAVIGATION_HISTORY, target, NULL, entry->post_content_type,
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
  notify_history (self);
  start_navigation (self, urls[current_index], NAVIGATION_HISTORY, current_index, NULL);
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

void
bh_tab_set_viewport (BhTab *self, int width_px, int height_px, double scale)
{
  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (scale > 0.0 && isfinite (scale));

  width_px = CLAMP (width_px, 1, 16384);
  height_px = CLAMP (height_px, 1, 16384);
  if (width_px == self->width_px && height_px == self->height_px && scale == self->scale)
    return;
  self->width_px = width_px;
  self->height_px = height_px;
  self->scale = scale;
  bh_tab_plugins_set_viewport (self->plugins, width_px, height_px, scale);
  if (self->host != NULL)
    bh_renderer_host_resize_view (self->host, self->view_id, (guint) width_px, (guint) height_px,
                                  scale);
}

void
bh_tab_get_viewport (BhTab *self, int *out_width_px, int *out_height_px, double *out_scale)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (out_width_px != NULL)
    *out_width_px = self->width_px;
  if (out_height_px != NULL)
    *out_height_px = self->height_px;
  if (out_scale != NULL)
    *out_scale = self->scale;
}

void
bh_tab_send_mouse (BhTab *self, guint kind, double x_px, double y_px, guint button,
                   guint modifiers)
{
  g_return_if_fail (BH_IS_TAB (self));

  /* A plugin area takes what happens inside it (bh-tab-plugins.h). */
  if (bh_tab_plugins_handle_mouse (self->plugins, kind, x_px, y_px, button, modifiers))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_MouseEvent,
                                 g_variant_new ("(uudduu)", self->view_id, kind, x_px, y_px,
                                                button, modifiers));
}

void
bh_tab_send_scroll (BhTab *self, double dx_px, double dy_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (bh_tab_plugins_handle_scroll (self->plugins, dx_px, dy_px))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollEvent,
                                 g_variant_new ("(udd)", self->view_id, dx_px, dy_px));
}

void
bh_tab_send_key (BhTab *self, guint keyval, guint modifiers)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (bh_tab_plugins_handle_key (self->plugins, keyval, modifiers))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_KeyEvent,
                                 g_variant_new ("(uuu)", self->view_id, keyval, modifiers));
}

void
bh_tab_scroll_to (BhTab *self, int y_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollTo,
                                 g_variant_new ("(ui)", self->view_id, y_px));
}

void
bh_tab_scroll_to_x (BhTab *self, int x_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollToX,
                                 g_variant_new ("(ui)", self->view_id, MAX (x_px, 0)));
}

void
bh_tab_set_focus (BhTab *self, gboolean focused)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_FocusChanged,
                                 g_variant_new ("(ub)", self->view_id, focused));
}

GdkTexture *
bh_tab_get_frame (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->frame;
}

guint
bh_tab_get_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->id;
}

const char *
bh_tab_get_uri (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->uri != NULL ? self->uri : "";
}

const char *
bh_tab_get_title (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  if (self->title != NULL && *self->title != '\0')
    return self->title;
  return bh_tab_get_uri (self);
}

BhTabState
bh_tab_get_state (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), BH_TAB_STATE_COMPLETE);
  return self->state;
}

const char *
bh_tab_get_status_message (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->status_message != NULL ? self->status_message : "";
}

char *
bh_tab_describe_unresponsive (BhTab *self)
{
  gint64 seconds;

  g_return_val_if_fail (BH_IS_TAB (self), NULL);

  if (self->state != BH_TAB_STATE_UNRESPONSIVE || self->unresponsive_since_us == 0 || self->site == NULL)
    return NULL;
  seconds = MAX ((gint64) 0, (g_get_monotonic_time () - self->unresponsive_since_us) / G_USEC_PER_SEC);
  return g_strdup_printf ("The renderer for %s has not responded for %" G_GINT64_FORMAT " s", self->site, seconds);
}

guint
bh_tab_get_view_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->host != NULL ? self->view_id : 0;
}

BhRendererHost *
bh_tab_get_renderer_host (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->host;
}

const GError *
bh_tab_get_load_error (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->load_error;
}

double
bh_tab_get_progress (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0.0);
  return self->progress;
}

gboolean
bh_tab_is_loading (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), FALSE);
  return self->loading;
}

guint64
bh_tab_get_committed_navigation_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->committed_navigation_id;
}

void
bh_tab_close (BhTab *self)
{
  g_autoptr (BhTab) keep = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  if (self->closed)
    return;
  keep = g_object_ref (self);
  self->closed = TRUE;
  drop_fetch (self, FALSE);
  navigation_free (g_steal_pointer (&self->pending));
  leave_renderer (self);
  bh_tab_plugins_clear (self->plugins);
  set_frame (self, NULL);
  set_loading (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

BhTabPlugins *
bh_tab_get_plugins (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->plugins;
}

/* From the renderer host (its BhRendererViewClient), checked already. */

static void
bh_tab_renderer_did_commit_navigation (gpointer owner, guint64 navigation_id, const char *url)
{
  BhTab *self = owner;
  Navigation *navigation = self->pending;
  HistoryEntry *entry;

  if (navigation == NULL || navigation->id != navigation_id)
    return;
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_NAVIGATED);

  /* The entry being left keeps where the user was (the renderer's last frame
   * of it), for Back and Forward. */
  if ((entry = current_entry (self)) != NULL)
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
      entry = current_entry (self);
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
  entry = current_entry (self);
  g_free (entry->url);
  entry->url = g_strdup (url);
  g_clear_pointer (&entry->title, g_free);
  entry->document_id = navigation_id;
  /* A POST result keeps its form data, for a reload (after the UI asked). */
  g_clear_pointer (&entry->post_body, g_bytes_unref);
  g_clear_pointer (&entry->post_content_type, g_free);
  if (navigation->post_body != NULL)
    {
      entry->post_body = g_bytes_ref (navigation->post_body);
      entry->post_content_type = g_strdup (navigation->post_content_type);
    }

  set_uri (self, url);
  set_string (self, &self->title, "", PROP_TITLE);
  set_int (self, &self->scroll_y_px, 0, PROP_SCROLL_Y);
  set_int (self, &self->scroll_x_px, 0, PROP_SCROLL_X);
  notify_history (self);
  clear_blocked_popups (self);  /* the notice was the old page's */
  bh_tab_plugins_did_commit (self->plugins, navigation_id);
  bh_history_add_visit (bh_profile_get_history (bh_process_manager_get_profile (self->processes)), url, NULL,
                        navigation->transition, g_get_real_time ());
  g_signal_emit (self, signals[SIGNAL_NAVIGATION_COMMITTED], 0, navigation_id, url);
}

static void
bh_tab_renderer_title_changed (gpointer owner, guint64 navigation_id, const char *title)
{
  BhTab *self = owner;
  HistoryEntry *entry = current_entry (self);

  if (navigation_id != self->committed_navigation_id)
    return;
  if (entry != NULL)
    {
      g_free (entry->title);
      entry->title = g_strdup (title);
      bh_history_set_title (bh_profile_get_history (bh_process_manager_get_profile (self->processes)),
                            entry->url, title);
    }
  set_string (self, &self->title, title, PROP_TITLE);
}

static void
bh_tab_renderer_load_progress (gpointer owner, guint64 navigation_id, double progress)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id || !self->loading)
    return;
  set_progress (self, PROGRESS_COMMITTED + (1.0 - PROGRESS_COMMITTED) * progress);
}

static void
bh_tab_renderer_did_finish_load (gpointer owner, guint64 navigation_id)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id)
    return;
  /* The page on screen finished while a newer navigation is being fetched:
   * the tab is still loading that one. */
  if (self->pending != NULL && self->pending->id != navigation_id)
    return;
  navigation_free (g_steal_pointer (&self->pending));
  set_progress (self, 1.0);
  set_loading (self, FALSE);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
  g_signal_emit (self, signals[SIGNAL_LOAD_FINISHED], 0);
}

static void
bh_tab_renderer_document_size (gpointer owner, guint64 navigation_id, guint width_px,
                                  guint height_px)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id)
    return;
  set_int (self, &self->document_height_px, (int) height_px, PROP_DOCUMENT_HEIGHT);
  set_int (self, &self->document_width_px, (int) width_px, PROP_DOCUMENT_WIDTH);
}

void
bh_tab_renderer_open_url (gpointer owner, const char *url, BhDisposition disposition,
                          gboolean user_activation)
{
  BhTab *self = owner;
  g_autofree char *target_site = bh_site_for_url (url);

  /* A page may not start the debug URLs (Chromium: "Blocked navigation to
   * debug URL"), nor reach local files unless it is one. */
  if (is_debug_url (url) || target_site == NULL ||
      (g_str_equal (target_site, "file://") && g_strcmp0 (self->site, "file://") != 0))
    {
      g_message ("tab %u: not opening %s, asked for by the renderer of %s", self->id, url,
                 self->site != NULL ? self->site : "(none)");
      return;
    }
  if (disposition != BH_DISPOSITION_CURRENT_TAB && !user_activation)
    {
      /* Chromium's pop-up blocker: the page hears nothing, the user gets a notice. */
      if (self->blocked_popup_url == NULL)
        self->blocked_popup_url = g_strdup (url);
      if (self->blocked_popup_count < G_MAXUINT)
        self->blocked_popup_count++;
      notify (self, PROP_BLOCKED_POPUP_COUNT);
      return;
    }
  if (disposition != BH_DISPOSITION_CURRENT_TAB)
    g_signal_emit (self, signals[SIGNAL_OPEN_URL], 0, url, (guint) disposition);
  else
    start_navigation (self, url, NAVIGATION_NEW, -1, self->site != NULL ? self->site : ABOUT_SITE);
}

guint
bh_tab_get_blocked_popup_count (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->blocked_popup_count;
}

const char *
bh_tab_get_blocked_popup_url (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->blocked_popup_url;
}

void
bh_tab_open_blocked_popup (BhTab *self)
{
  g_autofree char *url = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  url = g_steal_pointer (&self->blocked_popup_url);
  clear_blocked_popups (self);
  if (url != NULL)
    g_signal_emit (self, signals[SIGNAL_OPEN_URL], 0, url, (guint) BH_DISPOSITION_NEW_TAB);
}

void
bh_tab_dismiss_blocked_popups (BhTab *self)
{
  g_return_if_fail (BH_IS_TAB (self));
  clear_blocked_popups (self);
}

static void
bh_tab_renderer_hover_changed (gpointer owner, const char *url, guint cursor)
{
  BhTab *self = owner;
  set_string (self, &self->hovered_link, url, PROP_HOVERED_LINK);
  if (self->cursor != cursor)
    {
      self->cursor = cursor;
      notify (self, PROP_CURSOR);
    }
}

static void
bh_tab_renderer_body_flow (gpointer owner, guint64 navigation_id, gboolean wants_more)
{
  BhTab *self = owner;

  if (self->pending != NULL && self->pending->id == navigation_id && self->body_mode == BODY_STREAM)
    bh_fetch_stream_set_paused (self->fetch_stream, !wants_more);
}

static void
bh_tab_renderer_body_refused (gpointer owner, guint64 navigation_id)
{
  BhTab *self = owner;

  /* The navigation stays committed: the renderer says when it is done. */
  if (self->pending != NULL && self->pending->id == navigation_id && self->body_mode == BODY_STREAM)
    drop_fetch (self, FALSE);
}

static void
bh_tab_renderer_frame_ready (gpointer owner, GdkTexture *frame, int scroll_y_px,
                                guint document_height_px)
{
  BhTab *self = owner;
  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->scroll_y_px, scroll_y_px, PROP_SCROLL_Y);
  set_int (self, &self->document_height_px, (int) document_height_px, PROP_DOCUMENT_HEIGHT);
  g_object_thaw_notify (G_OBJECT (self));
  set_frame (self, frame);
}

static BhTabState
state_for_termination (BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
      return BH_TAB_STATE_KILLED;
    case BH_TERMINATION_STATUS_OOM:
      return BH_TAB_STATE_OOM;
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return BH_TAB_STATE_BAD_MESSAGE;
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
      return BH_TAB_STATE_LAUNCH_FAILED;
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_NORMAL: /* a renderer does not leave tabs it serves */
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      return BH_TAB_STATE_CRASHED;
    }
}

static void
bh_tab_renderer_gone (gpointer owner, BhRendererHost *host, BhTerminationStatus status,
                         const char *message)
{
  BhTab *self = owner;
  g_autoptr (BhTab) keep = g_object_ref (self);

  if (host != self->host)
    return;
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_RENDERER_GONE);
  /* The host has already forgotten the view. */
  g_clear_object (&self->host);
  self->view_id = 0;
  bh_tab_interaction_set_view (self->interaction, NULL, 0);
  /* A navigation still being fetched goes on, to a fresh renderer; one that
   * was committed to the dead one is lost with it. */
  if (self->pending != NULL && self->pending->id == self->committed_navigation_id)
    {
      drop_fetch (self, FALSE);
      navigation_free (g_steal_pointer (&self->pending));
    }

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_RENDERER_PID);
  {
    guint crashes = bh_process_manager_count_recent_crashes (self->processes, bh_renderer_host_get_site (host),
                                                             BH_REPEATED_CRASH_WINDOW_S);

    if (crashes != self->recent_crash_count)
      {
        self->recent_crash_count = crashes;
        notify (self, PROP_RECENT_CRASH_COUNT);
      }
  }
  set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
  set_string (self, &self->hovered_link, "", PROP_HOVERED_LINK);
  if (self->pending == NULL)
    {
      set_loading (self, FALSE);
      set_progress (self, 0.0);
    }
  set_state (self, state_for_termination (status));
  g_object_thaw_notify (G_OBJECT (self));
  /* The document, its plugin areas with it, is gone. */
  bh_tab_plugins_clear (self->plugins);
  set_frame (self, NULL);
}

static void
bh_tab_renderer_unresponsive (gpointer owner, BhRendererHost *host, gboolean unresponsive,
                                 const char *message)
{
  BhTab *self = owner;
  if (host != self->host || self->closed)
    return;
  if (unresponsive)
    {
      if (self->state != BH_TAB_STATE_LOADING && self->state != BH_TAB_STATE_COMPLETE)
        return;
      g_object_freeze_notify (G_OBJECT (self));
      self->unresponsive_since_us =
        g_get_monotonic_time () -
        (gint64) bh_hang_monitor_get_timeout_ms (bh_renderer_host_get_hang_monitor (host)) * 1000;
      set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
      set_state (self, BH_TAB_STATE_UNRESPONSIVE);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }
  if (self->state != BH_TAB_STATE_UNRESPONSIVE)
    return;
  self->unresponsive_since_us = 0;
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->status_message, "", PROP_STATUS_MESSAGE);
  set_state (self, self->loading ? BH_TAB_STATE_LOADING : BH_TAB_STATE_COMPLETE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
view_plugin_box_changed (gpointer owner, guint box_id, const char *url, const char *declared_type, int x, int y,
                         int width, int height)
{
  BhTab *self = owner;

  bh_tab_plugins_box_changed (self->plugins, box_id, url, declared_type, x, y, width, height);
}

static void
view_plugin_box_removed (gpointer owner, guint box_id)
{
  BhTab *self = owner;

  bh_tab_plugins_box_removed (self->plugins, box_id);
}

static gboolean
view_is_visible (gpointer owner)
{
  return bh_tab_is_visible (owner);
}

static void
view_clipboard_text (gpointer owner, const char *text, gboolean primary)
{
  bh_tab_interaction_clipboard_text (BH_TAB (owner)->interaction, text, primary);
}

static void
view_find_reply (gpointer owner, guint matches, guint active)
{
  bh_tab_interaction_find_reply (BH_TAB (owner)->interaction, matches, active);
}

/* A form's submission: GET is a navigation to its URL, as a link's; POST
 * carries its body to the fetch (the browser builds the request). */
static void
view_submit_form (gpointer owner, const char *url, const char *method, const char *content_type, GBytes *body)
{
  BhTab *self = owner;

  if (g_str_equal (method, "GET"))
    {
      bh_tab_renderer_open_url (owner, url, BH_DISPOSITION_CURRENT_TAB, FALSE);
      return;
    }
  start_post_navigation (self, url, content_type, body);
}

static void
view_scroll_x_changed (gpointer owner, int scroll_x_px)
{
  BhTab *self = owner;

  set_int (self, &self->scroll_x_px, scroll_x_px, PROP_SCROLL_X);
}

static const BhRendererViewClient view_client = {
  .clipboard_text = view_clipboard_text,
  .find_reply = view_find_reply,
  .scroll_x_changed = view_scroll_x_changed,
  .submit_form = view_submit_form,
  .did_commit_navigation = bh_tab_renderer_did_commit_navigation,
  .title_changed = bh_tab_renderer_title_changed,
  .load_progress = bh_tab_renderer_load_progress,
  .did_finish_load = bh_tab_renderer_did_finish_load,
  .document_size = bh_tab_renderer_document_size,
  .open_url = bh_tab_renderer_open_url,
  .hover_changed = bh_tab_renderer_hover_changed,
  .frame_ready = bh_tab_renderer_frame_ready,
  .plugin_box_changed = view_plugin_box_changed,
  .plugin_box_removed = view_plugin_box_removed,
  .gone = bh_tab_renderer_gone,
  .unresponsive = bh_tab_renderer_unresponsive,
  .is_visible = view_is_visible,
  .body_flow = bh_tab_renderer_body_flow,
  .body_refused = bh_tab_renderer_body_refused,
  .console_message = bh_tab_script_console_message,
  .script_result = bh_tab_script_result,
  .run_dialog = bh_tab_script_run_dialog,
  .script_navigate = bh_tab_script_navigate,
  .get_cookie = bh_tab_script_get_cookie,
  .set_cookie = bh_tab_script_set_cookie,
};

/* Visibility and the hang dialog (bh-tab.h). */

void
bh_tab_set_visible (BhTab *self, gboolean visible)
{
  g_return_if_fail (BH_IS_TAB (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  notify (self, PROP_VISIBLE);
  if (self->host != NULL)
    bh_renderer_host_view_visibility_changed (self->host);
}

gboolean
bh_tab_is_visible (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), FALSE);
  return self->visible;
}

void
bh_tab_hang_wait (BhTab *self)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_hang_monitor_wait (bh_renderer_host_get_hang_monitor (self->host));
}

void
bh_tab_hang_kill (BhTab *self)
{
  g_autofree char *message = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  if (self->host == NULL)
    return;
  message = g_strdup_printf ("The renderer for %s was killed (SIGKILL) after it stopped "
                             "responding", bh_renderer_host_get_site (self->host));
  bh_renderer_host_kill (self->host, BH_TERMINATION_STATUS_KILLED, message);
}

guint
bh_tab_get_recent_crash_count (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->recent_crash_count;
}

/* GObject. */

static void
bh_tab_dispose (GObject *object)
{
  BhTab *self = BH_TAB (object);

  drop_fetch (self, FALSE);
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_NAVIGATED);
  if (self->host != NULL)
    {
      bh_renderer_host_destroy_view (self->host, self->view_id);
      g_clear_object (&self->host);
    }
  g_clear_pointer (&self->plugins, bh_tab_plugins_free);
  g_clear_object (&self->interaction);
  g_clear_object (&self->frame);
  g_clear_object (&self->processes);
  G_OBJECT_CLASS (bh_tab_parent_class)->dispose (object);
}

static void
bh_tab_finalize (GObject *object)
{
  BhTab *self = BH_TAB (object);

  navigation_free (self->pending);
  g_ptr_array_unref (self->history);
  g_clear_error (&self->load_error);
  g_free (self->uri);
  g_free (self->title);
  g_free (self->hovered_link);
  g_free (self->status_message);
  g_free (self->site);
  g_free (self->blocked_popup_url);
  G_OBJECT_CLASS (bh_tab_parent_class)->finalize (object);
}

static void
bh_tab_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTab *self = BH_TAB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_URI:
      g_value_set_string (value, bh_tab_get_uri (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, bh_tab_get_title (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_HOVERED_LINK:
      g_value_set_string (value, self->hovered_link != NULL ? self->hovered_link : "");
      break;
    case PROP_CURSOR:
      g_value_set_uint (value, self->cursor);
      break;
    case PROP_SITE:
      g_value_set_string (value, self->site != NULL ? self->site : "");
      break;
    case PROP_RENDERER_PID:
      g_value_set_int (value, self->host != NULL ? bh_renderer_host_get_pid (self->host) : 0);
      break;
    case PROP_DOCUMENT_HEIGHT:
      g_value_set_int (value, self->document_height_px);
      break;
    case PROP_SCROLL_Y:
      g_value_set_int (value, self->scroll_y_px);
      break;
    case PROP_DOCUMENT_WIDTH:
      g_value_set_int (value, self->document_width_px);
      break;
    case PROP_SCROLL_X:
      g_value_set_int (value, self->scroll_x_px);
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, self->history_index > 0);
      break;
    case PROP_CAN_GO_FORWARD:
      g_value_set_boolean (value, self->history_index >= 0 &&
                                    (guint) self->history_index + 1 < self->history->len);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, bh_tab_get_status_message (self));
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;
    case PROP_RECENT_CRASH_COUNT:
      g_value_set_uint (value, self->recent_crash_count);
      break;
    case PROP_BLOCKED_POPUP_COUNT:
      g_value_set_uint (value, self->blocked_popup_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_class_init (BhTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_tab_dispose;
  object_class->finalize = bh_tab_finalize;
  object_class->get_property = bh_tab_get_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, "", flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, BH_TYPE_TAB_STATE,
                                              BH_TAB_STATE_COMPLETE, flags);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_HOVERED_LINK] = g_param_spec_string ("hovered-link", NULL, NULL, "", flags);
  properties[PROP_CURSOR] = g_param_spec_uint ("cursor", NULL, NULL, 0, 2, 0, flags);
  properties[PROP_SITE] = g_param_spec_string ("site", NULL, NULL, "", flags);
  properties[PROP_RENDERER_PID] = g_param_spec_int ("renderer-pid", NULL, NULL, 0, G_MAXINT, 0,
                                                    flags);
  properties[PROP_DOCUMENT_HEIGHT] = g_param_spec_int ("document-height", NULL, NULL, 0, G_MAXINT,
                                                       0, flags);
  properties[PROP_SCROLL_Y] = g_param_spec_int ("scroll-y", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                flags);
  properties[PROP_DOCUMENT_WIDTH] = g_param_spec_int ("document-width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_SCROLL_X] = g_param_spec_int ("scroll-x", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_GO_FORWARD] = g_param_spec_boolean ("can-go-forward", NULL, NULL, FALSE,
                                                          flags);
  properties[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, "", flags);
  properties[PROP_VISIBLE] = g_param_spec_boolean ("visible", NULL, NULL, TRUE, flags);
  properties[PROP_RECENT_CRASH_COUNT] = g_param_spec_uint ("recent-crash-count", NULL, NULL, 0,
                                                           G_MAXUINT, 0, flags);
  properties[PROP_BLOCKED_POPUP_COUNT] = g_param_spec_uint ("blocked-popup-count", NULL, NULL, 0,
                                                            G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME_CHANGED] = g_signal_new ("frame-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  signals[SIGNAL_OPEN_URL] = g_signal_new ("open-url", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_LOAD_FINISHED] = g_signal_new ("load-finished", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  signals[SIGNAL_CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  signals[SIGNAL_NAVIGATION_STARTED] =
    g_signal_new ("navigation-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  signals[SIGNAL_NAVIGATION_COMMITTED] =
    g_signal_new ("navigation-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DOWNLOAD_STARTED] =
    g_signal_new ("download-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_DOWNLOAD);
  signals[SIGNAL_SAME_DOCUMENT_NAVIGATION] =
    g_signal_new ("same-document-navigation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  bh_tab_script_class_init (object_class);
}

/* For bh-tab-script.c (bh-tab-script-private.h). */

BhCookieJar *
bh_tab_get_cookie_jar (BhTab *self)
{
  BhProfile *profile = self->processes != NULL ? bh_process_manager_get_profile (self->processes) : NULL;

  return profile != NULL ? bh_profile_get_cookie_jar (profile) : NULL;
}

BhRendererHost *
bh_tab_get_renderer_view (BhTab *self, guint *out_view_id)
{
  *out_view_id = self->view_id;
  return self->host;
}

gboolean
bh_tab_set_same_document_url (BhTab *self, const char *url, gboolean push)
{
  HistoryEntry *entry = current_entry (self);
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
  return TRUE;
}

BhTabInteraction *
bh_tab_get_interaction (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->interaction;
}

static void
bh_tab_init (BhTab *self)
{
  self->state = BH_TAB_STATE_COMPLETE;
  self->visible = TRUE;
  self->scale = 1.0;
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) history_entry_free);
  self->history_index = -1;
}
