/* bh-net-error.h: why a fetch failed, in Chromium's names and in plain
 * words for the error page.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BH_NET_ERROR (bh_net_error_quark ())
GQuark bh_net_error_quark (void);

/* Why a fetch failed. Each error's message says it in plain words for the
 * error page. Named after Chromium's net errors (net/base/net_error_list.h).
 * An HTTP 4xx or 5xx answer is not an error: it is a response. */
typedef enum {
  BH_NET_ERROR_NAME_NOT_RESOLVED,  /* ERR_NAME_NOT_RESOLVED: DNS has no such name */
  BH_NET_ERROR_CONNECTION_REFUSED, /* ERR_CONNECTION_REFUSED (also: unreachable) */
  BH_NET_ERROR_TIMED_OUT,          /* ERR_TIMED_OUT / ERR_CONNECTION_TIMED_OUT */
  BH_NET_ERROR_TOO_LARGE,          /* the body passed max_bytes */
  BH_NET_ERROR_TOO_MANY_REDIRECTS, /* ERR_TOO_MANY_REDIRECTS: more than 10 */
  BH_NET_ERROR_UNSUPPORTED_SCHEME, /* ERR_UNKNOWN_URL_SCHEME */
  BH_NET_ERROR_INVALID_URL,        /* ERR_INVALID_URL */
  BH_NET_ERROR_FILE_NOT_FOUND,     /* ERR_FILE_NOT_FOUND, and unknown about: pages */
  BH_NET_ERROR_FAILED,             /* anything else: TLS, a broken response, ... */
  BH_NET_ERROR_ACCESS_DENIED,      /* ERR_ACCESS_DENIED: a file we may not read */
  BH_NET_ERROR_UNSAFE_REDIRECT,    /* ERR_UNSAFE_REDIRECT: http(s) -> file:, data:, ... */
  BH_NET_ERROR_EMPTY_RESPONSE,     /* ERR_EMPTY_RESPONSE: the server closed before a response */
  BH_NET_ERROR_INVALID_RESPONSE,   /* ERR_INVALID_HTTP_RESPONSE: not HTTP, or a body that
                                    * cannot be read; the browser closed the connection */
  BH_NET_ERROR_CERT_AUTHORITY_INVALID, /* ERR_CERT_AUTHORITY_INVALID: no trusted CA signed it */
  BH_NET_ERROR_CERT_COMMON_NAME_INVALID, /* ERR_CERT_COMMON_NAME_INVALID: for another name */
  BH_NET_ERROR_CERT_DATE_INVALID,  /* ERR_CERT_DATE_INVALID: expired or not yet valid */
  BH_NET_ERROR_CERT_INVALID,       /* ERR_CERT_INVALID: any other verification failure */
} BhNetError;

/**
 * bh_net_error_to_string:
 * @code: a #BhNetError
 *
 * Returns: (transfer none): Chromium's name for it, as shown on error pages:
 *   "ERR_NAME_NOT_RESOLVED", "ERR_CONNECTION_REFUSED", ...
 */
const char *bh_net_error_to_string (BhNetError code);

/**
 * bh_net_error_code:
 * @error: why a fetch failed
 *
 * The code an error page shows for @error: bh_net_error_to_string() for
 * %BH_NET_ERROR, "ERR_ABORTED" for a cancelled fetch (as Chromium), else
 * "DOMAIN CODE" (e.g. "g-io-error-quark 1").
 *
 * Returns: (transfer full): the code.
 */
char *bh_net_error_code (const GError *error);

G_END_DECLS
