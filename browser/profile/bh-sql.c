/* bh-sql.c: SQLite helpers for the profile's tables. */
#include "bh-sql.h"

#include "bh-profile-error.h"

gboolean
bh_sql_exec (sqlite3    *db,
             const char *sql,
             GError    **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, BH_PROFILE_ERROR, BH_PROFILE_ERROR_DATABASE, "%s",
               message != NULL ? message : sqlite3_errmsg (db));
  sqlite3_free (message);
  return FALSE;
}

sqlite3_stmt *
bh_sql_prepare (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("profile: cannot prepare “%s”: %s", sql, sqlite3_errmsg (db));
      return NULL;
    }
  return stmt;
}

gboolean
bh_sql_step_done (sqlite3_stmt *stmt)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_warning ("profile: a write failed: %s", sqlite3_errmsg (sqlite3_db_handle (stmt)));
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}
