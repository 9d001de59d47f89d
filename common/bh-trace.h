/* bh-trace.h: every message sent or received, as a trace event.
 *
 * Channels report to the process-wide sinks registered here. common/ never
 * prints: the executables add a sink that writes --ipc-debug lines to stderr,
 * and the browser's automation server adds one for bulkhead:ipc.message.
 */
#pragma once

#include <glib.h>

#include "bh-data-pipe-stats.h"
#include "bh-message.h"

G_BEGIN_DECLS

typedef enum {
  BH_TRACE_SENT,
  BH_TRACE_RECEIVED,
  /* After the receiver's handler returned: the message has its type and
   * serials only (no payload, no fds); handled_us says how long it ran. Only
   * sinks added with BH_TRACE_SINK_HANDLED see these. */
  BH_TRACE_HANDLED,
} BhTraceDirection;

typedef enum {
  BH_TRACE_SINK_DEFAULT = 0,
  BH_TRACE_SINK_HANDLED = 1 << 0, /* also BH_TRACE_HANDLED events */
} BhTraceSinkFlags;

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
  gint64 handled_us;        /* BH_TRACE_HANDLED: how long the handler ran, microseconds */
  const char *lane;         /* "control" for the control lane, NULL for the data lane */
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
 * bh_trace_add_sink_full:
 * @flags: %BH_TRACE_SINK_HANDLED to be handed BH_TRACE_HANDLED events too
 *
 * As bh_trace_add_sink().
 */
guint bh_trace_add_sink_full (BhTraceSink sink, gpointer user_data, BhTraceSinkFlags flags);

/**
 * bh_trace_wants_handled:
 *
 * Returns: %TRUE when a sink takes BH_TRACE_HANDLED events, so that channels
 *   time their handlers only then.
 */
gboolean bh_trace_wants_handled (void);

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
 * @max_payload_chars: the fields inside the parentheses are cut to this many
 *   characters and marked with "…" (strings longer than 72 characters are cut
 *   anyway, with their size: 'abc…' (912 B))
 *
 * The --ipc-debug line, without a newline: the payload with the catalogue's
 * field names, numbers as a person writes them, each fd described, for example:
 *   "   12.345678 browser[100] -> renderer[101 http://a.test] CommitNavigation(view=1,
 *    navigation=7, url='http://a.test/', content_type='text/html', charset='utf-8',
 *    pipe_capacity=65536) fds=[memfd 65536 B, socket] serial=3 bytes=72"
 * ("reply_to=N" follows the serial of a reply), or, for a data pipe (=> from the
 * producer, <= from the consumer):
 *   "   12.400000 browser[100] => renderer[101 http://a.test] DataPipe id=3 wake
 *    written=65536 read=0 wakeups=1/0 full=0 empty=0 (navigation body)"
 *
 * Returns: (transfer full): the line.
 */
char *bh_trace_format_line (const BhTraceEvent *event, guint max_payload_chars);

/**
 * bh_trace_format_json:
 * @event: an event
 * @max_payload_chars: each string in the payload is cut to this many characters
 *   (and "payloadCut": true added)
 *
 * The same fields as one JSON object on one line (for --ipc-debug-format=json
 * and bulkhead:ipc.message): time_us, role, pid, direction ("send"/"recv"),
 * peerRole, peerPid, peer, message, serial, replySerial, bytes, fds (an array of
 * {"kind": "memfd"|"socket"|"pipe"|"file"|"other"|"closed", "bytes", "sealed",
 * "seals": ["write", "shrink", "grow", "seal"], "readOnly"}), payload (an object
 * of the catalogue's field names: {"view": 1, "url": "http://a.test/"}; tuples
 * and arrays inside it as arrays, byte arrays as {"bytes": N}); a data pipe event
 * has message "DataPipe" and, instead of the last five, id, event, what,
 * written, read, wakeupsSent, wakeupsSeen, full, empty.
 *
 * Returns: (transfer full): the JSON text, without a newline.
 */
char *bh_trace_format_json (const BhTraceEvent *event, guint max_payload_chars);

/**
 * bh_trace_format_record:
 * @event: an event
 * @max_payload_chars: as for bh_trace_format_json()
 *
 * What a child behind a browser writes on its stdout/stderr pipe for
 * --ipc-debug (--ipc-debug-format=record): %BH_TRACE_RECORD_PREFIX and the
 * JSON of bh_trace_format_json() with two more members, "call" and "fdsText"
 * (the text line's parts, bh_trace_format_call() and bh_trace_append_fds()),
 * or "arrow" and "text" for a data pipe event; a BH_TRACE_HANDLED event is
 * {"time_us", "direction": "handled", "message", "serial", "replySerial",
 * "peerRole", "handledUs"}. The browser merges these (bh-trace-merge.h).
 *
 * Returns: (transfer full): the line, without a newline.
 */
char *bh_trace_format_record (const BhTraceEvent *event, guint max_payload_chars);

/* How a child's trace record starts, so that the browser tells it from
 * anything else the child prints. */
#define BH_TRACE_RECORD_PREFIX "@bh-trace "

/**
 * bh_trace_format_call:
 * @message: a message
 * @max_chars: the fields are cut to this many characters, marked with "…"
 *
 * Returns: (transfer full): the message as a call with named fields,
 *   "FrameReady(view=1, buffer=2, scroll_y=0, document_height=900,
 *   damage=[(0, 0, 800, 600)])".
 */
char *bh_trace_format_call (const BhMessage *message, guint max_chars);

/* What an fd that travelled with a message is, as fstat(2) and
 * fcntl(F_GET_SEALS) (memfd_create(2)) tell, read when the event is formatted. */
typedef struct {
  const char *kind;   /* "memfd", "socket", "pipe", "file", "other", or "closed" */
  guint64 size_bytes; /* memfd and file only */
  guint seals;        /* F_SEAL_* bits; memfd only */
  gboolean read_only; /* opened O_RDONLY */
} BhTraceFd;

/**
 * bh_trace_describe_fd:
 * @fd: an fd of this process, or -1
 * @out: (out caller-allocates): what it is
 */
void bh_trace_describe_fd (int fd, BhTraceFd *out);

/**
 * bh_trace_append_fd:
 * @out: text to append to
 * @fd: from bh_trace_describe_fd()
 *
 * Appends "memfd 91234 B sealed" (sealed: F_SEAL_WRITE, F_SEAL_SHRINK and
 * F_SEAL_GROW are set), "memfd 65536 B seals=grow,shrink", "socket", ...
 */
void bh_trace_append_fd (GString *out, const BhTraceFd *fd);

/**
 * bh_trace_append_fds:
 * @out: text to append to
 * @message: a message whose fds are still open
 *
 * Appends "[memfd 91234 B sealed, socket]".
 */
void bh_trace_append_fds (GString *out, const BhMessage *message);

/**
 * bh_trace_append_value:
 * @out: text to append to
 * @value: any GVariant
 *
 * Appends @value as a person writes it: 1, -3, 0.3, true, 'text' (cut after 72
 * characters with its size in bytes), <64 B> for a byte array, [a, b, … 5 more]
 * for an array past 6 elements, (x, y) for a tuple.
 */
void bh_trace_append_value (GString *out, GVariant *value);

/**
 * bh_trace_append_double:
 * @out: text to append to
 * @value: a double
 *
 * Appends the shortest decimal that reads back as @value (0.3, 1, 1.25e-07),
 * "nan", "inf" or "-inf".
 */
void bh_trace_append_double (GString *out, double value);

typedef struct _BhTraceFilter BhTraceFilter;

/**
 * bh_trace_filter_new:
 * @globs: (nullable): comma-separated glob patterns on message names, as in
 *   "Frame*,Navigate"; a pattern starting with "-" excludes what it matches
 *   ("*,-Ping,-Pong", or just "-Ping,-Pong": everything but those). A name
 *   matches if it matches an including pattern (or there is none) and no
 *   excluding one. %NULL or "" matches every message.
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
 * bh_trace_sides_is_valid:
 * @sides: (nullable): an --ipc-debug-sides value
 *
 * Returns: %TRUE for "send", "recv" and "both" (%NULL means "send").
 */
gboolean bh_trace_sides_is_valid (const char *sides);

/**
 * bh_trace_sides_shows:
 * @sides: (nullable): "send" (%NULL), "recv" or "both"
 * @direction: %BH_TRACE_SENT or %BH_TRACE_RECEIVED
 *
 * Returns: whether a line is printed for that side of a message.
 */
gboolean bh_trace_sides_shows (const char *sides, BhTraceDirection direction);

/**
 * bh_trace_stderr_setup:
 * @value: (nullable): the text after "--ipc-debug=" (the filter), or "" for all
 * @format: "text", "json", or "record" (a child behind a browser that merges:
 *   bh_trace_format_record() lines, handling times included)
 * @sides: (nullable): "send" (the default: one line per message, where it is
 *   sent), "recv" or "both"
 *
 * Adds the sink that prints one line per message to stderr. Used by the
 * children for --ipc-debug (the browser merges: bh-trace-merge.h); it is the
 * one place in common/ that prints, because printing is what was asked for.
 */
void bh_trace_stderr_setup (const char *value, const char *format, const char *sides);

G_END_DECLS
