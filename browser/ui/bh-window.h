/* bh-window.h: a browser window: toolbar, tab strip, pages, status bar.
 *
 * Each tab is a BhTab (bh-tab.h) shown by a BhTabPage. The window owns the
 * tabs it shows: closing a tab calls bh_tab_close(), closing the last tab
 * closes the window, and closing the window closes its tabs.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-browser.h"
#include "bh-location-bar.h"
#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_WINDOW (bh_window_get_type ())
G_DECLARE_FINAL_TYPE (BhWindow, bh_window, BH, WINDOW, GtkApplicationWindow)

/*
 * Window actions (accelerators are set by BhApplication):
 *   win.back, win.forward, win.reload, win.stop, win.new-tab, win.close-tab,
 *   win.focus-location, win.next-tab, win.previous-tab
 *
 * Signals:
 *   "hang-wait" (BhTab *tab)  Wait was chosen in @tab's "Page Unresponsive"
 *                             dialog: the hang monitor should give the
 *                             renderer more time.
 *   "hang-kill" (BhTab *tab)  "Exit page" was chosen: the renderer serving
 *                             @tab should be ended (as Chromium's hung
 *                             renderer dialog does, with RESULT_CODE_HUNG).
 *   The window itself does nothing more on either; the hang monitor connects
 *   to them.
 */

/**
 * bh_window_new:
 * @application: the application the window joins
 * @browser: the browser that makes the window's new tabs; the window keeps a
 *   reference
 *
 * Returns: (transfer none): a new window with no tab, added to @application.
 *   Open tabs in it before presenting it.
 */
BhWindow *bh_window_new (GtkApplication *application, BhBrowser *browser);

/**
 * bh_window_open_url:
 * @url: what to load: an absolute URL, or user input as typed in the URL
 *   entry (bh_tab_navigate_to_user_input())
 * @position: where to insert the tab, -1 for the end
 * @select: whether the new tab becomes the current one
 *
 * Opens a new tab in the window and navigates it.
 *
 * Returns: (transfer none): the new tab.
 */
BhTab *bh_window_open_url (BhWindow *self, const char *url, int position, gboolean select);

/**
 * bh_window_add_tab:
 * @tab: (transfer none): a tab no other window shows
 * @position: where to insert it, -1 for the end
 * @select: whether it becomes the current tab
 *
 * Shows @tab in the window; the window holds a reference until the tab is
 * closed.
 */
void bh_window_add_tab (BhWindow *self, BhTab *tab, int position, gboolean select);

/**
 * bh_window_close_tab:
 * @tab: a tab of this window
 *
 * Removes @tab and calls bh_tab_close() on it. Closing the last tab closes
 * (destroys) the window.
 */
void bh_window_close_tab (BhWindow *self, BhTab *tab);

/**
 * bh_window_get_current_tab:
 *
 * Returns: (transfer none) (nullable): the tab shown, %NULL when there is
 *   none.
 */
BhTab *bh_window_get_current_tab (BhWindow *self);

/**
 * bh_window_get_n_tabs:
 *
 * Returns: how many tabs the window has.
 */
guint bh_window_get_n_tabs (BhWindow *self);

/**
 * bh_window_get_tab:
 * @index: 0-based position in the tab strip
 *
 * Returns: (transfer none) (nullable): the tab at @index.
 */
BhTab *bh_window_get_tab (BhWindow *self, guint index);

/**
 * bh_window_get_tab_page:
 * @tab: a tab of this window
 *
 * Returns: (transfer none) (nullable): the BhTabPage showing @tab.
 */
GtkWidget *bh_window_get_tab_page (BhWindow *self, BhTab *tab);

/**
 * bh_window_show_certificate_warning:
 *
 * Shows, for good, the bar saying that --ignore-certificate-errors is on.
 */
void bh_window_show_certificate_warning (BhWindow *self);

/**
 * bh_window_get_location_bar:
 *
 * Returns: (transfer none): the address bar's suggestions and star
 *   (bh-location-bar.h), for tests.
 */
BhLocationBar *bh_window_get_location_bar (BhWindow *self);

/**
 * bh_window_set_sandbox_warning_visible:
 * @visible: whether to show the "--no-sandbox" warning bar
 *
 * Chromium shows the same kind of bar ("You are using an unsupported
 * command-line flag: --no-sandbox") for as long as the flag is in force.
 */
void bh_window_set_sandbox_warning_visible (BhWindow *self, gboolean visible);

/**
 * bh_window_get_downloads_button:
 *
 * Returns: (transfer none): the window's downloads list.
 */
GtkWidget *bh_window_get_downloads_button (BhWindow *self);

G_END_DECLS
