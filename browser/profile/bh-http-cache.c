/* bh-http-cache.c: RFC 9111 freshness and the `http_cache` table. */
#include "bh-http-cache.h"

#include <string.h>

#include "bh-cookie.h"
#include "bh-sql.h"

/* The heuristic freshness (§4.2.2) is capped, as Chromium caps it. */
#define MAX_HEURISTIC_US ((gint64) 24 * 3600 * G_USEC_PER_SEC)

struct _BhHttpCache {
  sqlite3 *db;
  gsize max_bytes;
};

void
bh_http_cache_entry_free (BhHttpCacheEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->url);
  g_free (entry->content_type);
  g_free (entry->charset);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->etag);
  g_free (entry->last_modified);
  g_free (entry->vary);
  g_free (entry->vary_key);
  g_free (entry);
}

BhHttpCache *
bh_http_cache_new (sqlite3 *db,
                   gsize    max_bytes)
{
  BhHttpCache *cache = g_new0 (BhHttpCache, 1);

  cache->db = db;
  cache->max_bytes = max_bytes;
  return cache;
}

void
bh_http_cache_free (BhHttpCache *cache)
{
  g_free (cache);
}

/* The value of @directive in a Cache-Control list ("max-age=60" -> "60"),
 * "" for one without a value, NULL when absent. Case-insensitive names,
 * quotes removed (§5.2). */
static char *
directive (const char *cache_control, const char *name)
{
  g_auto (GStrv) parts = NULL;

  if (cache_control == NULL)
    return NULL;
  parts = g_strsplit (cache_control, ",", 64);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *eq = strchr (part, '=');
      gsize len = eq != NULL ? (gsize) (eq - part) : strlen (part);
      char *value;

      while (len > 0 && (part[len - 1] == ' ' || part[len - 1] == '\t'))
        len--;
      if (len != strlen (name) || g_ascii_strncasecmp (part, name, len) != 0)
        continue;
      if (eq == NULL)
        return g_strdup ("");
      value = g_strstrip (eq + 1);
      if (value[0] == '"' && strlen (value) >= 2 && value[strlen (value) - 1] == '"')
        return g_strndup (value + 1, strlen (value) - 2);
      return g_strdup (value);
    }
  return NULL;
}

static gboolean
parse_seconds (const char *text, gint64 *out)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

gint64
bh_http_cache_freshness_us (const BhHttpCacheHeaders *headers,
                            gint64                    now_us,
                            gboolean                 *out_no_store)
{
  g_autofree char *no_store = directive (headers->cache_control, "no-store");
  g_autofree char *no_cache = directive (headers->cache_control, "no-cache");
  g_autofree char *max_age = directive (headers->cache_control, "max-age");
  gint64 seconds, age = 0, date_us = 0, expires_us = 0, modified_us = 0;

  *out_no_store = no_store != NULL;
  if (no_store != NULL || no_cache != NULL ||
      (headers->pragma != NULL && g_ascii_strcasecmp (headers->pragma, "no-cache") == 0))
    return 0;
  parse_seconds (headers->age, &age);
  if (parse_seconds (max_age, &seconds))
    return MAX (0, seconds - age) * G_USEC_PER_SEC;
  if (headers->date == NULL || !bh_cookie_parse_date (headers->date, &date_us))
    date_us = now_us;
  if (headers->expires != NULL)
    {
      /* An invalid Expires, "0" included, means already expired (§5.3). */
      if (!bh_cookie_parse_date (headers->expires, &expires_us))
        return 0;
      return MAX (0, expires_us - date_us - age * G_USEC_PER_SEC);
    }
  if (headers->last_modified != NULL && bh_cookie_parse_date (headers->last_modified, &modified_us) &&
      modified_us < date_us)
    return MIN ((date_us - modified_us) / 10, MAX_HEURISTIC_US);
  return 0;
}

char **
bh_http_cache_vary_names (const char *vary)
{
  g_auto (GStrv) items = g_strsplit (vary != NULL ? vary : "", ",", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  for (char **i = items; *i != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (*i), -1);

      if (*name != '\0')
        g_strv_builder_add (builder, name);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

BhHttpCacheEntry *
bh_http_cache_lookup (BhHttpCache *cache,
                      const char  *url)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  BhHttpCacheEntry *entry;
  sqlite3_stmt *touch;

  g_return_val_if_fail (cache != NULL && url != NULL, NULL);

  stmt = bh_sql_prepare (cache->db, "SELECT status, content_type, charset, body, etag, last_modified, "
                                    "fresh_until, vary, vary_key FROM http_cache WHERE url = ?");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  entry = g_new0 (BhHttpCacheEntry, 1);
  entry->url = g_strdup (url);
  entry->status = (guint) sqlite3_column_int (stmt, 0);
  entry->content_type = g_strdup (column_text (stmt, 1));
  entry->charset = g_strdup (column_text (stmt, 2));
  entry->body = g_bytes_new (sqlite3_column_blob (stmt, 3), (gsize) sqlite3_column_bytes (stmt, 3));
  entry->etag = g_strdup (column_text (stmt, 4));
  entry->last_modified = g_strdup (column_text (stmt, 5));
  entry->fresh_until_us = sqlite3_column_int64 (stmt, 6);
  entry->vary = g_strdup (column_text (stmt, 7));
  entry->vary_key = g_strdup (column_text (stmt, 8));
  if (entry->content_type == NULL)
    entry->content_type = g_strdup ("application/octet-stream");

  touch = bh_sql_prepare (cache->db, "UPDATE http_cache SET last_used = ? WHERE url = ?");
  if (touch != NULL)
    {
      sqlite3_bind_int64 (touch, 1, g_get_real_time ());
      sqlite3_bind_text (touch, 2, url, -1, SQLITE_TRANSIENT);
    }
  bh_sql_step_done (touch);
  return entry;
}

static void
remove_url (BhHttpCache *cache, const char *url)
{
  sqlite3_stmt *stmt = bh_sql_prepare (cache->db, "DELETE FROM http_cache WHERE url = ?");

  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  bh_sql_step_done (stmt);
}

gsize
bh_http_cache_get_size (BhHttpCache *cache)
{
  g_autoptr (sqlite3_stmt) stmt = bh_sql_prepare (cache->db, "SELECT COALESCE (SUM (size), 0) FROM http_cache");

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (gsize) sqlite3_column_int64 (stmt, 0);
}

/* Least recently used first, until the bodies fit. */
static void
evict (BhHttpCache *cache)
{
  while (bh_http_cache_get_size (cache) > cache->max_bytes)
    if (!bh_sql_exec (cache->db,
                      "DELETE FROM http_cache WHERE url = (SELECT url FROM http_cache ORDER BY last_used LIMIT 1)",
                      NULL) ||
        sqlite3_changes (cache->db) == 0)
      break;
}

gboolean
bh_http_cache_store (BhHttpCache              *cache,
                     const char               *url,
                     guint                     status,
                     const char               *content_type,
                     const char               *charset,
                     GBytes                   *body,
                     const BhHttpCacheHeaders *headers,
                     const char               *vary_key,
                     gint64                    now_us)
{
  g_auto (GStrv) vary = bh_http_cache_vary_names (headers != NULL ? headers->vary : NULL);
  g_autofree char *vary_names = NULL;
  gboolean no_store = FALSE;
  gint64 lifetime;
  sqlite3_stmt *stmt;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (cache != NULL && url != NULL && body != NULL && headers != NULL, FALSE);

  lifetime = bh_http_cache_freshness_us (headers, now_us, &no_store);
  data = g_bytes_get_data (body, &size);
  if (status != 200 || no_store || size > BH_HTTP_CACHE_MAX_ENTRY_BYTES || size > cache->max_bytes ||
      (lifetime == 0 && headers->etag == NULL && headers->last_modified == NULL) ||
      g_strv_contains ((const char *const *) vary, "*"))
    {
      remove_url (cache, url);
      return FALSE;
    }

  stmt = bh_sql_prepare (cache->db,
                         "INSERT OR REPLACE INTO http_cache (url, status, content_type, charset, body, size, "
                         "etag, last_modified, fresh_until, stored, last_used, vary, vary_key) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) status);
  sqlite3_bind_text (stmt, 3, content_type, -1, SQLITE_TRANSIENT);
  if (charset != NULL)
    sqlite3_bind_text (stmt, 4, charset, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_blob64 (stmt, 5, size > 0 ? data : "", size, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) size);
  if (headers->etag != NULL)
    sqlite3_bind_text (stmt, 7, headers->etag, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 7);
  if (headers->last_modified != NULL)
    sqlite3_bind_text (stmt, 8, headers->last_modified, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 8);
  sqlite3_bind_int64 (stmt, 9, lifetime > 0 ? now_us + lifetime : 0);
  sqlite3_bind_int64 (stmt, 10, now_us);
  sqlite3_bind_int64 (stmt, 11, now_us);
  if (vary[0] != NULL)
    {
      vary_names = g_strjoinv (", ", vary);
      sqlite3_bind_text (stmt, 12, vary_names, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 13, vary_key != NULL ? vary_key : "", -1, SQLITE_TRANSIENT);
    }
  else
    {
      sqlite3_bind_null (stmt, 12);
      sqlite3_bind_null (stmt, 13);
    }
  if (!bh_sql_step_done (stmt))
    return FALSE;
  evict (cache);
  return TRUE;
}

void
bh_http_cache_freshen (BhHttpCache              *cache,
                       const char               *url,
                       const BhHttpCacheHeaders *headers,
                       gint64                    now_us)
{
  gboolean no_store = FALSE;
  gint64 lifetime = bh_http_cache_freshness_us (headers, now_us, &no_store);
  sqlite3_stmt *stmt;

  g_return_if_fail (cache != NULL && url != NULL && headers != NULL);

  if (no_store)
    {
      remove_url (cache, url);
      return;
    }
  stmt = bh_sql_prepare (cache->db,
                         "UPDATE http_cache SET fresh_until = ?, last_used = ?, "
                         "etag = COALESCE (?, etag), last_modified = COALESCE (?, last_modified) WHERE url = ?");
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, lifetime > 0 ? now_us + lifetime : 0);
  sqlite3_bind_int64 (stmt, 2, now_us);
  if (headers->etag != NULL)
    sqlite3_bind_text (stmt, 3, headers->etag, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  if (headers->last_modified != NULL)
    sqlite3_bind_text (stmt, 4, headers->last_modified, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, url, -1, SQLITE_TRANSIENT);
  bh_sql_step_done (stmt);
}
