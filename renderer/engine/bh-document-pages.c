/* bh-document-pages.c: where a printed page ends (CSS Fragmentation 3): not
 * inside a line of text. The class C break points between line boxes are
 * taken, reduced to text: images and other boxes may still be cut. */
#include "bh-layout-private.h"

/**
 * bh_document_page_break:
 * @doc: a laid-out document
 * @top_px: where the page starts, document px
 * @limit_px: where it would end at the page's height, document px
 *
 * A page ends at @limit_px, or above it at the top of the first line of text
 * that @limit_px would cut, unless that leaves less than half a page (a very
 * tall line is cut after all, as browsers do).
 *
 * Returns: the page's end, document px, in (@top_px, @limit_px].
 */
int
bh_document_page_break (BhDocument *doc, int top_px, int limit_px)
{
  Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale };
  double end = limit_px;

  g_return_val_if_fail (doc != NULL, limit_px);
  if (limit_px <= top_px || doc->root == NULL || doc->tree_dirty)
    return limit_px;
  L.keep_layouts = bh_layout_keep_all_layouts (doc);
  for (guint i = 0; doc->boxes != NULL && i < doc->boxes->len; i++)
    {
      BhBox *box = g_ptr_array_index (doc->boxes, i);
      PangoLayoutIter *iter;
      PangoLayout *layout;

      if (box->kind != BH_BOX_PARAGRAPH || box->para == NULL || box->y >= limit_px || box->y + box->h <= limit_px)
        continue;
      layout = bh_layout_ensure_layout (&L, box, box->w);
      iter = pango_layout_get_iter (layout);
      do
        {
          int line_top, line_bottom;
          double top, bottom;

          pango_layout_iter_get_line_yrange (iter, &line_top, &line_bottom);
          top = box->y + (double) line_top / PANGO_SCALE;
          bottom = box->y + (double) line_bottom / PANGO_SCALE;
          if (top < limit_px && bottom > limit_px && top < end)
            end = top;
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
      if (!L.keep_layouts && !box->para->cached)
        bh_paragraph_drop_layout (box->para);
    }
  if ((int) end - top_px < (limit_px - top_px) / 2)
    return limit_px;
  return MAX (top_px + 1, (int) end);
}
