/* bh-trace-record.h: --ipc-record: every message into a renderer, to replay it.
 *
 * The browser writes one file per renderer, DIR/renderer-PID.bhrec: every
 * message it sends that renderer (with the full contents of the memfds it
 * carries), the navigation bodies it streams through data pipes, a SHA-256 of
 * every frame the renderer shows (FrameReady: the bitmap's pixels, row by row,
 * as they were when it arrived) and, if the renderer died, how. bulkhead-replay
 * (browser/bh-replay.c) feeds such a file to a fresh sandboxed renderer and
 * checks that the frames it paints are recorded ones, in order, the last one
 * identical to the last recorded frame, and, for a recording that ended in a
 * crash, that it crashes the same way.
 *
 * File format, version 1 (all integers little-endian):
 *
 *   header   "BHRECORD" (8 bytes), u32 version = 1, u32 site length, site (UTF-8)
 *   record   u32 kind, u32 body length, body:
 *     1 MESSAGE   i64 time_us, u32 frames seen, u32 requests seen (FrameReady and
 *                 ResourceRequest messages received from the renderer before this one
 *                 was sent: the replay waits for as many), u16 type, u16 fd count,
 *                 u32 flags (bit 0: sent on the control lane), u32 payload length,
 *                 payload (the catalogue's GVariant type, serialised, normal form),
 *                 then per fd: u8 kind (1 memfd, 2 socket, 3 other), u32 seals,
 *                 u64 size, u64 contents length, contents: all of a write-sealed
 *                 memfd (a subresource body: its bytes are what the message means);
 *                 none for a memfd still being written (a data pipe's ring, whose
 *                 bytes are the BODY records) or a socket
 *     2 BODY      u64 navigation id, the bytes the browser wrote into its data pipe
 *     3 BODY_END  u64 navigation id, u32 complete (1) or cut (0)
 *     4 FRAME     u32 view, u32 buffer, u32 width, u32 height, 32 bytes SHA-256
 *     5 END       i32 signal (0: it did not die of one), u32 text length, text
 *                 ("crashed with signal 11 (SIGSEGV)")
 *
 * Readers refuse a record longer than what is left, a kind they do not know, a
 * payload that is not its catalogue type in normal form, more fds than
 * BH_MAX_FDS, and memfds over BH_RECORD_MAX_FD_BYTES.
 */
#pragma once

#include <glib.h>

#include "bh-message.h"

G_BEGIN_DECLS

#define BH_RECORD_MAGIC "BHRECORD"
#define BH_RECORD_VERSION 1u
/* The largest memfd a recording carries (a renderer's bitmap is at most
 * BH_BITMAP_MAX_DIMENSION squared; bodies stream in BODY records instead). */
#define BH_RECORD_MAX_FD_BYTES (256u * 1024u * 1024u)

typedef enum {
  BH_RECORD_MESSAGE = 1,
  BH_RECORD_BODY = 2,
  BH_RECORD_BODY_END = 3,
  BH_RECORD_FRAME = 4,
  BH_RECORD_END = 5,
} BhRecordKind;

typedef enum {
  BH_RECORD_FD_MEMFD = 1,
  BH_RECORD_FD_SOCKET = 2,
  BH_RECORD_FD_OTHER = 3,
} BhRecordFdKind;

typedef struct {
  BhRecordFdKind kind;
  guint32 seals;
  guint64 size;
  GBytes *contents; /* a write-sealed memfd's bytes, else empty */
} BhRecordFd;

/* One record, as read. */
typedef struct {
  BhRecordKind kind;
  /* MESSAGE */
  gint64 time_us;
  guint32 frames_seen;
  guint32 requests_seen;
  gboolean control_lane;
  BhMessageType type;
  GVariant *payload;
  guint n_fds;
  BhRecordFd fds[BH_MAX_FDS];
  /* BODY, BODY_END */
  guint64 navigation;
  GBytes *data;
  gboolean complete;
  /* FRAME */
  guint32 view, buffer, width, height;
  guint8 sha256[32];
  /* END */
  int signal_number;
  char *text;
} BhRecord;

void bh_record_free (BhRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhRecord, bh_record_free)

typedef struct _BhRecordReader BhRecordReader;

/**
 * bh_record_reader_new:
 * @file: (transfer none): a whole recording
 * @error: G_IO_ERROR_INVALID_DATA: not a recording, or another version
 *
 * Returns: (transfer full) (nullable): a reader at the first record.
 */
BhRecordReader *bh_record_reader_new (GBytes *file, GError **error);

/**
 * bh_record_reader_get_site:
 *
 * Returns: (transfer none): the site of the recorded renderer.
 */
const char *bh_record_reader_get_site (BhRecordReader *reader);

/**
 * bh_record_reader_next:
 * @out: (out) (transfer full): the next record
 * @error: G_IO_ERROR_INVALID_DATA naming what is wrong and at which offset
 *
 * Returns: %TRUE with @out set; %FALSE at the end (no error) or on an error.
 */
gboolean bh_record_reader_next (BhRecordReader *reader, BhRecord **out, GError **error);

void bh_record_reader_free (BhRecordReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhRecordReader, bh_record_reader_free)

/**
 * bh_record_frame_sha256:
 * @data: the bitmap's first byte
 * @width: pixels
 * @height: pixels
 * @stride_bytes: bytes from one row to the next
 * @out: (out caller-allocates) (array fixed-size=32): the SHA-256 of the rows'
 *   width * 4 bytes each, top to bottom (the padding left out)
 */
void bh_record_frame_sha256 (const guint8 *data, guint width, guint height, guint stride_bytes, guint8 out[32]);

/**
 * bh_trace_record_setup:
 * @dir: where the files go (created if missing)
 * @error: if @dir cannot be made
 *
 * Starts --ipc-record in the browser: a trace sink that writes every message
 * sent to a renderer, and FrameReady's frame hashes, to DIR/renderer-PID.bhrec.
 *
 * Returns: %TRUE on success.
 */
gboolean bh_trace_record_setup (const char *dir, GError **error);

/**
 * bh_trace_record_body:
 * @pid: the renderer, as the browser sees it
 * @navigation: the navigation whose body this is
 * @data: (array length=len): bytes just written into its data pipe
 *
 * Records part of a navigation body (the body travels in a data pipe, not in
 * messages). Nothing unless recording.
 */
void bh_trace_record_body (guint pid, guint64 navigation, const void *data, gsize len);

/**
 * bh_trace_record_body_end:
 * @complete: the body ended (%TRUE) or was cut (%FALSE)
 */
void bh_trace_record_body_end (guint pid, guint64 navigation, gboolean complete);

/**
 * bh_trace_record_end:
 * @pid: a renderer that ended
 * @signal_number: the signal that ended it, or 0
 * @text: how it ended, in words
 *
 * Writes the END record and closes the renderer's file.
 */
void bh_trace_record_end (guint pid, int signal_number, const char *text);

G_END_DECLS
