/* bh-history-page.c: about:history and about:bookmarks. */
#include "bh-history-page.h"

#include <string.h>

static const char page_head[] =
  "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n"
  "body { font-family: sans-serif; margin: 1.5em 3em; color: #222; background: #fafafa; }\n"
  "h1 { color: #1a4d7a; }\n"
  "h2 { font-size: 1.05em; color: #555; border-bottom: 1px solid #ccc; margin-top: 1.4em; }\n"
  "table { border-collapse: collapse; width: 100%%; }\n"
  "td { padding: 0.2em 0.6em; vertical-align: top; }\n"
  "td.time { color: #666; width: 4em; }\n"
  "td.kind { color: #888; width: 5em; }\n"
  "td.url { color: #1a7a3a; }\n"
  "p.notice { background: #eef6ee; border: 1px solid #9c9; padding: 0.4em 0.8em; }\n"
  "p.empty { color: #666; }\n"
  "</style>\n</head>\n<body>\n<h1>%s</h1>\n";

static void
append_escaped (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

/* @text for a query string: everything but unreserved characters escaped. */
static void
append_query_value (GString *out, const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);

  append_escaped (out, escaped);
}

static void
append_notice (GString *out, const char *notice)
{
  if (notice == NULL)
    return;
  g_string_append (out, "<p class=\"notice\">");
  append_escaped (out, notice);
  g_string_append (out, "</p>\n");
}

static void
append_title_link (GString *out, const BhHistoryPageRow *row)
{
  g_string_append (out, "<td><a href=\"");
  append_escaped (out, row->url);
  g_string_append (out, "\">");
  append_escaped (out, row->title != NULL && *row->title != '\0' ? row->title : row->url);
  g_string_append (out, "</a></td><td class=\"url\">");
  append_escaped (out, row->url);
  g_string_append (out, "</td>");
}

GBytes *
bh_history_page_render (const BhHistoryPageRow *rows,
                        guint                   n_rows,
                        const char             *search,
                        const char             *notice)
{
  GString *out = g_string_new (NULL);
  g_autofree char *day = NULL;
  gsize len;

  g_string_append_printf (out, page_head, "History", "History");
  append_notice (out, notice);
  g_string_append (out, "<form action=\"about:history\" method=\"get\"><p>Search history: "
                        "<input type=\"text\" name=\"q\" value=\"");
  append_escaped (out, search);
  g_string_append (out, "\"> <input type=\"submit\" value=\"Search\"></p></form>\n");
  if (search != NULL && *search != '\0')
    {
      g_string_append (out, "<p>Visits whose address or title holds “");
      append_escaped (out, search);
      g_string_append (out, "”. <a href=\"about:history\">Show all</a></p>\n");
    }
  if (n_rows == 0)
    g_string_append (out, "<p class=\"empty\">No visits.</p>\n");

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (rows[i].time_us / G_USEC_PER_SEC);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *this_day = local != NULL ? g_date_time_format (local, "%A %-d %B %Y") : g_strdup ("?");
      g_autofree char *time = local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup ("");

      if (g_strcmp0 (day, this_day) != 0)
        {
          if (day != NULL)
            g_string_append (out, "</table>\n");
          g_string_append (out, "<h2>");
          append_escaped (out, this_day);
          g_string_append (out, "</h2>\n<table>\n");
          g_free (day);
          day = g_steal_pointer (&this_day);
        }
      g_string_append (out, "<tr><td class=\"time\">");
      append_escaped (out, time);
      g_string_append (out, "</td>");
      append_title_link (out, &rows[i]);
      g_string_append (out, "<td class=\"kind\">");
      append_escaped (out, rows[i].transition);
      g_string_append_printf (out, "</td><td><a href=\"about:history?delete=%" G_GINT64_FORMAT, rows[i].id);
      if (search != NULL && *search != '\0')
        {
          g_string_append (out, "&amp;q=");
          append_query_value (out, search);
        }
      g_string_append (out, "\">Delete</a></td></tr>\n");
    }
  if (day != NULL)
    g_string_append (out, "</table>\n");
  g_string_append (out, "</body>\n</html>\n");

  len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), len);
}

GBytes *
bh_bookmarks_page_render (const BhHistoryPageRow *rows,
                          guint                   n_rows,
                          const char             *notice)
{
  GString *out = g_string_new (NULL);
  gsize len;

  g_string_append_printf (out, page_head, "Bookmarks", "Bookmarks");
  append_notice (out, notice);
  if (n_rows == 0)
    g_string_append (out, "<p class=\"empty\">No bookmarks yet: press Ctrl+D, or the star in the "
                          "address bar, to bookmark a page.</p>\n");
  else
    g_string_append (out, "<table>\n");
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (rows[i].time_us / G_USEC_PER_SEC);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *added = local != NULL ? g_date_time_format (local, "%-d %b %Y") : g_strdup ("");

      g_string_append (out, "<tr>");
      append_title_link (out, &rows[i]);
      g_string_append (out, "<td class=\"time\">");
      append_escaped (out, added);
      /* Renaming, as Chromium's bookmark manager's Edit does, in place. */
      g_string_append (out, "</td><td><form action=\"about:bookmarks\" method=\"get\">"
                            "<input type=\"hidden\" name=\"rename\" value=\"");
      append_escaped (out, rows[i].url);
      g_string_append (out, "\"><input type=\"text\" name=\"title\" value=\"");
      append_escaped (out, rows[i].title);
      g_string_append (out, "\"> <input type=\"submit\" value=\"Rename\"></form></td>"
                            "<td><a href=\"about:bookmarks?remove=");
      append_query_value (out, rows[i].url);
      g_string_append (out, "\">Remove</a></td></tr>\n");
    }
  if (n_rows > 0)
    g_string_append (out, "</table>\n");
  g_string_append (out, "</body>\n</html>\n");

  len = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), len);
}
