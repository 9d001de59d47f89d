/* bh-css-declarations.c: declaration blocks: the property table that turns one
 * declaration ("margin", "1em auto") into BhDecl entries, with the keyword tables and
 * shorthands (margin, border, font, flex, box-shadow, linear-gradient()) it expands,
 * and the parsing of a whole block ("a: b; c: d"). Colours, lengths and calc() come
 * from bh-css-values.c. A declaration this engine does not understand is dropped on
 * its own (CSS 2.1 section 4.2). */
#include "bh-css-private.h"

#include <string.h>
#include <math.h>

/* ---------------------------------------------------------------- keywords */

typedef struct {
  const char *name;
  int value;
} BhKeyword;

static gboolean
lookup_keyword (const BhKeyword *table, const char *s, int *out)
{
  for (; table->name != NULL; table++)
    if (g_ascii_strcasecmp (table->name, s) == 0)
      {
        *out = table->value;
        return TRUE;
      }
  return FALSE;
}

static const BhKeyword display_keywords[] = {
  { "none", BH_DISPLAY_NONE }, { "block", BH_DISPLAY_BLOCK }, { "inline", BH_DISPLAY_INLINE },
  { "inline-block", BH_DISPLAY_INLINE_BLOCK }, { "list-item", BH_DISPLAY_LIST_ITEM },
  { "table", BH_DISPLAY_TABLE }, { "inline-table", BH_DISPLAY_TABLE },
  { "table-row-group", BH_DISPLAY_TABLE_ROW_GROUP }, { "table-header-group", BH_DISPLAY_TABLE_ROW_GROUP },
  { "table-footer-group", BH_DISPLAY_TABLE_ROW_GROUP }, { "table-row", BH_DISPLAY_TABLE_ROW },
  { "table-cell", BH_DISPLAY_TABLE_CELL }, { "table-caption", BH_DISPLAY_TABLE_CAPTION },
  { "table-column", BH_DISPLAY_NONE }, { "table-column-group", BH_DISPLAY_NONE },
  /* An inline grid lays its items out as a column of blocks in an inline-block. */
  { "flex", BH_DISPLAY_FLEX }, { "grid", BH_DISPLAY_GRID }, { "flow-root", BH_DISPLAY_FLOW_ROOT },
  { "inline-flex", BH_DISPLAY_INLINE_FLEX }, { "inline-grid", BH_DISPLAY_INLINE_BLOCK },
  { "contents", BH_DISPLAY_INLINE }, { "run-in", BH_DISPLAY_BLOCK },
  { NULL, 0 }
};

static const BhKeyword float_keywords[] = {
  { "none", BH_FLOAT_NONE }, { "left", BH_FLOAT_LEFT }, { "right", BH_FLOAT_RIGHT },
  { "inline-start", BH_FLOAT_LEFT }, { "inline-end", BH_FLOAT_RIGHT }, { NULL, 0 }
};

static const BhKeyword clear_keywords[] = {
  { "none", BH_CLEAR_NONE }, { "left", BH_CLEAR_LEFT }, { "right", BH_CLEAR_RIGHT },
  { "both", BH_CLEAR_BOTH }, { "inline-start", BH_CLEAR_LEFT }, { "inline-end", BH_CLEAR_RIGHT },
  { NULL, 0 }
};

static const BhKeyword position_keywords[] = {
  { "static", BH_POSITION_STATIC }, { "relative", BH_POSITION_RELATIVE },
  { "absolute", BH_POSITION_ABSOLUTE }, { "fixed", BH_POSITION_FIXED },
  { "sticky", BH_POSITION_STICKY }, { "-webkit-sticky", BH_POSITION_STICKY }, { NULL, 0 }
};

static const BhKeyword overflow_keywords[] = {
  { "visible", BH_OVERFLOW_VISIBLE }, { "hidden", BH_OVERFLOW_HIDDEN }, { "clip", BH_OVERFLOW_HIDDEN },
  { "scroll", BH_OVERFLOW_SCROLL }, { "auto", BH_OVERFLOW_AUTO }, { NULL, 0 }
};

static const BhKeyword flex_direction_keywords[] = {
  { "row", BH_FLEX_ROW }, { "row-reverse", BH_FLEX_ROW_REVERSE }, { "column", BH_FLEX_COLUMN },
  { "column-reverse", BH_FLEX_COLUMN_REVERSE }, { NULL, 0 }
};

static const BhKeyword flex_wrap_keywords[] = {
  { "nowrap", 0 }, { "wrap", 1 }, { "wrap-reverse", 2 }, { NULL, 0 }
};

/* justify-content, align-items, align-self, align-content (CSS Box Alignment 3, reduced) */
static const BhKeyword flex_align_keywords[] = {
  { "auto", BH_FLEX_AUTO }, { "normal", BH_FLEX_STRETCH }, { "flex-start", BH_FLEX_START },
  { "start", BH_FLEX_START }, { "self-start", BH_FLEX_START }, { "left", BH_FLEX_START },
  { "flex-end", BH_FLEX_END }, { "end", BH_FLEX_END }, { "self-end", BH_FLEX_END },
  { "right", BH_FLEX_END }, { "center", BH_FLEX_CENTER }, { "space-between", BH_FLEX_SPACE_BETWEEN },
  { "space-around", BH_FLEX_SPACE_AROUND }, { "space-evenly", BH_FLEX_SPACE_EVENLY },
  { "stretch", BH_FLEX_STRETCH }, { "baseline", BH_FLEX_BASELINE },
  { "first baseline", BH_FLEX_BASELINE }, { NULL, 0 }
};

static const BhKeyword align_keywords[] = {
  { "left", BH_ALIGN_LEFT }, { "start", BH_ALIGN_LEFT }, { "right", BH_ALIGN_RIGHT },
  { "end", BH_ALIGN_RIGHT }, { "center", BH_ALIGN_CENTER }, { "-webkit-center", BH_ALIGN_CENTER },
  { "-moz-center", BH_ALIGN_CENTER }, { "middle", BH_ALIGN_CENTER }, { "justify", BH_ALIGN_JUSTIFY },
  { NULL, 0 }
};

static const BhKeyword white_space_keywords[] = {
  { "normal", BH_WS_NORMAL }, { "pre", BH_WS_PRE }, { "nowrap", BH_WS_NOWRAP },
  { "pre-wrap", BH_WS_PRE_WRAP }, { "break-spaces", BH_WS_PRE_WRAP }, { "pre-line", BH_WS_PRE_LINE },
  { NULL, 0 }
};

static const BhKeyword valign_keywords[] = {
  { "baseline", BH_VALIGN_BASELINE }, { "sub", BH_VALIGN_SUB }, { "super", BH_VALIGN_SUPER },
  { "top", BH_VALIGN_TOP }, { "text-top", BH_VALIGN_TOP }, { "middle", BH_VALIGN_MIDDLE },
  { "bottom", BH_VALIGN_BOTTOM }, { "text-bottom", BH_VALIGN_BOTTOM },
  { NULL, 0 }
};

static const BhKeyword list_keywords[] = {
  { "disc", BH_LIST_DISC }, { "circle", BH_LIST_CIRCLE }, { "square", BH_LIST_SQUARE },
  { "decimal", BH_LIST_DECIMAL }, { "decimal-leading-zero", BH_LIST_DECIMAL },
  { "lower-alpha", BH_LIST_LOWER_ALPHA }, { "lower-latin", BH_LIST_LOWER_ALPHA },
  { "upper-alpha", BH_LIST_UPPER_ALPHA }, { "upper-latin", BH_LIST_UPPER_ALPHA },
  { "lower-roman", BH_LIST_LOWER_ROMAN }, { "upper-roman", BH_LIST_UPPER_ROMAN },
  { "none", BH_LIST_NONE },
  { NULL, 0 }
};

static const BhKeyword border_style_keywords[] = {
  { "none", BH_BORDER_NONE }, { "hidden", BH_BORDER_NONE }, { "solid", BH_BORDER_SOLID },
  { "double", BH_BORDER_SOLID }, { "dotted", BH_BORDER_DOTTED }, { "dashed", BH_BORDER_DASHED },
  { "inset", BH_BORDER_INSET }, { "groove", BH_BORDER_INSET }, { "outset", BH_BORDER_OUTSET },
  { "ridge", BH_BORDER_OUTSET },
  { NULL, 0 }
};

static const BhKeyword border_width_keywords[] = {
  { "thin", 1 }, { "medium", 3 }, { "thick", 5 }, { NULL, 0 }
};

/* Absolute font-size keywords, CSS Fonts 3 section 3.5 scale for a 16px medium. */
static const BhKeyword font_size_keywords[] = {
  { "xx-small", 9 }, { "x-small", 10 }, { "small", 13 }, { "medium", 16 }, { "large", 18 },
  { "x-large", 24 }, { "xx-large", 32 }, { "xxx-large", 48 }, { NULL, 0 }
};

static gboolean
parse_font_weight (const char *s, int *out)
{
  double v;
  const char *rest;

  if (g_ascii_strcasecmp (s, "normal") == 0)
    *out = 400;
  else if (g_ascii_strcasecmp (s, "bold") == 0)
    *out = 700;
  else if (g_ascii_strcasecmp (s, "bolder") == 0)
    *out = FONT_WEIGHT_BOLDER;
  else if (g_ascii_strcasecmp (s, "lighter") == 0)
    *out = FONT_WEIGHT_LIGHTER;
  else if (bh_css_parse_number (s, &v, &rest) && *rest == '\0' && v >= 1 && v <= 1000)
    *out = (int) CLAMP (lround (v / 100.0) * 100, 100, 900);
  else
    return FALSE;
  return TRUE;
}

/* Maps a font-family list to the three families the renderer ships (DejaVu). The first
 * name we can place decides; names we cannot place are skipped, as a browser skips
 * fonts it does not have. */
static gboolean
parse_font_family (const char *value, int *out)
{
  g_auto(GStrv) names = g_strsplit (value, ",", -1);

  for (int i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (names[i]), -1);
      gsize len = strlen (name);

      if (len >= 2 && (name[0] == '"' || name[0] == '\''))
        {
          memmove (name, name + 1, len - 2);
          name[len - 2] = '\0';
        }
      if (strstr (name, "mono") || strstr (name, "courier") || strstr (name, "consol") ||
          strstr (name, "menlo") || strcmp (name, "fixed") == 0 || strstr (name, "code"))
        {
          *out = BH_FAMILY_MONO;
          return TRUE;
        }
      if (strcmp (name, "sans-serif") == 0 || strstr (name, "sans") || strstr (name, "arial") ||
          strstr (name, "helvetica") || strstr (name, "verdana") || strstr (name, "tahoma") ||
          strstr (name, "trebuchet") || strstr (name, "segoe") || strstr (name, "roboto") ||
          strstr (name, "system-ui") || strstr (name, "inter") || strstr (name, "lucida grande") ||
          strstr (name, "-apple-system"))
        {
          *out = BH_FAMILY_SANS;
          return TRUE;
        }
      if (strcmp (name, "serif") == 0 || strstr (name, "times") || strstr (name, "georgia") ||
          strstr (name, "palatino") || strstr (name, "garamond") || strstr (name, "cambria") ||
          strstr (name, "serif"))
        {
          *out = BH_FAMILY_SERIF;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---------------------------------------------------------------- declarations */

static void
push_decl (BhDeclarations *decls, BhProp prop, BhDeclKind kind, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = kind, .important = important };
  g_array_append_val (decls->decls, d);
}

static void
push_keyword (BhDeclarations *decls, BhProp prop, int value, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = DECL_KEYWORD, .ival = (guint32) value, .important = important };
  g_array_append_val (decls->decls, d);
}

static void
push_length (BhDeclarations *decls, BhProp prop, BhLength len, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = DECL_LENGTH, .number = len.value, .unit = len.unit, .pct = len.pct,
               .important = important };
  g_array_append_val (decls->decls, d);
}

static void
push_color (BhDeclarations *decls, BhProp prop, guint32 argb, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = DECL_COLOR, .ival = argb, .important = important };
  g_array_append_val (decls->decls, d);
}

static gboolean
push_color_value (BhDeclarations *decls, BhProp prop, const char *value, gboolean important)
{
  guint32 argb;

  if (g_ascii_strcasecmp (value, "currentcolor") == 0)
    {
      push_decl (decls, prop, DECL_CURRENT_COLOR, important);
      return TRUE;
    }
  if (!bh_css_parse_color (value, &argb))
    return FALSE;
  push_color (decls, prop, argb, important);
  return TRUE;
}

/* Expands a one-to-four value box shorthand (margin, padding, border-width...). */
static void
push_box_shorthand (BhDeclarations *decls, BhProp top, const char *value, gboolean allow_auto,
                    gboolean allow_negative, gboolean important)
{
  g_autoptr(GPtrArray) parts = bh_css_split_value (value);
  BhLength len[4];
  static const int pick[4][4] = {
    { 0, 0, 0, 0 }, { 0, 1, 0, 1 }, { 0, 1, 2, 1 }, { 0, 1, 2, 3 },
  };

  if (parts->len < 1 || parts->len > 4)
    return;
  for (guint i = 0; i < parts->len; i++)
    {
      int kw;
      if (top == PROP_BORDER_TOP_WIDTH && lookup_keyword (border_width_keywords, parts->pdata[i], &kw))
        len[i] = (BhLength) { (float) kw, BH_UNIT_PX };
      else if (!bh_css_parse_length (parts->pdata[i], allow_auto, allow_negative, &len[i]))
        return;
    }
  for (int side = 0; side < 4; side++)
    push_length (decls, top + side, len[pick[parts->len - 1][side]], important);
}

typedef struct {
  BhLength width;
  int style;
  guint32 color;
  gboolean have_color;
} BorderSide;

/* Parses one side's border value (width, style and colour in any order); FALSE if a
 * part is none of them, and the declaration is then ignored. */
static gboolean
parse_border_side (const char *value, BorderSide *b)
{
  g_autoptr(GPtrArray) parts = bh_css_split_value (value);

  b->width = (BhLength) { 3, BH_UNIT_PX };
  b->style = BH_BORDER_NONE;
  b->color = 0;
  b->have_color = FALSE;
  for (guint i = 0; i < parts->len; i++)
    {
      const char *part = parts->pdata[i];
      int kw;

      if (lookup_keyword (border_style_keywords, part, &kw))
        b->style = kw;
      else if (lookup_keyword (border_width_keywords, part, &kw))
        b->width = (BhLength) { (float) kw, BH_UNIT_PX };
      else if (bh_css_parse_length (part, FALSE, FALSE, &b->width))
        ;
      else if (bh_css_parse_color (part, &b->color))
        b->have_color = TRUE;
      else if (g_ascii_strcasecmp (part, "currentcolor") != 0)
        return FALSE;
    }
  return TRUE;
}

static void
push_border (BhDeclarations *decls, int side, const BorderSide *b, gboolean important)
{
  push_length (decls, PROP_BORDER_TOP_WIDTH + side, b->width, important);
  push_keyword (decls, PROP_BORDER_TOP_STYLE + side, b->style, important);
  if (b->have_color)
    push_color (decls, PROP_BORDER_TOP_COLOR + side, b->color, important);
  else
    push_decl (decls, PROP_BORDER_TOP_COLOR + side, DECL_CURRENT_COLOR, important);
}

static void
push_border_side (BhDeclarations *decls, int side, const char *value, gboolean important)
{
  BorderSide b;

  if (parse_border_side (value, &b))
    push_border (decls, side, &b, important);
}

/* font: [style] [variant] [weight] size[/line-height] family (CSS Fonts 3 section 3.7) */
static void
push_font_shorthand (BhDeclarations *decls, const char *value, gboolean important)
{
  g_autoptr(GPtrArray) parts = bh_css_split_value (value);
  int italic = 0, weight = 400;
  guint i;

  for (i = 0; i < parts->len; i++)
    {
      const char *part = parts->pdata[i];
      int kw;

      if (g_ascii_strcasecmp (part, "italic") == 0 || g_ascii_strcasecmp (part, "oblique") == 0)
        italic = 1;
      else if (g_ascii_strcasecmp (part, "normal") == 0 || g_ascii_strcasecmp (part, "small-caps") == 0)
        ;
      else if (g_ascii_isalpha (part[0]) && parse_font_weight (part, &kw))
        weight = kw;
      else if (i + 2 < parts->len && parse_font_weight (part, &kw))
        weight = kw;  /* a bare number is a weight only when size and family follow */
      else
        break;
    }
  if (i + 1 >= parts->len)
    return;  /* size and family are both required */

  {
    g_autofree char *size = g_strdup (parts->pdata[i]);
    char *slash = strchr (size, '/');
    g_autoptr(GString) family = g_string_new (NULL);
    BhLength len;
    int kw, fam;

    if (slash != NULL)
      *slash++ = '\0';
    if (lookup_keyword (font_size_keywords, size, &kw))
      len = (BhLength) { (float) kw, BH_UNIT_PX };
    else if (!bh_css_parse_length (size, FALSE, FALSE, &len))
      return;
    for (guint j = i + 1; j < parts->len; j++)
      {
        if (j > i + 1)
          g_string_append_c (family, ' ');
        g_string_append (family, parts->pdata[j]);
      }
    push_keyword (decls, PROP_FONT_STYLE, italic, important);
    push_keyword (decls, PROP_FONT_WEIGHT, weight, important);
    push_length (decls, PROP_FONT_SIZE, len, important);
    if (slash != NULL && *slash)
      {
        double v;
        const char *rest;
        BhLength lh;
        if (bh_css_parse_number (slash, &v, &rest) && *rest == '\0' && v >= 0)
          push_length (decls, PROP_LINE_HEIGHT, (BhLength) { (float) MIN (v, 10.0), BH_UNIT_NUMBER }, important);
        else if (bh_css_parse_length (slash, FALSE, FALSE, &lh))
          push_length (decls, PROP_LINE_HEIGHT, lh, important);
      }
    else
      push_keyword (decls, PROP_LINE_HEIGHT, BH_LH_NORMAL, important);
    if (parse_font_family (family->str, &fam))
      push_keyword (decls, PROP_FONT_FAMILY, fam, important);
  }
}

static void
push_raw (BhDeclarations *decls, BhProp prop, const char *name, const char *value, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = DECL_RAW, .important = important };

  if (decls->raw == NULL)
    decls->raw = g_ptr_array_new_with_free_func (g_free);
  d.ival = decls->raw->len;
  g_ptr_array_add (decls->raw, g_strdup (name));
  g_ptr_array_add (decls->raw, g_strdup (value));
  g_array_append_val (decls->decls, d);
}

static gboolean
contains_var (const char *value)
{
  for (const char *p = value; (p = strchr (p, '(')) != NULL; p++)
    if (p - value >= 3 && g_ascii_strncasecmp (p - 3, "var", 3) == 0)
      return TRUE;
  return FALSE;
}

/* flex: none | auto | <grow> [<shrink>] [<basis>] | <basis> (CSS Flexbox 1, 7.1.1) */
static void
push_flex_shorthand (BhDeclarations *decls, const char *value, gboolean important)
{
  g_autoptr(GPtrArray) parts = bh_css_split_value (value);
  double numbers[2] = { 1, 1 };
  int n_numbers = 0;
  BhLength basis = { 0, BH_UNIT_PERCENT, 0 };
  gboolean have_basis = FALSE;

  if (g_ascii_strcasecmp (value, "none") == 0)
    numbers[0] = numbers[1] = 0, n_numbers = 2, basis.unit = BH_UNIT_AUTO, have_basis = TRUE;
  else if (g_ascii_strcasecmp (value, "auto") == 0)
    n_numbers = 2, basis.unit = BH_UNIT_AUTO, have_basis = TRUE;
  else
    for (guint i = 0; i < parts->len; i++)
      {
        const char *part = parts->pdata[i];
        double v;
        const char *rest;
        if (!have_basis && n_numbers < 2 && bh_css_parse_number (part, &v, &rest) && *rest == '\0' && v >= 0)
          numbers[n_numbers++] = MIN (v, 1e6);
        else if (!have_basis && (bh_css_parse_length (part, TRUE, FALSE, &basis) ||
                                 g_ascii_strcasecmp (part, "content") == 0))
          {
            if (g_ascii_strcasecmp (part, "content") == 0)
              basis = (BhLength) { 0, BH_UNIT_AUTO, 0 };
            have_basis = TRUE;
          }
        else
          return;
      }
  if (n_numbers == 0 && !have_basis)
    return;
  if (n_numbers == 1)
    numbers[1] = 1;
  push_length (decls, PROP_FLEX_GROW, (BhLength) { (float) numbers[0], BH_UNIT_NUMBER, 0 }, important);
  push_length (decls, PROP_FLEX_SHRINK, (BhLength) { (float) numbers[1], BH_UNIT_NUMBER, 0 }, important);
  push_length (decls, PROP_FLEX_BASIS, basis, important);
}

/* The first shadow of box-shadow: offsets, blur, spread and colour; inset shadows and
 * the ones after the first are not drawn. */
static void
push_box_shadow (BhDeclarations *decls, const char *value, gboolean important)
{
  g_autoptr(GPtrArray) parts = bh_css_split_value (value);
  BhLength lens[4] = { { 0 } };
  int n = 0;
  guint32 argb = 0xff000000u;

  if (g_ascii_strcasecmp (value, "none") != 0)
    for (guint i = 0; i < parts->len; i++)
      {
        char *part = parts->pdata[i];
        gsize len = strlen (part);
        gboolean last = len > 0 && part[len - 1] == ',';
        if (last)
          part[len - 1] = '\0';
        if (g_ascii_strcasecmp (part, "inset") == 0)
          return;
        if (n < 4 && bh_css_parse_length (part, FALSE, TRUE, &lens[n]) && lens[n].unit != BH_UNIT_PERCENT &&
            lens[n].unit != BH_UNIT_CALC)
          n++;
        else if (!bh_css_parse_color (part, &argb))
          return;
        if (last)
          break;
      }
  if (n == 1)
    return;
  push_color (decls, PROP_SHADOW_COLOR, n >= 2 ? argb : 0, important);
  for (int i = 0; i < 4; i++)
    push_length (decls, PROP_SHADOW_X + i, lens[i], important);
}

/* linear-gradient(): the direction and the first and last colour stops. Another
 * image (url(), radial-gradient()) or none is no gradient. */
static void
push_gradient (BhDeclarations *decls, const char *value, gboolean important)
{
  const char *open = strchr (value, '(');
  const char *close = strrchr (value, ')');
  g_auto(GStrv) args = NULL;
  guint32 from = 0, to = 0;
  double angle = 180;
  int n_args, first = 0, radial = 0;
  gboolean is_linear = FALSE, known = FALSE;
  const char *p = value;

  /* the first linear-gradient() or radial-gradient() (CSS Images 3 sections 3.1, 3.2) */
  for (; (p = strstr (p, "-gradient(")) != NULL; p++)
    {
      const char *start = p >= value + 6 && strncmp (p - 6, "linear", 6) == 0 ? p - 6
                          : p >= value + 6 && strncmp (p - 6, "radial", 6) == 0 ? p - 6 : NULL;
      is_linear = start != NULL && (start == value || !bh_css_is_ident_char (start[-1]));
      if (is_linear)
        {
          int depth = 0;
          radial = start[0] == 'r' ? 1 : 0;
          open = p + strlen ("-gradient");
          for (close = open; *close != '\0'; close++)
            if (*close == '(')
              depth++;
            else if (*close == ')' && --depth == 0)
              break;
          if (*close == '\0')
            close = NULL;
          break;
        }
    }
  if (is_linear && open != NULL && close != NULL && close > open)
    {
      g_autofree char *inner = g_strndup (open + 1, close - open - 1);
      args = g_strsplit (inner, ",", 64);
      n_args = (int) g_strv_length (args);
      for (int i = 0; i < n_args; i++)
        g_strstrip (args[i]);
      if (n_args > 0)
        {
          double v;
          const char *rest;
          guint32 argb;
          g_autoptr(GPtrArray) words = bh_css_split_value (args[0]);
          if (radial)
            {
              /* shape, size and position: a circle, else an ellipse; farthest-corner, centred */
              if (words->len > 0 && !bh_css_parse_color (words->pdata[0], &argb))
                {
                  first = 1;
                  if (strstr (args[0], "circle") != NULL)
                    radial = 2;
                }
            }
          else if (g_ascii_strncasecmp (args[0], "to ", 3) == 0)
            {
              const char *dir = args[0] + 3;
              angle = strstr (dir, "top") ? 0 : strstr (dir, "right") ? 90 : strstr (dir, "left") ? 270 : 180;
              first = 1;
            }
          else if (bh_css_parse_number (args[0], &v, &rest) && g_ascii_strcasecmp (rest, "deg") == 0)
            {
              angle = fmod (v, 360.0);
              first = 1;
            }
        }
      /* a stop is a colour, maybe followed by positions: drop what follows the colour */
      for (int i = first; i < n_args; i++)
        {
          g_autoptr(GPtrArray) parts = bh_css_split_value (args[i]);
          guint32 argb;
          if (parts->len >= 1 && bh_css_parse_color (parts->pdata[0], &argb))
            {
              if (!known)
                from = argb;
              to = argb;
              known = TRUE;
            }
        }
    }
  push_color (decls, PROP_GRADIENT_FROM, known ? from : 0, important);
  push_color (decls, PROP_GRADIENT_TO, known ? to : 0, important);
  push_length (decls, PROP_GRADIENT_ANGLE, (BhLength) { (float) angle, BH_UNIT_NUMBER, 0 }, important);
  push_keyword (decls, PROP_GRADIENT_RADIAL, known ? radial : 0, important);
}

void
bh_css_add_declaration (BhDeclarations *decls, const char *name, const char *value, gboolean important)
{
  BhLength len;
  int kw;

  if (name[0] == '-' && name[1] == '-')
    {
      push_raw (decls, PROP_CUSTOM, name, value, important);
      return;
    }
  if (*value == '\0')
    return;
  if (contains_var (value))
    {
      push_raw (decls, PROP_WITH_VAR, name, value, important);
      return;
    }
  if (strcmp (name, "content") == 0)
    {
      push_raw (decls, PROP_CONTENT, name, value, important);
      return;
    }

  if (g_ascii_strcasecmp (value, "inherit") == 0 || g_ascii_strcasecmp (value, "initial") == 0)
    {
      static const struct { const char *name; BhProp first; int n; } groups[] = {
        { "color", PROP_COLOR, 1 }, { "background-color", PROP_BACKGROUND_COLOR, 1 },
        { "background", PROP_BACKGROUND_COLOR, 1 }, { "font-size", PROP_FONT_SIZE, 1 },
        { "font-weight", PROP_FONT_WEIGHT, 1 }, { "font-style", PROP_FONT_STYLE, 1 },
        { "font-family", PROP_FONT_FAMILY, 1 }, { "line-height", PROP_LINE_HEIGHT, 1 },
        { "text-align", PROP_TEXT_ALIGN, 1 }, { "white-space", PROP_WHITE_SPACE, 1 },
        { "display", PROP_DISPLAY, 1 }, { "text-decoration", PROP_TEXT_DECORATION, 1 },
        { "vertical-align", PROP_VERTICAL_ALIGN, 1 }, { "list-style-type", PROP_LIST_STYLE_TYPE, 1 },
        { "margin", PROP_MARGIN_TOP, 4 }, { "padding", PROP_PADDING_TOP, 4 },
        { "width", PROP_WIDTH, 1 }, { "max-width", PROP_MAX_WIDTH, 1 }, { "height", PROP_HEIGHT, 1 },
        { "float", PROP_FLOAT, 1 }, { "clear", PROP_CLEAR, 1 }, { "position", PROP_POSITION, 1 },
        { "overflow", PROP_OVERFLOW, 1 }, { "flex-direction", PROP_FLEX_DIRECTION, 1 },
        { "flex-wrap", PROP_FLEX_WRAP, 1 }, { "justify-content", PROP_JUSTIFY_CONTENT, 1 },
        { "align-items", PROP_ALIGN_ITEMS, 1 }, { "align-self", PROP_ALIGN_SELF, 1 },
        { "z-index", PROP_Z_INDEX, 1 }, { "order", PROP_ORDER, 1 }, { "flex", PROP_FLEX_GROW, 3 },
        { "flex-grow", PROP_FLEX_GROW, 1 }, { "flex-shrink", PROP_FLEX_SHRINK, 1 },
        { "flex-basis", PROP_FLEX_BASIS, 1 }, { "gap", PROP_ROW_GAP, 2 }, { "row-gap", PROP_ROW_GAP, 1 },
        { "column-gap", PROP_COLUMN_GAP, 1 }, { "top", PROP_TOP, 1 }, { "right", PROP_RIGHT, 1 },
        { "bottom", PROP_BOTTOM, 1 }, { "left", PROP_LEFT, 1 }, { "inset", PROP_TOP, 4 },
        { "min-width", PROP_MIN_WIDTH, 1 }, { "min-height", PROP_MIN_HEIGHT, 1 },
        { "max-height", PROP_MAX_HEIGHT, 1 }, { "border-radius", PROP_BORDER_RADIUS, 1 },
        { "box-shadow", PROP_SHADOW_COLOR, 5 }, { "overflow-wrap", PROP_OVERFLOW_WRAP, 1 },
        { "word-wrap", PROP_OVERFLOW_WRAP, 1 }, { "background-image", PROP_GRADIENT_FROM, 4 },
        { "background-image", PROP_BACKGROUND_IMAGE, 1 },
      };
      BhDeclKind kind = g_ascii_strcasecmp (value, "inherit") == 0 ? DECL_INHERIT : DECL_INITIAL;
      BhProp first;
      int n;
      if (bh_css_property_group (name, &first, &n))
        for (int j = 0; j < n; j++)
          push_decl (decls, first + j, kind, important);
      for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        if (strcmp (groups[i].name, name) == 0)
          for (int j = 0; j < groups[i].n; j++)
            push_decl (decls, groups[i].first + j, kind, important);
      return;
    }

  if (strcmp (name, "background-image") != 0 && bh_css_add_property (decls, name, value, important))
    return;
  if (strcmp (name, "color") == 0)
    push_color_value (decls, PROP_COLOR, value, important);
  else if (strcmp (name, "background-color") == 0)
    push_color_value (decls, PROP_BACKGROUND_COLOR, value, important);
  else if (strcmp (name, "background") == 0)
    {
      /* Only the colour layer of the shorthand; images are not fetched. Like the real
       * shorthand, a value without a colour resets it to transparent. */
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      guint32 argb = 0;
      for (guint i = 0; i < parts->len; i++)
        if (bh_css_parse_color (parts->pdata[i], &argb))
          break;
      push_color (decls, PROP_BACKGROUND_COLOR, argb, important);
      push_gradient (decls, value, important);
      bh_css_add_background_layer (decls, value, important);
    }
  else if (strcmp (name, "background-image") == 0)
    {
      push_gradient (decls, value, important);
      bh_css_add_property (decls, name, value, important);
    }
  else if (strcmp (name, "font-size") == 0)
    {
      if (lookup_keyword (font_size_keywords, value, &kw))
        push_length (decls, PROP_FONT_SIZE, (BhLength) { (float) kw, BH_UNIT_PX }, important);
      else if (g_ascii_strcasecmp (value, "smaller") == 0)
        push_length (decls, PROP_FONT_SIZE, (BhLength) { 1 / 1.2f, BH_UNIT_EM }, important);
      else if (g_ascii_strcasecmp (value, "larger") == 0)
        push_length (decls, PROP_FONT_SIZE, (BhLength) { 1.2f, BH_UNIT_EM }, important);
      else if (bh_css_parse_length (value, FALSE, FALSE, &len))
        push_length (decls, PROP_FONT_SIZE, len, important);
    }
  else if (strcmp (name, "font-weight") == 0)
    {
      if (parse_font_weight (value, &kw))
        push_keyword (decls, PROP_FONT_WEIGHT, kw, important);
    }
  else if (strcmp (name, "font-style") == 0)
    {
      if (g_ascii_strcasecmp (value, "normal") == 0)
        push_keyword (decls, PROP_FONT_STYLE, 0, important);
      else if (g_ascii_strncasecmp (value, "italic", 6) == 0 || g_ascii_strncasecmp (value, "oblique", 7) == 0)
        push_keyword (decls, PROP_FONT_STYLE, 1, important);
    }
  else if (strcmp (name, "font-family") == 0)
    {
      if (parse_font_family (value, &kw))
        push_keyword (decls, PROP_FONT_FAMILY, kw, important);
    }
  else if (strcmp (name, "font") == 0)
    push_font_shorthand (decls, value, important);
  else if (strcmp (name, "line-height") == 0)
    {
      double v;
      const char *rest;
      if (g_ascii_strcasecmp (value, "normal") == 0)
        push_keyword (decls, PROP_LINE_HEIGHT, BH_LH_NORMAL, important);
      else if (bh_css_parse_number (value, &v, &rest) && *rest == '\0' && v >= 0)
        push_length (decls, PROP_LINE_HEIGHT, (BhLength) { (float) MIN (v, 10.0), BH_UNIT_NUMBER }, important);
      else if (bh_css_parse_length (value, FALSE, FALSE, &len))
        push_length (decls, PROP_LINE_HEIGHT, len, important);
    }
  else if (strcmp (name, "text-align") == 0)
    {
      if (lookup_keyword (align_keywords, value, &kw))
        push_keyword (decls, PROP_TEXT_ALIGN, kw, important);
    }
  else if (strcmp (name, "white-space") == 0)
    {
      if (lookup_keyword (white_space_keywords, value, &kw))
        push_keyword (decls, PROP_WHITE_SPACE, kw, important);
    }
  else if (strcmp (name, "display") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      /* The two-value syntax ("block flow") is read by its outer keyword. */
      if (parts->len > 0 && lookup_keyword (display_keywords, parts->pdata[0], &kw))
        push_keyword (decls, PROP_DISPLAY, kw, important);
    }
  else if (strcmp (name, "text-decoration") == 0 || strcmp (name, "text-decoration-line") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      int flags = 0;
      gboolean known = FALSE;
      for (guint i = 0; i < parts->len; i++)
        {
          const char *part = parts->pdata[i];
          if (g_ascii_strcasecmp (part, "underline") == 0)
            flags |= BH_DECORATION_UNDERLINE, known = TRUE;
          else if (g_ascii_strcasecmp (part, "line-through") == 0)
            flags |= BH_DECORATION_LINE_THROUGH, known = TRUE;
          else if (g_ascii_strcasecmp (part, "none") == 0 || g_ascii_strcasecmp (part, "overline") == 0)
            known = TRUE;
        }
      if (known)
        push_keyword (decls, PROP_TEXT_DECORATION, flags, important);
    }
  else if (strcmp (name, "vertical-align") == 0)
    {
      if (lookup_keyword (valign_keywords, value, &kw))
        push_keyword (decls, PROP_VERTICAL_ALIGN, kw, important);
    }
  else if (strcmp (name, "list-style-type") == 0 || strcmp (name, "list-style") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      for (guint i = 0; i < parts->len; i++)
        if (lookup_keyword (list_keywords, parts->pdata[i], &kw))
          {
            push_keyword (decls, PROP_LIST_STYLE_TYPE, kw, important);
            break;
          }
    }
  else if (strcmp (name, "border-collapse") == 0)
    {
      if (g_ascii_strcasecmp (value, "collapse") == 0)
        push_keyword (decls, PROP_BORDER_COLLAPSE, 1, important);
      else if (g_ascii_strcasecmp (value, "separate") == 0)
        push_keyword (decls, PROP_BORDER_COLLAPSE, 0, important);
    }
  else if (strcmp (name, "border-spacing") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      if (parts->len >= 1 && bh_css_parse_length (parts->pdata[0], FALSE, FALSE, &len))
        push_length (decls, PROP_BORDER_SPACING, len, important);
    }
  else if (strcmp (name, "margin") == 0)
    push_box_shorthand (decls, PROP_MARGIN_TOP, value, TRUE, TRUE, important);
  else if (strcmp (name, "padding") == 0)
    push_box_shorthand (decls, PROP_PADDING_TOP, value, FALSE, FALSE, important);
  else if (strcmp (name, "border-width") == 0)
    push_box_shorthand (decls, PROP_BORDER_TOP_WIDTH, value, FALSE, FALSE, important);
  else if (strcmp (name, "border-style") == 0 || strcmp (name, "border-color") == 0)
    {
      gboolean is_style = name[7] == 's';
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      int vals[4];
      static const int pick[4][4] = {
        { 0, 0, 0, 0 }, { 0, 1, 0, 1 }, { 0, 1, 2, 1 }, { 0, 1, 2, 3 },
      };
      if (parts->len < 1 || parts->len > 4)
        return;
      for (guint i = 0; i < parts->len; i++)
        {
          guint32 argb;
          if (is_style ? !lookup_keyword (border_style_keywords, parts->pdata[i], &vals[i])
                       : !bh_css_parse_color (parts->pdata[i], &argb))
            return;
          if (!is_style)
            vals[i] = (int) argb;
        }
      for (int side = 0; side < 4; side++)
        {
          int v = vals[pick[parts->len - 1][side]];
          if (is_style)
            push_keyword (decls, PROP_BORDER_TOP_STYLE + side, v, important);
          else
            push_color (decls, PROP_BORDER_TOP_COLOR + side, (guint32) v, important);
        }
    }
  else if (strcmp (name, "border") == 0)
    {
      /* one parse for the four sides: table cells each get this from border= */
      BorderSide b;
      if (parse_border_side (value, &b))
        for (int side = 0; side < 4; side++)
          push_border (decls, side, &b, important);
    }
  else if ((g_str_has_prefix (name, "border-") && !g_str_has_suffix (name, "-radius")) ||
           g_str_has_prefix (name, "margin-") || g_str_has_prefix (name, "padding-"))
    {
      static const char *sides[4] = { "top", "right", "bottom", "left" };
      const char *rest = name + (name[0] == 'b' ? 7 : name[0] == 'm' ? 7 : 8);

      for (int side = 0; side < 4; side++)
        {
          gsize n = strlen (sides[side]);
          if (strncmp (rest, sides[side], n) != 0)
            continue;
          rest += n;
          if (name[0] == 'm' && *rest == '\0')
            {
              if (bh_css_parse_length (value, TRUE, TRUE, &len))
                push_length (decls, PROP_MARGIN_TOP + side, len, important);
            }
          else if (name[0] == 'p' && *rest == '\0')
            {
              if (bh_css_parse_length (value, FALSE, FALSE, &len))
                push_length (decls, PROP_PADDING_TOP + side, len, important);
            }
          else if (name[0] == 'b' && *rest == '\0')
            push_border_side (decls, side, value, important);
          else if (name[0] == 'b' && strcmp (rest, "-width") == 0)
            {
              if (lookup_keyword (border_width_keywords, value, &kw))
                push_length (decls, PROP_BORDER_TOP_WIDTH + side, (BhLength) { (float) kw, BH_UNIT_PX }, important);
              else if (bh_css_parse_length (value, FALSE, FALSE, &len))
                push_length (decls, PROP_BORDER_TOP_WIDTH + side, len, important);
            }
          else if (name[0] == 'b' && strcmp (rest, "-style") == 0)
            {
              if (lookup_keyword (border_style_keywords, value, &kw))
                push_keyword (decls, PROP_BORDER_TOP_STYLE + side, kw, important);
            }
          else if (name[0] == 'b' && strcmp (rest, "-color") == 0)
            push_color_value (decls, PROP_BORDER_TOP_COLOR + side, value, important);
          break;
        }
    }
  else if (strcmp (name, "width") == 0 || strcmp (name, "height") == 0)
    {
      if (bh_css_parse_length (value, TRUE, FALSE, &len))
        push_length (decls, name[0] == 'w' ? PROP_WIDTH : PROP_HEIGHT, len, important);
    }
  else if (strcmp (name, "box-sizing") == 0)
    {
      if (g_ascii_strcasecmp (value, "border-box") == 0)
        push_keyword (decls, PROP_BOX_SIZING, 1, important);
      else if (g_ascii_strcasecmp (value, "content-box") == 0)
        push_keyword (decls, PROP_BOX_SIZING, 0, important);
    }
  else if (strcmp (name, "max-width") == 0)
    {
      if (g_ascii_strcasecmp (value, "none") == 0)
        push_length (decls, PROP_MAX_WIDTH, (BhLength) { 0, BH_UNIT_AUTO }, important);
      else if (bh_css_parse_length (value, FALSE, FALSE, &len))
        push_length (decls, PROP_MAX_WIDTH, len, important);
    }
  else if (strcmp (name, "float") == 0)
    {
      if (lookup_keyword (float_keywords, value, &kw))
        push_keyword (decls, PROP_FLOAT, kw, important);
    }
  else if (strcmp (name, "clear") == 0)
    {
      if (lookup_keyword (clear_keywords, value, &kw))
        push_keyword (decls, PROP_CLEAR, kw, important);
    }
  else if (strcmp (name, "position") == 0)
    {
      if (lookup_keyword (position_keywords, value, &kw))
        push_keyword (decls, PROP_POSITION, kw, important);
    }
  else if (strcmp (name, "overflow") == 0 || strcmp (name, "overflow-x") == 0 || strcmp (name, "overflow-y") == 0)
    {
      /* one value for both axes: the first of "overflow", or an axis that clips */
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      if (parts->len >= 1 && lookup_keyword (overflow_keywords, parts->pdata[0], &kw) &&
          (name[8] == '\0' || kw != BH_OVERFLOW_VISIBLE))
        push_keyword (decls, PROP_OVERFLOW, kw, important);
    }
  else if (strcmp (name, "flex-direction") == 0)
    {
      if (lookup_keyword (flex_direction_keywords, value, &kw))
        push_keyword (decls, PROP_FLEX_DIRECTION, kw, important);
    }
  else if (strcmp (name, "flex-wrap") == 0)
    {
      if (lookup_keyword (flex_wrap_keywords, value, &kw))
        push_keyword (decls, PROP_FLEX_WRAP, kw, important);
    }
  else if (strcmp (name, "flex-flow") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      for (guint i = 0; i < parts->len; i++)
        if (lookup_keyword (flex_direction_keywords, parts->pdata[i], &kw))
          push_keyword (decls, PROP_FLEX_DIRECTION, kw, important);
        else if (lookup_keyword (flex_wrap_keywords, parts->pdata[i], &kw))
          push_keyword (decls, PROP_FLEX_WRAP, kw, important);
    }
  else if (strcmp (name, "justify-content") == 0 || strcmp (name, "align-items") == 0 ||
           strcmp (name, "align-self") == 0)
    {
      BhProp prop = name[0] == 'j' ? PROP_JUSTIFY_CONTENT : name[6] == 'i' ? PROP_ALIGN_ITEMS : PROP_ALIGN_SELF;
      const char *v = value;
      /* "safe center", "unsafe end": the overflow position is not told apart */
      if (g_ascii_strncasecmp (v, "safe ", 5) == 0)
        v += 5;
      else if (g_ascii_strncasecmp (v, "unsafe ", 7) == 0)
        v += 7;
      if (lookup_keyword (flex_align_keywords, v, &kw) && (kw != BH_FLEX_AUTO || prop == PROP_ALIGN_SELF))
        push_keyword (decls, prop, kw, important);
    }
  else if (strcmp (name, "flex") == 0)
    push_flex_shorthand (decls, value, important);
  else if (strcmp (name, "flex-grow") == 0 || strcmp (name, "flex-shrink") == 0)
    {
      double v;
      const char *rest;
      if (bh_css_parse_number (value, &v, &rest) && *rest == '\0' && v >= 0)
        push_length (decls, name[5] == 'g' ? PROP_FLEX_GROW : PROP_FLEX_SHRINK,
                     (BhLength) { (float) MIN (v, 1e6), BH_UNIT_NUMBER, 0 }, important);
    }
  else if (strcmp (name, "flex-basis") == 0)
    {
      if (g_ascii_strcasecmp (value, "content") == 0)
        push_length (decls, PROP_FLEX_BASIS, (BhLength) { 0, BH_UNIT_AUTO, 0 }, important);
      else if (bh_css_parse_length (value, TRUE, FALSE, &len))
        push_length (decls, PROP_FLEX_BASIS, len, important);
    }
  else if (strcmp (name, "gap") == 0 || strcmp (name, "grid-gap") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      BhLength col;
      if (parts->len >= 1 && parts->len <= 2 && bh_css_parse_length (parts->pdata[0], FALSE, FALSE, &len) &&
          bh_css_parse_length (parts->pdata[parts->len - 1], FALSE, FALSE, &col))
        {
          push_length (decls, PROP_ROW_GAP, len, important);
          push_length (decls, PROP_COLUMN_GAP, col, important);
        }
    }
  else if (strcmp (name, "row-gap") == 0 || strcmp (name, "column-gap") == 0 ||
           strcmp (name, "grid-row-gap") == 0 || strcmp (name, "grid-column-gap") == 0)
    {
      if (g_ascii_strcasecmp (value, "normal") == 0)
        len = (BhLength) { 0, BH_UNIT_PX, 0 };
      else if (!bh_css_parse_length (value, FALSE, FALSE, &len))
        return;
      push_length (decls, strstr (name, "row") != NULL ? PROP_ROW_GAP : PROP_COLUMN_GAP, len, important);
    }
  else if (strcmp (name, "top") == 0 || strcmp (name, "right") == 0 || strcmp (name, "bottom") == 0 ||
           strcmp (name, "left") == 0)
    {
      BhProp prop = name[0] == 't' ? PROP_TOP : name[0] == 'r' ? PROP_RIGHT : name[0] == 'b' ? PROP_BOTTOM : PROP_LEFT;
      if (bh_css_parse_length (value, TRUE, TRUE, &len))
        push_length (decls, prop, len, important);
    }
  else if (strcmp (name, "inset") == 0)
    push_box_shorthand (decls, PROP_TOP, value, TRUE, TRUE, important);
  else if (strcmp (name, "z-index") == 0 || strcmp (name, "order") == 0)
    {
      double v;
      const char *rest;
      BhProp prop = name[0] == 'z' ? PROP_Z_INDEX : PROP_ORDER;
      if (prop == PROP_Z_INDEX && g_ascii_strcasecmp (value, "auto") == 0)
        push_length (decls, prop, (BhLength) { 0, BH_UNIT_AUTO, 0 }, important);
      else if (bh_css_parse_number (value, &v, &rest) && *rest == '\0' && v == floor (v))
        push_length (decls, prop, (BhLength) { (float) CLAMP (v, -32767, 32767), BH_UNIT_NUMBER, 0 }, important);
    }
  else if (strcmp (name, "min-width") == 0 || strcmp (name, "min-height") == 0)
    {
      /* auto: 0, but a flex item's min-content (CSS Flexbox 1 section 4.5) */
      if (g_ascii_strcasecmp (value, "auto") == 0)
        len = (BhLength) { 0, BH_UNIT_AUTO, 0 };
      else if (!bh_css_parse_length (value, FALSE, FALSE, &len))
        return;
      push_length (decls, name[4] == 'w' ? PROP_MIN_WIDTH : PROP_MIN_HEIGHT, len, important);
    }
  else if (strcmp (name, "max-height") == 0)
    {
      if (g_ascii_strcasecmp (value, "none") == 0)
        push_length (decls, PROP_MAX_HEIGHT, (BhLength) { 0, BH_UNIT_AUTO, 0 }, important);
      else if (bh_css_parse_length (value, FALSE, FALSE, &len))
        push_length (decls, PROP_MAX_HEIGHT, len, important);
    }
  else if (strcmp (name, "border-radius") == 0)
    {
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      if (parts->len >= 1 && bh_css_parse_length (parts->pdata[0], FALSE, FALSE, &len) && len.unit != BH_UNIT_PERCENT &&
          len.unit != BH_UNIT_CALC)
        push_length (decls, PROP_BORDER_RADIUS, len, important);
    }
  else if (strcmp (name, "box-shadow") == 0)
    push_box_shadow (decls, value, important);
  else if (strcmp (name, "overflow-wrap") == 0 || strcmp (name, "word-wrap") == 0)
    {
      if (g_ascii_strcasecmp (value, "normal") == 0)
        push_keyword (decls, PROP_OVERFLOW_WRAP, 0, important);
      else if (g_ascii_strcasecmp (value, "break-word") == 0 || g_ascii_strcasecmp (value, "anywhere") == 0)
        push_keyword (decls, PROP_OVERFLOW_WRAP, 1, important);
    }
  /* everything else is not supported and dropped */
}

/**
 * bh_declarations_new:
 *
 * Returns: (transfer full): an empty declaration block, for bh_declarations_add().
 */
BhDeclarations *
bh_declarations_new (void)
{
  BhDeclarations *decls = g_new0 (BhDeclarations, 1);
  decls->decls = g_array_new (FALSE, FALSE, sizeof (BhDecl));
  return decls;
}

/**
 * bh_declarations_free:
 * @decls: (nullable) (transfer full): a declaration block
 */
void
bh_declarations_free (BhDeclarations *decls)
{
  if (decls == NULL)
    return;
  g_array_unref (decls->decls);
  if (decls->raw != NULL)
    g_ptr_array_unref (decls->raw);
  g_free (decls);
}

/**
 * bh_declarations_is_empty:
 * @decls: (nullable): a declaration block
 *
 * Returns: %TRUE if @decls is %NULL or holds no declaration this engine understood.
 */
gboolean
bh_declarations_is_empty (BhDeclarations *decls)
{
  return decls == NULL || decls->decls->len == 0;
}

/**
 * bh_declarations_add:
 * @decls: a declaration block
 * @property: a property name in lower case ("text-align")
 * @value: its value as CSS text ("center"); values not understood are dropped
 *
 * Appends one declaration, as if written in a style sheet; used for presentational
 * attributes (HTML section 15, "Rendering").
 */
void
bh_declarations_add (BhDeclarations *decls, const char *property, const char *value)
{
  g_autofree char *v = g_strstrip (g_strdup (value));
  bh_css_add_declaration (decls, property, v, FALSE);
}

static void
parse_declarations_into (BhDeclarations *decls, const char *p, const char *end)
{
  while (p < end)
    {
      const char *start, *colon = NULL;
      int depth = 0;

      p = bh_css_skip_space_and_comments (p, end);
      start = p;
      while (p < end && (depth > 0 || *p != ';'))
        {
          if (*p == '"' || *p == '\'')
            {
              p = bh_css_skip_string (p, end);
              continue;
            }
          if (p + 1 < end && p[0] == '/' && p[1] == '*')
            {
              p = bh_css_skip_comment (p, end);
              continue;
            }
          if (*p == '(' || *p == '{' || *p == '[')
            depth++;
          else if ((*p == ')' || *p == '}' || *p == ']') && depth > 0)
            depth--;
          else if (*p == ':' && colon == NULL && depth == 0)
            colon = p;
          p++;
        }
      if (colon != NULL)
        {
          g_autofree char *name = bh_css_strip_dup (start, colon);
          g_autofree char *value = NULL;
          char *bang;
          gboolean important = FALSE;
          g_autoptr(GString) clean = g_string_new (NULL);

          /* drop comments inside the value */
          for (const char *q = colon + 1; q < p;)
            {
              if (q + 1 < p && q[0] == '/' && q[1] == '*')
                {
                  q = bh_css_skip_comment (q, p);
                  g_string_append_c (clean, ' ');
                }
              else
                g_string_append_c (clean, *q++);
            }
          value = g_strstrip (g_strdup (clean->str));
          bang = strrchr (value, '!');
          if (bang != NULL)
            {
              g_autofree char *tail = g_strstrip (g_strdup (bang + 1));
              if (g_ascii_strcasecmp (tail, "important") == 0)
                {
                  important = TRUE;
                  *bang = '\0';
                  g_strchomp (value);
                }
            }
          /* custom property names are case-sensitive (CSS Variables 1 section 2) */
          if (!(name[0] == '-' && name[1] == '-'))
            for (char *c = name; *c; c++)
              *c = g_ascii_tolower (*c);
          bh_css_add_declaration (decls, name, value, important);
        }
      if (p < end)
        p++;
    }
}

/**
 * bh_declarations_parse:
 * @text: the body of a declaration block or a style="" attribute, not NUL-terminated
 * @len: length of @text in bytes
 *
 * Returns: (transfer full): the declarations this engine understands, in order.
 */
BhDeclarations *
bh_declarations_parse (const char *text, gsize len)
{
  BhDeclarations *decls = bh_declarations_new ();
  parse_declarations_into (decls, text, text + len);
  return decls;
}
