/* bh-tab-plugins.c: a tab's plugin areas: fetch, instance, frames, input,
 * the crash placeholder, and the tab's composited snapshot.
 *
 * Units: boxes arrive in document px (CSS px); the tab's "scroll-y" is in
 * document px too (the renderer's FrameReady); instances, frames, input and
 * everything in BhPluginFrame are device px (document px × the viewport's
 * scale), like the tab's frame.
 */
#include "bh-tab-plugins-private.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#include "bh-fetcher.h"
#include "bh-plugin-host-private.h"
#include "bh-shm.h"
#include "bh-site.h"
#include "bh-tab-private.h"

/* PluginInput kinds (common/bh-messages.h). */
enum {
  INPUT_MOVE = 0,
  INPUT_PRESS = 1,
  INPUT_RELEASE = 2,
  INPUT_SCROLL = 3,
  INPUT_KEY = 4,
};

/* The PDF viewer's grey (plugin-host/plugins/pdf.c), behind a full-tab plugin. */
#define FULL_TAB_BACKGROUND "#525659"
/* Plugin content is a document of its own: the same cap as a navigation. */
#define MAX_PLUGIN_DATA_BYTES BH_FETCH_DEFAULT_MAX_BYTES

G_DEFINE_ENUM_TYPE (BhPluginAreaState, bh_plugin_area_state,
                    G_DEFINE_ENUM_VALUE (BH_PLUGIN_AREA_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (BH_PLUGIN_AREA_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (BH_PLUGIN_AREA_ERROR, "error"),
                    G_DEFINE_ENUM_VALUE (BH_PLUGIN_AREA_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (BH_PLUGIN_AREA_CRASHED, "crashed"))

const char *
bh_plugin_area_state_to_string (BhPluginAreaState state)
{
  GEnumClass *klass = g_type_class_ref (BH_TYPE_PLUGIN_AREA_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

typedef struct _Area Area;

struct _BhTabPlugins {
  BhTab *tab; /* not a reference: the tab owns us */
  BhProcessManager *processes; /* not a reference: the tab holds one */
  GPtrArray *areas; /* Area, in document order (box id order) */
  guint next_area_id;
  int viewport_width_px;
  int viewport_height_px;
  double scale;

  /* The pointer, for keys and the wheel, and the area that took a press. */
  gboolean pointer_inside;
  double pointer_x_px;
  double pointer_y_px;
  guint grab_area_id;

  /* A full-tab plugin waiting for its navigation's commit. */
  guint64 full_tab_navigation_id;
  char *full_tab_url;
  char *full_tab_type;
  int full_tab_fd;
  gsize full_tab_size;
  gboolean full_tab_active; /* the current document is a full-tab plugin */
};

struct _Area {
  BhTabPlugins *owner;
  guint id;
  guint box_id; /* 0 for the full-tab area */
  gboolean full_tab;
  char *url;
  char *declared_type;
  char *plugin_type; /* NULL until the response says */
  int x, y, width, height; /* document px */

  BhPluginAreaState state;
  char *message;
  gboolean can_reload;
  GCancellable *fetch_cancellable;
  int data_fd; /* the content, sealed: sent again on reload, never copied */
  gsize data_size;

  BhPluginHost *host; /* a reference while an instance lives there */
  guint instance_id;
  guint instance_width_px;
  guint instance_height_px;

  GdkTexture *frame;       /* the plugin's latest frame */
  GdkTexture *placeholder; /* the crash / failure box, at the area's size */
  gint64 reported_us;
  gint64 first_frame_latency_us;
};

static void area_start_instance (Area *area);
static void area_fetch (Area *area);

static void
changed (BhTabPlugins *self)
{
  g_signal_emit_by_name (self->tab, "frame-changed");
}

static double
scale_of (BhTabPlugins *self)
{
  return self->scale > 0.0 ? self->scale : 1.0;
}

/* The area's size in device px, as its instance is made. */
static void
area_device_size (Area *area, guint *out_width_px, guint *out_height_px)
{
  BhTabPlugins *self = area->owner;
  double scale = scale_of (self);
  double width_px;
  double height_px;

  if (area->full_tab)
    {
      width_px = self->viewport_width_px;
      height_px = self->viewport_height_px;
    }
  else
    {
      width_px = round (area->width * scale);
      height_px = round (area->height * scale);
    }
  *out_width_px = (guint) CLAMP (width_px, 0.0, (double) BH_BITMAP_MAX_DIMENSION);
  *out_height_px = (guint) CLAMP (height_px, 0.0, (double) BH_BITMAP_MAX_DIMENSION);
}

/* Where the area is in the viewport now, device px. */
static void
area_viewport_rect (Area *area, int *out_x_px, int *out_y_px, int *out_width_px, int *out_height_px)
{
  BhTabPlugins *self = area->owner;
  double scale = scale_of (self);
  int scroll_y = 0;
  guint width_px;
  guint height_px;

  area_device_size (area, &width_px, &height_px);
  *out_width_px = (int) width_px;
  *out_height_px = (int) height_px;
  if (area->full_tab)
    {
      *out_x_px = 0;
      *out_y_px = 0;
      return;
    }
  g_object_get (self->tab, "scroll-y", &scroll_y, NULL);
  *out_x_px = (int) round (area->x * scale);
  *out_y_px = (int) round (((double) area->y - scroll_y) * scale);
}

/* ---- the placeholder -------------------------------------------------- */

/* A grey box with the message and, when it applies, a Reload button; the
 * whole box is the button's target. */
static GdkTexture *
render_placeholder (guint width_px, guint height_px, double scale, const char *message, gboolean can_reload)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width_px, (int) height_px);
  cairo_t *cr = cairo_create (surface);
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 11");
  g_autoptr (GBytes) bytes = NULL;
  GdkTexture *texture;
  int text_w = 0, text_h = 0;
  double button_h = can_reload ? 32 * scale : 0;
  double block_h;
  double top;

  cairo_set_source_rgb (cr, 0xbd / 255.0, 0xc1 / 255.0, 0xc6 / 255.0);
  cairo_paint (cr);
  cairo_rectangle (cr, 0.5, 0.5, width_px - 1.0, height_px - 1.0);
  cairo_set_source_rgb (cr, 0x80 / 255.0, 0x86 / 255.0, 0x8b / 255.0);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  pango_font_description_set_absolute_size (font, 15 * scale * PANGO_SCALE);
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, MAX (1, (int) width_px - 16) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_height (layout, MAX (1, (int) (height_px - button_h) - 8) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, message, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);

  block_h = text_h + (can_reload ? button_h + 10 * scale : 0);
  top = MAX (4.0, (height_px - block_h) / 2.0);
  cairo_set_source_rgb (cr, 0x20 / 255.0, 0x21 / 255.0, 0x24 / 255.0);
  cairo_move_to (cr, 8, top);
  pango_cairo_show_layout (cr, layout);

  if (can_reload && top + text_h + 10 * scale + button_h <= height_px)
    {
      double button_w = 96 * scale;
      double bx = (width_px - button_w) / 2.0;
      double by = top + text_h + 10 * scale;
      int label_w, label_h;

      cairo_rectangle (cr, bx, by, button_w, button_h);
      cairo_set_source_rgb (cr, 0x1a / 255.0, 0x73 / 255.0, 0xe8 / 255.0);
      cairo_fill (cr);
      pango_font_description_set_weight (font, PANGO_WEIGHT_NORMAL);
      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, -1);
      pango_layout_set_height (layout, -1);
      pango_layout_set_text (layout, "Reload", -1);
      pango_layout_get_pixel_size (layout, &label_w, &label_h);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, bx + (button_w - label_w) / 2.0, by + (button_h - label_h) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height_px,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new ((int) width_px, (int) height_px,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                    GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                    GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                    bytes, (gsize) cairo_image_surface_get_stride (surface));
  return texture;
}

/* The placeholder texture, made again when the size changed. */
static GdkTexture *
area_placeholder (Area *area)
{
  guint width_px, height_px;

  area_device_size (area, &width_px, &height_px);
  if (width_px == 0 || height_px == 0 || area->message == NULL)
    return NULL;
  if (area->placeholder != NULL && (guint) gdk_texture_get_width (area->placeholder) == width_px &&
      (guint) gdk_texture_get_height (area->placeholder) == height_px)
    return area->placeholder;
  g_clear_object (&area->placeholder);
  area->placeholder = render_placeholder (width_px, height_px, scale_of (area->owner), area->message,
                                          area->can_reload);
  return area->placeholder;
}

/* ---- instances ---------------------------------------------------------- */

static void
area_destroy_instance (Area *area)
{
  if (area->host != NULL)
    {
      bh_plugin_host_destroy_instance (area->host, area->instance_id);
      g_clear_object (&area->host);
    }
  area->instance_id = 0;
  area->instance_width_px = 0;
  area->instance_height_px = 0;
}

static void
area_set_message (Area *area, BhPluginAreaState state, const char *message, gboolean can_reload)
{
  area->state = state;
  g_free (area->message);
  area->message = g_strdup (message);
  area->can_reload = can_reload;
  g_clear_object (&area->placeholder);
}

/* The area shows @message instead of a plugin. */
static void
area_fail (Area *area, BhPluginAreaState state, const char *message, gboolean can_reload)
{
  area_destroy_instance (area);
  g_clear_object (&area->frame);
  area_set_message (area, state, message, can_reload);
  g_debug ("plugin area %u (%s): %s", area->id, area->url, message);
  changed (area->owner);
}

static void
instance_frame_ready_cb (gpointer user_data, GdkTexture *frame)
{
  Area *area = user_data;

  if (area->first_frame_latency_us == 0)
    {
      area->first_frame_latency_us = MAX (1, g_get_monotonic_time () - area->reported_us);
      g_debug ("plugin area %u (%s): first frame %.1f ms after the box was reported", area->id, area->url,
               area->first_frame_latency_us / 1000.0);
    }
  /* Dropping the previous frame gives its buffer back, once GTK lets go too. */
  g_set_object (&area->frame, frame);
  if (area->state == BH_PLUGIN_AREA_LOADING)
    area->state = BH_PLUGIN_AREA_RUNNING;
  changed (area->owner);
}

static void
instance_error_cb (gpointer user_data, const char *message)
{
  Area *area = user_data;

  /* The plugin host paints the message into the area itself; the frame
   * carrying it follows. */
  area_set_message (area, BH_PLUGIN_AREA_ERROR, message, FALSE);
  changed (area->owner);
}

static void
instance_gone_cb (gpointer user_data, BhTerminationStatus status, const char *area_message)
{
  Area *area = user_data;

  /* The host has already forgotten the instance. */
  g_clear_object (&area->host);
  area->instance_id = 0;
  area_fail (area, BH_PLUGIN_AREA_CRASHED, area_message, TRUE);
}

static const BhPluginInstanceClient instance_client = {
  .frame_ready = instance_frame_ready_cb,
  .error = instance_error_cb,
  .gone = instance_gone_cb,
};

static void
area_start_instance (Area *area)
{
  BhTabPlugins *self = area->owner;
  g_autoptr (GError) error = NULL;
  guint width_px, height_px;
  BhPluginHost *host;

  area_destroy_instance (area);
  area_device_size (area, &width_px, &height_px);
  if (width_px == 0 || height_px == 0)
    return; /* a box with no area yet: started when it gets one */

  host = bh_process_manager_get_plugin_host (self->processes, area->plugin_type, &error);
  if (host == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Plugin could not be started: %s", error->message);

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, TRUE);
      return;
    }
  area->instance_id = bh_plugin_host_create_instance (host, self->tab, width_px, height_px, area->data_fd,
                                                      area->data_size, &instance_client, area);
  if (area->instance_id == 0)
    {
      area_fail (area, BH_PLUGIN_AREA_FAILED, "Plugin could not be started", TRUE);
      return;
    }
  area->host = g_object_ref (host);
  area->instance_width_px = width_px;
  area->instance_height_px = height_px;
}

/* Follows the area's size: a new instance if it had none yet, else PluginResize. */
static void
area_update_size (Area *area)
{
  guint width_px, height_px;

  area_device_size (area, &width_px, &height_px);
  if (area->data_fd < 0 || area->plugin_type == NULL)
    return;
  if (area->host == NULL)
    {
      if (area->state == BH_PLUGIN_AREA_LOADING)
        area_start_instance (area);
      return;
    }
  if (width_px == 0 || height_px == 0 ||
      (width_px == area->instance_width_px && height_px == area->instance_height_px))
    return;
  area->instance_width_px = width_px;
  area->instance_height_px = height_px;
  bh_plugin_host_resize_instance (area->host, area->instance_id, width_px, height_px);
}

/* ---- fetching ------------------------------------------------------------ */

static gboolean
area_take_data (Area *area, const char *plugin_type, GBytes *body, GError **error)
{
  gsize size = 0;
  const void *bytes = g_bytes_get_data (body, &size);
  int fd = bh_blob_new (bytes, size, "bulkhead-plugin-data", error);

  if (fd < 0)
    return FALSE;
  if (area->data_fd >= 0)
    close (area->data_fd);
  area->data_fd = fd;
  area->data_size = size;
  g_free (area->plugin_type);
  area->plugin_type = g_ascii_strdown (plugin_type, -1);
  return TRUE;
}

typedef struct {
  BhTab *tab; /* a reference: the area may be gone when the fetch ends */
  guint area_id;
} AreaFetch;

static Area *
find_area (BhTabPlugins *self, guint area_id)
{
  for (guint i = 0; i < self->areas->len; i++)
    {
      Area *area = g_ptr_array_index (self->areas, i);

      if (area->id == area_id)
        return area;
    }
  return NULL;
}

static void
area_fetch_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  AreaFetch *fetch = data;
  g_autoptr (BhTab) tab = fetch->tab;
  guint area_id = fetch->area_id;
  g_autoptr (GError) error = NULL;
  g_autoptr (BhResponse) response = bh_fetch_finish (result, &error);
  BhTabPlugins *plugins;
  const char *type;
  Area *area;

  g_free (fetch);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  plugins = bh_tab_get_plugins (tab);
  area = plugins != NULL ? find_area (plugins, area_id) : NULL;
  if (area == NULL)
    return;
  g_clear_object (&area->fetch_cancellable);

  if (response == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The plugin content could not be loaded: %s", error->message);

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, TRUE);
      return;
    }
  if (response->http_status >= 400)
    {
      g_autofree char *message = g_strdup_printf ("The plugin content could not be loaded (HTTP %u)",
                                                  response->http_status);

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, TRUE);
      return;
    }
  /* The server's word, as Chromium takes it for plugins; the page's type=
   * only when the server gives none worth the name. */
  type = response->content_type;
  if (type == NULL || *type == '\0' || g_str_equal (type, "application/octet-stream"))
    type = area->declared_type;
  if (!bh_plugin_type_is_supported (type))
    {
      g_autofree char *message = g_strdup_printf ("No plugin can show %s", *type != '\0' ? type : "this content");

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, FALSE);
      return;
    }
  if (!area_take_data (area, type, response->body, &error))
    {
      g_autofree char *message = g_strdup_printf ("The plugin content could not be handed over: %s",
                                                  error->message);

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, TRUE);
      return;
    }
  area_start_instance (area);
  changed (area->owner);
}

static void
area_fetch (Area *area)
{
  BhTabPlugins *self = area->owner;
  BhFetchOptions options = { 0 };
  g_autofree char *url_site = bh_site_for_url (area->url);
  g_autofree char *tab_site = NULL;
  AreaFetch *fetch;

  g_object_get (self->tab, "site", &tab_site, NULL);
  /* As for subresources (bh-renderer-host-resources.c): a web page may not make the
   * browser read local files or its own pages. */
  if (url_site == NULL ||
      ((g_str_equal (url_site, "file://") || g_str_equal (url_site, "about:")) && g_strcmp0 (url_site, tab_site) != 0))
    {
      g_autofree char *message = g_strdup_printf ("Blocked: a page of %s may not embed %s",
                                                  tab_site != NULL && *tab_site ? tab_site : "this site", area->url);

      area_fail (area, BH_PLUGIN_AREA_FAILED, message, FALSE);
      return;
    }

  g_cancellable_cancel (area->fetch_cancellable);
  g_clear_object (&area->fetch_cancellable);
  area->fetch_cancellable = g_cancellable_new ();
  fetch = g_new0 (AreaFetch, 1);
  fetch->tab = g_object_ref (self->tab);
  fetch->area_id = area->id;
  options.max_bytes = MAX_PLUGIN_DATA_BYTES;
  options.host_rules = bh_process_manager_get_host_rules (self->processes);
  bh_fetch (area->url, &options, area->fetch_cancellable, area_fetch_cb, fetch);
}

/* ---- areas --------------------------------------------------------------- */

static void
area_free (Area *area)
{
  if (area == NULL)
    return;
  g_cancellable_cancel (area->fetch_cancellable);
  g_clear_object (&area->fetch_cancellable);
  area_destroy_instance (area);
  if (area->data_fd >= 0)
    close (area->data_fd);
  g_clear_object (&area->frame);
  g_clear_object (&area->placeholder);
  g_free (area->url);
  g_free (area->declared_type);
  g_free (area->plugin_type);
  g_free (area->message);
  g_free (area);
}

static Area *
area_new (BhTabPlugins *self, guint box_id, const char *url, const char *declared_type)
{
  Area *area = g_new0 (Area, 1);

  area->owner = self;
  area->id = ++self->next_area_id;
  area->box_id = box_id;
  area->url = g_strdup (url);
  area->declared_type = g_ascii_strdown (declared_type, -1);
  area->state = BH_PLUGIN_AREA_LOADING;
  area->data_fd = -1;
  area->reported_us = g_get_monotonic_time ();
  return area;
}

static Area *
find_box (BhTabPlugins *self, guint box_id)
{
  for (guint i = 0; i < self->areas->len; i++)
    {
      Area *area = g_ptr_array_index (self->areas, i);

      if (area->box_id == box_id && !area->full_tab)
        return area;
    }
  return NULL;
}

static void
forget_full_tab (BhTabPlugins *self)
{
  self->full_tab_navigation_id = 0;
  g_clear_pointer (&self->full_tab_url, g_free);
  g_clear_pointer (&self->full_tab_type, g_free);
  if (self->full_tab_fd >= 0)
    close (self->full_tab_fd);
  self->full_tab_fd = -1;
  self->full_tab_size = 0;
}

BhTabPlugins *
bh_tab_plugins_new (BhTab *tab, BhProcessManager *processes)
{
  BhTabPlugins *self = g_new0 (BhTabPlugins, 1);

  self->tab = tab;
  self->processes = processes;
  self->areas = g_ptr_array_new_with_free_func ((GDestroyNotify) area_free);
  self->scale = 1.0;
  self->full_tab_fd = -1;
  return self;
}

void
bh_tab_plugins_free (BhTabPlugins *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->areas);
  forget_full_tab (self);
  g_free (self);
}

void
bh_tab_plugins_clear (BhTabPlugins *self)
{
  gboolean had_areas;

  g_return_if_fail (self != NULL);

  had_areas = self->areas->len > 0;
  g_ptr_array_set_size (self->areas, 0);
  self->full_tab_active = FALSE;
  self->grab_area_id = 0;
  if (had_areas)
    changed (self);
}

void
bh_tab_plugins_set_viewport (BhTabPlugins *self, int width_px, int height_px, double scale)
{
  g_return_if_fail (self != NULL);

  self->viewport_width_px = MAX (width_px, 0);
  self->viewport_height_px = MAX (height_px, 0);
  self->scale = scale > 0.0 ? scale : 1.0;
  for (guint i = 0; i < self->areas->len; i++)
    area_update_size (g_ptr_array_index (self->areas, i));
}

/* The document a full-tab plugin commits: the plugin's element alone on the
 * viewer's grey, titled with the file's name as Chromium titles a PDF tab. */
static GBytes *
full_tab_document (const char *url, const char *plugin_type)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
  g_autofree char *name = NULL;
  g_autofree char *escaped_url = g_markup_escape_text (url, -1);
  g_autofree char *escaped_type = g_markup_escape_text (plugin_type, -1);
  g_autofree char *escaped_name = NULL;
  char *html;

  if (path != NULL && strrchr (path, '/') != NULL && strrchr (path, '/')[1] != '\0')
    name = g_uri_unescape_string (strrchr (path, '/') + 1, NULL);
  escaped_name = g_markup_escape_text (name != NULL ? name : url, -1);
  html = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>"
                          "<body style=\"margin:0; background:" FULL_TAB_BACKGROUND "\">"
                          "<embed src=\"%s\" type=\"%s\" width=\"100%%\" height=\"100%%\">"
                          "</body></html>\n",
                          escaped_name, escaped_url, escaped_type);
  return g_bytes_new_take (html, strlen (html));
}

GBytes *
bh_tab_plugins_begin_full_tab (BhTabPlugins *self, guint64 navigation_id, const char *url, const char *plugin_type,
                               GBytes *body, GError **error)
{
  gsize size = 0;
  const void *bytes;
  int fd;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (url != NULL && bh_plugin_type_is_supported (plugin_type), NULL);
  g_return_val_if_fail (body != NULL, NULL);

  bytes = g_bytes_get_data (body, &size);
  fd = bh_blob_new (bytes, size, "bulkhead-plugin-data", error);
  if (fd < 0)
    return NULL;
  forget_full_tab (self);
  self->full_tab_navigation_id = navigation_id;
  self->full_tab_url = g_strdup (url);
  self->full_tab_type = g_ascii_strdown (plugin_type, -1);
  self->full_tab_fd = fd;
  self->full_tab_size = size;
  return full_tab_document (url, plugin_type);
}

void
bh_tab_plugins_did_commit (BhTabPlugins *self, guint64 navigation_id)
{
  Area *area;

  g_return_if_fail (self != NULL);

  bh_tab_plugins_clear (self);
  if (self->full_tab_navigation_id != navigation_id || self->full_tab_fd < 0)
    {
      forget_full_tab (self);
      return;
    }

  area = area_new (self, 0, self->full_tab_url, self->full_tab_type);
  area->full_tab = TRUE;
  area->plugin_type = g_steal_pointer (&self->full_tab_type);
  area->data_fd = self->full_tab_fd;
  area->data_size = self->full_tab_size;
  self->full_tab_fd = -1;
  forget_full_tab (self);
  self->full_tab_active = TRUE;
  g_ptr_array_add (self->areas, area);
  area_start_instance (area);
  changed (self);
}

void
bh_tab_plugins_box_changed (BhTabPlugins *self, guint box_id, const char *url, const char *declared_type, int x,
                            int y, int width, int height)
{
  Area *area;

  g_return_if_fail (self != NULL);
  g_return_if_fail (box_id > 0 && url != NULL && declared_type != NULL);

  /* The generated document's own <embed> is the full-tab area already. */
  if (self->full_tab_active)
    return;
  area = find_box (self, box_id);
  if (area != NULL && (!g_str_equal (area->url, url) || g_ascii_strcasecmp (area->declared_type, declared_type) != 0))
    {
      g_ptr_array_remove (self->areas, area);
      area = NULL;
    }
  if (area == NULL)
    {
      /* An element with no content to load shows nothing, as in Chromium. */
      if (*url == '\0')
        return;
      area = area_new (self, box_id, url, declared_type);
      area->x = x, area->y = y, area->width = width, area->height = height;
      g_ptr_array_add (self->areas, area);
      area_fetch (area);
      return;
    }
  if (area->x == x && area->y == y && area->width == width && area->height == height)
    return;
  area->x = x, area->y = y, area->width = width, area->height = height;
  area_update_size (area);
  changed (self);
}

void
bh_tab_plugins_box_removed (BhTabPlugins *self, guint box_id)
{
  Area *area;

  g_return_if_fail (self != NULL);

  area = find_box (self, box_id);
  if (area == NULL)
    return;
  g_ptr_array_remove (self->areas, area);
  changed (self);
}

/* ---- input ------------------------------------------------------------- */

static gboolean
area_contains (Area *area, double x_px, double y_px, double *out_local_x, double *out_local_y)
{
  int ax, ay, aw, ah;

  area_viewport_rect (area, &ax, &ay, &aw, &ah);
  *out_local_x = x_px - ax;
  *out_local_y = y_px - ay;
  return aw > 0 && ah > 0 && x_px >= ax && y_px >= ay && x_px < (double) ax + aw && y_px < (double) ay + ah;
}

/* The topmost area under the point (later boxes paint over earlier ones). */
static Area *
area_at (BhTabPlugins *self, double x_px, double y_px, double *out_local_x, double *out_local_y)
{
  for (guint i = self->areas->len; i > 0; i--)
    {
      Area *area = g_ptr_array_index (self->areas, i - 1);

      if (area_contains (area, x_px, y_px, out_local_x, out_local_y))
        return area;
    }
  return NULL;
}

gboolean
bh_tab_plugins_handle_mouse (BhTabPlugins *self, guint kind, double x_px, double y_px, guint button,
                             guint modifiers)
{
  Area *area = NULL;
  double local_x = 0, local_y = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  self->pointer_inside = x_px >= 0 && y_px >= 0;
  self->pointer_x_px = x_px;
  self->pointer_y_px = y_px;

  /* A press in an area keeps the pointer's events there until the release,
   * as an implicit grab does. */
  if (self->grab_area_id != 0)
    {
      area = find_area (self, self->grab_area_id);
      if (area != NULL)
        area_contains (area, x_px, y_px, &local_x, &local_y);
      if (kind == INPUT_RELEASE)
        self->grab_area_id = 0;
    }
  if (area == NULL)
    area = area_at (self, x_px, y_px, &local_x, &local_y);
  if (area == NULL)
    return FALSE;

  if (area->host != NULL)
    {
      if (kind == INPUT_PRESS)
        self->grab_area_id = area->id;
      bh_plugin_host_send_input (area->host, area->instance_id, kind, local_x, local_y, button, modifiers);
      return TRUE;
    }
  if (kind == INPUT_PRESS && button == 1 && area->can_reload)
    bh_tab_reload_plugin (self->tab, area->id);
  return TRUE;
}

/* The running area the pointer is over, or the full-tab plugin. */
static Area *
pointer_area (BhTabPlugins *self)
{
  double local_x, local_y;
  Area *area;

  if (self->full_tab_active && self->areas->len > 0)
    area = g_ptr_array_index (self->areas, 0);
  else if (!self->pointer_inside)
    return NULL;
  else
    area = area_at (self, self->pointer_x_px, self->pointer_y_px, &local_x, &local_y);
  return area != NULL && area->host != NULL ? area : NULL;
}

gboolean
bh_tab_plugins_handle_scroll (BhTabPlugins *self, double dx_px, double dy_px)
{
  double step_px;
  Area *area;

  g_return_val_if_fail (self != NULL, FALSE);

  area = pointer_area (self);
  if (area == NULL)
    return FALSE;
  step_px = BH_PLUGIN_WHEEL_STEP_PX * scale_of (self);
  bh_plugin_host_send_input (area->host, area->instance_id, INPUT_SCROLL, dx_px / step_px, dy_px / step_px, 0, 0);
  return TRUE;
}

gboolean
bh_tab_plugins_handle_key (BhTabPlugins *self, guint keyval, guint modifiers)
{
  Area *area;

  g_return_val_if_fail (self != NULL, FALSE);

  area = pointer_area (self);
  if (area == NULL)
    return FALSE;
  bh_plugin_host_send_input (area->host, area->instance_id, INPUT_KEY, 0, 0, keyval, modifiers);
  return TRUE;
}

/* ---- public API ------------------------------------------------------------ */

void
bh_plugin_frame_free (BhPluginFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_object (&frame->texture);
  g_free (frame->url);
  g_free (frame->plugin_type);
  g_free (frame->message);
  g_free (frame);
}

GPtrArray *
bh_tab_get_plugin_frames (BhTab *tab)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_plugin_frame_free);
  BhTabPlugins *self;

  g_return_val_if_fail (BH_IS_TAB (tab), frames);

  self = bh_tab_get_plugins (tab);
  if (self == NULL)
    return frames;
  for (guint i = 0; i < self->areas->len; i++)
    {
      Area *area = g_ptr_array_index (self->areas, i);
      BhPluginFrame *frame = g_new0 (BhPluginFrame, 1);
      GdkTexture *texture = NULL;

      frame->area_id = area->id;
      frame->url = g_strdup (area->url);
      frame->plugin_type = g_strdup (area->plugin_type != NULL ? area->plugin_type : "");
      frame->state = area->state;
      area_viewport_rect (area, &frame->x_px, &frame->y_px, &frame->width_px, &frame->height_px);
      switch (area->state)
        {
        case BH_PLUGIN_AREA_CRASHED:
        case BH_PLUGIN_AREA_FAILED:
          texture = area_placeholder (area);
          break;
        case BH_PLUGIN_AREA_LOADING:
        case BH_PLUGIN_AREA_RUNNING:
        case BH_PLUGIN_AREA_ERROR:
        default:
          texture = area->frame;
          break;
        }
      frame->texture = texture != NULL ? g_object_ref (texture) : NULL;
      frame->message = g_strdup (area->message);
      frame->can_reload = area->can_reload;
      frame->full_tab = area->full_tab;
      frame->host_pid = area->host != NULL ? bh_plugin_host_get_pid (area->host) : 0;
      frame->first_frame_latency_us = area->first_frame_latency_us;
      g_ptr_array_add (frames, frame);
    }
  return frames;
}

gboolean
bh_tab_has_pending_plugins (BhTab *tab)
{
  BhTabPlugins *self;

  g_return_val_if_fail (BH_IS_TAB (tab), FALSE);

  self = bh_tab_get_plugins (tab);
  if (self == NULL)
    return FALSE;
  for (guint i = 0; i < self->areas->len; i++)
    {
      Area *area = g_ptr_array_index (self->areas, i);
      guint width_px, height_px;

      area_device_size (area, &width_px, &height_px);
      /* A zero-sized box never gets a frame: nothing to wait for. */
      if (area->state == BH_PLUGIN_AREA_LOADING && area->frame == NULL && width_px > 0 && height_px > 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
bh_tab_reload_plugin (BhTab *tab, guint area_id)
{
  BhTabPlugins *self;
  Area *area;

  g_return_val_if_fail (BH_IS_TAB (tab), FALSE);

  self = bh_tab_get_plugins (tab);
  area = self != NULL ? find_area (self, area_id) : NULL;
  if (area == NULL)
    return FALSE;
  area_destroy_instance (area);
  g_clear_object (&area->frame);
  area_set_message (area, BH_PLUGIN_AREA_LOADING, NULL, FALSE);
  area->reported_us = g_get_monotonic_time ();
  area->first_frame_latency_us = 0;
  if (area->data_fd >= 0 && area->plugin_type != NULL)
    area_start_instance (area);
  else
    area_fetch (area);
  changed (self);
  return TRUE;
}

/* Paints @texture at (@x, @y) of @cr at its own size, clipped to @clip_w × @clip_h. */
static void
paint_texture (cairo_t *cr, GdkTexture *texture, int x, int y, int clip_w, int clip_h)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32. */
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        (gsize) cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, clip_w, clip_h);
  cairo_clip (cr);
  cairo_set_source_surface (cr, surface, x, y);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

GdkTexture *
bh_tab_snapshot (BhTab *tab)
{
  GdkTexture *frame;
  g_autoptr (GPtrArray) plugins = NULL;
  g_autoptr (GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  g_return_val_if_fail (BH_IS_TAB (tab), NULL);

  frame = bh_tab_get_frame (tab);
  if (frame == NULL)
    return NULL;
  width = gdk_texture_get_width (frame);
  height = gdk_texture_get_height (frame);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  paint_texture (cr, frame, 0, 0, width, height);
  plugins = bh_tab_get_plugin_frames (tab);
  for (guint i = 0; i < plugins->len; i++)
    {
      BhPluginFrame *plugin = g_ptr_array_index (plugins, i);

      if (plugin->texture != NULL)
        paint_texture (cr, plugin->texture, plugin->x_px, plugin->y_px, plugin->width_px, plugin->height_px);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (width, height,
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                                 GDK_MEMORY_B8G8R8A8_PREMULTIPLIED,
#else
                                 GDK_MEMORY_A8R8G8B8_PREMULTIPLIED,
#endif
                                 bytes, (gsize) cairo_image_surface_get_stride (surface));
}

GBytes *
bh_tab_snapshot_to_png (BhTab *tab, GError **error)
{
  g_autoptr (GdkTexture) snapshot = NULL;
  GBytes *png;

  g_return_val_if_fail (BH_IS_TAB (tab), NULL);

  snapshot = bh_tab_snapshot (tab);
  if (snapshot == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "the tab has no frame (nothing painted yet, or its renderer is gone)");
      return NULL;
    }
  /* gdk_texture_save_to_png_bytes() compresses as hard as zlib can, which
   * was a fifth of a headless run (55 ms for 1280x800); a screenshot is
   * written once and read once, so gdk-pixbuf's fastest level (1) does. */
  {
    g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_get_from_texture (snapshot);
    char *data = NULL;
    gsize size = 0;

    if (pixbuf == NULL ||
        !gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", error, "compression", "1", NULL))
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the frame could not be encoded as PNG");
        return NULL;
      }
    png = g_bytes_new_take (data, size);
  }
  return png;
}
