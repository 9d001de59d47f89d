/* bh-launcher-self-test.c: the browser's side of --sandbox-self-test: one
 * child per attempt that gets killed, listeners for the attempts that reach
 * out, and the reports read back into checks. */
#include "bh-launcher-self-test.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-launcher-private.h"

/* How long the self-test waits for one child. */
#define SELF_TEST_TIMEOUT_MS 10000

void
bh_sandbox_check_free (BhSandboxCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->name);
  g_free (check->detail);
  g_free (check);
}

static BhSandboxCheck *
check_new (const char *name, gboolean passed, const char *detail)
{
  BhSandboxCheck *check = g_new0 (BhSandboxCheck, 1);

  check->name = g_strdup (name);
  check->passed = passed;
  check->detail = g_strdup (detail);
  return check;
}

/* Starts the child with --sandbox-self-test=@what and collects its stdout and
 * how it ended. */
static gboolean
run_self_test_child (const BhLaunchOptions *base, const char *what, char **out_text,
                     BhTermination *out_termination, GError **error)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BhChildProcess) child = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  BhLaunchOptions opts = *base;
  int ipc[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
  gint64 deadline;
  int wait_status;
  gboolean ok = FALSE;

  for (guint i = 0; base->args != NULL && base->args[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (base->args[i]));
  g_ptr_array_add (args, g_strdup_printf ("--sandbox-self-test=%s", what));
  g_ptr_array_add (args, NULL);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ipc) != 0 || pipe2 (out_pipe, O_CLOEXEC) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "self-test pipes: %s", g_strerror (saved_errno));
      goto out;
    }
  opts.args = (const char * const *) args->pdata;
  opts.ipc_fd = ipc[1];
  opts.stdout_fd = out_pipe[1];
  if (!bh_launcher_spawn (&opts, &child, error))
    goto out;
  bh_launcher_close_fd (&ipc[1]);
  bh_launcher_close_fd (&out_pipe[1]);

  deadline = g_get_monotonic_time () + (gint64) SELF_TEST_TIMEOUT_MS * 1000;
  for (;;)
    {
      GPollFD pfd = { out_pipe[0], G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      char buf[1024];
      ssize_t n;

      if (left_ms <= 0)
        {
          g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED,
                       "self-test %s did not finish within %d ms", what, SELF_TEST_TIMEOUT_MS);
          kill (bh_child_process_get_pid (child), SIGKILL);
          bh_launcher_kill_and_reap (bh_child_process_get_reap_pid (child));
          goto out;
        }
      if (g_poll (&pfd, 1, (int) left_ms) == 0)
        continue;
      n = read (out_pipe[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (text, buf, n);
    }

  while (waitpid (bh_child_process_get_reap_pid (child), &wait_status, 0) < 0 && errno == EINTR)
    ;
  bh_child_process_decode_wait_status (child, wait_status, out_termination);
  *out_text = g_string_free (g_steal_pointer (&text), FALSE);
  ok = TRUE;

out:
  bh_launcher_close_fd (&ipc[0]);
  bh_launcher_close_fd (&ipc[1]);
  bh_launcher_close_fd (&out_pipe[0]);
  bh_launcher_close_fd (&out_pipe[1]);
  return ok;
}

/* Parses "name: detail" lines into checks. */
static void
add_checks_from_report (GPtrArray *checks, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], ": ");
      g_autofree char *name = NULL;
      const char *detail;

      if (colon == NULL)
        continue;
      name = g_strndup (lines[i], (gsize) (colon - lines[i]));
      detail = colon + 2;
      if (strcmp (name, "fds") == 0)
        g_ptr_array_add (checks, check_new (name, strcmp (detail, "0,1,2,3") == 0, detail));
      else if (strcmp (name, "dumpable") == 0)
        g_ptr_array_add (checks, check_new (name, strcmp (detail, "0") == 0, detail));
      else
        g_ptr_array_add (checks, check_new (name, g_str_has_prefix (detail, "blocked"), detail));
    }
}

static BhSandboxCheck *
find_check (GPtrArray *checks, const char *name)
{
  for (guint i = 0; i < checks->len; i++)
    {
      BhSandboxCheck *check = g_ptr_array_index (checks, i);

      if (strcmp (check->name, name) == 0)
        return check;
    }
  return NULL;
}

/* TRUE when someone connected to @listener (non-blocking). */
static gboolean
listener_was_reached (int listener)
{
  int fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

/* TRUE when a datagram reached @socket (non-blocking). */
static gboolean
datagram_arrived (int socket)
{
  char byte;

  return recv (socket, &byte, 1, MSG_DONTWAIT) >= 0;
}

/* Marks @name as an escape, whatever the child reported. */
static void
fail_check (GPtrArray *checks, const char *name, const char *detail)
{
  BhSandboxCheck *check = find_check (checks, name);

  if (check == NULL)
    return;
  check->passed = FALSE;
  g_free (check->detail);
  check->detail = g_strdup (detail);
}

/* A socket bound to @addr (an abstract name or a path), or -1. */
static int
bound_socket (int type, const struct sockaddr_un *addr, socklen_t len)
{
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  if (fd < 0)
    return -1;
  if (bind (fd, (const struct sockaddr *) addr, len) != 0 || (type == SOCK_STREAM && listen (fd, 8) != 0))
    {
      int saved_errno = errno;
      close (fd);
      errno = saved_errno;
      return -1;
    }
  return fd;
}

static socklen_t
abstract_address (const char *name, struct sockaddr_un *addr)
{
  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  memcpy (addr->sun_path + 1, name, MIN (strlen (name), sizeof addr->sun_path - 2));
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + MIN (strlen (name), sizeof addr->sun_path - 2));
}

GPtrArray *
bh_launcher_run_self_test (const BhLaunchOptions *opts, GError **error)
{
  static const char *const killing_attempts[] = { "execve", "fork", "ptrace", "kill", "unshare", "reconnect" };
  int browser_pid = (int) getpid ();
  static gint counter;
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_sandbox_check_free);
  guint run = (guint) g_atomic_int_add (&counter, 1);
  g_autofree char *unix_name = g_strdup_printf ("bulkhead-self-test-%d-%u", browser_pid, run);
  g_autofree char *reconnect_name = g_strdup_printf ("bulkhead-self-test-%d-%u-re", browser_pid, run);
  g_autofree char *dgram_name = g_strdup_printf ("bulkhead-self-test-%d-%u-dgram", browser_pid, run);
  g_autofree char *dgram_dir = NULL;
  g_autofree char *dgram_path = NULL;
  g_autofree char *inline_what = NULL;
  g_autofree char *text = NULL;
  struct sockaddr_in tcp_addr = { 0 };
  struct sockaddr_un addr;
  socklen_t len = sizeof tcp_addr;
  int tcp = -1, unx = -1, reconnect = -1, dgram = -1, dgram_file = -1;
  BhTermination termination;
  GPtrArray *result = NULL;

  g_return_val_if_fail (opts != NULL && opts->executable != NULL, NULL);

  /* Targets for the connect and datagram attempts: a loopback TCP port,
   * abstract unix sockets (reachable from anywhere in our network
   * namespace) and a unix socket file in a directory of its own that any
   * user may reach (the child may run as another user). */
  dgram_dir = g_dir_make_tmp ("bulkhead-self-test-XXXXXX", NULL);
  if (dgram_dir != NULL)
    {
      chmod (dgram_dir, 0755);
      dgram_path = g_build_filename (dgram_dir, "dgram", NULL);
    }
  tcp_addr.sin_family = AF_INET;
  tcp_addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  tcp = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (tcp < 0 || bind (tcp, (struct sockaddr *) &tcp_addr, sizeof tcp_addr) != 0 || listen (tcp, 8) != 0 ||
      getsockname (tcp, (struct sockaddr *) &tcp_addr, &len) != 0)
    goto listeners_failed;
  len = abstract_address (unix_name, &addr);
  if ((unx = bound_socket (SOCK_STREAM, &addr, len)) < 0)
    goto listeners_failed;
  len = abstract_address (reconnect_name, &addr);
  if ((reconnect = bound_socket (SOCK_STREAM, &addr, len)) < 0)
    goto listeners_failed;
  len = abstract_address (dgram_name, &addr);
  if ((dgram = bound_socket (SOCK_DGRAM, &addr, len)) < 0)
    goto listeners_failed;
  if (dgram_path == NULL || strlen (dgram_path) >= sizeof addr.sun_path)
    {
      errno = ENAMETOOLONG;
      goto listeners_failed;
    }
  memset (&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  memcpy (addr.sun_path, dgram_path, strlen (dgram_path));
  if ((dgram_file = bound_socket (SOCK_DGRAM, &addr, sizeof addr)) < 0 || chmod (dgram_path, 0777) != 0)
    goto listeners_failed;

  /* The attempts aimed at the browser name its pid as the browser sees it:
   * the child may not get --browser-pid, and inside a pid namespace the
   * number means nothing, which is the point. */
  inline_what = g_strdup_printf ("inline,environ:%d,maps:%d,mem:%d,connect:%u,connect-unix:%s,dgram:%s,"
                                 "dgram-path:%s",
                                 browser_pid, browser_pid, browser_pid, ntohs (tcp_addr.sin_port), unix_name,
                                 dgram_name, dgram_path);
  if (!run_self_test_child (opts, inline_what, &text, &termination, error))
    goto out;
  add_checks_from_report (checks, text);
  if (termination.kind != BH_TERMINATION_NORMAL && termination.kind != BH_TERMINATION_ABNORMAL)
    {
      g_autofree char *how = bh_termination_to_string (&termination);
      g_autofree char *detail = g_strdup_printf ("the self-test child %s", how);
      g_ptr_array_add (checks, check_new ("inline", FALSE, detail));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (killing_attempts); i++)
    {
      g_autofree char *what = NULL;
      guint before = checks->len;

      if (g_strcmp0 (killing_attempts[i], "reconnect") == 0)
        what = g_strdup_printf ("reconnect:%s", reconnect_name);
      else if (g_strcmp0 (killing_attempts[i], "ptrace") == 0 || g_strcmp0 (killing_attempts[i], "kill") == 0)
        what = g_strdup_printf ("%s:%d", killing_attempts[i], browser_pid);
      else
        what = g_strdup (killing_attempts[i]);

      g_clear_pointer (&text, g_free);
      if (!run_self_test_child (opts, what, &text, &termination, error))
        goto out;
      add_checks_from_report (checks, text);
      if (checks->len == before)
        {
          if (termination.kind == BH_TERMINATION_SANDBOX_VIOLATION)
            g_ptr_array_add (checks, check_new (killing_attempts[i], TRUE, "blocked (killed by SIGSYS)"));
          else
            {
              g_autofree char *how = bh_termination_to_string (&termination);
              g_autofree char *detail = g_strdup_printf ("no report; the child %s", how);
              g_ptr_array_add (checks, check_new (killing_attempts[i], FALSE, detail));
            }
        }
    }

  /* Whatever a child printed, a listener that was reached means it got out. */
  if (listener_was_reached (tcp))
    fail_check (checks, "connect", "ALLOWED (the loopback listener accepted a connection)");
  if (listener_was_reached (unx))
    fail_check (checks, "connect-unix", "ALLOWED (the abstract unix listener accepted a connection)");
  if (listener_was_reached (reconnect))
    fail_check (checks, "reconnect", "ALLOWED (the abstract unix listener accepted a connection)");
  if (datagram_arrived (dgram))
    fail_check (checks, "dgram", "ALLOWED (the abstract unix socket received the datagram)");
  if (datagram_arrived (dgram_file))
    fail_check (checks, "dgram-path", "ALLOWED (the unix socket file received the datagram)");

  result = g_steal_pointer (&checks);
  goto out;

listeners_failed:
  {
    int saved_errno = errno;
    g_set_error (error, BH_LAUNCHER_ERROR, BH_LAUNCHER_ERROR_FAILED, "self-test listeners: %s",
                 g_strerror (saved_errno));
  }
out:
  bh_launcher_close_fd (&tcp);
  bh_launcher_close_fd (&unx);
  bh_launcher_close_fd (&reconnect);
  bh_launcher_close_fd (&dgram);
  bh_launcher_close_fd (&dgram_file);
  if (dgram_path != NULL)
    unlink (dgram_path);
  if (dgram_dir != NULL)
    rmdir (dgram_dir);
  return result;
}
