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

void fetch_done_cb (GObject *source, GAsyncResult *result, gpointer user_data);
gboolean guard_cb (gpointer user_data);
BhResponse *fetch_sync_full (const char *url, const BhFetchOptions *opts, GCancellable *cancellable,
                             gint64 *elapsed_ms, GError **error);
BhResponse *fetch_sync (const char *url, const BhFetchOptions *opts, GError **error);
char *server_url (const char *path);
void assert_body (BhResponse *response, const char *expected);
gboolean body_contains (BhResponse *response, const char *needle);
void assert_fetch_fails (const char *url, const BhFetchOptions *opts, BhNetError code, const char *message_part);

void fetcher_test_start_server (void);
void fetcher_test_stop_server (void);

/* The topics, in tests/test-fetcher-*.c. */
void fetcher_test_add_http (void);
void fetcher_test_add_connections (void);
void fetcher_test_add_local (void);

G_END_DECLS
