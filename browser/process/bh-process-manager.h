/* bh-process-manager.h: the browser's child processes, site-per-process.
 *
 * One BhProcessManager per browser holds every child process host: one
 * BhRendererHost per site (Chromium's site-per-process) and one BhPluginHost
 * per plugin type, each until its process is reaped. It makes them with the
 * options as a value, and learns what happens to them from their signals
 * ("closing", "reaped"), so that no host calls back into it. Tabs ask it for
 * the renderer of a site and the plugin host of a type; it knows no tab.
 *
 * It also keeps what spans one host's life: the crashes of each site's
 * renderers, and the navigation ids unique in the browser.
 */
#pragma once

#include <gio/gio.h>
#include <glib-object.h>

#include "bh-browser-options.h"
#include "bh-host-rules.h"
#include "bh-plugin-host.h"
#include "bh-profile.h"
#include "bh-renderer-host.h"

G_BEGIN_DECLS

#define BH_TYPE_PROCESS_MANAGER (bh_process_manager_get_type ())
G_DECLARE_FINAL_TYPE (BhProcessManager, bh_process_manager, BH, PROCESS_MANAGER, GObject)

/*
 * Signals:
 *   "renderer-host-added"  (BhRendererHost *host)  a renderer was spawned
 *   "renderer-host-removed" (BhRendererHost *host) it is gone and reaped
 */

/**
 * bh_process_manager_new:
 * @options: the command line; the manager keeps a reference
 * @profile: the profile its fetches use (cookies); the manager keeps a
 *   reference
 * @error: %G_OPTION_ERROR when --host-resolver-rules does not parse
 *
 * Spawns nothing until a tab asks for a renderer.
 *
 * Returns: (transfer full) (nullable): the manager.
 */
BhProcessManager *bh_process_manager_new (BhBrowserOptions *options, BhProfile *profile, GError **error);

/**
 * bh_process_manager_get_profile:
 *
 * Returns: (transfer none): the profile given to bh_process_manager_new().
 */
BhProfile *bh_process_manager_get_profile (BhProcessManager *manager);

/**
 * bh_process_manager_get_options:
 *
 * Returns: (transfer none): the options given to bh_process_manager_new().
 */
BhBrowserOptions *bh_process_manager_get_options (BhProcessManager *manager);

/**
 * bh_process_manager_get_host_rules:
 *
 * Returns: (transfer none) (nullable): --host-resolver-rules, parsed.
 */
BhHostRules *bh_process_manager_get_host_rules (BhProcessManager *manager);

/**
 * bh_process_manager_get_renderer_path:
 *
 * The renderer executable: --browser-subprocess-path if given, else
 * ../renderer/renderer next to this executable (the build tree), else
 * BH_LIBEXECDIR/renderer (the installed layout).
 *
 * Returns: (transfer none): an absolute path.
 */
const char *bh_process_manager_get_renderer_path (BhProcessManager *manager);

/**
 * bh_process_manager_get_renderer_host_for_site:
 * @site: the site a navigation commits in
 * @error: why a new renderer could not be spawned
 *
 * Site-per-process: returns the live renderer of @site, spawning one when
 * there is none (or when the last one died, which is how reload revives a
 * sad tab). The first spawn says on stderr when renderers run with less
 * than both sandbox layers.
 *
 * Returns: (transfer none) (nullable): the host; the manager's list keeps it
 *   alive until it is reaped.
 */
BhRendererHost *bh_process_manager_get_renderer_host_for_site (BhProcessManager *manager, const char *site,
                                                               GError **error);

/**
 * bh_process_manager_find_renderer_host:
 * @site: a site as bh_site_for_url() gives it
 *
 * Returns: (transfer none) (nullable): the live renderer locked to @site that
 *   new views of that site go to, if there is one.
 */
BhRendererHost *bh_process_manager_find_renderer_host (BhProcessManager *manager, const char *site);

/**
 * bh_process_manager_get_renderer_hosts:
 *
 * Every renderer process not yet reaped, live or dying, in spawn order.
 *
 * Returns: (transfer none): a #GListModel of #BhRendererHost.
 */
GListModel *bh_process_manager_get_renderer_hosts (BhProcessManager *manager);

/**
 * bh_process_manager_get_plugin_host:
 * @plugin_type: a type for which bh_plugin_type_is_supported()
 * @error: why a new plugin host could not be spawned (%BH_LAUNCHER_ERROR)
 *
 * One process per plugin type: returns the live plugin host of @plugin_type,
 * spawning one when there is none, or when the last one died or is closing,
 * which is how reloading a crashed plugin area revives it.
 *
 * Returns: (transfer none) (nullable): the host; the manager's list keeps it
 *   alive until it is reaped.
 */
BhPluginHost *bh_process_manager_get_plugin_host (BhProcessManager *manager, const char *plugin_type,
                                                  GError **error);

/**
 * bh_process_manager_get_plugin_hosts:
 *
 * Every plugin host process not yet reaped, live or dying, in spawn order: at
 * most one live per plugin type.
 *
 * Returns: (transfer none): a #GListModel of #BhPluginHost.
 */
GListModel *bh_process_manager_get_plugin_hosts (BhProcessManager *manager);

/**
 * bh_process_manager_count_recent_crashes:
 * @site: a site
 * @window_s: how far back to count, in seconds
 *
 * Crashes are counted when a renderer's "closing" says
 * %BH_TERMINATION_STATUS_CRASHED, before its tabs learn of it.
 *
 * Returns: how many renderers of @site crashed in the last @window_s seconds.
 */
guint bh_process_manager_count_recent_crashes (BhProcessManager *manager, const char *site, guint window_s);

/**
 * bh_process_manager_next_navigation_id:
 *
 * Returns: a navigation id unique in the browser, never reused (never 0).
 */
guint64 bh_process_manager_next_navigation_id (BhProcessManager *manager);

/**
 * bh_process_manager_render_sandbox_page:
 *
 * about:sandbox (pages/bh-sandbox-page.h) for the processes alive now: the
 * browser, then every renderer and plugin host, their sandbox as /proc
 * shows it; the machine's layers; the escape self-test where
 * bh_process_manager_start_sandbox_self_test() started it.
 *
 * Returns: (transfer full): the HTML.
 */
GBytes *bh_process_manager_render_sandbox_page (BhProcessManager *manager);

/**
 * bh_process_manager_start_sandbox_self_test:
 *
 * Starts, once per browser and unless --no-sandbox, the escape self-test
 * about:sandbox shows, with the browser's renderer and memory limit
 * (bh_sandbox_report_start_self_test()). The tab calls it when it navigates
 * to about:sandbox; a reload shows the result.
 */
void bh_process_manager_start_sandbox_self_test (BhProcessManager *manager);

/**
 * bh_process_manager_close_children:
 *
 * Closes every renderer's and plugin host's channel (each exits on EOF).
 */
void bh_process_manager_close_children (BhProcessManager *manager);

/**
 * bh_process_manager_reap_children:
 * @timeout_ms: how long children get to exit before they are sent SIGKILL
 *
 * Waits up to @timeout_ms while iterating the default main context, then
 * SIGKILLs the rest and reaps them, so the browser leaves no child and no
 * zombie.
 */
void bh_process_manager_reap_children (BhProcessManager *manager, guint timeout_ms);

G_END_DECLS
