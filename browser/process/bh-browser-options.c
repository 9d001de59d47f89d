/* bh-browser-options.c: the command line, with GOption. */
#include "bh-browser-options.h"

#include <string.h>

#include "bh-profile.h"
#include "bh-trace-merge.h"

BhBrowserOptions *
bh_browser_options_new (void)
{
  BhBrowserOptions *options = g_rc_box_new0 (BhBrowserOptions);

  options->urls = g_new0 (char *, 1);
  options->window_width_px = BH_DEFAULT_WINDOW_WIDTH_PX;
  options->window_height_px = BH_DEFAULT_WINDOW_HEIGHT_PX;
  options->ipc_debug_format = g_strdup ("text");
  options->ipc_debug_sides = g_strdup ("send");
  options->remote_debugging_port = -1;
  options->hang_timeout_ms = BH_DEFAULT_HANG_TIMEOUT_MS;
  options->renderer_memory_limit_mb = BH_DEFAULT_RENDERER_MEMORY_LIMIT_MB;
  options->timeout_ms = BH_DEFAULT_HEADLESS_TIMEOUT_MS;
  options->search_url = g_strdup (BH_DEFAULT_SEARCH_URL);
  return options;
}

BhBrowserOptions *
bh_browser_options_ref (BhBrowserOptions *options)
{
  g_return_val_if_fail (options != NULL, NULL);
  return g_rc_box_acquire (options);
}

static void
options_clear (gpointer data)
{
  BhBrowserOptions *options = data;

  g_strfreev (options->urls);
  g_free (options->screenshot_path);
  g_strfreev (options->renderer_cmd_prefix);
  g_free (options->host_resolver_rules);
  g_strfreev (options->remote_allow_origins);
  g_free (options->ipc_debug);
  g_free (options->ipc_debug_format);
  g_free (options->ipc_debug_sides);
  g_free (options->ipc_debug_peer);
  g_free (options->ipc_record_dir);
  g_free (options->renderer_path);
  g_free (options->enable_logging);
  g_free (options->user_data_dir);
  g_free (options->net_log_path);
  g_free (options->search_url);
}

void
bh_browser_options_unref (BhBrowserOptions *options)
{
  if (options != NULL)
    g_rc_box_release_full (options, options_clear);
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
  char *search_url;
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
    { "ipc-debug-sides", 0, 0, G_OPTION_ARG_STRING, &options->ipc_debug_sides,
      "A line per message where it is sent (default), where it is received, or both", "send|recv|both" },
    { "ipc-debug-peer", 0, 0, G_OPTION_ARG_STRING, &options->ipc_debug_peer,
      "Only the messages of these children, e.g. renderer:http://alpha.test,plugin:application/pdf",
      "ROLE:GLOB[,...]" },
    { "ipc-record", 0, 0, G_OPTION_ARG_FILENAME, &options->ipc_record_dir,
      "Record every message into each renderer, one file per renderer, for bulkhead-replay", "DIR" },
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
    { "disable-javascript", 0, 0, G_OPTION_ARG_NONE, &options->disable_javascript,
      "Run no JavaScript in any page", NULL },
    { "enable-logging", 0, 0, G_OPTION_ARG_STRING, &options->enable_logging,
      "Where pages' console messages go: stderr", "stderr" },
    { "user-data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->user_data_dir,
      "The profile directory: cookies, history, bookmarks, cache (default "
      "$XDG_DATA_HOME/bulkhead)", "DIR" },
    { "net-log", 0, 0, G_OPTION_ARG_FILENAME, &options->net_log_path,
      "Write every HTTP request (timings, connection reuse, cache, status, bytes) to FILE "
      "as JSON lines", "FILE" },
    { "ignore-certificate-errors", 0, 0, G_OPTION_ARG_NONE, &options->ignore_certificate_errors,
      "Accept every https certificate, whoever signed it and whatever name it is for (for "
      "testing servers of your own only)", NULL },
    { "incognito", 0, 0, G_OPTION_ARG_NONE, &options->incognito,
      "Keep the profile in memory: nothing is written, everything is forgotten at exit", NULL },
    { "search-url", 0, 0, G_OPTION_ARG_STRING, &state.search_url,
      "Where address-bar text that is not an address goes, %s for the words (default "
      BH_DEFAULT_SEARCH_URL ")", "TEMPLATE" },
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
  if (!bh_trace_sides_is_valid (options->ipc_debug_sides))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--ipc-debug-sides: expected send, recv or both, got \"%s\"", options->ipc_debug_sides);
      goto out;
    }
  if (!bh_trace_merge_check_peers (options->ipc_debug_peer, error))
    goto out;
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

  if (options->enable_logging != NULL && !g_str_equal (options->enable_logging, "stderr"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--enable-logging: only \"stderr\" is supported, got \"%s\"", options->enable_logging);
      goto out;
    }
  if (state.search_url != NULL)
    {
      const char *first = strstr (state.search_url, "%s");

      if ((!g_str_has_prefix (state.search_url, "http://") && !g_str_has_prefix (state.search_url, "https://")) ||
          first == NULL || strstr (first + 2, "%s") != NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--search-url: expected an http(s) URL with one %%s for the words, got \"%s\"",
                       state.search_url);
          goto out;
        }
      g_free (options->search_url);
      options->search_url = g_strdup (state.search_url);
    }
  if (options->screenshot_path != NULL && !options->headless)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "--screenshot needs --headless");
      goto out;
    }

  if (options->incognito)
    g_clear_pointer (&options->user_data_dir, g_free);
  else if (options->user_data_dir == NULL || *options->user_data_dir == '\0')
    {
      g_free (options->user_data_dir);
      options->user_data_dir = bh_profile_default_dir ();
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
  g_free (state.search_url);
  g_strfreev (state.remaining);
  return ok;
}

