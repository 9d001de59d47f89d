/* bh-tab.h: one tab, as the browser process models it, without any widget.
 *
 * A tab owns its navigation history and is served by one renderer at a time
 * (the renderer of its current site; a cross-site navigation moves it). The
 * GTK window shows a tab through BhPageView; --headless and the automation
 * server use the same object with no window at all. GdkTexture needs no
 * display, so the frame is available in both.
 */
#pragma once

#include <gdk/gdk.h>
#include <glib-object.h>

#include "bh-renderer-host.h"
#include "bh-download.h"
#include "bh-tab-interaction.h"

G_BEGIN_DECLS

/* Where a tab is, as shown on it and reported as bulkhead:state (issue #5). */
typedef enum {
  BH_TAB_STATE_LOADING,
  BH_TAB_STATE_COMPLETE,
  BH_TAB_STATE_CRASHED,       /* the renderer died of a signal such as SIGSEGV */
  BH_TAB_STATE_KILLED,        /* SIGKILL / SIGTERM from outside or the task manager */
  BH_TAB_STATE_OOM,           /* ran out of memory (its address-space limit) */
  BH_TAB_STATE_UNRESPONSIVE,  /* the hang monitor's timeout passed */
  BH_TAB_STATE_BAD_MESSAGE,   /* killed for breaking the protocol */
  BH_TAB_STATE_LAUNCH_FAILED, /* the renderer could not be started */
} BhTabState;

GType bh_tab_state_get_type (void);
#define BH_TYPE_TAB_STATE (bh_tab_state_get_type ())

/**
 * bh_tab_state_to_string:
 *
 * Returns: (transfer none): "loading", "complete", "crashed", "killed", "oom",
 *   "unresponsive", "bad-message" or "launch-failed".
 */
const char *bh_tab_state_to_string (BhTabState state);

/**
 * bh_tab_state_is_failure:
 *
 * Returns: %TRUE for the states in which the tab's renderer is gone and the
 *   tab shows a sad tab (crashed, killed, oom, bad-message, launch-failed);
 *   %FALSE for loading, complete and unresponsive (the renderer still lives).
 */
gboolean bh_tab_state_is_failure (BhTabState state);

#define BH_TYPE_TAB (bh_tab_get_type ())
G_DECLARE_FINAL_TYPE (BhTab, bh_tab, BH, TAB, GObject)

/*
 * Properties (all read-only, with notify):
 *   "id"              guint    unique in the browser, never reused
 *   "uri"             string   the committed URL (the typed one while loading)
 *   "title"           string   <title>, or the URL when there is none
 *   "state"           BhTabState
 *   "loading"         gboolean
 *   "progress"        double   0..1
 *   "hovered-link"    string   "" when none
 *   "cursor"          guint    0 default, 1 pointer, 2 text
 *   "site"            string   the site of the renderer serving the tab
 *   "renderer-pid"    gint     0 when there is none
 *   "document-height" gint     px
 *   "scroll-y"        gint     px
 *   "document-width"  gint     px: the content's width, more than the viewport's
 *                              when it scrolls sideways (a wide table)
 *   "scroll-x"        gint     px
 *   "zoom"            gdouble  the page zoom, 1 = 100 %
 *   "can-go-back"     gboolean
 *   "can-go-forward"  gboolean
 *   "status-message"  string   why the tab is in a failed state, in plain words
 *                              ("The renderer for http://alpha.test crashed (SIGSEGV)")
 *   "visible"         gboolean shown on screen (bh_tab_set_visible()); TRUE by
 *                              default, as every page of a headless browser is
 *   "recent-crash-count" guint crashes of the site's renderer in the last
 *                              BH_REPEATED_CRASH_WINDOW_S seconds, counted when
 *                              the tab's renderer was last lost
 *   "blocked-popup-count" guint new tabs the page asked for without user
 *                              activation since it committed (the pop-up
 *                              blocker); 0 when there is no notice to show
 *
 * Signals:
 *   "frame-changed"   ()                 a new frame is in bh_tab_get_frame()
 *   "open-url"        (char *url, guint disposition)
 *                                        a new-tab request for the window: from
 *                                        the page with user activation (one per
 *                                        click or key), or the blocked pop-up
 *                                        the user allowed
 *   "load-finished"   ()                 DidFinishLoad for the current navigation;
 *                                        bh_tab_get_committed_navigation_id()
 *                                        says which one
 *   "close-requested" ()
 *   "closed"          ()                 bh_tab_close() ran: the tab's owner (the
 *                                        browser's tab list) lets it go
 *   "navigation-started" (guint64 navigation_id, char *url)
 *                                        a navigation began: a new URL, a
 *                                        reload, a history step, about:sandbox
 *                                        or a debug URL, from the API or from
 *                                        the page (a link). Emitted before the
 *                                        fetch starts, and before anything of
 *                                        it can commit; it replaces any
 *                                        navigation still pending.
 *   "download-started" (BhDownload *download)
 *                                        the navigation's response is saved,
 *                                        not shown (bh-download.h); the tab
 *                                        stays on its page
 *   "same-document-navigation" (char *url)
 *                                        a fragment link, or Back/Forward
 *                                        between entries of the document on
 *                                        screen: the history and "uri" moved,
 *                                        nothing was fetched, the renderer
 *                                        scrolled; no navigation-started or
 *                                        -committed is emitted for it
 *   "history-updated" (char *url)        the page's history.pushState() or
 *                                        replaceState() changed "uri" (and the
 *                                        history), with no navigation
 *   "navigation-committed" (guint64 navigation_id, char *url)
 *                                        the renderer's DidCommitNavigation for
 *                                        the current navigation: @url (the
 *                                        final one, after redirects) is now the
 *                                        document, and the history entry exists
 *
 * A navigation id is unique in the browser and never reused; it is the id
 * the renderer's messages carry (CommitNavigation, DidFinishLoad).
 */

/**
 * bh_tab_navigate:
 * @url: an absolute URL (http, https, file, data, about)
 *
 * Starts a navigation: fetches @url in the browser, picks the renderer of
 * its site, and commits it there. about:crash, about:kill and about:hang go
 * to the current renderer, as in Chromium.
 */
void bh_tab_navigate (BhTab *tab, const char *url);

/**
 * bh_tab_navigate_to_user_input:
 * @text: what the user typed in the URL entry
 *
 * As Chromium's omnibox: text with a scheme is taken as it is; text with
 * no scheme that looks like an address (no white space; its host has a dot,
 * is "localhost" or an IPv6 literal; "host:8000" is a host and port)
 * becomes http://TEXT; anything else ("debian manual", "bulkhead") is a
 * search, the options' --search-url with the words form-encoded for its %s.
 * Then as bh_tab_navigate().
 */
void bh_tab_navigate_to_user_input (BhTab *tab, const char *text);

/**
 * bh_tab_reload:
 *
 * Loads the current history entry again, from the network. On a sad tab
 * this is what starts a fresh renderer (no reload ever happens by itself).
 */
void bh_tab_reload (BhTab *tab);

/**
 * bh_tab_reload_bypassing_cache:
 *
 * Ctrl+Shift+R, Shift+F5: as bh_tab_reload(), but the document is fetched
 * without the HTTP cache (its request says Cache-Control: no-cache; the
 * answer is stored). A plain reload revalidates what the cache holds.
 */
void bh_tab_reload_bypassing_cache (BhTab *tab);

/**
 * bh_tab_save_url:
 * @url: an absolute URL the page showed (the context menu's image)
 *
 * "Save image as…": fetches @url as the page's own request (its site the
 * initiator, its cookies) and saves the answer in the download folder, as a
 * download of any other kind (bh-download.h); "download-started" says so.
 * Chromium asks where to save; Bulkhead saves where every download goes.
 */
void bh_tab_save_url (BhTab *tab, const char *url);

/**
 * bh_tab_stop:
 *
 * Cancels the fetch in flight, if any; what was committed stays.
 */
void bh_tab_stop (BhTab *tab);

/**
 * bh_tab_go_back:
 *
 * As bh_tab_go_to_offset() with -1.
 *
 * Returns: %FALSE when there is no entry before the current one.
 */
gboolean bh_tab_go_back (BhTab *tab);

/**
 * bh_tab_go_forward:
 *
 * As bh_tab_go_to_offset() with 1.
 *
 * Returns: %FALSE when there is no entry after the current one.
 */
gboolean bh_tab_go_forward (BhTab *tab);

/**
 * bh_tab_go_to_offset:
 * @offset: history entries to move, negative for back (Chromium's
 *   NavigationController::GoToOffset)
 *
 * Navigates to the history entry @offset steps from the current one.
 *
 * Returns: %FALSE, doing nothing, when there is no such entry.
 */
gboolean bh_tab_go_to_offset (BhTab *tab, int offset);

/**
 * bh_tab_can_go_to_offset:
 *
 * Returns: whether bh_tab_go_to_offset() with @offset would navigate.
 */
gboolean bh_tab_can_go_to_offset (BhTab *tab, int offset);

/**
 * bh_tab_history_entry_has_post_data:
 * @offset: the entry, as for bh_tab_go_to_offset(); 0 is the current one
 *
 * Whether the entry is the result of a form's POST: bh_tab_reload() and
 * bh_tab_go_to_offset() send the form again, so the UI asks first ("Resend
 * the form?"), as browsers do.
 *
 * Returns: %TRUE for a POST result.
 */
gboolean bh_tab_history_entry_has_post_data (BhTab *tab, int offset);

/**
 * bh_tab_get_history_urls:
 * @out_current_index: (out) (optional): the current entry, -1 while empty
 *
 * Returns: (transfer full): the URLs of the tab's history, oldest first,
 *   for reopening a closed tab (Ctrl+Shift+T).
 */
char **bh_tab_get_history_urls (BhTab *tab, int *out_current_index);

/**
 * bh_tab_restore_history:
 * @urls: a history, oldest first, as bh_tab_get_history_urls() gave it
 * @current_index: the entry to load
 *
 * Replaces the (empty) history of a new tab with @urls and loads the
 * current one: a closed tab reopened with its Back and Forward.
 */
void bh_tab_restore_history (BhTab *tab, const char *const *urls, int current_index);

/**
 * bh_tab_set_viewport:
 * @width_px: the page area's width in device pixels
 * @height_px: its height
 * @scale: device scale factor
 *
 * Sends Resize to the renderer when the size changed.
 */
void bh_tab_set_viewport (BhTab *tab, int width_px, int height_px, double scale);

/**
 * bh_tab_get_viewport:
 * @out_width_px: (out) (optional): the page area's width in device pixels
 * @out_height_px: (out) (optional): its height
 * @out_scale: (out) (optional): the device scale factor
 *
 * What bh_tab_set_viewport() set last (at first --window-size, scale 1).
 */
void bh_tab_get_viewport (BhTab *tab, int *out_width_px, int *out_height_px, double *out_scale);

/* Input, forwarded to the renderer (each is answered by InputEventAck). */
/**
 * bh_tab_send_mouse:
 * @kind: a #BhMouseEventKind: 0 motion, 1 press, 2 release (MouseEvent's payload)
 * @x_px: device pixels from the page view's left edge
 * @y_px: device pixels from its top edge (the renderer adds its scroll)
 * @button: 1 primary, 2 middle, 3 secondary, 0 for motion
 * @modifiers: GdkModifierType
 *
 * Forwards pointer input to the renderer, which answers InputEventAck (the
 * hang monitor counts unanswered input). These five input calls do nothing
 * while the tab has no live renderer.
 */
void bh_tab_send_mouse (BhTab *tab, guint kind, double x_px, double y_px, guint button,
                        guint modifiers);
void bh_tab_send_scroll (BhTab *tab, double dx_px, double dy_px);
void bh_tab_send_key (BhTab *tab, guint keyval, guint modifiers);
void bh_tab_scroll_to (BhTab *tab, int y_px);
/* Page zoom (Chromium's 25 % to 500 %). */
#define BH_TAB_MIN_ZOOM 0.25
#define BH_TAB_MAX_ZOOM 5.0

/**
 * bh_tab_set_zoom:
 * @zoom: BH_TAB_MIN_ZOOM to BH_TAB_MAX_ZOOM, 1 for 100 %
 *
 * Lays the page out and paints it @zoom times larger (SetZoom: the renderer's
 * CSS px per device px, not a bitmap scale), now and in every renderer the
 * tab moves to, until set again. The "zoom" property.
 */
void bh_tab_set_zoom (BhTab *tab, double zoom);
double bh_tab_get_zoom (BhTab *tab);

/* From the horizontal scrollbar: scroll sideways to @x_px (ScrollToX). */
void bh_tab_scroll_to_x (BhTab *tab, int x_px);
void bh_tab_set_focus (BhTab *tab, gboolean focused);

/**
 * bh_tab_get_frame:
 *
 * Returns: (transfer none) (nullable): the latest frame, a GdkMemoryTexture
 *   straight over the renderer's shared-memory bitmap (no copy); %NULL before
 *   the first frame and after the renderer is gone.
 */
GdkTexture *bh_tab_get_frame (BhTab *tab);

/* Getters for the properties listed at the top of this file; strings are
 * (transfer none) and never %NULL. */
guint bh_tab_get_id (BhTab *tab);
const char *bh_tab_get_uri (BhTab *tab);
const char *bh_tab_get_title (BhTab *tab);

/**
 * bh_tab_get_favicon:
 * @tab: a tab
 *
 * The committed page's favicon (its `favicon` property): the one its
 * document's renderer decoded, else the one the profile kept from the
 * page's last visit.
 *
 * Returns: (transfer none) (nullable): the icon, at most 64 px a side.
 */
GdkTexture *bh_tab_get_favicon (BhTab *tab);
BhTabState bh_tab_get_state (BhTab *tab);
const char *bh_tab_get_status_message (BhTab *tab);

/**
 * bh_tab_describe_unresponsive:
 *
 * What the hang dialog says, counted from when the renderer stopped
 * answering (the hang monitor's timeout before it was declared hung):
 * "The renderer for SITE has not responded for N s". Call it again each
 * second to count up.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when the tab is
 *   not %BH_TAB_STATE_UNRESPONSIVE.
 */
char *bh_tab_describe_unresponsive (BhTab *tab);

/* Added by the process-manager engineer (compatible additions). */


/**
 * bh_tab_get_renderer_host:
 *
 * Returns: (transfer none) (nullable): the renderer serving the tab now, %NULL
 *   before the first commit and after it died.
 */
BhRendererHost *bh_tab_get_renderer_host (BhTab *tab);

/**
 * bh_tab_get_view_id:
 *
 * Returns: the id of the tab's view in bh_tab_get_renderer_host()'s
 *   renderer (for bh_renderer_host_locate_nodes() and the like), 0 when
 *   there is none
 */
guint bh_tab_get_view_id (BhTab *tab);

/**
 * bh_tab_get_load_error:
 *
 * Returns: (transfer none) (nullable): why the fetch of the current
 *   navigation failed (a %BH_NET_ERROR, its message in plain words), or %NULL
 *   when it did not; the tab then shows the error page.
 */
const GError *bh_tab_get_load_error (BhTab *tab);

/**
 * bh_tab_get_progress:
 *
 * Returns: the "progress" property, 0..1.
 */
double bh_tab_get_progress (BhTab *tab);

/**
 * bh_tab_is_loading:
 *
 * Returns: the "loading" property.
 */
gboolean bh_tab_is_loading (BhTab *tab);

/**
 * bh_tab_get_committed_navigation_id:
 *
 * Returns: the id of the navigation whose document was last handed to the
 *   renderer (or is being shown), 0 before the first; while "load-finished"
 *   is emitted, the id of the navigation that finished loading.
 */
guint64 bh_tab_get_committed_navigation_id (BhTab *tab);

/**
 * bh_tab_close:
 *
 * Leaves the renderer (DestroyView); the renderer exits after a grace period
 * once no tab uses it.
 */
void bh_tab_close (BhTab *tab);

/* Added by the crash-isolation engineer (issue #6). */

/* A sad tab says so when a site's renderer crashed this often in this
 * window: there is no automatic reload, and the user should know why the
 * Reload button keeps failing. */
#define BH_REPEATED_CRASH_COUNT 3u
#define BH_REPEATED_CRASH_WINDOW_S 30u

/**
 * bh_tab_set_visible:
 * @visible: whether the tab is on screen now (the window's current tab, in
 *   a mapped window)
 *
 * The hang monitor pings a renderer only while one of its tabs is visible
 * or has input pending, so that idle background renderers cost nothing.
 */
void bh_tab_set_visible (BhTab *tab, gboolean visible);

/**
 * bh_tab_is_visible:
 *
 * Returns: the "visible" property.
 */
gboolean bh_tab_is_visible (BhTab *tab);

/**
 * bh_tab_hang_wait:
 *
 * Wait, in the "Page unresponsive" dialog: the tab's renderer gets another
 * --hang-timeout-ms to answer (bh_hang_monitor_wait()). Does nothing when
 * the tab has no renderer.
 */
void bh_tab_hang_wait (BhTab *tab);

/**
 * bh_tab_hang_kill:
 *
 * Kill, in the "Page unresponsive" dialog: ends the tab's renderer with
 * SIGKILL and %BH_TERMINATION_STATUS_KILLED, so that every tab of it shows
 * the killed sad tab. Does nothing when the tab has no renderer.
 */
void bh_tab_hang_kill (BhTab *tab);

/**
 * bh_tab_get_recent_crash_count:
 *
 * Returns: the "recent-crash-count" property.
 */
guint bh_tab_get_recent_crash_count (BhTab *tab);

/**
 * bh_tab_get_blocked_popup_count:
 *
 * New tabs and windows come from a page only with user activation, as in Chromium:
 * a click or key forwarded to the tab's renderer that it was still handling, or had
 * handled less than a second before, and at most one per activation (it is consumed).
 * Any other request is blocked and counted here until the next commit, when the
 * notice belongs to the page no more.
 *
 * Returns: the "blocked-popup-count" property.
 */
guint bh_tab_get_blocked_popup_count (BhTab *tab);

/**
 * bh_tab_get_blocked_popup_url:
 *
 * Returns: (nullable) (transfer none): the first blocked pop-up's URL, what
 *   bh_tab_open_blocked_popup() opens; %NULL when none is blocked.
 */
const char *bh_tab_get_blocked_popup_url (BhTab *tab);

/**
 * bh_tab_open_blocked_popup:
 *
 * Allow, on the "Pop-up blocked" notice: emits "open-url" for the first blocked
 * pop-up, in a new tab, and clears the notice. Does nothing when none is blocked.
 */
void bh_tab_open_blocked_popup (BhTab *tab);

/**
 * bh_tab_dismiss_blocked_popups:
 *
 * Closes the "Pop-up blocked" notice: its count drops to 0, nothing opens.
 */
void bh_tab_dismiss_blocked_popups (BhTab *tab);

/**
 * bh_tab_get_interaction:
 *
 * Returns: (transfer none): the tab's find in page and copied text
 *   (bh-tab-interaction.h), for the find bar and the clipboard.
 */
BhTabInteraction *bh_tab_get_interaction (BhTab *tab);

/**
 * bh_tab_set_cache_bypass:
 * @bypass: %TRUE: every fetch of the tab (its navigations and its pages'
 *   subresources) skips the HTTP cache, as with Ctrl+Shift+R (the answers are still
 *   stored); %FALSE: the cache is used again
 *
 * WebDriver BiDi's network.setCacheBehavior ("bypass" / "default").
 */
void bh_tab_set_cache_bypass (BhTab *tab, gboolean bypass);

/**
 * bh_tab_set_extra_headers:
 * @headers: (nullable) (array zero-terminated=1): name, value, name, value...;
 *   names HTTP tokens, values without CR, LF or NUL (the caller checks); copied
 *
 * WebDriver BiDi's network.setExtraHeaders: every http(s) fetch of the tab (its
 * navigations and its pages' subresources) sends these too. %NULL: none.
 */
void bh_tab_set_extra_headers (BhTab *tab, const char *const *headers);

G_END_DECLS
