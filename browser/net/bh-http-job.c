/* bh-http-job.c: one http or https fetch, hop by hop (redirects), over
 * HTTP/1.1 connections kept alive between requests (bh-http-connection.c,
 * read with bh-http-parser.c): the name lookup, the connection (its place
 * in the request queue, bh-connection-queue.c, then an idle one of the
 * server's or a new one), the request, the response's head held to what
 * the browser assumes (bh-http-response.c), the body (gzip, size cap,
 * streaming), deadlines and cancellation. The HTTP cache's part of a hop is bh-http-job-cache.c;
 * the job's instance is in bh-http-job-private.h.
 */
#include "bh-http-job.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "bh-config.h"
#include "bh-connection-queue.h"
#include "bh-fetch-job-private.h"
#include "bh-http-cookies.h"
#include "bh-http-job-private.h"
#include "bh-http-response.h"
#include "bh-mime.h"
#include "bh-net-error.h"
#include "bh-net-log.h"

/* A redirect's body is read to its end, so that its connection serves the
 * next hop, when it is at most this long; a longer one closes it. */
#define MAX_DRAIN_BYTES (64 * 1024)
/* A Cookie header longer than this is left out rather than the request
 * failing: servers refuse far less anyway (lws's 64 KiB head, before). */
#define MAX_COOKIE_HEADER_BYTES (60 * 1024)

/* http and https ------------------------------------------------------------ */

static void http_job_start_hop (HttpJob *job);
static void http_job_connect_next (HttpJob *job);
static void http_job_begin_connect (HttpJob *job);
static void http_job_send_request (HttpJob *job);
static char *http_job_pool_key (HttpJob *job);
static const BhHttpConnectionFuncs http_job_connection_funcs;

static HttpJob *
http_job_ref (HttpJob *job)
{
  job->ref_count++;
  return job;
}

static void
http_job_reset_hop (HttpJob *job)
{
  http_job_detach (job);
  g_clear_pointer (&job->parser, bh_http_parser_free);
  job->reused = FALSE;
  job->fresh_only = FALSE;
  job->connection_id = 0;
  job->response_started = FALSE;
  g_clear_pointer (&job->request_cookie, g_free);
  job->request_sent = FALSE;
  bh_connection_ticket_release (&job->ticket);
  g_clear_pointer (&job->host, g_free);
  g_clear_pointer (&job->host_header, g_free);
  g_clear_pointer (&job->mapped_host, g_free);
  g_clear_pointer (&job->path, g_free);
  g_queue_clear_full (&job->addresses, g_free);
  g_clear_pointer (&job->address, g_free);
  g_clear_pointer (&job->content_type, g_free);
  g_clear_pointer (&job->charset, g_free);
  job->content_type_doubtful = FALSE;
  g_clear_pointer (&job->location, g_free);
  g_clear_pointer (&job->content_disposition, g_free);
  g_clear_pointer (&job->access_control_allow_origin, g_free);
  g_clear_pointer (&job->body, g_byte_array_unref);
  g_clear_object (&job->decoder);
  http_job_cache_reset_hop (job);
  job->cert_error = 0;
  g_clear_pointer (&job->cert_subject, g_free);
  g_clear_pointer (&job->cert_issuer, g_free);
  g_clear_pointer (&job->cert_not_after, g_free);
  job->delivered = 0;
  job->connected = FALSE;
  job->headers_received = FALSE;
  job->status = 0;
  job->chunked = FALSE;
  job->content_length = -1;
}

void
http_job_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
bh_http_job_unref (HttpJob *job)
{
  if (--job->ref_count > 0)
    return;

  g_assert (job->task == NULL);
  g_assert (job->conn == NULL);

  http_job_clear_source (&job->deadline_source);
  http_job_clear_source (&job->connect_source);
  http_job_clear_source (&job->cancel_source);
  http_job_clear_source (&job->next_source);
  bh_fetch_options_clear (&job->opts);
  g_clear_object (&job->lookup_cancellable);
  g_free (job->url);
  g_free (job->fragment);
  g_free (job->stream_mime);
  http_job_reset_hop (job);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpJob, bh_http_job_unref)

/* Lets go of the connection, closing it: the response on it was not read
 * to its end. Its callbacks no longer see the job. */
void
http_job_detach (HttpJob *job)
{
  bh_http_connection_release (g_steal_pointer (&job->conn), FALSE);
}

/* This hop's line in --net-log, with the connection it went out on. */
static void
http_job_log (HttpJob *job, const BhResponse *response, const GError *error)
{
  g_autofree char *code = NULL;
  guint64 bytes = job->delivered;

  if (!bh_net_log_is_open ())
    return;
  if (error != NULL)
    code = bh_net_error_code (error);
  if (response != NULL)
    bytes += g_bytes_get_size (response->body);
  else if (job->body != NULL)
    bytes += job->body->len;
  bh_net_log_request (job->url, &job->times, job->headers_received ? job->status : 0, code, bytes,
                      job->connection_id, job->reused, job->cache_result);
}

/* The fetch's outcome. Takes @response or @error. */
static void
http_job_complete (HttpJob    *job,
                   BhResponse *response,
                   GError     *error)
{
  if (job->task == NULL)
    {
      bh_response_free (response);
      g_clear_error (&error);
      return;
    }

  http_job_log (job, response, error);
  http_job_detach (job);
  bh_connection_ticket_release (&job->ticket);
  g_cancellable_cancel (job->lookup_cancellable);
  http_job_clear_source (&job->deadline_source);
  http_job_clear_source (&job->connect_source);
  http_job_clear_source (&job->cancel_source);
  http_job_clear_source (&job->next_source);

  bh_fetch_return_later (g_steal_pointer (&job->task), response, error);
}

static void G_GNUC_PRINTF (3, 4)
http_job_fail (HttpJob    *job,
               BhNetError  code,
               const char *format,
               ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (BH_NET_ERROR, code, format, args);
  va_end (args);

  http_job_complete (job, NULL, error);
}

/* The host for messages: the name from the URL, and where the host rules
 * sent it, since that is what a tester needs to see. */
static char *
http_job_describe_host (HttpJob *job)
{
  if (job->mapped_host != NULL)
    return g_strdup_printf ("%s (mapped to %s by the host resolver rules)", job->host,
                            job->mapped_host);
  return g_strdup (job->host);
}

static char *
http_job_final_url (HttpJob *job)
{
  return job->fragment != NULL && strchr (job->url, '#') == NULL
           ? g_strconcat (job->url, "#", job->fragment, NULL)
           : g_strdup (job->url);
}

/* The type of the body so far: the server's, or sniffed from the bytes. */
static char *
http_job_mime (HttpJob *job)
{
  if (job->content_type != NULL)
    return g_strdup (job->content_type);
  if (job->body->len == 0)
    return g_strdup ("text/plain");
  return bh_sniff_content_type (NULL, job->body->data, job->body->len);
}

void
http_job_succeed (HttpJob *job)
{
  g_autoptr (GBytes) body = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *final_url = NULL;
  BhResponse *response;

  /* What is left goes after the head; a body that ended before its head was
   * due (an empty error body, a small unsniffable one) comes whole, below. */
  if (job->stream_started)
    {
      http_job_stream_progress (job);
      if (job->task == NULL)
        return;
    }
  mime = job->stream_started ? g_strdup (job->stream_mime) : http_job_mime (job);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  final_url = http_job_final_url (job);
  http_job_cache_store (job, mime);

  response = bh_response_new (final_url, job->status, mime,
                           job->charset != NULL && *job->charset != '\0' ? job->charset : NULL,
                           body, job->redirect_count);
  response->content_type_doubtful = job->content_type_doubtful;
  response->content_disposition = g_strdup (job->content_disposition);
  response->access_control_allow_origin = g_strdup (job->access_control_allow_origin);
  response->cors_origin = http_job_cors_origin (job);
  http_job_complete (job, response, NULL);
}

/* Hands the head over once it is due (see BhFetchStreamFuncs), then every
 * byte decoded since. */
void
http_job_stream_progress (HttpJob *job)
{
  g_autoptr (GBytes) chunk = NULL;
  gsize len;

  if (!job->streaming || job->task == NULL || job->body == NULL)
    return;
  len = job->body->len;
  if (!job->stream_started)
    {
      g_autoptr (BhResponse) head = NULL;
      g_autofree char *final_url = NULL;
      gboolean due = (job->status < 400 || len > 0) && (job->content_type != NULL || len >= 512);

      if (!due)
        return;
      job->stream_started = TRUE;
      job->stream_mime = http_job_mime (job);
      final_url = http_job_final_url (job);
      chunk = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
      job->body = g_byte_array_new ();
      job->delivered += len;
      head = bh_response_new (final_url, job->status, job->stream_mime, job->charset, chunk, job->redirect_count);
      head->content_type_doubtful = job->content_type_doubtful;
      head->content_disposition = g_strdup (job->content_disposition);
      head->access_control_allow_origin = g_strdup (job->access_control_allow_origin);
      head->cors_origin = http_job_cors_origin (job);
      head->content_length = job->content_length;
      /* From now on the deadline is a silence, not the whole body. */
      if (job->deadline_source != NULL)
        g_source_set_ready_time (job->deadline_source,
                                 g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
      job->stream_funcs.response ((BhFetchStream *) job, head, job->stream_data);
      return;
    }
  if (job->deadline_source != NULL && !job->paused)
    g_source_set_ready_time (job->deadline_source, g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
  if (len == 0 || job->stream_funcs.data == NULL)
    return;
  chunk = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  job->body = g_byte_array_new ();
  job->delivered += len;
  job->stream_funcs.data ((BhFetchStream *) job, chunk, job->stream_data);
}

static gboolean
http_job_next_cb (gpointer user_data)
{
  HttpJob *job = user_data;

  http_job_clear_source (&job->next_source);
  if (job->task == NULL)
    return G_SOURCE_REMOVE;

  switch (job->next_step)
    {
    case NEXT_STEP_HOP:
      http_job_start_hop (job);
      break;
    case NEXT_STEP_ADDRESS:
      http_job_connect_next (job);
      break;
    case NEXT_STEP_CONNECT:
      http_job_begin_connect (job);
      break;
    case NEXT_STEP_CACHED:
      http_job_serve_cached (job, "hit");
      break;
    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

/* Runs the next step (a redirect's hop, the next address, or a connection
 * to the server that another fetch let go of) from the main loop rather
 * than from inside an lws callback.
 *
 * At G_PRIORITY_DEFAULT, as socket events are, not an idle's
 * G_PRIORITY_DEFAULT_IDLE: while a page loads, the window redraws its tab's
 * spinner at GDK_PRIORITY_REDRAW every frame, and on a busy machine a frame
 * never leaves the loop idle. The 7th request to a server then waited for
 * its turn until loading stopped, or its 30 s deadline (issue #12). */
void
http_job_schedule_next (HttpJob  *job,
                        NextStep  step)
{
  http_job_clear_source (&job->next_source);
  job->next_step = step;
  job->next_source = g_idle_source_new ();
  g_source_set_priority (job->next_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (job->next_source, http_job_next_cb, http_job_ref (job),
                         (GDestroyNotify) bh_http_job_unref);
  g_source_set_static_name (job->next_source, "[bulkhead] fetch next step");
  g_source_attach (job->next_source, g_task_get_context (job->task));
}

/* Another hop let go of a connection to this hop's server. May run inside
 * an lws callback: connect from the main loop. */
static void
http_job_granted_cb (BhConnectionTicket *ticket)
{
  HttpJob *job = (HttpJob *) (void *) ((char *) ticket - G_STRUCT_OFFSET (HttpJob, ticket));

  http_job_schedule_next (job, NEXT_STEP_CONNECT);
}

/* "30 seconds", "1 second", "0.5 seconds": for messages. */
static char *
format_duration (guint ms)
{
  if (ms == 1000)
    return g_strdup ("1 second");
  if (ms % 1000 == 0)
    return g_strdup_printf ("%u seconds", ms / 1000);
  return g_strdup_printf ("%.1f seconds", ms / 1000.0);
}

static gboolean
http_job_deadline_cb (gpointer user_data)
{
  HttpJob *job = user_data;
  g_autofree char *host = http_job_describe_host (job);
  g_autofree char *duration = format_duration (job->opts.timeout_ms);

  g_clear_pointer (&job->deadline_source, g_source_unref);
  if (job->stream_started)
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s sent nothing more of the page for %s.", host, duration);
  else if (job->headers_received)
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not send the whole page within %s.", host, duration);
  else
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not respond within %s.", host, duration);
  return G_SOURCE_REMOVE;
}

static gboolean
http_job_connect_timeout_cb (gpointer user_data)
{
  HttpJob *job = user_data;
  g_autofree char *host = http_job_describe_host (job);
  g_autofree char *duration = format_duration (job->opts.connect_timeout_ms);

  g_clear_pointer (&job->connect_source, g_source_unref);
  /* A lookup that never ends is a name that did not resolve, as Chromium
   * reports DNS timeouts (ERR_NAME_NOT_RESOLVED). */
  if (job->address == NULL)
    http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                   "Looking up the address of %s took longer than %s.", host, duration);
  else
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not accept a connection within %s.", host, duration);
  return G_SOURCE_REMOVE;
}

static gboolean
http_job_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  HttpJob *job = user_data;

  g_clear_pointer (&job->cancel_source, g_source_unref);
  http_job_complete (job, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Loading was stopped."));
  return G_SOURCE_REMOVE;
}

static GSource *
attach_job_source (HttpJob     *job,
                   GSource     *source,
                   GSourceFunc  callback,
                   const char  *name)
{
  g_source_set_callback (source, callback, http_job_ref (job), (GDestroyNotify) bh_http_job_unref);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_task_get_context (job->task));
  return source;
}

static gboolean
host_is_special_invalid (const char *host)
{
  /* RFC 6761 §6.4: "invalid" names never resolve, whatever DNS says. */
  return g_ascii_strcasecmp (host, "invalid") == 0 || g_str_has_suffix (host, ".invalid") ||
         g_str_has_suffix (host, ".invalid.");
}

static gboolean
host_is_localhost (const char *host)
{
  /* RFC 6761 §6.3; Chromium answers these itself, as loopback. */
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost");
}

static void
http_job_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (HttpJob) job = user_data;
  g_autoptr (GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  job->times.dns_us = g_get_monotonic_time ();
  if (job->task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  if (addresses == NULL)
    {
      g_autofree char *host = http_job_describe_host (job);

      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
        http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                       "The address of %s could not be looked up (DNS failed: %s).", host,
                       error->message);
      else
        http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                       "The server name %s could not be found.", host);
      return;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    g_queue_push_tail (&job->addresses, g_inet_address_to_string (l->data));
  g_resolver_free_addresses (addresses);

  http_job_connect_next (job);
}

static gboolean
http_job_parse_url (HttpJob *job)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  const char *scheme;
  int port;

  uri = g_uri_parse (job->url,
                     G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED_PATH |
                       G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_FRAGMENT |
                       G_URI_FLAGS_SCHEME_NORMALIZE,
                     &error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      http_job_fail (job, BH_NET_ERROR_INVALID_URL, "“%s” is not a valid web address.",
                     job->url);
      return FALSE;
    }

  if (!bh_http_host_is_valid (g_uri_get_host (uri)))
    {
      http_job_fail (job, BH_NET_ERROR_INVALID_URL,
                     "“%s” is not a valid web address (“%s” cannot be a host name).", job->url,
                     g_uri_get_host (uri));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  job->tls = g_str_equal (scheme, "https");
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = job->tls ? 443 : 80;

  job->host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (job->host, ':') != NULL)
    job->host_header = (port == (job->tls ? 443 : 80))
                         ? g_strdup_printf ("[%s]", job->host)
                         : g_strdup_printf ("[%s]:%d", job->host, port);
  else
    job->host_header = (port == (job->tls ? 443 : 80))
                         ? g_strdup (job->host)
                         : g_strdup_printf ("%s:%d", job->host, port);
  job->path = bh_http_escape_request_target (g_uri_get_path (uri), g_uri_get_query (uri));
  job->connect_port = (guint) port;

  if (job->fragment == NULL && g_uri_get_fragment (uri) != NULL)
    job->fragment = g_strdup (g_uri_get_fragment (uri));

  return TRUE;
}

static void
http_job_start_hop (HttpJob *job)
{
  const char *target;

  http_job_reset_hop (job);
  job->times = (BhNetLogTimes) { .start_us = g_get_monotonic_time () };
  if (!http_job_parse_url (job))
    return;

  if (http_job_cache_lookup (job))
    return;

  job->mapped_host = bh_host_rules_map (job->opts.host_rules, job->host, &job->connect_port);
  if (g_strcmp0 (job->mapped_host, BH_HOST_RULES_NOT_FOUND) == 0)
    {
      http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                     "The server name %s could not be found (the host resolver rules "
                     "say it does not exist).", job->host);
      return;
    }
  target = job->mapped_host != NULL ? job->mapped_host : job->host;

  if (host_is_special_invalid (target))
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                     "The server name %s could not be found.", host);
      return;
    }

  /* Waiting for a connection to the server counts against the whole
   * fetch's deadline, not the connect timeout, which starts below. */
  if (bh_connection_ticket_acquire (&job->ticket, target, job->connect_port))
    http_job_begin_connect (job);
}

/* The hop holds one of the server's connections: look the name up and
 * connect, within the connect timeout. */
static void
http_job_begin_connect (HttpJob *job)
{
  const char *target = job->mapped_host != NULL ? job->mapped_host : job->host;

  g_assert (bh_connection_ticket_holds (&job->ticket));
  job->times.queued_us = g_get_monotonic_time ();

  /* One of the server's idle connections, if it has one: no lookup, no
   * connection, no handshake. */
  if (!job->fresh_only)
    {
      g_autofree char *key = http_job_pool_key (job);

      job->conn = bh_http_connection_take_idle (key, &http_job_connection_funcs, job);
      if (job->conn != NULL)
        {
          job->reused = TRUE;
          job->connected = TRUE;
          job->connection_id = bh_http_connection_get_id (job->conn);
          http_job_send_request (job);
          return;
        }
    }

  http_job_clear_source (&job->connect_source);
  job->connect_source = attach_job_source (job, g_timeout_source_new (job->opts.connect_timeout_ms),
                                           http_job_connect_timeout_cb,
                                           "[bulkhead] fetch connect timeout");

  if (g_hostname_is_ip_address (target))
    {
      g_queue_push_tail (&job->addresses, g_strdup (target));
      http_job_connect_next (job);
    }
  else if (host_is_localhost (target))
    {
      g_queue_push_tail (&job->addresses, g_strdup ("127.0.0.1"));
      g_queue_push_tail (&job->addresses, g_strdup ("::1"));
      http_job_connect_next (job);
    }
  else
    {
      g_autoptr (GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, target, job->lookup_cancellable,
                                       http_job_lookup_cb, http_job_ref (job));
    }
}

/* --ignore-certificate-errors: the whole browser's, from main(). */
static gboolean ignore_certificate_errors;

void
bh_http_job_set_ignore_certificate_errors (gboolean ignore)
{
  ignore_certificate_errors = ignore;
}

static char *
x509_name_text (X509_NAME *name)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;
  char *text;

  if (bio == NULL)
    return g_strdup ("?");
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  len = BIO_get_mem_data (bio, &data);
  text = g_utf8_make_valid (data != NULL ? data : "", len > 0 ? len : 0);
  BIO_free (bio);
  return text;
}

static char *
asn1_time_text (const ASN1_TIME *time)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;
  char *text;

  if (bio == NULL || time == NULL)
    {
      BIO_free (bio);
      return g_strdup ("?");
    }
  ASN1_TIME_print (bio, time);
  len = BIO_get_mem_data (bio, &data);
  text = g_strndup (data != NULL ? data : "", len > 0 ? (gsize) len : 0);
  BIO_free (bio);
  return text;
}

/* OpenSSL's verification of the server's chain (see
 * BhHttpConnectionFuncs): the first failure is kept with the server
 * certificate's names for the error page, or, with
 * --ignore-certificate-errors, overruled. */
static int
http_job_verify_certificate_cb (BhHttpConnection *conn,
                                void             *x509_store_ctx,
                                gboolean          preverify_ok,
                                gpointer          user_data)
{
  X509_STORE_CTX *ctx = x509_store_ctx;
  HttpJob *job = user_data;
  X509 *leaf;

  if (preverify_ok)
    return 0;
  if (ignore_certificate_errors)
    {
      X509_STORE_CTX_set_error (ctx, X509_V_OK);
      return 0;
    }
  if (job == NULL || job->cert_error != 0)
    return 0;
  job->cert_error = X509_STORE_CTX_get_error (ctx);
  leaf = X509_STORE_CTX_get0_cert (ctx);
  if (leaf != NULL)
    {
      job->cert_subject = x509_name_text (X509_get_subject_name (leaf));
      job->cert_issuer = x509_name_text (X509_get_issuer_name (leaf));
      job->cert_not_after = asn1_time_text (X509_get0_notAfter (leaf));
    }
  return 0;
}

/* "Your connection is not private": the reason in words, then the
 * certificate's subject and issuer, as Chromium's interstitial shows them. */
static void
http_job_fail_certificate (HttpJob *job, const char *host)
{
  const char *subject = job->cert_subject != NULL ? job->cert_subject : "unknown";
  const char *issuer = job->cert_issuer != NULL ? job->cert_issuer : "unknown";
  const char *openssl = X509_verify_cert_error_string (job->cert_error);
  BhNetError code;
  g_autofree char *reason = NULL;

  switch (job->cert_error)
    {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      code = BH_NET_ERROR_CERT_AUTHORITY_INVALID;
      reason = g_strdup ("it is not signed by an authority this computer trusts");
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
      code = BH_NET_ERROR_CERT_COMMON_NAME_INVALID;
      reason = g_strdup_printf ("it is for another name than %s", job->host);
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      code = BH_NET_ERROR_CERT_DATE_INVALID;
      reason = g_strdup_printf ("it expired (valid until %s)", job->cert_not_after != NULL ? job->cert_not_after : "?");
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      code = BH_NET_ERROR_CERT_DATE_INVALID;
      reason = g_strdup ("it is not valid yet");
      break;
    default:
      code = BH_NET_ERROR_CERT_INVALID;
      reason = g_strdup ("it could not be verified");
      break;
    }
  http_job_fail (job, code,
                 "Your connection to %s is not private: the server's certificate cannot be trusted, "
                 "because %s (OpenSSL: %s). Certificate subject: %s. Issuer: %s.",
                 host, reason, openssl, subject, issuer);
}

/* A connection attempt failed (TCP or TLS): try the next address, or give
 * up with the most telling error. */
static void
http_job_connection_failed (HttpJob    *job,
                            const char *reason)
{
  g_autofree char *host = NULL;

  http_job_detach (job);

  /* Another address is worth a try only if this one never answered: a
   * server that did answer, however badly, is the one the URL named. */
  if (!job->connected && !g_queue_is_empty (&job->addresses))
    {
      g_clear_pointer (&job->address, g_free);
      http_job_schedule_next (job, NEXT_STEP_ADDRESS);
      return;
    }

  host = http_job_describe_host (job);
  if (job->cert_error != 0)
    {
      http_job_fail_certificate (job, host);
      return;
    }
  if (reason != NULL && (strstr (reason, "ssl") != NULL || strstr (reason, "tls") != NULL ||
                              strstr (reason, "SSL") != NULL || strstr (reason, "TLS") != NULL ||
                              strstr (reason, "cert") != NULL))
    http_job_fail (job, BH_NET_ERROR_FAILED,
                   "A secure connection to %s could not be made (%s).", host, reason);
  else if (job->address != NULL && g_strcmp0 (job->address, job->host) != 0)
    http_job_fail (job, BH_NET_ERROR_CONNECTION_REFUSED,
                   "%s refused the connection: nothing accepted it at %s, port %u.", host,
                   job->address, job->connect_port);
  else
    http_job_fail (job, BH_NET_ERROR_CONNECTION_REFUSED,
                   "%s refused the connection: nothing accepted it on port %u.", host,
                   job->connect_port);
}

static void
http_job_connect_next (HttpJob *job)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = http_job_pool_key (job);

  g_assert (job->conn == NULL);

  g_clear_pointer (&job->address, g_free);
  job->address = g_queue_pop_head (&job->addresses);
  g_assert (job->address != NULL);

  job->connected = FALSE;
  job->reused = FALSE;
  job->conn = bh_http_connection_open (key, job->address, job->connect_port, job->tls ? job->host : NULL,
                                       &http_job_connection_funcs, job, &error);
  if (job->conn == NULL)
    {
      http_job_connection_failed (job, error->message);
      return;
    }
  job->connection_id = bh_http_connection_get_id (job->conn);
}

/* Decoded body bytes: for the caller, and a copy for the cache. */
static void
http_job_append_body (HttpJob *job, const guint8 *data, gsize len)
{
  g_byte_array_append (job->body, data, len);
  http_job_cache_copy_body (job, data, len);
}

static void
append_decoded (HttpJob      *job,
                const guint8 *data,
                gsize         len,
                gboolean      at_end,
                GError      **error)
{
  if (job->decoder == NULL)
    {
      http_job_append_body (job, data, len);
      return;
    }

  for (;;)
    {
      guint8 out[16 * 1024];
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (job->decoder, data, len, out, sizeof out,
                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, error);
      if (result == G_CONVERTER_ERROR)
        {
          /* Needing more input is not an error until the input ends. */
          if (!at_end && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_clear_error (error);
          return;
        }

      http_job_append_body (job, out, bytes_written);
      /* At the end there is no input at all: data is NULL (UBSan, found by
       * tests/fuzz/fuzz-http.c). */
      if (bytes_read > 0)
        {
          data += bytes_read;
          len -= bytes_read;
        }

      if (result == G_CONVERTER_FINISHED)
        return;
      if (len == 0 && !at_end && bytes_written < sizeof out)
        return;
      if (job->delivered + job->body->len > job->opts.max_bytes)
        return;
    }
}

static gboolean
http_job_check_size (HttpJob *job)
{
  g_autofree char *host = NULL;

  if (job->delivered + job->body->len <= job->opts.max_bytes)
    return TRUE;

  host = http_job_describe_host (job);
  http_job_fail (job, BH_NET_ERROR_TOO_LARGE,
                 "The page from %s is larger than the %" G_GSIZE_FORMAT " bytes a page may have.",
                 host, job->opts.max_bytes);
  return FALSE;
}

/* The connection serves the next hop once the redirect's body is read:
 * a short one is, with the connection given a parser of its own; a long
 * one, or one that ends with the connection, closes it. */
static void
http_job_drain_connection (HttpJob      *job,
                           const guint8 *rest,
                           gsize         rest_len)
{
  gint64 length = bh_http_parser_get_content_length (job->parser);

  if (job->conn == NULL)
    return;
  if (bh_http_parser_is_complete (job->parser))
    bh_http_connection_release (g_steal_pointer (&job->conn),
                                bh_http_parser_keeps_alive (job->parser) && rest_len == 0);
  else if (bh_http_parser_is_chunked (job->parser) || (length >= 0 && length <= MAX_DRAIN_BYTES))
    bh_http_connection_release_draining (g_steal_pointer (&job->conn), g_steal_pointer (&job->parser), rest,
                                         rest_len, MAX_DRAIN_BYTES);
  else
    http_job_detach (job);
}


/* The status line and headers are in, @rest_len bytes of the body after
 * them in this read. The job lets go of the connection when it no longer
 * wants it. */
static void
http_job_headers (HttpJob      *job,
                  const guint8 *rest,
                  gsize         rest_len)
{
  g_autofree char *content_type = bh_http_parser_get_header (job->parser, "content-type");
  g_autofree char *content_encoding = bh_http_parser_get_header (job->parser, "content-encoding");

  job->headers_received = TRUE;
  job->status = bh_http_parser_get_status (job->parser);
  bh_http_cookies_store (&job->opts, job->url, job->parser);
  /* A 304 that revalidates is served from the cache; its connection
   * serves the next request. */
  if (job->status == 304 && job->cache_entry != NULL)
    http_job_drain_connection (job, rest, rest_len);
  if (http_job_cache_head (job))
    return;
  job->location = bh_http_parser_get_header (job->parser, "location");
  g_clear_pointer (&job->content_disposition, g_free);
  job->content_disposition = bh_http_parser_get_header (job->parser, "content-disposition");
  g_clear_pointer (&job->access_control_allow_origin, g_free);
  job->access_control_allow_origin = bh_http_parser_get_header (job->parser, "access-control-allow-origin");
  /* A server's words reach the UI (a file name): printable ASCII only. */
  for (const char *p = job->content_disposition; p != NULL && *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e)
      {
        g_clear_pointer (&job->content_disposition, g_free);
        break;
      }
  job->chunked = bh_http_parser_is_chunked (job->parser);

  /* lws joins repeated headers with ",": the Fetch Standard's header list
   * value, which "extract a MIME type" reads (issue #12: "image/png" then
   * "text/html" used to become the one type "image/png,  text/html"). */
  if (content_type != NULL)
    {
      g_autoptr (BhMimeType) type = NULL;

      job->content_type_doubtful = bh_mime_extract (content_type, &type) != BH_MIME_EXTRACTED;
      if (type != NULL)
        {
          job->content_type = g_steal_pointer (&type->essence);
          /* Encoding labels are ASCII (Encoding Standard §4.2); another
           * value names no encoding, and would reach the renderer as a
           * string GLib refuses (found by tests/fuzz/fuzz-http.c). */
          if (type->charset != NULL && bh_http_charset_is_label (type->charset))
            job->charset = g_steal_pointer (&type->charset);
        }
    }

  job->content_length = bh_http_parser_get_content_length (job->parser);

  if (bh_http_status_is_redirect (job->status) && job->location != NULL)
    {
      g_autofree char *next = NULL, *blocked = NULL;
      const char *scheme;

      if (job->redirect_count >= BH_FETCH_MAX_REDIRECTS)
        {
          g_autofree char *host = http_job_describe_host (job);

          http_job_fail (job, BH_NET_ERROR_TOO_MANY_REDIRECTS,
                         "%s redirected too many times (more than %d redirects).", host,
                         BH_FETCH_MAX_REDIRECTS);
          return;
        }

      next = bh_http_resolve_location (job->url, g_strstrip (job->location), &scheme);
      if (next == NULL && scheme != NULL && !g_str_equal (scheme, "http") &&
          !g_str_equal (scheme, "https"))
        {
          g_autofree char *shown = bh_http_printable (job->location);

          http_job_fail (job, BH_NET_ERROR_UNSAFE_REDIRECT,
                         "The page redirected to “%s”, and a web page may only redirect to "
                         "http or https addresses.", shown);
          return;
        }
      if (next == NULL)
        {
          g_autofree char *shown = bh_http_printable (job->location);

          http_job_fail (job, BH_NET_ERROR_INVALID_URL,
                         "The page redirected to “%s”, which is not a valid address.", shown);
          return;
        }

      if (job->opts.cors_origin != NULL && (blocked = http_job_cors_redirect (job, next)) != NULL)
        {
          http_job_fail (job, BH_NET_ERROR_FAILED, "%s", blocked);
          return;
        }
      job->redirect_count++;
      /* A form's POST redirected by 301, 302 or 303 is a GET from now on. */
      if (job->opts.upload_body != NULL && (job->status == 301 || job->status == 302 || job->status == 303))
        {
          g_clear_pointer (&job->opts.upload_body, g_bytes_unref);
          g_clear_pointer (&job->opts.upload_content_type, g_free);
        }
      http_job_log (job, NULL, NULL);
      http_job_drain_connection (job, rest, rest_len);
      g_free (job->url);
      job->url = g_steal_pointer (&next);
      http_job_reset_hop (job);
      http_job_schedule_next (job, NEXT_STEP_HOP);
      return;
    }

  if (job->content_length > 0 && (guint64) job->content_length > job->opts.max_bytes &&
      content_encoding == NULL)
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_TOO_LARGE,
                     "The page from %s is %" G_GINT64_FORMAT " bytes, more than the %"
                     G_GSIZE_FORMAT " bytes a page may have.",
                     host, job->content_length, job->opts.max_bytes);
      return;
    }

  if (content_encoding != NULL)
    {
      g_strstrip (content_encoding);
      if (g_ascii_strcasecmp (content_encoding, "gzip") == 0 ||
          g_ascii_strcasecmp (content_encoding, "x-gzip") == 0)
        job->decoder = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      else if (g_ascii_strcasecmp (content_encoding, "identity") != 0 &&
               *content_encoding != '\0')
        {
          g_autofree char *host = http_job_describe_host (job);
          g_autofree char *shown = bh_http_printable (content_encoding);

          http_job_fail (job, BH_NET_ERROR_FAILED,
                         "%s sent the page with the “%s” content encoding, which Bulkhead "
                         "does not decode.", host, shown);
          return;
        }
    }

  job->body = g_byte_array_new ();
  http_job_stream_progress (job);
}

static void
http_job_body_complete (HttpJob *job)
{
  g_autoptr (GError) error = NULL;

  if (job->decoder != NULL)
    {
      append_decoded (job, NULL, 0, TRUE, &error);
      if (error != NULL)
        {
          g_autofree char *host = http_job_describe_host (job);

          http_job_fail (job, BH_NET_ERROR_FAILED, "%s sent a damaged gzip body (%s).", host,
                         error->message);
          return;
        }
      if (!http_job_check_size (job))
        return;
    }

  http_job_detach (job);
  http_job_succeed (job);
}

static const char request_accept[] = "text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8";
static const char request_user_agent[] = "Mozilla/5.0 (X11; Linux x86_64) Bulkhead/" BH_VERSION;

char *
http_job_request_header (HttpJob    *job,
                         const char *name)
{
  if (g_str_equal (name, "accept"))
    return g_strdup (request_accept);
  if (g_str_equal (name, "user-agent"))
    return g_strdup (request_user_agent);
  if (g_str_equal (name, "accept-encoding"))
    return g_strdup ("gzip");
  if (g_str_equal (name, "host"))
    return g_strdup (job->host_header);
  for (guint i = 0; job->opts.extra_headers != NULL && job->opts.extra_headers[i] != NULL &&
                    job->opts.extra_headers[i + 1] != NULL;
       i += 2)
    if (g_ascii_strcasecmp (job->opts.extra_headers[i], name) == 0)
      return g_strdup (job->opts.extra_headers[i + 1]);
  if (g_str_equal (name, "cookie"))
    {
      g_autofree char *cookie = job->request_sent ? g_strdup (job->request_cookie)
                                                  : bh_http_cookies_for_request (&job->opts, job->url);

      return cookie != NULL && strlen (cookie) < MAX_COOKIE_HEADER_BYTES ? g_steal_pointer (&cookie) : NULL;
    }
  return NULL;
}

/* The request, as HTTP/1.1 has it (RFC 9112 §3): a line, the header
 * fields (Host first, §3.2), an empty line, a form's body. */
static void
http_job_send_request (HttpJob *job)
{
  const char *accept = request_accept;
  const char *user_agent = request_user_agent;
  g_autoptr (GString) request = g_string_new (NULL);
  g_autofree char *cookie = bh_http_cookies_for_request (&job->opts, job->url);

  g_string_append_printf (request,
                          "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\nUser-Agent: %s\r\n"
                          "Accept: %s\r\nAccept-Encoding: gzip\r\n",
                          job->opts.upload_body != NULL ? "POST" : "GET", job->path, job->host_header,
                          user_agent, accept);
  /* A form's POST: its type and length, the body after the head. */
  if (job->opts.upload_body != NULL)
    {
      const char *type = job->opts.upload_content_type;

      if (type == NULL || strpbrk (type, "\r\n") != NULL)
        type = "application/x-www-form-urlencoded";
      g_string_append_printf (request, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n", type,
                              g_bytes_get_size (job->opts.upload_body));
    }
  http_job_cache_add_request_headers (job, request);
  /* Automation's (network.setExtraHeaders): names are tokens and values hold no
   * CR, LF or NUL, checked where they came in (bh-bidi-network.c); checked again
   * here, so that no request can be split. */
  for (guint i = 0; job->opts.extra_headers != NULL && job->opts.extra_headers[i] != NULL &&
                    job->opts.extra_headers[i + 1] != NULL;
       i += 2)
    if (strpbrk (job->opts.extra_headers[i], "\r\n:") == NULL && strpbrk (job->opts.extra_headers[i + 1], "\r\n") == NULL)
      g_string_append_printf (request, "%s: %s\r\n", job->opts.extra_headers[i], job->opts.extra_headers[i + 1]);
  g_clear_pointer (&job->request_cookie, g_free);
  if (cookie != NULL && strlen (cookie) < MAX_COOKIE_HEADER_BYTES)
    {
      g_string_append_printf (request, "Cookie: %s\r\n", cookie);
      job->request_cookie = g_strdup (cookie);
    }
  job->request_sent = TRUE;
  g_string_append (request, "\r\n");
  if (job->opts.upload_body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (job->opts.upload_body, &size);

      g_string_append_len (request, data, (gssize) size);
    }

  g_clear_pointer (&job->parser, bh_http_parser_free);
  job->parser = bh_http_parser_new (FALSE);
  job->response_started = FALSE;
  bh_http_connection_send (job->conn, (const guint8 *) request->str, request->len);
}

/* Which connections this hop may share: the URL's scheme, host and port,
 * and where the host rules sent it. */
static char *
http_job_pool_key (HttpJob *job)
{
  const char *target = job->mapped_host != NULL ? job->mapped_host : job->host;

  return g_strdup_printf ("%s://%s>%s:%u", job->tls ? "https" : "http", job->host_header, target,
                          job->connect_port);
}

/* A new connection is ready (TCP, and TLS for https): the connect timeout
 * has passed. */
static void
http_job_connected_cb (BhHttpConnection *conn,
                       gpointer          user_data)
{
  HttpJob *job = user_data;

  job->connected = TRUE;
  job->times.connect_us = g_get_monotonic_time ();
  http_job_clear_source (&job->connect_source);
  http_job_send_request (job);
}

/* A response Bulkhead will not read: the browser's decision, said so
 * (issue #12: it used to read as the server closing the connection). */
static void
http_job_parse_failed (HttpJob      *job,
                       const GError *error)
{
  g_autofree char *host = http_job_describe_host (job);

  if (error->code == BH_HTTP_PARSE_ERROR_STATUS)
    http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                   "%s sent a response without a valid status code, so Bulkhead closed the connection.",
                   host);
  else if (error->code == BH_HTTP_PARSE_ERROR_CHUNKS)
    http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                   "%s sent a malformed chunked body, so Bulkhead closed the connection.", host);
  else
    http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                   "%s sent a response that is not valid HTTP (%s), so Bulkhead closed the connection.",
                   host, error->message);
}

/* Body bytes, chunking removed: decoded, counted, handed on. Returns
 * whether the job still reads. */
static gboolean
http_job_take_body (HttpJob      *job,
                    const guint8 *data,
                    gsize         len)
{
  g_autoptr (GError) error = NULL;

  if (job->body == NULL)
    return FALSE;
  append_decoded (job, data, len, FALSE, &error);
  if (error != NULL)
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_FAILED, "%s sent a damaged gzip body (%s).", host, error->message);
      return FALSE;
    }
  if (!http_job_check_size (job))
    return FALSE;
  http_job_stream_progress (job);
  return job->task != NULL;
}

/* Bytes of the response: the head, then the body, until it ends; the
 * connection then goes back to the pool if the response allows. */
static void
http_job_received_cb (BhHttpConnection *conn,
                      const guint8     *data,
                      gsize             len,
                      gpointer          user_data)
{
  g_autoptr (HttpJob) job = http_job_ref (user_data);

  job->response_started = TRUE;
  while (job->conn == conn && job->task != NULL)
    {
      g_autoptr (GByteArray) body = g_byte_array_new ();
      g_autoptr (GError) error = NULL;
      gsize used = 0;
      BhHttpParseResult result = bh_http_parser_feed (job->parser, data, len, &used, body, &error);

      data += used;
      len -= used;
      if (body->len > 0 && !http_job_take_body (job, body->data, body->len))
        return;
      switch (result)
        {
        case BH_HTTP_PARSE_MORE:
          return;
        case BH_HTTP_PARSE_HEAD:
          job->times.first_byte_us = g_get_monotonic_time ();
          http_job_headers (job, data, len);
          break;
        case BH_HTTP_PARSE_DONE:
          /* Bytes after the response were never asked for: not reused. */
          bh_http_connection_release (g_steal_pointer (&job->conn),
                                      bh_http_parser_keeps_alive (job->parser) && len == 0);
          http_job_body_complete (job);
          return;
        case BH_HTTP_PARSE_ERROR:
          http_job_parse_failed (job, error);
          return;
        default:
          g_assert_not_reached ();
        }
    }
}

/* The connection is gone: before the response, a failed attempt (or, on
 * a connection that had carried a request, the server closing it idle
 * just as this one went out: sent again on a new connection, as Chromium
 * does); in it, the end of a body that has no length, or a cut. */
static void
http_job_closed_cb (BhHttpConnection *conn,
                    const char       *reason,
                    gpointer          user_data)
{
  g_autoptr (HttpJob) job = http_job_ref (user_data);
  g_autoptr (GError) error = NULL;
  g_autofree char *host = NULL;

  job->conn = NULL;
  if (job->task == NULL)
    return;
  if (!job->connected)
    {
      http_job_connection_failed (job, reason);
      return;
    }
  if (job->reused && !job->response_started && !job->fresh_only)
    {
      job->fresh_only = TRUE;
      job->reused = FALSE;
      job->connected = FALSE;
      http_job_schedule_next (job, NEXT_STEP_CONNECT);
      return;
    }
  host = http_job_describe_host (job);
  if (!job->headers_received)
    http_job_fail (job, BH_NET_ERROR_EMPTY_RESPONSE,
                   "%s closed the connection without sending a complete response.", host);
  else if (job->body != NULL && bh_http_parser_finish (job->parser, &error))
    /* No length and not chunked: the body ends where the connection does
     * (RFC 9112 §6.3, item 8). */
    http_job_body_complete (job);
  else
    http_job_fail (job, BH_NET_ERROR_FAILED,
                   "%s closed the connection before the whole page arrived.", host);
}

static const BhHttpConnectionFuncs http_job_connection_funcs = {
  .connected = http_job_connected_cb,
  .received = http_job_received_cb,
  .closed = http_job_closed_cb,
  .verify = http_job_verify_certificate_cb,
};

HttpJob *
bh_http_job_start (GTask                    *task,
                const char               *url,
                const BhFetchOptions     *opts,
                const BhFetchStreamFuncs *funcs,
                gpointer                  funcs_data)
{
  HttpJob *job = g_new0 (HttpJob, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  job->ref_count = 1;
  job->ticket.granted = http_job_granted_cb;
  job->task = task;
  if (funcs != NULL)
    {
      job->streaming = TRUE;
      job->stream_funcs = *funcs;
      job->stream_data = funcs_data;
    }
  job->url = g_strdup (url);
  job->content_length = -1;
  job->lookup_cancellable = g_cancellable_new ();
  bh_fetch_options_copy (&job->opts, opts);

  job->deadline_source = attach_job_source (job, g_timeout_source_new (job->opts.timeout_ms),
                                            http_job_deadline_cb, "[bulkhead] fetch deadline");
  if (cancellable != NULL)
    job->cancel_source = attach_job_source (job, g_cancellable_source_new (cancellable),
                                            (GSourceFunc) (void (*) (void)) http_job_cancelled_cb,
                                            "[bulkhead] fetch cancelled");

  http_job_start_hop (job);
  return job;
}


void
bh_http_job_set_paused (HttpJob  *job,
                        gboolean  paused)
{
  if (job == NULL || job->task == NULL || job->paused == !!paused)
    return;
  job->paused = !!paused;
  /* A pause is the reader's, not the server's silence: no deadline meanwhile. */
  if (job->deadline_source != NULL && job->stream_started)
    g_source_set_ready_time (job->deadline_source,
                             paused ? -1 : g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
  if (job->conn != NULL)
    bh_http_connection_set_paused (job->conn, paused);
}
