/* bh-headless.c: one tab on a bare main loop, a PNG at the end. */
#include "bh-headless.h"

#include <signal.h>

#include <gdk/gdk.h>
#include <gio/gio.h>
#include <glib-unix.h>

#include "bh-fetcher.h"
#include "bh-tab-plugins.h"

/* A renderer sends DidFinishLoad after the FrameReady that shows the finished
 * page (renderer/main.c), so the frame in hand is the page. This is only the
 * wait for a frame when the finish came first (a renderer that broke that
 * order, or a page with nothing to paint yet). */
#define SETTLE_AFTER_FINISH_MS 1000u

typedef struct {
  BhBrowser *browser;
  BhTab *tab;
  GMainLoop *loop;
  const char *url;
  const char *screenshot_path;
  gboolean stay_up; /* --remote-debugging-port: serve until a signal */
  gboolean finished;
  gboolean done;
  char *failure; /* the first reason to exit 1 */
  guint timeout_id;
  guint settle_id;
  guint sigint_id;
  guint sigterm_id;
} Headless;

/* The run in progress, for bh_headless_quit(). */
static Headless *current_run;

static void
fail (Headless *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
fail (Headless *self, const char *format, ...)
{
  va_list args;

  if (self->failure != NULL)
    return;
  va_start (args, format);
  self->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

static gboolean
write_screenshot (Headless *self, GError **error)
{
  /* The page with its plugins composited over it, as a window shows it. */
  g_autoptr (GBytes) png = bh_tab_snapshot_to_png (self->tab, error);

  if (png == NULL)
    return FALSE;
  return g_file_set_contents (self->screenshot_path, g_bytes_get_data (png, NULL),
                              (gssize) g_bytes_get_size (png), error);
}

/* Ends the run: writes what there is to write, whatever went wrong before. */
static void
complete (Headless *self)
{
  const GError *load_error;

  if (self->done)
    return;
  self->done = TRUE;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  load_error = bh_tab_get_load_error (self->tab);
  if (load_error != NULL && load_error->domain == BH_NET_ERROR)
    fail (self, "could not load %s (%s): %s", self->url,
          bh_net_error_to_string ((BhNetError) load_error->code), load_error->message);
  else if (load_error != NULL)
    fail (self, "could not load %s: %s", self->url, load_error->message);

  if (self->screenshot_path != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!write_screenshot (self, &error))
        fail (self, "could not write the screenshot %s: %s", self->screenshot_path,
              error->message);
    }
  g_main_loop_quit (self->loop);
}

static gboolean
settle_cb (gpointer data)
{
  Headless *self = data;

  self->settle_id = 0;
  /* A plugin still loading completes the run with its first frame
   * (frame_changed_cb), or the --timeout deadline does. */
  if (!bh_tab_has_pending_plugins (self->tab))
    complete (self);
  return G_SOURCE_REMOVE;
}

static void
load_finished_cb (BhTab *tab, gpointer data)
{
  Headless *self = data;

  if (self->stay_up)
    return;
  self->finished = TRUE;
  if (self->screenshot_path == NULL)
    {
      complete (self);
      return;
    }
  if (bh_tab_get_frame (tab) != NULL && !bh_tab_has_pending_plugins (tab))
    {
      complete (self);
      return;
    }
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_AFTER_FINISH_MS, settle_cb, self);
}

static void
frame_changed_cb (BhTab *tab, gpointer data)
{
  Headless *self = data;

  if (self->finished && bh_tab_get_frame (tab) != NULL && !bh_tab_has_pending_plugins (tab))
    complete (self);
}

static void
state_changed_cb (BhTab *tab, GParamSpec *pspec, gpointer data)
{
  Headless *self = data;

  switch (bh_tab_get_state (tab))
    {
    case BH_TAB_STATE_CRASHED:
    case BH_TAB_STATE_KILLED:
    case BH_TAB_STATE_OOM:
    case BH_TAB_STATE_BAD_MESSAGE:
    case BH_TAB_STATE_LAUNCH_FAILED:
      /* Serving automation, this tab is one of the client's: the client
       * learns of the failure from its events, and the run goes on to end
       * with browser.close, successfully. */
      if (self->stay_up)
        break;
      fail (self, "%s", bh_tab_get_status_message (tab));
      complete (self);
      break;
    case BH_TAB_STATE_UNRESPONSIVE:
    case BH_TAB_STATE_LOADING:
    case BH_TAB_STATE_COMPLETE:
    default:
      break;
    }
}

static gboolean
timeout_cb (gpointer data)
{
  Headless *self = data;
  const BhBrowserOptions *options = bh_browser_get_options (self->browser);

  self->timeout_id = 0;
  fail (self, "timed out after %u ms loading %s", options->timeout_ms, self->url);
  complete (self);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer data)
{
  Headless *self = data;

  if (!self->stay_up)
    fail (self, "interrupted");
  self->done = TRUE;
  g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

void
bh_headless_quit (void)
{
  if (current_run == NULL)
    return;
  current_run->done = TRUE;
  g_main_loop_quit (current_run->loop);
}

int
bh_headless_run (BhBrowser *browser)
{
  const BhBrowserOptions *options;
  g_autoptr (GMainLoop) loop = NULL;
  Headless self = { 0 };

  g_return_val_if_fail (BH_IS_BROWSER (browser), 1);

  options = bh_browser_get_options (browser);
  if (options->urls[0] != NULL && options->urls[1] != NULL)
    g_printerr ("bulkhead: --headless loads one URL; ignoring all but %s\n", options->urls[0]);

  loop = g_main_loop_new (NULL, FALSE);
  self.browser = browser;
  self.loop = loop;
  self.url = options->urls[0];
  self.screenshot_path = options->screenshot_path;
  /* With --screenshot the run ends with the picture, automation or not. */
  self.stay_up = options->remote_debugging_port >= 0 && options->screenshot_path == NULL;
  self.tab = bh_browser_new_tab (browser);
  g_signal_connect (self.tab, "load-finished", G_CALLBACK (load_finished_cb), &self);
  g_signal_connect (self.tab, "frame-changed", G_CALLBACK (frame_changed_cb), &self);
  g_signal_connect (self.tab, "notify::state", G_CALLBACK (state_changed_cb), &self);
  bh_tab_set_viewport (self.tab, options->window_width_px, options->window_height_px, 1.0);

  if (!self.stay_up)
    self.timeout_id = g_timeout_add (options->timeout_ms, timeout_cb, &self);
  self.sigint_id = g_unix_signal_add (SIGINT, signal_cb, &self);
  self.sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &self);

  {
    g_autofree char *scheme = g_uri_parse_scheme (self.url);

    /* As on Chromium's command line, an existing file's path opens the file. */
    if (scheme == NULL && g_file_test (self.url, G_FILE_TEST_EXISTS))
      {
        g_autoptr (GFile) file = g_file_new_for_commandline_arg (self.url);
        g_autofree char *uri = g_file_get_uri (file);

        bh_tab_navigate (self.tab, uri);
      }
    else
      bh_tab_navigate_to_user_input (self.tab, self.url);
  }
  current_run = &self;
  if (!self.done)
    g_main_loop_run (loop);
  current_run = NULL;

  g_clear_handle_id (&self.timeout_id, g_source_remove);
  g_clear_handle_id (&self.settle_id, g_source_remove);
  g_clear_handle_id (&self.sigint_id, g_source_remove);
  g_clear_handle_id (&self.sigterm_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (self.tab, &self);
  bh_tab_close (self.tab);
  g_clear_object (&self.tab);

  if (self.failure != NULL)
    {
      g_printerr ("bulkhead: %s\n", self.failure);
      g_free (self.failure);
      return 1;
    }
  return 0;
}
