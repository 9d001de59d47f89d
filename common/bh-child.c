/* bh-child.c: start-up shared by renderers and plugin hosts. */
#include "bh-child.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bh-sandbox-self-test.h"
#include "bh-trace.h"

static gboolean
ipc_debug_cb (const char *name, const char *value, gpointer data, GError **error)
{
  BhChildArgs *args = data;

  g_free (args->ipc_debug);
  args->ipc_debug = g_strdup (value ? value : "");
  return TRUE;
}

static gboolean
self_test_cb (const char *name, const char *value, gpointer data, GError **error)
{
  BhChildArgs *args = data;

  g_free (args->sandbox_self_test);
  args->sandbox_self_test = g_strdup (value ? value : "");
  return TRUE;
}

gboolean
bh_child_parse_args (int *argc, char ***argv, BhChildArgs *args, GError **error)
{
  g_autoptr (GOptionContext) ctx = NULL;
  GOptionGroup *group;
  gint browser_pid = 0;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &args->type, "Process type: renderer or plugin", "TYPE" },
    { "site", 0, 0, G_OPTION_ARG_STRING, &args->site, "The site this renderer is locked to", "SITE" },
    { "plugin-type", 0, 0, G_OPTION_ARG_STRING, &args->plugin_type, "The plugin host's MIME type", "MIME" },
    { "ipc-fd", 0, 0, G_OPTION_ARG_INT, &args->ipc_fd, "The inherited channel fd", "N" },
    { "ipc-debug", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, ipc_debug_cb,
      "Print every IPC message (FILTER: comma-separated globs)", "FILTER" },
    { "ipc-debug-format", 0, 0, G_OPTION_ARG_STRING, &args->ipc_debug_format, "text or json", "FORMAT" },
    { "no-sandbox", 0, 0, G_OPTION_ARG_NONE, &args->no_sandbox, "Do not enter the seccomp sandbox", NULL },
    { "no-namespaces", 0, 0, G_OPTION_ARG_NONE, &args->no_namespaces,
      "The sandbox has no namespaces: close the filesystem after start-up", NULL },
    { "sandbox-self-test", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, self_test_cb,
      "Try to escape the sandbox and report each attempt", "WHAT" },
    { "browser-pid", 0, 0, G_OPTION_ARG_INT, &browser_pid, "The browser's pid", "PID" },
    { "ipc-debug-sides", 0, 0, G_OPTION_ARG_STRING, NULL, "send, recv or both", "SIDES" },
    { NULL },
  };

  memset (args, 0, sizeof *args);
  args->ipc_fd = -1;
  /* Entries point into *args, so they are built after the memset. */
  entries[0].arg_data = &args->type;
  entries[1].arg_data = &args->site;
  entries[2].arg_data = &args->plugin_type;
  entries[3].arg_data = &args->ipc_fd;
  entries[5].arg_data = &args->ipc_debug_format;
  entries[6].arg_data = &args->no_sandbox;
  entries[7].arg_data = &args->no_namespaces;
  entries[10].arg_data = &args->ipc_debug_sides;

  ctx = g_option_context_new ("- a Bulkhead child process (started by the browser)");
  group = g_option_group_new ("child", "Child process options", "Show child options", args, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (ctx, group);
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  args->browser_pid = browser_pid > 0 ? (guint) browser_pid : 0;
  return TRUE;
}

void
bh_child_args_clear (BhChildArgs *args)
{
  g_clear_pointer (&args->type, g_free);
  g_clear_pointer (&args->site, g_free);
  g_clear_pointer (&args->plugin_type, g_free);
  g_clear_pointer (&args->ipc_debug, g_free);
  g_clear_pointer (&args->ipc_debug_format, g_free);
  g_clear_pointer (&args->ipc_debug_sides, g_free);
  g_clear_pointer (&args->sandbox_self_test, g_free);
}

void
bh_child_die_with_parent (guint browser_pid)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* If the browser died before prctl took effect, we were already
   * re-parented and no signal will come: check. The launcher passes
   * --browser-pid only when the browser is our direct parent (not under bwrap's
   * pid namespace, not under a --renderer-cmd-prefix such as gdb); in the other
   * cases a dead browser shows as EOF on the channel, and we exit on that. */
  if (browser_pid != 0 && getppid () != (pid_t) browser_pid)
    _exit (1);
}

BhChannel *
bh_child_connect (BhChildArgs *args, const char *role, GError **error)
{
  struct stat st;
  int type = 0;
  socklen_t len = sizeof type;
  BhChannel *channel;

  if (args->ipc_fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "no channel: this program is started by the browser with --ipc-fd=N");
      return NULL;
    }
  if (fstat (args->ipc_fd, &st) < 0 || !S_ISSOCK (st.st_mode) ||
      getsockopt (args->ipc_fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--ipc-fd=%d is not a stream socket",
                   args->ipc_fd);
      return NULL;
    }

  bh_trace_set_local (role, getpid ());
  if (args->ipc_debug)
    bh_trace_stderr_setup (args->ipc_debug, args->ipc_debug_format, args->ipc_debug_sides);

  channel = bh_channel_new (args->ipc_fd, BH_TO_CHILD);
  args->ipc_fd = -1;
  bh_channel_set_peer (channel, "browser", args->browser_pid, NULL);
  return channel;
}

/* What bh_child_start() was given: the control lane shares its handlers. */
static const BhChildStart *child_start;
static BhChannel *control_lane;

static void
control_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* The data lane's end is what ends the process. */
}

static void
take_control_lane (BhChannel *data, BhMessage *message)
{
  int fd = bh_message_steal_fd (message, 0);
  int type = 0;
  socklen_t len = sizeof type;
  struct stat st;

  if (fd < 0 || control_lane != NULL || child_start == NULL || fstat (fd, &st) < 0 || !S_ISSOCK (st.st_mode) ||
      getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  control_lane = bh_channel_new (fd, BH_TO_CHILD);
  bh_channel_set_peer (control_lane, "browser", 0, NULL);
  bh_channel_set_handlers (control_lane, child_start->message, control_error_cb, NULL);
  bh_channel_set_priority (control_lane, G_PRIORITY_HIGH);
  bh_channel_attach (control_lane, NULL);
  bh_channel_set_urgent (data, control_lane);
}

gboolean
bh_child_handle_identity (BhChannel *channel, BhMessage *message, const char *role)
{
  guint32 pid, browser_pid;

  switch (message->type)
    {
    case BH_MSG_ProcessIdentity:
      g_variant_get (message->payload, "(uu)", &pid, &browser_pid);
      bh_trace_set_local (role, pid);
      bh_channel_set_peer (channel, "browser", browser_pid, NULL);
      if (control_lane)
        bh_channel_set_peer (control_lane, "browser", browser_pid, NULL);
      return TRUE;
    case BH_MSG_ControlLane:
      take_control_lane (channel, message);
      return TRUE;
    case BH_MSG_Shutdown:
      if (child_start && child_start->channel_error)
        {
          g_autoptr (GError) error = g_error_new (BH_CHANNEL_ERROR, BH_CHANNEL_ERROR_CLOSED,
                                                  "the browser asked this process to shut down");
          child_start->channel_error (channel, error, NULL);
        }
      return TRUE;
    default:
      return FALSE;
    }
}

G_DEFINE_QUARK (bh-child-error-quark, bh_child_error)

static gboolean
enter_sandbox (const BhChildStart *start, const BhChildArgs *args, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (args->no_sandbox ||
      bh_sandbox_enter_seccomp (start->policy,
                                args->no_namespaces ? BH_SANDBOX_FILESYSTEM_CLOSED : BH_SANDBOX_FILESYSTEM_READ_ONLY,
                                &local_error))
    return TRUE;
  g_set_error (error, BH_CHILD_ERROR, BH_CHILD_ERROR_SANDBOX, "cannot enter the seccomp sandbox: %s",
               local_error->message);
  return FALSE;
}

gboolean
bh_child_start (const BhChildStart *start, int *argc, char ***argv, BhChildArgs *args, BhChannel **out_channel,
                int *out_exit_code, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (BhChannel) channel = NULL;
  const char *summary;

  g_return_val_if_fail (start != NULL && start->role != NULL, FALSE);
  g_return_val_if_fail (out_channel != NULL && out_exit_code != NULL, FALSE);

  child_start = start;
  *out_exit_code = 2;
  /* Before anything else: no other process of the same user may read this
   * one's memory through /proc. */
  bh_sandbox_set_undumpable ();
  if (!bh_child_parse_args (argc, argv, args, &local_error))
    {
      g_set_error_literal (error, BH_CHILD_ERROR, BH_CHILD_ERROR_USAGE, local_error->message);
      return FALSE;
    }
  bh_sandbox_exit_on_out_of_memory ();
  bh_child_die_with_parent (args->browser_pid);
  if (start->prepare != NULL && !start->prepare (args, error))
    return FALSE;
  if (args->sandbox_self_test)
    {
      /* Enter the sandbox exactly as for real work, then try to get out. */
      if (start->warm_up != NULL)
        start->warm_up (args);
      if (!enter_sandbox (start, args, error))
        {
          *out_exit_code = 3;
          return FALSE;
        }
      *out_exit_code = bh_sandbox_self_test (args->sandbox_self_test, args->browser_pid, STDOUT_FILENO);
      return FALSE;
    }

  channel = bh_child_connect (args, start->role, &local_error);
  if (channel == NULL)
    {
      g_set_error_literal (error, BH_CHILD_ERROR, BH_CHILD_ERROR_USAGE, local_error->message);
      return FALSE;
    }
  if (start->warm_up != NULL)
    start->warm_up (args);
  if (!enter_sandbox (start, args, error))
    {
      *out_exit_code = 3;
      return FALSE;
    }
  summary = args->no_sandbox ? "none (--no-sandbox)" : "seccomp-bpf";

  bh_channel_set_handlers (channel, start->message, start->channel_error, NULL);
  bh_channel_attach (channel, NULL);
  bh_channel_send (channel, BH_MSG_ChildReady, g_variant_new ("(uss)", (guint32) getpid (), start->role, summary),
                   NULL, 0);
  *out_exit_code = 0;
  *out_channel = g_steal_pointer (&channel);
  return TRUE;
}

char *
bh_child_format_failure (const char *log_name, const GError *error)
{
  g_return_val_if_fail (log_name != NULL && error != NULL, NULL);

  if (g_error_matches (error, BH_CHILD_ERROR, BH_CHILD_ERROR_USAGE))
    return g_strdup_printf ("%s: %s", log_name, error->message);
  return g_strdup_printf ("%s[%d]: %s", log_name, (int) getpid (), error->message);
}
