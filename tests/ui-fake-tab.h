/* ui-fake-tab.h: a stand-in BhTab and BhBrowser for the window's tests.
 *
 * Test-only. It implements bh-tab.h and the two bh-browser.h calls the UI
 * makes, with no renderer: a navigation completes on a short timeout and
 * paints a frame of the viewport's size from a cairo image surface, whose
 * colour is the URL's fragment ("http://a.test/#ff00ff") or white, with a
 * black 100x50 px box at (10, 10) px. URLs containing "slow" keep loading
 * until bh_tab_stop(). Everything the UI sends the tab is logged.
 */
#pragma once

#include "bh-browser.h"
#include "bh-tab.h"

G_BEGIN_DECLS

typedef struct {
  guint n_navigations;
  char *last_user_input;   /* the last bh_tab_navigate_to_user_input() text */
  guint n_reloads;
  guint n_stops;
  guint n_closes;
  int viewport_width_px;
  int viewport_height_px;
  double viewport_scale;
  guint n_mouse_events;
  guint mouse_kind;
  double mouse_x_px;
  double mouse_y_px;
  guint mouse_button;
  guint mouse_modifiers;
  guint n_mouse_presses;
  guint n_mouse_releases;
  guint n_scrolls;
  double scroll_dx_px;     /* the last scroll event's deltas */
  double scroll_dy_px;
  guint n_keys;
  guint last_keyval;
  guint last_key_modifiers;
  int last_scroll_to_px;
  guint n_scroll_tos;
  gboolean focused;
  gboolean visible;        /* the last bh_tab_set_visible() */
  guint n_hang_waits;      /* bh_tab_hang_wait() calls */
  guint n_hang_kills;      /* bh_tab_hang_kill() calls */
} BhFakeTabLog;

/* The document every page has, px: taller than any viewport. */
#define BH_FAKE_DOCUMENT_HEIGHT_PX 3000

BhBrowser *bh_fake_browser_new (void);
/* The options bh_browser_get_options() returns; tests may change them. */
BhBrowserOptions *bh_fake_browser_get_options (BhBrowser *browser);

const BhFakeTabLog *bh_fake_tab_get_log (BhTab *tab);
void bh_fake_tab_set_state (BhTab *tab, BhTabState state, const char *status_message);
void bh_fake_tab_set_hover (BhTab *tab, const char *url, guint cursor);
void bh_fake_tab_request_open_url (BhTab *tab, const char *url, BhDisposition disposition);
void bh_fake_tab_request_close (BhTab *tab);
/* As the pop-up blocker does: one more blocked new tab (the first one's URL is kept). */
void bh_fake_tab_block_popup (BhTab *tab, const char *url);
/* Every fake tab that was created and not finalized. */
guint bh_fake_tab_count_alive (void);

G_END_DECLS
