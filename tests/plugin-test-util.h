/* plugin-test-util.h: what the plugin tests share: a site directory with the
 * test pages and real documents, HTTP servers for it on 127.0.0.x, waiting,
 * counting plugin host processes and judging pixels.
 *
 * The documents are real: the PDF shared-mime-info ships in /usr/share/doc
 * (as tests/test-plugin-host.c uses it), half of it as a truncated copy, and
 * ImageMagick's SVG logo, inflated from the .svgz Debian ships.
 */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define PLUGIN_TEST_PDF_PATH "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"
#define PLUGIN_TEST_SVG_PATH "/usr/share/icons/hicolor/scalable/apps/display-im6.q16.svgz"
#define PLUGIN_TEST_TIMEOUT_S 20

/* Waits, iterating the default main context, until @condition holds or the
 * timeout passes; then asserts it. */
#define PLUGIN_TEST_WAIT_FOR(condition)                                                      \
  G_STMT_START                                                                               \
  {                                                                                          \
    gint64 wait_deadline_ = g_get_monotonic_time () + PLUGIN_TEST_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition) && g_get_monotonic_time () < wait_deadline_)                         \
      if (!g_main_context_iteration (NULL, FALSE))                                           \
        g_usleep (1000);                                                                     \
    if (!(condition))                                                                        \
      g_error ("timed out after %d s waiting for %s", PLUGIN_TEST_TIMEOUT_S, #condition);    \
  }                                                                                          \
  G_STMT_END

/**
 * plugin_test_site_new:
 *
 * A temporary directory with tests/data/plugin-*.html, spec.pdf, spec.bin
 * (the same bytes, served as application/octet-stream), truncated.pdf (its
 * first half), logo.svg, and fake.pdf holding @fake_mode (for
 * tests/bh-fake-plugin-host.c; %NULL for none).
 *
 * Returns: (transfer full): its path; remove it with plugin_test_site_free().
 */
char *plugin_test_site_new (const char *fake_mode);
void plugin_test_site_free (char *dir);

typedef struct _PluginTestServer PluginTestServer;

/**
 * plugin_test_server_start:
 * @dir: what to serve
 * @address: 127.0.0.1, 127.0.0.2...: each address is a site of its own
 *
 * Runs `/usr/bin/python3 -m http.server 0 --bind ADDRESS --directory DIR`.
 *
 * Returns: (transfer full): the server; its base URL ends with "/".
 */
PluginTestServer *plugin_test_server_start (const char *dir, const char *address);
const char *plugin_test_server_get_base_url (PluginTestServer *server);
void plugin_test_server_stop (PluginTestServer *server);

/**
 * plugin_test_count_plugin_hosts:
 * @plugin_type: the --plugin-type= to look for
 *
 * Counts the plugin-host processes (argv[0] named plugin-host, with
 * --type=plugin and --plugin-type=@plugin_type) that descend from this
 * process, from /proc: bubblewrap's own processes, whose argv holds the same
 * words, are not counted.
 *
 * Returns: how many there are.
 */
guint plugin_test_count_plugin_hosts (const char *plugin_type);

/* Pixels of a texture, downloaded once (cairo ARGB32). */
cairo_surface_t *plugin_test_texture_to_surface (GdkTexture *texture);

typedef struct {
  guint8 r, g, b, a;
} PluginTestRgba;

typedef gboolean (*PluginTestPixelFunc) (PluginTestRgba p);

/* Counts the pixels of @surface in [x0, x1) × [y0, y1) (clipped) that pass @test. */
gsize plugin_test_count_pixels (cairo_surface_t *surface, int x0, int y0, int x1, int y1, PluginTestPixelFunc test);

gboolean plugin_test_is_white (PluginTestRgba p);
gboolean plugin_test_is_dark (PluginTestRgba p);
gboolean plugin_test_is_blue (PluginTestRgba p);
/* The crash placeholder's grey, #bdc1c6 (browser/process/bh-tab-plugins.c). */
gboolean plugin_test_is_placeholder_grey (PluginTestRgba p);
/* The renderer's grey box where a plugin goes, #e6e6e6 (renderer/engine/bh-layout.c). */
gboolean plugin_test_is_renderer_grey (PluginTestRgba p);

/**
 * plugin_test_save:
 * @output_dir: where test output goes
 *
 * Writes @surface as @name (PNG) and names the file in the TAP output.
 */
void plugin_test_save (cairo_surface_t *surface, const char *output_dir, const char *name);

/* A directory for the test's pictures, removed by plugin_test_output_dir_free()
 * unless BULKHEAD_KEEP_TEST_OUTPUT=1. */
char *plugin_test_output_dir_new (void);
void plugin_test_output_dir_free (char *dir);

G_END_DECLS
