/* bh-paint.c: painting the laid-out box tree with cairo, and hit testing it
 *
 * Boxes paint in tree order (backgrounds and borders, then content), cut to the rows
 * being painted. Recursion follows the box tree, whose depth is capped.
 */
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

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
    w[side] = bh_layout_border_px (&P->L, s, side);
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
      /* A form field drawn from its state (bh-forms.c). */
      if (bh_forms_paint_control (P->L.doc, cr, obj, x, y))
        break;
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
  PangoLayout *layout = bh_layout_ensure_layout (&P->L, box, box->w);

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

  /* The selection and find matches, behind the text (bh-selection.c). */
  bh_highlight_paint_paragraph (P->L.doc, P->cr, box, layout, box->x + para->align_offset, box->y);
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

  pango_font_description_set_family_static (desc, bh_layout_family_name (s->font_family));
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

  bh_layout_compute_edges (&P->L, s, box->w, &e);
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

  P.L.keep_layouts = bh_layout_keep_all_layouts (doc);
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

  L.keep_layouts = bh_layout_keep_all_layouts (doc);
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
    PangoLayout *layout = bh_layout_ensure_layout (&L, box, box->w);
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
