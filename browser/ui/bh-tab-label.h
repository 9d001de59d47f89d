/* bh-tab-label.h: a tab's handle in the tab strip.
 *
 * The title (ellipsized, the full one in the tooltip), a spinner while the
 * tab loads, a sad icon when its renderer is gone, and a close button.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_TAB_LABEL (bh_tab_label_get_type ())
G_DECLARE_FINAL_TYPE (BhTabLabel, bh_tab_label, BH, TAB_LABEL, GtkWidget)

/*
 * Properties:
 *   "tab"  BhTab  the tab labelled (read/write, nullable)
 *
 * Signals:
 *   "close-clicked" ()  the close button or a middle click asks to close the
 *                       tab; the window does it.
 */

/**
 * bh_tab_label_new:
 * @tab: (nullable): the tab to label
 *
 * Returns: (transfer full): a new tab label.
 */
GtkWidget *bh_tab_label_new (BhTab *tab);

/**
 * bh_tab_label_set_tab:
 * @tab: (nullable) (transfer none): the tab; the label holds a reference
 */
void bh_tab_label_set_tab (BhTabLabel *self, BhTab *tab);

/**
 * bh_tab_label_get_tab:
 *
 * Returns: (transfer none) (nullable): the tab labelled.
 */
BhTab *bh_tab_label_get_tab (BhTabLabel *self);

/**
 * bh_tab_label_set_title_width:
 * @width_px: the width of the title, logical px
 *
 * GtkNotebook sizes a tab by its label's minimum width, so the window sets
 * it for all tabs alike: equal tabs that share the strip, as in Chromium.
 */
void bh_tab_label_set_title_width (BhTabLabel *self, int width_px);

/**
 * bh_tab_label_get_chrome_width:
 * @with_close_button: whether to count the close button
 *
 * Returns: how much wider than its title the whole tab is (the notebook's
 *   padding and border around the label, the icon, spacing and, if asked,
 *   the close button), logical px, measured.
 */
int bh_tab_label_get_chrome_width (BhTabLabel *self, gboolean with_close_button);

/**
 * bh_tab_label_get_min_title_width:
 *
 * Returns: the narrowest the title can be (an ellipsis), logical px.
 */
int bh_tab_label_get_min_title_width (BhTabLabel *self);

/**
 * bh_tab_label_set_close_button_visible:
 *
 * Narrow tabs show their close button only on the current tab, as in
 * Chromium; the window decides.
 */
void bh_tab_label_set_close_button_visible (BhTabLabel *self, gboolean visible);

G_END_DECLS
