/* bh-sandbox.h: the sandbox's second layer, applied by a child to itself, and
 * the sandbox status of any process as the browser reads it from /proc.
 *
 * Layer 1 (namespaces: bubblewrap or clone(2)) is set up from outside by the
 * browser's launcher (browser/process/bh-launcher.h). Layer 2 is a seccomp-bpf allowlist
 * built with libseccomp plus PR_SET_NO_NEW_PRIVS, which a renderer or plugin
 * host installs on itself once its start-up is done (fontconfig, Pango and
 * gdk-pixbuf loaders initialised) and before it reads any content.
 *
 * What the filter does with a system call, by class (the table in
 * bh-sandbox.c has one line per call, with the reason):
 *
 *  - allowed: what GLib's main loop, threads, IPC over the inherited socket,
 *    sealed memfds, fontconfig/Pango/cairo and malloc need.
 *  - fails with EPERM: calls library code makes on its own and copes with when
 *    they fail: open() for writing or creating (fontconfig's cache), socket()
 *    of any family (glibc's nscd client, D-Bus, X11 probes), ioctl() other than
 *    a few fd ones (isatty's TCGETS), sched_*() setters, prlimit64() setting a
 *    limit, filesystem changes (mkdir, unlink, rename, chmod...).
 *  - kills the whole process with SIGSYS: calls only a compromised child makes:
 *    execve/execveat, fork/vfork and clone() without CLONE_THREAD, ptrace,
 *    kill/tgkill of another process, connect/bind/listen/accept, mount and
 *    the namespace calls, keyctl/add_key/request_key, bpf, perf_event_open,
 *    and every call the table does not name (SCMP_ACT_KILL_PROCESS).
 *  - clone3() fails with ENOSYS: its flags live in memory seccomp cannot read,
 *    so glibc (2.34+) falls back to clone(), whose flags are checked.
 *
 * Source of rules: Chromium's Linux renderer policy (sandbox/policy/linux/,
 * baseline_policy.cc), WebKitGTK's bubblewrap + libseccomp setup, seccomp(2).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BH_SANDBOX_ERROR (bh_sandbox_error_quark ())
GQuark bh_sandbox_error_quark (void);

typedef enum {
  BH_SANDBOX_ERROR_UNSUPPORTED, /* the kernel or libseccomp lacks what the filter needs */
  BH_SANDBOX_ERROR_FAILED,      /* building or loading the filter failed */
} BhSandboxError;

typedef enum {
  BH_SANDBOX_POLICY_RENDERER,
  BH_SANDBOX_POLICY_PLUGIN,
} BhSandboxPolicy;

/* What a child may still open once its sandbox is in force. */
typedef enum {
  /* Read-only opens of whatever exists: with namespaces, layer 1 decided
   * what that is (/usr, fonts, the executable). */
  BH_SANDBOX_FILESYSTEM_READ_ONLY,
  /* Nothing but the files kept before (bh-sandbox-fs.h): without namespaces,
   * where everything the user can read would otherwise be readable. */
  BH_SANDBOX_FILESYSTEM_CLOSED,
} BhSandboxFilesystem;

/**
 * BH_EXIT_CODE_OUT_OF_MEMORY:
 *
 * The exit code of a child that could not allocate memory (for example
 * because it reached its RLIMIT_AS). bh_sandbox_exit_on_out_of_memory()
 * makes GLib's allocation failures exit with it; the launcher turns it into
 * %BH_TERMINATION_OUT_OF_MEMORY. Chosen outside 126..255, which shells and
 * bubblewrap use for "not executable", "not found" and 128+signal.
 */
#define BH_EXIT_CODE_OUT_OF_MEMORY 88

/**
 * bh_sandbox_enter_seccomp:
 * @policy: which child this is; renderers and plugin hosts share one list today
 * @filesystem: %BH_SANDBOX_FILESYSTEM_CLOSED in seccomp-only mode: every
 *   font file fontconfig lists (and /proc/self/statm) is kept open, then
 *   open() and openat() are answered only from those (bh-sandbox-fs.h)
 * @error: %BH_SANDBOX_ERROR_UNSUPPORTED when the kernel has no seccomp filter
 *   mode or no SECCOMP_RET_KILL_PROCESS (Linux < 4.14); %BH_SANDBOX_ERROR_FAILED
 *   when building or loading the filter fails
 *
 * Sets PR_SET_NO_NEW_PRIVS and installs the seccomp-bpf allowlist on every
 * thread of the calling process (SECCOMP_FILTER_FLAG_TSYNC: GLib may already
 * run threads). Irreversible. Call it once, after start-up and before reading
 * any content; afterwards the process can no longer execute programs, fork,
 * open files for writing, create sockets or signal other processes.
 *
 * Setting the environment variable BULKHEAD_SECCOMP_DEBUG=1 turns the default
 * action into SIGSYS delivery (SCMP_ACT_TRAP) with a handler that names the
 * refused system call on stderr before the process dies by SIGSYS, and
 * names each path a closed filesystem refuses to open.
 *
 * Returns: %TRUE when the filter is in force.
 */
gboolean bh_sandbox_enter_seccomp (BhSandboxPolicy policy, BhSandboxFilesystem filesystem, GError **error);

/**
 * bh_sandbox_set_undumpable:
 *
 * Makes the calling process non-dumpable (prctl(2) PR_SET_DUMPABLE 0), as
 * Chromium does for its browser and every child: its /proc/PID files become
 * root's, and those behind a ptrace access check (mem, maps, environ, fd,
 * smaps, the ns links) open only for a process with CAP_SYS_PTRACE over it
 * (proc(5), "Ptrace access mode checking"); it leaves no core dump. So a
 * child that runs as the same user, in seccomp-only mode, cannot read the
 * browser's memory, maps or environment, nor another child's. execve()
 * resets the flag: the browser calls this for itself, and every child again
 * at its start (bh_child_start()).
 */
void bh_sandbox_set_undumpable (void);

/**
 * bh_sandbox_exit_on_out_of_memory:
 *
 * Makes the process _exit() with %BH_EXIT_CODE_OUT_OF_MEMORY when it runs out
 * of memory, instead of aborting or crashing like any other bug:
 *
 *  - a failed GLib allocation: g_malloc() and friends report it through
 *    g_error() "failed to allocate N bytes" in the "GLib" log domain;
 *  - a SIGSEGV, SIGBUS or SIGABRT while the address space is within 80 MiB of
 *    RLIMIT_AS: an unchecked malloc() returning NULL, or GLib failing even to
 *    format its message and recursing until the stack overflows (the handler
 *    runs on its own stack). Further from the limit they stay crashes.
 *
 * Other fatal GLib errors still abort. Call it early in a child's main(); it
 * allocates nothing when it fires, and a crash handler installed later
 * replaces the signal part.
 */
void bh_sandbox_exit_on_out_of_memory (void);

typedef enum {
  BH_NAMESPACE_USER = 1 << 0,
  BH_NAMESPACE_PID = 1 << 1,
  BH_NAMESPACE_NET = 1 << 2,
  BH_NAMESPACE_IPC = 1 << 3,
  BH_NAMESPACE_UTS = 1 << 4,
  BH_NAMESPACE_MNT = 1 << 5,
  BH_NAMESPACE_CGROUP = 1 << 6,
} BhNamespaceFlags;

/* How far a process is confined, as seen from the reading (browser) process. */
typedef struct {
  guint pid;
  BhNamespaceFlags namespaces;       /* those that differ from the reader's */
  BhNamespaceFlags namespaces_known; /* those whose /proc/PID/ns link was readable */
  int seccomp_mode;                  /* "Seccomp:" in /proc/PID/status: 0 off, 1 strict, 2 filter; -1 unknown */
  int no_new_privs;                  /* "NoNewPrivs:": 0 or 1; -1 unknown */
  guint64 address_space_limit_bytes; /* RLIMIT_AS soft limit; G_MAXUINT64 when unlimited or unknown */
  guint64 file_size_limit_bytes;     /* RLIMIT_FSIZE soft limit; G_MAXUINT64 likewise */
  guint64 open_files_limit;          /* RLIMIT_NOFILE soft limit; G_MAXUINT64 likewise */
  guint64 memory_max_bytes;          /* memory.max of its cgroup v2; G_MAXUINT64 for "max", none or unknown */
  int landlock_abi;                  /* not in /proc: the launcher that made the domain says; 0 none */
} BhSandboxStatus;

/**
 * bh_sandbox_status_read:
 * @pid: any process the caller may inspect (same user, or a child)
 * @status: (out caller-allocates): filled in on success, untouched on failure
 * @error: a G_IO_ERROR from reading /proc/@pid/status, e.g. %G_IO_ERROR_NOT_FOUND
 *   when the process is gone
 *
 * Compares /proc/@pid/ns/{user,pid,net,ipc,uts,mnt,cgroup} with the caller's
 * own links (namespaces(7)), and reads Seccomp: and NoNewPrivs: from
 * /proc/@pid/status and "Max address space", "Max file size" and "Max open
 * files" from /proc/@pid/limits (proc(5)), and the memory.max of its cgroup
 * v2 (bh_sandbox_cgroup_dir_of()).
 * A namespace link that cannot be read leaves its bit out of
 * @status->namespaces_known and does not fail the call.
 *
 * Returns: %TRUE on success.
 */
gboolean bh_sandbox_status_read (guint pid, BhSandboxStatus *status, GError **error);

/**
 * bh_sandbox_cgroup_dir_of:
 * @pid: a process, or 0 for the caller
 *
 * Where @pid's cgroup v2 is: the "0::PATH" line of /proc/PID/cgroup under
 * the cgroup2 mount found in /proc/self/mountinfo (cgroups(7)).
 *
 * Returns: (transfer full) (nullable): the directory, or %NULL without a
 *   cgroup v2 hierarchy or when it cannot be read.
 */
char *bh_sandbox_cgroup_dir_of (guint pid);

/**
 * bh_sandbox_namespaces_to_string:
 * @namespaces: a set of namespaces
 *
 * Returns: (transfer full): e.g. "user,pid,net", in the order of
 *   #BhNamespaceFlags; "" for none.
 */
char *bh_sandbox_namespaces_to_string (BhNamespaceFlags namespaces);

/**
 * bh_sandbox_status_summary:
 * @status: as read by bh_sandbox_status_read()
 * @cause: (nullable): why a layer is missing, e.g. the launcher's probe cause
 *   or "--no-sandbox"
 *
 * The one line the task manager, about:sandbox and the automation API show:
 * "namespaces(user,pid,net,ipc,uts,mnt,cgroup) + seccomp-bpf",
 * "seccomp + Landlock: CAUSE" (@status->landlock_abi set), "seccomp only: CAUSE", "namespaces(...) without seccomp-bpf: CAUSE" or
 * "none (CAUSE)".
 *
 * Returns: (transfer full): the summary.
 */
char *bh_sandbox_status_summary (const BhSandboxStatus *status, const char *cause);

G_END_DECLS
