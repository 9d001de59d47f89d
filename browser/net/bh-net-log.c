/* bh-net-log.c: --net-log, JSON lines. */
#include "bh-net-log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

static FILE *log_file;

gboolean
bh_net_log_open (const char *path,
                 GError    **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (log_file == NULL, FALSE);

  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || (log_file = fdopen (fd, "w")) == NULL)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "--net-log: cannot write %s: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
bh_net_log_close (void)
{
  if (log_file != NULL)
    fclose (log_file);
  log_file = NULL;
}

gboolean
bh_net_log_is_open (void)
{
  return log_file != NULL;
}

/* A JSON string (RFC 8259 §7); bytes that are not UTF-8 become U+FFFD. */
static void
append_json_string (GString *out, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* Milliseconds from @from to @to, or null when either did not happen. */
static void
append_span (GString *out, const char *name, gint64 from, gint64 to)
{
  g_string_append_printf (out, ",\"%s\":", name);
  if (from == 0 || to == 0 || to < from)
    g_string_append (out, "null");
  else
    g_string_append_printf (out, "%.3f", (double) (to - from) / 1000.0);
}

void
bh_net_log_request (const char          *url,
                    const BhNetLogTimes *times,
                    guint                status,
                    const char          *error,
                    guint64              body_bytes,
                    guint                connection,
                    gboolean             reused,
                    const char          *cache)
{
  g_autoptr (GString) line = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 connected_from;

  if (log_file == NULL)
    return;

  line = g_string_new ("{\"time\":");
  g_string_append_printf (line, "%.3f", (double) g_get_real_time () / G_USEC_PER_SEC);
  g_string_append (line, ",\"url\":");
  append_json_string (line, url);
  g_string_append (line, ",\"method\":\"GET\"");
  if (status != 0)
    g_string_append_printf (line, ",\"status\":%u", status);
  else
    g_string_append (line, ",\"status\":null");
  g_string_append (line, ",\"error\":");
  if (error != NULL)
    append_json_string (line, error);
  else
    g_string_append (line, "null");
  g_string_append_printf (line, ",\"bytes\":%" G_GUINT64_FORMAT, body_bytes);
  if (connection != 0)
    g_string_append_printf (line, ",\"connection\":%u", connection);
  else
    g_string_append (line, ",\"connection\":null");
  g_string_append_printf (line, ",\"reused\":%s,\"cache\":", reused ? "true" : "false");
  append_json_string (line, cache != NULL ? cache : "none");
  /* Each phase's own length, and from the start to the head and the end. */
  g_string_append (line, ",\"ms\":{\"start\":0");
  append_span (line, "queue", times->start_us, times->queued_us);
  append_span (line, "dns", times->queued_us, times->dns_us);
  connected_from = times->dns_us != 0 ? times->dns_us : times->queued_us;
  append_span (line, "connect", reused ? 0 : connected_from, times->connect_us);
  append_span (line, "first_byte", times->start_us, times->first_byte_us);
  append_span (line, "done", times->start_us, now);
  g_string_append (line, "}}\n");

  fputs (line->str, log_file);
  fflush (log_file);
}
