/* bh-history-page.h: about:history and about:bookmarks, from plain values. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BhHistoryPageRow:
 * @id: the visit's id (about:history) or the bookmark's (about:bookmarks)
 * @url: the page
 * @title: its title, "" when unknown
 * @time_us: the visit's (or the bookmark's) time, microseconds since the
 *   Unix epoch
 * @transition: "typed", "link", "reload"... (about:history), or %NULL
 */
typedef struct {
  gint64 id;
  const char *url;
  const char *title;
  gint64 time_us;
  const char *transition;
} BhHistoryPageRow;

/**
 * bh_history_page_render:
 * @rows: (array length=n_rows): visits, newest first
 * @n_rows: how many
 * @search: (nullable): the search the rows answer
 * @notice: (nullable): a line at the top ("1 visit deleted.")
 *
 * about:history: the visits grouped by day (local time), each with its time,
 * title, address, transition and a Delete link (`about:history?delete=ID`);
 * a search form (`about:history?q=TEXT`). Every value is escaped.
 *
 * Returns: (transfer full): the page, UTF-8 HTML.
 */
GBytes *bh_history_page_render (const BhHistoryPageRow *rows,
                                guint                   n_rows,
                                const char             *search,
                                const char             *notice);

/**
 * bh_bookmarks_page_render:
 * @rows: (array length=n_rows): bookmarks, newest first
 * @n_rows: how many
 * @notice: (nullable): a line at the top
 *
 * about:bookmarks: each bookmark with its title, address, when it was added,
 * a Rename form (`about:bookmarks?rename=URL&title=TITLE`, the title field
 * holding the current one) and a Remove link (`about:bookmarks?remove=URL`).
 *
 * Returns: (transfer full): the page, UTF-8 HTML.
 */
GBytes *bh_bookmarks_page_render (const BhHistoryPageRow *rows,
                                  guint                   n_rows,
                                  const char             *notice);

G_END_DECLS
