/* bh-download.c: a response saved to a file (bh-download.h). */
#include "bh-download.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILENAME_BYTES 200
/* "name (1).ext" ... "name (999).ext", then it gives up. */
#define MAX_NAME_ATTEMPTS 1000

struct _BhDownload {
  GObject parent_instance;

  char *url;
  char *path;
  int fd;                 /* -1 once closed */
  guint64 received_bytes;
  gint64 total_bytes;
  BhDownloadState state;
  char *error_message;
  GCancellable *cancellable; /* a reference: the fetch's */
};

G_DEFINE_FINAL_TYPE (BhDownload, bh_download, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_PATH,
  PROP_RECEIVED_BYTES,
  PROP_TOTAL_BYTES,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
bh_download_is_attachment (const char *content_disposition)
{
  gsize n;

  if (content_disposition == NULL)
    return FALSE;
  while (*content_disposition == ' ' || *content_disposition == '\t')
    content_disposition++;
  n = strcspn (content_disposition, "; \t");
  return n == strlen ("attachment") && g_ascii_strncasecmp (content_disposition, "attachment", n) == 0;
}

gboolean
bh_download_type_is_displayable (const char *type)
{
  static const char *const shown[] = {
    "application/xhtml+xml", "application/xml", "application/json", "application/javascript",
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/x-icon",
    "image/vnd.microsoft.icon",
  };

  if (type == NULL || *type == '\0')
    return FALSE;
  if (g_str_has_prefix (type, "text/") || g_str_has_suffix (type, "+xml"))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    if (g_str_equal (type, shown[i]))
      return TRUE;
  return FALSE;
}

/* The filename parameter of a Content-Disposition: quoted (with \-escapes)
 * or a token. filename* (RFC 5987) is not read. */
static char *
filename_param (const char *header)
{
  const char *p = header;

  while ((p = strchr (p, ';')) != NULL)
    {
      p++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (g_ascii_strncasecmp (p, "filename=", 9) != 0)
        continue;
      p += 9;
      if (*p == '"')
        {
          GString *out = g_string_new ("");
          for (p++; *p != '\0' && *p != '"'; p++)
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (out, *p);
            }
          return g_string_free (out, FALSE);
        }
      return g_strndup (p, strcspn (p, "; \t"));
    }
  return NULL;
}

/* No directory, no leading dot, printable, valid UTF-8, not too long. */
static char *
sanitize (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  const char *base = strrchr (valid, '/');
  GString *out = g_string_new ("");

  base = base != NULL ? base + 1 : valid;
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == '\\')
        g_string_append_c (out, '_');
      else if (out->len + (gsize) (g_utf8_next_char (p) - p) <= MAX_FILENAME_BYTES)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  while (out->len > 0 && (out->str[0] == '.' || out->str[0] == ' '))
    g_string_erase (out, 0, 1);
  if (out->len == 0)
    g_string_assign (out, "download");
  return g_string_free (out, FALSE);
}

char *
bh_download_suggest_filename (const char *url, const char *content_disposition)
{
  g_autofree char *param = content_disposition != NULL ? filename_param (content_disposition) : NULL;
  g_autoptr (GUri) uri = NULL;
  g_autofree char *segment = NULL;

  if (param != NULL && *param != '\0')
    return sanitize (param);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri != NULL)
    {
      const char *path = g_uri_get_path (uri);
      const char *slash = strrchr (path, '/');

      segment = g_uri_unescape_string (slash != NULL ? slash + 1 : path, "/");
    }
  return sanitize (segment != NULL ? segment : "");
}

/* "name (N).ext" for the Nth clash, the extension after the first dot of
 * a ".tar.gz" kept whole. */
static char *
numbered (const char *name, int n)
{
  const char *dot = strchr (name, '.');

  if (n == 0)
    return g_strdup (name);
  if (dot == NULL || dot == name)
    return g_strdup_printf ("%s (%d)", name, n);
  return g_strdup_printf ("%.*s (%d)%s", (int) (dot - name), name, n, dot);
}

static const char *
download_directory (void)
{
  const char *dir = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  static char *fallback;

  if (dir != NULL)
    return dir;
  if (fallback == NULL)
    fallback = g_build_filename (g_get_home_dir (), "Downloads", NULL);
  return fallback;
}

BhDownload *
bh_download_start (const char *url, const char *content_disposition, gint64 total_bytes, const char *directory,
                   GCancellable *cancellable, GError **error)
{
  g_autofree char *name = bh_download_suggest_filename (url, content_disposition);
  BhDownload *self;
  int fd = -1;
  char *path = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  if (directory == NULL)
    directory = download_directory ();
  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "The download folder %s cannot be made: %s",
                   directory, g_strerror (saved));
      return NULL;
    }
  for (int n = 0; n < MAX_NAME_ATTEMPTS && fd < 0; n++)
    {
      g_autofree char *candidate = numbered (name, n);

      g_free (path);
      path = g_build_filename (directory, candidate, NULL);
      fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EEXIST)
        break;
    }
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s cannot be written: %s", path,
                   g_strerror (saved));
      g_free (path);
      return NULL;
    }
  self = g_object_new (BH_TYPE_DOWNLOAD, NULL);
  self->url = g_strdup (url);
  self->path = path;
  self->fd = fd;
  self->total_bytes = total_bytes;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  return self;
}

static void
end (BhDownload *self, BhDownloadState state, const char *message)
{
  if (self->state != BH_DOWNLOAD_IN_PROGRESS)
    return;
  if (self->fd >= 0)
    {
      if (close (self->fd) != 0 && state == BH_DOWNLOAD_COMPLETE)
        {
          state = BH_DOWNLOAD_FAILED;
          message = g_strerror (errno);
        }
      self->fd = -1;
    }
  if (state != BH_DOWNLOAD_COMPLETE)
    unlink (self->path);
  self->state = state;
  g_free (self->error_message);
  self->error_message = g_strdup (message != NULL ? message : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
bh_download_write (BhDownload *self, GBytes *chunk)
{
  gsize len;
  const guint8 *data;

  g_return_if_fail (BH_IS_DOWNLOAD (self));

  if (self->state != BH_DOWNLOAD_IN_PROGRESS)
    return;
  data = g_bytes_get_data (chunk, &len);
  while (len > 0)
    {
      ssize_t n = write (self->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_autofree char *message = g_strdup_printf ("Writing %s failed: %s", self->path, g_strerror (errno));
          end (self, BH_DOWNLOAD_FAILED, message);
          g_cancellable_cancel (self->cancellable);
          return;
        }
      data += n;
      len -= (gsize) n;
      self->received_bytes += (guint64) n;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED_BYTES]);
}

void
bh_download_finish (BhDownload *self, const GError *error)
{
  g_return_if_fail (BH_IS_DOWNLOAD (self));

  if (error == NULL)
    end (self, BH_DOWNLOAD_COMPLETE, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    end (self, BH_DOWNLOAD_CANCELLED, NULL);
  else
    end (self, BH_DOWNLOAD_FAILED, error->message);
}

void
bh_download_cancel (BhDownload *self)
{
  g_return_if_fail (BH_IS_DOWNLOAD (self));

  if (self->state != BH_DOWNLOAD_IN_PROGRESS)
    return;
  end (self, BH_DOWNLOAD_CANCELLED, NULL);
  g_cancellable_cancel (self->cancellable);
}

const char *
bh_download_get_url (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), NULL);
  return self->url;
}

const char *
bh_download_get_path (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), NULL);
  return self->path;
}

guint64
bh_download_get_received_bytes (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), 0);
  return self->received_bytes;
}

gint64
bh_download_get_total_bytes (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), -1);
  return self->total_bytes;
}

BhDownloadState
bh_download_get_state (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), BH_DOWNLOAD_FAILED);
  return self->state;
}

const char *
bh_download_get_error_message (BhDownload *self)
{
  g_return_val_if_fail (BH_IS_DOWNLOAD (self), NULL);
  return self->error_message != NULL ? self->error_message : "";
}

static void
bh_download_finalize (GObject *object)
{
  BhDownload *self = BH_DOWNLOAD (object);

  /* A download nobody finished (the browser shut down) is cut off. */
  end (self, BH_DOWNLOAD_CANCELLED, NULL);
  g_clear_object (&self->cancellable);
  g_free (self->url);
  g_free (self->path);
  g_free (self->error_message);
  G_OBJECT_CLASS (bh_download_parent_class)->finalize (object);
}

static void
bh_download_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhDownload *self = BH_DOWNLOAD (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_RECEIVED_BYTES:
      g_value_set_uint64 (value, self->received_bytes);
      break;
    case PROP_TOTAL_BYTES:
      g_value_set_int64 (value, self->total_bytes);
      break;
    case PROP_STATE:
      g_value_set_int (value, (int) self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, bh_download_get_error_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_download_class_init (BhDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bh_download_finalize;
  object_class->get_property = bh_download_get_property;
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  properties[PROP_RECEIVED_BYTES] = g_param_spec_uint64 ("received-bytes", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_TOTAL_BYTES] = g_param_spec_int64 ("total-bytes", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, BH_DOWNLOAD_FAILED, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_download_init (BhDownload *self)
{
  self->fd = -1;
  self->total_bytes = -1;
}
