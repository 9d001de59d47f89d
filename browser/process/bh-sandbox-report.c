/* bh-sandbox-report.c: the machine's layers in words, and the escape
 * self-test run once in a thread. */
#include "bh-sandbox-report.h"

#include <string.h>

#include <gio/gio.h>

#include "bh-landlock.h"
#include "bh-launcher.h"
#include "bh-launcher-self-test.h"

struct _BhSandboxReport {
  gboolean started;
  gboolean done;
  GPtrArray *checks; /* (element-type BhSandboxCheck) once done */
  char *error;       /* once done, if it could not run */

  /* What the last bh_sandbox_report_describe() handed out. */
  char *landlock;
  char *memory_limit;
  GArray *page_checks; /* of BhSandboxPageCheck, pointing into @checks */
};

BhSandboxReport *
bh_sandbox_report_new (void)
{
  return g_atomic_rc_box_new0 (BhSandboxReport);
}

BhSandboxReport *
bh_sandbox_report_ref (BhSandboxReport *report)
{
  return g_atomic_rc_box_acquire (report);
}

static void
report_clear (BhSandboxReport *report)
{
  g_clear_pointer (&report->checks, g_ptr_array_unref);
  g_clear_pointer (&report->error, g_free);
  g_clear_pointer (&report->landlock, g_free);
  g_clear_pointer (&report->memory_limit, g_free);
  g_clear_pointer (&report->page_checks, g_array_unref);
}

void
bh_sandbox_report_unref (BhSandboxReport *report)
{
  if (report != NULL)
    g_atomic_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

typedef struct {
  char *executable;
  guint memory_limit_mb;
} Job;

static void
job_free (Job *job)
{
  g_free (job->executable);
  g_free (job);
}

static void
self_test_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const Job *job = data;
  const char *args[] = { "--type=renderer", "--site=about:", NULL };
  GError *error = NULL;
  BhLaunchOptions opts;
  GPtrArray *checks;

  bh_launch_options_init (&opts);
  opts.executable = job->executable;
  opts.args = args;
  opts.memory_limit_mb = job->memory_limit_mb;
  checks = bh_launcher_run_self_test (&opts, &error);
  if (checks == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, checks, (GDestroyNotify) g_ptr_array_unref);
}

static void
self_test_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  BhSandboxReport *report = data;
  g_autoptr (GError) error = NULL;

  report->checks = g_task_propagate_pointer (G_TASK (result), &error);
  if (report->checks == NULL)
    report->error = g_strdup (error->message);
  report->done = TRUE;
  bh_sandbox_report_unref (report);
}

void
bh_sandbox_report_start_self_test (BhSandboxReport *report, const char *renderer_path, guint memory_limit_mb)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_return_if_fail (report != NULL && renderer_path != NULL);

  if (report->started)
    return;
  report->started = TRUE;
  /* The launcher's caches, filled on this thread before another spawns. */
  bh_launcher_probe ();
  bh_launcher_probe_memory ();
  job = g_new0 (Job, 1);
  job->executable = g_strdup (renderer_path);
  job->memory_limit_mb = memory_limit_mb;
  task = g_task_new (NULL, NULL, self_test_done_cb, bh_sandbox_report_ref (report));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, self_test_thread);
}

static char *
describe_landlock (const BhLauncherProbe *probe, gboolean no_sandbox)
{
  g_autofree char *what = NULL;

  if (no_sandbox)
    return g_strdup ("not used (--no-sandbox)");
  if (probe->namespaces != BH_LAUNCHER_NAMESPACES_NONE)
    return g_strdup ("not needed: the namespaces show each child only what it needs");
  if (probe->landlock_abi == 0)
    return g_strdup_printf ("not available: %s. Without namespaces or Landlock, a child reads what its user "
                            "can until its filter closes the filesystem after start-up.",
                            probe->landlock_cause != NULL ? probe->landlock_cause : "unknown");
  what = bh_landlock_describe (probe->landlock_abi);
  return g_strdup_printf ("%s. In place of the namespaces, every child may read only /usr, fontconfig's files "
                          "and its own executable's directory, from its first instruction on, and connect to "
                          "no abstract socket nor signal any process outside its domain.", what);
}

void
bh_sandbox_report_describe (BhSandboxReport *report, guint memory_limit_mb, gboolean no_sandbox,
                            BhSandboxPageMachine *machine)
{
  const BhLauncherProbe *probe = bh_launcher_probe ();

  g_return_if_fail (report != NULL && machine != NULL);

  g_free (report->landlock);
  report->landlock = describe_landlock (probe, no_sandbox);
  g_free (report->memory_limit);
  report->memory_limit = bh_launcher_describe_memory_limit (memory_limit_mb);
  g_clear_pointer (&report->page_checks, g_array_unref);
  report->page_checks = g_array_new (FALSE, TRUE, sizeof (BhSandboxPageCheck));
  for (guint i = 0; report->checks != NULL && i < report->checks->len; i++)
    {
      const BhSandboxCheck *check = g_ptr_array_index (report->checks, i);
      BhSandboxPageCheck page_check = { check->name, check->detail, check->passed };

      g_array_append_val (report->page_checks, page_check);
    }

  memset (machine, 0, sizeof *machine);
  machine->summary = probe->summary;
  machine->cause = probe->cause;
  machine->fix = probe->fix;
  machine->landlock = report->landlock;
  machine->memory_limit = report->memory_limit;
  machine->self_test = !report->started ? BH_SANDBOX_PAGE_SELF_TEST_NOT_STARTED
                       : !report->done  ? BH_SANDBOX_PAGE_SELF_TEST_RUNNING
                       : report->checks == NULL ? BH_SANDBOX_PAGE_SELF_TEST_FAILED
                                                : BH_SANDBOX_PAGE_SELF_TEST_DONE;
  machine->self_test_error = report->error;
  machine->checks = (const BhSandboxPageCheck *) report->page_checks->data;
  machine->n_checks = report->page_checks->len;
}
