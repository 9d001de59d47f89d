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
 * (bh_sandbox_status_read()), the memory limits and a cgroup's memory.max;
 * Landlock and how the memory limit is enforced; and the escape self-test
 * once bh_sandbox_page_start_self_test() started it (until it is done the
 * page says so, and a reload shows each attempt and what stopped it). Like
 * chrome://sandbox, the page reads processes from outside rather than
 * trusting what they claim.
 *
 * Returns: (transfer full): the page's HTML, UTF-8, for a renderer to show.
 */
GBytes *bh_sandbox_page_render (BhBrowser *browser);

/**
 * bh_sandbox_page_start_self_test:
 * @browser: the browser
 *
 * Starts, once per browser and unless --no-sandbox, the escape self-test
 * about:sandbox shows: bh_launcher_run_self_test() with the browser's
 * renderer executable and memory limit, in a thread (it starts about seven
 * renderers one after the other, a second or so), its result kept on
 * @browser. The tab calls it when it navigates to about:sandbox.
 */
void bh_sandbox_page_start_self_test (BhBrowser *browser);

G_END_DECLS
