/* bh-sad-tab.c: the page shown in place of a renderer that is gone. */
#include "bh-sad-tab.h"

struct _BhSadTab {
  GtkWidget parent_instance;

  BhTab *tab;

  /* template */
  GtkWidget *box;
  GtkLabel *headline_label;
  GtkLabel *explanation_label;
  GtkLabel *message_label;
  GtkLabel *repeat_label;
  GtkLabel *code_label;
  GtkButton *reload_button;
};

G_DEFINE_FINAL_TYPE (BhSadTab, bh_sad_tab, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
bh_sad_tab_is_sad_state (BhTabState state)
{
  return bh_tab_state_is_failure (state);
}

/* One sentence per kind of failure, in the spirit of Chromium's sad tab
 * strings (IDS_SAD_TAB_MESSAGE, IDS_SAD_TAB_OOM_MESSAGE ...). */
static const char *
explanation_for_state (BhTabState state)
{
  switch (state)
    {
    case BH_TAB_STATE_KILLED:
      return "The process showing this webpage was ended.";
    case BH_TAB_STATE_OOM:
      return "This webpage ran out of memory.";
    case BH_TAB_STATE_BAD_MESSAGE:
      return "The process showing this webpage broke the browser's rules and was stopped.";
    case BH_TAB_STATE_LAUNCH_FAILED:
      return "The process for this webpage could not be started.";
    case BH_TAB_STATE_CRASHED:
    case BH_TAB_STATE_LOADING:
    case BH_TAB_STATE_COMPLETE:
    case BH_TAB_STATE_UNRESPONSIVE:
    default:
      return "Something went wrong while displaying this webpage.";
    }
}

static void
update (BhSadTab *self)
{
  BhTabState state = BH_TAB_STATE_CRASHED;
  const char *message = NULL;
  g_autofree char *code = NULL;
  guint crashes = 0;

  if (self->tab != NULL)
    {
      state = bh_tab_get_state (self->tab);
      message = bh_tab_get_status_message (self->tab);
      crashes = bh_tab_get_recent_crash_count (self->tab);
    }

  gtk_label_set_label (self->explanation_label, explanation_for_state (state));
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');

  /* Nothing reloads by itself (Chromium neither); a site that keeps
   * crashing says so, so that Reload is not pressed in vain for ever. A
   * kill or a bad message is another story, told by the message above. */
  if (state != BH_TAB_STATE_CRASHED)
    crashes = 0;
  if (crashes >= BH_REPEATED_CRASH_COUNT)
    {
      g_autofree char *repeat =
        g_strdup_printf ("This site's renderer has crashed %u times in the last %u seconds.",
                         crashes, BH_REPEATED_CRASH_WINDOW_S);

      gtk_label_set_label (self->repeat_label, repeat);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_label), crashes >= BH_REPEATED_CRASH_COUNT);

  code = g_strdup_printf ("Error code: %s", bh_tab_state_to_string (state));
  gtk_label_set_label (self->code_label, code);
}

static void
tab_changed_cb (BhTab *tab, GParamSpec *pspec, BhSadTab *self)
{
  update (self);
}

static void
reload_clicked_cb (GtkButton *button, BhSadTab *self)
{
  if (self->tab != NULL)
    bh_tab_reload (self->tab);
}

void
bh_sad_tab_set_tab (BhSadTab *self, BhTab *tab)
{
  g_return_if_fail (BH_IS_SAD_TAB (self));
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
      g_signal_connect (tab, "notify::state", G_CALLBACK (tab_changed_cb), self);
      g_signal_connect (tab, "notify::status-message", G_CALLBACK (tab_changed_cb), self);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAB]);
}

BhTab *
bh_sad_tab_get_tab (BhSadTab *self)
{
  g_return_val_if_fail (BH_IS_SAD_TAB (self), NULL);

  return self->tab;
}

GtkWidget *
bh_sad_tab_new (BhTab *tab)
{
  g_return_val_if_fail (tab == NULL || BH_IS_TAB (tab), NULL);

  return g_object_new (BH_TYPE_SAD_TAB, "tab", tab, NULL);
}

static gboolean
bh_sad_tab_grab_focus (GtkWidget *widget)
{
  /* The way out is the one thing to do here. */
  return gtk_widget_grab_focus (GTK_WIDGET (BH_SAD_TAB (widget)->reload_button));
}

static void
bh_sad_tab_dispose (GObject *object)
{
  BhSadTab *self = BH_SAD_TAB (object);

  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_clear_object (&self->tab);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_SAD_TAB);

  G_OBJECT_CLASS (bh_sad_tab_parent_class)->dispose (object);
}

static void
bh_sad_tab_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhSadTab *self = BH_SAD_TAB (object);

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
bh_sad_tab_set_property (GObject *object, guint prop_id, const GValue *value,
                         GParamSpec *pspec)
{
  BhSadTab *self = BH_SAD_TAB (object);

  switch (prop_id)
    {
    case PROP_TAB:
      bh_sad_tab_set_tab (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_sad_tab_class_init (BhSadTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_sad_tab_dispose;
  object_class->get_property = bh_sad_tab_get_property;
  object_class->set_property = bh_sad_tab_set_property;

  widget_class->grab_focus = bh_sad_tab_grab_focus;

  properties[PROP_TAB] =
    g_param_spec_object ("tab", NULL, NULL,
                         BH_TYPE_TAB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bulkhead/Browser/ui/bh-sad-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, box);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, headline_label);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, message_label);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, repeat_label);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, code_label);
  gtk_widget_class_bind_template_child (widget_class, BhSadTab, reload_button);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sadtab");
}

static void
bh_sad_tab_init (BhSadTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
