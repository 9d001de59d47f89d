/* bh-renderer-cookies.h: document.cookie through the browser: what a
 * renderer may read and write of the profile's cookies (CookiesGet,
 * CookiesSet), checked against its site lock.
 */
#pragma once

#include "bh-profile.h"

G_BEGIN_DECLS

/* At most this many bytes in a CookiesSet line: twice the name-and-value
 * limit of RFC 6265bis, attributes included. Past it the renderer is not
 * honest (the jar would refuse the line anyway). */
#define BH_MAX_COOKIE_LINE_BYTES (2 * 4096 + 1024)

/**
 * bh_renderer_cookies_get:
 * @profile: the profile
 * @site: the renderer's site lock
 * @url: the document's URL, from the renderer
 * @out_cookies: (out) (transfer full): "name=value; ...", "" for none
 * @out_bad: (out) (transfer full): why the request is a bad message
 *
 * The Cookie header a script of @url sees: same-site, the non-HttpOnly
 * cookies only (bh_cookie_jar_get_header() with a script source). @url must
 * be of @site (a renderer asks for its own documents' cookies, never
 * another site's); a URL that is not http or https has no cookies.
 *
 * Returns: %FALSE with @out_bad set when the renderer must be killed.
 */
gboolean bh_renderer_cookies_get (BhProfile  *profile,
                                  const char *site,
                                  const char *url,
                                  char      **out_cookies,
                                  char      **out_bad);

/**
 * bh_renderer_cookies_set:
 * @profile: the profile
 * @site: the renderer's site lock
 * @url: the document's URL, from the renderer
 * @line: a Set-Cookie line from document.cookie = ...
 * @out_bad: (out) (transfer full): why the request is a bad message
 *
 * Stores the cookie as the jar does for a script (no HttpOnly, none
 * replaced). A refusal by the jar is not the renderer's fault.
 *
 * Returns: %FALSE with @out_bad set when the renderer must be killed (@url
 *   of another site, a line longer than %BH_MAX_COOKIE_LINE_BYTES).
 */
gboolean bh_renderer_cookies_set (BhProfile  *profile,
                                  const char *site,
                                  const char *url,
                                  const char *line,
                                  char      **out_bad);

G_END_DECLS
