/* bh-bidi-bulkhead.c: Bulkhead's own "bulkhead:process" module: the
 * process list the task manager shows, and killing a child.
 */
#include "bh-bidi-private.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "bh-plugin-host.h"
#include "bh-process-list.h"
#include "bh-renderer-host.h"
#include "bh-trace.h"

/* bulkhead:process */

static void
add_strings (JsonBuilder *builder, const char *name, const char * const *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (gsize i = 0; strings != NULL && strings[i] != NULL; i++)
    json_builder_add_string_value (builder, strings[i]);
  json_builder_end_array (builder);
}

static void
add_figures (JsonBuilder *builder, guint64 rss_kib, guint64 messages_in, guint64 messages_out,
             const char *sandbox, gboolean alive, const char *status)
{
  json_builder_set_member_name (builder, "rssKiB");
  json_builder_add_int_value (builder, (gint64) rss_kib);
  json_builder_set_member_name (builder, "messagesIn");
  json_builder_add_int_value (builder, (gint64) messages_in);
  json_builder_set_member_name (builder, "messagesOut");
  json_builder_add_int_value (builder, (gint64) messages_out);
  json_builder_set_member_name (builder, "sandbox");
  json_builder_add_string_value (builder, sandbox);
  json_builder_set_member_name (builder, "alive");
  json_builder_add_boolean_value (builder, alive);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
}

/* One row of the process list the task manager shows (bh-process-list.h). */
static void
add_process_info (JsonBuilder *builder, BhProcessInfo *info)
{
  BhProcessType type = bh_process_info_get_process_type (info);
  guint64 messages_in = 0;
  guint64 messages_out = 0;

  bh_process_info_get_message_counts (info, &messages_in, &messages_out);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, bh_process_info_get_pid (info));
  json_builder_set_member_name (builder, "type");
  switch (type)
    {
    case BH_PROCESS_TYPE_BROWSER:
      json_builder_add_string_value (builder, "browser");
      break;
    case BH_PROCESS_TYPE_PLUGIN_HOST:
      json_builder_add_string_value (builder, "plugin");
      json_builder_set_member_name (builder, "pluginType");
      json_builder_add_string_value (builder, bh_process_info_get_site (info));
      break;
    case BH_PROCESS_TYPE_RENDERER:
    default:
      json_builder_add_string_value (builder, "renderer");
      json_builder_set_member_name (builder, "site");
      json_builder_add_string_value (builder, bh_process_info_get_site (info));
      break;
    }
  add_strings (builder, "contexts", bh_process_info_get_tab_ids (info));
  add_figures (builder, bh_process_info_get_rss_kib (info), messages_in, messages_out,
               bh_process_info_get_sandbox (info), bh_process_info_is_alive (info),
               bh_process_info_get_status (info));
  json_builder_set_member_name (builder, "pssKiB");
  json_builder_add_int_value (builder, bh_process_info_get_pss_kib (info));
  json_builder_set_member_name (builder, "cpuPercent");
  json_builder_add_double_value (builder, bh_process_info_get_cpu_percent (info));
  json_builder_end_object (builder);
}

static void
process_list (BhBidiCommand *command)
{
  BhBrowser *browser = bh_bidi_server_get_browser (command->server);
  BhProcessList *list = bh_process_list_get_for_browser (browser);
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  /* The same rows as the task manager's, read afresh: the browser itself
   * (with every context: it hosts them all), then each renderer and plugin
   * host. */
  bh_process_list_refresh (list);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "processes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (bh_process_info_get_process_type (info) != BH_PROCESS_TYPE_BROWSER)
        {
          add_process_info (builder, info);
          continue;
        }
      /* The browser's row lists no tabs in the task manager; here it has them all. */
      {
        GListModel *tabs = bh_browser_get_tabs (browser);
        g_autoptr (GStrvBuilder) contexts = g_strv_builder_new ();
        g_auto (GStrv) strings = NULL;
        guint64 messages_in = 0;
        guint64 messages_out = 0;

        for (guint j = 0; j < g_list_model_get_n_items (tabs); j++)
          {
            g_autoptr (BhTab) tab = g_list_model_get_item (tabs, j);
            g_autofree char *context = bh_bidi_context_for_tab (tab);

            g_strv_builder_add (contexts, context);
          }
        strings = g_strv_builder_end (contexts);
        bh_process_info_get_message_counts (info, &messages_in, &messages_out);
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "pid");
        json_builder_add_int_value (builder, bh_process_info_get_pid (info));
        json_builder_set_member_name (builder, "type");
        json_builder_add_string_value (builder, "browser");
        add_strings (builder, "contexts", (const char * const *) strings);
        add_figures (builder, bh_process_info_get_rss_kib (info), messages_in, messages_out,
                     "none (the browser process is trusted)", TRUE,
                     bh_process_info_get_status (info));
        json_builder_set_member_name (builder, "pssKiB");
        json_builder_add_int_value (builder, bh_process_info_get_pss_kib (info));
        json_builder_set_member_name (builder, "cpuPercent");
        json_builder_add_double_value (builder, bh_process_info_get_cpu_percent (info));
        /* Whether channels are building trace events (--ipc-debug or a
         * bulkhead:ipc.message subscriber): what tracing costs now. */
        json_builder_set_member_name (builder, "ipcTraceEnabled");
        json_builder_add_boolean_value (builder, bh_trace_is_enabled ());
        json_builder_end_object (builder);
      }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bh_bidi_command_return (command, json_builder_get_root (builder));
}

/* "SIGKILL", "KILL", "sigkill" or 9. */
static gboolean
param_signal (BhBidiCommand *command, int *out)
{
  JsonNode *node = json_object_get_member (command->params, "signal");

  *out = SIGTERM; /* as kill(1) */
  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 number = json_node_get_int (node);

      if (number >= 1 && number < NSIG)
        {
          *out = (int) number;
          return TRUE;
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *name = g_ascii_strup (json_node_get_string (node), -1);
      const char *bare = g_str_has_prefix (name, "SIG") ? name + 3 : name;

      for (int signo = 1; signo < NSIG; signo++)
        {
          const char *abbrev = sigabbrev_np (signo);

          if (abbrev != NULL && g_str_equal (abbrev, bare))
            {
              *out = signo;
              return TRUE;
            }
        }
    }
  bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                        "\"signal\" must be a signal number from 1 to %d or a name such as "
                        "\"SIGKILL\"", NSIG - 1);
  return FALSE;
}

static void
process_kill (BhBidiCommand *command)
{
  BhBrowser *browser = bh_bidi_server_get_browser (command->server);
  GListModel *hosts = bh_browser_get_renderer_hosts (browser);
  GListModel *plugin_hosts = bh_browser_get_plugin_hosts (browser);
  g_autoptr (BhRendererHost) target = NULL;
  g_autoptr (BhPluginHost) plugin_target = NULL;
  gint64 pid;
  int signo;

  if (!bh_bidi_param_integer (command, "pid", &pid) || !param_signal (command, &signo))
    return;
  if (pid == getpid ())
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "%" G_GINT64_FORMAT " is the browser itself: use browser.close", pid);
      return;
    }
  /* Only processes the browser spawned and has not yet seen die: never a
   * pid that another process may have been given since. */
  for (guint i = 0; i < g_list_model_get_n_items (hosts) && target == NULL; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);

      if (bh_renderer_host_is_alive (host) && bh_renderer_host_get_pid (host) > 0 &&
          bh_renderer_host_get_pid (host) == pid)
        target = g_steal_pointer (&host);
    }
  for (guint i = 0; i < g_list_model_get_n_items (plugin_hosts) && target == NULL &&
                    plugin_target == NULL; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (plugin_hosts, i);

      if (bh_plugin_host_is_alive (host) && bh_plugin_host_get_pid (host) > 0 &&
          bh_plugin_host_get_pid (host) == pid)
        plugin_target = g_steal_pointer (&host);
    }
  if (target == NULL && plugin_target == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "%" G_GINT64_FORMAT " is not a live renderer or plugin host of this "
                            "browser", pid);
      return;
    }

  if (signo == SIGKILL && target != NULL)
    {
      /* The task manager's End process: the tabs learn it at once. */
      bh_renderer_host_kill (target, BH_TERMINATION_STATUS_KILLED, NULL);
    }
  else if (signo == SIGKILL)
    bh_plugin_host_kill (plugin_target, BH_TERMINATION_STATUS_KILLED, NULL);
  else
    {
      bh_bidi_server_note_signal (command->server, (int) pid, signo);
      if (kill ((pid_t) pid, signo) < 0)
        {
          int saved_errno = errno;

          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "kill: %s",
                                g_strerror (saved_errno));
          return;
        }
    }
  bh_bidi_command_return (command, NULL);
}


const BhBidiCommandEntry bh_bidi_bulkhead_commands[] = {
  { "bulkhead:process.list", process_list },
  { "bulkhead:process.kill", process_kill },
  { NULL, NULL }
};
