/* bh-window.c: a browser window.
 *
 * The chrome (buttons, URL entry, window title, status bar) always shows the
 * current tab. The window listens to every tab it holds and ignores what a
 * background tab says, except for the requests a background tab may make:
 * "open-url" and "close-requested".
 */
#include "bh-window.h"

#include <math.h>

#include "bh-downloads-button.h"
#include "bh-print.h"
#include "bh-location-bar.h"
#include "bh-sad-tab.h"
#include "bh-tab-label.h"
#include "bh-tab-page.h"

struct _BhWindow {
  GtkApplicationWindow parent_instance;

  BhBrowser *browser; /* a reference: it makes the window's new tabs */
  BhLocationBar *location_bar; /* suggestions, completion, the star */

  /* Set while the window puts the tab's URL into the entry, so that the
   * change is not taken for the user's. */
  gboolean setting_location;
  /* The user typed into the entry and has not pressed Enter or Escape: a
   * redirect or a late commit must not overwrite what they are typing. */
  gboolean location_edited;

  /* Tab strip layout: the idle that recomputes it after the window's width
   * changed. */
  int laid_out_width_px;
  guint layout_tabs_source_id;

  /* template (the header bar is not bound: GtkWindow's dispose unparents
   * its titlebar itself, and gtk_widget_dispose_template() would do it a
   * second time) */
  GtkEntry *url_entry;
  BhDownloadsButton *downloads_button; /* packed into the header bar by hand */
  GPtrArray *closed_tabs; /* ClosedTab, the last closed last: Ctrl+Shift+T reopens it */
  GtkWidget *zoom_button; /* "110%" while the current tab is zoomed; a click resets it */
  GtkButton *reload_button;
  GtkWidget *sandbox_bar;
  GtkNotebook *notebook;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (BhWindow, bh_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  HANG_WAIT,
  HANG_KILL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What Ctrl+Shift+T brings back: where the tab was, and its history. */
typedef struct {
  char **urls;
  int current_index;
  int position;
} ClosedTab;

static void
closed_tab_free (ClosedTab *closed)
{
  g_strfreev (closed->urls);
  g_free (closed);
}

/* Chromium remembers 25 closed tabs per window. */
#define MAX_CLOSED_TABS 25

static void close_tab_page (BhWindow *self, BhTabPage *page);
static void update_zoom_button (BhWindow *self);
static BhTab *new_tab (BhWindow *self, int position, gboolean select);

static BhTabPage *
page_at (BhWindow *self, int index)
{
  GtkWidget *child;

  if (self->notebook == NULL || index < 0)
    return NULL;

  child = gtk_notebook_get_nth_page (self->notebook, index);
  return child != NULL ? BH_TAB_PAGE (child) : NULL;
}

static BhTabPage *
current_page (BhWindow *self)
{
  if (self->notebook == NULL)
    return NULL;

  return page_at (self, gtk_notebook_get_current_page (self->notebook));
}

static BhTabPage *
page_for_tab (BhWindow *self, BhTab *tab)
{
  int n;

  if (self->notebook == NULL)
    return NULL;

  n = gtk_notebook_get_n_pages (self->notebook);
  for (int i = 0; i < n; i++)
    {
      BhTabPage *page = page_at (self, i);

      if (bh_tab_page_get_tab (page) == tab)
        return page;
    }

  return NULL;
}

static gboolean
is_current (BhWindow *self, BhTab *tab)
{
  return tab != NULL && tab == bh_window_get_current_tab (self);
}

static void
set_action_enabled (BhWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static gboolean
tab_is_loading (BhTab *tab)
{
  gboolean loading = FALSE;

  g_object_get (tab, "loading", &loading, NULL);
  return loading;
}

/* ---- the chrome, following the current tab ---- */

static void
update_location (BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  const char *uri = tab != NULL ? bh_tab_get_uri (tab) : NULL;

  /* about:blank shows as an empty entry, ready for typing, as in Chromium. */
  if (uri == NULL || g_strcmp0 (uri, "about:blank") == 0)
    uri = "";

  self->setting_location = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), uri);
  self->setting_location = FALSE;
  self->location_edited = FALSE;
  if (self->location_bar != NULL)
    {
      bh_location_bar_hide (self->location_bar);
      bh_location_bar_set_page (self->location_bar, tab != NULL ? bh_tab_get_uri (tab) : NULL,
                                tab != NULL ? bh_tab_get_title (tab) : NULL);
    }
}

static void
update_title (BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  const char *title = tab != NULL ? bh_tab_get_title (tab) : NULL;

  if (title != NULL && *title != '\0')
    {
      g_autofree char *window_title = g_strdup_printf ("%s — Bulkhead", title);

      gtk_window_set_title (GTK_WINDOW (self), window_title);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), "Bulkhead");
    }
}

static void
update_navigation (BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  gboolean can_go_back = FALSE;
  gboolean can_go_forward = FALSE;
  gboolean loading = FALSE;

  if (tab != NULL)
    {
      g_object_get (tab,
                    "can-go-back", &can_go_back,
                    "can-go-forward", &can_go_forward,
                    NULL);
      loading = tab_is_loading (tab) && !bh_sad_tab_is_sad_state (bh_tab_get_state (tab));
    }

  set_action_enabled (self, "back", can_go_back);
  set_action_enabled (self, "forward", can_go_forward);
  set_action_enabled (self, "reload", tab != NULL);
  /* Stop is enabled only while loading, so that Escape reaches the page or
   * the URL entry the rest of the time. */
  set_action_enabled (self, "stop", loading);

  /* One button, as in Chromium: Stop while loading, Reload otherwise. */
  gtk_button_set_icon_name (self->reload_button,
                            loading ? "process-stop-symbolic" : "view-refresh-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reload_button),
                                  loading ? "win.stop" : "win.reload");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reload_button),
                               loading ? "Stop loading (Esc)" : "Reload (F5)");
}

static void
update_status (BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  g_autofree char *hovered_link = NULL;
  g_autofree char *text = NULL;
  BhTabState state;

  if (tab == NULL)
    {
      gtk_label_set_label (self->status_label, "");
      return;
    }

  g_object_get (tab, "hovered-link", &hovered_link, NULL);
  state = bh_tab_get_state (tab);

  if (hovered_link != NULL && *hovered_link != '\0')
    {
      text = g_steal_pointer (&hovered_link);
    }
  else if (bh_sad_tab_is_sad_state (state) || state == BH_TAB_STATE_UNRESPONSIVE)
    {
      const char *message = bh_tab_get_status_message (tab);

      if (message != NULL && *message != '\0')
        text = g_strdup (message);
      else
        text = g_strdup_printf ("The page is %s", bh_tab_state_to_string (state));
    }
  else if (tab_is_loading (tab))
    {
      text = g_strdup_printf ("Loading %s…", bh_tab_get_uri (tab));
    }
  else
    {
      text = g_strdup ("Done");
    }

  gtk_label_set_label (self->status_label, text);
}

static void
update_all (BhWindow *self)
{
  update_location (self);
  update_title (self);
  update_navigation (self);
  update_status (self);
  set_action_enabled (self, "close-tab", bh_window_get_n_tabs (self) > 0);
}

static void
focus_current_page (BhWindow *self)
{
  BhTabPage *page = current_page (self);

  if (page != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (page));
}

static void
focus_location (BhWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
}

/* ---- the tab strip ---- */

/* Chromium's tabs are at most about 240 px wide and shrink together when
 * the strip is full; GtkNotebook has no such mode (its scroll arrows are
 * not an option: GTK 4.8 allocates them negative sizes), so the window sets
 * every title's width itself. */
#define TAB_MAX_WIDTH_PX 240
/* Narrower titles than this hide the close buttons of background tabs. */
#define TAB_MIN_TITLE_WITH_CLOSE_PX 32

static BhTabLabel *
tab_label_at (BhWindow *self, int index)
{
  GtkWidget *page = gtk_notebook_get_nth_page (self->notebook, index);

  return BH_TAB_LABEL (gtk_notebook_get_tab_label (self->notebook, page));
}

static void
layout_tabs (BhWindow *self)
{
  int n;
  int current;
  int available_px;
  int tab_px;
  int close_chrome_px;
  int bare_chrome_px;
  int title_px;
  int min_title_px;
  gboolean compact;

  if (self->notebook == NULL)
    return;

  n = gtk_notebook_get_n_pages (self->notebook);
  if (n == 0)
    return;

  current = gtk_notebook_get_current_page (self->notebook);
  close_chrome_px = bh_tab_label_get_chrome_width (tab_label_at (self, 0), TRUE);
  bare_chrome_px = bh_tab_label_get_chrome_width (tab_label_at (self, 0), FALSE);
  min_title_px = bh_tab_label_get_min_title_width (tab_label_at (self, 0));

  /* The window's width, less the strip's own margins. Every width used
   * here is measured, so that the tabs never ask for more than there is: a
   * window widened by its tabs would widen them in turn. */
  available_px = gtk_widget_get_width (GTK_WIDGET (self)) - 16;
  tab_px = MIN (available_px / n, TAB_MAX_WIDTH_PX);
  title_px = tab_px - close_chrome_px;
  compact = title_px < TAB_MIN_TITLE_WITH_CLOSE_PX;
  if (compact)
    {
      /* The current tab keeps its close button: the others make room. */
      tab_px = MIN ((available_px - (close_chrome_px - bare_chrome_px)) / n, TAB_MAX_WIDTH_PX);
      title_px = tab_px - bare_chrome_px;
    }
  title_px = MAX (title_px, min_title_px);

  for (int i = 0; i < n; i++)
    {
      BhTabLabel *label = tab_label_at (self, i);

      bh_tab_label_set_title_width (label, title_px);
      bh_tab_label_set_close_button_visible (label, !compact || i == current);
    }
}

static gboolean
layout_tabs_cb (gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  self->layout_tabs_source_id = 0;
  layout_tabs (self);
  return G_SOURCE_REMOVE;
}

static void
queue_layout_tabs (BhWindow *self)
{
  /* Not from within size_allocate: the new widths take effect in the next
   * frame. */
  if (self->layout_tabs_source_id == 0)
    self->layout_tabs_source_id = g_idle_add (layout_tabs_cb, self);
}

static void
bh_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  BhWindow *self = BH_WINDOW (widget);

  GTK_WIDGET_CLASS (bh_window_parent_class)->size_allocate (widget, width, height, baseline);

  if (width != self->laid_out_width_px)
    {
      self->laid_out_width_px = width;
      queue_layout_tabs (self);
    }
}

/* ---- what tabs say ---- */

static void
tab_uri_changed_cb (BhTab *tab, GParamSpec *pspec, BhWindow *self)
{
  if (is_current (self, tab) && !self->location_edited)
    update_location (self);
  if (is_current (self, tab))
    update_status (self);
  /* about:ipc is a window, not a page: the page says so (pages/ipc.html). */
  if (g_strcmp0 (bh_tab_get_uri (tab), "about:ipc") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.ipc-inspector", NULL);
}

static void
tab_title_changed_cb (BhTab *tab, GParamSpec *pspec, BhWindow *self)
{
  if (is_current (self, tab))
    update_title (self);
  if (is_current (self, tab) && self->location_bar != NULL)
    bh_location_bar_set_page (self->location_bar, bh_tab_get_uri (tab), bh_tab_get_title (tab));
}

static void
tab_navigation_changed_cb (BhTab *tab, GParamSpec *pspec, BhWindow *self)
{
  if (is_current (self, tab))
    {
      update_navigation (self);
      update_status (self);
    }
}

static void
tab_status_changed_cb (BhTab *tab, GParamSpec *pspec, BhWindow *self)
{
  if (is_current (self, tab))
    update_status (self);
}

static void
tab_open_url_cb (BhTab *tab, const char *url, guint disposition, BhWindow *self)
{
  BhTabPage *page = page_for_tab (self, tab);
  int position;

  g_return_if_fail (page != NULL);

  if (disposition != BH_DISPOSITION_NEW_TAB && disposition != BH_DISPOSITION_NEW_BACKGROUND_TAB)
    {
      bh_tab_navigate (tab, url);
      return;
    }

  /* Next to the tab that asked, as Chromium places a tab opened from a
   * link; in front, or behind for a middle click or Ctrl+click. The URL is
   * the page's, absolute: no user-input fix-ups. */
  position = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page)) + 1;
  bh_tab_navigate (new_tab (self, position, disposition == BH_DISPOSITION_NEW_TAB), url);
}

static void
tab_close_requested_cb (BhTab *tab, BhWindow *self)
{
  bh_window_close_tab (self, tab);
}

static void
tab_page_hang_wait_cb (BhTabPage *page, BhWindow *self)
{
  g_signal_emit (self, signals[HANG_WAIT], 0, bh_tab_page_get_tab (page));
}

static void
tab_page_hang_kill_cb (BhTabPage *page, BhWindow *self)
{
  g_signal_emit (self, signals[HANG_KILL], 0, bh_tab_page_get_tab (page));
}

static void
tab_label_close_clicked_cb (BhTabLabel *label, BhWindow *self)
{
  BhTabPage *page = page_for_tab (self, bh_tab_label_get_tab (label));

  if (page != NULL)
    close_tab_page (self, page);
}

/* ---- the template's callbacks ---- */

static void
notebook_page_changed_cb (GtkNotebook *notebook, GParamSpec *pspec, BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);

  update_all (self);
  layout_tabs (self);
  if (self->zoom_button != NULL)
    update_zoom_button (self);

  /* A blank tab wants an address; any other wants its page focused. */
  if (tab != NULL && g_strcmp0 (bh_tab_get_uri (tab), "about:blank") == 0)
    focus_location (self);
  else
    focus_current_page (self);
}

static void
url_entry_changed_cb (GtkEditable *editable, BhWindow *self)
{
  if (!self->setting_location)
    {
      self->location_edited = TRUE;
      if (self->location_bar != NULL)
        bh_location_bar_text_edited (self->location_bar);
    }
}

static void
url_entry_activate_cb (GtkEntry *entry, BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (tab == NULL || *text == '\0')
    return;
  /* A suggestion picked, or the inline completion: location_bar_navigate_cb. */
  if (self->location_bar != NULL && bh_location_bar_activate (self->location_bar))
    return;

  self->location_edited = FALSE;
  bh_tab_navigate_to_user_input (tab, text);
  update_location (self);
  focus_current_page (self);
}

/* The user picked a suggestion (or Enter took the inline completion). */
static void
location_bar_navigate_cb (const char *url, gpointer data)
{
  BhWindow *self = data;
  BhTab *tab = bh_window_get_current_tab (self);

  if (tab == NULL)
    return;
  self->location_edited = FALSE;
  bh_tab_navigate (tab, url);
  update_location (self);
  focus_current_page (self);
}

static gboolean
url_entry_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          BhWindow              *self)
{
  if (keyval != GDK_KEY_Escape || (state & GDK_MODIFIER_MASK) != 0)
    return FALSE;

  /* Escape drops the edit and shows the tab's address again. */
  update_location (self);
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
  return TRUE;
}

static void
sandbox_bar_close_clicked_cb (GtkButton *button, BhWindow *self)
{
  gtk_widget_set_visible (self->sandbox_bar, FALSE);
}

/* ---- window actions ---- */

/* Reloading a form's POST result, or going back or forward to one, sends the
 * form again: browsers ask first (Chromium's "Confirm Form Resubmission"). */
typedef struct {
  BhTab *tab; /* a reference */
  int offset; /* 0 for a reload, -1 back, 1 forward */
} Resend;

static void
resend_response_cb (GtkDialog *dialog, int response, gpointer data)
{
  Resend *resend = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      if (resend->offset == 0)
        bh_tab_reload (resend->tab);
      else if (resend->offset < 0)
        bh_tab_go_back (resend->tab);
      else
        bh_tab_go_forward (resend->tab);
    }
  g_object_unref (resend->tab);
  g_free (resend);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
navigate_history (BhWindow *self, int offset)
{
  BhTab *tab = bh_window_get_current_tab (self);
  GtkWidget *dialog;
  Resend *resend;

  if (tab == NULL)
    return;
  if (!bh_tab_history_entry_has_post_data (tab, offset))
    {
      if (offset == 0)
        bh_tab_reload (tab);
      else if (offset < 0)
        bh_tab_go_back (tab);
      else
        bh_tab_go_forward (tab);
      return;
    }
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "Resend the form?");
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "This page was made from information you entered. Showing it again "
                                            "sends that information again, and repeats whatever it did (a "
                                            "purchase, a post).");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "_Cancel", GTK_RESPONSE_CANCEL, "_Resend", GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  resend = g_new0 (Resend, 1);
  resend->tab = g_object_ref (tab);
  resend->offset = offset;
  g_signal_connect (dialog, "response", G_CALLBACK (resend_response_cb), resend);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  navigate_history (BH_WINDOW (user_data), -1);
}

static void
forward_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  navigate_history (BH_WINDOW (user_data), 1);
}

static void
reload_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  navigate_history (BH_WINDOW (user_data), 0);
}

static void
reload_bypassing_cache_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhTab *tab = bh_window_get_current_tab (BH_WINDOW (user_data));

  if (tab != NULL)
    bh_tab_reload_bypassing_cache (tab);
}

static BhFindBar *
current_find_bar (BhWindow *self)
{
  BhTabPage *page = current_page (self);

  return page != NULL ? bh_tab_page_get_find_bar (page) : NULL;
}

static void
stop_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  BhTab *tab = bh_window_get_current_tab (self);
  BhFindBar *find_bar = current_find_bar (self);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Escape in the find bar closes it, as in Chromium. */
  if (find_bar != NULL && bh_find_bar_is_open (find_bar) && focus != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (find_bar)))
    {
      bh_find_bar_close (find_bar);
      return;
    }
  if (tab != NULL)
    bh_tab_stop (tab);
}

static void
find_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhFindBar *find_bar = current_find_bar (BH_WINDOW (user_data));

  if (find_bar != NULL)
    bh_find_bar_open (find_bar);
}

static void
find_next_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhFindBar *find_bar = current_find_bar (BH_WINDOW (user_data));

  if (find_bar != NULL)
    bh_find_bar_step (find_bar, TRUE);
}

static void
find_previous_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhFindBar *find_bar = current_find_bar (BH_WINDOW (user_data));

  if (find_bar != NULL)
    bh_find_bar_step (find_bar, FALSE);
}

static void
new_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  /* Chromium opens its New Tab page; ours is a blank page with the address
   * entry focused. */
  bh_window_open_url (self, "about:blank", -1, TRUE);
  focus_location (self);
}

/* The context menu's "Open link in new tab": behind, next to the current
 * tab, as Chromium opens it. The URL is the page's, absolute. */
static void
open_in_new_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  bh_window_open_url (self, g_variant_get_string (parameter, NULL),
                      gtk_notebook_get_current_page (self->notebook) + 1, FALSE);
}

/* Ctrl+U and the context menu's "View page source": view-source:URL in a
 * new tab in front, next to the current one, as Chromium does. */
static void
view_source_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  BhTab *tab = bh_window_get_current_tab (self);
  const char *uri = tab != NULL ? bh_tab_get_uri (tab) : NULL;
  g_autofree char *url = NULL;

  if (uri == NULL || *uri == '\0' || g_str_has_prefix (uri, "view-source:"))
    return;
  url = g_strconcat ("view-source:", uri, NULL);
  bh_window_open_url (self, url, gtk_notebook_get_current_page (self->notebook) + 1, TRUE);
}

/* Ctrl+P and the context menu's "Print…": the print dialog, then the page as a PDF. */
static void
print_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  BhTab *tab = bh_window_get_current_tab (self);

  if (tab != NULL)
    bh_print_tab (GTK_WINDOW (self), tab);
}

static void
close_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  BhTabPage *page = current_page (self);

  if (page != NULL)
    close_tab_page (self, page);
}

static void
focus_location_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  focus_location (BH_WINDOW (user_data));
}

static void
cycle_tabs (BhWindow *self, int step)
{
  int n = gtk_notebook_get_n_pages (self->notebook);
  int current = gtk_notebook_get_current_page (self->notebook);

  /* Ctrl+Tab wraps around at either end, as in Chromium. */
  if (n > 1)
    gtk_notebook_set_current_page (self->notebook, ((current + step) % n + n) % n);
}

static void
next_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cycle_tabs (BH_WINDOW (user_data), 1);
}

static void
previous_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cycle_tabs (BH_WINDOW (user_data), -1);
}

/* Ctrl+H: about:history in a new tab, as Chromium opens chrome://history. */
static void
show_history_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  bh_window_open_url (self, "about:history", -1, TRUE);
}

static void
show_bookmarks_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  bh_window_open_url (self, "about:bookmarks", -1, TRUE);
}

/* Ctrl+D: bookmark the page, or remove its bookmark (the star shows which). */
static void
bookmark_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);

  if (self->location_bar != NULL)
    bh_location_bar_toggle_bookmark (self->location_bar);
}

/* ---- zoom ---- */

/* Chromium's zoom steps. */
static const double zoom_levels[] = { 0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75,
                                      2.0, 2.5, 3.0, 4.0, 5.0 };

/* Zoom is remembered per site, for the application's life, as Chromium
 * remembers it per host in the profile: site -> double*. */
static GHashTable *
site_zoom_levels (void)
{
  static GHashTable *levels;

  if (levels == NULL)
    levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return levels;
}

static char *
tab_site (BhTab *tab)
{
  char *site = NULL;

  g_object_get (tab, "site", &site, NULL);
  return site;
}

static void
update_zoom_button (BhWindow *self)
{
  BhTab *tab = bh_window_get_current_tab (self);
  double zoom = tab != NULL ? bh_tab_get_zoom (tab) : 1.0;
  g_autofree char *label = g_strdup_printf ("%d%%", (int) round (zoom * 100));

  gtk_button_set_label (GTK_BUTTON (self->zoom_button), label);
  gtk_widget_set_visible (self->zoom_button, fabs (zoom - 1.0) > 0.001);
}

/* Every tab of the window on @site takes its zoom. */
static void
set_site_zoom (BhWindow *self, const char *site, double zoom)
{
  double *stored = g_new (double, 1);

  *stored = zoom;
  g_hash_table_replace (site_zoom_levels (), g_strdup (site), stored);
  for (guint i = 0; i < bh_window_get_n_tabs (self); i++)
    {
      BhTab *tab = bh_window_get_tab (self, i);
      g_autofree char *other = tab_site (tab);

      if (g_strcmp0 (other, site) == 0)
        bh_tab_set_zoom (tab, zoom);
    }
  update_zoom_button (self);
}

static void
tab_site_changed_cb (BhTab *tab, GParamSpec *pspec, BhWindow *self)
{
  g_autofree char *site = tab_site (tab);
  double *stored = site != NULL ? g_hash_table_lookup (site_zoom_levels (), site) : NULL;

  bh_tab_set_zoom (tab, stored != NULL ? *stored : 1.0);
  update_zoom_button (self);
}

static void
zoom_step (BhWindow *self, int step)
{
  BhTab *tab = bh_window_get_current_tab (self);
  g_autofree char *site = tab != NULL ? tab_site (tab) : NULL;
  double zoom;
  gsize i = 0;

  if (tab == NULL || site == NULL || *site == '\0')
    return;
  zoom = bh_tab_get_zoom (tab);
  if (step == 0)
    {
      set_site_zoom (self, site, 1.0);
      return;
    }
  /* The next level up or down from where it is. */
  if (step > 0)
    {
      while (i < G_N_ELEMENTS (zoom_levels) && zoom_levels[i] <= zoom + 0.001)
        i++;
      if (i == G_N_ELEMENTS (zoom_levels))
        return;
    }
  else
    {
      i = G_N_ELEMENTS (zoom_levels);
      while (i > 0 && zoom_levels[i - 1] >= zoom - 0.001)
        i--;
      if (i == 0)
        return;
      i--;
    }
  set_site_zoom (self, site, zoom_levels[i]);
}

static void
zoom_in_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  zoom_step (BH_WINDOW (user_data), 1);
}

static void
zoom_out_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  zoom_step (BH_WINDOW (user_data), -1);
}

static void
zoom_reset_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  zoom_step (BH_WINDOW (user_data), 0);
}

/* Ctrl+1 ... Ctrl+8 select that tab, Ctrl+9 the last one (Chromium's). */
static void
select_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  int n = gtk_notebook_get_n_pages (self->notebook);
  int index = g_variant_get_int32 (parameter);

  if (n == 0)
    return;
  if (index >= 9)
    index = n;
  if (index >= 1 && index <= n)
    gtk_notebook_set_current_page (self->notebook, index - 1);
}

static void
reopen_closed_tab_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhWindow *self = BH_WINDOW (user_data);
  ClosedTab *closed;
  BhTab *tab;

  if (self->closed_tabs->len == 0)
    return;
  closed = g_ptr_array_steal_index (self->closed_tabs, self->closed_tabs->len - 1);
  tab = new_tab (self, MIN (closed->position, gtk_notebook_get_n_pages (self->notebook)), TRUE);
  bh_tab_restore_history (tab, (const char *const *) closed->urls, closed->current_index);
  closed_tab_free (closed);
}

static const GActionEntry window_actions[] = {
  { .name = "zoom-in", .activate = zoom_in_activated_cb },
  { .name = "zoom-out", .activate = zoom_out_activated_cb },
  { .name = "zoom-reset", .activate = zoom_reset_activated_cb },
  { .name = "reopen-closed-tab", .activate = reopen_closed_tab_activated_cb },
  { .name = "select-tab", .activate = select_tab_activated_cb, .parameter_type = "i" },
  { .name = "show-history", .activate = show_history_activated_cb },
  { .name = "reload-bypassing-cache", .activate = reload_bypassing_cache_activated_cb },
  { .name = "show-bookmarks", .activate = show_bookmarks_activated_cb },
  { .name = "bookmark", .activate = bookmark_activated_cb },
  { .name = "back", .activate = back_activated_cb },
  { .name = "forward", .activate = forward_activated_cb },
  { .name = "reload", .activate = reload_activated_cb },
  { .name = "stop", .activate = stop_activated_cb },
  { .name = "find", .activate = find_activated_cb },
  { .name = "find-next", .activate = find_next_activated_cb },
  { .name = "find-previous", .activate = find_previous_activated_cb },
  { .name = "new-tab", .activate = new_tab_activated_cb },
  { .name = "close-tab", .activate = close_tab_activated_cb },
  { .name = "focus-location", .activate = focus_location_activated_cb },
  { .name = "next-tab", .activate = next_tab_activated_cb },
  { .name = "previous-tab", .activate = previous_tab_activated_cb },
  { .name = "open-in-new-tab", .activate = open_in_new_tab_activated_cb, .parameter_type = "s" },
  { .name = "view-source", .activate = view_source_activated_cb },
  { .name = "print", .activate = print_activated_cb },
};

/* ---- tabs ---- */

static void
forget_tab (BhWindow *self, BhTabPage *page)
{
  BhTab *tab = bh_tab_page_get_tab (page);

  g_signal_handlers_disconnect_by_data (tab, self);
  g_signal_handlers_disconnect_by_data (page, self);
}

static void
close_tab_page (BhWindow *self, BhTabPage *page)
{
  g_autoptr(BhTab) tab = g_object_ref (bh_tab_page_get_tab (page));
  int index = gtk_notebook_page_num (self->notebook, GTK_WIDGET (page));
  ClosedTab *closed = g_new0 (ClosedTab, 1);

  g_return_if_fail (index >= 0);

  closed->urls = bh_tab_get_history_urls (tab, &closed->current_index);
  closed->position = index;
  if (closed->current_index >= 0)
    {
      if (self->closed_tabs->len >= MAX_CLOSED_TABS)
        g_ptr_array_remove_index (self->closed_tabs, 0);
      g_ptr_array_add (self->closed_tabs, closed);
    }
  else
    closed_tab_free (closed);

  forget_tab (self, page);
  gtk_notebook_remove_page (self->notebook, index);
  bh_tab_close (tab);
  queue_layout_tabs (self);

  if (gtk_notebook_get_n_pages (self->notebook) == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
tab_download_started_cb (BhTab *tab, BhDownload *download, BhWindow *self)
{
  bh_downloads_button_add (self->downloads_button, download);
}

/* Returns: (transfer none): a new tab of the window's browser, shown in
 * the window, which holds the only reference besides the browser's list. */
static BhTab *
new_tab (BhWindow *self, int position, gboolean select)
{
  g_autoptr(BhTab) tab = bh_browser_new_tab (self->browser);

  bh_window_add_tab (self, tab, position, select);
  return tab;
}

void
bh_window_add_tab (BhWindow *self, BhTab *tab, int position, gboolean select)
{
  GtkWidget *page;
  GtkWidget *label;
  int index;

  g_return_if_fail (BH_IS_WINDOW (self));
  g_return_if_fail (BH_IS_TAB (tab));
  g_return_if_fail (page_for_tab (self, tab) == NULL);

  page = bh_tab_page_new (tab);
  label = bh_tab_label_new (tab);

  g_signal_connect (tab, "notify::uri", G_CALLBACK (tab_uri_changed_cb), self);
  g_signal_connect (tab, "notify::title", G_CALLBACK (tab_title_changed_cb), self);
  g_signal_connect (tab, "notify::loading", G_CALLBACK (tab_navigation_changed_cb), self);
  g_signal_connect (tab, "notify::state", G_CALLBACK (tab_navigation_changed_cb), self);
  g_signal_connect (tab, "notify::can-go-back", G_CALLBACK (tab_navigation_changed_cb), self);
  g_signal_connect (tab, "notify::can-go-forward", G_CALLBACK (tab_navigation_changed_cb), self);
  g_signal_connect (tab, "notify::hovered-link", G_CALLBACK (tab_status_changed_cb), self);
  g_signal_connect (tab, "notify::status-message", G_CALLBACK (tab_status_changed_cb), self);
  g_signal_connect (tab, "open-url", G_CALLBACK (tab_open_url_cb), self);
  g_signal_connect (tab, "close-requested", G_CALLBACK (tab_close_requested_cb), self);
  g_signal_connect (tab, "download-started", G_CALLBACK (tab_download_started_cb), self);
  g_signal_connect (tab, "notify::site", G_CALLBACK (tab_site_changed_cb), self);
  g_signal_connect (page, "hang-wait", G_CALLBACK (tab_page_hang_wait_cb), self);
  g_signal_connect (page, "hang-kill", G_CALLBACK (tab_page_hang_kill_cb), self);
  /* The label dies with its page, so it needs no disconnecting. */
  g_signal_connect (label, "close-clicked", G_CALLBACK (tab_label_close_clicked_cb), self);

  index = gtk_notebook_insert_page (self->notebook, page, label, position);
  gtk_notebook_set_tab_reorderable (self->notebook, page, TRUE);
  layout_tabs (self);

  if (select)
    gtk_notebook_set_current_page (self->notebook, index);

  set_action_enabled (self, "close-tab", TRUE);
}

BhTab *
bh_window_open_url (BhWindow *self, const char *url, int position, gboolean select)
{
  BhTab *tab;

  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  tab = new_tab (self, position, select);
  bh_tab_navigate_to_user_input (tab, url);
  return tab;
}

void
bh_window_close_tab (BhWindow *self, BhTab *tab)
{
  BhTabPage *page;

  g_return_if_fail (BH_IS_WINDOW (self));
  g_return_if_fail (BH_IS_TAB (tab));

  page = page_for_tab (self, tab);
  g_return_if_fail (page != NULL);

  close_tab_page (self, page);
}

BhTab *
bh_window_get_current_tab (BhWindow *self)
{
  BhTabPage *page;

  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);

  page = current_page (self);
  return page != NULL ? bh_tab_page_get_tab (page) : NULL;
}

guint
bh_window_get_n_tabs (BhWindow *self)
{
  g_return_val_if_fail (BH_IS_WINDOW (self), 0);

  return self->notebook != NULL ? (guint) gtk_notebook_get_n_pages (self->notebook) : 0;
}

BhTab *
bh_window_get_tab (BhWindow *self, guint index)
{
  BhTabPage *page;

  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);

  page = index <= G_MAXINT ? page_at (self, (int) index) : NULL;
  return page != NULL ? bh_tab_page_get_tab (page) : NULL;
}

GtkWidget *
bh_window_get_tab_page (BhWindow *self, BhTab *tab)
{
  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (BH_IS_TAB (tab), NULL);

  return GTK_WIDGET (page_for_tab (self, tab));
}

void
bh_window_set_sandbox_warning_visible (BhWindow *self, gboolean visible)
{
  g_return_if_fail (BH_IS_WINDOW (self));

  gtk_widget_set_visible (self->sandbox_bar, visible);
}

GtkWidget *
bh_window_get_downloads_button (BhWindow *self)
{
  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->downloads_button);
}

void
bh_window_show_certificate_warning (BhWindow *self)
{
  GtkWidget *bar;
  GtkWidget *label;

  g_return_if_fail (BH_IS_WINDOW (self));

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (bar, "warning-bar");
  gtk_box_append (GTK_BOX (bar), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  label = gtk_label_new ("You are running Bulkhead with --ignore-certificate-errors: https "
                         "certificates are not checked, so your connections may not be private.");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (bar), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, "Warning", -1);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->sandbox_bar)), bar, self->sandbox_bar);
}

BhLocationBar *
bh_window_get_location_bar (BhWindow *self)
{
  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);
  return self->location_bar;
}

BhWindow *
bh_window_new (GtkApplication *application, BhBrowser *browser)
{
  BhWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);

  self = g_object_new (BH_TYPE_WINDOW, "application", application, NULL);
  self->browser = g_object_ref (browser);
  self->location_bar = bh_location_bar_new (self->url_entry,
                                            bh_profile_get_history (bh_browser_get_profile (browser)),
                                            location_bar_navigate_cb, self);
  return self;
}

static void
bh_window_dispose (GObject *object)
{
  BhWindow *self = BH_WINDOW (object);

  /* The window owns its tabs: they end with it, as in every browser. */
  if (self->notebook != NULL)
    {
      int n = gtk_notebook_get_n_pages (self->notebook);

      for (int i = 0; i < n; i++)
        {
          BhTabPage *page = page_at (self, i);

          forget_tab (self, page);
          bh_tab_close (bh_tab_page_get_tab (page));
        }

      /* Taking the template apart switches pages and empties the entry:
       * nothing of that should reach a half-disposed window. */
      g_signal_handlers_disconnect_by_data (self->notebook, self);
    }

  if (self->url_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->url_entry, self);
  g_clear_pointer (&self->location_bar, bh_location_bar_free);

  g_clear_handle_id (&self->layout_tabs_source_id, g_source_remove);
  g_clear_pointer (&self->closed_tabs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_WINDOW);
  g_clear_object (&self->browser);

  G_OBJECT_CLASS (bh_window_parent_class)->dispose (object);
}

static void
bh_window_class_init (BhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_window_dispose;

  widget_class->size_allocate = bh_window_size_allocate;

  signals[HANG_WAIT] =
    g_signal_new ("hang-wait",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_TAB);
  signals[HANG_KILL] =
    g_signal_new ("hang-kill",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_TAB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bulkhead/Browser/ui/bh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BhWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, sandbox_bar);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, notebook);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, status_label);
  gtk_widget_class_bind_template_callback (widget_class, notebook_page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, sandbox_bar_close_clicked_cb);
}

static void
bh_window_init (BhWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->closed_tabs = g_ptr_array_new_with_free_func ((GDestroyNotify) closed_tab_free);

  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (url_entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->url_entry), controller);

  /* The zoom, shown while not 100 % (Chromium shows it in the address bar). */
  self->zoom_button = gtk_button_new_with_label ("100%");
  gtk_widget_set_tooltip_text (self->zoom_button, "Reset the zoom (Ctrl+0)");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->zoom_button), "win.zoom-reset");
  gtk_widget_set_visible (self->zoom_button, FALSE);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (self))), self->zoom_button);
  self->downloads_button = BH_DOWNLOADS_BUTTON (bh_downloads_button_new ());
  gtk_header_bar_pack_end (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (self))),
                           GTK_WIDGET (self->downloads_button));

  update_all (self);
}
