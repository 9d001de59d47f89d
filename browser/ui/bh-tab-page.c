/* bh-tab-page.c: a tab's page, sad tab, hang dialog and pop-up blocker notice. */
#include "bh-tab-page.h"

#include "bh-find-bar.h"
#include "bh-sad-tab.h"
#include "bh-script-dialog.h"

struct _BhTabPage {
  GtkWidget parent_instance;

  BhTab *tab;

  /* Set by Wait: the dialog stays hidden until the tab leaves the
   * unresponsive state and enters it again. */
  gboolean hang_dismissed;
  guint hang_clock; /* counts the hang dialog's seconds up while it is shown */

  /* template */
  GtkWidget *overlay;
  GtkStack *stack;
  BhPageView *page_view;
  GtkWidget *scrollbar;
  GtkWidget *hscrollbar;
  BhSadTab *sad_tab;
  GtkWidget *hang_backdrop;
  GtkWidget *hang_dialog;
  GtkLabel *hang_detail_label;
  GtkWidget *hang_wait_button;
  GtkWidget *popup_bar;
  GtkLabel *popup_label;
  BhFindBar *find_bar; /* over the page, top right (bh-find-bar.h) */
};

G_DEFINE_FINAL_TYPE (BhTabPage, bh_tab_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAB,
  N_PROPS
};

enum {
  HANG_WAIT,
  HANG_KILL,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* "has not responded for N s", N counting up while the dialog is shown;
 * the tab's own message until the tab knows since when. */
static void
update_hang_detail (BhTabPage *self)
{
  g_autofree char *counting = bh_tab_describe_unresponsive (self->tab);
  const char *message = counting != NULL ? counting : bh_tab_get_status_message (self->tab);

  gtk_label_set_label (self->hang_detail_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->hang_detail_label), *message != '\0');
}

static gboolean
hang_clock_cb (gpointer data)
{
  update_hang_detail (data);
  return G_SOURCE_CONTINUE;
}

static void
update_state (BhTabPage *self)
{
  BhTabState state = bh_tab_get_state (self->tab);
  gboolean sad = bh_sad_tab_is_sad_state (state);
  gboolean hung = state == BH_TAB_STATE_UNRESPONSIVE;
  gboolean page_had_focus = gtk_widget_has_focus (GTK_WIDGET (self->page_view));

  if (!hung)
    self->hang_dismissed = FALSE;

  gtk_stack_set_visible_child_name (self->stack, sad ? "sad" : "page");

  update_hang_detail (self);
  gtk_widget_set_visible (self->hang_backdrop, hung && !self->hang_dismissed);
  if (hung && !self->hang_dismissed && self->hang_clock == 0)
    self->hang_clock = g_timeout_add (250, hang_clock_cb, self);
  else if (!(hung && !self->hang_dismissed))
    g_clear_handle_id (&self->hang_clock, g_source_remove);

  /* Keyboard users land on the way out: Wait in the dialog, Reload on the
   * sad tab. */
  if (page_had_focus && hung && !self->hang_dismissed)
    gtk_widget_grab_focus (self->hang_wait_button);
  else if (page_had_focus && sad)
    gtk_widget_grab_focus (GTK_WIDGET (self->sad_tab));
}

static void
tab_state_changed_cb (BhTab *tab, GParamSpec *pspec, BhTabPage *self)
{
  update_state (self);
}

/* "Pop-up blocked": what the page asked to open without a click or key. */
static void
update_popup_bar (BhTabPage *self)
{
  guint count = bh_tab_get_blocked_popup_count (self->tab);
  const char *url = bh_tab_get_blocked_popup_url (self->tab);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->popup_bar, count > 0 && url != NULL);
  if (count == 0 || url == NULL)
    return;
  if (count == 1)
    text = g_strdup_printf ("Pop-up blocked: %s", url);
  else
    text = g_strdup_printf ("%u pop-ups blocked: %s and %u more", count, url, count - 1);
  gtk_label_set_label (self->popup_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->popup_label), text);
}

static void
tab_blocked_popups_changed_cb (BhTab *tab, GParamSpec *pspec, BhTabPage *self)
{
  update_popup_bar (self);
}

static void
popup_allow_clicked_cb (GtkButton *button, BhTabPage *self)
{
  bh_tab_open_blocked_popup (self->tab);
}

static void
popup_dismiss_clicked_cb (GtkButton *button, BhTabPage *self)
{
  bh_tab_dismiss_blocked_popups (self->tab);
  gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

static void
hang_wait_clicked_cb (GtkButton *button, BhTabPage *self)
{
  self->hang_dismissed = TRUE;
  gtk_widget_set_visible (self->hang_backdrop, FALSE);
  g_clear_handle_id (&self->hang_clock, g_source_remove);
  gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
  g_signal_emit (self, signals[HANG_WAIT], 0);
}

static void
hang_kill_clicked_cb (GtkButton *button, BhTabPage *self)
{
  g_signal_emit (self, signals[HANG_KILL], 0);
}

BhTab *
bh_tab_page_get_tab (BhTabPage *self)
{
  g_return_val_if_fail (BH_IS_TAB_PAGE (self), NULL);

  return self->tab;
}

BhPageView *
bh_tab_page_get_page_view (BhTabPage *self)
{
  g_return_val_if_fail (BH_IS_TAB_PAGE (self), NULL);

  return self->page_view;
}

gboolean
bh_tab_page_is_showing_sad_tab (BhTabPage *self)
{
  g_return_val_if_fail (BH_IS_TAB_PAGE (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sad") == 0;
}

gboolean
bh_tab_page_is_showing_hang_dialog (BhTabPage *self)
{
  g_return_val_if_fail (BH_IS_TAB_PAGE (self), FALSE);

  return gtk_widget_get_visible (self->hang_backdrop);
}

GtkWidget *
bh_tab_page_new (BhTab *tab)
{
  g_return_val_if_fail (BH_IS_TAB (tab), NULL);

  return g_object_new (BH_TYPE_TAB_PAGE, "tab", tab, NULL);
}

/* The horizontal scrollbar shows only while there is something to scroll to. */
static void
hadjustment_changed_cb (GtkAdjustment *adjustment, BhTabPage *self)
{
  gtk_widget_set_visible (self->hscrollbar,
                          gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 0.5);
}

static void
bh_tab_page_constructed (GObject *object)
{
  BhTabPage *self = BH_TAB_PAGE (object);

  G_OBJECT_CLASS (bh_tab_page_parent_class)->constructed (object);

  g_assert (self->tab != NULL);

  bh_page_view_set_tab (self->page_view, self->tab);
  bh_sad_tab_set_tab (self->sad_tab, self->tab);
  g_signal_connect (self->tab, "notify::state", G_CALLBACK (tab_state_changed_cb), self);
  g_signal_connect (self->tab, "notify::status-message", G_CALLBACK (tab_state_changed_cb), self);
  g_signal_connect (self->tab, "notify::blocked-popup-count", G_CALLBACK (tab_blocked_popups_changed_cb), self);
  bh_script_dialog_attach (GTK_WIDGET (self), self->tab);
  update_state (self);
  update_popup_bar (self);
  g_signal_connect (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (self->hscrollbar)), "changed",
                    G_CALLBACK (hadjustment_changed_cb), self);
  self->find_bar = BH_FIND_BAR (bh_find_bar_new (self->tab));
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->find_bar));
}

BhFindBar *
bh_tab_page_get_find_bar (BhTabPage *self)
{
  g_return_val_if_fail (BH_IS_TAB_PAGE (self), NULL);

  return self->find_bar;
}

static gboolean
bh_tab_page_grab_focus (GtkWidget *widget)
{
  BhTabPage *self = BH_TAB_PAGE (widget);

  if (gtk_widget_get_visible (self->hang_backdrop))
    return gtk_widget_grab_focus (self->hang_wait_button);
  if (bh_tab_page_is_showing_sad_tab (self))
    return gtk_widget_grab_focus (GTK_WIDGET (self->sad_tab));
  return gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

static void
bh_tab_page_dispose (GObject *object)
{
  BhTabPage *self = BH_TAB_PAGE (object);

  g_clear_handle_id (&self->hang_clock, g_source_remove);
  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_clear_object (&self->tab);
    }

  if (self->hscrollbar != NULL)
    g_signal_handlers_disconnect_by_data (gtk_scrollbar_get_adjustment (GTK_SCROLLBAR (self->hscrollbar)), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_TAB_PAGE);

  G_OBJECT_CLASS (bh_tab_page_parent_class)->dispose (object);
}

static void
bh_tab_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTabPage *self = BH_TAB_PAGE (object);

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
bh_tab_page_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  BhTabPage *self = BH_TAB_PAGE (object);

  switch (prop_id)
    {
    case PROP_TAB:
      self->tab = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_page_class_init (BhTabPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_tab_page_constructed;
  object_class->dispose = bh_tab_page_dispose;
  object_class->get_property = bh_tab_page_get_property;
  object_class->set_property = bh_tab_page_set_property;

  widget_class->grab_focus = bh_tab_page_grab_focus;

  properties[PROP_TAB] =
    g_param_spec_object ("tab", NULL, NULL,
                         BH_TYPE_TAB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[HANG_WAIT] =
    g_signal_new ("hang-wait",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[HANG_KILL] =
    g_signal_new ("hang-kill",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* The template instantiates these; their types must exist first. */
  g_type_ensure (BH_TYPE_PAGE_VIEW);
  g_type_ensure (BH_TYPE_SAD_TAB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bulkhead/Browser/ui/bh-tab-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, overlay);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, page_view);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, hscrollbar);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, scrollbar);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, sad_tab);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, hang_backdrop);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, hang_dialog);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, hang_detail_label);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, hang_wait_button);
  gtk_widget_class_bind_template_callback (widget_class, hang_wait_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, hang_kill_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, popup_bar);
  gtk_widget_class_bind_template_child (widget_class, BhTabPage, popup_label);
  gtk_widget_class_bind_template_callback (widget_class, popup_allow_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popup_dismiss_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tabpage");
}

static void
bh_tab_page_init (BhTabPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
