/* bh-http-response.c: a server's words, held to what the rest of the
 * browser assumes (docs/architecture.md, "Responses from the network"):
 * request targets, host names, Location headers, charsets, and text made
 * fit for messages. Pure functions, no I/O, so that the fuzzers and the
 * cookie and cache code can use them on their own.
 */
#include "bh-http-response.h"

#include <gio/gio.h>
#include <string.h>

/* GUri has already turned IDNs into ASCII; what remains must be letters,
 * digits, "-", "_" and dots (RFC 1123, plus the "_" real DNS carries), or
 * an IP literal. */
gboolean
bh_http_host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

/* Escapes what may not appear raw in a request line (RFC 9112 §3.2). */
char *
bh_http_escape_request_target (const char *path,
                       const char *query)
{
  GString *out = g_string_new (NULL);

  for (const char *p = *path != '\0' ? path : "/"; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c >= 0x7f)
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
  if (query != NULL)
    {
      g_string_append_c (out, '?');
      for (const char *p = query; *p != '\0'; p++)
        {
          guchar c = (guchar) *p;

          if (c <= 0x20 || c >= 0x7f)
            g_string_append_printf (out, "%%%02X", c);
          else
            g_string_append_c (out, (char) c);
        }
    }

  return g_string_free (out, FALSE);
}

gboolean
bh_http_charset_is_label (const char *charset)
{
  if (*charset == '\0')
    return FALSE;
  for (const char *p = charset; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

/* A server's words in our messages (a Location, a content encoding): shown
 * on the error page and sent to clients as UTF-8, so bytes that are not
 * UTF-8 or are control characters become U+FFFD, and the text is cut at
 * 200 characters (found by tests/fuzz/fuzz-http.c). */
char *
bh_http_printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint chars = 0; *p != '\0' && chars < 200; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c < 0x20 || c == 0x7f ? 0xfffd : c);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A Location as the URL Standard's parser takes it: bytes outside printable
 * ASCII are percent-encoded (a non-ASCII host then fails as a host, as an
 * unencoded IDN from a server should). GUri keeps such bytes raw, and a URL
 * that is not UTF-8 would reach the renderer's CommitNavigation and the
 * window as a string GLib refuses. */
static char *
escape_location (const char *location)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) location; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* The URL a Location leads to from @base, or %NULL with *@out_scheme the
 * scheme it named (%NULL if none), when it is not an http or https URL with
 * a host name. Parsed, checked, then joined: g_uri_resolve_relative() joins
 * what relaxed parsing makes of "http://a;b/1 c" (a host and a path without
 * "/") and fails a GLib assertion doing it (found by tests/fuzz/fuzz-http.c). */
char *
bh_http_resolve_location (const char *base, const char *location, const char **out_scheme)
{
  const GUriFlags flags = G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED;
  g_autofree char *escaped = escape_location (location);
  g_autoptr (GUri) base_uri = g_uri_parse (base, flags, NULL);
  g_autoptr (GUri) uri = NULL;
  const char *host;
  const char *path;

  *out_scheme = NULL;
  if (base_uri == NULL)
    return NULL;
  uri = g_uri_parse_relative (base_uri, escaped, flags, NULL);
  if (uri == NULL)
    return NULL;
  *out_scheme = g_str_equal (g_uri_get_scheme (uri), "https") ? "https"
                : g_str_equal (g_uri_get_scheme (uri), "http") ? "http"
                : "other";
  if (g_str_equal (*out_scheme, "other"))
    return NULL;
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (host == NULL || *host == '\0' || !bh_http_host_is_valid (host) ||
      (*path != '\0' && *path != '/'))
    {
      *out_scheme = NULL;
      return NULL;
    }
  return g_uri_to_string (uri);
}

gboolean
bh_http_status_is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}
