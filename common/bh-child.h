/* bh-child.h: what every child process (renderer, plugin host) does at start-up. */
#pragma once

#include <glib.h>

#include "bh-channel.h"

G_BEGIN_DECLS

/* The command line every child shares; parsed by bh_child_parse_args(). */
typedef struct {
  char *type;           /* --type=renderer | plugin */
  char *site;           /* --site=SITE (renderer) */
  char *plugin_type;    /* --plugin-type=MIME (plugin host) */
  int ipc_fd;           /* --ipc-fd=N */
  char *ipc_debug;      /* --ipc-debug[=FILTER]: NULL when off, "" for all */
  char *ipc_debug_format; /* --ipc-debug-format=text|json */
  gboolean no_sandbox;  /* --no-sandbox */
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
 * Handles ProcessIdentity: from then on this process's trace events carry
 * the pid the browser knows it by (not the one inside its pid namespace), and
 * name the browser by its pid.
 *
 * Returns: %TRUE if @message was ProcessIdentity (the caller still frees it).
 */
gboolean bh_child_handle_identity (BhChannel *channel, const BhMessage *message, const char *role);

G_END_DECLS
