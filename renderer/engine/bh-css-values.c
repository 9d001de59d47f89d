/* bh-css-values.c: the value types declarations are made of: numbers, colours (named,
 * #hex, rgb()/hsl()), lengths with their units and calc(), and var() substitution at
 * computed-value time. The declaration table that uses them is bh-css-declarations.c. */
#include "bh-css-private.h"

#include <string.h>
#include <math.h>

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

gboolean
bh_css_parse_number (const char *s, double *out, const char **rest)
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

      while (*p && (bh_css_is_space (*p) || *p == ',' || *p == '/'))
        p++;
      if (*p == ')' || !*p)
        break;
      if (!bh_css_parse_number (p, &v[n], &rest))
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

  while (bh_css_is_space (*text))
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

/* A length in the units calc() may mix; a plain number has only `number` set. */
typedef struct {
  double px, pct, em, rem, vw, vh;
  double number;
  gboolean is_number;
} CalcValue;

/* One dimension ("12px", "50%", "2") into @out; returns FALSE on an unknown unit. */
static gboolean
unit_value (double v, const char *unit, CalcValue *out)
{
  static const struct { const char *unit; double px; } absolute[] = {
    { "px", 1 }, { "pt", 4.0 / 3.0 }, { "pc", 16 }, { "in", 96 }, { "cm", 96 / 2.54 },
    { "mm", 96 / 25.4 }, { "q", 96 / 101.6 },
  };

  memset (out, 0, sizeof *out);
  if (*unit == '\0')
    {
      out->number = v;
      out->is_number = TRUE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (absolute); i++)
    if (g_ascii_strcasecmp (unit, absolute[i].unit) == 0)
      {
        out->px = v * absolute[i].px;
        return TRUE;
      }
  if (g_ascii_strcasecmp (unit, "em") == 0)
    out->em = v;
  /* DejaVu's x-height is 0.55 em; 0.6 em is the ch Chromium gives gi-docgen's sidebar
   * (35ch = 337 px at 16 px) on this machine */
  else if (g_ascii_strcasecmp (unit, "ex") == 0)
    out->em = v * 0.55;
  else if (g_ascii_strcasecmp (unit, "ch") == 0)
    out->em = v * 0.6;
  else if (g_ascii_strcasecmp (unit, "rem") == 0)
    out->rem = v;
  else if (g_ascii_strcasecmp (unit, "vw") == 0)
    out->vw = v;
  else if (g_ascii_strcasecmp (unit, "vh") == 0)
    out->vh = v;
  else if (strcmp (unit, "%") == 0)
    out->pct = v;
  else
    return FALSE;
  return TRUE;
}

static void
calc_scale (CalcValue *v, double k)
{
  v->px *= k, v->pct *= k, v->em *= k, v->rem *= k, v->vw *= k, v->vh *= k, v->number *= k;
}

static gboolean calc_sum (const char **pp, const char *end, int depth, CalcValue *out);

static const char *
calc_skip_space (const char *p, const char *end)
{
  while (p < end && bh_css_is_space (*p))
    p++;
  return p;
}

/* A number, a dimension, or a parenthesised sum (also "calc(" nested). */
static gboolean
calc_operand (const char **pp, const char *end, int depth, CalcValue *out)
{
  const char *p = calc_skip_space (*pp, end);
  char buf[64];
  char *endp;
  const char *unit_start, *q;
  double v;
  gsize n;

  if (depth > 16)
    return FALSE;
  if (end - p >= 5 && g_ascii_strncasecmp (p, "calc(", 5) == 0)
    p += 4;
  if (p < end && *p == '(')
    {
      p++;
      if (!calc_sum (&p, end, depth + 1, out))
        return FALSE;
      p = calc_skip_space (p, end);
      if (p >= end || *p != ')')
        return FALSE;
      *pp = p + 1;
      return TRUE;
    }
  n = MIN ((gsize) (end - p), sizeof buf - 1);
  memcpy (buf, p, n);
  buf[n] = '\0';
  v = g_ascii_strtod (buf, &endp);
  if (endp == buf || !isfinite (v))
    return FALSE;
  unit_start = p + (endp - buf);
  q = unit_start;
  while (q < end && (g_ascii_isalpha (*q) || *q == '%'))
    q++;
  {
    g_autofree char *unit = g_strndup (unit_start, q - unit_start);
    if (!unit_value (v, unit, out))
      return FALSE;
  }
  *pp = q;
  return TRUE;
}

static gboolean
calc_product (const char **pp, const char *end, int depth, CalcValue *out)
{
  const char *p = *pp;

  if (!calc_operand (&p, end, depth, out))
    return FALSE;
  for (;;)
    {
      CalcValue rhs;
      char op;
      p = calc_skip_space (p, end);
      if (p >= end || (*p != '*' && *p != '/'))
        break;
      op = *p++;
      if (!calc_operand (&p, end, depth, &rhs))
        return FALSE;
      if (op == '*' && rhs.is_number)
        calc_scale (out, rhs.number);
      else if (op == '*' && out->is_number)
        {
          double k = out->number;
          *out = rhs;
          calc_scale (out, k);
        }
      else if (op == '/' && rhs.is_number && rhs.number != 0)
        calc_scale (out, 1.0 / rhs.number);
      else
        return FALSE;
    }
  *pp = p;
  return TRUE;
}

static gboolean
calc_sum (const char **pp, const char *end, int depth, CalcValue *out)
{
  const char *p = *pp;

  if (!calc_product (&p, end, depth, out))
    return FALSE;
  for (;;)
    {
      CalcValue rhs;
      double sign;
      p = calc_skip_space (p, end);
      if (p >= end || (*p != '+' && *p != '-'))
        break;
      sign = *p++ == '+' ? 1 : -1;
      if (!calc_product (&p, end, depth, &rhs) || rhs.is_number != out->is_number)
        return FALSE;
      out->px += sign * rhs.px, out->pct += sign * rhs.pct, out->em += sign * rhs.em;
      out->rem += sign * rhs.rem, out->vw += sign * rhs.vw, out->vh += sign * rhs.vh;
      out->number += sign * rhs.number;
    }
  *pp = p;
  return TRUE;
}

/* A CalcValue as one BhLength: a single unit stays that unit; a mixture becomes
 * BH_UNIT_CALC, px plus a percentage, its em and rem taken at 16 px and vw/vh at a
 * 1280x900 viewport (an approximation: BhLength has room for two terms). */
static void
calc_to_length (const CalcValue *v, BhLength *out)
{
  int kinds = (v->px != 0) + (v->pct != 0) + (v->em != 0) + (v->rem != 0) + (v->vw != 0) + (v->vh != 0);

  out->pct = 0;
  if (kinds <= 1)
    {
      if (v->pct != 0)
        *out = (BhLength) { (float) v->pct, BH_UNIT_PERCENT, 0 };
      else if (v->em != 0)
        *out = (BhLength) { (float) v->em, BH_UNIT_EM, 0 };
      else if (v->rem != 0)
        *out = (BhLength) { (float) v->rem, BH_UNIT_REM, 0 };
      else if (v->vw != 0)
        *out = (BhLength) { (float) v->vw, BH_UNIT_VW, 0 };
      else if (v->vh != 0)
        *out = (BhLength) { (float) v->vh, BH_UNIT_VH, 0 };
      else
        *out = (BhLength) { (float) v->px, BH_UNIT_PX, 0 };
    }
  else
    {
      double px = v->px + 16.0 * (v->em + v->rem) + 12.8 * v->vw + 9.0 * v->vh;
      if (v->pct == 0)
        *out = (BhLength) { (float) px, BH_UNIT_PX, 0 };
      else
        *out = (BhLength) { (float) px, BH_UNIT_CALC, (float) CLAMP (v->pct, -1e5, 1e5) };
    }
  out->value = CLAMP (out->value, -BH_MAX_LENGTH_PX, BH_MAX_LENGTH_PX);
}

gboolean
bh_css_parse_length (const char *s, gboolean allow_auto, gboolean allow_negative, BhLength *out)
{
  CalcValue v;
  const char *p = s, *end = s + strlen (s);

  if (allow_auto && g_ascii_strcasecmp (s, "auto") == 0)
    {
      *out = (BhLength) { 0, BH_UNIT_AUTO, 0 };
      return TRUE;
    }
  if (g_ascii_strncasecmp (s, "calc(", 5) == 0)
    {
      if (!calc_operand (&p, end, 0, &v) || *calc_skip_space (p, end) != '\0' || v.is_number)
        return FALSE;
      calc_to_length (&v, out);
      if (!allow_negative && out->value < 0 && out->unit != BH_UNIT_CALC)
        out->value = 0;  /* calc() clamps to the allowed range, CSS Values 4 section 10.12 */
      return TRUE;
    }
  {
    double number;
    const char *unit;
    if (!bh_css_parse_number (s, &number, &unit))
      return FALSE;
    if (number < 0 && !allow_negative)
      return FALSE;
    if (!unit_value (number, unit, &v))
      return FALSE;
    if (v.is_number)
      {
        if (number != 0)
          return FALSE;  /* unitless non-zero lengths are invalid outside quirks mode */
        v.is_number = FALSE;
      }
  }
  calc_to_length (&v, out);
  return TRUE;
}

/* ---------------------------------------------------------------- var() */

/* Results of substitution stay below this, so a chain of custom properties that each
 * use the previous one twice cannot grow exponentially ("billion laughs"). */
#define BH_MAX_VAR_RESULT (16 * 1024)
#define BH_MAX_VAR_DEPTH  16

static gboolean substitute_into (GString *out, const char *p, const char *end, GHashTable *vars, int depth);

/* @p is just after "var(": reads the name and the fallback up to the matching ")". */
static const char *
substitute_one (GString *out, const char *p, const char *end, GHashTable *vars, int depth, gboolean *ok)
{
  const char *close = p, *comma = NULL;
  int nesting = 0;
  g_autofree char *name = NULL;
  const char *value;

  while (close < end && (nesting > 0 || *close != ')'))
    {
      if (*close == '(')
        nesting++;
      else if (*close == ')')
        nesting--;
      else if (*close == ',' && nesting == 0 && comma == NULL)
        comma = close;
      close++;
    }
  name = bh_css_strip_dup (p, comma != NULL ? comma : close);
  value = vars != NULL ? g_hash_table_lookup (vars, name) : NULL;
  if (value != NULL && *value != '\0')
    *ok = substitute_into (out, value, value + strlen (value), vars, depth + 1) && *ok;
  else if (comma != NULL)
    *ok = substitute_into (out, comma + 1, close, vars, depth + 1) && *ok;
  else
    *ok = FALSE;
  return close < end ? close + 1 : end;
}

static gboolean
substitute_into (GString *out, const char *p, const char *end, GHashTable *vars, int depth)
{
  gboolean ok = TRUE;

  if (depth > BH_MAX_VAR_DEPTH)
    return FALSE;
  while (p < end && ok)
    {
      if (out->len > BH_MAX_VAR_RESULT)
        return FALSE;
      if (end - p >= 4 && g_ascii_strncasecmp (p, "var(", 4) == 0 &&
          (p == end || out->len == 0 || !bh_css_is_ident_char (out->str[out->len - 1])))
        p = substitute_one (out, p + 4, end, vars, depth, &ok);
      else
        g_string_append_c (out, *p++);
    }
  return ok;
}

/**
 * bh_css_substitute_vars: (skip)
 * @value: a declaration's value that uses var()
 * @vars: (nullable): the element's custom properties, name -> value
 *
 * Replaces each var(--name, fallback) by the property's value, or the fallback when
 * the property is not set (CSS Custom Properties 1, section 3), recursively, at most
 * BH_MAX_VAR_DEPTH deep and BH_MAX_VAR_RESULT bytes long.
 *
 * Returns: (transfer full) (nullable): the substituted value, %NULL when it is
 *   invalid at computed-value time.
 */
char *
bh_css_substitute_vars (const char *value, GHashTable *vars)
{
  GString *out = g_string_new (NULL);

  if (!substitute_into (out, value, value + strlen (value), vars, 0) || out->len > BH_MAX_VAR_RESULT)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_strstrip (out->str);
  return g_string_free (out, FALSE);
}
