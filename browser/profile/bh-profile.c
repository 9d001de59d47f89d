/* bh-profile.c: the profile directory, its lock, and the database with its
 * migrations.
 *
 * One SQLite file holds every table (Chromium keeps History, Cookies... in
 * files of their own; one file here means one connection, one WAL and one
 * schema version). PRAGMA user_version is the schema version; MIGRATIONS[i]
 * takes a database from version i to i + 1, in a transaction of its own, so
 * a browser killed mid-migration leaves the old version whole.
 */
#include "bh-profile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bh-cookie-jar.h"
#include "bh-history.h"
#include "bh-http-cache.h"
#include "bh-web-storage.h"
#include "bh-sql.h"

static const char *const MIGRATIONS[] = {
  /* 0 -> 1: cookies (RFC 6265bis's storage model; Chromium's columns). */
  "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
  "CREATE TABLE cookies ("
  "  host_key TEXT NOT NULL, host_only INTEGER NOT NULL, name TEXT NOT NULL,"
  "  value TEXT NOT NULL, path TEXT NOT NULL, creation_utc INTEGER NOT NULL,"
  "  expires_utc INTEGER NOT NULL, last_access_utc INTEGER NOT NULL,"
  "  secure INTEGER NOT NULL, http_only INTEGER NOT NULL, same_site INTEGER NOT NULL,"
  "  PRIMARY KEY (host_key, host_only, name, path));",
  /* 1 -> 2: history and bookmarks (Chromium's urls and visits tables). */
  "CREATE TABLE urls ("
  "  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '',"
  "  visit_count INTEGER NOT NULL DEFAULT 0, typed_count INTEGER NOT NULL DEFAULT 0,"
  "  last_visit_time INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE visits ("
  "  id INTEGER PRIMARY KEY, url_id INTEGER NOT NULL REFERENCES urls (id) ON DELETE CASCADE,"
  "  visit_time INTEGER NOT NULL, transition INTEGER NOT NULL);"
  "CREATE INDEX visits_by_time ON visits (visit_time);"
  "CREATE INDEX visits_by_url ON visits (url_id);"
  "CREATE TABLE bookmarks ("
  "  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
  "  added_time INTEGER NOT NULL);",
  /* 2 -> 3: the HTTP cache (bh-http-cache.c). */
  "CREATE TABLE http_cache ("
  "  url TEXT PRIMARY KEY NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,"
  "  charset TEXT, body BLOB NOT NULL, size INTEGER NOT NULL, etag TEXT, last_modified TEXT,"
  "  fresh_until INTEGER NOT NULL, stored INTEGER NOT NULL, last_used INTEGER NOT NULL);"
  "CREATE INDEX http_cache_by_use ON http_cache (last_used);",
  /* 3 -> 4: localStorage (bh-web-storage.c), one row per origin and key. */
  "CREATE TABLE web_storage ("
  "  origin TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
  "  PRIMARY KEY (origin, key));",
  /* 4 -> 5: Vary (RFC 9111 §4.1): the field names a response varies on,
   * and the request's values of them it was stored for. */
  "ALTER TABLE http_cache ADD COLUMN vary TEXT;"
  "ALTER TABLE http_cache ADD COLUMN vary_key TEXT;",
  /* 5 -> 6: favicons, decoded (by the renderer) and checked, per page (Chromium's
   * Favicons database keeps icon_mapping, favicons and favicon_bitmaps; one row here). */
  "CREATE TABLE favicons ("
  "  page_url TEXT PRIMARY KEY NOT NULL, icon_url TEXT NOT NULL, width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL, pixels BLOB NOT NULL, updated INTEGER NOT NULL);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (MIGRATIONS) == BH_PROFILE_SCHEMA_VERSION);

struct _BhProfile {
  GObject parent_instance;

  char *path;          /* NULL in memory */
  int lock_fd;         /* -1 in memory */
  sqlite3 *db;
  BhCookieJar *cookie_jar;
  BhHistory *history;
  BhHttpCache *http_cache;
  BhWebStorage *web_storage;
};

G_DEFINE_FINAL_TYPE (BhProfile, bh_profile, G_TYPE_OBJECT)

static void
bh_profile_finalize (GObject *object)
{
  BhProfile *self = BH_PROFILE (object);

  g_clear_pointer (&self->cookie_jar, bh_cookie_jar_free);
  g_clear_pointer (&self->history, bh_history_free);
  g_clear_pointer (&self->http_cache, bh_http_cache_free);
  g_clear_pointer (&self->web_storage, bh_web_storage_free);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  G_OBJECT_CLASS (bh_profile_parent_class)->finalize (object);
}

static void
bh_profile_class_init (BhProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bh_profile_finalize;
}

static void
bh_profile_init (BhProfile *self)
{
  self->lock_fd = -1;
}

char *
bh_profile_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "bulkhead", NULL);
}

/* flock(2), not fcntl locks: it belongs to the open file, which is
 * close-on-exec, so no child inherits it, and the kernel drops it when the
 * browser dies however it dies. */
static gboolean
take_lock (BhProfile *self, GError **error)
{
  g_autofree char *lock_path = g_build_filename (self->path, BH_PROFILE_LOCK_NAME, NULL);
  g_autofree char *pid = NULL;
  int fd;

  fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_IO,
                   "cannot open the profile's lock %s: %s", lock_path, g_strerror (saved));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      char holder[32] = "";
      ssize_t n = pread (fd, holder, sizeof holder - 1, 0);

      close (fd);
      holder[n > 0 ? n : 0] = '\0';
      g_strstrip (holder);
      g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_IN_USE,
                   "the profile %s is in use by another Bulkhead%s%s%s; close it, or pass "
                   "another --user-data-dir (or --incognito)",
                   self->path, *holder != '\0' ? " (pid " : "", holder,
                   *holder != '\0' ? ")" : "");
      return FALSE;
    }
  pid = g_strdup_printf ("%d\n", (int) getpid ());
  if (ftruncate (fd, 0) < 0 || pwrite (fd, pid, strlen (pid), 0) < 0)
    {
      /* The pid is a courtesy for the message above; the lock holds. */
    }
  self->lock_fd = fd;
  return TRUE;
}

static gboolean
migrate (BhProfile *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = bh_sql_prepare (self->db, "PRAGMA user_version");
  int version;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_DATABASE,
                   "cannot read the database's schema version: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);
  if (version > BH_PROFILE_SCHEMA_VERSION)
    {
      g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_TOO_NEW,
                   "the profile's database has schema version %d, newer than the %d this "
                   "Bulkhead knows; use a newer Bulkhead or another --user-data-dir",
                   version, BH_PROFILE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < BH_PROFILE_SCHEMA_VERSION; v++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                                              MIGRATIONS[v], v + 1);

      if (!bh_sql_exec (self->db, sql, error))
        {
          bh_sql_exec (self->db, "ROLLBACK", NULL);
          g_prefix_error (error, "migrating the profile's database from version %d: ", v);
          return FALSE;
        }
    }
  return TRUE;
}

BhProfile *
bh_profile_open (const char *user_data_dir,
                 GError    **error)
{
  g_autoptr (BhProfile) self = g_object_new (BH_TYPE_PROFILE, NULL);
  g_autofree char *db_path = NULL;
  int rc;

  if (user_data_dir != NULL)
    {
      self->path = g_canonicalize_filename (user_data_dir, NULL);
      if (g_mkdir_with_parents (self->path, 0700) < 0)
        {
          int saved = errno;

          g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_IO,
                       "cannot create the profile directory %s: %s", self->path, g_strerror (saved));
          return NULL;
        }
      if (!take_lock (self, error))
        return NULL;
      db_path = g_build_filename (self->path, BH_PROFILE_DATABASE_NAME, NULL);
    }

  rc = sqlite3_open_v2 (db_path != NULL ? db_path : ":memory:", &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_DATABASE,
                   "cannot open the profile's database %s: %s", db_path != NULL ? db_path : ":memory:",
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 2000);

  /* WAL: a writer never blocks the readers and a commit is one append; with
   * synchronous=NORMAL it survives the process being killed (the WAL is in
   * the kernel's page cache), only a power cut may lose the last ones. */
  if (!bh_sql_exec (self->db, "PRAGMA foreign_keys = ON;", error) ||
      (db_path != NULL &&
       !bh_sql_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", error)) ||
      !migrate (self, error))
    {
      g_prefix_error (error, "%s: ", db_path != NULL ? db_path : "the profile in memory");
      return NULL;
    }
  if (db_path != NULL)
    g_chmod (db_path, 0600);

  self->cookie_jar = bh_cookie_jar_new (self->db);
  self->history = bh_history_new (self->db);
  self->http_cache = bh_http_cache_new (self->db, BH_HTTP_CACHE_MAX_BYTES);
  self->web_storage = bh_web_storage_new (self->db);
  return g_steal_pointer (&self);
}

const char *
bh_profile_get_path (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), NULL);
  return self->path;
}

gboolean
bh_profile_is_off_the_record (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), FALSE);
  return self->path == NULL;
}

BhCookieJar *
bh_profile_get_cookie_jar (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), NULL);
  return self->cookie_jar;
}

BhHttpCache *
bh_profile_get_http_cache (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), NULL);
  return self->http_cache;
}

BhHistory *
bh_profile_get_history (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), NULL);
  return self->history;
}

BhWebStorage *
bh_profile_get_web_storage (BhProfile *self)
{
  g_return_val_if_fail (BH_IS_PROFILE (self), NULL);
  return self->web_storage;
}
