/* bh-fetch-local.h: the schemes the browser answers itself (file:, data:,
 * about:) and what about:version shows.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * bh_fetch_add_version_info:
 * @component: what is described, "GTK"
 * @version: its version, "4.8.3"
 *
 * Adds a row to about:version: the network layer knows its own libraries
 * (GLib, libwebsockets, libpsl, zlib); the UI adds the ones it links (GTK).
 * Adding the same @component again replaces its version.
 */
void bh_fetch_add_version_info (const char *component,
                                const char *version);

G_END_DECLS
