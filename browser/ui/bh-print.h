/* bh-print.h: printing a tab (Ctrl+P), as Chromium and Firefox on Linux do:
 * the GTK print dialog picks the printer and the paper, the tab's renderer
 * prints its document into a PDF for that paper (PrintToPdf, PdfPrinted, as
 * for browsingContext.print: bh_renderer_host_print_to_pdf()), and a
 * GtkPrintJob sends that PDF, unread by the browser, to the printer, or to
 * the file "Print to File" names. */
#pragma once

#include <gtk/gtk.h>

#include "bh-tab.h"

G_BEGIN_DECLS

/**
 * bh_print_tab:
 * @parent: the window the dialog belongs to
 * @tab: the tab to print; printing does nothing without its renderer
 *
 * Opens the print dialog (the printer, the paper and the settings chosen
 * last time, for the application's life); Print sends the job. A failure is
 * logged.
 */
void bh_print_tab (GtkWindow *parent, BhTab *tab);

G_END_DECLS
