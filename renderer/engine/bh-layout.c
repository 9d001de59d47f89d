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
  else
    {
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        {
          double cmn, cmx;
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

void
bh_layout_children (Layout *L, BhBox *box, double x, double width, Cursor *cur)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      switch (child->kind)
        {
        case BH_BOX_PARAGRAPH:
          bh_layout_paragraph (L, child, x, width, cur);
          break;
        case BH_BOX_TABLE:
          bh_layout_table (L, child, x, width, cur);
          break;
        default:
          bh_layout_block (L, child, x, width, cur);
          break;
        }
    }
}

void
bh_layout_block (Layout *L, BhBox *box, double cb_x, double cb_w, Cursor *cur)
{
  const BhStyle *s = box->style;
  Edges e;
  double content_w;
  gboolean sized = FALSE;

  bh_layout_compute_edges (L, s, cb_w, &e);
  if (s->width.unit != BH_UNIT_AUTO)
    {
      content_w = bh_layout_length_px (L, &s->width, cb_w);
      if (s->border_box)
        content_w -= e.bl + e.br + e.pl + e.pr;
      sized = TRUE;
    }
  else
    content_w = cb_w - e.ml - e.mr - e.bl - e.br - e.pl - e.pr;
  if (s->max_width.unit != BH_UNIT_AUTO)
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

  bh_layout_margin_add (cur, e.mt);
  if (e.bt + e.pt > 0)
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

  bh_layout_children (L, box, box->x + e.bl + e.pl, content_w, cur);

  if (e.bb + e.pb > 0 || s->height.unit == BH_UNIT_PX)
    {
      double content_top;
      bh_layout_margin_resolve (L, cur);
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
  bh_layout_margin_add (cur, e.mb);
}

void
bh_layout_shift_subtree (BhBox *box, double dy)
{
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      child->y += dy;
      bh_layout_shift_subtree (child, dy);
    }
}

/* Lays out a cell's content at the cell's x, y and width; returns its border-box height. */
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
  L.keep_layouts = bh_layout_keep_all_layouts (doc);
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
  bh_layout_cursor_init (&L, &cur, 0);
  root->x = 0;
  root->y = 0;
  root->w = doc->layout_width;
  bh_layout_children (&L, root, 0, doc->layout_width, &cur);
  bh_layout_margin_resolve (&L, &cur);
  root->h = cur.y;
  doc->height = cur.y;
  doc->positions_dirty = FALSE;
  g_ptr_array_unref (L.pending);
}
