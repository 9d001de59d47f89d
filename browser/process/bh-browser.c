/* bh-browser.c: the browser-wide object: options, process manager, tab list. */
#include "bh-browser.h"

#include "bh-tab-private.h"

struct _BhBrowser {
  GObject parent_instance;

  BhBrowserOptions *options;
  BhProcessManager *processes;
  GListStore *tabs;             /* BhTab */
  guint next_tab_id;
};

G_DEFINE_FINAL_TYPE (BhBrowser, bh_browser, G_TYPE_OBJECT)

BhBrowser *
bh_browser_new (BhBrowserOptions *options, GError **error)
{
  g_autoptr (BhBrowserOptions) owned = options;
  g_autoptr (BhProcessManager) processes = NULL;
  g_autoptr (BhProfile) profile = NULL;
  BhBrowser *self;

  g_return_val_if_fail (options != NULL, NULL);

  profile = bh_profile_open (options->incognito ? NULL : options->user_data_dir, error);
  if (profile == NULL)
    return NULL;
  processes = bh_process_manager_new (options, profile, error);
  if (processes == NULL)
    return NULL;

  self = g_object_new (BH_TYPE_BROWSER, NULL);
  self->options = g_steal_pointer (&owned);
  self->processes = g_steal_pointer (&processes);
  return self;
}

const BhBrowserOptions *
bh_browser_get_options (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->options;
}

BhProfile *
bh_browser_get_profile (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return bh_process_manager_get_profile (self->processes);
}

BhProcessManager *
bh_browser_get_process_manager (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->processes;
}

GListModel *
bh_browser_get_tabs (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return G_LIST_MODEL (self->tabs);
}

BhTab *
bh_browser_find_tab (BhBrowser *self, guint tab_id)
{
  guint n;

  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tabs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (G_LIST_MODEL (self->tabs), i);

      if (bh_tab_get_id (tab) == tab_id)
        return tab; /* the list keeps it alive */
    }
  return NULL;
}

GListModel *
bh_browser_get_renderer_hosts (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return bh_process_manager_get_renderer_hosts (self->processes);
}

GListModel *
bh_browser_get_plugin_hosts (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return bh_process_manager_get_plugin_hosts (self->processes);
}

BhRendererHost *
bh_browser_find_renderer_host (BhBrowser *self, const char *site)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return bh_process_manager_find_renderer_host (self->processes, site);
}

/* Tabs. */

static void
tab_closed_cb (BhTab *tab, gpointer data)
{
  BhBrowser *self = data;
  guint position;

  g_signal_handlers_disconnect_by_func (tab, tab_closed_cb, self);
  if (g_list_store_find (self->tabs, tab, &position))
    g_list_store_remove (self->tabs, position);
}

BhTab *
bh_browser_new_tab (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);

  return bh_browser_new_tab_in (self, self->processes);
}

BhTab *
bh_browser_new_tab_in (BhBrowser *self, BhProcessManager *processes)
{
  BhTab *tab;

  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (processes), NULL);

  tab = bh_tab_new_in (processes, ++self->next_tab_id);
  g_signal_connect (tab, "closed", G_CALLBACK (tab_closed_cb), self);
  g_list_store_append (self->tabs, tab);
  return tab;
}

void
bh_browser_shutdown (BhBrowser *self, guint timeout_ms)
{
  g_autoptr (BhBrowser) keep = NULL;

  g_return_if_fail (BH_IS_BROWSER (self));

  keep = g_object_ref (self);
  while (g_list_model_get_n_items (G_LIST_MODEL (self->tabs)) > 0)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (G_LIST_MODEL (self->tabs), 0);

      bh_tab_close (tab);
    }
  /* Plugin areas went with the tabs; every child exits on EOF, or is killed. */
  bh_process_manager_close_children (self->processes);
  bh_process_manager_reap_children (self->processes, timeout_ms);
}

static void
bh_browser_dispose (GObject *object)
{
  BhBrowser *self = BH_BROWSER (object);

  if (self->tabs != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tabs));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr (BhTab) tab = g_list_model_get_item (G_LIST_MODEL (self->tabs), i);

          g_signal_handlers_disconnect_by_func (tab, tab_closed_cb, self);
        }
      g_list_store_remove_all (self->tabs);
    }
  G_OBJECT_CLASS (bh_browser_parent_class)->dispose (object);
}

static void
bh_browser_finalize (GObject *object)
{
  BhBrowser *self = BH_BROWSER (object);

  g_clear_object (&self->tabs);
  g_clear_object (&self->processes);
  g_clear_pointer (&self->options, bh_browser_options_unref);
  G_OBJECT_CLASS (bh_browser_parent_class)->finalize (object);
}

static void
bh_browser_class_init (BhBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_browser_dispose;
  object_class->finalize = bh_browser_finalize;
}

static void
bh_browser_init (BhBrowser *self)
{
  self->tabs = g_list_store_new (BH_TYPE_TAB);
}
