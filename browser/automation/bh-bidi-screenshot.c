/* bh-bidi-screenshot.c: browsingContext.captureScreenshot and
 * browsingContext.setViewport, which it leans on for whole-document
 * pictures.
 *
 * The renderer paints only the viewport. A picture of the whole document
 * (origin "document") is taken the way headless Chromium takes one
 * ("captureBeyondViewport"): the viewport is made as tall as the document,
 * the renderer paints that, the frame is taken and the viewport put back.
 */
#include "bh-bidi-private.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "bh-tab-plugins.h"

/* The tallest viewport a document picture asks for (bh_tab_set_viewport()
 * clamps to it as well); a taller document is cut there. */
#define MAX_DOCUMENT_PICTURE_PX 16384

typedef struct {
  gboolean document;         /* origin "document" */
  gboolean jpeg;
  int quality;               /* 0..100, JPEG only */
  gboolean has_clip;
  double clip_x, clip_y, clip_width, clip_height; /* CSS px of the origin */
  guint clip_node;           /* an element clip: the element, its box asked of the renderer */
  /* The viewport to put back after a document picture. */
  gboolean restore;
  int width_px, height_px;
  double scale;
} Screenshot;

typedef struct {
  GdkTexture *texture;       /* the whole frame */
  int x, y, width, height;   /* device px of it to encode */
  gboolean jpeg;
  int quality;
} EncodeJob;

static void
encode_job_free (EncodeJob *job)
{
  g_clear_object (&job->texture);
  g_free (job);
}

/* PNG (or JPEG) and base64 encoding take tens of milliseconds for a
 * 1280x800 frame: on a worker thread, so that a client taking screenshots
 * in a loop does not make the window stutter. A GdkTexture is immutable,
 * and the reference the job holds keeps the renderer's shared memory
 * mapped. The whole frame is encoded without a copy; a clip is copied out
 * first. */
static void
encode_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  EncodeJob *job = task_data;
  g_autoptr (GBytes) encoded = NULL;
  g_autoptr (GError) error = NULL;
  int full_width = gdk_texture_get_width (job->texture);
  int full_height = gdk_texture_get_height (job->texture);
  const guchar *data;
  gsize size;

  if (job->jpeg || job->x != 0 || job->y != 0 || job->width != full_width ||
      job->height != full_height)
    {
      /* GdkPixbuf for JPEG and for a clip. GTK 4.8 downloads a texture
       * as premultiplied BGRA only (gdk_texture_download()); GdkPixbuf
       * wants straight RGB(A): converted here. */
      gsize stride = (gsize) full_width * 4;
      g_autofree guchar *pixels = g_malloc (stride * (gsize) full_height);
      g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, !job->jpeg, 8,
                                                     job->width, job->height);
      guchar *out = gdk_pixbuf_get_pixels (pixbuf);
      int out_stride = gdk_pixbuf_get_rowstride (pixbuf);
      int channels = gdk_pixbuf_get_n_channels (pixbuf);
      char *buffer = NULL;
      gsize buffer_size = 0;
      gboolean saved;

      gdk_texture_download (job->texture, pixels, stride);
      for (int row = 0; row < job->height; row++)
        {
          const guchar *in = pixels + (gsize) (job->y + row) * stride + (gsize) job->x * 4;
          guchar *o = out + (gsize) row * (gsize) out_stride;

          for (int col = 0; col < job->width; col++, in += 4, o += channels)
            {
              guint a = in[3];

              /* Cairo's ARGB32 in memory: B, G, R, A, premultiplied. */
              o[0] = a == 0 ? 0 : (guchar) MIN (255u, (in[2] * 255u + a / 2) / a);
              o[1] = a == 0 ? 0 : (guchar) MIN (255u, (in[1] * 255u + a / 2) / a);
              o[2] = a == 0 ? 0 : (guchar) MIN (255u, (in[0] * 255u + a / 2) / a);
              if (channels == 4)
                o[3] = (guchar) a;
            }
        }
      if (job->jpeg)
        {
          g_autofree char *quality = g_strdup_printf ("%d", job->quality);

          saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &buffer_size, "jpeg", &error,
                                             "quality", quality, NULL);
        }
      else
        saved = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &buffer_size, "png", &error, NULL);
      if (!saved)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                   "the frame could not be encoded: %s", error->message);
          return;
        }
      encoded = g_bytes_new_take (buffer, buffer_size);
    }
  else
    encoded = gdk_texture_save_to_png_bytes (job->texture);
  if (encoded == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the frame could not be encoded as PNG");
      return;
    }
  data = g_bytes_get_data (encoded, &size);
  g_task_return_pointer (task, g_base64_encode (data, size), g_free);
}

static void
encoded_cb (GObject *source_object, GAsyncResult *result, gpointer user_data)
{
  BhBidiCommand *command = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *base64 = g_task_propagate_pointer (G_TASK (result), &error);
  JsonObject *answer;

  if (base64 == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "%s", error->message);
      return;
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "data", base64);
  bh_bidi_command_return (command, bh_bidi_node_take_object (answer));
}

static void
frame_cb (BhBidiCommand *command, BhTab *tab, GdkTexture *frame)
{
  Screenshot *shot = command->state;
  g_autoptr (GPtrArray) plugins = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GTask) task = NULL;
  EncodeJob *job;
  double scale;
  int frame_width, frame_height;
  double x0, y0, x1, y1;

  if (frame != NULL)
    {
      /* A page alone is the renderer's shared bitmap itself; plugin areas
       * are composited over it as the window shows them, which takes one
       * copy (bh_tab_snapshot()). */
      plugins = bh_tab_get_plugin_frames (tab);
      texture = plugins->len == 0 ? g_object_ref (frame) : bh_tab_snapshot (tab);
    }
  if (shot->restore)
    bh_tab_set_viewport (tab, shot->width_px, shot->height_px, shot->scale);
  if (texture == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR,
                            "the tab has no frame (nothing painted yet, or its renderer is gone)");
      return;
    }

  bh_tab_get_viewport (tab, NULL, NULL, &scale);
  frame_width = gdk_texture_get_width (texture);
  frame_height = gdk_texture_get_height (texture);
  x0 = 0;
  y0 = 0;
  x1 = frame_width;
  y1 = frame_height;
  if (shot->has_clip)
    {
      /* The spec's "rectangle intersection" of the clip with the origin's
       * rectangle; an empty one is an error. */
      x0 = MAX (x0, floor (shot->clip_x * scale));
      y0 = MAX (y0, floor (shot->clip_y * scale));
      x1 = MIN (x1, ceil ((shot->clip_x + shot->clip_width) * scale));
      y1 = MIN (y1, ceil ((shot->clip_y + shot->clip_height) * scale));
      if (x1 - x0 < 1 || y1 - y0 < 1)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_UNABLE_TO_CAPTURE_SCREEN,
                                "the clip does not overlap the %s",
                                shot->document ? "document" : "viewport");
          return;
        }
    }

  job = g_new0 (EncodeJob, 1);
  job->texture = g_steal_pointer (&texture);
  job->x = (int) x0;
  job->y = (int) y0;
  job->width = (int) (x1 - x0);
  job->height = (int) (y1 - y0);
  job->jpeg = shot->jpeg;
  job->quality = shot->quality;
  /* No source object: the answer needs only the command. */
  task = g_task_new (NULL, NULL, encoded_cb, command);
  g_task_set_source_tag (task, frame_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) encode_job_free);
  g_task_run_in_thread (task, encode_thread);
}

/* A JSON number member as a double; FALSE if absent or not a number. */
static gboolean
get_number (JsonObject *object, const char *name, double *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type = node != NULL ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

static gboolean
parse_format (BhBidiCommand *command, Screenshot *shot)
{
  JsonNode *format = json_object_get_member (command->params, "format");
  JsonObject *object;
  const char *type;
  double quality = 0.92;

  shot->quality = 92;
  if (format == NULL)
    return TRUE;
  object = JSON_NODE_HOLDS_OBJECT (format) ? json_node_get_object (format) : NULL;
  type = object != NULL ? json_object_get_string_member_with_default (object, "type", NULL)
                        : NULL;
  if (type == NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"format\" must be an object with a \"type\" string");
      return FALSE;
    }
  if (g_str_equal (type, "image/jpeg"))
    shot->jpeg = TRUE;
  else if (!g_str_equal (type, "image/png"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                            "only image/png and image/jpeg are supported, not %s", type);
      return FALSE;
    }
  if (json_object_has_member (object, "quality") &&
      (!get_number (object, "quality", &quality) || quality < 0 || quality > 1))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"quality\" must be a number from 0 to 1");
      return FALSE;
    }
  shot->quality = (int) lround (quality * 100);
  return TRUE;
}

static gboolean
parse_clip (BhBidiCommand *command, Screenshot *shot)
{
  JsonNode *clip = json_object_get_member (command->params, "clip");
  JsonObject *object;
  const char *type;

  if (clip == NULL)
    return TRUE;
  object = JSON_NODE_HOLDS_OBJECT (clip) ? json_node_get_object (clip) : NULL;
  type = object != NULL ? json_object_get_string_member_with_default (object, "type", NULL)
                        : NULL;
  if (type != NULL && g_str_equal (type, "element"))
    {
      /* {type: "element", element: {sharedId}}: the element's box, asked of
       * the renderer before the picture is taken. */
      JsonNode *element = json_object_get_member (object, "element");
      const char *ref = element != NULL && JSON_NODE_HOLDS_OBJECT (element)
                          ? json_object_get_string_member_with_default (json_node_get_object (element),
                                                                        "sharedId", NULL)
                          : NULL;
      const char *error = NULL;
      BhTab *owner;

      if (ref == NULL)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "an element clip is {type: \"element\", element: {sharedId}}");
          return FALSE;
        }
      owner = bh_bidi_element_lookup (command->server, ref, &shot->clip_node, &error);
      if (owner == NULL || owner != bh_bidi_param_context (command, "context", TRUE))
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NODE,
                                "“%s” is not an element of this context's document", ref);
          return FALSE;
        }
      shot->has_clip = TRUE;
      return TRUE;
    }
  if (type == NULL || !g_str_equal (type, "box") || !get_number (object, "x", &shot->clip_x) ||
      !get_number (object, "y", &shot->clip_y) ||
      !get_number (object, "width", &shot->clip_width) ||
      !get_number (object, "height", &shot->clip_height))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"clip\" must be {type: \"box\", x, y, width, height}");
      return FALSE;
    }
  /* A negative size is the same box from its other corner. */
  if (shot->clip_width < 0)
    {
      shot->clip_x += shot->clip_width;
      shot->clip_width = -shot->clip_width;
    }
  if (shot->clip_height < 0)
    {
      shot->clip_y += shot->clip_height;
      shot->clip_height = -shot->clip_height;
    }
  shot->has_clip = TRUE;
  return TRUE;
}

static void capture (BhBidiCommand *command, BhTab *tab);

/* An element clip's box: document px, made the origin's. */
static void
element_rect_cb (BhBidiCommand *command, BhTab *tab, const char *value, const GError *error)
{
  Screenshot *shot = command->state;
  int scroll_y = 0;

  if (error != NULL)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNKNOWN_ERROR, "%s", error->message);
      return;
    }
  if (value == NULL || !bh_bidi_parse_rect (value, &shot->clip_x, &shot->clip_y, &shot->clip_width,
                                            &shot->clip_height))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_NODE, "the element is gone");
      return;
    }
  if (shot->clip_width <= 0 || shot->clip_height <= 0)
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_UNABLE_TO_CAPTURE_SCREEN, "the element has no box on the page");
      return;
    }
  if (!shot->document)
    {
      g_object_get (tab, "scroll-y", &scroll_y, NULL);
      shot->clip_y -= scroll_y;
    }
  capture (command, tab);
}

static void
browsing_context_capture_screenshot (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", TRUE);
  Screenshot *shot;
  const char *origin;

  if (tab == NULL || !bh_bidi_param_string (command, "origin", FALSE, &origin))
    return;
  if (origin != NULL && !g_str_equal (origin, "viewport") && !g_str_equal (origin, "document"))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"origin\" must be \"viewport\" or \"document\"");
      return;
    }
  shot = g_new0 (Screenshot, 1);
  command->state = shot;
  command->state_free = g_free;
  shot->document = origin != NULL && g_str_equal (origin, "document");
  if (!parse_format (command, shot) || !parse_clip (command, shot))
    return;
  if (shot->clip_node != 0)
    {
      bh_bidi_query (command, tab, shot->clip_node, "rect", element_rect_cb);
      return;
    }
  capture (command, tab);
}

/* Takes the picture once the clip is known. */
static void
capture (BhBidiCommand *command, BhTab *tab)
{
  Screenshot *shot = command->state;

  if (shot->document)
    {
      int document_height = 0;
      int want_height;

      g_object_get (tab, "document-height", &document_height, NULL);
      bh_tab_get_viewport (tab, &shot->width_px, &shot->height_px, &shot->scale);
      want_height = (int) MIN ((double) MAX_DOCUMENT_PICTURE_PX,
                               ceil (MAX (document_height, 1) * shot->scale));
      if (want_height != shot->height_px)
        {
          shot->restore = TRUE;
          bh_tab_set_viewport (tab, shot->width_px, want_height, shot->scale);
          bh_bidi_server_wait_frame_size (command->server, command, tab, shot->width_px,
                                          want_height, frame_cb);
          return;
        }
    }
  bh_bidi_server_wait_frame (command->server, command, tab, frame_cb);
}

/* The answer to setViewport waits for a frame of the new size, so that the
 * client's next screenshot shows it. */
static void
resized_cb (BhBidiCommand *command, BhTab *tab, GdkTexture *frame)
{
  bh_bidi_command_return (command, NULL);
}

static void
browsing_context_set_viewport (BhBidiCommand *command)
{
  BhTab *tab = bh_bidi_param_context (command, "context", FALSE);
  JsonNode *viewport = json_object_get_member (command->params, "viewport");
  JsonNode *ratio = json_object_get_member (command->params, "devicePixelRatio");
  int width_px, height_px;
  double scale;
  double css_width, css_height;

  if (tab == NULL)
    {
      /* Without a context the spec sets it for user contexts instead. */
      if (json_object_has_member (command->params, "userContexts"))
        bh_bidi_command_fail (command, BH_BIDI_ERROR_UNSUPPORTED_OPERATION,
                              "setViewport for user contexts is not supported");
      else if (!json_object_has_member (command->params, "context"))
        bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                              "\"context\" must be a string and is missing");
      return;
    }
  bh_tab_get_viewport (tab, &width_px, &height_px, &scale);
  css_width = width_px / scale;
  css_height = height_px / scale;
  if (ratio != NULL && !JSON_NODE_HOLDS_NULL (ratio))
    {
      GType type = json_node_get_value_type (ratio);

      if ((type != G_TYPE_INT64 && type != G_TYPE_DOUBLE) || !(json_node_get_double (ratio) > 0) ||
          json_node_get_double (ratio) > 10)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"devicePixelRatio\" must be a number above 0 (at most 10)");
          return;
        }
      scale = json_node_get_double (ratio);
    }
  else if (ratio != NULL)
    scale = 1.0;
  if (viewport != NULL && !JSON_NODE_HOLDS_NULL (viewport))
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (viewport) ? json_node_get_object (viewport)
                                                             : NULL;

      if (object == NULL || !get_number (object, "width", &css_width) ||
          !get_number (object, "height", &css_height) || css_width < 1 || css_height < 1 ||
          css_width > 16384 || css_height > 16384)
        {
          bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                                "\"viewport\" must be {width, height} in CSS px, 1 to 16384");
          return;
        }
    }
  else if (viewport != NULL)
    {
      /* null: back to the browser's own size. */
      const BhBrowserOptions *options =
        bh_browser_get_options (bh_bidi_server_get_browser (command->server));

      css_width = options->window_width_px;
      css_height = options->window_height_px;
    }
  width_px = (int) lround (css_width * scale);
  height_px = (int) lround (css_height * scale);
  bh_tab_set_viewport (tab, width_px, height_px, scale);
  bh_bidi_server_wait_frame_size (command->server, command, tab, CLAMP (width_px, 1, 16384),
                                  CLAMP (height_px, 1, 16384), resized_cb);
}

/* emulation.setScreenOrientationOverride, which puppeteer's setViewport
 * sends with every viewport: the override is checked and accepted. Only
 * script can see a screen's orientation (screen.orientation, the
 * orientation media query, neither of which the renderer has), so there is
 * nothing for it to change yet (docs/automation.md). */
static void
emulation_set_screen_orientation_override (BhBidiCommand *command)
{
  JsonNode *orientation = json_object_get_member (command->params, "screenOrientation");
  g_auto (GStrv) contexts = NULL;

  if (orientation == NULL ||
      (!JSON_NODE_HOLDS_NULL (orientation) &&
       (!JSON_NODE_HOLDS_OBJECT (orientation) ||
        json_object_get_string_member_with_default (json_node_get_object (orientation), "natural",
                                                    NULL) == NULL ||
        json_object_get_string_member_with_default (json_node_get_object (orientation), "type",
                                                    NULL) == NULL)))
    {
      bh_bidi_command_fail (command, BH_BIDI_ERROR_INVALID_ARGUMENT,
                            "\"screenOrientation\" must be null or {natural, type}");
      return;
    }
  if (!bh_bidi_param_strings (command, "contexts", FALSE, &contexts))
    return;
  for (gsize i = 0; contexts != NULL && contexts[i] != NULL; i++)
    if (bh_bidi_server_find_tab (command->server, contexts[i]) == NULL)
      {
        bh_bidi_command_fail (command, BH_BIDI_ERROR_NO_SUCH_FRAME, "no browsing context “%s”",
                              contexts[i]);
        return;
      }
  bh_bidi_command_return (command, NULL);
}

const BhBidiCommandEntry bh_bidi_screenshot_commands[] = {
  { "emulation.setScreenOrientationOverride", emulation_set_screen_orientation_override },
  { "browsingContext.captureScreenshot", browsing_context_capture_screenshot },
  { "browsingContext.setViewport", browsing_context_set_viewport },
  { NULL, NULL }
};
