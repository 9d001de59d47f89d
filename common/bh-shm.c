/* bh-shm.c: sealed memfds (memfd_create(2), fcntl(2) "File Sealing"). */
#include "bh-shm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (bh-shm-error-quark, bh_shm_error)

#define BITMAP_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)
#define BLOB_SEALS (BITMAP_SEALS | F_SEAL_WRITE)

static gboolean
set_errno_error (GError **error, const char *what)
{
  int e = errno;

  g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SYSTEM, "%s: %s", what, g_strerror (e));
  return FALSE;
}

/* memfd_create + ftruncate; returns -1 with @error set. */
static int
create_memfd (const char *name, gsize size, GError **error)
{
  int fd = memfd_create (name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

  if (fd < 0)
    {
      set_errno_error (error, "memfd_create");
      return -1;
    }
  if (ftruncate (fd, (off_t) size) < 0)
    {
      set_errno_error (error, "ftruncate");
      close (fd);
      return -1;
    }
  return fd;
}

int
bh_blob_new (const void *data, gsize size, const char *name, GError **error)
{
  int fd;

  g_return_val_if_fail (data != NULL || size == 0, -1);

  if (size > BH_BLOB_MAX_BYTES)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE, "blob of %" G_GSIZE_FORMAT " bytes is over the cap",
                   size);
      return -1;
    }
  fd = create_memfd (name, size, error);
  if (fd < 0)
    return -1;
  if (size > 0)
    {
      /* A mapping, not write(2): the write seal below needs no writable
       * mapping to remain, and the copy is the same either way. */
      void *p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if (p == MAP_FAILED)
        {
          set_errno_error (error, "mmap");
          close (fd);
          return -1;
        }
      memcpy (p, data, size);
      munmap (p, size);
    }
  if (fcntl (fd, F_ADD_SEALS, BLOB_SEALS) < 0)
    {
      set_errno_error (error, "F_ADD_SEALS");
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
bh_shm_check_seals (int fd, gsize min_size, gboolean require_write_seal, GError **error)
{
  int want = require_write_seal ? BLOB_SEALS : BITMAP_SEALS;
  struct stat st;
  int seals;

  seals = fcntl (fd, F_GET_SEALS);
  if (seals < 0)
    {
      int e = errno;
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED, "fd is not a sealable memfd (%s)",
                   g_strerror (e));
      return FALSE;
    }
  if ((seals & want) != want)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED,
                   "memfd lacks seals:%s%s%s%s", (seals & F_SEAL_SHRINK) ? "" : " F_SEAL_SHRINK",
                   (seals & F_SEAL_GROW) ? "" : " F_SEAL_GROW", (seals & F_SEAL_SEAL) ? "" : " F_SEAL_SEAL",
                   (require_write_seal && !(seals & F_SEAL_WRITE)) ? " F_SEAL_WRITE" : "");
      return FALSE;
    }
  if (fstat (fd, &st) < 0)
    return set_errno_error (error, "fstat");
  if (!S_ISREG (st.st_mode) || st.st_size < 0 || (guint64) st.st_size < min_size)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE,
                   "memfd holds %" G_GINT64_FORMAT " bytes, %" G_GSIZE_FORMAT " were claimed",
                   (gint64) st.st_size, min_size);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  void *addr;
  gsize len;
} Mapping;

static void
mapping_free (gpointer data)
{
  Mapping *m = data;

  munmap (m->addr, m->len);
  g_free (m);
}

GBytes *
bh_blob_map (int fd, gsize size, GError **error)
{
  Mapping *m;

  if (size > BH_BLOB_MAX_BYTES)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE, "blob of %" G_GSIZE_FORMAT " bytes is over the cap",
                   size);
      return NULL;
    }
  if (!bh_shm_check_seals (fd, size, TRUE, error))
    return NULL;
  if (size == 0)
    return g_bytes_new (NULL, 0);

  m = g_new0 (Mapping, 1);
  m->len = size;
  m->addr = mmap (NULL, size, PROT_READ, MAP_SHARED, fd, 0);
  if (m->addr == MAP_FAILED)
    {
      g_free (m);
      set_errno_error (error, "mmap");
      return NULL;
    }
  return g_bytes_new_with_free_func (m->addr, size, mapping_free, m);
}

BhBitmap *
bh_bitmap_new (guint width, guint height, GError **error)
{
  g_autoptr (BhBitmap) b = NULL;
  int stride;

  if (width == 0 || height == 0 || width > BH_BITMAP_MAX_DIMENSION || height > BH_BITMAP_MAX_DIMENSION)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE, "bitmap of %ux%u px is out of range", width, height);
      return NULL;
    }
  stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, (int) width);
  b = g_new0 (BhBitmap, 1);
  b->fd = -1;
  b->width = width;
  b->height = height;
  b->stride_bytes = (guint) stride;
  b->size_bytes = (gsize) stride * height;
  b->writable = TRUE;
  b->fd = create_memfd ("bulkhead-bitmap", b->size_bytes, error);
  if (b->fd < 0)
    return NULL;
  if (fcntl (b->fd, F_ADD_SEALS, BITMAP_SEALS) < 0)
    {
      set_errno_error (error, "F_ADD_SEALS");
      return NULL;
    }
  b->data = mmap (NULL, b->size_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
  if (b->data == MAP_FAILED)
    {
      b->data = NULL;
      set_errno_error (error, "mmap");
      return NULL;
    }
  return g_steal_pointer (&b);
}

BhBitmap *
bh_bitmap_import (int fd, guint width, guint height, guint stride_bytes, gsize size_bytes, GError **error)
{
  g_autoptr (BhBitmap) b = g_new0 (BhBitmap, 1);
  guint64 needed;

  b->fd = fd; /* owned from here on, closed by bh_bitmap_free() on failure */
  if (width == 0 || height == 0 || width > BH_BITMAP_MAX_DIMENSION || height > BH_BITMAP_MAX_DIMENSION)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE, "bitmap of %ux%u px is out of range", width, height);
      return NULL;
    }
  /* 64-bit arithmetic: 16384 * 4 * 16384 fits easily, and nothing can wrap. */
  if ((guint64) stride_bytes < (guint64) width * 4 || stride_bytes % 4 != 0 ||
      stride_bytes > BH_BITMAP_MAX_DIMENSION * 4u + 64u)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE, "stride of %u bytes does not fit %u px", stride_bytes,
                   width);
      return NULL;
    }
  needed = (guint64) stride_bytes * height;
  if ((guint64) size_bytes < needed || size_bytes > needed + 4096)
    {
      g_set_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE,
                   "bitmap of %" G_GSIZE_FORMAT " bytes for %ux%u px with stride %u", size_bytes, width, height,
                   stride_bytes);
      return NULL;
    }
  if (!bh_shm_check_seals (fd, size_bytes, FALSE, error))
    return NULL;

  b->width = width;
  b->height = height;
  b->stride_bytes = stride_bytes;
  b->size_bytes = size_bytes;
  b->data = mmap (NULL, size_bytes, PROT_READ, MAP_SHARED, fd, 0);
  if (b->data == MAP_FAILED)
    {
      b->data = NULL;
      set_errno_error (error, "mmap");
      return NULL;
    }
  return g_steal_pointer (&b);
}

cairo_surface_t *
bh_bitmap_create_surface (BhBitmap *b)
{
  g_return_val_if_fail (b != NULL && b->data != NULL, NULL);

  return cairo_image_surface_create_for_data (b->data, CAIRO_FORMAT_ARGB32, (int) b->width, (int) b->height,
                                              (int) b->stride_bytes);
}

void
bh_bitmap_free (BhBitmap *b)
{
  if (b == NULL)
    return;
  if (b->data)
    munmap (b->data, b->size_bytes);
  if (b->fd >= 0)
    close (b->fd);
  g_free (b);
}
