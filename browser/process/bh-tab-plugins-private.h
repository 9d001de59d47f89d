/* bh-tab-plugins-private.h: how BhTab and the renderer host drive a tab's
 * plugin areas (bh-tab-plugins.h).
 *
 * The tab owns one BhTabPlugins for its life, tells it of commits, of the
 * viewport and of a lost renderer, and offers it every input event first.
 * The renderer host hands it the plugin boxes it has checked.
 */
#pragma once

#include "bh-process-manager.h"
#include "bh-tab-plugins.h"

G_BEGIN_DECLS

typedef struct _BhTabPlugins BhTabPlugins;

/**
 * bh_tab_plugins_new:
 * @tab: (transfer none): the owning tab, which outlives the result
 * @processes: (transfer none): where plugin hosts come from; the tab keeps
 *   it alive
 *
 * Returns: (transfer full): no areas yet.
 */
BhTabPlugins *bh_tab_plugins_new (BhTab *tab, BhProcessManager *processes);

/**
 * bh_tab_plugins_free:
 * @plugins: (nullable) (transfer full): destroys every instance and cancels
 *   every fetch
 */
void bh_tab_plugins_free (BhTabPlugins *plugins);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhTabPlugins, bh_tab_plugins_free)

/**
 * bh_tab_plugins_set_viewport:
 * @width_px: device px
 * @height_px: device px
 * @scale: device px per document px
 *
 * Boxes arrive in document px and instances are sized in device px; a
 * full-tab area fills the viewport and is resized with it.
 */
void bh_tab_plugins_set_viewport (BhTabPlugins *plugins, int width_px, int height_px, double scale);

/**
 * bh_tab_plugins_clear:
 *
 * Destroys every area: the document they belonged to is gone (a lost
 * renderer, a closed tab).
 */
void bh_tab_plugins_clear (BhTabPlugins *plugins);

/**
 * bh_tab_plugins_begin_full_tab:
 * @navigation_id: the navigation about to be committed
 * @url: its final URL
 * @plugin_type: the response's type, one bh_plugin_type_is_supported()
 * @body: (transfer none): the response's body, the plugin's data
 * @error: the data could not be put in a sealed memfd
 *
 * Prepares the full-tab plugin that bh_tab_plugins_did_commit() for
 * @navigation_id will show.
 *
 * Returns: (transfer full) (nullable): the HTML document to commit to the
 *   renderer instead of @body.
 */
GBytes *bh_tab_plugins_begin_full_tab (BhTabPlugins *plugins, guint64 navigation_id, const char *url,
                                       const char *plugin_type, GBytes *body, GError **error);

/**
 * bh_tab_plugins_did_commit:
 *
 * A new document is in the tab: the old areas go; a full-tab plugin prepared
 * for @navigation_id starts.
 */
void bh_tab_plugins_did_commit (BhTabPlugins *plugins, guint64 navigation_id);

/**
 * bh_tab_plugins_box_changed:
 * @box_id: the renderer's id of the box in the current document (>= 1)
 * @url: the absolute URL of src=/data=, "" when absent
 * @declared_type: type= as written, "" when absent
 * @x: the box's left edge, document px
 * @y: its top edge, document px from the top of the document
 * @width: document px, >= 0
 * @height: document px, >= 0
 *
 * From PluginBoxChanged, checked by the renderer host: a new box starts
 * loading; a known one moves or is resized (PluginResize); one whose URL or
 * type changed starts again. Ignored while a full-tab plugin fills the tab.
 */
void bh_tab_plugins_box_changed (BhTabPlugins *plugins, guint box_id, const char *url, const char *declared_type,
                                 int x, int y, int width, int height);

/**
 * bh_tab_plugins_box_removed:
 *
 * From PluginBoxRemoved: the area goes.
 */
void bh_tab_plugins_box_removed (BhTabPlugins *plugins, guint box_id);

/**
 * bh_tab_plugins_handle_mouse:
 * @kind: MouseEvent's kind: 0 move, 1 press, 2 release
 * @x_px: the pointer in the viewport, device px
 * @y_px: likewise
 *
 * Routes a pointer event: inside an area (or after a press in one, until the
 * release) it goes to that area's plugin in box-local px, or reloads a
 * crashed area on a primary press.
 *
 * Returns: %TRUE if an area took it; the renderer must not see it then.
 */
gboolean bh_tab_plugins_handle_mouse (BhTabPlugins *plugins, guint kind, double x_px, double y_px, guint button,
                                      guint modifiers);

/**
 * bh_tab_plugins_handle_scroll:
 * @dx_px: the wheel's movement in device px, as the page view sends it to the
 *   renderer (%BH_PLUGIN_WHEEL_STEP_PX logical px per notch)
 * @dy_px: likewise, +y down
 *
 * Returns: %TRUE if the pointer is over a running area, which took it (in
 *   PluginInput's unit, wheel steps).
 */
gboolean bh_tab_plugins_handle_scroll (BhTabPlugins *plugins, double dx_px, double dy_px);

/**
 * bh_tab_plugins_handle_key:
 *
 * Returns: %TRUE if the pointer is over a running area (or a full-tab plugin
 *   fills the tab), which took the key.
 */
gboolean bh_tab_plugins_handle_key (BhTabPlugins *plugins, guint keyval, guint modifiers);

/* BhPageView's wheel step (BH_PAGE_VIEW_WHEEL_STEP_PX), which GTK-free code
 * cannot include: the px of one notch, undone for PluginInput's steps. */
#define BH_PLUGIN_WHEEL_STEP_PX 50.0

G_END_DECLS
