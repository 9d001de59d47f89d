/* bh-sandbox.c: the seccomp-bpf allowlist a child applies to itself, the
 * out-of-memory exit convention, the escape self-test, and the sandbox status
 * of a process read from /proc.
 */
#include "bh-sandbox.h"
#include "bh-sandbox-fs.h"
#include "bh-sandbox-fs-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <gio/gio.h>

G_DEFINE_QUARK (bh-sandbox-error-quark, bh_sandbox_error)

/* ------------------------------------------------------------------------- */
/* The allowlist                                                              */
/* ------------------------------------------------------------------------- */

typedef enum {
  ACT_ALLOW,
  ACT_EPERM,
  ACT_ENOSYS,
  ACT_KILL, /* the filter's default action: listed for the reader, never added as a rule */
} Act;

typedef enum {
  CHECK_NONE,
  CHECK_FLAGS_EXACT, /* (args[arg] & mask) == value */
  CHECK_VALUE_IN,    /* args[arg] is one of values[] */
  CHECK_EQUALS,      /* args[arg] == value */
  CHECK_OWN_PID,     /* args[arg] == getpid() at the time the filter is built */
} Check;

typedef struct {
  const char *syscall;
  Act act;           /* when the check passes, or always with CHECK_NONE */
  Check check;
  guint arg;         /* which argument the check reads, 0-based */
  guint64 mask;
  guint64 value;
  const guint64 *values;
  gsize n_values;
  Act otherwise;     /* when the check fails */
  const char *why;
  /* And args[also_arg] == also_value, or otherwise (ALLOW_IF_EQUALS_AND_FLAGS). */
  gboolean has_also;
  guint also_arg;
  guint64 also_value;
} SyscallRule;

#define ALLOW(sc, why) \
  { sc, ACT_ALLOW, CHECK_NONE, 0, 0, 0, NULL, 0, ACT_KILL, why }
#define EPERM_(sc, why) \
  { sc, ACT_EPERM, CHECK_NONE, 0, 0, 0, NULL, 0, ACT_KILL, why }
#define ENOSYS_(sc, why) \
  { sc, ACT_ENOSYS, CHECK_NONE, 0, 0, 0, NULL, 0, ACT_KILL, why }
#define KILL(sc, why) \
  { sc, ACT_KILL, CHECK_NONE, 0, 0, 0, NULL, 0, ACT_KILL, why }
#define ALLOW_IF_FLAGS_CLEAR(sc, arg, mask, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_FLAGS_EXACT, arg, mask, 0, NULL, 0, otherwise, why }
#define ALLOW_IF_FLAGS_EXACT(sc, arg, mask, value, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_FLAGS_EXACT, arg, mask, value, NULL, 0, otherwise, why }
#define ALLOW_IF_VALUE_IN(sc, arg, list, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_VALUE_IN, arg, 0, 0, list, G_N_ELEMENTS (list), otherwise, why }
#define ALLOW_IF_EQUALS(sc, arg, value, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_EQUALS, arg, 0, value, NULL, 0, otherwise, why }
#define ALLOW_IF_OWN_PID(sc, arg, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_OWN_PID, arg, 0, 0, NULL, 0, otherwise, why }
#define ALLOW_IF_EQUALS_AND_FLAGS(sc, eq_arg, eq_value, arg, mask, value, otherwise, why) \
  { sc, ACT_ALLOW, CHECK_FLAGS_EXACT, arg, mask, value, NULL, 0, otherwise, why, TRUE, eq_arg, eq_value }

/* open(2) flags that write, create or truncate. O_TMPFILE is the kernel's
 * __O_TMPFILE bit plus O_DIRECTORY, and glibc's __O_TMPFILE macro already
 * includes O_DIRECTORY: only the bit of its own may be checked, or every
 * opendir() would fail. */
#define O_TMPFILE_OWN_BIT 020000000
#define OPEN_WRITE_FLAGS ((guint64) (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_TMPFILE_OWN_BIT))

/* The flags glibc's pthread_create() passes to clone() (sysdeps/nptl/pthread_create.c),
 * and the bits whose value we insist on: no new namespaces, no vfork, no
 * reparenting, no pidfd. */
#define THREAD_CLONE_FLAGS \
  ((guint64) (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM))
#define THREAD_CLONE_CHECKED \
  (THREAD_CLONE_FLAGS | CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
   CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_VFORK | CLONE_PARENT | \
   CLONE_PTRACE | CLONE_PIDFD | CLONE_UNTRACED | CSIGNAL)

/* socketpair()'s type, less the flags any caller may add: SOCK_STREAM (1) and
 * SOCK_SEQPACKET (5) differ only in bit 2, which the mask leaves out, so
 * "(type & mask) == SOCK_STREAM" holds for exactly these two, with or without
 * SOCK_CLOEXEC and SOCK_NONBLOCK. Only the low 32 bits: the kernel reads an
 * int. */
#define SOCKETPAIR_TYPE_MASK \
  ((guint64) 0xffffffffu & ~(guint64) (SOCK_CLOEXEC | SOCK_NONBLOCK | (SOCK_STREAM ^ SOCK_SEQPACKET)))
G_STATIC_ASSERT ((SOCK_STREAM & ~(SOCK_STREAM ^ SOCK_SEQPACKET)) == (SOCK_SEQPACKET & ~(SOCK_STREAM ^ SOCK_SEQPACKET)));
G_STATIC_ASSERT ((SOCK_DGRAM & SOCKETPAIR_TYPE_MASK) != SOCK_STREAM);

/* fcntl() commands. Not F_SETOWN/F_SETOWN_EX/F_SETSIG (they aim SIGIO at another
 * process), F_NOTIFY, F_SETLEASE. Sorted, as CHECK_VALUE_IN requires. */
static const guint64 fcntl_commands[] = {
  F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW,
  F_DUPFD_CLOEXEC, F_ADD_SEALS, F_GET_SEALS,
};

/* ioctl() requests: reading how much is queued on a socket (GSocket) and fd
 * flags. Everything else, TCGETS (isatty) and TIOCSTI included, fails. Sorted. */
static const guint64 ioctl_requests[] = {
  FIONREAD, FIONBIO, FIONCLEX, FIOCLEX,
};

/* prctl() options: thread names (GLib names its threads), reading the
 * sandbox's own state, the parent-death signal, naming anonymous memory
 * (glibc 2.38+). Sorted. */
static const guint64 prctl_options[] = {
  PR_SET_PDEATHSIG, PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_NAME, PR_GET_NAME,
  PR_GET_SECCOMP, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_SET_VMA,
};

/* The one list. A call not named here kills the process (SIGSYS). A name the
 * running architecture does not have (open on aarch64, say) is ignored. */
static const SyscallRule renderer_rules[] = {
  /* Memory. */
  ALLOW ("brk", "malloc's main heap"),
  ALLOW ("mmap", "malloc, thread stacks, mapping sealed memfds and font files"),
  ALLOW ("munmap", "the same, undone"),
  ALLOW ("mremap", "realloc of large blocks"),
  ALLOW ("mprotect", "thread stack guard pages, ld.so when gdk-pixbuf loads a loader late"),
  ALLOW ("madvise", "malloc returning memory, thread exit (MADV_DONTNEED)"),
  ALLOW ("mincore", "harmless query some allocators use"),
  ALLOW ("msync", "harmless on our own mappings"),
  ALLOW ("memfd_create", "frames and blobs travel in sealed memfds (bh-shm)"),
  ALLOW ("ftruncate", "sizing a new memfd; only fds already open for writing"),
  ALLOW ("fallocate", "sizing a new memfd"),
  EPERM_ ("mlock", "probe; nothing to lock"),
  EPERM_ ("munlock", "probe"),
  EPERM_ ("membarrier", "probe by some runtimes"),
  EPERM_ ("mbind", "NUMA probes"),
  EPERM_ ("get_mempolicy", "NUMA probes"),
  EPERM_ ("set_mempolicy", "NUMA probes"),
  EPERM_ ("pkey_mprotect", "probe"),

  /* Threads and synchronisation. glibc 2.34+ tries clone3 first and falls back
   * to clone on ENOSYS; clone's flags are in a register and are checked. */
  ALLOW_IF_FLAGS_EXACT ("clone", 0, THREAD_CLONE_CHECKED, THREAD_CLONE_FLAGS, ACT_KILL,
                        "threads only (GLib's worker, GTask pools); fork-like flags kill"),
  ENOSYS_ ("clone3", "flags sit in memory seccomp cannot read: make glibc fall back to clone"),
  ALLOW ("futex", "mutexes, GCond, thread joins"),
  ALLOW ("set_robust_list", "every new thread (glibc)"),
  ALLOW ("rseq", "every new thread (glibc 2.35+)"),
  ALLOW ("set_tid_address", "thread start-up"),
  ALLOW ("sched_yield", "spin locks"),
  ALLOW ("sched_getaffinity", "g_get_num_processors()"),
  EPERM_ ("sched_setaffinity", "probe"),
  EPERM_ ("sched_getparam", "probe"),
  EPERM_ ("sched_setparam", "probe"),
  EPERM_ ("sched_getscheduler", "probe"),
  EPERM_ ("sched_setscheduler", "probe"),
  EPERM_ ("sched_getattr", "probe"),
  EPERM_ ("sched_setattr", "probe"),
  EPERM_ ("sched_get_priority_max", "probe"),
  EPERM_ ("sched_get_priority_min", "probe"),
  EPERM_ ("getpriority", "probe"),
  EPERM_ ("setpriority", "probe"),
  EPERM_ ("ioprio_get", "probe"),
  EPERM_ ("ioprio_set", "probe"),
  ALLOW ("exit", "a thread ends"),
  ALLOW ("exit_group", "the process ends"),

  /* Signals. Only to ourselves: about:kill sends SIGKILL to its own pid,
   * abort() uses tgkill on its own thread. */
  ALLOW ("rt_sigaction", "signal handlers (GLib, crash reporting)"),
  ALLOW ("rt_sigprocmask", "GLib blocks signals in its worker threads"),
  ALLOW ("rt_sigreturn", "returning from a handler"),
  ALLOW ("rt_sigpending", "harmless"),
  ALLOW ("rt_sigtimedwait", "harmless: waits for our own signals"),
  ALLOW ("rt_sigsuspend", "harmless"),
  ALLOW ("sigaltstack", "crash and out-of-memory handlers run on their own stack"),
  ALLOW ("restart_syscall", "the kernel resumes an interrupted sleep"),
  ALLOW_IF_OWN_PID ("kill", 0, ACT_KILL, "kill(getpid(), SIGKILL) for about:kill; any other pid kills"),
  ALLOW_IF_OWN_PID ("tgkill", 0, ACT_KILL, "raise() and abort(): our own thread group only"),
  EPERM_ ("tkill", "obsolete; glibc uses tgkill"),
  EPERM_ ("rt_sigqueueinfo", "probe"),
  EPERM_ ("rt_tgsigqueueinfo", "probe"),
  EPERM_ ("alarm", "probe; the main loop has timeouts"),
  EPERM_ ("setitimer", "probe"),
  EPERM_ ("getitimer", "probe"),
  EPERM_ ("timer_create", "probe"),

  /* Time. Usually served by the vDSO without a system call. */
  ALLOW ("clock_gettime", "g_get_monotonic_time(), when the vDSO cannot"),
  ALLOW ("clock_getres", "harmless"),
  ALLOW ("gettimeofday", "harmless"),
  ALLOW ("time", "harmless"),
  ALLOW ("nanosleep", "g_usleep()"),
  ALLOW ("clock_nanosleep", "g_usleep()"),
  ALLOW ("timerfd_create", "harmless"),
  ALLOW ("timerfd_settime", "harmless"),
  ALLOW ("timerfd_gettime", "harmless"),

  /* The main loop and IPC over the inherited socket (fd 3). */
  ALLOW ("poll", "g_poll() in the GLib main loop"),
  ALLOW ("ppoll", "g_poll() on some builds"),
  ALLOW ("select", "harmless"),
  ALLOW ("pselect6", "harmless"),
  ALLOW ("epoll_create1", "harmless"),
  ALLOW ("epoll_ctl", "harmless"),
  ALLOW ("epoll_wait", "harmless"),
  ALLOW ("epoll_pwait", "harmless"),
  ALLOW ("epoll_pwait2", "harmless"),
  ALLOW ("eventfd2", "GWakeup in every GMainContext"),
  ALLOW ("pipe2", "GWakeup fallback, GLib's child-watch machinery"),
  ALLOW ("pipe", "the same on old callers"),
  ALLOW ("read", "the socket, eventfds, fonts"),
  ALLOW ("readv", "the same"),
  ALLOW ("pread64", "fontconfig, FreeType"),
  ALLOW ("preadv", "the same"),
  ALLOW ("preadv2", "the same"),
  ALLOW ("write", "the socket, eventfds, stderr: only fds we already hold"),
  ALLOW ("writev", "the same (g_log)"),
  ALLOW ("pwrite64", "writing into our own memfds"),
  ALLOW ("pwritev", "the same"),
  ALLOW ("pwritev2", "the same"),
  ALLOW ("recvmsg", "frames with SCM_RIGHTS fds"),
  ALLOW ("sendmsg", "frames with SCM_RIGHTS fds; only connected sockets exist"),
  ALLOW ("recvfrom", "recv()"),
  ALLOW_IF_EQUALS ("sendto", 4, 0, ACT_EPERM, "send() passes no address; an address fails"),
  ALLOW ("shutdown", "closing the channel"),
  ALLOW ("getsockopt", "g_socket_new_from_fd() reads SO_TYPE"),
  ALLOW ("setsockopt", "buffer sizes on our own sockets"),
  ALLOW ("getsockname", "g_socket_new_from_fd() reads the family"),
  ALLOW ("getpeername", "harmless"),
  ALLOW_IF_EQUALS_AND_FLAGS ("socketpair", 0, AF_UNIX, 1, SOCKETPAIR_TYPE_MASK, SOCK_STREAM, ACT_EPERM,
                             "AF_UNIX SOCK_STREAM or SOCK_SEQPACKET: a new channel end to send to the "
                             "browser; a datagram pair fails, since sendmsg() with a msg_name on it "
                             "would reach any unix socket outside the sandbox"),
  EPERM_ ("socket", "every family: nothing needs an unconnected socket; glibc's nscd client, "
                    "D-Bus and X11 probes stop here, before connect()"),
  KILL ("connect", "only a compromise reaches out"),
  KILL ("bind", "only a compromise listens"),
  KILL ("listen", "only a compromise listens"),
  KILL ("accept", "only a compromise listens"),
  KILL ("accept4", "only a compromise listens"),
  EPERM_ ("sendmmsg", "probe"),
  EPERM_ ("recvmmsg", "probe"),

  /* File descriptors. */
  ALLOW ("close", "everything"),
  ALLOW ("close_range", "child start-up hygiene"),
  ALLOW ("dup", "harmless"),
  ALLOW ("dup2", "harmless"),
  ALLOW ("dup3", "harmless"),
  ALLOW_IF_VALUE_IN ("fcntl", 1, fcntl_commands, ACT_EPERM,
                     "flags, CLOEXEC, memfd seals; F_SETOWN/F_SETSIG (signals to others) fail"),
  ALLOW_IF_VALUE_IN ("ioctl", 1, ioctl_requests, ACT_EPERM,
                     "FIONREAD and fd flags; TCGETS (isatty), TIOCSTI and the rest fail"),
  ALLOW ("lseek", "fonts, memfds"),

  /* The filesystem, read only. Layer 1 decides what exists (fonts, /usr); in
   * seccomp-only mode everything the user can read is readable. */
  ALLOW_IF_FLAGS_CLEAR ("open", 1, OPEN_WRITE_FLAGS, ACT_EPERM,
                        "read-only: fonts, fontconfig's config and cache; writing or creating fails"),
  ALLOW_IF_FLAGS_CLEAR ("openat", 2, OPEN_WRITE_FLAGS, ACT_EPERM,
                        "read-only: fonts, fontconfig's config and cache; writing or creating fails "
                        "(fontconfig tries to write its cache)"),
  ENOSYS_ ("openat2", "its flags sit in memory seccomp cannot read; callers fall back to openat"),
  EPERM_ ("creat", "writes"),
  ALLOW ("fstat", "everything"),
  ALLOW ("stat", "fontconfig"),
  ALLOW ("lstat", "fontconfig"),
  ALLOW ("newfstatat", "glibc 2.33+ implements stat/fstat with it"),
  ALLOW ("statx", "the same on newer glibc"),
  ALLOW ("fstatfs", "fontconfig checks for NFS before mmapping caches"),
  ALLOW ("statfs", "the same"),
  ALLOW ("access", "fontconfig, gdk-pixbuf"),
  ALLOW ("faccessat", "the same"),
  ALLOW ("faccessat2", "the same (glibc 2.33+)"),
  ALLOW ("readlink", "fontconfig, /proc/self/exe"),
  ALLOW ("readlinkat", "the same"),
  ALLOW ("getdents64", "fontconfig scanning font directories"),
  ALLOW ("getdents", "the same on old callers"),
  ALLOW ("getcwd", "harmless"),
  ALLOW ("fadvise64", "harmless"),
  ALLOW ("readahead", "harmless"),
  ALLOW ("fsync", "harmless on fds we hold"),
  ALLOW ("fdatasync", "harmless on fds we hold"),
  ALLOW ("umask", "harmless"),
  EPERM_ ("chdir", "probe"),
  EPERM_ ("fchdir", "probe"),
  EPERM_ ("mkdir", "fontconfig creating its cache directory"),
  EPERM_ ("mkdirat", "the same"),
  EPERM_ ("rmdir", "writes"),
  EPERM_ ("unlink", "fontconfig cleaning stale caches"),
  EPERM_ ("unlinkat", "the same"),
  EPERM_ ("rename", "fontconfig's atomic cache update"),
  EPERM_ ("renameat", "the same"),
  EPERM_ ("renameat2", "the same"),
  EPERM_ ("link", "fontconfig's lock files"),
  EPERM_ ("linkat", "the same"),
  EPERM_ ("symlink", "writes"),
  EPERM_ ("symlinkat", "writes"),
  EPERM_ ("chmod", "writes"),
  EPERM_ ("fchmod", "writes"),
  EPERM_ ("fchmodat", "writes"),
  EPERM_ ("chown", "writes"),
  EPERM_ ("fchown", "writes"),
  EPERM_ ("lchown", "writes"),
  EPERM_ ("fchownat", "writes"),
  EPERM_ ("truncate", "writes"),
  EPERM_ ("utime", "writes"),
  EPERM_ ("utimes", "writes"),
  EPERM_ ("utimensat", "fontconfig touching its cache"),
  EPERM_ ("futimesat", "writes"),
  EPERM_ ("mknod", "writes"),
  EPERM_ ("mknodat", "writes"),
  EPERM_ ("flock", "fontconfig's cache lock"),
  EPERM_ ("getxattr", "probe"),
  EPERM_ ("lgetxattr", "probe"),
  EPERM_ ("fgetxattr", "probe"),
  EPERM_ ("listxattr", "probe"),
  EPERM_ ("llistxattr", "probe"),
  EPERM_ ("flistxattr", "probe"),
  EPERM_ ("setxattr", "writes"),
  EPERM_ ("lsetxattr", "writes"),
  EPERM_ ("fsetxattr", "writes"),
  EPERM_ ("inotify_init1", "GFileMonitor; nothing to watch"),
  EPERM_ ("inotify_add_watch", "the same"),
  EPERM_ ("sendfile", "probe"),
  EPERM_ ("splice", "probe"),
  EPERM_ ("tee", "probe"),
  EPERM_ ("copy_file_range", "probe"),

  /* Identity and limits. */
  ALLOW ("getpid", "everything"),
  ALLOW ("gettid", "everything"),
  ALLOW ("getppid", "the die-with-parent check"),
  ALLOW ("getuid", "harmless"),
  ALLOW ("geteuid", "harmless"),
  ALLOW ("getgid", "harmless"),
  ALLOW ("getegid", "harmless"),
  ALLOW ("getresuid", "harmless"),
  ALLOW ("getresgid", "harmless"),
  ALLOW ("getgroups", "harmless"),
  ALLOW ("getpgrp", "harmless"),
  ALLOW ("getpgid", "harmless"),
  ALLOW ("getsid", "harmless"),
  ALLOW ("uname", "GLib, fontconfig"),
  ALLOW ("sysinfo", "memory size heuristics"),
  ALLOW ("getrusage", "harmless"),
  ALLOW ("times", "harmless"),
  ALLOW ("getcpu", "harmless"),
  ALLOW ("getrandom", "GLib's and glibc's random numbers, hash seeds"),
  ALLOW ("getrlimit", "harmless"),
  ALLOW_IF_EQUALS ("prlimit64", 2, 0, ACT_EPERM, "reading limits (new limit NULL); setting one fails"),
  EPERM_ ("setrlimit", "limits stay as the launcher set them"),
  ALLOW_IF_VALUE_IN ("prctl", 0, prctl_options, ACT_EPERM,
                     "thread names, reading our own state; other options fail"),
  EPERM_ ("arch_prctl", "probe (CET); TLS is set up by clone"),
  EPERM_ ("capget", "libcap probes"),
  EPERM_ ("wait4", "no children to wait for"),
  EPERM_ ("waitid", "no children to wait for"),
  EPERM_ ("seccomp", "nothing to add"),

  /* Only a compromise makes these: they kill (listed for the reader; the
   * default action does it). */
  KILL ("execve", "no new programs after start-up"),
  KILL ("execveat", "the same"),
  KILL ("fork", "no new processes"),
  KILL ("vfork", "no new processes"),
  KILL ("ptrace", "no debugging others (or being a tracer)"),
  KILL ("process_vm_readv", "reading another process's memory"),
  KILL ("process_vm_writev", "writing another process's memory"),
  KILL ("pidfd_open", "handles on other processes"),
  KILL ("pidfd_send_signal", "signals to other processes"),
  KILL ("pidfd_getfd", "stealing fds"),
  KILL ("kcmp", "probing other processes"),
  KILL ("mount", "filesystem namespace changes"),
  KILL ("umount2", "the same"),
  KILL ("pivot_root", "the same"),
  KILL ("chroot", "the same"),
  KILL ("open_tree", "the same"),
  KILL ("move_mount", "the same"),
  KILL ("fsopen", "the same"),
  KILL ("fsmount", "the same"),
  KILL ("unshare", "new namespaces"),
  KILL ("setns", "joining namespaces"),
  KILL ("keyctl", "the kernel keyring"),
  KILL ("add_key", "the kernel keyring"),
  KILL ("request_key", "the kernel keyring"),
  KILL ("bpf", "kernel attack surface"),
  KILL ("perf_event_open", "kernel attack surface, side channels"),
  KILL ("userfaultfd", "exploitation primitive"),
  KILL ("io_uring_setup", "bypasses seccomp for the calls it runs"),
  KILL ("setuid", "identity changes"),
  KILL ("setgid", "identity changes"),
  KILL ("setsid", "leaving the session"),
  KILL ("open_by_handle_at", "escapes mount confinement"),
  KILL ("name_to_handle_at", "the same"),
};

static int
act_to_scmp (Act act)
{
  switch (act)
    {
    case ACT_ALLOW:
      return SCMP_ACT_ALLOW;
    case ACT_EPERM:
      return SCMP_ACT_ERRNO (EPERM);
    case ACT_ENOSYS:
      return SCMP_ACT_ERRNO (ENOSYS);
    case ACT_KILL:
    default:
      return SCMP_ACT_KILL_PROCESS;
    }
}

/* Adds one rule unless its action is the default (libseccomp refuses those
 * with -EACCES, and they are implied). Returns a negative errno on failure. */
static int
add_rule (scmp_filter_ctx ctx, Act act, int nr, unsigned int n_cmps, const struct scmp_arg_cmp *cmps)
{
  if (act == ACT_KILL)
    return 0;
  return seccomp_rule_add_array (ctx, act_to_scmp (act), nr, n_cmps, cmps);
}

/* One comparison of @rule's, plus its precondition when it has one
 * (has_also: args[also_arg] == also_value). */
static int
add_one_cmp (scmp_filter_ctx ctx, const SyscallRule *rule, Act act, int nr, guint arg, enum scmp_compare op,
             guint64 datum_a, guint64 datum_b)
{
  struct scmp_arg_cmp cmps[2] = { { arg, op, datum_a, datum_b } };

  if (rule->has_also)
    {
      cmps[1] = (struct scmp_arg_cmp) { rule->also_arg, SCMP_CMP_EQ, rule->also_value, 0 };
      return add_rule (ctx, act, nr, 2, cmps);
    }
  return add_rule (ctx, act, nr, 1, cmps);
}

/* Adds @act for every value of args[@arg] in [@lo, @hi] as power-of-two
 * aligned blocks, each one SCMP_CMP_MASKED_EQ; libseccomp allows only one
 * comparison per argument in a rule, so a range needs this. */
static int
add_range (scmp_filter_ctx ctx, const SyscallRule *rule, Act act, int nr, guint arg, guint64 lo, guint64 hi)
{
  while (lo <= hi)
    {
      guint64 size = 1;
      int r;

      while (size * 2 != 0 && (lo & (size * 2 - 1)) == 0 && size * 2 - 1 <= hi - lo)
        size *= 2;

      r = add_one_cmp (ctx, rule, act, nr, arg, SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
      if (r < 0)
        return r;
      if (lo + (size - 1) == G_MAXUINT64)
        break;
      lo += size;
    }
  return 0;
}

/* Expands one table line into libseccomp rules whose conditions never
 * overlap: libseccomp does not document which of two matching rules wins.
 * A name libseccomp does not know at all is a typo: -EINVAL. (A call that
 * merely does not exist on this architecture resolves to a pseudo number,
 * which libseccomp accepts and ignores.) */
static int add_syscall_rule_checks (scmp_filter_ctx ctx, const SyscallRule *rule, int nr, pid_t own_pid);

static int
add_syscall_rule (scmp_filter_ctx ctx, const SyscallRule *rule, pid_t own_pid)
{
  int nr = seccomp_syscall_resolve_name (rule->syscall);
  int r;

  if (nr == __NR_SCMP_ERROR)
    return -EINVAL;

  r = add_syscall_rule_checks (ctx, rule, nr, own_pid);
  /* A precondition that fails is the otherwise case, as a whole. */
  if (r == 0 && rule->has_also)
    {
      struct scmp_arg_cmp lt = { rule->also_arg, SCMP_CMP_LT, rule->also_value, 0 };
      struct scmp_arg_cmp gt = { rule->also_arg, SCMP_CMP_GT, rule->also_value, 0 };

      if (rule->also_value > 0)
        r = add_rule (ctx, rule->otherwise, nr, 1, &lt);
      if (r == 0 && rule->also_value < G_MAXUINT64)
        r = add_rule (ctx, rule->otherwise, nr, 1, &gt);
    }
  return r;
}

static int
add_syscall_rule_checks (scmp_filter_ctx ctx, const SyscallRule *rule, int nr, pid_t own_pid)
{
  int r;

  switch (rule->check)
    {
    case CHECK_NONE:
      return add_rule (ctx, rule->act, nr, 0, NULL);

    case CHECK_OWN_PID:
    case CHECK_EQUALS:
      {
        guint64 value = rule->check == CHECK_OWN_PID ? (guint64) own_pid : rule->value;

        r = add_one_cmp (ctx, rule, rule->act, nr, rule->arg, SCMP_CMP_EQ, value, 0);
        if (r == 0 && value > 0)
          r = add_one_cmp (ctx, rule, rule->otherwise, nr, rule->arg, SCMP_CMP_LT, value, 0);
        if (r == 0 && value < G_MAXUINT64)
          r = add_one_cmp (ctx, rule, rule->otherwise, nr, rule->arg, SCMP_CMP_GT, value, 0);
        return r;
      }

    case CHECK_FLAGS_EXACT:
      {
        guint64 lower = 0;

        r = add_one_cmp (ctx, rule, rule->act, nr, rule->arg, SCMP_CMP_MASKED_EQ, rule->mask, rule->value);
        /* Otherwise: for each checked bit, the case where every lower checked
         * bit is as wanted and this one is not. These cases are disjoint and
         * together cover every mismatch. */
        for (guint bit = 0; r == 0 && bit < 64; bit++)
          {
            guint64 b = G_GUINT64_CONSTANT (1) << bit;

            if ((rule->mask & b) == 0)
              continue;
            r = add_one_cmp (ctx, rule, rule->otherwise, nr, rule->arg, SCMP_CMP_MASKED_EQ, lower | b,
                             (rule->value & lower) | (~rule->value & b));
            lower |= b;
          }
        return r;
      }

    case CHECK_VALUE_IN:
      {
        guint64 next = 0; /* the smallest value not yet covered */

        for (gsize i = 0; i < rule->n_values; i++)
          {
            guint64 v = rule->values[i];

            g_assert (i == 0 || v > rule->values[i - 1]);
            r = add_one_cmp (ctx, rule, rule->act, nr, rule->arg, SCMP_CMP_EQ, v, 0);
            if (r == 0 && v > next)
              r = i == 0 ? add_one_cmp (ctx, rule, rule->otherwise, nr, rule->arg, SCMP_CMP_LT, v, 0)
                         : add_range (ctx, rule, rule->otherwise, nr, rule->arg, next, v - 1);
            if (r < 0)
              return r;
            next = v + 1;
          }
        if (rule->n_values > 0)
          return add_one_cmp (ctx, rule, rule->otherwise, nr, rule->arg, SCMP_CMP_GT,
                              rule->values[rule->n_values - 1], 0);
        return 0;
      }
    }

  g_assert_not_reached ();
}

/* The SIGSYS handler: a closed filesystem's open() is answered from the table
 * of kept files (bh-sandbox-fs.c); with BULKHEAD_SECCOMP_DEBUG, any other
 * refused call is named before the process dies by SIGSYS as usual. */
static char *debug_syscall_names[512];
static gboolean debug_refusals;

static void
write_all_stderr (const char *s)
{
  gsize len = strlen (s);

  while (len > 0)
    {
      ssize_t n = write (STDERR_FILENO, s, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      s += n;
      len -= (gsize) n;
    }
}

/* The system call's arguments and where its result goes, in the interrupted
 * context (the kernel's calling convention for system calls). */
#if defined(__x86_64__)
#define TRAP_ANSWERS_OPEN 1
#define TRAP_ARG(uc, n) ((guint64) (uc)->uc_mcontext.gregs[(int[]) { REG_RDI, REG_RSI, REG_RDX, REG_R10 }[n]])
#define TRAP_SET_RESULT(uc, v) ((uc)->uc_mcontext.gregs[REG_RAX] = (greg_t) (v))
#elif defined(__aarch64__)
#define TRAP_ANSWERS_OPEN 1
#define TRAP_ARG(uc, n) ((guint64) (uc)->uc_mcontext.regs[n])
#define TRAP_SET_RESULT(uc, v) ((uc)->uc_mcontext.regs[0] = (guint64) (v))
#else
#define TRAP_ANSWERS_OPEN 0
#endif

#if TRAP_ANSWERS_OPEN
/* TRUE when the trapped call was an open, now answered in @uc. */
static gboolean
answer_open (const siginfo_t *info, ucontext_t *uc)
{
  long result;

  switch (info->si_syscall)
    {
#ifdef __NR_open
    case __NR_open:
      result = bh_sandbox_fs_answer_open (AT_FDCWD, (const char *) TRAP_ARG (uc, 0), TRAP_ARG (uc, 1));
      break;
#endif
#ifdef __NR_creat
    case __NR_creat:
      result = -EPERM;
      break;
#endif
    case __NR_openat:
      result = bh_sandbox_fs_answer_open ((long) TRAP_ARG (uc, 0), (const char *) TRAP_ARG (uc, 1),
                                          TRAP_ARG (uc, 2));
      break;
    default:
      return FALSE;
    }
  if (debug_refusals && result < 0)
    {
      write_all_stderr ("bulkhead sandbox: the filesystem is closed, refused to open ");
      write_all_stderr (info->si_syscall == __NR_openat ? (const char *) TRAP_ARG (uc, 1)
                                                        : (const char *) TRAP_ARG (uc, 0));
      write_all_stderr ("\n");
    }
  TRAP_SET_RESULT (uc, result);
  return TRUE;
}
#endif

static void
sigsys_handler (int signum, siginfo_t *info, void *context)
{
  char number[24];
  int nr = info->si_syscall;
  int i = (int) sizeof number - 1;
  unsigned int u = nr < 0 ? 0 : (unsigned int) nr;

#if TRAP_ANSWERS_OPEN
  if (info->si_code == 1 /* SYS_SECCOMP */ && answer_open (info, context))
    return;
#endif

  number[i] = '\0';
  do
    number[--i] = (char) ('0' + u % 10);
  while ((u /= 10) != 0 && i > 0);

  write_all_stderr ("bulkhead sandbox: seccomp refused system call ");
  write_all_stderr (number + i);
  if (nr >= 0 && nr < (int) G_N_ELEMENTS (debug_syscall_names) && debug_syscall_names[nr] != NULL)
    {
      write_all_stderr (" (");
      write_all_stderr (debug_syscall_names[nr]);
      write_all_stderr (")");
    }
  write_all_stderr ("; add it to common/bh-sandbox.c if it is legitimate\n");

  /* SIGSYS is blocked while this runs; it is delivered with the default
   * action (core, like SCMP_ACT_KILL_PROCESS) once the handler returns. */
  signal (SIGSYS, SIG_DFL);
  syscall (SYS_tgkill, getpid (), syscall (SYS_gettid), SIGSYS);
}

static gboolean
install_sigsys_handler (gboolean debug, GError **error)
{
  struct sigaction sa = { 0 };

  if (debug)
    for (int nr = 0; nr < (int) G_N_ELEMENTS (debug_syscall_names); nr++)
      if (debug_syscall_names[nr] == NULL)
        debug_syscall_names[nr] = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);
  debug_refusals = debug;

  sa.sa_sigaction = sigsys_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset (&sa.sa_mask);
  if (sigaction (SIGSYS, &sa, NULL) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED,
                   "sigaction(SIGSYS): %s", g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* The calls a closed filesystem answers itself (the SIGSYS handler), instead
 * of the table's read-only rules. */
static gboolean
is_open_call (const char *name)
{
  return strcmp (name, "open") == 0 || strcmp (name, "openat") == 0 || strcmp (name, "creat") == 0;
}

/* Builds the filter for @policy; the caller loads and releases it. */
static scmp_filter_ctx
build_filter (BhSandboxPolicy policy, BhSandboxFilesystem filesystem, gboolean debug, GError **error)
{
  scmp_filter_ctx ctx;
  pid_t own_pid = getpid ();
  int r;

  ctx = seccomp_init (debug ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS);
  if (ctx == NULL)
    {
      g_set_error_literal (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED, "seccomp_init failed");
      return NULL;
    }

  /* i386 (int 0x80) and x32 system calls would bypass a filter written for
   * x86_64 numbers: any other architecture kills. Every thread gets the
   * filter, not only the caller. */
  r = seccomp_attr_set (ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  if (r == 0)
    r = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_TSYNC, 1);
  if (r == 0)
    r = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 1);
  /* A binary tree over ~250 calls rather than a linear scan (libseccomp
   * 2.5; an older one keeps the linear filter). Measured cost either way:
   * tens of nanoseconds per call, as Linux 5.11+ caches unconditional allows. */
  if (r == 0)
    seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if (r != 0)
    {
      g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED,
                   "seccomp filter attributes: %s", g_strerror (-r));
      seccomp_release (ctx);
      return NULL;
    }

  /* Renderers and plugin hosts share the list today; @policy is where they
   * would part. */
  for (gsize i = 0; i < G_N_ELEMENTS (renderer_rules); i++)
    {
      if (filesystem == BH_SANDBOX_FILESYSTEM_CLOSED && is_open_call (renderer_rules[i].syscall))
        {
          int nr = seccomp_syscall_resolve_name (renderer_rules[i].syscall);

          /* With BULKHEAD_SECCOMP_DEBUG the default action traps already
           * (and libseccomp refuses a rule that repeats it). */
          r = TRAP_ANSWERS_OPEN && debug ? 0
                                         : seccomp_rule_add (ctx, TRAP_ANSWERS_OPEN ? SCMP_ACT_TRAP
                                                                                    : SCMP_ACT_ERRNO (EACCES),
                                                             nr, 0);
        }
      else
        r = add_syscall_rule (ctx, &renderer_rules[i], own_pid);
      if (r < 0)
        {
          g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED,
                       "seccomp rule for %s: %s", renderer_rules[i].syscall, g_strerror (-r));
          seccomp_release (ctx);
          return NULL;
        }
    }
  return ctx;
}

gboolean
bh_sandbox_enter_seccomp (BhSandboxPolicy policy, BhSandboxFilesystem filesystem, GError **error)
{
  scmp_filter_ctx ctx;
  gboolean debug = g_strcmp0 (g_getenv ("BULKHEAD_SECCOMP_DEBUG"), "1") == 0;
  int r;

  g_return_val_if_fail (policy == BH_SANDBOX_POLICY_RENDERER || policy == BH_SANDBOX_POLICY_PLUGIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* API level 3: the kernel knows SECCOMP_RET_KILL_PROCESS (Linux 4.14). */
  if (seccomp_api_get () < 3)
    {
      g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_UNSUPPORTED,
                   "the kernel lacks seccomp filters with SECCOMP_RET_KILL_PROCESS (Linux 4.14+), "
                   "libseccomp API level %u", seccomp_api_get ());
      return FALSE;
    }

  /* No setuid binary could gain privileges anyway after this; seccomp(2)
   * requires it of an unprivileged caller. */
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED,
                   "prctl(PR_SET_NO_NEW_PRIVS): %s", g_strerror (saved_errno));
      return FALSE;
    }

  if (filesystem == BH_SANDBOX_FILESYSTEM_CLOSED)
    {
      /* What is still read after start-up: the out-of-memory check's
       * statm, GLib's random seed, and the fonts. */
      bh_sandbox_keep_file ("/proc/self/statm");
      bh_sandbox_keep_file ("/dev/urandom");
      bh_sandbox_keep_font_files ();
      bh_sandbox_fs_close ();
    }
  if ((debug || filesystem == BH_SANDBOX_FILESYSTEM_CLOSED) && !install_sigsys_handler (debug, error))
    return FALSE;

  ctx = build_filter (policy, filesystem, debug, error);
  if (ctx == NULL)
    return FALSE;
  r = seccomp_load (ctx);
  seccomp_release (ctx);
  if (r != 0)
    {
      g_set_error (error, BH_SANDBOX_ERROR, BH_SANDBOX_ERROR_FAILED,
                   "loading the seccomp filter: %s", g_strerror (-r));
      return FALSE;
    }

  return TRUE;
}

void
bh_sandbox_set_undumpable (void)
{
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* ------------------------------------------------------------------------- */
/* Out of memory                                                              */
/* ------------------------------------------------------------------------- */

/* Below this many bytes of address space left, a crash counts as running out
 * of memory: glibc reserves 64 MiB for each new malloc arena and thread stacks
 * take 8 MiB, so a limit is hit well before the last byte. */
#define OOM_HEADROOM_BYTES (G_GUINT64_CONSTANT (80) * 1024 * 1024)

static char oom_alt_stack[64 * 1024];

/* Silent, as common/ is: the browser reads the exit code and says it. */
static G_NORETURN void
exit_out_of_memory (void)
{
  _exit (BH_EXIT_CODE_OUT_OF_MEMORY);
}

/* Async-signal-safe: getrlimit, and open/read of /proc/self/statm into a
 * stack buffer. */
static gboolean
address_space_nearly_full (void)
{
  struct rlimit limit;
  char buf[128];
  int fd;
  ssize_t n;
  guint64 pages = 0;

  if (getrlimit (RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return FALSE;

  fd = open ("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return FALSE;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
    pages = pages * 10 + (guint64) (buf[i] - '0');

  return pages * (guint64) sysconf (_SC_PAGESIZE) + MIN (OOM_HEADROOM_BYTES, limit.rlim_cur / 2)
         >= limit.rlim_cur;
}

static void
oom_crash_handler (int signum, siginfo_t *info, void *context)
{
  if (address_space_nearly_full ())
    exit_out_of_memory ();

  /* SA_RESETHAND restored the default action. A fault re-executes and dies
   * with the original signal; a sent signal (abort, kill) is sent again. */
  if (info->si_code <= 0)
    syscall (SYS_tgkill, getpid (), syscall (SYS_gettid), signum);
}

static void
oom_log_handler (const char *log_domain, GLogLevelFlags log_level, const char *message, gpointer user_data)
{
  /* gmem.c: g_error ("%s: failed to allocate %"G_GSIZE_FORMAT" bytes", ...) */
  if (message != NULL && strstr (message, "failed to allocate") != NULL)
    exit_out_of_memory ();

  g_log_default_handler (log_domain, log_level, message, user_data);
}

void
bh_sandbox_exit_on_out_of_memory (void)
{
  static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT };
  stack_t ss = { 0 };

  g_log_set_handler ("GLib", G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                     oom_log_handler, NULL);

  /* When even the message cannot be formatted, GLib recurses until the stack
   * overflows: the handler needs a stack of its own. */
  ss.ss_sp = oom_alt_stack;
  ss.ss_size = sizeof oom_alt_stack;
  sigaltstack (&ss, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (crash_signals); i++)
    {
      struct sigaction sa = { 0 };

      sa.sa_sigaction = oom_crash_handler;
      sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
      sigemptyset (&sa.sa_mask);
      sigaction (crash_signals[i], &sa, NULL);
    }
}

/* ------------------------------------------------------------------------- */
/* Status                                                                     */
/* ------------------------------------------------------------------------- */

static const struct {
  BhNamespaceFlags flag;
  const char *name;
} namespace_names[] = {
  { BH_NAMESPACE_USER, "user" },
  { BH_NAMESPACE_PID, "pid" },
  { BH_NAMESPACE_NET, "net" },
  { BH_NAMESPACE_IPC, "ipc" },
  { BH_NAMESPACE_UTS, "uts" },
  { BH_NAMESPACE_MNT, "mnt" },
  { BH_NAMESPACE_CGROUP, "cgroup" },
};

char *
bh_sandbox_namespaces_to_string (BhNamespaceFlags namespaces)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (namespace_names); i++)
    if (namespaces & namespace_names[i].flag)
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", namespace_names[i].name);
  return g_string_free (s, FALSE);
}

/* The number after "Key:" in proc(5)'s key-value files; -1 if absent. */
static int
proc_status_field (const char *contents, const char *key)
{
  gsize key_len = strlen (key);

  for (const char *line = contents; line != NULL && *line != '\0';)
    {
      const char *end = strchr (line, '\n');

      if (strncmp (line, key, key_len) == 0 && line[key_len] == ':')
        {
          guint64 value;
          g_autofree char *text = g_strndup (line + key_len + 1,
                                             end != NULL ? (gsize) (end - line) - key_len - 1 : strlen (line));

          if (g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXINT, &value, NULL))
            return (int) value;
          return -1;
        }
      line = end != NULL ? end + 1 : NULL;
    }
  return -1;
}

/* The soft limit of "@name  SOFT  HARD  UNITS" in /proc/PID/limits, e.g.
 * "Max address space". */
static guint64
proc_limit (const char *limits, const char *name)
{
  const char *line = limits != NULL ? strstr (limits, name) : NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *copy = NULL;
  guint64 value;

  if (line == NULL)
    return G_MAXUINT64;
  copy = g_strndup (line + strlen (name), strcspn (line, "\n") - strlen (name));
  words = g_strsplit_set (g_strstrip (copy), " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (g_ascii_string_to_unsigned (words[i], 10, 0, G_MAXUINT64, &value, NULL))
        return value;
      return G_MAXUINT64; /* "unlimited" */
    }
  return G_MAXUINT64;
}

/* Where the cgroup2 hierarchy is mounted: field 5 of the /proc/self/mountinfo
 * line whose filesystem type (after " - ") is cgroup2 (proc(5)). */
static char *
cgroup2_mount_point (void)
{
  g_autofree char *mountinfo = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/mountinfo", &mountinfo, NULL, NULL))
    return NULL;
  lines = g_strsplit (mountinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *dash = strstr (lines[i], " - ");
      g_auto (GStrv) fields = NULL;

      if (dash == NULL || !g_str_has_prefix (dash + 3, "cgroup2 "))
        continue;
      fields = g_strsplit (lines[i], " ", 6);
      if (g_strv_length (fields) >= 5)
        return g_strcompress (fields[4]); /* mountinfo escapes spaces as \040 */
    }
  return NULL;
}

char *
bh_sandbox_cgroup_dir_of (guint pid)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%u/cgroup", pid) : g_strdup ("/proc/self/cgroup");
  g_autofree char *contents = NULL;
  g_autofree char *mount = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (mount = cgroup2_mount_point ()) == NULL)
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "0::/"))
      {
        g_autofree char *joined = g_build_filename (mount, lines[i] + 3, NULL);

        return g_canonicalize_filename (joined, NULL);
      }
  return NULL;
}

static guint64
cgroup_memory_max (guint pid)
{
  g_autofree char *dir = bh_sandbox_cgroup_dir_of (pid);
  g_autofree char *path = NULL;
  g_autofree char *max = NULL;
  guint64 value;

  if (dir == NULL)
    return G_MAXUINT64;
  path = g_build_filename (dir, "memory.max", NULL);
  if (!g_file_get_contents (path, &max, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (max), 10, 0, G_MAXUINT64, &value, NULL))
    return G_MAXUINT64;
  return value;
}

gboolean
bh_sandbox_status_read (guint pid, BhSandboxStatus *status, GError **error)
{
  g_autofree char *status_path = g_strdup_printf ("/proc/%u/status", pid);
  g_autofree char *limits_path = g_strdup_printf ("/proc/%u/limits", pid);
  g_autofree char *contents = NULL;
  g_autofree char *limits = NULL;
  BhSandboxStatus result = { 0 };

  g_return_val_if_fail (pid > 0, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!g_file_get_contents (status_path, &contents, NULL, error))
    return FALSE;

  result.pid = pid;
  result.seccomp_mode = proc_status_field (contents, "Seccomp");
  result.no_new_privs = proc_status_field (contents, "NoNewPrivs");
  if (!g_file_get_contents (limits_path, &limits, NULL, NULL))
    limits = NULL;
  result.address_space_limit_bytes = proc_limit (limits, "Max address space");
  result.file_size_limit_bytes = proc_limit (limits, "Max file size");
  result.open_files_limit = proc_limit (limits, "Max open files");
  result.memory_max_bytes = cgroup_memory_max (pid);

  for (gsize i = 0; i < G_N_ELEMENTS (namespace_names); i++)
    {
      g_autofree char *theirs_path = g_strdup_printf ("/proc/%u/ns/%s", pid, namespace_names[i].name);
      g_autofree char *ours_path = g_strdup_printf ("/proc/self/ns/%s", namespace_names[i].name);
      g_autofree char *theirs = g_file_read_link (theirs_path, NULL);
      g_autofree char *ours = g_file_read_link (ours_path, NULL);

      if (theirs == NULL || ours == NULL)
        continue;
      result.namespaces_known |= namespace_names[i].flag;
      if (strcmp (theirs, ours) != 0)
        result.namespaces |= namespace_names[i].flag;
    }

  *status = result;
  return TRUE;
}

char *
bh_sandbox_status_summary (const BhSandboxStatus *status, const char *cause)
{
  g_autofree char *ns = NULL;
  gboolean seccomp;

  g_return_val_if_fail (status != NULL, NULL);

  ns = bh_sandbox_namespaces_to_string (status->namespaces);
  seccomp = status->seccomp_mode == 2;

  if (status->namespaces != 0 && seccomp)
    return g_strdup_printf ("namespaces(%s) + seccomp-bpf", ns);
  if (status->namespaces != 0)
    return cause != NULL ? g_strdup_printf ("namespaces(%s) without seccomp-bpf: %s", ns, cause)
                         : g_strdup_printf ("namespaces(%s) without seccomp-bpf", ns);
  if (seccomp && status->landlock_abi > 0)
    return cause != NULL ? g_strdup_printf ("seccomp + Landlock: %s", cause) : g_strdup ("seccomp + Landlock");
  if (seccomp)
    return cause != NULL ? g_strdup_printf ("seccomp only: %s", cause) : g_strdup ("seccomp only");
  return cause != NULL ? g_strdup_printf ("none (%s)", cause) : g_strdup ("none");
}
