/* bh-shm.h: sealed shared memory, and the bitmaps frames are painted into.
 *
 * Bulk data crosses processes in memfds, never through the socket:
 *
 *  - A blob (a document body, an image, a PDF) is immutable once shared: the
 *    creator seals it F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL.
 *  - A bitmap is drawn into again and again by its owner (double buffering
 *    with an explicit release, see FrameReady / ReleaseBuffer), so it is sealed
 *    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL: its size can never change under
 *    the reader, which maps it read-only.
 *
 * The receiver checks the seals and the size with fstat/F_GET_SEALS before it
 * maps (memfd_create(2), fcntl(2) "File Sealing").
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BH_SHM_ERROR_SYSTEM,    /* memfd_create, ftruncate, mmap failed: errno in the message */
  BH_SHM_ERROR_NOT_SEALED, /* a required seal is missing, or the fd is not a memfd */
  BH_SHM_ERROR_SIZE,      /* smaller than claimed, over a cap, or the geometry does not add up */
} BhShmError;

#define BH_SHM_ERROR (bh_shm_error_quark ())
GQuark bh_shm_error_quark (void);

/* Bitmaps larger than this on either side are refused. */
#define BH_BITMAP_MAX_DIMENSION 16384u
/* Blobs larger than this are refused (the browser's own network size cap is lower). */
#define BH_BLOB_MAX_BYTES (512u * 1024u * 1024u)

/**
 * bh_blob_new:
 * @data: (array length=size): bytes to share
 * @size: bytes, may be 0
 * @name: memfd name shown in /proc/PID/fd, e.g. "bulkhead-body"
 * @error: %BH_SHM_ERROR_SYSTEM
 *
 * Copies @data into a new memfd and seals it fully (write seal included).
 *
 * Returns: (transfer full): the fd, close-on-exec, or -1 with @error set.
 */
int bh_blob_new (const void *data, gsize size, const char *name, GError **error);

/**
 * bh_blob_map:
 * @fd: (transfer none): a memfd from the peer
 * @size: bytes the peer claims, <= %BH_BLOB_MAX_BYTES
 * @error: %BH_SHM_ERROR_NOT_SEALED without all four seals,
 *   %BH_SHM_ERROR_SIZE if the memfd is smaller than @size
 *
 * Maps the first @size bytes read-only. The fd may be closed afterwards.
 *
 * Returns: (transfer full) (nullable): bytes that unmap when freed.
 */
GBytes *bh_blob_map (int fd, gsize size, GError **error);

/**
 * bh_shm_check_seals:
 * @fd: a memfd
 * @min_size: the file must be at least this many bytes
 * @require_write_seal: also demand F_SEAL_WRITE (blobs), not only
 *   F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL (bitmaps)
 * @error: %BH_SHM_ERROR_NOT_SEALED or %BH_SHM_ERROR_SIZE
 *
 * Returns: %TRUE if the fd may be mapped for @min_size bytes.
 */
gboolean bh_shm_check_seals (int fd, gsize min_size, gboolean require_write_seal, GError **error);

/* A BGRA premultiplied bitmap (CAIRO_FORMAT_ARGB32, native-endian) in shared memory. */
typedef struct {
  int fd;                /* owned, close-on-exec */
  guint width;           /* pixels */
  guint height;          /* pixels */
  guint stride_bytes;    /* >= width * 4, a multiple of 4 */
  gsize size_bytes;      /* the memfd's size, >= stride_bytes * height */
  guint8 *data;          /* the mapping: writable for the owner, read-only for the reader */
  gboolean writable;
} BhBitmap;

/**
 * bh_bitmap_new:
 * @width: pixels, 1..%BH_BITMAP_MAX_DIMENSION
 * @height: pixels, 1..%BH_BITMAP_MAX_DIMENSION
 * @error: %BH_SHM_ERROR_SIZE or %BH_SHM_ERROR_SYSTEM
 *
 * Creates, sizes and seals a memfd for the painting side and maps it
 * read-write; the stride is cairo's for ARGB32.
 *
 * Returns: (transfer full) (nullable): the bitmap, cleared to transparent.
 */
BhBitmap *bh_bitmap_new (guint width, guint height, GError **error);

/**
 * bh_bitmap_import:
 * @fd: (transfer full): the memfd from the peer; closed on failure too
 * @width: pixels, as the message claims
 * @height: pixels
 * @stride_bytes: as the message claims
 * @size_bytes: as the message claims
 * @error: %BH_SHM_ERROR_SIZE if the geometry is impossible or over the caps,
 *   %BH_SHM_ERROR_NOT_SEALED without the bitmap seals
 *
 * Checks everything the peer claimed and maps the bitmap read-only.
 *
 * Returns: (transfer full) (nullable): the bitmap.
 */
BhBitmap *bh_bitmap_import (int fd, guint width, guint height, guint stride_bytes, gsize size_bytes,
                            GError **error);

/**
 * bh_bitmap_create_surface:
 *
 * Returns: (transfer full): a cairo image surface over the mapping, for the
 *   painting side; it must not outlive @bitmap.
 */
cairo_surface_t *bh_bitmap_create_surface (BhBitmap *bitmap);

/**
 * bh_bitmap_free:
 * @bitmap: (nullable) (transfer full): unmaps and closes
 */
void bh_bitmap_free (BhBitmap *bitmap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhBitmap, bh_bitmap_free)

G_END_DECLS
