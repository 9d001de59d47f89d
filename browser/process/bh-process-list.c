/* bh-process-list.c: the rows of the task manager and of bulkhead:process.list.
 *
 * A row keeps its BhProcessInfo object for as long as its process is
 * listed, so that a selection or a bound label follows it across refreshes;
 * a refresh only sets properties that changed, and reports added and
 * removed rows as one items-changed over the span that differs.
 */
#include "bh-process-list.h"

#include <string.h>
#include <unistd.h>

#include "bh-plugin-host.h"
#include "bh-renderer-host.h"
#include "bh-tab.h"

#define BROWSER_DATA_KEY "bh-process-list"

G_DEFINE_ENUM_TYPE (BhProcessType, bh_process_type,
                    G_DEFINE_ENUM_VALUE (BH_PROCESS_TYPE_BROWSER, "browser"),
                    G_DEFINE_ENUM_VALUE (BH_PROCESS_TYPE_RENDERER, "renderer"),
                    G_DEFINE_ENUM_VALUE (BH_PROCESS_TYPE_PLUGIN_HOST, "plugin-host"))

const char *
bh_process_type_to_string (BhProcessType type)
{
  GEnumClass *klass = g_type_class_ref (BH_TYPE_PROCESS_TYPE);
  GEnumValue *value = g_enum_get_value (klass, type);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

/* ---- /proc ------------------------------------------------------------ */

/* A "Key:   1234 kB" line of a proc(5) file, in KiB; -1 when absent. */
static gint64
read_kib_field (const char *path, const char *key)
{
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  if (g_str_has_prefix (contents, needle + 1))
    line = contents + strlen (needle + 1);
  else if ((line = strstr (contents, needle)) != NULL)
    line += strlen (needle);
  else
    return -1;
  return (gint64) g_ascii_strtoull (line, NULL, 10);
}

/* utime + stime of /proc/PID/stat (fields 14 and 15, proc(5)), in clock
 * ticks. The command name (field 2) may hold spaces and parentheses: the
 * fields are counted from its last ')'. */
static gboolean
read_cpu_ticks (int pid, guint64 *out_ticks)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after_comm;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (after_comm = strrchr (contents, ')')) == NULL)
    return FALSE;
  fields = g_strsplit (after_comm + 1, " ", 0);
  /* fields[0] is the empty string before field 3: utime is fields[12]. */
  if (g_strv_length (fields) < 14)
    return FALSE;
  *out_ticks = g_ascii_strtoull (fields[12], NULL, 10) + g_ascii_strtoull (fields[13], NULL, 10);
  return TRUE;
}

/* ---- BhProcessInfo ---------------------------------------------------- */

struct _BhProcessInfo {
  GObject parent_instance;

  BhProcessType type;
  GObject *source;  /* the BhRendererHost; NULL for the browser */
  int pid;
  char *site;
  GStrv tab_titles;
  GStrv tab_ids;
  guint64 rss_kib;
  gint64 pss_kib;
  double cpu_percent;
  guint64 messages_in;
  guint64 messages_out;
  char *sandbox;
  gboolean sandbox_read; /* describing it reads a dozen /proc files: once is enough */
  gboolean alive;
  char *status;

  guint64 last_cpu_ticks;
  gint64 last_sample_us; /* 0 before the first sample */
};

G_DEFINE_FINAL_TYPE (BhProcessInfo, bh_process_info, G_TYPE_OBJECT)

enum {
  INFO_PROP_0,
  INFO_PROP_PROCESS_TYPE,
  INFO_PROP_PID,
  INFO_PROP_SITE,
  INFO_PROP_TAB_TITLES,
  INFO_PROP_TAB_IDS,
  INFO_PROP_RSS_KIB,
  INFO_PROP_PSS_KIB,
  INFO_PROP_CPU_PERCENT,
  INFO_PROP_MESSAGES_IN,
  INFO_PROP_MESSAGES_OUT,
  INFO_PROP_SANDBOX,
  INFO_PROP_ALIVE,
  INFO_PROP_STATUS,
  INFO_PROP_CAN_END,
  INFO_N_PROPS
};

static GParamSpec *info_properties[INFO_N_PROPS];

static void
info_notify (BhProcessInfo *self, guint prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), info_properties[prop]);
}

static void
info_set_string (BhProcessInfo *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  info_notify (self, prop);
}

static void
info_take_strv (BhProcessInfo *self, GStrv *field, GStrv value, guint prop)
{
  if (*field != NULL && g_strv_equal ((const char * const *) *field, (const char * const *) value))
    {
      g_strfreev (value);
      return;
    }
  g_strfreev (*field);
  *field = value;
  info_notify (self, prop);
}

#define INFO_SET(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        info_notify ((self), (prop)); \
      } \
  } G_STMT_END

static void
info_set_alive (BhProcessInfo *self, gboolean alive)
{
  if (self->alive == alive)
    return;
  self->alive = alive;
  info_notify (self, INFO_PROP_ALIVE);
  info_notify (self, INFO_PROP_CAN_END);
}

/* Memory and CPU of a live process. */
static void
info_sample_proc (BhProcessInfo *self, int pid)
{
  g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *smaps_path = g_strdup_printf ("/proc/%d/smaps_rollup", pid);
  gint64 rss_kib = read_kib_field (status_path, "VmRSS");
  gint64 pss_kib = read_kib_field (smaps_path, "Pss");
  gint64 now_us = g_get_monotonic_time ();
  guint64 ticks = 0;
  double cpu_percent = self->cpu_percent;

  INFO_SET (self, rss_kib, (guint64) MAX (rss_kib, 0), INFO_PROP_RSS_KIB);
  INFO_SET (self, pss_kib, pss_kib, INFO_PROP_PSS_KIB);
  if (read_cpu_ticks (pid, &ticks))
    {
      if (self->last_sample_us != 0 && now_us > self->last_sample_us && ticks >= self->last_cpu_ticks)
        {
          double seconds = (now_us - self->last_sample_us) / (double) G_USEC_PER_SEC;
          double cpu_seconds = (ticks - self->last_cpu_ticks) / (double) sysconf (_SC_CLK_TCK);

          cpu_percent = 100.0 * cpu_seconds / seconds;
        }
      self->last_cpu_ticks = ticks;
      self->last_sample_us = now_us;
    }
  INFO_SET (self, cpu_percent, cpu_percent, INFO_PROP_CPU_PERCENT);
}

/* A dead process has no figures; its pid may already be another's. */
static void
info_clear_proc (BhProcessInfo *self)
{
  INFO_SET (self, rss_kib, (guint64) 0, INFO_PROP_RSS_KIB);
  INFO_SET (self, pss_kib, (gint64) -1, INFO_PROP_PSS_KIB);
  INFO_SET (self, cpu_percent, -1.0, INFO_PROP_CPU_PERCENT);
  self->last_sample_us = 0;
}

BhProcessType
bh_process_info_get_process_type (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), BH_PROCESS_TYPE_BROWSER);
  return self->type;
}

int
bh_process_info_get_pid (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), 0);
  return self->pid;
}

const char *
bh_process_info_get_site (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), NULL);
  return self->site != NULL ? self->site : "";
}

const char * const *
bh_process_info_get_tab_titles (BhProcessInfo *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), none);
  return self->tab_titles != NULL ? (const char * const *) self->tab_titles : none;
}

const char * const *
bh_process_info_get_tab_ids (BhProcessInfo *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), none);
  return self->tab_ids != NULL ? (const char * const *) self->tab_ids : none;
}

guint64
bh_process_info_get_rss_kib (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), 0);
  return self->rss_kib;
}

gint64
bh_process_info_get_pss_kib (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), -1);
  return self->pss_kib;
}

double
bh_process_info_get_cpu_percent (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), -1.0);
  return self->cpu_percent;
}

void
bh_process_info_get_message_counts (BhProcessInfo *self, guint64 *out_in, guint64 *out_out)
{
  g_return_if_fail (BH_IS_PROCESS_INFO (self));

  if (out_in != NULL)
    *out_in = self->messages_in;
  if (out_out != NULL)
    *out_out = self->messages_out;
}

const char *
bh_process_info_get_sandbox (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), NULL);
  return self->sandbox != NULL ? self->sandbox : "";
}

gboolean
bh_process_info_is_alive (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), FALSE);
  return self->alive;
}

const char *
bh_process_info_get_status (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), NULL);
  return self->status != NULL ? self->status : "";
}

gboolean
bh_process_info_can_end (BhProcessInfo *self)
{
  g_return_val_if_fail (BH_IS_PROCESS_INFO (self), FALSE);
  return self->type != BH_PROCESS_TYPE_BROWSER && self->alive;
}

static void
bh_process_info_finalize (GObject *object)
{
  BhProcessInfo *self = BH_PROCESS_INFO (object);

  g_clear_object (&self->source);
  g_free (self->site);
  g_strfreev (self->tab_titles);
  g_strfreev (self->tab_ids);
  g_free (self->sandbox);
  g_free (self->status);
  G_OBJECT_CLASS (bh_process_info_parent_class)->finalize (object);
}

static void
bh_process_info_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhProcessInfo *self = BH_PROCESS_INFO (object);

  switch (prop_id)
    {
    case INFO_PROP_PROCESS_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case INFO_PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case INFO_PROP_SITE:
      g_value_set_string (value, bh_process_info_get_site (self));
      break;
    case INFO_PROP_TAB_TITLES:
      g_value_set_boxed (value, bh_process_info_get_tab_titles (self));
      break;
    case INFO_PROP_TAB_IDS:
      g_value_set_boxed (value, bh_process_info_get_tab_ids (self));
      break;
    case INFO_PROP_RSS_KIB:
      g_value_set_uint64 (value, self->rss_kib);
      break;
    case INFO_PROP_PSS_KIB:
      g_value_set_int64 (value, self->pss_kib);
      break;
    case INFO_PROP_CPU_PERCENT:
      g_value_set_double (value, self->cpu_percent);
      break;
    case INFO_PROP_MESSAGES_IN:
      g_value_set_uint64 (value, self->messages_in);
      break;
    case INFO_PROP_MESSAGES_OUT:
      g_value_set_uint64 (value, self->messages_out);
      break;
    case INFO_PROP_SANDBOX:
      g_value_set_string (value, bh_process_info_get_sandbox (self));
      break;
    case INFO_PROP_ALIVE:
      g_value_set_boolean (value, self->alive);
      break;
    case INFO_PROP_STATUS:
      g_value_set_string (value, bh_process_info_get_status (self));
      break;
    case INFO_PROP_CAN_END:
      g_value_set_boolean (value, bh_process_info_can_end (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_process_info_class_init (BhProcessInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = bh_process_info_finalize;
  object_class->get_property = bh_process_info_get_property;

  info_properties[INFO_PROP_PROCESS_TYPE] =
    g_param_spec_enum ("process-type", NULL, NULL, BH_TYPE_PROCESS_TYPE, BH_PROCESS_TYPE_BROWSER,
                       flags);
  info_properties[INFO_PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  info_properties[INFO_PROP_SITE] = g_param_spec_string ("site", NULL, NULL, "", flags);
  info_properties[INFO_PROP_TAB_TITLES] = g_param_spec_boxed ("tab-titles", NULL, NULL,
                                                              G_TYPE_STRV, flags);
  info_properties[INFO_PROP_TAB_IDS] = g_param_spec_boxed ("tab-ids", NULL, NULL, G_TYPE_STRV,
                                                           flags);
  info_properties[INFO_PROP_RSS_KIB] = g_param_spec_uint64 ("rss-kib", NULL, NULL, 0, G_MAXUINT64,
                                                            0, flags);
  info_properties[INFO_PROP_PSS_KIB] = g_param_spec_int64 ("pss-kib", NULL, NULL, -1, G_MAXINT64,
                                                           -1, flags);
  info_properties[INFO_PROP_CPU_PERCENT] = g_param_spec_double ("cpu-percent", NULL, NULL, -1.0,
                                                                G_MAXDOUBLE, -1.0, flags);
  info_properties[INFO_PROP_MESSAGES_IN] = g_param_spec_uint64 ("messages-in", NULL, NULL, 0,
                                                                G_MAXUINT64, 0, flags);
  info_properties[INFO_PROP_MESSAGES_OUT] = g_param_spec_uint64 ("messages-out", NULL, NULL, 0,
                                                                 G_MAXUINT64, 0, flags);
  info_properties[INFO_PROP_SANDBOX] = g_param_spec_string ("sandbox", NULL, NULL, "", flags);
  info_properties[INFO_PROP_ALIVE] = g_param_spec_boolean ("alive", NULL, NULL, FALSE, flags);
  info_properties[INFO_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "", flags);
  info_properties[INFO_PROP_CAN_END] = g_param_spec_boolean ("can-end", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, INFO_N_PROPS, info_properties);
}

static void
bh_process_info_init (BhProcessInfo *self)
{
  self->pss_kib = -1;
  self->cpu_percent = -1.0;
}

static BhProcessInfo *
info_new (BhProcessType type, GObject *source)
{
  BhProcessInfo *self = g_object_new (BH_TYPE_PROCESS_INFO, NULL);

  self->type = type;
  self->source = source != NULL ? g_object_ref (source) : NULL;
  return self;
}

/* ---- BhProcessList ---------------------------------------------------- */

struct _BhProcessList {
  GObject parent_instance;

  BhBrowser *browser; /* not a reference: the browser owns the list */
  GPtrArray *rows;    /* BhProcessInfo; rows[0] is the browser */
  /* Messages of children whose rows are gone (reaped): the browser's own
   * figures are its whole life's, and never go down when a child dies. */
  guint64 retired_in;
  guint64 retired_out;
};

static void bh_process_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BhProcessList, bh_process_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bh_process_list_model_init))

static GType
bh_process_list_get_item_type (GListModel *model)
{
  return BH_TYPE_PROCESS_INFO;
}

static guint
bh_process_list_get_n_items (GListModel *model)
{
  return BH_PROCESS_LIST (model)->rows->len;
}

static gpointer
bh_process_list_get_item (GListModel *model, guint position)
{
  BhProcessList *self = BH_PROCESS_LIST (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
bh_process_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bh_process_list_get_item_type;
  iface->get_n_items = bh_process_list_get_n_items;
  iface->get_item = bh_process_list_get_item;
}

static BhProcessInfo *
row_for_source (BhProcessList *self, GObject *source)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      BhProcessInfo *info = g_ptr_array_index (self->rows, i);

      if (info->source == source)
        return info;
    }
  return NULL;
}

/* Makes the rows follow the processes that exist: the browser, then every
 * renderer host until it is reaped, then every plugin host likewise. */
static void
sync_rows (BhProcessList *self)
{
  GListModel *hosts = bh_browser_get_renderer_hosts (self->browser);
  guint n_hosts = g_list_model_get_n_items (hosts);
  g_autoptr (GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_len = self->rows->len;
  guint prefix = 0;
  guint suffix = 0;

  g_ptr_array_add (wanted, g_object_ref (g_ptr_array_index (self->rows, 0)));
  for (guint i = 0; i < n_hosts; i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);
      BhProcessInfo *info = row_for_source (self, G_OBJECT (host));

      g_ptr_array_add (wanted, info != NULL ? g_object_ref (info)
                                            : info_new (BH_PROCESS_TYPE_RENDERER, G_OBJECT (host)));
    }
  /* Then every plugin host until it is reaped (bh_browser_get_plugin_hosts()). */
  hosts = bh_browser_get_plugin_hosts (self->browser);
  n_hosts = g_list_model_get_n_items (hosts);
  for (guint i = 0; i < n_hosts; i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (hosts, i);
      BhProcessInfo *info = row_for_source (self, G_OBJECT (host));

      g_ptr_array_add (wanted, info != NULL ? g_object_ref (info)
                                            : info_new (BH_PROCESS_TYPE_PLUGIN_HOST, G_OBJECT (host)));
    }

  while (prefix < old_len && prefix < wanted->len &&
         g_ptr_array_index (self->rows, prefix) == g_ptr_array_index (wanted, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < wanted->len - prefix &&
         g_ptr_array_index (self->rows, old_len - 1 - suffix) ==
           g_ptr_array_index (wanted, wanted->len - 1 - suffix))
    suffix++;
  if (prefix == old_len && prefix == wanted->len)
    return;

  for (guint i = 1; i < old_len; i++)
    {
      BhProcessInfo *info = g_ptr_array_index (self->rows, i);
      guint index;

      if (!g_ptr_array_find (wanted, info, &index))
        {
          self->retired_in += info->messages_in;
          self->retired_out += info->messages_out;
        }
    }
  g_ptr_array_unref (self->rows);
  self->rows = g_steal_pointer (&wanted);
  g_list_model_items_changed (G_LIST_MODEL (self), prefix, old_len - prefix - suffix,
                              self->rows->len - prefix - suffix);
}

static void
refresh_renderer (BhProcessInfo *info, GHashTable *tabs_by_host)
{
  BhRendererHost *host = BH_RENDERER_HOST (info->source);
  GPtrArray *tabs = g_hash_table_lookup (tabs_by_host, host);
  g_autoptr (GStrvBuilder) titles = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  gboolean alive = bh_renderer_host_is_alive (host);
  guint64 received = 0;
  guint64 sent = 0;

  g_object_freeze_notify (G_OBJECT (info));
  INFO_SET (info, pid, bh_renderer_host_get_pid (host), INFO_PROP_PID);
  info_set_string (info, &info->site, bh_renderer_host_get_site (host), INFO_PROP_SITE);
  for (guint i = 0; tabs != NULL && i < tabs->len; i++)
    {
      BhTab *tab = g_ptr_array_index (tabs, i);

      g_autofree char *id = g_strdup_printf ("%u", bh_tab_get_id (tab));

      g_strv_builder_add (titles, bh_tab_get_title (tab));
      g_strv_builder_add (ids, id);
    }
  info_take_strv (info, &info->tab_titles, g_strv_builder_end (titles), INFO_PROP_TAB_TITLES);
  info_take_strv (info, &info->tab_ids, g_strv_builder_end (ids), INFO_PROP_TAB_IDS);

  bh_renderer_host_get_ipc_counts (host, &received, &sent);
  /* A closed channel counts nothing: the last figures stay. */
  if (alive)
    {
      INFO_SET (info, messages_in, received, INFO_PROP_MESSAGES_IN);
      INFO_SET (info, messages_out, sent, INFO_PROP_MESSAGES_OUT);
    }

  if (alive && info->pid > 0)
    info_sample_proc (info, info->pid);
  else
    info_clear_proc (info);

  if (!info->sandbox_read)
    {
      if (alive && bh_renderer_host_is_ready (host))
        {
          g_autofree char *sandbox = bh_renderer_host_describe_sandbox (host);

          info_set_string (info, &info->sandbox, sandbox, INFO_PROP_SANDBOX);
          info->sandbox_read = TRUE;
        }
      else
        info_set_string (info, &info->sandbox, alive ? "starting" : "unknown (process gone)",
                         INFO_PROP_SANDBOX);
    }
  info_set_string (info, &info->status,
                   bh_termination_status_to_string (bh_renderer_host_get_termination_status (host)),
                   INFO_PROP_STATUS);
  info_set_alive (info, alive);
  g_object_thaw_notify (G_OBJECT (info));
}

/* A plugin host's row: its plugin type in "site", the tabs whose plugin
 * areas it serves. */
static void
refresh_plugin_host (BhProcessInfo *info)
{
  BhPluginHost *host = BH_PLUGIN_HOST (info->source);
  g_autoptr (GPtrArray) tabs = bh_plugin_host_get_tabs (host);
  g_autoptr (GStrvBuilder) titles = g_strv_builder_new ();
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  gboolean alive = bh_plugin_host_is_alive (host);
  guint64 received = 0;
  guint64 sent = 0;

  g_object_freeze_notify (G_OBJECT (info));
  INFO_SET (info, pid, bh_plugin_host_get_pid (host), INFO_PROP_PID);
  info_set_string (info, &info->site, bh_plugin_host_get_plugin_type (host), INFO_PROP_SITE);
  for (guint i = 0; i < tabs->len; i++)
    {
      BhTab *tab = g_ptr_array_index (tabs, i);
      g_autofree char *id = g_strdup_printf ("%u", bh_tab_get_id (tab));

      g_strv_builder_add (titles, bh_tab_get_title (tab));
      g_strv_builder_add (ids, id);
    }
  info_take_strv (info, &info->tab_titles, g_strv_builder_end (titles), INFO_PROP_TAB_TITLES);
  info_take_strv (info, &info->tab_ids, g_strv_builder_end (ids), INFO_PROP_TAB_IDS);
  bh_plugin_host_get_ipc_counts (host, &received, &sent);
  if (alive)
    {
      INFO_SET (info, messages_in, received, INFO_PROP_MESSAGES_IN);
      INFO_SET (info, messages_out, sent, INFO_PROP_MESSAGES_OUT);
    }
  if (alive && info->pid > 0)
    info_sample_proc (info, info->pid);
  else
    info_clear_proc (info);
  if (!info->sandbox_read)
    {
      if (alive && bh_plugin_host_is_ready (host))
        {
          g_autofree char *sandbox = bh_plugin_host_describe_sandbox (host);

          info_set_string (info, &info->sandbox, sandbox, INFO_PROP_SANDBOX);
          info->sandbox_read = TRUE;
        }
      else
        info_set_string (info, &info->sandbox, alive ? "starting" : "unknown (process gone)", INFO_PROP_SANDBOX);
    }
  info_set_string (info, &info->status,
                   bh_termination_status_to_string (bh_plugin_host_get_termination_status (host)),
                   INFO_PROP_STATUS);
  info_set_alive (info, alive);
  g_object_thaw_notify (G_OBJECT (info));
}

/* After the children's rows: the browser sent and received every message
 * they did, including those of children that have died (their rows keep
 * their last figures) or gone (retired). */
static void
refresh_browser (BhProcessList *self, BhProcessInfo *info)
{
  guint64 total_in = self->retired_in;
  guint64 total_out = self->retired_out;

  for (guint i = 1; i < self->rows->len; i++)
    {
      BhProcessInfo *child = g_ptr_array_index (self->rows, i);

      total_in += child->messages_in;
      total_out += child->messages_out;
    }
  g_object_freeze_notify (G_OBJECT (info));
  INFO_SET (info, messages_in, total_in, INFO_PROP_MESSAGES_IN);
  INFO_SET (info, messages_out, total_out, INFO_PROP_MESSAGES_OUT);
  info_sample_proc (info, info->pid);
  g_object_thaw_notify (G_OBJECT (info));
}

void
bh_process_list_refresh (BhProcessList *self)
{
  g_autoptr (GHashTable) tabs_by_host = NULL;
  GListModel *tabs;

  g_return_if_fail (BH_IS_PROCESS_LIST (self));

  sync_rows (self);

  /* Which tabs each renderer serves, from one pass over the tabs. */
  tabs_by_host = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  tabs = bh_browser_get_tabs (self->browser);
  for (guint i = 0; i < g_list_model_get_n_items (tabs); i++)
    {
      g_autoptr (BhTab) tab = g_list_model_get_item (tabs, i);
      BhRendererHost *host = bh_tab_get_renderer_host (tab);
      GPtrArray *list;

      if (host == NULL)
        continue;
      list = g_hash_table_lookup (tabs_by_host, host);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (tabs_by_host, host, list);
        }
      g_ptr_array_add (list, g_object_ref (tab));
    }

  for (guint i = 1; i < self->rows->len; i++)
    {
      BhProcessInfo *info = g_ptr_array_index (self->rows, i);

      if (info->type == BH_PROCESS_TYPE_RENDERER)
        refresh_renderer (info, tabs_by_host);
      else if (info->type == BH_PROCESS_TYPE_PLUGIN_HOST)
        refresh_plugin_host (info);
    }
  refresh_browser (self, g_ptr_array_index (self->rows, 0));
}

BhProcessInfo *
bh_process_list_find_pid (BhProcessList *self, int pid)
{
  g_return_val_if_fail (BH_IS_PROCESS_LIST (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      BhProcessInfo *info = g_ptr_array_index (self->rows, i);

      if (info->pid == pid && pid > 0)
        return info;
    }
  return NULL;
}

gboolean
bh_process_list_end_process (BhProcessList *self, BhProcessInfo *info, GError **error)
{
  g_return_val_if_fail (BH_IS_PROCESS_LIST (self), FALSE);
  g_return_val_if_fail (BH_IS_PROCESS_INFO (info), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (info->type == BH_PROCESS_TYPE_BROWSER)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "The browser process (pid %d) cannot be ended from its own task manager",
                   info->pid);
      return FALSE;
    }
  if (info->type == BH_PROCESS_TYPE_PLUGIN_HOST && bh_plugin_host_is_alive (BH_PLUGIN_HOST (info->source)))
    /* Every plugin area it served shows "Plugin crashed" with Reload. */
    bh_plugin_host_kill (BH_PLUGIN_HOST (info->source), BH_TERMINATION_STATUS_KILLED, NULL);
  else if (info->type != BH_PROCESS_TYPE_RENDERER ||
           !bh_renderer_host_is_alive (BH_RENDERER_HOST (info->source)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "Process %d has already ended",
                   info->pid);
      return FALSE;
    }
  else
    bh_renderer_host_kill (BH_RENDERER_HOST (info->source), BH_TERMINATION_STATUS_KILLED, NULL);

  /* The row shows it at once; the figures go at the next refresh. */
  g_object_freeze_notify (G_OBJECT (info));
  info_set_string (info, &info->status,
                   bh_termination_status_to_string (BH_TERMINATION_STATUS_KILLED),
                   INFO_PROP_STATUS);
  info_set_alive (info, FALSE);
  g_object_thaw_notify (G_OBJECT (info));
  return TRUE;
}

static void
bh_process_list_finalize (GObject *object)
{
  BhProcessList *self = BH_PROCESS_LIST (object);

  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (bh_process_list_parent_class)->finalize (object);
}

static void
bh_process_list_class_init (BhProcessListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bh_process_list_finalize;
}

static void
bh_process_list_init (BhProcessList *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

BhProcessList *
bh_process_list_get_for_browser (BhBrowser *browser)
{
  BhProcessList *self;
  BhProcessInfo *info;

  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);

  self = g_object_get_data (G_OBJECT (browser), BROWSER_DATA_KEY);
  if (self != NULL)
    return self;

  self = g_object_new (BH_TYPE_PROCESS_LIST, NULL);
  self->browser = browser;
  info = info_new (BH_PROCESS_TYPE_BROWSER, NULL);
  info->pid = (int) getpid ();
  info->site = g_strdup ("");
  info->sandbox = g_strdup ("none (the browser process is trusted)");
  info->sandbox_read = TRUE;
  info->alive = TRUE;
  info->status = g_strdup (bh_termination_status_to_string (BH_TERMINATION_STATUS_STILL_RUNNING));
  g_ptr_array_add (self->rows, info);
  g_object_set_data_full (G_OBJECT (browser), BROWSER_DATA_KEY, self, g_object_unref);
  bh_process_list_refresh (self);
  return self;
}
