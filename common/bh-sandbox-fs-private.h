/* bh-sandbox-fs-private.h: between the seccomp filter (bh-sandbox.c) and the
 * closed filesystem's table (bh-sandbox-fs.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fixes the table before the filter is loaded: no file is added afterwards,
 * and everything the SIGSYS handler calls has been called once, so that no
 * lazy symbol binding happens inside it. */
void bh_sandbox_fs_close (void);

/* What an open of @path relative to @dirfd with @flags returns once the
 * filesystem is closed: a new fd, or a negative errno. Async-signal-safe:
 * called from the SIGSYS handler; errno is left as it was. */
long bh_sandbox_fs_answer_open (long dirfd, const char *path, guint64 flags);

G_END_DECLS
