/* test-control-lane.c: Stop on the control lane, with a real renderer.
 *
 * A page whose body stops halfway (tests/http-test-server.py /slow: headers
 * and 13 bytes, then nothing for 60 s) commits and waits; the user's Stop
 * (bh_tab_stop()) reaches the renderer on its control lane, the renderer ends
 * the body where it is and answers DidStop there, and the tab is complete with
 * what came. The hang monitor's Ping and its Pong travel on the same lane.
 */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "bh-browser.h"
#include "bh-test-util.h"
#include "bh-trace.h"

#define WAIT_TIMEOUT_MS 30000

typedef struct {
  gboolean stop_sent_on_control;
  gboolean did_stop_on_control;
  gboolean ping_on_control;
  gboolean did_commit;
} Seen;

static void
sink_cb (const BhTraceEvent *event, gpointer user_data)
{
  Seen *seen = user_data;
  const char *lane = event->lane ? event->lane : "data";

  if (event->message == NULL)
    return;
  switch (event->message->type)
    {
    case BH_MSG_Stop:
      seen->stop_sent_on_control |= event->direction == BH_TRACE_SENT && g_str_equal (lane, "control");
      break;
    case BH_MSG_DidStop:
      seen->did_stop_on_control |= event->direction == BH_TRACE_RECEIVED && g_str_equal (lane, "control");
      break;
    case BH_MSG_Ping:
      seen->ping_on_control |= event->direction == BH_TRACE_SENT && g_str_equal (lane, "control");
      break;
    case BH_MSG_DidCommitNavigation:
      seen->did_commit = TRUE;
      break;
    default:
      break;
    }
}

static gboolean
committed (gpointer data)
{
  return ((Seen *) data)->did_commit;
}

static gboolean
did_stop (gpointer data)
{
  return ((Seen *) data)->did_stop_on_control;
}

static gboolean
tab_complete (gpointer data)
{
  return bh_tab_get_state (data) == BH_TAB_STATE_COMPLETE && !bh_tab_is_loading (data);
}

static void
test_stop_on_control_lane (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "http-test-server.py", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *port = NULL;
  g_autofree char *url = NULL;
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (BhBrowser) browser = NULL;
  g_autoptr (BhTab) tab = NULL;
  Seen seen = { 0 };
  guint sink;

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "/usr/bin/python3", script, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  port = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);
  url = g_strdup_printf ("http://127.0.0.1:%s/slow", port);

  options->renderer_path = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "renderer", "renderer", NULL);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  sink = bh_trace_add_sink (sink_cb, &seen);
  tab = bh_browser_new_tab (browser);
  bh_tab_set_visible (tab, TRUE);
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, committed, &seen, "the half page's commit");
  g_assert_true (bh_tab_is_loading (tab));

  bh_tab_stop (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, did_stop, &seen, "DidStop on the control lane");
  g_assert_true (seen.stop_sent_on_control);
  g_assert_true (seen.ping_on_control);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_complete, tab, "the tab complete with what came");

  bh_trace_remove_sink (sink);
  g_clear_object (&tab);
  bh_browser_shutdown (browser, 2000);
  g_subprocess_force_exit (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/ipc/control-lane/stop", test_stop_on_control_lane);
  return g_test_run ();
}
