/* fuzz-record: libFuzzer target for the --ipc-record reader (docs/fuzzing.md).
 *
 * bulkhead-replay reads a recording someone hands it; the reader must refuse
 * anything that is not one (a cut record, an unknown kind, a payload that is
 * not its catalogue type in normal form, impossible fds) with an error, never
 * a crash, a leak or undefined behaviour. The seeds are real recordings
 * (tests/fuzz-corpus/record: about:start, a data: page, about:crash).
 */
#include "bh-trace-record.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  GBytes *file = g_bytes_new (data, size);
  BhRecordReader *reader = bh_record_reader_new (file, NULL);
  BhRecord *rec;
  GError *error = NULL;

  while (reader && bh_record_reader_next (reader, &rec, &error))
    {
      if (rec->kind == BH_RECORD_MESSAGE)
        {
          const BhMessageInfo *info = bh_message_info_lookup (rec->type);
          g_assert (info != NULL && rec->n_fds == info->n_fds);
          g_assert (g_variant_is_of_type (rec->payload, G_VARIANT_TYPE (info->payload_type)));
          for (guint i = 0; i < rec->n_fds; i++)
            g_assert (g_bytes_get_size (rec->fds[i].contents) <= rec->fds[i].size);
        }
      bh_record_free (rec);
    }
  g_clear_error (&error);
  bh_record_reader_free (reader);
  g_bytes_unref (file);
  return 0;
}
