/* bh-sandbox-page.c: about:sandbox, generated from /proc when it is opened. */
#include "bh-sandbox-page.h"

#include <unistd.h>

#include <gio/gio.h>
#include <string.h>

#include "bh-page-template.h"
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
append_memory_cell (GString *rows, const BhSandboxStatus *status)
{
  if (status->address_space_limit_bytes == G_MAXUINT64 && status->memory_max_bytes == G_MAXUINT64)
    {
      g_string_append (rows, "<td class=\"no\">none</td>");
      return;
    }
  g_string_append (rows, "<td class=\"yes\">");
  if (status->address_space_limit_bytes != G_MAXUINT64)
    g_string_append_printf (rows, "%" G_GUINT64_FORMAT " MiB", status->address_space_limit_bytes >> 20);
  if (status->memory_max_bytes != G_MAXUINT64)
    g_string_append_printf (rows, "; cgroup memory.max %" G_GUINT64_FORMAT " MiB", status->memory_max_bytes >> 20);
  if (status->file_size_limit_bytes != G_MAXUINT64)
    g_string_append_printf (rows, "; files \xe2\x89\xa4 %" G_GUINT64_FORMAT " MiB", status->file_size_limit_bytes >> 20);
  if (status->open_files_limit != G_MAXUINT64)
    g_string_append_printf (rows, "; \xe2\x89\xa4 %" G_GUINT64_FORMAT " open files", status->open_files_limit);
  g_string_append (rows, "</td>");
}

/* One <tr>, every value escaped. */
static void
append_row (GString *rows, const BhSandboxPageProcess *process)
{
  int pid = process->pid;
  g_autofree char *type_html = g_markup_escape_text (process->type, -1);
  g_autofree char *site_html = g_markup_escape_text (process->site, -1);
  g_autofree char *summary_html = g_markup_escape_text (process->sandbox, -1);
  BhSandboxStatus status;

  g_string_append_printf (rows, "<tr><td>%s</td><td>%s</td><td>%d</td>", type_html, site_html, pid);
  if (process->trusted)
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
      append_memory_cell (rows, &status);
    }
  else
    g_string_append (rows, "<td colspan=\"4\">gone (its /proc entry cannot be read)</td>");
  g_string_append_printf (rows, "<td>%s</td></tr>\n", summary_html);
}

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

static const char *
attempt_what (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (attempt_words); i++)
    if (g_str_equal (attempt_words[i].name, name))
      return attempt_words[i].what;
  return name;
}

static void
append_self_test (GString *html, gboolean no_sandbox, const BhSandboxPageMachine *machine)
{
  if (no_sandbox)
    {
      g_string_append (html, "<p>No escape self-test: there is no sandbox to escape (--no-sandbox).</p>\n");
      return;
    }
  switch (machine->self_test)
    {
    case BH_SANDBOX_PAGE_SELF_TEST_NOT_STARTED:
      g_string_append (html, "<p>Not run in this browser yet: it starts when about:sandbox is opened in a "
                             "tab.</p>\n");
      return;
    case BH_SANDBOX_PAGE_SELF_TEST_RUNNING:
      g_string_append (html, "<p class=\"summary\" id=\"self-test-running\">The escape self-test is running: a "
                             "renderer started for it tries each attempt in this machine's sandbox. Reload in "
                             "a moment to see the results.</p>\n");
      return;
    case BH_SANDBOX_PAGE_SELF_TEST_FAILED:
      {
        g_autofree char *error_html =
          g_markup_escape_text (machine->self_test_error != NULL ? machine->self_test_error : "unknown", -1);

        g_string_append_printf (html, "<p class=\"warning\">The escape self-test could not run: %s</p>\n",
                                error_html);
      }
      return;
    case BH_SANDBOX_PAGE_SELF_TEST_DONE:
      break;
    }
  g_string_append (html, "<table border=\"1\" cellspacing=\"0\" id=\"self-test\">\n"
                         "<tr><th>Attempt</th><th>The renderer tries to</th><th>Result</th></tr>\n");
  for (guint i = 0; i < machine->n_checks; i++)
    {
      const BhSandboxPageCheck *check = &machine->checks[i];
      g_autofree char *name_html = g_markup_escape_text (check->name, -1);
      g_autofree char *what_html = g_markup_escape_text (attempt_what (check->name), -1);
      g_autofree char *detail_html = g_markup_escape_text (check->detail, -1);

      g_string_append_printf (html, "<tr><td>%s</td><td>%s</td><td class=\"%s\">%s</td></tr>\n", name_html,
                              what_html, check->passed ? "yes" : "no", detail_html);
    }
  g_string_append (html, "</table>\n");
}

GBytes *
bh_sandbox_page_render (const BhSandboxPageProcess *processes, guint n_processes, gboolean no_sandbox,
                        const BhSandboxPageMachine *machine)
{
  g_autoptr (GBytes) template = g_resources_lookup_data (TEMPLATE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) raw = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) rows = g_string_new (NULL);
  g_autoptr (GString) warning = g_string_new (NULL);
  g_autoptr (GString) layers = g_string_new (NULL);
  g_autoptr (GString) self_test = g_string_new (NULL);
  g_autofree char *landlock_html = NULL;
  g_autofree char *memory_html = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *summary = NULL;
  char *html;

  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (machine != NULL, NULL);

  for (guint i = 0; i < n_processes; i++)
    append_row (rows, &processes[i]);

  if (no_sandbox)
    {
      summary = g_strdup ("Both layers are off: the browser was started with --no-sandbox.");
      g_string_append (warning, "<p class=\"warning\">Web pages run unconfined. Restart without "
                                "<code>--no-sandbox</code> to confine them.</p>");
    }
  else
    {
      summary = g_strdup_printf ("This machine: %s.", machine->summary);
      if (machine->cause != NULL)
        {
          g_autofree char *cause = g_markup_escape_text (machine->cause, -1);
          g_autofree char *fix = g_markup_escape_text (machine->fix ? machine->fix : "", -1);
          g_string_append_printf (warning, "<p class=\"warning\"><b>Why a layer is missing:</b> %s<br>"
                                           "<b>How to fix it:</b> %s</p>", cause, fix);
        }
    }

  landlock_html = g_markup_escape_text (machine->landlock, -1);
  memory_html = g_markup_escape_text (machine->memory_limit, -1);
  g_string_append_printf (layers, "<li><b>Landlock:</b> %s</li>\n<li><b>Memory limit:</b> %s</li>\n", landlock_html,
                          memory_html);
  append_self_test (self_test, no_sandbox, machine);
  template_text = g_strndup (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
  g_hash_table_insert (values, "summary", summary);
  g_hash_table_insert (raw, "warning", warning->str);
  g_hash_table_insert (raw, "rows", rows->str);
  g_hash_table_insert (raw, "layers", layers->str);
  g_hash_table_insert (raw, "self_test", self_test->str);
  html = bh_template_expand_table (template_text, values, raw);
  return g_bytes_new_take (html, strlen (html));
}
