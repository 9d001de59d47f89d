/* bh-find-bar.c: a tab's find bar (bh-find-bar.h). */
#include "bh-find-bar.h"

#include "bh-message.h"

struct _BhFindBar {
  GtkWidget parent_instance;

  BhTab *tab;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *count_label;
  gboolean found;   /* the renderer was asked about the entry's text */
};

G_DEFINE_FINAL_TYPE (BhFindBar, bh_find_bar, GTK_TYPE_WIDGET)

static const char *
query_of (BhFindBar *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

static void
find (BhFindBar *self, gboolean forward, gboolean find_next)
{
  const char *query = query_of (self);

  if (*query == '\0')
    {
      gtk_label_set_text (GTK_LABEL (self->count_label), "");
      bh_tab_interaction_stop_finding (bh_tab_get_interaction (self->tab));
      self->found = FALSE;
      return;
    }
  bh_tab_interaction_find (bh_tab_get_interaction (self->tab), query, forward, find_next && self->found);
  self->found = TRUE;
}

static void
find_reply_cb (BhTabInteraction *interaction, guint matches, guint active, BhFindBar *self)
{
  g_autofree char *text = NULL;

  if (!self->found)
    return;
  /* Past the cap the count is a floor, as Chromium says "1000+" in spirit. */
  text = g_strdup_printf (matches >= BH_MAX_FIND_MATCHES ? "%u of %u+" : "%u of %u", active, matches);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
  if (matches == 0)
    gtk_widget_add_css_class (self->count_label, "error");
  else
    gtk_widget_remove_css_class (self->count_label, "error");
}

static void
search_changed_cb (GtkSearchEntry *entry, BhFindBar *self)
{
  find (self, TRUE, FALSE);
}

static void
activate_cb (GtkSearchEntry *entry, BhFindBar *self)
{
  find (self, TRUE, TRUE);
}

static void
next_match_cb (GtkSearchEntry *entry, BhFindBar *self)
{
  find (self, TRUE, TRUE);
}

static void
previous_match_cb (GtkSearchEntry *entry, BhFindBar *self)
{
  find (self, FALSE, TRUE);
}

static void
stop_search_cb (GtkSearchEntry *entry, BhFindBar *self)
{
  bh_find_bar_close (self);
}

static void
next_clicked_cb (GtkButton *button, BhFindBar *self)
{
  find (self, TRUE, TRUE);
}

static void
previous_clicked_cb (GtkButton *button, BhFindBar *self)
{
  find (self, FALSE, TRUE);
}

static void
close_clicked_cb (GtkButton *button, BhFindBar *self)
{
  bh_find_bar_close (self);
}

/* Shift+Enter steps back; GtkSearchEntry only knows Enter. Escape closes
 * even when an accelerator would take it. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
                BhFindBar *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_SHIFT_MASK))
    {
      find (self, FALSE, TRUE);
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape)
    {
      bh_find_bar_close (self);
      return TRUE;
    }
  return FALSE;
}

GtkWidget *
bh_find_bar_new (BhTab *tab)
{
  BhFindBar *self;

  g_return_val_if_fail (BH_IS_TAB (tab), NULL);

  self = g_object_new (BH_TYPE_FIND_BAR, NULL);
  self->tab = g_object_ref (tab);
  g_signal_connect (bh_tab_get_interaction (tab), "find-reply", G_CALLBACK (find_reply_cb), self);
  return GTK_WIDGET (self);
}

void
bh_find_bar_open (BhFindBar *self)
{
  g_return_if_fail (BH_IS_FIND_BAR (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      if (*query_of (self) != '\0')
        find (self, TRUE, FALSE);
    }
  gtk_widget_grab_focus (self->entry);
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
bh_find_bar_close (BhFindBar *self)
{
  g_return_if_fail (BH_IS_FIND_BAR (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  bh_tab_interaction_stop_finding (bh_tab_get_interaction (self->tab));
  self->found = FALSE;
  gtk_label_set_text (GTK_LABEL (self->count_label), "");
  /* Back to the page, as Chromium does. */
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (self)));
}

void
bh_find_bar_step (BhFindBar *self, gboolean forward)
{
  g_return_if_fail (BH_IS_FIND_BAR (self));

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      bh_find_bar_open (self);
      return;
    }
  find (self, forward, TRUE);
}

gboolean
bh_find_bar_is_open (BhFindBar *self)
{
  g_return_val_if_fail (BH_IS_FIND_BAR (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self));
}

const char *
bh_find_bar_get_count_text (BhFindBar *self)
{
  g_return_val_if_fail (BH_IS_FIND_BAR (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->count_label));
}

static GtkWidget *
icon_button (const char *icon, const char *tooltip, GCallback callback, BhFindBar *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static void
bh_find_bar_dispose (GObject *object)
{
  BhFindBar *self = BH_FIND_BAR (object);

  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (bh_tab_get_interaction (self->tab), self);
      g_clear_object (&self->tab);
    }
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (bh_find_bar_parent_class)->dispose (object);
}

static void
bh_find_bar_class_init (BhFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_find_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "findbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SEARCH);
}

static void
bh_find_bar_init (BhFindBar *self)
{
  GtkEventController *controller;

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->entry = gtk_search_entry_new ();
  gtk_widget_set_size_request (self->entry, 220, -1);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (self->entry), NULL);
  g_object_set (self->entry, "placeholder-text", "Find in page", NULL);
  g_signal_connect (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect (self->entry, "next-match", G_CALLBACK (next_match_cb), self);
  g_signal_connect (self->entry, "previous-match", G_CALLBACK (previous_match_cb), self);
  g_signal_connect (self->entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (self->entry, controller);
  gtk_box_append (GTK_BOX (self->box), self->entry);

  self->count_label = gtk_label_new ("");
  gtk_label_set_width_chars (GTK_LABEL (self->count_label), 9);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  gtk_widget_add_css_class (self->count_label, "numeric");
  gtk_box_append (GTK_BOX (self->box), self->count_label);

  gtk_box_append (GTK_BOX (self->box), icon_button ("go-up-symbolic", "Previous match (Shift+Enter)",
                                                    G_CALLBACK (previous_clicked_cb), self));
  gtk_box_append (GTK_BOX (self->box), icon_button ("go-down-symbolic", "Next match (Enter)",
                                                    G_CALLBACK (next_clicked_cb), self));
  gtk_box_append (GTK_BOX (self->box), icon_button ("window-close-symbolic", "Close find bar (Escape)",
                                                    G_CALLBACK (close_clicked_cb), self));
}
