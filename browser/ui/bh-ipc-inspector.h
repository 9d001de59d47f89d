/* bh-ipc-inspector.h: the IPC inspector window (main menu, about:ipc).
 *
 * Every message between the browser and its children as it happens, one row
 * each: the time, a lane per process with an arrow from sender to receiver,
 * from → to, the message name, its size, its fds and the decoded payload with
 * the catalogue's field names (bh-trace.h). A filter entry takes the same
 * globs as --ipc-debug ("*,-Ping,-Pong"); Pause holds new rows back until
 * Resume. Selecting a row shows its fields one per line, its fds (memfd size
 * and seals) and, for a FrameReady, a thumbnail of the shared bitmap it names,
 * read from the memfd the renderer shared in BufferCreated.
 *
 * It costs nothing while closed: its trace sink exists only while the window
 * does, so with no other sink channels build no events at all.
 */
#pragma once

#include <gtk/gtk.h>

#include "bh-browser.h"

G_BEGIN_DECLS

/* The most rows kept; older ones are dropped first. */
#define BH_IPC_INSPECTOR_MAX_ROWS 20000u
/* Payloads larger than this are not kept for the details pane (the row's
 * text, cut, is). */
#define BH_IPC_INSPECTOR_MAX_KEPT_PAYLOAD_BYTES (16u * 1024u)
/* How often new rows are added to the list while messages come. */
#define BH_IPC_INSPECTOR_FLUSH_MS 100u
/* A FrameReady thumbnail's width in pixels. */
#define BH_IPC_INSPECTOR_THUMBNAIL_PX 240

#define BH_TYPE_IPC_INSPECTOR (bh_ipc_inspector_get_type ())
G_DECLARE_FINAL_TYPE (BhIpcInspector, bh_ipc_inspector, BH, IPC_INSPECTOR, GtkWindow)

/**
 * bh_ipc_inspector_new:
 * @browser: (transfer none): the browser whose messages to show (held)
 *
 * Returns: (transfer full): a new, unshown inspector, already listening.
 */
GtkWidget *bh_ipc_inspector_new (BhBrowser *browser);

/**
 * bh_ipc_inspector_attach:
 * @application: the browser's GtkApplication
 * @browser: (transfer none): its browser
 *
 * Adds the application action "ipc-inspector" (the main menu's IPC Inspector
 * item, and about:ipc in a tab): it opens the inspector, or raises the one
 * open. The inspector goes with the application's "shutdown".
 */
void bh_ipc_inspector_attach (GtkApplication *application, BhBrowser *browser);

/**
 * bh_ipc_inspector_get_n_rows:
 *
 * Returns: the rows the filter shows now (tests).
 */
guint bh_ipc_inspector_get_n_rows (BhIpcInspector *self);

/**
 * bh_ipc_inspector_get_row_text:
 * @index: a shown row
 *
 * Returns: (transfer full): "FROM -> TO NAME(fields) fds=[...]" (tests).
 */
char *bh_ipc_inspector_get_row_text (BhIpcInspector *self, guint index);

/**
 * bh_ipc_inspector_select:
 * @index: a shown row
 *
 * Selects it, as a click would.
 */
void bh_ipc_inspector_select (BhIpcInspector *self, guint index);

/**
 * bh_ipc_inspector_get_details:
 *
 * Returns: (transfer full): the selected row's details text ("" if none).
 */
char *bh_ipc_inspector_get_details (BhIpcInspector *self);

/**
 * bh_ipc_inspector_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the selected FrameReady's thumbnail.
 */
GdkTexture *bh_ipc_inspector_get_thumbnail (BhIpcInspector *self);

/**
 * bh_ipc_inspector_set_filter:
 * @globs: as --ipc-debug's
 *
 * As typing in the filter entry.
 */
void bh_ipc_inspector_set_filter (BhIpcInspector *self, const char *globs);

/**
 * bh_ipc_inspector_set_paused:
 *
 * As the Pause/Resume button.
 */
void bh_ipc_inspector_set_paused (BhIpcInspector *self, gboolean paused);

G_END_DECLS
