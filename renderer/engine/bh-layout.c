/* bh-layout.c: block and table layout, painting and hit testing of the box tree
 *
 * Block layout is CSS 2.1 normal flow (section 9.4.1) with vertical margin collapsing
 * between siblings and through parents without border or padding (section 8.3.1).
 * Inline content is one PangoLayout per paragraph, so line breaking, bidi and shaping
 * are Pango's. Tables use the automatic table layout of CSS 2.1 section 17.5.2.2,
 * simplified: column minimum and maximum widths from the cells, the available width
 * shared out between the two.
 *
 * Recursion here follows the box tree, whose depth the builder caps at
 * BH_MAX_BOX_DEPTH, so the C stack stays small whatever the page.
 */
#include "bh-document-private.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

/* Below this layout weight every paragraph keeps its PangoLayout; above it, layouts are
 * made to measure, dropped, and made again for the paragraphs being painted. The weight
 * is in bytes of text: a kept layout costs about 24 bytes of memory per byte of text
 * (glyphs, clusters, log attributes) plus about 1 KB per paragraph (the PangoLayout,
 * its line, runs, items and attribute list), which counts as BH_PARAGRAPH_WEIGHT bytes.
 * So the kept layouts stay near 24 MB, whether the text is in few long paragraphs or,
 * as in tag soup, in a hundred thousand paragraphs of a few words (issue #3). */
#define BH_KEEP_ALL_LAYOUTS_BYTES (1024 * 1024)
#define BH_PARAGRAPH_WEIGHT       48

/* A layout pass measures this much text with Pango (about 1 us a character, each
 * paragraph counting BH_PARAGRAPH_WEIGHT more for making its layout); further
 * paragraphs get an estimated height until they are painted, which measures them and
 * moves what follows. Pages up to this size are laid out exactly. */
#define BH_PRECISE_TEXT_BYTES (512 * 1024)

typedef struct {
  BhDocument *doc;
  /* CSS px to layout units. Layout units are CSS px ("document px"); the factor stays
   * so that the arithmetic names its unit, and is 1. */
  double scale;
  double device_scale;  /* device px per CSS px, for snapping borders to pixels */
  GPtrArray *pending;   /* boxes whose top waits for the collapsed margin above them */
  gboolean keep_layouts;
  gssize precise_budget; /* bytes of text this pass may still measure with Pango */
} Layout;

typedef struct {
  double y;
  double margin_pos;    /* the collapsing margin: largest positive... */
  double margin_neg;    /* ...plus most negative (CSS 2.1 section 8.3.1) */
  guint pending_base;
} Cursor;

typedef struct {
  double mt, mr, mb, ml;
  double bt, br, bb, bl;
  double pt, pr, pb, pl;
  gboolean ml_auto, mr_auto;
} Edges;

static const char *
family_name (guint8 family)
{
  switch (family)
    {
    case BH_FAMILY_MONO: return "DejaVu Sans Mono";
    case BH_FAMILY_SERIF: return "DejaVu Serif";
    default: return "DejaVu Sans";
    }
}

static double
length_px (const Layout *L, const BhLength *len, double ref_width)
{
  switch (len->unit)
    {
    case BH_UNIT_PX: return len->value * L->scale;
    case BH_UNIT_PERCENT: return len->value / 100.0 * ref_width;
    default: return 0;
    }
}

static double
border_px (const Layout *L, const BhStyle *s, int side)
{
  double w = s->border_width[side];

  if (w <= 0 || s->border_style[side] == BH_BORDER_NONE)
    return 0;
  /* whole device pixels, at least one, so thin borders stay sharp */
  return MAX (1.0, round (w * L->scale * L->device_scale)) / L->device_scale;
}

static void
compute_edges (const Layout *L, const BhStyle *s, double cb_w, Edges *e)
{
  e->mt = length_px (L, &s->margin[BH_TOP], cb_w);
  e->mr = length_px (L, &s->margin[BH_RIGHT], cb_w);
  e->mb = length_px (L, &s->margin[BH_BOTTOM], cb_w);
  e->ml = length_px (L, &s->margin[BH_LEFT], cb_w);
  e->ml_auto = s->margin[BH_LEFT].unit == BH_UNIT_AUTO;
  e->mr_auto = s->margin[BH_RIGHT].unit == BH_UNIT_AUTO;
  e->pt = length_px (L, &s->padding[BH_TOP], cb_w);
  e->pr = length_px (L, &s->padding[BH_RIGHT], cb_w);
  e->pb = length_px (L, &s->padding[BH_BOTTOM], cb_w);
  e->pl = length_px (L, &s->padding[BH_LEFT], cb_w);
  e->bt = border_px (L, s, BH_TOP);
  e->br = border_px (L, s, BH_RIGHT);
  e->bb = border_px (L, s, BH_BOTTOM);
  e->bl = border_px (L, s, BH_LEFT);
}

/* ---------------------------------------------------------------- margins */

static void
margin_add (Cursor *cur, double m)
{
  if (m > cur->margin_pos)
    cur->margin_pos = m;
  if (m < cur->margin_neg)
    cur->margin_neg = m;
}

/* Something with height is placed: the collapsed margin above it becomes space, and
 * every box waiting for its top edge gets it. */
static void
margin_resolve (Layout *L, Cursor *cur)
{
  cur->y += cur->margin_pos + cur->margin_neg;
  cur->margin_pos = cur->margin_neg = 0;
  for (guint i = cur->pending_base; i < L->pending->len; i++)
    ((BhBox *) L->pending->pdata[i])->y = cur->y;
  g_ptr_array_set_size (L->pending, cur->pending_base);
}

static void
cursor_init (Layout *L, Cursor *cur, double y)
{
  cur->y = y;
  cur->margin_pos = cur->margin_neg = 0;
  cur->pending_base = L->pending->len;
}

/* ---------------------------------------------------------------- paragraphs */

static void
object_size (const Layout *L, const BhObject *obj, double avail_w, double *w, double *h)
{
  double cw = obj->css_width, ch = obj->css_height;
  double nat_w = 0, nat_h = 0;

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

static double
line_height_px (const Layout *L, const BhStyle *s)
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
static gboolean
keep_all_layouts (const BhDocument *doc)
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

static PangoLayout *
build_layout (Layout *L, BhBox *box, double width, gboolean wrap_words_only)
{
  const BhStyle *base = box->style;
  BhParagraph *para = box->para;
  PangoLayout *layout = pango_layout_new (L->doc->pango);
  PangoFontDescription *desc = pango_font_description_new ();
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_font_description_set_family_static (desc, family_name (base->font_family));
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
      double lh;

      if (run->object != NULL)
        {
          PangoRectangle rect;
          double w, h;
          object_size (L, run->object, width, &w, &h);
          rect.x = 0;
          rect.width = (int) (w * PANGO_SCALE);
          rect.y = -(int) (h * PANGO_SCALE);
          rect.height = (int) (h * PANGO_SCALE);
          insert_attr (attrs, pango_attr_shape_new_with_data (&rect, &rect, run->object, NULL, NULL), start, end);
        }
      if (s->font_family != base->font_family)
        insert_attr (attrs, pango_attr_family_new (family_name (s->font_family)), start, end);
      if (s->font_size_px != base->font_size_px)
        insert_attr (attrs, pango_attr_size_new_absolute ((int) (s->font_size_px * L->scale * PANGO_SCALE)), start, end);
      if (s->font_weight != base->font_weight)
        insert_attr (attrs, pango_attr_weight_new (s->font_weight), start, end);
      if (s->font_italic != base->font_italic)
        insert_attr (attrs, pango_attr_style_new (s->font_italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL), start, end);
      if (s->color != base->color)
        {
          insert_attr (attrs, pango_attr_foreground_new (channel16 (s->color, 16), channel16 (s->color, 8),
                                                         channel16 (s->color, 0)), start, end);
          if ((s->color >> 24) != 0xff)
            insert_attr (attrs, pango_attr_foreground_alpha_new (channel16 (s->color, 24)), start, end);
        }
      if (s != base && (s->background_color >> 24) != 0)
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
      if ((lh = line_height_px (L, s)) > 0)
        insert_attr (attrs, pango_attr_line_height_new_absolute ((int) (lh * PANGO_SCALE)), start, end);
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

/* Makes sure the paragraph has a layout for @width, and returns it. An unwrapped layout
 * (from measuring, or for white-space: nowrap) serves any width it fits in, as long as
 * alignment cannot tell the difference: left-aligned text, or a single line, which is
 * then shifted by align_offset. */
static PangoLayout *
ensure_layout (Layout *L, BhBox *box, double width)
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

static void
paragraph_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w)
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
  double line_h = line_height_px (L, s) > 0 ? line_height_px (L, s) : size * 1.17;
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

static void
layout_paragraph (Layout *L, BhBox *box, double x, double width, Cursor *cur)
{
  BhParagraph *para = box->para;

  margin_resolve (L, cur);
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
      ensure_layout (L, box, width);
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
  cur->y += box->h;
}

/* ---------------------------------------------------------------- intrinsic widths */

typedef struct {
  double min, max;
  double pct;    /* the largest percentage width asked for by a cell, 0 if none */
  double fixed;  /* the largest px width asked for by a cell, 0 if none */
  double width;  /* the used width */
  double x;      /* the left edge */
} Column;

static void intrinsic_widths (Layout *L, BhBox *box, double *min_w, double *max_w);

static double
horizontal_frame (const Layout *L, const BhStyle *s)
{
  Edges e;

  /* percentages have nothing to refer to while measuring */
  compute_edges (L, s, 0, &e);
  return e.bl + e.br + e.pl + e.pr + (e.ml_auto ? 0 : e.ml) + (e.mr_auto ? 0 : e.mr);
}

#define BH_MAX_TABLE_COLUMNS 1000

/* Places every cell in the table grid (HTML section 4.9.12.1, "forming a table", reduced):
 * a cell takes the first column of its row not covered by a rowspan from above.
 * Stores the column in cell->col and returns the number of columns. */
static guint
table_grid (BhBox *table)
{
  g_autoptr(GArray) covered = g_array_new (FALSE, TRUE, sizeof (guint));  /* per column: covered up to row */
  guint n = 0, r = 0;

  for (BhBox *row = table->first_child; row != NULL; row = row->next)
    {
      guint col = 0;
      if (row->kind != BH_BOX_ROW)
        continue;
      for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
        {
          guint span;
          while (col < covered->len && g_array_index (covered, guint, col) > r)
            col++;
          if (col >= BH_MAX_TABLE_COLUMNS)
            col = BH_MAX_TABLE_COLUMNS - 1;
          span = MIN ((guint) cell->colspan, BH_MAX_TABLE_COLUMNS - col);
          cell->col = (guint16) col;
          if (covered->len < col + span)
            g_array_set_size (covered, col + span);
          for (guint i = col; i < col + span; i++)
            g_array_index (covered, guint, i) = r + MIN ((guint) cell->rowspan, 65535u);
          col += span;
          n = MAX (n, col);
        }
      r++;
    }
  return n;
}

static guint
cell_span (const BhBox *cell, guint n)
{
  return cell->col < n ? MIN ((guint) cell->colspan, n - cell->col) : 1;
}

/* Column minimum and maximum widths from the cells (CSS 2.1 section 17.5.2.2 steps 1-2):
 * single-column cells first, then spanning cells spread what they miss evenly. */
static void
table_columns (Layout *L, BhBox *table, GArray *cols, double avail)
{
  guint n = cols->len;

  for (int pass = 0; pass < 2; pass++)
    for (BhBox *row = table->first_child; row != NULL; row = row->next)
      {
        if (row->kind != BH_BOX_ROW)
          continue;
        for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
          {
            guint col = cell->col;
            guint span;
            double mn, mx;

            if (col >= n)
              continue;
            span = cell_span (cell, n);
            if ((span == 1) != (pass == 0))
              continue;
            intrinsic_widths (L, cell, &mn, &mx);
            if (span == 1)
              {
                Column *c = &g_array_index (cols, Column, col);
                c->min = MAX (c->min, mn);
                c->max = MAX (c->max, mx);
                if (cell->style->width.unit == BH_UNIT_PX)
                  c->fixed = MAX (c->fixed, cell->style->width.value * L->scale +
                                            (cell->style->border_box ? 0 : horizontal_frame (L, cell->style)));
                else if (cell->style->width.unit == BH_UNIT_PERCENT)
                  c->pct = MAX (c->pct, cell->style->width.value);
              }
            else
              {
                double have_min = 0, have_max = 0;
                for (guint i = col; i < col + span; i++)
                  {
                    have_min += g_array_index (cols, Column, i).min;
                    have_max += g_array_index (cols, Column, i).max;
                  }
                for (guint i = col; i < col + span; i++)
                  {
                    Column *c = &g_array_index (cols, Column, i);
                    if (mn > have_min)
                      c->min += (mn - have_min) / span;
                    if (mx > have_max)
                      c->max += (mx - have_max) / span;
                  }
              }
          }
      }

  for (guint i = 0; i < n; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      if (c->fixed > 0)
        c->max = MAX (c->min, c->fixed);
      else if (c->pct > 0 && avail > 0)
        c->max = MAX (c->min, avail * c->pct / 100.0);
      c->max = MAX (c->max, c->min);
    }
}

static double
table_spacing (const Layout *L, const BhBox *table)
{
  return table->style->border_collapse ? 0 : table->style->border_spacing * L->scale;
}

static void
intrinsic_widths (Layout *L, BhBox *box, double *min_w, double *max_w)
{
  double mn = 0, mx = 0;
  const BhStyle *s = box->style;

  if (box->intrinsic_gen == L->doc->intrinsic_gen)
    {
      *min_w = box->min_w;
      *max_w = box->max_w;
      return;
    }

  if (box->kind == BH_BOX_PARAGRAPH)
    paragraph_intrinsic (L, box, &mn, &mx);
  else if (box->kind == BH_BOX_TABLE)
    {
      guint n = table_grid (box);
      g_autoptr(GArray) cols = g_array_sized_new (FALSE, TRUE, sizeof (Column), n);
      double spacing = table_spacing (L, box);

      g_array_set_size (cols, n);
      table_columns (L, box, cols, 0);
      for (guint i = 0; i < n; i++)
        {
          mn += g_array_index (cols, Column, i).min;
          mx += g_array_index (cols, Column, i).max;
        }
      if (n > 0)
        {
          mn += spacing * (n + 1);
          mx += spacing * (n + 1);
        }
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        if (child->kind != BH_BOX_ROW)
          {
            double cmn, cmx;
            intrinsic_widths (L, child, &cmn, &cmx);
            mn = MAX (mn, cmn);
            mx = MAX (mx, cmx);
          }
    }
  else
    {
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        {
          double cmn, cmx;
          intrinsic_widths (L, child, &cmn, &cmx);
          mn = MAX (mn, cmn);
          mx = MAX (mx, cmx);
        }
    }

  if (box->kind != BH_BOX_PARAGRAPH)
    {
      double frame = horizontal_frame (L, s);
      if (s->width.unit == BH_UNIT_PX)
        {
          double w = s->width.value * L->scale - (s->border_box ? frame : 0);
          mn = MAX (mn, w);
          mx = MAX (mn, w);
        }
      mn += frame;
      mx += frame;
    }
  box->min_w = mn;
  box->max_w = MAX (mn, mx);
  box->intrinsic_gen = L->doc->intrinsic_gen;
  *min_w = box->min_w;
  *max_w = box->max_w;
}

/* ---------------------------------------------------------------- blocks and tables */

static void layout_block (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur);
static void layout_table (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur);

static void
layout_children (Layout *L, BhBox *box, double x, double width, Cursor *cur)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      switch (child->kind)
        {
        case BH_BOX_PARAGRAPH:
          layout_paragraph (L, child, x, width, cur);
          break;
        case BH_BOX_TABLE:
          layout_table (L, child, x, width, cur);
          break;
        default:
          layout_block (L, child, x, width, cur);
          break;
        }
    }
}

static void
layout_block (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur)
{
  const BhStyle *s = box->style;
  Edges e;
  double content_w;
  gboolean sized = FALSE;

  compute_edges (L, s, cb_w, &e);
  if (s->width.unit != BH_UNIT_AUTO)
    {
      content_w = length_px (L, &s->width, cb_w);
      if (s->border_box)
        content_w -= e.bl + e.br + e.pl + e.pr;
      sized = TRUE;
    }
  else
    content_w = cb_w - e.ml - e.mr - e.bl - e.br - e.pl - e.pr;
  if (s->max_width.unit != BH_UNIT_AUTO)
    {
      double max_w = length_px (L, &s->max_width, cb_w);
      if (s->border_box)
        max_w -= e.bl + e.br + e.pl + e.pr;
      if (content_w > max_w)
        {
          content_w = max_w;
          sized = TRUE;
        }
    }
  content_w = MAX (0, content_w);
  if (sized && (e.ml_auto || e.mr_auto))
    {
      double free = cb_w - content_w - e.bl - e.br - e.pl - e.pr - (e.ml_auto ? 0 : e.ml) - (e.mr_auto ? 0 : e.mr);
      free = MAX (0, free);
      if (e.ml_auto && e.mr_auto)
        e.ml = free / 2;
      else if (e.ml_auto)
        e.ml = free;
    }

  box->x = cb_x + e.ml;
  box->w = e.bl + e.pl + content_w + e.pr + e.br;

  margin_add (cur, e.mt);
  if (e.bt + e.pt > 0)
    {
      margin_resolve (L, cur);
      box->y = cur->y;
      cur->y += e.bt + e.pt;
    }
  else
    {
      box->y = NAN;
      g_ptr_array_add (L->pending, box);
    }

  layout_children (L, box, box->x + e.bl + e.pl, content_w, cur);

  if (e.bb + e.pb > 0 || s->height.unit == BH_UNIT_PX)
    {
      double content_top;
      margin_resolve (L, cur);
      content_top = box->y + e.bt + e.pt;
      if (s->height.unit == BH_UNIT_PX)
        cur->y = MAX (cur->y, content_top + s->height.value * L->scale);
      cur->y += e.pb + e.bb;
    }
  else if (isnan (box->y))
    {
      g_ptr_array_remove (L->pending, box);
      box->y = cur->y;
    }
  box->h = cur->y - box->y;
  margin_add (cur, e.mb);
}

static void
shift_subtree (BhBox *box, double dy)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      child->y += dy;
      shift_subtree (child, dy);
    }
}

/* Lays out a cell's content at the cell's x, y and width; returns its border-box height. */
static double
layout_cell (Layout *L, BhBox *cell)
{
  Edges e;
  Cursor c;
  double content_top;

  compute_edges (L, cell->style, cell->w, &e);
  content_top = cell->y + e.bt + e.pt;
  cursor_init (L, &c, content_top);
  layout_children (L, cell, cell->x + e.bl + e.pl, MAX (0, cell->w - e.bl - e.br - e.pl - e.pr), &c);
  margin_resolve (L, &c);
  if (cell->style->height.unit == BH_UNIT_PX)
    c.y = MAX (c.y, content_top + cell->style->height.value * L->scale);
  return c.y - cell->y + e.pb + e.bb;
}

/* Grows the columns of one kind towards their maximum, all by the same fraction of
 * what they lack, within @remaining; returns what is left. */
static double
grow_columns (GArray *cols, int kind, double remaining)
{
  double need = 0;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      int k = c->pct > 0 ? 0 : c->fixed > 0 ? 1 : 2;
      if (k == kind)
        need += MAX (0, c->max - c->width);
    }
  if (need <= 0 || remaining <= 0)
    return remaining;
  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      int k = c->pct > 0 ? 0 : c->fixed > 0 ? 1 : 2;
      if (k == kind)
        c->width += MAX (0, c->max - c->width) * MIN (1.0, remaining / need);
    }
  return MAX (0, remaining - need);
}

/* Column widths for a table @target wide (CSS 2.1 section 17.5.2.2, the way browsers
 * read it): every column gets its minimum; then percentage columns grow to their
 * percentage, fixed-width columns to their width, auto columns to their maximum, in
 * that order; a table with a set width gives what is still left to its auto columns
 * (to all columns if it has none). */
static void
distribute_columns (GArray *cols, double target, gboolean fill)
{
  double remaining = target;
  double auto_max = 0, all = 0;
  guint n_auto = 0;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      c->width = c->min;
      remaining -= c->min;
    }
  for (int kind = 0; kind < 3; kind++)
    remaining = grow_columns (cols, kind, remaining);
  if (!fill || remaining <= 0 || cols->len == 0)
    return;

  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      all += c->width;
      if (c->pct <= 0 && c->fixed <= 0)
        {
          n_auto++;
          auto_max += c->max;
        }
    }
  for (guint i = 0; i < cols->len; i++)
    {
      Column *c = &g_array_index (cols, Column, i);
      if (n_auto > 0)
        {
          if (c->pct <= 0 && c->fixed <= 0)
            c->width += auto_max > 0 ? remaining * c->max / auto_max : remaining / n_auto;
        }
      else
        c->width += all > 0 ? remaining * c->width / all : remaining / cols->len;
    }
}

static void
layout_table (Layout *L, BhBox *table, double cb_x, double cb_w, Cursor *cur)
{
  const BhStyle *s = table->style;
  guint n = table_grid (table);
  g_autoptr(GArray) cols = g_array_sized_new (FALSE, TRUE, sizeof (Column), MAX (n, 1));
  double spacing = table_spacing (L, table);
  double frame_w, avail, target, used = 0, y, content_x, content_w;
  gboolean specified = s->width.unit != BH_UNIT_AUTO;
  gboolean any_row = FALSE;
  Edges e;

  compute_edges (L, s, cb_w, &e);
  margin_add (cur, e.mt);
  margin_resolve (L, cur);
  table->y = cur->y;

  frame_w = e.bl + e.br + e.pl + e.pr;
  avail = cb_w - (e.ml_auto ? 0 : e.ml) - (e.mr_auto ? 0 : e.mr);
  if (specified)
    avail = MAX (length_px (L, &s->width, cb_w), 0);
  avail -= frame_w + (n > 0 ? spacing * (n + 1) : 0);
  avail = MAX (0, avail);

  g_array_set_size (cols, n);
  table_columns (L, table, cols, avail);
  {
    double sum_min = 0, sum_max = 0;
    for (guint i = 0; i < n; i++)
      {
        sum_min += g_array_index (cols, Column, i).min;
        sum_max += g_array_index (cols, Column, i).max;
      }
    target = specified ? MAX (avail, sum_min) : MAX (sum_min, MIN (avail, sum_max));
  }
  distribute_columns (cols, target, specified);
  for (guint i = 0; i < n; i++)
    used += g_array_index (cols, Column, i).width;

  content_w = used + (n > 0 ? spacing * (n + 1) : 0);
  /* captions and stray blocks need some room even in a table without columns */
  if (n == 0)
    content_w = MAX (0, cb_w - frame_w - (e.ml_auto ? 0 : e.ml) - (e.mr_auto ? 0 : e.mr));
  table->w = content_w + frame_w;
  if (e.ml_auto && e.mr_auto)
    table->x = cb_x + MAX (0, (cb_w - table->w) / 2);
  else if (e.ml_auto)
    table->x = cb_x + MAX (0, cb_w - table->w - e.mr);
  else
    table->x = cb_x + e.ml;

  content_x = table->x + e.bl + e.pl;
  y = table->y + e.bt + e.pt;

  /* column edges */
  {
    double x = content_x + spacing;
    for (guint i = 0; i < n; i++)
      {
        Column *c = &g_array_index (cols, Column, i);
        c->x = x;
        x += c->width + spacing;
      }
  }

  for (BhBox *child = table->first_child; child != NULL;)
    {
      if (child->kind == BH_BOX_ROW)
        {
          /* a run of consecutive rows: rowspans cannot reach past it */
          g_autoptr(GPtrArray) rows = g_ptr_array_new ();
          g_autoptr(GArray) heights = g_array_new (FALSE, TRUE, sizeof (double));
          guint r;

          for (; child != NULL && child->kind == BH_BOX_ROW; child = child->next)
            g_ptr_array_add (rows, child);
          g_array_set_size (heights, rows->len);

          /* cells laid out at y = 0, moved into place once the row heights are known */
          for (r = 0; r < rows->len; r++)
            {
              BhBox *row = rows->pdata[r];
              double *row_h = &g_array_index (heights, double, r);
              for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
                {
                  guint span = cell_span (cell, n);
                  Column *first = &g_array_index (cols, Column, MIN (cell->col, n ? n - 1 : 0));
                  double w = 0;
                  for (guint i = cell->col; i < cell->col + span && i < n; i++)
                    w += g_array_index (cols, Column, i).width;
                  w += spacing * (span - 1);
                  cell->x = n > 0 ? first->x : content_x + spacing;
                  cell->y = 0;
                  cell->w = w;
                  cell->h = layout_cell (L, cell);
                  cell->rowspan = (guint16) MAX (1u, MIN ((guint) cell->rowspan, rows->len - r));
                  if (cell->rowspan == 1)
                    *row_h = MAX (*row_h, cell->h);
                }
              if (row->style->height.unit == BH_UNIT_PX)
                *row_h = MAX (*row_h, row->style->height.value * L->scale);
            }
          /* a spanning cell taller than its rows makes the last of them taller */
          for (r = 0; r < rows->len; r++)
            for (BhBox *cell = ((BhBox *) rows->pdata[r])->first_child; cell != NULL; cell = cell->next)
              if (cell->rowspan > 1)
                {
                  double have = spacing * (cell->rowspan - 1);
                  for (guint i = r; i < r + cell->rowspan; i++)
                    have += g_array_index (heights, double, i);
                  if (cell->h > have)
                    g_array_index (heights, double, r + cell->rowspan - 1) += cell->h - have;
                }

          if (!any_row)
            y += spacing;
          any_row = TRUE;
          for (r = 0; r < rows->len; r++)
            {
              BhBox *row = rows->pdata[r];
              double row_h = g_array_index (heights, double, r);
              row->x = content_x + spacing;
              row->y = y;
              row->w = MAX (0, content_w - 2 * spacing);
              row->h = row_h;
              for (BhBox *cell = row->first_child; cell != NULL; cell = cell->next)
                {
                  double h = spacing * (cell->rowspan - 1), extra, dy;
                  BhVerticalAlign valign = cell->style->vertical_align;
                  for (guint i = r; i < r + cell->rowspan; i++)
                    h += g_array_index (heights, double, i);
                  extra = h - cell->h;
                  dy = valign == BH_VALIGN_MIDDLE ? floor (extra / 2) : valign == BH_VALIGN_BOTTOM ? floor (extra) : 0;
                  cell->y = y;
                  shift_subtree (cell, y + MAX (0, dy));
                  cell->h = h;
                }
              y += row_h + spacing;
            }
        }
      else
        {
          /* a caption or content that is not in a row: a full-width block in order */
          Cursor c;
          cursor_init (L, &c, y);
          if (child->kind == BH_BOX_PARAGRAPH)
            layout_paragraph (L, child, content_x, content_w, &c);
          else if (child->kind == BH_BOX_TABLE)
            layout_table (L, child, content_x, content_w, &c);
          else
            layout_block (L, child, content_x, content_w, &c);
          margin_resolve (L, &c);
          y = c.y;
          child = child->next;
        }
    }

  table->h = y + e.pb + e.bb - table->y;
  if (s->height.unit == BH_UNIT_PX)
    table->h = MAX (table->h, s->height.value * L->scale);
  cur->y = table->y + table->h;
  margin_add (cur, e.mb);
}

/**
 * bh_layout_document: (skip)
 * @doc: a document with a box tree
 *
 * Lays the box tree out for doc->layout_width and doc->layout_scale.
 */
void
bh_layout_document (BhDocument *doc)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  Cursor cur;
  BhBox *root = doc->root;

  L.pending = g_ptr_array_new ();
  L.keep_layouts = keep_all_layouts (doc);
  L.precise_budget = BH_PRECISE_TEXT_BYTES;

  if (doc->pango_scale != L.scale || doc->objects_dirty)
    {
      /* font sizes or object sizes in the attribute lists are stale */
      for (guint i = 0; i < doc->boxes->len; i++)
        {
          BhBox *box = doc->boxes->pdata[i];
          if (box->para != NULL && (doc->pango_scale != L.scale || box->para->n_objects > 0))
            {
              bh_paragraph_drop_layout (box->para);
              box->para->layout_width = -1;
              box->para->measured_width = -1;
              box->para->estimated_width = -1;
            }
        }
      doc->intrinsic_gen++;
      doc->pango_scale = L.scale;
      doc->objects_dirty = FALSE;
    }
  cursor_init (&L, &cur, 0);
  root->x = 0;
  root->y = 0;
  root->w = doc->layout_width;
  layout_children (&L, root, 0, doc->layout_width, &cur);
  margin_resolve (&L, &cur);
  root->h = cur.y;
  doc->height = cur.y;
  doc->positions_dirty = FALSE;
  g_ptr_array_unref (L.pending);
}

/* ---------------------------------------------------------------- painting */

typedef struct {
  Layout L;
  cairo_t *cr;
  double y0, y1;
} Painter;

static void
set_source_argb (cairo_t *cr, guint32 argb)
{
  cairo_set_source_rgba (cr, ((argb >> 16) & 0xff) / 255.0, ((argb >> 8) & 0xff) / 255.0,
                         (argb & 0xff) / 255.0, (argb >> 24) / 255.0);
}

/* Fills a rectangle, cut to the rows being painted: cairo works in 24.8 fixed point,
 * and the boxes of a very long page reach far beyond its range. */
static void
fill_rect (Painter *P, double x, double y, double w, double h)
{
  double top = MAX (y, P->y0 - 1);
  double bottom = MIN (y + h, P->y1 + 1);

  if (bottom <= top || w <= 0)
    return;
  cairo_rectangle (P->cr, x, top, w, bottom - top);
  cairo_fill (P->cr);
}

static guint32
shade (guint32 argb, double factor)
{
  guint32 out = argb & 0xff000000u;

  for (int shift = 0; shift <= 16; shift += 8)
    {
      double c = (argb >> shift) & 0xff;
      c = factor < 1 ? c * factor : c + (255 - c) * (factor - 1);
      out |= (guint32) CLAMP (lround (c), 0, 255) << shift;
    }
  return out;
}

static void
paint_borders (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  cairo_t *cr = P->cr;
  double w[4];

  for (int side = 0; side < 4; side++)
    w[side] = border_px (&P->L, s, side);
  if (w[0] + w[1] + w[2] + w[3] <= 0)
    return;

  for (int side = 0; side < 4; side++)
    {
      guint32 color = s->border_color[side];
      double x0, y0, x1, y1;

      if (w[side] <= 0 || (color >> 24) == 0)
        continue;
      if (s->border_style[side] == BH_BORDER_INSET)
        color = shade (color, side == BH_TOP || side == BH_LEFT ? 0.6 : 1.5);
      else if (s->border_style[side] == BH_BORDER_OUTSET)
        color = shade (color, side == BH_TOP || side == BH_LEFT ? 1.5 : 0.6);
      set_source_argb (cr, color);

      switch (side)
        {
        case BH_TOP: x0 = box->x; y0 = box->y; x1 = box->x + box->w; y1 = box->y + w[side]; break;
        case BH_BOTTOM: x0 = box->x; y0 = box->y + box->h - w[side]; x1 = box->x + box->w; y1 = box->y + box->h; break;
        case BH_LEFT: x0 = box->x; y0 = box->y; x1 = box->x + w[side]; y1 = box->y + box->h; break;
        default: x0 = box->x + box->w - w[side]; y0 = box->y; x1 = box->x + box->w; y1 = box->y + box->h; break;
        }

      y0 = MAX (y0, P->y0 - 1);
      y1 = MIN (y1, P->y1 + 1);
      if (y1 <= y0)
        continue;
      if (s->border_style[side] == BH_BORDER_DOTTED || s->border_style[side] == BH_BORDER_DASHED)
        {
          double dash = s->border_style[side] == BH_BORDER_DOTTED ? w[side] : 3 * w[side];
          gboolean horizontal = side == BH_TOP || side == BH_BOTTOM;
          cairo_save (cr);
          cairo_set_line_width (cr, w[side]);
          cairo_set_dash (cr, &dash, 1, 0);
          if (horizontal)
            {
              cairo_move_to (cr, x0, (y0 + y1) / 2);
              cairo_line_to (cr, x1, (y0 + y1) / 2);
            }
          else
            {
              cairo_move_to (cr, (x0 + x1) / 2, y0);
              cairo_line_to (cr, (x0 + x1) / 2, y1);
            }
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      else
        fill_rect (P, x0, y0, x1 - x0, y1 - y0);
    }
}

static void
paint_object (Painter *P, BhObject *obj, double x, double y)
{
  cairo_t *cr = P->cr;

  if (obj->w <= 0 || obj->h <= 0)
    return;
  switch (obj->kind)
    {
    case BH_OBJECT_IMAGE:
      if (obj->resource != NULL && obj->resource->surface != NULL)
        {
          cairo_save (cr);
          cairo_rectangle (cr, x, y, obj->w, obj->h);
          cairo_clip (cr);
          cairo_translate (cr, x, y);
          cairo_scale (cr, obj->w / obj->resource->width, obj->h / obj->resource->height);
          cairo_set_source_surface (cr, obj->resource->surface, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
          /* scaled images keep their edges instead of fading into transparency */
          cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
          cairo_paint (cr);
          cairo_restore (cr);
        }
      else if (obj->resource == NULL || obj->resource->state == BH_RESOURCE_FAILED)
        {
          /* a broken image with a size but no alt text: an outline where it would be */
          cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
          cairo_set_line_width (cr, 1);
          cairo_rectangle (cr, x + 0.5, y + 0.5, obj->w - 1, obj->h - 1);
          cairo_stroke (cr);
        }
      break;
    case BH_OBJECT_PLUGIN:
    case BH_OBJECT_FRAME:
      cairo_set_source_rgb (cr, 0.90, 0.90, 0.90);
      cairo_rectangle (cr, x, y, obj->w, obj->h);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.70, 0.70, 0.70);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, x + 0.5, y + 0.5, obj->w - 1, obj->h - 1);
      cairo_stroke (cr);
      break;
    case BH_OBJECT_SPACER:
      break;
    case BH_OBJECT_CONTROL:
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_rectangle (cr, x, y, obj->w, obj->h);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, x + 0.5, y + 0.5, obj->w - 1, obj->h - 1);
      cairo_stroke (cr);
      break;
    default:
      break;
    }
}

static PangoLayout *
paint_layout (Painter *P, BhBox *box)
{
  BhDocument *doc = P->L.doc;
  BhParagraph *para = box->para;
  PangoLayout *layout = ensure_layout (&P->L, box, box->w);

  para->paint_gen = doc->paint_gen;
  if (!P->L.keep_layouts && !para->cached)
    {
      para->cached = TRUE;
      g_ptr_array_add (doc->cached_layouts, para);
    }
  return layout;
}

static void
paint_paragraph (Painter *P, BhBox *box)
{
  BhParagraph *para = box->para;
  PangoLayout *layout = paint_layout (P, box);

  set_source_argb (P->cr, box->style->color);
  cairo_move_to (P->cr, box->x + para->align_offset, box->y);
  pango_cairo_show_layout (P->cr, layout);

  if (para->n_objects > 0)
    for (guint i = 0; i < para->runs->len; i++)
      {
        const BhRun *run = &g_array_index (para->runs, BhRun, i);
        if (run->object != NULL)
          paint_object (P, run->object, box->x + run->object->rel_x, box->y + run->object->rel_y);
      }
}

static void
paint_marker (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  PangoLayout *layout = pango_layout_new (P->L.doc->pango);
  PangoFontDescription *desc = pango_font_description_new ();
  g_autofree char *text = g_strconcat (box->marker, "\xc2\xa0", NULL);
  PangoRectangle logical;
  BhBox *first = box->first_child;
  double baseline, content_x;
  Edges e;

  while (first != NULL && first->kind == BH_BOX_BLOCK)
    first = first->first_child;

  pango_font_description_set_family_static (desc, family_name (s->font_family));
  pango_font_description_set_absolute_size (desc, s->font_size_px * P->L.scale * PANGO_SCALE);
  pango_font_description_set_weight (desc, s->font_weight);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_extents (layout, NULL, &logical);

  if (first != NULL && first->kind == BH_BOX_PARAGRAPH)
    {
      paint_layout (P, first);
      baseline = first->y + first->para->first_baseline;
    }
  else
    baseline = box->y + (double) pango_layout_get_baseline (layout) / PANGO_SCALE;

  compute_edges (&P->L, s, box->w, &e);
  content_x = box->x + e.bl + e.pl;
  set_source_argb (P->cr, s->color);
  cairo_move_to (P->cr, content_x - (double) logical.width / PANGO_SCALE,
                 baseline - (double) pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (P->cr, layout);
  g_object_unref (layout);
}

static void
paint_box (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;

  if (box->y > P->y1 || box->y + box->h < P->y0)
    return;

  if (box->kind != BH_BOX_PARAGRAPH)
    {
      if (!box->is_canvas && (s->background_color >> 24) != 0)
        {
          set_source_argb (P->cr, s->background_color);
          fill_rect (P, box->x, box->y, box->w, box->h);
        }
      paint_borders (P, box);
    }
  else
    paint_paragraph (P, box);

  if (box->marker != NULL)
    paint_marker (P, box);

  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    paint_box (P, child);
}

/**
 * bh_paint_document: (skip)
 *
 * Paints the laid-out document; see bh_document_paint().
 */
void
bh_paint_document (BhDocument *doc, cairo_t *cr, double scroll_y, double viewport_width, double viewport_height)
{
  Painter P = { .L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale }, .cr = cr };

  P.L.keep_layouts = keep_all_layouts (doc);
  P.y0 = scroll_y;
  P.y1 = scroll_y + viewport_height;
  doc->paint_gen++;

  /* Painting paragraphs whose height was estimated measures them; when that moves
   * things, lay out again (measured paragraphs cost nothing then) and paint again. */
  for (int attempt = 0; attempt < 4; attempt++)
    {
      doc->positions_dirty = FALSE;
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, viewport_width, viewport_height);
      cairo_clip (cr);
      set_source_argb (cr, doc->background);
      cairo_paint (cr);
      cairo_translate (cr, 0, -scroll_y);
      paint_box (&P, doc->root);
      cairo_restore (cr);
      if (!doc->positions_dirty)
        break;
      bh_layout_document (doc);
    }

  /* on big documents, keep only the layouts this paint needed */
  if (!P.L.keep_layouts)
    {
      guint out = 0;
      for (guint i = 0; i < doc->cached_layouts->len; i++)
        {
          BhParagraph *para = doc->cached_layouts->pdata[i];
          if (para->paint_gen == doc->paint_gen)
            doc->cached_layouts->pdata[out++] = para;
          else
            {
              para->cached = FALSE;
              bh_paragraph_drop_layout (para);
            }
        }
      g_ptr_array_set_size (doc->cached_layouts, out);
    }
}

/* ---------------------------------------------------------------- hit testing */

static gboolean
box_contains (const BhBox *box, double x, double y)
{
  return x >= box->x && x < box->x + box->w && y >= box->y && y < box->y + box->h;
}

/**
 * bh_layout_link_at: (skip)
 *
 * See bh_document_link_at().
 */
const char *
bh_layout_link_at (BhDocument *doc, double x, double y)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  BhBox *box = doc->root;

  L.keep_layouts = keep_all_layouts (doc);
  while (box != NULL && box->kind != BH_BOX_PARAGRAPH)
    {
      BhBox *hit = NULL;
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        if (box_contains (child, x, y))
          {
            hit = child;
            break;
          }
      box = hit;
    }
  if (box == NULL)
    return NULL;

  {
    BhParagraph *para = box->para;
    PangoLayout *layout = ensure_layout (&L, box, box->w);
    int index, trailing;
    const char *href = NULL;
    double lx = x - box->x - para->align_offset;
    double ly = y - box->y;

    if (pango_layout_xy_to_index (layout, (int) (lx * PANGO_SCALE), (int) (ly * PANGO_SCALE), &index, &trailing))
      for (guint i = 0; i < para->runs->len; i++)
        {
          const BhRun *run = &g_array_index (para->runs, BhRun, i);
          if ((guint) index >= run->start && (guint) index < run->end)
            {
              href = run->href;
              break;
            }
        }
    if (!L.keep_layouts && !para->cached)
      bh_paragraph_drop_layout (para);
    return href;
  }
}

/**
 * bh_layout_node_at: (skip)
 *
 * See bh_dom_node_at(): the innermost element under (@x, @y), document px.
 */
const GumboNode *
bh_layout_node_at (BhDocument *doc, double x, double y)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  BhBox *box = doc->root;
  const GumboNode *found = NULL;

  L.keep_layouts = keep_all_layouts (doc);
  while (box != NULL && box->kind != BH_BOX_PARAGRAPH)
    {
      BhBox *hit = NULL;
      if (box->node != NULL)
        found = box->node;
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        if (box_contains (child, x, y))
          {
            hit = child;
            break;
          }
      box = hit;
    }
  if (box != NULL && box->para != NULL)
    {
      BhParagraph *para = box->para;
      PangoLayout *layout = ensure_layout (&L, box, box->w);
      int index, trailing;

      if (pango_layout_xy_to_index (layout, (int) ((x - box->x - para->align_offset) * PANGO_SCALE),
                                    (int) ((y - box->y) * PANGO_SCALE), &index, &trailing))
        for (guint i = 0; i < para->runs->len; i++)
          {
            const BhRun *run = &g_array_index (para->runs, BhRun, i);
            if ((guint) index >= run->start && (guint) index < run->end && run->node != NULL)
              {
                found = run->node;
                break;
              }
          }
      if (!L.keep_layouts && !para->cached)
        bh_paragraph_drop_layout (para);
    }
  return found;
}

static gboolean
node_is_inclusive_ancestor (const GumboNode *ancestor, const GumboNode *node)
{
  for (; node != NULL; node = node->parent)
    if (node == ancestor)
      return TRUE;
  return FALSE;
}

/**
 * bh_layout_node_rect: (skip)
 *
 * See bh_dom_get_rect(): the border box of @node's own box, or for an inline
 * element the union of its text's line extents, in document px.
 */
gboolean
bh_layout_node_rect (BhDocument *doc, const GumboNode *node, double rect[4])
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = g_ptr_array_index (doc->boxes, i);
      if (box->node == node)
        {
          rect[0] = box->x, rect[1] = box->y, rect[2] = box->w, rect[3] = box->h;
          return TRUE;
        }
    }
  L.keep_layouts = keep_all_layouts (doc);
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      BhBox *box = g_ptr_array_index (doc->boxes, i);
      BhParagraph *para = box->para;
      PangoLayout *layout = NULL;

      if (box->kind != BH_BOX_PARAGRAPH || para == NULL)
        continue;
      for (guint r = 0; r < para->runs->len; r++)
        {
          const BhRun *run = &g_array_index (para->runs, BhRun, r);
          PangoRectangle a, b;

          if (run->node == NULL || !node_is_inclusive_ancestor (node, run->node))
            continue;
          if (layout == NULL)
            layout = ensure_layout (&L, box, box->w);
          pango_layout_index_to_pos (layout, (int) run->start, &a);
          pango_layout_index_to_pos (layout, (int) (run->end > run->start ? run->end - 1 : run->end), &b);
          x0 = MIN (x0, box->x + para->align_offset + MIN (a.x, b.x) / (double) PANGO_SCALE);
          y0 = MIN (y0, box->y + a.y / (double) PANGO_SCALE);
          x1 = MAX (x1, box->x + para->align_offset + MAX (a.x, b.x + b.width) / (double) PANGO_SCALE);
          y1 = MAX (y1, box->y + (b.y + b.height) / (double) PANGO_SCALE);
        }
      if (layout != NULL && !L.keep_layouts && !para->cached)
        bh_paragraph_drop_layout (para);
    }
  if (x1 < x0)
    return FALSE;
  rect[0] = x0, rect[1] = y0, rect[2] = x1 - x0, rect[3] = y1 - y0;
  return TRUE;
}
