/* browser/automation/: driving the browser from outside.
 *
 * Owns: the WebDriver BiDi server on --remote-debugging-port (bh-bidi.c:
 * sessions, subscriptions, events; bh-bidi-commands.c: the command table) and,
 * later, classic WebDriver.
 *
 * May use: browser/process/ (tabs, the process manager and list),
 * browser/net/ (its libwebsockets vhost, bh-lws.h), browser/pages/ and
 * common/ (the IPC trace). Not browser/ui/: where a window has a say, the
 * server emits a signal and the UI (ui/bh-bidi-window.c) answers.
 * tools/check-includes keeps the rule.
 */
/* bh-bidi.h: automation and live IPC inspection over WebDriver BiDi.
 *
 * With --remote-debugging-port=PORT the browser serves a subset of WebDriver
 * BiDi (https://w3c.github.io/webdriver-bidi/) on ws://127.0.0.1:PORT/session,
 * plus Bulkhead's own "bulkhead:" extensions: the process list, killing a
 * renderer, renderer terminations and the live IPC trace. docs/automation.md
 * lists every command with an example exchange.
 *
 * The server is one vhost of the browser's libwebsockets context (bh-lws.h),
 * so it runs on the GLib main loop with everything else and never blocks it:
 * commands are queued and handled a few at a time from an idle, and what
 * goes out is written only when lws says the socket is writeable.
 *
 * The server knows nothing of windows. Where the GTK UI has a say (a new tab
 * goes into a window, activating a tab switches the notebook page, closing
 * one goes through its window, browser.close quits the application) it asks
 * through signals; with no handler connected (--headless) it does the
 * windowless thing itself.
 */
#pragma once

#include <glib-object.h>

#include "bh-browser.h"

G_BEGIN_DECLS

#define BH_TYPE_BIDI_SERVER (bh_bidi_server_get_type ())
G_DECLARE_FINAL_TYPE (BhBidiServer, bh_bidi_server, BH, BIDI_SERVER, GObject)

/*
 * Signals:
 *   "tab-created" (BhTab *tab, gboolean new_window, gboolean background)
 *        browsingContext.create made @tab (already in the browser's tab list
 *        and navigating to about:blank); the UI shows it, in a new window
 *        when @new_window, and makes it current unless @background.
 *   "activate-tab" (BhTab *tab) -> gboolean
 *        browsingContext.activate: show @tab. Return %TRUE when handled.
 *   "close-tab" (BhTab *tab) -> gboolean
 *        browsingContext.close: close @tab the way the UI closes tabs.
 *        Return %TRUE when handled; unhandled, the server calls bh_tab_close().
 *   "set-window-state" (const char *state) -> gboolean
 *        browser.setClientWindowState (and classic's Maximize, Minimize and
 *        Fullscreen Window): make the browser's window "normal", "maximized",
 *        "minimized" or "fullscreen". Return %TRUE when handled; without a
 *        window (--headless) the state is only remembered.
 *   "close-requested" ()
 *        browser.close was answered and the answer written: the owner ends
 *        its main loop. Emitted from an idle, once.
 */

/**
 * bh_bidi_server_new:
 * @browser: (transfer none): the browser to automate; the server holds a
 *   reference
 * @port: the TCP port on 127.0.0.1, 0 to let the kernel pick a free one
 * @allowed_origins: (array zero-terminated=1) (nullable): the Origin header
 *   values a handshake may carry, as serialised origins
 *   ("http://localhost:8000"), or "*" for any (Chromium's
 *   --remote-allow-origins); %NULL or empty: a handshake with an Origin
 *   header is refused. Copied.
 * @error: %G_IO_ERROR_NOT_SUPPORTED when libwebsockets has no GLib event
 *   loop, %G_IO_ERROR_FAILED when the port cannot be listened on (in use)
 *
 * Starts listening on 127.0.0.1 only, IPv4, not [::] nor any other
 * interface (whoever can connect can drive the browser and kill its
 * renderers), and prints "BiDi listening on ws://127.0.0.1:PORT/session" on
 * stderr, as Chromium prints its "DevTools listening on ws://..." line, so
 * that a tool that passed port 0 can read the port it got.
 *
 * The WebSocket handshake is refused with 403 Forbidden, and a line on
 * stderr says why, as Chromium's DevTools server does
 * (content/browser/devtools/devtools_http_handler.cc):
 * - unless its Host header is 127.0.0.1:PORT, localhost:PORT or
 *   [::1]:PORT: a web page whose name an attacker's DNS rebinds to
 *   127.0.0.1 sends its own name there;
 * - if it carries an Origin header, even an empty one, that
 *   @allowed_origins does not hold: browsers send one from every web page,
 *   automation clients none.
 * Only the path /session is served; other requests get 404.
 *
 * Returns: (transfer full) (nullable): the server; dropping the last
 *   reference closes every connection and stops listening.
 */
BhBidiServer *bh_bidi_server_new (BhBrowser *browser, int port,
                                  const char * const *allowed_origins, GError **error);

/**
 * bh_bidi_server_get_port:
 *
 * Returns: the TCP port listened on (the one the kernel picked for port 0).
 */
int bh_bidi_server_get_port (BhBidiServer *server);

G_END_DECLS
