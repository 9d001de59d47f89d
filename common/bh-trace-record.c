/* bh-trace-record.c: the --ipc-record writer and the recording reader (bh-trace-record.h). */
#include "bh-trace-record.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bh-shm.h"
#include "bh-trace.h"

/* ---- frames --------------------------------------------------------------- */

void
bh_record_frame_sha256 (const guint8 *data, guint width, guint height, guint stride_bytes, guint8 out[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  for (guint y = 0; y < height; y++)
    g_checksum_update (sum, data + (gsize) y * stride_bytes, (gssize) width * 4);
  g_checksum_get_digest (sum, out, &len);
}

/* ---- writing -------------------------------------------------------------- */

typedef struct {
  FILE *file;
  guint32 frames_seen;
  guint32 requests_seen;
  GHashTable *bitmaps; /* buffer id -> BhBitmap, from BufferCreated */
} Writer;

static struct {
  char *dir;
  GHashTable *writers; /* pid -> Writer */
  guint sink_id;
} R;

static void
writer_free (Writer *w)
{
  if (w->file)
    fclose (w->file);
  g_hash_table_unref (w->bitmaps);
  g_free (w);
}

static void
put_u8 (GByteArray *b, guint8 v)
{
  g_byte_array_append (b, &v, 1);
}

static void
put_u16 (GByteArray *b, guint16 v)
{
  guint16 le = GUINT16_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &le, 2);
}

static void
put_u32 (GByteArray *b, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &le, 4);
}

static void
put_u64 (GByteArray *b, guint64 v)
{
  guint64 le = GUINT64_TO_LE (v);
  g_byte_array_append (b, (const guint8 *) &le, 8);
}

/* One record: kind, length, body. Flushed at once: a browser that crashes
 * leaves whole records behind. */
static void
write_record (Writer *w, BhRecordKind kind, GByteArray *body)
{
  g_autoptr (GByteArray) head = g_byte_array_new ();

  if (w->file == NULL)
    return;
  put_u32 (head, kind);
  put_u32 (head, body->len);
  if (fwrite (head->data, 1, head->len, w->file) != head->len ||
      fwrite (body->data, 1, body->len, w->file) != body->len || fflush (w->file) != 0)
    {
      g_warning ("--ipc-record: %s; this renderer's recording stops here", g_strerror (errno));
      fclose (w->file);
      w->file = NULL;
    }
}

static Writer *
writer_for (guint pid, const char *site, gboolean create)
{
  Writer *w = R.writers ? g_hash_table_lookup (R.writers, GUINT_TO_POINTER (pid)) : NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GByteArray) head = NULL;

  if (w || !create || R.writers == NULL)
    return w;
  name = g_strdup_printf ("renderer-%u.bhrec", pid);
  path = g_build_filename (R.dir, name, NULL);
  w = g_new0 (Writer, 1);
  w->bitmaps = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) bh_bitmap_free);
  w->file = fopen (path, "wbe");
  if (w->file == NULL)
    g_warning ("--ipc-record: %s: %s", path, g_strerror (errno));
  else
    {
      head = g_byte_array_new ();
      g_byte_array_append (head, (const guint8 *) BH_RECORD_MAGIC, 8);
      put_u32 (head, BH_RECORD_VERSION);
      put_u32 (head, (guint32) strlen (site ? site : ""));
      g_byte_array_append (head, (const guint8 *) (site ? site : ""), (guint) strlen (site ? site : ""));
      if (fwrite (head->data, 1, head->len, w->file) != head->len)
        g_warning ("--ipc-record: %s: %s", path, g_strerror (errno));
      fflush (w->file);
    }
  g_hash_table_insert (R.writers, GUINT_TO_POINTER (pid), w);
  return w;
}

static void
put_fd (GByteArray *b, int fd)
{
  struct stat st;
  int seals = -1;

  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
    seals = fcntl (fd, F_GET_SEALS);
  if (seals < 0)
    {
      put_u8 (b, fd >= 0 && fstat (fd, &st) == 0 && S_ISSOCK (st.st_mode) ? BH_RECORD_FD_SOCKET : BH_RECORD_FD_OTHER);
      put_u32 (b, 0);
      put_u64 (b, 0);
      put_u64 (b, 0);
      return;
    }
  put_u8 (b, BH_RECORD_FD_MEMFD);
  put_u32 (b, (guint32) seals);
  put_u64 (b, (guint64) st.st_size);
  if ((seals & F_SEAL_WRITE) && (guint64) st.st_size <= BH_RECORD_MAX_FD_BYTES)
    {
      guint at = b->len;
      gsize done = 0;

      put_u64 (b, (guint64) st.st_size);
      g_byte_array_set_size (b, at + 8 + (guint) st.st_size);
      while (done < (gsize) st.st_size)
        {
          ssize_t n = pread (fd, b->data + at + 8 + done, (gsize) st.st_size - done, (off_t) done);
          if (n <= 0)
            break;
          done += (gsize) n;
        }
      if (done < (gsize) st.st_size)
        {
          guint64 le = GUINT64_TO_LE (done);
          memcpy (b->data + at, &le, 8);
          g_byte_array_set_size (b, at + 8 + (guint) done);
        }
    }
  else
    put_u64 (b, 0);
}

static void
record_message (Writer *w, const BhTraceEvent *event)
{
  const BhMessage *m = event->message;
  g_autoptr (GByteArray) b = g_byte_array_new ();
  gsize size = m->payload ? g_variant_get_size (m->payload) : 0;

  put_u64 (b, (guint64) event->time_us);
  put_u32 (b, w->frames_seen);
  put_u32 (b, w->requests_seen);
  put_u16 (b, (guint16) m->type);
  put_u16 (b, (guint16) m->n_fds);
  put_u32 (b, event->lane ? 1u : 0u);
  put_u32 (b, (guint32) size);
  if (size > 0)
    {
      /* Its serialised bytes (g_variant_store() wants an aligned buffer). */
      g_autoptr (GBytes) bytes = g_variant_get_data_as_bytes (m->payload);
      g_byte_array_append (b, g_bytes_get_data (bytes, NULL), (guint) g_bytes_get_size (bytes));
    }
  for (guint i = 0; i < m->n_fds && i < BH_MAX_FDS; i++)
    put_fd (b, m->fds[i]);
  write_record (w, BH_RECORD_MESSAGE, b);
}

static void
record_frame (Writer *w, const BhMessage *m)
{
  guint32 view, buffer;
  BhBitmap *bitmap;
  g_autoptr (GByteArray) b = g_byte_array_new ();
  guint8 sha[32];

  g_variant_get_child (m->payload, 0, "u", &view);
  g_variant_get_child (m->payload, 1, "u", &buffer);
  bitmap = g_hash_table_lookup (w->bitmaps, GUINT_TO_POINTER (buffer));
  if (bitmap == NULL)
    return;
  bh_record_frame_sha256 (bitmap->data, bitmap->width, bitmap->height, bitmap->stride_bytes, sha);
  put_u32 (b, view);
  put_u32 (b, buffer);
  put_u32 (b, bitmap->width);
  put_u32 (b, bitmap->height);
  g_byte_array_append (b, sha, 32);
  write_record (w, BH_RECORD_FRAME, b);
}

static void
record_sink (const BhTraceEvent *event, gpointer user_data)
{
  const BhMessage *m = event->message;
  Writer *w;

  if (m == NULL || event->pipe || g_strcmp0 (event->peer_role, "renderer") != 0)
    return;
  w = writer_for (event->peer_pid, event->peer_label, TRUE);
  if (event->direction == BH_TRACE_SENT)
    {
      record_message (w, event);
      return;
    }
  switch (m->type)
    {
    case BH_MSG_BufferCreated:
      {
        guint32 view, buffer, width, height, stride;
        guint64 size;
        int fd = m->n_fds == 1 ? fcntl (m->fds[0], F_DUPFD_CLOEXEC, 3) : -1;
        BhBitmap *bitmap;

        g_variant_get (m->payload, "(uuuuut)", &view, &buffer, &width, &height, &stride, &size);
        if (fd >= 0 && (bitmap = bh_bitmap_import (fd, width, height, stride, size, NULL)))
          g_hash_table_replace (w->bitmaps, GUINT_TO_POINTER (buffer), bitmap);
        break;
      }
    case BH_MSG_BufferDestroyed:
      {
        guint32 view, buffer;
        g_variant_get (m->payload, "(uu)", &view, &buffer);
        g_hash_table_remove (w->bitmaps, GUINT_TO_POINTER (buffer));
        break;
      }
    case BH_MSG_FrameReady:
      record_frame (w, m);
      w->frames_seen++;
      break;
    case BH_MSG_ResourceRequest:
      w->requests_seen++;
      break;
    default:
      break;
    }
}

gboolean
bh_trace_record_setup (const char *dir, GError **error)
{
  g_return_val_if_fail (R.writers == NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e), "--ipc-record=%s: %s", dir, g_strerror (e));
      return FALSE;
    }
  R.dir = g_strdup (dir);
  R.writers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) writer_free);
  R.sink_id = bh_trace_add_sink (record_sink, NULL);
  return TRUE;
}

void
bh_trace_record_body (guint pid, guint64 navigation, const void *data, gsize len)
{
  Writer *w = writer_for (pid, NULL, FALSE);
  g_autoptr (GByteArray) b = NULL;

  if (w == NULL)
    return;
  b = g_byte_array_sized_new ((guint) len + 8);
  put_u64 (b, navigation);
  g_byte_array_append (b, data, (guint) len);
  write_record (w, BH_RECORD_BODY, b);
}

void
bh_trace_record_body_end (guint pid, guint64 navigation, gboolean complete)
{
  Writer *w = writer_for (pid, NULL, FALSE);
  g_autoptr (GByteArray) b = NULL;

  if (w == NULL)
    return;
  b = g_byte_array_new ();
  put_u64 (b, navigation);
  put_u32 (b, complete ? 1 : 0);
  write_record (w, BH_RECORD_BODY_END, b);
}

void
bh_trace_record_end (guint pid, int signal_number, const char *text)
{
  Writer *w = writer_for (pid, NULL, FALSE);
  g_autoptr (GByteArray) b = NULL;

  if (w == NULL)
    return;
  b = g_byte_array_new ();
  put_u32 (b, (guint32) signal_number);
  put_u32 (b, (guint32) strlen (text));
  g_byte_array_append (b, (const guint8 *) text, (guint) strlen (text));
  write_record (w, BH_RECORD_END, b);
  g_hash_table_remove (R.writers, GUINT_TO_POINTER (pid));
}

/* ---- reading -------------------------------------------------------------- */

struct _BhRecordReader {
  GBytes *file;
  const guint8 *data;
  gsize len;
  gsize at;
  char *site;
};

typedef struct {
  const guint8 *p;
  gsize left;
  gboolean bad;
} Cursor;

static gboolean
take (Cursor *c, void *out, gsize n)
{
  if (c->bad || c->left < n)
    {
      c->bad = TRUE;
      return FALSE;
    }
  if (out)
    memcpy (out, c->p, n);
  c->p += n;
  c->left -= n;
  return TRUE;
}

static guint32
take_u32 (Cursor *c)
{
  guint32 v = 0;
  take (c, &v, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
take_u64 (Cursor *c)
{
  guint64 v = 0;
  take (c, &v, 8);
  return GUINT64_FROM_LE (v);
}

static guint16
take_u16 (Cursor *c)
{
  guint16 v = 0;
  take (c, &v, 2);
  return GUINT16_FROM_LE (v);
}

BhRecordReader *
bh_record_reader_new (GBytes *file, GError **error)
{
  BhRecordReader *r;
  Cursor c;
  guint32 version, site_len;

  g_return_val_if_fail (file != NULL, NULL);

  c.p = g_bytes_get_data (file, &c.left);
  c.bad = FALSE;
  if (c.left < 16 || memcmp (c.p, BH_RECORD_MAGIC, 8) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a Bulkhead IPC recording (no BHRECORD header)");
      return NULL;
    }
  take (&c, NULL, 8);
  version = take_u32 (&c);
  if (version != BH_RECORD_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "recording version %u; this reader knows %u", version,
                   BH_RECORD_VERSION);
      return NULL;
    }
  site_len = take_u32 (&c);
  if (site_len > 4096 || c.left < site_len || !g_utf8_validate ((const char *) c.p, site_len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the recording's site is cut or not UTF-8");
      return NULL;
    }
  r = g_new0 (BhRecordReader, 1);
  r->file = g_bytes_ref (file);
  r->data = g_bytes_get_data (file, &r->len);
  r->site = g_strndup ((const char *) c.p, site_len);
  r->at = r->len - c.left + site_len;
  return r;
}

const char *
bh_record_reader_get_site (BhRecordReader *reader)
{
  return reader->site;
}

static gboolean
parse_message (Cursor *c, BhRecord *rec, GError **error)
{
  const BhMessageInfo *info;
  guint32 payload_len;
  g_autoptr (GBytes) bytes = NULL;
  GVariant *v;

  rec->time_us = (gint64) take_u64 (c);
  rec->frames_seen = take_u32 (c);
  rec->requests_seen = take_u32 (c);
  rec->type = take_u16 (c);
  rec->n_fds = take_u16 (c);
  rec->control_lane = (take_u32 (c) & 1) != 0;
  payload_len = take_u32 (c);
  if (c->bad)
    return FALSE;
  info = bh_message_info_lookup (rec->type);
  if (info == NULL || rec->n_fds != info->n_fds || payload_len > BH_MAX_PAYLOAD_BYTES || c->left < payload_len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a message of type %u with %u fds and %u payload bytes does not fit the catalogue", rec->type,
                   rec->n_fds, payload_len);
      return FALSE;
    }
  bytes = g_bytes_new (c->p, payload_len);
  take (c, NULL, payload_len);
  v = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (info->payload_type), bytes, FALSE));
  if (!g_variant_is_normal_form (v))
    {
      g_variant_unref (v);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: payload not in normal form", info->name);
      return FALSE;
    }
  rec->payload = v;
  for (guint i = 0; i < rec->n_fds; i++)
    {
      guint8 kind = 0;
      guint64 len;

      take (c, &kind, 1);
      rec->fds[i].kind = kind;
      rec->fds[i].seals = take_u32 (c);
      rec->fds[i].size = take_u64 (c);
      len = take_u64 (c);
      if (c->bad || kind < BH_RECORD_FD_MEMFD || kind > BH_RECORD_FD_OTHER || len > BH_RECORD_MAX_FD_BYTES ||
          len > rec->fds[i].size || c->left < len || (kind != BH_RECORD_FD_MEMFD && len > 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: fd %u is cut or impossible", info->name, i);
          return FALSE;
        }
      rec->fds[i].contents = g_bytes_new (c->p, len);
      take (c, NULL, len);
    }
  return TRUE;
}

gboolean
bh_record_reader_next (BhRecordReader *reader, BhRecord **out, GError **error)
{
  g_autoptr (BhRecord) rec = NULL;
  Cursor head = { reader->data + reader->at, reader->len - reader->at, FALSE };
  Cursor c;
  guint32 kind, len;
  gsize offset = reader->at;

  g_return_val_if_fail (out != NULL, FALSE);

  if (head.left == 0)
    return FALSE;
  kind = take_u32 (&head);
  len = take_u32 (&head);
  if (head.bad || head.left < len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "record at byte %" G_GSIZE_FORMAT " is cut", offset);
      return FALSE;
    }
  c = (Cursor) { head.p, len, FALSE };
  rec = g_new0 (BhRecord, 1);
  rec->kind = kind;
  switch (kind)
    {
    case BH_RECORD_MESSAGE:
      if (!parse_message (&c, rec, error))
        {
          if (error && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "message at byte %" G_GSIZE_FORMAT " is cut",
                         offset);
          else
            g_prefix_error (error, "record at byte %" G_GSIZE_FORMAT ": ", offset);
          return FALSE;
        }
      break;
    case BH_RECORD_BODY:
      rec->navigation = take_u64 (&c);
      rec->data = g_bytes_new (c.p, c.left);
      take (&c, NULL, c.left);
      break;
    case BH_RECORD_BODY_END:
      rec->navigation = take_u64 (&c);
      rec->complete = take_u32 (&c) != 0;
      break;
    case BH_RECORD_FRAME:
      rec->view = take_u32 (&c);
      rec->buffer = take_u32 (&c);
      rec->width = take_u32 (&c);
      rec->height = take_u32 (&c);
      take (&c, rec->sha256, 32);
      break;
    case BH_RECORD_END:
      {
        guint32 text_len;

        rec->signal_number = (int) take_u32 (&c);
        text_len = take_u32 (&c);
        if (!c.bad && text_len <= c.left)
          {
            rec->text = g_utf8_make_valid ((const char *) c.p, text_len);
            take (&c, NULL, text_len);
          }
        else
          c.bad = TRUE;
        break;
      }
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "record at byte %" G_GSIZE_FORMAT " has kind %u",
                   offset, kind);
      return FALSE;
    }
  if (c.bad)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "record at byte %" G_GSIZE_FORMAT " is cut", offset);
      return FALSE;
    }
  reader->at = offset + 8 + len;
  *out = g_steal_pointer (&rec);
  return TRUE;
}

void
bh_record_reader_free (BhRecordReader *reader)
{
  if (reader == NULL)
    return;
  g_bytes_unref (reader->file);
  g_free (reader->site);
  g_free (reader);
}

void
bh_record_free (BhRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->payload, g_variant_unref);
  for (guint i = 0; i < BH_MAX_FDS; i++)
    g_clear_pointer (&record->fds[i].contents, g_bytes_unref);
  g_clear_pointer (&record->data, g_bytes_unref);
  g_free (record->text);
  g_free (record);
}
