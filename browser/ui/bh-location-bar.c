/* bh-location-bar.c: suggestions, inline completion and the star. */
#include "bh-location-bar.h"

#include <string.h>

struct _BhLocationBar {
  GtkEntry *entry;
  BhHistory *history;
  BhLocationBarNavigate navigate;
  gpointer data;

  GtkWidget *popover;
  GtkListBox *list;
  GtkStringList *urls;     /* what the rows show, in order */
  GtkEventController *keys;
  GtkEventController *clicks;
  gboolean focused_at_press; /* the entry had the focus when the button went down */
  guint select_all_source;   /* selects the address once a click has focused it */
  gulong icon_handler;

  char *page_url;
  char *page_title;

  /* The entry shows text the bar put there (a completion, a selected
   * row's address): its own "changed" must not count as the user's. */
  gboolean changing;
  char *typed;             /* what the user typed, before any completion */
  char *completed_url;     /* the inline completion's whole URL, when standing */
  char *completed_text;    /* the entry's text with that completion */
  GPtrArray *suggestions;  /* BhHistorySuggestion, what the rows show */
  guint complete_source;   /* the inline completion, after the edit's "changed" */
};

static void
set_entry_text (BhLocationBar *bar, const char *text)
{
  bar->changing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (bar->entry), text);
  bar->changing = FALSE;
}

static void
clear_completion (BhLocationBar *bar)
{
  g_clear_pointer (&bar->completed_url, g_free);
  g_clear_pointer (&bar->completed_text, g_free);
}

void
bh_location_bar_hide (BhLocationBar *bar)
{
  g_return_if_fail (bar != NULL);

  gtk_popover_popdown (GTK_POPOVER (bar->popover));
  g_clear_pointer (&bar->suggestions, g_ptr_array_unref);
  gtk_string_list_splice (bar->urls, 0, g_list_model_get_n_items (G_LIST_MODEL (bar->urls)), NULL);
  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (bar->list))) != NULL;)
    gtk_list_box_remove (bar->list, row);
}

/* The page's favicon from the profile, as Chromium's omnibox shows it, else
 * a star for a bookmark or the history's clock. */
static GtkWidget *
make_row_icon (BhHistory *history, const BhHistorySuggestion *s)
{
  guint width = 0, height = 0;
  g_autoptr (GBytes) pixels = bh_history_get_favicon (history, s->url, &width, &height);
  g_autoptr (GdkTexture) texture = NULL;
  GtkWidget *icon;

  if (pixels == NULL)
    return gtk_image_new_from_icon_name (s->bookmarked ? "starred-symbolic" : "document-open-recent-symbolic");
  texture = gdk_memory_texture_new ((int) width, (int) height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, pixels,
                                    (gsize) width * 4);
  icon = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 16);
  return icon;
}

static GtkWidget *
make_row (BhHistory *history, const BhHistorySuggestion *s)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = make_row_icon (history, s);
  GtkWidget *title = gtk_label_new (*s->title != '\0' ? s->title : s->url);
  GtkWidget *url = gtk_label_new (s->url);

  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (url), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (url), 0);
  gtk_widget_set_hexpand (url, TRUE);
  gtk_widget_add_css_class (url, "dim-label");
  gtk_label_set_max_width_chars (GTK_LABEL (title), 40);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), url);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  return box;
}

/* Inline completion: the best suggestion whose address starts with what
 * was typed. From an idle: the entry is not changed from inside its own
 * "changed", and the cursor has moved by then. */
static gboolean
complete_inline_cb (gpointer data)
{
  BhLocationBar *bar = data;
  /* A copy: setting the entry's text below frees what it returns. */
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (bar->entry)));
  g_autofree char *lower = NULL;
  glong typed_chars = g_utf8_strlen (text, -1);

  bar->complete_source = 0;
  if (bar->typed == NULL || !g_str_equal (text, bar->typed) || bar->suggestions == NULL)
    return G_SOURCE_REMOVE;
  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; i < bar->suggestions->len; i++)
    {
      BhHistorySuggestion *s = bar->suggestions->pdata[i];
      const char *candidates[] = { s->url, bh_history_strip_url (s->url) };

      for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
        {
          g_autofree char *candidate = g_utf8_strdown (candidates[c], -1);

          if (!g_str_has_prefix (candidate, lower) || strlen (candidate) == strlen (lower))
            continue;
          bar->completed_text = g_strconcat (text, candidates[c] + strlen (lower), NULL);
          bar->completed_url = g_strdup (s->url);
          set_entry_text (bar, bar->completed_text);
          gtk_editable_select_region (GTK_EDITABLE (bar->entry), (int) typed_chars, -1);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_REMOVE;
}

void
bh_location_bar_text_edited (BhLocationBar *bar)
{
  const char *text;
  gboolean grew;

  g_return_if_fail (bar != NULL);

  if (bar->changing)
    return;
  text = gtk_editable_get_text (GTK_EDITABLE (bar->entry));
  /* Only while typing on at the end, never on a deletion (Backspace would
   * otherwise fight the completion). */
  grew = bar->typed != NULL ? strlen (text) > strlen (bar->typed) && g_str_has_prefix (text, bar->typed)
                            : *text != '\0';
  g_free (bar->typed);
  bar->typed = g_strdup (text);
  clear_completion (bar);
  g_clear_handle_id (&bar->complete_source, g_source_remove);

  bh_location_bar_hide (bar);
  if (*text == '\0')
    return;
  bar->suggestions = bh_history_suggest (bar->history, text, BH_LOCATION_BAR_MAX_SUGGESTIONS);
  for (guint i = 0; i < bar->suggestions->len; i++)
    {
      BhHistorySuggestion *s = bar->suggestions->pdata[i];

      gtk_string_list_append (bar->urls, s->url);
      gtk_list_box_append (bar->list, make_row (bar->history, s));
    }
  if (bar->suggestions->len == 0)
    return;
  gtk_widget_set_size_request (bar->popover, MAX (gtk_widget_get_width (GTK_WIDGET (bar->entry)), 200), -1);
  gtk_popover_popup (GTK_POPOVER (bar->popover));
  if (grew)
    bar->complete_source = g_idle_add (complete_inline_cb, bar);
}

static void
pick (BhLocationBar *bar, const char *url)
{
  g_autofree char *chosen = g_strdup (url);

  bh_location_bar_hide (bar);
  clear_completion (bar);
  g_clear_pointer (&bar->typed, g_free);
  bar->navigate (chosen, bar->data);
}

gboolean
bh_location_bar_activate (BhLocationBar *bar)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (bar != NULL, FALSE);

  row = gtk_list_box_get_selected_row (bar->list);
  if (row != NULL && gtk_widget_get_visible (bar->popover))
    {
      const char *url = gtk_string_list_get_string (bar->urls, (guint) gtk_list_box_row_get_index (row));

      if (url != NULL)
        {
          pick (bar, url);
          return TRUE;
        }
    }
  if (bar->completed_url != NULL &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (bar->entry)), bar->completed_text) == 0)
    {
      pick (bar, bar->completed_url);
      return TRUE;
    }
  bh_location_bar_hide (bar);
  clear_completion (bar);
  g_clear_pointer (&bar->typed, g_free);
  return FALSE;
}

gboolean
bh_location_bar_move_selection (BhLocationBar *bar,
                                int            step)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (bar->urls));
  GtkListBoxRow *row;
  int index;

  if (!gtk_widget_get_visible (bar->popover) || n == 0)
    return FALSE;
  row = gtk_list_box_get_selected_row (bar->list);
  index = row != NULL ? gtk_list_box_row_get_index (row) + step : (step > 0 ? 0 : (int) n - 1);
  if (index < 0 || index >= (int) n)
    {
      /* Past either end: back to what was typed, as Chromium does. */
      gtk_list_box_unselect_all (bar->list);
      if (bar->typed != NULL)
        set_entry_text (bar, bar->typed);
      gtk_editable_set_position (GTK_EDITABLE (bar->entry), -1);
      return TRUE;
    }
  row = gtk_list_box_get_row_at_index (bar->list, index);
  gtk_list_box_select_row (bar->list, row);
  set_entry_text (bar, gtk_string_list_get_string (bar->urls, (guint) index));
  gtk_editable_set_position (GTK_EDITABLE (bar->entry), -1);
  return TRUE;
}

GdkPaintable *
bh_location_bar_get_suggestion_favicon (BhLocationBar *bar, guint index)
{
  GtkListBoxRow *row;
  GtkWidget *box;
  GtkWidget *icon;

  g_return_val_if_fail (bar != NULL, NULL);

  row = gtk_list_box_get_row_at_index (bar->list, (int) index);
  if (row == NULL || (box = gtk_list_box_row_get_child (row)) == NULL ||
      (icon = gtk_widget_get_first_child (box)) == NULL || !GTK_IS_IMAGE (icon) ||
      gtk_image_get_storage_type (GTK_IMAGE (icon)) != GTK_IMAGE_PAINTABLE)
    return NULL;
  return gtk_image_get_paintable (GTK_IMAGE (icon));
}

GListModel *
bh_location_bar_get_suggestions (BhLocationBar *bar)
{
  g_return_val_if_fail (bar != NULL, NULL);
  return G_LIST_MODEL (bar->urls);
}

static void
row_activated_cb (GtkListBox *list, GtkListBoxRow *row, BhLocationBar *bar)
{
  const char *url = gtk_string_list_get_string (bar->urls, (guint) gtk_list_box_row_get_index (row));

  if (url != NULL)
    pick (bar, url);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BhLocationBar         *bar)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      return bh_location_bar_move_selection (bar, +1);
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      return bh_location_bar_move_selection (bar, -1);
    case GDK_KEY_Escape:
      if (gtk_widget_get_visible (bar->popover))
        {
          bh_location_bar_hide (bar);
          return TRUE;
        }
      return FALSE;
    default:
      return FALSE;
    }
}

static gboolean
is_bookmarkable (const char *url)
{
  return bh_history_should_record (url);
}

static void
update_star (BhLocationBar *bar)
{
  gboolean can = is_bookmarkable (bar->page_url);
  gboolean starred = can && bh_history_is_bookmarked (bar->history, bar->page_url);

  gtk_entry_set_icon_from_icon_name (bar->entry, GTK_ENTRY_ICON_SECONDARY,
                                     !can ? NULL : starred ? "starred-symbolic" : "non-starred-symbolic");
  gtk_entry_set_icon_tooltip_text (bar->entry, GTK_ENTRY_ICON_SECONDARY,
                                   starred ? "Remove this bookmark (Ctrl+D)" : "Bookmark this page (Ctrl+D)");
  gtk_entry_set_icon_activatable (bar->entry, GTK_ENTRY_ICON_SECONDARY, can);
}

void
bh_location_bar_set_page (BhLocationBar *bar,
                          const char    *url,
                          const char    *title)
{
  g_return_if_fail (bar != NULL);

  g_free (bar->page_url);
  bar->page_url = g_strdup (url);
  g_free (bar->page_title);
  bar->page_title = g_strdup (title);
  update_star (bar);
}

gboolean
bh_location_bar_toggle_bookmark (BhLocationBar *bar)
{
  gboolean starred;

  g_return_val_if_fail (bar != NULL, FALSE);

  if (!is_bookmarkable (bar->page_url))
    return FALSE;
  starred = bh_history_is_bookmarked (bar->history, bar->page_url);
  if (starred)
    bh_history_remove_bookmark (bar->history, bar->page_url);
  else
    bh_history_add_bookmark (bar->history, bar->page_url, bar->page_title);
  update_star (bar);
  return !starred;
}

static void
icon_press_cb (GtkEntry *entry, GtkEntryIconPosition position, BhLocationBar *bar)
{
  if (position == GTK_ENTRY_ICON_SECONDARY)
    bh_location_bar_toggle_bookmark (bar);
}

static gboolean
select_all_cb (gpointer data)
{
  BhLocationBar *bar = data;

  bar->select_all_source = 0;
  /* The focus is in the entry's GtkText. */
  if (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (bar->entry)))))
    gtk_editable_select_region (GTK_EDITABLE (bar->entry), 0, -1);
  return G_SOURCE_REMOVE;
}

/* A first click in the address bar selects all of it, as Chromium's omnibox
 * does, so that typing replaces the URL (Tab, Ctrl+L and F6 select all too);
 * a click once it has the focus places the caret, and a drag selects what it
 * covers. GtkText places the caret as the button goes up, so the selection
 * waits for the release; a legacy controller sees it whoever claimed the click. */
static gboolean
click_event_cb (GtkEventControllerLegacy *controller, GdkEvent *event, BhLocationBar *bar)
{
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (bar->entry)));
  int start, end;

  if (gdk_event_get_event_type (event) == GDK_BUTTON_PRESS)
    bar->focused_at_press = gtk_widget_has_focus (text);
  else if (gdk_event_get_event_type (event) == GDK_BUTTON_RELEASE && !bar->focused_at_press &&
           !gtk_editable_get_selection_bounds (GTK_EDITABLE (bar->entry), &start, &end) &&
           bar->select_all_source == 0)
    {
      bar->focused_at_press = TRUE;
      bar->select_all_source = g_idle_add (select_all_cb, bar);
    }
  return FALSE;
}

BhLocationBar *
bh_location_bar_new (GtkEntry             *entry,
                     BhHistory            *history,
                     BhLocationBarNavigate navigate,
                     gpointer              data)
{
  BhLocationBar *bar;
  GtkWidget *scroller;

  g_return_val_if_fail (GTK_IS_ENTRY (entry), NULL);
  g_return_val_if_fail (history != NULL && navigate != NULL, NULL);

  bar = g_new0 (BhLocationBar, 1);
  bar->entry = entry;
  bar->history = history;
  bar->navigate = navigate;
  bar->data = data;
  bar->urls = gtk_string_list_new (NULL);

  bar->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (bar->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (bar->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (bar->list), "bh-suggestions");
  g_signal_connect (bar->list, "row-activated", G_CALLBACK (row_activated_cb), bar);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (bar->list));
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);

  bar->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (bar->popover), scroller);
  gtk_popover_set_has_arrow (GTK_POPOVER (bar->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (bar->popover), GTK_POS_BOTTOM);
  /* The entry keeps the keyboard: the user types on while it shows. */
  gtk_popover_set_autohide (GTK_POPOVER (bar->popover), FALSE);
  gtk_widget_set_can_focus (bar->popover, FALSE);
  gtk_widget_set_halign (bar->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (bar->popover, GTK_WIDGET (entry));
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Suggestions", -1);

  bar->keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (bar->keys, GTK_PHASE_CAPTURE);
  g_signal_connect (bar->keys, "key-pressed", G_CALLBACK (key_pressed_cb), bar);
  gtk_widget_add_controller (GTK_WIDGET (entry), bar->keys);
  bar->clicks = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (bar->clicks, GTK_PHASE_CAPTURE);
  g_signal_connect (bar->clicks, "event", G_CALLBACK (click_event_cb), bar);
  gtk_widget_add_controller (GTK_WIDGET (entry), bar->clicks);
  bar->icon_handler = g_signal_connect (entry, "icon-press", G_CALLBACK (icon_press_cb), bar);
  update_star (bar);
  return bar;
}

void
bh_location_bar_free (BhLocationBar *bar)
{
  if (bar == NULL)
    return;
  g_clear_handle_id (&bar->select_all_source, g_source_remove);
  gtk_widget_remove_controller (GTK_WIDGET (bar->entry), bar->clicks);
  g_clear_handle_id (&bar->complete_source, g_source_remove);
  g_clear_pointer (&bar->suggestions, g_ptr_array_unref);
  g_clear_signal_handler (&bar->icon_handler, bar->entry);
  gtk_widget_remove_controller (GTK_WIDGET (bar->entry), bar->keys);
  gtk_widget_unparent (bar->popover);
  g_clear_object (&bar->urls);
  g_free (bar->page_url);
  g_free (bar->page_title);
  g_free (bar->typed);
  clear_completion (bar);
  g_free (bar);
}
