/* bh-cookie.h: one cookie, and the rules of RFC 6265bis
 * (draft-ietf-httpbis-rfc6265bis-15) that need no jar: parsing a
 * Set-Cookie line, dates, and the domain and path matches.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 6265bis §5.6: a name plus value longer than this is ignored, as is an
 * attribute value longer than BH_COOKIE_MAX_ATTRIBUTE_BYTES. */
#define BH_COOKIE_MAX_NAME_VALUE_BYTES 4096
#define BH_COOKIE_MAX_ATTRIBUTE_BYTES  1024
/* §5.6.1-2: Expires and Max-Age are cut to 400 days from now. */
#define BH_COOKIE_MAX_AGE_S ((gint64) 400 * 24 * 3600)

/* The SameSite attribute (§5.6.7). DEFAULT is no attribute, or one this
 * browser does not know: it is enforced as LAX, as Chromium does. */
typedef enum {
  BH_COOKIE_SAME_SITE_DEFAULT,
  BH_COOKIE_SAME_SITE_NONE,
  BH_COOKIE_SAME_SITE_LAX,
  BH_COOKIE_SAME_SITE_STRICT,
} BhCookieSameSite;

/* Who sets or reads a cookie: HTTP (Set-Cookie, the Cookie header) or a
 * script's document.cookie, which never sees or sets HttpOnly cookies. */
typedef enum {
  BH_COOKIE_SOURCE_HTTP,
  BH_COOKIE_SOURCE_SCRIPT,
} BhCookieSource;

/**
 * BhCookie:
 * @name: may be empty (a Set-Cookie without "=")
 * @value: the value as sent, quotes included
 * @domain: lower case, no leading dot: the request's host for a host-only
 *   cookie, else the Domain attribute
 * @path: starts with "/"
 * @creation_us, @last_access_us: microseconds since the Unix epoch
 * @expiry_us: microseconds since the Unix epoch; 0 for a session cookie
 *   (dies with the browser)
 * @host_only: sent to @domain only, not to its subdomains
 * @secure: sent over secure connections only (https, and loopback as
 *   Chromium counts it)
 * @http_only: never shown to scripts
 * @same_site: see #BhCookieSameSite
 *
 * Every string is owned by the cookie.
 */
typedef struct {
  char *name;
  char *value;
  char *domain;
  char *path;
  gint64 creation_us;
  gint64 expiry_us;
  gint64 last_access_us;
  gboolean host_only;
  gboolean secure;
  gboolean http_only;
  BhCookieSameSite same_site;
} BhCookie;

/**
 * bh_cookie_free:
 * @cookie: (nullable) (transfer full)
 */
void bh_cookie_free (BhCookie *cookie);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhCookie, bh_cookie_free)

/**
 * bh_cookie_copy:
 * Returns: (transfer full): a deep copy of @cookie
 */
BhCookie *bh_cookie_copy (const BhCookie *cookie);

/**
 * bh_cookie_parse:
 * @set_cookie: one Set-Cookie header value (or a document.cookie
 *   assignment), any bytes
 * @url: the URL of the response that carried it (http or https)
 * @now_us: the time, microseconds since the Unix epoch
 * @source: HTTP or a script
 * @out_reason: (out) (optional) (transfer full): why the cookie was refused,
 *   in words for the net log and tests
 *
 * Parses @set_cookie as RFC 6265bis §5.6 says and builds the cookie §5.7's
 * storage model would store: a control character anywhere, a name and value
 * over 4096 bytes, an empty name and value, a Domain that @url's host does
 * not domain-match, a Domain that is a public suffix (libpsl: `Domain=co.uk`;
 * allowed only when it is the host itself, which makes the cookie
 * host-only), Secure from an insecure URL, HttpOnly from a script,
 * SameSite=None without Secure, and the `__Secure-` and `__Host-` prefixes'
 * rules each refuse it. A cookie whose expiry has passed is returned: the
 * jar then deletes its namesake.
 *
 * Returns: (transfer full) (nullable): the cookie, or %NULL when refused.
 */
BhCookie *bh_cookie_parse (const char    *set_cookie,
                           const char    *url,
                           gint64         now_us,
                           BhCookieSource source,
                           char         **out_reason);

/**
 * bh_cookie_parse_date:
 * @text: a cookie-date, such as "Wed, 21 Oct 2015 07:28:00 GMT"
 * @out_us: (out): microseconds since the Unix epoch, UTC
 *
 * RFC 6265bis §5.1.1's lenient algorithm (also what HTTP caches may use for
 * Expires and Last-Modified): tokens for the time, the day, the month and
 * the year in any order, two-digit years 70-99 in the 1900s and 0-69 in the
 * 2000s, no date before 1601.
 *
 * Returns: %TRUE when @text is a date; @out_us is untouched otherwise.
 */
gboolean bh_cookie_parse_date (const char *text,
                               gint64     *out_us);

/**
 * bh_cookie_domain_matches:
 * @host: a request's host, lower case
 * @domain: a cookie's domain, lower case, no leading dot
 *
 * §5.1.3: @host is @domain, or ends with "." + @domain and is not an IP
 * address.
 */
gboolean bh_cookie_domain_matches (const char *host,
                                   const char *domain);

/**
 * bh_cookie_path_matches:
 * @request_path: a request URL's path ("/" when empty)
 * @cookie_path: a cookie's path
 *
 * §5.1.4: equal, or @cookie_path is a prefix ending in "/" or followed in
 * @request_path by "/".
 */
gboolean bh_cookie_path_matches (const char *request_path,
                                 const char *cookie_path);

/**
 * bh_cookie_url_is_secure:
 * @scheme: "http", "https"
 * @host: lower case, IPv6 without brackets
 *
 * Whether a URL is a secure origin for cookies: https, or http to loopback
 * (localhost, 127.0.0.0/8, ::1), as Chromium counts potentially trustworthy
 * origins.
 */
gboolean bh_cookie_url_is_secure (const char *scheme,
                                  const char *host);

/**
 * bh_cookie_is_public_suffix:
 * @domain: lower case, no leading dot
 *
 * Whether @domain is a public suffix ("co.uk", "github.io", and by the
 * list's implicit rule any unlisted top-level name such as "test"), from
 * libpsl: the system's list, or libpsl's built-in copy.
 */
gboolean bh_cookie_is_public_suffix (const char *domain);

/**
 * bh_cookie_registrable_domain:
 * @domain: lower case, no leading dot
 *
 * Returns: (transfer none): @domain's registrable domain (eTLD+1), a
 *   pointer into @domain, or @domain itself when it has none (an IP
 *   address, a public suffix).
 */
const char *bh_cookie_registrable_domain (const char *domain);

/**
 * bh_cookie_same_site_to_string:
 * Returns: (transfer none): "default", "none", "lax" or "strict".
 */
const char *bh_cookie_same_site_to_string (BhCookieSameSite same_site);

G_END_DECLS
