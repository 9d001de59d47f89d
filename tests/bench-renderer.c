/* bench-renderer: a real renderer, started through the browser's launcher, on a real page.
 *
 *   build/tests/bench-renderer [--page=FILE.html] [--runs=N]
 *
 * Acting as a minimal browser, it spawns build/renderer/renderer with
 * bh_launcher_spawn(), with the sandbox (bubblewrap + seccomp, whatever the
 * machine gives) and with --no-sandbox, and for each run measures:
 *
 *   spawn_ms   bh_launcher_spawn() to ChildReady
 *   commit_ms  CommitNavigation sent to the first FrameReady, at 1280x900
 *   total_ms   spawn to the first FrameReady (issue #7's "spawn to first frame")
 *   rss_kib    the renderer's VmRSS after the load finished
 *
 * Images and stylesheets the page asks for are answered with ResourceFailed,
 * so the figures are the renderer's own work, not a server's. Prints medians:
 *
 *   renderer sandbox=yes page=ch05.en.html bytes=93312 spawn_ms=.. commit_ms=.. total_ms=.. rss_kib=..
 *   renderer sandbox=no  ...
 *   sandbox_overhead_ms=..
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bh-channel.h"
#include "bh-data-pipe.h"
#include "bh-launcher.h"
#include "bh-shm.h"

typedef struct {
  GMainLoop *loop;
  BhChannel *channel;
  gint64 t_spawn, t_ready, t_commit, t_frame;
  gboolean finished;
  GBytes *page;
  const char *url;
} Run;

/* Streams @len bytes of @data into a new data pipe whose ring holds them all,
 * and ends it; returns the consumer's fds and the capacity for CommitNavigation. */
static guint32
body_pipe (const void *data, gsize len, int fds[2])
{
  g_autoptr (GError) error = NULL;
  gsize capacity = MAX (len, 1), n = 0;
  g_autoptr (BhDataPipe) producer = bh_data_pipe_new (capacity, fds, &error);

  g_assert_no_error (error);
  if (len > 0)
    g_assert_cmpint (bh_data_pipe_write (producer, data, len, &n, &error), ==, BH_DATA_PIPE_OK);
  g_assert_cmpuint (n, ==, len);
  bh_data_pipe_finish (producer);
  return (guint32) capacity;
}

static void
send_commit (Run *run)
{
  gsize size;
  const void *data = g_bytes_get_data (run->page, &size);
  int fds[2];
  guint32 capacity;

  bh_channel_send (run->channel, BH_MSG_CreateView, g_variant_new ("(uuud)", 1, 1280, 900, 1.0), NULL, 0);
  run->t_commit = g_get_monotonic_time ();
  capacity = body_pipe (data, size, fds);
  bh_channel_send (run->channel, BH_MSG_CommitNavigation,
                   g_variant_new ("(utsssu)", 1, (guint64) 1, run->url, "text/html", "utf-8", capacity), fds, 2);
  close (fds[0]);
  close (fds[1]);
}

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  g_autoptr (BhMessage) m = message;
  Run *run = user_data;

  switch (m->type)
    {
    case BH_MSG_ChildReady:
      run->t_ready = g_get_monotonic_time ();
      send_commit (run);
      break;
    case BH_MSG_ResourceRequest:
      {
        guint32 view, req;
        g_variant_get (m->payload, "(uu&s)", &view, &req, NULL);
        bh_channel_send (channel, BH_MSG_ResourceFailed, g_variant_new ("(uus)", view, req, "benchmark"), NULL, 0);
      }
      break;
    case BH_MSG_FrameReady:
      {
        guint32 view, buffer;
        g_variant_get (m->payload, "(uuiua(iiii))", &view, &buffer, NULL, NULL, NULL);
        if (run->t_frame == 0)
          run->t_frame = g_get_monotonic_time ();
        bh_channel_send (channel, BH_MSG_ReleaseBuffer, g_variant_new ("(uu)", view, buffer), NULL, 0);
        if (run->finished)
          g_main_loop_quit (run->loop);
      }
      break;
    case BH_MSG_DidFinishLoad:
      run->finished = TRUE;
      if (run->t_frame != 0)
        g_main_loop_quit (run->loop);
      break;
    default:
      break;
    }
}

static void
error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  g_error ("renderer channel ended: %s", error->message);
}

static guint64
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmRSS:")))
    return 0;
  return g_ascii_strtoull (line + 6, NULL, 10);
}

static void
one_run (const char *renderer, gboolean sandbox, GBytes *page, const char *url, double out[4])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BhChildProcess) child = NULL;
  const char *args[] = { "--type=renderer", "--site=file://", NULL };
  BhLaunchOptions opts;
  Run run = { g_main_loop_new (NULL, FALSE) };
  int child_fd, status;

  run.page = page;
  run.url = url;
  run.channel = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &error);
  g_assert_no_error (error);
  bh_launch_options_init (&opts);
  opts.executable = renderer;
  opts.args = args;
  opts.ipc_fd = child_fd;
  opts.no_sandbox = !sandbox;

  run.t_spawn = g_get_monotonic_time ();
  if (!bh_launcher_spawn (&opts, &child, &error))
    g_error ("cannot start the renderer: %s", error->message);
  close (child_fd);
  bh_channel_set_handlers (run.channel, message_cb, error_cb, &run);
  bh_channel_attach (run.channel, NULL);
  g_main_loop_run (run.loop);

  out[0] = (run.t_ready - run.t_spawn) / 1000.0;
  out[1] = (run.t_frame - run.t_commit) / 1000.0;
  out[2] = (run.t_frame - run.t_spawn) / 1000.0;
  out[3] = (double) rss_kib (bh_child_process_get_pid (child));

  bh_channel_set_handlers (run.channel, NULL, NULL, NULL);
  bh_channel_close (run.channel);
  bh_channel_unref (run.channel);
  waitpid (bh_child_process_get_reap_pid (child), &status, 0);
  g_main_loop_unref (run.loop);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int argc, char **argv)
{
  g_autofree char *page_path = g_strdup ("/usr/share/doc/debian-reference-en/docs/ch05.en.html");
  int runs = 9;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- renderer first-frame benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);
  g_autofree char *renderer = g_build_filename (dir, "..", "renderer", "renderer", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GBytes) page = NULL;
  gsize len;
  double totals[2] = { 0 };
  GOptionEntry entries[] = {
    { "page", 0, 0, G_OPTION_ARG_FILENAME, &page_path, "HTML file to load", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per mode (median reported)", "N" },
    { NULL },
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) ||
      !g_file_get_contents (page_path, &contents, &len, &error))
    {
      g_printerr ("bench-renderer: %s\n", error->message);
      return 2;
    }
  page = g_bytes_new_take (g_steal_pointer (&contents), len);
  basename = g_path_get_basename (page_path);
  url = g_strconcat ("file://", page_path, NULL);

  for (int mode = 0; mode < 2; mode++)
    {
      gboolean sandbox = mode == 0;
      GArray *v[4];
      for (int k = 0; k < 4; k++)
        v[k] = g_array_new (FALSE, FALSE, sizeof (double));
      for (int i = 0; i < runs; i++)
        {
          double out[4];
          one_run (renderer, sandbox, page, url, out);
          for (int k = 0; k < 4; k++)
            g_array_append_val (v[k], out[k]);
        }
      totals[mode] = median (v[2]);
      g_print ("renderer sandbox=%s page=%s bytes=%" G_GSIZE_FORMAT " spawn_ms=%.1f commit_ms=%.1f total_ms=%.1f "
               "rss_kib=%.0f\n",
               sandbox ? "yes" : "no ", basename, len, median (v[0]), median (v[1]), totals[mode], median (v[3]));
      for (int k = 0; k < 4; k++)
        g_array_unref (v[k]);
    }
  g_print ("sandbox_overhead_ms=%.1f (%s)\n", totals[0] - totals[1], bh_launcher_probe ()->summary);
  return 0;
}
