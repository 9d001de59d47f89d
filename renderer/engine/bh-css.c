/* bh-css.c: parsing and cascading the CSS subset described in bh-css.h
 *
 * The parser follows the recovery rules of CSS 2.1 section 4.2: a declaration it does
 * not understand is dropped on its own, a rule whose selector it does not understand is
 * dropped whole, and at-rules are skipped to their end (";" or the matching "}"), except
 * @media blocks whose media list is plainly "screen" or "all".
 */
#include "bh-css.h"

#include <string.h>
#include <math.h>

/* Styles are compared and hashed as bytes (the renderer shares equal ones), so the
 * struct must have no implicit padding: every byte is a field. */
G_STATIC_ASSERT (sizeof (BhStyle) == 160);
G_STATIC_ASSERT (sizeof (BhLength) == 8);

/* Bounds that keep hostile values from reaching Pango or the layout arithmetic. */
#define BH_MAX_FONT_PX    512.0f
#define BH_MIN_FONT_PX    1.0f
#define BH_MAX_LENGTH_PX  100000.0f
#define BH_MAX_CSS_NESTING 8
/* A descendant combinator looks this many ancestors up at most: on pathologically deep
 * documents an unbounded walk per element per rule is quadratic. */
#define BH_MAX_ANCESTOR_WALK 256

typedef enum {
  PROP_COLOR,
  PROP_BACKGROUND_COLOR,
  PROP_FONT_SIZE,
  PROP_FONT_WEIGHT,
  PROP_FONT_STYLE,
  PROP_FONT_FAMILY,
  PROP_LINE_HEIGHT,
  PROP_TEXT_ALIGN,
  PROP_WHITE_SPACE,
  PROP_DISPLAY,
  PROP_TEXT_DECORATION,
  PROP_VERTICAL_ALIGN,
  PROP_LIST_STYLE_TYPE,
  PROP_BORDER_COLLAPSE,
  PROP_BORDER_SPACING,
  PROP_MARGIN_TOP, PROP_MARGIN_RIGHT, PROP_MARGIN_BOTTOM, PROP_MARGIN_LEFT,
  PROP_PADDING_TOP, PROP_PADDING_RIGHT, PROP_PADDING_BOTTOM, PROP_PADDING_LEFT,
  PROP_BORDER_TOP_WIDTH, PROP_BORDER_RIGHT_WIDTH, PROP_BORDER_BOTTOM_WIDTH, PROP_BORDER_LEFT_WIDTH,
  PROP_BORDER_TOP_STYLE, PROP_BORDER_RIGHT_STYLE, PROP_BORDER_BOTTOM_STYLE, PROP_BORDER_LEFT_STYLE,
  PROP_BORDER_TOP_COLOR, PROP_BORDER_RIGHT_COLOR, PROP_BORDER_BOTTOM_COLOR, PROP_BORDER_LEFT_COLOR,
  PROP_WIDTH,
  PROP_MAX_WIDTH,
  PROP_HEIGHT,
  PROP_BOX_SIZING,
} BhProp;

typedef enum {
  DECL_KEYWORD,        /* ival holds the property's enum value */
  DECL_LENGTH,         /* number + unit */
  DECL_COLOR,          /* ival holds 0xAARRGGBB */
  DECL_CURRENT_COLOR,
  DECL_INHERIT,
  DECL_INITIAL,
} BhDeclKind;

typedef struct {
  guint8 prop;
  guint8 kind;
  guint8 unit;
  guint8 important;
  float number;
  guint32 ival;
} BhDecl;

struct _BhDeclarations {
  GArray *decls;  /* BhDecl */
};

enum { COMB_NONE, COMB_DESCENDANT, COMB_CHILD };

typedef struct {
  GumboTag tag;        /* GUMBO_TAG_LAST: any element */
  char *tag_name;      /* for tags gumbo does not know */
  char *id;
  char **classes;      /* NULL-terminated or NULL */
  guint8 need_link;
  guint8 never;        /* a pseudo-class or attribute test this engine never satisfies */
  guint8 combinator;   /* relation to the compound on its left */
} BhCompound;

typedef struct {
  BhCompound *parts;
  guint n_parts;
  guint32 specificity;
} BhSelector;

typedef struct {
  BhSelector *selector;
  BhDeclarations *decls;  /* owned by the sheet */
} BhRule;

struct _BhStyleSheet {
  GPtrArray *rules;        /* BhRule* */
  GPtrArray *decl_blocks;  /* BhDeclarations* */
};

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

/* ---------------------------------------------------------------- scanning helpers */

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || (guchar) c >= 0x80;
}

/* Skips a string starting at @p (a quote), returns the position after it. */
static const char *
skip_string (const char *p, const char *end)
{
  char q = *p++;

  while (p < end && *p != q)
    {
      if (*p == '\\' && p + 1 < end)
        p++;
      else if (*p == '\n')
        return p;
      p++;
    }
  return p < end ? p + 1 : end;
}

static const char *
skip_comment (const char *p, const char *end)
{
  /* p points at the opening slash-star */
  p += 2;
  while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
    p++;
  return p + 1 < end ? p + 2 : end;
}

static const char *
skip_space_and_comments (const char *p, const char *end)
{
  for (;;)
    {
      while (p < end && is_space (*p))
        p++;
      if (p + 1 < end && p[0] == '/' && p[1] == '*')
        p = skip_comment (p, end);
      else if (p + 3 < end && memcmp (p, "<!--", 4) == 0)
        p += 4;
      else if (p + 2 < end && memcmp (p, "-->", 3) == 0)
        p += 3;
      else
        return p;
    }
}

/* Returns the position of the block end matching the "{" before @p, or @end. */
static const char *
find_block_end (const char *p, const char *end)
{
  int depth = 1;

  while (p < end)
    {
      if (*p == '"' || *p == '\'')
        {
          p = skip_string (p, end);
          continue;
        }
      if (p + 1 < end && p[0] == '/' && p[1] == '*')
        {
          p = skip_comment (p, end);
          continue;
        }
      if (*p == '\\' && p + 1 < end)
        {
          p += 2;  /* an escaped brace opens or closes nothing */
          continue;
        }
      if (*p == '{')
        depth++;
      else if (*p == '}' && --depth == 0)
        return p;
      p++;
    }
  return end;
}

static char *
strip_dup (const char *start, const char *end)
{
  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;
  return g_strndup (start, end - start);
}

/* Splits @value on white space outside parentheses and quotes. */
static GPtrArray *
split_value (const char *value)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *p = value;
  const char *end = value + strlen (value);

  while (p < end)
    {
      const char *start;
      int depth = 0;

      while (p < end && is_space (*p))
        p++;
      if (p >= end)
        break;
      start = p;
      while (p < end && (depth > 0 || !is_space (*p)))
        {
          if (*p == '(')
            depth++;
          else if (*p == ')' && depth > 0)
            depth--;
          else if (*p == '"' || *p == '\'')
            {
              p = skip_string (p, end);
              continue;
            }
          p++;
        }
      g_ptr_array_add (parts, g_strndup (start, p - start));
    }
  return parts;
}

/* ---------------------------------------------------------------- colours */

typedef struct {
  const char *name;
  guint32 rgb;
} BhNamedColor;

/* CSS Color Module Level 4, section 6.1 "Named Colors", sorted for bsearch. */
static const BhNamedColor named_colors[] = {
  { "aliceblue", 0xf0f8ff }, { "antiquewhite", 0xfaebd7 }, { "aqua", 0x00ffff },
  { "aquamarine", 0x7fffd4 }, { "azure", 0xf0ffff }, { "beige", 0xf5f5dc },
  { "bisque", 0xffe4c4 }, { "black", 0x000000 }, { "blanchedalmond", 0xffebcd },
  { "blue", 0x0000ff }, { "blueviolet", 0x8a2be2 }, { "brown", 0xa52a2a },
  { "burlywood", 0xdeb887 }, { "cadetblue", 0x5f9ea0 }, { "chartreuse", 0x7fff00 },
  { "chocolate", 0xd2691e }, { "coral", 0xff7f50 }, { "cornflowerblue", 0x6495ed },
  { "cornsilk", 0xfff8dc }, { "crimson", 0xdc143c }, { "cyan", 0x00ffff },
  { "darkblue", 0x00008b }, { "darkcyan", 0x008b8b }, { "darkgoldenrod", 0xb8860b },
  { "darkgray", 0xa9a9a9 }, { "darkgreen", 0x006400 }, { "darkgrey", 0xa9a9a9 },
  { "darkkhaki", 0xbdb76b }, { "darkmagenta", 0x8b008b }, { "darkolivegreen", 0x556b2f },
  { "darkorange", 0xff8c00 }, { "darkorchid", 0x9932cc }, { "darkred", 0x8b0000 },
  { "darksalmon", 0xe9967a }, { "darkseagreen", 0x8fbc8f }, { "darkslateblue", 0x483d8b },
  { "darkslategray", 0x2f4f4f }, { "darkslategrey", 0x2f4f4f }, { "darkturquoise", 0x00ced1 },
  { "darkviolet", 0x9400d3 }, { "deeppink", 0xff1493 }, { "deepskyblue", 0x00bfff },
  { "dimgray", 0x696969 }, { "dimgrey", 0x696969 }, { "dodgerblue", 0x1e90ff },
  { "firebrick", 0xb22222 }, { "floralwhite", 0xfffaf0 }, { "forestgreen", 0x228b22 },
  { "fuchsia", 0xff00ff }, { "gainsboro", 0xdcdcdc }, { "ghostwhite", 0xf8f8ff },
  { "gold", 0xffd700 }, { "goldenrod", 0xdaa520 }, { "gray", 0x808080 },
  { "green", 0x008000 }, { "greenyellow", 0xadff2f }, { "grey", 0x808080 },
  { "honeydew", 0xf0fff0 }, { "hotpink", 0xff69b4 }, { "indianred", 0xcd5c5c },
  { "indigo", 0x4b0082 }, { "ivory", 0xfffff0 }, { "khaki", 0xf0e68c },
  { "lavender", 0xe6e6fa }, { "lavenderblush", 0xfff0f5 }, { "lawngreen", 0x7cfc00 },
  { "lemonchiffon", 0xfffacd }, { "lightblue", 0xadd8e6 }, { "lightcoral", 0xf08080 },
  { "lightcyan", 0xe0ffff }, { "lightgoldenrodyellow", 0xfafad2 }, { "lightgray", 0xd3d3d3 },
  { "lightgreen", 0x90ee90 }, { "lightgrey", 0xd3d3d3 }, { "lightpink", 0xffb6c1 },
  { "lightsalmon", 0xffa07a }, { "lightseagreen", 0x20b2aa }, { "lightskyblue", 0x87cefa },
  { "lightslategray", 0x778899 }, { "lightslategrey", 0x778899 }, { "lightsteelblue", 0xb0c4de },
  { "lightyellow", 0xffffe0 }, { "lime", 0x00ff00 }, { "limegreen", 0x32cd32 },
  { "linen", 0xfaf0e6 }, { "magenta", 0xff00ff }, { "maroon", 0x800000 },
  { "mediumaquamarine", 0x66cdaa }, { "mediumblue", 0x0000cd }, { "mediumorchid", 0xba55d3 },
  { "mediumpurple", 0x9370db }, { "mediumseagreen", 0x3cb371 }, { "mediumslateblue", 0x7b68ee },
  { "mediumspringgreen", 0x00fa9a }, { "mediumturquoise", 0x48d1cc }, { "mediumvioletred", 0xc71585 },
  { "midnightblue", 0x191970 }, { "mintcream", 0xf5fffa }, { "mistyrose", 0xffe4e1 },
  { "moccasin", 0xffe4b5 }, { "navajowhite", 0xffdead }, { "navy", 0x000080 },
  { "oldlace", 0xfdf5e6 }, { "olive", 0x808000 }, { "olivedrab", 0x6b8e23 },
  { "orange", 0xffa500 }, { "orangered", 0xff4500 }, { "orchid", 0xda70d6 },
  { "palegoldenrod", 0xeee8aa }, { "palegreen", 0x98fb98 }, { "paleturquoise", 0xafeeee },
  { "palevioletred", 0xdb7093 }, { "papayawhip", 0xffefd5 }, { "peachpuff", 0xffdab9 },
  { "peru", 0xcd853f }, { "pink", 0xffc0cb }, { "plum", 0xdda0dd },
  { "powderblue", 0xb0e0e6 }, { "purple", 0x800080 }, { "rebeccapurple", 0x663399 },
  { "red", 0xff0000 }, { "rosybrown", 0xbc8f8f }, { "royalblue", 0x4169e1 },
  { "saddlebrown", 0x8b4513 }, { "salmon", 0xfa8072 }, { "sandybrown", 0xf4a460 },
  { "seagreen", 0x2e8b57 }, { "seashell", 0xfff5ee }, { "sienna", 0xa0522d },
  { "silver", 0xc0c0c0 }, { "skyblue", 0x87ceeb }, { "slateblue", 0x6a5acd },
  { "slategray", 0x708090 }, { "slategrey", 0x708090 }, { "snow", 0xfffafa },
  { "springgreen", 0x00ff7f }, { "steelblue", 0x4682b4 }, { "tan", 0xd2b48c },
  { "teal", 0x008080 }, { "thistle", 0xd8bfd8 }, { "tomato", 0xff6347 },
  { "turquoise", 0x40e0d0 }, { "violet", 0xee82ee }, { "wheat", 0xf5deb3 },
  { "white", 0xffffff }, { "whitesmoke", 0xf5f5f5 }, { "yellow", 0xffff00 },
  { "yellowgreen", 0x9acd32 },
};

static int
compare_named_color (const void *key, const void *elem)
{
  return strcmp (key, ((const BhNamedColor *) elem)->name);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = g_ascii_tolower (c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static gboolean
parse_number (const char *s, double *out, const char **rest)
{
  char *endp;
  double v;

  if (!(g_ascii_isdigit (*s) || *s == '.' || *s == '-' || *s == '+'))
    return FALSE;
  v = g_ascii_strtod (s, &endp);
  if (endp == s || !isfinite (v))
    return FALSE;
  *out = v;
  *rest = endp;
  return TRUE;
}

static guint8
clamp_byte (double v)
{
  return (guint8) CLAMP (lround (v), 0, 255);
}

/* rgb()/rgba()/hsl()/hsla() arguments: numbers or percentages separated by commas,
 * spaces or a slash before alpha (CSS Color 4 section 5.1 and 7.1). */
static gboolean
parse_color_function (const char *name, const char *args, guint32 *out)
{
  double v[4] = { 0, 0, 0, 1 };
  gboolean pct[4] = { FALSE, FALSE, FALSE, FALSE };
  const char *p = args;
  int n = 0;

  while (*p && *p != ')' && n < 4)
    {
      const char *rest;

      while (*p && (is_space (*p) || *p == ',' || *p == '/'))
        p++;
      if (*p == ')' || !*p)
        break;
      if (!parse_number (p, &v[n], &rest))
        return FALSE;
      p = rest;
      if (*p == '%')
        {
          pct[n] = TRUE;
          p++;
        }
      else
        {
          while (g_ascii_isalpha (*p))  /* "deg" after a hue */
            p++;
        }
      n++;
    }
  if (n < 3)
    return FALSE;
  if (pct[3])
    v[3] /= 100.0;

  if (g_str_has_prefix (name, "rgb"))
    {
      guint8 c[3];
      for (int i = 0; i < 3; i++)
        c[i] = clamp_byte (pct[i] ? v[i] * 2.55 : v[i]);
      *out = ((guint32) clamp_byte (v[3] * 255.0) << 24) | (c[0] << 16) | (c[1] << 8) | c[2];
      return TRUE;
    }
  else
    {
      double h = fmod (fmod (v[0], 360.0) + 360.0, 360.0) / 360.0;
      double s = CLAMP (v[1] / 100.0, 0.0, 1.0);
      double l = CLAMP (v[2] / 100.0, 0.0, 1.0);
      double q = l < 0.5 ? l * (1 + s) : l + s - l * s;
      double pp = 2 * l - q;
      double rgb[3];

      for (int i = 0; i < 3; i++)
        {
          double t = h + (1.0 - i) / 3.0;
          if (t < 0)
            t += 1;
          if (t > 1)
            t -= 1;
          if (t < 1.0 / 6)
            rgb[i] = pp + (q - pp) * 6 * t;
          else if (t < 0.5)
            rgb[i] = q;
          else if (t < 2.0 / 3)
            rgb[i] = pp + (q - pp) * (2.0 / 3 - t) * 6;
          else
            rgb[i] = pp;
        }
      *out = ((guint32) clamp_byte (v[3] * 255.0) << 24) | (clamp_byte (rgb[0] * 255) << 16) |
             (clamp_byte (rgb[1] * 255) << 8) | clamp_byte (rgb[2] * 255);
      return TRUE;
    }
}

/**
 * bh_css_parse_color:
 * @text: a CSS colour: a name, `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`, `rgba()`,
 *   `hsl()`, `hsla()` or `transparent` (CSS Color Module Level 4)
 * @out_argb: (out): the colour as 0xAARRGGBB, untouched on failure
 *
 * Returns: %TRUE if @text is a colour this engine understands.
 */
gboolean
bh_css_parse_color (const char *text, guint32 *out_argb)
{
  g_autofree char *lower = NULL;
  const BhNamedColor *named;
  gsize len;

  while (is_space (*text))
    text++;
  lower = g_ascii_strdown (text, -1);
  g_strchomp (lower);
  len = strlen (lower);

  if (lower[0] == '#')
    {
      int d[8];
      gsize n = len - 1;

      if (n != 3 && n != 4 && n != 6 && n != 8)
        return FALSE;
      for (gsize i = 0; i < n; i++)
        if ((d[i] = hex_value (lower[i + 1])) < 0)
          return FALSE;
      if (n <= 4)
        {
          guint32 a = n == 4 ? d[3] * 17 : 255;
          *out_argb = (a << 24) | ((d[0] * 17) << 16) | ((d[1] * 17) << 8) | (d[2] * 17);
        }
      else
        {
          guint32 a = n == 8 ? d[6] * 16 + d[7] : 255;
          *out_argb = (a << 24) | ((d[0] * 16 + d[1]) << 16) | ((d[2] * 16 + d[3]) << 8) | (d[4] * 16 + d[5]);
        }
      return TRUE;
    }

  if (strcmp (lower, "transparent") == 0)
    {
      *out_argb = 0;
      return TRUE;
    }

  {
    const char *paren = strchr (lower, '(');
    if (paren != NULL)
      {
        g_autofree char *fname = g_strndup (lower, paren - lower);
        if (strcmp (fname, "rgb") == 0 || strcmp (fname, "rgba") == 0 ||
            strcmp (fname, "hsl") == 0 || strcmp (fname, "hsla") == 0)
          return parse_color_function (fname, paren + 1, out_argb);
        return FALSE;
      }
  }

  named = bsearch (lower, named_colors, G_N_ELEMENTS (named_colors), sizeof named_colors[0],
                   compare_named_color);
  if (named == NULL)
    return FALSE;
  *out_argb = 0xff000000u | named->rgb;
  return TRUE;
}

/* ---------------------------------------------------------------- values */

static gboolean
parse_length (const char *s, gboolean allow_auto, gboolean allow_negative, BhLength *out)
{
  double v;
  const char *unit;
  BhLength len;

  if (allow_auto && g_ascii_strcasecmp (s, "auto") == 0)
    {
      out->value = 0;
      out->unit = BH_UNIT_AUTO;
      return TRUE;
    }
  if (!parse_number (s, &v, &unit))
    return FALSE;
  if (v < 0 && !allow_negative)
    return FALSE;

  len.value = (float) CLAMP (v, -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX);
  if (*unit == '\0')
    {
      if (v != 0)
        return FALSE;  /* unitless non-zero lengths are invalid outside quirks mode */
      len.unit = BH_UNIT_PX;
    }
  else if (g_ascii_strcasecmp (unit, "px") == 0)
    len.unit = BH_UNIT_PX;
  else if (g_ascii_strcasecmp (unit, "em") == 0)
    len.unit = BH_UNIT_EM;
  else if (g_ascii_strcasecmp (unit, "ex") == 0 || g_ascii_strcasecmp (unit, "ch") == 0)
    {
      len.unit = BH_UNIT_EM;
      len.value *= 0.5f;
    }
  else if (g_ascii_strcasecmp (unit, "rem") == 0)
    len.unit = BH_UNIT_REM;
  else if (strcmp (unit, "%") == 0)
    len.unit = BH_UNIT_PERCENT;
  else if (g_ascii_strcasecmp (unit, "pt") == 0)
    {
      len.unit = BH_UNIT_PX;
      len.value *= 4.0f / 3.0f;
    }
  else if (g_ascii_strcasecmp (unit, "pc") == 0)
    {
      len.unit = BH_UNIT_PX;
      len.value *= 16.0f;
    }
  else if (g_ascii_strcasecmp (unit, "in") == 0)
    {
      len.unit = BH_UNIT_PX;
      len.value *= 96.0f;
    }
  else if (g_ascii_strcasecmp (unit, "cm") == 0)
    {
      len.unit = BH_UNIT_PX;
      len.value *= 96.0f / 2.54f;
    }
  else if (g_ascii_strcasecmp (unit, "mm") == 0)
    {
      len.unit = BH_UNIT_PX;
      len.value *= 96.0f / 25.4f;
    }
  else
    return FALSE;
  len.value = CLAMP (len.value, -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX);
  *out = len;
  return TRUE;
}

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
  { "inline-block", BH_DISPLAY_INLINE }, { "list-item", BH_DISPLAY_LIST_ITEM },
  { "table", BH_DISPLAY_TABLE }, { "inline-table", BH_DISPLAY_TABLE },
  { "table-row-group", BH_DISPLAY_TABLE_ROW_GROUP }, { "table-header-group", BH_DISPLAY_TABLE_ROW_GROUP },
  { "table-footer-group", BH_DISPLAY_TABLE_ROW_GROUP }, { "table-row", BH_DISPLAY_TABLE_ROW },
  { "table-cell", BH_DISPLAY_TABLE_CELL }, { "table-caption", BH_DISPLAY_TABLE_CAPTION },
  { "table-column", BH_DISPLAY_NONE }, { "table-column-group", BH_DISPLAY_NONE },
  /* Flex and grid containers lay their items out as a column of blocks here. */
  { "flex", BH_DISPLAY_BLOCK }, { "grid", BH_DISPLAY_BLOCK }, { "flow-root", BH_DISPLAY_BLOCK },
  { "inline-flex", BH_DISPLAY_INLINE }, { "inline-grid", BH_DISPLAY_INLINE },
  { "contents", BH_DISPLAY_INLINE }, { "run-in", BH_DISPLAY_BLOCK },
  { NULL, 0 }
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

#define FONT_WEIGHT_BOLDER  1000
#define FONT_WEIGHT_LIGHTER 1001

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
  else if (parse_number (s, &v, &rest) && *rest == '\0' && v >= 1 && v <= 1000)
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
  BhDecl d = { .prop = prop, .kind = DECL_LENGTH, .number = len.value, .unit = len.unit, .important = important };
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
  g_autoptr(GPtrArray) parts = split_value (value);
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
      else if (!parse_length (parts->pdata[i], allow_auto, allow_negative, &len[i]))
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
  g_autoptr(GPtrArray) parts = split_value (value);

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
      else if (parse_length (part, FALSE, FALSE, &b->width))
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
  g_autoptr(GPtrArray) parts = split_value (value);
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
    else if (!parse_length (size, FALSE, FALSE, &len))
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
        if (parse_number (slash, &v, &rest) && *rest == '\0' && v >= 0)
          push_length (decls, PROP_LINE_HEIGHT, (BhLength) { (float) MIN (v, 10.0), BH_UNIT_NUMBER }, important);
        else if (parse_length (slash, FALSE, FALSE, &lh))
          push_length (decls, PROP_LINE_HEIGHT, lh, important);
      }
    else
      push_keyword (decls, PROP_LINE_HEIGHT, BH_LH_NORMAL, important);
    if (parse_font_family (family->str, &fam))
      push_keyword (decls, PROP_FONT_FAMILY, fam, important);
  }
}

static void
add_declaration (BhDeclarations *decls, const char *name, const char *value, gboolean important)
{
  BhLength len;
  int kw;

  if (*value == '\0')
    return;

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
      };
      BhDeclKind kind = g_ascii_strcasecmp (value, "inherit") == 0 ? DECL_INHERIT : DECL_INITIAL;
      for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        if (strcmp (groups[i].name, name) == 0)
          for (int j = 0; j < groups[i].n; j++)
            push_decl (decls, groups[i].first + j, kind, important);
      return;
    }

  if (strcmp (name, "color") == 0)
    push_color_value (decls, PROP_COLOR, value, important);
  else if (strcmp (name, "background-color") == 0)
    push_color_value (decls, PROP_BACKGROUND_COLOR, value, important);
  else if (strcmp (name, "background") == 0)
    {
      /* Only the colour layer of the shorthand; images are not fetched. Like the real
       * shorthand, a value without a colour resets it to transparent. */
      g_autoptr(GPtrArray) parts = split_value (value);
      guint32 argb = 0;
      for (guint i = 0; i < parts->len; i++)
        if (bh_css_parse_color (parts->pdata[i], &argb))
          break;
      push_color (decls, PROP_BACKGROUND_COLOR, argb, important);
    }
  else if (strcmp (name, "font-size") == 0)
    {
      if (lookup_keyword (font_size_keywords, value, &kw))
        push_length (decls, PROP_FONT_SIZE, (BhLength) { (float) kw, BH_UNIT_PX }, important);
      else if (g_ascii_strcasecmp (value, "smaller") == 0)
        push_length (decls, PROP_FONT_SIZE, (BhLength) { 1 / 1.2f, BH_UNIT_EM }, important);
      else if (g_ascii_strcasecmp (value, "larger") == 0)
        push_length (decls, PROP_FONT_SIZE, (BhLength) { 1.2f, BH_UNIT_EM }, important);
      else if (parse_length (value, FALSE, FALSE, &len))
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
      else if (parse_number (value, &v, &rest) && *rest == '\0' && v >= 0)
        push_length (decls, PROP_LINE_HEIGHT, (BhLength) { (float) MIN (v, 10.0), BH_UNIT_NUMBER }, important);
      else if (parse_length (value, FALSE, FALSE, &len))
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
      g_autoptr(GPtrArray) parts = split_value (value);
      /* The two-value syntax ("block flow") is read by its outer keyword. */
      if (parts->len > 0 && lookup_keyword (display_keywords, parts->pdata[0], &kw))
        push_keyword (decls, PROP_DISPLAY, kw, important);
    }
  else if (strcmp (name, "text-decoration") == 0 || strcmp (name, "text-decoration-line") == 0)
    {
      g_autoptr(GPtrArray) parts = split_value (value);
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
      g_autoptr(GPtrArray) parts = split_value (value);
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
      g_autoptr(GPtrArray) parts = split_value (value);
      if (parts->len >= 1 && parse_length (parts->pdata[0], FALSE, FALSE, &len))
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
      g_autoptr(GPtrArray) parts = split_value (value);
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
  else if (g_str_has_prefix (name, "border-") || g_str_has_prefix (name, "margin-") ||
           g_str_has_prefix (name, "padding-"))
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
              if (parse_length (value, TRUE, TRUE, &len))
                push_length (decls, PROP_MARGIN_TOP + side, len, important);
            }
          else if (name[0] == 'p' && *rest == '\0')
            {
              if (parse_length (value, FALSE, FALSE, &len))
                push_length (decls, PROP_PADDING_TOP + side, len, important);
            }
          else if (name[0] == 'b' && *rest == '\0')
            push_border_side (decls, side, value, important);
          else if (name[0] == 'b' && strcmp (rest, "-width") == 0)
            {
              if (lookup_keyword (border_width_keywords, value, &kw))
                push_length (decls, PROP_BORDER_TOP_WIDTH + side, (BhLength) { (float) kw, BH_UNIT_PX }, important);
              else if (parse_length (value, FALSE, FALSE, &len))
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
      if (parse_length (value, TRUE, FALSE, &len))
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
      else if (parse_length (value, FALSE, FALSE, &len))
        push_length (decls, PROP_MAX_WIDTH, len, important);
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
  add_declaration (decls, property, v, FALSE);
}

static void
parse_declarations_into (BhDeclarations *decls, const char *p, const char *end)
{
  while (p < end)
    {
      const char *start, *colon = NULL;
      int depth = 0;

      p = skip_space_and_comments (p, end);
      start = p;
      while (p < end && (depth > 0 || *p != ';'))
        {
          if (*p == '"' || *p == '\'')
            {
              p = skip_string (p, end);
              continue;
            }
          if (p + 1 < end && p[0] == '/' && p[1] == '*')
            {
              p = skip_comment (p, end);
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
          g_autofree char *name = strip_dup (start, colon);
          g_autofree char *value = NULL;
          char *bang;
          gboolean important = FALSE;
          g_autoptr(GString) clean = g_string_new (NULL);

          /* drop comments inside the value */
          for (const char *q = colon + 1; q < p;)
            {
              if (q + 1 < p && q[0] == '/' && q[1] == '*')
                {
                  q = skip_comment (q, p);
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
          for (char *c = name; *c; c++)
            *c = g_ascii_tolower (*c);
          add_declaration (decls, name, value, important);
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

/* ---------------------------------------------------------------- selectors */

static void
selector_free (BhSelector *sel)
{
  if (sel == NULL)
    return;
  for (guint i = 0; i < sel->n_parts; i++)
    {
      g_free (sel->parts[i].tag_name);
      g_free (sel->parts[i].id);
      g_strfreev (sel->parts[i].classes);
    }
  g_free (sel->parts);
  g_free (sel);
}

/* Whether @p starts a valid escape (CSS Syntax 3, 4.3.8): a backslash not followed by a
 * newline, nor by the end of the text being read. */
static gboolean
starts_escape (const char *p, const char *end)
{
  return p + 1 < end && p[0] == '\\' && p[1] != '\n' && p[1] != '\r' && p[1] != '\f';
}

/* Appends the escape at @p (starts_escape() is true) to @s and returns the position
 * after it: up to six hex digits and one white space for a code point (0, a surrogate or
 * one past U+10FFFF becomes U+FFFD, CSS Syntax 3 "consume an escaped code point"), else
 * the character itself. */
static const char *
consume_escape (const char *p, const char *end, GString *s)
{
  guint32 cp = 0;
  int n = 0;

  p++;
  while (p < end && n < 6 && g_ascii_isxdigit (*p))
    {
      cp = cp * 16 + g_ascii_xdigit_value (*p++);
      n++;
    }
  if (n == 0)
    {
      g_string_append_c (s, *p);
      return p + 1;
    }
  if (p < end && is_space (*p))
    p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    cp = 0xFFFD;
  g_string_append_unichar (s, cp);
  return p;
}

/* Reads an identifier (letters, digits, '-', '_', non-ASCII and escapes) at *@pp,
 * moving *@pp past it. Returns: (transfer full) (nullable): the identifier, or %NULL
 * (and *@pp unchanged) when there is none. */
static char *
read_ident (const char **pp, const char *end)
{
  const char *p = *pp;
  GString *s = g_string_new (NULL);

  while (p < end)
    {
      if (starts_escape (p, end))
        p = consume_escape (p, end, s);
      else if (is_ident_char (*p))
        g_string_append_c (s, *p++);
      else
        break;
    }
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  *pp = p;
  return g_string_free (s, FALSE);
}

/* Parses one compound selector; returns FALSE on syntax this engine cannot read. */
static gboolean
parse_compound (const char **pp, const char *end, BhCompound *c, guint32 *specificity)
{
  const char *p = *pp;
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();
  gboolean any = FALSE;

  c->tag = GUMBO_TAG_LAST;
  if (p < end && *p == '*')
    {
      p++;
      any = TRUE;
    }
  else if (p < end && (is_ident_char (*p) || starts_escape (p, end)))
    {
      /* A backslash that is not an escape ("\\{}", "\\" before a newline) starts no
       * name, and a selector without one is dropped. */
      g_autofree char *name = read_ident (&p, end);
      g_autofree char *lower = NULL;

      if (name == NULL)
        goto fail;
      lower = g_ascii_strdown (name, -1);
      c->tag = gumbo_tag_enum (lower);
      if (c->tag == GUMBO_TAG_UNKNOWN)
        c->tag_name = g_steal_pointer (&lower);
      *specificity += 1;
      any = TRUE;
    }

  while (p < end)
    {
      if (*p == '#' || *p == '.')
        {
          char kind = *p++;
          char *ident = read_ident (&p, end);
          if (ident == NULL)
            goto fail;
          if (kind == '#')
            {
              g_free (c->id);
              c->id = ident;
              *specificity += 10000;
            }
          else
            {
              g_ptr_array_add (classes, ident);
              *specificity += 100;
            }
          any = TRUE;
        }
      else if (*p == ':')
        {
          gboolean element = p + 1 < end && p[1] == ':';
          g_autofree char *ident = NULL;

          p += element ? 2 : 1;
          ident = read_ident (&p, end);
          if (ident == NULL)
            goto fail;
          if (p < end && *p == '(')
            {
              int depth = 0;
              while (p < end)
                {
                  if (*p == '(')
                    depth++;
                  else if (*p == ')' && --depth == 0)
                    {
                      p++;
                      break;
                    }
                  p++;
                }
            }
          if (!element && g_ascii_strcasecmp (ident, "link") == 0)
            c->need_link = TRUE;
          else if (!element && g_ascii_strcasecmp (ident, "root") == 0 && c->tag == GUMBO_TAG_LAST)
            c->tag = GUMBO_TAG_HTML;
          else if (!element && g_ascii_strcasecmp (ident, "any-link") == 0)
            c->need_link = TRUE;
          else
            c->never = TRUE;  /* :hover, :visited, ::before... never true of a static page */
          *specificity += element ? 1 : 100;
          any = TRUE;
        }
      else if (*p == '[')
        {
          while (p < end && *p != ']')
            {
              if (*p == '"' || *p == '\'')
                p = skip_string (p, end);
              else
                p++;
            }
          if (p >= end)
            goto fail;
          p++;
          c->never = TRUE;
          *specificity += 100;
          any = TRUE;
        }
      else
        break;
    }

  if (!any)
    goto fail;
  if (classes->len > 0)
    {
      g_ptr_array_add (classes, NULL);
      c->classes = (char **) g_ptr_array_free (g_steal_pointer (&classes), FALSE);
    }
  *pp = p;
  return TRUE;

fail:
  g_ptr_array_set_free_func (classes, g_free);
  return FALSE;
}

static BhSelector *
parse_selector (const char *p, const char *end)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (BhCompound));
  BhSelector *sel = g_new0 (BhSelector, 1);
  guint8 comb = COMB_NONE;

  while (p < end)
    {
      BhCompound c = { 0 };
      gboolean had_space = FALSE;

      while (p < end && is_space (*p))
        {
          p++;
          had_space = TRUE;
        }
      if (p >= end)
        break;
      if (*p == '>')
        {
          comb = COMB_CHILD;
          p++;
          while (p < end && is_space (*p))
            p++;
        }
      else if (*p == '+' || *p == '~')
        goto fail;
      else if (had_space && parts->len > 0)
        comb = COMB_DESCENDANT;
      if (parts->len > 0 && comb == COMB_NONE)
        goto fail;
      if (!parse_compound (&p, end, &c, &sel->specificity))
        {
          g_free (c.tag_name);
          g_free (c.id);
          g_strfreev (c.classes);
          goto fail;
        }
      c.combinator = parts->len > 0 ? comb : COMB_NONE;
      g_array_append_val (parts, c);
      comb = COMB_NONE;
    }
  if (parts->len == 0 || comb != COMB_NONE)
    goto fail;
  sel->n_parts = parts->len;
  sel->parts = (BhCompound *) g_array_free (g_steal_pointer (&parts), FALSE);
  return sel;

fail:
  sel->n_parts = parts->len;
  sel->parts = (BhCompound *) g_array_free (g_steal_pointer (&parts), FALSE);
  selector_free (sel);
  return NULL;
}

static gboolean
compound_matches (const BhCompound *c, const BhElement *el)
{
  if (c->never)
    return FALSE;
  if (c->tag != GUMBO_TAG_LAST)
    {
      if (c->tag != el->tag)
        return FALSE;
      if (c->tag == GUMBO_TAG_UNKNOWN && (el->tag_name == NULL || strcmp (c->tag_name, el->tag_name) != 0))
        return FALSE;
    }
  if (c->need_link && !el->is_link)
    return FALSE;
  if (c->id != NULL && (el->id == NULL || strcmp (c->id, el->id) != 0))
    return FALSE;
  if (c->classes != NULL)
    {
      for (char **want = c->classes; *want; want++)
        {
          gboolean found = FALSE;
          if (el->classes != NULL)
            for (char **have = el->classes; *have; have++)
              if (strcmp (*want, *have) == 0)
                {
                  found = TRUE;
                  break;
                }
          if (!found)
            return FALSE;
        }
    }
  return TRUE;
}

/* Right to left, taking the nearest matching ancestor for a descendant combinator. That
 * greedy walk misses a few selectors that mix > and descendant combinators in unusual
 * ways, and ancestors more than BH_MAX_ANCESTOR_WALK levels up; it never matches one
 * that should not match. */
static gboolean
selector_matches (const BhSelector *sel, const BhElement *el)
{
  int i = (int) sel->n_parts - 1;
  const BhElement *cur = el;

  if (!compound_matches (&sel->parts[i], cur))
    return FALSE;
  while (i > 0)
    {
      guint8 comb = sel->parts[i].combinator;
      i--;
      if (comb == COMB_CHILD)
        {
          cur = cur->parent;
          if (cur == NULL || !compound_matches (&sel->parts[i], cur))
            return FALSE;
        }
      else
        {
          int steps = 0;
          do
            cur = cur->parent;
          while (cur != NULL && ++steps < BH_MAX_ANCESTOR_WALK && !compound_matches (&sel->parts[i], cur));
          if (cur == NULL || steps >= BH_MAX_ANCESTOR_WALK)
            return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------- style sheets */

static void
rule_free (gpointer data)
{
  BhRule *rule = data;
  selector_free (rule->selector);
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
            q = skip_string (q, sel_end);
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
      sel = parse_selector (p, q);
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
      p = skip_space_and_comments (p, end);
      if (p >= end)
        break;

      if (*p == '@')
        {
          g_autofree char *keyword = NULL;
          const char *prelude;

          p++;
          keyword = read_ident (&p, end);
          prelude = p;
          while (p < end && *p != ';' && *p != '{')
            {
              if (*p == '"' || *p == '\'')
                p = skip_string (p, end);
              else if (*p == '\\' && p + 1 < end)
                p += 2;
              else
                p++;
            }
          if (p < end && *p == '{')
            {
              const char *body = p + 1;
              const char *body_end = find_block_end (body, end);
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
              p = skip_string (p, end);
            else if (*p == '\\' && p + 1 < end)
              p += 2;
            else if (p + 1 < end && p[0] == '/' && p[1] == '*')
              p = skip_comment (p, end);
            else
              p++;
          }
        if (p >= end)
          break;
        sel_end = p;
        body_end = find_block_end (p + 1, end);
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
      if (selector_matches (entry->rule->selector, el))
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

/* ---------------------------------------------------------------- selectors for the DOM */

struct _BhSelectorList {
  GPtrArray *selectors;  /* BhSelector* */
};

/**
 * bh_selector_list_parse:
 * @text: a selector list, as querySelector() and matches() take it
 *
 * Parses with the same rules as style sheets use. Unlike a style sheet, which
 * skips a selector it cannot read, one unreadable selector makes the whole list
 * invalid (DOM Standard, "parse a selector": failure is a SyntaxError).
 *
 * Returns: (transfer full) (nullable): the list, %NULL when it is invalid.
 */
BhSelectorList *
bh_selector_list_parse (const char *text)
{
  BhSelectorList *list = g_new0 (BhSelectorList, 1);
  const char *p = text, *end = text + strlen (text);

  list->selectors = g_ptr_array_new_with_free_func ((GDestroyNotify) selector_free);
  while (p <= end)
    {
      const char *q = p;
      BhSelector *sel;

      while (q < end && *q != ',')
        {
          if (*q == '"' || *q == '\'')
            q = skip_string (q, end);
          else if (*q == '\\' && q + 1 < end)
            q += 2;
          else
            q++;
        }
      sel = parse_selector (p, q);
      if (sel == NULL)
        {
          bh_selector_list_free (list);
          return NULL;
        }
      g_ptr_array_add (list->selectors, sel);
      p = q + 1;
    }
  return list;
}

/**
 * bh_selector_list_matches:
 * @element: the element and its ancestors, as the cascade sees them
 *
 * Returns: whether any selector of @list matches @element.
 */
gboolean
bh_selector_list_matches (const BhSelectorList *list, const BhElement *element)
{
  for (guint i = 0; i < list->selectors->len; i++)
    if (selector_matches (g_ptr_array_index (list->selectors, i), element))
      return TRUE;
  return FALSE;
}

void
bh_selector_list_free (BhSelectorList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->selectors, g_ptr_array_unref);
  g_free (list);
}
