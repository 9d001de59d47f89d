/* bh-trace.h: every message sent or received, as a trace event.
 *
 * Channels report to the process-wide sinks registered here. common/ never
 * prints: the executables add a sink that writes --ipc-debug lines to stderr,
 * and the browser's automation server adds one for bulkhead:ipc.message.
 */
#pragma once

#include <glib.h>

#include "bh-data-pipe.h"
#include "bh-message.h"

G_BEGIN_DECLS

typedef enum {
  BH_TRACE_SENT,
  BH_TRACE_RECEIVED,
} BhTraceDirection;

/* What a data pipe did (bh-data-pipe.h): one event per wake-up sent, full or
 * empty ring, end, failure or close, not one per byte. */
typedef struct {
  guint64 id;          /* what the owner named it by, e.g. the navigation id */
  const char *event;   /* "wake", "full", "empty", "end", "failed", "closed", "bad-peer",
                        * "peer-closed", "producer-failed" */
  const char *what;    /* what flows, e.g. "navigation body"; may be "" */
  BhDataPipeStats stats;
} BhTracePipe;

/* The name filters and sinks see for data pipe events. */
#define BH_TRACE_DATA_PIPE_NAME "DataPipe"

typedef struct {
  gint64 time_us; /* g_get_monotonic_time() */
  BhTraceDirection direction;
  const char *local_role; /* "browser", "renderer", "plugin" */
  guint local_pid;
  const char *peer_role;
  guint peer_pid;         /* 0 if not known */
  const char *peer_label; /* site or plugin type; may be "" */
  const BhMessage *message; /* NULL for a data pipe event */
  gsize payload_bytes;
  const BhTracePipe *pipe;  /* a data pipe event (direction: SENT on the producer's side) */
} BhTraceEvent;

typedef void (*BhTraceSink) (const BhTraceEvent *event, gpointer user_data);

/**
 * bh_trace_event_name:
 * @event: an event
 *
 * Returns: (transfer none): the message's catalogue name, or
 *   %BH_TRACE_DATA_PIPE_NAME for a data pipe event: what filters match.
 */
const char *bh_trace_event_name (const BhTraceEvent *event);

/**
 * bh_trace_set_local:
 * @role: (transfer none): this process's role, a static string
 * @pid: this process's pid as the browser sees it, or getpid()
 *
 * Names this process in every event. Call once at start-up.
 */
void bh_trace_set_local (const char *role, guint pid);

/**
 * bh_trace_add_sink:
 * @sink: called on the thread that sent or received, for every message
 * @user_data: passed to @sink
 *
 * Returns: an id for bh_trace_remove_sink(), never 0.
 */
guint bh_trace_add_sink (BhTraceSink sink, gpointer user_data);

/**
 * bh_trace_remove_sink:
 * @id: from bh_trace_add_sink()
 */
void bh_trace_remove_sink (guint id);

/**
 * bh_trace_is_enabled:
 *
 * Returns: %TRUE when at least one sink is registered, so that channels build
 *   events only when someone listens.
 */
gboolean bh_trace_is_enabled (void);

/**
 * bh_trace_emit:
 * @event: filled in except for the local role and pid, which this sets
 *
 * Hands @event to every sink.
 */
void bh_trace_emit (BhTraceEvent *event);

/**
 * bh_trace_format_line:
 * @event: an event
 * @max_payload_chars: the printed payload is cut to this many characters
 *   and marked with "…"
 *
 * The --ipc-debug line, without a newline, for example:
 *   "  12.345678 browser[100] -> renderer[101 http://a.test] CommitNavigation
 *    serial=3 reply=0 bytes=96 fds=1 (1, 'http://a.test/', ...)"
 * or, for a data pipe (=> from the producer, <= from the consumer):
 *   "  12.400000 browser[100] => renderer[101 http://a.test] DataPipe id=3 wake
 *    written=65536 read=0 wakeups=1/0 full=0 empty=0 (navigation body)"
 *
 * Returns: (transfer full): the line.
 */
char *bh_trace_format_line (const BhTraceEvent *event, guint max_payload_chars);

/**
 * bh_trace_format_json:
 * @event: an event
 * @max_payload_chars: as for bh_trace_format_line()
 *
 * The same fields as one JSON object on one line (for --ipc-debug-format=json
 * and bulkhead:ipc.message): time_us, role, pid, direction ("send"/"recv"),
 * peerRole, peerPid, peer, message, serial, replySerial, bytes, fds, payload;
 * a data pipe event has message "DataPipe" and, instead of the last six,
 * id, event, what, written, read, wakeupsSent, wakeupsSeen, full, empty.
 *
 * Returns: (transfer full): the JSON text, without a newline.
 */
char *bh_trace_format_json (const BhTraceEvent *event, guint max_payload_chars);

typedef struct _BhTraceFilter BhTraceFilter;

/**
 * bh_trace_filter_new:
 * @globs: (nullable): comma-separated glob patterns on message names, as in
 *   "Frame*,Navigate"; %NULL or "" matches every message
 *
 * Returns: (transfer full): the filter.
 */
BhTraceFilter *bh_trace_filter_new (const char *globs);

/**
 * bh_trace_filter_matches:
 * @filter: (nullable): %NULL matches everything
 * @message_name: a catalogue name
 */
gboolean bh_trace_filter_matches (const BhTraceFilter *filter, const char *message_name);

void bh_trace_filter_free (BhTraceFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhTraceFilter, bh_trace_filter_free)

/**
 * bh_trace_stderr_setup:
 * @value: (nullable): the text after "--ipc-debug=" (the filter), or "" for all
 * @format: "text" or "json"
 *
 * Adds the sink that prints one line per message to stderr. Used by all three
 * executables for --ipc-debug; it is the one place in common/ that prints,
 * because printing is what was asked for.
 */
void bh_trace_stderr_setup (const char *value, const char *format);

G_END_DECLS
