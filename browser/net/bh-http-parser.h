/* bh-http-parser.h: an HTTP/1.1 response, read as it arrives (RFC 9112):
 * the status line, the header fields, and the body's framing (a length,
 * chunks, or the end of the connection), so that the fetcher knows where
 * one response ends and the next may start on a kept-alive connection.
 *
 * The bytes come from a server, which is as untrusted as a renderer: every
 * length is capped before anything is kept, and nothing here allocates
 * more than BH_HTTP_MAX_HEAD_BYTES for a head or keeps a body at all (body
 * bytes go straight to the caller's array).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The status line and header fields together, and separately a chunked
 * body's trailer: more is not a response Bulkhead reads (Chromium refuses
 * heads past 256 KiB; lws, the fetcher's parser before this one, 32 KiB
 * of header values: we keep its figure). */
#define BH_HTTP_MAX_HEAD_BYTES (32 * 1024)
/* A chunk-size line, extensions included (RFC 9112 §7.1.1). */
#define BH_HTTP_MAX_CHUNK_LINE_BYTES 1024
/* 1xx interim responses skipped before the final one (RFC 9110 §15.2). */
#define BH_HTTP_MAX_INTERIM_RESPONSES 8

typedef struct _BhHttpParser BhHttpParser;

typedef enum {
  BH_HTTP_PARSE_MORE,  /* all input taken; the response goes on */
  BH_HTTP_PARSE_HEAD,  /* the head is complete: read it, then feed the rest */
  BH_HTTP_PARSE_DONE,  /* the response is complete */
  BH_HTTP_PARSE_ERROR, /* not HTTP/1.1 Bulkhead reads; see the error */
} BhHttpParseResult;

typedef enum {
  BH_HTTP_PARSE_ERROR_STATUS,  /* no valid status line or status code */
  BH_HTTP_PARSE_ERROR_HEAD,    /* a header field not valid, or the head too long */
  BH_HTTP_PARSE_ERROR_LENGTH,  /* Content-Length not a number, or two that differ */
  BH_HTTP_PARSE_ERROR_CHUNKS,  /* a malformed chunked body */
  BH_HTTP_PARSE_ERROR_TRUNCATED, /* the connection ended inside the response */
} BhHttpParseError;

#define BH_HTTP_PARSE_ERROR_DOMAIN (bh_http_parse_error_quark ())
GQuark bh_http_parse_error_quark (void);

/**
 * bh_http_parser_new:
 * @head_request: the request was HEAD, so no response to it has a body
 *
 * Returns: (transfer full): a parser waiting for a status line.
 */
BhHttpParser *bh_http_parser_new (gboolean head_request);

/**
 * bh_http_parser_free:
 * @parser: (nullable): a parser
 */
void bh_http_parser_free (BhHttpParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHttpParser, bh_http_parser_free)

/**
 * bh_http_parser_feed:
 * @parser: a parser
 * @data: (array length=len): bytes from the server
 * @len: their number
 * @consumed: (out): how many of them were taken
 * @body: the body's bytes are appended here, chunk framing removed
 *   (content codings such as gzip are left to the caller)
 * @error: a %BH_HTTP_PARSE_ERROR_DOMAIN error
 *
 * Reads what arrived. 1xx interim responses are skipped, at most
 * %BH_HTTP_MAX_INTERIM_RESPONSES of them. Returns as soon as the final
 * head is complete (%BH_HTTP_PARSE_HEAD, once per response) or the response
 * is (%BH_HTTP_PARSE_DONE); the caller feeds the rest of @data (from
 * @consumed on) again. Bytes after a complete response are not taken.
 *
 * Returns: what happened.
 */
BhHttpParseResult bh_http_parser_feed (BhHttpParser *parser,
                                       const guint8 *data,
                                       gsize         len,
                                       gsize        *consumed,
                                       GByteArray   *body,
                                       GError      **error);

/**
 * bh_http_parser_finish:
 * @parser: a parser
 * @error: %BH_HTTP_PARSE_ERROR_TRUNCATED, or the status line's error when
 *   the connection ended inside it
 *
 * The server closed the connection. A body without a length ends there
 * (RFC 9112 §6.3, item 8); anything else not yet complete is cut short.
 *
 * Returns: %TRUE when the response is complete.
 */
gboolean bh_http_parser_finish (BhHttpParser *parser,
                                GError      **error);

/**
 * bh_http_parser_get_status:
 * @parser: a parser past %BH_HTTP_PARSE_HEAD
 *
 * Returns: the final response's status code, 100-599 (RFC 9110 §15).
 */
guint bh_http_parser_get_status (const BhHttpParser *parser);

/**
 * bh_http_parser_get_header:
 * @parser: a parser past %BH_HTTP_PARSE_HEAD
 * @name: a field name, in any case
 *
 * Returns: (transfer full) (nullable): the field's value, repeated fields
 *   joined with ", " (RFC 9110 §5.3, as the Fetch Standard's header list
 *   reads them), surrounding white space removed; %NULL when absent.
 */
char *bh_http_parser_get_header (const BhHttpParser *parser,
                                 const char         *name);

/**
 * bh_http_parser_get_header_lines:
 * @parser: a parser past %BH_HTTP_PARSE_HEAD
 * @name: a field name, in any case
 *
 * For the fields that may not be joined, Set-Cookie above all (RFC 9110
 * §5.3, RFC 6265bis §3).
 *
 * Returns: (transfer full) (array zero-terminated=1): each line's value, in
 *   the order they came; an empty array when absent.
 */
char **bh_http_parser_get_header_lines (const BhHttpParser *parser,
                                        const char         *name);

/**
 * bh_http_parser_is_chunked:
 * @parser: a parser past %BH_HTTP_PARSE_HEAD
 *
 * Returns: whether the body comes in chunks.
 */
gboolean bh_http_parser_is_chunked (const BhHttpParser *parser);

/**
 * bh_http_parser_get_content_length:
 * @parser: a parser past %BH_HTTP_PARSE_HEAD
 *
 * Returns: the body's length in bytes from Content-Length, -1 when the
 *   body is chunked or ends with the connection.
 */
gint64 bh_http_parser_get_content_length (const BhHttpParser *parser);

/**
 * bh_http_parser_is_complete:
 * @parser: a parser
 *
 * Returns: whether the response has ended (%BH_HTTP_PARSE_DONE came).
 */
gboolean bh_http_parser_is_complete (const BhHttpParser *parser);

/**
 * bh_http_parser_keeps_alive:
 * @parser: a parser that returned %BH_HTTP_PARSE_DONE
 *
 * Whether the connection may carry another request (RFC 9112 §9.3): an
 * HTTP/1.1 response without `Connection: close` (an HTTP/1.0 one with
 * `Connection: keep-alive`) whose body's end was known without the
 * connection closing, and with Content-Length and Transfer-Encoding not
 * both present (§6.1: such a message may be smuggling another).
 *
 * Returns: %TRUE when the connection may be reused.
 */
gboolean bh_http_parser_keeps_alive (const BhHttpParser *parser);

G_END_DECLS
