/* bh-layout-position.c: boxes out of normal flow: floats and positioned boxes
 *
 * Floats follow CSS 2.1 section 9.5: a float is laid out at its shrink-to-fit width as
 * a block formatting context root, then placed as high as it may go (not above the
 * current line) and as far left (or right) as the earlier floats of its block
 * formatting context allow; if it does not fit beside them it moves down. The rules
 * work on margin boxes, so a negative margin lets a float sit over another (the
 * "margin-left: -100%" sidebars of Sphinx themes). Paragraphs beside floats are
 * narrowed to the band free at their first line (bh-layout-inline.c), blocks that
 * establish a block formatting context go beside them, clear moves below them.
 *
 * Positioned boxes follow CSS 2.1 sections 9.3 and 10.3.7/10.6.4: relative boxes are
 * shifted after layout; absolute boxes wait in Layout.absolutes with their static
 * position until their containing block (the nearest positioned ancestor's padding
 * box, or the viewport) is laid out; fixed boxes use the viewport, and bh-paint.c
 * keeps them there when the page scrolls.
 */
#include "bh-layout-private.h"

#include <math.h>

static gboolean
overlaps (const BhFloatRect *f, double y, double h)
{
  return f->y < y + MAX (h, 0.01) && f->y + f->h > y && f->h > 0;
}

void
bh_layout_float_band (Layout *L, double y, double h, double *x, double *w)
{
  double left = *x, right = *x + *w;

  for (guint i = L->float_base; i < L->floats->len; i++)
    {
      const BhFloatRect *f = &g_array_index (L->floats, BhFloatRect, i);
      if (!overlaps (f, y, h))
        continue;
      if (f->side == BH_FLOAT_LEFT)
        left = MAX (left, f->x + f->w);
      else
        right = MIN (right, f->x);
    }
  *x = left;
  *w = MAX (0, right - left);
}

double
bh_layout_below_floats (Layout *L, double y, double h, double x, double w, double need)
{
  for (int round = 0; round < 1000; round++)
    {
      double bx = x, bw = w, next = G_MAXDOUBLE;
      bh_layout_float_band (L, y, h, &bx, &bw);
      if (bw >= need || bw >= w)
        return y;
      for (guint i = L->float_base; i < L->floats->len; i++)
        {
          const BhFloatRect *f = &g_array_index (L->floats, BhFloatRect, i);
          if (overlaps (f, y, h) && f->y + f->h < next)
            next = f->y + f->h;
        }
      if (next == G_MAXDOUBLE || next <= y)
        return y;
      y = next;
    }
  return y;
}

double
bh_layout_clearance (Layout *L, guint8 clear)
{
  double below = -G_MAXDOUBLE;

  for (guint i = L->float_base; i < L->floats->len; i++)
    {
      const BhFloatRect *f = &g_array_index (L->floats, BhFloatRect, i);
      if ((f->side == BH_FLOAT_LEFT && (clear & BH_CLEAR_LEFT)) || (f->side == BH_FLOAT_RIGHT && (clear & BH_CLEAR_RIGHT)))
        below = MAX (below, f->y + f->h);
    }
  return below;
}

double
bh_layout_floats_bottom (Layout *L, guint base)
{
  double bottom = 0;

  for (guint i = base; i < L->floats->len; i++)
    {
      const BhFloatRect *f = &g_array_index (L->floats, BhFloatRect, i);
      bottom = MAX (bottom, f->y + f->h);
    }
  return bottom;
}

/**
 * bh_layout_float: (skip)
 * @L: the layout pass
 * @box: a box with float: left or right
 * @cb_x: its containing block's left
 * @cb_w: its containing block's width
 * @cur: the flow it floats in; not advanced
 *
 * Lays a float out and places it (see the file comment).
 */
void
bh_layout_float (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur)
{
  const BhStyle *s = box->style;
  double border_w = bh_layout_shrink_to_fit (L, box, cb_w);
  double y = cur->y + cur->margin_pos + cur->margin_neg;
  double outer_w, outer_h, x = cb_x;
  BhFloatRect rect;
  Edges e;

  bh_layout_compute_edges (L, s, cb_w, &e);
  if (e.ml_auto)
    e.ml = 0;
  if (e.mr_auto)
    e.mr = 0;
  /* a float is no higher than an earlier float (rule 5) */
  for (guint i = L->float_base; i < L->floats->len; i++)
    y = MAX (y, g_array_index (L->floats, BhFloatRect, i).y);
  outer_w = border_w + e.ml + e.mr;
  outer_h = bh_layout_bfc_at (L, box, 0, 0, cb_w, border_w);

  for (int round = 0; round < 1000; round++)
    {
      double bx = cb_x, bw = cb_w, next = G_MAXDOUBLE;
      bh_layout_float_band (L, y, outer_h, &bx, &bw);
      if (outer_w <= bw + 0.01 || bw >= cb_w)
        {
          x = s->float_ == BH_FLOAT_LEFT ? bx : bx + bw - outer_w;
          break;
        }
      for (guint i = L->float_base; i < L->floats->len; i++)
        {
          const BhFloatRect *f = &g_array_index (L->floats, BhFloatRect, i);
          if (overlaps (f, y, outer_h) && f->y + f->h < next)
            next = f->y + f->h;
        }
      if (next == G_MAXDOUBLE || next <= y)
        {
          x = s->float_ == BH_FLOAT_LEFT ? bx : bx + bw - outer_w;
          break;
        }
      y = next;
    }
  /* the box was laid out with its margin box at (0, 0) */
  box->x += x;
  box->y += y;
  bh_layout_shift_subtree_xy (box, x, y);
  rect = (BhFloatRect) { x, y, outer_w, outer_h, s->float_ };
  g_array_append_val (L->floats, rect);
}

static gboolean
is_set (const BhLength *len)
{
  return len->unit != BH_UNIT_AUTO;
}

void
bh_layout_relative_offset (Layout *L, BhBox *box, double cb_w)
{
  const BhStyle *s = box->style;
  double dx = 0, dy = 0;

  if (s->position == BH_POSITION_STICKY)
    return;  /* sticky boxes stay where the flow put them */
  if (is_set (&s->offset[BH_LEFT]))
    dx = bh_layout_length_px (L, &s->offset[BH_LEFT], cb_w);
  else if (is_set (&s->offset[BH_RIGHT]))
    dx = -bh_layout_length_px (L, &s->offset[BH_RIGHT], cb_w);
  /* percentages of a height that is not definite are auto */
  if (is_set (&s->offset[BH_TOP]) && s->offset[BH_TOP].unit != BH_UNIT_PERCENT)
    dy = bh_layout_length_px (L, &s->offset[BH_TOP], 0);
  else if (is_set (&s->offset[BH_BOTTOM]) && s->offset[BH_BOTTOM].unit != BH_UNIT_PERCENT)
    dy = -bh_layout_length_px (L, &s->offset[BH_BOTTOM], 0);
  if (dx == 0 && dy == 0)
    return;
  box->x += dx;
  box->y += dy;
  bh_layout_shift_subtree_xy (box, dx, dy);
}

/* One absolutely positioned box in a containing block (CSS 2.1 sections 10.3.7 and
 * 10.6.4, with auto margins as 0). */
static void
layout_absolute (Layout *L, const BhAbsolute *a, double cb_x, double cb_y, double cb_w, double cb_h)
{
  BhBox *box = a->box;
  const BhStyle *s = box->style;
  gboolean has_l = is_set (&s->offset[BH_LEFT]), has_r = is_set (&s->offset[BH_RIGHT]);
  gboolean has_t = is_set (&s->offset[BH_TOP]), has_b = is_set (&s->offset[BH_BOTTOM]);
  double left = bh_layout_length_px (L, &s->offset[BH_LEFT], cb_w);
  double right = bh_layout_length_px (L, &s->offset[BH_RIGHT], cb_w);
  double top = bh_layout_length_px (L, &s->offset[BH_TOP], cb_h);
  double bottom = bh_layout_length_px (L, &s->offset[BH_BOTTOM], cb_h);
  double border_w, outer_w, outer_h, x, y;
  guint saved_base = L->float_base;
  Edges e;

  bh_layout_compute_edges (L, s, cb_w, &e);
  if (e.ml_auto)
    e.ml = 0;
  if (e.mr_auto)
    e.mr = 0;
  if (s->width.unit == BH_UNIT_AUTO && has_l && has_r)
    border_w = MAX (0, cb_w - left - right - e.ml - e.mr);
  else
    border_w = bh_layout_shrink_to_fit (L, box, MAX (0, cb_w - (has_l ? left : 0) - (has_r ? right : 0)));
  outer_w = border_w + e.ml + e.mr;
  L->float_base = L->floats->len;
  outer_h = bh_layout_bfc_at (L, box, 0, 0, cb_w, border_w);
  g_array_set_size (L->floats, L->float_base);
  L->float_base = saved_base;
  if (s->height.unit == BH_UNIT_AUTO && has_t && has_b)
    {
      double want = cb_h - top - bottom;
      if (want > outer_h)
        {
          box->h += want - outer_h;
          outer_h = want;
        }
    }

  x = has_l ? cb_x + left : has_r ? cb_x + cb_w - right - outer_w : a->static_x;
  y = has_t ? cb_y + top : has_b ? cb_y + cb_h - bottom - outer_h : a->static_y;
  box->x += x;
  box->y += y;
  bh_layout_shift_subtree_xy (box, x, y);
}

/**
 * bh_layout_absolutes: (skip)
 * @L: the layout pass
 * @base: the first entry of L->absolutes that belongs to this containing block
 * @cb_x: the containing block's padding box, document px
 * @cb_y: its top
 * @cb_w: its width
 * @cb_h: its height
 * @fixed_too: whether position: fixed boxes are placed here too (the viewport)
 *
 * Lays out the absolutely positioned boxes recorded since @base and removes them;
 * fixed ones are left for the viewport unless @fixed_too.
 */
void
bh_layout_absolutes (Layout *L, guint base, double cb_x, double cb_y, double cb_w, double cb_h, gboolean fixed_too)
{
  g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (BhAbsolute));
  guint keep = base;

  for (guint i = base; i < L->absolutes->len; i++)
    {
      BhAbsolute a = g_array_index (L->absolutes, BhAbsolute, i);
      if (a.box->style->position == BH_POSITION_FIXED && !fixed_too)
        g_array_index (L->absolutes, BhAbsolute, keep++) = a;
      else
        g_array_append_val (mine, a);
    }
  g_array_set_size (L->absolutes, keep);
  for (guint i = 0; i < mine->len; i++)
    {
      BhAbsolute *a = &g_array_index (mine, BhAbsolute, i);
      guint inner = L->absolutes->len;
      if (a->box->style->position == BH_POSITION_FIXED)
        layout_absolute (L, a, 0, 0, L->viewport_w, L->viewport_h);
      else
        layout_absolute (L, a, cb_x, cb_y, cb_w, cb_h);
      /* what it holds for the viewport goes on up */
      if (fixed_too && L->absolutes->len > inner)
        bh_layout_absolutes (L, inner, 0, 0, L->viewport_w, L->viewport_h, TRUE);
    }
}
