/* browser: the trusted process of Bulkhead.
 *
 *   browser [OPTION...] [URL...]
 *   browser --headless --screenshot=FILE.png [--window-size=W,H] URL
 *
 * The command line is parsed here, once (Chromium's flag names); then either
 * the headless runner or the GTK application takes over. Whichever way it
 * ends, every renderer is closed and reaped before the process exits.
 *
 * browser/ holds the two front ends (this file, bh-headless.c), which may use
 * every folder below them: ui/ (GTK), automation/ (BiDi), process/ (the
 * process model), net/ (the network), pages/ (generated pages); each folder's
 * main header says what it owns and uses (docs/architecture.md, "Folders").
 */
#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

#include "bh-application.h"
#include "bh-bidi-window.h"
#include "bh-bidi.h"
#include "bh-fetcher.h"
#include "bh-browser.h"
#include "bh-headless.h"
#include "bh-ipc-inspector.h"
#include "bh-lws.h"
#include "bh-net-log.h"
#include "bh-trace-merge.h"
#include "bh-trace-record.h"
#include "bh-task-manager.h"
#include "bh-trace.h"

/* How long renderers get to exit on EOF at shutdown before SIGKILL. */
#define SHUTDOWN_TIMEOUT_MS 2000u

static gboolean
have_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  return (x11 != NULL && *x11 != '\0') || (wayland != NULL && *wayland != '\0');
}

static gboolean
quit_cb (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

static int
run_application (BhBrowser *browser, BhBidiServer *bidi, const char *program)
{
  g_autoptr (BhApplication) app = NULL;
  char *argv[] = { (char *) program, NULL };
  guint sigint_id;
  guint sigterm_id;
  int status;

  app = bh_application_new (browser);
  bh_task_manager_attach (GTK_APPLICATION (app), browser);
  bh_ipc_inspector_attach (GTK_APPLICATION (app), browser);
  if (bidi != NULL)
    bh_bidi_window_attach (bidi, GTK_APPLICATION (app));
  /* Ctrl+C or a kill ends the browser the same way as closing its windows,
   * so every renderer is reaped. */
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, app);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, app);
  /* The options were parsed already: GApplication sees none. */
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return status;
}

/* browser.close in --headless: the GUI's is app.quit (bh-bidi-window.c). */
static void
bidi_close_requested_cb (BhBidiServer *bidi, gpointer data)
{
  bh_headless_quit ();
}

int
main (int argc, char **argv)
{
  g_autoptr (BhBrowserOptions) options = NULL;
  g_autoptr (BhBrowser) browser = NULL;
  g_autoptr (BhBidiServer) bidi = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *program = g_strdup (argv[0]);
  int status;

  setlocale (LC_ALL, "");
  g_set_prgname ("bulkhead");
  /* Writes to a dead renderer must fail with EPIPE, not kill the browser. */
  signal (SIGPIPE, SIG_IGN);

  options = bh_browser_options_new ();
  if (!bh_browser_options_parse (options, &argc, &argv, &error))
    {
      g_printerr ("bulkhead: %s (see --help)\n", error->message);
      return 1;
    }

  if (!options->headless && !have_display ())
    {
      g_printerr ("bulkhead: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run with "
                  "--headless --screenshot=FILE.png URL, or under xvfb-run.\n");
      return 1;
    }

  /* One trace of every process, merged here (children's lines come through
   * their output pipes). */
  if (options->ignore_certificate_errors)
    {
      g_printerr ("bulkhead: --ignore-certificate-errors: https certificates are not checked; "
                  "your connections may not be private\n");
      bh_fetch_set_ignore_certificate_errors (TRUE);
    }

  if (options->net_log_path != NULL && !bh_net_log_open (options->net_log_path, &error))
    {
      g_printerr ("bulkhead: %s\n", error->message);
      return 1;
    }

  if (options->ipc_debug != NULL &&
      !bh_trace_merge_setup (options->ipc_debug, options->ipc_debug_format, options->ipc_debug_sides,
                             options->ipc_debug_peer, &error))
    {
      g_printerr ("bulkhead: %s (see --help)\n", error->message);
      return 1;
    }

  if (options->ipc_record_dir != NULL && !bh_trace_record_setup (options->ipc_record_dir, &error))
    {
      g_printerr ("bulkhead: %s\n", error->message);
      return 1;
    }

  browser = bh_browser_new (g_steal_pointer (&options), &error);
  if (browser == NULL)
    {
      g_printerr ("bulkhead: %s\n", error->message);
      return 1;
    }

  /* WebDriver BiDi (issue #5): nothing listens unless asked to. */
  if (bh_browser_get_options (browser)->remote_debugging_port >= 0)
    {
      const BhBrowserOptions *parsed = bh_browser_get_options (browser);

      bidi = bh_bidi_server_new (browser, parsed->remote_debugging_port,
                                 (const char * const *) parsed->remote_allow_origins, &error);
      if (bidi == NULL)
        {
          g_printerr ("bulkhead: %s\n", error->message);
          return 1;
        }
    }

  if (bh_browser_get_options (browser)->headless)
    {
      if (bidi != NULL)
        g_signal_connect (bidi, "close-requested", G_CALLBACK (bidi_close_requested_cb), NULL);
      status = bh_headless_run (browser);
    }
  else
    status = run_application (browser, bidi, program);

  /* Clients are cut off before the tabs close under them. */
  g_clear_object (&bidi);
  bh_browser_shutdown (browser, SHUTDOWN_TIMEOUT_MS);
  bh_lws_shutdown ();
  bh_net_log_close ();
  bh_trace_merge_flush ();
  return status;
}
