/* test-frame.c: the frame decoder, fed by hand, byte by byte and with bad frames. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bh-frame.h"

/* Builds one frame as a sender would, with any header field overridable. */
static GBytes *
make_frame (BhMessageType type, GVariant *payload, guint16 n_fds, guint32 serial)
{
  g_autoptr (GBytes) body = bh_frame_encode_payload (type, payload);
  BhFrameHeader h = {
    .magic = BH_FRAME_MAGIC,
    .version = BH_FRAME_VERSION,
    .type = type,
    .payload_len = g_bytes_get_size (body),
    .n_fds = n_fds,
    .serial = serial,
  };
  GByteArray *out = g_byte_array_sized_new (BH_FRAME_HEADER_BYTES + h.payload_len);
  guint8 header[BH_FRAME_HEADER_BYTES];

  bh_frame_header_encode (&h, header);
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, g_bytes_get_data (body, NULL), h.payload_len);
  return g_byte_array_free_to_bytes (out);
}

static void
test_header_layout (void)
{
  BhFrameHeader h = { BH_FRAME_MAGIC, 1, 0x0102, 0x03040506, 0x0708, 0x090a, 0x0b0c0d0e, 0x0f101112 };
  guint8 out[BH_FRAME_HEADER_BYTES];
  BhFrameHeader back;
  const guint8 expected[] = { 0x42, 0x48, 0x4b, 0x01, 0x01, 0x00, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03,
                              0x08, 0x07, 0x0a, 0x09, 0x0e, 0x0d, 0x0c, 0x0b, 0x12, 0x11, 0x10, 0x0f };

  bh_frame_header_encode (&h, out);
  /* Little-endian on the wire whatever the host: the bytes are the contract. */
  g_assert_cmpmem (out, sizeof out, expected, sizeof expected);
  bh_frame_header_decode (out, &back);
  g_assert_cmpmem (&h, sizeof h, &back, sizeof back);
}

static void
test_byte_at_a_time (void)
{
  g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_BROWSER);
  g_autoptr (GBytes) f1 = make_frame (BH_MSG_TitleChanged, g_variant_new ("(uts)", 7, (guint64) 3, "Hello"), 0, 1);
  g_autoptr (GBytes) f2 = make_frame (BH_MSG_DidFinishLoad, g_variant_new ("(ut)", 7, (guint64) 3), 0, 2);
  g_autoptr (GByteArray) all = g_byte_array_new ();
  guint got = 0;

  g_byte_array_append (all, g_bytes_get_data (f1, NULL), g_bytes_get_size (f1));
  g_byte_array_append (all, g_bytes_get_data (f2, NULL), g_bytes_get_size (f2));

  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr (GError) error = NULL;
      BhMessage *m = NULL;

      bh_frame_decoder_push_bytes (d, all->data + i, 1);
      while (bh_frame_decoder_next (d, &m, &error))
        {
          got++;
          if (got == 1)
            {
              const char *title;
              guint32 view;
              guint64 nav;
              g_assert_cmpint (m->type, ==, BH_MSG_TitleChanged);
              g_variant_get (m->payload, "(ut&s)", &view, &nav, &title);
              g_assert_cmpstr (title, ==, "Hello");
              g_assert_cmpuint (m->serial, ==, 1);
              /* Not a byte early: the frame completes on its last byte. */
              g_assert_cmpuint (i + 1, ==, g_bytes_get_size (f1));
            }
          else
            g_assert_cmpint (m->type, ==, BH_MSG_DidFinishLoad);
          bh_message_free (m);
        }
      g_assert_no_error (error);
    }
  g_assert_cmpuint (got, ==, 2);
  g_assert_true (bh_frame_decoder_finish (d, NULL));
}

typedef struct {
  const char *name;
  BhProtocolError code;
  const char *reason_part;
} BadCase;

static void
expect_error (BhFrameDecoder *d, BhProtocolError code, const char *reason_part)
{
  g_autoptr (GError) error = NULL;
  BhMessage *m = NULL;

  g_assert_false (bh_frame_decoder_next (d, &m, &error));
  g_assert_null (m);
  g_assert_error (error, BH_PROTOCOL_ERROR, (gint) code);
  g_test_message ("reason: %s", error->message);
  g_assert_nonnull (strstr (error->message, reason_part));
}

static GBytes *
patch (GBytes *frame, gsize offset, const void *bytes, gsize len)
{
  gsize size = g_bytes_get_size (frame);
  guint8 *copy = g_memdup2 (g_bytes_get_data (frame, NULL), size);

  memcpy (copy + offset, bytes, len);
  return g_bytes_new_take (copy, size);
}

static void
test_protocol_errors (void)
{
  g_autoptr (GBytes) good = make_frame (BH_MSG_DidFinishLoad, g_variant_new ("(ut)", 1, (guint64) 1), 0, 5);
  struct {
    gsize offset;
    guint8 bytes[4];
    gsize len;
    BhProtocolError code;
    const char *reason;
  } cases[] = {
    { 0, { 'X', 'X', 'X', 'X' }, 4, BH_PROTOCOL_ERROR_BAD_MAGIC, "bad magic" },
    { 4, { 9, 0 }, 2, BH_PROTOCOL_ERROR_BAD_VERSION, "unsupported version 9" },
    { 6, { 0x39, 0x30 }, 2, BH_PROTOCOL_ERROR_UNKNOWN_TYPE, "unknown message type 12345" },
    /* CommitNavigation travels browser -> child only. */
    { 6, { 10, 0 }, 2, BH_PROTOCOL_ERROR_WRONG_DIRECTION, "CommitNavigation may not be sent to the browser" },
    { 8, { 0x01, 0x00, 0x10, 0x00 }, 4, BH_PROTOCOL_ERROR_TOO_LONG, "exceeds the cap" },
    { 12, { 0x80, 0 }, 2, BH_PROTOCOL_ERROR_BAD_FLAGS, "unknown flags" },
    { 14, { 9, 0 }, 2, BH_PROTOCOL_ERROR_FD_COUNT, "9 fds exceeds the cap of 8" },
    { 14, { 1, 0 }, 2, BH_PROTOCOL_ERROR_FD_COUNT, "carries 1 fds, the catalogue says 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_BROWSER);
      g_autoptr (GBytes) bad = patch (good, cases[i].offset, cases[i].bytes, cases[i].len);

      bh_frame_decoder_push_bytes (d, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));
      expect_error (d, cases[i].code, cases[i].reason);
    }
}

static void
test_payload_type_and_normal_form (void)
{
  /* A payload of the wrong type, framed as FrameReady. */
  {
    g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_BROWSER);
    g_autoptr (GBytes) wrong = make_frame (BH_MSG_DidFinishLoad, g_variant_new ("(ut)", 1, (guint64) 1), 0, 1);
    guint16 frame_ready = GUINT16_TO_LE (BH_MSG_FrameReady);
    g_autoptr (GBytes) bad = patch (wrong, 6, &frame_ready, 2);

    bh_frame_decoder_push_bytes (d, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));
    expect_error (d, BH_PROTOCOL_ERROR_PAYLOAD_TYPE, "FrameReady: payload type (ut), the catalogue says (uuiua(iiii))");
  }
  /* A variant whose bytes are not in normal form: a string without its NUL. */
  {
    g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_BROWSER);
    g_autoptr (GBytes) f = make_frame (BH_MSG_TitleChanged, g_variant_new ("(uts)", 1, (guint64) 1, "abc"), 0, 1);
    gsize size = g_bytes_get_size (f);
    guint8 *copy = g_memdup2 (g_bytes_get_data (f, NULL), size);
    g_autoptr (GBytes) bad = NULL;

    /* The string's terminating NUL sits right after "abc" in the tuple. */
    for (gsize i = BH_FRAME_HEADER_BYTES; i + 3 < size; i++)
      if (memcmp (copy + i, "abc", 3) == 0)
        {
          copy[i + 3] = 'X';
          break;
        }
    bad = g_bytes_new_take (copy, size);
    bh_frame_decoder_push_bytes (d, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad));
    expect_error (d, BH_PROTOCOL_ERROR_NOT_NORMAL_FORM, "not in normal form");
  }
}

static void
test_fd_count_mismatch (void)
{
  /* ResourceResponse declares one fd; none arrives with it. */
  g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_CHILD);
  g_autoptr (GBytes) f = make_frame (BH_MSG_ResourceResponse,
                                     g_variant_new ("(uust)", 1, 2, "image/png", (guint64) 10), 1, 1);

  bh_frame_decoder_push_bytes (d, g_bytes_get_data (f, NULL), g_bytes_get_size (f));
  expect_error (d, BH_PROTOCOL_ERROR_FD_COUNT, "declares 1 fds, 0 arrived");
}

static void
test_truncated_by_eof (void)
{
  g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_BROWSER);
  g_autoptr (GBytes) f = make_frame (BH_MSG_DidFinishLoad, g_variant_new ("(ut)", 1, (guint64) 1), 0, 1);
  g_autoptr (GError) error = NULL;
  BhMessage *m = NULL;

  bh_frame_decoder_push_bytes (d, g_bytes_get_data (f, NULL), g_bytes_get_size (f) - 3);
  g_assert_false (bh_frame_decoder_next (d, &m, &error));
  g_assert_no_error (error);
  g_assert_false (bh_frame_decoder_finish (d, &error));
  g_assert_error (error, BH_PROTOCOL_ERROR, BH_PROTOCOL_ERROR_TRUNCATED);
}

static void
test_fds_belong_to_their_frame (void)
{
  g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_TO_CHILD);
  g_autoptr (GBytes) f = make_frame (BH_MSG_ResourceResponse,
                                     g_variant_new ("(uust)", 1, 2, "image/png", (guint64) 10), 1, 1);
  g_autoptr (GBytes) g = make_frame (BH_MSG_ResourceFailed, g_variant_new ("(uus)", 1, 3, "gone"), 0, 2);
  g_autoptr (GBytes) h = make_frame (BH_MSG_ResourceResponse,
                                     g_variant_new ("(uust)", 1, 4, "image/png", (guint64) 10), 1, 3);
  int fds[2] = { open ("/dev/null", O_RDONLY | O_CLOEXEC), open ("/dev/null", O_RDONLY | O_CLOEXEC) };
  g_autoptr (GError) error = NULL;
  BhMessage *m = NULL;

  /* As one recvmsg can return them: a frame with its fd, a frame without,
   * and the start of a third whose fd came with its first bytes. */
  bh_frame_decoder_push_fds (d, &fds[0], 1);
  bh_frame_decoder_push_bytes (d, g_bytes_get_data (f, NULL), g_bytes_get_size (f));
  bh_frame_decoder_push_bytes (d, g_bytes_get_data (g, NULL), g_bytes_get_size (g));
  bh_frame_decoder_push_fds (d, &fds[1], 1);
  bh_frame_decoder_push_bytes (d, g_bytes_get_data (h, NULL), 30);
  g_assert_true (bh_frame_decoder_next (d, &m, &error));
  g_assert_cmpuint (m->n_fds, ==, 1);
  g_assert_cmpint (m->fds[0], ==, fds[0]);
  bh_message_free (m);
  g_assert_true (bh_frame_decoder_next (d, &m, &error));
  g_assert_cmpuint (m->n_fds, ==, 0);
  bh_message_free (m);
  /* The third frame waits for its bytes, its fd waiting with it. */
  g_assert_false (bh_frame_decoder_next (d, &m, &error));
  g_assert_no_error (error);
  bh_frame_decoder_push_bytes (d, (const guint8 *) g_bytes_get_data (h, NULL) + 30, g_bytes_get_size (h) - 30);
  g_assert_true (bh_frame_decoder_next (d, &m, &error));
  g_assert_cmpint (m->fds[0], ==, fds[1]);
  bh_message_free (m);
  g_assert_cmpint (fcntl (fds[0], F_GETFD), ==, -1);
  g_assert_cmpint (fcntl (fds[1], F_GETFD), ==, -1);
}

static void
test_undeclared_fds_refused (void)
{
  g_autoptr (GBytes) ping = make_frame (BH_MSG_Ping, NULL, 0, 1);
  int fds[3];

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  /* A whole frame that declares no fd, sent with fds. */
  {
    g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_BOTH);
    BhMessage *m = NULL;
    bh_frame_decoder_push_fds (d, fds, 2);
    bh_frame_decoder_push_bytes (d, g_bytes_get_data (ping, NULL), g_bytes_get_size (ping));
    g_assert_true (bh_frame_decoder_next (d, &m, NULL));
    bh_message_free (m);
    expect_error (d, BH_PROTOCOL_ERROR_FD_COUNT, "2 fds arrived that no frame declared");
  }
  /* Half a frame that declares none, with an fd. */
  {
    g_autoptr (BhFrameDecoder) d = bh_frame_decoder_new (BH_BOTH);
    bh_frame_decoder_push_fds (d, &fds[2], 1);
    bh_frame_decoder_push_bytes (d, g_bytes_get_data (ping, NULL), BH_FRAME_HEADER_BYTES);
    expect_error (d, BH_PROTOCOL_ERROR_FD_COUNT, "Ping: 1 fds arrived, the frame declares 0");
  }
  /* Both decoders closed every fd they were given. */
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    g_assert_cmpint (fcntl (fds[i], F_GETFD), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/frame/header-layout", test_header_layout);
  g_test_add_func ("/ipc/frame/byte-at-a-time", test_byte_at_a_time);
  g_test_add_func ("/ipc/frame/protocol-errors", test_protocol_errors);
  g_test_add_func ("/ipc/frame/payload-type-and-normal-form", test_payload_type_and_normal_form);
  g_test_add_func ("/ipc/frame/fd-count-mismatch", test_fd_count_mismatch);
  g_test_add_func ("/ipc/frame/truncated-by-eof", test_truncated_by_eof);
  g_test_add_func ("/ipc/frame/fds-belong-to-their-frame", test_fds_belong_to_their_frame);
  g_test_add_func ("/ipc/frame/undeclared-fds-refused", test_undeclared_fds_refused);
  return g_test_run ();
}
