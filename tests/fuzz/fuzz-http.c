/* fuzz-http: libFuzzer target for the browser's HTTP response path
 * (browser/net/bh-http-job.c, bh-http-parser.c, bh-http-connection.c,
 * bh-http-response.c, bh-mime.c; docs/fuzzing.md).
 *
 * The input is what a server sends back: status line, headers, body (chunked,
 * gzip, close-delimited, truncated, or none of these). The target is that
 * server: it listens on 127.0.0.1, and bh_fetch() asks it for a page through
 * the real fetcher and the real libwebsockets client on the GLib main loop,
 * as a navigation or a subresource does. Whatever the bytes, the fetch must
 * end with a response or a net error, never a crash, a GLib critical or a
 * leak; a response must have a status 100-599, a MIME type essence
 * (bh_mime_is_essence()), a body within the size cap, and an error a
 * non-empty UTF-8 message that the error page can show.
 *
 * The first input byte is the server's behaviour: bits 0-2 the size of the
 * pieces it writes, with a main-loop turn between pieces (1, 2, 7, 64, 512
 * bytes or all at once); bit 3 a small size cap (1 KiB, not 1 MiB); bits 4-5
 * what a second connection (a redirect's) gets: the same bytes, a short 200,
 * or nothing at all. Every host name maps to this server
 * (--host-resolver-rules), so no redirect leaves the machine.
 *
 * Bulkhead's own parser (browser/net/bh-http-parser.c) reads the status
 * line, the headers and the chunked encoding, and decides whether the
 * connection is kept alive for the second request; libwebsockets only
 * carries the bytes (raw sockets), so libFuzzer sees the coverage of all
 * of the response path.
 */
#include <errno.h>
#include <stdlib.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bh-error-page.h"
#include "bh-fetcher.h"
#include "bh-host-rules.h"
#include "bh-lws.h"
#include "bh-mime.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define MAX_REQUEST_BYTES (16 * 1024)

typedef enum {
  SECOND_SAME,
  SECOND_SHORT,
  SECOND_NOTHING,
} Second;

typedef struct {
  int fd;
  GByteArray *request;
  GBytes *response;
  gsize written;
  gboolean shut;
  guint source;
} Connection;

static int listener = -1;
static guint16 port;
static BhHostRules *host_rules;

/* This input. */
static const guint8 *input;
static gsize input_size;
static gsize piece_bytes;
static Second second;
static guint connections_made;
static guint connections_open;

static const char short_response[] =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

static void
connection_free (Connection *c)
{
  if (c->source != 0)
    g_source_remove (c->source);
  close (c->fd);
  g_byte_array_unref (c->request);
  g_clear_pointer (&c->response, g_bytes_unref);
  g_free (c);
  connections_open--;
}

static gboolean connection_cb (int fd, GIOCondition condition, gpointer data);

static void
connection_watch (Connection *c, GIOCondition condition)
{
  c->source = g_unix_fd_add (c->fd, condition, connection_cb, c);
}

static gboolean
connection_cb (int fd, GIOCondition condition, gpointer data)
{
  Connection *c = data;
  guint8 buffer[4096];
  ssize_t n;

  /* Reading: the request first, then (once answered) until the browser
   * closes its end. */
  if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR))
    {
      n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        {
          c->source = 0;
          connection_free (c);
          return G_SOURCE_REMOVE;
        }
      if (n > 0 && c->response == NULL)
        {
          g_byte_array_append (c->request, buffer, (guint) n);
          if (memmem (c->request->data, c->request->len, "\r\n\r\n", 4) != NULL ||
              c->request->len > MAX_REQUEST_BYTES)
            {
              connections_made++;
              if (connections_made == 1 || second == SECOND_SAME)
                c->response = g_bytes_new_static (input, input_size);
              else if (second == SECOND_SHORT)
                c->response = g_bytes_new_static (short_response, sizeof short_response - 1);
              else
                c->response = g_bytes_new_static ("", 0);
              c->source = 0;
              connection_watch (c, G_IO_OUT | G_IO_IN);
              return G_SOURCE_REMOVE;
            }
        }
    }

  /* Writing one piece per turn of the main loop, then the end of stream. */
  if ((condition & G_IO_OUT) && c->response != NULL && !c->shut)
    {
      gsize size;
      const guint8 *bytes = g_bytes_get_data (c->response, &size);

      if (c->written < size)
        {
          n = send (fd, bytes + c->written, MIN (piece_bytes, size - c->written),
                    MSG_DONTWAIT | MSG_NOSIGNAL);
          if (n > 0)
            c->written += (gsize) n;
          else if (n < 0 && errno != EAGAIN && errno != EINTR)
            {
              c->source = 0;
              connection_free (c);
              return G_SOURCE_REMOVE;
            }
        }
      if (c->written == size)
        {
          shutdown (fd, SHUT_WR);
          c->shut = TRUE;
          c->source = 0;
          connection_watch (c, G_IO_IN);
          return G_SOURCE_REMOVE;
        }
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
incoming_cb (int fd, GIOCondition condition, gpointer data)
{
  int client = accept4 (fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  Connection *c;

  if (client < 0)
    return G_SOURCE_CONTINUE;
  c = g_new0 (Connection, 1);
  c->fd = client;
  c->request = g_byte_array_new ();
  connections_open++;
  connection_watch (c, G_IO_IN);
  return G_SOURCE_CONTINUE;
}

/* A GLib critical or warning is a finding: abort(), which libFuzzer catches
 * and saves the input for (G_DEBUG=fatal-criticals traps instead, and
 * libFuzzer saves nothing for a trap). */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  GLogWriterOutput result = g_log_writer_standard_streams (level, fields, n_fields, data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return result;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  g_autofree char *rules = NULL;
  g_autoptr (GError) error = NULL;

  g_log_set_writer_func (log_writer, NULL, NULL);
  listener = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  g_assert (listener >= 0);
  g_assert (bind (listener, (struct sockaddr *) &addr, sizeof addr) == 0);
  g_assert (getsockname (listener, (struct sockaddr *) &addr, &len) == 0);
  g_assert (listen (listener, 64) == 0);
  port = ntohs (addr.sin_port);
  g_unix_fd_add (listener, G_IO_IN, incoming_cb, NULL);

  rules = g_strdup_printf ("MAP * 127.0.0.1:%u", port);
  host_rules = bh_host_rules_parse (rules, &error);
  g_assert_no_error (error);
  g_assert (bh_lws_get_context () != NULL);
  return 0;
}

typedef struct {
  gboolean done;
  BhResponse *response;
  GError *error;
} Fetch;

static void
fetch_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Fetch *fetch = data;

  fetch->response = bh_fetch_finish (result, &fetch->error);
  fetch->done = TRUE;
}

static void
check_response (const BhResponse *response, gsize max_bytes)
{
  g_assert (response->final_url != NULL && g_str_has_prefix (response->final_url, "http"));
  /* It goes to the renderer in a GVariant string and to the URL bar. */
  if (!g_utf8_validate (response->final_url, -1, NULL))
    g_error ("the final URL is not UTF-8: %s", response->final_url);
  g_assert_cmpuint (response->http_status, >=, 100);
  g_assert_cmpuint (response->http_status, <=, 599);
  if (!bh_mime_is_essence (response->content_type))
    g_error ("the response's type “%s” is no MIME type essence", response->content_type);
  g_assert (response->charset == NULL || g_utf8_validate (response->charset, -1, NULL));
  g_assert (response->body != NULL);
  g_assert_cmpuint (g_bytes_get_size (response->body), <=, max_bytes);
  g_assert_cmpuint (response->redirect_count, <=, BH_FETCH_MAX_REDIRECTS);
}

static void
check_error (const GError *error)
{
  g_autofree char *code = bh_net_error_code (error);
  g_autoptr (GBytes) page = NULL;

  g_assert (error->domain == BH_NET_ERROR);
  g_assert (error->message[0] != '\0');
  if (!g_utf8_validate (error->message, -1, NULL))
    g_error ("the error message is not UTF-8: %s", error->message);
  /* What the user sees of it. */
  page = bh_error_page_render ("http://fuzz.test/", code, error->message, 0);
  g_assert (g_bytes_get_size (page) > 0);
}

static gboolean
guard_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const gsize pieces[] = { 1, 2, 7, 64, 512, G_MAXSIZE, G_MAXSIZE, G_MAXSIZE };
  BhFetchOptions opts = { 0 };
  Fetch fetch = { 0 };
  gboolean expired = FALSE;
  guint guard;

  if (size < 1)
    return 0;
  piece_bytes = pieces[data[0] & 7];
  opts.max_bytes = (data[0] & 8) ? 1024 : 1024 * 1024;
  second = ((data[0] >> 4) & 3) % 3;
  input = data + 1;
  input_size = size - 1;
  connections_made = 0;

  /* Short deadlines: a response that never ends is a timeout, quickly. */
  opts.timeout_ms = 2000;
  opts.connect_timeout_ms = 1000;
  opts.host_rules = host_rules;
  bh_fetch ("http://fuzz.test/page", &opts, NULL, fetch_done_cb, &fetch);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);

  if (fetch.response != NULL)
    check_response (fetch.response, opts.max_bytes);
  else
    check_error (fetch.error);
  bh_response_free (fetch.response);
  g_clear_error (&fetch.error);

  /* The browser lets go of every connection: each run starts afresh. */
  guard = g_timeout_add (2000, guard_cb, &expired);
  while (connections_open > 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (guard);
  if (connections_open > 0)
    g_error ("the browser still holds %u connections to the server after the fetch",
             connections_open);
  /* What lws still has to do on its side (closing, freeing). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
