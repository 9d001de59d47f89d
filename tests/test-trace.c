/* test-trace.c: what --ipc-debug shows for a message, as text and as JSON. */
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-shm.h"
#include "bh-trace.h"

static GPtrArray *lines;

static void
collect_cb (const BhTraceEvent *event, gpointer user_data)
{
  const BhTraceFilter *filter = user_data;

  if (bh_trace_filter_matches (filter, bh_trace_event_name (event)))
    g_ptr_array_add (lines, bh_trace_format_line (event, 200));
}

static void
check_row_cb (const BhMessageInfo *info, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  if (!bh_message_info_check (info, &error))
    g_error ("%s", error->message);
  g_assert_nonnull (bh_message_info_get_field_names (info, &n));
  (*(guint *) user_data)++;
}

/* Every catalogue row names each of its payload's fields; a row added without
 * names fails here with the row's name and what is missing. */
static void
test_catalogue_field_names (void)
{
  g_autoptr (GError) error = NULL;
  const BhMessageInfo bad = { 999, "NewMessage", BH_TO_BROWSER, "(uts)", 0, "view, navigation" };
  const BhMessageInfo bad_name = { 999, "NewMessage", BH_TO_BROWSER, "(u)", 0, "View" };
  const BhMessageInfo *info = bh_message_info_lookup (BH_MSG_CommitNavigation);
  const char *const *names;
  guint rows = 0, n;

  bh_message_info_foreach (check_row_cb, &rows);
  g_assert_cmpuint (rows, >, 40);
  g_assert_true (bh_message_catalogue_check (&error));
  g_assert_no_error (error);

  names = bh_message_info_get_field_names (info, &n);
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpstr (names[2], ==, "url");
  g_assert_null (names[6]);
  bh_message_info_get_field_names (bh_message_info_lookup (BH_MSG_Ping), &n);
  g_assert_cmpuint (n, ==, 0);

  g_assert_false (bh_message_info_check (&bad, &error));
  g_assert_cmpstr (error->message, ==,
                   "bh-messages.h: NewMessage: payload type (uts) has 3 fields but 2 field names are given "
                   "(\"view, navigation\"); name every field, in order, in the row's last column");
  g_clear_error (&error);
  g_assert_false (bh_message_info_check (&bad_name, &error));
  g_assert_nonnull (strstr (error->message, "\"View\" is not lower_snake_case"));
}

static int
sealed_memfd (const char *text)
{
  g_autoptr (GError) error = NULL;
  int fd = bh_blob_new (text, strlen (text), "bulkhead-test", &error);

  g_assert_no_error (error);
  return fd;
}

/* What a person reads: named fields, 0.3 not 0.29999999999999999, strings
 * quoted, a sealed memfd with its size, one filter excluding Ping and Pong. */
static void
test_line_fields (void)
{
  int fd;
  g_autoptr (BhChannel) a = bh_channel_new_pair (BH_BOTH, &fd, NULL);
  g_autoptr (BhChannel) b = bh_channel_new (fd, BH_BOTH);
  g_autoptr (BhTraceFilter) filter = bh_trace_filter_new ("*,-Ping,-Pong");
  int blob = sealed_memfd ("body { color: red }");
  int fds[2] = { blob, blob };
  guint sink;
  const char *line;

  lines = g_ptr_array_new_with_free_func (g_free);
  bh_trace_set_local ("browser", 100);
  sink = bh_trace_add_sink (collect_cb, filter);
  g_assert_true (bh_trace_is_enabled ());
  bh_channel_set_peer (a, "renderer", 101, "http://alpha.test");
  bh_channel_send (a, BH_MSG_Ping, NULL, NULL, 0);
  bh_channel_send (a, BH_MSG_LoadProgress, g_variant_new ("(utd)", 1, (guint64) 7, 0.3), NULL, 0);
  bh_channel_send (a, BH_MSG_Pong, NULL, NULL, 0);
  bh_channel_send (a, BH_MSG_ResourceResponse, g_variant_new ("(uust)", 1, 4, "text/css", (guint64) 19), &blob, 1);
  bh_channel_send (a, BH_MSG_TitleChanged,
                   g_variant_new ("(uts)", 7, (guint64) 3, "A title long enough to be cut in the trace line, since it goes on and on and on"), NULL, 0);
  bh_channel_send (a, BH_MSG_EchoFds, g_variant_new ("u", 5), fds, 2);
  bh_trace_remove_sink (sink);
  g_assert_false (bh_trace_is_enabled ());
  close (blob);

  for (guint i = 0; i < lines->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (lines, i));
  /* The filter let all through but Ping and Pong. */
  g_assert_cmpuint (lines->len, ==, 4);
  line = g_ptr_array_index (lines, 0);
  g_assert_true (g_str_has_suffix (line, " browser[100] -> renderer[101 http://alpha.test] "
                                         "LoadProgress(view=1, navigation=7, progress=0.3) serial=2 bytes=24"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (lines, 1),
                                   "] ResourceResponse(view=1, request=4, content_type='text/css', size=19) "
                                   "fds=[memfd 19 B sealed] serial=4 bytes=33"));
  /* A long string is cut, with its size. */
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 2),
                            "] TitleChanged(view=7, navigation=3, title='A title long enough to be cut in the "
                            "trace line, since it goes on and on…' (79 B)) serial=5 bytes=96"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 3), "] EchoFds(value=5) fds=[memfd 19 B sealed, memfd 19 B sealed]"));
  g_ptr_array_unref (lines);
}

static void
test_values (void)
{
  BhMessage m = { .type = BH_MSG_CreateView };
  g_autofree char *call = NULL;
  g_autofree char *cut = NULL;

  struct {
    const char *variant;
    const char *text;
  } cases[] = {
    { "0.29999999999999999", "0.3" },   { "1.0", "1" },       { "-2.5", "-2.5" },
    { "1e-7", "1e-07" },                { "@u 4000000000", "4000000000" },
    { "@x -3", "-3" },                  { "true", "true" },   { "\"it's\"", "'it\\'s'" },
    { "[@i 1, 2, 3, 4, 5, 6, 7, 8]", "[1, 2, 3, 4, 5, 6, … 2 more]" },
    { "@ay [1, 2, 3]", "<3 B>" },       { "[(0, 0, 10, 10)]", "[(0, 0, 10, 10)]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_parsed (cases[i].variant));
      g_autoptr (GString) out = g_string_new (NULL);

      bh_trace_append_value (out, v);
      g_assert_cmpstr (out->str, ==, cases[i].text);
    }
  {
    g_autofree char *long_url = g_strnfill (100, 'a');
    g_autoptr (GVariant) v = g_variant_ref_sink (g_variant_new_string (long_url));
    g_autoptr (GString) out = g_string_new (NULL);

    bh_trace_append_value (out, v);
    g_assert_true (g_str_has_suffix (out->str, "aaa…' (100 B)"));
  }

  m.payload = g_variant_ref_sink (g_variant_new ("(uuud)", 1, 800, 600, 1.5));
  call = bh_trace_format_call (&m, 200);
  g_assert_cmpstr (call, ==, "CreateView(view=1, width=800, height=600, scale=1.5)");
  cut = bh_trace_format_call (&m, 20);
  g_assert_cmpstr (cut, ==, "CreateView(view=1, width=800, h…)");
  g_variant_unref (m.payload);
}

static void
test_json (void)
{
  int blob = sealed_memfd ("0123456789");
  BhMessage m = { .type = BH_MSG_FrameReady, .serial = 9, .reply_serial = 0, .n_fds = 0 };
  BhMessage r = { .type = BH_MSG_ResourceResponse, .serial = 10, .n_fds = 1, .fds = { blob } };
  BhMessage p = { .type = BH_MSG_LoadProgress, .serial = 11 };
  BhTraceEvent event = { .time_us = 1500000, .direction = BH_TRACE_RECEIVED, .local_role = "browser",
                         .local_pid = 100, .peer_role = "renderer", .peer_pid = 101,
                         .peer_label = "http://beta.test", .message = &m, .payload_bytes = 40 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_r = NULL;
  g_autofree char *json_p = NULL;
  JsonObject *o, *payload, *fd;
  JsonArray *damage;

  m.payload = g_variant_ref_sink (g_variant_new_parsed ("(@u 1, @u 2, 0, @u 900, [(0, 0, 10, 10)])"));
  json = bh_trace_format_json (&event, 200);
  g_test_message ("%s", json);
  g_assert_null (strchr (json, '\n'));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "FrameReady");
  g_assert_cmpstr (json_object_get_string_member (o, "direction"), ==, "recv");
  g_assert_cmpstr (json_object_get_string_member (o, "peer"), ==, "http://beta.test");
  g_assert_cmpint (json_object_get_int_member (o, "peerPid"), ==, 101);
  g_assert_cmpint (json_object_get_int_member (o, "serial"), ==, 9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "fds")), ==, 0);
  payload = json_object_get_object_member (o, "payload");
  g_assert_cmpint (json_object_get_int_member (payload, "view"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (payload, "buffer"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (payload, "document_height"), ==, 900);
  damage = json_object_get_array_member (payload, "damage");
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (damage, 0), 2), ==, 10);
  g_variant_unref (m.payload);

  r.payload = g_variant_ref_sink (g_variant_new ("(uust)", 1, 4, "text/\"x\"", (guint64) 10));
  event.message = &r;
  json_r = bh_trace_format_json (&event, 200);
  g_test_message ("%s", json_r);
  json_parser_load_from_data (parser, json_r, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "payload"), "content_type"), ==,
                   "text/\"x\"");
  fd = json_array_get_object_element (json_object_get_array_member (o, "fds"), 0);
  g_assert_cmpstr (json_object_get_string_member (fd, "kind"), ==, "memfd");
  g_assert_cmpint (json_object_get_int_member (fd, "bytes"), ==, 10);
  g_assert_true (json_object_get_boolean_member (fd, "sealed"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fd, "seals")), ==, 4);
  g_variant_unref (r.payload);
  close (blob);

  /* A double as a person writes it, in the JSON text itself. */
  p.payload = g_variant_ref_sink (g_variant_new ("(utd)", 1, (guint64) 2, 0.3));
  event.message = &p;
  json_p = bh_trace_format_json (&event, 200);
  g_assert_nonnull (strstr (json_p, "\"payload\":{\"view\":1,\"navigation\":2,\"progress\":0.3}"));
  g_variant_unref (p.payload);
}

static void
test_filter (void)
{
  g_autoptr (BhTraceFilter) all_but = bh_trace_filter_new ("*,-Ping,-Pong");
  g_autoptr (BhTraceFilter) only_excl = bh_trace_filter_new ("-Frame*");
  g_autoptr (BhTraceFilter) globs = bh_trace_filter_new ("Frame*, Commit*, -FrameReady");

  g_assert_false (bh_trace_filter_matches (all_but, "Ping"));
  g_assert_false (bh_trace_filter_matches (all_but, "Pong"));
  g_assert_true (bh_trace_filter_matches (all_but, "FrameReady"));
  g_assert_false (bh_trace_filter_matches (only_excl, "FrameReady"));
  g_assert_true (bh_trace_filter_matches (only_excl, "Ping"));
  g_assert_false (bh_trace_filter_matches (globs, "FrameReady"));
  g_assert_true (bh_trace_filter_matches (globs, "CommitNavigation"));
  g_assert_false (bh_trace_filter_matches (globs, "Ping"));
}

static void
json_collect_cb (const BhTraceEvent *event, gpointer user_data)
{
  g_ptr_array_add (user_data, bh_trace_format_json (event, 200));
}

/* A data pipe's wake-ups, full ring and end are events with the name
 * "DataPipe", not one per byte. */
static void
test_data_pipe_events (void)
{
  g_autoptr (BhTraceFilter) filter = bh_trace_filter_new ("DataPipe");
  g_autoptr (GPtrArray) json = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (BhDataPipe) producer = NULL;
  g_autoptr (BhDataPipe) consumer = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  guint8 buf[64];
  int fds[2];
  gsize n;
  guint sink, json_sink;
  const char *line;
  JsonObject *o;

  lines = g_ptr_array_new_with_free_func (g_free);
  bh_trace_set_local ("browser", 100);
  producer = bh_data_pipe_new (16, fds, NULL);
  consumer = bh_data_pipe_new_consumer (fds[0], fds[1], 16, NULL);
  bh_data_pipe_set_trace (producer, "renderer", 101, "http://alpha.test", 5, "navigation body");
  sink = bh_trace_add_sink (collect_cb, filter);
  json_sink = bh_trace_add_sink (json_collect_cb, json);
  bh_data_pipe_write (producer, buf, 10, &n, NULL);
  bh_data_pipe_write (producer, buf, 10, &n, NULL);
  bh_data_pipe_write (producer, buf, 10, &n, NULL);
  bh_data_pipe_finish (producer);
  bh_trace_remove_sink (sink);
  bh_trace_remove_sink (json_sink);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (lines, i));

  /* Woke the consumer, found the ring full, woke it for the end. */
  g_assert_cmpuint (lines->len, ==, 4);
  line = g_ptr_array_index (lines, 0);
  g_assert_nonnull (strstr (line, " browser[100] => renderer[101 http://alpha.test] DataPipe id=5 wake written=10 read=0 "
                                  "wakeups=1/0 full=0 empty=0 (navigation body)"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), " full written=16 "));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 2), " end written=16 "));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 3), " wake written=16 "));

  json_parser_load_from_data (parser, g_ptr_array_index (json, 1), -1, NULL);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "DataPipe");
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "full");
  g_assert_cmpint (json_object_get_int_member (o, "written"), ==, 16);
  g_assert_cmpint (json_object_get_int_member (o, "full"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "peer"), ==, "http://alpha.test");
  g_ptr_array_unref (lines);
}

static void
test_browser_passes_flag_to_children (void)
{
  const char *builddir = g_getenv ("BULKHEAD_BUILDDIR");
  g_autofree char *browser = NULL;
  g_autofree char *png = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strdup ("data:text/html,<title>t</title><p>hello");
  int status;

  if (builddir == NULL)
    {
      g_test_skip ("BULKHEAD_BUILDDIR is not set");
      return;
    }
  browser = g_build_filename (builddir, "browser", "browser", NULL);
  png = g_build_filename (g_get_tmp_dir (), "bulkhead-test-trace.png", NULL);
  {
    g_autofree char *shot = g_strdup_printf ("--screenshot=%s", png);
    const char *argv[] = { browser, "--headless", "--ipc-debug=CommitNavigation,DidFinishLoad", shot, url, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_test_message ("%s", err);
  /* Both ends of the same message, and the renderer's own lines: the flag
   * reached the child, and the filter held on both sides. The line a learner
   * reads: named fields, and the fds described (the data pipe's ring, a memfd
   * the browser keeps writing, and its signal socket). */
  g_assert_nonnull (strstr (err, "-> renderer["));
  g_assert_nonnull (strstr (err, " data:] CommitNavigation(view=1, navigation=1, "
                                 "url='data:text/html,<title>t</title><p>hello', content_type='text/html', "
                                 "charset='', pipe_capacity=262144) fds=[memfd 266240 B seals=shrink,grow, socket] "
                                 "serial="));
  g_assert_nonnull (strstr (err, " renderer["));
  g_assert_nonnull (strstr (err, "<- browser["));
  g_assert_nonnull (strstr (err, "DidFinishLoad(view=1, navigation=1) serial="));
  g_assert_null (strstr (err, "FrameReady"));
  unlink (png);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/catalogue/field-names", test_catalogue_field_names);
  g_test_add_func ("/ipc/trace/line-fields", test_line_fields);
  g_test_add_func ("/ipc/trace/values", test_values);
  g_test_add_func ("/ipc/trace/filter", test_filter);
  g_test_add_func ("/ipc/trace/json", test_json);
  g_test_add_func ("/ipc/trace/data-pipe", test_data_pipe_events);
  g_test_add_func ("/ipc/trace/browser-passes-flag-to-children", test_browser_passes_flag_to_children);
  return g_test_run ();
}
