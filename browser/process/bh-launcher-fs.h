/* bh-launcher-fs.h: what a sandboxed child sees of the filesystem, for the
 * launcher (bh-launcher.c) only.
 *
 * One list of operations (bh_fs_plan_new()): read-only /usr, the host's
 * merged-/usr symlinks, fontconfig's configuration and cache, the dynamic
 * linker's cache, the time zone, a fresh /proc, a minimal /dev, the
 * executable's directory. Bubblewrap gets it as options, the clone(2) path
 * mounts it itself, and without namespaces it becomes a Landlock ruleset.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BH_FS_BIND_DIR,  /* read-only bind of a directory */
  BH_FS_BIND_FILE, /* read-only bind of a file */
  BH_FS_SYMLINK,   /* dest -> source */
  BH_FS_PROC,      /* a fresh /proc showing only the sandbox's processes */
  BH_FS_DEV,       /* a minimal /dev: null zero full random urandom tty */
} BhFsOpKind;

typedef struct {
  BhFsOpKind kind;
  char *source;              /* host path, or the link target for BH_FS_SYMLINK */
  char *dest;                /* path in the sandbox */
  unsigned long mount_flags; /* BH_FS_BIND_*: the flags the read-only remount keeps */
} BhFsOp;

/**
 * bh_fs_plan_new:
 * @executable: (nullable): the child's executable, absolute; its directory
 *   is bound too unless it is a shared one (/, /tmp, home...)
 * @prefix_tool: (nullable): a --renderer-cmd-prefix tool, bound alone
 *
 * Returns: (transfer full) (element-type BhFsOp): the operations, in order.
 */
GArray *bh_fs_plan_new (const char *executable, const char *prefix_tool);

/**
 * bh_fs_plan_to_bwrap_args:
 * @ops: (element-type BhFsOp): from bh_fs_plan_new()
 * @argv: (element-type utf8): bubblewrap's arguments, appended to
 */
void bh_fs_plan_to_bwrap_args (GArray *ops, GPtrArray *argv);

typedef enum {
  BH_FS_STEP_MOUNT = 1, /* building the new root */
  BH_FS_STEP_PIVOT,     /* switching to it */
} BhFsStep;

typedef struct {
  BhFsStep step;
  int err;      /* errno */
  int op_index; /* which operation for BH_FS_STEP_MOUNT, else -1 */
} BhFsFailure;

/**
 * bh_fs_plan_build_root:
 * @ops: (element-type BhFsOp): the plan
 * @sources: per operation, "/oldroot" + its source (NULL for /proc, /dev)
 * @dests: per operation, "/newroot" + its destination
 * @failure: (out caller-allocates): set when this fails
 *
 * In pid 1 of the clone(2) path's new namespaces, between fork and exec
 * (async-signal-safe: every string was built before forking): builds the
 * sandbox's root as bubblewrap does and pivots into it.
 *
 * Returns: %TRUE when the process's root is the sandbox's.
 */
gboolean bh_fs_plan_build_root (GArray *ops, char **sources, char **dests, BhFsFailure *failure);

/**
 * bh_fs_plan_to_landlock:
 * @abi: the kernel's Landlock ABI
 * @executable: (nullable): as for bh_fs_plan_new()
 * @prefix_tool: (nullable): as for bh_fs_plan_new()
 * @error: why the ruleset could not be built
 *
 * The plan as a Landlock ruleset (bh_landlock_ruleset_new()): every bound
 * path readable and executable, /dev's nodes readable and /dev/null
 * writable; the child adds /proc/self (bh_landlock_restrict_self()).
 *
 * Returns: the ruleset's fd, or -1.
 */
int bh_fs_plan_to_landlock (int abi, const char *executable, const char *prefix_tool, GError **error);

G_END_DECLS
