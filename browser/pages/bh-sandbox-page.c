/* bh-sandbox-page.c: about:sandbox, generated from /proc when it is opened. */
#include "bh-sandbox-page.h"

#include <unistd.h>

#include "bh-cgroup.h"
#include "bh-error-page.h"
#include "bh-landlock.h"
#include "bh-launcher.h"
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
  template_text = g_strndup (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
  g_hash_table_insert (values, "summary", summary);
  g_hash_table_insert (raw, "warning", warning->str);
  g_hash_table_insert (raw, "rows", rows->str);
  g_hash_table_insert (raw, "layers", layers->str);
  html = bh_template_expand_table (template_text, values, raw);
  return g_bytes_new_take (html, strlen (html));
}
