/* bh-http-connection.h: one TCP connection (TLS on it for https) that
 * carries HTTP/1.1 requests one after another, and the pool that keeps
 * idle ones alive for the next request to the same server (RFC 9112 §9.3,
 * Chromium's ClientSocketPool).
 *
 * The socket is a libwebsockets raw client connection on the browser's
 * lws context (bh-lws.c), so it lives on the GLib main loop like every
 * other; TLS is OpenSSL's, through memory BIOs, since lws 4.1's raw client
 * cannot start TLS (it begins the handshake before the TCP connection is
 * made: "tls start fail"), and its HTTP client cannot share connections
 * between requests the fetcher resolved itself (docs/architecture.md,
 * "Connections"). The bytes are the caller's: bh-http-job.c writes the
 * request and reads the response with bh-http-parser.c.
 *
 * How many connections there are is the request queue's business
 * (bh-connection-queue.c: 6 per server, 256 in all, counting requests);
 * the pool holds a server's idle connections, at most
 * BH_MAX_CONNECTIONS_PER_SERVER of them, and closes the least recently
 * used idle one when BH_MAX_CONNECTIONS are open.
 */
#pragma once

#include <glib.h>

#include "bh-http-parser.h"

G_BEGIN_DECLS

/* An idle connection is closed after this long, Chromium's figure for a
 * socket that has carried a request (kUsedIdleSocketTimeout, 5 minutes, in
 * net/socket/client_socket_pool.cc). Servers usually close theirs sooner;
 * a request that finds its connection closed that way is sent again on a
 * new one (bh-http-job.c). */
#define BH_HTTP_IDLE_TIMEOUT_S 300

typedef struct _BhHttpConnection BhHttpConnection;

/**
 * BhHttpConnectionFuncs:
 * @connected: the TCP connection (and TLS handshake) is done; requests may
 *   be sent
 * @received: bytes from the server (decrypted)
 * @closed: the connection is gone (@reason: lws's or OpenSSL's words, for
 *   messages); @connection is freed when this returns
 * @verify: (nullable): OpenSSL's verification of each certificate of the
 *   server's chain; returns 0 to keep @preverify_ok's verdict, or, after
 *   X509_STORE_CTX_set_error (ctx, X509_V_OK), to accept
 *
 * The owner's callbacks. They run inside libwebsockets' callbacks, and may
 * call bh_http_connection_release() (but not free the connection any other
 * way).
 */
typedef struct {
  void (*connected) (BhHttpConnection *connection, gpointer user_data);
  void (*received) (BhHttpConnection *connection, const guint8 *data, gsize len, gpointer user_data);
  void (*closed) (BhHttpConnection *connection, const char *reason, gpointer user_data);
  int (*verify) (BhHttpConnection *connection, void *x509_store_ctx, gboolean preverify_ok, gpointer user_data);
} BhHttpConnectionFuncs;

/**
 * bh_http_connection_open:
 * @pool_key: which requests may share it: scheme, the URL's host and port,
 *   and the address connected to ("https://alpha.test:443>127.0.0.1")
 * @address: the IP address to connect to (a literal: the caller resolved it)
 * @port: the TCP port
 * @tls_host: (nullable): the name TLS checks the certificate against and
 *   sends as SNI (RFC 6066 §3, not for an IP literal); %NULL for plain http
 * @funcs: the owner's callbacks (copied)
 * @user_data: for them
 * @error: %G_IO_ERROR_FAILED with lws's reason when the connection could
 *   not even be started (nothing is called then)
 *
 * Opens a new connection, owned by the caller until released. Main thread
 * only, as all of lws.
 *
 * Returns: (transfer none) (nullable): the connection, which lives until
 *   @funcs->closed, or until released.
 */
BhHttpConnection *bh_http_connection_open (const char                  *pool_key,
                                           const char                  *address,
                                           guint                        port,
                                           const char                  *tls_host,
                                           const BhHttpConnectionFuncs *funcs,
                                           gpointer                     user_data,
                                           GError                     **error);

/**
 * bh_http_connection_take_idle:
 * @pool_key: as for bh_http_connection_open()
 * @funcs: the new owner's callbacks
 * @user_data: for them
 *
 * Takes the most recently used idle connection of @pool_key that the
 * server has not closed meanwhile (closing those that it has).
 *
 * Returns: (transfer none) (nullable): a connected connection, or %NULL.
 */
BhHttpConnection *bh_http_connection_take_idle (const char                  *pool_key,
                                                const BhHttpConnectionFuncs *funcs,
                                                gpointer                     user_data);

/**
 * bh_http_connection_send:
 * @connection: a connected connection
 * @data: (array length=len): bytes of a request
 * @len: their number
 *
 * Queues @data; it is written (encrypted, for https) as the socket takes it.
 */
void bh_http_connection_send (BhHttpConnection *connection,
                              const guint8     *data,
                              gsize             len);

/**
 * bh_http_connection_release:
 * @connection: (transfer full): a connection the caller owns
 * @reusable: the response was read to its end and allowed another request
 *   (bh_http_parser_keeps_alive()), and nothing more came
 *
 * The owner is done: the connection goes to the pool, idle, when
 * @reusable and the pool has room, and is closed otherwise. No callback of
 * the owner's is called again.
 */
void bh_http_connection_release (BhHttpConnection *connection,
                                 gboolean          reusable);

/**
 * bh_http_connection_release_draining:
 * @connection: (transfer full): a connection the caller owns
 * @parser: (transfer full): the response on it, past its head
 * @rest: (array length=rest_len) (nullable): bytes of it already received
 *   and not yet fed to @parser
 * @rest_len: their number
 * @max_bytes: how much more body the connection may read for nothing
 *
 * The owner is done with a response it does not read further (a
 * redirect's body, say): the connection reads the rest to its end, at most
 * @max_bytes of body within 10 s, and then goes to the pool as
 * bh_http_connection_release() would with %TRUE; past either it is closed.
 */
void bh_http_connection_release_draining (BhHttpConnection *connection,
                                          BhHttpParser     *parser,
                                          const guint8     *rest,
                                          gsize             rest_len,
                                          gsize             max_bytes);

/**
 * bh_http_connection_set_paused:
 * @connection: a connection
 * @paused: stop reading from the socket (the reader is behind), or go on
 */
void bh_http_connection_set_paused (BhHttpConnection *connection,
                                    gboolean          paused);

/**
 * bh_http_connection_get_id:
 * @connection: a connection
 *
 * Returns: its number, from 1 in the order they were opened (for
 *   --net-log's `connection`).
 */
guint bh_http_connection_get_id (const BhHttpConnection *connection);

/**
 * bh_http_connection_get_requests:
 * @connection: a connection
 *
 * Returns: how many owners it has had, this one included (1: a new
 *   connection).
 */
guint bh_http_connection_get_requests (const BhHttpConnection *connection);

/**
 * bh_http_connection_count_idle:
 *
 * Returns: how many idle connections the pool holds (for tests).
 */
guint bh_http_connection_count_idle (void);

/**
 * bh_http_connection_close_idle:
 *
 * Closes every idle connection (on exit, and for tests).
 */
void bh_http_connection_close_idle (void);

G_END_DECLS
