/* test-shm.c: sealed blobs and bitmaps, and what a receiver refuses. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bh-shm.h"

static void
test_blob_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  const char text[] = "<p>hello</p>";
  int fd = bh_blob_new (text, sizeof text, "test", &error);
  g_autoptr (GBytes) bytes = NULL;

  g_assert_no_error (error);
  bytes = bh_blob_map (fd, sizeof text, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), text, sizeof text);
  /* The creator cannot change it any more either: the write seal holds. */
  g_assert_cmpint (write (fd, "x", 1), ==, -1);
  g_assert_cmpint (ftruncate (fd, 1), ==, -1);
  close (fd);
}

static void
test_unsealed_refused (void)
{
  g_autoptr (GError) error = NULL;
  int fd = memfd_create ("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  g_assert_cmpint (ftruncate (fd, 4096), ==, 0);
  g_assert_null (bh_blob_map (fd, 100, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED);
  g_clear_error (&error);
  g_assert_null (bh_bitmap_import (fd, 16, 16, 64, 1024, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED);
  /* bh_bitmap_import took the fd and closed it on failure. */
  g_assert_cmpint (fcntl (fd, F_GETFD), ==, -1);
}

static void
test_writable_blob_refused (void)
{
  g_autoptr (GError) error = NULL;
  int fd = memfd_create ("writable", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  /* Size seals but no write seal: fine for a bitmap, not for a blob that the
   * sender could change while we parse it. */
  g_assert_cmpint (ftruncate (fd, 4096), ==, 0);
  g_assert_cmpint (fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), ==, 0);
  g_assert_null (bh_blob_map (fd, 100, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED);
  g_assert_nonnull (strstr (error->message, "F_SEAL_WRITE"));
  close (fd);
}

static void
test_not_a_memfd_refused (void)
{
  g_autoptr (GError) error = NULL;
  int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

  g_assert_null (bh_blob_map (fd, 0, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_NOT_SEALED);
  close (fd);
}

static void
test_bitmap_geometry (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhBitmap) painter = bh_bitmap_new (100, 50, &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr (BhBitmap) reader = NULL;

  g_assert_no_error (error);
  surface = bh_bitmap_create_surface (painter);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* A lying size: more than the memfd holds. */
  g_assert_null (bh_bitmap_import (fcntl (painter->fd, F_DUPFD_CLOEXEC, 0), 100, 60, painter->stride_bytes,
                                   (gsize) painter->stride_bytes * 60, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE);
  g_clear_error (&error);
  /* A stride too small for the width. */
  g_assert_null (bh_bitmap_import (fcntl (painter->fd, F_DUPFD_CLOEXEC, 0), 100, 50, 200, painter->size_bytes,
                                   &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE);
  g_clear_error (&error);
  /* Dimensions over the cap, whose product would overflow 32 bits. */
  g_assert_null (bh_bitmap_import (fcntl (painter->fd, F_DUPFD_CLOEXEC, 0), 100000, 100000, 400000,
                                   (gsize) 400000 * 100000, &error));
  g_assert_error (error, BH_SHM_ERROR, BH_SHM_ERROR_SIZE);
  g_clear_error (&error);

  reader = bh_bitmap_import (fcntl (painter->fd, F_DUPFD_CLOEXEC, 0), 100, 50, painter->stride_bytes,
                             painter->size_bytes, &error);
  g_assert_no_error (error);
  /* Premultiplied ARGB32 red, as the reader sees it through its own mapping. */
  g_assert_cmphex (*(guint32 *) reader->data, ==, 0xffff0000);
  g_assert_false (reader->writable);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/shm/blob-round-trip", test_blob_round_trip);
  g_test_add_func ("/ipc/shm/unsealed-refused", test_unsealed_refused);
  g_test_add_func ("/ipc/shm/writable-blob-refused", test_writable_blob_refused);
  g_test_add_func ("/ipc/shm/not-a-memfd-refused", test_not_a_memfd_refused);
  g_test_add_func ("/ipc/shm/bitmap-geometry", test_bitmap_geometry);
  return g_test_run ();
}
