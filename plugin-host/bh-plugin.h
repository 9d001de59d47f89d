/* bh-plugin.h: the interface every plugin module implements.
 *
 * A plugin turns one kind of content (a MIME type) into pixels. It is a
 * shared module loaded with GModule by the plugin host (plugin-host/main.c)
 * before the host enters its sandbox, and it never sees the IPC: the host
 * maps the data the browser sent, owns the shared-memory bitmaps, and calls
 * the plugin to paint into them. A plugin therefore needs no file, no socket
 * and no process of its own; everything it reads arrives as a #GBytes.
 *
 * The module exports one symbol, bh_plugin_get_info() (%BH_PLUGIN_ENTRY_SYMBOL),
 * which returns a static #BhPluginInfo: a table of function pointers in the
 * manner of GModule-based plugin interfaces such as GIO's extension points or
 * gdk-pixbuf's loader modules. The module's file is named after its MIME type
 * as freedesktop.org icon names are ("application/pdf" -> "application-pdf.so",
 * "image/svg+xml" -> "image-svg+xml.so"), so a host loads exactly one module.
 *
 * Every function is called from the host's main thread only, one at a time.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <gmodule.h>

G_BEGIN_DECLS

/* Raised whenever #BhPluginInfo changes incompatibly; the host refuses other values. */
#define BH_PLUGIN_ABI_VERSION 1u

/* The name of the one symbol a plugin module exports. */
#define BH_PLUGIN_ENTRY_SYMBOL "bh_plugin_get_info"

/* An instance as the plugin defines it; the host only holds the pointer. */
typedef struct _BhPluginInstance BhPluginInstance;

/* What a #BhPluginInfo.input call reports; the values are PluginInput's "kind" on the wire. */
typedef enum {
  BH_PLUGIN_INPUT_MOTION = 0,  /* the pointer moved to (x, y) */
  BH_PLUGIN_INPUT_PRESS = 1,   /* a mouse button went down at (x, y) */
  BH_PLUGIN_INPUT_RELEASE = 2, /* a mouse button went up at (x, y) */
  BH_PLUGIN_INPUT_SCROLL = 3,  /* the wheel turned by (x, y) steps: dx, dy, +dy is down */
  BH_PLUGIN_INPUT_KEY = 4,     /* a key was pressed; code is a GDK keyval */
} BhPluginInputKind;

#define BH_PLUGIN_INPUT_LAST BH_PLUGIN_INPUT_KEY

/* GdkModifierType bits as they arrive in PluginInput; plugins do not link GTK. */
#define BH_PLUGIN_MODIFIER_SHIFT (1u << 0)
#define BH_PLUGIN_MODIFIER_CONTROL (1u << 2)

/**
 * BhPluginInfo:
 * @abi_version: %BH_PLUGIN_ABI_VERSION when the module was built
 * @mime_type: the one MIME type the plugin renders, lower case, e.g. "application/pdf"
 * @kind_name: what a user calls this content, for messages: "PDF", "SVG image"
 * @warm_up: (nullable): loads, before the sandbox closes the filesystem, what the
 *   plugin would otherwise open lazily on first use (its library's global state,
 *   fontconfig, the fonts it falls back to). It must not fail; a plugin that cannot
 *   warm up fails later in @create with a message.
 * @create: makes an instance @width_px × @height_px showing @data (transfer none:
 *   the plugin takes its own reference if it keeps it). Returns %NULL and sets
 *   @error, with a message meant for the user (the host shows it as "This PDF could
 *   not be opened: MESSAGE"), when the data cannot be shown.
 * @resize: the instance's area is now @width_px × @height_px (both >= 1).
 * @input: one input event in the instance's coordinates (see #BhPluginInputKind);
 *   @code is the mouse button (1 left, 2 middle, 3 right) or the GDK keyval;
 *   @modifiers a GdkModifierType. Returns %TRUE when what the instance shows
 *   changed, so the host paints a new frame.
 * @paint: paints the whole instance into @cr, whose origin is the instance's top-left
 *   corner and whose clip is its area, in device pixels; the target starts out
 *   transparent, so the plugin paints its own background.
 * @destroy: frees the instance.
 *
 * The table a plugin module returns from bh_plugin_get_info(). All members
 * except @warm_up are required.
 */
typedef struct {
  guint abi_version;
  const char *mime_type;
  const char *kind_name;
  void (*warm_up) (void);
  BhPluginInstance *(*create) (guint width_px, guint height_px, GBytes *data, GError **error);
  void (*resize) (BhPluginInstance *instance, guint width_px, guint height_px);
  gboolean (*input) (BhPluginInstance *instance, BhPluginInputKind kind, double x, double y,
                     guint code, guint modifiers);
  void (*paint) (BhPluginInstance *instance, cairo_t *cr);
  void (*destroy) (BhPluginInstance *instance);
} BhPluginInfo;

/**
 * BhPluginGetInfoFunc:
 *
 * The type of bh_plugin_get_info(), the one symbol a plugin module exports
 * (with %G_MODULE_EXPORT).
 *
 * Returns: (transfer none): the module's static table; never %NULL.
 */
typedef const BhPluginInfo *(*BhPluginGetInfoFunc) (void);

G_MODULE_EXPORT const BhPluginInfo *bh_plugin_get_info (void);

/* The error domain plugins use for @create failures. */
#define BH_PLUGIN_ERROR (g_quark_from_static_string ("bh-plugin-error-quark"))

typedef enum {
  BH_PLUGIN_ERROR_INVALID_DATA, /* the data is not a document of this type */
  BH_PLUGIN_ERROR_EMPTY,        /* a valid document with nothing to show (no pages) */
} BhPluginError;

G_END_DECLS
