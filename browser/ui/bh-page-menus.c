/* bh-page-menus.c: a <select>'s popover, the context menu and tooltips over
 * a page view (bh-page-menus.h). */
#include "bh-page-menus.h"

#include "bh-tab-interaction.h"

/* The popover's list scrolls past this height, logical px (Chromium's
 * drop-downs show about 20 rows). */
#define POPUP_MAX_HEIGHT_PX 400

typedef struct {
  GtkWidget *view;       /* not a reference: the menus live as long as it does */
  BhTab *tab;            /* a reference, or NULL */
  GtkWidget *popover;    /* the open popup or context menu, or NULL */
  gboolean is_popup;     /* the popover is a <select>'s */
  guint32 popup_id;
  gboolean answered;     /* the popup's PopupMenuClosed is sent */
} Menus;

static Menus *
menus_of (GtkWidget *view)
{
  return g_object_get_data (G_OBJECT (view), "bh-page-menus");
}

static int
scale_of (GtkWidget *view)
{
  return MAX (1, gtk_widget_get_scale_factor (view));
}

/* Every popup is answered once: a choice, or -1 when it closed without one. */
static void
answer_popup (Menus *menus, int index)
{
  if (!menus->is_popup || menus->answered)
    return;
  menus->answered = TRUE;
  if (menus->tab != NULL)
    bh_tab_interaction_popup_menu_closed (bh_tab_get_interaction (menus->tab), menus->popup_id, index);
}

static gboolean
unparent_idle_cb (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

static void
popover_closed_cb (GtkPopover *popover, Menus *menus)
{
  if (menus->popover != GTK_WIDGET (popover))
    return;
  answer_popup (menus, -1);
  menus->popover = NULL;
  /* Not from inside its own signal: GTK still uses it. */
  g_idle_add (unparent_idle_cb, g_object_ref (popover));
}

static void
close_popover (Menus *menus)
{
  if (menus->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (menus->popover));
}

/* The open popover goes now (another replaces it, or the tab changed). */
static void
drop_popover (Menus *menus)
{
  GtkWidget *popover = g_steal_pointer (&menus->popover);

  if (popover == NULL)
    return;
  answer_popup (menus, -1);
  g_signal_handlers_disconnect_by_data (popover, menus);
  gtk_widget_unparent (popover);
}

static void
show_popover (Menus *menus, GtkWidget *popover, int x_px, int y_px, int width_px, int height_px)
{
  int scale = scale_of (menus->view);
  GdkRectangle rect = { x_px / scale, y_px / scale, MAX (1, width_px / scale), MAX (1, height_px / scale) };

  drop_popover (menus);
  menus->popover = popover;
  gtk_widget_set_parent (popover, menus->view);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  g_signal_connect (popover, "closed", G_CALLBACK (popover_closed_cb), menus);
  gtk_popover_popup (GTK_POPOVER (popover));
}

/* ---- a <select>'s options ---- */

static void
popup_row_activated_cb (GtkListBox *list, GtkListBoxRow *row, Menus *menus)
{
  answer_popup (menus, gtk_list_box_row_get_index (row));
  close_popover (menus);
}

static void
show_popup_menu_cb (BhTabInteraction *interaction, guint popup_id, int x, int y, int width, int height,
                    int selected, GStrv labels, gpointer enabled, GtkWidget *view)
{
  Menus *menus = menus_of (view);
  const gboolean *item_enabled = enabled;
  GtkWidget *popover, *scrolled, *list;

  if (!gtk_widget_get_mapped (view))
    {
      bh_tab_interaction_popup_menu_closed (interaction, popup_id, -1);
      return;
    }
  popover = gtk_popover_new ();
  gtk_widget_add_css_class (popover, "bh-select-popup");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), POPUP_MAX_HEIGHT_PX);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (labels[i]);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_sensitive (row, item_enabled[i]);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      if ((int) i == selected)
        gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (row));
    }
  g_signal_connect (list, "row-activated", G_CALLBACK (popup_row_activated_cb), menus);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  show_popover (menus, popover, x, y, width, height);
  /* After show_popover(): dropping the previous popover answered that one. */
  menus->is_popup = TRUE;
  menus->popup_id = popup_id;
  menus->answered = FALSE;
  gtk_widget_set_size_request (popover, MAX (1, width / scale_of (view)), -1);
  /* Keys go to the list at once, as in Chromium's drop-downs. */
  {
    GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (list));

    gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : list);
  }
}

/* ---- the context menu ---- */

static void
add_item (GMenu *section, const char *label, const char *action, const char *target)
{
  g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

  if (target != NULL)
    g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (target));
  else
    g_menu_item_set_detailed_action (item, action);
  g_menu_append_item (section, item);
}

/* Chromium's context menu, in its order: for a link, an image, a selection,
 * else the page's navigation; then Select all and View page source. */
static void
context_menu_cb (BhTabInteraction *interaction, int x, int y, const char *link_url, const char *image_url,
                 const char *selection, gboolean editable, GtkWidget *view)
{
  Menus *menus = menus_of (view);
  g_autoptr (GMenu) model = g_menu_new ();
  g_autoptr (GMenu) first = g_menu_new ();
  g_autoptr (GMenu) last = g_menu_new ();
  GtkWidget *popover;

  if (!gtk_widget_get_mapped (view))
    return;
  if (*link_url != '\0')
    {
      add_item (first, "Open link in new tab", "win.open-in-new-tab", link_url);
      add_item (first, "Copy link address", "page.copy-text", link_url);
    }
  if (*image_url != '\0')
    {
      add_item (first, "Open image in new tab", "win.open-in-new-tab", image_url);
      add_item (first, "Save image as\u2026", "page.save-image", image_url);
      add_item (first, "Copy image address", "page.copy-text", image_url);
    }
  /* In a field its selection is the one shown (the renderer says which), and
   * Chromium offers Cut before Copy. */
  if (editable && *selection != '\0')
    add_item (first, "Cut", "page.cut", selection);
  if (*selection != '\0')
    add_item (first, "Copy", "page.copy-text", selection);
  if (editable)
    add_item (first, "Paste", "page.paste", NULL);
  if (*link_url == '\0' && *image_url == '\0' && *selection == '\0' && !editable)
    {
      add_item (first, "Back", "win.back", NULL);
      add_item (first, "Forward", "win.forward", NULL);
      add_item (first, "Reload", "win.reload", NULL);
    }
  add_item (last, "Select all", "page.select-all", NULL);
  add_item (last, "Print\u2026", "win.print", NULL);
  add_item (last, "View page source", "win.view-source", NULL);
  g_menu_append_section (model, NULL, G_MENU_MODEL (first));
  g_menu_append_section (model, NULL, G_MENU_MODEL (last));
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (model));
  gtk_widget_add_css_class (popover, "bh-context-menu");
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  show_popover (menus, popover, x, y, 1, 1);
  menus->is_popup = FALSE;
}

static void
copy_text_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkWidget *view = data;

  /* The user chose Copy in the browser's own menu: no page asked for it. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (view), g_variant_get_string (parameter, NULL));
}

static void
cut_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  Menus *menus = menus_of (data);

  copy_text_activated_cb (action, parameter, data);
  if (menus->tab != NULL)
    bh_tab_interaction_delete_selection (bh_tab_get_interaction (menus->tab));
}

static void
save_image_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  Menus *menus = menus_of (data);

  if (menus->tab != NULL)
    bh_tab_save_url (menus->tab, g_variant_get_string (parameter, NULL));
}

static void
paste_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GtkWidget) view = data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  Menus *menus = menus_of (view);

  if (text != NULL && menus != NULL && menus->tab != NULL && g_utf8_validate (text, -1, NULL))
    bh_tab_interaction_insert_text (bh_tab_get_interaction (menus->tab), text);
}

void
bh_page_menus_paste (GtkWidget *view)
{
  g_return_if_fail (GTK_IS_WIDGET (view));

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (view), NULL, paste_read_cb, g_object_ref (view));
}

static void
paste_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  bh_page_menus_paste (data);
}

static void
select_all_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  Menus *menus = menus_of (data);

  if (menus->tab != NULL)
    bh_tab_interaction_select_all (bh_tab_get_interaction (menus->tab));
}

/* ---- tooltips ---- */

static void
tooltip_changed_cb (BhTabInteraction *interaction, GParamSpec *pspec, GtkWidget *view)
{
  const char *text = bh_tab_interaction_get_tooltip (interaction);

  /* GTK shows it once the pointer rests, and hides it when it changes. */
  gtk_widget_set_tooltip_text (view, *text != '\0' ? text : NULL);
}

/* ---- the page view ---- */

static const GActionEntry page_actions[] = {
  { .name = "copy-text", .activate = copy_text_activated_cb, .parameter_type = "s" },
  { .name = "select-all", .activate = select_all_activated_cb },
  { .name = "save-image", .activate = save_image_activated_cb, .parameter_type = "s" },
  { .name = "paste", .activate = paste_activated_cb },
  { .name = "cut", .activate = cut_activated_cb, .parameter_type = "s" },
};

static void
menus_free (Menus *menus)
{
  g_clear_object (&menus->tab);
  g_free (menus);
}

void
bh_page_menus_init (GtkWidget *view)
{
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  Menus *menus = g_new0 (Menus, 1);

  g_return_if_fail (GTK_IS_WIDGET (view));

  menus->view = view;
  g_object_set_data_full (G_OBJECT (view), "bh-page-menus", menus, (GDestroyNotify) menus_free);
  g_action_map_add_action_entries (G_ACTION_MAP (group), page_actions, G_N_ELEMENTS (page_actions), view);
  gtk_widget_insert_action_group (view, "page", G_ACTION_GROUP (group));
}

void
bh_page_menus_set_tab (GtkWidget *view, BhTab *tab)
{
  Menus *menus = menus_of (view);

  g_return_if_fail (menus != NULL);

  drop_popover (menus);
  if (menus->tab != NULL)
    g_signal_handlers_disconnect_by_data (bh_tab_get_interaction (menus->tab), view);
  g_set_object (&menus->tab, tab);
  gtk_widget_set_tooltip_text (view, NULL);
  if (tab == NULL)
    return;
  g_signal_connect (bh_tab_get_interaction (tab), "show-popup-menu", G_CALLBACK (show_popup_menu_cb), view);
  g_signal_connect (bh_tab_get_interaction (tab), "context-menu", G_CALLBACK (context_menu_cb), view);
  g_signal_connect (bh_tab_get_interaction (tab), "notify::tooltip", G_CALLBACK (tooltip_changed_cb), view);
}

void
bh_page_menus_present (GtkWidget *view)
{
  Menus *menus = menus_of (view);

  if (menus != NULL && menus->popover != NULL)
    gtk_popover_present (GTK_POPOVER (menus->popover));
}
