/* test-docs.c: docs/architecture.md lists every message of the catalogue, as it is. */
#include <string.h>

#include "bh-message.h"

static char *doc;

static void
check_row (const BhMessageInfo *info, gpointer user_data)
{
  const char *dir = info->direction == BH_BOTH ? "both"
                    : info->direction == BH_TO_CHILD ? "browser → child"
                                                     : "child → browser";
  g_autofree char *row = g_strdup_printf ("| %u | `%s` | %s | `%s` | %u | %s%s|", info->type, info->name, dir,
                                          info->payload_type, info->n_fds, info->field_names,
                                          *info->field_names ? " " : "");

  if (strstr (doc, row) == NULL)
    {
      g_test_message ("docs/architecture.md lacks the row: %s", row);
      g_test_fail ();
    }
}

static void
test_catalogue_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "architecture.md", NULL);
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  bh_message_info_foreach (check_row, NULL);
  g_clear_pointer (&doc, g_free);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/docs/catalogue-documented", test_catalogue_documented);
  return g_test_run ();
}
