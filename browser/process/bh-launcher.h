/* bh-launcher.h: the one way the browser starts renderers and plugin hosts.
 *
 * Layer 1 of the sandbox is applied here, from outside: new user, pid, net,
 * ipc, uts, mount (and cgroup) namespaces with only /usr, fonts and the
 * executable visible, through bubblewrap (bwrap) when it works, else through
 * clone(2) done by the launcher itself, else not at all ("seccomp only"). The
 * child then applies layer 2 to itself (common/bh-sandbox.h). What was
 * available and why not is probed once (bh_launcher_probe()) and never aborts.
 *
 * Every child gets exactly fds 0 (/dev/null), 1 and 2 (what the caller
 * gives, the browser's otherwise) and 3 (its end of the IPC socket), PR_SET_PDEATHSIG(SIGKILL), an RLIMIT_AS, and
 * the arguments --ipc-fd=3 [--browser-pid=PID] [--no-sandbox]. --browser-pid
 * is passed only when the browser is the child's parent (no namespaces, no
 * cmd_prefix), as common/bh-child.c's die-with-parent check expects.
 */
#pragma once

#include <glib.h>

#include "bh-sandbox.h"

G_BEGIN_DECLS

#define BH_LAUNCHER_ERROR (bh_launcher_error_quark ())
GQuark bh_launcher_error_quark (void);

typedef enum {
  BH_LAUNCHER_ERROR_EXEC,    /* the executable (or bwrap) could not be executed */
  BH_LAUNCHER_ERROR_SANDBOX, /* setting up the namespaces failed for this launch */
  BH_LAUNCHER_ERROR_FAILED,  /* fork, pipes, timeouts */
} BhLauncherError;

typedef struct {
  const char *executable;         /* path to the renderer / plugin host; made absolute */
  const char * const *args;       /* (nullable) extra argv: --type=renderer --site=... */
  int ipc_fd;                     /* the child's socket end, becomes its fd 3; -1 for none.
                                   * The caller keeps ownership and closes it after spawning. */
  gboolean no_sandbox;            /* --no-sandbox: neither layer; the child is told */
  const char * const *cmd_prefix; /* (nullable) --renderer-cmd-prefix split with
                                   * g_shell_parse_argv: gdb --args, strace -f, valgrind */
  guint memory_limit_mb;          /* RLIMIT_AS and RLIMIT_FSIZE in MiB (and a cgroup's
                                   * memory.max where the browser can make one); 0 for
                                   * none. See BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB */
  int stdout_fd;                  /* -1: the child shares the browser's stdout; else this fd
                                   * becomes its fd 1 (the child host's output pipe,
                                   * self-test reports, tests). */
  int stderr_fd;                  /* -1: the child shares the browser's stderr; else this fd
                                   * becomes its fd 2 (the child host's output pipe). */
} BhLaunchOptions;

#define BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB 2048

/* RLIMIT_NOFILE of every child (lower if the browser's own hard limit is):
 * Linux's usual soft limit, dozens of times what a renderer holds (its
 * socket, two memfds per view, fonts in seccomp-only mode). */
#define BH_LAUNCHER_CHILD_MAX_FDS 1024

/**
 * bh_launch_options_init:
 * @opts: (out caller-allocates): set to the defaults: no executable, ipc_fd,
 *   stdout_fd and stderr_fd -1, sandboxed, memory limit %BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB
 */
void bh_launch_options_init (BhLaunchOptions *opts);

/* How layer 1 is applied on this machine. */
typedef enum {
  BH_LAUNCHER_NAMESPACES_NONE,       /* seccomp only */
  BH_LAUNCHER_NAMESPACES_CLONE,      /* the launcher's own clone(2) */
  BH_LAUNCHER_NAMESPACES_BUBBLEWRAP, /* bwrap */
} BhLauncherNamespaces;

typedef struct {
  BhLauncherNamespaces namespaces;
  char *bwrap_path;  /* (nullable) the bwrap found, whether it worked or not */
  char *summary;     /* "namespaces via bubblewrap + seccomp-bpf", "seccomp only: ..." */
  char *cause;       /* (nullable) why a better mode is not used; NULL when bwrap works */
  char *fix;         /* (nullable) what the user can do about it */
  int landlock_abi;     /* seccomp-only mode: the Landlock ABI children get, 0 for none */
  char *landlock_cause; /* (nullable) why seccomp-only mode has no Landlock */
} BhLauncherProbe;

/**
 * bh_launcher_probe:
 *
 * Finds out once per process (cached) how children can be sandboxed here: runs
 * `bwrap --unshare-user --unshare-pid ... true` with the same options children
 * get; if that fails, starts /usr/bin/true through the launcher's own clone(2)
 * path; if that fails too, children get seccomp only. The cause names the
 * culprit it can identify (bwrap missing, /proc/sys/user/max_user_namespaces
 * is 0, kernel.unprivileged_userns_clone=0, AppArmor's
 * kernel.apparmor_restrict_unprivileged_userns=1, a container's seccomp
 * profile) and the fix. Without namespaces, it asks for Landlock
 * (bh_landlock_probe()), which then confines children from outside instead.
 * Blocks for the probe's few milliseconds on first call.
 *
 * Environment, for tests: BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1 forces seccomp
 * only; BULKHEAD_SANDBOX_TEST_NO_BWRAP=1 skips bubblewrap;
 * BULKHEAD_SANDBOX_TEST_NO_LANDLOCK=1 leaves Landlock out.
 *
 * Returns: (transfer none): the result, valid until bh_launcher_probe_reset().
 */
const BhLauncherProbe *bh_launcher_probe (void);

/**
 * bh_launcher_probe_reset:
 *
 * Forgets the cached probe, so the next launch probes again. For tests that
 * change the BULKHEAD_SANDBOX_TEST_* variables; not thread-safe.
 */
void bh_launcher_probe_reset (void);

/**
 * bh_launcher_probe_describe:
 * @probe: from bh_launcher_probe()
 *
 * Returns: (transfer full): the text the browser prints once on stderr and
 *   about:sandbox shows, e.g. "sandbox: namespaces via bubblewrap (/usr/bin/bwrap)
 *   + seccomp-bpf", "sandbox: seccomp + Landlock ABI 7: files, TCP, ...
 *   (no namespaces: CAUSE. Fix: FIX)" or "sandbox: seccomp only: CAUSE. Fix:
 *   FIX". No newline.
 */
char *bh_launcher_probe_describe (const BhLauncherProbe *probe);

/* How --renderer-memory-limit-mb is enforced on this machine. */
typedef struct {
  char *cgroup_parent; /* (nullable) where each child's cgroup v2 goes (bh-cgroup.h) */
  char *cause;         /* (nullable) why there is no per-child cgroup */
} BhLauncherMemoryProbe;

/**
 * bh_launcher_probe_memory:
 *
 * Finds out once per process (cached, forgotten by bh_launcher_probe_reset())
 * whether children can get a cgroup v2 of their own with memory.max
 * (bh_cgroup_prepare_parent(), which may move the browser into a leaf cgroup).
 * Whatever the answer, every child also gets the resource limits of
 * bh_launcher_spawn().
 *
 * Returns: (transfer none): the result.
 */
const BhLauncherMemoryProbe *bh_launcher_probe_memory (void);

/**
 * bh_launcher_describe_memory_limit:
 * @memory_limit_mb: the limit children get, 0 for none
 *
 * Returns: (transfer full): how that limit is enforced here, for
 *   about:sandbox: "2048 MiB per child: a cgroup v2 memory.max of its own
 *   (heap, mappings, shared memory, pipe and socket buffers), beneath
 *   /sys/fs/cgroup/...; and ..." or, without a cgroup, what the resource
 *   limits bound and the cause.
 */
char *bh_launcher_describe_memory_limit (guint memory_limit_mb);

typedef struct _BhChildProcess BhChildProcess;

/**
 * bh_launcher_spawn:
 * @opts: what to run
 * @out: (out) (transfer full): the child, on success
 * @error: %BH_LAUNCHER_ERROR_EXEC when the executable cannot be run,
 *   %BH_LAUNCHER_ERROR_SANDBOX when bubblewrap or clone(2) fails for this
 *   launch, %BH_LAUNCHER_ERROR_FAILED otherwise
 *
 * Starts a child: bwrap [namespace options] [cmd_prefix...] executable
 * --ipc-fd=3 [--browser-pid=PID] [--no-sandbox] args..., or without bwrap as
 * the probe decided.
 *
 * Its memory: RLIMIT_AS and RLIMIT_FSIZE of @opts->memory_limit_mb (the heap
 * and mappings; each file, a memfd it never maps included, past which SIGXFSZ
 * ends it), RLIMIT_NOFILE of %BH_LAUNCHER_CHILD_MAX_FDS (how many memfds,
 * pipes and sockets it can hold), and, where bh_launcher_probe_memory()
 * found a way, a cgroup v2 of its own whose memory.max is the limit. Blocks until the real child exists (a few milliseconds with
 * bubblewrap, which must fork it first), so that its pid is known.
 *
 * The calling process is made non-dumpable first
 * (bh_sandbox_set_undumpable()): no child can read its /proc/PID/mem, maps
 * or environ, even one running as the same user without namespaces.
 *
 * The children die with the *thread* that calls this (PR_SET_PDEATHSIG, also
 * bwrap --die-with-parent): call it from the main thread, or from a thread
 * that outlives the child (the self-test's). Once bh_launcher_probe() and
 * bh_launcher_probe_memory() have run on the main thread, it may be called
 * from any. With @cmd_prefix the
 * child keeps the browser's stdin and terminal session (for gdb); seccomp
 * still applies to the child itself, so valgrind needs --no-sandbox.
 *
 * Returns: %TRUE when the child was started.
 */
gboolean bh_launcher_spawn (const BhLaunchOptions *opts, BhChildProcess **out, GError **error);

/**
 * bh_child_process_get_reap_pid:
 *
 * Returns: the pid to waitpid()/g_child_watch_add(): the browser's direct
 *   child, which is bwrap's (or the clone(2) path's) outer process when the
 *   child has namespaces. Its exit status carries the child's, see
 *   bh_child_process_decode_wait_status().
 */
GPid bh_child_process_get_reap_pid (const BhChildProcess *child);

/**
 * bh_child_process_get_pid:
 *
 * Returns: the renderer or plugin host itself, as seen from the browser's pid
 *   namespace: the pid to kill(), to show in the task manager and to read
 *   /proc/PID/status of.
 */
GPid bh_child_process_get_pid (const BhChildProcess *child);

/**
 * bh_child_process_get_namespaces:
 *
 * Returns: how layer 1 was applied to this child (%BH_LAUNCHER_NAMESPACES_NONE
 *   with --no-sandbox or in seccomp-only mode).
 */
BhLauncherNamespaces bh_child_process_get_namespaces (const BhChildProcess *child);

/**
 * bh_child_process_get_landlock_abi:
 *
 * Returns: the Landlock ABI of the domain the launcher put the child in
 *   (seccomp-only mode), or 0. /proc does not show it.
 */
int bh_child_process_get_landlock_abi (const BhChildProcess *child);

/**
 * bh_child_process_get_sandbox_cause:
 *
 * Returns: (nullable): why this child lacks a layer: "--no-sandbox", or the
 *   probe's cause in seccomp-only mode; %NULL when both layers were asked for.
 */
const char *bh_child_process_get_sandbox_cause (const BhChildProcess *child);

/**
 * bh_child_process_describe_sandbox:
 * @child: a running child
 * @status: (out caller-allocates) (optional): what /proc says about it
 *
 * Reads the child's sandbox status (bh_sandbox_status_read() on the real pid)
 * and summarises it with bh_sandbox_status_summary() and this child's cause.
 *
 * Returns: (transfer full): e.g. "namespaces(user,pid,net,ipc,uts,mnt,cgroup) +
 *   seccomp-bpf", or "unknown (process gone)" when it can no longer be read.
 */
char *bh_child_process_describe_sandbox (const BhChildProcess *child, BhSandboxStatus *status);

void bh_child_process_free (BhChildProcess *child);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhChildProcess, bh_child_process_free)

/* Chromium's TerminationStatus (base/process/kill.h), for the sad tab. */
typedef enum {
  BH_TERMINATION_NORMAL,            /* exit code 0 */
  BH_TERMINATION_ABNORMAL,          /* another exit code */
  BH_TERMINATION_KILLED,            /* SIGKILL, SIGTERM, SIGINT, SIGHUP...: from outside */
  BH_TERMINATION_CRASHED,           /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP */
  BH_TERMINATION_SANDBOX_VIOLATION, /* SIGSYS: seccomp refused a system call */
  BH_TERMINATION_OUT_OF_MEMORY,     /* exit code BH_EXIT_CODE_OUT_OF_MEMORY, SIGXFSZ (a file,
                                     * a memfd, past the limit), or killed by the
                                     * kernel's OOM killer in the child's cgroup */
} BhTerminationKind;

typedef struct {
  BhTerminationKind kind;
  int exit_code;     /* when the child exited; -1 when a signal ended it */
  int signal_number; /* the signal that ended it; 0 when it exited */
} BhTermination;

/**
 * bh_child_process_decode_wait_status:
 * @child: the child whose reap pid was waited for
 * @wait_status: the status from waitpid() / a GChildWatchFunc
 * @termination: (out caller-allocates): how the real child ended
 *
 * Undoes bubblewrap's (and the clone(2) path's) encoding: the outer process
 * exits with the child's exit code, or with 128+N when signal N killed it (as
 * a shell reports it; verified with SIGKILL and SIGSEGV). Consequently, in
 * namespace mode a child that itself exits with a code above 128 reads as
 * killed by a signal; Bulkhead's children do not use such codes.
 */
void bh_child_process_decode_wait_status (const BhChildProcess *child, int wait_status,
                                          BhTermination *termination);

/**
 * bh_termination_to_string:
 *
 * Returns: (transfer full): e.g. "exited with code 1", "killed by signal 9 (SIGKILL)",
 *   "crashed with signal 11 (SIGSEGV)", "out of memory", "killed by the sandbox
 *   (SIGSYS: forbidden system call)".
 */
char *bh_termination_to_string (const BhTermination *termination);


G_END_DECLS
