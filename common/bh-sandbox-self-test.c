/* bh-sandbox-self-test.c: a child's attempts to break out of the sandbox it
 * is in, one line of report per attempt (--sandbox-self-test). The browser's
 * side, which starts the children and reads the reports, is
 * bh_launcher_run_self_test() (browser/bh-launcher.h).
 */
#include "bh-sandbox-self-test.h"

#include "bh-sandbox-fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>


/* Each attempt returns 0 when it got through, or the errno that stopped it. */
typedef int (*AttemptFunc) (const char *arg, guint browser_pid, int out_fd);

static int
errno_or (int fallback)
{
  return errno != 0 ? errno : fallback;
}

static int
read_one_byte (const char *path)
{
  char c;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  int result = 0;

  if (fd < 0)
    return errno_or (EIO);
  if (read (fd, &c, 1) != 1)
    result = errno_or (EIO);
  close (fd);
  return result;
}

static int
attempt_passwd (const char *arg, guint browser_pid, int out_fd)
{
  return read_one_byte ("/etc/passwd");
}

static int
attempt_home (const char *arg, guint browser_pid, int out_fd)
{
  const char *home = g_getenv ("HOME");
  DIR *dir;
  struct dirent *entry;
  int result = ENOENT;

  if (home == NULL || home[0] == '\0')
    home = "/root";
  dir = opendir (home);
  if (dir == NULL)
    return errno_or (EIO);
  errno = 0;
  while ((entry = readdir (dir)) != NULL)
    if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
      {
        result = 0;
        break;
      }
  if (entry == NULL && errno != 0)
    result = errno;
  closedir (dir);
  /* An empty home that could be listed still counts as reachable. */
  return result == ENOENT ? 0 : result;
}

static int
attempt_tmp (const char *arg, guint browser_pid, int out_fd)
{
  g_autofree char *path = g_strdup_printf ("/tmp/bulkhead-self-test-%d", (int) getpid ());
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    return errno_or (EIO);
  close (fd);
  unlink (path);
  return 0;
}

static int
attempt_socket (const char *arg, guint browser_pid, int out_fd)
{
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return errno_or (EIO);
  close (fd);
  return 0;
}

static int
attempt_connect (const char *arg, guint browser_pid, int out_fd)
{
  struct sockaddr_in addr = { 0 };
  guint64 port = 0;
  int fd, result = 0;

  if (arg == NULL || !g_ascii_string_to_unsigned (arg, 10, 1, 65535, &port, NULL))
    return EINVAL;
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno_or (EIO);
  addr.sin_family = AF_INET;
  addr.sin_port = htons ((guint16) port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    result = errno_or (EIO);
  close (fd);
  return result;
}

static socklen_t
abstract_address (const char *name, struct sockaddr_un *addr)
{
  gsize len = MIN (strlen (name), sizeof addr->sun_path - 1);

  memset (addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  memcpy (addr->sun_path + 1, name, len);
  return (socklen_t) (offsetof (struct sockaddr_un, sun_path) + 1 + len);
}

static int
attempt_connect_unix (const char *arg, guint browser_pid, int out_fd)
{
  struct sockaddr_un addr;
  socklen_t len;
  int fd, result = 0;

  if (arg == NULL || arg[0] == '\0')
    return EINVAL;
  len = abstract_address (arg, &addr);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return errno_or (EIO);
  if (connect (fd, (struct sockaddr *) &addr, len) != 0)
    result = errno_or (EIO);
  close (fd);
  return result;
}

static int
attempt_reconnect (const char *arg, guint browser_pid, int out_fd)
{
  struct sockaddr_un addr;
  socklen_t len = abstract_address (arg != NULL ? arg : "bulkhead-self-test", &addr);

  /* connect() on the one socket the sandbox has: it is already connected, so
   * without a filter this fails with EISCONN; with one, the call kills. */
  if (connect (3, (struct sockaddr *) &addr, len) != 0)
    return errno_or (EIO);
  return 0;
}

/* The target of the attempts aimed at the browser: ARG when given, else
 * the pid from --browser-pid (or our parent). */
static guint
target_pid (const char *arg, guint browser_pid)
{
  guint64 pid;

  if (arg != NULL && g_ascii_string_to_unsigned (arg, 10, 1, G_MAXINT, &pid, NULL))
    return (guint) pid;
  return browser_pid;
}

static int
attempt_environ (const char *arg, guint browser_pid, int out_fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/environ", target_pid (arg, browser_pid));

  return read_one_byte (path);
}

static int
attempt_maps (const char *arg, guint browser_pid, int out_fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/maps", target_pid (arg, browser_pid));

  return read_one_byte (path);
}

/* Opening is the breach: with the fd, a pread() at any mapped address reads
 * the browser's memory. Nothing is read. */
static int
attempt_mem (const char *arg, guint browser_pid, int out_fd)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/mem", target_pid (arg, browser_pid));
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return errno_or (EIO);
  close (fd);
  return 0;
}

/* A datagram to a unix socket outside the sandbox: a fresh datagram
 * socketpair is unconnected enough for sendmsg() to take an address. */
static int
send_datagram (const struct sockaddr_un *addr, socklen_t len)
{
  char byte = 'x';
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { 0 };
  int sv[2], result = 0;

  if (socketpair (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0)
    return errno_or (EIO);
  msg.msg_name = (void *) addr;
  msg.msg_namelen = len;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (sendmsg (sv[0], &msg, MSG_DONTWAIT | MSG_NOSIGNAL) != 1)
    result = errno_or (EIO);
  close (sv[0]);
  close (sv[1]);
  return result;
}

static int
attempt_dgram (const char *arg, guint browser_pid, int out_fd)
{
  struct sockaddr_un addr;
  socklen_t len;

  if (arg == NULL || arg[0] == '\0')
    return EINVAL;
  len = abstract_address (arg, &addr);
  return send_datagram (&addr, len);
}

static int
attempt_dgram_path (const char *arg, guint browser_pid, int out_fd)
{
  struct sockaddr_un addr = { 0 };

  if (arg == NULL || arg[0] != '/' || strlen (arg) >= sizeof addr.sun_path)
    return EINVAL;
  addr.sun_family = AF_UNIX;
  memcpy (addr.sun_path, arg, strlen (arg));
  return send_datagram (&addr, (socklen_t) sizeof addr);
}

static int
attempt_exe_write (const char *arg, guint browser_pid, int out_fd)
{
  int fd = open ("/proc/self/exe", O_WRONLY | O_CLOEXEC);

  if (fd < 0)
    return errno_or (EIO);
  close (fd);
  return 0;
}

static int
attempt_execve (const char *arg, guint browser_pid, int out_fd)
{
  char *const argv[] = { (char *) "sh", (char *) "-c", (char *) "echo 'execve: ALLOWED'", NULL };

  /* If it runs, the shell writes the verdict to stdout: make that out_fd. */
  if (out_fd != STDOUT_FILENO)
    dup2 (out_fd, STDOUT_FILENO);
  execve ("/bin/sh", argv, environ);
  return errno_or (EIO);
}

static int
attempt_fork (const char *arg, guint browser_pid, int out_fd)
{
  pid_t pid = fork ();
  int status;

  if (pid < 0)
    return errno_or (EIO);
  if (pid == 0)
    _exit (0);
  waitpid (pid, &status, 0);
  return 0;
}

static int
attempt_ptrace (const char *arg, guint browser_pid, int out_fd)
{
  /* PTRACE_SEIZE does not stop the browser; the tracee is let go when this
   * process exits. */
  if (ptrace (PTRACE_SEIZE, (pid_t) target_pid (arg, browser_pid), NULL, NULL) != 0)
    return errno_or (EIO);
  return 0;
}

static int
attempt_kill (const char *arg, guint browser_pid, int out_fd)
{
  if (kill ((pid_t) target_pid (arg, browser_pid), 0) != 0)
    return errno_or (EIO);
  return 0;
}

static int
attempt_unshare (const char *arg, guint browser_pid, int out_fd)
{
  if (unshare (CLONE_NEWUSER) != 0)
    return errno_or (EIO);
  return 0;
}

static void
write_line (int fd, const char *line)
{
  gsize len = strlen (line);

  while (len > 0)
    {
      ssize_t n = write (fd, line, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      line += n;
      len -= (gsize) n;
    }
}

static gboolean
report_fds (int out_fd)
{
  g_autoptr(GString) line = g_string_new ("fds: ");
  DIR *dir = opendir ("/proc/self/fd");
  gboolean only_std = TRUE;
  GArray *fds = g_array_new (FALSE, FALSE, sizeof (int));

  if (dir != NULL)
    {
      struct dirent *entry;
      int own = dirfd (dir);

      while ((entry = readdir (dir)) != NULL)
        {
          guint64 fd;

          if (g_ascii_string_to_unsigned (entry->d_name, 10, 0, G_MAXINT, &fd, NULL) && (int) fd != own &&
              !bh_sandbox_is_kept_fd ((int) fd))
            {
              int value = (int) fd;
              g_array_append_val (fds, value);
            }
        }
      closedir (dir);
    }
  else
    {
      /* No /proc (or a closed filesystem): ask the kernel about each
       * plausible descriptor. */
      for (int fd = 0; fd < 4096; fd++)
        if (fcntl (fd, F_GETFD) != -1 && !bh_sandbox_is_kept_fd (fd))
          g_array_append_val (fds, fd);
    }

  for (guint i = 0; i < fds->len; i++)
    {
      int fd = g_array_index (fds, int, i);

      g_string_append_printf (line, "%s%d", i > 0 ? "," : "", fd);
      if (fd > 3)
        only_std = FALSE;
    }
  g_array_unref (fds);
  g_string_append_c (line, '\n');
  write_line (out_fd, line->str);
  return only_std;
}

static void
report_dumpable (int out_fd)
{
  g_autofree char *line = g_strdup_printf ("dumpable: %d\n", prctl (PR_GET_DUMPABLE, 0, 0, 0, 0));

  write_line (out_fd, line);
}

typedef struct {
  const char *name;
  AttemptFunc func;
  gboolean inline_safe; /* FALSE: the sandbox kills the process for it */
  gboolean needs_arg;   /* a target the caller must name: not part of "inline" */
} Attempt;

static const Attempt attempts[] = {
  { "passwd", attempt_passwd, TRUE, FALSE },
  { "home", attempt_home, TRUE, FALSE },
  { "tmp", attempt_tmp, TRUE, FALSE },
  { "socket", attempt_socket, TRUE, FALSE },
  { "connect", attempt_connect, TRUE, TRUE },
  { "connect-unix", attempt_connect_unix, TRUE, TRUE },
  { "dgram", attempt_dgram, TRUE, TRUE },
  { "dgram-path", attempt_dgram_path, TRUE, TRUE },
  { "environ", attempt_environ, TRUE, FALSE },
  { "maps", attempt_maps, TRUE, FALSE },
  { "mem", attempt_mem, TRUE, FALSE },
  { "exe-write", attempt_exe_write, TRUE, FALSE },
  { "execve", attempt_execve, FALSE, FALSE },
  { "fork", attempt_fork, FALSE, FALSE },
  { "ptrace", attempt_ptrace, FALSE, FALSE },
  { "kill", attempt_kill, FALSE, FALSE },
  { "unshare", attempt_unshare, FALSE, FALSE },
  { "reconnect", attempt_reconnect, FALSE, FALSE },
};

/* TRUE when @items names @what, with or without an argument. */
static gboolean
names_attempt (char **items, const char *what)
{
  gsize len = strlen (what);

  for (guint i = 0; items[i] != NULL; i++)
    if (strncmp (items[i], what, len) == 0 && (items[i][len] == '\0' || items[i][len] == ':'))
      return TRUE;
  return FALSE;
}

int
bh_sandbox_self_test (const char *which, guint browser_pid, int out_fd)
{
  g_auto(GStrv) items = NULL;
  int exit_code = 0;

  g_return_val_if_fail (out_fd >= 0, 2);

  if (browser_pid == 0)
    browser_pid = (guint) getppid ();
  if (which == NULL || which[0] == '\0')
    which = "inline";
  items = g_strsplit (which, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) name_arg = g_strsplit (items[i], ":", 2);
      const char *name = name_arg[0];
      const char *arg = name_arg[0] != NULL ? name_arg[1] : NULL;
      gboolean known = FALSE;

      if (g_strcmp0 (name, "inline") == 0 || g_strcmp0 (name, "fds") == 0)
        {
          if (!report_fds (out_fd))
            exit_code = MAX (exit_code, 1);
          known = TRUE;
        }
      if (g_strcmp0 (name, "inline") == 0 || g_strcmp0 (name, "dumpable") == 0)
        {
          if (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
            exit_code = MAX (exit_code, 1);
          report_dumpable (out_fd);
          known = TRUE;
        }

      for (gsize a = 0; a < G_N_ELEMENTS (attempts); a++)
        {
          const char *what = attempts[a].name;
          g_autofree char *line = NULL;
          int result;

          if (g_strcmp0 (name, "inline") == 0)
            {
              /* The attempts that need a target run when named, as does
               * any attempt the list names with its own argument. */
              if (!attempts[a].inline_safe || attempts[a].needs_arg || names_attempt (items, what))
                continue;
            }
          else if (g_strcmp0 (name, what) != 0)
            continue;
          known = TRUE;

          errno = 0;
          result = attempts[a].func (arg, browser_pid, out_fd);
          if (result == 0)
            {
              line = g_strdup_printf ("%s: ALLOWED\n", what);
              exit_code = MAX (exit_code, 1);
            }
          else
            {
              const char *errname = strerrorname_np (result);
              line = g_strdup_printf ("%s: blocked (%s)\n", what, errname != NULL ? errname : "?");
            }
          write_line (out_fd, line);
        }

      if (!known)
        {
          g_autofree char *line = g_strdup_printf ("%s: unknown attempt\n", items[i]);
          write_line (out_fd, line);
          exit_code = 2;
        }
    }

  return exit_code;
}
