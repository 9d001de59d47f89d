/* bh-interaction.c: selection, Copy, find, fragments and restored scroll
 * positions, forms' drop-downs, the context menu's question and tooltips,
 * for one view (bh-interaction.h). */
#include "bh-interaction.h"

#include <string.h>
#include <unistd.h>

#include "bh-message.h"

/* X keysyms and GDK modifier bits, as the browser sends them. */
#define KEY_a 0x061
#define KEY_A 0x041
#define KEY_c 0x063
#define KEY_C 0x043
#define KEY_x 0x078
#define KEY_X 0x058
#define KEY_Insert 0xff63
#define MOD_SHIFT (1u << 0)   /* GDK_SHIFT_MASK */
#define MOD_CONTROL (1u << 2) /* GDK_CONTROL_MASK */

/* Presses closer than this in time and space count as one double or triple
 * click (GTK's gtk-double-click-time and -distance defaults, 400 ms and 5 px,
 * with a margin for a loaded machine). */
#define MULTI_CLICK_US (500 * 1000)
#define MULTI_CLICK_PX 5.0

struct _BhInteraction {
  BhChannel *channel; /* not a reference: the renderer's one channel */
  guint32 view_id;
  BhSubmitFilter submit_filter;
  gpointer submit_filter_data;
  gboolean on_control; /* the button-1 press was on a form control */
  gboolean in_field;   /* ... in a text field: a drag selects inside it */

  /* the button-1 gesture */
  gboolean selecting;
  gboolean dragged;
  guint click_count;
  gint64 last_press_us;
  double last_press_x, last_press_y;

  /* where a new document should scroll once laid out */
  guint64 navigation_id;
  char *fragment;      /* the committed URL's fragment, decoded; NULL for none */
  gboolean restore;    /* a history step: restore_y rather than the fragment */
  int restore_y;
  gboolean scroll_pending;

  char *find_query;

  /* the viewport, for what the browser places on screen (popups, menus) */
  double scroll_x, scroll_y; /* document px */
  double scale;              /* device px per document px */

  char *tooltip;             /* the title last sent with TooltipChanged; NULL for none */
};

/**
 * bh_interaction_new:
 * @channel: (transfer none): the renderer's channel to the browser, which
 *   must outlive the interaction
 * @view_id: the view it belongs to
 *
 * Returns: (transfer full): the view's interaction state.
 */
BhInteraction *
bh_interaction_new (BhChannel *channel, guint32 view_id)
{
  BhInteraction *ia = g_new0 (BhInteraction, 1);

  ia->channel = channel;
  ia->view_id = view_id;
  ia->scale = 1;
  return ia;
}

/**
 * bh_interaction_free:
 * @ia: (nullable): what bh_interaction_new() made
 */
void
bh_interaction_free (BhInteraction *ia)
{
  if (ia == NULL)
    return;
  g_free (ia->fragment);
  g_free (ia->find_query);
  g_free (ia->tooltip);
  g_free (ia);
}

/**
 * bh_interaction_set_viewport:
 * @scroll_x_px: the view's horizontal scroll position, document px
 * @scroll_y_px: its vertical one, document px
 * @scale: device px per document px (zoom and the screen's scale)
 *
 * Where the view is, so that what the browser shows over the page (a
 * drop-down, the context menu) is placed in viewport device px.
 */
void
bh_interaction_set_viewport (BhInteraction *ia, double scroll_x_px, double scroll_y_px, double scale)
{
  ia->scroll_x = scroll_x_px;
  ia->scroll_y = scroll_y_px;
  ia->scale = scale > 0 ? scale : 1;
}

static int
to_viewport (double document_px, double scroll_px, double scale)
{
  return (int) CLAMP ((document_px - scroll_px) * scale, -1e6, 1e6);
}

/* A URL's fragment, percent-decoded when that gives UTF-8 (HTML's "decoded
 * fragment" tried first), else as written; NULL when it has none. */
static char *
fragment_of (const char *url)
{
  const char *hash = strchr (url, '#');
  g_autofree char *decoded = NULL;

  if (hash == NULL)
    return NULL;
  decoded = g_uri_unescape_string (hash + 1, NULL);
  if (decoded != NULL && g_utf8_validate (decoded, -1, NULL))
    return g_steal_pointer (&decoded);
  return g_strdup (hash + 1);
}

/**
 * bh_interaction_did_commit:
 * @navigation_id: the navigation just committed
 * @url: its URL; a fragment in it is scrolled to once laid out
 *
 * A new document: the gesture, the find and the pending scroll start over.
 */
void
bh_interaction_did_commit (BhInteraction *ia, guint64 navigation_id, const char *url)
{
  ia->selecting = FALSE;
  ia->click_count = 0;
  ia->navigation_id = navigation_id;
  g_free (ia->fragment);
  ia->fragment = fragment_of (url);
  ia->restore = FALSE;
  ia->scroll_pending = ia->fragment != NULL;
  g_clear_pointer (&ia->find_query, g_free);
}

/**
 * bh_interaction_restore_scroll:
 * @navigation_id: the navigation it is for: a later one makes it moot
 * @y_px: the scroll position the history entry had, document px
 *
 * A history step to another document: once laid out, it goes back to where
 * the user left it, rather than to its fragment (as browsers do).
 */
void
bh_interaction_restore_scroll (BhInteraction *ia, guint64 navigation_id, int y_px)
{
  if (navigation_id != ia->navigation_id || y_px < 0)
    return;
  ia->restore = TRUE;
  ia->restore_y = y_px;
  ia->scroll_pending = TRUE;
}

/**
 * bh_interaction_scroll_wanted:
 * @doc: the view's document, just laid out
 * @y_px: (out): where to scroll, document px
 *
 * Called after each layout while the document loads: the target moves as
 * images arrive, so it is scrolled to again until the load finishes or the
 * user scrolls.
 *
 * Returns: %TRUE when the view should scroll to @y_px.
 */
gboolean
bh_interaction_scroll_wanted (BhInteraction *ia, BhDocument *doc, int *y_px)
{
  if (!ia->scroll_pending || doc == NULL)
    return FALSE;
  if (ia->restore)
    {
      *y_px = ia->restore_y;
      return TRUE;
    }
  return ia->fragment != NULL && bh_document_get_fragment_y (doc, ia->fragment, y_px);
}

/**
 * bh_interaction_load_finished:
 *
 * The document is whole: the scroll position is the user's from now on.
 */
void
bh_interaction_load_finished (BhInteraction *ia)
{
  ia->scroll_pending = FALSE;
}

/**
 * bh_interaction_user_scrolled:
 *
 * The user scrolled: a pending fragment or restore no longer applies.
 */
void
bh_interaction_user_scrolled (BhInteraction *ia)
{
  ia->scroll_pending = FALSE;
}

/**
 * bh_interaction_same_document:
 * @doc: (nullable): the view's document
 * @url: the history entry's URL, the same document with another fragment
 * @y_px: the entry's scroll position, or -1 to scroll to @url's fragment
 * @result: (out caller-allocates): where to scroll
 *
 * CommitSameDocumentNavigation: HTML's "navigate to a fragment", or a history
 * step between entries of the document on screen. A fragment with no target
 * leaves the scroll position as it is.
 */
void
bh_interaction_same_document (BhInteraction *ia, BhDocument *doc, const char *url, int y_px,
                              BhInteractionResult *result)
{
  g_autofree char *fragment = fragment_of (url);

  ia->scroll_pending = FALSE;
  memset (result, 0, sizeof *result);
  if (y_px >= 0)
    {
      result->scroll = TRUE;
      result->scroll_y = y_px;
    }
  else if (doc != NULL && bh_document_get_fragment_y (doc, fragment != NULL ? fragment : "", &result->scroll_y))
    result->scroll = TRUE;
}

void
bh_interaction_set_submit_filter (BhInteraction *ia, BhSubmitFilter filter, gpointer data)
{
  ia->submit_filter = filter;
  ia->submit_filter_data = data;
}

static void
send (BhInteraction *ia, BhDocument *doc, gboolean filtered)
{
  g_autoptr (BhFormSubmission) s = bh_document_take_form_submission (doc);
  gsize len;
  const guint8 *body;

  if (s == NULL)
    return;
  if (filtered && ia->submit_filter != NULL && !ia->submit_filter (ia->submit_filter_data, s->form))
    return;
  body = g_bytes_get_data (s->body, &len);
  if (len > BH_MAX_FORM_BODY_BYTES)
    {
      g_printerr ("renderer[%d]: a form of %" G_GSIZE_FORMAT " bytes is not submitted (at most %u)\n", getpid (), len,
                  BH_MAX_FORM_BODY_BYTES);
      return;
    }
  bh_channel_send (ia->channel, BH_MSG_SubmitForm,
                   g_variant_new ("(usss@ay)", ia->view_id, s->url, s->method, s->content_type,
                                  g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, body, len, 1)),
                   NULL, 0);
}

/* A form the click or key submitted: the page's submit event may keep it; the
 * browser builds the request. */
static void
send_submission (BhInteraction *ia, BhDocument *doc)
{
  send (ia, doc, TRUE);
}

void
bh_interaction_send_submission (BhInteraction *ia, BhDocument *doc)
{
  send (ia, doc, FALSE);
}

/* A <select> asked for its drop-down: the browser shows the options. */
static void
send_popup (BhInteraction *ia, BhDocument *doc)
{
  g_autoptr (BhFormPopup) popup = bh_document_take_form_popup (doc);
  GVariantBuilder items;

  if (popup == NULL)
    return;
  g_variant_builder_init (&items, G_VARIANT_TYPE ("a(sb)"));
  for (guint i = 0; i < popup->labels->len && i < BH_MAX_POPUP_ITEMS; i++)
    {
      const char *label = popup->labels->pdata[i];
      g_autofree char *cut = NULL;

      if (strlen (label) > BH_MAX_POPUP_LABEL_BYTES)
        {
          /* Cut at a character boundary within the budget. */
          const char *end = g_utf8_find_prev_char (label, label + BH_MAX_POPUP_LABEL_BYTES + 1);
          label = cut = g_strndup (label, end != NULL ? (gsize) (end - label) : 0);
        }
      g_variant_builder_add (&items, "(sb)", label, g_array_index (popup->enabled, gboolean, i));
    }
  bh_channel_send (ia->channel, BH_MSG_ShowPopupMenu,
                   g_variant_new ("(uuiiiiia(sb))", ia->view_id, popup->id,
                                  to_viewport (popup->x, ia->scroll_x, ia->scale),
                                  to_viewport (popup->y, ia->scroll_y, ia->scale),
                                  (int) CLAMP (popup->width * ia->scale, 0, 1e6),
                                  (int) CLAMP (popup->height * ia->scale, 0, 1e6),
                                  popup->selected < (int) BH_MAX_POPUP_ITEMS ? popup->selected : -1, &items),
                   NULL, 0);
}

/**
 * bh_interaction_popup_closed:
 * @doc: (nullable): the view's document
 * @popup_id: the ShowPopupMenu it answers
 * @index: the option chosen, -1 when dismissed
 * @result: (out caller-allocates): what the view must do
 *
 * PopupMenuClosed: the <select> takes the option chosen.
 */
void
bh_interaction_popup_closed (BhInteraction *ia, BhDocument *doc, guint32 popup_id, int index,
                             BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  if (doc != NULL && bh_document_form_popup_chosen (doc, popup_id, index))
    result->repaint = TRUE;
}

/* What the pointer is on, for the browser's context menu (Chromium's
 * ShowContextMenu): the link, the image, the selection, an editable field. */
static void
send_context_menu (BhInteraction *ia, BhDocument *doc, double x_px, double doc_y_px)
{
  const char *link = bh_document_link_at (doc, x_px, doc_y_px);
  g_autofree char *image = bh_document_image_at (doc, x_px, doc_y_px);
  g_autofree char *selection = NULL;

  /* In a field, the focused field's selection is what Copy and Cut would
   * take (a password's none); the page's is not the field's. */
  if (bh_document_editable_at (doc, x_px, doc_y_px))
    bh_document_form_copy (doc, FALSE, &selection, BH_MAX_SELECTION_BYTES);
  else if (bh_document_has_selection (doc))
    selection = bh_document_get_selected_text (doc, BH_MAX_SELECTION_BYTES);
  if (selection == NULL)
    selection = g_strdup ("");

  if (link == NULL || strlen (link) > BH_MAX_CONTEXT_MENU_URL_BYTES)
    link = "";
  if (image == NULL || strlen (image) > BH_MAX_CONTEXT_MENU_URL_BYTES)
    {
      g_free (image);
      image = g_strdup ("");
    }
  bh_channel_send (ia->channel, BH_MSG_ShowContextMenu,
                   g_variant_new ("(uiisssb)", ia->view_id, to_viewport (x_px, ia->scroll_x, ia->scale),
                                  to_viewport (doc_y_px, ia->scroll_y, ia->scale), link, image, selection,
                                  bh_document_editable_at (doc, x_px, doc_y_px)),
                   NULL, 0);
}

/* The pointer moved: a new title= under it is the browser's tooltip. */
static void
update_tooltip (BhInteraction *ia, BhDocument *doc, double x_px, double doc_y_px)
{
  /* The browser's "leave" is a move to (-1, -1) of the viewport. */
  gboolean outside = x_px < ia->scroll_x && doc_y_px < ia->scroll_y;
  const char *title = outside ? NULL : bh_document_title_at (doc, x_px, doc_y_px);
  g_autofree char *cut = NULL;

  if (title != NULL && g_utf8_strlen (title, -1) > BH_MAX_TOOLTIP_CHARS)
    title = cut = g_utf8_substring (title, 0, BH_MAX_TOOLTIP_CHARS);
  if (g_strcmp0 (title, ia->tooltip) == 0)
    return;
  g_free (ia->tooltip);
  ia->tooltip = g_strdup (title);
  bh_channel_send (ia->channel, BH_MSG_TooltipChanged, g_variant_new ("(us)", ia->view_id, title != NULL ? title : ""),
                   NULL, 0);
}

static void
send_text (BhInteraction *ia, BhMessageType type, const char *text)
{
  bh_channel_send (ia->channel, type, g_variant_new ("(us)", ia->view_id, text), NULL, 0);
}

static void
send_selection (BhInteraction *ia, BhDocument *doc, BhMessageType type)
{
  g_autofree char *text = bh_document_get_selected_text (doc, BH_MAX_SELECTION_BYTES);

  send_text (ia, type, text);
}

/* The focused field's selection is the primary selection, as GTK's entries
 * make theirs (a password's is not). */
static void
send_field_selection (BhInteraction *ia, BhDocument *doc)
{
  g_autofree char *text = NULL;

  if (bh_document_form_copy (doc, FALSE, &text, BH_MAX_SELECTION_BYTES) && text != NULL)
    send_text (ia, BH_MSG_SelectionChanged, text);
}

/**
 * bh_interaction_mouse:
 * @doc: (nullable): the view's document
 * @kind: 0 move, 1 press, 2 release (MouseEvent)
 * @x_px: the pointer, document px
 * @doc_y_px: the pointer, document px (scroll included)
 * @button: the button pressed or released
 * @modifiers: GdkModifierType
 * @result: (out caller-allocates): what the view must do
 *
 * Button 1 selects: a press puts a caret (Shift extends the selection), a
 * second and third quick press select the word and the paragraph, a drag
 * extends. The primary selection goes to the browser at the release. In a
 * text field the same gestures select inside the field.
 *
 * Returns: %TRUE when the gesture selected text, so the release must not
 *   also follow a link under it.
 */
gboolean
bh_interaction_mouse (BhInteraction *ia, BhDocument *doc, guint kind, double x_px, double doc_y_px, guint button,
                      guint modifiers, BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  if (doc == NULL)
    return FALSE;
  if (kind == 0)
    update_tooltip (ia, doc, x_px, doc_y_px);
  if (kind == 1 && button == 3)
    {
      /* A right press asks for the context menu, as GTK applications open
       * it (on the press, not the release). */
      send_context_menu (ia, doc, x_px, doc_y_px);
      return FALSE;
    }
  if (kind == 1 && button == 1)
    {
      gint64 now = g_get_monotonic_time ();
      gboolean had = bh_document_has_selection (doc);
      gboolean had_focus = bh_document_has_focused_control (doc);
      guint start, end;

      if (now - ia->last_press_us <= MULTI_CLICK_US && ABS (x_px - ia->last_press_x) <= MULTI_CLICK_PX &&
          ABS (doc_y_px - ia->last_press_y) <= MULTI_CLICK_PX)
        ia->click_count++;
      else
        ia->click_count = 1;
      ia->last_press_us = now;
      ia->last_press_x = x_px;
      ia->last_press_y = doc_y_px;

      /* A form control takes the press: focus, a toggle, a submission; in
       * a text field the caret, a word (double-click) or all (triple). */
      ia->on_control = bh_document_form_click (doc, x_px, doc_y_px);
      if (ia->on_control || had_focus)
        result->repaint = TRUE;
      if (ia->on_control)
        {
          ia->selecting = FALSE;
          ia->in_field = bh_document_form_get_selection (doc, &start, &end);
          if (ia->in_field && ia->click_count == 2)
            bh_document_form_select_word (doc, x_px, doc_y_px);
          else if (ia->in_field && ia->click_count >= 3)
            bh_document_form_select_all (doc);
          send_submission (ia, doc);
          send_popup (ia, doc);
          return FALSE;
        }
      ia->selecting = TRUE;
      ia->dragged = FALSE;
      if ((modifiers & MOD_SHIFT) && ia->click_count == 1)
        bh_document_select_at (doc, x_px, doc_y_px, BH_SELECT_CARET, TRUE);
      else
        bh_document_select_at (doc, x_px, doc_y_px,
                               ia->click_count == 1 ? BH_SELECT_CARET :
                               ia->click_count == 2 ? BH_SELECT_WORD : BH_SELECT_PARAGRAPH,
                               FALSE);
      result->repaint = result->repaint || had || bh_document_has_selection (doc);
      return FALSE;
    }
  if (kind == 0 && ia->on_control && ia->in_field && ia->click_count == 1)
    {
      result->repaint = bh_document_form_drag_to (doc, x_px, doc_y_px);
      return FALSE;
    }
  if (kind == 2 && button == 1 && ia->on_control)
    {
      ia->on_control = FALSE;
      if (ia->in_field)
        send_field_selection (ia, doc);
      ia->in_field = FALSE;
      return TRUE;
    }
  if (kind == 0 && ia->selecting && ia->click_count == 1)
    {
      gboolean had = bh_document_has_selection (doc);

      bh_document_select_at (doc, x_px, doc_y_px, BH_SELECT_CARET, TRUE);
      if (had || bh_document_has_selection (doc))
        {
          ia->dragged = TRUE;
          result->repaint = TRUE;
        }
      return FALSE;
    }
  if (kind == 2 && button == 1 && ia->selecting)
    {
      ia->selecting = FALSE;
      if (!bh_document_has_selection (doc))
        return FALSE;
      send_selection (ia, doc, BH_MSG_SelectionChanged);
      return ia->dragged || ia->click_count > 1 || (modifiers & MOD_SHIFT);
    }
  return FALSE;
}

/**
 * bh_interaction_key:
 * @doc: (nullable): the view's document
 * @keyval: an X keysym
 * @modifiers: GdkModifierType
 * @result: (out caller-allocates): what the view must do
 *
 * Ctrl+A selects everything; Ctrl+C (and Ctrl+Insert) sends the selection to
 * the browser for the clipboard, which it takes only with the user
 * activation this very key gave. While a text field has the focus these are
 * the field's: Ctrl+A selects its text, Ctrl+C copies its selection and
 * Ctrl+X cuts it (nothing from a password field, as browsers do).
 *
 * Returns: %TRUE when the key was one of those.
 */
gboolean
bh_interaction_key (BhInteraction *ia, BhDocument *doc, guint keyval, guint modifiers,
                    BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  /* A key between two presses makes the second a click of its own, not a
   * double-click (automation clicks, types and clicks again at once). */
  ia->click_count = 0;
  ia->last_press_us = 0;
  /* The focused field's first: typing, its caret, Tab, Enter. */
  if (doc != NULL && bh_document_form_key (doc, keyval, modifiers))
    {
      result->repaint = TRUE;
      send_submission (ia, doc);
      send_popup (ia, doc);
      return TRUE;
    }
  if (doc == NULL || (modifiers & MOD_CONTROL) == 0)
    return FALSE;
  if ((keyval == KEY_a || keyval == KEY_A) && bh_document_form_select_all (doc))
    {
      result->repaint = TRUE;
      send_field_selection (ia, doc);
      return TRUE;
    }
  if (keyval == KEY_c || keyval == KEY_C || keyval == KEY_Insert || keyval == KEY_x || keyval == KEY_X)
    {
      g_autofree char *text = NULL;
      gboolean cut = keyval == KEY_x || keyval == KEY_X;

      if (bh_document_form_copy (doc, cut, &text, BH_MAX_SELECTION_BYTES))
        {
          if (text != NULL)
            send_text (ia, BH_MSG_ClipboardWrite, text);
          result->repaint = cut;
          return TRUE;
        }
      if (cut)
        return FALSE;
    }
  if (keyval == KEY_a || keyval == KEY_A)
    {
      bh_document_select_all (doc);
      result->repaint = TRUE;
      if (bh_document_has_selection (doc))
        send_selection (ia, doc, BH_MSG_SelectionChanged);
      return TRUE;
    }
  if (keyval == KEY_c || keyval == KEY_C || keyval == KEY_Insert)
    {
      if (bh_document_has_selection (doc))
        send_selection (ia, doc, BH_MSG_ClipboardWrite);
      return TRUE;
    }
  return FALSE;
}

/**
 * bh_interaction_edit_command:
 * @doc: (nullable): the view's document
 * @command: ExecuteEditCommand's: "SelectAll" (the context menu's Select all)
 *   or "Delete" (its Cut: the focused field's selection goes)
 * @result: (out caller-allocates): what the view must do
 *
 * A command of the browser's menus for the page; an unknown one does nothing.
 */
void
bh_interaction_edit_command (BhInteraction *ia, BhDocument *doc, const char *command, BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  if (doc != NULL && g_strcmp0 (command, "Delete") == 0)
    {
      g_autofree char *text = NULL;

      /* The browser put the text on the clipboard (the menu's Cut). */
      result->repaint = bh_document_form_copy (doc, TRUE, &text, G_MAXSIZE) && text != NULL;
      return;
    }
  if (doc == NULL || g_strcmp0 (command, "SelectAll") != 0)
    return;
  bh_document_select_all (doc);
  result->repaint = TRUE;
  if (bh_document_has_selection (doc))
    send_selection (ia, doc, BH_MSG_SelectionChanged);
}

/**
 * bh_interaction_insert_text:
 * @doc: (nullable): the view's document
 * @text: InsertText's: what the browser's clipboard held
 * @result: (out caller-allocates): what the view must do
 *
 * Paste: the focused field takes @text at its caret; without one, nothing.
 */
void
bh_interaction_insert_text (BhInteraction *ia, BhDocument *doc, const char *text, BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  if (doc != NULL && bh_document_form_insert_text (doc, text))
    result->repaint = TRUE;
}

/**
 * bh_interaction_find:
 * @doc: (nullable): the view's document
 * @request_id: the browser's, echoed in FindReply
 * @query: what to find
 * @forward: the direction of a step
 * @find_next: step to the next match of the query last found, rather than
 *   find it again
 * @scroll_y_px: the view's scroll position, document px
 * @viewport_height_px: the view's height, document px
 * @result: (out caller-allocates): what the view must do
 *
 * Finds, highlights every match, makes one active (the first on screen or
 * below, or the next one) and scrolls it into view; answers FindReply with
 * the count and which one is active.
 */
void
bh_interaction_find (BhInteraction *ia, BhDocument *doc, guint32 request_id, const char *query, gboolean forward,
                     gboolean find_next, int scroll_y_px, int viewport_height_px, BhInteractionResult *result)
{
  guint count = 0, active = 0;
  int y, h;

  memset (result, 0, sizeof *result);
  if (doc != NULL)
    {
      /* A new query, or the document was parsed again since (it streams). */
      if (!find_next || g_strcmp0 (query, ia->find_query) != 0 || !bh_document_is_finding (doc))
        {
          g_free (ia->find_query);
          ia->find_query = g_strdup (query);
          bh_document_find (doc, query, BH_MAX_FIND_MATCHES);
          find_next = FALSE;
        }
      count = bh_document_get_find_match_count (doc);
      active = bh_document_find_step (doc, forward, find_next ? 0 : scroll_y_px);
      result->repaint = TRUE;
      if (bh_document_get_find_active_rect (doc, &y, &h) &&
          (y < scroll_y_px || y + h > scroll_y_px + viewport_height_px))
        {
          /* Into view a third of the way down, as Chromium puts it. */
          result->scroll = TRUE;
          result->scroll_y = MAX (0, y - viewport_height_px / 3);
        }
    }
  bh_channel_send (ia->channel, BH_MSG_FindReply, g_variant_new ("(uuuu)", ia->view_id, request_id, count, active),
                   NULL, 0);
}

/**
 * bh_interaction_stop_finding:
 * @doc: (nullable): the view's document
 * @result: (out caller-allocates): what the view must do
 *
 * The find bar closed: the highlights go; the active match stays selected.
 */
void
bh_interaction_stop_finding (BhInteraction *ia, BhDocument *doc, BhInteractionResult *result)
{
  memset (result, 0, sizeof *result);
  g_clear_pointer (&ia->find_query, g_free);
  if (doc == NULL)
    return;
  bh_document_stop_finding (doc);
  result->repaint = TRUE;
}
