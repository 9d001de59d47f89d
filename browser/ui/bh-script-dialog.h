/* bh-script-dialog.h: a page's alert(), confirm() and prompt() as GTK dialogs. */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

/**
 * bh_script_dialog_attach:
 * @page: the widget that shows @tab; the dialogs are modal to its window, and
 *   the connection ends with it
 * @tab: the tab whose "script-dialog" it answers
 *
 * Shows each dialog the tab's page opens (bh-tab-script.h) as a modal window
 * titled with the page's site, as Chromium does ("SITE says"), and answers it
 * with bh_tab_answer_script_dialog() when the user closes it. The renderer
 * waits meanwhile; the hang monitor does not count the wait.
 */
void bh_script_dialog_attach (GtkWidget *page, BhTab *tab);

G_END_DECLS
