/* bh-tab-interaction.h: what a person does with a tab's page besides
 * navigating: find in page, and the text the page copies.
 *
 * The renderer owns the document, so it finds and selects; the browser owns
 * the clipboard and the find bar. A tab's BhTabInteraction sends the find
 * bar's queries to the tab's renderer (Find, StopFinding) and hands on what
 * comes back, checked by the renderer host already: the counts of FindReply
 * ("find-reply") and the text of SelectionChanged and ClipboardWrite
 * ("clipboard-text"), which the UI puts on the primary selection and the
 * clipboard (GdkClipboard). No widget here.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BH_TYPE_TAB_INTERACTION (bh_tab_interaction_get_type ())
G_DECLARE_FINAL_TYPE (BhTabInteraction, bh_tab_interaction, BH, TAB_INTERACTION, GObject)

/*
 * Signals:
 *   "find-reply"     (guint matches, guint active)
 *                    the answer to the latest bh_tab_interaction_find():
 *                    @matches found (at most BH_MAX_FIND_MATCHES), the
 *                    active one 1..@matches, 0 when there is none ("3 of 17")
 *   "clipboard-text" (char *text, gboolean primary)
 *                    the page selected text (@primary: for the primary
 *                    selection, X11's middle-click paste) or copied it
 *                    (Ctrl+C, for the clipboard); UTF-8
 */

/**
 * bh_tab_interaction_find:
 * @query: what to find, UTF-8; "" clears the highlights
 * @forward: Enter or F3 (next) rather than Shift+Enter or Shift+F3
 * @find_next: step from the active match of the same query, rather than
 *   start again from what is on screen (a new query typed)
 *
 * Asks the tab's renderer to find @query, ignoring case, highlight every
 * match and scroll the active one into view; "find-reply" follows. Does
 * nothing without a renderer.
 */
void bh_tab_interaction_find (BhTabInteraction *interaction, const char *query, gboolean forward,
                              gboolean find_next);

/**
 * bh_tab_interaction_stop_finding:
 *
 * The find bar closed: the highlights go; the active match stays selected.
 */
void bh_tab_interaction_stop_finding (BhTabInteraction *interaction);

G_END_DECLS
