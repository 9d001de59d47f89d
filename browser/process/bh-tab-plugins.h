/* bh-tab-plugins.h: the plugin areas of a tab, composited over its frame.
 *
 * A renderer reports where its document's <embed>/<object> boxes are
 * (PluginBoxChanged, document px) and paints a grey placeholder there. The
 * browser fetches each box's URL itself (the network is the browser's),
 * picks the plugin by the response's Content-Type (falling back to the
 * box's type= when the server gives none), and creates an instance sized to
 * the box in the one plugin host of that type (bh-plugin-host.h). Renderers
 * never talk to plugin hosts: the browser is the hub, as in Chromium.
 *
 * The plugin's frames are GdkMemoryTextures straight over the plugin host's
 * shared bitmaps. Whoever shows the tab draws them over the tab's frame at
 * the boxes' places, minus the current scroll, clipped to the viewport:
 * BhPageView on screen, bh_tab_snapshot() for --headless screenshots and the
 * automation server. Input inside a box (pointer, wheel, and keys while the
 * pointer is over it) goes to the plugin instead of the renderer
 * (bh_tab_send_mouse() and friends route it).
 *
 * Full-tab plugins: a navigation whose response is a plugin type (Chromium's
 * PDF viewer) commits a small generated document to the renderer of the URL's
 * site, <embed src=URL type=TYPE> on the viewer's grey, and the browser gives
 * that one plugin area the whole viewport, whatever box the renderer reports
 * for it; it follows the viewport's size. The data already fetched for the
 * navigation is the plugin's: it is not fetched again.
 *
 * When a plugin host dies, every area it served, in every tab, shows "Plugin
 * crashed" (or "Plugin stopped: REASON" after a bad message) on a grey box;
 * a click there, or bh_tab_reload_plugin(), creates the instance again in a
 * fresh plugin host from the same sealed data. The page around it is not
 * touched.
 */
#pragma once

#include <gdk/gdk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

/* Where a plugin area is. */
typedef enum {
  BH_PLUGIN_AREA_LOADING, /* fetching, or waiting for the plugin's first frame */
  BH_PLUGIN_AREA_RUNNING, /* showing the plugin's frames */
  BH_PLUGIN_AREA_ERROR,   /* the plugin could not show the data (PluginError); its
                           * frames say why, and the plugin host lives on */
  BH_PLUGIN_AREA_FAILED,  /* the browser could not start it: no such plugin, a network
                           * error, a blocked URL, a plugin host that would not start */
  BH_PLUGIN_AREA_CRASHED, /* its plugin host died or was stopped */
} BhPluginAreaState;

GType bh_plugin_area_state_get_type (void);
#define BH_TYPE_PLUGIN_AREA_STATE (bh_plugin_area_state_get_type ())

/**
 * bh_plugin_area_state_to_string:
 *
 * Returns: (transfer none): "loading", "running", "error", "failed" or "crashed".
 */
const char *bh_plugin_area_state_to_string (BhPluginAreaState state);

/**
 * BhPluginFrame:
 * @area_id: the area's id, unique in the tab (for bh_tab_reload_plugin())
 * @url: the plugin content's URL
 * @plugin_type: the MIME type chosen, "" while unknown
 * @state: where the area is
 * @x_px: the area's left edge in the viewport, device px (may be negative or
 *   beyond the viewport: clip to it)
 * @y_px: its top edge, device px, scroll already taken off
 * @width_px: its width, device px
 * @height_px: its height, device px
 * @texture: (nullable): what to draw at (@x_px, @y_px) at its own size,
 *   clipped to the area: the plugin's latest frame (over the plugin host's
 *   shared memory), or the placeholder of a crashed or failed area; %NULL
 *   while loading (the renderer's grey box shows)
 * @message: (nullable): the placeholder's text, or the plugin's error message
 * @can_reload: a click in the area reloads it (crashed or failed areas)
 * @full_tab: the area is a full-tab plugin (it fills the viewport)
 * @host_pid: the plugin host serving it, 0 when none
 * @first_frame_latency_us: from the box report (or, full-tab, the commit) to
 *   the first PluginFrameReady, in µs; 0 before it
 *
 * One plugin area as it is to be drawn now. Owns its strings and a
 * reference on @texture.
 */
typedef struct {
  guint area_id;
  char *url;
  char *plugin_type;
  BhPluginAreaState state;
  int x_px;
  int y_px;
  int width_px;
  int height_px;
  GdkTexture *texture;
  char *message;
  gboolean can_reload;
  gboolean full_tab;
  int host_pid;
  gint64 first_frame_latency_us;
} BhPluginFrame;

/**
 * bh_plugin_frame_free:
 * @frame: (nullable) (transfer full): a frame
 */
void bh_plugin_frame_free (BhPluginFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhPluginFrame, bh_plugin_frame_free)

/**
 * bh_tab_get_plugin_frames:
 *
 * The tab's plugin areas, in document order, as they are to be composited
 * over bh_tab_get_frame() now (positions follow the tab's "scroll-y").
 * "frame-changed" is emitted whenever one of them changes.
 *
 * Returns: (transfer container) (element-type BhPluginFrame): the areas; the
 *   array frees them.
 */
GPtrArray *bh_tab_get_plugin_frames (BhTab *tab);

/**
 * bh_tab_has_pending_plugins:
 *
 * Returns: %TRUE while an area of the current document is still loading:
 *   fetching, or waiting for its plugin's first frame. A screenshot taken
 *   now would show a grey box where the plugin goes.
 */
gboolean bh_tab_has_pending_plugins (BhTab *tab);

/**
 * bh_tab_reload_plugin:
 * @area_id: a #BhPluginFrame's @area_id
 *
 * Creates the area's instance again, in the live plugin host of its type or
 * a new one, from the data already fetched (or fetches it again if there is
 * none): what a click on "Plugin crashed" does.
 *
 * Returns: %TRUE if the area exists.
 */
gboolean bh_tab_reload_plugin (BhTab *tab, guint area_id);

/**
 * bh_tab_snapshot:
 *
 * The tab's frame with its plugin areas composited over it, in a new image
 * (the only copy of the pixels the browser makes: for screenshots).
 *
 * Returns: (transfer full) (nullable): a #GdkMemoryTexture of the frame's
 *   size, or %NULL when the tab has no frame.
 */
GdkTexture *bh_tab_snapshot (BhTab *tab);

/**
 * bh_tab_snapshot_to_png:
 * @error: %G_IO_ERROR_NOT_FOUND when the tab has no frame (nothing painted
 *   yet, or its renderer is gone), %G_IO_ERROR_FAILED if encoding failed
 *
 * bh_tab_snapshot() as PNG: what --headless --screenshot writes and the
 * automation server's browsingContext.captureScreenshot returns.
 *
 * Returns: (transfer full) (nullable): the PNG file's bytes.
 */
GBytes *bh_tab_snapshot_to_png (BhTab *tab, GError **error);

G_END_DECLS
