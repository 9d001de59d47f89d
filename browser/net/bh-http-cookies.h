/* bh-http-cookies.h: the profile's cookie jar on an HTTP exchange: the
 * Cookie header a request carries, and the Set-Cookie lines of its response.
 */
#pragma once

#include "bh-fetch-job.h"
#include "bh-http-parser.h"

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
 * @parser: the response, its head in
 *
 * Hands every Set-Cookie line of the response, one by one (they are never
 * joined, RFC 6265bis §3), to the profile's jar. Redirect responses
 * count as much as the final one, as in every browser.
 */
void bh_http_cookies_store (const BhFetchOptions *opts,
                            const char           *url,
                            const BhHttpParser   *parser);

G_END_DECLS
