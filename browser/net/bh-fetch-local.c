/* bh-fetch-local.c: the URLs the browser answers without a network: file:
 * (GIO, asynchronously), data: (RFC 2397) and about: (the GResource's
 * pages, about:version filled in).
 */
#include "bh-fetch-local.h"
#include "bh-fetch-local-private.h"

#include <libpsl.h>
#include <libwebsockets.h>
#include <string.h>
#include <zlib.h>

#include "bh-config.h"
#include "bh-fetch-job-private.h"
#include "bh-net-error.h"
#include "bh-page-template.h"

#define RESOURCE_PREFIX  "/org/bulkhead/Browser/"
#define READ_CHUNK_BYTES (64 * 1024)

static char *
unquote (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    return g_strndup (value + 1, len - 2);
  return g_strdup (value);
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

BhResponse *
bh_fetch_data_url (const char *url,
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

  return bh_response_new (url, 0, mime, charset, body, 0);
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

BhResponse *
bh_fetch_about_url (const char *url,
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
    return bh_response_new (url, 0, "text/html", "utf-8", NULL, 0);

  path = about_resource_path (name);
  if (path != NULL)
    data = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (data == NULL)
    {
      g_set_error (error, BH_NET_ERROR, BH_NET_ERROR_FILE_NOT_FOUND,
                   "Bulkhead has no page called “about:%s”.", name);
      return NULL;
    }

  mime = bh_sniff_content_type (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data));

  if (g_str_equal (name, "version"))
    {
      g_autofree char *template_text = g_strndup (g_bytes_get_data (data, NULL),
                                                  g_bytes_get_size (data));
      char *page = render_about_version (template_text);

      g_bytes_unref (data);
      data = g_bytes_new_take (page, strlen (page));
    }

  return bh_response_new (url, 0, mime, bh_content_type_is_textual (mime) ? "utf-8" : NULL, data, 0);
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
  bh_fetch_return_later (g_steal_pointer (&job->task), NULL, error);
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
  bh_fetch_return_later (g_steal_pointer (&job->task),
                bh_response_new (job->url, 0, "text/html", "utf-8", body, 0), NULL);
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
  mime = bh_sniff_content_type (basename, job->body->data, job->body->len);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&job->body));
  bh_fetch_return_later (g_steal_pointer (&job->task),
                bh_response_new (job->url, 0, mime, NULL, body, 0), NULL);
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

void
bh_fetch_file_url (GTask      *task,
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
      bh_fetch_return_later (g_steal_pointer (&job->task),
                    NULL, g_error_new (BH_NET_ERROR, BH_NET_ERROR_INVALID_URL,
                                       "“%s” names a file on another computer (%s); "
                                       "Bulkhead only opens files on this one.", url, hostname));
      return;
    }
  if (path == NULL)
    {
      bh_fetch_return_later (g_steal_pointer (&job->task),
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

