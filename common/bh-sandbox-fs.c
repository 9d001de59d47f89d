/* bh-sandbox-fs.c: the files a child with a closed filesystem may still open. */
#include "bh-sandbox-fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "bh-sandbox-fs-private.h"

/* open(2) flags that write, create or truncate (O_TMPFILE by its own bit). */
#define WRITE_FLAGS ((guint64) (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | 020000000))

typedef struct {
  char *path;
  int fd;
} KeptFile;

/* Sorted by path once closed; read-only from then on (the SIGSYS handler
 * searches it). */
static KeptFile kept[BH_SANDBOX_MAX_KEPT_FILES];
static guint n_kept;
static gboolean closed;

static int
compare_kept (const void *a, const void *b)
{
  return strcmp (((const KeptFile *) a)->path, ((const KeptFile *) b)->path);
}

static const KeptFile *
find_kept (const char *path)
{
  /* An async-signal-safe binary search: strcmp only. */
  guint lo = 0, hi = n_kept;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = strcmp (path, kept[mid].path);

      if (c == 0)
        return &kept[mid];
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

gboolean
bh_sandbox_keep_file (const char *path)
{
  int fd;

  g_return_val_if_fail (path != NULL && path[0] == '/', FALSE);
  g_return_val_if_fail (!closed, FALSE);

  for (guint i = 0; i < n_kept; i++)
    if (strcmp (kept[i].path, path) == 0)
      return TRUE;
  if (n_kept == G_N_ELEMENTS (kept))
    return FALSE;
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return FALSE;
  kept[n_kept].path = g_strdup (path);
  kept[n_kept].fd = fd;
  n_kept++;
  return TRUE;
}

static void
keep_font_set (FcFontSet *set)
{
  for (int i = 0; set != NULL && i < set->nfont; i++)
    {
      FcChar8 *file = NULL;

      if (FcPatternGetString (set->fonts[i], FC_FILE, 0, &file) == FcResultMatch && file != NULL &&
          file[0] == '/')
        bh_sandbox_keep_file ((const char *) file);
    }
}

guint
bh_sandbox_keep_font_files (void)
{
  FcConfig *config = FcConfigGetCurrent ();

  g_return_val_if_fail (!closed, n_kept);

  if (config != NULL)
    {
      keep_font_set (FcConfigGetFonts (config, FcSetSystem));
      keep_font_set (FcConfigGetFonts (config, FcSetApplication));
    }
  return n_kept;
}

gboolean
bh_sandbox_is_kept_fd (int fd)
{
  for (guint i = 0; i < n_kept; i++)
    if (kept[i].fd == fd)
      return TRUE;
  return FALSE;
}

void
bh_sandbox_fs_close (void)
{
  if (closed)
    return;
  qsort (kept, n_kept, sizeof kept[0], compare_kept);
  closed = TRUE;
  /* Bind what the handler calls now, not inside a signal handler. */
  if (n_kept > 0)
    {
      int fd = fcntl (kept[0].fd, F_DUPFD_CLOEXEC, 0);

      if (fd >= 0)
        {
          lseek (fd, 0, SEEK_SET);
          close (fd);
        }
      fd = fcntl (kept[0].fd, F_DUPFD, 0);
      if (fd >= 0)
        close (fd);
    }
}

long
bh_sandbox_fs_answer_open (long dirfd, const char *path, guint64 flags)
{
  int saved_errno = errno;
  const KeptFile *file;
  long result;

  if ((flags & WRITE_FLAGS) != 0)
    return -EPERM;
  /* Relative to a directory we do not know, or to a working directory that
   * is the browser's: no. An absolute path ignores @dirfd, as openat(2) does. */
  if (path == NULL || path[0] != '/')
    return -EACCES;
  file = find_kept (path);
  if (file == NULL)
    return -EACCES;
  if (flags & O_DIRECTORY)
    return -ENOTDIR;
  result = fcntl (file->fd, (flags & O_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
  if (result < 0)
    result = -errno;
  else
    /* The duplicate shares the file offset: start where a fresh open would. */
    lseek ((int) result, 0, SEEK_SET);
  errno = saved_errno;
  return result;
}
