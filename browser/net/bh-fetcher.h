/* browser/net/: the browser's network and site model.
 *
 * Owns: loading URLs (bh-fetcher.c's entry points: http and https through
 * libwebsockets' client in bh-http-job.c, with the request queue of
 * bh-connection-queue.c, the checks of bh-http-response.c, the cookie jar on
 * the wire in bh-http-cookies.c; file:, data: and the GResource's about:
 * pages in bh-fetch-local.c), --net-log (bh-net-log.c), the libwebsockets
 * context on the GLib loop that the fetcher and the BiDi server share
 * (bh-lws.c), --host-resolver-rules (bh-host-rules.c) and sites, scheme plus
 * eTLD+1 from libpsl (bh-site.c).
 *
 * May use: browser/profile/ (cookies and the HTTP cache of the profile a
 * fetch names), browser/pages/ (the template of the about: pages) and
 * common/.
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

#include "bh-fetch-job.h"
#include "bh-fetch-local.h"
#include "bh-host-rules.h"
#include "bh-net-error.h"

G_BEGIN_DECLS

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

/* Fetches an interceptor holds (bh-net-observer.h), named by their request
 * id. Each returns %FALSE when no fetch of that id is held (it was answered,
 * cancelled, or never held). The outcome reaches the fetch's caller from the
 * main loop, never inside the call. */

/**
 * bh_fetch_intercepted_continue:
 * @url: (nullable): another URL to fetch instead (a client's continueRequest),
 *   %NULL for the one asked
 *
 * Starts the held fetch. It does not stream: its caller gets the whole
 * response at its completion.
 */
gboolean bh_fetch_intercepted_continue (guint64 request_id, const char *url);
/* Fails the held fetch with %BH_NET_ERROR_FAILED (Chromium's net::ERR_FAILED). */
gboolean bh_fetch_intercepted_fail (guint64 request_id);
/**
 * bh_fetch_intercepted_respond:
 * @status: the HTTP status to report, 100..599
 * @content_type: the MIME type's essence, e.g. "text/html"
 * @charset: (nullable): its charset parameter
 * @body: the body; a reference is taken
 *
 * Ends the held fetch with this response, as if the server had sent it;
 * nothing goes to the network.
 */
gboolean bh_fetch_intercepted_respond (guint64 request_id, guint status, const char *content_type,
                                       const char *charset, GBytes *body);
gboolean bh_fetch_intercepted_is_held (guint64 request_id);

/**
 * bh_fetch_set_ignore_certificate_errors:
 * @ignore: %TRUE for Chromium's --ignore-certificate-errors
 *
 * From now on every https certificate is accepted, whatever its chain,
 * name or dates (the window then shows a warning bar). For testing servers
 * of one's own only. Main thread, before any fetch.
 */
void bh_fetch_set_ignore_certificate_errors (gboolean ignore);

G_END_DECLS
