/* bh-tab-label.c: a tab's handle in the tab strip. */
#include "bh-tab-label.h"

#include "bh-sad-tab.h"

struct _BhTabLabel {
  GtkWidget parent_instance;

  BhTab *tab;

  /* template */
  GtkStack *status_stack;
  GtkSpinner *spinner;
  GtkWidget *sad_icon;
  GtkImage *favicon_image;
  GtkLabel *title_label;
  GtkWidget *close_button;
};

G_DEFINE_FINAL_TYPE (BhTabLabel, bh_tab_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAB,
  N_PROPS
};

enum {
  CLOSE_CLICKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update (BhTabLabel *self)
{
  const char *title = NULL;
  gboolean loading = FALSE;
  gboolean sad = FALSE;
  GdkTexture *favicon = NULL;

  if (self->tab != NULL)
    {
      title = bh_tab_get_title (self->tab);
      if (title == NULL || *title == '\0')
        title = bh_tab_get_uri (self->tab);
      g_object_get (self->tab, "loading", &loading, NULL);
      sad = bh_sad_tab_is_sad_state (bh_tab_get_state (self->tab));
      favicon = bh_tab_get_favicon (self->tab);
    }

  if (title == NULL || *title == '\0')
    title = "New Tab";

  gtk_label_set_label (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);

  /* A dead tab is not loading, whatever its last state said. */
  loading = loading && !sad;
  /* The page's favicon where Chromium shows it, the spinner while loading. */
  gtk_image_set_from_paintable (self->favicon_image, GDK_PAINTABLE (favicon));
  gtk_stack_set_visible_child_name (self->status_stack,
                                    sad ? "sad" : loading ? "loading" : favicon != NULL ? "favicon" : "none");
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
tab_changed_cb (BhTab *tab, GParamSpec *pspec, BhTabLabel *self)
{
  update (self);
}

static void
close_clicked_cb (GtkButton *button, BhTabLabel *self)
{
  g_signal_emit (self, signals[CLOSE_CLICKED], 0);
}

static void
middle_click_released_cb (GtkGestureClick *gesture,
                          int              n_press,
                          double           x,
                          double           y,
                          BhTabLabel      *self)
{
  /* A middle click on a tab closes it, as in every tabbed browser. */
  if (x >= 0 && y >= 0 &&
      x < gtk_widget_get_width (GTK_WIDGET (self)) &&
      y < gtk_widget_get_height (GTK_WIDGET (self)))
    g_signal_emit (self, signals[CLOSE_CLICKED], 0);
}

void
bh_tab_label_set_tab (BhTabLabel *self, BhTab *tab)
{
  g_return_if_fail (BH_IS_TAB_LABEL (self));
  g_return_if_fail (tab == NULL || BH_IS_TAB (tab));

  if (self->tab == tab)
    return;

  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_clear_object (&self->tab);
    }

  if (tab != NULL)
    {
      self->tab = g_object_ref (tab);
      g_signal_connect (tab, "notify::title", G_CALLBACK (tab_changed_cb), self);
      g_signal_connect (tab, "notify::uri", G_CALLBACK (tab_changed_cb), self);
      g_signal_connect (tab, "notify::loading", G_CALLBACK (tab_changed_cb), self);
      g_signal_connect (tab, "notify::state", G_CALLBACK (tab_changed_cb), self);
      g_signal_connect (tab, "notify::favicon", G_CALLBACK (tab_changed_cb), self);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAB]);
}

BhTab *
bh_tab_label_get_tab (BhTabLabel *self)
{
  g_return_val_if_fail (BH_IS_TAB_LABEL (self), NULL);

  return self->tab;
}

void
bh_tab_label_set_title_width (BhTabLabel *self, int width_px)
{
  g_return_if_fail (BH_IS_TAB_LABEL (self));

  gtk_widget_set_size_request (GTK_WIDGET (self->title_label), MAX (width_px, 0), -1);
}

static int
min_width_of (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

int
bh_tab_label_get_chrome_width (BhTabLabel *self, gboolean with_close_button)
{
  GtkWidget *tab;
  int spacing;
  int padding_px = 0;

  g_return_val_if_fail (BH_IS_TAB_LABEL (self), 0);

  /* The notebook's tab node, the label's parent, adds its CSS padding and
   * border. */
  tab = gtk_widget_get_parent (GTK_WIDGET (self));
  if (tab != NULL)
    padding_px = min_width_of (tab) - min_width_of (GTK_WIDGET (self));

  spacing = gtk_box_layout_get_spacing (
    GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))));

  return padding_px + min_width_of (GTK_WIDGET (self->status_stack)) + spacing +
         (with_close_button ? spacing + min_width_of (self->close_button) : 0);
}

int
bh_tab_label_get_min_title_width (BhTabLabel *self)
{
  int width_request;
  int minimum;

  g_return_val_if_fail (BH_IS_TAB_LABEL (self), 0);

  gtk_widget_get_size_request (GTK_WIDGET (self->title_label), &width_request, NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self->title_label), -1, -1);
  minimum = min_width_of (GTK_WIDGET (self->title_label));
  gtk_widget_set_size_request (GTK_WIDGET (self->title_label), width_request, -1);

  return minimum;
}

void
bh_tab_label_set_close_button_visible (BhTabLabel *self, gboolean visible)
{
  g_return_if_fail (BH_IS_TAB_LABEL (self));

  gtk_widget_set_visible (self->close_button, visible);
}

GtkWidget *
bh_tab_label_new (BhTab *tab)
{
  g_return_val_if_fail (tab == NULL || BH_IS_TAB (tab), NULL);

  return g_object_new (BH_TYPE_TAB_LABEL, "tab", tab, NULL);
}

static void
bh_tab_label_dispose (GObject *object)
{
  BhTabLabel *self = BH_TAB_LABEL (object);

  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_clear_object (&self->tab);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_TAB_LABEL);

  G_OBJECT_CLASS (bh_tab_label_parent_class)->dispose (object);
}

static void
bh_tab_label_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTabLabel *self = BH_TAB_LABEL (object);

  switch (prop_id)
    {
    case PROP_TAB:
      g_value_set_object (value, self->tab);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_label_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  BhTabLabel *self = BH_TAB_LABEL (object);

  switch (prop_id)
    {
    case PROP_TAB:
      bh_tab_label_set_tab (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_label_class_init (BhTabLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_tab_label_dispose;
  object_class->get_property = bh_tab_label_get_property;
  object_class->set_property = bh_tab_label_set_property;

  properties[PROP_TAB] =
    g_param_spec_object ("tab", NULL, NULL,
                         BH_TYPE_TAB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CLOSE_CLICKED] =
    g_signal_new ("close-clicked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bulkhead/Browser/ui/bh-tab-label.ui");
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, status_stack);
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, sad_icon);
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, favicon_image);
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, title_label);
  gtk_widget_class_bind_template_child (widget_class, BhTabLabel, close_button);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);

  gtk_widget_class_set_css_name (widget_class, "tablabel");
}

static void
bh_tab_label_init (BhTabLabel *self)
{
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect (gesture, "released", G_CALLBACK (middle_click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  update (self);
}
