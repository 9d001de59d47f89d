/* bh-bidi-message.h: the BiDi wire format: a client's command decoded and
 * checked, and the answers' shapes (https://w3c.github.io/webdriver-bidi/
 * #protocol-definition). No server, no browser: the server (bh-bidi.c)
 * hands each whole text frame here, and tests/fuzz/fuzz-bidi.c does the
 * same with whatever libFuzzer makes.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A BiDi message is small; screenshots go the other way. */
#define BH_BIDI_MAX_MESSAGE_BYTES (1024 * 1024)
/* json-glib's parser recurses once per nesting level. */
#define BH_BIDI_MAX_JSON_DEPTH 64
/* A JavaScript number holds integers exactly up to 2^53 - 1 (BiDi's js-uint). */
#define BH_BIDI_MAX_COMMAND_ID G_GINT64_CONSTANT (9007199254740991)

/**
 * BhBidiRequest:
 * @id: the command's id, 0 to %BH_BIDI_MAX_COMMAND_ID
 * @method: the method name, valid UTF-8 ("browsingContext.navigate"); not
 *   yet looked up
 * @params: (transfer full): the parameters, {} when the command had none
 *
 * A command as the client sent it, its shape checked.
 */
typedef struct {
  gint64 id;
  char *method;
  JsonObject *params;
} BhBidiRequest;

/**
 * bh_bidi_request_free:
 * @request: (nullable) (transfer full): a request
 */
void bh_bidi_request_free (BhBidiRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBidiRequest, bh_bidi_request_free)

/**
 * bh_bidi_request_decode:
 * @text: one whole text message from a client, as bytes (not trusted to be
 *   UTF-8, nor nul-terminated)
 * @length: its length in bytes
 * @out_id: (out) (transfer full) (optional) (nullable): on failure, the
 *   command's "id" when it was valid, for the error answer (BiDi answers a
 *   command with a bad "method" or "params" under its id); %NULL otherwise
 * @error: G_IO_ERROR_INVALID_ARGUMENT with the reason in words ("the
 *   message is not valid UTF-8", "\"id\" must be an integer from 0 to
 *   2^53 - 1"...): BiDi's "invalid argument" for every case
 *
 * Checks, in order: at most %BH_BIDI_MAX_MESSAGE_BYTES, UTF-8, nesting at
 * most %BH_BIDI_MAX_JSON_DEPTH levels (counted before json-glib recurses),
 * JSON, an object whose strings and member names all decode to UTF-8
 * (json-glib lets a malformed "\u" escape through as other bytes), an integer "id" in BiDi's js-uint range, a string
 * "method", an object "params" or none.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error set
 */
BhBidiRequest *bh_bidi_request_decode (const char *text, gsize length, JsonNode **out_id,
                                       GError **error);

/**
 * bh_bidi_json_object_decode:
 * @text: JSON text from a client (not trusted to be UTF-8 nor
 *   nul-terminated): a BiDi message, or a classic WebDriver request's body
 * @error: G_IO_ERROR_INVALID_ARGUMENT with the reason in words
 *
 * The checks of bh_bidi_request_decode() up to the object: size, UTF-8,
 * depth, JSON, an object, strings that decode to UTF-8.
 *
 * Returns: (transfer full) (nullable): the object
 */
JsonObject *bh_bidi_json_object_decode (const char *text, gsize length, GError **error);

/**
 * bh_bidi_error_answer:
 * @id: (nullable): the command's id, %NULL for "id": null
 * @error: a BiDi error code ("invalid argument", "no such frame"...)
 * @message: the reason in words; bytes that are not UTF-8 are replaced, so
 *   that the answer is always a valid text frame
 *
 * Returns: (transfer full): {"type": "error", "id": ID, "error": ERROR,
 *   "message": MESSAGE}
 */
JsonNode *bh_bidi_error_answer (const JsonNode *id, const char *error, const char *message);

/**
 * bh_bidi_success_answer:
 * @id: the command's id
 * @result: (transfer full) (nullable): a JSON object, %NULL for {}
 *
 * Returns: (transfer full): {"type": "success", "id": ID, "result": RESULT}
 */
JsonNode *bh_bidi_success_answer (gint64 id, JsonNode *result);

/**
 * bh_bidi_to_bytes:
 * @node: a JSON value
 *
 * Returns: (transfer full): @node as compact JSON text
 */
GBytes *bh_bidi_to_bytes (JsonNode *node);

G_END_DECLS
