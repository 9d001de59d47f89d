/* bh-plugin-host-private.h: what the process manager and the plugin areas of
 * tabs use of a plugin host.
 *
 * An area (bh-tab-plugins.c) asks for the host of its plugin type, creates
 * an instance in it and is called back, through #BhPluginInstanceClient,
 * only with what the host has checked: frames, errors, and the host's end.
 */
#pragma once

#include <gdk/gdk.h>

#include "bh-browser-options.h"
#include "bh-plugin-host.h"

G_BEGIN_DECLS

/* How long a plugin host with no instance left is kept for one that may come
 * (the next page of a site that embeds PDFs), before its channel is closed. */
#define BH_PLUGIN_HOST_IDLE_GRACE_MS 1000u

/**
 * BhPluginInstanceClient:
 * @frame_ready: a new frame of the instance, a #GdkMemoryTexture straight over
 *   the plugin host's shared bitmap (no copy). Keep a reference while it is
 *   shown: dropping the last one gives the buffer back to the plugin host
 *   (PluginReleaseBuffer), as for the tab's own frame.
 * @error: the plugin host could not show the data; @message is meant for the
 *   user ("This PDF could not be opened: ..."), cut to a sane length. The host
 *   also paints it into the instance's next frame.
 * @gone: the plugin host ended: the instance no longer exists. @status is how;
 *   @area_message what the area shows: "Plugin crashed", "Plugin stopped:
 *   REASON" after a bad message, "Plugin could not be started".
 *
 * The callbacks an instance's owner gets. Each runs on the main thread.
 */
typedef struct {
  void (*frame_ready) (gpointer user_data, GdkTexture *frame);
  void (*error) (gpointer user_data, const char *message);
  void (*gone) (gpointer user_data, BhTerminationStatus status, const char *area_message);
} BhPluginInstanceClient;

/**
 * bh_plugin_host_new:
 * @plugin_type: a type for which bh_plugin_type_is_supported()
 * @options: the command line; the host keeps a reference
 *
 * For the process manager (bh_process_manager_get_plugin_host()), which
 * keeps one live host per plugin type.
 *
 * Returns: (transfer full): a host; call bh_plugin_host_launch().
 */
BhPluginHost *bh_plugin_host_new (const char *plugin_type, BhBrowserOptions *options);

/**
 * bh_plugin_host_launch:
 * @error: why it could not be spawned (%BH_LAUNCHER_ERROR)
 *
 * Spawns the plugin host, sandboxed as renderers are (--no-sandbox and
 * --ipc-debug passed on). On failure the host is dead with
 * %BH_TERMINATION_STATUS_LAUNCH_FAILED.
 */
gboolean bh_plugin_host_launch (BhPluginHost *host, GError **error);

/**
 * bh_plugin_host_is_closing:
 *
 * Returns: %TRUE once the host is dead or has closed its idle channel: no new
 *   instance may go to it.
 */
gboolean bh_plugin_host_is_closing (BhPluginHost *host);

/**
 * bh_plugin_host_close:
 *
 * Closes the channel (the plugin host exits on EOF) without any area showing
 * a termination: for shutdown and the idle grace period.
 */
void bh_plugin_host_close (BhPluginHost *host);

/**
 * bh_plugin_host_create_instance:
 * @tab: (transfer none): the tab the instance's area belongs to, for the task
 *   manager; the owner destroys the instance before the tab goes
 * @width_px: the area's width in device px, 1..%BH_BITMAP_MAX_DIMENSION
 * @height_px: its height
 * @data_fd: (transfer none): the content in a sealed memfd (bh_blob_new()); it
 *   is dup'ed for sending, so the caller may keep it to create the instance
 *   again after a crash without a copy
 * @data_size: the bytes of @data_fd the plugin reads
 * @client: (transfer none): static callbacks
 * @user_data: for @client
 *
 * Picks an instance id unique in this host and sends PluginCreate.
 *
 * Returns: the instance id (never 0), or 0 when the host is closing.
 */
guint bh_plugin_host_create_instance (BhPluginHost *host, BhTab *tab, guint width_px, guint height_px,
                                      int data_fd, gsize data_size, const BhPluginInstanceClient *client,
                                      gpointer user_data);

/**
 * bh_plugin_host_resize_instance:
 * @width_px: device px, 1..%BH_BITMAP_MAX_DIMENSION
 * @height_px: device px
 *
 * Sends PluginResize; the host answers with new buffers and a frame.
 */
void bh_plugin_host_resize_instance (BhPluginHost *host, guint instance_id, guint width_px, guint height_px);

/**
 * bh_plugin_host_send_input:
 * @kind: PluginInput's kind: 0 move, 1 press, 2 release, 3 scroll, 4 key
 * @x: pointer x in px of the instance (box-local device px), or the wheel's
 *   dx in steps for a scroll, 0 for a key
 * @y: likewise
 * @code: the mouse button or the GDK keyval
 * @modifiers: a GdkModifierType
 *
 * Sends PluginInput (common/bh-messages.h).
 */
void bh_plugin_host_send_input (BhPluginHost *host, guint instance_id, guint kind, double x, double y,
                                guint code, guint modifiers);

/**
 * bh_plugin_host_destroy_instance:
 *
 * Sends PluginDestroy and forgets the instance's buffers (a frame still shown
 * keeps its mapping until GTK lets go of it); no callback of the instance
 * runs after this. Starts the idle grace period after the last instance.
 */
void bh_plugin_host_destroy_instance (BhPluginHost *host, guint instance_id);

G_END_DECLS
