/* bh-forms-paint.c: drawing a form control from its state (bh-forms.c),
 * as Chromium's default controls look: white fields with a grey border (blue
 * while focused), grey buttons, a drop-down with its arrow. */
#include "bh-forms-private.h"

#include <pango/pangocairo.h>

/**
 * bh_forms_text_layout: (skip)
 * @wrap_width_px: wrap at this many document px; 0 for one line
 *
 * Returns: (transfer full): @text in @style's font.
 */
PangoLayout *
bh_forms_text_layout (BhDocument *doc, const BhStyle *style, const char *text, double wrap_width_px)
{
  PangoLayout *layout = pango_layout_new (doc->pango);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family_static (desc, bh_layout_family_name (style->font_family));
  pango_font_description_set_absolute_size (desc, style->font_size_px * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (wrap_width_px > 0)
    {
      pango_layout_set_width (layout, (int) (wrap_width_px * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static const char *
attr (const GumboNode *node, const char *name)
{
  return bh_gumbo_get_attribute (node, name);
}

static void
set_grey (cairo_t *cr, double level)
{
  cairo_set_source_rgb (cr, level, level, level);
}

/* The selection of a focused field drawn as Chromium draws it: white on the
 * focus blue, through attributes over [start, end) of @layout's text. */
static void
highlight (PangoLayout *layout, guint start, guint end)
{
  PangoAttrList *attrs;
  PangoAttribute *attr;

  if (start >= end)
    return;
  attrs = pango_attr_list_new ();
  attr = pango_attr_background_new (0x3600, 0x8500, 0xe300);
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
  attr = pango_attr_foreground_new (0xffff, 0xffff, 0xffff);
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

/* The white field and its border, blue and 2 px while focused. */
static void
paint_field (cairo_t *cr, gboolean focused, gboolean disabled, double x, double y, double w, double h)
{
  set_grey (cr, disabled ? 0.94 : 1);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);
  if (focused)
    cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  else
    set_grey (cr, 0.55);
  cairo_set_line_width (cr, focused ? 2 : 1);
  cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
  cairo_stroke (cr);
}

/* A <textarea>: its lines wrapped inside the field, scrolled so that the
 * caret stays in view; the placeholder in grey while it is empty. */
static void
paint_textarea (BhDocument *doc, cairo_t *cr, BhObject *obj, BhFormControl *control, gboolean focused, double x,
                double y)
{
  const char *placeholder = attr (control->node, "placeholder");
  gboolean disabled = bh_form_control_is_disabled (control);
  gboolean empty = control->value->len == 0;
  gboolean show_placeholder = empty && placeholder != NULL && g_utf8_validate (placeholder, -1, NULL);
  double w = obj->w, h = obj->h, inner_h = MAX (1.0, h - 6);
  g_autoptr (PangoLayout) layout =
    bh_forms_text_layout (doc, obj->style, show_placeholder ? placeholder : control->value->str, MAX (1.0, w - 8));
  PangoRectangle pos;
  double caret_top, caret_h;

  paint_field (cr, focused, disabled, x, y, w, h);
  if (focused && !show_placeholder)
    {
      guint start, end;

      bh_forms_selection_bounds (control, &start, &end);
      highlight (layout, start, end);
    }
  pango_layout_index_to_pos (layout, show_placeholder ? 0 : (int) control->caret, &pos);
  caret_top = (double) pos.y / PANGO_SCALE;
  caret_h = MAX (1.0, (double) pos.height / PANGO_SCALE);
  if (caret_top < control->scroll_y)
    control->scroll_y = caret_top;
  else if (caret_top + caret_h > control->scroll_y + inner_h)
    control->scroll_y = caret_top + caret_h - inner_h;
  cairo_rectangle (cr, x + 2, y + 2, MAX (0, w - 4), MAX (0, h - 4));
  cairo_clip (cr);
  set_grey (cr, show_placeholder ? 0.46 : disabled ? 0.5 : 0.1);
  cairo_move_to (cr, x + 4, y + 3 - control->scroll_y);
  pango_cairo_show_layout (cr, layout);
  /* The caret shows while nothing is selected, as in Chromium. */
  if (focused && control->anchor == control->caret)
    {
      set_grey (cr, 0);
      cairo_rectangle (cr, x + 4 + (double) pos.x / PANGO_SCALE, y + 3 + caret_top - control->scroll_y, 1, caret_h);
      cairo_fill (cr);
    }
}

/* A drop-down: the selected option's label and a down arrow, on a button. */
static void
paint_select (BhDocument *doc, cairo_t *cr, BhObject *obj, BhFormControl *control, gboolean focused, double x,
              double y)
{
  g_autoptr (PangoLayout) layout = bh_forms_text_layout (doc, obj->style, bh_form_control_label (control), 0);
  gboolean disabled = bh_form_control_is_disabled (control);
  double w = obj->w, h = obj->h, arrow_x = x + w - 14, mid_y = y + h / 2;
  PangoRectangle logical;

  set_grey (cr, disabled ? 0.94 : 0.98);
  cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
  cairo_fill_preserve (cr);
  if (focused)
    cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  else
    set_grey (cr, 0.55);
  cairo_set_line_width (cr, focused ? 2 : 1);
  cairo_stroke (cr);
  set_grey (cr, disabled ? 0.55 : 0.2);
  cairo_move_to (cr, arrow_x - 4, mid_y - 2);
  cairo_line_to (cr, arrow_x, mid_y + 2);
  cairo_line_to (cr, arrow_x + 4, mid_y - 2);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_rectangle (cr, x + 2, y + 2, MAX (0, w - 24), MAX (0, h - 4));
  cairo_clip (cr);
  set_grey (cr, disabled ? 0.5 : 0.1);
  cairo_move_to (cr, x + 5, y + (h - logical.height) / 2);
  pango_cairo_show_layout (cr, layout);
}

guint
bh_forms_to_shown (const BhFormControl *control, guint index)
{
  if (control->kind != CONTROL_PASSWORD)
    return index;
  /* One bullet, three bytes, per character. */
  index = MIN (index, (guint) control->value->len);
  return (guint) g_utf8_pointer_to_offset (control->value->str, control->value->str + index) * 3;
}

guint
bh_forms_from_shown (const BhFormControl *control, guint shown_index)
{
  glong chars;

  if (control->kind != CONTROL_PASSWORD)
    return shown_index;
  chars = MIN ((glong) shown_index / 3, g_utf8_strlen (control->value->str, -1));
  return (guint) (g_utf8_offset_to_pointer (control->value->str, chars) - control->value->str);
}

/* What a field shows: its value, a password's as bullets (one per character). */
static char *
shown_text (const BhFormControl *control)
{
  GString *out;

  if (control->kind != CONTROL_PASSWORD)
    return g_strdup (control->value->str);
  out = g_string_new ("");
  for (const char *p = control->value->str; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append (out, "\xe2\x80\xa2");
  return g_string_free (out, FALSE);
}

PangoLayout *
bh_forms_line_layout (BhDocument *doc, const BhFormControl *control, double *scroll_px)
{
  g_autofree char *text = shown_text (control);
  PangoLayout *layout = bh_forms_text_layout (doc, control->object->style, text, 0);
  PangoRectangle pos;

  pango_layout_index_to_pos (layout, (int) bh_forms_to_shown (control, control->caret), &pos);
  /* A caret past the right edge scrolls the text left, as fields do. */
  *scroll_px = 0;
  if ((double) pos.x / PANGO_SCALE > control->object->w - 10)
    *scroll_px = (double) pos.x / PANGO_SCALE - (control->object->w - 10);
  return layout;
}

/**
 * bh_forms_paint_control: (skip)
 * @obj: an object with a control
 *
 * Paints the control at (@x, @y) from its state.
 *
 * Returns: %FALSE when @obj has no control (the caller paints an empty field).
 */
gboolean
bh_forms_paint_control (BhDocument *doc, cairo_t *cr, BhObject *obj, double x, double y)
{
  BhFormControl *control = obj->control;
  gboolean focused = control != NULL && control == doc->focused;
  gboolean disabled;
  double w = obj->w, h = obj->h;

  if (control == NULL)
    return FALSE;
  disabled = bh_form_control_is_disabled (control);
  cairo_save (cr);
  switch (control->kind)
    {
    case CONTROL_TEXTAREA:
      paint_textarea (doc, cr, obj, control, focused, x, y);
      break;
    case CONTROL_SELECT:
      paint_select (doc, cr, obj, control, focused, x, y);
      break;
    case CONTROL_CHECKBOX:
    case CONTROL_RADIO:
      cairo_set_source_rgb (cr, 1, 1, 1);
      if (control->kind == CONTROL_RADIO)
        cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 2 - 0.5, 0, 2 * G_PI);
      else
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
      cairo_fill_preserve (cr);
      if (focused)
        cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      else
        cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      if (control->checked)
        {
          cairo_set_source_rgb (cr, disabled ? 0.6 : 0.1, disabled ? 0.6 : 0.1,
                                disabled ? 0.6 : 0.1);
          if (control->kind == CONTROL_RADIO)
            {
              cairo_arc (cr, x + w / 2, y + h / 2, MIN (w, h) / 4, 0, 2 * G_PI);
              cairo_fill (cr);
            }
          else
            {
              cairo_set_line_width (cr, 2);
              cairo_move_to (cr, x + w * 0.2, y + h * 0.5);
              cairo_line_to (cr, x + w * 0.42, y + h * 0.75);
              cairo_line_to (cr, x + w * 0.8, y + h * 0.25);
              cairo_stroke (cr);
            }
        }
      break;
    case CONTROL_SUBMIT:
    case CONTROL_RESET:
    case CONTROL_BUTTON:
      {
        g_autoptr (PangoLayout) layout = bh_forms_text_layout (doc, obj->style, bh_form_control_label (control), 0);
        PangoRectangle logical;

        cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
        cairo_fill_preserve (cr);
        cairo_set_source_rgb (cr, focused ? 0.21 : 0.55, focused ? 0.52 : 0.55, focused ? 0.89 : 0.55);
        cairo_set_line_width (cr, 1);
        cairo_stroke (cr);
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        cairo_set_source_rgb (cr, disabled ? 0.55 : 0.1, disabled ? 0.55 : 0.1,
                              disabled ? 0.55 : 0.1);
        cairo_move_to (cr, x + (w - logical.width) / 2, y + (h - logical.height) / 2);
        pango_cairo_show_layout (cr, layout);
      }
      break;
    case CONTROL_TEXT:
    case CONTROL_PASSWORD:
    default:
      {
        const char *placeholder = attr (control->node, "placeholder");
        gboolean empty = control->value->len == 0;
        double scroll = 0;
        g_autoptr (PangoLayout) layout = bh_forms_line_layout (doc, control, &scroll);
        PangoRectangle logical, pos;
        double tx = x + 4, ty;
        guint start, end;

        if (empty && placeholder != NULL && g_utf8_validate (placeholder, -1, NULL))
          pango_layout_set_text (layout, placeholder, -1);
        bh_forms_selection_bounds (control, &start, &end);
        if (focused && !empty)
          highlight (layout, bh_forms_to_shown (control, start), bh_forms_to_shown (control, end));

        cairo_set_source_rgb (cr, disabled ? 0.94 : 1, disabled ? 0.94 : 1,
                              disabled ? 0.94 : 1);
        cairo_rectangle (cr, x, y, w, h);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, focused ? 0.21 : 0.55, focused ? 0.52 : 0.55, focused ? 0.89 : 0.55);
        cairo_set_line_width (cr, focused ? 2 : 1);
        cairo_rectangle (cr, x + 0.5, y + 0.5, w - 1, h - 1);
        cairo_stroke (cr);
        pango_layout_get_pixel_extents (layout, NULL, &logical);
        ty = y + (h - logical.height) / 2;
        pango_layout_index_to_pos (layout, empty ? 0 : (int) bh_forms_to_shown (control, control->caret), &pos);
        cairo_rectangle (cr, x + 2, y + 2, MAX (0, w - 4), MAX (0, h - 4));
        cairo_clip (cr);
        if (empty && placeholder != NULL)
          cairo_set_source_rgb (cr, 0.46, 0.46, 0.46);
        else
          cairo_set_source_rgb (cr, disabled ? 0.5 : 0.1, disabled ? 0.5 : 0.1,
                                disabled ? 0.5 : 0.1);
        cairo_move_to (cr, tx - scroll, ty);
        pango_cairo_show_layout (cr, layout);
        if (focused && start == end)
          {
            cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_rectangle (cr, tx - scroll + (double) pos.x / PANGO_SCALE, ty, 1, logical.height);
            cairo_fill (cr);
          }
      }
      break;
    }
  cairo_restore (cr);
  return TRUE;
}
