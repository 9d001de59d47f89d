/* bh-trace-merge.h: one --ipc-debug trace of every process, in time order, in the browser.
 *
 * Each child behind the browser writes its trace records
 * (bh_trace_format_record()) on its stdout/stderr pipe; the browser hands each
 * such line here with the pid it knows the child by. The merger adds the
 * browser's own events and prints one line per message, where it was sent (or
 * where it was received, or both: --ipc-debug-sides), in one CLOCK_MONOTONIC
 * order (g_get_monotonic_time() is the same clock in every process, pid
 * namespace or not), with the pids as the browser sees them and the
 * receiver's handling time added when the receiver is traced too.
 *
 * Order: a line waits BH_TRACE_MERGE_HOLD_MS after its time stamp before it is
 * printed, so that a child's lines, which come through a pipe, find their
 * place among the browser's. When a message from a child arrives, the child's
 * pipe is read first: the child wrote the message's line before sending it,
 * so the sender's line is always there before the receiver's handling.
 *
 * A child's records are its own claims: they are parsed as untrusted JSON
 * (bounded by the pipe's line cap), their text is made printable, and the pids
 * and names are the browser's, never the record's.
 */
#pragma once

#include <glib.h>

#include "bh-trace.h"

G_BEGIN_DECLS

/* How long a line waits for lines of other processes that are older. */
#define BH_TRACE_MERGE_HOLD_MS 200

/**
 * BhTraceMergeDrainFunc:
 * @user_data: as given to bh_trace_merge_add_child()
 *
 * Reads, without blocking, everything the child's pipe holds now, handing its
 * lines to bh_trace_merge_take_child_line() (bh_child_output_drain()).
 */
typedef void (*BhTraceMergeDrainFunc) (gpointer user_data);

/**
 * BhTraceMergeWriteFunc:
 * @line: one trace line, without a newline
 * @user_data: as given to bh_trace_merge_set_writer()
 */
typedef void (*BhTraceMergeWriteFunc) (const char *line, gpointer user_data);

/**
 * bh_trace_merge_setup:
 * @filter: (nullable): the --ipc-debug globs ("" or %NULL: every message)
 * @format: (nullable): "text" (default) or "json"
 * @sides: (nullable): "send" (default), "recv" or "both"
 * @peers: (nullable): --ipc-debug-peer: comma-separated ROLE:GLOB, where ROLE
 *   is "renderer" or "plugin" and GLOB matches the site or plugin type
 *   ("renderer:http://alpha.test,plugin:application/pdf"); only messages to and
 *   from those children are shown
 * @error: G_OPTION_ERROR_BAD_VALUE for a @sides or @peers that does not parse
 *
 * Starts merging: sets the local role to "browser", adds the trace sink, and
 * prints every line to stderr (or to the writer) until bh_trace_merge_flush()
 * at exit. Call once.
 *
 * Returns: %TRUE on success.
 */
gboolean bh_trace_merge_setup (const char *filter, const char *format, const char *sides, const char *peers,
                               GError **error);

/**
 * bh_trace_merge_check_peers:
 * @peers: (nullable): an --ipc-debug-peer value
 * @error: G_OPTION_ERROR_BAD_VALUE naming what is wrong
 *
 * Returns: %TRUE if @peers parses (for the command line's checks).
 */
gboolean bh_trace_merge_check_peers (const char *peers, GError **error);

/**
 * bh_trace_merge_is_active:
 *
 * Returns: %TRUE once bh_trace_merge_setup() succeeded: children are to write
 *   records (--ipc-debug-format=record) and their lines come here.
 */
gboolean bh_trace_merge_is_active (void);

/**
 * bh_trace_merge_get_sides:
 *
 * Returns: (transfer none): the --ipc-debug-sides in force, for the children.
 */
const char *bh_trace_merge_get_sides (void);

/**
 * bh_trace_merge_add_child:
 * @pid: the child's pid as the browser sees it
 * @role: "renderer" or "plugin" (copied)
 * @label: its site or plugin type (copied)
 * @drain: (nullable): reads the child's pipe now
 * @user_data: for @drain
 *
 * Names a child whose lines will come.
 */
void bh_trace_merge_add_child (guint pid, const char *role, const char *label, BhTraceMergeDrainFunc drain,
                               gpointer user_data);

/**
 * bh_trace_merge_remove_child:
 * @pid: as given to bh_trace_merge_add_child()
 *
 * Forgets the child (after its pipe's last line). Its lines already taken are
 * still printed in their turn.
 */
void bh_trace_merge_remove_child (guint pid);

/**
 * bh_trace_merge_take_child_line:
 * @pid: the child that wrote it
 * @line: (array length=len): one line from its pipe, not NUL-terminated
 * @len: its length
 *
 * Returns: %TRUE if @line was a trace record (taken, or dropped as malformed),
 *   %FALSE for any other line, which the caller prints as it would.
 */
gboolean bh_trace_merge_take_child_line (guint pid, const char *line, gsize len);

/**
 * bh_trace_merge_flush:
 *
 * Reads every child's pipe and prints every line still held, in order. At exit
 * (also run from atexit()), and by tests.
 */
void bh_trace_merge_flush (void);

/**
 * bh_trace_merge_set_writer:
 * @func: (nullable): where lines go instead of stderr; %NULL: stderr again
 * @user_data: for @func
 *
 * For tests.
 */
void bh_trace_merge_set_writer (BhTraceMergeWriteFunc func, gpointer user_data);

/**
 * bh_trace_merge_reset:
 *
 * Flushes, removes the sink and forgets every child and setting, as before
 * bh_trace_merge_setup(). For tests.
 */
void bh_trace_merge_reset (void);

G_END_DECLS
