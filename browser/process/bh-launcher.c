/* bh-launcher.c: spawning renderers and plugin hosts in their sandbox. */
#include "bh-launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "bh-cgroup.h"
#include "bh-landlock.h"
#include "bh-launcher-fs.h"
#include "bh-launcher-private.h"

G_DEFINE_QUARK (bh-launcher-error-quark, bh_launcher_error)

/* How long a launch may take before the launcher gives up on it. */
#define LAUNCH_TIMEOUT_MS 10000

/* Target fd numbers in the child. */
enum {
  CHILD_FD_STDIN,
  CHILD_FD_STDOUT,
  CHILD_FD_STDERR,
  CHILD_FD_IPC,
  CHILD_FD_BWRAP_INFO, /* only bwrap itself gets it; bwrap does not pass it on */
  CHILD_FD_COUNT
};

struct _BhChildProcess {
  GPid reap_pid;
  GPid pid;
  BhLauncherNamespaces namespaces;
  char *sandbox_cause;
  char *cgroup; /* (nullable) its own cgroup v2, removed with it */
  int landlock_abi;
};

void
bh_launcher_bwrap_add_namespace_args (GPtrArray *argv, gboolean new_session)
{
  static const char *const args[] = {
    "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
    "--unshare-cgroup-try",
    /* bwrap keeps every capability inside the user namespace when run as
     * root; nothing in a child needs one. */
    "--cap-drop", "ALL",
    "--die-with-parent",
    "--chdir", "/",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (args); i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  /* A new session keeps a compromised child from pushing input into the
   * browser's terminal; a debugger given with cmd_prefix needs the terminal. */
  if (new_session)
    g_ptr_array_add (argv, g_strdup ("--new-session"));
}

/* ------------------------------------------------------------------------- */
/* The forked side. Everything from fork() to execve() must be               */
/* async-signal-safe: the browser has threads, one may hold malloc's lock.    */
/* The plan is built before forking and only read afterwards.                 */
/* ------------------------------------------------------------------------- */

typedef enum {
  STAGE_EXEC = 1,
  STAGE_FDS,
  STAGE_RLIMIT,
  STAGE_PDEATHSIG,
  STAGE_USER_MAP,
  STAGE_MOUNT,
  STAGE_PIVOT,
  STAGE_FORK,
  STAGE_CAPS,
  STAGE_CREDENTIALS,
  STAGE_LANDLOCK,
} ChildStage;

static const char *
stage_to_string (ChildStage stage)
{
  switch (stage)
    {
    case STAGE_EXEC: return "executing";
    case STAGE_FDS: return "setting up file descriptors";
    case STAGE_RLIMIT: return "setting the resource limits";
    case STAGE_PDEATHSIG: return "setting PR_SET_PDEATHSIG";
    case STAGE_USER_MAP: return "writing the user namespace's uid/gid map";
    case STAGE_MOUNT: return "building the sandbox's filesystem";
    case STAGE_PIVOT: return "switching to the sandbox's root (pivot_root)";
    case STAGE_FORK: return "forking inside the pid namespace";
    case STAGE_CAPS: return "dropping capabilities";
    case STAGE_CREDENTIALS: return "reporting the child's pid";
    case STAGE_LANDLOCK: return "entering the Landlock domain";
    default: return "starting the child";
    }
}

typedef struct {
  int stage;
  int err;
  int op_index; /* STAGE_MOUNT: which BhFsOp, else -1 */
} ChildError;

typedef struct {
  /* The final execve. */
  const char *exec_path;
  char **argv;
  char **envp;
  int source_fds[CHILD_FD_COUNT]; /* -1: keep the browser's (0-2) or none (3, 4) */
  int n_target_fds;
  /* RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE, as far as they apply. */
  struct {
    int resource;
    struct rlimit limit;
  } rlimits[3];
  int n_rlimits;
  int error_fd;      /* write end, CLOEXEC: a ChildError, or EOF on execve */
  pid_t parent_pid;  /* the browser, when it is the direct parent; else 0 */
  gboolean drop_root_capabilities; /* seccomp-only: root's children get none */
  int landlock_fd;   /* seccomp-only: the Landlock ruleset to enter, or -1 */
  int landlock_abi;

  /* The clone(2) path. */
  char uid_map[64];
  char gid_map[64];
  GArray *fs_ops;     /* of BhFsOp */
  char **fs_sources;  /* "/oldroot" + source, per op */
  char **fs_dests;    /* "/newroot" + dest, per op */
  int cred_fd;        /* child's end of a socketpair; the browser reads SCM_CREDENTIALS */
  int cap_last_cap;
} SpawnPlan;

static G_NORETURN void
child_fail (const SpawnPlan *plan, ChildStage stage, int err, int op_index)
{
  ChildError e = { stage, err, op_index };
  ssize_t n;

  do
    n = write (plan->error_fd, &e, sizeof e);
  while (n < 0 && errno == EINTR);
  _exit (127);
}

static void
reset_signals (void)
{
  sigset_t none;

  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      {
        struct sigaction sa = { 0 };
        sa.sa_handler = SIG_DFL;
        sigaction (sig, &sa, NULL); /* fails harmlessly for glibc's reserved signals */
      }
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* Marks every fd >= @first close-on-exec, by close_range(2) (Linux 5.11) or
 * by listing /proc/self/fd with getdents64 into a stack buffer. */
static gboolean
cloexec_from (int first)
{
  char buf[4096];
  int dir;

  if (syscall (SYS_close_range, (unsigned int) first, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) == 0)
    return TRUE;

  dir = open ("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return FALSE;
  for (;;)
    {
      long n = syscall (SYS_getdents64, dir, buf, sizeof buf);

      if (n <= 0)
        break;
      for (long off = 0; off < n;)
        {
          struct {
            guint64 ino;
            gint64 off;
            unsigned short reclen;
            unsigned char type;
            char name[];
          } *d = (void *) (buf + off);
          int fd = 0;
          gboolean number = d->name[0] != '\0';

          for (const char *c = d->name; *c != '\0'; c++)
            {
              if (*c < '0' || *c > '9')
                {
                  number = FALSE;
                  break;
                }
              fd = fd * 10 + (*c - '0');
            }
          if (number && fd >= first && fd != dir)
            fcntl (fd, F_SETFD, FD_CLOEXEC);
          off += d->reclen;
        }
    }
  close (dir);
  return TRUE;
}

/* A uid 0 process gets its bounding set as capabilities at execve
 * (capabilities(7)): empty it, so that a browser run as root does not hand
 * every capability to a child that only has seccomp around it. */
static void
drop_bounding_set (const SpawnPlan *plan)
{
  prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (geteuid () != 0)
    return;
  for (int cap = 0; cap <= plan->cap_last_cap; cap++)
    if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      child_fail (plan, STAGE_CAPS, errno, -1);
}

/* Gives the child exactly its fds, its limit and its parent-death signal,
 * then executes. Never returns. */
static G_NORETURN void
child_exec (const SpawnPlan *plan)
{
  int moved[CHILD_FD_COUNT];

  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    child_fail (plan, STAGE_PDEATHSIG, errno, -1);
  /* The browser died before the signal was armed: nobody will send it. */
  if (plan->parent_pid != 0 && getppid () != plan->parent_pid)
    _exit (127);

  for (int i = 0; i < plan->n_rlimits; i++)
    if (setrlimit (plan->rlimits[i].resource, &plan->rlimits[i].limit) != 0)
      child_fail (plan, STAGE_RLIMIT, errno, -1);

  if (plan->drop_root_capabilities)
    drop_bounding_set (plan);
  /* Before the descriptors are moved: the ruleset's fd may sit on a target
   * number. */
  if (plan->landlock_fd >= 0)
    {
      int r = bh_landlock_restrict_self (plan->landlock_fd, plan->landlock_abi);

      if (r < 0)
        child_fail (plan, STAGE_LANDLOCK, -r, -1);
    }

  /* Move every source out of the way first, so that mapping one cannot
   * clobber another that happens to sit on a target number. */
  for (int i = 0; i < plan->n_target_fds; i++)
    {
      moved[i] = -1;
      if (plan->source_fds[i] >= 0)
        {
          moved[i] = fcntl (plan->source_fds[i], F_DUPFD_CLOEXEC, CHILD_FD_COUNT + 16);
          if (moved[i] < 0)
            child_fail (plan, STAGE_FDS, errno, -1);
        }
    }
  for (int i = 0; i < plan->n_target_fds; i++)
    {
      if (moved[i] >= 0)
        {
          if (dup2 (moved[i], i) < 0)
            child_fail (plan, STAGE_FDS, errno, -1);
        }
      else if (i <= CHILD_FD_STDERR)
        fcntl (i, F_SETFD, 0); /* inherited as is, but never lost to CLOEXEC */
      else
        close (i);
    }
  if (!cloexec_from (plan->n_target_fds))
    child_fail (plan, STAGE_FDS, errno, -1);

  reset_signals ();

  execve (plan->exec_path, plan->argv, plan->envp);
  child_fail (plan, STAGE_EXEC, errno, -1);
}

static gboolean
write_file (const char *path, const char *contents)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gsize len = strlen (contents);
  ssize_t n;

  if (fd < 0)
    return FALSE;
  n = write (fd, contents, len);
  close (fd);
  return n == (ssize_t) len;
}

static void
drop_capabilities (const SpawnPlan *plan)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

  for (int cap = 0; cap <= plan->cap_last_cap; cap++)
    if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      child_fail (plan, STAGE_CAPS, errno, -1);
  prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  if (syscall (SYS_capset, &header, data) != 0)
    child_fail (plan, STAGE_CAPS, errno, -1);
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    child_fail (plan, STAGE_CAPS, errno, -1);
}

/* pid 1 of the new namespaces: builds the root, forks the real child (pid 2,
 * like bubblewrap, so that it receives signals normally: an init ignores
 * those it has no handler for), reaps, and exits with its status encoded as
 * bubblewrap does: the exit code, or 128 + the signal. */
static G_NORETURN void
namespace_init (const SpawnPlan *plan)
{
  sigset_t all;
  pid_t child;
  int wait_status;

  if (prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    child_fail (plan, STAGE_PDEATHSIG, errno, -1);
  /* Inherited from the browser, non-dumpable makes our own /proc/self files
   * root's, and an unprivileged browser could not write the maps. No other
   * process can name this one (it is pid 1 of a new pid namespace), and the
   * real child's execve() decides its own flag. */
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
  if (!write_file ("/proc/self/setgroups", "deny") || !write_file ("/proc/self/gid_map", plan->gid_map) ||
      !write_file ("/proc/self/uid_map", plan->uid_map))
    child_fail (plan, STAGE_USER_MAP, errno, -1);

  {
    BhFsFailure failure;

    if (!bh_fs_plan_build_root (plan->fs_ops, plan->fs_sources, plan->fs_dests, &failure))
      child_fail (plan, failure.step == BH_FS_STEP_PIVOT ? STAGE_PIVOT : STAGE_MOUNT, failure.err,
                  failure.op_index);
  }

  /* A raw clone, not fork(): glibc's fork bookkeeping does not expect to
   * run in a process that itself came from a raw clone. */
  child = (pid_t) syscall (SYS_clone, SIGCHLD, NULL, NULL, NULL, 0);
  if (child < 0)
    child_fail (plan, STAGE_FORK, errno, -1);
  if (child == 0)
    {
      char byte = 'p';

      drop_capabilities (plan);
      /* The browser's end has SO_PASSCRED: the kernel attaches our pid,
       * translated into the browser's pid namespace. */
      if (write (plan->cred_fd, &byte, 1) != 1)
        child_fail (plan, STAGE_CREDENTIALS, errno, -1);
      child_exec (plan);
    }

  /* Hold nothing: the browser must see the IPC socket close and the error
   * pipe reach EOF when the child goes. */
  syscall (SYS_close_range, 0U, ~0U, 0);
  sigfillset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);
  for (;;)
    {
      pid_t pid = waitpid (-1, &wait_status, 0);

      if (pid < 0 && errno == EINTR)
        continue;
      if (pid < 0)
        _exit (127);
      if (pid == child)
        {
          if (WIFEXITED (wait_status))
            _exit (WEXITSTATUS (wait_status));
          _exit (128 + WTERMSIG (wait_status));
        }
    }
}

/* ------------------------------------------------------------------------- */
/* The browser's side of a launch                                             */
/* ------------------------------------------------------------------------- */

void
bh_launch_options_init (BhLaunchOptions *opts)
{
  g_return_if_fail (opts != NULL);

  memset (opts, 0, sizeof *opts);
  opts->ipc_fd = -1;
  opts->stdout_fd = -1;
  opts->stderr_fd = -1;
  opts->memory_limit_mb = BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB;
}

void
bh_launcher_close_fd (int *fd)
{
  if (*fd >= 0)
    {
      close (*fd);
      *fd = -1;
    }
}

/* Reads a ChildError from the error pipe, or EOF (the exec happened).
 * Returns 1 for an error record, 0 for EOF, -1 on timeout. */
static int
read_child_error (int fd, ChildError *e, int timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize got = 0;

  for (;;)
    {
      GPollFD pfd = { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      ssize_t n;

      if (left_ms <= 0)
        return -1;
      if (g_poll (&pfd, 1, (int) left_ms) == 0)
        continue;
      n = read (fd, (char *) e + got, sizeof *e - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return got == sizeof *e ? 1 : 0;
      got += (gsize) n;
      if (got == sizeof *e)
        return 1;
    }
}

static void
set_child_error (GError **error, const SpawnPlan *plan, const ChildError *e)
{
  g_autofree char *what = NULL;

  if (e->stage == STAGE_MOUNT && e->op_index >= 0 && (guint) e->op_index < plan->fs_ops->len)
    what = g_strdup_printf ("%s (%s)", stage_to_string (e->stage),
                            g_array_index (plan->fs_ops, BhFsOp, e->op_index).dest);
  else if (e->stage == STAGE_EXEC)
    what = g_strdup_printf ("executing %s", plan->exec_path);
  else
    what = g_strdup (stage_to_string (e->stage));

  g_set_error (error, BH_LAUNCHER_ERROR,
               e->stage == STAGE_EXEC ? BH_LAUNCHER_ERROR_EXEC : BH_LAUNCHER_ERROR_SANDBOX,
               "%s: %s", what, g_strerror (e->err));
}

/* TRUE once @pid has exited; it stays a zombie for the caller to reap. */
static gboolean
has_exited (GPid pid)
{
  siginfo_t info = { 0 };

  return waitid (P_PID, (id_t) pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

void
bh_launcher_kill_and_reap (GPid pid)
{
  int status;

  kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
}

/* The "child-pid" member of @text if it is a complete JSON object, else 0. */
static GPid
parse_bwrap_info (const GString *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;

  if (text->len == 0 || !json_parser_load_from_data (parser, text->str, (gssize) text->len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member ((object = json_node_get_object (root)), "child-pid"))
    return 0;
  return (GPid) json_object_get_int_member (object, "child-pid");
}

/* bwrap's --info-fd JSON: {"child-pid": N, ...}. N is bwrap's own pid 1 in
 * the new namespace, as seen from ours. Parsed as soon as it is complete,
 * not at EOF, in case a bwrap keeps the fd open. */
static GPid
read_bwrap_child_pid (int fd, GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) LAUNCH_TIMEOUT_MS * 1000;
  GPid pid = 0;

  for (;;)
    {
      GPollFD pfd = { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[1024];
      ssize_t n;

      if (left_ms <= 0)
        {
          g_set_error_literal (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_SANDBOX,
                               "bubblewrap did not report the sandbox's pid in time");
          return 0;
        }
      if (g_poll (&pfd, 1, (int) left_ms) == 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
      if ((pid = parse_bwrap_info (text)) > 0)
        return pid;
    }

  g_set_error_literal (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_SANDBOX,
                       "bubblewrap failed to set up the sandbox (see its message on stderr)");
  return 0;
}

/* The first child of @parent: from /proc/PARENT/task/PARENT/children (Linux
 * 4.2, CONFIG_PROC_CHILDREN), else by scanning every /proc/PID/stat for its
 * parent pid. 0 when there is none (yet). */
static GPid
find_child_of (GPid parent)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", parent, parent);
  g_autofree char *children = NULL;
  g_autoptr(GDir) proc = NULL;
  const char *name;

  if (g_file_get_contents (path, &children, NULL, NULL))
    return (GPid) g_ascii_strtoull (children, NULL, 10);

  proc = g_dir_open ("/proc", 0, NULL);
  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *stat = NULL;
      const char *after_comm;
      int ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      stat_path = g_strdup_printf ("/proc/%s/stat", name);
      /* "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses. */
      if (g_file_get_contents (stat_path, &stat, NULL, NULL) && (after_comm = strrchr (stat, ')')) != NULL &&
          sscanf (after_comm + 1, " %*c %d", &ppid) == 1 && ppid == parent)
        return (GPid) g_ascii_strtoull (name, NULL, 10);
    }
  return 0;
}

/* bubblewrap's pid 1 forks the real child only after building the sandbox:
 * wait for it to appear. Returns 0 if bwrap ended first, -1 on timeout. */
static GPid
wait_for_bwrap_grandchild (GPid bwrap_pid, GPid init_pid, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) LAUNCH_TIMEOUT_MS * 1000;
  gulong sleep_us = 50;

  for (;;)
    {
      GPid pid = find_child_of (init_pid);

      if (pid > 0)
        return pid;
      if (has_exited (bwrap_pid))
        return 0;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_SANDBOX,
                               "bubblewrap did not start the child in time");
          return -1;
        }
      g_usleep (sleep_us);
      sleep_us = MIN (sleep_us * 2, 2000);
    }
}

/* The pid the clone(2) path's child sent, translated by the kernel. */
static GPid
receive_child_pid (int fd)
{
  char byte;
  char control[CMSG_SPACE (sizeof (struct ucred))];
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { 0 };
  struct cmsghdr *cmsg;
  ssize_t n;

  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  do
    n = recvmsg (fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n != 1)
    return 0;
  for (cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS)
      {
        struct ucred cred;

        memcpy (&cred, CMSG_DATA (cmsg), sizeof cred);
        return (GPid) cred.pid;
      }
  return 0;
}

/* --browser-pid goes only to a child whose parent is the browser itself:
 * common/bh-child.c exits when getppid() differs, which is always the case
 * under bwrap's or our pid 1, or under a cmd_prefix tool. Those children die
 * with the browser through PR_SET_PDEATHSIG on their ancestors instead. */
static char **
build_child_argv (const BhLaunchOptions *opts, BhLauncherNamespaces namespaces, const char *executable,
                  const char *prefix_tool)
{
  GPtrArray *argv = g_ptr_array_new ();

  if (opts->cmd_prefix != NULL && opts->cmd_prefix[0] != NULL)
    {
      g_ptr_array_add (argv, g_strdup (prefix_tool != NULL ? prefix_tool : opts->cmd_prefix[0]));
      for (guint i = 1; opts->cmd_prefix[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (opts->cmd_prefix[i]));
    }
  g_ptr_array_add (argv, g_strdup (executable));
  if (opts->ipc_fd >= 0)
    g_ptr_array_add (argv, g_strdup_printf ("--ipc-fd=%d", CHILD_FD_IPC));
  if (namespaces == BH_LAUNCHER_NAMESPACES_NONE && prefix_tool == NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--browser-pid=%d", (int) getpid ()));
  if (opts->no_sandbox)
    g_ptr_array_add (argv, g_strdup ("--no-sandbox"));
  else if (namespaces == BH_LAUNCHER_NAMESPACES_NONE)
    g_ptr_array_add (argv, g_strdup ("--no-namespaces"));
  for (guint i = 0; opts->args != NULL && opts->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (opts->args[i]));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

char *
bh_launcher_read_sysctl (const char *path)
{
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (contents);
}

static int
read_cap_last_cap (void)
{
  g_autofree char *text = bh_launcher_read_sysctl ("/proc/sys/kernel/cap_last_cap");
  guint64 value;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, 63, &value, NULL))
    return (int) value;
  return 40; /* CAP_CHECKPOINT_RESTORE, Linux 5.9; PR_CAPBSET_DROP ignores unknown ones */
}

static void
add_rlimit (SpawnPlan *plan, int resource, rlim_t value)
{
  g_assert (plan->n_rlimits < (int) G_N_ELEMENTS (plan->rlimits));
  plan->rlimits[plan->n_rlimits].resource = resource;
  plan->rlimits[plan->n_rlimits].limit.rlim_cur = value;
  plan->rlimits[plan->n_rlimits].limit.rlim_max = value;
  plan->n_rlimits++;
}

/* The caps every child gets: its address space (heap, mappings) and the size
 * of any one file it writes (a memfd it fills without mapping it: past the
 * limit, SIGXFSZ ends it, which reads as out of memory), both at the memory
 * limit; and how many descriptors it holds, which bounds how many memfds,
 * pipes and sockets it keeps alive (and, per user, how many it parks in a
 * socket's queue: unix(7) SCM_RIGHTS counts them against RLIMIT_NOFILE). */
static void
add_child_rlimits (SpawnPlan *plan, const BhLaunchOptions *opts)
{
  struct rlimit files;
  rlim_t max_fds = BH_LAUNCHER_CHILD_MAX_FDS;

  if (opts->memory_limit_mb > 0)
    {
      rlim_t bytes = (rlim_t) opts->memory_limit_mb * 1024 * 1024;

      add_rlimit (plan, RLIMIT_AS, bytes);
      add_rlimit (plan, RLIMIT_FSIZE, bytes);
    }
  /* Never above the browser's own hard limit: raising it takes a capability. */
  if (getrlimit (RLIMIT_NOFILE, &files) == 0 && files.rlim_max != RLIM_INFINITY && files.rlim_max < max_fds)
    max_fds = files.rlim_max;
  add_rlimit (plan, RLIMIT_NOFILE, max_fds);
}

/* The one launch routine, for every mode. @out_errno gets clone(2)'s errno
 * when that is what failed (for the probe's diagnosis). */
gboolean
bh_launcher_spawn_internal (const BhLaunchOptions *opts, BhLauncherNamespaces namespaces, const char *bwrap_path,
                int landlock_abi, BhChildProcess **out, int *out_errno, GError **error)
{
  g_autofree char *executable = NULL;
  g_autofree char *prefix_tool = NULL;
  g_auto(GStrv) child_argv = NULL;
  g_auto(GStrv) envp = NULL;
  g_autoptr(GPtrArray) bwrap_argv = NULL;
  g_autoptr(GArray) fs_ops = NULL;
  g_autoptr(GPtrArray) fs_sources = NULL;
  g_autoptr(GPtrArray) fs_dests = NULL;
  SpawnPlan plan = { .landlock_fd = -1 };
  int landlock_fd = -1;
  int devnull = -1, error_pipe[2] = { -1, -1 }, info_pipe[2] = { -1, -1 }, cred_pair[2] = { -1, -1 };
  sigset_t all, old_mask;
  GPid pid, real_pid = 0;
  ChildError child_error;
  int r;
  gboolean ok = FALSE;

  *out_errno = 0;

  executable = g_canonicalize_filename (opts->executable, NULL);
  if (!g_file_test (executable, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_EXEC, "%s is not an executable file", executable);
      return FALSE;
    }
  if (opts->cmd_prefix != NULL && opts->cmd_prefix[0] != NULL)
    {
      prefix_tool = g_find_program_in_path (opts->cmd_prefix[0]);
      if (prefix_tool == NULL)
        {
          g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_EXEC, "command prefix %s not found",
                       opts->cmd_prefix[0]);
          return FALSE;
        }
    }

  child_argv = build_child_argv (opts, namespaces, executable, prefix_tool);
  envp = g_get_environ ();
  /* GIO would otherwise look for gvfs over D-Bus, which the sandbox refuses. */
  envp = g_environ_setenv (envp, "GIO_USE_VFS", "local", TRUE);

  if (namespaces != BH_LAUNCHER_NAMESPACES_NONE)
    fs_ops = bh_fs_plan_new (executable, prefix_tool);

  /* stdin: /dev/null, unless a debugger in cmd_prefix needs the terminal. */
  if (opts->cmd_prefix == NULL || opts->cmd_prefix[0] == NULL)
    {
      devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (devnull < 0)
        {
          int saved_errno = errno;
          g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "/dev/null: %s", g_strerror (saved_errno));
          goto out;
        }
    }
  if (pipe2 (error_pipe, O_CLOEXEC) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "pipe2: %s", g_strerror (saved_errno));
      goto out;
    }

  plan.source_fds[CHILD_FD_STDIN] = devnull;
  plan.source_fds[CHILD_FD_STDOUT] = opts->stdout_fd;
  plan.source_fds[CHILD_FD_STDERR] = opts->stderr_fd;
  plan.source_fds[CHILD_FD_IPC] = opts->ipc_fd;
  plan.source_fds[CHILD_FD_BWRAP_INFO] = -1;
  plan.n_target_fds = CHILD_FD_IPC + 1;
  plan.error_fd = error_pipe[1];
  plan.parent_pid = namespaces == BH_LAUNCHER_NAMESPACES_CLONE ? 0 : getpid ();
  plan.envp = envp;
  add_child_rlimits (&plan, opts);

  switch (namespaces)
    {
    case BH_LAUNCHER_NAMESPACES_NONE:
      plan.exec_path = child_argv[0];
      plan.argv = child_argv;
      plan.drop_root_capabilities = !opts->no_sandbox;
      plan.cap_last_cap = read_cap_last_cap ();
      if (!opts->no_sandbox && landlock_abi > 0)
        {
          plan.landlock_fd = bh_fs_plan_to_landlock (landlock_abi, executable, prefix_tool, error);
          if (plan.landlock_fd < 0)
            goto out;
          landlock_fd = plan.landlock_fd;
          plan.landlock_abi = landlock_abi;
        }
      break;

    case BH_LAUNCHER_NAMESPACES_BUBBLEWRAP:
      if (pipe2 (info_pipe, O_CLOEXEC) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "pipe2: %s", g_strerror (saved_errno));
          goto out;
        }
      bwrap_argv = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (bwrap_argv, g_strdup (bwrap_path));
      bh_launcher_bwrap_add_namespace_args (bwrap_argv, prefix_tool == NULL);
      bh_fs_plan_to_bwrap_args (fs_ops, bwrap_argv);
      g_ptr_array_add (bwrap_argv, g_strdup ("--info-fd"));
      g_ptr_array_add (bwrap_argv, g_strdup_printf ("%d", CHILD_FD_BWRAP_INFO));
      g_ptr_array_add (bwrap_argv, g_strdup ("--"));
      for (guint i = 0; child_argv[i] != NULL; i++)
        g_ptr_array_add (bwrap_argv, g_strdup (child_argv[i]));
      g_ptr_array_add (bwrap_argv, NULL);
      plan.exec_path = bwrap_path;
      plan.argv = (char **) bwrap_argv->pdata;
      plan.source_fds[CHILD_FD_BWRAP_INFO] = info_pipe[1];
      plan.n_target_fds = CHILD_FD_BWRAP_INFO + 1;
      break;

    case BH_LAUNCHER_NAMESPACES_CLONE:
      plan.exec_path = child_argv[0];
      plan.argv = child_argv;
      g_snprintf (plan.uid_map, sizeof plan.uid_map, "%u %u 1\n", (guint) geteuid (), (guint) geteuid ());
      g_snprintf (plan.gid_map, sizeof plan.gid_map, "%u %u 1\n", (guint) getegid (), (guint) getegid ());
      plan.fs_ops = fs_ops;
      fs_sources = g_ptr_array_new_with_free_func (g_free);
      fs_dests = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < fs_ops->len; i++)
        {
          const BhFsOp *op = &g_array_index (fs_ops, BhFsOp, i);

          g_ptr_array_add (fs_sources, op->source != NULL ? g_strconcat ("/oldroot", op->source, NULL) : NULL);
          g_ptr_array_add (fs_dests, g_strconcat ("/newroot", op->dest, NULL));
        }
      plan.fs_sources = (char **) fs_sources->pdata;
      plan.fs_dests = (char **) fs_dests->pdata;
      plan.cap_last_cap = read_cap_last_cap ();
      if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cred_pair) != 0 ||
          setsockopt (cred_pair[0], SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof (int)) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "socketpair: %s", g_strerror (saved_errno));
          goto out;
        }
      plan.cred_fd = cred_pair[1];
      break;
    }

  /* No signal handler of the browser may run in the child before exec. */
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old_mask);
  if (namespaces == BH_LAUNCHER_NAMESPACES_CLONE)
    {
      unsigned long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                            CLONE_NEWNS | SIGCHLD;

      /* A cgroup namespace if the kernel has them (Linux 4.6), as bwrap's
       * --unshare-cgroup-try. */
      pid = (GPid) syscall (SYS_clone, flags | CLONE_NEWCGROUP, NULL, NULL, NULL, 0);
      if (pid < 0 && errno == EINVAL)
        pid = (GPid) syscall (SYS_clone, flags, NULL, NULL, NULL, 0);
    }
  else
    pid = fork ();
  if (pid == 0)
    {
      if (namespaces == BH_LAUNCHER_NAMESPACES_CLONE)
        namespace_init (&plan);
      child_exec (&plan);
    }
  {
    int saved_errno = errno;
    pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
    errno = saved_errno;
  }
  if (pid < 0)
    {
      int saved_errno = errno;
      *out_errno = saved_errno;
      g_set_error (error, BH_LAUNCHER_ERROR,
                   namespaces == BH_LAUNCHER_NAMESPACES_CLONE ? BH_LAUNCHER_ERROR_SANDBOX : BH_LAUNCHER_ERROR_FAILED,
                   "%s: %s", namespaces == BH_LAUNCHER_NAMESPACES_CLONE ? "clone" : "fork", g_strerror (saved_errno));
      goto out;
    }

  bh_launcher_close_fd (&error_pipe[1]);
  bh_launcher_close_fd (&info_pipe[1]);
  bh_launcher_close_fd (&cred_pair[1]);

  r = read_child_error (error_pipe[0], &child_error, LAUNCH_TIMEOUT_MS);
  if (r != 0)
    {
      if (r > 0)
        {
          set_child_error (error, &plan, &child_error);
          if (child_error.stage == STAGE_USER_MAP || child_error.stage == STAGE_MOUNT)
            *out_errno = child_error.err;
        }
      else
        g_set_error_literal (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "the child did not start in time");
      bh_launcher_kill_and_reap (pid);
      goto out;
    }

  switch (namespaces)
    {
    case BH_LAUNCHER_NAMESPACES_NONE:
      real_pid = pid;
      break;

    case BH_LAUNCHER_NAMESPACES_BUBBLEWRAP:
      {
        GPid init_pid = read_bwrap_child_pid (info_pipe[0], error);

        if (init_pid <= 0)
          {
            bh_launcher_kill_and_reap (pid);
            goto out;
          }
        real_pid = wait_for_bwrap_grandchild (pid, init_pid, error);
        if (real_pid < 0)
          {
            bh_launcher_kill_and_reap (pid);
            goto out;
          }
        /* The child already ended (a crash at start-up): its status arrives
         * through bwrap's; the pid left to show is bwrap's pid 1. */
        if (real_pid == 0)
          real_pid = init_pid;
      }
      break;

    case BH_LAUNCHER_NAMESPACES_CLONE:
      real_pid = receive_child_pid (cred_pair[0]);
      if (real_pid <= 0)
        {
          g_set_error_literal (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_SANDBOX,
                               "the sandboxed child did not report its pid");
          bh_launcher_kill_and_reap (pid);
          goto out;
        }
      break;
    }

  *out = g_new0 (BhChildProcess, 1);
  (*out)->reap_pid = pid;
  (*out)->pid = real_pid;
  (*out)->namespaces = namespaces;
  (*out)->landlock_abi = landlock_fd >= 0 ? landlock_abi : 0;
  ok = TRUE;

out:
  bh_launcher_close_fd (&landlock_fd);
  bh_launcher_close_fd (&devnull);
  bh_launcher_close_fd (&error_pipe[0]);
  bh_launcher_close_fd (&error_pipe[1]);
  bh_launcher_close_fd (&info_pipe[0]);
  bh_launcher_close_fd (&info_pipe[1]);
  bh_launcher_close_fd (&cred_pair[0]);
  bh_launcher_close_fd (&cred_pair[1]);
  return ok;
}

/* Moves a new child (its outer process and itself) into a cgroup of its
 * own, before the browser sends it any content. Without one it keeps the
 * resource limits alone. */
static void
add_to_memory_cgroup (BhChildProcess *child, guint memory_limit_mb)
{
  const BhLauncherMemoryProbe *memory = bh_launcher_probe_memory ();
  static gint counter;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (memory->cgroup_parent == NULL)
    return;
  name = g_strdup_printf ("bulkhead-child-%d-%d", (int) getpid (), g_atomic_int_add (&counter, 1));
  child->cgroup = bh_cgroup_create_child (memory->cgroup_parent, name, (guint64) memory_limit_mb << 20, &error);
  if (child->cgroup != NULL && bh_cgroup_add_process (child->cgroup, child->reap_pid, &error) &&
      (child->pid == child->reap_pid || bh_cgroup_add_process (child->cgroup, child->pid, &error)))
    return;
  g_debug ("child %d keeps the resource limits only: %s", (int) child->pid, error->message);
  if (child->cgroup != NULL)
    {
      /* Back with the browser, or rmdir fails for want of being empty. */
      bh_cgroup_move_to_own (child->reap_pid);
      bh_cgroup_move_to_own (child->pid);
      bh_cgroup_remove (child->cgroup);
      g_clear_pointer (&child->cgroup, g_free);
    }
}

gboolean
bh_launcher_spawn (const BhLaunchOptions *opts, BhChildProcess **out, GError **error)
{
  const BhLauncherProbe *probe = NULL;
  BhLauncherNamespaces namespaces = BH_LAUNCHER_NAMESPACES_NONE;
  BhChildProcess *child = NULL;
  int err;

  g_return_val_if_fail (opts != NULL && opts->executable != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whatever the sandbox, the browser's own /proc/PID files stay closed to
   * every child (and to every other process of its user). */
  bh_sandbox_set_undumpable ();
  if (!opts->no_sandbox)
    {
      probe = bh_launcher_probe ();
      namespaces = probe->namespaces;
    }

  if (!bh_launcher_spawn_internal (opts, namespaces, probe != NULL ? probe->bwrap_path : NULL,
                       probe != NULL ? probe->landlock_abi : 0, &child, &err, error))
    return FALSE;
  if (opts->memory_limit_mb > 0)
    add_to_memory_cgroup (child, opts->memory_limit_mb);

  if (opts->no_sandbox)
    child->sandbox_cause = g_strdup ("--no-sandbox");
  else if (namespaces == BH_LAUNCHER_NAMESPACES_NONE)
    child->sandbox_cause = g_strdup (probe->cause);
  *out = child;
  return TRUE;
}

GPid
bh_child_process_get_reap_pid (const BhChildProcess *child)
{
  g_return_val_if_fail (child != NULL, 0);
  return child->reap_pid;
}

GPid
bh_child_process_get_pid (const BhChildProcess *child)
{
  g_return_val_if_fail (child != NULL, 0);
  return child->pid;
}

BhLauncherNamespaces
bh_child_process_get_namespaces (const BhChildProcess *child)
{
  g_return_val_if_fail (child != NULL, BH_LAUNCHER_NAMESPACES_NONE);
  return child->namespaces;
}

int
bh_child_process_get_landlock_abi (const BhChildProcess *child)
{
  g_return_val_if_fail (child != NULL, 0);
  return child->landlock_abi;
}

const char *
bh_child_process_get_sandbox_cause (const BhChildProcess *child)
{
  g_return_val_if_fail (child != NULL, NULL);
  return child->sandbox_cause;
}

char *
bh_child_process_describe_sandbox (const BhChildProcess *child, BhSandboxStatus *status)
{
  BhSandboxStatus st;

  g_return_val_if_fail (child != NULL, NULL);

  if (!bh_sandbox_status_read ((guint) child->pid, &st, NULL))
    return g_strdup ("unknown (process gone)");
  st.landlock_abi = child->landlock_abi;
  if (status != NULL)
    *status = st;
  return bh_sandbox_status_summary (&st, child->sandbox_cause);
}

void
bh_child_process_free (BhChildProcess *child)
{
  if (child == NULL)
    return;
  g_free (child->sandbox_cause);
  bh_cgroup_remove (child->cgroup);
  g_free (child->cgroup);
  g_free (child);
}

/* ------------------------------------------------------------------------- */
/* Termination status                                                         */
/* ------------------------------------------------------------------------- */

static BhTerminationKind
kind_for_signal (int signum)
{
  switch (signum)
    {
    case SIGSYS:
      return BH_TERMINATION_SANDBOX_VIOLATION;
    case SIGXFSZ:
      /* RLIMIT_FSIZE is the memory limit: the child grew a file (a memfd it
       * does not map) past it. */
      return BH_TERMINATION_OUT_OF_MEMORY;
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
    case SIGABRT:
    case SIGTRAP:
      return BH_TERMINATION_CRASHED;
    default:
      return BH_TERMINATION_KILLED;
    }
}

void
bh_child_process_decode_wait_status (const BhChildProcess *child, int wait_status, BhTermination *termination)
{
  BhTermination t = { BH_TERMINATION_NORMAL, -1, 0 };

  g_return_if_fail (child != NULL);
  g_return_if_fail (termination != NULL);

  if (WIFSIGNALED (wait_status))
    t.signal_number = WTERMSIG (wait_status);
  else if (WIFEXITED (wait_status))
    {
      int code = WEXITSTATUS (wait_status);

      if (child->namespaces != BH_LAUNCHER_NAMESPACES_NONE && code > 128 && code < 128 + NSIG)
        t.signal_number = code - 128;
      else
        t.exit_code = code;
    }

  if (t.signal_number == SIGKILL && child->cgroup != NULL && bh_cgroup_was_oom_killed (child->cgroup))
    t.kind = BH_TERMINATION_OUT_OF_MEMORY;
  else if (t.signal_number != 0)
    t.kind = kind_for_signal (t.signal_number);
  else if (t.exit_code == BH_EXIT_CODE_OUT_OF_MEMORY)
    t.kind = BH_TERMINATION_OUT_OF_MEMORY;
  else if (t.exit_code != 0)
    t.kind = BH_TERMINATION_ABNORMAL;

  *termination = t;
}

char *
bh_termination_to_string (const BhTermination *termination)
{
  const char *name;

  g_return_val_if_fail (termination != NULL, NULL);

  name = termination->signal_number != 0 ? sigabbrev_np (termination->signal_number) : NULL;
  switch (termination->kind)
    {
    case BH_TERMINATION_NORMAL:
      return g_strdup ("exited normally");
    case BH_TERMINATION_ABNORMAL:
      return g_strdup_printf ("exited with code %d", termination->exit_code);
    case BH_TERMINATION_OUT_OF_MEMORY:
      return g_strdup ("out of memory");
    case BH_TERMINATION_SANDBOX_VIOLATION:
      return g_strdup ("killed by the sandbox (SIGSYS: forbidden system call)");
    case BH_TERMINATION_CRASHED:
      return g_strdup_printf ("crashed with signal %d (SIG%s)", termination->signal_number, name ? name : "?");
    case BH_TERMINATION_KILLED:
    default:
      return g_strdup_printf ("killed by signal %d (SIG%s)", termination->signal_number, name ? name : "?");
    }
}
