/* browser/ui/: the browser's GTK 4 user interface.
 *
 * Owns: the GtkApplication (bh-application.c), its windows (bh-window.c: tab
 * strip, URL entry, status bar), a tab's page in a window (bh-tab-page.c,
 * bh-tab-label.c), the widget that shows a tab's frame and plugin frames and
 * sends input (bh-page-view.c), the sad tab and hang dialog (bh-sad-tab.c),
 * the task manager (bh-task-manager.c), the BiDi server's window glue
 * (bh-bidi-window.c), their .ui templates and bh-style.css (compiled into the
 * GResource).
 *
 * May use: browser/automation/, browser/process/, browser/net/,
 * browser/pages/ and common/. Nothing below uses it: the process model and
 * the automation server know no widget, and tell the UI what happens through
 * their signals (BhTab's "open-url", "close-requested"..., BhBidiServer's
 * "tab-created"...). A window gets the BhBrowser it makes tabs with at
 * construction. tools/check-includes keeps the rule.
 */
/* bh-application.h: the GTK application of the browser process.
 *
 * "org.bulkhead.Browser". Each run is its own browser, with its own
 * renderers and options, so the application is not unique (a second
 * `browser` does not hand its URLs to the first over D-Bus, as Chromium's
 * process singleton would).
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-browser.h"
#include "bh-window.h"

G_BEGIN_DECLS

#define BH_APPLICATION_ID "org.bulkhead.Browser"

#define BH_TYPE_APPLICATION (bh_application_get_type ())
G_DECLARE_FINAL_TYPE (BhApplication, bh_application, BH, APPLICATION, GtkApplication)

/*
 * Application actions:
 *   app.new-window    Ctrl+N
 *   app.task-manager  Shift+Esc: the task manager, added by bh_task_manager_attach()
 *   app.about         opens about:version in a new tab
 *   app.quit          Ctrl+Q: closes every window and its tabs
 */

/**
 * bh_application_new:
 * @browser: (transfer none): the browser; the application holds a reference
 *
 * Creates the application. Run it with g_application_run(): it does not
 * parse the command line given there (bh_browser_options_parse() already
 * did); on activation it opens one window with a tab for each URL of the
 * browser's options (about:start when there is none). Windows carry the
 * --no-sandbox warning bar when the options say so.
 *
 * Returns: (transfer full): the application.
 */
BhApplication *bh_application_new (BhBrowser *browser);

/**
 * bh_application_get_browser:
 *
 * Returns: (transfer none): the browser.
 */
BhBrowser *bh_application_get_browser (BhApplication *self);

/**
 * bh_application_open_window:
 * @urls: (array zero-terminated=1) (nullable): what to open, one tab each, as
 *   given on a command line: URLs, addresses without a scheme, or paths of
 *   existing files; %NULL or empty opens about:start
 *
 * Returns: (transfer none): the new window, presented.
 */
BhWindow *bh_application_open_window (BhApplication *self, const char * const *urls);

G_END_DECLS
