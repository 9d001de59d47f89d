/* bh-http-parser.c: an HTTP/1.1 response as it arrives (RFC 9112). The
 * head is gathered whole (at most BH_HTTP_MAX_HEAD_BYTES) and then split
 * into fields; the body passes through without being kept, its chunk
 * framing removed.
 */
#include "bh-http-parser.h"

#include <string.h>

G_DEFINE_QUARK (bh-http-parse-error-quark, bh_http_parse_error)

typedef enum {
  STATE_HEAD,        /* the status line and fields, gathered in ->head */
  STATE_LENGTH,      /* ->remaining bytes of body */
  STATE_CLOSE,       /* the body ends with the connection */
  STATE_CHUNK_SIZE,  /* a chunk-size line, gathered in ->head */
  STATE_CHUNK_DATA,  /* ->remaining bytes of the chunk */
  STATE_CHUNK_END,   /* the CRLF after a chunk's data */
  STATE_TRAILER,     /* trailer fields until an empty line, gathered in ->head */
  STATE_DONE,
} State;

typedef struct {
  char *name;  /* lower case */
  char *value; /* surrounding white space removed */
} Field;

struct _BhHttpParser {
  gboolean head_request;
  State state;
  GByteArray *head;      /* the head, a chunk-size line or the trailer so far */
  gsize scanned;         /* of ->head, searched for its end already */
  guint interim_count;
  guint status;
  guint version_minor;   /* HTTP/1.x */
  GArray *fields;        /* Field */
  gboolean chunked;
  gint64 content_length; /* -1: none */
  guint64 remaining;
  gboolean reusable;     /* the head allows another request after this one */
  gsize trailer_bytes;
};

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_free (field->value);
}

BhHttpParser *
bh_http_parser_new (gboolean head_request)
{
  BhHttpParser *parser = g_new0 (BhHttpParser, 1);

  parser->head_request = head_request;
  parser->state = STATE_HEAD;
  parser->head = g_byte_array_new ();
  parser->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (parser->fields, field_clear);
  parser->content_length = -1;
  return parser;
}

void
bh_http_parser_free (BhHttpParser *parser)
{
  if (parser == NULL)
    return;
  g_clear_pointer (&parser->head, g_byte_array_unref);
  g_clear_pointer (&parser->fields, g_array_unref);
  g_free (parser);
}

/* RFC 9110 §5.6.2: tchar. */
static gboolean
is_token_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The lines of ->head up to its empty line (@end bytes), each without its
 * CRLF or LF. */
static char **
split_lines (const guint8 *data, gsize end)
{
  g_autofree char *text = g_strndup ((const char *) data, end);
  char **lines = g_strsplit (text, "\n", -1);

  for (char **l = lines; *l != NULL; l++)
    {
      gsize n = strlen (*l);

      if (n > 0 && (*l)[n - 1] == '\r')
        (*l)[n - 1] = '\0';
    }
  return lines;
}

/* "HTTP/1.1 200 OK": HTTP/1.x, three digits, then a space or nothing. */
static gboolean
parse_status_line (BhHttpParser *parser, const char *line)
{
  if (!g_str_has_prefix (line, "HTTP/1.") || !g_ascii_isdigit (line[7]) || line[8] != ' ')
    return FALSE;
  parser->version_minor = (guint) (line[7] - '0');
  line += 9;
  while (*line == ' ')
    line++;
  if (!g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      (line[3] != '\0' && line[3] != ' '))
    return FALSE;
  parser->status = (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
  return parser->status >= 100 && parser->status <= 599;
}

static gboolean
parse_field_line (GArray *fields, const char *line)
{
  const char *colon = strchr (line, ':');
  Field field;

  if (colon == NULL || colon == line)
    return FALSE;
  for (const char *p = line; p < colon; p++)
    if (!is_token_char ((guchar) *p))
      return FALSE;
  /* A value has no CR, LF or NUL (RFC 9110 §5.5); the split took the LFs,
   * and a CR left inside is a bare CR. */
  if (strchr (colon + 1, '\r') != NULL)
    return FALSE;
  field.name = g_ascii_strdown (line, colon - line);
  field.value = g_strstrip (g_strdup (colon + 1));
  g_array_append_val (fields, field);
  return TRUE;
}

static gboolean
set_error (GError **error, BhHttpParseError code, const char *message)
{
  g_set_error_literal (error, BH_HTTP_PARSE_ERROR_DOMAIN, code, message);
  return FALSE;
}

/* Whether @list (a field value, comma separated) has @token. */
static gboolean
list_has_token (const char *list, const char *token)
{
  g_auto (GStrv) items = list != NULL ? g_strsplit (list, ",", -1) : NULL;

  for (char **i = items; i != NULL && *i != NULL; i++)
    if (g_ascii_strcasecmp (g_strstrip (*i), token) == 0)
      return TRUE;
  return FALSE;
}

/* RFC 9112 §6.3: how the body's end is known, from the final head. */
static gboolean
choose_framing (BhHttpParser *parser, GError **error)
{
  g_autofree char *transfer_encoding = bh_http_parser_get_header (parser, "transfer-encoding");
  g_autofree char *content_length = bh_http_parser_get_header (parser, "content-length");
  g_autofree char *connection = bh_http_parser_get_header (parser, "connection");

  parser->reusable = parser->version_minor >= 1 ? !list_has_token (connection, "close")
                                                : list_has_token (connection, "keep-alive");

  if (parser->head_request || parser->status == 204 || parser->status == 304)
    {
      parser->state = STATE_DONE;
      return TRUE;
    }

  if (transfer_encoding != NULL)
    {
      g_auto (GStrv) codings = g_strsplit (transfer_encoding, ",", -1);
      guint n = g_strv_length (codings);

      /* Both: the length is ignored and the connection closed after (§6.1). */
      if (content_length != NULL)
        parser->reusable = FALSE;
      if (n > 0 && g_ascii_strcasecmp (g_strstrip (codings[n - 1]), "chunked") == 0)
        {
          parser->chunked = TRUE;
          parser->state = STATE_CHUNK_SIZE;
        }
      else
        {
          parser->reusable = FALSE;
          parser->state = STATE_CLOSE;
        }
      return TRUE;
    }

  if (content_length != NULL)
    {
      g_auto (GStrv) values = g_strsplit (content_length, ",", -1);
      gint64 length = -1;

      for (char **v = values; *v != NULL; v++)
        {
          guint64 value;
          char *text = g_strstrip (*v);

          /* Digits only: g_ascii_string_to_unsigned() also takes "+1". */
          if (*text == '\0' || strspn (text, "0123456789") != strlen (text) ||
              !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL) ||
              (length >= 0 && (guint64) length != value))
            return set_error (error, BH_HTTP_PARSE_ERROR_LENGTH, "an invalid Content-Length");
          length = (gint64) value;
        }
      parser->content_length = length;
      parser->remaining = (guint64) length;
      parser->state = length == 0 ? STATE_DONE : STATE_LENGTH;
      return TRUE;
    }

  parser->reusable = FALSE;
  parser->state = STATE_CLOSE;
  return TRUE;
}

/* ->head holds a whole head of @end bytes: the status line and fields. */
static gboolean
parse_head (BhHttpParser *parser, gsize end, GError **error)
{
  g_auto (GStrv) lines = NULL;

  if (memchr (parser->head->data, '\0', end) != NULL)
    return set_error (error, BH_HTTP_PARSE_ERROR_HEAD, "a NUL byte in the head");
  lines = split_lines (parser->head->data, end);
  if (!parse_status_line (parser, lines[0]))
    return set_error (error, BH_HTTP_PARSE_ERROR_STATUS, "no valid status line");
  g_array_set_size (parser->fields, 0);
  for (char **l = lines + 1; *l != NULL; l++)
    {
      if (**l == '\0')
        continue;
      /* obs-fold (RFC 9112 §5.2): a continuation joins the field before. */
      if ((**l == ' ' || **l == '\t') && parser->fields->len > 0)
        {
          Field *last = &g_array_index (parser->fields, Field, parser->fields->len - 1);
          char *joined = g_strconcat (last->value, " ", g_strstrip (*l), NULL);

          g_free (last->value);
          last->value = joined;
          continue;
        }
      if (!parse_field_line (parser->fields, *l))
        return set_error (error, BH_HTTP_PARSE_ERROR_HEAD, "a header field that is not valid");
    }
  return TRUE;
}

/* Where the lines gathered in ->head end with an empty line: the offset
 * just past it, or 0 when it has not come yet. */
static gsize
find_empty_line (BhHttpParser *parser)
{
  const guint8 *d = parser->head->data;
  gsize n = parser->head->len;

  for (gsize i = parser->scanned; i < n; i++)
    if (d[i] == '\n')
      {
        if (i >= 1 && d[i - 1] == '\n')
          return i + 1;
        if (i >= 2 && d[i - 1] == '\r' && d[i - 2] == '\n')
          return i + 1;
        /* The head's first line alone is empty: a blank line before a
         * status line is no head (a server's stray CRLF after a body is
         * tolerated, RFC 9112 §2.2). */
        if ((i == 0 || (i == 1 && d[0] == '\r')) && parser->state == STATE_HEAD)
          {
            g_byte_array_remove_range (parser->head, 0, (guint) (i + 1));
            parser->scanned = 0;
            return find_empty_line (parser);
          }
        if ((i == 0 || (i == 1 && d[0] == '\r')) && parser->state == STATE_TRAILER)
          return i + 1;
      }
  parser->scanned = n;
  return 0;
}

/* Takes bytes of a head (or trailer) from @data into ->head until its
 * empty line: returns how many, and *@end the head's length once whole. */
static gssize
gather_lines (BhHttpParser *parser, const guint8 *data, gsize len, gsize *end, GError **error)
{
  gsize before = parser->head->len;
  gsize take = MIN (len, BH_HTTP_MAX_HEAD_BYTES + 1 - before);
  gsize found;

  g_byte_array_append (parser->head, data, (guint) take);
  found = find_empty_line (parser);
  if (found == 0)
    {
      if (parser->head->len > BH_HTTP_MAX_HEAD_BYTES)
        {
          set_error (error, BH_HTTP_PARSE_ERROR_HEAD, "headers longer than 32 KiB");
          return -1;
        }
      *end = 0;
      return (gssize) take;
    }
  *end = found;
  /* What came after the empty line is not the head's: give it back. The
   * head may have lost a stray leading line meanwhile, so count from its
   * length, not from @before. */
  return (gssize) take - (gssize) (parser->head->len - found);
}

static gboolean
parse_chunk_size (BhHttpParser *parser, gsize end, GError **error)
{
  const char *p = (const char *) parser->head->data;
  const char *stop = p + end;
  guint64 size = 0;
  gboolean digits = FALSE;

  for (; p < stop && g_ascii_isxdigit (*p); p++)
    {
      if (size > G_MAXINT64 / 16)
        return set_error (error, BH_HTTP_PARSE_ERROR_CHUNKS, "a chunk size too large");
      size = size * 16 + (guint64) g_ascii_xdigit_value (*p);
      digits = TRUE;
    }
  while (p < stop && (*p == ' ' || *p == '\t'))
    p++;
  /* Extensions are ignored (§7.1.1); anything else after the size is not one. */
  if (!digits || (p < stop && *p != ';' && *p != '\r' && *p != '\n'))
    return set_error (error, BH_HTTP_PARSE_ERROR_CHUNKS, "a malformed chunk size");
  parser->remaining = size;
  parser->state = size == 0 ? STATE_TRAILER : STATE_CHUNK_DATA;
  parser->trailer_bytes = 0;
  return TRUE;
}

BhHttpParseResult
bh_http_parser_feed (BhHttpParser *parser,
                     const guint8 *data,
                     gsize         len,
                     gsize        *consumed,
                     GByteArray   *body,
                     GError      **error)
{
  gsize used = 0;

  g_return_val_if_fail (parser != NULL && consumed != NULL, BH_HTTP_PARSE_ERROR);

  while (used < len || parser->state == STATE_DONE)
    {
      const guint8 *p = data + used;
      gsize n = len - used;
      gsize end = 0;
      gssize took;

      switch (parser->state)
        {
        case STATE_DONE:
          *consumed = used;
          return BH_HTTP_PARSE_DONE;

        case STATE_HEAD:
          took = gather_lines (parser, p, n, &end, error);
          if (took < 0)
            goto failed;
          used += (gsize) took;
          if (end == 0)
            break;
          if (!parse_head (parser, end, error))
            goto failed;
          g_byte_array_set_size (parser->head, 0);
          parser->scanned = 0;
          if (parser->status == 101)
            {
              set_error (error, BH_HTTP_PARSE_ERROR_STATUS, "101 Switching Protocols, which was not asked");
              goto failed;
            }
          if (parser->status < 200)
            {
              if (++parser->interim_count > BH_HTTP_MAX_INTERIM_RESPONSES)
                {
                  set_error (error, BH_HTTP_PARSE_ERROR_STATUS, "too many 1xx responses");
                  goto failed;
                }
              break;
            }
          if (!choose_framing (parser, error))
            goto failed;
          *consumed = used;
          return BH_HTTP_PARSE_HEAD;

        case STATE_LENGTH:
          {
            gsize take = (gsize) MIN ((guint64) n, parser->remaining);

            g_byte_array_append (body, p, (guint) take);
            used += take;
            parser->remaining -= take;
            if (parser->remaining == 0)
              parser->state = STATE_DONE;
            break;
          }

        case STATE_CLOSE:
          g_byte_array_append (body, p, (guint) n);
          used += n;
          break;

        case STATE_CHUNK_SIZE:
          {
            const guint8 *lf = memchr (p, '\n', n);
            gsize take = lf != NULL ? (gsize) (lf - p) + 1 : n;

            if (parser->head->len + take > BH_HTTP_MAX_CHUNK_LINE_BYTES)
              {
                set_error (error, BH_HTTP_PARSE_ERROR_CHUNKS, "a chunk-size line too long");
                goto failed;
              }
            g_byte_array_append (parser->head, p, (guint) take);
            used += take;
            if (lf == NULL)
              break;
            if (!parse_chunk_size (parser, parser->head->len, error))
              goto failed;
            g_byte_array_set_size (parser->head, 0);
            break;
          }

        case STATE_CHUNK_DATA:
          {
            gsize take = (gsize) MIN ((guint64) n, parser->remaining);

            g_byte_array_append (body, p, (guint) take);
            used += take;
            parser->remaining -= take;
            if (parser->remaining == 0)
              {
                parser->state = STATE_CHUNK_END;
                parser->remaining = 0; /* the CR seen, in CHUNK_END */
              }
            break;
          }

        case STATE_CHUNK_END:
          /* CRLF, or a bare LF. */
          if (*p == '\r' && parser->remaining == 0)
            {
              parser->remaining = 1;
              used++;
              break;
            }
          if (*p == '\n')
            {
              used++;
              parser->remaining = 0;
              parser->state = STATE_CHUNK_SIZE;
              break;
            }
          set_error (error, BH_HTTP_PARSE_ERROR_CHUNKS, "a chunk longer than its size");
          goto failed;

        case STATE_TRAILER:
          took = gather_lines (parser, p, n, &end, error);
          if (took < 0)
            goto failed;
          used += (gsize) took;
          if (end != 0)
            {
              /* Trailer fields are not merged into the head (RFC 9110 §6.5.1). */
              g_byte_array_set_size (parser->head, 0);
              parser->scanned = 0;
              parser->state = STATE_DONE;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  *consumed = used;
  return BH_HTTP_PARSE_MORE;

failed:
  *consumed = used;
  return BH_HTTP_PARSE_ERROR;
}

gboolean
bh_http_parser_finish (BhHttpParser *parser,
                       GError      **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  if (parser->state == STATE_CLOSE)
    parser->state = STATE_DONE;
  if (parser->state == STATE_DONE)
    return TRUE;
  return set_error (error, BH_HTTP_PARSE_ERROR_TRUNCATED,
                    parser->state == STATE_HEAD ? "the connection ended inside the head"
                                                : "the connection ended inside the body");
}

guint
bh_http_parser_get_status (const BhHttpParser *parser)
{
  return parser->status;
}

char *
bh_http_parser_get_header (const BhHttpParser *parser,
                           const char         *name)
{
  GString *joined = NULL;

  for (guint i = 0; i < parser->fields->len; i++)
    {
      const Field *field = &g_array_index (parser->fields, Field, i);

      if (g_ascii_strcasecmp (field->name, name) != 0)
        continue;
      if (joined == NULL)
        joined = g_string_new (field->value);
      else
        g_string_append_printf (joined, ", %s", field->value);
    }
  return joined != NULL ? g_string_free (joined, FALSE) : NULL;
}

char **
bh_http_parser_get_header_lines (const BhHttpParser *parser,
                                 const char         *name)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **lines;

  for (guint i = 0; i < parser->fields->len; i++)
    {
      const Field *field = &g_array_index (parser->fields, Field, i);

      if (g_ascii_strcasecmp (field->name, name) == 0)
        g_strv_builder_add (builder, field->value);
    }
  lines = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return lines;
}

gboolean
bh_http_parser_is_chunked (const BhHttpParser *parser)
{
  return parser->chunked;
}

gint64
bh_http_parser_get_content_length (const BhHttpParser *parser)
{
  return parser->chunked ? -1 : parser->content_length;
}

gboolean
bh_http_parser_is_complete (const BhHttpParser *parser)
{
  return parser->state == STATE_DONE;
}

gboolean
bh_http_parser_keeps_alive (const BhHttpParser *parser)
{
  return parser->state == STATE_DONE && parser->reusable;
}
