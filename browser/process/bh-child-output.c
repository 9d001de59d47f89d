/* bh-child-output.c: reading a child's stdout/stderr pipe line by line. */
#include "bh-child-output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

struct _BhChildOutput {
  int fd; /* -1 once closed */
  guint watch_id;
  GByteArray *pending; /* the line being read, without a newline yet */
  BhChildOutputLineFunc func;
  gpointer user_data;
  GDestroyNotify notify;
};

static void
deliver (BhChildOutput *output, const char *line, gsize len)
{
  output->func (line, len, output->user_data);
}

/* Hands over every complete line of @data (and keeps the rest); a line that
 * reaches the cap without a newline goes over in pieces. */
static void
take_bytes (BhChildOutput *output, const char *data, gsize len)
{
  while (len > 0)
    {
      const char *newline = memchr (data, '\n', len);
      gsize room = BH_CHILD_OUTPUT_MAX_LINE_BYTES - output->pending->len;
      gsize take = newline != NULL ? (gsize) (newline - data) : len;

      if (take >= room)
        {
          g_byte_array_append (output->pending, (const guint8 *) data, (guint) room);
          deliver (output, (const char *) output->pending->data, output->pending->len);
          g_byte_array_set_size (output->pending, 0);
          data += room;
          len -= room;
          continue;
        }
      g_byte_array_append (output->pending, (const guint8 *) data, (guint) take);
      if (newline == NULL)
        return;
      deliver (output, (const char *) output->pending->data, output->pending->len);
      g_byte_array_set_size (output->pending, 0);
      data += take + 1;
      len -= take + 1;
    }
}

static void
close_output (BhChildOutput *output)
{
  if (output->pending->len > 0)
    {
      deliver (output, (const char *) output->pending->data, output->pending->len);
      g_byte_array_set_size (output->pending, 0);
    }
  g_clear_handle_id (&output->watch_id, g_source_remove);
  if (output->fd >= 0)
    {
      close (output->fd);
      output->fd = -1;
    }
}

/* Reads up to @budget bytes. Returns FALSE at EOF or on an error (the fd is
 * then closed). */
static gboolean
read_some (BhChildOutput *output, gsize budget)
{
  char buf[8192];
  gsize done = 0;

  while (output->fd >= 0 && done < budget)
    {
      ssize_t n = read (output->fd, buf, MIN (sizeof buf, budget - done));

      if (n > 0)
        {
          take_bytes (output, buf, (gsize) n);
          done += (gsize) n;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return TRUE;
      close_output (output);
      return FALSE;
    }
  return output->fd >= 0;
}

static gboolean
readable_cb (int fd, GIOCondition condition, gpointer data)
{
  BhChildOutput *output = data;

  if (!read_some (output, BH_CHILD_OUTPUT_MAX_DISPATCH_BYTES))
    {
      /* close_output() removed the source already. */
      output->watch_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

BhChildOutput *
bh_child_output_new (int fd, BhChildOutputLineFunc func, gpointer user_data, GDestroyNotify notify)
{
  BhChildOutput *output;
  int flags;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags | O_NONBLOCK);
  output = g_new0 (BhChildOutput, 1);
  output->fd = fd;
  output->pending = g_byte_array_new ();
  output->func = func;
  output->user_data = user_data;
  output->notify = notify;
  output->watch_id = g_unix_fd_add (fd, G_IO_IN | G_IO_HUP | G_IO_ERR, readable_cb, output);
  return output;
}

void
bh_child_output_drain (BhChildOutput *output)
{
  g_return_if_fail (output != NULL);

  /* Until EAGAIN (nothing more for now) or EOF. */
  if (output->fd >= 0)
    read_some (output, G_MAXSIZE);
}

gboolean
bh_child_output_is_closed (const BhChildOutput *output)
{
  g_return_val_if_fail (output != NULL, TRUE);

  return output->fd < 0;
}

void
bh_child_output_free (BhChildOutput *output)
{
  if (output == NULL)
    return;
  bh_child_output_drain (output);
  close_output (output);
  g_byte_array_unref (output->pending);
  if (output->notify != NULL)
    output->notify (output->user_data);
  g_free (output);
}

char *
bh_child_output_format_line (const char *prefix, const char *line, gsize len)
{
  GString *text = g_string_sized_new (len + strlen (prefix) + 4);
  const char *p = line;
  const char *end = line + len;

  g_string_append_printf (text, "[%s] ", prefix);
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || (c < 0x20 && c != '\t') || c == 0x7f ||
          (c >= 0x80 && c < 0xa0))
        {
          /* Invalid or incomplete UTF-8, or a control character (C0, DEL,
           * C1): one byte, escaped. */
          if (c == (gunichar) -1 || c == (gunichar) -2 || c < 0x80)
            {
              g_string_append_printf (text, "\\x%02x", (guchar) *p);
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              for (; p < next; p++)
                g_string_append_printf (text, "\\x%02x", (guchar) *p);
            }
          continue;
        }
      {
        const char *next = g_utf8_next_char (p);

        g_string_append_len (text, p, next - p);
        p = next;
      }
    }
  return g_string_free (text, FALSE);
}
