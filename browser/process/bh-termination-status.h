/* bh-termination-status.h: how a child process (renderer, plugin host) ended.
 *
 * Recorded by the child host (bh-child-host.c), shown by tabs, plugin areas,
 * the task manager and the automation server.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How a child process ended (Chromium's base::TerminationStatus, plus the bad-message kill). */
typedef enum {
  BH_TERMINATION_STATUS_STILL_RUNNING,
  BH_TERMINATION_STATUS_NORMAL,        /* exit code 0, or closed by the browser after its last view */
  BH_TERMINATION_STATUS_ABNORMAL,      /* a non-zero exit code */
  BH_TERMINATION_STATUS_KILLED,        /* SIGKILL, SIGTERM, SIGINT, SIGHUP... from outside */
  BH_TERMINATION_STATUS_CRASHED,       /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP */
  BH_TERMINATION_STATUS_OOM,           /* exit code BH_EXIT_CODE_OUT_OF_MEMORY (bh-sandbox.h): an
                                        * allocation failed under --renderer-memory-limit-mb */
  BH_TERMINATION_STATUS_LAUNCH_FAILED, /* spawning failed, or it died before ChildReady */
  BH_TERMINATION_STATUS_BAD_MESSAGE,   /* the browser killed it for breaking the protocol */
} BhTerminationStatus;

GType bh_termination_status_get_type (void);
#define BH_TYPE_TERMINATION_STATUS (bh_termination_status_get_type ())

/**
 * bh_termination_status_to_string:
 *
 * Returns: (transfer none): "still-running", "normal", "abnormal", "killed",
 *   "crashed", "oom", "launch-failed" or "bad-message".
 */
const char *bh_termination_status_to_string (BhTerminationStatus status);

G_END_DECLS
