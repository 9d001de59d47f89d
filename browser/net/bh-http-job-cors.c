/* bh-http-job-cors.c: a page's CORS request, hop by hop (BhFetchOptions.
 * cors_origin, bh-http-job-private.h): each redirect's CORS check and the
 * tainting of the request's origin (Fetch Standard §4.4 "HTTP-redirect
 * fetch"). The browser makes the final response's CORS check
 * (bh-renderer-host-fetch.c). */
#include "bh-http-job-private.h"

#include "bh-http-response.h"

char *
http_job_cors_origin (HttpJob *job)
{
  if (job->opts.cors_origin == NULL)
    return NULL;
  for (guint i = 0; job->opts.extra_headers != NULL && job->opts.extra_headers[i] != NULL &&
                    job->opts.extra_headers[i + 1] != NULL;
       i += 2)
    if (g_ascii_strcasecmp (job->opts.extra_headers[i], "origin") == 0)
      return g_strdup (job->opts.extra_headers[i + 1]);
  return g_strdup ("null");
}

char *
http_job_cors_redirect (HttpJob *job, const char *next)
{
  g_autofree char *here = bh_origin_serialize (job->url);
  g_autofree char *there = bh_origin_serialize (next);
  char **headers = (char **) job->opts.extra_headers;
  char **origin = NULL;

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    if (g_ascii_strcasecmp (headers[i], "origin") == 0)
      origin = &headers[i + 1];
  if (origin == NULL)
    return g_strdup ("blocked by CORS: a CORS request without an Origin header");
  if (!bh_cors_check (job->access_control_allow_origin, *origin))
    {
      g_autofree char *allow = bh_http_printable (job->access_control_allow_origin != NULL
                                                  ? job->access_control_allow_origin : "(none)");

      return g_strdup_printf ("blocked by CORS: the redirect from %s allows origin \"%.200s\", not %s", here, allow,
                              *origin);
    }
  if (!g_str_equal (there, here) && !g_str_equal (here, *origin))
    {
      g_free (*origin);
      *origin = g_strdup ("null");
    }
  return NULL;
}
