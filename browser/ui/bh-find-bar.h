/* bh-find-bar.h: a tab's find bar (Ctrl+F), over the top right of the page
 * as Chromium's is.
 *
 * A search entry, "3 of 17", previous and next, and close. What is typed
 * goes to the tab's renderer (bh_tab_interaction_find()), which finds,
 * highlights and scrolls; its answer ("find-reply") fills the count. Enter
 * or F3 steps to the next match, Shift+Enter or Shift+F3 to the previous one,
 * Escape closes the bar and the highlights go.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_FIND_BAR (bh_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (BhFindBar, bh_find_bar, BH, FIND_BAR, GtkWidget)

/**
 * bh_find_bar_new:
 * @tab: the tab it finds in; the bar keeps a reference
 *
 * Returns: (transfer floating): a hidden find bar.
 */
GtkWidget *bh_find_bar_new (BhTab *tab);

/**
 * bh_find_bar_open:
 *
 * Shows the bar and focuses its entry with its text selected (Ctrl+F again
 * selects what was typed); a query already there is found again.
 */
void bh_find_bar_open (BhFindBar *bar);

/**
 * bh_find_bar_close:
 *
 * Hides the bar; the page drops its highlights and keeps the active match
 * selected.
 */
void bh_find_bar_close (BhFindBar *bar);

/**
 * bh_find_bar_step:
 * @forward: to the next match, else the previous one
 *
 * F3 / Shift+F3: opens the bar if needed and steps through the matches.
 */
void bh_find_bar_step (BhFindBar *bar, gboolean forward);

/**
 * bh_find_bar_is_open:
 *
 * Returns: whether the bar is shown.
 */
gboolean bh_find_bar_is_open (BhFindBar *bar);

/**
 * bh_find_bar_get_count_text:
 *
 * Returns: (transfer none): what the bar shows of the count: "3 of 17",
 *   "0 of 0", or "" while nothing was looked for.
 */
const char *bh_find_bar_get_count_text (BhFindBar *bar);

G_END_DECLS
