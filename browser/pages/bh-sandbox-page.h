/* bh-sandbox-page.h: about:sandbox, Bulkhead's chrome://sandbox. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BhSandboxPageProcess:
 * @type: "browser", "renderer" or "plugin-host"
 * @site: the renderer's site, the plugin host's plugin type, "" for the browser
 * @pid: its pid in the browser's pid namespace
 * @sandbox: what its host read of its sandbox, or "starting"
 * @trusted: the browser itself: not sandboxed, not read from /proc
 *
 * One row of about:sandbox, as plain values.
 */
typedef struct {
  const char *type;
  const char *site;
  int pid;
  const char *sandbox;
  gboolean trusted;
} BhSandboxPageProcess;

/**
 * BhSandboxPageCheck:
 * @name: the attempt, e.g. "passwd"
 * @detail: its result, e.g. "blocked (EACCES)"
 * @passed: the sandbox stopped it
 *
 * One line of the escape self-test's report (BhSandboxCheck, as plain values).
 */
typedef struct {
  const char *name;
  const char *detail;
  gboolean passed;
} BhSandboxPageCheck;

typedef enum {
  BH_SANDBOX_PAGE_SELF_TEST_NOT_STARTED,
  BH_SANDBOX_PAGE_SELF_TEST_RUNNING,
  BH_SANDBOX_PAGE_SELF_TEST_FAILED, /* it could not run: @self_test_error */
  BH_SANDBOX_PAGE_SELF_TEST_DONE,   /* @checks */
} BhSandboxPageSelfTest;

/**
 * BhSandboxPageMachine:
 * @summary: the launcher's verdict for this machine (BhLauncherProbe's summary)
 * @cause: (nullable): why a layer cannot be had
 * @fix: (nullable): how to get it
 * @landlock: how Landlock stands here, in words
 * @memory_limit: how --renderer-memory-limit-mb is enforced here, in words
 * @self_test: where the escape self-test is
 * @self_test_error: (nullable): why it could not run
 * @checks: (array length=n_checks): its report, when done
 * @n_checks: how many
 *
 * What about:sandbox says of the machine rather than of one process.
 */
typedef struct {
  const char *summary;
  const char *cause;
  const char *fix;
  const char *landlock;
  const char *memory_limit;
  BhSandboxPageSelfTest self_test;
  const char *self_test_error;
  const BhSandboxPageCheck *checks;
  guint n_checks;
} BhSandboxPageMachine;

/**
 * bh_sandbox_page_render:
 * @processes: (array length=n_processes): the processes alive now, the
 *   browser first
 * @n_processes: how many
 * @no_sandbox: the browser runs with --no-sandbox
 * @machine: the machine's layers and the escape self-test
 *
 * Builds about:sandbox from data/templates/sandbox.html: the launcher's
 * verdict for this machine (which layers can be had, and if one cannot, the
 * cause and the fix), Landlock and the memory limit, then one row per
 * process (the browser, every renderer, every plugin host) with what /proc
 * says of it: namespaces that differ from the browser's, the seccomp mode,
 * no_new_privs, its address-space, file-size and open-files limits and its
 * cgroup's memory.max (bh_sandbox_status_read()); then the escape
 * self-test: each attempt, in words, and what stopped it, or that it is
 * running. Like chrome://sandbox, the page reads processes from outside
 * rather than trusting what they claim.
 *
 * Returns: (transfer full): the page's HTML, UTF-8, for a renderer to show.
 */
GBytes *bh_sandbox_page_render (const BhSandboxPageProcess *processes, guint n_processes, gboolean no_sandbox,
                                const BhSandboxPageMachine *machine);

G_END_DECLS
