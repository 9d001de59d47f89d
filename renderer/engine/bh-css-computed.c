/* bh-css-computed.c: computed values, for the cascade of bh-css.c
 *
 * The initial value of every property, and how one declaration that won the cascade
 * sets its property in the computed style: lengths resolved to px (em, rem, vw, vh),
 * keywords to the style's enums, inherit and initial (CSS 2.1 section 6.2, CSS Cascade 4
 * section 7).
 */
#include "bh-css-private.h"

#include <string.h>
#include <math.h>

/* The initial values of the sizing, positioning, flex and decoration properties. */
static void
reset_box_initials (BhStyle *style)
{
  style->width = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->max_width = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->height = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->float_ = BH_FLOAT_NONE;
  style->clear = BH_CLEAR_NONE;
  style->position = BH_POSITION_STATIC;
  style->overflow = BH_OVERFLOW_VISIBLE;
  style->flex_direction = BH_FLEX_ROW;
  style->flex_wrap = 0;
  style->justify_content = BH_FLEX_START;
  style->align_items = BH_FLEX_STRETCH;
  style->align_self = BH_FLEX_AUTO;
  style->z_auto = 1;
  style->order = 0;
  style->z_index = 0;
  style->flex_grow = 0;
  style->flex_shrink = 1;
  style->flex_basis = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->row_gap = (BhLength) { 0, BH_UNIT_PX, 0 };
  style->column_gap = (BhLength) { 0, BH_UNIT_PX, 0 };
  for (int i = 0; i < 4; i++)
    style->offset[i] = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->min_width = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->min_height = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->max_height = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  style->border_radius = 0;
  style->shadow_color = 0;
  style->shadow_x = style->shadow_y = style->shadow_blur = style->shadow_spread = 0;
  style->gradient_from = style->gradient_to = 0;
  style->gradient_angle = 180;
  style->gradient_radial = 0;
  style->opacity = 1;
  style->text_overflow = BH_TEXT_OVERFLOW_CLIP;
  style->background_image = NULL;
  style->counter_reset = style->counter_set = style->counter_increment = NULL;
  style->grid_columns = NULL;
  style->grid_column_start = style->grid_column_end = 0;
  style->grid_column_span = 1;
  style->bg_repeat = BH_BG_REPEAT;
  style->bg_size_kind = BH_BG_SIZE_LENGTH;
  for (int i = 0; i < 2; i++)
    {
      style->bg_position[i] = (BhLength) { 0, BH_UNIT_PERCENT, 0 };
      style->bg_size[i] = (BhLength) { 0, BH_UNIT_AUTO, 0 };
    }
}

/**
 * bh_style_init_root:
 * @style: (out caller-allocates): the style to fill
 *
 * Fills in the initial values that the root element inherits from: black 16px DejaVu
 * Sans on a transparent background.
 */
void
bh_style_init_root (BhStyle *style)
{
  memset (style, 0, sizeof *style);
  style->color = 0xff000000u;
  style->font_size_px = 16.0f;
  style->font_weight = 400;
  style->display = BH_DISPLAY_BLOCK;
  reset_box_initials (style);
}

/* Non-inherited properties back to their initial values (CSS 2.1 property index). */
void
bh_css_reset_non_inherited (BhStyle *style)
{
  style->background_color = 0;
  style->display = BH_DISPLAY_INLINE;
  style->border_box = 0;
  style->vertical_align = BH_VALIGN_BASELINE;
  for (int i = 0; i < 4; i++)
    {
      style->margin[i] = (BhLength) { 0, BH_UNIT_PX };
      style->padding[i] = (BhLength) { 0, BH_UNIT_PX };
      style->border_width[i] = 3;
      style->border_style[i] = BH_BORDER_NONE;
      style->border_color[i] = 0;
    }
  reset_box_initials (style);
}

/**
 * bh_style_init_anonymous:
 * @style: (out caller-allocates): the style to fill
 * @parent: the style of the box the anonymous box sits in
 * @display: what the anonymous box is (a table row or cell made up to hold content)
 *
 * The style of an anonymous box (CSS 2.1 section 9.2.1.1 and 17.2.1): inherited
 * properties from @parent, everything else initial.
 */
void
bh_style_init_anonymous (BhStyle *style, const BhStyle *parent, BhDisplay display)
{
  *style = *parent;
  bh_css_reset_non_inherited (style);
  for (int side = 0; side < 4; side++)
    style->border_width[side] = 0;
  style->display = display;
}

/* Properties whose vw and vh lengths stay so in the computed style, resolved by layout
 * (bh_layout_length_px()), so a resize need not restyle. */
gboolean
bh_css_keeps_viewport_units (guint8 prop)
{
  return prop == PROP_WIDTH || prop == PROP_HEIGHT || prop == PROP_MAX_WIDTH || prop == PROP_MIN_WIDTH ||
         prop == PROP_MIN_HEIGHT || prop == PROP_MAX_HEIGHT || prop == PROP_FLEX_BASIS ||
         (prop >= PROP_MARGIN_TOP && prop <= PROP_PADDING_LEFT) || (prop >= PROP_TOP && prop <= PROP_LEFT);
}

static float
resolve_px (const ApplyState *st, const BhDecl *d, float em_px)
{
  switch (d->unit)
    {
    case BH_UNIT_EM:
      return d->number * em_px;
    case BH_UNIT_REM:
      return d->number * 16.0f;
    case BH_UNIT_VW:
      return (float) (d->number * st->vw);
    case BH_UNIT_VH:
      return (float) (d->number * st->vh);
    default:
      return d->number;
    }
}

static BhLength
resolve_length (const ApplyState *st, const BhDecl *d, float em_px)
{
  if (d->unit == BH_UNIT_AUTO || d->unit == BH_UNIT_PERCENT ||
      ((d->unit == BH_UNIT_VW || d->unit == BH_UNIT_VH) && bh_css_keeps_viewport_units (d->prop)))
    return (BhLength) { d->number, d->unit, 0 };
  if (d->unit == BH_UNIT_CALC)
    return (BhLength) { CLAMP (d->number, -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX), BH_UNIT_CALC, d->pct };
  return (BhLength) { CLAMP (resolve_px (st, d, em_px), -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX), BH_UNIT_PX, 0 };
}

void
bh_css_apply_font_size (ApplyState *st, const BhDecl *d)
{
  float parent_px = st->parent->font_size_px;
  float px;

  if (d->kind == DECL_INHERIT)
    px = parent_px;
  else if (d->kind == DECL_INITIAL)
    px = 16.0f;
  else if (d->kind != DECL_LENGTH)
    return;
  else if (d->unit == BH_UNIT_PERCENT)
    px = parent_px * d->number / 100.0f;
  else if (d->unit == BH_UNIT_CALC)
    px = d->number + parent_px * d->pct / 100.0f;
  else
    px = resolve_px (st, d, parent_px);
  st->style->font_size_px = CLAMP (px, BH_MIN_FONT_PX, BH_MAX_FONT_PX);
}

void
bh_css_apply_decl (ApplyState *st, const BhDecl *d)
{
  BhStyle *s = st->style;
  const BhStyle *parent = st->parent;
  BhStyle initial;
  int side;

  if (d->prop == PROP_FONT_SIZE)
    return;  /* applied in the first pass */

  if (d->kind == DECL_INHERIT || d->kind == DECL_INITIAL)
    {
      const BhStyle *from = parent;
      if (d->kind == DECL_INITIAL)
        {
          bh_style_init_root (&initial);
          bh_css_reset_non_inherited (&initial);
          from = &initial;
        }
      switch (d->prop)
        {
        case PROP_COLOR: s->color = from->color; break;
        case PROP_BACKGROUND_COLOR: s->background_color = from->background_color; break;
        case PROP_FONT_WEIGHT: s->font_weight = from->font_weight; break;
        case PROP_FONT_STYLE: s->font_italic = from->font_italic; break;
        case PROP_FONT_FAMILY: s->font_family = from->font_family; break;
        case PROP_LINE_HEIGHT:
          s->line_height = from->line_height;
          s->line_height_kind = from->line_height_kind;
          break;
        case PROP_TEXT_ALIGN: s->text_align = from->text_align; break;
        case PROP_WHITE_SPACE: s->white_space = from->white_space; break;
        case PROP_DISPLAY: s->display = from->display; break;
        case PROP_TEXT_DECORATION: s->text_decoration = from->text_decoration; break;
        case PROP_VERTICAL_ALIGN: s->vertical_align = from->vertical_align; break;
        case PROP_LIST_STYLE_TYPE: s->list_style_type = from->list_style_type; break;
        case PROP_WIDTH: s->width = from->width; break;
        case PROP_MAX_WIDTH: s->max_width = from->max_width; break;
        case PROP_HEIGHT: s->height = from->height; break;
        case PROP_FLOAT: s->float_ = from->float_; break;
        case PROP_OVERFLOW_WRAP: s->overflow_wrap = from->overflow_wrap; break;
        case PROP_CLEAR: s->clear = from->clear; break;
        case PROP_POSITION: s->position = from->position; break;
        case PROP_OVERFLOW: s->overflow = from->overflow; break;
        case PROP_FLEX_DIRECTION: s->flex_direction = from->flex_direction; break;
        case PROP_FLEX_WRAP: s->flex_wrap = from->flex_wrap; break;
        case PROP_JUSTIFY_CONTENT: s->justify_content = from->justify_content; break;
        case PROP_ALIGN_ITEMS: s->align_items = from->align_items; break;
        case PROP_ALIGN_SELF: s->align_self = from->align_self; break;
        case PROP_Z_INDEX: s->z_index = from->z_index; s->z_auto = from->z_auto; break;
        case PROP_ORDER: s->order = from->order; break;
        case PROP_FLEX_GROW: s->flex_grow = from->flex_grow; break;
        case PROP_FLEX_SHRINK: s->flex_shrink = from->flex_shrink; break;
        case PROP_FLEX_BASIS: s->flex_basis = from->flex_basis; break;
        case PROP_ROW_GAP: s->row_gap = from->row_gap; break;
        case PROP_COLUMN_GAP: s->column_gap = from->column_gap; break;
        case PROP_MIN_WIDTH: s->min_width = from->min_width; break;
        case PROP_MIN_HEIGHT: s->min_height = from->min_height; break;
        case PROP_MAX_HEIGHT: s->max_height = from->max_height; break;
        case PROP_BORDER_RADIUS: s->border_radius = from->border_radius; break;
        case PROP_SHADOW_COLOR: s->shadow_color = from->shadow_color; break;
        case PROP_SHADOW_X: s->shadow_x = from->shadow_x; break;
        case PROP_SHADOW_Y: s->shadow_y = from->shadow_y; break;
        case PROP_SHADOW_BLUR: s->shadow_blur = from->shadow_blur; break;
        case PROP_SHADOW_SPREAD: s->shadow_spread = from->shadow_spread; break;
        case PROP_GRADIENT_FROM: s->gradient_from = from->gradient_from; break;
        case PROP_GRADIENT_TO: s->gradient_to = from->gradient_to; break;
        case PROP_GRADIENT_ANGLE: s->gradient_angle = from->gradient_angle; break;
        case PROP_GRADIENT_RADIAL: s->gradient_radial = from->gradient_radial; break;
        case PROP_VISIBILITY: s->visibility = from->visibility; break;
        case PROP_OPACITY: s->opacity = from->opacity; break;
        case PROP_TEXT_TRANSFORM: s->text_transform = from->text_transform; break;
        case PROP_LETTER_SPACING: s->letter_spacing = from->letter_spacing; break;
        case PROP_TEXT_OVERFLOW: s->text_overflow = from->text_overflow; break;
        case PROP_BACKGROUND_IMAGE: s->background_image = from->background_image; break;
        case PROP_BACKGROUND_REPEAT: s->bg_repeat = from->bg_repeat; break;
        case PROP_BACKGROUND_POSITION_X: s->bg_position[0] = from->bg_position[0]; break;
        case PROP_BACKGROUND_POSITION_Y: s->bg_position[1] = from->bg_position[1]; break;
        case PROP_BACKGROUND_SIZE_KIND: s->bg_size_kind = from->bg_size_kind; break;
        case PROP_BACKGROUND_SIZE_W: s->bg_size[0] = from->bg_size[0]; break;
        case PROP_BACKGROUND_SIZE_H: s->bg_size[1] = from->bg_size[1]; break;
        case PROP_COUNTER_RESET: s->counter_reset = from->counter_reset; break;
        case PROP_COUNTER_SET: s->counter_set = from->counter_set; break;
        case PROP_COUNTER_INCREMENT: s->counter_increment = from->counter_increment; break;
        case PROP_GRID_TEMPLATE_COLUMNS: s->grid_columns = from->grid_columns; break;
        case PROP_GRID_COLUMN_START: s->grid_column_start = from->grid_column_start; break;
        case PROP_GRID_COLUMN_END: s->grid_column_end = from->grid_column_end; break;
        case PROP_GRID_COLUMN_SPAN: s->grid_column_span = from->grid_column_span; break;
        default:
          if (d->prop >= PROP_TOP && d->prop <= PROP_LEFT)
            s->offset[d->prop - PROP_TOP] = from->offset[d->prop - PROP_TOP];
          else
          if (d->prop >= PROP_MARGIN_TOP && d->prop <= PROP_MARGIN_LEFT)
            s->margin[d->prop - PROP_MARGIN_TOP] = from->margin[d->prop - PROP_MARGIN_TOP];
          else if (d->prop >= PROP_PADDING_TOP && d->prop <= PROP_PADDING_LEFT)
            s->padding[d->prop - PROP_PADDING_TOP] = from->padding[d->prop - PROP_PADDING_TOP];
          break;
        }
      return;
    }

  switch (d->prop)
    {
    case PROP_COLOR:
      if (d->kind == DECL_COLOR)
        s->color = d->ival;
      break;
    case PROP_BACKGROUND_COLOR:
      if (d->kind == DECL_COLOR)
        s->background_color = d->ival;
      else if (d->kind == DECL_CURRENT_COLOR)
        s->background_color = s->color;
      break;
    case PROP_FONT_WEIGHT:
      if (d->ival == FONT_WEIGHT_BOLDER)
        s->font_weight = parent->font_weight < 600 ? 700 : 900;
      else if (d->ival == FONT_WEIGHT_LIGHTER)
        s->font_weight = parent->font_weight > 500 ? 400 : 100;
      else
        s->font_weight = (guint16) d->ival;
      break;
    case PROP_FONT_STYLE: s->font_italic = (guint8) d->ival; break;
    case PROP_FONT_FAMILY: s->font_family = (guint8) d->ival; break;
    case PROP_LINE_HEIGHT:
      if (d->kind == DECL_KEYWORD)
        s->line_height_kind = BH_LH_NORMAL;
      else if (d->unit == BH_UNIT_NUMBER)
        {
          s->line_height_kind = BH_LH_FACTOR;
          s->line_height = d->number;
        }
      else if (d->unit == BH_UNIT_PERCENT)
        {
          s->line_height_kind = BH_LH_PX;
          s->line_height = s->font_size_px * d->number / 100.0f;
        }
      else
        {
          s->line_height_kind = BH_LH_PX;
          s->line_height = CLAMP (resolve_px (st, d, s->font_size_px), 0.0f, 10.0f * BH_MAX_FONT_PX);
        }
      break;
    case PROP_TEXT_ALIGN: s->text_align = (guint8) d->ival; break;
    case PROP_WHITE_SPACE: s->white_space = (guint8) d->ival; break;
    case PROP_DISPLAY: s->display = (guint8) d->ival; break;
    case PROP_TEXT_DECORATION: s->text_decoration = (guint8) d->ival; break;
    case PROP_VERTICAL_ALIGN: s->vertical_align = (guint8) d->ival; break;
    case PROP_LIST_STYLE_TYPE: s->list_style_type = (guint8) d->ival; break;
    case PROP_BORDER_COLLAPSE: s->border_collapse = (guint8) d->ival; break;
    case PROP_BOX_SIZING: s->border_box = (guint8) d->ival; break;
    case PROP_BORDER_SPACING: s->border_spacing = MAX (0.0f, resolve_px (st, d, s->font_size_px)); break;
    case PROP_WIDTH: s->width = resolve_length (st, d, s->font_size_px); break;
    case PROP_MAX_WIDTH: s->max_width = resolve_length (st, d, s->font_size_px); break;
    case PROP_HEIGHT: s->height = resolve_length (st, d, s->font_size_px); break;
    case PROP_FLOAT: s->float_ = (guint8) d->ival; break;
    case PROP_OVERFLOW_WRAP: s->overflow_wrap = (guint8) d->ival; break;
    case PROP_CLEAR: s->clear = (guint8) d->ival; break;
    case PROP_POSITION: s->position = (guint8) d->ival; break;
    case PROP_OVERFLOW: s->overflow = (guint8) d->ival; break;
    case PROP_FLEX_DIRECTION: s->flex_direction = (guint8) d->ival; break;
    case PROP_FLEX_WRAP: s->flex_wrap = (guint8) d->ival; break;
    case PROP_JUSTIFY_CONTENT: s->justify_content = (guint8) d->ival; break;
    case PROP_ALIGN_ITEMS: s->align_items = (guint8) d->ival; break;
    case PROP_ALIGN_SELF: s->align_self = (guint8) d->ival; break;
    case PROP_Z_INDEX:
      s->z_auto = d->unit == BH_UNIT_AUTO;
      s->z_index = s->z_auto ? 0 : (gint32) d->number;
      break;
    case PROP_ORDER: s->order = (gint16) d->number; break;
    case PROP_FLEX_GROW: s->flex_grow = d->number; break;
    case PROP_FLEX_SHRINK: s->flex_shrink = d->number; break;
    case PROP_FLEX_BASIS: s->flex_basis = resolve_length (st, d, s->font_size_px); break;
    case PROP_ROW_GAP: s->row_gap = resolve_length (st, d, s->font_size_px); break;
    case PROP_COLUMN_GAP: s->column_gap = resolve_length (st, d, s->font_size_px); break;
    case PROP_MIN_WIDTH: s->min_width = resolve_length (st, d, s->font_size_px); break;
    case PROP_MIN_HEIGHT: s->min_height = resolve_length (st, d, s->font_size_px); break;
    case PROP_MAX_HEIGHT: s->max_height = resolve_length (st, d, s->font_size_px); break;
    case PROP_BORDER_RADIUS: s->border_radius = CLAMP (resolve_px (st, d, s->font_size_px), 0.0f, 10000.0f); break;
    case PROP_SHADOW_COLOR:
      if (d->kind == DECL_COLOR)
        s->shadow_color = d->ival;
      break;
    case PROP_SHADOW_X: s->shadow_x = CLAMP (resolve_px (st, d, s->font_size_px), -1000.0f, 1000.0f); break;
    case PROP_SHADOW_Y: s->shadow_y = CLAMP (resolve_px (st, d, s->font_size_px), -1000.0f, 1000.0f); break;
    case PROP_SHADOW_BLUR: s->shadow_blur = CLAMP (resolve_px (st, d, s->font_size_px), 0.0f, 200.0f); break;
    case PROP_SHADOW_SPREAD: s->shadow_spread = CLAMP (resolve_px (st, d, s->font_size_px), -200.0f, 200.0f); break;
    case PROP_GRADIENT_FROM:
      if (d->kind == DECL_COLOR)
        s->gradient_from = d->ival;
      break;
    case PROP_GRADIENT_TO:
      if (d->kind == DECL_COLOR)
        s->gradient_to = d->ival;
      break;
    case PROP_GRADIENT_ANGLE: s->gradient_angle = d->number; break;
    case PROP_GRADIENT_RADIAL: s->gradient_radial = (guint8) d->ival; break;
    case PROP_VISIBILITY: s->visibility = (guint8) d->ival; break;
    case PROP_OPACITY: s->opacity = CLAMP (d->number, 0.0f, 1.0f); break;
    case PROP_TEXT_TRANSFORM: s->text_transform = (guint8) d->ival; break;
    case PROP_LETTER_SPACING: s->letter_spacing = CLAMP (resolve_px (st, d, s->font_size_px), -100.0f, 100.0f); break;
    case PROP_TEXT_OVERFLOW: s->text_overflow = (guint8) d->ival; break;
    case PROP_BACKGROUND_IMAGE: s->background_image = NULL; break;  /* none; url() is raw */
    case PROP_BACKGROUND_REPEAT: s->bg_repeat = (guint8) d->ival; break;
    case PROP_BACKGROUND_POSITION_X: s->bg_position[0] = resolve_length (st, d, s->font_size_px); break;
    case PROP_BACKGROUND_POSITION_Y: s->bg_position[1] = resolve_length (st, d, s->font_size_px); break;
    case PROP_BACKGROUND_SIZE_KIND: s->bg_size_kind = (guint8) d->ival; break;
    case PROP_BACKGROUND_SIZE_W: s->bg_size[0] = resolve_length (st, d, s->font_size_px); break;
    case PROP_BACKGROUND_SIZE_H: s->bg_size[1] = resolve_length (st, d, s->font_size_px); break;
    case PROP_COUNTER_RESET: s->counter_reset = NULL; break;  /* none; a list is raw */
    case PROP_COUNTER_SET: s->counter_set = NULL; break;
    case PROP_COUNTER_INCREMENT: s->counter_increment = NULL; break;
    case PROP_GRID_TEMPLATE_COLUMNS: s->grid_columns = NULL; break;  /* none; a list is raw */
    case PROP_GRID_COLUMN_START: s->grid_column_start = (gint16) d->number; break;
    case PROP_GRID_COLUMN_END: s->grid_column_end = (gint16) d->number; break;
    case PROP_GRID_COLUMN_SPAN: s->grid_column_span = (guint16) MAX (1.0f, d->number); break;
    default:
      if (d->prop >= PROP_TOP && d->prop <= PROP_LEFT)
        s->offset[d->prop - PROP_TOP] = resolve_length (st, d, s->font_size_px);
      else
      if (d->prop >= PROP_MARGIN_TOP && d->prop <= PROP_MARGIN_LEFT)
        s->margin[d->prop - PROP_MARGIN_TOP] = resolve_length (st, d, s->font_size_px);
      else if (d->prop >= PROP_PADDING_TOP && d->prop <= PROP_PADDING_LEFT)
        s->padding[d->prop - PROP_PADDING_TOP] = resolve_length (st, d, s->font_size_px);
      else if (d->prop >= PROP_BORDER_TOP_WIDTH && d->prop <= PROP_BORDER_LEFT_WIDTH)
        {
          side = d->prop - PROP_BORDER_TOP_WIDTH;
          s->border_width[side] = CLAMP (resolve_px (st, d, s->font_size_px), 0.0f, 1000.0f);
        }
      else if (d->prop >= PROP_BORDER_TOP_STYLE && d->prop <= PROP_BORDER_LEFT_STYLE)
        s->border_style[d->prop - PROP_BORDER_TOP_STYLE] = (guint8) d->ival;
      else if (d->prop >= PROP_BORDER_TOP_COLOR && d->prop <= PROP_BORDER_LEFT_COLOR)
        {
          side = d->prop - PROP_BORDER_TOP_COLOR;
          st->current_color[side] = d->kind == DECL_CURRENT_COLOR;
          if (d->kind == DECL_COLOR)
            s->border_color[side] = d->ival;
        }
      break;
    }
}
