/* bh-trace.c: trace sinks, filters and the --ipc-debug sink (the formats are in
 * bh-trace-format.c). */
#include "bh-trace.h"

#include <stdio.h>
#include <unistd.h>

typedef struct {
  guint id;
  BhTraceSink sink;
  gpointer user_data;
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

guint
bh_trace_add_sink (BhTraceSink sink, gpointer user_data)
{
  Sink s = { next_sink_id++, sink, user_data };

  if (sinks == NULL)
    sinks = g_array_new (FALSE, FALSE, sizeof (Sink));
  g_array_append_val (sinks, s);
  return s.id;
}

void
bh_trace_remove_sink (guint id)
{
  for (guint i = 0; sinks && i < sinks->len; i++)
    if (g_array_index (sinks, Sink, i).id == id)
      {
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

typedef struct {
  BhTraceFilter *filter;
  gboolean json;
} StderrSink;

static void
stderr_sink (const BhTraceEvent *event, gpointer user_data)
{
  StderrSink *s = user_data;
  g_autofree char *line = NULL;

  if (!bh_trace_filter_matches (s->filter, bh_trace_event_name (event)))
    return;
  line = s->json ? bh_trace_format_json (event, 200) : bh_trace_format_line (event, 200);
  /* One write per line so that lines of several processes do not interleave. */
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
}

void
bh_trace_stderr_setup (const char *value, const char *format)
{
  /* Lives as long as the process: the sink is never removed. */
  StderrSink *s = g_new0 (StderrSink, 1);

  s->filter = bh_trace_filter_new (value);
  s->json = g_strcmp0 (format, "json") == 0;
  bh_trace_add_sink (stderr_sink, s);
}
