/* bh-plugin-instances.c: the instances a plugin host shows, and what the browser
 * says about them (see bh-plugin-instances.h and the conversation in main.c).
 */
#include "bh-plugin-instances.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "bh-shm.h"

typedef struct _BhPluginInstances BhPluginInstances;

typedef struct {
  guint32 id;    /* unique in this process */
  BhBitmap *bitmap;
  gboolean held; /* the browser has it (named in PluginFrameReady, not yet released) */
} Buffer;

typedef struct {
  BhPluginInstances *owner;
  guint32 id; /* chosen by the browser */
  guint width_px;
  guint height_px;
  Buffer buffers[2];
  BhPluginInstance *plugin_instance; /* NULL when the data could not be shown */
  char *error_message;               /* shown instead, when plugin_instance is NULL */
  gboolean needs_paint;              /* a paint waits for a released buffer */
} Instance;

struct _BhPluginInstances {
  BhChannel *channel;
  const BhPluginInfo *plugin;
  GHashTable *instances; /* id -> Instance */
  guint32 next_buffer_id;
};

static void G_GNUC_PRINTF (1, 2)
log_line (const char *format, ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("plugin-host[%d]: %s\n", getpid (), line);
}

/* ---- buffers and painting ---------------------------------------------- */

static void
instance_drop_buffers (BhPluginInstances *self, Instance *instance, gboolean tell_browser)
{
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    {
      Buffer *b = &instance->buffers[i];

      if (b->bitmap == NULL)
        continue;
      if (tell_browser)
        bh_channel_send (self->channel, BH_MSG_PluginBufferDestroyed, g_variant_new ("(uu)", instance->id, b->id),
                         NULL, 0);
      g_clear_pointer (&b->bitmap, bh_bitmap_free);
      b->held = FALSE;
    }
}

/* New bitmaps at the instance's size, each shared with the browser once. */
static gboolean
instance_allocate_buffers (BhPluginInstances *self, Instance *instance, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    {
      Buffer *b = &instance->buffers[i];

      b->bitmap = bh_bitmap_new (instance->width_px, instance->height_px, error);
      if (b->bitmap == NULL)
        {
          instance_drop_buffers (self, instance, TRUE);
          return FALSE;
        }
      b->id = ++self->next_buffer_id;
      b->held = FALSE;
      bh_channel_send (self->channel, BH_MSG_PluginBufferCreated,
                       g_variant_new ("(uuuuut)", instance->id, b->id, b->bitmap->width, b->bitmap->height,
                                      b->bitmap->stride_bytes, (guint64) b->bitmap->size_bytes),
                       &b->bitmap->fd, 1);
    }
  return TRUE;
}

/**
 * bh_plugin_paint_error:
 * @cr: where to paint, origin at the area's top-left corner, in device pixels
 * @width_px: the area's width, >= 1
 * @height_px: the area's height, >= 1
 * @message: what to say, UTF-8
 *
 * Paints what a plugin area shows when its data could not be: @message, centred,
 * ellipsized when it does not fit, on a light grey panel.
 */
void
bh_plugin_paint_error (cairo_t *cr, guint width_px, guint height_px, const char *message)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 11");
  int text_w, text_h;

  cairo_set_source_rgb (cr, 0xf1 / 255.0, 0xf3 / 255.0, 0xf4 / 255.0);
  cairo_paint (cr);
  cairo_rectangle (cr, 0.5, 0.5, width_px - 1.0, height_px - 1.0);
  cairo_set_source_rgb (cr, 0xda / 255.0, 0xdc / 255.0, 0xe0 / 255.0);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, MAX (1, (int) width_px - 32) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  /* A small area shows as much of the message as fits, then "…". */
  pango_layout_set_height (layout, MAX (1, (int) height_px - 8) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, message, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  cairo_set_source_rgb (cr, 0x3c / 255.0, 0x40 / 255.0, 0x43 / 255.0);
  cairo_move_to (cr, 16, MAX (4.0, (height_px - text_h) / 2.0));
  pango_cairo_show_layout (cr, layout);
}

/* Paints into a buffer the browser does not hold, or remembers to paint when
 * one comes back (PluginReleaseBuffer). */
static void
instance_paint (BhPluginInstances *self, Instance *instance)
{
  Buffer *b = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;

  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    if (instance->buffers[i].bitmap != NULL && !instance->buffers[i].held)
      {
        b = &instance->buffers[i];
        break;
      }
  if (b == NULL)
    {
      instance->needs_paint = TRUE;
      return;
    }
  instance->needs_paint = FALSE;

  surface = bh_bitmap_create_surface (b->bitmap);
  cr = cairo_create (surface);
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_rectangle (cr, 0, 0, instance->width_px, instance->height_px);
  cairo_clip (cr);
  if (instance->plugin_instance != NULL)
    self->plugin->paint (instance->plugin_instance, cr);
  else
    bh_plugin_paint_error (cr, instance->width_px, instance->height_px, instance->error_message);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);

  b->held = TRUE;
  bh_channel_send (self->channel, BH_MSG_PluginFrameReady, g_variant_new ("(uu)", instance->id, b->id), NULL, 0);
}

/* ---- instances ----------------------------------------------------------- */

static void
instance_free (Instance *instance)
{
  if (instance == NULL)
    return;
  /* The browser forgets the buffers of an instance it destroys by itself. */
  instance_drop_buffers (instance->owner, instance, FALSE);
  if (instance->plugin_instance != NULL)
    instance->owner->plugin->destroy (instance->plugin_instance);
  g_free (instance->error_message);
  g_free (instance);
}

static Instance *
lookup_instance (BhPluginInstances *self, BhMessage *m)
{
  guint32 id;
  Instance *instance;

  /* Every plugin message the host accepts starts with the instance id. */
  g_variant_get_child (m->payload, 0, "u", &id);
  instance = g_hash_table_lookup (self->instances, GUINT_TO_POINTER (id));
  if (instance == NULL)
    log_line ("%s for instance %u, which does not exist: ignored", bh_message_type_name (m->type), id);
  return instance;
}

static gboolean
size_is_valid (guint32 width_px, guint32 height_px)
{
  return width_px >= 1 && height_px >= 1 && width_px <= BH_BITMAP_MAX_DIMENSION &&
         height_px <= BH_BITMAP_MAX_DIMENSION;
}

/* The instance shows @reason instead of its content; the browser hears it too. */
static void
instance_fail (BhPluginInstances *self, Instance *instance, const char *reason)
{
  g_free (instance->error_message);
  instance->error_message = g_strdup_printf ("This %s could not be opened: %s", self->plugin->kind_name, reason);
  log_line ("instance %u: %s", instance->id, instance->error_message);
  bh_channel_send (self->channel, BH_MSG_PluginError, g_variant_new ("(us)", instance->id, instance->error_message),
                   NULL, 0);
}

static void
handle_create (BhPluginInstances *self, BhMessage *m)
{
  guint32 id, width_px, height_px;
  const char *mime_type;
  guint64 size;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  Instance *instance;

  g_variant_get (m->payload, "(u&suut)", &id, &mime_type, &width_px, &height_px, &size);
  if (g_hash_table_contains (self->instances, GUINT_TO_POINTER (id)))
    {
      log_line ("PluginCreate for instance %u, which already exists: ignored", id);
      return;
    }
  if (!size_is_valid (width_px, height_px))
    {
      g_autofree char *message = g_strdup_printf ("a plugin area of %ux%u px cannot be shown", width_px, height_px);

      log_line ("PluginCreate for instance %u: %s", id, message);
      bh_channel_send (self->channel, BH_MSG_PluginError, g_variant_new ("(us)", id, message), NULL, 0);
      return;
    }

  instance = g_new0 (Instance, 1);
  instance->owner = self;
  instance->id = id;
  instance->width_px = width_px;
  instance->height_px = height_px;
  g_hash_table_insert (self->instances, GUINT_TO_POINTER (id), instance);

  if (g_ascii_strcasecmp (mime_type, self->plugin->mime_type) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("this plugin host shows %s, not %s", self->plugin->mime_type, mime_type);
      instance_fail (self, instance, reason);
    }
  else if ((data = bh_blob_map (m->fds[0], size, &error)) == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("the browser sent unusable data (%s)", error->message);
      instance_fail (self, instance, reason);
    }
  else if ((instance->plugin_instance = self->plugin->create (width_px, height_px, data, &error)) == NULL)
    instance_fail (self, instance, error ? error->message : "unknown error");

  g_clear_error (&error);
  if (!instance_allocate_buffers (self, instance, &error))
    {
      g_autofree char *message = g_strdup_printf ("no memory for a %ux%u px frame: %s", width_px, height_px,
                                                  error->message);
      log_line ("instance %u: %s", id, message);
      bh_channel_send (self->channel, BH_MSG_PluginError, g_variant_new ("(us)", id, message), NULL, 0);
      return;
    }
  instance_paint (self, instance);
}

static void
handle_resize (BhPluginInstances *self, BhMessage *m, Instance *instance)
{
  guint32 width_px, height_px;
  g_autoptr (GError) error = NULL;

  g_variant_get (m->payload, "(uuu)", NULL, &width_px, &height_px);
  if (!size_is_valid (width_px, height_px))
    {
      log_line ("PluginResize of instance %u to %ux%u px: ignored", instance->id, width_px, height_px);
      return;
    }
  if (width_px == instance->width_px && height_px == instance->height_px)
    return;
  instance_drop_buffers (self, instance, TRUE);
  instance->width_px = width_px;
  instance->height_px = height_px;
  if (instance->plugin_instance != NULL)
    self->plugin->resize (instance->plugin_instance, width_px, height_px);
  if (!instance_allocate_buffers (self, instance, &error))
    {
      g_autofree char *message = g_strdup_printf ("no memory for a %ux%u px frame: %s", width_px, height_px,
                                                  error->message);
      log_line ("instance %u: %s", instance->id, message);
      bh_channel_send (self->channel, BH_MSG_PluginError, g_variant_new ("(us)", instance->id, message), NULL, 0);
      return;
    }
  instance_paint (self, instance);
}

static void
handle_input (BhPluginInstances *self, BhMessage *m, Instance *instance)
{
  guint32 kind, code, modifiers;
  double x, y;

  g_variant_get (m->payload, "(uudduu)", NULL, &kind, &x, &y, &code, &modifiers);
  if (kind > BH_PLUGIN_INPUT_LAST || !isfinite (x) || !isfinite (y))
    {
      log_line ("PluginInput for instance %u: kind %u at (%g, %g): ignored", instance->id, kind, x, y);
      return;
    }
  if (instance->plugin_instance == NULL)
    return;
  if (self->plugin->input (instance->plugin_instance, (BhPluginInputKind) kind, x, y, code, modifiers))
    instance_paint (self, instance);
}

static void
handle_release (BhPluginInstances *self, BhMessage *m, Instance *instance)
{
  guint32 buffer_id;
  Buffer *b = NULL;

  g_variant_get (m->payload, "(uu)", NULL, &buffer_id);
  for (guint i = 0; i < G_N_ELEMENTS (instance->buffers); i++)
    if (instance->buffers[i].bitmap != NULL && instance->buffers[i].id == buffer_id)
      b = &instance->buffers[i];
  /* A buffer dropped by a resize may still be released by a browser that had
   * not yet seen PluginBufferDestroyed: not worth a line. */
  if (b == NULL)
    return;
  if (!b->held)
    {
      log_line ("PluginReleaseBuffer of buffer %u of instance %u, which the browser does not hold: ignored",
                buffer_id, instance->id);
      return;
    }
  b->held = FALSE;
  if (instance->needs_paint)
    instance_paint (self, instance);
}

/* ---- the API ------------------------------------------------------------ */

/**
 * bh_plugin_instances_new:
 * @plugin: (transfer none): the loaded module's table; it must outlive the result
 * @channel: (transfer none): the channel to the browser, for what the instances send
 *   (buffers, frames, errors); a reference is taken
 *
 * Returns: (transfer full): no instances yet.
 */
BhPluginInstances *
bh_plugin_instances_new (const BhPluginInfo *plugin, BhChannel *channel)
{
  BhPluginInstances *self;

  g_return_val_if_fail (plugin != NULL, NULL);
  g_return_val_if_fail (channel != NULL, NULL);

  self = g_new0 (BhPluginInstances, 1);
  self->plugin = plugin;
  self->channel = bh_channel_ref (channel);
  self->instances = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) instance_free);
  return self;
}

/**
 * bh_plugin_instances_free:
 * @self: (nullable) (transfer full): the instances; each is destroyed and its bitmaps
 *   unmapped, without a word to the browser
 */
void
bh_plugin_instances_free (BhPluginInstances *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->instances, g_hash_table_unref);
  g_clear_pointer (&self->channel, bh_channel_unref);
  g_free (self);
}

/**
 * bh_plugin_instances_handle_message:
 * @self: the instances
 * @m: (transfer none): a message from the browser, of its catalogue type (the channel's
 *   decoder checked that)
 *
 * Acts on a PluginCreate, PluginResize, PluginInput, PluginReleaseBuffer or
 * PluginDestroy. Everything in it is checked (ids, sizes, coordinates, seals, the MIME
 * type); what fails is logged on stderr and ignored, since the browser is trusted and
 * such a message is its bug (docs/architecture.md, "Trust rules"). Data that cannot be
 * shown makes the instance show why, and the browser hears it (PluginError).
 *
 * Returns: %FALSE if @m is no plugin message (the caller handles it), else %TRUE.
 */
gboolean
bh_plugin_instances_handle_message (BhPluginInstances *self, BhMessage *m)
{
  Instance *instance;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (m != NULL, FALSE);

  switch (m->type)
    {
    case BH_MSG_PluginCreate:
      handle_create (self, m);
      return TRUE;
    case BH_MSG_PluginResize:
    case BH_MSG_PluginInput:
    case BH_MSG_PluginDestroy:
    case BH_MSG_PluginReleaseBuffer:
      break;
    default:
      return FALSE;
    }

  instance = lookup_instance (self, m);
  if (instance == NULL)
    return TRUE;
  switch (m->type)
    {
    case BH_MSG_PluginResize:
      handle_resize (self, m, instance);
      break;
    case BH_MSG_PluginInput:
      handle_input (self, m, instance);
      break;
    case BH_MSG_PluginReleaseBuffer:
      handle_release (self, m, instance);
      break;
    case BH_MSG_PluginDestroy:
      g_hash_table_remove (self->instances, GUINT_TO_POINTER (instance->id));
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}
