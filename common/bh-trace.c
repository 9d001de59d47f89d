/* bh-trace.c: trace sinks and the --ipc-debug formats. */
#include "bh-trace.h"

#include <json-glib/json-glib.h>
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

static char *
format_pipe_line (const BhTraceEvent *event)
{
  const BhTracePipe *p = event->pipe;
  const char *label = event->peer_label ? event->peer_label : "";

  return g_strdup_printf ("%12.6f %s[%u] %s %s[%u%s%s] " BH_TRACE_DATA_PIPE_NAME " id=%" G_GUINT64_FORMAT
                          " %s written=%" G_GUINT64_FORMAT " read=%" G_GUINT64_FORMAT " wakeups=%" G_GUINT64_FORMAT
                          "/%" G_GUINT64_FORMAT " full=%" G_GUINT64_FORMAT " empty=%" G_GUINT64_FORMAT "%s%s%s",
                          event->time_us / 1e6, event->local_role, event->local_pid,
                          event->direction == BH_TRACE_SENT ? "=>" : "<=", event->peer_role, event->peer_pid,
                          *label ? " " : "", label, p->id, p->event, p->stats.bytes_written, p->stats.bytes_read,
                          p->stats.wakeups_sent, p->stats.wakeups_seen, p->stats.full_count, p->stats.empty_count,
                          *p->what ? " (" : "", p->what, *p->what ? ")" : "");
}

static char *
format_payload (const BhTraceEvent *event, guint max_chars)
{
  g_autofree char *text = NULL;

  if (event->message->payload == NULL)
    return g_strdup ("");
  text = g_variant_print (event->message->payload, FALSE);
  if (g_utf8_strlen (text, -1) > max_chars)
    {
      char *cut = g_utf8_offset_to_pointer (text, max_chars);
      *cut = '\0';
      return g_strconcat (text, "…", NULL);
    }
  return g_steal_pointer (&text);
}

char *
bh_trace_format_line (const BhTraceEvent *event, guint max_payload_chars)
{
  g_autofree char *payload = NULL;
  const char *label = event->peer_label ? event->peer_label : "";

  if (event->pipe)
    return format_pipe_line (event);
  payload = format_payload (event, max_payload_chars);
  return g_strdup_printf ("%12.6f %s[%u] %s %s[%u%s%s] %s serial=%u reply=%u bytes=%" G_GSIZE_FORMAT
                          " fds=%u %s",
                          event->time_us / 1e6, event->local_role, event->local_pid,
                          event->direction == BH_TRACE_SENT ? "->" : "<-", event->peer_role,
                          event->peer_pid, *label ? " " : "", label,
                          bh_message_type_name (event->message->type), event->message->serial,
                          event->message->reply_serial, event->payload_bytes, event->message->n_fds,
                          payload);
}

char *
bh_trace_format_json (const BhTraceEvent *event, guint max_payload_chars)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *payload = event->pipe ? NULL : format_payload (event, max_payload_chars);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "time_us");
  json_builder_add_int_value (b, event->time_us);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, event->local_role);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, event->local_pid);
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, event->direction == BH_TRACE_SENT ? "send" : "recv");
  json_builder_set_member_name (b, "peerRole");
  json_builder_add_string_value (b, event->peer_role);
  json_builder_set_member_name (b, "peerPid");
  json_builder_add_int_value (b, event->peer_pid);
  json_builder_set_member_name (b, "peer");
  json_builder_add_string_value (b, event->peer_label ? event->peer_label : "");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, bh_trace_event_name (event));
  if (event->pipe)
    {
      const BhTracePipe *p = event->pipe;
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, (gint64) p->id);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, p->event);
      json_builder_set_member_name (b, "what");
      json_builder_add_string_value (b, p->what);
      json_builder_set_member_name (b, "written");
      json_builder_add_int_value (b, (gint64) p->stats.bytes_written);
      json_builder_set_member_name (b, "read");
      json_builder_add_int_value (b, (gint64) p->stats.bytes_read);
      json_builder_set_member_name (b, "wakeupsSent");
      json_builder_add_int_value (b, (gint64) p->stats.wakeups_sent);
      json_builder_set_member_name (b, "wakeupsSeen");
      json_builder_add_int_value (b, (gint64) p->stats.wakeups_seen);
      json_builder_set_member_name (b, "full");
      json_builder_add_int_value (b, (gint64) p->stats.full_count);
      json_builder_set_member_name (b, "empty");
      json_builder_add_int_value (b, (gint64) p->stats.empty_count);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      return json_generator_to_data (gen, NULL);
    }
  json_builder_set_member_name (b, "serial");
  json_builder_add_int_value (b, event->message->serial);
  json_builder_set_member_name (b, "replySerial");
  json_builder_add_int_value (b, event->message->reply_serial);
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, event->payload_bytes);
  json_builder_set_member_name (b, "fds");
  json_builder_add_int_value (b, event->message->n_fds);
  json_builder_set_member_name (b, "payload");
  json_builder_add_string_value (b, payload);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

struct _BhTraceFilter {
  GPtrArray *specs; /* GPatternSpec; empty matches everything */
};

BhTraceFilter *
bh_trace_filter_new (const char *globs)
{
  BhTraceFilter *f = g_new0 (BhTraceFilter, 1);
  g_auto (GStrv) parts = g_strsplit (globs ? globs : "", ",", -1);

  f->specs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_ptr_array_add (f->specs, g_pattern_spec_new (parts[i]));
    }
  return f;
}

gboolean
bh_trace_filter_matches (const BhTraceFilter *f, const char *name)
{
  if (f == NULL || f->specs->len == 0)
    return TRUE;
  for (guint i = 0; i < f->specs->len; i++)
    if (g_pattern_spec_match_string (g_ptr_array_index (f->specs, i), name))
      return TRUE;
  return FALSE;
}

void
bh_trace_filter_free (BhTraceFilter *f)
{
  if (f == NULL)
    return;
  g_clear_pointer (&f->specs, g_ptr_array_unref);
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
