/* bh-history.c: visits, URLs and bookmarks in the profile's database. */
#include "bh-history.h"

#include <math.h>
#include <string.h>

#include "bh-sql.h"

/* A history line for a title: no more than this is kept. */
#define MAX_TITLE_CHARS 1024
/* URLs longer than this are not recorded (Chromium: 2 MiB for a URL; a
 * history of a few of those would be most of the file). */
#define MAX_URL_BYTES (64 * 1024)
/* Suggestions rank at most this many candidates, the most recent. */
#define MAX_CANDIDATES 500

struct _BhHistory {
  sqlite3 *db;
};

const char *
bh_page_transition_to_string (BhPageTransition transition)
{
  switch (transition)
    {
    case BH_PAGE_TRANSITION_TYPED:         return "typed";
    case BH_PAGE_TRANSITION_AUTO_BOOKMARK: return "auto_bookmark";
    case BH_PAGE_TRANSITION_RELOAD:        return "reload";
    case BH_PAGE_TRANSITION_LINK:
    default:                               return "link";
    }
}

void
bh_history_visit_free (BhHistoryVisit *visit)
{
  if (visit == NULL)
    return;
  g_free (visit->url);
  g_free (visit->title);
  g_free (visit);
}

void
bh_history_suggestion_free (BhHistorySuggestion *suggestion)
{
  if (suggestion == NULL)
    return;
  g_free (suggestion->url);
  g_free (suggestion->title);
  g_free (suggestion);
}

void
bh_bookmark_free (BhBookmark *bookmark)
{
  if (bookmark == NULL)
    return;
  g_free (bookmark->url);
  g_free (bookmark->title);
  g_free (bookmark);
}

BhHistory *
bh_history_new (sqlite3 *db)
{
  BhHistory *history = g_new0 (BhHistory, 1);

  history->db = db;
  return history;
}

void
bh_history_free (BhHistory *history)
{
  g_free (history);
}

gboolean
bh_history_should_record (const char *url)
{
  return url != NULL && strlen (url) <= MAX_URL_BYTES && g_utf8_validate (url, -1, NULL) &&
         (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://") ||
          g_str_has_prefix (url, "file:"));
}

/* A title as stored: valid UTF-8, cut to MAX_TITLE_CHARS. */
static char *
clean_title (const char *title)
{
  g_autofree char *valid = g_utf8_make_valid (title != NULL ? title : "", -1);

  if (g_utf8_strlen (valid, -1) > MAX_TITLE_CHARS)
    return g_utf8_substring (valid, 0, MAX_TITLE_CHARS);
  return g_steal_pointer (&valid);
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

gint64
bh_history_add_visit (BhHistory       *history,
                      const char      *url,
                      const char      *title,
                      BhPageTransition transition,
                      gint64           time_us)
{
  g_autoptr (sqlite3_stmt) find = NULL;
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  gint64 url_id = 0;
  gboolean typed = transition == BH_PAGE_TRANSITION_TYPED;

  g_return_val_if_fail (history != NULL, 0);

  if (!bh_history_should_record (url))
    return 0;
  clean = title != NULL ? clean_title (title) : NULL;

  if (!bh_sql_exec (history->db, "BEGIN IMMEDIATE", NULL))
    return 0;

  stmt = bh_sql_prepare (history->db,
                         "INSERT INTO urls (url, title) VALUES (?, ?) ON CONFLICT (url) DO NOTHING");
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, clean != NULL ? clean : "", -1, SQLITE_TRANSIENT);
    }
  bh_sql_step_done (stmt);

  stmt = bh_sql_prepare (history->db,
                         "UPDATE urls SET visit_count = visit_count + 1, typed_count = typed_count + ?, "
                         "last_visit_time = MAX (last_visit_time, ?), title = COALESCE (?, title) "
                         "WHERE url = ?");
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, typed ? 1 : 0);
      sqlite3_bind_int64 (stmt, 2, time_us);
      if (clean != NULL && *clean != '\0')
        sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, url, -1, SQLITE_TRANSIENT);
    }
  bh_sql_step_done (stmt);

  find = bh_sql_prepare (history->db, "SELECT id FROM urls WHERE url = ?");
  if (find != NULL)
    {
      sqlite3_bind_text (find, 1, url, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (find) == SQLITE_ROW)
        url_id = sqlite3_column_int64 (find, 0);
    }

  stmt = bh_sql_prepare (history->db,
                         "INSERT INTO visits (url_id, visit_time, transition) VALUES (?, ?, ?)");
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, url_id);
      sqlite3_bind_int64 (stmt, 2, time_us);
      sqlite3_bind_int (stmt, 3, (int) transition);
    }
  if (url_id == 0 || !bh_sql_step_done (stmt) || !bh_sql_exec (history->db, "COMMIT", NULL))
    {
      bh_sql_exec (history->db, "ROLLBACK", NULL);
      return 0;
    }
  return sqlite3_last_insert_rowid (history->db);
}

void
bh_history_set_title (BhHistory  *history,
                      const char *url,
                      const char *title)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_if_fail (history != NULL);

  if (!bh_history_should_record (url) || title == NULL)
    return;
  clean = clean_title (title);
  stmt = bh_sql_prepare (history->db, "UPDATE urls SET title = ? WHERE url = ?");
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, url, -1, SQLITE_TRANSIENT);
  bh_sql_step_done (stmt);
}

void
bh_history_set_favicon (BhHistory  *history,
                        const char *page_url,
                        const char *icon_url,
                        guint       width,
                        guint       height,
                        GBytes     *pixels)
{
  sqlite3_stmt *stmt;
  gsize size = 0;
  gconstpointer data;

  g_return_if_fail (history != NULL && page_url != NULL && icon_url != NULL && pixels != NULL);

  data = g_bytes_get_data (pixels, &size);
  if (!bh_history_should_record (page_url) || width == 0 || height == 0 || width > BH_HISTORY_MAX_FAVICON_SIDE ||
      height > BH_HISTORY_MAX_FAVICON_SIDE || size != (gsize) width * height * 4)
    return;
  stmt = bh_sql_prepare (history->db, "INSERT OR REPLACE INTO favicons (page_url, icon_url, width, height, pixels, "
                                      "updated) VALUES (?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, page_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, icon_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) width);
  sqlite3_bind_int (stmt, 4, (int) height);
  sqlite3_bind_blob64 (stmt, 5, data, size, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  bh_sql_step_done (stmt);
}

GBytes *
bh_history_get_favicon (BhHistory  *history,
                        const char *page_url,
                        guint      *out_width,
                        guint      *out_height)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int width, height;
  gsize size;

  g_return_val_if_fail (history != NULL && page_url != NULL, NULL);

  stmt = bh_sql_prepare (history->db, "SELECT width, height, pixels FROM favicons WHERE page_url = ?");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, page_url, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  width = sqlite3_column_int (stmt, 0);
  height = sqlite3_column_int (stmt, 1);
  size = (gsize) sqlite3_column_bytes (stmt, 2);
  /* The file is the user's: a row that does not add up is not shown. */
  if (width <= 0 || height <= 0 || width > BH_HISTORY_MAX_FAVICON_SIDE || height > BH_HISTORY_MAX_FAVICON_SIDE ||
      size != (gsize) width * height * 4)
    return NULL;
  *out_width = (guint) width;
  *out_height = (guint) height;
  return g_bytes_new (sqlite3_column_blob (stmt, 2), size);
}

/* "%text%" for LIKE, with the wildcards in @text escaped. */
static char *
like_pattern (const char *text)
{
  GString *out = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '%');
  return g_string_free (out, FALSE);
}

GPtrArray *
bh_history_query_visits (BhHistory  *history,
                         const char *search,
                         guint       max)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_history_visit_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *pattern = NULL;

  g_return_val_if_fail (history != NULL, out);

  pattern = like_pattern (search != NULL ? search : "");
  stmt = bh_sql_prepare (history->db,
                         "SELECT v.id, u.url, u.title, v.visit_time, v.transition FROM visits v "
                         "JOIN urls u ON u.id = v.url_id "
                         "WHERE u.url LIKE ?1 ESCAPE '\\' OR u.title LIKE ?1 ESCAPE '\\' "
                         "ORDER BY v.visit_time DESC, v.id DESC LIMIT ?2");
  if (stmt == NULL)
    return out;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, max);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BhHistoryVisit *visit = g_new0 (BhHistoryVisit, 1);

      visit->id = sqlite3_column_int64 (stmt, 0);
      visit->url = g_strdup (column_text (stmt, 1));
      visit->title = g_strdup (column_text (stmt, 2));
      visit->visit_time_us = sqlite3_column_int64 (stmt, 3);
      visit->transition = (BhPageTransition) sqlite3_column_int (stmt, 4);
      g_ptr_array_add (out, visit);
    }
  return out;
}

gboolean
bh_history_delete_visit (BhHistory *history,
                         gint64     visit_id)
{
  sqlite3_stmt *stmt;
  gboolean deleted;

  g_return_val_if_fail (history != NULL, FALSE);

  if (!bh_sql_exec (history->db, "BEGIN IMMEDIATE", NULL))
    return FALSE;
  stmt = bh_sql_prepare (history->db,
                         "UPDATE urls SET visit_count = MAX (visit_count - 1, 0), "
                         "typed_count = MAX (typed_count - (SELECT transition = 1 FROM visits WHERE id = ?1), 0) "
                         "WHERE id = (SELECT url_id FROM visits WHERE id = ?1)");
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, visit_id);
  bh_sql_step_done (stmt);
  stmt = bh_sql_prepare (history->db, "DELETE FROM visits WHERE id = ?");
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, visit_id);
  bh_sql_step_done (stmt);
  deleted = sqlite3_changes (history->db) > 0;
  bh_sql_exec (history->db,
               "DELETE FROM urls WHERE NOT EXISTS (SELECT 1 FROM visits WHERE url_id = urls.id)",
               NULL);
  if (!bh_sql_exec (history->db, "COMMIT", NULL))
    {
      bh_sql_exec (history->db, "ROLLBACK", NULL);
      return FALSE;
    }
  return deleted;
}

const char *
bh_history_strip_url (const char *url)
{
  if (g_str_has_prefix (url, "https://"))
    url += strlen ("https://");
  else if (g_str_has_prefix (url, "http://"))
    url += strlen ("http://");
  if (g_str_has_prefix (url, "www."))
    url += strlen ("www.");
  return url;
}

static gint
compare_score (gconstpointer a, gconstpointer b)
{
  const BhHistorySuggestion *x = *(const BhHistorySuggestion *const *) a;
  const BhHistorySuggestion *y = *(const BhHistorySuggestion *const *) b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return g_strcmp0 (x->url, y->url);
}

GPtrArray *
bh_history_suggest (BhHistory  *history,
                    const char *text,
                    guint       max)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_history_suggestion_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *typed = NULL;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (history != NULL && text != NULL, out);

  typed = g_utf8_strdown (text, -1);
  g_strstrip (typed);
  if (*typed == '\0')
    return out;
  pattern = like_pattern (typed);
  /* The history's URLs, and bookmarks never visited. */
  stmt = bh_sql_prepare (history->db,
                         "SELECT u.url, COALESCE (NULLIF (b.title, ''), u.title), u.visit_count, "
                         "u.typed_count, u.last_visit_time, b.id IS NOT NULL FROM urls u "
                         "LEFT JOIN bookmarks b ON b.url = u.url "
                         "WHERE u.url LIKE ?1 ESCAPE '\\' OR u.title LIKE ?1 ESCAPE '\\' "
                         "   OR b.title LIKE ?1 ESCAPE '\\' "
                         "UNION ALL "
                         "SELECT b.url, b.title, 0, 0, b.added_time, 1 FROM bookmarks b "
                         "WHERE (b.url LIKE ?1 ESCAPE '\\' OR b.title LIKE ?1 ESCAPE '\\') "
                         "  AND NOT EXISTS (SELECT 1 FROM urls u WHERE u.url = b.url) "
                         "ORDER BY 5 DESC LIMIT ?2");
  if (stmt == NULL)
    return out;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, MAX_CANDIDATES);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BhHistorySuggestion *s = g_new0 (BhHistorySuggestion, 1);
      g_autofree char *stripped = NULL;
      double age_days;

      s->url = g_strdup (column_text (stmt, 0));
      s->title = g_strdup (column_text (stmt, 1));
      s->visit_count = (guint) sqlite3_column_int (stmt, 2);
      s->typed_count = (guint) sqlite3_column_int (stmt, 3);
      s->last_visit_us = sqlite3_column_int64 (stmt, 4);
      s->bookmarked = sqlite3_column_int (stmt, 5) != 0;
      age_days = MAX (0.0, (double) (now - s->last_visit_us) / (86400.0 * G_USEC_PER_SEC));
      s->score = (1.0 + s->visit_count + 10.0 * s->typed_count + (s->bookmarked ? 20.0 : 0.0)) *
                 pow (0.5, age_days / 7.0);
      stripped = g_utf8_strdown (bh_history_strip_url (s->url), -1);
      if (g_str_has_prefix (stripped, typed))
        s->score *= 4.0;
      g_ptr_array_add (out, s);
    }
  g_ptr_array_sort (out, compare_score);
  if (out->len > max)
    g_ptr_array_set_size (out, max);
  return out;
}

gboolean
bh_history_add_bookmark (BhHistory  *history,
                         const char *url,
                         const char *title)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (history != NULL && url != NULL, FALSE);

  if (strlen (url) > MAX_URL_BYTES || !g_utf8_validate (url, -1, NULL))
    return FALSE;
  clean = clean_title (title != NULL && *title != '\0' ? title : url);
  stmt = bh_sql_prepare (history->db,
                         "INSERT INTO bookmarks (url, title, added_time) VALUES (?, ?, ?) "
                         "ON CONFLICT (url) DO UPDATE SET title = excluded.title");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return bh_sql_step_done (stmt);
}

gboolean
bh_history_remove_bookmark (BhHistory  *history,
                            const char *url)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (history != NULL && url != NULL, FALSE);

  stmt = bh_sql_prepare (history->db, "DELETE FROM bookmarks WHERE url = ?");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  return bh_sql_step_done (stmt) && sqlite3_changes (history->db) > 0;
}

gboolean
bh_history_rename_bookmark (BhHistory  *history,
                            const char *url,
                            const char *title)
{
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (history != NULL && url != NULL && title != NULL, FALSE);

  clean = clean_title (*title != '\0' ? title : url);
  stmt = bh_sql_prepare (history->db, "UPDATE bookmarks SET title = ? WHERE url = ?");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, url, -1, SQLITE_TRANSIENT);
  return bh_sql_step_done (stmt) && sqlite3_changes (history->db) > 0;
}

gboolean
bh_history_is_bookmarked (BhHistory  *history,
                          const char *url)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (history != NULL, FALSE);

  if (url == NULL)
    return FALSE;
  stmt = bh_sql_prepare (history->db, "SELECT 1 FROM bookmarks WHERE url = ?");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

GPtrArray *
bh_history_list_bookmarks (BhHistory *history)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_bookmark_free);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (history != NULL, out);

  stmt = bh_sql_prepare (history->db,
                         "SELECT id, url, title, added_time FROM bookmarks ORDER BY added_time DESC, id DESC");
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      BhBookmark *bookmark = g_new0 (BhBookmark, 1);

      bookmark->id = sqlite3_column_int64 (stmt, 0);
      bookmark->url = g_strdup (column_text (stmt, 1));
      bookmark->title = g_strdup (column_text (stmt, 2));
      bookmark->added_us = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (out, bookmark);
    }
  return out;
}
