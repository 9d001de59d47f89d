/* bh-sad-tab.h: what a tab shows when its renderer is gone.
 *
 * Drawn by GTK alone, with no renderer: the failed tab has none. Chromium's
 * "Aw, Snap!" page (chrome/browser/ui/sad_tab.cc) is the model: a headline,
 * what happened in plain words, and a Reload button that starts a new
 * renderer.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_SAD_TAB (bh_sad_tab_get_type ())
G_DECLARE_FINAL_TYPE (BhSadTab, bh_sad_tab, BH, SAD_TAB, GtkWidget)

/*
 * Properties:
 *   "tab"  BhTab  the failed tab (read/write, nullable); the page follows its
 *                 "state" and "status-message", and Reload calls
 *                 bh_tab_reload() on it.
 */

/**
 * bh_sad_tab_new:
 * @tab: (nullable): the tab whose failure to show
 *
 * Returns: (transfer full): a new sad tab page.
 */
GtkWidget *bh_sad_tab_new (BhTab *tab);

/**
 * bh_sad_tab_set_tab:
 * @tab: (nullable) (transfer none): the tab; the page holds a reference
 */
void bh_sad_tab_set_tab (BhSadTab *self, BhTab *tab);

/**
 * bh_sad_tab_get_tab:
 *
 * Returns: (transfer none) (nullable): the tab.
 */
BhTab *bh_sad_tab_get_tab (BhSadTab *self);

/**
 * bh_sad_tab_is_sad_state:
 * @state: a tab state
 *
 * Whether @state leaves the tab without a renderer, so that it shows the sad
 * tab: crashed, killed, oom, bad-message and launch-failed. "unresponsive" is
 * not one: the renderer is still there and may recover.
 *
 * Returns: %TRUE for the failed states.
 */
gboolean bh_sad_tab_is_sad_state (BhTabState state);

G_END_DECLS
