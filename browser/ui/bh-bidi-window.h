/* bh-bidi-window.h: the GTK side of the BiDi server.
 *
 * The server (bh-bidi.h) knows no widgets; this connects its UI signals to
 * the application's windows, so that automation and the user see the same
 * tabs.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-bidi.h"

G_BEGIN_DECLS

/**
 * bh_bidi_window_attach:
 * @server: the BiDi server
 * @application: the running BhApplication
 *
 * From then on a tab made by browsingContext.create opens in the active
 * window (a new one for type "window", or when there is none),
 * browsingContext.activate switches the notebook page and presents the
 * window, browsingContext.close closes the tab through its window (the last
 * tab closes the window, and the last window ends the browser, as in
 * Chromium), and browser.close runs app.quit.
 *
 * The connections last as long as both objects do.
 */
void bh_bidi_window_attach (BhBidiServer *server, GtkApplication *application);

G_END_DECLS
