/* bh-frame.c: encoding and checked decoding of frames (layout in bh-frame.h). */
#include "bh-frame.h"

#include <string.h>
#include <unistd.h>

G_DEFINE_QUARK (bh-protocol-error-quark, bh_protocol_error)

static void
put16 (guint8 *p, guint16 v)
{
  v = GUINT16_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static void
put32 (guint8 *p, guint32 v)
{
  v = GUINT32_TO_LE (v);
  memcpy (p, &v, sizeof v);
}

static guint16
get16 (const guint8 *p)
{
  guint16 v;
  memcpy (&v, p, sizeof v);
  return GUINT16_FROM_LE (v);
}

static guint32
get32 (const guint8 *p)
{
  guint32 v;
  memcpy (&v, p, sizeof v);
  return GUINT32_FROM_LE (v);
}

void
bh_frame_header_encode (const BhFrameHeader *h, guint8 out[BH_FRAME_HEADER_BYTES])
{
  BhFrameHeaderWire *w = (BhFrameHeaderWire *) out;

  put32 (w->magic, h->magic);
  put16 (w->version, h->version);
  put16 (w->type, h->type);
  put32 (w->payload_len, h->payload_len);
  put16 (w->flags, h->flags);
  put16 (w->n_fds, h->n_fds);
  put32 (w->serial, h->serial);
  put32 (w->reply_serial, h->reply_serial);
}

void
bh_frame_header_decode (const guint8 in[BH_FRAME_HEADER_BYTES], BhFrameHeader *h)
{
  const BhFrameHeaderWire *w = (const BhFrameHeaderWire *) in;

  h->magic = get32 (w->magic);
  h->version = get16 (w->version);
  h->type = get16 (w->type);
  h->payload_len = get32 (w->payload_len);
  h->flags = get16 (w->flags);
  h->n_fds = get16 (w->n_fds);
  h->serial = get32 (w->serial);
  h->reply_serial = get32 (w->reply_serial);
}

GBytes *
bh_frame_encode_payload (BhMessageType type, GVariant *payload)
{
  const BhMessageInfo *info = bh_message_info_lookup (type);
  g_autoptr (GVariant) inner = NULL;
  g_autoptr (GVariant) boxed = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  inner = payload ? g_variant_ref_sink (payload) : g_variant_ref_sink (g_variant_new ("()"));
  if (!g_variant_is_of_type (inner, G_VARIANT_TYPE (info->payload_type)))
    {
      g_critical ("%s: payload is %s, the catalogue says %s", info->name,
                  g_variant_get_type_string (inner), info->payload_type);
      return NULL;
    }
  boxed = g_variant_ref_sink (g_variant_new_variant (inner));
  return g_variant_get_data_as_bytes (boxed);
}

struct _BhFrameDecoder {
  BhDirection accepts;
  GByteArray *buf; /* received bytes; frames are taken from the front */
  GArray *fds;     /* int: received fds not yet claimed by a frame */
  gboolean failed;
};

BhFrameDecoder *
bh_frame_decoder_new (BhDirection accepts)
{
  BhFrameDecoder *d = g_new0 (BhFrameDecoder, 1);

  d->accepts = accepts;
  d->buf = g_byte_array_new ();
  d->fds = g_array_new (FALSE, FALSE, sizeof (int));
  return d;
}

void
bh_frame_decoder_free (BhFrameDecoder *d)
{
  if (d == NULL)
    return;
  if (d->fds)
    {
      for (guint i = 0; i < d->fds->len; i++)
        close (g_array_index (d->fds, int, i));
      g_array_unref (d->fds);
    }
  if (d->buf)
    g_byte_array_unref (d->buf);
  g_free (d);
}

void
bh_frame_decoder_push_bytes (BhFrameDecoder *d, const guint8 *data, gsize len)
{
  g_return_if_fail (d != NULL);
  g_byte_array_append (d->buf, data, len);
}

void
bh_frame_decoder_push_fds (BhFrameDecoder *d, const int *fds, guint n_fds)
{
  g_return_if_fail (d != NULL);
  g_array_append_vals (d->fds, fds, n_fds);
}

gsize
bh_frame_decoder_pending_bytes (BhFrameDecoder *d)
{
  return d->buf->len;
}

static gboolean
fail (BhFrameDecoder *d, GError **error, BhProtocolError code, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
fail (BhFrameDecoder *d, GError **error, BhProtocolError code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  d->failed = TRUE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BH_PROTOCOL_ERROR, code, message);
  return FALSE;
}

/* Everything that can be known from the header alone, checked before the
 * payload is waited for or allocated. */
static gboolean
check_header (BhFrameDecoder *d, const BhFrameHeader *h, const BhMessageInfo **out_info,
              GError **error)
{
  const BhMessageInfo *info;

  if (h->magic != BH_FRAME_MAGIC)
    return fail (d, error, BH_PROTOCOL_ERROR_BAD_MAGIC, "bad magic 0x%08x", h->magic);
  if (h->version != BH_FRAME_VERSION)
    return fail (d, error, BH_PROTOCOL_ERROR_BAD_VERSION, "unsupported version %u (want %u)",
                 h->version, BH_FRAME_VERSION);
  info = bh_message_info_lookup (h->type);
  if (info == NULL)
    return fail (d, error, BH_PROTOCOL_ERROR_UNKNOWN_TYPE, "unknown message type %u", h->type);
  if ((info->direction & d->accepts) == 0)
    return fail (d, error, BH_PROTOCOL_ERROR_WRONG_DIRECTION, "%s may not be sent %s", info->name,
                 d->accepts == BH_TO_BROWSER ? "to the browser" : "to a child");
  if (h->payload_len > BH_MAX_PAYLOAD_BYTES)
    return fail (d, error, BH_PROTOCOL_ERROR_TOO_LONG, "%s: payload of %u bytes exceeds the cap of %u",
                 info->name, h->payload_len, BH_MAX_PAYLOAD_BYTES);
  if ((h->flags & ~BH_FRAME_KNOWN_FLAGS) != 0)
    return fail (d, error, BH_PROTOCOL_ERROR_BAD_FLAGS, "%s: unknown flags 0x%x", info->name, h->flags);
  if (h->n_fds > BH_MAX_FDS)
    return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%s: %u fds exceeds the cap of %u", info->name,
                 h->n_fds, BH_MAX_FDS);
  if (h->n_fds != info->n_fds)
    return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%s: carries %u fds, the catalogue says %u",
                 info->name, h->n_fds, info->n_fds);
  *out_info = info;
  return TRUE;
}

/* Whether every byte string is the normal form of @type: true of byte
 * arrays, which GLib would otherwise check one element at a time. */
static gboolean
every_serialisation_is_normal (const GVariantType *type)
{
  return g_variant_type_equal (type, G_VARIANT_TYPE_BYTESTRING);
}

/* The payload is a serialised "v": the value's bytes, a NUL, then the value's
 * type string (GVariant specification, "Variants"). The type string holds no
 * NUL, so the last NUL is the separator. Splitting it here checks the type
 * before the value is looked at, and lets byte arrays skip GLib's per-byte
 * normal-form walk. */
static gboolean
check_payload (BhFrameDecoder *d, const BhMessageInfo *info, GBytes *bytes, GVariant **out_payload,
               GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const guint8 *nul = NULL;
  g_autofree char *type_string = NULL;
  const GVariantType *type = G_VARIANT_TYPE (info->payload_type);
  g_autoptr (GBytes) value_bytes = NULL;
  g_autoptr (GVariant) value = NULL;

  for (gsize i = len; i > 0; i--)
    if (data[i - 1] == '\0')
      {
        nul = data + i - 1;
        break;
      }
  if (nul == NULL)
    return fail (d, error, BH_PROTOCOL_ERROR_NOT_NORMAL_FORM, "%s: payload is not in normal form (no type)",
                 info->name);
  type_string = g_strndup ((const char *) nul + 1, (gsize) (data + len - (nul + 1)));
  if (!g_variant_type_string_is_valid (type_string))
    return fail (d, error, BH_PROTOCOL_ERROR_NOT_NORMAL_FORM, "%s: payload is not in normal form (bad type)",
                 info->name);
  if (!g_str_equal (type_string, info->payload_type))
    return fail (d, error, BH_PROTOCOL_ERROR_PAYLOAD_TYPE, "%s: payload type %s, the catalogue says %s",
                 info->name, type_string, info->payload_type);

  value_bytes = g_bytes_new_from_bytes (bytes, 0, (gsize) (nul - data));
  if (every_serialisation_is_normal (type))
    value = g_variant_ref_sink (g_variant_new_from_bytes (type, value_bytes, TRUE));
  else
    {
      value = g_variant_ref_sink (g_variant_new_from_bytes (type, value_bytes, FALSE));
      if (!g_variant_is_normal_form (value))
        return fail (d, error, BH_PROTOCOL_ERROR_NOT_NORMAL_FORM, "%s: payload is not in normal form",
                     info->name);
    }
  *out_payload = g_steal_pointer (&value);
  return TRUE;
}

gboolean
bh_frame_decoder_next (BhFrameDecoder *d, BhMessage **out_message, GError **error)
{
  BhFrameHeader h;
  const BhMessageInfo *info = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GVariant *payload = NULL;
  BhMessage *m;

  g_return_val_if_fail (d != NULL, FALSE);

  if (d->failed)
    return fail (d, error, BH_PROTOCOL_ERROR_BAD_MAGIC, "channel already failed");
  /* fds travel with the first bytes of the frame that declares them, and each
   * complete frame takes its own from the front of the queue. So when the
   * bytes run out, the fds still waiting can only be the next frame's: none
   * when no frame has begun, at most what its header declares once it has.
   * Anything more would be fds held open for nobody, and a peer could
   * exhaust ours that way. The channel decodes after every recvmsg, which
   * keeps this check close to the arrival. */
  if (d->buf->len == 0 && d->fds->len > 0)
    return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%u fds arrived that no frame declared", d->fds->len);
  if (d->buf->len < BH_FRAME_HEADER_BYTES)
    {
      if (d->fds->len > BH_MAX_FDS)
        return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%u fds arrived with one frame (cap %u)",
                     d->fds->len, BH_MAX_FDS);
      return FALSE;
    }

  bh_frame_header_decode (d->buf->data, &h);
  if (!check_header (d, &h, &info, error))
    return FALSE;
  /* payload_len <= 1 MiB was checked above, so this sum cannot overflow. */
  if (d->buf->len < BH_FRAME_HEADER_BYTES + (gsize) h.payload_len)
    {
      /* Complete frames before this one took their fds first (in order), so
       * what is left is this frame's. */
      if (d->fds->len > h.n_fds)
        return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%s: %u fds arrived, the frame declares %u",
                     info->name, d->fds->len, h.n_fds);
      return FALSE;
    }
  /* The fds were sent with the frame's first bytes, so by now they are here. */
  if (d->fds->len < h.n_fds)
    return fail (d, error, BH_PROTOCOL_ERROR_FD_COUNT, "%s: declares %u fds, %u arrived", info->name,
                 h.n_fds, d->fds->len);

  bytes = g_bytes_new (d->buf->data + BH_FRAME_HEADER_BYTES, h.payload_len);
  if (!check_payload (d, info, bytes, &payload, error))
    return FALSE;

  m = g_new0 (BhMessage, 1);
  m->type = info->type;
  m->flags = h.flags;
  m->serial = h.serial;
  m->reply_serial = h.reply_serial;
  m->payload = payload;
  m->n_fds = h.n_fds;
  for (guint i = 0; i < BH_MAX_FDS; i++)
    m->fds[i] = i < h.n_fds ? g_array_index (d->fds, int, i) : -1;
  g_array_remove_range (d->fds, 0, h.n_fds);
  g_byte_array_remove_range (d->buf, 0, BH_FRAME_HEADER_BYTES + h.payload_len);

  *out_message = m;
  return TRUE;
}

gboolean
bh_frame_decoder_finish (BhFrameDecoder *d, GError **error)
{
  if (d->buf->len != 0)
    return fail (d, error, BH_PROTOCOL_ERROR_TRUNCATED, "stream ended inside a frame (%u bytes pending)",
                 d->buf->len);
  return TRUE;
}
