/* bh-history.h: the profile's history (every committed navigation, as
 * Chromium's History database keeps it: a row per URL with its counts, a
 * row per visit with its time and transition) and bookmarks, with the
 * address bar's suggestions ranked from both. Main thread only.
 */
#pragma once

#include <sqlite3.h>

#include <glib.h>

G_BEGIN_DECLS

/* How a navigation came about; Chromium's core ui::PageTransition values,
 * as its History database stores them. */
typedef enum {
  BH_PAGE_TRANSITION_LINK = 0,          /* a link, a redirect, a page's own navigation */
  BH_PAGE_TRANSITION_TYPED = 1,         /* typed in the address bar (or given on the command line) */
  BH_PAGE_TRANSITION_AUTO_BOOKMARK = 2, /* a bookmark or a suggestion picked */
  BH_PAGE_TRANSITION_RELOAD = 8,        /* Reload, F5, Ctrl+Shift+R */
} BhPageTransition;

/**
 * bh_page_transition_to_string:
 * Returns: (transfer none): "link", "typed", "auto_bookmark", "reload".
 */
const char *bh_page_transition_to_string (BhPageTransition transition);

typedef struct _BhHistory BhHistory;

/**
 * BhHistoryVisit:
 * One visit; every string owned.
 */
typedef struct {
  gint64 id;
  char *url;
  char *title;
  gint64 visit_time_us; /* microseconds since the Unix epoch */
  BhPageTransition transition;
} BhHistoryVisit;

void bh_history_visit_free (BhHistoryVisit *visit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHistoryVisit, bh_history_visit_free)

/**
 * BhHistorySuggestion:
 * A URL the address bar may offer; every string owned.
 */
typedef struct {
  char *url;
  char *title;
  guint visit_count;
  guint typed_count;
  gint64 last_visit_us;
  gboolean bookmarked;
  double score;         /* higher first; see bh_history_suggest() */
} BhHistorySuggestion;

void bh_history_suggestion_free (BhHistorySuggestion *suggestion);

/**
 * BhBookmark:
 * Every string owned.
 */
typedef struct {
  gint64 id;
  char *url;
  char *title;
  gint64 added_us;
} BhBookmark;

void bh_bookmark_free (BhBookmark *bookmark);

/**
 * bh_history_new:
 * @db: the profile's database, with the `urls`, `visits` and `bookmarks`
 *   tables (bh-profile.c's migrations)
 *
 * Returns: (transfer full): the history, for bh_history_free(); it uses
 *   @db until then.
 */
BhHistory *bh_history_new (sqlite3 *db);
void bh_history_free (BhHistory *history);

/**
 * bh_history_should_record:
 * @url: a committed URL
 *
 * Returns: whether @url goes in the history: http, https and file URLs do;
 *   about:, data: and the browser's own pages do not (as Chromium leaves
 *   chrome: pages out).
 */
gboolean bh_history_should_record (const char *url);

/**
 * bh_history_add_visit:
 * @history: the history
 * @url: the committed URL
 * @title: (nullable): its title, if known yet
 * @transition: how the navigation came about
 * @time_us: when, microseconds since the Unix epoch
 *
 * Records a visit, committed at once (its own transaction): counts the URL's
 * visits and, for %BH_PAGE_TRANSITION_TYPED, its typed count.
 *
 * Returns: the visit's id, or 0 when not recorded (see
 *   bh_history_should_record(), or the write failed).
 */
gint64 bh_history_add_visit (BhHistory       *history,
                             const char      *url,
                             const char      *title,
                             BhPageTransition transition,
                             gint64           time_us);

/**
 * bh_history_set_title:
 * Sets the title of @url's row (a page's title arrives after its commit).
 */
void bh_history_set_title (BhHistory  *history,
                           const char *url,
                           const char *title);

/**
 * bh_history_query_visits:
 * @history: the history
 * @search: (nullable): only visits whose URL or title holds this text,
 *   case-insensitively
 * @max: at most this many
 *
 * Returns: (transfer full) (element-type BhHistoryVisit): newest first.
 */
GPtrArray *bh_history_query_visits (BhHistory  *history,
                                    const char *search,
                                    guint       max);

/**
 * bh_history_delete_visit:
 * @visit_id: from a #BhHistoryVisit
 *
 * Deletes one visit; a URL left with no visit leaves the history (and the
 * suggestions) with it.
 *
 * Returns: whether there was such a visit.
 */
gboolean bh_history_delete_visit (BhHistory *history,
                                  gint64     visit_id);

/**
 * bh_history_suggest:
 * @history: the history
 * @text: what the user typed so far
 * @max: at most this many
 *
 * The URLs of the history and the bookmarks whose address (scheme and
 * "www." aside) or title holds @text, ranked as Chromium's "frecency":
 * (1 + visits + 10 × typed visits, + 20 for a bookmark) × a recency weight
 * that halves every 7 days since the last visit; an address that starts
 * with @text counts four times.
 *
 * Returns: (transfer full) (element-type BhHistorySuggestion): best first.
 */
GPtrArray *bh_history_suggest (BhHistory  *history,
                               const char *text,
                               guint       max);

/**
 * bh_history_strip_url:
 * @url: a URL
 *
 * Returns: (transfer none): @url without "http://", "https://" and "www.":
 *   what inline completion compares the typed text with.
 */
const char *bh_history_strip_url (const char *url);

/* Bookmarks. */

/**
 * bh_history_add_bookmark:
 * @url: the page
 * @title: (nullable): its title; the URL when %NULL or empty
 *
 * Bookmarks @url, or renames its bookmark.
 *
 * Returns: whether it was written.
 */
gboolean bh_history_add_bookmark (BhHistory  *history,
                                  const char *url,
                                  const char *title);

/**
 * bh_history_remove_bookmark:
 * Returns: whether @url was bookmarked.
 */
gboolean bh_history_remove_bookmark (BhHistory  *history,
                                     const char *url);

/**
 * bh_history_rename_bookmark:
 * @url: a bookmarked page
 * @title: its new name; an empty one names it by its URL
 *
 * Returns: whether @url was bookmarked (and is renamed).
 */
gboolean bh_history_rename_bookmark (BhHistory  *history,
                                     const char *url,
                                     const char *title);

/**
 * bh_history_is_bookmarked:
 * Returns: whether @url is bookmarked (the address bar's filled star).
 */
gboolean bh_history_is_bookmarked (BhHistory  *history,
                                   const char *url);

/**
 * bh_history_list_bookmarks:
 * Returns: (transfer full) (element-type BhBookmark): newest first.
 */
GPtrArray *bh_history_list_bookmarks (BhHistory *history);

/* The largest favicon stored, in px a side (BH_MAX_FAVICON_SIDE's figure). */
#define BH_HISTORY_MAX_FAVICON_SIDE 64

/**
 * bh_history_set_favicon:
 * @history: the history
 * @page_url: the page the icon is for
 * @icon_url: where it came from
 * @width: px, 1 to %BH_HISTORY_MAX_FAVICON_SIDE
 * @height: px, likewise
 * @pixels: BGRA premultiplied, @width * 4 bytes a row
 *
 * Keeps the page's favicon (the last one it showed), for its tab on the
 * next visit and its suggestions, across restarts. Pages the history does
 * not record (bh_history_should_record()) are not kept; a wrong size is
 * ignored.
 */
void bh_history_set_favicon (BhHistory  *history,
                             const char *page_url,
                             const char *icon_url,
                             guint       width,
                             guint       height,
                             GBytes     *pixels);

/**
 * bh_history_get_favicon:
 * @history: the history
 * @page_url: a page
 * @out_width: (out): px
 * @out_height: (out): px
 *
 * Returns: (transfer full) (nullable): the page's stored favicon's pixels
 *   (as bh_history_set_favicon() took them), %NULL for none; the outputs
 *   are untouched then.
 */
GBytes *bh_history_get_favicon (BhHistory  *history,
                                const char *page_url,
                                guint      *out_width,
                                guint      *out_height);

G_END_DECLS
