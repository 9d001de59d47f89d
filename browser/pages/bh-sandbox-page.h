/* bh-sandbox-page.h: about:sandbox, Bulkhead's chrome://sandbox. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BhSandboxPageProcess:
 * @type: "browser", "renderer" or "plugin-host"
 * @site: the renderer's site, the plugin host's plugin type, "" for the browser
 * @pid: its pid in the browser's pid namespace
 * @sandbox: what its host read of its sandbox, or "starting"
 * @trusted: the browser itself: not sandboxed, not read from /proc
 *
 * One row of about:sandbox, as plain values.
 */
typedef struct {
  const char *type;
  const char *site;
  int pid;
  const char *sandbox;
  gboolean trusted;
} BhSandboxPageProcess;

/**
 * bh_sandbox_page_render:
 * @processes: (array length=n_processes): the processes alive now, the
 *   browser first
 * @n_processes: how many
 * @no_sandbox: the browser runs with --no-sandbox
 * @machine_summary: the launcher's verdict for this machine
 *   (BhLauncherProbe's summary)
 * @machine_cause: (nullable): why a layer cannot be had
 * @machine_fix: (nullable): how to get it
 *
 * Builds about:sandbox from data/templates/sandbox.html: the launcher's
 * verdict for this machine (which layers can be had, and if one cannot, the
 * cause and the fix), then one row per process — the browser, every renderer,
 * every plugin host — with what /proc says of it: namespaces that differ from
 * the browser's, the seccomp mode, no_new_privs and RLIMIT_AS
 * (bh_sandbox_status_read()). Like chrome://sandbox, the page reads processes
 * from outside rather than trusting what they claim.
 *
 * Returns: (transfer full): the page's HTML, UTF-8, for a renderer to show.
 */
GBytes *bh_sandbox_page_render (const BhSandboxPageProcess *processes, guint n_processes, gboolean no_sandbox,
                                const char *machine_summary, const char *machine_cause,
                                const char *machine_fix);

G_END_DECLS
