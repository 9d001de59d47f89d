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

G_END_DECLS
