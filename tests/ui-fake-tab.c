/* ui-fake-tab.c: a stand-in BhTab and BhBrowser for the window's tests.
 *
 * Test-only; see ui-fake-tab.h. It mirrors the real tab where the window can
 * tell: the same properties and signals, frames as GdkMemoryTextures over
 * memory the tab owns (here a cairo image surface) without a copy.
 */
#include "ui-fake-tab.h"

#include "bh-renderer-host-private.h"
#include "bh-tab-interaction-private.h"
#include "bh-tab-plugins.h"
#include "bh-tab-script.h"

#include <cairo.h>
#include <string.h>

/* How long a fake navigation takes. */
#define FAKE_LOAD_MS 30

struct _BhBrowser {
  GObject parent_instance;
  BhBrowserOptions *options;
  BhProfile *profile; /* in memory */
};

G_DEFINE_FINAL_TYPE (BhBrowser, bh_browser, G_TYPE_OBJECT)

struct _BhTab {
  GObject parent_instance;

  guint id;
  char *uri;
  char *title;
  BhTabState state;
  gboolean loading;
  char *hovered_link;
  guint cursor;
  int scroll_y_px;
  int document_height_px;
  char *status_message;
  GPtrArray *history;   /* of char *, the committed URLs */
  guint history_index;  /* the current entry, when history->len > 0 */
  guint load_source_id;
  guint64 navigation_id; /* the last one started, committed at once */
  GdkTexture *frame;
  guint blocked_popup_count;
  char *blocked_popup_url;
  BhFakeTabLog log;
  BhTabInteraction *interaction; /* the real one, with no renderer behind it */
};

G_DEFINE_FINAL_TYPE (BhTab, bh_tab, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URI,
  PROP_TITLE,
  PROP_STATE,
  PROP_LOADING,
  PROP_PROGRESS,
  PROP_HOVERED_LINK,
  PROP_CURSOR,
  PROP_SITE,
  PROP_RENDERER_PID,
  PROP_DOCUMENT_HEIGHT,
  PROP_SCROLL_Y,
  PROP_CAN_GO_BACK,
  PROP_CAN_GO_FORWARD,
  PROP_STATUS_MESSAGE,
  PROP_BLOCKED_POPUP_COUNT,
  PROP_DOCUMENT_WIDTH,
  PROP_SCROLL_X,
  N_PROPS
};

enum {
  SIGNAL_FRAME_CHANGED,
  SIGNAL_OPEN_URL,
  SIGNAL_LOAD_FINISHED,
  SIGNAL_CLOSE_REQUESTED,
  SIGNAL_NAVIGATION_STARTED,
  SIGNAL_NAVIGATION_COMMITTED,
  SIGNAL_DOWNLOAD_STARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static guint next_tab_id = 1;
static guint64 next_navigation_id = 1;
static guint tabs_alive;

/* ---- BhBrowser ---- */

static void
bh_browser_finalize (GObject *object)
{
  BhBrowser *self = BH_BROWSER (object);

  g_strfreev (self->options->urls);
  g_free (self->options);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (bh_browser_parent_class)->finalize (object);
}

static void
bh_browser_class_init (BhBrowserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bh_browser_finalize;
}

static void
bh_browser_init (BhBrowser *self)
{
  self->options = g_new0 (BhBrowserOptions, 1);
  self->profile = bh_profile_open (NULL, NULL);
}

BhProfile *
bh_browser_get_profile (BhBrowser *browser)
{
  return browser->profile;
}

BhBrowser *
bh_fake_browser_new (void)
{
  return g_object_new (BH_TYPE_BROWSER, NULL);
}

BhBrowserOptions *
bh_fake_browser_get_options (BhBrowser *browser)
{
  return browser->options;
}

const BhBrowserOptions *
bh_browser_get_options (BhBrowser *browser)
{
  return browser->options;
}

/* ---- BhTab ---- */

GType
bh_tab_state_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { BH_TAB_STATE_LOADING, "BH_TAB_STATE_LOADING", "loading" },
    { BH_TAB_STATE_COMPLETE, "BH_TAB_STATE_COMPLETE", "complete" },
    { BH_TAB_STATE_CRASHED, "BH_TAB_STATE_CRASHED", "crashed" },
    { BH_TAB_STATE_KILLED, "BH_TAB_STATE_KILLED", "killed" },
    { BH_TAB_STATE_OOM, "BH_TAB_STATE_OOM", "oom" },
    { BH_TAB_STATE_UNRESPONSIVE, "BH_TAB_STATE_UNRESPONSIVE", "unresponsive" },
    { BH_TAB_STATE_BAD_MESSAGE, "BH_TAB_STATE_BAD_MESSAGE", "bad-message" },
    { BH_TAB_STATE_LAUNCH_FAILED, "BH_TAB_STATE_LAUNCH_FAILED", "launch-failed" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("BhTabState", values));

  return type_id;
}

const char *
bh_tab_state_to_string (BhTabState state)
{
  GEnumValue *value = g_enum_get_value (g_type_class_peek_static (BH_TYPE_TAB_STATE), state);

  return value != NULL ? value->value_nick : "unknown";
}

gboolean
bh_tab_state_is_failure (BhTabState state)
{
  return state == BH_TAB_STATE_CRASHED || state == BH_TAB_STATE_KILLED || state == BH_TAB_STATE_OOM ||
         state == BH_TAB_STATE_BAD_MESSAGE || state == BH_TAB_STATE_LAUNCH_FAILED;
}

static void
set_string (BhTab *self, char **field, const char *value, guint prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_loading (BhTab *self, gboolean loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_state (BhTab *self, BhTabState state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
parse_colour (const char *uri, double rgb[3])
{
  const char *fragment = strrchr (uri, '#');
  guint64 value;
  char *end = NULL;

  if (fragment == NULL || strlen (fragment + 1) != 6)
    return FALSE;

  value = g_ascii_strtoull (fragment + 1, &end, 16);
  if (end == NULL || *end != '\0')
    return FALSE;

  rgb[0] = ((value >> 16) & 0xff) / 255.0;
  rgb[1] = ((value >> 8) & 0xff) / 255.0;
  rgb[2] = (value & 0xff) / 255.0;
  return TRUE;
}

static void
paint_frame (BhTab *self)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double rgb[3] = { 1.0, 1.0, 1.0 };
  int width_px = self->log.viewport_width_px;
  int height_px = self->log.viewport_height_px;
  g_autoptr(GBytes) bytes = NULL;

  if (width_px <= 0 || height_px <= 0 || self->uri == NULL ||
      self->state != BH_TAB_STATE_COMPLETE)
    return;

  parse_colour (self->uri, rgb);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, 10, 10, 100, 50);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* No copy: the texture reads the surface's memory and keeps the surface
   * alive, as the real tab's texture keeps the renderer's buffer mapped. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * height_px,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  g_clear_object (&self->frame);
  self->frame = gdk_memory_texture_new (width_px, height_px, GDK_MEMORY_DEFAULT, bytes,
                                        cairo_image_surface_get_stride (surface));
  g_signal_emit (self, signals[SIGNAL_FRAME_CHANGED], 0);
}

static gboolean
load_finished_cb (gpointer user_data)
{
  BhTab *self = BH_TAB (user_data);
  g_autofree char *title = g_strdup_printf ("Fake %s", self->uri);

  self->load_source_id = 0;
  set_string (self, &self->title, title, PROP_TITLE);
  set_state (self, BH_TAB_STATE_COMPLETE);
  set_loading (self, FALSE);
  self->document_height_px = BH_FAKE_DOCUMENT_HEIGHT_PX;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_HEIGHT]);
  paint_frame (self);
  g_signal_emit (self, signals[SIGNAL_LOAD_FINISHED], 0);
  return G_SOURCE_REMOVE;
}

static void
start_load (BhTab *self)
{
  g_clear_handle_id (&self->load_source_id, g_source_remove);
  set_string (self, &self->status_message, "", PROP_STATUS_MESSAGE);
  set_state (self, BH_TAB_STATE_LOADING);
  set_loading (self, TRUE);

  if (strstr (self->uri, "slow") == NULL)
    self->load_source_id = g_timeout_add (FAKE_LOAD_MS, load_finished_cb, self);
}

/* A fake navigation starts and commits at once, as BhTab's signals say it
 * would have; its load finishes FAKE_LOAD_MS later. */
static void
commit (BhTab *self, const char *url, gboolean add_to_history)
{
  g_autofree char *target = g_strdup (url); /* @url may be a history entry */

  self->navigation_id = next_navigation_id++;
  g_signal_emit (self, signals[SIGNAL_NAVIGATION_STARTED], 0, self->navigation_id, target);
  url = target;
  if (add_to_history)
    {
      if (self->history->len > 0)
        g_ptr_array_set_size (self->history, self->history_index + 1);
      g_ptr_array_add (self->history, g_strdup (url));
      self->history_index = self->history->len - 1;
    }

  set_string (self, &self->uri, url, PROP_URI);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_BACK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GO_FORWARD]);
  self->log.n_navigations++;
  g_signal_emit (self, signals[SIGNAL_NAVIGATION_COMMITTED], 0, self->navigation_id, url);
  start_load (self);
}

BhTab *
bh_browser_new_tab (BhBrowser *browser)
{
  return g_object_new (BH_TYPE_TAB, NULL);
}

void
bh_tab_navigate (BhTab *tab, const char *url)
{
  commit (tab, url, TRUE);
}

void
bh_tab_navigate_to_user_input (BhTab *tab, const char *text)
{
  g_autofree char *url = NULL;

  g_free (tab->log.last_user_input);
  tab->log.last_user_input = g_strdup (text);

  if (g_uri_peek_scheme (text) != NULL)
    url = g_strdup (text);
  else
    url = g_strconcat ("http://", text, NULL);

  commit (tab, url, TRUE);
}

void
bh_tab_reload_bypassing_cache (BhTab *tab)
{
  bh_tab_reload (tab);
}

void
bh_tab_reload (BhTab *tab)
{
  tab->log.n_reloads++;
  if (tab->uri != NULL)
    commit (tab, tab->uri, FALSE);
}

void
bh_tab_stop (BhTab *tab)
{
  tab->log.n_stops++;
  g_clear_handle_id (&tab->load_source_id, g_source_remove);
  set_loading (tab, FALSE);
  set_state (tab, BH_TAB_STATE_COMPLETE);
}

guint64
bh_tab_get_committed_navigation_id (BhTab *tab)
{
  return tab->navigation_id;
}

gboolean
bh_tab_go_back (BhTab *tab)
{
  if (tab->history->len == 0 || tab->history_index == 0)
    return FALSE;

  tab->history_index--;
  commit (tab, g_ptr_array_index (tab->history, tab->history_index), FALSE);
  return TRUE;
}

gboolean
bh_tab_go_forward (BhTab *tab)
{
  if (tab->history_index + 1 >= tab->history->len)
    return FALSE;

  tab->history_index++;
  commit (tab, g_ptr_array_index (tab->history, tab->history_index), FALSE);
  return TRUE;
}

void
bh_tab_set_viewport (BhTab *tab, int width_px, int height_px, double scale)
{
  tab->log.viewport_width_px = width_px;
  tab->log.viewport_height_px = height_px;
  tab->log.viewport_scale = scale;
  paint_frame (tab);
}

void
bh_tab_send_mouse (BhTab *tab, guint kind, double x_px, double y_px, guint button,
                   guint modifiers)
{
  tab->log.n_mouse_events++;
  tab->log.mouse_kind = kind;
  tab->log.mouse_x_px = x_px;
  tab->log.mouse_y_px = y_px;
  tab->log.mouse_button = button;
  tab->log.mouse_modifiers = modifiers;
  if (kind == 1)
    tab->log.n_mouse_presses++;
  else if (kind == 2)
    tab->log.n_mouse_releases++;
}

void
bh_tab_send_scroll (BhTab *tab, double dx_px, double dy_px)
{
  tab->log.n_scrolls++;
  tab->log.scroll_dx_px = dx_px;
  tab->log.scroll_dy_px = dy_px;
}

void
bh_tab_send_key (BhTab *tab, guint keyval, guint modifiers)
{
  tab->log.n_keys++;
  tab->log.last_keyval = keyval;
  tab->log.last_key_modifiers = modifiers;
}

void
bh_tab_scroll_to (BhTab *tab, int y_px)
{
  tab->log.n_scroll_tos++;
  tab->log.last_scroll_to_px = y_px;
  tab->scroll_y_px = y_px;
  g_object_notify_by_pspec (G_OBJECT (tab), properties[PROP_SCROLL_Y]);
}

void
bh_tab_scroll_to_x (BhTab *tab, int x_px)
{
}

void
bh_tab_set_focus (BhTab *tab, gboolean focused)
{
  tab->log.focused = focused;
}

GdkTexture *
bh_tab_get_frame (BhTab *tab)
{
  return tab->frame;
}

/* A fake tab embeds no plugins (bh-tab-plugins.h). */
GPtrArray *
bh_tab_get_plugin_frames (BhTab *tab)
{
  return g_ptr_array_new ();
}

guint
bh_tab_get_id (BhTab *tab)
{
  return tab->id;
}

const char *
bh_tab_get_uri (BhTab *tab)
{
  return tab->uri != NULL ? tab->uri : "";
}

const char *
bh_tab_get_title (BhTab *tab)
{
  return tab->title != NULL ? tab->title : "";
}

/* The fake's pages have no favicon. */
GdkTexture *
bh_tab_get_favicon (BhTab *tab)
{
  return NULL;
}

BhTabState
bh_tab_get_state (BhTab *tab)
{
  return tab->state;
}

const char *
bh_tab_get_status_message (BhTab *tab)
{
  return tab->status_message != NULL ? tab->status_message : "";
}

/* The stand-in's hang dialog says what its status message says. */
char *
bh_tab_describe_unresponsive (BhTab *tab)
{
  return NULL;
}

void
bh_tab_close (BhTab *tab)
{
  tab->log.n_closes++;
  g_clear_handle_id (&tab->load_source_id, g_source_remove);
}

/* The hang dialog and visibility (issue #6): logged only, the fake has no
 * renderer to wait for or to kill. */
void
bh_tab_set_visible (BhTab *tab, gboolean visible)
{
  tab->log.visible = visible;
}

gboolean
bh_tab_is_visible (BhTab *tab)
{
  return tab->log.visible;
}

void
bh_tab_hang_wait (BhTab *tab)
{
  tab->log.n_hang_waits++;
}

void
bh_tab_hang_kill (BhTab *tab)
{
  tab->log.n_hang_kills++;
}

guint
bh_tab_get_recent_crash_count (BhTab *tab)
{
  return 0;
}

guint
bh_tab_get_blocked_popup_count (BhTab *tab)
{
  return tab->blocked_popup_count;
}

const char *
bh_tab_get_blocked_popup_url (BhTab *tab)
{
  return tab->blocked_popup_url;
}

static void
clear_blocked_popups (BhTab *tab)
{
  g_clear_pointer (&tab->blocked_popup_url, g_free);
  tab->blocked_popup_count = 0;
  g_object_notify_by_pspec (G_OBJECT (tab), properties[PROP_BLOCKED_POPUP_COUNT]);
}

void
bh_tab_open_blocked_popup (BhTab *tab)
{
  g_autofree char *url = g_steal_pointer (&tab->blocked_popup_url);

  clear_blocked_popups (tab);
  if (url != NULL)
    g_signal_emit (tab, signals[SIGNAL_OPEN_URL], 0, url, (guint) BH_DISPOSITION_NEW_TAB);
}

void
bh_tab_dismiss_blocked_popups (BhTab *tab)
{
  clear_blocked_popups (tab);
}

/* ---- test controls ---- */

const BhFakeTabLog *
bh_fake_tab_get_log (BhTab *tab)
{
  return &tab->log;
}

void
bh_fake_tab_set_state (BhTab *tab, BhTabState state, const char *status_message)
{
  g_clear_handle_id (&tab->load_source_id, g_source_remove);
  set_string (tab, &tab->status_message, status_message, PROP_STATUS_MESSAGE);
  set_loading (tab, state == BH_TAB_STATE_LOADING);
  set_state (tab, state);

  /* The real tab has no frame once its renderer is gone. */
  if (state != BH_TAB_STATE_LOADING && state != BH_TAB_STATE_COMPLETE &&
      state != BH_TAB_STATE_UNRESPONSIVE)
    {
      g_clear_object (&tab->frame);
      g_signal_emit (tab, signals[SIGNAL_FRAME_CHANGED], 0);
    }
}

void
bh_fake_tab_set_hover (BhTab *tab, const char *url, guint cursor)
{
  set_string (tab, &tab->hovered_link, url, PROP_HOVERED_LINK);
  if (tab->cursor != cursor)
    {
      tab->cursor = cursor;
      g_object_notify_by_pspec (G_OBJECT (tab), properties[PROP_CURSOR]);
    }
}

void
bh_fake_tab_request_open_url (BhTab *tab, const char *url, BhDisposition disposition)
{
  g_signal_emit (tab, signals[SIGNAL_OPEN_URL], 0, url, (guint) disposition);
}

void
bh_fake_tab_block_popup (BhTab *tab, const char *url)
{
  if (tab->blocked_popup_url == NULL)
    tab->blocked_popup_url = g_strdup (url);
  tab->blocked_popup_count++;
  g_object_notify_by_pspec (G_OBJECT (tab), properties[PROP_BLOCKED_POPUP_COUNT]);
}

void
bh_fake_tab_request_close (BhTab *tab)
{
  g_signal_emit (tab, signals[SIGNAL_CLOSE_REQUESTED], 0);
}

guint
bh_fake_tab_count_alive (void)
{
  return tabs_alive;
}

static void
bh_tab_finalize (GObject *object)
{
  BhTab *self = BH_TAB (object);

  g_clear_handle_id (&self->load_source_id, g_source_remove);
  g_clear_object (&self->frame);
  g_clear_object (&self->interaction);
  g_free (self->uri);
  g_free (self->title);
  g_free (self->hovered_link);
  g_free (self->status_message);
  g_free (self->blocked_popup_url);
  g_free (self->log.last_user_input);
  g_ptr_array_unref (self->history);
  tabs_alive--;

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
      g_value_set_double (value, self->loading ? 0.5 : 1.0);
      break;
    case PROP_HOVERED_LINK:
      g_value_set_string (value, self->hovered_link != NULL ? self->hovered_link : "");
      break;
    case PROP_CURSOR:
      g_value_set_uint (value, self->cursor);
      break;
    case PROP_SITE:
      g_value_set_string (value, "");
      break;
    case PROP_RENDERER_PID:
      g_value_set_int (value, 0);
      break;
    case PROP_DOCUMENT_HEIGHT:
      g_value_set_int (value, self->document_height_px);
      break;
    case PROP_SCROLL_Y:
      g_value_set_int (value, self->scroll_y_px);
      break;
    case PROP_DOCUMENT_WIDTH:
    case PROP_SCROLL_X:
      g_value_set_int (value, 0); /* fake pages fit their viewport */
      break;
    case PROP_CAN_GO_BACK:
      g_value_set_boolean (value, self->history->len > 0 && self->history_index > 0);
      break;
    case PROP_CAN_GO_FORWARD:
      g_value_set_boolean (value, self->history_index + 1 < self->history->len);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, bh_tab_get_status_message (self));
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
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bh_tab_finalize;
  object_class->get_property = bh_tab_get_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, "", flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, BH_TYPE_TAB_STATE,
                                              BH_TAB_STATE_COMPLETE, flags);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_HOVERED_LINK] = g_param_spec_string ("hovered-link", NULL, NULL, "", flags);
  properties[PROP_CURSOR] = g_param_spec_uint ("cursor", NULL, NULL, 0, 2, 0, flags);
  properties[PROP_SITE] = g_param_spec_string ("site", NULL, NULL, "", flags);
  properties[PROP_RENDERER_PID] = g_param_spec_int ("renderer-pid", NULL, NULL, 0, G_MAXINT, 0,
                                                    flags);
  properties[PROP_DOCUMENT_HEIGHT] = g_param_spec_int ("document-height", NULL, NULL, 0,
                                                       G_MAXINT, 0, flags);
  properties[PROP_SCROLL_Y] = g_param_spec_int ("scroll-y", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                flags);
  properties[PROP_CAN_GO_BACK] = g_param_spec_boolean ("can-go-back", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_GO_FORWARD] = g_param_spec_boolean ("can-go-forward", NULL, NULL, FALSE,
                                                          flags);
  properties[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, "",
                                                         flags);
  properties[PROP_BLOCKED_POPUP_COUNT] = g_param_spec_uint ("blocked-popup-count", NULL, NULL, 0,
                                                            G_MAXUINT, 0, flags);
  properties[PROP_DOCUMENT_WIDTH] = g_param_spec_int ("document-width", NULL, NULL, 0, G_MAXINT, 0,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCROLL_X] = g_param_spec_int ("scroll-x", NULL, NULL, 0, G_MAXINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FRAME_CHANGED] = g_signal_new ("frame-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  signals[SIGNAL_OPEN_URL] = g_signal_new ("open-url", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           2, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_LOAD_FINISHED] = g_signal_new ("load-finished", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  signals[SIGNAL_CLOSE_REQUESTED] = g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  signals[SIGNAL_NAVIGATION_STARTED] =
    g_signal_new ("navigation-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  signals[SIGNAL_NAVIGATION_COMMITTED] =
    g_signal_new ("navigation-committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_STRING);
  /* Fake pages are never downloads: the signal exists for the window to connect. */
  signals[SIGNAL_DOWNLOAD_STARTED] =
    g_signal_new ("download-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_DOWNLOAD);
  /* As bh-tab-script.c's: the UI shows page dialogs (bh-script-dialog.c). */
  g_signal_new ("script-dialog", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_true_handled,
                NULL, NULL, G_TYPE_BOOLEAN, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
}

/* bh-tab-script.h: the fake's pages open no dialog. */
void
bh_tab_answer_script_dialog (BhTab *tab, guint dialog_id, gboolean accepted, const char *text)
{
}

static void
bh_tab_init (BhTab *self)
{
  self->id = next_tab_id++;
  self->state = BH_TAB_STATE_COMPLETE;
  self->history = g_ptr_array_new_with_free_func (g_free);
  tabs_alive++;
}

BhTabInteraction *
bh_tab_get_interaction (BhTab *tab)
{
  if (tab->interaction == NULL)
    tab->interaction = bh_tab_interaction_new ();
  return tab->interaction;
}

/* bh-tab-interaction.c talks to a renderer host; a fake tab has none. */
gboolean
bh_renderer_host_send_to_view (BhRendererHost *host, guint view_id, BhMessageType type, GVariant *payload)
{
  g_variant_unref (g_variant_ref_sink (payload));
  return FALSE;
}

void
bh_tab_save_url (BhTab *tab, const char *url)
{
}

/* Fake tabs have no renderer: printing (bh-print.c) finds none. */
BhRendererHost *
bh_tab_get_renderer_host (BhTab *tab)
{
  return NULL;
}

guint
bh_tab_get_view_id (BhTab *tab)
{
  return 0;
}

void
bh_renderer_host_print_to_pdf (BhRendererHost *host, guint view_id, const BhPrintSettings *settings,
                               BhPdfPrintedFunc callback, gpointer user_data, GDestroyNotify notify)
{
  if (notify != NULL)
    notify (user_data);
}

gboolean
bh_tab_history_entry_has_post_data (BhTab *tab, int offset)
{
  return FALSE; /* fake pages are never a form's POST */
}

char **
bh_tab_get_history_urls (BhTab *tab, int *out_current_index)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (guint i = 0; i < tab->history->len; i++)
    g_strv_builder_add (builder, tab->history->pdata[i]);
  if (out_current_index != NULL)
    *out_current_index = tab->history->len > 0 ? (int) tab->history_index : -1;
  {
    char **urls = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return urls;
  }
}

void
bh_tab_restore_history (BhTab *tab, const char *const *urls, int current_index)
{
  bh_tab_navigate (tab, urls[current_index]);
}

void
bh_tab_set_zoom (BhTab *tab, double zoom)
{
}

double
bh_tab_get_zoom (BhTab *tab)
{
  return 1.0;
}
