/* bh-headless.c: a tab per URL on a bare main loop, a PNG of the first at the end. */
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

typedef struct _Headless Headless;

/* One tab per URL on the command line, as Chromium's headless mode opens them. */
typedef struct {
  Headless *run;
  BhTab *tab;
  const char *url;
  gboolean first;    /* the tab --screenshot takes */
  gboolean finished; /* load-finished came */
  gboolean done;     /* nothing more to wait for in this tab */
  guint settle_id;
} HeadlessTab;

struct _Headless {
  BhBrowser *browser;
  GMainLoop *loop;
  GPtrArray *tabs; /* HeadlessTab, in command-line order */
  const char *screenshot_path;
  gboolean stay_up; /* --remote-debugging-port: serve until a signal */
  gboolean done;
  char *failure; /* the first reason to exit 1 */
  guint timeout_id;
  guint sigint_id;
  guint sigterm_id;
};

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
  HeadlessTab *first = g_ptr_array_index (self->tabs, 0);
  /* The page with its plugins composited over it, as a window shows it. */
  g_autoptr (GBytes) png = bh_tab_snapshot_to_png (first->tab, error);

  if (png == NULL)
    return FALSE;
  return g_file_set_contents (self->screenshot_path, g_bytes_get_data (png, NULL),
                              (gssize) g_bytes_get_size (png), error);
}

/* Ends the run: writes what there is to write, whatever went wrong before. */
static void
complete (Headless *self)
{
  if (self->done)
    return;
  self->done = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  for (guint i = 0; i < self->tabs->len; i++)
    {
      HeadlessTab *t = g_ptr_array_index (self->tabs, i);
      const GError *load_error = bh_tab_get_load_error (t->tab);

      g_clear_handle_id (&t->settle_id, g_source_remove);
      if (load_error != NULL && load_error->domain == BH_NET_ERROR)
        fail (self, "could not load %s (%s): %s", t->url, bh_net_error_to_string ((BhNetError) load_error->code),
              load_error->message);
      else if (load_error != NULL)
        fail (self, "could not load %s: %s", t->url, load_error->message);
    }

  if (self->screenshot_path != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!write_screenshot (self, &error))
        fail (self, "could not write the screenshot %s: %s", self->screenshot_path,
              error->message);
    }
  g_main_loop_quit (self->loop);
}

/* This tab needs nothing more; the run ends when no tab does. */
static void
tab_done (HeadlessTab *t)
{
  t->done = TRUE;
  g_clear_handle_id (&t->settle_id, g_source_remove);
  for (guint i = 0; i < t->run->tabs->len; i++)
    if (!((HeadlessTab *) g_ptr_array_index (t->run->tabs, i))->done)
      return;
  complete (t->run);
}

/* Whether the tab has what --screenshot needs: a frame after the finish and
 * every plugin's first frame. Only the first tab is pictured. */
static gboolean
tab_is_ready (HeadlessTab *t)
{
  if (!t->first || t->run->screenshot_path == NULL)
    return TRUE;
  return bh_tab_get_frame (t->tab) != NULL && !bh_tab_has_pending_plugins (t->tab);
}

static gboolean
settle_cb (gpointer data)
{
  HeadlessTab *t = data;

  t->settle_id = 0;
  /* A plugin still loading completes the run with its first frame
   * (frame_changed_cb), or the --timeout deadline does. */
  if (!bh_tab_has_pending_plugins (t->tab))
    tab_done (t);
  return G_SOURCE_REMOVE;
}

static void
load_finished_cb (BhTab *tab, gpointer data)
{
  HeadlessTab *t = data;

  if (t->run->stay_up || t->done)
    return;
  t->finished = TRUE;
  if (tab_is_ready (t))
    {
      tab_done (t);
      return;
    }
  g_clear_handle_id (&t->settle_id, g_source_remove);
  t->settle_id = g_timeout_add (SETTLE_AFTER_FINISH_MS, settle_cb, t);
}

static void
frame_changed_cb (BhTab *tab, gpointer data)
{
  HeadlessTab *t = data;

  if (t->finished && !t->done && tab_is_ready (t))
    tab_done (t);
}

static void
state_changed_cb (BhTab *tab, GParamSpec *pspec, gpointer data)
{
  HeadlessTab *t = data;

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
      if (t->run->stay_up)
        break;
      if (t->run->tabs->len > 1)
        fail (t->run, "%s: %s", t->url, bh_tab_get_status_message (tab));
      else
        fail (t->run, "%s", bh_tab_get_status_message (tab));
      tab_done (t);
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
  const char *url = NULL;

  self->timeout_id = 0;
  for (guint i = 0; i < self->tabs->len && url == NULL; i++)
    {
      HeadlessTab *t = g_ptr_array_index (self->tabs, i);
      if (!t->done)
        url = t->url;
    }
  fail (self, "timed out after %u ms loading %s", options->timeout_ms, url ? url : "");
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

static void
headless_tab_free (gpointer data)
{
  HeadlessTab *t = data;

  g_clear_handle_id (&t->settle_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (t->tab, t);
  bh_tab_close (t->tab);
  g_clear_object (&t->tab);
  g_free (t);
}

static void
navigate (BhTab *tab, const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  /* As on Chromium's command line, an existing file's path opens the file. */
  if (scheme == NULL && g_file_test (url, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GFile) file = g_file_new_for_commandline_arg (url);
      g_autofree char *uri = g_file_get_uri (file);

      bh_tab_navigate (tab, uri);
    }
  else
    bh_tab_navigate_to_user_input (tab, url);
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
  loop = g_main_loop_new (NULL, FALSE);
  self.browser = browser;
  self.loop = loop;
  self.tabs = g_ptr_array_new_with_free_func (headless_tab_free);
  self.screenshot_path = options->screenshot_path;
  /* With --screenshot the run ends with the picture, automation or not. */
  self.stay_up = options->remote_debugging_port >= 0 && options->screenshot_path == NULL;

  for (guint i = 0; options->urls[i] != NULL; i++)
    {
      HeadlessTab *t = g_new0 (HeadlessTab, 1);

      t->run = &self;
      t->url = options->urls[i];
      t->first = i == 0;
      t->tab = bh_browser_new_tab (browser);
      g_ptr_array_add (self.tabs, t);
      g_signal_connect (t->tab, "load-finished", G_CALLBACK (load_finished_cb), t);
      g_signal_connect (t->tab, "frame-changed", G_CALLBACK (frame_changed_cb), t);
      g_signal_connect (t->tab, "notify::state", G_CALLBACK (state_changed_cb), t);
      bh_tab_set_viewport (t->tab, options->window_width_px, options->window_height_px, 1.0);
    }
  g_assert (self.tabs->len > 0); /* the options give about:start when no URL is given */

  if (!self.stay_up)
    self.timeout_id = g_timeout_add (options->timeout_ms, timeout_cb, &self);
  self.sigint_id = g_unix_signal_add (SIGINT, signal_cb, &self);
  self.sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &self);

  current_run = &self;
  for (guint i = 0; i < self.tabs->len && !self.done; i++)
    {
      HeadlessTab *t = g_ptr_array_index (self.tabs, i);
      navigate (t->tab, t->url);
    }
  if (!self.done)
    g_main_loop_run (loop);
  current_run = NULL;

  g_clear_handle_id (&self.timeout_id, g_source_remove);
  g_clear_handle_id (&self.sigint_id, g_source_remove);
  g_clear_handle_id (&self.sigterm_id, g_source_remove);
  g_clear_pointer (&self.tabs, g_ptr_array_unref);

  if (self.failure != NULL)
    {
      g_printerr ("bulkhead: %s\n", self.failure);
      g_free (self.failure);
      return 1;
    }
  return 0;
}
