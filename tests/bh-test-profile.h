/* bh-test-profile.h: every browser a test starts gets a profile of its own
 * (--user-data-dir), in a temporary directory removed at exit, so that no
 * test writes to $HOME and two browsers never share a profile's lock.
 * Header-only: for the tests that spawn the browser executable.
 */
#pragma once

#include <stdlib.h>

#include <glib.h>
#include <glib/gstdio.h>

static GPtrArray *bh_test_profile_dirs;

static void
bh_test_profile_remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        bh_test_profile_remove_tree (path);
      else
        g_unlink (path);
      g_free (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

static void
bh_test_profile_cleanup (void)
{
  /* Even entries are directories, odd ones their arguments. */
  for (guint i = 0; bh_test_profile_dirs != NULL && i < bh_test_profile_dirs->len; i += 2)
    bh_test_profile_remove_tree (bh_test_profile_dirs->pdata[i]);
  g_clear_pointer (&bh_test_profile_dirs, g_ptr_array_unref);
}

/* Returns (transfer none) "--user-data-dir=/tmp/bh-test-profile-XXXXXX", a
 * fresh empty directory, valid until exit. */
static G_GNUC_UNUSED const char *
bh_test_user_data_dir_arg (void)
{
  char *dir = g_dir_make_tmp ("bh-test-profile-XXXXXX", NULL);

  g_assert_nonnull (dir);
  if (bh_test_profile_dirs == NULL)
    {
      bh_test_profile_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (bh_test_profile_cleanup);
    }
  g_ptr_array_add (bh_test_profile_dirs, dir);
  g_ptr_array_add (bh_test_profile_dirs, g_strconcat ("--user-data-dir=", dir, NULL));
  return bh_test_profile_dirs->pdata[bh_test_profile_dirs->len - 1];
}
