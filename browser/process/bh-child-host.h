/* bh-child-host.h: what the browser's two child process hosts share.
 *
 * A renderer host (one per site) and a plugin host (one per plugin type) each
 * own one sandboxed child process and the channel to it. The life of that
 * process is the same for both, and lives here once: the launch through the
 * launcher (sandbox, memory limit, --ipc-debug passed on), the channel (peer
 * naming, ProcessIdentity), the child watch that reaps it, the termination
 * status and its plain-words message, SIGKILL, the bad-message line on
 * stderr, the idle grace period and the close on shutdown.
 *
 * A #BhChildHost is a plain struct its owner (a #GObject) embeds; the owner
 * keeps what is its own (views, instances, buffers, its message handlers)
 * and is called back through #BhChildHostHooks. Its fields are read by the
 * owner directly; they are written only here, apart from what the owner's
 * own handlers say (the "closing" flag when its channel fails).
 */
#pragma once

#include <glib-object.h>

#include "bh-browser-options.h"
#include "bh-channel.h"
#include "bh-child-output.h"
#include "bh-launcher.h"
#include "bh-termination-status.h"

G_BEGIN_DECLS

/**
 * BhChildHostHooks:
 * @message: the channel's message handler (bh_channel_set_handlers()), called
 *   with the owner as user data for whatever bh_child_host_handle_message()
 *   did not take
 * @channel_error: the channel's error handler, likewise; it ends with
 *   bh_child_host_channel_error()
 * @ready: ChildReady arrived and was checked: notify "ready" and "sandbox"
 * @terminated: the termination was just recorded (once): tell every user of
 *   the process, notify, emit "terminated". The channel is already closed.
 * @reaped: waitpid() returned: emit "reaped", leave the browser's list
 * @idle: the idle grace period ran out; the owner closes if still unused
 * @closing: (nullable): the host just started closing (no new users)
 *
 * The owner's part in its process's life. Each runs on the main thread with
 * the owner as argument.
 */
typedef struct {
  BhChannelMessageFunc message;
  BhChannelErrorFunc channel_error;
  void (*ready) (GObject *owner);
  void (*terminated) (GObject *owner, BhTerminationStatus status, const char *message);
  void (*reaped) (GObject *owner);
  void (*idle) (GObject *owner);
  void (*closing) (GObject *owner);
} BhChildHostHooks;

/**
 * BhChildHost:
 *
 * One child process seen from the browser. @kind is how logs name it
 * ("renderer", "plugin host"), @role what its ChildReady and its channel's
 * peer name say ("renderer", "plugin"), @label the site or plugin type, @noun
 * how messages begin ("The renderer for http://alpha.test").
 */
typedef struct {
  GObject *owner;     /* not a reference: the owner embeds this struct */
  BhBrowserOptions *options; /* a reference: the command line, read-only */
  const BhChildHostHooks *hooks;
  const char *kind;
  const char *role;
  const char *bad_message_words; /* "was stopped because it sent a malformed message" */
  char *label;
  char *noun;

  GPid pid;      /* the child itself: kill(), /proc */
  GPid reap_pid; /* the browser's direct child (bwrap's outer process in a sandbox) */
  BhChildProcess *process;
  BhChannel *channel;
  BhChannel *control; /* the control lane (ControlLane): Ping, Stop, Shutdown; NULL if none */
  BhChildOutput *output; /* its stdout and stderr; NULL under --renderer-cmd-prefix */
  char *output_prefix;   /* "renderer http://alpha.test 1234" */
  guint child_watch_id;
  guint reap_timeout_id;
  guint idle_timeout_id;

  gboolean ready;
  char *sandbox_summary;
  gboolean launched;
  gboolean closing; /* no new users */
  gboolean reaped;
  gboolean terminated; /* the termination was recorded and announced */
  BhTerminationStatus forced_status; /* set by bh_child_host_kill() and _close() */
  char *forced_message;
  char *bad_message_reason; /* the last bad message that stopped it */
  BhTerminationStatus termination_status;
  char *termination_message;
} BhChildHost;

/**
 * bh_child_host_init:
 * @owner: (transfer none): the object that embeds @host
 * @options: (transfer none): the command line (--no-sandbox,
 *   --renderer-cmd-prefix, --ipc-debug, --disable-kill-after-bad-ipc...); @host
 *   keeps a reference
 * @hooks: (transfer none): static callbacks
 * @kind: (transfer none): static, e.g. "renderer", "plugin host"
 * @role: (transfer none): static, e.g. "renderer", "plugin"
 * @bad_message_words: (transfer none): static, what the termination message
 *   says after the noun when it is killed for a bad message
 * @label: the site or the plugin type (copied)
 *
 * Sets up @host, not yet launched; @noun becomes "The KIND for LABEL".
 */
void bh_child_host_init (BhChildHost *host, GObject *owner, BhBrowserOptions *options, const BhChildHostHooks *hooks,
                         const char *kind, const char *role, const char *bad_message_words, const char *label);

/**
 * bh_child_host_dispose:
 *
 * Stops the timers and closes the channel, for the owner's dispose.
 */
void bh_child_host_dispose (BhChildHost *host);

/**
 * bh_child_host_finalize:
 *
 * Frees what @host holds, for the owner's finalize. The child watch holds a
 * reference on the owner, so it must be gone by then.
 */
void bh_child_host_finalize (BhChildHost *host);

/**
 * bh_child_host_launch:
 * @executable: the child's executable
 * @role_args: (array zero-terminated=1): the child's own arguments
 *   ("--type=renderer", "--site=..."); --ipc-debug is added from the options
 * @use_cmd_prefix: whether --renderer-cmd-prefix applies
 * @error: why it could not be spawned (%BH_LAUNCHER_ERROR, or the channel's)
 *
 * Creates the channel pair, spawns @executable through the launcher with the
 * child's end as fd 3 (sandboxed unless --no-sandbox, under
 * --renderer-memory-limit-mb), names the peer, sends ProcessIdentity and
 * watches the process. The child's stdout and stderr are one pipe the browser
 * reads (#BhChildOutput): each line goes to the browser's stderr as
 * "[ROLE LABEL PID] LINE". Under --renderer-cmd-prefix (@use_cmd_prefix and
 * the option set) the child keeps the browser's stdout and stderr instead,
 * for the debugger's terminal. On failure the termination is recorded as
 * %BH_TERMINATION_STATUS_LAUNCH_FAILED ("The KIND for LABEL could not be
 * started: ERROR").
 *
 * Returns: %TRUE if the process runs.
 */
gboolean bh_child_host_launch (BhChildHost *host, const char *executable,
                               const char *const *role_args, gboolean use_cmd_prefix, GError **error);

/**
 * bh_child_host_handle_message:
 * @message: (transfer none): a message from the child
 *
 * What every child may send: drops messages after the termination, reports
 * any message before ChildReady as a bad message, answers Ping, takes Pong,
 * and checks ChildReady (once, naming the host's role).
 *
 * Returns: %TRUE if @message was dealt with; %FALSE leaves it to the owner.
 */
gboolean bh_child_host_handle_message (BhChildHost *host, BhMessage *message);

/**
 * bh_child_host_channel_error:
 * @error: the channel's error (%BH_CHANNEL_ERROR)
 *
 * A protocol error or cut fds is a bad message; a full queue kills the
 * process; anything else is a hang-up, after which a process that lingers is
 * killed once a grace period has passed.
 */
void bh_child_host_channel_error (BhChildHost *host, const GError *error);

/**
 * bh_child_host_kill:
 * @status: how to record the end, not %BH_TERMINATION_STATUS_STILL_RUNNING
 * @message: (nullable): the plain-words reason; %NULL derives it from @status
 *
 * Sends SIGKILL and records @status now, instead of what waitpid() will say.
 */
void bh_child_host_kill (BhChildHost *host, BhTerminationStatus status, const char *message);

/**
 * bh_child_host_report_bad_message:
 * @format: printf-style, what the child did wrong
 *
 * Logs "bad message from KIND PID (LABEL): REASON" on stderr and, unless
 * --disable-kill-after-bad-ipc was given, kills the process with
 * %BH_TERMINATION_STATUS_BAD_MESSAGE (Chromium: content/browser/bad_message.cc).
 */
void bh_child_host_report_bad_message (BhChildHost *host, const char *format, ...) G_GNUC_PRINTF (2, 3);

/**
 * bh_child_host_close:
 *
 * Closes the channel (the child exits on EOF), records that whatever exit
 * comes is a normal one ("The KIND for LABEL was closed") and kills a child
 * that does not exit within a grace period. The owner decides whether a
 * second close is one.
 */
void bh_child_host_close (BhChildHost *host);

/**
 * bh_child_host_start_idle_grace:
 * @grace_ms: how long an unused process is kept for a user that may come
 *
 * Calls the owner's idle hook after @grace_ms, unless closing or already
 * counting.
 */
void bh_child_host_start_idle_grace (BhChildHost *host, guint grace_ms);

/**
 * bh_child_host_cancel_idle_grace:
 *
 * A new user came: the process is kept.
 */
void bh_child_host_cancel_idle_grace (BhChildHost *host);

/**
 * bh_child_host_is_closing:
 *
 * Returns: %TRUE once the process takes no new user.
 */
gboolean bh_child_host_is_closing (const BhChildHost *host);

/**
 * bh_child_host_is_alive:
 *
 * Returns: %TRUE from a successful spawn until the process is known dead.
 */
gboolean bh_child_host_is_alive (const BhChildHost *host);

/**
 * bh_child_host_describe_sandbox:
 *
 * Returns: (transfer full): the sandbox as /proc shows it
 *   (bh_child_process_describe_sandbox()), or "unknown (process gone)".
 */
char *bh_child_host_describe_sandbox (const BhChildHost *host);

/**
 * bh_child_host_get_rss_kib:
 *
 * Returns: VmRSS of /proc/PID/status (proc(5)) in KiB, or 0 if not running.
 */
guint64 bh_child_host_get_rss_kib (const BhChildHost *host);

/**
 * bh_child_host_get_ipc_counts:
 * @out_received: (out) (optional): messages received from the child
 * @out_sent: (out) (optional): messages sent to it
 */
void bh_child_host_get_ipc_counts (const BhChildHost *host, guint64 *out_received, guint64 *out_sent);

G_END_DECLS
