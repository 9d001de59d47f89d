/* fuzz-replay: runs a libFuzzer target over files, in the ordinary build (docs/fuzzing.md).
 *
 *   fuzz-replay-NAME [--tap] DIR...
 *
 * Each file in each DIR (the target's seed corpus in tests/fuzz-corpus/NAME, and the
 * inputs that once crashed it in tests/fuzz-regressions/NAME) is one GTest case that
 * hands the file to LLVMFuzzerTestOneInput(), as libFuzzer would. `make check` runs
 * these, so a finding that was fixed stays fixed without clang or a sanitizer; a
 * crash, an assertion or a GLib critical (G_DEBUG=fatal-warnings) fails the case.
 */
#include <glib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static void
replay (gconstpointer path)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const guint8 *) data, len), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = g_path_get_basename (argv[0]);
  const char *target = g_str_has_prefix (name, "fuzz-replay-") ? name + strlen ("fuzz-replay-") : name;

  g_test_init (&argc, &argv, NULL);
  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *parent = g_path_get_dirname (argv[i]);
      g_autofree char *kind = g_path_get_basename (parent);
      const char *entry;

      if (dir == NULL)
        continue;  /* no regressions yet */
      while ((entry = g_dir_read_name (dir)) != NULL)
        if (entry[0] != '.')
          g_ptr_array_add (names, g_strdup (entry));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint j = 0; j < names->len; j++)
        {
          const char *file = g_ptr_array_index (names, j);
          char *path = g_build_filename (argv[i], file, NULL);
          g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/%s/%s", target, kind, file);

          g_ptr_array_add (paths, path);
          g_test_add_data_func (test_path, path, replay);
        }
    }
  return g_test_run ();
}
