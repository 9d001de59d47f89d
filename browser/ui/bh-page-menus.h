/* bh-page-menus.h: what the browser shows over a page for its renderer,
 * as Chromium's browser process does: a <select>'s options in a popover
 * (ShowPopupMenu, the choice sent back with PopupMenuClosed), the context
 * menu of a right-click (ShowContextMenu: a GtkPopoverMenu), and the title=
 * under the pointer as the page view's tooltip (TooltipChanged).
 *
 * The renderer says what is there; everything shown is built here from
 * those checked values (bh-renderer-host-input.c). The menu's items are
 * actions: "win.*" of the window (back, forward, reload, open-in-new-tab,
 * print, view-source) and "page.*" that this file puts on the page view
 * (copy-text, cut, paste, select-all, save-image).
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

/**
 * bh_page_menus_init:
 * @page_view: the page view, which the popovers point at
 *
 * Puts the "page" actions on @page_view. Once, at its construction.
 */
void bh_page_menus_init (GtkWidget *page_view);

/**
 * bh_page_menus_set_tab:
 * @page_view: the page view
 * @tab: (nullable): the tab it shows now
 *
 * Shows @tab's popups, context menus and tooltips over @page_view; what was
 * open for the previous tab closes. The handlers are connected with
 * @page_view as their data.
 */
void bh_page_menus_set_tab (GtkWidget *page_view, BhTab *tab);

/**
 * bh_page_menus_paste:
 * @page_view: the page view
 *
 * Paste (Ctrl+V, Shift+Insert, the menu's Paste): reads the clipboard's text
 * and hands it to the tab's focused field (bh_tab_interaction_insert_text()).
 */
void bh_page_menus_paste (GtkWidget *page_view);

/**
 * bh_page_menus_present:
 *
 * Places the open popover: from the page view's size_allocate.
 */
void bh_page_menus_present (GtkWidget *page_view);

G_END_DECLS
