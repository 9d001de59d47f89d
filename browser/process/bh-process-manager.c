/* bh-process-manager.c: renderer hosts by site, plugin hosts by type. */
#include "bh-process-manager.h"

#include <signal.h>
#include <unistd.h>

#include "bh-config.h"
#include "bh-launcher.h"
#include "bh-plugin-host-private.h"
#include "bh-renderer-host-private.h"
#include "bh-sandbox-page.h"
#include "bh-sandbox-report.h"

/* How many crashes of one site are remembered, however recent. */
#define MAX_CRASHES_PER_SITE 64u
/* How long bh_process_manager_reap_children() waits for SIGKILLed children to be reaped. */
#define KILL_REAP_TIMEOUT_MS 2000u

struct _BhProcessManager {
  GObject parent_instance;

  BhBrowserOptions *options;
  BhHostRules *host_rules;
  BhProfile *profile;
  char *renderer_path;
  BhSandboxReport *sandbox_report; /* about:sandbox's layers and self-test */
  GListStore *hosts;            /* BhRendererHost, until reaped */
  GHashTable *hosts_by_site;    /* site -> BhRendererHost (not a reference), live ones */
  GListStore *plugin_hosts;     /* BhPluginHost, one live per plugin type, until reaped */
  GHashTable *crashes_by_site;  /* site -> GArray of gint64, monotonic µs of crashes */
  guint64 next_navigation_id;
  gboolean sandbox_reported;
};

G_DEFINE_FINAL_TYPE (BhProcessManager, bh_process_manager, G_TYPE_OBJECT)

enum {
  SIGNAL_RENDERER_HOST_ADDED,
  SIGNAL_RENDERER_HOST_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
find_renderer_path (const char *configured)
{
  g_autofree char *exe = NULL;

  if (configured != NULL)
    {
      if (g_path_is_absolute (configured))
        return g_strdup (configured);
      return g_canonicalize_filename (configured, NULL);
    }

  /* In the build tree browser/browser sits beside renderer/renderer. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *candidate = g_build_filename (dir, "..", "renderer", "renderer", NULL);
      g_autofree char *canonical = g_canonicalize_filename (candidate, NULL);

      if (g_file_test (canonical, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&canonical);
    }
  return g_build_filename (BH_LIBEXECDIR, "renderer", NULL);
}

BhProcessManager *
bh_process_manager_new (BhBrowserOptions *options, BhProfile *profile, GError **error)
{
  g_autoptr (BhHostRules) rules = NULL;
  BhProcessManager *self;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (BH_IS_PROFILE (profile), NULL);

  if (options->host_resolver_rules != NULL)
    {
      rules = bh_host_rules_parse (options->host_resolver_rules, error);
      if (rules == NULL)
        {
          g_prefix_error (error, "--host-resolver-rules: ");
          return NULL;
        }
    }

  self = g_object_new (BH_TYPE_PROCESS_MANAGER, NULL);
  self->options = bh_browser_options_ref (options);
  self->host_rules = g_steal_pointer (&rules);
  self->profile = g_object_ref (profile);
  self->renderer_path = find_renderer_path (options->renderer_path);
  self->sandbox_report = bh_sandbox_report_new ();
  return self;
}

BhBrowserOptions *
bh_process_manager_get_options (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return self->options;
}

BhProfile *
bh_process_manager_get_profile (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return self->profile;
}

BhHostRules *
bh_process_manager_get_host_rules (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return self->host_rules;
}

const char *
bh_process_manager_get_renderer_path (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return self->renderer_path;
}

GListModel *
bh_process_manager_get_renderer_hosts (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return G_LIST_MODEL (self->hosts);
}

GListModel *
bh_process_manager_get_plugin_hosts (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  return G_LIST_MODEL (self->plugin_hosts);
}

BhRendererHost *
bh_process_manager_find_renderer_host (BhProcessManager *self, const char *site)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  g_return_val_if_fail (site != NULL, NULL);

  return g_hash_table_lookup (self->hosts_by_site, site);
}

/* Says once, on stderr, when renderers run with less than both sandbox
 * layers, as the design asks: never silently, never an abort. */
static void
report_sandbox (BhProcessManager *self)
{
  if (self->options->no_sandbox)
    {
      g_printerr ("bulkhead: renderers run without a sandbox (--no-sandbox)\n");
      return;
    }
  {
    const BhLauncherProbe *probe = bh_launcher_probe ();

    if (probe->cause != NULL)
      {
        g_autofree char *description = bh_launcher_probe_describe (probe);

        g_printerr ("bulkhead: %s\n", description);
      }
  }
}

/* Crashes. */

/* Forgets crashes older than @window_s; returns the site's list, or NULL. */
static GArray *
recent_crashes (BhProcessManager *self, const char *site, guint window_s)
{
  GArray *times = g_hash_table_lookup (self->crashes_by_site, site);
  gint64 oldest_us = g_get_monotonic_time () - (gint64) window_s * G_USEC_PER_SEC;
  guint expired = 0;

  if (times == NULL)
    return NULL;
  while (expired < times->len && g_array_index (times, gint64, expired) < oldest_us)
    expired++;
  g_array_remove_range (times, 0, expired);
  if (times->len == 0)
    {
      g_hash_table_remove (self->crashes_by_site, site);
      return NULL;
    }
  return times;
}

static void
note_renderer_crash (BhProcessManager *self, const char *site)
{
  GArray *times = g_hash_table_lookup (self->crashes_by_site, site);
  gint64 now_us = g_get_monotonic_time ();

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->crashes_by_site, g_strdup (site), times);
    }
  if (times->len >= MAX_CRASHES_PER_SITE)
    g_array_remove_index (times, 0);
  g_array_append_val (times, now_us);
}

guint
bh_process_manager_count_recent_crashes (BhProcessManager *self, const char *site, guint window_s)
{
  GArray *times;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), 0);
  g_return_val_if_fail (site != NULL, 0);

  times = recent_crashes (self, site, window_s);
  return times != NULL ? times->len : 0;
}

/* Renderer hosts. */

/* It takes no new view: forget it as its site's renderer. A crash is counted
 * here, before the tabs it served learn of it. */
static void
renderer_host_closing_cb (BhRendererHost *host, BhTerminationStatus status, gpointer data)
{
  BhProcessManager *self = data;
  const char *site = bh_renderer_host_get_site (host);

  if (g_hash_table_lookup (self->hosts_by_site, site) == host)
    g_hash_table_remove (self->hosts_by_site, site);
  if (status == BH_TERMINATION_STATUS_CRASHED)
    note_renderer_crash (self, site);
}

/* Its process is reaped: it leaves the list. */
static void
renderer_host_reaped_cb (BhRendererHost *host, gpointer data)
{
  BhProcessManager *self = data;
  const char *site = bh_renderer_host_get_site (host);
  guint position;

  if (g_hash_table_lookup (self->hosts_by_site, site) == host)
    g_hash_table_remove (self->hosts_by_site, site);
  if (g_list_store_find (self->hosts, host, &position))
    {
      g_autoptr (BhRendererHost) keep = g_object_ref (host);

      g_signal_handlers_disconnect_by_data (host, self);
      g_list_store_remove (self->hosts, position);
      g_signal_emit (self, signals[SIGNAL_RENDERER_HOST_REMOVED], 0, host);
    }
}

BhRendererHost *
bh_process_manager_get_renderer_host_for_site (BhProcessManager *self, const char *site, GError **error)
{
  g_autoptr (BhRendererHost) host = NULL;
  BhRendererHost *existing;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  g_return_val_if_fail (site != NULL, NULL);

  existing = g_hash_table_lookup (self->hosts_by_site, site);
  if (existing != NULL && !bh_renderer_host_is_closing (existing))
    return existing;

  if (!self->sandbox_reported)
    {
      self->sandbox_reported = TRUE;
      report_sandbox (self);
    }
  host = bh_renderer_host_new (site, self->options, self->renderer_path, self->host_rules,
                               self->profile);
  g_signal_connect (host, "closing", G_CALLBACK (renderer_host_closing_cb), self);
  g_signal_connect (host, "reaped", G_CALLBACK (renderer_host_reaped_cb), self);
  if (!bh_renderer_host_launch (host, error))
    {
      g_signal_handlers_disconnect_by_data (host, self);
      return NULL;
    }
  g_hash_table_replace (self->hosts_by_site, g_strdup (site), host);
  g_list_store_append (self->hosts, host);
  g_signal_emit (self, signals[SIGNAL_RENDERER_HOST_ADDED], 0, host);
  return host; /* the list keeps it alive */
}

/* Plugin hosts. */

static void
plugin_host_reaped_cb (BhPluginHost *host, gpointer data)
{
  BhProcessManager *self = data;
  guint position;

  g_signal_handlers_disconnect_by_data (host, self);
  if (g_list_store_find (self->plugin_hosts, host, &position))
    g_list_store_remove (self->plugin_hosts, position);
}

BhPluginHost *
bh_process_manager_get_plugin_host (BhProcessManager *self, const char *plugin_type, GError **error)
{
  g_autoptr (BhPluginHost) host = NULL;
  guint n;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);
  g_return_val_if_fail (bh_plugin_type_is_supported (plugin_type), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) existing = g_list_model_get_item (G_LIST_MODEL (self->plugin_hosts), i);

      if (g_ascii_strcasecmp (bh_plugin_host_get_plugin_type (existing), plugin_type) == 0 &&
          !bh_plugin_host_is_closing (existing))
        return existing; /* the list keeps it alive */
    }

  host = bh_plugin_host_new (plugin_type, self->options);
  if (!bh_plugin_host_launch (host, error))
    return NULL;
  g_signal_connect (host, "reaped", G_CALLBACK (plugin_host_reaped_cb), self);
  g_list_store_append (self->plugin_hosts, host);
  return host; /* the list keeps it alive */
}

guint64
bh_process_manager_next_navigation_id (BhProcessManager *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), 0);
  return ++self->next_navigation_id;
}

/* about:sandbox. */

GBytes *
bh_process_manager_render_sandbox_page (BhProcessManager *self)
{
  BhSandboxPageMachine machine;
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (BhSandboxPageProcess));
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  BhSandboxPageProcess browser_row = {
    .type = "browser",
    .site = "",
    .pid = (int) getpid (),
    .sandbox = "none (the browser process is trusted)",
    .trusted = TRUE,
  };
  guint n;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (self), NULL);

  g_array_append_val (rows, browser_row);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);
      BhSandboxPageProcess row = { .type = "renderer" };
      char *sandbox;

      if (!bh_renderer_host_is_alive (host))
        continue;
      sandbox = bh_renderer_host_is_ready (host) ? bh_renderer_host_describe_sandbox (host) : g_strdup ("starting");
      g_ptr_array_add (strings, sandbox);
      row.site = bh_renderer_host_get_site (host);
      row.pid = bh_renderer_host_get_pid (host);
      row.sandbox = sandbox;
      g_array_append_val (rows, row);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (G_LIST_MODEL (self->plugin_hosts), i);
      BhSandboxPageProcess row = { .type = "plugin-host" };
      char *sandbox;

      if (!bh_plugin_host_is_alive (host))
        continue;
      sandbox = bh_plugin_host_is_ready (host) ? bh_plugin_host_describe_sandbox (host) : g_strdup ("starting");
      g_ptr_array_add (strings, sandbox);
      row.site = bh_plugin_host_get_plugin_type (host);
      row.pid = bh_plugin_host_get_pid (host);
      row.sandbox = sandbox;
      g_array_append_val (rows, row);
    }
  bh_sandbox_report_describe (self->sandbox_report, self->options->renderer_memory_limit_mb,
                              self->options->no_sandbox, &machine);
  return bh_sandbox_page_render ((const BhSandboxPageProcess *) rows->data, rows->len, self->options->no_sandbox,
                                 &machine);
}

void
bh_process_manager_start_sandbox_self_test (BhProcessManager *self)
{
  g_return_if_fail (BH_IS_PROCESS_MANAGER (self));

  if (!self->options->no_sandbox)
    bh_sandbox_report_start_self_test (self->sandbox_report, self->renderer_path,
                                       self->options->renderer_memory_limit_mb);
}

/* Shutdown. */

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Renderers and plugin hosts not yet reaped. */
static guint
count_children (BhProcessManager *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->hosts)) +
         g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
}

/* Runs the default main context until every host is reaped or @timeout_ms passes. */
static void
wait_for_reaping (BhProcessManager *self, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint deadline_id;

  if (count_children (self) == 0)
    return;
  deadline_id = g_timeout_add (timeout_ms, deadline_cb, &expired);
  while (!expired && count_children (self) > 0)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline_id);
}

void
bh_process_manager_close_children (BhProcessManager *self)
{
  guint n;

  g_return_if_fail (BH_IS_PROCESS_MANAGER (self));

  /* A renderer exits when its channel reaches EOF. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);

      bh_renderer_host_close (host);
    }
  /* So does a plugin host. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (G_LIST_MODEL (self->plugin_hosts), i);

      bh_plugin_host_close (host);
    }
}

void
bh_process_manager_reap_children (BhProcessManager *self, guint timeout_ms)
{
  g_autoptr (BhProcessManager) keep = NULL;
  guint n;

  g_return_if_fail (BH_IS_PROCESS_MANAGER (self));

  keep = g_object_ref (self);
  if (timeout_ms > 0)
    wait_for_reaping (self, timeout_ms);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);
      int pid = bh_renderer_host_get_pid (host);

      if (pid > 0)
        kill (pid, SIGKILL);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (G_LIST_MODEL (self->plugin_hosts), i);
      int pid = bh_plugin_host_get_pid (host);

      if (pid > 0)
        kill (pid, SIGKILL);
    }
  wait_for_reaping (self, KILL_REAP_TIMEOUT_MS);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  if (n > 0)
    g_warning ("%u renderer(s) could not be reaped", n);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  if (n > 0)
    g_warning ("%u plugin host(s) could not be reaped", n);
}

/* GObject. */

/* Forgets every host, and stops listening to it: a host still running keeps
 * itself alive until its process is reaped. */
static void
forget_hosts (BhProcessManager *self, GListStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) host = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_signal_handlers_disconnect_by_data (host, self);
    }
  g_list_store_remove_all (store);
}

static void
bh_process_manager_dispose (GObject *object)
{
  BhProcessManager *self = BH_PROCESS_MANAGER (object);

  if (self->hosts != NULL)
    forget_hosts (self, self->hosts);
  if (self->plugin_hosts != NULL)
    forget_hosts (self, self->plugin_hosts);
  if (self->hosts_by_site != NULL)
    g_hash_table_remove_all (self->hosts_by_site);
  G_OBJECT_CLASS (bh_process_manager_parent_class)->dispose (object);
}

static void
bh_process_manager_finalize (GObject *object)
{
  BhProcessManager *self = BH_PROCESS_MANAGER (object);

  g_clear_object (&self->hosts);
  g_clear_object (&self->plugin_hosts);
  g_clear_pointer (&self->hosts_by_site, g_hash_table_unref);
  g_clear_pointer (&self->crashes_by_site, g_hash_table_unref);
  g_clear_pointer (&self->host_rules, bh_host_rules_unref);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->options, bh_browser_options_unref);
  g_free (self->renderer_path);
  g_clear_pointer (&self->sandbox_report, bh_sandbox_report_unref);
  G_OBJECT_CLASS (bh_process_manager_parent_class)->finalize (object);
}

static void
bh_process_manager_class_init (BhProcessManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_process_manager_dispose;
  object_class->finalize = bh_process_manager_finalize;

  signals[SIGNAL_RENDERER_HOST_ADDED] =
    g_signal_new ("renderer-host-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, BH_TYPE_RENDERER_HOST);
  signals[SIGNAL_RENDERER_HOST_REMOVED] =
    g_signal_new ("renderer-host-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, BH_TYPE_RENDERER_HOST);
}

static void
bh_process_manager_init (BhProcessManager *self)
{
  self->hosts = g_list_store_new (BH_TYPE_RENDERER_HOST);
  self->plugin_hosts = g_list_store_new (BH_TYPE_PLUGIN_HOST);
  self->hosts_by_site = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->crashes_by_site = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_array_unref);
}
