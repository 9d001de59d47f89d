/* test-browser-script.c: JavaScript end to end (issue 18), with the real
 * browser core and the real renderer in its real sandbox, pages from
 * tests/http-test-server.py (tests/data/script/, and Debian's jQuery).
 *
 * What is checked is what a user or automation would observe: the title the
 * page sets (TitleChanged), the answers of bh_tab_evaluate_script(), console
 * lines, dialogs, and the tab's state when a script loops or exhausts its heap.
 */
#include <string.h>

#include <gio/gio.h>

#include "bh-browser.h"
#include <sqlite3.h>

#include "bh-profile.h"
#include "bh-tab.h"
#include "bh-tab-script.h"
#include "bh-test-util.h"

#define WAIT_TIMEOUT_MS 30000
#define HANG_TIMEOUT_MS 1500u

static GSubprocess *server;
static guint16 server_port;

static void
start_server (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "http-test-server.py", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;

  if (server != NULL)
    return;
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "/usr/bin/python3", script, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (i == 0)
        server_port = (guint16) g_ascii_strtoull (line, NULL, 10);
    }
  g_assert_cmpuint (server_port, >, 0);
}

static char *
page_url (const char *name)
{
  return g_strdup_printf ("http://script.test:%u/script/%s", server_port, name);
}

static BhBrowser *
new_browser (gboolean disable_javascript, guint memory_limit_mb)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (GError) error = NULL;
  BhBrowser *browser;

  options->renderer_path = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "renderer", "renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->window_width_px = 800;
  options->window_height_px = 600;
  options->hang_timeout_ms = HANG_TIMEOUT_MS;
  options->disable_javascript = disable_javascript;
  if (memory_limit_mb != 0)
    options->renderer_memory_limit_mb = memory_limit_mb;
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  return browser;
}

typedef struct {
  BhTab *tab;
  const char *title;
} TitleWait;

static gboolean
title_is (gpointer data)
{
  TitleWait *w = data;
  return g_strcmp0 (bh_tab_get_title (w->tab), w->title) == 0;
}

/* The title at the timeout, not at the start of the wait. */
static char *
describe_title (gpointer data)
{
  TitleWait *w = data;
  return g_strdup_printf ("it is \"%s\"", bh_tab_get_title (w->tab));
}

static void
wait_title (BhTab *tab, const char *title)
{
  TitleWait w = { tab, title };
  g_autofree char *what = g_strdup_printf ("the title \"%s\"", title);

  bh_test_wait_until_full (WAIT_TIMEOUT_MS, title_is, describe_title, &w, what);
}

static gboolean
tab_loaded (gpointer data)
{
  return !bh_tab_is_loading (data) && bh_tab_get_frame (data) != NULL;
}

static void
load (BhTab *tab, const char *name)
{
  g_autofree char *url = page_url (name);

  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_loaded, tab, url);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
}

typedef struct {
  gboolean done;
  char *json;
  GError *error;
} Result;

static void
result_cb (BhTab *tab, const char *json, const GError *error, gpointer data)
{
  Result *r = data;

  r->done = TRUE;
  r->json = g_strdup (json);
  r->error = error != NULL ? g_error_copy (error) : NULL;
}

static gboolean
result_done (gpointer data)
{
  return ((Result *) data)->done;
}

/* The JSON result of evaluating @source in @tab's document. */
static char *
evaluate (BhTab *tab, const char *source, BhTabScriptFlags flags)
{
  Result r = { 0 };

  bh_tab_evaluate_script (tab, source, NULL, flags, result_cb, &r);
  g_assert_false (r.done);  /* never called back before returning */
  bh_test_wait_until (WAIT_TIMEOUT_MS, result_done, &r, source);
  g_assert_no_error (r.error);
  return r.json;
}

static double
evaluate_number (BhTab *tab, const char *source)
{
  g_autofree char *json = evaluate (tab, source, 0);
  const char *prefix = "{\"type\":\"success\",\"result\":{\"type\":\"number\",\"value\":";

  if (!g_str_has_prefix (json, prefix))
    g_error ("%s gave %s", source, json);
  return g_ascii_strtod (json + strlen (prefix), NULL);
}

static void
shutdown_browser (BhBrowser *browser)
{
  bh_browser_shutdown (browser, 2000);
  g_object_unref (browser);
}

static void
test_evaluate (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autofree char *json = NULL;
  g_autofree char *node = NULL;
  g_autofree char *awaited = NULL;
  g_autofree char *thrown = NULL;
  Result gone = { 0 };

  load (tab, "click.html");
  json = evaluate (tab, "[document.title, 1 + 1]", 0);
  g_assert_cmpstr (json, ==, "{\"type\":\"success\",\"result\":{\"type\":\"array\",\"value\":["
                             "{\"type\":\"string\",\"value\":\"not clicked\"},{\"type\":\"number\",\"value\":2}]}}");
  node = evaluate (tab, "document.getElementById('target')", 0);
  g_assert_true (g_str_has_prefix (node, "{\"type\":\"success\",\"result\":{\"type\":\"node\",\"sharedId\":\""));
  g_assert_nonnull (strstr (node, "\"localName\":\"div\""));
  awaited = evaluate (tab, "async () => { await null; return 'later'; }",
                      BH_TAB_SCRIPT_FUNCTION | BH_TAB_SCRIPT_AWAIT_PROMISE);
  g_assert_cmpstr (awaited, ==, "{\"type\":\"success\",\"result\":{\"type\":\"string\",\"value\":\"later\"}}");
  thrown = evaluate (tab, "null.x", 0);
  g_assert_true (g_str_has_prefix (thrown, "{\"type\":\"exception\",\"exceptionDetails\":{\"text\":\"TypeError"));

  /* A promise that never settles, then a navigation: the caller hears that
   * the document went, instead of waiting for ever. */
  bh_tab_evaluate_script (tab, "new Promise(() => {})", NULL, BH_TAB_SCRIPT_AWAIT_PROMISE, result_cb, &gone);
  load (tab, "external.html");
  bh_test_wait_until (WAIT_TIMEOUT_MS, result_done, &gone, "the pending evaluation to fail");
  g_assert_error (gone.error, BH_TAB_SCRIPT_ERROR, BH_TAB_SCRIPT_ERROR_NAVIGATED);
  g_clear_error (&gone.error);
  /* External scripts in order, the inline one between them, the deferred last. */
  wait_title (tab, "external one inline two");
  shutdown_browser (g_steal_pointer (&browser));
}

typedef struct {
  GString *lines;
} Console;

static void
console_cb (BhTab *tab, guint level, const char *text, gpointer data)
{
  g_string_append_printf (data, "%u:%s\n", level, text);
}

static gboolean
console_has_line (gpointer data)
{
  return strstr (((GString *) data)->str, "external-2 ran") != NULL;
}

static void
test_console (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autoptr (GString) lines = g_string_new (NULL);

  g_signal_connect (tab, "console-message", G_CALLBACK (console_cb), lines);
  load (tab, "external.html");
  bh_test_wait_until (WAIT_TIMEOUT_MS, console_has_line, lines, "console.log from external-2.js");
  g_free (evaluate (tab, "console.error('bad', 42); 0", 0));
  g_assert_nonnull (strstr (lines->str, "0:external-2 ran\n"));
  g_assert_nonnull (strstr (lines->str, "2:bad 42\n"));
  shutdown_browser (g_steal_pointer (&browser));
}

/* jQuery, a real script nobody here wrote: selectors, DOM changes, and a
 * click handler run by a click through the renderer's input path. */
static void
test_jquery (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  double x, y;
  g_autofree char *out = NULL;

  load (tab, "jquery.html");
  /* 2 li.a, then one added and one removed: 3, the last "four". */
  wait_title (tab, "ready 2 3 four");
  out = evaluate (tab, "document.getElementById('heading').textContent", 0);
  g_assert_true (g_str_has_prefix (out, "{\"type\":\"success\",\"result\":{\"type\":\"string\",\"value\":\"jQuery 3."));
  x = evaluate_number (tab, "document.getElementById('go').getBoundingClientRect().x + 20");
  y = evaluate_number (tab, "document.getElementById('go').getBoundingClientRect().y + 20");
  bh_tab_send_mouse (tab, 1, x, y, 1, 0);
  bh_tab_send_mouse (tab, 2, x, y, 1, 0);
  wait_title (tab, "clicked");
  g_free (out);
  out = evaluate (tab, "document.getElementById('out').textContent + ' ' + document.getElementById('out').style.color", 0);
  g_assert_nonnull (strstr (out, "clicked at 20,"));
  g_assert_nonnull (strstr (out, " green\""));
  shutdown_browser (g_steal_pointer (&browser));
}

static void
test_disable_javascript (void)
{
  g_autoptr (BhBrowser) browser = new_browser (TRUE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autofree char *json = NULL;

  load (tab, "external.html");
  g_assert_cmpstr (bh_tab_get_title (tab), ==, "external");
  json = evaluate (tab, "1", 0);
  g_assert_true (g_str_has_prefix (json, "{\"type\":\"exception\",\"exceptionDetails\":{\"text\":\"JavaScript is disabled\""));
  shutdown_browser (g_steal_pointer (&browser));
}

static gboolean
tab_unresponsive (gpointer data)
{
  return bh_tab_get_state (data) == BH_TAB_STATE_UNRESPONSIVE;
}

static gboolean
tab_state_not_loading (gpointer data)
{
  BhTabState state = bh_tab_get_state (data);
  return state != BH_TAB_STATE_COMPLETE && state != BH_TAB_STATE_LOADING && state != BH_TAB_STATE_UNRESPONSIVE;
}

/* An endless loop: the hang monitor says so, and Exit page ends it. */
static void
test_endless_loop (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);

  load (tab, "hang.html");
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_unresponsive, tab, "the tab to turn unresponsive");
  bh_tab_hang_kill (tab);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_state_not_loading, tab, "the tab to show the kill");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "killed");
  shutdown_browser (g_steal_pointer (&browser));
}

/* A script that allocates without end: the JS heap limit (a quarter of
 * --renderer-memory-limit-mb) ends the renderer as out of memory. */
static void
test_out_of_memory (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 512);
  BhTab *tab = bh_browser_new_tab (browser);

  load (tab, "oom.html");
  bh_test_wait_until (WAIT_TIMEOUT_MS * 2, tab_state_not_loading, tab, "the renderer to run out of memory");
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "oom");
  shutdown_browser (g_steal_pointer (&browser));
}

typedef struct {
  GString *seen;
  guint dialog_id;
  guint kind;
} Dialogs;

static gboolean
dialog_cb (BhTab *tab, guint dialog_id, guint kind, const char *message, const char *default_text, gpointer data)
{
  Dialogs *d = data;

  g_string_append_printf (d->seen, "%u:%s:%s\n", kind, message, default_text);
  d->dialog_id = dialog_id;
  d->kind = kind;
  return TRUE;
}

static gboolean
dialog_open (gpointer data)
{
  return ((Dialogs *) data)->dialog_id != 0;
}

static void
test_dialogs (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  Dialogs d = { g_string_new (NULL), 0, 0 };

  g_signal_connect (tab, "script-dialog", G_CALLBACK (dialog_cb), &d);
  load (tab, "dialog.html");
  bh_test_wait_until (WAIT_TIMEOUT_MS, dialog_open, &d, "the alert");
  /* The renderer waits on the user, longer than the hang timeout: no hang. */
  bh_test_run_for (HANG_TIMEOUT_MS * 2);
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  for (guint expected_kind = 0; expected_kind < 3; expected_kind++)
    {
      guint id;

      bh_test_wait_until (WAIT_TIMEOUT_MS, dialog_open, &d, "the next dialog");
      g_assert_cmpuint (d.kind, ==, expected_kind);
      id = d.dialog_id;
      d.dialog_id = 0;
      bh_tab_answer_script_dialog (tab, id, TRUE, expected_kind == 2 ? "Ada" : NULL);
    }
  wait_title (tab, "answers true Ada");
  g_assert_cmpstr (d.seen->str, ==, "0:Hello from the page:\n1:Proceed?:\n2:Your name?:nobody\n");
  g_string_free (d.seen, TRUE);
  shutdown_browser (g_steal_pointer (&browser));
}

/* document.cookie reaches the browser's jar for the document's URL, and never
 * an HttpOnly cookie. */
static void
test_cookies (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autofree char *url = g_strdup_printf ("http://script.test:%u/cookie-page", server_port);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_loaded, tab, url);
  before = evaluate (tab, "document.cookie", 0);
  g_assert_cmpstr (before, ==, "{\"type\":\"success\",\"result\":{\"type\":\"string\",\"value\":\"server=1\"}}");
  after = evaluate (tab, "document.cookie = 'js=3; Path=/'; document.cookie = 'secret=stolen; Path=/'; document.cookie", 0);
  /* A script cannot replace an HttpOnly cookie, nor read it. */
  g_assert_nonnull (strstr (after, "js=3"));
  g_assert_nonnull (strstr (after, "server=1"));
  g_assert_null (strstr (after, "secret"));
  shutdown_browser (g_steal_pointer (&browser));
}

/* fetch() and XMLHttpRequest go through the browser: same-origin requests are
 * answered (statuses, redirects, POST bodies), a cross-origin one the server
 * does not allow fails in the page, and the renderer lives on. */
static void
test_fetch (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autoptr (GString) lines = g_string_new (NULL);

  g_signal_connect (tab, "console-message", G_CALLBACK (console_cb), lines);
  load (tab, "fetch.html");
  wait_title (tab, "200 true text/plain ua | 404 false | true redirects done | "
                   "POST application/x-www-form-urlencoded;charset=UTF-8: a=1+2 | TypeError | "
                   "xhr 200 POST application/json: {\"b\":2}");
  g_assert_nonnull (strstr (lines->str, "2:Fetch of 'http://other.test:"));
  g_assert_nonnull (strstr (lines->str, "/headers has no Access-Control-Allow-Origin header (origin "
                                        "http://script.test:"));
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  shutdown_browser (g_steal_pointer (&browser));
}

/* CORS for simple requests: another origin's response reaches the page only
 * with the server's Access-Control-Allow-Origin; the request went out with the
 * page's Origin (the browser's, not the renderer's word) and without the
 * cookies the jar holds for that origin; what needs a preflight never leaves. */
static void
test_cors (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autoptr (GString) lines = g_string_new (NULL);
  g_autofree char *cookie_page = g_strdup_printf ("http://api.script.test:%u/cookie-page", server_port);
  g_autofree char *expected = NULL;

  /* The jar gets cookies of the other origin (same site: SameSite=Lax would
   * let them go, so only the credentials mode keeps them home). */
  bh_tab_navigate (tab, cookie_page);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_loaded, tab, cookie_page);
  g_signal_connect (tab, "console-message", G_CALLBACK (console_cb), lines);
  load (tab, "cors.html");
  expected = g_strdup_printf ("200 text/plain cors body exact | 200 text/plain cors body star | TypeError | "
                              "GET Origin: http://script.test:%u Cookie: (none) | TypeError | "
                              "xhr 200 cors body xhr: hi | POST Origin: http://script.test:%u Cookie: (none) | "
                              "xhr error | TypeError | TypeError | TypeError | not seen, not seen, not seen | "
                              "TypeError | TypeError | 200 text/plain cors body hop | "
                              "GET Origin: http://script.test:%u Cookie: (none) | TypeError | not seen | "
                              "200 text/plain cors body tainted | GET Origin: null Cookie: (none) | TypeError",
                              server_port, server_port, server_port);
  wait_title (tab, expected);
  g_assert_nonnull (strstr (lines->str, "the Content-Type 'application/json' needs a preflight"));
  g_assert_nonnull (strstr (lines->str, "the method PUT needs a preflight"));
  g_assert_nonnull (strstr (lines->str, "the header 'x-custom' needs a preflight"));
  g_assert_nonnull (strstr (lines->str, "allows origin \"http://script.test\", not http://script.test:"));
  g_assert_nonnull (strstr (lines->str, "blocked by CORS: the redirect from http://api.script.test:"));
  g_assert_nonnull (strstr (lines->str, "allows origin \"(none)\", not http://script.test:"));
  g_assert_nonnull (strstr (lines->str, "/cors?key=tainted-exact&allow=http%3A%2F%2Fscript.test%3A"));
  g_assert_nonnull (strstr (lines->str, " allows origin \"http://script.test:"));
  g_assert_nonnull (strstr (lines->str, "\", not null"));
  g_assert_cmpstr (bh_tab_state_to_string (bh_tab_get_state (tab)), ==, "complete");
  shutdown_browser (g_steal_pointer (&browser));
}

static BhBrowser *
new_browser_with_profile (const char *user_data_dir)
{
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autoptr (GError) error = NULL;
  BhBrowser *browser;

  options->renderer_path = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "renderer", "renderer", NULL);
  options->host_resolver_rules = g_strdup ("MAP *.test 127.0.0.1");
  options->window_width_px = 800;
  options->window_height_px = 600;
  options->user_data_dir = g_strdup (user_data_dir);
  browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
  return browser;
}

/* localStorage is the profile's, per origin, in its database; sessionStorage
 * is the tab's; the quota holds. */
static void
test_storage (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bulkhead-storage-XXXXXX", NULL);
  g_autoptr (BhBrowser) browser = new_browser_with_profile (dir);
  BhTab *tab = bh_browser_new_tab (browser);
  BhTab *second;
  g_autofree char *other_origin = g_strdup_printf ("http://other.test:%u/script/storage.html", server_port);

  load (tab, "storage.html");
  wait_title (tab, "local 1 session 1 keys loads,z-last 2 z-last QuotaExceededError false");
  load (tab, "storage.html");
  wait_title (tab, "local 2 session 2 keys loads,z-last 2 z-last QuotaExceededError false");
  /* Another tab: the same localStorage, a sessionStorage of its own. */
  second = bh_browser_new_tab (browser);
  load (second, "storage.html");
  wait_title (second, "local 3 session 1 keys loads,z-last 2 z-last QuotaExceededError false");
  /* ... and the first tab heard of its changes (the last one is z-last's). */
  wait_title (tab, "storage event z-last \xc3\xa9 2>\xc3\xa9 3 true");
  /* Another origin (and site): areas of its own. */
  bh_tab_navigate (second, other_origin);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_loaded, second, other_origin);
  wait_title (second, "local 1 session 1 keys loads,z-last 2 z-last QuotaExceededError false");
  shutdown_browser (g_steal_pointer (&browser));

  /* The profile kept it (a browser on it later reads this database). */
  {
    g_autofree char *db_path = g_build_filename (dir, BH_PROFILE_DATABASE_NAME, NULL);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT origin, value FROM web_storage WHERE key = 'loads' ORDER BY origin",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "http://other.test:"));
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "1");
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_true (g_str_has_prefix ((const char *) sqlite3_column_text (stmt, 0), "http://script.test:"));
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "3");
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  {
    const char *argv[] = { "rm", "-rf", dir, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

/* A script-heavy page nobody here wrote: the Debian Policy manual's Sphinx
 * search (jQuery, underscore, searchtools.js loading searchindex.js by a
 * script it inserts) lists the pages matching a query, as in Chromium. */
static void
test_policy_search (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  g_autofree char *url = g_strdup_printf ("http://script.test:%u/policy/search.html?q=conffile", server_port);
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * 1000;
  g_autofree char *summary = NULL;
  double results = 0;

  if (!g_file_test ("/usr/share/doc/debian-policy/policy.html/search.html", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("debian-policy is not installed");
      return;
    }
  bh_tab_navigate (tab, url);
  bh_test_wait_until (WAIT_TIMEOUT_MS, tab_loaded, tab, url);
  while (g_get_monotonic_time () < deadline)
    {
      g_free (summary);
      summary = evaluate (tab, "(document.querySelector('#search-results p.search-summary') || {}).textContent || ''", 0);
      if (strstr (summary, "Search finished") != NULL)
        break;
      bh_test_run_for (100);
    }
  g_assert_nonnull (strstr (summary, "Search finished, found "));
  results = evaluate_number (tab, "document.querySelectorAll('#search-results ul.search li').length");
  g_assert_cmpfloat (results, >, 3);
  g_free (summary);
  summary = evaluate (tab, "[...document.querySelectorAll('#search-results ul.search li a')].map(a => a.textContent).join('|')", 0);
  /* The chapters on conffiles are among them. */
  g_assert_nonnull (strstr (summary, "Configuration file handling"));
  g_assert_nonnull (strstr (summary, "> Conffiles"));
  shutdown_browser (g_steal_pointer (&browser));
}

static void
count_frame_cb (BhTab *tab, gpointer data)
{
  (*(guint *) data)++;
}

static gboolean
title_starts_with_raf (gpointer data)
{
  return g_str_has_prefix (bh_tab_get_title (data), "raf ");
}

/* requestAnimationFrame() runs once per frame the browser takes, at most 60 a
 * second: each callback's change reached the browser as a frame. */
static void
test_animation_frames (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  guint frames = 0, callbacks = 0;
  char rising[32] = "";

  load (tab, "raf.html");
  g_signal_connect (tab, "frame-changed", G_CALLBACK (count_frame_cb), &frames);
  bh_test_wait_until (WAIT_TIMEOUT_MS, title_starts_with_raf, tab, "the animation to end");
  g_assert_cmpint (sscanf (bh_tab_get_title (tab), "raf %u %31s", &callbacks, rising), ==, 2);
  g_assert_cmpstr (rising, ==, "rising");
  /* A second at 60 Hz; not a busy loop, not starved. */
  g_assert_cmpuint (callbacks, >=, 20);
  g_assert_cmpuint (callbacks, <=, 64);
  /* Every animation frame was a frame (the first ones may predate the signal). */
  g_assert_cmpuint (frames + 3, >=, callbacks);
  shutdown_browser (g_steal_pointer (&browser));
}

typedef struct {
  BhTab *tab;
  GPtrArray *held; /* frames kept from the browser's own release */
} Holder;

static void
hold_frame_cb (BhTab *tab, gpointer data)
{
  Holder *h = data;

  if (h->held != NULL && bh_tab_get_frame (tab) != NULL)
    g_ptr_array_add (h->held, g_object_ref (bh_tab_get_frame (tab)));
}

typedef struct {
  BhTab *tab;
  double above;
} FramesAbove;

static gboolean
animation_frames_above (gpointer data)
{
  FramesAbove *f = data;

  return evaluate_number (f->tab, "frames") > f->above;
}

/* Frames the browser has not let go of hold the animation back: no buffer comes
 * back, so no callback runs; once they are released, it goes on. */
static void
test_animation_frames_wait_for_acks (void)
{
  g_autoptr (BhBrowser) browser = new_browser (FALSE, 0);
  BhTab *tab = bh_browser_new_tab (browser);
  Holder h = { tab, g_ptr_array_new_with_free_func (g_object_unref) };
  FramesAbove resumed = { tab, 0 };
  double before, after;

  load (tab, "raf.html?forever");
  g_signal_connect (tab, "frame-changed", G_CALLBACK (hold_frame_cb), &h);
  /* Proving that nothing happens takes a while of nothing: half a second, 30
   * frames' worth, after the buffers ran out. */
  bh_test_run_for (500);
  before = evaluate_number (tab, "frames");
  bh_test_run_for (500);
  after = evaluate_number (tab, "frames");
  g_assert_cmpfloat (after - before, <=, 1);
  g_clear_pointer (&h.held, g_ptr_array_unref);
  resumed.above = after + 10;
  bh_test_wait_until (WAIT_TIMEOUT_MS, animation_frames_above, &resumed, "the animation to go on");
  g_signal_handlers_disconnect_by_func (tab, hold_frame_cb, &h);
  shutdown_browser (g_steal_pointer (&browser));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  start_server ();
  g_test_add_func ("/browser-script/evaluate", test_evaluate);
  g_test_add_func ("/browser-script/console", test_console);
  g_test_add_func ("/browser-script/jquery", test_jquery);
  g_test_add_func ("/browser-script/disable-javascript", test_disable_javascript);
  g_test_add_func ("/browser-script/endless-loop", test_endless_loop);
  g_test_add_func ("/browser-script/out-of-memory", test_out_of_memory);
  g_test_add_func ("/browser-script/dialogs", test_dialogs);
  g_test_add_func ("/browser-script/cookies", test_cookies);
  g_test_add_func ("/browser-script/fetch", test_fetch);
  g_test_add_func ("/browser-script/cors", test_cors);
  g_test_add_func ("/browser-script/storage", test_storage);
  g_test_add_func ("/browser-script/policy-search", test_policy_search);
  g_test_add_func ("/browser-script/animation-frames", test_animation_frames);
  g_test_add_func ("/browser-script/animation-frames-wait-for-acks", test_animation_frames_wait_for_acks);
  status = g_test_run ();
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  return status;
}
