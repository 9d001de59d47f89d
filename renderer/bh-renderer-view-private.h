/* bh-renderer-view-private.h: a renderer's views, shared by main.c (the
 * conversation with the browser: views, buffers, documents, input) and
 * bh-renderer-script.c (the script realm's client).
 *
 * Not an API: the two halves of one process's state, split along their seam.
 */
#pragma once

#include <glib.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"
#include "bh-document.h"
#include "bh-interaction.h"
#include "bh-script.h"
#include "bh-shm.h"

G_BEGIN_DECLS

typedef struct {
  guint32 id;     /* unique in this process */
  BhBitmap *bitmap;
  gboolean held;  /* the browser has it (sent in FrameReady, not yet released) */
  /* What the bitmap shows, so that a scroll can reuse it: the view's content
   * generation and the scroll position it was painted at; 0 = nothing. */
  guint generation;
  int painted_scroll_y;
  int painted_scroll_x;
} Buffer;

typedef struct {
  guint32 id;
  int width_px, height_px;
  double scale;         /* device px per CSS px: the device scale times the zoom */
  double device_scale;  /* the browser's, from CreateView and Resize */
  double zoom;          /* the page zoom (SetZoom), 1 = 100 % */
  Buffer buffers[2];

  BhDocument *doc;
  guint64 navigation_id;
  char *url;
  char *content_type;
  char *charset;
  /* The committed navigation's body, as it streams in. */
  BhDataPipe *body_pipe;      /* NULL once it ended */
  GByteArray *body;           /* what arrived */
  gboolean body_complete;     /* the pipe ended (done, or failed: what came is the page) */
  gsize parsed_bytes;         /* the prefix the document was parsed from */
  gboolean parsed_all;        /* the last parse had the whole body */
  gboolean favicon_sent;      /* UpdateFaviconURL went for this document */
  guint parse_timer;
  gint64 last_parse_us;
  gint64 last_parse_cost_us;
  gint64 parse_wanted_us;     /* when the pending parse was first due */
  gint64 last_bytes_us;       /* when bytes last arrived */
  guint requested_resources;  /* the document's resources asked for so far */
  char *sent_title;
  guint resources_pending; /* the document's subresources without an answer, queued or asked */
  guint requests_in_flight; /* ResourceRequests without an answer, of any navigation */
  GQueue queued_requests;   /* Request, not yet asked: the budget is spent */
  gboolean finished;       /* DidFinishLoad sent */
  int scroll_y;
  int scroll_x;           /* content wider than the viewport scrolls sideways */
  int sent_scroll_x;      /* the last HorizontalScrollChanged */
  gboolean needs_paint;
  char *hovered_link;
  GArray *plugin_boxes; /* int x, y, w, h per box last reported, document px */
  guint layout_idle;    /* a coalesced relayout is pending */
  guint style_block_timer;      /* the first paint waits for style sheets */
  gboolean style_block_expired; /* ... no longer: STYLESHEET_BLOCK_MS passed */
  guint generation;     /* bumped by every layout: what is painted may differ */
  Buffer *last_painted; /* the buffer of the latest FrameReady */
  gboolean has_style_damage;           /* a :hover or :focus restyle to paint... */
  cairo_rectangle_int_t style_damage;  /* ...here, device px of the viewport */
  gboolean has_pointer;                /* a mouse event came: the pointer is at... */
  double pointer_x, pointer_y;         /* ...device px of the viewport */
  BhScriptRealm *realm; /* the document's scripts, once it is parsed; NULL without script */
  guint window_events_idle;     /* scroll and resize events for the page are due */
  gboolean frame_wanted;        /* requestAnimationFrame() callbacks wait for a frame */
  guint frame_timer;            /* ... which is due */
  gint64 last_frame_us;         /* when the last one ran */
  gboolean scroll_event_wanted;
  gboolean resize_event_wanted;
  BhInteraction *interaction; /* selection, find, fragments (bh-interaction.h) */
  GStrv preload_scripts; /* automation's (SetPreloadScripts), for each new realm; NULL for none */
} View;

/* A subresource asked of the browser, for the navigation that asked. */
typedef struct {
  guint32 view_id;
  guint64 navigation_id;
  char *url;
  guint script_id;  /* a script's source for the realm, 0 for the document's subresources */
} Request;

typedef struct {
  BhChannel *channel;
  GMainLoop *loop;
  GHashTable *views;       /* id -> View */
  GHashTable *requests;    /* request id -> Request */
  guint32 next_buffer_id;
  guint32 next_request_id;
  guint browser_pid; /* from ProcessIdentity, for the data pipes' trace lines */
  gboolean javascript; /* the engine started; not --disable-javascript */
} Renderer;

/* The one renderer of this process: defined in main.c. */
extern Renderer R;

/* main.c: the view with id @id, or %NULL (a view the browser destroyed). */
View      *bh_renderer_lookup_view                  (guint32 id);
/* main.c: the largest scroll_y of @view's document, in CSS px. */
int        bh_renderer_view_max_scroll              (View *view);
/* main.c: paints into a free buffer and sends FrameReady, or paints when one comes back. */
void       bh_renderer_view_paint                   (View *view);
/* main.c: asks the browser for the queued subresources the budget allows. */
void       bh_renderer_view_send_queued_requests    (View *view);
/* main.c: one coalesced relayout once the channel is idle. */
void       bh_renderer_view_schedule_layout         (View *view);
/* main.c: TitleChanged when the document's title differs from the last sent. */
void       bh_renderer_view_send_title              (View *view);
/* main.c: requestAnimationFrame's callbacks at the next acknowledged frame. */
void       bh_renderer_view_schedule_animation_frame (View *view);
/* main.c: the page's scroll (or, @resize, resize) event after the frame. */
void       bh_renderer_view_schedule_window_event   (View *view, gboolean resize);

/* bh-renderer-script.c: the document's realm, once it is parsed (nothing
 * without JavaScript). */
void       bh_renderer_script_start                 (View *view);
/* bh-renderer-script.c: whether the realm lets the load finish (no script pending). */
gboolean   bh_renderer_script_ready_to_finish       (View *view);
/* bh-renderer-script.c: mouse and key input for the page's handlers; %TRUE when
 * the page prevented the default. @x, @doc_y in document px. */
gboolean   bh_renderer_script_mouse_event           (View *view, guint kind, double x, double doc_y,
                                                     guint button, guint modifiers);
gboolean   bh_renderer_script_key_event             (View *view, gboolean down, guint keyval, guint modifiers);
/* bh-renderer-script.c: automation's EvaluateScript, answered with ScriptResult. */
void       bh_renderer_script_evaluate              (View *view, const BhMessage *m);
/* bh-renderer-script.c: SpiderMonkey, before the sandbox, its heap tied to RLIMIT_AS. */
void       bh_renderer_script_start_engine          (void);
/* bh-renderer-script.c: a form a press or key submits: its submit event first. */
gboolean   bh_renderer_script_submit_filter_cb      (gpointer data, GumboNode *form);
/* bh-renderer-script.c: the realm of @view_id's navigation @navigation_id, for fetch answers. */
BhScriptRealm *bh_renderer_script_fetch_realm_lookup (guint32 view_id, guint64 navigation_id);

G_END_DECLS
