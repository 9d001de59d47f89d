/* bh-site.c: sites (scheme + eTLD+1) and cross-site read decisions. */
#include "bh-site.h"

#include <gio/gio.h>
#include <libpsl.h>
#include <string.h>

#include "bh-mime.h"

static const psl_ctx_t *
get_psl (void)
{
  static const psl_ctx_t *psl;
  static gsize psl_initialized;

  if (g_once_init_enter (&psl_initialized))
    {
      /* The system's list (Debian's publicsuffix package) is newer than the
       * copy built into libpsl; psl_latest() falls back to the built-in one
       * when the file is missing. It is kept for the life of the process. */
      psl = psl_latest (NULL);
      if (psl == NULL)
        psl = psl_builtin ();
      g_once_init_leave (&psl_initialized, 1);
    }

  return psl;
}

char *
bh_site_for_url (const char *url)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *idn_ascii = NULL;
  g_autofree char *ascii = NULL;
  const char *peeked;
  const char *registrable;
  gsize len;

  g_return_val_if_fail (url != NULL, NULL);

  peeked = g_uri_peek_scheme (url);
  if (peeked == NULL)
    return NULL;
  if (g_str_equal (peeked, "file"))
    return g_strdup ("file://");
  if (g_str_equal (peeked, "about"))
    return g_strdup ("about:");
  if (g_str_equal (peeked, "data"))
    return g_strdup ("data:");

  /* Only the host is needed: leave path, query and fragment encoded so that
   * a stray "%" there cannot make the split fail. */
  if (!g_uri_split (url,
                    G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED_PATH |
                      G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_FRAGMENT,
                    &scheme, NULL, &host, NULL, NULL, NULL, NULL, NULL))
    return NULL;
  if (host == NULL || *host == '\0')
    return NULL;

  /* A fully qualified "example.com." is the same host as "example.com". */
  len = strlen (host);
  if (len > 1 && host[len - 1] == '.')
    host[len - 1] = '\0';

  if (g_hostname_is_ip_address (host))
    {
      g_autofree char *lower = g_ascii_strdown (host, -1);

      if (strchr (lower, ':') != NULL)
        return g_strdup_printf ("%s://[%s]", peeked, lower);
      return g_strdup_printf ("%s://%s", peeked, lower);
    }

  idn_ascii = g_hostname_to_ascii (host);
  if (idn_ascii == NULL)
    return NULL;
  ascii = g_ascii_strdown (idn_ascii, -1);

  if (g_str_equal (ascii, "localhost"))
    return g_strdup_printf ("%s://localhost", peeked);

  registrable = psl_registrable_domain (get_psl (), ascii);
  return g_strdup_printf ("%s://%s", peeked, registrable != NULL ? registrable : ascii);
}

static gboolean
content_type_is_embeddable (const char *content_type)
{
  /* Only a clean essence: a prefix test on "image/png, text/html" (two
   * Content-Type headers joined) let HTML through (issue #12). */
  if (!bh_mime_is_essence (content_type))
    return FALSE;

  if (g_str_has_prefix (content_type, "image/") && content_type[6] != '\0')
    return TRUE;

  return g_str_equal (content_type, "text/css") ||
         g_str_equal (content_type, "application/pdf");
}

gboolean
bh_site_may_read (const char *renderer_site,
                  const char *resource_url,
                  const char *content_type)
{
  g_autofree char *resource_site = NULL;

  g_return_val_if_fail (renderer_site != NULL, FALSE);
  g_return_val_if_fail (resource_url != NULL, FALSE);

  resource_site = bh_site_for_url (resource_url);
  if (resource_site == NULL)
    return FALSE;

  if (g_str_equal (resource_site, renderer_site))
    return TRUE;

  if (g_str_equal (resource_site, "data:"))
    return TRUE;

  if (g_str_equal (resource_site, "file://") || g_str_equal (resource_site, "about:"))
    return FALSE;

  return content_type_is_embeddable (content_type);
}
