/* browser/net/: the browser's network and site model.
 *
 * Owns: loading URLs (bh-fetcher.c: http and https through libwebsockets'
 * client, file:, data:, the GResource's about: pages), the libwebsockets
 * context on the GLib loop that the fetcher and the BiDi server share
 * (bh-lws.c), --host-resolver-rules (bh-host-rules.c) and sites, scheme plus
 * eTLD+1 from libpsl (bh-site.c).
 *
 * May use: browser/pages/ (the template of the about: pages) and common/.
 * Not browser/process/ or anything above: a fetch knows no tab and no
 * renderer; its caller passes what it needs (BhFetchOptions) and gets the
 * response or a BH_NET_ERROR back. tools/check-includes keeps the rule.
 */
/* bh-fetcher.h: loads every URL the browser navigates to or a renderer asks
 * for: http and https (libwebsockets' client on the GLib loop), file:,
 * data: and the built-in about: pages.
 */
#pragma once

#include <gio/gio.h>

#include "bh-host-rules.h"

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

/* Zero in any field means its default. */
typedef struct {
  guint timeout_ms;          /* whole fetch, redirects included; default 30000, at most
                              * BH_FETCH_MAX_TIMEOUT_MS (longer is cut to it) */
  guint connect_timeout_ms;  /* per hop: DNS + TCP + TLS; default 10000. A lookup
                              * still running then is NAME_NOT_RESOLVED, a
                              * connection TIMED_OUT. */
  gsize max_bytes;           /* body cap, after gzip decoding; default 50 MiB */
  BhHostRules *host_rules;   /* (nullable): the fetch keeps a reference */
} BhFetchOptions;

#define BH_FETCH_DEFAULT_TIMEOUT_MS         30000
#define BH_FETCH_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define BH_FETCH_DEFAULT_MAX_BYTES          ((gsize) 50 * 1024 * 1024)
#define BH_FETCH_MAX_REDIRECTS              10
/* A minute under libwebsockets' own backstop (bh-lws.h), so that the
 * fetcher's deadline, with its plain message, always comes first. */
#define BH_FETCH_MAX_TIMEOUT_MS             ((3600u - 60u) * 1000u)

typedef struct {
  char *final_url;      /* after redirects */
  guint http_status;    /* 0 for file:, data:, about: */
  char *content_type;   /* lower case, no parameters: "text/html"; for http, what the
                         * Fetch Standard's "extract a MIME type" makes of the
                         * Content-Type headers, else sniffed from the body */
  char *charset;        /* (nullable): lower case, from Content-Type or data: */
  gboolean content_type_doubtful; /* the Content-Type headers named different types
                                   * (content_type is the last), or none that parses:
                                   * whoever decides who may read the bytes treats
                                   * the type as unknown (block when in doubt) */
  GBytes *body;         /* decoded (gzip removed), never NULL */
  guint redirect_count; /* redirects followed */
} BhResponse;

/**
 * bh_response_free:
 * @response: (nullable) (transfer full): a response, or %NULL
 */
void bh_response_free (BhResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhResponse, bh_response_free)

/**
 * bh_fetch:
 * @url: an absolute URL: http, https, file, data or about
 * @opts: (nullable): limits and host rules; copied, so it may live on the
 *   caller's stack. %NULL for all defaults.
 * @cancellable: (nullable): cancels the fetch; it then fails with
 *   G_IO_ERROR_CANCELLED
 * @callback: called when the fetch is done, from the main loop (never
 *   before bh_fetch() returns)
 * @user_data: for @callback
 *
 * Starts loading @url. Call it from the main thread: libwebsockets runs on
 * the default main context (see bh_lws_get_context()).
 *
 * http and https: the host name goes through @opts->host_rules first
 * (Chromium's --host-resolver-rules), then GResolver; names under ".invalid"
 * never resolve and "localhost" is loopback (RFC 6761 §6.3-6.4, as Chromium
 * does). libwebsockets then connects to the address, sending the original
 * host in the Host header and TLS SNI, and checking the certificate against
 * it. Requests carry "Accept-Encoding: gzip" and gzip bodies are decoded.
 * Redirects (301, 302, 303, 307, 308 with a Location) are followed up to
 * %BH_FETCH_MAX_REDIRECTS times, only to http and https URLs; a Location
 * without a fragment keeps the request's (RFC 9110 §10.2.2). At most 6
 * connections to one server (host after the host rules, and port) are open
 * at once, as in Chromium and Firefox; further fetches from it wait their
 * turn, which counts against @opts->timeout_ms but not connect_timeout_ms.
 *
 * file: reads the file; a directory gives a generated HTML listing.
 * data: is decoded per RFC 2397 (base64 or percent-encoded).
 * about:blank is an empty HTML document; about:start, about:version and the
 * demo pages (about:demo-sites, ...) come from the browser's GResource.
 * about:crash, about:kill and about:hang are not pages: navigation sends
 * them to the renderer, and the fetcher reports them as not found.
 *
 * Finish with bh_fetch_finish().
 */
void bh_fetch (const char           *url,
               const BhFetchOptions *opts,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data);

/**
 * bh_fetch_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError: %BH_NET_ERROR (see #BhNetError) or
 *   G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the response, including HTTP error
 *   statuses (404, 500, ...), or %NULL with @error set.
 */
BhResponse *bh_fetch_finish (GAsyncResult *result,
                             GError      **error);

/* A fetch whose body is handed over as it arrives (bh_fetch_stream()). */
typedef struct _BhFetchStream BhFetchStream;

/**
 * BhFetchStreamFuncs:
 * @response: the response's head: final URL, status, type, charset, and in
 *   @head->body what of the body came with it (possibly nothing). Called at
 *   most once, for the final hop, as soon as the headers are in and, when the
 *   status is 400 or more, the first body byte (so that an empty error body
 *   can still be told from a page); when the server gave no Content-Type,
 *   only once 512 bytes (or the whole body) can be sniffed. @head is
 *   (transfer none).
 * @data: (nullable): more of the body, in order, (transfer none)
 *
 * Both are called from the main loop, possibly from inside libwebsockets'
 * callbacks; they may pause the stream or cancel the fetch.
 */
typedef struct {
  void (*response) (BhFetchStream *stream, const BhResponse *head, gpointer user_data);
  void (*data) (BhFetchStream *stream, GBytes *chunk, gpointer user_data);
} BhFetchStreamFuncs;

/**
 * bh_fetch_stream:
 * @funcs: the head and body callbacks; copied
 * @funcs_data: for @funcs
 * @callback: as for bh_fetch(); called once, last, with the outcome
 *
 * As bh_fetch(), but hands the body over as it arrives, the way Chromium's
 * URLLoader hands a navigation's body over through a data pipe. For http and
 * https, @funcs->response comes once the head is known (see
 * #BhFetchStreamFuncs) and @funcs->data with each piece after it; the
 * completion's response then has an empty body, or the fetch fails
 * (connection lost, %BH_NET_ERROR_TOO_LARGE, damaged gzip...) after part of
 * it. Once the head is in, @opts->timeout_ms no longer bounds the whole
 * fetch but a silence: a body may take as long as it likes while bytes keep
 * coming, and a paused stream (bh_fetch_stream_set_paused()) waits without
 * a deadline. file:, data: and about: never call @funcs: their completion
 * carries the whole body, as would an http fetch that ended before its head
 * was handed over.
 *
 * Returns: (transfer full) (nullable): a handle for
 *   bh_fetch_stream_set_paused(), to free with bh_fetch_stream_free(); %NULL
 *   for the schemes that do not stream.
 */
BhFetchStream *bh_fetch_stream (const char               *url,
                                const BhFetchOptions     *opts,
                                const BhFetchStreamFuncs *funcs,
                                gpointer                  funcs_data,
                                GCancellable             *cancellable,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data);

/**
 * bh_fetch_stream_set_paused:
 * @stream: (nullable): from bh_fetch_stream()
 * @paused: %TRUE to stop reading from the server (backpressure: TCP's window
 *   then holds the server back), %FALSE to read on
 *
 * Does nothing once the fetch has ended.
 */
void bh_fetch_stream_set_paused (BhFetchStream *stream,
                                 gboolean       paused);

/**
 * bh_fetch_stream_free:
 * @stream: (nullable) (transfer full): from bh_fetch_stream()
 *
 * Drops the handle; the fetch goes on (cancel it with its cancellable).
 */
void bh_fetch_stream_free (BhFetchStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFetchStream, bh_fetch_stream_free)

/**
 * bh_fetch_add_version_info:
 * @component: what is described, "GTK"
 * @version: its version, "4.8.3"
 *
 * Adds a row to about:version: the network layer knows its own libraries
 * (GLib, libwebsockets, libpsl, zlib); the UI adds the ones it links (GTK).
 * Adding the same @component again replaces its version.
 */
void bh_fetch_add_version_info (const char *component,
                                const char *version);

G_END_DECLS
