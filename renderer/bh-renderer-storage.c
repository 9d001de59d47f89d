/* bh-renderer-storage.c: localStorage and sessionStorage in the renderer
 * (bh-renderer-storage.h). */
#include "bh-renderer-storage.h"

#include <string.h>

#include "bh-shm.h"

/* How long a StorageLoad may take: the browser answers at once from memory or
 * SQLite; past this the area is taken as empty rather than hang the page. */
#define STORAGE_LOAD_TIMEOUT_MS 10000

typedef struct {
  GHashTable *items; /* key -> value */
  gsize bytes;       /* strlen of the keys and values, as the browser's quota counts */
} Area;

static struct {
  BhChannel *channel;
  GHashTable *areas; /* "local ORIGIN" or "session VIEW ORIGIN" -> Area */
} S;

static void
area_free (Area *area)
{
  g_hash_table_unref (area->items);
  g_free (area);
}

void
bh_renderer_storage_init (BhChannel *channel)
{
  S.channel = channel;
  S.areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) area_free);
}

char *
bh_renderer_storage_origin (const char *url)
{
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL)
                                     : NULL;
  g_autofree char *origin = NULL;
  const char *scheme, *host;
  int port;

  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  origin = g_strdup_printf ("%s://%s:%d", scheme, host, port);
  return g_ascii_strdown (origin, -1);
}

/* Fills @area from the browser's StorageContents. */
static void
load (Area *area, const BhStorageUser *user)
{
  g_autoptr (BhMessage) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GVariant) contents = NULL;
  GVariantIter iter;
  const char *key, *value;
  guint64 size;

  if (!bh_channel_call_sync (S.channel, BH_MSG_StorageLoad,
                             g_variant_new ("(utu)", user->view_id, user->navigation_id, (guint32) user->session),
                             NULL, 0, STORAGE_LOAD_TIMEOUT_MS, &reply, &error) ||
      reply->type != BH_MSG_StorageContents)
    return;
  g_variant_get (reply->payload, "(t)", &size);
  bytes = bh_blob_map (reply->fds[0], size, &error);
  if (bytes == NULL)
    return;
  contents = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("a(ss)"), bytes, FALSE));
  /* The browser's bytes, checked all the same: a value not in normal form is not used. */
  if (!g_variant_is_normal_form (contents))
    return;
  g_variant_iter_init (&iter, contents);
  while (g_variant_iter_next (&iter, "(&s&s)", &key, &value))
    {
      area->bytes += strlen (key) + strlen (value);
      g_hash_table_replace (area->items, g_strdup (key), g_strdup (value));
    }
}

static Area *
area_for (const BhStorageUser *user)
{
  g_autofree char *name = user->session ? g_strdup_printf ("session %u %s", user->view_id, user->origin)
                                        : g_strdup_printf ("local %s", user->origin);
  Area *area = g_hash_table_lookup (S.areas, name);

  if (area != NULL)
    return area;
  area = g_new0 (Area, 1);
  area->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (S.areas, g_steal_pointer (&name), area);
  load (area, user);
  return area;
}

static void
send_change (const BhStorageUser *user, guint operation, const char *key, const char *value)
{
  bh_channel_send (S.channel, BH_MSG_StorageChange,
                   g_variant_new ("(utuuss)", user->view_id, user->navigation_id, (guint32) user->session, operation,
                                  key, value),
                   NULL, 0);
}

const char *
bh_renderer_storage_get (const BhStorageUser *user, const char *key)
{
  return g_hash_table_lookup (area_for (user)->items, key);
}

gboolean
bh_renderer_storage_set (const BhStorageUser *user, const char *key, const char *value)
{
  Area *area = area_for (user);
  const char *old = g_hash_table_lookup (area->items, key);
  gsize bytes = area->bytes - (old != NULL ? strlen (key) + strlen (old) : 0) + strlen (key) + strlen (value);

  if (strlen (key) + strlen (value) > BH_MAX_STORAGE_ITEM_BYTES || bytes > BH_MAX_STORAGE_BYTES_PER_ORIGIN)
    return FALSE;
  if (old != NULL && strcmp (old, value) == 0)
    return TRUE;
  area->bytes = bytes;
  g_hash_table_replace (area->items, g_strdup (key), g_strdup (value));
  send_change (user, 0, key, value);
  return TRUE;
}

void
bh_renderer_storage_remove (const BhStorageUser *user, const char *key)
{
  Area *area = area_for (user);
  const char *old = g_hash_table_lookup (area->items, key);

  if (old == NULL)
    return;
  area->bytes -= strlen (key) + strlen (old);
  g_hash_table_remove (area->items, key);
  send_change (user, 1, key, "");
}

void
bh_renderer_storage_clear (const BhStorageUser *user)
{
  Area *area = area_for (user);

  if (g_hash_table_size (area->items) == 0)
    return;
  g_hash_table_remove_all (area->items);
  area->bytes = 0;
  send_change (user, 2, "", "");
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
bh_renderer_storage_keys (const BhStorageUser *user)
{
  Area *area = area_for (user);
  guint n = 0;
  char **keys = (char **) g_hash_table_get_keys_as_array (area->items, &n);

  qsort (keys, n, sizeof (char *), compare_keys);
  for (guint i = 0; i < n; i++)
    keys[i] = g_strdup (keys[i]);
  return keys;
}

void
bh_renderer_storage_forget_view (guint32 view_id)
{
  g_autofree char *prefix = g_strdup_printf ("session %u ", view_id);
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, S.areas);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (g_str_has_prefix (name, prefix))
      g_hash_table_iter_remove (&iter);
}
