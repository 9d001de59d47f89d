/* bh-forms-edit.c: the selection inside a text field or <textarea>, as
 * Chromium's and GTK's entries have one: its ends are the control's anchor
 * and caret (byte offsets into its value, bh-forms-private.h). The keys that
 * extend it are bh_document_form_key()'s (bh-forms.c); here are the pointer's
 * (a drag, a double-click's word), Select all, and what Copy and Cut take.
 * The page's own selection (bh-selection.c) is another: a field's text is not
 * part of it, as in browsers.
 */
#include "bh-forms-private.h"

#include <pango/pangocairo.h>
#include <string.h>

void
bh_forms_selection_bounds (const BhFormControl *control, guint *start, guint *end)
{
  guint anchor = MIN (control->anchor, (guint) control->value->len);
  guint caret = MIN (control->caret, (guint) control->value->len);

  *start = MIN (anchor, caret);
  *end = MAX (anchor, caret);
}

gboolean
bh_forms_delete_selection (BhFormControl *control)
{
  guint start, end;

  bh_forms_selection_bounds (control, &start, &end);
  control->caret = control->anchor = start;
  if (start == end)
    return FALSE;
  g_string_erase (control->value, start, end - start);
  return TRUE;
}

guint
bh_forms_index_at (BhDocument *doc, BhFormControl *control, double x_px, double y_px)
{
  g_autoptr (PangoLayout) layout = NULL;
  double x, y, scroll = 0, top = 0;
  int index, trailing;
  const char *text;
  guint at, len;

  if (!bh_forms_object_rect (control->object, &x, &y))
    return control->caret;
  if (control->kind == CONTROL_TEXTAREA)
    {
      layout = bh_forms_textarea_layout (doc, control);
      top = y + 3 - control->scroll_y;
    }
  else
    {
      PangoRectangle logical;

      layout = bh_forms_line_layout (doc, control, &scroll);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      top = y + (control->object->h - logical.height) / 2;
    }
  pango_layout_xy_to_index (layout, (int) ((x_px - x - 4 + scroll) * PANGO_SCALE), (int) ((y_px - top) * PANGO_SCALE),
                            &index, &trailing);
  text = pango_layout_get_text (layout);
  len = (guint) strlen (text);
  index = CLAMP (index, 0, (int) len);
  /* The trailing edge of a character is the caret after it. */
  at = (guint) (g_utf8_offset_to_pointer (text + index, trailing) - text);
  at = MIN (at, len);
  if (control->kind != CONTROL_TEXTAREA)
    at = bh_forms_from_shown (control, at);
  return MIN (at, (guint) control->value->len);
}

/* The focused enabled text field, or NULL. */
static BhFormControl *
focused_field (BhDocument *doc)
{
  BhFormControl *control = doc->focused;

  if (control == NULL || control->object == NULL || !bh_forms_is_text_field (control) ||
      bh_form_control_is_disabled (control))
    return NULL;
  return control;
}

/**
 * bh_document_form_drag_to:
 * @x_px: the pointer, document px
 * @y_px: the pointer, document px
 *
 * A drag that began with a press in the focused text field: the caret goes
 * to the point (clamped to the field's text), the selection's anchor stays
 * where the press put it.
 *
 * Returns: %TRUE when the selection changed (repaint).
 */
gboolean
bh_document_form_drag_to (BhDocument *doc, double x_px, double y_px)
{
  BhFormControl *control;
  guint caret;

  g_return_val_if_fail (doc != NULL, FALSE);
  if ((control = focused_field (doc)) == NULL || doc->tree_dirty)
    return FALSE;
  caret = bh_forms_index_at (doc, control, x_px, y_px);
  if (caret == control->caret)
    return FALSE;
  control->caret = caret;
  return TRUE;
}

typedef enum { CHAR_SPACE, CHAR_WORD, CHAR_OTHER } CharClass;

static CharClass
class_of (gunichar c)
{
  if (g_unichar_isspace (c))
    return CHAR_SPACE;
  if (g_unichar_isalnum (c) || c == '_' || g_unichar_ismark (c))
    return CHAR_WORD;
  return CHAR_OTHER;
}

/**
 * bh_document_form_select_word:
 * @x_px: the double-click, document px
 * @y_px: the double-click, document px
 *
 * A double-click in the focused text field selects the word there (letters,
 * digits and '_'; else the run of spaces or of punctuation there), as GTK's
 * entries and Chromium do; in a password field, its whole text (its words
 * are not shown).
 *
 * Returns: %TRUE when a field had the focus (repaint).
 */
gboolean
bh_document_form_select_word (BhDocument *doc, double x_px, double y_px)
{
  BhFormControl *control;
  const char *text;
  guint at, start, end, len;
  CharClass class;

  g_return_val_if_fail (doc != NULL, FALSE);
  if ((control = focused_field (doc)) == NULL || doc->tree_dirty)
    return FALSE;
  text = control->value->str;
  len = (guint) control->value->len;
  if (control->kind == CONTROL_PASSWORD || len == 0)
    {
      control->anchor = 0;
      control->caret = len;
      return TRUE;
    }
  at = bh_forms_index_at (doc, control, x_px, y_px);
  /* The character after the point, or before it at the end of the text. */
  if (at >= len)
    at = (guint) (g_utf8_prev_char (text + len) - text);
  class = class_of (g_utf8_get_char (text + at));
  start = at;
  while (start > 0)
    {
      const char *prev = g_utf8_prev_char (text + start);

      if (class_of (g_utf8_get_char (prev)) != class)
        break;
      start = (guint) (prev - text);
    }
  end = at;
  while (end < len && class_of (g_utf8_get_char (text + end)) == class)
    end = (guint) (g_utf8_next_char (text + end) - text);
  control->anchor = start;
  control->caret = end;
  return TRUE;
}

/**
 * bh_document_form_select_all:
 *
 * Ctrl+A while a text field has the focus: its whole text is selected, not
 * the page's.
 *
 * Returns: %TRUE when a field had the focus (the key was the field's).
 */
gboolean
bh_document_form_select_all (BhDocument *doc)
{
  BhFormControl *control;

  g_return_val_if_fail (doc != NULL, FALSE);
  if ((control = focused_field (doc)) == NULL)
    return FALSE;
  control->anchor = 0;
  control->caret = (guint) control->value->len;
  return TRUE;
}

/**
 * bh_document_form_get_selection:
 * @start: (out): the selection's start, a byte offset into the field's value
 * @end: (out): its end, byte offset; equal to @start when nothing is selected
 *
 * Returns: %TRUE when a text field has the focus (and @start and @end are set).
 */
gboolean
bh_document_form_get_selection (BhDocument *doc, guint *start, guint *end)
{
  BhFormControl *control;

  g_return_val_if_fail (doc != NULL && start != NULL && end != NULL, FALSE);
  if ((control = focused_field (doc)) == NULL)
    return FALSE;
  bh_forms_selection_bounds (control, start, end);
  return TRUE;
}

/**
 * bh_document_form_copy:
 * @cut: remove the selected text too (Cut)
 * @text: (out) (transfer full) (nullable): the selected text for the
 *   clipboard, at most @max_bytes (cut at a character); %NULL when nothing is
 *   selected or the field is a password (browsers copy and cut nothing there)
 * @max_bytes: the most @text may hold, bytes
 *
 * Copy (Ctrl+C) and Cut (Ctrl+X) while a text field has the focus: the
 * field's selection, not the page's. Cut removes the text it copied, the
 * caret where it was.
 *
 * Returns: %TRUE when a text field had the focus (the key was the field's).
 */
gboolean
bh_document_form_copy (BhDocument *doc, gboolean cut, char **text, gsize max_bytes)
{
  BhFormControl *control;
  guint start, end;
  const char *stop;

  g_return_val_if_fail (doc != NULL && text != NULL, FALSE);
  *text = NULL;
  if ((control = focused_field (doc)) == NULL)
    return FALSE;
  bh_forms_selection_bounds (control, &start, &end);
  if (start == end || control->kind == CONTROL_PASSWORD)
    return TRUE;
  stop = control->value->str + start + MIN ((gsize) (end - start), max_bytes);
  while (stop > control->value->str + start && !g_utf8_validate_len (control->value->str + start,
                                                                     (gsize) (stop - (control->value->str + start)), NULL))
    stop--;
  *text = g_strndup (control->value->str + start, (gsize) (stop - (control->value->str + start)));
  if (cut)
    {
      /* What did not fit on the clipboard stays. */
      control->anchor = start;
      control->caret = (guint) (stop - control->value->str);
      bh_forms_delete_selection (control);
    }
  return TRUE;
}
