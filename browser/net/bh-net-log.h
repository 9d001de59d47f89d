/* bh-net-log.h: --net-log=FILE (Chromium's flag; the format is Bulkhead's
 * own): one JSON object per line for every HTTP request the browser makes,
 * each redirect hop its own line. docs/architecture.md ("The net log")
 * describes the fields.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* When each phase of one request ended, g_get_monotonic_time() µs; 0 for a
 * phase that did not happen (no lookup for an IP address or a reused
 * connection, no connection for a failed lookup...). */
typedef struct {
  gint64 start_us;      /* the request was asked for (or its redirect followed) */
  gint64 queued_us;     /* it got one of the server's connections (the queue) */
  gint64 dns_us;        /* the name lookup ended */
  gint64 connect_us;    /* TCP (and TLS) connected, the request about to go */
  gint64 first_byte_us; /* the response's head arrived */
} BhNetLogTimes;

/**
 * bh_net_log_open:
 * @path: the file; created or truncated, mode 0600
 * @error: a #GFileError
 *
 * Starts the net log. Main thread only, once.
 *
 * Returns: %TRUE when the file is open.
 */
gboolean bh_net_log_open (const char *path,
                          GError    **error);

/**
 * bh_net_log_close:
 *
 * Flushes and closes the log; nothing more is written.
 */
void bh_net_log_close (void);

/**
 * bh_net_log_is_open:
 * Returns: whether bh_net_log_request() writes anything.
 */
gboolean bh_net_log_is_open (void);

/**
 * bh_net_log_request:
 * @url: the request's URL
 * @times: its phases
 * @status: the HTTP status, 0 when no response came
 * @error: (nullable): Chromium's name of the error that ended it
 *   ("ERR_CONNECTION_REFUSED"), %NULL for a response
 * @body_bytes: body bytes received (after gzip decoding)
 * @connection: the number of the connection it went out on (from 1, in the
 *   order they were opened), 0 for none (answered by the cache, or no
 *   connection was made)
 * @reused: that connection had carried a request before (HTTP/1.1
 *   keep-alive)
 * @cache: "miss", "hit", "revalidated" or "none" (the request was not
 *   cacheable, or there is no cache)
 *
 * Writes one line, and flushes it, so that a killed browser's log is whole
 * up to its last request.
 */
void bh_net_log_request (const char          *url,
                         const BhNetLogTimes *times,
                         guint                status,
                         const char          *error,
                         guint64              body_bytes,
                         guint                connection,
                         gboolean             reused,
                         const char          *cache);

G_END_DECLS
