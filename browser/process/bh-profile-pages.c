/* bh-profile-pages.c: about:history and about:bookmarks from the profile. */
#include "bh-profile-pages.h"

#include <string.h>

#include "bh-history-page.h"
#include "bh-history.h"

/* about:NAME with an optional query: the query's parameters, or NULL when
 * @url is another page. */
static GHashTable *
page_query (const char *url, const char *name)
{
  gsize len = strlen (name);
  const char *rest;

  if (!g_str_has_prefix (url, name))
    return NULL;
  rest = url + len;
  if (*rest == '#' || *rest == '\0')
    return g_hash_table_new (g_str_hash, g_str_equal);
  if (*rest != '?')
    return NULL;
  {
    g_autofree char *query = g_strndup (rest + 1, strcspn (rest + 1, "#"));
    GHashTable *params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);

    return params != NULL ? params : g_hash_table_new (g_str_hash, g_str_equal);
  }
}

static gboolean
may_change (const char *initiator_site)
{
  return initiator_site == NULL || g_str_equal (initiator_site, "about:");
}

static const char refused[] =
  "Nothing was changed: only Bulkhead's own pages may change your history and bookmarks.";

static GBytes *
render_history (BhHistory *history, GHashTable *params, const char *initiator_site)
{
  const char *search = g_hash_table_lookup (params, "q");
  const char *delete = g_hash_table_lookup (params, "delete");
  g_autofree char *notice = NULL;
  g_autoptr (GPtrArray) visits = NULL;
  g_autofree BhHistoryPageRow *rows = NULL;

  if (delete != NULL)
    {
      guint64 id = 0;

      if (!may_change (initiator_site))
        notice = g_strdup (refused);
      else if (g_ascii_string_to_unsigned (delete, 10, 1, G_MAXINT64, &id, NULL) &&
               bh_history_delete_visit (history, (gint64) id))
        notice = g_strdup ("The visit was deleted.");
      else
        notice = g_strdup ("There is no such visit (deleted already?).");
    }

  visits = bh_history_query_visits (history, search, BH_HISTORY_PAGE_MAX_VISITS);
  rows = g_new0 (BhHistoryPageRow, visits->len + 1);
  for (guint i = 0; i < visits->len; i++)
    {
      BhHistoryVisit *visit = visits->pdata[i];

      rows[i] = (BhHistoryPageRow) { visit->id, visit->url, visit->title, visit->visit_time_us,
                                     bh_page_transition_to_string (visit->transition) };
    }
  return bh_history_page_render (rows, visits->len, search, notice);
}

static GBytes *
render_bookmarks (BhHistory *history, GHashTable *params, const char *initiator_site)
{
  const char *remove = g_hash_table_lookup (params, "remove");
  const char *rename = g_hash_table_lookup (params, "rename");
  const char *title = g_hash_table_lookup (params, "title");
  g_autofree char *notice = NULL;
  g_autoptr (GPtrArray) bookmarks = NULL;
  g_autofree BhHistoryPageRow *rows = NULL;

  if (remove != NULL)
    {
      if (!may_change (initiator_site))
        notice = g_strdup (refused);
      else if (bh_history_remove_bookmark (history, remove))
        notice = g_strdup ("The bookmark was removed.");
      else
        notice = g_strdup ("There is no such bookmark (removed already?).");
    }
  else if (rename != NULL)
    {
      if (!may_change (initiator_site))
        notice = g_strdup (refused);
      else if (bh_history_rename_bookmark (history, rename, title != NULL ? title : ""))
        notice = g_strdup ("The bookmark was renamed.");
      else
        notice = g_strdup ("There is no such bookmark (removed already?).");
    }

  bookmarks = bh_history_list_bookmarks (history);
  rows = g_new0 (BhHistoryPageRow, bookmarks->len + 1);
  for (guint i = 0; i < bookmarks->len; i++)
    {
      BhBookmark *bookmark = bookmarks->pdata[i];

      rows[i] = (BhHistoryPageRow) { bookmark->id, bookmark->url, bookmark->title, bookmark->added_us, NULL };
    }
  return bh_bookmarks_page_render (rows, bookmarks->len, notice);
}

GBytes *
bh_profile_page_render (BhProfile  *profile,
                        const char *url,
                        const char *initiator_site)
{
  g_autoptr (GHashTable) params = NULL;

  g_return_val_if_fail (BH_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if ((params = page_query (url, "about:history")) != NULL)
    return render_history (bh_profile_get_history (profile), params, initiator_site);
  if ((params = page_query (url, "about:bookmarks")) != NULL)
    return render_bookmarks (bh_profile_get_history (profile), params, initiator_site);
  return NULL;
}
