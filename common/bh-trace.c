/* bh-trace.c: trace sinks, filters and the --ipc-debug sink (the formats are in
 * bh-trace-format.c). */
#include "bh-trace.h"

#include <stdio.h>
#include <unistd.h>

typedef struct {
  guint id;
  BhTraceSink sink;
  gpointer user_data;
  BhTraceSinkFlags flags;
} Sink;

static GArray *sinks; /* Sink; main thread only */
static guint next_sink_id = 1;
static const char *local_role = "process";
static guint local_pid;

void
bh_trace_set_local (const char *role, guint pid)
{
  local_role = role;
  local_pid = pid;
}

static guint n_handled_sinks;

guint
bh_trace_add_sink_full (BhTraceSink sink, gpointer user_data, BhTraceSinkFlags flags)
{
  Sink s = { next_sink_id++, sink, user_data, flags };

  if (sinks == NULL)
    sinks = g_array_new (FALSE, FALSE, sizeof (Sink));
  g_array_append_val (sinks, s);
  if (flags & BH_TRACE_SINK_HANDLED)
    n_handled_sinks++;
  return s.id;
}

guint
bh_trace_add_sink (BhTraceSink sink, gpointer user_data)
{
  return bh_trace_add_sink_full (sink, user_data, BH_TRACE_SINK_DEFAULT);
}

gboolean
bh_trace_wants_handled (void)
{
  return n_handled_sinks > 0;
}

void
bh_trace_remove_sink (guint id)
{
  for (guint i = 0; sinks && i < sinks->len; i++)
    if (g_array_index (sinks, Sink, i).id == id)
      {
        if (g_array_index (sinks, Sink, i).flags & BH_TRACE_SINK_HANDLED)
          n_handled_sinks--;
        g_array_remove_index (sinks, i);
        return;
      }
}

gboolean
bh_trace_is_enabled (void)
{
  return sinks != NULL && sinks->len > 0;
}

void
bh_trace_emit (BhTraceEvent *event)
{
  event->local_role = local_role;
  event->local_pid = local_pid ? local_pid : (guint) getpid ();
  for (guint i = 0; sinks && i < sinks->len; i++)
    {
      Sink s = g_array_index (sinks, Sink, i);

      if (event->direction != BH_TRACE_HANDLED || (s.flags & BH_TRACE_SINK_HANDLED))
        s.sink (event, s.user_data);
    }
}

const char *
bh_trace_event_name (const BhTraceEvent *event)
{
  return event->pipe ? BH_TRACE_DATA_PIPE_NAME : bh_message_type_name (event->message->type);
}

struct _BhTraceFilter {
  GPtrArray *include; /* GPatternSpec; empty: every name */
  GPtrArray *exclude; /* GPatternSpec, from "-Glob" */
};

BhTraceFilter *
bh_trace_filter_new (const char *globs)
{
  BhTraceFilter *f = g_new0 (BhTraceFilter, 1);
  g_auto (GStrv) parts = g_strsplit (globs ? globs : "", ",", -1);

  f->include = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
  f->exclude = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
  for (guint i = 0; parts[i]; i++)
    {
      const char *glob = g_strstrip (parts[i]);

      if (*glob == '-')
        {
          glob = glob + 1;
          while (g_ascii_isspace (*glob))
            glob++;
          if (*glob)
            g_ptr_array_add (f->exclude, g_pattern_spec_new (glob));
        }
      else if (*glob)
        g_ptr_array_add (f->include, g_pattern_spec_new (glob));
    }
  return f;
}

static gboolean
any_matches (GPtrArray *specs, const char *name)
{
  for (guint i = 0; i < specs->len; i++)
    if (g_pattern_spec_match_string (g_ptr_array_index (specs, i), name))
      return TRUE;
  return FALSE;
}

gboolean
bh_trace_filter_matches (const BhTraceFilter *f, const char *name)
{
  if (f == NULL)
    return TRUE;
  if (f->include->len > 0 && !any_matches (f->include, name))
    return FALSE;
  return !any_matches (f->exclude, name);
}

void
bh_trace_filter_free (BhTraceFilter *f)
{
  if (f == NULL)
    return;
  g_clear_pointer (&f->include, g_ptr_array_unref);
  g_clear_pointer (&f->exclude, g_ptr_array_unref);
  g_free (f);
}

gboolean
bh_trace_sides_is_valid (const char *sides)
{
  return sides == NULL || g_str_equal (sides, "send") || g_str_equal (sides, "recv") || g_str_equal (sides, "both");
}

gboolean
bh_trace_sides_shows (const char *sides, BhTraceDirection direction)
{
  if (sides == NULL || g_str_equal (sides, "send"))
    return direction == BH_TRACE_SENT;
  if (g_str_equal (sides, "recv"))
    return direction == BH_TRACE_RECEIVED;
  return direction == BH_TRACE_SENT || direction == BH_TRACE_RECEIVED;
}

typedef enum {
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_RECORD,
} Format;

typedef struct {
  BhTraceFilter *filter;
  Format format;
  char *sides;
} StderrSink;

static void
stderr_sink (const BhTraceEvent *event, gpointer user_data)
{
  StderrSink *s = user_data;
  g_autofree char *line = NULL;

  if (!bh_trace_filter_matches (s->filter, bh_trace_event_name (event)))
    return;
  /* A record names every side and every handling time: the browser picks. Both
   * sides of a data pipe event are kept, each process writing its own. */
  if (s->format == FORMAT_RECORD)
    {
      if (event->direction == BH_TRACE_RECEIVED && !event->pipe && !bh_trace_sides_shows (s->sides, event->direction))
        return;
      line = bh_trace_format_record (event, 200);
    }
  else
    {
      if (!event->pipe && !bh_trace_sides_shows (s->sides, event->direction))
        return;
      line = s->format == FORMAT_JSON ? bh_trace_format_json (event, 200) : bh_trace_format_line (event, 200);
    }
  /* One write per line so that lines of several processes do not interleave. */
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

void
bh_trace_stderr_setup (const char *value, const char *format, const char *sides)
{
  /* Lives as long as the process: the sink is never removed. */
  StderrSink *s = g_new0 (StderrSink, 1);

  s->filter = bh_trace_filter_new (value);
  s->format = g_strcmp0 (format, "json") == 0 ? FORMAT_JSON : g_strcmp0 (format, "record") == 0 ? FORMAT_RECORD
                                                                                               : FORMAT_TEXT;
  s->sides = g_strdup (sides ? sides : "send");
  bh_trace_add_sink_full (stderr_sink, s, s->format == FORMAT_RECORD ? BH_TRACE_SINK_HANDLED : 0);
}
