/* bh-tab-page.h: everything a window shows for one tab, below the tab strip.
 *
 * The page view with its scrollbar; in its place the sad tab when the tab's
 * renderer is gone; over it a "Page Unresponsive" dialog while the hang
 * monitor says so (Chromium's hung renderer dialog, Wait / Exit page).
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-page-view.h"
#include "bh-find-bar.h"
#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_TAB_PAGE (bh_tab_page_get_type ())
G_DECLARE_FINAL_TYPE (BhTabPage, bh_tab_page, BH, TAB_PAGE, GtkWidget)

/*
 * Properties:
 *   "tab"  BhTab  the tab shown (construct-only)
 *
 * Signals:
 *   "hang-wait" ()  the user chose Wait in the unresponsive dialog; the
 *                   dialog hides until the tab becomes unresponsive again.
 *   "hang-kill" ()  the user chose to exit the unresponsive page.
 *   The window passes both on with the tab (BhWindow "hang-wait" /
 *   "hang-kill"); the page does nothing else with them.
 */

/**
 * bh_tab_page_new:
 * @tab: the tab to show
 *
 * Returns: (transfer full): a new tab page holding a reference on @tab.
 */
GtkWidget *bh_tab_page_new (BhTab *tab);

/**
 * bh_tab_page_get_tab:
 *
 * Returns: (transfer none): the tab shown.
 */
BhTab *bh_tab_page_get_tab (BhTabPage *self);

/**
 * bh_tab_page_get_page_view:
 *
 * Returns: (transfer none): the page view, to focus it.
 */
BhPageView *bh_tab_page_get_page_view (BhTabPage *self);

/**
 * bh_tab_page_is_showing_sad_tab:
 *
 * Returns: %TRUE when the sad tab is shown in place of the page.
 */
gboolean bh_tab_page_is_showing_sad_tab (BhTabPage *self);

/**
 * bh_tab_page_is_showing_hang_dialog:
 *
 * Returns: %TRUE when the "Page Unresponsive" dialog is up.
 */
gboolean bh_tab_page_is_showing_hang_dialog (BhTabPage *self);

/**
 * bh_tab_page_get_find_bar:
 *
 * Returns: (transfer none): the tab's find bar, hidden until Ctrl+F.
 */
BhFindBar *bh_tab_page_get_find_bar (BhTabPage *self);

G_END_DECLS
