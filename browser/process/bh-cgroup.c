/* bh-cgroup.c: per-child cgroup v2 memory limits. */
#include "bh-cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bh-sandbox.h"

static gboolean
has_word (const char *list, const char *word)
{
  g_auto (GStrv) words = g_strsplit_set (list != NULL ? list : "", " \n", -1);

  return g_strv_contains ((const char *const *) words, word);
}

/* Writes @value to DIR/FILE in one write(2), as cgroup control files want. */
static gboolean
write_control (const char *dir, const char *file, const char *value, GError **error)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gsize len = strlen (value);
  ssize_t n;
  int saved_errno;

  if (fd < 0)
    goto failed;
  n = write (fd, value, len);
  saved_errno = errno;
  close (fd);
  if (n == (ssize_t) len)
    return TRUE;
  errno = n < 0 ? saved_errno : EIO;
failed:
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "writing \"%s\" to %s: %s", value, path,
               g_strerror (saved_errno));
  return FALSE;
}

static char *
read_control (const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

gboolean
bh_cgroup_prepare_parent (char **out_parent, char **out_cause)
{
  g_autofree char *base = NULL;
  g_autofree char *controllers = NULL;
  g_autofree char *subtree = NULL;
  g_autofree char *leaf = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (out_parent != NULL && out_cause != NULL, FALSE);

  if (g_strcmp0 (g_getenv ("BULKHEAD_SANDBOX_TEST_NO_CGROUP"), "1") == 0)
    {
      *out_cause = g_strdup ("cgroups turned off by BULKHEAD_SANDBOX_TEST_NO_CGROUP=1");
      return FALSE;
    }
  base = bh_sandbox_cgroup_dir_of (0);
  if (base == NULL)
    {
      *out_cause = g_strdup ("no cgroup v2 hierarchy is mounted");
      return FALSE;
    }
  controllers = read_control (base, "cgroup.controllers");
  if (!has_word (controllers, "memory"))
    {
      *out_cause = g_strdup_printf ("the memory controller is not available in the browser's cgroup v2 cgroup "
                                    "%s (it is on cgroup v1, or the parent does not delegate it)", base);
      return FALSE;
    }
  if (access (base, W_OK) != 0)
    {
      *out_cause = g_strdup_printf ("the browser's cgroup %s is not delegated to it (not writable); run it "
                                    "with systemd-run --user --scope -p Delegate=yes", base);
      return FALSE;
    }

  subtree = read_control (base, "cgroup.subtree_control");
  if (!has_word (subtree, "memory"))
    {
      /* A cgroup with processes cannot give controllers to children: the
       * browser steps into a leaf of its own first. */
      leaf = g_build_filename (base, "bulkhead-browser", NULL);
      if ((mkdir (leaf, 0755) != 0 && errno != EEXIST) ||
          !write_control (leaf, "cgroup.procs", "0", &error) ||
          !write_control (base, "cgroup.subtree_control", "+memory", &error))
        {
          int saved_errno = errno;

          write_control (base, "cgroup.procs", "0", NULL);
          rmdir (leaf);
          *out_cause = g_strdup_printf ("the memory controller of cgroup %s cannot be handed to per-child "
                                        "cgroups: %s", base,
                                        error != NULL ? error->message : g_strerror (saved_errno));
          return FALSE;
        }
    }
  *out_parent = g_steal_pointer (&base);
  return TRUE;
}

char *
bh_cgroup_create_child (const char *parent, const char *name, guint64 memory_max_bytes, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *max = NULL;

  g_return_val_if_fail (parent != NULL && name != NULL, NULL);

  path = g_build_filename (parent, name, NULL);
  if (mkdir (path, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "mkdir %s: %s", path,
                   g_strerror (saved_errno));
      return NULL;
    }
  max = g_strdup_printf ("%" G_GUINT64_FORMAT, memory_max_bytes);
  if (!write_control (path, "memory.max", max, error) || !write_control (path, "memory.oom.group", "1", error))
    {
      rmdir (path);
      return NULL;
    }
  /* Absent without swap accounting: then there is nothing to swap to either. */
  write_control (path, "memory.swap.max", "0", NULL);
  return g_steal_pointer (&path);
}

gboolean
bh_cgroup_add_process (const char *cgroup, GPid pid, GError **error)
{
  g_autofree char *value = g_strdup_printf ("%d", (int) pid);

  g_return_val_if_fail (cgroup != NULL && pid > 0, FALSE);

  return write_control (cgroup, "cgroup.procs", value, error);
}

void
bh_cgroup_move_to_own (GPid pid)
{
  g_autofree char *dir = bh_sandbox_cgroup_dir_of (0);

  if (dir != NULL)
    bh_cgroup_add_process (dir, pid, NULL);
}

gboolean
bh_cgroup_was_oom_killed (const char *cgroup)
{
  g_autofree char *events = NULL;
  const char *line;

  g_return_val_if_fail (cgroup != NULL, FALSE);

  events = read_control (cgroup, "memory.events");
  for (line = events; line != NULL && *line != '\0';)
    {
      if (g_str_has_prefix (line, "oom_kill "))
        return g_ascii_strtoull (line + strlen ("oom_kill "), NULL, 10) > 0;
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  return FALSE;
}

void
bh_cgroup_remove (const char *cgroup)
{
  if (cgroup != NULL && rmdir (cgroup) != 0)
    g_debug ("rmdir %s: %s", cgroup, g_strerror (errno));
}
