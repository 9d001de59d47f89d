/* bh-browser.c: options, the process manager and the tab list. */
#include "bh-browser.h"

#include <signal.h>
#include <string.h>

#include "bh-browser-private.h"
#include "bh-config.h"
#include "bh-renderer-host-private.h"
#include "bh-launcher.h"
#include "bh-plugin-host-private.h"

/* How long bh_browser_shutdown() waits for SIGKILLed children to be reaped. */
#define KILL_REAP_TIMEOUT_MS 2000u

/* Options. */

BhBrowserOptions *
bh_browser_options_new (void)
{
  BhBrowserOptions *options = g_new0 (BhBrowserOptions, 1);

  options->urls = g_new0 (char *, 1);
  options->window_width_px = BH_DEFAULT_WINDOW_WIDTH_PX;
  options->window_height_px = BH_DEFAULT_WINDOW_HEIGHT_PX;
  options->ipc_debug_format = g_strdup ("text");
  options->remote_debugging_port = -1;
  options->hang_timeout_ms = BH_DEFAULT_HANG_TIMEOUT_MS;
  options->renderer_memory_limit_mb = BH_DEFAULT_RENDERER_MEMORY_LIMIT_MB;
  options->timeout_ms = BH_DEFAULT_HEADLESS_TIMEOUT_MS;
  return options;
}

void
bh_browser_options_free (BhBrowserOptions *options)
{
  if (options == NULL)
    return;
  g_strfreev (options->urls);
  g_free (options->screenshot_path);
  g_strfreev (options->renderer_cmd_prefix);
  g_free (options->host_resolver_rules);
  g_strfreev (options->remote_allow_origins);
  g_free (options->ipc_debug);
  g_free (options->ipc_debug_format);
  g_free (options->renderer_path);
  g_free (options);
}

/* What GOption fills in before the values are checked. */
typedef struct {
  BhBrowserOptions *options;
  char *window_size;
  char *renderer_cmd_prefix;
  char *remote_allow_origins;
  char **remaining;
  int remote_debugging_port;
  int hang_timeout_ms;
  int renderer_memory_limit_mb;
  int timeout_ms;
} ParseState;

static gboolean
ipc_debug_cb (const char *option_name, const char *value, gpointer data, GError **error)
{
  ParseState *state = data;

  g_free (state->options->ipc_debug);
  state->options->ipc_debug = g_strdup (value != NULL ? value : "");
  return TRUE;
}

static gboolean
parse_window_size (const char *text, int *out_width, int *out_height, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  guint64 width = 0;
  guint64 height = 0;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, 16384, &width, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 16384, &height, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--window-size: expected WIDTH,HEIGHT in pixels (1 to 16384), got \"%s\"",
                   text);
      return FALSE;
    }
  *out_width = (int) width;
  *out_height = (int) height;
  return TRUE;
}

/* Chromium's --remote-allow-origins: comma-separated origins, or "*".
 * Each is kept as a serialised origin (RFC 6454 §6.1: lower case, no path),
 * which is what browsers send in an Origin header. */
static gboolean
parse_allowed_origins (const char *text, GStrv *out, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *origin = g_ascii_strdown (g_strstrip (parts[i]), -1);
      g_autoptr (GUri) uri = NULL;
      gsize length = strlen (origin);

      if (length == 0)
        continue;
      if (origin[length - 1] == '/')
        origin[length - 1] = '\0';
      if (!g_str_equal (origin, "*"))
        {
          uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
          if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
              *g_uri_get_path (uri) != '\0' || g_uri_get_query (uri) != NULL ||
              g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--remote-allow-origins: “%s” is not an origin such as "
                           "http://localhost:8000 (or * for any)", parts[i]);
              return FALSE;
            }
        }
      g_strv_builder_add (builder, origin);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
check_range (const char *name, int value, int min, int max, GError **error)
{
  if (value < min || value > max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: %d is out of range (%d to %d)", name, value, min, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
bh_browser_options_parse (BhBrowserOptions *options, int *argc, char ***argv, GError **error)
{
  ParseState state = {
    .options = options,
    .remote_debugging_port = options->remote_debugging_port,
    .hang_timeout_ms = (int) options->hang_timeout_ms,
    .renderer_memory_limit_mb = (int) options->renderer_memory_limit_mb,
    .timeout_ms = (int) options->timeout_ms,
  };
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &options->headless,
      "Run without a window (with --screenshot: load, save the page as PNG, exit)", NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &options->screenshot_path,
      "With --headless: write the page to FILE as PNG", "FILE.png" },
    { "window-size", 0, 0, G_OPTION_ARG_STRING, &state.window_size,
      "The page size in pixels (default 1280,800)", "W,H" },
    { "no-sandbox", 0, 0, G_OPTION_ARG_NONE, &options->no_sandbox,
      "Run renderers without their sandbox", NULL },
    { "renderer-cmd-prefix", 0, 0, G_OPTION_ARG_STRING, &state.renderer_cmd_prefix,
      "Start renderers under CMD (e.g. \"gdb --args\", \"valgrind\")", "CMD" },
    { "host-resolver-rules", 0, 0, G_OPTION_ARG_STRING, &options->host_resolver_rules,
      "Map host names, e.g. \"MAP *.test 127.0.0.1\"", "RULES" },
    { "ipc-debug", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, ipc_debug_cb,
      "Print every IPC message of every process on stderr; FILTER: globs such as Frame*,Commit*",
      "FILTER" },
    { "ipc-debug-format", 0, 0, G_OPTION_ARG_STRING, &options->ipc_debug_format,
      "The --ipc-debug lines as text (default) or json", "text|json" },
    { "remote-debugging-port", 0, 0, G_OPTION_ARG_INT, &state.remote_debugging_port,
      "Serve WebDriver BiDi on 127.0.0.1:PORT", "PORT" },
    { "remote-allow-origins", 0, 0, G_OPTION_ARG_STRING, &state.remote_allow_origins,
      "Web origins whose pages may connect to the BiDi port (\"*\": any); none by default",
      "ORIGIN[,ORIGIN]" },
    { "hang-timeout-ms", 0, 0, G_OPTION_ARG_INT, &state.hang_timeout_ms,
      "How long a renderer may leave input unanswered before its tab is unresponsive "
      "(default 5000)", "MS" },
    { "disable-kill-after-bad-ipc", 0, 0, G_OPTION_ARG_NONE,
      &options->disable_kill_after_bad_ipc,
      "Only log renderers that break the protocol; do not kill them", NULL },
    { "renderer-memory-limit-mb", 0, 0, G_OPTION_ARG_INT, &state.renderer_memory_limit_mb,
      "Each renderer's address-space limit (default 2048)", "MB" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &state.timeout_ms,
      "With --headless: give up after MS milliseconds (default 30000)", "MS" },
    { "browser-subprocess-path", 0, 0, G_OPTION_ARG_FILENAME, &options->renderer_path,
      "The renderer executable to run", "PATH" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &state.remaining, NULL, "URL..." },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[URL...]");
  GOptionGroup *group;
  gboolean ok = FALSE;

  g_return_val_if_fail (options != NULL, FALSE);

  /* GOption hands an optional argument the next word when it has no "=":
   * "--ipc-debug URL" would eat the URL. Chromium's switches take a value only
   * after "=". */
  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal ((*argv)[i], "--"))
        break;
      if (g_str_equal ((*argv)[i], "--ipc-debug"))
        {
          /* The strings belong to the caller: the replacement lives on. */
          static char ipc_debug_all[] = "--ipc-debug=";

          (*argv)[i] = ipc_debug_all;
        }
    }

  group = g_option_group_new (NULL, NULL, NULL, &state, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (context, group);
  g_option_context_set_summary (context,
                                "Bulkhead, a multi-process web browser: one sandboxed "
                                "renderer per site.");
  if (!g_option_context_parse (context, argc, argv, error))
    goto out;

  if (state.window_size != NULL &&
      !parse_window_size (state.window_size, &options->window_width_px,
                          &options->window_height_px, error))
    goto out;
  if (state.renderer_cmd_prefix != NULL && *state.renderer_cmd_prefix != '\0')
    {
      g_strfreev (options->renderer_cmd_prefix);
      options->renderer_cmd_prefix = NULL;
      if (!g_shell_parse_argv (state.renderer_cmd_prefix, NULL, &options->renderer_cmd_prefix,
                               error))
        {
          g_prefix_error (error, "--renderer-cmd-prefix: ");
          goto out;
        }
    }
  if (g_strcmp0 (options->ipc_debug_format, "text") != 0 &&
      g_strcmp0 (options->ipc_debug_format, "json") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--ipc-debug-format: expected text or json, got \"%s\"",
                   options->ipc_debug_format);
      goto out;
    }
  if (state.remote_debugging_port != -1 &&
      !check_range ("--remote-debugging-port", state.remote_debugging_port, 0, 65535, error))
    goto out;
  if (!check_range ("--hang-timeout-ms", state.hang_timeout_ms, 1, G_MAXINT, error) ||
      !check_range ("--renderer-memory-limit-mb", state.renderer_memory_limit_mb, 0, 1 << 20,
                    error) ||
      !check_range ("--timeout", state.timeout_ms, 1, G_MAXINT, error))
    goto out;
  if (state.remote_allow_origins != NULL)
    {
      g_auto (GStrv) origins = NULL;

      if (!parse_allowed_origins (state.remote_allow_origins, &origins, error))
        goto out;
      g_strfreev (options->remote_allow_origins);
      options->remote_allow_origins = g_steal_pointer (&origins);
    }
  options->remote_debugging_port = state.remote_debugging_port;
  options->hang_timeout_ms = (guint) state.hang_timeout_ms;
  options->renderer_memory_limit_mb = (guint) state.renderer_memory_limit_mb;
  options->timeout_ms = (guint) state.timeout_ms;

  if (options->screenshot_path != NULL && !options->headless)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "--screenshot needs --headless");
      goto out;
    }

  g_strfreev (options->urls);
  if (state.remaining != NULL && state.remaining[0] != NULL)
    options->urls = g_steal_pointer (&state.remaining);
  else
    {
      options->urls = g_new0 (char *, 2);
      options->urls[0] = g_strdup (BH_START_URL);
    }
  ok = TRUE;

out:
  g_free (state.window_size);
  g_free (state.renderer_cmd_prefix);
  g_free (state.remote_allow_origins);
  g_strfreev (state.remaining);
  return ok;
}

/* The browser. */

struct _BhBrowser {
  GObject parent_instance;

  BhBrowserOptions *options;
  BhHostRules *host_rules;
  char *renderer_path;
  GListStore *tabs;             /* BhTab */
  GListStore *hosts;            /* BhRendererHost, until reaped */
  GHashTable *hosts_by_site;    /* site -> BhRendererHost (not a reference), live ones */
  GListStore *plugin_hosts;     /* BhPluginHost, one live per plugin type, until reaped */
  GHashTable *crashes_by_site;  /* site -> GArray of gint64, monotonic µs of recent crashes */
  guint64 next_navigation_id;
  guint next_tab_id;
  gboolean sandbox_reported;
};

G_DEFINE_FINAL_TYPE (BhBrowser, bh_browser, G_TYPE_OBJECT)

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

BhBrowser *
bh_browser_new (BhBrowserOptions *options, GError **error)
{
  g_autoptr (BhBrowserOptions) owned = options;
  g_autoptr (BhHostRules) rules = NULL;
  BhBrowser *self;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->host_resolver_rules != NULL)
    {
      rules = bh_host_rules_parse (options->host_resolver_rules, error);
      if (rules == NULL)
        {
          g_prefix_error (error, "--host-resolver-rules: ");
          return NULL;
        }
    }

  self = g_object_new (BH_TYPE_BROWSER, NULL);
  self->options = g_steal_pointer (&owned);
  self->host_rules = g_steal_pointer (&rules);
  self->renderer_path = find_renderer_path (self->options->renderer_path);
  return self;
}

const BhBrowserOptions *
bh_browser_get_options (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->options;
}

BhHostRules *
bh_browser_get_host_rules (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->host_rules;
}

const char *
bh_browser_get_renderer_path (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->renderer_path;
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
  return G_LIST_MODEL (self->hosts);
}

GListModel *
bh_browser_get_plugin_hosts (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return G_LIST_MODEL (self->plugin_hosts);
}

GListStore *
bh_browser_get_plugin_host_store (BhBrowser *self)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  return self->plugin_hosts;
}

BhRendererHost *
bh_browser_find_renderer_host (BhBrowser *self, const char *site)
{
  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  g_return_val_if_fail (site != NULL, NULL);

  return g_hash_table_lookup (self->hosts_by_site, site);
}

/* Says once, on stderr, when renderers run with less than both sandbox
 * layers, as the design asks: never silently, never an abort. */
static void
report_sandbox (BhBrowser *self)
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

BhRendererHost *
bh_browser_get_renderer_host_for_site (BhBrowser *self, const char *site, GError **error)
{
  g_autoptr (BhRendererHost) host = NULL;
  BhRendererHost *existing;

  g_return_val_if_fail (BH_IS_BROWSER (self), NULL);
  g_return_val_if_fail (site != NULL, NULL);

  existing = g_hash_table_lookup (self->hosts_by_site, site);
  if (existing != NULL && !bh_renderer_host_is_closing (existing))
    return existing;

  if (!self->sandbox_reported)
    {
      self->sandbox_reported = TRUE;
      report_sandbox (self);
    }
  host = bh_renderer_host_new (self, site);
  if (!bh_renderer_host_launch (host, error))
    return NULL;
  g_hash_table_replace (self->hosts_by_site, g_strdup (site), host);
  g_list_store_append (self->hosts, host);
  g_signal_emit (self, signals[SIGNAL_RENDERER_HOST_ADDED], 0, host);
  return host; /* the list keeps it alive */
}

void
bh_browser_renderer_host_closing (BhBrowser *self, BhRendererHost *host)
{
  const char *site = bh_renderer_host_get_site (host);

  if (g_hash_table_lookup (self->hosts_by_site, site) == host)
    g_hash_table_remove (self->hosts_by_site, site);
}

void
bh_browser_renderer_host_reaped (BhBrowser *self, BhRendererHost *host)
{
  guint position;

  bh_browser_renderer_host_closing (self, host);
  if (g_list_store_find (self->hosts, host, &position))
    {
      g_autoptr (BhRendererHost) keep = g_object_ref (host);

      g_list_store_remove (self->hosts, position);
      g_signal_emit (self, signals[SIGNAL_RENDERER_HOST_REMOVED], 0, host);
    }
}

/* Forgets crashes older than the window; returns the site's list, or NULL. */
static GArray *
recent_crashes (BhBrowser *self, const char *site)
{
  GArray *times = g_hash_table_lookup (self->crashes_by_site, site);
  gint64 oldest_us = g_get_monotonic_time () - (gint64) BH_REPEATED_CRASH_WINDOW_S * G_USEC_PER_SEC;
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

void
bh_browser_note_renderer_crash (BhBrowser *self, const char *site)
{
  GArray *times;
  gint64 now_us = g_get_monotonic_time ();

  g_return_if_fail (BH_IS_BROWSER (self));
  g_return_if_fail (site != NULL);

  times = recent_crashes (self, site);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->crashes_by_site, g_strdup (site), times);
    }
  g_array_append_val (times, now_us);
}

guint
bh_browser_count_recent_crashes (BhBrowser *self, const char *site)
{
  GArray *times;

  g_return_val_if_fail (BH_IS_BROWSER (self), 0);
  g_return_val_if_fail (site != NULL, 0);

  times = recent_crashes (self, site);
  return times != NULL ? times->len : 0;
}

void
bh_browser_add_tab (BhBrowser *self, BhTab *tab)
{
  g_list_store_append (self->tabs, tab);
}

void
bh_browser_remove_tab (BhBrowser *self, BhTab *tab)
{
  guint position;

  if (g_list_store_find (self->tabs, tab, &position))
    g_list_store_remove (self->tabs, position);
}

guint64
bh_browser_next_navigation_id (BhBrowser *self)
{
  return ++self->next_navigation_id;
}

guint
bh_browser_next_tab_id (BhBrowser *self)
{
  return ++self->next_tab_id;
}

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Renderers and plugin hosts not yet reaped. */
static guint
count_children (BhBrowser *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->hosts)) +
         g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
}

/* Runs the default main context until every host is reaped or @timeout_ms passes. */
static void
wait_for_reaping (BhBrowser *self, guint timeout_ms)
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
bh_browser_shutdown (BhBrowser *self, guint timeout_ms)
{
  g_autoptr (BhBrowser) keep = NULL;
  guint n;

  g_return_if_fail (BH_IS_BROWSER (self));

  keep = g_object_ref (self);
  while (g_list_model_get_n_items (G_LIST_MODEL (self->tabs)) > 0)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (G_LIST_MODEL (self->tabs), 0);

      bh_tab_close (tab);
    }

  /* A renderer exits when its channel reaches EOF. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (G_LIST_MODEL (self->hosts), i);

      bh_renderer_host_close (host);
    }
  /* So does a plugin host; its areas went with the tabs. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->plugin_hosts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (G_LIST_MODEL (self->plugin_hosts), i);

      bh_plugin_host_close (host);
    }
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

static void
bh_browser_dispose (GObject *object)
{
  BhBrowser *self = BH_BROWSER (object);

  if (self->tabs != NULL)
    g_list_store_remove_all (self->tabs);
  if (self->hosts != NULL)
    g_list_store_remove_all (self->hosts);
  if (self->plugin_hosts != NULL)
    g_list_store_remove_all (self->plugin_hosts);
  G_OBJECT_CLASS (bh_browser_parent_class)->dispose (object);
}

static void
bh_browser_finalize (GObject *object)
{
  BhBrowser *self = BH_BROWSER (object);

  g_clear_object (&self->tabs);
  g_clear_object (&self->hosts);
  g_clear_object (&self->plugin_hosts);
  g_clear_pointer (&self->hosts_by_site, g_hash_table_unref);
  g_clear_pointer (&self->crashes_by_site, g_hash_table_unref);
  g_clear_pointer (&self->host_rules, bh_host_rules_unref);
  g_clear_pointer (&self->options, bh_browser_options_free);
  g_free (self->renderer_path);
  G_OBJECT_CLASS (bh_browser_parent_class)->finalize (object);
}

static void
bh_browser_class_init (BhBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_browser_dispose;
  object_class->finalize = bh_browser_finalize;

  signals[SIGNAL_RENDERER_HOST_ADDED] =
    g_signal_new ("renderer-host-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, BH_TYPE_RENDERER_HOST);
  signals[SIGNAL_RENDERER_HOST_REMOVED] =
    g_signal_new ("renderer-host-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, BH_TYPE_RENDERER_HOST);
}

static void
bh_browser_init (BhBrowser *self)
{
  self->tabs = g_list_store_new (BH_TYPE_TAB);
  self->hosts = g_list_store_new (BH_TYPE_RENDERER_HOST);
  self->plugin_hosts = g_list_store_new (BH_TYPE_PLUGIN_HOST);
  self->hosts_by_site = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->crashes_by_site = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_array_unref);
}
