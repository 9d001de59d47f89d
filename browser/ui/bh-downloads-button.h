/* bh-downloads-button.h: the window's downloads list (a button in the header
 * bar, shown from the first download on, with a popover listing each one:
 * its file name, progress, Cancel while it runs, and Open folder). */
#pragma once

#include <gtk/gtk.h>

#include "bh-download.h"

G_BEGIN_DECLS

#define BH_TYPE_DOWNLOADS_BUTTON (bh_downloads_button_get_type ())
G_DECLARE_FINAL_TYPE (BhDownloadsButton, bh_downloads_button, BH, DOWNLOADS_BUTTON, GtkWidget)

/**
 * bh_downloads_button_new:
 *
 * Returns: (transfer floating): a hidden downloads button.
 */
GtkWidget *bh_downloads_button_new (void);

/**
 * bh_downloads_button_add:
 * @download: (transfer none): a download that started; the list keeps a reference
 *
 * Shows the button, lists @download first and opens the list, as Chromium's
 * download bubble does.
 */
void bh_downloads_button_add (BhDownloadsButton *button, BhDownload *download);

/**
 * bh_downloads_button_get_status_text:
 * @index: 0 for the newest
 *
 * Returns: (transfer none) (nullable): what the row says of its progress
 *   ("Done, 12.3 kB", "Cancelled", "4.1 kB of 10.0 kB"), %NULL past the end.
 */
const char *bh_downloads_button_get_status_text (BhDownloadsButton *button, guint index);

G_END_DECLS
