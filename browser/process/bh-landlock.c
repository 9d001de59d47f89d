/* bh-landlock.c: a Landlock domain for a child without namespaces. */
#include "bh-landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gio/gio.h>
#include <linux/landlock.h>

/* What later ABIs added, which Debian 12's header does not have
 * (include/uapi/linux/landlock.h). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
#define BH_LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)           /* ABI 4 */
#define BH_LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)        /* ABI 4 */
#define BH_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)    /* ABI 6 */
#define BH_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)                  /* ABI 6 */

/* struct landlock_ruleset_attr as of ABI 6; older kernels get a prefix. */
typedef struct {
  guint64 handled_access_fs;
  guint64 handled_access_net;
  guint64 scoped;
} RulesetAttr;

#define ACCESS_FS_ABI1                                                                                       \
  (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |               \
   LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |            \
   LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |                \
   LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |             \
   LANDLOCK_ACCESS_FS_MAKE_SYM)

/* The rights a rule on a file (not a directory) may carry. */
#define ACCESS_FILE                                                                                          \
  (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |               \
   LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

static guint64
handled_access_fs (int abi)
{
  guint64 access = ACCESS_FS_ABI1;

  if (abi >= 2)
    access |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3)
    access |= LANDLOCK_ACCESS_FS_TRUNCATE;
  if (abi >= 5)
    access |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  return access;
}

int
bh_landlock_probe (char **out_cause)
{
  long abi;
  g_autofree char *lsm = NULL;

  if (g_strcmp0 (g_getenv ("BULKHEAD_SANDBOX_TEST_NO_LANDLOCK"), "1") == 0)
    {
      if (out_cause != NULL)
        *out_cause = g_strdup ("Landlock turned off by BULKHEAD_SANDBOX_TEST_NO_LANDLOCK=1");
      return 0;
    }
  abi = syscall (SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi > 0)
    return (int) abi;
  if (out_cause == NULL)
    return 0;
  if (errno == EOPNOTSUPP)
    {
      g_file_get_contents ("/sys/kernel/security/lsm", &lsm, NULL, NULL);
      *out_cause = g_strdup_printf ("the kernel has Landlock but it is not enabled (security modules: %s); "
                                    "add landlock to the lsm= boot parameter",
                                    lsm != NULL ? g_strstrip (lsm) : "unknown, /sys/kernel/security/lsm unreadable");
    }
  else
    *out_cause = g_strdup_printf ("the kernel has no Landlock (%s): Linux 5.13 or later with "
                                  "CONFIG_SECURITY_LANDLOCK has it", g_strerror (errno));
  return 0;
}

char *
bh_landlock_describe (int abi)
{
  return g_strdup_printf ("Landlock ABI %d: files%s%s", abi, abi >= 4 ? ", TCP" : "",
                          abi >= 6 ? ", abstract unix sockets, signals" : "");
}

static gboolean
add_path_rule (int ruleset_fd, guint64 handled, const BhLandlockPath *path, GError **error)
{
  struct landlock_path_beneath_attr rule = { 0 };
  int fd = open (path->path, O_PATH | O_CLOEXEC);
  int saved_errno;
  long r;

  if (fd < 0)
    return errno == ENOENT; /* an optional path that is not there */
  rule.parent_fd = fd;
  rule.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_EXECUTE;
  if (path->directory)
    rule.allowed_access |= LANDLOCK_ACCESS_FS_READ_DIR;
  if (path->writable)
    rule.allowed_access |= LANDLOCK_ACCESS_FS_WRITE_FILE;
  if (!path->directory)
    rule.allowed_access &= ACCESS_FILE;
  rule.allowed_access &= handled;
  r = syscall (SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
  saved_errno = errno;
  close (fd);
  if (r == 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "landlock_add_rule(%s): %s", path->path,
               g_strerror (saved_errno));
  return FALSE;
}

int
bh_landlock_ruleset_new (int abi, const BhLandlockPath *paths, guint n_paths, GError **error)
{
  RulesetAttr attr = { 0 };
  gsize attr_size;
  int fd;

  g_return_val_if_fail (abi > 0, -1);

  attr.handled_access_fs = handled_access_fs (abi);
  attr_size = sizeof attr.handled_access_fs;
  if (abi >= 4)
    {
      attr.handled_access_net = BH_LANDLOCK_ACCESS_NET_BIND_TCP | BH_LANDLOCK_ACCESS_NET_CONNECT_TCP;
      attr_size += sizeof attr.handled_access_net;
    }
  if (abi >= 6)
    {
      attr.scoped = BH_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | BH_LANDLOCK_SCOPE_SIGNAL;
      attr_size += sizeof attr.scoped;
    }
  fd = (int) syscall (SYS_landlock_create_ruleset, &attr, attr_size, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "landlock_create_ruleset: %s",
                   g_strerror (saved_errno));
      return -1;
    }
  for (guint i = 0; i < n_paths; i++)
    if (!add_path_rule (fd, attr.handled_access_fs, &paths[i], error))
      {
        close (fd);
        return -1;
      }
  return fd;
}

int
bh_landlock_restrict_self (int ruleset_fd, int abi)
{
  struct landlock_path_beneath_attr rule = { 0 };
  int self = open ("/proc/self", O_PATH | O_CLOEXEC);

  if (self >= 0)
    {
      rule.parent_fd = self;
      rule.allowed_access = (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR) &
                            handled_access_fs (abi);
      if (syscall (SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
        {
          int saved_errno = errno;
          close (self);
          return -saved_errno;
        }
      close (self);
    }
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return -errno;
  if (syscall (SYS_landlock_restrict_self, ruleset_fd, 0) != 0)
    return -errno;
  close (ruleset_fd);
  return 0;
}
