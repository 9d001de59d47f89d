/* bh-error-page.c: error pages from one template in the GResource. */
#include "bh-error-page.h"

#include <gio/gio.h>
#include <string.h>

#include "bh-page-template.h"

#define ERROR_TEMPLATE_PATH "/org/bulkhead/Browser/errors/error.html"

/* If the GResource is missing (a build mistake), the page must still say
 * what went wrong. */
static const char fallback_template[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{{title}}</title></head>"
  "<body><h1>{{title}}</h1><p>{{message}}</p><p>{{hint}}</p><p>{{url}}</p>"
  "<p>{{code}}</p></body></html>";

static const char *
http_reason_phrase (guint status)
{
  switch (status)
    {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 451: return "Unavailable For Legal Reasons";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default:  return NULL;
    }
}

/* The host as the user knows it, for sentences like "HOST refused to
 * connect"; the whole URL when it has none. */
static char *
display_host (const char *url)
{
  g_autofree char *host = NULL;

  if (url != NULL &&
      g_uri_split (url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED,
                   NULL, NULL, &host, NULL, NULL, NULL, NULL, NULL) &&
      host != NULL && *host != '\0')
    return g_steal_pointer (&host);

  return g_strdup (url != NULL ? url : "");
}

/* What the page says of each of Chromium's net errors that Bulkhead reports
 * (bh-fetcher.h names them); any other code reads as ERR_FAILED. */
static const struct {
  const char *code;
  const char *title;
  const char *hint;
} net_errors[] = {
  { "ERR_NAME_NOT_RESOLVED", "This site can’t be reached",
    "Check the address for typing errors. Names such as alpha.test only "
    "resolve through host resolver rules (for example “MAP *.test 127.0.0.1”)." },
  { "ERR_CONNECTION_REFUSED", "This site can’t be reached",
    "Nothing accepted the connection at that address and port. "
    "Check that the server is running." },
  { "ERR_TIMED_OUT", "This site took too long to respond",
    "The server may be busy or unreachable. Try again later." },
  { "ERR_FILE_TOO_BIG", "This page is too large",
    "Bulkhead stops loading a response that passes its size limit." },
  { "ERR_TOO_MANY_REDIRECTS", "This page isn’t working",
    "The site keeps redirecting. Clearing its cookies will not help here: "
    "the server itself is misconfigured." },
  { "ERR_UNKNOWN_URL_SCHEME", "This address can’t be opened",
    "Bulkhead opens http, https, file, data and about addresses." },
  { "ERR_INVALID_URL", "This address isn’t valid", "Check the address for typing errors." },
  { "ERR_FILE_NOT_FOUND", "This page can’t be found", "It may have been moved, renamed or deleted." },
  { "ERR_ACCESS_DENIED", "Access to this file was denied", "The browser process is not allowed to read it." },
  { "ERR_UNSAFE_REDIRECT", "This page isn’t working",
    "A web site may only redirect to other http or https addresses." },
  { "ERR_ABORTED", "Loading was stopped", "Reload to try again." },
  /* Chromium's words for ERR_EMPTY_RESPONSE. */
  { "ERR_EMPTY_RESPONSE", "This page isn’t working",
    "The server closed the connection without sending a complete response." },
  /* Chromium's interstitial for certificate errors. */
  { "ERR_CERT_AUTHORITY_INVALID", "Your connection is not private",
    "Someone may be trying to read what you send to this site. Bulkhead did not connect; "
    "start it with --ignore-certificate-errors only to test a server of your own." },
  { "ERR_CERT_COMMON_NAME_INVALID", "Your connection is not private",
    "Someone may be trying to read what you send to this site. Bulkhead did not connect; "
    "start it with --ignore-certificate-errors only to test a server of your own." },
  { "ERR_CERT_DATE_INVALID", "Your connection is not private",
    "The certificate is expired or not valid yet (or this computer's clock is wrong). "
    "Bulkhead did not connect." },
  { "ERR_CERT_INVALID", "Your connection is not private",
    "The server's certificate could not be verified. Bulkhead did not connect." },
  { "ERR_INVALID_HTTP_RESPONSE", "This page isn’t working",
    "The server sent something that is not a valid HTTP response, so Bulkhead stopped "
    "reading it." },
};

static void
describe_net_error (const char  *code,
                    const char **title,
                    const char **hint)
{
  for (guint i = 0; i < G_N_ELEMENTS (net_errors); i++)
    if (g_str_equal (code, net_errors[i].code))
      {
        *title = net_errors[i].title;
        *hint = net_errors[i].hint;
        return;
      }
  *title = "This page couldn’t be loaded";
  *hint = "Try again later.";
}

GBytes *
bh_error_page_render (const char *url,
                      const char *error_code,
                      const char *error_message,
                      guint       http_status)
{
  g_autoptr (GBytes) template_bytes = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *host = display_host (url);
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  const char *title;
  const char *hint;
  char *page;

  template_bytes = g_resources_lookup_data (ERROR_TEMPLATE_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                            NULL);
  if (template_bytes != NULL)
    template_text = g_strndup (g_bytes_get_data (template_bytes, NULL),
                               g_bytes_get_size (template_bytes));
  else
    template_text = g_strdup (fallback_template);

  if (error_code != NULL)
    {
      describe_net_error (error_code, &title, &hint);
      message = g_strdup (error_message != NULL ? error_message : "");
      code = g_strdup (error_code);
    }
  else
    {
      const char *reason = http_reason_phrase (http_status);

      if (http_status == 404 || http_status == 410)
        {
          title = "This page can’t be found";
          hint = "No page was found at this address on the server.";
        }
      else if (http_status >= 500)
        {
          title = "This page isn’t working";
          hint = "The server failed to handle the request. Try again later.";
        }
      else
        {
          title = "This page isn’t available";
          hint = "The server refused the request.";
        }
      message = g_strdup_printf ("%s answered with HTTP status %u%s%s.", host, http_status,
                                 reason != NULL ? " " : "", reason != NULL ? reason : "");
      code = g_strdup_printf ("HTTP ERROR %u", http_status);
    }

  page = bh_template_expand (template_text,
                             "title", title,
                             "message", message,
                             "hint", hint,
                             "url", url != NULL ? url : "",
                             "host", host,
                             "code", code,
                             NULL);
  return g_bytes_new_take (page, strlen (page));
}
