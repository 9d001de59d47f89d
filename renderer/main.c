/* renderer: the untrusted process that turns documents into pixels.
 *
 *   renderer --type=renderer --site=SITE --ipc-fd=N [--ipc-debug[=FILTER]] [--no-sandbox]
 *
 * Everything it shows arrives over its channel from the browser: documents
 * through the data pipe each CommitNavigation carries, parsed and painted as
 * they arrive; images and stylesheets in ResourceResponse. Every frame
 * leaves as a shared-memory bitmap named in FrameReady. It never opens a
 * network socket or a content file, which is what lets the sandbox (#7) shut
 * both away after start-up.
 *
 * One renderer serves every tab of its site; each tab is a view (view id
 * chosen by the browser, like Chromium's routing id).
 *
 * renderer/ is this conversation; the document engine it drives is
 * renderer/engine/ (bh-document.h), which knows no IPC. This file may use
 * the engine and common/.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-child.h"
#include "bh-data-pipe.h"
#include "bh-document.h"
#include "bh-interaction.h"
#include "bh-renderer-fetch.h"
#include "bh-renderer-storage.h"
#include "bh-renderer-print.h"
#include "bh-renderer-query.h"
#include "bh-sandbox.h"
#include "bh-script.h"
#include "bh-shm.h"

#include <sys/resource.h>

/* X keysyms, as GDK sends them (gdk/gdkkeysyms.h); the renderer does not link GTK. */
#define KEY_space 0x020
#define KEY_Home 0xff50
#define KEY_Left 0xff51
#define KEY_Up 0xff52
#define KEY_Right 0xff53
#define KEY_Down 0xff54
#define KEY_Page_Up 0xff55
#define KEY_Page_Down 0xff56
#define KEY_End 0xff57
#define MOD_SHIFT (1u << 0)    /* GDK_SHIFT_MASK */
#define MOD_CONTROL (1u << 2)  /* GDK_CONTROL_MASK */

#define LINE_SCROLL_PX 40

/* The longest a page waits for its style sheets before it is painted without
 * them. Browsers hold the first paint for render-blocking style sheets; a cap
 * keeps a slow server from leaving the tab blank. */
#define STYLESHEET_BLOCK_MS 1000

/* A body that streams in is parsed again at "sensible points" (gumbo has no
 * incremental API): the first time FIRST_PARSE_MS after its first bytes, so
 * that a page that arrives at once is parsed once, then at most every
 * REPARSE_MS, or twice as long as the last parse took, so that parsing never
 * takes more than a third of the time; and once more at the end. Each parse
 * stops after the last complete tag that has arrived. */
#define FIRST_PARSE_MS 50
#define REPARSE_MS 200
/* While bytes keep coming (none of the last FIRST_PARSE_MS went without), the
 * parse waits for the network to pause, up to this long: a page that arrives
 * at loopback speed is parsed once, at its end, not once per piece. */
#define MAX_PARSE_DELAY_MS 3000
/* More of a body than this is read and dropped: the engine parses 8 MiB. */
#define MAX_BODY_BYTES (64u * 1024u * 1024u)

#include "bh-renderer-view-private.h"

Renderer R;

static void
request_free (Request *r)
{
  g_free (r->url);
  g_free (r);
}


/* ---- buffers and painting --------------------------------------------- */

static void
buffer_clear (View *view, Buffer *b)
{
  if (b->bitmap == NULL)
    return;
  bh_channel_send (R.channel, BH_MSG_BufferDestroyed, g_variant_new ("(uu)", view->id, b->id), NULL, 0);
  g_clear_pointer (&b->bitmap, bh_bitmap_free);
  b->held = FALSE;
  b->generation = 0;
  if (view->last_painted == b)
    view->last_painted = NULL;
}

/* New bitmaps at the view's size, shared with the browser once. */
static gboolean
allocate_buffers (View *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    {
      Buffer *b = &view->buffers[i];
      g_autoptr (GError) error = NULL;

      buffer_clear (view, b);
      b->bitmap = bh_bitmap_new ((guint) view->width_px, (guint) view->height_px, &error);
      if (b->bitmap == NULL)
        {
          g_printerr ("renderer[%d]: cannot allocate a %dx%d frame: %s\n", getpid (), view->width_px,
                      view->height_px, error->message);
          return FALSE;
        }
      b->id = ++R.next_buffer_id;
      bh_channel_send (R.channel, BH_MSG_BufferCreated,
                       g_variant_new ("(uuuuut)", view->id, b->id, b->bitmap->width, b->bitmap->height,
                                      b->bitmap->stride_bytes, (guint64) b->bitmap->size_bytes),
                       &b->bitmap->fd, 1);
    }
  return TRUE;
}

int
bh_renderer_view_max_scroll (View *view)
{
  int doc_h = view->doc ? bh_document_get_height_px (view->doc) : 0;

  return MAX (0, doc_h - (int) (view->height_px / view->scale));
}

static int
max_scroll_x (View *view)
{
  int doc_w = view->doc ? bh_document_get_width_px (view->doc) : 0;

  return MAX (0, doc_w - (int) (view->width_px / view->scale));
}

static void maybe_finish (View *view);

/* When only the scroll position changed since the latest frame, copies what
 * stays on screen from that frame into @b (the renderer may read a buffer the
 * browser holds: the browser only reads it too) and returns the strip that
 * scrolled into view, in device px; otherwise returns the whole viewport.
 * This is the "only what changed is repainted" of scrolling. */
static cairo_rectangle_int_t
reuse_scrolled_frame (View *view, Buffer *b)
{
  cairo_rectangle_int_t all = { 0, 0, view->width_px, view->height_px };
  Buffer *prev = view->last_painted;
  double dy_exact;
  int dy, rows;
  guint stride;

  if (prev == NULL || prev == b || prev->bitmap == NULL || prev->generation != view->generation ||
      (view->doc != NULL && bh_document_has_viewport_boxes (view->doc) &&
       prev->painted_scroll_y != view->scroll_y) ||
      prev->painted_scroll_x != view->scroll_x ||
      prev->bitmap->width != b->bitmap->width || prev->bitmap->height != b->bitmap->height)
    return all;
  dy_exact = (view->scroll_y - prev->painted_scroll_y) * view->scale;
  dy = (int) dy_exact;
  if (dy != dy_exact || ABS (dy) >= view->height_px)
    return all;
  stride = b->bitmap->stride_bytes;
  rows = view->height_px - ABS (dy);
  if (dy >= 0)
    memcpy (b->bitmap->data, prev->bitmap->data + (gsize) dy * stride, (gsize) rows * stride);
  else
    memcpy (b->bitmap->data + (gsize) (-dy) * stride, prev->bitmap->data, (gsize) rows * stride);
  if (dy > 0)
    return (cairo_rectangle_int_t) { 0, rows, view->width_px, dy };
  if (dy < 0)
    return (cairo_rectangle_int_t) { 0, 0, view->width_px, -dy };
  /* Nothing moved: an empty strip, but a frame all the same. */
  return (cairo_rectangle_int_t) { 0, 0, 0, 0 };
}

/* Paints into a buffer the browser does not hold, or remembers to paint when
 * one comes back (ReleaseBuffer). */
void
bh_renderer_view_paint (View *view)
{
  Buffer *b = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_rectangle_int_t damage;
  int doc_h;

  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    if (view->buffers[i].bitmap && !view->buffers[i].held)
      {
        b = &view->buffers[i];
        break;
      }
  if (b == NULL)
    {
      view->needs_paint = TRUE;
      return;
    }
  view->needs_paint = FALSE;
  view->scroll_y = CLAMP (view->scroll_y, 0, bh_renderer_view_max_scroll (view));
  view->scroll_x = CLAMP (view->scroll_x, 0, max_scroll_x (view));

  damage = reuse_scrolled_frame (view, b);
  if (view->has_style_damage)
    {
      /* the restyled boxes, with whatever scrolled into view */
      if (damage.width == 0 || damage.height == 0)
        damage = view->style_damage;
      else
        {
          int x1 = MAX (damage.x + damage.width, view->style_damage.x + view->style_damage.width);
          int y1 = MAX (damage.y + damage.height, view->style_damage.y + view->style_damage.height);
          damage.x = MIN (damage.x, view->style_damage.x);
          damage.y = MIN (damage.y, view->style_damage.y);
          damage.width = x1 - damage.x;
          damage.height = y1 - damage.y;
        }
      view->has_style_damage = FALSE;
    }
  surface = bh_bitmap_create_surface (b->bitmap);
  cr = cairo_create (surface);
  /* Only the damage is painted: the rest was copied, already right. */
  cairo_rectangle (cr, damage.x, damage.y, damage.width, damage.height);
  cairo_clip (cr);
  cairo_scale (cr, view->scale, view->scale);
  /* Scrolled sideways: the document moves left, and the area painted grows by
   * as much, so that its right part fills the viewport. */
  cairo_translate (cr, -view->scroll_x, 0);
  if (view->doc)
    bh_document_paint (view->doc, cr, view->scroll_y, (int) (view->width_px / view->scale) + view->scroll_x,
                       (int) (view->height_px / view->scale));
  else
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);

  b->held = TRUE;
  b->generation = view->generation;
  b->painted_scroll_y = view->scroll_y;
  b->painted_scroll_x = view->scroll_x;
  view->last_painted = b;
  if (view->scroll_x != view->sent_scroll_x)
    {
      view->sent_scroll_x = view->scroll_x;
      bh_channel_send (R.channel, BH_MSG_HorizontalScrollChanged, g_variant_new ("(ui)", view->id, view->scroll_x),
                       NULL, 0);
    }
  doc_h = view->doc ? bh_document_get_height_px (view->doc) : 0;
  {
    GVariantBuilder damage_rects;
    g_variant_builder_init (&damage_rects, G_VARIANT_TYPE ("a(iiii)"));
    g_variant_builder_add (&damage_rects, "(iiii)", damage.x, damage.y, damage.width, damage.height);
    bh_channel_send (R.channel, BH_MSG_FrameReady,
                     g_variant_new ("(uuiua(iiii))", view->id, b->id, view->scroll_y, (guint32) MAX (doc_h, 0),
                                    &damage_rects),
                     NULL, 0);
  }
  maybe_finish (view);
}

/* ---- views and documents ---------------------------------------------- */

static void
view_free (View *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    g_clear_pointer (&view->buffers[i].bitmap, bh_bitmap_free);
  g_clear_pointer (&view->preload_scripts, g_strfreev);
  g_clear_pointer (&view->realm, bh_script_realm_free);
  g_clear_handle_id (&view->window_events_idle, g_source_remove);
  g_clear_handle_id (&view->frame_timer, g_source_remove);
  g_clear_pointer (&view->doc, bh_document_free);
  g_clear_pointer (&view->body_pipe, bh_data_pipe_free);
  g_clear_pointer (&view->body, g_byte_array_unref);
  g_clear_handle_id (&view->parse_timer, g_source_remove);
  g_free (view->url);
  g_free (view->content_type);
  g_free (view->charset);
  g_free (view->sent_title);
  g_free (view->hovered_link);
  g_array_unref (view->plugin_boxes);
  g_queue_clear_full (&view->queued_requests, (GDestroyNotify) request_free);
  g_clear_handle_id (&view->layout_idle, g_source_remove);
  g_clear_handle_id (&view->style_block_timer, g_source_remove);
  bh_interaction_free (view->interaction);
  g_free (view);
}

/* Asks the browser for queued subresources while the view's budget allows
 * (BH_MAX_RESOURCE_REQUESTS_PER_VIEW): a page with a thousand images gets them all,
 * a few hundred at a time. */
void
bh_renderer_view_send_queued_requests (View *view)
{
  while (view->requests_in_flight < BH_MAX_RESOURCE_REQUESTS_PER_VIEW && !g_queue_is_empty (&view->queued_requests))
    {
      Request *r = g_queue_pop_head (&view->queued_requests);
      guint32 req = ++R.next_request_id;

      g_hash_table_insert (R.requests, GUINT_TO_POINTER (req), r);
      view->requests_in_flight++;
      bh_channel_send (R.channel, BH_MSG_ResourceRequest, g_variant_new ("(uus)", view->id, req, r->url), NULL, 0);
    }
}

View *
bh_renderer_lookup_view (guint32 id)
{
  /* The browser chose the id; one we do not know is the browser's bug or a
   * race with DestroyView: ignore it rather than trust it. */
  return g_hash_table_lookup (R.views, GUINT_TO_POINTER (id));
}

static void
report_size (View *view)
{
  bh_channel_send (R.channel, BH_MSG_DocumentSize,
                   g_variant_new ("(utuu)", view->id, view->navigation_id, (guint32) bh_document_get_width_px (view->doc),
                                  (guint32) bh_document_get_height_px (view->doc)),
                   NULL, 0);
}

static void
maybe_finish (View *view)
{
  /* DidFinishLoad follows the FrameReady that shows the finished document
   * (the last image laid out and painted), so the browser may take the frame
   * it has as the page: headless screenshots rely on this. */
  if (view->finished || !view->parsed_all || view->resources_pending > 0 || view->doc == NULL ||
      view->layout_idle != 0 || view->needs_paint)
    return;
  if (!bh_renderer_script_ready_to_finish (view))
    return;
  view->finished = TRUE;
  bh_interaction_load_finished (view->interaction);
  bh_channel_send (R.channel, BH_MSG_LoadProgress, g_variant_new ("(utd)", view->id, view->navigation_id, 1.0),
                   NULL, 0);
  bh_channel_send (R.channel, BH_MSG_DidFinishLoad, g_variant_new ("(ut)", view->id, view->navigation_id), NULL, 0);
}

/* Tells the browser where <embed>/<object> boxes are, in document px, when a
 * layout moved them; the browser composites the plugin's frame there. */
static void
report_plugin_boxes (View *view)
{
  /* Past the browser's budget, boxes keep their place and get no plugin. */
  guint n = MIN (bh_document_get_n_plugin_boxes (view->doc), BH_MAX_PLUGIN_BOXES);

  for (guint i = 0; i < n; i++)
    {
      const char *box_url, *mime;
      int rect[4];

      bh_document_get_plugin_box (view->doc, i, &box_url, &mime, &rect[0], &rect[1], &rect[2], &rect[3]);
      if (i < view->plugin_boxes->len / 4 && memcmp (&g_array_index (view->plugin_boxes, int, i * 4), rect, sizeof rect) == 0)
        continue;
      if (i >= view->plugin_boxes->len / 4)
        g_array_set_size (view->plugin_boxes, (i + 1) * 4);
      memcpy (&g_array_index (view->plugin_boxes, int, i * 4), rect, sizeof rect);
      bh_channel_send (R.channel, BH_MSG_PluginBoxChanged,
                       g_variant_new ("(uussiiii)", view->id, i + 1, box_url, mime ? mime : "", rect[0], rect[1],
                                      rect[2], rect[3]),
                       NULL, 0);
    }
}

/* Whether painting now would show the page without the style sheets it is
 * still waiting for. */
static gboolean
style_blocked (View *view)
{
  return view->doc != NULL && !view->style_block_expired && bh_document_has_pending_stylesheets (view->doc);
}

static void request_new_resources (View *view);

static void
relayout_and_paint (View *view)
{
  if (style_blocked (view))
    return;
  g_clear_handle_id (&view->style_block_timer, g_source_remove);
  view->generation++;
  if (view->doc)
    {
      int y;

      bh_document_layout (view->doc, (int) (view->width_px / view->scale), view->scale);
      /* styles name images (background-image: url()) the parse did not see */
      request_new_resources (view);
      report_size (view);
      report_plugin_boxes (view);
      /* A fragment, or the place a history step returns to (bh-interaction.h). */
      if (bh_interaction_scroll_wanted (view->interaction, view->doc, &y))
        view->scroll_y = y;
    }
  bh_renderer_view_paint (view);
}

static gboolean
layout_idle_cb (gpointer data)
{
  View *view = data;

  view->layout_idle = 0;
  relayout_and_paint (view);
  maybe_finish (view);
  return G_SOURCE_REMOVE;
}

static gboolean
style_block_timeout_cb (gpointer data)
{
  View *view = data;

  view->style_block_timer = 0;
  view->style_block_expired = TRUE;
  relayout_and_paint (view);
  maybe_finish (view);
  return G_SOURCE_REMOVE;
}

/* Images and stylesheets arrive in bursts: lay out once when the channel has
 * nothing more to deliver, not once per resource. */
void
bh_renderer_view_schedule_layout (View *view)
{
  if (view->layout_idle == 0)
    view->layout_idle = g_idle_add (layout_idle_cb, view);
}

/* Chromium's debug URLs, handled by the renderer itself. */
static void
handle_debug_url (const char *url)
{
  if (g_str_equal (url, "about:crash"))
    {
      volatile int *null_pointer = NULL;
      g_printerr ("renderer[%d]: about:crash: dereferencing NULL\n", getpid ());
      *null_pointer = 1;
    }
  else if (g_str_equal (url, "about:kill"))
    kill (getpid (), SIGKILL);
  else if (g_str_equal (url, "about:hang"))
    {
      g_printerr ("renderer[%d]: about:hang: looping forever\n", getpid ());
      for (volatile guint64 i = 0;; i++)
        ;
    }
}

/* Asks the browser for the subresources the latest parse found that no
 * earlier parse of this navigation did. */
static void
request_new_resources (View *view)
{
  guint n = bh_document_get_n_resources (view->doc);

  for (guint i = view->requested_resources; i < n; i++)
    {
      Request *r;

      /* An image document's own image came with the navigation. */
      if (!bh_document_resource_is_pending (view->doc, i))
        continue;
      r = g_new0 (Request, 1);

      r->view_id = view->id;
      r->navigation_id = view->navigation_id;
      r->url = g_strdup (bh_document_get_resource_url (view->doc, i));
      g_queue_push_tail (&view->queued_requests, r);
      view->resources_pending++;
    }
  view->requested_resources = n;
  bh_renderer_view_send_queued_requests (view);
}

/* How much of what arrived makes sense to parse: all of it at the end, else
 * up to the last complete tag (or line, for text), so that a tag or an
 * attribute cut in half is not shown as text or asked for as a resource. */
static gsize
parse_point (View *view)
{
  const char *data = (const char *) view->body->data;
  char stop = g_str_has_prefix (view->content_type, "text/plain") ? '\n' : '>';

  if (view->body_complete)
    return view->body->len;
  for (gsize i = view->body->len; i > view->parsed_bytes; i--)
    if (data[i - 1] == stop)
      return i;
  return view->parsed_bytes;
}

void
bh_renderer_view_send_title (View *view)
{
  const char *title = bh_document_get_title (view->doc);

  if (title != NULL && g_strcmp0 (title, view->sent_title) != 0)
    {
      g_free (view->sent_title);
      view->sent_title = g_strdup (title);
      bh_channel_send (R.channel, BH_MSG_TitleChanged, g_variant_new ("(uts)", view->id, view->navigation_id, title),
                       NULL, 0);
    }
}


/* Parses what has arrived, lays out and paints it. */
static void
parse_body (View *view)
{
  gsize len = parse_point (view);
  g_autoptr (GBytes) prefix = NULL;
  gint64 start = g_get_monotonic_time ();

  if (view->doc != NULL && len == view->parsed_bytes && !(view->body_complete && !view->parsed_all))
    return;
  prefix = g_bytes_new (view->body->data, len);
  if (view->doc == NULL)
    view->doc = bh_document_new (view->url, view->content_type, view->charset, prefix);
  else
    view->doc = bh_document_new_continued (g_steal_pointer (&view->doc), view->url, view->content_type,
                                           view->charset, prefix);
  view->parsed_bytes = len;
  view->parsed_all = view->body_complete && len == view->body->len;
  view->last_parse_us = g_get_monotonic_time ();
  view->last_parse_cost_us = view->last_parse_us - start;

  bh_renderer_view_send_title (view);
  request_new_resources (view);
  if (view->parsed_all)
    bh_renderer_script_start (view);
  if (view->parsed_all && !view->favicon_sent)
    {
      const char *icon = bh_document_get_favicon_url (view->doc);

      /* The browser fetches it (or /favicon.ico for ""), and asks us to decode it. */
      view->favicon_sent = TRUE;
      bh_channel_send (R.channel, BH_MSG_UpdateFaviconURL,
                       g_variant_new ("(uts)", view->id, view->navigation_id, icon != NULL ? icon : ""), NULL, 0);
    }
  if (!view->style_block_expired && view->style_block_timer == 0 && style_blocked (view))
    view->style_block_timer = g_timeout_add (STYLESHEET_BLOCK_MS, style_block_timeout_cb, view);
  relayout_and_paint (view);
  maybe_finish (view);
}

static void schedule_parse (View *view);
static gsize drain_body (View *view);

static gboolean
parse_timer_cb (gpointer data)
{
  View *view = data;
  gint64 now = g_get_monotonic_time ();

  view->parse_timer = 0;
  if (view->parse_wanted_us == 0)
    view->parse_wanted_us = now;
  /* Bytes are still pouring in: wait for the network to pause, or for the
   * end, a little longer. */
  drain_body (view);
  if (!view->body_complete && now - view->last_bytes_us < FIRST_PARSE_MS * 1000 &&
      now - view->parse_wanted_us < MAX_PARSE_DELAY_MS * 1000)
    {
      view->parse_timer = g_timeout_add (FIRST_PARSE_MS, parse_timer_cb, view);
      return G_SOURCE_REMOVE;
    }
  view->parse_wanted_us = 0;
  if (view->body_complete)
    schedule_parse (view);
  else
    parse_body (view);
  return G_SOURCE_REMOVE;
}

/* Parses now at the end of the body, else at the next sensible point. */
static void
schedule_parse (View *view)
{
  gint64 now, due;

  if (view->body_complete)
    {
      g_clear_handle_id (&view->parse_timer, g_source_remove);
      parse_body (view);
      return;
    }
  if (view->parse_timer != 0 || view->body->len == view->parsed_bytes)
    return;
  now = g_get_monotonic_time ();
  if (view->doc == NULL)
    due = now + FIRST_PARSE_MS * 1000;
  else
    due = view->last_parse_us + MAX (REPARSE_MS * 1000, 2 * view->last_parse_cost_us);
  view->parse_timer = g_timeout_add ((guint) MAX (0, (due - now) / 1000), parse_timer_cb, view);
}

/* Takes what the browser has put in the body's pipe so far; returns how
 * many bytes that was. */
static gsize
drain_body (View *view)
{
  guint8 buf[65536];
  gsize total = 0;

  while (view->body_pipe != NULL)
    {
      g_autoptr (GError) error = NULL;
      gsize n = 0;
      BhDataPipeResult r = bh_data_pipe_read (view->body_pipe, buf, sizeof buf, &n, &error);

      if (r == BH_DATA_PIPE_OK)
        {
          if (view->body->len < MAX_BODY_BYTES)
            g_byte_array_append (view->body, buf, (guint) MIN (n, MAX_BODY_BYTES - view->body->len));
          total += n;
          continue;
        }
      if (r == BH_DATA_PIPE_SHOULD_WAIT)
        break;
      /* Done; or the browser cut it (the network failed, the user stopped
       * the load): what came is the page, as in Chromium. A pipe that breaks
       * its rules would be the browser's bug: said, and ended the same way. */
      if (r == BH_DATA_PIPE_FAILED && !g_error_matches (error, BH_DATA_PIPE_ERROR, BH_DATA_PIPE_ERROR_PRODUCER_FAILED))
        g_printerr ("renderer[%d]: navigation body: %s\n", getpid (), error->message);
      g_clear_pointer (&view->body_pipe, bh_data_pipe_free);
      view->body_complete = TRUE;
    }
  if (total > 0)
    view->last_bytes_us = g_get_monotonic_time ();
  return total;
}

static void
read_body (View *view)
{
  drain_body (view);
  schedule_parse (view);
}

static void
body_pipe_cb (BhDataPipe *pipe, gpointer user_data)
{
  read_body (user_data);
}

static void
commit_navigation (BhMessage *m)
{
  guint32 view_id, capacity;
  guint64 nav_id;
  const char *url, *content_type, *charset;
  g_autoptr (GError) error = NULL;
  BhDataPipe *pipe;
  View *view;
  int memfd, signal_fd;

  g_variant_get (m->payload, "(ut&s&s&su)", &view_id, &nav_id, &url, &content_type, &charset, &capacity);
  handle_debug_url (url);
  view = bh_renderer_lookup_view (view_id);
  if (view == NULL)
    return;
  memfd = bh_message_steal_fd (m, 0);
  signal_fd = bh_message_steal_fd (m, 1);
  pipe = bh_data_pipe_new_consumer (memfd, signal_fd, capacity, &error);
  if (pipe == NULL)
    /* Only the browser sends these, so this is its bug; show it, do not die:
     * the page is then empty. */
    g_printerr ("renderer[%d]: CommitNavigation body refused: %s\n", getpid (), error->message);

  /* The page being replaced stops loading: its pipe closes, and the browser
   * stops sending what is left of it. */
  g_clear_pointer (&view->body_pipe, bh_data_pipe_free);
  g_clear_handle_id (&view->parse_timer, g_source_remove);
  /* Script never outlives its document: the realm goes first. */
  g_clear_pointer (&view->realm, bh_script_realm_free);
  g_clear_pointer (&view->doc, bh_document_free);
  g_free (view->url);
  view->url = g_strdup (url);
  g_free (view->content_type);
  view->content_type = g_strdup (content_type);
  g_free (view->charset);
  view->charset = g_strdup (charset);
  g_clear_pointer (&view->sent_title, g_free);
  g_clear_pointer (&view->body, g_byte_array_unref);
  view->body = g_byte_array_new ();
  view->body_pipe = pipe;
  view->body_complete = pipe == NULL;
  view->parsed_bytes = 0;
  view->parsed_all = FALSE;
  view->favicon_sent = FALSE;
  view->parse_wanted_us = 0;
  view->requested_resources = 0;
  view->navigation_id = nav_id;
  view->finished = FALSE;
  view->resources_pending = 0;
  view->scroll_y = 0;
  view->scroll_x = 0;
  /* The old document's requests still in flight stay counted until the browser
   * answers them (it cancels them now); those never asked are dropped. */
  g_queue_clear_full (&view->queued_requests, (GDestroyNotify) request_free);
  view->style_block_expired = FALSE;
  g_clear_handle_id (&view->style_block_timer, g_source_remove);
  for (guint i = 0; i < view->plugin_boxes->len / 4; i++)
    bh_channel_send (R.channel, BH_MSG_PluginBoxRemoved, g_variant_new ("(uu)", view->id, i + 1), NULL, 0);
  g_array_set_size (view->plugin_boxes, 0);

  bh_interaction_did_commit (view->interaction, nav_id, url);
  /* Committed now, at the response's head; the document follows. */
  bh_channel_send (R.channel, BH_MSG_DidCommitNavigation, g_variant_new ("(uts)", view->id, nav_id, url), NULL, 0);
  bh_channel_send (R.channel, BH_MSG_LoadProgress, g_variant_new ("(utd)", view->id, nav_id, 0.3), NULL, 0);
  if (pipe != NULL)
    {
      bh_data_pipe_set_trace (pipe, "browser", R.browser_pid, NULL, nav_id, "navigation body");
      bh_data_pipe_set_callback (pipe, NULL, body_pipe_cb, view);
    }
  read_body (view);
}

/* A favicon's side once decoded: the tab shows 16 CSS px, 32 device px at scale 2. */
#define FAVICON_SIDE_PX 32

/* DecodeFavicon: the icon the browser fetched, decoded here in the sandbox;
 * the browser gets pixels only (0 x 0 for no image). */
static void
decode_favicon (BhMessage *m)
{
  guint32 view_id, req;
  guint64 size = 0;
  guint width = 0, height = 0;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) pixels = NULL;

  g_variant_get (m->payload, "(uut)", &view_id, &req, &size);
  if (bh_renderer_lookup_view (view_id) == NULL)
    return;
  data = bh_blob_map (m->fds[0], size, NULL);
  if (data != NULL)
    pixels = bh_document_decode_favicon (data, FAVICON_SIDE_PX, &width, &height);
  if (pixels == NULL)
    {
      width = height = 0;
      pixels = g_bytes_new (NULL, 0);
    }
  bh_channel_send (R.channel, BH_MSG_FaviconDecoded,
                   g_variant_new ("(uuuu@ay)", view_id, req, width, height,
                                  g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, pixels, TRUE)),
                   NULL, 0);
}

/* ResourceResponse or ResourceFailed. */
static void
handle_resource (BhMessage *m)
{
  guint32 view_id, req;
  const char *content_type = "";
  const char *reason = NULL;
  guint64 size = 0;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  Request *r;
  View *view;

  if (m->type == BH_MSG_ResourceResponse)
    {
      g_variant_get (m->payload, "(uu&st)", &view_id, &req, &content_type, &size);
      data = bh_blob_map (m->fds[0], size, &error);
      if (data == NULL)
        reason = error->message;
    }
  else
    g_variant_get (m->payload, "(uu&s)", &view_id, &req, &reason);

  r = g_hash_table_lookup (R.requests, GUINT_TO_POINTER (req));
  if (r == NULL || r->view_id != view_id)
    return;
  view = bh_renderer_lookup_view (view_id);
  if (view != NULL && view->requests_in_flight > 0)
    view->requests_in_flight--;
  if (r->script_id != 0)
    {
      /* A script's source, for the realm of the navigation that asked. */
      if (view != NULL && view->realm != NULL && view->navigation_id == r->navigation_id)
        {
          bh_script_realm_script_arrived (view->realm, r->script_id, data);
          /* The last async or inserted script the load event waited for. */
          view = bh_renderer_lookup_view (view_id);
          if (view != NULL && view->navigation_id == r->navigation_id)
            maybe_finish (view);
        }
    }
  /* An answer for a navigation that has since been replaced is dropped. */
  else if (view != NULL && view->doc != NULL && view->navigation_id == r->navigation_id && view->resources_pending > 0)
    {
      view->resources_pending--;
      /* A style sheet that failed may change nothing, and still end the wait. */
      if (bh_document_set_resource (view->doc, r->url, content_type, data) || view->style_block_timer != 0)
        bh_renderer_view_schedule_layout (view);
      /* a style sheet may @import more */
      request_new_resources (view);
      bh_channel_send (R.channel, BH_MSG_LoadProgress,
                       g_variant_new ("(utd)", view->id, view->navigation_id,
                                      1.0 - 0.7 * view->resources_pending / (double) MAX (1u, bh_document_get_n_resources (view->doc))),
                       NULL, 0);
      maybe_finish (view);
    }
  g_hash_table_remove (R.requests, GUINT_TO_POINTER (req));
  if (view != NULL)
    bh_renderer_view_send_queued_requests (view);
}

/* ---- requestAnimationFrame: frames paced by the browser's acknowledgements */

/* At most this often, even when the browser takes frames at once (headless):
 * 60 frames a second, a display's rate. */
#define ANIMATION_FRAME_INTERVAL_US (G_USEC_PER_SEC / 60)

static gboolean
buffer_free (View *view)
{
  for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
    if (view->buffers[i].bitmap != NULL && !view->buffers[i].held)
      return TRUE;
  return FALSE;
}


/* The page's animation frame: its callbacks, then the frame they made (or the
 * same picture again, so that the browser's acknowledgement paces the next). */
static gboolean
animation_frame_cb (gpointer data)
{
  View *view = data;

  view->frame_timer = 0;
  if (!view->frame_wanted || view->realm == NULL)
    return G_SOURCE_REMOVE;
  if (!buffer_free (view))
    return G_SOURCE_REMOVE; /* ReleaseBuffer schedules it again */
  view->frame_wanted = FALSE;
  view->last_frame_us = g_get_monotonic_time ();
  bh_script_realm_run_animation_frames (view->realm);
  if (view->layout_idle != 0)
    {
      g_clear_handle_id (&view->layout_idle, g_source_remove);
      relayout_and_paint (view);
      maybe_finish (view);
    }
  else if (!view->needs_paint)
    bh_renderer_view_paint (view);
  return G_SOURCE_REMOVE;
}

/* The next animation frame runs once the browser has taken the last frame (a
 * buffer is free again: its ReleaseBuffer is the acknowledgement, as Chromium's
 * compositor frame ack paces its BeginFrames) and a 60th of a second passed. */
void
bh_renderer_view_schedule_animation_frame (View *view)
{
  gint64 due, now;

  if (!view->frame_wanted || view->frame_timer != 0 || !buffer_free (view))
    return;
  now = g_get_monotonic_time ();
  due = view->last_frame_us + ANIMATION_FRAME_INTERVAL_US;
  view->frame_timer = g_timeout_add (due > now ? (guint) ((due - now + 999) / 1000) : 0, animation_frame_cb, view);
}

static gboolean
window_events_cb (gpointer data)
{
  View *view = data;
  gboolean scrolled = view->scroll_event_wanted, resized = view->resize_event_wanted;

  view->window_events_idle = 0;
  view->scroll_event_wanted = view->resize_event_wanted = FALSE;
  if (resized && view->realm != NULL)
    bh_script_realm_dispatch_window_event (view->realm, "resize");
  if (scrolled && view->realm != NULL)
    bh_script_realm_dispatch_window_event (view->realm, "scroll");
  return G_SOURCE_REMOVE;
}

/* The page's scroll and resize events, after the frame (never inside the code
 * that scrolled: a handler that scrolls again is not a recursion). */
void
bh_renderer_view_schedule_window_event (View *view, gboolean resize)
{
  if (view->realm == NULL)
    return;
  if (resize)
    view->resize_event_wanted = TRUE;
  else
    view->scroll_event_wanted = TRUE;
  if (view->window_events_idle == 0)
    view->window_events_idle = g_idle_add (window_events_cb, view);
}

static void
scroll_by (View *view, int dy)
{
  int before = view->scroll_y;

  bh_interaction_user_scrolled (view->interaction);
  view->scroll_y = CLAMP (view->scroll_y + dy, 0, bh_renderer_view_max_scroll (view));
  if (view->scroll_y != before)
    {
      bh_renderer_view_paint (view);
      bh_renderer_view_schedule_window_event (view, FALSE);
    }
}

/* What a selection, find or fragment asks of the view. */
static void
apply_interaction (View *view, const BhInteractionResult *result)
{
  if (result->scroll)
    {
      view->scroll_y = CLAMP (result->scroll_y, 0, bh_renderer_view_max_scroll (view));
      bh_renderer_view_paint (view);
    }
  else if (result->repaint)
    {
      /* Highlights changed: what is painted differs at the same scroll. */
      view->generation++;
      bh_renderer_view_paint (view);
    }
}

static void
scroll_x_by (View *view, int dx)
{
  int before = view->scroll_x;

  view->scroll_x = CLAMP (view->scroll_x + dx, 0, max_scroll_x (view));
  if (view->scroll_x != before)
    bh_renderer_view_paint (view);
}

/* Paints what changed in a rectangle of the document (document px: left, top,
 * right, bottom), cut to the viewport, over a copy of the previous frame. */
static void
paint_document_damage (View *view, const double damage[4])
{
  cairo_rectangle_int_t r;
  double left, top, right, bottom;

  left = MAX (0, floor ((damage[0] - view->scroll_x) * view->scale));
  top = MAX (0, floor ((damage[1] - view->scroll_y) * view->scale));
  right = MIN (view->width_px, ceil ((damage[2] - view->scroll_x) * view->scale));
  bottom = MIN (view->height_px, ceil ((damage[3] - view->scroll_y) * view->scale));
  if (right <= left || bottom <= top)
    return;  /* nothing on screen changed */
  r = (cairo_rectangle_int_t) { (int) left, (int) top, (int) (right - left), (int) (bottom - top) };
  if (view->has_style_damage)
    {
      int x1 = MAX (r.x + r.width, view->style_damage.x + view->style_damage.width);
      int y1 = MAX (r.y + r.height, view->style_damage.y + view->style_damage.height);
      r.x = MIN (r.x, view->style_damage.x);
      r.y = MIN (r.y, view->style_damage.y);
      r.width = x1 - r.x;
      r.height = y1 - r.y;
    }
  view->style_damage = r;
  view->has_style_damage = TRUE;
  bh_renderer_view_paint (view);
}

/* After input: the element under the mouse or the focus may have changed what
 * :hover and :focus rules match. Only the boxes whose style changed are painted
 * again (their rectangle, cut to the viewport); when layout moved, everything. */
static void
restyle_states (View *view)
{
  double damage[4];

  if (view->doc == NULL || !bh_document_restyle_states (view->doc, damage))
    return;
  if (damage[2] >= G_MAXDOUBLE)
    relayout_and_paint (view);
  else
    paint_document_damage (view, damage);
}

/* The wheel scrolls the innermost scroll container under the pointer that can go
 * that way; only that box is painted again. Otherwise, the viewport scrolls. */
static void
handle_scroll (View *view, double dx, double dy)
{
  double damage[4];

  if (view->doc != NULL && view->has_pointer &&
      bh_document_scroll_box_at (view->doc, view->pointer_x / view->scale + view->scroll_x,
                                 view->pointer_y / view->scale + view->scroll_y, dx, dy, damage))
    {
      paint_document_damage (view, damage);
      return;
    }
  if ((int) dx != 0)
    scroll_x_by (view, (int) dx);
  scroll_by (view, (int) dy);
}

static void
handle_mouse (View *view, guint kind, double x, double y, guint button, guint modifiers)
{
  const char *link;
  BhInteractionResult result;
  gboolean selected, prevented;

  if (view->doc == NULL)
    return;
  view->pointer_x = x;
  view->pointer_y = y;
  view->has_pointer = TRUE;
  /* Positions arrive in device pixels of the viewport. */
  x = x / view->scale + view->scroll_x;
  y = y / view->scale + view->scroll_y;
  if (kind == 1 && view->realm != NULL)
    bh_script_realm_form_input_start (view->realm);
  bh_interaction_set_viewport (view->interaction, view->scroll_x, view->scroll_y, view->scale);
  selected = bh_interaction_mouse (view->interaction, view->doc, kind, x, y, button, modifiers, &result);
  apply_interaction (view, &result);
  bh_document_set_hover_point (view->doc, x, y);
  restyle_states (view);
  link = bh_document_link_at (view->doc, x, y);
  if (kind == 0 && g_strcmp0 (link, view->hovered_link) != 0)
    {
      g_free (view->hovered_link);
      view->hovered_link = g_strdup (link);
      bh_channel_send (R.channel, BH_MSG_HoverChanged, g_variant_new ("(usu)", view->id, link ? link : "", link ? 1 : 0),
                       NULL, 0);
    }
  /* x and y are document px already (scrolled both ways). */
  prevented = bh_renderer_script_mouse_event (view, kind, x, y, button, modifiers);
  /* The press focused a field or toggled one: focus, blur, input, change. */
  if (kind == 1 && view->realm != NULL)
    bh_script_realm_form_input_done (view->realm);
  if (prevented)
    return;
  /* A click opens on release, as browsers do; middle click or Ctrl opens a new tab. */
  if (kind == 2 && link && (button == 1 || button == 2) && !(selected && button == 1))
    {
      /* Chromium's: middle click or Ctrl+click behind, Ctrl+Shift+click in front. */
      guint disposition = ((modifiers & MOD_CONTROL) && (modifiers & MOD_SHIFT)) ? 1
                          : (button == 2 || (modifiers & MOD_CONTROL)) ? 2 : 0;
      bh_channel_send (R.channel, BH_MSG_OpenURL, g_variant_new ("(usu)", view->id, link, disposition), NULL, 0);
    }
}

static void
handle_key (View *view, guint keyval, guint modifiers)
{
  int page = (int) (view->height_px / view->scale * 0.9);
  BhInteractionResult result;

  gboolean handled;

  /* UI Events' order: keydown, the key's default action (typing into a field:
   * input), keyup. A keydown's preventDefault() stops the default action. */
  if (bh_renderer_script_key_event (view, TRUE, keyval, modifiers))
    {
      bh_renderer_script_key_event (view, FALSE, keyval, modifiers);
      return;
    }
  if (view->realm != NULL)
    bh_script_realm_form_input_start (view->realm);
  bh_interaction_set_viewport (view->interaction, view->scroll_x, view->scroll_y, view->scale);
  handled = bh_interaction_key (view->interaction, view->doc, keyval, modifiers, &result);
  if (handled)
    {
      apply_interaction (view, &result);
      restyle_states (view);  /* Tab moves the focus */
    }
  if (view->realm != NULL)
    bh_script_realm_form_input_done (view->realm);
  bh_renderer_script_key_event (view, FALSE, keyval, modifiers);
  if (handled)
    return;
  switch (keyval)
    {
    case KEY_Up:
      scroll_by (view, -LINE_SCROLL_PX);
      break;
    case KEY_Down:
      scroll_by (view, LINE_SCROLL_PX);
      break;
    case KEY_Left:
      scroll_x_by (view, -LINE_SCROLL_PX);
      break;
    case KEY_Right:
      scroll_x_by (view, LINE_SCROLL_PX);
      break;
    case KEY_Page_Up:
      scroll_by (view, -page);
      break;
    case KEY_Page_Down:
      scroll_by (view, page);
      break;
    case KEY_space:
      scroll_by (view, (modifiers & MOD_SHIFT) ? -page : page);
      break;
    case KEY_Home:
      scroll_by (view, -view->scroll_y);
      break;
    case KEY_End:
      scroll_by (view, bh_renderer_view_max_scroll (view) - view->scroll_y);
      break;
    default:
      break;
    }
}

static void
ack_input (View *view, const BhMessage *m)
{
  bh_channel_send (R.channel, BH_MSG_InputEventAck, g_variant_new ("(uu)", view->id, m->serial), NULL, 0);
}


static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  guint32 view_id = 0;
  View *view;

  if (m->type == BH_MSG_ProcessIdentity)
    g_variant_get (m->payload, "(uu)", NULL, &R.browser_pid);
  if (bh_child_handle_identity (channel, m, "renderer"))
    return;
  if (m->type == BH_MSG_Ping)
    {
      bh_channel_reply (channel, m, BH_MSG_Pong, NULL, NULL, 0);
      return;
    }
  if (m->type == BH_MSG_CommitNavigation)
    {
      commit_navigation (m);
      return;
    }
  if (m->type == BH_MSG_ResourceResponse || m->type == BH_MSG_ResourceFailed)
    {
      handle_resource (m);
      return;
    }
  if (m->type == BH_MSG_FetchResponse || m->type == BH_MSG_FetchFailed)
    {
      bh_renderer_fetch_handle_answer (m);
      return;
    }
  if (m->type == BH_MSG_DecodeFavicon)
    {
      decode_favicon (m);
      return;
    }
  if (m->type == BH_MSG_CreateView)
    {
      guint32 w, h;
      double scale;

      g_variant_get (m->payload, "(uuud)", &view_id, &w, &h, &scale);
      if (bh_renderer_lookup_view (view_id) || w == 0 || h == 0 || w > BH_BITMAP_MAX_DIMENSION || h > BH_BITMAP_MAX_DIMENSION)
        return;
      view = g_new0 (View, 1);
      view->id = view_id;
      view->width_px = (int) w;
      view->height_px = (int) h;
      view->device_scale = CLAMP (scale, 0.5, 4.0);
      view->zoom = 1.0;
      view->scale = view->device_scale;
      view->plugin_boxes = g_array_new (FALSE, TRUE, sizeof (int));
      view->interaction = bh_interaction_new (R.channel, view_id);
      bh_interaction_set_submit_filter (view->interaction, bh_renderer_script_submit_filter_cb, view);
      g_hash_table_insert (R.views, GUINT_TO_POINTER (view_id), view);
      allocate_buffers (view);
      return;
    }

  /* The per-view messages name their view first; anything else that may be
   * sent to a child (Pong, Echo, the plugin messages) is not for a renderer. */
  if (!g_variant_is_of_type (m->payload, G_VARIANT_TYPE_TUPLE) || g_variant_n_children (m->payload) == 0)
    return;
  {
    g_autoptr (GVariant) first = g_variant_get_child_value (m->payload, 0);
    if (!g_variant_is_of_type (first, G_VARIANT_TYPE_UINT32))
      return;
    view_id = g_variant_get_uint32 (first);
  }
  view = bh_renderer_lookup_view (view_id);
  if (view == NULL)
    return;

  switch (m->type)
    {
    case BH_MSG_Stop:
      /* The user stopped the load (on the control lane, so even behind a full
       * data lane): the body ends where it is and what came is the page. */
      g_clear_pointer (&view->body_pipe, bh_data_pipe_free);
      if (!view->body_complete)
        {
          view->body_complete = TRUE;
          schedule_parse (view);
        }
      bh_channel_reply (channel, m, BH_MSG_DidStop, g_variant_new ("(u)", view_id), NULL, 0);
      break;
    case BH_MSG_DestroyView:
      for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
        buffer_clear (view, &view->buffers[i]);
      /* The browser answers no request of a view it destroyed. */
      {
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init (&iter, R.requests);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          if (((Request *) value)->view_id == view_id)
            g_hash_table_iter_remove (&iter);
      }
      bh_renderer_fetch_forget_view (view_id);
      bh_renderer_storage_forget_view (view_id);
      g_hash_table_remove (R.views, GUINT_TO_POINTER (view_id));
      break;
    case BH_MSG_Resize:
      {
        guint32 w, h;
        double scale;
        g_variant_get (m->payload, "(uuud)", NULL, &w, &h, &scale);
        if (w == 0 || h == 0 || w > BH_BITMAP_MAX_DIMENSION || h > BH_BITMAP_MAX_DIMENSION)
          break;
        view->width_px = (int) w;
        view->height_px = (int) h;
        view->device_scale = CLAMP (scale, 0.5, 4.0);
        view->scale = view->device_scale * view->zoom;
        if (allocate_buffers (view))
          relayout_and_paint (view);
        bh_renderer_view_schedule_window_event (view, TRUE);
      }
      break;
    case BH_MSG_ReleaseBuffer:
      {
        guint32 buffer_id;
        g_variant_get (m->payload, "(uu)", NULL, &buffer_id);
        for (guint i = 0; i < G_N_ELEMENTS (view->buffers); i++)
          if (view->buffers[i].bitmap && view->buffers[i].id == buffer_id)
            view->buffers[i].held = FALSE;
        if (view->needs_paint)
          bh_renderer_view_paint (view);
        bh_renderer_view_schedule_animation_frame (view);
      }
      break;
    case BH_MSG_MouseEvent:
      {
        guint32 kind, button, mods;
        double x, y;
        g_variant_get (m->payload, "(uudduu)", NULL, &kind, &x, &y, &button, &mods);
        handle_mouse (view, kind, x, y, button, mods);
        ack_input (view, m);
      }
      break;
    case BH_MSG_ScrollEvent:
      {
        double dx, dy;
        g_variant_get (m->payload, "(udd)", NULL, &dx, &dy);
        handle_scroll (view, dx, dy);
        ack_input (view, m);
      }
      break;
    case BH_MSG_KeyEvent:
      {
        guint32 keyval, mods;
        g_variant_get (m->payload, "(uuu)", NULL, &keyval, &mods);
        handle_key (view, keyval, mods);
        ack_input (view, m);
      }
      break;
    case BH_MSG_ScrollTo:
      {
        gint32 y;
        g_variant_get (m->payload, "(ui)", NULL, &y);
        scroll_by (view, y - view->scroll_y);
        ack_input (view, m);
      }
      break;
    case BH_MSG_SetZoom:
      {
        double zoom;

        g_variant_get (m->payload, "(ud)", NULL, &zoom);
        if (!(zoom >= 0.25 && zoom <= 5.0) || zoom == view->zoom)
          break;
        /* The same part of the page stays at the top: the scroll scales back. */
        view->scroll_y = (int) (view->scroll_y * view->zoom / zoom);
        view->scroll_x = (int) (view->scroll_x * view->zoom / zoom);
        view->zoom = zoom;
        view->scale = view->device_scale * zoom;
        relayout_and_paint (view);
      }
      break;
    case BH_MSG_ScrollToX:
      {
        gint32 x;
        g_variant_get (m->payload, "(ui)", NULL, &x);
        scroll_x_by (view, x - view->scroll_x);
        ack_input (view, m);
      }
      break;
    case BH_MSG_FocusChanged:
      ack_input (view, m);
      break;
    case BH_MSG_ScriptEvaluate:
      bh_renderer_script_evaluate (view, m);
      break;
    case BH_MSG_CommitSameDocumentNavigation:
      {
        const char *url;
        gint32 y;
        BhInteractionResult result;

        g_variant_get (m->payload, "(u&si)", NULL, &url, &y);
        bh_interaction_same_document (view->interaction, view->doc, url, y, &result);
        apply_interaction (view, &result);
        /* the fragment's element is :target now */
        if (view->doc != NULL)
          {
            bh_document_set_target_url (view->doc, url);
            restyle_states (view);
          }
      }
      break;
    case BH_MSG_RestoreScrollPosition:
      {
        guint64 nav_id;
        gint32 y;

        g_variant_get (m->payload, "(uti)", NULL, &nav_id, &y);
        bh_interaction_restore_scroll (view->interaction, nav_id, y);
        if (view->doc != NULL && bh_interaction_scroll_wanted (view->interaction, view->doc, &y))
          {
            view->scroll_y = CLAMP (y, 0, bh_renderer_view_max_scroll (view));
            bh_renderer_view_paint (view);
          }
      }
      break;
    case BH_MSG_Find:
      {
        guint32 request;
        const char *query;
        gboolean forward, find_next;
        BhInteractionResult result;

        g_variant_get (m->payload, "(uu&sbb)", NULL, &request, &query, &forward, &find_next);
        bh_interaction_find (view->interaction, view->doc, request, query, forward, find_next, view->scroll_y,
                             (int) (view->height_px / view->scale), &result);
        apply_interaction (view, &result);
      }
      break;
    case BH_MSG_StopFinding:
      {
        BhInteractionResult result;

        bh_interaction_stop_finding (view->interaction, view->doc, &result);
        apply_interaction (view, &result);
      }
      break;
    case BH_MSG_PopupMenuClosed:
      {
        guint32 popup;
        gint32 index;
        BhInteractionResult result;

        g_variant_get (m->payload, "(uui)", NULL, &popup, &index);
        if (view->realm != NULL)
          bh_script_realm_form_input_start (view->realm);
        bh_interaction_popup_closed (view->interaction, view->doc, popup, index, &result);
        apply_interaction (view, &result);
        /* The <select>'s choice: its input and change events. */
        if (view->realm != NULL)
          bh_script_realm_form_input_done (view->realm);
      }
      break;
    case BH_MSG_InsertText:
      {
        const char *text;
        BhInteractionResult result;

        g_variant_get (m->payload, "(u&s)", NULL, &text);
        bh_interaction_insert_text (view->interaction, view->doc, text, &result);
        apply_interaction (view, &result);
      }
      break;
    case BH_MSG_ExecuteEditCommand:
      {
        const char *command;
        BhInteractionResult result;

        g_variant_get (m->payload, "(u&s)", NULL, &command);
        bh_interaction_edit_command (view->interaction, view->doc, command, &result);
        apply_interaction (view, &result);
      }
      break;
    case BH_MSG_LocateNodes:
      bh_renderer_answer_locate_nodes (R.channel, view->doc, m->payload);
      break;
    case BH_MSG_SetPreloadScripts:
      g_clear_pointer (&view->preload_scripts, g_strfreev);
      g_variant_get (m->payload, "(u^as)", NULL, &view->preload_scripts);
      break;
    case BH_MSG_LocateNodesBy:
      bh_renderer_answer_locate_nodes_by (R.channel, view->doc, m->payload);
      break;
    case BH_MSG_QueryNode:
      {
        const char *what;

        bh_renderer_answer_query_node (R.channel, view->doc, m->payload);
        g_variant_get_child (m->payload, 3, "&s", &what);
        /* "clear" emptied a field: it is painted again. */
        if (view->doc != NULL && g_str_equal (what, "clear"))
          relayout_and_paint (view);
      }
      break;
    case BH_MSG_PrintToPdf:
      bh_renderer_answer_print_to_pdf (R.channel, view->doc, m->payload);
      /* Printing laid the document out for the page: back to the view's. */
      if (view->doc != NULL)
        relayout_and_paint (view);
      break;
    default:
      break;
    }
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* EOF or a reset is how the browser says goodbye (or died); anything else
   * means the browser broke the protocol, and is worth a line. */
  if (!g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED) &&
      !g_error_matches (error, BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_RESET))
    g_printerr ("renderer[%d]: channel ended: %s\n", getpid (), error->message);
  g_main_loop_quit (R.loop);
}

/* The encodings of the WHATWG Encoding standard (and ISO-8859-1, the
 * decoder's last fallback) that glibc's iconv keeps in modules of their own
 * (gconv), as iconv names them. UTF-8 is built in. */
static const char *const legacy_encodings[] = {
  "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253", "WINDOWS-1254", "WINDOWS-1255",
  "WINDOWS-1256", "WINDOWS-1257", "WINDOWS-1258", "CP874", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4",
  "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14",
  "ISO-8859-15", "ISO-8859-16", "KOI8-R", "KOI8-U", "MACINTOSH", "IBM866", "SHIFT_JIS", "EUC-JP",
  "ISO-2022-JP", "GBK", "GB18030", "BIG5", "EUC-KR", "UTF-16LE", "UTF-16BE",
};

/* What must be loaded before the sandbox closes the filesystem: fontconfig's
 * configuration and cache, the fonts the UA style uses, the image loaders.
 * Without namespaces nothing can be opened afterwards but font files, so
 * every legacy encoding's converter is loaded too (~16 ms cold, 1 ms warm),
 * and kept: glibc unloads a gconv module nobody holds. */

static void
warm_up_before_sandbox (const BhChildArgs *args)
{
  static GIConv converters[G_N_ELEMENTS (legacy_encodings)];

  bh_document_warm_up ();
  bh_renderer_script_start_engine ();
  if (!args->no_namespaces)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (legacy_encodings); i++)
    if (converters[i] == NULL)
      converters[i] = g_iconv_open ("UTF-8", legacy_encodings[i]);
}

static const BhChildStart renderer_start = {
  .role = "renderer",
  .policy = BH_SANDBOX_POLICY_RENDERER,
  .warm_up = warm_up_before_sandbox,
  .message = message_cb,
  .channel_error = error_cb,
};

int
main (int argc, char **argv)
{
  g_auto (BhChildArgs) args;
  g_autoptr (GError) error = NULL;
  int exit_code;

  /* --disable-javascript is the renderer's own: taken out before the common options. */
  R.javascript = TRUE;
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--disable-javascript"))
      {
        R.javascript = FALSE;
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        i--;
      }
  if (!bh_child_start (&renderer_start, &argc, &argv, &args, &R.channel, &exit_code, &error))
    {
      if (error != NULL)
        {
          g_autofree char *line = bh_child_format_failure ("renderer", error);

          g_printerr ("%s\n", line);
        }
      bh_script_shutdown ();
      return exit_code;
    }

  R.loop = g_main_loop_new (NULL, FALSE);
  R.views = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) view_free);
  R.requests = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) request_free);
  bh_renderer_fetch_init (R.channel, bh_renderer_script_fetch_realm_lookup);
  bh_renderer_storage_init (R.channel);
  g_main_loop_run (R.loop);

  g_hash_table_unref (R.views);
  g_hash_table_unref (R.requests);
  bh_script_shutdown ();
  g_clear_pointer (&R.channel, bh_channel_unref);
  g_main_loop_unref (R.loop);
  return 0;
}
