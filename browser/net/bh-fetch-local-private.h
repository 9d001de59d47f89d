/* bh-fetch-local-private.h: the fetchers of file:, data: and about: URLs,
 * for bh-fetcher.c's entry points.
 */
#pragma once

#include <gio/gio.h>

#include "bh-fetch-job.h"

G_BEGIN_DECLS

/* data: (RFC 2397, base64 or percent-encoded), at most @max_bytes decoded. */
BhResponse *bh_fetch_data_url (const char *url,
                               gsize       max_bytes,
                               GError    **error);

/* about:blank, and the pages of the browser's GResource. */
BhResponse *bh_fetch_about_url (const char *url,
                                GError    **error);

/* file: (a directory gives an HTML listing); completes @task (taken) from
 * the main loop. */
void bh_fetch_file_url (GTask      *task,
                        const char *url,
                        gsize       max_bytes);

G_END_DECLS
