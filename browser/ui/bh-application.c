/* bh-application.c: the GTK application: windows, app actions, shortcuts. */
#include "bh-application.h"

struct _BhApplication {
  GtkApplication parent_instance;

  BhBrowser *browser;
};

G_DEFINE_FINAL_TYPE (BhApplication, bh_application, GTK_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_BROWSER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The keyboard shortcuts, Chromium's where it has one
 * (https://support.google.com/chrome/answer/157179). */
static const struct {
  const char *action;
  const char *accels[4];
} shortcuts[] = {
  { "win.new-tab", { "<Control>t", NULL } },
  { "win.close-tab", { "<Control>w", "<Control>F4", NULL } },
  { "win.focus-location", { "<Control>l", "<Alt>d", "F6", NULL } },
  { "win.next-tab", { "<Control>Tab", "<Control>Page_Down", NULL } },
  /* Shift+Tab arrives as ISO_Left_Tab on X11 and Wayland. */
  { "win.previous-tab", { "<Control><Shift>Tab", "<Control><Shift>ISO_Left_Tab",
                          "<Control>Page_Up", NULL } },
  { "win.back", { "<Alt>Left", "Back", NULL } },
  { "win.forward", { "<Alt>Right", "Forward", NULL } },
  { "win.reload", { "F5", "<Control>r", "Reload", NULL } },
  { "win.stop", { "Escape", NULL } },
  { "win.show-history", { "<Control>h", NULL } },
  { "win.reload-bypassing-cache", { "<Control><Shift>r", "<Shift>F5", NULL } },
  { "win.show-bookmarks", { "<Control><Shift>o", NULL } },
  { "win.bookmark", { "<Control>d", NULL } },
  { "win.find", { "<Control>f", NULL } },
  { "win.select-tab(1)", { "<Control>1", NULL } },
  { "win.select-tab(2)", { "<Control>2", NULL } },
  { "win.select-tab(3)", { "<Control>3", NULL } },
  { "win.select-tab(4)", { "<Control>4", NULL } },
  { "win.select-tab(5)", { "<Control>5", NULL } },
  { "win.select-tab(6)", { "<Control>6", NULL } },
  { "win.select-tab(7)", { "<Control>7", NULL } },
  { "win.select-tab(8)", { "<Control>8", NULL } },
  { "win.select-tab(9)", { "<Control>9", NULL } },
  { "win.reopen-closed-tab", { "<Control><Shift>t", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
  { "win.find-next", { "F3", "<Control>g", NULL } },
  { "win.find-previous", { "<Shift>F3", "<Control><Shift>g", NULL } },
  { "win.view-source", { "<Control>u", NULL } },
  { "win.print", { "<Control>p", NULL } },
  { "app.new-window", { "<Control>n", NULL } },
  { "app.task-manager", { "<Shift>Escape", NULL } },
  { "app.quit", { "<Control>q", NULL } },
};

static BhWindow *
active_window (BhApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return BH_IS_WINDOW (window) ? BH_WINDOW (window) : NULL;
}

/* A command-line argument as Chromium takes it: a path to an existing file
 * opens that file; anything else is an address for
 * bh_tab_navigate_to_user_input(). */
static char *
url_for_argument (const char *argument)
{
  if (g_uri_peek_scheme (argument) == NULL &&
      g_file_test (argument, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argument);

      return g_file_get_uri (file);
    }

  return g_strdup (argument);
}

BhWindow *
bh_application_open_window (BhApplication *self, const char * const *urls)
{
  const BhBrowserOptions *options;
  BhWindow *window;

  g_return_val_if_fail (BH_IS_APPLICATION (self), NULL);

  options = bh_browser_get_options (self->browser);
  window = bh_window_new (GTK_APPLICATION (self), self->browser);
  bh_window_set_sandbox_warning_visible (window, options->no_sandbox);
  if (options->ignore_certificate_errors)
    bh_window_show_certificate_warning (window);

  if (urls == NULL || urls[0] == NULL)
    {
      bh_window_open_url (window, BH_START_URL, -1, TRUE);
    }
  else
    {
      for (gsize i = 0; urls[i] != NULL; i++)
        {
          g_autofree char *url = url_for_argument (urls[i]);

          bh_window_open_url (window, url, -1, i == 0);
        }
    }

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
new_window_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  bh_application_open_window (BH_APPLICATION (user_data), NULL);
}

static void
about_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhApplication *self = BH_APPLICATION (user_data);
  BhWindow *window = active_window (self);

  if (window == NULL)
    {
      const char * const urls[] = { "about:version", NULL };

      bh_application_open_window (self, urls);
      return;
    }

  bh_window_open_url (window, "about:version", -1, TRUE);
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_activated_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BhApplication *self = BH_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Destroying the windows closes their tabs; the application quits once it
   * has no window left. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
}

/* app.task-manager (Shift+Esc) is added by bh_task_manager_attach()
 * (bh-task-manager.h, called from main.c): the task manager reads the
 * process manager, which the window's own tests replace with a stand-in. */
static const GActionEntry application_actions[] = {
  { .name = "new-window", .activate = new_window_activated_cb },
  { .name = "about", .activate = about_activated_cb },
  { .name = "quit", .activate = quit_activated_cb },
};

/* The "Page Unresponsive" dialog's buttons, passed on by the window. */
static void
window_hang_wait_cb (BhWindow *window, BhTab *tab, gpointer user_data)
{
  bh_tab_hang_wait (tab);
}

static void
window_hang_kill_cb (BhWindow *window, BhTab *tab, gpointer user_data)
{
  bh_tab_hang_kill (tab);
}

static void
bh_application_window_added (GtkApplication *application, GtkWindow *window)
{
  GTK_APPLICATION_CLASS (bh_application_parent_class)->window_added (application, window);

  /* Every window, however it was opened (a shortcut, the automation server). */
  if (BH_IS_WINDOW (window))
    {
      g_signal_connect (window, "hang-wait", G_CALLBACK (window_hang_wait_cb), NULL);
      g_signal_connect (window, "hang-kill", G_CALLBACK (window_hang_kill_cb), NULL);
    }
}

static void
bh_application_startup (GApplication *application)
{
  BhApplication *self = BH_APPLICATION (application);
  g_autoptr(GtkCssProvider) provider = NULL;

  G_APPLICATION_CLASS (bh_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), application_actions,
                                   G_N_ELEMENTS (application_actions), self);

  for (gsize i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), shortcuts[i].action,
                                           shortcuts[i].accels);

  /* GtkApplication adds /org/bulkhead/Browser/icons to the icon theme by
   * itself; the style sheet is ours to load. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/bulkhead/Browser/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_window_set_default_icon_name (BH_APPLICATION_ID);
}

static void
bh_application_activate (GApplication *application)
{
  BhApplication *self = BH_APPLICATION (application);
  BhWindow *window = active_window (self);

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  bh_application_open_window (self,
                              (const char * const *) bh_browser_get_options (self->browser)->urls);
}

static void
bh_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  BhApplication *self = BH_APPLICATION (application);
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (urls, g_file_get_uri (files[i]));
  g_ptr_array_add (urls, NULL);

  bh_application_open_window (self, (const char * const *) urls->pdata);
}

static void
bh_application_shutdown (GApplication *application)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (application)));

  /* g_application_quit() (Ctrl+C in main.c) leaves windows open: close
   * them and their tabs here, before the browser ends its renderers. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));

  G_APPLICATION_CLASS (bh_application_parent_class)->shutdown (application);
}

static gboolean
bh_application_local_command_line (GApplication *application, char ***arguments,
                                   int *exit_status)
{
  g_autoptr(GError) error = NULL;

  /* bh_browser_options_parse() has read the command line, URLs included;
   * GApplication's own parser would reject the browser's options and take
   * "example.com" for a file in the current directory. */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("browser: %s\n", error->message);
      *exit_status = 1;
      return TRUE;
    }

  g_application_activate (application);
  *exit_status = 0;
  return TRUE;
}

BhBrowser *
bh_application_get_browser (BhApplication *self)
{
  g_return_val_if_fail (BH_IS_APPLICATION (self), NULL);

  return self->browser;
}

BhApplication *
bh_application_new (BhBrowser *browser)
{
  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);

  return g_object_new (BH_TYPE_APPLICATION,
                       "application-id", BH_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "browser", browser,
                       NULL);
}

static void
bh_application_dispose (GObject *object)
{
  BhApplication *self = BH_APPLICATION (object);

  g_clear_object (&self->browser);

  G_OBJECT_CLASS (bh_application_parent_class)->dispose (object);
}

static void
bh_application_get_property (GObject *object, guint prop_id, GValue *value,
                             GParamSpec *pspec)
{
  BhApplication *self = BH_APPLICATION (object);

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
bh_application_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  BhApplication *self = BH_APPLICATION (object);

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
bh_application_class_init (BhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bh_application_dispose;
  object_class->get_property = bh_application_get_property;
  object_class->set_property = bh_application_set_property;

  application_class->startup = bh_application_startup;
  application_class->shutdown = bh_application_shutdown;
  application_class->activate = bh_application_activate;
  application_class->open = bh_application_open;
  application_class->local_command_line = bh_application_local_command_line;

  GTK_APPLICATION_CLASS (klass)->window_added = bh_application_window_added;

  properties[PROP_BROWSER] =
    g_param_spec_object ("browser", NULL, NULL,
                         BH_TYPE_BROWSER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_application_init (BhApplication *self)
{
}
