/* browser/process/: the browser's process model, without a widget.
 *
 * Owns: the browser-wide object and its tab list (bh-browser.c), the command
 * line (bh-browser-options.c), the child processes (bh-process-manager.c: a
 * renderer per site, a plugin host per plugin type, crash history), tabs,
 * their navigation, session history and plugin areas (bh-tab.c,
 * bh-tab-navigation.c, bh-tab-history.c, bh-tab-plugins.c), the trust
 * boundary with each child (bh-renderer-host.c with its frames, input,
 * resources, plugins and query files, bh-plugin-host.c, the life they share
 * in bh-child-host.c, bh-child-output.c), spawning and sandbox
 * layer 1 (bh-launcher.c, bh-cgroup.c), the hang monitor (bh-hang-monitor.c),
 * the task manager's rows (bh-process-list.c), about:history and
 * about:bookmarks (bh-profile-pages.c) and a page's script (bh-tab-script.c,
 * bh-renderer-host-script.c: evaluation, console, dialogs, document.cookie).
 *
 * May use: browser/net/ (fetches, sites, host rules), browser/profile/ (the
 * profile the browser opens: history, cookies), browser/pages/ (error
 * pages, about:sandbox, about:history, as plain values) and common/ (IPC,
 * shared memory, the sandbox). Not browser/ui/ or browser/automation/: they use it.
 *
 * Inside, calls point down: bh-browser -> bh-tab -> bh-process-manager ->
 * bh-renderer-host, bh-plugin-host -> bh-child-host, bh-hang-monitor ->
 * bh-launcher, bh-browser-options; bh-process-list reads bh-browser. A part
 * tells its owner what happened by GObject signals ("closing", "reaped",
 * "closed") or the client struct its owner gave (BhRendererViewClient,
 * BhPluginInstanceClient, BhHangMonitorClient), and gets the options as a
 * value at construction. tools/check-includes keeps the rule.
 */
/* bh-browser.h: the browser-wide object of the browser process.
 *
 * One BhBrowser per process holds what every window, tab and the automation
 * server share: the options from the command line, the process manager
 * (bh-process-manager.h: one BhRendererHost per site, site-per-process as in
 * Chromium) and the list of tabs. It has no widget: --headless runs it on a
 * bare GMainLoop.
 *
 * It is the top of the process model: it makes tabs and the process manager
 * and hears from them by signals ("closed"); neither calls it.
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

#include "bh-browser-options.h"
#include "bh-process-manager.h"
#include "bh-renderer-host.h"
#include "bh-tab.h"

G_BEGIN_DECLS

#define BH_TYPE_BROWSER (bh_browser_get_type ())
G_DECLARE_FINAL_TYPE (BhBrowser, bh_browser, BH, BROWSER, GObject)

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
 * bh_browser_get_profile:
 * Returns: (transfer none): the profile (--user-data-dir, or in memory with
 *   --incognito or when the options name no directory): cookies, history,
 *   bookmarks.
 */
BhProfile *bh_browser_get_profile (BhBrowser *browser);

/**
 * bh_browser_get_process_manager:
 *
 * Returns: (transfer none): the renderer and plugin hosts; connect to its
 *   "renderer-host-added" and "renderer-host-removed" to follow renderers.
 */
BhProcessManager *bh_browser_get_process_manager (BhBrowser *browser);

/**
 * bh_browser_new_tab:
 *
 * A new tab in the browser's tab list, sized by --window-size. The list
 * holds a reference until bh_tab_close() (the tab's "closed").
 *
 * Returns: (transfer full): a tab showing nothing yet; navigate it.
 */
BhTab *bh_browser_new_tab (BhBrowser *browser);

/**
 * bh_browser_new_tab_in:
 * @processes: the process manager whose renderers (and profile) the tab
 *   uses: another than bh_browser_get_process_manager()'s for a tab of a
 *   separate profile (automation's user contexts)
 *
 * As bh_browser_new_tab(), the tab in the browser's list like any other.
 *
 * Returns: (transfer full): a tab showing nothing yet
 */
BhTab *bh_browser_new_tab_in (BhBrowser *browser, BhProcessManager *processes);

/**
 * bh_browser_get_tabs:
 *
 * Every open tab, in creation order. bh_browser_new_tab() adds to it and
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
