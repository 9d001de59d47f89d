/* bh-headless.h: --headless, Chromium's headless mode without a window.
 *
 *   browser --headless --screenshot=FILE.png [--window-size=W,H] URL [URL...]
 *
 * No GTK initialisation and no display: a bare GMainLoop drives a BhTab per URL,
 * and the frame (a GdkMemoryTexture over the renderer's shared bitmap) is
 * saved with gdk_texture_save_to_png(), which needs no display either.
 */
#pragma once

#include "bh-browser.h"

G_BEGIN_DECLS

/**
 * bh_headless_run:
 * @browser: the browser, with options->headless set
 *
 * Loads each URL of the options in a tab of its own, as Chromium's headless
 * mode does, and waits for every tab's DidFinishLoad (or failure). With
 * --screenshot it also waits, in the first tab, for the first frame painted
 * after the finish (or, when the renderer has nothing left to paint, the
 * last frame after a short settle time) and for the first frame (or error)
 * of every plugin the page embeds, writes that frame, plugins composited
 * over it (bh_tab_snapshot_to_png()), as PNG and returns; without it, it
 * returns once every page has loaded, unless --remote-debugging-port asks
 * it to stay up until SIGINT, SIGTERM or bh_headless_quit().
 *
 * Failures print one line "bulkhead: REASON" on stderr (the first one, in
 * any tab) and make the exit status 1: a network error (the error page is still written, as Chromium
 * writes it, so the reason can be seen), a renderer that crashed, was killed
 * or could not start (its termination status is the reason), a screenshot
 * that could not be written, and the --timeout deadline (30 s by default;
 * the last frame, if any, is still written).
 *
 * Returns: the process exit status: 0 on success, 1 on failure.
 */
int bh_headless_run (BhBrowser *browser);

/**
 * bh_headless_quit:
 *
 * Ends the bh_headless_run() in progress as a signal would, with exit
 * status 0 unless it had failed already: how the automation server's
 * browser.close ends a --headless --remote-debugging-port run. Does nothing
 * when no run is in progress.
 */
void bh_headless_quit (void);

G_END_DECLS
