/* bh-http-job-cache.c: the HTTP cache's part of an http(s) job (RFC 9111,
 * the store is browser/profile/bh-http-cache.c): looking up the stored
 * response for a hop, the conditional request headers that revalidate it,
 * serving a fresh or revalidated (304) response as if it had just arrived,
 * and keeping a 200's body to store at its end. The rest of the job is
 * bh-http-job.c; they share bh-http-job-private.h.
 */
#include "bh-http-job-private.h"

#include <string.h>

#include "bh-fetch-job-private.h"

/* The cache's key: the URL without its fragment. */
static char *
cache_key (const char *url)
{
  return g_strndup (url, strcspn (url, "#"));
}

static BhHttpCacheHeaders
http_job_cache_headers (HttpJob *job)
{
  return (BhHttpCacheHeaders) { job->cache_headers[0], job->cache_headers[1], job->cache_headers[2],
                                job->cache_headers[3], job->cache_headers[4], job->cache_headers[5],
                                job->cache_headers[6], job->cache_headers[7] };
}

/* RFC 9111 §4.1: what this request sends for each field @vary names, as
 * bh_http_cache_store() keeps it. */
static char *
vary_key (HttpJob *job, const char *vary)
{
  g_auto (GStrv) names = bh_http_cache_vary_names (vary);
  GString *key = g_string_new (NULL);

  for (char **name = names; *name != NULL; name++)
    {
      g_autofree char *value = http_job_request_header (job, *name);

      g_string_append_printf (key, "%s: %s\n", *name, value != NULL ? value : "");
    }
  return g_string_free (key, FALSE);
}

void
http_job_cache_reset_hop (HttpJob *job)
{
  g_clear_pointer (&job->cache_entry, bh_http_cache_entry_free);
  g_clear_pointer (&job->cache_copy, g_byte_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (job->cache_headers); i++)
    g_clear_pointer (&job->cache_headers[i], g_free);
  job->cache_result = job->opts.profile != NULL && job->opts.cache_mode != BH_FETCH_CACHE_BYPASS ? "miss" : "none";
}

gboolean
http_job_cache_lookup (HttpJob *job)
{
  if (job->opts.profile != NULL && job->opts.cache_mode != BH_FETCH_CACHE_BYPASS)
    {
      g_autofree char *key = cache_key (job->url);

      job->cache_entry = bh_http_cache_lookup (bh_profile_get_http_cache (job->opts.profile), key);
      /* Stored for a request that sent other values of the fields its
       * Vary names: not this request's response (§4.1), a miss, as
       * Chromium's vary mismatch is; the answer replaces it. */
      if (job->cache_entry != NULL && job->cache_entry->vary != NULL)
        {
          g_autofree char *mine = vary_key (job, job->cache_entry->vary);

          if (g_strcmp0 (mine, job->cache_entry->vary_key) != 0)
            g_clear_pointer (&job->cache_entry, bh_http_cache_entry_free);
        }
      /* Fresh: no request at all (from the main loop, as every answer). */
      if (job->cache_entry != NULL && job->opts.cache_mode == BH_FETCH_CACHE_DEFAULT &&
          job->cache_entry->fresh_until_us > g_get_real_time ())
        {
          http_job_schedule_next (job, NEXT_STEP_CACHED);
          return TRUE;
        }
      /* Stale, or Reload: asked again with its validators, if it has any. */
      if (job->cache_entry != NULL && job->cache_entry->etag == NULL && job->cache_entry->last_modified == NULL)
        g_clear_pointer (&job->cache_entry, bh_http_cache_entry_free);
    }
  return FALSE;
}

void
http_job_cache_add_request_headers (HttpJob *job,
                                    GString *request)
{
  if (job->cache_entry != NULL && job->cache_entry->etag != NULL)
    g_string_append_printf (request, "If-None-Match: %s\r\n", job->cache_entry->etag);
  if (job->cache_entry != NULL && job->cache_entry->last_modified != NULL)
    g_string_append_printf (request, "If-Modified-Since: %s\r\n", job->cache_entry->last_modified);
  if (job->opts.cache_mode == BH_FETCH_CACHE_BYPASS)
    g_string_append (request, "Cache-Control: no-cache\r\nPragma: no-cache\r\n");
}

gboolean
http_job_cache_head (HttpJob *job)
{
  if (job->opts.profile != NULL)
    {
      static const char *const names[] = {
        "cache-control", "pragma", "expires", "date", "age", "last-modified", "etag", "vary",
      };
      G_STATIC_ASSERT (G_N_ELEMENTS (names) == G_N_ELEMENTS (job->cache_headers));

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        job->cache_headers[i] = bh_http_parser_get_header (job->parser, names[i]);
      /* 304 Not Modified: the stored response is still good (RFC 9111 §4.3.4). */
      if (job->status == 304 && job->cache_entry != NULL)
        {
          g_autofree char *key = cache_key (job->url);
          BhHttpCacheHeaders headers = http_job_cache_headers (job);

          bh_http_cache_freshen (bh_profile_get_http_cache (job->opts.profile), key, &headers,
                                 g_get_real_time ());
          http_job_serve_cached (job, "revalidated");
          return TRUE;
        }
      g_clear_pointer (&job->cache_entry, bh_http_cache_entry_free);
      /* A 200 is kept to be stored at its end, Ctrl+Shift+R's included. */
      if (job->status == 200)
        job->cache_copy = g_byte_array_new ();
    }
  return FALSE;
}

void
http_job_cache_copy_body (HttpJob      *job,
                          const guint8 *data,
                          gsize         len)
{
  if (job->cache_copy == NULL)
    return;
  if (job->cache_copy->len + len > BH_HTTP_CACHE_MAX_ENTRY_BYTES)
    g_clear_pointer (&job->cache_copy, g_byte_array_unref);
  else
    g_byte_array_append (job->cache_copy, data, len);
}

void
http_job_cache_store (HttpJob    *job,
                      const char *mime)
{
  if (job->cache_copy != NULL)
    {
      g_autoptr (GBytes) whole = g_byte_array_free_to_bytes (g_steal_pointer (&job->cache_copy));
      g_autofree char *key = cache_key (job->url);
      BhHttpCacheHeaders headers = http_job_cache_headers (job);
      g_autofree char *vary = headers.vary != NULL ? vary_key (job, headers.vary) : NULL;

      bh_http_cache_store (bh_profile_get_http_cache (job->opts.profile), key, job->status, mime,
                           job->charset != NULL && *job->charset != '\0' ? job->charset : NULL, whole,
                           &headers, vary, g_get_real_time ());
    }
}

/* The cache answers: its stored response, as if it had just arrived (the
 * head through the stream's callbacks, then the completion). */
void
http_job_serve_cached (HttpJob    *job,
                       const char *result)
{
  BhHttpCacheEntry *entry = job->cache_entry;
  gsize len;
  gconstpointer data;

  g_assert (entry != NULL);
  http_job_detach (job);
  bh_connection_ticket_release (&job->ticket);
  http_job_clear_source (&job->connect_source);
  job->cache_result = result;
  job->headers_received = TRUE;
  job->status = entry->status;
  g_free (job->content_type);
  job->content_type = g_strdup (entry->content_type);
  g_free (job->charset);
  job->charset = g_strdup (entry->charset);
  job->content_type_doubtful = FALSE;
  g_clear_pointer (&job->cache_copy, g_byte_array_unref);
  g_clear_pointer (&job->body, g_byte_array_unref);
  job->body = g_byte_array_new ();
  data = g_bytes_get_data (entry->body, &len);
  g_byte_array_append (job->body, data, len);
  http_job_stream_progress (job);
  if (job->task != NULL)
    http_job_succeed (job);
}
