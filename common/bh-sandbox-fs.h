/* bh-sandbox-fs.h: the filesystem of a child whose sandbox has no namespaces.
 *
 * Without layer 1 (seccomp-only mode) a child sees the whole filesystem as
 * its user does: read-only opens of /etc/passwd, the user's home and
 * /proc/PID of the user's other processes would succeed. So there, once
 * start-up is done, no path is opened at all (BH_SANDBOX_FILESYSTEM_CLOSED in
 * bh_sandbox_enter_seccomp()): open(), openat() and creat() trap into a
 * SIGSYS handler (seccomp(2) SECCOMP_RET_TRAP) that answers from a table of
 * files opened beforehand, the font files fontconfig lists above all, since
 * FreeType and HarfBuzz open a face's file when a glyph first needs it:
 * exactly a path of the table gets a duplicate of its descriptor, rewound;
 * any other path EACCES; writing, creating or truncating EPERM. The same
 * policy as Chromium's broker for a renderer's font files, without a
 * process: the table is fixed before the filter closes.
 *
 * Metadata calls (stat, access, readlink) are still allowed, as fontconfig
 * and GLib use them: a child can learn that a file exists and its size, not
 * read it. x86-64 and aarch64 only; elsewhere a closed filesystem refuses
 * every open with EACCES.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The table's size: enough for every font of a desktop with fonts-noto-core,
 * well under RLIMIT_NOFILE (BH_LAUNCHER_CHILD_MAX_FDS) with room for work. */
#define BH_SANDBOX_MAX_KEPT_FILES 768

/**
 * bh_sandbox_keep_file:
 * @path: an absolute path, as later callers will spell it
 *
 * Opens @path read-only (O_CLOEXEC) now, for a closed filesystem to answer
 * an open() of exactly @path later. Before bh_sandbox_enter_seccomp() only.
 *
 * Returns: %TRUE if it is in the table (already, or now); %FALSE if it cannot
 *   be opened or the table is full.
 */
gboolean bh_sandbox_keep_file (const char *path);

/**
 * bh_sandbox_keep_font_files:
 *
 * Keeps every font file of fontconfig's current configuration (its system
 * and application font sets, FC_FILE of each pattern), initialising
 * fontconfig if nothing did yet.
 *
 * Returns: how many files the table holds now.
 */
guint bh_sandbox_keep_font_files (void);

/**
 * bh_sandbox_is_kept_fd:
 * @fd: a descriptor
 *
 * Returns: %TRUE if @fd is one of the table's own (the self-test's fd
 *   report leaves them out: they are not inherited).
 */
gboolean bh_sandbox_is_kept_fd (int fd);

G_END_DECLS
