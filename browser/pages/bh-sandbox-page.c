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
      if (status.address_space_limit_bytes == G_MAXUINT64)
        g_string_append (rows, "<td class=\"no\">none</td>");
      else
        g_string_append_printf (rows, "<td class=\"yes\">%" G_GUINT64_FORMAT " MiB</td>",
                                status.address_space_limit_bytes / (1024 * 1024));
    }
  else
    g_string_append (rows, "<td colspan=\"4\">gone (its /proc entry cannot be read)</td>");
  g_string_append_printf (rows, "<td>%s</td></tr>\n", summary_html);
}

GBytes *
bh_sandbox_page_render (const BhSandboxPageProcess *processes, guint n_processes, gboolean no_sandbox,
                        const char *machine_summary, const char *machine_cause, const char *machine_fix)
{
  g_autoptr (GBytes) template = g_resources_lookup_data (TEMPLATE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) raw = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) rows = g_string_new (NULL);
  g_autoptr (GString) warning = g_string_new (NULL);
  g_autofree char *template_text = NULL;
  g_autofree char *summary = NULL;
  char *html;

  g_return_val_if_fail (template != NULL, NULL);

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
      summary = g_strdup_printf ("This machine: %s.", machine_summary);
      if (machine_cause != NULL)
        {
          g_autofree char *cause = g_markup_escape_text (machine_cause, -1);
          g_autofree char *fix = g_markup_escape_text (machine_fix ? machine_fix : "", -1);
          g_string_append_printf (warning, "<p class=\"warning\"><b>Why a layer is missing:</b> %s<br>"
                                           "<b>How to fix it:</b> %s</p>", cause, fix);
        }
    }

  template_text = g_strndup (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
  g_hash_table_insert (values, "summary", summary);
  g_hash_table_insert (raw, "warning", warning->str);
  g_hash_table_insert (raw, "rows", rows->str);
  html = bh_template_expand_table (template_text, values, raw);
  return g_bytes_new_take (html, strlen (html));
}
