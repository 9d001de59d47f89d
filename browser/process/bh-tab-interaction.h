/* bh-tab-interaction.h: what a person does with a tab's page besides
 * navigating: find in page, and the text the page copies.
 *
 * The renderer owns the document, so it finds and selects; the browser owns
 * the clipboard and the find bar. A tab's BhTabInteraction sends the find
 * bar's queries to the tab's renderer (Find, StopFinding) and hands on what
 * comes back, checked by the renderer host already: the counts of FindReply
 * ("find-reply") and the text of SelectionChanged and ClipboardWrite
 * ("clipboard-text"), which the UI puts on the primary selection and the
 * clipboard (GdkClipboard). A <select>'s options ("show-popup-menu", answered
 * with bh_tab_interaction_popup_menu_closed()), what a right-click is on
 * ("context-menu") and the title= under the pointer ("tooltip") come the
 * same way, for the UI's popover, menu and tooltip. No widget here.
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
 *   "show-popup-menu" (guint popup_id, int x, int y, int width, int height,
 *                    int selected, GStrv labels, gpointer enabled)
 *                    a <select> was clicked: show @labels (UTF-8, at most
 *                    BH_MAX_POPUP_ITEMS) below its box at (@x, @y) @width x
 *                    @height viewport device px, @selected (-1 for none)
 *                    marked; @enabled is a const gboolean * with one per
 *                    label, valid during the emission; answer with
 *                    bh_tab_interaction_popup_menu_closed()
 *   "context-menu"   (int x, int y, char *link_url, char *image_url,
 *                    char *selection, gboolean editable)
 *                    a right-click at (@x, @y) viewport device px, on a
 *                    link and an image (absolute URLs, or ""), with the
 *                    page's selection ("" for none), on a field or not
 *
 *
 * Properties:
 *   "tooltip"        (char *) the title= under the pointer, "" for none
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

/**
 * bh_tab_interaction_popup_menu_closed:
 * @popup_id: from "show-popup-menu"
 * @index: the option chosen, -1 when the popup was dismissed
 *
 * Sends the choice to the tab's renderer (PopupMenuClosed); the <select>
 * takes it. One for a renderer the tab has left is dropped there.
 */
void bh_tab_interaction_popup_menu_closed (BhTabInteraction *interaction, guint32 popup_id, int index);

/**
 * bh_tab_interaction_select_all:
 *
 * The context menu's Select all: the renderer selects the whole page
 * (ExecuteEditCommand "SelectAll") and reports the primary selection.
 */
void bh_tab_interaction_select_all (BhTabInteraction *interaction);

/**
 * bh_tab_interaction_delete_selection:
 *
 * The context menu's Cut, once the browser has put the text on the
 * clipboard: the focused field removes its selected text (ExecuteEditCommand
 * "Delete", Chromium's edit command of that name).
 */
void bh_tab_interaction_delete_selection (BhTabInteraction *interaction);

/**
 * bh_tab_interaction_insert_text:
 * @text: UTF-8: what the clipboard held
 *
 * Paste: the tab's renderer types @text into its focused field (InsertText),
 * the first BH_MAX_SELECTION_BYTES of it, cut at a character.
 */
void bh_tab_interaction_insert_text (BhTabInteraction *interaction, const char *text);

/**
 * bh_tab_interaction_get_tooltip:
 *
 * Returns: (transfer none): the title= under the pointer, "" for none.
 */
const char *bh_tab_interaction_get_tooltip (BhTabInteraction *interaction);

G_END_DECLS
