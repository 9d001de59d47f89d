/* bh-frame.h: the wire format of one message, and the decoder that trusts nothing.
 *
 * A frame is a fixed 24-byte header followed by the payload:
 *
 *   offset size field
 *        0    4 magic         "BHK\x01" read as little-endian u32 (0x014B4842)
 *        4    2 version       BH_FRAME_VERSION
 *        6    2 type          catalogue id (bh-messages.h)
 *        8    4 payload_len   bytes after the header, <= BH_MAX_PAYLOAD_BYTES
 *       12    2 flags         BH_FRAME_FLAG_*
 *       14    2 n_fds         fds sent with SCM_RIGHTS with this frame's bytes
 *       16    4 serial        sender's counter, starting at 1
 *       20    4 reply_serial  serial of the request this answers, or 0
 *
 * All fields are little-endian. The payload is a serialised GVariant of type
 * "v" whose inner value has the catalogue's type: the wire carries its own type
 * string, so a mismatch is reported precisely instead of misread.
 */
#pragma once

#include <glib.h>

#include "bh-message.h"

G_BEGIN_DECLS

#define BH_FRAME_MAGIC 0x014B4842u
#define BH_FRAME_VERSION 1u
#define BH_FRAME_HEADER_BYTES 24u

typedef enum {
  BH_FRAME_FLAG_REQUEST = 1 << 0, /* the sender waits for a reply */
} BhFrameFlags;

#define BH_FRAME_KNOWN_FLAGS ((guint) BH_FRAME_FLAG_REQUEST)

typedef struct {
  guint8 magic[4];
  guint8 version[2];
  guint8 type[2];
  guint8 payload_len[4];
  guint8 flags[2];
  guint8 n_fds[2];
  guint8 serial[4];
  guint8 reply_serial[4];
} BhFrameHeaderWire;

_Static_assert (sizeof (BhFrameHeaderWire) == BH_FRAME_HEADER_BYTES, "header is 24 bytes");
_Static_assert (G_STRUCT_OFFSET (BhFrameHeaderWire, type) == 6, "type at 6");
_Static_assert (G_STRUCT_OFFSET (BhFrameHeaderWire, payload_len) == 8, "payload_len at 8");
_Static_assert (G_STRUCT_OFFSET (BhFrameHeaderWire, n_fds) == 14, "n_fds at 14");
_Static_assert (G_STRUCT_OFFSET (BhFrameHeaderWire, serial) == 16, "serial at 16");
_Static_assert (G_STRUCT_OFFSET (BhFrameHeaderWire, reply_serial) == 20, "reply_serial at 20");

typedef struct {
  guint32 magic;
  guint16 version;
  guint16 type;
  guint32 payload_len;
  guint16 flags;
  guint16 n_fds;
  guint32 serial;
  guint32 reply_serial;
} BhFrameHeader;

/**
 * bh_frame_header_encode:
 * @header: the fields, in host order
 * @out: (out caller-allocates): BH_FRAME_HEADER_BYTES bytes, little-endian
 */
void bh_frame_header_encode (const BhFrameHeader *header, guint8 out[BH_FRAME_HEADER_BYTES]);

/**
 * bh_frame_header_decode:
 * @in: BH_FRAME_HEADER_BYTES bytes from the wire
 * @header: (out caller-allocates): the fields, in host order
 *
 * Only converts; bh_frame_decoder_next() does the checking.
 */
void bh_frame_header_decode (const guint8 in[BH_FRAME_HEADER_BYTES], BhFrameHeader *header);

/**
 * bh_frame_encode_payload:
 * @type: a catalogue message type
 * @payload: (nullable): a value of the catalogue's payload type; floating refs
 *   are sunk. %NULL means the empty tuple, for "()" messages.
 *
 * Wraps @payload as "v" and serialises it.
 *
 * Returns: (transfer full): the payload bytes for the wire. Aborts with a
 *   critical if @payload's type differs from the catalogue's: that is a
 *   programming error in this process, not bad input.
 */
GBytes *bh_frame_encode_payload (BhMessageType type, GVariant *payload);

/* Why the decoder refused a frame. Each is a protocol error: the peer is
 * misbehaving (or compromised) and the channel is no longer usable. */
typedef enum {
  BH_PROTOCOL_ERROR_BAD_MAGIC,
  BH_PROTOCOL_ERROR_BAD_VERSION,
  BH_PROTOCOL_ERROR_UNKNOWN_TYPE,
  BH_PROTOCOL_ERROR_WRONG_DIRECTION,
  BH_PROTOCOL_ERROR_TOO_LONG,
  BH_PROTOCOL_ERROR_BAD_FLAGS,
  BH_PROTOCOL_ERROR_FD_COUNT,
  BH_PROTOCOL_ERROR_PAYLOAD_TYPE,
  BH_PROTOCOL_ERROR_NOT_NORMAL_FORM,
  BH_PROTOCOL_ERROR_TRUNCATED, /* EOF in the middle of a frame */
} BhProtocolError;

#define BH_PROTOCOL_ERROR (bh_protocol_error_quark ())
GQuark bh_protocol_error_quark (void);

typedef struct _BhFrameDecoder BhFrameDecoder;

/**
 * bh_frame_decoder_new:
 * @accepts: the direction this side may receive: %BH_TO_BROWSER in the
 *   browser, %BH_TO_CHILD in a renderer or plugin host, %BH_BOTH in tests.
 *
 * Returns: (transfer full): an empty decoder.
 */
BhFrameDecoder *bh_frame_decoder_new (BhDirection accepts);

/**
 * bh_frame_decoder_free:
 * @decoder: (nullable) (transfer full): closes every fd it still holds.
 */
void bh_frame_decoder_free (BhFrameDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFrameDecoder, bh_frame_decoder_free)

/**
 * bh_frame_decoder_push_bytes:
 * @decoder: a decoder
 * @data: (array length=len): bytes as they came off the socket, any split
 * @len: bytes
 *
 * Appends bytes. Never fails: the header is checked, before any allocation
 * sized by it, when bh_frame_decoder_next() looks at it.
 */
void bh_frame_decoder_push_bytes (BhFrameDecoder *decoder, const guint8 *data, gsize len);

/**
 * bh_frame_decoder_push_fds:
 * @decoder: a decoder
 * @fds: (array length=n_fds) (transfer full): fds from one SCM_RIGHTS message
 * @n_fds: how many
 *
 * Queues fds. They belong to the frames that declare them, in order.
 */
void bh_frame_decoder_push_fds (BhFrameDecoder *decoder, const int *fds, guint n_fds);

/**
 * bh_frame_decoder_next:
 * @decoder: a decoder
 * @out_message: (out) (transfer full): the next complete, checked message
 * @error: set to a %BH_PROTOCOL_ERROR with a precise reason
 *
 * Takes the next frame off the front. A frame is accepted only if its magic,
 * version, type, direction, length, flags, fd count, payload type and normal
 * form are all right (docs/architecture.md, "Trust rules"); otherwise nothing
 * in it is used and the decoder stays failed.
 *
 * Returns: %TRUE with @out_message set; %FALSE with @error set on a protocol
 *   error; %FALSE with neither when more bytes are needed.
 */
gboolean bh_frame_decoder_next (BhFrameDecoder *decoder, BhMessage **out_message, GError **error);

/**
 * bh_frame_decoder_finish:
 * @decoder: a decoder, at end of stream
 * @error: set to %BH_PROTOCOL_ERROR_TRUNCATED if a frame was cut by EOF
 *
 * Returns: %TRUE if the stream ended between frames.
 */
gboolean bh_frame_decoder_finish (BhFrameDecoder *decoder, GError **error);

/**
 * bh_frame_decoder_pending_bytes:
 *
 * Returns: bytes received but not yet taken as frames.
 */
gsize bh_frame_decoder_pending_bytes (BhFrameDecoder *decoder);

G_END_DECLS
