/* test-profile: the profile (browser/profile/): its directory and lock, the
 * database's migrations, cookies per RFC 6265bis, history and bookmarks.
 * Every profile lives in a temporary directory of its own.
 */
#include <fcntl.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bh-cookie-jar.h"
#include "bh-history.h"
#include "bh-http-cache.h"
#include "bh-profile.h"
#include "bh-web-storage.h"

static char *
make_temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("bh-test-profile-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static const BhCookieRequest *
http_request (const char *url)
{
  static BhCookieRequest request;

  request = (BhCookieRequest) { url, TRUE, TRUE, BH_COOKIE_SOURCE_HTTP };
  return &request;
}

/* Sets @line from @url into @jar; asserts whether it was accepted. */
static void
set_cookie (BhCookieJar *jar, const char *url, const char *line, gboolean accepted)
{
  g_autofree char *reason = NULL;
  gboolean stored = bh_cookie_jar_set_from_header (jar, http_request (url), line, &reason);

  if (stored != accepted)
    g_error ("Set-Cookie: %s from %s was %s (%s)", line, url, stored ? "stored" : "refused",
             reason != NULL ? reason : "no reason");
}

static char *
cookie_header (BhCookieJar *jar, const char *url)
{
  return bh_cookie_jar_get_header (jar, http_request (url));
}

static void
assert_header (BhCookieJar *jar, const char *url, const char *expected)
{
  g_autofree char *header = cookie_header (jar, url);

  g_assert_cmpstr (header, ==, expected);
}

static void
test_cookie_parse (void)
{
  g_autoptr (BhCookieJar) jar = bh_cookie_jar_new (NULL);

  /* Host-only by default: not for subdomains. */
  set_cookie (jar, "http://alpha.test/a/b", "id=1", TRUE);
  assert_header (jar, "http://alpha.test/a/c", "id=1");
  assert_header (jar, "http://www.alpha.test/a/c", NULL);
  /* Default path: the directory of the request. */
  assert_header (jar, "http://alpha.test/other", NULL);

  /* Domain: for the domain and its subdomains. */
  set_cookie (jar, "http://www.beta.test/", "d=2; Domain=beta.test; Path=/", TRUE);
  assert_header (jar, "http://beta.test/x", "d=2");
  assert_header (jar, "http://deep.www.beta.test/x", "d=2");
  assert_header (jar, "http://notbeta.test/x", NULL);
  /* A leading dot is ignored. */
  set_cookie (jar, "http://www.beta.test/", "e=3; Domain=.beta.test; Path=/", TRUE);
  assert_header (jar, "http://beta.test/", "d=2; e=3");

  /* Public suffixes are refused, unless the host itself. */
  set_cookie (jar, "http://www.example.co.uk/", "a=b; Domain=co.uk", FALSE);
  set_cookie (jar, "http://alpha.test/", "a=b; Domain=test", FALSE);
  set_cookie (jar, "http://github.io/", "gh=1; Domain=github.io", TRUE);
  assert_header (jar, "http://github.io/", "gh=1");
  assert_header (jar, "http://x.github.io/", NULL);
  /* A domain the host is not in. */
  set_cookie (jar, "http://alpha.test/", "a=b; Domain=beta.test", FALSE);
  /* IP addresses: the Domain must be the address. */
  set_cookie (jar, "http://127.0.0.1/", "ip=1; Domain=0.0.1", FALSE);
  set_cookie (jar, "http://127.0.0.1/", "ip=1; Domain=127.0.0.1", TRUE);

  /* Control characters, sizes. */
  set_cookie (jar, "http://alpha.test/", "a=b\x01", FALSE);
  set_cookie (jar, "http://alpha.test/", "=", FALSE);
  {
    g_autofree char *big = g_strnfill (4097, 'v');
    g_autofree char *line = g_strdup_printf ("big=%s", big);

    set_cookie (jar, "http://alpha.test/", line, FALSE);
  }

  /* Secure: not from, nor to, an insecure page. */
  set_cookie (jar, "http://gamma.test/", "s=1; Secure", FALSE);
  set_cookie (jar, "https://gamma.test/", "s=1; Secure; Path=/", TRUE);
  assert_header (jar, "https://gamma.test/", "s=1");
  assert_header (jar, "http://gamma.test/", NULL);
  /* ...and an insecure page cannot shadow it. */
  set_cookie (jar, "http://gamma.test/", "s=2; Path=/", FALSE);
  /* Loopback counts as secure, as in Chromium. */
  set_cookie (jar, "http://localhost/", "ls=1; Secure", TRUE);

  /* Prefixes. */
  set_cookie (jar, "https://gamma.test/", "__Host-h=1; Secure; Path=/; Domain=gamma.test", FALSE);
  set_cookie (jar, "https://gamma.test/", "__Host-h=1; Secure; Path=/", TRUE);
  set_cookie (jar, "https://gamma.test/", "__Secure-s=1", FALSE);

  /* SameSite=None needs Secure. */
  set_cookie (jar, "https://gamma.test/", "n=1; SameSite=None", FALSE);
  set_cookie (jar, "https://gamma.test/", "n=1; SameSite=None; Secure; Path=/", TRUE);

  /* A name without "=" is a value with an empty name. */
  set_cookie (jar, "http://delta.test/", "lonely", TRUE);
  assert_header (jar, "http://delta.test/", "lonely");
}

static void
test_cookie_dates (void)
{
  gint64 us = 0;

  g_assert_true (bh_cookie_parse_date ("Wed, 21 Oct 2015 07:28:00 GMT", &us));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1445412480) * G_USEC_PER_SEC);
  /* RFC 850 and asctime forms, two-digit years. */
  g_assert_true (bh_cookie_parse_date ("Wednesday, 21-Oct-15 07:28:00 GMT", &us));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1445412480) * G_USEC_PER_SEC);
  g_assert_true (bh_cookie_parse_date ("Wed Oct 21 07:28:00 2015", &us));
  g_assert_cmpint (us, ==, G_GINT64_CONSTANT (1445412480) * G_USEC_PER_SEC);
  g_assert_true (bh_cookie_parse_date ("21 oct 70 00:00:00", &us));
  g_assert_false (bh_cookie_parse_date ("30 Feb 2015 00:00:00", &us));
  g_assert_false (bh_cookie_parse_date ("21 Oct 1600 00:00:00", &us));
  g_assert_false (bh_cookie_parse_date ("21 Oct 2015 24:00:00", &us));
  g_assert_false (bh_cookie_parse_date ("tomorrow", &us));
}

static gint64 fake_now_us;

static gint64
fake_now (void)
{
  return fake_now_us;
}

static void
test_cookie_expiry (void)
{
  g_autoptr (BhCookieJar) jar = bh_cookie_jar_new (NULL);
  g_autoptr (GPtrArray) all = NULL;
  BhCookieFilter filter = BH_COOKIE_FILTER_ALL;

  fake_now_us = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  bh_cookie_jar_set_clock (jar, fake_now);

  set_cookie (jar, "http://alpha.test/", "m=1; Max-Age=60", TRUE);
  set_cookie (jar, "http://alpha.test/", "e=1; Expires=Wed, 21 Oct 2099 07:28:00 GMT", TRUE);
  set_cookie (jar, "http://alpha.test/", "s=1", TRUE);
  assert_header (jar, "http://alpha.test/", "m=1; e=1; s=1");

  /* Max-Age wins over Expires; 400 days at most. */
  filter.name = "e";
  all = bh_cookie_jar_get_cookies (jar, &filter);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (((BhCookie *) all->pdata[0])->expiry_us, ==,
                   fake_now_us + BH_COOKIE_MAX_AGE_S * G_USEC_PER_SEC);

  fake_now_us += 61 * G_USEC_PER_SEC;
  assert_header (jar, "http://alpha.test/", "e=1; s=1");

  /* An expiry in the past deletes the namesake. */
  set_cookie (jar, "http://alpha.test/", "s=gone; Max-Age=0", TRUE);
  assert_header (jar, "http://alpha.test/", "e=1");
  set_cookie (jar, "http://alpha.test/", "e=x; Expires=Thu, 01 Jan 1970 00:00:01 GMT", TRUE);
  assert_header (jar, "http://alpha.test/", NULL);
}

static void
test_cookie_same_site_and_http_only (void)
{
  g_autoptr (BhCookieJar) jar = bh_cookie_jar_new (NULL);
  BhCookieRequest cross_sub = { "https://alpha.test/", FALSE, FALSE, BH_COOKIE_SOURCE_HTTP };
  BhCookieRequest cross_nav = { "https://alpha.test/", FALSE, TRUE, BH_COOKIE_SOURCE_HTTP };
  BhCookieRequest script = { "https://alpha.test/", TRUE, FALSE, BH_COOKIE_SOURCE_SCRIPT };
  g_autofree char *sub = NULL, *nav = NULL, *js = NULL;
  g_autofree char *reason = NULL;

  set_cookie (jar, "https://alpha.test/", "lax=1", TRUE);
  set_cookie (jar, "https://alpha.test/", "strict=1; SameSite=Strict", TRUE);
  set_cookie (jar, "https://alpha.test/", "none=1; SameSite=None; Secure", TRUE);
  set_cookie (jar, "https://alpha.test/", "ho=1; HttpOnly", TRUE);

  /* Lax by default: not on a cross-site subresource, yes on a navigation. */
  sub = bh_cookie_jar_get_header (jar, &cross_sub);
  g_assert_cmpstr (sub, ==, "none=1");
  nav = bh_cookie_jar_get_header (jar, &cross_nav);
  g_assert_cmpstr (nav, ==, "lax=1; none=1; ho=1");
  /* Scripts never see HttpOnly cookies, nor set or replace them. */
  js = bh_cookie_jar_get_header (jar, &script);
  g_assert_cmpstr (js, ==, "lax=1; strict=1; none=1");
  g_assert_false (bh_cookie_jar_set_from_header (jar, &script, "ho=2", &reason));
  g_assert_nonnull (reason);
  g_clear_pointer (&reason, g_free);
  g_assert_false (bh_cookie_jar_set_from_header (jar, &script, "x=1; HttpOnly", &reason));
  g_clear_pointer (&reason, g_free);
  /* A cross-site subresource may not set a Lax cookie. */
  g_assert_false (bh_cookie_jar_set_from_header (jar, &cross_sub, "c=1", &reason));
}

static void
test_cookie_api (void)
{
  g_autoptr (BhCookieJar) jar = bh_cookie_jar_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  BhCookie cookie = { "api", "v", "Alpha.Test", "/", 0, 0, 0, FALSE, FALSE, FALSE,
                      BH_COOKIE_SAME_SITE_LAX };
  BhCookieFilter filter = BH_COOKIE_FILTER_ALL;

  g_assert_true (bh_cookie_jar_set_cookie (jar, &cookie, &error));
  g_assert_no_error (error);
  assert_header (jar, "http://www.alpha.test/", "api=v");

  cookie.domain = (char *) "co.uk";
  g_assert_false (bh_cookie_jar_set_cookie (jar, &cookie, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  cookie.domain = (char *) "alpha.test";
  cookie.value = (char *) "a;b";
  g_assert_false (bh_cookie_jar_set_cookie (jar, &cookie, &error));
  g_clear_error (&error);

  set_cookie (jar, "http://alpha.test/", "other=1", TRUE);
  filter.url = "http://www.alpha.test/";
  found = bh_cookie_jar_get_cookies (jar, &filter);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((BhCookie *) found->pdata[0])->name, ==, "api");

  filter.url = NULL;
  filter.name = "other";
  g_assert_cmpuint (bh_cookie_jar_delete (jar, &filter), ==, 1);
  g_assert_cmpuint (bh_cookie_jar_delete (jar, NULL), ==, 1);
  assert_header (jar, "http://alpha.test/", NULL);
}

static void
test_cookie_limits (void)
{
  g_autoptr (BhCookieJar) jar = bh_cookie_jar_new (NULL);
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *header = NULL;

  for (guint i = 0; i < BH_COOKIE_JAR_MAX_PER_DOMAIN + 20; i++)
    {
      g_autofree char *line = g_strdup_printf ("c%u=%u; Path=/", i, i);

      set_cookie (jar, i % 2 ? "http://a.alpha.test/" : "http://b.alpha.test/", line, TRUE);
    }
  all = bh_cookie_jar_get_cookies (jar, NULL);
  g_assert_cmpuint (all->len, ==, BH_COOKIE_JAR_MAX_PER_DOMAIN);
  /* The oldest went first. */
  header = cookie_header (jar, "http://b.alpha.test/");
  g_assert_null (strstr (header, "c0="));
}

static void
test_profile_persists (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *db_path = g_build_filename (dir, "p", BH_PROFILE_DATABASE_NAME, NULL);
  g_autofree char *profile_dir = g_build_filename (dir, "p", NULL);
  g_autoptr (GError) error = NULL;
  struct stat st;

  {
    g_autoptr (BhProfile) profile = bh_profile_open (profile_dir, &error);
    BhHistory *history;

    g_assert_no_error (error);
    g_assert_cmpint (stat (profile_dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
    set_cookie (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "keep=1; Max-Age=3600", TRUE);
    set_cookie (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "session=1", TRUE);
    history = bh_profile_get_history (profile);
    g_assert_cmpint (bh_history_add_visit (history, "http://alpha.test/", "Alpha",
                                           BH_PAGE_TRANSITION_TYPED, 1000), >, 0);
    g_assert_cmpint (bh_history_add_visit (history, "about:blank", NULL, BH_PAGE_TRANSITION_TYPED, 1001),
                     ==, 0);
    g_assert_true (bh_history_add_bookmark (history, "http://beta.test/", "Beta"));

    /* A second browser on the same profile is refused, naming the pid. */
    {
      g_autoptr (GError) busy = NULL;
      g_autoptr (BhProfile) second = bh_profile_open (profile_dir, &busy);
      g_autofree char *pid = g_strdup_printf ("pid %d", (int) getpid ());

      g_assert_null (second);
      g_assert_error (busy, BH_PROFILE_ERROR, BH_PROFILE_ERROR_IN_USE);
      g_assert_nonnull (strstr (busy->message, pid));
    }
  }

  /* Reopened: the persistent cookie, the visit and the bookmark are there;
   * the session cookie died with the first "browser". */
  {
    g_autoptr (BhProfile) profile = bh_profile_open (profile_dir, &error);
    g_autoptr (GPtrArray) visits = NULL;

    g_assert_no_error (error);
    assert_header (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "keep=1");
    visits = bh_history_query_visits (bh_profile_get_history (profile), NULL, 10);
    g_assert_cmpuint (visits->len, ==, 1);
    g_assert_cmpstr (((BhHistoryVisit *) visits->pdata[0])->title, ==, "Alpha");
    g_assert_true (bh_history_is_bookmarked (bh_profile_get_history (profile), "http://beta.test/"));
  }

  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* A database of schema 1 (cookies only), as the first profile-enabled build
 * wrote it, is migrated to the current version and keeps its cookies; one
 * newer than this build is refused. */
static void
test_profile_migrates (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *db_path = g_build_filename (dir, BH_PROFILE_DATABASE_NAME, NULL);
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
                                 "CREATE TABLE cookies (host_key TEXT NOT NULL, host_only INTEGER NOT NULL,"
                                 " name TEXT NOT NULL, value TEXT NOT NULL, path TEXT NOT NULL,"
                                 " creation_utc INTEGER NOT NULL, expires_utc INTEGER NOT NULL,"
                                 " last_access_utc INTEGER NOT NULL, secure INTEGER NOT NULL,"
                                 " http_only INTEGER NOT NULL, same_site INTEGER NOT NULL,"
                                 " PRIMARY KEY (host_key, host_only, name, path));"
                                 "INSERT INTO cookies VALUES ('alpha.test', 1, 'old', 'v', '/', 1, 99999999999999999, 1, 0, 0, 0);"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr (BhProfile) profile = bh_profile_open (dir, &error);

    g_assert_no_error (error);
    assert_header (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "old=v");
    g_assert_cmpint (bh_history_add_visit (bh_profile_get_history (profile), "http://alpha.test/", NULL,
                                           BH_PAGE_TRANSITION_LINK, 5), >, 0);
  }

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  {
    g_autoptr (BhProfile) profile = bh_profile_open (dir, &error);

    g_assert_null (profile);
    g_assert_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_TOO_NEW);
  }
  remove_tree (dir);
}

static void
test_profile_in_memory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhProfile) profile = bh_profile_open (NULL, &error);

  g_assert_no_error (error);
  g_assert_true (bh_profile_is_off_the_record (profile));
  g_assert_null (bh_profile_get_path (profile));
  set_cookie (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "k=1; Max-Age=60", TRUE);
  assert_header (bh_profile_get_cookie_jar (profile), "http://alpha.test/", "k=1");
}

static void
test_history_suggest (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhProfile) profile = bh_profile_open (NULL, &error);
  BhHistory *history = bh_profile_get_history (profile);
  g_autoptr (GPtrArray) suggestions = NULL;
  g_autoptr (GPtrArray) visits = NULL;
  gint64 now = g_get_real_time ();
  gint64 week = G_GINT64_CONSTANT (7) * 86400 * G_USEC_PER_SEC;

  /* Visited often but long ago, typed once recently, a bookmark. */
  for (int i = 0; i < 5; i++)
    bh_history_add_visit (history, "http://alpha.test/often", "Often", BH_PAGE_TRANSITION_LINK,
                          now - 8 * week);
  bh_history_add_visit (history, "http://alpha.test/typed", "Typed", BH_PAGE_TRANSITION_TYPED, now);
  bh_history_add_visit (history, "http://www.alphabet.test/", "Letters", BH_PAGE_TRANSITION_LINK, now);
  bh_history_add_bookmark (history, "http://alpha.test/saved", "Saved page");
  bh_history_add_visit (history, "http://beta.test/", "Alpha's neighbour", BH_PAGE_TRANSITION_LINK, now);

  suggestions = bh_history_suggest (history, "alpha", 10);
  g_assert_cmpuint (suggestions->len, ==, 5);
  g_assert_cmpstr (((BhHistorySuggestion *) suggestions->pdata[0])->url, ==, "http://alpha.test/saved");
  g_assert_cmpstr (((BhHistorySuggestion *) suggestions->pdata[1])->url, ==, "http://alpha.test/typed");
  g_assert_cmpstr (((BhHistorySuggestion *) suggestions->pdata[2])->url, ==, "http://www.alphabet.test/");
  /* A title match ranks below address prefix matches; two months old, five
   * visits weigh less than one today. */
  g_assert_cmpstr (((BhHistorySuggestion *) suggestions->pdata[3])->url, ==, "http://beta.test/");
  g_assert_cmpstr (((BhHistorySuggestion *) suggestions->pdata[4])->url, ==, "http://alpha.test/often");
  g_assert_cmpstr (bh_history_strip_url ("http://www.alphabet.test/"), ==, "alphabet.test/");

  /* Search and delete. */
  visits = bh_history_query_visits (history, "letters", 10);
  g_assert_cmpuint (visits->len, ==, 1);
  g_assert_true (bh_history_delete_visit (history, ((BhHistoryVisit *) visits->pdata[0])->id));
  g_clear_pointer (&suggestions, g_ptr_array_unref);
  suggestions = bh_history_suggest (history, "alphabet", 10);
  g_assert_cmpuint (suggestions->len, ==, 0);
  /* LIKE's wildcards are the user's text, not patterns. */
  g_clear_pointer (&suggestions, g_ptr_array_unref);
  suggestions = bh_history_suggest (history, "%", 10);
  g_assert_cmpuint (suggestions->len, ==, 0);
}

static void
test_http_cache_freshness (void)
{
  gint64 now = G_GINT64_CONSTANT (1445412480) * G_USEC_PER_SEC; /* Wed, 21 Oct 2015 07:28:00 GMT */
  gboolean no_store = FALSE;
  BhHttpCacheHeaders h = { 0 };

  h.cache_control = "public, max-age=60";
  h.age = "10";
  g_assert_cmpint (bh_http_cache_freshness_us (&h, now, &no_store), ==, 50 * G_USEC_PER_SEC);
  g_assert_false (no_store);
  h = (BhHttpCacheHeaders) { .cache_control = "no-cache, max-age=60" };
  g_assert_cmpint (bh_http_cache_freshness_us (&h, now, &no_store), ==, 0);
  h = (BhHttpCacheHeaders) { .cache_control = "No-Store" };
  bh_http_cache_freshness_us (&h, now, &no_store);
  g_assert_true (no_store);
  /* Expires minus Date; an invalid Expires is already expired. */
  h = (BhHttpCacheHeaders) { .date = "Wed, 21 Oct 2015 07:28:00 GMT", .expires = "Wed, 21 Oct 2015 08:28:00 GMT" };
  g_assert_cmpint (bh_http_cache_freshness_us (&h, now, &no_store), ==, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  h.expires = "0";
  g_assert_cmpint (bh_http_cache_freshness_us (&h, now, &no_store), ==, 0);
  /* The heuristic: a tenth of the time since Last-Modified. */
  h = (BhHttpCacheHeaders) { .date = "Wed, 21 Oct 2015 07:28:00 GMT", .last_modified = "Wed, 21 Oct 2015 06:28:00 GMT" };
  g_assert_cmpint (bh_http_cache_freshness_us (&h, now, &no_store), ==, 360 * G_USEC_PER_SEC);
}

static void
test_http_cache_store_and_evict (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhProfile) profile = bh_profile_open (NULL, &error);
  BhHttpCache *cache = bh_profile_get_http_cache (profile);
  BhHttpCacheHeaders fresh = { .cache_control = "max-age=60" };
  BhHttpCacheHeaders no_store = { .cache_control = "no-store", .etag = "\"x\"" };
  BhHttpCacheHeaders nothing = { 0 };
  g_autoptr (GBytes) body = g_bytes_new_take (g_strnfill (1000, 'a'), 1000);
  g_autoptr (BhHttpCacheEntry) entry = NULL;
  gint64 now = g_get_real_time ();

  g_assert_true (bh_http_cache_store (cache, "http://a.test/1", 200, "text/html", "utf-8", body, &fresh, NULL, now));
  entry = bh_http_cache_lookup (cache, "http://a.test/1");
  g_assert_nonnull (entry);
  g_assert_cmpuint (g_bytes_get_size (entry->body), ==, 1000);
  g_assert_cmpint (entry->fresh_until_us, ==, now + 60 * G_USEC_PER_SEC);
  /* Not stored: no-store, a 404, nothing to be fresh for or revalidate by. */
  g_assert_false (bh_http_cache_store (cache, "http://a.test/2", 200, "text/html", NULL, body, &no_store, NULL, now));
  g_assert_false (bh_http_cache_store (cache, "http://a.test/3", 404, "text/html", NULL, body, &fresh, NULL, now));
  g_assert_false (bh_http_cache_store (cache, "http://a.test/4", 200, "text/html", NULL, body, &nothing, NULL, now));
  /* A no-store answer drops what was stored. */
  g_assert_false (bh_http_cache_store (cache, "http://a.test/1", 200, "text/html", NULL, body, &no_store, NULL, now));
  g_assert_null (bh_http_cache_lookup (cache, "http://a.test/1"));

  /* Bounded: past BH_HTTP_CACHE_MAX_BYTES the least recently used go. */
  {
    gsize big_len = BH_HTTP_CACHE_MAX_ENTRY_BYTES;
    g_autoptr (GBytes) big = g_bytes_new_take (g_malloc0 (big_len), big_len);
    guint n = (guint) (BH_HTTP_CACHE_MAX_BYTES / big_len) + 2;

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *url = g_strdup_printf ("http://big.test/%u", i);

        g_assert_true (bh_http_cache_store (cache, url, 200, "application/octet-stream", NULL, big, &fresh, NULL,
                                            now + i));
      }
    g_assert_cmpuint (bh_http_cache_get_size (cache), <=, BH_HTTP_CACHE_MAX_BYTES);
    g_assert_null (bh_http_cache_lookup (cache, "http://big.test/0"));
    {
      g_autofree char *last = g_strdup_printf ("http://big.test/%u", n - 1);
      g_autoptr (BhHttpCacheEntry) kept = bh_http_cache_lookup (cache, last);

      g_assert_nonnull (kept);
    }
  }
}

/* localStorage areas per origin, written through to the profile (reopened: still
 * there), with the 5 MiB quota per origin. */
static void
test_web_storage (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (BhProfile) profile = bh_profile_open (dir, &error);
    BhWebStorage *storage;
    g_autofree char *big = g_strnfill (5 * 1024 * 1024 - 5 /* the quota, BH_MAX_STORAGE_BYTES_PER_ORIGIN */, 'x');

    g_assert_no_error (error);
    storage = bh_profile_get_web_storage (profile);
    g_assert_true (bh_web_storage_set_item (storage, "http://a.test:80", "k", "v1", NULL));
    g_assert_true (bh_web_storage_set_item (storage, "http://a.test:80", "k", "v2", NULL));
    g_assert_true (bh_web_storage_set_item (storage, "http://a.test:80", "gone", "x", NULL));
    bh_web_storage_remove_item (storage, "http://a.test:80", "gone");
    g_assert_true (bh_web_storage_set_item (storage, "http://b.test:80", "other", "1", NULL));
    /* Past the quota: refused, nothing changed; another origin has its own. */
    g_assert_false (bh_web_storage_set_item (storage, "http://a.test:80", "big", big, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    g_clear_error (&error);
    g_assert_cmpuint (bh_web_storage_get_bytes (storage, "http://a.test:80"), ==, 3);
    g_assert_true (bh_web_storage_set_item (storage, "http://c.test:80", "big", big, NULL));
    bh_web_storage_clear (storage, "http://c.test:80");
  }
  {
    g_autoptr (BhProfile) profile = bh_profile_open (dir, &error);
    g_autoptr (GVariant) a = NULL, b = NULL, c = NULL;
    g_autofree char *printed = NULL;

    g_assert_no_error (error);
    a = g_variant_ref_sink (bh_web_storage_load (bh_profile_get_web_storage (profile), "http://a.test:80"));
    b = g_variant_ref_sink (bh_web_storage_load (bh_profile_get_web_storage (profile), "http://b.test:80"));
    c = g_variant_ref_sink (bh_web_storage_load (bh_profile_get_web_storage (profile), "http://c.test:80"));
    printed = g_variant_print (a, FALSE);
    g_assert_cmpstr (printed, ==, "[('k', 'v2')]");
    g_assert_cmpuint (g_variant_n_children (b), ==, 1);
    g_assert_cmpuint (g_variant_n_children (c), ==, 0);
  }
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/cookie/parse", test_cookie_parse);
  g_test_add_func ("/profile/cookie/dates", test_cookie_dates);
  g_test_add_func ("/profile/cookie/expiry", test_cookie_expiry);
  g_test_add_func ("/profile/cookie/same-site-http-only", test_cookie_same_site_and_http_only);
  g_test_add_func ("/profile/cookie/api", test_cookie_api);
  g_test_add_func ("/profile/cookie/limits", test_cookie_limits);
  g_test_add_func ("/profile/persists", test_profile_persists);
  g_test_add_func ("/profile/migrates", test_profile_migrates);
  g_test_add_func ("/profile/in-memory", test_profile_in_memory);
  g_test_add_func ("/profile/history/suggest", test_history_suggest);
  g_test_add_func ("/profile/http-cache/freshness", test_http_cache_freshness);
  g_test_add_func ("/profile/http-cache/store-and-evict", test_http_cache_store_and_evict);
  g_test_add_func ("/profile/web-storage", test_web_storage);

  return g_test_run ();
}
