/* bh-cookie-jar.c: the cookie store (RFC 6265bis §5.7-5.8), in memory and
 * written through to the profile's `cookies` table.
 */
#include "bh-cookie-jar.h"

#include <string.h>

#include <gio/gio.h>

#include "bh-sql.h"

struct _BhCookieJar {
  sqlite3 *db;        /* (nullable) */
  GPtrArray *cookies; /* BhCookie, oldest first */
  gint64 (*now_us) (void);
};

static gint64
jar_now (BhCookieJar *jar)
{
  return jar->now_us != NULL ? jar->now_us () : g_get_real_time ();
}

static gboolean
cookie_is_persistent (const BhCookie *cookie)
{
  return cookie->expiry_us != 0;
}

static gboolean
cookie_is_expired (const BhCookie *cookie, gint64 now_us)
{
  return cookie->expiry_us != 0 && cookie->expiry_us <= now_us;
}

/* The table --------------------------------------------------------------- */

static void
db_delete (BhCookieJar *jar, const BhCookie *cookie)
{
  sqlite3_stmt *stmt;

  if (jar->db == NULL || !cookie_is_persistent (cookie))
    return;
  stmt = bh_sql_prepare (jar->db, "DELETE FROM cookies WHERE host_key = ? AND host_only = ? "
                                  "AND name = ? AND path = ?");
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, cookie->domain, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, cookie->host_only);
  sqlite3_bind_text (stmt, 3, cookie->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, cookie->path, -1, SQLITE_TRANSIENT);
  bh_sql_step_done (stmt);
}

static void
db_insert (BhCookieJar *jar, const BhCookie *cookie)
{
  sqlite3_stmt *stmt;

  if (jar->db == NULL || !cookie_is_persistent (cookie))
    return;
  stmt = bh_sql_prepare (jar->db,
                         "INSERT OR REPLACE INTO cookies (host_key, host_only, name, value, path, "
                         "creation_utc, expires_utc, last_access_utc, secure, http_only, same_site) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, cookie->domain, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, cookie->host_only);
  sqlite3_bind_text (stmt, 3, cookie->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, cookie->value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, cookie->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, cookie->creation_us);
  sqlite3_bind_int64 (stmt, 7, cookie->expiry_us);
  sqlite3_bind_int64 (stmt, 8, cookie->last_access_us);
  sqlite3_bind_int (stmt, 9, cookie->secure);
  sqlite3_bind_int (stmt, 10, cookie->http_only);
  sqlite3_bind_int (stmt, 11, (int) cookie->same_site);
  bh_sql_step_done (stmt);
}

static void
db_load (BhCookieJar *jar)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 now = jar_now (jar);
  g_autoptr (sqlite3_stmt) purge = NULL;

  purge = bh_sql_prepare (jar->db, "DELETE FROM cookies WHERE expires_utc <= ?");
  if (purge != NULL)
    {
      sqlite3_bind_int64 (purge, 1, now);
      bh_sql_step_done (g_steal_pointer (&purge));
    }

  stmt = bh_sql_prepare (jar->db, "SELECT host_key, host_only, name, value, path, creation_utc, "
                                  "expires_utc, last_access_utc, secure, http_only, same_site "
                                  "FROM cookies ORDER BY creation_utc");
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      BhCookie *cookie = g_new0 (BhCookie, 1);
      int same_site = sqlite3_column_int (stmt, 10);

      cookie->domain = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      cookie->host_only = sqlite3_column_int (stmt, 1) != 0;
      cookie->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      cookie->value = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      cookie->path = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      cookie->creation_us = sqlite3_column_int64 (stmt, 5);
      cookie->expiry_us = sqlite3_column_int64 (stmt, 6);
      cookie->last_access_us = sqlite3_column_int64 (stmt, 7);
      cookie->secure = sqlite3_column_int (stmt, 8) != 0;
      cookie->http_only = sqlite3_column_int (stmt, 9) != 0;
      cookie->same_site = same_site >= BH_COOKIE_SAME_SITE_DEFAULT && same_site <= BH_COOKIE_SAME_SITE_STRICT
                            ? (BhCookieSameSite) same_site : BH_COOKIE_SAME_SITE_DEFAULT;
      if (cookie->domain == NULL || cookie->name == NULL || cookie->value == NULL ||
          cookie->path == NULL)
        {
          bh_cookie_free (cookie);
          continue;
        }
      g_ptr_array_add (jar->cookies, cookie);
    }
}

/* The jar ----------------------------------------------------------------- */

BhCookieJar *
bh_cookie_jar_new (sqlite3 *db)
{
  BhCookieJar *jar = g_new0 (BhCookieJar, 1);

  jar->db = db;
  jar->cookies = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_cookie_free);
  if (db != NULL)
    db_load (jar);
  return jar;
}

void
bh_cookie_jar_free (BhCookieJar *jar)
{
  if (jar == NULL)
    return;
  g_ptr_array_unref (jar->cookies);
  g_free (jar);
}

void
bh_cookie_jar_set_clock (BhCookieJar *jar,
                         gint64     (*now_us) (void))
{
  g_return_if_fail (jar != NULL);
  jar->now_us = now_us;
}

/* Drops expired cookies (from memory and the table). */
static void
jar_purge_expired (BhCookieJar *jar, gint64 now)
{
  for (guint i = jar->cookies->len; i-- > 0;)
    {
      BhCookie *cookie = g_ptr_array_index (jar->cookies, i);

      if (cookie_is_expired (cookie, now))
        {
          db_delete (jar, cookie);
          g_ptr_array_remove_index (jar->cookies, i);
        }
    }
}

static gboolean
same_identity (const BhCookie *a, const BhCookie *b)
{
  return g_str_equal (a->name, b->name) && g_ascii_strcasecmp (a->domain, b->domain) == 0 &&
         a->host_only == b->host_only && g_str_equal (a->path, b->path);
}

/* The registrable domain a cookie counts against (eTLD+1), or its domain. */
static const char *
cookie_group (const BhCookie *cookie)
{
  return bh_cookie_registrable_domain (cookie->domain);
}

/* Least recently used of those @group_of says belong (all when NULL). */
static void
evict_one (BhCookieJar *jar, const char *group)
{
  guint victim = G_MAXUINT;
  gint64 oldest = G_MAXINT64;

  for (guint i = 0; i < jar->cookies->len; i++)
    {
      BhCookie *cookie = g_ptr_array_index (jar->cookies, i);

      if (group != NULL && g_strcmp0 (cookie_group (cookie), group) != 0)
        continue;
      if (cookie->last_access_us < oldest)
        {
          oldest = cookie->last_access_us;
          victim = i;
        }
    }
  if (victim != G_MAXUINT)
    {
      db_delete (jar, g_ptr_array_index (jar->cookies, victim));
      g_ptr_array_remove_index (jar->cookies, victim);
    }
}

/* Takes @cookie: replaces its namesake, or deletes it when expired, then
 * holds the limits. */
static void
jar_store (BhCookieJar *jar, BhCookie *cookie, gint64 now)
{
  g_autofree char *group = NULL;
  guint in_group = 0;

  for (guint i = 0; i < jar->cookies->len; i++)
    {
      BhCookie *old = g_ptr_array_index (jar->cookies, i);

      if (!same_identity (old, cookie))
        continue;
      cookie->creation_us = old->creation_us;
      db_delete (jar, old);
      g_ptr_array_remove_index (jar->cookies, i);
      break;
    }

  if (cookie_is_expired (cookie, now))
    {
      bh_cookie_free (cookie);
      return;
    }

  db_insert (jar, cookie);
  g_ptr_array_add (jar->cookies, cookie);

  group = g_strdup (cookie_group (cookie));
  for (guint i = 0; i < jar->cookies->len; i++)
    if (g_strcmp0 (cookie_group (g_ptr_array_index (jar->cookies, i)), group) == 0)
      in_group++;
  if (in_group > BH_COOKIE_JAR_MAX_PER_DOMAIN)
    evict_one (jar, group);
  if (jar->cookies->len > BH_COOKIE_JAR_MAX_COOKIES)
    evict_one (jar, NULL);
}

/* Splits @url into what matching needs. */
static gboolean
url_parts (const char *url, char **scheme, char **host, char **path)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  const char *p;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  p = g_uri_get_path (uri);
  *path = g_strdup (p != NULL && *p == '/' ? p : "/");
  return TRUE;
}

static gboolean
same_site_allows (BhCookieSameSite same_site, const BhCookieRequest *request)
{
  if (request->same_site || same_site == BH_COOKIE_SAME_SITE_NONE)
    return TRUE;
  if (same_site == BH_COOKIE_SAME_SITE_STRICT)
    return FALSE;
  /* Lax, and no attribute: cross-site top-level navigations (GET). */
  return request->top_level_navigation;
}

gboolean
bh_cookie_jar_set_from_header (BhCookieJar           *jar,
                               const BhCookieRequest *request,
                               const char            *set_cookie,
                               char                 **out_reason)
{
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL;
  g_autoptr (BhCookie) cookie = NULL;
  gint64 now;
  gboolean secure_url;

  g_return_val_if_fail (jar != NULL && request != NULL && request->url != NULL, FALSE);
  g_return_val_if_fail (set_cookie != NULL, FALSE);

  now = jar_now (jar);
  cookie = bh_cookie_parse (set_cookie, request->url, now, request->source, out_reason);
  if (cookie == NULL)
    return FALSE;
  if (!url_parts (request->url, &scheme, &host, &path))
    return FALSE;
  secure_url = bh_cookie_url_is_secure (scheme, host);

  /* §5.7 step 15: a cross-site request sets SameSite cookies only when it
   * navigates a tab. */
  if (cookie->same_site != BH_COOKIE_SAME_SITE_NONE && !request->same_site &&
      !request->top_level_navigation)
    {
      if (out_reason != NULL)
        *out_reason = g_strdup ("a SameSite cookie from a cross-site request");
      return FALSE;
    }

  for (guint i = 0; i < jar->cookies->len; i++)
    {
      BhCookie *old = g_ptr_array_index (jar->cookies, i);

      if (!g_str_equal (old->name, cookie->name))
        continue;
      /* Step 16, "Leave Secure Cookies Alone": an insecure page may not
       * shadow a Secure cookie of its domain. */
      if (!cookie->secure && !secure_url && old->secure &&
          (bh_cookie_domain_matches (old->domain, cookie->domain) ||
           bh_cookie_domain_matches (cookie->domain, old->domain)) &&
          bh_cookie_path_matches (cookie->path, old->path))
        {
          if (out_reason != NULL)
            *out_reason = g_strdup ("it would shadow a Secure cookie from an insecure page");
          return FALSE;
        }
      /* Step 22: a script does not replace an HttpOnly cookie. */
      if (same_identity (old, cookie) && old->http_only && request->source != BH_COOKIE_SOURCE_HTTP)
        {
          if (out_reason != NULL)
            *out_reason = g_strdup ("a script may not replace an HttpOnly cookie");
          return FALSE;
        }
    }

  jar_store (jar, g_steal_pointer (&cookie), now);
  return TRUE;
}

/* §5.8.3 step 2: longer paths first, then earlier creation. */
static gint
compare_for_header (gconstpointer a, gconstpointer b)
{
  const BhCookie *x = *(const BhCookie *const *) a;
  const BhCookie *y = *(const BhCookie *const *) b;
  gsize lx = strlen (x->path), ly = strlen (y->path);

  if (lx != ly)
    return lx > ly ? -1 : 1;
  return x->creation_us < y->creation_us ? -1 : x->creation_us > y->creation_us;
}

static gboolean
cookie_matches_url (const BhCookie *cookie, const char *scheme, const char *host, const char *path)
{
  if (cookie->host_only ? g_ascii_strcasecmp (host, cookie->domain) != 0
                        : !bh_cookie_domain_matches (host, cookie->domain))
    return FALSE;
  if (!bh_cookie_path_matches (path, cookie->path))
    return FALSE;
  return !cookie->secure || bh_cookie_url_is_secure (scheme, host);
}

char *
bh_cookie_jar_get_header (BhCookieJar           *jar,
                          const BhCookieRequest *request)
{
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL;
  g_autoptr (GPtrArray) chosen = g_ptr_array_new ();
  GString *header;
  gint64 now;

  g_return_val_if_fail (jar != NULL && request != NULL && request->url != NULL, NULL);

  if (!url_parts (request->url, &scheme, &host, &path))
    return NULL;
  now = jar_now (jar);
  jar_purge_expired (jar, now);

  for (guint i = 0; i < jar->cookies->len; i++)
    {
      BhCookie *cookie = g_ptr_array_index (jar->cookies, i);

      if (!cookie_matches_url (cookie, scheme, host, path))
        continue;
      if (cookie->http_only && request->source != BH_COOKIE_SOURCE_HTTP)
        continue;
      if (!same_site_allows (cookie->same_site, request))
        continue;
      g_ptr_array_add (chosen, cookie);
    }
  if (chosen->len == 0)
    return NULL;

  g_ptr_array_sort (chosen, compare_for_header);
  header = g_string_new (NULL);
  for (guint i = 0; i < chosen->len; i++)
    {
      BhCookie *cookie = g_ptr_array_index (chosen, i);

      cookie->last_access_us = now;
      if (i > 0)
        g_string_append (header, "; ");
      /* §5.8.3 step 4: a cookie without a name is its value alone. */
      if (*cookie->name != '\0')
        g_string_append_printf (header, "%s=", cookie->name);
      g_string_append (header, cookie->value);
    }
  return g_string_free (header, FALSE);
}

static gboolean
filter_matches (const BhCookieFilter *filter, const BhCookie *cookie)
{
  if (filter == NULL)
    return TRUE;
  if (filter->url != NULL)
    {
      g_autofree char *scheme = NULL, *host = NULL, *path = NULL;

      if (!url_parts (filter->url, &scheme, &host, &path) ||
          !cookie_matches_url (cookie, scheme, host, path))
        return FALSE;
    }
  return (filter->name == NULL || g_str_equal (filter->name, cookie->name)) &&
         (filter->value == NULL || g_str_equal (filter->value, cookie->value)) &&
         (filter->domain == NULL || g_ascii_strcasecmp (filter->domain, cookie->domain) == 0) &&
         (filter->path == NULL || g_str_equal (filter->path, cookie->path)) &&
         (filter->http_only < 0 || !!filter->http_only == !!cookie->http_only) &&
         (filter->secure < 0 || !!filter->secure == !!cookie->secure);
}

GPtrArray *
bh_cookie_jar_get_cookies (BhCookieJar          *jar,
                           const BhCookieFilter *filter)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_cookie_free);

  g_return_val_if_fail (jar != NULL, out);

  jar_purge_expired (jar, jar_now (jar));
  for (guint i = 0; i < jar->cookies->len; i++)
    if (filter_matches (filter, g_ptr_array_index (jar->cookies, i)))
      g_ptr_array_add (out, bh_cookie_copy (g_ptr_array_index (jar->cookies, i)));
  return out;
}

static gboolean
text_is_cookie_safe (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f || *p == ';')
      return FALSE;
  return TRUE;
}

gboolean
bh_cookie_jar_set_cookie (BhCookieJar    *jar,
                          const BhCookie *cookie,
                          GError        **error)
{
  g_autofree char *domain = NULL;
  BhCookie *copy;
  gint64 now;

  g_return_val_if_fail (jar != NULL && cookie != NULL, FALSE);

  if (cookie->name == NULL || cookie->value == NULL || !text_is_cookie_safe (cookie->name) ||
      !text_is_cookie_safe (cookie->value) || strchr (cookie->name, '=') != NULL ||
      strlen (cookie->name) + strlen (cookie->value) > BH_COOKIE_MAX_NAME_VALUE_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a cookie's name and value may hold no control character, “;” (nor “=” in "
                   "the name), and %d bytes at most together", BH_COOKIE_MAX_NAME_VALUE_BYTES);
      return FALSE;
    }
  if (cookie->domain == NULL || *cookie->domain == '\0' || cookie->path == NULL ||
      cookie->path[0] != '/' || !text_is_cookie_safe (cookie->domain) ||
      !text_is_cookie_safe (cookie->path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a cookie needs a domain and a path starting with “/”");
      return FALSE;
    }
  domain = g_ascii_strdown (cookie->domain[0] == '.' ? cookie->domain + 1 : cookie->domain, -1);
  if (*domain == '\0' || (!cookie->host_only && bh_cookie_is_public_suffix (domain)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is a public suffix: no cookie may be set for all of it", cookie->domain);
      return FALSE;
    }
  if (cookie->same_site == BH_COOKIE_SAME_SITE_NONE && !cookie->secure)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a SameSite=None cookie must be Secure");
      return FALSE;
    }

  now = jar_now (jar);
  copy = bh_cookie_copy (cookie);
  g_free (copy->domain);
  copy->domain = g_steal_pointer (&domain);
  if (copy->creation_us == 0)
    copy->creation_us = now;
  if (copy->last_access_us == 0)
    copy->last_access_us = now;
  jar_store (jar, copy, now);
  return TRUE;
}

guint
bh_cookie_jar_delete (BhCookieJar          *jar,
                      const BhCookieFilter *filter)
{
  guint deleted = 0;

  g_return_val_if_fail (jar != NULL, 0);

  for (guint i = jar->cookies->len; i-- > 0;)
    {
      BhCookie *cookie = g_ptr_array_index (jar->cookies, i);

      if (!filter_matches (filter, cookie))
        continue;
      db_delete (jar, cookie);
      g_ptr_array_remove_index (jar->cookies, i);
      deleted++;
    }
  return deleted;
}
