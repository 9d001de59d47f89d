/* fuzz-frame: libFuzzer target for the frame decoder (docs/fuzzing.md).
 *
 * The input is fed to a decoder in pieces whose sizes come from the input
 * itself, so split headers and payloads are explored too. Every frame the
 * decoder accepts must have the catalogue's payload type; anything else must
 * be refused with an error, never a crash, a leak or undefined behaviour.
 */
#include "bh-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  BhFrameDecoder *d;
  gsize chunk;

  if (size < 1)
    return 0;
  /* The first byte picks the direction and the piece size. */
  d = bh_frame_decoder_new ((data[0] & 1) ? BH_TO_BROWSER : BH_TO_CHILD);
  chunk = 1 + (data[0] >> 1);
  data++;
  size--;

  while (size > 0)
    {
      gsize n = MIN (chunk, size);
      BhMessage *m = NULL;
      GError *error = NULL;

      bh_frame_decoder_push_bytes (d, data, n);
      data += n;
      size -= n;
      while (bh_frame_decoder_next (d, &m, &error))
        {
          const BhMessageInfo *info = bh_message_info_lookup (m->type);
          g_assert (info != NULL);
          g_assert (g_variant_is_of_type (m->payload, G_VARIANT_TYPE (info->payload_type)));
          /* Printing walks the whole value, as --ipc-debug would. */
          g_free (g_variant_print (m->payload, TRUE));
          bh_message_free (m);
        }
      if (error)
        {
          g_error_free (error);
          break;
        }
    }
  bh_frame_decoder_free (d);
  return 0;
}
