/* bh-location-bar.h: what the address bar knows of the profile: the
 * suggestions popover (history and bookmarks, best first, arrows and
 * Enter), inline completion of the best address, and the bookmark star.
 *
 * Not a widget: it works on the window's GtkEntry, which the window keeps
 * owning; the window tells it when the user edits and when the tab's page
 * changes, and hears from it through @navigate.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-history.h"

G_BEGIN_DECLS

/* At most this many suggestions in the popover, as Chromium's omnibox. */
#define BH_LOCATION_BAR_MAX_SUGGESTIONS 8

typedef struct _BhLocationBar BhLocationBar;

/**
 * BhLocationBarNavigate:
 * @url: the address the user picked (a suggestion, or the completion)
 * @data: the callback's data
 */
typedef void (*BhLocationBarNavigate) (const char *url, gpointer data);

/**
 * bh_location_bar_new:
 * @entry: the address entry; must outlive the location bar
 * @history: the profile's history; must outlive the location bar
 * @navigate: called when the user picks a suggestion
 * @data: for @navigate
 *
 * Adds the popover (a child of @entry), the star (@entry's secondary icon)
 * and the arrow keys' handler to @entry.
 *
 * Returns: (transfer full): for bh_location_bar_free().
 */
BhLocationBar *bh_location_bar_new (GtkEntry             *entry,
                                    BhHistory            *history,
                                    BhLocationBarNavigate navigate,
                                    gpointer              data);

/**
 * bh_location_bar_free:
 * @bar: (nullable) (transfer full)
 *
 * Removes the popover and the handlers from the entry.
 */
void bh_location_bar_free (BhLocationBar *bar);

/**
 * bh_location_bar_text_edited:
 * @bar: the location bar
 *
 * The user changed the entry's text (not the window showing the tab's
 * address): refreshes the suggestions and, when the text grew at its end,
 * completes it inline with the best suggestion whose address (scheme and
 * "www." aside) starts with it, the completion selected so that typing on
 * replaces it.
 */
void bh_location_bar_text_edited (BhLocationBar *bar);

/**
 * bh_location_bar_activate:
 * @bar: the location bar
 *
 * Enter in the entry: a suggestion picked with the arrows, or the inline
 * completion left standing, is navigated to (@navigate) and %TRUE returned;
 * otherwise %FALSE, and the window navigates to the text as typed. Hides
 * the popover either way.
 */
gboolean bh_location_bar_activate (BhLocationBar *bar);

/**
 * bh_location_bar_hide:
 * @bar: the location bar
 *
 * Hides the suggestions (Escape, a click in the page, a tab switch).
 */
void bh_location_bar_hide (BhLocationBar *bar);

/**
 * bh_location_bar_set_page:
 * @bar: the location bar
 * @url: (nullable): the current tab's committed address
 * @title: (nullable): its title
 *
 * The page the star is for: filled when @url is bookmarked.
 */
void bh_location_bar_set_page (BhLocationBar *bar,
                               const char    *url,
                               const char    *title);

/**
 * bh_location_bar_toggle_bookmark:
 * @bar: the location bar
 *
 * Ctrl+D and a click on the star: bookmarks the page (with its title) or
 * removes its bookmark. Does nothing for pages that are not http, https or
 * file.
 *
 * Returns: whether the page is bookmarked now.
 */
gboolean bh_location_bar_toggle_bookmark (BhLocationBar *bar);

/**
 * bh_location_bar_get_suggestions:
 * @bar: the location bar
 *
 * For tests and accessibility.
 *
 * Returns: (transfer none): the suggestions shown, a #GtkStringList of
 *   their URLs, best first; empty while the popover is hidden.
 */
GListModel *bh_location_bar_get_suggestions (BhLocationBar *bar);

/**
 * bh_location_bar_get_suggestion_favicon:
 * @bar: the location bar
 * @index: a suggestion shown, from 0
 *
 * For tests and accessibility.
 *
 * Returns: (transfer none) (nullable): the favicon the suggestion's row
 *   shows (the profile's for its page), %NULL when it shows an icon of the
 *   theme instead (a star, the history's clock) or there is no such row.
 */
GdkPaintable *bh_location_bar_get_suggestion_favicon (BhLocationBar *bar,
                                                      guint          index);

/**
 * bh_location_bar_move_selection:
 * @bar: the location bar
 * @step: +1 for Down, -1 for Up
 *
 * What the arrow keys do while the popover shows: selects the next or
 * previous suggestion and shows its address in the entry.
 *
 * Returns: whether the popover was showing (the key was used).
 */
gboolean bh_location_bar_move_selection (BhLocationBar *bar,
                                         int            step);

G_END_DECLS
