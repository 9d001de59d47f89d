/* bh-mime.h: MIME types from the network, as the web platform reads them.
 *
 * A response's type decides what the browser does with its bytes: which
 * renderer, which plugin, and whether another site's renderer may read them
 * at all (bh_site_may_read()). So it is parsed exactly as the standards say
 * (the MIME Sniffing Standard's "parse a MIME type", the Fetch Standard's
 * "extract a MIME type"), never with a split on ";": servers send repeated
 * and malformed Content-Type headers, and a lenient parser reads them
 * differently from the one the rule was written for.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BhMimeType:
 * @essence: "type/subtype", lower case, only HTTP token code points
 * @charset: (nullable): the charset parameter, as sent (lower case here,
 *   since every use compares it case-insensitively)
 *
 * A parsed MIME type. Only the charset parameter is kept: nothing in the
 * browser reads another.
 */
typedef struct {
  char *essence;
  char *charset;
} BhMimeType;

/**
 * bh_mime_type_free:
 * @type: (nullable) (transfer full): a MIME type
 */
void bh_mime_type_free (BhMimeType *type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhMimeType, bh_mime_type_free)

/**
 * bh_mime_type_parse:
 * @text: a MIME type such as "Text/HTML; charset=\"UTF-8\"", as bytes
 *   (isomorphic decoding: each byte is one code point, U+0000 to U+00FF)
 * @length: the length of @text in bytes, or -1 if it is nul-terminated
 *
 * The MIME Sniffing Standard's "parse a MIME type"
 * (https://mimesniff.spec.whatwg.org/#parse-a-mime-type): a type and a
 * subtype of HTTP token code points around one "/", then parameters, of
 * which the first of each name wins and malformed ones are skipped.
 *
 * Returns: (transfer full) (nullable): the type, or %NULL for failure
 *   ("text", "/html", "text/", "te xt/html", "text/html,image/png" is
 *   "text/html,image/png"'s failure because "," is not a token code point).
 */
BhMimeType *bh_mime_type_parse (const char *text, gssize length);

/**
 * bh_mime_split_header_value:
 * @value: a header's combined value: every header of that name, in order,
 *   joined with "," (RFC 9110 §5.3; what libwebsockets' lws_hdr_copy()
 *   gives for a repeated header)
 *
 * The Fetch Standard's "get, decode, and split"
 * (https://fetch.spec.whatwg.org/#header-value-get-decode-and-split): split
 * at commas that are not inside a quoted string, each value's HTTP tab or
 * space trimmed.
 *
 * Returns: (transfer full): the values, possibly empty strings among them;
 *   never %NULL
 */
GStrv bh_mime_split_header_value (const char *value);

/**
 * BhMimeExtraction:
 * @BH_MIME_EXTRACTED: one type, however many headers named it
 * @BH_MIME_CONFLICT: headers named types with different essences
 *   ("image/png" then "text/html"); the result is the last, as Fetch takes
 *   it, but a reader that has to decide who may see the bytes should treat
 *   the type as unknown (block when in doubt)
 * @BH_MIME_FAILURE: a Content-Type with no valid type in it
 */
typedef enum {
  BH_MIME_EXTRACTED,
  BH_MIME_CONFLICT,
  BH_MIME_FAILURE,
} BhMimeExtraction;

/**
 * bh_mime_extract:
 * @content_type: a response's combined Content-Type value (see
 *   bh_mime_split_header_value())
 * @out_type: (out) (transfer full) (optional): the type, %NULL on failure
 *
 * The Fetch Standard's "extract a MIME type"
 * (https://fetch.spec.whatwg.org/#concept-header-extract-mime-type): each
 * value is parsed; failures and the wildcard type (star, slash, star) are skipped; the last valid one
 * wins, and a charset carries over from an earlier value of the same
 * essence when the last one has none.
 *
 * Returns: what the headers said
 */
BhMimeExtraction bh_mime_extract (const char *content_type, BhMimeType **out_type);

/**
 * bh_mime_is_essence:
 * @text: (nullable): a string
 *
 * Returns: %TRUE if @text is what bh_mime_type_parse() gives as an essence:
 *   lower case "type/subtype", HTTP token code points only. A reader that
 *   was handed a type from elsewhere checks it with this before trusting a
 *   prefix ("image/") of it.
 */
gboolean bh_mime_is_essence (const char *text);

G_END_DECLS
