/* bh-http-cookies.c: the cookie jar on the wire. */
#include "bh-http-cookies.h"

#include "bh-cookie-jar.h"
#include "bh-site.h"

/* A response with more Set-Cookie lines than this has the rest ignored:
 * the jar keeps 180 per domain anyway. */
#define MAX_SET_COOKIE_LINES 200

static BhCookieRequest
request_for (const BhFetchOptions *opts, const char *url, char **out_site)
{
  BhCookieRequest request = { url, TRUE, opts->top_level_navigation, BH_COOKIE_SOURCE_HTTP };

  if (opts->initiator_site != NULL)
    {
      *out_site = bh_site_for_url (url);
      request.same_site = g_strcmp0 (*out_site, opts->initiator_site) == 0;
    }
  return request;
}

char *
bh_http_cookies_for_request (const BhFetchOptions *opts,
                             const char           *url)
{
  g_autofree char *site = NULL;
  BhCookieRequest request;

  if (opts->profile == NULL)
    return NULL;
  request = request_for (opts, url, &site);
  return bh_cookie_jar_get_header (bh_profile_get_cookie_jar (opts->profile), &request);
}

void
bh_http_cookies_store (const BhFetchOptions *opts,
                       const char           *url,
                       const BhHttpParser   *parser)
{
  g_autofree char *site = NULL;
  g_auto (GStrv) lines = NULL;
  BhCookieRequest request;
  BhCookieJar *jar;

  if (opts->profile == NULL)
    return;
  jar = bh_profile_get_cookie_jar (opts->profile);
  request = request_for (opts, url, &site);
  lines = bh_http_parser_get_header_lines (parser, "set-cookie");
  for (guint i = 0; lines[i] != NULL && i < MAX_SET_COOKIE_LINES; i++)
    bh_cookie_jar_set_from_header (jar, &request, lines[i], NULL);
}
