/* bh-renderer-host-private.h: what BhBrowser and BhTab use of a renderer host.
 *
 * The tab asks for a view and commits navigations into it; the host calls
 * the tab back (bh-tab-private.h) only with messages it has checked.
 */
#pragma once

#include <gdk/gdk.h>

#include "bh-message.h"
#include "bh-renderer-host.h"
#include "bh-tab.h"

G_BEGIN_DECLS

/* How long a renderer with no view left is kept for a tab that may come back
 * to its site, before its channel is closed (Chromium keeps a spare a while too). */
#define BH_RENDERER_IDLE_GRACE_MS 1000u
/* A renderer started ahead of its navigation's response (bh-tab.c) that
 * never gets a view exits after this. */
#define BH_RENDERER_SPARE_GRACE_MS 10000u

/**
 * bh_renderer_host_new:
 * @browser: the browser; the host keeps a reference until it is finalized
 * @site: the site this renderer will be locked to
 *
 * Returns: (transfer full): a host; call bh_renderer_host_launch().
 */
BhRendererHost *bh_renderer_host_new (BhBrowser *browser, const char *site);

/**
 * bh_renderer_host_launch:
 * @error: why it could not be spawned
 *
 * Spawns the renderer (through the launcher, sandboxed unless --no-sandbox)
 * with its end of a new channel as fd 3. On failure the host is dead with
 * %BH_TERMINATION_STATUS_LAUNCH_FAILED.
 */
gboolean bh_renderer_host_launch (BhRendererHost *host, GError **error);

/**
 * bh_renderer_host_is_closing:
 *
 * Returns: %TRUE once the host is dead or has closed its idle channel: no new
 *   view may go to it.
 */
gboolean bh_renderer_host_is_closing (BhRendererHost *host);

/**
 * bh_renderer_host_close:
 *
 * Closes the channel (the renderer exits on EOF) without a termination
 * being shown anywhere: for shutdown and the idle grace period.
 */
void bh_renderer_host_close (BhRendererHost *host);

/**
 * bh_renderer_host_create_view:
 * @tab: (transfer none): the tab; it must call bh_renderer_host_destroy_view()
 *   before it goes
 *
 * Picks a view id unique in this renderer and sends CreateView.
 *
 * Returns: the view id (never 0).
 */
guint bh_renderer_host_create_view (BhRendererHost *host, BhTab *tab, guint width_px,
                                    guint height_px, double scale);

/**
 * bh_renderer_host_destroy_view:
 *
 * Sends DestroyView, forgets the view's buffers (a frame still shown keeps
 * its mapping until GTK lets go of it) and starts the idle grace period when
 * it was the last view.
 */
void bh_renderer_host_destroy_view (BhRendererHost *host, guint view_id);

/**
 * bh_renderer_host_commit_navigation:
 * @navigation_id: unique in the browser
 * @url: the final URL; DidCommitNavigation must name exactly this
 * @content_type: (nullable): MIME type without parameters
 * @charset: (nullable): from the Content-Type, or ""
 * @error: a failure to create the data pipe
 *
 * Sends CommitNavigation with a new data pipe (bh-data-pipe.h) for the body,
 * as Chromium commits at the response's headers: the body follows with
 * bh_renderer_host_push_body() and ends with bh_renderer_host_end_body().
 * The view's earlier body, if still streaming, is dropped. The renderer's
 * side of the pipe is checked on every write: positions it was not given
 * are a bad message.
 */
gboolean bh_renderer_host_commit_navigation (BhRendererHost *host, guint view_id,
                                             guint64 navigation_id, const char *url,
                                             const char *content_type, const char *charset,
                                             GError **error);

/**
 * bh_renderer_host_push_body:
 * @navigation_id: the navigation committed last to the view; an older one's
 *   bytes are dropped
 * @chunk: (transfer none): the next bytes
 *
 * Queues bytes of the body; when more than the ring's worth waits, the tab
 * is asked to pause its fetch (bh_tab_renderer_body_flow()).
 */
void bh_renderer_host_push_body (BhRendererHost *host, guint view_id, guint64 navigation_id, GBytes *chunk);

/**
 * bh_renderer_host_end_body:
 * @complete: %FALSE when the body ends incomplete (the renderer then shows
 *   what it has)
 */
void bh_renderer_host_end_body (BhRendererHost *host, guint view_id, guint64 navigation_id, gboolean complete);

void bh_renderer_host_resize_view (BhRendererHost *host, guint view_id, guint width_px,
                                   guint height_px, double scale);

/**
 * bh_renderer_host_send_input:
 * @type: BH_MSG_MouseEvent, ScrollEvent, KeyEvent, ScrollTo or FocusChanged
 * @payload: (transfer floating): of the catalogue's type, view id first
 *
 * Sends an input event and remembers its serial until InputEventAck.
 */
void bh_renderer_host_send_input (BhRendererHost *host, guint view_id, BhMessageType type,
                                  GVariant *payload);

/**
 * bh_renderer_host_has_visible_view:
 *
 * Returns: %TRUE when one of the tabs this renderer serves is visible
 *   (bh_tab_is_visible()): the hang monitor pings it only then.
 */
gboolean bh_renderer_host_has_visible_view (BhRendererHost *host);

/**
 * bh_renderer_host_view_visibility_changed:
 *
 * A tab it serves was shown or hidden: the hang monitor starts or stops
 * watching.
 */
void bh_renderer_host_view_visibility_changed (BhRendererHost *host);

G_END_DECLS
