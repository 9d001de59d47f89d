/* bh-layout.c: block layout of the box tree, the layout pass, and what the other
 * layout files share (lengths, edges, margins, intrinsic widths)
 *
 * Block layout is CSS 2.1 normal flow (section 9.4.1) with vertical margin collapsing
 * between siblings and through parents without border or padding (section 8.3.1).
 * Paragraphs are laid out in bh-layout-inline.c, tables in bh-layout-table.c; the
 * result is painted by bh-paint.c.
 *
 * Recursion here follows the box tree, whose depth the builder caps at
 * BH_MAX_BOX_DEPTH, so the C stack stays small whatever the page.
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>

const char *
bh_layout_family_name (guint8 family)
{
  switch (family)
    {
    case BH_FAMILY_MONO: return "DejaVu Sans Mono";
    case BH_FAMILY_SERIF: return "DejaVu Serif";
    default: return "DejaVu Sans";
    }
}

double
bh_layout_length_px (const Layout *L, const BhLength *len, double ref_width)
{
  switch (len->unit)
    {
    case BH_UNIT_PX: return len->value * L->scale;
    case BH_UNIT_PERCENT: return len->value / 100.0 * ref_width;
    case BH_UNIT_CALC: return len->value * L->scale + len->pct / 100.0 * ref_width;
    /* vw and vh are px by the cascade; these are what a var() left over */
    case BH_UNIT_VW: return len->value / 100.0 * L->viewport_w;
    case BH_UNIT_VH: return len->value / 100.0 * L->viewport_h;
    default: return 0;
    }
}

double
bh_layout_border_px (const Layout *L, const BhStyle *s, int side)
{
  double w = s->border_width[side];

  if (w <= 0 || s->border_style[side] == BH_BORDER_NONE)
    return 0;
  /* whole device pixels, at least one, so thin borders stay sharp */
  return MAX (1.0, round (w * L->scale * L->device_scale)) / L->device_scale;
}

void
bh_layout_compute_edges (const Layout *L, const BhStyle *s, double cb_w, Edges *e)
{
  e->mt = bh_layout_length_px (L, &s->margin[BH_TOP], cb_w);
  e->mr = bh_layout_length_px (L, &s->margin[BH_RIGHT], cb_w);
  e->mb = bh_layout_length_px (L, &s->margin[BH_BOTTOM], cb_w);
  e->ml = bh_layout_length_px (L, &s->margin[BH_LEFT], cb_w);
  e->ml_auto = s->margin[BH_LEFT].unit == BH_UNIT_AUTO;
  e->mr_auto = s->margin[BH_RIGHT].unit == BH_UNIT_AUTO;
  e->pt = bh_layout_length_px (L, &s->padding[BH_TOP], cb_w);
  e->pr = bh_layout_length_px (L, &s->padding[BH_RIGHT], cb_w);
  e->pb = bh_layout_length_px (L, &s->padding[BH_BOTTOM], cb_w);
  e->pl = bh_layout_length_px (L, &s->padding[BH_LEFT], cb_w);
  e->bt = bh_layout_border_px (L, s, BH_TOP);
  e->br = bh_layout_border_px (L, s, BH_RIGHT);
  e->bb = bh_layout_border_px (L, s, BH_BOTTOM);
  e->bl = bh_layout_border_px (L, s, BH_LEFT);
}

/* ---------------------------------------------------------------- margins */

void
bh_layout_margin_add (Cursor *cur, double m)
{
  if (m > cur->margin_pos)
    cur->margin_pos = m;
  if (m < cur->margin_neg)
    cur->margin_neg = m;
}

/* Something with height is placed: the collapsed margin above it becomes space, and
 * every box waiting for its top edge gets it. */
void
bh_layout_margin_resolve (Layout *L, Cursor *cur)
{
  cur->y += cur->margin_pos + cur->margin_neg;
  cur->margin_pos = cur->margin_neg = 0;
  for (guint i = cur->pending_base; i < L->pending->len; i++)
    ((BhBox *) L->pending->pdata[i])->y = cur->y;
  g_ptr_array_set_size (L->pending, cur->pending_base);
}

void
bh_layout_cursor_init (Layout *L, Cursor *cur, double y)
{
  cur->y = y;
  cur->margin_pos = cur->margin_neg = 0;
  cur->pending_base = L->pending->len;
}

/* ---------------------------------------------------------------- intrinsic widths */

double
bh_layout_horizontal_frame (const Layout *L, const BhStyle *s)
{
  Edges e;

  /* percentages have nothing to refer to while measuring */
  bh_layout_compute_edges (L, s, 0, &e);
  return e.bl + e.br + e.pl + e.pr + (e.ml_auto ? 0 : e.ml) + (e.mr_auto ? 0 : e.mr);
}

void
bh_layout_intrinsic_widths (Layout *L, BhBox *box, double *min_w, double *max_w)
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
    bh_layout_paragraph_intrinsic (L, box, &mn, &mx);
  else if (box->kind == BH_BOX_TABLE)
    bh_layout_table_intrinsic (L, box, &mn, &mx);
  else if (s->display == BH_DISPLAY_FLEX || s->display == BH_DISPLAY_INLINE_FLEX)
    bh_layout_flex_intrinsic (L, box, &mn, &mx);
  else if (s->display == BH_DISPLAY_GRID)
    bh_layout_grid_intrinsic (L, box, &mn, &mx);
  else
    {
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        {
          double cmn, cmx;
          if (child->kind != BH_BOX_PARAGRAPH &&
              (child->style->position == BH_POSITION_ABSOLUTE || child->style->position == BH_POSITION_FIXED))
            continue;
          bh_layout_intrinsic_widths (L, child, &cmn, &cmx);
          mn = MAX (mn, cmn);
          mx = MAX (mx, cmx);
        }
    }

  if (box->kind != BH_BOX_PARAGRAPH)
    {
      double frame = bh_layout_horizontal_frame (L, s);
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

/* ---------------------------------------------------------------- blocks */

gboolean
bh_layout_is_bfc_root (const BhStyle *s)
{
  return s->display == BH_DISPLAY_FLEX || s->display == BH_DISPLAY_INLINE_FLEX || s->display == BH_DISPLAY_GRID ||
         s->display == BH_DISPLAY_FLOW_ROOT || s->display == BH_DISPLAY_INLINE_BLOCK ||
         s->display == BH_DISPLAY_TABLE_CELL || s->overflow != BH_OVERFLOW_VISIBLE ||
         s->float_ != BH_FLOAT_NONE || s->position == BH_POSITION_ABSOLUTE || s->position == BH_POSITION_FIXED;
}

gboolean
bh_layout_is_out_of_flow (const BhBox *box)
{
  const BhStyle *s = box->style;
  return box->kind != BH_BOX_PARAGRAPH && !box->anonymous &&
         (s->float_ != BH_FLOAT_NONE || s->position == BH_POSITION_ABSOLUTE || s->position == BH_POSITION_FIXED);
}

/* A block formatting context root beside floats: it does not overlap them (CSS 2.1
 * section 9.5), so it goes where it fits, narrowed. */
static void
layout_beside_floats (Layout *L, BhBox *child, double x, double width, Cursor *cur)
{
  double need, bx = x, bw = width, y;
  gboolean is_table = child->kind == BH_BOX_TABLE;

  if (L->floats->len == L->float_base)
    {
      if (is_table)
        bh_layout_table (L, child, x, width, cur);
      else
        bh_layout_block (L, child, x, width, cur);
      return;
    }
  bh_layout_margin_resolve (L, cur);
  {
    double mn, mx;
    bh_layout_intrinsic_widths (L, child, &mn, &mx);
    need = mn;
  }
  y = bh_layout_below_floats (L, cur->y, 1, x, width, need);
  if (y > cur->y)
    cur->y = y;
  bh_layout_float_band (L, cur->y, 1, &bx, &bw);
  if (is_table)
    bh_layout_table (L, child, bx, bw, cur);
  else
    bh_layout_block (L, child, bx, bw, cur);
}

void
bh_layout_children (Layout *L, BhBox *box, double x, double width, Cursor *cur)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      const BhStyle *s = child->style;

      if (child->kind != BH_BOX_PARAGRAPH && !child->anonymous &&
          (s->position == BH_POSITION_ABSOLUTE || s->position == BH_POSITION_FIXED))
        {
          /* out of flow: placed when its containing block is done */
          BhAbsolute a = { child, x, cur->y + cur->margin_pos + cur->margin_neg };
          child->x = a.static_x;
          child->y = a.static_y;
          child->h = 0;
          g_array_append_val (L->absolutes, a);
          continue;
        }
      if (child->kind != BH_BOX_PARAGRAPH && !child->anonymous && s->float_ != BH_FLOAT_NONE)
        {
          bh_layout_float (L, child, x, width, cur);
          continue;
        }
      if (child->kind != BH_BOX_PARAGRAPH && s->clear != BH_CLEAR_NONE && L->floats->len > L->float_base)
        {
          double below = bh_layout_clearance (L, s->clear);
          if (below > cur->y + cur->margin_pos + cur->margin_neg)
            {
              bh_layout_margin_resolve (L, cur);
              cur->y = below;
            }
        }
      switch (child->kind)
        {
        case BH_BOX_PARAGRAPH:
          bh_layout_paragraph (L, child, x, width, cur);
          break;
        case BH_BOX_TABLE:
          layout_beside_floats (L, child, x, width, cur);
          break;
        default:
          if (bh_layout_is_bfc_root (s))
            layout_beside_floats (L, child, x, width, cur);
          else
            bh_layout_block (L, child, x, width, cur);
          break;
        }
    }
}

void
bh_layout_block (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur)
{
  bh_layout_block_sized (L, box, cb_x, cb_w, cur, -1);
}

static double
clamp_height (const Layout *L, const BhStyle *s, double h, double frame_v)
{
  /* min-height and max-height in px, vw or vh (percentages need a definite height:
   * not here) */
  if (s->max_height.unit == BH_UNIT_PX || s->max_height.unit == BH_UNIT_VH || s->max_height.unit == BH_UNIT_VW)
    h = MIN (h, bh_layout_length_px (L, &s->max_height, 0) - (s->border_box ? frame_v : 0));
  if (s->min_height.unit == BH_UNIT_PX || s->min_height.unit == BH_UNIT_VH || s->min_height.unit == BH_UNIT_VW)
    h = MAX (h, bh_layout_length_px (L, &s->min_height, 0) - (s->border_box ? frame_v : 0));
  return MAX (0, h);
}

void
bh_layout_block_sized (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur, double border_w)
{
  const BhStyle *s = box->style;
  Edges e;
  double content_w;
  gboolean sized = FALSE;
  gboolean bfc = bh_layout_is_bfc_root (s) && box->kind != BH_BOX_CELL;
  gboolean fixed_h;
  guint abs_base = L->absolutes->len;
  guint saved_float_base = L->float_base;

  bh_layout_compute_edges (L, s, cb_w, &e);
  if (border_w >= 0)
    {
      content_w = border_w - e.bl - e.br - e.pl - e.pr;
      sized = TRUE;
    }
  else if (s->width.unit != BH_UNIT_AUTO)
    {
      content_w = bh_layout_length_px (L, &s->width, cb_w);
      if (s->border_box)
        content_w -= e.bl + e.br + e.pl + e.pr;
      sized = TRUE;
    }
  else
    content_w = cb_w - e.ml - e.mr - e.bl - e.br - e.pl - e.pr;
  if (border_w < 0 && s->max_width.unit != BH_UNIT_AUTO)
    {
      double max_w = bh_layout_length_px (L, &s->max_width, cb_w);
      if (s->border_box)
        max_w -= e.bl + e.br + e.pl + e.pr;
      if (content_w > max_w)
        {
          content_w = max_w;
          sized = TRUE;
        }
    }
  if (border_w < 0 && s->min_width.unit != BH_UNIT_AUTO)
    {
      double min_w = bh_layout_length_px (L, &s->min_width, cb_w);
      if (s->border_box)
        min_w -= e.bl + e.br + e.pl + e.pr;
      if (content_w < min_w)
        {
          content_w = min_w;
          sized = TRUE;
        }
    }
  content_w = MAX (0, content_w);
  if (sized && border_w < 0 && (e.ml_auto || e.mr_auto))
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

  bh_layout_margin_add (cur, e.mt);
  if (e.bt + e.pt > 0 || bfc)
    {
      bh_layout_margin_resolve (L, cur);
      box->y = cur->y;
      cur->y += e.bt + e.pt;
    }
  else
    {
      box->y = NAN;
      g_ptr_array_add (L->pending, box);
    }

  fixed_h = s->height.unit == BH_UNIT_PX || s->height.unit == BH_UNIT_VH || s->height.unit == BH_UNIT_VW;
  if (bfc)
    L->float_base = L->floats->len;
  if (s->display == BH_DISPLAY_FLEX || s->display == BH_DISPLAY_INLINE_FLEX)
    {
      double definite = fixed_h ? bh_layout_length_px (L, &s->height, 0) - (s->border_box ? e.bt + e.bb + e.pt + e.pb : 0) : -1;
      cur->y += bh_layout_flex (L, box, box->x + e.bl + e.pl, cur->y, content_w, definite);
    }
  else if (s->display == BH_DISPLAY_GRID)
    cur->y += bh_layout_grid (L, box, box->x + e.bl + e.pl, cur->y, content_w);
  else
    bh_layout_children (L, box, box->x + e.bl + e.pl, content_w, cur);
  if (bfc)
    {
      /* a block formatting context root contains its floats (CSS 2.1 section 10.6.7) */
      double bottom = bh_layout_floats_bottom (L, L->float_base);
      bh_layout_margin_resolve (L, cur);
      cur->y = MAX (cur->y, bottom);
      g_array_set_size (L->floats, L->float_base);
      L->float_base = saved_float_base;
    }

  if (e.bb + e.pb > 0 || fixed_h || bfc || (s->min_height.unit != BH_UNIT_AUTO && s->min_height.unit != BH_UNIT_PERCENT &&
                                             s->min_height.value > 0))
    {
      double content_top, content_h;
      bh_layout_margin_resolve (L, cur);
      if (isnan (box->y))
        {
          g_ptr_array_remove (L->pending, box);
          box->y = cur->y;
        }
      content_top = box->y + e.bt + e.pt;
      content_h = cur->y - content_top;
      /* height constrains; the content may overflow it (CSS 2.1 section 10.5) */
      if (fixed_h)
        content_h = bh_layout_length_px (L, &s->height, 0) - (s->border_box ? e.bt + e.bb + e.pt + e.pb : 0);
      content_h = clamp_height (L, s, content_h, e.bt + e.bb + e.pt + e.pb);
      cur->y = content_top + content_h + e.pb + e.bb;
    }
  else if (isnan (box->y))
    {
      g_ptr_array_remove (L->pending, box);
      box->y = cur->y;
    }
  box->h = cur->y - box->y;
  bh_layout_margin_add (cur, e.mb);

  if (s->position != BH_POSITION_STATIC && L->absolutes->len > abs_base)
    bh_layout_absolutes (L, abs_base, box->x + e.bl, box->y + e.bt, box->w - e.bl - e.br, box->h - e.bt - e.bb,
                         FALSE);
  if (s->position == BH_POSITION_RELATIVE || s->position == BH_POSITION_STICKY)
    bh_layout_relative_offset (L, box, cb_w);
}

double
bh_layout_bfc_at (Layout *L, BhBox *box, double x, double y, double cb_w, double border_w)
{
  Cursor cur;
  GPtrArray *saved_pending = L->pending;
  double h;

  /* margins inside do not collapse with anything outside */
  L->pending = g_ptr_array_new ();
  bh_layout_cursor_init (L, &cur, y);
  if (box->kind == BH_BOX_TABLE)
    bh_layout_table (L, box, x, cb_w, &cur);
  else
    bh_layout_block_sized (L, box, x, cb_w, &cur, border_w);
  bh_layout_margin_resolve (L, &cur);
  h = cur.y - y;
  g_ptr_array_unref (L->pending);
  L->pending = saved_pending;
  return h;
}

double
bh_layout_shrink_to_fit (Layout *L, BhBox *box, double avail)
{
  const BhStyle *s = box->style;
  double mn, mx, margins;
  Edges e;

  bh_layout_compute_edges (L, s, avail, &e);
  margins = (e.ml_auto ? 0 : e.ml) + (e.mr_auto ? 0 : e.mr);
  if (s->width.unit != BH_UNIT_AUTO)
    {
      double w = bh_layout_length_px (L, &s->width, avail);
      if (!s->border_box)
        w += e.bl + e.br + e.pl + e.pr;
      return MAX (0, w);
    }
  bh_layout_intrinsic_widths (L, box, &mn, &mx);
  {
    /* intrinsic widths hold the margins as measured: percentages as 0 */
    Edges e0;
    bh_layout_compute_edges (L, s, 0, &e0);
    mn -= (e0.ml_auto ? 0 : e0.ml) + (e0.mr_auto ? 0 : e0.mr);
    mx -= (e0.ml_auto ? 0 : e0.ml) + (e0.mr_auto ? 0 : e0.mr);
  }
  /* overflow-wrap: break-word lets long words break, and Chromium shrinks floats and
   * positioned boxes as if they did (CSS Text 3 says that of "anywhere" only) */
  if (s->overflow_wrap)
    mn = MIN (mn, avail - margins);
  return MAX (0, MIN (MAX (mn, avail - margins), mx));
}

void
bh_layout_shift_subtree (BhBox *box, double dy)
{
  bh_layout_shift_subtree_xy (box, 0, dy);
}

void
bh_layout_shift_subtree_xy (BhBox *box, double dx, double dy)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      child->x += dx;
      child->y += dy;
      if (child->para != NULL)
        for (guint i = 0; i < child->para->runs->len; i++)
          {
            BhObject *obj = g_array_index (child->para->runs, BhRun, i).object;
            if (obj != NULL && obj->block != NULL)
              {
                obj->block_x += dx;
                obj->block_y += dy;
              }
          }
      bh_layout_shift_subtree_xy (child, dx, dy);
    }
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

  bh_layout_init (&L, doc);
  L.in_pass = TRUE;
  L.precise_budget = BH_PRECISE_TEXT_BYTES;
  doc->layout_pass++;

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
  bh_layout_cursor_init (&L, &cur, 0);
  root->x = 0;
  root->y = 0;
  root->w = doc->layout_width;
  bh_layout_children (&L, root, 0, doc->layout_width, &cur);
  bh_layout_margin_resolve (&L, &cur);
  cur.y = MAX (cur.y, bh_layout_floats_bottom (&L, 0));
  root->h = cur.y;
  doc->height = cur.y;
  /* the initial containing block is the viewport (CSS 2.1 section 10.1) */
  bh_layout_absolutes (&L, 0, 0, 0, doc->layout_width, L.viewport_h, TRUE);
  bh_layout_scroll_boxes (doc);
  doc->positions_dirty = FALSE;
  bh_layout_clear (&L);
}

/**
 * bh_layout_init: (skip)
 * @L: (out caller-allocates): a layout state with doc, scale and device_scale set
 * @doc: the document
 *
 * Makes the scratch arrays a layout (or a paint that lays a paragraph out) needs.
 */
void
bh_layout_init (Layout *L, BhDocument *doc)
{
  L->pending = g_ptr_array_new ();
  L->floats = g_array_new (FALSE, FALSE, sizeof (BhFloatRect));
  L->absolutes = g_array_new (FALSE, FALSE, sizeof (BhAbsolute));
  L->keep_layouts = bh_layout_keep_all_layouts (doc);
  L->viewport_w = doc->layout_width;
  L->viewport_h = doc->viewport_height > 0 ? doc->viewport_height : 900;
}

void
bh_layout_clear (Layout *L)
{
  g_clear_pointer (&L->pending, g_ptr_array_unref);
  g_clear_pointer (&L->floats, g_array_unref);
  g_clear_pointer (&L->absolutes, g_array_unref);
}
