/* bh-task-manager.c: a GtkColumnView over the browser's BhProcessList.
 *
 * Every cell is a GtkLabel bound by a GtkExpression to its row's
 * properties, so a refresh, which only notifies what changed, redraws only
 * what changed; rows keep their objects, so the selection survives it.
 */
#include "bh-task-manager.h"

#define APPLICATION_DATA_KEY "bh-task-manager"

struct _BhTaskManager {
  GtkWindow parent_instance;

  BhBrowser *browser; /* a reference */
  BhProcessList *list; /* owned by the browser */
  GtkSingleSelection *selection;
  guint refresh_id;

  /* template */
  GtkColumnView *column_view;
  GtkLabel *summary_label;
  GtkButton *end_button;
};

G_DEFINE_FINAL_TYPE (BhTaskManager, bh_task_manager, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BROWSER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- cells ---- */

static char *
format_process (GtkListItem *item, BhProcessType type, gboolean alive, const char *status,
                gpointer user_data)
{
  const char *name;

  switch (type)
    {
    case BH_PROCESS_TYPE_BROWSER:
      name = "Browser";
      break;
    case BH_PROCESS_TYPE_RENDERER:
      name = "Renderer";
      break;
    case BH_PROCESS_TYPE_PLUGIN_HOST:
      name = "Plugin host";
      break;
    default:
      name = "Process";
      break;
    }
  if (alive)
    return g_strdup (name);
  /* Listed until reaped: say how it ended. */
  return g_strdup_printf ("%s (%s)", name, status != NULL ? status : "ended");
}

static char *
format_site (GtkListItem *item, const char *site, gpointer user_data)
{
  return g_strdup (site != NULL && *site != '\0' ? site : "—");
}

static char *
format_tabs (GtkListItem *item, char **titles, gpointer user_data)
{
  if (titles == NULL || titles[0] == NULL)
    return g_strdup ("—");
  return g_strjoinv (", ", titles);
}

static char *
format_pid (GtkListItem *item, int pid, gpointer user_data)
{
  return pid > 0 ? g_strdup_printf ("%d", pid) : g_strdup ("—");
}

static char *
format_kib (guint64 kib)
{
  return g_format_size_full (kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
format_rss (GtkListItem *item, guint64 rss_kib, gpointer user_data)
{
  return rss_kib > 0 ? format_kib (rss_kib) : g_strdup ("—");
}

static char *
format_pss (GtkListItem *item, gint64 pss_kib, gpointer user_data)
{
  return pss_kib >= 0 ? format_kib ((guint64) pss_kib) : g_strdup ("—");
}

static char *
format_cpu (GtkListItem *item, double cpu_percent, gpointer user_data)
{
  return cpu_percent >= 0.0 ? g_strdup_printf ("%.1f %%", cpu_percent) : g_strdup ("—");
}

static char *
format_count (GtkListItem *item, guint64 count, gpointer user_data)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, count);
}

static char *
format_sandbox (GtkListItem *item, const char *sandbox, gpointer user_data)
{
  return g_strdup (sandbox != NULL ? sandbox : "");
}

typedef struct {
  const char *title;
  const char *const properties[4]; /* of BhProcessInfo, NULL-terminated */
  GCallback format;
  gboolean numeric;  /* right-aligned */
  gboolean expand;
  int width_chars;
  gboolean wrap;     /* long: wraps over lines rather than being cut */
} Column;

static const Column columns[] = {
  { "Process", { "process-type", "alive", "status", NULL }, G_CALLBACK (format_process),
    FALSE, FALSE, 10 },
  { "Site", { "site", NULL }, G_CALLBACK (format_site), FALSE, FALSE, 14 },
  { "Tabs", { "tab-titles", NULL }, G_CALLBACK (format_tabs), FALSE, TRUE, 12 },
  { "PID", { "pid", NULL }, G_CALLBACK (format_pid), TRUE, FALSE, 6 },
  { "Memory", { "rss-kib", NULL }, G_CALLBACK (format_rss), TRUE, FALSE, 8 },
  { "PSS", { "pss-kib", NULL }, G_CALLBACK (format_pss), TRUE, FALSE, 8 },
  { "CPU", { "cpu-percent", NULL }, G_CALLBACK (format_cpu), TRUE, FALSE, 6 },
  { "Messages in", { "messages-in", NULL }, G_CALLBACK (format_count), TRUE,
    FALSE, 7 },
  { "Messages out", { "messages-out", NULL }, G_CALLBACK (format_count),
    TRUE, FALSE, 7 },
  /* "namespaces(user,pid,net,ipc,uts,mnt,cgroup) + seccomp-bpf" is 57
   * characters: it wraps within the column instead of being cut off. */
  { "Sandbox", { "sandbox", NULL }, G_CALLBACK (format_sandbox), FALSE, TRUE,
    30, TRUE },
};

/* The label's text is an expression over the row's properties: it follows
 * the list item's item and every notify of the properties it reads. */
static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  const Column *column = user_data;
  GtkWidget *label = gtk_label_new (NULL);
  GtkExpression *params[G_N_ELEMENTS (column->properties)];
  GtkExpression *text;
  guint n_params = 0;

  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1.0f : 0.0f);
  if (column->wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), column->width_chars);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), column->width_chars);
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);

  for (; column->properties[n_params] != NULL; n_params++)
    params[n_params] = gtk_property_expression_new (
      BH_TYPE_PROCESS_INFO, gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
      column->properties[n_params]);
  text = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, n_params, params, column->format,
                                      NULL, NULL);
  gtk_expression_bind (text, label, "label", list_item);
  /* Long texts (tabs, sandbox) stay whole in the tooltip. */
  if (!column->numeric)
    g_object_bind_property (label, "label", label, "tooltip-text", G_BINDING_SYNC_CREATE);
}

static void
add_columns (BhTaskManager *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (columns[i].title, factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* ---- the rows ---- */

static BhProcessInfo *
selected_info (BhTaskManager *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
update_end_button (BhTaskManager *self)
{
  BhProcessInfo *info = selected_info (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->end_button),
                            info != NULL && bh_process_info_can_end (info));
}

static void
update_summary (BhTaskManager *self)
{
  GListModel *model = G_LIST_MODEL (self->list);
  guint n = g_list_model_get_n_items (model);
  guint64 total_kib = 0;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (model, i);

      total_kib += bh_process_info_get_rss_kib (info);
    }
  total = format_kib (total_kib);
  text = g_strdup_printf (g_dngettext (NULL, "%u process, %s in all (resident)", "%u processes, %s in all (resident)", n),
                          n, total);
  gtk_label_set_label (self->summary_label, text);
}

static void
refresh (BhTaskManager *self)
{
  bh_process_list_refresh (self->list);
  update_summary (self);
  update_end_button (self);
}

static gboolean
refresh_cb (gpointer data)
{
  refresh (BH_TASK_MANAGER (data));
  return G_SOURCE_CONTINUE;
}

static void
selection_changed_cb (GtkSingleSelection *selection, GParamSpec *pspec, BhTaskManager *self)
{
  update_end_button (self);
}

static void
end_clicked_cb (GtkButton *button, BhTaskManager *self)
{
  BhProcessInfo *info = selected_info (self);
  g_autoptr (GError) error = NULL;

  if (info == NULL)
    return;
  if (!bh_process_list_end_process (self->list, info, &error))
    {
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  update_end_button (self);
}

/* ---- public ---- */

GtkWidget *
bh_task_manager_new (BhBrowser *browser)
{
  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);

  return g_object_new (BH_TYPE_TASK_MANAGER, "browser", browser, NULL);
}

BhProcessList *
bh_task_manager_get_process_list (BhTaskManager *self)
{
  g_return_val_if_fail (BH_IS_TASK_MANAGER (self), NULL);
  return self->list;
}

gboolean
bh_task_manager_select_pid (BhTaskManager *self, int pid)
{
  GListModel *model;

  g_return_val_if_fail (BH_IS_TASK_MANAGER (self), FALSE);

  model = G_LIST_MODEL (self->list);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (model, i);

      if (bh_process_info_get_pid (info) == pid)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
task_manager_destroyed_cb (GtkWidget *window, GtkApplication *application)
{
  g_object_set_data (G_OBJECT (application), APPLICATION_DATA_KEY, NULL);
}

static void
task_manager_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  BhBrowser *browser = g_object_get_data (G_OBJECT (action), "bh-browser");
  GtkWidget *window = g_object_get_data (G_OBJECT (application), APPLICATION_DATA_KEY);

  /* One task manager per browser, as in Chromium: Shift+Esc raises it. */
  if (window == NULL)
    {
      window = bh_task_manager_new (browser);
      g_object_set_data (G_OBJECT (application), APPLICATION_DATA_KEY, window);
      g_signal_connect (window, "destroy", G_CALLBACK (task_manager_destroyed_cb), application);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
application_shutdown_cb (GApplication *application, gpointer user_data)
{
  GtkWidget *window = g_object_get_data (G_OBJECT (application), APPLICATION_DATA_KEY);

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
}

void
bh_task_manager_attach (GtkApplication *application, BhBrowser *browser)
{
  g_autoptr (GSimpleAction) action = NULL;

  g_return_if_fail (GTK_IS_APPLICATION (application));
  g_return_if_fail (BH_IS_BROWSER (browser));

  action = g_simple_action_new ("task-manager", NULL);
  g_object_set_data_full (G_OBJECT (action), "bh-browser", g_object_ref (browser), g_object_unref);
  g_signal_connect (action, "activate", G_CALLBACK (task_manager_activated_cb), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (action));
  g_signal_connect (application, "shutdown", G_CALLBACK (application_shutdown_cb), NULL);
}

/* ---- GObject ---- */

static void
bh_task_manager_map (GtkWidget *widget)
{
  BhTaskManager *self = BH_TASK_MANAGER (widget);

  GTK_WIDGET_CLASS (bh_task_manager_parent_class)->map (widget);
  /* Live only while someone can see it: a hidden task manager reads no /proc. */
  refresh (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (BH_TASK_MANAGER_REFRESH_MS, refresh_cb, self);
}

static void
bh_task_manager_unmap (GtkWidget *widget)
{
  BhTaskManager *self = BH_TASK_MANAGER (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (bh_task_manager_parent_class)->unmap (widget);
}

static void
bh_task_manager_constructed (GObject *object)
{
  BhTaskManager *self = BH_TASK_MANAGER (object);

  G_OBJECT_CLASS (bh_task_manager_parent_class)->constructed (object);

  g_assert (self->browser != NULL);
  self->list = bh_process_list_get_for_browser (self->browser);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* Nothing is selected until the user picks a row (autoselect took the first). */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                    self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  update_summary (self);
}

static void
bh_task_manager_dispose (GObject *object)
{
  BhTaskManager *self = BH_TASK_MANAGER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      if (self->column_view != NULL)
        gtk_column_view_set_model (self->column_view, NULL);
      g_clear_object (&self->selection);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_TASK_MANAGER);
  self->list = NULL;
  g_clear_object (&self->browser);
  G_OBJECT_CLASS (bh_task_manager_parent_class)->dispose (object);
}

static void
bh_task_manager_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTaskManager *self = BH_TASK_MANAGER (object);

  switch (prop_id)
    {
    case PROP_BROWSER:
      g_value_set_object (value, self->browser);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_task_manager_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  BhTaskManager *self = BH_TASK_MANAGER (object);

  switch (prop_id)
    {
    case PROP_BROWSER:
      self->browser = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_task_manager_class_init (BhTaskManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_task_manager_constructed;
  object_class->dispose = bh_task_manager_dispose;
  object_class->get_property = bh_task_manager_get_property;
  object_class->set_property = bh_task_manager_set_property;

  widget_class->map = bh_task_manager_map;
  widget_class->unmap = bh_task_manager_unmap;

  properties[PROP_BROWSER] =
    g_param_spec_object ("browser", NULL, NULL, BH_TYPE_BROWSER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bulkhead/Browser/ui/bh-task-manager.ui");
  gtk_widget_class_bind_template_child (widget_class, BhTaskManager, column_view);
  gtk_widget_class_bind_template_child (widget_class, BhTaskManager, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BhTaskManager, end_button);
  gtk_widget_class_bind_template_callback (widget_class, end_clicked_cb);
}

static void
bh_task_manager_init (BhTaskManager *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
