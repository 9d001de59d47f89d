/* bh-document-decode.c: from a body's bytes to the text gumbo parses, for bh-document.c
 *
 * Decoding (WHATWG Encoding: a byte order mark, the transport's charset, <meta>, UTF-8,
 * windows-1252) and the nesting limiter, which drops start tags nested too deep before
 * gumbo's tree construction (quadratic in the depth) sees them.
 */
#include "bh-document-private.h"

#include <string.h>

/* ---------------------------------------------------------------- decoding */

/* Maps an encoding label to a name iconv knows, following the WHATWG Encoding
 * standard where it matters: ASCII and Latin-1 labels mean windows-1252, and a
 * document that claims UTF-16 without a byte order mark is read as UTF-8. */
static char *
normalize_charset (const char *label)
{
  g_autofree char *lower = NULL;

  if (label == NULL)
    return NULL;
  lower = g_ascii_strdown (label, -1);
  g_strstrip (lower);
  if (lower[0] == '"' || lower[0] == '\'')
    {
      memmove (lower, lower + 1, strlen (lower));
      lower[strcspn (lower, "\"'")] = '\0';
    }
  if (*lower == '\0')
    return NULL;
  if (strcmp (lower, "utf-8") == 0 || strcmp (lower, "utf8") == 0 ||
      strcmp (lower, "unicode-1-1-utf-8") == 0 || g_str_has_prefix (lower, "utf-16") ||
      strcmp (lower, "unicode") == 0)
    return g_strdup ("UTF-8");
  if (strcmp (lower, "iso-8859-1") == 0 || strcmp (lower, "iso8859-1") == 0 ||
      strcmp (lower, "latin1") == 0 || strcmp (lower, "l1") == 0 || strcmp (lower, "us-ascii") == 0 ||
      strcmp (lower, "ascii") == 0 || strcmp (lower, "windows-1252") == 0 ||
      strcmp (lower, "cp1252") == 0 || strcmp (lower, "iso_8859-1") == 0 ||
      strcmp (lower, "x-cp1252") == 0 || strcmp (lower, "cp819") == 0)
    return g_strdup ("WINDOWS-1252");
  for (const char *c = lower; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.' && *c != ':')
      return NULL;
  return g_strdup (lower);
}

/* The <meta charset> prescan of HTML section 13.2.3.2, reduced: the first 1024 bytes,
 * a <meta> with charset= either as attribute or inside content="...". */
static char *
sniff_meta_charset (const char *data, gsize len)
{
  gsize n = MIN (len, 1024);
  g_autofree char *head = g_ascii_strdown (data, n);
  const char *p = head;

  while ((p = strstr (p, "<meta")) != NULL)
    {
      const char *end = strchr (p, '>');
      const char *cs = strstr (p, "charset");
      if (end == NULL)
        break;
      if (cs != NULL && cs < end)
        {
          const char *v = cs + 7;
          const char *stop;
          while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
            v++;
          if (v < end && *v == '=')
            {
              v++;
              while (v < end && (*v == ' ' || *v == '"' || *v == '\''))
                v++;
              stop = v;
              while (stop < end && *stop != '"' && *stop != '\'' && *stop != ';' && *stop != ' ' &&
                     *stop != '/' && *stop != '>')
                stop++;
              if (stop > v)
                return g_strndup (v, stop - v);
            }
        }
      p = end;
    }
  return NULL;
}

static char *
convert_to_utf8 (const char *data, gsize len, const char *charset, gsize *out_len)
{
  const char *fallbacks[] = { charset, "WINDOWS-1252", "ISO-8859-1" };

  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      char *out;

      if (fallbacks[i] == NULL)
        continue;
      out = g_convert (data, len, "UTF-8", fallbacks[i], &read, &written, &error);
      if (out == NULL && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_PARTIAL_INPUT) && read > 0)
        {
          /* the body was cut inside a multi-byte character: drop the fragment */
          g_clear_error (&error);
          out = g_convert (data, read, "UTF-8", fallbacks[i], NULL, &written, &error);
        }
      if (out != NULL)
        {
          *out_len = written;
          return out;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

/* Decodes @data into valid UTF-8. A byte order mark wins over everything (WHATWG
 * Encoding, "decode"); then the transport's charset, then <meta>, then UTF-8 if the
 * bytes are valid UTF-8, then windows-1252. */
char *
bh_document_decode_text (const guchar *data, gsize len, const char *charset_arg, gboolean is_html, gsize *out_len)
{
  g_autofree char *charset = NULL;
  char *out;

  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
      data += 3;
      len -= 3;
      charset = g_strdup ("UTF-8");
    }
  else if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
    {
      data += 2;
      len -= 2;
      charset = g_strdup ("UTF-16LE");
    }
  else if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    {
      data += 2;
      len -= 2;
      charset = g_strdup ("UTF-16BE");
    }
  if (charset == NULL)
    charset = normalize_charset (charset_arg);
  if (charset == NULL && is_html)
    {
      g_autofree char *meta = sniff_meta_charset ((const char *) data, len);
      charset = normalize_charset (meta);
    }
  if (charset == NULL)
    charset = g_strdup (g_utf8_validate ((const char *) data, len, NULL) ? "UTF-8" : "WINDOWS-1252");

  if (g_ascii_strcasecmp (charset, "UTF-8") == 0)
    {
      /* g_utf8_make_valid stops at a NUL; replace them first */
      g_autofree char *copy = g_malloc (len + 1);
      for (gsize i = 0; i < len; i++)
        copy[i] = data[i] != 0 ? (char) data[i] : ' ';
      copy[len] = '\0';
      out = g_utf8_make_valid (copy, len);
      *out_len = strlen (out);
      return out;
    }
  out = convert_to_utf8 ((const char *) data, len, charset, out_len);
  {
    /* the converted text may hold U+0000, which Pango and gumbo's callers dislike */
    for (gsize i = 0; i < *out_len; i++)
      if (out[i] == '\0')
        out[i] = ' ';
    if (!g_utf8_validate (out, *out_len, NULL))
      {
        char *valid = g_utf8_make_valid (out, *out_len);
        g_free (out);
        out = valid;
        *out_len = strlen (out);
      }
  }
  return out;
}

/* ---------------------------------------------------------------- nesting limiter */

static gboolean
is_void_or_implied (const char *name, gsize n)
{
  /* Void elements, and elements whose end tags are implied by the next sibling: they
   * do not make the tree deeper however many there are. */
  static const char *names[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "frame", "image", "isindex", "p", "li", "dt", "dd",
    "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "rb", "rt",
    "rp", "rtc", "html", "head", "body", "caption",
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == n && g_ascii_strncasecmp (names[i], name, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_raw_text (const char *name, gsize n)
{
  static const char *names[] = {
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == n && g_ascii_strncasecmp (names[i], name, n) == 0)
      return TRUE;
  return FALSE;
}

static gsize
find_ci (const char *s, gsize len, gsize from, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = from; i + n <= len; i++)
    if (g_ascii_strncasecmp (s + i, needle, n) == 0)
      return i;
  return len;
}

/* Estimates the nesting depth the way a tokenizer sees it and removes start tags (and
 * their end tags) beyond @max_depth. Returns NULL when nothing had to go. */
char *
bh_document_limit_nesting (const char *src, gsize len, int max_depth, gsize *out_len)
{
  GString *out = NULL;
  gsize copied = 0;
  gsize p = 0;
  int depth = 0, dropped = 0;

  while (p < len)
    {
      const char *lt = memchr (src + p, '<', len - p);
      gsize i, name_start, name_end, tag_end;
      gboolean end_tag, self_closing = FALSE, drop = FALSE;

      if (lt == NULL)
        break;
      i = lt - src;
      if (i + 1 >= len)
        break;
      if (i + 3 < len && memcmp (src + i, "<!--", 4) == 0)
        {
          gsize close = find_ci (src, len, i + 4, "-->");
          p = close < len ? close + 3 : len;
          continue;
        }
      if (src[i + 1] == '!' || src[i + 1] == '?')
        {
          const char *gt = memchr (src + i, '>', len - i);
          p = gt != NULL ? (gsize) (gt - src) + 1 : len;
          continue;
        }
      end_tag = src[i + 1] == '/';
      name_start = i + (end_tag ? 2 : 1);
      if (name_start >= len || !g_ascii_isalpha (src[name_start]))
        {
          p = i + 1;
          continue;
        }
      name_end = name_start;
      while (name_end < len && !g_ascii_isspace (src[name_end]) && src[name_end] != '/' && src[name_end] != '>')
        name_end++;
      /* to the closing '>', over quoted attribute values */
      tag_end = name_end;
      while (tag_end < len && src[tag_end] != '>')
        {
          if (!end_tag && (src[tag_end] == '"' || src[tag_end] == '\'') &&
              tag_end > 0 && src[tag_end - 1] == '=')
            {
              const char *q = memchr (src + tag_end + 1, src[tag_end], len - tag_end - 1);
              tag_end = q != NULL ? (gsize) (q - src) + 1 : len;
              continue;
            }
          tag_end++;
        }
      if (tag_end < len)
        {
          self_closing = src[tag_end - 1] == '/';
          tag_end++;
        }

      if (end_tag)
        {
          if (!is_void_or_implied (src + name_start, name_end - name_start))
            {
              if (dropped > 0)
                {
                  dropped--;
                  drop = TRUE;
                }
              else if (depth > 0)
                depth--;
            }
          p = tag_end;
        }
      else
        {
          gsize n = name_end - name_start;
          p = tag_end;
          if (is_raw_text (src + name_start, n))
            {
              /* its content is text up to the matching end tag */
              g_autofree char *close = g_strdup_printf ("</%.*s", (int) n, src + name_start);
              p = find_ci (src, len, tag_end, close);
              depth++;
            }
          else if (n == 9 && g_ascii_strncasecmp (src + name_start, "plaintext", 9) == 0)
            break;
          else if (!self_closing && !is_void_or_implied (src + name_start, n))
            {
              if (depth >= max_depth)
                {
                  dropped++;
                  drop = TRUE;
                }
              else
                depth++;
            }
        }

      if (drop)
        {
          if (out == NULL)
            out = g_string_sized_new (len);
          g_string_append_len (out, src + copied, i - copied);
          copied = MIN (tag_end, len);
        }
    }

  if (out == NULL)
    return NULL;
  g_string_append_len (out, src + copied, len - copied);
  *out_len = out->len;
  return g_string_free (out, FALSE);
}
