/* bh-script-dialog.c: a page's alert(), confirm() and prompt() (bh-script-dialog.h). */
#include "bh-script-dialog.h"

#include "bh-tab-script.h"

typedef struct {
  BhTab *tab;         /* a reference */
  guint dialog_id;
  GtkEntry *entry;    /* prompt() only */
  gboolean answered;
} Dialog;

static void
dialog_free (gpointer data)
{
  Dialog *d = data;

  /* Closed any other way (the window went): dismissed. */
  if (!d->answered)
    bh_tab_answer_script_dialog (d->tab, d->dialog_id, FALSE, NULL);
  g_object_unref (d->tab);
  g_free (d);
}

static void
answer (GtkWidget *button, gboolean accepted)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (button));
  Dialog *d = g_object_get_data (G_OBJECT (window), "bh-script-dialog");

  d->answered = TRUE;
  bh_tab_answer_script_dialog (d->tab, d->dialog_id, accepted,
                               d->entry != NULL ? gtk_editable_get_text (GTK_EDITABLE (d->entry)) : NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
ok_clicked_cb (GtkButton *button, gpointer data)
{
  answer (GTK_WIDGET (button), TRUE);
}

static void
cancel_clicked_cb (GtkButton *button, gpointer data)
{
  answer (GTK_WIDGET (button), FALSE);
}

/* Answered elsewhere (automation's handleUserPrompt, or the document went):
 * the window goes. */
static void
script_dialog_closed_cb (BhTab *tab, guint dialog_id, guint kind, gboolean accepted, const char *text,
                         gpointer user_data)
{
  GtkWindow *window = user_data;
  Dialog *d = g_object_get_data (G_OBJECT (window), "bh-script-dialog");

  if (d == NULL || d->answered || d->dialog_id != dialog_id)
    return;
  d->answered = TRUE;
  gtk_window_destroy (window);
}

static gboolean
script_dialog_cb (BhTab *tab, guint dialog_id, guint kind, const char *message, const char *default_text,
                  gpointer user_data)
{
  GtkWidget *page = user_data;
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (message);
  GtkWidget *ok = gtk_button_new_with_mnemonic ("_OK");
  g_autoptr (GUri) uri = g_uri_parse (bh_tab_get_uri (tab) ? bh_tab_get_uri (tab) : "", G_URI_FLAGS_NONE, NULL);
  g_autofree char *title = g_strdup_printf ("%s says", uri != NULL && g_uri_get_host (uri) != NULL
                                                        ? g_uri_get_host (uri) : "This page");
  Dialog *d = g_new0 (Dialog, 1);

  d->tab = g_object_ref (tab);
  d->dialog_id = dialog_id;
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  if (kind == 2)
    {
      d->entry = GTK_ENTRY (gtk_entry_new ());
      gtk_editable_set_text (GTK_EDITABLE (d->entry), default_text);
      gtk_entry_set_activates_default (d->entry, TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (d->entry));
    }
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  if (kind != 0)
    {
      GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
      g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), NULL);
      gtk_box_append (GTK_BOX (buttons), cancel);
    }
  gtk_widget_add_css_class (ok, "suggested-action");
  g_signal_connect (ok, "clicked", G_CALLBACK (ok_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (buttons), ok);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_widget (GTK_WINDOW (window), ok);
  /* Return answers OK, as in Chromium: the prompt's entry activates the default. */
  gtk_window_set_focus (GTK_WINDOW (window), d->entry != NULL ? GTK_WIDGET (d->entry) : ok);
  g_object_set_data_full (G_OBJECT (window), "bh-script-dialog", d, dialog_free);
  g_signal_connect_object (tab, "script-dialog-closed", G_CALLBACK (script_dialog_closed_cb), window, 0);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

void
bh_script_dialog_attach (GtkWidget *page, BhTab *tab)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (BH_IS_TAB (tab));

  g_signal_connect_object (tab, "script-dialog", G_CALLBACK (script_dialog_cb), page, 0);
}
