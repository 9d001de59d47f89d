/* bh-web-storage.c: Web Storage areas per origin (bh-web-storage.h). */
#include "bh-web-storage.h"

#include <string.h>

#include "bh-message.h"
#include "bh-sql.h"

typedef struct {
  GHashTable *items; /* key -> value, both owned */
  gsize bytes;       /* strlen of every key and value */
} Area;

struct _BhWebStorage {
  sqlite3 *db;       /* not owned; NULL in memory */
  GHashTable *areas; /* origin -> Area */
};

static void
area_free (Area *area)
{
  g_hash_table_unref (area->items);
  g_free (area);
}

BhWebStorage *
bh_web_storage_new (sqlite3 *db)
{
  BhWebStorage *storage = g_new0 (BhWebStorage, 1);

  storage->db = db;
  storage->areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) area_free);
  return storage;
}

void
bh_web_storage_free (BhWebStorage *storage)
{
  if (storage == NULL)
    return;
  g_hash_table_unref (storage->areas);
  g_free (storage);
}

static Area *
area_for (BhWebStorage *storage, const char *origin)
{
  Area *area = g_hash_table_lookup (storage->areas, origin);

  if (area != NULL)
    return area;
  area = g_new0 (Area, 1);
  area->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (storage->db != NULL)
    {
      g_autoptr (sqlite3_stmt) stmt = bh_sql_prepare (storage->db,
                                                      "SELECT key, value FROM web_storage WHERE origin = ?");
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              const char *key = (const char *) sqlite3_column_text (stmt, 0);
              const char *value = (const char *) sqlite3_column_text (stmt, 1);

              if (key == NULL || value == NULL)
                continue;
              area->bytes += strlen (key) + strlen (value);
              g_hash_table_replace (area->items, g_strdup (key), g_strdup (value));
            }
        }
    }
  g_hash_table_insert (storage->areas, g_strdup (origin), area);
  return area;
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GVariant *
bh_web_storage_load (BhWebStorage *storage, const char *origin)
{
  Area *area = area_for (storage, origin);
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (area->items, NULL);
  guint n = g_hash_table_size (area->items);
  GVariantBuilder builder;

  qsort (keys, n, sizeof (gpointer), compare_keys);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add (&builder, "(ss)", keys[i], g_hash_table_lookup (area->items, keys[i]));
  return g_variant_builder_end (&builder);
}

gboolean
bh_web_storage_set_item (BhWebStorage *storage, const char *origin, const char *key, const char *value,
                         GError **error)
{
  Area *area = area_for (storage, origin);
  const char *old = g_hash_table_lookup (area->items, key);
  gsize bytes = area->bytes - (old != NULL ? strlen (key) + strlen (old) : 0) + strlen (key) + strlen (value);

  if (bytes > BH_MAX_STORAGE_BYTES_PER_ORIGIN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "%s would hold %" G_GSIZE_FORMAT " bytes (at most %u)",
                   origin, bytes, BH_MAX_STORAGE_BYTES_PER_ORIGIN);
      return FALSE;
    }
  area->bytes = bytes;
  g_hash_table_replace (area->items, g_strdup (key), g_strdup (value));
  if (storage->db != NULL)
    {
      sqlite3_stmt *stmt = bh_sql_prepare (storage->db, "INSERT OR REPLACE INTO web_storage (origin, key, value) "
                                                        "VALUES (?, ?, ?)");
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, value, -1, SQLITE_TRANSIENT);
          bh_sql_step_done (stmt);
        }
    }
  return TRUE;
}

void
bh_web_storage_remove_item (BhWebStorage *storage, const char *origin, const char *key)
{
  Area *area = area_for (storage, origin);
  const char *old = g_hash_table_lookup (area->items, key);

  if (old == NULL)
    return;
  area->bytes -= strlen (key) + strlen (old);
  g_hash_table_remove (area->items, key);
  if (storage->db != NULL)
    {
      sqlite3_stmt *stmt = bh_sql_prepare (storage->db, "DELETE FROM web_storage WHERE origin = ? AND key = ?");
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
          bh_sql_step_done (stmt);
        }
    }
}

void
bh_web_storage_clear (BhWebStorage *storage, const char *origin)
{
  Area *area = area_for (storage, origin);

  g_hash_table_remove_all (area->items);
  area->bytes = 0;
  if (storage->db != NULL)
    {
      sqlite3_stmt *stmt = bh_sql_prepare (storage->db, "DELETE FROM web_storage WHERE origin = ?");
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
          bh_sql_step_done (stmt);
        }
    }
}

gsize
bh_web_storage_get_bytes (BhWebStorage *storage, const char *origin)
{
  return area_for (storage, origin)->bytes;
}
