/* bh-bidi-processes.c: renderer and plugin host terminations, as
 * bulkhead:process.terminated events.
 */
#include "bh-bidi-server-private.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Renderers. */

/* The "(SIGKILL)" at the end of a termination message, as a number. */
static int
signal_from_message (const char *message)
{
  const char *start = message != NULL ? strrchr (message, '(') : NULL;
  g_autofree char *name = NULL;
  const char *end;

  if (start == NULL || !g_str_has_prefix (start, "(SIG"))
    return 0;
  end = strchr (start, ')');
  if (end == NULL)
    return 0;
  name = g_strndup (start + 4, (gsize) (end - start - 4));
  for (int signo = 1; signo < NSIG; signo++)
    {
      const char *abbrev = sigabbrev_np (signo);

      if (abbrev != NULL && g_str_equal (abbrev, name))
        return signo;
    }
  return 0;
}

static int
exit_code_from_message (const char *message, gboolean *out_found)
{
  const char *at = message != NULL ? strstr (message, "exited with code ") : NULL;

  *out_found = at != NULL;
  return at != NULL ? atoi (at + strlen ("exited with code ")) : 0;
}

/* bulkhead:process.terminated for a renderer ("site") or a plugin host
 * ("pluginType"). BhRendererHost and BhPluginHost give the end as a status
 * and a sentence; the signal or the exit code is in the sentence. */
static void
emit_terminated (BhBidiServer *self, int pid, const char *type, const char *label_name,
                 const char *label, BhTerminationStatus status, const char *message,
                 const char * const *contexts)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  int signo = 0;
  int exit_code = 0;
  gboolean have_exit_code = FALSE;

  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      signo = signal_from_message (message);
      if (signo == 0)
        signo = GPOINTER_TO_INT (g_hash_table_lookup (self->sent_signals, GINT_TO_POINTER (pid)));
      if (signo == 0 && status != BH_TERMINATION_STATUS_CRASHED)
        signo = SIGKILL; /* the host's own kill, as for a bad message */
      break;
    case BH_TERMINATION_STATUS_NORMAL:
      have_exit_code = TRUE;
      break;
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
    case BH_TERMINATION_STATUS_OOM:
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      exit_code = exit_code_from_message (message, &have_exit_code);
      if (!have_exit_code)
        signo = signal_from_message (message);
      break;
    }
  g_hash_table_remove (self->sent_signals, GINT_TO_POINTER (pid));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, pid);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, label_name);
  json_builder_add_string_value (builder, label);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bh_termination_status_to_string (status));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message != NULL ? message : "");
  if (signo != 0)
    {
      json_builder_set_member_name (builder, "signal");
      json_builder_add_int_value (builder, signo);
    }
  else if (have_exit_code)
    {
      json_builder_set_member_name (builder, "exitCode");
      json_builder_add_int_value (builder, exit_code);
    }
  json_builder_set_member_name (builder, "contexts");
  json_builder_begin_array (builder);
  for (gsize i = 0; contexts[i] != NULL; i++)
    json_builder_add_string_value (builder, contexts[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  /* Subscribed to the process module for one of its contexts, or globally. */
  bh_bidi_server_emit_event (self, "bulkhead:process.terminated", contexts, json_builder_get_root (builder));
}

static void
host_terminated_cb (BhRendererHost *host, BhTerminationStatus status, const char *message,
                    gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GStrvBuilder) contexts_builder = g_strv_builder_new ();
  g_auto (GStrv) contexts = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tabs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TabWatch *watch = value;

      if (watch->host == host)
        {
          g_strv_builder_add (contexts_builder, watch->context);
          g_clear_object (&watch->host);
        }
    }
  contexts = g_strv_builder_end (contexts_builder);
  emit_terminated (self, bh_renderer_host_get_pid (host), "renderer", "site",
                   bh_renderer_host_get_site (host), status, message,
                   (const char * const *) contexts);
}

void
bh_bidi_watch_host (BhBidiServer *self, BhRendererHost *host)
{
  if (g_hash_table_contains (self->hosts, host))
    return;
  g_hash_table_add (self->hosts, g_object_ref (host));
  g_signal_connect (host, "terminated", G_CALLBACK (host_terminated_cb), self);
}

void
bh_bidi_host_added_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data)
{
  bh_bidi_watch_host (data, host);
}

void
bh_bidi_host_removed_cb (BhProcessManager *processes, BhRendererHost *host, gpointer data)
{
  BhBidiServer *self = data;

  if (g_hash_table_contains (self->hosts, host))
    {
      g_signal_handlers_disconnect_by_data (host, self);
      g_hash_table_remove (self->hosts, host);
    }
}

/* Plugin hosts. Like a renderer host, a plugin host has forgotten the tabs
 * it served by the time it says "terminated": they are remembered here,
 * refreshed whenever its instances change while it lives. */

struct _PluginWatch {
  BhBidiServer *server;
  BhPluginHost *host; /* a reference */
  GStrv contexts;     /* the tabs it served last, as contexts */
};

static void
plugin_watch_snapshot (PluginWatch *watch)
{
  g_autoptr (GPtrArray) tabs = bh_plugin_host_get_tabs (watch->host);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < tabs->len; i++)
    {
      g_autofree char *context = bh_bidi_context_for_tab (g_ptr_array_index (tabs, i));

      g_strv_builder_add (builder, context);
    }
  g_strfreev (watch->contexts);
  watch->contexts = g_strv_builder_end (builder);
}

static void
plugin_instances_cb (BhPluginHost *host, GParamSpec *pspec, gpointer data)
{
  PluginWatch *watch = data;

  /* While it dies its instances go first: keep the last live picture. */
  if (bh_plugin_host_is_alive (host))
    plugin_watch_snapshot (watch);
}

static void
plugin_terminated_cb (BhPluginHost *host, BhTerminationStatus status, const char *message,
                      gpointer data)
{
  PluginWatch *watch = data;

  emit_terminated (watch->server, bh_plugin_host_get_pid (host), "plugin", "pluginType",
                   bh_plugin_host_get_plugin_type (host), status, message,
                   (const char * const *) watch->contexts);
}

void
bh_bidi_plugin_watch_free (PluginWatch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->host, watch);
  g_clear_object (&watch->host);
  g_strfreev (watch->contexts);
  g_free (watch);
}

/* The browser's plugin host list changed: follow the hosts in it. */
void
bh_bidi_plugin_hosts_changed_cb (GListModel *hosts, guint position, guint removed, guint added,
                         gpointer data)
{
  BhBidiServer *self = data;
  g_autoptr (GHashTable) present = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (hosts, i);

      g_hash_table_add (present, host);
      if (!g_hash_table_contains (self->plugin_hosts, host))
        {
          PluginWatch *watch = g_new0 (PluginWatch, 1);

          watch->server = self;
          watch->host = g_object_ref (host);
          plugin_watch_snapshot (watch);
          g_signal_connect (host, "notify::instance-count", G_CALLBACK (plugin_instances_cb),
                            watch);
          g_signal_connect (host, "terminated", G_CALLBACK (plugin_terminated_cb), watch);
          g_hash_table_insert (self->plugin_hosts, host, watch);
        }
    }
  g_hash_table_iter_init (&iter, self->plugin_hosts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
}

void
bh_bidi_server_note_signal (BhBidiServer *self, int pid, int signo)
{
  g_return_if_fail (BH_IS_BIDI_SERVER (self));

  g_hash_table_insert (self->sent_signals, GINT_TO_POINTER (pid), GINT_TO_POINTER (signo));
}
