/* bh-renderer-storage.h: the renderer's copy of localStorage and
 * sessionStorage (StorageLoad, StorageContents and StorageChange in
 * bh-messages.h).
 *
 * An area is read from the browser once (a synchronous request, as Chromium's
 * renderer fills its storage cache) and then kept here: a localStorage area
 * per origin for the whole process, so that every tab of the origin this
 * renderer serves sees the others' changes at once; a sessionStorage area per
 * view (a tab) and origin. Reads never leave the process; each change is sent
 * to the browser, which keeps the areas (the profile's database for
 * localStorage) and names the origin itself from the URL it committed.
 */
#pragma once

#include "bh-channel.h"

G_BEGIN_DECLS

/**
 * bh_renderer_storage_init:
 * @channel: (transfer none): the channel to the browser, for the process's life
 */
void bh_renderer_storage_init (BhChannel *channel);

/**
 * bh_renderer_storage_origin:
 * @url: a document's URL
 *
 * Returns: (transfer full) (nullable): its origin as the browser computes it
 *   ("scheme://host:port", lower case), %NULL when it has no storage (not
 *   http or https: a SecurityError in the page)
 */
char *bh_renderer_storage_origin (const char *url);

/* The document asking: the view, the navigation it committed, its origin. */
typedef struct {
  guint32 view_id;
  guint64 navigation_id;
  const char *origin;
  gboolean session;
} BhStorageUser;

/* getItem(): (transfer none) (nullable): the value, NULL when absent. */
const char *bh_renderer_storage_get (const BhStorageUser *user, const char *key);

/**
 * bh_renderer_storage_set:
 *
 * setItem(): stores the value here and sends StorageChange.
 *
 * Returns: %FALSE past the quota (BH_MAX_STORAGE_BYTES_PER_ORIGIN, or an item over
 *   BH_MAX_STORAGE_ITEM_BYTES): QuotaExceededError; nothing changed
 */
gboolean bh_renderer_storage_set (const BhStorageUser *user, const char *key, const char *value);

/* removeItem() and clear(), here and in the browser. */
void bh_renderer_storage_remove (const BhStorageUser *user, const char *key);
void bh_renderer_storage_clear (const BhStorageUser *user);

/* key(n) and length: the keys, sorted (transfer full, a NULL-terminated array). */
char **bh_renderer_storage_keys (const BhStorageUser *user);

/* The view went: its sessionStorage copies go. */
void bh_renderer_storage_forget_view (guint32 view_id);

G_END_DECLS
