/* bh-renderer-cookies.c: document.cookie, checked at the trust boundary. */
#include "bh-renderer-cookies.h"

#include <string.h>

#include "bh-cookie-jar.h"
#include "bh-site.h"

static gboolean
check_site (const char *site, const char *url, char **out_bad)
{
  g_autofree char *url_site = bh_site_for_url (url);

  if (url_site != NULL && g_str_equal (url_site, site))
    return TRUE;
  *out_bad = g_strdup_printf ("asked for the cookies of %s, which is not of its site %s", url, site);
  return FALSE;
}

static gboolean
has_cookies (const char *url)
{
  return g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://");
}

gboolean
bh_renderer_cookies_get (BhProfile  *profile,
                         const char *site,
                         const char *url,
                         char      **out_cookies,
                         char      **out_bad)
{
  BhCookieRequest request = { url, TRUE, FALSE, BH_COOKIE_SOURCE_SCRIPT };
  char *cookies = NULL;

  g_return_val_if_fail (BH_IS_PROFILE (profile) && site != NULL && url != NULL, FALSE);

  if (!check_site (site, url, out_bad))
    return FALSE;
  if (has_cookies (url))
    cookies = bh_cookie_jar_get_header (bh_profile_get_cookie_jar (profile), &request);
  *out_cookies = cookies != NULL ? cookies : g_strdup ("");
  return TRUE;
}

gboolean
bh_renderer_cookies_set (BhProfile  *profile,
                         const char *site,
                         const char *url,
                         const char *line,
                         char      **out_bad)
{
  BhCookieRequest request = { url, TRUE, FALSE, BH_COOKIE_SOURCE_SCRIPT };

  g_return_val_if_fail (BH_IS_PROFILE (profile) && site != NULL && url != NULL && line != NULL, FALSE);

  if (!check_site (site, url, out_bad))
    return FALSE;
  if (strlen (line) > BH_MAX_COOKIE_LINE_BYTES)
    {
      *out_bad = g_strdup_printf ("sent a cookie line of %zu bytes, more than %d", strlen (line),
                                  BH_MAX_COOKIE_LINE_BYTES);
      return FALSE;
    }
  if (has_cookies (url))
    bh_cookie_jar_set_from_header (bh_profile_get_cookie_jar (profile), &request, line, NULL);
  return TRUE;
}
