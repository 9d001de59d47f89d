/* test-trace.c: what --ipc-debug shows for a message, as text and as JSON. */
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"
#include "bh-shm.h"
#include "bh-test-profile.h"
#include "bh-trace-merge.h"
#include "bh-trace-record.h"
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
merged_line_cb (const char *line, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (line));
}

/* The merger, fed by hand: a child's record that comes late takes its place
 * by time; pids are the browser's whatever the record says; the receiver's
 * handling time joins the sender's line; a malformed or hostile record is
 * dropped and the lines stay printable. */
static void
test_merge_order (void)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  int fd;
  g_autoptr (BhChannel) a = bh_channel_new_pair (BH_BOTH, &fd, NULL);
  g_autoptr (BhChannel) b = bh_channel_new (fd, BH_BOTH);
  gint64 now;
  g_autofree char *early = NULL;
  g_autofree char *handled = NULL;
  g_autofree char *hostile = NULL;
  guint browser_pid = (guint) getpid ();
  const char *line;

  g_assert_false (bh_trace_merge_setup (NULL, NULL, "sideways", NULL, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (bh_trace_merge_check_peers ("alpha.test", &error));
  g_clear_error (&error);
  g_assert_true (bh_trace_merge_setup ("*,-Ping", "text", NULL, NULL, &error));
  g_assert_no_error (error);
  bh_trace_merge_set_writer (merged_line_cb, out);
  bh_trace_merge_add_child (4242, "renderer", "http://alpha.test", NULL, NULL);
  bh_channel_set_peer (a, "renderer", 4242, "http://alpha.test");

  /* The browser sends (serial 1), then a line the child wrote earlier arrives. */
  bh_channel_send (a, BH_MSG_CreateView, g_variant_new ("(uuud)", 1, 800, 600, 1.0), NULL, 0);
  now = g_get_monotonic_time ();
  early = g_strdup_printf (BH_TRACE_RECORD_PREFIX "{\"time_us\":%" G_GINT64_FORMAT ",\"role\":\"renderer\","
                           "\"pid\":2,\"direction\":\"send\",\"peerRole\":\"browser\",\"peerPid\":0,\"peer\":\"\","
                           "\"message\":\"ChildReady\",\"serial\":1,\"replySerial\":0,\"bytes\":26,\"fds\":[],"
                           "\"payload\":{\"pid\":2},\"call\":\"ChildReady(pid=2, role='renderer')\",\"fdsText\":\"\"}",
                           now - 5000);
  g_assert_true (bh_trace_merge_take_child_line (4242, early, strlen (early)));
  /* The child handled CreateView (the browser's serial 1) in 1.5 ms. */
  handled = g_strdup_printf (BH_TRACE_RECORD_PREFIX "{\"time_us\":%" G_GINT64_FORMAT ",\"direction\":\"handled\","
                             "\"message\":\"CreateView\",\"serial\":1,\"replySerial\":0,\"peerRole\":\"browser\","
                             "\"handledUs\":1500}",
                             now + 10);
  g_assert_true (bh_trace_merge_take_child_line (4242, handled, strlen (handled)));
  /* Escape sequences for the terminal, and junk: made printable, or dropped. */
  hostile = g_strdup_printf (BH_TRACE_RECORD_PREFIX "{\"time_us\":%" G_GINT64_FORMAT ",\"direction\":\"send\","
                             "\"message\":\"TitleChanged\",\"serial\":2,\"call\":\"TitleChanged(\\u001b[2J)\"}",
                             now + 20);
  g_assert_true (bh_trace_merge_take_child_line (4242, hostile, strlen (hostile)));
  g_assert_true (bh_trace_merge_take_child_line (4242, BH_TRACE_RECORD_PREFIX "{nope", 14));
  g_assert_true (bh_trace_merge_take_child_line (4242, BH_TRACE_RECORD_PREFIX "[1]", 13));
  g_assert_false (bh_trace_merge_take_child_line (4242, "plain output", 12));
  g_assert_false (bh_trace_merge_take_child_line (7, early, strlen (early)));
  bh_channel_send (a, BH_MSG_Ping, NULL, NULL, 0);
  bh_trace_merge_flush ();

  for (guint i = 0; i < out->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (out, i));
  g_assert_cmpuint (out->len, ==, 3);
  line = g_ptr_array_index (out, 0);
  g_assert_nonnull (strstr (line, " renderer[4242 http://alpha.test] -> browser["));
  g_assert_true (g_str_has_suffix (line, "] ChildReady(pid=2, role='renderer') serial=1 bytes=26"));
  line = g_ptr_array_index (out, 1);
  g_assert_nonnull (strstr (line, " -> renderer[4242 http://alpha.test] CreateView(view=1, width=800, height=600, "
                                  "scale=1) serial=1 bytes=24 handled in 1.500 ms"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (out, 2), "] TitleChanged(\\x1b[2J) serial=2 bytes=0"));
  g_assert_cmpint (atoi (strstr (g_ptr_array_index (out, 0), "-> browser[") + strlen ("-> browser[")), ==,
                   browser_pid);
  bh_trace_merge_reset ();
  g_assert_false (bh_trace_is_enabled ());
}

static char *run_browser_full (const char *url, const char *const *args, int *out_pid, gboolean must_succeed);

/* Runs the browser headless on @url with @args; returns its stderr. */
static char *
run_browser (const char *url, const char *const *args, int *out_pid)
{
  return run_browser_full (url, args, out_pid, TRUE);
}

static char *
run_browser_full (const char *url, const char *const *args, int *out_pid, gboolean must_succeed)
{
  const char *builddir = g_getenv ("BULKHEAD_BUILDDIR");
  g_autofree char *browser = g_build_filename (builddir, "browser", "browser", NULL);
  g_autofree char *png = g_build_filename (g_get_tmp_dir (), "bulkhead-test-trace.png", NULL);
  g_autofree char *shot = g_strdup_printf ("--screenshot=%s", png);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *err = NULL;
  GPid pid;
  int err_fd;
  g_autoptr (GIOChannel) channel = NULL;
  int status;

  g_ptr_array_add (argv, browser);
  g_ptr_array_add (argv, (char *) "--headless");
  g_ptr_array_add (argv, (char *) bh_test_user_data_dir_arg ());
  g_ptr_array_add (argv, shot);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, (char *) url);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                            NULL, NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (err_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_set_encoding (channel, NULL, NULL);
  g_io_channel_read_to_end (channel, &err, NULL, &error);
  g_assert_no_error (error);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  if (must_succeed)
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  unlink (png);
  if (out_pid)
    *out_pid = (int) pid;
  return err;
}

/* The trace lines of @err (a child's other output, if any, is left out). */
static GPtrArray *
trace_lines (const char *err)
{
  g_autoptr (GRegex) re = g_regex_new ("^ *[0-9]+\\.[0-9]{6} (browser|renderer|plugin)\\[", 0, 0, NULL);
  g_auto (GStrv) all = g_strsplit (err, "\n", -1);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; all[i]; i++)
    if (g_regex_match (re, all[i], 0, NULL))
      g_ptr_array_add (lines, g_strdup (all[i]));
  return lines;
}

static gssize
find_line (GPtrArray *lines, const char *needle, guint *out_count)
{
  gssize first = -1;
  guint count = 0;

  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), needle))
      {
        if (first < 0)
          first = i;
        count++;
      }
  if (out_count)
    *out_count = count;
  return first;
}

/* What a learner sees for a real page load: one line per message, written
 * where it was sent, the browser's and the renderer's lines merged into one
 * time order, every pid the browser's view, the named fields, the receiver's
 * handling time, and no Ping/Pong. */
static void
test_page_load_trace (void)
{
  const char *args[] = { "--ipc-debug=*,-Ping,-Pong", NULL };
  g_autofree char *err = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *browser_side = NULL;
  g_autofree char *renderer_side = NULL;
  g_autoptr (GRegex) commit_re = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *renderer_pid = NULL;
  gssize commit, did_commit, finish;
  guint count;
  double last = 0;
  int pid;

  if (g_getenv ("BULKHEAD_BUILDDIR") == NULL)
    {
      g_test_skip ("BULKHEAD_BUILDDIR is not set");
      return;
    }
  err = run_browser ("data:text/html,<title>t</title><p>hello", args, &pid);
  lines = trace_lines (err);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (lines, i));
  g_assert_cmpuint (lines->len, >, 10);

  /* The exact line, with the browser's pid and the renderer's as the browser knows it. */
  commit_re = g_regex_new ("^ *[0-9]+\\.[0-9]{6} browser\\[([0-9]+)\\] -> renderer\\[([0-9]+) data:\\] "
                           "CommitNavigation\\(view=1, navigation=1, url='data:text/html,<title>t</title><p>hello', "
                           "content_type='text/html', charset='', pipe_capacity=262144\\) "
                           "fds=\\[memfd 266240 B seals=shrink,grow, socket\\] serial=[0-9]+ bytes=75"
                           "( handled in [0-9]+\\.[0-9]{3} ms)?$",
                           0, 0, NULL);
  commit = find_line (lines, "] CommitNavigation(", &count);
  g_assert_cmpint (commit, >=, 0);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_regex_match (commit_re, g_ptr_array_index (lines, commit), 0, &match));
  g_assert_cmpint (atoi (g_match_info_fetch (match, 1)), ==, pid);
  renderer_pid = g_match_info_fetch (match, 2);

  /* The renderer's own lines, by the same pids: renderer[R data:] -> browser[B]. */
  renderer_side = g_strdup_printf (" renderer[%s data:] -> browser[%d] ", renderer_pid, pid);
  browser_side = g_strdup_printf (" browser[%d] -> renderer[%s data:] ", pid, renderer_pid);
  did_commit = find_line (lines, "] DidCommitNavigation(view=1, navigation=1, url='data:text/html,", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, did_commit), renderer_side));
  g_assert_cmpint (did_commit, >, commit);
  /* The first line a renderer sends is named by the browser's pids too. */
  g_assert_nonnull (strstr (g_ptr_array_index (lines, find_line (lines, "] ChildReady(", NULL)), renderer_side));
  /* Handled by the browser, which is traced: its handling time is added. */
  finish = find_line (lines, "] DidFinishLoad(view=1, navigation=1) serial=", &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (finish, >, did_commit);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, finish), " handled in "));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, find_line (lines, "] LoadProgress(view=1, navigation=1, progress=0.3)", NULL)), renderer_side));

  /* One time order; no Ping or Pong; no line twice. */
  for (guint i = 0; i < lines->len; i++)
    {
      double t = g_ascii_strtod (g_ptr_array_index (lines, i), NULL);

      g_assert_cmpfloat (t, >=, last);
      last = t;
      g_assert_null (strstr (g_ptr_array_index (lines, i), "] Ping("));
      g_assert_null (strstr (g_ptr_array_index (lines, i), "] Pong("));
      g_assert_null (strstr (g_ptr_array_index (lines, i), " <- "));
    }
  g_assert_cmpint (find_line (lines, browser_side, NULL), >=, 0);
}

/* --ipc-debug-sides=both: the receiver's line too, so CommitNavigation twice;
 * --ipc-debug-peer for a site not loaded: only the browser's own (none). */
static void
test_sides_and_peer (void)
{
  const char *both[] = { "--ipc-debug=CommitNavigation,DidFinishLoad", "--ipc-debug-sides=both", NULL };
  const char *other_peer[] = { "--ipc-debug", "--ipc-debug-peer=renderer:http://alpha.test", NULL };
  const char *this_peer[] = { "--ipc-debug=CommitNavigation", "--ipc-debug-peer=renderer:data:*", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err_other = NULL;
  g_autofree char *err_this = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GPtrArray) lines_other = NULL;
  g_autoptr (GPtrArray) lines_this = NULL;
  gssize sent, received;
  guint count;

  if (g_getenv ("BULKHEAD_BUILDDIR") == NULL)
    {
      g_test_skip ("BULKHEAD_BUILDDIR is not set");
      return;
    }
  err = run_browser ("data:text/html,<p>hello", both, NULL);
  lines = trace_lines (err);
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (lines, i));
  find_line (lines, "] CommitNavigation(", &count);
  g_assert_cmpuint (count, ==, 2);
  sent = find_line (lines, "] -> renderer[", NULL);
  received = find_line (lines, "] <- browser[", NULL);
  g_assert_cmpint (sent, >=, 0);
  g_assert_cmpint (received, >, sent);
  find_line (lines, "] DidFinishLoad(", &count);
  g_assert_cmpuint (count, ==, 2);
  find_line (lines, "] FrameReady(", &count);
  g_assert_cmpuint (count, ==, 0);

  err_other = run_browser ("data:text/html,<p>hello", other_peer, NULL);
  lines_other = trace_lines (err_other);
  g_assert_cmpuint (lines_other->len, ==, 0);
  err_this = run_browser ("data:text/html,<p>hello", this_peer, NULL);
  lines_this = trace_lines (err_this);
  g_assert_cmpuint (lines_this->len, ==, 1);

  /* JSON lines, merged the same way: the renderer's own line, by the
   * browser's pids, with its payload as an object and 0.3 as written. */
  {
    const char *json_args[] = { "--ipc-debug=LoadProgress", "--ipc-debug-format=json", NULL };
    g_autofree char *err_json = run_browser ("data:text/html,<p>hello", json_args, NULL);
    g_auto (GStrv) json_lines = g_strsplit (err_json, "\n", -1);
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *o;

    g_assert_true (g_str_has_prefix (json_lines[0], "{"));
    g_assert_nonnull (strstr (json_lines[0], "\"payload\":{\"view\":1,\"navigation\":1,\"progress\":0.3}"));
    g_assert_true (json_parser_load_from_data (parser, json_lines[0], -1, NULL));
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "renderer");
    g_assert_cmpstr (json_object_get_string_member (o, "site"), ==, "data:");
    g_assert_cmpstr (json_object_get_string_member (o, "direction"), ==, "send");
    g_assert_cmpint (json_object_get_int_member (o, "peerPid"), ==, json_object_get_int_member (o, "peerPid"));
    g_assert_true (json_object_has_member (o, "handledUs"));
  }
}

/* Records @url with --ipc-record; returns the one renderer's file. */
static char *
record (const char *url, const char *dir)
{
  g_autofree char *arg = g_strdup_printf ("--ipc-record=%s", dir);
  const char *args[] = { arg, NULL };
  g_autofree char *err = run_browser_full (url, args, NULL, FALSE);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".bhrec"))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  g_assert_nonnull (found);
  return found;
}

static char *
replay (const char *file, int *out_status)
{
  g_autofree char *tool = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "browser", "bulkhead-replay", NULL);
  /* An altered recording waits for a frame that never comes: not for long. */
  const char *timeout = strstr (file, "altered") ? "--step-timeout-ms=2000" : "--step-timeout-ms=30000";
  const char *argv[] = { tool, timeout, file, NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  *out_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return out;
}

/* A page with images recorded, replayed into a fresh sandboxed renderer with
 * no browser: its frames are recorded ones, and the last is identical, pixel
 * for pixel; the last recorded frame altered, the replay says it differs; a recording that ended in a crash
 * crashes the replayed renderer the same way. */
static void
test_record_replay (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *bad_out = NULL;
  g_autofree char *crash_dir = NULL;
  g_autofree char *crash_file = NULL;
  g_autofree char *crash_out = NULL;
  g_autofree char *bad = NULL;
  g_autoptr (GRegex) re = g_regex_new (": [0-9]+ frames painted, ([0-9]+) identical to recorded ones \\(of ([0-9]+)\\), "
                                       "[0-9]+ not in the recording; the last frame identical, pixel for pixel$",
                                       G_REGEX_MULTILINE, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (BhRecordReader) reader = NULL;
  BhRecord *rec;
  char *contents;
  gsize len;
  int status;
  guint8 *hit = NULL;

  if (g_getenv ("BULKHEAD_BUILDDIR") == NULL)
    {
      g_test_skip ("BULKHEAD_BUILDDIR is not set");
      return;
    }
  dir = g_dir_make_tmp ("bulkhead-record-XXXXXX", NULL);
  file = record ("about:demo-images", dir);
  out = replay (file, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_regex_match (re, out, 0, &match));
  g_assert_cmpint (atoi (g_match_info_fetch (match, 1)), >=, 1);
  g_assert_cmpint (atoi (g_match_info_fetch (match, 2)), >=, 1);
  g_assert_nonnull (strstr (out, "sandboxed renderer"));

  /* Alter the last frame's recorded hash. */
  g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
  bytes = g_bytes_new_take (contents, len);
  reader = bh_record_reader_new (bytes, NULL);
  g_assert_nonnull (reader);
  while (bh_record_reader_next (reader, &rec, NULL))
    {
      if (rec->kind == BH_RECORD_FRAME)
        hit = memmem (contents, len, rec->sha256, 32);
      bh_record_free (rec);
    }
  g_assert_nonnull (hit);
  hit[0] ^= 0xff;
  bad = g_build_filename (dir, "altered.bhrec", NULL);
  g_assert_true (g_file_set_contents (bad, contents, len, NULL));
  bad_out = replay (bad, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (bad_out, "the last frame DIFFERS from the recorded one"));
  unlink (bad);

  crash_dir = g_dir_make_tmp ("bulkhead-record-XXXXXX", NULL);
  crash_file = record ("about:crash", crash_dir);
  crash_out = replay (crash_file, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (crash_out, "then it crashed with signal 11 (SIGSEGV)"));
  g_assert_nonnull (strstr (crash_out, "the renderer crashed with signal 11 (SIGSEGV), as recorded"));

  unlink (file);
  unlink (crash_file);
  rmdir (dir);
  rmdir (crash_dir);
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
  g_test_add_func ("/ipc/trace/merge-order", test_merge_order);
  g_test_add_func ("/ipc/trace/page-load", test_page_load_trace);
  g_test_add_func ("/ipc/trace/sides-and-peer", test_sides_and_peer);
  g_test_add_func ("/ipc/record/replay", test_record_replay);
  return g_test_run ();
}
