/* bh-sandbox-page.c: about:sandbox, generated from /proc when it is opened. */
#include "bh-sandbox-page.h"

#include <unistd.h>

#include "bh-cgroup.h"
#include "bh-error-page.h"
#include "bh-landlock.h"
#include "bh-launcher.h"
#include "bh-launcher-self-test.h"
#include "bh-process-list.h"
#include "bh-sandbox.h"

#define TEMPLATE "/org/bulkhead/Browser/templates/sandbox.html"

static const char *
yes_no (int value, const char *yes, const char *no)
{
  return value < 0 ? "<td>unknown</td>" : value ? yes : no;
}

/* The memory limit as /proc shows it: the address space, each file, the
 * number of files, and a cgroup's memory.max where there is one. */
static void
append_memory_cell (GString *rows, GPid pid, const BhSandboxStatus *status)
{
  guint64 cgroup_max = bh_cgroup_memory_max_of (pid);

  if (status->address_space_limit_bytes == G_MAXUINT64 && cgroup_max == G_MAXUINT64)
    {
      g_string_append (rows, "<td class=\"no\">none</td>");
      return;
    }
  g_string_append (rows, "<td class=\"yes\">");
  if (status->address_space_limit_bytes != G_MAXUINT64)
    g_string_append_printf (rows, "%" G_GUINT64_FORMAT " MiB", status->address_space_limit_bytes >> 20);
  if (cgroup_max != G_MAXUINT64)
    g_string_append_printf (rows, "; cgroup memory.max %" G_GUINT64_FORMAT " MiB", cgroup_max >> 20);
  if (status->file_size_limit_bytes != G_MAXUINT64)
    g_string_append_printf (rows, "; files \xe2\x89\xa4 %" G_GUINT64_FORMAT " MiB", status->file_size_limit_bytes >> 20);
  if (status->open_files_limit != G_MAXUINT64)
    g_string_append_printf (rows, "; \xe2\x89\xa4 %" G_GUINT64_FORMAT " open files", status->open_files_limit);
  g_string_append (rows, "</td>");
}

/* The machine's layers: Landlock and the memory limit, which /proc does not
 * show per process. */
static void
append_layers (GString *layers, const BhLauncherProbe *probe, guint memory_limit_mb, gboolean no_sandbox)
{
  g_autofree char *memory = bh_launcher_describe_memory_limit (memory_limit_mb);
  g_autofree char *memory_html = g_markup_escape_text (memory, -1);
  g_autofree char *landlock = NULL;

  if (no_sandbox)
    landlock = g_strdup ("not used (--no-sandbox)");
  else if (probe->namespaces != BH_LAUNCHER_NAMESPACES_NONE)
    landlock = g_strdup ("not needed: the namespaces show each child only what it needs");
  else if (probe->landlock_abi > 0)
    {
      g_autofree char *what = bh_landlock_describe (probe->landlock_abi);

      landlock = g_strdup_printf ("%s. In place of the namespaces, every child may read only /usr, "
                                  "fontconfig's files and its own executable's directory, from its first "
                                  "instruction on, and connect to no abstract socket nor signal any process "
                                  "outside its domain.", what);
    }
  else
    landlock = g_strdup_printf ("not available: %s. Without namespaces or Landlock, a child reads what its "
                                "user can until its filter closes the filesystem after start-up.",
                                probe->landlock_cause != NULL ? probe->landlock_cause : "unknown");
  {
    g_autofree char *landlock_html = g_markup_escape_text (landlock, -1);

    g_string_append_printf (layers, "<li><b>Landlock:</b> %s</li>\n<li><b>Memory limit:</b> %s</li>\n",
                            landlock_html, memory_html);
  }
}

/* One <tr>, every value escaped. */
static void
append_row (GString *rows, BhProcessInfo *info)
{
  int pid = bh_process_info_get_pid (info);
  BhProcessType type = bh_process_info_get_process_type (info);
  g_autofree char *type_html = g_markup_escape_text (bh_process_type_to_string (type), -1);
  g_autofree char *site_html = g_markup_escape_text (bh_process_info_get_site (info), -1);
  g_autofree char *summary_html = g_markup_escape_text (bh_process_info_get_sandbox (info), -1);
  BhSandboxStatus status;

  g_string_append_printf (rows, "<tr><td>%s</td><td>%s</td><td>%d</td>", type_html, site_html, pid);
  if (type == BH_PROCESS_TYPE_BROWSER)
    {
      g_string_append (rows, "<td colspan=\"4\">trusted: not sandboxed, it is the sandbox's keeper</td>");
    }
  else if (pid > 0 && bh_sandbox_status_read ((guint) pid, &status, NULL))
    {
      g_autofree char *ns = bh_sandbox_namespaces_to_string (status.namespaces);
      g_autofree char *ns_html = g_markup_escape_text (*ns ? ns : "none", -1);

      g_string_append_printf (rows, "<td class=\"%s\">%s</td>", *ns ? "yes" : "no", ns_html);
      g_string_append (rows, status.seccomp_mode == 2   ? "<td class=\"yes\">filter (2)</td>"
                             : status.seccomp_mode == 1 ? "<td class=\"yes\">strict (1)</td>"
                             : status.seccomp_mode == 0 ? "<td class=\"no\">off (0)</td>"
                                                        : "<td>unknown</td>");
      g_string_append (rows, yes_no (status.no_new_privs, "<td class=\"yes\">yes</td>", "<td class=\"no\">no</td>"));
      append_memory_cell (rows, (GPid) pid, &status);
    }
  else
    g_string_append (rows, "<td colspan=\"4\">gone (its /proc entry cannot be read)</td>");
  g_string_append_printf (rows, "<td>%s</td></tr>\n", summary_html);
}

/* ---- the escape self-test, once per browser ------------------------------ */

/* What each attempt of bh_sandbox_self_test() tries, in the page's words. */
static const struct {
  const char *name;
  const char *what;
} attempt_words[] = {
  { "fds", "hold no descriptor but its own four (0-3)" },
  { "dumpable", "be not dumpable, so that no process of its user reads its memory" },
  { "passwd", "read /etc/passwd" },
  { "home", "list the home directory" },
  { "tmp", "create a file in /tmp" },
  { "socket", "open an internet socket" },
  { "exe-write", "open its own executable for writing" },
  { "environ", "read the browser's /proc/PID/environ" },
  { "maps", "read the browser's /proc/PID/maps" },
  { "mem", "open the browser's /proc/PID/mem" },
  { "connect", "connect to a TCP port on 127.0.0.1" },
  { "connect-unix", "connect to an abstract unix socket" },
  { "dgram", "send a datagram to an abstract unix socket" },
  { "dgram-path", "send a datagram to a unix socket file" },
  { "execve", "run /bin/sh" },
  { "fork", "start a process" },
  { "ptrace", "trace the browser" },
  { "kill", "signal the browser" },
  { "unshare", "make a user namespace of its own" },
  { "reconnect", "connect its channel to another socket" },
};

typedef struct {
  gboolean started;
  GPtrArray *checks; /* (element-type BhSandboxCheck) once done */
  char *error;       /* once done, if it could not run */
} SelfTest;

static void
self_test_free (SelfTest *test)
{
  g_clear_pointer (&test->checks, g_ptr_array_unref);
  g_free (test->error);
  g_free (test);
}

typedef struct {
  char *executable;
  guint memory_limit_mb;
} SelfTestJob;

static void
self_test_job_free (SelfTestJob *job)
{
  g_free (job->executable);
  g_free (job);
}

static void
self_test_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const SelfTestJob *job = data;
  const char *args[] = { "--type=renderer", "--site=about:", NULL };
  GError *error = NULL;
  BhLaunchOptions opts;
  GPtrArray *checks;

  bh_launch_options_init (&opts);
  opts.executable = job->executable;
  opts.args = args;
  opts.memory_limit_mb = job->memory_limit_mb;
  /* Its children are waited for before this returns: they die with this
   * thread, not after it. */
  checks = bh_launcher_run_self_test (&opts, &error);
  if (checks == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, checks, (GDestroyNotify) g_ptr_array_unref);
}

static void
self_test_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GWeakRef *browser_ref = data;
  g_autoptr (BhBrowser) browser = g_weak_ref_get (browser_ref);
  g_autoptr (GError) error = NULL;
  GPtrArray *checks = g_task_propagate_pointer (G_TASK (result), &error);

  g_weak_ref_clear (browser_ref);
  g_free (browser_ref);
  if (browser != NULL)
    {
      SelfTest *test = g_object_get_data (G_OBJECT (browser), "bh-sandbox-self-test");

      test->checks = checks;
      if (checks == NULL)
        test->error = g_strdup (error->message);
    }
  else if (checks != NULL)
    g_ptr_array_unref (checks);
}

/* The self-test's state for @browser. */
static SelfTest *
self_test_for (BhBrowser *browser)
{
  SelfTest *test = g_object_get_data (G_OBJECT (browser), "bh-sandbox-self-test");

  if (test == NULL)
    {
      test = g_new0 (SelfTest, 1);
      g_object_set_data_full (G_OBJECT (browser), "bh-sandbox-self-test", test, (GDestroyNotify) self_test_free);
    }
  return test;
}

void
bh_sandbox_page_start_self_test (BhBrowser *browser)
{
  SelfTest *test;

  g_return_if_fail (browser != NULL);

  test = self_test_for (browser);
  if (!test->started && !bh_browser_get_options (browser)->no_sandbox)
    {
      SelfTestJob *job = g_new0 (SelfTestJob, 1);
      GWeakRef *browser_ref = g_new0 (GWeakRef, 1);
      g_autoptr (GTask) task = NULL;

      /* The probes run here, on the main thread, before the thread spawns. */
      bh_launcher_probe ();
      bh_launcher_probe_memory ();
      job->executable = g_strdup (bh_browser_get_renderer_path (browser));
      job->memory_limit_mb = bh_browser_get_options (browser)->renderer_memory_limit_mb;
      g_weak_ref_init (browser_ref, browser);
      task = g_task_new (NULL, NULL, self_test_done_cb, browser_ref);
      g_task_set_task_data (task, job, (GDestroyNotify) self_test_job_free);
      g_task_run_in_thread (task, self_test_thread);
      test->started = TRUE;
    }
}

static const char *
attempt_what (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (attempt_words); i++)
    if (g_str_equal (attempt_words[i].name, name))
      return attempt_words[i].what;
  return name;
}

static void
append_self_test (GString *html, BhBrowser *browser)
{
  SelfTest *test;

  if (bh_browser_get_options (browser)->no_sandbox)
    {
      g_string_append (html, "<p>No escape self-test: there is no sandbox to escape (--no-sandbox).</p>\n");
      return;
    }
  test = self_test_for (browser);
  if (!test->started)
    {
      g_string_append (html, "<p>Not run in this browser yet: it starts when about:sandbox is opened in a "
                             "tab.</p>\n");
      return;
    }
  if (test->checks == NULL && test->error == NULL)
    {
      g_string_append (html, "<p class=\"summary\" id=\"self-test-running\">The escape self-test is running: a "
                             "renderer started for it tries each attempt in this machine's sandbox. Reload in "
                             "a moment to see the results.</p>\n");
      return;
    }
  if (test->error != NULL)
    {
      g_autofree char *error_html = g_markup_escape_text (test->error, -1);

      g_string_append_printf (html, "<p class=\"warning\">The escape self-test could not run: %s</p>\n",
                              error_html);
      return;
    }
  g_string_append (html, "<table border=\"1\" cellspacing=\"0\" id=\"self-test\">\n"
                         "<tr><th>Attempt</th><th>The renderer tries to</th><th>Result</th></tr>\n");
  for (guint i = 0; i < test->checks->len; i++)
    {
      const BhSandboxCheck *check = g_ptr_array_index (test->checks, i);
      g_autofree char *name_html = g_markup_escape_text (check->name, -1);
      g_autofree char *what_html = g_markup_escape_text (attempt_what (check->name), -1);
      g_autofree char *detail_html = g_markup_escape_text (check->detail, -1);

      g_string_append_printf (html, "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td></tr>\n", name_html,
                              what_html, check->passed ? "yes" : "no", detail_html);
    }
  g_string_append (html, "</table>\n");
}

GBytes *
bh_sandbox_page_render (BhBrowser *browser)
{
  BhProcessList *list = bh_process_list_get_for_browser (browser);
  const BhLauncherProbe *probe = bh_launcher_probe ();
  g_autoptr (GBytes) template = g_resources_lookup_data (TEMPLATE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) raw = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) rows = g_string_new (NULL);
  g_autoptr (GString) warning = g_string_new (NULL);
  g_autoptr (GString) layers = g_string_new (NULL);
  g_autoptr (GString) self_test = g_string_new (NULL);
  g_autofree char *template_text = NULL;
  g_autofree char *summary = NULL;
  char *html;

  g_return_val_if_fail (template != NULL, NULL);

  bh_process_list_refresh (list);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (list), i);
      if (bh_process_info_is_alive (info))
        append_row (rows, info);
    }

  if (bh_browser_get_options (browser)->no_sandbox)
    {
      summary = g_strdup ("Both layers are off: the browser was started with --no-sandbox.");
      g_string_append (warning, "<p class=\"warning\">Web pages run unconfined. Restart without "
                                "<code>--no-sandbox</code> to confine them.</p>");
    }
  else
    {
      summary = g_strdup_printf ("This machine: %s.", probe->summary);
      if (probe->cause != NULL)
        {
          g_autofree char *cause = g_markup_escape_text (probe->cause, -1);
          g_autofree char *fix = g_markup_escape_text (probe->fix ? probe->fix : "", -1);
          g_string_append_printf (warning, "<p class=\"warning\"><b>Why a layer is missing:</b> %s<br>"
                                           "<b>How to fix it:</b> %s</p>", cause, fix);
        }
    }

  append_layers (layers, probe, bh_browser_get_options (browser)->renderer_memory_limit_mb,
                 bh_browser_get_options (browser)->no_sandbox);
  append_self_test (self_test, browser);
  template_text = g_strndup (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
  g_hash_table_insert (values, "summary", summary);
  g_hash_table_insert (raw, "warning", warning->str);
  g_hash_table_insert (raw, "rows", rows->str);
  g_hash_table_insert (raw, "layers", layers->str);
  g_hash_table_insert (raw, "self_test", self_test->str);
  html = bh_template_expand_table (template_text, values, raw);
  return g_bytes_new_take (html, strlen (html));
}
