/* bh-downloads-button.c: the window's downloads list (bh-downloads-button.h). */
#include "bh-downloads-button.h"

struct _BhDownloadsButton {
  GtkWidget parent_instance;

  GtkWidget *menu_button;
  GtkWidget *list;      /* GtkBox of rows, newest first */
  GPtrArray *rows;      /* Row*, newest first */
};

G_DEFINE_FINAL_TYPE (BhDownloadsButton, bh_downloads_button, GTK_TYPE_WIDGET)

typedef struct {
  BhDownload *download; /* a reference */
  GtkWidget *progress;
  GtkWidget *status;
  GtkWidget *cancel;
} Row;

static void
row_free (Row *row)
{
  g_signal_handlers_disconnect_by_data (row->download, row);
  g_object_unref (row->download);
  g_free (row);
}

static void
update_row (Row *row)
{
  BhDownload *d = row->download;
  guint64 received = bh_download_get_received_bytes (d);
  gint64 total = bh_download_get_total_bytes (d);
  g_autofree char *got = g_format_size (received);
  g_autofree char *text = NULL;

  switch (bh_download_get_state (d))
    {
    case BH_DOWNLOAD_COMPLETE:
      text = g_strdup_printf ("Done, %s", got);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), 1.0);
      break;
    case BH_DOWNLOAD_CANCELLED:
      text = g_strdup ("Cancelled");
      break;
    case BH_DOWNLOAD_FAILED:
      text = g_strdup_printf ("Failed: %s", bh_download_get_error_message (d));
      break;
    case BH_DOWNLOAD_IN_PROGRESS:
    default:
      if (total > 0)
        {
          g_autofree char *all = g_format_size ((guint64) total);
          text = g_strdup_printf ("%s of %s", got, all);
          gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), MIN (1.0, (double) received / total));
        }
      else
        {
          text = g_strdup (got);
          gtk_progress_bar_pulse (GTK_PROGRESS_BAR (row->progress));
        }
      break;
    }
  gtk_label_set_text (GTK_LABEL (row->status), text);
  gtk_widget_set_visible (row->cancel, bh_download_get_state (d) == BH_DOWNLOAD_IN_PROGRESS);
}

static void
download_changed_cb (BhDownload *download, GParamSpec *pspec, Row *row)
{
  update_row (row);
}

static void
cancel_clicked_cb (GtkButton *button, Row *row)
{
  bh_download_cancel (row->download);
}

static void
open_folder_clicked_cb (GtkButton *button, Row *row)
{
  g_autoptr (GFile) file = g_file_new_for_path (bh_download_get_path (row->download));
  g_autoptr (GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (folder);
  g_autoptr (GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_message ("cannot open %s: %s", uri, error->message);
}

static GtkWidget *
flat_button (const char *icon, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

void
bh_downloads_button_add (BhDownloadsButton *self, BhDownload *download)
{
  Row *row = g_new0 (Row, 1);
  g_autofree char *name = g_path_get_basename (bh_download_get_path (download));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *open = flat_button ("folder-open-symbolic", "Open folder");

  g_return_if_fail (BH_IS_DOWNLOADS_BUTTON (self));

  row->download = g_object_ref (download);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  row->progress = gtk_progress_bar_new ();
  row->status = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (row->status), 0);
  gtk_widget_add_css_class (row->status, "dim-label");
  gtk_widget_add_css_class (row->status, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), label);
  gtk_box_append (GTK_BOX (text), row->progress);
  gtk_box_append (GTK_BOX (text), row->status);
  gtk_box_append (GTK_BOX (box), text);
  row->cancel = flat_button ("process-stop-symbolic", "Cancel");
  g_signal_connect (row->cancel, "clicked", G_CALLBACK (cancel_clicked_cb), row);
  g_signal_connect (open, "clicked", G_CALLBACK (open_folder_clicked_cb), row);
  gtk_box_append (GTK_BOX (box), row->cancel);
  gtk_box_append (GTK_BOX (box), open);
  gtk_widget_set_size_request (box, 340, -1);
  gtk_box_prepend (GTK_BOX (self->list), box);
  g_ptr_array_insert (self->rows, 0, row);
  g_signal_connect (download, "notify", G_CALLBACK (download_changed_cb), row);
  update_row (row);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->menu_button));
}

const char *
bh_downloads_button_get_status_text (BhDownloadsButton *self, guint index)
{
  g_return_val_if_fail (BH_IS_DOWNLOADS_BUTTON (self), NULL);

  if (index >= self->rows->len)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (((Row *) self->rows->pdata[index])->status));
}

GtkWidget *
bh_downloads_button_new (void)
{
  return g_object_new (BH_TYPE_DOWNLOADS_BUTTON, NULL);
}

static void
bh_downloads_button_dispose (GObject *object)
{
  BhDownloadsButton *self = BH_DOWNLOADS_BUTTON (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->menu_button, gtk_widget_unparent);
  G_OBJECT_CLASS (bh_downloads_button_parent_class)->dispose (object);
}

static void
bh_downloads_button_class_init (BhDownloadsButtonClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bh_downloads_button_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bh_downloads_button_init (BhDownloadsButton *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new ("Downloads");

  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "folder-download-symbolic");
  gtk_widget_set_tooltip_text (self->menu_button, "Downloads");
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), self->list);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), popover);
}
