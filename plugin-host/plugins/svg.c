/* svg.c: the image/svg+xml plugin, with librsvg.
 *
 * The image is scaled to fit the instance's area with its aspect ratio kept
 * and centred in it (SVG's default preserveAspectRatio, "xMidYMid meet"), on
 * white. It takes no input.
 *
 * The data is parsed once, in create, with rsvg_handle_new_from_data(): the
 * handle has no base file, so librsvg refuses every external reference
 * (images, stylesheets, fonts by URL) and the plugin never asks for a file.
 */
#include <librsvg/rsvg.h>

#include "bh-plugin.h"

struct _BhPluginInstance {
  RsvgHandle *handle;
  guint width_px;
  guint height_px;
  gboolean has_intrinsic_size;
  double intrinsic_width_px;
  double intrinsic_height_px;
};

static void
svg_destroy (BhPluginInstance *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->handle);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhPluginInstance, svg_destroy)

static BhPluginInstance *
svg_create (guint width_px, guint height_px, GBytes *data, GError **error)
{
  g_autoptr (BhPluginInstance) self = g_new0 (BhPluginInstance, 1);
  g_autoptr (GError) local_error = NULL;
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  if (size == 0)
    {
      g_set_error_literal (error, BH_PLUGIN_ERROR, BH_PLUGIN_ERROR_EMPTY, "the file is empty");
      return NULL;
    }
  self->handle = rsvg_handle_new_from_data (bytes, size, &local_error);
  if (self->handle == NULL)
    {
      /* librsvg's messages name the XML error and its line: plain enough to show. */
      g_set_error (error, BH_PLUGIN_ERROR, BH_PLUGIN_ERROR_INVALID_DATA, "%s", local_error->message);
      return NULL;
    }
  rsvg_handle_set_dpi (self->handle, 96.0);
  /* FALSE when width or height is missing or relative (a percentage): then
   * librsvg fits the viewBox into the viewport by itself. */
  self->has_intrinsic_size = rsvg_handle_get_intrinsic_size_in_pixels (
                               self->handle, &self->intrinsic_width_px, &self->intrinsic_height_px) &&
                             self->intrinsic_width_px > 0 && self->intrinsic_height_px > 0;
  self->width_px = width_px;
  self->height_px = height_px;
  return g_steal_pointer (&self);
}

static void
svg_resize (BhPluginInstance *self, guint width_px, guint height_px)
{
  self->width_px = width_px;
  self->height_px = height_px;
}

static gboolean
svg_input (BhPluginInstance *self, BhPluginInputKind kind, double x, double y, guint code,
           guint modifiers)
{
  return FALSE;
}

static void
svg_paint (BhPluginInstance *self, cairo_t *cr)
{
  RsvgRectangle viewport = { 0, 0, self->width_px, self->height_px };

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  /* Fit, centred, aspect kept. librsvg does the same for a document with a
   * viewBox; doing it here also covers one with only width and height. */
  if (self->has_intrinsic_size)
    {
      double scale = MIN (self->width_px / self->intrinsic_width_px, self->height_px / self->intrinsic_height_px);

      viewport.width = self->intrinsic_width_px * scale;
      viewport.height = self->intrinsic_height_px * scale;
      viewport.x = (self->width_px - viewport.width) / 2.0;
      viewport.y = (self->height_px - viewport.height) / 2.0;
    }
  /* A failure (nesting too deep, an element limit) leaves what was drawn so far
   * on white: partial pictures are what browsers show too. */
  rsvg_handle_render_document (self->handle, cr, &viewport, NULL);
}

/* Loads, before the sandbox: librsvg's state and its filter threads, Pango,
 * fontconfig and a font for <text>, and the gdk-pixbuf loaders librsvg
 * decodes embedded raster images with (GIF's is a module dlopen'ed on first
 * use; PNG's and JPEG's are built in on Debian). The images are 1x1 px. */
static void
svg_warm_up (void)
{
  static const char svg[] =
    "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='120' height='40'>"
    "<defs><linearGradient id='g'><stop offset='0' stop-color='red'/><stop offset='1' stop-color='blue'/>"
    "</linearGradient><filter id='f'><feGaussianBlur stdDeviation='1'/></filter></defs>"
    "<rect width='120' height='40' fill='url(#g)' filter='url(#f)'/>"
    "<text x='4' y='26' font-family='sans-serif' font-size='14'>Bulkhead fi 0123</text>"
    "<image width='1' height='1' xlink:href='data:image/gif;base64,"
    "R0lGODlhAQABAPAAAAD/AAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=='/>"
    "<image width='1' height='1' xlink:href='data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABAQMAAAAl21bKAAAAA1BMVEUA/wA0XsCoAAAACklEQVQI12NgAAAAAgAB4iG8MwAAAABJRU5ErkJggg=='/>"
    "<image width='1' height='1' xlink:href='data:image/jpeg;base64,"
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwS"
    "ExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAAR"
    "CAABAAEDAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAABv/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAVAQEBAAAAAAAAAAAAAAAAAAAI"
    "Cf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AHYPpxP/2Q=='/>"
    "</svg>";
  g_autoptr (GBytes) data = g_bytes_new_static (svg, sizeof svg - 1);
  g_autoptr (BhPluginInstance) instance = svg_create (120, 40, data, NULL);
  cairo_surface_t *surface;
  cairo_t *cr;

  if (instance == NULL)
    return;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 120, 40);
  cr = cairo_create (surface);
  svg_paint (instance, cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static const BhPluginInfo svg_info = {
  .abi_version = BH_PLUGIN_ABI_VERSION,
  .mime_type = "image/svg+xml",
  .kind_name = "SVG image",
  .warm_up = svg_warm_up,
  .create = svg_create,
  .resize = svg_resize,
  .input = svg_input,
  .paint = svg_paint,
  .destroy = svg_destroy,
};

G_MODULE_EXPORT const BhPluginInfo *
bh_plugin_get_info (void)
{
  return &svg_info;
}
