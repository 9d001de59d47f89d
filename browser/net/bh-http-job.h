/* bh-http-job.h: an http or https fetch (libwebsockets' client), for
 * bh-fetcher.c's entry points. The job is the BhFetchStream handle.
 */
#pragma once

#include <gio/gio.h>

#include "bh-fetch-job.h"

G_BEGIN_DECLS

/* Starts fetching @url (http or https) for @task (taken), streaming the
 * body to @funcs when not %NULL. Returns the job's own reference, for
 * bh_http_job_unref(). */
BhFetchStream *bh_http_job_start (GTask                    *task,
                                  const char               *url,
                                  const BhFetchOptions     *opts,
                                  const BhFetchStreamFuncs *funcs,
                                  gpointer                  funcs_data);

/* bh_fetch_stream_set_paused(). */
void bh_http_job_set_paused (BhFetchStream *job,
                             gboolean       paused);

/* --ignore-certificate-errors (Chromium's): every certificate verification
 * failure is overruled, for the whole browser. Main thread, before fetching. */
void bh_http_job_set_ignore_certificate_errors (gboolean ignore);

/* Drops a reference; the fetch goes on while it has an outcome to give. */
void bh_http_job_unref (BhFetchStream *job);

G_END_DECLS
