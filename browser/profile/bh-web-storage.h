/* bh-web-storage.h: Web Storage areas (HTML §12.2: localStorage and
 * sessionStorage), one per origin, as the browser keeps them for its
 * renderers: written through to the profile's `web_storage` table for
 * localStorage, in memory only for a tab's sessionStorage. Main thread only.
 *
 * An origin's keys and values together hold at most
 * BH_MAX_STORAGE_BYTES_PER_ORIGIN bytes of UTF-8 (common/bh-message.h),
 * Chromium's and Firefox's quota of 5 MiB per origin; a change past it is
 * refused (the page gets QuotaExceededError).
 */
#pragma once

#include <sqlite3.h>

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BhWebStorage BhWebStorage;

/**
 * bh_web_storage_new:
 * @db: (nullable): the profile's database, whose `web_storage` table keeps
 *   the areas; %NULL for areas in memory (sessionStorage)
 *
 * Returns: (transfer full): the store; every origin's area is read from @db
 *   the first time it is asked for.
 */
BhWebStorage *bh_web_storage_new (sqlite3 *db);

/**
 * bh_web_storage_free:
 * @storage: (nullable) (transfer full)
 */
void bh_web_storage_free (BhWebStorage *storage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhWebStorage, bh_web_storage_free)

/**
 * bh_web_storage_load:
 * @origin: "scheme://host:port", as the browser computed it for a committed URL
 *
 * Returns: (transfer full): the area as a GVariant of type `a(ss)`, (key,
 *   value) sorted by key (a floating reference)
 */
GVariant *bh_web_storage_load (BhWebStorage *storage, const char *origin);

/**
 * bh_web_storage_set_item:
 * @error: %G_IO_ERROR_NO_SPACE past the origin's quota
 *
 * Sets @key to @value in @origin's area.
 *
 * Returns: %FALSE when refused; the area is then unchanged.
 */
gboolean bh_web_storage_set_item (BhWebStorage *storage, const char *origin, const char *key, const char *value,
                                  GError **error);

/* Removes @key from @origin's area (nothing when it is not there). */
void bh_web_storage_remove_item (BhWebStorage *storage, const char *origin, const char *key);

/* Empties @origin's area. */
void bh_web_storage_clear (BhWebStorage *storage, const char *origin);

/**
 * bh_web_storage_get_bytes:
 *
 * Returns: the bytes of UTF-8 @origin's keys and values hold, what the quota counts.
 */
gsize bh_web_storage_get_bytes (BhWebStorage *storage, const char *origin);

G_END_DECLS
