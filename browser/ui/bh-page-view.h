/* bh-page-view.h: the widget that shows a tab's frame and feeds it input.
 *
 * The pixels are the renderer's: BhPageView snapshots bh_tab_get_frame() (a
 * GdkMemoryTexture over the renderer's shared memory) and never copies them;
 * the tab's plugin areas (bh_tab_get_plugin_frames(), textures over the
 * plugin hosts' shared memory) are composited over it at their boxes.
 * Pointer, wheel, key and focus events go to the tab in device pixels; the
 * widget's size becomes the tab's viewport.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

/* Scroll distance of one wheel notch, in logical px: about what Chromium
 * scrolls per notch on Linux (53 px, kWheelScrollAmount). */
#define BH_PAGE_VIEW_WHEEL_STEP_PX 50.0

#define BH_TYPE_PAGE_VIEW (bh_page_view_get_type ())
G_DECLARE_FINAL_TYPE (BhPageView, bh_page_view, BH, PAGE_VIEW, GtkWidget)

/*
 * Properties:
 *   "tab"          BhTab          the tab shown (read/write, nullable)
 *   "vadjustment"  GtkAdjustment  mirrors the tab's "document-height" and
 *                                 "scroll-y" (device px); a page size of the
 *                                 viewport's height. Moving it scrolls the tab
 *                                 (bh_tab_scroll_to). Share it with a
 *                                 GtkScrollbar.
 *   "hadjustment"  GtkAdjustment  (nullable) the same sideways: the tab's
 *                                 "document-width" and "scroll-x"; moving it
 *                                 scrolls the tab (bh_tab_scroll_to_x)
 */

/**
 * bh_page_view_new:
 * @tab: (nullable): the tab to show
 *
 * Returns: (transfer full): a new page view.
 */
GtkWidget *bh_page_view_new (BhTab *tab);

/**
 * bh_page_view_set_tab:
 * @tab: (nullable) (transfer none): the tab to show; the view holds a
 *   reference
 *
 * Shows @tab's frames from now on and sends it the view's size at once if
 * the view is allocated.
 */
void bh_page_view_set_tab (BhPageView *self, BhTab *tab);

/**
 * bh_page_view_get_tab:
 *
 * Returns: (transfer none) (nullable): the tab shown.
 */
BhTab *bh_page_view_get_tab (BhPageView *self);

/**
 * bh_page_view_set_vadjustment:
 * @adjustment: (nullable) (transfer none): the adjustment to drive, or %NULL
 *   for a private one
 */
void bh_page_view_set_vadjustment (BhPageView *self, GtkAdjustment *adjustment);

/**
 * bh_page_view_get_vadjustment:
 *
 * Returns: (transfer none): the vertical adjustment, never %NULL.
 */
GtkAdjustment *bh_page_view_get_vadjustment (BhPageView *self);

/**
 * bh_page_view_set_hadjustment:
 * @adjustment: (nullable): the horizontal scrollbar's adjustment
 *
 * Content wider than the viewport then scrolls sideways with it.
 */
void bh_page_view_set_hadjustment (BhPageView *self, GtkAdjustment *adjustment);

G_END_DECLS
