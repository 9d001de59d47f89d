/* test-browser-plugins.c: plugins in the browser, as a user and a peer see them.
 *
 * The browser core runs in this process (no window: tabs, renderer hosts,
 * plugin hosts), the real renderer and plugin-host binaries are spawned by
 * it through the launcher, sandboxed as in use, and the pages come from
 * /usr/bin/python3 -m http.server on 127.0.0.1 and 127.0.0.2 (two sites).
 * What is checked is what a user would see (the tab's composited snapshot,
 * the same pixels --headless writes; a headless screenshot of the real
 * browser) and what the system shows (/proc, the browser's process lists).
 *
 * Pictures go to a temporary directory named in the TAP output; set
 * BULKHEAD_KEEP_TEST_OUTPUT=1 to keep them.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "bh-browser.h"
#include "bh-plugin-host.h"
#include "bh-process-list.h"
#include "bh-sandbox-page.h"
#include "bh-tab-plugins.h"
#include "bh-test-profile.h"
#include "plugin-test-util.h"

#define VIEW_WIDTH_PX 1000
#define VIEW_HEIGHT_PX 700
#define KEY_Page_Down 0xff56
#define KEY_End 0xff57
#define MOUSE_MOVE 0
#define MOUSE_PRESS 1
#define MOUSE_RELEASE 2

typedef struct {
  char *site_dir;
  char *output_dir;
  PluginTestServer *site_a; /* http://127.0.0.1:PORT/ */
  PluginTestServer *site_b; /* http://127.0.0.2:PORT/, another site */
  BhBrowser *browser;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  BhBrowserOptions *options = bh_browser_options_new ();

  f->site_dir = plugin_test_site_new (data);
  f->output_dir = plugin_test_output_dir_new ();
  f->site_a = plugin_test_server_start (f->site_dir, "127.0.0.1");
  f->site_b = plugin_test_server_start (f->site_dir, "127.0.0.2");
  options->window_width_px = VIEW_WIDTH_PX;
  options->window_height_px = VIEW_HEIGHT_PX;
  f->browser = bh_browser_new (options, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  bh_browser_shutdown (f->browser, 2000);
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_plugin_hosts (f->browser)), ==, 0);
  g_clear_object (&f->browser);
  plugin_test_server_stop (f->site_a);
  plugin_test_server_stop (f->site_b);
  plugin_test_site_free (f->site_dir);
  plugin_test_output_dir_free (f->output_dir);
}

static char *
url_of (PluginTestServer *server, const char *path)
{
  return g_strconcat (plugin_test_server_get_base_url (server), path, NULL);
}

static BhTab *
open_tab (Fixture *f, PluginTestServer *server, const char *path)
{
  g_autofree char *url = url_of (server, path);
  BhTab *tab = bh_browser_new_tab (f->browser);

  bh_tab_set_viewport (tab, VIEW_WIDTH_PX, VIEW_HEIGHT_PX, 1.0);
  bh_tab_navigate (tab, url);
  return tab;
}

/* The tab's area @index as it would be drawn now; NULL if there is none. */
static BhPluginFrame *
area_of (BhTab *tab, guint index)
{
  g_autoptr (GPtrArray) frames = bh_tab_get_plugin_frames (tab);

  if (index >= frames->len)
    return NULL;
  return g_ptr_array_steal_index (frames, index);
}

static gboolean
area_is (BhTab *tab, guint index, BhPluginAreaState state)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, index);

  return area != NULL && area->state == state && (state == BH_PLUGIN_AREA_LOADING || area->texture != NULL);
}

/* The page has loaded and its area @index shows a plugin frame. */
static gboolean
tab_shows_plugin (BhTab *tab, guint index)
{
  return bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE && bh_tab_get_frame (tab) != NULL &&
         area_is (tab, index, BH_PLUGIN_AREA_RUNNING);
}

/* Remembers the area's texture without keeping it alive: a browser that
 * holds on to frames is what makes a plugin host wait to paint (double
 * buffering, PluginReleaseBuffer). Freed, it reads as NULL. */
static void
remember_texture (BhTab *tab, guint index, GdkTexture **out_shown)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, index);

  g_assert_nonnull (area);
  g_assert_nonnull (area->texture);
  *out_shown = area->texture;
  g_object_add_weak_pointer (G_OBJECT (*out_shown), (gpointer *) out_shown);
}

static void
forget_texture (GdkTexture **shown)
{
  if (*shown != NULL)
    g_object_remove_weak_pointer (G_OBJECT (*shown), (gpointer *) shown);
  *shown = NULL;
}

/* The area shows a texture other than @shown (see remember_texture()). */
static gboolean
area_texture_changed (BhTab *tab, guint index, GdkTexture *shown)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, index);

  return area != NULL && area->texture != NULL && area->texture != shown;
}

static gboolean
area_texture_has_size (BhTab *tab, guint index, int width_px, int height_px)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, index);

  return area != NULL && area->texture != NULL && gdk_texture_get_width (area->texture) == width_px &&
         gdk_texture_get_height (area->texture) == height_px;
}

static gboolean
area_runs_type (BhTab *tab, guint index, const char *plugin_type)
{
  g_autoptr (BhPluginFrame) area = area_of (tab, index);

  return area != NULL && g_str_equal (area->plugin_type, plugin_type) && area->state == BH_PLUGIN_AREA_RUNNING &&
         area->texture != NULL;
}

static int
scroll_y_of (BhTab *tab)
{
  int scroll_y = 0;

  g_object_get (tab, "scroll-y", &scroll_y, NULL);
  return scroll_y;
}

static cairo_surface_t *
snapshot_of (BhTab *tab)
{
  g_autoptr (GdkTexture) snapshot = bh_tab_snapshot (tab);

  g_assert_nonnull (snapshot);
  return plugin_test_texture_to_surface (snapshot);
}

/* Pixels that differ between two surfaces of the same size. */
static gsize
count_differences (cairo_surface_t *a, cairo_surface_t *b)
{
  int width = cairo_image_surface_get_width (a);
  int height = cairo_image_surface_get_height (a);
  gsize n = 0;

  g_assert_cmpint (width, ==, cairo_image_surface_get_width (b));
  g_assert_cmpint (height, ==, cairo_image_surface_get_height (b));
  for (int y = 0; y < height; y++)
    {
      const guint32 *ra = (const guint32 *) (cairo_image_surface_get_data (a) + y * cairo_image_surface_get_stride (a));
      const guint32 *rb = (const guint32 *) (cairo_image_surface_get_data (b) + y * cairo_image_surface_get_stride (b));

      for (int x = 0; x < width; x++)
        if (ra[x] != rb[x])
          n++;
    }
  return n;
}

/* A PDF's first page inside the area: white paper and dark text, not the
 * renderer's grey box. */
static void
assert_pdf_in_area (cairo_surface_t *shot, const BhPluginFrame *area)
{
  int x0 = area->x_px, y0 = area->y_px, x1 = area->x_px + area->width_px, y1 = area->y_px + area->height_px;
  gsize all = (gsize) area->width_px * (gsize) area->height_px;

  g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_white), >, all / 3);
  g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_dark), >, 300);
  g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_renderer_grey), <, all / 100);
}

static BhPluginHost *
live_host_of_type (BhBrowser *browser, const char *type, guint *out_count)
{
  GListModel *hosts = bh_browser_get_plugin_hosts (browser);
  BhPluginHost *found = NULL;
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhPluginHost) host = g_list_model_get_item (hosts, i);

      if (bh_plugin_host_is_alive (host) && g_str_equal (bh_plugin_host_get_plugin_type (host), type))
        {
          found = host; /* the list keeps it alive */
          count++;
        }
    }
  if (out_count != NULL)
    *out_count = count;
  return found;
}

/* Pss of /proc/PID/smaps_rollup (proc(5)): shared pages counted once
 * across the processes that map them, in KiB; -1 if unreadable. */
static gint64
pss_kib (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (line = strstr (contents, "\nPss:")) == NULL)
    return -1;
  return (gint64) g_ascii_strtoull (line + strlen ("\nPss:"), NULL, 10);
}

static guint
count_live_renderers (BhBrowser *browser)
{
  GListModel *hosts = bh_browser_get_renderer_hosts (browser);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (BhRendererHost) host = g_list_model_get_item (hosts, i);

      count += bh_renderer_host_is_alive (host) ? 1 : 0;
    }
  return count;
}

static void
close_tab (BhTab *tab)
{
  bh_tab_close (tab);
  g_object_unref (tab);
}

/* Two tabs on two sites embed a PDF, a third embeds an SVG image: one plugin
 * host per type, whatever the tabs and sites; each area shows its document. */
static void
test_one_host_per_type (Fixture *f, gconstpointer data)
{
  BhTab *tab_a, *tab_b, *tab_c;
  g_autoptr (BhPluginFrame) area_a = NULL;
  g_autoptr (BhPluginFrame) area_b = NULL;
  g_autoptr (BhPluginFrame) area_c = NULL;
  cairo_surface_t *shot;
  BhPluginHost *pdf_host, *svg_host;
  guint n_pdf = 0, n_svg = 0;
  BhProcessList *list;
  guint plugin_rows = 0;

  /* The first PDF starts the plugin host: the cold figure. */
  tab_a = open_tab (f, f->site_a, "plugin-embed-pdf.html");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab_a, 0));
  tab_b = open_tab (f, f->site_b, "plugin-object-pdf.html");
  tab_c = open_tab (f, f->site_a, "plugin-embed-svg.html");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab_b, 0) && tab_shows_plugin (tab_c, 0));

  pdf_host = live_host_of_type (f->browser, "application/pdf", &n_pdf);
  svg_host = live_host_of_type (f->browser, "image/svg+xml", &n_svg);
  g_assert_cmpuint (n_pdf, ==, 1);
  g_assert_cmpuint (n_svg, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bh_browser_get_plugin_hosts (f->browser)), ==, 2);
  g_assert_cmpuint (plugin_test_count_plugin_hosts ("application/pdf"), ==, 1);
  g_assert_cmpuint (plugin_test_count_plugin_hosts ("image/svg+xml"), ==, 1);
  /* Two sites: two renderers, which never see a plugin host. */
  g_assert_cmpuint (count_live_renderers (f->browser), ==, 2);
  g_assert_cmpuint (bh_plugin_host_get_instance_count (pdf_host), ==, 2);
  g_assert_cmpuint (bh_plugin_host_get_instance_count (svg_host), ==, 1);
  g_assert_cmpstr (bh_plugin_host_get_sandbox_summary (pdf_host), ==, "seccomp-bpf");
  {
    g_autofree char *sandbox = bh_plugin_host_describe_sandbox (pdf_host);

    g_test_message ("PDF plugin host %d sandbox: %s", bh_plugin_host_get_pid (pdf_host), sandbox);
    g_assert_nonnull (strstr (sandbox, "seccomp"));
  }

  area_a = area_of (tab_a, 0);
  area_b = area_of (tab_b, 0);
  area_c = area_of (tab_c, 0);
  g_assert_cmpstr (area_a->plugin_type, ==, "application/pdf");
  g_assert_cmpstr (area_c->plugin_type, ==, "image/svg+xml");
  g_assert_cmpint (area_a->host_pid, ==, bh_plugin_host_get_pid (pdf_host));
  g_assert_cmpint (area_b->host_pid, ==, bh_plugin_host_get_pid (pdf_host));
  g_assert_cmpint (area_c->host_pid, ==, bh_plugin_host_get_pid (svg_host));
  /* The boxes as the pages give them, in device px at scale 1. */
  g_assert_cmpint (area_a->width_px, ==, 480);
  g_assert_cmpint (area_a->height_px, ==, 360);
  g_assert_cmpint (area_b->width_px, ==, 400);
  g_assert_cmpint (area_b->height_px, ==, 320);
  g_assert_cmpint (gdk_texture_get_width (area_a->texture), ==, 480);

  g_test_message ("MEASURE time to first plugin frame (box report -> first PluginFrameReady), real PDF: "
                  "%.1f ms with the plugin host spawned for it, %.1f ms in the running host",
                  area_a->first_frame_latency_us / 1000.0, area_b->first_frame_latency_us / 1000.0);
  g_test_message ("MEASURE time to first plugin frame, SVG logo (host spawned for it): %.1f ms",
                  area_c->first_frame_latency_us / 1000.0);
  g_test_message ("MEASURE PDF plugin host with two instances (480x360 and 400x320): VmRSS %" G_GUINT64_FORMAT
                  " KiB, Pss %" G_GINT64_FORMAT " KiB; SVG plugin host with one: VmRSS %" G_GUINT64_FORMAT
                  " KiB, Pss %" G_GINT64_FORMAT " KiB",
                  bh_plugin_host_get_rss_kib (pdf_host), pss_kib (bh_plugin_host_get_pid (pdf_host)),
                  bh_plugin_host_get_rss_kib (svg_host), pss_kib (bh_plugin_host_get_pid (svg_host)));

  shot = snapshot_of (tab_a);
  plugin_test_save (shot, f->output_dir, "embed-pdf-site-a.png");
  assert_pdf_in_area (shot, area_a);
  /* The page around it is the renderer's: its text above the box. */
  g_assert_cmpuint (plugin_test_count_pixels (shot, 0, 0, VIEW_WIDTH_PX, area_a->y_px, plugin_test_is_dark), >, 200);
  cairo_surface_destroy (shot);

  shot = snapshot_of (tab_b);
  plugin_test_save (shot, f->output_dir, "object-pdf-site-b.png");
  assert_pdf_in_area (shot, area_b);
  cairo_surface_destroy (shot);

  shot = snapshot_of (tab_c);
  plugin_test_save (shot, f->output_dir, "embed-svg.png");
  g_assert_cmpuint (plugin_test_count_pixels (shot, area_c->x_px, area_c->y_px, area_c->x_px + area_c->width_px,
                                              area_c->y_px + area_c->height_px, plugin_test_is_blue),
                    >, 3000);
  /* No blue outside the box: the image is where the page put it. */
  g_assert_cmpuint (plugin_test_count_pixels (shot, 0, area_c->y_px + area_c->height_px, VIEW_WIDTH_PX,
                                              VIEW_HEIGHT_PX, plugin_test_is_blue),
                    ==, 0);
  cairo_surface_destroy (shot);

  /* The task manager's rows: the plugin hosts with their type and tabs. */
  list = bh_process_list_get_for_browser (f->browser);
  bh_process_list_refresh (list);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (BhProcessInfo) info = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (bh_process_info_get_process_type (info) != BH_PROCESS_TYPE_PLUGIN_HOST)
        continue;
      plugin_rows++;
      if (bh_process_info_get_pid (info) == bh_plugin_host_get_pid (pdf_host))
        {
          g_assert_cmpstr (bh_process_info_get_site (info), ==, "application/pdf");
          g_assert_cmpuint (g_strv_length ((GStrv) bh_process_info_get_tab_ids (info)), ==, 2);
          g_assert_cmpuint (bh_process_info_get_rss_kib (info), >, 0);
        }
      else
        g_assert_cmpstr (bh_process_info_get_site (info), ==, "image/svg+xml");
    }
  g_assert_cmpuint (plugin_rows, ==, 2);

  /* about:sandbox lists them with their type, read from /proc. */
  {
    g_autoptr (GBytes) page = bh_process_manager_render_sandbox_page (bh_browser_get_process_manager (f->browser));
    g_autofree char *html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
    g_autofree char *pdf_row = g_strdup_printf ("<td>plugin-host</td><td>application/pdf</td><td>%d</td>",
                                                bh_plugin_host_get_pid (pdf_host));
    g_autofree char *svg_row = g_strdup_printf ("<td>plugin-host</td><td>image/svg+xml</td><td>%d</td>",
                                                bh_plugin_host_get_pid (svg_host));

    g_assert_nonnull (strstr (html, pdf_row));
    g_assert_nonnull (strstr (html, svg_row));
  }

  close_tab (tab_a);
  close_tab (tab_b);
  close_tab (tab_c);
  /* The last instance gone, each host exits after its grace period. */
  PLUGIN_TEST_WAIT_FOR (g_list_model_get_n_items (bh_browser_get_plugin_hosts (f->browser)) == 0);
  g_assert_cmpuint (plugin_test_count_plugin_hosts ("application/pdf"), ==, 0);
}

static void
frame_changed_cb (BhTab *tab, guint *count)
{
  (*count)++;
}

/* SIGKILL the PDF host: both PDF areas, on two sites, show the crash; the
 * pages stay whole and scroll; reload brings the PDF back in a new host. */
static void
test_host_crash (Fixture *f, gconstpointer data)
{
  BhTab *tab_a = open_tab (f, f->site_a, "plugin-embed-pdf.html");
  BhTab *tab_b = open_tab (f, f->site_b, "plugin-object-pdf.html");
  BhTab *tab_svg = open_tab (f, f->site_a, "plugin-embed-svg.html");
  g_autoptr (BhPluginFrame) before = NULL;
  g_autoptr (BhPluginFrame) crashed = NULL;
  g_autoptr (BhPluginFrame) scrolled = NULL;
  g_autoptr (BhPluginFrame) reloaded = NULL;
  g_autoptr (BhPluginFrame) clicked = NULL;
  g_autoptr (BhPluginFrame) svg = NULL;
  BhPluginHost *host;
  int old_pid, renderer_a, renderer_b;
  guint frames = 0;
  int scroll_y = 0;
  cairo_surface_t *shot;

  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab_a, 0) && tab_shows_plugin (tab_b, 0) && tab_shows_plugin (tab_svg, 0));
  host = live_host_of_type (f->browser, "application/pdf", NULL);
  old_pid = bh_plugin_host_get_pid (host);
  g_object_get (tab_a, "renderer-pid", &renderer_a, NULL);
  g_object_get (tab_b, "renderer-pid", &renderer_b, NULL);
  before = area_of (tab_a, 0);

  g_object_ref (host);
  g_assert_no_errno (kill (old_pid, SIGKILL));
  PLUGIN_TEST_WAIT_FOR (area_is (tab_a, 0, BH_PLUGIN_AREA_CRASHED) && area_is (tab_b, 0, BH_PLUGIN_AREA_CRASHED));
  PLUGIN_TEST_WAIT_FOR (live_host_of_type (f->browser, "application/pdf", NULL) == NULL &&
                        g_list_model_get_n_items (bh_browser_get_plugin_hosts (f->browser)) == 1);
  g_assert_cmpint (bh_plugin_host_get_termination_status (host), ==, BH_TERMINATION_STATUS_KILLED);
  g_test_message ("%s", bh_plugin_host_get_termination_message (host));
  g_object_unref (host);

  crashed = area_of (tab_b, 0);
  g_assert_cmpstr (crashed->message, ==, "Plugin crashed");
  g_assert_true (crashed->can_reload);
  g_assert_cmpint (crashed->host_pid, ==, 0);
  g_clear_pointer (&crashed, bh_plugin_frame_free);
  crashed = area_of (tab_a, 0);
  g_assert_cmpstr (crashed->message, ==, "Plugin crashed");
  shot = snapshot_of (tab_a);
  plugin_test_save (shot, f->output_dir, "pdf-host-killed.png");
  {
    int x0 = crashed->x_px, y0 = crashed->y_px;
    int x1 = x0 + crashed->width_px, y1 = y0 + crashed->height_px;
    gsize all = (gsize) crashed->width_px * crashed->height_px;

    g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_placeholder_grey), >, all / 2);
    g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_dark), >, 50);
    g_assert_cmpuint (plugin_test_count_pixels (shot, x0, y0, x1, y1, plugin_test_is_white), <, all / 20);
  }
  cairo_surface_destroy (shot);

  /* The pages and the other plugin type are untouched. */
  g_assert_cmpint (bh_tab_get_state (tab_a), ==, BH_TAB_STATE_COMPLETE);
  g_assert_cmpint (bh_tab_get_state (tab_b), ==, BH_TAB_STATE_COMPLETE);
  {
    int now_a, now_b;

    g_object_get (tab_a, "renderer-pid", &now_a, NULL);
    g_object_get (tab_b, "renderer-pid", &now_b, NULL);
    g_assert_cmpint (now_a, ==, renderer_a);
    g_assert_cmpint (now_b, ==, renderer_b);
  }
  svg = area_of (tab_svg, 0);
  g_assert_cmpint (svg->state, ==, BH_PLUGIN_AREA_RUNNING);

  /* The page still scrolls: the wheel outside the box reaches the renderer,
   * new frames come, and the placeholder moves with the document. */
  g_signal_connect (tab_a, "frame-changed", G_CALLBACK (frame_changed_cb), &frames);
  bh_tab_send_mouse (tab_a, MOUSE_MOVE, VIEW_WIDTH_PX - 20, VIEW_HEIGHT_PX - 20, 0, 0);
  bh_tab_send_scroll (tab_a, 0, 150);
  PLUGIN_TEST_WAIT_FOR (scroll_y_of (tab_a) > 0 && frames > 0);
  scroll_y = scroll_y_of (tab_a);
  scrolled = area_of (tab_a, 0);
  g_assert_cmpint (scrolled->y_px, ==, before->y_px - scroll_y);
  g_signal_handlers_disconnect_by_func (tab_a, frame_changed_cb, &frames);
  /* The other site's page too. */
  bh_tab_send_mouse (tab_b, MOUSE_MOVE, VIEW_WIDTH_PX - 20, VIEW_HEIGHT_PX - 20, 0, 0);
  bh_tab_send_scroll (tab_b, 0, 100);
  PLUGIN_TEST_WAIT_FOR (scroll_y_of (tab_b) > 0);

  /* Reload brings it back, in a new plugin host. */
  g_assert_true (bh_tab_reload_plugin (tab_a, crashed->area_id));
  PLUGIN_TEST_WAIT_FOR (area_is (tab_a, 0, BH_PLUGIN_AREA_RUNNING));
  reloaded = area_of (tab_a, 0);
  g_assert_cmpint (reloaded->host_pid, >, 0);
  g_assert_cmpint (reloaded->host_pid, !=, old_pid);
  shot = snapshot_of (tab_a);
  plugin_test_save (shot, f->output_dir, "pdf-reloaded.png");
  assert_pdf_in_area (shot, reloaded);
  cairo_surface_destroy (shot);

  /* So does a click on the placeholder, into the same new host. */
  {
    g_autoptr (BhPluginFrame) target = area_of (tab_b, 0);
    double x = target->x_px + target->width_px / 2.0, y = target->y_px + target->height_px / 2.0;

    bh_tab_send_mouse (tab_b, MOUSE_PRESS, x, y, 1, 0);
    bh_tab_send_mouse (tab_b, MOUSE_RELEASE, x, y, 1, 0);
  }
  PLUGIN_TEST_WAIT_FOR (area_is (tab_b, 0, BH_PLUGIN_AREA_RUNNING));
  clicked = area_of (tab_b, 0);
  g_assert_cmpint (clicked->host_pid, ==, reloaded->host_pid);
  g_assert_cmpuint (plugin_test_count_plugin_hosts ("application/pdf"), ==, 1);

  close_tab (tab_a);
  close_tab (tab_b);
  close_tab (tab_svg);
}

/* Input over the box goes to the plugin, not the page; outside it, to the page. */
static void
test_input_routing (Fixture *f, gconstpointer data)
{
  BhTab *tab = open_tab (f, f->site_a, "plugin-embed-pdf.html");
  g_autoptr (BhPluginFrame) area = NULL;
  cairo_surface_t *first, *scrolled, *last;
  GdkTexture *shown = NULL;

  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0));
  area = area_of (tab, 0);
  first = plugin_test_texture_to_surface (area->texture);
  remember_texture (tab, 0, &shown);

  /* The wheel over the box scrolls the PDF, in its own frames. */
  bh_tab_send_mouse (tab, MOUSE_MOVE, area->x_px + 100, area->y_px + 100, 0, 0);
  bh_tab_send_scroll (tab, 0, 3 * 50.0);
  PLUGIN_TEST_WAIT_FOR (area_texture_changed (tab, 0, shown));
  forget_texture (&shown);
  g_clear_pointer (&area, bh_plugin_frame_free);
  area = area_of (tab, 0);
  scrolled = plugin_test_texture_to_surface (area->texture);
  g_assert_cmpuint (count_differences (first, scrolled), >, 5000);
  /* ... and the page did not move. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpint (scroll_y_of (tab), ==, 0);

  /* A key while the pointer is over it: End goes to the last page. */
  g_clear_pointer (&area, bh_plugin_frame_free);
  remember_texture (tab, 0, &shown);
  bh_tab_send_key (tab, KEY_End, 0);
  PLUGIN_TEST_WAIT_FOR (area_texture_changed (tab, 0, shown));
  forget_texture (&shown);
  area = area_of (tab, 0);
  last = plugin_test_texture_to_surface (area->texture);
  g_assert_cmpuint (count_differences (scrolled, last), >, 5000);
  cairo_surface_destroy (first);
  cairo_surface_destroy (scrolled);
  cairo_surface_destroy (last);
  g_assert_cmpint (scroll_y_of (tab), ==, 0);

  /* Outside the box the wheel is the page's again. */
  bh_tab_send_mouse (tab, MOUSE_MOVE, VIEW_WIDTH_PX - 20, 20, 0, 0);
  bh_tab_send_scroll (tab, 0, 100);
  PLUGIN_TEST_WAIT_FOR (scroll_y_of (tab) > 0);
  close_tab (tab);
}

/* A navigation to a PDF shows it over the whole tab and follows the tab's size. */
static void
test_full_tab (Fixture *f, gconstpointer data)
{
  BhTab *tab = open_tab (f, f->site_a, "spec.pdf");
  g_autoptr (BhPluginFrame) area = NULL;
  g_autoptr (BhPluginFrame) resized = NULL;
  g_autoptr (BhPluginFrame) svg = NULL;
  cairo_surface_t *shot, *after;
  GdkTexture *shown = NULL;

  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0));
  area = area_of (tab, 0);
  g_assert_true (area->full_tab);
  g_assert_cmpint (area->x_px, ==, 0);
  g_assert_cmpint (area->y_px, ==, 0);
  g_assert_cmpint (area->width_px, ==, VIEW_WIDTH_PX);
  g_assert_cmpint (area->height_px, ==, VIEW_HEIGHT_PX);
  {
    g_autoptr (GPtrArray) all = bh_tab_get_plugin_frames (tab);

    g_assert_cmpuint (all->len, ==, 1);
  }
  g_assert_cmpstr (bh_tab_get_title (tab), ==, "spec.pdf");
  g_test_message ("MEASURE full-tab PDF: %.1f ms from commit to the first plugin frame",
                  area->first_frame_latency_us / 1000.0);
  shot = snapshot_of (tab);
  plugin_test_save (shot, f->output_dir, "full-tab-pdf.png");
  assert_pdf_in_area (shot, area);

  /* Keys go to it wherever the pointer is: it is the page. */
  g_clear_pointer (&area, bh_plugin_frame_free);
  remember_texture (tab, 0, &shown);
  bh_tab_send_key (tab, KEY_Page_Down, 0);
  PLUGIN_TEST_WAIT_FOR (area_texture_changed (tab, 0, shown));
  forget_texture (&shown);
  after = snapshot_of (tab);
  g_assert_cmpuint (count_differences (shot, after), >, 10000);
  cairo_surface_destroy (shot);
  cairo_surface_destroy (after);

  /* A new size: the plugin is resized and paints at the new size. */
  bh_tab_set_viewport (tab, 640, 480, 1.0);
  PLUGIN_TEST_WAIT_FOR (area_texture_has_size (tab, 0, 640, 480));
  resized = area_of (tab, 0);
  g_assert_cmpint (resized->width_px, ==, 640);

  /* An SVG image likewise, in the SVG plugin host. */
  {
    g_autofree char *url = url_of (f->site_a, "logo.svg");

    bh_tab_navigate (tab, url);
  }
  PLUGIN_TEST_WAIT_FOR (area_runs_type (tab, 0, "image/svg+xml"));
  svg = area_of (tab, 0);
  g_assert_true (svg->full_tab);
  shot = snapshot_of (tab);
  plugin_test_save (shot, f->output_dir, "full-tab-svg.png");
  g_assert_cmpuint (plugin_test_count_pixels (shot, 0, 0, 640, 480, plugin_test_is_blue), >, 5000);
  cairo_surface_destroy (shot);

  /* Back to the PDF: shown again from history. */
  g_assert_true (bh_tab_go_back (tab));
  PLUGIN_TEST_WAIT_FOR (area_runs_type (tab, 0, "application/pdf"));
  close_tab (tab);
}

/* Half a PDF: the area says why, the plugin host lives on for the rest. */
static void
test_truncated_pdf (Fixture *f, gconstpointer data)
{
  BhTab *broken = open_tab (f, f->site_a, "plugin-embed-truncated.html");
  BhTab *good = NULL;
  g_autoptr (BhPluginFrame) area = NULL;
  g_autoptr (BhPluginFrame) good_area = NULL;
  BhPluginHost *host;
  cairo_surface_t *shot;
  int pid;

  PLUGIN_TEST_WAIT_FOR (bh_tab_get_state (broken) == BH_TAB_STATE_COMPLETE && area_is (broken, 0, BH_PLUGIN_AREA_ERROR));
  area = area_of (broken, 0);
  g_test_message ("truncated PDF: %s", area->message);
  g_assert_true (g_str_has_prefix (area->message, "This PDF could not be opened: "));
  g_assert_false (bh_tab_has_pending_plugins (broken));
  shot = snapshot_of (broken);
  plugin_test_save (shot, f->output_dir, "truncated-pdf.png");
  g_assert_cmpuint (plugin_test_count_pixels (shot, area->x_px, area->y_px, area->x_px + area->width_px,
                                              area->y_px + area->height_px, plugin_test_is_dark),
                    >, 50);
  cairo_surface_destroy (shot);

  host = live_host_of_type (f->browser, "application/pdf", NULL);
  g_assert_nonnull (host);
  pid = bh_plugin_host_get_pid (host);
  good = open_tab (f, f->site_a, "plugin-embed-pdf.html");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (good, 0));
  good_area = area_of (good, 0);
  g_assert_cmpint (good_area->host_pid, ==, pid);
  g_assert_true (bh_plugin_host_is_alive (host));
  close_tab (broken);
  close_tab (good);
}

/* The server's Content-Type chooses the plugin; the page's type= only when
 * the server says nothing useful (application/octet-stream). */
static void
test_content_type_decides (Fixture *f, gconstpointer data)
{
  BhTab *tab = open_tab (f, f->site_a, "plugin-types.html");
  g_autoptr (BhPluginFrame) declared = NULL;
  g_autoptr (BhPluginFrame) served = NULL;
  guint n_svg = 0;

  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0) && tab_shows_plugin (tab, 1));
  declared = area_of (tab, 0);
  served = area_of (tab, 1);
  g_assert_true (g_str_has_suffix (declared->url, "/spec.bin"));
  g_assert_cmpstr (declared->plugin_type, ==, "application/pdf");
  g_assert_true (g_str_has_suffix (served->url, "/spec.pdf"));
  g_assert_cmpstr (served->plugin_type, ==, "application/pdf");
  g_assert_null (live_host_of_type (f->browser, "image/svg+xml", &n_svg));
  g_assert_cmpuint (plugin_test_count_plugin_hosts ("image/svg+xml"), ==, 0);
  close_tab (tab);
}

static gboolean
is_magenta (PluginTestRgba p)
{
  return p.r == 255 && p.g == 0 && p.b == 255;
}

/* A plugin host that breaks the protocol is killed; its areas say why. */
static void
test_bad_messages (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *mode;
    const char *reason;
  } cases[] = {
    { "frame-for-unknown-buffer", "PluginFrameReady for buffer 77, not one of instance" },
    { "unsealed-bitmap", "PluginBufferCreated" },
    { "oversized-bitmap", "never asked larger than" },
    { "foreign-instance", "PluginFrameReady for instance 999, which it does not host" },
    { "frame-while-held", "which the browser still holds" },
    { "renderer-message", "FrameReady is not a message a plugin host sends" },
  };
  g_autofree char *fake_path = g_test_build_filename (G_TEST_BUILT, "bh-fake-plugin-host", NULL);
  g_autofree char *fake_data = g_build_filename (f->site_dir, "fake.pdf", NULL);

  g_setenv ("BULKHEAD_PLUGIN_HOST_PATH", fake_path, TRUE);

  /* The stand-in is honoured: a well-behaved one shows its magenta frame. */
  {
    BhTab *tab = open_tab (f, f->site_a, "plugin-fake.html");
    g_autoptr (BhPluginFrame) area = NULL;
    cairo_surface_t *pixels;

    g_assert_true (g_file_set_contents (fake_data, "good", -1, NULL));
    PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0));
    area = area_of (tab, 0);
    pixels = plugin_test_texture_to_surface (area->texture);
    g_assert_cmpuint (plugin_test_count_pixels (pixels, 0, 0, area->width_px, area->height_px, is_magenta), ==,
                      (gsize) area->width_px * area->height_px);
    cairo_surface_destroy (pixels);
    close_tab (tab);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BhTab *tab;
      g_autoptr (BhPluginFrame) area = NULL;
      BhPluginHost *host = NULL;
      GListModel *hosts = bh_browser_get_plugin_hosts (f->browser);

      g_test_message ("fake plugin host mode: %s", cases[i].mode);
      g_assert_true (g_file_set_contents (fake_data, cases[i].mode, -1, NULL));
      tab = open_tab (f, f->site_a, "plugin-fake.html");
      PLUGIN_TEST_WAIT_FOR (bh_tab_get_state (tab) == BH_TAB_STATE_COMPLETE &&
                            area_is (tab, 0, BH_PLUGIN_AREA_CRASHED));
      area = area_of (tab, 0);
      g_test_message ("area shows: %s", area->message);
      g_assert_true (g_str_has_prefix (area->message, "Plugin stopped: "));
      g_assert_nonnull (strstr (area->message, cases[i].reason));
      g_assert_true (area->can_reload);
      for (guint j = 0; j < g_list_model_get_n_items (hosts); j++)
        {
          g_autoptr (BhPluginHost) candidate = g_list_model_get_item (hosts, j);

          if (bh_plugin_host_get_termination_status (candidate) == BH_TERMINATION_STATUS_BAD_MESSAGE)
            host = candidate;
        }
      /* Killed: it leaves the list once reaped, which may already be. */
      if (host != NULL)
        g_assert_false (bh_plugin_host_is_alive (host));
      g_assert_cmpint (bh_tab_get_state (tab), ==, BH_TAB_STATE_COMPLETE);
      g_assert_nonnull (bh_tab_get_frame (tab));
      close_tab (tab);
      PLUGIN_TEST_WAIT_FOR (live_host_of_type (f->browser, "application/pdf", NULL) == NULL);
    }
  g_unsetenv ("BULKHEAD_PLUGIN_HOST_PATH");
}

/* The real browser, --headless --screenshot: the PNG has the plugins in it,
 * where the same page puts them in a tab of this process. */
static void
test_headless_screenshot (Fixture *f, gconstpointer data)
{
  static const char *const pages[] = { "plugin-embed-pdf.html", "spec.pdf" };
  g_autofree char *browser_path = g_build_filename (g_getenv ("BULKHEAD_BUILDDIR"), "browser", "browser", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *url = url_of (f->site_b, pages[i]);
      g_autofree char *png = g_strdup_printf ("%s/headless-%u.png", f->output_dir, i);
      g_autofree char *screenshot = g_strdup_printf ("--screenshot=%s", png);
      g_autofree char *window_size = g_strdup_printf ("--window-size=%d,%d", VIEW_WIDTH_PX, VIEW_HEIGHT_PX);
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocess) process = NULL;
      g_autoptr (BhPluginFrame) area = NULL;
      BhTab *tab = open_tab (f, f->site_b, pages[i]);
      cairo_surface_t *shot;
      gsize viewer = 0;

      PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0));
      area = area_of (tab, 0);
      close_tab (tab);

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, browser_path, "--headless",
                                  bh_test_user_data_dir_arg (), screenshot,
                                  window_size, url, NULL);
      g_assert_no_error (error);
      g_subprocess_wait_check (process, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("headless screenshot of %s: %s", url, png);
      shot = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_surface_status (shot), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (shot), ==, VIEW_WIDTH_PX);
      /* The PDF's first page is in the box, not the renderer's grey: the
       * screenshot waited for the plugin's first frame. */
      assert_pdf_in_area (shot, area);
      /* With the PDF viewer's #525659 around the page. */
      for (int y = 0; y < VIEW_HEIGHT_PX; y++)
        for (int x = 0; x < VIEW_WIDTH_PX; x++)
          {
            guint32 p;

            memcpy (&p, cairo_image_surface_get_data (shot) + (gsize) y * cairo_image_surface_get_stride (shot) + (gsize) x * 4, 4);
            viewer += (p & 0xffffff) == 0x525659;
          }
      g_assert_cmpuint (viewer, >, 2000);
      cairo_surface_destroy (shot);
    }
}

/* --no-sandbox and --ipc-debug reach the plugin host as they reach renderers. */
static void
test_flags_passed_on (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  BhBrowserOptions *options = bh_browser_options_new ();
  g_autofree char *cmdline_path = NULL;
  g_autofree char *cmdline = NULL;
  gsize length = 0;
  gboolean no_sandbox = FALSE, ipc_debug = FALSE;
  BhPluginHost *host;
  BhTab *tab;

  bh_browser_shutdown (f->browser, 2000);
  g_clear_object (&f->browser);
  options->no_sandbox = TRUE;
  options->ipc_debug = g_strdup ("PluginCreate");
  f->browser = bh_browser_new (options, &error);
  g_assert_no_error (error);

  tab = open_tab (f, f->site_a, "plugin-embed-pdf.html");
  PLUGIN_TEST_WAIT_FOR (tab_shows_plugin (tab, 0));
  host = live_host_of_type (f->browser, "application/pdf", NULL);
  g_assert_cmpstr (bh_plugin_host_get_sandbox_summary (host), ==, "none (--no-sandbox)");
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", bh_plugin_host_get_pid (host));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
  for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
    {
      no_sandbox |= g_str_equal (arg, "--no-sandbox");
      ipc_debug |= g_str_equal (arg, "--ipc-debug=PluginCreate");
    }
  g_assert_true (no_sandbox);
  g_assert_true (ipc_debug);
  close_tab (tab);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/plugin/browser/one-host-per-type", Fixture, NULL, fixture_set_up, test_one_host_per_type,
              fixture_tear_down);
  g_test_add ("/plugin/browser/host-crash-and-reload", Fixture, NULL, fixture_set_up, test_host_crash,
              fixture_tear_down);
  g_test_add ("/plugin/browser/input-routing", Fixture, NULL, fixture_set_up, test_input_routing, fixture_tear_down);
  g_test_add ("/plugin/browser/full-tab", Fixture, NULL, fixture_set_up, test_full_tab, fixture_tear_down);
  g_test_add ("/plugin/browser/truncated-pdf", Fixture, NULL, fixture_set_up, test_truncated_pdf, fixture_tear_down);
  g_test_add ("/plugin/browser/content-type-decides", Fixture, NULL, fixture_set_up, test_content_type_decides,
              fixture_tear_down);
  g_test_add ("/plugin/browser/bad-messages", Fixture, "good", fixture_set_up, test_bad_messages, fixture_tear_down);
  g_test_add ("/plugin/browser/flags-passed-on", Fixture, NULL, fixture_set_up, test_flags_passed_on,
              fixture_tear_down);
  g_test_add ("/plugin/browser/headless-screenshot", Fixture, NULL, fixture_set_up, test_headless_screenshot,
              fixture_tear_down);
  return g_test_run ();
}
