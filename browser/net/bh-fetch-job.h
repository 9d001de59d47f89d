/* bh-fetch-job.h: what every fetch shares, whatever its scheme: its
 * options, its response, the stream callbacks, and (in
 * bh-fetch-job-private.h) how a fetch is completed.
 */
#pragma once

#include <gio/gio.h>

#include "bh-host-rules.h"
#include "bh-profile.h"

G_BEGIN_DECLS

/* How a fetch uses the profile's HTTP cache (RFC 9111). */
typedef enum {
  BH_FETCH_CACHE_DEFAULT,  /* a fresh stored response answers; a stale one is revalidated */
  BH_FETCH_CACHE_VALIDATE, /* Reload: a stored response is revalidated even when fresh */
  BH_FETCH_CACHE_BYPASS,   /* Ctrl+Shift+R: the cache is not read (the answer is stored),
                            * the request says Cache-Control: no-cache */
} BhFetchCacheMode;

/* Zero in any field means its default. */
typedef struct {
  guint timeout_ms;          /* whole fetch, redirects included; default 30000, at most
                              * BH_FETCH_MAX_TIMEOUT_MS (longer is cut to it) */
  guint connect_timeout_ms;  /* per hop: DNS + TCP + TLS; default 10000. A lookup
                              * still running then is NAME_NOT_RESOLVED, a
                              * connection TIMED_OUT. */
  gsize max_bytes;           /* body cap, after gzip decoding; default 50 MiB */
  BhHostRules *host_rules;   /* (nullable): the fetch keeps a reference */
  /* A form's POST (http and https only): the body and its Content-Type, both
   * copied by the fetch. NULL: a GET. A 301, 302 or 303 redirect turns it into a
   * GET of the new URL, as the Fetch Standard's "HTTP-redirect fetch" says; 307 and
   * 308 send the body again. */
  GBytes *upload_body;
  char *upload_content_type;
  BhProfile *profile;        /* (nullable): whose cookies the request carries and whose
                              * jar its Set-Cookie lines go to; the fetch keeps a
                              * reference. NULL: no cookies at all. */
  const char *initiator_site; /* (nullable): the site of the page that asked (a
                              * renderer's site lock, the page a link was on):
                              * a request to another site is cross-site for
                              * SameSite cookies. NULL: the browser's own request
                              * (typed, reload, automation), same-site. Copied. */
  gboolean top_level_navigation; /* a tab's navigation, not a subresource */
  BhFetchCacheMode cache_mode; /* with a profile: how its HTTP cache is used */
  /* (nullable): more request headers for http(s), name, value, name, value...,
   * NULL-terminated (automation's network.setExtraHeaders); copied. The caller
   * checked them: names are tokens, values have no CR, LF or NUL. */
  const char *const *extra_headers;
  /* (nullable): a page's CORS request (Fetch Standard §4.9): the serialized origin
   * its Origin header (in @extra_headers) names. Each redirect must then pass the
   * CORS check against it before it is followed, and after a hop of another
   * origin than both the previous URL and the request's, the Origin header
   * becomes "null" (§4.4 HTTP-redirect fetch: the origin is tainted). Copied. */
  const char *cors_origin;
  /* For observers only (bh-net-observer.h): who asked, and for what. */
  GObject *initiator;        /* (nullable): the tab; observed fetches keep a reference */
  const char *destination;   /* (nullable): "document" for a navigation */
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
  gint64 content_length;     /* the Content-Length of an http response, -1 when none */
  char *content_disposition; /* (nullable): the Content-Disposition header, printable
                              * ASCII (anything else is dropped): whether the response
                              * is an attachment (a download) and its file name */
  char *access_control_allow_origin; /* (nullable): the final hop's Access-Control-Allow-
                                      * Origin, as sent (repeated ones joined with ", "),
                                      * for the CORS check of a page's cross-origin fetch */
  char *cors_origin; /* (nullable): with the option cors_origin, the Origin header the
                      * last hop went out with ("null" once tainted by a redirect) */
} BhResponse;

/**
 * bh_response_free:
 * @response: (nullable) (transfer full): a response, or %NULL
 */
void bh_response_free (BhResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhResponse, bh_response_free)

/**
 * bh_origin_serialize:
 * @url: (nullable): an absolute URL
 *
 * The HTML Standard's "serialization of an origin", as an Origin header says it:
 * scheme://host, with :port only when it is not the scheme's default, for http
 * and https; "null" for any other URL (an opaque origin) or %NULL.
 *
 * Returns: (transfer full): the serialization
 */
char *bh_origin_serialize (const char *url);

/**
 * bh_cors_check:
 * @allow_origin: (nullable): a response's Access-Control-Allow-Origin
 * @origin: the request's serialized origin (bh_origin_serialize())
 *
 * The Fetch Standard's "CORS check" (§4.9) for a request whose credentials mode
 * is not "include": @allow_origin is "*" or exactly @origin.
 */
gboolean bh_cors_check (const char *allow_origin,
                        const char *origin);

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

G_END_DECLS
