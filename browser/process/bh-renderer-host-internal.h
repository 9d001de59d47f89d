/* bh-renderer-host-internal.h: a renderer host's state, shared only by the
 * files that make up BhRendererHost: bh-renderer-host.c (life, views,
 * navigation and its body, the message switch), bh-renderer-host-frames.c
 * (shared buffers and frames), bh-renderer-host-input.c (input, user
 * activation and what a page does with them), bh-renderer-host-resources.c
 * (subresources, form submissions), bh-renderer-host-plugins.c (plugin
 * boxes) and bh-renderer-host-fetch.c (fetch() and XMLHttpRequest). Nothing outside them includes it: what others use of a host is in
 * bh-renderer-host-private.h.
 *
 * Every handler here gets a message already past the channel's type checks
 * and checks the rest itself; on bad input it calls bad_message(), which
 * kills the renderer.
 */
#pragma once

#include "bh-body-stream.h"
#include "bh-channel.h"
#include "bh-child-host.h"
#include "bh-renderer-host-private.h"

G_BEGIN_DECLS

/* A view's size in device px (CSS px times the device scale). */
typedef struct {
  guint width_px;
  guint height_px;
  gboolean at_most; /* several old sizes merged: any up to this one */
} ViewSize;

typedef struct {
  guint id;
  BhRendererHost *host; /* not a reference: the host owns the view */
  const BhRendererViewClient *client;
  GObject *owner; /* not a reference: the tab, which destroys its view before it goes */
  GHashTable *buffers; /* buffer id -> SharedBuffer (a reference) */
  guint64 last_navigation_id;      /* the highest sent to this view */
  guint64 committing_id;           /* the last CommitNavigation sent */
  char *committing_url;
  gboolean commit_acked;           /* DidCommitNavigation came for committing_id */
  GCancellable *cancellable;       /* the view's subresource fetches */
  GHashTable *requests;            /* request ids in flight */
  BhFetchCacheMode cache_mode;     /* for its subresources: the committed document's */
  /* The sizes the renderer may share buffers at: every size sent in CreateView or
   * Resize that it may not have seen yet, oldest first, the last being the view's
   * size now. */
  GArray *sizes; /* ViewSize */
  /* User activation (HTML's transient activation): a mouse press or key forwarded to
   * the view gives one, which one new tab consumes. */
  gboolean has_activation;
  guint32 activation_serial;  /* the input that gave it, or a release that followed */
  gint64 activation_acked_us; /* when the renderer acknowledged that input; 0 before */
  BhBodyStream *body;              /* committing_id's body, on its way through a data pipe */
  guint32 last_find_request_id;    /* the latest Find sent */
  GHashTable *fetches;             /* FetchRequest ids in flight */
  /* The favicon of committing_id's document (bh-renderer-host-favicon.c): the
   * DecodeFavicon sent and not answered (0: none), and the icon's URL. */
  guint32 favicon_request;
  char *favicon_url;
  GStrv extra_headers;             /* (nullable) its subresources' extra request headers (automation) */
} View;

typedef struct {
  guint view_id;
  guint32 serial;
  gint64 sent_us;
} PendingInput;

struct _BhRendererHost {
  GObject parent_instance;

  char *site;
  char *renderer_path;
  BhHostRules *host_rules; /* a reference, or NULL */
  BhProfile *profile;      /* a reference, or NULL */
  BhChildHost host;  /* the process, its channel and its end */
  gboolean hung_up;  /* the channel ended */

  GHashTable *views;         /* view id -> View */
  guint32 last_buffer_id;    /* ids only grow: a reused one is a bad message */
  guint next_view_id;
  GQueue pending_input;      /* PendingInput, oldest first */
  guint32 max_input_serial;
  BhHangMonitor *hang_monitor;
  /* The renderer waits on a RunDialog (its serial; 0 when none) for this view. */
  guint32 dialog_serial;
  guint dialog_view_id;
  guint32 favicon_serial;    /* the last DecodeFavicon's request id */
};

#define bad_message(self, ...) bh_child_host_report_bad_message (&(self)->host, __VA_ARGS__)

/* The view @view_id of @self, or NULL (bh-renderer-host.c). */
View *bh_renderer_host_lookup_view (BhRendererHost *self, guint view_id);

/* The view a renderer's @message names, or NULL: a view destroyed a moment ago
 * is dropped quietly, an id never given out is a bad message (bh-renderer-host.c). */
View *bh_renderer_host_checked_view (BhRendererHost *self, const BhMessage *message, guint view_id);

/* bh-renderer-host-favicon.c */

void bh_renderer_host_handle_update_favicon_url (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_favicon_decoded (BhRendererHost *self, const BhMessage *message);

/* bh-renderer-host-frames.c */

/* A new table of a view's shared buffers: buffer id -> its buffer, which the
 * table references. */
GHashTable *bh_renderer_host_new_buffer_table (void);
/* A CreateView or Resize of @width_px x @height_px device px was sent to the view. */
void bh_renderer_host_view_size_sent (View *view, guint width_px, guint height_px);
void bh_renderer_host_handle_buffer_created (BhRendererHost *self, BhMessage *message);
void bh_renderer_host_handle_buffer_destroyed (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_frame_ready (BhRendererHost *self, const BhMessage *message);

/* bh-renderer-host-input.c */

void bh_renderer_host_handle_open_url (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_hover_changed (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_input_event_ack (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_selection_changed (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_clipboard_write (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_find_reply (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_horizontal_scroll_changed (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_show_popup_menu (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_show_context_menu (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_tooltip_changed (BhRendererHost *self, const BhMessage *message);

/* bh-renderer-host-resources.c */

void bh_renderer_host_handle_resource_request (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_submit_form (BhRendererHost *self, const BhMessage *message);

/* bh-renderer-host-plugins.c */

void bh_renderer_host_handle_plugin_box_changed (BhRendererHost *self, const BhMessage *message);
void bh_renderer_host_handle_plugin_box_removed (BhRendererHost *self, const BhMessage *message);

/* bh-renderer-host-fetch.c */

void bh_renderer_host_handle_fetch_request (BhRendererHost *self, const BhMessage *message);
/* Answers @request (a StorageLoad) with @contents (`a(ss)`, NULL for an empty area). */
void bh_renderer_host_reply_storage (BhRendererHost *self, const BhMessage *request, GVariant *contents);

G_END_DECLS
