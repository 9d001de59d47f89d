/* bh-browser-private.h: the process manager's bookkeeping, for BhTab and
 * BhRendererHost.
 */
#pragma once

#include "bh-browser.h"
#include "bh-host-rules.h"

G_BEGIN_DECLS

/**
 * bh_browser_get_renderer_host_for_site:
 * @site: the site a navigation commits in
 * @error: why a new renderer could not be spawned
 *
 * Site-per-process: returns the live renderer of @site, spawning one when
 * there is none (or when the last one died, which is how reload revives a
 * sad tab).
 *
 * Returns: (transfer none) (nullable): the host.
 */
BhRendererHost *bh_browser_get_renderer_host_for_site (BhBrowser *browser, const char *site,
                                                       GError **error);

/* The host stops taking new views (dead, or closed after its grace period). */
void bh_browser_renderer_host_closing (BhBrowser *browser, BhRendererHost *host);
/* The host's process is reaped: it leaves the list. */
void bh_browser_renderer_host_reaped (BhBrowser *browser, BhRendererHost *host);

/**
 * bh_browser_note_renderer_crash:
 * @site: the site whose renderer crashed
 *
 * Remembers the crash for %BH_REPEATED_CRASH_WINDOW_S seconds (bh-tab.h).
 */
void bh_browser_note_renderer_crash (BhBrowser *browser, const char *site);

/**
 * bh_browser_count_recent_crashes:
 * @site: a site
 *
 * Returns: how many renderers of @site crashed in the last
 *   %BH_REPEATED_CRASH_WINDOW_S seconds.
 */
guint bh_browser_count_recent_crashes (BhBrowser *browser, const char *site);

/**
 * bh_browser_get_plugin_host_store:
 *
 * Returns: (transfer none): the list behind bh_browser_get_plugin_hosts(),
 *   which bh-plugin-host.c fills on spawn and empties on reaping.
 */
GListStore *bh_browser_get_plugin_host_store (BhBrowser *browser);

void bh_browser_add_tab (BhBrowser *browser, BhTab *tab);
void bh_browser_remove_tab (BhBrowser *browser, BhTab *tab);

/**
 * bh_browser_get_host_rules:
 *
 * Returns: (transfer none) (nullable): --host-resolver-rules, parsed.
 */
BhHostRules *bh_browser_get_host_rules (BhBrowser *browser);

/* Ids unique in the browser, never reused. */
guint64 bh_browser_next_navigation_id (BhBrowser *browser);
guint bh_browser_next_tab_id (BhBrowser *browser);

G_END_DECLS
