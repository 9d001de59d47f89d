/* bh-browser-options.h: the browser's command line, parsed.
 *
 * One value, made by bh_browser_options_parse() (or by a test), handed to
 * bh_browser_new() and from there, by reference, to whatever needs it: tabs,
 * renderer and plugin hosts read it, none asks the browser for it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The default page size, as Chromium's --window-size default for headless. */
#define BH_DEFAULT_WINDOW_WIDTH_PX 1280
#define BH_DEFAULT_WINDOW_HEIGHT_PX 800
#define BH_DEFAULT_HANG_TIMEOUT_MS 5000u
#define BH_DEFAULT_RENDERER_MEMORY_LIMIT_MB 2048u
#define BH_DEFAULT_HEADLESS_TIMEOUT_MS 30000u
/* What a window opens when no URL was given. */
#define BH_START_URL "about:start"
/* Where address-bar text that is no address goes, %s standing for the words:
 * GNOME Web's default search engine. */
#define BH_DEFAULT_SEARCH_URL "https://duckduckgo.com/?q=%s"

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
  char *ipc_debug_sides;            /* --ipc-debug-sides=send|recv|both, "send" by default */
  char *ipc_debug_peer;             /* --ipc-debug-peer=ROLE:GLOB[,...], or NULL: every child */
  char *ipc_record_dir;             /* --ipc-record=DIR: every message into each renderer, or NULL */
  int remote_debugging_port;        /* --remote-debugging-port=PORT, -1 when not given */
  char **remote_allow_origins;      /* --remote-allow-origins=ORIGIN[,ORIGIN]: the Origin
                                     * values a BiDi handshake may carry ("*": any);
                                     * NULL when not given: none may */
  guint hang_timeout_ms;            /* --hang-timeout-ms, 5000 by default */
  gboolean disable_kill_after_bad_ipc; /* --disable-kill-after-bad-ipc: log only */
  guint renderer_memory_limit_mb;   /* --renderer-memory-limit-mb, 2048 by default */
  guint timeout_ms;                 /* --timeout=MS: the headless run's deadline, 30000 by default */
  char *renderer_path;              /* --browser-subprocess-path=PATH, or NULL to find it */
  gboolean disable_javascript;      /* --disable-javascript: renderers run no script */
  char *enable_logging;             /* --enable-logging=stderr: pages' console lines on stderr; or NULL */
  char *user_data_dir;              /* --user-data-dir=DIR: the profile directory;
                                     * bh_browser_options_parse() makes it
                                     * $XDG_DATA_HOME/bulkhead when not given. NULL (as
                                     * bh_browser_options_new() leaves it): a profile in
                                     * memory, as --incognito */
  gboolean incognito;               /* --incognito: the profile lives in memory only */
  gboolean ignore_certificate_errors; /* --ignore-certificate-errors: every https certificate
                                     * is accepted (a warning bar says so) */
  char *net_log_path;               /* --net-log=FILE: JSON lines, one per HTTP request
                                     * (bh-net-log.h), or NULL */
  char *search_url;                 /* --search-url=TEMPLATE: an http(s) URL with one %s,
                                     * BH_DEFAULT_SEARCH_URL by default */
} BhBrowserOptions;

/**
 * bh_browser_options_new:
 *
 * Returns: (transfer full): options holding the defaults, with no URL, and
 *   one reference (bh_browser_options_unref()).
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
 * bh_browser_options_ref:
 * @options: options
 *
 * Options are shared, read-only once bh_browser_new() has them: the browser,
 * its tabs and every child process host keep a reference for as long as
 * they need them, instead of asking their owner.
 *
 * Returns: (transfer full): @options
 */
BhBrowserOptions *bh_browser_options_ref (BhBrowserOptions *options);

/**
 * bh_browser_options_unref:
 * @options: (nullable) (transfer full): options; freed with the last reference
 */
void bh_browser_options_unref (BhBrowserOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBrowserOptions, bh_browser_options_unref)

G_END_DECLS
