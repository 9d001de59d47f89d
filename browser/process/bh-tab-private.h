/* bh-tab-private.h: how a renderer host reports to the tabs it serves.
 *
 * Every call here carries data the host has already checked against what the
 * browser sent (view, navigation id, URL, buffer); the tab still ignores
 * messages of a navigation it has since left.
 */
#pragma once

#include <gdk/gdk.h>

#include "bh-renderer-host.h"
#include "bh-tab-plugins-private.h"
#include "bh-tab.h"

G_BEGIN_DECLS

/**
 * bh_tab_get_plugins:
 *
 * Returns: (transfer none) (nullable): the tab's plugin areas, where the
 *   renderer host sends the plugin boxes it checked; %NULL once disposed.
 */
BhTabPlugins *bh_tab_get_plugins (BhTab *tab);

void bh_tab_renderer_did_commit_navigation (BhTab *tab, guint64 navigation_id, const char *url);
void bh_tab_renderer_title_changed (BhTab *tab, guint64 navigation_id, const char *title);
void bh_tab_renderer_load_progress (BhTab *tab, guint64 navigation_id, double progress);
void bh_tab_renderer_did_finish_load (BhTab *tab, guint64 navigation_id);
void bh_tab_renderer_document_size (BhTab *tab, guint64 navigation_id, guint width_px,
                                    guint height_px);
void bh_tab_renderer_open_url (BhTab *tab, const char *url, BhDisposition disposition);
void bh_tab_renderer_hover_changed (BhTab *tab, const char *url, guint cursor);

/**
 * bh_tab_renderer_body_flow:
 * @navigation_id: the navigation whose body is streaming
 * @wants_more: %FALSE: more than a ring's worth waits for the renderer, pause
 *   the fetch; %TRUE: read on
 */
void bh_tab_renderer_body_flow (BhTab *tab, guint64 navigation_id, gboolean wants_more);

/**
 * bh_tab_renderer_body_refused:
 * @navigation_id: the navigation whose body was streaming
 *
 * The renderer closed the body's pipe before its end: stop fetching it.
 */
void bh_tab_renderer_body_refused (BhTab *tab, guint64 navigation_id);

/**
 * bh_tab_renderer_frame_ready:
 * @frame: (transfer none): the new frame; the tab keeps a reference while it
 *   shows it, and dropping the last one releases the buffer to the renderer
 */
void bh_tab_renderer_frame_ready (BhTab *tab, GdkTexture *frame, int scroll_y_px,
                                  guint document_height_px);

/**
 * bh_tab_renderer_gone:
 * @host: the renderer that served the tab, now dead or killed
 * @status: how it ended
 * @message: the plain-words reason for "status-message"
 *
 * The host has already forgotten the tab's view.
 */
void bh_tab_renderer_gone (BhTab *tab, BhRendererHost *host, BhTerminationStatus status,
                           const char *message);

/**
 * bh_tab_renderer_unresponsive:
 * @host: the renderer serving the tab
 * @unresponsive: what its hang monitor says now
 * @message: the plain-words reason for "status-message"
 *
 * Enters %BH_TAB_STATE_UNRESPONSIVE from loading or complete, or leaves it
 * for whichever of the two applies; a sad tab stays sad.
 */
void bh_tab_renderer_unresponsive (BhTab *tab, BhRendererHost *host, gboolean unresponsive,
                                   const char *message);

G_END_DECLS
