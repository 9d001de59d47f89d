/* bh-mime.c: "parse a MIME type" (MIME Sniffing Standard §4.4) and
 * "extract a MIME type" (Fetch Standard §3.1.6), step by step as written.
 * Input is bytes: each byte is one code point (isomorphic decoding), so
 * nothing here needs UTF-8.
 */
#include "bh-mime.h"

#include <string.h>

void
bh_mime_type_free (BhMimeType *type)
{
  if (type == NULL)
    return;
  g_free (type->essence);
  g_free (type->charset);
  g_free (type);
}

/* Infra and Fetch's code point classes. */

static gboolean
is_http_whitespace (guchar c)
{
  return c == '\n' || c == '\r' || c == '\t' || c == ' ';
}

static gboolean
is_http_tab_or_space (guchar c)
{
  return c == '\t' || c == ' ';
}

static gboolean
is_http_token (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static gboolean
is_http_quoted_string_token (guchar c)
{
  return c == '\t' || (c >= 0x20 && c <= 0x7e) || c >= 0x80;
}

static gboolean
all_http_token (const GString *s)
{
  for (gsize i = 0; i < s->len; i++)
    if (!is_http_token ((guchar) s->str[i]))
      return FALSE;
  return TRUE;
}

/* A cursor over the input (Infra's "position variable"). */
typedef struct {
  const guchar *p;
  const guchar *end;
} Cursor;

static gboolean
past_end (const Cursor *c)
{
  return c->p >= c->end;
}

/* Collects code points up to (not including) any of @stops. */
static void
collect_until (Cursor *c, const char *stops, GString *out)
{
  while (!past_end (c) && (*c->p == '\0' || strchr (stops, *c->p) == NULL))
    g_string_append_c (out, (char) *c->p++);
}

static void
trim_trailing (GString *s, gboolean (*is_space) (guchar))
{
  while (s->len > 0 && is_space ((guchar) s->str[s->len - 1]))
    g_string_truncate (s, s->len - 1);
}

/* Fetch's "collect an HTTP quoted string" at a '"'. With @extract_value the
 * unescaped contents, otherwise the code points as they are, quotes
 * included. */
static void
collect_quoted_string (Cursor *c, gboolean extract_value, GString *out)
{
  const guchar *start = c->p;
  g_autoptr (GString) value = g_string_new (NULL);

  g_assert (!past_end (c) && *c->p == '"');
  c->p++;
  for (;;)
    {
      guchar quote_or_backslash;

      collect_until (c, "\"\\", value);
      if (past_end (c))
        break;
      quote_or_backslash = *c->p++;
      if (quote_or_backslash == '\\')
        {
          if (past_end (c))
            {
              g_string_append_c (value, '\\');
              break;
            }
          g_string_append_c (value, (char) *c->p++);
        }
      else
        break;
    }
  if (extract_value)
    g_string_append_len (out, value->str, (gssize) value->len);
  else
    g_string_append_len (out, (const char *) start, c->p - start);
}

BhMimeType *
bh_mime_type_parse (const char *text, gssize length)
{
  g_autoptr (GString) type = g_string_new (NULL);
  g_autoptr (GString) subtype = g_string_new (NULL);
  g_autofree char *charset = NULL;
  gboolean have_charset = FALSE;
  BhMimeType *result;
  Cursor c;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  c.p = (const guchar *) text;
  c.end = c.p + length;

  /* 1. Leading and trailing HTTP whitespace. */
  while (!past_end (&c) && is_http_whitespace (*c.p))
    c.p++;
  while (c.end > c.p && is_http_whitespace (c.end[-1]))
    c.end--;

  /* 3-6. The type, up to "/". */
  collect_until (&c, "/", type);
  if (type->len == 0 || !all_http_token (type) || past_end (&c))
    return NULL;
  c.p++;

  /* 7-9. The subtype, up to ";". */
  collect_until (&c, ";", subtype);
  trim_trailing (subtype, is_http_whitespace);
  if (subtype->len == 0 || !all_http_token (subtype))
    return NULL;

  /* 11. Parameters; only charset is kept, the first valid one. */
  while (!past_end (&c))
    {
      g_autoptr (GString) name = g_string_new (NULL);
      g_autoptr (GString) value = g_string_new (NULL);
      gboolean value_ok = TRUE;

      c.p++; /* ";" */
      while (!past_end (&c) && is_http_whitespace (*c.p))
        c.p++;
      collect_until (&c, ";=", name);
      for (gsize i = 0; i < name->len; i++)
        name->str[i] = g_ascii_tolower (name->str[i]);
      if (!past_end (&c))
        {
          if (*c.p == ';')
            continue;
          c.p++; /* "=" */
        }
      if (past_end (&c))
        break;
      if (*c.p == '"')
        {
          g_autoptr (GString) ignored = g_string_new (NULL);

          collect_quoted_string (&c, TRUE, value);
          collect_until (&c, ";", ignored);
        }
      else
        {
          collect_until (&c, ";", value);
          trim_trailing (value, is_http_whitespace);
          if (value->len == 0)
            continue;
        }
      for (gsize i = 0; i < value->len; i++)
        value_ok &= is_http_quoted_string_token ((guchar) value->str[i]);
      if (name->len > 0 && all_http_token (name) && value_ok &&
          g_str_equal (name->str, "charset") && !have_charset)
        {
          have_charset = TRUE;
          /* A nul byte cannot be in a value (it is no quoted-string token
           * code point), so the C string is the whole value. */
          charset = g_ascii_strdown (value->str, (gssize) value->len);
        }
    }

  result = g_new0 (BhMimeType, 1);
  result->essence = g_ascii_strdown (type->str, (gssize) type->len);
  {
    g_autofree char *lower_subtype = g_ascii_strdown (subtype->str, (gssize) subtype->len);
    char *essence = g_strconcat (result->essence, "/", lower_subtype, NULL);

    g_free (result->essence);
    result->essence = essence;
  }
  result->charset = g_steal_pointer (&charset);
  return result;
}

GStrv
bh_mime_split_header_value (const char *value)
{
  g_autoptr (GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr (GString) temporary = g_string_new (NULL);
  Cursor c;

  g_return_val_if_fail (value != NULL, NULL);

  c.p = (const guchar *) value;
  c.end = c.p + strlen (value);
  while (!past_end (&c))
    {
      gsize start;

      collect_until (&c, "\",", temporary);
      if (!past_end (&c))
        {
          if (*c.p == '"')
            {
              collect_quoted_string (&c, FALSE, temporary);
              if (!past_end (&c))
                continue;
            }
          else
            c.p++; /* "," */
        }
      /* Trim HTTP tab or space at both ends. */
      trim_trailing (temporary, is_http_tab_or_space);
      for (start = 0; start < temporary->len && is_http_tab_or_space ((guchar) temporary->str[start]);
           start++)
        ;
      g_strv_builder_add (values, temporary->str + start);
      g_string_truncate (temporary, 0);
    }
  return g_strv_builder_end (values);
}

BhMimeExtraction
bh_mime_extract (const char *content_type, BhMimeType **out_type)
{
  g_auto (GStrv) values = NULL;
  g_autoptr (BhMimeType) mime_type = NULL;
  g_autofree char *charset = NULL;
  g_autofree char *essence = NULL;
  gboolean conflict = FALSE;

  g_return_val_if_fail (content_type != NULL, BH_MIME_FAILURE);

  values = bh_mime_split_header_value (content_type);
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autoptr (BhMimeType) temporary = bh_mime_type_parse (values[i], -1);

      if (temporary == NULL || g_str_equal (temporary->essence, "*/*"))
        continue;
      g_clear_pointer (&mime_type, bh_mime_type_free);
      mime_type = g_steal_pointer (&temporary);
      if (g_strcmp0 (mime_type->essence, essence) != 0)
        {
          conflict |= essence != NULL;
          g_clear_pointer (&charset, g_free);
          charset = g_strdup (mime_type->charset);
          g_free (essence);
          essence = g_strdup (mime_type->essence);
        }
      else if (mime_type->charset == NULL && charset != NULL)
        mime_type->charset = g_strdup (charset);
    }

  if (out_type != NULL)
    *out_type = mime_type != NULL ? g_steal_pointer (&mime_type) : NULL;
  if (essence == NULL)
    return BH_MIME_FAILURE;
  return conflict ? BH_MIME_CONFLICT : BH_MIME_EXTRACTED;
}

gboolean
bh_mime_is_essence (const char *text)
{
  const char *slash;

  if (text == NULL)
    return FALSE;
  slash = strchr (text, '/');
  if (slash == NULL || slash == text || slash[1] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (p == slash)
        continue;
      if (!is_http_token ((guchar) *p) || g_ascii_isupper (*p))
        return FALSE;
    }
  return TRUE;
}
