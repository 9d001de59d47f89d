/* fuzz-cookie: libFuzzer target for the cookie parser and jar
 * (browser/profile/bh-cookie.c, bh-cookie-jar.c; docs/fuzzing.md).
 *
 * The input is what servers send: its first byte picks the response's URL
 * (http or https; a host, a subdomain, an IP address, a public suffix, an
 * IDN in punycode) and the request's kind (same-site or not, a navigation or
 * a subresource, HTTP or a script); the rest is Set-Cookie lines, one per
 * "\n". Each goes to bh_cookie_parse_date() and into a jar in memory with a
 * fixed clock, then the jar is asked for the Cookie header of a few URLs and
 * for all its cookies. Whatever the bytes, every stored cookie must keep
 * what the rest of the browser assumes of one: a name and value of at most
 * 4096 bytes without a control character but HTAB, nor ";" (they go into a
 * request's head as they are; bytes from 0x80 on may be any, not UTF-8), a non-empty lower-case domain that is no public suffix
 * unless host-only, a path starting with "/", an expiry within 400 days; a
 * Cookie header must be one line; the limits must hold.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "bh-cookie-jar.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define NOW_US (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC)

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  return 0;
}

static gint64
fixed_now (void)
{
  return NOW_US;
}

static const char *const urls[] = {
  "http://alpha.test/dir/page", "https://www.alpha.test/", "http://127.0.0.1:8080/a/b",
  "https://example.co.uk/x", "http://co.uk/", "https://xn--bcher-kva.test/", "http://[::1]/p",
  "http://localhost/",
};

static void
check_text (const char *text, gboolean allow_empty)
{
  g_assert_nonnull (text);
  g_assert (allow_empty || *text != '\0');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    /* HTAB is allowed (§5.6 step 1 leaves it), as any byte from 0x80 on:
     * what a header carries safely. */
    g_assert ((*p >= 0x20 || *p == '\t') && *p != 0x7f && *p != ';');
}

static void
check_cookie (const BhCookie *cookie)
{
  check_text (cookie->name, TRUE);
  check_text (cookie->value, TRUE);
  g_assert (*cookie->name != '\0' || *cookie->value != '\0');
  g_assert (strlen (cookie->name) + strlen (cookie->value) <= BH_COOKIE_MAX_NAME_VALUE_BYTES);
  check_text (cookie->domain, FALSE);
  for (const char *p = cookie->domain; *p != '\0'; p++)
    g_assert (!g_ascii_isupper (*p));
  g_assert (cookie->host_only || !bh_cookie_is_public_suffix (cookie->domain));
  check_text (cookie->path, FALSE);
  g_assert (cookie->path[0] == '/');
  g_assert (cookie->expiry_us == 0 ||
            cookie->expiry_us <= NOW_US + BH_COOKIE_MAX_AGE_S * G_USEC_PER_SEC);
  g_assert (cookie->same_site != BH_COOKIE_SAME_SITE_NONE || cookie->secure);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (BhCookieJar) jar = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  BhCookieRequest request;
  guint8 mode;

  if (size < 1 || size > 64 * 1024)
    return 0;
  mode = data[0];
  text = g_strndup ((const char *) data + 1, size - 1);
  request = (BhCookieRequest) { urls[mode % G_N_ELEMENTS (urls)], (mode & 0x10) == 0,
                                (mode & 0x20) != 0,
                                (mode & 0x40) ? BH_COOKIE_SOURCE_SCRIPT : BH_COOKIE_SOURCE_HTTP };

  jar = bh_cookie_jar_new (NULL);
  bh_cookie_jar_set_clock (jar, fixed_now);
  lines = g_strsplit (text, "\n", 300);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *reason = NULL;
      gint64 when = 0;

      if (bh_cookie_parse_date (lines[i], &when))
        g_assert (when >= G_GINT64_CONSTANT (-11644473600) * G_USEC_PER_SEC); /* 1601 */
      if (!bh_cookie_jar_set_from_header (jar, &request, lines[i], &reason))
        g_assert_nonnull (reason);
    }

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      BhCookieRequest out = { urls[i], TRUE, TRUE, BH_COOKIE_SOURCE_HTTP };
      g_autofree char *header = bh_cookie_jar_get_header (jar, &out);

      g_assert (header == NULL || (strchr (header, '\n') == NULL && strchr (header, '\r') == NULL));
    }

  all = bh_cookie_jar_get_cookies (jar, NULL);
  g_assert (all->len <= BH_COOKIE_JAR_MAX_COOKIES);
  for (guint i = 0; i < all->len; i++)
    check_cookie (all->pdata[i]);
  bh_cookie_jar_delete (jar, NULL);
  return 0;
}
