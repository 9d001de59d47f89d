/* fetcher-test-util.h: what the test-fetcher*.c files share.
 *
 * tests/http-test-server.py started once for the whole program, its ports,
 * bh_fetch() run to completion on the default main context, and assertions
 * on what a fetch gave. Each topic's file registers its tests with one
 * fetcher_test_add_*() function; tests/test-fetcher.c calls them in order.
 */
#pragma once

#include "bh-fetcher.h"

G_BEGIN_DECLS

/* How long any one fetch may take before the test fails, in seconds. */
#define GUARD_SECONDS 25

/* What the server's /page answers. */
extern const char test_page[];

extern guint server_port;
extern guint tls_port;  /* 0: no openssl to make a certificate */
extern guint wide_port; /* the same paths, with a large listen backlog */

typedef struct {
  GMainLoop *loop;
  BhResponse *response;
  GError *error;
  gboolean done;
} FetchResult;

/* A bh_fetch() callback: fills the FetchResult, quits its loop if it has one. */
void fetch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data);
/* A GUARD_SECONDS timeout's callback: fails the test. */
gboolean guard_cb (gpointer user_data);
/* bh_fetch() run to completion on the default main context; @elapsed_ms
 * (optional) gets how long it took, in milliseconds. */
BhResponse *fetch_sync_full (const char *url, const BhFetchOptions *opts, GCancellable *cancellable,
                             gint64 *elapsed_ms, GError **error);
BhResponse *fetch_sync (const char *url, const BhFetchOptions *opts, GError **error);
/* http://127.0.0.1:PORT@path on the test server, newly allocated. */
char *server_url (const char *path);
/* The body is exactly @expected / holds @needle. */
void assert_body (BhResponse *response, const char *expected);
gboolean body_contains (BhResponse *response, const char *needle);
/* The fetch fails with BH_NET_ERROR @code, its message holding
 * @message_part (nullable). */
void assert_fetch_fails (const char *url, const BhFetchOptions *opts, BhNetError code, const char *message_part);

/* Starts tests/http-test-server.py and reads its three ports; it dies with
 * this process. */
void fetcher_test_start_server (void);
/* Ends libwebsockets' context and the server. */
void fetcher_test_stop_server (void);

/* The topics, in tests/test-fetcher-*.c. */
void fetcher_test_add_http (void);
void fetcher_test_add_connections (void);
void fetcher_test_add_local (void);

G_END_DECLS
