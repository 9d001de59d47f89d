/* bh-tab-object-private.h: the BhTab instance and what the files that
 * implement it share: bh-tab.c (the object, its renderer's reports, the
 * pop-up blocker), bh-tab-navigation.c (fetch and commit) and
 * bh-tab-history.c (the session history). Nothing else includes it.
 */
#pragma once

#include "bh-fetcher.h"
#include "bh-history.h"
#include "bh-renderer-host-private.h"
#include "bh-tab-interaction-private.h"
#include "bh-tab-private.h"

G_BEGIN_DECLS

/* Browser-side share of the progress bar: the fetch, then the renderer's load. */
#define PROGRESS_FETCH_STARTED 0.1
#define PROGRESS_COMMITTED 0.3
/* The error pages' and debug URLs' renderer when the tab has none. */
#define ABOUT_SITE "about:"

typedef struct {
  char *url;
  char *title;
  guint64 document_id; /* entries of one document (fragments) share it */
  int scroll_y_px;     /* where the user left it, restored by a history step */
  GBytes *post_body;   /* the form POST that made it, sent again on reload; NULL for GET */
  char *post_content_type;
} HistoryEntry;

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
  gboolean view_source;        /* url is view-source:URL: URL's response is shown as text */
  gboolean bypass_cache;       /* Ctrl+Shift+R: the document and its subresources skip the HTTP cache */
} Navigation;

/* Where the pending navigation's body goes while it arrives. */
typedef enum {
  BODY_NONE,    /* no head yet (or nothing streams) */
  BODY_STREAM,  /* committed at the head: into the renderer's data pipe */
  BODY_HOLD,    /* a full-tab plugin's data: gathered here, the commit waits for all of it */
} BodyMode;

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
  double zoom;           /* the page zoom, 1 = 100 % (bh_tab_set_zoom()) */
  int scroll_x_px;
  GdkTexture *frame;
  GdkTexture *favicon;  /* the committed document's, or its page's from the profile; NULL for none */
  GError *load_error;

  BhRendererHost *host; /* a reference; NULL when no renderer serves the tab */
  gboolean bypass_cache_once; /* the next navigation skips the HTTP cache (Ctrl+Shift+R) */
  gboolean bypass_cache;      /* every fetch of the tab skips it (automation's setCacheBehavior) */
  GStrv extra_headers;        /* (nullable) name, value...: every http fetch of the tab sends them */
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
  PROP_ZOOM,
  PROP_FAVICON,
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
  SIGNAL_HISTORY_UPDATED,
  N_SIGNALS
};

/* bh-tab.c: the properties' and signals' ids, and what the renderer host
 * tells a tab (its BhRendererViewClient). */
extern GParamSpec *bh_tab_properties[N_PROPS];
extern guint bh_tab_signals[N_SIGNALS];
extern const BhRendererViewClient bh_tab_view_client;

/* Setters that notify when the value changes. */

static inline void
notify (BhTab *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), bh_tab_properties[prop]);
}

static inline void
set_string (BhTab *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

/* The title falls back to the URL: it changes with the URL while empty. */
static inline void
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

static inline void
set_state (BhTab *self, BhTabState state)
{
  if (self->state == state)
    return;
  self->state = state;
  notify (self, PROP_STATE);
}

static inline void
set_loading (BhTab *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  notify (self, PROP_LOADING);
}

static inline void
set_progress (BhTab *self, double progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  notify (self, PROP_PROGRESS);
}

static inline void
set_int (BhTab *self, int *field, int value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static inline void
set_frame (BhTab *self, GdkTexture *frame)
{
  if (self->frame == frame)
    return;
  /* Dropping the old frame may release its buffer to the renderer. */
  g_set_object (&self->frame, frame);
  g_signal_emit (self, bh_tab_signals[SIGNAL_FRAME_CHANGED], 0);
}

/* bh-tab-navigation.c */

/* Frees @navigation; NULL is fine. */
void bh_tab_navigation_free (Navigation *navigation);
/* about:crash, about:kill, about:hang: carried out by the tab's renderer. */
gboolean bh_tab_is_debug_url (const char *url);
/* The tab leaves its renderer: the view goes, the frame stays on screen. */
void bh_tab_leave_renderer (BhTab *self);
/* Lets go of the pending navigation's fetch; a streaming body ends there,
 * incomplete, when @end_body. */
void bh_tab_drop_fetch (BhTab *self, gboolean end_body);
/* Starts a navigation to @url (or a same-document one, when it is); a form's
 * POST when @post_body is not NULL. @initiator_site: NULL for the browser. */
void bh_tab_start_navigation_full (BhTab *self, const char *url, NavigationKind kind, int history_index,
                                   const char *initiator_site, const char *post_content_type, GBytes *post_body);
void bh_tab_start_navigation (BhTab *self, const char *url, NavigationKind kind, int history_index,
                              const char *initiator_site);
/* A form's POST from the tab's page: its site is the initiator. */
void bh_tab_start_post_navigation (BhTab *self, const char *url, const char *content_type, GBytes *body);

/* bh-tab-history.c */

void bh_tab_history_entry_free (HistoryEntry *entry);
/* The entry shown, or NULL while the history is empty. */
HistoryEntry *bh_tab_current_entry (BhTab *self);
/* can-go-back and can-go-forward may have changed. */
void bh_tab_notify_history (BhTab *self);
/* A fragment link, or Back/Forward within the document on screen: no fetch.
 * Returns FALSE when @url needs a navigation of its own. */
gboolean bh_tab_navigate_same_document (BhTab *self, const char *url, NavigationKind kind, int history_index);
/* @navigation committed @url: the history gains, moves to or refreshes the
 * entry, which takes @url, the navigation's id and its form data. */
void bh_tab_history_commit (BhTab *self, const Navigation *navigation, const char *url);

G_END_DECLS
