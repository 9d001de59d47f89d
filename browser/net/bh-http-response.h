/* bh-http-response.h: checks and conversions of what a server sends, shared
 * by the HTTP client (bh-http-job.c) and whoever else reads a response's
 * headers.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @host (from GUri, IDNs already ASCII) can be a host name: letters,
 * digits, "-", "_" and dots (RFC 1123, plus the "_" real DNS carries), or an
 * IP literal. */
gboolean bh_http_host_is_valid (const char *host);

/* The request target for @path and @query (nullable) with every byte that
 * may not appear raw in a request line percent-encoded (RFC 9112 §3.2);
 * an empty path is "/". (transfer full) */
char *bh_http_escape_request_target (const char *path,
                                     const char *query);

/* Whether @charset can be an encoding label: non-empty printable ASCII
 * (Encoding Standard §4.2). */
gboolean bh_http_charset_is_label (const char *charset);

/* @text (a server's bytes) made fit for a message: valid UTF-8, control
 * characters as U+FFFD, cut at 200 characters with "…". (transfer full) */
char *bh_http_printable (const char *text);

/* The absolute URL a Location header leads to from @base, or %NULL when it
 * is not an http or https URL with a valid host; *@out_scheme is then the
 * scheme it named ("other" for any but http and https, %NULL if none could
 * be read). (transfer full) */
char *bh_http_resolve_location (const char  *base,
                                const char  *location,
                                const char **out_scheme);

/* 301, 302, 303, 307 and 308: the statuses a Location is followed for. */
gboolean bh_http_status_is_redirect (guint status);

G_END_DECLS
