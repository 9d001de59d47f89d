/* bh-child-host.c: one child process's life, seen from the browser.
 *
 * launch (socketpair, spawn with the child's end as fd 3) -> ChildReady ->
 * users come and go -> either the owner closes the channel after its last
 * user and a grace period (the child exits on EOF), or the process dies / is
 * killed. Death is noticed twice, by the channel's hang-up and by the child
 * watch; the termination is recorded once, and only the child watch's
 * waitpid() ends the owner's life in the browser's lists.
 */
#include "bh-child-host.h"

#include <errno.h>
#include <gio/gio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bh-sandbox.h"
#include "bh-trace-merge.h"
#include "bh-trace-record.h"

/* How long a child that hung up may take to be reaped before it is
 * SIGKILLed: a process that closed its socket is of no more use. */
#define HANGUP_REAP_TIMEOUT_MS 2000u
/* How long a child whose channel the browser closed may take to exit. */
#define CLOSE_REAP_TIMEOUT_MS 5000u

void
bh_child_host_init (BhChildHost *host, GObject *owner, BhBrowserOptions *options, const BhChildHostHooks *hooks,
                    const char *kind, const char *role, const char *bad_message_words, const char *label)
{
  g_return_if_fail (host != NULL);
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (options != NULL);
  g_return_if_fail (hooks != NULL && kind != NULL && role != NULL && label != NULL);

  memset (host, 0, sizeof *host);
  host->owner = owner;
  host->options = bh_browser_options_ref (options);
  host->hooks = hooks;
  host->kind = kind;
  host->role = role;
  host->bad_message_words = bad_message_words;
  host->label = g_strdup (label);
  host->noun = g_strdup_printf ("The %s for %s", kind, label);
  host->termination_status = BH_TERMINATION_STATUS_STILL_RUNNING;
  host->forced_status = BH_TERMINATION_STATUS_STILL_RUNNING;
}

static void
close_channel (BhChildHost *host)
{
  if (host->control != NULL)
    {
      bh_channel_set_handlers (host->control, NULL, NULL, NULL);
      bh_channel_close (host->control);
      g_clear_pointer (&host->control, bh_channel_unref);
    }
  if (host->channel == NULL)
    return;
  bh_channel_set_handlers (host->channel, NULL, NULL, NULL);
  bh_channel_close (host->channel);
  g_clear_pointer (&host->channel, bh_channel_unref);
}

void
bh_child_host_dispose (BhChildHost *host)
{
  g_clear_handle_id (&host->idle_timeout_id, g_source_remove);
  g_clear_handle_id (&host->reap_timeout_id, g_source_remove);
  close_channel (host);
  /* Its last trace lines are taken while the merger still knows it. */
  g_clear_pointer (&host->output, bh_child_output_free);
  if (host->pid > 0)
    bh_trace_merge_remove_child ((guint) host->pid);
}

void
bh_child_host_finalize (BhChildHost *host)
{
  /* The child watch holds a reference on the owner until the process is reaped. */
  g_assert (host->child_watch_id == 0);
  g_clear_pointer (&host->process, bh_child_process_free);
  g_clear_pointer (&host->label, g_free);
  g_clear_pointer (&host->noun, g_free);
  g_clear_pointer (&host->output_prefix, g_free);
  g_clear_pointer (&host->sandbox_summary, g_free);
  g_clear_pointer (&host->forced_message, g_free);
  g_clear_pointer (&host->bad_message_reason, g_free);
  g_clear_pointer (&host->termination_message, g_free);
  g_clear_pointer (&host->options, bh_browser_options_unref);
}

/* Termination. */

G_DEFINE_ENUM_TYPE (BhTerminationStatus, bh_termination_status,
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_STILL_RUNNING, "still-running"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_NORMAL, "normal"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_ABNORMAL, "abnormal"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_KILLED, "killed"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_CRASHED, "crashed"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_OOM, "oom"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_LAUNCH_FAILED, "launch-failed"),
                    G_DEFINE_ENUM_VALUE (BH_TERMINATION_STATUS_BAD_MESSAGE, "bad-message"))

const char *
bh_termination_status_to_string (BhTerminationStatus status)
{
  GEnumClass *klass = g_type_class_ref (BH_TYPE_TERMINATION_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

static char *
describe_signal (int signo)
{
  const char *abbrev = sigabbrev_np (signo);

  if (abbrev != NULL)
    return g_strdup_printf ("SIG%s", abbrev);
  return g_strdup_printf ("signal %d", signo);
}

/* Chromium's termination statuses from how the child ended
 * (base/process/kill_posix.cc GetTerminationStatus); the launcher has
 * already undone bwrap's 128 + N encoding of a signal. */
static BhTerminationStatus
status_from_termination (const BhChildHost *host, const BhTermination *termination, char **out_message)
{
  BhTerminationStatus status;
  g_autofree char *what = NULL;

  if (termination->kind == BH_TERMINATION_OUT_OF_MEMORY)
    {
      /* An allocation beyond RLIMIT_AS (exit code 88), a memfd grown past
       * RLIMIT_FSIZE (SIGXFSZ), the cgroup's OOM killer (SIGKILL). */
      status = BH_TERMINATION_STATUS_OOM;
      what = g_strdup ("ran out of memory");
    }
  else if (termination->signal_number != 0)
    {
      g_autofree char *name = describe_signal (termination->signal_number);

      if (termination->kind == BH_TERMINATION_KILLED)
        {
          status = BH_TERMINATION_STATUS_KILLED;
          what = g_strdup_printf ("was killed (%s)", name);
        }
      else
        {
          status = BH_TERMINATION_STATUS_CRASHED;
          what = g_strdup_printf ("crashed (%s)", name);
        }
    }
  else if (termination->exit_code == 0)
    {
      status = BH_TERMINATION_STATUS_NORMAL;
      what = g_strdup ("exited");
    }
  else
    {
      status = BH_TERMINATION_STATUS_ABNORMAL;
      what = g_strdup_printf ("exited with code %d", termination->exit_code);
    }

  /* Dying before ChildReady is a failure to start, whatever the cause (a
   * sandbox that cannot be set up, a missing library, a seccomp kill). */
  if (!host->ready && status != BH_TERMINATION_STATUS_OOM)
    {
      *out_message = g_strdup_printf ("%s could not be started (it %s)", host->noun, what);
      return BH_TERMINATION_STATUS_LAUNCH_FAILED;
    }
  *out_message = g_strdup_printf ("%s %s", host->noun, what);
  return status;
}

static char *
default_message (const BhChildHost *host, BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
      return g_strdup_printf ("%s was killed (SIGKILL)", host->noun);
    case BH_TERMINATION_STATUS_OOM:
      return g_strdup_printf ("%s ran out of memory", host->noun);
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return g_strdup_printf ("%s %s", host->noun, host->bad_message_words);
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
      return g_strdup_printf ("%s could not be started", host->noun);
    case BH_TERMINATION_STATUS_CRASHED:
      return g_strdup_printf ("%s crashed", host->noun);
    case BH_TERMINATION_STATUS_ABNORMAL:
      return g_strdup_printf ("%s exited abnormally", host->noun);
    case BH_TERMINATION_STATUS_NORMAL:
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      return g_strdup_printf ("%s exited", host->noun);
    }
}

static gboolean
reap_timeout_cb (gpointer data)
{
  BhChildHost *host = data;

  host->reap_timeout_id = 0;
  if (!host->reaped && host->pid > 0)
    {
      g_debug ("%s %d (%s) did not exit in time: SIGKILL", host->kind, (int) host->pid, host->label);
      kill (host->pid, SIGKILL);
      if (host->reap_pid != host->pid)
        kill (host->reap_pid, SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

static void
start_reap_timeout (BhChildHost *host, guint timeout_ms)
{
  if (host->reaped || host->reap_timeout_id != 0)
    return;
  host->reap_timeout_id = g_timeout_add (timeout_ms, reap_timeout_cb, host);
}

/* Records how the child ended, once, and lets the owner tell its users. */
static void
record_termination (BhChildHost *host, BhTerminationStatus status, const char *message)
{
  g_autoptr (GObject) keep = g_object_ref (host->owner);

  if (host->terminated)
    return;
  host->terminated = TRUE;
  host->closing = TRUE;
  host->termination_status = status;
  host->termination_message = g_strdup (message);
  g_clear_handle_id (&host->idle_timeout_id, g_source_remove);
  close_channel (host);
  host->hooks->terminated (host->owner, status, message);
}

static void
child_watch_cb (GPid pid, int wait_status, gpointer data)
{
  BhChildHost *host = data;
  g_autoptr (GObject) keep = g_object_ref (host->owner);

  host->child_watch_id = 0;
  host->reaped = TRUE;
  g_spawn_close_pid (pid);
  g_clear_handle_id (&host->reap_timeout_id, g_source_remove);
  /* Its last words come before the news of its end. */
  if (host->output != NULL)
    bh_child_output_drain (host->output);

  if (!host->terminated)
    {
      g_autofree char *message = NULL;
      BhTerminationStatus status;

      if (host->forced_status != BH_TERMINATION_STATUS_STILL_RUNNING)
        {
          status = host->forced_status;
          message = g_strdup (host->forced_message);
        }
      else
        {
          BhTermination termination;

          bh_child_process_decode_wait_status (host->process, wait_status, &termination);
          status = status_from_termination (host, &termination, &message);
          {
            g_autofree char *how = bh_termination_to_string (&termination);
            bh_trace_record_end ((guint) host->pid, termination.signal_number, how);
          }
        }
      record_termination (host, status, message);
    }
  g_debug ("%s %d (%s) reaped: %s", host->kind, (int) host->pid, host->label, host->termination_message);
  host->hooks->reaped (host->owner);
}

static void
unref_owner (gpointer data)
{
  BhChildHost *host = data;

  g_object_unref (host->owner);
}

void
bh_child_host_kill (BhChildHost *host, BhTerminationStatus status, const char *message)
{
  g_autofree char *text = NULL;

  g_return_if_fail (host != NULL);
  g_return_if_fail (status != BH_TERMINATION_STATUS_STILL_RUNNING);

  if (host->terminated)
    return;
  text = message != NULL ? g_strdup (message) : default_message (host, status);
  if (host->pid > 0 && !host->reaped)
    kill (host->pid, SIGKILL);
  host->forced_status = status;
  g_free (host->forced_message);
  host->forced_message = g_strdup (text);
  record_termination (host, status, text);
}

void
bh_child_host_report_bad_message (BhChildHost *host, const char *format, ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (host != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* Tests and users grep this line: its words are part of the interface. */
  g_printerr ("bad message from %s %d (%s): %s\n", host->kind, (int) host->pid, host->label, reason);
  if (host->options->disable_kill_after_bad_ipc || host->terminated)
    return;
  g_free (host->bad_message_reason);
  host->bad_message_reason = g_strdup (reason);
  message = g_strdup_printf ("%s %s: %s", host->noun, host->bad_message_words, reason);
  bh_child_host_kill (host, BH_TERMINATION_STATUS_BAD_MESSAGE, message);
}

/* Messages and channel errors every child may cause. */

gboolean
bh_child_host_handle_message (BhChildHost *host, BhMessage *message)
{
  guint32 child_pid;
  const char *role;
  const char *sandbox;

  g_return_val_if_fail (host != NULL, TRUE);
  g_return_val_if_fail (message != NULL, TRUE);

  if (host->terminated)
    return TRUE;
  if (!host->ready && message->type != BH_MSG_ChildReady)
    {
      bh_child_host_report_bad_message (host, "%s before ChildReady", bh_message_type_name (message->type));
      return TRUE;
    }

  switch (message->type)
    {
    case BH_MSG_Ping:
      bh_channel_reply (host->channel, message, BH_MSG_Pong, g_variant_new ("()"), NULL, 0);
      return TRUE;
    case BH_MSG_Pong:
      /* A Pong that answers no Ping: harmless. */
      return TRUE;
    case BH_MSG_ChildReady:
      break;
    default:
      return FALSE;
    }

  g_variant_get (message->payload, "(u&s&s)", &child_pid, &role, &sandbox);
  if (host->ready)
    {
      bh_child_host_report_bad_message (host, "ChildReady sent twice");
      return TRUE;
    }
  if (g_strcmp0 (role, host->role) != 0)
    {
      bh_child_host_report_bad_message (host, "ChildReady names the role \"%s\", not \"%s\"", role, host->role);
      return TRUE;
    }
  host->ready = TRUE;
  g_free (host->sandbox_summary);
  host->sandbox_summary = g_strdup (sandbox);
  g_debug ("%s %d (%s) ready (pid %u inside; sandbox: %s)", host->kind, (int) host->pid, host->label, child_pid,
           sandbox);
  host->hooks->ready (host->owner);
  return TRUE;
}

static void
start_closing (BhChildHost *host)
{
  host->closing = TRUE;
  if (host->hooks->closing != NULL)
    host->hooks->closing (host->owner);
}

void
bh_child_host_channel_error (BhChildHost *host, const GError *error)
{
  g_autoptr (GObject) keep = NULL;

  g_return_if_fail (host != NULL);
  g_return_if_fail (error != NULL);

  keep = g_object_ref (host->owner);
  /* A child that cannot be talked to takes no new user, even before its
   * death is confirmed. */
  if (!host->closing)
    start_closing (host);
  switch ((BhChannelError) error->code)
    {
    case BH_CHANNEL_ERROR_PROTOCOL:
    case BH_CHANNEL_ERROR_FDS_CUT:
      bh_child_host_report_bad_message (host, "%s", error->message);
      /* --disable-kill-after-bad-ipc: the channel is over all the same, and
       * the child will exit on the hang-up; say why, not just "exited". */
      if (!host->terminated)
        {
          g_autofree char *message =
            g_strdup_printf ("%s was disconnected because it sent a malformed message: %s "
                             "(not killed: --disable-kill-after-bad-ipc)",
                             host->noun, error->message);
          start_reap_timeout (host, HANGUP_REAP_TIMEOUT_MS);
          record_termination (host, BH_TERMINATION_STATUS_BAD_MESSAGE, message);
        }
      break;
    case BH_CHANNEL_ERROR_QUEUE_FULL:
      {
        g_autofree char *message = g_strdup_printf ("%s stopped reading its messages and was killed (SIGKILL)",
                                                    host->noun);

        bh_child_host_kill (host, BH_TERMINATION_STATUS_KILLED, message);
      }
      break;
    case BH_CHANNEL_ERROR_CLOSED:
    case BH_CHANNEL_ERROR_RESET:
    case BH_CHANNEL_ERROR_TIMED_OUT:
    case BH_CHANNEL_ERROR_FAILED:
    default:
      /* The process is dying or dead: its wait status, which the child watch
       * brings in a moment, says why. One that closed its socket but lingers
       * is killed. */
      g_debug ("%s %d (%s) hung up: %s", host->kind, (int) host->pid, host->label, error->message);
      start_reap_timeout (host, HANGUP_REAP_TIMEOUT_MS);
      break;
    }
}

/* The control lane carries answers only: Pong (matched to its Ping by the
 * channel) and DidStop. Anything else there is a child breaking the protocol. */
static void
control_message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  BhChildHost *host = user_data;
  g_autoptr (BhMessage) m = message;

  if (m->type == BH_MSG_Pong || m->type == BH_MSG_DidStop)
    return;
  bh_child_host_report_bad_message (host, "%s on the control lane", bh_message_type_name (m->type));
}

static void
control_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  /* The data lane's end is what ends the child's life here. */
}

/* A second socketpair, whose child end goes over in ControlLane (SCM_RIGHTS):
 * not an inherited fd, so the launcher's fds 0-3 and the sandbox's checks of
 * them stay as they are. */
static void
open_control_lane (BhChildHost *host)
{
  g_autoptr (GError) error = NULL;
  int child_fd = -1;
  BhChannel *control = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &error);

  if (control == NULL)
    {
      g_debug ("%s %d: no control lane: %s", host->kind, (int) host->pid, error->message);
      return;
    }
  bh_channel_set_peer (control, host->role, (guint) host->pid, host->label);
  bh_channel_set_handlers (control, control_message_cb, control_error_cb, host);
  bh_channel_set_priority (control, G_PRIORITY_HIGH);
  bh_channel_attach (control, NULL);
  bh_channel_send (host->channel, BH_MSG_ControlLane, NULL, &child_fd, 1);
  close (child_fd);
  bh_channel_set_urgent (host->channel, control);
  host->control = control;
}

/* Launching. */

static void
output_line_cb (const char *line, gsize len, gpointer data)
{
  BhChildHost *host = data;
  g_autofree char *text = NULL;

  /* Its --ipc-debug records go into the one merged trace. */
  if (bh_trace_merge_take_child_line ((guint) host->pid, line, len))
    return;
  text = bh_child_output_format_line (host->output_prefix, line, len);
  g_printerr ("%s\n", text);
}

static void
drain_output_cb (gpointer data)
{
  BhChildHost *host = data;

  if (host->output != NULL)
    bh_child_output_drain (host->output);
}

/* The child's arguments: its own, then what the browser passes on to every
 * child. The launcher adds --ipc-fd, --browser-pid and --no-sandbox. */
static GPtrArray *
build_args (const BhBrowserOptions *options, const char *const *role_args)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; role_args[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (role_args[i]));
  if (options->ipc_debug != NULL)
    {
      if (*options->ipc_debug != '\0')
        g_ptr_array_add (args, g_strdup_printf ("--ipc-debug=%s", options->ipc_debug));
      else
        g_ptr_array_add (args, g_strdup ("--ipc-debug"));
      /* Behind the browser, a child writes records for the browser to merge. */
      if (bh_trace_merge_is_active ())
        {
          g_ptr_array_add (args, g_strdup ("--ipc-debug-format=record"));
          g_ptr_array_add (args, g_strdup_printf ("--ipc-debug-sides=%s", bh_trace_merge_get_sides ()));
        }
      else
        g_ptr_array_add (args, g_strdup_printf ("--ipc-debug-format=%s", options->ipc_debug_format));
    }
  g_ptr_array_add (args, NULL);
  return args;
}

gboolean
bh_child_host_launch (BhChildHost *host, const char *executable, const char *const *role_args,
                      gboolean use_cmd_prefix, GError **error)
{
  const BhBrowserOptions *options;
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (BhChannel) channel = NULL;
  g_autoptr (BhChildProcess) process = NULL;
  BhLaunchOptions launch_options;
  int child_fd = -1;
  int output_pipe[2] = { -1, -1 };
  gboolean spawned;

  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (!host->launched, FALSE);
  g_return_val_if_fail (executable != NULL && role_args != NULL, FALSE);

  options = host->options;
  host->launched = TRUE;
  channel = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &local_error);
  if (channel == NULL)
    goto failed;

  args = build_args (options, role_args);
  bh_launch_options_init (&launch_options);
  launch_options.executable = executable;
  launch_options.args = (const char *const *) args->pdata;
  launch_options.ipc_fd = child_fd;
  launch_options.no_sandbox = options->no_sandbox;
  if (use_cmd_prefix)
    launch_options.cmd_prefix = (const char *const *) options->renderer_cmd_prefix;
  /* A debugger in the prefix needs the terminal; any other child writes
   * into a pipe of its own, never onto the browser's stderr file. */
  if (launch_options.cmd_prefix == NULL || launch_options.cmd_prefix[0] == NULL)
    {
      if (pipe2 (output_pipe, O_CLOEXEC) != 0)
        {
          int saved_errno = errno;
          g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "pipe2: %s",
                       g_strerror (saved_errno));
          close (child_fd);
          goto failed;
        }
      launch_options.stdout_fd = output_pipe[1];
      launch_options.stderr_fd = output_pipe[1];
    }
  /* Every child parses hostile content: the same address-space limit. */
  launch_options.memory_limit_mb = options->renderer_memory_limit_mb;
  spawned = bh_launcher_spawn (&launch_options, &process, &local_error);
  close (child_fd);
  if (output_pipe[1] >= 0)
    close (output_pipe[1]);
  if (!spawned)
    {
      if (output_pipe[0] >= 0)
        close (output_pipe[0]);
      goto failed;
    }

  host->pid = bh_child_process_get_pid (process);
  host->output_prefix = g_strdup_printf ("%s %s %d", host->role, host->label, (int) host->pid);
  if (output_pipe[0] >= 0)
    {
      bh_trace_merge_add_child ((guint) host->pid, host->role, host->label, drain_output_cb, host);
      host->output = bh_child_output_new (output_pipe[0], output_line_cb, host, NULL);
    }
  host->reap_pid = bh_child_process_get_reap_pid (process);
  host->process = g_steal_pointer (&process);
  host->channel = g_steal_pointer (&channel);
  bh_channel_set_peer (host->channel, host->role, (guint) host->pid, host->label);
  bh_channel_set_handlers (host->channel, host->hooks->message, host->hooks->channel_error, host->owner);
  bh_channel_attach (host->channel, NULL);
  /* Its trace lines then carry the pid the browser knows it by. */
  bh_channel_send (host->channel, BH_MSG_ProcessIdentity,
                   g_variant_new ("(uu)", (guint32) host->pid, (guint32) getpid ()), NULL, 0);
  open_control_lane (host);
  g_object_ref (host->owner);
  host->child_watch_id = g_child_watch_add_full (G_PRIORITY_DEFAULT, host->reap_pid, child_watch_cb, host,
                                                 unref_owner);
  g_debug ("spawned %s %d for %s", host->kind, (int) host->pid, host->label);
  return TRUE;

failed:
  {
    g_autofree char *message = g_strdup_printf ("%s could not be started: %s", host->noun, local_error->message);

    g_debug ("%s", message);
    host->reaped = TRUE;
    record_termination (host, BH_TERMINATION_STATUS_LAUNCH_FAILED, message);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
}

/* Closing. */

void
bh_child_host_close (BhChildHost *host)
{
  g_return_if_fail (host != NULL);

  g_clear_handle_id (&host->idle_timeout_id, g_source_remove);
  start_closing (host);
  close_channel (host);
  if (!host->terminated)
    {
      /* Closed on purpose: whatever the exit status, no user shows it. */
      host->forced_status = BH_TERMINATION_STATUS_NORMAL;
      g_free (host->forced_message);
      host->forced_message = g_strdup_printf ("%s was closed", host->noun);
    }
  start_reap_timeout (host, CLOSE_REAP_TIMEOUT_MS);
}

static gboolean
idle_timeout_cb (gpointer data)
{
  BhChildHost *host = data;

  host->idle_timeout_id = 0;
  host->hooks->idle (host->owner);
  return G_SOURCE_REMOVE;
}

void
bh_child_host_start_idle_grace (BhChildHost *host, guint grace_ms)
{
  g_return_if_fail (host != NULL);

  if (host->closing || host->idle_timeout_id != 0)
    return;
  host->idle_timeout_id = g_timeout_add (grace_ms, idle_timeout_cb, host);
}

void
bh_child_host_cancel_idle_grace (BhChildHost *host)
{
  g_return_if_fail (host != NULL);

  g_clear_handle_id (&host->idle_timeout_id, g_source_remove);
}

/* Accessors. */

gboolean
bh_child_host_is_closing (const BhChildHost *host)
{
  g_return_val_if_fail (host != NULL, TRUE);

  return host->closing || host->terminated || !host->launched;
}

gboolean
bh_child_host_is_alive (const BhChildHost *host)
{
  g_return_val_if_fail (host != NULL, FALSE);

  return host->launched && host->pid > 0 && !host->terminated;
}

char *
bh_child_host_describe_sandbox (const BhChildHost *host)
{
  g_return_val_if_fail (host != NULL, NULL);

  if (host->process == NULL || host->reaped || host->terminated)
    return g_strdup ("unknown (process gone)");
  return bh_child_process_describe_sandbox (host->process, NULL);
}

guint64
bh_child_host_get_rss_kib (const BhChildHost *host)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const char *line;

  g_return_val_if_fail (host != NULL, 0);

  if (host->pid <= 0 || host->reaped)
    return 0;
  path = g_strdup_printf ("/proc/%d/status", (int) host->pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, "\nVmRSS:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

void
bh_child_host_get_ipc_counts (const BhChildHost *host, guint64 *out_received, guint64 *out_sent)
{
  guint64 received = 0;
  guint64 sent = 0;

  g_return_if_fail (host != NULL);

  if (host->channel != NULL)
    bh_channel_get_counts (host->channel, &received, &sent);
  if (out_received != NULL)
    *out_received = received;
  if (out_sent != NULL)
    *out_sent = sent;
}
