/* test-trace.c: what --ipc-debug shows for a message, as text and as JSON. */
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-test-profile.h"
#include "bh-trace.h"

static GPtrArray *lines;

static void
collect_cb (const BhTraceEvent *event, gpointer user_data)
{
  const BhTraceFilter *filter = user_data;

  if (bh_trace_filter_matches (filter, bh_trace_event_name (event)))
    g_ptr_array_add (lines, bh_trace_format_line (event, 40));
}

static void
test_line_fields (void)
{
  int fd;
  g_autoptr (BhChannel) a = bh_channel_new_pair (BH_BOTH, &fd, NULL);
  g_autoptr (BhChannel) b = bh_channel_new (fd, BH_BOTH);
  g_autoptr (BhTraceFilter) filter = bh_trace_filter_new ("Title*, DidFinish*");
  guint sink;
  const char *line;

  lines = g_ptr_array_new_with_free_func (g_free);
  bh_trace_set_local ("browser", 100);
  sink = bh_trace_add_sink (collect_cb, filter);
  g_assert_true (bh_trace_is_enabled ());
  bh_channel_set_peer (a, "renderer", 101, "http://alpha.test");
  bh_channel_send (a, BH_MSG_Ping, NULL, NULL, 0);
  bh_channel_send (a, BH_MSG_TitleChanged,
                   g_variant_new ("(uts)", 7, (guint64) 3, "A title long enough to be cut in the trace line"), NULL, 0);
  bh_trace_remove_sink (sink);
  g_assert_false (bh_trace_is_enabled ());

  /* The filter let TitleChanged through and not Ping. */
  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_test_message ("%s", line);
  g_assert_nonnull (strstr (line, " browser[100] -> renderer[101 http://alpha.test] TitleChanged serial=2 reply=0 "));
  g_assert_nonnull (strstr (line, "fds=0 (7, 3, 'A title long enough to"));
  g_assert_true (g_str_has_suffix (line, "…"));
  g_ptr_array_unref (lines);
}

static void
test_json (void)
{
  BhMessage m = { .type = BH_MSG_FrameReady, .serial = 9, .reply_serial = 0, .n_fds = 0 };
  BhTraceEvent event = { .time_us = 1500000, .direction = BH_TRACE_RECEIVED, .local_role = "browser",
                         .local_pid = 100, .peer_role = "renderer", .peer_pid = 101,
                         .peer_label = "http://beta.test", .message = &m, .payload_bytes = 40 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *o;

  m.payload = g_variant_ref_sink (g_variant_new_parsed ("(@u 1, @u 2, 0, @u 900, [(0, 0, 10, 10)])"));
  json = bh_trace_format_json (&event, 200);
  g_assert_null (strchr (json, '\n'));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "message"), ==, "FrameReady");
  g_assert_cmpstr (json_object_get_string_member (o, "direction"), ==, "recv");
  g_assert_cmpstr (json_object_get_string_member (o, "peer"), ==, "http://beta.test");
  g_assert_cmpint (json_object_get_int_member (o, "peerPid"), ==, 101);
  g_assert_cmpint (json_object_get_int_member (o, "serial"), ==, 9);
  g_assert_cmpstr (json_object_get_string_member (o, "payload"), ==, "(1, 2, 0, 900, [(0, 0, 10, 10)])");
  g_variant_unref (m.payload);
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
    const char *argv[] = { browser, "--headless", bh_test_user_data_dir_arg (), "--ipc-debug=CommitNavigation,DidFinishLoad", shot, url, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_test_message ("%s", err);
  /* Both ends of the same message, and the renderer's own lines: the flag
   * reached the child, and the filter held on both sides. */
  g_assert_nonnull (strstr (err, "-> renderer["));
  g_assert_nonnull (strstr (err, "] CommitNavigation "));
  g_assert_nonnull (strstr (err, " renderer["));
  g_assert_nonnull (strstr (err, "<- browser["));
  g_assert_nonnull (strstr (err, "DidFinishLoad"));
  g_assert_null (strstr (err, "FrameReady"));
  unlink (png);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ipc/trace/line-fields", test_line_fields);
  g_test_add_func ("/ipc/trace/json", test_json);
  g_test_add_func ("/ipc/trace/data-pipe", test_data_pipe_events);
  g_test_add_func ("/ipc/trace/browser-passes-flag-to-children", test_browser_passes_flag_to_children);
  return g_test_run ();
}
