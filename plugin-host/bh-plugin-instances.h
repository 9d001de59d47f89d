/* bh-plugin-instances.h: the instances one plugin host shows (internal to plugin-host/)
 *
 * The browser creates, resizes, feeds input to and destroys instances with plugin
 * messages; each instance holds the module's BhPluginInstance (or, when its data could
 * not be shown, the reason) and two shared-memory bitmaps it paints into, double
 * buffered as in the renderer. This is everything the plugin host reads from the
 * browser after start-up, with no process of its own around it, so the fuzzer
 * (tests/fuzz/fuzz-plugin-host.c) drives it as main.c does.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "bh-channel.h"
#include "bh-plugin.h"

G_BEGIN_DECLS

typedef struct _BhPluginInstances BhPluginInstances;

BhPluginInstances *bh_plugin_instances_new            (const BhPluginInfo *plugin,
                                                       BhChannel          *channel);
void               bh_plugin_instances_free           (BhPluginInstances  *self);
gboolean           bh_plugin_instances_handle_message (BhPluginInstances  *self,
                                                       BhMessage          *m);

void               bh_plugin_paint_error              (cairo_t            *cr,
                                                       guint               width_px,
                                                       guint               height_px,
                                                       const char         *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhPluginInstances, bh_plugin_instances_free)

G_END_DECLS
