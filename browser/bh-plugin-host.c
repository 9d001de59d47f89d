/* bh-plugin-host.c: one plugin host process, seen from the browser.
 *
 * Life of a host: first instance of its type -> launch (socketpair, spawn
 * through the launcher with the child's end as fd 3) -> ChildReady ->
 * instances come and go -> either the last instance goes and, after a grace
 * period, the host closes the channel (the plugin host exits on EOF), or the
 * process dies / is killed. As for renderers, death is noticed by the
 * channel's hang-up and by the child watch; the termination is recorded
 * once, and only the child watch's waitpid() takes the host out of the
 * browser's list.
 *
 * The conversation is plugin-host/main.c's; the browser's part is the one
 * tests/test-plugin-host.c plays: import each PluginBufferCreated bitmap at
 * once (bh_bitmap_import checks seals and geometry), build a texture over
 * the buffer named in PluginFrameReady, and send PluginReleaseBuffer when
 * GTK lets go of that texture.
 */
#include "bh-plugin-host.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bh-browser-private.h"
#include "bh-channel.h"
#include "bh-config.h"
#include "bh-launcher.h"
#include "bh-plugin-host-private.h"
#include "bh-sandbox.h"
#include "bh-shm.h"

/* How long a plugin host that hung up may take to be reaped before SIGKILL. */
#define HANGUP_REAP_TIMEOUT_MS 2000u
/* How long a plugin host whose channel the browser closed may take to exit. */
#define CLOSE_REAP_TIMEOUT_MS 5000u
/* Double buffering needs two; a resize sends PluginBufferDestroyed first. */
#define MAX_BUFFERS_PER_INSTANCE 4u
/* PluginError's message is shown in an area: more is not a message. */
#define MAX_ERROR_CHARS 1024

static const char *const supported_types[] = { "application/pdf", "image/svg+xml" };

gboolean
bh_plugin_type_is_supported (const char *mime_type)
{
  if (mime_type == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (supported_types); i++)
    if (g_ascii_strcasecmp (mime_type, supported_types[i]) == 0)
      return TRUE;
  return FALSE;
}

const char *
bh_plugin_host_get_executable_path (void)
{
  static char *path;
  const char *override = g_getenv ("BULKHEAD_PLUGIN_HOST_PATH");

  if (override != NULL && *override != '\0')
    return override;
  if (g_once_init_enter (&path))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      char *found = NULL;

      /* In the build tree every executable's folder sits beside plugin-host/. */
      if (exe != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (exe);
          g_autofree char *candidate = g_build_filename (dir, "..", "plugin-host", "plugin-host", NULL);
          g_autofree char *canonical = g_canonicalize_filename (candidate, NULL);

          if (g_file_test (canonical, G_FILE_TEST_IS_EXECUTABLE))
            found = g_steal_pointer (&canonical);
        }
      if (found == NULL)
        found = g_build_filename (BH_LIBEXECDIR, "plugin-host", NULL);
      g_once_init_leave (&path, found);
    }
  return path;
}

/* A bitmap the plugin host shared, referenced by its instance's buffer table
 * and by every texture built over it: a PluginBufferDestroyed for the buffer
 * on screen unmaps it only once GTK lets go of the texture. */
typedef struct {
  int ref_count; /* main thread only */
  BhBitmap *bitmap;
  GWeakRef host;
  guint instance_id;
  guint buffer_id;
  gboolean held; /* named in PluginFrameReady; PluginReleaseBuffer not yet sent */
} PluginBuffer;

typedef struct {
  guint id;
  BhTab *tab; /* not a reference: the area destroys its instance before the tab goes */
  const BhPluginInstanceClient *client;
  gpointer user_data;
  GHashTable *buffers; /* buffer id -> PluginBuffer (a reference) */
  guint max_width_px;  /* the largest size the browser ever asked for: no bitmap may be larger */
  guint max_height_px;
} Instance;

struct _BhPluginHost {
  GObject parent_instance;

  BhBrowser *browser; /* a reference: the browser lives until its last child is reaped */
  char *plugin_type;
  GPid pid;      /* the plugin host itself: kill(), /proc */
  GPid reap_pid; /* the browser's direct child (bwrap's outer process in a sandbox) */
  BhChildProcess *child;
  BhChannel *channel;
  guint child_watch_id;
  guint reap_timeout_id;
  guint idle_timeout_id;

  gboolean ready;
  char *sandbox_summary;
  gboolean launched;
  gboolean closing;    /* no new instances */
  gboolean reaped;
  gboolean terminated; /* the termination was recorded and announced */
  BhTerminationStatus forced_status; /* set by bh_plugin_host_kill() */
  char *forced_message;
  char *bad_message_reason;          /* why it was stopped, for its areas */
  BhTerminationStatus termination_status;
  char *termination_message;

  GHashTable *instances;    /* instance id -> Instance */
  GHashTable *buffer_owner; /* buffer id -> instance id, every id ever created */
  guint next_instance_id;
};

G_DEFINE_FINAL_TYPE (BhPluginHost, bh_plugin_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLUGIN_TYPE,
  PROP_PID,
  PROP_READY,
  PROP_SANDBOX,
  PROP_ALIVE,
  PROP_TERMINATION_STATUS,
  PROP_TERMINATION_MESSAGE,
  PROP_INSTANCE_COUNT,
  N_PROPS
};

enum {
  SIGNAL_TERMINATED,
  SIGNAL_REAPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Shared buffers. */

static PluginBuffer *
plugin_buffer_ref (PluginBuffer *buffer)
{
  buffer->ref_count++;
  return buffer;
}

static void
plugin_buffer_unref (PluginBuffer *buffer)
{
  if (buffer == NULL || --buffer->ref_count > 0)
    return;
  bh_bitmap_free (buffer->bitmap);
  g_weak_ref_clear (&buffer->host);
  g_free (buffer);
}

static gboolean
release_buffer_in_main_context (gpointer data)
{
  PluginBuffer *buffer = data;
  g_autoptr (BhPluginHost) self = g_weak_ref_get (&buffer->host);
  Instance *instance;

  buffer->held = FALSE;
  if (self == NULL || self->terminated || self->channel == NULL)
    return G_SOURCE_REMOVE;
  instance = g_hash_table_lookup (self->instances, GUINT_TO_POINTER (buffer->instance_id));
  /* A buffer a resize replaced (PluginBufferDestroyed: "never releases it"),
   * or of an instance that is gone, is no longer the host's to draw in. */
  if (instance == NULL || g_hash_table_lookup (instance->buffers, GUINT_TO_POINTER (buffer->buffer_id)) != buffer)
    return G_SOURCE_REMOVE;
  bh_channel_send (self->channel, BH_MSG_PluginReleaseBuffer,
                   g_variant_new ("(uu)", buffer->instance_id, buffer->buffer_id), NULL, 0);
  return G_SOURCE_REMOVE;
}

/* The GBytes under a frame texture is freed: GTK no longer needs the pixels. */
static void
frame_bytes_free_cb (gpointer data)
{
  /* The channel is only touched from the main context, wherever GTK drops it. */
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, release_buffer_in_main_context, data,
                              (GDestroyNotify) plugin_buffer_unref);
}

/* Instances. */

static void
instance_free (Instance *instance)
{
  if (instance == NULL)
    return;
  g_clear_pointer (&instance->buffers, g_hash_table_unref);
  g_free (instance);
}

static Instance *
lookup_instance (BhPluginHost *self, guint instance_id)
{
  return g_hash_table_lookup (self->instances, GUINT_TO_POINTER (instance_id));
}

/* Termination. */

static char *
describe_signal (int signo)
{
  const char *abbrev = sigabbrev_np (signo);

  if (abbrev != NULL)
    return g_strdup_printf ("SIG%s", abbrev);
  return g_strdup_printf ("signal %d", signo);
}

/* Chromium's termination statuses from a wait status (kill_posix.cc
 * GetTerminationStatus), through the launcher's decoding of bwrap's. */
static BhTerminationStatus
status_from_wait_status (BhPluginHost *self, int wait_status, char **out_message)
{
  BhTermination termination;
  BhTerminationStatus status;
  g_autofree char *what = NULL;

  bh_child_process_decode_wait_status (self->child, wait_status, &termination);
  if (termination.signal_number != 0)
    {
      g_autofree char *name = describe_signal (termination.signal_number);

      if (termination.kind == BH_TERMINATION_KILLED)
        {
          status = BH_TERMINATION_STATUS_KILLED;
          what = g_strdup_printf ("was killed (%s)", name);
        }
      else
        {
          status = BH_TERMINATION_STATUS_CRASHED;
          what = g_strdup_printf ("crashed (%s)", name);
        }
    }
  else if (termination.exit_code == 0)
    {
      status = BH_TERMINATION_STATUS_NORMAL;
      what = g_strdup ("exited");
    }
  else if (termination.exit_code == BH_EXIT_CODE_OUT_OF_MEMORY)
    {
      status = BH_TERMINATION_STATUS_OOM;
      what = g_strdup ("ran out of memory");
    }
  else
    {
      status = BH_TERMINATION_STATUS_ABNORMAL;
      what = g_strdup_printf ("exited with code %d", termination.exit_code);
    }

  if (!self->ready && status != BH_TERMINATION_STATUS_OOM)
    {
      *out_message = g_strdup_printf ("The plugin host for %s could not be started (it %s)", self->plugin_type,
                                      what);
      return BH_TERMINATION_STATUS_LAUNCH_FAILED;
    }
  *out_message = g_strdup_printf ("The plugin host for %s %s", self->plugin_type, what);
  return status;
}

static char *
default_message (const char *plugin_type, BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
      return g_strdup_printf ("The plugin host for %s was killed (SIGKILL)", plugin_type);
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return g_strdup_printf ("The plugin host for %s was stopped for breaking the protocol", plugin_type);
    case BH_TERMINATION_STATUS_OOM:
      return g_strdup_printf ("The plugin host for %s ran out of memory", plugin_type);
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
      return g_strdup_printf ("The plugin host for %s could not be started", plugin_type);
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_NORMAL:
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      return g_strdup_printf ("The plugin host for %s crashed", plugin_type);
    }
}

/* What every area of a dead host shows. A host with instances does not end
 * by itself, so even a clean exit is a crash to the pages it served. */
static char *
area_message (BhPluginHost *self, BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return g_strdup_printf ("Plugin stopped: %s",
                              self->bad_message_reason != NULL ? self->bad_message_reason : "it broke the protocol");
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
      return g_strdup ("Plugin could not be started");
    case BH_TERMINATION_STATUS_NORMAL:
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_KILLED:
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_OOM:
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      return g_strdup ("Plugin crashed");
    }
}

static gboolean
reap_timeout_cb (gpointer data)
{
  BhPluginHost *self = data;

  self->reap_timeout_id = 0;
  if (!self->reaped && self->pid > 0)
    {
      g_debug ("plugin host %d (%s) did not exit in time: SIGKILL", (int) self->pid, self->plugin_type);
      kill (self->pid, SIGKILL);
      if (self->reap_pid != self->pid)
        kill (self->reap_pid, SIGKILL);
    }
  return G_SOURCE_REMOVE;
}

static void
start_reap_timeout (BhPluginHost *self, guint timeout_ms)
{
  if (self->reaped || self->reap_timeout_id != 0)
    return;
  self->reap_timeout_id = g_timeout_add (timeout_ms, reap_timeout_cb, self);
}

static void
close_channel (BhPluginHost *self)
{
  if (self->channel == NULL)
    return;
  bh_channel_set_handlers (self->channel, NULL, NULL, NULL);
  bh_channel_close (self->channel);
  g_clear_pointer (&self->channel, bh_channel_unref);
}

/* Records how the plugin host ended, once, and tells every area it served. */
static void
record_termination (BhPluginHost *self, BhTerminationStatus status, const char *message)
{
  g_autoptr (BhPluginHost) keep = g_object_ref (self);
  g_autofree char *for_areas = NULL;

  if (self->terminated)
    return;
  self->terminated = TRUE;
  self->closing = TRUE;
  self->termination_status = status;
  self->termination_message = g_strdup (message);
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  close_channel (self);

  /* The areas learn it with the host already out of their way, so that a
   * reload from a handler spawns a fresh one. */
  for_areas = area_message (self, status);
  /* One at a time: an area's handler may destroy another area's instance
   * (closing its tab), which must then hear nothing more. */
  while (g_hash_table_size (self->instances) > 0)
    {
      GHashTableIter iter;
      gpointer value;
      Instance *instance;
      const BhPluginInstanceClient *client;
      gpointer user_data;

      g_hash_table_iter_init (&iter, self->instances);
      g_hash_table_iter_next (&iter, NULL, &value);
      g_hash_table_iter_steal (&iter);
      instance = value;
      client = instance->client;
      user_data = instance->user_data;
      instance_free (instance);
      client->gone (user_data, status, for_areas);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINATION_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMINATION_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE_COUNT]);
  g_signal_emit (self, signals[SIGNAL_TERMINATED], 0, status, message);
}

/* The host leaves the browser's list; the list holds the last reference. */
static void
leave_browser_list (BhPluginHost *self)
{
  GListStore *store = bh_browser_get_plugin_host_store (self->browser);
  guint position;

  if (g_list_store_find (store, self, &position))
    g_list_store_remove (store, position);
}

static void
child_watch_cb (GPid pid, int wait_status, gpointer data)
{
  BhPluginHost *self = data;
  g_autoptr (BhPluginHost) keep = g_object_ref (self);

  self->child_watch_id = 0;
  self->reaped = TRUE;
  g_spawn_close_pid (pid);
  g_clear_handle_id (&self->reap_timeout_id, g_source_remove);

  if (!self->terminated)
    {
      g_autofree char *message = NULL;
      BhTerminationStatus status;

      if (self->forced_status != BH_TERMINATION_STATUS_STILL_RUNNING)
        {
          status = self->forced_status;
          message = g_strdup (self->forced_message);
        }
      else
        status = status_from_wait_status (self, wait_status, &message);
      record_termination (self, status, message);
    }
  g_debug ("plugin host %d (%s) reaped: %s", (int) self->pid, self->plugin_type, self->termination_message);

  g_signal_emit (self, signals[SIGNAL_REAPED], 0);
  leave_browser_list (self);
}

void
bh_plugin_host_kill (BhPluginHost *self, BhTerminationStatus status, const char *message)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  g_return_if_fail (status != BH_TERMINATION_STATUS_STILL_RUNNING);

  if (self->terminated)
    return;
  text = message != NULL ? g_strdup (message) : default_message (self->plugin_type, status);
  if (self->pid > 0 && !self->reaped)
    kill (self->pid, SIGKILL);
  self->forced_status = status;
  g_free (self->forced_message);
  self->forced_message = g_strdup (text);
  record_termination (self, status, text);
}

void
bh_plugin_host_report_bad_message (BhPluginHost *self, const char *reason)
{
  g_autofree char *message = NULL;

  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  g_return_if_fail (reason != NULL);

  g_printerr ("bad message from plugin host %d (%s): %s\n", (int) self->pid, self->plugin_type, reason);
  if (bh_browser_get_options (self->browser)->disable_kill_after_bad_ipc || self->terminated)
    return;
  g_free (self->bad_message_reason);
  self->bad_message_reason = g_strdup (reason);
  message = g_strdup_printf ("The plugin host for %s was stopped for breaking the protocol: %s",
                             self->plugin_type, reason);
  bh_plugin_host_kill (self, BH_TERMINATION_STATUS_BAD_MESSAGE, message);
}

G_GNUC_PRINTF (2, 3)
static void
bad_message (BhPluginHost *self, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  bh_plugin_host_report_bad_message (self, reason);
}

/* Messages from the plugin host. */

/* Returns the instance, or NULL. An instance the browser destroyed a moment
 * ago may still be named by messages sent before PluginDestroy reached the
 * host: those are dropped. An id the browser never gave out is a bad message. */
static Instance *
checked_instance (BhPluginHost *self, const BhMessage *message)
{
  guint32 instance_id;
  Instance *instance;

  g_variant_get_child (message->payload, 0, "u", &instance_id);
  instance = lookup_instance (self, instance_id);
  if (instance == NULL && (instance_id == 0 || instance_id > self->next_instance_id))
    bad_message (self, "%s for instance %u, which it does not host", bh_message_type_name (message->type),
                 instance_id);
  return instance;
}

static void
handle_child_ready (BhPluginHost *self, const BhMessage *message)
{
  guint32 child_pid;
  const char *role;
  const char *sandbox;

  g_variant_get (message->payload, "(u&s&s)", &child_pid, &role, &sandbox);
  if (self->ready)
    {
      bad_message (self, "ChildReady sent twice");
      return;
    }
  if (g_strcmp0 (role, "plugin") != 0)
    {
      bad_message (self, "ChildReady names the role \"%s\", not \"plugin\"", role);
      return;
    }
  self->ready = TRUE;
  g_free (self->sandbox_summary);
  self->sandbox_summary = g_strdup (sandbox);
  g_debug ("plugin host %d (%s) ready (pid %u inside; sandbox: %s)", (int) self->pid, self->plugin_type, child_pid,
           sandbox);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SANDBOX]);
}

static void
handle_buffer_created (BhPluginHost *self, BhMessage *message)
{
  guint32 instance_id, buffer_id, width_px, height_px, stride_bytes;
  guint64 size_bytes;
  g_autoptr (GError) error = NULL;
  PluginBuffer *buffer;
  BhBitmap *bitmap;
  Instance *instance;

  g_variant_get (message->payload, "(uuuuut)", &instance_id, &buffer_id, &width_px, &height_px, &stride_bytes,
                 &size_bytes);
  if ((instance = checked_instance (self, message)) == NULL)
    return;
  if (buffer_id == 0 || g_hash_table_contains (self->buffer_owner, GUINT_TO_POINTER (buffer_id)))
    {
      bad_message (self, "PluginBufferCreated reuses buffer id %u", buffer_id);
      return;
    }
  if (g_hash_table_size (instance->buffers) >= MAX_BUFFERS_PER_INSTANCE)
    {
      bad_message (self, "more than %u buffers for instance %u", MAX_BUFFERS_PER_INSTANCE, instance_id);
      return;
    }
  /* Bitmaps are painted at the size the browser asked for: a larger one is
   * memory the browser would map for nothing. */
  if (width_px > instance->max_width_px || height_px > instance->max_height_px)
    {
      bad_message (self, "PluginBufferCreated of %ux%u px for instance %u, never asked larger than %ux%u px",
                   width_px, height_px, instance_id, instance->max_width_px, instance->max_height_px);
      return;
    }
  if (size_bytes > G_MAXSIZE)
    {
      bad_message (self, "PluginBufferCreated of %" G_GUINT64_FORMAT " bytes", size_bytes);
      return;
    }
  bitmap = bh_bitmap_import (bh_message_steal_fd (message, 0), width_px, height_px, stride_bytes,
                             (gsize) size_bytes, &error);
  if (bitmap == NULL)
    {
      bad_message (self, "PluginBufferCreated %u: %s", buffer_id, error->message);
      return;
    }

  buffer = g_new0 (PluginBuffer, 1);
  buffer->ref_count = 1;
  buffer->bitmap = bitmap;
  g_weak_ref_init (&buffer->host, self);
  buffer->instance_id = instance_id;
  buffer->buffer_id = buffer_id;
  g_hash_table_insert (instance->buffers, GUINT_TO_POINTER (buffer_id), buffer);
  g_hash_table_insert (self->buffer_owner, GUINT_TO_POINTER (buffer_id), GUINT_TO_POINTER (instance_id));
}

static void
handle_buffer_destroyed (BhPluginHost *self, const BhMessage *message)
{
  guint32 instance_id, buffer_id;
  Instance *instance;

  g_variant_get (message->payload, "(uu)", &instance_id, &buffer_id);
  if ((instance = checked_instance (self, message)) == NULL)
    return;
  /* The texture on screen keeps its own reference: unmapping waits for GTK. */
  if (!g_hash_table_remove (instance->buffers, GUINT_TO_POINTER (buffer_id)))
    bad_message (self, "PluginBufferDestroyed for buffer %u, not one of instance %u", buffer_id, instance_id);
}

static void
handle_frame_ready (BhPluginHost *self, const BhMessage *message)
{
  guint32 instance_id, buffer_id;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GBytes) bytes = NULL;
  PluginBuffer *buffer;
  BhBitmap *bitmap;
  Instance *instance;

  g_variant_get (message->payload, "(uu)", &instance_id, &buffer_id);
  if ((instance = checked_instance (self, message)) == NULL)
    return;
  buffer = g_hash_table_lookup (instance->buffers, GUINT_TO_POINTER (buffer_id));
  if (buffer == NULL)
    {
      bad_message (self, "PluginFrameReady for buffer %u, not one of instance %u", buffer_id, instance_id);
      return;
    }
  /* Double buffering: a buffer may be painted again only after
   * PluginReleaseBuffer; one the browser holds was painted under its eyes. */
  if (buffer->held)
    {
      bad_message (self, "PluginFrameReady for buffer %u, which the browser still holds", buffer_id);
      return;
    }

  buffer->held = TRUE;
  bitmap = buffer->bitmap;
  bytes = g_bytes_new_with_free_func (bitmap->data, (gsize) bitmap->stride_bytes * bitmap->height,
                                      frame_bytes_free_cb, plugin_buffer_ref (buffer));
  /* cairo's ARGB32 is native-endian premultiplied, as the tab's own frame. */
  texture = gdk_memory_texture_new (bitmap->width, bitmap->height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                    GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                    GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                    bytes, bitmap->stride_bytes);
  g_clear_pointer (&bytes, g_bytes_unref);
  instance->client->frame_ready (instance->user_data, texture);
}

static void
handle_plugin_error (BhPluginHost *self, const BhMessage *message)
{
  guint32 instance_id;
  const char *text;
  Instance *instance;

  g_variant_get (message->payload, "(u&s)", &instance_id, &text);
  if ((instance = checked_instance (self, message)) == NULL)
    return;
  if (g_utf8_strlen (text, MAX_ERROR_CHARS + 1) > MAX_ERROR_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, MAX_ERROR_CHARS);

      instance->client->error (instance->user_data, cut);
      return;
    }
  instance->client->error (instance->user_data, text);
}

static void
message_cb (BhChannel *channel, BhMessage *message, gpointer user_data)
{
  BhPluginHost *self = user_data;
  g_autoptr (BhMessage) owned = message;
  g_autoptr (BhPluginHost) keep = g_object_ref (self);

  if (self->terminated)
    return;
  if (!self->ready && message->type != BH_MSG_ChildReady)
    {
      bad_message (self, "%s before ChildReady", bh_message_type_name (message->type));
      return;
    }

  switch (message->type)
    {
    case BH_MSG_Ping:
      bh_channel_reply (channel, message, BH_MSG_Pong, g_variant_new ("()"), NULL, 0);
      break;
    case BH_MSG_Pong:
      break;
    case BH_MSG_ChildReady:
      handle_child_ready (self, message);
      break;
    case BH_MSG_PluginBufferCreated:
      handle_buffer_created (self, message);
      break;
    case BH_MSG_PluginBufferDestroyed:
      handle_buffer_destroyed (self, message);
      break;
    case BH_MSG_PluginFrameReady:
      handle_frame_ready (self, message);
      break;
    case BH_MSG_PluginError:
      handle_plugin_error (self, message);
      break;
    default:
      bad_message (self, "%s is not a message a plugin host sends", bh_message_type_name (message->type));
      break;
    }
}

static void
channel_error_cb (BhChannel *channel, const GError *error, gpointer user_data)
{
  BhPluginHost *self = user_data;
  g_autoptr (BhPluginHost) keep = g_object_ref (self);

  /* A host that cannot be talked to takes no new instance, even before its
   * death is confirmed. */
  self->closing = TRUE;
  switch ((BhChannelError) error->code)
    {
    case BH_CHANNEL_ERROR_PROTOCOL:
    case BH_CHANNEL_ERROR_FDS_CUT:
      bh_plugin_host_report_bad_message (self, error->message);
      if (!self->terminated)
        start_reap_timeout (self, HANGUP_REAP_TIMEOUT_MS);
      break;
    case BH_CHANNEL_ERROR_QUEUE_FULL:
      {
        g_autofree char *message = g_strdup_printf ("The plugin host for %s stopped reading its messages "
                                                    "and was killed (SIGKILL)",
                                                    self->plugin_type);

        bh_plugin_host_kill (self, BH_TERMINATION_STATUS_KILLED, message);
      }
      break;
    case BH_CHANNEL_ERROR_CLOSED:
    case BH_CHANNEL_ERROR_RESET:
    case BH_CHANNEL_ERROR_TIMED_OUT:
    case BH_CHANNEL_ERROR_FAILED:
    default:
      /* Dying or dead: the wait status, which the child watch brings in a
       * moment, says why. One that closed its socket but lingers is killed. */
      g_debug ("plugin host %d (%s) hung up: %s", (int) self->pid, self->plugin_type, error->message);
      start_reap_timeout (self, HANGUP_REAP_TIMEOUT_MS);
      break;
    }
}

/* Launching. */

/* The plugin host's own arguments; the launcher adds --ipc-fd, --browser-pid
 * and --no-sandbox. */
static GPtrArray *
build_args (BhPluginHost *self)
{
  const BhBrowserOptions *options = bh_browser_get_options (self->browser);
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("--type=plugin"));
  g_ptr_array_add (args, g_strdup_printf ("--plugin-type=%s", self->plugin_type));
  if (options->ipc_debug != NULL)
    {
      if (*options->ipc_debug != '\0')
        g_ptr_array_add (args, g_strdup_printf ("--ipc-debug=%s", options->ipc_debug));
      else
        g_ptr_array_add (args, g_strdup ("--ipc-debug"));
      g_ptr_array_add (args, g_strdup_printf ("--ipc-debug-format=%s", options->ipc_debug_format));
    }
  g_ptr_array_add (args, NULL);
  return args;
}

static gboolean
launch (BhPluginHost *self, GError **error)
{
  const BhBrowserOptions *options = bh_browser_get_options (self->browser);
  g_autoptr (GPtrArray) args = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (BhChannel) channel = NULL;
  g_autoptr (BhChildProcess) child = NULL;
  BhLaunchOptions launch_options;
  int child_fd = -1;
  gboolean spawned;

  self->launched = TRUE;
  channel = bh_channel_new_pair (BH_TO_BROWSER, &child_fd, &local_error);
  if (channel == NULL)
    goto failed;

  args = build_args (self);
  bh_launch_options_init (&launch_options);
  launch_options.executable = bh_plugin_host_get_executable_path ();
  launch_options.args = (const char *const *) args->pdata;
  launch_options.ipc_fd = child_fd;
  launch_options.no_sandbox = options->no_sandbox;
  /* The renderers' address-space limit: a plugin parses hostile documents too. */
  launch_options.memory_limit_mb = options->renderer_memory_limit_mb;
  spawned = bh_launcher_spawn (&launch_options, &child, &local_error);
  close (child_fd);
  if (!spawned)
    goto failed;

  self->pid = bh_child_process_get_pid (child);
  self->reap_pid = bh_child_process_get_reap_pid (child);
  self->child = g_steal_pointer (&child);
  self->channel = g_steal_pointer (&channel);
  bh_channel_set_peer (self->channel, "plugin", (guint) self->pid, self->plugin_type);
  bh_channel_set_handlers (self->channel, message_cb, channel_error_cb, self);
  bh_channel_attach (self->channel, NULL);
  /* Its trace lines then carry the pid the browser knows it by. */
  bh_channel_send (self->channel, BH_MSG_ProcessIdentity,
                   g_variant_new ("(uu)", (guint32) self->pid, (guint32) getpid ()), NULL, 0);
  self->child_watch_id = g_child_watch_add_full (G_PRIORITY_DEFAULT, self->reap_pid, child_watch_cb,
                                                 g_object_ref (self), g_object_unref);
  g_debug ("spawned plugin host %d for %s", (int) self->pid, self->plugin_type);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
  return TRUE;

failed:
  {
    g_autofree char *message = g_strdup_printf ("The plugin host for %s could not be started: %s",
                                                self->plugin_type, local_error->message);

    g_debug ("%s", message);
    self->reaped = TRUE;
    record_termination (self, BH_TERMINATION_STATUS_LAUNCH_FAILED, message);
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
}

/* For the browser and the plugin areas. */

BhPluginHost *
bh_plugin_host_get_for_type (BhBrowser *browser, const char *plugin_type, GError **error)
{
  GListStore *store;
  g_autoptr (BhPluginHost) host = NULL;
  guint n;

  g_return_val_if_fail (BH_IS_BROWSER (browser), NULL);
  g_return_val_if_fail (bh_plugin_type_is_supported (plugin_type), NULL);

  store = bh_browser_get_plugin_host_store (browser);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BhPluginHost) existing = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_ascii_strcasecmp (existing->plugin_type, plugin_type) == 0 && !bh_plugin_host_is_closing (existing))
        return existing; /* the list keeps it alive */
    }

  host = g_object_new (BH_TYPE_PLUGIN_HOST, NULL);
  host->browser = g_object_ref (browser);
  host->plugin_type = g_ascii_strdown (plugin_type, -1);
  if (!launch (host, error))
    return NULL;
  g_list_store_append (store, host);
  return host; /* the list keeps it alive */
}

gboolean
bh_plugin_host_is_closing (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), TRUE);

  return self->closing || self->terminated || !self->launched;
}

void
bh_plugin_host_close (BhPluginHost *self)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (self->closing && self->channel == NULL)
    return;
  self->closing = TRUE;
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  close_channel (self);
  if (!self->terminated)
    {
      /* Closed on purpose: whatever the exit status, no area shows it. */
      self->forced_status = BH_TERMINATION_STATUS_NORMAL;
      g_free (self->forced_message);
      self->forced_message = g_strdup_printf ("The plugin host for %s was closed", self->plugin_type);
    }
  start_reap_timeout (self, CLOSE_REAP_TIMEOUT_MS);
}

static gboolean
idle_timeout_cb (gpointer data)
{
  BhPluginHost *self = data;

  self->idle_timeout_id = 0;
  if (g_hash_table_size (self->instances) == 0)
    {
      g_debug ("plugin host %d (%s) has no instance left: closing", (int) self->pid, self->plugin_type);
      bh_plugin_host_close (self);
    }
  return G_SOURCE_REMOVE;
}

guint
bh_plugin_host_create_instance (BhPluginHost *self, BhTab *tab, guint width_px, guint height_px, int data_fd,
                                gsize data_size, const BhPluginInstanceClient *client, gpointer user_data)
{
  Instance *instance;

  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), 0);
  g_return_val_if_fail (client != NULL, 0);
  g_return_val_if_fail (width_px >= 1 && height_px >= 1, 0);
  g_return_val_if_fail (width_px <= BH_BITMAP_MAX_DIMENSION && height_px <= BH_BITMAP_MAX_DIMENSION, 0);

  if (bh_plugin_host_is_closing (self) || self->channel == NULL)
    return 0;
  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  instance = g_new0 (Instance, 1);
  instance->id = ++self->next_instance_id;
  instance->tab = tab;
  instance->client = client;
  instance->user_data = user_data;
  instance->buffers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) plugin_buffer_unref);
  instance->max_width_px = width_px;
  instance->max_height_px = height_px;
  g_hash_table_insert (self->instances, GUINT_TO_POINTER (instance->id), instance);
  bh_channel_send (self->channel, BH_MSG_PluginCreate,
                   g_variant_new ("(usuut)", instance->id, self->plugin_type, width_px, height_px,
                                  (guint64) data_size),
                   &data_fd, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE_COUNT]);
  return instance->id;
}

void
bh_plugin_host_resize_instance (BhPluginHost *self, guint instance_id, guint width_px, guint height_px)
{
  Instance *instance;

  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  g_return_if_fail (width_px >= 1 && height_px >= 1);
  g_return_if_fail (width_px <= BH_BITMAP_MAX_DIMENSION && height_px <= BH_BITMAP_MAX_DIMENSION);

  instance = lookup_instance (self, instance_id);
  if (instance == NULL || self->channel == NULL)
    return;
  instance->max_width_px = MAX (instance->max_width_px, width_px);
  instance->max_height_px = MAX (instance->max_height_px, height_px);
  bh_channel_send (self->channel, BH_MSG_PluginResize, g_variant_new ("(uuu)", instance_id, width_px, height_px),
                   NULL, 0);
}

void
bh_plugin_host_send_input (BhPluginHost *self, guint instance_id, guint kind, double x, double y, guint code,
                           guint modifiers)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (self->channel == NULL || lookup_instance (self, instance_id) == NULL)
    return;
  bh_channel_send (self->channel, BH_MSG_PluginInput,
                   g_variant_new ("(uudduu)", instance_id, kind, x, y, code, modifiers), NULL, 0);
}

void
bh_plugin_host_destroy_instance (BhPluginHost *self, guint instance_id)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (!g_hash_table_remove (self->instances, GUINT_TO_POINTER (instance_id)))
    return;
  if (self->channel != NULL)
    bh_channel_send (self->channel, BH_MSG_PluginDestroy, g_variant_new ("(u)", instance_id), NULL, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE_COUNT]);
  if (g_hash_table_size (self->instances) == 0 && !self->closing && self->idle_timeout_id == 0)
    self->idle_timeout_id = g_timeout_add (BH_PLUGIN_HOST_IDLE_GRACE_MS, idle_timeout_cb, self);
}

/* Public accessors. */

const char *
bh_plugin_host_get_plugin_type (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);
  return self->plugin_type;
}

int
bh_plugin_host_get_pid (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), 0);
  return (int) self->pid;
}

gboolean
bh_plugin_host_is_alive (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), FALSE);
  return self->launched && self->pid > 0 && !self->terminated;
}

gboolean
bh_plugin_host_is_ready (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), FALSE);
  return self->ready;
}

const char *
bh_plugin_host_get_sandbox_summary (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);
  return self->sandbox_summary != NULL ? self->sandbox_summary : "";
}

char *
bh_plugin_host_describe_sandbox (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);

  if (self->child == NULL || self->reaped || self->terminated)
    return g_strdup ("unknown (process gone)");
  return bh_child_process_describe_sandbox (self->child, NULL);
}

BhTerminationStatus
bh_plugin_host_get_termination_status (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), BH_TERMINATION_STATUS_STILL_RUNNING);
  return self->termination_status;
}

const char *
bh_plugin_host_get_termination_message (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);
  return self->termination_message != NULL ? self->termination_message : "";
}

guint
bh_plugin_host_get_instance_count (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), 0);
  return g_hash_table_size (self->instances);
}

GPtrArray *
bh_plugin_host_get_tabs (BhPluginHost *self)
{
  GPtrArray *tabs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), tabs);

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Instance *instance = value;

      if (instance->tab != NULL && !g_ptr_array_find (tabs, instance->tab, NULL))
        g_ptr_array_add (tabs, instance->tab);
    }
  return tabs;
}

guint64
bh_plugin_host_get_rss_kib (BhPluginHost *self)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const char *line;

  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), 0);

  if (self->pid <= 0 || self->reaped)
    return 0;
  path = g_strdup_printf ("/proc/%d/status", (int) self->pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, "\nVmRSS:");
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

void
bh_plugin_host_get_ipc_counts (BhPluginHost *self, guint64 *out_received, guint64 *out_sent)
{
  guint64 received = 0;
  guint64 sent = 0;

  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (self->channel != NULL)
    bh_channel_get_counts (self->channel, &received, &sent);
  if (out_received != NULL)
    *out_received = received;
  if (out_sent != NULL)
    *out_sent = sent;
}

/* GObject. */

static void
bh_plugin_host_dispose (GObject *object)
{
  BhPluginHost *self = BH_PLUGIN_HOST (object);

  g_clear_handle_id (&self->idle_timeout_id, g_source_remove);
  g_clear_handle_id (&self->reap_timeout_id, g_source_remove);
  close_channel (self);
  G_OBJECT_CLASS (bh_plugin_host_parent_class)->dispose (object);
}

static void
bh_plugin_host_finalize (GObject *object)
{
  BhPluginHost *self = BH_PLUGIN_HOST (object);

  /* The child watch holds a reference until the process is reaped. */
  g_assert (self->child_watch_id == 0);
  g_hash_table_unref (self->instances);
  g_hash_table_unref (self->buffer_owner);
  g_clear_pointer (&self->child, bh_child_process_free);
  g_clear_object (&self->browser);
  g_free (self->plugin_type);
  g_free (self->sandbox_summary);
  g_free (self->forced_message);
  g_free (self->bad_message_reason);
  g_free (self->termination_message);
  G_OBJECT_CLASS (bh_plugin_host_parent_class)->finalize (object);
}

static void
bh_plugin_host_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhPluginHost *self = BH_PLUGIN_HOST (object);

  switch (prop_id)
    {
    case PROP_PLUGIN_TYPE:
      g_value_set_string (value, self->plugin_type);
      break;
    case PROP_PID:
      g_value_set_int (value, (int) self->pid);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_SANDBOX:
      g_value_set_string (value, bh_plugin_host_get_sandbox_summary (self));
      break;
    case PROP_ALIVE:
      g_value_set_boolean (value, bh_plugin_host_is_alive (self));
      break;
    case PROP_TERMINATION_STATUS:
      g_value_set_enum (value, self->termination_status);
      break;
    case PROP_TERMINATION_MESSAGE:
      g_value_set_string (value, bh_plugin_host_get_termination_message (self));
      break;
    case PROP_INSTANCE_COUNT:
      g_value_set_uint (value, g_hash_table_size (self->instances));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_plugin_host_class_init (BhPluginHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_plugin_host_dispose;
  object_class->finalize = bh_plugin_host_finalize;
  object_class->get_property = bh_plugin_host_get_property;

  properties[PROP_PLUGIN_TYPE] = g_param_spec_string ("plugin-type", NULL, NULL, NULL, flags);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, flags);
  properties[PROP_SANDBOX] = g_param_spec_string ("sandbox", NULL, NULL, "", flags);
  properties[PROP_ALIVE] = g_param_spec_boolean ("alive", NULL, NULL, FALSE, flags);
  properties[PROP_TERMINATION_STATUS] =
    g_param_spec_enum ("termination-status", NULL, NULL, BH_TYPE_TERMINATION_STATUS,
                       BH_TERMINATION_STATUS_STILL_RUNNING, flags);
  properties[PROP_TERMINATION_MESSAGE] = g_param_spec_string ("termination-message", NULL, NULL, "", flags);
  properties[PROP_INSTANCE_COUNT] = g_param_spec_uint ("instance-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TERMINATED] = g_signal_new ("terminated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                             NULL, NULL, G_TYPE_NONE, 2, BH_TYPE_TERMINATION_STATUS, G_TYPE_STRING);
  signals[SIGNAL_REAPED] = g_signal_new ("reaped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 0);
}

static void
bh_plugin_host_init (BhPluginHost *self)
{
  self->instances = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) instance_free);
  self->buffer_owner = g_hash_table_new (NULL, NULL);
  self->termination_status = BH_TERMINATION_STATUS_STILL_RUNNING;
  self->forced_status = BH_TERMINATION_STATUS_STILL_RUNNING;
}
