/* bh-http-job-private.h: the http(s) job's instance and the functions
 * bh-http-job.c (the fetch: lookup, connection, request, head, body) and
 * bh-http-job-cache.c (the HTTP cache's part of a hop) share. Not for use
 * outside those two files.
 */
#pragma once

#include "bh-connection-queue.h"
#include "bh-fetch-job.h"
#include "bh-http-cache.h"
#include "bh-http-connection.h"
#include "bh-http-parser.h"
#include "bh-net-log.h"

G_BEGIN_DECLS

typedef struct _BhFetchStream HttpJob;

typedef enum {
  NEXT_STEP_HOP,     /* a redirect: look up and connect to job->url */
  NEXT_STEP_ADDRESS, /* the last address failed: try the next one */
  NEXT_STEP_CONNECT, /* a connection to the server is free: look up, connect */
  NEXT_STEP_CACHED,  /* the HTTP cache answers: hand its response over */
} NextStep;

struct _BhFetchStream {
  int ref_count;
  GTask *task;                  /* NULL once the fetch has an outcome */
  BhFetchOptions opts;
  GCancellable *lookup_cancellable;
  GSource *deadline_source;     /* the whole fetch */
  GSource *connect_source;      /* this hop: lookup, TCP, TLS */
  GSource *cancel_source;       /* the caller's cancellable */
  GSource *next_source;         /* the next hop or address, from idle */
  NextStep next_step;

  char *url;                    /* this hop's URL */
  char *fragment;               /* the first URL's, kept across redirects */
  guint redirect_count;

  /* This hop. */
  gboolean tls;
  char *host;                   /* from the URL, IPv6 without brackets */
  char *host_header;            /* host[:port] as sent */
  char *mapped_host;            /* from the host rules, or NULL */
  char *path;                   /* path?query, escaped */
  guint connect_port;
  GQueue addresses;             /* char *, left to try */
  char *address;                /* being tried */
  BhConnectionTicket ticket;    /* this hop's place in the server's queue */
  BhNetLogTimes times;          /* this hop's, for --net-log */

  /* The profile's HTTP cache (RFC 9111). */
  BhHttpCacheEntry *cache_entry; /* stored for this hop's URL: served, or revalidated */
  GByteArray *cache_copy;       /* the body as it comes, to store; NULL: not stored */
  char *cache_headers[8];       /* BhHttpCacheHeaders' values, in its order */
  char *request_cookie;         /* the Cookie this hop's request sent, NULL for none */
  gboolean request_sent;
  const char *cache_result;     /* for the net log: "hit", "revalidated", "miss", "none" */

  /* The first certificate verification failure of this hop (OpenSSL's). */
  int cert_error;               /* X509_V_ERR_*, 0 for none */
  char *cert_subject;           /* the server certificate's, RFC 2253 */
  char *cert_issuer;
  char *cert_not_after;
  BhHttpConnection *conn;       /* this hop's, while it has one */
  BhHttpParser *parser;         /* the response on it */
  gboolean reused;              /* conn carried a request before */
  gboolean fresh_only;          /* a reused connection failed: open a new one */
  guint connection_id;          /* for the net log, 0 for none */
  gboolean response_started;    /* a byte of the response came */
  gboolean connected;
  gboolean headers_received;
  guint status;
  char *content_type;
  char *charset;
  gboolean content_type_doubtful; /* see BhResponse */
  char *location;
  char *content_disposition; /* printable ASCII only, else NULL */
  char *access_control_allow_origin; /* the hop's Access-Control-Allow-Origin, or NULL */
  gboolean chunked;
  gint64 content_length;        /* -1: unknown */
  GByteArray *body;             /* decoded, not yet handed over */
  GConverter *decoder;          /* gzip, or NULL */

  /* bh_fetch_stream(): the body goes to the caller as it arrives. */
  gboolean streaming;
  BhFetchStreamFuncs stream_funcs;
  gpointer stream_data;
  gboolean stream_started;      /* the head went out: the rest goes through .data */
  char *stream_mime;            /* the type the head said */
  gsize delivered;              /* body bytes handed over */
  gboolean paused;
};

/* bh-http-job.c ------------------------------------------------------------ */

/* Destroys and unrefs *@source, if any, and sets it to NULL. */
void http_job_clear_source (GSource **source);

/* Lets go of the connection; its callbacks no longer see the job. */
void http_job_detach (HttpJob *job);

/* Runs @step from the main loop, never from inside an lws callback. */
void http_job_schedule_next (HttpJob  *job,
                             NextStep  step);

/* Hands the streaming caller the head once it is due, then every byte
 * decoded since. */
void http_job_stream_progress (HttpJob *job);

/* The body is whole: stores it (if kept for the cache) and completes the
 * fetch with the response. */
void http_job_succeed (HttpJob *job);


/* What this hop's request sends (or would send, before it went) for the
 * header field @name (lower case): for Vary. NULL when it sends none. */
char *http_job_request_header (HttpJob    *job,
                               const char *name);

/* bh-http-job-cache.c: the profile's HTTP cache (RFC 9111) ---------------- */

/* Forgets this hop's cache state (entry, body copy, headers), and sets the
 * net log's result to "miss" (or "none" without a cache to ask). */
void http_job_cache_reset_hop (HttpJob *job);

/* Looks this hop's URL up. Returns TRUE when a fresh entry answers (served
 * from the main loop, no request at all); else a stale entry with
 * validators is kept in job->cache_entry, to be revalidated. */
gboolean http_job_cache_lookup (HttpJob *job);

/* Adds the request's If-None-Match / If-Modified-Since (revalidating) and,
 * for a reload that bypasses the cache, Cache-Control and Pragma no-cache,
 * to @request (header lines, each ending in CRLF). */
void http_job_cache_add_request_headers (HttpJob *job,
                                         GString *request);

/* The head is in (status known): keeps the cache's headers and a 200's
 * body for storing. Returns TRUE when a 304 revalidated the stored response
 * and it was served, so the caller stops handling this head. */
gboolean http_job_cache_head (HttpJob *job);

/* Decoded body bytes: a copy for the cache, dropped past
 * BH_HTTP_CACHE_MAX_ENTRY_BYTES. */
void http_job_cache_copy_body (HttpJob      *job,
                               const guint8 *data,
                               gsize         len);

/* Stores the whole body kept for the cache, if any, with @mime. */
void http_job_cache_store (HttpJob    *job,
                           const char *mime);

/* The cache answers: job->cache_entry's response, as if it had just
 * arrived; @result is the net log's ("hit", "revalidated"). */
void http_job_serve_cached (HttpJob    *job,
                            const char *result);

/* bh-http-job-cors.c. A CORS request's Origin header as the last hop sent it
 * (NULL when not a CORS request). */
char *http_job_cors_origin (HttpJob *job);

/* A page's CORS request redirected to @next (BhFetchOptions.cors_origin): the
 * hop must pass the CORS check (Fetch Standard §4.4 "HTTP-redirect fetch"),
 * and a hop to another origin than both the current URL's and the request's
 * taints the request's origin, so the next hops say "Origin: null". Returns
 * NULL to follow it, else why not (free it). */
char *http_job_cors_redirect (HttpJob    *job,
                              const char *next);

G_END_DECLS
