/* bh-bidi-window.c: BiDi browsing contexts shown in the GTK windows. */
#include "bh-bidi-window.h"

#include "bh-application.h"
#include "bh-window.h"

static BhWindow *
window_for_tab (GtkApplication *application, BhTab *tab)
{
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (BH_IS_WINDOW (l->data) && bh_window_get_tab_page (BH_WINDOW (l->data), tab) != NULL)
      return BH_WINDOW (l->data);
  return NULL;
}

static BhWindow *
any_window (GtkApplication *application)
{
  GtkWindow *active = gtk_application_get_active_window (application);

  /* Under Xvfb with no window manager nothing may be active. */
  if (BH_IS_WINDOW (active))
    return BH_WINDOW (active);
  for (GList *l = gtk_application_get_windows (application); l != NULL; l = l->next)
    if (BH_IS_WINDOW (l->data))
      return BH_WINDOW (l->data);
  return NULL;
}

static void
tab_created_cb (BhBidiServer *server, BhTab *tab, gboolean new_window, gboolean background,
                gpointer data)
{
  GtkApplication *application = data;
  BhWindow *window = new_window ? NULL : any_window (application);
  gboolean fresh = window == NULL;

  if (fresh)
    window = bh_window_new (application, bh_application_get_browser (BH_APPLICATION (application)));
  bh_window_add_tab (window, tab, -1, !background || fresh);
  if (fresh)
    gtk_window_present (GTK_WINDOW (window));
}

static gboolean
activate_tab_cb (BhBidiServer *server, BhTab *tab, gpointer data)
{
  BhWindow *window = window_for_tab (data, tab);
  GtkWidget *page;
  GtkWidget *notebook;

  if (window == NULL)
    return FALSE;
  page = bh_window_get_tab_page (window, tab);
  notebook = gtk_widget_get_ancestor (page, GTK_TYPE_NOTEBOOK);
  if (notebook != NULL)
    gtk_notebook_set_current_page (GTK_NOTEBOOK (notebook),
                                   gtk_notebook_page_num (GTK_NOTEBOOK (notebook), page));
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

static gboolean
close_tab_cb (BhBidiServer *server, BhTab *tab, gpointer data)
{
  BhWindow *window = window_for_tab (data, tab);

  if (window == NULL)
    return FALSE;
  bh_window_close_tab (window, tab);
  return TRUE;
}

static gboolean
set_window_state_cb (BhBidiServer *server, const char *state, gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  if (window == NULL)
    return FALSE;
  if (g_str_equal (state, "maximized"))
    gtk_window_maximize (window);
  else if (g_str_equal (state, "minimized"))
    gtk_window_minimize (window);
  else if (g_str_equal (state, "fullscreen"))
    gtk_window_fullscreen (window);
  else
    {
      gtk_window_unfullscreen (window);
      gtk_window_unmaximize (window);
      gtk_window_present (window);
    }
  return TRUE;
}

static void
close_requested_cb (BhBidiServer *server, gpointer data)
{
  GActionGroup *actions = G_ACTION_GROUP (data);

  /* app.quit closes every window and its tabs; the application ends once
   * the last window is gone. */
  if (g_action_group_has_action (actions, "quit"))
    g_action_group_activate_action (actions, "quit", NULL);
  else
    g_application_quit (G_APPLICATION (data));
}

void
bh_bidi_window_attach (BhBidiServer *server, GtkApplication *application)
{
  g_return_if_fail (BH_IS_BIDI_SERVER (server));
  g_return_if_fail (GTK_IS_APPLICATION (application));

  g_signal_connect_object (server, "tab-created", G_CALLBACK (tab_created_cb), application, 0);
  g_signal_connect_object (server, "activate-tab", G_CALLBACK (activate_tab_cb), application, 0);
  g_signal_connect_object (server, "close-tab", G_CALLBACK (close_tab_cb), application, 0);
  g_signal_connect_object (server, "set-window-state", G_CALLBACK (set_window_state_cb), application, 0);
  g_signal_connect_object (server, "close-requested", G_CALLBACK (close_requested_cb),
                           application, 0);
}
