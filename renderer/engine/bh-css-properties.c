/* bh-css-properties.c: the properties added for issue 17 after the first property
 * table (bh-css-declarations.c) had grown big: visual effects and text (visibility,
 * opacity, text-transform, letter-spacing, text-overflow) and the first background
 * layer's image (background-image: url(), background-repeat, -position, -size, and
 * those parts of the background shorthand). Each one parses its value
 * into BhDecl entries; a value this engine does not understand is dropped (CSS 2.1
 * section 4.2). */
#include "bh-css-private.h"

#include <string.h>

static void
push (BhDeclarations *decls, BhProp prop, BhDeclKind kind, guint32 ival, BhLength len, gboolean important)
{
  BhDecl d = { .prop = prop, .kind = kind, .ival = ival, .number = len.value, .unit = len.unit,
               .pct = len.pct, .important = important };
  g_array_append_val (decls->decls, d);
}

static void
push_keyword (BhDeclarations *decls, BhProp prop, int value, gboolean important)
{
  push (decls, prop, DECL_KEYWORD, (guint32) value, (BhLength) { 0, BH_UNIT_PX, 0 }, important);
}

static void
push_length (BhDeclarations *decls, BhProp prop, BhLength len, gboolean important)
{
  push (decls, prop, DECL_LENGTH, 0, len, important);
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

/* @value against the NULL-terminated @names; their index in *@out */
static gboolean
keyword_index (const char *value, const char *const *names, int *out)
{
  for (int i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (value, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* The properties of this file that take inherit and initial, with how many BhDecl
 * entries each sets; bh_css_add_declaration() asks before its own table. */
gboolean
bh_css_property_group (const char *name, BhProp *first, int *n)
{
  static const struct { const char *name; BhProp first; int n; } groups[] = {
    { "visibility", PROP_VISIBILITY, 1 }, { "opacity", PROP_OPACITY, 1 },
    { "text-transform", PROP_TEXT_TRANSFORM, 1 }, { "letter-spacing", PROP_LETTER_SPACING, 1 },
    { "text-overflow", PROP_TEXT_OVERFLOW, 1 }, { "background-repeat", PROP_BACKGROUND_REPEAT, 1 },
    { "background-position", PROP_BACKGROUND_POSITION_X, 2 },
    { "background-size", PROP_BACKGROUND_SIZE_KIND, 3 }, { "counter-reset", PROP_COUNTER_RESET, 1 },
    { "counter-set", PROP_COUNTER_SET, 1 }, { "counter-increment", PROP_COUNTER_INCREMENT, 1 },
    { "grid-template-columns", PROP_GRID_TEMPLATE_COLUMNS, 1 }, { "grid-column", PROP_GRID_COLUMN_START, 3 },
    { "grid-column-start", PROP_GRID_COLUMN_START, 1 }, { "grid-column-end", PROP_GRID_COLUMN_END, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (groups[i].name, name) == 0)
      {
        *first = groups[i].first;
        *n = groups[i].n;
        return TRUE;
      }
  return FALSE;
}

/* ---------------------------------------------------------------- backgrounds */

/* (transfer full) (nullable): the URL of the first url() in @value, unquoted */
static char *
first_url (const char *value)
{
  const char *p = value;

  while ((p = strstr (p, "url(")) != NULL)
    {
      if (p == value || !bh_css_is_ident_char (p[-1]))
        break;
      p += 4;
    }
  if (p == NULL)
    return NULL;
  p += 4;
  while (bh_css_is_space (*p))
    p++;
  if (*p == '"' || *p == '\'')
    {
      const char *close = strchr (p + 1, *p);
      return close != NULL ? g_strndup (p + 1, close - p - 1) : NULL;
    }
  {
    const char *close = strchr (p, ')');
    if (close == NULL)
      return NULL;
    while (close > p && bh_css_is_space (close[-1]))
      close--;
    return close > p ? g_strndup (p, close - p) : NULL;
  }
}

/* The words of a background value with "/" as a word of its own ("center/cover"),
 * the first layer only (up to a comma outside parentheses). */
static GPtrArray *
background_words (const char *value)
{
  g_autoptr(GString) spaced = g_string_new (NULL);
  int depth = 0;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      else if (*p == ',' && depth == 0)
        break;
      if (*p == '/' && depth == 0)
        g_string_append (spaced, " / ");
      else
        g_string_append_c (spaced, *p);
    }
  return bh_css_split_value (spaced->str);
}

static gboolean
repeat_keyword (const char *word, int *out)
{
  static const char *const names[] = { "repeat", "repeat-x", "repeat-y", "no-repeat", "space", "round", NULL };

  if (!keyword_index (word, names, out))
    return FALSE;
  if (*out >= 4)
    *out = BH_BG_REPEAT;  /* space and round tile as repeat does */
  return TRUE;
}

/* background-repeat's one or two words: "repeat no-repeat" is repeat-x */
static gboolean
parse_repeat (GPtrArray *words, guint from, guint n, int *out)
{
  int a, b;

  if (n == 1)
    return repeat_keyword (words->pdata[from], out);
  if (n != 2 || !repeat_keyword (words->pdata[from], &a) || !repeat_keyword (words->pdata[from + 1], &b) ||
      a == BH_BG_REPEAT_X || a == BH_BG_REPEAT_Y || b == BH_BG_REPEAT_X || b == BH_BG_REPEAT_Y)
    return FALSE;
  *out = a == b ? a : a == BH_BG_REPEAT ? BH_BG_REPEAT_X : BH_BG_REPEAT_Y;
  return TRUE;
}

/* One word of background-position: 0 for a horizontal keyword, 1 vertical, 2 center,
 * 3 a length or percentage; -1 neither. */
static int
position_word (const char *word, BhLength *len)
{
  if (g_ascii_strcasecmp (word, "left") == 0 || g_ascii_strcasecmp (word, "right") == 0)
    {
      *len = (BhLength) { word[0] == 'l' || word[0] == 'L' ? 0 : 100, BH_UNIT_PERCENT, 0 };
      return 0;
    }
  if (g_ascii_strcasecmp (word, "top") == 0 || g_ascii_strcasecmp (word, "bottom") == 0)
    {
      *len = (BhLength) { word[0] == 't' || word[0] == 'T' ? 0 : 100, BH_UNIT_PERCENT, 0 };
      return 1;
    }
  if (g_ascii_strcasecmp (word, "center") == 0)
    {
      *len = (BhLength) { 50, BH_UNIT_PERCENT, 0 };
      return 2;
    }
  return bh_css_parse_length (word, FALSE, TRUE, len) ? 3 : -1;
}

/* background-position's one to four words (CSS Backgrounds 3 section 3.6): keywords
 * in either order, lengths horizontal first, "right 10px" an offset from that edge. */
static gboolean
parse_position (GPtrArray *words, guint from, guint n, BhLength out[2])
{
  BhLength len[4];
  int kind[4];
  gboolean have[2] = { FALSE, FALSE };

  if (n < 1 || n > 4)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if ((kind[i] = position_word (words->pdata[from + i], &len[i])) < 0)
      return FALSE;
  out[0] = out[1] = (BhLength) { 50, BH_UNIT_PERCENT, 0 };
  for (guint i = 0; i < n; i++)
    {
      int axis;
      BhLength v = len[i];
      if (kind[i] == 3)
        axis = i == 0 ? 0 : !have[1] && (i == 1 && kind[0] != 1) ? 1 : !have[0] ? 0 : 1;
      else if (kind[i] == 2)
        axis = !have[0] && !(i == 0 && n > 1 && kind[1] == 0) ? 0 : 1;
      else
        axis = kind[i];
      /* an edge keyword followed by its offset */
      if (kind[i] <= 1 && i + 1 < n && kind[i + 1] == 3 && n > 2)
        {
          BhLength off = len[++i];
          if (off.unit == BH_UNIT_PX && v.value == 100)
            v = (BhLength) { -off.value, BH_UNIT_CALC, 100 };
          else if (off.unit == BH_UNIT_PX)
            v = off;
          else if (off.unit == BH_UNIT_PERCENT)
            v = (BhLength) { v.value == 100 ? 100 - off.value : off.value, BH_UNIT_PERCENT, 0 };
        }
      if (have[axis])
        return FALSE;
      have[axis] = TRUE;
      out[axis] = v;
    }
  return TRUE;
}

/* background-size: cover, contain, or one or two lengths (auto allowed) */
static gboolean
parse_size (GPtrArray *words, guint from, guint n, int *kind, BhLength out[2])
{
  if (n == 1 && g_ascii_strcasecmp (words->pdata[from], "cover") == 0)
    *kind = BH_BG_SIZE_COVER;
  else if (n == 1 && g_ascii_strcasecmp (words->pdata[from], "contain") == 0)
    *kind = BH_BG_SIZE_CONTAIN;
  else if (n == 1 || n == 2)
    {
      *kind = BH_BG_SIZE_LENGTH;
      out[1] = (BhLength) { 0, BH_UNIT_AUTO, 0 };
      for (guint i = 0; i < n; i++)
        if (!bh_css_parse_length (words->pdata[from + i], TRUE, FALSE, &out[i]))
          return FALSE;
    }
  else
    return FALSE;
  if (*kind != BH_BG_SIZE_LENGTH)
    out[0] = out[1] = (BhLength) { 0, BH_UNIT_AUTO, 0 };
  return TRUE;
}

static void
push_image (BhDeclarations *decls, const char *value, gboolean important)
{
  g_autofree char *url = first_url (value);

  if (url != NULL && *url != '\0')
    push_raw (decls, PROP_BACKGROUND_IMAGE, "background-image", url, important);
  else
    push_keyword (decls, PROP_BACKGROUND_IMAGE, 0, important);
}

static void
push_position (BhDeclarations *decls, const BhLength pos[2], gboolean important)
{
  push_length (decls, PROP_BACKGROUND_POSITION_X, pos[0], important);
  push_length (decls, PROP_BACKGROUND_POSITION_Y, pos[1], important);
}

static void
push_size (BhDeclarations *decls, int kind, const BhLength size[2], gboolean important)
{
  push_keyword (decls, PROP_BACKGROUND_SIZE_KIND, kind, important);
  push_length (decls, PROP_BACKGROUND_SIZE_W, size[0], important);
  push_length (decls, PROP_BACKGROUND_SIZE_H, size[1], important);
}

/**
 * bh_css_add_background_layer: (skip)
 * @decls: a declaration block
 * @value: the value of a background shorthand
 * @important: whether it was !important
 *
 * The image, repeat, position and size of the shorthand's first layer; what it does
 * not say is reset to the initial value, as a shorthand does (the colour and a
 * gradient are bh-css-declarations.c's).
 */
void
bh_css_add_background_layer (BhDeclarations *decls, const char *value, gboolean important)
{
  g_autoptr(GPtrArray) words = background_words (value);
  BhLength pos[2] = { { 0, BH_UNIT_PERCENT, 0 }, { 0, BH_UNIT_PERCENT, 0 } };
  BhLength size[2] = { { 0, BH_UNIT_AUTO, 0 }, { 0, BH_UNIT_AUTO, 0 } };
  int repeat = BH_BG_REPEAT, size_kind = BH_BG_SIZE_LENGTH, kw;
  guint i = 0;

  push_image (decls, value, important);
  while (i < words->len)
    {
      BhLength ignored;
      guint n = 0;
      if (repeat_keyword (words->pdata[i], &kw))
        {
          while (i + n < words->len && repeat_keyword (words->pdata[i + n], &kw))
            n++;
          if (!parse_repeat (words, i, n, &repeat))
            repeat = BH_BG_REPEAT;
          i += n;
          continue;
        }
      if (position_word (words->pdata[i], &ignored) >= 0)
        {
          while (i + n < words->len && n < 4 && position_word (words->pdata[i + n], &ignored) >= 0)
            n++;
          if (!parse_position (words, i, n, pos))
            return;
          i += n;
          if (i < words->len && strcmp (words->pdata[i], "/") == 0)
            {
              guint m = 0;
              i++;
              while (i + m < words->len && m < 2 &&
                     (bh_css_parse_length (words->pdata[i + m], TRUE, FALSE, &ignored) ||
                      g_ascii_strcasecmp (words->pdata[i + m], "cover") == 0 ||
                      g_ascii_strcasecmp (words->pdata[i + m], "contain") == 0))
                m++;
              if (!parse_size (words, i, m, &size_kind, size))
                return;
              i += m;
            }
          continue;
        }
      i++;  /* a colour, url(), a gradient, attachment, origin, clip: not ours */
    }
  push_keyword (decls, PROP_BACKGROUND_REPEAT, repeat, important);
  push_position (decls, pos, important);
  push_size (decls, size_kind, size, important);
}

/* ---------------------------------------------------------------- grid */

/* One grid line: "auto", a number, "span N" (*@span), or "-N"; FALSE for names. */
static gboolean
parse_grid_line (const char *text, int *line, int *span)
{
  g_autoptr(GPtrArray) words = bh_css_split_value (text);
  double v;
  const char *rest;

  *line = 0;
  *span = 0;
  if (words->len == 1 && g_ascii_strcasecmp (words->pdata[0], "auto") == 0)
    return TRUE;
  if (words->len == 2 && g_ascii_strcasecmp (words->pdata[0], "span") == 0 &&
      bh_css_parse_number (words->pdata[1], &v, &rest) && *rest == '\0' && v >= 1)
    {
      *span = (int) MIN (v, 1000);
      return TRUE;
    }
  if (words->len == 1 && bh_css_parse_number (words->pdata[0], &v, &rest) && *rest == '\0' && v != 0)
    {
      *line = (int) CLAMP (v, -1000, 1000);
      return TRUE;
    }
  return FALSE;
}

/* grid-column: start [/ end], grid-column-start, grid-column-end */
static void
push_grid_column (BhDeclarations *decls, const char *name, const char *value, gboolean important)
{
  const char *slash = strchr (value, '/');
  g_autofree char *first = bh_css_strip_dup (value, slash != NULL ? slash : value + strlen (value));
  int start, start_span, end = 0, end_span = 0;

  if (!parse_grid_line (first, &start, &start_span))
    return;
  if (slash != NULL)
    {
      g_autofree char *second = bh_css_strip_dup (slash + 1, value + strlen (value));
      if (!parse_grid_line (second, &end, &end_span))
        return;
    }
  if (strcmp (name, "grid-column-end") == 0)
    {
      push_length (decls, PROP_GRID_COLUMN_END, (BhLength) { (float) start, BH_UNIT_NUMBER, 0 }, important);
      if (start_span > 0)
        push_length (decls, PROP_GRID_COLUMN_SPAN, (BhLength) { (float) start_span, BH_UNIT_NUMBER, 0 }, important);
      return;
    }
  push_length (decls, PROP_GRID_COLUMN_START, (BhLength) { (float) start, BH_UNIT_NUMBER, 0 }, important);
  if (strcmp (name, "grid-column-start") == 0)
    {
      if (start_span > 0)
        push_length (decls, PROP_GRID_COLUMN_SPAN, (BhLength) { (float) start_span, BH_UNIT_NUMBER, 0 }, important);
      return;
    }
  push_length (decls, PROP_GRID_COLUMN_END, (BhLength) { (float) end, BH_UNIT_NUMBER, 0 }, important);
  push_length (decls, PROP_GRID_COLUMN_SPAN,
               (BhLength) { (float) MAX (1, MAX (start_span, end_span)), BH_UNIT_NUMBER, 0 }, important);
}

gboolean
bh_css_add_property (BhDeclarations *decls, const char *name, const char *value, gboolean important)
{
  int kw;
  BhLength len;

  if (strcmp (name, "visibility") == 0)
    {
      /* collapse hides like hidden (CSS 2.1 section 11.2; rows and columns keep their room) */
      static const char *const names[] = { "visible", "hidden", "collapse", NULL };
      if (keyword_index (value, names, &kw))
        push_keyword (decls, PROP_VISIBILITY, kw == 0 ? BH_VISIBILITY_VISIBLE : BH_VISIBILITY_HIDDEN, important);
    }
  else if (strcmp (name, "opacity") == 0)
    {
      double v;
      const char *rest;
      /* a number, or a percentage (CSS Color 4 section 13.1); clamped when applied */
      if (bh_css_parse_number (value, &v, &rest) && (*rest == '\0' || strcmp (rest, "%") == 0))
        push_length (decls, PROP_OPACITY, (BhLength) { (float) (*rest == '%' ? v / 100 : v), BH_UNIT_NUMBER, 0 },
                     important);
    }
  else if (strcmp (name, "text-transform") == 0)
    {
      static const char *const names[] = { "none", "uppercase", "lowercase", "capitalize", NULL };
      if (keyword_index (value, names, &kw))
        push_keyword (decls, PROP_TEXT_TRANSFORM, kw, important);
    }
  else if (strcmp (name, "letter-spacing") == 0)
    {
      if (g_ascii_strcasecmp (value, "normal") == 0)
        push_length (decls, PROP_LETTER_SPACING, (BhLength) { 0, BH_UNIT_PX, 0 }, important);
      else if (bh_css_parse_length (value, FALSE, TRUE, &len) && len.unit != BH_UNIT_PERCENT &&
               len.unit != BH_UNIT_CALC)
        push_length (decls, PROP_LETTER_SPACING, len, important);
    }
  else if (strcmp (name, "text-overflow") == 0)
    {
      /* one value: the end of the line (the two-value form names the start first) */
      static const char *const names[] = { "clip", "ellipsis", NULL };
      g_autoptr(GPtrArray) parts = bh_css_split_value (value);
      if (parts->len >= 1 && keyword_index (parts->pdata[parts->len - 1], names, &kw))
        push_keyword (decls, PROP_TEXT_OVERFLOW, kw, important);
    }
  else if (strcmp (name, "background-image") == 0)
    push_image (decls, value, important);
  else if (strcmp (name, "grid-template-columns") == 0)
    {
      if (g_ascii_strcasecmp (value, "none") == 0)
        push_keyword (decls, PROP_GRID_TEMPLATE_COLUMNS, 0, important);
      else
        push_raw (decls, PROP_GRID_TEMPLATE_COLUMNS, name, value, important);
    }
  else if (strcmp (name, "grid-column") == 0 || strcmp (name, "grid-column-start") == 0 ||
           strcmp (name, "grid-column-end") == 0)
    push_grid_column (decls, name, value, important);
  else if (strcmp (name, "counter-reset") == 0 || strcmp (name, "counter-set") == 0 ||
           strcmp (name, "counter-increment") == 0)
    {
      BhProp prop = name[8] == 'r' ? PROP_COUNTER_RESET : name[8] == 's' ? PROP_COUNTER_SET : PROP_COUNTER_INCREMENT;
      if (g_ascii_strcasecmp (value, "none") == 0)
        push_keyword (decls, prop, 0, important);
      else
        push_raw (decls, prop, name, value, important);
    }
  else if (strcmp (name, "background-repeat") == 0)
    {
      g_autoptr(GPtrArray) words = background_words (value);
      if (parse_repeat (words, 0, words->len, &kw))
        push_keyword (decls, PROP_BACKGROUND_REPEAT, kw, important);
    }
  else if (strcmp (name, "background-position") == 0)
    {
      g_autoptr(GPtrArray) words = background_words (value);
      BhLength pos[2];
      if (parse_position (words, 0, words->len, pos))
        push_position (decls, pos, important);
    }
  else if (strcmp (name, "background-size") == 0)
    {
      g_autoptr(GPtrArray) words = background_words (value);
      BhLength size[2];
      if (parse_size (words, 0, words->len, &kw, size))
        push_size (decls, kw, size, important);
    }
  else
    return FALSE;
  return TRUE;
}

/* One track size as the layout reads it, appended to @out; FALSE if not understood. */
static gboolean
append_track_size (GString *out, const char *word, double em_px, double vw, double vh)
{
  BhLength len;
  double v;
  const char *rest;

  if (g_ascii_strcasecmp (word, "auto") == 0)
    g_string_append (out, "auto");
  else if (g_ascii_strcasecmp (word, "min-content") == 0)
    g_string_append (out, "min");
  else if (g_ascii_strcasecmp (word, "max-content") == 0)
    g_string_append (out, "max");
  else if (bh_css_parse_number (word, &v, &rest) && g_ascii_strcasecmp (rest, "fr") == 0 && v >= 0)
    g_string_append_printf (out, "%gfr", MIN (v, 1e6));
  else if (bh_css_parse_length (word, FALSE, FALSE, &len))
    {
      switch (len.unit)
        {
        case BH_UNIT_PERCENT: g_string_append_printf (out, "%g%%", len.value); break;
        case BH_UNIT_EM: g_string_append_printf (out, "%gpx", len.value * em_px); break;
        case BH_UNIT_REM: g_string_append_printf (out, "%gpx", len.value * 16); break;
        case BH_UNIT_VW: g_string_append_printf (out, "%gpx", len.value * vw); break;
        case BH_UNIT_VH: g_string_append_printf (out, "%gpx", len.value * vh); break;
        case BH_UNIT_PX: g_string_append_printf (out, "%gpx", len.value); break;
        default: return FALSE;
        }
    }
  else
    return FALSE;
  return TRUE;
}

/* A track: a size or minmax(a, b); FALSE if not understood. */
static gboolean
append_track (GString *out, const char *word, double em_px, double vw, double vh)
{
  if (g_ascii_strncasecmp (word, "minmax(", 7) == 0 && g_str_has_suffix (word, ")"))
    {
      g_autofree char *inner = g_strndup (word + 7, strlen (word) - 8);
      char *comma = strchr (inner, ',');
      if (comma == NULL)
        return FALSE;
      *comma = '\0';
      g_strstrip (inner);
      g_strstrip (comma + 1);
      g_string_append (out, "minmax(");
      if (!append_track_size (out, inner, em_px, vw, vh))
        return FALSE;
      g_string_append_c (out, ',');
      if (!append_track_size (out, comma + 1, em_px, vw, vh))
        return FALSE;
      g_string_append_c (out, ')');
      return TRUE;
    }
  if (g_ascii_strncasecmp (word, "fit-content(", 12) == 0)
    {
      g_string_append (out, "auto");
      return TRUE;
    }
  return append_track_size (out, word, em_px, vw, vh);
}

/* At most this many columns: a repeat() cannot make more. */
#define BH_MAX_GRID_TRACKS 100

char *
bh_css_grid_tracks (const char *value, double em_px, double vw, double vh)
{
  g_autoptr(GPtrArray) words = bh_css_split_value (value);
  g_autoptr(GString) out = g_string_new (NULL);
  int n = 0;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = words->pdata[i];
      if (word[0] == '[')
        continue;  /* line names */
      if (g_ascii_strncasecmp (word, "repeat(", 7) == 0 && g_str_has_suffix (word, ")"))
        {
          g_autofree char *inner = g_strndup (word + 7, strlen (word) - 8);
          char *comma = strchr (inner, ',');
          g_autoptr(GPtrArray) tracks = NULL;
          double count;
          const char *rest;
          if (comma == NULL)
            return NULL;
          *comma = '\0';
          g_strstrip (inner);
          tracks = bh_css_split_value (comma + 1);
          if (g_ascii_strcasecmp (inner, "auto-fill") == 0 || g_ascii_strcasecmp (inner, "auto-fit") == 0)
            {
              /* one track repeated as often as it fits (auto-fit's empty tracks are kept) */
              if (tracks->len != 1)
                return NULL;
              if (out->len > 0)
                g_string_append_c (out, ' ');
              g_string_append (out, "fill(");
              if (!append_track (out, tracks->pdata[0], em_px, vw, vh))
                return NULL;
              g_string_append_c (out, ')');
              n++;
              continue;
            }
          if (!bh_css_parse_number (inner, &count, &rest) || *rest != '\0' || count < 1)
            return NULL;
          for (int k = 0; k < (int) MIN (count, BH_MAX_GRID_TRACKS) && n < BH_MAX_GRID_TRACKS; k++)
            for (guint t = 0; t < tracks->len && n < BH_MAX_GRID_TRACKS; t++)
              {
                const char *track = tracks->pdata[t];
                if (track[0] == '[')
                  continue;
                if (out->len > 0)
                  g_string_append_c (out, ' ');
                if (!append_track (out, track, em_px, vw, vh))
                  return NULL;
                n++;
              }
          continue;
        }
      if (n >= BH_MAX_GRID_TRACKS)
        break;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (!append_track (out, word, em_px, vw, vh))
        return NULL;
      n++;
    }
  return n > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}
