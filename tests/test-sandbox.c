/* test-sandbox.c: the sandbox as the browser sees it (issue #7).
 *
 * Children are tests/sandbox-child (a renderer stand-in, see its header)
 * started through bh_launcher_spawn() in each mode this machine offers:
 * namespaces via bubblewrap, namespaces via the launcher's own clone(2),
 * seccomp only (forced with BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1), and
 * --no-sandbox as the control that shows the escape attempts are real.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "bh-landlock.h"
#include "bh-launcher.h"
#include "bh-launcher-self-test.h"
#include "bh-sandbox.h"

#ifndef SANDBOX_CHILD_PATH
#error "SANDBOX_CHILD_PATH must name tests/sandbox-child"
#endif

typedef enum {
  MODE_BUBBLEWRAP,
  MODE_CLONE,
  MODE_SECCOMP_ONLY,     /* without Landlock (forced off) */
  MODE_SECCOMP_LANDLOCK, /* seccomp with Landlock, where the kernel has it */
  MODE_NO_SANDBOX,
} Mode;

static const char *const mode_names[] = { "bubblewrap", "clone", "seccomp-only", "seccomp-landlock", "no-sandbox" };

static gboolean
is_seccomp_mode (int mode)
{
  return mode == MODE_SECCOMP_ONLY || mode == MODE_SECCOMP_LANDLOCK;
}

/* Points the launcher at @mode. Returns FALSE (and skips the test) when this
 * machine cannot offer it. */
static gboolean
select_mode (Mode mode)
{
  const BhLauncherProbe *probe;

  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_BWRAP");
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_LANDLOCK");
  if (mode == MODE_CLONE)
    g_setenv ("BULKHEAD_SANDBOX_TEST_NO_BWRAP", "1", TRUE);
  if (is_seccomp_mode (mode))
    g_setenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES", "1", TRUE);
  if (mode == MODE_SECCOMP_ONLY)
    g_setenv ("BULKHEAD_SANDBOX_TEST_NO_LANDLOCK", "1", TRUE);
  bh_launcher_probe_reset ();
  probe = bh_launcher_probe ();

  if (mode == MODE_SECCOMP_LANDLOCK && probe->landlock_abi == 0)
    {
      g_test_skip_printf ("%s is not available here: %s", mode_names[mode], probe->landlock_cause);
      return FALSE;
    }
  if ((mode == MODE_BUBBLEWRAP && probe->namespaces != BH_LAUNCHER_NAMESPACES_BUBBLEWRAP) ||
      (mode == MODE_CLONE && probe->namespaces != BH_LAUNCHER_NAMESPACES_CLONE))
    {
      g_autofree char *why = bh_launcher_probe_describe (probe);
      g_test_skip_printf ("%s is not available here: %s", mode_names[mode], why);
      return FALSE;
    }
  if (is_seccomp_mode (mode))
    g_assert_cmpint (probe->namespaces, ==, BH_LAUNCHER_NAMESPACES_NONE);
  return TRUE;
}

typedef struct {
  BhChildProcess *child;
  int ipc;        /* our end of the child's fd 3 */
  int stdout_fd;  /* read end of the child's stdout */
} Launched;

static void
launched_clear (Launched *l)
{
  g_clear_pointer (&l->child, bh_child_process_free);
  if (l->ipc >= 0)
    close (l->ipc);
  if (l->stdout_fd >= 0)
    close (l->stdout_fd);
  l->ipc = l->stdout_fd = -1;
}

static void
launch (Mode mode, const char *child_mode, guint memory_limit_mb, const char * const *cmd_prefix,
        Launched *out)
{
  g_autofree char *mode_arg = g_strdup_printf ("--mode=%s", child_mode);
  const char *args[] = { "--type=renderer", "--site=https://example.test", mode_arg, NULL };
  g_autoptr(GError) error = NULL;
  BhLaunchOptions opts;
  int sv[2], out_pipe[2];

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
  g_assert_no_errno (pipe2 (out_pipe, O_CLOEXEC));

  bh_launch_options_init (&opts);
  opts.executable = SANDBOX_CHILD_PATH;
  opts.args = args;
  opts.ipc_fd = sv[1];
  opts.stdout_fd = out_pipe[1];
  opts.no_sandbox = mode == MODE_NO_SANDBOX;
  opts.memory_limit_mb = memory_limit_mb;
  opts.cmd_prefix = cmd_prefix;
  g_assert_true (bh_launcher_spawn (&opts, &out->child, &error));
  g_assert_no_error (error);
  close (sv[1]);
  close (out_pipe[1]);
  out->ipc = sv[0];
  out->stdout_fd = out_pipe[0];
}

/* One line from the child's stdout, without the newline; NULL at EOF. */
static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;
  ssize_t n;

  while ((n = read (fd, &c, 1)) == 1 && c != '\n')
    g_string_append_c (line, c);
  if (n <= 0 && line->len == 0)
    {
      g_string_free (line, TRUE);
      return NULL;
    }
  return g_string_free (line, FALSE);
}

static BhTermination
reap (Launched *l)
{
  BhTermination termination;
  int status;

  while (waitpid (bh_child_process_get_reap_pid (l->child), &status, 0) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  bh_child_process_decode_wait_status (l->child, status, &termination);
  return termination;
}

/* How many fds this (browser) process holds. */
static guint
count_own_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static char *
proc_status_field (GPid pid, const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], key) && lines[i][strlen (key)] == ':')
      return g_strstrip (g_strdup (lines[i] + strlen (key) + 1));
  return NULL;
}

/* ------------------------------------------------------------------------- */

static void
test_probe (void)
{
  const BhLauncherProbe *probe;
  g_autofree char *line = NULL;

  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_BWRAP");
  bh_launcher_probe_reset ();
  probe = bh_launcher_probe ();
  line = bh_launcher_probe_describe (probe);
  g_test_message ("%s", line);

  g_assert_nonnull (probe->summary);
  g_assert_true (g_str_has_prefix (line, "sandbox: "));
  if (probe->namespaces != BH_LAUNCHER_NAMESPACES_BUBBLEWRAP)
    {
      /* Whatever is missing must be explained, with a fix. */
      g_assert_nonnull (probe->cause);
      g_assert_nonnull (probe->fix);
      g_assert_nonnull (strstr (line, probe->cause));
    }
  /* Cached: the same answer without probing again. */
  g_assert_true (bh_launcher_probe () == probe);
}

static void
test_forced_seccomp_only_probe (void)
{
  const BhLauncherProbe *probe;
  g_autofree char *line = NULL;

  select_mode (MODE_SECCOMP_ONLY);
  probe = bh_launcher_probe ();
  line = bh_launcher_probe_describe (probe);
  g_assert_cmpint (probe->namespaces, ==, BH_LAUNCHER_NAMESPACES_NONE);
  g_assert_cmpstr (probe->cause, ==, "namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
  g_assert_cmpstr (probe->summary, ==, "seccomp only: namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
  g_assert_cmpstr (line, ==, "sandbox: seccomp only: namespaces turned off by "
                             "BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1. Fix: unset BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  g_assert_cmpint (probe->landlock_abi, ==, 0);
  g_assert_cmpstr (probe->landlock_cause, ==, "Landlock turned off by BULKHEAD_SANDBOX_TEST_NO_LANDLOCK=1");

  /* With Landlock, where the kernel has it, the verdict says so. */
  if (!select_mode (MODE_SECCOMP_LANDLOCK))
    return;
  probe = bh_launcher_probe ();
  g_clear_pointer (&line, g_free);
  line = bh_launcher_probe_describe (probe);
  g_test_message ("%s", line);
  g_assert_cmpint (probe->landlock_abi, >, 0);
  g_assert_cmpstr (probe->summary, ==, "seccomp + Landlock: namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
  g_assert_true (g_str_has_prefix (line, "sandbox: seccomp + Landlock ABI "));
  g_assert_true (g_str_has_suffix (line, " (no namespaces: namespaces turned off by "
                                         "BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1. Fix: unset "
                                         "BULKHEAD_SANDBOX_TEST_NO_NAMESPACES)"));
}

/* The real child (not bwrap) is confined: its /proc status and namespaces. */
static void
test_status (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  Launched l = { NULL, -1, -1 };
  g_autofree char *ready = NULL;
  g_autofree char *name = NULL;
  g_autofree char *seccomp = NULL;
  g_autofree char *nnp = NULL;
  g_autofree char *cap_eff = NULL;
  g_autofree char *summary = NULL;
  BhSandboxStatus status;
  BhTermination termination;
  GPid pid;
  guint fds_before;

  if (!select_mode (mode))
    return;
  fds_before = count_own_fds ();
  launch (mode, "wait", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
  ready = read_line (l.stdout_fd);
  g_assert_cmpstr (ready, ==, "ready");

  pid = bh_child_process_get_pid (l.child);
  name = proc_status_field (pid, "Name");
  seccomp = proc_status_field (pid, "Seccomp");
  nnp = proc_status_field (pid, "NoNewPrivs");
  cap_eff = proc_status_field (pid, "CapEff");
  /* The pid is the renderer's own, not bwrap's or its pid 1's. */
  g_assert_cmpstr (name, ==, "sandbox-child");

  summary = bh_child_process_describe_sandbox (l.child, &status);
  g_test_message ("%s: pid %d reaped as %d: %s", mode_names[mode], (int) pid,
                  (int) bh_child_process_get_reap_pid (l.child), summary);
  g_assert_cmpuint (status.address_space_limit_bytes, ==, (guint64) BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB << 20);
  /* Shared memory it fills without mapping: each file at most the limit, and
   * not more files than this. */
  g_assert_cmpuint (status.file_size_limit_bytes, ==, (guint64) BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB << 20);
  g_assert_cmpuint (status.open_files_limit, <=, BH_LAUNCHER_CHILD_MAX_FDS);
  /* Sandboxed children hold no capability, even when the browser is root. */
  if (mode != MODE_NO_SANDBOX)
    g_assert_cmpstr (cap_eff, ==, "0000000000000000");

  switch (mode)
    {
    case MODE_BUBBLEWRAP:
    case MODE_CLONE:
      g_assert_cmpstr (seccomp, ==, "2");
      g_assert_cmpstr (nnp, ==, "1");
      g_assert_cmpint (status.seccomp_mode, ==, 2);
      g_assert_cmpint (status.no_new_privs, ==, 1);
      g_assert_cmpuint (status.namespaces & (BH_NAMESPACE_USER | BH_NAMESPACE_PID | BH_NAMESPACE_NET |
                                             BH_NAMESPACE_IPC | BH_NAMESPACE_UTS | BH_NAMESPACE_MNT),
                        ==, BH_NAMESPACE_USER | BH_NAMESPACE_PID | BH_NAMESPACE_NET | BH_NAMESPACE_IPC |
                              BH_NAMESPACE_UTS | BH_NAMESPACE_MNT);
      g_assert_true (g_str_has_prefix (summary, "namespaces(user,pid,net,ipc,uts,mnt"));
      g_assert_true (g_str_has_suffix (summary, ") + seccomp-bpf"));
      g_assert_null (bh_child_process_get_sandbox_cause (l.child));
      g_assert_cmpint (bh_child_process_get_reap_pid (l.child), !=, pid);
      break;
    case MODE_SECCOMP_ONLY:
      g_assert_cmpstr (seccomp, ==, "2");
      g_assert_cmpstr (nnp, ==, "1");
      g_assert_cmpuint (status.namespaces, ==, 0);
      /* A non-dumpable child's ns links open only with CAP_SYS_PTRACE. */
      if (geteuid () == 0)
        g_assert_cmpuint (status.namespaces_known & BH_NAMESPACE_NET, ==, BH_NAMESPACE_NET);
      g_assert_cmpstr (summary, ==, "seccomp only: namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
      g_assert_cmpint (bh_child_process_get_landlock_abi (l.child), ==, 0);
      break;
    case MODE_SECCOMP_LANDLOCK:
      g_assert_cmpstr (seccomp, ==, "2");
      g_assert_cmpstr (nnp, ==, "1");
      g_assert_cmpuint (status.namespaces, ==, 0);
      g_assert_cmpstr (summary, ==, "seccomp + Landlock: namespaces turned off by BULKHEAD_SANDBOX_TEST_NO_NAMESPACES=1");
      g_assert_cmpint (bh_child_process_get_landlock_abi (l.child), >, 0);
      break;
    case MODE_NO_SANDBOX:
      g_assert_cmpstr (seccomp, ==, "0");
      g_assert_cmpuint (status.namespaces, ==, 0);
      g_assert_cmpstr (summary, ==, "none (--no-sandbox)");
      break;
    }

  /* EOF on fd 3 ends the child normally, and that is what the reaped status says. */
  close (l.ipc);
  l.ipc = -1;
  termination = reap (&l);
  g_assert_cmpint (termination.kind, ==, BH_TERMINATION_NORMAL);
  g_assert_cmpint (termination.exit_code, ==, 0);
  launched_clear (&l);
  /* A launch leaves no descriptor behind in the browser. */
  g_assert_cmpuint (count_own_fds (), ==, fds_before);
}

static const char *const inline_attempts[] = {
  "passwd", "home", "tmp", "socket", "connect", "connect-unix", "dgram", "dgram-path", "environ", "maps", "mem",
  "exe-write",
};
static const char *const killing_attempts[] = { "execve", "fork", "ptrace", "kill", "unshare", "reconnect" };

static const BhSandboxCheck *
find_check (GPtrArray *checks, const char *name)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const BhSandboxCheck *check = g_ptr_array_index (checks, i);

      if (g_strcmp0 (check->name, name) == 0)
        return check;
    }
  g_error ("self-test reported nothing for %s", name);
  return NULL;
}

static GPtrArray *
run_self_test (Mode mode)
{
  const char *args[] = { "--type=renderer", "--site=https://example.test", NULL };
  g_autoptr(GError) error = NULL;
  BhLaunchOptions opts;
  GPtrArray *checks;

  bh_launch_options_init (&opts);
  opts.executable = SANDBOX_CHILD_PATH;
  opts.args = args;
  opts.no_sandbox = mode == MODE_NO_SANDBOX;
  checks = bh_launcher_run_self_test (&opts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (checks);
  for (guint i = 0; i < checks->len; i++)
    {
      const BhSandboxCheck *check = g_ptr_array_index (checks, i);
      g_test_message ("%s: %s: %s [%s]", mode_names[mode], check->name, check->detail,
                      check->passed ? "ok" : "NOT BLOCKED");
    }
  return checks;
}

/* Every escape attempt fails in a sandbox with namespaces. */
static void
test_self_test_confined (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) checks = NULL;

  if (!select_mode (mode))
    return;
  checks = run_self_test (mode);

  for (guint i = 0; i < checks->len; i++)
    {
      const BhSandboxCheck *check = g_ptr_array_index (checks, i);
      if (!check->passed)
        g_error ("%s: %s was not blocked: %s", mode_names[mode], check->name, check->detail);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (inline_attempts); i++)
    g_assert_true (g_str_has_prefix (find_check (checks, inline_attempts[i])->detail, "blocked ("));
  for (gsize i = 0; i < G_N_ELEMENTS (killing_attempts); i++)
    g_assert_cmpstr (find_check (checks, killing_attempts[i])->detail, ==, "blocked (killed by SIGSYS)");
  g_assert_cmpstr (find_check (checks, "fds")->detail, ==, "0,1,2,3");
  g_assert_cmpstr (find_check (checks, "dumpable")->detail, ==, "0");
  /* Layer 1 hides the files: they do not exist rather than being refused. */
  g_assert_cmpstr (find_check (checks, "passwd")->detail, ==, "blocked (ENOENT)");
  g_assert_cmpstr (find_check (checks, "environ")->detail, ==, "blocked (ENOENT)");
  g_assert_cmpstr (find_check (checks, "tmp")->detail, ==, "blocked (EPERM)");
  g_assert_cmpstr (find_check (checks, "socket")->detail, ==, "blocked (EPERM)");
}

/* Seccomp alone still refuses writes, sockets, new processes and signals to
 * others; without namespaces to hide files, the filesystem is closed after
 * start-up: opening anything but the fonts kept open fails. */
static void
test_self_test_seccomp_only (gconstpointer data)
{
  static const char *const seccomp_blocks[] = { "tmp", "socket", "connect", "connect-unix", "dgram", "dgram-path",
                                                "exe-write" };
  Mode mode = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) checks = NULL;

  if (!select_mode (mode))
    return;
  checks = run_self_test (mode);

  for (gsize i = 0; i < G_N_ELEMENTS (seccomp_blocks); i++)
    g_assert_cmpstr (find_check (checks, seccomp_blocks[i])->detail, ==, "blocked (EPERM)");
  for (gsize i = 0; i < G_N_ELEMENTS (killing_attempts); i++)
    g_assert_cmpstr (find_check (checks, killing_attempts[i])->detail, ==, "blocked (killed by SIGSYS)");
  g_assert_cmpstr (find_check (checks, "fds")->detail, ==, "0,1,2,3");
  g_assert_cmpstr (find_check (checks, "dumpable")->detail, ==, "0");
  /* The browser is not dumpable: its /proc files are closed to a child of
   * the same user (and, when the browser is root, to one without its
   * capabilities). */
  for (const char *const *name = (const char *const[]) { "environ", "maps", "mem", NULL }; *name != NULL; name++)
    g_assert_true (g_str_has_prefix (find_check (checks, *name)->detail, "blocked ("));
  g_assert_cmpstr (find_check (checks, "passwd")->detail, ==, "blocked (EACCES)");
  g_assert_cmpstr (find_check (checks, "home")->detail, ==, "blocked (EACCES)");
}

/* The control: the same attempts without a sandbox succeed, so the checks
 * above can fail. */
static void
test_self_test_control (void)
{
  static const char *const must_succeed[] = {
    "passwd", "home", "tmp", "socket", "connect", "connect-unix", "dgram", "dgram-path", "execve", "fork", "kill",
  };
  static const char *const browser_files[] = { "environ", "maps", "mem" };
  const char *home = g_getenv ("HOME") != NULL ? g_getenv ("HOME") : "/root";
  g_autoptr(GPtrArray) checks = NULL;

  select_mode (MODE_NO_SANDBOX);
  checks = run_self_test (MODE_NO_SANDBOX);

  for (gsize i = 0; i < G_N_ELEMENTS (must_succeed); i++)
    {
      const BhSandboxCheck *check = find_check (checks, must_succeed[i]);

      /* Nothing to read without a sandbox either. */
      if (g_str_equal (must_succeed[i], "home") && access (home, R_OK | X_OK) != 0)
        continue;

      g_assert_false (check->passed);
      g_assert_true (g_str_has_prefix (check->detail, "ALLOWED"));
    }
  /* The browser's own /proc files: a root child keeps CAP_SYS_PTRACE
   * without a sandbox; any other child is stopped by the browser being not
   * dumpable, the one defence here that needs no sandbox. */
  for (gsize i = 0; i < G_N_ELEMENTS (browser_files); i++)
    {
      const BhSandboxCheck *check = find_check (checks, browser_files[i]);

      if (geteuid () == 0)
        g_assert_cmpstr (check->detail, ==, "ALLOWED");
      else
        g_assert_cmpstr (check->detail, ==, "blocked (EACCES)");
    }
  /* The listeners saw the connections. */
  g_assert_cmpstr (find_check (checks, "connect")->detail, ==, "ALLOWED (the loopback listener accepted a connection)");
  g_assert_cmpstr (find_check (checks, "dgram")->detail, ==, "ALLOWED (the abstract unix socket received the datagram)");
  /* The fd rule holds without a sandbox too: it is the launcher's. */
  g_assert_cmpstr (find_check (checks, "fds")->detail, ==, "0,1,2,3");
}

/* A descriptor the browser leaked (no O_CLOEXEC) still does not reach the child. */
static void
test_no_fd_leak (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char *args[] = { "--type=renderer", "--sandbox-self-test=fds", NULL };
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  BhLaunchOptions opts;
  int leaked, leaked_high;

  if (!select_mode (mode))
    return;
  /* Deliberately without O_CLOEXEC: one low (often 3 itself), one high. */
  leaked = open ("/dev/null", O_RDONLY);
  leaked_high = fcntl (leaked, F_DUPFD, 100);
  g_assert_cmpint (leaked_high, >=, 100);

  bh_launch_options_init (&opts);
  opts.executable = SANDBOX_CHILD_PATH;
  opts.args = args;
  opts.no_sandbox = mode == MODE_NO_SANDBOX;
  checks = bh_launcher_run_self_test (&opts, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (find_check (checks, "fds")->detail, ==, "0,1,2,3");
  close (leaked);
  close (leaked_high);
}

/* Crashes read as crashes through whatever was reaped: a fault and an
 * abort(), neither mistaken for running out of memory. */
static void
test_crash (gconstpointer data)
{
  static const struct {
    const char *mode;
    int signal_number;
    const char *text;
  } crashes[] = {
    { "segv", SIGSEGV, "crashed with signal 11 (SIGSEGV)" },
    { "abort", SIGABRT, "crashed with signal 6 (SIGABRT)" },
  };
  Mode mode = GPOINTER_TO_INT (data);

  if (!select_mode (mode))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (crashes); i++)
    {
      Launched l = { NULL, -1, -1 };
      BhTermination termination;
      g_autofree char *text = NULL;

      launch (mode, crashes[i].mode, BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
      termination = reap (&l);
      text = bh_termination_to_string (&termination);
      g_assert_cmpint (termination.kind, ==, BH_TERMINATION_CRASHED);
      g_assert_cmpint (termination.signal_number, ==, crashes[i].signal_number);
      g_assert_cmpstr (text, ==, crashes[i].text);
      launched_clear (&l);
    }
}

/* The browser kills the pid the launcher reported; the reaped status says so. */
static void
test_killed (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  static const int signals[] = { SIGKILL, SIGTERM };

  if (!select_mode (mode))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      Launched l = { NULL, -1, -1 };
      g_autofree char *ready = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;
      BhTermination termination;

      launch (mode, "wait", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
      ready = read_line (l.stdout_fd);
      g_assert_cmpstr (ready, ==, "ready");
      g_assert_no_errno (kill (bh_child_process_get_pid (l.child), signals[i]));
      termination = reap (&l);
      text = bh_termination_to_string (&termination);
      expected = g_strdup_printf ("killed by signal %d (SIG%s)", signals[i], sigabbrev_np (signals[i]));
      g_assert_cmpint (termination.kind, ==, BH_TERMINATION_KILLED);
      g_assert_cmpint (termination.signal_number, ==, signals[i]);
      g_assert_cmpstr (text, ==, expected);
      launched_clear (&l);
    }
}

/* Beyond its RLIMIT_AS a child exits with BH_EXIT_CODE_OUT_OF_MEMORY, whether
 * the failing allocation is large, tiny, or unchecked (a NULL dereference
 * near the limit); a memfd filled past the limit without a mapping ends it
 * too (SIGXFSZ, or the cgroup's OOM killer); without the limit the same work
 * succeeds. */
static void
test_out_of_memory (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  static const char *const hogs[] = { "alloc:1024", "alloc-small:1024", "alloc-raw:1024", "memfd:1024" };

  if (!select_mode (mode))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (hogs); i++)
    {
      Launched l = { NULL, -1, -1 };
      BhTermination termination;
      g_autofree char *text = NULL;

      launch (mode, hogs[i], 256, NULL, &l);
      termination = reap (&l);
      text = bh_termination_to_string (&termination);
      g_test_message ("%s with RLIMIT_AS 256 MiB: %s", hogs[i], text);
      g_assert_cmpint (termination.kind, ==, BH_TERMINATION_OUT_OF_MEMORY);
      if (!g_str_has_prefix (hogs[i], "memfd:"))
        g_assert_cmpint (termination.exit_code, ==, BH_EXIT_CODE_OUT_OF_MEMORY);
      g_assert_cmpstr (text, ==, "out of memory");
      launched_clear (&l);
    }

  {
    Launched l = { NULL, -1, -1 };
    g_autofree char *line = NULL;
    BhTermination termination;

    launch (mode, "alloc:300", 0, NULL, &l);
    line = read_line (l.stdout_fd);
    termination = reap (&l);
    g_assert_cmpstr (line, ==, "alloc: ok");
    g_assert_cmpint (termination.kind, ==, BH_TERMINATION_NORMAL);
    launched_clear (&l);
  }
}

/* Where the browser can give each child a cgroup v2 of its own, its
 * memory.max is the limit, and shared memory spread over many memfds (none
 * of them near RLIMIT_FSIZE) reaches it: the OOM killer ends the child, and
 * the termination reads as out of memory. */
static void
test_memory_cgroup (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const BhLauncherMemoryProbe *memory;
  Launched l = { NULL, -1, -1 };
  g_autofree char *ready = NULL;
  BhTermination termination;

  if (!select_mode (mode))
    return;
  memory = bh_launcher_probe_memory ();
  if (memory->cgroup_parent == NULL)
    {
      g_test_skip_printf ("no per-child cgroup here, the resource limits alone apply: %s", memory->cause);
      return;
    }
  launch (mode, "wait", 256, NULL, &l);
  ready = read_line (l.stdout_fd);
  g_assert_cmpstr (ready, ==, "ready");
  {
    BhSandboxStatus status;

    g_assert_true (bh_sandbox_status_read ((guint) bh_child_process_get_pid (l.child), &status, NULL));
    g_assert_cmpuint (status.memory_max_bytes, ==, (guint64) 256 << 20);
  }
  close (l.ipc);
  l.ipc = -1;
  g_assert_cmpint (reap (&l).kind, ==, BH_TERMINATION_NORMAL);
  launched_clear (&l);

  launch (mode, "memfds:1024", 256, NULL, &l);
  termination = reap (&l);
  g_assert_cmpint (termination.kind, ==, BH_TERMINATION_OUT_OF_MEMORY);
  launched_clear (&l);
}

/* Landlock holds from the child's first instruction, before its own
 * seccomp filter: at start-up it may read a font, not /etc/passwd nor the
 * home directory. Without Landlock, start-up reads are the user's. */
static void
test_landlock (gconstpointer data)
{
  static const char *const targets[] = { "/etc/passwd", "/usr/share/fonts", "/etc/fonts/fonts.conf" };
  Mode mode = GPOINTER_TO_INT (data);

  if (!select_mode (mode))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *child_mode = g_strdup_printf ("read-early:%s", targets[i]);
      g_autofree char *line = NULL;
      Launched l = { NULL, -1, -1 };
      const char *expected;

      if (access (targets[i], R_OK) != 0)
        continue;
      launch (mode, child_mode, BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
      line = read_line (l.stdout_fd);
      g_test_message ("%s: %s: %s", mode_names[mode], targets[i], line);
      expected = mode == MODE_SECCOMP_LANDLOCK && g_str_equal (targets[i], "/etc/passwd") ? "read-early: EACCES"
                                                                                           : "read-early: ok";
      g_assert_cmpstr (line, ==, expected);
      g_assert_cmpint (reap (&l).kind, ==, BH_TERMINATION_NORMAL);
      launched_clear (&l);
    }
}

/* What a renderer does after start-up works under the filter: a violation
 * would kill the child with SIGSYS. */
static void
test_renderer_work (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  Launched l = { NULL, -1, -1 };
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  BhTermination termination;

  if (!select_mode (mode))
    return;
  launch (mode, "work", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
  line = read_line (l.stdout_fd);
  termination = reap (&l);
  text = bh_termination_to_string (&termination);
  g_test_message ("%s: work: %s, %s", mode_names[mode], line ? line : "(nothing)", text);
  g_assert_cmpstr (line, ==, "work: ok");
  g_assert_cmpint (termination.kind, ==, BH_TERMINATION_NORMAL);
  launched_clear (&l);
}

/* --renderer-cmd-prefix runs before the child, inside the sandbox. */
static void
test_cmd_prefix (gconstpointer data)
{
  Mode mode = GPOINTER_TO_INT (data);
  const char *prefix[] = { "env", "BULKHEAD_PREFIX_SEEN=yes", NULL };
  Launched l = { NULL, -1, -1 };
  g_autofree char *line = NULL;

  if (!select_mode (mode))
    return;
  launch (mode, "getenv:BULKHEAD_PREFIX_SEEN", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, prefix, &l);
  line = read_line (l.stdout_fd);
  g_assert_cmpstr (line, ==, "yes");
  g_assert_cmpint (reap (&l).kind, ==, BH_TERMINATION_NORMAL);
  launched_clear (&l);
}

static void
test_launch_failure (void)
{
  g_autoptr(BhChildProcess) child = NULL;
  g_autoptr(GError) error = NULL;
  BhLaunchOptions opts;

  bh_launch_options_init (&opts);
  opts.executable = "/nonexistent/renderer";
  g_assert_false (bh_launcher_spawn (&opts, &child, &error));
  g_assert_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_EXEC);
  g_assert_null (child);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Spawn to the child's first byte on fd 3, per mode (run with -m perf). */
static void
test_benchmark_spawn (void)
{
  const Mode modes[] = { MODE_NO_SANDBOX, MODE_SECCOMP_ONLY, MODE_SECCOMP_LANDLOCK, MODE_CLONE, MODE_BUBBLEWRAP };
  const guint runs = 20;

  if (!g_test_perf ())
    {
      g_test_skip ("benchmark: run with -m perf");
      return;
    }
  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

      gint64 probe_start = g_get_monotonic_time ();
      double spawn_ms = 0;

      if (!select_mode (modes[m]))
        continue;
      g_test_message ("%s: probe (once per browser): %.2f ms", mode_names[modes[m]],
                      (double) (g_get_monotonic_time () - probe_start) / 1000.0);
      for (guint r = 0; r < runs; r++)
        {
          Launched l = { NULL, -1, -1 };
          gint64 start = g_get_monotonic_time ();
          double ms;
          char byte;

          launch (modes[m], "hello", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
          spawn_ms += (double) (g_get_monotonic_time () - start) / 1000.0;
          g_assert_cmpint (read (l.ipc, &byte, 1), ==, 1);
          ms = (double) (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);
          close (l.ipc);
          l.ipc = -1;
          reap (&l);
          launched_clear (&l);
        }
      g_array_sort (times, compare_doubles);
      {
        double sum = 0;

        for (guint r = 0; r < times->len; r++)
          sum += g_array_index (times, double, r);
        g_test_minimized_result (g_array_index (times, double, times->len / 2),
                                 "%s: spawn to first message: median %.2f ms, mean %.2f, min %.2f, max %.2f (%u runs)",
                                 mode_names[modes[m]], g_array_index (times, double, times->len / 2),
                                 sum / times->len, g_array_index (times, double, 0),
                                 g_array_index (times, double, times->len - 1), runs);
        g_test_message ("%s: of which bh_launcher_spawn() itself: mean %.2f ms", mode_names[modes[m]],
                        spawn_ms / runs);
      }
    }
}

/* Run as `test-sandbox --degraded-check` inside a user namespace whose
 * max_user_namespaces is 0: the launcher must fall back to seccomp only, say
 * why, and still start a confined child. Prints what it found; exits 0 when
 * all of it holds. */
static int
degraded_check (void)
{
  const BhLauncherProbe *probe = bh_launcher_probe ();
  g_autofree char *line = bh_launcher_probe_describe (probe);
  g_autofree char *summary = NULL;
  g_autofree char *ready = NULL;
  Launched l = { NULL, -1, -1 };
  BhSandboxStatus status;

  g_print ("%s\n", line);
  if (probe->namespaces != BH_LAUNCHER_NAMESPACES_NONE)
    return 1;
  launch (MODE_SECCOMP_ONLY, "wait", BH_LAUNCHER_DEFAULT_MEMORY_LIMIT_MB, NULL, &l);
  ready = read_line (l.stdout_fd);
  summary = bh_child_process_describe_sandbox (l.child, &status);
  g_print ("child: %s\n", summary);
  close (l.ipc);
  l.ipc = -1;
  if (g_strcmp0 (ready, "ready") != 0 || status.seccomp_mode != 2 || status.namespaces != 0 ||
      reap (&l).kind != BH_TERMINATION_NORMAL)
    return 1;
  launched_clear (&l);
  return 0;
}

/* Where user namespaces are refused, children still start, with seccomp,
 * and the cause and fix are named. */
static void
test_degraded_no_user_namespaces (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;
  const char *argv[] = {
    unshare, "--user", "--map-root-user", "sh", "-c",
    "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" --degraded-check", self, NULL
  };

  if (unshare == NULL)
    {
      g_test_skip ("unshare(1) is not installed");
      return;
    }
  /* The real probe, not one forced by an earlier test. */
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_NAMESPACES");
  g_unsetenv ("BULKHEAD_SANDBOX_TEST_NO_BWRAP");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  if (strstr (err, "unshare failed") != NULL)
    {
      g_test_skip ("this machine refuses user namespaces to the test itself");
      return;
    }
  if (bh_landlock_probe (NULL) > 0)
    {
      /* Landlock stands in for the namespaces. */
      g_assert_nonnull (strstr (out, "sandbox: seccomp + Landlock ABI "));
      g_assert_nonnull (strstr (out, " (no namespaces: user namespaces are not available: "
                                     "/proc/sys/user/max_user_namespaces is 0. Fix: "));
      g_assert_nonnull (strstr (out, "child: seccomp + Landlock: user namespaces are not available"));
    }
  else
    {
      g_assert_nonnull (strstr (out, "sandbox: seccomp only: user namespaces are not available: "
                                     "/proc/sys/user/max_user_namespaces is 0. Fix: "));
      g_assert_nonnull (strstr (out, "child: seccomp only: user namespaces are not available"));
    }
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* Run as root, the suite runs once more as nobody (setpriv(1)): an
 * unprivileged browser is the common case, and some defences (the browser
 * not being dumpable) only show there, since a root browser is also
 * protected by holding capabilities its children lack. */
static void
test_unprivileged (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;
  const char *argv[] = {
    setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--", self,
    "-s", "/sandbox/unprivileged", "-s", "/sandbox/benchmark/spawn", NULL
  };

  if (geteuid () != 0)
    {
      g_test_skip_printf ("the suite already runs unprivileged (uid %u)", (guint) geteuid ());
      return;
    }
  if (setpriv == NULL)
    {
      g_test_skip ("setpriv(1) is not installed: the suite ran as root only");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("as uid 65534:\n%s%s", out, err);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("the sandbox suite failed as uid 65534:\n%s%s", out, err);
  /* Every test ran, none failed (the skips say why in the messages). */
  g_assert_null (strstr (out, "not ok"));
}

int
main (int argc, char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "--degraded-check"))
    return degraded_check ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/probe", test_probe);
  g_test_add_func ("/sandbox/probe/forced-seccomp-only", test_forced_seccomp_only_probe);
  g_test_add_func ("/sandbox/launch-failure", test_launch_failure);
  g_test_add_func ("/sandbox/degraded/no-user-namespaces", test_degraded_no_user_namespaces);

  for (int mode = MODE_BUBBLEWRAP; mode <= MODE_NO_SANDBOX; mode++)
    {
      g_autofree char *status = g_strdup_printf ("/sandbox/%s/status", mode_names[mode]);
      g_autofree char *fds = g_strdup_printf ("/sandbox/%s/no-fd-leak", mode_names[mode]);
      g_autofree char *crash = g_strdup_printf ("/sandbox/%s/termination/crash", mode_names[mode]);
      g_autofree char *killed = g_strdup_printf ("/sandbox/%s/termination/killed", mode_names[mode]);
      g_autofree char *oom = g_strdup_printf ("/sandbox/%s/termination/out-of-memory", mode_names[mode]);
      g_autofree char *work = g_strdup_printf ("/sandbox/%s/renderer-work", mode_names[mode]);
      g_autofree char *prefix = g_strdup_printf ("/sandbox/%s/cmd-prefix", mode_names[mode]);
      g_autofree char *cgroup = g_strdup_printf ("/sandbox/%s/termination/memory-cgroup", mode_names[mode]);

      g_test_add_data_func (status, GINT_TO_POINTER (mode), test_status);
      g_test_add_data_func (fds, GINT_TO_POINTER (mode), test_no_fd_leak);
      g_test_add_data_func (crash, GINT_TO_POINTER (mode), test_crash);
      g_test_add_data_func (killed, GINT_TO_POINTER (mode), test_killed);
      g_test_add_data_func (oom, GINT_TO_POINTER (mode), test_out_of_memory);
      g_test_add_data_func (work, GINT_TO_POINTER (mode), test_renderer_work);
      g_test_add_data_func (prefix, GINT_TO_POINTER (mode), test_cmd_prefix);
      g_test_add_data_func (cgroup, GINT_TO_POINTER (mode), test_memory_cgroup);
    }
  g_test_add_data_func ("/sandbox/bubblewrap/self-test", GINT_TO_POINTER (MODE_BUBBLEWRAP), test_self_test_confined);
  g_test_add_data_func ("/sandbox/clone/self-test", GINT_TO_POINTER (MODE_CLONE), test_self_test_confined);
  g_test_add_data_func ("/sandbox/seccomp-only/self-test", GINT_TO_POINTER (MODE_SECCOMP_ONLY),
                        test_self_test_seccomp_only);
  g_test_add_data_func ("/sandbox/seccomp-landlock/self-test", GINT_TO_POINTER (MODE_SECCOMP_LANDLOCK),
                        test_self_test_seccomp_only);
  g_test_add_data_func ("/sandbox/seccomp-only/landlock", GINT_TO_POINTER (MODE_SECCOMP_ONLY), test_landlock);
  g_test_add_data_func ("/sandbox/seccomp-landlock/landlock", GINT_TO_POINTER (MODE_SECCOMP_LANDLOCK),
                        test_landlock);
  g_test_add_func ("/sandbox/no-sandbox/self-test-control", test_self_test_control);
  g_test_add_func ("/sandbox/benchmark/spawn", test_benchmark_spawn);
  g_test_add_func ("/sandbox/unprivileged", test_unprivileged);

  return g_test_run ();
}
