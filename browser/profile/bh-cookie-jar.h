/* bh-cookie-jar.h: the profile's cookies (RFC 6265bis §5.7-5.8), for the
 * network (Set-Cookie in, Cookie out), automation (WebDriver BiDi's
 * storage.getCookies, setCookie, deleteCookies) and, later, a renderer's
 * document.cookie through the browser.
 *
 * Every cookie lives in memory; persistent ones (with an expiry) are also
 * written through to the profile's `cookies` table at once, each change its
 * own transaction, so a browser killed the moment after a response keeps
 * its cookies. Session cookies are never written: they die with the
 * browser. Main thread only.
 */
#pragma once

#include <sqlite3.h>

#include "bh-cookie.h"

G_BEGIN_DECLS

/* Chromium's limits (net/cookies/cookie_monster.h): per registrable domain
 * and in all; past them the least recently used go first. */
#define BH_COOKIE_JAR_MAX_PER_DOMAIN 180
#define BH_COOKIE_JAR_MAX_COOKIES    3300

typedef struct _BhCookieJar BhCookieJar;

/**
 * BhCookieRequest:
 * @url: the request's URL (http or https)
 * @same_site: the request is same-site: its initiator's site is the URL's
 *   site, or the browser made it (typed, reload, automation)
 * @top_level_navigation: a navigation of a tab (not a subresource)
 * @source: HTTP (the Cookie header) or a script (document.cookie, which
 *   sees no HttpOnly cookie)
 *
 * What decides which cookies a request carries (§5.8.3) or may set.
 * SameSite=Strict cookies go with same-site requests only, Lax (and no
 * attribute, Chromium's default) also with cross-site top-level navigations
 * (all of Bulkhead's are GETs), None with every request.
 */
typedef struct {
  const char *url;
  gboolean same_site;
  gboolean top_level_navigation;
  BhCookieSource source;
} BhCookieRequest;

/**
 * BhCookieFilter:
 * @url: (nullable): only cookies a request to @url would carry by domain,
 *   path and Secure (SameSite and HttpOnly aside)
 * @name, @value, @domain, @path: (nullable): equal to these
 * @http_only, @secure: -1 for either, else 0 or 1
 *
 * Which cookies bh_cookie_jar_get_cookies() and bh_cookie_jar_delete()
 * act on: all fields together, as BiDi's storage.CookieFilter. A
 * zero-initialised filter with @http_only and @secure -1 matches all.
 */
typedef struct {
  const char *url;
  const char *name;
  const char *value;
  const char *domain;
  const char *path;
  int http_only;
  int secure;
} BhCookieFilter;

#define BH_COOKIE_FILTER_ALL { NULL, NULL, NULL, NULL, NULL, -1, -1 }

/**
 * bh_cookie_jar_new:
 * @db: (nullable): the profile's database, whose `cookies` table exists;
 *   %NULL for a jar in memory only (--incognito, tests)
 *
 * Loads the persistent cookies not yet expired (deleting the rest).
 *
 * Returns: (transfer full): the jar, for bh_cookie_jar_free(); it uses @db
 *   until then.
 */
BhCookieJar *bh_cookie_jar_new (sqlite3 *db);

/**
 * bh_cookie_jar_free:
 * @jar: (nullable) (transfer full)
 */
void bh_cookie_jar_free (BhCookieJar *jar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhCookieJar, bh_cookie_jar_free)

/**
 * bh_cookie_jar_set_from_header:
 * @jar: the jar
 * @request: the request whose response carried @set_cookie
 * @set_cookie: one Set-Cookie value (or a document.cookie assignment)
 * @out_reason: (out) (optional) (transfer full): why it was refused
 *
 * Parses (bh_cookie_parse()) and stores the cookie per §5.7: a cross-site
 * request may not set SameSite=Lax/Strict cookies (Lax: but for top-level
 * navigations); an insecure URL may not shadow a Secure cookie's name; a
 * script may not replace an HttpOnly cookie; a cookie with the same name,
 * domain, host-only flag and path is replaced, keeping its creation time;
 * an expired one deletes it. Then the limits (BH_COOKIE_JAR_MAX_*).
 *
 * Returns: %TRUE when the cookie was stored (or deleted its namesake as its
 *   expiry asked).
 */
gboolean bh_cookie_jar_set_from_header (BhCookieJar           *jar,
                                        const BhCookieRequest *request,
                                        const char            *set_cookie,
                                        char                 **out_reason);

/**
 * bh_cookie_jar_get_header:
 * @jar: the jar
 * @request: the request about to be sent
 *
 * The cookies @request carries (§5.8.3): domain and path matching, Secure
 * ones over secure URLs only, SameSite as #BhCookieRequest says, HttpOnly
 * ones to HTTP only; longest path first, then oldest. Their last access time
 * is updated.
 *
 * Returns: (transfer full) (nullable): "a=1; b=2" for the Cookie header,
 *   %NULL when there is none.
 */
char *bh_cookie_jar_get_header (BhCookieJar           *jar,
                                const BhCookieRequest *request);

/**
 * bh_cookie_jar_get_cookies:
 * @jar: the jar
 * @filter: (nullable): which ones; %NULL for all
 *
 * Expired cookies are dropped first and never returned.
 *
 * Returns: (transfer full) (element-type BhCookie): copies of the matching
 *   cookies, oldest first.
 */
GPtrArray *bh_cookie_jar_get_cookies (BhCookieJar          *jar,
                                      const BhCookieFilter *filter);

/**
 * bh_cookie_jar_set_cookie:
 * @jar: the jar
 * @cookie: (transfer none): a cookie as the caller wants it (automation's
 *   storage.setCookie); @creation_us and @last_access_us 0 mean now
 * @error: %G_IO_ERROR_INVALID_ARGUMENT when a name or value holds a control
 *   character or ";", they are over 4096 bytes together, the domain or path
 *   is empty or does not start with "/", the domain is a public suffix, or
 *   SameSite=None is not Secure
 *
 * Stores a copy, replacing its namesake (name, domain, host-only, path).
 *
 * Returns: %TRUE when stored.
 */
gboolean bh_cookie_jar_set_cookie (BhCookieJar    *jar,
                                   const BhCookie *cookie,
                                   GError        **error);

/**
 * bh_cookie_jar_delete:
 * @jar: the jar
 * @filter: (nullable): which ones; %NULL for all
 *
 * Returns: how many were deleted.
 */
guint bh_cookie_jar_delete (BhCookieJar          *jar,
                            const BhCookieFilter *filter);

/**
 * bh_cookie_jar_set_clock:
 * @jar: the jar
 * @now_us: (nullable): returns the time in microseconds since the Unix
 *   epoch; %NULL for g_get_real_time()
 *
 * For tests of expiry.
 */
void bh_cookie_jar_set_clock (BhCookieJar *jar,
                              gint64     (*now_us) (void));

G_END_DECLS
