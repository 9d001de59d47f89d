/* bh-fetch-job-private.h: how the fetchers of browser/net/ (bh-fetch-local.c,
 * bh-http-job.c) build a response and complete a fetch's task.
 */
#pragma once

#include "bh-fetch-job.h"

G_BEGIN_DECLS

/* Copies everything; NULL @content_type is application/octet-stream and a
 * NULL @body an empty one. */
BhResponse *bh_response_new (const char *final_url,
                             guint       http_status,
                             const char *content_type,
                             const char *charset,
                             GBytes     *body,
                             guint       redirect_count);

/* @dest gets @src (or nothing) with every zero replaced by its default and
 * the timeouts cut to BH_FETCH_MAX_TIMEOUT_MS; it holds a reference to the
 * host rules until bh_fetch_options_clear(). */
void bh_fetch_options_copy (BhFetchOptions       *dest,
                            const BhFetchOptions *src);
void bh_fetch_options_clear (BhFetchOptions *opts);

/* Completes @task from the main loop, never from inside the caller's stack
 * (an lws callback, bh_fetch() itself). Takes @task and exactly one of
 * @response and @error. */
void bh_fetch_return_later (GTask      *task,
                            BhResponse *response,
                            GError     *error);

/* When the server or the file system gives no type: a guess from the name
 * and the first bytes (shared-mime-info's rules), lower case. */
char *bh_sniff_content_type (const char   *name_hint,
                             const guchar *data,
                             gsize         len);

/* Whether @mime is text the browser's own pages carry as UTF-8. */
gboolean bh_content_type_is_textual (const char *mime);

G_END_DECLS
