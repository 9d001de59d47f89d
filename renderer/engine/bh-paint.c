/* bh-paint.c: painting the laid-out box tree with cairo, and hit testing it
 *
 * Boxes paint in tree order (shadow, background, borders, then content), cut to the
 * rows being painted; overflow other than visible clips the content to the padding
 * box. Absolutely positioned and fixed boxes, and relative ones with a z-index, are
 * painted after the flow in z-index order (CSS 2.1 appendix E, flattened to one
 * stacking context); fixed ones stay in the viewport as the page scrolls. Recursion
 * follows the box tree, whose depth is capped.
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
  double scroll_y;
  GPtrArray *layers;  /* positioned boxes to paint after the flow */
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

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  if (r <= 0)
    {
      cairo_rectangle (cr, x, y, w, h);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The first box-shadow, its blur drawn as a few widening layers of falling alpha. */
static void
paint_shadow (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  double spread = s->shadow_spread, blur = s->shadow_blur;
  double x = box->x + s->shadow_x - spread, y = box->y + s->shadow_y - spread;
  double w = box->w + 2 * spread, h = box->h + 2 * spread;
  int steps = blur > 0 ? (int) CLAMP (blur / 2, 2, 8) : 1;
  double alpha = (s->shadow_color >> 24) / 255.0;

  if (w <= 0 || h <= 0 || y > P->y1 + blur || y + h < P->y0 - blur)
    return;
  cairo_save (P->cr);
  /* a shadow shows outside the border box only (CSS Backgrounds 3 section 7.1) */
  cairo_set_fill_rule (P->cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (P->cr, box->x - 2 * blur - fabs (s->shadow_x) - spread - 1, MAX (box->y, P->y0) - 2 * blur - fabs (s->shadow_y) - spread - 1,
                   box->w + 4 * blur + 2 * fabs (s->shadow_x) + 2 * spread + 2,
                   MIN (box->h, P->y1 - P->y0 + 2) + 4 * blur + 2 * fabs (s->shadow_y) + 2 * spread + 2);
  rounded_rect (P->cr, box->x, box->y, box->w, box->h, s->border_radius);
  cairo_clip (P->cr);
  cairo_set_fill_rule (P->cr, CAIRO_FILL_RULE_WINDING);
  for (int i = 0; i < steps; i++)
    {
      double grow = steps > 1 ? blur * ((double) i / (steps - 1) - 0.5) : 0;
      cairo_set_source_rgba (P->cr, ((s->shadow_color >> 16) & 0xff) / 255.0, ((s->shadow_color >> 8) & 0xff) / 255.0,
                             (s->shadow_color & 0xff) / 255.0, alpha / steps);
      rounded_rect (P->cr, x - grow, MAX (y - grow, P->y0 - blur - 1), w + 2 * grow,
                    MIN (h + 2 * grow, P->y1 - P->y0 + 2 * blur + 2), s->border_radius + MAX (0, grow));
      cairo_fill (P->cr);
    }
  cairo_restore (P->cr);
}

/* The first background layer's image (CSS Backgrounds 3 sections 3.6-3.9): sized by
 * background-size (auto: its natural size, or its ratio to the other side), placed
 * by background-position in the padding box (a percentage of the room left over),
 * tiled as background-repeat says from there, painted in the border box. */
static void
paint_background_image (Painter *P, BhBox *box, const BhResource *res)
{
  const BhStyle *s = box->style;
  double bl = bh_layout_border_px (&P->L, s, BH_LEFT), br = bh_layout_border_px (&P->L, s, BH_RIGHT);
  double bt = bh_layout_border_px (&P->L, s, BH_TOP), bb = bh_layout_border_px (&P->L, s, BH_BOTTOM);
  double ax = box->x + bl, ay = box->y + bt;
  double aw = MAX (0, box->w - bl - br), ah = MAX (0, box->h - bt - bb);
  double iw = res->width, ih = res->height, tw, th, ox, oy;
  cairo_pattern_t *pattern;
  cairo_matrix_t m;

  if (s->bg_size_kind == BH_BG_SIZE_COVER || s->bg_size_kind == BH_BG_SIZE_CONTAIN)
    {
      double k = s->bg_size_kind == BH_BG_SIZE_COVER ? MAX (aw / iw, ah / ih) : MIN (aw / iw, ah / ih);
      tw = iw * k;
      th = ih * k;
    }
  else
    {
      gboolean auto_w = s->bg_size[0].unit == BH_UNIT_AUTO, auto_h = s->bg_size[1].unit == BH_UNIT_AUTO;
      tw = auto_w ? iw : bh_layout_length_px (&P->L, &s->bg_size[0], aw);
      th = auto_h ? ih : bh_layout_length_px (&P->L, &s->bg_size[1], ah);
      if (auto_w && !auto_h)
        tw = iw * th / ih;
      else if (auto_h && !auto_w)
        th = ih * tw / iw;
    }
  if (tw < 0.5 || th < 0.5 || tw > 1e5 || th > 1e5)
    return;
  ox = ax + bh_layout_length_px (&P->L, &s->bg_position[0], aw - tw);
  oy = ay + bh_layout_length_px (&P->L, &s->bg_position[1], ah - th);
  pattern = bh_image_pattern (res, tw, th, P->L.device_scale > 0 ? P->L.device_scale : 1);
  if (pattern == NULL)
    return;
  cairo_pattern_get_matrix (pattern, &m);
  cairo_matrix_translate (&m, -ox, -oy);
  cairo_pattern_set_matrix (pattern, &m);
  cairo_pattern_set_extend (pattern, s->bg_repeat == BH_BG_NO_REPEAT ? CAIRO_EXTEND_NONE : CAIRO_EXTEND_REPEAT);
  cairo_save (P->cr);
  cairo_rectangle (P->cr, box->x, box->y, box->w, box->h);
  cairo_clip (P->cr);
  /* one row, one column or one tile of them */
  if (s->bg_repeat == BH_BG_REPEAT_X)
    cairo_rectangle (P->cr, box->x, oy, box->w, th);
  else if (s->bg_repeat == BH_BG_REPEAT_Y)
    cairo_rectangle (P->cr, ox, box->y, tw, box->h);
  else if (s->bg_repeat == BH_BG_NO_REPEAT)
    cairo_rectangle (P->cr, ox, oy, tw, th);
  if (s->bg_repeat != BH_BG_REPEAT)
    cairo_clip (P->cr);
  cairo_set_source (P->cr, pattern);
  fill_rect (P, box->x, box->y, box->w, box->h);
  cairo_restore (P->cr);
  cairo_pattern_destroy (pattern);
}

/* Background colour, then a linear or radial gradient (or an image) over it, in the
 * border box (rounded by border-radius). A gradient runs between its first and last colour stops along its
 * angle (CSS Images 3 section 3.1: the gradient line's length makes the corners take
 * the end colours). */
static void
paint_background (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  cairo_t *cr = P->cr;
  gboolean gradient = (s->gradient_from | s->gradient_to) != 0;
  double top = MAX (box->y, P->y0 - 1), bottom = MIN (box->y + box->h, P->y1 + 1);
  BhResource *image = s->background_image != NULL ? bh_document_find_resource (P->L.doc, s->background_image) : NULL;

  if (!bh_image_is_ready (image))
    image = NULL;
  if (((s->background_color >> 24) == 0 && !gradient && image == NULL) || bottom <= top || box->w <= 0)
    return;
  cairo_save (cr);
  if (s->border_radius > 0 && box->h < 30000)
    {
      rounded_rect (cr, box->x, box->y, box->w, box->h, s->border_radius);
      cairo_clip (cr);
    }
  if ((s->background_color >> 24) != 0)
    {
      set_source_argb (cr, s->background_color);
      fill_rect (P, box->x, box->y, box->w, box->h);
    }
  if (image != NULL)
    paint_background_image (P, box, image);
  else if (gradient)
    {
      double a = s->gradient_angle * G_PI / 180.0;
      double dx = sin (a), dy = -cos (a);
      double half = (fabs (box->w * dx) + fabs (box->h * dy)) / 2;
      double cx = box->x + box->w / 2, cy = box->y + box->h / 2;
      cairo_pattern_t *pattern;
      if (s->gradient_radial && box->w > 0 && box->h > 0)
        {
          /* centred, to the farthest corner: a circle through it, or an ellipse of the
           * box's proportions through it (CSS Images 3 section 3.2.2) */
          double rx = s->gradient_radial == 2 ? hypot (box->w / 2, box->h / 2) : box->w / 2 * G_SQRT2;
          double ry = s->gradient_radial == 2 ? rx : box->h / 2 * G_SQRT2;
          cairo_matrix_t m;
          pattern = cairo_pattern_create_radial (0, 0, 0, 0, 0, 1);
          cairo_matrix_init_scale (&m, 1 / rx, 1 / ry);
          cairo_matrix_translate (&m, -cx, -cy);
          cairo_pattern_set_matrix (pattern, &m);
        }
      else
        pattern = cairo_pattern_create_linear (cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half);
      guint32 c[2] = { s->gradient_from, s->gradient_to };
      for (int i = 0; i < 2; i++)
        cairo_pattern_add_color_stop_rgba (pattern, i, ((c[i] >> 16) & 0xff) / 255.0, ((c[i] >> 8) & 0xff) / 255.0,
                                           (c[i] & 0xff) / 255.0, (c[i] >> 24) / 255.0);
      cairo_set_source (cr, pattern);
      fill_rect (P, box->x, box->y, box->w, box->h);
      cairo_pattern_destroy (pattern);
    }
  cairo_restore (cr);
}

/* Rounded borders of one width and colour all round, stroked along the curve. */
static gboolean
paint_rounded_border (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  double w = bh_layout_border_px (&P->L, s, BH_TOP);

  for (int side = 1; side < 4; side++)
    if (bh_layout_border_px (&P->L, s, side) != w || s->border_color[side] != s->border_color[BH_TOP])
      return FALSE;
  if (w <= 0 || box->h > 30000)
    return w <= 0;
  set_source_argb (P->cr, s->border_color[BH_TOP]);
  cairo_set_line_width (P->cr, w);
  rounded_rect (P->cr, box->x + w / 2, box->y + w / 2, box->w - w, box->h - w, MAX (0, s->border_radius - w / 2));
  cairo_stroke (P->cr);
  return TRUE;
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
  if (s->border_radius > 0 && paint_rounded_border (P, box))
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
      if (bh_image_is_ready (obj->resource))
        bh_image_paint (obj->resource, cr, x, y, obj->w, obj->h);
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
  /* hidden text keeps its place; runs that are visible say so (bh-layout-inline.c) */
  set_source_argb (P->cr, box->style->visibility == BH_VISIBILITY_VISIBLE ? box->style->color
                                                                           : box->style->color & 0xffffffu);
  cairo_move_to (P->cr, box->x + para->align_offset, box->y);
  pango_cairo_show_layout (P->cr, layout);

  if (para->n_objects > 0)
    for (guint i = 0; i < para->runs->len; i++)
      {
        const BhRun *run = &g_array_index (para->runs, BhRun, i);
        if (run->object != NULL && run->style->visibility == BH_VISIBILITY_VISIBLE)
          paint_object (P, run->object, box->x + run->object->rel_x, box->y + run->object->rel_y);
      }
}

static void
paint_marker (Painter *P, BhBox *box)
{
  const BhStyle *s = box->marker_style != NULL ? box->marker_style : box->style;
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

  bh_layout_compute_edges (&P->L, box->style, box->w, &e);
  content_x = box->x + e.bl + e.pl;
  set_source_argb (P->cr, s->color);
  cairo_move_to (P->cr, content_x - (double) logical.width / PANGO_SCALE,
                 baseline - (double) pango_layout_get_baseline (layout) / PANGO_SCALE);
  pango_cairo_show_layout (P->cr, layout);
  g_object_unref (layout);
}

static gboolean
is_layer (const BhBox *box)
{
  const BhStyle *s = box->style;
  return box->kind != BH_BOX_PARAGRAPH && !box->anonymous &&
         (s->position == BH_POSITION_ABSOLUTE || s->position == BH_POSITION_FIXED ||
          s->position == BH_POSITION_STICKY || (s->position != BH_POSITION_STATIC && !s->z_auto));
}

static void paint_box (Painter *P, BhBox *box);

/* A scroll container's scroll position, as a thin bar along its right (and bottom)
 * padding edge while its content overflows, as overlay scroll bars are. */
static void
paint_scroll_bars (Painter *P, BhBox *box, double x, double y, double w, double h)
{
  cairo_t *cr = P->cr;

  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  if (box->scroll->max_y > 0.5 && h > 20)
    {
      double thumb = MAX (16, h * h / (h + box->scroll->max_y));
      rounded_rect (cr, x + w - 8, y + (h - thumb) * box->scroll->y / box->scroll->max_y, 6, thumb, 3);
      cairo_fill (cr);
    }
  if (box->scroll->max_x > 0.5 && w > 20)
    {
      double thumb = MAX (16, w * w / (w + box->scroll->max_x));
      rounded_rect (cr, x + (w - thumb) * box->scroll->x / box->scroll->max_x, y + h - 8, thumb, 6, 3);
      cairo_fill (cr);
    }
}

static void
paint_children (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  gboolean clip = s->overflow != BH_OVERFLOW_VISIBLE && box->kind != BH_BOX_PARAGRAPH && box->h < 1e6;
  gboolean scrolled = clip && box->scroll != NULL && (box->scroll->x != 0 || box->scroll->y != 0);
  GPtrArray *layers = P->layers;
  double px = 0, py = 0, pw = 0, ph = 0;

  if (clip)
    {
      double bl = bh_layout_border_px (&P->L, s, BH_LEFT), br = bh_layout_border_px (&P->L, s, BH_RIGHT);
      double bt = bh_layout_border_px (&P->L, s, BH_TOP), bb = bh_layout_border_px (&P->L, s, BH_BOTTOM);
      px = box->x + bl;
      py = box->y + bt;
      pw = MAX (0, box->w - bl - br);
      ph = MAX (0, box->h - bt - bb);
      cairo_save (P->cr);
      cairo_rectangle (P->cr, px, py, pw, ph);
      cairo_clip (P->cr);
    }
  if (scrolled)
    {
      /* scrolled content moves under the clip; positioned boxes in it move with it,
       * painted in tree order here */
      cairo_translate (P->cr, -box->scroll->x, -box->scroll->y);
      P->y0 += box->scroll->y;
      P->y1 += box->scroll->y;
      P->layers = NULL;
    }
  for (BhBox *child = box->first_child; child != NULL; child = child->next)
    {
      if (P->layers != NULL && is_layer (child))
        g_ptr_array_add (P->layers, child);
      else
        paint_box (P, child);
    }
  if (scrolled)
    {
      P->y0 -= box->scroll->y;
      P->y1 -= box->scroll->y;
      P->layers = layers;
    }
  if (clip)
    {
      cairo_restore (P->cr);
      if (box->scroll != NULL && bh_layout_is_scroll_box (box))
        paint_scroll_bars (P, box, px, py, pw, ph);
    }
}

static void paint_box_content (Painter *P, BhBox *box);

static void
paint_box (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;
  GPtrArray *layers;

  /* an overflowing child may reach beyond its parent: only paragraphs are culled */
  if (box->kind == BH_BOX_PARAGRAPH && box->first_child == NULL && (box->y > P->y1 || box->y + box->h < P->y0))
    return;
  if (box->kind != BH_BOX_PARAGRAPH && box->first_child == NULL && s->position != BH_POSITION_STICKY &&
      (box->y > P->y1 || box->y + box->h < P->y0))
    return;
  if (box->kind == BH_BOX_PARAGRAPH || s->opacity >= 1.0f || box->is_canvas)
    {
      paint_box_content (P, box);
      return;
    }
  if (s->opacity <= 0.0f)
    return;
  /* opacity (CSS Color 4 section 13.1): the box and everything in it painted into a
   * group, then composited at that alpha. The group is a stacking context: its
   * positioned descendants paint inside it, in tree order. */
  layers = P->layers;
  P->layers = NULL;
  cairo_push_group (P->cr);
  paint_box_content (P, box);
  cairo_pop_group_to_source (P->cr);
  cairo_paint_with_alpha (P->cr, s->opacity);
  P->layers = layers;
}

static void paint_box_unshifted (Painter *P, BhBox *box);

/* A sticky box is painted moved down to stay in its scrollport (bh-layout-scroll.c). */
static void
paint_box_content (Painter *P, BhBox *box)
{
  double shift = box->style->position == BH_POSITION_STICKY ? bh_layout_sticky_shift (&P->L, box, P->scroll_y) : 0;

  if (shift <= 0)
    {
      paint_box_unshifted (P, box);
      return;
    }
  cairo_save (P->cr);
  cairo_translate (P->cr, 0, shift);
  P->y0 -= shift;
  P->y1 -= shift;
  paint_box_unshifted (P, box);
  P->y0 += shift;
  P->y1 += shift;
  cairo_restore (P->cr);
}

static void
paint_box_unshifted (Painter *P, BhBox *box)
{
  const BhStyle *s = box->style;

  /* a hidden box paints nothing of its own; its children may be visible */
  if (box->kind != BH_BOX_PARAGRAPH)
    {
      if (s->visibility == BH_VISIBILITY_VISIBLE)
        {
          if ((s->shadow_color >> 24) != 0)
            paint_shadow (P, box);
          if (!box->is_canvas && !P->L.doc->omit_backgrounds)
            paint_background (P, box);
          paint_borders (P, box);
        }
    }
  else if (box->y <= P->y1 && box->y + box->h >= P->y0)
    paint_paragraph (P, box);

  if (box->marker != NULL && s->visibility == BH_VISIBILITY_VISIBLE)
    paint_marker (P, box);

  paint_children (P, box);
}

static int
compare_layers (gconstpointer a, gconstpointer b)
{
  const BhBox *x = *(BhBox * const *) a, *y = *(BhBox * const *) b;
  gint32 zx = x->style->z_auto ? 0 : x->style->z_index, zy = y->style->z_auto ? 0 : y->style->z_index;

  return zx < zy ? -1 : zx > zy;
}

/* The positioned boxes found while painting, in z-index order (g_ptr_array_sort is
 * stable: equal ones keep tree order); painting one may find more. */
static void
paint_layers (Painter *P)
{
  for (int round = 0; round < BH_MAX_BOX_DEPTH && P->layers->len > 0; round++)
    {
      g_autoptr(GPtrArray) layers = P->layers;
      P->layers = g_ptr_array_new ();
      g_ptr_array_sort (layers, compare_layers);
      for (guint i = 0; i < layers->len; i++)
        {
          BhBox *box = layers->pdata[i];
          if (box->style->position == BH_POSITION_FIXED)
            {
              /* fixed to the viewport: laid out at scroll 0, painted where it shows */
              double y0 = P->y0, y1 = P->y1;
              cairo_save (P->cr);
              cairo_translate (P->cr, 0, P->scroll_y);
              P->y0 -= P->scroll_y;
              P->y1 -= P->scroll_y;
              paint_box (P, box);
              P->y0 = y0;
              P->y1 = y1;
              cairo_restore (P->cr);
            }
          else
            paint_box (P, box);
        }
    }
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

  bh_layout_init (&P.L, doc);
  P.y0 = scroll_y;
  P.y1 = scroll_y + viewport_height;
  P.scroll_y = scroll_y;
  doc->paint_gen++;

  /* Painting paragraphs whose height was estimated measures them; when that moves
   * things, lay out again (measured paragraphs cost nothing then) and paint again. */
  for (int attempt = 0; attempt < 4; attempt++)
    {
      doc->positions_dirty = FALSE;
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, viewport_width, viewport_height);
      cairo_clip (cr);
      set_source_argb (cr, doc->omit_backgrounds ? 0xffffffff : doc->background);
      cairo_paint (cr);
      cairo_translate (cr, 0, -scroll_y);
      P.layers = g_ptr_array_new ();
      paint_box (&P, doc->root);
      paint_layers (&P);
      g_clear_pointer (&P.layers, g_ptr_array_unref);
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
  bh_layout_clear (&P.L);
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
  const char *result;

  /* down to the innermost box under the point: a later sibling is painted over an
   * earlier one; a paragraph's children are its inline-blocks */
  for (;;)
    {
      BhBox *hit = NULL;
      for (BhBox *child = box->first_child; child != NULL; child = child->next)
        if (child->style->position != BH_POSITION_FIXED && box_contains (child, x, y))
          hit = child;
      if (hit == NULL)
        break;
      box = hit;
      /* inside a scroll container, the content is where it is painted */
      if (box->scroll != NULL)
        {
          x += box->scroll->x;
          y += box->scroll->y;
        }
    }
  if (box->kind != BH_BOX_PARAGRAPH)
    return NULL;
  bh_layout_init (&L, doc);

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
    result = href;
  }
  bh_layout_clear (&L);
  return result;
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

  L.keep_layouts = bh_layout_keep_all_layouts (doc);
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
      if (box != NULL && box->scroll != NULL)
        {
          x += box->scroll->x;
          y += box->scroll->y;
        }
    }
  if (box != NULL && box->para != NULL)
    {
      BhParagraph *para = box->para;
      PangoLayout *layout = bh_layout_ensure_layout (&L, box, box->w);
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
  L.keep_layouts = bh_layout_keep_all_layouts (doc);
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
            layout = bh_layout_ensure_layout (&L, box, box->w);
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
