/* bh-launcher-private.h: what the launcher's files share (bh-launcher.c,
 * bh-launcher-self-test.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Closes *@fd if it is open and sets it to -1. */
void bh_launcher_close_fd (int *fd);

/* SIGKILLs @pid and waits for it (it is the caller's child). */
void bh_launcher_kill_and_reap (GPid pid);

G_END_DECLS
