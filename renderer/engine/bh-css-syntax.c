/* bh-css-syntax.c: scanning CSS text (CSS Syntax Level 3, reduced): white space,
 * comments, strings, blocks, escapes and identifiers, shared by the value, selector and
 * style sheet parsers. */
#include "bh-css-private.h"

#include <string.h>

/* ---------------------------------------------------------------- scanning helpers */

gboolean
bh_css_is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

gboolean
bh_css_is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || (guchar) c >= 0x80;
}

/* Skips a string starting at @p (a quote), returns the position after it. */
const char *
bh_css_skip_string (const char *p, const char *end)
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

const char *
bh_css_skip_comment (const char *p, const char *end)
{
  /* p points at the opening slash-star */
  p += 2;
  while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
    p++;
  return p + 1 < end ? p + 2 : end;
}

const char *
bh_css_skip_space_and_comments (const char *p, const char *end)
{
  for (;;)
    {
      while (p < end && bh_css_is_space (*p))
        p++;
      if (p + 1 < end && p[0] == '/' && p[1] == '*')
        p = bh_css_skip_comment (p, end);
      else if (p + 3 < end && memcmp (p, "<!--", 4) == 0)
        p += 4;
      else if (p + 2 < end && memcmp (p, "-->", 3) == 0)
        p += 3;
      else
        return p;
    }
}

/* Returns the position of the block end matching the "{" before @p, or @end. */
const char *
bh_css_find_block_end (const char *p, const char *end)
{
  int depth = 1;

  while (p < end)
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

char *
bh_css_strip_dup (const char *start, const char *end)
{
  while (start < end && bh_css_is_space (*start))
    start++;
  while (end > start && bh_css_is_space (end[-1]))
    end--;
  return g_strndup (start, end - start);
}

/* Splits @value on white space outside parentheses and quotes. */
GPtrArray *
bh_css_split_value (const char *value)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *p = value;
  const char *end = value + strlen (value);

  while (p < end)
    {
      const char *start;
      int depth = 0;

      while (p < end && bh_css_is_space (*p))
        p++;
      if (p >= end)
        break;
      start = p;
      while (p < end && (depth > 0 || !bh_css_is_space (*p)))
        {
          if (*p == '(')
            depth++;
          else if (*p == ')' && depth > 0)
            depth--;
          else if (*p == '"' || *p == '\'')
            {
              p = bh_css_skip_string (p, end);
              continue;
            }
          p++;
        }
      g_ptr_array_add (parts, g_strndup (start, p - start));
    }
  return parts;
}

/* Whether @p starts a valid escape (CSS Syntax 3, 4.3.8): a backslash not followed by a
 * newline, nor by the end of the text being read. */
gboolean
bh_css_starts_escape (const char *p, const char *end)
{
  return p + 1 < end && p[0] == '\\' && p[1] != '\n' && p[1] != '\r' && p[1] != '\f';
}

/* Appends the escape at @p (bh_css_starts_escape() is true) to @s and returns the position
 * after it: up to six hex digits and one white space for a code point (0, a surrogate or
 * one past U+10FFFF becomes U+FFFD, CSS Syntax 3 "consume an escaped code point"), else
 * the character itself. */
const char *
bh_css_consume_escape (const char *p, const char *end, GString *s)
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
  if (p < end && bh_css_is_space (*p))
    p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    cp = 0xFFFD;
  g_string_append_unichar (s, cp);
  return p;
}

/* Reads an identifier (letters, digits, '-', '_', non-ASCII and escapes) at *@pp,
 * moving *@pp past it. Returns: (transfer full) (nullable): the identifier, or %NULL
 * (and *@pp unchanged) when there is none. */
char *
bh_css_read_ident (const char **pp, const char *end)
{
  const char *p = *pp;
  GString *s = g_string_new (NULL);

  while (p < end)
    {
      if (bh_css_starts_escape (p, end))
        p = bh_css_consume_escape (p, end, s);
      else if (bh_css_is_ident_char (*p))
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
