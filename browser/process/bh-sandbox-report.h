/* bh-sandbox-report.h: what about:sandbox says of this machine, as plain
 * values for pages/bh-sandbox-page.h: the layers in words (Landlock, how the
 * memory limit is enforced) and the escape self-test, run once per browser in
 * a thread. The process manager owns one.
 */
#pragma once

#include <glib.h>

#include "bh-sandbox-page.h"

G_BEGIN_DECLS

typedef struct _BhSandboxReport BhSandboxReport;

/**
 * bh_sandbox_report_new:
 *
 * Returns: (transfer full): a report whose self-test has not started.
 */
BhSandboxReport *bh_sandbox_report_new (void);

BhSandboxReport *bh_sandbox_report_ref (BhSandboxReport *report);
void bh_sandbox_report_unref (BhSandboxReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhSandboxReport, bh_sandbox_report_unref)

/**
 * bh_sandbox_report_start_self_test:
 * @renderer_path: the renderer executable the browser starts
 * @memory_limit_mb: --renderer-memory-limit-mb
 *
 * Starts, once (later calls do nothing), bh_launcher_run_self_test() with
 * that renderer in a thread: it starts about seven renderers one after the
 * other, a second or so. The launcher's probes run first, here, on the
 * calling (main) thread. The thread waits for each of its children, which
 * die with it (PR_SET_PDEATHSIG) and not after.
 */
void bh_sandbox_report_start_self_test (BhSandboxReport *report, const char *renderer_path, guint memory_limit_mb);

/**
 * bh_sandbox_report_describe:
 * @memory_limit_mb: --renderer-memory-limit-mb
 * @no_sandbox: --no-sandbox
 * @machine: (out caller-allocates): filled in; its strings and checks belong
 *   to @report and stay valid until the next call or the last unref
 *
 * The machine's part of about:sandbox: the launcher's verdict, Landlock and
 * the memory limit in words, the self-test's state and, when done, its checks.
 */
void bh_sandbox_report_describe (BhSandboxReport *report, guint memory_limit_mb, gboolean no_sandbox,
                                 BhSandboxPageMachine *machine);

G_END_DECLS
