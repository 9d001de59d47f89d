/* bh-layout-flex.c: flex containers and inline-blocks
 *
 * Flex layout follows CSS Flexible Box Layout 1, section 9 ("Flex Layout Algorithm"),
 * reduced: items are the container's in-flow children in `order`; a row's items get
 * their flex base size from flex-basis, width or max-content, lines break where the
 * next item does not fit (flex-wrap), free space goes to flex-grow or is taken by
 * flex-shrink (weighted by the base size), then to auto margins, then to
 * justify-content; align-items/align-self place each item in its line, stretch making
 * it as tall as the line. A column stacks its items; with a definite height, grow and
 * justify-content share the rest of it. Items are block formatting context roots.
 *
 * An inline-block (and inline-flex) is an object in its paragraph's Pango layout whose
 * box is laid out here at its shrink-to-fit width (CSS 2.1 section 10.3.9) and moved to
 * where Pango put the object.
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  BhBox *box;
  Edges e;
  double base;      /* flex base size, border box, main axis */
  double min, max;  /* main size limits, border box */
  double main;      /* the used main size, border box */
  double outer_h;   /* margin box height after layout */
  double pos;       /* main axis position of the margin box */
  gboolean frozen;
  gboolean min_pending;  /* min is the automatic minimum, not measured yet */
  int index;        /* document order, for a stable sort by order */
} Item;

static int
compare_order (gconstpointer a, gconstpointer b)
{
  const Item *x = a, *y = b;

  if (x->box->style->order != y->box->style->order)
    return x->box->style->order < y->box->style->order ? -1 : 1;
  return x->index - y->index;
}

static gboolean
is_item (const BhBox *child)
{
  const BhStyle *s = child->style;
  return child->kind == BH_BOX_PARAGRAPH || child->anonymous ||
         (s->position != BH_POSITION_ABSOLUTE && s->position != BH_POSITION_FIXED);
}

static double
gap_px (const Layout *L, const BhLength *gap, double ref)
{
  return MAX (0, bh_layout_length_px (L, gap, ref));
}

static guint8
item_align (const BhStyle *container, const BhStyle *item)
{
  return item->align_self != BH_FLEX_AUTO ? item->align_self : container->align_items;
}

/* An item's min-content and max-content border-box widths (intrinsic widths hold the
 * margins as measured: percentages as 0). */
static void
item_content_widths (Layout *L, const Item *it, double *mn, double *mx)
{
  BhBox *child = it->box;

  bh_layout_intrinsic_widths (L, child, mn, mx);
  if (child->kind != BH_BOX_PARAGRAPH)
    {
      Edges e0;
      bh_layout_compute_edges (L, child->style, 0, &e0);
      *mn -= (e0.ml_auto ? 0 : e0.ml) + (e0.mr_auto ? 0 : e0.mr);
      *mx -= (e0.ml_auto ? 0 : e0.ml) + (e0.mr_auto ? 0 : e0.mr);
    }
}

/* The automatic minimum size (section 4.5): min-content, or the specified width if
 * smaller; 0 for an item that scrolls. */
static void
resolve_auto_min (Layout *L, Item *it, double width)
{
  const BhStyle *s = it->box->style;
  double frame = it->e.bl + it->e.br + it->e.pl + it->e.pr, mn, mx;

  if (!it->min_pending)
    return;
  it->min_pending = FALSE;
  if (s->overflow != BH_OVERFLOW_VISIBLE)
    return;
  item_content_widths (L, it, &mn, &mx);
  it->min = mn;
  if (it->box->kind != BH_BOX_PARAGRAPH && s->width.unit != BH_UNIT_AUTO)
    it->min = MIN (it->min, bh_layout_length_px (L, &s->width, width) + (s->border_box ? 0 : frame));
  it->min = MAX (it->min, frame);
  it->max = MAX (it->max, it->min);
}

/* The items of a row, with their base sizes and limits, in order. Content widths are
 * measured only where needed (measuring lays every paragraph out unwrapped): for a
 * content-sized base, and for the automatic minimum once a line must shrink. */
static GArray *
collect_items (Layout *L, BhBox *box, double width)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));
  int index = 0;

  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      Item it = { .box = child, .index = index++ };
      const BhStyle *s = child->style;
      double frame;

      if (!is_item (child))
        continue;
      bh_layout_compute_edges (L, s, width, &it.e);
      if (child->kind == BH_BOX_PARAGRAPH)
        it.e = (Edges) { 0 };
      frame = it.e.bl + it.e.br + it.e.pl + it.e.pr;
      if (child->kind != BH_BOX_PARAGRAPH && s->flex_basis.unit != BH_UNIT_AUTO &&
          !(s->flex_basis.unit == BH_UNIT_PERCENT && width <= 0))
        it.base = bh_layout_length_px (L, &s->flex_basis, width) + (s->border_box ? 0 : frame);
      else if (child->kind != BH_BOX_PARAGRAPH && s->width.unit != BH_UNIT_AUTO)
        it.base = bh_layout_length_px (L, &s->width, width) + (s->border_box ? 0 : frame);
      else
        {
          double mn, mx;
          item_content_widths (L, &it, &mn, &mx);
          it.base = mx;
        }
      it.min = frame;
      it.max = G_MAXDOUBLE;
      if (child->kind != BH_BOX_PARAGRAPH && s->max_width.unit != BH_UNIT_AUTO)
        it.max = bh_layout_length_px (L, &s->max_width, width) + (s->border_box ? 0 : frame);
      if (child->kind == BH_BOX_PARAGRAPH || s->min_width.unit == BH_UNIT_AUTO)
        {
          /* a base from width or content is at least the automatic minimum, which
           * then matters only when shrinking; a base from flex-basis may be less */
          it.min_pending = TRUE;
          if (child->kind != BH_BOX_PARAGRAPH && s->flex_basis.unit != BH_UNIT_AUTO && s->width.unit == BH_UNIT_AUTO)
            resolve_auto_min (L, &it, width);
        }
      else
        it.min = MAX (frame, bh_layout_length_px (L, &s->min_width, width) + (s->border_box ? 0 : frame));
      it.max = MAX (it.max, it.min);
      it.base = MAX (it.base, 0);
      g_array_append_val (items, it);
    }
  g_array_sort (items, compare_order);
  return items;
}

static double
outer_main (const Item *it)
{
  return it->main + (it->e.ml_auto ? 0 : it->e.ml) + (it->e.mr_auto ? 0 : it->e.mr);
}

/* Resolves flexible lengths for the items [first, last) in @avail px (section 9.7,
 * with a few rounds of freezing the items that hit a limit). */
static void
resolve_lengths (Item *items, guint first, guint last, double avail, double gap)
{
  double used = gap * (last - first - 1);
  gboolean grow;

  for (guint i = first; i < last; i++)
    {
      Item *it = &items[i];
      it->main = CLAMP (it->base, it->min, it->max);
      it->frozen = FALSE;
      used += outer_main (it);
    }
  grow = used < avail;
  for (int round = 0; round < 4; round++)
    {
      double free = avail - gap * (last - first - 1), weights = 0;
      gboolean clamped = FALSE;

      for (guint i = first; i < last; i++)
        {
          Item *it = &items[i];
          const BhStyle *s = it->box->style;
          double margins = (it->e.ml_auto ? 0 : it->e.ml) + (it->e.mr_auto ? 0 : it->e.mr);
          if (it->frozen)
            free -= it->main + margins;
          else
            {
              free -= it->base + margins;
              weights += grow ? s->flex_grow : s->flex_shrink * it->base;
            }
        }
      if (weights <= 0 || (grow && free <= 0) || (!grow && free >= 0))
        break;
      for (guint i = first; i < last; i++)
        {
          Item *it = &items[i];
          const BhStyle *s = it->box->style;
          double share, target;
          if (it->frozen)
            continue;
          share = grow ? s->flex_grow : s->flex_shrink * it->base;
          /* below one a sum of grow factors takes only that part of the space */
          if (grow && weights < 1)
            target = it->base + free * share;
          else
            target = it->base + free * share / weights;
          it->main = CLAMP (target, it->min, it->max);
          if (it->main != target)
            {
              it->frozen = TRUE;
              clamped = TRUE;
            }
        }
      if (!clamped)
        break;
    }
}

/* Where the first item goes and what comes between items, from the free space. */
static void
justify (guint8 how, double free, guint n, double *start, double *between)
{
  *start = 0;
  *between = 0;
  if (free <= 0 && how != BH_FLEX_CENTER && how != BH_FLEX_END)
    return;
  switch (how)
    {
    case BH_FLEX_END: *start = free; break;
    case BH_FLEX_CENTER: *start = free / 2; break;
    case BH_FLEX_SPACE_BETWEEN: *between = n > 1 ? free / (n - 1) : 0; break;
    case BH_FLEX_SPACE_AROUND: *between = free / n; *start = *between / 2; break;
    case BH_FLEX_SPACE_EVENLY: *between = free / (n + 1); *start = *between; break;
    default: break;
    }
}

/* Lays an item out with its top margin edge at @y and its margin box at @x. */
static double
place_item (Layout *L, Item *it, double x, double y, double cb_w, double border_w)
{
  if (it->box->kind == BH_BOX_PARAGRAPH)
    {
      Cursor cur;
      bh_layout_cursor_init (L, &cur, y);
      bh_layout_paragraph (L, it->box, x, border_w, &cur);
      return cur.y - y;
    }
  return bh_layout_bfc_at (L, it->box, x - (it->e.ml_auto ? 0 : it->e.ml) + it->e.ml, y, cb_w, border_w);
}

/* Stretches or moves an item within a line @line_h tall whose top is @top. */
static void
align_item (const BhStyle *container, Item *it, double line_h)
{
  BhBox *box = it->box;
  guint8 align = item_align (container, box->style);
  double room = line_h - it->outer_h;
  double dy = 0;

  if (room <= 0)
    return;
  switch (align)
    {
    case BH_FLEX_CENTER: dy = room / 2; break;
    case BH_FLEX_END: dy = room; break;
    case BH_FLEX_STRETCH:
      if (box->kind != BH_BOX_PARAGRAPH && box->style->height.unit == BH_UNIT_AUTO)
        box->h += room;  /* the content stays at the top (section 9.4 step 11) */
      return;
    default:
      return;
    }
  box->y += dy;
  bh_layout_shift_subtree (box, dy);
}

static double
layout_row (Layout *L, BhBox *box, double x, double y, double width, double definite_h)
{
  const BhStyle *s = box->style;
  g_autoptr(GArray) array = collect_items (L, box, width);
  Item *items = (Item *) array->data;
  double col_gap = gap_px (L, &s->column_gap, width);
  double row_gap = gap_px (L, &s->row_gap, width);
  gboolean reverse = s->flex_direction == BH_FLEX_ROW_REVERSE;
  double line_top = y;
  guint first = 0;

  while (first < array->len)
    {
      guint last = first + 1;
      double used, start, between, line_h = 0, pos, free;
      int n_auto = 0;

      /* break the line where the next item's hypothetical size does not fit */
      if (s->flex_wrap != 0)
        {
          double sum = CLAMP (items[first].base, items[first].min, items[first].max) +
                       (items[first].e.ml_auto ? 0 : items[first].e.ml) + (items[first].e.mr_auto ? 0 : items[first].e.mr);
          while (last < array->len)
            {
              Item *it = &items[last];
              double w = CLAMP (it->base, it->min, it->max) + (it->e.ml_auto ? 0 : it->e.ml) + (it->e.mr_auto ? 0 : it->e.mr);
              if (sum + col_gap + w > width + 0.01)
                break;
              sum += col_gap + w;
              last++;
            }
        }
      else
        last = array->len;

      {
        double sum = col_gap * (last - first - 1);
        for (guint i = first; i < last; i++)
          sum += items[i].base + (items[i].e.ml_auto ? 0 : items[i].e.ml) + (items[i].e.mr_auto ? 0 : items[i].e.mr);
        for (guint i = first; i < last; i++)
          if (sum > width)
            resolve_auto_min (L, &items[i], width);
      }
      resolve_lengths (items, first, last, width, col_gap);
      used = col_gap * (last - first - 1);
      for (guint i = first; i < last; i++)
        {
          used += outer_main (&items[i]);
          n_auto += items[i].e.ml_auto + items[i].e.mr_auto;
        }
      free = width - used;
      if (n_auto > 0 && free > 0)
        {
          /* auto margins take the free space first (section 8.1) */
          for (guint i = first; i < last; i++)
            {
              if (items[i].e.ml_auto)
                items[i].e.ml = free / n_auto;
              if (items[i].e.mr_auto)
                items[i].e.mr = free / n_auto;
              items[i].e.ml_auto = items[i].e.mr_auto = FALSE;
            }
          free = 0;
        }
      else
        for (guint i = first; i < last; i++)
          {
            if (items[i].e.ml_auto)
              items[i].e.ml = 0;
            if (items[i].e.mr_auto)
              items[i].e.mr = 0;
            items[i].e.ml_auto = items[i].e.mr_auto = FALSE;
          }
      justify (s->justify_content, free, last - first, &start, &between);
      pos = start;
      for (guint i = first; i < last; i++)
        {
          Item *it = &items[i];
          double outer = outer_main (it);
          double margin_x = reverse ? x + width - pos - outer : x + pos;
          it->outer_h = place_item (L, it, margin_x, line_top, width, it->main);
          line_h = MAX (line_h, it->outer_h);
          pos += outer + col_gap + between;
        }
      if (s->flex_wrap == 0 && definite_h >= 0)
        line_h = MAX (line_h, definite_h);
      for (guint i = first; i < last; i++)
        align_item (s, &items[i], line_h);
      line_top += line_h;
      first = last;
      if (first < array->len)
        line_top += row_gap;
    }
  return line_top - y;
}

static double
layout_column (Layout *L, BhBox *box, double x, double y, double width, double definite_h)
{
  const BhStyle *s = box->style;
  g_autoptr(GArray) array = collect_items (L, box, width);
  Item *items = (Item *) array->data;
  double row_gap = gap_px (L, &s->row_gap, width);
  double cur_y = y, grow_sum = 0, total;

  for (guint i = 0; i < array->len; i++)
    {
      Item *it = &items[i];
      guint8 align = item_align (s, it->box->style);
      double margins = (it->e.ml_auto ? 0 : it->e.ml) + (it->e.mr_auto ? 0 : it->e.mr);
      double border_w, margin_x = x;

      if (align == BH_FLEX_STRETCH && (it->box->kind == BH_BOX_PARAGRAPH || it->box->style->width.unit == BH_UNIT_AUTO))
        border_w = width - margins;
      else
        border_w = bh_layout_shrink_to_fit (L, it->box, width);
      border_w = CLAMP (border_w, it->min, MAX (it->min, it->max));  /* (no automatic minimum in a column's width) */
      if (align == BH_FLEX_CENTER)
        margin_x = x + (width - border_w - margins) / 2;
      else if (align == BH_FLEX_END)
        margin_x = x + width - border_w - margins;
      if (it->e.ml_auto)
        it->e.ml = 0;
      it->outer_h = place_item (L, it, margin_x, cur_y, width, border_w);
      it->pos = cur_y;
      cur_y += it->outer_h + (i + 1 < array->len ? row_gap : 0);
      grow_sum += it->box->style->flex_grow;
    }
  total = cur_y - y;
  if (definite_h > total)
    {
      /* the rest of a definite height: to flex-grow, else to justify-content */
      double free = definite_h - total, start = 0, between = 0, shift = 0;
      if (grow_sum <= 0)
        justify (s->justify_content, free, array->len, &start, &between);
      shift = start;
      for (guint i = 0; i < array->len; i++)
        {
          Item *it = &items[i];
          double extra = grow_sum > 0 ? free * it->box->style->flex_grow / grow_sum : 0;
          if (shift != 0)
            {
              it->box->y += shift;
              bh_layout_shift_subtree (it->box, shift);
            }
          if (extra > 0 && it->box->kind != BH_BOX_PARAGRAPH)
            it->box->h += extra;
          shift += extra + between;
        }
      total = definite_h;
    }
  return total;
}

/**
 * bh_layout_flex: (skip)
 * @L: the layout pass
 * @box: a flex container whose top edge is placed
 * @x: the left of its content box
 * @y: the top of its content box
 * @width: its content width
 * @definite_h: its content height if definite, else < 0
 *
 * Returns: the height its lines (or, in a column, its items) take.
 */
double
bh_layout_flex (Layout *L, BhBox *box, double x, double y, double width, double definite_h)
{
  guint8 dir = box->style->flex_direction;

  if (dir == BH_FLEX_COLUMN || dir == BH_FLEX_COLUMN_REVERSE)
    return layout_column (L, box, x, y, width, definite_h);
  return layout_row (L, box, x, y, width, definite_h);
}

/**
 * bh_layout_flex_intrinsic: (skip)
 *
 * A flex container's min-content and max-content widths without its own frame (CSS
 * Flexbox 1 section 9.9.1, reduced): a row's items side by side at max-content, at
 * min-content the widest item when it wraps, else all side by side; a column's widest.
 */
void
bh_layout_flex_intrinsic (Layout *L, BhBox *box, double *min_w, double *max_w)
{
  const BhStyle *s = box->style;
  gboolean row = s->flex_direction == BH_FLEX_ROW || s->flex_direction == BH_FLEX_ROW_REVERSE;
  double mn = 0, mx = 0, gap = gap_px (L, &s->column_gap, 0);
  int n = 0;

  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      double cmn, cmx;
      if (!is_item (child))
        continue;
      bh_layout_intrinsic_widths (L, child, &cmn, &cmx);
      if (row)
        {
          mx += cmx + (n > 0 ? gap : 0);
          mn = s->flex_wrap ? MAX (mn, cmn) : mn + cmn + (n > 0 ? gap : 0);
        }
      else
        {
          mx = MAX (mx, cmx);
          mn = MAX (mn, cmn);
        }
      n++;
    }
  *min_w = mn;
  *max_w = MAX (mn, mx);
}

/* The baseline of a laid-out box from @top: its first line's, else its bottom. */
static double
first_baseline (const BhBox *box, double top, gboolean *found)
{
  if (box->kind == BH_BOX_PARAGRAPH)
    {
      *found = TRUE;
      return box->y - top + box->para->first_baseline;
    }
  for (const BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      double b = first_baseline (child, top, found);
      if (*found)
        return b;
    }
  return 0;
}

/**
 * bh_layout_inline_block: (skip)
 * @L: the layout (a pass, or a paint that rebuilds a paragraph's layout)
 * @obj: a BH_OBJECT_BLOCK object
 * @avail_w: the paragraph's width, < 0 when measuring without one
 * @w: (out): the object's width: the box's margin box
 * @h: (out): its height
 *
 * Lays the inline-block's box out at its shrink-to-fit width with its margin box at
 * (0, 0); bh_layout_paragraph() moves it to its place in the line. Outside a layout pass
 * (painting, hit testing) the size of the last pass is kept, so they never move boxes.
 */
void
bh_layout_inline_block (Layout *L, BhObject *obj, double avail_w, double *w, double *h)
{
  BhBox *box = obj->block;
  double border_w, height;
  gboolean found = FALSE;
  Edges e;

  if (!L->in_pass)
    {
      /* painting, hit testing, selection: sizes as the last pass left them (a Layout
       * made outside a pass has no scratch arrays to lay boxes out with) */
      *w = obj->w;
      *h = obj->h;
      return;
    }
  if (avail_w < 0)
    {
      double mn, mx;
      bh_layout_intrinsic_widths (L, box, &mn, &mx);
      avail_w = mx;
    }
  bh_layout_compute_edges (L, box->style, avail_w, &e);
  border_w = bh_layout_shrink_to_fit (L, box, avail_w);
  if (e.ml_auto)
    e.ml = 0;
  if (e.mr_auto)
    e.mr = 0;
  height = bh_layout_bfc_at (L, box, 0, 0, avail_w, border_w);
  obj->block_x = 0;
  obj->block_y = 0;
  obj->baseline = first_baseline (box, 0, &found);
  if (!found || obj->baseline > height)
    obj->baseline = height;  /* no line: the bottom margin edge (CSS 2.1 section 10.8.1) */
  *w = MAX (0, border_w + e.ml + e.mr);
  *h = height;
}
