/* bh-data-pipe-stats.h: a data pipe's counts (bh-data-pipe.h), on their own
 * so that the trace (bh-trace.h), which reports them, need not include the
 * pipe that emits trace events. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Counts, for --ipc-debug and tests. */
typedef struct {
  guint64 bytes_written;  /* by the producer, as this side last saw */
  guint64 bytes_read;     /* by the consumer, as this side last saw */
  guint64 wakeups_sent;   /* one-byte signals this side sent */
  guint64 wakeups_seen;   /* times this side was woken by the peer */
  guint64 full_count;     /* producer: times a write found the ring full */
  guint64 empty_count;    /* consumer: times a read found the ring empty */
} BhDataPipeStats;

G_END_DECLS
