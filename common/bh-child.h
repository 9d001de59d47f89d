/* bh-child.h: what every child process (renderer, plugin host) does at start-up. */
#pragma once

#include <glib.h>

#include "bh-channel.h"
#include "bh-sandbox.h"

G_BEGIN_DECLS

/* The command line every child shares; parsed by bh_child_parse_args(). */
typedef struct {
  char *type;           /* --type=renderer | plugin */
  char *site;           /* --site=SITE (renderer) */
  char *plugin_type;    /* --plugin-type=MIME (plugin host) */
  int ipc_fd;           /* --ipc-fd=N */
  char *ipc_debug;      /* --ipc-debug[=FILTER]: NULL when off, "" for all */
  char *ipc_debug_format; /* --ipc-debug-format=text|json|record (record: the browser merges) */
  char *ipc_debug_sides;  /* --ipc-debug-sides=send|recv|both, or NULL (send) */
  gboolean no_sandbox;  /* --no-sandbox */
  gboolean no_namespaces; /* --no-namespaces: seccomp only, the filesystem closes after start-up */
  char *sandbox_self_test; /* --sandbox-self-test[=WHAT] */
  guint browser_pid;    /* --browser-pid=N, for the die-with-parent check */
} BhChildArgs;

/**
 * bh_child_parse_args:
 * @argc: (inout):
 * @argv: (inout):
 * @args: (out caller-allocates): filled in; free with bh_child_args_clear()
 * @error: G_OPTION_ERROR on a malformed command line
 *
 * Parses the options above and leaves the rest in @argv.
 */
gboolean bh_child_parse_args (int *argc, char ***argv, BhChildArgs *args, GError **error);

void bh_child_args_clear (BhChildArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhChildArgs, bh_child_args_clear)

/**
 * bh_child_die_with_parent:
 * @browser_pid: the browser's pid when it is our direct parent (--browser-pid), or 0
 *
 * Sets PR_SET_PDEATHSIG to SIGKILL (prctl(2)) and exits at once if the parent
 * already died before that took effect (getppid() is no longer @browser_pid).
 */
void bh_child_die_with_parent (guint browser_pid);

/**
 * bh_child_connect:
 * @args: parsed arguments; @args->ipc_fd is taken over
 * @role: "renderer" or "plugin"
 * @error: if the fd is not a connected socket
 *
 * Wraps the inherited fd in a channel that accepts browser->child messages,
 * sets up --ipc-debug and names the trace's peer "browser".
 *
 * Returns: (transfer full) (nullable): the channel, not yet attached.
 */
BhChannel *bh_child_connect (BhChildArgs *args, const char *role, GError **error);

/**
 * bh_child_handle_identity:
 * @channel: the child's channel
 * @message: a received message
 * @role: this process's role, as for bh_child_connect()
 *
 * Handles what every child handles alike:
 *  - ProcessIdentity: from then on this process's trace events carry the pid
 *    the browser knows it by (not the one inside its pid namespace), and name
 *    the browser by its pid;
 *  - ControlLane: takes its fd (checked to be an AF_UNIX SOCK_STREAM socket, as
 *    fd 3 is) as the control lane: a second channel with the same message
 *    handler, read at G_PRIORITY_HIGH and before the data lane's next read
 *    (bh_channel_set_urgent()), on which Ping, Stop and Shutdown come;
 *  - Shutdown: ends the process's loop as the browser's hang-up would (the
 *    channel error handler is called with BH_CHANNEL_ERROR_CLOSED).
 *
 * Returns: %TRUE if @message was one of these (the caller still frees it).
 */
gboolean bh_child_handle_identity (BhChannel *channel, BhMessage *message, const char *role);

/* Why bh_child_start() stopped; the code says how the executable logs it. */
#define BH_CHILD_ERROR (bh_child_error_quark ())
GQuark bh_child_error_quark (void);

typedef enum {
  BH_CHILD_ERROR_USAGE,   /* a malformed command line, no channel: exit code 2 */
  BH_CHILD_ERROR_SETUP,   /* the process could not prepare its work: exit code 2 */
  BH_CHILD_ERROR_SANDBOX, /* the seccomp filter could not be entered: exit code 3 */
} BhChildError;

/**
 * BhChildStart:
 * @role: "renderer" or "plugin", as for bh_child_connect() and ChildReady
 * @policy: the seccomp policy entered unless --no-sandbox
 * @prepare: (nullable): checks the arguments and loads what the work needs,
 *   before anything else; fails with a %BH_CHILD_ERROR_USAGE or
 *   %BH_CHILD_ERROR_SETUP error
 * @warm_up: (nullable): loads what must be loaded before the sandbox closes
 *   the filesystem (fonts, loaders, the plugin's data); given the arguments:
 *   with --no-namespaces, nothing can be opened afterwards but font files
 * @message: the channel's message handler
 * @channel_error: the channel's error handler
 *
 * What one kind of child does at start-up. The callbacks get no user data:
 * a child has one of each.
 */
typedef struct {
  const char *role;
  BhSandboxPolicy policy;
  gboolean (*prepare) (const BhChildArgs *args, GError **error);
  void (*warm_up) (const BhChildArgs *args);
  BhChannelMessageFunc message;
  BhChannelErrorFunc channel_error;
} BhChildStart;

/**
 * bh_child_start:
 * @start: what this kind of child does
 * @argc: (inout): main()'s
 * @argv: (inout): main()'s
 * @args: (out caller-allocates): the parsed command line; clear it with
 *   bh_child_args_clear() whatever this returns
 * @out_channel: (out) (transfer full): the channel, attached to the default
 *   main context with @start's handlers, ChildReady already queued
 * @out_exit_code: (out): when this returns %FALSE, what main() returns
 * @error: why start-up failed (%BH_CHILD_ERROR), unset when it stopped for
 *   another reason (the sandbox self-test ran)
 *
 * The start-up every child shares: parse the command line, exit with
 * %BH_EXIT_CODE_OUT_OF_MEMORY on a failed allocation, die with the browser,
 * prepare, then either run --sandbox-self-test in the sandbox, or connect,
 * warm up, enter the seccomp sandbox (Chromium's renderers refuse to run
 * without the filter they were asked for, as this does) and send ChildReady
 * with the sandbox's summary.
 *
 * Returns: %TRUE if the child runs its main loop now.
 */
gboolean bh_child_start (const BhChildStart *start, int *argc, char ***argv, BhChildArgs *args,
                         BhChannel **out_channel, int *out_exit_code, GError **error);

/**
 * bh_child_format_failure:
 * @log_name: how the executable names itself on stderr ("renderer")
 * @error: from bh_child_start()
 *
 * Returns: (transfer full): the line to log, without a newline: "NAME: ERROR"
 *   for a usage error, "NAME[PID]: ERROR" once the process is one the
 *   browser started.
 */
char *bh_child_format_failure (const char *log_name, const GError *error);

G_END_DECLS
