/* bh-page-view.c: shows a tab's frame and forwards input to it.
 *
 * Coordinates: GTK hands us logical px (widget coordinates); the renderer
 * lays out and paints in device px, so everything sent to the tab is
 * multiplied by the scale factor, and the frame texture (device px) is drawn
 * at 1/scale.
 */
#include "bh-page-view.h"

#include <math.h>

#include "bh-page-menus.h"
#include "bh-tab-plugins.h"

struct _BhPageView {
  GtkWidget parent_instance;

  BhTab *tab;
  GtkAdjustment *vadjustment;
  GtkAdjustment *hadjustment; /* the tab's "document-width" and "scroll-x" */

  /* The last viewport sent to the tab, device px. */
  int viewport_width_px;
  int viewport_height_px;
  int viewport_scale;

  /* Set while the adjustment follows the tab, so that the change is not
   * sent back to it as a scroll request. */
  gboolean updating_adjustment;
};

G_DEFINE_FINAL_TYPE (BhPageView, bh_page_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TAB,
  PROP_VADJUSTMENT,
  PROP_HADJUSTMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
scale_of (BhPageView *self)
{
  return MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static guint
modifiers_of (GtkEventController *controller)
{
  return gtk_event_controller_get_current_event_state (controller) & GDK_MODIFIER_MASK;
}

static void
update_adjustment (BhPageView *self)
{
  int document_height_px = 0;
  int scroll_y_px = 0;
  double page_px;
  double upper_px;

  if (self->tab != NULL)
    g_object_get (self->tab,
                  "document-height", &document_height_px,
                  "scroll-y", &scroll_y_px,
                  NULL);

  page_px = MAX (self->viewport_height_px, 0);
  upper_px = MAX ((double) document_height_px, page_px);

  self->updating_adjustment = TRUE;
  gtk_adjustment_configure (self->vadjustment,
                            CLAMP ((double) scroll_y_px, 0.0, upper_px - page_px),
                            0.0,
                            upper_px,
                            BH_PAGE_VIEW_WHEEL_STEP_PX * scale_of (self),
                            page_px * 0.9,
                            page_px);
  self->updating_adjustment = FALSE;
}

/* Sideways, as update_adjustment() does downwards: content wider than the
 * viewport (a wide table) scrolls instead of being cut off. */
static void
update_hadjustment (BhPageView *self)
{
  int document_width_css = 0;
  int scroll_x_css = 0;
  int scale = scale_of (self);
  double page_px = MAX (self->viewport_width_px, 0);
  double upper_px;

  if (self->hadjustment == NULL)
    return;
  if (self->tab != NULL)
    g_object_get (self->tab, "document-width", &document_width_css, "scroll-x", &scroll_x_css, NULL);
  /* The renderer speaks CSS px sideways: DocumentSize and HorizontalScrollChanged. */
  upper_px = MAX ((double) document_width_css * scale, page_px);
  self->updating_adjustment = TRUE;
  gtk_adjustment_configure (self->hadjustment, CLAMP ((double) scroll_x_css * scale, 0.0, upper_px - page_px), 0.0,
                            upper_px, BH_PAGE_VIEW_WHEEL_STEP_PX * scale, page_px * 0.9, page_px);
  self->updating_adjustment = FALSE;
}

static void
hadjustment_value_changed_cb (GtkAdjustment *adjustment, BhPageView *self)
{
  if (self->updating_adjustment || self->tab == NULL)
    return;
  bh_tab_scroll_to_x (self->tab, (int) round (gtk_adjustment_get_value (adjustment) / scale_of (self)));
}

static void
send_viewport (BhPageView *self)
{
  int scale = scale_of (self);
  int width_px = gtk_widget_get_width (GTK_WIDGET (self)) * scale;
  int height_px = gtk_widget_get_height (GTK_WIDGET (self)) * scale;

  if (self->tab == NULL || width_px <= 0 || height_px <= 0)
    return;

  if (width_px == self->viewport_width_px &&
      height_px == self->viewport_height_px &&
      scale == self->viewport_scale)
    return;

  self->viewport_width_px = width_px;
  self->viewport_height_px = height_px;
  self->viewport_scale = scale;
  bh_tab_set_viewport (self->tab, width_px, height_px, scale);
  update_adjustment (self);
  update_hadjustment (self);
}

static void
update_cursor (BhPageView *self)
{
  guint cursor = 0;

  if (self->tab != NULL)
    g_object_get (self->tab, "cursor", &cursor, NULL);

  /* The tab's cursor codes are HoverChanged's: 0 default, 1 pointer, 2 text. */
  switch (cursor)
    {
    case 1:
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
      break;
    case 2:
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "text");
      break;
    default:
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      break;
    }
}

static void
frame_changed_cb (BhTab *tab, BhPageView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cursor_changed_cb (BhTab *tab, GParamSpec *pspec, BhPageView *self)
{
  update_cursor (self);
}

static void
scroll_changed_cb (BhTab *tab, GParamSpec *pspec, BhPageView *self)
{
  update_adjustment (self);
  update_hadjustment (self);
}

/* The renderer has no clipboard: the text it selected or copied comes here,
 * checked, and the browser puts it on the X primary selection (middle-click
 * paste) or the clipboard, as Chromium's ClipboardHost does. */
static void
clipboard_text_cb (BhTabInteraction *interaction, const char *text, gboolean primary, BhPageView *self)
{
  GdkClipboard *clipboard = primary ? gtk_widget_get_primary_clipboard (GTK_WIDGET (self))
                                    : gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (*text != '\0')
    gdk_clipboard_set_text (clipboard, text);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment, BhPageView *self)
{
  if (self->updating_adjustment || self->tab == NULL)
    return;

  bh_tab_scroll_to (self->tab, (int) round (gtk_adjustment_get_value (adjustment)));
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, BhPageView *self)
{
  int scale = scale_of (self);

  if (self->tab != NULL)
    bh_tab_send_mouse (self->tab, BH_MOUSE_EVENT_MOTION, x * scale, y * scale, 0,
                       modifiers_of (GTK_EVENT_CONTROLLER (controller)));
}

static void
leave_cb (GtkEventControllerMotion *controller, BhPageView *self)
{
  /* MouseEvent has no "leave": a move outside the viewport ends the hover,
   * so the status bar does not keep showing a link the pointer left. */
  if (self->tab != NULL)
    bh_tab_send_mouse (self->tab, BH_MOUSE_EVENT_MOTION, -1.0, -1.0, 0,
                       modifiers_of (GTK_EVENT_CONTROLLER (controller)));
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, BhPageView *self)
{
  int scale = scale_of (self);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  /* A mouse's side buttons are Back and Forward, as in every browser. */
  if (button == 8 || button == 9)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), button == 8 ? "win.back" : "win.forward", NULL);
      return;
    }

  /* What a click means (a link, a middle click to a new tab) is the
   * renderer's business; the view only reports it. */
  if (self->tab != NULL)
    bh_tab_send_mouse (self->tab, BH_MOUSE_EVENT_PRESS, x * scale, y * scale, button,
                       modifiers_of (GTK_EVENT_CONTROLLER (gesture)));
}

static void
released_cb (GtkGestureClick *gesture, int n_press, double x, double y, BhPageView *self)
{
  int scale = scale_of (self);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (self->tab != NULL)
    bh_tab_send_mouse (self->tab, BH_MOUSE_EVENT_RELEASE, x * scale, y * scale, button,
                       modifiers_of (GTK_EVENT_CONTROLLER (gesture)));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, BhPageView *self)
{
  int scale = scale_of (self);

  if (self->tab == NULL)
    return FALSE;

  /* Ctrl+wheel zooms, as in every browser. */
  if (modifiers_of (GTK_EVENT_CONTROLLER (controller)) & GDK_CONTROL_MASK)
    {
      if (dy != 0)
        gtk_widget_activate_action (GTK_WIDGET (self), dy < 0 ? "win.zoom-in" : "win.zoom-out", NULL);
      return TRUE;
    }

  /* A mouse wheel reports notches; a touchpad reports surface px. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    {
      dx *= BH_PAGE_VIEW_WHEEL_STEP_PX;
      dy *= BH_PAGE_VIEW_WHEEL_STEP_PX;
    }

  bh_tab_send_scroll (self->tab, dx * scale, dy * scale);
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BhPageView            *self)
{
  if (self->tab == NULL)
    return FALSE;

  /* Paste: the renderer has no clipboard, so the browser reads it and types
   * the text into the page's field (InsertText), as Chromium's renderer asks
   * its ClipboardHost. */
  if (((keyval == GDK_KEY_v || keyval == GDK_KEY_V) && (state & GDK_CONTROL_MASK) && !(state & GDK_ALT_MASK)) ||
      (keyval == GDK_KEY_Insert && (state & GDK_SHIFT_MASK) && !(state & GDK_CONTROL_MASK)))
    {
      bh_page_menus_paste (GTK_WIDGET (self));
      return TRUE;
    }
  /* The application's shortcuts (Ctrl+T, Ctrl+L, ...) never get here: the
   * window handles them in the capture phase, before the focus widget. Keys
   * that reach the page are the page's, Tab included, as in Chromium. */
  bh_tab_send_key (self->tab, keyval, state & GDK_MODIFIER_MASK);
  return TRUE;
}

static void
focus_enter_cb (GtkEventControllerFocus *controller, BhPageView *self)
{
  if (self->tab != NULL)
    bh_tab_set_focus (self->tab, TRUE);
}

static void
focus_leave_cb (GtkEventControllerFocus *controller, BhPageView *self)
{
  if (self->tab != NULL)
    bh_tab_set_focus (self->tab, FALSE);
}

static void
scale_factor_changed_cb (BhPageView *self, GParamSpec *pspec, gpointer user_data)
{
  send_viewport (self);
}

static void
bh_page_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  send_viewport (BH_PAGE_VIEW (widget));
  bh_page_menus_present (widget);
}

/* The plugin areas over the frame: each plugin's latest frame, a texture
 * over the plugin host's shared memory like the frame itself, at its box
 * (scroll already taken off), clipped to the box and to the view. GTK's
 * render node holds the texture; when it lets go, the buffer goes back to
 * the plugin host (bh-plugin-host.c). */
static void
snapshot_plugins (BhPageView *self, GtkSnapshot *snapshot, int width, int height)
{
  g_autoptr (GPtrArray) plugins = bh_tab_get_plugin_frames (self->tab);
  int scale = scale_of (self);
  graphene_rect_t view = GRAPHENE_RECT_INIT (0, 0, width, height);

  for (guint i = 0; i < plugins->len; i++)
    {
      BhPluginFrame *plugin = g_ptr_array_index (plugins, i);
      graphene_rect_t box = GRAPHENE_RECT_INIT ((float) plugin->x_px / scale, (float) plugin->y_px / scale,
                                                (float) plugin->width_px / scale,
                                                (float) plugin->height_px / scale);
      graphene_rect_t clip;

      if (plugin->texture == NULL || !graphene_rect_intersection (&box, &view, &clip))
        continue;
      gtk_snapshot_push_clip (snapshot, &clip);
      gtk_snapshot_append_texture (snapshot, plugin->texture,
                                   &GRAPHENE_RECT_INIT (box.origin.x, box.origin.y,
                                                        (float) gdk_texture_get_width (plugin->texture) / scale,
                                                        (float) gdk_texture_get_height (plugin->texture) / scale));
      gtk_snapshot_pop (snapshot);
    }
}

static void
bh_page_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  BhPageView *self = BH_PAGE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkTexture *frame = self->tab != NULL ? bh_tab_get_frame (self->tab) : NULL;
  double frame_width = 0.0;
  double frame_height = 0.0;

  if (frame != NULL)
    {
      int scale = scale_of (self);

      /* The frame is drawn at its own size, not stretched: while a resize is
       * on its way to the renderer the old frame stays sharp, as in Chromium,
       * and the uncovered strip shows the page background. */
      frame_width = (double) gdk_texture_get_width (frame) / scale;
      frame_height = (double) gdk_texture_get_height (frame) / scale;
    }

  if (frame_width < width || frame_height < height)
    {
      static const GdkRGBA page_background = { 1.0f, 1.0f, 1.0f, 1.0f };

      gtk_snapshot_append_color (snapshot, &page_background,
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
    }

  if (frame != NULL)
    {
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      gtk_snapshot_append_texture (snapshot, frame,
                                   &GRAPHENE_RECT_INIT (0, 0, frame_width, frame_height));
      gtk_snapshot_pop (snapshot);
      snapshot_plugins (self, snapshot, width, height);
    }
}

void
bh_page_view_set_tab (BhPageView *self, BhTab *tab)
{
  g_return_if_fail (BH_IS_PAGE_VIEW (self));
  g_return_if_fail (tab == NULL || BH_IS_TAB (tab));

  if (self->tab == tab)
    return;

  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_signal_handlers_disconnect_by_data (bh_tab_get_interaction (self->tab), self);
      if (gtk_widget_has_focus (GTK_WIDGET (self)))
        bh_tab_set_focus (self->tab, FALSE);
      g_clear_object (&self->tab);
    }

  if (tab != NULL)
    {
      self->tab = g_object_ref (tab);
      g_signal_connect (tab, "frame-changed", G_CALLBACK (frame_changed_cb), self);
      g_signal_connect (tab, "notify::cursor", G_CALLBACK (cursor_changed_cb), self);
      g_signal_connect (tab, "notify::document-height", G_CALLBACK (scroll_changed_cb), self);
      g_signal_connect (tab, "notify::scroll-y", G_CALLBACK (scroll_changed_cb), self);
      g_signal_connect (tab, "notify::document-width", G_CALLBACK (scroll_changed_cb), self);
      g_signal_connect (tab, "notify::scroll-x", G_CALLBACK (scroll_changed_cb), self);
      g_signal_connect (bh_tab_get_interaction (tab), "clipboard-text", G_CALLBACK (clipboard_text_cb), self);
      bh_tab_set_visible (tab, gtk_widget_get_mapped (GTK_WIDGET (self)));
    }

  bh_page_menus_set_tab (GTK_WIDGET (self), tab);

  /* A new tab has not been told any size yet. */
  self->viewport_width_px = 0;
  self->viewport_height_px = 0;
  self->viewport_scale = 0;
  send_viewport (self);
  update_cursor (self);
  update_adjustment (self);
  update_hadjustment (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAB]);
}

BhTab *
bh_page_view_get_tab (BhPageView *self)
{
  g_return_val_if_fail (BH_IS_PAGE_VIEW (self), NULL);

  return self->tab;
}

void
bh_page_view_set_vadjustment (BhPageView *self, GtkAdjustment *adjustment)
{
  g_return_if_fail (BH_IS_PAGE_VIEW (self));
  g_return_if_fail (adjustment == NULL || GTK_IS_ADJUSTMENT (adjustment));

  if (adjustment != NULL && adjustment == self->vadjustment)
    return;

  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      g_clear_object (&self->vadjustment);
    }

  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  self->vadjustment = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed",
                    G_CALLBACK (adjustment_value_changed_cb), self);
  update_adjustment (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VADJUSTMENT]);
}

void
bh_page_view_set_hadjustment (BhPageView *self, GtkAdjustment *adjustment)
{
  g_return_if_fail (BH_IS_PAGE_VIEW (self));
  g_return_if_fail (adjustment == NULL || GTK_IS_ADJUSTMENT (adjustment));

  if (adjustment == self->hadjustment)
    return;
  if (self->hadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->hadjustment, self);
      g_clear_object (&self->hadjustment);
    }
  if (adjustment != NULL)
    {
      self->hadjustment = g_object_ref_sink (adjustment);
      g_signal_connect (adjustment, "value-changed", G_CALLBACK (hadjustment_value_changed_cb), self);
      update_hadjustment (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HADJUSTMENT]);
}

GtkAdjustment *
bh_page_view_get_vadjustment (BhPageView *self)
{
  g_return_val_if_fail (BH_IS_PAGE_VIEW (self), NULL);

  return self->vadjustment;
}

GtkWidget *
bh_page_view_new (BhTab *tab)
{
  g_return_val_if_fail (tab == NULL || BH_IS_TAB (tab), NULL);

  return g_object_new (BH_TYPE_PAGE_VIEW, "tab", tab, NULL);
}

static void
bh_page_view_dispose (GObject *object)
{
  BhPageView *self = BH_PAGE_VIEW (object);

  bh_page_menus_set_tab (GTK_WIDGET (self), NULL);
  if (self->tab != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tab, self);
      g_signal_handlers_disconnect_by_data (bh_tab_get_interaction (self->tab), self);
      g_clear_object (&self->tab);
    }

  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      g_clear_object (&self->vadjustment);
    }
  bh_page_view_set_hadjustment (self, NULL);

  G_OBJECT_CLASS (bh_page_view_parent_class)->dispose (object);
}

static void
bh_page_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhPageView *self = BH_PAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TAB:
      g_value_set_object (value, self->tab);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_page_view_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  BhPageView *self = BH_PAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_TAB:
      bh_page_view_set_tab (self, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      bh_page_view_set_vadjustment (self, g_value_get_object (value));
      break;
    case PROP_HADJUSTMENT:
      bh_page_view_set_hadjustment (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Mapped is on screen: the current page of a shown window. The hang
 * monitor pings only renderers with a visible tab. */
static void
bh_page_view_map (GtkWidget *widget)
{
  BhPageView *self = BH_PAGE_VIEW (widget);

  GTK_WIDGET_CLASS (bh_page_view_parent_class)->map (widget);
  if (self->tab != NULL)
    bh_tab_set_visible (self->tab, TRUE);
}

static void
bh_page_view_unmap (GtkWidget *widget)
{
  BhPageView *self = BH_PAGE_VIEW (widget);

  if (self->tab != NULL)
    bh_tab_set_visible (self->tab, FALSE);
  GTK_WIDGET_CLASS (bh_page_view_parent_class)->unmap (widget);
}

static void
bh_page_view_class_init (BhPageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_page_view_dispose;
  object_class->get_property = bh_page_view_get_property;
  object_class->set_property = bh_page_view_set_property;

  widget_class->size_allocate = bh_page_view_size_allocate;
  widget_class->snapshot = bh_page_view_snapshot;
  widget_class->map = bh_page_view_map;
  widget_class->unmap = bh_page_view_unmap;

  properties[PROP_TAB] =
    g_param_spec_object ("tab", NULL, NULL,
                         BH_TYPE_TAB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VADJUSTMENT] =
    g_param_spec_object ("vadjustment", NULL, NULL,
                         GTK_TYPE_ADJUSTMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HADJUSTMENT] =
    g_param_spec_object ("hadjustment", NULL, NULL, GTK_TYPE_ADJUSTMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "pageview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bh_page_view_init (BhPageView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  bh_page_view_set_vadjustment (self, NULL);
  bh_page_menus_init (widget);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  /* Button 0: every button goes to the renderer, which decides what a
   * middle or right click means. */
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed_cb), self);
  g_signal_connect (gesture, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_enter_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
}
