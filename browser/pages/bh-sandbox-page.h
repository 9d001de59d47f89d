/* bh-sandbox-page.h: about:sandbox, Bulkhead's chrome://sandbox. */
#pragma once

#include "bh-browser.h"

G_BEGIN_DECLS

/**
 * bh_sandbox_page_render:
 * @browser: the browser whose children are listed
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
GBytes *bh_sandbox_page_render (BhBrowser *browser);

G_END_DECLS
