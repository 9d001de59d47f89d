/* bh-tab.c: one tab, the GObject: its properties and signals, what its
 * renderer reports (the BhRendererViewClient: commits, titles, progress,
 * frames, the renderer's death or hang), viewport, input and zoom, visibility,
 * the pop-up blocker and closing. Its navigations are bh-tab-navigation.c's,
 * its session history bh-tab-history.c's, its plugin areas, find and copied
 * text and page script bh-tab-plugins.c's, bh-tab-interaction.c's and
 * bh-tab-script.c's; the instance they share is in bh-tab-object-private.h.
 */
#include "bh-tab-object-private.h"

#include <math.h>

#include "bh-hang-monitor.h"
#include "bh-site.h"
#include "bh-tab-script-private.h"

G_DEFINE_ENUM_TYPE (BhTabState, bh_tab_state,
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_CRASHED, "crashed"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_KILLED, "killed"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_OOM, "oom"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_UNRESPONSIVE, "unresponsive"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_BAD_MESSAGE, "bad-message"),
                    G_DEFINE_ENUM_VALUE (BH_TAB_STATE_LAUNCH_FAILED, "launch-failed"))

const char *
bh_tab_state_to_string (BhTabState state)
{
  GEnumClass *klass = g_type_class_ref (BH_TYPE_TAB_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
}

gboolean
bh_tab_state_is_failure (BhTabState state)
{
  switch (state)
    {
    case BH_TAB_STATE_CRASHED:
    case BH_TAB_STATE_KILLED:
    case BH_TAB_STATE_OOM:
    case BH_TAB_STATE_BAD_MESSAGE:
    case BH_TAB_STATE_LAUNCH_FAILED:
      return TRUE;
    case BH_TAB_STATE_LOADING:
    case BH_TAB_STATE_COMPLETE:
    case BH_TAB_STATE_UNRESPONSIVE:
    default:
      return FALSE;
    }
}

G_DEFINE_FINAL_TYPE (BhTab, bh_tab, G_TYPE_OBJECT)

GParamSpec *bh_tab_properties[N_PROPS];
guint bh_tab_signals[N_SIGNALS];

static void
clear_blocked_popups (BhTab *self)
{
  g_clear_pointer (&self->blocked_popup_url, g_free);
  if (self->blocked_popup_count == 0)
    return;
  self->blocked_popup_count = 0;
  notify (self, PROP_BLOCKED_POPUP_COUNT);
}

/* Public API. */

BhTab *
bh_tab_new_in (BhProcessManager *processes, guint tab_id)
{
  const BhBrowserOptions *options;
  BhTab *self;

  g_return_val_if_fail (BH_IS_PROCESS_MANAGER (processes), NULL);

  options = bh_process_manager_get_options (processes);
  self = g_object_new (BH_TYPE_TAB, NULL);
  self->processes = g_object_ref (processes);
  self->id = tab_id;
  self->width_px = options->window_width_px;
  self->height_px = options->window_height_px;
  self->plugins = bh_tab_plugins_new (self, processes);
  self->interaction = bh_tab_interaction_new ();
  bh_tab_plugins_set_viewport (self->plugins, self->width_px, self->height_px, self->scale);
  return self;
}

void
bh_tab_set_viewport (BhTab *self, int width_px, int height_px, double scale)
{
  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (scale > 0.0 && isfinite (scale));

  width_px = CLAMP (width_px, 1, 16384);
  height_px = CLAMP (height_px, 1, 16384);
  if (width_px == self->width_px && height_px == self->height_px && scale == self->scale)
    return;
  self->width_px = width_px;
  self->height_px = height_px;
  self->scale = scale;
  bh_tab_plugins_set_viewport (self->plugins, width_px, height_px, scale);
  if (self->host != NULL)
    bh_renderer_host_resize_view (self->host, self->view_id, (guint) width_px, (guint) height_px,
                                  scale);
}

void
bh_tab_get_viewport (BhTab *self, int *out_width_px, int *out_height_px, double *out_scale)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (out_width_px != NULL)
    *out_width_px = self->width_px;
  if (out_height_px != NULL)
    *out_height_px = self->height_px;
  if (out_scale != NULL)
    *out_scale = self->scale;
}

void
bh_tab_send_mouse (BhTab *self, guint kind, double x_px, double y_px, guint button,
                   guint modifiers)
{
  g_return_if_fail (BH_IS_TAB (self));

  /* A plugin area takes what happens inside it (bh-tab-plugins.h). */
  if (bh_tab_plugins_handle_mouse (self->plugins, kind, x_px, y_px, button, modifiers))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_MouseEvent,
                                 g_variant_new ("(uudduu)", self->view_id, kind, x_px, y_px,
                                                button, modifiers));
}

void
bh_tab_send_scroll (BhTab *self, double dx_px, double dy_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (bh_tab_plugins_handle_scroll (self->plugins, dx_px, dy_px))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollEvent,
                                 g_variant_new ("(udd)", self->view_id, dx_px, dy_px));
}

void
bh_tab_send_key (BhTab *self, guint keyval, guint modifiers)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (bh_tab_plugins_handle_key (self->plugins, keyval, modifiers))
    return;
  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_KeyEvent,
                                 g_variant_new ("(uuu)", self->view_id, keyval, modifiers));
}

void
bh_tab_scroll_to (BhTab *self, int y_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollTo,
                                 g_variant_new ("(ui)", self->view_id, y_px));
}

void
bh_tab_set_zoom (BhTab *self, double zoom)
{
  g_return_if_fail (BH_IS_TAB (self));
  g_return_if_fail (zoom >= BH_TAB_MIN_ZOOM && zoom <= BH_TAB_MAX_ZOOM);

  if (zoom == self->zoom)
    return;
  self->zoom = zoom;
  if (self->host != NULL)
    bh_renderer_host_send_to_view (self->host, self->view_id, BH_MSG_SetZoom, g_variant_new ("(ud)", self->view_id, zoom));
  notify (self, PROP_ZOOM);
}

double
bh_tab_get_zoom (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 1.0);
  return self->zoom;
}

void
bh_tab_scroll_to_x (BhTab *self, int x_px)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_ScrollToX,
                                 g_variant_new ("(ui)", self->view_id, MAX (x_px, 0)));
}

void
bh_tab_set_focus (BhTab *self, gboolean focused)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_renderer_host_send_input (self->host, self->view_id, BH_MSG_FocusChanged,
                                 g_variant_new ("(ub)", self->view_id, focused));
}

GdkTexture *
bh_tab_get_frame (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->frame;
}

guint
bh_tab_get_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->id;
}

const char *
bh_tab_get_uri (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->uri != NULL ? self->uri : "";
}

GdkTexture *
bh_tab_get_favicon (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->favicon;
}

const char *
bh_tab_get_title (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  if (self->title != NULL && *self->title != '\0')
    return self->title;
  return bh_tab_get_uri (self);
}

BhTabState
bh_tab_get_state (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), BH_TAB_STATE_COMPLETE);
  return self->state;
}

const char *
bh_tab_get_status_message (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->status_message != NULL ? self->status_message : "";
}

char *
bh_tab_describe_unresponsive (BhTab *self)
{
  gint64 seconds;

  g_return_val_if_fail (BH_IS_TAB (self), NULL);

  if (self->state != BH_TAB_STATE_UNRESPONSIVE || self->unresponsive_since_us == 0 || self->site == NULL)
    return NULL;
  seconds = MAX ((gint64) 0, (g_get_monotonic_time () - self->unresponsive_since_us) / G_USEC_PER_SEC);
  return g_strdup_printf ("The renderer for %s has not responded for %" G_GINT64_FORMAT " s", self->site, seconds);
}

guint
bh_tab_get_view_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->host != NULL ? self->view_id : 0;
}

BhRendererHost *
bh_tab_get_renderer_host (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->host;
}

const GError *
bh_tab_get_load_error (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->load_error;
}

double
bh_tab_get_progress (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0.0);
  return self->progress;
}

gboolean
bh_tab_is_loading (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), FALSE);
  return self->loading;
}

guint64
bh_tab_get_committed_navigation_id (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->committed_navigation_id;
}

void
bh_tab_close (BhTab *self)
{
  g_autoptr (BhTab) keep = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  if (self->closed)
    return;
  keep = g_object_ref (self);
  self->closed = TRUE;
  bh_tab_drop_fetch (self, FALSE);
  bh_tab_navigation_free (g_steal_pointer (&self->pending));
  bh_tab_leave_renderer (self);
  bh_tab_plugins_clear (self->plugins);
  set_frame (self, NULL);
  set_loading (self, FALSE);
  g_signal_emit (self, bh_tab_signals[SIGNAL_CLOSED], 0);
}

BhTabPlugins *
bh_tab_get_plugins (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->plugins;
}

/* From the renderer host (its BhRendererViewClient), checked already. */

static void set_favicon_from_profile (BhTab *self, const char *url);

static void
bh_tab_renderer_did_commit_navigation (gpointer owner, guint64 navigation_id, const char *url)
{
  BhTab *self = owner;
  Navigation *navigation = self->pending;

  if (navigation == NULL || navigation->id != navigation_id)
    return;
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_NAVIGATED);

  bh_tab_history_commit (self, navigation, url);
  set_uri (self, url);
  set_string (self, &self->title, "", PROP_TITLE);
  set_int (self, &self->scroll_y_px, 0, PROP_SCROLL_Y);
  set_int (self, &self->scroll_x_px, 0, PROP_SCROLL_X);
  bh_tab_notify_history (self);
  clear_blocked_popups (self);  /* the notice was the old page's */
  bh_tab_plugins_did_commit (self->plugins, navigation_id);
  bh_history_add_visit (bh_profile_get_history (bh_process_manager_get_profile (self->processes)), url, NULL,
                        navigation->transition, g_get_real_time ());
  /* The page's icon from its last visit, until the document names its own. */
  set_favicon_from_profile (self, url);
  g_signal_emit (self, bh_tab_signals[SIGNAL_NAVIGATION_COMMITTED], 0, navigation_id, url);
}

static void
set_favicon (BhTab *self, GdkTexture *favicon)
{
  if (self->favicon == favicon)
    return;
  g_set_object (&self->favicon, favicon);
  notify (self, PROP_FAVICON);
}

static GdkTexture *
favicon_texture (guint width, guint height, GBytes *pixels)
{
  return gdk_memory_texture_new ((int) width, (int) height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, pixels,
                                 (gsize) width * 4);
}

static void
set_favicon_from_profile (BhTab *self, const char *url)
{
  BhHistory *history = bh_profile_get_history (bh_process_manager_get_profile (self->processes));
  guint width = 0, height = 0;
  g_autoptr (GBytes) pixels = bh_history_get_favicon (history, url, &width, &height);
  g_autoptr (GdkTexture) texture = pixels != NULL ? favicon_texture (width, height, pixels) : NULL;

  set_favicon (self, texture);
}

/* The renderer decoded the icon the browser fetched for the document (its
 * size checked by the renderer host): the tab shows it, the profile keeps it. */
static void
bh_tab_renderer_favicon_changed (gpointer owner, guint64 navigation_id, const char *icon_url, guint width,
                                 guint height, GBytes *pixels)
{
  BhTab *self = owner;
  g_autoptr (GdkTexture) texture = NULL;

  if (navigation_id != self->committed_navigation_id || self->uri == NULL)
    return;
  texture = favicon_texture (width, height, pixels);
  set_favicon (self, texture);
  bh_history_set_favicon (bh_profile_get_history (bh_process_manager_get_profile (self->processes)), self->uri,
                          icon_url, width, height, pixels);
}

static void
bh_tab_renderer_title_changed (gpointer owner, guint64 navigation_id, const char *title)
{
  BhTab *self = owner;
  HistoryEntry *entry = bh_tab_current_entry (self);

  if (navigation_id != self->committed_navigation_id)
    return;
  if (entry != NULL)
    {
      g_free (entry->title);
      entry->title = g_strdup (title);
      bh_history_set_title (bh_profile_get_history (bh_process_manager_get_profile (self->processes)),
                            entry->url, title);
    }
  set_string (self, &self->title, title, PROP_TITLE);
}

static void
bh_tab_renderer_load_progress (gpointer owner, guint64 navigation_id, double progress)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id || !self->loading)
    return;
  set_progress (self, PROGRESS_COMMITTED + (1.0 - PROGRESS_COMMITTED) * progress);
}

static void
bh_tab_renderer_did_finish_load (gpointer owner, guint64 navigation_id)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id)
    return;
  /* The page on screen finished while a newer navigation is being fetched:
   * the tab is still loading that one. */
  if (self->pending != NULL && self->pending->id != navigation_id)
    return;
  bh_tab_navigation_free (g_steal_pointer (&self->pending));
  set_progress (self, 1.0);
  set_loading (self, FALSE);
  if (self->state == BH_TAB_STATE_LOADING)
    set_state (self, BH_TAB_STATE_COMPLETE);
  g_signal_emit (self, bh_tab_signals[SIGNAL_LOAD_FINISHED], 0);
}

static void
bh_tab_renderer_document_size (gpointer owner, guint64 navigation_id, guint width_px,
                                  guint height_px)
{
  BhTab *self = owner;
  if (navigation_id != self->committed_navigation_id)
    return;
  set_int (self, &self->document_height_px, (int) height_px, PROP_DOCUMENT_HEIGHT);
  set_int (self, &self->document_width_px, (int) width_px, PROP_DOCUMENT_WIDTH);
}

void
bh_tab_renderer_open_url (gpointer owner, const char *url, BhDisposition disposition,
                          gboolean user_activation)
{
  BhTab *self = owner;
  g_autofree char *target_site = bh_site_for_url (url);

  /* A page may not start the debug URLs (Chromium: "Blocked navigation to
   * debug URL"), nor reach local files unless it is one. */
  if (bh_tab_is_debug_url (url) || target_site == NULL ||
      (g_str_equal (target_site, "file://") && g_strcmp0 (self->site, "file://") != 0))
    {
      g_message ("tab %u: not opening %s, asked for by the renderer of %s", self->id, url,
                 self->site != NULL ? self->site : "(none)");
      return;
    }
  if (disposition != BH_DISPOSITION_CURRENT_TAB && !user_activation)
    {
      /* Chromium's pop-up blocker: the page hears nothing, the user gets a notice. */
      if (self->blocked_popup_url == NULL)
        self->blocked_popup_url = g_strdup (url);
      if (self->blocked_popup_count < G_MAXUINT)
        self->blocked_popup_count++;
      notify (self, PROP_BLOCKED_POPUP_COUNT);
      return;
    }
  if (disposition != BH_DISPOSITION_CURRENT_TAB)
    g_signal_emit (self, bh_tab_signals[SIGNAL_OPEN_URL], 0, url, (guint) disposition);
  else
    bh_tab_start_navigation (self, url, NAVIGATION_NEW, -1, self->site != NULL ? self->site : ABOUT_SITE);
}

guint
bh_tab_get_blocked_popup_count (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->blocked_popup_count;
}

const char *
bh_tab_get_blocked_popup_url (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->blocked_popup_url;
}

void
bh_tab_open_blocked_popup (BhTab *self)
{
  g_autofree char *url = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  url = g_steal_pointer (&self->blocked_popup_url);
  clear_blocked_popups (self);
  if (url != NULL)
    g_signal_emit (self, bh_tab_signals[SIGNAL_OPEN_URL], 0, url, (guint) BH_DISPOSITION_NEW_TAB);
}

void
bh_tab_dismiss_blocked_popups (BhTab *self)
{
  g_return_if_fail (BH_IS_TAB (self));
  clear_blocked_popups (self);
}

static void
bh_tab_renderer_hover_changed (gpointer owner, const char *url, guint cursor)
{
  BhTab *self = owner;
  set_string (self, &self->hovered_link, url, PROP_HOVERED_LINK);
  if (self->cursor != cursor)
    {
      self->cursor = cursor;
      notify (self, PROP_CURSOR);
    }
}

static void
bh_tab_renderer_body_flow (gpointer owner, guint64 navigation_id, gboolean wants_more)
{
  BhTab *self = owner;

  if (self->pending != NULL && self->pending->id == navigation_id && self->body_mode == BODY_STREAM)
    bh_fetch_stream_set_paused (self->fetch_stream, !wants_more);
}

static void
bh_tab_renderer_body_refused (gpointer owner, guint64 navigation_id)
{
  BhTab *self = owner;

  /* The navigation stays committed: the renderer says when it is done. */
  if (self->pending != NULL && self->pending->id == navigation_id && self->body_mode == BODY_STREAM)
    bh_tab_drop_fetch (self, FALSE);
}

static void
bh_tab_renderer_frame_ready (gpointer owner, GdkTexture *frame, int scroll_y_px,
                                guint document_height_px)
{
  BhTab *self = owner;
  g_object_freeze_notify (G_OBJECT (self));
  set_int (self, &self->scroll_y_px, scroll_y_px, PROP_SCROLL_Y);
  set_int (self, &self->document_height_px, (int) document_height_px, PROP_DOCUMENT_HEIGHT);
  g_object_thaw_notify (G_OBJECT (self));
  set_frame (self, frame);
}

static BhTabState
state_for_termination (BhTerminationStatus status)
{
  switch (status)
    {
    case BH_TERMINATION_STATUS_KILLED:
      return BH_TAB_STATE_KILLED;
    case BH_TERMINATION_STATUS_OOM:
      return BH_TAB_STATE_OOM;
    case BH_TERMINATION_STATUS_BAD_MESSAGE:
      return BH_TAB_STATE_BAD_MESSAGE;
    case BH_TERMINATION_STATUS_LAUNCH_FAILED:
      return BH_TAB_STATE_LAUNCH_FAILED;
    case BH_TERMINATION_STATUS_CRASHED:
    case BH_TERMINATION_STATUS_ABNORMAL:
    case BH_TERMINATION_STATUS_NORMAL: /* a renderer does not leave tabs it serves */
    case BH_TERMINATION_STATUS_STILL_RUNNING:
    default:
      return BH_TAB_STATE_CRASHED;
    }
}

static void
bh_tab_renderer_gone (gpointer owner, BhRendererHost *host, BhTerminationStatus status,
                         const char *message)
{
  BhTab *self = owner;
  g_autoptr (BhTab) keep = g_object_ref (self);

  if (host != self->host)
    return;
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_RENDERER_GONE);
  /* The host has already forgotten the view. */
  g_clear_object (&self->host);
  self->view_id = 0;
  bh_tab_interaction_set_view (self->interaction, NULL, 0);
  /* A navigation still being fetched goes on, to a fresh renderer; one that
   * was committed to the dead one is lost with it. */
  if (self->pending != NULL && self->pending->id == self->committed_navigation_id)
    {
      bh_tab_drop_fetch (self, FALSE);
      bh_tab_navigation_free (g_steal_pointer (&self->pending));
    }

  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_RENDERER_PID);
  {
    guint crashes = bh_process_manager_count_recent_crashes (self->processes, bh_renderer_host_get_site (host),
                                                             BH_REPEATED_CRASH_WINDOW_S);

    if (crashes != self->recent_crash_count)
      {
        self->recent_crash_count = crashes;
        notify (self, PROP_RECENT_CRASH_COUNT);
      }
  }
  set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
  set_string (self, &self->hovered_link, "", PROP_HOVERED_LINK);
  if (self->pending == NULL)
    {
      set_loading (self, FALSE);
      set_progress (self, 0.0);
    }
  set_state (self, state_for_termination (status));
  g_object_thaw_notify (G_OBJECT (self));
  /* The document, its plugin areas with it, is gone. */
  bh_tab_plugins_clear (self->plugins);
  set_frame (self, NULL);
}

static void
bh_tab_renderer_unresponsive (gpointer owner, BhRendererHost *host, gboolean unresponsive,
                                 const char *message)
{
  BhTab *self = owner;
  if (host != self->host || self->closed)
    return;
  if (unresponsive)
    {
      if (self->state != BH_TAB_STATE_LOADING && self->state != BH_TAB_STATE_COMPLETE)
        return;
      g_object_freeze_notify (G_OBJECT (self));
      self->unresponsive_since_us =
        g_get_monotonic_time () -
        (gint64) bh_hang_monitor_get_timeout_ms (bh_renderer_host_get_hang_monitor (host)) * 1000;
      set_string (self, &self->status_message, message, PROP_STATUS_MESSAGE);
      set_state (self, BH_TAB_STATE_UNRESPONSIVE);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }
  if (self->state != BH_TAB_STATE_UNRESPONSIVE)
    return;
  self->unresponsive_since_us = 0;
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->status_message, "", PROP_STATUS_MESSAGE);
  set_state (self, self->loading ? BH_TAB_STATE_LOADING : BH_TAB_STATE_COMPLETE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
view_plugin_box_changed (gpointer owner, guint box_id, const char *url, const char *declared_type, int x, int y,
                         int width, int height)
{
  BhTab *self = owner;

  bh_tab_plugins_box_changed (self->plugins, box_id, url, declared_type, x, y, width, height);
}

static void
view_plugin_box_removed (gpointer owner, guint box_id)
{
  BhTab *self = owner;

  bh_tab_plugins_box_removed (self->plugins, box_id);
}

static gboolean
view_is_visible (gpointer owner)
{
  return bh_tab_is_visible (owner);
}

static void
view_clipboard_text (gpointer owner, const char *text, gboolean primary)
{
  bh_tab_interaction_clipboard_text (BH_TAB (owner)->interaction, text, primary);
}

static void
view_find_reply (gpointer owner, guint matches, guint active)
{
  bh_tab_interaction_find_reply (BH_TAB (owner)->interaction, matches, active);
}

/* A form's submission: GET is a navigation to its URL, as a link's; POST
 * carries its body to the fetch (the browser builds the request). */
static void
view_submit_form (gpointer owner, const char *url, const char *method, const char *content_type, GBytes *body)
{
  BhTab *self = owner;

  if (g_str_equal (method, "GET"))
    {
      bh_tab_renderer_open_url (owner, url, BH_DISPOSITION_CURRENT_TAB, FALSE);
      return;
    }
  bh_tab_start_post_navigation (self, url, content_type, body);
}

static void
view_scroll_x_changed (gpointer owner, int scroll_x_px)
{
  BhTab *self = owner;

  set_int (self, &self->scroll_x_px, scroll_x_px, PROP_SCROLL_X);
}

static void
view_show_popup_menu (gpointer owner, guint32 popup_id, int x, int y, int width, int height, int selected,
                      const char *const *labels, const gboolean *enabled)
{
  bh_tab_interaction_show_popup_menu (BH_TAB (owner)->interaction, popup_id, x, y, width, height, selected, labels,
                                      enabled);
}

static void
view_show_context_menu (gpointer owner, int x, int y, const char *link_url, const char *image_url,
                        const char *selection, gboolean editable)
{
  bh_tab_interaction_show_context_menu (BH_TAB (owner)->interaction, x, y, link_url, image_url, selection, editable);
}

static void
view_tooltip_changed (gpointer owner, const char *text)
{
  bh_tab_interaction_tooltip_changed (BH_TAB (owner)->interaction, text);
}

const BhRendererViewClient bh_tab_view_client = {
  .show_popup_menu = view_show_popup_menu,
  .show_context_menu = view_show_context_menu,
  .tooltip_changed = view_tooltip_changed,
  .clipboard_text = view_clipboard_text,
  .find_reply = view_find_reply,
  .scroll_x_changed = view_scroll_x_changed,
  .submit_form = view_submit_form,
  .did_commit_navigation = bh_tab_renderer_did_commit_navigation,
  .title_changed = bh_tab_renderer_title_changed,
  .load_progress = bh_tab_renderer_load_progress,
  .did_finish_load = bh_tab_renderer_did_finish_load,
  .document_size = bh_tab_renderer_document_size,
  .open_url = bh_tab_renderer_open_url,
  .hover_changed = bh_tab_renderer_hover_changed,
  .frame_ready = bh_tab_renderer_frame_ready,
  .plugin_box_changed = view_plugin_box_changed,
  .plugin_box_removed = view_plugin_box_removed,
  .gone = bh_tab_renderer_gone,
  .unresponsive = bh_tab_renderer_unresponsive,
  .is_visible = view_is_visible,
  .body_flow = bh_tab_renderer_body_flow,
  .body_refused = bh_tab_renderer_body_refused,
  .console_message = bh_tab_script_console_message,
  .script_result = bh_tab_script_result,
  .run_dialog = bh_tab_script_run_dialog,
  .script_navigate = bh_tab_script_navigate,
  .get_cookie = bh_tab_script_get_cookie,
  .set_cookie = bh_tab_script_set_cookie,
  .storage_load = bh_tab_script_storage_load,
  .storage_change = bh_tab_script_storage_change,
  .favicon_changed = bh_tab_renderer_favicon_changed,
};

/* Visibility and the hang dialog (bh-tab.h). */

void
bh_tab_set_visible (BhTab *self, gboolean visible)
{
  g_return_if_fail (BH_IS_TAB (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  notify (self, PROP_VISIBLE);
  if (self->host != NULL)
    bh_renderer_host_view_visibility_changed (self->host);
}

gboolean
bh_tab_is_visible (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), FALSE);
  return self->visible;
}

void
bh_tab_hang_wait (BhTab *self)
{
  g_return_if_fail (BH_IS_TAB (self));

  if (self->host != NULL)
    bh_hang_monitor_wait (bh_renderer_host_get_hang_monitor (self->host));
}

void
bh_tab_hang_kill (BhTab *self)
{
  g_autofree char *message = NULL;

  g_return_if_fail (BH_IS_TAB (self));

  if (self->host == NULL)
    return;
  message = g_strdup_printf ("The renderer for %s was killed (SIGKILL) after it stopped "
                             "responding", bh_renderer_host_get_site (self->host));
  bh_renderer_host_kill (self->host, BH_TERMINATION_STATUS_KILLED, message);
}

guint
bh_tab_get_recent_crash_count (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), 0);
  return self->recent_crash_count;
}

/* GObject. */

static void
bh_tab_dispose (GObject *object)
{
  BhTab *self = BH_TAB (object);

  bh_tab_drop_fetch (self, FALSE);
  bh_tab_script_document_gone (self, BH_TAB_SCRIPT_ERROR_NAVIGATED);
  if (self->host != NULL)
    {
      bh_renderer_host_destroy_view (self->host, self->view_id);
      g_clear_object (&self->host);
    }
  g_clear_pointer (&self->plugins, bh_tab_plugins_free);
  g_clear_object (&self->interaction);
  g_clear_object (&self->frame);
  g_clear_object (&self->favicon);
  g_clear_object (&self->processes);
  G_OBJECT_CLASS (bh_tab_parent_class)->dispose (object);
}

static void
bh_tab_finalize (GObject *object)
{
  BhTab *self = BH_TAB (object);

  bh_tab_navigation_free (self->pending);
  g_ptr_array_unref (self->history);
  g_clear_error (&self->load_error);
  g_free (self->uri);
  g_free (self->title);
  g_free (self->hovered_link);
  g_free (self->status_message);
  g_free (self->site);
  g_free (self->blocked_popup_url);
  g_strfreev (self->extra_headers);
  G_OBJECT_CLASS (bh_tab_parent_class)->finalize (object);
}

static void
bh_tab_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BhTab *self = BH_TAB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_FAVICON:
      g_value_set_object (value, self->favicon);
      break;
    case PROP_URI:
      g_value_set_string (value, bh_tab_get_uri (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, bh_tab_get_title (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_HOVERED_LINK:
      g_value_set_string (value, self->hovered_link != NULL ? self->hovered_link : "");
      break;
    case PROP_CURSOR:
      g_value_set_uint (value, self->cursor);
      break;
    case PROP_SITE:
      g_value_set_string (value, self->site != NULL ? self->site : "");
      break;
    case PROP_RENDERER_PID:
      g_value_set_int (value, self->host != NULL ? bh_renderer_host_get_pid (self->host) : 0);
      break;
    case PROP_DOCUMENT_HEIGHT:
      g_value_set_int (value, self->document_height_px);
      break;
    case PROP_SCROLL_Y:
      g_value_set_int (value, self->scroll_y_px);
      break;
    case PROP_DOCUMENT_WIDTH:
      g_value_set_int (value, self->document_width_px);
      break;
    case PROP_SCROLL_X:
      g_value_set_int (value, self->scroll_x_px);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, self->history_index > 0);
      break;
    case PROP_CAN_GO_FORWARD:
      g_value_set_boolean (value, self->history_index >= 0 &&
                                    (guint) self->history_index + 1 < self->history->len);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, bh_tab_get_status_message (self));
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;
    case PROP_RECENT_CRASH_COUNT:
      g_value_set_uint (value, self->recent_crash_count);
      break;
    case PROP_BLOCKED_POPUP_COUNT:
      g_value_set_uint (value, self->blocked_popup_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_tab_class_init (BhTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_tab_dispose;
  object_class->finalize = bh_tab_finalize;
  object_class->get_property = bh_tab_get_property;

  bh_tab_properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  bh_tab_properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, "", flags);
  bh_tab_properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  bh_tab_properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, BH_TYPE_TAB_STATE,
                                              BH_TAB_STATE_COMPLETE, flags);
  bh_tab_properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  bh_tab_properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, flags);
  bh_tab_properties[PROP_HOVERED_LINK] = g_param_spec_string ("hovered-link", NULL, NULL, "", flags);
  bh_tab_properties[PROP_CURSOR] = g_param_spec_uint ("cursor", NULL, NULL, 0, 2, 0, flags);
  bh_tab_properties[PROP_SITE] = g_param_spec_string ("site", NULL, NULL, "", flags);
  bh_tab_properties[PROP_RENDERER_PID] = g_param_spec_int ("renderer-pid", NULL, NULL, 0, G_MAXINT, 0,
                                                    flags);
  bh_tab_properties[PROP_DOCUMENT_HEIGHT] = g_param_spec_int ("document-height", NULL, NULL, 0, G_MAXINT,
                                                       0, flags);
  bh_tab_properties[PROP_SCROLL_Y] = g_param_spec_int ("scroll-y", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                flags);
  bh_tab_properties[PROP_DOCUMENT_WIDTH] = g_param_spec_int ("document-width", NULL, NULL, 0, G_MAXINT, 0, flags);
  bh_tab_properties[PROP_SCROLL_X] = g_param_spec_int ("scroll-x", NULL, NULL, 0, G_MAXINT, 0, flags);
  bh_tab_properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, BH_TAB_MIN_ZOOM, BH_TAB_MAX_ZOOM, 1.0, flags);
  bh_tab_properties[PROP_FAVICON] = g_param_spec_object ("favicon", NULL, NULL, GDK_TYPE_TEXTURE, flags);
  bh_tab_properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, flags);
  bh_tab_properties[PROP_CAN_GO_FORWARD] = g_param_spec_boolean ("can-go-forward", NULL, NULL, FALSE,
                                                          flags);
  bh_tab_properties[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, "", flags);
  bh_tab_properties[PROP_VISIBLE] = g_param_spec_boolean ("visible", NULL, NULL, TRUE, flags);
  bh_tab_properties[PROP_RECENT_CRASH_COUNT] = g_param_spec_uint ("recent-crash-count", NULL, NULL, 0,
                                                           G_MAXUINT, 0, flags);
  bh_tab_properties[PROP_BLOCKED_POPUP_COUNT] = g_param_spec_uint ("blocked-popup-count", NULL, NULL, 0,
                                                            G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, bh_tab_properties);

  bh_tab_signals[SIGNAL_FRAME_CHANGED] = g_signal_new ("frame-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  bh_tab_signals[SIGNAL_OPEN_URL] = g_signal_new ("open-url", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                           G_TYPE_STRING, G_TYPE_UINT);
  bh_tab_signals[SIGNAL_LOAD_FINISHED] = g_signal_new ("load-finished", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  bh_tab_signals[SIGNAL_CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  bh_tab_signals[SIGNAL_NAVIGATION_STARTED] =
    g_signal_new ("navigation-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  bh_tab_signals[SIGNAL_NAVIGATION_COMMITTED] =
    g_signal_new ("navigation-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  bh_tab_signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 0);
  bh_tab_signals[SIGNAL_DOWNLOAD_STARTED] =
    g_signal_new ("download-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_DOWNLOAD);
  bh_tab_signals[SIGNAL_SAME_DOCUMENT_NAVIGATION] =
    g_signal_new ("same-document-navigation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  bh_tab_signals[SIGNAL_HISTORY_UPDATED] =
    g_signal_new ("history-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  bh_tab_script_class_init (object_class);
}

/* For bh-tab-script.c (bh-tab-script-private.h). */

BhCookieJar *
bh_tab_get_cookie_jar (BhTab *self)
{
  BhProfile *profile = self->processes != NULL ? bh_process_manager_get_profile (self->processes) : NULL;

  return profile != NULL ? bh_profile_get_cookie_jar (profile) : NULL;
}

BhWebStorage *
bh_tab_get_web_storage (BhTab *self)
{
  BhProfile *profile = self->processes != NULL ? bh_process_manager_get_profile (self->processes) : NULL;

  return profile != NULL ? bh_profile_get_web_storage (profile) : NULL;
}

BhRendererHost *
bh_tab_get_renderer_view (BhTab *self, guint *out_view_id)
{
  *out_view_id = self->view_id;
  return self->host;
}

BhTabInteraction *
bh_tab_get_interaction (BhTab *self)
{
  g_return_val_if_fail (BH_IS_TAB (self), NULL);
  return self->interaction;
}

static void
bh_tab_init (BhTab *self)
{
  self->state = BH_TAB_STATE_COMPLETE;
  self->visible = TRUE;
  self->zoom = 1.0;
  self->scale = 1.0;
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_tab_history_entry_free);
  self->history_index = -1;
}
