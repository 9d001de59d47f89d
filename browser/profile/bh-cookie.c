/* bh-cookie.c: RFC 6265bis (draft-ietf-httpbis-rfc6265bis-15) without a
 * jar: the Set-Cookie parser (§5.6), the storage model's per-cookie steps
 * (§5.7), cookie dates (§5.1.1) and the domain and path matches (§5.1.3-4).
 *
 * Every input here is a server's or a page's: any bytes, any length. The
 * parser never allocates more than the line's own size and refuses control
 * characters before anything else (tests/fuzz/fuzz-cookie.c).
 */
#include "bh-cookie.h"

#include <libpsl.h>
#include <string.h>

#include <gio/gio.h>

void
bh_cookie_free (BhCookie *cookie)
{
  if (cookie == NULL)
    return;
  g_free (cookie->name);
  g_free (cookie->value);
  g_free (cookie->domain);
  g_free (cookie->path);
  g_free (cookie);
}

BhCookie *
bh_cookie_copy (const BhCookie *cookie)
{
  BhCookie *copy;

  g_return_val_if_fail (cookie != NULL, NULL);

  copy = g_memdup2 (cookie, sizeof *cookie);
  copy->name = g_strdup (cookie->name);
  copy->value = g_strdup (cookie->value);
  copy->domain = g_strdup (cookie->domain);
  copy->path = g_strdup (cookie->path);
  return copy;
}

const char *
bh_cookie_same_site_to_string (BhCookieSameSite same_site)
{
  switch (same_site)
    {
    case BH_COOKIE_SAME_SITE_NONE:   return "none";
    case BH_COOKIE_SAME_SITE_LAX:    return "lax";
    case BH_COOKIE_SAME_SITE_STRICT: return "strict";
    case BH_COOKIE_SAME_SITE_DEFAULT:
    default:                         return "default";
    }
}

/* Dates (§5.1.1) ------------------------------------------------------------ */

static gboolean
is_date_delimiter (guchar c)
{
  return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) ||
         (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}

/* 1*@max DIGIT, then the end or a non-digit. Returns the digits' count, 0 if
 * the token does not start so. */
static guint
leading_number (const char *token, gsize len, guint min, guint max, guint *out)
{
  guint n = 0;
  guint value = 0;

  while (n < len && g_ascii_isdigit (token[n]))
    {
      if (n == max)
        return 0;
      value = value * 10 + (guint) (token[n] - '0');
      n++;
    }
  if (n < min)
    return 0;
  *out = value;
  return n;
}

/* hms-time = time-field ":" time-field ":" time-field, then anything but a
 * digit. */
static gboolean
parse_time_token (const char *t, gsize len, guint *h, guint *m, guint *s)
{
  guint values[3];
  gsize pos = 0;

  for (int i = 0; i < 3; i++)
    {
      guint n = leading_number (t + pos, len - pos, 1, 2, &values[i]);

      if (n == 0)
        return FALSE;
      pos += n;
      if (i < 2)
        {
          if (pos >= len || t[pos] != ':')
            return FALSE;
          pos++;
        }
    }
  *h = values[0];
  *m = values[1];
  *s = values[2];
  return TRUE;
}

gboolean
bh_cookie_parse_date (const char *text,
                      gint64     *out_us)
{
  static const char months[12][4] = { "jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec" };
  gboolean found_time = FALSE, found_day = FALSE, found_month = FALSE, found_year = FALSE;
  guint hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;
  const char *p = text;
  g_autoptr (GDateTime) date = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  while (*p != '\0')
    {
      const char *start;
      gsize len;
      guint value;

      while (*p != '\0' && is_date_delimiter ((guchar) *p))
        p++;
      start = p;
      while (*p != '\0' && !is_date_delimiter ((guchar) *p))
        p++;
      len = (gsize) (p - start);
      if (len == 0)
        continue;

      if (!found_time && parse_time_token (start, len, &hour, &minute, &second))
        found_time = TRUE;
      else if (!found_day && leading_number (start, len, 1, 2, &value) > 0)
        {
          found_day = TRUE;
          day = value;
        }
      else if (!found_month && len >= 3)
        {
          for (guint i = 0; i < 12; i++)
            if (g_ascii_strncasecmp (start, months[i], 3) == 0)
              {
                found_month = TRUE;
                month = i + 1;
                break;
              }
          if (!found_month && !found_year && leading_number (start, len, 2, 4, &value) > 0)
            {
              found_year = TRUE;
              year = value;
            }
        }
      else if (!found_year && leading_number (start, len, 2, 4, &value) > 0)
        {
          found_year = TRUE;
          year = value;
        }
    }

  if (found_year && year >= 70 && year <= 99)
    year += 1900;
  else if (found_year && year <= 69)
    year += 2000;

  if (!found_time || !found_day || !found_month || !found_year || day < 1 || day > 31 ||
      year < 1601 || hour > 23 || minute > 59 || second > 59)
    return FALSE;

  /* GDateTime refuses dates that do not exist (30 February). */
  date = g_date_time_new_utc ((int) year, (int) month, (int) day, (int) hour, (int) minute,
                              (double) second);
  if (date == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (date) * G_USEC_PER_SEC;
  return TRUE;
}

/* Matching (§5.1.3-4) -------------------------------------------------------- */

static gboolean
host_is_ip (const char *host)
{
  return g_hostname_is_ip_address (host);
}

gboolean
bh_cookie_domain_matches (const char *host,
                          const char *domain)
{
  gsize host_len, domain_len;

  if (g_ascii_strcasecmp (host, domain) == 0)
    return TRUE;
  host_len = strlen (host);
  domain_len = strlen (domain);
  return domain_len > 0 && host_len > domain_len &&
         g_ascii_strcasecmp (host + host_len - domain_len, domain) == 0 &&
         host[host_len - domain_len - 1] == '.' && !host_is_ip (host);
}

gboolean
bh_cookie_path_matches (const char *request_path,
                        const char *cookie_path)
{
  gsize len = strlen (cookie_path);

  if (g_str_equal (request_path, cookie_path))
    return TRUE;
  return strncmp (request_path, cookie_path, len) == 0 &&
         (cookie_path[len - 1] == '/' || request_path[len] == '/');
}

gboolean
bh_cookie_url_is_secure (const char *scheme,
                         const char *host)
{
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost") ||
         g_str_has_prefix (host, "127.") || g_str_equal (host, "::1");
}

/* §5.1.4: the directory of the request's path. */
static char *
default_path (const char *path)
{
  const char *last;

  if (path == NULL || path[0] != '/')
    return g_strdup ("/");
  last = strrchr (path, '/');
  if (last == path)
    return g_strdup ("/");
  return g_strndup (path, (gsize) (last - path));
}

/* The parser (§5.6) ----------------------------------------------------------- */

static gboolean
has_control_character (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if ((*p <= 0x08) || (*p >= 0x0a && *p <= 0x1f) || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* Removes leading and trailing SP and HTAB (WSP), in place. */
static char *
strip_wsp (char *text)
{
  char *end;

  while (*text == ' ' || *text == '\t')
    text++;
  end = text + strlen (text);
  while (end > text && (end[-1] == ' ' || end[-1] == '\t'))
    *--end = '\0';
  return text;
}

static const psl_ctx_t *
get_psl (void)
{
  static const psl_ctx_t *psl;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      /* As bh-site.c: the system's list when installed, else libpsl's own. */
      psl = psl_latest (NULL);
      if (psl == NULL)
        psl = psl_builtin ();
      g_once_init_leave (&initialized, 1);
    }
  return psl;
}

gboolean
bh_cookie_is_public_suffix (const char *domain)
{
  return psl_is_public_suffix (get_psl (), domain) != 0;
}

const char *
bh_cookie_registrable_domain (const char *domain)
{
  const char *registrable = psl_registrable_domain (get_psl (), domain);

  return registrable != NULL ? registrable : domain;
}

static BhCookie *
refuse (char **out_reason, const char *format, ...) G_GNUC_PRINTF (2, 3);

static BhCookie *
refuse (char **out_reason, const char *format, ...)
{
  va_list args;

  if (out_reason == NULL)
    return NULL;
  va_start (args, format);
  *out_reason = g_strdup_vprintf (format, args);
  va_end (args);
  return NULL;
}

BhCookie *
bh_cookie_parse (const char    *set_cookie,
                 const char    *url,
                 gint64         now_us,
                 BhCookieSource source,
                 char         **out_reason)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (BhCookie) cookie = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *request_host = NULL;
  g_autofree char *domain_attribute = NULL;
  g_autofree char *path_attribute = NULL;
  gboolean have_max_age = FALSE;
  gboolean have_expires = FALSE;
  gint64 max_age_expiry = 0;
  gint64 expires_expiry = 0;
  gboolean secure_origin;
  char *pair;
  char *attributes;
  char *eq;

  g_return_val_if_fail (set_cookie != NULL && url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return refuse (out_reason, "the page's address has no host");
  request_host = g_ascii_strdown (g_uri_get_host (uri), -1);
  secure_origin = bh_cookie_url_is_secure (g_uri_get_scheme (uri), request_host);

  /* §5.6 step 1: a control character anywhere ignores the whole line. */
  if (has_control_character (set_cookie))
    return refuse (out_reason, "the line holds a control character");

  copy = g_strdup (set_cookie);
  attributes = strchr (copy, ';');
  if (attributes != NULL)
    *attributes++ = '\0';
  pair = copy;

  cookie = g_new0 (BhCookie, 1);
  eq = strchr (pair, '=');
  if (eq == NULL)
    {
      cookie->name = g_strdup ("");
      cookie->value = g_strdup (strip_wsp (pair));
    }
  else
    {
      *eq = '\0';
      cookie->name = g_strdup (strip_wsp (pair));
      cookie->value = g_strdup (strip_wsp (eq + 1));
    }
  if (*cookie->name == '\0' && *cookie->value == '\0')
    return refuse (out_reason, "the cookie has neither a name nor a value");
  if (strlen (cookie->name) + strlen (cookie->value) > BH_COOKIE_MAX_NAME_VALUE_BYTES)
    return refuse (out_reason, "the name and value are longer than %d bytes",
                   BH_COOKIE_MAX_NAME_VALUE_BYTES);
  cookie->same_site = BH_COOKIE_SAME_SITE_DEFAULT;

  /* §5.6 step 6: the attributes, each "name[=value]", the last of a name
   * winning. */
  while (attributes != NULL)
    {
      char *av = attributes;
      char *name;
      char *value;

      attributes = strchr (av, ';');
      if (attributes != NULL)
        *attributes++ = '\0';
      eq = strchr (av, '=');
      if (eq != NULL)
        {
          *eq = '\0';
          value = strip_wsp (eq + 1);
        }
      else
        value = av + strlen (av);
      name = strip_wsp (av);
      if (strlen (value) > BH_COOKIE_MAX_ATTRIBUTE_BYTES)
        continue;

      if (g_ascii_strcasecmp (name, "Expires") == 0)
        {
          gint64 when;

          if (bh_cookie_parse_date (value, &when))
            {
              have_expires = TRUE;
              expires_expiry = when;
            }
        }
      else if (g_ascii_strcasecmp (name, "Max-Age") == 0)
        {
          gint64 seconds;
          const char *digits = value[0] == '-' ? value + 1 : value;
          gboolean valid = *digits != '\0';

          for (const char *d = digits; *d != '\0'; d++)
            if (!g_ascii_isdigit (*d))
              valid = FALSE;
          if (!valid)
            continue;
          have_max_age = TRUE;
          if (value[0] == '-' || strlen (digits) > 12)
            seconds = value[0] == '-' ? 0 : BH_COOKIE_MAX_AGE_S;
          else
            seconds = g_ascii_strtoll (digits, NULL, 10);
          /* "0" or less: the earliest time there is, i.e. already expired. */
          max_age_expiry = seconds <= 0 ? 1 : now_us + MIN (seconds, BH_COOKIE_MAX_AGE_S) * G_USEC_PER_SEC;
        }
      else if (g_ascii_strcasecmp (name, "Domain") == 0)
        {
          const char *d = value[0] == '.' ? value + 1 : value;

          g_clear_pointer (&domain_attribute, g_free);
          if (*d != '\0')
            domain_attribute = g_ascii_strdown (d, -1);
        }
      else if (g_ascii_strcasecmp (name, "Path") == 0)
        {
          g_clear_pointer (&path_attribute, g_free);
          if (value[0] == '/')
            path_attribute = g_strdup (value);
        }
      else if (g_ascii_strcasecmp (name, "Secure") == 0)
        cookie->secure = TRUE;
      else if (g_ascii_strcasecmp (name, "HttpOnly") == 0)
        cookie->http_only = TRUE;
      else if (g_ascii_strcasecmp (name, "SameSite") == 0)
        {
          if (g_ascii_strcasecmp (value, "None") == 0)
            cookie->same_site = BH_COOKIE_SAME_SITE_NONE;
          else if (g_ascii_strcasecmp (value, "Strict") == 0)
            cookie->same_site = BH_COOKIE_SAME_SITE_STRICT;
          else if (g_ascii_strcasecmp (value, "Lax") == 0)
            cookie->same_site = BH_COOKIE_SAME_SITE_LAX;
          else
            cookie->same_site = BH_COOKIE_SAME_SITE_DEFAULT;
        }
    }

  /* §5.7 step 3: Max-Age wins over Expires; neither is a session cookie.
   * Both are cut to 400 days. */
  cookie->creation_us = now_us;
  cookie->last_access_us = now_us;
  if (have_max_age)
    cookie->expiry_us = max_age_expiry;
  else if (have_expires)
    cookie->expiry_us = MAX (1, MIN (expires_expiry, now_us + BH_COOKIE_MAX_AGE_S * G_USEC_PER_SEC));

  /* Steps 5-6: the domain, refused when it is a public suffix. */
  if (domain_attribute != NULL)
    {
      if (host_is_ip (request_host) || host_is_ip (domain_attribute))
        {
          if (!g_str_equal (domain_attribute, request_host))
            return refuse (out_reason, "Domain=%s does not match the address %s", domain_attribute,
                           request_host);
          cookie->host_only = TRUE;
          cookie->domain = g_strdup (request_host);
        }
      else if (bh_cookie_is_public_suffix (domain_attribute))
        {
          if (!g_str_equal (domain_attribute, request_host))
            return refuse (out_reason, "Domain=%s is a public suffix", domain_attribute);
          cookie->host_only = TRUE;
          cookie->domain = g_strdup (request_host);
        }
      else if (!bh_cookie_domain_matches (request_host, domain_attribute))
        return refuse (out_reason, "Domain=%s does not match the host %s", domain_attribute,
                       request_host);
      else
        cookie->domain = g_strdup (domain_attribute);
    }
  else
    {
      cookie->host_only = TRUE;
      cookie->domain = g_strdup (request_host);
    }

  /* Step 7. */
  cookie->path = path_attribute != NULL ? g_steal_pointer (&path_attribute)
                                        : default_path (g_uri_get_path (uri));

  /* Steps 8-10: Secure only from a secure origin; HttpOnly only from HTTP;
   * SameSite=None only with Secure (Chromium; §5.7 step 16 of later drafts). */
  if (cookie->secure && !secure_origin)
    return refuse (out_reason, "a Secure cookie from an insecure page");
  if (cookie->http_only && source != BH_COOKIE_SOURCE_HTTP)
    return refuse (out_reason, "an HttpOnly cookie from a script");
  if (cookie->same_site == BH_COOKIE_SAME_SITE_NONE && !cookie->secure)
    return refuse (out_reason, "SameSite=None without Secure");

  /* Steps 19-20: the name prefixes (case-insensitive, as in later drafts). */
  if (g_ascii_strncasecmp (cookie->name, "__Secure-", 9) == 0 && (!cookie->secure || !secure_origin))
    return refuse (out_reason, "a __Secure- cookie must be Secure and come from a secure page");
  if (g_ascii_strncasecmp (cookie->name, "__Host-", 7) == 0 &&
      (!cookie->secure || !secure_origin || !cookie->host_only || !g_str_equal (cookie->path, "/")))
    return refuse (out_reason, "a __Host- cookie must be Secure, host-only and for Path=/");

  return g_steal_pointer (&cookie);
}
