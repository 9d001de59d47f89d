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

#include "bh-channel.h"
#include "bh-child-host.h"
#include "bh-config.h"
#include "bh-plugin-host-private.h"
#include "bh-shm.h"

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

  char *plugin_type;
  BhChildHost host; /* the process, its channel and its end */

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
  if (self == NULL || self->host.terminated || self->host.channel == NULL)
    return G_SOURCE_REMOVE;
  instance = g_hash_table_lookup (self->instances, GUINT_TO_POINTER (buffer->instance_id));
  /* A buffer a resize replaced (PluginBufferDestroyed: "never releases it"),
   * or of an instance that is gone, is no longer the host's to draw in. */
  if (instance == NULL || g_hash_table_lookup (instance->buffers, GUINT_TO_POINTER (buffer->buffer_id)) != buffer)
    return G_SOURCE_REMOVE;
  bh_channel_send (self->host.channel, BH_MSG_PluginReleaseBuffer,
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

/* What every area of a dead host shows. A host with instances does not end
 * by itself, so even a clean exit is a crash to the pages it served. */
static char *
area_message (BhPluginHost *self, BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return g_strdup_printf ("Plugin stopped: %s",
                              self->host.bad_message_reason != NULL ? self->host.bad_message_reason : "it broke the protocol");
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

/* The host's end is recorded: every area it served learns it. */
static void
terminated_cb (GObject *owner, BhTerminationStatus status, const char *message)
{
  BhPluginHost *self = BH_PLUGIN_HOST (owner);
  g_autofree char *for_areas = NULL;

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

/* Reaped: the host leaves its owner's list, which holds the last reference. */
static void
reaped_cb (GObject *owner)
{
  g_signal_emit (owner, signals[SIGNAL_REAPED], 0);
}

void
bh_plugin_host_kill (BhPluginHost *self, BhTerminationStatus status, const char *message)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  g_return_if_fail (status != BH_TERMINATION_STATUS_STILL_RUNNING);

  bh_child_host_kill (&self->host, status, message);
}

void
bh_plugin_host_report_bad_message (BhPluginHost *self, const char *reason)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  g_return_if_fail (reason != NULL);

  bh_child_host_report_bad_message (&self->host, "%s", reason);
}

#define bad_message(self, ...) bh_child_host_report_bad_message (&(self)->host, __VA_ARGS__)

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
ready_cb (GObject *owner)
{
  g_object_notify_by_pspec (owner, properties[PROP_READY]);
  g_object_notify_by_pspec (owner, properties[PROP_SANDBOX]);
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

  if (bh_child_host_handle_message (&self->host, message))
    return;
  switch (message->type)
    {
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

  bh_child_host_channel_error (&self->host, error);
}

static void idle_cb (GObject *owner);

static const BhChildHostHooks child_host_hooks = {
  .message = message_cb,
  .channel_error = channel_error_cb,
  .ready = ready_cb,
  .terminated = terminated_cb,
  .reaped = reaped_cb,
  .idle = idle_cb,
  .closing = NULL,
};

gboolean
bh_plugin_host_launch (BhPluginHost *self, GError **error)
{
  g_autofree char *type_arg = g_strdup_printf ("--plugin-type=%s", self->plugin_type);
  const char *const role_args[] = { "--type=plugin", type_arg, NULL };

  /* Sandboxed and limited as renderers are: a plugin parses hostile documents
   * too; --renderer-cmd-prefix is for renderers only. */
  if (!bh_child_host_launch (&self->host, bh_plugin_host_get_executable_path (), role_args, FALSE, error))
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALIVE]);
  return TRUE;
}

/* For the process manager and the plugin areas. */

BhPluginHost *
bh_plugin_host_new (const char *plugin_type, BhBrowserOptions *options)
{
  BhPluginHost *host;

  g_return_val_if_fail (bh_plugin_type_is_supported (plugin_type), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  host = g_object_new (BH_TYPE_PLUGIN_HOST, NULL);
  host->plugin_type = g_ascii_strdown (plugin_type, -1);
  bh_child_host_init (&host->host, G_OBJECT (host), options, &child_host_hooks, "plugin host", "plugin",
                      "was stopped for breaking the protocol", host->plugin_type);
  return host;
}

gboolean
bh_plugin_host_is_closing (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), TRUE);

  return bh_child_host_is_closing (&self->host);
}

void
bh_plugin_host_close (BhPluginHost *self)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (self->host.closing && self->host.channel == NULL)
    return;
  bh_child_host_close (&self->host);
}

static void
idle_cb (GObject *owner)
{
  BhPluginHost *self = BH_PLUGIN_HOST (owner);

  if (g_hash_table_size (self->instances) == 0)
    {
      g_debug ("plugin host %d (%s) has no instance left: closing", (int) self->host.pid, self->plugin_type);
      bh_plugin_host_close (self);
    }
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

  if (bh_plugin_host_is_closing (self) || self->host.channel == NULL)
    return 0;
  bh_child_host_cancel_idle_grace (&self->host);
  instance = g_new0 (Instance, 1);
  instance->id = ++self->next_instance_id;
  instance->tab = tab;
  instance->client = client;
  instance->user_data = user_data;
  instance->buffers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) plugin_buffer_unref);
  instance->max_width_px = width_px;
  instance->max_height_px = height_px;
  g_hash_table_insert (self->instances, GUINT_TO_POINTER (instance->id), instance);
  bh_channel_send (self->host.channel, BH_MSG_PluginCreate,
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
  if (instance == NULL || self->host.channel == NULL)
    return;
  instance->max_width_px = MAX (instance->max_width_px, width_px);
  instance->max_height_px = MAX (instance->max_height_px, height_px);
  bh_channel_send (self->host.channel, BH_MSG_PluginResize, g_variant_new ("(uuu)", instance_id, width_px, height_px),
                   NULL, 0);
}

void
bh_plugin_host_send_input (BhPluginHost *self, guint instance_id, guint kind, double x, double y, guint code,
                           guint modifiers)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (self->host.channel == NULL || lookup_instance (self, instance_id) == NULL)
    return;
  bh_channel_send (self->host.channel, BH_MSG_PluginInput,
                   g_variant_new ("(uudduu)", instance_id, kind, x, y, code, modifiers), NULL, 0);
}

void
bh_plugin_host_destroy_instance (BhPluginHost *self, guint instance_id)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));

  if (!g_hash_table_remove (self->instances, GUINT_TO_POINTER (instance_id)))
    return;
  if (self->host.channel != NULL)
    bh_channel_send (self->host.channel, BH_MSG_PluginDestroy, g_variant_new ("(u)", instance_id), NULL, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE_COUNT]);
  if (g_hash_table_size (self->instances) == 0)
    bh_child_host_start_idle_grace (&self->host, BH_PLUGIN_HOST_IDLE_GRACE_MS);
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
  return (int) self->host.pid;
}

gboolean
bh_plugin_host_is_alive (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), FALSE);
  return bh_child_host_is_alive (&self->host);
}

gboolean
bh_plugin_host_is_ready (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), FALSE);
  return self->host.ready;
}

const char *
bh_plugin_host_get_sandbox_summary (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);
  return self->host.sandbox_summary != NULL ? self->host.sandbox_summary : "";
}

char *
bh_plugin_host_describe_sandbox (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);

  return bh_child_host_describe_sandbox (&self->host);
}

BhTerminationStatus
bh_plugin_host_get_termination_status (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), BH_TERMINATION_STATUS_STILL_RUNNING);
  return self->host.termination_status;
}

const char *
bh_plugin_host_get_termination_message (BhPluginHost *self)
{
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), NULL);
  return self->host.termination_message != NULL ? self->host.termination_message : "";
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
  g_return_val_if_fail (BH_IS_PLUGIN_HOST (self), 0);
  return bh_child_host_get_rss_kib (&self->host);
}

void
bh_plugin_host_get_ipc_counts (BhPluginHost *self, guint64 *out_received, guint64 *out_sent)
{
  g_return_if_fail (BH_IS_PLUGIN_HOST (self));
  bh_child_host_get_ipc_counts (&self->host, out_received, out_sent);
}

/* GObject. */

static void
bh_plugin_host_dispose (GObject *object)
{
  BhPluginHost *self = BH_PLUGIN_HOST (object);

  bh_child_host_dispose (&self->host);
  G_OBJECT_CLASS (bh_plugin_host_parent_class)->dispose (object);
}

static void
bh_plugin_host_finalize (GObject *object)
{
  BhPluginHost *self = BH_PLUGIN_HOST (object);

  bh_child_host_finalize (&self->host);
  g_hash_table_unref (self->instances);
  g_hash_table_unref (self->buffer_owner);
  g_free (self->plugin_type);
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
      g_value_set_int (value, (int) self->host.pid);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->host.ready);
      break;
    case PROP_SANDBOX:
      g_value_set_string (value, bh_plugin_host_get_sandbox_summary (self));
      break;
    case PROP_ALIVE:
      g_value_set_boolean (value, bh_plugin_host_is_alive (self));
      break;
    case PROP_TERMINATION_STATUS:
      g_value_set_enum (value, self->host.termination_status);
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
  self->host.termination_status = BH_TERMINATION_STATUS_STILL_RUNNING;
}
