/* bh-http-cache.h: the profile's HTTP cache (RFC 9111, a private cache):
 * what may be stored, how long it stays fresh, and the stored responses in
 * the profile's `http_cache` table, bounded with least-recently-used
 * eviction. Main thread only.
 */
#pragma once

#include <sqlite3.h>

#include <glib.h>

G_BEGIN_DECLS

/* At most this much body in the cache, and per response (Chromium's
 * default disk cache is 80 MiB for a small disk; its entries can be larger). */
#define BH_HTTP_CACHE_MAX_BYTES       ((gsize) 64 * 1024 * 1024)
#define BH_HTTP_CACHE_MAX_ENTRY_BYTES ((gsize) 8 * 1024 * 1024)

typedef struct _BhHttpCache BhHttpCache;

/**
 * BhHttpCacheHeaders:
 * The response's header values a cache reads (each nullable): Cache-Control,
 * Pragma, Expires, Date, Age, Last-Modified, ETag, Vary.
 */
typedef struct {
  const char *cache_control;
  const char *pragma;
  const char *expires;
  const char *date;
  const char *age;
  const char *last_modified;
  const char *etag;
  const char *vary;
} BhHttpCacheHeaders;

/**
 * BhHttpCacheEntry:
 * A stored response; every string and the body owned.
 */
typedef struct {
  char *url;
  guint status;
  char *content_type;
  char *charset;          /* nullable */
  GBytes *body;
  char *etag;             /* nullable: If-None-Match */
  char *last_modified;    /* nullable: If-Modified-Since */
  gint64 fresh_until_us;  /* wall clock; fresh before it (0: must revalidate) */
  char *vary;             /* nullable: the field names it varies on, "accept, cookie" */
  char *vary_key;         /* nullable: the request's values of them, see bh_http_cache_store() */
} BhHttpCacheEntry;

void bh_http_cache_entry_free (BhHttpCacheEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHttpCacheEntry, bh_http_cache_entry_free)

/**
 * bh_http_cache_new:
 * @db: the profile's database, with the `http_cache` table
 * @max_bytes: the bound on the bodies stored
 *
 * Returns: (transfer full): the cache, for bh_http_cache_free().
 */
BhHttpCache *bh_http_cache_new (sqlite3 *db,
                                gsize    max_bytes);
void bh_http_cache_free (BhHttpCache *cache);

/**
 * bh_http_cache_freshness_us:
 * @headers: the response's
 * @now_us: when it was received, wall clock µs
 * @out_no_store: (out): `Cache-Control: no-store`: never store it
 *
 * RFC 9111 §4.2: how long the response is fresh from @now_us: `max-age`
 * (less `Age`), else `Expires` minus `Date`, else 10 % of the time since
 * `Last-Modified` (the heuristic of §4.2.2, at most a day); 0 for
 * `no-cache`, `Pragma: no-cache`, or none of those (store it only to
 * revalidate).
 *
 * Returns: the freshness lifetime, µs.
 */
gint64 bh_http_cache_freshness_us (const BhHttpCacheHeaders *headers,
                                   gint64                    now_us,
                                   gboolean                 *out_no_store);

/**
 * bh_http_cache_vary_names:
 * @vary: (nullable): a response's Vary value
 *
 * Returns: (transfer full) (array zero-terminated=1): the field names it
 *   lists, lower case, in order, empty ones dropped; "*" stays "*".
 */
char **bh_http_cache_vary_names (const char *vary);

/**
 * bh_http_cache_lookup:
 * @cache: the cache
 * @url: the request's URL, without its fragment
 *
 * Returns: (transfer full) (nullable): the stored response, its last use
 *   time updated.
 */
BhHttpCacheEntry *bh_http_cache_lookup (BhHttpCache *cache,
                                        const char  *url);

/**
 * bh_http_cache_store:
 * @cache: the cache
 * @url: the request's URL, without its fragment
 * @status: the response's status; only 200 is stored
 * @content_type: its type
 * @charset: (nullable): its charset
 * @body: its whole body, decoded
 * @headers: its caching headers
 * @vary_key: (nullable): when @headers has a Vary, what the request sent
 *   for each field it names ("name: value\n" each, in the Vary's order, an
 *   absent field with an empty value): a later request uses the entry only
 *   when it would send the same (RFC 9111 §4.1)
 * @now_us: when it was received
 *
 * Stores the response when it may be (a 200, not no-store, with a freshness
 * lifetime or a validator, at most BH_HTTP_CACHE_MAX_ENTRY_BYTES, and not
 * `Vary: *`, which no later request matches), then
 * evicts the least recently used until the cache is within its bound; a
 * response that may not be stored removes what was stored for @url.
 *
 * Returns: whether it was stored.
 */
gboolean bh_http_cache_store (BhHttpCache              *cache,
                              const char               *url,
                              guint                     status,
                              const char               *content_type,
                              const char               *charset,
                              GBytes                   *body,
                              const BhHttpCacheHeaders *headers,
                              const char               *vary_key,
                              gint64                    now_us);

/**
 * bh_http_cache_freshen:
 * @cache: the cache
 * @url: the URL a 304 Not Modified answered
 * @headers: the 304's caching headers
 * @now_us: when it came
 *
 * RFC 9111 §4.3.4: the stored response gets the 304's freshness (and new
 * validators, if it sent any).
 */
void bh_http_cache_freshen (BhHttpCache              *cache,
                            const char               *url,
                            const BhHttpCacheHeaders *headers,
                            gint64                    now_us);

/**
 * bh_http_cache_get_size:
 * Returns: the bytes of body stored.
 */
gsize bh_http_cache_get_size (BhHttpCache *cache);

G_END_DECLS
