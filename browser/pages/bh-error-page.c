/* bh-error-page.c: error pages from one template in the GResource. */
#include "bh-error-page.h"

#include <gio/gio.h>
#include <string.h>

#include "bh-fetcher.h"

#define ERROR_TEMPLATE_PATH "/org/bulkhead/Browser/errors/error.html"

/* If the GResource is missing (a build mistake), the page must still say
 * what went wrong. */
static const char fallback_template[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{{title}}</title></head>"
  "<body><h1>{{title}}</h1><p>{{message}}</p><p>{{hint}}</p><p>{{url}}</p>"
  "<p>{{code}}</p></body></html>";

char *
bh_template_expand_table (const char *template_text,
                          GHashTable *values,
                          GHashTable *raw_values)
{
  GString *out;
  const char *p = template_text;

  g_return_val_if_fail (template_text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  out = g_string_sized_new (strlen (template_text) + 256);
  for (;;)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL)
        break;
      close = strstr (open + 2, "}}");
      if (close == NULL)
        break;

      g_string_append_len (out, p, open - p);
      name = g_strstrip (g_strndup (open + 2, close - open - 2));

      if (raw_values != NULL && (value = g_hash_table_lookup (raw_values, name)) != NULL)
        g_string_append (out, value);
      else if ((value = g_hash_table_lookup (values, name)) != NULL)
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);

          g_string_append (out, escaped);
        }

      p = close + 2;
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

char *
bh_template_expand (const char *template_text,
                    ...)
{
  g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name;
  va_list args;

  g_return_val_if_fail (template_text != NULL, NULL);

  va_start (args, template_text);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_hash_table_insert (values, (gpointer) name, (gpointer) (value != NULL ? value : ""));
    }
  va_end (args);

  return bh_template_expand_table (template_text, values, NULL);
}

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

static void
describe_net_error (const GError  *error,
                    const char   **title,
                    const char   **hint)
{
  switch ((BhNetError) error->code)
    {
    case BH_NET_ERROR_NAME_NOT_RESOLVED:
      *title = "This site can’t be reached";
      *hint = "Check the address for typing errors. Names such as alpha.test only "
              "resolve through host resolver rules (for example “MAP *.test 127.0.0.1”).";
      break;
    case BH_NET_ERROR_CONNECTION_REFUSED:
      *title = "This site can’t be reached";
      *hint = "Nothing accepted the connection at that address and port. "
              "Check that the server is running.";
      break;
    case BH_NET_ERROR_TIMED_OUT:
      *title = "This site took too long to respond";
      *hint = "The server may be busy or unreachable. Try again later.";
      break;
    case BH_NET_ERROR_TOO_LARGE:
      *title = "This page is too large";
      *hint = "Bulkhead stops loading a response that passes its size limit.";
      break;
    case BH_NET_ERROR_TOO_MANY_REDIRECTS:
      *title = "This page isn’t working";
      *hint = "The site keeps redirecting. Clearing its cookies will not help here: "
              "the server itself is misconfigured.";
      break;
    case BH_NET_ERROR_UNSUPPORTED_SCHEME:
      *title = "This address can’t be opened";
      *hint = "Bulkhead opens http, https, file, data and about addresses.";
      break;
    case BH_NET_ERROR_INVALID_URL:
      *title = "This address isn’t valid";
      *hint = "Check the address for typing errors.";
      break;
    case BH_NET_ERROR_FILE_NOT_FOUND:
      *title = "This page can’t be found";
      *hint = "It may have been moved, renamed or deleted.";
      break;
    case BH_NET_ERROR_ACCESS_DENIED:
      *title = "Access to this file was denied";
      *hint = "The browser process is not allowed to read it.";
      break;
    case BH_NET_ERROR_UNSAFE_REDIRECT:
      *title = "This page isn’t working";
      *hint = "A web site may only redirect to other http or https addresses.";
      break;
    case BH_NET_ERROR_EMPTY_RESPONSE:
      /* Chromium's words for ERR_EMPTY_RESPONSE. */
      *title = "This page isn’t working";
      *hint = "The server closed the connection without sending a complete response.";
      break;
    case BH_NET_ERROR_INVALID_RESPONSE:
      *title = "This page isn’t working";
      *hint = "The server sent something that is not a valid HTTP response, so Bulkhead "
              "stopped reading it.";
      break;
    case BH_NET_ERROR_FAILED:
    default:
      *title = "This page couldn’t be loaded";
      *hint = "Try again later.";
      break;
    }
}

GBytes *
bh_error_page_render (const char   *url,
                      const GError *error,
                      guint         http_status)
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

  if (error != NULL && error->domain == BH_NET_ERROR)
    {
      describe_net_error (error, &title, &hint);
      message = g_strdup (error->message);
      code = g_strdup (bh_net_error_to_string (error->code));
    }
  else if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      title = "Loading was stopped";
      hint = "Reload to try again.";
      message = g_strdup (error->message);
      code = g_strdup ("ERR_ABORTED");
    }
  else if (error != NULL)
    {
      title = "This page couldn’t be loaded";
      hint = "Try again later.";
      message = g_strdup (error->message);
      code = g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
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
