/* bh-css.c: style sheets (rules, at-rules, the user-agent sheet) and the cascade that
 * computes a BhStyle per element. Values are parsed in bh-css-values.c, selectors in
 * bh-css-selector.c, the text is scanned with bh-css-syntax.c.
 *
 * The parser follows the recovery rules of CSS 2.1 section 4.2: a declaration it does
 * not understand is dropped on its own, a rule whose selector it does not understand is
 * dropped whole, and at-rules are skipped to their end (";" or the matching "}"), except
 * @media blocks whose media list is plainly "screen" or "all".
 */
#include "bh-css-private.h"

#include <string.h>
#include <math.h>

/* Styles are compared and hashed as bytes (the renderer shares equal ones), so the
 * struct must have no implicit padding: every byte is a field. */
G_STATIC_ASSERT (sizeof (BhStyle) == 160);
G_STATIC_ASSERT (sizeof (BhLength) == 8);

typedef struct {
  const BhRule *rule;
  guint32 specificity;
  guint32 order;
  guint8 origin;
} BhIndexedRule;

struct _BhCascade {
  GHashTable *by_id;        /* char* -> GArray<BhIndexedRule> */
  GHashTable *by_class;
  GHashTable *by_tag;       /* GINT_TO_POINTER(tag + 1) -> GArray */
  GHashTable *by_tag_name;  /* unknown tag names */
  GArray *universal;
  GArray *matched;          /* scratch */
  guint32 next_order;
};

/* ---------------------------------------------------------------- style sheets */

static void
rule_free (gpointer data)
{
  BhRule *rule = data;
  bh_css_selector_free (rule->selector);
  g_free (rule);
}

static void
parse_rule (BhStyleSheet *sheet, const char *sel_start, const char *sel_end,
            const char *body, const char *body_end)
{
  BhDeclarations *decls = NULL;
  const char *p = sel_start;

  while (p < sel_end)
    {
      const char *q = p;
      BhSelector *sel;

      while (q < sel_end && *q != ',')
        {
          if (*q == '"' || *q == '\'')
            q = bh_css_skip_string (q, sel_end);
          else if (*q == '\\' && q + 1 < sel_end)
            q += 2;
          else if (*q == '(')
            {
              while (q < sel_end && *q != ')')
                q++;
            }
          else
            q++;
        }
      sel = bh_css_parse_selector (p, q);
      if (sel != NULL)
        {
          BhRule *rule = g_new0 (BhRule, 1);
          if (decls == NULL)
            {
              decls = bh_declarations_parse (body, body_end - body);
              g_ptr_array_add (sheet->decl_blocks, decls);
            }
          rule->selector = sel;
          rule->decls = decls;
          g_ptr_array_add (sheet->rules, rule);
        }
      p = q < sel_end ? q + 1 : q;
    }
}

static gboolean
media_list_applies (const char *start, const char *end)
{
  g_autofree char *media = g_ascii_strdown (start, end - start);

  if (strchr (media, '(') != NULL || strstr (media, "not ") != NULL)
    return FALSE;
  return strstr (media, "screen") != NULL || strstr (media, "all") != NULL;
}

static void
parse_rules (BhStyleSheet *sheet, const char *p, const char *end, int nesting)
{
  while (p < end)
    {
      p = bh_css_skip_space_and_comments (p, end);
      if (p >= end)
        break;

      if (*p == '@')
        {
          g_autofree char *keyword = NULL;
          const char *prelude;

          p++;
          keyword = bh_css_read_ident (&p, end);
          prelude = p;
          while (p < end && *p != ';' && *p != '{')
            {
              if (*p == '"' || *p == '\'')
                p = bh_css_skip_string (p, end);
              else if (*p == '\\' && p + 1 < end)
                p += 2;
              else
                p++;
            }
          if (p < end && *p == '{')
            {
              const char *body = p + 1;
              const char *body_end = bh_css_find_block_end (body, end);
              if (keyword != NULL && g_ascii_strcasecmp (keyword, "media") == 0 &&
                  nesting < BH_MAX_CSS_NESTING && media_list_applies (prelude, p))
                parse_rules (sheet, body, body_end, nesting + 1);
              p = body_end < end ? body_end + 1 : end;
            }
          else if (p < end)
            p++;
          continue;
        }

      if (*p == '}')
        {
          p++;
          continue;
        }

      {
        const char *sel_start = p;
        const char *sel_end;
        const char *body_end;

        /* An escaped "{" is part of the selector (CSS Syntax 3, 4.3.8): "\\{}" is a
         * rule with no block. */
        while (p < end && *p != '{')
          {
            if (*p == '"' || *p == '\'')
              p = bh_css_skip_string (p, end);
            else if (*p == '\\' && p + 1 < end)
              p += 2;
            else if (p + 1 < end && p[0] == '/' && p[1] == '*')
              p = bh_css_skip_comment (p, end);
            else
              p++;
          }
        if (p >= end)
          break;
        sel_end = p;
        body_end = bh_css_find_block_end (p + 1, end);
        parse_rule (sheet, sel_start, sel_end, p + 1, body_end);
        p = body_end < end ? body_end + 1 : end;
      }
    }
}

/**
 * bh_style_sheet_parse:
 * @text: style sheet text in UTF-8, not necessarily NUL-terminated
 * @len: length of @text in bytes
 *
 * Parses the rules this engine understands; everything else is skipped.
 *
 * Returns: (transfer full): a style sheet, possibly with no rules.
 */
BhStyleSheet *
bh_style_sheet_parse (const char *text, gsize len)
{
  BhStyleSheet *sheet = g_new0 (BhStyleSheet, 1);

  sheet->rules = g_ptr_array_new_with_free_func (rule_free);
  sheet->decl_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_declarations_free);
  parse_rules (sheet, text, text + len, 0);
  return sheet;
}

/**
 * bh_style_sheet_free:
 * @sheet: (nullable) (transfer full): a style sheet; no cascade may still use it
 */
void
bh_style_sheet_free (BhStyleSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_ptr_array_unref (sheet->rules);
  g_ptr_array_unref (sheet->decl_blocks);
  g_free (sheet);
}

/**
 * bh_style_sheet_get_n_rules:
 * @sheet: a style sheet
 *
 * Returns: how many rules it has, one per selector of each comma list understood.
 */
guint
bh_style_sheet_get_n_rules (BhStyleSheet *sheet)
{
  return sheet->rules->len;
}

/* The user-agent style sheet: the rendering section of the HTML standard (section 15,
 * "Rendering") reduced to what this engine draws. */
static const char user_agent_css[] =
  "html, address, blockquote, body, dd, div, dl, dt, fieldset, form, frame, frameset,"
  " h1, h2, h3, h4, h5, h6, noframes, ol, p, ul, center, dir, hr, menu, pre, article,"
  " aside, footer, header, hgroup, main, nav, section, figure, figcaption, details,"
  " summary, legend, listing, plaintext, xmp, search, optgroup { display: block }\n"
  "head, script, style, template, noscript, title, meta, link, base, datalist, param,"
  " area, map, svg, math, select, option, audio, video, canvas, col, colgroup, source,"
  " track, rp, dialog { display: none }\n"
  "li { display: list-item }\n"
  "table { display: table; border-spacing: 2px; border-collapse: separate }\n"
  "caption { display: table-caption; text-align: center }\n"
  "thead, tbody, tfoot { display: table-row-group }\n"
  "tr { display: table-row }\n"
  "td, th { display: table-cell; padding: 1px; vertical-align: middle }\n"
  "th { font-weight: bold; text-align: center }\n"
  "body { margin: 8px }\n"
  "p, dl { margin: 1em 0 }\n"
  "dd { margin-left: 40px }\n"
  "blockquote, figure { margin: 1em 40px }\n"
  "address, cite, em, i, var, dfn { font-style: italic }\n"
  "h1 { font-size: 2em; margin: 0.67em 0; font-weight: bold }\n"
  "h2 { font-size: 1.5em; margin: 0.83em 0; font-weight: bold }\n"
  "h3 { font-size: 1.17em; margin: 1em 0; font-weight: bold }\n"
  "h4 { margin: 1.33em 0; font-weight: bold }\n"
  "h5 { font-size: 0.83em; margin: 1.67em 0; font-weight: bold }\n"
  "h6 { font-size: 0.67em; margin: 2.33em 0; font-weight: bold }\n"
  "pre, listing, xmp, plaintext { white-space: pre; margin: 1em 0 }\n"
  "pre, listing, xmp, plaintext, code, kbd, samp, tt { font-family: monospace; font-size: 0.875em }\n"
  "pre code, pre kbd, pre samp, pre tt { font-size: 1em }\n"
  "b, strong { font-weight: bold }\n"
  "big { font-size: larger }\n"
  "small { font-size: smaller }\n"
  "sub { vertical-align: sub; font-size: smaller }\n"
  "sup { vertical-align: super; font-size: smaller }\n"
  "u, ins { text-decoration: underline }\n"
  "s, strike, del { text-decoration: line-through }\n"
  "ul, menu, dir { list-style-type: disc; margin: 1em 0; padding-left: 40px }\n"
  "ol { list-style-type: decimal; margin: 1em 0; padding-left: 40px }\n"
  "ul ul, ul ol, ol ul, ol ol, li ul, li ol, dd ul, dd ol { margin-top: 0; margin-bottom: 0 }\n"
  "ol ul, ul ul, menu ul, dir ul { list-style-type: circle }\n"
  "ol ol ul, ol ul ul, ul ol ul, ul ul ul { list-style-type: square }\n"
  "center { text-align: center }\n"
  "hr { border: 1px inset gray; margin: 0.5em 0 }\n"
  "a:link { color: #1a0dab; text-decoration: underline }\n"
  "mark { background-color: yellow; color: black }\n"
  "nobr { white-space: nowrap }\n"
  "fieldset { margin: 0 2px; padding: 0.35em 0.75em 0.625em; border: 2px groove #c0c0c0 }\n"
  "legend { padding: 0 2px }\n"
  "figcaption { text-align: center }\n";

/**
 * bh_style_sheet_get_user_agent_text:
 *
 * Returns: (transfer none): the user-agent style sheet as CSS text.
 */
const char *
bh_style_sheet_get_user_agent_text (void)
{
  return user_agent_css;
}

/* ---------------------------------------------------------------- cascade */

static void
indexed_array_free (gpointer data)
{
  g_array_unref (data);
}

/**
 * bh_cascade_new:
 *
 * Returns: (transfer full): an empty cascade; add sheets in order of precedence.
 */
BhCascade *
bh_cascade_new (void)
{
  BhCascade *cascade = g_new0 (BhCascade, 1);

  cascade->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->by_class = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->by_tag = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, indexed_array_free);
  cascade->by_tag_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, indexed_array_free);
  cascade->universal = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  cascade->matched = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
  return cascade;
}

/**
 * bh_cascade_free:
 * @cascade: (nullable) (transfer full): a cascade; its sheets are not freed
 */
void
bh_cascade_free (BhCascade *cascade)
{
  if (cascade == NULL)
    return;
  g_hash_table_unref (cascade->by_id);
  g_hash_table_unref (cascade->by_class);
  g_hash_table_unref (cascade->by_tag);
  g_hash_table_unref (cascade->by_tag_name);
  g_array_unref (cascade->universal);
  g_array_unref (cascade->matched);
  g_free (cascade);
}

static void
index_into (GHashTable *table, gpointer key, const BhIndexedRule *entry)
{
  GArray *bucket = g_hash_table_lookup (table, key);

  if (bucket == NULL)
    {
      bucket = g_array_new (FALSE, FALSE, sizeof (BhIndexedRule));
      g_hash_table_insert (table, key, bucket);
    }
  g_array_append_val (bucket, *entry);
}

/**
 * bh_cascade_add_sheet:
 * @cascade: a cascade
 * @sheet: (transfer none): a style sheet that outlives the cascade
 * @origin: where it comes from; later sheets of one origin win over earlier ones
 *
 * Indexes the sheet's rules by the id, first class or type of their rightmost compound
 * selector, so an element is only tested against rules that could match it.
 */
void
bh_cascade_add_sheet (BhCascade *cascade, BhStyleSheet *sheet, BhOrigin origin)
{
  for (guint i = 0; i < sheet->rules->len; i++)
    {
      const BhRule *rule = sheet->rules->pdata[i];
      const BhCompound *key = &rule->selector->parts[rule->selector->n_parts - 1];
      BhIndexedRule entry = {
        .rule = rule,
        .specificity = rule->selector->specificity,
        .order = cascade->next_order++,
        .origin = origin,
      };

      if (key->never)
        continue;
      /* Keys point into the sheet, which outlives its place in the cascade. */
      if (key->id != NULL)
        index_into (cascade->by_id, key->id, &entry);
      else if (key->classes != NULL)
        index_into (cascade->by_class, key->classes[0], &entry);
      else if (key->tag == GUMBO_TAG_UNKNOWN)
        index_into (cascade->by_tag_name, key->tag_name, &entry);
      else if (key->tag != GUMBO_TAG_LAST)
        index_into (cascade->by_tag, GINT_TO_POINTER (key->tag + 1), &entry);
      else
        g_array_append_val (cascade->universal, entry);
    }
}

static void
collect_matches (BhCascade *cascade, GArray *bucket, const BhElement *el)
{
  if (bucket == NULL)
    return;
  for (guint i = 0; i < bucket->len; i++)
    {
      const BhIndexedRule *entry = &g_array_index (bucket, BhIndexedRule, i);
      if (bh_css_selector_matches (entry->rule->selector, el))
        g_array_append_val (cascade->matched, *entry);
    }
}

static int
compare_indexed (gconstpointer a, gconstpointer b)
{
  const BhIndexedRule *x = a, *y = b;

  if (x->origin != y->origin)
    return x->origin < y->origin ? -1 : 1;
  if (x->specificity != y->specificity)
    return x->specificity < y->specificity ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
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
  style->width.unit = BH_UNIT_AUTO;
  style->max_width.unit = BH_UNIT_AUTO;
  style->height.unit = BH_UNIT_AUTO;
}

/* Non-inherited properties back to their initial values (CSS 2.1 property index). */
static void
reset_non_inherited (BhStyle *style)
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
  style->width = (BhLength) { 0, BH_UNIT_AUTO };
  style->max_width = (BhLength) { 0, BH_UNIT_AUTO };
  style->height = (BhLength) { 0, BH_UNIT_AUTO };
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
  reset_non_inherited (style);
  for (int side = 0; side < 4; side++)
    style->border_width[side] = 0;
  style->display = display;
}

static float
resolve_px (const BhDecl *d, float em_px)
{
  switch (d->unit)
    {
    case BH_UNIT_EM:
      return d->number * em_px;
    case BH_UNIT_REM:
      return d->number * 16.0f;
    default:
      return d->number;
    }
}

static BhLength
resolve_length (const BhDecl *d, float em_px)
{
  if (d->unit == BH_UNIT_AUTO || d->unit == BH_UNIT_PERCENT)
    return (BhLength) { d->number, d->unit };
  return (BhLength) { CLAMP (resolve_px (d, em_px), -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX), BH_UNIT_PX };
}

typedef struct {
  BhStyle *style;
  const BhStyle *parent;
  gboolean current_color[4];  /* border colours still following `color` */
} ApplyState;

static void
apply_font_size (ApplyState *st, const BhDecl *d)
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
  else
    px = resolve_px (d, parent_px);
  st->style->font_size_px = CLAMP (px, BH_MIN_FONT_PX, BH_MAX_FONT_PX);
}

static void
apply_decl (ApplyState *st, const BhDecl *d)
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
          reset_non_inherited (&initial);
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
        default:
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
          s->line_height = CLAMP (resolve_px (d, s->font_size_px), 0.0f, 10.0f * BH_MAX_FONT_PX);
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
    case PROP_BORDER_SPACING: s->border_spacing = MAX (0.0f, resolve_px (d, s->font_size_px)); break;
    case PROP_WIDTH: s->width = resolve_length (d, s->font_size_px); break;
    case PROP_MAX_WIDTH: s->max_width = resolve_length (d, s->font_size_px); break;
    case PROP_HEIGHT: s->height = resolve_length (d, s->font_size_px); break;
    default:
      if (d->prop >= PROP_MARGIN_TOP && d->prop <= PROP_MARGIN_LEFT)
        s->margin[d->prop - PROP_MARGIN_TOP] = resolve_length (d, s->font_size_px);
      else if (d->prop >= PROP_PADDING_TOP && d->prop <= PROP_PADDING_LEFT)
        s->padding[d->prop - PROP_PADDING_TOP] = resolve_length (d, s->font_size_px);
      else if (d->prop >= PROP_BORDER_TOP_WIDTH && d->prop <= PROP_BORDER_LEFT_WIDTH)
        {
          side = d->prop - PROP_BORDER_TOP_WIDTH;
          s->border_width[side] = CLAMP (resolve_px (d, s->font_size_px), 0.0f, 1000.0f);
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

static void
apply_block (ApplyState *st, BhDeclarations *decls, gboolean important, gboolean font_size_pass)
{
  if (decls == NULL)
    return;
  for (guint i = 0; i < decls->decls->len; i++)
    {
      const BhDecl *d = &g_array_index (decls->decls, BhDecl, i);
      if ((gboolean) d->important != important)
        continue;
      if (font_size_pass)
        {
          if (d->prop == PROP_FONT_SIZE)
            apply_font_size (st, d);
        }
      else
        apply_decl (st, d);
    }
}

/**
 * bh_cascade_compute:
 * @cascade: the cascade with its sheets
 * @element: the element, linked to its ancestors
 * @parent: the parent element's computed style (bh_style_init_root() for the root)
 * @hints: (nullable): presentational hints of the element
 * @style_attr: (nullable): declarations of its style="" attribute
 * @out: (out caller-allocates): the computed style
 *
 * Computes the element's style: inherited properties start from @parent, the others
 * from their initial values; then declarations apply in cascade order (CSS 2.1 section
 * 6.4.1: origin and importance, then specificity, then order of appearance). Font size
 * is resolved first so that em lengths refer to the element's own font size.
 */
void
bh_cascade_compute (BhCascade *cascade, const BhElement *element, const BhStyle *parent,
                    BhDeclarations *hints, BhDeclarations *style_attr, BhStyle *out)
{
  ApplyState st = { .style = out, .parent = parent, .current_color = { TRUE, TRUE, TRUE, TRUE } };
  GArray *matched = cascade->matched;

  g_array_set_size (matched, 0);
  if (element->id != NULL)
    collect_matches (cascade, g_hash_table_lookup (cascade->by_id, element->id), element);
  if (element->classes != NULL)
    for (char **c = element->classes; *c; c++)
      {
        gboolean seen = FALSE;
        /* a class listed twice must not match its rules twice */
        for (char **d = element->classes; d < c; d++)
          if (strcmp (*c, *d) == 0)
            seen = TRUE;
        if (!seen)
          collect_matches (cascade, g_hash_table_lookup (cascade->by_class, *c), element);
      }
  if (element->tag == GUMBO_TAG_UNKNOWN)
    {
      if (element->tag_name != NULL)
        collect_matches (cascade, g_hash_table_lookup (cascade->by_tag_name, element->tag_name), element);
    }
  else
    collect_matches (cascade, g_hash_table_lookup (cascade->by_tag, GINT_TO_POINTER (element->tag + 1)), element);
  collect_matches (cascade, cascade->universal, element);
  if (matched->len > 1)
    g_array_sort (matched, compare_indexed);

  *out = *parent;
  reset_non_inherited (out);

  for (int pass = 0; pass < 2; pass++)
    {
      gboolean font_size_pass = pass == 0;
      for (int important = 0; important < 2; important++)
        {
          gboolean hints_done = FALSE;
          for (guint i = 0; i < matched->len; i++)
            {
              const BhIndexedRule *entry = &g_array_index (matched, BhIndexedRule, i);
              if (!hints_done && entry->origin > BH_ORIGIN_USER_AGENT)
                {
                  apply_block (&st, hints, important, font_size_pass);
                  hints_done = TRUE;
                }
              apply_block (&st, entry->rule->decls, important, font_size_pass);
            }
          if (!hints_done)
            apply_block (&st, hints, important, font_size_pass);
          apply_block (&st, style_attr, important, font_size_pass);
        }
    }

  for (int side = 0; side < 4; side++)
    {
      if (st.current_color[side])
        out->border_color[side] = out->color;
      if (out->border_style[side] == BH_BORDER_NONE)
        out->border_width[side] = 0;
    }
}
