/* bh-css-media.c: media queries (Media Queries Level 4, reduced) against the viewport
 *
 * A renderer paints a screen: the media types "all" and "screen" match, "print" and
 * the others do not. Features are those of a light-themed desktop browser with a mouse:
 * width and height from the viewport, orientation from their ratio,
 * prefers-color-scheme: light, prefers-reduced-motion: no-preference, hover: hover,
 * pointer: fine, resolution 1dppx, colour. An unknown feature does not match, so a
 * query is never taken for true by mistake ("not" of an unknown feature is false too,
 * as Level 4 section 3.2 says of unknown values).
 */
#include "bh-css-private.h"

#include <math.h>
#include <string.h>

typedef enum { TRI_FALSE, TRI_TRUE, TRI_UNKNOWN } Tri;

/* A length in a media query: px, em and rem at 16 px (Media Queries 4, section 1.3:
 * relative units refer to the initial value). */
static gboolean
media_length (const char *s, double *out)
{
  char *end;
  double v = g_ascii_strtod (s, &end);

  if (end == s || !isfinite (v))
    return FALSE;
  while (*end == ' ')
    end++;
  if (*end == '\0' || g_ascii_strcasecmp (end, "px") == 0)
    *out = v;
  else if (g_ascii_strcasecmp (end, "em") == 0 || g_ascii_strcasecmp (end, "rem") == 0)
    *out = v * 16;
  else if (g_ascii_strcasecmp (end, "pt") == 0)
    *out = v * 4 / 3;
  else if (g_ascii_strcasecmp (end, "in") == 0)
    *out = v * 96;
  else if (g_ascii_strcasecmp (end, "cm") == 0)
    *out = v * 96 / 2.54;
  else if (g_ascii_strcasecmp (end, "dppx") == 0 || g_ascii_strcasecmp (end, "x") == 0)
    *out = v;
  else if (g_ascii_strcasecmp (end, "dpi") == 0)
    *out = v / 96;
  else
    return FALSE;
  return TRUE;
}

static gboolean
compare (double have, const char *op, double want)
{
  if (strcmp (op, ">=") == 0)
    return have >= want;
  if (strcmp (op, "<=") == 0)
    return have <= want;
  if (strcmp (op, ">") == 0)
    return have > want;
  if (strcmp (op, "<") == 0)
    return have < want;
  return fabs (have - want) < 0.01;
}

/* A numeric feature's value: width, height, resolution, device-pixel-ratio. */
static gboolean
numeric_feature (const char *name, double w, double h, double *out)
{
  if (strcmp (name, "width") == 0 || strcmp (name, "device-width") == 0)
    *out = w;
  else if (strcmp (name, "height") == 0 || strcmp (name, "device-height") == 0)
    *out = h;
  else if (strcmp (name, "resolution") == 0 || strcmp (name, "-webkit-device-pixel-ratio") == 0 ||
           strcmp (name, "device-pixel-ratio") == 0)
    *out = 1;
  else
    return FALSE;
  return TRUE;
}

/* One "(feature: value)", "(feature)" or range "(width >= 600px)", without the
 * parentheses, lower case. */
static Tri
feature_matches (char *text, double w, double h)
{
  char *colon = strchr (text, ':');
  char *name, *value;
  double have, want;

  g_strstrip (text);
  if (colon == NULL)
    {
      static const char *ops[] = { ">=", "<=", ">", "<", "=" };
      for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
        {
          char *op = strstr (text, ops[i]);
          if (op != NULL)
            {
              g_autofree char *left = g_strstrip (g_strndup (text, op - text));
              g_autofree char *right = g_strstrip (g_strdup (op + strlen (ops[i])));
              if (numeric_feature (left, w, h, &have) && media_length (right, &want))
                return compare (have, ops[i], want) ? TRI_TRUE : TRI_FALSE;
              /* "600px <= width" */
              if (numeric_feature (right, w, h, &have) && media_length (left, &want))
                {
                  static const char *mirror[] = { "<=", ">=", "<", ">", "=" };
                  return compare (have, mirror[i], want) ? TRI_TRUE : TRI_FALSE;
                }
              return TRI_UNKNOWN;
            }
        }
      /* a boolean feature: (color), (hover), (orientation)... */
      if (strcmp (text, "color") == 0 || strcmp (text, "hover") == 0 || strcmp (text, "pointer") == 0 ||
          strcmp (text, "any-hover") == 0 || strcmp (text, "any-pointer") == 0 || strcmp (text, "width") == 0 ||
          strcmp (text, "height") == 0 || strcmp (text, "orientation") == 0)
        return TRI_TRUE;
      if (strcmp (text, "monochrome") == 0 || strcmp (text, "grid") == 0)
        return TRI_FALSE;
      return TRI_UNKNOWN;
    }
  *colon = '\0';
  name = g_strstrip (text);
  value = g_strstrip (colon + 1);
  if (g_str_has_prefix (name, "min-") && numeric_feature (name + 4, w, h, &have))
    return media_length (value, &want) ? (have >= want ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
  if (g_str_has_prefix (name, "max-") && numeric_feature (name + 4, w, h, &have))
    return media_length (value, &want) ? (have <= want ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
  if (g_str_has_prefix (name, "-webkit-min-") && numeric_feature (name + 12, w, h, &have))
    return media_length (value, &want) ? (have >= want ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
  if (g_str_has_prefix (name, "-webkit-max-") && numeric_feature (name + 12, w, h, &have))
    return media_length (value, &want) ? (have <= want ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
  if (numeric_feature (name, w, h, &have))
    return media_length (value, &want) ? (compare (have, "=", want) ? TRI_TRUE : TRI_FALSE) : TRI_UNKNOWN;
  if (strcmp (name, "orientation") == 0)
    {
      if (strcmp (value, "portrait") == 0)
        return h >= w ? TRI_TRUE : TRI_FALSE;
      if (strcmp (value, "landscape") == 0)
        return w > h ? TRI_TRUE : TRI_FALSE;
      return TRI_UNKNOWN;
    }
  {
    static const struct { const char *feature, *yes, *no; } enums[] = {
      { "prefers-color-scheme", "light", "dark" },
      { "prefers-reduced-motion", "no-preference", "reduce" },
      { "prefers-contrast", "no-preference", "more" },
      { "hover", "hover", "none" },
      { "any-hover", "hover", "none" },
      { "pointer", "fine", "coarse" },
      { "any-pointer", "fine", "coarse" },
      { "scripting", "none", "enabled" },
      { "forced-colors", "none", "active" },
      { "display-mode", "browser", "fullscreen" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (enums); i++)
      if (strcmp (name, enums[i].feature) == 0)
        return strcmp (value, enums[i].yes) == 0 ? TRI_TRUE : TRI_FALSE;
  }
  if (strcmp (name, "color") == 0 || strcmp (name, "min-color") == 0)
    return TRI_TRUE;
  return TRI_UNKNOWN;
}

/* One query of a list: [not|only] [type] [and (feature)]... or (feature) [and ...]. */
static gboolean
query_matches (const char *query, double w, double h)
{
  g_autofree char *text = g_ascii_strdown (query, -1);
  char *p = g_strstrip (text);
  gboolean negate = FALSE, type_ok = TRUE;
  Tri result = TRI_TRUE;

  if (*p == '\0')
    return TRUE;
  if (g_str_has_prefix (p, "not ") || g_str_has_prefix (p, "not("))
    {
      negate = TRUE;
      p += 3;
    }
  else if (g_str_has_prefix (p, "only "))
    p += 5;
  while (*p == ' ')
    p++;
  if (*p != '(')
    {
      char *end = p;
      while (*end != '\0' && *end != ' ' && *end != '(')
        end++;
      {
        g_autofree char *type = g_strndup (p, end - p);
        type_ok = strcmp (type, "all") == 0 || strcmp (type, "screen") == 0;
      }
      p = end;
    }
  /* the conditions: "and (...)" joined; "or" only in Level 4 conditions */
  while (*p != '\0')
    {
      char *open, *close;
      Tri t;
      while (*p == ' ')
        p++;
      if (g_str_has_prefix (p, "and"))
        {
          p += 3;
          continue;
        }
      if (*p != '(')
        return FALSE;  /* "or", "," leftovers, garbage: not understood */
      open = p;
      close = strchr (open, ')');
      if (close == NULL)
        return FALSE;
      *close = '\0';
      t = feature_matches (open + 1, w, h);
      if (t == TRI_UNKNOWN)
        return FALSE;
      if (t == TRI_FALSE)
        result = TRI_FALSE;
      p = close + 1;
    }
  {
    gboolean matches = type_ok && result == TRI_TRUE;
    return negate ? !matches : matches;
  }
}

/**
 * bh_media_query_matches:
 * @media: a media query list as written after @media or in media="", UTF-8
 * @width: the viewport width in CSS px
 * @height: the viewport height in CSS px
 *
 * Evaluates a media query list for this renderer's screen (see the file comment for
 * the features): true when any of its comma-separated queries matches, or when it is
 * empty.
 *
 * Returns: whether the rules it guards apply.
 */
gboolean
bh_media_query_matches (const char *media, double width, double height)
{
  g_auto(GStrv) queries = NULL;
  gboolean any = FALSE;

  if (media == NULL)
    return TRUE;
  queries = g_strsplit (media, ",", 64);
  if (queries[0] == NULL)
    return TRUE;
  for (int i = 0; queries[i] != NULL; i++)
    if (query_matches (queries[i], width, height))
      any = TRUE;
  return any;
}
