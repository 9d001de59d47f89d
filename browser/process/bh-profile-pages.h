/* bh-profile-pages.h: the pages that show and edit the profile:
 * about:history and about:bookmarks.
 */
#pragma once

#include <gio/gio.h>

#include "bh-profile.h"

G_BEGIN_DECLS

/* At most this many visits on about:history (newest first). */
#define BH_HISTORY_PAGE_MAX_VISITS 500

/**
 * bh_profile_page_render:
 * @profile: the profile
 * @url: a URL a tab navigates to
 * @initiator_site: (nullable): the site of the page that asked (a link),
 *   %NULL when the browser itself navigates (typed, Ctrl+H, reload)
 *
 * For `about:history` (`?q=TEXT` searches, `?delete=ID` deletes a visit) and
 * `about:bookmarks` (`?remove=URL` removes one): does what the query asks
 * and renders the page. A change is made only when the navigation comes
 * from the browser or from an about: page, never from a web page's link,
 * since any site could link to `about:history?delete=1`.
 *
 * Returns: (transfer full) (nullable): the page, or %NULL when @url is
 *   neither.
 */
GBytes *bh_profile_page_render (BhProfile  *profile,
                                const char *url,
                                const char *initiator_site);

G_END_DECLS
