/* bh-fetcher.c: http(s) over libwebsockets, file:, data: and about:.
 *
 * Every fetch is a GTask completed from an idle source, never from inside
 * a libwebsockets callback: the caller's callback may start another fetch or
 * tear the network down, and lws must not be re-entered from its own
 * callback stack for that.
 */
#include "bh-fetcher.h"

#include <errno.h>
#include <libpsl.h>
#include <libwebsockets.h>
#include <string.h>
#include <sys/socket.h>
#include <zlib.h>

#include "bh-config.h"
#include "bh-page-template.h"
#include "bh-lws.h"
#include "bh-mime.h"

/* Two client vhosts: http needs no TLS, and readying it (the CA store) was a
 * tenth of a headless http page load. */
#define FETCHER_VHOST_NAME    "bh-fetcher"
#define FETCHER_TLS_VHOST_NAME "bh-fetcher-tls"
#define FETCHER_PROTOCOL_NAME "bh-http-client"
#define RESOURCE_PREFIX       "/org/bulkhead/Browser/"
#define READ_CHUNK_BYTES      (64 * 1024)

G_STATIC_ASSERT (BH_FETCH_MAX_TIMEOUT_MS < BH_LWS_BACKSTOP_TIMEOUT_S * 1000u);

G_DEFINE_QUARK (bh-net-error-quark, bh_net_error)

const char *
bh_net_error_to_string (BhNetError code)
{
  switch (code)
    {
    case BH_NET_ERROR_NAME_NOT_RESOLVED:  return "ERR_NAME_NOT_RESOLVED";
    case BH_NET_ERROR_CONNECTION_REFUSED: return "ERR_CONNECTION_REFUSED";
    case BH_NET_ERROR_TIMED_OUT:          return "ERR_TIMED_OUT";
    case BH_NET_ERROR_TOO_LARGE:          return "ERR_FILE_TOO_BIG";
    case BH_NET_ERROR_TOO_MANY_REDIRECTS: return "ERR_TOO_MANY_REDIRECTS";
    case BH_NET_ERROR_UNSUPPORTED_SCHEME: return "ERR_UNKNOWN_URL_SCHEME";
    case BH_NET_ERROR_INVALID_URL:        return "ERR_INVALID_URL";
    case BH_NET_ERROR_FILE_NOT_FOUND:     return "ERR_FILE_NOT_FOUND";
    case BH_NET_ERROR_FAILED:             return "ERR_FAILED";
    case BH_NET_ERROR_ACCESS_DENIED:      return "ERR_ACCESS_DENIED";
    case BH_NET_ERROR_UNSAFE_REDIRECT:    return "ERR_UNSAFE_REDIRECT";
    case BH_NET_ERROR_EMPTY_RESPONSE:     return "ERR_EMPTY_RESPONSE";
    case BH_NET_ERROR_INVALID_RESPONSE:   return "ERR_INVALID_HTTP_RESPONSE";
    default:                              return "ERR_FAILED";
    }
}

char *
bh_net_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == BH_NET_ERROR)
    return g_strdup (bh_net_error_to_string (error->code));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup ("ERR_ABORTED");
  return g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
}

void
bh_response_free (BhResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->final_url);
  g_free (response->content_type);
  g_free (response->charset);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

static BhResponse *
response_new (const char *final_url,
              guint       http_status,
              const char *content_type,
              const char *charset,
              GBytes     *body,
              guint       redirect_count)
{
  BhResponse *response = g_new0 (BhResponse, 1);

  response->final_url = g_strdup (final_url);
  response->http_status = http_status;
  response->content_type = g_strdup (content_type != NULL ? content_type
                                                          : "application/octet-stream");
  response->charset = g_strdup (charset);
  response->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  response->redirect_count = redirect_count;
  return response;
}

static void
options_copy (BhFetchOptions       *dest,
              const BhFetchOptions *src)
{
  *dest = (BhFetchOptions) { 0 };
  if (src != NULL)
    *dest = *src;

  if (dest->timeout_ms == 0)
    dest->timeout_ms = BH_FETCH_DEFAULT_TIMEOUT_MS;
  if (dest->connect_timeout_ms == 0)
    dest->connect_timeout_ms = BH_FETCH_DEFAULT_CONNECT_TIMEOUT_MS;
  /* Our deadlines must come before lws's backstop, or lws closes first. */
  dest->timeout_ms = MIN (dest->timeout_ms, BH_FETCH_MAX_TIMEOUT_MS);
  dest->connect_timeout_ms = MIN (dest->connect_timeout_ms, BH_FETCH_MAX_TIMEOUT_MS);
  if (dest->max_bytes == 0)
    dest->max_bytes = BH_FETCH_DEFAULT_MAX_BYTES;
  if (dest->host_rules != NULL)
    bh_host_rules_ref (dest->host_rules);
}

static void
options_clear (BhFetchOptions *opts)
{
  g_clear_pointer (&opts->host_rules, bh_host_rules_unref);
}

/* Completing a task later ------------------------------------------------ */

typedef struct {
  GTask *task;
  BhResponse *response;
  GError *error;
} DeferredReturn;

static gboolean
deferred_return_cb (gpointer user_data)
{
  DeferredReturn *deferred = user_data;

  if (deferred->error != NULL)
    g_task_return_error (deferred->task, g_steal_pointer (&deferred->error));
  else
    g_task_return_pointer (deferred->task, g_steal_pointer (&deferred->response),
                           (GDestroyNotify) bh_response_free);

  return G_SOURCE_REMOVE;
}

static void
deferred_return_free (gpointer user_data)
{
  DeferredReturn *deferred = user_data;

  g_clear_object (&deferred->task);
  bh_response_free (deferred->response);
  g_clear_error (&deferred->error);
  g_free (deferred);
}

/* Takes @task, @response and @error. Exactly one of @response and @error. */
static void
return_later (GTask      *task,
              BhResponse *response,
              GError     *error)
{
  DeferredReturn *deferred = g_new0 (DeferredReturn, 1);
  g_autoptr (GSource) idle = g_idle_source_new ();

  g_assert ((response == NULL) != (error == NULL));

  deferred->task = task;
  deferred->response = response;
  deferred->error = error;

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, deferred_return_cb, deferred, deferred_return_free);
  g_source_set_static_name (idle, "[bulkhead] fetch completion");
  g_source_attach (idle, g_task_get_context (task));
}

/* Content types ------------------------------------------------------------ */

static char *
unquote (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    return g_strndup (value + 1, len - 2);
  return g_strdup (value);
}

/* When the server or the file system gives no type, guess from the name
 * and the first bytes, as browsers sniff (shared-mime-info's rules here). */
static char *
sniff_content_type (const char   *name_hint,
                    const guchar *data,
                    gsize         len)
{
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;

  type = g_content_type_guess (name_hint, data, MIN (len, 4096), NULL);
  if (type != NULL)
    mime = g_content_type_get_mime_type (type);
  if (mime == NULL)
    return g_strdup ("application/octet-stream");
  return g_ascii_strdown (mime, -1);
}

static gboolean
content_type_is_textual (const char *mime)
{
  return g_str_has_prefix (mime, "text/") || g_str_equal (mime, "image/svg+xml") ||
         g_str_equal (mime, "application/xhtml+xml") || g_str_equal (mime, "application/json");
}

/* data: (RFC 2397) --------------------------------------------------------- */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Percent-decoding as the URL Standard does it: a "%" not followed by two
 * hex digits stays as it is rather than failing the whole URL. */
static GByteArray *
percent_decode (const char *text)
{
  GByteArray *out = g_byte_array_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 byte = (guint8) *p;

      if (*p == '%' && hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
        {
          byte = (guint8) (hex_value (p[1]) * 16 + hex_value (p[2]));
          p += 2;
        }
      g_byte_array_append (out, &byte, 1);
    }

  return out;
}

static BhResponse *
fetch_data_url (const char *url,
                gsize       max_bytes,
                GError    **error)
{
  g_autofree char *spec = NULL;
  g_auto (GStrv) params = NULL;
  g_autoptr (GByteArray) payload = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *charset = NULL;
  const char *comma;
  char *hash;
  gboolean base64 = FALSE;
  guint n_params;

  /* The fragment is not part of the data (URL Standard; Fetch's data: URL
   * processor). */
  spec = g_strdup (url + strlen ("data:"));
  hash = strchr (spec, '#');
  if (hash != NULL)
    *hash = '\0';

  comma = strchr (spec, ',');
  if (comma == NULL)
    {
      g_set_error_literal (error, BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                           "This data: URL has no comma, so it holds no data.");
      return NULL;
    }

  {
    g_autofree char *header = g_strndup (spec, comma - spec);

    params = g_strsplit (header, ";", -1);
  }
  n_params = g_strv_length (params);

  if (n_params > 1 && g_ascii_strcasecmp (g_strstrip (params[n_params - 1]), "base64") == 0)
    {
      base64 = TRUE;
      g_clear_pointer (&params[n_params - 1], g_free);
      n_params--;
    }

  if (n_params > 0)
    {
      g_autofree char *type = g_ascii_strdown (g_strstrip (params[0]), -1);

      if (strchr (type, '/') != NULL && type[0] != '/' && !g_str_has_suffix (type, "/"))
        mime = g_steal_pointer (&type);
      for (guint i = 1; i < n_params; i++)
        {
          char *eq = strchr (params[i], '=');

          if (eq != NULL)
            {
              *eq = '\0';
              if (g_ascii_strcasecmp (g_strstrip (params[i]), "charset") == 0)
                {
                  g_autofree char *value = unquote (g_strstrip (eq + 1));

                  g_free (charset);
                  charset = g_ascii_strdown (value, -1);
                }
            }
        }
    }

  /* "If <mediatype> is omitted, it defaults to text/plain;charset=US-ASCII",
   * and ";charset=x" alone means text/plain in that charset (RFC 2397 §2). */
  if (mime == NULL)
    {
      mime = g_strdup ("text/plain");
      if (charset == NULL)
        charset = g_strdup ("us-ascii");
    }

  payload = percent_decode (comma + 1);

  if (base64)
    {
      g_autoptr (GString) clean = g_string_sized_new (payload->len);
      guchar *decoded;
      gsize decoded_len = 0;

      /* Forgiving-base64 (Infra): blanks are dropped, anything else outside
       * the alphabet fails. */
      for (guint i = 0; i < payload->len; i++)
        {
          char c = (char) payload->data[i];

          if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            continue;
          if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
            {
              g_set_error_literal (error, BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                   "The base64 data in this data: URL is not valid.");
              return NULL;
            }
          g_string_append_c (clean, c);
        }

      if (clean->len / 4 * 3 > max_bytes)
        {
          g_set_error (error, BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE,
                       "This data: URL holds more than the %" G_GSIZE_FORMAT
                       " bytes a page may have.", max_bytes);
          return NULL;
        }

      decoded = g_base64_decode (clean->str, &decoded_len);
      body = g_bytes_new_take (decoded, decoded_len);
    }
  else
    {
      if (payload->len > max_bytes)
        {
          g_set_error (error, BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE,
                       "This data: URL holds more than the %" G_GSIZE_FORMAT
                       " bytes a page may have.", max_bytes);
          return NULL;
        }
      body = g_byte_array_free_to_bytes (g_steal_pointer (&payload));
    }

  return response_new (url, 0, mime, charset, body, 0);
}

/* about: ------------------------------------------------------------------- */

static GHashTable *
version_rows (void)
{
  static GHashTable *rows;

  if (rows == NULL)
    rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return rows;
}

void
bh_fetch_add_version_info (const char *component,
                           const char *version)
{
  g_return_if_fail (component != NULL);
  g_return_if_fail (version != NULL);

  g_hash_table_replace (version_rows (), g_strdup (component), g_strdup (version));
}

static void
append_version_row (GString    *rows,
                    const char *component,
                    const char *version)
{
  g_autofree char *c = g_markup_escape_text (component, -1);
  g_autofree char *v = g_markup_escape_text (version, -1);

  g_string_append_printf (rows, "<tr><th>%s</th><td>%s</td></tr>\n", c, v);
}

static char *
render_about_version (const char *template_text)
{
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GHashTable) raw = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GList) extra = NULL;
  GString *rows = g_string_new (NULL);
  g_autofree char *glib_version = NULL;

  glib_version = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version,
                                  glib_micro_version);

  append_version_row (rows, "GLib", glib_version);
  append_version_row (rows, "libwebsockets", lws_get_library_version ());
  append_version_row (rows, "libpsl", psl_get_version ());
  append_version_row (rows, "zlib", zlibVersion ());

  extra = g_list_sort (g_hash_table_get_keys (version_rows ()), (GCompareFunc) g_strcmp0);
  for (GList *l = extra; l != NULL; l = l->next)
    append_version_row (rows, l->data, g_hash_table_lookup (version_rows (), l->data));

  g_hash_table_insert (values, "version", g_strdup (BH_VERSION));
  g_hash_table_insert (raw, "library_rows", g_string_free (rows, FALSE));

  return bh_template_expand_table (template_text, values, raw);
}

/* about:NAME is pages/NAME.html; about:NAME.EXT (images, styles) is
 * pages/NAME.EXT. Names are plain: lower-case letters, digits, "-", "_",
 * one "/" level for folders, no "..". */
static char *
about_resource_path (const char *name)
{
  gboolean has_dot = FALSE;

  if (*name == '\0' || *name == '.' || *name == '/' || strstr (name, "..") != NULL ||
      strstr (name, "//") != NULL)
    return NULL;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '.')
        has_dot = TRUE;
      else if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_' &&
               *p != '/')
        return NULL;
    }

  if (has_dot)
    return g_strconcat (RESOURCE_PREFIX "pages/", name, NULL);
  return g_strconcat (RESOURCE_PREFIX "pages/", name, ".html", NULL);
}

static BhResponse *
fetch_about_url (const char *url,
                 GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mime = NULL;
  g_autoptr (GBytes) data = NULL;
  gsize end;

  end = strcspn (url + strlen ("about:"), "?#");
  name = g_ascii_strdown (url + strlen ("about:"), end);

  if (g_str_equal (name, "blank") || g_str_equal (name, ""))
    return response_new (url, 0, "text/html", "utf-8", NULL, 0);

  path = about_resource_path (name);
  if (path != NULL)
    data = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (data == NULL)
    {
      g_set_error (error, BH_NET_ERROR, BH_NET_ERROR_FILE_NOT_FOUND,
                   "Bulkhead has no page called “about:%s”.", name);
      return NULL;
    }

  mime = sniff_content_type (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data));

  if (g_str_equal (name, "version"))
    {
      g_autofree char *template_text = g_strndup (g_bytes_get_data (data, NULL),
                                                  g_bytes_get_size (data));
      char *page = render_about_version (template_text);

      g_bytes_unref (data);
      data = g_bytes_new_take (page, strlen (page));
    }

  return response_new (url, 0, mime, content_type_is_textual (mime) ? "utf-8" : NULL, data, 0);
}

/* file: -------------------------------------------------------------------- */

typedef struct {
  GTask *task;
  GFile *file;
  char *url;
  gsize max_bytes;
  GByteArray *body;
  GInputStream *stream;
  GPtrArray *entries; /* GFileInfo, for a directory */
  GFileEnumerator *enumerator;
} FileJob;

static void
file_job_free (FileJob *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->file);
  g_free (job->url);
  g_clear_pointer (&job->body, g_byte_array_unref);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->entries, g_ptr_array_unref);
  g_clear_object (&job->enumerator);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileJob, file_job_free)

static GError *
file_error_from_gio (GFile        *file,
                     const GError *gio_error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  if (g_error_matches (gio_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (gio_error);
  if (g_error_matches (gio_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (gio_error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    return g_error_new (BH_NET_ERROR, BH_NET_ERROR_FILE_NOT_FOUND,
                        "The file %s does not exist.", name);
  if (g_error_matches (gio_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return g_error_new (BH_NET_ERROR, BH_NET_ERROR_ACCESS_DENIED,
                        "The browser is not allowed to read %s.", name);
  return g_error_new (BH_NET_ERROR, BH_NET_ERROR_FAILED, "%s could not be read: %s", name,
                      gio_error->message);
}

static void
file_job_fail (FileJob *job,
               GError  *error)
{
  return_later (g_steal_pointer (&job->task), NULL, error);
  file_job_free (job);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  GFileInfo *info_a = *(GFileInfo **) a;
  GFileInfo *info_b = *(GFileInfo **) b;
  gboolean dir_a = g_file_info_get_file_type (info_a) == G_FILE_TYPE_DIRECTORY;
  gboolean dir_b = g_file_info_get_file_type (info_b) == G_FILE_TYPE_DIRECTORY;

  if (dir_a != dir_b)
    return dir_a ? -1 : 1;
  return g_utf8_collate (g_file_info_get_display_name (info_a),
                         g_file_info_get_display_name (info_b));
}

static void
file_job_finish_listing (FileJob *job)
{
  g_autoptr (GFile) parent = g_file_get_parent (job->file);
  g_autofree char *dir_name = g_file_get_parse_name (job->file);
  g_autofree char *dir_escaped = g_markup_escape_text (dir_name, -1);
  GString *html = g_string_new (NULL);
  g_autoptr (GBytes) body = NULL;

  g_ptr_array_sort (job->entries, compare_entries);

  g_string_append_printf (html,
                          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>Index of %s</title></head>\n<body>\n"
                          "<h1>Index of %s</h1>\n<ul>\n",
                          dir_escaped, dir_escaped);
  if (parent != NULL)
    {
      g_autofree char *uri = g_file_get_uri (parent);
      g_autofree char *href = g_markup_escape_text (uri, -1);

      g_string_append_printf (html, "<li><a href=\"%s\">../</a></li>\n", href);
    }

  for (guint i = 0; i < job->entries->len; i++)
    {
      GFileInfo *info = job->entries->pdata[i];
      g_autoptr (GFile) child = g_file_get_child (job->file, g_file_info_get_name (info));
      g_autofree char *uri = g_file_get_uri (child);
      g_autofree char *href = g_markup_escape_text (uri, -1);
      g_autofree char *label = g_markup_escape_text (g_file_info_get_display_name (info), -1);
      gboolean is_dir = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;

      if (is_dir)
        g_string_append_printf (html, "<li><a href=\"%s/\">%s/</a></li>\n", href, label);
      else
        g_string_append_printf (html, "<li><a href=\"%s\">%s</a> (%" G_GOFFSET_FORMAT
                                " bytes)</li>\n",
                                href, label, g_file_info_get_size (info));
    }
  g_string_append (html, "</ul>\n</body></html>\n");

  body = g_string_free_to_bytes (html);
  return_later (g_steal_pointer (&job->task),
                response_new (job->url, 0, "text/html", "utf-8", body, 0), NULL);
  file_job_free (job);
}

static void
file_next_files_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FileJob *job = user_data;
  g_autoptr (GError) error = NULL;
  GList *infos;

  infos = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (source), result, &error);
  if (error != NULL)
    {
      file_job_fail (job, file_error_from_gio (job->file, error));
      return;
    }

  if (infos == NULL)
    {
      file_job_finish_listing (job);
      return;
    }

  for (GList *l = infos; l != NULL; l = l->next)
    g_ptr_array_add (job->entries, l->data);
  g_list_free (infos);

  /* A listing line is about 150 bytes: the cap bounds huge directories. */
  if (job->entries->len * 150 > job->max_bytes)
    {
      file_job_fail (job, g_error_new (BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE,
                                       "This folder has too many entries to list."));
      return;
    }

  g_file_enumerator_next_files_async (job->enumerator, 256, G_PRIORITY_DEFAULT,
                                      g_task_get_cancellable (job->task),
                                      file_next_files_cb, job);
}

static void
file_enumerate_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FileJob *job = user_data;
  g_autoptr (GError) error = NULL;

  job->enumerator = g_file_enumerate_children_finish (G_FILE (source), result, &error);
  if (job->enumerator == NULL)
    {
      file_job_fail (job, file_error_from_gio (job->file, error));
      return;
    }

  job->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_file_enumerator_next_files_async (job->enumerator, 256, G_PRIORITY_DEFAULT,
                                      g_task_get_cancellable (job->task),
                                      file_next_files_cb, job);
}

static void file_read_more (FileJob *job);

static void
file_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FileJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *basename = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      file_job_fail (job, file_error_from_gio (job->file, error));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (job->body->len + g_bytes_get_size (chunk) > job->max_bytes)
        {
          g_autofree char *name = g_file_get_parse_name (job->file);

          file_job_fail (job, g_error_new (BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE,
                                           "%s is larger than the %" G_GSIZE_FORMAT
                                           " bytes a page may have.", name, job->max_bytes));
          return;
        }
      g_byte_array_append (job->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      file_read_more (job);
      return;
    }

  basename = g_file_get_basename (job->file);
  mime = sniff_content_type (basename, job->body->data, job->body->len);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  return_later (g_steal_pointer (&job->task),
                response_new (job->url, 0, mime, NULL, body, 0), NULL);
  file_job_free (job);
}

static void
file_read_more (FileJob *job)
{
  g_input_stream_read_bytes_async (job->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (job->task), file_read_cb, job);
}

static void
file_open_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FileJob *job = user_data;
  g_autoptr (GError) error = NULL;

  job->stream = G_INPUT_STREAM (g_file_read_finish (G_FILE (source), result, &error));
  if (job->stream == NULL)
    {
      file_job_fail (job, file_error_from_gio (job->file, error));
      return;
    }

  job->body = g_byte_array_new ();
  file_read_more (job);
}

static void
file_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FileJob *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = NULL;
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    {
      file_job_fail (job, file_error_from_gio (job->file, error));
      return;
    }

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_DIRECTORY:
      g_file_enumerate_children_async (job->file,
                                       G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                       G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                       G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                       G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                       G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                                       file_enumerate_cb, job);
      break;

    case G_FILE_TYPE_REGULAR:
      if ((guint64) g_file_info_get_size (info) > job->max_bytes)
        {
          g_autofree char *name = g_file_get_parse_name (job->file);

          file_job_fail (job, g_error_new (BH_NET_ERROR, BH_NET_ERROR_TOO_LARGE,
                                           "%s is larger than the %" G_GSIZE_FORMAT
                                           " bytes a page may have.", name, job->max_bytes));
          return;
        }
      g_file_read_async (job->file, G_PRIORITY_DEFAULT, cancellable, file_open_cb, job);
      break;

    default:
      {
        /* Devices, FIFOs and sockets never end or block forever. */
        g_autofree char *name = g_file_get_parse_name (job->file);

        file_job_fail (job, g_error_new (BH_NET_ERROR, BH_NET_ERROR_ACCESS_DENIED,
                                         "%s is not a regular file or a folder.", name));
      }
      break;
    }
}

static void
fetch_file_url (GTask      *task,
                const char *url,
                gsize       max_bytes)
{
  g_autoptr (FileJob) job = g_new0 (FileJob, 1);
  g_autofree char *without_fragment = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hostname = NULL;
  GFile *file;

  job->task = task;
  job->url = g_strdup (url);
  job->max_bytes = max_bytes;

  /* The query and fragment name no part of a file. */
  without_fragment = g_strndup (url, strcspn (url, "?#"));
  path = g_filename_from_uri (without_fragment, &hostname, NULL);
  if (path != NULL && hostname != NULL && g_ascii_strcasecmp (hostname, "localhost") != 0)
    {
      return_later (g_steal_pointer (&job->task),
                    NULL, g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                       "“%s” names a file on another computer (%s); "
                                       "Bulkhead only opens files on this one.", url, hostname));
      return;
    }
  if (path == NULL)
    {
      return_later (g_steal_pointer (&job->task),
                    NULL, g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                       "“%s” does not name a file on this computer.", url));
      return;
    }

  job->file = g_file_new_for_path (path);
  file = job->file;
  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), file_info_cb,
                           g_steal_pointer (&job));
}

/* http and https ------------------------------------------------------------ */

typedef enum {
  NEXT_STEP_HOP,     /* a redirect: look up and connect to job->url */
  NEXT_STEP_ADDRESS, /* the last address failed: try the next one */
  NEXT_STEP_CONNECT, /* a connection to the server is free: look up, connect */
} NextStep;

typedef struct {
  int ref_count;
  GTask *task;                  /* NULL once the fetch has an outcome */
  BhFetchOptions opts;
  GCancellable *lookup_cancellable;
  GSource *deadline_source;     /* the whole fetch */
  GSource *connect_source;      /* this hop: lookup, TCP, TLS */
  GSource *cancel_source;       /* the caller's cancellable */
  GSource *next_source;         /* the next hop or address, from idle */
  NextStep next_step;

  char *url;                    /* this hop's URL */
  char *fragment;               /* the first URL's, kept across redirects */
  guint redirect_count;

  /* This hop. */
  gboolean tls;
  char *host;                   /* from the URL, IPv6 without brackets */
  char *host_header;            /* host[:port] as sent */
  char *mapped_host;            /* from the host rules, or NULL */
  char *path;                   /* path?query, escaped */
  guint connect_port;
  GQueue addresses;             /* char *, left to try */
  char *address;                /* being tried */
  char *server_key;             /* "host:port" in server_slots while this hop
                                 * holds or waits for a connection there */
  gboolean holds_slot;          /* holds one (else waits in the queue) */
  struct lws *wsi;
  gboolean connected;
  gboolean headers_received;
  guint status;
  char *content_type;
  char *charset;
  gboolean content_type_doubtful; /* see BhResponse */
  char *location;
  gboolean chunked;
  gint64 content_length;        /* -1: unknown */
  GByteArray *body;             /* decoded, not yet handed over */
  GConverter *decoder;          /* gzip, or NULL */

  /* bh_fetch_stream(): the body goes to the caller as it arrives. */
  gboolean streaming;
  BhFetchStreamFuncs stream_funcs;
  gpointer stream_data;
  gboolean stream_started;      /* the head went out: the rest goes through .data */
  char *stream_mime;            /* the type the head said */
  gsize delivered;              /* body bytes handed over */
  gboolean paused;
} HttpJob;

static void http_job_start_hop (HttpJob *job);
static void http_job_connect_next (HttpJob *job);
static void http_job_begin_connect (HttpJob *job);
static void http_job_release_slot (HttpJob *job);

static HttpJob *
http_job_ref (HttpJob *job)
{
  job->ref_count++;
  return job;
}

static void
http_job_reset_hop (HttpJob *job)
{
  http_job_release_slot (job);
  g_clear_pointer (&job->host, g_free);
  g_clear_pointer (&job->host_header, g_free);
  g_clear_pointer (&job->mapped_host, g_free);
  g_clear_pointer (&job->path, g_free);
  g_queue_clear_full (&job->addresses, g_free);
  g_clear_pointer (&job->address, g_free);
  g_clear_pointer (&job->content_type, g_free);
  g_clear_pointer (&job->charset, g_free);
  job->content_type_doubtful = FALSE;
  g_clear_pointer (&job->location, g_free);
  g_clear_pointer (&job->body, g_byte_array_unref);
  g_clear_object (&job->decoder);
  job->delivered = 0;
  job->connected = FALSE;
  job->headers_received = FALSE;
  job->status = 0;
  job->chunked = FALSE;
  job->content_length = -1;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
http_job_unref (HttpJob *job)
{
  if (--job->ref_count > 0)
    return;

  g_assert (job->task == NULL);
  g_assert (job->wsi == NULL);

  clear_source (&job->deadline_source);
  clear_source (&job->connect_source);
  clear_source (&job->cancel_source);
  clear_source (&job->next_source);
  options_clear (&job->opts);
  g_clear_object (&job->lookup_cancellable);
  g_free (job->url);
  g_free (job->fragment);
  g_free (job->stream_mime);
  http_job_reset_hop (job);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpJob, http_job_unref)

/* The connection whose callback is running, if any (lws calls back on the
 * main thread only). */
static struct lws *current_callback_wsi;

/* Lets go of the connection; its callbacks no longer see the job. From
 * inside its own callback, http_client_cb() then returns -1 and lws closes
 * it at once; from anywhere else lws closes it on its next turn. */
static void
http_job_detach (HttpJob *job)
{
  struct lws *wsi = g_steal_pointer (&job->wsi);

  if (wsi == NULL)
    return;

  lws_set_opaque_user_data (wsi, NULL);
  if (wsi != current_callback_wsi)
    {
      lws_set_timeout (wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
      /* We are in a GLib callback (a deadline, a cancellation): without a
       * wake-up lws would close the socket only when it next has something
       * else to do, leaving the server holding it meanwhile. */
      bh_lws_wake ();
    }
}

/* The fetch's outcome. Takes @response or @error. */
static void
http_job_complete (HttpJob    *job,
                   BhResponse *response,
                   GError     *error)
{
  if (job->task == NULL)
    {
      bh_response_free (response);
      g_clear_error (&error);
      return;
    }

  http_job_detach (job);
  http_job_release_slot (job);
  g_cancellable_cancel (job->lookup_cancellable);
  clear_source (&job->deadline_source);
  clear_source (&job->connect_source);
  clear_source (&job->cancel_source);
  clear_source (&job->next_source);

  return_later (g_steal_pointer (&job->task), response, error);
}

static void G_GNUC_PRINTF (3, 4)
http_job_fail (HttpJob    *job,
               BhNetError  code,
               const char *format,
               ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (BH_NET_ERROR, code, format, args);
  va_end (args);

  http_job_complete (job, NULL, error);
}

/* The host for messages: the name from the URL, and where the host rules
 * sent it, since that is what a tester needs to see. */
static char *
http_job_describe_host (HttpJob *job)
{
  if (job->mapped_host != NULL)
    return g_strdup_printf ("%s (mapped to %s by the host resolver rules)", job->host,
                            job->mapped_host);
  return g_strdup (job->host);
}

static char *
http_job_final_url (HttpJob *job)
{
  return job->fragment != NULL && strchr (job->url, '#') == NULL
           ? g_strconcat (job->url, "#", job->fragment, NULL)
           : g_strdup (job->url);
}

/* The type of the body so far: the server's, or sniffed from the bytes. */
static char *
http_job_mime (HttpJob *job)
{
  if (job->content_type != NULL)
    return g_strdup (job->content_type);
  if (job->body->len == 0)
    return g_strdup ("text/plain");
  return sniff_content_type (NULL, job->body->data, job->body->len);
}

static void http_job_stream_progress (HttpJob *job);

static void
http_job_succeed (HttpJob *job)
{
  g_autoptr (GBytes) body = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *final_url = NULL;
  BhResponse *response;

  /* What is left goes after the head; a body that ended before its head was
   * due (an empty error body, a small unsniffable one) comes whole, below. */
  if (job->stream_started)
    {
      http_job_stream_progress (job);
      if (job->task == NULL)
        return;
    }
  mime = job->stream_started ? g_strdup (job->stream_mime) : http_job_mime (job);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  final_url = http_job_final_url (job);

  response = response_new (final_url, job->status, mime,
                           job->charset != NULL && *job->charset != '\0' ? job->charset : NULL,
                           body, job->redirect_count);
  response->content_type_doubtful = job->content_type_doubtful;
  http_job_complete (job, response, NULL);
}

/* Hands the head over once it is due (see BhFetchStreamFuncs), then every
 * byte decoded since. */
static void
http_job_stream_progress (HttpJob *job)
{
  g_autoptr (GBytes) chunk = NULL;
  gsize len;

  if (!job->streaming || job->task == NULL || job->body == NULL)
    return;
  len = job->body->len;
  if (!job->stream_started)
    {
      g_autoptr (BhResponse) head = NULL;
      g_autofree char *final_url = NULL;
      gboolean due = (job->status < 400 || len > 0) && (job->content_type != NULL || len >= 512);

      if (!due)
        return;
      job->stream_started = TRUE;
      job->stream_mime = http_job_mime (job);
      final_url = http_job_final_url (job);
      chunk = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
      job->body = g_byte_array_new ();
      job->delivered += len;
      head = response_new (final_url, job->status, job->stream_mime, job->charset, chunk, job->redirect_count);
      head->content_type_doubtful = job->content_type_doubtful;
      /* From now on the deadline is a silence, not the whole body. */
      if (job->deadline_source != NULL)
        g_source_set_ready_time (job->deadline_source,
                                 g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
      job->stream_funcs.response ((BhFetchStream *) job, head, job->stream_data);
      return;
    }
  if (job->deadline_source != NULL && !job->paused)
    g_source_set_ready_time (job->deadline_source, g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
  if (len == 0 || job->stream_funcs.data == NULL)
    return;
  chunk = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  job->body = g_byte_array_new ();
  job->delivered += len;
  job->stream_funcs.data ((BhFetchStream *) job, chunk, job->stream_data);
}

static gboolean
http_job_next_cb (gpointer user_data)
{
  HttpJob *job = user_data;

  clear_source (&job->next_source);
  if (job->task == NULL)
    return G_SOURCE_REMOVE;

  switch (job->next_step)
    {
    case NEXT_STEP_HOP:
      http_job_start_hop (job);
      break;
    case NEXT_STEP_ADDRESS:
      http_job_connect_next (job);
      break;
    case NEXT_STEP_CONNECT:
      http_job_begin_connect (job);
      break;
    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

/* Runs the next step (a redirect's hop, the next address, or a connection
 * to the server that another fetch let go of) from the main loop rather
 * than from inside an lws callback.
 *
 * At G_PRIORITY_DEFAULT, as socket events are, not an idle's
 * G_PRIORITY_DEFAULT_IDLE: while a page loads, the window redraws its tab's
 * spinner at GDK_PRIORITY_REDRAW every frame, and on a busy machine a frame
 * never leaves the loop idle. The 7th request to a server then waited for
 * its turn until loading stopped, or its 30 s deadline (issue #12). */
static void
http_job_schedule_next (HttpJob  *job,
                        NextStep  step)
{
  clear_source (&job->next_source);
  job->next_step = step;
  job->next_source = g_idle_source_new ();
  g_source_set_priority (job->next_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (job->next_source, http_job_next_cb, http_job_ref (job),
                         (GDestroyNotify) http_job_unref);
  g_source_set_static_name (job->next_source, "[bulkhead] fetch next step");
  g_source_attach (job->next_source, g_task_get_context (job->task));
}

/* Connections per server ---------------------------------------------------- */

/* At most this many connections to one server at once, as Chromium
 * (g_max_sockets_per_group for HTTP/1.1 in
 * net/socket/client_socket_pool_manager.cc) and Firefox
 * (network.http.max-persistent-connections-per-server) do, and as RFC 9112
 * §9.4 asks of clients. Further fetches wait their turn, first come first
 * served.
 *
 * Without it a page's burst of subresources overflows small servers: Python's
 * http.server listens with a backlog of 5, so Linux queues 6 connections it
 * has not accepted yet and silently drops the SYN of a 7th, which TCP resends
 * only after its initial retransmission timeout, 1 s (RFC 6298 §2.1): those
 * fetches finish a second late. A response proves that its connection was
 * accepted, so 6 at once never overflow such a queue. One stalled fetch
 * keeps one of the 6, never the others' turn. */
#define MAX_CONNECTIONS_PER_SERVER 6

typedef struct {
  guint active;   /* hops holding one of the server's connections */
  GQueue waiting; /* HttpJob *, each with a reference held by the queue */
} ServerSlots;

/* The host connected to (after the host rules) and port, "127.0.0.1:8080",
 * to ServerSlots. Main thread only, as is all of lws. */
static GHashTable *server_slots;

static void
server_slots_free (gpointer data)
{
  ServerSlots *slots = data;

  g_assert (slots->active == 0 && g_queue_is_empty (&slots->waiting));
  g_free (slots);
}

/* Takes one of the server's connections for this hop. Returns TRUE when the
 * hop may connect now; otherwise the job waits, and connects from an idle
 * once another connection to that server is done. */
static gboolean
http_job_acquire_slot (HttpJob    *job,
                       const char *target)
{
  ServerSlots *slots;

  g_assert (job->server_key == NULL);

  if (server_slots == NULL)
    server_slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, server_slots_free);

  job->server_key = g_strdup_printf ("%s:%u", target, job->connect_port);
  slots = g_hash_table_lookup (server_slots, job->server_key);
  if (slots == NULL)
    {
      slots = g_new0 (ServerSlots, 1);
      g_queue_init (&slots->waiting);
      g_hash_table_insert (server_slots, g_strdup (job->server_key), slots);
    }

  if (slots->active < MAX_CONNECTIONS_PER_SERVER)
    {
      slots->active++;
      job->holds_slot = TRUE;
      return TRUE;
    }

  g_queue_push_tail (&slots->waiting, http_job_ref (job));
  return FALSE;
}

/* The hop is done with the server: gives its connection to the next job
 * waiting for that server, or leaves the queue. Safe from inside an lws
 * callback, since the next job connects from an idle. */
static void
http_job_release_slot (HttpJob *job)
{
  g_autofree char *key = g_steal_pointer (&job->server_key);
  ServerSlots *slots;

  if (key == NULL)
    return;

  slots = g_hash_table_lookup (server_slots, key);
  g_assert (slots != NULL);

  if (job->holds_slot)
    {
      job->holds_slot = FALSE;
      slots->active--;
      if (!g_queue_is_empty (&slots->waiting))
        {
          HttpJob *next = g_queue_pop_head (&slots->waiting);

          slots->active++;
          next->holds_slot = TRUE;
          http_job_schedule_next (next, NEXT_STEP_CONNECT);
          http_job_unref (next);
        }
    }
  else if (g_queue_remove (&slots->waiting, job))
    {
      /* The caller holds a reference too: this is never the last. */
      g_assert (job->ref_count > 1);
      http_job_unref (job);
    }

  if (slots->active == 0 && g_queue_is_empty (&slots->waiting))
    g_hash_table_remove (server_slots, key);
}

/* "30 seconds", "1 second", "0.5 seconds": for messages. */
static char *
format_duration (guint ms)
{
  if (ms == 1000)
    return g_strdup ("1 second");
  if (ms % 1000 == 0)
    return g_strdup_printf ("%u seconds", ms / 1000);
  return g_strdup_printf ("%.1f seconds", ms / 1000.0);
}

static gboolean
http_job_deadline_cb (gpointer user_data)
{
  HttpJob *job = user_data;
  g_autofree char *host = http_job_describe_host (job);
  g_autofree char *duration = format_duration (job->opts.timeout_ms);

  g_clear_pointer (&job->deadline_source, g_source_unref);
  if (job->stream_started)
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s sent nothing more of the page for %s.", host, duration);
  else if (job->headers_received)
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not send the whole page within %s.", host, duration);
  else
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not respond within %s.", host, duration);
  return G_SOURCE_REMOVE;
}

static gboolean
http_job_connect_timeout_cb (gpointer user_data)
{
  HttpJob *job = user_data;
  g_autofree char *host = http_job_describe_host (job);
  g_autofree char *duration = format_duration (job->opts.connect_timeout_ms);

  g_clear_pointer (&job->connect_source, g_source_unref);
  /* A lookup that never ends is a name that did not resolve, as Chromium
   * reports DNS timeouts (ERR_NAME_NOT_RESOLVED). */
  if (job->address == NULL)
    http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                   "Looking up the address of %s took longer than %s.", host, duration);
  else
    http_job_fail (job, BH_NET_ERROR_TIMED_OUT,
                   "%s did not accept a connection within %s.", host, duration);
  return G_SOURCE_REMOVE;
}

static gboolean
http_job_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  HttpJob *job = user_data;

  g_clear_pointer (&job->cancel_source, g_source_unref);
  http_job_complete (job, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Loading was stopped."));
  return G_SOURCE_REMOVE;
}

static GSource *
attach_job_source (HttpJob     *job,
                   GSource     *source,
                   GSourceFunc  callback,
                   const char  *name)
{
  g_source_set_callback (source, callback, http_job_ref (job), (GDestroyNotify) http_job_unref);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_task_get_context (job->task));
  return source;
}

/* Escapes what may not appear raw in a request line (RFC 9112 §3.2). */
static char *
escape_request_target (const char *path,
                       const char *query)
{
  GString *out = g_string_new (NULL);

  for (const char *p = *path != '\0' ? path : "/"; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c >= 0x7f)
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
  if (query != NULL)
    {
      g_string_append_c (out, '?');
      for (const char *p = query; *p != '\0'; p++)
        {
          guchar c = (guchar) *p;

          if (c <= 0x20 || c >= 0x7f)
            g_string_append_printf (out, "%%%02X", c);
          else
            g_string_append_c (out, (char) c);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
host_is_special_invalid (const char *host)
{
  /* RFC 6761 §6.4: "invalid" names never resolve, whatever DNS says. */
  return g_ascii_strcasecmp (host, "invalid") == 0 || g_str_has_suffix (host, ".invalid") ||
         g_str_has_suffix (host, ".invalid.");
}

static gboolean
host_is_localhost (const char *host)
{
  /* RFC 6761 §6.3; Chromium answers these itself, as loopback. */
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost");
}

static void
http_job_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (HttpJob) job = user_data;
  g_autoptr (GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (job->task == NULL)
    {
      g_resolver_free_addresses (addresses);
      return;
    }

  if (addresses == NULL)
    {
      g_autofree char *host = http_job_describe_host (job);

      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
        http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                       "The address of %s could not be looked up (DNS failed: %s).", host,
                       error->message);
      else
        http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                       "The server name %s could not be found.", host);
      return;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    g_queue_push_tail (&job->addresses, g_inet_address_to_string (l->data));
  g_resolver_free_addresses (addresses);

  http_job_connect_next (job);
}

/* GUri has already turned IDNs into ASCII; what remains must be letters,
 * digits, "-", "_" and dots (RFC 1123, plus the "_" real DNS carries), or
 * an IP literal. */
static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
http_job_parse_url (HttpJob *job)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) error = NULL;
  const char *scheme;
  int port;

  uri = g_uri_parse (job->url,
                     G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED_PATH |
                       G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_FRAGMENT |
                       G_URI_FLAGS_SCHEME_NORMALIZE,
                     &error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      http_job_fail (job, BH_NET_ERROR_INVALID_URL, "“%s” is not a valid web address.",
                     job->url);
      return FALSE;
    }

  if (!host_is_valid (g_uri_get_host (uri)))
    {
      http_job_fail (job, BH_NET_ERROR_INVALID_URL,
                     "“%s” is not a valid web address (“%s” cannot be a host name).", job->url,
                     g_uri_get_host (uri));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  job->tls = g_str_equal (scheme, "https");
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = job->tls ? 443 : 80;

  job->host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (strchr (job->host, ':') != NULL)
    job->host_header = (port == (job->tls ? 443 : 80))
                         ? g_strdup_printf ("[%s]", job->host)
                         : g_strdup_printf ("[%s]:%d", job->host, port);
  else
    job->host_header = (port == (job->tls ? 443 : 80))
                         ? g_strdup (job->host)
                         : g_strdup_printf ("%s:%d", job->host, port);
  job->path = escape_request_target (g_uri_get_path (uri), g_uri_get_query (uri));
  job->connect_port = (guint) port;

  if (job->fragment == NULL && g_uri_get_fragment (uri) != NULL)
    job->fragment = g_strdup (g_uri_get_fragment (uri));

  return TRUE;
}

static void
http_job_start_hop (HttpJob *job)
{
  const char *target;

  http_job_reset_hop (job);
  if (!http_job_parse_url (job))
    return;

  job->mapped_host = bh_host_rules_map (job->opts.host_rules, job->host, &job->connect_port);
  if (g_strcmp0 (job->mapped_host, BH_HOST_RULES_NOT_FOUND) == 0)
    {
      http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                     "The server name %s could not be found (the host resolver rules "
                     "say it does not exist).", job->host);
      return;
    }
  target = job->mapped_host != NULL ? job->mapped_host : job->host;

  if (host_is_special_invalid (target))
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_NAME_NOT_RESOLVED,
                     "The server name %s could not be found.", host);
      return;
    }

  /* Waiting for a connection to the server counts against the whole
   * fetch's deadline, not the connect timeout, which starts below. */
  if (http_job_acquire_slot (job, target))
    http_job_begin_connect (job);
}

/* The hop holds one of the server's connections: look the name up and
 * connect, within the connect timeout. */
static void
http_job_begin_connect (HttpJob *job)
{
  const char *target = job->mapped_host != NULL ? job->mapped_host : job->host;

  g_assert (job->holds_slot);

  clear_source (&job->connect_source);
  job->connect_source = attach_job_source (job, g_timeout_source_new (job->opts.connect_timeout_ms),
                                           http_job_connect_timeout_cb,
                                           "[bulkhead] fetch connect timeout");

  if (g_hostname_is_ip_address (target))
    {
      g_queue_push_tail (&job->addresses, g_strdup (target));
      http_job_connect_next (job);
    }
  else if (host_is_localhost (target))
    {
      g_queue_push_tail (&job->addresses, g_strdup ("127.0.0.1"));
      g_queue_push_tail (&job->addresses, g_strdup ("::1"));
      http_job_connect_next (job);
    }
  else
    {
      g_autoptr (GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, target, job->lookup_cancellable,
                                       http_job_lookup_cb, http_job_ref (job));
    }
}

/* Whether the server has closed its end of @wsi's connection: recv() says
 * so with 0 (or a reset) once lws has read all there was, and MSG_PEEK
 * leaves lws whatever it has not. */
static gboolean
peer_has_closed (struct lws *wsi)
{
  int fd = lws_get_socket_fd (wsi);
  char byte;
  ssize_t n;

  if (fd < 0)
    return FALSE;
  n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE));
}

/* lws gave up on the response itself ("problems parsing header", "HS: ..."),
 * as opposed to the server going away ("read failed"). */
static gboolean
reason_is_unreadable_response (const char *reason)
{
  return reason != NULL && (g_str_has_prefix (reason, "HS:") || strstr (reason, "parsing") != NULL);
}

/* A connection attempt failed before any response: try the next address,
 * or give up with the most telling error. Once connected, the message says
 * who ended the connection: the server closing it is the server's doing, a
 * response lws could not parse is the browser's decision (issue #12: both
 * used to read "closed the connection"). */
static void
http_job_connection_failed (HttpJob    *job,
                            const char *reason)
{
  g_autofree char *host = NULL;

  http_job_detach (job);

  /* Another address is worth a try only if this one never answered: a
   * server that did answer, however badly, is the one the URL named. */
  if (!job->connected && !g_queue_is_empty (&job->addresses))
    {
      g_clear_pointer (&job->address, g_free);
      http_job_schedule_next (job, NEXT_STEP_ADDRESS);
      return;
    }

  host = http_job_describe_host (job);
  if (job->connected && reason_is_unreadable_response (reason))
    http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                   "%s sent a response that is not valid HTTP (%s), so Bulkhead closed "
                   "the connection.", host, reason);
  else if (job->connected && g_strcmp0 (reason, "read failed") == 0)
    http_job_fail (job, BH_NET_ERROR_EMPTY_RESPONSE,
                   "%s closed the connection without sending a complete response.", host);
  else if (job->connected)
    http_job_fail (job, BH_NET_ERROR_EMPTY_RESPONSE,
                   "The connection to %s ended before a response arrived (%s).", host,
                   reason != NULL ? reason : "no reason given");
  else if (reason != NULL && (strstr (reason, "ssl") != NULL || strstr (reason, "tls") != NULL ||
                              strstr (reason, "SSL") != NULL || strstr (reason, "TLS") != NULL ||
                              strstr (reason, "cert") != NULL))
    http_job_fail (job, BH_NET_ERROR_FAILED,
                   "A secure connection to %s could not be made (%s).", host, reason);
  else if (job->address != NULL && g_strcmp0 (job->address, job->host) != 0)
    http_job_fail (job, BH_NET_ERROR_CONNECTION_REFUSED,
                   "%s refused the connection: nothing accepted it at %s, port %u.", host,
                   job->address, job->connect_port);
  else
    http_job_fail (job, BH_NET_ERROR_CONNECTION_REFUSED,
                   "%s refused the connection: nothing accepted it on port %u.", host,
                   job->connect_port);
}

static int http_client_cb (struct lws               *wsi,
                           enum lws_callback_reasons reason,
                           void                     *user,
                           void                     *in,
                           size_t                    len);

static const struct lws_protocols fetcher_protocols[] = {
  { FETCHER_PROTOCOL_NAME, http_client_cb, 0, READ_CHUNK_BYTES, 0, NULL, 0 },
  { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static struct lws_vhost *
get_fetcher_vhost (gboolean tls, GError **error)
{
  struct lws_context *context = bh_lws_get_context ();
  struct lws_vhost *vhost;
  const char *name;

  if (context == NULL)
    {
      g_set_error_literal (error, BH_NET_ERROR, BH_NET_ERROR_FAILED,
                           "The browser's network library could not start.");
      return NULL;
    }

  name = tls ? FETCHER_TLS_VHOST_NAME : FETCHER_VHOST_NAME;
  vhost = lws_get_vhost_by_name (context, name);
  if (vhost != NULL)
    return vhost;

  vhost = bh_lws_create_vhost (name, NULL, CONTEXT_PORT_NO_LISTEN, fetcher_protocols, NULL, tls, NULL);
  if (vhost == NULL)
    g_set_error_literal (error, BH_NET_ERROR, BH_NET_ERROR_FAILED,
                         "The browser's network library could not start.");
  return vhost;
}

static void
http_job_connect_next (HttpJob *job)
{
  struct lws_client_connect_info info = { 0 };
  g_autoptr (GError) error = NULL;
  struct lws_vhost *vhost;
  struct lws *wsi;

  g_assert (job->wsi == NULL);

  g_clear_pointer (&job->address, g_free);
  job->address = g_queue_pop_head (&job->addresses);
  g_assert (job->address != NULL);

  vhost = get_fetcher_vhost (job->tls, &error);
  if (vhost == NULL)
    {
      http_job_complete (job, NULL, g_steal_pointer (&error));
      return;
    }

  job->connected = FALSE;
  info.context = bh_lws_get_context ();
  info.vhost = vhost;
  info.address = job->address;
  info.port = (int) job->connect_port;
  info.path = job->path;
  /* lws sends .host as the Host header and, port removed, uses it for TLS
   * SNI and the certificate's name check (openssl-client.c), so the
   * original name goes here while .address is what we resolved. */
  info.host = job->host_header;
  info.method = "GET";
  info.protocol = FETCHER_PROTOCOL_NAME;
  info.local_protocol_name = FETCHER_PROTOCOL_NAME;
  info.alpn = "http/1.1";
  /* Redirects are ours to follow: we check their scheme and count them. */
  info.ssl_connection = LCCSCF_HTTP_NO_FOLLOW_REDIRECT;
  if (job->tls)
    info.ssl_connection |= LCCSCF_USE_SSL;
  info.opaque_user_data = job;

  /* A failure may be reported through CLIENT_CONNECTION_ERROR before this
   * returns; that handler detaches the job from the wsi and schedules what
   * comes next, so a NULL here then needs nothing more. */
  wsi = lws_client_connect_via_info (&info);
  if (wsi != NULL && lws_get_opaque_user_data (wsi) == job)
    job->wsi = wsi;
  else if (wsi == NULL && job->task != NULL && job->next_source == NULL)
    http_job_connection_failed (job, "the connection could not be started");
}

static void
append_decoded (HttpJob      *job,
                const guint8 *data,
                gsize         len,
                gboolean      at_end,
                GError      **error)
{
  if (job->decoder == NULL)
    {
      g_byte_array_append (job->body, data, len);
      return;
    }

  for (;;)
    {
      guint8 out[16 * 1024];
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult result;

      result = g_converter_convert (job->decoder, data, len, out, sizeof out,
                                    at_end ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &bytes_read, &bytes_written, error);
      if (result == G_CONVERTER_ERROR)
        {
          /* Needing more input is not an error until the input ends. */
          if (!at_end && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            g_clear_error (error);
          return;
        }

      g_byte_array_append (job->body, out, bytes_written);
      /* At the end there is no input at all: data is NULL (UBSan, found by
       * tests/fuzz/fuzz-http.c). */
      if (bytes_read > 0)
        {
          data += bytes_read;
          len -= bytes_read;
        }

      if (result == G_CONVERTER_FINISHED)
        return;
      if (len == 0 && !at_end && bytes_written < sizeof out)
        return;
      if (job->delivered + job->body->len > job->opts.max_bytes)
        return;
    }
}

static gboolean
http_job_check_size (HttpJob *job)
{
  g_autofree char *host = NULL;

  if (job->delivered + job->body->len <= job->opts.max_bytes)
    return TRUE;

  host = http_job_describe_host (job);
  http_job_fail (job, BH_NET_ERROR_TOO_LARGE,
                 "The page from %s is larger than the %" G_GSIZE_FORMAT " bytes a page may have.",
                 host, job->opts.max_bytes);
  return FALSE;
}

static char *
copy_header (struct lws             *wsi,
             enum lws_token_indexes  token)
{
  int len = lws_hdr_total_length (wsi, token);
  char *value;

  if (len <= 0)
    return NULL;

  value = g_malloc (len + 1);
  if (lws_hdr_copy (wsi, value, len + 1, token) < 0)
    {
      g_free (value);
      return NULL;
    }
  return value;
}

static gboolean
charset_is_label (const char *charset)
{
  if (*charset == '\0')
    return FALSE;
  for (const char *p = charset; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

/* A server's words in our messages (a Location, a content encoding): shown
 * on the error page and sent to clients as UTF-8, so bytes that are not
 * UTF-8 or are control characters become U+FFFD, and the text is cut at
 * 200 characters (found by tests/fuzz/fuzz-http.c). */
static char *
printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint chars = 0; *p != '\0' && chars < 200; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c < 0x20 || c == 0x7f ? 0xfffd : c);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

/* A Location as the URL Standard's parser takes it: bytes outside printable
 * ASCII are percent-encoded (a non-ASCII host then fails as a host, as an
 * unencoded IDN from a server should). GUri keeps such bytes raw, and a URL
 * that is not UTF-8 would reach the renderer's CommitNavigation and the
 * window as a string GLib refuses. */
static char *
escape_location (const char *location)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) location; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f)
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  return g_string_free (out, FALSE);
}

/* The URL a Location leads to from @base, or %NULL with *@out_scheme the
 * scheme it named (%NULL if none), when it is not an http or https URL with
 * a host name. Parsed, checked, then joined: g_uri_resolve_relative() joins
 * what relaxed parsing makes of "http://a;b/1 c" (a host and a path without
 * "/") and fails a GLib assertion doing it (found by tests/fuzz/fuzz-http.c). */
static char *
resolve_location (const char *base, const char *location, const char **out_scheme)
{
  const GUriFlags flags = G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED;
  g_autofree char *escaped = escape_location (location);
  g_autoptr (GUri) base_uri = g_uri_parse (base, flags, NULL);
  g_autoptr (GUri) uri = NULL;
  const char *host;
  const char *path;

  *out_scheme = NULL;
  if (base_uri == NULL)
    return NULL;
  uri = g_uri_parse_relative (base_uri, escaped, flags, NULL);
  if (uri == NULL)
    return NULL;
  *out_scheme = g_str_equal (g_uri_get_scheme (uri), "https") ? "https"
                : g_str_equal (g_uri_get_scheme (uri), "http") ? "http"
                : "other";
  if (g_str_equal (*out_scheme, "other"))
    return NULL;
  host = g_uri_get_host (uri);
  path = g_uri_get_path (uri);
  if (host == NULL || *host == '\0' || !host_is_valid (host) ||
      (*path != '\0' && *path != '/'))
    {
      *out_scheme = NULL;
      return NULL;
    }
  return g_uri_to_string (uri);
}

static gboolean
status_is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}


/* ESTABLISHED_CLIENT_HTTP: the status line and headers are in. The job
 * detaches from the connection when it no longer wants it. */
static void
http_job_headers (HttpJob    *job,
                  struct lws *wsi)
{
  g_autofree char *content_type = copy_header (wsi, WSI_TOKEN_HTTP_CONTENT_TYPE);
  g_autofree char *content_encoding = copy_header (wsi, WSI_TOKEN_HTTP_CONTENT_ENCODING);
  g_autofree char *content_length = copy_header (wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  g_autofree char *transfer_encoding = copy_header (wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING);

  job->headers_received = TRUE;
  job->status = lws_http_client_http_response (wsi);
  /* lws reads the status code with atoi(): "HTTP/1.1 abc" is 0. A status
   * code is three digits, 100 to 599 (RFC 9110 §15). */
  if (job->status < 100 || job->status > 599)
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                     "%s sent a response without a valid status code, so Bulkhead closed "
                     "the connection.", host);
      return;
    }
  job->location = copy_header (wsi, WSI_TOKEN_HTTP_LOCATION);
  job->chunked = transfer_encoding != NULL && strstr (transfer_encoding, "chunked") != NULL;

  /* lws joins repeated headers with ",": the Fetch Standard's header list
   * value, which "extract a MIME type" reads (issue #12: "image/png" then
   * "text/html" used to become the one type "image/png,  text/html"). */
  if (content_type != NULL)
    {
      g_autoptr (BhMimeType) type = NULL;

      job->content_type_doubtful = bh_mime_extract (content_type, &type) != BH_MIME_EXTRACTED;
      if (type != NULL)
        {
          job->content_type = g_steal_pointer (&type->essence);
          /* Encoding labels are ASCII (Encoding Standard §4.2); another
           * value names no encoding, and would reach the renderer as a
           * string GLib refuses (found by tests/fuzz/fuzz-http.c). */
          if (type->charset != NULL && charset_is_label (type->charset))
            job->charset = g_steal_pointer (&type->charset);
        }
    }

  if (content_length != NULL)
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (g_strstrip (content_length), 10, 0, G_MAXINT64, &value,
                                      NULL))
        job->content_length = (gint64) value;
    }

  if (status_is_redirect (job->status) && job->location != NULL)
    {
      g_autofree char *next = NULL;
      const char *scheme;

      if (job->redirect_count >= BH_FETCH_MAX_REDIRECTS)
        {
          g_autofree char *host = http_job_describe_host (job);

          http_job_fail (job, BH_NET_ERROR_TOO_MANY_REDIRECTS,
                         "%s redirected too many times (more than %d redirects).", host,
                         BH_FETCH_MAX_REDIRECTS);
          return;
        }

      next = resolve_location (job->url, g_strstrip (job->location), &scheme);
      if (next == NULL && scheme != NULL && !g_str_equal (scheme, "http") &&
          !g_str_equal (scheme, "https"))
        {
          g_autofree char *shown = printable (job->location);

          http_job_fail (job, BH_NET_ERROR_UNSAFE_REDIRECT,
                         "The page redirected to “%s”, and a web page may only redirect to "
                         "http or https addresses.", shown);
          return;
        }
      if (next == NULL)
        {
          g_autofree char *shown = printable (job->location);

          http_job_fail (job, BH_NET_ERROR_INVALID_URL,
                         "The page redirected to “%s”, which is not a valid address.", shown);
          return;
        }

      job->redirect_count++;
      http_job_detach (job);
      g_free (job->url);
      job->url = g_steal_pointer (&next);
      http_job_reset_hop (job);
      http_job_schedule_next (job, NEXT_STEP_HOP);
      return;
    }

  if (job->content_length > 0 && (guint64) job->content_length > job->opts.max_bytes &&
      content_encoding == NULL)
    {
      g_autofree char *host = http_job_describe_host (job);

      http_job_fail (job, BH_NET_ERROR_TOO_LARGE,
                     "The page from %s is %" G_GINT64_FORMAT " bytes, more than the %"
                     G_GSIZE_FORMAT " bytes a page may have.",
                     host, job->content_length, job->opts.max_bytes);
      return;
    }

  if (content_encoding != NULL)
    {
      g_strstrip (content_encoding);
      if (g_ascii_strcasecmp (content_encoding, "gzip") == 0 ||
          g_ascii_strcasecmp (content_encoding, "x-gzip") == 0)
        job->decoder = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      else if (g_ascii_strcasecmp (content_encoding, "identity") != 0 &&
               *content_encoding != '\0')
        {
          g_autofree char *host = http_job_describe_host (job);
          g_autofree char *shown = printable (content_encoding);

          http_job_fail (job, BH_NET_ERROR_FAILED,
                         "%s sent the page with the “%s” content encoding, which Bulkhead "
                         "does not decode.", host, shown);
          return;
        }
    }

  job->body = g_byte_array_new ();
  http_job_stream_progress (job);
}

static void
http_job_body_complete (HttpJob *job)
{
  g_autoptr (GError) error = NULL;

  if (job->decoder != NULL)
    {
      append_decoded (job, NULL, 0, TRUE, &error);
      if (error != NULL)
        {
          g_autofree char *host = http_job_describe_host (job);

          http_job_fail (job, BH_NET_ERROR_FAILED, "%s sent a damaged gzip body (%s).", host,
                         error->message);
          return;
        }
      if (!http_job_check_size (job))
        return;
    }

  http_job_detach (job);
  http_job_succeed (job);
}

/* One lws callback for a connection that still has its job. */
static int
http_job_handle (HttpJob                  *job,
                 struct lws               *wsi,
                 enum lws_callback_reasons reason,
                 void                     *in,
                 size_t                    len)
{
  switch (reason)
    {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      {
        g_autofree char *why = in != NULL ? g_strndup (in, len) : NULL;

        /* lws may report this before connect_via_info() returns, when
         * job->wsi is not set yet. The wsi is on its way out: never touch
         * it again. */
        lws_set_opaque_user_data (wsi, NULL);
        if (job->wsi == wsi)
          job->wsi = NULL;
        if (job->task != NULL)
          http_job_connection_failed (job, why);
        return 0;
      }

    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
      {
        unsigned char **p = (unsigned char **) in;
        unsigned char *end = *p + len;
        static const char accept[] = "text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8";
        static const char user_agent[] = "Mozilla/5.0 (X11; Linux x86_64) Bulkhead/" BH_VERSION;

        /* Connected (and TLS done): the connect timeout has passed. */
        job->connected = TRUE;
        clear_source (&job->connect_source);
        if (lws_add_http_header_by_token (wsi, WSI_TOKEN_HTTP_ACCEPT_ENCODING,
                                          (const unsigned char *) "gzip", 4, p, end) ||
            lws_add_http_header_by_token (wsi, WSI_TOKEN_HTTP_ACCEPT,
                                          (const unsigned char *) accept,
                                          (int) strlen (accept), p, end) ||
            lws_add_http_header_by_token (wsi, WSI_TOKEN_HTTP_USER_AGENT,
                                          (const unsigned char *) user_agent,
                                          (int) strlen (user_agent), p, end))
          return -1;
        return 0;
      }

    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
      http_job_headers (job, wsi);
      return 0;

    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
      {
        char buffer[LWS_PRE + READ_CHUNK_BYTES];
        char *p = buffer + LWS_PRE;
        int n = READ_CHUNK_BYTES;

        /* Drains the socket into RECEIVE_CLIENT_HTTP_READ, chunking removed.
         * It fails when the server has gone, or when lws cannot read the
         * body (a malformed chunk): the second is the browser closing. */
        if (lws_http_client_read (wsi, &p, &n) < 0)
          {
            if (job->task != NULL && !peer_has_closed (wsi))
              {
                g_autofree char *host = http_job_describe_host (job);

                http_job_fail (job, BH_NET_ERROR_INVALID_RESPONSE,
                               job->chunked
                                 ? "%s sent a malformed chunked body, so Bulkhead closed the "
                                   "connection."
                                 : "%s sent a body Bulkhead could not read, so Bulkhead "
                                   "closed the connection.",
                               host);
              }
            return -1;
          }
        return 0;
      }

    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
      {
        g_autoptr (GError) error = NULL;

        if (job->body == NULL)
          return -1;
        append_decoded (job, in, len, FALSE, &error);
        if (error != NULL)
          {
            g_autofree char *host = http_job_describe_host (job);

            http_job_fail (job, BH_NET_ERROR_FAILED, "%s sent a damaged gzip body (%s).", host,
                           error->message);
            return -1;
          }
        if (http_job_check_size (job))
          http_job_stream_progress (job);
        return 0;
      }

    case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
      if (job->body != NULL)
        http_job_body_complete (job);
      return 0;

    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
      lws_set_opaque_user_data (wsi, NULL);
      if (job->wsi == wsi)
        job->wsi = NULL;
      if (job->task == NULL)
        return 0;
      if (!job->headers_received)
        http_job_connection_failed (job, "closed before the response");
      else if (job->body != NULL && !job->chunked && job->content_length < 0)
        /* No length and not chunked: the body ends where the connection
         * does (RFC 9112 §6.3, item 8). */
        http_job_body_complete (job);
      else
        {
          g_autofree char *host = http_job_describe_host (job);

          http_job_fail (job, BH_NET_ERROR_FAILED,
                         "%s closed the connection before the whole page arrived.", host);
        }
      return 0;

    default:
      return 0;
    }
}

static int
http_client_cb (struct lws               *wsi,
                enum lws_callback_reasons reason,
                void                     *user,
                void                     *in,
                size_t                    len)
{
  HttpJob *job = lws_get_opaque_user_data (wsi);
  g_autoptr (HttpJob) hold = NULL;
  struct lws *outer_wsi;
  int ret;

  if (job == NULL)
    {
      /* A connection we let go of: anything still arriving closes it. */
      switch (reason)
        {
        case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
        case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
        case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
          return -1;
        default:
          return lws_callback_http_dummy (wsi, reason, user, in, len);
        }
    }

  hold = http_job_ref (job);
  outer_wsi = current_callback_wsi;
  current_callback_wsi = wsi;

  ret = http_job_handle (job, wsi, reason, in, len);

  current_callback_wsi = outer_wsi;

  if (ret == 0 && reason != LWS_CALLBACK_CLIENT_CONNECTION_ERROR &&
      reason != LWS_CALLBACK_CLOSED_CLIENT_HTTP && lws_get_opaque_user_data (wsi) == NULL)
    /* The job let go of this connection while handling the callback. */
    ret = -1;

  if (ret == 0)
    ret = lws_callback_http_dummy (wsi, reason, user, in, len);

  return ret;
}

static HttpJob *
fetch_http_url (GTask                    *task,
                const char               *url,
                const BhFetchOptions     *opts,
                const BhFetchStreamFuncs *funcs,
                gpointer                  funcs_data)
{
  HttpJob *job = g_new0 (HttpJob, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  job->ref_count = 1;
  job->task = task;
  if (funcs != NULL)
    {
      job->streaming = TRUE;
      job->stream_funcs = *funcs;
      job->stream_data = funcs_data;
    }
  job->url = g_strdup (url);
  job->content_length = -1;
  job->lookup_cancellable = g_cancellable_new ();
  options_copy (&job->opts, opts);

  job->deadline_source = attach_job_source (job, g_timeout_source_new (job->opts.timeout_ms),
                                            http_job_deadline_cb, "[bulkhead] fetch deadline");
  if (cancellable != NULL)
    job->cancel_source = attach_job_source (job, g_cancellable_source_new (cancellable),
                                            (GSourceFunc) (void (*) (void)) http_job_cancelled_cb,
                                            "[bulkhead] fetch cancelled");

  http_job_start_hop (job);
  return job;
}

/* Entry points -------------------------------------------------------------- */

static HttpJob *
start_fetch (const char               *url,
             const BhFetchOptions     *opts,
             const BhFetchStreamFuncs *funcs,
             gpointer                  funcs_data,
             GCancellable             *cancellable,
             GAsyncReadyCallback       callback,
             gpointer                  user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  BhResponse *response = NULL;
  const char *scheme;
  gsize max_bytes;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_fetch);
  g_task_set_name (task, "[bulkhead] bh_fetch");

  max_bytes = opts != NULL && opts->max_bytes != 0 ? opts->max_bytes : BH_FETCH_DEFAULT_MAX_BYTES;
  scheme = g_uri_peek_scheme (url);

  if (scheme == NULL)
    error = g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                         "“%s” is not a complete address (it has no scheme such as https:).", url);
  else if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    return fetch_http_url (g_steal_pointer (&task), url, opts, funcs, funcs_data);
  else if (g_str_equal (scheme, "file"))
    {
      fetch_file_url (g_steal_pointer (&task), url, max_bytes);
      return NULL;
    }
  else if (g_str_equal (scheme, "data"))
    response = fetch_data_url (url, max_bytes, &error);
  else if (g_str_equal (scheme, "about"))
    response = fetch_about_url (url, &error);
  else
    error = g_error_new (BH_NET_ERROR, BH_NET_ERROR_UNSUPPORTED_SCHEME,
                         "Bulkhead cannot open “%s:” addresses.", scheme);

  return_later (g_steal_pointer (&task), response, g_steal_pointer (&error));
  return NULL;
}

void
bh_fetch (const char           *url,
          const BhFetchOptions *opts,
          GCancellable         *cancellable,
          GAsyncReadyCallback   callback,
          gpointer              user_data)
{
  HttpJob *job;

  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = start_fetch (url, opts, NULL, NULL, cancellable, callback, user_data);
  if (job != NULL)
    http_job_unref (job);
}

BhFetchStream *
bh_fetch_stream (const char               *url,
                 const BhFetchOptions     *opts,
                 const BhFetchStreamFuncs *funcs,
                 gpointer                  funcs_data,
                 GCancellable             *cancellable,
                 GAsyncReadyCallback       callback,
                 gpointer                  user_data)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (funcs != NULL && funcs->response != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  /* The job's own reference becomes the caller's handle. */
  return (BhFetchStream *) start_fetch (url, opts, funcs, funcs_data, cancellable, callback, user_data);
}

void
bh_fetch_stream_set_paused (BhFetchStream *stream,
                            gboolean       paused)
{
  HttpJob *job = (HttpJob *) stream;

  if (job == NULL || job->task == NULL || job->paused == !!paused)
    return;
  job->paused = !!paused;
  /* A pause is the reader's, not the server's silence: no deadline meanwhile. */
  if (job->deadline_source != NULL && job->stream_started)
    g_source_set_ready_time (job->deadline_source,
                             paused ? -1 : g_get_monotonic_time () + (gint64) job->opts.timeout_ms * 1000);
  if (job->wsi != NULL)
    {
      lws_rx_flow_control (job->wsi, paused ? 0 : 1);
      if (job->wsi != current_callback_wsi)
        bh_lws_wake ();
    }
}

void
bh_fetch_stream_free (BhFetchStream *stream)
{
  if (stream != NULL)
    http_job_unref ((HttpJob *) stream);
}

BhResponse *
bh_fetch_finish (GAsyncResult *result,
                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bh_fetch, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
