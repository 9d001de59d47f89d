/* bh-css-properties.c: the properties added for issue 17 after the first property
 * table (bh-css-declarations.c) had grown big: visual effects and text (visibility,
 * opacity, text-transform, letter-spacing, text-overflow). Each one parses its value
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
    { "text-overflow", PROP_TEXT_OVERFLOW, 1 },
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
  else
    return FALSE;
  return TRUE;
}
