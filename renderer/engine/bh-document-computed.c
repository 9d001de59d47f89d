/* bh-document-computed.c: getComputedStyle() from the cascade and the layout
 * (bh-dom.h): the style the engine computed for an element, serialised as
 * CSSOM's "resolved values" (CSSOM §9: used px for the box's width, height,
 * margins and paddings of an element that has a box; colours as rgb()/rgba()).
 */
#include "bh-document-private.h"
#include "bh-dom.h"
#include "bh-layout-private.h"

#include <math.h>
#include <string.h>

/* The element's computed style and, when it generated a box, the box: a block
 * box made for it, or the first run of text whose innermost element it is. */
static const BhStyle *
style_of (BhDocument *doc, const GumboNode *node, const BhBox **out_box)
{
  *out_box = NULL;
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = g_ptr_array_index (doc->boxes, i);
      if (box->node == node && !box->anonymous)
        {
          *out_box = box;
          return box->style;
        }
    }
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = g_ptr_array_index (doc->boxes, i);
      if (box->kind != BH_BOX_PARAGRAPH || box->para == NULL)
        continue;
      for (guint r = 0; r < box->para->runs->len; r++)
        {
          const BhRun *run = &g_array_index (box->para->runs, BhRun, r);
          if (run->node == node)
            return run->style;
        }
    }
  return NULL;
}

/**
 * bh_document_inline_block_rect: (skip)
 * @rect: (out caller-allocates): x, y, width, height of the border box, document px
 *
 * An inline-block (or inline-flex) is an object in its paragraph whose box has
 * no element: its border box is the object's margin box less the margins.
 *
 * Returns: %FALSE when @node is no laid-out inline-block.
 */
/* The object standing for @block in its paragraph, and its paragraph box. */
static const BhObject *
object_of_block (BhDocument *doc, const BhBox *block, const BhBox **out_para)
{
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = g_ptr_array_index (doc->boxes, i);
      if (box->kind != BH_BOX_PARAGRAPH || box->para == NULL)
        continue;
      for (guint r = 0; r < box->para->runs->len; r++)
        {
          const BhObject *obj = g_array_index (box->para->runs, BhRun, r).object;
          if (obj != NULL && obj->block == block)
            {
              *out_para = box;
              return obj;
            }
        }
    }
  return NULL;
}

static gboolean
is_inclusive_descendant (const GumboNode *n, const GumboNode *ancestor)
{
  for (; n != NULL; n = n->parent)
    if (n == ancestor)
      return TRUE;
  return FALSE;
}

gboolean
bh_document_inline_block_rect (BhDocument *doc, const GumboNode *node, double rect[4])
{
  for (guint i = 0; i < doc->boxes->len; i++)
    {
      const BhBox *box = g_ptr_array_index (doc->boxes, i);
      gboolean inside = FALSE;

      if (box->kind != BH_BOX_PARAGRAPH || box->para == NULL)
        continue;
      for (guint r = 0; r < box->para->runs->len && !inside; r++)
        {
          const BhRun *run = &g_array_index (box->para->runs, BhRun, r);
          inside = run->node != NULL && run->object == NULL && is_inclusive_descendant (run->node, node);
        }
      if (!inside)
        continue;
      /* The nearest enclosing object block is @node's if @node's parent is the
       * element the object sits in. */
      for (const BhBox *b = box->parent; b != NULL; b = b->parent)
        {
          const BhBox *para = NULL;
          const BhObject *obj = b->node == NULL ? object_of_block (doc, b, &para) : NULL;

          if (b->node != NULL)
            return FALSE;
          if (obj == NULL)
            continue;
          {
            Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale > 0 ? doc->layout_scale : 1.0 };
            double ml = bh_layout_length_px (&L, &obj->style->margin[BH_LEFT], para->w);
            double mr = bh_layout_length_px (&L, &obj->style->margin[BH_RIGHT], para->w);
            double mt = bh_layout_length_px (&L, &obj->style->margin[BH_TOP], para->w);

            rect[0] = obj->block_x + ml;
            rect[1] = obj->block_y + mt;
            rect[2] = MAX (0, obj->w - ml - mr);
            rect[3] = obj->h;
            return TRUE;
          }
        }
      return FALSE;
    }
  return FALSE;
}

static void
append_px (GString *out, double px)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* CSSOM serialises a number with no trailing zeros: "12.5px", "0px". */
  if (fabs (px - round (px)) < 0.005)
    g_string_append_printf (out, "%.0fpx", round (px) == 0 ? 0 : round (px));
  else
    {
      g_ascii_formatd (buf, sizeof buf, "%.2f", px);
      for (char *end = buf + strlen (buf) - 1; end > buf && *end == '0'; end--)
        *end = '\0';
      g_string_append_printf (out, "%spx", buf);
    }
}

static void
append_color (GString *out, guint32 argb)
{
  guint a = argb >> 24, r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;

  if (a == 255)
    g_string_append_printf (out, "rgb(%u, %u, %u)", r, g, b);
  else
    {
      char alpha[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (alpha, sizeof alpha, "%.3g", a / 255.0);
      g_string_append_printf (out, "rgba(%u, %u, %u, %s)", r, g, b, alpha);
    }
}

/* A length as computed: px, a percentage of @ref_px (or as written when no box
 * gives one), "auto" as @auto_text. */
static void
append_length (GString *out, const BhLength *len, double ref_px, gboolean have_ref, const char *auto_text)
{
  switch (len->unit)
    {
    case BH_UNIT_PX:
      append_px (out, len->value);
      break;
    case BH_UNIT_PERCENT:
      if (have_ref)
        append_px (out, len->value / 100.0 * ref_px);
      else
        g_string_append_printf (out, "%g%%", len->value);
      break;
    case BH_UNIT_CALC:
      append_px (out, len->value + (have_ref ? len->pct / 100.0 * ref_px : 0));
      break;
    default:
      g_string_append (out, auto_text);
      break;
    }
}

static const char *
side_name (const char *property, const char *prefix, const char *suffix, int *out_side)
{
  static const char *const sides[] = { "top", "right", "bottom", "left" };
  gsize plen = strlen (prefix);

  if (strncmp (property, prefix, plen) != 0)
    return NULL;
  for (int i = 0; i < 4; i++)
    {
      gsize slen = strlen (sides[i]);
      if (strncmp (property + plen, sides[i], slen) == 0 && g_str_equal (property + plen + slen, suffix))
        {
          *out_side = i;
          return sides[i];
        }
    }
  return NULL;
}

static const char *
keyword (guint value, const char *const *names, guint n)
{
  return value < n ? names[value] : NULL;
}

#define KEYWORD(value, ...)                                                              \
  ({                                                                                     \
    static const char *const names_[] = { __VA_ARGS__ };                                 \
    keyword ((value), names_, G_N_ELEMENTS (names_));                                    \
  })

/**
 * bh_dom_get_computed_value:
 * @property: a CSS property name, lower case ("display", "margin-top", ...)
 *
 * getComputedStyle(@node).getPropertyValue(@property) for the properties the
 * engine computes, from the last layout.
 *
 * Returns: (transfer full) (nullable): the resolved value, %NULL for a property
 *   the engine does not compute, or an element that is not laid out (no box
 *   and no text: display: none, detached); the caller then has defaults
 */
char *
bh_dom_get_computed_value (BhDocument *doc, const GumboNode *node, const char *property)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const BhBox *box = NULL;
  const BhStyle *s;
  const char *k = NULL;
  double parent_w = 0;
  gboolean have_parent = FALSE;
  int side;

  if (doc->root == NULL || doc->layout_width == 0 || doc->tree_dirty || node == NULL ||
      node->type != GUMBO_NODE_ELEMENT)
    return NULL;
  s = style_of (doc, node, &box);
  if (s == NULL)
    return NULL;
  if (box != NULL && box->parent != NULL)
    {
      parent_w = box->parent->w;
      have_parent = TRUE;
    }

  if (g_str_equal (property, "display"))
    k = KEYWORD (s->display, "inline", "block", "list-item", "table", "table-row-group", "table-row", "table-cell",
                 "table-caption", "none", "inline-block", "flex", "inline-flex", "flow-root");
  else if (g_str_equal (property, "position"))
    k = KEYWORD (s->position, "static", "relative", "absolute", "fixed", "sticky");
  else if (g_str_equal (property, "float"))
    k = KEYWORD (s->float_, "none", "left", "right");
  else if (g_str_equal (property, "clear"))
    k = KEYWORD (s->clear, "none", "left", "right", "both");
  else if (g_str_equal (property, "overflow") || g_str_equal (property, "overflow-x") ||
           g_str_equal (property, "overflow-y"))
    k = KEYWORD (s->overflow, "visible", "hidden", "scroll", "auto");
  else if (g_str_equal (property, "font-style"))
    k = s->font_italic ? "italic" : "normal";
  else if (g_str_equal (property, "font-family"))
    k = KEYWORD (s->font_family, "sans-serif", "serif", "monospace");
  else if (g_str_equal (property, "text-align"))
    k = KEYWORD (s->text_align, "left", "right", "center", "justify");
  else if (g_str_equal (property, "white-space"))
    k = KEYWORD (s->white_space, "normal", "pre", "nowrap", "pre-wrap", "pre-line");
  else if (g_str_equal (property, "vertical-align"))
    k = KEYWORD (s->vertical_align, "baseline", "sub", "super", "top", "middle", "bottom");
  else if (g_str_equal (property, "list-style-type"))
    k = KEYWORD (s->list_style_type, "disc", "circle", "square", "decimal", "lower-alpha", "upper-alpha",
                 "lower-roman", "upper-roman", "none");
  else if (g_str_equal (property, "box-sizing"))
    k = s->border_box ? "border-box" : "content-box";
  else if (g_str_equal (property, "flex-direction"))
    k = KEYWORD (s->flex_direction, "row", "row-reverse", "column", "column-reverse");
  else if (g_str_equal (property, "flex-wrap"))
    k = KEYWORD (s->flex_wrap, "nowrap", "wrap", "wrap-reverse");
  else if (g_str_equal (property, "justify-content") || g_str_equal (property, "align-items") ||
           g_str_equal (property, "align-self"))
    {
      guint v = g_str_equal (property, "justify-content") ? s->justify_content
                : g_str_equal (property, "align-items") ? s->align_items : s->align_self;
      k = KEYWORD (v, "auto", "flex-start", "flex-end", "center", "space-between", "space-around", "space-evenly",
                   "stretch", "baseline");
      if (v == BH_FLEX_AUTO && !g_str_equal (property, "align-self"))
        k = "normal";
    }
  else if (g_str_equal (property, "text-decoration-line") || g_str_equal (property, "text-decoration"))
    k = (s->text_decoration & BH_DECORATION_UNDERLINE) ? "underline"
        : (s->text_decoration & BH_DECORATION_LINE_THROUGH) ? "line-through" : "none";
  if (k != NULL)
    return g_strdup (k);

  if (g_str_equal (property, "color"))
    append_color (out, s->color);
  else if (g_str_equal (property, "background-color"))
    append_color (out, s->background_color);
  else if (g_str_equal (property, "font-size"))
    append_px (out, s->font_size_px);
  else if (g_str_equal (property, "font-weight"))
    g_string_append_printf (out, "%u", s->font_weight);
  else if (g_str_equal (property, "line-height"))
    {
      if (s->line_height_kind == BH_LH_NORMAL)
        g_string_append (out, "normal");
      else
        append_px (out, s->line_height_kind == BH_LH_PX ? s->line_height : s->line_height * s->font_size_px);
    }
  else if (g_str_equal (property, "z-index"))
    {
      if (s->z_auto)
        g_string_append (out, "auto");
      else
        g_string_append_printf (out, "%d", s->z_index);
    }
  else if (g_str_equal (property, "order"))
    g_string_append_printf (out, "%d", s->order);
  else if (g_str_equal (property, "flex-grow") || g_str_equal (property, "flex-shrink"))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%g",
                                             g_str_equal (property, "flex-grow") ? s->flex_grow : s->flex_shrink));
    }
  else if (g_str_equal (property, "border-radius") || g_str_equal (property, "border-top-left-radius"))
    append_px (out, s->border_radius);
  else if (g_str_equal (property, "width") || g_str_equal (property, "height"))
    {
      gboolean horizontal = g_str_equal (property, "width");

      /* A box: the used size, of the content box (or the border box with
       * box-sizing: border-box), as Chromium resolves it; no box: auto. */
      double rect[4];

      if (box != NULL)
        rect[2] = box->w, rect[3] = box->h;
      /* An inline-block or a replaced element lives in its paragraph: the
       * layout still knows its border box. A plain inline has no width. */
      if (box == NULL && (s->display == BH_DISPLAY_INLINE ||
                          (!bh_document_inline_block_rect (doc, node, rect) && !bh_layout_node_rect (doc, node, rect))))
        g_string_append (out, "auto");
      else
        {
          double size = horizontal ? rect[2] : rect[3];
          int a = horizontal ? BH_LEFT : BH_TOP, b = horizontal ? BH_RIGHT : BH_BOTTOM;

          if (!s->border_box)
            {
              Layout L = { .doc = doc, .scale = 1.0, .device_scale = doc->layout_scale > 0 ? doc->layout_scale : 1.0 };
              size -= bh_layout_border_px (&L, s, a) + bh_layout_border_px (&L, s, b);
              size -= bh_layout_length_px (&L, &s->padding[a], parent_w) + bh_layout_length_px (&L, &s->padding[b], parent_w);
            }
          append_px (out, MAX (size, 0));
        }
    }
  else if (side_name (property, "margin-", "", &side))
    append_length (out, &s->margin[side], parent_w, have_parent, "0px");
  else if (side_name (property, "padding-", "", &side))
    append_length (out, &s->padding[side], parent_w, have_parent, "0px");
  else if (side_name (property, "border-", "-width", &side))
    append_px (out, s->border_style[side] == BH_BORDER_NONE ? 0 : s->border_width[side]);
  else if (side_name (property, "border-", "-style", &side))
    g_string_append (out, KEYWORD (s->border_style[side], "none", "solid", "dotted", "dashed", "inset", "outset"));
  else if (side_name (property, "border-", "-color", &side))
    append_color (out, s->border_color[side]);
  else if (g_str_equal (property, "top") || g_str_equal (property, "right") || g_str_equal (property, "bottom") ||
           g_str_equal (property, "left"))
    {
      int i = g_str_equal (property, "top") ? BH_TOP : g_str_equal (property, "right") ? BH_RIGHT
              : g_str_equal (property, "bottom") ? BH_BOTTOM : BH_LEFT;
      append_length (out, &s->offset[i], parent_w, have_parent, "auto");
    }
  else if (g_str_equal (property, "min-width"))
    append_length (out, &s->min_width, parent_w, have_parent, "auto");
  else if (g_str_equal (property, "min-height"))
    append_length (out, &s->min_height, parent_w, have_parent, "auto");
  else if (g_str_equal (property, "max-width"))
    append_length (out, &s->max_width, parent_w, have_parent, "none");
  else if (g_str_equal (property, "max-height"))
    append_length (out, &s->max_height, parent_w, have_parent, "none");
  else
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
