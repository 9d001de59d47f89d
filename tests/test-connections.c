/* test-connections.c: HTTP/1.1 keep-alive (issue 14): the response parser
 * (browser/net/bh-http-parser.c) on bytes cut every way, and the fetcher's
 * connection pool (bh-http-connection.c) against a scripted server in this
 * process, which numbers the connections it accepts and says in each body
 * which connection carried the request, so that the test asserts what the
 * server saw.
 */
#include <gio/gio.h>
#include <string.h>

#include "bh-fetcher.h"
#include "bh-http-connection.h"
#include "bh-http-parser.h"
#include "bh-lws.h"

#define GUARD_SECONDS 25

/* The parser ------------------------------------------------------------- */

typedef struct {
  BhHttpParseResult last;
  gboolean head_seen;
  GByteArray *body;
  GError *error;
} Parsed;

/* Feeds @text to a new parser in pieces of @piece bytes (0: whole), and
 * closes the connection at the end when @then_close. */
static BhHttpParser *
parse_in_pieces (const char *text, gsize piece, gboolean then_close, Parsed *out)
{
  BhHttpParser *parser = bh_http_parser_new (FALSE);
  gsize len = strlen (text);
  gsize at = 0;

  out->body = g_byte_array_new ();
  out->last = BH_HTTP_PARSE_MORE;
  while (at < len && out->last != BH_HTTP_PARSE_ERROR && out->last != BH_HTTP_PARSE_DONE)
    {
      gsize n = piece == 0 ? len - at : MIN (piece, len - at);
      gsize offset = 0;

      while (offset < n)
        {
          gsize used = 0;

          out->last = bh_http_parser_feed (parser, (const guint8 *) text + at + offset, n - offset, &used, out->body,
                                           &out->error);
          offset += used;
          if (out->last == BH_HTTP_PARSE_HEAD)
            out->head_seen = TRUE;
          if (out->last == BH_HTTP_PARSE_ERROR || out->last == BH_HTTP_PARSE_DONE)
            break;
          if (out->last == BH_HTTP_PARSE_MORE)
            g_assert_cmpuint (offset, ==, n);
        }
      at += offset;
      if (out->last == BH_HTTP_PARSE_DONE && at < len)
        break;
    }
  /* A DONE right after the head (no body) comes on the next feed. */
  if (out->last == BH_HTTP_PARSE_HEAD)
    {
      gsize used = 0;

      out->last = bh_http_parser_feed (parser, NULL, 0, &used, out->body, &out->error);
    }
  if (then_close && out->last == BH_HTTP_PARSE_MORE)
    out->last = bh_http_parser_finish (parser, &out->error) ? BH_HTTP_PARSE_DONE : BH_HTTP_PARSE_ERROR;
  return parser;
}

static void
parsed_clear (Parsed *p)
{
  g_clear_pointer (&p->body, g_byte_array_unref);
  g_clear_error (&p->error);
}

static void
assert_parses (const char *text, gboolean then_close, guint status, const char *body, gboolean keeps_alive)
{
  static const gsize pieces[] = { 0, 1, 2, 3, 7, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      Parsed p = { 0 };
      g_autoptr (BhHttpParser) parser = parse_in_pieces (text, pieces[i], then_close, &p);

      g_assert_no_error (p.error);
      g_assert_true (p.head_seen);
      g_assert_cmpint (p.last, ==, BH_HTTP_PARSE_DONE);
      g_assert_cmpuint (bh_http_parser_get_status (parser), ==, status);
      g_assert_cmpmem (p.body->data, p.body->len, body, strlen (body));
      g_assert_cmpint (bh_http_parser_keeps_alive (parser), ==, keeps_alive);
      parsed_clear (&p);
    }
}

static void
assert_refused (const char *text, BhHttpParseError code)
{
  static const gsize pieces[] = { 0, 1, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      Parsed p = { 0 };
      g_autoptr (BhHttpParser) parser = parse_in_pieces (text, pieces[i], TRUE, &p);

      g_assert_cmpint (p.last, ==, BH_HTTP_PARSE_ERROR);
      g_assert_error (p.error, BH_HTTP_PARSE_ERROR_DOMAIN, (int) code);
      parsed_clear (&p);
    }
}

static void
test_parser_framing (void)
{
  g_autofree char *long_head = NULL;
  g_autoptr (GString) big = g_string_new ("HTTP/1.1 200 OK\r\n");

  /* A length, keep-alive by default in HTTP/1.1. */
  assert_parses ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", FALSE, 200, "hello", TRUE);
  /* Chunks with an extension and a trailer, and a bare LF or two. */
  assert_parses ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5;ext=1\r\nhello\r\n1\nx\n0\r\nTrailer: t\r\n\r\n",
                 FALSE, 200, "hellox", TRUE);
  /* No length: the body ends with the connection, which is then not reused. */
  assert_parses ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", TRUE, 200, "until close", FALSE);
  /* Connection: close, and HTTP/1.0 without keep-alive, are not reused. */
  assert_parses ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", FALSE, 200, "ok", FALSE);
  assert_parses ("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", FALSE, 200, "ok", FALSE);
  assert_parses ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", FALSE, 200, "ok", TRUE);
  /* 1xx interim responses are skipped; 204 and 304 have no body. */
  assert_parses ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz", FALSE, 200, "z", TRUE);
  assert_parses ("HTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n", FALSE, 304, "", TRUE);
  assert_parses ("HTTP/1.1 204 No Content\r\n\r\n", FALSE, 204, "", TRUE);
  /* Both framings: chunks win, and the connection is not trusted again. */
  assert_parses ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
                 FALSE, 200, "ab", FALSE);
  /* The same length twice is one length (RFC 9110 §8.6). */
  assert_parses ("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", FALSE, 200, "ok", TRUE);

  assert_refused ("HTTP/1.1 abc OK\r\n\r\n", BH_HTTP_PARSE_ERROR_STATUS);
  assert_refused ("ICY 200 OK\r\n\r\n", BH_HTTP_PARSE_ERROR_STATUS);
  assert_refused ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", BH_HTTP_PARSE_ERROR_LENGTH);
  assert_refused ("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok", BH_HTTP_PARSE_ERROR_LENGTH);
  assert_refused ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", BH_HTTP_PARSE_ERROR_HEAD);
  assert_refused ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", BH_HTTP_PARSE_ERROR_CHUNKS);
  assert_refused ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", BH_HTTP_PARSE_ERROR_CHUNKS);
  assert_refused ("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort", BH_HTTP_PARSE_ERROR_TRUNCATED);
  /* A head past 32 KiB. */
  while (big->len < BH_HTTP_MAX_HEAD_BYTES + 10)
    g_string_append (big, "X-Filler: 0123456789012345678901234567890123456789\r\n");
  g_string_append (big, "\r\n");
  long_head = g_string_free (g_steal_pointer (&big), FALSE);
  assert_refused (long_head, BH_HTTP_PARSE_ERROR_HEAD);
}

static void
test_parser_headers (void)
{
  Parsed p = { 0 };
  g_autoptr (BhHttpParser) parser =
    parse_in_pieces ("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nVary: Accept\r\nset-cookie: b=2, c\r\n"
                     "VARY:  Cookie \r\nX-Folded: one\r\n two\r\nContent-Length: 0\r\n\r\n",
                     3, FALSE, &p);
  g_auto (GStrv) cookies = NULL;
  g_autofree char *vary = NULL;
  g_autofree char *folded = NULL;

  g_assert_no_error (p.error);
  cookies = bh_http_parser_get_header_lines (parser, "Set-Cookie");
  g_assert_cmpuint (g_strv_length (cookies), ==, 2);
  g_assert_cmpstr (cookies[0], ==, "a=1");
  g_assert_cmpstr (cookies[1], ==, "b=2, c");
  vary = bh_http_parser_get_header (parser, "vary");
  g_assert_cmpstr (vary, ==, "Accept, Cookie");
  folded = bh_http_parser_get_header (parser, "x-folded");
  g_assert_cmpstr (folded, ==, "one two");
  g_assert_null (bh_http_parser_get_header (parser, "absent"));
  parsed_clear (&p);
}

/* The scripted server ---------------------------------------------------- */

typedef struct {
  guint id;
  guint requests;
  GSocketConnection *connection;
  GByteArray *request;
  guint8 buffer[4096];
} ServerConnection;

static GSocketService *service;
static guint server_port;
static guint accepted;

static void server_read (ServerConnection *c);

static void
server_connection_free (ServerConnection *c)
{
  g_io_stream_close (G_IO_STREAM (c->connection), NULL, NULL);
  g_object_unref (c->connection);
  g_byte_array_unref (c->request);
  g_free (c);
}

static void
server_write (ServerConnection *c, const char *response)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (c->connection));

  g_output_stream_write_all (out, response, strlen (response), NULL, NULL, NULL);
}

/* One request on @c, path @path: the answer its path asks for. Returns
 * FALSE when the connection is to be closed. */
static gboolean
server_answer (ServerConnection *c, const char *path)
{
  g_autofree char *body = g_strdup_printf ("conn=%u req=%u", c->id, c->requests);
  g_autofree char *response = NULL;

  if (g_str_equal (path, "/close"))
    {
      response = g_strdup_printf ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n%s",
                                  strlen (body), body);
      server_write (c, response);
      return FALSE;
    }
  /* The server gave up on the connection just as the request came: the
   * request is not answered, and the browser must send it again. */
  if (g_str_equal (path, "/drop-on-reuse") && c->requests > 1)
    return FALSE;
  if (g_str_equal (path, "/redirect"))
    {
      server_write (c, "HTTP/1.1 302 Found\r\nLocation: /keep\r\nContent-Length: 10\r\n\r\n0123456789");
      return TRUE;
    }
  if (g_str_equal (path, "/chunked"))
    {
      response = g_strdup_printf ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n",
                                  strlen (body), body);
      server_write (c, response);
      return TRUE;
    }
  response = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                              strlen (body), body);
  server_write (c, response);
  return TRUE;
}

static void
server_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ServerConnection *c = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  const guint8 *end;

  if (n <= 0)
    {
      server_connection_free (c);
      return;
    }
  g_byte_array_append (c->request, c->buffer, (guint) n);
  /* GET requests only: each ends with its empty line. */
  while ((end = (const guint8 *) g_strstr_len ((const char *) c->request->data, c->request->len, "\r\n\r\n")) != NULL)
    {
      g_autofree char *head = g_strndup ((const char *) c->request->data, end - c->request->data);
      g_auto (GStrv) words = g_strsplit (head, " ", 3);

      g_byte_array_remove_range (c->request, 0, (guint) (end + 4 - c->request->data));
      c->requests++;
      if (!server_answer (c, words[1] != NULL ? words[1] : "/"))
        {
          server_connection_free (c);
          return;
        }
    }
  server_read (c);
}

static void
server_read (ServerConnection *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->connection)), c->buffer,
                             sizeof c->buffer, G_PRIORITY_DEFAULT, NULL, server_read_cb, c);
}

static gboolean
incoming_cb (GSocketService *svc, GSocketConnection *connection, GObject *source, gpointer user_data)
{
  ServerConnection *c = g_new0 (ServerConnection, 1);

  c->id = ++accepted;
  c->connection = g_object_ref (connection);
  c->request = g_byte_array_new ();
  server_read (c);
  return TRUE;
}

static void
start_server (void)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  server_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (service);
}

/* Fetching --------------------------------------------------------------- */

typedef struct {
  guint pending;
  GPtrArray *bodies; /* char *, or "error: ..." */
  GMainLoop *loop;
} Fetches;

static void
fetch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetches *f = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);

  if (response != NULL)
    g_ptr_array_add (f->bodies, g_strndup (g_bytes_get_data (response->body, NULL),
                                           g_bytes_get_size (response->body)));
  else
    g_ptr_array_add (f->bodies, g_strdup_printf ("error: %s", error->message));
  if (--f->pending == 0)
    g_main_loop_quit (f->loop);
}

static gboolean
guard_cb (gpointer user_data)
{
  g_error ("the fetches did not complete within %d seconds", GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Fetches @path @count times at once and returns their bodies. */
static GPtrArray *
fetch_many (const char *path, guint count)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server_port, path);
  Fetches f = { 0 };
  guint guard;

  f.bodies = g_ptr_array_new_with_free_func (g_free);
  f.loop = g_main_loop_new (NULL, FALSE);
  for (guint i = 0; i < count; i++)
    {
      f.pending++;
      bh_fetch (url, NULL, NULL, fetch_done_cb, &f);
    }
  guard = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, NULL);
  g_main_loop_run (f.loop);
  g_source_remove (guard);
  g_main_loop_unref (f.loop);
  return f.bodies;
}

static char *
fetch_one (const char *path)
{
  g_autoptr (GPtrArray) bodies = fetch_many (path, 1);

  return g_strdup (bodies->pdata[0]);
}

/* Starts each test with no idle connection and a fresh count. */
static void
reset_pool (void)
{
  bh_http_connection_close_idle ();
  for (gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
       bh_http_connection_count_idle () > 0 && g_get_monotonic_time () < deadline;)
    g_main_context_iteration (NULL, FALSE);
  accepted = 0;
}

static void
test_reuse_sequential (void)
{
  reset_pool ();
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *body = fetch_one (i % 2 ? "/keep" : "/chunked");
      g_autofree char *expected = g_strdup_printf ("conn=1 req=%u", i);

      g_assert_cmpstr (body, ==, expected);
    }
  g_assert_cmpuint (accepted, ==, 1);
  g_assert_cmpuint (bh_http_connection_count_idle (), ==, 1);
}

static void
test_connection_close_honoured (void)
{
  reset_pool ();
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *body = fetch_one ("/close");
      g_autofree char *expected = g_strdup_printf ("conn=%u req=1", i);

      g_assert_cmpstr (body, ==, expected);
    }
  g_assert_cmpuint (accepted, ==, 3);
  g_assert_cmpuint (bh_http_connection_count_idle (), ==, 0);
}

/* The server drops a kept-alive connection as the next request arrives:
 * the request goes again on a new connection, and the user sees a page. */
static void
test_resend_on_dropped_reuse (void)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  reset_pool ();
  first = fetch_one ("/drop-on-reuse");
  g_assert_cmpstr (first, ==, "conn=1 req=1");
  second = fetch_one ("/drop-on-reuse");
  g_assert_cmpstr (second, ==, "conn=2 req=1");
  g_assert_cmpuint (accepted, ==, 2);
}

/* A redirect's short body is read, and its connection serves the next hop. */
static void
test_redirect_reuses (void)
{
  g_autofree char *body = NULL;

  reset_pool ();
  body = fetch_one ("/redirect");
  g_assert_cmpstr (body, ==, "conn=1 req=2");
  g_assert_cmpuint (accepted, ==, 1);
}

/* 30 requests at once: at most 6 connections, each used several times. */
static void
test_burst_shares_six (void)
{
  g_autoptr (GPtrArray) bodies = NULL;
  g_autoptr (GHashTable) conns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  reset_pool ();
  bodies = fetch_many ("/keep", 30);
  for (guint i = 0; i < bodies->len; i++)
    {
      const char *body = bodies->pdata[i];

      g_assert_true (g_str_has_prefix (body, "conn="));
      g_hash_table_add (conns, g_strndup (body, strcspn (body, " ")));
    }
  g_test_message ("30 requests on %u connections", accepted);
  g_assert_cmpuint (accepted, <=, 6);
  g_assert_cmpuint (g_hash_table_size (conns), ==, accepted);
  g_assert_cmpuint (bh_http_connection_count_idle (), <=, 6);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start_server ();

  g_test_add_func ("/net/connections/parser/framing", test_parser_framing);
  g_test_add_func ("/net/connections/parser/headers", test_parser_headers);
  g_test_add_func ("/net/connections/reuse-sequential", test_reuse_sequential);
  g_test_add_func ("/net/connections/connection-close", test_connection_close_honoured);
  g_test_add_func ("/net/connections/resend-on-dropped-reuse", test_resend_on_dropped_reuse);
  g_test_add_func ("/net/connections/redirect-reuses", test_redirect_reuses);
  g_test_add_func ("/net/connections/burst-shares-six", test_burst_shares_six);

  status = g_test_run ();
  bh_http_connection_close_idle ();
  bh_lws_shutdown ();
  g_socket_service_stop (service);
  g_clear_object (&service);
  return status;
}
