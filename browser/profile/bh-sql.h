/* bh-sql.h: the few SQLite helpers the profile's tables share. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * bh_sql_exec:
 * @db: a connection
 * @sql: statements without results
 * @error: (nullable): %BH_PROFILE_ERROR_DATABASE with SQLite's message
 *
 * Returns: %TRUE when every statement ran.
 */
gboolean bh_sql_exec (sqlite3    *db,
                      const char *sql,
                      GError    **error);

/**
 * bh_sql_prepare:
 * @db: a connection
 * @sql: one statement
 *
 * Prepares @sql; a failure is a programming error (the statements are
 * Bulkhead's own), logged with g_critical().
 *
 * Returns: (transfer full) (nullable): the statement, for sqlite3_finalize().
 */
sqlite3_stmt *bh_sql_prepare (sqlite3    *db,
                              const char *sql);

/**
 * bh_sql_step_done:
 * @stmt: (transfer full): a statement with its parameters bound
 *
 * Runs a statement that returns no rows and finalizes it. A failure (a full
 * disk, a damaged file) is logged with g_warning() and the browser goes on,
 * as Chromium's stores do: the profile is a memory, not a precondition.
 *
 * Returns: %TRUE when it ran.
 */
gboolean bh_sql_step_done (sqlite3_stmt *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
