/* bh-browser.h: the browser-wide object of the browser process.
 *
 * One BhBrowser per process holds what every window, tab and the automation
 * server share: the options from the command line, the process manager (one
 * BhRendererHost per site, site-per-process as in Chromium) and the list of
 * tabs. It has no widget: --headless runs it on a bare GMainLoop.
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

#include "bh-renderer-host.h"
#include "bh-tab.h"

G_BEGIN_DECLS

/* The default page size, as Chromium's --window-size default for headless. */
#define BH_DEFAULT_WINDOW_WIDTH_PX 1280
#define BH_DEFAULT_WINDOW_HEIGHT_PX 800
#define BH_DEFAULT_HANG_TIMEOUT_MS 5000u
#define BH_DEFAULT_RENDERER_MEMORY_LIMIT_MB 2048u
#define BH_DEFAULT_HEADLESS_TIMEOUT_MS 30000u
/* What a window opens when no URL was given. */
#define BH_START_URL "about:start"

/**
 * BhBrowserOptions:
 *
 * The command line, parsed (Chromium's flag names where Chromium has one).
 * Every string is owned by the struct.
 */
typedef struct {
  char **urls;                      /* (array zero-terminated=1) the URLs to open, never empty
                                     * after parsing: about:start when none was given */
  gboolean headless;                /* --headless */
  char *screenshot_path;            /* --screenshot=FILE.png, or NULL */
  int window_width_px;              /* --window-size=W,H */
  int window_height_px;
  gboolean no_sandbox;              /* --no-sandbox */
  char **renderer_cmd_prefix;       /* --renderer-cmd-prefix=CMD, split as a shell would; or NULL */
  char *host_resolver_rules;        /* --host-resolver-rules=RULES, or NULL */
  char *ipc_debug;                  /* --ipc-debug[=FILTER]: NULL when off, "" for every message */
  char *ipc_debug_format;           /* --ipc-debug-format=text|json, "text" by default */
  int remote_debugging_port;        /* --remote-debugging-port=PORT, -1 when not given */
  char **remote_allow_origins;      /* --remote-allow-origins=ORIGIN[,ORIGIN]: the Origin
                                     * values a BiDi handshake may carry ("*": any);
                                     * NULL when not given: none may */
  guint hang_timeout_ms;            /* --hang-timeout-ms, 5000 by default */
  gboolean disable_kill_after_bad_ipc; /* --disable-kill-after-bad-ipc: log only */
  guint renderer_memory_limit_mb;   /* --renderer-memory-limit-mb, 2048 by default */
  guint timeout_ms;                 /* --timeout=MS: the headless run's deadline, 30000 by default */
  char *renderer_path;              /* --browser-subprocess-path=PATH, or NULL to find it */
} BhBrowserOptions;

/**
 * bh_browser_options_new:
 *
 * Returns: (transfer full): options holding the defaults, with no URL.
 */
BhBrowserOptions *bh_browser_options_new (void);

/**
 * bh_browser_options_parse:
 * @options: options to fill in (defaults are kept for what is not given)
 * @argc: (inout): the argument count
 * @argv: (inout) (array length=argc): the arguments; the options are removed
 * @error: %G_OPTION_ERROR for an unknown option or a malformed value
 *   (e.g. "--window-size: expected WIDTH,HEIGHT, got 12")
 *
 * Parses the browser's command line with GOption. What remains in @argv after
 * the program name are the URLs; with none, @options->urls is { "about:start" }.
 *
 * Returns: %TRUE on success.
 */
gboolean bh_browser_options_parse (BhBrowserOptions *options, int *argc, char ***argv,
                                   GError **error);

/**
 * bh_browser_options_free:
 * @options: (nullable) (transfer full): options
 */
void bh_browser_options_free (BhBrowserOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBrowserOptions, bh_browser_options_free)

#define BH_TYPE_BROWSER (bh_browser_get_type ())
G_DECLARE_FINAL_TYPE (BhBrowser, bh_browser, BH, BROWSER, GObject)

/*
 * Signals:
 *   "renderer-host-added"  (BhRendererHost *host)  a renderer was spawned
 *   "renderer-host-removed" (BhRendererHost *host) it is gone and reaped
 */

/**
 * bh_browser_new:
 * @options: (transfer full): the parsed command line
 * @error: why the network could not be set up (bad --host-resolver-rules)
 *
 * Creates the browser-wide object. It spawns nothing until a tab needs a
 * renderer.
 *
 * Returns: (transfer full) (nullable): the browser.
 */
BhBrowser *bh_browser_new (BhBrowserOptions *options, GError **error);

/**
 * bh_browser_get_options:
 *
 * Returns: (transfer none): the options; do not change them.
 */
const BhBrowserOptions *bh_browser_get_options (BhBrowser *browser);

/**
 * bh_browser_get_tabs:
 *
 * Every open tab, in creation order. bh_tab_new() adds to it and
 * bh_tab_close() removes from it; the list holds a reference on each tab.
 *
 * Returns: (transfer none): a #GListModel of #BhTab.
 */
GListModel *bh_browser_get_tabs (BhBrowser *browser);

/**
 * bh_browser_find_tab:
 * @tab_id: bh_tab_get_id()
 *
 * Returns: (transfer none) (nullable): the open tab with that id.
 */
BhTab *bh_browser_find_tab (BhBrowser *browser, guint tab_id);

/**
 * bh_browser_get_renderer_hosts:
 *
 * Every renderer process not yet reaped, live or dying, in spawn order (the
 * task manager's rows).
 *
 * Returns: (transfer none): a #GListModel of #BhRendererHost.
 */
GListModel *bh_browser_get_renderer_hosts (BhBrowser *browser);

/**
 * bh_browser_find_renderer_host:
 * @site: a site as bh_site_for_url() gives it
 *
 * Returns: (transfer none) (nullable): the live renderer locked to @site that
 *   new views of that site go to, if there is one.
 */
BhRendererHost *bh_browser_find_renderer_host (BhBrowser *browser, const char *site);

/**
 * bh_browser_get_plugin_hosts:
 *
 * Every plugin host process not yet reaped, live or dying, in spawn order: at
 * most one live per plugin type (bh-plugin-host.h). For the task manager,
 * bulkhead:process.list and about:sandbox, beside the renderer hosts.
 *
 * Returns: (transfer none): a #GListModel of #BhPluginHost.
 */
GListModel *bh_browser_get_plugin_hosts (BhBrowser *browser);

/**
 * bh_browser_get_renderer_path:
 *
 * The renderer executable: --browser-subprocess-path if given, else
 * ../renderer/renderer next to this executable (the build tree), else
 * BH_LIBEXECDIR/renderer (the installed layout).
 *
 * Returns: (transfer none): an absolute path.
 */
const char *bh_browser_get_renderer_path (BhBrowser *browser);

/**
 * bh_browser_shutdown:
 * @timeout_ms: how long children get to exit after their channel closes
 *   before they are sent SIGKILL
 *
 * Ends every renderer and plugin host: closes its channel (each exits on EOF), waits up
 * to @timeout_ms while iterating the default main context, then SIGKILLs the
 * rest and reaps them, so the browser leaves no child and no zombie. Tabs are
 * closed. Safe to call twice.
 */
void bh_browser_shutdown (BhBrowser *browser, guint timeout_ms);

G_END_DECLS
