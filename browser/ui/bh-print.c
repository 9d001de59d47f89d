/* bh-print.c: printing a tab (bh-print.h). */
#include "bh-print.h"

#include <gtk/gtkunixprint.h>
#include <unistd.h>

#include "bh-renderer-host.h"
#include "bh-shm.h"

/* What the dialog chose last, for the next one (the application's life). */
static GtkPrintSettings *last_settings;
static GtkPageSetup *last_page_setup;

typedef struct {
  BhTab *tab;               /* a reference */
  GtkPrinter *printer;      /* a reference */
  GtkPrintSettings *settings;
  GtkPageSetup *page_setup;
} PrintJob;

static void
print_job_free (PrintJob *print)
{
  g_clear_object (&print->tab);
  g_clear_object (&print->printer);
  g_clear_object (&print->settings);
  g_clear_object (&print->page_setup);
  g_free (print);
}

/* The job is over: its PDF's fd (which GTK reads but does not own) closes. */
static void
job_sent_cb (GtkPrintJob *job, gpointer data, const GError *error)
{
  if (error != NULL)
    g_warning ("printing \"%s\" failed: %s", gtk_print_job_get_title (job), error->message);
  close (GPOINTER_TO_INT (data));
  g_object_unref (job);
}

/* The renderer's PDF goes to the printer as it is: the browser never parses
 * it (it is the renderer's data), the print backend (CUPS, or the file
 * printer's copy) takes a PDF. */
static void
pdf_printed_cb (GBytes *pdf, guint pages, const GError *print_error, gpointer data)
{
  PrintJob *print = data;
  g_autoptr (GtkPrintJob) job = NULL;
  g_autoptr (GError) error = NULL;
  const char *title;
  int fd;

  if (pdf == NULL)
    {
      g_warning ("%s could not be printed: %s", bh_tab_get_uri (print->tab),
                 print_error != NULL ? print_error->message : "its renderer made no PDF of it");
      return;
    }
  title = bh_tab_get_title (print->tab);
  job = gtk_print_job_new (title != NULL && *title != '\0' ? title : bh_tab_get_uri (print->tab), print->printer,
                           print->settings, print->page_setup);
  fd = bh_blob_new (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), "bulkhead-print-job", &error);
  if (fd < 0 || !gtk_print_job_set_source_fd (job, fd, &error))
    {
      g_warning ("%s could not be printed: %s", bh_tab_get_uri (print->tab), error->message);
      if (fd >= 0)
        close (fd);
      return;
    }
  /* The job reads the fd as it sends: it stays open, and the job alive, until done. */
  gtk_print_job_send (g_steal_pointer (&job), job_sent_cb, GINT_TO_POINTER (fd), NULL);
}

static void
dialog_response_cb (GtkDialog *dialog, int response, BhTab *tab)
{
  GtkPrintUnixDialog *print_dialog = GTK_PRINT_UNIX_DIALOG (dialog);
  GtkPrinter *printer = gtk_print_unix_dialog_get_selected_printer (print_dialog);
  BhPrintSettings settings = { 0 };
  BhRendererHost *host = bh_tab_get_renderer_host (tab);
  PrintJob *print;

  if (response != GTK_RESPONSE_OK || printer == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_object_unref (tab);
      return;
    }
  print = g_new0 (PrintJob, 1);
  print->tab = tab;
  print->printer = g_object_ref (printer);
  print->settings = gtk_print_unix_dialog_get_settings (print_dialog);
  print->page_setup = g_object_ref (gtk_print_unix_dialog_get_page_setup (print_dialog));
  g_set_object (&last_settings, print->settings);
  g_set_object (&last_page_setup, print->page_setup);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The paper the dialog chose, in points, at 100 %; Chromium's defaults: no
   * background graphics, content wider than the page shrunk to fit it. */
  settings.page_width_pt = gtk_page_setup_get_paper_width (print->page_setup, GTK_UNIT_POINTS);
  settings.page_height_pt = gtk_page_setup_get_paper_height (print->page_setup, GTK_UNIT_POINTS);
  settings.margin_top_pt = gtk_page_setup_get_top_margin (print->page_setup, GTK_UNIT_POINTS);
  settings.margin_right_pt = gtk_page_setup_get_right_margin (print->page_setup, GTK_UNIT_POINTS);
  settings.margin_bottom_pt = gtk_page_setup_get_bottom_margin (print->page_setup, GTK_UNIT_POINTS);
  settings.margin_left_pt = gtk_page_setup_get_left_margin (print->page_setup, GTK_UNIT_POINTS);
  settings.scale = 1.0;
  settings.background = FALSE;
  settings.shrink_to_fit = TRUE;
  if (host == NULL || bh_tab_get_view_id (tab) == 0 ||
      settings.page_width_pt - settings.margin_left_pt - settings.margin_right_pt < 1 ||
      settings.page_height_pt - settings.margin_top_pt - settings.margin_bottom_pt < 1)
    {
      g_warning ("%s cannot be printed: it has no renderer, or the margins leave no room", bh_tab_get_uri (tab));
      print_job_free (print);
      return;
    }
  bh_renderer_host_print_to_pdf (host, bh_tab_get_view_id (tab), &settings, pdf_printed_cb, print,
                                 (GDestroyNotify) print_job_free);
}

void
bh_print_tab (GtkWindow *parent, BhTab *tab)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (BH_IS_TAB (tab));

  dialog = gtk_print_unix_dialog_new ("Print", parent);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  /* The job's data is a PDF: only printers (and file formats) that take one. */
  gtk_print_unix_dialog_set_manual_capabilities (GTK_PRINT_UNIX_DIALOG (dialog), GTK_PRINT_CAPABILITY_GENERATE_PDF);
  gtk_print_unix_dialog_set_embed_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), TRUE);
  if (last_settings != NULL)
    gtk_print_unix_dialog_set_settings (GTK_PRINT_UNIX_DIALOG (dialog), last_settings);
  if (last_page_setup != NULL)
    gtk_print_unix_dialog_set_page_setup (GTK_PRINT_UNIX_DIALOG (dialog), last_page_setup);
  g_signal_connect (dialog, "response", G_CALLBACK (dialog_response_cb), g_object_ref (tab));
  gtk_window_present (GTK_WINDOW (dialog));
}
