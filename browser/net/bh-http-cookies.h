/* bh-http-cookies.h: the profile's cookie jar on an HTTP exchange: the
 * Cookie header a request carries, and the Set-Cookie lines of its response.
 */
#pragma once

#include <libwebsockets.h>

#include "bh-fetch-job.h"

G_BEGIN_DECLS

/**
 * bh_http_cookies_for_request:
 * @opts: the fetch's options (its profile, initiator site, whether it is a
 *   tab's navigation)
 * @url: this hop's URL
 *
 * Returns: (transfer full) (nullable): the Cookie header's value, %NULL
 *   without a profile or a cookie to send.
 */
char *bh_http_cookies_for_request (const BhFetchOptions *opts,
                                   const char           *url);

/**
 * bh_http_cookies_store:
 * @opts: the fetch's options
 * @url: the URL whose response has come
 * @wsi: the connection, its response headers in
 *
 * Hands every Set-Cookie header of the response, one by one (lws keeps
 * repeated headers as fragments), to the profile's jar. Redirect responses
 * count as much as the final one, as in every browser.
 */
void bh_http_cookies_store (const BhFetchOptions *opts,
                            const char           *url,
                            struct lws           *wsi);

G_END_DECLS
