/* bh-layout-scroll.c: scroll containers and sticky boxes
 *
 * A box with overflow: auto or scroll is a scroll container (CSS Overflow 3 section
 * 2): its content is clipped to its padding box (bh-paint.c) and may be scrolled by
 * the wheel over it, up to its scrollable overflow: the extent of its descendants'
 * boxes past its padding box. The offsets belong to the elements, so they survive a
 * new box tree (a restyle, a resize). A position: sticky box with a top offset is
 * painted moved down so as to stay that far below the top of its nearest scrollport
 * (a scroll container's, or the viewport's), within its containing block.
 */
#include "bh-layout-private.h"

gboolean
bh_layout_is_scroll_box (const BhBox *box)
{
  return box->kind != BH_BOX_PARAGRAPH && box->node != NULL &&
         (box->style->overflow == BH_OVERFLOW_AUTO || box->style->overflow == BH_OVERFLOW_SCROLL);
}

static const double *
stored_offset (BhDocument *doc, const BhBox *box)
{
  return doc->scroll_offsets != NULL ? g_hash_table_lookup (doc->scroll_offsets, box->node) : NULL;
}

/* The right and bottom edges of what @box's subtree paints outside any scroll
 * container inside it, document px; scroll containers on the way get their extents. */
static void
measure (BhDocument *doc, BhBox *box, double *right, double *bottom)
{
  double r = box->x + box->w, b = box->y + box->h;

  if (box->style->position == BH_POSITION_FIXED || box->style->position == BH_POSITION_STICKY)
    doc->has_viewport_boxes = TRUE;
  if (box->para != NULL)
    for (guint i = 0; i < box->para->runs->len; i++)
      {
        const BhObject *obj = g_array_index (box->para->runs, BhRun, i).object;
        if (obj != NULL && obj->kind != BH_OBJECT_BLOCK)
          {
            r = MAX (r, box->x + obj->rel_x + obj->w);
            b = MAX (b, box->y + obj->rel_y + obj->h);
          }
      }
  {
    /* the children's extent alone: the container's own box is not overflow */
    double cr = box->x, cb = box->y;
    for (BhBox *child = box->first_child; child != NULL; child = child->next)
      {
        double child_r, child_b;
        measure (doc, child, &child_r, &child_b);
        cr = MAX (cr, child_r);
        cb = MAX (cb, child_b);
      }
    if (bh_layout_is_scroll_box (box))
      {
        Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
        const BhStyle *s = box->style;
        double pr = bh_layout_length_px (&L, &s->padding[BH_RIGHT], box->w);
        double pb = bh_layout_length_px (&L, &s->padding[BH_BOTTOM], box->w);
        double inner_r = box->x + box->w - bh_layout_border_px (&L, s, BH_RIGHT);
        double inner_b = box->y + box->h - bh_layout_border_px (&L, s, BH_BOTTOM);
        const double *offset = stored_offset (doc, box);

        /* the padding at the end is part of the scrollable overflow */
        if (box->scroll == NULL)
          box->scroll = g_new0 (BhScrollState, 1);
        box->scroll->max_x = MAX (0, cr + pr - inner_r);
        box->scroll->max_y = MAX (0, cb + pb - inner_b);
        box->scroll->x = offset != NULL ? CLAMP (offset[0], 0, box->scroll->max_x) : 0;
        box->scroll->y = offset != NULL ? CLAMP (offset[1], 0, box->scroll->max_y) : 0;
      }
    else
      {
        r = MAX (r, cr);
        b = MAX (b, cb);
      }
  }
  *right = r;
  *bottom = b;
}

/**
 * bh_layout_scroll_boxes: (skip)
 * @doc: a document just laid out
 *
 * Gives every scroll container its scrollable extent and its element's offset,
 * clamped to it. Boxes nest at most BH_MAX_BOX_DEPTH deep: the recursion is bounded.
 */
void
bh_layout_scroll_boxes (BhDocument *doc)
{
  double r, b;

  doc->has_viewport_boxes = FALSE;
  if (doc->root != NULL)
    measure (doc, doc->root, &r, &b);
}

/**
 * bh_layout_sticky_shift: (skip)
 * @L: a layout context
 * @box: a box with position: sticky
 * @scroll_y: the viewport's scroll position, document px
 *
 * Returns: px to paint @box lower than its place: as much as keeps its top @top
 *   below the scrollport's top, but no lower than its containing block's content
 *   box allows; 0 when top is auto.
 */
double
bh_layout_sticky_shift (const Layout *L, const BhBox *box, double scroll_y)
{
  const BhStyle *s = box->style;
  const BhBox *parent = box->parent;
  double top, port_top = scroll_y, shift, limit;

  if (s->position != BH_POSITION_STICKY || s->offset[BH_TOP].unit == BH_UNIT_AUTO || parent == NULL)
    return 0;
  for (const BhBox *a = parent; a != NULL; a = a->parent)
    if (a->kind != BH_BOX_PARAGRAPH && a->style->overflow != BH_OVERFLOW_VISIBLE)
      {
        port_top = a->y + bh_layout_border_px (L, a->style, BH_TOP) + (a->scroll != NULL ? a->scroll->y : 0);
        break;
      }
  top = bh_layout_length_px (L, &s->offset[BH_TOP], L->viewport_h);
  shift = port_top + top - box->y;
  limit = parent->y + parent->h - bh_layout_border_px (L, parent->style, BH_BOTTOM) -
          bh_layout_length_px (L, &parent->style->padding[BH_BOTTOM], parent->w) - (box->y + box->h);
  return CLAMP (shift, 0, MAX (0, limit));
}

/**
 * bh_document_scroll_box_at:
 * @doc: a laid-out document
 * @x_px: where the pointer is, document px from the left
 * @doc_y_px: document px from the top
 * @dx_px: how far to scroll right (negative: left), px
 * @dy_px: how far to scroll down (negative: up), px
 * @damage: (out caller-allocates): what to paint again, document px: left, top,
 *   right, bottom
 *
 * Scrolls the innermost scroll container under the point that can still scroll in
 * that direction (the wheel's scroll chaining, as Chromium does: one at its end
 * hands the scroll to the one around it).
 *
 * Returns: %TRUE when a box scrolled; %FALSE leaves the scroll to the viewport.
 */
gboolean
bh_document_scroll_box_at (BhDocument *doc, double x_px, double doc_y_px, double dx_px, double dy_px,
                           double damage[4])
{
  BhBox *chain[BH_MAX_BOX_DEPTH + 1];
  double shift_x[BH_MAX_BOX_DEPTH + 1], shift_y[BH_MAX_BOX_DEPTH + 1];
  guint n = 0;
  double x = x_px, y = doc_y_px, sx = 0, sy = 0;
  BhBox *box;

  g_return_val_if_fail (doc != NULL, FALSE);
  if (doc->root == NULL || doc->layout_dirty)
    return FALSE;
  /* down the boxes under the point, into scrolled content as painted */
  for (box = doc->root; box != NULL;)
    {
      BhBox *hit = NULL;
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        if (child->style->position != BH_POSITION_FIXED && x >= child->x && x < child->x + child->w &&
            y >= child->y && y < child->y + child->h)
          hit = child;
      if (hit == NULL)
        break;
      box = hit;
      if (bh_layout_is_scroll_box (box) && box->scroll != NULL && n < G_N_ELEMENTS (chain))
        {
          chain[n] = box;
          shift_x[n] = sx;
          shift_y[n] = sy;
          n++;
          x += box->scroll->x;
          y += box->scroll->y;
          sx += box->scroll->x;
          sy += box->scroll->y;
        }
    }
  while (n-- > 0)
    {
      BhBox *c = chain[n];
      double nx = CLAMP (c->scroll->x + dx_px, 0, c->scroll->max_x);
      double ny = CLAMP (c->scroll->y + dy_px, 0, c->scroll->max_y);
      double *offset;

      if (nx == c->scroll->x && ny == c->scroll->y)
        continue;
      c->scroll->x = nx;
      c->scroll->y = ny;
      if (doc->scroll_offsets == NULL)
        doc->scroll_offsets = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
      offset = g_new (double, 2);
      offset[0] = nx;
      offset[1] = ny;
      g_hash_table_replace (doc->scroll_offsets, (gpointer) c->node, offset);
      /* where it is painted: moved by the scroll containers around it */
      damage[0] = c->x - shift_x[n];
      damage[1] = c->y - shift_y[n];
      damage[2] = c->x + c->w - shift_x[n];
      damage[3] = c->y + c->h - shift_y[n];
      return TRUE;
    }
  return FALSE;
}

/**
 * bh_document_has_viewport_boxes:
 * @doc: a laid-out document
 *
 * Returns: whether some box is painted where the viewport is (position: fixed or
 *   sticky), so that a scrolled frame cannot be made from the previous one moved.
 */
gboolean
bh_document_has_viewport_boxes (BhDocument *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);
  return doc->has_viewport_boxes;
}
