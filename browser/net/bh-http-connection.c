/* bh-http-connection.c: HTTP/1.1 connections kept alive between requests,
 * on libwebsockets raw client sockets, with OpenSSL over memory BIOs for
 * https. See bh-http-connection.h for why this shape.
 */
#include "bh-http-connection.h"

#include <errno.h>
#include <gio/gio.h>
#include <libwebsockets.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <sys/socket.h>

#include "bh-connection-queue.h"
#include "bh-http-parser.h"
#include "bh-lws.h"

#define RAW_VHOST_NAME    "bh-http-raw"
#define RAW_PROTOCOL_NAME "bh-http-raw"
/* How long a connection may take to send the rest of a response that
 * its owner let go of before it goes back to the pool. */
#define DRAIN_TIMEOUT_S   10
/* What one writable turn writes, and one SSL_read() reads. */
#define IO_CHUNK_BYTES    (16 * 1024)

struct _BhHttpConnection {
  guint id;
  char *pool_key;
  struct lws *wsi;            /* NULL once lws has closed it */
  BhHttpConnectionFuncs funcs;
  gpointer user_data;
  gboolean owned;             /* an owner's, not idle: its callbacks are called */
  gboolean opening;           /* inside lws_client_connect_via_info() */
  gboolean gone;              /* lws closed it while opening */
  gboolean connected;         /* TCP, and TLS for https */
  gboolean closing;           /* to be closed: the callback says -1 */
  gboolean paused;
  char *close_reason;         /* why we close it: for the owner's @closed */
  guint requests;
  BhHttpParser *drain;        /* the rest of a response nobody reads, or NULL */
  gsize drain_left;           /* body bytes it may still have */
  GByteArray *out;            /* bytes for the socket (encrypted, for https) */
  SSL *ssl;                   /* NULL for plain http */
  BIO *rbio;                  /* the server's bytes, for OpenSSL (owned by ssl) */
  BIO *wbio;                  /* OpenSSL's bytes, for the server (owned by ssl) */
};

static guint next_id = 1;
static guint open_count;
/* BhHttpConnection *, idle, the least recently used first. */
static GQueue idle = G_QUEUE_INIT;
/* The connection whose lws callback is running, if any (main thread). */
static struct lws *current_wsi;

static SSL_CTX *ssl_context;
static int ssl_index = -1;

static void
connection_free (BhHttpConnection *conn)
{
  g_free (conn->pool_key);
  g_free (conn->close_reason);
  g_clear_pointer (&conn->out, g_byte_array_unref);
  g_clear_pointer (&conn->drain, bh_http_parser_free);
  g_clear_pointer (&conn->ssl, SSL_free);
  g_free (conn);
}

/* Asks lws to close @conn: at the end of its own callback (which returns
 * -1), or on its next turn from anywhere else. */
static void
connection_close_soon (BhHttpConnection *conn, const char *reason)
{
  if (conn->close_reason == NULL && reason != NULL)
    conn->close_reason = g_strdup (reason);
  conn->closing = TRUE;
  if (conn->wsi != NULL && conn->wsi != current_wsi)
    {
      lws_set_timeout (conn->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
      bh_lws_wake ();
    }
}

/* lws closed the socket: the owner hears of it, then it is freed. */
static void
connection_gone (BhHttpConnection *conn, struct lws *wsi, const char *reason)
{
  lws_set_opaque_user_data (wsi, NULL);
  conn->wsi = NULL;
  open_count--;
  g_queue_remove (&idle, conn);
  if (conn->opening)
    {
      conn->gone = TRUE;
      if (conn->close_reason == NULL)
        conn->close_reason = g_strdup (reason);
      return;
    }
  if (conn->owned && conn->funcs.closed != NULL)
    conn->funcs.closed (conn, conn->close_reason != NULL ? conn->close_reason : reason, conn->user_data);
  connection_free (conn);
}

/* OpenSSL's bytes for the server go out when the socket is writable. */
static void
connection_flush_tls (BhHttpConnection *conn)
{
  char buffer[IO_CHUNK_BYTES];
  int n;

  if (conn->ssl == NULL)
    return;
  while ((n = BIO_read (conn->wbio, buffer, sizeof buffer)) > 0)
    g_byte_array_append (conn->out, (const guint8 *) buffer, (guint) n);
  if (conn->out->len > 0 && conn->wsi != NULL)
    lws_callback_on_writable (conn->wsi);
}

/* OpenSSL's reason for a failed handshake or read, for messages. */
static char *
tls_error_text (const char *what)
{
  unsigned long code = ERR_get_error ();
  char text[256];

  ERR_clear_error ();
  if (code == 0)
    return g_strdup_printf ("TLS %s failed", what);
  ERR_error_string_n (code, text, sizeof text);
  return g_strdup_printf ("TLS %s failed: %s", what, text);
}

static void
connection_connected (BhHttpConnection *conn)
{
  conn->connected = TRUE;
  if (conn->owned && conn->funcs.connected != NULL)
    conn->funcs.connected (conn, conn->user_data);
}

/* Moves the handshake on. */
static void
connection_handshake (BhHttpConnection *conn)
{
  int r = SSL_do_handshake (conn->ssl);

  connection_flush_tls (conn);
  if (r == 1)
    {
      connection_connected (conn);
      return;
    }
  switch (SSL_get_error (conn->ssl, r))
    {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return;
    default:
      {
        g_autofree char *reason = tls_error_text ("handshake");

        connection_close_soon (conn, reason);
      }
    }
}

static void connection_to_pool (BhHttpConnection *conn);

/* The rest of a response whose owner let go: read to its end (at most
 * ->drain_left body bytes), then the connection is idle. */
static void
connection_drain (BhHttpConnection *conn, const guint8 *data, gsize len)
{
  g_autoptr (GByteArray) sink = g_byte_array_new ();
  gsize used = 0;
  BhHttpParseResult result = bh_http_parser_feed (conn->drain, data, len, &used, sink, NULL);

  if (sink->len > conn->drain_left || result == BH_HTTP_PARSE_ERROR || result == BH_HTTP_PARSE_HEAD)
    {
      connection_close_soon (conn, NULL);
      return;
    }
  conn->drain_left -= sink->len;
  if (result != BH_HTTP_PARSE_DONE)
    return;
  if (bh_http_parser_keeps_alive (conn->drain) && used == len)
    {
      g_clear_pointer (&conn->drain, bh_http_parser_free);
      connection_to_pool (conn);
    }
  else
    connection_close_soon (conn, NULL);
}

/* Decrypted bytes: the owner's; an idle connection that hears anything is
 * closed (the server is closing it, or talking out of turn). */
static void
connection_deliver (BhHttpConnection *conn, const guint8 *data, gsize len)
{
  if (conn->drain != NULL)
    connection_drain (conn, data, len);
  else if (!conn->owned)
    connection_close_soon (conn, "the server spoke on an idle connection");
  else if (conn->funcs.received != NULL)
    conn->funcs.received (conn, data, len, conn->user_data);
}

/* Bytes from the server, decrypted for https. */
static void
connection_received (BhHttpConnection *conn, const guint8 *data, gsize len)
{
  if (conn->ssl == NULL)
    {
      connection_deliver (conn, data, len);
      return;
    }

  BIO_write (conn->rbio, data, (int) len);
  if (!SSL_is_init_finished (conn->ssl))
    {
      connection_handshake (conn);
      if (!SSL_is_init_finished (conn->ssl))
        return;
    }
  while (!conn->closing && conn->wsi != NULL)
    {
      guint8 plain[IO_CHUNK_BYTES];
      int n = SSL_read (conn->ssl, plain, sizeof plain);

      if (n > 0)
        {
          connection_deliver (conn, plain, (gsize) n);
          continue;
        }
      switch (SSL_get_error (conn->ssl, n))
        {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
          break;
        case SSL_ERROR_ZERO_RETURN:
          /* close_notify: the server's end of the stream. */
          connection_close_soon (conn, "closed");
          break;
        default:
          {
            g_autofree char *reason = tls_error_text ("read");

            connection_close_soon (conn, reason);
          }
        }
      break;
    }
  connection_flush_tls (conn);
}

static void
connection_writable (BhHttpConnection *conn)
{
  guint8 buffer[LWS_PRE + IO_CHUNK_BYTES];
  gsize n = MIN (conn->out->len, IO_CHUNK_BYTES);

  if (n == 0)
    return;
  memcpy (buffer + LWS_PRE, conn->out->data, n);
  /* lws keeps what the socket does not take and sends it first. */
  if (lws_write (conn->wsi, buffer + LWS_PRE, n, LWS_WRITE_RAW) < 0)
    {
      connection_close_soon (conn, "write failed");
      return;
    }
  g_byte_array_remove_range (conn->out, 0, (guint) n);
  if (conn->out->len > 0)
    lws_callback_on_writable (conn->wsi);
}

static int
raw_client_cb (struct lws               *wsi,
               enum lws_callback_reasons reason,
               void                     *user,
               void                     *in,
               size_t                    len)
{
  BhHttpConnection *conn = lws_get_opaque_user_data (wsi);
  struct lws *outer_wsi;
  int ret = 0;

  if (conn == NULL)
    return reason == LWS_CALLBACK_RAW_RX ? -1 : 0;

  outer_wsi = current_wsi;
  current_wsi = wsi;
  switch (reason)
    {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      {
        g_autofree char *why = in != NULL && len > 0 ? g_strndup (in, len)
                             : in != NULL ? g_strdup (in) : g_strdup ("could not connect");

        connection_gone (conn, wsi, why);
        conn = NULL;
        break;
      }
    case LWS_CALLBACK_RAW_CONNECTED:
      if (conn->ssl != NULL)
        connection_handshake (conn);
      else
        connection_connected (conn);
      break;
    case LWS_CALLBACK_RAW_RX:
      connection_received (conn, in, len);
      break;
    case LWS_CALLBACK_RAW_WRITEABLE:
      connection_writable (conn);
      break;
    case LWS_CALLBACK_RAW_CLOSE:
      connection_gone (conn, wsi, conn->connected ? "closed" : "closed before the connection was made");
      conn = NULL;
      break;
    default:
      break;
    }
  current_wsi = outer_wsi;
  if (conn != NULL && conn->closing)
    ret = -1;
  return ret;
}

static const struct lws_protocols raw_protocols[] = {
  { RAW_PROTOCOL_NAME, raw_client_cb, 0, 0, 0, NULL, 0 },
  { NULL, NULL, 0, 0, 0, NULL, 0 },
};

/* OpenSSL asks about each certificate of the chain; the owner decides. */
static int
verify_cb (int preverify_ok, X509_STORE_CTX *ctx)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (ctx, SSL_get_ex_data_X509_STORE_CTX_idx ());
  BhHttpConnection *conn = ssl != NULL ? SSL_get_ex_data (ssl, ssl_index) : NULL;

  if (conn == NULL || !conn->owned || conn->funcs.verify == NULL)
    return preverify_ok;
  if (conn->funcs.verify (conn, ctx, preverify_ok, conn->user_data) != 0)
    return 0;
  return preverify_ok || X509_STORE_CTX_get_error (ctx) == X509_V_OK;
}

/* The client context: the system's CA store (OpenSSL's default paths, so
 * SSL_CERT_FILE points it elsewhere), TLS 1.2 at least, as Chromium. */
static gboolean
ensure_ssl_context (GError **error)
{
  if (ssl_context != NULL)
    return TRUE;
  ssl_context = SSL_CTX_new (TLS_client_method ());
  if (ssl_context == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "OpenSSL could not start");
      return FALSE;
    }
  SSL_CTX_set_min_proto_version (ssl_context, TLS1_2_VERSION);
  SSL_CTX_set_default_verify_paths (ssl_context);
  SSL_CTX_set_verify (ssl_context, SSL_VERIFY_PEER, verify_cb);
  ssl_index = SSL_get_ex_new_index (0, (void *) "bh-http-connection", NULL, NULL, NULL);
  return TRUE;
}

static gboolean
connection_start_tls (BhHttpConnection *conn, const char *host, GError **error)
{
  static const unsigned char alpn[] = "\x08http/1.1";

  if (!ensure_ssl_context (error))
    return FALSE;
  conn->ssl = SSL_new (ssl_context);
  conn->rbio = BIO_new (BIO_s_mem ());
  conn->wbio = BIO_new (BIO_s_mem ());
  if (conn->ssl == NULL || conn->rbio == NULL || conn->wbio == NULL)
    {
      BIO_free (conn->rbio);
      BIO_free (conn->wbio);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "OpenSSL could not start");
      return FALSE;
    }
  SSL_set_bio (conn->ssl, conn->rbio, conn->wbio);
  SSL_set_ex_data (conn->ssl, ssl_index, conn);
  SSL_set_connect_state (conn->ssl);
  SSL_set_alpn_protos (conn->ssl, alpn, sizeof alpn - 1);
  if (g_hostname_is_ip_address (host))
    X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (conn->ssl), host);
  else
    {
      SSL_set_tlsext_host_name (conn->ssl, host);
      SSL_set1_host (conn->ssl, host);
    }
  return TRUE;
}

static struct lws_vhost *
get_raw_vhost (GError **error)
{
  struct lws_context *context = bh_lws_get_context ();
  struct lws_vhost *vhost;

  if (context == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "the browser's network library could not start");
      return NULL;
    }
  vhost = lws_get_vhost_by_name (context, RAW_VHOST_NAME);
  if (vhost == NULL)
    vhost = bh_lws_create_vhost (RAW_VHOST_NAME, NULL, CONTEXT_PORT_NO_LISTEN, raw_protocols, NULL, FALSE, error);
  return vhost;
}

BhHttpConnection *
bh_http_connection_open (const char                  *pool_key,
                         const char                  *address,
                         guint                        port,
                         const char                  *tls_host,
                         const BhHttpConnectionFuncs *funcs,
                         gpointer                     user_data,
                         GError                     **error)
{
  struct lws_client_connect_info info = { 0 };
  BhHttpConnection *conn;
  struct lws_vhost *vhost;
  struct lws *wsi;

  g_return_val_if_fail (pool_key != NULL && address != NULL && funcs != NULL, NULL);

  vhost = get_raw_vhost (error);
  if (vhost == NULL)
    return NULL;

  /* The browser-wide cap counts idle connections too: the oldest goes. */
  if (open_count >= BH_MAX_CONNECTIONS && !g_queue_is_empty (&idle))
    connection_close_soon (g_queue_pop_head (&idle), "too many connections");

  conn = g_new0 (BhHttpConnection, 1);
  conn->id = next_id++;
  conn->pool_key = g_strdup (pool_key);
  conn->funcs = *funcs;
  conn->user_data = user_data;
  conn->owned = TRUE;
  conn->requests = 1;
  conn->out = g_byte_array_new ();
  if (tls_host != NULL && !connection_start_tls (conn, tls_host, error))
    {
      connection_free (conn);
      return NULL;
    }

  info.context = bh_lws_get_context ();
  info.vhost = vhost;
  info.address = address;
  info.port = (int) port;
  info.host = tls_host != NULL ? tls_host : address;
  info.path = "";
  info.method = "RAW";
  info.protocol = RAW_PROTOCOL_NAME;
  info.local_protocol_name = RAW_PROTOCOL_NAME;
  info.opaque_user_data = conn;

  open_count++;
  conn->opening = TRUE;
  wsi = lws_client_connect_via_info (&info);
  conn->opening = FALSE;
  if (wsi == NULL || conn->gone)
    {
      if (!conn->gone)
        open_count--;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   conn->close_reason != NULL ? conn->close_reason : "the connection could not be started");
      connection_free (conn);
      return NULL;
    }
  conn->wsi = wsi;
  return conn;
}

/* Whether the server has closed an idle connection (or sent something,
 * which no idle connection should hear) that lws has not told us of yet. */
static gboolean
idle_connection_is_dead (BhHttpConnection *conn)
{
  int fd = conn->wsi != NULL ? lws_get_socket_fd (conn->wsi) : -1;
  char byte;
  ssize_t n;

  if (fd < 0 || conn->closing)
    return TRUE;
  n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

BhHttpConnection *
bh_http_connection_take_idle (const char                  *pool_key,
                              const BhHttpConnectionFuncs *funcs,
                              gpointer                     user_data)
{
  g_return_val_if_fail (pool_key != NULL && funcs != NULL, NULL);

  for (GList *l = idle.tail; l != NULL;)
    {
      BhHttpConnection *conn = l->data;
      GList *prev = l->prev;

      if (g_str_equal (conn->pool_key, pool_key))
        {
          g_queue_delete_link (&idle, l);
          if (idle_connection_is_dead (conn))
            connection_close_soon (conn, "closed by the server while idle");
          else
            {
              lws_set_timeout (conn->wsi, NO_PENDING_TIMEOUT, 0);
              conn->funcs = *funcs;
              conn->user_data = user_data;
              conn->owned = TRUE;
              conn->requests++;
              return conn;
            }
        }
      l = prev;
    }
  return NULL;
}

void
bh_http_connection_send (BhHttpConnection *conn,
                         const guint8     *data,
                         gsize             len)
{
  g_return_if_fail (conn != NULL && conn->connected);

  if (conn->wsi == NULL || conn->closing)
    return;
  if (conn->ssl != NULL)
    {
      /* A memory BIO takes everything: one write after the handshake. */
      if (len > 0 && SSL_write (conn->ssl, data, (int) len) <= 0)
        {
          g_autofree char *reason = tls_error_text ("write");

          connection_close_soon (conn, reason);
          return;
        }
      connection_flush_tls (conn);
    }
  else
    {
      g_byte_array_append (conn->out, data, (guint) len);
      lws_callback_on_writable (conn->wsi);
    }
  if (conn->wsi != current_wsi)
    bh_lws_wake ();
}

static guint
count_idle_for (const char *pool_key)
{
  guint n = 0;

  for (GList *l = idle.head; l != NULL; l = l->next)
    n += g_str_equal (((BhHttpConnection *) l->data)->pool_key, pool_key);
  return n;
}

/* Idle, for the next request to the same server, if the pool has room. */
static void
connection_to_pool (BhHttpConnection *conn)
{
  if (conn->wsi != NULL && conn->connected && !conn->closing && conn->out->len == 0 &&
      count_idle_for (conn->pool_key) < BH_MAX_CONNECTIONS_PER_SERVER)
    {
      if (conn->paused)
        {
          conn->paused = FALSE;
          lws_rx_flow_control (conn->wsi, 1);
        }
      g_queue_push_tail (&idle, conn);
      lws_set_timeout (conn->wsi, PENDING_TIMEOUT_USER_OK, BH_HTTP_IDLE_TIMEOUT_S);
      if (conn->wsi != current_wsi)
        bh_lws_wake ();
      return;
    }
  connection_close_soon (conn, NULL);
}

static void
connection_disown (BhHttpConnection *conn)
{
  conn->owned = FALSE;
  conn->funcs = (BhHttpConnectionFuncs) { 0 };
  conn->user_data = NULL;
}

void
bh_http_connection_release (BhHttpConnection *conn,
                            gboolean          reusable)
{
  if (conn == NULL)
    return;
  g_return_if_fail (conn->owned);

  connection_disown (conn);
  if (reusable)
    connection_to_pool (conn);
  else
    connection_close_soon (conn, NULL);
}

void
bh_http_connection_release_draining (BhHttpConnection *conn,
                                     BhHttpParser     *parser,
                                     const guint8     *rest,
                                     gsize             rest_len,
                                     gsize             max_bytes)
{
  g_return_if_fail (conn != NULL && conn->owned && parser != NULL);

  connection_disown (conn);
  g_clear_pointer (&conn->drain, bh_http_parser_free);
  conn->drain = parser;
  conn->drain_left = max_bytes;
  if (conn->wsi != NULL)
    {
      lws_set_timeout (conn->wsi, PENDING_TIMEOUT_USER_OK, DRAIN_TIMEOUT_S);
      if (conn->paused)
        {
          conn->paused = FALSE;
          lws_rx_flow_control (conn->wsi, 1);
        }
      if (conn->wsi != current_wsi)
        bh_lws_wake ();
    }
  connection_drain (conn, rest, rest_len);
}

void
bh_http_connection_set_paused (BhHttpConnection *conn,
                               gboolean          paused)
{
  g_return_if_fail (conn != NULL);

  if (conn->paused == !!paused || conn->wsi == NULL)
    return;
  conn->paused = !!paused;
  lws_rx_flow_control (conn->wsi, paused ? 0 : 1);
  if (conn->wsi != current_wsi)
    bh_lws_wake ();
}

guint
bh_http_connection_get_id (const BhHttpConnection *conn)
{
  return conn->id;
}

guint
bh_http_connection_get_requests (const BhHttpConnection *conn)
{
  return conn->requests;
}

guint
bh_http_connection_count_idle (void)
{
  return idle.length;
}

void
bh_http_connection_close_idle (void)
{
  while (!g_queue_is_empty (&idle))
    connection_close_soon (g_queue_pop_head (&idle), NULL);
}
