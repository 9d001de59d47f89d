/* bh-trace-format.c: a message as a person reads it, as a line and as JSON.
 *
 * Payloads print with the catalogue's field names, numbers as a person writes
 * them (0.3, not 0.29999999999999999), strings quoted and cut when long, and
 * each fd described from the fd itself (fstat, F_GET_SEALS), so that the same
 * words appear in --ipc-debug, the IPC inspector and bulkhead:ipc.message.
 */
#include "bh-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* Strings longer than this print cut, with their size in bytes. */
#define STRING_CHARS 72u
/* Arrays longer than this print their first elements and how many more. */
#define ARRAY_ITEMS 6u

void
bh_trace_describe_fd (int fd, BhTraceFd *out)
{
  struct stat st;
  int seals, flags;

  memset (out, 0, sizeof *out);
  out->kind = "closed";
  if (fd < 0 || fstat (fd, &st) < 0)
    return;
  flags = fcntl (fd, F_GETFL);
  out->read_only = flags >= 0 && (flags & O_ACCMODE) == O_RDONLY;
  seals = S_ISREG (st.st_mode) ? fcntl (fd, F_GET_SEALS) : -1;
  if (seals >= 0)
    {
      out->kind = "memfd";
      out->size_bytes = (guint64) st.st_size;
      out->seals = (guint) seals;
    }
  else if (S_ISSOCK (st.st_mode))
    out->kind = "socket";
  else if (S_ISFIFO (st.st_mode))
    out->kind = "pipe";
  else if (S_ISREG (st.st_mode))
    {
      out->kind = "file";
      out->size_bytes = (guint64) st.st_size;
    }
  else
    out->kind = "other";
}

static gboolean
fd_has_size (const BhTraceFd *fd)
{
  return g_str_equal (fd->kind, "memfd") || g_str_equal (fd->kind, "file");
}

/* The seals, by their F_SEAL_ names without the prefix, in a fixed order. */
static const struct {
  guint bit;
  const char *name;
} seal_names[] = {
  { F_SEAL_WRITE, "write" },
  { F_SEAL_SHRINK, "shrink" },
  { F_SEAL_GROW, "grow" },
#ifdef F_SEAL_FUTURE_WRITE
  { F_SEAL_FUTURE_WRITE, "future_write" },
#endif
  { F_SEAL_SEAL, "seal" },
};

/* "sealed": no one can change the contents or the size any more. */
static gboolean
fd_is_sealed (const BhTraceFd *fd)
{
  guint fixed = F_SEAL_SHRINK | F_SEAL_GROW;

  return (fd->seals & fixed) == fixed && (fd->seals & F_SEAL_WRITE) != 0;
}

void
bh_trace_append_fd (GString *out, const BhTraceFd *fd)
{
  g_string_append (out, fd->kind);
  if (fd_has_size (fd))
    g_string_append_printf (out, " %" G_GUINT64_FORMAT " B", fd->size_bytes);
  if (fd_is_sealed (fd))
    g_string_append (out, " sealed");
  else if (fd->seals & ~(guint) F_SEAL_SEAL)
    {
      const char *sep = " seals=";

      for (gsize i = 0; i < G_N_ELEMENTS (seal_names); i++)
        if ((fd->seals & seal_names[i].bit) && seal_names[i].bit != F_SEAL_SEAL)
          {
            g_string_append_printf (out, "%s%s", sep, seal_names[i].name);
            sep = ",";
          }
    }
  if (fd->read_only)
    g_string_append (out, " read-only");
}

void
bh_trace_append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "nan");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "inf" : "-inf");
      return;
    }
  /* The fewest digits that read back as the same double: what a person would
   * have written in the source (0.3, 1.25, 1e-07). */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* Appends @text quoted, with quotes, backslashes and control characters
 * escaped, cut after @max_chars characters; returns whether it was cut. */
static gboolean
append_quoted (GString *out, const char *text, guint max_chars)
{
  guint chars = 0;
  const char *p;

  g_string_append_c (out, '\'');
  for (p = text; *p && chars < max_chars; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\'' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  if (*p)
    {
      g_string_append_printf (out, "…' (%" G_GSIZE_FORMAT " B)", strlen (text));
      return TRUE;
    }
  g_string_append_c (out, '\'');
  return FALSE;
}

void
bh_trace_append_value (GString *out, GVariant *value)
{
  const GVariantType *type = g_variant_get_type (value);

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      return;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      return;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      return;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      return;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%d", g_variant_get_int32 (value));
      return;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%u", g_variant_get_uint32 (value));
      return;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return;
    case G_VARIANT_CLASS_HANDLE:
      g_string_append_printf (out, "handle %d", g_variant_get_handle (value));
      return;
    case G_VARIANT_CLASS_DOUBLE:
      bh_trace_append_double (out, g_variant_get_double (value));
      return;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      append_quoted (out, g_variant_get_string (value, NULL), STRING_CHARS);
      return;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (value);
        bh_trace_append_value (out, inner);
        return;
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr (GVariant) inner = g_variant_get_maybe (value);
        if (inner)
          bh_trace_append_value (out, inner);
        else
          g_string_append (out, "nothing");
        return;
      }
    case G_VARIANT_CLASS_ARRAY:
      {
        gsize n = g_variant_n_children (value);

        /* Bytes are data, not a list a person reads. */
        if (g_variant_type_equal (type, G_VARIANT_TYPE_BYTESTRING))
          {
            g_string_append_printf (out, "<%" G_GSIZE_FORMAT " B>", n);
            return;
          }
        g_string_append_c (out, '[');
        for (gsize i = 0; i < n && i < ARRAY_ITEMS; i++)
          {
            g_autoptr (GVariant) child = g_variant_get_child_value (value, i);
            if (i > 0)
              g_string_append (out, ", ");
            bh_trace_append_value (out, child);
          }
        if (n > ARRAY_ITEMS)
          g_string_append_printf (out, ", … %" G_GSIZE_FORMAT " more", n - ARRAY_ITEMS);
        g_string_append_c (out, ']');
        return;
      }
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      {
        gsize n = g_variant_n_children (value);
        gboolean entry = g_variant_classify (value) == G_VARIANT_CLASS_DICT_ENTRY;

        g_string_append_c (out, entry ? '{' : '(');
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr (GVariant) child = g_variant_get_child_value (value, i);
            if (i > 0)
              g_string_append (out, entry ? ": " : ", ");
            bh_trace_append_value (out, child);
          }
        g_string_append_c (out, entry ? '}' : ')');
        return;
      }
    default:
      {
        g_autofree char *text = g_variant_print (value, FALSE);
        g_string_append (out, text);
      }
    }
}

/* The payload's top-level fields, each with its catalogue name; a payload
 * that does not match its row (only in tests) prints positionally. */
static void
append_fields (GString *out, const BhMessage *message)
{
  const BhMessageInfo *info = bh_message_info_lookup (message->type);
  const char *const *names = NULL;
  guint n_names = 0;
  gboolean tuple;
  gsize n;

  if (message->payload == NULL)
    return;
  if (info)
    names = bh_message_info_get_field_names (info, &n_names);
  tuple = g_variant_is_of_type (message->payload, G_VARIANT_TYPE_TUPLE);
  n = tuple ? g_variant_n_children (message->payload) : 1;
  if (info == NULL || !g_variant_is_of_type (message->payload, G_VARIANT_TYPE (info->payload_type)) ||
      n != n_names)
    names = NULL;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = tuple ? g_variant_get_child_value (message->payload, i)
                                         : g_variant_ref (message->payload);
      if (i > 0)
        g_string_append (out, ", ");
      if (names)
        g_string_append_printf (out, "%s=", names[i]);
      bh_trace_append_value (out, child);
    }
}

char *
bh_trace_format_call (const BhMessage *message, guint max_chars)
{
  GString *out = g_string_new (bh_message_type_name (message->type));
  gsize open_at;

  g_string_append_c (out, '(');
  open_at = out->len;
  append_fields (out, message);
  if (g_utf8_strlen (out->str + open_at, -1) > (glong) max_chars)
    {
      char *cut = g_utf8_offset_to_pointer (out->str + open_at, max_chars);
      g_string_truncate (out, cut - out->str);
      g_string_append (out, "…");
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

void
bh_trace_append_fds (GString *out, const BhMessage *message)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < message->n_fds && i < BH_MAX_FDS; i++)
    {
      BhTraceFd fd;

      bh_trace_describe_fd (message->fds[i], &fd);
      if (i > 0)
        g_string_append (out, ", ");
      bh_trace_append_fd (out, &fd);
    }
  g_string_append_c (out, ']');
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

char *
bh_trace_format_line (const BhTraceEvent *event, guint max_payload_chars)
{
  const BhMessage *m = event->message;
  const char *label = event->peer_label ? event->peer_label : "";
  g_autofree char *call = NULL;
  GString *out;

  if (event->pipe)
    return format_pipe_line (event);
  if (event->direction == BH_TRACE_HANDLED)
    return g_strdup_printf ("%12.6f %s[%u] handled %s serial=%u from %s[%u] in %.3f ms", event->time_us / 1e6,
                            event->local_role, event->local_pid, bh_message_type_name (m->type), m->serial,
                            event->peer_role, event->peer_pid, event->handled_us / 1e3);
  call = bh_trace_format_call (m, max_payload_chars);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%12.6f %s[%u] %s %s[%u%s%s] %s", event->time_us / 1e6, event->local_role,
                          event->local_pid, event->direction == BH_TRACE_SENT ? "->" : "<-", event->peer_role,
                          event->peer_pid, *label ? " " : "", label, call);
  if (m->n_fds > 0)
    {
      g_string_append (out, " fds=");
      bh_trace_append_fds (out, m);
    }
  g_string_append_printf (out, " serial=%u", m->serial);
  if (m->reply_serial)
    g_string_append_printf (out, " reply_to=%u", m->reply_serial);
  g_string_append_printf (out, " bytes=%" G_GSIZE_FORMAT, event->payload_bytes);
  if (event->lane)
    g_string_append_printf (out, " lane=%s", event->lane);
  return g_string_free (out, FALSE);
}

/* ---- JSON ------------------------------------------------------------- */

/* A JSON string of @text, cut after @max_chars characters (-1: never);
 * returns whether it was cut. Not-UTF-8 bytes cannot reach here: GVariant
 * strings are checked on receipt. */
static gboolean
json_append_string (GString *out, const char *text, gssize max_chars)
{
  const char *p = text;
  gssize chars = 0;

  g_string_append_c (out, '"');
  for (; *p && (max_chars < 0 || chars < max_chars); p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  if (*p)
    g_string_append (out, "…");
  g_string_append_c (out, '"');
  return *p != '\0';
}

static void
json_member (GString *out, gboolean *first, const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  json_append_string (out, name, -1);
  g_string_append_c (out, ':');
}

/* @cut: set when a string was shortened. */
static void
json_append_value (GString *out, GVariant *value, guint max_chars, gboolean *cut)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
    case G_VARIANT_CLASS_BYTE:
    case G_VARIANT_CLASS_INT16:
    case G_VARIANT_CLASS_UINT16:
    case G_VARIANT_CLASS_INT32:
    case G_VARIANT_CLASS_UINT32:
    case G_VARIANT_CLASS_INT64:
    case G_VARIANT_CLASS_UINT64:
    case G_VARIANT_CLASS_HANDLE:
      bh_trace_append_value (out, value);
      return;
    case G_VARIANT_CLASS_DOUBLE:
      {
        double d = g_variant_get_double (value);
        /* JSON has no NaN or infinity. */
        if (isnan (d) || isinf (d))
          g_string_append (out, "null");
        else
          bh_trace_append_double (out, d);
        return;
      }
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      if (json_append_string (out, g_variant_get_string (value, NULL), max_chars))
        *cut = TRUE;
      return;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr (GVariant) inner = g_variant_get_variant (value);
        json_append_value (out, inner, max_chars, cut);
        return;
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr (GVariant) inner = g_variant_get_maybe (value);
        if (inner)
          json_append_value (out, inner, max_chars, cut);
        else
          g_string_append (out, "null");
        return;
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_equal (g_variant_get_type (value), G_VARIANT_TYPE_BYTESTRING))
        {
          g_string_append_printf (out, "{\"bytes\":%" G_GSIZE_FORMAT "}", g_variant_n_children (value));
          return;
        }
      G_GNUC_FALLTHROUGH;
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      {
        gsize n = g_variant_n_children (value);

        g_string_append_c (out, '[');
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr (GVariant) child = g_variant_get_child_value (value, i);
            if (i > 0)
              g_string_append_c (out, ',');
            json_append_value (out, child, max_chars, cut);
          }
        g_string_append_c (out, ']');
      }
    }
}

/* {"view":1,"navigation":7,...}; fields without a catalogue name (a payload
 * that does not match its row) are named by position: "0", "1", ... */
static void
json_append_payload (GString *out, const BhMessage *message, guint max_chars, gboolean *cut)
{
  const BhMessageInfo *info = bh_message_info_lookup (message->type);
  const char *const *names = NULL;
  guint n_names = 0;
  gboolean first = TRUE, tuple;
  gsize n;

  g_string_append_c (out, '{');
  if (message->payload == NULL)
    {
      g_string_append_c (out, '}');
      return;
    }
  if (info)
    names = bh_message_info_get_field_names (info, &n_names);
  tuple = g_variant_is_of_type (message->payload, G_VARIANT_TYPE_TUPLE);
  n = tuple ? g_variant_n_children (message->payload) : 1;
  if (info == NULL || !g_variant_is_of_type (message->payload, G_VARIANT_TYPE (info->payload_type)) ||
      n != n_names)
    names = NULL;
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) child = tuple ? g_variant_get_child_value (message->payload, i)
                                         : g_variant_ref (message->payload);
      char position[24];

      g_snprintf (position, sizeof position, "%" G_GSIZE_FORMAT, i);
      json_member (out, &first, names ? names[i] : position);
      json_append_value (out, child, max_chars, cut);
    }
  g_string_append_c (out, '}');
}

static void
json_append_fd (GString *out, const BhTraceFd *fd)
{
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_member (out, &first, "kind");
  json_append_string (out, fd->kind, -1);
  if (fd_has_size (fd))
    {
      json_member (out, &first, "bytes");
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, fd->size_bytes);
    }
  if (g_str_equal (fd->kind, "memfd"))
    {
      gboolean first_seal = TRUE;

      json_member (out, &first, "sealed");
      g_string_append (out, fd_is_sealed (fd) ? "true" : "false");
      json_member (out, &first, "seals");
      g_string_append_c (out, '[');
      for (gsize i = 0; i < G_N_ELEMENTS (seal_names); i++)
        if (fd->seals & seal_names[i].bit)
          {
            if (!first_seal)
              g_string_append_c (out, ',');
            first_seal = FALSE;
            json_append_string (out, seal_names[i].name, -1);
          }
      g_string_append_c (out, ']');
    }
  json_member (out, &first, "readOnly");
  g_string_append (out, fd->read_only ? "true" : "false");
  g_string_append_c (out, '}');
}

static void
json_int (GString *out, gboolean *first, const char *name, gint64 value)
{
  json_member (out, first, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
json_string (GString *out, gboolean *first, const char *name, const char *value)
{
  json_member (out, first, name);
  json_append_string (out, value ? value : "", -1);
}

static char *
format_json (const BhTraceEvent *event, guint max_payload_chars, gboolean record)
{
  GString *out = g_string_new (record ? BH_TRACE_RECORD_PREFIX "{" : "{");
  gboolean first = TRUE;

  if (event->direction == BH_TRACE_HANDLED)
    {
      json_int (out, &first, "time_us", event->time_us);
      json_string (out, &first, "direction", "handled");
      json_string (out, &first, "message", bh_trace_event_name (event));
      json_int (out, &first, "serial", event->message->serial);
      json_int (out, &first, "replySerial", event->message->reply_serial);
      json_string (out, &first, "peerRole", event->peer_role);
      json_int (out, &first, "handledUs", event->handled_us);
      if (event->lane)
        json_string (out, &first, "lane", event->lane);
      g_string_append_c (out, '}');
      return g_string_free (out, FALSE);
    }
  json_int (out, &first, "time_us", event->time_us);
  json_string (out, &first, "role", event->local_role);
  json_int (out, &first, "pid", event->local_pid);
  json_string (out, &first, "direction", event->direction == BH_TRACE_SENT ? "send" : "recv");
  json_string (out, &first, "peerRole", event->peer_role);
  json_int (out, &first, "peerPid", event->peer_pid);
  json_string (out, &first, "peer", event->peer_label);
  json_string (out, &first, "message", bh_trace_event_name (event));
  if (event->pipe)
    {
      const BhTracePipe *p = event->pipe;

      json_int (out, &first, "id", (gint64) p->id);
      json_string (out, &first, "event", p->event);
      json_string (out, &first, "what", p->what);
      json_int (out, &first, "written", (gint64) p->stats.bytes_written);
      json_int (out, &first, "read", (gint64) p->stats.bytes_read);
      json_int (out, &first, "wakeupsSent", (gint64) p->stats.wakeups_sent);
      json_int (out, &first, "wakeupsSeen", (gint64) p->stats.wakeups_seen);
      json_int (out, &first, "full", (gint64) p->stats.full_count);
      json_int (out, &first, "empty", (gint64) p->stats.empty_count);
      if (record)
        {
          g_autofree char *line = format_pipe_line (event);
          /* The line's part after the peer: "DataPipe id=..." */
          const char *text = strstr (line, "] " BH_TRACE_DATA_PIPE_NAME " ");

          json_string (out, &first, "arrow", event->direction == BH_TRACE_SENT ? "=>" : "<=");
          json_string (out, &first, "text", text ? text + 2 : "");
        }
    }
  else
    {
      const BhMessage *m = event->message;
      gboolean cut = FALSE;

      json_int (out, &first, "serial", m->serial);
      json_int (out, &first, "replySerial", m->reply_serial);
      json_int (out, &first, "bytes", (gint64) event->payload_bytes);
      if (event->lane)
        json_string (out, &first, "lane", event->lane);
      json_member (out, &first, "fds");
      g_string_append_c (out, '[');
      for (guint i = 0; i < m->n_fds && i < BH_MAX_FDS; i++)
        {
          BhTraceFd fd;

          bh_trace_describe_fd (m->fds[i], &fd);
          if (i > 0)
            g_string_append_c (out, ',');
          json_append_fd (out, &fd);
        }
      g_string_append_c (out, ']');
      json_member (out, &first, "payload");
      json_append_payload (out, m, max_payload_chars, &cut);
      if (cut)
        {
          json_member (out, &first, "payloadCut");
          g_string_append (out, "true");
        }
      if (record)
        {
          g_autofree char *call = bh_trace_format_call (m, max_payload_chars);
          g_autoptr (GString) fds = g_string_new (NULL);

          if (m->n_fds > 0)
            bh_trace_append_fds (fds, m);
          json_string (out, &first, "call", call);
          json_string (out, &first, "fdsText", fds->str);
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
bh_trace_format_json (const BhTraceEvent *event, guint max_payload_chars)
{
  return format_json (event, max_payload_chars, FALSE);
}

char *
bh_trace_format_record (const BhTraceEvent *event, guint max_payload_chars)
{
  return format_json (event, max_payload_chars, TRUE);
}
