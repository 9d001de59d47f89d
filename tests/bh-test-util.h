/* bh-test-util.h: helpers shared by the C test programs.
 *
 * A threaded HTTP server on every address, main-loop waits with a deadline,
 * and, for the tests that drive a GTK window, a private Xvfb and a wait for
 * the window to be painted. Nothing here knows about tabs or browsers, so
 * that tests linking stand-ins for them (tests/ui-fake-tab.c) can use it.
 */
#pragma once

#include <gio/gio.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * BhTestHttpHandler:
 * @path: (nullable): the request line's target, e.g. "/a.html"; NULL when
 *   the request line has none
 * @content_type: (out) (transfer none): where to put the Content-Type of
 *   the answer, a static string
 *
 * Makes the body of the answer to a GET. Runs in one of the server's worker
 * threads, so it must not touch the main context.
 *
 * Returns: (transfer full): the body, sent with "200 OK".
 */
typedef GBytes *(*BhTestHttpHandler) (const char *path, const char **content_type);

guint16 bh_test_http_server_start (int max_threads, BhTestHttpHandler handler);

/**
 * BhTestHttpRequestHandler:
 * @method: the request line's method, "GET" or "POST"
 * @path: the request line's target, query included
 * @request_type: (nullable): the request's Content-Type
 * @request_body: its body (empty without one)
 * @content_type: (out) (transfer none): the answer's Content-Type, a static string
 *
 * As #BhTestHttpHandler, seeing the whole request. Runs in a worker thread.
 *
 * Returns: (transfer full): the body, sent with "200 OK".
 */
typedef GBytes *(*BhTestHttpRequestHandler) (const char *method, const char *path, const char *request_type,
                                              GBytes *request_body, const char **content_type);
guint16 bh_test_http_server_start_full (int max_threads, BhTestHttpRequestHandler handler);

/**
 * BhTestCondition:
 * @data: what the condition looks at
 *
 * Returns: TRUE once the awaited state is reached.
 */
typedef gboolean (*BhTestCondition) (gpointer data);

/**
 * BhTestDescribe:
 * @data: what the condition looks at
 *
 * Returns: (transfer full) (nullable): what @data shows now, in words, for
 *   a failure message.
 */
typedef char *(*BhTestDescribe) (gpointer data);

void bh_test_wait_until (guint timeout_ms, BhTestCondition done, gpointer data, const char *what);
void bh_test_wait_until_full (guint timeout_ms, BhTestCondition done, BhTestDescribe describe, gpointer data,
                              const char *what);
void bh_test_run_for (guint ms);
void bh_test_spin (guint ms);

GSubprocess *bh_test_start_xvfb (const char *geometry, gboolean noreset);
void bh_test_wait_for_paint (GtkWidget *widget, guint timeout_s);

G_END_DECLS
