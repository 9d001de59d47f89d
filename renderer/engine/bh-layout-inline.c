/* bh-layout-inline.c: paragraphs, the inline formatting contexts of the box tree
 *
 * Inline content is one PangoLayout per paragraph, so line breaking, bidi and shaping
 * are Pango's; images, plugins and inline spacing are U+FFFC objects in its text.
 * Big documents keep only the layouts being painted (see BH_KEEP_ALL_LAYOUTS_BYTES).
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

/* ---------------------------------------------------------------- paragraphs */

static void
object_size (Layout *L, BhObject *obj, double avail_w, double *w, double *h)
{
  double cw = obj->css_width, ch = obj->css_height;
  double nat_w = 0, nat_h = 0;

  if (obj->kind == BH_OBJECT_BLOCK)
    {
      bh_layout_inline_block (L, obj, avail_w, w, h);
      return;
    }

  if (obj->resource != NULL && obj->resource->state == BH_RESOURCE_LOADED)
    {
      nat_w = obj->resource->width;
      nat_h = obj->resource->height;
    }
  if (cw >= 0 && ch >= 0)
    ;
  else if (cw >= 0)
    ch = nat_w > 0 ? cw * nat_h / nat_w : 0;
  else if (ch >= 0)
    cw = nat_h > 0 ? ch * nat_w / nat_h : 0;
  else
    {
      cw = nat_w;
      ch = nat_h;
    }
  *w = cw * L->scale;
  *h = ch * L->scale;
  /* images never overflow their block: max-width: 100%, keeping the aspect ratio */
  if (obj->kind == BH_OBJECT_IMAGE && avail_w > 0 && *w > avail_w)
    {
      *h = *h * avail_w / *w;
      *w = avail_w;
    }
}

static void
insert_attr (PangoAttrList *attrs, PangoAttribute *attr, guint start, guint end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

static guint16
channel16 (guint32 argb, int shift)
{
  return (guint16) (((argb >> shift) & 0xff) * 257);
}

double
bh_layout_line_height_px (const Layout *L, const BhStyle *s)
{
  switch (s->line_height_kind)
    {
    case BH_LH_FACTOR: return s->line_height * s->font_size_px * L->scale;
    case BH_LH_PX: return s->line_height * L->scale;
    default: return 0;
    }
}

/* Builds the PangoLayout of a paragraph: its base font and alignment from the block,
 * one set of attributes per run where the run differs. @width < 0 does not wrap;
 * @wrap_words_only wraps at word boundaries only (for measuring minimum widths). */
/* Whether the document is light enough for every paragraph to keep its layout. */
gboolean
bh_layout_keep_all_layouts (const BhDocument *doc)
{
  return doc->text_bytes + doc->n_paragraphs * BH_PARAGRAPH_WEIGHT < BH_KEEP_ALL_LAYOUTS_BYTES;
}

/* Makes an unwrapped layout wrap at @width px, aligned as @base says. */
static void
set_wrapping (PangoLayout *layout, const BhStyle *base, double width, gboolean wrap_words_only)
{
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, wrap_words_only ? PANGO_WRAP_WORD : PANGO_WRAP_WORD_CHAR);
  switch (base->text_align)
    {
    case BH_ALIGN_CENTER: pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER); break;
    case BH_ALIGN_RIGHT: pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT); break;
    case BH_ALIGN_JUSTIFY: pango_layout_set_justify (layout, TRUE); break;
    default: break;
    }
}

/* The alpha a run's text is painted with, for pango_attr_foreground_alpha_new(). An
 * inline element's opacity fades its own text (a block's is its group's, bh-paint.c:
 * its paragraphs' runs of its own style get no attribute). */
static guint16
text_alpha (const BhStyle *s)
{
  if (s->visibility != BH_VISIBILITY_VISIBLE)
    return 1;
  return (guint16) MAX (1.0, channel16 (s->color, 24) * (double) s->opacity);
}

static PangoLayout *
build_layout (Layout *L, BhBox *box, double width, gboolean wrap_words_only)
{
  const BhStyle *base = box->style;
  BhParagraph *para = box->para;
  PangoLayout *layout = pango_layout_new (L->doc->pango);
  PangoFontDescription *desc = pango_font_description_new ();
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_font_description_set_family_static (desc, bh_layout_family_name (base->font_family));
  pango_font_description_set_absolute_size (desc, base->font_size_px * L->scale * PANGO_SCALE);
  pango_font_description_set_weight (desc, base->font_weight);
  pango_font_description_set_style (desc, base->font_italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);

  for (guint i = 0; i < para->runs->len; i++)
    {
      const BhRun *run = &g_array_index (para->runs, BhRun, i);
      const BhStyle *s = run->style;
      guint start = run->start, end = run->end;
      double lh, object_h = 0;

      if (run->object != NULL)
        {
          PangoRectangle rect;
          double w, h;
          object_size (L, run->object, width, &w, &h);
          object_h = h;
          rect.x = 0;
          rect.width = (int) (w * PANGO_SCALE);
          /* an image sits on the baseline; an inline-block's own baseline is on it */
          rect.y = -(int) ((run->object->kind == BH_OBJECT_BLOCK ? run->object->baseline : h) * PANGO_SCALE);
          rect.height = (int) (h * PANGO_SCALE);
          insert_attr (attrs, pango_attr_shape_new_with_data (&rect, &rect, run->object, NULL, NULL), start, end);
        }
      if (s->font_family != base->font_family)
        insert_attr (attrs, pango_attr_family_new (bh_layout_family_name (s->font_family)), start, end);
      if (s->font_size_px != base->font_size_px)
        insert_attr (attrs, pango_attr_size_new_absolute ((int) (s->font_size_px * L->scale * PANGO_SCALE)), start, end);
      if (s->font_weight != base->font_weight)
        insert_attr (attrs, pango_attr_weight_new (s->font_weight), start, end);
      if (s->font_italic != base->font_italic)
        insert_attr (attrs, pango_attr_style_new (s->font_italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL), start, end);
      if (s->color != base->color)
        insert_attr (attrs, pango_attr_foreground_new (channel16 (s->color, 16), channel16 (s->color, 8),
                                                       channel16 (s->color, 0)), start, end);
      /* the paragraph is painted in its base colour and alpha (bh-paint.c); a run of
       * another alpha, or hidden (visibility, CSS 2.1 section 11.2: laid out, not
       * painted), says its own. Pango takes alpha 0 as "unset": hidden is 1/65535. */
      if (text_alpha (s) != text_alpha (base) || (s->color != base->color && text_alpha (s) != 0xffff))
        insert_attr (attrs, pango_attr_foreground_alpha_new (text_alpha (s)), start, end);
      if (s->letter_spacing != 0)
        insert_attr (attrs, pango_attr_letter_spacing_new ((int) (s->letter_spacing * L->scale * PANGO_SCALE)),
                     start, end);
      /* (an inline-block paints its own background) */
      if (s != base && (s->background_color >> 24) != 0 && s->visibility == BH_VISIBILITY_VISIBLE &&
          (run->object == NULL || run->object->kind != BH_OBJECT_BLOCK))
        {
          insert_attr (attrs, pango_attr_background_new (channel16 (s->background_color, 16),
                                                         channel16 (s->background_color, 8),
                                                         channel16 (s->background_color, 0)), start, end);
          if ((s->background_color >> 24) != 0xff)
            insert_attr (attrs, pango_attr_background_alpha_new (channel16 (s->background_color, 24)), start, end);
        }
      if (s->text_decoration & BH_DECORATION_UNDERLINE)
        insert_attr (attrs, pango_attr_underline_new (PANGO_UNDERLINE_SINGLE), start, end);
      if (s->text_decoration & BH_DECORATION_LINE_THROUGH)
        insert_attr (attrs, pango_attr_strikethrough_new (TRUE), start, end);
      if (s->vertical_align == BH_VALIGN_SUPER || s->vertical_align == BH_VALIGN_SUB)
        {
          double rise = s->font_size_px * L->scale * (s->vertical_align == BH_VALIGN_SUPER ? 0.45 : -0.25);
          insert_attr (attrs, pango_attr_rise_new ((int) (rise * PANGO_SCALE)), start, end);
        }
      if ((lh = bh_layout_line_height_px (L, s)) > 0)
        {
          /* An image or inline-block is as tall as it is (CSS 2.1 section 10.8.1: its
           * box in the line is its margin box): Pango sizes a line with line-height
           * attributes by the largest one, so the object's run asks for its height. */
          if (run->object != NULL && run->object->kind != BH_OBJECT_SPACER)
            lh = MAX (lh, object_h);
          insert_attr (attrs, pango_attr_line_height_new_absolute ((int) (lh * PANGO_SCALE)), start, end);
        }
    }

  pango_layout_set_text (layout, para->text->str, (int) para->text->len);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  if (width >= 0)
    set_wrapping (layout, base, width, wrap_words_only);
  return layout;
}

/**
 * bh_paragraph_drop_layout: (skip)
 * @para: a paragraph
 *
 * Frees the paragraph's cached PangoLayout; the next use makes it again.
 */
void
bh_paragraph_drop_layout (BhParagraph *para)
{
  g_clear_object (&para->layout);
}

/* Where each object ended up, from the runs of the finished layout. */
static void
place_objects (BhParagraph *para)
{
  PangoLayoutIter *iter = pango_layout_get_iter (para->layout);

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle logical;
      int baseline;

      if (run == NULL)
        continue;
      for (GSList *l = run->item->analysis.extra_attrs; l != NULL; l = l->next)
        {
          PangoAttribute *attr = l->data;
          if (attr->klass->type == PANGO_ATTR_SHAPE)
            {
              PangoAttrShape *shape = (PangoAttrShape *) attr;
              BhObject *obj = shape->data;
              if (obj == NULL)
                continue;
              pango_layout_iter_get_run_extents (iter, NULL, &logical);
              baseline = pango_layout_iter_get_baseline (iter);
              obj->w = (double) shape->logical_rect.width / PANGO_SCALE;
              obj->h = (double) shape->logical_rect.height / PANGO_SCALE;
              obj->rel_x = (double) logical.x / PANGO_SCALE + para->align_offset;
              obj->rel_y = (double) (baseline + shape->logical_rect.y) / PANGO_SCALE;
            }
        }
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
}

/* text-overflow: ellipsis applies to the unwrapped lines of a block container that
 * clips its overflow; a paragraph box has its container's style. */
static gboolean
ellipsis_applies (const BhStyle *container)
{
  return container->text_overflow == BH_TEXT_OVERFLOW_ELLIPSIS && container->overflow != BH_OVERFLOW_VISIBLE;
}

/* Makes sure the paragraph has a layout for @width, and returns it. An unwrapped layout
 * (from measuring, or for white-space: nowrap) serves any width it fits in, as long as
 * alignment cannot tell the difference: left-aligned text, or a single line, which is
 * then shifted by align_offset. */
PangoLayout *
bh_layout_ensure_layout (Layout *L, BhBox *box, double width)
{
  BhParagraph *para = box->para;
  BhTextAlign align = box->style->text_align;
  PangoRectangle logical;
  gboolean reuse;

  if (para->layout != NULL && para->layout_width == width)
    return para->layout;

  reuse = para->layout != NULL && para->unwrapped &&
          (para->no_wrap ||
           (width + 0.01 >= para->natural_w &&
            (align == BH_ALIGN_LEFT || align == BH_ALIGN_JUSTIFY || pango_layout_get_line_count (para->layout) == 1)));
  if (!reuse && width >= 0 && para->layout != NULL && para->unwrapped && !para->no_wrap && para->n_objects == 0)
    {
      /* same text and attributes as the measuring layout: only wrap it */
      set_wrapping (para->layout, box->style, width, FALSE);
      para->unwrapped = FALSE;
    }
  else if (!reuse)
    {
      g_clear_object (&para->layout);
      para->layout = build_layout (L, box, para->no_wrap ? -1 : width, FALSE);
      para->unwrapped = para->no_wrap;
    }
  if (para->unwrapped && width >= 0 && ellipsis_applies (box->style))
    {
      /* text-overflow: ellipsis (CSS Overflow 3 section 3.1): a line wider than its box
       * ends in an ellipsis at the box's edge; one that fits stays as it is */
      pango_layout_get_extents (para->layout, NULL, &logical);
      if (logical.width > width * PANGO_SCALE)
        {
          pango_layout_set_width (para->layout, (int) (width * PANGO_SCALE));
          pango_layout_set_ellipsize (para->layout, PANGO_ELLIPSIZE_END);
          para->unwrapped = FALSE;
        }
    }
  para->layout_width = width;
  pango_layout_get_extents (para->layout, NULL, &logical);
  para->first_baseline = (double) pango_layout_get_baseline (para->layout) / PANGO_SCALE;
  if (para->measured_width != width)
    {
      double h = (double) logical.height / PANGO_SCALE;
      if (para->measured_width >= 0 || h != box->h)
        L->doc->positions_dirty = TRUE;
      para->measured_width = width;
      para->measured_h = h;
    }
  para->align_offset = 0;
  if (para->unwrapped)
    {
      double slack = width - (double) logical.width / PANGO_SCALE;
      para->natural_w = (double) logical.width / PANGO_SCALE;
      if (slack > 0 && align == BH_ALIGN_CENTER)
        para->align_offset = slack / 2;
      else if (slack > 0 && align == BH_ALIGN_RIGHT)
        para->align_offset = slack;
    }
  if (para->n_objects > 0)
    place_objects (para);
  return para->layout;
}

/* The min-content width (CSS Sizing 3): the widest piece between two line break
 * opportunities, trailing white space excluded, read off an unwrapped layout from the
 * logical widths of its characters, so measuring shapes the text once. */
static double
min_content_width (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  int n_attrs = 0;
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly (layout, &n_attrs);
  int n_chars = n_attrs - 1;
  g_autofree int *widths = NULL;
  double widest = 0, segment = 0, trailing = 0;

  if (n_chars <= 0)
    return 0;
  widths = g_new0 (int, n_chars);
  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      for (GSList *r = line->runs; r != NULL; r = r->next)
        {
          PangoGlyphItem *run = r->data;
          glong first = g_utf8_pointer_to_offset (text, text + run->item->offset);
          if (first < 0 || first + run->item->num_chars > n_chars)
            continue;
          pango_glyph_item_get_logical_widths (run, text, widths + first);
        }
    }
  for (int i = 0; i < n_chars; i++)
    {
      if (i > 0 && attrs[i].is_line_break)
        {
          widest = MAX (widest, segment - trailing);
          segment = trailing = 0;
        }
      segment += widths[i];
      trailing = attrs[i].is_white ? trailing + widths[i] : 0;
    }
  widest = MAX (widest, segment - trailing);
  return widest / PANGO_SCALE;
}

void
bh_layout_paragraph_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w)
{
  BhParagraph *para = box->para;
  PangoLayout *layout;
  PangoRectangle logical;

  if (para->intrinsic_gen == L->doc->intrinsic_gen)
    {
      *min_w = para->min_w;
      *max_w = para->max_w;
      return;
    }
  layout = build_layout (L, box, -1, FALSE);
  pango_layout_get_extents (layout, NULL, &logical);
  para->max_w = ceil ((double) logical.width / PANGO_SCALE);
  para->min_w = para->no_wrap ? para->max_w : MIN (para->max_w, ceil (min_content_width (layout)));
  para->intrinsic_gen = L->doc->intrinsic_gen;

  /* keep it: the final layout is often this one */
  if (L->keep_layouts)
    {
      g_clear_object (&para->layout);
      para->layout = layout;
      para->unwrapped = TRUE;
      para->natural_w = (double) logical.width / PANGO_SCALE;
      para->layout_width = -1;
    }
  else
    g_object_unref (layout);
  *min_w = para->min_w;
  *max_w = para->max_w;
}

/* A height for a paragraph nobody has looked at yet: its forced lines, each wrapped at
 * an average character width. Exact enough to size a scroll bar. */
static double
estimate_height (const Layout *L, BhBox *box, double width)
{
  const BhStyle *s = box->style;
  BhParagraph *para = box->para;
  double size = s->font_size_px * L->scale;
  double line_h = bh_layout_line_height_px (L, s) > 0 ? bh_layout_line_height_px (L, s) : size * 1.17;
  double char_w = size * (s->font_family == BH_FAMILY_MONO ? 0.602 : 0.55);
  double per_line = MAX (1.0, floor (width / char_w));
  const char *p = para->text->str;
  const char *end = p + para->text->len;
  double lines = 0;

  for (;;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      double chars = (double) g_utf8_strlen (p, stop - p);
      lines += para->no_wrap ? 1 : MAX (1.0, ceil (chars / per_line));
      if (nl == NULL)
        break;
      p = nl + 1;
    }
  para->first_baseline = line_h * 0.8;
  return lines * line_h;
}

/* Moves the inline-blocks of a paragraph to where Pango put their objects. */
static void
place_inline_blocks (BhBox *box)
{
  BhParagraph *para = box->para;

  for (guint i = 0; i < para->runs->len; i++)
    {
      BhObject *obj = g_array_index (para->runs, BhRun, i).object;
      if (obj != NULL && obj->block != NULL)
        {
          double to_x = box->x + obj->rel_x, to_y = box->y + obj->rel_y;
          BhBox *block = obj->block;
          double dx = to_x - obj->block_x, dy = to_y - obj->block_y;
          if (dx != 0 || dy != 0)
            {
              block->x += dx;
              block->y += dy;
              bh_layout_shift_subtree_xy (block, dx, dy);
              obj->block_x = to_x;
              obj->block_y = to_y;
            }
        }
    }
}

void
bh_layout_paragraph (Layout *L, BhBox *box, double x, double width, Cursor *cur)
{
  BhParagraph *para = box->para;

  bh_layout_margin_resolve (L, cur);
  if (L->floats->len > L->float_base)
    {
      /* line boxes beside floats are shortened (CSS 2.1 section 9.5); here the whole
       * paragraph is, to the band free at its first line, or it moves below */
      double line_h = bh_layout_line_height_px (L, box->style);
      double fx = x, fw = width;
      if (line_h <= 0)
        line_h = box->style->font_size_px * L->scale * 1.2;
      bh_layout_float_band (L, cur->y, line_h, &fx, &fw);
      if (fw < MIN (width, 3 * box->style->font_size_px * L->scale))
        {
          cur->y = bh_layout_below_floats (L, cur->y, line_h, x, width, MIN (width, 3 * box->style->font_size_px));
          fx = x, fw = width;
          bh_layout_float_band (L, cur->y, line_h, &fx, &fw);
        }
      x = fx;
      width = fw;
    }
  box->x = x;
  box->y = cur->y;
  box->w = width;
  if (para->measured_width == width)
    {
      box->h = para->measured_h;
      L->precise_budget -= (gssize) (para->text->len + BH_PARAGRAPH_WEIGHT);
    }
  else if (L->precise_budget > 0 || para->n_objects > 0)
    {
      /* objects are always placed for real: plugin boxes must be where they are shown */
      bh_layout_ensure_layout (L, box, width);
      box->h = para->measured_h;
      L->precise_budget -= (gssize) (para->text->len + BH_PARAGRAPH_WEIGHT);
      if (!L->keep_layouts && !para->cached)
        bh_paragraph_drop_layout (para);
    }
  else
    {
      if (para->estimated_width != width)
        {
          para->estimated_h = estimate_height (L, box, width);
          para->estimated_width = width;
        }
      box->h = para->estimated_h;
    }
  if (para->n_objects > 0)
    place_inline_blocks (box);
  cur->y += box->h;
}
