/* bh-launcher-fs.c: the sandbox's filesystem, one list applied three ways:
 * as bubblewrap's options, as the clone(2) path's mounts (in the forked
 * child, async-signal-safe), and as a Landlock ruleset without namespaces. */
#include "bh-launcher-fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bh-landlock.h"

static void
fs_op_clear (BhFsOp *op)
{
  g_free (op->source);
  g_free (op->dest);
}

/* The flags a bind mount must keep when remounted read-only: inside a user
 * namespace the kernel refuses to drop nosuid/nodev/noexec/atime flags the
 * original mount had (mount(2), "locked" flags). */
static unsigned long
remount_flags_for (const char *path)
{
  struct statvfs st;
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;

  if (statvfs (path, &st) != 0)
    return flags;
  if (st.f_flag & ST_NOEXEC)
    flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME)
    flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME)
    flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME)
    flags |= MS_RELATIME;
  return flags;
}

static void
fs_add (GArray *ops, BhFsOpKind kind, const char *source, const char *dest)
{
  BhFsOp op = { kind, g_strdup (source), g_strdup (dest), 0 };

  if (kind == BH_FS_BIND_DIR || kind == BH_FS_BIND_FILE)
    op.mount_flags = remount_flags_for (source);
  g_array_append_val (ops, op);
}

static gboolean
path_is_under (const char *path, const char *dir)
{
  gsize len = strlen (dir);

  return strncmp (path, dir, len) == 0 && (path[len] == '/' || path[len] == '\0');
}

/* Directories too broad to expose whole: the executable alone is bound. */
static gboolean
is_shared_directory (const char *dir)
{
  static const char *const shared[] = { "/", "/tmp", "/var/tmp", "/dev/shm", "/home", "/root", "/run", "/etc" };

  for (gsize i = 0; i < G_N_ELEMENTS (shared); i++)
    if (strcmp (dir, shared[i]) == 0)
      return TRUE;
  return strcmp (dir, g_get_home_dir ()) == 0;
}

/* Adds a read-only bind of @path (the executable, a cmd-prefix tool) at the
 * same place, unless /usr already covers it. With @with_directory, its whole
 * directory: the plugin host loads its modules from plugins/ beside it when
 * it runs from the build tree. */
static void
fs_add_executable (GArray *ops, const char *path, gboolean with_directory)
{
  g_autofree char *dir = NULL;

  if (path == NULL || path_is_under (path, "/usr"))
    return;
  dir = g_path_get_dirname (path);
  if (with_directory && !is_shared_directory (dir))
    {
      fs_add (ops, BH_FS_BIND_DIR, dir, dir);
      return;
    }
  for (guint i = 0; i < ops->len; i++)
    {
      const BhFsOp *op = &g_array_index (ops, BhFsOp, i);

      if (g_strcmp0 (op->dest, path) == 0 || (op->kind == BH_FS_BIND_DIR && path_is_under (path, op->dest)))
        return;
    }
  fs_add (ops, BH_FS_BIND_FILE, path, path);
}

/* Only what a renderer needs to start: /usr (libraries, fonts, gdk-pixbuf
 * loaders under /usr/lib, /usr/local/share/fonts), the merged-/usr symlinks as
 * the host has them, fontconfig's configuration and cache, the dynamic
 * linker's cache, the time zone, a fresh /proc, a minimal /dev and the
 * executable's directory. Not /tmp, not home, not /etc/passwd. */
GArray *
bh_fs_plan_new (const char *executable, const char *prefix_tool)
{
  static const char *const top_level_links[] = { "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32" };
  static const char *const optional_files[] = { "/etc/ld.so.cache", "/etc/localtime" };
  static const char *const optional_dirs[] = { "/etc/fonts", "/var/cache/fontconfig" };
  GArray *ops = g_array_new (FALSE, TRUE, sizeof (BhFsOp));

  g_array_set_clear_func (ops, (GDestroyNotify) fs_op_clear);

  fs_add (ops, BH_FS_BIND_DIR, "/usr", "/usr");
  for (gsize i = 0; i < G_N_ELEMENTS (top_level_links); i++)
    {
      const char *path = top_level_links[i];
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL)
        fs_add (ops, BH_FS_SYMLINK, target, path);
      else if (g_file_test (path, G_FILE_TEST_IS_DIR))
        fs_add (ops, BH_FS_BIND_DIR, path, path);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (optional_dirs); i++)
    if (g_file_test (optional_dirs[i], G_FILE_TEST_IS_DIR))
      fs_add (ops, BH_FS_BIND_DIR, optional_dirs[i], optional_dirs[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (optional_files); i++)
    {
      g_autofree char *real = realpath (optional_files[i], NULL);

      if (real != NULL && g_file_test (real, G_FILE_TEST_IS_REGULAR))
        {
          /* /etc/localtime is a symlink into /usr on Debian: keep the link. */
          g_autofree char *target = g_file_read_link (optional_files[i], NULL);

          if (target != NULL && path_is_under (real, "/usr"))
            fs_add (ops, BH_FS_SYMLINK, target, optional_files[i]);
          else
            fs_add (ops, BH_FS_BIND_FILE, real, optional_files[i]);
        }
    }
  fs_add (ops, BH_FS_PROC, NULL, "/proc");
  fs_add (ops, BH_FS_DEV, NULL, "/dev");
  fs_add_executable (ops, executable, TRUE);
  fs_add_executable (ops, prefix_tool, FALSE);
  return ops;
}

void
bh_fs_plan_to_bwrap_args (GArray *ops, GPtrArray *argv)
{
  for (guint i = 0; i < ops->len; i++)
    {
      const BhFsOp *op = &g_array_index (ops, BhFsOp, i);

      switch (op->kind)
        {
        case BH_FS_BIND_DIR:
        case BH_FS_BIND_FILE:
          g_ptr_array_add (argv, g_strdup ("--ro-bind"));
          g_ptr_array_add (argv, g_strdup (op->source));
          g_ptr_array_add (argv, g_strdup (op->dest));
          break;
        case BH_FS_SYMLINK:
          g_ptr_array_add (argv, g_strdup ("--symlink"));
          g_ptr_array_add (argv, g_strdup (op->source));
          g_ptr_array_add (argv, g_strdup (op->dest));
          break;
        case BH_FS_PROC:
          g_ptr_array_add (argv, g_strdup ("--proc"));
          g_ptr_array_add (argv, g_strdup (op->dest));
          break;
        case BH_FS_DEV:
          g_ptr_array_add (argv, g_strdup ("--dev"));
          g_ptr_array_add (argv, g_strdup (op->dest));
          break;
        }
    }
}

/* mkdir -p on a stack copy of @path; the last component too when @last. */
static gboolean
mkdir_parents (const char *path, gboolean last)
{
  char buf[PATH_MAX];
  gsize len = strlen (path);

  if (len >= sizeof buf)
    {
      errno = ENAMETOOLONG;
      return FALSE;
    }
  memcpy (buf, path, len + 1);
  for (gsize i = 1; i <= len; i++)
    {
      if (buf[i] != '/' && buf[i] != '\0')
        continue;
      if (buf[i] == '\0' && !last)
        break;
      buf[i] = '\0';
      if (mkdir (buf, 0755) != 0 && errno != EEXIST)
        return FALSE;
      if (i < len)
        buf[i] = '/';
    }
  return TRUE;
}

static gboolean
bind_read_only (const char *source, const char *dest, unsigned long remount_flags)
{
  if (mount (source, dest, NULL, MS_BIND | MS_REC, NULL) != 0)
    return FALSE;
  return mount (NULL, dest, NULL, remount_flags, NULL) == 0;
}

static gboolean
make_dev (const char *dev)
{
  static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
  static const char *const links[][2] = {
    { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
    { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
  };
  char dest[PATH_MAX], source[64];

  if (!mkdir_parents (dev, TRUE) || mount ("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755") != 0)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      int fd;

      if (strlen (dev) + strlen (nodes[i]) + 2 > sizeof dest)
        return FALSE;
      strcpy (dest, dev);
      strcat (dest, "/");
      strcat (dest, nodes[i]);
      strcpy (source, "/oldroot/dev/");
      strcat (source, nodes[i]);
      fd = open (dest, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
      if (fd < 0)
        return FALSE;
      close (fd);
      if (mount (source, dest, NULL, MS_BIND, NULL) != 0 && strcmp (nodes[i], "tty") != 0)
        return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      strcpy (dest, dev);
      strcat (dest, "/");
      strcat (dest, links[i][1]);
      if (symlink (links[i][0], dest) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
fail (BhFsFailure *failure, BhFsStep step, int op_index)
{
  failure->step = step;
  failure->err = errno;
  failure->op_index = op_index;
  return FALSE;
}

/* Builds the sandbox's root the way bubblewrap does (bubblewrap.c): a tmpfs
 * base with the old root under it, then a tmpfs new root filled from
 * /oldroot, then a second pivot_root into it. We are pid 1 of the new pid
 * namespace, so the /proc mounted here shows only the sandbox. */
gboolean
bh_fs_plan_build_root (GArray *ops, char **sources, char **dests, BhFsFailure *failure)
{
  int oldroot;

  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) != 0)
    return fail (failure, BH_FS_STEP_MOUNT, -1);
  if (mount ("tmpfs", "/tmp", "tmpfs", MS_NODEV | MS_NOSUID, "mode=0755") != 0)
    return fail (failure, BH_FS_STEP_MOUNT, -1);
  if (chdir ("/tmp") != 0 || mkdir ("newroot", 0755) != 0 || mkdir ("oldroot", 0755) != 0)
    return fail (failure, BH_FS_STEP_MOUNT, -1);
  if (syscall (SYS_pivot_root, "/tmp", "oldroot") != 0 || chdir ("/") != 0)
    return fail (failure, BH_FS_STEP_PIVOT, -1);
  if (mount ("tmpfs", "/newroot", "tmpfs", MS_NODEV | MS_NOSUID, "mode=0755") != 0)
    return fail (failure, BH_FS_STEP_MOUNT, -1);

  for (guint i = 0; i < ops->len; i++)
    {
      const BhFsOp *op = &g_array_index (ops, BhFsOp, i);
      const char *source = sources[i];
      const char *dest = dests[i];
      gboolean ok = TRUE;

      switch (op->kind)
        {
        case BH_FS_BIND_DIR:
          ok = mkdir_parents (dest, TRUE) && bind_read_only (source, dest, op->mount_flags);
          break;
        case BH_FS_BIND_FILE:
          {
            int fd;

            ok = mkdir_parents (dest, FALSE);
            if (ok)
              {
                fd = open (dest, O_CREAT | O_WRONLY | O_CLOEXEC, 0444);
                ok = fd >= 0;
                if (ok)
                  close (fd);
              }
            ok = ok && bind_read_only (source, dest, op->mount_flags);
          }
          break;
        case BH_FS_SYMLINK:
          ok = mkdir_parents (dest, FALSE) && symlink (op->source, dest) == 0;
          break;
        case BH_FS_PROC:
          /* A container that hides parts of its /proc forbids a fresh one
           * (mount_too_revealing): the sandbox then has no /proc at all. */
          ok = mkdir_parents (dest, TRUE);
          if (ok)
            mount ("proc", dest, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
          break;
        case BH_FS_DEV:
          ok = make_dev (dest);
          break;
        }
      if (!ok)
        return fail (failure, BH_FS_STEP_MOUNT, (int) i);
    }

  /* Drop the old root, then make the new one the root (pivot_root(".", ".")
   * stacks the old root on top; unmounting it leaves the new one). */
  if (mount ("oldroot", "oldroot", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || umount2 ("oldroot", MNT_DETACH) != 0)
    return fail (failure, BH_FS_STEP_PIVOT, -1);
  oldroot = open ("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (oldroot < 0 || chdir ("/newroot") != 0 || syscall (SYS_pivot_root, ".", ".") != 0 ||
      fchdir (oldroot) != 0 || umount2 (".", MNT_DETACH) != 0 || chdir ("/") != 0)
    return fail (failure, BH_FS_STEP_PIVOT, -1);
  close (oldroot);
  if (mount (NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
    return fail (failure, BH_FS_STEP_PIVOT, -1);
  return TRUE;
}

/* The Landlock ruleset for a child without namespaces: what the namespace
 * modes bind into their sandbox (the same plan), readable and executable;
 * /dev/null writable. /proc/self is added by the child itself. */
int
bh_fs_plan_to_landlock (int abi, const char *executable, const char *prefix_tool, GError **error)
{
  static const BhLandlockPath devices[] = {
    { "/dev/null", FALSE, TRUE }, { "/dev/zero", FALSE, FALSE }, { "/dev/full", FALSE, FALSE },
    { "/dev/random", FALSE, FALSE }, { "/dev/urandom", FALSE, FALSE },
  };
  g_autoptr(GArray) ops = bh_fs_plan_new (executable, prefix_tool);
  g_autoptr(GArray) paths = g_array_new (FALSE, TRUE, sizeof (BhLandlockPath));
  int fd;

  for (guint i = 0; i < ops->len; i++)
    {
      const BhFsOp *op = &g_array_index (ops, BhFsOp, i);
      BhLandlockPath path = { op->source, op->kind == BH_FS_BIND_DIR, FALSE };

      /* Symlinks point into /usr; /proc and /dev are below. */
      if (op->kind == BH_FS_BIND_DIR || op->kind == BH_FS_BIND_FILE)
        g_array_append_val (paths, path);
    }
  g_array_append_vals (paths, devices, G_N_ELEMENTS (devices));
  fd = bh_landlock_ruleset_new (abi, (const BhLandlockPath *) paths->data, paths->len, error);
  if (fd < 0)
    g_prefix_error (error, "Landlock: ");
  return fd;
}
