/* fuzz-plugin-host: libFuzzer target for everything a plugin host reads from the browser
 * after start-up (docs/fuzzing.md): the plugin messages, handled by
 * plugin-host/bh-plugin-instances.c as in the real process, and the PDF or SVG bytes
 * they carry to the modules (plugin-host/plugins/pdf.c on poppler, svg.c on librsvg).
 *
 * Input layout:
 *
 *   byte 0        bit 0: the SVG module instead of the PDF one
 *   bytes 1-2     S, the length of the script (little-endian, cut to what is there)
 *   S bytes       the script: messages, one after another (below)
 *   the rest      the document, which every PluginCreate carries in a sealed memfd
 *
 * Each message is eight bytes: an opcode (mod 6), an instance id (mod 4, plus 1), and
 * six argument bytes (missing ones at the end of the script read as 64, 48, 0...):
 *
 *   0 PluginCreate     w, h (x 4 px, so 0 is reachable), bit 0 of the third: the wrong
 *                      MIME type
 *   1 PluginResize     w, h
 *   2 PluginInput      kind (any byte), x, y (signed, x 3 px; 127 is NaN, -128 minus
 *                      infinity), code (two bytes, little-endian: a button or a GDK
 *                      keyval such as 0xff56 Page_Down), modifiers
 *   3 PluginReleaseBuffer  buffer id (0-255)
 *   4 PluginDestroy
 *   5 PluginCreate with a bad memfd (as 0, then bit 0 of the fourth: unsealed, else
 *                      claiming 1 + the fifth byte more than it holds)
 *
 * What the host sends back (buffers with their memfds, frames, errors) goes over a real
 * socket pair; the target reads it and closes the fds, as the browser would.
 */
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bh-plugin-instances.h"
#include "bh-shm.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* The modules, linked in under their own names (tests/meson.build). */
const BhPluginInfo *bh_pdf_plugin_get_info (void);
const BhPluginInfo *bh_svg_plugin_get_info (void);

static void
drop_line (const char *line)
{
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* The host logs every refused message on stderr: millions of lines under libFuzzer.
   * Sanitizer reports and GLib's own messages do not go through g_printerr(). */
  g_set_printerr_handler (drop_line);
  bh_pdf_plugin_get_info ()->warm_up ();
  bh_svg_plugin_get_info ()->warm_up ();
  return 0;
}

/* Reads whatever the host sent, closing the fds that came with it. */
static void
drain (int fd)
{
  for (;;)
    {
      char buf[64 * 1024];
      char control[CMSG_SPACE (sizeof (int) * 8)];
      struct iovec iov = { buf, sizeof buf };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                            .msg_controllen = sizeof control };
      ssize_t n = recvmsg (fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

      if (n <= 0)
        return;
      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
          {
            int fds[8];
            size_t count = (c->cmsg_len - CMSG_LEN (0)) / sizeof (int);

            memcpy (fds, CMSG_DATA (c), count * sizeof (int));
            for (size_t i = 0; i < count; i++)
              close (fds[i]);
          }
    }
}

static BhMessage *
message_new (BhMessageType type, GVariant *payload, int fd)
{
  BhMessage *m = g_new0 (BhMessage, 1);

  m->type = type;
  m->payload = g_variant_ref_sink (payload);
  for (guint i = 0; i < BH_MAX_FDS; i++)
    m->fds[i] = -1;
  if (fd >= 0)
    {
      m->fds[0] = fd;
      m->n_fds = 1;
    }
  return m;
}

/* An unsealed memfd holding @size bytes of @data. */
static int
unsealed_memfd (const guint8 *data, gsize size)
{
  int fd = memfd_create ("fuzz-unsealed", MFD_CLOEXEC);

  g_assert (fd >= 0);
  if (size > 0)
    g_assert (write (fd, data, size) == (ssize_t) size);
  return fd;
}

static double
coordinate (guint8 b)
{
  gint8 v = (gint8) b;

  if (v == 127)
    return NAN;
  if (v == -128)
    return -INFINITY;
  return v * 3.0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const BhPluginInfo *plugin;
  g_autoptr (BhChannel) channel = NULL;
  g_autoptr (BhPluginInstances) instances = NULL;
  g_autoptr (GError) error = NULL;
  const guint8 *script, *doc;
  gsize script_len, doc_len, i = 0;
  int peer;

  if (size < 3)
    return 0;
  plugin = (data[0] & 1) ? bh_svg_plugin_get_info () : bh_pdf_plugin_get_info ();
  script_len = MIN ((gsize) (data[1] | (data[2] << 8)), size - 3);
  script = data + 3;
  doc = script + script_len;
  doc_len = size - 3 - script_len;

  channel = bh_channel_new_pair (BH_TO_CHILD, &peer, &error);
  g_assert (channel != NULL);
  instances = bh_plugin_instances_new (plugin, channel);

  /* At least one PluginCreate with the document, whatever the script says. */
  while (i < script_len || i == 0)
    {
      guint8 op = i < script_len ? script[i++] % 6 : 0;
      guint32 id = i < script_len ? script[i++] % 4 + 1 : 1;
      guint8 arg[6] = { 64, 48, 0, 0, 0, 0 };
      BhMessage *m = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (arg) && i < script_len; k++)
        arg[k] = script[i++];
      switch (op)
        {
        case 0:
        case 5:
          {
            int fd;

            if (op == 5 && (arg[3] & 1))
              fd = unsealed_memfd (doc, doc_len);
            else
              {
                fd = bh_blob_new (doc, doc_len, "fuzz-document", &error);
                g_assert_no_error (error);
              }
            m = message_new (BH_MSG_PluginCreate,
                             g_variant_new ("(usuut)", id, (arg[2] & 1) ? "text/html" : plugin->mime_type,
                                            arg[0] * 4u, arg[1] * 4u,
                                            (guint64) doc_len + (op == 5 ? 1 + arg[4] : 0)),
                             fd);
          }
          break;
        case 1:
          m = message_new (BH_MSG_PluginResize, g_variant_new ("(uuu)", id, arg[0] * 4u, arg[1] * 4u), -1);
          break;
        case 2:
          m = message_new (BH_MSG_PluginInput,
                           g_variant_new ("(uudduu)", id, (guint32) arg[0], coordinate (arg[1]),
                                          coordinate (arg[2]), (guint32) (arg[3] | arg[4] << 8),
                                          (guint32) arg[5]),
                           -1);
          break;
        case 3:
          m = message_new (BH_MSG_PluginReleaseBuffer, g_variant_new ("(uu)", id, (guint32) arg[0]), -1);
          break;
        case 4:
          m = message_new (BH_MSG_PluginDestroy, g_variant_new ("(u)", id), -1);
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert (bh_plugin_instances_handle_message (instances, m));
      bh_message_free (m);
      drain (peer);
      if (script_len == 0)
        break;
    }
  g_clear_pointer (&instances, bh_plugin_instances_free);
  drain (peer);
  close (peer);
  return 0;
}
