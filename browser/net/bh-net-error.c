/* bh-net-error.c: the fetcher's error domain and Chromium's names. */
#include "bh-net-error.h"

#include <gio/gio.h>

G_DEFINE_QUARK (bh-net-error-quark, bh_net_error)

const char *
bh_net_error_to_string (BhNetError code)
{
  switch (code)
    {
    case BH_NET_ERROR_NAME_NOT_RESOLVED:  return "ERR_NAME_NOT_RESOLVED";
    case BH_NET_ERROR_CONNECTION_REFUSED: return "ERR_CONNECTION_REFUSED";
    case BH_NET_ERROR_TIMED_OUT:          return "ERR_TIMED_OUT";
    case BH_NET_ERROR_TOO_LARGE:          return "ERR_FILE_TOO_BIG";
    case BH_NET_ERROR_TOO_MANY_REDIRECTS: return "ERR_TOO_MANY_REDIRECTS";
    case BH_NET_ERROR_UNSUPPORTED_SCHEME: return "ERR_UNKNOWN_URL_SCHEME";
    case BH_NET_ERROR_INVALID_URL:        return "ERR_INVALID_URL";
    case BH_NET_ERROR_FILE_NOT_FOUND:     return "ERR_FILE_NOT_FOUND";
    case BH_NET_ERROR_FAILED:             return "ERR_FAILED";
    case BH_NET_ERROR_ACCESS_DENIED:      return "ERR_ACCESS_DENIED";
    case BH_NET_ERROR_UNSAFE_REDIRECT:    return "ERR_UNSAFE_REDIRECT";
    case BH_NET_ERROR_EMPTY_RESPONSE:     return "ERR_EMPTY_RESPONSE";
    case BH_NET_ERROR_INVALID_RESPONSE:   return "ERR_INVALID_HTTP_RESPONSE";
    case BH_NET_ERROR_CERT_AUTHORITY_INVALID:   return "ERR_CERT_AUTHORITY_INVALID";
    case BH_NET_ERROR_CERT_COMMON_NAME_INVALID: return "ERR_CERT_COMMON_NAME_INVALID";
    case BH_NET_ERROR_CERT_DATE_INVALID:        return "ERR_CERT_DATE_INVALID";
    case BH_NET_ERROR_CERT_INVALID:             return "ERR_CERT_INVALID";
    default:                              return "ERR_FAILED";
    }
}

char *
bh_net_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == BH_NET_ERROR)
    return g_strdup (bh_net_error_to_string (error->code));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup ("ERR_ABORTED");
  return g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
}
